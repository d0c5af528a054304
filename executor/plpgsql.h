// PL/pgSQL at run time (docs/design/2026-12-06-plpgsql.md): functions and procedures of
// LANGUAGE plpgsql and DO blocks. The body is parsed once (parser/plpgsql.h, cached by its
// text); each SQL expression or statement in it is planned with the variables in scope as
// parameters and the plan is cached per statement (for the catalog version, search path and
// the variables' names and types), as PostgreSQL's SPI plans are. A block with an EXCEPTION
// clause runs in a savepoint of the caller's transaction.
#pragma once

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

// DO 'code': runs the anonymous block in ctx's transaction.
void RunPlpgsqlInline(const std::string& code, ExecContext& ctx);

// CREATE FUNCTION's check of fn's body (PostgreSQL's plpgsql_validator): it parses, with its
// SQL, and every assignment target is a variable that is not CONSTANT. Throws 42601 (22005)
// with Position in the body.
void CheckPlpgsqlBody(const storage::FunctionInfo& fn);

}  // namespace activestore::executor
