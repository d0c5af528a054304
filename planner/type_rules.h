// PostgreSQL's type coercion rules, reduced to the types ActiveStore has: which casts exist in
// which context (implicit, assignment, explicit), type categories and preferred types (for
// function resolution and UNION/CASE resolution).
#pragma once

#include "common/type_registry.h"
#include "common/types.h"

namespace activestore::planner {

enum class CoercionContext { kImplicit, kAssignment, kExplicit };

using activestore::TypeCategory;

// pg_type.typcategory and typispreferred, from the type registry (float8, text, timestamptz,
// interval and bool are the preferred types of their categories).
TypeCategory CategoryOf(TypeId id);
bool IsPreferredType(TypeId id);
// Whether a value of `from` may become `to` in `context` (unknown converts to anything).
bool CanCoerce(TypeId from, TypeId to, CoercionContext context);
// Position of a numeric type in int2 < int4 < int8 < numeric < float8 (-1 if not numeric).
int NumericRank(TypeId id);
// Position in date < timestamp < timestamptz (-1 otherwise).
int DateTimeRank(TypeId id);
// Whether the type has a default btree operator class (json, jsonpath, cstring, the geometric
// types and arrays of them do not).
bool HasBtreeOperators(TypeId id);
// PostgreSQL's get_sort_group_operators: json, jsonpath and point have no btree or hash operator
// class, so ordering (ORDER BY, first/last) or grouping (DISTINCT, GROUP BY) by them fails with
// 42883.
// `location` is the expression's 0-based offset, or -1.
void RequireSortGroupOperator(const Type& t, bool ordering, int location);

}  // namespace activestore::planner
