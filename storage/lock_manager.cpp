#include "storage/lock_manager.h"

#include <xxhash.h>

#include <algorithm>
#include <set>

#include "common/error.h"
#include "common/worker_pool.h"

namespace activestore::storage {

namespace {

constexpr uint16_t Bit(int m) { return static_cast<uint16_t>(1u << m); }

// PostgreSQL's LockConflicts (lock.c) for table and advisory locks, indexed by mode.
constexpr uint16_t kTableConflicts[9] = {
    0,
    /* AccessShare */ Bit(8),
    /* RowShare */ Bit(7) | Bit(8),
    /* RowExclusive */ Bit(5) | Bit(6) | Bit(7) | Bit(8),
    /* ShareUpdateExclusive */ Bit(4) | Bit(5) | Bit(6) | Bit(7) | Bit(8),
    /* Share */ Bit(3) | Bit(4) | Bit(6) | Bit(7) | Bit(8),
    /* ShareRowExclusive */ Bit(3) | Bit(4) | Bit(5) | Bit(6) | Bit(7) | Bit(8),
    /* Exclusive */ Bit(2) | Bit(3) | Bit(4) | Bit(5) | Bit(6) | Bit(7) | Bit(8),
    /* AccessExclusive */ Bit(1) | Bit(2) | Bit(3) | Bit(4) | Bit(5) | Bit(6) | Bit(7) | Bit(8),
};

// Row lock conflicts (heapam.c's tupleLockExtraInfo / the manual's table 13.3).
constexpr uint16_t kRowConflicts[5] = {
    0,
    /* KeyShare */ Bit(4),
    /* Share */ Bit(3) | Bit(4),
    /* NoKeyUpdate */ Bit(2) | Bit(3) | Bit(4),
    /* Update */ Bit(1) | Bit(2) | Bit(3) | Bit(4),
};

uint16_t Conflicts(LockKind kind, uint8_t mode) {
  return kind == LockKind::kRow ? kRowConflicts[mode] : kTableConflicts[mode];
}

// Row locks beyond this many on one relation become one ExclusiveLock on the relation, so
// a bulk load does not keep a lock entry per row (lock escalation).
constexpr size_t kRowLockEscalation = 20000;

const char* kTableModeNames[9] = {"",
                                  "AccessShareLock",
                                  "RowShareLock",
                                  "RowExclusiveLock",
                                  "ShareUpdateExclusiveLock",
                                  "ShareLock",
                                  "ShareRowExclusiveLock",
                                  "ExclusiveLock",
                                  "AccessExclusiveLock"};
const char* kRowModeNames[5] = {"", "ForKeyShare", "ForShare", "ForNoKeyUpdate", "ForUpdate"};

std::string ModeName(LockKind kind, uint8_t mode) {
  return kind == LockKind::kRow ? kRowModeNames[mode] : kTableModeNames[mode];
}

}  // namespace

const char* LockModeName(LockMode m) { return kTableModeNames[static_cast<int>(m)]; }
const char* RowLockModeName(RowLockMode m) { return kRowModeNames[static_cast<int>(m)]; }

std::optional<LockMode> ParseLockMode(std::string_view w) {
  static const std::pair<const char*, LockMode> kNames[] = {
      {"access share", LockMode::kAccessShare},
      {"row share", LockMode::kRowShare},
      {"row exclusive", LockMode::kRowExclusive},
      {"share update exclusive", LockMode::kShareUpdateExclusive},
      {"share", LockMode::kShare},
      {"share row exclusive", LockMode::kShareRowExclusive},
      {"exclusive", LockMode::kExclusive},
      {"access exclusive", LockMode::kAccessExclusive},
  };
  for (const auto& [name, mode] : kNames) {
    if (w == name) return mode;
  }
  return std::nullopt;
}

size_t LockTagHash::operator()(const LockTag& t) const {
  uint64_t h = t.id * 0x9E3779B97F4A7C15ull;
  h ^= (static_cast<uint64_t>(t.relation) << 8) ^ (static_cast<uint64_t>(t.database) << 40) ^
       static_cast<uint64_t>(t.kind);
  return static_cast<size_t>(h ^ (h >> 29));
}

uint16_t LockManager::Holder::mask() const {
  uint16_t m = 0;
  for (int i = 1; i < 9; ++i) {
    if (counts[i] != 0) m |= Bit(i);
  }
  return m;
}

LockOwner LockManager::NewOwner(int pid) {
  std::lock_guard lock(mu_);
  LockOwner o = next_owner_++;
  owners_[o].pid = pid;
  return o;
}

bool LockManager::SameProcessLocked(LockOwner a, LockOwner b) const {
  if (a == b) return true;
  auto x = owners_.find(a), y = owners_.find(b);
  return x != owners_.end() && y != owners_.end() && x->second.pid != 0 &&
         x->second.pid == y->second.pid;
}

LockOwner LockManager::WaitingOwnerOfProcessLocked(LockOwner owner) const {
  auto o = owners_.find(owner);
  if (o == owners_.end() || o->second.waiting != nullptr || o->second.pid == 0) return owner;
  for (const auto& [other, st] : owners_) {
    if (st.pid == o->second.pid && st.waiting != nullptr) return other;
  }
  return owner;
}

bool LockManager::Grantable(const Lock& lock, LockOwner owner, uint8_t mode, const LockTag& tag,
                            const Waiter* upto) const {
  uint16_t conflicts = Conflicts(tag.kind, mode);
  bool holds_any = false;
  for (const Holder& h : lock.holders) {
    // A backend's locks never conflict with each other (its session-level advisory locks and
    // its transaction's locks have different owners), as in PostgreSQL.
    if (SameProcessLocked(h.owner, owner)) {
      holds_any = true;
      continue;
    }
    if (h.mask() & conflicts) return false;
  }
  // Fairness: a new request queues behind earlier conflicting waiters, unless the requester
  // already holds the lock (then it would wait for a waiter that waits for it). A new row
  // lock request compatible with the holders is granted at once, as PostgreSQL's
  // heap_lock_tuple joins the row's current lockers without queueing on the tuple lock; only
  // the requests that have to wait line up.
  if (holds_any || (upto == nullptr && tag.kind == LockKind::kRow)) return true;
  for (const Waiter* w : lock.waiters) {
    if (w == upto) break;
    if (!SameProcessLocked(w->owner, owner) && (Bit(w->mode) & conflicts)) return false;
  }
  return true;
}

void LockManager::GrantLocked(Lock& lock, LockOwner owner, uint8_t mode, const LockTag& tag) {
  auto it = std::find_if(lock.holders.begin(), lock.holders.end(),
                         [&](const Holder& h) { return h.owner == owner; });
  if (it == lock.holders.end()) {
    lock.holders.push_back(Holder{owner});
    it = lock.holders.end() - 1;
  }
  ++it->counts[mode];
  OwnerState& os = owners_[owner];
  os.held.push_back(HeldLock{tag, mode, os.grants++});
  if (tag.kind == LockKind::kRow) ++os.row_counts[tag.relation];
}

bool LockManager::Acquire(LockOwner owner, const LockTag& tag, uint8_t mode,
                          const WaitPolicy& policy) {
  std::unique_lock lk(mu_);
  Lock& lock = locks_[tag];
  // Re-entrant: a row or table lock already held in this or a stronger mode is not taken
  // again (advisory locks count every hold).
  if (tag.kind != LockKind::kAdvisory) {
    for (const Holder& h : lock.holders) {
      if (h.owner != owner) continue;
      uint16_t held = h.mask();
      if (held & Bit(mode)) return true;
      // A stronger held mode covers a weaker one when it conflicts with a superset.
      for (int m = 1; m < 9; ++m) {
        if ((held & Bit(m)) && m > mode &&
            (Conflicts(tag.kind, static_cast<uint8_t>(m)) & Conflicts(tag.kind, mode)) ==
                Conflicts(tag.kind, mode)) {
          return true;
        }
      }
    }
  }
  if (Grantable(lock, owner, mode, tag, nullptr)) {
    GrantLocked(lock, owner, mode, tag);
    return true;
  }
  if (policy.skip_locked) {
    if (lock.holders.empty() && lock.waiters.empty()) locks_.erase(tag);
    return false;
  }
  if (policy.nowait) {
    if (lock.holders.empty() && lock.waiters.empty()) locks_.erase(tag);
    Throw(SqlState::kLockNotAvailable, "{}",
          policy.nowait_message.empty() ? "could not obtain lock" : policy.nowait_message);
  }

  // PostgreSQL's early deadlock check (ProcSleep): a waiter ahead that wants a mode our held
  // locks on this object block, while holding a mode our request conflicts with, can never
  // be granted before us nor we before it.
  {
    auto mask_of = [&](LockOwner o) -> uint16_t {
      for (const Holder& h : lock.holders) {
        if (h.owner == o) return h.mask();
      }
      return 0;
    };
    uint16_t mine = mask_of(owner);
    if (mine != 0) {
      for (const Waiter* other : lock.waiters) {
        if (other->owner == owner) continue;
        if ((Conflicts(tag.kind, other->mode) & mine) &&
            (Conflicts(tag.kind, mode) & mask_of(other->owner))) {
          if (lock.holders.empty() && lock.waiters.empty()) locks_.erase(tag);
          Error e(SqlState::kDeadlockDetected, "deadlock detected");
          auto o = owners_.find(other->owner);
          e.Detail(fmt::format(
              "Process {} waits for {}; blocked by process {}.\nProcess {} waits for {}; blocked "
              "by process {}.",
              owners_[owner].pid, ModeName(tag.kind, mode), o == owners_.end() ? 0 : o->second.pid,
              o == owners_.end() ? 0 : o->second.pid, ModeName(tag.kind, other->mode),
              owners_[owner].pid));
          e.Hint("See server log for query details.");
          throw e;
        }
      }
    }
  }
  Waiter w{owner, mode};
  lock.waiters.push_back(&w);
  OwnerState& os = owners_[owner];
  os.waiting_tag = tag;
  os.waiting = &w;

  WorkerPool::BlockingRegion blocked;
  using Clock = std::chrono::steady_clock;
  auto deadlock_check = Clock::now() + policy.deadlock_timeout;
  Clock::time_point lock_deadline{};
  if (policy.lock_timeout.count() > 0) lock_deadline = Clock::now() + policy.lock_timeout;
  bool checked = false;
  auto fail = [&](Error e) {
    RemoveWaiterLocked(owner, tag, &w);
    throw e;
  };
  while (!w.granted) {
    auto now = Clock::now();
    if (policy.cancel != nullptr && policy.cancel->load()) {
      fail(Error(SqlState::kQueryCanceled, "canceling statement due to user request"));
    }
    // Both expired: the lock timeout is reported, as PostgreSQL's ProcessInterrupts does.
    if (lock_deadline != Clock::time_point{} && now >= lock_deadline) {
      fail(Error(SqlState::kLockNotAvailable, "canceling statement due to lock timeout"));
    }
    if (policy.statement_deadline != Clock::time_point{} && now >= policy.statement_deadline) {
      fail(Error(SqlState::kQueryCanceled, "canceling statement due to statement timeout"));
    }
    if (!checked && now >= deadlock_check) {
      checked = true;
      std::vector<LockOwner> cycle = FindCycleLocked(owner);
      // A cycle through a queue position (a soft edge) is resolved by moving the waiter
      // ahead, as PostgreSQL rearranges wait queues; only a cycle of held locks is a deadlock.
      while (!cycle.empty() && ResolveSoftEdgeLocked(cycle)) {
        cycle = w.granted ? std::vector<LockOwner>{} : FindCycleLocked(owner);
      }
      if (!cycle.empty()) {
        std::string detail;
        for (LockOwner o : cycle) {
          if (!detail.empty()) detail += "\n";
          detail += DescribeWaitLocked(o);
        }
        Error e(SqlState::kDeadlockDetected, "deadlock detected");
        e.Detail(detail).Hint("See server log for query details.");
        fail(std::move(e));
      }
    }
    auto until = now + std::chrono::milliseconds(50);
    if (!checked) until = std::min(until, deadlock_check);
    if (lock_deadline != Clock::time_point{}) until = std::min(until, lock_deadline);
    if (policy.statement_deadline != Clock::time_point{}) {
      until = std::min(until, policy.statement_deadline);
    }
    w.cv.wait_until(lk, until);
  }
  os.waiting = nullptr;
  os.waiting_tag.reset();
  return true;
}

void LockManager::RemoveWaiterLocked(LockOwner owner, const LockTag& tag, Waiter* w) {
  auto it = locks_.find(tag);
  OwnerState& os = owners_[owner];
  os.waiting = nullptr;
  os.waiting_tag.reset();
  if (it == locks_.end()) return;
  Lock& lock = it->second;
  lock.waiters.erase(std::remove(lock.waiters.begin(), lock.waiters.end(), w), lock.waiters.end());
  if (w->granted) {
    // Granted between the wake-up and the failure: give it back.
    ReleaseOneLocked(owner, tag, w->mode);
    return;
  }
  // Later waiters that queued behind this one may go now.
  WakeLocked(lock, tag);
  if (lock.holders.empty() && lock.waiters.empty()) locks_.erase(it);
}

void LockManager::WakeLocked(Lock& lock, const LockTag& tag) {
  for (auto it = lock.waiters.begin(); it != lock.waiters.end();) {
    Waiter* w = *it;
    if (Grantable(lock, w->owner, w->mode, tag, w)) {
      GrantLocked(lock, w->owner, w->mode, tag);
      w->granted = true;
      // No longer waiting, for the deadlock search (the waiter's thread may not run yet).
      auto o = owners_.find(w->owner);
      if (o != owners_.end() && o->second.waiting == w) {
        o->second.waiting = nullptr;
        o->second.waiting_tag.reset();
      }
      w->cv.notify_one();
      it = lock.waiters.erase(it);
    } else {
      ++it;
    }
  }
}

void LockManager::ReleaseOneLocked(LockOwner owner, const LockTag& tag, uint8_t mode) {
  auto it = locks_.find(tag);
  if (it == locks_.end()) return;
  Lock& lock = it->second;
  auto h = std::find_if(lock.holders.begin(), lock.holders.end(),
                        [&](const Holder& x) { return x.owner == owner; });
  if (h != lock.holders.end() && h->counts[mode] > 0) {
    --h->counts[mode];
    if (h->mask() == 0) lock.holders.erase(h);
  }
  WakeLocked(lock, tag);
  if (lock.holders.empty() && lock.waiters.empty()) locks_.erase(it);
}

void LockManager::ReleaseAll(LockOwner owner) {
  std::lock_guard lk(mu_);
  auto it = owners_.find(owner);
  if (it == owners_.end()) return;
  std::vector<HeldLock> held = std::move(it->second.held);
  owners_.erase(it);
  // Whole entries at once: an owner's holds of one tag go together.
  for (const HeldLock& e : held) {
    const LockTag& tag = e.tag;
    auto l = locks_.find(tag);
    if (l == locks_.end()) continue;
    Lock& lock = l->second;
    lock.holders.erase(std::remove_if(lock.holders.begin(), lock.holders.end(),
                                      [&](const Holder& h) { return h.owner == owner; }),
                       lock.holders.end());
    WakeLocked(lock, tag);
    if (lock.holders.empty() && lock.waiters.empty()) locks_.erase(l);
  }
}

void LockManager::SetPid(LockOwner owner, int pid) {
  std::lock_guard lk(mu_);
  owners_[owner].pid = pid;
}

std::vector<std::pair<LockTag, uint8_t>> LockManager::Held(LockOwner owner) {
  std::lock_guard lk(mu_);
  auto it = owners_.find(owner);
  if (it == owners_.end()) return {};
  std::vector<std::pair<LockTag, uint8_t>> out;
  out.reserve(it->second.held.size());
  for (const HeldLock& e : it->second.held) out.emplace_back(e.tag, e.mode);
  return out;
}

void LockManager::Restore(LockOwner owner, const LockTag& tag, uint8_t mode) {
  std::lock_guard lk(mu_);
  GrantLocked(locks_[tag], owner, mode, tag);
}

uint64_t LockManager::Mark(LockOwner owner) {
  std::lock_guard lk(mu_);
  return owners_[owner].grants;
}

void LockManager::ReleaseSince(LockOwner owner, uint64_t mark,
                               const std::function<uint8_t(const LockTag&, uint8_t)>& keep) {
  std::lock_guard lk(mu_);
  auto it = owners_.find(owner);
  if (it == owners_.end()) return;
  std::vector<std::pair<HeldLock, uint8_t>> release;  // with the mode to hold instead
  {
    auto& held = it->second.held;
    auto first = std::stable_partition(held.begin(), held.end(), [&](const HeldLock& e) {
      if (e.seq < mark) return true;
      uint8_t instead = keep ? keep(e.tag, e.mode) : 0;
      if (instead == e.mode) return true;
      release.emplace_back(e, instead);
      return false;
    });
    held.erase(first, held.end());
  }
  for (auto r = release.rbegin(); r != release.rend(); ++r) {
    const HeldLock& e = r->first;
    if (r->second != 0) GrantLocked(locks_[e.tag], owner, r->second, e.tag);
    if (e.tag.kind == LockKind::kRow) --owners_[owner].row_counts[e.tag.relation];
    ReleaseOneLocked(owner, e.tag, e.mode);
  }
}

bool LockManager::LockTable(LockOwner owner, uint32_t database, uint32_t relation, LockMode mode,
                            const WaitPolicy& policy) {
  (void)database;  // relation oids are unique across databases
  LockTag tag{LockKind::kRelation, 0, relation, 0};
  return Acquire(owner, tag, static_cast<uint8_t>(mode), policy);
}

bool LockManager::LockRow(LockOwner owner, uint32_t relation, std::string_view storage_key,
                          RowLockMode mode, const WaitPolicy& policy) {
  {
    std::lock_guard lk(mu_);
    // Escalated: the owner's ExclusiveLock on the relation already keeps every other writer
    // and row locker out.
    auto l = locks_.find(LockTag{LockKind::kRelation, 0, relation, 0});
    if (l != locks_.end()) {
      for (const Holder& h : l->second.holders) {
        if (h.owner == owner && (h.mask() & (Bit(7) | Bit(8)))) return true;
      }
    }
  }
  // A row locker holds the relation in RowShare (SELECT ... FOR any lock strength) or
  // RowExclusive (writes), as PostgreSQL's statements do; this is also what makes an escalated
  // ExclusiveLock keep other row lockers out.
  LockMode table_mode =
      mode == RowLockMode::kKeyShare || mode == RowLockMode::kShare || policy.select_lock
          ? LockMode::kRowShare
          : LockMode::kRowExclusive;
  if (!Acquire(owner, LockTag{LockKind::kRelation, 0, relation, 0},
               static_cast<uint8_t>(table_mode), policy)) {
    return false;
  }
  LockTag tag{LockKind::kRow, 0, relation, RowLockId(storage_key)};
  bool ok = Acquire(owner, tag, static_cast<uint8_t>(mode), policy);
  if (!ok) return false;
  size_t count;
  {
    std::lock_guard lk(mu_);
    count = owners_[owner].row_counts[relation];
  }
  if (count == kRowLockEscalation) {
    // Escalate: take ExclusiveLock on the relation (waiting like any other request); then
    // the owner's row entries of this relation are no longer needed.
    LockTable(owner, 0, relation, LockMode::kExclusive, policy);
    std::lock_guard lk(mu_);
    auto& held = owners_[owner].held;
    std::vector<HeldLock> keep;
    std::vector<HeldLock> drop;
    for (auto& e : held) {
      (e.tag.kind == LockKind::kRow && e.tag.relation == relation ? drop : keep).push_back(e);
    }
    held = std::move(keep);
    for (const HeldLock& d : drop) {
      const LockTag& t = d.tag;
      auto l = locks_.find(t);
      if (l == locks_.end()) continue;
      auto& hs = l->second.holders;
      hs.erase(
          std::remove_if(hs.begin(), hs.end(), [&](const Holder& h) { return h.owner == owner; }),
          hs.end());
      WakeLocked(l->second, t);
      if (hs.empty() && l->second.waiters.empty()) locks_.erase(l);
    }
  }
  return true;
}

uint64_t LockManager::RowLockId(std::string_view storage_key) {
  return XXH3_64bits(storage_key.data(), storage_key.size());
}

bool LockManager::LockAdvisory(LockOwner owner, uint32_t database, uint64_t key, bool shared,
                               const WaitPolicy& policy, uint32_t field) {
  LockTag tag{LockKind::kAdvisory, database, field, key};
  return Acquire(owner, tag, static_cast<uint8_t>(shared ? LockMode::kShare : LockMode::kExclusive),
                 policy);
}

bool LockManager::UnlockAdvisory(LockOwner owner, uint32_t database, uint64_t key, bool shared,
                                 uint32_t field) {
  std::lock_guard lk(mu_);
  LockTag tag{LockKind::kAdvisory, database, field, key};
  uint8_t mode = static_cast<uint8_t>(shared ? LockMode::kShare : LockMode::kExclusive);
  auto o = owners_.find(owner);
  if (o == owners_.end()) return false;
  auto& held = o->second.held;
  for (auto it = held.rbegin(); it != held.rend(); ++it) {
    if (it->tag == tag && it->mode == mode) {
      held.erase(std::next(it).base());
      ReleaseOneLocked(owner, tag, mode);
      return true;
    }
  }
  return false;
}

bool LockManager::HoldsTable(LockOwner owner, uint32_t database, uint32_t relation, LockMode mode) {
  std::lock_guard lk(mu_);
  (void)database;
  auto l = locks_.find(LockTag{LockKind::kRelation, 0, relation, 0});
  if (l == locks_.end()) return false;
  for (const Holder& h : l->second.holders) {
    if (h.owner == owner && h.counts[static_cast<int>(mode)] > 0) return true;
  }
  return false;
}

std::vector<LockOwner> LockManager::BlockersLocked(LockOwner owner) const {
  std::vector<LockOwner> out;
  auto o = owners_.find(owner);
  if (o == owners_.end() || o->second.waiting == nullptr) return out;
  const LockTag& tag = *o->second.waiting_tag;
  auto l = locks_.find(tag);
  if (l == locks_.end()) return out;
  const Waiter* me = o->second.waiting;
  uint16_t conflicts = Conflicts(tag.kind, me->mode);
  // A holder that is not waiting itself may belong to a backend whose other owner waits (a
  // session-level advisory lock's owner and the transaction's): the edge goes to the waiter.
  for (const Holder& h : l->second.holders) {
    if (!SameProcessLocked(h.owner, owner) && (h.mask() & conflicts)) {
      out.push_back(WaitingOwnerOfProcessLocked(h.owner));
    }
  }
  // Earlier waiters with conflicting requests block too (soft edges).
  for (const Waiter* w : l->second.waiters) {
    if (w == me) break;
    if (!SameProcessLocked(w->owner, owner) && (Bit(w->mode) & conflicts)) {
      out.push_back(w->owner);
    }
  }
  return out;
}

bool LockManager::ResolveSoftEdgeLocked(const std::vector<LockOwner>& cycle) {
  // PostgreSQL tries the soft edges found deepest in the search first.
  for (size_t i = cycle.size(); i-- > 0;) {
    LockOwner a = cycle[i];
    LockOwner b = cycle[(i + 1) % cycle.size()];
    auto oa = owners_.find(a);
    if (oa == owners_.end() || oa->second.waiting == nullptr) continue;
    Waiter* wa = oa->second.waiting;
    const LockTag tag = *oa->second.waiting_tag;
    auto l = locks_.find(tag);
    if (l == locks_.end()) continue;
    Lock& lock = l->second;
    auto ia = std::find(lock.waiters.begin(), lock.waiters.end(), wa);
    auto ib =
        std::find_if(lock.waiters.begin(), ia, [&](const Waiter* w) { return w->owner == b; });
    if (ia == lock.waiters.end() || ib == ia) continue;  // not a queue-order edge
    uint16_t conflicts = Conflicts(tag.kind, wa->mode);
    bool possible = true;
    for (const Holder& h : lock.holders) {
      if (!SameProcessLocked(h.owner, a) && (h.mask() & conflicts)) possible = false;
    }
    for (auto it = lock.waiters.begin(); possible && it != ib; ++it) {
      if (!SameProcessLocked((*it)->owner, a) && (Bit((*it)->mode) & conflicts)) possible = false;
    }
    if (!possible) continue;
    // Move a ahead of b; it is grantable there.
    size_t pos = static_cast<size_t>(ib - lock.waiters.begin());
    lock.waiters.erase(ia);
    lock.waiters.insert(lock.waiters.begin() + static_cast<std::ptrdiff_t>(pos), wa);
    WakeLocked(lock, tag);
    return true;
  }
  return false;
}

std::vector<LockOwner> LockManager::FindCycleLocked(LockOwner start) const {
  // Depth-first search over the wait-for graph for a path back to `start`.
  std::vector<LockOwner> path;
  std::set<LockOwner> visited;
  std::function<bool(LockOwner)> dfs = [&](LockOwner o) -> bool {
    path.push_back(o);
    for (LockOwner b : BlockersLocked(o)) {
      if (b == start) return true;
      if (visited.insert(b).second && dfs(b)) return true;
    }
    path.pop_back();
    return false;
  };
  visited.insert(start);
  if (dfs(start)) return path;
  return {};
}

std::string LockManager::DescribeWaitLocked(LockOwner owner) const {
  auto o = owners_.find(owner);
  if (o == owners_.end() || o->second.waiting == nullptr) return "";
  const LockTag& t = *o->second.waiting_tag;
  std::string what;
  switch (t.kind) {
    case LockKind::kRelation:
      what = fmt::format("relation {} of database {}", t.relation, t.database);
      break;
    case LockKind::kRow:
      what = fmt::format("a row of relation {}", t.relation);
      break;
    case LockKind::kAdvisory:
      what = fmt::format("advisory lock [{},{},{},{}]", t.database, t.id >> 32, t.id & 0xffffffff,
                         t.relation);
      break;
  }
  std::string blockers;
  for (LockOwner b : BlockersLocked(owner)) {
    auto bo = owners_.find(b);
    if (bo == owners_.end()) continue;
    if (!blockers.empty()) blockers += ", ";
    blockers += std::to_string(bo->second.pid);
  }
  return fmt::format("Process {} waits for {} on {}; blocked by process {}.", o->second.pid,
                     ModeName(t.kind, o->second.waiting->mode), what, blockers);
}

std::vector<int> LockManager::BlockingPids(int pid) {
  std::lock_guard lk(mu_);
  std::vector<int> out;
  for (const auto& [owner, st] : owners_) {
    if (st.pid != pid || st.waiting == nullptr) continue;
    for (LockOwner b : BlockersLocked(owner)) {
      auto bo = owners_.find(b);
      if (bo != owners_.end() && bo->second.pid != pid &&
          std::find(out.begin(), out.end(), bo->second.pid) == out.end()) {
        out.push_back(bo->second.pid);
      }
    }
  }
  return out;
}

std::vector<LockInfo> LockManager::Locks() {
  std::lock_guard lk(mu_);
  std::vector<LockInfo> out;
  for (const auto& [tag, lock] : locks_) {
    for (const Holder& h : lock.holders) {
      auto o = owners_.find(h.owner);
      int pid = o == owners_.end() ? 0 : o->second.pid;
      for (int m = 1; m < 9; ++m) {
        if (h.counts[m] != 0) {
          out.push_back(LockInfo{tag, pid, ModeName(tag.kind, static_cast<uint8_t>(m)), true});
        }
      }
    }
    for (const Waiter* w : lock.waiters) {
      auto o = owners_.find(w->owner);
      out.push_back(LockInfo{tag, o == owners_.end() ? 0 : o->second.pid,
                             ModeName(tag.kind, w->mode), false});
    }
  }
  return out;
}

std::vector<std::pair<int, LockKind>> LockManager::Waits() {
  std::lock_guard lk(mu_);
  std::vector<std::pair<int, LockKind>> out;
  for (const auto& [owner, state] : owners_) {
    if (state.waiting != nullptr && state.waiting_tag && state.pid != 0) {
      out.emplace_back(state.pid, state.waiting_tag->kind);
    }
  }
  return out;
}

}  // namespace activestore::storage
