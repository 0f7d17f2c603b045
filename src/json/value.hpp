#pragma once
// json::Value: the one JSON value type of the whole code base, and the data model of the jq engine.
//
// Guarantees:
// - Cheap to copy: strings, arrays, objects and literal-carrying numbers are immutable, reference-counted nodes
//   (atomic counts), so a copy is one pointer copy and subtrees are shared between values and threads.
// - Copy-on-write mutation: the mutating members (Append, Set, Erase, MutableAt) copy a node only when it is
//   shared, so building a value in a loop is linear.
// - Objects keep insertion order (jq does); replacing an existing key keeps its position.
// - Numbers follow jq 1.7.1: a number read from JSON text (or a jq literal) keeps its canonical literal
//   (decNumber's to-scientific-string: `1.50`, `1E+3`, `100000000000000000001`) while it passes through
//   unchanged; arithmetic produces a plain double, printed the way jq prints doubles (`1e+20`, `1e-07`).
// - A Value is safe to read from many threads at once; mutate only a value no other thread can see.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sp::json {

//! jq's type order: null < false < true < numbers < strings < arrays < objects.
enum class Kind : uint8_t { NULL_VALUE, FALSE_VALUE, TRUE_VALUE, NUMBER, STRING, ARRAY, OBJECT };

class Value;
struct Member;

namespace detail {
struct Node;    // refcounted payload of strings, arrays, objects and literal numbers (defined below)
struct Access;  // value internals for the json module's own .cpp files (json/detail/node.hpp)
}  // namespace detail

class Value {
 public:
  //! null
  Value() noexcept : kind_(Kind::NULL_VALUE), boxed_(false), num_(0) {}
  ~Value() { Release(); }
  Value(const Value& other) noexcept;
  Value(Value&& other) noexcept;
  Value& operator=(const Value& other) noexcept;
  Value& operator=(Value&& other) noexcept;

  // ---- construction ----
  static Value Null() { return Value(); }
  static Value Bool(bool b);
  //! A computed number (no literal). NaN and infinities are allowed (jq prints them as null / +-DBL_MAX).
  static Value Number(double d);
  //! A number that keeps its literal text. `canonical` must already be canonical (CanonicalNumberLiteral);
  //! `d` is its value as a double.
  static Value NumberLiteral(double d, std::string canonical);
  //! Parses one JSON number token (e.g. from a jq program or JSON text), keeping its literal only where the
  //! canonical literal differs from how the double would print. Returns null Value on a malformed token.
  static Value NumberFromToken(std::string_view token);
  static Value String(std::string_view s);
  static Value String(std::string&& s);
  static Value String(const char* s) { return String(std::string_view(s)); }
  static Value Array();
  static Value Array(std::vector<Value> items);
  static Value Object();
  //! Members in the given order; a later duplicate key replaces the earlier value in place (as jq does).
  static Value Object(std::vector<Member> members);

  // ---- inspection ----
  Kind kind() const { return kind_; }
  //! "null", "boolean", "number", "string", "array", "object" (jq's `type`).
  const char* TypeName() const;
  bool IsNull() const { return kind_ == Kind::NULL_VALUE; }
  bool IsBool() const { return kind_ == Kind::FALSE_VALUE || kind_ == Kind::TRUE_VALUE; }
  bool IsNumber() const { return kind_ == Kind::NUMBER; }
  bool IsString() const { return kind_ == Kind::STRING; }
  bool IsArray() const { return kind_ == Kind::ARRAY; }
  bool IsObject() const { return kind_ == Kind::OBJECT; }
  //! jq truthiness: everything but null and false.
  bool IsTruthy() const { return kind_ != Kind::NULL_VALUE && kind_ != Kind::FALSE_VALUE; }

  bool AsBool() const { return kind_ == Kind::TRUE_VALUE; }
  //! The number as a double (for literal numbers: the nearest double).
  double AsNumber() const;
  //! The canonical literal of a number read from text, or "" for computed numbers and for literals that print
  //! exactly like their double and have at most 15 significant digits (those need no literal).
  std::string_view NumberLiteralText() const;
  //! The UTF-8 bytes of a string. Precondition: IsString().
  std::string_view AsString() const;

  //! Elements of an array, members of an object; 0 for scalars. (Strings: use AsString().size().)
  size_t Size() const;
  bool Empty() const { return Size() == 0; }
  //! Array elements. Precondition: IsArray().
  std::span<const Value> Items() const;
  const Value& operator[](size_t i) const { return Items()[i]; }
  //! Object members in insertion order. Precondition: IsObject().
  std::span<const Member> Members() const;
  //! The value under `key`, or nullptr (also for non-objects).
  const Value* Find(std::string_view key) const;

  // ---- copy-on-write mutation ----
  void Append(Value v);                      //!< Precondition: IsArray().
  Value& MutableAt(size_t i);                //!< Precondition: IsArray() and i < Size().
  void Set(std::string_view key, Value v);   //!< Precondition: IsObject(). Keeps the position of an existing key.
  void Set(Value key, Value v);              //!< Same, with a string Value as key (shares its node).
  Value* MutableFind(std::string_view key);  //!< Precondition: IsObject().
  bool Erase(std::string_view key);          //!< Precondition: IsObject(). Returns whether the key was present.
  void Reserve(size_t n);                    //!< Array or object capacity hint.

  // ---- comparison (jq semantics) ----
  //! jq's total order: by Kind, then numbers by value, strings by bytes, arrays element-wise, objects by their
  //! sorted key sets and then values in key order. Returns <0, 0, >0.
  static int Compare(const Value& a, const Value& b);
  friend bool operator==(const Value& a, const Value& b) { return Compare(a, b) == 0; }
  friend bool operator<(const Value& a, const Value& b) { return Compare(a, b) < 0; }
  //! Same node (or same scalar): a cheap pre-check before a deep comparison.
  bool IdenticalTo(const Value& other) const;

 private:
  void Release() noexcept;
  void Retain() const noexcept;
  bool HasNode() const noexcept { return kind_ >= Kind::STRING || (kind_ == Kind::NUMBER && boxed_); }

  Kind kind_;
  bool boxed_;  // NUMBER only: payload is a node holding the literal
  union {
    double num_;
    detail::Node* node_;
  };

  friend struct detail::Node;
  friend struct detail::Access;
};

struct Member {
  Value key;  //!< always a string
  Value value;
};

namespace detail {
//! The header every heap node starts with. Copies and releases are inline (they are the hottest operations of
//! the jq engine); only freeing a node leaves the header.
struct Node {
  //! The reference count; for a node inside an arena (see ArenaHeader), its distance in 8-byte units from the
  //! arena's header instead, since such a node is counted by its arena.
  std::atomic<uint32_t> refs{1};
  Kind kind;
  //! 1: the node lives in an arena (a parsed document's single block) and never changes.
  uint8_t in_arena = 0;
  explicit Node(Kind k) : kind(k) {}
};
//! The header of an arena: one block holding every node of a parsed document. The nodes inside refer to each
//! other without counting; every Value outside that points into the arena counts once here, and the block is
//! freed as a whole when the count drops to 0.
struct ArenaHeader {
  std::atomic<uint64_t> refs{1};
};
inline ArenaHeader* ArenaOf(const Node* n) noexcept {
  const size_t offset = size_t{n->refs.load(std::memory_order_relaxed)} * 8;
  return reinterpret_cast<ArenaHeader*>(const_cast<char*>(reinterpret_cast<const char*>(n)) - offset);
}
//! Frees `n` (its count reached 0) and every descendant whose count drops to 0, without recursion.
void DestroyNode(Node* n) noexcept;
//! Frees an arena whose count reached 0.
void FreeArena(ArenaHeader* a) noexcept;

//! Drops one reference to `n`, freeing what is no longer referenced.
inline void ReleaseNode(Node* n) noexcept {
  if (n->in_arena) {
    ArenaHeader* a = ArenaOf(n);
    if (a->refs.load(std::memory_order_acquire) == 1 || a->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      FreeArena(a);
    }
    return;
  }
  // A count of 1 means no other owner exists that could race with us, so the atomic RMW can be skipped.
  if (n->refs.load(std::memory_order_acquire) == 1 || n->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    DestroyNode(n);
  }
}
}  // namespace detail

inline void Value::Retain() const noexcept {
  if (!HasNode()) return;
  if (node_->in_arena) {
    detail::ArenaOf(node_)->refs.fetch_add(1, std::memory_order_relaxed);
  } else {
    node_->refs.fetch_add(1, std::memory_order_relaxed);
  }
}

inline void Value::Release() noexcept {
  if (HasNode()) detail::ReleaseNode(node_);
}

inline Value::Value(const Value& other) noexcept : kind_(other.kind_), boxed_(other.boxed_) {
  std::memcpy(static_cast<void*>(&num_), &other.num_, sizeof(num_));  // the union's bits, whichever is active
  Retain();
}

inline Value::Value(Value&& other) noexcept : kind_(other.kind_), boxed_(other.boxed_) {
  std::memcpy(static_cast<void*>(&num_), &other.num_, sizeof(num_));
  other.kind_ = Kind::NULL_VALUE;
  other.boxed_ = false;
}

inline Value& Value::operator=(const Value& other) noexcept {
  other.Retain();  // before Release: `other` may be owned by *this
  Release();
  kind_ = other.kind_;
  boxed_ = other.boxed_;
  std::memcpy(static_cast<void*>(&num_), &other.num_, sizeof(num_));
  return *this;
}

inline Value& Value::operator=(Value&& other) noexcept {
  if (this == &other) return *this;
  Release();
  kind_ = other.kind_;
  boxed_ = other.boxed_;
  std::memcpy(static_cast<void*>(&num_), &other.num_, sizeof(num_));
  other.kind_ = Kind::NULL_VALUE;
  other.boxed_ = false;
  return *this;
}

//! Canonical form of a JSON number token per decNumber's to-scientific-string (what jq 1.7.1 prints for an
//! untouched literal): "1.50" -> "1.50", "1e3" -> "1E+3", "-0" -> "-0", "0.000001" -> "0.000001",
//! "1e-7" -> "1E-7". Also accepts the forms jq's lexer allows in programs ("01", "1.", ".5"; JSON text is checked
//! strictly by the parser). Returns "" when `token` is not a number.
std::string CanonicalNumberLiteral(std::string_view token);

//! How jq prints a double: the shortest round-trip digits d1..dn with decimal-point position p (value =
//! 0.d1..dn x 10^p); exponential form ("1e+16", "1e-05", "6.000000000000001e-05", exponent at least two
//! digits) when p <= -4 or p > n + 15, plain otherwise ("1000000000000000", "123456789012345680", "0.0001");
//! NaN prints as "null"; infinities as "1.7976931348623157e+308" / "-1.7976931348623157e+308".
std::string FormatDouble(double d);
void AppendDouble(std::string& out, double d);

}  // namespace sp::json
