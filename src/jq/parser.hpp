#pragma once
// jq text -> AST. Precedence follows jq 1.7.1's grammar, lowest first: `|` (right), `,`, `//` (right),
// assignments (non-assoc), `or`, `and`, comparisons (non-assoc), `+ -`, `* / %`, unary minus, postfix.
// Errors come back as ErrorCode::PARSE with line, column, the offending line and a caret.

#include <string_view>

#include "base/result.hpp"
#include "jq/ast.hpp"

namespace sp::jq {

//! A parsed program: top-level definitions (FUNCDEFS) wrapping the main expression.
Result<NodePtr> Parse(std::string_view source);

//! Parses a library of definitions only (`def a: ...; def b: ...;`), for the builtin prelude.
Result<std::vector<std::unique_ptr<FuncDef>>> ParseDefinitions(std::string_view source);

}  // namespace sp::jq
