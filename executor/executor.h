// Runs physical plans (planner/plan.h). Operators pass batches of columns (executor/vector.h)
// of up to kBatchSize rows; the boundary to the session is rows of Values.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/value.h"
#include "common/value_ops.h"
#include "planner/plan.h"
#include "storage/catalog.h"
#include "storage/storage.h"

namespace activestore::executor {

inline constexpr size_t kBatchSize = 1024;

struct ExecContext {
  storage::Transaction* txn = nullptr;        // the statement's transaction
  storage::Catalog* catalog = nullptr;        // for hidden row ids
  std::vector<Value> params;                  // $1..$n, already of the planned param types
  FormatOptions format;                       // session settings for casts and now()
  const std::atomic<bool>* cancel = nullptr;  // set: throw 57014 at the next batch
  int64_t statement_timestamp_us = 0;         // now(): microseconds since 2000-01-01 UTC
  // Session information for current_database(), current_user, current_schema.
  std::string database = "postgres";
  std::string user = "postgres";
  std::string current_schema = "public";
};

using RowSink = std::function<void(std::vector<std::vector<Value>>&& rows)>;

// Runs `plan` to completion. Query plans deliver their rows to `sink` in batches. DML plans
// (kInsert/kUpdate/kDelete) deliver their RETURNING rows, if any, and return the number of
// rows affected; query plans return the number of rows delivered.
// Throws Error (SQLSTATE as raised by the operators and storage).
int64_t RunPlan(const planner::PlanNode& plan, ExecContext& ctx, const RowSink& sink);

}  // namespace activestore::executor
