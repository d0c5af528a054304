// Polymorphic user functions (PostgreSQL's parse_coerce.c check_generic_type_consistency and
// enforce_generic_type_consistency): which argument types a function declared with anyelement,
// anyarray, anynonarray, anyenum, anycompatible, anycompatiblearray or anycompatiblenonarray
// accepts, and the actual types its parameters and results take in one call. The binder then
// works with a copy of the function whose declared types are the actual ones
// (SpecializeFunction), so the body is planned, inlined and run as a plain function of those
// types.
#pragma once

#include <memory>
#include <vector>

#include "common/types.h"
#include "storage/catalog.h"

namespace activestore::planner {

// Whether fn has a polymorphic parameter (of any mode) or result.
bool IsPolymorphicFunction(const storage::FunctionInfo& fn);

// check_generic_type_consistency: whether the actual argument types fit the declared types (only
// the polymorphic positions are looked at; unknown fits anything). Never throws.
bool PolymorphicArgsFit(const std::vector<TypeId>& actual, const std::vector<TypeId>& declared);

// The actual types of the polymorphic families in one call (kUnknown where a family is unused).
struct PolymorphicTypes {
  TypeId elem = TypeId::kUnknown;              // anyelement, anynonarray, anyenum
  TypeId array = TypeId::kUnknown;             // anyarray
  TypeId compatible = TypeId::kUnknown;        // anycompatible, anycompatiblenonarray
  TypeId compatible_array = TypeId::kUnknown;  // anycompatiblearray

  // What `declared` is in this call (a non-polymorphic type as it is).
  Type Resolve(Type declared) const;
};

// enforce_generic_type_consistency over the input arguments, with PostgreSQL's 42804 errors
// (`could not determine polymorphic type because input has type unknown`, `arguments declared
// "anyelement" are not all alike`, ...) and 42704 `could not find array type for data type X`.
// `results` are the declared result types (the result and OUT parameters): they decide which
// types must be found.
PolymorphicTypes ResolvePolymorphicTypes(const std::vector<TypeId>& actual,
                                         const std::vector<TypeId>& declared,
                                         const std::vector<TypeId>& results);

// fn with each polymorphic parameter and result type replaced by its actual type for a call
// with these input argument types (one per input parameter; unknown for a NULL or string
// literal). Throws as ResolvePolymorphicTypes.
std::shared_ptr<const storage::FunctionInfo> SpecializeFunction(const storage::FunctionInfo& fn,
                                                                const std::vector<TypeId>& actual);

// PostgreSQL's check_valid_polymorphic_signature: the DETAIL of CREATE FUNCTION's 42P13
// `cannot determine result data type` when `result` is polymorphic and no input can decide it,
// else empty.
std::string PolymorphicResultProblem(TypeId result, const std::vector<TypeId>& inputs);

}  // namespace activestore::planner
