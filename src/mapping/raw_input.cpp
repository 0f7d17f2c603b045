#include "mapping/raw_input.hpp"

#include <string>

#include "json/parse.hpp"

namespace sp::mapping {
namespace {

// Rewrites the byte stream so that every top-level array becomes a whitespace-separated sequence of its elements
// (outer brackets and separating commas turn into spaces), and finds cut points where the rewritten text so far
// holds only complete values. The rewrite keeps byte offsets unchanged.
class Splitter {
 public:
  // Processes text[from, end); returns the offset just past the last safe cut point (0 if none).
  Result<size_t> Scan(std::string& text, size_t from, size_t base_offset) {
    size_t cut = std::string::npos;
    for (size_t i = from; i < text.size(); ++i) {
      char c = text[i];
      if (in_string_) {
        if (escape_) {
          escape_ = false;
        } else if (c == '\\') {
          escape_ = true;
        } else if (c == '"') {
          in_string_ = false;
        }
        continue;
      }
      bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t';
      if (depth_ == 0 && !in_array_) {
        if (c == '[') {
          in_array_ = true;
          element_started_ = false;
          after_comma_ = false;
          text[i] = ' ';
        } else if (space) {
          cut = i + 1;
        } else if (c == '{') {
          ++depth_;
        } else if (c == '"') {
          in_string_ = true;
        }
        continue;
      }
      if (in_array_ && depth_ == 0) {
        if (space) {
          if (!element_started_) cut = i + 1;
          continue;
        }
        if (c == ',' || c == ']') {
          if (!element_started_ && (c == ',' || after_comma_)) {
            return Error(ErrorCode::PARSE, "byte " + std::to_string(base_offset + i) + ": expected a value before '" +
                                               std::string(1, c) + "' in the top-level array");
          }
          text[i] = ' ';
          cut = i + 1;
          element_started_ = false;
          after_comma_ = c == ',';
          if (c == ']') in_array_ = false;
          continue;
        }
        element_started_ = true;
      }
      if (c == '"') {
        in_string_ = true;
      } else if (c == '{' || c == '[') {
        ++depth_;
      } else if ((c == '}' || c == ']') && depth_ > 0) {
        --depth_;
      }
    }
    return cut == std::string::npos ? 0 : cut;
  }

  bool Finished() const { return !in_array_ && depth_ == 0 && !in_string_; }

 private:
  bool in_string_ = false;
  bool escape_ = false;
  bool in_array_ = false;
  bool element_started_ = false;
  bool after_comma_ = false;
  size_t depth_ = 0;
};

}  // namespace

Status ReadRawItems(std::istream& in, const std::function<bool(std::vector<json::Value>&)>& on_batch,
                    const RawInputOptions& options) {
  Splitter splitter;
  std::string buffer;      // bytes not yet parsed
  size_t scanned = 0;      // bytes of `buffer` already seen by the splitter
  size_t base_offset = 0;  // stream offset of buffer[0]
  std::vector<json::Value> batch;
  bool stopped = false;

  auto parse = [&](size_t end) -> Status {
    if (end == 0) return {};
    Status st = json::ParseSequence(std::string_view(buffer).substr(0, end), [&](json::Value v) {
      batch.push_back(std::move(v));
      if (batch.size() >= options.batch_size) {
        stopped = !on_batch(batch);
        batch.clear();
      }
      return !stopped;
    });
    if (!st.ok()) {
      return Error(ErrorCode::PARSE, "input near byte " + std::to_string(base_offset) + ": " + st.error().message);
    }
    buffer.erase(0, end);
    base_offset += end;
    scanned -= end;
    return {};
  };

  std::string chunk(options.chunk_bytes, '\0');
  while (!stopped && in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    size_t got = static_cast<size_t>(in.gcount());
    if (got == 0) break;
    buffer.append(chunk.data(), got);
    Result<size_t> cut = splitter.Scan(buffer, scanned, base_offset);
    if (!cut.ok()) return cut.error();
    scanned = buffer.size();
    if (Status st = parse(*cut); !st.ok()) return st;
  }
  if (!stopped) {
    if (!splitter.Finished()) {
      return Error(ErrorCode::PARSE, "byte " + std::to_string(base_offset + buffer.size()) +
                                         ": unexpected end of input inside a value or array");
    }
    if (Status st = parse(buffer.size()); !st.ok()) return st;
    if (!stopped && !batch.empty()) on_batch(batch);
  }
  return {};
}

}  // namespace sp::mapping
