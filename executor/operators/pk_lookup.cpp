// kPrimaryKeyLookup: evaluates key_exprs (constants/params), casts them to the key column
// types, reads the row with TableStore::LookupByPrimaryKey, projects and filters it.
#include "common/error.h"
#include "common/value_ops.h"
#include "executor/expression_evaluator.h"
#include "executor/operators/operator.h"
#include "executor/table_stats.h"
#include "storage/table_store.h"

namespace activestore::executor {

namespace {

class PkLookupOperator : public Operator {
 public:
  PkLookupOperator(const planner::PlanNode& plan, ExecState& st) : plan_(plan), st_(st) {
    if (!plan.table) Throw(SqlState::kInternalError, "primary key lookup without a table");
    if (plan.key_exprs.size() != plan.table->primary_key.size()) {
      Throw(SqlState::kInternalError, "primary key lookup with {} keys for {} key columns",
            plan.key_exprs.size(), plan.table->primary_key.size());
    }
  }

  bool Next(DataChunk* out) override {
    out->Clear();
    if (done_) return false;
    done_ = true;
    st_.CheckCancel();
    if (!st_.ctx.txn) Throw(SqlState::kInternalError, "primary key lookup without a transaction");
    const storage::TableInfo& table = *plan_.table;
    std::vector<Value> key(plan_.key_exprs.size());
    for (size_t i = 0; i < plan_.key_exprs.size(); ++i) {
      const Type& kt = table.columns[table.primary_key[i]].type;
      if (!EvaluateLookupKey(*plan_.key_exprs[i], kt, st_, &key[i])) return false;
    }
    std::optional<storage::StoredRow> row =
        storage::TableStore::LookupByPrimaryKey(st_.ctx.txn, table, key);
    // A scan of the primary key index, the rows it returned and fetched.
    CountIndexScan(st_, table.pkey_index_oid, row ? 1 : 0);
    if (!row) return false;
    std::vector<Type> types;
    for (int c : plan_.columns) types.push_back(table.columns[c].type);
    out->Init(types);
    for (size_t k = 0; k < plan_.columns.size(); ++k)
      out->columns[k].Append(row->row[plan_.columns[k]]);
    if (plan_.emit_row_location) {
      out->locations.push_back({row->shard, row->key, row->version, row->key_version});
    }
    out->size = 1;
    if (plan_.predicate) {
      std::vector<uint32_t> sel;
      EvaluatePredicate(*plan_.predicate, *out, st_, &sel);
      if (sel.empty()) {
        out->Clear();
        return false;
      }
    }
    return true;
  }

 private:
  const planner::PlanNode& plan_;
  ExecState& st_;
  bool done_ = false;
};

}  // namespace

bool EvaluateLookupKey(const planner::BoundExpr& expr, const Type& key_type, ExecState& st,
                       Value* out) {
  Value v = EvaluateConstant(expr, st);
  if (v.is_null) return false;  // key = NULL matches nothing
  if (!(v.type == key_type)) {
    try {
      Value c = CastValue(v, key_type, st.ctx.format);
      // A value that changes in the cast (1.5 -> 2) cannot equal a key of that type.
      if (IsNumericType(v.type.id) && IsNumericType(key_type.id) && CompareValues(c, v) != 0) {
        return false;
      }
      v = std::move(c);
    } catch (const Error& e) {
      if (e.state() == SqlState::kNumericValueOutOfRange) return false;
      throw;
    }
  }
  *out = std::move(v);
  return true;
}

void CountIndexScan(ExecState& st, uint32_t index_oid, int64_t rows) {
  if (st.ctx.table_stats == nullptr || index_oid == 0) return;
  st.ctx.table_stats->CountScans(st.ctx.database_oid, index_oid, 1, rows, rows);
}

OperatorPtr MakePkLookupOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<PkLookupOperator>(plan, state);
}

}  // namespace activestore::executor
