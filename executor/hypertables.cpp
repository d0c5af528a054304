// Hypertables: chunk arithmetic, routing of rows into chunks, the TimescaleDB functions and the
// retention job scheduler. See hypertables.h and docs/design/2026-12-06-hypertables.md.
#include "executor/hypertables.h"

#include <algorithm>
#include <chrono>
#include <limits>

#include "common/composite.h"
#include "common/datetime.h"
#include "common/error.h"
#include "common/interval.h"
#include "common/reg_types.h"
#include "common/types.h"
#include "common/value_ops.h"
#include "executor/continuous_aggs.h"
#include "executor/deparse.h"
#include "executor/engine.h"
#include "executor/exec_state.h"
#include "executor/session.h"
#include "storage/table_store.h"

namespace activestore::executor {

bool TableHasRows(storage::Transaction* txn, const storage::TableInfo& t) {
  for (uint32_t s = 0; s < t.shard_count; ++s) {
    auto cur = txn->Scan(t.ShardTable(s));
    if (cur->Next()) return true;
  }
  return false;
}

namespace {

constexpr int64_t kUsecPerDay = 86'400'000'000;
constexpr int64_t kDefaultChunkInterval = 7 * kUsecPerDay;  // TimescaleDB's default

// TimescaleDB's SQLSTATEs (its errors.h): TS001 hypertable not found, TS103 bad index
// definition, TS110 hypertable exists.
SqlState TsState(const char* code) { return SqlStateFromCode(code); }

int64_t SaturatingAdd(int64_t a, int64_t b) {
  int64_t out;
  if (__builtin_add_overflow(a, b, &out)) {
    return b > 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
  }
  return out;
}

std::shared_ptr<const storage::TableInfo> RelationArg(const Value& v, ExecState& st) {
  auto rel = st.ctx.catalog_view->FindRelationByOid(static_cast<storage::Oid>(v.i));
  if (!rel) Throw(SqlState::kUndefinedTable, "relation with OID {} does not exist", v.i);
  return rel;
}

// A continuous aggregate's chunks, and its retention, are its materialization hypertable's
// (executor/continuous_aggs.h), as TimescaleDB's.
std::shared_ptr<const storage::TableInfo> MaterializationOf(
    std::shared_ptr<const storage::TableInfo> rel, ExecState& st) {
  if (!rel->cagg) return rel;
  auto mat = st.ctx.catalog_view->FindRelationByOid(rel->cagg->mat_table);
  return mat ? mat : rel;
}

// The hypertable named by a regclass argument: TS001 otherwise, as TimescaleDB's
// ts_hypertable_cache_get_entry callers say it.
std::shared_ptr<const storage::TableInfo> HypertableArg(const Value& v, ExecState& st,
                                                        bool or_cagg = true) {
  auto rel = RelationArg(v, st);
  if (or_cagg) rel = MaterializationOf(rel, st);
  if (!rel->hypertable) {
    Error e(TsState("TS001"), or_cagg ? fmt::format("\"{}\" is not a hypertable or a continuous "
                                                    "aggregate",
                                                    rel->name)
                                      : fmt::format("table \"{}\" is not a hypertable", rel->name));
    if (or_cagg) e.Hint("The operation is only possible on a hypertable or continuous aggregate.");
    throw e;
  }
  return rel;
}

const storage::ColumnInfo& TimeColumn(const storage::TableInfo& ht) {
  return ht.columns.at(static_cast<size_t>(ht.hypertable->time_column));
}

// A time argument of show_chunks/drop_chunks (older_than, newer_than) as a unit value of the
// hypertable's time column: an interval counts back from now(), a date/time value is converted
// to the column's type, an integer is used as is on an integer column.
int64_t CutoffOf(const Value& arg, const storage::TableInfo& ht, const char* param, ExecState& st) {
  const Type col = TimeColumn(ht).type;
  const TypeId at = arg.type.id;
  const TimeZone& tz = st.ctx.format.tz();
  if (IsIntegerType(col.id)) {
    if (IsIntegerType(at)) return arg.i;
    if (at == TypeId::kInterval) {
      Error e(SqlState::kInvalidParameterValue,
              fmt::format("invalid time argument type \"{}\"", TypeName(arg.type)));
      e.Hint(fmt::format("Try casting the argument to \"{}\".", TypeName(col)));
      throw e;
    }
  } else {
    if (at == TypeId::kInterval) {
      const Interval back = IntervalNegate(IntervalOf(arg));
      const int64_t now = st.ctx.statement_timestamp_us;
      if (col.id == TypeId::kTimestampTz) return TimestampPlusInterval(now, back, &tz);
      const int64_t local = TimestampPlusInterval(TimestampTzToTimestamp(now, tz), back, nullptr);
      if (col.id == TypeId::kTimestamp) return local;
      // date: the cutoff's day (now()::date - interval, as a timestamp, then the date).
      int64_t days = local / kUsecPerDay - (local % kUsecPerDay < 0 ? 1 : 0);
      return days * kUsecPerDay;
    }
    if (at == TypeId::kTimestampTz || at == TypeId::kTimestamp || at == TypeId::kDate) {
      return TimeUnitValue(CastValue(arg, col, st.ctx.format));
    }
  }
  Error e(SqlState::kInvalidParameterValue,
          fmt::format("invalid time argument type \"{}\"", TypeName(arg.type)));
  e.Hint(fmt::format("Try casting the argument to \"{}\".",
                     IsIntegerType(col.id) ? TypeName(col) : std::string("interval")));
  (void)param;
  throw e;
}

// The chunks of `ht` whose range lies entirely before older_than and/or entirely after (from)
// newer_than, as drop_chunks selects them (args: relation, older_than, newer_than).
std::vector<std::shared_ptr<const storage::TableInfo>> SelectChunks(const std::vector<Value>& a,
                                                                    const storage::TableInfo& ht,
                                                                    ExecState& st,
                                                                    bool require_bound) {
  const bool has_older = a.size() > 1 && !a[1].is_null;
  const bool has_newer = a.size() > 2 && !a[2].is_null;
  if (require_bound && !has_older && !has_newer) {
    Error e(SqlState::kInvalidParameterValue, "invalid time range for dropping chunks");
    e.Hint("At least one of older_than and newer_than must be provided.");
    throw e;
  }
  const int64_t older = has_older ? CutoffOf(a[1], ht, "older_than", st) : 0;
  const int64_t newer = has_newer ? CutoffOf(a[2], ht, "newer_than", st) : 0;
  if (has_older && has_newer && older < newer) {
    Error e(SqlState::kInvalidParameterValue, "invalid time range");
    e.Detail("The start of the time range must be before the end.");
    throw e;
  }
  std::vector<std::shared_ptr<const storage::TableInfo>> out;
  for (auto& c : ChunksOf(*st.ctx.catalog_view, ht.oid)) {
    if (has_older && c->chunk->range_end > older) continue;
    if (has_newer && c->chunk->range_start < newer) continue;
    out.push_back(std::move(c));
  }
  return out;
}

Value RegClass(storage::Oid oid) { return Value::Int(kRegClassType, oid); }

std::string QualifiedName(const storage::TableInfo& t) {
  return QuoteIdent(t.schema) + "." + QuoteIdent(t.name);
}

// ---- create_hypertable(relation, time_column, chunk_time_interval, create_default_indexes,
//      if_not_exists, migrate_data) ----

Value CreateHypertableResult(const Value& proto, int32_t id, const storage::TableInfo& t,
                             bool created) {
  return MakeRecordValue(proto.type.id == kRecordType ? proto.type : Type{kRecordType, -1},
                         {Value::Int32(id), Value::Text(t.schema, TypeId::kName),
                          Value::Text(t.name, TypeId::kName), Value::Bool(created)});
}

Value FnCreateHypertable(const std::vector<Value>& a, const planner::BoundExpr& e, ExecState& st) {
  RefuseIfReadOnly(st, "create_hypertable");
  storage::CatalogTxn* txn = HypertableTxn(st);
  if (a[0].is_null) Throw(SqlState::kInvalidParameterValue, "relation cannot be NULL");
  if (a[1].is_null) Throw(SqlState::kInvalidParameterValue, "partition column cannot be NULL");
  auto rel = RelationArg(a[0], st);
  const bool if_not_exists = !a[4].is_null && a[4].i != 0;
  const bool migrate_data = !a[5].is_null && a[5].i != 0;
  const bool default_indexes = a[3].is_null || a[3].i != 0;
  Value proto = Value::Null(e.type);
  if (rel->hypertable) {
    if (!if_not_exists) {
      Throw(TsState("TS110"), "table \"{}\" is already a hypertable", rel->name);
    }
    if (st.ctx.notice) {
      st.ctx.notice("NOTICE", SqlState::kSuccessfulCompletion,
                    fmt::format("table \"{}\" is already a hypertable, skipping", rel->name), "",
                    "");
    }
    return CreateHypertableResult(proto, rel->hypertable->id, *rel, false);
  }
  if (rel->is_view || rel->is_sequence()) {
    Throw(SqlState::kWrongObjectType, "\"{}\" is not a table", rel->name);
  }
  if (rel->chunk) Throw(TsState("TS101"), "table \"{}\" is a chunk", rel->name);
  if (!rel->parents.empty() || !st.ctx.catalog_view->InheritanceChildren(rel->oid).empty()) {
    Throw(SqlState::kFeatureNotSupported, "table \"{}\" is already partitioned", rel->name);
  }
  if (rel->schema.rfind("pg_temp", 0) == 0) {
    Throw(SqlState::kFeatureNotSupported, "temporary tables cannot be hypertables");
  }
  if (st.ctx.user_oid != rel->owner) {
    auto role = st.ctx.catalog_view->FindRoleByOid(st.ctx.user_oid);
    if (role == nullptr || !role->superuser) {
      Throw(SqlState::kInsufficientPrivilege, "must be owner of hypertable \"{}\"", rel->name);
    }
  }
  const int col = rel->ColumnIndex(a[1].s);
  if (col < 0) Throw(SqlState::kUndefinedColumn, "column \"{}\" does not exist", a[1].s);
  const storage::ColumnInfo& column = rel->columns[col];
  if (!IsHypertableTimeType(column.type.id)) {
    Throw(SqlState::kInvalidParameterValue, "invalid type for dimension \"{}\"", column.name);
  }
  int64_t interval = kDefaultChunkInterval;
  if (!a[2].is_null) {
    const Value& iv = a[2];
    if (iv.type.id == TypeId::kInterval) {
      if (IsIntegerType(column.type.id)) {
        Error err(SqlState::kInvalidParameterValue,
                  fmt::format("invalid interval type for {} dimension", TypeName(column.type)));
        err.Hint("Use an interval of type integer.");
        throw err;
      }
      interval = PolicyIntervalUsec(IntervalOf(iv));
    } else if (IsIntegerType(iv.type.id)) {
      interval = iv.i;
    } else {
      Throw(SqlState::kInvalidParameterValue, "invalid interval type: {}", TypeName(iv.type));
    }
    const int64_t max = column.type.id == TypeId::kInt16   ? std::numeric_limits<int16_t>::max()
                        : column.type.id == TypeId::kInt32 ? std::numeric_limits<int32_t>::max()
                                                           : std::numeric_limits<int64_t>::max();
    if (interval <= 0 || interval > max) {
      Throw(SqlState::kInvalidParameterValue, "invalid interval: must be between 1 and {}", max);
    }
    if (column.type.id == TypeId::kDate && interval % kUsecPerDay != 0) {
      Throw(SqlState::kInvalidParameterValue,
            "invalid interval: must be a multiple of one day for a date dimension");
    }
  } else if (IsIntegerType(column.type.id)) {
    Error err(SqlState::kInvalidParameterValue, "integer dimensions require an explicit interval");
    throw err;
  }
  // A unique index (the primary key too) must contain the time column: a chunk checks
  // uniqueness only among its own rows.
  auto check_unique = [&](const std::vector<int>& cols, const std::string& name) {
    if (std::find(cols.begin(), cols.end(), col) == cols.end()) {
      Throw(TsState("TS103"),
            "cannot create a unique index without the column \"{}\" (used in partitioning)",
            column.name);
    }
    (void)name;
  };
  if (!rel->primary_key.empty()) check_unique(rel->primary_key, rel->PrimaryKeyName());
  for (const auto& index : rel->indexes) {
    if (index.unique) check_unique(index.columns, index.name);
  }
  if (!rel->foreign_keys.empty() ||
      !st.ctx.catalog_view->ReferencingForeignKeys(rel->oid).empty()) {
    Throw(SqlState::kFeatureNotSupported, "foreign keys on hypertables are not supported yet");
  }
  const bool has_rows = TableHasRows(txn, *rel);
  if (has_rows && !migrate_data) {
    Error err(TsState("TS110"), fmt::format("table \"{}\" is not empty", rel->name));
    err.Hint(
        "You can migrate data by specifying 'migrate_data => true' when calling this "
        "function.");
    throw err;
  }

  txn->set_creator(rel->owner);
  if (!st.ctx.catalog_view->FindSchema(rel->database_oid, kChunkSchema)) {
    st.ctx.catalog->CreateSchema(txn, rel->database_oid, kChunkSchema);
  }
  // Ids count per database, as TimescaleDB's catalog is per database.
  int32_t id = 0;
  for (const auto& [key, t] : st.ctx.catalog_view->tables) {
    if (t->hypertable && t->database_oid == rel->database_oid) id = std::max(id, t->hypertable->id);
  }
  ++id;
  storage::TableInfo next = *rel;
  if (!next.columns[col].not_null) {
    if (st.ctx.notice) {
      st.ctx.notice("NOTICE", SqlState::kSuccessfulCompletion,
                    fmt::format("adding not-null constraint to column \"{}\"", column.name),
                    "Dimensions cannot have NULL values.", "");
    }
    next.columns[col].not_null = true;
  }
  storage::HypertableInfo h;
  h.id = id;
  h.time_column = col;
  h.interval = interval;
  next.hypertable = h;
  st.ctx.catalog->UpdateRelation(txn, next);
  st.ctx.catalog_view = txn->Snapshot();
  // The default index on (time DESC), unless an index already starts with the time column.
  bool indexed = !rel->primary_key.empty() && rel->primary_key.front() == col;
  for (const auto& index : rel->indexes) {
    if (!index.columns.empty() && index.columns.front() == col) indexed = true;
  }
  if (default_indexes && !indexed && st.ctx.run_utility) {
    st.ctx.run_utility(fmt::format("CREATE INDEX {} ON {} ({} DESC)",
                                   QuoteIdent(rel->name + "_" + column.name + "_idx"),
                                   QualifiedName(*rel), QuoteIdent(column.name)),
                       &st.ctx);
  }
  if (has_rows) {
    if (!st.ctx.run_utility) {
      Throw(SqlState::kFeatureNotSupported, "migrate_data is not available here");
    }
    // The rows move into chunks: read from the table alone, inserted through the hypertable
    // (which routes them), then removed from the table itself.
    if (st.ctx.notice) {
      st.ctx.notice("NOTICE", SqlState::kSuccessfulCompletion, "migrating data to chunks",
                    "Migration might take a while depending on the amount of data.", "");
    }
    const std::string name = QualifiedName(*rel);
    st.ctx.run_utility("INSERT INTO " + name + " SELECT * FROM ONLY " + name, &st.ctx);
    st.ctx.run_utility("DELETE FROM ONLY " + name, &st.ctx);
  }
  st.ctx.catalog_view = txn->Snapshot();
  return CreateHypertableResult(proto, id, *rel, true);
}

// ---- show_chunks / drop_chunks(relation, older_than, newer_than) ----

std::vector<Value> FnShowChunks(const std::vector<Value>& a, const planner::BoundExpr&,
                                ExecState& st) {
  if (a[0].is_null) return {};
  auto ht = HypertableArg(a[0], st);
  std::vector<Value> out;
  for (const auto& c : SelectChunks(a, *ht, st, false)) out.push_back(RegClass(c->oid));
  return out;
}

std::vector<Value> FnDropChunks(const std::vector<Value>& a, const planner::BoundExpr&,
                                ExecState& st) {
  RefuseIfReadOnly(st, "drop_chunks");
  if (a[0].is_null) Throw(SqlState::kInvalidParameterValue, "relation cannot be NULL");
  HypertableTxn(st);
  auto ht = HypertableArg(a[0], st);
  if (!st.ctx.run_utility)
    Throw(SqlState::kFeatureNotSupported, "drop_chunks is not available here");
  std::vector<Value> out;
  for (const auto& c : SelectChunks(a, *ht, st, true)) {
    // DROP TABLE: an ACCESS EXCLUSIVE lock (waits for the inserts into the chunk), the
    // catalog rows go in this transaction, the storage tables after its commit.
    const std::string name = QualifiedName(*c);
    // (A compressed chunk's compressed table goes with it: DropInheritanceChildren.)
    st.ctx.run_utility("DROP TABLE " + name, &st.ctx);
    out.push_back(Value::Text(c->schema + "." + c->name));
  }
  return out;
}

// ---- add_retention_policy(relation, drop_after, if_not_exists, schedule_interval) /
//      remove_retention_policy(relation, if_exists) ----

Value FnAddRetentionPolicy(const std::vector<Value>& a, const planner::BoundExpr&, ExecState& st) {
  RefuseIfReadOnly(st, "add_retention_policy");
  storage::CatalogTxn* txn = HypertableTxn(st);
  if (a[0].is_null) Throw(SqlState::kInvalidParameterValue, "relation cannot be NULL");
  auto ht = HypertableArg(a[0], st);
  const bool if_not_exists = !a[2].is_null && a[2].i != 0;
  if (a[1].is_null) {
    Throw(SqlState::kInvalidParameterValue, "invalid value for parameter drop_after");
  }
  const Type col = TimeColumn(*ht).type;
  int64_t drop_after = 0;
  std::string text;
  if (IsIntegerType(col.id)) {
    if (!IsIntegerType(a[1].type.id)) {
      Error err(SqlState::kInvalidParameterValue, "invalid value for parameter drop_after");
      err.Hint("Integer time duration is required for hypertables with integer time dimension.");
      throw err;
    }
    Throw(SqlState::kFeatureNotSupported,
          "retention policies on integer time columns need an integer_now function, which is "
          "not supported yet");
  }
  if (a[1].type.id != TypeId::kInterval) {
    Error err(SqlState::kInvalidParameterValue, "invalid value for parameter drop_after");
    err.Hint(
        "Interval time duration is required for hypertable with timestamp-based time "
        "dimension.");
    throw err;
  }
  drop_after = PolicyIntervalUsec(IntervalOf(a[1]));
  text = FormatInterval(IntervalOf(a[1]));
  const storage::HypertableInfo& h = *ht->hypertable;
  if (h.retention_job_id != 0) {
    ExistingPolicy(st, "retention", *ht, if_not_exists, h.drop_after_text == text);
    return Value::Int32(-1);
  }
  int64_t schedule = kUsecPerDay;  // TimescaleDB's default for retention jobs
  if (a.size() > 3 && !a[3].is_null) {
    schedule = PolicyIntervalUsec(IntervalOf(a[3]));
    if (schedule <= 0) {
      Throw(SqlState::kInvalidParameterValue, "schedule interval must be positive");
    }
  }
  const int32_t job = NextPolicyJobId(*st.ctx.catalog_view);
  storage::TableInfo next = *ht;
  next.hypertable->retention_job_id = job;
  next.hypertable->drop_after = drop_after;
  next.hypertable->drop_after_text = text;
  next.hypertable->schedule_interval_usec = schedule;
  st.ctx.catalog->UpdateRelation(txn, next);
  st.ctx.catalog_view = txn->Snapshot();
  if (st.ctx.jobs) st.ctx.jobs->Wake();
  return Value::Int32(job);
}

Value FnRemoveRetentionPolicy(const std::vector<Value>& a, const planner::BoundExpr&,
                              ExecState& st) {
  RefuseIfReadOnly(st, "remove_retention_policy");
  storage::CatalogTxn* txn = HypertableTxn(st);
  Value v;
  v.type = Type::Of(TypeId::kVoid);
  v.is_null = false;
  if (a[0].is_null)
    Throw(SqlState::kUndefinedObject, "relation is not a hypertable or continuous aggregate");
  auto rel = MaterializationOf(RelationArg(a[0], st), st);
  if (!rel->hypertable) {
    Throw(SqlState::kUndefinedObject, "relation \"{}\" is not a hypertable or continuous aggregate",
          rel->name);
  }
  const bool if_exists = !a[1].is_null && a[1].i != 0;
  if (rel->hypertable->retention_job_id == 0) {
    if (!if_exists) {
      Throw(SqlState::kUndefinedObject, "retention policy not found for hypertable \"{}\"",
            rel->name);
    }
    if (st.ctx.notice) {
      st.ctx.notice(
          "NOTICE", SqlState::kSuccessfulCompletion,
          fmt::format("retention policy not found for hypertable \"{}\", skipping", rel->name), "",
          "");
    }
    return Value::Null(v.type);
  }
  storage::TableInfo next = *rel;
  next.hypertable->retention_job_id = 0;
  next.hypertable->drop_after = 0;
  next.hypertable->drop_after_text.clear();
  next.hypertable->schedule_interval_usec = 0;
  st.ctx.catalog->UpdateRelation(txn, next);
  st.ctx.catalog_view = txn->Snapshot();
  return Value::Null(v.type);
}

}  // namespace

int64_t PolicyIntervalUsec(const Interval& iv) {
  return SaturatingAdd(SaturatingAdd(static_cast<int64_t>(iv.months) * 30 * kUsecPerDay,
                                     static_cast<int64_t>(iv.days) * kUsecPerDay),
                       iv.usec);
}

storage::CatalogTxn* HypertableTxn(ExecState& st) {
  auto* txn = dynamic_cast<storage::CatalogTxn*>(st.ctx.txn);
  if (txn == nullptr || st.ctx.catalog == nullptr) {
    Throw(SqlState::kFeatureNotSupported, "hypertable functions are not available here");
  }
  return txn;
}

void RefuseIfReadOnly(ExecState& st, const char* fn) {
  if (st.ctx.read_only) {
    Throw(SqlState::kReadOnlySqlTransaction, "cannot execute {}() in a read-only transaction", fn);
  }
}

int32_t NextPolicyJobId(const storage::CatalogSnapshot& cat) {
  int32_t job = 999;  // user jobs start at 1000, as TimescaleDB's
  // Job ids are unique on the node (the scheduler serves every database).
  for (const auto& [key, t] : cat.tables) {
    if (t->hypertable) {
      job = std::max({job, t->hypertable->retention_job_id, t->hypertable->compression_job_id});
    }
    if (t->cagg) job = std::max(job, t->cagg->job_id);
  }
  return job + 1;
}

void ExistingPolicy(ExecState& st, const char* kind, const storage::TableInfo& ht,
                    bool if_not_exists, bool same_arguments) {
  if (!if_not_exists) {
    Throw(SqlState::kDuplicateObject, "{} policy already exists for hypertable \"{}\"", kind,
          ht.name);
  }
  if (!st.ctx.notice) return;
  if (same_arguments) {
    st.ctx.notice(
        "NOTICE", SqlState::kSuccessfulCompletion,
        fmt::format("{} policy already exists for hypertable \"{}\", skipping", kind, ht.name), "",
        "");
  } else {
    st.ctx.notice("WARNING", SqlState::kWarning,
                  fmt::format("{} policy already exists for hypertable \"{}\"", kind, ht.name),
                  "A policy already exists with different arguments.",
                  "Remove the existing policy before adding a new one.");
  }
}

bool IsHypertableTimeType(TypeId t) {
  return t == TypeId::kTimestamp || t == TypeId::kTimestampTz || t == TypeId::kDate ||
         IsIntegerType(t);
}

int64_t TimeUnitValue(const Value& v) {
  if (v.type.id == TypeId::kDate) return v.i * kUsecPerDay;
  return v.i;
}

Value TimeUnitToValue(int64_t u, Type t) {
  if (t.id == TypeId::kDate) {
    Value v = Value::Int(TypeId::kDate, u / kUsecPerDay - (u % kUsecPerDay < 0 ? 1 : 0));
    v.type = t;
    return v;
  }
  Value v = Value::Int(t.id, u);
  v.type = t;
  return v;
}

std::pair<int64_t, int64_t> ChunkRangeOf(int64_t t, int64_t interval, int64_t origin) {
  const __int128 rel = static_cast<__int128>(t) - origin;
  __int128 rem = rel % interval;
  if (rem < 0) rem += interval;
  const __int128 start = static_cast<__int128>(t) - rem;
  const __int128 end = start + interval;
  constexpr __int128 kLo = std::numeric_limits<int64_t>::min();
  constexpr __int128 kHi = std::numeric_limits<int64_t>::max();
  return {static_cast<int64_t>(std::max(start, kLo)), static_cast<int64_t>(std::min(end, kHi))};
}

int64_t ChunkOrigin(TypeId t) { return IsIntegerType(t) ? 0 : kUnixEpochUnit; }

std::string ChunkTableName(int32_t hypertable_id, int32_t chunk_id) {
  return fmt::format("_hyper_{}_{}_chunk", hypertable_id, chunk_id);
}

std::string ChunkCheckExpr(const std::string& column, Type t, int64_t start, int64_t end) {
  auto literal = [&](int64_t u) -> std::string {
    switch (t.id) {
      case TypeId::kTimestampTz:
        return QuoteLiteral(FormatTimestampTz(u, *TimeZone::Utc())) + "::timestamp with time zone";
      case TypeId::kTimestamp:
        return QuoteLiteral(FormatTimestamp(u)) + "::timestamp without time zone";
      case TypeId::kDate:
        return QuoteLiteral(FormatDate(static_cast<int32_t>(TimeUnitToValue(u, t).i))) + "::date";
      default:
        return std::to_string(u);
    }
  };
  const std::string col = QuoteIdent(column);
  const int64_t lo_limit = t.id == TypeId::kInt16   ? std::numeric_limits<int16_t>::min()
                           : t.id == TypeId::kInt32 ? std::numeric_limits<int32_t>::min()
                                                    : std::numeric_limits<int64_t>::min();
  const int64_t hi_limit = t.id == TypeId::kInt16   ? std::numeric_limits<int16_t>::max()
                           : t.id == TypeId::kInt32 ? std::numeric_limits<int32_t>::max()
                                                    : std::numeric_limits<int64_t>::max();
  const bool has_lo = start > lo_limit;
  const bool has_hi = end <= hi_limit && end != std::numeric_limits<int64_t>::max();
  std::string lo = "(" + col + " >= " + literal(start) + ")";
  std::string hi = "(" + col + " < " + literal(end) + ")";
  if (has_lo && has_hi) return "(" + lo + " AND " + hi + ")";
  if (has_lo) return lo;
  if (has_hi) return hi;
  return "true";
}

std::vector<std::shared_ptr<const storage::TableInfo>> ChunksOf(
    const storage::CatalogSnapshot& catalog, storage::Oid oid) {
  std::vector<std::shared_ptr<const storage::TableInfo>> out;
  for (auto& c : catalog.InheritanceChildren(oid)) {
    if (c->chunk && c->chunk->hypertable == oid) out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) {
    return x->chunk->range_start < y->chunk->range_start;
  });
  return out;
}

void CheckChunkColumns(const storage::TableInfo& hypertable, const storage::TableInfo& chunk) {
  bool same = hypertable.columns.size() == chunk.columns.size();
  for (size_t i = 0; same && i < chunk.columns.size(); ++i) {
    same = hypertable.columns[i].name == chunk.columns[i].name &&
           hypertable.columns[i].type == chunk.columns[i].type;
  }
  if (!same) {
    Throw(SqlState::kFeatureNotSupported,
          "chunk \"{}\" no longer has the columns of hypertable \"{}\" (columns added or dropped "
          "after it was created are not supported yet)",
          chunk.name, hypertable.name);
  }
}

// ---- ChunkRouter ----

ChunkRouter::ChunkRouter(storage::Catalog* catalog, storage::Transaction* txn,
                         std::shared_ptr<const storage::TableInfo> hypertable)
    : catalog_(catalog),
      txn_(txn),
      hypertable_(std::move(hypertable)),
      origin_(ChunkOrigin(hypertable_->columns[hypertable_->hypertable->time_column].type.id)) {}

std::shared_ptr<const storage::TableInfo> ChunkRouter::Lookup(const storage::CatalogSnapshot& snap,
                                                              int64_t start) const {
  for (auto& c : snap.InheritanceChildren(hypertable_->oid)) {
    if (c->chunk && c->chunk->hypertable == hypertable_->oid && c->chunk->range_start == start) {
      return c;
    }
  }
  return nullptr;
}

const storage::TableInfo* ChunkRouter::Cached(const storage::Row& row) {
  const storage::HypertableInfo& h = *hypertable_->hypertable;
  const Value& v = row.at(static_cast<size_t>(h.time_column));
  if (v.is_null) return nullptr;
  const int64_t t = TimeUnitValue(v);
  if (last_ && t >= last_->chunk->range_start && t < last_->chunk->range_end) {
    lowest_ = std::min(lowest_, t);
    highest_ = std::max(highest_, t);
    return last_.get();
  }
  auto it = by_start_.find(ChunkRangeOf(t, h.interval, origin_).first);
  if (it == by_start_.end()) return nullptr;
  lowest_ = std::min(lowest_, t);
  highest_ = std::max(highest_, t);
  last_ = it->second;
  return last_.get();
}

const storage::TableInfo& ChunkRouter::ChunkFor(const storage::Row& row) {
  const storage::HypertableInfo& h = *hypertable_->hypertable;
  const Value& v = row.at(static_cast<size_t>(h.time_column));
  if (v.is_null) {
    Throw(SqlState::kNotNullViolation,
          "null value in column \"{}\" of relation \"{}\" violates not-null constraint",
          hypertable_->columns[h.time_column].name, hypertable_->name);
  }
  const int64_t t = TimeUnitValue(v);
  lowest_ = std::min(lowest_, t);
  highest_ = std::max(highest_, t);
  if (last_ && t >= last_->chunk->range_start && t < last_->chunk->range_end) return *last_;
  const auto [start, end] = ChunkRangeOf(t, h.interval, origin_);
  auto it = by_start_.find(start);
  if (it != by_start_.end()) {
    last_ = it->second;
    return *last_;
  }
  auto* ctxn = dynamic_cast<storage::CatalogTxn*>(txn_);
  std::shared_ptr<const storage::TableInfo> chunk;
  for (int attempt = 0; attempt < 2 && !chunk; ++attempt) {
    auto snap = ctxn != nullptr ? ctxn->Snapshot() : catalog_->Snapshot();
    chunk = Lookup(*snap, start);
    if (!chunk) chunk = Create(start, end);
    // The insert holds ROW EXCLUSIVE on the chunk, so drop_chunks (ACCESS EXCLUSIVE) waits
    // for it; a chunk dropped before the lock was granted is made again.
    txn_->LockRelation(chunk->oid, storage::LockMode::kRowExclusive);
    auto after = ctxn != nullptr ? ctxn->Snapshot() : catalog_->Snapshot();
    auto again = after->FindRelationByOid(chunk->oid);
    chunk = again && again->chunk ? again : nullptr;
  }
  if (!chunk) {
    Throw(SqlState::kSerializationFailure, "chunk of hypertable \"{}\" was dropped concurrently",
          hypertable_->name);
  }
  CheckChunkColumns(*hypertable_, *chunk);
  if (chunk->chunk->compressed_table != 0 &&
      (!chunk->primary_key.empty() ||
       std::any_of(chunk->indexes.begin(), chunk->indexes.end(),
                   [](const storage::IndexInfo& i) { return i.unique; }))) {
    // The rows land in the chunk's uncompressed part, where its unique keys cannot see the
    // compressed rows (docs/design/2026-12-06-chunk-compression.md).
    Throw(SqlState::kFeatureNotSupported,
          "insert into compressed chunk \"{}\" with a unique constraint is not supported yet",
          chunk->name);
  }
  by_start_[start] = chunk;
  last_ = chunk;
  return *last_;
}

std::shared_ptr<const storage::TableInfo> ChunkRouter::Create(int64_t start, int64_t end) {
  const storage::TableInfo& ht = *hypertable_;
  const storage::HypertableInfo& h = *ht.hypertable;
  auto* own = dynamic_cast<storage::CatalogTxn*>(txn_);
  // A chunk of a committed hypertable is made in a catalog transaction of its own, committed
  // at once: concurrent inserters then share it, and it stays if the insert rolls back (an
  // empty chunk, as after drop of its rows). A hypertable made in this transaction has its
  // chunks made here too.
  auto committed = catalog_->Snapshot()->FindRelationByOid(ht.oid);
  const bool autonomous = committed && committed->hypertable && own != nullptr;
  for (int attempt = 0;; ++attempt) {
    std::unique_ptr<storage::CatalogTxn> separate;
    storage::CatalogTxn* txn = own;
    if (autonomous) {
      separate = catalog_->Begin();
      txn = separate.get();
    }
    if (txn == nullptr) {
      Throw(SqlState::kFeatureNotSupported, "cannot create a chunk in this transaction");
    }
    auto snap = txn->Snapshot();
    if (autonomous) {
      if (auto existing = Lookup(*snap, start)) return existing;  // made meanwhile
    }
    int32_t chunk_id = 0;
    for (const auto& [key, t] : snap->tables) {
      if (t->chunk && t->database_oid == ht.database_oid)
        chunk_id = std::max(chunk_id, t->chunk->id);
    }
    ++chunk_id;
    storage::TableInfo c;
    c.database_oid = ht.database_oid;
    c.schema = kChunkSchema;
    c.name = ChunkTableName(h.id, chunk_id);
    c.columns = ht.columns;
    for (storage::ColumnInfo& col : c.columns) {
      col.inhcount = 1;
      col.is_local = false;
      col.identity = 0;
      col.default_sql.reset();
      col.default_sequences.clear();
      col.default_oid = 0;
    }
    c.primary_key = ht.primary_key;
    c.primary_key_include = ht.primary_key_include;
    for (const storage::IndexInfo& index : ht.indexes) {
      storage::IndexInfo ci = index;
      ci.oid = 0;
      ci.storage_gen = 0;
      ci.constraint_oid = 0;
      ci.is_constraint = false;
      ci.name = c.name + "_" + index.name;
      c.indexes.push_back(std::move(ci));
    }
    c.shard_count = ht.shard_count;
    for (const storage::CheckConstraintInfo& check : ht.checks) {
      if (check.no_inherit) continue;
      storage::CheckConstraintInfo cc = check;
      cc.oid = 0;
      cc.inhcount = 1;
      cc.is_local = false;
      c.checks.push_back(std::move(cc));
    }
    const storage::ColumnInfo& tcol = ht.columns[h.time_column];
    c.checks.push_back(storage::CheckConstraintInfo{
        fmt::format("constraint_{}", chunk_id), ChunkCheckExpr(tcol.name, tcol.type, start, end)});
    c.parents = {ht.oid};
    c.acl = ht.acl;
    c.expiry = ht.expiry;
    c.chunk = storage::ChunkInfo{ht.oid, chunk_id, start, end};
    txn->set_creator(ht.owner);
    try {
      auto made = catalog_->CreateTable(txn, std::move(c));
      if (separate) separate->Commit();
      return made;
    } catch (const Error&) {
      // Another session made a chunk of this id or range first (a conflict on the name row or
      // at the commit's check): look again, with the catalog as it is now.
      if (!autonomous || attempt >= 5) throw;
    }
  }
}

// ---- JobScheduler ----

JobScheduler::JobScheduler(
    storage::Catalog* catalog,
    std::function<std::unique_ptr<Session>(const std::string&, const std::string&)> connect)
    : catalog_(catalog), connect_(std::move(connect)) {}

JobScheduler::~JobScheduler() { Stop(); }

void JobScheduler::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void JobScheduler::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void JobScheduler::Wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    wake_ = true;
  }
  cv_.notify_all();
}

std::optional<JobScheduler::JobStats> JobScheduler::Stats(int32_t job_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = stats_.find(job_id);
  if (it == stats_.end()) return std::nullopt;
  return it->second;
}

void JobScheduler::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stop_ || wake_; });
    if (stop_) break;
    wake_ = false;
    lock.unlock();
    try {
      RunDue();
    } catch (...) {
      // A job's failure is recorded in its statistics; nothing else may stop the loop.
    }
    lock.lock();
  }
}

namespace {

struct JobRef {
  std::shared_ptr<const storage::TableInfo> hypertable;
  std::string database;
  std::string owner;
  int32_t id = 0;
  int64_t schedule_usec = 0;
  std::string sql;  // what the job runs
};

// A job of relation t: its database and owner by name (database empty: none).
JobRef JobOf(const storage::CatalogSnapshot& snap, std::shared_ptr<const storage::TableInfo> t) {
  JobRef r;
  for (const auto& [name, db] : snap.databases) {
    if (db.oid == t->database_oid) r.database = name;
  }
  const storage::RoleInfo* role = snap.FindRoleByOid(t->owner);
  r.owner = role != nullptr ? role->name : "postgres";
  r.hypertable = std::move(t);
  return r;
}

// The retention, compression and continuous aggregate refresh policy jobs of the node.
std::vector<JobRef> PolicyJobs(const storage::CatalogSnapshot& snap) {
  std::vector<JobRef> out;
  for (const auto& [key, t] : snap.tables) {
    if (t->cagg && t->cagg->job_id != 0) {
      // A refresh policy (executor/continuous_aggs.h): the window [now() - start_offset,
      // now() - end_offset), NULL for an offset not given.
      JobRef j = JobOf(snap, t);
      if (j.database.empty()) continue;
      const storage::ContinuousAggInfo& c = *t->cagg;
      auto bound = [](const std::string& offset) {
        return offset.empty() ? std::string("NULL")
                              : "now() - " + QuoteLiteral(offset) + "::interval";
      };
      j.id = c.job_id;
      j.schedule_usec = c.schedule_usec;
      j.sql = fmt::format("CALL refresh_continuous_aggregate({}, {}, {})",
                          QuoteLiteral(QuoteIdent(t->schema) + "." + QuoteIdent(t->name)),
                          bound(c.start_offset_text), bound(c.end_offset_text));
      out.push_back(std::move(j));
      continue;
    }
    if (!t->hypertable) continue;
    const storage::HypertableInfo& h = *t->hypertable;
    if (h.retention_job_id == 0 && h.compression_job_id == 0) continue;
    const JobRef r = JobOf(snap, t);
    if (r.database.empty()) continue;
    const std::string rel = QuoteLiteral(QuoteIdent(t->schema) + "." + QuoteIdent(t->name));
    if (h.retention_job_id != 0) {
      JobRef j = r;
      j.id = h.retention_job_id;
      j.schedule_usec = h.schedule_interval_usec;
      j.sql =
          fmt::format("SELECT count(*) FROM drop_chunks({}::regclass, older_than => {}::interval)",
                      rel, QuoteLiteral(h.drop_after_text));
      out.push_back(std::move(j));
    }
    if (h.compression_job_id != 0) {
      // The chunks entirely older than compress_after that are not compressed yet
      // (TimescaleDB's policy_compression), in one transaction.
      JobRef j = r;
      j.id = h.compression_job_id;
      j.schedule_usec = h.compression_schedule_usec;
      j.sql = fmt::format(
          "SELECT count(compress_chunk(c, true)) FROM show_chunks({}::regclass, older_than => "
          "{}::interval) c",
          rel, QuoteLiteral(h.compress_after_text));
      out.push_back(std::move(j));
    }
  }
  return out;
}

}  // namespace

void JobScheduler::RunDue() {
  auto snap = catalog_->Snapshot();
  const int64_t now = NowMicrosSince2000();
  for (const JobRef& job : PolicyJobs(*snap)) {
    bool due = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      const std::string identity = std::to_string(job.hypertable->oid) + ":" + job.sql;
      std::string& known = identity_[job.id];
      if (known != identity) {
        stats_.erase(job.id);
        known = identity;
      }
      auto [it, inserted] = stats_.try_emplace(job.id);
      if (inserted) {
        it->second.job_id = job.id;
        it->second.job_status = "Scheduled";
        it->second.next_start_us = now;  // a new job runs at once, as TimescaleDB's
      }
      due = it->second.next_start_us <= now;
    }
    if (!due) continue;
    try {
      RunJob(job.database, job.owner, job.id, job.schedule_usec, job.sql);
    } catch (...) {
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stop_) return;
    }
  }
}

void JobScheduler::RunJob(const std::string& database, const std::string& owner, int32_t id,
                          int64_t schedule_usec, const std::string& sql) {
  const int64_t started = NowMicrosSince2000();
  {
    std::lock_guard<std::mutex> lock(mu_);
    JobStats& s = stats_[id];
    s.job_id = id;
    s.job_status = "Running";
    s.last_run_started_us = started;
  }
  std::optional<Error> failure;
  try {
    std::unique_ptr<Session> session = connect_(database, owner);
    auto stmts = session->ParseSimple(sql);
    for (const auto& stmt : stmts) session->Execute(*stmt, {});
    session->Sync();
  } catch (const Error& e) {
    failure = e;
  } catch (const std::exception& e) {
    failure = Error(SqlState::kInternalError, e.what());
  }
  const int64_t finished = NowMicrosSince2000();
  std::lock_guard<std::mutex> lock(mu_);
  JobStats& s = stats_[id];
  s.job_status = "Scheduled";
  s.last_run_finished_us = finished;
  s.last_run_duration_us = finished - started;
  ++s.total_runs;
  if (failure) {
    ++s.total_failures;
    s.last_run_status = "Failed";
    s.last_error = std::string(SqlStateCode(failure->state())) + ": " + failure->what();
    // TimescaleDB retries a failed policy job after its retry period (5 minutes).
    s.next_start_us = finished + std::min<int64_t>(schedule_usec, 300'000'000);
  } else {
    ++s.total_successes;
    s.last_run_status = "Success";
    s.last_successful_finish_us = finished;
    s.next_start_us = started + schedule_usec;
  }
  if (failure) throw *failure;
}

const std::vector<StringFunctionEntry>& HypertableFunctionEntries() {
  static const std::vector<StringFunctionEntry> kFns = [] {
    std::vector<StringFunctionEntry> v = {
        {"create_hypertable", FnCreateHypertable, false},
        {"add_retention_policy", FnAddRetentionPolicy, false},
        {"remove_retention_policy", FnRemoveRetentionPolicy, false},
    };
    const auto& more = CompressionFunctionEntries();
    v.insert(v.end(), more.begin(), more.end());
    const auto& caggs = ContinuousAggFunctionEntries();
    v.insert(v.end(), caggs.begin(), caggs.end());
    return v;
  }();
  return kFns;
}

const std::vector<SetFunctionEntry>& HypertableSetFunctionEntries() {
  static const std::vector<SetFunctionEntry> kFns = {
      {"show_chunks", FnShowChunks, false},
      {"drop_chunks", FnDropChunks, false},
  };
  return kFns;
}

}  // namespace activestore::executor
