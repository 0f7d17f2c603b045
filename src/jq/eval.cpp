// The evaluator for every node kind except calls and assignments (intrinsics.cpp, assign.cpp).
// Continuation-passing: each output goes to `k`; path mode (inpath != nullptr) tracks where each output came
// from so that path(f), assignments and del() work on the same code.

#include <string>
#include <vector>

#include "jq/errors.hpp"
#include "jq/interp.hpp"
#include "jq/value_ops.hpp"
#include "json/write.hpp"

namespace sp::jq {

using json::Value;

namespace {

Flow Emit(Out k, const Value& v, const Path* parent, const Value& key) {
  if (!parent) return k(v, nullptr);
  Path child{parent, key};
  return k(v, &child);
}

Flow FailResult(Ctx& ctx, const Error& e) {
  return ctx.Fail(Value::String(e.message));
}

Flow NotAPath(Ctx& ctx, const Value& v, const Value* key) {
  std::string msg = "Invalid path expression near attempt to ";
  msg += key ? "access element " + json::ToJson(*key) + " of " : std::string("iterate through ");
  msg += ValuePreview(v);
  return ctx.Fail(Value::String(std::move(msg)));
}

Value ToStringValue(const Value& v) {
  if (v.IsString()) return v;
  return Value::String(json::ToJson(v));
}

Result<Value> FormatValue(const std::string& format, const Value& v) {
  if (format == "text") return ToStringValue(v);
  if (format == "json") return Value::String(json::ToJson(v));
  return ApplyFormat(format, v);
}

// String interpolation: jq varies the first part fastest (later parts are the outer loops).
Flow Interpolate(Ctx& ctx, const Node* n, const Env* env, const Value& in, int i, std::vector<Value>& pieces, Out k) {
  if (i < 0) {
    std::string s;
    for (const auto& p : pieces) s += p.AsString();
    return k(Value::String(std::move(s)), nullptr);
  }
  const Node* part = n->kids[static_cast<size_t>(i)].get();
  // Raw text between interpolations is a string literal; an interpolated constant such as `\(10)` is a
  // literal too but must still be formatted (it aborted in AsString() before).
  if (part->kind == NodeKind::LITERAL && part->value.IsString()) {
    pieces[static_cast<size_t>(i)] = part->value;
    return Interpolate(ctx, n, env, in, i - 1, pieces, k);
  }
  return Eval(ctx, part, env, in, nullptr, [&](const Value& v, const Path*) {
    auto r = FormatValue(n->name, v);
    if (!r.ok()) return FailResult(ctx, r.error());
    pieces[static_cast<size_t>(i)] = std::move(r).value();
    return Interpolate(ctx, n, env, in, i - 1, pieces, k);
  });
}

// Object construction; the first entry is the outer loop. Entries with a literal key are written into `obj`
// in place (a later output of the same entry just overwrites the value, and every key after a literal-key
// prefix is rewritten on each pass), so a typical mapping object is built without copying; an entry with a
// computed key works on a copy, since its keys may differ from one output to the next.
Flow BuildObject(Ctx& ctx, const Node* n, const Env* env, const Value& in, size_t i, Value& obj, Out k) {
  if (i == n->entries.size()) return k(obj, nullptr);
  const ObjectEntry& e = n->entries[i];
  const bool literal_key = e.key->kind == NodeKind::LITERAL && e.key->value.IsString();
  auto with_key = [&](const Value& key, const Path*) -> Flow {
    if (!key.IsString()) {
      return ctx.Fail(Value::String(std::string("Object keys must be strings")));
    }
    auto put = [&](const Value& v, const Path*) {
      if (literal_key) {
        obj.Set(key, v);
        return BuildObject(ctx, n, env, in, i + 1, obj, k);
      }
      Value next = obj;
      next.Set(key, v);
      return BuildObject(ctx, n, env, in, i + 1, next, k);
    };
    if (!e.value) {
      auto r = Index(in, key);
      if (!r.ok()) return FailResult(ctx, r.error());
      return put(r.value(), nullptr);
    }
    return Eval(ctx, e.value.get(), env, in, nullptr, put);
  };
  if (literal_key) return with_key(e.key->value, nullptr);
  return Eval(ctx, e.key.get(), env, in, nullptr, with_key);
}

Flow EvalIf(Ctx& ctx, const Node* n, size_t i, const Env* env, const Value& in, const Path* inpath, Out k) {
  if (i + 1 >= n->kids.size()) {
    const Node* otherwise = n->kids.back().get();
    if (!otherwise) return k(in, inpath);
    return Eval(ctx, otherwise, env, in, inpath, k);
  }
  return Eval(ctx, n->kids[i].get(), env, in, nullptr, [&](const Value& c, const Path*) {
    if (c.IsTruthy()) return Eval(ctx, n->kids[i + 1].get(), env, in, inpath, k);
    return EvalIf(ctx, n, i + 2, env, in, inpath, k);
  });
}

// ---- destructuring ----

Flow Destructure(Ctx& ctx, const Pattern& p, const Env* env, const Value& in, const Value& v, Env* vars,
                 FnRef<Flow()> k);

Flow DestructureItems(Ctx& ctx, const Pattern& p, size_t i, const Env* env, const Value& in, const Value& v, Env* vars,
                      FnRef<Flow()> k) {
  if (i == p.items.size()) return k();
  auto r = Index(v, Value::Number(static_cast<double>(i)));
  if (!r.ok()) return FailResult(ctx, r.error());
  return Destructure(ctx, *p.items[i], env, in, r.value(), vars,
                     [&]() { return DestructureItems(ctx, p, i + 1, env, in, v, vars, k); });
}

Flow DestructureEntries(Ctx& ctx, const Pattern& p, size_t i, const Env* env, const Value& in, const Value& v,
                        Env* vars, FnRef<Flow()> k) {
  if (i == p.entries.size()) return k();
  const Pattern::Entry& e = p.entries[i];
  auto with_key = [&](const Value& key, const Path*) -> Flow {
    if (!key.IsString()) return ctx.Fail(Value::String(CannotIndex(v, key)));
    auto r = Index(v, key);
    if (!r.ok()) return FailResult(ctx, r.error());
    int vi = p.entry_var_index[i];
    if (vi >= 0) vars[vi].value = r.value();
    if (!e.value) return DestructureEntries(ctx, p, i + 1, env, in, v, vars, k);
    return Destructure(ctx, *e.value, env, in, r.value(), vars,
                       [&]() { return DestructureEntries(ctx, p, i + 1, env, in, v, vars, k); });
  };
  if (!e.key) return with_key(Value::String(e.var), nullptr);
  return Eval(ctx, e.key.get(), env, in, nullptr, with_key);
}

Flow Destructure(Ctx& ctx, const Pattern& p, const Env* env, const Value& in, const Value& v, Env* vars,
                 FnRef<Flow()> k) {
  switch (p.kind) {
    case Pattern::Kind::VAR: vars[p.var_index].value = v; return k();
    case Pattern::Kind::ARRAY:
      if (!v.IsArray() && !v.IsNull()) {
        return ctx.Fail(Value::String(CannotIndex(v, Value::Number(0))));
      }
      return DestructureItems(ctx, p, 0, env, in, v, vars, k);
    case Pattern::Kind::OBJECT: return DestructureEntries(ctx, p, 0, env, in, v, vars, k);
  }
  return Flow::CONTINUE;
}

// Binds `v` against the node's patterns (`?//` alternatives: an error in a non-final alternative, during the
// match or in the body, moves on to the next one with all variables reset to null).
// `downstream` is set by the caller's continuation when an error comes from beyond the binding's body.
Flow BindPatterns(Ctx& ctx, const Node* n, const Env* env, const Value& in, const Value& v,
                  FnRef<Flow(const Env*)> body, const bool* downstream = nullptr) {
  const size_t nv = n->pattern_vars.size();
  Env small[8];
  std::vector<Env> big;
  Env* vars = small;
  if (nv > 8) {
    big.resize(nv);
    vars = big.data();
  }
  for (size_t i = 0; i < nv; ++i) {
    vars[i].parent = i == 0 ? env : &vars[i - 1];
    vars[i].kind = Env::Kind::VAR;
  }
  const Env* top = nv ? &vars[nv - 1] : env;
  for (size_t alt = 0; alt < n->patterns.size(); ++alt) {
    for (size_t i = 0; i < nv; ++i) vars[i].value = Value();
    const bool last = alt + 1 == n->patterns.size();
    Flow f = Destructure(ctx, *n->patterns[alt], env, in, v, vars, [&]() { return body(top); });
    if (f != Flow::ERROR || last || (downstream && *downstream)) return f;
    ctx.error = Value();
  }
  return Flow::CONTINUE;
}

}  // namespace

const Path kNoPath{};

Value PathToArray(const Path* p) {
  std::vector<Value> keys;
  for (; p && p->parent; p = p->parent) keys.push_back(p->key);
  return Value::Array(std::vector<Value>(keys.rbegin(), keys.rend()));
}

Flow InvalidPath(Ctx& ctx, const Value& v) {
  return ctx.Fail(Value::String("Invalid path expression with result " + ValuePreview(v)));
}

Flow Eval(Ctx& ctx, const Node* n, const Env* env, const Value& in, const Path* inpath, Out k) {
  if (!Tick(ctx)) return Flow::FATAL;
  switch (n->kind) {
    case NodeKind::IDENTITY: return k(in, inpath);
    case NodeKind::RECURSE: return RecurseValue(ctx, in, inpath, k);
    case NodeKind::FIELD: {
      auto step = [&](const Value& v, const Path* p) -> Flow {
        if (inpath && (!p || p == &kNoPath)) return NotAPath(ctx, v, &n->value);
        if (v.IsObject()) {
          const Value* f = v.Find(n->value.AsString());
          return Emit(k, f ? *f : Value(), p, n->value);
        }
        if (v.IsNull()) return Emit(k, v, p, n->value);
        if (n->optional) return Flow::CONTINUE;
        return ctx.Fail(Value::String(CannotIndex(v, n->value)));
      };
      const Node* t = n->kids[0].get();
      if (t->kind == NodeKind::IDENTITY) return step(in, inpath);
      return Eval(ctx, t, env, in, inpath, step);
    }
    case NodeKind::INDEX:
      return Eval(ctx, n->kids[1].get(), env, in, nullptr, [&](const Value& key, const Path*) {
        return Eval(ctx, n->kids[0].get(), env, in, inpath, [&](const Value& v, const Path* p) {
          if (inpath && (!p || p == &kNoPath)) return NotAPath(ctx, v, &key);
          auto r = Index(v, key);
          if (!r.ok()) return n->optional ? Flow::CONTINUE : FailResult(ctx, r.error());
          return Emit(k, r.value(), p, key);
        });
      });
    case NodeKind::SLICE: {
      auto with_bounds = [&](const Value& from, const Value& to) {
        return Eval(ctx, n->kids[0].get(), env, in, inpath, [&](const Value& v, const Path* p) {
          if (inpath && (!p || p == &kNoPath)) {
            Value key = SliceKey(from, to);
            return NotAPath(ctx, v, &key);
          }
          auto r = Slice(v, from, to);
          if (!r.ok()) return n->optional ? Flow::CONTINUE : FailResult(ctx, r.error());
          if (!p) return k(r.value(), nullptr);
          return Emit(k, r.value(), p, SliceKey(from, to));
        });
      };
      auto with_from = [&](const Value& from, const Path*) {
        if (!n->kids[2]) return with_bounds(from, Value());
        return Eval(ctx, n->kids[2].get(), env, in, nullptr,
                    [&](const Value& to, const Path*) { return with_bounds(from, to); });
      };
      if (!n->kids[1]) return with_from(Value(), nullptr);
      return Eval(ctx, n->kids[1].get(), env, in, nullptr, with_from);
    }
    case NodeKind::ITERATE: {
      auto step = [&](const Value& v, const Path* p) -> Flow {
        if (inpath && (!p || p == &kNoPath)) return NotAPath(ctx, v, nullptr);
        if (v.IsArray()) {
          for (size_t i = 0; i < v.Size(); ++i) {
            Flow f = p ? Emit(k, v[i], p, Value::Number(static_cast<double>(i))) : k(v[i], nullptr);
            if (f != Flow::CONTINUE) return f;
          }
          return Flow::CONTINUE;
        }
        if (v.IsObject()) {
          for (const auto& m : v.Members()) {
            Flow f = Emit(k, m.value, p, m.key);
            if (f != Flow::CONTINUE) return f;
          }
          return Flow::CONTINUE;
        }
        if (n->optional) return Flow::CONTINUE;
        return ctx.Fail(Value::String(CannotIterate(v)));
      };
      const Node* t = n->kids[0].get();
      if (t->kind == NodeKind::IDENTITY) return step(in, inpath);
      return Eval(ctx, t, env, in, inpath, step);
    }
    case NodeKind::LITERAL:
    case NodeKind::LOC: return k(n->value, nullptr);
    case NodeKind::STRING: {
      std::vector<Value> pieces(n->kids.size());
      return Interpolate(ctx, n, env, in, static_cast<int>(n->kids.size()) - 1, pieces, k);
    }
    case NodeKind::FORMAT: {
      auto r = FormatValue(n->name, in);
      if (!r.ok()) return FailResult(ctx, r.error());
      return k(r.value(), nullptr);
    }
    case NodeKind::ARRAY: {
      Value arr = Value::Array();
      if (!n->kids.empty()) {
        const size_t cap = ctx.limits->max_value_bytes / 16;
        Flow f = Eval(ctx, n->kids[0].get(), env, in, nullptr, [&](const Value& v, const Path*) {
          if (arr.Size() >= cap) return ctx.Fatal("array too large (Limits::max_value_bytes)");
          arr.Append(v);
          return Flow::CONTINUE;
        });
        if (f != Flow::CONTINUE) return f;
      }
      return k(arr, nullptr);
    }
    case NodeKind::OBJECT: {
      Value obj = Value::Object();
      obj.Reserve(n->entries.size());
      return BuildObject(ctx, n, env, in, 0, obj, k);
    }
    case NodeKind::NEG:
      return Eval(ctx, n->kids[0].get(), env, in, nullptr, [&](const Value& v, const Path*) {
        auto r = Negate(v);
        if (!r.ok()) return FailResult(ctx, r.error());
        return k(r.value(), nullptr);
      });
    case NodeKind::PIPE:
      // In path mode, a value that is not at a path poisons the rest of the pipe (jq's error names it).
      return Eval(ctx, n->kids[0].get(), env, in, inpath, [&](const Value& v, const Path* p) {
        return Eval(ctx, n->kids[1].get(), env, v, inpath && !p ? &kNoPath : p, k);
      });
    case NodeKind::COMMA: {
      Flow f = Eval(ctx, n->kids[0].get(), env, in, inpath, k);
      if (f != Flow::CONTINUE) return f;
      return Eval(ctx, n->kids[1].get(), env, in, inpath, k);
    }
    case NodeKind::ALT: {
      // jq 1.7.1 suppresses no error of the left side (`.a // 1` on a string raises `Cannot index string
      // with "a"`, as does `error(null) // 1`); only false/null outputs and no output select the right side.
      bool any = false;
      Flow f = Eval(ctx, n->kids[0].get(), env, in, inpath, [&](const Value& v, const Path* p) {
        if (!v.IsTruthy()) return Flow::CONTINUE;
        any = true;
        return k(v, p);
      });
      if (f != Flow::CONTINUE || any) return f;
      return Eval(ctx, n->kids[1].get(), env, in, inpath, k);
    }
    case NodeKind::AND:
    case NodeKind::OR: {
      const bool is_and = n->kind == NodeKind::AND;
      return Eval(ctx, n->kids[0].get(), env, in, nullptr, [&](const Value& a, const Path*) {
        if (is_and && !a.IsTruthy()) return k(Value::Bool(false), nullptr);
        if (!is_and && a.IsTruthy()) return k(Value::Bool(true), nullptr);
        return Eval(ctx, n->kids[1].get(), env, in, nullptr,
                    [&](const Value& b, const Path*) { return k(Value::Bool(b.IsTruthy()), nullptr); });
      });
    }
    case NodeKind::BINOP: {
      // jq evaluates the right operand as the outer loop.
      return Eval(ctx, n->kids[1].get(), env, in, nullptr, [&](const Value& b, const Path*) {
        return Eval(ctx, n->kids[0].get(), env, in, nullptr, [&](const Value& a, const Path*) {
          auto r = BinaryOp(n->op, a, b);
          if (!r.ok()) return FailResult(ctx, r.error());
          return k(r.value(), nullptr);
        });
      });
    }
    case NodeKind::ASSIGN: return EvalAssign(ctx, n, env, in, inpath, k);
    case NodeKind::IF: return EvalIf(ctx, n, 0, env, in, inpath, k);
    case NodeKind::TRY: {
      bool downstream = false;
      Flow f = Eval(ctx, n->kids[0].get(), env, in, inpath, [&](const Value& v, const Path* p) {
        Flow r = k(v, p);
        if (r == Flow::ERROR) downstream = true;
        return r;
      });
      if (f != Flow::ERROR || downstream) return f;
      Value err = std::move(ctx.error);
      ctx.error = Value();
      if (!n->kids[1]) return Flow::CONTINUE;
      return Eval(ctx, n->kids[1].get(), env, err, nullptr, k);
    }
    case NodeKind::REDUCE:
      return Eval(ctx, n->kids[1].get(), env, in, nullptr, [&](const Value& init, const Path*) {
        Value acc = init;
        Flow f = Eval(ctx, n->kids[0].get(), env, in, nullptr, [&](const Value& x, const Path*) {
          return BindPatterns(ctx, n, env, in, x, [&](const Env* benv) {
            Value last;
            Flow g = Eval(ctx, n->kids[2].get(), benv, acc, nullptr, [&](const Value& v, const Path*) {
              last = v;
              return Flow::CONTINUE;
            });
            if (g != Flow::CONTINUE) return g;
            acc = std::move(last);  // jq 1.7.1: an empty update leaves null
            return Flow::CONTINUE;
          });
        });
        if (f != Flow::CONTINUE) return f;
        return k(acc, nullptr);
      });
    case NodeKind::FOREACH:
      return Eval(ctx, n->kids[1].get(), env, in, nullptr, [&](const Value& init, const Path*) {
        Value acc = init;
        return Eval(ctx, n->kids[0].get(), env, in, nullptr, [&](const Value& x, const Path*) {
          bool downstream = false;
          auto kw = [&](const Value& out, const Path* p) {
            Flow r = k(out, p);
            if (r == Flow::ERROR) downstream = true;
            return r;
          };
          return BindPatterns(
              ctx, n, env, in, x,
              [&](const Env* benv) {
                const Value cur = acc;
                return Eval(ctx, n->kids[2].get(), benv, cur, nullptr, [&](const Value& v, const Path*) {
                  acc = v;
                  if (!n->kids[3]) return kw(v, nullptr);
                  return Eval(ctx, n->kids[3].get(), benv, v, nullptr, kw);
                });
              },
              &downstream);
        });
      });
    case NodeKind::AS:
      return Eval(ctx, n->kids[0].get(), env, in, nullptr, [&](const Value& x, const Path*) {
        if (n->patterns.size() == 1) {
          return BindPatterns(ctx, n, env, in, x,
                              [&](const Env* benv) { return Eval(ctx, n->kids[1].get(), benv, in, inpath, k); });
        }
        bool downstream = false;
        auto kw = [&](const Value& out, const Path* p) {
          Flow r = k(out, p);
          if (r == Flow::ERROR) downstream = true;
          return r;
        };
        return BindPatterns(
            ctx, n, env, in, x, [&](const Env* benv) { return Eval(ctx, n->kids[1].get(), benv, in, inpath, kw); },
            &downstream);
      });
    case NodeKind::LABEL: {
      Env e;
      e.parent = env;
      e.kind = Env::Kind::LABEL;
      e.label = ctx.next_label++;
      Flow f = Eval(ctx, n->kids[0].get(), &e, in, inpath, k);
      if (f == Flow::BREAK && ctx.break_label == e.label) return Flow::CONTINUE;
      return f;
    }
    case NodeKind::BREAK: {
      const Env* e = env;
      for (int i = 0; i < n->hops; ++i) e = e->parent;
      ctx.break_label = e->label;
      return Flow::BREAK;
    }
    case NodeKind::FUNCDEFS: {
      // Local definitions capture the current bindings: one FUNC entry each, in order.
      const size_t nd = n->defs.size();
      std::vector<Env> frames;
      const Env* top = env;
      if (!n->defs.empty() && !n->defs[0]->global) {
        frames.resize(nd);
        for (size_t i = 0; i < nd; ++i) {
          frames[i].parent = top;
          frames[i].kind = Env::Kind::FUNC;
          frames[i].def = n->defs[i].get();
          top = &frames[i];
        }
      }
      return Eval(ctx, n->kids[0].get(), top, in, inpath, k);
    }
    case NodeKind::CALL: return EvalCall(ctx, n, env, in, inpath, k);
    case NodeKind::VAR: {
      if (n->bind == BindKind::GLOBAL_VAR) return k((*ctx.globals)[static_cast<size_t>(n->index)], nullptr);
      const Env* e = env;
      for (int i = 0; i < n->hops; ++i) e = e->parent;
      return k(e->value, nullptr);
    }
  }
  return Flow::CONTINUE;
}

}  // namespace sp::jq
