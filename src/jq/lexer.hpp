#pragma once
// The jq lexer: turns program text into tokens on demand. Strings are not tokenized here as a whole because
// interpolations nest whole expressions: the parser drives ScanStringPart() after an opening quote.
// Positions are byte offsets into the source; LineColumn() turns them into 1-based line and column.

#include <string>
#include <string_view>

namespace sp::jq {

enum class Tok : unsigned char {
  END,
  IDENT,    // foo, foo::bar
  KEYWORD,  // if then elif else end as def reduce foreach try catch label import include and or not? __loc__
  FIELD,    // .foo (text = foo)
  VAR,      // $foo (text = foo)
  FORMAT,   // @base64 (text = base64)
  NUMBER,
  QUOTE,  // opening "
  OP,     // punctuation / operators (text)
  INVALID,
};

struct Token {
  Tok kind = Tok::END;
  std::string_view text;
  int pos = 0;
};

class Lexer {
 public:
  explicit Lexer(std::string_view src) : src_(src) {}
  //! Next token, skipping whitespace and comments.
  Token Next();
  //! Inside a string literal: appends decoded text up to the closing quote (returns 0) or an interpolation
  //! start `\(` (returns 1). Returns -1 on an invalid escape or unterminated string (err_pos set).
  int ScanStringPart(std::string& out);
  int pos() const { return pos_; }
  void set_pos(int p) { pos_ = p; }
  int err_pos() const { return err_pos_; }
  std::string_view source() const { return src_; }

 private:
  void SkipSpace();
  std::string_view src_;
  int pos_ = 0;
  int err_pos_ = 0;
};

//! 1-based line and column of byte offset `pos`.
void LineColumn(std::string_view src, int pos, int& line, int& column);
//! "line L, column C: message\n<line text>\n<caret>" for compile errors.
std::string FormatCompileError(std::string_view src, int pos, std::string_view message);

bool IsKeyword(std::string_view word);

}  // namespace sp::jq
