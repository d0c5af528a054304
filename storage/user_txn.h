// UserTransaction: a client's transaction. It wraps the engine's storage transaction and adds
// what PostgreSQL's transactions have on top of the storage engine's snapshots:
//  - row and table locks through the node's LockManager, held until the transaction object is
//    destroyed (after its wrapper finished the commit), so a concurrent writer of the same row
//    waits instead of failing;
//  - savepoints: while one is open every write records the value it replaces, and
//    RollbackTo() restores them newest first (the row locks stay until the end);
//  - for SERIALIZABLE, every read (key or scanned range) and write reported to the
//    SerializableValidator, which finds rw-antidependencies as they happen (SSI);
//  - with `track_writes` (two-phase commit enabled), the list of keys it wrote, so that
//    Prepare() can turn the transaction into a redo write set (storage/two_phase.h).
//
// Thread safety: like Transaction, used by one thread at a time.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "storage/lock_manager.h"
#include "storage/parallel_readers.h"
#include "storage/serializable.h"
#include "storage/storage.h"

namespace activestore::storage {

// The key under which a write of a system table (not t<oid>_..., i<oid>_...) is row-locked.
// WiredTiger's read-committed mode does not detect write-write conflicts, so every write of a
// client transaction must hold a row lock: TableStore locks user rows itself; UserTransaction
// locks every system-table write with this key.
std::string SystemRowLockKey(std::string_view table, std::string_view key);

// One write of a prepared transaction: the key's final value, or nullopt for a delete.
struct RedoWrite {
  std::string table, key;
  std::optional<std::string> value;
};

// What Prepare() hands to the two-phase commit manager.
struct PreparedState {
  std::vector<RedoWrite> writes;                   // sorted by (table, key), one per key
  std::vector<std::pair<LockTag, uint8_t>> locks;  // what the owner holds
  LockOwner owner = 0;
  bool serializable = false;
  bool validator_registered = false;  // validator_seq is a commit in flight
  uint64_t validator_seq = 0;
};

class UserTransaction final : public Transaction {
 public:
  // `policy` is read at every wait (the session updates its deadlines per statement) and must
  // outlive the transaction. A SERIALIZABLE transaction registers with `validator`: pass the
  // handle of validator->Begin() called before `inner` took its snapshot as `ssi_id`, or 0
  // to have the constructor call it (then commits in between count as not concurrent).
  UserTransaction(std::unique_ptr<Transaction> inner, LockManager* locks, LockOwner owner,
                  const WaitPolicy* policy, SerializableValidator* validator, bool serializable,
                  bool track_writes = false, bool read_only = false, uint64_t ssi_id = 0);
  ~UserTransaction() override;

  std::optional<std::string> Get(std::string_view table, std::string_view key) override;
  void Insert(std::string_view table, std::string_view key, std::string_view value) override;
  void Put(std::string_view table, std::string_view key, std::string_view value) override;
  bool Delete(std::string_view table, std::string_view key) override;
  std::unique_ptr<Cursor> Scan(std::string_view table, std::string_view lower,
                               std::string_view upper) override;
  std::unique_ptr<Cursor> ScanBackward(std::string_view table, std::string_view lower,
                                       std::string_view upper) override;
  bool LockRow(uint32_t relation, std::string_view key, RowLockMode mode,
               const RowLockWait* wait = nullptr) override;
  std::optional<std::string> GetCommitted(std::string_view table, std::string_view key) override {
    return inner_->GetCommitted(table, key);
  }
  bool Reserve(std::string_view table, std::string_view key) override;
  // The engine's readers (storage/parallel_readers.h); none once the transaction wrote, and
  // none for SERIALIZABLE (the validator must see every read).
  std::unique_ptr<ReaderGroup> BeginReaders(size_t n, bool may_move_snapshot);
  void LockRelation(uint32_t relation, LockMode mode, const char* nowait_name = nullptr) override;
  void Commit() override;
  void Rollback() override;

  // Savepoints. Savepoint() returns a mark; RollbackTo(mark) undoes every write made after
  // it; Release(mark) forgets the mark (its writes stay).
  size_t Savepoint();
  void RollbackTo(size_t mark);
  void Release(size_t mark);

  // PREPARE TRANSACTION's storage half. Reads the final value of every key written (the
  // transaction sees its own writes), runs a SERIALIZABLE transaction's commit check (40001,
  // as PostgreSQL checks at PREPARE; it then stays with the validator as prepared), then
  // rolls the engine transaction back. The locks are not released when this
  // object goes: they belong to the prepared transaction now (the caller owns
  // PreparedState::owner and must release it, and finish validator_seq, when the prepared
  // transaction ends). On an error the transaction is rolled back as by Rollback().
  // REQUIRES: constructed with track_writes; not ended.
  PreparedState Prepare();

  LockOwner owner() const { return owner_; }
  LockOwner lock_owner() const override { return owner_; }
  bool tracks_writes() const { return track_writes_; }
  bool wrote() const { return wrote_any_; }

 private:
  struct Undo {
    std::string table, key;
    std::optional<std::string> previous;  // nullopt: the key did not exist
    bool reserved_only = false;           // Reserve: nothing to restore
  };
  // Row lock ids (LockManager::RowLockId) of rows a savepoint rollback restored: the engine
  // transaction still holds an update of each until it ends.
  std::unordered_set<uint64_t> pinned_rows_;
  struct Mark {
    size_t undo;     // undo_.size() when taken
    uint64_t locks;  // LockManager mark
  };
  void RecordWrite(std::string_view table, std::string_view key);
  void LockSystemWrite(std::string_view table, std::string_view key);
  void RememberPrevious(std::string_view table, std::string_view key);
  void End();

  std::unique_ptr<Transaction> inner_;
  LockManager* locks_;
  LockOwner owner_;
  const WaitPolicy* policy_;
  SerializableValidator* validator_;
  bool serializable_;
  uint64_t ssi_id_ = 0;  // the validator's handle; 0 unless SERIALIZABLE
  bool ended_ = false;
  bool wrote_any_ = false;
  bool track_writes_ = false;
  bool prepared_ = false;                                     // the locks outlive this object
  std::vector<std::pair<std::string, std::string>> written_;  // (table, key); track_writes_
  std::vector<Mark> marks_;
  std::vector<Undo> undo_;
};

}  // namespace activestore::storage
