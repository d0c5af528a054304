#include "storage/wiredtiger/wt_engine.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include <wiredtiger.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <unordered_map>
#include <unordered_set>

#include "common/error.h"
#include "storage/encryption.h"
#include "storage/replication.h"
#include "storage/wiredtiger/wt_encryptor.h"

namespace activestore::storage::wiredtiger {

// Hashes std::string keys and std::string_view look-ups alike (no key built per look-up).
struct NameHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using CursorCache =
    std::unordered_map<std::string, std::vector<WT_CURSOR*>, NameHash, std::equal_to<>>;

// A WT_SESSION with its cached cursors. Used by one thread at a time (the borrower).
struct PooledSession {
  WT_SESSION* session = nullptr;
  uint64_t epoch = 0;
  // The isolation the session's transactions default to (WT_SESSION::reconfigure), so that
  // Begin passes no configuration string to parse: -1 not set yet, else an Isolation.
  int isolation = -1;
  // Idle cursors by table name: plain ones, and overwrite=false ones (the writing cursors).
  CursorCache cursors, strict_cursors;

  CursorCache& Cache(bool strict) { return strict ? strict_cursors : cursors; }
  void CloseCursors() {
    for (CursorCache* cache : {&cursors, &strict_cursors}) {
      for (auto& [name, list] : *cache) {
        for (WT_CURSOR* c : list) c->close(c);
      }
      cache->clear();
    }
  }
};

namespace {

// WT_SESSION::open_cursor, retried while it fails with EBUSY: WtEngine::RecompactPages holds
// the table's handle exclusively for a moment (other openers wait for most of it, but fail
// during WiredTiger's upgrade step).
int OpenCursor(WT_SESSION* s, const std::string& uri, const char* config, WT_CURSOR** c) {
  for (int attempt = 0;; ++attempt) {
    int ret = s->open_cursor(s, uri.c_str(), nullptr, config, c);
    if (ret != EBUSY || attempt == 2000) return ret;
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
}

// The one place WiredTiger error codes become Errors.
Error WtError(int ret, std::string_view context) {
  switch (ret) {
    case WT_ROLLBACK:
      return WriteConflictError();
    case WT_CACHE_FULL:
      return std::move(Error(SqlState::kOutOfMemory, "out of memory")
                           .Detail("The storage cache stayed full of changes that cannot be "
                                   "evicted yet.")
                           .Hint("Split large transactions, or raise cache_size."));
    case WT_DUPLICATE_KEY:
      return Error(SqlState::kUniqueViolation, "duplicate key value violates unique constraint");
    case ENOSPC:
      return std::move(Error(SqlState::kDiskFull, fmt::format("could not write to storage: {}",
                                                              wiredtiger_strerror(ret)))
                           .Hint("Check free disk space."));
    default:
      return Error(SqlState::kInternalError,
                   fmt::format("storage error in {}: {}", context, wiredtiger_strerror(ret)));
  }
}

[[noreturn]] void ThrowWt(int ret, std::string_view context) { throw WtError(ret, context); }

// A write refused while the file system is below the reserve (StorageOptions::disk_reserve_mb).
[[noreturn]] void ThrowBelowReserve() {
  Error e = WtError(ENOSPC, "write");
  e.Detail("The data directory's file system has less free space than disk_reserve_mb.");
  throw e;
}

void CheckTableName(std::string_view name) {
  bool ok = !name.empty();
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) ok = false;
  }
  if (!ok) Throw(SqlState::kInternalError, "invalid storage table name \"{}\"", name);
}

std::string Uri(std::string_view name) { return "table:" + std::string(name); }

WT_ITEM Item(std::string_view s) {
  WT_ITEM item;
  std::memset(&item, 0, sizeof(item));
  item.data = s.data();
  item.size = s.size();
  return item;
}

int HandleError(WT_EVENT_HANDLER*, WT_SESSION*, int error, const char* message) {
  if (error == WT_PANIC) {
    // Fail-stop: after a panic (a failed write or fsync among them) WiredTiger answers every
    // call with WT_PANIC and nothing may be acknowledged any more. Exit at once, without
    // destructors or a final checkpoint, so that a supervisor restarts the server and recovery
    // replays the log: every commit acknowledged before is in it.
    spdlog::critical(
        "wiredtiger panic: {}; the server stops now (exit code {}) and must be "
        "restarted to recover",
        message, kPanicExitCode);
    spdlog::shutdown();
    std::_Exit(kPanicExitCode);
  }
  // EBUSY is expected while a drop waits for cursors to close; it is retried.
  if (error == EBUSY) {
    spdlog::debug("wiredtiger: {}", message);
  } else {
    spdlog::error("wiredtiger: {}", message);
  }
  return 0;
}

int HandleMessage(WT_EVENT_HANDLER*, WT_SESSION*, const char* message) {
  spdlog::info("wiredtiger: {}", message);
  return 0;
}

WT_EVENT_HANDLER kEventHandler = {HandleError, HandleMessage, nullptr, nullptr};

}  // namespace

// ---------------------------------------------------------------------------------------------
// Cursor and transaction.

class WtTransaction final : public Transaction, public ParallelReadable {
 public:
  WtTransaction(WtEngine* engine, PooledSession* ps, bool snapshot, bool bookkeeping = false)
      : engine_(engine), ps_(ps), snapshot_(snapshot), bookkeeping_(bookkeeping) {}
  ~WtTransaction() override {
    if (ps_ != nullptr) End(false);
  }

  std::optional<std::string> Get(std::string_view table, std::string_view key) override;
  void Insert(std::string_view table, std::string_view key, std::string_view value) override;
  void Put(std::string_view table, std::string_view key, std::string_view value) override;
  bool Delete(std::string_view table, std::string_view key) override;
  std::unique_ptr<Cursor> Scan(std::string_view table, std::string_view lower,
                               std::string_view upper) override;
  std::unique_ptr<Cursor> ScanBackward(std::string_view table, std::string_view lower,
                                       std::string_view upper) override;
  bool Reserve(std::string_view table, std::string_view key) override;
  std::optional<std::string> GetCommitted(std::string_view table, std::string_view key) override {
    std::unique_ptr<Transaction> t = engine_->Begin(Isolation::kReadCommitted);
    t->SetReadFence(fence_);
    std::optional<std::string> value = t->Get(table, key);
    t->Rollback();
    return value;
  }
  std::unique_ptr<ReaderGroup> BeginReaders(size_t n, bool may_move_snapshot) override;
  void SetReadFence(ReadFence* fence) override { fence_ = fence; }
  void Commit() override;
  void Rollback() override {
    if (ps_ != nullptr) End(false);
  }

  // Cursor cache of the borrowed session.
  WT_CURSOR* TakeCursor(std::string_view table, bool strict);
  void ReturnCursor(WT_CURSOR* c, std::string_view table, bool strict);
  // A scan cursor going away before the transaction ends.
  void Unregister(WtCursor* c) { scans_.erase(c); }
  // Throws the mapped error; on WT_ROLLBACK the transaction is rolled back first.
  [[noreturn]] void Fail(int ret, std::string_view context);
  void CheckActive() const;
  // Group commit: records in the read fence the newest commit not yet durable that wrote `key`
  // of `table` (or all of it), or anything of `table`. Cheap while nothing is pending.
  void ObserveKey(std::string_view table, std::string_view key) {
    GroupCommit* g = engine_->group_.get();
    if (fence_ == nullptr || g == nullptr || !g->AnyPending()) return;
    if (uint64_t t = g->PendingKey(table, key)) fence_->Observe(t);
  }
  GroupCommit* group() const { return engine_->group_.get(); }
  void ObserveTable(std::string_view table) {
    GroupCommit* g = engine_->group_.get();
    if (fence_ == nullptr || g == nullptr || !g->AnyPending()) return;
    if (uint64_t t = g->PendingTable(table)) fence_->Observe(t);
  }

 private:
  friend class WtEngine;
  friend class KeptReaders;
  // Ends the transaction (commit or rollback) and returns the session to the pool.
  int End(bool commit);
  // Begins readers on a fresh shared snapshot (see BeginReaders).
  std::unique_ptr<ReaderGroup> BeginSharedSnapshot(size_t n);
  // Before a write of `key` of `table`: a write of a shard table fails with 53100 while the disk
  // is below the reserve (system tables stay writable, so DROP TABLE can free space). Records
  // the key for group commit, or that a system table was written.
  void NoteWrite(std::string_view table, std::string_view key);
  // After an insert into `table`: counts it if it is a shard table.
  void CountInsert(std::string_view table);
  // Appends an operation entry for a write of `table` to its shard's log (storage/shard_log.h).
  void LogWrite(LogOpKind kind, std::string_view table, std::string_view key,
                std::string_view value);
  // At commit: writes the commit entries with `lsn`. Returns a WiredTiger error code.
  int LogCommitEntries(uint64_t lsn);

  WtEngine* engine_;
  PooledSession* ps_;       // null once ended
  const bool snapshot_;     // isolation=snapshot (else read-committed)
  const bool bookkeeping_;  // Engine::BeginBookkeeping: ignores the cache size, no sync
  bool aborted_ = false;    // a conflict rolled the WiredTiger transaction back
  bool wt_ended_ = false;   // the WiredTiger transaction is over (the session is still ours)
  bool touched_ = false;    // a cursor was used: the snapshot has been read
  bool wrote_ = false;      // something was written (or reserved)
  // Snapshot isolation: the readers of the first parallel statement, on this transaction's
  // snapshot, kept for its later statements (until it writes); in use by one group at a time.
  std::vector<std::unique_ptr<WtTransaction>> kept_;
  bool kept_in_use_ = false;
  bool shared_ = false;  // a snapshot was shared with readers: never again for this transaction
  std::unordered_set<WtCursor*> scans_;
  // The shard log: the txn id of this transaction's operation entries (0: none yet), the next
  // entry's sequence, and each log written with its number of operations.
  uint64_t log_txn_ = 0;
  uint32_t log_seq_ = 0;
  // A replica applying a primary transaction (WtEngine::ApplyReplicated): its LSN for the
  // commit entries (log_txn_ is the primary's txn id); may write in recovery; no log sync.
  uint64_t apply_lsn_ = 0;
  uint64_t apply_epoch_ = 0;  // the primary's epoch of the commit applied
  bool wrote_data_ = false;   // a shard table was written (refused at commit below the reserve)
  // Group commit: a table other than shard tables and logs was written (the commit then syncs
  // on its own: durable before visible), and the shard tables' keys written.
  bool wrote_system_ = false;
  WriteSet writes_;
  ReadFence* fence_ = nullptr;  // the session's (SetReadFence); readers share their leader's
  // Rows inserted per shard table (for WtEngine::NoteInserted at commit); the last one used.
  std::vector<std::pair<std::string, uint64_t>> inserted_;
  size_t last_inserted_ = 0;
  std::vector<std::pair<std::string, uint32_t>> logs_;
  std::string last_logged_table_;  // the last table LogWrite logged, whose log is logs_[last_log_]
  size_t last_log_ = 0;
};

// The readers kept by a snapshot transaction, lent to one statement's workers.
class KeptReaders final : public ReaderGroup {
 public:
  KeptReaders(WtTransaction* leader, size_t n) : leader_(leader) {
    leader->kept_in_use_ = true;
    for (size_t i = 0; i < n && i < leader->kept_.size(); ++i) {
      readers_.push_back(leader->kept_[i].get());
    }
  }
  ~KeptReaders() override { leader_->kept_in_use_ = false; }

 private:
  WtTransaction* leader_;
};

// Readers of one statement of a read-committed transaction, ended with the group.
class OwnedReaders final : public ReaderGroup {
 public:
  explicit OwnedReaders(std::vector<std::unique_ptr<WtTransaction>> txns) : txns_(std::move(txns)) {
    for (auto& t : txns_) readers_.push_back(t.get());
  }

 private:
  std::vector<std::unique_ptr<WtTransaction>> txns_;
};

class WtCursor final : public Cursor {
 public:
  WtCursor(WtTransaction* txn, std::string table, WT_CURSOR* c, std::string_view lower,
           std::string_view upper, bool backward = false)
      : txn_(txn),
        table_(std::move(table)),
        c_(c),
        lower_(lower),
        upper_(upper),
        backward_(backward),
        group_(txn->group()),
        seen_ticket_(group_ != nullptr ? group_->last_ticket() : 0) {}
  ~WtCursor() override {
    if (txn_ != nullptr) {
      txn_->Unregister(this);
      Detach();
    }
  }

  bool Next() override {
    if (txn_ == nullptr) {
      Throw(SqlState::kInternalError, "scan used after its transaction ended");
    }
    txn_->CheckActive();
    if (done_) return false;
    if (backward_) return Prev();
    int ret;
    if (!started_) {
      started_ = true;
      if (lower_.empty()) {
        ret = c_->next(c_);
      } else {
        WT_ITEM k = Item(lower_);
        c_->set_key(c_, &k);
        int exact = 0;
        ret = c_->search_near(c_, &exact);
        if (ret == 0 && exact < 0) ret = c_->next(c_);
      }
    } else {
      ret = c_->next(c_);
    }
    if (!Land(ret)) return false;
    if (!upper_.empty() && key_ >= std::string_view(upper_)) {
      done_ = true;
      return false;
    }
    return true;
  }
  std::string_view key() const override { return key_; }
  std::string_view value() const override { return value_; }

  // After a cursor step that returned `ret`: false at the end of the table (an error throws),
  // else the positioned key and value are taken. A positioned file cursor (tables are simple:
  // "table:" opens the file cursor) holds them in WT_CURSOR::key/value (flags KEY_INT/VALUE_INT
  // after next/prev/search_near); with key_format=u,value_format=u, get_key/get_value would only
  // copy these items after parsing the format and entering the session API (about a fifth of a
  // count(*)). Each field is read on its own: WiredTiger has just stored them one by one, and
  // copying the WT_ITEMs whole (16-byte loads over two 8-byte stores) stalled on store
  // forwarding.
  bool Land(int ret) {
    if (ret == WT_NOTFOUND) {
      done_ = true;
      return false;
    }
    if (ret != 0) txn_->Fail(ret, "scan");
    key_ = {static_cast<const char*>(c_->key.data), c_->key.size};
    value_ = {static_cast<const char*>(c_->value.data), c_->value.size};
    // A commit registered since the scan last looked may be among the rows it reads now (its
    // registration came before it was visible): look at the table's pending commits again.
    if (group_ != nullptr && group_->last_ticket() != seen_ticket_) {
      seen_ticket_ = group_->last_ticket();
      txn_->ObserveTable(table_);
    }
    return true;
  }

  // Next() of a backward cursor: WT_CURSOR::prev from the last key below upper_ (or from the
  // end), until a key below lower_.
  bool Prev() {
    int ret;
    if (!started_) {
      started_ = true;
      if (upper_.empty()) {
        ret = c_->prev(c_);
      } else {
        WT_ITEM k = Item(upper_);
        c_->set_key(c_, &k);
        int exact = 0;
        ret = c_->search_near(c_, &exact);
        if (ret == 0 && exact >= 0) ret = c_->prev(c_);
        // search_near may land on any nearby key: step back past every key >= upper.
        while (ret == 0 && std::string_view(static_cast<const char*>(c_->key.data), c_->key.size) >=
                               std::string_view(upper_)) {
          ret = c_->prev(c_);
        }
      }
    } else {
      ret = c_->prev(c_);
    }
    if (!Land(ret)) return false;
    if (key_ < std::string_view(lower_)) {
      done_ = true;
      return false;
    }
    return true;
  }

  // Gives the WT_CURSOR back to the session's cache; the cursor is dead afterwards.
  void Detach() {
    txn_->ReturnCursor(c_, table_, false);
    txn_ = nullptr;
    c_ = nullptr;
  }

 private:
  WtTransaction* txn_;
  std::string table_;
  WT_CURSOR* c_;
  std::string lower_, upper_;
  bool backward_ = false;
  bool started_ = false, done_ = false;
  std::string_view key_, value_;  // the positioned cursor's items
  GroupCommit* group_;            // the engine's (null: no group commit)
  uint64_t seen_ticket_;          // group_->last_ticket() when the scan last looked
};

void WtTransaction::CheckActive() const {
  if (aborted_) {
    Throw(SqlState::kInFailedSqlTransaction,
          "current transaction is aborted, commands ignored until end of transaction block");
  }
  if (ps_ == nullptr) Throw(SqlState::kInternalError, "storage transaction already ended");
}

void WtTransaction::Fail(int ret, std::string_view context) {
  Error e = WtError(ret, context);
  if (ret == WT_ROLLBACK && engine_->CacheRollbackSeen()) {
    // WiredTiger 3.2 cannot evict a running transaction's changes; when they fill the cache
    // it rolls back the oldest transaction, which is then most likely this one.
    e = std::move(Error(SqlState::kOutOfMemory, "out of memory")
                      .Detail("The transaction's changes do not fit in the storage cache.")
                      .Hint("Split the work into smaller transactions, or raise cache_size."));
  }
  if (ret == WT_ROLLBACK && ps_ != nullptr && !wt_ended_) {
    // WiredTiger requires the rollback now; the session stays borrowed (its cursors are reset
    // by the rollback) until the owner calls Rollback() or destroys the transaction.
    int r = ps_->session->rollback_transaction(ps_->session, nullptr);
    if (r != 0) spdlog::error("wiredtiger: rollback failed: {}", wiredtiger_strerror(r));
    wt_ended_ = true;
    aborted_ = true;
  }
  throw e;
}

WT_CURSOR* WtTransaction::TakeCursor(std::string_view table, bool strict) {
  CheckActive();
  touched_ = true;
  if (strict) wrote_ = true;  // overwrite=false cursors are the writing ones
  CursorCache& cache = ps_->Cache(strict);
  auto it = cache.find(table);
  if (it != cache.end() && !it->second.empty()) {
    WT_CURSOR* c = it->second.back();
    it->second.pop_back();
    return c;
  }
  CheckTableName(table);
  WT_CURSOR* c = nullptr;
  int ret = OpenCursor(ps_->session, Uri(table), strict ? "overwrite=false" : nullptr, &c);
  if (ret == ENOENT || ret == WT_NOTFOUND) {
    Throw(SqlState::kInternalError, "storage table \"{}\" does not exist", table);
  }
  if (ret != 0) Fail(ret, "open_cursor");
  return c;
}

void WtTransaction::ReturnCursor(WT_CURSOR* c, std::string_view table, bool strict) {
  if (ps_ == nullptr) {
    return;  // the session already went back to the pool with its cursors reset
  }
  c->reset(c);
  CursorCache& cache = ps_->Cache(strict);
  auto it = cache.find(table);
  if (it == cache.end()) it = cache.emplace(std::string(table), std::vector<WT_CURSOR*>{}).first;
  it->second.push_back(c);
}

// Returns the borrowed cursor to the cache on every exit path.
class CursorLease {
 public:
  CursorLease(WtTransaction* txn, std::string_view table, bool strict)
      : txn_(txn), table_(table), strict_(strict), c_(txn->TakeCursor(table, strict)) {}
  ~CursorLease() { txn_->ReturnCursor(c_, table_, strict_); }
  WT_CURSOR* operator->() const { return c_; }
  WT_CURSOR* get() const { return c_; }

 private:
  WtTransaction* txn_;
  std::string_view table_;
  bool strict_;
  WT_CURSOR* c_;
};

std::optional<std::string> WtTransaction::Get(std::string_view table, std::string_view key) {
  CursorLease c(this, table, false);
  WT_ITEM k = Item(key);
  c->set_key(c.get(), &k);
  int ret = c->search(c.get());
  ObserveKey(table, key);
  if (ret == WT_NOTFOUND) return std::nullopt;
  WT_ITEM v{};
  if (ret == 0) ret = c->get_value(c.get(), &v);
  if (ret != 0) Fail(ret, "search");
  return std::string(static_cast<const char*>(v.data), v.size);
}

void WtTransaction::Insert(std::string_view table, std::string_view key, std::string_view value) {
  NoteWrite(table, key);
  CursorLease c(this, table, true);
  WT_ITEM k = Item(key), v = Item(value);
  c->set_key(c.get(), &k);
  c->set_value(c.get(), &v);
  int ret = c->insert(c.get());
  if (ret != 0) {
    ObserveKey(table, key);  // a duplicate key or a conflict tells of the other commit
    Fail(ret, "insert");
  }
  CountInsert(table);
  LogWrite(LogOpKind::kPut, table, key, value);
}

void WtTransaction::Put(std::string_view table, std::string_view key, std::string_view value) {
  NoteWrite(table, key);
  wrote_ = true;
  CursorLease c(this, table, false);
  WT_ITEM k = Item(key), v = Item(value);
  c->set_key(c.get(), &k);
  c->set_value(c.get(), &v);
  int ret = c->insert(c.get());
  if (ret != 0) Fail(ret, "insert");
  LogWrite(LogOpKind::kPut, table, key, value);
}

bool WtTransaction::Reserve(std::string_view table, std::string_view key) {
  if (!snapshot_) return false;
  // WT_CURSOR::reserve runs the update conflict check of a write without writing: a version
  // newer than the snapshot (or one being written) fails it with WT_ROLLBACK -> 40001.
  CursorLease c(this, table, true);
  WT_ITEM k = Item(key);
  c->set_key(c.get(), &k);
  int ret = c->reserve(c.get());
  ObserveKey(table, key);
  if (ret == WT_NOTFOUND) return false;
  if (ret != 0) Fail(ret, "reserve");
  return true;
}

bool WtTransaction::Delete(std::string_view table, std::string_view key) {
  NoteWrite(table, key);
  CursorLease c(this, table, true);
  WT_ITEM k = Item(key);
  c->set_key(c.get(), &k);
  int ret = c->remove(c.get());
  ObserveKey(table, key);
  if (ret == WT_NOTFOUND) return false;
  if (ret != 0) Fail(ret, "remove");
  LogWrite(LogOpKind::kDelete, table, key, {});
  return true;
}

void WtTransaction::NoteWrite(std::string_view table, std::string_view key) {
  // The log's own maintenance (TruncateLog) goes on in recovery.
  if (apply_lsn_ == 0 && engine_->recovery_.load(std::memory_order_relaxed) &&
      !table.starts_with(kLogTablePrefix)) {
    // The SQL layer refuses writes on a replica first, with PostgreSQL's messages.
    Throw(SqlState::kReadOnlySqlTransaction, "cannot write to storage during recovery");
  }
  if (!ShardOfTable(table)) {
    // System tables stay writable: DROP TABLE frees space.
    if (!table.starts_with(kLogTablePrefix)) wrote_system_ = true;
    return;
  }
  if (engine_->below_reserve_.load(std::memory_order_relaxed)) ThrowBelowReserve();
  wrote_data_ = true;
  if (engine_->group_ != nullptr && !wrote_system_) writes_.Add(table, key);
}

void WtTransaction::CountInsert(std::string_view table) {
  if (inserted_.empty() || inserted_[last_inserted_].first != table) {
    if (!ShardOfTable(table)) return;
    auto it = std::find_if(inserted_.begin(), inserted_.end(),
                           [&](const auto& t) { return t.first == table; });
    if (it == inserted_.end()) it = inserted_.insert(it, {std::string(table), 0});
    last_inserted_ = static_cast<size_t>(it - inserted_.begin());
  }
  ++inserted_[last_inserted_].second;
}

void WtTransaction::LogWrite(LogOpKind kind, std::string_view table, std::string_view key,
                             std::string_view value) {
  if (!engine_->shard_log_) return;
  if (table != last_logged_table_) {
    // A bulk write goes to a few tables over and over: the log is looked up once per run.
    std::optional<std::string> log = LogTableFor(table);
    if (!log) return;
    auto it =
        std::find_if(logs_.begin(), logs_.end(), [&](const auto& l) { return l.first == *log; });
    if (it == logs_.end()) it = logs_.insert(logs_.end(), {*log, 0});
    last_logged_table_ = table;
    last_log_ = static_cast<size_t>(it - logs_.begin());
  }
  if (log_txn_ == 0) log_txn_ = engine_->clock_.Next();
  auto& [log, ops] = logs_[last_log_];
  ++ops;
  const std::string k = LogOpKey(log_txn_, log_seq_++);
  const std::string v = LogOpValue(kind, table, key, value);
  CursorLease c(this, log, false);
  WT_ITEM ki = Item(k), vi = Item(v);
  c->set_key(c.get(), &ki);
  c->set_value(c.get(), &vi);
  int ret = c->insert(c.get());
  if (ret != 0) Fail(ret, "log insert");
}

int WtTransaction::LogCommitEntries(uint64_t lsn) {
  int ret = 0;
  try {
    for (const auto& [log, ops] : logs_) {
      LogCommit commit;
      commit.lsn = lsn;
      commit.epoch = apply_lsn_ != 0 ? apply_epoch_ : engine_->epoch_.load();
      commit.txn = log_txn_;
      commit.op_count = ops;
      const std::string k = LogCommitKey(lsn);
      const std::string v = LogCommitValue(commit);
      CursorLease c(this, log, false);
      WT_ITEM ki = Item(k), vi = Item(v);
      c->set_key(c.get(), &ki);
      c->set_value(c.get(), &vi);
      ret = c->insert(c.get());
      if (ret != 0) break;
    }
  } catch (const std::exception& e) {
    spdlog::error("shard log: cannot write a commit entry: {}", e.what());
    ret = WT_ERROR;
  }
  return ret;
}

std::unique_ptr<Cursor> WtTransaction::Scan(std::string_view table, std::string_view lower,
                                            std::string_view upper) {
  WT_CURSOR* c = TakeCursor(table, false);
  auto cursor = std::make_unique<WtCursor>(this, std::string(table), c, lower, upper);
  scans_.insert(cursor.get());
  ObserveTable(table);
  return cursor;
}

std::unique_ptr<Cursor> WtTransaction::ScanBackward(std::string_view table, std::string_view lower,
                                                    std::string_view upper) {
  WT_CURSOR* c = TakeCursor(table, false);
  auto cursor =
      std::make_unique<WtCursor>(this, std::string(table), c, lower, upper, /*backward=*/true);
  scans_.insert(cursor.get());
  ObserveTable(table);
  return cursor;
}

std::unique_ptr<ReaderGroup> WtTransaction::BeginReaders(size_t n, bool may_move_snapshot) {
  if (n == 0 || ps_ == nullptr || aborted_ || wt_ended_ || wrote_) return nullptr;
  if (shared_) {
    // A later statement of a snapshot transaction: its readers are still on its snapshot.
    if (kept_.empty() || kept_in_use_) return nullptr;
    return std::make_unique<KeptReaders>(this, n);
  }
  // A snapshot transaction that has read something keeps the snapshot it read (no reader can
  // join it), and so does one whose snapshot an earlier statement relies on (REPEATABLE READ
  // takes it at the first statement); a read-committed one reads the newest data anyway.
  if (snapshot_ && (touched_ || !may_move_snapshot)) return nullptr;
  return BeginSharedSnapshot(n);
}

std::unique_ptr<ReaderGroup> WtTransaction::BeginSharedSnapshot(size_t n) {
  std::vector<std::unique_ptr<WtTransaction>> readers;
  readers.push_back(engine_->BeginReader("isolation=snapshot"));
  readers[0]->fence_ = fence_;
  WT_SESSION* first = readers[0]->ps_->session;
  const std::string name = fmt::format("as_parallel_{}", engine_->snapshot_names_.fetch_add(1));
  // The first reader's snapshot gets a name (which makes that transaction read-only).
  int ret = first->snapshot(first, ("name=" + name).c_str());
  if (ret != 0) {
    spdlog::warn("wiredtiger: cannot name a snapshot for parallel readers: {}",
                 wiredtiger_strerror(ret));
    return nullptr;
  }
  const std::string config = "isolation=snapshot,snapshot=" + name;
  struct DropName {
    WT_SESSION* s;
    std::string drop;
    ~DropName() {
      int r = s->snapshot(s, drop.c_str());
      if (r != 0)
        spdlog::error("wiredtiger: cannot drop a named snapshot: {}", wiredtiger_strerror(r));
    }
  } drop_name{first, "drop=(names=[" + name + "])"};
  for (size_t i = 1; i < n; ++i) {
    readers.push_back(engine_->BeginReader(config));
    readers.back()->fence_ = fence_;
  }
  if (!snapshot_) return std::make_unique<OwnedReaders>(std::move(readers));
  // The leader has read nothing yet: it begins again on the shared snapshot (copied exactly,
  // and writable: a named snapshot without include_updates leaves its users writable).
  WT_SESSION* s = ps_->session;
  ret = s->rollback_transaction(s, nullptr);
  if (ret == 0) ret = s->begin_transaction(s, config.c_str());
  if (ret != 0) {
    wt_ended_ = true;
    aborted_ = true;
    ThrowWt(ret, "begin_transaction");
  }
  shared_ = true;
  kept_ = std::move(readers);
  return std::make_unique<KeptReaders>(this, n);
}

void WtTransaction::Commit() {
  CheckActive();
  int ret = End(true);
  if (ret != 0) {
    // WiredTiger rolled the transaction back.
    throw WtError(ret, "commit");
  }
}

int WtTransaction::End(bool commit) {
  for (WtCursor* c : scans_) c->Detach();
  scans_.clear();
  kept_.clear();  // the readers end (roll back) first
  WT_SESSION* s = ps_->session;
  int ret = 0;
  if (!wt_ended_) {
    uint64_t lsn = 0;
    if (commit && wrote_data_ && engine_->below_reserve_.load(std::memory_order_relaxed)) {
      ret = ENOSPC;  // writes of data were refused since; the commit's own log write is too
    }
    if (ret == 0 && commit && !logs_.empty()) {
      lsn = apply_lsn_ != 0 ? apply_lsn_ : engine_->BeginCommitLsn();
      ret = LogCommitEntries(lsn);
    }
    uint64_t ticket = 0;  // group commit's
    if (ret != 0) {
      s->rollback_transaction(s, nullptr);  // the commit fails with `ret`
    } else if (commit && engine_->group_ != nullptr && wrote_data_ && !wrote_system_ &&
               !bookkeeping_ && apply_lsn_ == 0) {
      // Group commit: registered before it is visible, visible at once, durable (and
      // acknowledged) with the next shared log flush (docs/design/2026-12-07-group-commit.md).
      ticket = engine_->group_->Begin(std::move(writes_));
      ret = s->commit_transaction(s, "sync=off");
      engine_->group_->End(ticket);
    } else if (commit) {
      ret = s->commit_transaction(s, bookkeeping_ || apply_lsn_ != 0 ? "sync=off" : nullptr);
    } else {
      ret = s->rollback_transaction(s, nullptr);
      if (ret != 0) spdlog::error("wiredtiger: rollback failed: {}", wiredtiger_strerror(ret));
    }
    if (ret == 0 && commit && !inserted_.empty()) engine_->NoteInserted(inserted_);
    // Before the LSN is given back: DurableLsn() (what replicas are sent) stays below it.
    if (ret == 0 && ticket != 0) engine_->WaitGroupDurable(ticket);
    if (lsn != 0 && apply_lsn_ == 0) {
      engine_->EndCommitLsn(lsn);
      // What a synchronous commit waits for (the session reads it after COMMIT).
      if (ret == 0 && commit && !bookkeeping_) NoteThreadCommitLsn(lsn);
    }
    wt_ended_ = true;
  }
  PooledSession* ps = ps_;
  ps_ = nullptr;
  if (bookkeeping_) s->reconfigure(s, "ignore_cache_size=false");
  engine_->Release(ps);
  return ret;
}

// ---------------------------------------------------------------------------------------------
// Engine.

std::string WtEngine::ConfigString(const StorageOptions& o) {
  std::string sync;
  if (o.sync_mode == "fsync") {
    sync = "(enabled=true,method=fsync)";
  } else if (o.sync_mode == "periodic" || o.sync_mode == "off") {
    sync = "(enabled=false)";
  } else {
    throw std::move(
        Error(SqlState::kInvalidParameterValue,
              fmt::format("invalid value for parameter \"sync_mode\": \"{}\"", o.sync_mode))
            .Hint("Available values: fsync, periodic, off."));
  }
  return fmt::format(
      "create,config_base=false,cache_size={}M,log=(enabled=true,file_max={}MB,prealloc={}),"
      "transaction_sync={},session_max=1000,statistics=(fast),"
      // Dirty pages: eviction threads write from 20% of the cache; application threads are
      // throttled only from 90%, so that one transaction can use most of the cache (its own
      // changes cannot be evicted before it commits). A thread waiting for room longer than
      // 30 s gets WT_CACHE_FULL (53200) instead of waiting forever.
      "eviction_dirty_target=20,eviction_dirty_trigger=90,eviction_target=80,eviction_trigger=95,"
      "cache_max_wait_ms=30000,"
      // A checkpoint every minute, or after 1 GB of log: recovery after a crash replays only
      // the log since the last one, and older log files are removed.
      "checkpoint=(wait=60,log_size=1GB)",
      o.cache_size_mb, o.log_file_max_mb, o.log_prealloc ? "true" : "false", sync);
}

std::unique_ptr<WtEngine> WtEngine::Open(const StorageOptions& options) {
  std::string config = ConfigString(options);  // validates before touching the disk
  std::unique_ptr<WtEngine> engine(new WtEngine());
  engine->dir_ = DataDir::Open(options.data_dir);
  engine->disk_reserve_bytes_ = options.disk_reserve_mb << 20;
  engine->free_space_probe_ = options.free_space_probe;
  if (engine->disk_reserve_bytes_ > 0) {
    // The reserve file: given back to the file system when space is short at start-up, so that
    // recovery and its checkpoint have room; made again once there is room.
    const std::string reserve = engine->dir_->path() + "/reserve.space";
    const uint64_t reserve_bytes = std::min<uint64_t>(engine->disk_reserve_bytes_ / 2, 64 << 20);
    std::error_code ec;
    const bool exists = std::filesystem::exists(reserve, ec);
    const uint64_t free_bytes = engine->FreeBytes();
    if (exists && free_bytes < engine->disk_reserve_bytes_) {
      std::filesystem::remove(reserve, ec);
      spdlog::warn("storage: less than disk_reserve_mb free; removed {} to make room", reserve);
    } else if (!exists && free_bytes >= engine->disk_reserve_bytes_ + reserve_bytes) {
      int fd = ::open(reserve.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
      if (fd >= 0) {
        if (::posix_fallocate(fd, 0, static_cast<off_t>(reserve_bytes)) != 0) {
          ::close(fd);
          std::filesystem::remove(reserve, ec);
        } else {
          ::fsync(fd);
          ::close(fd);
        }
      }
    }
    engine->CheckFreeSpace();
  }
  // Encryption is settled before WiredTiger reads or writes a block (storage/encryption.h).
  const bool new_directory = !std::filesystem::exists(engine->dir_->wt_path() + "/WiredTiger");
  std::shared_ptr<const Keyring> keyring =
      PrepareEncryption(options.encryption, engine->dir_->path(), new_directory);
  if (keyring != nullptr) config += EncryptionOpenConfig();
  EncryptorOpenScope encryptor_scope(keyring);
  WT_CONNECTION* conn = nullptr;
  int ret = wiredtiger_open(engine->dir_->wt_path().c_str(), &kEventHandler, config.c_str(), &conn);
  if (ret != 0) {
    Error e = WtError(ret, "wiredtiger_open");
    if (e.state() == SqlState::kInternalError) {
      e = Error(SqlState::kIoError, fmt::format("could not open storage in \"{}\": {}",
                                                engine->dir_->wt_path(), wiredtiger_strerror(ret)));
    }
    throw e;
  }
  engine->conn_ = conn;
  engine->shard_log_ = options.shard_log;
  engine->log_keep_seconds_ = options.log_keep_seconds;
  if (engine->shard_log_) engine->OpenLogs();
  engine->log_thread_ = std::thread([e = engine.get()] { e->MaintenanceLoop(); });
  if (options.sync_mode == "periodic") {
    uint32_t period = options.sync_period_ms == 0 ? 1 : options.sync_period_ms;
    engine->sync_thread_ = std::thread([e = engine.get(), period] { e->SyncLoop(period); });
  }
  if (options.sync_mode == "fsync") {
    ret = conn->open_session(conn, nullptr, nullptr, &engine->flush_session_);
    if (ret != 0) {
      // Closing the connection closes every session (the destructor).
      throw WtError(ret, "open the log flush session");
    }
    engine->group_ = std::make_unique<GroupCommit>([e = engine.get()] { return e->FlushLog(); });
  }
  engine->cache_base_mb_ = options.cache_size_mb;
  engine->cache_max_mb_ = options.cache_grow_max_mb;
  if (engine->cache_max_mb_ == 0) {
    long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGESIZE);
    if (pages > 0 && page_size > 0) {
      engine->cache_max_mb_ = static_cast<uint64_t>(pages) * page_size / 2 / (1024 * 1024);
    }
  }
  engine->cache_max_mb_ = std::max(engine->cache_max_mb_, engine->cache_base_mb_);
  if (engine->cache_max_mb_ > engine->cache_base_mb_) {
    engine->cache_thread_ = std::thread([e = engine.get()] { e->CacheLoop(); });
  }
  spdlog::info("storage: wiredtiger opened in \"{}\" (cache {} MB, sync {}, encryption {})",
               engine->dir_->wt_path(), options.cache_size_mb, options.sync_mode,
               keyring == nullptr ? "none" : "aes256, active key " + keyring->active().IdText());
  return engine;
}

WtEngine::~WtEngine() {
  if (log_thread_.joinable()) {
    {
      std::lock_guard lock(log_mu_);
      log_stopping_ = true;
    }
    log_cv_.notify_all();
    log_thread_.join();
  }
  if (cache_thread_.joinable()) {
    {
      std::lock_guard lock(cache_mu_);
      cache_stopping_ = true;
    }
    cache_cv_.notify_all();
    cache_thread_.join();
  }
  if (sync_thread_.joinable()) {
    {
      std::lock_guard lock(sync_mu_);
      stopping_ = true;
    }
    sync_cv_.notify_all();
    sync_thread_.join();
  }
  if (conn_ != nullptr) {
    // Closing the connection closes every session and cursor and makes a final checkpoint.
    int ret = conn_->close(conn_, nullptr);
    if (ret != 0) spdlog::error("wiredtiger: close failed: {}", wiredtiger_strerror(ret));
  }
}

void WtEngine::SyncLoop(uint32_t period_ms) {
  WT_SESSION* s = nullptr;
  if (int ret = conn_->open_session(conn_, nullptr, nullptr, &s); ret != 0) {
    spdlog::error("wiredtiger: cannot open the log sync session: {}", wiredtiger_strerror(ret));
    return;
  }
  std::unique_lock lock(sync_mu_);
  while (!stopping_) {
    sync_cv_.wait_for(lock, std::chrono::milliseconds(period_ms));
    int ret = s->log_flush(s, "sync=on");
    if (ret != 0) spdlog::error("wiredtiger: log flush failed: {}", wiredtiger_strerror(ret));
  }
  s->close(s, nullptr);
}

int WtEngine::FlushLog() { return flush_session_->log_flush(flush_session_, "sync=on"); }

void WtEngine::AwaitDurable(uint64_t ticket) {
  if (group_ == nullptr || ticket == 0 || group_->durable() >= ticket) return;
  read_fence_waits_.fetch_add(1, std::memory_order_relaxed);
  WaitGroupDurable(ticket);
}

void WtEngine::WaitGroupDurable(uint64_t ticket) {
  if (int ret = group_->WaitDurable(ticket); ret != 0) {
    // Commits are visible that the log does not hold: as after WiredTiger's own panic, exit
    // before anything else is acknowledged (PostgreSQL PANICs on a failed WAL flush).
    spdlog::critical("wiredtiger: could not flush the log: {}; the server stops (exit code {})",
                     wiredtiger_strerror(ret), kPanicExitCode);
    spdlog::default_logger()->flush();
    std::_Exit(kPanicExitCode);
  }
}

namespace {

// One statistic of an open "statistics:" cursor; 0 if it is not there.
int64_t StatValue(WT_CURSOR* c, int key) {
  c->set_key(c, key);
  const char* desc = nullptr;
  const char* pvalue = nullptr;
  int64_t value = 0;
  if (c->search(c) != 0 || c->get_value(c, &desc, &pvalue, &value) != 0) return 0;
  return value;
}

}  // namespace

int64_t WtEngine::ReadStat(WT_SESSION* session, int key) {
  WT_CURSOR* c = nullptr;
  if (session->open_cursor(session, "statistics:", nullptr, nullptr, &c) != 0) return 0;
  int64_t value = StatValue(c, key);
  c->close(c);
  return value;
}

void WtEngine::CacheLoop() {
  WT_SESSION* s = nullptr;
  if (int ret = conn_->open_session(conn_, nullptr, nullptr, &s); ret != 0) {
    spdlog::error("wiredtiger: cannot open the cache session: {}", wiredtiger_strerror(ret));
    return;
  }
  constexpr uint64_t kMb = 1024 * 1024;
  uint64_t current = cache_base_mb_;
  std::unique_lock lock(cache_mu_);
  while (!cache_stopping_) {
    cache_cv_.wait_for(lock, std::chrono::milliseconds(100));
    if (cache_stopping_) break;
    const uint64_t dirty = static_cast<uint64_t>(ReadStat(s, WT_STAT_CONN_CACHE_BYTES_DIRTY));
    uint64_t next = current;
    if (dirty > current * kMb * 6 / 10 && current < cache_max_mb_) {
      // Application threads are throttled at 90% dirty: stay well ahead of a bulk load.
      next = std::min(cache_max_mb_, std::max(current * 3 / 2, dirty * 2 / kMb));
    } else if (current > cache_base_mb_ && dirty < cache_base_mb_ * kMb * 4 / 10) {
      next = cache_base_mb_;
    }
    if (next == current) continue;
    std::string config = fmt::format("cache_size={}MB", next);
    if (int ret = conn_->reconfigure(conn_, config.c_str()); ret != 0) {
      spdlog::error("wiredtiger: cannot resize the cache: {}", wiredtiger_strerror(ret));
      continue;
    }
    spdlog::info(
        "storage: cache {} from {} MB to {} MB ({} MB of uncommitted or unwritten changes)",
        next > current ? "grown" : "shrunk back", current, next, dirty / kMb);
    current = next;
  }
  s->close(s, nullptr);
}

PooledSession* WtEngine::Acquire() {
  std::lock_guard lock(pool_mu_);
  PooledSession* ps;
  if (!free_.empty()) {
    ps = free_.back();
    free_.pop_back();
  } else {
    auto fresh = std::make_unique<PooledSession>();
    int ret = conn_->open_session(conn_, nullptr, nullptr, &fresh->session);
    if (ret != 0) ThrowWt(ret, "open_session");
    ps = fresh.get();
    all_.push_back(std::move(fresh));
  }
  uint64_t epoch = schema_epoch_.load();
  if (ps->epoch != epoch) {
    ps->CloseCursors();
    ps->epoch = epoch;
  }
  return ps;
}

void WtEngine::Release(PooledSession* ps) {
  std::lock_guard lock(pool_mu_);
  if (ps->epoch != schema_epoch_.load()) {
    ps->CloseCursors();
    ps->epoch = schema_epoch_.load();
  }
  free_.push_back(ps);
}

void WtEngine::CreateTable(std::string_view name) { CreateStorage(name, shard_log_, 0); }

void WtEngine::CreateStorage(std::string_view name, bool log_change, uint64_t lsn) {
  CheckTableName(name);
  if (below_reserve_.load() && ShardOfTable(name)) ThrowBelowReserve();
  std::optional<std::string> log = shard_log_ ? LogTableFor(name) : std::nullopt;
  PooledSession* ps = Acquire();
  int ret = ps->session->create(ps->session, Uri(name).c_str(), "key_format=u,value_format=u");
  // The shard's log exists before anything can be written into the table.
  if (ret == 0 && log) {
    ret = ps->session->create(ps->session, Uri(*log).c_str(), "key_format=u,value_format=u");
  }
  Release(ps);
  if (ret != 0) ThrowWt(ret, "create");
  if (log && log_change) LogSchemaChange(LogCommitKind::kCreateTable, name, lsn);
}

void WtEngine::OpenLogs() {
  std::vector<std::string> logs{std::string(kSystemLogTable)};
  for (const std::string& t : ListTables()) {
    if (std::optional<std::string> log = LogTableFor(t))
      logs.push_back(*log);
    else
      logs.push_back(t);
  }
  std::sort(logs.begin(), logs.end());
  logs.erase(std::unique(logs.begin(), logs.end()), logs.end());
  PooledSession* ps = Acquire();
  WT_SESSION* s = ps->session;
  int ret = 0;
  for (const std::string& log : logs) {
    ret = s->create(s, Uri(log).c_str(), "key_format=u,value_format=u");
    if (ret != 0) break;
    // The newest commit entry: the last key below "d".
    WT_CURSOR* c = nullptr;
    ret = s->open_cursor(s, Uri(log).c_str(), nullptr, nullptr, &c);
    if (ret != 0) break;
    WT_ITEM k = Item("d");
    c->set_key(c, &k);
    int exact = 0;
    int r = c->search_near(c, &exact);
    if (r == 0 && exact >= 0) r = c->prev(c);
    if (r == 0) {
      WT_ITEM found{};
      r = c->get_key(c, &found);
      std::string_view key(static_cast<const char*>(found.data), found.size);
      if (r == 0 && key.size() == 9 && key[0] == 'c') {
        uint64_t lsn = 0;
        for (size_t i = 1; i < 9; ++i) lsn = (lsn << 8) | static_cast<uint8_t>(key[i]);
        clock_.Observe(lsn);
        newest_logged_at_open_ = std::max(newest_logged_at_open_, lsn);
      }
    }
    c->close(c);
  }
  Release(ps);
  if (ret != 0) ThrowWt(ret, "open the shard log");
}

uint64_t WtEngine::BeginCommitLsn() {
  std::lock_guard lock(lsn_mu_);
  uint64_t lsn = clock_.Next();
  in_flight_.insert(lsn);
  return lsn;
}

void WtEngine::EndCommitLsn(uint64_t lsn) {
  std::lock_guard lock(lsn_mu_);
  in_flight_.erase(lsn);
}

uint64_t WtEngine::DurableLsn() {
  if (!shard_log_) return 0;
  std::lock_guard lock(lsn_mu_);
  // Every LSN handed out so far is either in flight or finished, and every later one is
  // above clock_.Last().
  return in_flight_.empty() ? clock_.Last() : *in_flight_.begin() - 1;
}

void WtEngine::LogSchemaChange(LogCommitKind kind, std::string_view table, uint64_t lsn) {
  PooledSession* ps = Acquire();
  WT_SESSION* s = ps->session;
  int ret = s->begin_transaction(s, "isolation=snapshot");
  if (ret == 0) {
    LogCommit commit;
    commit.kind = kind;
    commit.table = std::string(table);
    commit.lsn = lsn != 0 ? lsn : BeginCommitLsn();
    WT_CURSOR* c = nullptr;
    if (ret == 0) ret = s->open_cursor(s, Uri(kSystemLogTable).c_str(), nullptr, nullptr, &c);
    if (ret == 0) {
      const std::string k = LogCommitKey(commit.lsn), v = LogCommitValue(commit);
      WT_ITEM ki = Item(k), vi = Item(v);
      c->set_key(c, &ki);
      c->set_value(c, &vi);
      ret = c->insert(c);
      c->close(c);
    }
    // Durable with the next synced commit (the catalog's), like bookkeeping.
    if (ret == 0) {
      ret = s->commit_transaction(s, "sync=off");
    } else {
      s->rollback_transaction(s, nullptr);
    }
    if (lsn == 0) EndCommitLsn(commit.lsn);
  }
  Release(ps);
  if (ret != 0) ThrowWt(ret, "log a storage table change");
}

std::unique_ptr<WtTransaction> WtEngine::BeginApply(const LogCommit& c) {
  PooledSession* ps = Acquire();
  int ret = ps->session->begin_transaction(ps->session, "isolation=snapshot");
  if (ret != 0) {
    Release(ps);
    ThrowWt(ret, "begin_transaction");
  }
  auto t = std::make_unique<WtTransaction>(this, ps, /*snapshot=*/true);
  t->apply_lsn_ = c.lsn;
  t->apply_epoch_ = c.epoch;
  t->log_txn_ = c.txn;
  return t;
}

bool WtEngine::ApplyReplicated(const LoggedTransaction& lt) {
  const LogCommit& c = lt.commit;
  clock_.Observe(c.lsn);
  if (c.kind == LogCommitKind::kCreateTable || c.kind == LogCommitKind::kDropTable) {
    // Storage tables come and go outside the catalog's transactions, as on the primary; both
    // are idempotent, so a record applied twice (after a crash) does no harm.
    if (c.kind == LogCommitKind::kCreateTable) {
      CreateStorage(c.table, true, c.lsn);
      applied_tables_.insert(c.table);
    } else {
      DropStorage(c.table, true, c.lsn);
      applied_tables_.erase(c.table);
    }
    std::unique_ptr<WtTransaction> t = BeginApply(c);
    WriteAppliedLsn(this, t.get(), c.lsn);
    t->Commit();
    return false;
  }
  // A table the transaction writes may be missing when the base copy was taken between its
  // creation and the catalog's commit (the copy's start-up then dropped it as an orphan).
  for (const LogOp& op : lt.ops) {
    if (applied_tables_.count(op.table) != 0) continue;
    CreateStorage(op.table, false, 0);
    applied_tables_.insert(op.table);
  }
  std::unique_ptr<WtTransaction> t = BeginApply(c);
  if (!lt.ops.empty()) {
    // Already there: the base copy holds it (the copy and the stream overlap).
    std::optional<std::string> log = LogTableFor(lt.ops[0].table);
    std::optional<std::string> entry;
    if (shard_log_ && log) entry = t->Get(*log, LogCommitKey(c.lsn));
    if (entry && DecodeLogCommit(LogCommitKey(c.lsn), *entry).txn == c.txn) {
      t->logs_.clear();
      WriteAppliedLsn(this, t.get(), c.lsn);
      t->Commit();
      return false;
    }
  }
  bool system = false;
  for (const LogOp& op : lt.ops) {
    if (op.kind == LogOpKind::kPut) {
      t->Put(op.table, op.key, op.value);
    } else {
      t->Delete(op.table, op.key);
    }
    if (!ShardOfTable(op.table)) system = true;
  }
  WriteAppliedLsn(this, t.get(), c.lsn);
  t->Commit();
  return system;
}

void WtEngine::SyncLog() {
  PooledSession* ps = Acquire();
  int ret = ps->session->log_flush(ps->session, "sync=on");
  Release(ps);
  if (ret != 0) ThrowWt(ret, "log flush");
}

namespace {

class WtBackup final : public BackupSource::Backup {
 public:
  ~WtBackup() override {
    if (cursor != nullptr) cursor->close(cursor);
    if (session != nullptr) session->close(session, nullptr);
  }
  WT_SESSION* session = nullptr;
  WT_CURSOR* cursor = nullptr;
};

}  // namespace

std::unique_ptr<BackupSource::Backup> WtEngine::BeginBackup() {
  auto b = std::make_unique<WtBackup>();
  b->lsn = DurableLsn();
  b->directory = dir_->wt_path();
  int ret = conn_->open_session(conn_, nullptr, nullptr, &b->session);
  if (ret != 0) ThrowWt(ret, "open_session");
  ret = b->session->open_cursor(b->session, "backup:", nullptr, nullptr, &b->cursor);
  if (ret == EBUSY || ret == EINVAL) {
    b->cursor = nullptr;
    Throw(SqlState::kObjectInUse, "a base backup is already in progress");
  }
  if (ret != 0) {
    b->cursor = nullptr;
    ThrowWt(ret, "open a backup cursor");
  }
  while ((ret = b->cursor->next(b->cursor)) == 0) {
    const char* name = nullptr;
    if ((ret = b->cursor->get_key(b->cursor, &name)) != 0) break;
    b->files.emplace_back(name);
  }
  if (ret != WT_NOTFOUND) ThrowWt(ret, "backup cursor");
  return b;
}

uint64_t WtEngine::FreeBytes() const {
  if (free_space_probe_) return free_space_probe_();
  struct statvfs st {};
  if (::statvfs(dir_->path().c_str(), &st) != 0) return UINT64_MAX;  // unknown: do not refuse
  return static_cast<uint64_t>(st.f_bavail) * st.f_frsize;
}

void WtEngine::CheckFreeSpace() {
  if (disk_reserve_bytes_ == 0) return;
  const uint64_t free_bytes = FreeBytes();
  if (!below_reserve_.load() && free_bytes < disk_reserve_bytes_) {
    below_reserve_.store(true);
    spdlog::error(
        "storage: {} MB free, less than disk_reserve_mb = {}: writes fail with 53100 "
        "until space is freed",
        free_bytes >> 20, disk_reserve_bytes_ >> 20);
  } else if (below_reserve_.load() && free_bytes >= disk_reserve_bytes_ + disk_reserve_bytes_ / 8) {
    below_reserve_.store(false);
    spdlog::info("storage: {} MB free again: writes resume", free_bytes >> 20);
  }
}

void WtEngine::MaintenanceLoop() {
  std::unique_lock lock(log_mu_);
  for (int tick = 1; !log_stopping_; ++tick) {
    log_cv_.wait_for(lock, std::chrono::milliseconds(100));
    if (log_stopping_) break;
    lock.unlock();
    try {
      CheckFreeSpace();
      if (tick % 100 == 50) RecompactPages();
      if (shard_log_ && tick % 100 == 0) {
        const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count();
        uint64_t before = CommitClock::FromUnixMillis(now_ms - int64_t{log_keep_seconds_} * 1000);
        // A replication slot keeps every entry above what its consumer has flushed.
        if (std::optional<uint64_t> floor = RetainedLogFloor(this)) {
          before = std::min(before, *floor + 1);
        }
        TruncateLog(this, before);
      }
    } catch (const std::exception& e) {
      spdlog::warn("shard log maintenance: {}", e.what());
    }
    lock.lock();
  }
}

void WtEngine::DropTable(std::string_view name) { DropStorage(name, shard_log_, 0); }

void WtEngine::DropStorage(std::string_view name, bool log_change, uint64_t lsn) {
  CheckTableName(name);
  {
    std::lock_guard lock(inserted_mu_);
    if (auto it = inserted_.find(name); it != inserted_.end()) inserted_.erase(it);
  }
  const std::string uri = Uri(name);
  for (int attempt = 0;; ++attempt) {
    schema_epoch_.fetch_add(1);
    PooledSession* ps = Acquire();
    {
      // Idle sessions give up their cursors now; busy ones do when their transaction ends.
      std::lock_guard lock(pool_mu_);
      for (PooledSession* idle : free_) {
        idle->CloseCursors();
        idle->epoch = schema_epoch_.load();
      }
    }
    int ret = ps->session->drop(ps->session, uri.c_str(), "force=true");
    Release(ps);
    if (ret == 0) {
      if (shard_log_ && log_change && LogTableFor(name)) {
        LogSchemaChange(LogCommitKind::kDropTable, name, lsn);
      }
      return;
    }
    if (ret != EBUSY) ThrowWt(ret, "drop");
    if (attempt >= 200) {
      Throw(SqlState::kObjectInUse,
            "cannot drop storage table \"{}\" because it is being used by active queries", name);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(attempt < 10 ? 1 : 20));
  }
}

std::vector<std::string> WtEngine::ListTables() {
  PooledSession* ps = Acquire();
  std::vector<std::string> out;
  WT_CURSOR* c = nullptr;
  int ret = ps->session->open_cursor(ps->session, "metadata:", nullptr, nullptr, &c);
  if (ret == 0) {
    while ((ret = c->next(c)) == 0) {
      const char* key = nullptr;
      if ((ret = c->get_key(c, &key)) != 0) break;
      std::string_view k(key);
      if (k.starts_with("table:")) out.emplace_back(k.substr(6));
    }
    c->close(c);
  }
  Release(ps);
  if (ret != 0 && ret != WT_NOTFOUND) ThrowWt(ret, "metadata scan");
  return out;
}

std::unique_ptr<Transaction> WtEngine::Begin(Isolation isolation) {
  PooledSession* ps = Acquire();
  int ret = 0;
  if (ps->isolation != static_cast<int>(isolation)) {
    const char* config =
        isolation == Isolation::kSnapshot ? "isolation=snapshot" : "isolation=read-committed";
    ret = ps->session->reconfigure(ps->session, config);
    if (ret == 0) ps->isolation = static_cast<int>(isolation);
  }
  if (ret == 0) ret = ps->session->begin_transaction(ps->session, nullptr);
  if (ret != 0) {
    Release(ps);
    ThrowWt(ret, "begin_transaction");
  }
  return std::make_unique<WtTransaction>(this, ps, isolation == Isolation::kSnapshot);
}

std::unique_ptr<WtTransaction> WtEngine::BeginReader(const std::string& config) {
  PooledSession* ps = Acquire();
  int ret = ps->session->begin_transaction(ps->session, config.c_str());
  if (ret != 0) {
    Release(ps);
    ThrowWt(ret, "begin_transaction");
  }
  return std::make_unique<WtTransaction>(this, ps, /*snapshot=*/true);
}

std::unique_ptr<Transaction> WtEngine::BeginBookkeeping() {
  PooledSession* ps = Acquire();
  WT_SESSION* s = ps->session;
  int ret = s->reconfigure(s, "ignore_cache_size=true");
  if (ret == 0) ret = s->begin_transaction(s, "isolation=snapshot");
  if (ret != 0) {
    s->reconfigure(s, "ignore_cache_size=false");
    Release(ps);
    ThrowWt(ret, "begin_transaction");
  }
  return std::make_unique<WtTransaction>(this, ps, /*snapshot=*/true, /*bookkeeping=*/true);
}

bool WtEngine::CacheRollbackSeen() {
  int64_t now = CacheRollbacks();
  return cache_rollbacks_seen_.exchange(now) < now;
}

int64_t WtEngine::CacheRollbacks() {
  PooledSession* ps = Acquire();
  int64_t value = ReadStat(ps->session, WT_STAT_CONN_TXN_FAIL_CACHE);
  Release(ps);
  return value;
}

uint64_t WtEngine::ApproximateBytes(std::string_view table) {
  CheckTableName(table);
  PooledSession* ps = Acquire();
  WT_CURSOR* c = nullptr;
  const std::string uri = "statistics:" + Uri(table);
  uint64_t bytes = 0;
  if (OpenCursor(ps->session, uri, "statistics=(fast)", &c) == 0) {
    bytes = static_cast<uint64_t>(std::max<int64_t>(
        {0, StatValue(c, WT_STAT_DSRC_BLOCK_SIZE), StatValue(c, WT_STAT_DSRC_CACHE_BYTES_INUSE)}));
    c->close(c);
  }
  Release(ps);
  return bytes;
}

TableCachePages WtEngine::CachePages(std::string_view table) {
  CheckTableName(table);
  PooledSession* ps = Acquire();
  WT_CURSOR* c = nullptr;
  const std::string uri = "statistics:" + Uri(table);
  TableCachePages pages;
  if (OpenCursor(ps->session, uri, "statistics=(fast)", &c) == 0) {
    pages.requested = static_cast<uint64_t>(
        std::max<int64_t>(0, StatValue(c, WT_STAT_DSRC_CACHE_PAGES_REQUESTED)));
    pages.read = static_cast<uint64_t>(std::max<int64_t>(0, StatValue(c, WT_STAT_DSRC_CACHE_READ)));
    c->close(c);
  }
  Release(ps);
  return pages;
}

void WtEngine::Checkpoint() {
  PooledSession* ps = Acquire();
  int ret = ps->session->checkpoint(ps->session, nullptr);
  Release(ps);
  if (ret != 0) ThrowWt(ret, "checkpoint");
  RecompactPages();
}

void WtEngine::NoteInserted(const std::vector<std::pair<std::string, uint64_t>>& rows) {
  std::lock_guard lock(inserted_mu_);
  for (const auto& [table, n] : rows) {
    auto it = inserted_.find(table);
    if (it == inserted_.end()) it = inserted_.emplace(table, 0).first;
    it->second += n;
  }
}

void WtEngine::RecompactPages() {
  constexpr uint64_t kMinRows = 1'000;      // inserted since the table was last looked at
  constexpr int64_t kMinBytes = 128 << 10;  // smaller tables scan fast enough either way
  // WiredTiger's in-memory form of an inserted row costs about 100 bytes beyond the row (an
  // insert list entry, an update, their allocations); a table is reloaded when its new rows'
  // share of that is at least a quarter of its bytes in the cache, so a large table is not
  // thrown out of the cache for a few new rows.
  constexpr int64_t kFreshRowBytes = 64;
  std::lock_guard pass(recompact_mu_);
  std::vector<std::pair<std::string, uint64_t>> tables;
  {
    std::lock_guard lock(inserted_mu_);
    for (const auto& [table, n] : inserted_) {
      if (n >= kMinRows) tables.emplace_back(table, n);
    }
  }
  if (tables.empty()) return;
  std::vector<std::string> reload, done;  // done: looked at, nothing to do
  PooledSession* ps = Acquire();
  for (const auto& [table, rows] : tables) {
    WT_CURSOR* c = nullptr;
    const std::string uri = "statistics:" + Uri(table);
    if (ps->session->open_cursor(ps->session, uri.c_str(), nullptr, "statistics=(fast)", &c) != 0) {
      done.push_back(table);  // dropped since
      continue;
    }
    const int64_t in_cache = StatValue(c, WT_STAT_DSRC_CACHE_BYTES_INUSE);
    const int64_t dirty = StatValue(c, WT_STAT_DSRC_CACHE_BYTES_DIRTY);
    c->close(c);
    if (in_cache < kMinBytes) {
      done.push_back(table);
    } else if (static_cast<int64_t>(rows) * kFreshRowBytes * 4 >= in_cache && dirty == 0) {
      reload.push_back(table);
    }
    // Otherwise the table waits for more new rows, or for the next checkpoint to write its
    // changes (closing its handle would write them).
  }
  Release(ps);
  if (!reload.empty()) {
    // Idle sessions give up their cursors now; busy ones when their transaction ends.
    schema_epoch_.fetch_add(1);
    {
      std::lock_guard lock(pool_mu_);
      for (PooledSession* idle : free_) {
        idle->CloseCursors();
        idle->epoch = schema_epoch_.load();
      }
    }
    ps = Acquire();
    for (const std::string& table : reload) {
      int ret = EBUSY;
      for (int attempt = 0; attempt < 3 && ret == EBUSY; ++attempt) {
        if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        ret = ps->session->upgrade(ps->session, Uri(table).c_str(), nullptr);
      }
      if (ret == 0) tables_recompacted_.fetch_add(1);
      if (ret != EBUSY) done.push_back(table);  // EBUSY: a transaction holds a cursor on it
      if (ret != 0 && ret != EBUSY && ret != ENOENT) {
        spdlog::warn("storage: cannot reload the pages of \"{}\": {}", table,
                     wiredtiger_strerror(ret));
      }
    }
    Release(ps);
  }
  std::lock_guard lock(inserted_mu_);
  for (const std::string& table : done) inserted_.erase(table);
}

StorageStats WtEngine::Stats() {
  PooledSession* ps = Acquire();
  StorageStats out;
  WT_CURSOR* c = nullptr;
  int ret = ps->session->open_cursor(ps->session, "statistics:", nullptr, nullptr, &c);
  if (ret == 0) {
    auto read = [&](int key, uint64_t* dst) { *dst = static_cast<uint64_t>(StatValue(c, key)); };
    read(WT_STAT_CONN_CACHE_BYTES_INUSE, &out.cache_bytes);
    read(WT_STAT_CONN_CACHE_BYTES_MAX, &out.cache_max_bytes);
    read(WT_STAT_CONN_CACHE_BYTES_DIRTY, &out.cache_dirty_bytes);
    read(WT_STAT_CONN_CACHE_READ, &out.pages_read_into_cache);
    read(WT_STAT_CONN_CACHE_PAGES_REQUESTED, &out.pages_requested);
    read(WT_STAT_CONN_CACHE_EVICTION_CLEAN, &out.pages_evicted_clean);
    read(WT_STAT_CONN_CACHE_EVICTION_DIRTY, &out.pages_evicted_dirty);
    read(WT_STAT_CONN_LOG_SYNC, &out.log_syncs);
    if (group_ != nullptr) {
      GroupCommit::Stats g = group_->stats();
      out.group_commits = g.commits;
      out.group_flushes = g.flushes;
      out.read_fence_waits = read_fence_waits_.load(std::memory_order_relaxed);
    }
    c->close(c);
  }
  Release(ps);
  if (ret != 0) ThrowWt(ret, "statistics");
  return out;
}

}  // namespace activestore::storage::wiredtiger
