// Per-thread size-class free lists (see detail/pool.hpp for why).

#include "json/detail/pool.hpp"

#include <cstdlib>

// Under AddressSanitizer, cached blocks are poisoned so that a use after free anywhere in the code base is
// still caught while the block waits in a free list.
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define SP_POOL_POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define SP_POOL_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define SP_POOL_POISON(p, n) ((void)(p), (void)(n))
#define SP_POOL_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

namespace sp::json::detail {
namespace {

constexpr size_t SMALL_STEP = 16;  // classes 1..64: multiples of 16 bytes up to 1 KB
constexpr size_t SMALL_LIMIT = 1024;
constexpr size_t LARGE_STEP = 256;  // then multiples of 256 bytes up to 8 KB
constexpr size_t LARGE_LIMIT = 8192;
constexpr size_t NUM_CLASSES = SMALL_LIMIT / SMALL_STEP + (LARGE_LIMIT - SMALL_LIMIT) / LARGE_STEP + 1;
constexpr size_t BYTES_PER_LIST = 512 * 1024;  // what one size class may keep cached per thread

struct FreeBlock {
  FreeBlock* next;
};

struct FreeList {
  FreeBlock* head = nullptr;
  size_t count = 0;
};

size_t ClassOf(size_t size) {
  if (size <= SMALL_LIMIT) return (size + SMALL_STEP - 1) / SMALL_STEP;
  return SMALL_LIMIT / SMALL_STEP + (size - SMALL_LIMIT + LARGE_STEP - 1) / LARGE_STEP;
}

size_t ClassSize(size_t cls) {
  if (cls <= SMALL_LIMIT / SMALL_STEP) return cls * SMALL_STEP;
  return SMALL_LIMIT + (cls - SMALL_LIMIT / SMALL_STEP) * LARGE_STEP;
}

struct Cache {
  FreeList lists[NUM_CLASSES];

  ~Cache() {
    for (FreeList& l : lists) {
      const size_t block = ClassSize(static_cast<size_t>(&l - lists));
      while (l.head) {
        FreeBlock* b = l.head;
        SP_POOL_UNPOISON(b, block);
        l.head = b->next;
        std::free(b);
      }
    }
  }
};

// The cache is reached through a trivially destructible pointer so that blocks freed during thread exit (after
// the cache is gone, e.g. by another thread_local's destructor) still have somewhere to go: straight to free().
thread_local Cache* tls_cache = nullptr;
thread_local bool tls_dead = false;

struct CacheOwner {
  ~CacheOwner() {
    delete tls_cache;
    tls_cache = nullptr;
    tls_dead = true;
  }
};
thread_local CacheOwner tls_owner;

Cache* GetCache() {
  if (tls_cache) return tls_cache;
  if (tls_dead) return nullptr;
  (void)&tls_owner;  // constructs the owner, which registers its destructor for this thread
  tls_cache = new Cache();
  return tls_cache;
}

void* MallocOrThrow(size_t size) {
  void* p = std::malloc(size);
  if (!p) throw std::bad_alloc();
  return p;
}

}  // namespace

void* PoolAlloc(size_t size) {
  if (size == 0) size = 1;
  if (size > LARGE_LIMIT) return MallocOrThrow(size);
  const size_t cls = ClassOf(size);
  Cache* cache = GetCache();
  if (cache) {
    FreeList& l = cache->lists[cls];
    if (FreeBlock* b = l.head) {
      SP_POOL_UNPOISON(b, ClassSize(cls));
      l.head = b->next;
      --l.count;
      return b;
    }
  }
  return MallocOrThrow(ClassSize(cls));
}

void PoolFree(void* p, size_t size) noexcept {
  if (!p) return;
  if (size == 0) size = 1;
  if (size > LARGE_LIMIT) {
    std::free(p);
    return;
  }
  const size_t cls = ClassOf(size);
  Cache* cache = GetCache();
  if (!cache) {
    std::free(p);
    return;
  }
  FreeList& l = cache->lists[cls];
  if (l.count * ClassSize(cls) >= BYTES_PER_LIST) {
    std::free(p);
    return;
  }
  auto* b = static_cast<FreeBlock*>(p);
  b->next = l.head;
  l.head = b;
  ++l.count;
  SP_POOL_POISON(b, ClassSize(cls));
}

}  // namespace sp::json::detail
