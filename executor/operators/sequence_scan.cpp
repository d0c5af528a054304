// kSequenceScan: the one row of a sequence (SELECT * FROM seq): last_value, log_cnt, is_called,
// read from the node's shared sequence state (storage::SequenceManager).
#include "common/error.h"
#include "executor/operators/operator.h"
#include "storage/sequences.h"

namespace activestore::executor {

namespace {

class SequenceScanOperator : public Operator {
 public:
  SequenceScanOperator(const planner::PlanNode& plan, ExecState& st) : plan_(plan), st_(st) {}

  bool Next(DataChunk* out) override {
    out->Clear();
    if (done_) return false;
    done_ = true;
    const storage::TableInfo& seq = *plan_.table;
    if (!seq.is_sequence() || st_.ctx.catalog == nullptr) {
      Throw(SqlState::kInternalError, "\"{}\" is not a sequence", seq.name);
    }
    storage::SequenceManager* m = st_.ctx.catalog->sequences();
    storage::SequenceData d = m->Read(*m->Get(seq), seq);
    out->Init(plan_.output_types);
    out->AppendRow({Value::Int64(d.last_value), Value::Int64(d.log_cnt), Value::Bool(d.is_called)});
    return true;
  }

 private:
  const planner::PlanNode& plan_;
  ExecState& st_;
  bool done_ = false;
};

}  // namespace

OperatorPtr MakeSequenceScanOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<SequenceScanOperator>(plan, state);
}

}  // namespace activestore::executor
