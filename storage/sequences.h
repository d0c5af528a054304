// The values of sequences: PostgreSQL's sequence relation contents (last_value, log_cnt,
// is_called) for every storage generation of every sequence, shared by all sessions of the node.
//
// Invariants / concurrency
//
// - Not transactional. nextval and setval change the shared state at once for every session,
//   and a rollback gives nothing back, as in PostgreSQL. What is transactional is the catalog:
//   the parameters (SequenceInfo) and the storage generation (TableInfo::storage_gen). ALTER
//   SEQUENCE that changes how values are made, and RESTART, give the sequence a new generation
//   whose state starts from SequenceInfo::initial_*; a rollback returns to the old generation
//   and its state, as PostgreSQL's new relfilenode does.
// - Durable before handed out. No value leaves Next() before a state at or beyond it is
//   committed in the storage table "sys_sequences" (its own small storage transaction, synced
//   as the node's sync_mode says: with fsync, it survives kill -9). The stored state is the
//   state after kReserveSteps more steps than the caller needed, so one durable write covers
//   about kReserveSteps values. After a crash a sequence goes on from the stored state: it may
//   skip up to that many values (PostgreSQL skips up to 32), never hand one out twice. A clean
//   close (Flush) stores the exact state, so a restart skips nothing.
// - log_cnt is what PostgreSQL would show: its nextval_internal is run as written (SEQ_LOG_VALS
//   = 32 values "pre-logged"), independently of the reservation.
// - One mutex per generation, held while a reservation is written; the map of generations has
//   its own mutex. Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <utility>

#include "storage/catalog.h"
#include "storage/storage.h"

namespace activestore::storage {

// PostgreSQL's sequence tuple: what SELECT * FROM seq shows.
struct SequenceData {
  int64_t last_value = 0;
  int64_t log_cnt = 0;
  bool is_called = false;
};

// The values one nextval took from the shared state: `first` is the one returned; `count`
// values in all, from `first` to `last` by the increment (wrapping as a cycling sequence does),
// the rest of which the calling session keeps for its next calls (CACHE n).
struct SequenceFetch {
  int64_t first = 0;
  int64_t last = 0;
  int64_t count = 0;
};

class SequenceManager {
 public:
  static constexpr char kTable[] = "sys_sequences";
  // PostgreSQL's SEQ_LOG_VALS: how log_cnt counts.
  static constexpr int64_t kLogValues = 32;
  // Steps reserved beyond what a nextval needs, per durable write.
  static constexpr int64_t kReserveSteps = 1024;

  // Creates the storage table if missing. REQUIRES: engine outlives the manager.
  explicit SequenceManager(Engine* engine);
  ~SequenceManager();
  SequenceManager(const SequenceManager&) = delete;
  SequenceManager& operator=(const SequenceManager&) = delete;

  // The state of one generation of one sequence; sessions may keep the handle.
  class Generation;
  // REQUIRES: seq.is_sequence().
  std::shared_ptr<Generation> Get(const TableInfo& seq);

  // PostgreSQL's nextval_internal, shared part: takes min(cache, what is left before a bound)
  // values, at least one. Throws 2200H `nextval: reached maximum value of sequence "s" (n)`
  // (minimum for descending sequences) when there is none and the sequence does not cycle,
  // and the storage errors of the durable write; the state is unchanged then.
  // REQUIRES: gen is Get(seq)'s handle for this seq (same oid and generation).
  SequenceFetch Next(Generation& gen, const TableInfo& seq);
  // setval: the state becomes (value, is_called), durably. Throws 22003 `setval: value n is
  // out of bounds for sequence "s" (min..max)`.
  void Set(Generation& gen, const TableInfo& seq, int64_t value, bool is_called);
  // The state as SELECT * FROM seq shows it.
  SequenceData Read(Generation& gen, const TableInfo& seq);

  // Drops the state of a generation nobody uses any more (a dropped sequence, a superseded or
  // rolled-back generation). Failures to delete the stored row are logged; Open removes it.
  void Forget(Oid seq, uint32_t generation);
  // Deletes the stored states of generations not in `live` (at open: left by a crash or a
  // failed Forget).
  void DropOrphans(const std::set<std::pair<Oid, uint32_t>>& live);
  // Stores the exact state of every generation used since the open (a clean close).
  void Flush();
  // Forgets what every generation loaded: the next use reads the stored state again (a replica
  // promoted to primary, whose stored states moved under it by replication).
  void Unload();

  // One step of a sequence from `*value`: + increment, wrapping to the other bound when it
  // cycles. False (value unchanged) at a bound of a sequence that does not cycle.
  static bool Step(const SequenceInfo& p, int64_t* value);

  // Durable writes done so far (tests and benchmarks).
  uint64_t durable_writes() const;

 private:
  void Store(Oid seq, uint32_t generation, int64_t value, bool is_called);

  Engine* engine_;
  mutable std::mutex mu_;
  std::map<std::pair<Oid, uint32_t>, std::shared_ptr<Generation>> generations_;  // GUARDED_BY(mu_)
  uint64_t durable_writes_ = 0;                                                  // GUARDED_BY(mu_)
};

}  // namespace activestore::storage
