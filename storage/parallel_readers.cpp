#include "storage/parallel_readers.h"

#include "storage/catalog.h"
#include "storage/user_txn.h"

namespace activestore::storage {

std::unique_ptr<ReaderGroup> BeginReaders(Transaction* txn, size_t n, bool may_move_snapshot) {
  if (auto* c = dynamic_cast<CatalogTxn*>(txn)) txn = c->inner();
  if (auto* u = dynamic_cast<UserTransaction*>(txn)) return u->BeginReaders(n, may_move_snapshot);
  auto* p = dynamic_cast<ParallelReadable*>(txn);
  return p == nullptr ? nullptr : p->BeginReaders(n, may_move_snapshot);
}

uint64_t ApproximateBytes(Engine* engine, std::string_view table) {
  auto* e = dynamic_cast<SizeEstimator*>(engine);
  return e == nullptr ? 0 : e->ApproximateBytes(table);
}

TableCachePages CachePages(Engine* engine, std::string_view table) {
  auto* e = dynamic_cast<SizeEstimator*>(engine);
  return e == nullptr ? TableCachePages{} : e->CachePages(table);
}

}  // namespace activestore::storage
