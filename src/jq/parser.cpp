#include "jq/parser.hpp"

#include <cstdlib>
#include <string>

#include "jq/lexer.hpp"

namespace sp::jq {
namespace {

struct SyntaxError {
  int pos;
  std::string message;
};

class Parser {
 public:
  explicit Parser(std::string_view src) : lex_(src) { Advance(); }

  NodePtr ParseProgram() {
    RejectModuleDirectives();
    NodePtr body = ParsePipe();
    if (cur_.kind != Tok::END) Unexpected("expecting end of program");
    return body;
  }

  std::vector<std::unique_ptr<FuncDef>> ParseLibrary() {
    std::vector<std::unique_ptr<FuncDef>> defs;
    while (IsKw("def")) defs.push_back(ParseDef());
    if (cur_.kind != Tok::END) Unexpected("expecting def");
    return defs;
  }

 private:
  // ---- token helpers ----
  void Advance() { cur_ = lex_.Next(); }
  bool IsOp(std::string_view op) const { return cur_.kind == Tok::OP && cur_.text == op; }
  bool IsKw(std::string_view kw) const { return cur_.kind == Tok::KEYWORD && cur_.text == kw; }
  [[noreturn]] void Fail(int pos, std::string message) { throw SyntaxError{pos, std::move(message)}; }
  [[noreturn]] void Unexpected(std::string_view expecting = {}) {
    std::string msg = "syntax error, unexpected ";
    if (cur_.kind == Tok::END) {
      msg += "end of program";
    } else if (cur_.kind == Tok::INVALID) {
      msg += "INVALID_CHARACTER '" + std::string(cur_.text) + "'";
    } else if (cur_.kind == Tok::QUOTE) {
      msg += "string";
    } else if (cur_.kind == Tok::VAR) {
      msg += "'$" + std::string(cur_.text) + "'";
    } else if (cur_.kind == Tok::FIELD) {
      msg += "'." + std::string(cur_.text) + "'";
    } else {
      msg += "'" + std::string(cur_.text) + "'";
    }
    if (!expecting.empty()) {
      msg += ", ";
      msg += expecting;
    }
    Fail(cur_.pos, msg);
  }
  void ExpectOp(std::string_view op) {
    if (!IsOp(op)) Unexpected("expecting '" + std::string(op) + "'");
    Advance();
  }
  void ExpectKw(std::string_view kw) {
    if (!IsKw(kw)) Unexpected("expecting '" + std::string(kw) + "'");
    Advance();
  }
  NodePtr Make(NodeKind kind, int pos) { return std::make_unique<Node>(kind, pos); }
  NodePtr Make2(NodeKind kind, int pos, NodePtr a, NodePtr b) {
    auto n = Make(kind, pos);
    n->kids.push_back(std::move(a));
    n->kids.push_back(std::move(b));
    return n;
  }

  void RejectModuleDirectives() {
    if (IsKw("module") || IsKw("import") || IsKw("include")) {
      Fail(cur_.pos, std::string(cur_.text) + " directives are not supported (no module system)");
    }
  }

  // ---- expressions, lowest precedence first ----
  NodePtr ParsePipe() {
    if (IsKw("def")) {
      int pos = cur_.pos;
      auto n = Make(NodeKind::FUNCDEFS, pos);
      while (IsKw("def")) n->defs.push_back(ParseDef());
      n->kids.push_back(ParsePipe());
      return n;
    }
    NodePtr lhs = ParseComma();
    if (IsOp("|")) {
      int pos = cur_.pos;
      Advance();
      return Make2(NodeKind::PIPE, pos, std::move(lhs), ParsePipe());
    }
    return lhs;
  }

  NodePtr ParseComma() {
    NodePtr lhs = ParseAlt();
    while (IsOp(",")) {
      int pos = cur_.pos;
      Advance();
      lhs = Make2(NodeKind::COMMA, pos, std::move(lhs), ParseAlt());
    }
    return lhs;
  }

  NodePtr ParseAlt() {
    NodePtr lhs = ParseAssign();
    if (IsOp("//")) {
      int pos = cur_.pos;
      Advance();
      return Make2(NodeKind::ALT, pos, std::move(lhs), ParseAlt());
    }
    return lhs;
  }

  NodePtr ParseAssign() {
    NodePtr lhs = ParseOr();
    static constexpr std::pair<std::string_view, AssignOp> kAssign[] = {
        {"=", AssignOp::SET},  {"|=", AssignOp::UPDATE}, {"+=", AssignOp::ADD}, {"-=", AssignOp::SUB},
        {"*=", AssignOp::MUL}, {"/=", AssignOp::DIV},    {"%=", AssignOp::MOD}, {"//=", AssignOp::ALT}};
    if (cur_.kind != Tok::OP) return lhs;
    for (const auto& [text, op] : kAssign) {
      if (cur_.text == text) {
        int pos = cur_.pos;
        Advance();
        // jq's `//` binds looser than assignment: `.a = .b // 1` is `(.a = .b) // 1`.
        auto n = Make2(NodeKind::ASSIGN, pos, std::move(lhs), ParseOr());
        n->assign_op = op;
        return n;
      }
    }
    return lhs;
  }

  NodePtr ParseOr() {
    NodePtr lhs = ParseAnd();
    while (IsKw("or")) {
      int pos = cur_.pos;
      Advance();
      lhs = Make2(NodeKind::OR, pos, std::move(lhs), ParseAnd());
    }
    return lhs;
  }

  NodePtr ParseAnd() {
    NodePtr lhs = ParseCompare();
    while (IsKw("and")) {
      int pos = cur_.pos;
      Advance();
      lhs = Make2(NodeKind::AND, pos, std::move(lhs), ParseCompare());
    }
    return lhs;
  }

  bool CompareOp(BinOp& op) const {
    if (cur_.kind != Tok::OP) return false;
    if (cur_.text == "==")
      op = BinOp::EQ;
    else if (cur_.text == "!=")
      op = BinOp::NE;
    else if (cur_.text == "<")
      op = BinOp::LT;
    else if (cur_.text == "<=")
      op = BinOp::LE;
    else if (cur_.text == ">")
      op = BinOp::GT;
    else if (cur_.text == ">=")
      op = BinOp::GE;
    else
      return false;
    return true;
  }

  NodePtr ParseCompare() {
    NodePtr lhs = ParseAdditive();
    BinOp op{};
    if (CompareOp(op)) {
      int pos = cur_.pos;
      Advance();
      auto n = Make2(NodeKind::BINOP, pos, std::move(lhs), ParseAdditive());
      n->op = op;
      if (CompareOp(op)) Unexpected();
      return n;
    }
    return lhs;
  }

  NodePtr ParseAdditive() {
    NodePtr lhs = ParseMultiplicative();
    while (IsOp("+") || IsOp("-")) {
      int pos = cur_.pos;
      BinOp op = cur_.text == "+" ? BinOp::ADD : BinOp::SUB;
      Advance();
      lhs = Make2(NodeKind::BINOP, pos, std::move(lhs), ParseMultiplicative());
      lhs->op = op;
    }
    return lhs;
  }

  NodePtr ParseMultiplicative() {
    NodePtr lhs = ParseUnary();
    while (IsOp("*") || IsOp("/") || IsOp("%")) {
      int pos = cur_.pos;
      BinOp op = cur_.text == "*" ? BinOp::MUL : cur_.text == "/" ? BinOp::DIV : BinOp::MOD;
      Advance();
      lhs = Make2(NodeKind::BINOP, pos, std::move(lhs), ParseUnary());
      lhs->op = op;
    }
    return lhs;
  }

  NodePtr ParseUnary() {
    if (IsOp("-")) {
      int pos = cur_.pos;
      Advance();
      auto n = Make(NodeKind::NEG, pos);
      n->kids.push_back(ParseUnary());
      return n;
    }
    return ParsePostfix(true);
  }

  // ---- postfix: suffixes, `?`, and `Term as $x | body` ----
  // `?` right after an access suffix (`.a?`, `.a[]?`, `.[e]?`, `.[e:f]?`) makes only that access optional, as
  // in jq's grammar (`Term FIELD '?'`): errors of the term before it still propagate. After anything else
  // (`(.a)?`, `f?`, `.a??`) it is `try` around the whole term.
  NodePtr ParsePostfix(bool allow_as) {
    const bool parenthesized = IsOp("(");
    NodePtr term = ParsePrimary();
    bool access_suffix = !parenthesized && (term->kind == NodeKind::FIELD || term->kind == NodeKind::INDEX);
    for (;;) {
      if (cur_.kind == Tok::FIELD) {
        auto n = Make(NodeKind::FIELD, cur_.pos);
        n->value = json::Value::String(cur_.text);
        n->kids.push_back(std::move(term));
        Advance();
        term = std::move(n);
        access_suffix = true;
      } else if (IsOp(".")) {
        int pos = cur_.pos;
        Advance();
        if (cur_.kind == Tok::QUOTE) {
          auto key = ParseString(pos, "");
          term = MakeIndex(pos, std::move(term), std::move(key));
        } else if (IsOp("[")) {
          term = ParseBracketSuffix(std::move(term));
        } else {
          Unexpected();
        }
        access_suffix = true;
      } else if (IsOp("[")) {
        term = ParseBracketSuffix(std::move(term));
        access_suffix = true;
      } else if (IsOp("?")) {
        int pos = cur_.pos;
        Advance();
        if (access_suffix) {
          term->optional = true;
        } else {
          auto n = Make(NodeKind::TRY, pos);
          n->kids.push_back(std::move(term));
          n->kids.push_back(nullptr);
          term = std::move(n);
        }
        access_suffix = false;
      } else if (allow_as && IsKw("as")) {
        int pos = cur_.pos;
        Advance();
        auto n = Make(NodeKind::AS, pos);
        ParsePatterns(*n);
        ExpectOp("|");
        n->kids.push_back(std::move(term));
        n->kids.push_back(ParsePipe());
        return n;
      } else {
        return term;
      }
    }
  }

  NodePtr MakeIndex(int pos, NodePtr term, NodePtr key) {
    if (key->kind == NodeKind::LITERAL && key->value.IsString()) {
      auto n = Make(NodeKind::FIELD, pos);
      n->value = key->value;
      n->kids.push_back(std::move(term));
      return n;
    }
    return Make2(NodeKind::INDEX, pos, std::move(term), std::move(key));
  }

  // After `[`: `[]`, `[e]`, `[e:]`, `[:e]`, `[e:e]`.
  NodePtr ParseBracketSuffix(NodePtr term) {
    int pos = cur_.pos;
    ExpectOp("[");
    if (IsOp("]")) {
      Advance();
      auto n = Make(NodeKind::ITERATE, pos);
      n->kids.push_back(std::move(term));
      return n;
    }
    NodePtr from;
    if (!IsOp(":")) from = ParsePipe();
    if (IsOp(":")) {
      Advance();
      NodePtr to;
      if (!IsOp("]")) to = ParsePipe();
      ExpectOp("]");
      if (!from && !to) Fail(pos, "syntax error: a slice needs at least one bound");
      auto n = Make(NodeKind::SLICE, pos);
      n->kids.push_back(std::move(term));
      n->kids.push_back(std::move(from));
      n->kids.push_back(std::move(to));
      return n;
    }
    ExpectOp("]");
    return Make2(NodeKind::INDEX, pos, std::move(term), std::move(from));
  }

  NodePtr ParsePrimary() {
    const int pos = cur_.pos;
    switch (cur_.kind) {
      case Tok::NUMBER: {
        auto n = Make(NodeKind::LITERAL, pos);
        n->value = NumberLiteral(cur_.text);
        Advance();
        return n;
      }
      case Tok::QUOTE: return ParseString(pos, "");
      case Tok::FORMAT: {
        std::string fmt(cur_.text);
        Advance();
        if (cur_.kind == Tok::QUOTE) return ParseString(pos, fmt);
        auto n = Make(NodeKind::FORMAT, pos);
        n->name = fmt;
        return n;
      }
      case Tok::FIELD: {
        auto n = Make(NodeKind::FIELD, pos);
        n->value = json::Value::String(cur_.text);
        n->kids.push_back(Make(NodeKind::IDENTITY, pos));
        Advance();
        return n;
      }
      case Tok::VAR: {
        if (cur_.text == "__loc__") {
          auto n = Make(NodeKind::LOC, pos);
          int line = 0;
          int column = 0;
          LineColumn(lex_.source(), pos, line, column);
          n->value = json::Value::Object();
          n->value.Set("file", json::Value::String("<top-level>"));
          n->value.Set("line", json::Value::Number(line));
          Advance();
          return n;
        }
        auto n = Make(NodeKind::VAR, pos);
        n->name = cur_.text;
        Advance();
        return n;
      }
      case Tok::IDENT: return ParseCall();
      case Tok::KEYWORD: return ParseKeywordTerm();
      case Tok::OP: break;
      default: Unexpected();
    }
    if (IsOp(".")) {
      Advance();
      auto n = Make(NodeKind::IDENTITY, pos);
      if (cur_.kind == Tok::QUOTE && cur_.pos == pos + 1) {
        auto key = ParseString(cur_.pos, "");
        return MakeIndex(pos, std::move(n), std::move(key));
      }
      return n;
    }
    if (IsOp("..")) {
      Advance();
      return Make(NodeKind::RECURSE, pos);
    }
    if (IsOp("(")) {
      Advance();
      NodePtr e = ParsePipe();
      ExpectOp(")");
      return e;
    }
    if (IsOp("[")) {
      Advance();
      auto n = Make(NodeKind::ARRAY, pos);
      if (!IsOp("]")) n->kids.push_back(ParsePipe());
      ExpectOp("]");
      return n;
    }
    if (IsOp("{")) return ParseObject();
    if (IsOp("-")) return ParseUnary();
    Unexpected();
  }

  NodePtr ParseCall() {
    if (cur_.text == "null" || cur_.text == "true" || cur_.text == "false") {
      auto lit = Make(NodeKind::LITERAL, cur_.pos);
      lit->value = cur_.text == "null" ? json::Value() : json::Value::Bool(cur_.text == "true");
      Advance();
      return lit;
    }
    auto n = Make(NodeKind::CALL, cur_.pos);
    n->name = cur_.text;
    Advance();
    if (IsOp("(")) {
      Advance();
      n->kids.push_back(ParsePipe());
      while (IsOp(";")) {
        Advance();
        n->kids.push_back(ParsePipe());
      }
      ExpectOp(")");
    }
    return n;
  }

  NodePtr ParseKeywordTerm() {
    const int pos = cur_.pos;
    if (IsKw("if")) {
      Advance();
      auto n = Make(NodeKind::IF, pos);
      n->kids.push_back(ParsePipe());
      ExpectKw("then");
      n->kids.push_back(ParsePipe());
      while (IsKw("elif")) {
        Advance();
        n->kids.push_back(ParsePipe());
        ExpectKw("then");
        n->kids.push_back(ParsePipe());
      }
      if (IsKw("else")) {
        Advance();
        n->kids.push_back(ParsePipe());
      } else {
        n->kids.push_back(nullptr);
      }
      ExpectKw("end");
      return n;
    }
    if (IsKw("try")) {
      Advance();
      auto n = Make(NodeKind::TRY, pos);
      n->kids.push_back(ParsePostBody());
      if (IsKw("catch")) {
        Advance();
        n->kids.push_back(ParsePostBody());
      } else {
        n->kids.push_back(nullptr);
      }
      return n;
    }
    if (IsKw("reduce") || IsKw("foreach")) {
      bool is_reduce = IsKw("reduce");
      Advance();
      auto n = Make(is_reduce ? NodeKind::REDUCE : NodeKind::FOREACH, pos);
      n->kids.push_back(ParsePostfix(false));
      ExpectKw("as");
      ParsePatterns(*n);
      ExpectOp("(");
      n->kids.push_back(ParsePipe());
      ExpectOp(";");
      n->kids.push_back(ParsePipe());
      if (!is_reduce) {
        if (IsOp(";")) {
          Advance();
          n->kids.push_back(ParsePipe());
        } else {
          n->kids.push_back(nullptr);
        }
      }
      ExpectOp(")");
      return n;
    }
    if (IsKw("label")) {
      Advance();
      if (cur_.kind != Tok::VAR) Unexpected("expecting '$'");
      auto n = Make(NodeKind::LABEL, pos);
      n->name = cur_.text;
      Advance();
      ExpectOp("|");
      n->kids.push_back(ParsePipe());
      return n;
    }
    if (IsKw("break")) {
      Advance();
      if (cur_.kind != Tok::VAR) Unexpected("expecting '$'");
      auto n = Make(NodeKind::BREAK, pos);
      n->name = cur_.text;
      Advance();
      return n;
    }
    if (IsKw("def")) {
      auto n = Make(NodeKind::FUNCDEFS, pos);
      while (IsKw("def")) n->defs.push_back(ParseDef());
      n->kids.push_back(ParsePipe());
      return n;
    }
    if (IsKw("import") || IsKw("include") || IsKw("module")) RejectModuleDirectives();
    Unexpected();
  }

  // The operand of `try`/`catch`: a postfix term (jq gives them the highest precedence).
  NodePtr ParsePostBody() {
    if (IsOp("-")) return ParseUnary();
    return ParsePostfix(false);
  }

  std::unique_ptr<FuncDef> ParseDef() {
    auto def = std::make_unique<FuncDef>();
    def->pos = cur_.pos;
    ExpectKw("def");
    if (cur_.kind != Tok::IDENT && cur_.kind != Tok::KEYWORD) Unexpected("expecting a function name");
    def->name = cur_.text;
    Advance();
    if (IsOp("(")) {
      Advance();
      for (;;) {
        if (cur_.kind == Tok::VAR) {
          def->params.push_back("$" + std::string(cur_.text));
        } else if (cur_.kind == Tok::IDENT || cur_.kind == Tok::KEYWORD) {
          def->params.push_back(std::string(cur_.text));
        } else {
          Unexpected("expecting a parameter name");
        }
        Advance();
        if (IsOp(";")) {
          Advance();
          continue;
        }
        ExpectOp(")");
        break;
      }
    }
    ExpectOp(":");
    def->body = ParsePipe();
    ExpectOp(";");
    return def;
  }

  // ---- strings ----
  NodePtr ParseString(int pos, const std::string& format) {
    // cur_ is the opening quote; the lexer stands right after it.
    auto n = Make(NodeKind::STRING, pos);
    n->name = format.empty() ? "text" : format;
    std::string text;
    for (;;) {
      int r = lex_.ScanStringPart(text);
      if (r < 0) Fail(lex_.err_pos(), "invalid escape or unterminated string");
      if (!text.empty() || (r == 0 && n->kids.empty())) {
        auto lit = Make(NodeKind::LITERAL, pos);
        lit->value = json::Value::String(std::move(text));
        n->kids.push_back(std::move(lit));
        text.clear();
      }
      if (r == 0) break;
      Advance();
      n->kids.push_back(ParsePipe());
      if (!IsOp(")")) Unexpected("expecting ')' to close the interpolation");
      // The lexer already stands right after ')': continue scanning the string there.
    }
    Advance();
    // A plain string is just its text; `"\(10)"` is also one literal part but must still become "10".
    if (format.empty() && n->kids.size() == 1 && n->kids[0]->kind == NodeKind::LITERAL &&
        n->kids[0]->value.IsString()) {
      return std::move(n->kids[0]);
    }
    return n;
  }

  static json::Value NumberLiteral(std::string_view text) {
    std::string token(text);
    if (token[0] == '.') token.insert(token.begin(), '0');
    size_t dot = token.find('.');
    if (dot != std::string::npos && (dot + 1 == token.size() || token[dot + 1] < '0' || token[dot + 1] > '9')) {
      token.insert(dot + 1, "0");
    }
    json::Value v = json::Value::NumberFromToken(token);
    if (!v.IsNumber()) v = json::Value::Number(std::strtod(token.c_str(), nullptr));
    return v;
  }

  // ---- objects ----
  NodePtr ParseObject() {
    auto n = Make(NodeKind::OBJECT, cur_.pos);
    ExpectOp("{");
    while (!IsOp("}")) {
      ObjectEntry e;
      const int pos = cur_.pos;
      if (cur_.kind == Tok::VAR) {
        // `$name` alone is {name: $name}; `$name: v` uses the variable's value as the key.
        std::string name(cur_.text);
        Advance();
        if (IsOp(":") && name != "__loc__") {
          e.key = Make(NodeKind::VAR, pos);
          e.key->name = name;
          Advance();
          e.value = ParseObjectValue();
          n->entries.push_back(std::move(e));
          if (IsOp(",")) {
            Advance();
            continue;
          }
          if (!IsOp("}")) Unexpected("expecting ',' or '}'");
          continue;
        }
        auto key = Make(NodeKind::LITERAL, pos);
        key->value = json::Value::String(name);
        NodePtr value;
        if (name == "__loc__") {
          value = Make(NodeKind::LOC, pos);
          int line = 0;
          int column = 0;
          LineColumn(lex_.source(), pos, line, column);
          value->value = json::Value::Object();
          value->value.Set("file", json::Value::String("<top-level>"));
          value->value.Set("line", json::Value::Number(line));
        } else {
          value = Make(NodeKind::VAR, pos);
          value->name = name;
        }
        e.key = std::move(key);
        e.value = std::move(value);
      } else if (cur_.kind == Tok::IDENT || cur_.kind == Tok::KEYWORD) {
        e.key = Make(NodeKind::LITERAL, pos);
        e.key->value = json::Value::String(cur_.text);
        Advance();
      } else if (cur_.kind == Tok::QUOTE) {
        e.key = ParseString(pos, "");
      } else if (cur_.kind == Tok::FORMAT) {
        std::string fmt(cur_.text);
        Advance();
        if (cur_.kind != Tok::QUOTE) Unexpected("expecting a string after the format");
        e.key = ParseString(pos, fmt);
      } else if (cur_.kind == Tok::NUMBER) {
        Fail(pos, "Cannot use number (" + std::string(cur_.text) + ") as object key");
      } else if (IsOp("(")) {
        Advance();
        e.key = ParsePipe();
        ExpectOp(")");
        if (e.key->kind == NodeKind::LITERAL && !e.key->value.IsString()) {
          std::string shown(
              lex_.source().substr(static_cast<size_t>(pos) + 1, static_cast<size_t>(lex_.pos() - pos) - 2));
          Fail(pos,
               std::string("Cannot use ") + e.key->value.TypeName() + " (" + TrimParens(shown) + ") as object key");
        }
        if (!IsOp(":")) Unexpected("expecting ':'");
      } else {
        Unexpected("expecting an object key");
      }
      if (IsOp(":")) {
        if (e.value) Unexpected();
        Advance();
        e.value = ParseObjectValue();
      }
      n->entries.push_back(std::move(e));
      if (IsOp(",")) {
        Advance();
        continue;
      }
      if (!IsOp("}")) Unexpected("expecting ',' or '}'");
    }
    Advance();
    return n;
  }

  static std::string TrimParens(std::string s) {
    while (!s.empty() && (s.back() == ')' || s.back() == ' ')) s.pop_back();
    return s;
  }

  // An object member value is jq 1.7.1's `ExpD`: a term, `-` before one, or such values joined by `|`. Anything
  // else (`{a: 1 + 2}`, `{a: T as $x | ...}`, `{a: reduce ...}`, `{a: if ...}`) is a syntax error in jq, so a
  // mapping written that way would fail in Port: reject it here too (parenthesize to use a full expression).
  NodePtr ParseObjectValue() {
    NodePtr lhs = ParseObjectValueTerm();
    if (IsOp("|")) {
      int pos = cur_.pos;
      Advance();
      return Make2(NodeKind::PIPE, pos, std::move(lhs), ParseObjectValue());
    }
    if (cur_.kind != Tok::END && !IsOp(",") && !IsOp("}")) {
      Unexpected("expecting '}' (an object value is a term or terms joined by '|': parenthesize the expression)");
    }
    return lhs;
  }

  NodePtr ParseObjectValueTerm() {
    if (IsOp("-")) {
      int pos = cur_.pos;
      Advance();
      auto n = Make(NodeKind::NEG, pos);
      n->kids.push_back(ParseObjectValueTerm());
      return n;
    }
    if (cur_.kind == Tok::KEYWORD && !IsKw("break")) {
      Unexpected("an object value is a term or terms joined by '|': parenthesize the expression");
    }
    return ParsePostfix(false);
  }

  // ---- destructuring patterns ----
  void ParsePatterns(Node& n) {
    n.patterns.push_back(ParsePattern());
    while (IsOp("?//")) {
      Advance();
      n.patterns.push_back(ParsePattern());
    }
  }

  std::unique_ptr<Pattern> ParsePattern() {
    auto p = std::make_unique<Pattern>();
    if (cur_.kind == Tok::VAR) {
      p->kind = Pattern::Kind::VAR;
      p->name = cur_.text;
      Advance();
      return p;
    }
    if (IsOp("[")) {
      Advance();
      p->kind = Pattern::Kind::ARRAY;
      if (IsOp("]")) Unexpected("expecting '$' or '[' or '{'");
      p->items.push_back(ParsePattern());
      while (IsOp(",")) {
        Advance();
        p->items.push_back(ParsePattern());
      }
      ExpectOp("]");
      return p;
    }
    if (IsOp("{")) {
      Advance();
      p->kind = Pattern::Kind::OBJECT;
      if (IsOp("}")) Unexpected();
      for (;;) {
        Pattern::Entry e;
        const int pos = cur_.pos;
        if (cur_.kind == Tok::VAR) {
          e.var = cur_.text;
          Advance();
        } else if (cur_.kind == Tok::IDENT || cur_.kind == Tok::KEYWORD) {
          e.key = Make(NodeKind::LITERAL, pos);
          e.key->value = json::Value::String(cur_.text);
          Advance();
        } else if (cur_.kind == Tok::QUOTE) {
          e.key = ParseString(pos, "");
        } else if (IsOp("(")) {
          Advance();
          e.key = ParsePipe();
          ExpectOp(")");
        } else {
          Unexpected("expecting an object pattern key");
        }
        if (IsOp(":")) {
          Advance();
          e.value = ParsePattern();
        } else if (e.var.empty()) {
          Unexpected("expecting ':'");
        }
        p->entries.push_back(std::move(e));
        if (IsOp(",")) {
          Advance();
          continue;
        }
        ExpectOp("}");
        break;
      }
      return p;
    }
    Unexpected("expecting '$' or '[' or '{'");
  }

  Lexer lex_;
  Token cur_;
};

}  // namespace

Result<NodePtr> Parse(std::string_view source) {
  try {
    Parser p(source);
    return p.ParseProgram();
  } catch (const SyntaxError& e) {
    return Error(ErrorCode::PARSE, FormatCompileError(source, e.pos, e.message));
  }
}

Result<std::vector<std::unique_ptr<FuncDef>>> ParseDefinitions(std::string_view source) {
  try {
    Parser p(source);
    return p.ParseLibrary();
  } catch (const SyntaxError& e) {
    return Error(ErrorCode::PARSE, FormatCompileError(source, e.pos, e.message));
  }
}

}  // namespace sp::jq
