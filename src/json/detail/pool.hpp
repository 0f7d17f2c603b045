#pragma once
// Internal: per-thread free lists for the small blocks JSON values are made of (nodes and element vectors).
//
// Parsing builds and frees tens of thousands of small blocks per page; recycling them per size class avoids
// malloc's slow paths (glibc consolidates its fast bins on every request above 1 KB, i.e. every object of
// more than 32 members). A block may be freed on any thread: it joins that thread's list. Each list keeps at
// most a bounded number of bytes; the rest goes back to malloc, and a thread's lists are released when it ends.

#include <cstddef>
#include <new>

namespace sp::json::detail {

void* PoolAlloc(size_t size);
void PoolFree(void* p, size_t size) noexcept;

//! std::allocator replacement for the vectors inside nodes.
template <typename T>
struct PoolAllocator {
  using value_type = T;
  PoolAllocator() noexcept = default;
  template <typename U>
  PoolAllocator(const PoolAllocator<U>&) noexcept {}  // NOLINT: rebinding must be implicit
  T* allocate(size_t n) { return static_cast<T*>(PoolAlloc(n * sizeof(T))); }
  void deallocate(T* p, size_t n) noexcept { PoolFree(p, n * sizeof(T)); }
  template <typename U>
  bool operator==(const PoolAllocator<U>&) const noexcept {
    return true;
  }
};

}  // namespace sp::json::detail
