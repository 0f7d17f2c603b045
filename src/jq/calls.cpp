// Calls: jq-defined functions (closures for filter arguments, cartesian products for `$` arguments),
// native builtins (arguments evaluated to values, the last argument varying slowest, as jq does for its C
// functions) and the intrinsics that need generators or paths (path, getpath, select, first, limit, range...).

#include <cmath>
#include <string>
#include <vector>

#include "jq/errors.hpp"
#include "jq/interp.hpp"
#include "jq/value_ops.hpp"

namespace sp::jq {

using json::Value;

bool Tick(Ctx& ctx) {
  if (++ctx.steps > ctx.limits->max_steps) {
    ctx.error = Value::String("jq: evaluation step limit exceeded (" + std::to_string(ctx.limits->max_steps) + ")");
    return false;
  }
  // The frame address, not a local's: ASan may move locals to a heap "fake stack".
  if (reinterpret_cast<uintptr_t>(__builtin_frame_address(0)) < ctx.stack_floor) {
    ctx.error = Value::String("jq: evaluation nested too deeply for the thread's stack (at " +
                              std::to_string(ctx.depth) + " nested function calls)");
    return false;
  }
  return true;
}

namespace {

struct DepthGuard {
  explicit DepthGuard(Ctx& c) : ctx(c) { ++ctx.depth; }
  ~DepthGuard() { --ctx.depth; }
  Ctx& ctx;
};

// Binds the `$` parameters of `def` one after another (first parameter outermost), then runs the body.
Flow BindValueParams(Ctx& ctx, const FuncDef* def, size_t i, Env* vars, size_t nvars, const Env* top,
                     const Env* closures, const Value& in, const Path* inpath, Out k, size_t vi) {
  if (vi == nvars) return Eval(ctx, def->body.get(), top, in, inpath, k);
  // Find the i-th parameter that is a `$` parameter.
  while (def->params[i][0] != '$') ++i;
  const Env& cl = closures[i];
  return Eval(ctx, cl.node, cl.captured, in, nullptr, [&](const Value& v, const Path*) {
    vars[vi].parent = top;
    vars[vi].kind = Env::Kind::VAR;
    vars[vi].value = v;
    return BindValueParams(ctx, def, i + 1, vars, nvars, &vars[vi], closures, in, inpath, k, vi + 1);
  });
}

Flow CallDef(Ctx& ctx, const FuncDef* def, const Env* base, const Node* call, const Env* env, const Value& in,
             const Path* inpath, Out k) {
  if (ctx.depth >= ctx.limits->max_depth) {
    return ctx.Fatal("jq: function calls nested deeper than " + std::to_string(ctx.limits->max_depth) +
                     " levels (Limits::max_depth)");
  }
  DepthGuard guard(ctx);
  const size_t np = def->params.size();
  if (np == 0) return Eval(ctx, def->body.get(), base, in, inpath, k);
  Env small[8];
  std::vector<Env> big;
  Env* frames = small;
  if (2 * np > 8) {
    big.resize(2 * np);
    frames = big.data();
  }
  size_t nvars = 0;
  const Env* top = base;
  for (size_t i = 0; i < np; ++i) {
    frames[i].parent = top;
    frames[i].kind = Env::Kind::CLOSURE;
    frames[i].node = call->kids[i].get();
    frames[i].captured = env;
    top = &frames[i];
    if (def->params[i][0] == '$') ++nvars;
  }
  return BindValueParams(ctx, def, 0, frames + np, nvars, top, frames, in, inpath, k, 0);
}

Flow CallNative(Ctx& ctx, const Node* n, const Env* env, const Value& in, Value* args, int i, Out k) {
  if (i < 0) {
    auto r = n->native->fn(in, std::span<const Value>(args, n->kids.size()), ctx.native);
    if (!r.ok()) return ctx.Fail(Value::String(r.error().message));
    return k(r.value(), nullptr);
  }
  return Eval(ctx, n->kids[static_cast<size_t>(i)].get(), env, in, nullptr, [&](const Value& v, const Path*) {
    args[i] = v;
    return CallNative(ctx, n, env, in, args, i - 1, k);
  });
}

// Runs `f` and stops it after the first `limit` outputs (a private label).
Flow Limited(Ctx& ctx, const Node* f, const Env* env, const Value& in, const Path* inpath, double limit, Out k) {
  const uint64_t id = ctx.next_label++;
  double count = 0;
  Flow r = Eval(ctx, f, env, in, inpath, [&](const Value& v, const Path* p) {
    Flow g = k(v, p);
    if (g != Flow::CONTINUE) return g;
    if (++count >= limit) {
      ctx.break_label = id;
      return Flow::BREAK;
    }
    return Flow::CONTINUE;
  });
  if (r == Flow::BREAK && ctx.break_label == id) return Flow::CONTINUE;
  return r;
}

Flow Range(Ctx& ctx, const Value& from, const Value& upto, const Value* by, Out k) {
  if (!from.IsNumber() || !upto.IsNumber() || (by && !by->IsNumber())) {
    return ctx.Fail(Value::String(std::string("Range bounds must be numeric")));
  }
  const double end = upto.AsNumber();
  const double step = by ? by->AsNumber() : 1.0;
  if (step == 0 || std::isnan(step)) return Flow::CONTINUE;
  for (double x = from.AsNumber(); step > 0 ? x < end : x > end; x += step) {
    if (!Tick(ctx)) return Flow::FATAL;
    Flow f = k(Value::Number(x), nullptr);
    if (f != Flow::CONTINUE) return f;
  }
  return Flow::CONTINUE;
}

Flow EvalIntrinsic(Ctx& ctx, const Node* n, const Env* env, const Value& in, const Path* inpath, Out k) {
  auto arg = [&](size_t i) { return n->kids[i].get(); };
  switch (static_cast<Intrinsic>(n->intrinsic)) {
    case Intrinsic::EMPTY: return Flow::CONTINUE;
    case Intrinsic::ERROR0: return ctx.Fail(in);
    case Intrinsic::ERROR1:
      return Eval(ctx, arg(0), env, in, nullptr, [&](const Value& v, const Path*) { return ctx.Fail(v); });
    case Intrinsic::PATH: {
      Path root;
      return Eval(ctx, arg(0), env, in, &root, [&](const Value& v, const Path* p) {
        if (!p || p == &kNoPath) return InvalidPath(ctx, v);
        return k(PathToArray(p), nullptr);
      });
    }
    case Intrinsic::GETPATH:
      return Eval(ctx, arg(0), env, in, nullptr, [&](const Value& path, const Path*) {
        if (!path.IsArray()) return ctx.Fail(Value::String(std::string("Path must be specified as an array")));
        auto r = GetPath(in, path.Items());
        if (!r.ok()) return ctx.Fail(Value::String(r.error().message));
        if (!inpath) return k(r.value(), nullptr);
        if (inpath == &kNoPath) return k(r.value(), inpath);
        std::vector<Path> chain(path.Size());
        const Path* top = inpath;
        for (size_t i = 0; i < path.Size(); ++i) {
          chain[i].parent = top;
          chain[i].key = path[i];
          top = &chain[i];
        }
        return k(r.value(), top);
      });
    case Intrinsic::SELECT:
      return Eval(ctx, arg(0), env, in, nullptr,
                  [&](const Value& c, const Path*) { return c.IsTruthy() ? k(in, inpath) : Flow::CONTINUE; });
    case Intrinsic::FIRST: return Limited(ctx, arg(0), env, in, inpath, 1, k);
    case Intrinsic::LIMIT:
      return Eval(ctx, arg(0), env, in, nullptr, [&](const Value& nv, const Path*) {
        if (!nv.IsNumber()) return ctx.Fail(Value::String(std::string("Invalid limit: must be a number")));
        double lim = nv.AsNumber();
        if (lim <= 0) return lim == 0 ? Flow::CONTINUE : Eval(ctx, arg(1), env, in, inpath, k);
        return Limited(ctx, arg(1), env, in, inpath, lim, k);
      });
    case Intrinsic::RANGE2:
      return Eval(ctx, arg(0), env, in, nullptr, [&](const Value& from, const Path*) {
        return Eval(ctx, arg(1), env, in, nullptr,
                    [&](const Value& upto, const Path*) { return Range(ctx, from, upto, nullptr, k); });
      });
    case Intrinsic::RANGE3:
      return Eval(ctx, arg(0), env, in, nullptr, [&](const Value& from, const Path*) {
        return Eval(ctx, arg(1), env, in, nullptr, [&](const Value& upto, const Path*) {
          return Eval(ctx, arg(2), env, in, nullptr,
                      [&](const Value& by, const Path*) { return Range(ctx, from, upto, &by, k); });
        });
      });
    case Intrinsic::ISEMPTY: {
      bool any = false;
      Flow f = Limited(ctx, arg(0), env, in, nullptr, 1, [&](const Value&, const Path*) {
        any = true;
        return Flow::CONTINUE;
      });
      if (f != Flow::CONTINUE) return f;
      return k(Value::Bool(!any), nullptr);
    }
    case Intrinsic::ENV: return k(ctx.native.env ? *ctx.native.env : Value::Object(), nullptr);
    case Intrinsic::BUILTINS: {
      Value arr = Value::Array();
      for (const auto& name : BuiltinNames()) arr.Append(Value::String(name));
      return k(arr, nullptr);
    }
    case Intrinsic::RECURSE0: return RecurseValue(ctx, in, inpath, k);
    case Intrinsic::RECURSE1: return RecurseWith(ctx, arg(0), nullptr, env, in, inpath, k);
    case Intrinsic::RECURSE2: return RecurseWith(ctx, arg(0), arg(1), env, in, inpath, k);
    default: break;
  }
  return ctx.Fatal("internal: unknown intrinsic");
}

}  // namespace

Flow EvalCall(Ctx& ctx, const Node* n, const Env* env, const Value& in, const Path* inpath, Out k) {
  switch (n->bind) {
    case BindKind::PARAM: {
      const Env* e = env;
      for (int i = 0; i < n->hops; ++i) e = e->parent;
      return Eval(ctx, e->node, e->captured, in, inpath, k);
    }
    case BindKind::LOCAL: {
      const Env* e = env;
      for (int i = 0; i < n->hops; ++i) e = e->parent;
      return CallDef(ctx, e->def, e, n, env, in, inpath, k);
    }
    case BindKind::GLOBAL_FUNC: return CallDef(ctx, n->target, nullptr, n, env, in, inpath, k);
    case BindKind::NATIVE: {
      Value args[8];
      if (n->kids.size() > 8) return ctx.Fatal("internal: too many native arguments");
      return CallNative(ctx, n, env, in, args, static_cast<int>(n->kids.size()) - 1, k);
    }
    case BindKind::INTRINSIC: return EvalIntrinsic(ctx, n, env, in, inpath, k);
    default: break;
  }
  return ctx.Fatal("internal: unresolved call " + n->name);
}

}  // namespace sp::jq
