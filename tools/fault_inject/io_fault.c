// An LD_PRELOAD library that makes the I/O of a process fail on purpose, for fault-injection
// tests (tools/fault_injection_test.py). Nothing happens unless AS_FAULT_AFTER is set.
//
//   AS_FAULT_AFTER=N      the N-th matching call (1-based) and every later one fail
//   AS_FAULT_OP=fsync     fsync and fdatasync (default); or "write": write, pwrite, pwritev
//   AS_FAULT_ERRNO=EIO    the errno the failing call sets: EIO (default) or ENOSPC
//   AS_FAULT_PATH=/wt/    only descriptors whose path contains this string count (default: all)
//   AS_FAULT_ONCE=1       only the N-th call fails; later ones go through
//   AS_FAULT_ARM_FILE=F   calls count only while the file F exists (the test creates it once
//                         the server is up and its tables exist)
//
// A failing write returns -1 without writing anything (a short write is not simulated).
// Thread-safe: the call counter is atomic.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static atomic_long calls;
static long fail_after = -1;  // -1: not configured yet; 0: off
static int fail_errno = EIO;
static int op_write = 0;
static int once = 0;
static const char* path_filter = NULL;
static const char* arm_file = NULL;

static void configure(void) {
  if (fail_after >= 0) return;
  const char* after = getenv("AS_FAULT_AFTER");
  const char* op = getenv("AS_FAULT_OP");
  const char* err = getenv("AS_FAULT_ERRNO");
  op_write = op != NULL && strcmp(op, "write") == 0;
  fail_errno = err != NULL && strcmp(err, "ENOSPC") == 0 ? ENOSPC : EIO;
  once = getenv("AS_FAULT_ONCE") != NULL;
  path_filter = getenv("AS_FAULT_PATH");
  arm_file = getenv("AS_FAULT_ARM_FILE");
  fail_after = after != NULL ? atol(after) : 0;
}

static int matches(int fd) {
  if (path_filter == NULL || path_filter[0] == '\0') return 1;
  char link[64], target[PATH_MAX];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, target, sizeof target - 1);
  if (n <= 0) return 0;
  target[n] = '\0';
  return strstr(target, path_filter) != NULL;
}

// Whether this call fails (and sets errno).
static int inject(int fd, int is_write) {
  configure();
  if (fail_after <= 0 || is_write != op_write || !matches(fd)) return 0;
  if (arm_file != NULL && access(arm_file, F_OK) != 0) return 0;
  long n = atomic_fetch_add(&calls, 1) + 1;
  if (n < fail_after || (once && n != fail_after)) return 0;
  if (n == fail_after) {
    static const char msg[] = "io_fault: injecting a failure\n";
    ssize_t ignored = write(2, msg, sizeof msg - 1);
    (void)ignored;
  }
  errno = fail_errno;
  return 1;
}

typedef int (*sync_fn)(int);
typedef ssize_t (*pwrite_fn)(int, const void*, size_t, off_t);
typedef ssize_t (*write_fn)(int, const void*, size_t);

#define REAL(name, type)   \
  static type real_##name; \
  if (real_##name == NULL) real_##name = (type)dlsym(RTLD_NEXT, #name)

int fsync(int fd) {
  REAL(fsync, sync_fn);
  if (inject(fd, 0)) return -1;
  return real_fsync(fd);
}

int fdatasync(int fd) {
  REAL(fdatasync, sync_fn);
  if (inject(fd, 0)) return -1;
  return real_fdatasync(fd);
}

ssize_t pwrite(int fd, const void* buf, size_t count, off_t offset) {
  REAL(pwrite, pwrite_fn);
  if (inject(fd, 1)) return -1;
  return real_pwrite(fd, buf, count, offset);
}

ssize_t pwrite64(int fd, const void* buf, size_t count, off_t offset) {
  REAL(pwrite64, pwrite_fn);
  if (inject(fd, 1)) return -1;
  return real_pwrite64(fd, buf, count, offset);
}

ssize_t write(int fd, const void* buf, size_t count) {
  REAL(write, write_fn);
  if (fd > 2 && inject(fd, 1)) return -1;
  return real_write(fd, buf, count);
}
