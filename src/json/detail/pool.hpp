#pragma once
// Internal: per-thread free lists for the small blocks JSON values are made of (nodes and element vectors).
//
// Parsing builds and frees tens of thousands of small blocks per page; recycling them per size class avoids
// malloc's slow paths (glibc consolidates its fast bins on every request above 1 KB, i.e. every object of
// more than 32 members). A block may be freed on any thread: it joins that thread's list. Each list keeps at
// most a bounded number of bytes; the rest goes back to malloc, and a thread's lists are released when it ends.
// The fast paths are inline: a pop or a push on a thread-local list.

#include <cstddef>
#include <cstdint>
#include <new>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
// Cached blocks are poisoned so that a use after free anywhere in the code base is still caught while the
// block waits in a free list.
#define SP_POOL_POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define SP_POOL_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define SP_POOL_POISON(p, n) ((void)(p), (void)(n))
#define SP_POOL_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

namespace sp::json::detail {

inline constexpr size_t POOL_SMALL_STEP = 16;  // classes 1..64: multiples of 16 bytes up to 1 KB
inline constexpr size_t POOL_SMALL_LIMIT = 1024;
inline constexpr size_t POOL_LARGE_STEP = 256;  // then multiples of 256 bytes up to 8 KB
inline constexpr size_t POOL_LARGE_LIMIT = 8192;
inline constexpr size_t POOL_CLASSES =
    POOL_SMALL_LIMIT / POOL_SMALL_STEP + (POOL_LARGE_LIMIT - POOL_SMALL_LIMIT) / POOL_LARGE_STEP + 1;

inline constexpr size_t PoolClassOf(size_t size) {
  if (size <= POOL_SMALL_LIMIT) return (size + POOL_SMALL_STEP - 1) / POOL_SMALL_STEP;
  return POOL_SMALL_LIMIT / POOL_SMALL_STEP + (size - POOL_SMALL_LIMIT + POOL_LARGE_STEP - 1) / POOL_LARGE_STEP;
}

inline constexpr size_t PoolClassSize(size_t cls) {
  if (cls <= POOL_SMALL_LIMIT / POOL_SMALL_STEP) return cls * POOL_SMALL_STEP;
  return POOL_SMALL_LIMIT + (cls - POOL_SMALL_LIMIT / POOL_SMALL_STEP) * POOL_LARGE_STEP;
}

struct PoolBlock {
  PoolBlock* next;
};

struct PoolList {
  PoolBlock* head = nullptr;
  uint32_t count = 0;
  uint32_t limit = 0;  // blocks this list may keep
};

//! This thread's lists (POOL_CLASSES of them), or null before the first slow-path call and after thread exit.
extern thread_local constinit PoolList* tls_pool_lists;

void* PoolAllocSlow(size_t size);
void PoolFreeSlow(void* p, size_t size) noexcept;

inline void* PoolAlloc(size_t size) {
  if (size - 1 < POOL_LARGE_LIMIT && tls_pool_lists) {
    const size_t cls = PoolClassOf(size);
    PoolList& l = tls_pool_lists[cls];
    if (PoolBlock* b = l.head) {
      SP_POOL_UNPOISON(b, PoolClassSize(cls));
      l.head = b->next;
      --l.count;
      return b;
    }
  }
  return PoolAllocSlow(size);
}

inline void PoolFree(void* p, size_t size) noexcept {
  if (p && size - 1 < POOL_LARGE_LIMIT && tls_pool_lists) {
    const size_t cls = PoolClassOf(size);
    PoolList& l = tls_pool_lists[cls];
    if (l.count < l.limit) {
      auto* b = static_cast<PoolBlock*>(p);
      b->next = l.head;
      l.head = b;
      ++l.count;
      SP_POOL_POISON(b, PoolClassSize(cls));
      return;
    }
  }
  PoolFreeSlow(p, size);
}

//! Set only around the single reserve() that sizes a vector inside an arena node (json/arena_build.cpp): the
//! storage then comes from the arena, and since arena nodes never change it is never reallocated or freed.
extern thread_local constinit char* tls_arena_cursor;

//! std::allocator replacement for the vectors inside nodes.
template <typename T>
struct PoolAllocator {
  using value_type = T;
  PoolAllocator() noexcept = default;
  template <typename U>
  PoolAllocator(const PoolAllocator<U>&) noexcept {}  // NOLINT: rebinding must be implicit
  T* allocate(size_t n) {
    if (tls_arena_cursor) {
      T* p = reinterpret_cast<T*>(tls_arena_cursor);
      tls_arena_cursor += (n * sizeof(T) + 7) / 8 * 8;
      return p;
    }
    return static_cast<T*>(PoolAlloc(n * sizeof(T)));
  }
  void deallocate(T* p, size_t n) noexcept { PoolFree(p, n * sizeof(T)); }
  template <typename U>
  bool operator==(const PoolAllocator<U>&) const noexcept {
    return true;
  }
};

}  // namespace sp::json::detail
