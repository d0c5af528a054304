// PostgreSQL's type coercion rules, reduced to the types ActiveStore has: which casts exist in
// which context (implicit, assignment, explicit), type categories and preferred types (for
// function resolution and UNION/CASE resolution).
#pragma once

#include "common/types.h"

namespace activestore::planner {

enum class CoercionContext { kImplicit, kAssignment, kExplicit };

enum class TypeCategory { kBool, kNumeric, kString, kDateTime, kUnknown };

TypeCategory CategoryOf(TypeId id);
// float8, text and timestamptz are the preferred types of their categories.
bool IsPreferredType(TypeId id);
// Whether a value of `from` may become `to` in `context` (unknown converts to anything).
bool CanCoerce(TypeId from, TypeId to, CoercionContext context);
// Position of a numeric type in int2 < int4 < int8 < numeric < float8 (-1 if not numeric).
int NumericRank(TypeId id);
// Position in date < timestamp < timestamptz (-1 otherwise).
int DateTimeRank(TypeId id);
// PostgreSQL's internal type name as a cast column shows it: int4, varchar, timestamptz...
const char* InternalTypeName(TypeId id);

}  // namespace activestore::planner
