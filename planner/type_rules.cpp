#include "planner/type_rules.h"

#include <fmt/format.h>

#include "common/array.h"
#include "common/cstring_type.h"
#include "common/error.h"
#include "common/json.h"
#include "common/jsonpath.h"
#include "common/reg_types.h"
#include "common/system_id_types.h"

namespace activestore::planner {

TypeCategory CategoryOf(TypeId id) { return TypeInfoOf(id).category; }

bool IsPreferredType(TypeId id) { return TypeInfoOf(id).preferred; }

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
    case TypeId::kFloat32:  // numeric -> float4 and float4 -> float8 are implicit
      return 4;
    case TypeId::kFloat64:
      return 5;
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

namespace {

bool IsTimeOfDay(TypeId id) { return id == TypeId::kTime || id == TypeId::kTimeTz; }

// pg_cast's rows with time or timetz on one side (the others go through text): time ->
// interval and time -> timetz are implicit, the rest assignment casts.
bool TimeCastAllowed(TypeId from, TypeId to, CoercionContext context) {
  using enum TypeId;
  if (from == kTime && (to == kInterval || to == kTimeTz)) return true;
  if ((to == kTime &&
       (from == kTimestamp || from == kTimestampTz || from == kInterval || from == kTimeTz)) ||
      (to == kTimeTz && from == kTimestampTz)) {
    return context != CoercionContext::kImplicit;
  }
  return false;
}

// pg_cast's rows of the types added on the registry hooks (oid, money, bit, varbit, "char"),
// other than to and from the string types: 1 allowed, 0 not, -1 not such a pair.
int HookTypeCastAllowed(TypeId from, TypeId to, CoercionContext context) {
  using enum TypeId;
  auto hooked = [](TypeId t) {
    return t == kOid || t == kMoney || t == kBit || t == kVarbit || t == kChar || IsRegType(t);
  };
  // xid8 -> xid (function xid): explicit.
  if (from == kXid8Type && to == kXidType) return context == CoercionContext::kExplicit ? 1 : 0;
  if (!hooked(from) && !hooked(to)) return -1;
  if (CategoryOf(from) == TypeCategory::kString || CategoryOf(to) == TypeCategory::kString) {
    return -1;
  }
  const bool implicit = ((to == kOid || IsRegType(to)) && IsIntegerType(from)) ||
                        (from == kBit && to == kVarbit) || (from == kVarbit && to == kBit) ||
                        (IsRegType(to) && from == kOid) || (IsRegType(from) && to == kOid) ||
                        IsRegProcPair(from, to);
  if (implicit) return 1;
  const bool assignment =
      ((from == kOid || IsRegType(from)) && (to == kInt32 || to == kInt64)) ||
      (to == kMoney && (from == kNumeric || from == kInt32 || from == kInt64)) ||
      (from == kMoney && to == kNumeric);
  if (assignment) return context != CoercionContext::kImplicit ? 1 : 0;
  const bool explicit_only = (to == kBit && (from == kInt32 || from == kInt64)) ||
                             (from == kBit && (to == kInt32 || to == kInt64));
  if (explicit_only) return context == CoercionContext::kExplicit ? 1 : 0;
  return 0;
}

// pg_cast's json rows: json <-> jsonb are assignment casts, jsonb -> bool and the number types
// explicit ones (jsonb_bool, jsonb_int4, ...); 1 allowed, 0 not, -1 not such a pair.
int JsonCastAllowed(TypeId from, TypeId to, CoercionContext context) {
  const bool fj = from == kJsonType || from == kJsonbType;
  const bool tj = to == kJsonType || to == kJsonbType;
  if (!fj && !tj) return -1;
  if (fj && tj) return context != CoercionContext::kImplicit ? 1 : 0;
  if (from == kJsonbType && (to == TypeId::kBool || IsNumericType(to))) {
    return context == CoercionContext::kExplicit ? 1 : 0;
  }
  return -1;
}

}  // namespace

bool CanCoerce(TypeId from, TypeId to, CoercionContext context) {
  if (from == to || from == TypeId::kUnknown) return true;
  TypeCategory fc = CategoryOf(from), tc = CategoryOf(to);
  if ((IsTimeOfDay(from) || IsTimeOfDay(to)) && fc != TypeCategory::kString &&
      tc != TypeCategory::kString) {
    return TimeCastAllowed(from, to, context);
  }
  if (int r = HookTypeCastAllowed(from, to, context); r >= 0) return r == 1;
  // "char" and the string types (pg_cast): "char" -> text implicitly; "char" -> char(n) and
  // varchar, text, char(n) and varchar -> "char" in assignment; name only explicitly.
  if (from == TypeId::kChar && to == TypeId::kText) return true;
  if ((from == TypeId::kChar && (to == TypeId::kBpchar || to == TypeId::kVarchar)) ||
      (to == TypeId::kChar &&
       (from == TypeId::kText || from == TypeId::kBpchar || from == TypeId::kVarchar))) {
    return context != CoercionContext::kImplicit;
  }
  if (int r = JsonCastAllowed(from, to, context); r >= 0) return r == 1;
  // Array to array: element by element, in the context the element cast needs (int[] ->
  // bigint[] implicitly, text[] -> int[] explicitly), as PostgreSQL's array coercion.
  if (fc == TypeCategory::kArray && tc == TypeCategory::kArray) {
    return CanCoerce(ArrayElementType(from), ArrayElementType(to), context);
  }
  if ((fc == TypeCategory::kArray) != (tc == TypeCategory::kArray) && fc != TypeCategory::kString &&
      tc != TypeCategory::kString) {
    return false;
  }
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

bool HasBtreeOperators(TypeId id) {
  if (id == kJsonType || id == kJsonpathType || id == kCstringType) return false;
  // The geometric types (point) have no btree operator class; nor do arrays of them.
  if (CategoryOf(id) == TypeCategory::kGeometric) return false;
  if (CategoryOf(id) == TypeCategory::kArray) return HasBtreeOperators(ArrayElementType(id));
  return true;
}

void RequireSortGroupOperator(const Type& t, bool ordering, int location) {
  if (HasBtreeOperators(t.id)) return;
  Error e(SqlState::kUndefinedFunction,
          fmt::format("could not identify an {} operator for type {}",
                      ordering ? "ordering" : "equality", TypeName(Type::Of(t.id))));
  if (ordering) e.Hint("Use an explicit ordering operator or modify the query.");
  if (location >= 0) e.Position(location + 1);
  throw e;
}

}  // namespace activestore::planner
