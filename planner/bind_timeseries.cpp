// TimescaleDB's time-series functions: time_bucket and time_bucket_gapfill calls with their
// parameter names, locf and interpolate, and the kGapFill node a grouped query with
// time_bucket_gapfill gets (docs/design/2026-12-06-time-series-functions.md). The errors are
// TimescaleDB's (SQLSTATE and text).
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "common/composite.h"
#include "common/error.h"
#include "common/reg_types.h"
#include "planner/binder.h"
#include "planner/bound_expr_util.h"
#include "planner/column_bounds.h"

namespace activestore::planner {
namespace {

constexpr const char* kGapfillHint =
    "Specify start and finish as arguments or in the WHERE clause.";

[[noreturn]] void GapfillError(const std::string& message, bool hint = false) {
  Error err(SqlState::kInvalidParameterValue, message);
  if (hint) err.Hint(kGapfillHint);
  throw err;
}

// Reads no column, aggregate or subquery: evaluated once when the gap filling starts
// (TimescaleDB's "simple expression").
bool IsSimple(const BoundExprPtr& e) {
  bool simple = true;
  VisitExpr(e, [&](const BoundExpr& n, int) {
    switch (n.kind) {
      case BoundExprKind::kColumn:
      case BoundExprKind::kOuterColumn:
      case BoundExprKind::kAggregate:
      case BoundExprKind::kWindowFunc:
      case BoundExprKind::kSubquery:
      case BoundExprKind::kExists:
      case BoundExprKind::kInSubquery:
        simple = false;
        break;
      default:
        break;
    }
  });
  return simple;
}

bool IsMarker(const BoundExpr& n) {
  return n.kind == BoundExprKind::kFunction && (n.op == "locf" || n.op == "interpolate");
}

void FlattenAnd(const BoundExprPtr& e, std::vector<BoundExprPtr>* out) {
  if (e->kind == BoundExprKind::kAnd) {
    for (const auto& c : e->children) FlattenAnd(c, out);
  } else {
    out->push_back(e);
  }
}

BoundExprPtr NullOf(TypeId t) { return MakeConst(Value::Null(T(t))); }

}  // namespace

bool IsHypertableFunctionName(const std::string& name) {
  static const char* const kNames[] = {"create_hypertable",
                                       "show_chunks",
                                       "drop_chunks",
                                       "add_retention_policy",
                                       "remove_retention_policy",
                                       "compress_chunk",
                                       "decompress_chunk",
                                       "add_compression_policy",
                                       "remove_compression_policy",
                                       "convert_to_columnstore",
                                       "convert_to_rowstore",
                                       "add_columnstore_policy",
                                       "remove_columnstore_policy",
                                       "hypertable_compression_stats",
                                       "chunk_compression_stats",
                                       "recompress_chunk",
                                       "add_continuous_aggregate_policy",
                                       "remove_continuous_aggregate_policy",
                                       "refresh_continuous_aggregate",
                                       "hypertable_size",
                                       "chunks_detailed_size",
                                       "hypertable_detailed_size",
                                       "add_dimension",
                                       "by_range",
                                       "by_hash",
                                       "set_chunk_time_interval",
                                       "set_integer_now_func"};
  for (const char* n : kNames) {
    if (name == n) return true;
  }
  return false;
}

BoundExprPtr Binder::BindTimeSeriesCall(const ast::Expr& e, const std::string& name) {
  // The positional arguments, then the named ones by name.
  std::vector<BoundExprPtr> positional;
  std::vector<int> positional_locs;
  std::map<std::string, std::pair<BoundExprPtr, int>> named;
  std::vector<BoundExprPtr> all;
  for (size_t i = 0; i < e.args.size(); ++i) {
    BoundExprPtr b = BindExpr(*e.args[i]);
    all.push_back(b);
    const std::string arg_name = i < e.arg_names.size() ? e.arg_names[i] : std::string();
    if (arg_name.empty()) {
      positional.push_back(b);
      positional_locs.push_back(e.args[i]->location);
    } else if (!named.emplace(arg_name, std::make_pair(b, e.args[i]->location)).second) {
      ThrowAt(e.args[i]->location, SqlState::kSyntaxError,
              "argument name \"{}\" used more than once", arg_name);
    }
  }
  // The parameters of `name` in order; positional arguments fill the first ones.
  auto take = [&](const std::vector<std::string>& params, std::vector<BoundExprPtr>* args,
                  std::vector<int>* locs) {
    for (const auto& [n, _] : named) {
      if (std::find(params.begin(), params.end(), n) == params.end()) {
        ThrowNoFunction(e.location, name, all);
      }
    }
    if (positional.size() > params.size()) ThrowNoFunction(e.location, name, all);
    for (size_t i = 0; i < params.size(); ++i) {
      auto it = named.find(params[i]);
      if (i < positional.size()) {
        if (it != named.end()) ThrowNoFunction(e.location, name, all);
        args->push_back(positional[i]);
        locs->push_back(positional_locs[i]);
      } else if (it != named.end()) {
        args->push_back(it->second.first);
        locs->push_back(it->second.second);
      } else {
        args->push_back(nullptr);
        locs->push_back(e.location);
      }
    }
  };
  auto is_text_like = [](const BoundExprPtr& b) {
    return b && (b->type.id == TypeId::kText || b->type.id == TypeId::kVarchar ||
                 b->type.id == TypeId::kUnknown);
  };

  if (IsHypertableFunctionName(name)) {
    // TimescaleDB's hypertable and policy functions (executor/hypertables.h): the arguments in
    // their parameter order, the ones ActiveStore has no use for required to be NULL.
    auto refuse = [&](const char* what) -> BoundExprPtr {
      ThrowAt(e.location, SqlState::kFeatureNotSupported, "{} is not supported yet", what);
    };
    if (name == "hypertable_compression_stats" || name == "chunk_compression_stats") {
      ThrowAt(e.location, SqlState::kFeatureNotSupported,
              "{} is supported only as a FROM item (SELECT * FROM {}(...))", name, name);
    }
    if (name == "convert_to_columnstore" || name == "convert_to_rowstore" ||
        name == "add_columnstore_policy" || name == "remove_columnstore_policy" ||
        name == "hypertable_compression_stats" || name == "chunk_compression_stats" ||
        name == "recompress_chunk") {
      return refuse("compression of hypertable chunks");
    }
    if (name == "refresh_continuous_aggregate") {
      // TimescaleDB's is a procedure (executor/continuous_aggs.h).
      throw Error(SqlState::kWrongObjectType,
                  "refresh_continuous_aggregate(regclass, \"any\", \"any\") is a procedure")
          .Hint("To call a procedure, use CALL.")
          .Position(e.location + 1);
    }
    if (name == "hypertable_size" || name == "chunks_detailed_size" ||
        name == "hypertable_detailed_size") {
      return refuse(name == "hypertable_size" ? "hypertable_size" : name.c_str());
    }
    if (name == "add_dimension" || name == "by_range" || name == "by_hash" ||
        name == "set_chunk_time_interval" || name == "set_integer_now_func") {
      return refuse(name.c_str());
    }
    std::vector<BoundExprPtr> args;
    std::vector<int> locs;
    auto as = [&](size_t i, Type t) {
      if (!args[i]) {
        args[i] = MakeConst(Value::Null(t));
      } else {
        args[i] = Coerce(args[i], t, CoercionContext::kImplicit, locs[i]);
      }
    };
    auto any = [&](size_t i) {
      if (!args[i]) {
        args[i] = MakeConst(Value::Null(T(TypeId::kInt64)));
      } else if (args[i]->type.id == TypeId::kUnknown) {
        args[i] = Coerce(args[i], T(TypeId::kText), CoercionContext::kImplicit, locs[i]);
      }
    };
    auto must_be_null = [&](size_t i, const char* what) {
      if (args[i] && !IsNullConst(args[i])) refuse(what);
    };
    auto set_returning = [&]() {
      CheckSetReturningPlace(e.location);
      ++srf_count_;
      last_srf_location_ = e.location;
    };
    const Type regclass = T(kRegClassType);
    const Type boolean = T(TypeId::kBool);
    if (name == "create_hypertable") {
      take({"relation", "time_column_name", "partitioning_column", "number_partitions",
            "associated_schema_name", "associated_table_prefix", "chunk_time_interval",
            "create_default_indexes", "if_not_exists", "partitioning_func", "migrate_data",
            "chunk_target_size", "chunk_sizing_func", "time_partitioning_func"},
           &args, &locs);
      if (!args[0] || !args[1]) ThrowNoFunction(e.location, name, all);
      if (!is_text_like(args[1]) && args[1]->type.id != TypeId::kName) {
        refuse("create_hypertable with a dimension builder");
      }
      must_be_null(2, "space partitioning (partitioning_column)");
      must_be_null(3, "space partitioning (number_partitions)");
      must_be_null(4, "associated_schema_name");
      must_be_null(5, "associated_table_prefix");
      must_be_null(9, "partitioning_func");
      must_be_null(11, "chunk_target_size");
      must_be_null(12, "chunk_sizing_func");
      must_be_null(13, "time_partitioning_func");
      as(0, regclass);
      as(1, T(TypeId::kName));
      any(6);
      as(7, boolean);
      as(8, boolean);
      as(10, boolean);
      const Type row{kRecordType, RecordTypmodOf({{"hypertable_id", T(TypeId::kInt32)},
                                                  {"schema_name", T(TypeId::kName)},
                                                  {"table_name", T(TypeId::kName)},
                                                  {"created", boolean}})};
      return MakeExpr(BoundExprKind::kFunction, row,
                      {args[0], args[1], args[6], args[7], args[8], args[10]}, name);
    }
    if (name == "show_chunks" || name == "drop_chunks") {
      if (name == "show_chunks") {
        take({"relation", "older_than", "newer_than", "created_before", "created_after"}, &args,
             &locs);
      } else {
        take({"relation", "older_than", "newer_than", "verbose", "created_before", "created_after"},
             &args, &locs);
        must_be_null(4, "drop_chunks with created_before");
        must_be_null(5, "drop_chunks with created_after");
      }
      if (!args[0]) ThrowNoFunction(e.location, name, all);
      if (name == "show_chunks") {
        must_be_null(3, "show_chunks with created_before");
        must_be_null(4, "show_chunks with created_after");
      }
      set_returning();
      as(0, regclass);
      any(1);
      any(2);
      return MakeExpr(BoundExprKind::kFunction, name == "show_chunks" ? regclass : T(TypeId::kText),
                      {args[0], args[1], args[2]}, name);
    }
    if (name == "add_retention_policy") {
      take({"relation", "drop_after", "if_not_exists", "schedule_interval", "initial_start",
            "timezone", "drop_created_before"},
           &args, &locs);
      if (!args[0]) ThrowNoFunction(e.location, name, all);
      must_be_null(4, "add_retention_policy with initial_start");
      must_be_null(5, "add_retention_policy with timezone");
      must_be_null(6, "add_retention_policy with drop_created_before");
      as(0, regclass);
      any(1);
      as(2, boolean);
      as(3, T(TypeId::kInterval));
      return MakeExpr(BoundExprKind::kFunction, T(TypeId::kInt32),
                      {args[0], args[1], args[2], args[3]}, name);
    }
    if (name == "compress_chunk" || name == "decompress_chunk") {
      // (chunk regclass, if_not_compressed / if_compressed boolean = true) -> regclass
      take({"uncompressed_chunk", name == "compress_chunk" ? "if_not_compressed" : "if_compressed"},
           &args, &locs);
      if (!args[0]) ThrowNoFunction(e.location, name, all);
      as(0, regclass);
      as(1, boolean);
      return MakeExpr(BoundExprKind::kFunction, regclass, {args[0], args[1]}, name);
    }
    if (name == "add_compression_policy") {
      take({"hypertable", "compress_after", "if_not_exists", "schedule_interval", "initial_start",
            "timezone", "compress_created_before"},
           &args, &locs);
      if (!args[0]) ThrowNoFunction(e.location, name, all);
      must_be_null(4, "add_compression_policy with initial_start");
      must_be_null(5, "add_compression_policy with timezone");
      must_be_null(6, "add_compression_policy with compress_created_before");
      as(0, regclass);
      any(1);
      as(2, boolean);
      as(3, T(TypeId::kInterval));
      return MakeExpr(BoundExprKind::kFunction, T(TypeId::kInt32),
                      {args[0], args[1], args[2], args[3]}, name);
    }
    if (name == "remove_compression_policy") {
      take({"hypertable", "if_exists"}, &args, &locs);
      if (!args[0]) ThrowNoFunction(e.location, name, all);
      as(0, regclass);
      as(1, boolean);
      return MakeExpr(BoundExprKind::kFunction, boolean, {args[0], args[1]}, name);
    }
    if (name == "add_continuous_aggregate_policy") {
      take({"continuous_aggregate", "start_offset", "end_offset", "schedule_interval",
            "if_not_exists", "initial_start", "timezone", "include_tiered_data",
            "buckets_per_batch", "max_batches_per_execution", "refresh_newest_first"},
           &args, &locs);
      if (!args[0] || !args[1] || !args[2] || !args[3]) ThrowNoFunction(e.location, name, all);
      for (size_t i = 5; i < args.size(); ++i) {
        must_be_null(i, "add_continuous_aggregate_policy with initial_start, timezone or batching");
      }
      as(0, regclass);
      any(1);
      any(2);
      as(3, T(TypeId::kInterval));
      as(4, boolean);
      return MakeExpr(BoundExprKind::kFunction, T(TypeId::kInt32),
                      {args[0], args[1], args[2], args[3], args[4]}, name);
    }
    if (name == "remove_continuous_aggregate_policy") {
      take({"continuous_aggregate", "if_not_exists", "if_exists"}, &args, &locs);
      if (!args[0]) ThrowNoFunction(e.location, name, all);
      as(0, regclass);
      as(1, boolean);
      as(2, boolean);
      return MakeExpr(BoundExprKind::kFunction, T(TypeId::kVoid), {args[0], args[1], args[2]},
                      name);
    }
    if (name == "remove_retention_policy") {
      take({"relation", "if_exists"}, &args, &locs);
      if (!args[0]) ThrowNoFunction(e.location, name, all);
      as(0, regclass);
      as(1, boolean);
      return MakeExpr(BoundExprKind::kFunction, T(TypeId::kVoid), {args[0], args[1]}, name);
    }
    ThrowNoFunction(e.location, name, all);
  }

  if (name == "time_bucket") {
    if (named.empty()) return BindScalarFunction(e, name, positional, positional_locs);
    // time_bucket(bucket_width, ts, "offset") / (bucket_width, ts, origin) /
    // (bucket_width, ts, timezone, origin, "offset").
    const bool zone = named.count("timezone") > 0 || positional.size() >= 3;
    std::vector<BoundExprPtr> args;
    std::vector<int> locs;
    if (zone) {
      take({"bucket_width", "ts", "timezone", "origin", "offset"}, &args, &locs);
      if (!args[0] || !args[1] || !args[2]) ThrowNoFunction(e.location, name, all);
      if (!args[3]) args[3] = NullOf(TypeId::kTimestampTz);
      if (!args[4]) args[4] = NullOf(TypeId::kInterval);
    } else {
      const bool origin = named.count("origin") > 0;
      take({"bucket_width", "ts", origin ? "origin" : "offset"}, &args, &locs);
      if (!args[0] || !args[1]) ThrowNoFunction(e.location, name, all);
      if (!args[2]) {
        args.pop_back();
        locs.pop_back();
      } else if (args[2]->type.id == TypeId::kUnknown && args[1]->type.id != TypeId::kUnknown) {
        // The parameter's name picks the overload: an origin has ts's type, an offset is an
        // interval (ts's type for integers).
        const TypeId ts = args[1]->type.id;
        const bool integer = ts == TypeId::kInt16 || ts == TypeId::kInt32 || ts == TypeId::kInt64;
        const Type want = origin || integer ? args[1]->type : T(TypeId::kInterval);
        args[2] = Coerce(args[2], want, CoercionContext::kImplicit, locs[2]);
      }
    }
    return BindScalarFunction(e, name, std::move(args), locs);
  }

  if (name == "time_bucket_gapfill") {
    // (bucket_width, ts, start, finish) or (bucket_width, ts, timezone, start, finish): the
    // zone form for a text (or unknown) third argument of a timestamptz (or unknown) ts, as
    // PostgreSQL prefers the string candidate.
    bool zone = named.count("timezone") > 0;
    if (!zone && positional.size() >= 3 && is_text_like(positional[2]) &&
        (positional[1]->type.id == TypeId::kTimestampTz ||
         positional[1]->type.id == TypeId::kUnknown)) {
      zone = true;
    }
    std::vector<BoundExprPtr> args;
    std::vector<int> locs;
    if (zone) {
      take({"bucket_width", "ts", "timezone", "start", "finish"}, &args, &locs);
    } else {
      take({"bucket_width", "ts", "start", "finish"}, &args, &locs);
    }
    if (!args[0] || !args[1] || (zone && !args[2])) ThrowNoFunction(e.location, name, all);
    for (auto& a : args) {
      if (!a) a = NullOf(TypeId::kUnknown);
    }
    return BindScalarFunction(e, name, std::move(args), locs);
  }

  std::vector<BoundExprPtr> args;
  std::vector<int> locs;
  if (name == "locf") {
    // locf(value anyelement, prev anyelement = NULL, treat_null_as_missing bool = false).
    take({"value", "prev", "treat_null_as_missing"}, &args, &locs);
    if (!args[0]) ThrowNoFunction(e.location, name, all);
    args[0] = ResolveUnknown(args[0], locs[0]);
    const Type t = args[0]->type;
    args[1] = args[1] ? Coerce(args[1], t, CoercionContext::kImplicit, locs[1])
                      : MakeConst(Value::Null(t));
    args[2] = args[2] ? Coerce(args[2], T(TypeId::kBool), CoercionContext::kImplicit, locs[2])
                      : MakeConst(Value::Bool(false));
    return MakeExpr(BoundExprKind::kFunction, t, std::move(args), "locf");
  }
  // interpolate(value, prev record = NULL, next record = NULL) for int2, int4, int8, float4
  // and float8.
  take({"value", "prev", "next"}, &args, &locs);
  if (!args[0]) ThrowNoFunction(e.location, name, all);
  const TypeId t = args[0]->type.id;
  if (t != TypeId::kInt16 && t != TypeId::kInt32 && t != TypeId::kInt64 && t != TypeId::kFloat32 &&
      t != TypeId::kFloat64) {
    ThrowNoFunction(e.location, name, all);
  }
  for (size_t i = 1; i < 3; ++i) {
    if (!args[i]) args[i] = NullOf(TypeId::kUnknown);
  }
  const Type type = args[0]->type;
  return MakeExpr(BoundExprKind::kFunction, type, std::move(args), "interpolate");
}

PlanPtr Binder::PlanGapFill(PlanPtr plan, const std::vector<BoundExprPtr>& targets,
                            const std::vector<BoundExprPtr>& groups,
                            const std::vector<BoundExprPtr>& where,
                            std::vector<BoundExprPtr>* outputs) {
  int calls = 0;
  BoundExprPtr call;
  for (const auto& t : targets) {
    VisitExpr(t, [&](const BoundExpr& n, int depth) {
      if (depth == 0 && n.kind == BoundExprKind::kFunction && n.op == "time_bucket_gapfill") {
        ++calls;
        call = std::make_shared<BoundExpr>(n);
      }
    });
  }
  if (calls == 0) return plan;
  if (calls > 1) {
    Throw(SqlState::kFeatureNotSupported, "multiple time_bucket_gapfill calls not allowed");
  }
  int time_column = -1;
  for (size_t g = 0; g < groups.size(); ++g) {
    if (ExprEquals(groups[g], call)) time_column = static_cast<int>(g);
  }
  if (time_column < 0) GapfillError("no top level time_bucket_gapfill in group by clause");

  auto spec = std::make_shared<GapFillSpec>();
  spec->time_column = time_column;
  for (size_t g = 0; g < groups.size(); ++g) {
    if (static_cast<int>(g) != time_column) spec->series_columns.push_back(static_cast<int>(g));
  }
  spec->group_values = static_cast<int>(groups.size());
  spec->time_type = call->type;
  const bool zone = call->children.size() == 5;
  spec->width = call->children[0];
  if (!IsSimple(spec->width)) {
    GapfillError("invalid time_bucket_gapfill argument: bucket_width must be a simple expression");
  }
  if (zone) spec->timezone = call->children[2];
  const BoundExprPtr& ts = call->children[1];
  BoundExprPtr start = call->children[zone ? 3 : 2];
  BoundExprPtr finish = call->children[zone ? 4 : 3];
  if (!IsNullConst(start)) {
    if (!IsSimple(start)) {
      GapfillError("invalid time_bucket_gapfill argument: start must be a simple expression");
    }
    spec->start = start;
  }
  if (!IsNullConst(finish)) {
    if (!IsSimple(finish)) {
      GapfillError("invalid time_bucket_gapfill argument: finish must be a simple expression");
    }
    spec->finish = finish;
  }
  if (!spec->start || !spec->finish) {
    // The WHERE clause's bounds on the time column: `ts op value` or `value op ts` with op one
    // of < <= > >= and a simple value of ts's type.
    if (ts->kind != BoundExprKind::kColumn) {
      GapfillError(
          "invalid time_bucket_gapfill argument: ts needs to refer to a single column if no "
          "start or finish is supplied",
          true);
    }
    std::vector<BoundExprPtr> conjuncts;
    for (const auto& w : where) FlattenAnd(w, &conjuncts);
    for (const auto& c : conjuncts) {
      auto bound = ColumnComparison(c, ts->column_index);
      if (!bound) continue;
      const std::string& op = bound->op;
      const BoundExprPtr& value = bound->value;
      if (value->type.id != ts->type.id || !IsSimple(value)) continue;
      if (op == ">" || op == ">=") spec->lower_bounds.push_back({value, op == ">"});
      if (op == "<" || op == "<=") spec->upper_bounds.push_back({value, op == "<="});
    }
    if (!spec->start && spec->lower_bounds.empty()) {
      GapfillError("missing time_bucket_gapfill argument: could not infer start from WHERE clause",
                   true);
    }
    if (!spec->finish && spec->upper_bounds.empty()) {
      GapfillError("missing time_bucket_gapfill argument: could not infer finish from WHERE clause",
                   true);
    }
  }

  // locf/interpolate items become fill columns after the input's.
  const int width = static_cast<int>(plan->output_types.size());
  auto node = std::make_shared<PlanNode>();
  node->kind = PlanKind::kGapFill;
  node->output_types = plan->output_types;
  node->output_names = plan->output_names;
  for (auto& o : *outputs) {
    int markers = 0;
    const BoundExpr* marker = nullptr;
    VisitExpr(o, [&](const BoundExpr& n, int depth) {
      if (depth == 0 && IsMarker(n)) {
        ++markers;
        marker = &n;
      }
    });
    if (markers == 0) continue;
    if (markers > 1) {
      Throw(SqlState::kFeatureNotSupported,
            "multiple interpolate/locf function calls per resultset column not supported");
    }
    if (marker != o.get()) {
      Throw(SqlState::kFeatureNotSupported, "{} must be toplevel function call", marker->op);
    }
    GapFillSpec::Fill fill;
    fill.interpolate = o->op == "interpolate";
    fill.value = o->children[0];
    if (fill.interpolate) {
      if (!IsNullConst(o->children[1]) || !IsNullConst(o->children[2])) {
        Throw(SqlState::kFeatureNotSupported,
              "interpolate with prev or next lookup expressions is not supported");
      }
    } else {
      if (!IsNullConst(o->children[1])) {
        Throw(SqlState::kFeatureNotSupported,
              "locf with a prev lookup expression is not supported");
      }
      const BoundExprPtr& treat = o->children[2];
      if (treat->kind != BoundExprKind::kConstant) {
        Throw(SqlState::kFeatureNotSupported, "locf's treat_null_as_missing must be a constant");
      }
      fill.treat_null_as_missing = !treat->value.is_null && treat->value.i != 0;
    }
    const Type type = o->type;
    spec->fills.push_back(std::move(fill));
    node->output_types.push_back(type);
    node->output_names.push_back(o->op);
    o = MakeColumn(width + static_cast<int>(spec->fills.size()) - 1, type);
  }
  node->gapfill = spec;
  node->children = {plan};
  return node;
}

}  // namespace activestore::planner
