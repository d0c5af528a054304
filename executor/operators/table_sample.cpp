#include "executor/operators/table_sample.h"

#include <xxhash.h>

#include <cmath>

#include "common/error.h"
#include "executor/expression_evaluator.h"

namespace activestore::executor {

void TableSampler::Start(ExecState& st) {
  if (started_) return;
  started_ = true;
  Value percent = EvaluateConstant(*sample_.percent, st);
  if (percent.is_null) {
    Throw(SqlState::kInvalidTablesampleArgument, "TABLESAMPLE parameter cannot be null");
  }
  if (sample_.seed) {
    Value seed = EvaluateConstant(*sample_.seed, st);
    if (seed.is_null) {
      Throw(SqlState::kInvalidTablesampleRepeat, "TABLESAMPLE REPEATABLE parameter cannot be null");
    }
    const double d = seed.f == 0 ? 0.0 : seed.f;  // -0 and 0 are one seed
    seed_ = XXH3_64bits(&d, sizeof d);
  } else {
    seed_ = st.Rng()();
  }
  const double p = percent.f;  // a float4 Value holds its float as a double
  if (!(p >= 0 && p <= 100)) {
    Throw(SqlState::kInvalidTablesampleArgument, "sample percentage must be between 0 and 100");
  }
  // 100% keeps everything: the threshold cannot reach 2^64.
  all_ = p >= 100;
  threshold_ = static_cast<uint64_t>(std::ldexp(p / 100, 64));
}

bool TableSampler::Keep(std::string_view key) {
  const uint64_t position = position_++;
  if (all_) return true;
  uint64_t h;
  if (sample_.method == planner::SampleMethod::kBernoulli) {
    h = key.empty() ? XXH3_64bits_withSeed(&position, sizeof position, seed_)
                    : XXH3_64bits_withSeed(key.data(), key.size(), seed_);
  } else {
    const uint64_t block[2] = {shard_, position / planner::kSystemSampleBlock};
    h = XXH3_64bits_withSeed(block, sizeof block, seed_);
  }
  return h < threshold_;
}

}  // namespace activestore::executor
