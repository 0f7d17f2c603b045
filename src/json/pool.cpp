// Per-thread size-class free lists: the slow paths (see detail/pool.hpp for why and for the fast paths).

#include "json/detail/pool.hpp"

#include <cstdlib>

namespace sp::json::detail {

thread_local constinit PoolList* tls_pool_lists = nullptr;
thread_local constinit char* tls_arena_cursor = nullptr;

namespace {

constexpr size_t BYTES_PER_LIST = 512 * 1024;  // what one size class may keep cached per thread

struct Cache {
  PoolList lists[POOL_CLASSES];

  Cache() {
    for (size_t cls = 1; cls < POOL_CLASSES; ++cls) {
      lists[cls].limit = static_cast<uint32_t>(BYTES_PER_LIST / PoolClassSize(cls));
    }
  }
  ~Cache() {
    for (size_t cls = 0; cls < POOL_CLASSES; ++cls) {
      PoolList& l = lists[cls];
      while (PoolBlock* b = l.head) {
        SP_POOL_UNPOISON(b, PoolClassSize(cls));
        l.head = b->next;
        std::free(b);
      }
    }
  }
};

// Blocks freed during thread exit, after the cache is gone (e.g. by another thread_local's destructor), go
// straight to free(): tls_pool_lists is null again and tls_dead keeps it so.
thread_local bool tls_dead = false;

struct CacheOwner {
  Cache* cache = nullptr;
  ~CacheOwner() {
    tls_pool_lists = nullptr;
    tls_dead = true;
    delete cache;
  }
};
thread_local CacheOwner tls_owner;

bool EnsureCache() {
  if (tls_pool_lists) return true;
  if (tls_dead) return false;
  tls_owner.cache = new Cache();  // first use constructs the owner, which registers its destructor
  tls_pool_lists = tls_owner.cache->lists;
  return true;
}

void* MallocOrThrow(size_t size) {
  void* p = std::malloc(size);
  if (!p) throw std::bad_alloc();
  return p;
}

}  // namespace

void* PoolAllocSlow(size_t size) {
  if (size == 0) size = 1;
  if (size > POOL_LARGE_LIMIT) return MallocOrThrow(size);
  // Blocks are always the full class size, so any thread can file them by class when they are freed.
  const size_t cls = PoolClassOf(size);
  if (EnsureCache()) {
    PoolList& l = tls_pool_lists[cls];
    if (PoolBlock* b = l.head) {
      SP_POOL_UNPOISON(b, PoolClassSize(cls));
      l.head = b->next;
      --l.count;
      return b;
    }
  }
  return MallocOrThrow(PoolClassSize(cls));
}

void PoolFreeSlow(void* p, size_t size) noexcept {
  if (!p) return;
  if (size == 0 || size > POOL_LARGE_LIMIT || !EnsureCache()) {
    std::free(p);
    return;
  }
  const size_t cls = PoolClassOf(size);
  PoolList& l = tls_pool_lists[cls];
  if (l.count >= l.limit) {
    std::free(p);
    return;
  }
  auto* b = static_cast<PoolBlock*>(p);
  b->next = l.head;
  l.head = b;
  ++l.count;
  SP_POOL_POISON(b, PoolClassSize(cls));
}

}  // namespace sp::json::detail
