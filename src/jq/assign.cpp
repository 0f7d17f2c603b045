// Assignment operators with jq 1.7.1 semantics:
//   lhs = rhs     for each value $v of rhs (on `.`): reduce path(lhs) as $p (.; setpath($p; $v))
//   lhs |= f      for each path: the first output of f replaces the value; when f is empty the path is
//                 collected and all such paths are deleted at the end (so `.[] |= empty` removes them all)
//   lhs op= rhs   for each value $v of rhs: lhs |= . op $v      (`//=`: lhs |= . // $v)

#include <vector>

#include "jq/interp.hpp"
#include "jq/value_ops.hpp"

namespace sp::jq {

using json::Value;

namespace {

Flow CollectPaths(Ctx& ctx, const Node* lhs, const Env* env, const Value& in, std::vector<Value>& paths) {
  Path root;
  return Eval(ctx, lhs, env, in, &root, [&](const Value& v, const Path* p) {
    if (!p || p == &kNoPath) return InvalidPath(ctx, v);
    paths.push_back(PathToArray(p));
    return Flow::CONTINUE;
  });
}

Flow FailResult(Ctx& ctx, const Error& e) {
  return ctx.Fail(Value::String(e.message));
}

// Applies `update` (first output, or deletion) at every path; `update` gets the old value.
template <typename Update>
Flow Modify(Ctx& ctx, const std::vector<Value>& paths, const Value& in, Update update, Out k) {
  Value state = in;
  std::vector<Value> deletions;
  for (const auto& p : paths) {
    auto old = GetPath(state, p.Items());
    if (!old.ok()) return FailResult(ctx, old.error());
    Value repl;
    bool has = false;
    Flow f = update(old.value(), repl, has);
    if (f != Flow::CONTINUE) return f;
    if (!has) {
      deletions.push_back(p);
      continue;
    }
    auto r = SetPath(state, p.Items(), repl);
    if (!r.ok()) return FailResult(ctx, r.error());
    state = std::move(r).value();
  }
  if (!deletions.empty()) {
    auto r = DelPaths(state, std::move(deletions));
    if (!r.ok()) return FailResult(ctx, r.error());
    state = std::move(r).value();
  }
  return k(state, nullptr);
}

}  // namespace

Flow EvalAssign(Ctx& ctx, const Node* n, const Env* env, const Value& in, const Path* /*inpath*/, Out k) {
  const Node* lhs = n->kids[0].get();
  const Node* rhs = n->kids[1].get();
  if (n->assign_op == AssignOp::UPDATE) {
    std::vector<Value> paths;
    Flow f = CollectPaths(ctx, lhs, env, in, paths);
    if (f != Flow::CONTINUE) return f;
    const uint64_t id = ctx.next_label++;
    return Modify(
        ctx, paths, in,
        [&](const Value& old, Value& repl, bool& has) {
          Flow g = Eval(ctx, rhs, env, old, nullptr, [&](const Value& v, const Path*) {
            repl = v;
            has = true;
            ctx.break_label = id;
            return Flow::BREAK;
          });
          if (g == Flow::BREAK && ctx.break_label == id) return Flow::CONTINUE;
          return g;
        },
        k);
  }
  return Eval(ctx, rhs, env, in, nullptr, [&](const Value& v, const Path*) {
    std::vector<Value> paths;
    Flow f = CollectPaths(ctx, lhs, env, in, paths);
    if (f != Flow::CONTINUE) return f;
    if (n->assign_op == AssignOp::SET) {
      Value state = in;
      for (const auto& p : paths) {
        auto r = SetPath(state, p.Items(), v);
        if (!r.ok()) return FailResult(ctx, r.error());
        state = std::move(r).value();
      }
      return k(state, nullptr);
    }
    return Modify(
        ctx, paths, in,
        [&](const Value& old, Value& repl, bool& has) {
          has = true;
          if (n->assign_op == AssignOp::ALT) {
            repl = old.IsTruthy() ? old : v;
            return Flow::CONTINUE;
          }
          static constexpr BinOp kOps[] = {BinOp::ADD, BinOp::ADD, BinOp::ADD, BinOp::SUB,
                                           BinOp::MUL, BinOp::DIV, BinOp::MOD};
          auto r = BinaryOp(kOps[static_cast<int>(n->assign_op)], old, v);
          if (!r.ok()) return FailResult(ctx, r.error());
          repl = std::move(r).value();
          return Flow::CONTINUE;
        },
        k);
  });
}

}  // namespace sp::jq
