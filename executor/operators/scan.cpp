// kShardScan: the rows of one shard through storage::ShardScanner, projected to `columns`,
// filtered by `predicate` (over the projected columns), with row locations when asked.
//
// Without row locations (every plain SELECT) the rows are read as raw bytes and only the
// projected columns are decoded, straight into the column vectors (storage::DecodeFields): no
// Value per cell, and a count(*) decodes nothing. Scans for UPDATE/DELETE/FOR UPDATE, which need
// each row's version stamps, read whole rows through ShardScanner::NextBatch.
#include <algorithm>

#include "common/error.h"
#include "executor/expression_evaluator.h"
#include "executor/operators/operator.h"
#include "storage/encoding.h"
#include "storage/table_store.h"

namespace activestore::executor {

namespace {

class ScanOperator : public Operator {
 public:
  ScanOperator(const planner::PlanNode& plan, ExecState& st) : plan_(plan), st_(st) {
    if (!plan.table) Throw(SqlState::kInternalError, "shard scan without a table");
    if (!st.ctx.txn) Throw(SqlState::kInternalError, "shard scan without a transaction");
    for (int c : plan.columns) {
      if (c < 0 || static_cast<size_t>(c) >= plan.table->columns.size()) {
        Throw(SqlState::kInternalError, "scan column {} out of range", c);
      }
      types_.push_back(plan.table->columns[c].type);
    }
    scanner_ = std::make_unique<storage::ShardScanner>(st.ctx.txn, plan.table, plan.shard,
                                                       plan.emit_row_location);
    if (!plan.emit_row_location) {
      codecs_ = storage::RowFieldCodecs(*plan.table);
      for (int c : plan.columns)
        decode_width_ = std::max(decode_width_, static_cast<size_t>(c) + 1);
      fields_.resize(decode_width_);
    }
  }

  bool Next(DataChunk* out) override {
    while (!done_) {
      st_.CheckCancel();
      if (!(plan_.emit_row_location ? FillWithLocations(out) : FillRaw(out))) {
        done_ = true;
        break;
      }
      if (plan_.predicate) {
        EvaluatePredicate(*plan_.predicate, *out, st_, &sel_);
        out->Compact(sel_);
      }
      if (out->size > 0) return true;
    }
    out->Clear();
    return false;
  }

 private:
  // Fill*: the next batch of the shard's rows into *out (before the predicate); false at the end.
  bool FillRaw(DataChunk* out) {
    out->Init(types_);
    for (auto& c : out->columns) c.Reserve(kBatchSize);
    size_t n = 0;
    std::string_view key, bytes;
    while (n < kBatchSize && scanner_->NextRaw(&key, &bytes)) {
      if (decode_width_ > 0) {
        storage::DecodeFields(bytes, codecs_, decode_width_, fields_.data());
        for (size_t k = 0; k < plan_.columns.size(); ++k) {
          AppendField(fields_[static_cast<size_t>(plan_.columns[k])], &out->columns[k]);
        }
      }
      if (plan_.key_order) out->locations.push_back({plan_.shard, std::string(key), 0, 0});
      ++n;
    }
    out->size = n;
    return n > 0;
  }

  bool FillWithLocations(DataChunk* out) {
    rows_.clear();
    if (!scanner_->NextBatch(&rows_, kBatchSize) || rows_.empty()) return false;
    out->Init(types_);
    for (auto& c : out->columns) c.Reserve(rows_.size());
    out->locations.reserve(rows_.size());
    for (auto& row : rows_) {
      for (size_t k = 0; k < plan_.columns.size(); ++k) {
        out->columns[k].Append(row.row[plan_.columns[k]]);
      }
      out->locations.push_back({row.shard, std::move(row.key), row.version, row.key_version});
    }
    out->size = rows_.size();
    return true;
  }

  // Appends one decoded field to a vector of the column's type (the field's kind follows from
  // that type, and the vector's physical class too).
  static void AppendField(const storage::Field& f, Vector* v) {
    v->nulls.push_back(f.null ? 1 : 0);
    switch (v->phys) {
      case PhysClass::kInt:
        v->ints.push_back(f.null ? 0 : f.i);
        break;
      case PhysClass::kFloat:
        v->floats.push_back(f.null ? 0 : f.f);
        break;
      case PhysClass::kString:
        v->strs.emplace_back(f.null ? std::string_view() : f.bytes);
        break;
      case PhysClass::kNumeric:
        v->nums.push_back(f.null ? Numeric() : Numeric::Parse(f.bytes));
        break;
      case PhysClass::kWide:
        v->ints.push_back(f.null ? 0 : f.i);
        v->ints2.push_back(f.null ? 0 : f.i2);
        break;
    }
  }

  const planner::PlanNode& plan_;
  ExecState& st_;
  std::vector<Type> types_;
  std::unique_ptr<storage::ShardScanner> scanner_;
  std::vector<storage::StoredRow> rows_;
  std::vector<uint32_t> sel_;
  bool done_ = false;
  std::vector<storage::FieldCodec> codecs_;  // without locations: the table's field layouts
  std::vector<storage::Field> fields_;       // one row's decoded columns [0, decode_width_)
  size_t decode_width_ = 0;                  // 1 + the highest projected column
};

}  // namespace

OperatorPtr MakeScanOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<ScanOperator>(plan, state);
}

}  // namespace activestore::executor
