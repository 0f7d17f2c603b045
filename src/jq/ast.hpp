#pragma once
// The jq abstract syntax tree. The parser builds it; the resolver (compiler.cpp) fills the binding fields
// (variable slots, call targets) so that evaluation never looks a name up. After resolution a tree is
// immutable and shared by every run of its Program.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "json/value.hpp"

namespace sp::jq {

struct Node;
struct FuncDef;
struct NativeBuiltin;
using NodePtr = std::unique_ptr<Node>;

enum class NodeKind : uint8_t {
  IDENTITY,  // .
  RECURSE,   // ..
  FIELD,     // kids[0] (or null: .) then .name  -- value holds the key string
  INDEX,     // kids[0][kids[1]]
  SLICE,     // kids[0][kids[1]:kids[2]] (kids[1]/kids[2] may be null)
  ITERATE,   // kids[0][]
  LITERAL,   // value
  STRING,    // interpolated string: parts in kids (LITERAL string parts and expressions), name = format
  FORMAT,    // @name applied to .
  ARRAY,     // [kids[0]] or [] when no kid
  OBJECT,    // entries
  NEG,       // -kids[0]
  PIPE,      // kids[0] | kids[1]
  COMMA,     // kids[0], kids[1]
  ALT,       // kids[0] // kids[1]
  AND,
  OR,
  BINOP,     // kids[0] op kids[1]
  ASSIGN,    // kids[0] op= kids[1]
  IF,        // kids: cond, then, [cond, then]..., else (may be null)
  TRY,       // kids[0] body, kids[1] catch (null: none)
  REDUCE,    // kids: source, init, update; patterns
  FOREACH,   // kids: source, init, update, extract (may be null); patterns
  LABEL,     // name, kids[0] body
  BREAK,     // name
  FUNCDEFS,  // defs then kids[0] body
  CALL,      // name, kids = args
  VAR,       // name
  AS,        // kids[0] source, kids[1] body; patterns (several: ?// alternatives)
  LOC,       // $__loc__ (value holds the object)
};

enum class BinOp : uint8_t { ADD, SUB, MUL, DIV, MOD, EQ, NE, LT, LE, GT, GE };
enum class AssignOp : uint8_t { SET, UPDATE, ADD, SUB, MUL, DIV, MOD, ALT };

// A destructuring pattern: $name, [p, ...] or {key: p, ...}.
struct Pattern {
  enum class Kind : uint8_t { VAR, ARRAY, OBJECT };
  struct Entry {
    std::string var;                 // "$name" form key (binds the value to $name too), or ""
    NodePtr key;                     // key expression (string literal/interpolation or (expr)); null when var-only
    std::unique_ptr<Pattern> value;  // null for the `$name` shorthand
  };
  Kind kind = Kind::VAR;
  std::string name;                             // VAR
  int var_index = -1;                           // VAR: index into the owning node's pattern_vars (resolver)
  std::vector<std::unique_ptr<Pattern>> items;  // ARRAY
  std::vector<Entry> entries;                   // OBJECT
  std::vector<int> entry_var_index;             // OBJECT: per entry, index of its `$name` (or -1)
};

struct ObjectEntry {
  NodePtr key;    // expression giving the key (LITERAL string for identifiers)
  NodePtr value;  // null => shorthand: value is .[key] (or $var for `$name`)
};

// How a CALL or VAR was resolved.
enum class BindKind : uint8_t { UNRESOLVED, LOCAL, GLOBAL_FUNC, PARAM, NATIVE, INTRINSIC, GLOBAL_VAR };

struct Node {
  NodeKind kind;
  int pos = 0;  // byte offset in the source (for messages)
  std::vector<NodePtr> kids;
  json::Value value;
  std::string name;
  BinOp op = BinOp::ADD;
  AssignOp assign_op = AssignOp::SET;
  bool optional = false;  // postfix ? on FIELD/INDEX/SLICE/ITERATE
  std::vector<std::unique_ptr<Pattern>> patterns;
  std::vector<ObjectEntry> entries;
  std::vector<std::unique_ptr<FuncDef>> defs;

  // ---- resolution (compiler.cpp) ----
  BindKind bind = BindKind::UNRESOLVED;
  int hops = 0;                           // LOCAL var/func/label, PARAM: env entries up to the binding
  int index = -1;                         // GLOBAL_VAR: index into the run's globals
  const FuncDef* target = nullptr;        // called function (LOCAL or GLOBAL_FUNC)
  const NativeBuiltin* native = nullptr;  // NATIVE
  int intrinsic = -1;                     // INTRINSIC id
  std::vector<std::string> pattern_vars;  // AS/REDUCE/FOREACH: distinct variables bound, in push order

  Node(NodeKind k, int p) : kind(k), pos(p) {}
};

struct FuncDef {
  std::string name;
  std::vector<std::string> params;  // "f" for filter params, "$x" for value params
  NodePtr body;
  int pos = 0;
  // resolution
  bool global = false;  // defined where no local binding is visible: called without a captured env
};

}  // namespace sp::jq
