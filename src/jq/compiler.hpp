#pragma once
// Name resolution: binds every variable, call and label of a parsed program to where its value lives at run
// time (an env entry a fixed number of hops up, a global function, a native, an intrinsic), so evaluation
// never looks a name up. The builtin library (prelude + natives) is resolved once per process.

#include <string>
#include <unordered_map>
#include <vector>

#include "base/result.hpp"
#include "jq/ast.hpp"

namespace sp::jq {

struct Library {
  std::vector<std::unique_ptr<FuncDef>> defs;                     // prelude definitions, resolved
  std::unordered_map<std::string, const FuncDef*> by_name;        // "name/arity" -> last definition
  std::unordered_map<std::string, const NativeBuiltin*> natives;  // "name/arity"
};

//! The process-wide builtin library (built on first use, immutable afterwards).
const Library& BuiltinLibrary();

//! Resolves `root` against the library and the given global variable names (index = position).
Status Resolve(Node* root, std::string_view source, const Library* lib, const std::vector<std::string>& globals);

}  // namespace sp::jq
