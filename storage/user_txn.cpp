#include "storage/user_txn.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/metrics.h"

namespace activestore::storage {

namespace {
// Storage tables of user data ("t<oid>_...", "i<oid>_..."), locked by TableStore per row.
bool IsUserDataTable(std::string_view table) {
  return table.size() >= 2 && (table[0] == 't' || table[0] == 'i') && table[1] >= '0' &&
         table[1] <= '9';
}
}  // namespace

std::string SystemRowLockKey(std::string_view table, std::string_view key) {
  std::string k(table);
  k.push_back('\0');
  k.append(key);
  return k;
}

void UserTransaction::LockSystemWrite(std::string_view table, std::string_view key) {
  if (IsUserDataTable(table)) return;
  LockRow(0, SystemRowLockKey(table, key), RowLockMode::kUpdate);
}

UserTransaction::UserTransaction(std::unique_ptr<Transaction> inner, LockManager* locks,
                                 LockOwner owner, const WaitPolicy* policy,
                                 SerializableValidator* validator, bool serializable,
                                 bool track_writes, bool read_only, uint64_t ssi_id)
    : inner_(std::move(inner)),
      locks_(locks),
      owner_(owner),
      policy_(policy),
      validator_(validator),
      serializable_(serializable),
      track_writes_(track_writes) {
  if (serializable_ && validator_ != nullptr) {
    ssi_id_ = ssi_id != 0 ? ssi_id : validator_->Begin(true, read_only);
  } else if (ssi_id != 0 && validator_ != nullptr) {
    validator_->End(ssi_id);
  }
}

UserTransaction::~UserTransaction() {
  if (!ended_) {
    try {
      Rollback();
    } catch (const std::exception& e) {
      spdlog::error("rollback of a transaction failed: {}", e.what());
    }
  }
  // Locks go last: a wrapper (CatalogTxn) publishes the catalog changes of the commit after
  // the storage commit, and a waiter must not run before it sees them. A prepared
  // transaction's locks stay with it.
  if (!prepared_) locks_->ReleaseAll(owner_);
}

std::optional<std::string> UserTransaction::Get(std::string_view table, std::string_view key) {
  if (ssi_id_ != 0) validator_->OnRead(ssi_id_, table, key);
  return inner_->Get(table, key);
}

void UserTransaction::RecordWrite(std::string_view table, std::string_view key) {
  wrote_any_ = true;
  if (track_writes_) written_.emplace_back(table, key);
}

void UserTransaction::RememberPrevious(std::string_view table, std::string_view key) {
  if (marks_.empty()) return;
  undo_.push_back(Undo{std::string(table), std::string(key), inner_->Get(table, key)});
}

void UserTransaction::Insert(std::string_view table, std::string_view key, std::string_view value) {
  LockSystemWrite(table, key);
  // Before the engine's uniqueness check, as PostgreSQL's _bt_check_unique checks for
  // rw-conflicts before it reports a duplicate.
  if (ssi_id_ != 0) validator_->OnWrite(ssi_id_, table, key);
  inner_->Insert(table, key, value);  // 23505 leaves nothing to undo
  if (!marks_.empty()) undo_.push_back(Undo{std::string(table), std::string(key), std::nullopt});
  RecordWrite(table, key);
}

void UserTransaction::Put(std::string_view table, std::string_view key, std::string_view value) {
  LockSystemWrite(table, key);
  RememberPrevious(table, key);
  inner_->Put(table, key, value);
  // After the engine write, as PostgreSQL's heap_update checks for rw-conflicts once the
  // update can go ahead: a row changed by a transaction that committed after the snapshot is
  // "could not serialize access due to concurrent update" first.
  if (ssi_id_ != 0) validator_->OnWrite(ssi_id_, table, key);
  RecordWrite(table, key);
}

bool UserTransaction::Delete(std::string_view table, std::string_view key) {
  LockSystemWrite(table, key);
  RememberPrevious(table, key);
  bool found = inner_->Delete(table, key);
  if (!found && !marks_.empty()) undo_.pop_back();
  if (ssi_id_ != 0) validator_->OnWrite(ssi_id_, table, key);  // as in Put
  if (found) RecordWrite(table, key);
  return found;
}

std::unique_ptr<Cursor> UserTransaction::Scan(std::string_view table, std::string_view lower,
                                              std::string_view upper) {
  if (ssi_id_ != 0) validator_->OnScan(ssi_id_, table, lower, upper);
  return inner_->Scan(table, lower, upper);
}

std::unique_ptr<Cursor> UserTransaction::ScanBackward(std::string_view table,
                                                      std::string_view lower,
                                                      std::string_view upper) {
  if (ssi_id_ != 0) validator_->OnScan(ssi_id_, table, lower, upper);
  return inner_->ScanBackward(table, lower, upper);
}

std::unique_ptr<ReaderGroup> UserTransaction::BeginReaders(size_t n, bool may_move_snapshot) {
  // Readers would not report their reads to SERIALIZABLE's validator (a SERIALIZABLE
  // transaction never moves its snapshot, so it gets none anyway).
  if (ended_ || wrote_any_ || prepared_ || ssi_id_ != 0) return nullptr;
  return storage::BeginReaders(inner_.get(), n, may_move_snapshot);
}

bool UserTransaction::LockRow(uint32_t relation, std::string_view key, RowLockMode mode,
                              const RowLockWait* wait) {
  if (wait == nullptr || (!wait->nowait && !wait->skip_locked && !wait->select_lock)) {
    return locks_->LockRow(owner_, relation, key, mode, *policy_);
  }
  WaitPolicy p = *policy_;
  p.nowait = wait->nowait;
  p.skip_locked = wait->skip_locked && !wait->nowait;
  p.nowait_message = wait->message;
  p.select_lock = wait->select_lock;
  return locks_->LockRow(owner_, relation, key, mode, p);
}

bool UserTransaction::Reserve(std::string_view table, std::string_view key) {
  bool reserved = inner_->Reserve(table, key);
  if (reserved && !marks_.empty()) {
    undo_.push_back(Undo{std::string(table), std::string(key), std::nullopt, true});
  }
  return reserved;
}

void UserTransaction::LockRelation(uint32_t relation, LockMode mode, const char* nowait_name) {
  if (nowait_name == nullptr) {
    locks_->LockTable(owner_, 0, relation, mode, *policy_);
    return;
  }
  WaitPolicy p = *policy_;
  p.nowait = true;
  p.nowait_message = fmt::format("could not obtain lock on relation \"{}\"", nowait_name);
  locks_->LockTable(owner_, 0, relation, mode, p);
}

size_t UserTransaction::Savepoint() {
  marks_.push_back(Mark{undo_.size(), locks_->Mark(owner_)});
  return marks_.size() - 1;
}

void UserTransaction::RollbackTo(size_t mark) {
  if (mark >= marks_.size()) {
    Throw(SqlState::kInternalError, "savepoint mark {} out of range", mark);
  }
  Mark m = marks_[mark];
  // The locks taken since the savepoint go, as in PostgreSQL, except where the engine
  // transaction still carries an update of the row (restored, but ours until the end, so a
  // writer let in now would only meet it in the engine as a conflict): a row written or
  // reserved since keeps a FOR SHARE lock, which lets FOR KEY SHARE and FOR SHARE lockers in
  // and keeps writers waiting, and the table locks stay.
  for (size_t i = m.undo; i < undo_.size(); ++i) {
    pinned_rows_.insert(LockManager::RowLockId(undo_[i].key));
    pinned_rows_.insert(LockManager::RowLockId(SystemRowLockKey(undo_[i].table, undo_[i].key)));
  }
  while (undo_.size() > m.undo) {
    Undo u = std::move(undo_.back());
    undo_.pop_back();
    if (u.reserved_only) continue;
    if (u.previous) {
      inner_->Put(u.table, u.key, *u.previous);
    } else {
      inner_->Delete(u.table, u.key);
    }
  }
  locks_->ReleaseSince(owner_, m.locks, [&](const LockTag& tag, uint8_t mode) -> uint8_t {
    if (pinned_rows_.empty()) return 0;
    if (tag.kind == LockKind::kRelation) return mode;
    if (tag.kind != LockKind::kRow || pinned_rows_.count(tag.id) == 0) return 0;
    return std::min(mode, static_cast<uint8_t>(RowLockMode::kShare));
  });
  // The savepoint itself stays (ROLLBACK TO keeps it); later ones go.
  marks_.resize(mark + 1);
  marks_[mark] = Mark{undo_.size(), locks_->Mark(owner_)};
}

void UserTransaction::Release(size_t mark) {
  if (mark >= marks_.size()) return;
  marks_.resize(mark);
  if (marks_.empty()) undo_.clear();
}

void UserTransaction::Commit() {
  if (ended_) Throw(SqlState::kInternalError, "storage transaction already ended");
  bool prepared = false;
  try {
    if (ssi_id_ != 0) {
      validator_->PrepareCommit(ssi_id_);
      prepared = true;
    }
    inner_->Commit();
  } catch (...) {
    if (prepared) validator_->FinishCommit(ssi_id_, false);
    try {
      inner_->Rollback();
    } catch (...) {
    }
    End();
    metrics::ProcessMetrics().rollbacks.Add();
    throw;
  }
  if (prepared) validator_->FinishCommit(ssi_id_, true);
  End();
  metrics::ProcessMetrics().commits.Add();
}

PreparedState UserTransaction::Prepare() {
  if (ended_) Throw(SqlState::kInternalError, "storage transaction already ended");
  if (!track_writes_) Throw(SqlState::kInternalError, "transaction does not track its writes");
  PreparedState out;
  out.owner = owner_;
  out.serializable = serializable_;
  try {
    // Savepoint rollbacks restore rows without RecordWrite, so a key may now hold its old
    // value (or be absent again): its final state is what the engine transaction shows.
    std::sort(written_.begin(), written_.end());
    written_.erase(std::unique(written_.begin(), written_.end()), written_.end());
    out.writes.reserve(written_.size());
    for (auto& [table, key] : written_) {
      std::optional<std::string> value = inner_->Get(table, key);
      out.writes.push_back(RedoWrite{std::move(table), std::move(key), std::move(value)});
    }
    written_.clear();
    if (ssi_id_ != 0) {
      validator_->PrepareCommit(ssi_id_);
      out.validator_seq = ssi_id_;
      out.validator_registered = true;
    }
  } catch (...) {
    Rollback();
    throw;
  }
  try {
    inner_->Rollback();
  } catch (...) {
    if (out.validator_registered) validator_->FinishCommit(out.validator_seq, false);
    End();
    throw;
  }
  End();
  out.locks = locks_->Held(owner_);
  prepared_ = true;
  return out;
}

void UserTransaction::Rollback() {
  if (ended_) return;
  inner_->Rollback();
  End();
  metrics::ProcessMetrics().rollbacks.Add();
}

void UserTransaction::End() {
  ended_ = true;
  if (ssi_id_ != 0) validator_->End(ssi_id_);
}

}  // namespace activestore::storage
