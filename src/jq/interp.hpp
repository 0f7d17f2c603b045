#pragma once
// The evaluator's internals (not part of the public API). Evaluation is continuation-passing: Eval() calls
// `k` once per output, in order, and backtracking is simply returning from `k`. Everything a run needs
// (bindings, paths, counters) lives on the C++ stack or in the per-run Ctx, so a resolved AST is shared by
// all threads without locks. Stack use is bounded by Limits::max_depth and by a check against the thread's
// real stack bounds, so hostile recursion ends with LIMIT_EXCEEDED instead of a crash.

#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

#include "jq/ast.hpp"
#include "jq/builtins/native.hpp"
#include "jq/program.hpp"
#include "json/value.hpp"

namespace sp::jq {

//! How a generator finished: CONTINUE (exhausted, or the consumer wants more), ERROR (ctx.error holds the
//! jq error value, catchable), BREAK (ctx.break_label names the label to unwind to), FATAL (a limit was hit:
//! never caught by try/`?`/`//`).
enum class Flow : uint8_t { CONTINUE, ERROR, BREAK, FATAL };

//! A non-owning reference to a callable (no allocation, unlike std::function).
template <typename Sig>
class FnRef;
template <typename R, typename... A>
class FnRef<R(A...)> {
 public:
  template <typename F>
  requires(!std::is_same_v<std::decay_t<F>, FnRef>) FnRef(F&& f)  // NOLINT: implicit by design
      : obj_(const_cast<void*>(static_cast<const void*>(&f))),
        call_([](void* o, A... a) -> R { return (*static_cast<std::remove_reference_t<F>*>(o))(a...); }) {}
  R operator()(A... a) const { return call_(obj_, a...); }

 private:
  void* obj_;
  R (*call_)(void*, A...);
};

//! A path under construction during path(f): a linked list from the leaf up to the root sentinel.
struct Path {
  const Path* parent = nullptr;  // nullptr: this is the root (empty path)
  json::Value key;
};

//! Marks "in path mode, but this value is not at a path of the input" (e.g. the output of map()).
extern const Path kNoPath;

//! One binding, allocated on the stack by the construct that introduces it.
struct Env {
  enum class Kind : uint8_t { VAR, CLOSURE, FUNC, LABEL };
  const Env* parent = nullptr;
  Kind kind = Kind::VAR;
  json::Value value;              // VAR
  const Node* node = nullptr;     // CLOSURE: the argument expression
  const FuncDef* def = nullptr;   // FUNC
  const Env* captured = nullptr;  // CLOSURE: the caller's env
  uint64_t label = 0;             // LABEL
};

using Out = FnRef<Flow(const json::Value&, const Path*)>;

struct Ctx {
  const Limits* limits = nullptr;
  uint64_t steps = 0;
  uint64_t outputs = 0;
  uint32_t depth = 0;
  uintptr_t stack_floor = 0;  // lowest usable stack address (with a safety margin)
  json::Value error;          // the pending jq error value (Flow::ERROR / FATAL)
  uint64_t break_label = 0;   // the pending break (Flow::BREAK)
  uint64_t next_label = 1;
  const std::vector<json::Value>* globals = nullptr;
  NativeContext native;

  Flow Fail(json::Value v) {
    error = std::move(v);
    return Flow::ERROR;
  }
  Flow Fatal(std::string message) {
    error = json::Value::String(std::move(message));
    return Flow::FATAL;
  }
};

enum class Intrinsic : int {
  EMPTY,
  ERROR0,
  ERROR1,
  PATH,
  GETPATH,
  SELECT,
  FIRST,
  LIMIT,
  RANGE2,
  RANGE3,
  ISEMPTY,
  ENV,
  BUILTINS,
  RECURSE0,
  PATHS0,
  LAST,
  SPLITS_DUMMY,
  INPUT_EXCLUDED,
  RECURSE1,
  RECURSE2,
  COUNT
};

//! Evaluates `n` on `in`. `inpath` is null for plain evaluation; in path mode it is the path of `in`.
Flow Eval(Ctx& ctx, const Node* n, const Env* env, const json::Value& in, const Path* inpath, Out k);
//! Runs a CALL node (functions, closures, natives, intrinsics).
Flow EvalCall(Ctx& ctx, const Node* n, const Env* env, const json::Value& in, const Path* inpath, Out k);
//! `..`: `in` and everything below it, depth first, without C++ recursion per level (recurse.cpp).
Flow RecurseValue(Ctx& ctx, const json::Value& in, const Path* inpath, Out k);
//! recurse(f) (cond null) and recurse(f; cond), with an explicit stack (recurse.cpp).
Flow RecurseWith(Ctx& ctx, const Node* f, const Node* cond, const Env* env, const json::Value& in, const Path* inpath,
                 Out k);
//! Runs an ASSIGN node.
Flow EvalAssign(Ctx& ctx, const Node* n, const Env* env, const json::Value& in, const Path* inpath, Out k);
//! Materializes a path as a JSON array.
json::Value PathToArray(const Path* p);
//! The error for a value produced where a path was required.
Flow InvalidPath(Ctx& ctx, const json::Value& v);
//! Step/stack accounting shared by the evaluator; returns false (with ctx.error set) when over a limit.
bool Tick(Ctx& ctx);

//! Intrinsic table lookup (name/arity), -1 if none.
int FindIntrinsic(std::string_view name, int arity);
//! Every builtin name/arity visible to programs (for `builtins`), without `_` helpers.
const std::vector<std::string>& BuiltinNames();

}  // namespace sp::jq
