// Continuous aggregates (TimescaleDB's CREATE MATERIALIZED VIEW ... WITH
// (timescaledb.continuous); docs/design/2026-12-06-continuous-aggregates.md).
//
// - A continuous aggregate is a view (relkind 'v', storage::TableInfo::cagg set) over its
//   materialization table _timescaledb_internal._materialized_hypertable_<id>, which holds one
//   row per group of the defining query for the buckets refreshed so far. Below the watermark
//   the view reads that table; from it on (real-time aggregation, unless
//   timescaledb.materialized_only) it aggregates the raw rows.
// - Invalidations: every committed INSERT, UPDATE, DELETE or COPY into a hypertable adds the
//   range of time values it touched to the invalid ranges of each continuous aggregate on it
//   (CaggLog, kept in memory by the node; after a restart every aggregate is wholly invalid,
//   so nothing is missed). A refresh of a window recomputes the invalid buckets of the window
//   from the raw rows (delete then insert, in the refreshing transaction) and removes them
//   from the log; a rollback gives them back.
// - The functions refresh_continuous_aggregate, add_continuous_aggregate_policy and
//   remove_continuous_aggregate_policy; the refresh policy jobs run them through the
//   JobScheduler (executor/hypertables.h).
//
// Thread safety: CaggLog is thread-safe; CaggTxnLog belongs to one session.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "executor/executor.h"
#include "executor/string_functions.h"
#include "parser/ast.h"
#include "storage/catalog.h"

namespace activestore::executor {

// Half-open ranges [lo, hi) of time values, kept sorted and disjoint.
class RangeSet {
 public:
  void Add(int64_t lo, int64_t hi);
  // Removes and returns the parts inside [lo, hi).
  std::vector<std::pair<int64_t, int64_t>> Take(int64_t lo, int64_t hi);
  bool empty() const { return ranges_.empty(); }
  const std::map<int64_t, int64_t>& ranges() const { return ranges_; }

 private:
  std::map<int64_t, int64_t> ranges_;  // lo -> hi
};

// The node's invalid ranges, per continuous aggregate (by the oid of its view).
class CaggLog {
 public:
  // Committed changes of the raw relation in [lo, hi): added to each aggregate of `caggs`.
  void Invalidate(const std::vector<storage::Oid>& caggs, int64_t lo, int64_t hi);
  // Removes and returns the invalid ranges of `cagg` inside [lo, hi). An aggregate this log
  // has not seen yet (created by an earlier process) is wholly invalid.
  std::vector<std::pair<int64_t, int64_t>> Take(storage::Oid cagg, int64_t lo, int64_t hi);
  // Gives back ranges taken by a refresh whose transaction did not commit.
  void Restore(storage::Oid cagg, const std::vector<std::pair<int64_t, int64_t>>& ranges);
  // A new aggregate: nothing invalid (its creation materializes it, or leaves it empty).
  void Created(storage::Oid cagg);
  void Dropped(storage::Oid cagg);

 private:
  RangeSet& Of(storage::Oid cagg);  // REQUIRES: mu_ held
  std::mutex mu_;
  std::map<storage::Oid, RangeSet> invalid_;
};

// One session's changes not committed yet: the ranges its statements wrote into hypertables,
// and the ranges its refreshes took from the CaggLog.
class CaggTxnLog {
 public:
  explicit CaggTxnLog(CaggLog* log) : log_(log) {}
  void Changed(storage::Oid hypertable, int64_t lo, int64_t hi);
  void Taken(storage::Oid cagg, std::vector<std::pair<int64_t, int64_t>> ranges);
  // After the transaction's commit: its changes invalidate the aggregates on the relations
  // changed (in `catalog`, the committed catalog), and what its refreshes took stays taken.
  void Commit(const storage::CatalogSnapshot& catalog);
  // After a rollback (or ROLLBACK TO SAVEPOINT, for the refreshes): what was taken goes back.
  void Rollback();
  void RestoreTaken();
  CaggLog* log() { return log_; }

 private:
  CaggLog* log_;
  std::map<storage::Oid, RangeSet> changed_;
  std::vector<std::pair<storage::Oid, std::vector<std::pair<int64_t, int64_t>>>> taken_;
};

// The continuous aggregates whose raw relation is `oid`.
std::vector<std::shared_ptr<const storage::TableInfo>> CaggsOn(
    const storage::CatalogSnapshot& catalog, storage::Oid oid);

// Runs one SQL statement in ctx's transaction; returns its rows (or, for DML, nothing).
std::vector<std::vector<Value>> RunSqlIn(ExecContext& ctx, const std::string& sql);

// CREATE MATERIALIZED VIEW name WITH (timescaledb.continuous ...) AS query: checks the query
// (0A000 for what a continuous aggregate cannot be), creates the materialization table and the
// view, and (unless WITH NO DATA) refreshes every bucket. `txn` is the statement's catalog
// transaction; ctx runs SQL in it.
void CreateContinuousAggregate(const ast::CreateTableStatement& s, const std::string& schema,
                               storage::CatalogTxn* txn, ExecContext& ctx);
// Whether WITH (...) asks for a continuous aggregate (timescaledb.continuous), with 22023 for
// unknown timescaledb.* options.
bool IsContinuousAggregate(const std::vector<std::pair<std::string, std::string>>& options);
// Refreshes the buckets of [start, end) (nullopt: unbounded) of `cagg` that are invalid.
// Returns whether anything was refreshed.
bool RefreshContinuousAggregate(const storage::TableInfo& cagg, std::optional<int64_t> start,
                                std::optional<int64_t> end, storage::CatalogTxn* txn,
                                ExecContext& ctx);
// ALTER MATERIALIZED VIEW cagg SET (timescaledb.materialized_only = ...).
void SetContinuousAggregateOptions(const storage::TableInfo& cagg,
                                   const std::vector<std::pair<std::string, std::string>>& options,
                                   storage::Catalog* catalog, storage::CatalogTxn* txn);
// DROP MATERIALIZED VIEW of a continuous aggregate: the view and its materialization table.
void DropContinuousAggregate(const storage::TableInfo& cagg, storage::Catalog* catalog,
                             storage::CatalogTxn* txn, CaggLog* log);

// refresh_continuous_aggregate, add_continuous_aggregate_policy,
// remove_continuous_aggregate_policy (registered with HypertableFunctionEntries).
const std::vector<StringFunctionEntry>& ContinuousAggFunctionEntries();

}  // namespace activestore::executor
