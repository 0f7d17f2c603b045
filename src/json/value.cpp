#include "json/value.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <new>

#include "base/assert.hpp"
#include "json/detail/node.hpp"

namespace sp::json {
namespace detail {

// Objects up to this size are searched linearly: for the short keys of API payloads a scan beats hashing.
constexpr size_t INDEX_THRESHOLD = 16;

struct ObjectIndex {
  // capacity - 1 (a power of two, at least twice the member count); `capacity()` slots follow the header,
  // each holding a member position + 1, or 0 when empty.
  uint32_t mask;
  ObjectIndex* next_in_arena = nullptr;  // the arena's list of indexes to free with it

  uint32_t* slots() { return reinterpret_cast<uint32_t*>(this + 1); }
  const uint32_t* slots() const { return reinterpret_cast<const uint32_t*>(this + 1); }

  static ObjectIndex* Create(size_t members) {
    size_t cap = 8;
    while (cap < members * 2) cap <<= 1;
    void* mem = ::operator new(sizeof(ObjectIndex) + cap * sizeof(uint32_t));
    auto* idx = new (mem) ObjectIndex{static_cast<uint32_t>(cap - 1)};
    std::fill_n(idx->slots(), cap, 0u);
    return idx;
  }
  static void Free(ObjectIndex* idx) { ::operator delete(idx); }
  size_t capacity() const { return size_t{mask} + 1; }

  static size_t Hash(std::string_view s) { return std::hash<std::string_view>{}(s); }

  // The member named `key`, or nullptr after storing in *empty_slot the slot where it would go.
  const Member* Lookup(const MemberVector& members, std::string_view key, uint32_t* empty_slot) const {
    size_t i = Hash(key) & mask;
    while (true) {
      uint32_t s = slots()[i];
      if (s == 0) {
        if (empty_slot) *empty_slot = static_cast<uint32_t>(i);
        return nullptr;
      }
      const Member& m = members[s - 1];
      if (KeyEquals(m.key, key)) return &m;
      i = (i + 1) & mask;
    }
  }

  static ObjectIndex* Build(const MemberVector& members) {
    ObjectIndex* idx = Create(members.size());
    for (size_t pos = 0; pos < members.size(); ++pos) {
      uint32_t slot = 0;
      idx->Lookup(members, AsStringNode(members[pos].key)->view(), &slot);
      idx->slots()[slot] = static_cast<uint32_t>(pos + 1);
    }
    return idx;
  }
};

ObjectNode::~ObjectNode() {
  DropIndex();
}

void ObjectNode::DropIndex() {
  ObjectIndex* idx = index.exchange(nullptr, std::memory_order_acq_rel);
  if (idx) ObjectIndex::Free(idx);
}

StringNode* StringNode::Make(std::string_view s) {
  void* mem = PoolAlloc(AllocSize(s.size()));
  auto* n = new (mem) StringNode(s.size());
  char* data = n->data();
  if (s.size() < 8) {
    std::memset(data, 0, 8);  // short strings are zero-padded to 8 bytes: see Head8()
    std::memcpy(data, s.data(), s.size());
  } else {
    std::memcpy(data, s.data(), s.size());
    data[s.size()] = '\0';
  }
  return n;
}

NumberNode* NumberNode::Make(double d, std::string_view literal) {
  void* mem = PoolAlloc(sizeof(NumberNode) + literal.size() + 1);
  auto* n = new (mem) NumberNode(d, literal.size());
  char* out = reinterpret_cast<char*>(n + 1);
  std::memcpy(out, literal.data(), literal.size());
  out[literal.size()] = '\0';
  return n;
}

namespace {

// Drops one reference to a node outside any arena; true when it was the last one.
inline bool DropRef(Node* n) {
  // A count of 1 means no other owner exists that could race with us, so the atomic RMW can be skipped.
  if (n->refs.load(std::memory_order_acquire) == 1) return true;
  return n->refs.fetch_sub(1, std::memory_order_acq_rel) == 1;
}

void FreeNode(Node* n);

// Releases one child of a dying container: a string or number dies on the spot, a container is handed to
// `push` instead of being destroyed recursively.
template <typename Push>
inline void ReleaseChild(Value& child, Push& push) {
  if (!Access::HasNode(child)) return;
  Node* n = Access::NodeOf(child);
  Access::Forget(child);
  if (n->in_arena) {
    ReleaseNode(n);
    return;
  }
  if (!DropRef(n)) return;
  if (n->kind == Kind::STRING) {
    auto* s = static_cast<StringNode*>(n);
    PoolFree(s, StringNode::AllocSize(s->size));
  } else if (n->kind == Kind::NUMBER) {
    FreeNode(n);
  } else {
    push(n);
  }
}

void FreeNode(Node* n) {
  switch (n->kind) {
    case Kind::STRING: {
      auto* s = static_cast<StringNode*>(n);
      const size_t size = StringNode::AllocSize(s->size);
      s->~StringNode();
      PoolFree(s, size);
      break;
    }
    case Kind::NUMBER: {
      auto* num = static_cast<NumberNode*>(n);
      const size_t size = sizeof(NumberNode) + num->size + 1;
      num->~NumberNode();
      PoolFree(num, size);
      break;
    }
    case Kind::ARRAY: delete static_cast<ArrayNode*>(n); break;
    case Kind::OBJECT: delete static_cast<ObjectNode*>(n); break;
    default: SP_ASSERT(false, "node of a scalar kind");
  }
}

}  // namespace

void DestroyNode(Node* root) noexcept {
  // A fixed stack covers ordinary values without allocating; a deep value (jq can build one) spills to the heap.
  constexpr size_t LOCAL = 64;
  Node* local[LOCAL];
  size_t top = 0;
  std::vector<Node*> spill;
  auto push = [&](Node* n) {
    if (top < LOCAL) {
      local[top++] = n;
    } else {
      spill.push_back(n);
    }
  };
  push(root);
  while (true) {
    Node* n;
    if (!spill.empty()) {
      n = spill.back();
      spill.pop_back();
    } else if (top > 0) {
      n = local[--top];
    } else {
      break;
    }
    if (n->kind == Kind::ARRAY) {
      for (Value& item : static_cast<ArrayNode*>(n)->items) ReleaseChild(item, push);
    } else if (n->kind == Kind::OBJECT) {
      for (Member& m : static_cast<ObjectNode*>(n)->members) {
        ReleaseChild(m.key, push);
        ReleaseChild(m.value, push);
      }
    }
    FreeNode(n);
  }
}

void FreeArena(ArenaHeader* header) noexcept {
  auto* a = static_cast<Arena*>(header);
  ObjectIndex* idx = a->indexes.load(std::memory_order_acquire);
  while (idx) {
    ObjectIndex* next = idx->next_in_arena;
    ObjectIndex::Free(idx);
    idx = next;
  }
  // Nothing inside needs a destructor: the nodes refer only to each other, uncounted.
  const size_t bytes = a->bytes;
  a->~Arena();
  PoolFree(a, bytes);
}

Value MakeArray(ValueVector&& items) {
  auto* n = new ArrayNode();
  n->items = std::move(items);
  return Access::Adopt(Kind::ARRAY, n);
}

// Whether any key repeats. A 256-bit filter of fingerprints leaves the pairwise comparison to the few keys
// whose fingerprint was already seen, so the common no-duplicate case is linear.
bool HasDuplicateKeys(const MemberVector& members) {
  uint64_t seen[4] = {0, 0, 0, 0};
  for (size_t i = 0; i < members.size(); ++i) {
    const StringNode* node = AsStringNode(members[i].key);
    std::string_view k = node->view();
    const unsigned f = KeyFingerprint(node);
    const uint64_t bit = uint64_t{1} << (f & 63);
    if (seen[f >> 6] & bit) {
      for (size_t j = 0; j < i; ++j) {
        if (KeyEquals(members[j].key, k)) return true;
      }
    }
    seen[f >> 6] |= bit;
  }
  return false;
}

Value MakeObjectDedup(MemberVector&& members) {
  auto* n = new ObjectNode();
  Value result = Access::Adopt(Kind::OBJECT, n);
  if (!HasDuplicateKeys(members)) {
    n->members = std::move(members);
    return result;
  }
  n->members.reserve(members.size());
  if (members.size() <= INDEX_THRESHOLD) {
    for (Member& m : members) {
      std::string_view k = AsStringNode(m.key)->view();
      auto it =
          std::find_if(n->members.begin(), n->members.end(), [&](const Member& e) { return KeyEquals(e.key, k); });
      if (it != n->members.end()) {
        it->value = std::move(m.value);
      } else {
        n->members.push_back(std::move(m));
      }
    }
    return result;
  }
  ObjectIndex* idx = ObjectIndex::Create(members.size());
  for (Member& m : members) {
    uint32_t slot = 0;
    const Member* found = idx->Lookup(n->members, AsStringNode(m.key)->view(), &slot);
    if (found) {
      const_cast<Member*>(found)->value = std::move(m.value);
    } else {
      n->members.push_back(std::move(m));
      idx->slots()[slot] = static_cast<uint32_t>(n->members.size());
    }
  }
  n->index.store(idx, std::memory_order_release);
  return result;
}

}  // namespace detail

using detail::Access;
using detail::ArrayNode;
using detail::Node;
using detail::NumberNode;
using detail::ObjectIndex;
using detail::ObjectNode;
using detail::StringNode;

// ---- construction ----

Value Value::Bool(bool b) {
  Value v;
  v.kind_ = b ? Kind::TRUE_VALUE : Kind::FALSE_VALUE;
  return v;
}

Value Value::Number(double d) {
  Value v;
  v.kind_ = Kind::NUMBER;
  v.num_ = d;
  return v;
}

Value Value::NumberLiteral(double d, std::string canonical) {
  if (canonical.empty()) return Number(d);
  return Access::Adopt(Kind::NUMBER, NumberNode::Make(d, canonical));
}

Value Value::String(std::string_view s) {
  return Access::Adopt(Kind::STRING, StringNode::Make(s));
}
Value Value::String(std::string&& s) {
  return String(std::string_view(s));
}

Value Value::Array() {
  return Access::Adopt(Kind::ARRAY, new ArrayNode());
}
Value Value::Array(std::vector<Value> items) {
  return detail::MakeArray(
      detail::ValueVector(std::make_move_iterator(items.begin()), std::make_move_iterator(items.end())));
}
Value Value::Object() {
  return Access::Adopt(Kind::OBJECT, new ObjectNode());
}

Value Value::Object(std::vector<Member> members) {
  for (const Member& m : members) SP_ASSERT(m.key.IsString(), "object keys must be strings");
  return detail::MakeObjectDedup(
      detail::MemberVector(std::make_move_iterator(members.begin()), std::make_move_iterator(members.end())));
}

// ---- inspection ----

const char* Value::TypeName() const {
  switch (kind_) {
    case Kind::NULL_VALUE: return "null";
    case Kind::FALSE_VALUE:
    case Kind::TRUE_VALUE: return "boolean";
    case Kind::NUMBER: return "number";
    case Kind::STRING: return "string";
    case Kind::ARRAY: return "array";
    case Kind::OBJECT: return "object";
  }
  return "null";
}

double Value::AsNumber() const {
  if (kind_ != Kind::NUMBER) return 0;
  return boxed_ ? static_cast<const NumberNode*>(node_)->value : num_;
}

std::string_view Value::NumberLiteralText() const {
  if (kind_ != Kind::NUMBER || !boxed_) return {};
  return static_cast<const NumberNode*>(node_)->view();
}

std::string_view Value::AsString() const {
  SP_ASSERT(kind_ == Kind::STRING, "AsString() on a non-string");
  return static_cast<const StringNode*>(node_)->view();
}

size_t Value::Size() const {
  if (kind_ == Kind::ARRAY) return static_cast<const ArrayNode*>(node_)->items.size();
  if (kind_ == Kind::OBJECT) return static_cast<const ObjectNode*>(node_)->members.size();
  return 0;
}

std::span<const Value> Value::Items() const {
  if (kind_ != Kind::ARRAY) return {};
  return static_cast<const ArrayNode*>(node_)->items;
}

std::span<const Member> Value::Members() const {
  if (kind_ != Kind::OBJECT) return {};
  return static_cast<const ObjectNode*>(node_)->members;
}

const Value* Value::Find(std::string_view key) const {
  if (kind_ != Kind::OBJECT) return nullptr;
  const auto* n = static_cast<const ObjectNode*>(node_);
  if (n->members.size() <= detail::INDEX_THRESHOLD) {
    for (const Member& m : n->members) {
      if (detail::KeyEquals(m.key, key)) return &m.value;
    }
    return nullptr;
  }
  ObjectIndex* idx = n->index.load(std::memory_order_acquire);
  if (!idx) {
    ObjectIndex* built = ObjectIndex::Build(n->members);
    if (n->index.compare_exchange_strong(idx, built, std::memory_order_acq_rel)) {
      idx = built;
      if (n->in_arena) {
        // An arena node has no destructor: its arena frees the index.
        auto* arena = static_cast<detail::Arena*>(detail::ArenaOf(n));
        ObjectIndex* head = arena->indexes.load(std::memory_order_relaxed);
        do {
          built->next_in_arena = head;
        } while (
            !arena->indexes.compare_exchange_weak(head, built, std::memory_order_release, std::memory_order_relaxed));
      }
    } else {
      ObjectIndex::Free(built);  // another thread won; `idx` now holds its index
    }
  }
  const Member* m = idx->Lookup(n->members, key, nullptr);
  return m ? &m->value : nullptr;
}

bool Value::IdenticalTo(const Value& other) const {
  if (kind_ != other.kind_ || boxed_ != other.boxed_) return false;
  if (Access::HasNode(*this)) return node_ == other.node_;
  if (kind_ == Kind::NUMBER) return std::memcmp(&num_, &other.num_, sizeof(double)) == 0;
  return true;
}

// ---- copy-on-write mutation ----

namespace {

// Makes the node in `slot` exclusively owned by the caller's Value, cloning it when shared.
// (Arena nodes never change: they are always copied.)
ArrayNode* UniqueArray(Node*& slot) {
  auto* n = static_cast<ArrayNode*>(slot);
  if (!n->in_arena && n->refs.load(std::memory_order_acquire) == 1) return n;
  auto* copy = new ArrayNode();
  copy->items = n->items;
  Node* old = slot;
  slot = copy;
  detail::ReleaseNode(old);
  return copy;
}

ObjectNode* UniqueObject(Node*& slot) {
  auto* n = static_cast<ObjectNode*>(slot);
  if (!n->in_arena && n->refs.load(std::memory_order_acquire) == 1) return n;
  auto* copy = new ObjectNode();
  copy->members = n->members;
  Node* old = slot;
  slot = copy;
  detail::ReleaseNode(old);
  return copy;
}

}  // namespace

void Value::Append(Value v) {
  SP_ASSERT(kind_ == Kind::ARRAY, "Append() on a non-array");
  UniqueArray(node_)->items.push_back(std::move(v));
}

Value& Value::MutableAt(size_t i) {
  SP_ASSERT(kind_ == Kind::ARRAY, "MutableAt() on a non-array");
  ArrayNode* n = UniqueArray(node_);
  SP_ASSERT(i < n->items.size(), "MutableAt() out of range");
  return n->items[i];
}

Value* Value::MutableFind(std::string_view key) {
  SP_ASSERT(kind_ == Kind::OBJECT, "MutableFind() on a non-object");
  if (!Find(key)) return nullptr;
  UniqueObject(node_);
  return const_cast<Value*>(Find(key));
}

void Value::Set(std::string_view key, Value v) {
  SP_ASSERT(kind_ == Kind::OBJECT, "Set() on a non-object");
  if (Value* existing = MutableFind(key)) {
    *existing = std::move(v);
    return;
  }
  Set(String(key), std::move(v));
}

void Value::Set(Value key, Value v) {
  SP_ASSERT(kind_ == Kind::OBJECT, "Set() on a non-object");
  SP_ASSERT(key.IsString(), "object keys must be strings");
  if (Value* existing = MutableFind(key.AsString())) {
    *existing = std::move(v);
    return;
  }
  ObjectNode* n = UniqueObject(node_);
  ObjectIndex* idx = n->index.load(std::memory_order_acquire);
  n->members.push_back(Member{std::move(key), std::move(v)});
  if (idx) {
    // Keep the index when it still has room (load factor <= 1/2), so Set in a loop stays linear.
    if (n->members.size() * 2 <= idx->capacity()) {
      uint32_t slot = 0;
      idx->Lookup(n->members, n->members.back().key.AsString(), &slot);
      idx->slots()[slot] = static_cast<uint32_t>(n->members.size());
    } else {
      n->DropIndex();
    }
  }
}

bool Value::Erase(std::string_view key) {
  SP_ASSERT(kind_ == Kind::OBJECT, "Erase() on a non-object");
  if (!Find(key)) return false;
  ObjectNode* n = UniqueObject(node_);
  auto it = std::find_if(n->members.begin(), n->members.end(),
                         [&](const Member& m) { return detail::KeyEquals(m.key, key); });
  n->members.erase(it);
  n->DropIndex();
  return true;
}

void Value::Reserve(size_t n) {
  if (kind_ == Kind::ARRAY) {
    UniqueArray(node_)->items.reserve(n);
  } else if (kind_ == Kind::OBJECT) {
    UniqueObject(node_)->members.reserve(n);
  }
}

}  // namespace sp::json
