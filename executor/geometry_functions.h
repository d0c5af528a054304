// The functions of the geometric type point (common/point.h): the constructor point(float8,
// float8), the operators' functions (point_add, point_distance, point_eq, point_left, ...),
// slope, and the subscripts p[0] / p[1] with their assignment. Registered into the function
// table of functions.cpp by name; the planner's side is planner/bind_geometry.cpp.
//
// Thread safety: stateless.
#pragma once

#include <vector>

#include "executor/string_functions.h"

namespace activestore::executor {

const std::vector<StringFunctionEntry>& GeometryFunctionEntries();

}  // namespace activestore::executor
