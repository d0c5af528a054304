// kSystemView: the rows of a system view (pg_prepared_xacts), asked of the session through
// ExecContext::system_view_rows, or of a pg_catalog relation, made by its producer from
// ExecContext::catalog_view (only the rows of its key's values when the plan gives a key);
// both when the operator first runs, then given out in batches.
#include "common/error.h"
#include "executor/exec_state.h"
#include "executor/expression_evaluator.h"
#include "executor/hypertables.h"
#include "executor/operators/operator.h"
#include "planner/pg_catalog/system_relation.h"

namespace activestore::executor {

namespace {

class SystemViewOperator : public Operator {
 public:
  SystemViewOperator(const planner::PlanNode& plan, ExecState& st) : plan_(plan), st_(st) {}

  bool Next(DataChunk* out) override {
    if (!loaded_) {
      loaded_ = true;
      if (plan_.system_relation != nullptr) {
        LoadCatalogRows();
      } else if (!st_.ctx.system_view_rows) {
        Throw(SqlState::kFeatureNotSupported, "system view \"{}\" is not available here",
              plan_.system_view);
      } else {
        rows_ = st_.ctx.system_view_rows(plan_.system_view);
      }
    }
    out->Init(plan_.output_types);
    // Rows hold the plan's output columns (a producer builds only those it reads).
    const planner::pg_catalog::CatalogRows& rows = shared_ != nullptr ? *shared_ : rows_;
    while (next_ < rows.size() && out->size < kBatchSize) out->AppendRow(rows[next_++]);
    return out->size > 0;
  }

 private:
  // A pg_catalog relation: its rows from the catalog as the statement's transaction sees it.
  void LoadCatalogRows() {
    if (!st_.ctx.catalog_view) {
      Throw(SqlState::kFeatureNotSupported, "relation \"{}\" is not available here",
            plan_.system_view);
    }
    planner::pg_catalog::CatalogReadContext cctx;
    cctx.catalog = st_.ctx.catalog_view.get();
    cctx.database_oid = st_.ctx.database_oid;
    cctx.user = st_.ctx.user;
    cctx.get_setting = st_.ctx.get_setting;
    if (st_.ctx.jobs != nullptr) {
      cctx.job_stats = [jobs = st_.ctx.jobs](int32_t id) { return jobs->Stats(id); };
    }
    // A scan of some columns: the producer builds only those (CatalogReadContext::slots).
    std::vector<int> slots;
    if (!plan_.system_columns.empty()) {
      slots.assign(plan_.system_relation->columns.size(), -1);
      for (size_t c = 0; c < plan_.system_columns.size(); ++c) {
        slots[static_cast<size_t>(plan_.system_columns[c])] = static_cast<int>(c);
      }
      cctx.slots = &slots;
    }
    // `name LIKE pattern`: the producer may skip the objects whose names fail it.
    if (plan_.name_like_pattern) {
      Value pattern = EvaluateConstant(*plan_.name_like_pattern, st_);
      Value escape = plan_.name_like_escape ? EvaluateConstant(*plan_.name_like_escape, st_)
                                            : Value::Text("\\");
      if (pattern.is_null || escape.is_null) return;  // NULL: no row passes
      if (IsStringType(pattern.type.id) && IsStringType(escape.type.id)) {
        cctx.name_filter_column = plan_.name_like_column;
        cctx.name_filter = [pattern = std::move(pattern.s), escape = std::move(escape.s),
                            icase = plan_.name_like_icase](std::string_view name) {
          try {
            return LikeMatch(name, pattern, escape, icase);
          } catch (const Error&) {
            return true;  // a bad pattern: the filter above raises its error
          }
        };
      }
    }
    const auto& produce = plan_.system_relation->rows;
    if (plan_.scan_key_value) {
      Value v = EvaluateConstant(*plan_.scan_key_value, st_);
      if (v.is_null) return;  // `column = NULL` holds for no row
      const planner::pg_catalog::ScanKey key{plan_.scan_key_column, std::move(v)};
      produce(cctx, &key, &rows_);
      return;
    }
    if (plan_.scan_key_id != 0) {
      auto it = st_.catalog_keys.find(plan_.scan_key_id);
      if (it != st_.catalog_keys.end()) {
        // Distinct values of one column: their rows are disjoint.
        for (const Value& v : it->second) {
          const planner::pg_catalog::ScanKey key{plan_.scan_key_column, v};
          produce(cctx, &key, &rows_);
        }
        return;
      }
    }
    // The whole relation: shared with the other scans of this catalog snapshot when it can be.
    shared_ = planner::pg_catalog::CachedRows(*plan_.system_relation, st_.ctx.catalog_view, cctx);
    if (shared_ == nullptr) produce(cctx, nullptr, &rows_);
  }

  const planner::PlanNode& plan_;
  ExecState& st_;
  bool loaded_ = false;
  std::vector<std::vector<Value>> rows_;
  std::shared_ptr<const planner::pg_catalog::CatalogRows> shared_;  // CachedRows, when used
  size_t next_ = 0;
};

}  // namespace

OperatorPtr MakeSystemViewOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<SystemViewOperator>(plan, state);
}

}  // namespace activestore::executor
