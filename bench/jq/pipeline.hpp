#pragma once
// The measured work of bench_jq: JSON text -> Value -> selector and field expressions -> entity -> JSON text.
//
// A Pipeline is built once (programs compiled, config loaded) and Process() is const and thread-safe, so two
// threads can share one. Two kinds of pipeline: through sp_mapping's KindMapper (when the benchmark is built
// with SP_BENCH_HAVE_MAPPING) and "inline", the same field expressions as jq::Program objects driven directly.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "json/value.hpp"

namespace sp::bench {

//! What a run produced (kept so the optimizer cannot drop the work).
struct Tally {
  uint64_t items = 0;
  uint64_t entities = 0;
  uint64_t bytes = 0;  //!< serialized entity bytes
};

struct KindSpec {
  const char* kind;            //!< the Sentry integration's kind (user, team, project-tag, ...)
  const char* profile;         //!< the built-in mapping profile that has it ("default" / "seed")
  std::string (*make)(int i);  //!< the generator of raw item i
};

//! The six kinds of the built-in mappings, in print order.
const std::vector<KindSpec>& Kinds();

//! Parses one raw item; exits the process on malformed text (generated text is always valid).
json::Value ParseItem(const std::string& text);

class Pipeline {
 public:
  virtual ~Pipeline() = default;
  virtual const char* Name() const = 0;
  //! Parses, filters, maps and serializes `texts`, adding to `tally`. Thread-safe.
  virtual void Process(std::span<const std::string> texts, Tally& tally) const = 0;
};

//! Every pipeline available for `spec` (mapping first when built in, then inline where defined).
std::vector<std::unique_ptr<Pipeline>> PipelinesFor(const KindSpec& spec);

}  // namespace sp::bench
