// Core builtins of jq 1.7.1 that are natives: types and lengths, keys, containment, sorting and grouping
// (the `_..._impl` helpers take the precomputed keys from builtin.jq), paths, entries, JSON text, join.

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "jq/builtins/native.hpp"
#include "jq/errors.hpp"
#include "jq/value_ops.hpp"
#include "json/parse.hpp"
#include "json/write.hpp"

namespace sp::jq {
namespace {

using json::Kind;
using json::Value;
using Args = std::span<const Value>;

Error Err(std::string msg) {
  return Error(ErrorCode::RUNTIME, std::move(msg));
}

Result<Value> Length(const Value& in, Args, const NativeContext&) {
  switch (in.kind()) {
    case Kind::NULL_VALUE: return Value::Number(0);
    case Kind::NUMBER: return Value::Number(std::fabs(in.AsNumber()));
    case Kind::STRING: return Value::Number(static_cast<double>(Utf8Length(in.AsString())));
    case Kind::ARRAY:
    case Kind::OBJECT: return Value::Number(static_cast<double>(in.Size()));
    default: return Err(TypeError(in, "has no length"));
  }
}

Result<Value> Utf8ByteLength(const Value& in, Args, const NativeContext&) {
  if (!in.IsString()) return Err(TypeError(in, "only strings have UTF-8 byte length"));
  return Value::Number(static_cast<double>(in.AsString().size()));
}

Result<Value> Not(const Value& in, Args, const NativeContext&) {
  return Value::Bool(!in.IsTruthy());
}

Result<Value> KeysImpl(const Value& in, bool sorted) {
  if (in.IsObject()) {
    std::vector<Value> keys;
    for (const auto& m : in.Members()) keys.push_back(m.key);
    if (sorted) std::sort(keys.begin(), keys.end(), [](const Value& a, const Value& b) { return a < b; });
    return Value::Array(std::move(keys));
  }
  if (in.IsArray()) {
    std::vector<Value> keys;
    for (size_t i = 0; i < in.Size(); ++i) keys.push_back(Value::Number(static_cast<double>(i)));
    return Value::Array(std::move(keys));
  }
  return Err(TypeError(in, "has no keys"));
}
Result<Value> Keys(const Value& in, Args, const NativeContext&) {
  return KeysImpl(in, true);
}
Result<Value> KeysUnsorted(const Value& in, Args, const NativeContext&) {
  return KeysImpl(in, false);
}

Result<Value> Has(const Value& in, Args a, const NativeContext&) {
  if (in.IsObject() && a[0].IsString()) return Value::Bool(in.Find(a[0].AsString()) != nullptr);
  if (in.IsArray() && a[0].IsNumber()) {
    double d = a[0].AsNumber();
    return Value::Bool(d >= 0 && d < static_cast<double>(in.Size()));
  }
  return Err("Cannot check whether " + std::string(in.TypeName()) + " has a " + a[0].TypeName() + " key");
}

bool ContainsImpl(const Value& a, const Value& b) {
  if (a.kind() != b.kind() && !(a.IsBool() && b.IsBool())) return false;
  switch (a.kind()) {
    case Kind::OBJECT:
      for (const auto& m : b.Members()) {
        const Value* x = a.Find(m.key.AsString());
        if (!x || !ContainsImpl(*x, m.value)) return false;
      }
      return true;
    case Kind::ARRAY:
      for (const auto& y : b.Items()) {
        bool found = false;
        for (const auto& x : a.Items()) {
          if (x.kind() == y.kind() || (x.IsBool() && y.IsBool())) {
            if (ContainsImpl(x, y)) {
              found = true;
              break;
            }
          }
        }
        if (!found) return false;
      }
      return true;
    case Kind::STRING: return a.AsString().find(b.AsString()) != std::string_view::npos;
    default: return a == b;
  }
}

Result<Value> Contains(const Value& in, Args a, const NativeContext&) {
  const Value& b = a[0];
  if (in.kind() != b.kind() && !(in.IsBool() && b.IsBool())) {
    return Err(CannotBinop(in, b, "have their containment checked"));
  }
  return Value::Bool(ContainsImpl(in, b));
}

Result<Value> AddAll(const Value& in, Args, const NativeContext&) {
  if (!in.IsArray() && !in.IsObject()) return Err(CannotIterate(in));
  std::vector<Value> items;
  if (in.IsArray()) {
    items.assign(in.Items().begin(), in.Items().end());
  } else {
    for (const auto& m : in.Members()) items.push_back(m.value);
  }
  if (items.empty()) return Value();
  bool all_strings = std::all_of(items.begin(), items.end(), [](const Value& v) { return v.IsString(); });
  if (all_strings) {
    std::string s;
    for (const auto& v : items) s += v.AsString();
    return Value::String(std::move(s));
  }
  Value acc = items[0];
  for (size_t i = 1; i < items.size(); ++i) {
    auto r = Add(acc, items[i]);
    if (!r.ok()) return r;
    acc = std::move(r).value();
  }
  return acc;
}

Result<Value> ToString(const Value& in, Args, const NativeContext&) {
  if (in.IsString()) return in;
  return Value::String(json::ToJson(in));
}

Result<Value> ToNumber(const Value& in, Args, const NativeContext&) {
  if (in.IsNumber()) return in;
  if (!in.IsString()) return Err(TypeError(in, "cannot be parsed as a number"));
  std::string_view s = in.AsString();
  Value v = Value::NumberFromToken(s);
  if (!v.IsNumber() || s.empty()) return Err("Cannot parse '" + std::string(s) + "' as JSON");
  return v;
}

Result<Value> Type(const Value& in, Args, const NativeContext&) {
  return Value::String(in.TypeName());
}
Result<Value> Infinite(const Value&, Args, const NativeContext&) {
  return Value::Number(INFINITY);
}
Result<Value> Nan(const Value&, Args, const NativeContext&) {
  return Value::Number(std::nan(""));
}

Result<Value> NumberPredicate(const Value& in, int which) {
  if (!in.IsNumber()) return Err(TypeError(in, "number required"));
  double d = in.AsNumber();
  switch (which) {
    case 0: return Value::Bool(std::isinf(d));
    case 1: return Value::Bool(std::isnan(d));
    default: return Value::Bool(std::isnormal(d));
  }
}
Result<Value> IsInfinite(const Value& in, Args, const NativeContext&) {
  return NumberPredicate(in, 0);
}
Result<Value> IsNan(const Value& in, Args, const NativeContext&) {
  return NumberPredicate(in, 1);
}
Result<Value> IsNormal(const Value& in, Args, const NativeContext&) {
  return NumberPredicate(in, 2);
}

bool Less(const Value& a, const Value& b) {
  return Value::Compare(a, b) < 0;
}

Result<Value> Sort(const Value& in, Args, const NativeContext&) {
  if (!in.IsArray()) return Err(TypeError(in, "cannot be sorted, as it is not an array"));
  std::vector<Value> items(in.Items().begin(), in.Items().end());
  std::stable_sort(items.begin(), items.end(), Less);
  return Value::Array(std::move(items));
}

// Indices of `in` ordered by their keys (stable), for the *_by helpers.
Result<std::vector<size_t>> OrderByKeys(const Value& in, const Value& keys, const char* what) {
  if (!in.IsArray()) return Err(TypeError(in, std::string("cannot be ") + what + ", as it is not an array"));
  if (!keys.IsArray() || keys.Size() != in.Size()) return Err("internal: bad keys for sort");
  std::vector<size_t> order(in.Size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return Less(keys[a], keys[b]); });
  return order;
}

Result<Value> SortByImpl(const Value& in, Args a, const NativeContext&) {
  auto order = OrderByKeys(in, a[0], "sorted");
  if (!order.ok()) return order.error();
  std::vector<Value> out;
  for (size_t i : order.value()) out.push_back(in[i]);
  return Value::Array(std::move(out));
}

Result<Value> GroupByImpl(const Value& in, Args a, const NativeContext&) {
  auto order = OrderByKeys(in, a[0], "grouped");
  if (!order.ok()) return order.error();
  Value out = Value::Array();
  Value group;
  const Value* last_key = nullptr;
  for (size_t i : order.value()) {
    if (!last_key || Value::Compare(*last_key, a[0][i]) != 0) {
      if (last_key) out.Append(group);
      group = Value::Array();
    }
    group.Append(in[i]);
    last_key = &a[0][i];
  }
  if (last_key) out.Append(group);
  return out;
}

Result<Value> UniqueByImpl(const Value& in, Args a, const NativeContext&) {
  auto order = OrderByKeys(in, a[0], "sorted");
  if (!order.ok()) return order.error();
  Value out = Value::Array();
  const Value* last_key = nullptr;
  for (size_t i : order.value()) {
    if (!last_key || Value::Compare(*last_key, a[0][i]) != 0) out.Append(in[i]);
    last_key = &a[0][i];
  }
  return out;
}

Result<Value> ExtremeByImpl(const Value& in, const Value& keys, bool max) {
  if (!in.IsArray()) return Err(CannotIterate(in));
  if (in.Empty()) return Value();
  size_t best = 0;
  for (size_t i = 1; i < in.Size(); ++i) {
    int c = Value::Compare(keys[i], keys[best]);
    if (max ? c >= 0 : c < 0) best = i;
  }
  return in[best];
}
Result<Value> MinByImpl(const Value& in, Args a, const NativeContext&) {
  return ExtremeByImpl(in, a[0], false);
}
Result<Value> MaxByImpl(const Value& in, Args a, const NativeContext&) {
  return ExtremeByImpl(in, a[0], true);
}
Result<Value> Min(const Value& in, Args, const NativeContext&) {
  return ExtremeByImpl(in, in, false);
}
Result<Value> Max(const Value& in, Args, const NativeContext&) {
  return ExtremeByImpl(in, in, true);
}

Result<Value> Unique(const Value& in, Args, const NativeContext&) {
  if (!in.IsArray()) return Err(TypeError(in, "cannot be sorted, as it is not an array"));
  std::vector<Value> items(in.Items().begin(), in.Items().end());
  std::stable_sort(items.begin(), items.end(), Less);
  items.erase(std::unique(items.begin(), items.end(), [](const Value& a, const Value& b) { return a == b; }),
              items.end());
  return Value::Array(std::move(items));
}

Result<Value> Reverse(const Value& in, Args, const NativeContext&) {
  if (in.IsNull()) return Value::Array();
  if (in.IsString()) {
    std::string_view s = in.AsString();
    std::string out;
    out.reserve(s.size());
    size_t end = s.size();
    while (end > 0) {
      size_t start = end - 1;
      while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
      out += s.substr(start, end - start);
      end = start;
    }
    return Value::String(std::move(out));
  }
  if (in.IsArray()) {
    std::vector<Value> items(in.Items().rbegin(), in.Items().rend());
    return Value::Array(std::move(items));
  }
  if (in.IsObject() && in.Empty()) return Value::Array();
  return Err(CannotIndex(in, Value::Number(0)));
}

Result<Value> SetPathFn(const Value& in, Args a, const NativeContext&) {
  if (!a[0].IsArray()) return Err("Path must be specified as an array");
  return SetPath(in, a[0].Items(), a[1]);
}

Result<Value> DelPathsFn(const Value& in, Args a, const NativeContext&) {
  if (!a[0].IsArray()) return Err("Paths must be specified as an array");
  return DelPaths(in, std::vector<Value>(a[0].Items().begin(), a[0].Items().end()));
}

Result<Value> ToEntries(const Value& in, Args, const NativeContext&) {
  Value out = Value::Array();
  if (in.IsObject()) {
    for (const auto& m : in.Members()) {
      Value e = Value::Object();
      e.Set("key", m.key);
      e.Set("value", m.value);
      out.Append(std::move(e));
    }
    return out;
  }
  if (in.IsArray()) {
    for (size_t i = 0; i < in.Size(); ++i) {
      Value e = Value::Object();
      e.Set("key", Value::Number(static_cast<double>(i)));
      e.Set("value", in[i]);
      out.Append(std::move(e));
    }
    return out;
  }
  return Err(TypeError(in, "has no keys"));
}

// jq 1.7.1: the key is .key, or else the first truthy of .k .name .Name .K .Key; a non-string key is
// written as JSON text. The value is .value, .Value, .v or .V, whichever is present first.
Result<Value> FromEntries(const Value& in, Args, const NativeContext&) {
  if (!in.IsArray() && !in.IsObject()) return Err(CannotIterate(in));
  Value out = Value::Object();
  auto add = [&](const Value& e) -> Status {
    if (!e.IsObject() && !e.IsNull()) return Err(CannotIndex(e, Value::String("key")));
    Value key;
    if (const Value* k = e.Find("key"); k && !k->IsNull()) {
      key = *k;
    } else {
      for (const char* name : {"k", "name", "Name", "K", "Key"}) {
        const Value* k2 = e.Find(name);
        if (k2 && k2->IsTruthy()) {
          key = *k2;
          break;
        }
      }
    }
    if (!key.IsString()) key = Value::String(json::ToJson(key));
    Value value;
    for (const char* name : {"value", "Value", "v", "V"}) {
      if (const Value* v = e.Find(name)) {
        value = *v;
        break;
      }
    }
    out.Set(key, value);
    return {};
  };
  if (in.IsArray()) {
    for (const auto& e : in.Items()) {
      if (auto st = add(e); !st.ok()) return st.error();
    }
  } else {
    for (const auto& m : in.Members()) {
      if (auto st = add(m.value); !st.ok()) return st.error();
    }
  }
  return out;
}

Result<Value> ToJsonFn(const Value& in, Args, const NativeContext&) {
  return Value::String(json::ToJson(in));
}

Result<Value> FromJson(const Value& in, Args, const NativeContext&) {
  if (!in.IsString()) return Err(TypeError(in, "only strings can be parsed"));
  std::string_view s = in.AsString();
  size_t b = s.find_first_not_of(" \t\r\n");
  std::string_view t = b == std::string_view::npos ? std::string_view() : s.substr(b);
  // jq 1.7.1 reads `nan` (with or without a payload) as NaN.
  if (t.starts_with("nan") || t.starts_with("-nan")) return Value::Number(std::nan(""));
  auto r = json::Parse(s);
  if (!r.ok()) return Err(r.error().message + " (while parsing '" + std::string(s) + "')");
  return r;
}

Result<Value> Join(const Value& in, Args a, const NativeContext&) {
  if (!in.IsArray() && !in.IsObject()) return Err(CannotIterate(in));
  std::vector<Value> items;
  if (in.IsArray()) {
    items.assign(in.Items().begin(), in.Items().end());
  } else {
    for (const auto& m : in.Members()) items.push_back(m.value);
  }
  if (items.empty()) return Value::String("");
  const Value& sep = a[0];
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) {
      if (!sep.IsString()) {
        return Err(CannotBinop(Value::String(out), sep, sep.IsNull() ? "added" : "added"));
      }
      out += sep.AsString();
    }
    const Value& v = items[i];
    if (v.IsNull()) continue;
    if (v.IsString()) {
      out += v.AsString();
    } else if (v.IsNumber() || v.IsBool()) {
      out += json::ToJson(v);
    } else {
      return Err(CannotBinop(Value::String(out), v, "added"));
    }
  }
  return Value::String(std::move(out));
}

Result<Value> Ascii(const Value& in, Args, const NativeContext&) {
  if (!in.IsNumber() || in.AsNumber() < 0 || in.AsNumber() > 127) {
    return Err("ascii only takes numbers in the range 0-127");
  }
  return Value::String(std::string(1, static_cast<char>(in.AsNumber())));
}

Result<Value> FlattenTo(const Value& v, double depth, Value& out) {
  for (const auto& x : v.IsArray() ? v.Items() : std::span<const Value>()) {
    if (x.IsArray() && depth != 0) {
      auto r = FlattenTo(x, depth - 1, out);
      if (!r.ok()) return r;
    } else {
      out.Append(x);
    }
  }
  return out;
}

Result<Value> Flatten(const Value& in, Args a, const NativeContext&) {
  if (!a[0].IsNumber()) return Err("flatten depth must not be negative");
  double depth = a[0].AsNumber();
  if (depth < 0) return Err("flatten depth must not be negative");
  Value src = in;
  if (in.IsObject()) {
    std::vector<Value> vals;
    for (const auto& m : in.Members()) vals.push_back(m.value);
    src = Value::Array(std::move(vals));
  } else if (!in.IsArray()) {
    return Err(CannotIterate(in));
  }
  Value out = Value::Array();
  return FlattenTo(src, depth, out);
}

void Stream(const Value& v, std::vector<Value>& path, Value& out, bool top) {
  auto event = [&](const Value* leaf) {
    Value e = Value::Array();
    e.Append(Value::Array(path));
    if (leaf) e.Append(*leaf);
    out.Append(std::move(e));
  };
  if ((v.IsArray() || v.IsObject()) && !v.Empty()) {
    Value last_key;
    if (v.IsArray()) {
      for (size_t i = 0; i < v.Size(); ++i) {
        path.push_back(Value::Number(static_cast<double>(i)));
        Stream(v[i], path, out, false);
        last_key = path.back();
        path.pop_back();
      }
    } else {
      for (const auto& m : v.Members()) {
        path.push_back(m.key);
        Stream(m.value, path, out, false);
        last_key = path.back();
        path.pop_back();
      }
    }
    path.push_back(last_key);
    event(nullptr);
    path.pop_back();
  } else {
    event(&v);
  }
  (void)top;
}

Result<Value> ToStreamImpl(const Value& in, Args, const NativeContext&) {
  Value out = Value::Array();
  std::vector<Value> path;
  Stream(in, path, out, true);
  return out;
}

Result<Value> Transpose(const Value& in, Args, const NativeContext&) {
  if (!in.IsArray()) return Err(CannotIterate(in));
  size_t width = 0;
  for (const auto& row : in.Items()) {
    if (!row.IsArray()) return Err(TypeError(row, "cannot be transposed"));
    width = std::max(width, row.Size());
  }
  Value out = Value::Array();
  for (size_t c = 0; c < width; ++c) {
    Value col = Value::Array();
    for (const auto& row : in.Items()) col.Append(c < row.Size() ? row[c] : Value());
    out.Append(std::move(col));
  }
  return out;
}

Result<Value> BSearch(const Value& in, Args a, const NativeContext&) {
  if (!in.IsArray()) return Err(TypeError(in, "cannot be searched from"));
  size_t lo = 0;
  size_t hi = in.Size();
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = Value::Compare(in[mid], a[0]);
    if (c == 0) return Value::Number(static_cast<double>(mid));
    if (c < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return Value::Number(-1.0 - static_cast<double>(lo));
}

Result<Value> Abs(const Value& in, Args, const NativeContext&) {
  if (in.IsNumber() && in.AsNumber() < 0) return Value::Number(-in.AsNumber());
  if (in.IsNumber() || in.IsString()) return in;
  return Err(TypeError(in, "has no absolute value"));
}

constexpr NativeBuiltin kCore[] = {
    {"length", 0, Length},
    {"utf8bytelength", 0, Utf8ByteLength},
    {"not", 0, Not},
    {"keys", 0, Keys},
    {"keys_unsorted", 0, KeysUnsorted},
    {"has", 1, Has},
    {"contains", 1, Contains},
    {"add", 0, AddAll},
    {"tostring", 0, ToString},
    {"tonumber", 0, ToNumber},
    {"type", 0, Type},
    {"infinite", 0, Infinite},
    {"nan", 0, Nan},
    {"isinfinite", 0, IsInfinite},
    {"isnan", 0, IsNan},
    {"isnormal", 0, IsNormal},
    {"sort", 0, Sort},
    {"_sort_by_impl", 1, SortByImpl},
    {"_group_by_impl", 1, GroupByImpl},
    {"_unique_by_impl", 1, UniqueByImpl},
    {"_min_by_impl", 1, MinByImpl},
    {"_max_by_impl", 1, MaxByImpl},
    {"min", 0, Min},
    {"max", 0, Max},
    {"unique", 0, Unique},
    {"reverse", 0, Reverse},
    {"setpath", 2, SetPathFn},
    {"delpaths", 1, DelPathsFn},
    {"to_entries", 0, ToEntries},
    {"from_entries", 0, FromEntries},
    {"tojson", 0, ToJsonFn},
    {"fromjson", 0, FromJson},
    {"join", 1, Join},
    {"ascii", 0, Ascii},
    {"flatten", 1, Flatten},
    {"_tostream", 0, ToStreamImpl},
    {"transpose", 0, Transpose},
    {"bsearch", 1, BSearch},
    {"abs", 0, Abs},
};

}  // namespace

std::span<const NativeBuiltin> CoreBuiltins() {
  return kCore;
}

}  // namespace sp::jq
