#include "storage/sequences.h"

#include <spdlog/spdlog.h>

#include <charconv>
#include <string>
#include <vector>

#include "common/error.h"

namespace activestore::storage {
namespace {

// Rows of sys_sequences: "<oid>/<generation>" -> "<last_value> <is_called 0|1>".
std::string Key(Oid seq, uint32_t generation) {
  return std::to_string(seq) + "/" + std::to_string(generation);
}

bool ParseKey(std::string_view key, Oid* seq, uint32_t* generation) {
  size_t slash = key.find('/');
  if (slash == std::string_view::npos) return false;
  auto a = std::from_chars(key.data(), key.data() + slash, *seq);
  auto b = std::from_chars(key.data() + slash + 1, key.data() + key.size(), *generation);
  return a.ec == std::errc() && b.ec == std::errc() && b.ptr == key.data() + key.size();
}

bool ParseValue(std::string_view v, int64_t* value, bool* is_called) {
  size_t space = v.find(' ');
  if (space == std::string_view::npos || space + 2 != v.size()) return false;
  auto r = std::from_chars(v.data(), v.data() + space, *value);
  *is_called = v[space + 1] == '1';
  return r.ec == std::errc() && r.ptr == v.data() + space;
}

}  // namespace

class SequenceManager::Generation {
 public:
  Generation(Oid seq, uint32_t generation) : seq_(seq), generation_(generation) {}

  Oid seq_;
  uint32_t generation_;
  std::mutex mu;
  bool loaded = false;  // GUARDED_BY(mu)
  SequenceData data;    // GUARDED_BY(mu)
  // The durable state is a called state `reserved` steps after data.last_value; without it
  // (reserved_valid false: new, after setval(..., false)) nothing may be handed out before a
  // write.
  bool reserved_valid = false;  // GUARDED_BY(mu)
  int64_t reserved = 0;         // GUARDED_BY(mu)
  bool used = false;            // GUARDED_BY(mu): changed since the open (Flush writes it)
};

SequenceManager::SequenceManager(Engine* engine) : engine_(engine) { engine_->CreateTable(kTable); }

SequenceManager::~SequenceManager() = default;

namespace {

// Whether one more step from `value` would pass the bound in the sequence's direction
// (PostgreSQL's overflow-safe tests).
bool AtBound(const SequenceInfo& p, int64_t value) {
  if (p.increment > 0) {
    return (p.max_value >= 0 && value > p.max_value - p.increment) ||
           (p.max_value < 0 && value + p.increment > p.max_value);
  }
  return (p.min_value < 0 && value < p.min_value - p.increment) ||
         (p.min_value >= 0 && value + p.increment < p.min_value);
}

// Where a cycling sequence goes after its bound.
int64_t WrapValue(const SequenceInfo& p) { return p.increment > 0 ? p.min_value : p.max_value; }

}  // namespace

bool SequenceManager::Step(const SequenceInfo& p, int64_t* value) {
  if (AtBound(p, *value)) {
    if (!p.cycle) return false;
    *value = WrapValue(p);
  } else {
    *value += p.increment;
  }
  return true;
}

std::shared_ptr<SequenceManager::Generation> SequenceManager::Get(const TableInfo& seq) {
  std::lock_guard lock(mu_);
  auto& g = generations_[{seq.oid, seq.storage_gen}];
  if (!g) g = std::make_shared<Generation>(seq.oid, seq.storage_gen);
  return g;
}

namespace {

// Loads the generation's state: the stored one, or the catalog's initial state.
// REQUIRES: g.mu held.
template <typename G>
void Load(Engine* engine, G& g, const SequenceInfo& p) {
  if (g.loaded) return;
  auto txn = engine->Begin(Isolation::kSnapshot);
  std::optional<std::string> row = txn->Get(SequenceManager::kTable, Key(g.seq_, g.generation_));
  txn->Commit();
  g.data = SequenceData{p.initial_value, 0, p.initial_is_called};
  g.reserved_valid = false;
  g.reserved = 0;
  if (row) {
    int64_t value = 0;
    bool called = false;
    if (!ParseValue(*row, &value, &called)) {
      Throw(SqlState::kDataCorrupted, "bad stored state of sequence {}: \"{}\"", g.seq_, *row);
    }
    g.data = SequenceData{value, 0, called};
    // The stored state is the furthest any value went: go on from there.
    g.reserved_valid = called;
  }
  g.loaded = true;
}

}  // namespace

void SequenceManager::Store(Oid seq, uint32_t generation, int64_t value, bool is_called) {
  auto txn = engine_->Begin(Isolation::kSnapshot);
  txn->Put(kTable, Key(seq, generation), std::to_string(value) + (is_called ? " 1" : " 0"));
  txn->Commit();
  std::lock_guard lock(mu_);
  ++durable_writes_;
}

SequenceFetch SequenceManager::Next(Generation& g, const TableInfo& seq) {
  const SequenceInfo& p = *seq.sequence;
  std::lock_guard lock(g.mu);
  Load(engine_, g, p);
  // PostgreSQL's nextval_internal (without its checkpoint rule, which only decides how much
  // is WAL-logged): `log` becomes log_cnt.
  const int64_t incby = p.increment, maxv = p.max_value, minv = p.min_value, cache = p.cache;
  int64_t last = g.data.last_value, next = last, result = last;
  int64_t fetch = cache, log = g.data.log_cnt, rescnt = 0;
  if (!g.data.is_called) {
    ++rescnt;  // return last_value itself
    --fetch;
  }
  if (log < fetch || !g.data.is_called) fetch = log = fetch + kLogValues;
  while (fetch > 0) {
    if (AtBound(p, next)) {
      if (rescnt > 0) break;  // stop fetching: what we have is returned
      if (!p.cycle) {
        if (incby > 0) {
          Throw(SqlState::kSequenceGeneratorLimitExceeded,
                "nextval: reached maximum value of sequence \"{}\" ({})", seq.name, maxv);
        }
        Throw(SqlState::kSequenceGeneratorLimitExceeded,
              "nextval: reached minimum value of sequence \"{}\" ({})", seq.name, minv);
      }
      next = WrapValue(p);
    } else {
      next += incby;
    }
    --fetch;
    if (rescnt < cache) {
      --log;
      ++rescnt;
      last = next;
      if (rescnt == 1) result = next;
    }
  }
  log -= fetch;
  // Steps from last_value to `last`: every value handed out now lies within them.
  const int64_t steps = rescnt - (g.data.is_called ? 0 : 1);
  if (!g.reserved_valid || steps > g.reserved) {
    int64_t target = g.data.last_value;
    int64_t taken = 0;
    for (; taken < steps + kReserveSteps; ++taken) {
      if (!Step(p, &target)) break;  // a bound: the reservation ends there
    }
    Store(seq.oid, seq.storage_gen, target, true);
    g.reserved_valid = true;
    g.reserved = taken;
  }
  g.reserved -= steps;
  g.data.last_value = last;
  g.data.is_called = true;
  g.data.log_cnt = log;
  g.used = true;
  return SequenceFetch{result, last, rescnt};
}

void SequenceManager::Set(Generation& g, const TableInfo& seq, int64_t value, bool is_called) {
  const SequenceInfo& p = *seq.sequence;
  if (value < p.min_value || value > p.max_value) {
    Throw(SqlState::kNumericValueOutOfRange,
          "setval: value {} is out of bounds for sequence \"{}\" ({}..{})", value, seq.name,
          p.min_value, p.max_value);
  }
  std::lock_guard lock(g.mu);
  Load(engine_, g, p);
  Store(seq.oid, seq.storage_gen, value, is_called);
  g.data = SequenceData{value, 0, is_called};
  // A called state is durable as it is; an uncalled one must be stored as called before its
  // value is handed out.
  g.reserved_valid = is_called;
  g.reserved = 0;
  g.used = true;
}

SequenceData SequenceManager::Read(Generation& g, const TableInfo& seq) {
  std::lock_guard lock(g.mu);
  Load(engine_, g, *seq.sequence);
  return g.data;
}

void SequenceManager::Forget(Oid seq, uint32_t generation) {
  {
    std::lock_guard lock(mu_);
    generations_.erase({seq, generation});
  }
  try {
    auto txn = engine_->Begin(Isolation::kSnapshot);
    txn->Delete(kTable, Key(seq, generation));
    txn->Commit();
  } catch (const Error& e) {
    spdlog::warn("sequences: could not drop the state of sequence {} generation {}: {}", seq,
                 generation, e.message());
  }
}

void SequenceManager::Unload() {
  std::lock_guard lock(mu_);
  for (auto& [key, g] : generations_) {
    std::lock_guard gl(g->mu);
    g->loaded = false;
  }
}

void SequenceManager::DropOrphans(const std::set<std::pair<Oid, uint32_t>>& live) {
  std::vector<std::string> dead;
  {
    auto txn = engine_->Begin(Isolation::kSnapshot);
    auto cursor = txn->Scan(kTable);
    while (cursor->Next()) {
      Oid seq = 0;
      uint32_t generation = 0;
      if (!ParseKey(cursor->key(), &seq, &generation) || !live.contains({seq, generation})) {
        dead.emplace_back(cursor->key());
      }
    }
    txn->Commit();
  }
  if (dead.empty()) return;
  auto txn = engine_->Begin(Isolation::kSnapshot);
  for (const std::string& k : dead) {
    spdlog::info("sequences: dropping the state of an unused sequence generation {}", k);
    txn->Delete(kTable, k);
  }
  txn->Commit();
}

void SequenceManager::Flush() {
  std::vector<std::shared_ptr<Generation>> all;
  {
    std::lock_guard lock(mu_);
    for (const auto& [key, g] : generations_) all.push_back(g);
  }
  for (const auto& g : all) {
    std::lock_guard lock(g->mu);
    if (!g->loaded || !g->used) continue;
    try {
      Store(g->seq_, g->generation_, g->data.last_value, g->data.is_called);
      g->reserved_valid = g->data.is_called;
      g->reserved = 0;
    } catch (const Error& e) {
      spdlog::warn("sequences: could not store the state of sequence {}: {}", g->seq_, e.message());
    }
  }
}

uint64_t SequenceManager::durable_writes() const {
  std::lock_guard lock(mu_);
  return durable_writes_;
}

}  // namespace activestore::storage
