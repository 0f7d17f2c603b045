// `..` / recurse and recurse(f) / recurse(f; cond) without C++ recursion per level: a depth-first walk with
// an explicit stack, so a 10,000-level value (which jq handles) never meets the thread's stack guard.
//
// recurse(f) is jq's `def r: ., (f | r); r;`. Each level evaluates f once on its value and buffers the outputs
// (and how f ended: an error or a break after them), then walks them in order: the outputs, their order and
// the point where an error is raised are the same as jq's lazy evaluation, because f is pure. A level whose f
// produces more than kMaxBuffered outputs (possibly an endless generator) is run lazily instead, as jq does.

#include <deque>
#include <string>
#include <vector>

#include "jq/errors.hpp"
#include "jq/interp.hpp"
#include "json/write.hpp"

namespace sp::jq {

using json::Value;

namespace {

constexpr size_t kMaxBuffered = 4096;

Flow IterateNotAPath(Ctx& ctx, const Value& v) {
  return ctx.Fail(Value::String("Invalid path expression near attempt to iterate through " + ValuePreview(v)));
}

Flow TooDeep(Ctx& ctx) {
  return ctx.Fatal("jq: recursion deeper than " + std::to_string(ctx.limits->max_recurse_depth) +
                   " levels (Limits::max_recurse_depth)");
}

// One level of `..`: a container and the next child to visit; `own` is the container's path node.
struct ValueFrame {
  const Value* container = nullptr;
  size_t next = 0;
  Path own;
  const Path* path = nullptr;
};

// One output of f buffered for later: its value and its path relative to the level's path (leaf first).
struct Child {
  Value value;
  std::vector<Value> rel;
  bool no_path = false;
};

struct Level {
  Value value;
  std::vector<Path> chain;  // this level's path below the parent's (root first); tip points into it
  const Path* tip = nullptr;
  std::vector<Child> children;
  size_t next = 0;
  Flow end = Flow::CONTINUE;  // how f ended after the buffered outputs
  Value end_error;
  uint64_t end_label = 0;
  bool done = false;  // walked lazily already (too many children to buffer)
};

enum class Expanded : uint8_t { BUFFERED, TOO_MANY, FATAL };

class Recursion {
 public:
  Recursion(Ctx& ctx, const Node* f, const Node* cond, const Env* env, bool path_mode, Out k)
      : ctx_(ctx), f_(f), cond_(cond), env_(env), path_mode_(path_mode), k_(k) {}

  Flow Run(const Value& in, const Path* inpath) {
    Flow r = k_(in, inpath);
    if (r != Flow::CONTINUE) return r;
    std::deque<Level> stack;
    stack.emplace_back();
    stack.back().value = in;
    stack.back().tip = inpath;
    r = Enter(stack.back());
    if (r != Flow::CONTINUE) return r;
    if (stack.back().done) stack.pop_back();
    while (!stack.empty()) {
      Level& top = stack.back();
      if (top.next == top.children.size()) {
        if (top.end == Flow::ERROR) return ctx_.Fail(std::move(top.end_error));
        if (top.end == Flow::BREAK) {
          ctx_.break_label = top.end_label;
          return Flow::BREAK;
        }
        stack.pop_back();
        continue;
      }
      if (stack.size() >= ctx_.limits->max_recurse_depth) return TooDeep(ctx_);
      Child c = std::move(top.children[top.next++]);
      Level& child = stack.emplace_back();
      child.value = std::move(c.value);
      if (!path_mode_) {
        child.tip = nullptr;
      } else if (c.no_path) {
        child.tip = &kNoPath;
      } else if (c.rel.empty()) {
        child.tip = top.tip;
      } else {
        child.chain.resize(c.rel.size());
        const Path* parent = top.tip;
        for (size_t i = 0; i < c.rel.size(); ++i) {
          child.chain[i].parent = parent;
          child.chain[i].key = std::move(c.rel[c.rel.size() - 1 - i]);
          parent = &child.chain[i];
        }
        child.tip = parent;
      }
      if (!Tick(ctx_)) return Flow::FATAL;
      r = k_(child.value, child.tip);
      if (r != Flow::CONTINUE) return r;
      r = Enter(child);
      if (r != Flow::CONTINUE) return r;
      if (child.done) stack.pop_back();
    }
    return Flow::CONTINUE;
  }

 private:
  // Buffers the level's children; a level with too many is walked lazily right here (and marked done).
  // Returns a flow that must end the walk, or CONTINUE.
  Flow Enter(Level& level) {
    Expanded e = Expand(level);
    if (e == Expanded::FATAL) return Flow::FATAL;
    if (e == Expanded::BUFFERED) return Flow::CONTINUE;
    level.children.clear();
    Flow r = Eval(ctx_, f_, env_, level.value, level.tip, [&](const Value& x, const Path* p) {
      return Filter(x, [&](const Value& y) {
        const Path* child_path = path_mode_ ? (p ? p : &kNoPath) : nullptr;
        Recursion nested(ctx_, f_, cond_, env_, path_mode_, k_);
        return nested.Run(y, child_path);
      });
    });
    if (r != Flow::CONTINUE) return r;
    level.done = true;
    return Flow::CONTINUE;
  }

  // select(cond) on x: `take` once per truthy output of cond (once when there is no cond).
  template <typename Take>
  Flow Filter(const Value& x, Take&& take) {
    if (!cond_) return take(x);
    return Eval(ctx_, cond_, env_, x, nullptr,
                [&](const Value& c, const Path*) { return c.IsTruthy() ? take(x) : Flow::CONTINUE; });
  }

  Expanded Expand(Level& level) {
    const uint64_t stop = ctx_.next_label++;
    bool too_many = false;
    Flow r = Eval(ctx_, f_, env_, level.value, level.tip, [&](const Value& x, const Path* p) {
      return Filter(x, [&](const Value& y) -> Flow {
        if (level.children.size() == kMaxBuffered) {
          too_many = true;
          ctx_.break_label = stop;
          return Flow::BREAK;
        }
        Child& c = level.children.emplace_back();
        c.value = y;
        if (!path_mode_) return Flow::CONTINUE;
        if (!p || p == &kNoPath) {
          c.no_path = true;
          return Flow::CONTINUE;
        }
        for (const Path* q = p; q != level.tip; q = q->parent) {
          if (!q->parent) {  // not below this level's path (cannot happen for path expressions): be exact
            too_many = true;
            ctx_.break_label = stop;
            return Flow::BREAK;
          }
          c.rel.push_back(q->key);
        }
        return Flow::CONTINUE;
      });
    });
    if (too_many) return Expanded::TOO_MANY;
    if (r == Flow::FATAL) return Expanded::FATAL;
    level.end = r;
    if (r == Flow::ERROR) level.end_error = std::move(ctx_.error);
    if (r == Flow::BREAK) level.end_label = ctx_.break_label;
    return Expanded::BUFFERED;
  }

  Ctx& ctx_;
  const Node* f_;
  const Node* cond_;
  const Env* env_;
  bool path_mode_;
  Out k_;
};

}  // namespace

Flow RecurseValue(Ctx& ctx, const Value& root, const Path* rootpath, Out k) {
  if (!Tick(ctx)) return Flow::FATAL;
  if (rootpath == &kNoPath) return IterateNotAPath(ctx, root);
  Flow f = k(root, rootpath);
  if (f != Flow::CONTINUE || (!root.IsArray() && !root.IsObject())) return f;
  const bool path_mode = rootpath != nullptr;
  std::deque<ValueFrame> stack;
  stack.push_back({&root, 0, Path{}, rootpath});
  while (!stack.empty()) {
    ValueFrame& top = stack.back();
    const Value& c = *top.container;
    if (top.next == c.Size()) {
      stack.pop_back();
      continue;
    }
    const size_t i = top.next++;
    const Value* child = nullptr;
    Value key;
    if (c.IsArray()) {
      child = &c[i];
      if (path_mode) key = Value::Number(static_cast<double>(i));
    } else {
      const auto& m = c.Members()[i];
      child = &m.value;
      if (path_mode) key = m.key;
    }
    if (!Tick(ctx)) return Flow::FATAL;
    if (child->IsArray() || child->IsObject()) {
      ValueFrame& next = stack.emplace_back();
      next.container = child;
      next.own = Path{top.path, std::move(key)};
      next.path = path_mode ? &next.own : nullptr;
      f = k(*child, next.path);
    } else {
      Path leaf{top.path, std::move(key)};
      f = k(*child, path_mode ? &leaf : nullptr);
    }
    if (f != Flow::CONTINUE) return f;
  }
  return Flow::CONTINUE;
}

Flow RecurseWith(Ctx& ctx, const Node* f, const Node* cond, const Env* env, const Value& in, const Path* inpath,
                 Out k) {
  if (!Tick(ctx)) return Flow::FATAL;
  Recursion walk(ctx, f, cond, env, inpath != nullptr, k);
  return walk.Run(in, inpath);
}

}  // namespace sp::jq
