// Evaluation of the array expressions (planner/plan.h: kArray, kSubscript, kArrayAnyAll,
// ARRAY(subquery)) and the array functions (array_length ... array_fill, the @> <@ &&
// operators), with PostgreSQL 15's semantics (arrayfuncs.c, array_userfuncs.c,
// execExprInterp.c's ExecEvalArrayExpr / ExecEvalScalarArrayOp).
//
// Errors: 2202E for mismatched dimensions (ARRAY[ARRAY[1,2], ARRAY[3]], array_cat), 22000
// for appending to a multi-dimensional array, 0A000 for searching multi-dimensional arrays,
// 22004 for NULL dimensions in array_fill, 54000 for more than 6 dimensions.
//
// Thread safety: stateless.
#pragma once

#include <string>
#include <vector>

#include "common/value.h"
#include "executor/exec_state.h"
#include "executor/vector.h"
#include "planner/plan.h"

namespace activestore::executor {

// generate_subscripts(array, dim [, reverse]): the subscripts of dimension dim, lowest first
// (highest first with reverse); none for a dimension the array does not have.
std::vector<Value> GenerateSubscripts(const std::vector<Value>& args, const planner::BoundExpr& e,
                                      ExecState& st);

// kArray, kSubscript, kArrayAnyAll over the rows of input into *out (expr.type).
void EvaluateArrayExpression(const planner::BoundExpr& expr, const DataChunk& input,
                             ExecState& state, Vector* out);

// ARRAY(subquery): the first column of rows as an array of `type` (an array of arrays when the
// column is itself an array).
Value ArrayFromRows(const std::vector<std::vector<Value>>& rows, Type type);

// array_agg's result: `values` (NULLs included) as an array of `type`; sub-arrays of the same
// shape make one more dimension (22004 for a NULL sub-array, 2202E for differing shapes).
Value AccumulateArray(const std::vector<Value>& values, Type type);

// The array functions as the scalar function table takes them: fn(args, expr, state) with
// arguments already of the resolved types; `strict` ones are not called with a NULL.
using ArrayFunctionFn = Value (*)(const std::vector<Value>& args, const planner::BoundExpr& e,
                                  ExecState& st);
struct ArrayFunctionEntry {
  const char* name;
  ArrayFunctionFn fn;
  bool strict;
};
const std::vector<ArrayFunctionEntry>& ArrayFunctionEntries();

}  // namespace activestore::executor
