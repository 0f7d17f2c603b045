#include "json/write.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "json/detail/node.hpp"

namespace sp::json {
namespace {

constexpr char HEX[] = "0123456789abcdef";

// 0: copy as is; 1: needs an escape. Bytes >= 0x80 are copied (or decoded in ascii mode).
constexpr auto ESCAPE_TABLE = [] {
  struct Table {
    bool needs[256] = {};
  } t;
  for (int c = 0; c < 0x20; ++c) t.needs[c] = true;
  t.needs[static_cast<unsigned char>('"')] = true;
  t.needs[static_cast<unsigned char>('\\')] = true;
  t.needs[0x7f] = true;
  return t;
}();

void AppendU16(std::string& out, unsigned cp) {
  char buf[6] = {'\\', 'u', HEX[(cp >> 12) & 0xf], HEX[(cp >> 8) & 0xf], HEX[(cp >> 4) & 0xf], HEX[cp & 0xf]};
  out.append(buf, 6);
}

void AppendEscape(std::string& out, unsigned char c) {
  switch (c) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\n': out += "\\n"; break;
    case '\t': out += "\\t"; break;
    case '\r': out += "\\r"; break;
    case '\b': out += "\\b"; break;
    case '\f': out += "\\f"; break;
    default: AppendU16(out, c); break;
  }
}

// Decodes one UTF-8 sequence at s[i]; returns its length, or 0 when malformed.
size_t DecodeUtf8(std::string_view s, size_t i, unsigned& cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  size_t len = 0;
  unsigned min = 0;
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else if (b0 >= 0xe0) {
    len = 3, cp = b0 & 0x0f, min = 0x800;
  } else if (b0 >= 0xc2 && b0 < 0xe0) {
    len = 2, cp = b0 & 0x1f, min = 0x80;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return len;
}

class Writer {
 public:
  Writer(std::string& out, const WriteOptions& options) : out_(out), opt_(options) {}

  void Write(const Value& v, int depth) {
    switch (v.kind()) {
      case Kind::NULL_VALUE: out_ += "null"; return;
      case Kind::FALSE_VALUE: out_ += "false"; return;
      case Kind::TRUE_VALUE: out_ += "true"; return;
      case Kind::NUMBER: {
        std::string_view lit = v.NumberLiteralText();
        if (!lit.empty()) {
          out_ += lit;
        } else {
          AppendDouble(out_, v.AsNumber());
        }
        return;
      }
      case Kind::STRING: WriteString(v.AsString(), out_, opt_.ascii); return;
      case Kind::ARRAY: WriteArray(v, depth); return;
      case Kind::OBJECT: WriteObject(v, depth); return;
    }
  }

 private:
  void Newline(int depth) {
    if (opt_.indent <= 0) return;
    out_.push_back('\n');
    out_.append(static_cast<size_t>(depth) * static_cast<size_t>(opt_.indent), ' ');
  }

  void WriteArray(const Value& v, int depth) {
    std::span<const Value> items = v.Items();
    if (items.empty()) {
      out_ += "[]";
      return;
    }
    out_.push_back('[');
    bool first = true;
    for (const Value& item : items) {
      if (!first) out_.push_back(',');
      first = false;
      Newline(depth + 1);
      Write(item, depth + 1);
    }
    Newline(depth);
    out_.push_back(']');
  }

  void WriteMember(const Member& m, int depth, bool first) {
    if (!first) out_.push_back(',');
    Newline(depth + 1);
    WriteString(m.key.AsString(), out_, opt_.ascii);
    out_ += opt_.indent > 0 ? ": " : ":";
    Write(m.value, depth + 1);
  }

  void WriteObject(const Value& v, int depth) {
    std::span<const Member> members = v.Members();
    if (members.empty()) {
      out_ += "{}";
      return;
    }
    out_.push_back('{');
    if (opt_.sort_keys) {
      std::vector<const Member*> sorted;
      sorted.reserve(members.size());
      for (const Member& m : members) sorted.push_back(&m);
      std::sort(sorted.begin(), sorted.end(),
                [](const Member* a, const Member* b) { return a->key.AsString() < b->key.AsString(); });
      bool first = true;
      for (const Member* m : sorted) {
        WriteMember(*m, depth, first);
        first = false;
      }
    } else {
      bool first = true;
      for (const Member& m : members) {
        WriteMember(m, depth, first);
        first = false;
      }
    }
    Newline(depth);
    out_.push_back('}');
  }

  std::string& out_;
  const WriteOptions& opt_;
};

}  // namespace

// Whether any of the 8 bytes in `x` needs escaping: below 0x20, '"', '\\', 0x7f, or (ascii) 0x80 and above.
// Classic SWAR tests (Hacker's Delight "has less than" / "has zero byte"), exact for each byte.
inline bool NeedsEscape8(uint64_t x, bool ascii) {
  constexpr uint64_t ONES = 0x0101010101010101ull;
  constexpr uint64_t HIGH = 0x8080808080808080ull;
  auto has_zero = [](uint64_t v) { return (v - ONES) & ~v & HIGH; };
  const uint64_t low7 = x & ~HIGH;  // each byte without its top bit, so the tests below cannot borrow across
  uint64_t hit = ((low7 - ONES * 0x20) & ~low7 & HIGH) & ~x;  // < 0x20 (top bit clear)
  hit |= has_zero(x ^ (ONES * '"')) | has_zero(x ^ (ONES * '\\')) | has_zero(x ^ (ONES * 0x7f));
  if (ascii) hit |= x & HIGH;
  return hit != 0;
}

void WriteString(std::string_view s, std::string& out, bool ascii) {
  out.reserve(out.size() + s.size() + 2);
  out.push_back('"');
  size_t run = 0;  // start of the pending run of bytes copied verbatim
  size_t i = 0;
  while (i < s.size()) {
    // Skip 8 clean bytes at a time.
    if (i + 8 <= s.size()) {
      uint64_t x = 0;
      std::memcpy(&x, s.data() + i, 8);
      if (!NeedsEscape8(x, ascii)) {
        i += 8;
        continue;
      }
    }
    const auto c = static_cast<unsigned char>(s[i]);
    if (!ESCAPE_TABLE.needs[c] && (c < 0x80 || !ascii)) {
      ++i;
      continue;
    }
    out.append(s.data() + run, i - run);
    if (c < 0x80) {
      AppendEscape(out, c);
      ++i;
    } else {
      unsigned cp = 0;
      size_t len = DecodeUtf8(s, i, cp);
      if (len == 0) {
        cp = 0xfffd;  // not UTF-8: write the replacement character, as jq does for bad input
        len = 1;
      }
      if (cp >= 0x10000) {
        cp -= 0x10000;
        AppendU16(out, 0xd800 + (cp >> 10));
        AppendU16(out, 0xdc00 + (cp & 0x3ff));
      } else {
        AppendU16(out, cp);
      }
      i += len;
    }
    run = i;
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

void Write(const Value& v, std::string& out, const WriteOptions& options) {
  Writer w(out, options);
  w.Write(v, 0);
}

std::string ToJson(const Value& v, const WriteOptions& options) {
  std::string out;
  Write(v, out, options);
  return out;
}

}  // namespace sp::json
