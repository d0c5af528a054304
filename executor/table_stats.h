// Cumulative per-table and per-index activity statistics, PostgreSQL 15's relation statistics
// (pgstat_relation.c): what pg_stat_all_tables, pg_stat_all_indexes and the pg_stat_get_*
// functions read.
//
// TableStatistics is the node's store: one entry of counters per (database, relation oid), kept
// in memory and not persisted (PostgreSQL 15 writes them at a clean shutdown; here they start at
// zero with the server). Not transactional: a scan counts when its operator ends, whether the
// transaction commits or not. TransactionTableCounts is one transaction's row changes, counted
// by the DML operators and folded into the store when the transaction ends, with PostgreSQL's
// rules (AtEOXact_PgStat_Relations, pgstat_relation_flush_cb):
//   - n_tup_ins/upd/del count every attempted change, committed or rolled back;
//   - committed: live += inserted - deleted, dead += updated + deleted, mod_since_analyze +=
//     inserted + updated + deleted;
//   - rolled back: dead += inserted + updated; live and mod_since_analyze unchanged;
//   - ins_since_vacuum += inserted either way;
//   - a TRUNCATE in the transaction: on commit live and dead restart at 0 and the changes made
//     before it are forgotten (on rollback they count as rolled back);
//   - a rolled-back savepoint: its changes count as rolled back (AtEOSubXact_PgStat_Relations).
// There is no HOT update, autovacuum or autoanalyze, and VACUUM does nothing in ActiveStore:
// n_tup_hot_upd, the last_*vacuum / last_autoanalyze times and their counts stay 0 / NULL.
// ANALYZE (executor/analyze.cpp) sets live rows to what it counted, dead rows to 0 (WiredTiger
// reclaims old versions by itself), and last_analyze / analyze_count.
//
// Thread safety: TableStatistics is thread-safe (a shared lock to find an entry, atomics for the
// counters, the exclusive lock only to add or drop entries); the hot path folds a statement's or
// an operator's local counts once, never per row. TransactionTableCounts belongs to its session.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>
#include <vector>

namespace activestore::executor {

// One relation's counters, as read.
struct RelationStats {
  int64_t numscans = 0;         // a table's sequential scans; an index's scans
  int64_t tuples_returned = 0;  // rows read by a table's sequential scans; index entries returned
  int64_t tuples_fetched = 0;   // rows fetched through an index (counted on the index)
  int64_t tuples_inserted = 0;
  int64_t tuples_updated = 0;
  int64_t tuples_deleted = 0;
  int64_t tuples_hot_updated = 0;
  int64_t live_tuples = 0;
  int64_t dead_tuples = 0;
  int64_t mod_since_analyze = 0;
  int64_t ins_since_vacuum = 0;
  // The last ANALYZE (microseconds since 2000-01-01; INT64_MIN: never) and how many ran.
  int64_t last_analyze_us = INT64_MIN;
  int64_t analyze_count = 0;
  // WiredTiger's cache page counts when the counters were last reset (pg_stat_reset): the
  // pg_statio numbers are the engine's since it opened the table, less these.
  int64_t pages_requested_base = 0;
  int64_t pages_read_base = 0;
};

// Row changes of one relation in one (sub)transaction.
struct RowChanges {
  int64_t inserted = 0;
  int64_t updated = 0;
  int64_t deleted = 0;
  bool truncated = false;  // TRUNCATE ran: the counts are those made after it
  // The counts before the first TRUNCATE (rolled back if the transaction is).
  int64_t inserted_before_truncate = 0;
  int64_t updated_before_truncate = 0;
  int64_t deleted_before_truncate = 0;
};

// The row changes a transaction has made so far, per relation, with a mark per open savepoint.
class TransactionTableCounts {
 public:
  void Inserted(uint32_t relation, int64_t n) { changes_[relation].inserted += n; }
  void Updated(uint32_t relation, int64_t n) { changes_[relation].updated += n; }
  void Deleted(uint32_t relation, int64_t n) { changes_[relation].deleted += n; }
  // TRUNCATE of `relation` (pgstat_count_truncate).
  void Truncated(uint32_t relation);
  // The changes so far of `relation` in the transaction, or null.
  const RowChanges* Find(uint32_t relation) const;
  bool empty() const { return changes_.empty() && aborted_.empty(); }

  // SAVEPOINT: a mark whose changes ROLLBACK TO (RollbackTo) counts as rolled back.
  size_t Savepoint();
  // ROLLBACK TO the mark `mark` (which stays, as the savepoint does).
  void RollbackTo(size_t mark);
  // RELEASE of the mark `mark` and those after it.
  void Release(size_t mark);

 private:
  friend class TableStatistics;
  std::unordered_map<uint32_t, RowChanges> changes_;
  // The changes of rolled-back savepoints (counted as rolled back even if the transaction
  // commits).
  std::unordered_map<uint32_t, RowChanges> aborted_;
  std::vector<std::unordered_map<uint32_t, RowChanges>> marks_;
};

// Counts one kind of row change of a DML operator into its transaction's counts, one map update
// per run of rows of the same relation (a hypertable's rows go to their chunks), and what is
// left when it is destroyed: rows written before an error count too, as attempted changes.
class RowChangeCounter {
 public:
  enum class Kind { kInsert, kUpdate, kDelete };
  // `counts` may be null: nothing is counted.
  RowChangeCounter(TransactionTableCounts* counts, Kind kind) : counts_(counts), kind_(kind) {}
  ~RowChangeCounter() { Flush(); }
  RowChangeCounter(const RowChangeCounter&) = delete;
  RowChangeCounter& operator=(const RowChangeCounter&) = delete;

  void Count(uint32_t relation, int64_t n = 1) {
    if (relation != relation_) {
      Flush();
      relation_ = relation;
    }
    n_ += n;
  }
  void Flush();

 private:
  TransactionTableCounts* counts_;
  Kind kind_;
  uint32_t relation_ = 0;
  int64_t n_ = 0;
};

class TableStatistics {
 public:
  // Scans: a table's sequential scans and the rows they read (ScanOperator), or an index's
  // scans, entries returned and rows fetched (key lookups).
  void CountScans(uint32_t database, uint32_t relation, int64_t scans, int64_t returned,
                  int64_t fetched);
  // Folds a transaction's row changes when it ends, and clears them.
  void EndTransaction(uint32_t database, TransactionTableCounts* counts, bool committed);
  // An ANALYZE of the relation (pgstat_report_analyze): live rows as it counted them, no dead
  // ones, the changes counted before it started forgotten, its time and count.
  void Analyzed(uint32_t database, uint32_t relation, int64_t live_tuples, int64_t changes_before,
                int64_t now_us);
  // The counters of a relation; false when it has none (never counted, or reset).
  bool Read(uint32_t database, uint32_t relation, RelationStats* out) const;
  // The sums of the row counters (tuples_*) over every relation of `database`
  // (pg_stat_database's tup_* columns).
  RelationStats SumDatabase(uint32_t database) const;
  // pg_stat_reset(): drops every counter of `database`; pg_stat_reset_single_table_counters:
  // of one relation. `bases` gives each relation's cache page counts now (relation, requested,
  // read), which its pg_statio numbers then count from.
  struct PageBase {
    uint32_t relation = 0;
    int64_t pages_requested = 0;
    int64_t pages_read = 0;
  };
  void Reset(uint32_t database, const std::vector<PageBase>& bases);
  void ResetRelation(uint32_t database, const PageBase& base);
  // Drops the entries of relations that no longer exist (keep(relation) is false).
  template <typename Keep>
  void Prune(uint32_t database, Keep keep) {
    std::unique_lock lock(mu_);
    for (auto it = entries_.begin(); it != entries_.end();) {
      if (static_cast<uint32_t>(it->first >> 32) == database &&
          !keep(static_cast<uint32_t>(it->first))) {
        it = entries_.erase(it);
      } else {
        ++it;
      }
    }
  }
  size_t size() const;

 private:
  struct Entry {
    std::atomic<int64_t> numscans{0}, tuples_returned{0}, tuples_fetched{0};
    std::atomic<int64_t> tuples_inserted{0}, tuples_updated{0}, tuples_deleted{0};
    std::atomic<int64_t> live_tuples{0}, dead_tuples{0}, mod_since_analyze{0};
    std::atomic<int64_t> ins_since_vacuum{0};
    std::atomic<int64_t> last_analyze_us{INT64_MIN}, analyze_count{0};
    // Serializes EndTransaction's read-modify-write of live and dead (clamped at 0, reset by a
    // TRUNCATE): one per relation, taken once per transaction that changed it.
    std::mutex change_mu;
    int64_t pages_requested_base = 0, pages_read_base = 0;  // set under the exclusive lock
  };
  static uint64_t Key(uint32_t database, uint32_t relation) {
    return (static_cast<uint64_t>(database) << 32) | relation;
  }
  Entry* Get(uint32_t database, uint32_t relation);  // made if missing

  mutable std::shared_mutex mu_;
  std::unordered_map<uint64_t, std::unique_ptr<Entry>> entries_;  // GUARDED_BY(mu_)
};

}  // namespace activestore::executor
