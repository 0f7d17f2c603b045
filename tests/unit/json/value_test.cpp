#include "json/value.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "json/parse.hpp"
#include "json/write.hpp"

namespace sp::json {
namespace {

Value J(std::string_view text) {
  Result<Value> r = Parse(text);
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().ToString());
  return r.ok() ? r.value() : Value();
}

TEST(Value, KindsAndTypeNames) {
  EXPECT_STREQ(Value().TypeName(), "null");
  EXPECT_STREQ(Value::Bool(true).TypeName(), "boolean");
  EXPECT_STREQ(Value::Bool(false).TypeName(), "boolean");
  EXPECT_STREQ(Value::Number(1).TypeName(), "number");
  EXPECT_STREQ(Value::String("x").TypeName(), "string");
  EXPECT_STREQ(Value::Array().TypeName(), "array");
  EXPECT_STREQ(Value::Object().TypeName(), "object");
  EXPECT_FALSE(Value().IsTruthy());
  EXPECT_FALSE(Value::Bool(false).IsTruthy());
  EXPECT_TRUE(Value::Number(0).IsTruthy());
  EXPECT_TRUE(Value::String("").IsTruthy());
}

TEST(Value, ObjectKeepsInsertionOrderAndReplacesInPlace) {
  Value o = Value::Object();
  o.Set("b", Value::Number(1));
  o.Set("a", Value::Number(2));
  o.Set("c", Value::Number(3));
  o.Set("b", Value::Number(4));
  EXPECT_EQ(ToJson(o), R"({"b":4,"a":2,"c":3})");
  ASSERT_NE(o.Find("a"), nullptr);
  EXPECT_EQ(o.Find("a")->AsNumber(), 2);
  EXPECT_EQ(o.Find("zz"), nullptr);
  EXPECT_TRUE(o.Erase("a"));
  EXPECT_FALSE(o.Erase("a"));
  EXPECT_EQ(ToJson(o), R"({"b":4,"c":3})");
}

TEST(Value, ObjectFromMembersLaterDuplicateWinsAtFirstPosition) {
  std::vector<Member> members;
  members.push_back({Value::String("x"), Value::Number(1)});
  members.push_back({Value::String("y"), Value::Number(2)});
  members.push_back({Value::String("x"), Value::Number(3)});
  EXPECT_EQ(ToJson(Value::Object(std::move(members))), R"({"x":3,"y":2})");
  EXPECT_EQ(ToJson(J(R"({"a":1,"b":2,"a":3})")), R"({"a":3,"b":2})");
}

TEST(Value, LargeObjectsUseIndexAndStayOrdered) {
  Value o = Value::Object();
  for (int i = 0; i < 200; ++i) o.Set("k" + std::to_string(i), Value::Number(i));
  for (int i = 0; i < 200; ++i) {
    const Value* v = o.Find("k" + std::to_string(i));
    ASSERT_NE(v, nullptr) << i;
    EXPECT_EQ(v->AsNumber(), i);
  }
  EXPECT_EQ(o.Find("k200"), nullptr);
  o.Set("k5", Value::String("five"));
  EXPECT_EQ(o.Members()[5].value.AsString(), "five");
  EXPECT_TRUE(o.Erase("k0"));
  EXPECT_EQ(o.Members()[0].key.AsString(), "k1");
  EXPECT_EQ(o.Find("k0"), nullptr);
  EXPECT_EQ(o.Find("k199")->AsNumber(), 199);
  // Duplicates in a large literal object.
  std::string text = "{";
  for (int i = 0; i < 40; ++i) text += "\"k" + std::to_string(i % 20) + "\":" + std::to_string(i) + ",";
  text += "\"end\":true}";
  Value p = J(text);
  EXPECT_EQ(p.Size(), 21u);
  EXPECT_EQ(p.Find("k3")->AsNumber(), 23);
  EXPECT_EQ(p.Members()[3].key.AsString(), "k3");
}

TEST(Value, CopyOnWriteNeverChangesTheOriginal) {
  Value a = J(R"({"list":[1,2,3],"obj":{"x":1}})");
  Value b = a;
  EXPECT_TRUE(a.IdenticalTo(b));
  b.Set("new", Value::Bool(true));
  b.MutableFind("list")->Append(Value::Number(4));
  b.MutableFind("obj")->Set("x", Value::Number(2));
  EXPECT_EQ(ToJson(a), R"({"list":[1,2,3],"obj":{"x":1}})");
  EXPECT_EQ(ToJson(b), R"({"list":[1,2,3,4],"obj":{"x":2},"new":true})");

  Value arr = J("[[1],[2]]");
  Value inner = arr[0];
  Value arr2 = arr;
  arr2.MutableAt(0).Append(Value::Number(9));
  EXPECT_EQ(ToJson(arr), "[[1],[2]]");
  EXPECT_EQ(ToJson(inner), "[1]");
  EXPECT_EQ(ToJson(arr2), "[[1,9],[2]]");

  Value o = J(R"({"a":1})");
  Value o2 = o;
  EXPECT_TRUE(o2.Erase("a"));
  EXPECT_EQ(ToJson(o), R"({"a":1})");
  EXPECT_EQ(ToJson(o2), "{}");
}

TEST(Value, UniqueValueIsMutatedInPlace) {
  Value a = Value::Array();
  a.Append(Value::Number(1));
  const Value* before = &a[0];
  a.Reserve(100);
  before = &a[0];
  for (int i = 0; i < 50; ++i) a.Append(Value::Number(i));
  EXPECT_EQ(&a[0], before);  // reserved and unshared: no copy, no reallocation
}

TEST(Value, SetWithSharedStringKey) {
  Value key = Value::String("k");
  Value o = Value::Object();
  o.Set(key, Value::Number(1));
  EXPECT_TRUE(o.Members()[0].key.IdenticalTo(key));
}

TEST(Value, MoveLeavesNull) {
  Value a = Value::String("hello");
  Value b = std::move(a);
  EXPECT_TRUE(a.IsNull());  // NOLINT(bugprone-use-after-move): the contract says moved-from is null
  EXPECT_EQ(b.AsString(), "hello");
  Value c;
  c = b;
  c = c;
  EXPECT_EQ(c.AsString(), "hello");
}

TEST(Value, DeepValueIsFreedWithoutRecursion) {
  Value v = Value::Array();
  for (int i = 0; i < 1000000; ++i) {
    Value outer = Value::Array();
    outer.Append(std::move(v));
    v = std::move(outer);
  }
  v = Value();  // would overflow the stack if destruction recursed
  SUCCEED();
}

int Sign(int x) {
  return x < 0 ? -1 : (x > 0 ? 1 : 0);
}

TEST(Compare, TotalOrderAcrossKinds) {
  std::vector<Value> ordered = {
      Value(),
      Value::Bool(false),
      Value::Bool(true),
      Value::Number(-1),
      Value::Number(0),
      Value::Number(2.5),
      Value::String(""),
      Value::String("a"),
      Value::String("ab"),
      Value::String("b"),
      J("[]"),
      J("[1]"),
      J("[1,2]"),
      J("[2]"),
      J("{}"),
      J(R"({"a":2})"),
      J(R"({"a":3})"),
      J(R"({"a":1,"b":1})"),
      J(R"({"b":0})"),
  };
  for (size_t i = 0; i < ordered.size(); ++i) {
    for (size_t j = 0; j < ordered.size(); ++j) {
      EXPECT_EQ(Sign(Value::Compare(ordered[i], ordered[j])), i < j ? -1 : (i > j ? 1 : 0))
          << ToJson(ordered[i]) << " vs " << ToJson(ordered[j]);
    }
  }
}

TEST(Compare, ObjectsCompareSortedKeysFirstThenValues) {
  // jq 1.7.1: {"b":1} > {"a":5,"c":0}? keys ["a","c"] vs ["b"]: "a" < "b" so the first is smaller.
  EXPECT_LT(Value::Compare(J(R"({"a":5,"c":0})"), J(R"({"b":1})")), 0);
  // Same keys, different insertion order: equal.
  EXPECT_EQ(Value::Compare(J(R"({"a":1,"b":2})"), J(R"({"b":2,"a":1})")), 0);
  // Values compared in sorted key order: "a" decides before "b".
  EXPECT_LT(Value::Compare(J(R"({"b":9,"a":1})"), J(R"({"a":2,"b":0})")), 0);
}

TEST(Compare, NumbersAndLiterals) {
  EXPECT_EQ(J("1"), J("1.0"));
  EXPECT_EQ(J("1"), J("100e-2"));
  EXPECT_EQ(J("1.50"), Value::Number(1.5));
  // Both literals: compared as decimals beyond double precision (jq 1.7.1).
  EXPECT_NE(J("13911860366432393"), J("13911860366432392"));
  EXPECT_LT(Value::Compare(J("13911860366432392"), J("13911860366432393")), 0);
  EXPECT_EQ(J("100000000000000000001"), J("100000000000000000001.0"));
  // A computed double against a literal compares as doubles.
  EXPECT_EQ(Value::Number(J("9007199254740993").AsNumber()), J("9007199254740993"));
  EXPECT_EQ(J("-0"), J("0"));
  // nan sorts below every number and is not equal to itself.
  Value nan = Value::Number(std::numeric_limits<double>::quiet_NaN());
  EXPECT_LT(Value::Compare(nan, Value::Number(-1e308)), 0);
  EXPECT_GT(Value::Compare(Value::Number(-1e308), nan), 0);
  EXPECT_FALSE(nan == nan);
  EXPECT_LT(Value::Compare(Value::Bool(true), nan), 0);
}

TEST(Compare, StringsByBytes) {
  EXPECT_LT(Value::Compare(Value::String("Z"), Value::String("a")), 0);
  EXPECT_LT(Value::Compare(Value::String("a"), Value::String("é")), 0);
  EXPECT_LT(Value::Compare(Value::String(std::string_view("a\0", 2)), Value::String("a\x01")), 0);
}

TEST(Value, ThreadSafeSharedReads) {
  Value shared = J(R"({"items":[{"a":1},{"b":"two"},[3,4,5]],"name":"shared"})");
  const std::string expected = ToJson(shared);
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      int good = 0;
      for (int i = 0; i < 2000; ++i) {
        Value copy = shared;
        Value items = *copy.Find("items");
        copy.Set("thread", Value::Number(t));  // COW: private copy of the top node only
        if (ToJson(items[0]) == R"({"a":1})" && copy.Find("thread")->AsNumber() == t) ++good;
      }
      ok[static_cast<size_t>(t)] = good;
    });
  }
  for (auto& th : threads) th.join();
  for (int good : ok) EXPECT_EQ(good, 2000);
  EXPECT_EQ(ToJson(shared), expected);
}

}  // namespace
}  // namespace sp::json

namespace sp::json {
namespace {

TEST(Value, LargeSharedObjectCopyOnWriteKeepsBothIndexed) {
  Value a = Value::Object();
  for (int i = 0; i < 100; ++i) a.Set("key" + std::to_string(i), Value::Number(i));
  ASSERT_NE(a.Find("key50"), nullptr);  // builds the index of the shared node
  Value b = a;
  b.Set("key50", Value::String("changed"));
  b.Set("extra", Value::Bool(true));
  EXPECT_TRUE(b.Erase("key0"));
  EXPECT_EQ(a.Find("key50")->AsNumber(), 50);
  EXPECT_EQ(a.Find("extra"), nullptr);
  EXPECT_NE(a.Find("key0"), nullptr);
  EXPECT_EQ(b.Find("key50")->AsString(), "changed");
  EXPECT_TRUE(b.Find("extra")->AsBool());
  EXPECT_EQ(b.Find("key0"), nullptr);
  EXPECT_EQ(b.Find("key99")->AsNumber(), 99);
  EXPECT_EQ(a.Size(), 100u);
  EXPECT_EQ(b.Size(), 100u);
}

TEST(Value, ValuesMoveBetweenThreads) {
  // Built on one thread, freed on another: blocks join the freeing thread's pool.
  std::vector<Value> made;
  std::thread producer([&] {
    for (int i = 0; i < 2000; ++i) {
      Value o = Value::Object();
      o.Set("s", Value::String(std::string(static_cast<size_t>(i % 100), 'x')));
      o.Set("n", Value::NumberFromToken("1.50"));
      made.push_back(o);
    }
  });
  producer.join();
  std::thread consumer([&] { made.clear(); });
  consumer.join();
  Value again = Value::String("still fine");
  EXPECT_EQ(again.AsString(), "still fine");
}

}  // namespace
}  // namespace sp::json
