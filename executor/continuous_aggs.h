// Continuous aggregates (TimescaleDB's CREATE MATERIALIZED VIEW ... WITH
// (timescaledb.continuous); docs/design/2026-12-06-continuous-aggregates.md).
//
// - A continuous aggregate is a view (relkind 'v', storage::TableInfo::cagg set) over its
//   materialization table _timescaledb_internal._materialized_hypertable_<id>, which holds one
//   row per group of the defining query for the buckets refreshed so far. Below the watermark
//   the view reads that table; from it on (real-time aggregation, unless
//   timescaledb.materialized_only) it aggregates the raw rows.
// - Invalidations: every INSERT, UPDATE, DELETE, COPY or TRUNCATE of a hypertable with
//   continuous aggregates writes the range of time values it touched into the hypertable
//   invalidation log, a table written in the same transaction (durable with the write, gone
//   with its rollback). A refresh of a window moves those rows into each aggregate's
//   materialization invalidation log, recomputes the invalid buckets of the window from the
//   raw rows (delete then insert) and trims the log, all in the refreshing transaction.
// - The functions refresh_continuous_aggregate, add_continuous_aggregate_policy and
//   remove_continuous_aggregate_policy; the refresh policy jobs run them through the
//   JobScheduler (executor/hypertables.h).
//
// Thread safety: stateless; the logs are tables, written in the caller's transaction.
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

// The invalidation logs, TimescaleDB's two tables in the schema _timescaledb_catalog (made by
// the first continuous aggregate of a database), ordinary tables whose rows commit or roll back
// with the transaction that wrote them:
// - continuous_aggs_hypertable_invalidation_log (hypertable_id, lowest_modified_value,
//   greatest_modified_value): one row per statement that wrote into a hypertable with
//   continuous aggregates, the range of time values it touched (inclusive, in the time unit);
// - continuous_aggs_materialization_invalidation_log (materialization_id, ...): the invalid
//   ranges of each aggregate (by ContinuousAggInfo::id). A refresh moves the hypertable's rows
//   there (one copy per aggregate on it), takes the part inside its window and writes the rest
//   back merged.
// Bounds: lowest_modified_value INT64_MIN and greatest_modified_value INT64_MAX stand for
// -infinity and +infinity.
inline constexpr char kCaggCatalogSchema[] = "_timescaledb_catalog";
inline constexpr char kHypertableInvalidationLog[] = "continuous_aggs_hypertable_invalidation_log";
inline constexpr char kMaterializationInvalidationLog[] =
    "continuous_aggs_materialization_invalidation_log";

// Records, in `txn` (a statement's transaction, a storage::CatalogTxn), that it changed the
// time values [lo, hi) of `hypertable` (an oid): a row of the hypertable invalidation log, when
// a continuous aggregate is on the hypertable (in the catalog as the transaction sees it now:
// the writer holds its ROW EXCLUSIVE lock, and creating an aggregate takes SHARE on it, so an
// aggregate committed after the check cannot have missed the write). Writes nothing otherwise.
void LogInvalidation(storage::Catalog* catalog, storage::Transaction* txn, storage::Oid hypertable,
                     int64_t lo, int64_t hi);

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
                             storage::CatalogTxn* txn);

// refresh_continuous_aggregate, add_continuous_aggregate_policy,
// remove_continuous_aggregate_policy (registered with HypertableFunctionEntries).
const std::vector<StringFunctionEntry>& ContinuousAggFunctionEntries();

}  // namespace activestore::executor
