// Hypertables (TimescaleDB's interface; docs/design/2026-12-06-hypertables.md): a table whose
// rows live in chunk tables that inherit from it, one chunk per range of its time column.
//
// - The chunk arithmetic: the time column's values in one int64 unit (TimeUnitValue), a
//   value's chunk range (ChunkRangeOf), the chunk's CHECK text.
// - ChunkRouter: the chunk of a row for INSERT and COPY into a hypertable, creating it when it
//   does not exist yet (in a catalog transaction of its own, committed at once, so concurrent
//   inserters share it; in the inserting transaction when the hypertable itself is not
//   committed yet).
// - The SQL functions create_hypertable, show_chunks, drop_chunks, add_retention_policy,
//   remove_retention_policy, hypertable_size, chunks_detailed_size, and the compression and
//   continuous-aggregate functions that raise 0A000.
// - JobScheduler: a thread per node that runs the retention policies (drop_chunks through an
//   internal session) and keeps each job's statistics for timescaledb_information.job_stats.
//
// Thread safety: ChunkRouter belongs to one statement; JobScheduler's methods are thread-safe.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "common/value.h"
#include "executor/string_functions.h"
#include "planner/pg_catalog/system_relation.h"
#include "storage/catalog.h"
#include "storage/encoding.h"

namespace activestore::executor {

class Session;
class ExecState;

// The schema chunks are created in, as TimescaleDB's.
inline constexpr const char* kChunkSchema = "_timescaledb_internal";

// Whether a column of type t can partition a hypertable: timestamp, timestamptz, date,
// smallint, integer, bigint.
bool IsHypertableTimeType(TypeId t);
// A time column's value in the unit of HypertableInfo::interval: microseconds since 2000-01-01
// for the date/time types, the value itself for the integers. REQUIRES: !v.is_null.
int64_t TimeUnitValue(const Value& v);
// The value of type t at unit value u (a chunk bound), the inverse of TimeUnitValue.
Value TimeUnitToValue(int64_t u, Type t);
// The range [start, end) of the chunk that holds unit value t: start is origin plus a multiple
// of interval (floor), end = start + interval, both clamped to the int64 range.
// REQUIRES: interval > 0.
std::pair<int64_t, int64_t> ChunkRangeOf(int64_t t, int64_t interval, int64_t origin);
// 1970-01-01 in the date/time unit (microseconds from 2000-01-01).
inline constexpr int64_t kUnixEpochUnit = -946'684'800'000'000;
// Where a time column's chunk ranges are aligned: the Unix epoch for the date/time types (so
// chunks start where TimescaleDB's do: a 7-day chunk on a Thursday), 0 for the integers.
int64_t ChunkOrigin(TypeId t);
// The CHECK expression of a chunk of [start, end) on `column` (of type t), as PostgreSQL shows
// a constraint: (("time" >= '...'::timestamp with time zone) AND ("time" < '...'::...)). A
// bound at the int64 limit is left out.
std::string ChunkCheckExpr(const std::string& column, Type t, int64_t start, int64_t end);
// "_hyper_<hypertable id>_<chunk id>_chunk".
std::string ChunkTableName(int32_t hypertable_id, int32_t chunk_id);

// Shared by the hypertable and policy functions (hypertables.cpp, hypertable_compression.cpp):
// an interval in microseconds with TimescaleDB's 30-day months; the statement's catalog
// transaction (0A000 where there is none); 25006 in a read-only transaction; the next policy
// job id of the node (from 1000); an existing policy under add_*_policy (42710, or with
// if_not_exists TimescaleDB's NOTICE for the same arguments and WARNING for others).
int64_t PolicyIntervalUsec(const Interval& iv);
storage::CatalogTxn* HypertableTxn(ExecState& st);
void RefuseIfReadOnly(ExecState& st, const char* fn);
// Whether the table's own storage holds a row (a compressed chunk: rows besides its batches).
bool TableHasRows(storage::Transaction* txn, const storage::TableInfo& t);
int32_t NextPolicyJobId(const storage::CatalogSnapshot& cat);
void ExistingPolicy(ExecState& st, const char* kind, const storage::TableInfo& ht,
                    bool if_not_exists, bool same_arguments);

// The chunks of hypertable `oid` in a catalog view, ordered by range start.
std::vector<std::shared_ptr<const storage::TableInfo>> ChunksOf(
    const storage::CatalogSnapshot& catalog, storage::Oid oid);

// Routes rows of one statement into the chunks of `hypertable`.
class ChunkRouter {
 public:
  // txn: the statement's transaction (a storage::CatalogTxn).
  ChunkRouter(storage::Catalog* catalog, storage::Transaction* txn,
              std::shared_ptr<const storage::TableInfo> hypertable);
  // The chunk that holds `row` (a row of the hypertable's columns), created if missing.
  const storage::TableInfo& ChunkFor(const storage::Row& row);
  // The chunk of `row` if this router has used it already (no catalog access, no locks); null
  // otherwise.
  const storage::TableInfo* Cached(const storage::Row& row);
  // The time values routed so far: [lowest, highest + 1) in the time unit; lowest > highest
  // when no row was routed.
  int64_t lowest() const { return lowest_; }
  int64_t highest() const { return highest_; }
  storage::Oid hypertable_oid() const { return hypertable_->oid; }

 private:
  std::shared_ptr<const storage::TableInfo> Lookup(const storage::CatalogSnapshot& snap,
                                                   int64_t start) const;
  std::shared_ptr<const storage::TableInfo> Create(int64_t start, int64_t end);

  storage::Catalog* catalog_;
  storage::Transaction* txn_;
  std::shared_ptr<const storage::TableInfo> hypertable_;
  int64_t origin_;  // ChunkOrigin of the time column
  std::map<int64_t, std::shared_ptr<const storage::TableInfo>> by_start_;
  std::shared_ptr<const storage::TableInfo> last_;
  int64_t lowest_ = INT64_MAX;
  int64_t highest_ = INT64_MIN;
};

// Copies `row` (of the hypertable's columns) into the chunk's column order. Chunks are created
// with the hypertable's columns in its order, so this is the identity; a chunk whose columns
// differ (a column added to the hypertable after the chunk was made) is refused with 0A000.
void CheckChunkColumns(const storage::TableInfo& hypertable, const storage::TableInfo& chunk);

// The functions (registered in executor/functions.cpp).
const std::vector<StringFunctionEntry>& HypertableFunctionEntries();
// compress_chunk, decompress_chunk, add/remove_compression_policy (hypertable_compression.cpp;
// part of HypertableFunctionEntries).
const std::vector<StringFunctionEntry>& CompressionFunctionEntries();

// ALTER TABLE ... SET (timescaledb.compress, timescaledb.compress_segmentby,
// timescaledb.compress_orderby) (hypertable_compression.cpp): whether `options` has any
// timescaledb.* option, and the new compression settings of *next (a hypertable) from them,
// with TimescaleDB's errors.
bool HasTimescaleOptions(const std::vector<std::pair<std::string, std::string>>& options);
void SetCompressionOptions(const std::vector<std::pair<std::string, std::string>>& options,
                           const storage::CatalogSnapshot& cat, storage::TableInfo* next);
const std::vector<SetFunctionEntry>& HypertableSetFunctionEntries();

// The background job scheduler: one thread per node running the retention and compression
// policy jobs (HypertableInfo::retention_job_id, compression_job_id) of every database, each when
// its schedule is due, as the hypertable's owner through an internal session, and recording each
// run.
class JobScheduler {
 public:
  using JobStats = planner::pg_catalog::JobRunStats;

  // connect: opens an internal session (NodeEngine::Connect) for a database and user.
  JobScheduler(
      storage::Catalog* catalog,
      std::function<std::unique_ptr<Session>(const std::string& database, const std::string& user)>
          connect);
  ~JobScheduler();
  void Start();
  void Stop();
  // The statistics of a job (nullopt before its first scheduling).
  std::optional<JobStats> Stats(int32_t job_id) const;
  // Wakes the thread (a policy was added).
  void Wake();

 private:
  void Loop();
  void RunDue();
  // Runs one policy job (`sql`) and records the run; throws the job's error after recording it.
  void RunJob(const std::string& database, const std::string& owner, int32_t id,
              int64_t schedule_usec, const std::string& sql);

  storage::Catalog* catalog_;
  std::function<std::unique_ptr<Session>(const std::string&, const std::string&)> connect_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool wake_ = false;
  std::map<int32_t, JobStats> stats_;
  // What each job id of stats_ was ("<hypertable oid>:<sql>"): an id freed by a removed policy
  // (or a dropped database) and given to another job starts with fresh statistics.
  std::map<int32_t, std::string> identity_;
  std::thread thread_;
};

}  // namespace activestore::executor
