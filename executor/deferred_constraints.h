// Deferred constraint checks of one transaction: PostgreSQL's deferred after-trigger queue,
// for the foreign keys declared DEFERRABLE.
//
// A foreign key whose mode is DEFERRED in the running transaction (INITIALLY DEFERRED, or
// SET CONSTRAINTS) does not check the rows a statement wrote at the statement's end:
// executor/foreign_keys.cpp queues them here, and checks them at COMMIT and PREPARE
// TRANSACTION, or when SET CONSTRAINTS ... IMMEDIATE names the constraint
// (CheckDeferredForeignKeys). As in PostgreSQL, only the referencing side's check and the
// referenced side's NO ACTION check are deferred; RESTRICT and the CASCADE / SET NULL /
// SET DEFAULT actions stay immediate.
//
// A queued check is of values, not of a row version: when it runs, a referencing row that was
// deleted since, or changed to other values, is no longer there with those values, and the
// check passes (PostgreSQL skips the event of a row version that is no longer live).
//
// Lifetime: one per session (SessionImpl), cleared when a transaction ends. ROLLBACK TO
// SAVEPOINT restores the modes and drops the checks queued since the savepoint, and marks
// checks that ran since the savepoint as pending again.
//
// Thread safety: used by the session's thread only.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "common/value.h"
#include "storage/catalog.h"

namespace activestore::executor {

class DeferredConstraints {
 public:
  struct Pending {
    enum class Kind : uint8_t {
      kReferencing,  // rows written into `child` must find their referenced key
      kReferenced,   // a key of `parent` went (NO ACTION): no row of `child` may refer to it
    };
    Kind kind = Kind::kReferencing;
    storage::Oid parent = 0;      // the referenced table
    storage::Oid child = 0;       // the referencing table (owner of the constraint)
    storage::Oid constraint = 0;  // the foreign key's pg_constraint oid
    // kReferencing: the referencing columns' values; kReferenced: the old referenced key.
    std::vector<Value> values;
    uint64_t fired = 0;  // the firing that checked it; 0: pending
  };

  // Whether `fk`'s checks are deferred now: a DEFERRABLE constraint named by SET
  // CONSTRAINTS, else SET CONSTRAINTS ALL, else its INITIALLY DEFERRED.
  bool IsDeferred(const storage::ForeignKeyInfo& fk) const;

  void Queue(Pending p) { pending_.push_back(std::move(p)); }

  // SET CONSTRAINTS ALL {DEFERRED | IMMEDIATE}: forgets the per-constraint modes.
  void SetAll(bool deferred);
  // SET CONSTRAINTS name {DEFERRED | IMMEDIATE}.
  void Set(storage::Oid constraint, bool deferred);

  // Marks the pending checks of `constraints` (all when null) as run and returns them.
  std::vector<Pending> Take(const std::set<storage::Oid>* constraints);
  bool HasPending() const;

  struct Mark {
    size_t queued = 0;
    uint64_t firing = 0;
    std::optional<bool> all;
    std::map<storage::Oid, bool> modes;
  };
  Mark Savepoint() const { return Mark{pending_.size(), firing_, all_, modes_}; }
  void RollbackTo(const Mark& mark);

  // The transaction ended: no modes, nothing queued.
  void Clear();

 private:
  std::vector<Pending> pending_;
  uint64_t firing_ = 0;
  std::optional<bool> all_;
  std::map<storage::Oid, bool> modes_;
};

}  // namespace activestore::executor
