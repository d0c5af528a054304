// Per-execution state shared by the operators and the expression evaluator of one RunPlan
// call: the ExecContext, the stack of outer rows for correlated subqueries, the results of
// uncorrelated subqueries (run once per execution) and the random generator of random().
//
// Thread safety: belongs to the thread running the plan.
#pragma once

#include <cstdint>
#include <memory>
#include <random>
#include <unordered_map>
#include <vector>

#include "common/value.h"
#include "executor/executor.h"
#include "executor/vector.h"
#include "planner/plan.h"

namespace activestore::executor {

// The rows of a subquery run, kept for uncorrelated subqueries.
struct SubqueryResult {
  std::vector<std::vector<Value>> rows;
  bool complete = false;  // all rows were read (not cut off after the first ones)
  // For `x IN (subquery)` on an uncorrelated subquery: the first column's values, hashed.
  std::unique_ptr<KeyHashTable> in_set;
  bool in_has_null = false;
};

// A top-n sort's key over the scans of a worker (ParallelFragments): the scans drop a row whose
// key is strictly worse than the n-th best key they have read, before decoding its other
// columns (the sort above still keeps the best n, ties in arrival order).
struct ScanTopN {
  size_t column = 0;  // index among the scan's output columns (int-class or float8)
  bool descending = false;
  bool nulls_first = false;
  uint64_t n = 0;
};

struct CteBuffer;     // operators/cte_scan.cpp
struct SubqueryMemo;  // expression_evaluator.cpp

class ExecState {
 public:
  explicit ExecState(ExecContext& context);

  ExecContext& ctx;
  // Set on a worker's state only (its operators are its Gather's shard scans).
  const ScanTopN* scan_top_n = nullptr;
  // Outer rows of the enclosing queries: back() is outer_depth 1.
  std::vector<std::vector<Value>> outer_rows;
  std::unordered_map<const planner::BoundExpr*, std::shared_ptr<SubqueryResult>> subquery_cache;
  // A correlated subquery's rows by the values of the outer columns it reads (expression_
  // evaluator.cpp RunCorrelatedSubplan).
  std::unordered_map<const planner::BoundExpr*, std::shared_ptr<SubqueryMemo>> subquery_memo;
  // WITH queries read through kCteScan: their rows so far, by cte_id; and the working table of
  // each running kRecursiveUnion, by cte_id.
  std::unordered_map<uint32_t, std::shared_ptr<CteBuffer>> ctes;
  std::unordered_map<uint32_t, const DataChunk*> work_tables;
  // The key values a hash join gives the pg_catalog scan on its right side, by runtime_key_id
  // (plan.h): set before that scan starts; absent when the join found too many to be worth it.
  std::unordered_map<uint32_t, std::vector<Value>> catalog_keys;
  // random()'s generator: one per thread, seeded once from std::random_device (seeding on
  // every statement cost 3% of a point query).
  static std::mt19937_64& Rng();

  // Throws 57014 `canceling statement due to user request` if cancel was requested.
  void CheckCancel() const;
};

// Runs plan (a subquery) with the current outer rows; returns at most max_rows rows
// (0 = all).
std::vector<std::vector<Value>> RunSubplan(const planner::PlanNode& plan, ExecState& state,
                                           size_t max_rows);

}  // namespace activestore::executor
