// Row values (common/composite.h) in expressions: the row constructor and field selection as
// functions of the registry in executor/functions.cpp. The binder (planner/bind_composite.cpp)
// emits them:
//   row(a, b, ...)      of type record or a composite type: the value with those fields (each
//                       already coerced to the field type); never NULL
//   record_field(x, i)  field i (0-based int4 constant) of x; NULL if x is NULL
// See docs/design/2026-12-06-composite-types.md.
#pragma once

#include <vector>

#include "executor/string_functions.h"

namespace activestore::executor {

const std::vector<StringFunctionEntry>& CompositeFunctionEntries();
// information_schema._pg_expandarray(anyarray): one (x, n) row per element, n from 1.
const std::vector<SetFunctionEntry>& CompositeSetFunctionEntries();

}  // namespace activestore::executor
