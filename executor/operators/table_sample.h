// TABLESAMPLE's row test (planner::TableSample), shared by the shard scan (rows with storage
// keys) and the filter over a system catalog relation (rows by position).
#pragma once

#include <cstdint>
#include <string_view>

#include "executor/exec_state.h"
#include "planner/plan.h"

namespace activestore::executor {

class TableSampler {
 public:
  // shard: the shard read (SYSTEM's blocks are per shard); 0 for a catalog relation.
  TableSampler(const planner::TableSample& sample, uint32_t shard)
      : sample_(sample), shard_(shard) {}

  // PostgreSQL's tablesample_init and BeginSampleScan, at the first row: the argument (2202H
  // when NULL), the seed (2202G when NULL; a random one without REPEATABLE), then the
  // percentage's range (2202H outside 0..100, NaN too).
  void Start(ExecState& st);

  // Whether the next row read is in the sample. BERNOULLI hashes the row's storage key (or,
  // without one, its position) with the seed: each row on its own, the same rows again for the
  // same seed while the data is unchanged, and a larger percentage keeps a superset. SYSTEM
  // hashes (seed, shard, position / kSystemSampleBlock): whole blocks of consecutive rows.
  bool Keep(std::string_view key);
  bool Keep() { return Keep(std::string_view()); }

 private:
  const planner::TableSample& sample_;
  uint32_t shard_;
  bool started_ = false;
  bool all_ = false;
  uint64_t seed_ = 0;
  uint64_t threshold_ = 0;  // kept when the hash is below
  uint64_t position_ = 0;   // rows read so far
};

}  // namespace activestore::executor
