#include "storage/serializable.h"

#include "common/error.h"

namespace activestore::storage {

namespace {
// Past this many keys of one table, a set keeps the whole table instead (coarser, still safe).
constexpr size_t kMaxKeysPerTable = 10000;
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

bool ReadWriteSet::Intersects(const ReadWriteSet& writes) const {
  for (const auto& [table, w] : writes.tables_) {
    auto r = tables_.find(table);
    if (r == tables_.end()) continue;
    const PerTable& reads = r->second;
    if (reads.whole || w.whole) return true;
    for (const std::string& k : w.keys) {
      if (reads.keys.count(k) != 0) return true;
      for (const auto& [lo, hi] : reads.ranges) {
        if (k >= lo && (hi.empty() || k < hi)) return true;
      }
    }
  }
  return false;
}

uint64_t SerializableValidator::Begin(bool serializable) {
  // Only a serializable transaction validates against its start; the others need no state.
  if (!serializable) return 0;
  std::lock_guard lock(mu_);
  // Commits still in flight may or may not be in this transaction's snapshot: count them as
  // concurrent.
  uint64_t start = next_seq_;
  for (const auto& [seq, c] : commits_) {
    if (c.in_flight) {
      start = std::min(start, seq);
      break;
    }
  }
  if (serializable) active_starts_.insert(start);
  return start;
}

void SerializableValidator::ValidateLocked(uint64_t start_seq, const ReadWriteSet& reads,
                                           const char* when) {
  for (auto it = commits_.lower_bound(start_seq); it != commits_.end(); ++it) {
    if (reads.Intersects(it->second.writes)) {
      Error e(SqlState::kSerializationFailure,
              "could not serialize access due to read/write dependencies among transactions");
      e.Detail(fmt::format("Reason code: Canceled on identification as a pivot, {}.", when));
      e.Hint("The transaction might succeed if retried.");
      e.retryable = true;
      throw e;
    }
  }
}

void SerializableValidator::Validate(uint64_t start_seq, const ReadWriteSet& reads) {
  if (reads.empty()) return;
  std::lock_guard lock(mu_);
  ValidateLocked(start_seq, reads, "during write");
}

uint64_t SerializableValidator::PrepareCommit(uint64_t start_seq, bool serializable,
                                              const ReadWriteSet* reads, ReadWriteSet&& writes,
                                              bool always_record) {
  std::lock_guard lock(mu_);
  if (serializable && reads != nullptr && !reads->empty()) {
    ValidateLocked(start_seq, *reads, "during commit attempt");
  }
  uint64_t seq = next_seq_++;
  if ((always_record || !active_starts_.empty()) && !writes.empty()) {
    commits_[seq] = Commit{std::move(writes), true};
  }
  return seq;
}

void SerializableValidator::FinishCommit(uint64_t seq, bool committed) {
  std::lock_guard lock(mu_);
  auto it = commits_.find(seq);
  if (it == commits_.end()) return;
  if (!committed) {
    commits_.erase(it);
  } else {
    it->second.in_flight = false;
  }
  PruneLocked();
}

void SerializableValidator::End(uint64_t start_seq, bool serializable) {
  if (!serializable) return;  // FinishCommit already pruned for a committing writer
  std::lock_guard lock(mu_);
  if (serializable) {
    auto it = active_starts_.find(start_seq);
    if (it != active_starts_.end()) active_starts_.erase(it);
  }
  PruneLocked();
}

void SerializableValidator::PruneLocked() {
  // A commit matters while some running serializable transaction started before it.
  uint64_t oldest = active_starts_.empty() ? next_seq_ : *active_starts_.begin();
  for (auto it = commits_.begin(); it != commits_.end() && it->first < oldest;) {
    if (it->second.in_flight) {
      ++it;
    } else {
      it = commits_.erase(it);
    }
  }
}

size_t SerializableValidator::tracked_commits() {
  std::lock_guard lock(mu_);
  return commits_.size();
}

}  // namespace activestore::storage
