// Vectorized evaluation of bound expressions (planner/plan.h BoundExpr) over a DataChunk.
//
// Semantics are PostgreSQL's: three-valued logic, lazy CASE/COALESCE/AND/OR (a branch that
// is not taken for a row is not evaluated for it, so it cannot raise an error for it),
// subqueries (uncorrelated ones run once per execution, correlated ones per row with the row
// pushed on ExecState::outer_rows). Hot paths (int and float8 arithmetic and comparisons)
// run over whole vectors; the rest falls back to common/value_ops.h per row.
//
// Thread safety: stateless; all state is in the ExecState passed in.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/value.h"
#include "executor/exec_state.h"
#include "executor/executor.h"
#include "executor/vector.h"
#include "planner/plan.h"

namespace activestore::executor {

// Evaluates expr over every row of input; *out gets input.size rows of expr.type.
// Throws Error with the SQLSTATE of the failing operation (22003, 22012, 21000, ...).
void EvaluateExpression(const planner::BoundExpr& expr, const DataChunk& input, ExecState& state,
                        Vector* out);

// The same without a copy where it can: a column reference gives the input column itself;
// anything else is evaluated into *scratch, which is returned. The result is valid while input
// and *scratch are.
const Vector& EvaluateExpressionRef(const planner::BoundExpr& expr, const DataChunk& input,
                                    ExecState& state, Vector* scratch);

// The rows of input (indexes, ascending) for which predicate is true (not false, not NULL).
void EvaluatePredicate(const planner::BoundExpr& predicate, const DataChunk& input,
                       ExecState& state, std::vector<uint32_t>* selection);

// Evaluates an expression that reads no input columns (constants, parameters, functions,
// uncorrelated subqueries) once.
Value EvaluateConstant(const planner::BoundExpr& expr, ExecState& state);

// The same for callers outside a plan (DEFAULT expressions, LIMIT values, SET values).
Value EvaluateStandaloneExpr(const planner::BoundExpr& expr, ExecContext& ctx);

// SQL LIKE: `%` any sequence, `_` one character; escape is the escape character (a UTF-8
// sequence) or empty for none. case_insensitive for ILIKE. Throws 22025 `LIKE pattern must
// not end with escape character`. `bytes` for bytea LIKE: `_` and the escape are one byte.
bool LikeMatch(std::string_view text, std::string_view pattern, std::string_view escape,
               bool case_insensitive, bool bytes = false);

// The text form of value row r of v for concatenation and concat(): strings as they are,
// other types as PostgreSQL prints them. REQUIRES: not NULL.
std::string TextOf(const Vector& v, size_t r, const FormatOptions& format);

// Row r of a boolean vector as three-valued logic: 0 false, 1 true, 2 NULL.
int BoolAt(const Vector& v, size_t r);

// The 22003 message for an integer type's overflow ("integer out of range", ...).
[[noreturn]] void ThrowIntegerOutOfRange(TypeId type);

}  // namespace activestore::executor
