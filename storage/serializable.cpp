#include "storage/serializable.h"

#include <algorithm>
#include <limits>

#include "common/error.h"
#include "common/worker_pool.h"

namespace activestore::storage {

namespace {
// Past this many keys of one table, a set keeps the whole table instead (coarser, still safe).
constexpr size_t kMaxKeysPerTable = 10000;
constexpr uint64_t kNever = std::numeric_limits<uint64_t>::max();

bool InRange(std::string_view k, std::string_view lo, std::string_view hi) {
  return k >= lo && (hi.empty() || k < hi);
}

[[noreturn]] void ThrowSerialization(const std::string& detail) {
  Error e(SqlState::kSerializationFailure,
          "could not serialize access due to read/write dependencies among transactions");
  e.Detail(detail);
  e.Hint("The transaction might succeed if retried.");
  e.retryable = true;
  throw e;
}
}  // namespace

void ReadWriteSet::AddKey(std::string_view table, std::string_view key) {
  PerTable& t = tables_[std::string(table)];
  if (t.whole) return;
  t.keys.emplace(key);
  if (t.keys.size() > kMaxKeysPerTable) {
    t.whole = true;
    t.keys.clear();
    t.ranges.clear();
  }
}

void ReadWriteSet::AddRange(std::string_view table, std::string_view lower,
                            std::string_view upper) {
  PerTable& t = tables_[std::string(table)];
  if (t.whole) return;
  if (lower.empty() && upper.empty()) {
    t.whole = true;
    t.keys.clear();
    t.ranges.clear();
    return;
  }
  t.ranges.emplace_back(lower, upper);
  if (t.ranges.size() > kMaxKeysPerTable) {
    t.whole = true;
    t.keys.clear();
    t.ranges.clear();
  }
}

bool ReadWriteSet::Covers(std::string_view table, std::string_view key) const {
  auto r = tables_.find(std::string(table));
  if (r == tables_.end()) return false;
  const PerTable& reads = r->second;
  if (reads.whole || reads.keys.count(std::string(key)) != 0) return true;
  for (const auto& [lo, hi] : reads.ranges) {
    if (InRange(key, lo, hi)) return true;
  }
  return false;
}

bool ReadWriteSet::HasKeyIn(std::string_view table, std::string_view lower,
                            std::string_view upper) const {
  auto w = tables_.find(std::string(table));
  if (w == tables_.end()) return false;
  if (w->second.whole) return true;
  for (const std::string& k : w->second.keys) {
    if (InRange(k, lower, upper)) return true;
  }
  return false;
}

// One SERIALIZABLE transaction (PostgreSQL's SERIALIZABLEXACT).
struct SerializableValidator::Xact {
  uint64_t id = 0;
  int pid = 0;
  uint64_t snapshot = 0;  // last_seq_ at Begin: commits numbered <= snapshot are visible
  uint64_t prepare_seq = kNever;
  uint64_t commit_seq = kNever;
  // The earliest commit among the transactions this one read past (out-conflicts) that had
  // committed when this one committed (PostgreSQL's earliestOutConflictCommit).
  uint64_t earliest_out_commit = kNever;
  bool read_only = false;
  bool doomed = false;
  bool prepared = false;  // PrepareCommit passed (stays true once committed)
  bool committed = false;
  bool summary_in = false;   // has conflicts in from transactions no longer tracked
  bool summary_out = false;  // has conflicts out to transactions no longer tracked
  ReadWriteSet reads, writes;
  std::set<Xact*> in;   // R with R -rw-> this
  std::set<Xact*> out;  // W with this -rw-> W
};

SerializableValidator::SerializableValidator() = default;
SerializableValidator::~SerializableValidator() = default;

uint64_t SerializableValidator::Begin(bool serializable, bool read_only, int pid) {
  if (!serializable) return 0;
  std::lock_guard lock(mu_);
  auto x = std::make_unique<Xact>();
  x->id = next_id_++;
  x->pid = pid;
  x->snapshot = last_seq_;
  x->read_only = read_only;
  uint64_t id = x->id;
  xacts_.emplace(id, std::move(x));
  return id;
}

SerializableValidator::Xact* SerializableValidator::FindLocked(uint64_t id) {
  if (id == 0) return nullptr;
  auto it = xacts_.find(id);
  return it == xacts_.end() ? nullptr : it->second.get();
}

bool SerializableValidator::Concurrent(const Xact& a, const Xact& b) const {
  if (a.committed && a.commit_seq <= b.snapshot) return false;
  if (b.committed && b.commit_seq <= a.snapshot) return false;
  return true;
}

void SerializableValidator::ThrowIfDoomed(const Xact& me, const char* when) {
  if (me.doomed) {
    ThrowSerialization(
        fmt::format("Reason code: Canceled on identification as a pivot, {}.", when));
  }
}

void SerializableValidator::FlagConflictLocked(Xact* reader, Xact* writer, Xact* me,
                                               const char* when) {
  if (reader == writer || reader->out.count(writer) != 0) return;
  // PostgreSQL's OnConflict_CheckForSerializationFailure.
  bool failure = false;
  // R -rw-> W -rw-> T2 with W committed after T2: W committed with a conflict out to an
  // earlier commit.
  if (writer->committed && (writer->summary_out || writer->earliest_out_commit != kNever)) {
    failure = true;
  }
  // W becomes a pivot whose out-conflict T2 committed (or prepared) first; no anomaly if the
  // reader or the writer committed before T2, or the reader is READ ONLY and took its
  // snapshot before T2 committed.
  if (!failure) {
    if (writer->summary_out) {
      failure = true;
    } else {
      for (const Xact* t2 : writer->out) {
        if (t2->prepared && (!reader->committed || t2->prepare_seq <= reader->commit_seq) &&
            (!writer->committed || t2->prepare_seq <= writer->commit_seq) &&
            (!reader->read_only || t2->prepare_seq <= reader->snapshot)) {
          failure = true;
          break;
        }
      }
    }
  }
  // T0 -rw-> R -rw-> W with W committed (or prepared) first: R becomes a pivot. No anomaly if
  // T0 committed before W, or T0 is READ ONLY and overlaps W.
  if (!failure && writer->prepared && !reader->read_only) {
    if (reader->summary_in) {
      failure = true;
    } else {
      for (const Xact* t0 : reader->in) {
        if (!t0->doomed && (!t0->committed || t0->commit_seq >= writer->prepare_seq) &&
            (!t0->read_only || t0->snapshot >= writer->prepare_seq)) {
          failure = true;
          break;
        }
      }
    }
  }
  if (failure) {
    // Cancel the writer if it is us or can still be cancelled; a prepared writer cannot, so
    // the reader goes instead.
    if (writer == me) {
      ThrowSerialization("Reason code: Canceled on identification as a pivot, during write.");
    } else if (writer->prepared) {
      if (reader == me) {
        ThrowSerialization(fmt::format("Reason code: Canceled on conflict out to pivot {}, {}.",
                                       writer->id, when));
      }
      reader->doomed = true;
    } else {
      writer->doomed = true;
    }
  }
  reader->out.insert(writer);
  writer->in.insert(reader);
}

void SerializableValidator::OnRead(uint64_t id, std::string_view table, std::string_view key) {
  CheckRead(id, table, key, {}, /*range=*/false);
}

void SerializableValidator::OnScan(uint64_t id, std::string_view table, std::string_view lower,
                                   std::string_view upper) {
  CheckRead(id, table, lower, upper, /*range=*/true);
}

void SerializableValidator::CheckRead(uint64_t id, std::string_view table, std::string_view lo,
                                      std::string_view hi, bool range) {
  std::lock_guard lock(mu_);
  Xact* me = FindLocked(id);
  if (me == nullptr) return;
  ThrowIfDoomed(*me, "during conflict out checking");
  if (range) {
    me->reads.AddRange(table, lo, hi);
  } else {
    me->reads.AddKey(table, lo);
  }
  for (auto& [other_id, w] : xacts_) {
    Xact* writer = w.get();
    if (writer == me || writer->doomed || !Concurrent(*me, *writer)) continue;
    if (range ? !writer->writes.HasKeyIn(table, lo, hi) : !writer->writes.Covers(table, lo)) {
      continue;
    }
    // A READ ONLY transaction reading past a committed writer that has no conflict out to an
    // earlier commit before our snapshot appears to run first: no conflict.
    if (me->read_only && writer->committed && !writer->summary_out &&
        (writer->earliest_out_commit == kNever || me->snapshot < writer->earliest_out_commit)) {
      continue;
    }
    FlagConflictLocked(me, writer, me, "during read");
  }
}

bool SerializableValidator::ReadWasOverwritten(const Xact& reader, const Xact& writer,
                                               std::string_view table, std::string_view key) {
  for (const Xact* between : reader.out) {
    if (between->committed && between->commit_seq <= writer.snapshot &&
        between->writes.Covers(table, key)) {
      return true;
    }
  }
  return false;
}

void SerializableValidator::OnWrite(uint64_t id, std::string_view table, std::string_view key) {
  std::lock_guard lock(mu_);
  Xact* me = FindLocked(id);
  if (me == nullptr) return;
  ThrowIfDoomed(*me, "during conflict in checking");
  me->writes.AddKey(table, key);
  for (auto& [other_id, r] : xacts_) {
    Xact* reader = r.get();
    if (reader == me || reader->doomed || !Concurrent(*reader, *me)) continue;
    if (!reader->reads.Covers(table, key) || ReadWasOverwritten(*reader, *me, table, key)) {
      continue;
    }
    FlagConflictLocked(reader, me, me, "during write");
  }
}

void SerializableValidator::PrepareCommit(uint64_t id) {
  std::lock_guard lock(mu_);
  Xact* me = FindLocked(id);
  if (me == nullptr) return;
  ThrowIfDoomed(*me, "during commit attempt");
  // PostgreSQL's PreCommit_CheckForSerializationFailure: for each running T0 -rw-> me, if
  // some X -rw-> T0 (X = me, or X running, not READ ONLY), T0 is a pivot and we commit
  // first: cancel T0 (or ourselves if T0 is prepared and so cannot be cancelled).
  for (Xact* near : me->in) {
    if (near->committed || near->doomed) continue;
    for (const Xact* far : near->in) {
      if (far == me || (!far->committed && !far->read_only && !far->doomed)) {
        if (near->prepared) {
          ThrowSerialization(fmt::format(
              "Reason code: Canceled on conflict out to pivot {}, during commit attempt.",
              near->id));
        }
        near->doomed = true;
        break;
      }
    }
  }
  me->prepare_seq = ++last_seq_;
  me->prepared = true;
}

void SerializableValidator::FinishCommit(uint64_t id, bool committed) {
  std::lock_guard lock(mu_);
  Xact* me = FindLocked(id);
  if (me == nullptr) return;
  if (!committed) {
    RemoveLocked(me);
    PruneLocked();
    return;
  }
  me->committed = true;
  me->commit_seq = ++last_seq_;
  // A transaction that committed without writing is read-only after the fact.
  if (me->writes.empty()) me->read_only = true;
  if (!me->read_only) {
    for (const Xact* t : me->out) {
      if (t->committed) me->earliest_out_commit = std::min(me->earliest_out_commit, t->prepare_seq);
    }
  }
  // A read-only snapshot taken while this one ran is unsafe if this one read past a
  // transaction that had committed before that snapshot.
  for (SafeWaiter* w : safe_waiters_) {
    if (w->pending.erase(me->id) == 0) continue;
    if (me->summary_out ||
        (me->earliest_out_commit != kNever && me->earliest_out_commit <= w->snapshot)) {
      w->unsafe = true;
    }
  }
  safe_cv_.notify_all();
  PruneLocked();
}

void SerializableValidator::End(uint64_t id) {
  std::lock_guard lock(mu_);
  Xact* me = FindLocked(id);
  if (me == nullptr) return;
  if (!me->prepared) RemoveLocked(me);  // rolled back (or never committed)
  PruneLocked();
}

uint64_t SerializableValidator::RecoverPrepared(
    const std::vector<std::pair<std::string, std::string>>& writes) {
  std::lock_guard lock(mu_);
  auto x = std::make_unique<Xact>();
  x->id = next_id_++;
  x->snapshot = 0;
  x->prepare_seq = ++last_seq_;
  x->prepared = true;
  x->summary_in = true;
  x->summary_out = true;
  for (const auto& [table, key] : writes) x->writes.AddKey(table, key);
  uint64_t id = x->id;
  xacts_.emplace(id, std::move(x));
  return id;
}

void SerializableValidator::WaitForSafeSnapshot(const WaitPolicy& policy, int pid) {
  using Clock = std::chrono::steady_clock;
  std::unique_lock lk(mu_);
  for (;;) {
    SafeWaiter w;
    w.pid = pid;
    w.snapshot = last_seq_;
    for (const auto& [id, x] : xacts_) {
      if (!x->committed && !x->read_only) w.pending.insert(id);
    }
    if (w.pending.empty()) return;
    safe_waiters_.push_back(&w);
    auto leave = [&] {
      safe_waiters_.erase(std::find(safe_waiters_.begin(), safe_waiters_.end(), &w));
    };
    WorkerPool::BlockingRegion blocked;
    while (!w.unsafe && !w.pending.empty()) {
      auto now = Clock::now();
      if (policy.cancel != nullptr && policy.cancel->load()) {
        leave();
        Throw(SqlState::kQueryCanceled, "canceling statement due to user request");
      }
      if (policy.statement_deadline != Clock::time_point{} && now >= policy.statement_deadline) {
        leave();
        Throw(SqlState::kQueryCanceled, "canceling statement due to statement timeout");
      }
      auto until = now + std::chrono::milliseconds(50);
      if (policy.statement_deadline != Clock::time_point{}) {
        until = std::min(until, policy.statement_deadline);
      }
      safe_cv_.wait_until(lk, until);
    }
    leave();
    if (!w.unsafe) return;
  }
}

std::vector<int> SerializableValidator::SafeSnapshotBlockers(int pid) {
  std::lock_guard lock(mu_);
  std::vector<int> out;
  for (const SafeWaiter* w : safe_waiters_) {
    if (w->pid != pid) continue;
    for (uint64_t id : w->pending) {
      if (const Xact* x = FindLocked(id)) out.push_back(x->pid);
    }
  }
  return out;
}

void SerializableValidator::RemoveLocked(Xact* x) {
  bool waited_for = false;
  for (SafeWaiter* w : safe_waiters_) waited_for |= w->pending.erase(x->id) != 0;
  if (waited_for) safe_cv_.notify_all();
  for (Xact* t : x->in) t->out.erase(x);
  for (Xact* t : x->out) t->in.erase(x);
  xacts_.erase(x->id);
}

void SerializableValidator::PruneLocked() {
  // A committed transaction matters while a transaction that has not committed is
  // concurrent with it (took its snapshot before that commit).
  uint64_t oldest = kNever;
  for (const auto& [id, x] : xacts_) {
    if (!x->committed) oldest = std::min(oldest, x->snapshot);
  }
  std::vector<Xact*> gone;
  for (const auto& [id, x] : xacts_) {
    if (x->committed && (oldest == kNever || x->commit_seq <= oldest)) gone.push_back(x.get());
  }
  for (Xact* x : gone) RemoveLocked(x);
}

size_t SerializableValidator::tracked() {
  std::lock_guard lock(mu_);
  return xacts_.size();
}

}  // namespace activestore::storage
