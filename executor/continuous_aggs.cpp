// Continuous aggregates: see continuous_aggs.h and
// docs/design/2026-12-06-continuous-aggregates.md.
#include "executor/continuous_aggs.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <set>

#include "common/datetime.h"
#include "common/error.h"
#include "common/interval.h"
#include "common/time_bucket.h"
#include "common/timezone.h"
#include "common/types.h"
#include "executor/deparse.h"
#include "executor/exec_state.h"
#include "executor/hypertables.h"
#include "executor/user_functions.h"
#include "parser/parser.h"
#include "planner/planner.h"
#include "storage/table_store.h"

namespace activestore::executor {

namespace {

constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
using Ranges = std::vector<std::pair<int64_t, int64_t>>;

bool TruthyOption(const std::string& v) {
  std::string s;
  for (char c : v) s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (s.empty() || s == "true" || s == "on" || s == "t" || s == "1" || s == "yes") return true;
  if (s == "false" || s == "off" || s == "f" || s == "0" || s == "no") return false;
  Throw(SqlState::kInvalidParameterValue, "invalid value for boolean option: \"{}\"", v);
}

std::string QualifiedName(const storage::TableInfo& t) {
  return QuoteIdent(t.schema) + "." + QuoteIdent(t.name);
}

// The text of a time value (in the unit of TimeUnitValue) of type t, as a typed literal that
// reads back the same whatever the session's DateStyle and TimeZone.
std::string UnitLiteral(int64_t u, Type t) {
  switch (t.id) {
    case TypeId::kTimestampTz:
    case TypeId::kTimestamp:
    case TypeId::kDate: {
      const char* type = t.id == TypeId::kTimestampTz ? "timestamptz"
                         : t.id == TypeId::kTimestamp ? "timestamp"
                                                      : "date";
      if (u == kMin) return fmt::format("'-infinity'::{}", type);
      if (u == kMax) return fmt::format("'infinity'::{}", type);
      std::string text =
          t.id == TypeId::kTimestampTz ? FormatTimestampTz(u, *TimeZone::Utc(), DateStyle::kIso)
          : t.id == TypeId::kTimestamp
              ? FormatTimestamp(u, DateStyle::kIso)
              : FormatDate(static_cast<int32_t>(TimeUnitToValue(u, t).i), DateStyle::kIso);
      return fmt::format("'{}'::{}", text, type);
    }
    default: {
      const int64_t lo = t.id == TypeId::kInt16   ? std::numeric_limits<int16_t>::min()
                         : t.id == TypeId::kInt32 ? std::numeric_limits<int32_t>::min()
                                                  : kMin;
      const int64_t hi = t.id == TypeId::kInt16   ? std::numeric_limits<int16_t>::max()
                         : t.id == TypeId::kInt32 ? std::numeric_limits<int32_t>::max()
                                                  : kMax;
      u = std::clamp(u, lo, hi);
      return fmt::format("({})::{}", u, TypeName(t));
    }
  }
}

// The start of the bucket holding unit value u (buckets of `width` from time_bucket's default
// origin: 2000-01-03 for the date/time types, 0 for the integers).
int64_t BucketFloor(int64_t u, int64_t width, Type t) {
  if (u == kMin || u == kMax) return u;
  const __int128 origin = IsIntegerType(t.id) ? 0 : kTimeBucketDefaultOrigin;
  __int128 rel = static_cast<__int128>(u) - origin;
  __int128 q = rel / width;
  if (rel % width != 0 && rel < 0) --q;
  const __int128 b = origin + q * width;
  return b < kMin ? kMin : static_cast<int64_t>(b);
}

int64_t BucketCeil(int64_t u, int64_t width, Type t) {
  const int64_t f = BucketFloor(u, width, t);
  if (f == u) return u;
  return f > kMax - width ? kMax : f + width;
}

int64_t AddSat(int64_t a, int64_t b) {
  if (a == kMin || a == kMax) return a;
  if (b > 0 && a > kMax - b) return kMax;
  if (b < 0 && a < kMin - b) return kMin;
  return a + b;
}

// The pieces of a continuous aggregate's query, normalized (executor/deparse.h) so that the
// time bounds can be added to its WHERE.
struct Shape {
  std::shared_ptr<const storage::TableInfo> raw;  // the hypertable the query reads
  std::string from;                               // "schema"."name" AS "alias"
  std::string time_ref;                           // "alias"."time"
  std::vector<std::string> targets;               // each with its AS alias if written
  std::string where, group_by, having;
};

std::string QueryText(const Shape& q, std::optional<int64_t> lo, std::optional<int64_t> hi,
                      Type time_type) {
  std::string s = "SELECT ";
  for (size_t i = 0; i < q.targets.size(); ++i) s += (i ? ", " : "") + q.targets[i];
  s += " FROM " + q.from;
  std::vector<std::string> conds;
  if (!q.where.empty()) conds.push_back(q.where);
  if (lo) conds.push_back(q.time_ref + " >= " + UnitLiteral(*lo, time_type));
  if (hi) conds.push_back(q.time_ref + " < " + UnitLiteral(*hi, time_type));
  for (size_t i = 0; i < conds.size(); ++i) s += (i ? " AND " : " WHERE ") + conds[i];
  s += " GROUP BY " + q.group_by;
  if (!q.having.empty()) s += " HAVING " + q.having;
  return s;
}

[[noreturn]] void InvalidCagg(const std::string& detail) {
  throw Error(SqlState::kFeatureNotSupported, "invalid continuous aggregate query").Detail(detail);
}

// The time type of a continuous aggregate's raw hypertable.
Type TimeTypeOf(const storage::TableInfo& raw) {
  return raw.columns.at(static_cast<size_t>(raw.hypertable->time_column)).type;
}

// The view's SQL: the materialized rows below the watermark and, unless materialized_only, the
// aggregate of the raw rows from it on (real-time aggregation).
std::string ViewSql(const storage::TableInfo& view, const storage::TableInfo& mat, const Shape& q) {
  const storage::ContinuousAggInfo& c = *view.cagg;
  std::string cols;
  for (size_t i = 0; i < view.columns.size(); ++i) {
    cols += (i ? ", " : "") + QuoteIdent(view.columns[i].name);
  }
  std::string s = "SELECT " + cols + " FROM " + QualifiedName(mat);
  if (c.materialized_only) return s;
  const Type time_type = TimeTypeOf(*q.raw);
  const Type bucket_type = view.columns.at(static_cast<size_t>(c.bucket_column)).type;
  s += " WHERE " + QuoteIdent(view.columns[static_cast<size_t>(c.bucket_column)].name) + " < " +
       UnitLiteral(c.watermark, bucket_type);
  return s + " UNION ALL " + QueryText(q, c.watermark, std::nullopt, time_type);
}

Shape ShapeFromSelect(const ast::SelectStmt& sel, const storage::CatalogSnapshot& cat,
                      uint32_t database, const std::vector<std::string>& search_path,
                      std::string* bucket_width_text, int* bucket_column) {
  if (sel.set_op != ast::SetOpType::kNone || !sel.values_rows.empty()) {
    InvalidCagg("A continuous aggregate is one SELECT (no UNION, INTERSECT, EXCEPT or VALUES).");
  }
  if (sel.distinct || !sel.distinct_on.empty()) InvalidCagg("DISTINCT is not allowed.");
  if (!sel.order_by.empty() || sel.limit || sel.offset) {
    InvalidCagg("ORDER BY, LIMIT and OFFSET are not allowed.");
  }
  if (sel.with) InvalidCagg("WITH is not allowed.");
  if (!sel.locking.empty() || !sel.windows.empty())
    InvalidCagg("Window functions are not allowed.");
  if (sel.from.size() != 1 || sel.from[0]->kind != ast::TableRefKind::kTable) {
    InvalidCagg("The query must read one hypertable (joins are not supported yet).");
  }
  if (sel.group_by.empty()) {
    InvalidCagg("A continuous aggregate needs a GROUP BY with a time_bucket of the time column.");
  }
  const ast::TableRef& ref = *sel.from[0];
  // The relation: a hypertable, or a continuous aggregate (hierarchical: its materialization
  // hypertable, whose columns are the aggregate's).
  std::shared_ptr<const storage::TableInfo> rel;
  if (ref.name.parts.size() >= 2) {
    rel = cat.FindTable(database, ref.name.parts[ref.name.parts.size() - 2], ref.name.name());
  } else {
    for (const std::string& schema : search_path) {
      if ((rel = cat.FindTable(database, schema, ref.name.name()))) break;
    }
  }
  if (!rel) Throw(SqlState::kUndefinedTable, "relation \"{}\" does not exist", ref.name.name());
  Shape q;
  const std::string alias = ref.alias ? *ref.alias : rel->name;
  if (rel->cagg) {
    auto mat = cat.FindRelationByOid(rel->cagg->mat_table);
    if (!mat) Throw(SqlState::kUndefinedTable, "relation \"{}\" does not exist", rel->name);
    rel = mat;
  }
  if (!rel->hypertable) {
    throw Error(SqlState::kFeatureNotSupported, "invalid continuous aggregate view")
        .Detail("At least one hypertable should be used in the view definition.");
  }
  q.raw = rel;
  q.from = QualifiedName(*rel) + " AS " + QuoteIdent(alias);
  const storage::ColumnInfo& tc =
      rel->columns.at(static_cast<size_t>(rel->hypertable->time_column));
  q.time_ref = QuoteIdent(alias) + "." + QuoteIdent(tc.name);
  // The time_bucket(width, time column) target.
  *bucket_column = -1;
  std::string bucket_text;
  for (size_t i = 0; i < sel.targets.size(); ++i) {
    const ast::ResultTarget& t = sel.targets[i];
    if (!t.expr || (t.expr->kind == ast::ExprKind::kColumnRef && t.expr->star)) {
      InvalidCagg("SELECT * is not allowed.");
    }
    std::string text = DeparseExpr(*t.expr);
    q.targets.push_back(t.alias ? text + " AS " + QuoteIdent(*t.alias) : text);
    const ast::Expr& e = *t.expr;
    if (*bucket_column < 0 && e.kind == ast::ExprKind::kFuncCall && !e.names.empty() &&
        e.names.back() == "time_bucket" && e.args.size() >= 2 &&
        e.args[1]->kind == ast::ExprKind::kColumnRef && !e.args[1]->names.empty() &&
        e.args[1]->names.back() == tc.name) {
      if (e.args.size() > 2 || !e.arg_names.empty()) {
        Throw(SqlState::kFeatureNotSupported,
              "continuous aggregates with time_bucket's origin, offset or timezone arguments are "
              "not supported yet");
      }
      *bucket_column = static_cast<int>(i);
      bucket_text = text;
      *bucket_width_text = DeparseExpr(*e.args[0]);
    }
  }
  if (*bucket_column < 0) {
    throw Error(SqlState::kFeatureNotSupported,
                "continuous aggregate view must include a valid "
                "time bucket function")
        .Detail(
            fmt::format("The query needs time_bucket(width, {}) in its SELECT list and GROUP BY.",
                        QuoteIdent(tc.name)));
  }
  bool grouped = false;
  for (size_t i = 0; i < sel.group_by.size(); ++i) {
    const ast::Expr& g = *sel.group_by[i];
    std::string text = DeparseExpr(g);
    q.group_by += (i ? ", " : "") + text;
    const ast::ResultTarget& bt = sel.targets[static_cast<size_t>(*bucket_column)];
    if (text == bucket_text ||
        (g.kind == ast::ExprKind::kConstant && g.const_kind == ast::ConstKind::kInteger &&
         g.value_text == std::to_string(*bucket_column + 1)) ||
        (g.kind == ast::ExprKind::kColumnRef && g.names.size() == 1 && bt.alias &&
         g.names[0] == *bt.alias)) {
      grouped = true;
    }
  }
  if (!grouped) {
    throw Error(SqlState::kFeatureNotSupported,
                "continuous aggregate view must include a valid "
                "time bucket function")
        .Detail("The time_bucket column must be in the GROUP BY.");
  }
  if (sel.where) q.where = DeparseExpr(*sel.where);
  if (sel.having) q.having = DeparseExpr(*sel.having);
  return q;
}

// Parses a continuous aggregate's stored query back into its Shape.
Shape ShapeOf(const storage::ContinuousAggInfo& c, const storage::CatalogSnapshot& cat,
              uint32_t database) {
  std::vector<ast::StatementPtr> stmts = parser::Parse(c.query_sql);
  if (stmts.size() != 1 || stmts[0]->kind != ast::StmtKind::kSelect) {
    Throw(SqlState::kInternalError, "continuous aggregate query is not a SELECT");
  }
  const ast::SelectStmt& sel = *static_cast<const ast::SelectStatement&>(*stmts[0]).select;
  std::string width;
  int bucket = 0;
  // The stored query names its relation with its schema.
  return ShapeFromSelect(sel, cat, database, {}, &width, &bucket);
}

}  // namespace

// ---- RangeSet, CaggLog, CaggTxnLog ----

void RangeSet::Add(int64_t lo, int64_t hi) {
  if (lo >= hi) return;
  auto it = ranges_.upper_bound(lo);
  if (it != ranges_.begin()) {
    auto prev = std::prev(it);
    if (prev->second >= lo) {
      lo = prev->first;
      hi = std::max(hi, prev->second);
      it = ranges_.erase(prev);
    }
  }
  while (it != ranges_.end() && it->first <= hi) {
    hi = std::max(hi, it->second);
    it = ranges_.erase(it);
  }
  ranges_[lo] = hi;
}

Ranges RangeSet::Take(int64_t lo, int64_t hi) {
  Ranges out;
  if (lo >= hi) return out;
  std::vector<std::pair<int64_t, int64_t>> keep;
  auto it = ranges_.upper_bound(lo);
  if (it != ranges_.begin()) --it;
  while (it != ranges_.end() && it->first < hi) {
    const int64_t a = it->first, b = it->second;
    if (b <= lo) {
      ++it;
      continue;
    }
    it = ranges_.erase(it);
    if (a < lo) keep.emplace_back(a, lo);
    if (b > hi) keep.emplace_back(hi, b);
    out.emplace_back(std::max(a, lo), std::min(b, hi));
  }
  for (const auto& [a, b] : keep) ranges_[a] = b;
  return out;
}

// ---- the invalidation logs ----

namespace {

// The logs hold TimescaleDB's internal time: microseconds since 1970-01-01 for the date and
// time types (the time unit here counts from 2000-01-01), the value itself for the integers.
// INT64_MIN and INT64_MAX stay -infinity and +infinity.
int64_t EpochShiftOf(const storage::TableInfo& hypertable) {
  const Type t =
      hypertable.columns.at(static_cast<size_t>(hypertable.hypertable->time_column)).type;
  return IsIntegerType(t.id) ? 0 : 946'684'800'000'000;
}

// [lo, hi) as a log row's inclusive (lowest, greatest), and back.
std::pair<int64_t, int64_t> LogBoundsOf(int64_t lo, int64_t hi, int64_t shift) {
  return {lo == kMin ? kMin : AddSat(lo, shift), hi == kMax ? kMax : AddSat(hi - 1, shift)};
}
std::pair<int64_t, int64_t> RangeOfLogBounds(int64_t lowest, int64_t greatest, int64_t shift) {
  return {lowest == kMin ? kMin : AddSat(lowest, -shift),
          greatest == kMax ? kMax : AddSat(AddSat(greatest, -shift), 1)};
}

std::shared_ptr<const storage::TableInfo> LogTable(const storage::CatalogSnapshot& snap,
                                                   storage::Oid db, const char* name) {
  return snap.FindTable(db, kCaggCatalogSchema, name);
}

void AppendLogRow(storage::Catalog* catalog, storage::Transaction* txn,
                  const storage::TableInfo& log, int32_t id, int64_t lo, int64_t hi,
                  int64_t shift) {
  const auto [lowest, greatest] = LogBoundsOf(lo, hi, shift);
  storage::TableStore::Insert(catalog, txn, log,
                              {Value::Int32(id), Value::Int64(lowest), Value::Int64(greatest)});
}

// Reads and deletes the rows of `log` whose first column is `id`; returns their ranges, merged.
// What the transaction sees: the newest committed rows under READ COMMITTED (a refresh reads
// them after its lock), its snapshot's otherwise (rows committed later stay for the next one).
RangeSet TakeLogRows(storage::Transaction* txn,
                     const std::shared_ptr<const storage::TableInfo>& log, int32_t id,
                     int64_t shift) {
  std::vector<storage::StoredRow> mine;
  for (uint32_t s = 0; s < log->shard_count; ++s) {
    storage::ShardScanner scanner(txn, log, s);
    std::vector<storage::StoredRow> batch;
    while (scanner.NextBatch(&batch, 1024)) {
      for (auto& r : batch) {
        if (!r.row[0].is_null && r.row[0].i == id) mine.push_back(std::move(r));
      }
      batch.clear();
    }
  }
  RangeSet out;
  for (const auto& r : mine) {
    const auto [lo, hi] = RangeOfLogBounds(r.row[1].i, r.row[2].i, shift);
    out.Add(lo, hi);
    storage::TableStore::Delete(txn, *log, r);
  }
  return out;
}

// The two log tables of `db` (and their schema), made if missing, in `txn`.
void EnsureInvalidationLogs(storage::Catalog* catalog, storage::CatalogTxn* txn, storage::Oid db) {
  auto snap = txn->Snapshot();
  if (!snap->FindSchema(db, kCaggCatalogSchema)) catalog->CreateSchema(txn, db, kCaggCatalogSchema);
  for (const auto& [name, id_column] :
       {std::pair{kHypertableInvalidationLog, "hypertable_id"},
        std::pair{kMaterializationInvalidationLog, "materialization_id"}}) {
    if (LogTable(*snap, db, name)) continue;
    storage::TableInfo t;
    t.database_oid = db;
    t.schema = kCaggCatalogSchema;
    t.name = name;
    for (const auto& [column, type] :
         {std::pair{id_column, TypeId::kInt32}, std::pair{"lowest_modified_value", TypeId::kInt64},
          std::pair{"greatest_modified_value", TypeId::kInt64}}) {
      storage::ColumnInfo ci;
      ci.name = column;
      ci.type = Type::Of(type);
      ci.not_null = true;
      t.columns.push_back(std::move(ci));
    }
    catalog->CreateTable(txn, std::move(t));
  }
}

// The invalid ranges of `cagg` inside [lo, hi), taken from its log: first the hypertable log's
// rows of its raw hypertable move to the log of every aggregate on it, then the part of this
// aggregate's ranges inside the window is removed and the rest written back merged.
// REQUIRES: the refresh lock on the raw hypertable (refreshes of its aggregates take turns).
Ranges TakeInvalidations(ExecContext& ctx, const storage::TableInfo& cagg,
                         const storage::TableInfo& raw, int64_t lo, int64_t hi) {
  const storage::CatalogSnapshot& snap = *ctx.catalog_view;
  auto hlog = LogTable(snap, cagg.database_oid, kHypertableInvalidationLog);
  auto mlog = LogTable(snap, cagg.database_oid, kMaterializationInvalidationLog);
  if (!hlog || !mlog) {
    Throw(SqlState::kUndefinedTable, "relation \"{}.{}\" does not exist", kCaggCatalogSchema,
          hlog ? kMaterializationInvalidationLog : kHypertableInvalidationLog);
  }
  const int32_t id = cagg.cagg->id;
  const int64_t shift = EpochShiftOf(raw);
  RangeSet moved = TakeLogRows(ctx.txn, hlog, raw.hypertable->id, shift);
  RangeSet invalid = TakeLogRows(ctx.txn, mlog, id, shift);
  for (const auto& [a, b] : moved.ranges()) invalid.Add(a, b);
  if (!moved.empty()) {
    for (const auto& other : CaggsOn(snap, raw.oid)) {
      if (other->oid == cagg.oid) continue;
      for (const auto& [a, b] : moved.ranges()) {
        AppendLogRow(ctx.catalog, ctx.txn, *mlog, other->cagg->id, a, b, shift);
      }
    }
  }
  Ranges taken = invalid.Take(lo, hi);
  for (const auto& [a, b] : invalid.ranges()) {
    AppendLogRow(ctx.catalog, ctx.txn, *mlog, id, a, b, shift);
  }
  return taken;
}

}  // namespace

void LogInvalidation(storage::Catalog* catalog, storage::Transaction* txn, storage::Oid hypertable,
                     int64_t lo, int64_t hi) {
  if (lo >= hi) return;
  auto* ctxn = dynamic_cast<storage::CatalogTxn*>(txn);
  auto snap = ctxn != nullptr ? ctxn->Snapshot() : catalog->Snapshot();
  auto ht = snap->FindRelationByOid(hypertable);
  if (!ht || !ht->hypertable) return;
  if (CaggsOn(*snap, hypertable).empty()) return;
  auto log = LogTable(*snap, ht->database_oid, kHypertableInvalidationLog);
  if (!log) {
    Throw(SqlState::kUndefinedTable, "relation \"{}.{}\" does not exist", kCaggCatalogSchema,
          kHypertableInvalidationLog);
  }
  AppendLogRow(catalog, txn, *log, ht->hypertable->id, lo, hi, EpochShiftOf(*ht));
}

std::vector<std::shared_ptr<const storage::TableInfo>> CaggsOn(
    const storage::CatalogSnapshot& catalog, storage::Oid oid) {
  std::vector<std::shared_ptr<const storage::TableInfo>> out;
  for (const auto& [key, t] : catalog.tables) {
    if (t->cagg && t->cagg->raw_hypertable == oid) out.push_back(t);
  }
  return out;
}

std::vector<std::vector<Value>> RunSqlIn(ExecContext& ctx, const std::string& sql) {
  std::vector<ast::StatementPtr> stmts = parser::Parse(sql);
  if (stmts.size() != 1) Throw(SqlState::kInternalError, "internal query must be one statement");
  if (auto* txn = dynamic_cast<storage::CatalogTxn*>(ctx.txn)) ctx.catalog_view = txn->Snapshot();
  planner::PlannerContext pctx = PlannerContextOf(ctx);
  planner::PlanPtr plan = planner::PlanStatement(*stmts[0], pctx);
  std::vector<std::vector<Value>> out;
  RunPlan(*plan, ctx, [&](std::vector<std::vector<Value>>&& rows) {
    for (auto& r : rows) out.push_back(std::move(r));
  });
  return out;
}

bool IsContinuousAggregate(const std::vector<std::pair<std::string, std::string>>& options) {
  bool cagg = false;
  for (const auto& [name, value] : options) {
    if (name == "timescaledb.continuous") {
      cagg = TruthyOption(value);
    } else if (name.rfind("timescaledb.", 0) == 0 && name != "timescaledb.materialized_only" &&
               name != "timescaledb.create_group_indexes" && name != "timescaledb.finalized") {
      Throw(SqlState::kInvalidParameterValue, "unrecognized parameter \"{}\"", name);
    }
  }
  if (!cagg) {
    for (const auto& [name, value] : options) {
      if (name.rfind("timescaledb.", 0) == 0) {
        Throw(SqlState::kFeatureNotSupported,
              "cannot use timescaledb options without timescaledb.continuous");
      }
    }
  }
  return cagg;
}

void CreateContinuousAggregate(const ast::CreateTableStatement& s, const std::string& schema,
                               storage::CatalogTxn* txn, ExecContext& ctx) {
  ctx.catalog_view = txn->Snapshot();
  const storage::CatalogSnapshot& cat = *ctx.catalog_view;
  bool materialized_only = false;
  for (const auto& [name, value] : s.with_options) {
    if (name == "timescaledb.materialized_only") materialized_only = TruthyOption(value);
  }
  std::string width_text;
  int bucket_column = -1;
  Shape q = ShapeFromSelect(*s.as_select, cat, ctx.database_oid, ctx.search_path, &width_text,
                            &bucket_column);
  const Type time_type = TimeTypeOf(*q.raw);
  // The query as the binder sees it: its output columns and types.
  planner::PlannerContext pctx = PlannerContextOf(ctx);
  planner::PlanPtr plan = planner::PlanSelect(*s.as_select, pctx);
  if (!pctx.param_types.empty()) {
    Throw(SqlState::kFeatureNotSupported,
          "materialized views may not be defined using bound parameters");
  }
  if (s.columns.size() > plan->output_names.size()) {
    Throw(SqlState::kSyntaxError, "too many column names were specified");
  }
  // The bucket width in the time unit (fixed widths only: no months).
  int64_t width = 0;
  if (IsIntegerType(time_type.id)) {
    auto rows = RunSqlIn(ctx, "SELECT CAST(" + width_text + " AS bigint)");
    if (rows.empty() || rows[0][0].is_null)
      Throw(SqlState::kInvalidParameterValue, "invalid bucket width");
    width = rows[0][0].i;
  } else {
    auto rows = RunSqlIn(ctx, "SELECT CAST(" + width_text + " AS interval)");
    if (rows.empty() || rows[0][0].is_null)
      Throw(SqlState::kInvalidParameterValue, "invalid bucket width");
    const Interval iv = IntervalOf(rows[0][0]);
    if (iv.months != 0) {
      Throw(SqlState::kFeatureNotSupported,
            "continuous aggregates with buckets of months or years are not supported yet");
    }
    width = iv.usec + static_cast<int64_t>(iv.days) * 86'400'000'000;
  }
  if (width <= 0) Throw(SqlState::kInvalidParameterValue, "bucket width must be positive");
  if (q.raw->hypertable && q.raw->hypertable->interval > 0) {
    // A continuous aggregate over another one: its buckets must be multiples of the other's.
    for (const auto& [key, t] : cat.tables) {
      if (t->cagg && t->cagg->mat_table == q.raw->oid && width % t->cagg->bucket_width != 0) {
        throw Error(SqlState::kFeatureNotSupported,
                    "cannot create continuous aggregate with incompatible bucket width")
            .Detail(fmt::format("Time bucket width of \"{}\" [{}] should be multiple of the time "
                                "bucket width of \"{}\" [{}].",
                                s.table.name(), width_text, t->name, t->cagg->bucket_width_text));
      }
    }
  }
  // The columns (PostgreSQL's CREATE TABLE AS rules).
  std::vector<storage::ColumnInfo> columns;
  std::set<std::string> seen;
  for (size_t i = 0; i < plan->output_names.size(); ++i) {
    storage::ColumnInfo ci;
    ci.name = i < s.columns.size() ? s.columns[i].name : plan->output_names[i];
    ci.type = plan->output_types[i].id == TypeId::kUnknown ? Type::Of(TypeId::kText)
                                                           : plan->output_types[i];
    if (!seen.insert(ci.name).second) {
      Throw(SqlState::kDuplicateColumn, "column \"{}\" specified more than once", ci.name);
    }
    columns.push_back(std::move(ci));
  }
  // The materialization hypertable, in the chunk schema; ids count per database, as the
  // hypertables' (TimescaleDB's mat_hypertable_id).
  if (!cat.FindSchema(ctx.database_oid, kChunkSchema)) {
    ctx.catalog->CreateSchema(txn, ctx.database_oid, kChunkSchema);
  }
  // Writers of the raw hypertable wait until this commits: a write either finished before (its
  // rows are read by the refresh below, or invalid with WITH NO DATA) or sees the aggregate and
  // logs its invalidation (LogInvalidation).
  txn->LockRelation(q.raw->oid, storage::LockMode::kShare);
  EnsureInvalidationLogs(ctx.catalog, txn, ctx.database_oid);
  int32_t id = 0;
  for (const auto& [key, t] : cat.tables) {
    if (t->hypertable && t->database_oid == ctx.database_oid) id = std::max(id, t->hypertable->id);
  }
  ++id;
  storage::TableInfo mat;
  mat.database_oid = ctx.database_oid;
  mat.schema = kChunkSchema;
  mat.name = "_materialized_hypertable_" + std::to_string(id);
  mat.columns = columns;
  mat.columns[static_cast<size_t>(bucket_column)].not_null = true;
  storage::HypertableInfo h;
  h.id = id;
  h.time_column = bucket_column;
  // TimescaleDB's default: ten times the raw hypertable's chunk interval.
  h.interval = q.raw->hypertable->interval > kMax / 10 ? kMax : q.raw->hypertable->interval * 10;
  mat.hypertable = h;
  auto mat_table = ctx.catalog->CreateTable(txn, std::move(mat));
  // The view.
  storage::TableInfo view;
  view.database_oid = ctx.database_oid;
  view.schema = schema;
  view.name = s.table.name();
  view.is_view = true;
  view.columns = columns;
  for (const ast::ColumnDef& c : s.columns) view.view_columns.push_back(c.name);
  storage::ContinuousAggInfo c;
  c.id = id;
  c.raw_hypertable = q.raw->oid;
  c.mat_table = mat_table->oid;
  c.query_sql = QueryText(q, std::nullopt, std::nullopt, time_type);
  c.time_column = q.raw->columns.at(static_cast<size_t>(q.raw->hypertable->time_column)).name;
  c.bucket_column = bucket_column;
  c.bucket_width = width;
  c.bucket_width_text = width_text;
  c.materialized_only = materialized_only;
  view.cagg = c;
  view.view_sql = ViewSql(view, *mat_table, q);
  auto created = ctx.catalog->CreateTable(txn, std::move(view));
  ctx.catalog_view = txn->Snapshot();
  // Every bucket is invalid: the refresh below (unless WITH NO DATA) takes them all.
  auto mlog = LogTable(*ctx.catalog_view, ctx.database_oid, kMaterializationInvalidationLog);
  AppendLogRow(ctx.catalog, txn, *mlog, id, kMin, kMax, 0);
  if (!s.with_no_data) {
    if (ctx.notice) {
      ctx.notice("NOTICE", SqlState::kSuccessfulCompletion,
                 fmt::format("refreshing continuous aggregate \"{}\"", created->name), "",
                 "Use WITH NO DATA if you do not want to refresh the continuous aggregate on "
                 "creation.");
    }
    RefreshContinuousAggregate(*created, std::nullopt, std::nullopt, txn, ctx);
  }
}

bool RefreshContinuousAggregate(const storage::TableInfo& cagg_in, std::optional<int64_t> start,
                                std::optional<int64_t> end, storage::CatalogTxn* txn,
                                ExecContext& ctx) {
  ctx.catalog_view = txn->Snapshot();
  auto cagg = ctx.catalog_view->FindRelationByOid(cagg_in.oid);
  if (!cagg || !cagg->cagg) {
    Throw(SqlState::kUndefinedTable, "relation \"{}\" does not exist", cagg_in.name);
  }
  const storage::ContinuousAggInfo& c = *cagg->cagg;
  auto mat = ctx.catalog_view->FindRelationByOid(c.mat_table);
  if (!mat) Throw(SqlState::kUndefinedTable, "relation \"{}\" does not exist", cagg->name);
  Shape q = ShapeOf(c, *ctx.catalog_view, ctx.database_oid);
  const Type time_type = TimeTypeOf(*q.raw);
  const Type bucket_type = mat->columns.at(static_cast<size_t>(c.bucket_column)).type;
  const int64_t w = c.bucket_width;
  // The buckets wholly inside the window.
  const int64_t lo = start ? BucketCeil(*start, w, time_type) : kMin;
  const int64_t hi = end ? BucketFloor(*end, w, time_type) : kMax;
  if (start && end && lo >= hi) {
    throw Error(SqlState::kInvalidParameterValue, "refresh window too small")
        .Detail("The refresh window must cover at least one bucket of data.")
        .Hint("Align the refresh window with the bucket time zone or use at least two buckets.");
  }
  // Refreshes of the aggregates on one hypertable take turns (they move its log rows), while
  // writers go on (SHARE UPDATE EXCLUSIVE does not conflict with ROW EXCLUSIVE). The log is
  // read after the lock, before the raw rows: a change committed later stays in the log for the
  // next refresh, one committed earlier is visible to the statements below.
  txn->LockRelation(q.raw->oid, storage::LockMode::kShareUpdateExclusive);
  Ranges taken = TakeInvalidations(ctx, *cagg, *q.raw, lo, hi);
  if (taken.empty()) {
    if (ctx.notice) {
      ctx.notice("NOTICE", SqlState::kSuccessfulCompletion,
                 fmt::format("continuous aggregate \"{}\" is already up-to-date", cagg->name), "",
                 "");
    }
    return false;
  }
  const std::string bucket_ref =
      QuoteIdent(mat->columns[static_cast<size_t>(c.bucket_column)].name);
  // Whole buckets, clamped to the window (an unbounded end stays unbounded: the bounds are
  // then 'infinity' or the integer type's limit).
  RangeSet work;
  for (auto [a, b] : taken) {
    a = BucketFloor(a, w, time_type);
    b = BucketCeil(b, w, time_type);
    work.Add(std::max(a, lo), std::min(b, hi));
  }
  const std::string mat_name = QualifiedName(*mat);
  const auto chunks = ChunksOf(*ctx.catalog_view, mat->oid);
  // The old watermark's last bucket, and whether a refreshed range reached it (or beyond).
  const int64_t top_bucket = c.watermark == kMin ? kMin : AddSat(c.watermark, -w);
  bool top_refreshed = false;
  for (const auto& [a, b] : work.ranges()) {
    if (b > top_bucket) top_refreshed = true;
    // The old rows, chunk by chunk (a DELETE on the hypertable would read every chunk).
    const std::string cond = " WHERE " + bucket_ref + " >= " + UnitLiteral(a, bucket_type) +
                             " AND " + bucket_ref + " < " + UnitLiteral(b, bucket_type);
    for (const auto& chunk : chunks) {
      if (chunk->chunk->range_end <= a || chunk->chunk->range_start >= b) continue;
      RunSqlIn(ctx, "DELETE FROM ONLY " + QualifiedName(*chunk) + cond);
    }
    RunSqlIn(ctx, "INSERT INTO " + mat_name + " " + QueryText(q, a, b, time_type));
  }
  // The watermark: the end of the last materialized bucket. When no refreshed range reached the
  // old watermark's last bucket, that bucket's rows are as they were: the watermark stays.
  // Otherwise the buckets from that one up are read (all, if none is left there).
  auto top_from = [&](int64_t start) {
    std::string sql = "SELECT max(" + bucket_ref + ") FROM " + mat_name;
    if (start != kMin) sql += " WHERE " + bucket_ref + " >= " + UnitLiteral(start, bucket_type);
    auto top = RunSqlIn(ctx, sql);
    return top.empty() || top[0][0].is_null ? kMin : AddSat(TimeUnitValue(top[0][0]), w);
  };
  int64_t watermark = c.watermark;
  if (top_refreshed) {
    watermark = top_from(top_bucket);
    if (watermark == kMin && top_bucket != kMin) watermark = top_from(kMin);
  }
  ctx.catalog_view = txn->Snapshot();
  auto now = ctx.catalog_view->FindRelationByOid(cagg->oid);
  if (now && now->cagg && now->cagg->watermark != watermark) {
    storage::TableInfo next = *now;
    next.cagg->watermark = watermark;
    next.view_sql = ViewSql(next, *mat, q);
    ctx.catalog->UpdateRelation(txn, std::move(next));
    ctx.catalog_view = txn->Snapshot();
  }
  return true;
}

void SetContinuousAggregateOptions(const storage::TableInfo& cagg,
                                   const std::vector<std::pair<std::string, std::string>>& options,
                                   storage::Catalog* catalog, storage::CatalogTxn* txn) {
  storage::TableInfo next = cagg;
  for (const auto& [name, value] : options) {
    if (name == "timescaledb.materialized_only") {
      next.cagg->materialized_only = TruthyOption(value);
    } else {
      Throw(SqlState::kFeatureNotSupported,
            "ALTER MATERIALIZED VIEW ... SET ({}) is not supported yet", name);
    }
  }
  auto snap = txn->Snapshot();
  auto mat = snap->FindRelationByOid(cagg.cagg->mat_table);
  if (!mat) Throw(SqlState::kUndefinedTable, "relation \"{}\" does not exist", cagg.name);
  Shape q = ShapeOf(*cagg.cagg, *snap, cagg.database_oid);
  next.view_sql = ViewSql(next, *mat, q);
  catalog->UpdateRelation(txn, std::move(next));
}

void DropContinuousAggregate(const storage::TableInfo& cagg, storage::Catalog* catalog,
                             storage::CatalogTxn* txn) {
  auto snap = txn->Snapshot();
  catalog->DropTable(txn, cagg.database_oid, cagg.schema, cagg.name);
  if (auto mat = snap->FindRelationByOid(cagg.cagg->mat_table)) {
    txn->LockRelation(mat->oid, storage::LockMode::kAccessExclusive);
    for (const auto& chunk : ChunksOf(*snap, mat->oid)) {
      catalog->DropTable(txn, chunk->database_oid, chunk->schema, chunk->name);
    }
    catalog->DropTable(txn, mat->database_oid, mat->schema, mat->name);
  }
  // Its invalid ranges go with it (the hypertable log's rows stay for the other aggregates on
  // the hypertable, and are no longer written once none is left).
  if (auto mlog = LogTable(*snap, cagg.database_oid, kMaterializationInvalidationLog)) {
    TakeLogRows(txn, mlog, cagg.cagg->id, 0);
  }
  auto after = txn->Snapshot();
  auto raw = after->FindRelationByOid(cagg.cagg->raw_hypertable);
  auto hlog = LogTable(*after, cagg.database_oid, kHypertableInvalidationLog);
  if (raw && raw->hypertable && hlog && CaggsOn(*after, raw->oid).empty()) {
    TakeLogRows(txn, hlog, raw->hypertable->id, 0);
  }
}

// ---- add_continuous_aggregate_policy / remove_continuous_aggregate_policy ----

namespace {

std::shared_ptr<const storage::TableInfo> CaggArg(const Value& v, ExecState& st) {
  if (v.is_null) Throw(SqlState::kInvalidParameterValue, "invalid continuous aggregate");
  auto rel = st.ctx.catalog_view
                 ? st.ctx.catalog_view->FindRelationByOid(static_cast<storage::Oid>(v.i))
                 : nullptr;
  if (!rel) Throw(SqlState::kUndefinedTable, "relation with OID {} does not exist", v.i);
  if (!rel->cagg) {
    Throw(SqlState::kWrongObjectType, "relation \"{}\" is not a continuous aggregate", rel->name);
  }
  return rel;
}

// An offset of a refresh policy: NULL (unbounded), or an interval for the date/time types.
std::pair<std::optional<int64_t>, std::string> PolicyOffset(const Value& v, Type time_type,
                                                            const char* param) {
  if (v.is_null) return {std::nullopt, ""};
  if (IsIntegerType(time_type.id)) {
    Throw(SqlState::kFeatureNotSupported,
          "refresh policies on integer time columns need an integer_now function, which is not "
          "supported yet");
  }
  if (v.type.id != TypeId::kInterval) {
    throw Error(SqlState::kInvalidParameterValue,
                fmt::format("invalid parameter value for {}", param))
        .Hint("Use time interval with a continuous aggregate using timestamp-based time bucket.");
  }
  const Interval iv = IntervalOf(v);
  return {PolicyIntervalUsec(iv), FormatInterval(iv)};
}

Value FnAddCaggPolicy(const std::vector<Value>& a, const planner::BoundExpr&, ExecState& st) {
  RefuseIfReadOnly(st, "add_continuous_aggregate_policy");
  storage::CatalogTxn* txn = HypertableTxn(st);
  auto cagg = CaggArg(a[0], st);
  auto raw = st.ctx.catalog_view->FindRelationByOid(cagg->cagg->raw_hypertable);
  if (!raw || !raw->hypertable)
    Throw(SqlState::kUndefinedTable, "hypertable of \"{}\" is gone", cagg->name);
  const Type time_type = TimeTypeOf(*raw);
  auto [start, start_text] = PolicyOffset(a[1], time_type, "start_offset");
  auto [end, end_text] = PolicyOffset(a[2], time_type, "end_offset");
  const bool if_not_exists = !a[4].is_null && a[4].i != 0;
  if (a[3].is_null) Throw(SqlState::kInvalidParameterValue, "invalid schedule interval");
  const int64_t schedule = PolicyIntervalUsec(IntervalOf(a[3]));
  if (schedule <= 0) Throw(SqlState::kInvalidParameterValue, "schedule interval must be positive");
  const int64_t w = cagg->cagg->bucket_width;
  const int64_t s_off = start ? *start : kMax;
  const int64_t e_off = end ? *end : kMin;
  // TimescaleDB's policy_refresh_cagg_add checks: the window covers two buckets.
  if (s_off != kMax && e_off != kMin && (s_off <= e_off || s_off - e_off < 2 * w)) {
    throw Error(SqlState::kInvalidParameterValue, "policy refresh window too small")
        .Detail(
            "The start and end offsets must cover at least two buckets in the valid time range of "
            "type \"" +
            TypeName(time_type) + "\".");
  }
  const storage::ContinuousAggInfo& c = *cagg->cagg;
  if (c.job_id != 0) {
    if (!if_not_exists) {
      Throw(SqlState::kDuplicateObject, "continuous aggregate policy already exists for \"{}\"",
            cagg->name);
    }
    const bool same = c.start_offset_text == start_text && c.end_offset_text == end_text &&
                      c.schedule_usec == schedule;
    if (st.ctx.notice) {
      if (same) {
        st.ctx.notice("NOTICE", SqlState::kSuccessfulCompletion,
                      fmt::format("continuous aggregate policy already exists for \"{}\", skipping",
                                  cagg->name),
                      "", "");
      } else {
        st.ctx.notice(
            "WARNING", SqlState::kWarning,
            fmt::format("continuous aggregate policy already exists for \"{}\"", cagg->name),
            "A policy already exists with different arguments.",
            "Remove the existing policy before adding a new one.");
      }
    }
    return Value::Int32(-1);
  }
  const int32_t job = NextPolicyJobId(*st.ctx.catalog_view);
  storage::TableInfo next = *cagg;
  next.cagg->job_id = job;
  next.cagg->start_offset = start;
  next.cagg->end_offset = end;
  next.cagg->start_offset_text = start_text;
  next.cagg->end_offset_text = end_text;
  next.cagg->schedule_usec = schedule;
  st.ctx.catalog->UpdateRelation(txn, next);
  st.ctx.catalog_view = txn->Snapshot();
  if (st.ctx.jobs) st.ctx.jobs->Wake();
  return Value::Int32(job);
}

Value FnRemoveCaggPolicy(const std::vector<Value>& a, const planner::BoundExpr&, ExecState& st) {
  RefuseIfReadOnly(st, "remove_continuous_aggregate_policy");
  storage::CatalogTxn* txn = HypertableTxn(st);
  const Value none = Value::Null(Type::Of(TypeId::kVoid));
  auto cagg = CaggArg(a[0], st);
  const bool if_exists = (!a[1].is_null && a[1].i != 0) || (!a[2].is_null && a[2].i != 0);
  if (cagg->cagg->job_id == 0) {
    if (!if_exists) {
      Throw(SqlState::kUndefinedObject, "continuous aggregate policy not found for \"{}\"",
            cagg->name);
    }
    if (st.ctx.notice) {
      st.ctx.notice(
          "NOTICE", SqlState::kSuccessfulCompletion,
          fmt::format("continuous aggregate policy not found for \"{}\", skipping", cagg->name), "",
          "");
    }
    return none;
  }
  storage::TableInfo next = *cagg;
  next.cagg->job_id = 0;
  next.cagg->start_offset.reset();
  next.cagg->end_offset.reset();
  next.cagg->start_offset_text.clear();
  next.cagg->end_offset_text.clear();
  next.cagg->schedule_usec = 0;
  st.ctx.catalog->UpdateRelation(txn, next);
  st.ctx.catalog_view = txn->Snapshot();
  return none;
}

}  // namespace

const std::vector<StringFunctionEntry>& ContinuousAggFunctionEntries() {
  static const std::vector<StringFunctionEntry> kFns = {
      {"add_continuous_aggregate_policy", FnAddCaggPolicy, false},
      {"remove_continuous_aggregate_policy", FnRemoveCaggPolicy, false},
  };
  return kFns;
}

}  // namespace activestore::executor
