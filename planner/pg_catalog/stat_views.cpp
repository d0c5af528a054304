// The cumulative statistics views of tables and indexes (PostgreSQL 15's system_views.sql:
// pg_stat_all_tables, pg_stat_all_indexes, pg_statio_all_tables, pg_statio_all_indexes and their
// _user_ and _sys_ subsets) as their SQL text over pg_class, pg_index, pg_namespace and the
// pg_stat_get_* functions (executor/table_stat_functions.cpp), which read the counters of
// executor/table_stats.h and WiredTiger's cache statistics. ActiveStore has no TOAST tables, so
// the toast_* and tidx_* columns of pg_statio_* are NULL. pg_stat_database likewise, over the
// pg_stat_get_db_* functions (executor/activity_functions.cpp).
#include "planner/pg_catalog/row_builder.h"
#include "planner/pg_catalog/system_relation.h"

namespace activestore::planner::pg_catalog {
namespace {

using enum TypeId;

void AddView(std::vector<std::unique_ptr<SystemRelation>>* out, std::unique_ptr<SystemRelation> r,
             std::string sql) {
  r->view_sql = std::move(sql);
  out->push_back(std::move(r));
}

std::vector<SystemColumn> TableColumns() {
  return {{"relid", T(kOid)},
          {"schemaname", T(kName)},
          {"relname", T(kName)},
          {"seq_scan", T(kInt64)},
          {"seq_tup_read", T(kInt64)},
          {"idx_scan", T(kInt64)},
          {"idx_tup_fetch", T(kInt64)},
          {"n_tup_ins", T(kInt64)},
          {"n_tup_upd", T(kInt64)},
          {"n_tup_del", T(kInt64)},
          {"n_tup_hot_upd", T(kInt64)},
          {"n_live_tup", T(kInt64)},
          {"n_dead_tup", T(kInt64)},
          {"n_mod_since_analyze", T(kInt64)},
          {"n_ins_since_vacuum", T(kInt64)},
          {"last_vacuum", T(kTimestampTz)},
          {"last_autovacuum", T(kTimestampTz)},
          {"last_analyze", T(kTimestampTz)},
          {"last_autoanalyze", T(kTimestampTz)},
          {"vacuum_count", T(kInt64)},
          {"autovacuum_count", T(kInt64)},
          {"analyze_count", T(kInt64)},
          {"autoanalyze_count", T(kInt64)}};
}

std::vector<SystemColumn> IndexColumns() {
  return {{"relid", T(kOid)},          {"indexrelid", T(kOid)},     {"schemaname", T(kName)},
          {"relname", T(kName)},       {"indexrelname", T(kName)},  {"idx_scan", T(kInt64)},
          {"idx_tup_read", T(kInt64)}, {"idx_tup_fetch", T(kInt64)}};
}

std::vector<SystemColumn> TableIoColumns() {
  return {{"relid", T(kOid)},
          {"schemaname", T(kName)},
          {"relname", T(kName)},
          {"heap_blks_read", T(kInt64)},
          {"heap_blks_hit", T(kInt64)},
          {"idx_blks_read", T(kInt64)},
          {"idx_blks_hit", T(kInt64)},
          {"toast_blks_read", T(kInt64)},
          {"toast_blks_hit", T(kInt64)},
          {"tidx_blks_read", T(kInt64)},
          {"tidx_blks_hit", T(kInt64)}};
}

std::vector<SystemColumn> IndexIoColumns() {
  return {{"relid", T(kOid)},         {"indexrelid", T(kOid)},    {"schemaname", T(kName)},
          {"relname", T(kName)},      {"indexrelname", T(kName)}, {"idx_blks_read", T(kInt64)},
          {"idx_blks_hit", T(kInt64)}};
}

std::vector<SystemColumn> DatabaseColumns() {
  return {{"datid", T(kOid)},
          {"datname", T(kName)},
          {"numbackends", T(kInt32)},
          {"xact_commit", T(kInt64)},
          {"xact_rollback", T(kInt64)},
          {"blks_read", T(kInt64)},
          {"blks_hit", T(kInt64)},
          {"tup_returned", T(kInt64)},
          {"tup_fetched", T(kInt64)},
          {"tup_inserted", T(kInt64)},
          {"tup_updated", T(kInt64)},
          {"tup_deleted", T(kInt64)},
          {"conflicts", T(kInt64)},
          {"temp_files", T(kInt64)},
          {"temp_bytes", T(kInt64)},
          {"deadlocks", T(kInt64)},
          {"checksum_failures", T(kInt64)},
          {"checksum_last_failure", T(kTimestampTz)},
          {"blk_read_time", T(kFloat64)},
          {"blk_write_time", T(kFloat64)},
          {"session_time", T(kFloat64)},
          {"active_time", T(kFloat64)},
          {"idle_in_transaction_time", T(kFloat64)},
          {"sessions", T(kInt64)},
          {"sessions_abandoned", T(kInt64)},
          {"sessions_fatal", T(kInt64)},
          {"sessions_killed", T(kInt64)},
          {"stats_reset", T(kTimestampTz)}};
}

// SELECT of every column of `columns` from `from`, with `where`.
std::string SelectAll(const std::vector<SystemColumn>& columns, const std::string& from,
                      const std::string& where) {
  std::string sql = "SELECT ";
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) sql += ", ";
    sql += columns[i].name;
  }
  return sql + " FROM pg_catalog." + from + " WHERE " + where;
}

// The _user_ and _sys_ views of an _all_ view, as system_views.sql defines them.
constexpr const char* kUserSchemas =
    "schemaname NOT IN ('pg_catalog', 'information_schema') AND schemaname !~ '^pg_toast'";
constexpr const char* kSystemSchemas =
    "schemaname IN ('pg_catalog', 'information_schema') OR schemaname ~ '^pg_toast'";

}  // namespace

void AddStatViews(std::vector<std::unique_ptr<SystemRelation>>* out) {
  AddView(out, MakeRelation("pg_stat_all_tables", 12142, 12144, TableColumns()), R"(
SELECT C.oid AS relid, N.nspname AS schemaname, C.relname AS relname,
       pg_catalog.pg_stat_get_numscans(C.oid) AS seq_scan,
       pg_catalog.pg_stat_get_tuples_returned(C.oid) AS seq_tup_read,
       sum(pg_catalog.pg_stat_get_numscans(I.indexrelid))::bigint AS idx_scan,
       sum(pg_catalog.pg_stat_get_tuples_fetched(I.indexrelid))::bigint +
         pg_catalog.pg_stat_get_tuples_fetched(C.oid) AS idx_tup_fetch,
       pg_catalog.pg_stat_get_tuples_inserted(C.oid) AS n_tup_ins,
       pg_catalog.pg_stat_get_tuples_updated(C.oid) AS n_tup_upd,
       pg_catalog.pg_stat_get_tuples_deleted(C.oid) AS n_tup_del,
       pg_catalog.pg_stat_get_tuples_hot_updated(C.oid) AS n_tup_hot_upd,
       pg_catalog.pg_stat_get_live_tuples(C.oid) AS n_live_tup,
       pg_catalog.pg_stat_get_dead_tuples(C.oid) AS n_dead_tup,
       pg_catalog.pg_stat_get_mod_since_analyze(C.oid) AS n_mod_since_analyze,
       pg_catalog.pg_stat_get_ins_since_vacuum(C.oid) AS n_ins_since_vacuum,
       pg_catalog.pg_stat_get_last_vacuum_time(C.oid) AS last_vacuum,
       pg_catalog.pg_stat_get_last_autovacuum_time(C.oid) AS last_autovacuum,
       pg_catalog.pg_stat_get_last_analyze_time(C.oid) AS last_analyze,
       pg_catalog.pg_stat_get_last_autoanalyze_time(C.oid) AS last_autoanalyze,
       pg_catalog.pg_stat_get_vacuum_count(C.oid) AS vacuum_count,
       pg_catalog.pg_stat_get_autovacuum_count(C.oid) AS autovacuum_count,
       pg_catalog.pg_stat_get_analyze_count(C.oid) AS analyze_count,
       pg_catalog.pg_stat_get_autoanalyze_count(C.oid) AS autoanalyze_count
FROM pg_catalog.pg_class C
     LEFT JOIN pg_catalog.pg_index I ON C.oid = I.indrelid
     LEFT JOIN pg_catalog.pg_namespace N ON N.oid = C.relnamespace
WHERE C.relkind IN ('r', 't', 'm', 'p')
GROUP BY C.oid, N.nspname, C.relname)");
  // The per-database counters (executor/activity_functions.cpp), with the row of the shared
  // objects (datid 0) first, as PostgreSQL.
  AddView(out, MakeRelation("pg_stat_database", 12222, 12224, DatabaseColumns()), R"(
SELECT D.oid AS datid, D.datname AS datname,
       CASE WHEN (D.oid = (0)::oid) THEN 0
            ELSE pg_catalog.pg_stat_get_db_numbackends(D.oid) END AS numbackends,
       pg_catalog.pg_stat_get_db_xact_commit(D.oid) AS xact_commit,
       pg_catalog.pg_stat_get_db_xact_rollback(D.oid) AS xact_rollback,
       pg_catalog.pg_stat_get_db_blocks_fetched(D.oid) -
         pg_catalog.pg_stat_get_db_blocks_hit(D.oid) AS blks_read,
       pg_catalog.pg_stat_get_db_blocks_hit(D.oid) AS blks_hit,
       pg_catalog.pg_stat_get_db_tuples_returned(D.oid) AS tup_returned,
       pg_catalog.pg_stat_get_db_tuples_fetched(D.oid) AS tup_fetched,
       pg_catalog.pg_stat_get_db_tuples_inserted(D.oid) AS tup_inserted,
       pg_catalog.pg_stat_get_db_tuples_updated(D.oid) AS tup_updated,
       pg_catalog.pg_stat_get_db_tuples_deleted(D.oid) AS tup_deleted,
       pg_catalog.pg_stat_get_db_conflict_all(D.oid) AS conflicts,
       pg_catalog.pg_stat_get_db_temp_files(D.oid) AS temp_files,
       pg_catalog.pg_stat_get_db_temp_bytes(D.oid) AS temp_bytes,
       pg_catalog.pg_stat_get_db_deadlocks(D.oid) AS deadlocks,
       pg_catalog.pg_stat_get_db_checksum_failures(D.oid) AS checksum_failures,
       pg_catalog.pg_stat_get_db_checksum_last_failure(D.oid) AS checksum_last_failure,
       pg_catalog.pg_stat_get_db_blk_read_time(D.oid) AS blk_read_time,
       pg_catalog.pg_stat_get_db_blk_write_time(D.oid) AS blk_write_time,
       pg_catalog.pg_stat_get_db_session_time(D.oid) AS session_time,
       pg_catalog.pg_stat_get_db_active_time(D.oid) AS active_time,
       pg_catalog.pg_stat_get_db_idle_in_transaction_time(D.oid) AS idle_in_transaction_time,
       pg_catalog.pg_stat_get_db_sessions(D.oid) AS sessions,
       pg_catalog.pg_stat_get_db_sessions_abandoned(D.oid) AS sessions_abandoned,
       pg_catalog.pg_stat_get_db_sessions_fatal(D.oid) AS sessions_fatal,
       pg_catalog.pg_stat_get_db_sessions_killed(D.oid) AS sessions_killed,
       pg_catalog.pg_stat_get_db_stat_reset_time(D.oid) AS stats_reset
FROM (SELECT (0)::oid AS oid, NULL::name AS datname
      UNION ALL
      SELECT oid, datname FROM pg_catalog.pg_database) D)");
  AddView(out, MakeRelation("pg_stat_sys_tables", 12152, 12154, TableColumns()),
          SelectAll(TableColumns(), "pg_stat_all_tables", kSystemSchemas));
  AddView(out, MakeRelation("pg_stat_user_tables", 12161, 12163, TableColumns()),
          SelectAll(TableColumns(), "pg_stat_all_tables", kUserSchemas));
  AddView(out, MakeRelation("pg_stat_all_indexes", 12183, 12185, IndexColumns()), R"(
SELECT C.oid AS relid, I.oid AS indexrelid, N.nspname AS schemaname, C.relname AS relname,
       I.relname AS indexrelname,
       pg_catalog.pg_stat_get_numscans(I.oid) AS idx_scan,
       pg_catalog.pg_stat_get_tuples_returned(I.oid) AS idx_tup_read,
       pg_catalog.pg_stat_get_tuples_fetched(I.oid) AS idx_tup_fetch
FROM pg_catalog.pg_class C
     JOIN pg_catalog.pg_index X ON C.oid = X.indrelid
     JOIN pg_catalog.pg_class I ON I.oid = X.indexrelid
     LEFT JOIN pg_catalog.pg_namespace N ON N.oid = C.relnamespace
WHERE C.relkind IN ('r', 't', 'm'))");
  AddView(out, MakeRelation("pg_stat_sys_indexes", 12188, 12190, IndexColumns()),
          SelectAll(IndexColumns(), "pg_stat_all_indexes", kSystemSchemas));
  AddView(out, MakeRelation("pg_stat_user_indexes", 12192, 12194, IndexColumns()),
          SelectAll(IndexColumns(), "pg_stat_all_indexes", kUserSchemas));
  AddView(out, MakeRelation("pg_statio_all_tables", 12170, 12172, TableIoColumns()), R"(
SELECT C.oid AS relid, N.nspname AS schemaname, C.relname AS relname,
       pg_catalog.pg_stat_get_blocks_fetched(C.oid) -
         pg_catalog.pg_stat_get_blocks_hit(C.oid) AS heap_blks_read,
       pg_catalog.pg_stat_get_blocks_hit(C.oid) AS heap_blks_hit,
       I.idx_blks_read AS idx_blks_read,
       I.idx_blks_hit AS idx_blks_hit,
       pg_catalog.pg_stat_get_blocks_fetched(T.oid) -
         pg_catalog.pg_stat_get_blocks_hit(T.oid) AS toast_blks_read,
       pg_catalog.pg_stat_get_blocks_hit(T.oid) AS toast_blks_hit,
       X.idx_blks_read AS tidx_blks_read,
       X.idx_blks_hit AS tidx_blks_hit
FROM pg_catalog.pg_class C
     LEFT JOIN pg_catalog.pg_class T ON C.reltoastrelid = T.oid
     LEFT JOIN pg_catalog.pg_namespace N ON N.oid = C.relnamespace
     LEFT JOIN LATERAL (
       SELECT sum(pg_catalog.pg_stat_get_blocks_fetched(indexrelid) -
                  pg_catalog.pg_stat_get_blocks_hit(indexrelid))::bigint AS idx_blks_read,
              sum(pg_catalog.pg_stat_get_blocks_hit(indexrelid))::bigint AS idx_blks_hit
       FROM pg_catalog.pg_index WHERE indrelid = C.oid) I ON true
     LEFT JOIN LATERAL (
       SELECT sum(pg_catalog.pg_stat_get_blocks_fetched(indexrelid) -
                  pg_catalog.pg_stat_get_blocks_hit(indexrelid))::bigint AS idx_blks_read,
              sum(pg_catalog.pg_stat_get_blocks_hit(indexrelid))::bigint AS idx_blks_hit
       FROM pg_catalog.pg_index WHERE indrelid = T.oid) X ON true
WHERE C.relkind IN ('r', 't', 'm'))");
  AddView(out, MakeRelation("pg_statio_sys_tables", 12175, 12177, TableIoColumns()),
          SelectAll(TableIoColumns(), "pg_statio_all_tables", kSystemSchemas));
  AddView(out, MakeRelation("pg_statio_user_tables", 12179, 12181, TableIoColumns()),
          SelectAll(TableIoColumns(), "pg_statio_all_tables", kUserSchemas));
  AddView(out, MakeRelation("pg_statio_all_indexes", 12196, 12198, IndexIoColumns()), R"(
SELECT C.oid AS relid, I.oid AS indexrelid, N.nspname AS schemaname, C.relname AS relname,
       I.relname AS indexrelname,
       pg_catalog.pg_stat_get_blocks_fetched(I.oid) -
         pg_catalog.pg_stat_get_blocks_hit(I.oid) AS idx_blks_read,
       pg_catalog.pg_stat_get_blocks_hit(I.oid) AS idx_blks_hit
FROM pg_catalog.pg_class C
     JOIN pg_catalog.pg_index X ON C.oid = X.indrelid
     JOIN pg_catalog.pg_class I ON I.oid = X.indexrelid
     LEFT JOIN pg_catalog.pg_namespace N ON N.oid = C.relnamespace
WHERE C.relkind IN ('r', 't', 'm'))");
  AddView(out, MakeRelation("pg_statio_sys_indexes", 12201, 12203, IndexIoColumns()),
          SelectAll(IndexIoColumns(), "pg_statio_all_indexes", kSystemSchemas));
  AddView(out, MakeRelation("pg_statio_user_indexes", 12205, 12207, IndexIoColumns()),
          SelectAll(IndexIoColumns(), "pg_statio_all_indexes", kUserSchemas));
}

}  // namespace activestore::planner::pg_catalog
