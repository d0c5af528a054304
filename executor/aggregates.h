// Aggregate functions (planner::AggregateSpec): count(*), count, sum, avg, min, max, bool_and,
// bool_or, string_agg, array_agg (with ORDER BY), with DISTINCT and FILTER, as PostgreSQL computes
// them (result types: count -> int8, sum(int2/int4) -> int8, sum(int8/numeric) -> numeric,
// sum(float8) -> float8, avg(ints/numeric) -> numeric as numeric sum / count, avg(float8) ->
// float8, min/max -> the argument type). Updates work on whole batches with a group id per row.
//
// Thread safety: an AggregateEvaluator and its states belong to one execution.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/numeric.h"
#include "common/value.h"
#include "executor/exec_state.h"
#include "executor/vector.h"
#include "planner/plan.h"

namespace activestore::executor {

// The parts of an aggregate's state that only some aggregates use (numeric sums, variance,
// min/max of other types, string_agg, array_agg), allocated at their first use.
struct AggStateExtra {
  Numeric num;           // numeric sum
  Numeric num2;          // variance/stddev of numbers: the sum of squares
  double f2 = 0;         // variance/stddev of floats: Youngs-Cramer's Sxx
  bool special = false;  // variance/stddev of numerics: a NaN or an infinity was seen
  double sy = 0, syy = 0, sxy = 0;  // corr, covar_*, regr_*: Sy, Syy, Sxy (Sx in f, Sxx in f2)
  Value v;                      // min/max of other types, interval sum/avg; first/last: the value
  Value key;                    // first/last: the time of `v`
  std::vector<int32_t> counts;  // histogram: below min, the buckets, at or above max
  std::string str;       // string_agg
  // array_agg: the inputs in order, and their ORDER BY keys (when it has some); other
  // aggregates with ORDER BY: every argument of each row in keys.
  std::vector<Value> values;
  std::vector<std::vector<Value>> keys;
};

// The running state of one aggregate for one group: 64 bytes, so that a new group (one state per
// aggregate) is cheap to add.
struct AggState {
  bool has = false;   // a (non-NULL, unfiltered) input was seen
  int64_t count = 0;  // inputs counted
  int64_t i = 0;      // sum of int2/int4, bool_and/or, min/max of int-like types
  __int128 wide = 0;  // sum/avg of integers that may exceed int64
  double f = 0;       // float8 sum, min/max of float8
  std::unique_ptr<AggStateExtra> extra;

  // The extra part, created at the first call.
  AggStateExtra& x() {
    if (!extra) extra = std::make_unique<AggStateExtra>();
    return *extra;
  }
  // The extra part, or an empty one if it was never created.
  const AggStateExtra& x() const {
    static const AggStateExtra kEmpty;
    return extra ? *extra : kEmpty;
  }
};

class AggregateEvaluator {
 public:
  explicit AggregateEvaluator(const planner::AggregateSpec& spec);

  // Adds the rows of input to states[group_ids[r]] (DISTINCT and FILTER applied).
  // REQUIRES: states has an entry for every group id. Throws 22003 on sum overflow.
  void Update(const DataChunk& input, const std::vector<uint32_t>& group_ids, ExecState& state,
              std::vector<AggState>* states);
  // The aggregate's result for one group, of spec.result_type; `grouping_set`: the index of the
  // group's grouping set (GROUPING's value depends on it).
  Value Finalize(const AggState& s, size_t grouping_set = 0) const;
  // Whether states of the aggregate made from parts of the input can be combined (Combine):
  // count, sum, avg, min, max, bool_and, bool_or without DISTINCT. (Sums of floats may then
  // differ in the last bits from one pass, as in PostgreSQL's parallel aggregation.)
  static bool Combinable(const planner::AggregateSpec& spec);
  // Adds `from` (the state of other input rows of the same group) into *into, as if their rows
  // had been added by Update. Throws 22003 on sum overflow. REQUIRES: Combinable(spec).
  void Combine(AggState* into, const AggState& from) const;

 private:
  // An aggregate other than array_agg with ORDER BY: its arguments' rows are kept per group
  // (AggStateExtra::keys), sorted when finalized and then fed, in order, to `inner_`.
  bool ordered() const;
  Value FinalizeOrdered(const AggState& s) const;

  const planner::AggregateSpec& spec_;
  std::unique_ptr<KeyHashTable> distinct_;  // (group id, args...) already seen
  // ordered(): the same aggregate without ORDER BY, DISTINCT and FILTER, over columns.
  std::unique_ptr<planner::AggregateSpec> inner_spec_;
  std::unique_ptr<AggregateEvaluator> inner_;
  ExecState* state_ = nullptr;  // of the last Update (ordered(): for `inner_`)
};

}  // namespace activestore::executor
