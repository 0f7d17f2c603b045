// jq's total order over values (jq 1.7.1's jv_cmp).

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "json/detail/node.hpp"
#include "json/value.hpp"

namespace sp::json {
namespace {

int CompareBytes(std::string_view a, std::string_view b) {
  const size_t n = std::min(a.size(), b.size());
  int r = n == 0 ? 0 : std::memcmp(a.data(), b.data(), n);
  if (r != 0) return r < 0 ? -1 : 1;
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

int CompareNumbers(const Value& a, const Value& b) {
  const double x = a.AsNumber();
  const double y = b.AsNumber();
  // jq 1.7.1 orders nan as if it were null: below every number, itself included.
  if (std::isnan(x)) return -1;
  if (std::isnan(y)) return 1;
  if (x < y) return -1;
  if (x > y) return 1;
  // Equal doubles: two literals may still differ beyond double precision (jq compares them as decimals).
  std::string_view la = a.NumberLiteralText();
  std::string_view lb = b.NumberLiteralText();
  if (!la.empty() && !lb.empty()) return detail::CompareDecimalLiterals(la, lb);
  return 0;
}

std::vector<const Member*> SortedMembers(const Value& v) {
  std::vector<const Member*> out;
  out.reserve(v.Size());
  for (const Member& m : v.Members()) out.push_back(&m);
  std::sort(out.begin(), out.end(),
            [](const Member* x, const Member* y) { return CompareBytes(x->key.AsString(), y->key.AsString()) < 0; });
  return out;
}

}  // namespace

int Value::Compare(const Value& a, const Value& b) {
  if (a.kind_ != b.kind_) return a.kind_ < b.kind_ ? -1 : 1;
  switch (a.kind_) {
    case Kind::NULL_VALUE:
    case Kind::FALSE_VALUE:
    case Kind::TRUE_VALUE: return 0;
    case Kind::NUMBER: return CompareNumbers(a, b);
    case Kind::STRING:
      if (a.node_ == b.node_) return 0;
      return CompareBytes(a.AsString(), b.AsString());
    case Kind::ARRAY: {
      if (a.node_ == b.node_) return 0;
      std::span<const Value> x = a.Items();
      std::span<const Value> y = b.Items();
      const size_t n = std::min(x.size(), y.size());
      for (size_t i = 0; i < n; ++i) {
        if (int r = Compare(x[i], y[i])) return r;
      }
      if (x.size() == y.size()) return 0;
      return x.size() < y.size() ? -1 : 1;
    }
    case Kind::OBJECT: {
      if (a.node_ == b.node_) return 0;
      // jq compares the sorted key lists first, then the values key by key in that order.
      std::vector<const Member*> x = SortedMembers(a);
      std::vector<const Member*> y = SortedMembers(b);
      const size_t n = std::min(x.size(), y.size());
      for (size_t i = 0; i < n; ++i) {
        if (int r = CompareBytes(x[i]->key.AsString(), y[i]->key.AsString())) return r;
      }
      if (x.size() != y.size()) return x.size() < y.size() ? -1 : 1;
      for (size_t i = 0; i < n; ++i) {
        if (int r = Compare(x[i]->value, y[i]->value)) return r;
      }
      return 0;
    }
  }
  return 0;
}

}  // namespace sp::json
