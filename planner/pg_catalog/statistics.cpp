// pg_statistic and pg_stats: ANALYZE's per-column statistics (executor/analyze.cpp), kept in
// each column's catalog entry (storage/column_stats.h). A row's slots are filled as
// PostgreSQL's compute_scalar_stats fills them, in order: most common values (stakind 1, with
// the type's `=`), histogram (2, `<`) and correlation (3, `<`), each with the column's
// collation, then for an array column compute_array_stats' most common elements (4) and
// distinct-element-count histogram (5), with the element type's `=`; the values are anyarray
// (common/anyarray_type.h). pg_stats is PostgreSQL 15's view over it, less row-level security
// (ActiveStore has none: relrowsecurity is false). Also the analyze-related columns elsewhere:
// pg_class.reltuples and relpages (relations.cpp).
#include <deque>

#include "common/array.h"
#include "common/type_registry.h"
#include "planner/pg_catalog/opclass.h"
#include "planner/pg_catalog/row_builder.h"
#include "planner/pg_catalog/system_relation.h"
#include "storage/column_stats.h"

namespace activestore::planner::pg_catalog {
namespace {

using enum TypeId;

Value Real(float f) {
  Value v = Value::Float64(static_cast<double>(f));
  v.type = Type::Of(kFloat32);
  return v;
}

Value Reals(const std::vector<float>& fs) {
  std::vector<Value> vs;
  vs.reserve(fs.size());
  for (float f : fs) vs.push_back(Real(f));
  return ArrayOf(kFloat32ArrayType, vs);
}

Value AnyArray(const std::string& blob) { return Value::Text(blob, kAnyArrayType); }

// The collation ANALYZE compares a column's values with (its attcollation).
Oid CollationOf(TypeId t) {
  if (IsArrayType(t)) t = ArrayElementType(t);
  if (t == kName) return kCCollationOid;
  if (t == kText || t == kVarchar || t == kBpchar) return kDefaultCollationOid;
  return 0;
}

void AddStatistic(std::vector<std::unique_ptr<SystemRelation>>* out) {
  std::vector<SystemColumn> cols = {{"starelid", T(kOid)},    {"staattnum", T(kInt16)},
                                    {"stainherit", T(kBool)}, {"stanullfrac", T(kFloat32)},
                                    {"stawidth", T(kInt32)},  {"stadistinct", T(kFloat32)}};
  for (const char* prefix : {"stakind", "staop", "stacoll", "stanumbers", "stavalues"}) {
    const std::string p = prefix;
    const TypeId type = p == "stakind"      ? kInt16
                        : p == "stanumbers" ? kFloat32ArrayType
                        : p == "stavalues"  ? kAnyArrayType
                                            : kOid;
    for (int i = 1; i <= 5; ++i) {
      static std::deque<std::string> names;  // SystemColumn names point into them
      names.push_back(p + std::to_string(i));
      cols.push_back({names.back().c_str(), T(type)});
    }
  }
  auto r = MakeRelation("pg_statistic", 2619, 10029, std::move(cols));
  const SystemRelation* rel = r.get();
  r->key_columns = {0};
  r->rows = [rel](const CatalogReadContext& ctx, const ScanKey* key, auto* rows) {
    // PostgreSQL keeps pg_statistic from all but superusers (pg_stats shows the rows of the
    // columns one may read); here a reader sees the rows of the tables it may SELECT from.
    const storage::RoleInfo* reader = ctx.catalog->FindRole(ctx.user);
    const bool super = reader != nullptr && reader->superuser;
    auto emit = [&](const storage::TableInfo& t) {
      if (!super && (reader == nullptr || (storage::RelationAclMask(*ctx.catalog, reader->oid, t,
                                                                    storage::acl::kSelect) &
                                           storage::acl::kSelect) == 0)) {
        return;
      }
      for (size_t c = 0; c < t.columns.size(); ++c) {
        const storage::ColumnInfo& col = t.columns[c];
        for (const auto& [stats, inherited] :
             {std::pair{col.stats.get(), false}, std::pair{col.inherited_stats.get(), true}}) {
          // Statistics of a type the column no longer has are not shown (PostgreSQL drops them
          // with ALTER COLUMN TYPE).
          if (stats == nullptr || stats->type_oid != static_cast<uint32_t>(col.type.id)) continue;
          RowBuilder b(*rel, ctx);
          b.Set("starelid", OidValue(t.oid))
              .Set("staattnum", Int2Value(static_cast<int>(c + 1)))
              .Set("stainherit", Value::Bool(inherited))
              .Set("stanullfrac", Real(stats->null_frac))
              .Set("stawidth", Value::Int32(stats->width))
              .Set("stadistinct", Real(stats->n_distinct));
          int slot = 0;
          auto fill = [&](int kind, Oid op, Oid coll, const Value& numbers, const Value& values) {
            const std::string n = std::to_string(++slot);
            b.Set("stakind" + n, Int2Value(kind))
                .Set("staop" + n, OidValue(op))
                .Set("stacoll" + n, OidValue(coll))
                .Set("stanumbers" + n, numbers)
                .Set("stavalues" + n, values);
          };
          const Oid opclass = DefaultBtreeOpclass(col.type.id);
          const Oid eq = OpclassOperator(opclass, 3), lt = OpclassOperator(opclass, 1);
          const Oid coll = CollationOf(col.type.id);
          const Value no_numbers = Value::Null(T(kFloat32ArrayType));
          const Value no_values = Value::Null(T(kAnyArrayType));
          if (!stats->mcv_values.empty()) {
            fill(1, eq, coll, Reals(stats->mcv_freqs), AnyArray(stats->mcv_values));
          }
          if (!stats->histogram.empty()) fill(2, lt, coll, no_numbers, AnyArray(stats->histogram));
          if (stats->correlation) fill(3, lt, coll, Reals({*stats->correlation}), no_values);
          // An array's element statistics compare elements with the element type's `=`.
          if (!stats->mcelem_values.empty() || !stats->dec_histogram.empty()) {
            const TypeId elem = ArrayElementType(col.type.id);
            const Oid elem_eq = OpclassOperator(DefaultBtreeOpclass(elem), 3);
            const Oid elem_coll = CollationOf(elem);
            if (!stats->mcelem_values.empty()) {
              fill(4, elem_eq, elem_coll, Reals(stats->mcelem_freqs),
                   AnyArray(stats->mcelem_values));
            }
            if (!stats->dec_histogram.empty()) {
              fill(5, elem_eq, elem_coll, Reals(stats->dec_histogram), no_values);
            }
          }
          rows->push_back(b.Take());
        }
      }
    };
    if (key != nullptr && key->column == 0) {
      if (key->value.is_null) return;
      auto t = ctx.catalog->FindRelationByOid(static_cast<Oid>(key->value.i));
      if (t != nullptr && t->database_oid == ctx.database_oid) emit(*t);
      return;
    }
    for (auto it =
             ctx.catalog->tables.lower_bound({ctx.database_oid, std::string(), std::string()});
         it != ctx.catalog->tables.end() && std::get<0>(it->first) == ctx.database_oid; ++it) {
      emit(*it->second);
    }
  };
  out->push_back(std::move(r));
}

// PostgreSQL 15's pg_stats for slot `kind`: its values (or numbers, or first number) whichever
// slot holds it.
std::string SlotCase(int kind, const char* column, const char* suffix = "") {
  std::string sql = "CASE";
  for (int i = 1; i <= 5; ++i) {
    sql += " WHEN s.stakind" + std::to_string(i) + " = " + std::to_string(kind) + " THEN s." +
           column + std::to_string(i) + suffix;
  }
  return sql + " END";
}

void AddStats(std::vector<std::unique_ptr<SystemRelation>>* out) {
  auto r = MakeRelation("pg_stats", 12053, 12055,
                        {{"schemaname", T(kName)},
                         {"tablename", T(kName)},
                         {"attname", T(kName)},
                         {"inherited", T(kBool)},
                         {"null_frac", T(kFloat32)},
                         {"avg_width", T(kInt32)},
                         {"n_distinct", T(kFloat32)},
                         {"most_common_vals", T(kAnyArrayType)},
                         {"most_common_freqs", T(kFloat32ArrayType)},
                         {"histogram_bounds", T(kAnyArrayType)},
                         {"correlation", T(kFloat32)},
                         {"most_common_elems", T(kAnyArrayType)},
                         {"most_common_elem_freqs", T(kFloat32ArrayType)},
                         {"elem_count_histogram", T(kFloat32ArrayType)}});
  static const std::string sql =
      "SELECT n.nspname AS schemaname, c.relname AS tablename, a.attname, "
      "s.stainherit AS inherited, s.stanullfrac AS null_frac, s.stawidth AS avg_width, "
      "s.stadistinct AS n_distinct, " +
      SlotCase(1, "stavalues") + " AS most_common_vals, " + SlotCase(1, "stanumbers") +
      " AS most_common_freqs, " + SlotCase(2, "stavalues") + " AS histogram_bounds, " +
      SlotCase(3, "stanumbers", "[1]") + " AS correlation, " + SlotCase(4, "stavalues") +
      " AS most_common_elems, " + SlotCase(4, "stanumbers") + " AS most_common_elem_freqs, " +
      SlotCase(5, "stanumbers") +
      " AS elem_count_histogram "
      "FROM pg_catalog.pg_statistic s JOIN pg_catalog.pg_class c ON c.oid = s.starelid "
      "JOIN pg_catalog.pg_attribute a ON c.oid = a.attrelid AND a.attnum = s.staattnum "
      "LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
      "WHERE NOT a.attisdropped AND pg_catalog.has_column_privilege(c.oid, a.attnum, 'select')";
  r->view_sql = sql;
  out->push_back(std::move(r));
}

}  // namespace

void AddStatisticsRelations(std::vector<std::unique_ptr<SystemRelation>>* out) {
  AddStatistic(out);
  AddStats(out);
}

}  // namespace activestore::planner::pg_catalog
