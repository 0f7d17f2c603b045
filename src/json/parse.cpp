// JSON text -> Value on simdjson On-Demand. The fast path trusts simdjson's checks plus our own (number grammar,
// depth); whenever anything fails, the strict checker in validate.cpp re-scans the text to report exactly what
// was expected and where.

#include "json/parse.hpp"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

#include "json/detail/arena_build.hpp"
#include "json/detail/node.hpp"
#include "json/detail/tape.hpp"
#include "json/detail/validate.hpp"

namespace sp::json {
namespace {

namespace od = simdjson::ondemand;

static_assert(PARSE_PADDING >= simdjson::SIMDJSON_PADDING, "PARSE_PADDING must cover simdjson's read-ahead");

bool IsWs(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && IsWs(s.back())) s.remove_suffix(1);
  return s;
}

// One open array or object of the value being built.
struct Frame {
  bool object = false;
  bool started = false;
  size_t mark = 0;  // where this container's children start in ThreadState::values / members
  od::array_iterator array_it;
  od::object_iterator object_it;
  Value key;  // key of the member whose value is being built
};

// One open container of the tape walk: the node being filled and, in an object, the key just read.
struct TapeFrame {
  Value container;                     // owns the node while it is built
  detail::ArrayNode* array = nullptr;  // exactly one of these two is set
  detail::ObjectNode* object = nullptr;
  bool has_key = false;
  Value key;
};

// Per-thread parser state: simdjson's buffers and our scratch stacks are reused from one parse to the next.
struct ThreadState {
  od::parser parser;
  simdjson::dom::parser dom_parser;
  std::unique_ptr<char[]> padded;
  size_t padded_capacity = 0;
  std::vector<Value> values;    // elements of the arrays being built, innermost last
  std::vector<Member> members;  // members of the objects being built, innermost last
  std::vector<Frame> frames;    // open containers, innermost last
  std::vector<TapeFrame> tape_frames;

  // Recently seen object keys. API payloads repeat the same few dozen keys in every object, so sharing one
  // node per key saves an allocation per member and keeps the key bytes hot in cache.
  static constexpr size_t KEY_CACHE_SIZE = 1024;
  Value key_cache[KEY_CACHE_SIZE];

  Value Key(std::string_view k) {
    if (k.size() > 64) return Value::String(k);
    uint64_t head = 0;
    uint64_t tail = 0;
    if (k.size() >= 8) {
      std::memcpy(&head, k.data(), 8);
      std::memcpy(&tail, k.data() + k.size() - 8, 8);
    } else {
      for (size_t i = 0; i < k.size(); ++i) head |= uint64_t{static_cast<uint8_t>(k[i])} << (8 * i);
    }
    uint64_t h = (head * 0x9E3779B97F4A7C15ull) ^ (tail * 0xC2B2AE3D27D4EB4Full) ^ k.size();
    h ^= h >> 32;
    Value& slot = key_cache[h & (KEY_CACHE_SIZE - 1)];
    if (!slot.IsString() || !detail::KeyEquals(slot, k)) slot = Value::String(k);
    return slot;
  }

  const char* Pad(std::string_view text) {
    const size_t need = text.size() + PARSE_PADDING;
    if (need > padded_capacity) {
      padded_capacity = std::max(need, padded_capacity * 2);
      padded.reset(new char[padded_capacity]);
    }
    if (!text.empty()) std::memcpy(padded.get(), text.data(), text.size());
    std::memset(padded.get() + text.size(), 0, PARSE_PADDING);
    return padded.get();
  }
};

ThreadState& State() {
  thread_local ThreadState state;
  return state;
}

// jq 1.7.1's reader takes `nan` (with an optional payload: `nan123`) and, through decNumber, `NaN`, `sNaN`,
// `Inf` and `Infinity` in any case, each optionally signed. Only with ParseOptions::allow_nan.
bool NanLiteral(std::string_view token, Value& out) {
  if (token.empty()) return false;
  bool negative = false;
  if (token[0] == '-' || token[0] == '+') {
    negative = token[0] == '-';
    token.remove_prefix(1);
  }
  std::string lower(token);
  for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (lower == "inf" || lower == "infinity") {
    const double inf = std::numeric_limits<double>::infinity();
    out = Value::Number(negative ? -inf : inf);
    return true;
  }
  std::string_view rest(lower);
  if (rest.starts_with("snan")) {
    rest.remove_prefix(4);
  } else if (rest.starts_with("nan")) {
    rest.remove_prefix(3);
  } else {
    return false;
  }
  if (!std::all_of(rest.begin(), rest.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  out = Value::Number(std::numeric_limits<double>::quiet_NaN());
  return true;
}

// Builds a Value from an On-Demand value without recursion (an explicit stack of open containers), so the nesting
// limit, not the thread's stack size, bounds what can be parsed.
class Builder {
 public:
  Builder(ThreadState& st, size_t max_depth, bool allow_nan) : st_(st), max_depth_(max_depth), allow_nan_(allow_nan) {}

  bool Build(od::value root, Value& out) {
    std::vector<Frame>& stack = st_.frames;
    stack.clear();
    od::value cur = root;
    Value built;
    while (true) {
      bool opened = false;
      if (!Open(cur, built, opened)) return false;
      while (true) {
        if (opened) {
          opened = false;
        } else {
          if (stack.empty()) {
            out = std::move(built);
            return true;
          }
          Frame& parent = stack.back();
          if (parent.object) {
            st_.members.push_back(Member{std::move(parent.key), std::move(built)});
          } else {
            st_.values.push_back(std::move(built));
          }
        }
        Frame& top = stack.back();
        const int step = Next(st_, top, cur);
        if (step < 0) return false;
        if (step > 0) break;  // `cur` is the next child to build
        built = Close(top);
        stack.pop_back();
      }
    }
  }

  static bool Number(std::string_view token, Value& out) {
    if (!detail::IsJsonNumber(token)) return false;
    out = Value::NumberFromToken(token);
    return true;
  }

 private:
  // Builds a scalar into `out`, or opens a container frame (`opened`).
  bool Open(od::value& v, Value& out, bool& opened) {
    od::json_type type;
    if (allow_nan_) {
      // Before the type: "NaN" and "Infinity" have none. ("nan" looks like null, "-nan" like a number.)
      const bool typed = v.type().get(type) == simdjson::SUCCESS;
      if (!typed || type == od::json_type::null || type == od::json_type::number) {
        if (NanLiteral(TrimRight(v.raw_json_token()), out)) return true;
        if (!typed) return false;
      }
    }
    if (v.type().get(type) != simdjson::SUCCESS) return false;
    switch (type) {
      case od::json_type::array: {
        if (st_.frames.size() >= max_depth_) return false;
        od::array array;
        Frame f;
        if (v.get_array().get(array) != simdjson::SUCCESS || array.begin().get(f.array_it) != simdjson::SUCCESS) {
          return false;
        }
        f.mark = st_.values.size();
        st_.frames.push_back(std::move(f));
        opened = true;
        return true;
      }
      case od::json_type::object: {
        if (st_.frames.size() >= max_depth_) return false;
        od::object object;
        Frame f;
        if (v.get_object().get(object) != simdjson::SUCCESS || object.begin().get(f.object_it) != simdjson::SUCCESS) {
          return false;
        }
        f.object = true;
        f.mark = st_.members.size();
        st_.frames.push_back(std::move(f));
        opened = true;
        return true;
      }
      case od::json_type::number: return Number(TrimRight(v.raw_json_token()), out);
      case od::json_type::string: {
        std::string_view s;
        if (v.get_string().get(s) != simdjson::SUCCESS) return false;
        out = Value::String(s);
        return true;
      }
      case od::json_type::boolean: {
        bool b = false;
        if (v.get_bool().get(b) != simdjson::SUCCESS) return false;
        out = Value::Bool(b);
        return true;
      }
      case od::json_type::null: {
        bool is_null = false;
        if (v.is_null().get(is_null) != simdjson::SUCCESS || !is_null) return false;
        out = Value();
        return true;
      }
    }
    return false;
  }

  // Moves `f` to its next child: 1 with the child in `cur`, 0 when the container ended, -1 on error. (simdjson's
  // iterators ignore the right-hand side of !=: it only asks whether the container is still open.)
  static int Next(ThreadState& st, Frame& f, od::value& cur) {
    if (f.object) {
      if (f.started) ++f.object_it;
      f.started = true;
      if (!(f.object_it != f.object_it)) return 0;
      od::field field;
      std::string_view key;
      if ((*f.object_it).get(field) != simdjson::SUCCESS || field.unescaped_key().get(key) != simdjson::SUCCESS) {
        return -1;
      }
      f.key = st.Key(key);
      cur = field.value();
      return 1;
    }
    if (f.started) ++f.array_it;
    f.started = true;
    if (!(f.array_it != f.array_it)) return 0;
    if ((*f.array_it).get(cur) != simdjson::SUCCESS) return -1;
    return 1;
  }

  Value Close(Frame& f) {
    if (f.object) {
      auto first = st_.members.begin() + static_cast<std::ptrdiff_t>(f.mark);
      Value v = detail::MakeObjectDedup(
          detail::MemberVector(std::make_move_iterator(first), std::make_move_iterator(st_.members.end())));
      st_.members.erase(first, st_.members.end());
      return v;
    }
    auto first = st_.values.begin() + static_cast<std::ptrdiff_t>(f.mark);
    Value v = detail::MakeArray(
        detail::ValueVector(std::make_move_iterator(first), std::make_move_iterator(st_.values.end())));
    st_.values.erase(first, st_.values.end());
    return v;
  }

  ThreadState& st_;
  size_t max_depth_;
  bool allow_nan_;
};

// The fast path: simdjson's DOM parser (fully validating, runtime-dispatched SIMD in libsimdjson) and one flat
// walk over its tape. The tape keeps no number text: a fractional or exponent number (whose literal may matter:
// "1.50") and, when the text may hold one, a zero (which could be "-0") are looked up in the text. Documents the
// DOM parser refuses (too deep, integers beyond 64 bits, errors) go to the On-Demand path.
class TapeBuilder {
 public:
  enum class Outcome { OK, DEPTH, FALLBACK };

  TapeBuilder(ThreadState& st, size_t max_depth, std::string_view text)
      : st_(st), max_depth_(max_depth), text_(text), zero_may_be_negative_(detail::MayHoldNegativeZero(text)) {}

  Outcome Build(const simdjson::dom::document& doc, Value& out) {
    const uint64_t* tape = doc.tape.get();
    const uint8_t* strings = doc.string_buf.get();
    std::vector<TapeFrame>& stack = st_.tape_frames;
    stack.clear();
    size_t i = 1;  // tape[0] is the root marker
    while (true) {
      const uint64_t word = tape[i];
      const auto type = static_cast<char>(word >> 56);
      Value built;
      switch (type) {
        case '[':
        case '{': {
          if (stack.size() >= max_depth_) return Outcome::DEPTH;
          // The tape records each container's element count: the node's vector is sized once and filled in
          // place (no scratch copies).
          const auto count = static_cast<size_t>((word >> 32) & simdjson::internal::JSON_COUNT_MASK);
          TapeFrame& f = stack.emplace_back();
          if (type == '{') {
            auto* node = new detail::ObjectNode();
            f.container = detail::Access::Adopt(Kind::OBJECT, node);
            node->members.reserve(count);
            f.object = node;
          } else {
            auto* node = new detail::ArrayNode();
            f.container = detail::Access::Adopt(Kind::ARRAY, node);
            node->items.reserve(count);
            f.array = node;
          }
          ++i;
          continue;
        }
        case ']':
        case '}': {
          TapeFrame& f = stack.back();
          if (f.object && detail::HasDuplicateKeys(f.object->members)) {
            built = detail::MakeObjectDedup(std::move(f.object->members));
          } else {
            built = std::move(f.container);
          }
          stack.pop_back();
          ++i;
          break;
        }
        case '"': {
          const size_t offset = static_cast<size_t>(word & simdjson::internal::JSON_VALUE_MASK);
          uint32_t len = 0;
          std::memcpy(&len, strings + offset, sizeof(len));
          const std::string_view s(reinterpret_cast<const char*>(strings + offset + sizeof(len)), len);
          ++i;
          if (!stack.empty() && stack.back().object && !stack.back().has_key) {
            stack.back().key = st_.Key(s);
            stack.back().has_key = true;
            continue;
          }
          built = detail::Access::Adopt(Kind::STRING, detail::StringNode::Make(s));
          break;
        }
        case 'l': {
          int64_t v = 0;
          std::memcpy(&v, &tape[i + 1], sizeof(v));
          if (v == 0 && zero_may_be_negative_ && Token(number_index_)[0] == '-') {
            built = Value::Number(-0.0);
          } else {
            built = detail::TapeInteger(v < 0, v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v));
          }
          ++number_index_;
          i += 2;
          break;
        }
        case 'u': {
          uint64_t v = 0;
          std::memcpy(&v, &tape[i + 1], sizeof(v));
          built = detail::TapeInteger(false, v);
          ++number_index_;
          i += 2;
          break;
        }
        case 'd': {
          built = Value::NumberFromToken(Token(number_index_));
          if (!built.IsNumber()) return Outcome::FALLBACK;  // cannot happen on validated text
          ++number_index_;
          i += 2;
          break;
        }
        case 't': built = Value::Bool(true), ++i; break;
        case 'f': built = Value::Bool(false), ++i; break;
        case 'n': ++i; break;
        default: return Outcome::FALLBACK;
      }
      if (stack.empty()) {
        out = std::move(built);
        return Outcome::OK;
      }
      TapeFrame& parent = stack.back();
      if (parent.object) {
        Member& m = parent.object->members.emplace_back();
        m.key = std::move(parent.key);
        m.value = std::move(built);
        parent.has_key = false;
      } else {
        parent.array->items.push_back(std::move(built));
      }
    }
  }

 private:
  std::string_view Token(size_t k) {
    if (!tokens_) tokens_.emplace(text_);
    return tokens_->Get(k);
  }

  ThreadState& st_;
  size_t max_depth_;
  std::string_view text_;
  bool zero_may_be_negative_;
  size_t number_index_ = 0;  // numbers seen so far on the tape
  std::optional<detail::NumberTokens> tokens_;
};

Result<Value> ParseAt(const char* data, size_t len, size_t capacity, const ParseOptions& options, size_t base_offset);

// The error path: the strict checker says what was expected and where. Text it accepts that simdjson refused
// holds unpaired surrogate escapes, which jq reads as U+FFFD: parse a copy with those rewritten.
Result<Value> MakeError(std::string_view text, size_t max_depth, size_t base_offset, const ParseOptions& options = {}) {
  detail::SyntaxError err;
  if (detail::Validate(text, max_depth, err)) {
    std::string fixed(text);
    if (err.lone_surrogate && detail::ReplaceLoneSurrogates(fixed)) {
      return ParseAt(fixed.data(), fixed.size(), 0, options, base_offset);
    }
    return Error(ErrorCode::PARSE, "byte " + std::to_string(base_offset) + ": malformed JSON");
  }
  return Error(err.depth ? ErrorCode::LIMIT_EXCEEDED : ErrorCode::PARSE,
               "byte " + std::to_string(base_offset + err.offset) + ": " + err.what);
}

// Parses `len` bytes at `data`, of which `capacity` are readable. `base_offset` is added to error offsets.
Result<Value> ParseAt(const char* data, size_t len, size_t capacity, const ParseOptions& options, size_t base_offset) {
  const size_t max_depth = std::min(options.max_depth, MAX_PARSE_DEPTH);
  const std::string_view text(data, len);
  ThreadState& st = State();
  if (capacity < len + PARSE_PADDING) {
    data = st.Pad(text);
    capacity = len + PARSE_PADDING;
  }
  {
    simdjson::dom::element root;
    if (st.dom_parser.parse(data, len, false).get(root) == simdjson::SUCCESS) {
      Value out;
      if (options.arena) {
        const detail::TapeOutcome arena_outcome = detail::BuildInArena(
            st.dom_parser.doc.tape.get(), st.dom_parser.doc.string_buf.get(), text, max_depth, out);
        if (arena_outcome == detail::TapeOutcome::OK) return out;
        if (arena_outcome == detail::TapeOutcome::DEPTH) return MakeError(text, max_depth, base_offset, options);
      }
      const TapeBuilder::Outcome outcome = TapeBuilder(st, max_depth, text).Build(st.dom_parser.doc, out);
      st.tape_frames.clear();  // frees a partial value
      if (outcome == TapeBuilder::Outcome::OK) return out;
      if (outcome == TapeBuilder::Outcome::DEPTH) return MakeError(text, max_depth, base_offset, options);
    }
  }
  od::document doc;
  if (st.parser.iterate(data, len, capacity).get(doc) != simdjson::SUCCESS) {
    return MakeError(text, max_depth, base_offset, options);
  }
  od::json_type type;
  const bool typed = doc.type().get(type) == simdjson::SUCCESS;
  if (options.allow_nan && (!typed || type == od::json_type::null || type == od::json_type::number)) {
    std::string_view token;
    Value nan;
    if (doc.raw_json_token().get(token) == simdjson::SUCCESS && NanLiteral(TrimRight(token), nan)) {
      const char* end = TrimRight(token).data() + TrimRight(token).size();
      if (std::all_of(end, data + len, [](char c) { return IsWs(c); })) return nan;
    }
  }
  if (!typed) return MakeError(text, max_depth, base_offset, options);
  Value out;
  Builder builder(st, max_depth, options.allow_nan);
  bool ok = false;
  bool check_end = true;
  switch (type) {
    case od::json_type::array:
    case od::json_type::object: {
      od::value root;
      ok = doc.get_value().get(root) == simdjson::SUCCESS && builder.Build(root, out);
      break;
    }
    case od::json_type::string: {
      std::string_view s;
      ok = doc.get_string().get(s) == simdjson::SUCCESS;
      if (ok) out = Value::String(s);
      break;
    }
    case od::json_type::number:
    case od::json_type::boolean:
    case od::json_type::null: {
      // Atoms at the root are checked on their raw token: simdjson 3.0.1's root is_null() fails on "null ".
      std::string_view token;
      ok = doc.raw_json_token().get(token) == simdjson::SUCCESS;
      if (!ok) break;
      token = TrimRight(token);
      const char* end = token.data() + token.size();
      ok = std::all_of(end, data + len, [](char c) { return IsWs(c); });
      if (type == od::json_type::number) {
        ok = ok && Builder::Number(token, out);
      } else if (token == "true" || token == "false") {
        ok = ok && type == od::json_type::boolean;
        out = Value::Bool(token == "true");
      } else {
        ok = ok && token == "null";
      }
      check_end = false;
      break;
    }
  }
  if (ok && check_end) {
    const char* rest = nullptr;
    // In bounds after the root value means trailing content.
    ok = doc.current_location().get(rest) == simdjson::OUT_OF_BOUNDS;
  }
  if (!ok) {
    st.values.clear();
    st.members.clear();
    st.frames.clear();
    return MakeError(text, max_depth, base_offset, options);
  }
  return out;
}

bool IsScalarEnd(char c) {
  return IsWs(c) || c == '[' || c == ']' || c == '{' || c == '}' || c == ',' || c == ':' || c == '"';
}

// End of the value starting at text[i] (not whitespace), found by a cheap scan that tracks strings and nesting
// only; the real parse of the slice then checks it strictly. An unterminated value ends at the end of the text.
size_t ValueEnd(std::string_view text, size_t i) {
  const char c = text[i];
  if (c == '"' || c == '[' || c == '{') {
    size_t depth = 0;
    bool in_string = false;
    for (; i < text.size(); ++i) {
      const char ch = text[i];
      if (in_string) {
        if (ch == '\\') {
          ++i;
        } else if (ch == '"') {
          in_string = false;
          if (depth == 0) return i + 1;
        }
      } else if (ch == '"') {
        in_string = true;
      } else if (ch == '[' || ch == '{') {
        ++depth;
      } else if (ch == ']' || ch == '}') {
        if (--depth == 0) return i + 1;
      }
    }
    return text.size();
  }
  ++i;
  while (i < text.size() && !IsScalarEnd(text[i])) ++i;
  return i;
}

}  // namespace

namespace detail {
Value TapeInteger(bool negative, uint64_t magnitude) {
  if (magnitude < 1000000000000000ull) {
    const auto d = static_cast<double>(magnitude);
    return Value::Number(negative ? -d : d);
  }
  char buf[24];
  char* p = buf;
  if (negative) *p++ = '-';
  p = std::to_chars(p, buf + sizeof(buf), magnitude).ptr;
  return Value::NumberFromToken(std::string_view(buf, static_cast<size_t>(p - buf)));
}
}  // namespace detail

Result<Value> Parse(std::string_view text, const ParseOptions& options) {
  return ParseAt(text.data(), text.size(), 0, options, 0);
}

Result<Value> ParsePadded(std::string_view text, size_t capacity, const ParseOptions& options) {
  return ParseAt(text.data(), text.size(), capacity, options, 0);
}

Status ParseSequence(std::string_view text, const std::function<bool(Value)>& on_value, const ParseOptions& options) {
  size_t i = 0;
  while (true) {
    while (i < text.size() && IsWs(text[i])) ++i;
    if (i >= text.size()) return {};
    const size_t end = ValueEnd(text, i);
    // Slices inside the text already have readable bytes after them; only a value near the end is copied.
    Result<Value> v = ParseAt(text.data() + i, end - i, text.size() - i, options, i);
    if (!v.ok()) return v.error();
    if (!on_value(std::move(v).value())) return {};
    i = end;
  }
}

}  // namespace sp::json
