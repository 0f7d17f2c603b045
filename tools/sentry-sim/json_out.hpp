#pragma once
// JsonOut: a streaming JSON writer that appends compact text straight into a string. The simulator renders
// every response with it (no intermediate tree) so that a 100-issue page costs microseconds, and webhook bodies
// use its ASCII mode to reproduce Sentry's encoder byte for byte: separators (",", ":"), non-ASCII as lowercase
// \uXXXX with surrogate pairs above U+FFFF (simplejson ensure_ascii=True).
//
// Commas are inserted automatically; the caller is responsible for balanced Begin/End calls.

#include <cstdint>
#include <string>
#include <string_view>

namespace sp::sentry_sim {

class JsonOut {
 public:
  explicit JsonOut(std::string& out, bool ascii = false) : out_(out), ascii_(ascii) {}

  JsonOut& BeginObject();
  JsonOut& EndObject();
  JsonOut& BeginArray();
  JsonOut& EndArray();
  //! Object key; the next call writes its value.
  JsonOut& Key(std::string_view key);
  JsonOut& String(std::string_view s);
  JsonOut& Int(int64_t v);
  JsonOut& Bool(bool b);
  JsonOut& Null();
  //! Pre-rendered JSON text as one value.
  JsonOut& Raw(std::string_view json);
  //! String value or null.
  JsonOut& StringOrNull(const std::string* s) { return s ? String(*s) : Null(); }

  // Shorthands for "key": value.
  JsonOut& KV(std::string_view k, std::string_view v) { return Key(k).String(v); }
  JsonOut& KV(std::string_view k, const char* v) { return Key(k).String(v); }
  JsonOut& KInt(std::string_view k, int64_t v) { return Key(k).Int(v); }
  JsonOut& KBool(std::string_view k, bool v) { return Key(k).Bool(v); }
  JsonOut& KNull(std::string_view k) { return Key(k).Null(); }

 private:
  void Separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (depth_ > 0) {
      uint64_t bit = uint64_t{1} << ((depth_ - 1) & 63);
      if (!(first_ & bit)) out_ += ',';
      first_ &= ~bit;
    }
  }
  void Open(char c) {
    Separate();
    out_ += c;
    ++depth_;
    first_ |= uint64_t{1} << ((depth_ - 1) & 63);
  }

  std::string& out_;
  bool ascii_;
  bool after_key_ = false;
  int depth_ = 0;
  uint64_t first_ = 0;  // bit d-1: the container at depth d has no element yet (deeper than 64 shares bits)
};

//! Appends `s` as a JSON string literal (escaping as Python's json module does; ASCII mode as described above).
void AppendJsonString(std::string& out, std::string_view s, bool ascii);

}  // namespace sp::sentry_sim
