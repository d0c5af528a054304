// The object identifier alias types regclass (2205), regtype (2206), regnamespace (4089) and
// regrole (4096): an oid that reads and prints as the name of a relation, type, schema or role.
// Input: '-' is 0, a string of digits is that oid (printed back as the number when no object
// has it), anything else a name looked up as PostgreSQL's regclassin/regtypein/regnamespacein/
// regrolein do (search_path, quoting; 42P01, 42704, 3F000 when missing). Output: the name,
// schema-qualified only when the object is not visible on the search path, quoted as
// quote_ident; 0 prints '-'. Casts with oid (both ways, implicit), int2/int4/int8 -> reg*
// (implicit), reg* -> int4/int8 (assignment), as pg_cast. Binary form: an oid's 4 bytes.
//
// The name lookups need the catalog as the statement's transaction sees it: FormatOptions::reg
// holds a RegResolver the session fills (executor/reg_resolver.h); without one a name is 0A000.
//
// Representation: ValueLayout::kInt64, Value::i in 0 .. 4294967295 (as oid).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/types.h"

namespace activestore {

struct TypeMethods;

inline constexpr TypeId kRegClassType = TypeId{2205};
inline constexpr TypeId kRegTypeType = TypeId{2206};
inline constexpr TypeId kRegNamespaceType = TypeId{4089};
inline constexpr TypeId kRegRoleType = TypeId{4096};
inline constexpr TypeId kRegClassArrayType = TypeId{2210};
inline constexpr TypeId kRegTypeArrayType = TypeId{2211};
inline constexpr TypeId kRegNamespaceArrayType = TypeId{4090};
inline constexpr TypeId kRegRoleArrayType = TypeId{4097};
// regproc (24): a function by name (unique among the overloads); regprocedure (2202): by name
// and argument types, 'f(integer)'.
inline constexpr TypeId kRegProcType = TypeId{24};
inline constexpr TypeId kRegProcedureType = TypeId{2202};
inline constexpr TypeId kRegProcArrayType = TypeId{1008};
inline constexpr TypeId kRegProcedureArrayType = TypeId{2207};

// regclass, regtype, regnamespace, regrole, regproc or regprocedure.
bool IsRegType(TypeId id);
// regproc and regprocedure, either way (binary-coercible casts).
bool IsRegProcPair(TypeId a, TypeId b);

// The catalog lookups of the reg* input and output functions (PostgreSQL's syscache and
// namespace search). Implementations read one immutable catalog snapshot, so a resolver may be
// used from several threads.
class RegResolver {
 public:
  virtual ~RegResolver() = default;
  // The oid a name given as text denotes for reg type `type` (not a number, not '-'). Throws
  // the input function's error (42P01, 42704, 3F000, 42602, 42601) when there is none, unless
  // missing_ok, then returns nullopt (a malformed name still throws, as to_regclass).
  virtual std::optional<uint32_t> Lookup(TypeId type, std::string_view text,
                                         bool missing_ok) const = 0;
  // The output of `oid` as reg type `type`, or nullopt if no such object exists.
  virtual std::optional<std::string> Name(TypeId type, uint32_t oid) const = 0;
};

extern const TypeMethods kRegClassMethods;
extern const TypeMethods kRegTypeMethods;
extern const TypeMethods kRegNamespaceMethods;
extern const TypeMethods kRegRoleMethods;
extern const TypeMethods kRegProcMethods;
extern const TypeMethods kRegProcedureMethods;

}  // namespace activestore
