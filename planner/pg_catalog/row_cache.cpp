// CachedRows: the rows of unkeyed scans of cacheable pg_catalog relations, shared by the
// statements that read the same catalog snapshot. A snapshot does not change once published
// (storage/catalog.h: a change makes a new one), so an entry, which names its snapshot by a
// weak pointer (and so by the object that lives at that address, not by a recycled address), is
// never stale; the cache keeps the most recently used entries and as many rows as kMaxRows, and
// drops those of snapshots no longer in use.
#include <array>
#include <list>
#include <mutex>

#include "planner/pg_catalog/system_relation.h"

namespace activestore::planner::pg_catalog {
namespace {

constexpr size_t kMaxEntries = 64;
constexpr size_t kMaxRows = 200000;

// The sizes of a snapshot's maps: as a guard (as storage's OidIndexCache), an entry whose
// snapshot's sizes changed is not used (a snapshot is not changed once it is read).
using Sizes = std::array<size_t, 5>;

Sizes SizesOf(const storage::CatalogSnapshot& s) {
  return {s.schemas.size(), s.tables.size(), s.types.size(), s.functions.size(), s.roles.size()};
}

struct Entry {
  std::weak_ptr<const storage::CatalogSnapshot> snapshot;
  Sizes sizes;
  Oid database;
  const SystemRelation* rel;
  std::vector<int> slots;  // empty: every column
  std::shared_ptr<const CatalogRows> rows;
};

class RowCache {
 public:
  std::shared_ptr<const CatalogRows> Find(const storage::CatalogSnapshot* snap, Oid db,
                                          const SystemRelation* rel,
                                          const std::vector<int>& slots) {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->rel == rel && it->database == db && it->slots == slots &&
          it->snapshot.lock().get() == snap && it->sizes == SizesOf(*snap)) {
        entries_.splice(entries_.begin(), entries_, it);  // most recently used first
        return it->rows;
      }
    }
    return nullptr;
  }

  void Add(Entry e) {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = entries_.begin(); it != entries_.end();) {
      if (it->snapshot.expired()) {
        rows_ -= it->rows->size();
        it = entries_.erase(it);
      } else {
        ++it;
      }
    }
    rows_ += e.rows->size();
    entries_.push_front(std::move(e));
    while (entries_.size() > 1 && (entries_.size() > kMaxEntries || rows_ > kMaxRows)) {
      rows_ -= entries_.back().rows->size();
      entries_.pop_back();
    }
  }

 private:
  std::mutex mu_;
  std::list<Entry> entries_;
  size_t rows_ = 0;
};

RowCache& Cache() {
  static RowCache* cache = new RowCache();  // never destroyed: used until the process exits
  return *cache;
}

}  // namespace

std::shared_ptr<const CatalogRows> CachedRows(
    const SystemRelation& rel, const std::shared_ptr<const storage::CatalogSnapshot>& snapshot,
    const CatalogReadContext& ctx) {
  if (!rel.cacheable || !rel.rows || snapshot == nullptr || ctx.catalog != snapshot.get() ||
      ctx.name_filter) {
    return nullptr;
  }
  const std::vector<int> slots = ctx.slots != nullptr ? *ctx.slots : std::vector<int>();
  if (auto rows = Cache().Find(snapshot.get(), ctx.database_oid, &rel, slots)) return rows;
  auto rows = std::make_shared<CatalogRows>();
  rel.rows(ctx, nullptr, rows.get());
  Cache().Add({snapshot, SizesOf(*snapshot), ctx.database_oid, &rel, slots, rows});
  return rows;
}

}  // namespace activestore::planner::pg_catalog
