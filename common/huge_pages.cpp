#include "common/huge_pages.h"

#include <dlfcn.h>
#include <sys/mman.h>

#include <cstddef>

namespace activestore {
namespace {

// jemalloc 5's extent hooks (jemalloc.h's extent_hooks_t, a stable part of its API): declared
// here so that the server's libraries do not depend on jemalloc's header.
struct ExtentHooks {
  void* (*alloc)(ExtentHooks*, void*, size_t, size_t, bool*, bool*, unsigned);
  void* dalloc;
  void* destroy;
  void* commit;
  void* decommit;
  void* purge_lazy;
  void* purge_forced;
  void* split;
  void* merge;
};

using MallctlFn = int (*)(const char*, void*, size_t*, void*, size_t);

ExtentHooks* default_hooks = nullptr;
ExtentHooks huge_hooks;

// jemalloc's own mapping, then the advice (for the whole mapping: the kernel uses huge pages in
// its 2 MB-aligned parts).
void* HugeAlloc(ExtentHooks*, void* new_addr, size_t size, size_t alignment, bool* zero,
                bool* commit, unsigned arena_ind) {
  void* p = default_hooks->alloc(default_hooks, new_addr, size, alignment, zero, commit, arena_ind);
  if (p != nullptr) madvise(p, size, MADV_HUGEPAGE);
  return p;
}

// The arena's index, or -1.
int MakeArena(MallctlFn mallctl) {
  size_t size = sizeof(default_hooks);
  if (mallctl("arena.0.extent_hooks", &default_hooks, &size, nullptr, 0) != 0 ||
      default_hooks == nullptr || default_hooks->alloc == nullptr) {
    return -1;
  }
  huge_hooks = *default_hooks;
  huge_hooks.alloc = HugeAlloc;
  ExtentHooks* hooks = &huge_hooks;
  unsigned arena = 0;
  size = sizeof(arena);
  if (mallctl("arenas.create", &arena, &size, &hooks, sizeof(hooks)) != 0) return -1;
  return static_cast<int>(arena);
}

}  // namespace

bool UseHugePageArena() {
  static const MallctlFn mallctl = reinterpret_cast<MallctlFn>(dlsym(RTLD_DEFAULT, "mallctl"));
  if (mallctl == nullptr) return false;
  static const int arena = MakeArena(mallctl);
  if (arena < 0) return false;
  unsigned index = static_cast<unsigned>(arena);
  return mallctl("thread.arena", nullptr, nullptr, &index, sizeof(index)) == 0;
}

}  // namespace activestore
