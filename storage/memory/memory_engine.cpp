#include "storage/memory/memory_engine.h"

#include <unordered_set>
#include <utility>

#include "common/error.h"

namespace activestore::storage::memory {

class MemTransaction final : public Transaction {
 public:
  MemTransaction(MemoryEngine* engine, uint64_t id, Isolation isolation, uint64_t snapshot)
      : engine_(engine), id_(id), isolation_(isolation), snapshot_(snapshot) {}
  ~MemTransaction() override {
    if (state_ != State::kEnded) Rollback();
  }

  std::optional<std::string> Get(std::string_view table, std::string_view key) override {
    std::lock_guard lock(engine_->mu_);
    CheckActive();
    MemoryEngine::Table* t = engine_->FindTable(table);
    auto it = t->rows.find(key);
    const std::string* v =
        VisibleValue(table, key, it == t->rows.end() ? nullptr : &it->second, ReadSeq());
    if (v == nullptr) return std::nullopt;
    return *v;
  }
  void Insert(std::string_view table, std::string_view key, std::string_view value) override {
    Write(table, key, std::string(value), Mode::kInsert);
  }
  void Put(std::string_view table, std::string_view key, std::string_view value) override {
    Write(table, key, std::string(value), Mode::kPut);
  }
  bool Delete(std::string_view table, std::string_view key) override {
    return Write(table, key, std::nullopt, Mode::kDelete);
  }
  std::unique_ptr<Cursor> Scan(std::string_view table, std::string_view lower,
                               std::string_view upper) override;
  std::unique_ptr<Cursor> ScanBackward(std::string_view table, std::string_view lower,
                                       std::string_view upper) override;
  bool Reserve(std::string_view table, std::string_view key) override {
    std::lock_guard lock(engine_->mu_);
    CheckActive();
    if (isolation_ != Isolation::kSnapshot) return false;
    MemoryEngine::Table* t = engine_->FindTable(table);
    auto it = t->rows.find(key);
    if (it == t->rows.end()) return false;
    const MemoryEngine::KeyState& ks = it->second;
    if ((ks.writer != 0 && ks.writer != id_) ||
        (!ks.versions.empty() && ks.versions.back().seq > snapshot_)) {
      RollbackLocked();
      state_ = State::kAborted;
      throw WriteConflictError();
    }
    return false;  // a check only: nothing stays behind
  }
  std::optional<std::string> GetCommitted(std::string_view table, std::string_view key) override {
    std::unique_ptr<Transaction> t = engine_->Begin(Isolation::kReadCommitted);
    std::optional<std::string> value = t->Get(table, key);
    t->Rollback();
    return value;
  }
  void Commit() override;
  void Rollback() override {
    std::lock_guard lock(engine_->mu_);
    RollbackLocked();
    state_ = State::kEnded;
  }

  // REQUIRES: engine mu_ held. The value this transaction sees under `key`, or nullptr.
  const std::string* VisibleValue(std::string_view table, std::string_view key,
                                  const MemoryEngine::KeyState* ks, uint64_t seq) const {
    if (ks == nullptr) return nullptr;
    if (ks->writer == id_) {
      auto w = writes_.find(std::make_pair(std::string(table), std::string(key)));
      if (w != writes_.end()) return w->second ? &*w->second : nullptr;
    }
    for (auto v = ks->versions.rbegin(); v != ks->versions.rend(); ++v) {
      if (v->seq <= seq) return v->value ? &*v->value : nullptr;
    }
    return nullptr;
  }
  uint64_t ReadSeq() const {
    return isolation_ == Isolation::kSnapshot ? snapshot_ : engine_->committed_seq_;
  }
  void CheckActive() const {
    if (state_ == State::kAborted) {
      Throw(SqlState::kInFailedSqlTransaction,
            "current transaction is aborted, commands ignored until end of transaction block");
    }
    if (state_ == State::kEnded) {
      Throw(SqlState::kInternalError, "storage transaction already ended");
    }
  }
  void Unregister(MemCursor* c) { scans_.erase(c); }

 private:
  enum class Mode { kInsert, kPut, kDelete };
  enum class State { kActive, kAborted, kEnded };

  bool Write(std::string_view table, std::string_view key, std::optional<std::string> value,
             Mode mode);
  // REQUIRES: mu_ held. Undoes the write set and unregisters the snapshot.
  void RollbackLocked();
  void DetachScans();

  MemoryEngine* engine_;
  const uint64_t id_;
  const Isolation isolation_;
  const uint64_t snapshot_;
  State state_ = State::kActive;
  std::map<std::pair<std::string, std::string>, std::optional<std::string>> writes_;
  std::map<std::string, std::shared_ptr<MemoryEngine::Table>, std::less<>> touched_;
  std::unordered_set<MemCursor*> scans_;
};

class MemCursor final : public Cursor {
 public:
  MemCursor(MemTransaction* txn, MemoryEngine* engine, std::string table,
            std::shared_ptr<MemoryEngine::Table> t, std::string_view lower, std::string_view upper,
            bool backward = false)
      : txn_(txn),
        engine_(engine),
        table_name_(std::move(table)),
        table_(std::move(t)),
        lower_(lower),
        upper_(upper),
        backward_(backward) {}
  ~MemCursor() override {
    if (txn_ != nullptr) txn_->Unregister(this);
  }

  bool Next() override {
    if (txn_ == nullptr) Throw(SqlState::kInternalError, "scan used after its transaction ended");
    std::lock_guard lock(engine_->mu_);
    txn_->CheckActive();
    if (done_) return false;
    const uint64_t seq = txn_->ReadSeq();
    auto& rows = table_->rows;
    if (backward_) return PrevVisible(rows, seq);
    auto it = started_ ? rows.upper_bound(key_) : rows.lower_bound(lower_);
    started_ = true;
    for (; it != rows.end(); ++it) {
      if (!upper_.empty() && it->first >= upper_) break;
      const std::string* v = txn_->VisibleValue(table_name_, it->first, &it->second, seq);
      if (v != nullptr) {
        key_ = it->first;
        value_ = *v;
        return true;
      }
    }
    done_ = true;
    return false;
  }
  std::string_view key() const override { return key_; }
  std::string_view value() const override { return value_; }
  void Detach() { txn_ = nullptr; }

 private:
  // Next() of a backward cursor: the greatest visible key below the last one (or below upper_)
  // and at least lower_.
  template <typename Rows>
  bool PrevVisible(Rows& rows, uint64_t seq) {
    auto it = started_ ? rows.lower_bound(key_)
                       : (upper_.empty() ? rows.end() : rows.lower_bound(upper_));
    started_ = true;
    while (it != rows.begin()) {
      --it;
      if (it->first < lower_) break;
      const std::string* v = txn_->VisibleValue(table_name_, it->first, &it->second, seq);
      if (v != nullptr) {
        key_ = it->first;
        value_ = *v;
        return true;
      }
    }
    done_ = true;
    return false;
  }

  MemTransaction* txn_;
  MemoryEngine* engine_;
  std::string table_name_;
  std::shared_ptr<MemoryEngine::Table> table_;
  std::string lower_, upper_;
  bool backward_ = false;
  bool started_ = false, done_ = false;
  std::string key_, value_;
};

bool MemTransaction::Write(std::string_view table, std::string_view key,
                           std::optional<std::string> value, Mode mode) {
  std::lock_guard lock(engine_->mu_);
  CheckActive();
  MemoryEngine::Table* t = engine_->FindTable(table);
  auto it = t->rows.find(key);
  MemoryEngine::KeyState* ks = it == t->rows.end() ? nullptr : &it->second;
  const uint64_t seq = ReadSeq();
  const std::string* visible = VisibleValue(table, key, ks, seq);
  if (mode == Mode::kInsert && visible != nullptr) {
    Throw(SqlState::kUniqueViolation, "duplicate key value violates unique constraint");
  }
  if (mode == Mode::kDelete && visible == nullptr) return false;
  if (ks != nullptr && ((ks->writer != 0 && ks->writer != id_) ||
                        (!ks->versions.empty() && ks->versions.back().seq > seq))) {
    RollbackLocked();
    state_ = State::kAborted;
    throw WriteConflictError();
  }
  if (ks == nullptr) it = t->rows.emplace(std::string(key), MemoryEngine::KeyState{}).first;
  it->second.writer = id_;
  std::string name(table);
  writes_[{name, std::string(key)}] = std::move(value);
  if (!touched_.contains(name)) touched_.emplace(name, engine_->tables_.find(name)->second);
  return true;
}

std::unique_ptr<Cursor> MemTransaction::Scan(std::string_view table, std::string_view lower,
                                             std::string_view upper) {
  std::lock_guard lock(engine_->mu_);
  CheckActive();
  engine_->FindTable(table);
  auto cursor = std::make_unique<MemCursor>(this, engine_, std::string(table),
                                            engine_->tables_.find(table)->second, lower, upper);
  scans_.insert(cursor.get());
  return cursor;
}

std::unique_ptr<Cursor> MemTransaction::ScanBackward(std::string_view table, std::string_view lower,
                                                     std::string_view upper) {
  std::lock_guard lock(engine_->mu_);
  CheckActive();
  engine_->FindTable(table);
  auto cursor = std::make_unique<MemCursor>(this, engine_, std::string(table),
                                            engine_->tables_.find(table)->second, lower, upper,
                                            /*backward=*/true);
  scans_.insert(cursor.get());
  return cursor;
}

void MemTransaction::Commit() {
  std::lock_guard lock(engine_->mu_);
  CheckActive();
  DetachScans();
  if (!writes_.empty()) {
    const uint64_t seq = ++engine_->committed_seq_;
    for (auto& [tk, value] : writes_) {
      MemoryEngine::Table* t = touched_[tk.first].get();
      auto it = t->rows.find(tk.second);
      if (it == t->rows.end() || it->second.writer != id_) continue;
      it->second.versions.push_back({seq, std::move(value)});
      it->second.writer = 0;
    }
  }
  if (isolation_ == Isolation::kSnapshot) {
    engine_->active_snapshots_.erase(engine_->active_snapshots_.find(snapshot_));
  }
  for (auto& [tk, value] : writes_) {
    MemoryEngine::Table* t = touched_[tk.first].get();
    auto it = t->rows.find(tk.second);
    if (it != t->rows.end()) engine_->Prune(t, it);
  }
  writes_.clear();
  touched_.clear();
  state_ = State::kEnded;
}

void MemTransaction::RollbackLocked() {
  DetachScans();
  if (state_ != State::kActive) return;
  for (auto& [tk, value] : writes_) {
    MemoryEngine::Table* t = touched_[tk.first].get();
    auto it = t->rows.find(tk.second);
    if (it == t->rows.end() || it->second.writer != id_) continue;
    it->second.writer = 0;
    engine_->Prune(t, it);
  }
  writes_.clear();
  touched_.clear();
  if (isolation_ == Isolation::kSnapshot) {
    engine_->active_snapshots_.erase(engine_->active_snapshots_.find(snapshot_));
  }
}

void MemTransaction::DetachScans() {
  for (MemCursor* c : scans_) c->Detach();
  scans_.clear();
}

// ---------------------------------------------------------------------------------------------

MemoryEngine::Table* MemoryEngine::FindTable(std::string_view name) {
  auto it = tables_.find(name);
  if (it == tables_.end()) {
    Throw(SqlState::kInternalError, "storage table \"{}\" does not exist", name);
  }
  return it->second.get();
}

uint64_t MemoryEngine::OldestSnapshot() const {
  return active_snapshots_.empty() ? committed_seq_ : *active_snapshots_.begin();
}

void MemoryEngine::Prune(Table* t, Rows::iterator it) {
  KeyState& ks = it->second;
  const uint64_t oldest = OldestSnapshot();
  // Keep the newest version every open snapshot can see and everything after it.
  size_t keep_from = 0;
  for (size_t i = 0; i < ks.versions.size(); ++i) {
    if (ks.versions[i].seq <= oldest) keep_from = i;
  }
  ks.versions.erase(ks.versions.begin(), ks.versions.begin() + keep_from);
  bool dead = ks.versions.empty() ||
              (ks.versions.size() == 1 && !ks.versions[0].value && ks.versions[0].seq <= oldest);
  if (dead && ks.writer == 0) t->rows.erase(it);
}

void MemoryEngine::CreateTable(std::string_view name) {
  std::lock_guard lock(mu_);
  if (!tables_.contains(name)) tables_.emplace(std::string(name), std::make_shared<Table>());
}

void MemoryEngine::DropTable(std::string_view name) {
  std::lock_guard lock(mu_);
  auto it = tables_.find(name);
  if (it != tables_.end()) tables_.erase(it);
}

std::vector<std::string> MemoryEngine::ListTables() {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& [name, t] : tables_) out.push_back(name);
  return out;
}

std::unique_ptr<Transaction> MemoryEngine::Begin(Isolation isolation) {
  std::lock_guard lock(mu_);
  uint64_t id = next_txn_id_++;
  if (isolation == Isolation::kSnapshot) active_snapshots_.insert(committed_seq_);
  return std::make_unique<MemTransaction>(this, id, isolation, committed_seq_);
}

StorageStats MemoryEngine::Stats() {
  std::lock_guard lock(mu_);
  StorageStats s;
  for (const auto& [name, t] : tables_) {
    for (const auto& [key, ks] : t->rows) {
      s.cache_bytes += key.size();
      for (const Version& v : ks.versions) s.cache_bytes += v.value ? v.value->size() : 0;
    }
  }
  s.cache_max_bytes = s.cache_bytes;
  return s;
}

}  // namespace activestore::storage::memory
