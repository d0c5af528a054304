// Calls of user-defined SQL functions (planner/user_functions.h) at run time: each call runs the
// body's statements with the arguments as $1..$n, in the caller's transaction, and returns the
// last statement's first row (a scalar function), or all its rows (FROM f(...)).
#pragma once

#include <vector>

#include "common/value.h"
#include "executor/exec_state.h"
#include "executor/string_functions.h"
#include "executor/vector.h"
#include "planner/plan.h"
#include "planner/user_functions.h"

namespace activestore::executor {

// The call `expr` (a kFunction with user_function) over the rows of `input` into *out. A strict
// function gives NULL for a row with a NULL argument without running. Throws the body's errors;
// 54001 `stack depth limit exceeded` past kMaxCallDepth nested calls.
void EvaluateUserFunction(const planner::BoundExpr& expr, const DataChunk& input, ExecState& state,
                          Vector* out);

// A set-returning call `expr` (RETURNS SETOF, kProjectSet) with these argument values: one
// value per row of the body's last statement (a row of several columns as one composite value
// of expr's type).
std::vector<Value> EvaluateUserSetFunction(const planner::BoundExpr& expr,
                                           const std::vector<Value>& args, ExecContext& ctx);

// PostgreSQL's tupledesc_match: a returned row's fields against the row the query expects
// (42804 `function return row and query-specified return row do not match`, with the count or
// the first field whose type differs).
void CheckReturnedRow(const std::vector<Value>& fields, const std::vector<Type>& expected);

// Runs `call` once with these argument values: the rows of the body's last statement, each
// with one value per result column (one column for a scalar result), cast to the result
// types; at most max_rows rows (0: all). A strict call with a NULL argument gives no rows.
// A call of a LANGUAGE internal function (executor/ddl_base_types.cpp): the built-in type I/O
// functions; 0A000 for others.
std::vector<std::vector<Value>> RunInternalFunction(const planner::UserFunctionCall& call,
                                                    const std::vector<Value>& args,
                                                    ExecContext& ctx);

std::vector<std::vector<Value>> RunUserFunction(const planner::UserFunctionCall& call,
                                                const std::vector<Value>& args, ExecContext& ctx,
                                                size_t max_rows);

// pg_get_functiondef, pg_get_function_arguments, pg_get_function_identity_arguments,
// pg_get_function_result, pg_function_is_visible (function_defs.cpp; signatures in
// planner/functions.cpp).
const std::vector<StringFunctionEntry>& UserFunctionCatalogEntries();

// A planner context over the statement's catalog, database, search path and settings.
planner::PlannerContext PlannerContextOf(const ExecContext& ctx);

// The deepest nesting of SQL function calls before 54001 (PostgreSQL's max_stack_depth check).
inline constexpr int kMaxCallDepth = 400;

}  // namespace activestore::executor
