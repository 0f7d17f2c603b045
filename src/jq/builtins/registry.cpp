// The builtin registry: concatenates the native families, names the intrinsics (builtins the evaluator runs
// itself because they take generators or paths), and lists everything `builtins` reports.

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "jq/builtins/native.hpp"
#include "jq/compiler.hpp"
#include "jq/interp.hpp"

namespace sp::jq {

namespace {

struct IntrinsicRow {
  const char* name;
  int arity;
  Intrinsic id;
};

constexpr std::array<IntrinsicRow, 16> kIntrinsics = {{
    {"empty", 0, Intrinsic::EMPTY},
    {"error", 0, Intrinsic::ERROR0},
    {"error", 1, Intrinsic::ERROR1},
    {"path", 1, Intrinsic::PATH},
    {"getpath", 1, Intrinsic::GETPATH},
    {"select", 1, Intrinsic::SELECT},
    {"first", 1, Intrinsic::FIRST},
    {"limit", 2, Intrinsic::LIMIT},
    {"range", 2, Intrinsic::RANGE2},
    {"range", 3, Intrinsic::RANGE3},
    {"isempty", 1, Intrinsic::ISEMPTY},
    {"env", 0, Intrinsic::ENV},
    {"builtins", 0, Intrinsic::BUILTINS},
    {"recurse", 0, Intrinsic::RECURSE0},
    {"recurse", 1, Intrinsic::RECURSE1},
    {"recurse", 2, Intrinsic::RECURSE2},
}};

}  // namespace

int FindIntrinsic(std::string_view name, int arity) {
  for (const auto& row : kIntrinsics) {
    if (row.name == name && row.arity == arity) return static_cast<int>(row.id);
  }
  return -1;
}

std::span<const NativeBuiltin> AllNatives() {
  static const std::vector<NativeBuiltin> all = [] {
    std::vector<NativeBuiltin> v;
    for (auto family :
         {CoreBuiltins(), StringBuiltins(), RegexBuiltins(), MathBuiltins(), DateBuiltins(), FormatBuiltins()}) {
      v.insert(v.end(), family.begin(), family.end());
    }
    return v;
  }();
  return all;
}

const std::vector<std::string>& BuiltinNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    auto add = [&](std::string_view name, size_t arity) {
      if (name.empty() || name[0] == '_') return;
      v.push_back(std::string(name) + "/" + std::to_string(arity));
    };
    for (const auto& row : kIntrinsics) add(row.name, static_cast<size_t>(row.arity));
    for (const auto& nb : AllNatives()) add(nb.name, static_cast<size_t>(nb.arity));
    for (const auto& def : BuiltinLibrary().defs) add(def->name, def->params.size());
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
  }();
  return names;
}

}  // namespace sp::jq
