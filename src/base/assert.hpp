#pragma once
// SP_ASSERT is for programmer errors only, never for user input: it prints where and why, then aborts.

#include <cstdio>
#include <cstdlib>

#define SP_ASSERT(cond, why)                                                                      \
  do {                                                                                            \
    if (!(cond)) {                                                                                \
      std::fprintf(stderr, "%s:%d: assertion failed: %s (%s)\n", __FILE__, __LINE__, #cond, why); \
      std::abort();                                                                               \
    }                                                                                             \
  } while (0)
