// Transparent huge pages for the allocations of one thread (jemalloc's arenas).
#pragma once

namespace activestore {

// Makes the calling thread allocate from a jemalloc arena whose memory is madvise(MADV_HUGEPAGE)d,
// so that the kernel backs it with 2 MB pages: one page fault per 2 MB instead of one per 4 KB.
// For a thread that allocates hundreds of megabytes in a burst, e.g. the writer of a COPY
// (WiredTiger's update structures, its transaction's operation array and log record, 0.5 GB for
// a million rows): page faults were a third of its time. The server's other threads keep 4 KB
// pages (huge pages everywhere double an idle server's RSS).
//
// Returns false, and changes nothing, where jemalloc is not the allocator (unit tests, sanitizer
// builds: `mallctl` is looked up at run time) or the arena cannot be made. The arena is made
// once per process and shared; the thread keeps it until it ends or calls this again.
bool UseHugePageArena();

}  // namespace activestore
