#include "executor/table_stats.h"

#include <algorithm>

namespace activestore::executor {

void TransactionTableCounts::Truncated(uint32_t relation) {
  RowChanges& c = changes_[relation];
  if (!c.truncated) {
    c.truncated = true;
    c.inserted_before_truncate = c.inserted;
    c.updated_before_truncate = c.updated;
    c.deleted_before_truncate = c.deleted;
  }
  c.inserted = c.updated = c.deleted = 0;
}

const RowChanges* TransactionTableCounts::Find(uint32_t relation) const {
  auto it = changes_.find(relation);
  return it == changes_.end() ? nullptr : &it->second;
}

void RowChangeCounter::Flush() {
  if (n_ == 0 || counts_ == nullptr) return;
  try {
    switch (kind_) {
      case Kind::kInsert:
        counts_->Inserted(relation_, n_);
        break;
      case Kind::kUpdate:
        counts_->Updated(relation_, n_);
        break;
      case Kind::kDelete:
        counts_->Deleted(relation_, n_);
        break;
    }
  } catch (...) {  // only allocation can fail (Flush runs in destructors): the count is lost
  }
  n_ = 0;
}

size_t TransactionTableCounts::Savepoint() {
  marks_.push_back(changes_);
  return marks_.size() - 1;
}

void TransactionTableCounts::RollbackTo(size_t mark) {
  if (mark >= marks_.size()) return;
  const std::unordered_map<uint32_t, RowChanges>& saved = marks_[mark];
  for (const auto& [relation, now] : changes_) {
    RowChanges before;
    if (auto it = saved.find(relation); it != saved.end()) before = it->second;
    // Everything attempted since the mark, whether before or after a TRUNCATE.
    auto since = [](int64_t now_after, int64_t now_before, int64_t then_after,
                    int64_t then_before) {
      return std::max<int64_t>(0, now_after + now_before - then_after - then_before);
    };
    RowChanges& lost = aborted_[relation];
    lost.inserted += since(now.inserted, now.inserted_before_truncate, before.inserted,
                           before.inserted_before_truncate);
    lost.updated += since(now.updated, now.updated_before_truncate, before.updated,
                          before.updated_before_truncate);
    lost.deleted += since(now.deleted, now.deleted_before_truncate, before.deleted,
                          before.deleted_before_truncate);
  }
  changes_ = saved;
  marks_.resize(mark + 1);
}

void TransactionTableCounts::Release(size_t mark) {
  if (mark < marks_.size()) marks_.resize(mark);
}

TableStatistics::Entry* TableStatistics::Get(uint32_t database, uint32_t relation) {
  // REQUIRES: mu_ held exclusively.
  std::unique_ptr<Entry>& e = entries_[Key(database, relation)];
  if (!e) e = std::make_unique<Entry>();
  return e.get();
}

void TableStatistics::CountScans(uint32_t database, uint32_t relation, int64_t scans,
                                 int64_t returned, int64_t fetched) {
  auto add = [&](Entry* e) {
    if (scans != 0) e->numscans.fetch_add(scans, std::memory_order_relaxed);
    if (returned != 0) e->tuples_returned.fetch_add(returned, std::memory_order_relaxed);
    if (fetched != 0) e->tuples_fetched.fetch_add(fetched, std::memory_order_relaxed);
  };
  {
    std::shared_lock lock(mu_);
    auto it = entries_.find(Key(database, relation));
    if (it != entries_.end()) {
      add(it->second.get());
      return;
    }
  }
  std::unique_lock lock(mu_);
  add(Get(database, relation));
}

namespace {

// Adds a transaction's (or a rolled-back savepoint's) changes of one relation to its entry.
template <typename Entry>
void Fold(Entry* e, const RowChanges& c, bool committed) {
  int64_t ins = c.inserted, upd = c.updated, del = c.deleted;
  if (!committed && c.truncated) {
    // A rolled-back TRUNCATE: what was attempted before it counts, as PostgreSQL's
    // restore_truncdrop_counters.
    ins = c.inserted_before_truncate;
    upd = c.updated_before_truncate;
    del = c.deleted_before_truncate;
  }
  e->tuples_inserted.fetch_add(ins, std::memory_order_relaxed);
  e->tuples_updated.fetch_add(upd, std::memory_order_relaxed);
  e->tuples_deleted.fetch_add(del, std::memory_order_relaxed);
  std::lock_guard guard(e->change_mu);
  if (committed && c.truncated) {
    e->live_tuples.store(0, std::memory_order_relaxed);
    e->dead_tuples.store(0, std::memory_order_relaxed);
    e->ins_since_vacuum.store(0, std::memory_order_relaxed);
  }
  int64_t live = e->live_tuples.load(std::memory_order_relaxed);
  int64_t dead = e->dead_tuples.load(std::memory_order_relaxed);
  if (committed) {
    live += ins - del;
    dead += upd + del;
    e->mod_since_analyze.fetch_add(ins + upd + del, std::memory_order_relaxed);
  } else {
    dead += ins + upd;  // the inserted rows and the new versions of updated ones are dead
  }
  e->live_tuples.store(std::max<int64_t>(0, live), std::memory_order_relaxed);
  e->dead_tuples.store(std::max<int64_t>(0, dead), std::memory_order_relaxed);
  e->ins_since_vacuum.fetch_add(ins, std::memory_order_relaxed);
}

}  // namespace

void TableStatistics::EndTransaction(uint32_t database, TransactionTableCounts* counts,
                                     bool committed) {
  if (counts->empty()) {
    counts->marks_.clear();
    return;
  }
  auto fold_all = [&](auto&& entry) {
    for (const auto& [relation, c] : counts->changes_) Fold(entry(relation), c, committed);
    for (const auto& [relation, c] : counts->aborted_) {
      RowChanges plain;
      plain.inserted = c.inserted;
      plain.updated = c.updated;
      plain.deleted = c.deleted;
      Fold(entry(relation), plain, false);
    }
  };
  auto known = [&](const std::unordered_map<uint32_t, RowChanges>& m) {
    for (const auto& kv : m) {
      if (entries_.find(Key(database, kv.first)) == entries_.end()) return false;
    }
    return true;
  };
  {
    // The usual case, relations counted before: the shared lock (each entry's change_mu orders
    // the live and dead updates).
    std::shared_lock lock(mu_);
    if (known(counts->changes_) && known(counts->aborted_)) {
      fold_all([&](uint32_t r) { return entries_.find(Key(database, r))->second.get(); });
      lock.unlock();
      counts->changes_.clear();
      counts->aborted_.clear();
      counts->marks_.clear();
      return;
    }
  }
  {
    std::unique_lock lock(mu_);
    fold_all([&](uint32_t r) { return Get(database, r); });
  }
  counts->changes_.clear();
  counts->aborted_.clear();
  counts->marks_.clear();
}

void TableStatistics::Analyzed(uint32_t database, uint32_t relation, int64_t live_tuples,
                               int64_t changes_before, int64_t now_us) {
  std::unique_lock lock(mu_);
  Entry* e = Get(database, relation);
  std::lock_guard change(e->change_mu);
  e->live_tuples.store(live_tuples, std::memory_order_relaxed);
  e->dead_tuples.store(0, std::memory_order_relaxed);
  const int64_t now = e->mod_since_analyze.load(std::memory_order_relaxed);
  e->mod_since_analyze.store(std::max<int64_t>(0, now - changes_before), std::memory_order_relaxed);
  e->last_analyze_us.store(now_us, std::memory_order_relaxed);
  e->analyze_count.fetch_add(1, std::memory_order_relaxed);
}

bool TableStatistics::Read(uint32_t database, uint32_t relation, RelationStats* out) const {
  std::shared_lock lock(mu_);
  auto it = entries_.find(Key(database, relation));
  if (it == entries_.end()) return false;
  const Entry& e = *it->second;
  out->numscans = e.numscans.load(std::memory_order_relaxed);
  out->tuples_returned = e.tuples_returned.load(std::memory_order_relaxed);
  out->tuples_fetched = e.tuples_fetched.load(std::memory_order_relaxed);
  out->tuples_inserted = e.tuples_inserted.load(std::memory_order_relaxed);
  out->tuples_updated = e.tuples_updated.load(std::memory_order_relaxed);
  out->tuples_deleted = e.tuples_deleted.load(std::memory_order_relaxed);
  out->tuples_hot_updated = 0;
  out->live_tuples = e.live_tuples.load(std::memory_order_relaxed);
  out->dead_tuples = e.dead_tuples.load(std::memory_order_relaxed);
  out->mod_since_analyze = e.mod_since_analyze.load(std::memory_order_relaxed);
  out->ins_since_vacuum = e.ins_since_vacuum.load(std::memory_order_relaxed);
  out->last_analyze_us = e.last_analyze_us.load(std::memory_order_relaxed);
  out->analyze_count = e.analyze_count.load(std::memory_order_relaxed);
  out->pages_requested_base = e.pages_requested_base;
  out->pages_read_base = e.pages_read_base;
  return true;
}

RelationStats TableStatistics::SumDatabase(uint32_t database) const {
  RelationStats out;
  std::shared_lock lock(mu_);
  for (const auto& [key, entry] : entries_) {
    if (static_cast<uint32_t>(key >> 32) != database) continue;
    const Entry& e = *entry;
    out.tuples_returned += e.tuples_returned.load(std::memory_order_relaxed);
    out.tuples_fetched += e.tuples_fetched.load(std::memory_order_relaxed);
    out.tuples_inserted += e.tuples_inserted.load(std::memory_order_relaxed);
    out.tuples_updated += e.tuples_updated.load(std::memory_order_relaxed);
    out.tuples_deleted += e.tuples_deleted.load(std::memory_order_relaxed);
  }
  return out;
}

void TableStatistics::Reset(uint32_t database, const std::vector<PageBase>& bases) {
  std::unique_lock lock(mu_);
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (static_cast<uint32_t>(it->first >> 32) == database) {
      it = entries_.erase(it);
    } else {
      ++it;
    }
  }
  for (const PageBase& b : bases) {
    if (b.pages_requested == 0 && b.pages_read == 0) continue;
    Entry* e = Get(database, b.relation);
    e->pages_requested_base = b.pages_requested;
    e->pages_read_base = b.pages_read;
  }
}

void TableStatistics::ResetRelation(uint32_t database, const PageBase& base) {
  std::unique_lock lock(mu_);
  entries_.erase(Key(database, base.relation));
  if (base.pages_requested == 0 && base.pages_read == 0) return;
  Entry* e = Get(database, base.relation);
  e->pages_requested_base = base.pages_requested;
  e->pages_read_base = base.pages_read;
}

size_t TableStatistics::size() const {
  std::shared_lock lock(mu_);
  return entries_.size();
}

}  // namespace activestore::executor
