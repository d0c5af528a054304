// PL/pgSQL at run time (docs/design/2026-12-06-plpgsql.md): functions and procedures of
// LANGUAGE plpgsql and DO blocks. The body is parsed once (parser/plpgsql.h, cached by its
// text); each SQL expression or statement in it is planned with the variables in scope as
// parameters and the plan is cached per statement (for the catalog version, search path and
// the variables' names and types), as PostgreSQL's SPI plans are. A block with an EXCEPTION
// clause runs in a savepoint of the caller's transaction.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/value.h"
#include "executor/executor.h"
#include "planner/user_functions.h"
#include "storage/catalog.h"

namespace activestore::executor {

// Runs a call of a LANGUAGE plpgsql function or procedure: the rows RunUserFunction returns
// (one per RETURN NEXT / RETURN QUERY row of a set-returning function, else one), each with
// one value per result column, cast to the result types; at most max_rows (0: all).
std::vector<std::vector<Value>> RunPlpgsqlFunction(const planner::UserFunctionCall& call,
                                                   const std::vector<Value>& args, ExecContext& ctx,
                                                   size_t max_rows);

// The pseudo-type `trigger` (pg_type oid 2279): the result type of a trigger function.
inline constexpr TypeId kTriggerType = TypeId{2279};

// One firing of a trigger whose function is in PL/pgSQL (docs/design/2026-12-06-plpgsql.md,
// "Triggers"): what the function sees as NEW, OLD and TG_*.
struct TriggerCall {
  const storage::TriggerInfo* trigger = nullptr;
  const storage::TableInfo* table = nullptr;
  std::shared_ptr<const storage::FunctionInfo> function;
  const char* when = "AFTER";                   // TG_WHEN: BEFORE, AFTER, INSTEAD OF
  bool row = true;                              // TG_LEVEL ROW (else STATEMENT)
  const char* op = "INSERT";                    // TG_OP: INSERT, UPDATE, DELETE, TRUNCATE
  const std::vector<Value>* old_row = nullptr;  // OLD (UPDATE, DELETE row triggers)
  const std::vector<Value>* new_row = nullptr;  // NEW (INSERT, UPDATE row triggers)
  // The transition tables (REFERENCING OLD / NEW TABLE): the statement's old and new rows.
  const std::vector<std::vector<Value>>* old_table = nullptr;
  const std::vector<std::vector<Value>>* new_table = nullptr;
};

// Runs a trigger function: the row it returned (its RETURN NEW, OLD or another record of the
// table's shape), nullopt for RETURN NULL. 2F005 without a RETURN.
std::optional<std::vector<Value>> RunPlpgsqlTrigger(const TriggerCall& call, ExecContext& ctx);

// DO 'code': runs the anonymous block in ctx's transaction.
void RunPlpgsqlInline(const std::string& code, ExecContext& ctx);

// CREATE FUNCTION's check of fn's body (PostgreSQL's plpgsql_validator): it parses, with its
// SQL, and every assignment target is a variable that is not CONSTANT. Throws 42601 (22005)
// with Position in the body.
void CheckPlpgsqlBody(const storage::FunctionInfo& fn);

}  // namespace activestore::executor
