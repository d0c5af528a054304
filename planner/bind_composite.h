// Helpers of planner/bind_composite.cpp shared with the select list's (x).* expansion.
#pragma once

#include <vector>

#include "common/composite.h"
#include "planner/plan.h"

namespace activestore::planner {

// The fields (names and types) a row value `e` has, if known when binding: a composite type's
// attributes; for a row constructor of type record, f1, f2, ... with its arguments' types.
bool RowValueFields(const BoundExpr& e, std::vector<CompositeField>* out);
// Field i of row value `row` (of type `type`): the constructor's argument, or record_field.
BoundExprPtr RowValueField(const BoundExprPtr& row, size_t i, Type type);

}  // namespace activestore::planner
