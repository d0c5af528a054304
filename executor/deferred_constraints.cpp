#include "executor/deferred_constraints.h"

namespace activestore::executor {

bool DeferredConstraints::IsDeferred(const storage::ForeignKeyInfo& fk) const {
  if (!fk.deferrable) return false;
  if (auto it = modes_.find(fk.oid); it != modes_.end()) return it->second;
  if (all_) return *all_;
  return fk.initially_deferred;
}

void DeferredConstraints::SetAll(bool deferred) {
  modes_.clear();
  all_ = deferred;
}

void DeferredConstraints::Set(storage::Oid constraint, bool deferred) {
  modes_[constraint] = deferred;
}

std::vector<DeferredConstraints::Pending> DeferredConstraints::Take(
    const std::set<storage::Oid>* constraints) {
  std::vector<Pending> out;
  ++firing_;
  for (Pending& p : pending_) {
    if (p.fired != 0) continue;
    if (constraints != nullptr && constraints->count(p.constraint) == 0) continue;
    p.fired = firing_;
    out.push_back(p);
  }
  return out;
}

bool DeferredConstraints::HasPending() const {
  for (const Pending& p : pending_) {
    if (p.fired == 0) return true;
  }
  return false;
}

void DeferredConstraints::RollbackTo(const Mark& mark) {
  if (pending_.size() > mark.queued) pending_.resize(mark.queued);
  for (Pending& p : pending_) {
    if (p.fired > mark.firing) p.fired = 0;  // ran in the rolled-back part: pending again
  }
  all_ = mark.all;
  modes_ = mark.modes;
}

void DeferredConstraints::Clear() {
  pending_.clear();
  all_.reset();
  modes_.clear();
}

}  // namespace activestore::executor
