#include "executor/xact_ids.h"

#include <atomic>

#include "common/error.h"
#include "common/system_id_types.h"
#include "executor/exec_state.h"
#include "executor/executor.h"

namespace activestore::executor {
namespace {

std::atomic<uint64_t> xact_id_epoch{0};
constexpr int kOwnerBits = 40;

// txid_current() and txid_current_if_assigned(): the id of the statement's transaction.
Value FnTxidCurrent(const std::vector<Value>&, const planner::BoundExpr&, ExecState& st) {
  if (st.ctx.txn == nullptr) {
    Throw(SqlState::kFeatureNotSupported, "transaction ids are not available here");
  }
  return Value::Int64(XactId(st.ctx.txn->lock_owner()));
}

// pg_current_xact_id() and pg_current_xact_id_if_assigned(): the same id as xid8.
Value FnCurrentXactId(const std::vector<Value>& a, const planner::BoundExpr& e, ExecState& st) {
  return Xid8Value(static_cast<uint64_t>(FnTxidCurrent(a, e, st).i));
}

}  // namespace

void SetXactIdEpoch(uint64_t epoch) { xact_id_epoch.store(epoch); }

int64_t XactId(uint64_t owner) {
  const uint64_t epoch = xact_id_epoch.load();
  if (epoch == 0 || owner == 0 || owner >= (uint64_t{1} << kOwnerBits) ||
      epoch >= (uint64_t{1} << (63 - kOwnerBits))) {
    Throw(SqlState::kFeatureNotSupported,
          "transaction ids are not available on this server (a replica, or ids exhausted)");
  }
  return static_cast<int64_t>((epoch << kOwnerBits) | owner);
}

const std::vector<StringFunctionEntry>& XactIdFunctionEntries() {
  static const std::vector<StringFunctionEntry> kEntries = {
      {"txid_current", FnTxidCurrent, false},
      {"txid_current_if_assigned", FnTxidCurrent, false},
      {"pg_current_xact_id", FnCurrentXactId, false},
      {"pg_current_xact_id_if_assigned", FnCurrentXactId, false},
  };
  return kEntries;
}

}  // namespace activestore::executor
