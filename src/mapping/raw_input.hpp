#pragma once
// Raw items from a stream (a file, stdin) in bounded batches, for `sentry-port map`, tests and benchmarks.
//
// Accepts one JSON value, a top-level array of items, JSON lines, or any whitespace-separated sequence of these.
// Every top-level array is read as a list of items (its elements), so `[{..},{..}]` and JSON lines mean the same.
// The text is never slurped: it is read in chunks, cut at value boundaries found by a byte scanner, parsed with
// json::ParseSequence, and handed over in batches; memory stays O(chunk + largest item + batch).

#include <cstddef>
#include <functional>
#include <istream>
#include <vector>

#include "base/result.hpp"
#include "json/value.hpp"

namespace sp::mapping {

struct RawInputOptions {
  size_t batch_size = 500;        //!< items per on_batch call (the last one may be smaller)
  size_t chunk_bytes = 1u << 20;  //!< bytes read from the stream at a time
};

//! Reads every item of `in`, calling `on_batch` with up to batch_size items at a time (return false to stop).
//! Errors: ErrorCode::PARSE with the byte offset in the stream ("byte 1234: ..."); items before the error have
//! already been delivered.
Status ReadRawItems(std::istream& in, const std::function<bool(std::vector<json::Value>&)>& on_batch,
                    const RawInputOptions& options = {});

}  // namespace sp::mapping
