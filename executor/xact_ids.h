// Transaction ids for txid_current() and txid_current_if_assigned().
//
// ActiveStore's storage has no transaction id of PostgreSQL's kind: a WiredTiger transaction's
// id is not kept across restarts and is reused. What every client transaction does have is its
// lock owner (storage/lock_manager.h, LockManager::NewOwner at the transaction's start), unique
// and increasing within one run of the server. The id is that number within an epoch that
// counts the server's starts: (epoch << 40) | lock owner, the epoch stored in the storage table
// sys_xact_epoch and increased, durably as the sync_mode says, at every start (NodeEngineImpl::
// Init). So an id is the same for the whole transaction, greater for every transaction begun
// later, and never given to two transactions (also across restarts). Differences from
// PostgreSQL: every transaction has its id from its start (PostgreSQL assigns one at the first
// write or txid_current()), so txid_current_if_assigned() is never NULL; the ids are not dense.
// What needs the ids of other transactions (txid_status, pg_xact_status, the snapshot
// functions) and xid8 (pg_current_xact_id) are 0A000 (planner/bind_expr.cpp).
//
// Thread safety: the epoch is set once at start, before sessions; atomic.
#pragma once

#include <cstdint>
#include <vector>

#include "executor/string_functions.h"

namespace activestore::executor {

// The epoch of this run (1, 2, ...); 0 leaves the ids unavailable (a replica: 0A000, as
// PostgreSQL cannot assign ids during recovery).
void SetXactIdEpoch(uint64_t epoch);
// The id of the transaction whose lock owner is `owner`. Throws 0A000 when the ids are
// unavailable (no epoch, or a transaction without a lock owner).
int64_t XactId(uint64_t owner);

// txid_current, txid_current_if_assigned (registered in executor/functions.cpp).
const std::vector<StringFunctionEntry>& XactIdFunctionEntries();

}  // namespace activestore::executor
