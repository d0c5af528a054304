// Parallel readers: read-only transactions that read exactly what a leader transaction reads,
// for the workers of one statement (executor/parallel_fragments.h). An optional capability of a
// back end's transactions (ParallelReadable) and engines (SizeEstimator), found by the free
// functions below; the memory engine has neither.
//
// Thread safety: each reader belongs to one thread at a time; BeginReaders and the group's
// destruction run on the leader's thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "storage/storage.h"

namespace activestore::storage {

// The readers of one statement. The group is destroyed on the leader's thread, after the
// workers are done with the readers, before the leader transaction ends.
class ReaderGroup {
 public:
  virtual ~ReaderGroup() = default;
  const std::vector<Transaction*>& readers() const { return readers_; }

 protected:
  std::vector<Transaction*> readers_;
};

class ParallelReadable {
 public:
  virtual ~ParallelReadable() = default;
  // Up to n read-only transactions that read exactly what this one reads (its snapshot, or for
  // a read-committed one a snapshot of what is committed now); null (or fewer readers) when
  // that cannot be had: the transaction wrote something (readers cannot see uncommitted
  // writes), or it has a snapshot that it read from before (or that it took before this
  // statement, unless `may_move_snapshot`) and no readers of an earlier statement are free.
  // `may_move_snapshot`: the snapshot may be taken again now (nothing before this statement
  // depends on when it was taken: a lone statement, or READ COMMITTED). Throws only what
  // beginning a transaction throws.
  virtual std::unique_ptr<ReaderGroup> BeginReaders(size_t n, bool may_move_snapshot) = 0;
};

// A storage table's page requests to the engine's cache since the engine opened the table:
// `requested` pages asked for, of which `read` were not in the cache and were read into it.
// WiredTiger's pages (btree pages of up to a few tens of kB in memory), not PostgreSQL's 8 kB
// blocks; the engine forgets them when it closes an idle table's handle.
struct TableCachePages {
  uint64_t requested = 0;
  uint64_t read = 0;
};

class SizeEstimator {
 public:
  virtual ~SizeEstimator() = default;
  // The table's cache page counts ("cache: pages requested from the cache" and "cache: pages
  // read into cache" of WiredTiger's statistics cursor); zeros when it cannot tell. Cheap.
  virtual TableCachePages CachePages(std::string_view table) {
    (void)table;
    return {};
  }
  // About how many bytes the table takes (on disk or in the cache, whichever is more). Cheap:
  // no scan.
  virtual uint64_t ApproximateBytes(std::string_view table) = 0;
};

// The readers of `txn` (seen through a CatalogTxn and a UserTransaction), or null when its
// back end has no parallel readers (ParallelReadable).
std::unique_ptr<ReaderGroup> BeginReaders(Transaction* txn, size_t n, bool may_move_snapshot);
// SizeEstimator::ApproximateBytes of `engine`, or 0 when it cannot tell.
uint64_t ApproximateBytes(Engine* engine, std::string_view table);
// SizeEstimator::CachePages of `engine`, or zeros.
TableCachePages CachePages(Engine* engine, std::string_view table);

}  // namespace activestore::storage
