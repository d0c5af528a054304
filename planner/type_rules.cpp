#include "planner/type_rules.h"

namespace activestore::planner {

TypeCategory CategoryOf(TypeId id) {
  switch (id) {
    case TypeId::kBool:
      return TypeCategory::kBool;
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
    case TypeId::kNumeric:
    case TypeId::kFloat64:
      return TypeCategory::kNumeric;
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kBpchar:
      return TypeCategory::kString;
    case TypeId::kDate:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      return TypeCategory::kDateTime;
    case TypeId::kUnknown:
    case TypeId::kVoid:
      return TypeCategory::kUnknown;
  }
  return TypeCategory::kUnknown;
}

bool IsPreferredType(TypeId id) {
  return id == TypeId::kFloat64 || id == TypeId::kText || id == TypeId::kTimestampTz ||
         id == TypeId::kBool;
}

int NumericRank(TypeId id) {
  switch (id) {
    case TypeId::kInt16:
      return 0;
    case TypeId::kInt32:
      return 1;
    case TypeId::kInt64:
      return 2;
    case TypeId::kNumeric:
      return 3;
    case TypeId::kFloat64:
      return 4;
    default:
      return -1;
  }
}

int DateTimeRank(TypeId id) {
  switch (id) {
    case TypeId::kDate:
      return 0;
    case TypeId::kTimestamp:
      return 1;
    case TypeId::kTimestampTz:
      return 2;
    default:
      return -1;
  }
}

bool CanCoerce(TypeId from, TypeId to, CoercionContext context) {
  if (from == to || from == TypeId::kUnknown) return true;
  TypeCategory fc = CategoryOf(from), tc = CategoryOf(to);
  if (fc == TypeCategory::kNumeric && tc == TypeCategory::kNumeric) {
    // Widening is implicit; narrowing needs at least an assignment cast.
    return NumericRank(from) < NumericRank(to) || context != CoercionContext::kImplicit;
  }
  if (fc == TypeCategory::kString && tc == TypeCategory::kString) return true;
  if (fc == TypeCategory::kDateTime && tc == TypeCategory::kDateTime) {
    return DateTimeRank(from) < DateTimeRank(to) || context != CoercionContext::kImplicit;
  }
  // Anything converts to a string type by its output function in assignment and explicit
  // casts; a string converts to anything only explicitly.
  if (tc == TypeCategory::kString) return context != CoercionContext::kImplicit;
  if (fc == TypeCategory::kString) return context == CoercionContext::kExplicit;
  // int4 <-> bool exists as an explicit cast.
  if ((from == TypeId::kInt32 && to == TypeId::kBool) ||
      (from == TypeId::kBool && to == TypeId::kInt32)) {
    return context == CoercionContext::kExplicit;
  }
  return false;
}

const char* InternalTypeName(TypeId id) {
  switch (id) {
    case TypeId::kUnknown:
      return "unknown";
    case TypeId::kBool:
      return "bool";
    case TypeId::kInt16:
      return "int2";
    case TypeId::kInt32:
      return "int4";
    case TypeId::kInt64:
      return "int8";
    case TypeId::kFloat64:
      return "float8";
    case TypeId::kNumeric:
      return "numeric";
    case TypeId::kText:
      return "text";
    case TypeId::kVarchar:
      return "varchar";
    case TypeId::kBpchar:
      return "bpchar";
    case TypeId::kDate:
      return "date";
    case TypeId::kTimestamp:
      return "timestamp";
    case TypeId::kTimestampTz:
      return "timestamptz";
    case TypeId::kVoid:
      return "void";
  }
  return "unknown";
}

}  // namespace activestore::planner
