// Program: compile (parse + resolve against the builtin library) and run with per-run state on the stack.

#include "jq/program.hpp"

#include <pthread.h>

#include "jq/compiler.hpp"
#include "jq/interp.hpp"
#include "jq/parser.hpp"
#include "json/write.hpp"

namespace sp::jq {

using json::Value;

struct Program::Compiled {
  std::string source;
  NodePtr root;
  std::vector<Value> globals;
  Value env;
  Limits limits;
};

namespace {

uintptr_t ComputeStackFloor();

// Leaves this much of the thread's stack untouched for natives, the JSON writer and sanitizer frames.
constexpr uintptr_t kStackMargin = 256 * 1024;

// The thread's stack bounds never change, and reading them is slow on the main thread (glibc parses
// /proc/self/maps), so each thread asks once.
uintptr_t StackFloor() {
  thread_local uintptr_t cached = 0;
  if (cached == 0) cached = ComputeStackFloor();
  return cached;
}

uintptr_t ComputeStackFloor() {
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return 0;
  void* addr = nullptr;
  size_t size = 0;
  pthread_attr_getstack(&attr, &addr, &size);
  pthread_attr_destroy(&attr);
  uintptr_t low = reinterpret_cast<uintptr_t>(addr);
  uintptr_t here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  if (here < low || here - low < 2 * kStackMargin) return low;
  return low + kStackMargin;
}

std::string ErrorText(const Value& v) {
  if (v.IsString()) return std::string(v.AsString());
  return json::ToJson(v) + " (not a string)";
}

}  // namespace

Result<Program> Program::Compile(std::string_view source, const CompileOptions& options) {
  auto compiled = std::make_shared<Compiled>();
  compiled->source = std::string(source);
  std::string text = options.port_dialect ? PortDialectRewrite(source) : std::string(source);
  auto parsed = Parse(text);
  if (!parsed.ok()) return parsed.error();
  compiled->root = std::move(parsed).value();
  compiled->limits = options.limits;
  compiled->env = options.env.IsObject() ? options.env : Value::Object();

  std::vector<std::string> names = {"ENV", "__prog_name_unused", "ARGS"};
  Value named = Value::Object();
  for (const auto& [name, value] : options.variables) named.Set(name, value);
  Value args = Value::Object();
  args.Set("positional", Value::Array());
  args.Set("named", named);
  compiled->globals = {compiled->env, Value(), args};
  for (const auto& [name, value] : options.variables) {
    names.push_back(name);
    compiled->globals.push_back(value);
  }
  const Library& lib = BuiltinLibrary();
  if (auto st = Resolve(compiled->root.get(), text, &lib, names); !st.ok()) return st.error();
  return Program(std::move(compiled));
}

Status Program::Run(const Value& input, const std::function<bool(const Value&)>& on_output) const {
  const Compiled& c = *compiled_;
  Ctx ctx;
  ctx.limits = &c.limits;
  ctx.stack_floor = StackFloor();
  ctx.globals = &c.globals;
  ctx.native.env = &c.env;
  const uint64_t stop_label = ctx.next_label++;
  Flow f = Eval(ctx, c.root.get(), nullptr, input, nullptr, [&](const Value& v, const Path*) {
    if (++ctx.outputs > c.limits.max_outputs) return ctx.Fatal("jq: output limit exceeded");
    if (!on_output(v)) {
      ctx.break_label = stop_label;
      return Flow::BREAK;
    }
    return Flow::CONTINUE;
  });
  switch (f) {
    case Flow::CONTINUE: return {};
    case Flow::BREAK:
      if (ctx.break_label == stop_label) return {};
      return Error(ErrorCode::RUNTIME, "break without a matching label");
    case Flow::ERROR: return Error(ErrorCode::RUNTIME, ErrorText(ctx.error));
    case Flow::FATAL: return Error(ErrorCode::LIMIT_EXCEEDED, ErrorText(ctx.error));
  }
  return {};
}

Result<std::vector<Value>> Program::RunAll(const Value& input) const {
  std::vector<Value> out;
  auto st = Run(input, [&](const Value& v) {
    out.push_back(v);
    return true;
  });
  if (!st.ok()) return st.error();
  return out;
}

Result<Value> Program::First(const Value& input) const {
  Value first;
  auto st = Run(input, [&](const Value& v) {
    first = v;
    return false;
  });
  if (!st.ok()) return st.error();
  return first;
}

const std::string& Program::source() const {
  return compiled_->source;
}

}  // namespace sp::jq
