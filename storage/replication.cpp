#include "storage/replication.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <random>
#include <utility>

#include "common/error.h"

namespace activestore::storage {

static_assert(std::string_view(ReplicationRegistry::kTable) == kUnloggedSlotTable);

namespace {

constexpr char kSlotPrefix = 's';
constexpr char kSystemIdKey[] = "i";
constexpr char kAppliedKey[] = "a";
constexpr uint8_t kSlotFormat = 1;
constexpr size_t kMaxSlotName = 63;  // NAMEDATALEN - 1

std::string SlotKey(std::string_view name) { return kSlotPrefix + std::string(name); }

std::string SlotValue(const ReplicationSlotInfo& slot) {
  std::string v;
  v.push_back(static_cast<char>(kSlotFormat));
  v.push_back(slot.restart_lsn ? 1 : 0);
  PutBigEndian(slot.restart_lsn.value_or(0), 8, &v);
  return v;
}

ReplicationSlotInfo DecodeSlot(std::string_view key, std::string_view value) {
  if (key.empty() || key[0] != kSlotPrefix || value.size() != 10 || value[0] != kSlotFormat) {
    Throw(SqlState::kDataCorrupted, "invalid replication slot record");
  }
  ReplicationSlotInfo slot;
  slot.name = std::string(key.substr(1));
  if (value[1] != 0) slot.restart_lsn = GetBigEndian(value, 2, 8);
  return slot;
}

[[noreturn]] void SlotMissing(std::string_view name) {
  Throw(SqlState::kUndefinedObject, "replication slot \"{}\" does not exist", name);
}

[[noreturn]] void SlotActive(std::string_view name, int32_t pid) {
  Throw(SqlState::kObjectInUse, "replication slot \"{}\" is active for PID {}", name, pid);
}

}  // namespace

// ---- LagTracker ----

void LagTracker::Sent(uint64_t lsn, Clock::time_point when) {
  if (!samples_.empty() && samples_.back().first >= lsn) return;
  if (samples_.size() >= kMaxSamples) {
    // Full: the oldest sample goes (as PostgreSQL's tracker overwrites, lags read a little
    // long then), and every read position with it.
    samples_.pop_front();
    for (size_t& r : read_) r = r > 0 ? r - 1 : 0;
  }
  samples_.emplace_back(lsn, when);
}

std::optional<int64_t> LagTracker::Acknowledged(int kind, uint64_t lsn, Clock::time_point now) {
  size_t& r = read_[kind];
  std::optional<Clock::time_point> sent;
  while (r < samples_.size() && samples_[r].first <= lsn) sent = samples_[r++].second;
  // Samples every kind acknowledged are no longer needed.
  const size_t done = std::min({read_[0], read_[1], read_[2]});
  if (done > 0) {
    samples_.erase(samples_.begin(), samples_.begin() + static_cast<ptrdiff_t>(done));
    for (size_t& x : read_) x -= done;
  }
  if (!sent) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::microseconds>(now - *sent).count();
}

// ---- ReplicationRegistry ----

ReplicationRegistry::ReplicationRegistry(Engine* engine, bool enabled)
    : engine_(engine), enabled_(enabled) {
  engine_->CreateTable(kTable);
  std::unique_ptr<Transaction> t = engine_->Begin(Isolation::kSnapshot);
  if (std::optional<std::string> id = t->Get(kTable, kSystemIdKey); id && id->size() == 8) {
    system_identifier_ = GetBigEndian(*id, 0, 8);
  } else {
    // As PostgreSQL's initdb: the time in the high bits, randomness below.
    std::random_device rd;
    const uint64_t seconds = static_cast<uint64_t>(ReplicationNowUs() / 1000000);
    system_identifier_ = (seconds << 32) | (static_cast<uint64_t>(rd()) & 0xffffffffu);
    std::string v;
    PutBigEndian(system_identifier_, 8, &v);
    t->Put(kTable, kSystemIdKey, v);
  }
  std::unique_ptr<Cursor> c = t->Scan(kTable, std::string(1, kSlotPrefix),
                                      std::string(1, static_cast<char>(kSlotPrefix + 1)));
  while (c->Next()) {
    ReplicationSlotInfo slot = DecodeSlot(c->key(), c->value());
    slots_.emplace(slot.name, std::move(slot));
  }
  c.reset();
  t->Commit();
}

void ReplicationRegistry::ValidateSlotName(std::string_view name) {
  if (name.empty()) {
    Throw(SqlState::kInvalidName, "replication slot name \"{}\" is too short", name);
  }
  if (name.size() > kMaxSlotName) {
    Throw(SqlState::kNameTooLong, "replication slot name \"{}\" is too long", name);
  }
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      throw std::move(
          Error(SqlState::kInvalidName,
                fmt::format("replication slot name \"{}\" contains invalid character", name))
              .Hint("Replication slot names may only contain lower case letters, numbers, and "
                    "the underscore character."));
    }
  }
}

void ReplicationRegistry::CheckEnabled() const {
  if (!enabled_) {
    Throw(SqlState::kObjectNotInPrerequisiteState,
          "replication slots can only be used if shard_log = on");
  }
}

void ReplicationRegistry::Store(const ReplicationSlotInfo& slot) {
  std::unique_ptr<Transaction> t = engine_->Begin(Isolation::kSnapshot);
  t->Put(kTable, SlotKey(slot.name), SlotValue(slot));
  t->Commit();
}

ReplicationSlotInfo ReplicationRegistry::Create(std::string_view name, bool reserve) {
  CheckEnabled();
  ValidateSlotName(name);
  std::lock_guard lock(mu_);
  if (slots_.count(name) != 0) {
    Throw(SqlState::kDuplicateObject, "replication slot \"{}\" already exists", name);
  }
  ReplicationSlotInfo slot;
  slot.name = std::string(name);
  if (reserve) slot.restart_lsn = engine_->DurableLsn();
  Store(slot);
  slots_.emplace(slot.name, slot);
  return slot;
}

void ReplicationRegistry::Drop(std::string_view name) {
  CheckEnabled();
  std::lock_guard lock(mu_);
  auto it = slots_.find(name);
  if (it == slots_.end()) SlotMissing(name);
  if (it->second.active_pid != 0) SlotActive(name, it->second.active_pid);
  std::unique_ptr<Transaction> t = engine_->Begin(Isolation::kSnapshot);
  t->Delete(kTable, SlotKey(name));
  t->Commit();
  slots_.erase(it);
}

ReplicationSlotInfo ReplicationRegistry::Acquire(std::string_view name, int32_t pid) {
  CheckEnabled();
  std::lock_guard lock(mu_);
  auto it = slots_.find(name);
  if (it == slots_.end()) SlotMissing(name);
  if (it->second.active_pid != 0 && it->second.active_pid != pid) {
    SlotActive(name, it->second.active_pid);
  }
  it->second.active_pid = pid;
  return it->second;
}

void ReplicationRegistry::Release(std::string_view name, int32_t pid) {
  std::lock_guard lock(mu_);
  auto it = slots_.find(name);
  if (it != slots_.end() && it->second.active_pid == pid) it->second.active_pid = 0;
}

void ReplicationRegistry::Advance(std::string_view name, uint64_t lsn) {
  ReplicationSlotInfo next;
  {
    std::lock_guard lock(mu_);
    auto it = slots_.find(name);
    if (it == slots_.end() || (it->second.restart_lsn && *it->second.restart_lsn >= lsn)) return;
    next = it->second;
  }
  // Stored outside the lock (a commit waits for the disk; the sessions reading the views do
  // not); only the slot's one sender advances it.
  next.restart_lsn = lsn;
  Store(next);
  std::lock_guard lock(mu_);
  auto it = slots_.find(name);
  if (it != slots_.end()) it->second.restart_lsn = lsn;
}

std::vector<ReplicationSlotInfo> ReplicationRegistry::Slots() const {
  std::lock_guard lock(mu_);
  std::vector<ReplicationSlotInfo> out;
  for (const auto& [name, slot] : slots_) out.push_back(slot);
  return out;
}

namespace {

void WakeAll(const std::vector<std::function<void()>>& wakers) {
  for (const std::function<void()>& wake : wakers) wake();
}

}  // namespace

void ReplicationRegistry::RegisterSender(const SenderInfo& info) {
  std::lock_guard lock(mu_);
  SenderInfo& s = senders_[info.pid];
  s = info;
  s.order = ++sender_order_;
}

void ReplicationRegistry::UpdateSender(int32_t pid,
                                       const std::function<void(SenderInfo&)>& update) {
  std::vector<std::function<void()>> wake;
  {
    std::lock_guard lock(mu_);
    auto it = senders_.find(pid);
    if (it == senders_.end()) return;
    update(it->second);
    wake = TakeSatisfiedLocked();
  }
  WakeAll(wake);
}

void ReplicationRegistry::UnregisterSender(int32_t pid) {
  std::vector<std::function<void()>> wake;
  {
    std::lock_guard lock(mu_);
    senders_.erase(pid);
    // Another sender may now be among the first N, already past some waiters.
    wake = TakeSatisfiedLocked();
  }
  WakeAll(wake);
}

std::vector<SenderInfo> ReplicationRegistry::Senders() const {
  std::lock_guard lock(mu_);
  std::vector<SenderInfo> out;
  for (const auto& [pid, s] : senders_) out.push_back(s);
  std::sort(out.begin(), out.end(),
            [](const SenderInfo& a, const SenderInfo& b) { return a.order < b.order; });
  const int n = synchronous_replicas_.load();
  for (size_t i = 0; i < out.size(); ++i) {
    out[i].sync_state = n == 0 ? "async" : i < static_cast<size_t>(n) ? "sync" : "potential";
  }
  std::sort(out.begin(), out.end(),
            [](const SenderInfo& a, const SenderInfo& b) { return a.pid < b.pid; });
  return out;
}

void ReplicationRegistry::set_synchronous_replicas(int n) {
  std::vector<std::function<void()>> wake;
  {
    std::lock_guard lock(mu_);
    synchronous_replicas_.store(std::max(0, n));
    wake = TakeSatisfiedLocked();
  }
  WakeAll(wake);
}

uint64_t ReplicationRegistry::SyncPositionLocked(SyncLevel level) const {
  const int n = synchronous_replicas_.load();
  if (n == 0) return UINT64_MAX;
  if (senders_.size() < static_cast<size_t>(n)) return 0;
  // The first N senders in connection order; the slowest of them bounds the position.
  std::vector<const SenderInfo*> by_order;
  by_order.reserve(senders_.size());
  for (const auto& [pid, s] : senders_) by_order.push_back(&s);
  std::sort(by_order.begin(), by_order.end(),
            [](const SenderInfo* a, const SenderInfo* b) { return a->order < b->order; });
  uint64_t pos = UINT64_MAX;
  for (int i = 0; i < n; ++i) {
    const SenderInfo& s = *by_order[static_cast<size_t>(i)];
    const uint64_t p = level == SyncLevel::kWrite   ? s.write_lsn
                       : level == SyncLevel::kFlush ? s.flush_lsn
                                                    : s.replay_lsn;
    pos = std::min(pos, p);
  }
  return pos;
}

std::vector<std::function<void()>> ReplicationRegistry::TakeSatisfiedLocked() {
  std::vector<std::function<void()>> wake;
  if (sync_waiters_.empty()) return wake;
  const uint64_t pos[3] = {SyncPositionLocked(SyncLevel::kWrite),
                           SyncPositionLocked(SyncLevel::kFlush),
                           SyncPositionLocked(SyncLevel::kApply)};
  for (auto it = sync_waiters_.begin(); it != sync_waiters_.end();) {
    if (pos[static_cast<int>(it->second.level)] >= it->second.lsn) {
      wake.push_back(std::move(it->second.wake));
      it = sync_waiters_.erase(it);
    } else {
      ++it;
    }
  }
  sync_waiter_count_.store(sync_waiters_.size());
  return wake;
}

bool ReplicationRegistry::SyncSatisfied(uint64_t lsn, SyncLevel level) const {
  std::lock_guard lock(mu_);
  return SyncPositionLocked(level) >= lsn;
}

uint64_t ReplicationRegistry::AddSyncWaiter(uint64_t lsn, SyncLevel level,
                                            std::function<void()> wake) {
  std::lock_guard lock(mu_);
  if (SyncPositionLocked(level) >= lsn) return 0;
  const uint64_t id = next_waiter_++;
  sync_waiters_.emplace(id, SyncWaiter{lsn, level, std::move(wake)});
  sync_waiter_count_.store(sync_waiters_.size());
  return id;
}

void ReplicationRegistry::RemoveSyncWaiter(uint64_t id) {
  std::lock_guard lock(mu_);
  sync_waiters_.erase(id);
  sync_waiter_count_.store(sync_waiters_.size());
}

uint64_t ReplicationRegistry::AddLogWaiter(std::function<void()> wake) {
  std::lock_guard lock(log_mu_);
  const uint64_t id = next_log_waiter_++;
  log_waiters_.emplace(id, std::move(wake));
  log_waiting_.store(true);
  return id;
}

void ReplicationRegistry::RemoveLogWaiter(uint64_t id) {
  std::lock_guard lock(log_mu_);
  log_waiters_.erase(id);
  log_waiting_.store(!log_waiters_.empty());
}

void ReplicationRegistry::NotifyCommit() {
  if (!log_waiting_.load(std::memory_order_relaxed)) return;  // the common case: no sender waits
  std::map<uint64_t, std::function<void()>> wake;
  {
    std::lock_guard lock(log_mu_);
    wake.swap(log_waiters_);
    log_waiting_.store(false);
  }
  for (auto& [id, w] : wake) w();
}

namespace {
thread_local uint64_t thread_commit_lsn = 0;
}  // namespace

uint64_t TakeThreadCommitLsn() { return std::exchange(thread_commit_lsn, 0); }

void NoteThreadCommitLsn(uint64_t lsn) { thread_commit_lsn = std::max(thread_commit_lsn, lsn); }

void ReplicationRegistry::UpdateReceiver(const std::function<void(ReceiverInfo&)>& update) {
  std::lock_guard lock(mu_);
  if (!receiver_) receiver_.emplace();
  update(*receiver_);
}

std::optional<ReceiverInfo> ReplicationRegistry::Receiver() const {
  std::lock_guard lock(mu_);
  return receiver_;
}

void ReplicationRegistry::ClearReceiver() {
  std::lock_guard lock(mu_);
  receiver_.reset();
}

std::optional<uint64_t> RetainedLogFloor(Engine* engine) {
  std::optional<uint64_t> floor;
  const std::vector<std::string> tables = engine->ListTables();
  if (std::find(tables.begin(), tables.end(), ReplicationRegistry::kTable) == tables.end()) {
    return floor;  // an engine without the SQL layer's tables (storage tests)
  }
  std::unique_ptr<Transaction> t = engine->Begin(Isolation::kSnapshot);
  {
    std::unique_ptr<Cursor> c = t->Scan(ReplicationRegistry::kTable, std::string(1, kSlotPrefix),
                                        std::string(1, static_cast<char>(kSlotPrefix + 1)));
    while (c->Next()) {
      ReplicationSlotInfo slot = DecodeSlot(c->key(), c->value());
      if (slot.restart_lsn) floor = std::min(floor.value_or(UINT64_MAX), *slot.restart_lsn);
    }
  }
  t->Rollback();
  return floor;
}

// ---- Replicas ----

std::optional<uint64_t> ReadAppliedLsn(Engine* engine) {
  const std::vector<std::string> tables = engine->ListTables();
  if (std::find(tables.begin(), tables.end(), ReplicationRegistry::kTable) == tables.end()) {
    return std::nullopt;
  }
  std::unique_ptr<Transaction> t = engine->Begin(Isolation::kSnapshot);
  std::optional<std::string> v = t->Get(ReplicationRegistry::kTable, kAppliedKey);
  t->Rollback();
  if (!v) return std::nullopt;
  if (v->size() != 8) Throw(SqlState::kDataCorrupted, "invalid applied LSN record");
  return GetBigEndian(*v, 0, 8);
}

void WriteAppliedLsn(Engine* engine, Transaction* t, uint64_t lsn) {
  std::string v;
  PutBigEndian(lsn, 8, &v);
  if (t != nullptr) {
    t->Put(ReplicationRegistry::kTable, kAppliedKey, v);
    return;
  }
  std::unique_ptr<Transaction> own = engine->Begin(Isolation::kSnapshot);
  own->Put(ReplicationRegistry::kTable, kAppliedKey, v);
  own->Commit();
}

std::string ReplicaBaseLsnFile(const std::string& data_dir) {
  return data_dir + "/replica_base_lsn";
}

void AdoptBaseCopy(Engine* engine, const std::string& data_dir) {
  const std::string path = ReplicaBaseLsnFile(data_dir);
  std::FILE* f = std::fopen(path.c_str(), "r");
  if (f == nullptr) return;
  unsigned long long lsn = 0;
  const int n = std::fscanf(f, "%llu", &lsn);
  std::fclose(f);
  if (n != 1) Throw(SqlState::kDataCorrupted, "invalid file \"{}\"", path);
  engine->CreateTable(ReplicationRegistry::kTable);
  std::unique_ptr<Transaction> t = engine->Begin(Isolation::kSnapshot);
  std::vector<std::string> slots;
  {
    std::unique_ptr<Cursor> c = t->Scan(ReplicationRegistry::kTable, std::string(1, kSlotPrefix),
                                        std::string(1, static_cast<char>(kSlotPrefix + 1)));
    while (c->Next()) slots.emplace_back(c->key());
  }
  for (const std::string& k : slots) t->Delete(ReplicationRegistry::kTable, k);
  WriteAppliedLsn(engine, t.get(), lsn);
  t->Commit();
  std::remove(path.c_str());
}

std::string BackupFileMessage(std::string_view name, uint64_t size) {
  std::string m(1, 'f');
  uint64_t n = name.size();
  while (n >= 0x80) {
    m.push_back(static_cast<char>((n & 0x7f) | 0x80));
    n >>= 7;
  }
  m.push_back(static_cast<char>(n));
  m.append(name);
  PutBigEndian(size, 8, &m);
  return m;
}

std::string BackupManifestMessage(uint64_t lsn, uint64_t system_identifier, uint64_t files) {
  std::string m(1, 'm');
  m.push_back(1);
  PutBigEndian(lsn, 8, &m);
  PutBigEndian(system_identifier, 8, &m);
  PutBigEndian(files, 8, &m);
  return m;
}

BackupMessage DecodeBackupMessage(std::string_view m) {
  auto bad = [] { Throw(SqlState::kProtocolViolation, "invalid base backup message"); };
  if (m.empty()) bad();
  BackupMessage out;
  out.type = m[0];
  switch (m[0]) {
    case 'd':
      out.data = m.substr(1);
      break;
    case 'f': {
      size_t pos = 1;
      uint64_t n = 0;
      for (int shift = 0;; shift += 7) {
        if (pos >= m.size() || shift > 63) bad();
        const uint8_t c = static_cast<uint8_t>(m[pos++]);
        n |= static_cast<uint64_t>(c & 0x7f) << shift;
        if ((c & 0x80) == 0) break;
      }
      if (m.size() - pos != n + 8) bad();
      out.name = std::string(m.substr(pos, n));
      out.size = GetBigEndian(m, pos + n, 8);
      // A name that could leave the directory is never written.
      if (out.name.empty() || out.name[0] == '/' || out.name.find("..") != std::string::npos) {
        bad();
      }
      break;
    }
    case 'm':
      if (m.size() != 26 || m[1] != 1) bad();
      out.lsn = GetBigEndian(m, 2, 8);
      out.system_identifier = GetBigEndian(m, 10, 8);
      out.files = GetBigEndian(m, 18, 8);
      break;
    default:
      bad();
  }
  return out;
}

// ---- Protocol messages ----

int64_t ReplicationNowUs() {
  constexpr int64_t kUnixTo2000Us = 946684800LL * 1000000LL;
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
             .count() -
         kUnixTo2000Us;
}

std::string XLogDataMessage(uint64_t start, uint64_t end, int64_t now_us, std::string_view data) {
  std::string m;
  m.reserve(25 + data.size());
  m.push_back('w');
  PutBigEndian(start, 8, &m);
  PutBigEndian(end, 8, &m);
  PutBigEndian(static_cast<uint64_t>(now_us), 8, &m);
  m.append(data);
  return m;
}

std::string KeepaliveMessage(uint64_t end, int64_t now_us, bool reply_requested) {
  std::string m;
  m.push_back('k');
  PutBigEndian(end, 8, &m);
  PutBigEndian(static_cast<uint64_t>(now_us), 8, &m);
  m.push_back(reply_requested ? 1 : 0);
  return m;
}

std::optional<StandbyStatus> DecodeStandbyStatus(std::string_view message) {
  if (message.empty() || message[0] != 'r') return std::nullopt;
  if (message.size() < 34) {
    Throw(SqlState::kProtocolViolation, "invalid standby status update message");
  }
  StandbyStatus s;
  s.write = GetBigEndian(message, 1, 8);
  s.flush = GetBigEndian(message, 9, 8);
  s.apply = GetBigEndian(message, 17, 8);
  s.time_us = static_cast<int64_t>(GetBigEndian(message, 25, 8));
  s.reply_requested = message[33] != 0;
  return s;
}

}  // namespace activestore::storage

// ---- Epochs ----

namespace activestore::storage {

namespace {

constexpr uint8_t kEpochFormat = 1;

std::string EpochKey(uint64_t epoch) {
  std::string k = "e";
  PutBigEndian(epoch, 8, &k);
  return k;
}

std::string LsnText(uint64_t lsn) {
  return fmt::format("{:X}/{:X}", static_cast<uint32_t>(lsn >> 32),
                     static_cast<uint32_t>(lsn & 0xffffffffu));
}

bool ParseLsnText(std::string_view text, uint64_t* lsn) {
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == text.size()) return false;
  uint64_t hi = 0, lo = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i == slash) continue;
    const char c = text[i];
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    if (d < 0 || (i < slash ? slash : text.size() - slash - 1) > 8) return false;
    uint64_t& part = i < slash ? hi : lo;
    part = part * 16 + static_cast<uint64_t>(d);
  }
  *lsn = hi << 32 | lo;
  return true;
}

}  // namespace

std::vector<EpochInfo> ReadEpochHistory(Engine* engine) {
  std::vector<EpochInfo> history(1);  // epoch 1: id 0, from the start
  const std::vector<std::string> tables = engine->ListTables();
  if (std::find(tables.begin(), tables.end(), kEpochTable) == tables.end()) return history;
  std::unique_ptr<Transaction> t = engine->Begin(Isolation::kSnapshot);
  {
    std::unique_ptr<Cursor> c = t->Scan(kEpochTable, "e", "f");
    while (c->Next()) {
      const std::string_view k = c->key(), v = c->value();
      if (k.size() != 9 || v.size() != 17 || static_cast<uint8_t>(v[0]) != kEpochFormat) {
        Throw(SqlState::kDataCorrupted, "invalid epoch record");
      }
      EpochInfo e;
      e.epoch = GetBigEndian(k, 1, 8);
      e.fork_lsn = GetBigEndian(v, 1, 8);
      e.id = GetBigEndian(v, 9, 8);
      if (e.epoch > 1) history.push_back(e);
    }
  }
  t->Rollback();
  return history;
}

EpochInfo BeginEpoch(Engine* engine, uint64_t fork_lsn) {
  const std::vector<EpochInfo> history = ReadEpochHistory(engine);
  EpochInfo e;
  e.epoch = history.back().epoch + 1;
  e.fork_lsn = fork_lsn;
  std::random_device rd;
  do {
    e.id = (static_cast<uint64_t>(rd()) << 32) | rd();
  } while (e.id == 0);
  const std::vector<std::string> tables = engine->ListTables();
  if (std::find(tables.begin(), tables.end(), kEpochTable) == tables.end()) {
    engine->CreateTable(kEpochTable);
  }
  std::string v;
  v.push_back(static_cast<char>(kEpochFormat));
  PutBigEndian(e.fork_lsn, 8, &v);
  PutBigEndian(e.id, 8, &v);
  std::unique_ptr<Transaction> t = engine->Begin(Isolation::kSnapshot);
  t->Put(kEpochTable, EpochKey(e.epoch), v);
  // The node commits on its own from now: its position is its log's head, not what it applied
  // (ReadAppliedLsn: none).
  t->Delete(ReplicationRegistry::kTable, kAppliedKey);
  t->Commit();
  return e;
}

std::string EpochHistoryText(const std::vector<EpochInfo>& history) {
  std::string out;
  for (const EpochInfo& e : history) {
    if (e.epoch <= 1) continue;
    out += fmt::format("{}\t{}\t{:016x}\n", e.epoch, LsnText(e.fork_lsn), e.id);
  }
  return out;
}

std::vector<EpochInfo> ParseEpochHistoryText(std::string_view text) {
  std::vector<EpochInfo> history(1);
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string line(text.substr(pos, end - pos));
    pos = end + 1;
    if (line.empty()) continue;
    EpochInfo e;
    char lsn[40] = {0};
    unsigned long long epoch = 0, id = 0;
    if (std::sscanf(line.c_str(), "%llu\t%39s\t%llx", &epoch, lsn, &id) != 3 ||
        !ParseLsnText(lsn, &e.fork_lsn) || epoch <= history.back().epoch) {
      Throw(SqlState::kProtocolViolation, "invalid epoch history line \"{}\"", line);
    }
    e.epoch = epoch;
    e.id = id;
    history.push_back(e);
  }
  return history;
}

std::optional<std::string> EpochDivergence(const std::vector<EpochInfo>& mine,
                                           const std::vector<EpochInfo>& theirs, uint64_t applied) {
  const EpochInfo& current = mine.back();
  for (size_t i = 0; i < theirs.size(); ++i) {
    if (theirs[i].epoch != current.epoch) continue;
    if (theirs[i].id != current.id || theirs[i].fork_lsn != current.fork_lsn) {
      return fmt::format(
          "this node's epoch {} (begun at {}, id {:016x}) is not the primary's epoch {} (begun "
          "at {}, id {:016x}): the histories differ",
          current.epoch, LsnText(current.fork_lsn), current.id, theirs[i].epoch,
          LsnText(theirs[i].fork_lsn), theirs[i].id);
    }
    if (i + 1 < theirs.size() && applied > theirs[i + 1].fork_lsn) {
      return fmt::format(
          "this node applied up to {} in epoch {}, but the primary's history left epoch {} at "
          "{} (epoch {} began there): this node has commits the primary does not",
          LsnText(applied), current.epoch, current.epoch, LsnText(theirs[i + 1].fork_lsn),
          theirs[i + 1].epoch);
    }
    return std::nullopt;
  }
  return fmt::format("this node's epoch {} is not in the primary's history (its newest is {})",
                     current.epoch, theirs.back().epoch);
}

}  // namespace activestore::storage
