// The arena walk over simdjson's tape: one pass measures the exact bytes every node and element array needs,
// a second places them in one block. Slots inside the block refer to its nodes without counting (see
// ArenaHeader), so nothing here may release a Value that points into the block: failures forget before freeing.

#include "json/detail/arena_build.hpp"

#include <simdjson.h>

#include <bit>
#include <cstring>
#include <new>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "json/detail/node.hpp"
#include "json/detail/tape.hpp"

namespace sp::json::detail {
namespace {

constexpr size_t Round8(size_t n) {
  return (n + 7) & ~size_t{7};
}

// Room for a number that keeps its literal: the node, up to 39 characters and the NUL. A longer literal (rare:
// only numbers written with that many digits) sends the document to the pooled walk.
constexpr size_t NUMBER_BUDGET = 64;
constexpr uint64_t PLAIN_INTEGER_LIMIT = 1000000000000000ull;  // below it, TapeInteger needs no node
constexpr uint64_t COUNT_MASK = simdjson::internal::JSON_COUNT_MASK;
constexpr uint64_t VALUE_MASK = simdjson::internal::JSON_VALUE_MASK;

size_t ContainerCount(uint64_t word) {
  return static_cast<size_t>((word >> 32) & COUNT_MASK);
}

std::string_view TapeString(const uint8_t* strings, uint64_t word) {
  const size_t offset = static_cast<size_t>(word & VALUE_MASK);
  uint32_t len = 0;
  std::memcpy(&len, strings + offset, sizeof(len));
  return {reinterpret_cast<const char*>(strings + offset + sizeof(len)), len};
}

uint64_t IntegerMagnitude(int64_t v) {
  return v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
}

// Bytes the nodes of the tape need, or 0 when the arena cannot hold the document (a saturated element count:
// the element arrays must be sized exactly, since they can never grow).
size_t MeasureTape(const uint64_t* tape, const uint8_t* strings) {
  const auto end = static_cast<size_t>(tape[0] & VALUE_MASK);  // the root word points at the closing root word
  size_t bytes = 0;
  for (size_t i = 1; i < end;) {
    const uint64_t word = tape[i];
    switch (static_cast<char>(word >> 56)) {
      case '[': {
        const size_t count = ContainerCount(word);
        if (count == COUNT_MASK) return 0;
        bytes += Round8(sizeof(ArrayNode)) + Round8(count * sizeof(Value));
        ++i;
        break;
      }
      case '{': {
        const size_t count = ContainerCount(word);
        if (count == COUNT_MASK) return 0;
        bytes += Round8(sizeof(ObjectNode)) + Round8(count * sizeof(Member));
        ++i;
        break;
      }
      case '"':
        bytes += Round8(StringNode::AllocSize(TapeString(strings, word).size()));
        ++i;
        break;
      case 'l': {
        int64_t v = 0;
        std::memcpy(&v, &tape[i + 1], sizeof(v));
        if (IntegerMagnitude(v) >= PLAIN_INTEGER_LIMIT) bytes += NUMBER_BUDGET;
        i += 2;
        break;
      }
      case 'u': {
        uint64_t v = 0;
        std::memcpy(&v, &tape[i + 1], sizeof(v));
        if (v >= PLAIN_INTEGER_LIMIT) bytes += NUMBER_BUDGET;
        i += 2;
        break;
      }
      case 'd':
        bytes += NUMBER_BUDGET;
        i += 2;
        break;
      default: ++i; break;
    }
  }
  return bytes;
}

// Keeps the first position of each key with its last value (jq's rule), moving the uncounted slots raw.
void DedupInPlace(MemberVector& members) {
  const size_t n = members.size();
  size_t kept = 0;
  std::unordered_map<std::string_view, size_t> where;  // only for large objects
  const bool hashed = n > 16;
  for (size_t r = 0; r < n; ++r) {
    const std::string_view key = AsStringNode(members[r].key)->view();
    size_t found = kept;
    if (hashed) {
      auto [it, inserted] = where.try_emplace(key, kept);
      if (!inserted) found = it->second;
    } else {
      for (size_t j = 0; j < kept; ++j) {
        if (KeyEquals(members[j].key, key)) {
          found = j;
          break;
        }
      }
    }
    if (found < kept) {
      Access::RawMove(members[found].value, members[r].value);
      Access::Forget(members[r].key);
    } else {
      if (kept != r) {
        Access::RawMove(members[kept].key, members[r].key);
        Access::RawMove(members[kept].value, members[r].value);
      }
      ++kept;
    }
  }
  members.resize(kept);  // the tail holds only nulls now
}

// An 8-bit fingerprint of a key for the duplicate pre-check inside one walk: one multiply (the key was just
// written, so its bytes are in cache), and equal keys always agree.
unsigned QuickFingerprint(const StringNode* k) {
  uint64_t tail = 0;
  if (k->size > 8) std::memcpy(&tail, k->data() + k->size - 8, 8);
  const uint64_t mixed = (k->Head8() ^ std::rotl(tail, 29)) + k->size;
  return static_cast<unsigned>((mixed * 0x9E3779B97F4A7C15ull) >> 56);
}

struct Frame {
  ArrayNode* array = nullptr;  // exactly one of these two is set
  ObjectNode* object = nullptr;
  StringNode* key = nullptr;  // in an object: the key whose value comes next
  // Fingerprints of the keys so far (a 256-bit filter): a key whose fingerprint was seen is compared with the
  // earlier keys, and only an object in which one really repeats is deduplicated when it closes.
  uint64_t seen[4] = {0, 0, 0, 0};
  bool maybe_duplicate = false;
};

class ArenaWalk {
 public:
  ArenaWalk(std::string_view text, size_t max_depth) : text_(text), max_depth_(max_depth) {}

  TapeOutcome Run(const uint64_t* tape, const uint8_t* strings, Value& out) {
    const auto root_type = static_cast<char>(tape[1] >> 56);
    if (root_type != '[' && root_type != '{') return TapeOutcome::FALLBACK;  // a scalar needs no arena
    const size_t need = MeasureTape(tape, strings);
    if (need == 0 || need > (size_t{1} << 34)) return TapeOutcome::FALLBACK;  // offsets are 32-bit in 8-byte units
    const size_t total = ARENA_HEADER_BYTES + need;
    void* block = PoolAlloc(total);
    arena_ = new (block) Arena();
    arena_->bytes = total;
    pos_ = static_cast<char*>(block) + ARENA_HEADER_BYTES;
    end_ = static_cast<char*>(block) + total;
    const TapeOutcome outcome = Walk(tape, strings, out);
    if (outcome != TapeOutcome::OK) {
      arena_->~Arena();
      PoolFree(block, total);
    }
    return outcome;
  }

 private:
  void* Take(size_t bytes) {
    if (static_cast<size_t>(end_ - pos_) < bytes) return nullptr;
    void* p = pos_;
    pos_ += bytes;
    return p;
  }

  template <typename N>
  N* Stamp(N* n) {
    n->in_arena = 1;
    n->refs.store(static_cast<uint32_t>((reinterpret_cast<char*>(n) - reinterpret_cast<char*>(arena_)) / 8),
                  std::memory_order_relaxed);
    return n;
  }

  // Sizes a node's element array in the arena (exactly `count`: it never grows).
  template <typename Vec>
  bool ReserveInArena(Vec& vec, size_t count) {
    const size_t bytes = Round8(count * sizeof(typename Vec::value_type));
    if (static_cast<size_t>(end_ - pos_) < bytes) return false;
    tls_arena_cursor = pos_;
    vec.reserve(count);
    pos_ = tls_arena_cursor;
    tls_arena_cursor = nullptr;
    return true;
  }

  // `s` lies in simdjson's string buffer, which has readable slack after every string: short strings are
  // copied with fixed-size moves (no memcpy call), reading a little past their end.
  StringNode* PlaceString(std::string_view s) {
    const size_t len = s.size();
    void* mem = Take(Round8(StringNode::AllocSize(len)));
    if (!mem) return nullptr;
    auto* n = new (mem) StringNode(len);
    char* data = n->data();
    if (len < 8) {
      // Zero-padded to 8 bytes (see Head8()), which also terminates it.
      uint64_t head = 0;
      if constexpr (std::endian::native == std::endian::little) {
        std::memcpy(&head, s.data(), 8);
        head &= len == 0 ? 0 : ~uint64_t{0} >> (64 - 8 * len);
      } else {
        std::memcpy(&head, s.data(), len);
      }
      std::memcpy(data, &head, 8);
    } else if (len <= 16) {
      std::memcpy(data, s.data(), 8);
      std::memcpy(data + len - 8, s.data() + len - 8, 8);
      data[len] = '\0';
    } else {
      std::memcpy(data, s.data(), len);
      data[len] = '\0';
    }
    return Stamp(n);
  }

  // A number from TapeInteger / NumberFromToken: one that carries a literal moves into the arena.
  bool PlaceNumber(Value& v) {
    if (!Access::Boxed(v)) return true;
    const std::string_view literal = v.NumberLiteralText();
    void* mem = Take(Round8(sizeof(NumberNode) + literal.size() + 1));
    if (!mem) return false;
    auto* n = new (mem) NumberNode(v.AsNumber(), literal.size());
    char* chars = reinterpret_cast<char*>(n + 1);
    std::memcpy(chars, literal.data(), literal.size());
    chars[literal.size()] = '\0';
    v = Access::Adopt(Kind::NUMBER, Stamp(n));  // releases the pooled node
    return true;
  }

  std::string_view Token(size_t k) {
    if (!tokens_) tokens_.emplace(text_);
    return tokens_->Get(k);
  }

  bool ZeroMayBeNegative() {
    if (negative_zero_ < 0) negative_zero_ = MayHoldNegativeZero(text_) ? 1 : 0;
    return negative_zero_ == 1;
  }

  TapeOutcome Walk(const uint64_t* tape, const uint8_t* strings, Value& out) {
    thread_local std::vector<Frame> stack;
    stack.clear();
    size_t i = 1;  // tape[0] is the root marker
    while (true) {
      const uint64_t word = tape[i];
      const auto type = static_cast<char>(word >> 56);
      Value built;  // a plain scalar, or an uncounted pointer into the arena (never released)
      switch (type) {
        case '[': {
          if (stack.size() >= max_depth_) return TapeOutcome::DEPTH;
          void* mem = Take(Round8(sizeof(ArrayNode)));
          if (!mem) return TapeOutcome::FALLBACK;
          auto* node = Stamp(::new (mem) ArrayNode());
          if (!ReserveInArena(node->items, ContainerCount(word))) return TapeOutcome::FALLBACK;
          stack.emplace_back().array = node;
          ++i;
          continue;
        }
        case '{': {
          if (stack.size() >= max_depth_) return TapeOutcome::DEPTH;
          void* mem = Take(Round8(sizeof(ObjectNode)));
          if (!mem) return TapeOutcome::FALLBACK;
          auto* node = Stamp(::new (mem) ObjectNode());
          if (!ReserveInArena(node->members, ContainerCount(word))) return TapeOutcome::FALLBACK;
          stack.emplace_back().object = node;
          ++i;
          continue;
        }
        case ']':
        case '}': {
          const Frame f = stack.back();
          stack.pop_back();
          if (f.object) {
            if (f.maybe_duplicate && HasDuplicateKeys(f.object->members)) DedupInPlace(f.object->members);
            built = Access::Adopt(Kind::OBJECT, f.object);
          } else {
            built = Access::Adopt(Kind::ARRAY, f.array);
          }
          ++i;
          break;
        }
        case '"': {
          StringNode* s = PlaceString(TapeString(strings, word));
          if (!s) return TapeOutcome::FALLBACK;
          ++i;
          if (!stack.empty() && stack.back().object && !stack.back().key) {
            Frame& f = stack.back();
            f.key = s;
            const unsigned print = QuickFingerprint(s);
            const uint64_t bit = uint64_t{1} << (print & 63);
            if ((f.seen[print >> 6] & bit) != 0 && !f.maybe_duplicate) {
              // A fingerprint seen before in this object: compare with the keys so far (rarely many).
              for (const Member& m : f.object->members) {
                if (KeyEquals(m.key, s->view())) {
                  f.maybe_duplicate = true;
                  break;
                }
              }
            }
            f.seen[print >> 6] |= bit;
            continue;
          }
          built = Access::Adopt(Kind::STRING, s);
          break;
        }
        case 'l': {
          int64_t v = 0;
          std::memcpy(&v, &tape[i + 1], sizeof(v));
          if (v == 0 && ZeroMayBeNegative() && Token(number_index_)[0] == '-') {
            built = Value::Number(-0.0);
          } else if (IntegerMagnitude(v) < PLAIN_INTEGER_LIMIT) {
            built = Value::Number(static_cast<double>(v));  // exact, and prints as written: no literal
          } else {
            built = TapeInteger(v < 0, IntegerMagnitude(v));
          }
          ++number_index_;
          i += 2;
          break;
        }
        case 'u': {
          uint64_t v = 0;
          std::memcpy(&v, &tape[i + 1], sizeof(v));
          built = TapeInteger(false, v);
          ++number_index_;
          i += 2;
          break;
        }
        case 'd': {
          built = Value::NumberFromToken(Token(number_index_));
          if (!built.IsNumber()) return TapeOutcome::FALLBACK;  // cannot happen on validated text
          ++number_index_;
          i += 2;
          break;
        }
        case 't': built = Value::Bool(true), ++i; break;
        case 'f': built = Value::Bool(false), ++i; break;
        case 'n': ++i; break;
        default: return TapeOutcome::FALLBACK;
      }
      if (built.IsNumber() && !PlaceNumber(built)) return TapeOutcome::FALLBACK;  // still the pooled node: freed
      if (stack.empty()) {
        out = std::move(built);  // the root: the caller's Value holds the arena's first count
        return TapeOutcome::OK;
      }
      Frame& parent = stack.back();
      if (parent.object) {
        MemberVector& members = parent.object->members;
        if (members.size() == members.capacity()) {
          Access::Forget(built);
          return TapeOutcome::FALLBACK;
        }
        Member& m = members.emplace_back();
        m.key = Access::Adopt(Kind::STRING, parent.key);
        Access::RawMove(m.value, built);
        parent.key = nullptr;
      } else {
        ValueVector& items = parent.array->items;
        if (items.size() == items.capacity()) {
          Access::Forget(built);
          return TapeOutcome::FALLBACK;
        }
        items.emplace_back(std::move(built));
      }
    }
  }

  std::string_view text_;
  size_t max_depth_;
  Arena* arena_ = nullptr;
  char* pos_ = nullptr;
  char* end_ = nullptr;
  size_t number_index_ = 0;  // numbers seen so far on the tape
  int negative_zero_ = -1;   // MayHoldNegativeZero(text_), computed on the first zero
  std::optional<NumberTokens> tokens_;
};

}  // namespace

TapeOutcome BuildInArena(const uint64_t* tape, const uint8_t* strings, std::string_view text, size_t max_depth,
                         Value& out) {
  return ArenaWalk(text, max_depth).Run(tape, strings, out);
}

}  // namespace sp::json::detail
