// PostgreSQL 15's functions over the cumulative relation statistics (pgstatfuncs.c), which the
// pg_stat_all_tables / pg_stat_all_indexes / pg_statio_* views call with a relation's oid:
// counters from executor/table_stats.h (TableStatistics, and the transaction's
// TransactionTableCounts for the pg_stat_get_xact_tuples_* functions), block counts from
// WiredTiger's cache statistics, and pg_stat_reset / pg_stat_reset_single_table_counters.
//
// Blocks (pg_stat_get_blocks_fetched / _hit): a table's are its shard storage tables' and an
// index's its shard index tables' page requests to WiredTiger's cache ("fetched") less those
// that had to read the page into the cache ("hit" = requested - read), summed over the shards.
// They are WiredTiger pages, not 8 kB blocks, and count since the engine opened the table's
// handle (WiredTiger closes idle handles and forgets them), less what pg_stat_reset noted. A
// primary key has no storage of its own (the rows are stored in its order), so its are 0.
//
// An oid without counters (never used, reset, or not a relation) gives 0, as in PostgreSQL. The
// vacuum and autoanalyze times are NULL and their counts 0: VACUUM does nothing here and there
// is no autovacuum; ANALYZE's are its own (TableStatistics::Analyzed).
#include <algorithm>
#include <tuple>

#include "common/error.h"
#include "executor/admin_functions.h"
#include "executor/exec_state.h"
#include "executor/executor.h"
#include "executor/table_stats.h"
#include "storage/acl.h"
#include "storage/parallel_readers.h"

namespace activestore::executor {
namespace {

using Args = std::vector<Value>;
using planner::BoundExpr;
using storage::Oid;

RelationStats Read(const ExecState& st, const Value& oid) {
  RelationStats s;
  if (st.ctx.table_stats != nullptr) {
    st.ctx.table_stats->Read(st.ctx.database_oid, static_cast<uint32_t>(oid.i), &s);
  }
  return s;
}

template <int64_t RelationStats::*kField>
Value FnCounter(const Args& a, const BoundExpr&, ExecState& st) {
  return Value::Int64(Read(st, a[0]).*kField);
}

// pg_stat_get_last_vacuum_time and the other two: NULL, nothing vacuums or autoanalyzes.
Value FnNever(const Args&, const BoundExpr&, ExecState&) {
  return Value::Null(Type::Of(TypeId::kTimestampTz));
}

// pg_stat_get_last_analyze_time: the last ANALYZE's time, NULL if none.
Value FnLastAnalyze(const Args& a, const BoundExpr&, ExecState& st) {
  const int64_t us = Read(st, a[0]).last_analyze_us;
  if (us == INT64_MIN) return Value::Null(Type::Of(TypeId::kTimestampTz));
  Value v = Value::Null(Type::Of(TypeId::kTimestampTz));
  v.is_null = false;
  v.i = us;
  return v;
}

// pg_stat_get_vacuum_count and the other three.
Value FnNone(const Args&, const BoundExpr&, ExecState&) { return Value::Int64(0); }

// The cache pages of the relation `oid` of the statement's database, summed over its shards'
// storage tables; zeros for a primary key, a view, a sequence or an unknown oid.
storage::TableCachePages RelationPages(const ExecState& st, Oid oid) {
  storage::TableCachePages sum;
  const storage::CatalogSnapshot* snap = st.ctx.catalog_view.get();
  storage::Engine* engine = st.ctx.storage_engine;
  if (snap == nullptr || engine == nullptr) return sum;
  auto add = [&](const std::string& table) {
    storage::TableCachePages p = storage::CachePages(engine, table);
    sum.requested += p.requested;
    sum.read += p.read;
  };
  if (auto t = snap->FindRelationByOid(oid)) {
    if (t->is_view || t->is_sequence()) return sum;
    for (uint32_t s = 0; s < t->shard_count; ++s) add(t->ShardTable(s));
    return sum;
  }
  for (const auto& [key, t] : snap->tables) {
    if (std::get<0>(key) != st.ctx.database_oid) continue;
    for (const storage::IndexInfo& index : t->indexes) {
      if (index.oid != oid) continue;
      for (uint32_t s = 0; s < t->shard_count; ++s) add(index.ShardTable(s));
      return sum;
    }
  }
  return sum;
}

// Requested and read pages since the counters' base (pg_stat_reset), never negative: a handle
// WiredTiger reopened starts again from 0.
storage::TableCachePages PagesSinceReset(const ExecState& st, Oid oid) {
  storage::TableCachePages now = RelationPages(st, oid);
  const RelationStats s = Read(st, Value::Int64(oid));
  const auto base_requested = static_cast<uint64_t>(s.pages_requested_base);
  const auto base_read = static_cast<uint64_t>(s.pages_read_base);
  if (now.requested >= base_requested && now.read >= base_read) {
    now.requested -= base_requested;
    now.read -= base_read;
  }
  now.read = std::min(now.read, now.requested);
  return now;
}

Value FnBlocksFetched(const Args& a, const BoundExpr&, ExecState& st) {
  return Value::Int64(
      static_cast<int64_t>(PagesSinceReset(st, static_cast<Oid>(a[0].i)).requested));
}

Value FnBlocksHit(const Args& a, const BoundExpr&, ExecState& st) {
  const storage::TableCachePages p = PagesSinceReset(st, static_cast<Oid>(a[0].i));
  return Value::Int64(static_cast<int64_t>(p.requested - p.read));
}

// pg_stat_get_xact_tuples_inserted / _updated / _deleted: the current transaction's changes,
// as PostgreSQL counts them before they are flushed (a TRUNCATE forgets those before it).
template <int64_t RowChanges::*kField>
Value FnXactChanges(const Args& a, const BoundExpr&, ExecState& st) {
  if (st.ctx.xact_counts == nullptr) return Value::Int64(0);
  const RowChanges* c = st.ctx.xact_counts->Find(static_cast<uint32_t>(a[0].i));
  return Value::Int64(c == nullptr ? 0 : c->*kField);
}

Value VoidResult() {
  Value v;
  v.type = Type::Of(TypeId::kVoid);
  v.is_null = false;
  return v;
}

// pg_stat_reset and pg_stat_reset_single_table_counters: PostgreSQL grants EXECUTE on them to
// no one but superusers (42501).
void RequireResetPrivilege(const ExecState& st, const char* function) {
  const storage::CatalogSnapshot* snap = st.ctx.catalog_view.get();
  if (snap != nullptr && !storage::IsSuperuser(*snap, st.ctx.user_oid)) {
    Throw(SqlState::kInsufficientPrivilege, "permission denied for function {}", function);
  }
}

TableStatistics::PageBase BaseOf(const ExecState& st, Oid oid) {
  const storage::TableCachePages p = RelationPages(st, oid);
  return {oid, static_cast<int64_t>(p.requested), static_cast<int64_t>(p.read)};
}

Value FnStatReset(const Args&, const BoundExpr&, ExecState& st) {
  RequireResetPrivilege(st, "pg_stat_reset");
  if (st.ctx.table_stats == nullptr) return VoidResult();
  std::vector<TableStatistics::PageBase> bases;
  if (const storage::CatalogSnapshot* snap = st.ctx.catalog_view.get()) {
    for (const auto& [key, t] : snap->tables) {
      if (std::get<0>(key) != st.ctx.database_oid) continue;
      bases.push_back(BaseOf(st, t->oid));
      for (const storage::IndexInfo& index : t->indexes) bases.push_back(BaseOf(st, index.oid));
    }
  }
  st.ctx.table_stats->Reset(st.ctx.database_oid, bases);
  return VoidResult();
}

Value FnStatResetSingleTable(const Args& a, const BoundExpr&, ExecState& st) {
  RequireResetPrivilege(st, "pg_stat_reset_single_table_counters");
  if (st.ctx.table_stats == nullptr) return VoidResult();
  st.ctx.table_stats->ResetRelation(st.ctx.database_oid, BaseOf(st, static_cast<Oid>(a[0].i)));
  return VoidResult();
}

// pg_stat_force_next_flush() and pg_stat_clear_snapshot(): the counters are shared as soon as a
// scan ends or a transaction commits, and read afresh each time (stats_fetch_consistency
// 'none'), so there is nothing to flush and no snapshot to clear.
Value FnNothingPending(const Args&, const BoundExpr&, ExecState&) { return VoidResult(); }

}  // namespace

const std::vector<StringFunctionEntry>& TableStatFunctionEntries() {
  static const std::vector<StringFunctionEntry> kEntries = {
      {"pg_stat_get_numscans", FnCounter<&RelationStats::numscans>, true},
      {"pg_stat_get_tuples_returned", FnCounter<&RelationStats::tuples_returned>, true},
      {"pg_stat_get_tuples_fetched", FnCounter<&RelationStats::tuples_fetched>, true},
      {"pg_stat_get_tuples_inserted", FnCounter<&RelationStats::tuples_inserted>, true},
      {"pg_stat_get_tuples_updated", FnCounter<&RelationStats::tuples_updated>, true},
      {"pg_stat_get_tuples_deleted", FnCounter<&RelationStats::tuples_deleted>, true},
      {"pg_stat_get_tuples_hot_updated", FnCounter<&RelationStats::tuples_hot_updated>, true},
      {"pg_stat_get_live_tuples", FnCounter<&RelationStats::live_tuples>, true},
      {"pg_stat_get_dead_tuples", FnCounter<&RelationStats::dead_tuples>, true},
      {"pg_stat_get_mod_since_analyze", FnCounter<&RelationStats::mod_since_analyze>, true},
      {"pg_stat_get_ins_since_vacuum", FnCounter<&RelationStats::ins_since_vacuum>, true},
      {"pg_stat_get_last_vacuum_time", FnNever, true},
      {"pg_stat_get_last_autovacuum_time", FnNever, true},
      {"pg_stat_get_last_analyze_time", FnLastAnalyze, true},
      {"pg_stat_get_last_autoanalyze_time", FnNever, true},
      {"pg_stat_get_vacuum_count", FnNone, true},
      {"pg_stat_get_autovacuum_count", FnNone, true},
      {"pg_stat_get_analyze_count", FnCounter<&RelationStats::analyze_count>, true},
      {"pg_stat_get_autoanalyze_count", FnNone, true},
      {"pg_stat_get_blocks_fetched", FnBlocksFetched, true},
      {"pg_stat_get_blocks_hit", FnBlocksHit, true},
      {"pg_stat_get_xact_tuples_inserted", FnXactChanges<&RowChanges::inserted>, true},
      {"pg_stat_get_xact_tuples_updated", FnXactChanges<&RowChanges::updated>, true},
      {"pg_stat_get_xact_tuples_deleted", FnXactChanges<&RowChanges::deleted>, true},
      {"pg_stat_get_xact_tuples_hot_updated", FnNone, true},
      {"pg_stat_reset", FnStatReset, false},
      {"pg_stat_reset_single_table_counters", FnStatResetSingleTable, true},
      {"pg_stat_force_next_flush", FnNothingPending, false},
      {"pg_stat_clear_snapshot", FnNothingPending, false},
  };
  return kEntries;
}

}  // namespace activestore::executor
