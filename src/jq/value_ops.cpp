#include "jq/value_ops.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>

#include "jq/errors.hpp"

namespace sp::jq {

using json::Kind;
using json::Value;

namespace {

Error Err(std::string msg) {
  return Error(ErrorCode::RUNTIME, std::move(msg));
}

Value DeepMerge(const Value& a, const Value& b) {
  Value out = a;
  for (const auto& m : b.Members()) {
    const Value* existing = out.Find(m.key.AsString());
    if (existing && existing->IsObject() && m.value.IsObject()) {
      Value merged = DeepMerge(*existing, m.value);
      out.Set(m.key, std::move(merged));
    } else {
      out.Set(m.key, m.value);
    }
  }
  return out;
}

// jq 1.7.1 clamps doubles into intmax_t before `%`, which is what keeps infinities from trapping.
intmax_t ClampToInt(double d) {
  if (d <= static_cast<double>(INTMAX_MIN)) return INTMAX_MIN;
  if (d >= static_cast<double>(INTMAX_MAX)) return INTMAX_MAX;
  return static_cast<intmax_t>(d);
}

Value RepeatString(std::string_view s, double n) {
  if (std::isnan(n) || n < 0) return Value();
  double count = std::floor(n);
  if (count * static_cast<double>(s.size()) > static_cast<double>(INT_MAX)) return Value();
  std::string out;
  size_t c = static_cast<size_t>(count);
  out.reserve(s.size() * c);
  for (size_t i = 0; i < c; ++i) out += s;
  return Value::String(std::move(out));
}

// Array index semantics: floor, negative counts from the end; -1 when out of range or NaN.
long long ArrayIndex(double d, size_t len) {
  if (std::isnan(d)) return -1;
  double f = std::floor(d);
  if (f < 0) f += static_cast<double>(len);
  if (f < 0 || f >= static_cast<double>(len)) return -1;
  return static_cast<long long>(f);
}

// jq's parse_slice: clamp, round the end up.
bool SliceBounds(const Value& from, const Value& to, size_t len, size_t& start, size_t& end) {
  if ((!from.IsNull() && !from.IsNumber()) || (!to.IsNull() && !to.IsNumber())) return false;
  double n = static_cast<double>(len);
  double ds = from.IsNull() ? 0 : from.AsNumber();
  double de = to.IsNull() ? n : to.AsNumber();
  if (std::isnan(ds)) ds = 0;
  if (std::isnan(de)) de = n;
  if (ds < 0) ds += n;
  if (de < 0) de += n;
  // jq 1.7.1 rounds the start down and the end up before clamping.
  ds = std::floor(ds);
  de = std::ceil(de);
  if (ds < 0) ds = 0;
  if (ds > n) ds = n;
  if (de > n) de = n;
  if (de < ds) de = ds;
  start = static_cast<size_t>(ds);
  end = static_cast<size_t>(de);
  return true;
}

// Byte offset of the codepoint with index `cp` in UTF-8 text.
size_t CodepointOffset(std::string_view s, size_t cp) {
  size_t i = 0;
  while (i < s.size() && cp > 0) {
    ++i;
    while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
    --cp;
  }
  return i;
}

Value Indices(const Value& a, const Value& b) {
  Value out = Value::Array();
  if (b.Empty()) return Value();
  auto items = a.Items();
  auto sub = b.Items();
  for (size_t i = 0; i + sub.size() <= items.size(); ++i) {
    bool match = true;
    for (size_t j = 0; j < sub.size() && match; ++j) match = items[i + j] == sub[j];
    if (match) out.Append(Value::Number(static_cast<double>(i)));
  }
  return out;
}

}  // namespace

size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

Value SplitString(std::string_view s, std::string_view sep) {
  Value out = Value::Array();
  if (s.empty()) return out;
  if (sep.empty()) {
    // jq 1.7.1 splits into single codepoints... no: it returns each byte-sequence? It splits per character.
    size_t i = 0;
    while (i < s.size()) {
      size_t j = i + 1;
      while (j < s.size() && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) ++j;
      out.Append(Value::String(s.substr(i, j - i)));
      i = j;
    }
    return out;
  }
  size_t start = 0;
  for (;;) {
    size_t at = s.find(sep, start);
    if (at == std::string_view::npos) {
      out.Append(Value::String(s.substr(start)));
      break;
    }
    out.Append(Value::String(s.substr(start, at - start)));
    start = at + sep.size();
  }
  return out;
}

Result<Value> Add(const Value& a, const Value& b) {
  if (a.IsNull()) return b;
  if (b.IsNull()) return a;
  if (a.kind() == b.kind()) {
    switch (a.kind()) {
      case Kind::NUMBER: return Value::Number(a.AsNumber() + b.AsNumber());
      case Kind::STRING: {
        std::string s;
        s.reserve(a.AsString().size() + b.AsString().size());
        s += a.AsString();
        s += b.AsString();
        return Value::String(std::move(s));
      }
      case Kind::ARRAY: {
        if (a.Empty()) return b;
        Value out = a;
        out.Reserve(a.Size() + b.Size());
        for (const auto& v : b.Items()) out.Append(v);
        return out;
      }
      case Kind::OBJECT: {
        if (a.Empty()) return b;
        Value out = a;
        for (const auto& m : b.Members()) out.Set(m.key, m.value);
        return out;
      }
      default: break;
    }
  }
  return Err(CannotBinop(a, b, "added"));
}

Result<Value> Negate(const Value& v) {
  if (v.IsNumber()) return Value::Number(-v.AsNumber());
  return Err(TypeError(v, "cannot be negated"));
}

Result<Value> BinaryOp(BinOp op, const Value& a, const Value& b) {
  switch (op) {
    case BinOp::ADD: return Add(a, b);
    case BinOp::SUB:
      if (a.IsNumber() && b.IsNumber()) return Value::Number(a.AsNumber() - b.AsNumber());
      if (a.IsArray() && b.IsArray()) {
        Value out = Value::Array();
        for (const auto& x : a.Items()) {
          bool found = false;
          for (const auto& y : b.Items()) {
            if (x == y) {
              found = true;
              break;
            }
          }
          if (!found) out.Append(x);
        }
        return out;
      }
      return Err(CannotBinop(a, b, "subtracted"));
    case BinOp::MUL:
      if (a.IsNumber() && b.IsNumber()) return Value::Number(a.AsNumber() * b.AsNumber());
      if (a.IsString() && b.IsNumber()) return RepeatString(a.AsString(), b.AsNumber());
      if (a.IsNumber() && b.IsString()) return RepeatString(b.AsString(), a.AsNumber());
      if (a.IsObject() && b.IsObject()) return DeepMerge(a, b);
      return Err(CannotBinop(a, b, "multiplied"));
    case BinOp::DIV:
      if (a.IsNumber() && b.IsNumber()) {
        if (b.AsNumber() == 0) return Err(CannotBinop(a, b, "divided because the divisor is zero"));
        return Value::Number(a.AsNumber() / b.AsNumber());
      }
      if (a.IsString() && b.IsString()) return SplitString(a.AsString(), b.AsString());
      return Err(CannotBinop(a, b, "divided"));
    case BinOp::MOD:
      if (a.IsNumber() && b.IsNumber()) {
        double na = a.AsNumber();
        double nb = b.AsNumber();
        if (std::isnan(na) || std::isnan(nb)) return Value::Number(std::nan(""));
        intmax_t bi = ClampToInt(nb);
        if (bi == 0) return Err(CannotBinop(a, b, "divided (remainder) because the divisor is zero"));
        intmax_t r = bi == -1 ? 0 : ClampToInt(na) % bi;
        return Value::Number(static_cast<double>(r));
      }
      return Err(CannotBinop(a, b, "divided (remainder)"));
    case BinOp::EQ: return Value::Bool(Value::Compare(a, b) == 0);
    case BinOp::NE: return Value::Bool(Value::Compare(a, b) != 0);
    case BinOp::LT: return Value::Bool(Value::Compare(a, b) < 0);
    case BinOp::LE: return Value::Bool(Value::Compare(a, b) <= 0);
    case BinOp::GT: return Value::Bool(Value::Compare(a, b) > 0);
    case BinOp::GE: return Value::Bool(Value::Compare(a, b) >= 0);
  }
  return Err("unknown operator");
}

json::Value SliceKey(const Value& from, const Value& to) {
  Value k = Value::Object();
  k.Set("start", from);
  k.Set("end", to);
  return k;
}

Result<Value> Slice(const Value& v, const Value& from, const Value& to) {
  if (v.IsNull()) return Value();
  if (!v.IsArray() && !v.IsString()) return Err(CannotIndex(v, SliceKey(from, to)));
  size_t start = 0;
  size_t end = 0;
  if (v.IsArray()) {
    if (!SliceBounds(from, to, v.Size(), start, end)) {
      return Err("Start and end indices of an array slice must be numbers");
    }
    auto items = v.Items();
    return Value::Array(
        std::vector<Value>(items.begin() + static_cast<long>(start), items.begin() + static_cast<long>(end)));
  }
  std::string_view s = v.AsString();
  if (!SliceBounds(from, to, Utf8Length(s), start, end)) {
    return Err("Start and end indices of an string slice must be numbers");
  }
  size_t b = CodepointOffset(s, start);
  size_t e = b + CodepointOffset(s.substr(b), end - start);
  return Value::String(s.substr(b, e - b));
}

Result<Value> Index(const Value& v, const Value& key) {
  switch (key.kind()) {
    case Kind::STRING:
      if (v.IsObject()) {
        const Value* found = v.Find(key.AsString());
        return found ? *found : Value();
      }
      if (v.IsNull()) return Value();
      break;
    case Kind::NUMBER:
      if (v.IsArray()) {
        long long i = ArrayIndex(key.AsNumber(), v.Size());
        return i < 0 ? Value() : v[static_cast<size_t>(i)];
      }
      if (v.IsNull()) return Value();
      break;
    case Kind::OBJECT:
      if (v.IsArray() || v.IsString() || v.IsNull()) {
        const Value* s = key.Find("start");
        const Value* e = key.Find("end");
        if (s && e && key.Size() == 2) return Slice(v, *s, *e);
      }
      break;
    case Kind::ARRAY:
      if (v.IsArray()) return Indices(v, key);
      if (v.IsNull()) return Value();
      break;
    case Kind::NULL_VALUE:
      if (v.IsNull()) return Value();
      break;
    default: break;
  }
  return Err(CannotIndex(v, key));
}

Result<Value> GetPath(const Value& v, std::span<const Value> path) {
  Value cur = v;
  for (const auto& k : path) {
    if (cur.IsNull()) return Value();
    auto next = Index(cur, k);
    if (!next.ok()) return next;
    cur = std::move(next).value();
  }
  return cur;
}

Result<Value> SetPath(const Value& v, std::span<const Value> path, const Value& x) {
  if (path.empty()) return x;
  const Value& key = path[0];
  auto rest = path.subspan(1);
  if (key.IsString()) {
    if (!v.IsObject() && !v.IsNull()) return Err(CannotIndex(v, key));
    Value out = v.IsNull() ? Value::Object() : v;
    Value child;
    if (Value* slot = out.MutableFind(key.AsString())) child = std::move(*slot);
    auto r = SetPath(child, rest, x);
    if (!r.ok()) return r;
    out.Set(key, std::move(r).value());
    return out;
  }
  if (key.IsNumber()) {
    if (!v.IsArray() && !v.IsNull()) return Err(CannotIndex(v, key));
    double d = key.AsNumber();
    if (std::isnan(d)) return Err("Cannot set array element at NaN index");
    Value out = v.IsNull() ? Value::Array() : v;
    double f = std::floor(d);
    if (f < 0) {
      f += static_cast<double>(out.Size());
      if (f < 0) return Err("Out of bounds negative array index");
    }
    if (f > 536870912.0) return Err("Array index too large");
    size_t i = static_cast<size_t>(f);
    Value child;
    if (i < out.Size()) child = std::move(out.MutableAt(i));
    auto r = SetPath(child, rest, x);
    if (!r.ok()) return r;
    while (out.Size() <= i) out.Append(Value());
    out.MutableAt(i) = std::move(r).value();
    return out;
  }
  if (key.IsObject()) {
    const Value* s = key.Find("start");
    const Value* e = key.Find("end");
    if (!s || !e) return Err(CannotIndex(v, key));
    if (v.IsString()) return Err("Cannot update string slices");
    if (!v.IsArray() && !v.IsNull()) return Err(CannotIndex(v, key));
    Value arr = v.IsNull() ? Value::Array() : v;
    size_t start = 0;
    size_t end = 0;
    if (!SliceBounds(*s, *e, arr.Size(), start, end)) {
      return Err("Start and end indices of an array slice must be numbers");
    }
    auto cur = Slice(arr, *s, *e);
    if (!cur.ok()) return cur;
    auto r = SetPath(cur.value(), rest, x);
    if (!r.ok()) return r;
    const Value& repl = r.value();
    if (!repl.IsArray()) return Err("A slice of an array can only be assigned another array");
    std::vector<Value> items(arr.Items().begin(), arr.Items().begin() + static_cast<long>(start));
    for (const auto& it : repl.Items()) items.push_back(it);
    for (size_t i = end; i < arr.Size(); ++i) items.push_back(arr[i]);
    return Value::Array(std::move(items));
  }
  if (key.IsNull() && v.IsNull()) return SetPath(v, rest, x);
  return Err(CannotIndex(v, key));
}

namespace {

// Deletes several paths at once, level by level: nested deletions first, then the direct ones together, with
// negative indices and slices resolved against the original array (so `del(.[1], .[-6])` removes both).
Result<Value> DelPathsRec(const Value& v, const std::vector<std::span<const Value>>& paths) {
  if (v.IsNull()) return v;
  Value out = v;
  std::vector<const Value*> direct;
  std::vector<bool> done(paths.size(), false);
  for (size_t i = 0; i < paths.size(); ++i) {
    if (done[i]) continue;
    if (paths[i].size() == 1) {
      direct.push_back(&paths[i][0]);
      continue;
    }
    const Value& key = paths[i][0];
    std::vector<std::span<const Value>> tails;
    for (size_t j = i; j < paths.size(); ++j) {
      if (!done[j] && paths[j].size() > 1 && paths[j][0] == key) {
        tails.push_back(paths[j].subspan(1));
        done[j] = true;
      }
    }
    auto child = Index(out, key);
    if (!child.ok()) return child;
    if (child.value().IsNull()) continue;
    auto r = DelPathsRec(child.value(), tails);
    if (!r.ok()) return r;
    auto set = SetPath(out, std::span<const Value>(&key, 1), r.value());
    if (!set.ok()) return set;
    out = std::move(set).value();
  }
  if (direct.empty()) return out;
  if (out.IsObject()) {
    for (const Value* key : direct) {
      if (!key->IsString()) return Err("Cannot delete field at object index of " + std::string(key->TypeName()));
      out.Erase(key->AsString());
    }
    return out;
  }
  if (!out.IsArray()) {
    const Value* key = direct[0];
    if (key->IsString()) return Err("Cannot delete field at object index of " + std::string(out.TypeName()));
    return Err(std::string("Cannot delete field at index of ") + out.TypeName());
  }
  std::vector<bool> drop(out.Size(), false);
  for (const Value* key : direct) {
    if (key->IsNumber()) {
      long long i = ArrayIndex(key->AsNumber(), out.Size());
      if (i >= 0) drop[static_cast<size_t>(i)] = true;
    } else if (key->IsObject() && key->Find("start") && key->Find("end")) {
      size_t start = 0;
      size_t end = 0;
      if (!SliceBounds(*key->Find("start"), *key->Find("end"), out.Size(), start, end)) {
        return Err("Start and end indices of an array slice must be numbers");
      }
      for (size_t i = start; i < end; ++i) drop[i] = true;
    } else {
      return Err(CannotIndex(out, *key));
    }
  }
  std::vector<Value> items;
  for (size_t i = 0; i < out.Size(); ++i) {
    if (!drop[i]) items.push_back(out[i]);
  }
  return Value::Array(std::move(items));
}

}  // namespace

Result<Value> DelPaths(const Value& v, std::vector<Value> paths) {
  std::vector<std::span<const Value>> spans;
  for (const auto& p : paths) {
    if (!p.IsArray()) return Err("Path must be specified as an array");
    if (p.Empty()) return Value();
    spans.push_back(p.Items());
  }
  return DelPathsRec(v, spans);
}

size_t ApproxSize(const Value& v) {
  switch (v.kind()) {
    case Kind::STRING: return v.AsString().size() + 16;
    case Kind::ARRAY: {
      size_t n = 16;
      for (const auto& x : v.Items()) n += ApproxSize(x);
      return n;
    }
    case Kind::OBJECT: {
      size_t n = 16;
      for (const auto& m : v.Members()) n += m.key.AsString().size() + ApproxSize(m.value);
      return n;
    }
    default: return 16;
  }
}

}  // namespace sp::jq
