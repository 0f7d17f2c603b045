#pragma once
// Internal: builds a Value from simdjson's DOM tape into one arena block (see ArenaHeader): one allocation per
// document, and no per-node counting or freeing. Whatever it cannot place exactly (a scalar root, a container
// with more elements than the tape can count, a very long number literal) it refuses with FALLBACK, leaving the
// document to the pooled walk.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "json/value.hpp"

namespace sp::json::detail {

enum class TapeOutcome { OK, DEPTH, FALLBACK };

//! `tape` and `strings` are simdjson's dom::document tape and string buffer for `text`.
TapeOutcome BuildInArena(const uint64_t* tape, const uint8_t* strings, std::string_view text, size_t max_depth,
                         Value& out);

}  // namespace sp::json::detail
