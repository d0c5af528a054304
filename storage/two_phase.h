// Two-phase commit (PREPARE TRANSACTION, COMMIT PREPARED, ROLLBACK PREPARED) on top of an
// engine whose own prepare does not survive a restart. See
// docs/design/2026-12-04-two-phase-commit.md.
//
// PREPARE turns a client transaction into a durable record: its redo write set (the final
// value of every key it wrote, or a delete), the locks it holds and who prepared it, stored
// under "g" + gid in the system table `sys_prepared` in one engine commit, while the engine
// transaction itself is rolled back. The prepared transaction keeps its LockManager owner (and
// so its row and table locks) and, if SERIALIZABLE, stays prepared in the SSI validator.
// COMMIT PREPARED applies the write set and deletes the record in one engine transaction;
// ROLLBACK PREPARED only deletes the record. At start-up Open() reloads every record and
// re-acquires its locks before any session runs. DDL: the catalog rows are in the write set;
// the record's catalog part (PreparedCatalogChanges) names the storage the transaction created
// (kept until COMMIT / ROLLBACK PREPARED, also across restarts) and what to drop after the
// commit, and COMMIT PREPARED publishes the catalog (Catalog::FinishPrepared).
//
// Invariants / concurrency:
//  - While a prepared transaction exists, its owner holds every lock the transaction held at
//    PREPARE (row locks on every key of its write set, RowExclusive on their relations), so no
//    other transaction writes those keys, and DDL that would move the storage of a table it
//    wrote (DROP, TRUNCATE, CREATE INDEX, ALTER) waits. Applying the write set at COMMIT
//    PREPARED therefore never meets a conflicting write.
//  - Its writes are in no engine transaction between PREPARE and COMMIT PREPARED, so nobody
//    reads them (PostgreSQL's visibility of a prepared transaction).
//  - The record and the write set are applied in one engine commit: after a crash either the
//    record is there (and is reloaded) or the writes are.
//  - A gid is in `entries_` from the start of PREPARE (reserved, not yet visible) until the end
//    of COMMIT/ROLLBACK PREPARED (busy while one runs), so two sessions never finish, nor
//    prepare, the same gid at once.
//
// Thread safety: TwoPhaseManager is thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/catalog.h"
#include "storage/lock_manager.h"
#include "storage/serializable.h"
#include "storage/storage.h"
#include "storage/user_txn.h"

namespace activestore::storage {

// What sys_prepared stores under a gid.
struct PreparedRecord {
  std::string gid;
  uint64_t xid = 0;            // pg_prepared_xacts.transaction
  int64_t prepared_at_us = 0;  // timestamptz: microseconds since 2000-01-01 UTC
  std::string owner;           // user name
  uint32_t database = 0;       // oid
  std::string database_name;
  bool serializable = false;
  std::vector<RedoWrite> writes;
  std::vector<std::pair<LockTag, uint8_t>> locks;
  PreparedCatalogChanges catalog;  // DDL: what COMMIT / ROLLBACK PREPARED finish besides writes
};

// The record's bytes (format byte 2, then fixed-width little-endian integers and
// length-prefixed strings; format 1, written before DDL could be prepared, has no catalog
// part). Decode throws XX001 on bytes it cannot read.
std::string EncodePreparedRecord(const PreparedRecord& r);
PreparedRecord DecodePreparedRecord(std::string_view bytes);

// One row of pg_prepared_xacts.
struct PreparedXactInfo {
  uint64_t xid = 0;
  std::string gid;
  int64_t prepared_at_us = 0;
  std::string owner;
  uint32_t database = 0;
  std::string database_name;
};

class TwoPhaseManager {
 public:
  static constexpr char kTable[] = "sys_prepared";
  static constexpr size_t kMaxGidLength = 199;  // PostgreSQL's GIDSIZE - 1

  // Creates sys_prepared if needed, reloads its records, re-acquires their locks (owners with
  // pid 0) and registers the SERIALIZABLE ones with the validator (conflicts assumed).
  // `max_prepared` is max_prepared_transactions (0: PREPARE is refused); records found at
  // start-up are kept even past it, as PostgreSQL refuses to start instead.
  // `catalog` finishes the catalog part of prepared DDL (nullptr: no record may have one).
  TwoPhaseManager(Engine* engine, LockManager* locks, SerializableValidator* validator,
                  int max_prepared, Catalog* catalog = nullptr);

  // The catalog parts of the prepared transactions stored in `engine`, read before the catalog
  // opens (Catalog::Open keeps their storage). Creates sys_prepared if needed.
  static std::vector<PreparedCatalogChanges> StoredCatalogChanges(Engine* engine);
  TwoPhaseManager(const TwoPhaseManager&) = delete;
  TwoPhaseManager& operator=(const TwoPhaseManager&) = delete;

  int max_prepared() const { return max_prepared_; }
  // Whether client transactions must track their writes (two-phase commit is enabled).
  bool enabled() const { return max_prepared_ > 0; }

  // PREPARE TRANSACTION 'gid' for `txn` (the session's transaction, which ends here; on an
  // error it is rolled back with its locks released). Errors: 55000 prepared transactions are
  // disabled; 22023 identifier too long; 42710 gid already in use; 53200 maximum number
  // reached; 40001 from SERIALIZABLE validation. `meta` gives owner, database and the catalog
  // part (CatalogTxn::Prepare); gid, xid, time, writes and locks are filled in here.
  void Prepare(const std::string& gid, UserTransaction* txn, PreparedRecord meta);

  // COMMIT PREPARED (commit = true) or ROLLBACK PREPARED. `database` is the caller's database.
  // Errors: 42704 no such gid; 55000 another session is finishing it; 0A000 it belongs to
  // another database; an engine error leaves it prepared.
  void Finish(const std::string& gid, bool commit, uint32_t database);

  std::vector<PreparedXactInfo> List();
  // How many prepared transactions belong to `database` (DROP DATABASE refuses them).
  int CountInDatabase(uint32_t database);

 private:
  struct Entry {
    enum class State { kPreparing, kReady, kFinishing } state = State::kPreparing;
    PreparedXactInfo info;
    LockOwner owner = 0;
    bool validator_registered = false;
    uint64_t validator_seq = 0;
  };
  void Load();
  void Forget(const std::string& gid);

  Engine* engine_;
  LockManager* locks_;
  SerializableValidator* validator_;
  int max_prepared_;
  Catalog* catalog_;
  std::mutex mu_;
  std::map<std::string, Entry> entries_;  // GUARDED_BY(mu_)
  uint64_t next_xid_ = 1000;              // GUARDED_BY(mu_)
};

}  // namespace activestore::storage
