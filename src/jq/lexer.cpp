#include "jq/lexer.hpp"

#include <array>
#include <cstdint>

namespace sp::jq {
namespace {

bool IsIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool IsIdentChar(char c) {
  return IsIdentStart(c) || (c >= '0' && c <= '9');
}
bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

constexpr std::array<std::string_view, 19> kKeywords = {
    "if",    "then",  "elif",   "else",    "end", "as", "def",     "reduce", "foreach", "try",
    "catch", "label", "import", "include", "and", "or", "__loc__", "module", "break"};

// Longest operators first so that maximal munch works by trying in order.
constexpr std::array<std::string_view, 28> kOps = {
    "?//=", "?//", "//=", "|=", "+=", "-=", "*=", "/=", "%=", "==", "!=", "<=", ">=", "//",
    "..",   "|",   ",",   "=",  "<",  ">",  "+",  "-",  "*",  "/",  "%",  "?",  ":",  ";"};

}  // namespace

bool IsKeyword(std::string_view word) {
  for (auto k : kKeywords) {
    if (k == word) return true;
  }
  return false;
}

void Lexer::SkipSpace() {
  const int n = static_cast<int>(src_.size());
  while (pos_ < n) {
    char c = src_[pos_];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++pos_;
    } else if (c == '#') {
      // jq 1.7: a comment runs to the end of line; a backslash before the newline continues it.
      while (pos_ < n && src_[pos_] != '\n') {
        if (src_[pos_] == '\\' && pos_ + 1 < n) ++pos_;
        ++pos_;
      }
    } else {
      break;
    }
  }
}

Token Lexer::Next() {
  SkipSpace();
  const int n = static_cast<int>(src_.size());
  Token t;
  t.pos = pos_;
  if (pos_ >= n) return t;
  const char c = src_[pos_];
  auto take = [&](Tok kind, int start, int end) {
    t.kind = kind;
    t.text = src_.substr(start, end - start);
    pos_ = end;
    return t;
  };
  if (c == '"') return take(Tok::QUOTE, pos_, pos_ + 1);
  if (c == '.' && pos_ + 1 < n && IsIdentStart(src_[pos_ + 1])) {
    int e = pos_ + 1;
    while (e < n && IsIdentChar(src_[e])) ++e;
    t.kind = Tok::FIELD;
    t.text = src_.substr(pos_ + 1, e - pos_ - 1);
    pos_ = e;
    return t;
  }
  if (IsDigit(c) || (c == '.' && pos_ + 1 < n && IsDigit(src_[pos_ + 1]))) {
    int e = pos_;
    while (e < n && IsDigit(src_[e])) ++e;
    if (e < n && src_[e] == '.') {
      ++e;
      while (e < n && IsDigit(src_[e])) ++e;
    }
    if (e < n && (src_[e] == 'e' || src_[e] == 'E')) {
      int f = e + 1;
      if (f < n && (src_[f] == '+' || src_[f] == '-')) ++f;
      if (f < n && IsDigit(src_[f])) {
        while (f < n && IsDigit(src_[f])) ++f;
        e = f;
      }
    }
    return take(Tok::NUMBER, pos_, e);
  }
  if (IsIdentStart(c)) {
    int e = pos_;
    while (e < n && IsIdentChar(src_[e])) ++e;
    while (e + 2 < n && src_[e] == ':' && src_[e + 1] == ':' && IsIdentStart(src_[e + 2])) {
      e += 2;
      while (e < n && IsIdentChar(src_[e])) ++e;
    }
    std::string_view word = src_.substr(pos_, e - pos_);
    return take(IsKeyword(word) ? Tok::KEYWORD : Tok::IDENT, pos_, e);
  }
  if ((c == '$' || c == '@') && pos_ + 1 < n && IsIdentStart(src_[pos_ + 1])) {
    int e = pos_ + 1;
    while (e < n && IsIdentChar(src_[e])) ++e;
    while (c == '$' && e + 2 < n && src_[e] == ':' && src_[e + 1] == ':' && IsIdentStart(src_[e + 2])) {
      e += 2;
      while (e < n && IsIdentChar(src_[e])) ++e;
    }
    t.kind = c == '$' ? Tok::VAR : Tok::FORMAT;
    t.text = src_.substr(pos_ + 1, e - pos_ - 1);
    pos_ = e;
    return t;
  }
  for (auto op : kOps) {
    if (src_.substr(pos_, op.size()) == op) return take(Tok::OP, pos_, pos_ + static_cast<int>(op.size()));
  }
  if (c == '.' || c == '[' || c == ']' || c == '{' || c == '}' || c == '(' || c == ')' || c == '$') {
    return take(Tok::OP, pos_, pos_ + 1);
  }
  return take(Tok::INVALID, pos_, pos_ + 1);
}

int Lexer::ScanStringPart(std::string& out) {
  const int n = static_cast<int>(src_.size());
  while (pos_ < n) {
    char c = src_[pos_];
    if (c == '"') {
      ++pos_;
      return 0;
    }
    if (c != '\\') {
      out += c;
      ++pos_;
      continue;
    }
    if (pos_ + 1 >= n) break;
    char e = src_[pos_ + 1];
    switch (e) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case '/': out += '/'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case '(': pos_ += 2; return 1;
      case 'u': {
        auto hex4 = [&](int at, uint32_t& v) {
          if (at + 4 > n) return false;
          v = 0;
          for (int i = 0; i < 4; ++i) {
            int d = HexDigit(src_[at + i]);
            if (d < 0) return false;
            v = v * 16 + static_cast<uint32_t>(d);
          }
          return true;
        };
        uint32_t cp = 0;
        if (!hex4(pos_ + 2, cp)) {
          err_pos_ = pos_;
          return -1;
        }
        pos_ += 6;
        if (cp >= 0xD800 && cp < 0xDC00) {
          uint32_t lo = 0;
          if (pos_ + 1 < n && src_[pos_] == '\\' && src_[pos_ + 1] == 'u' && hex4(pos_ + 2, lo) && lo >= 0xDC00 &&
              lo < 0xE000) {
            pos_ += 6;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else {
            cp = 0xFFFD;
          }
        } else if (cp >= 0xDC00 && cp < 0xE000) {
          cp = 0xFFFD;
        }
        AppendUtf8(out, cp);
        continue;
      }
      default: err_pos_ = pos_; return -1;
    }
    pos_ += 2;
  }
  err_pos_ = pos_;
  return -1;
}

void LineColumn(std::string_view src, int pos, int& line, int& column) {
  line = 1;
  int line_start = 0;
  for (int i = 0; i < pos && i < static_cast<int>(src.size()); ++i) {
    if (src[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  column = pos - line_start + 1;
}

std::string FormatCompileError(std::string_view src, int pos, std::string_view message) {
  int line = 0;
  int column = 0;
  LineColumn(src, pos, line, column);
  size_t start = static_cast<size_t>(pos - (column - 1));
  size_t end = src.find('\n', start);
  if (end == std::string_view::npos) end = src.size();
  std::string out = "line " + std::to_string(line) + ", column " + std::to_string(column) + ": ";
  out += message;
  out += '\n';
  out += src.substr(start, end - start);
  out += '\n';
  out.append(static_cast<size_t>(column - 1), ' ');
  out += '^';
  return out;
}

}  // namespace sp::jq
