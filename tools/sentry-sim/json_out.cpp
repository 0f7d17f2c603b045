#include "json_out.hpp"

#include <charconv>
#include <cstring>

namespace sp::sentry_sim {

namespace {

const char* HEX = "0123456789abcdef";

// Bytes that leave the plain-copy path: control characters, quote, backslash, DEL, and in ASCII mode every
// byte of a multi-byte sequence.
struct EscapeTables {
  bool utf8[256] = {};
  bool ascii[256] = {};
  EscapeTables() {
    for (int c = 0; c < 256; ++c) {
      bool special = c < 0x20 || c == '"' || c == '\\' || c == 0x7F;
      utf8[c] = special;
      ascii[c] = special || c >= 0x80;
    }
  }
};
const EscapeTables ESCAPE_TABLES;

void AppendU(std::string& out, uint32_t cp) {
  out += "\\u";
  out += HEX[(cp >> 12) & 15];
  out += HEX[(cp >> 8) & 15];
  out += HEX[(cp >> 4) & 15];
  out += HEX[cp & 15];
}

// Decodes one UTF-8 sequence at s[i]; on malformed input returns U+FFFD and advances one byte, mirroring a
// lenient decoder (the generator never produces invalid UTF-8; this only keeps the writer total).
uint32_t DecodeUtf8(std::string_view s, size_t& i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  if (len == 1 || i + static_cast<size_t>(len) > s.size()) {
    ++i;
    return 0xFFFD;
  }
  uint32_t cp = c & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    unsigned char cc = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
    if ((cc & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  i += static_cast<size_t>(len);
  return cp;
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view s, bool ascii) {
  const bool* escape = ascii ? ESCAPE_TABLES.ascii : ESCAPE_TABLES.utf8;
  size_t run = 0;
  while (run < s.size() && !escape[static_cast<unsigned char>(s[run])]) ++run;
  if (run == s.size()) {
    // The hot path of every response: nothing to escape, one resize and one copy.
    size_t at = out.size();
    out.resize(at + s.size() + 2);
    char* p = out.data() + at;
    *p = '"';
    if (!s.empty()) std::memcpy(p + 1, s.data(), s.size());
    p[s.size() + 1] = '"';
    return;
  }
  out += '"';
  size_t i = 0;
  while (i < s.size()) {
    // Copy the run of bytes that need no escaping in one append.
    run = i;
    while (run < s.size() && !escape[static_cast<unsigned char>(s[run])]) ++run;
    if (run > i) {
      out.append(s.data() + i, run - i);
      i = run;
      if (i == s.size()) break;
    }
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      if (!ascii) {
        out += static_cast<char>(c);
        ++i;
        continue;
      }
      uint32_t cp = DecodeUtf8(s, i);
      if (cp >= 0x10000) {
        cp -= 0x10000;
        AppendU(out, 0xD800 + (cp >> 10));
        AppendU(out, 0xDC00 + (cp & 0x3FF));
      } else {
        AppendU(out, cp);
      }
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20 || (ascii && c == 0x7F)) {
          AppendU(out, c);
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  out += '"';
}

JsonOut& JsonOut::BeginObject() {
  Open('{');
  return *this;
}

JsonOut& JsonOut::EndObject() {
  out_ += '}';
  --depth_;
  return *this;
}

JsonOut& JsonOut::BeginArray() {
  Open('[');
  return *this;
}

JsonOut& JsonOut::EndArray() {
  out_ += ']';
  --depth_;
  return *this;
}

JsonOut& JsonOut::Key(std::string_view key) {
  Separate();
  AppendJsonString(out_, key, ascii_);
  out_ += ':';
  after_key_ = true;
  return *this;
}

JsonOut& JsonOut::String(std::string_view s) {
  Separate();
  AppendJsonString(out_, s, ascii_);
  return *this;
}

JsonOut& JsonOut::Int(int64_t v) {
  Separate();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, r.ptr);
  return *this;
}

JsonOut& JsonOut::Bool(bool b) {
  Separate();
  out_ += b ? "true" : "false";
  return *this;
}

JsonOut& JsonOut::Null() {
  Separate();
  out_ += "null";
  return *this;
}

JsonOut& JsonOut::Raw(std::string_view json) {
  Separate();
  out_ += json;
  return *this;
}

}  // namespace sp::sentry_sim
