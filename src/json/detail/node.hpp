#pragma once
// Internal: the refcounted payload nodes behind json::Value. Only src/json/*.cpp include this.
//
// A node is allocated once and never changes while it is shared (refs > 1); copy-on-write mutation clones it
// first. Strings and literal numbers keep their bytes inline after the header (one allocation per node).

#include <atomic>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "json/detail/pool.hpp"
#include "json/value.hpp"

namespace sp::json::detail {

// Access to Value's representation for the json module's own code (Access is Value's friend).
struct Access {
  static bool HasNode(const Value& v) { return v.HasNode(); }
  static Node* NodeOf(const Value& v) { return v.node_; }
  static bool Boxed(const Value& v) { return v.boxed_; }
  //! Wraps `n` (whose single reference the new Value adopts).
  static Value Adopt(Kind k, Node* n) {
    Value v;
    v.kind_ = k;
    v.boxed_ = (k == Kind::NUMBER);
    v.node_ = n;
    return v;
  }
  //! Turns `v` into null without releasing its node (the caller took over the reference).
  static void Forget(Value& v) { v.kind_ = Kind::NULL_VALUE, v.boxed_ = false; }
  //! Moves `src`'s bits into `dst` without releasing what `dst` held (arena slots own nothing).
  static void RawMove(Value& dst, Value& src) {
    dst.kind_ = src.kind_;
    dst.boxed_ = src.boxed_;
    std::memcpy(static_cast<void*>(&dst.num_), &src.num_, sizeof(dst.num_));
    Forget(src);
  }
};

struct StringNode : Node {
  size_t size;

  explicit StringNode(size_t n) : Node(Kind::STRING), size(n) {}
  char* data() { return reinterpret_cast<char*>(this + 1); }
  const char* data() const { return reinterpret_cast<const char*>(this + 1); }
  std::string_view view() const { return {data(), size}; }

  //! The first 8 bytes, zero-filled past the end of a shorter string (Make pads short strings).
  uint64_t Head8() const {
    uint64_t v = 0;
    std::memcpy(&v, data(), 8);
    return v;
  }
  //! Bytes allocated for a string of `n` bytes: its NUL, and at least 8 data bytes for Head8().
  static size_t AllocSize(size_t n) { return sizeof(StringNode) + (n < 8 ? 8 : n + 1); }
  //! A node holding a copy of `s` (NUL-terminated).
  static StringNode* Make(std::string_view s);
};

struct NumberNode : Node {
  double value;
  size_t size;

  NumberNode(double d, size_t n) : Node(Kind::NUMBER), value(d), size(n) {}
  const char* data() const { return reinterpret_cast<const char*>(this + 1); }
  std::string_view view() const { return {data(), size}; }

  static NumberNode* Make(double d, std::string_view literal);
};

using ValueVector = std::vector<Value, PoolAllocator<Value>>;
using MemberVector = std::vector<Member, PoolAllocator<Member>>;

struct ArrayNode : Node {
  ValueVector items;
  ArrayNode() : Node(Kind::ARRAY) {}
  static void* operator new(size_t size) { return PoolAlloc(size); }
  static void operator delete(void* p, size_t size) noexcept { PoolFree(p, size); }
};

struct ObjectIndex;  // open-addressing hash index over the members of a large object (value.cpp)

//! A parsed document's block (see ArenaHeader): the header, then the nodes and their element arrays.
struct Arena : ArenaHeader {
  size_t bytes = 0;                            // the whole block, header included
  std::atomic<ObjectIndex*> indexes{nullptr};  // lazily built indexes of its objects, freed with the block
};
inline constexpr size_t ARENA_HEADER_BYTES = (sizeof(Arena) + 7) / 8 * 8;

struct ObjectNode : Node {
  MemberVector members;
  // Built lazily by the first lookup on a large object; shared nodes never change, so a racing second builder
  // simply discards its copy.
  mutable std::atomic<ObjectIndex*> index{nullptr};

  ObjectNode() : Node(Kind::OBJECT) {}
  ~ObjectNode();
  static void* operator new(size_t size) { return PoolAlloc(size); }
  static void operator delete(void* p, size_t size) noexcept { PoolFree(p, size); }
  void DropIndex();
};

inline const StringNode* AsStringNode(const Value& v) {
  return static_cast<const StringNode*>(Access::NodeOf(v));
}
inline const ArrayNode* AsArrayNode(const Value& v) {
  return static_cast<const ArrayNode*>(Access::NodeOf(v));
}
inline const ObjectNode* AsObjectNode(const Value& v) {
  return static_cast<const ObjectNode*>(Access::NodeOf(v));
}

inline bool KeyEquals(const Value& key, std::string_view s) {
  const StringNode* n = AsStringNode(key);
  return n->size == s.size() && (s.empty() || std::memcmp(n->data(), s.data(), s.size()) == 0);
}

//! An 8-bit fingerprint of a key for the duplicate pre-check: cheap, and equal keys always agree.
inline unsigned KeyFingerprint(const StringNode* k) {
  uint64_t tail = 0;
  if (k->size > 8) std::memcpy(&tail, k->data() + k->size - 8, 8);
  uint64_t h = (k->Head8() * 0x9E3779B97F4A7C15ull) ^ (tail * 0xC2B2AE3D27D4EB4Full) ^ k->size;
  h ^= h >> 29;
  return static_cast<unsigned>((h * 0xBF58476D1CE4E5B9ull) >> 56);
}

//! Builds an object from members that may repeat keys (later value wins, first position kept).
Value MakeObjectDedup(MemberVector&& members);
//! Whether any key repeats (cheap when none does, the usual case).
bool HasDuplicateKeys(const MemberVector& members);
//! Builds an array node directly from `items`.
Value MakeArray(ValueVector&& items);

//! Exact decimal comparison of two canonical number literals (<0, 0, >0).
int CompareDecimalLiterals(std::string_view a, std::string_view b);

}  // namespace sp::json::detail
