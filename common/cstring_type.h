// cstring (2275): PostgreSQL's pseudo-type of a NUL-terminated C string, the argument of every
// type's input function and the result of its output function (int4in(cstring),
// textout(text)). It is as usable in SQL as PostgreSQL 15 allows: literals ('abc'::cstring),
// I/O conversion casts with the string category types (text -> cstring and cstring -> text,
// varchar, bpchar, name; explicitly, or in assignment towards a string type), cstring[]
// (1263), the I/O functions (planner/bind_support_function.cpp); no operators, no ordering or
// grouping (42883, planner/type_rules.cpp), no table columns (42P16, executor/ddl.cpp).
//
// Representation: ValueLayout::kString, the text itself (its input and output functions are
// the identity). Stateless and thread-safe.
#pragma once

#include <optional>
#include <string>

#include "common/types.h"

namespace activestore {

struct TypeMethods;

inline constexpr TypeId kCstringType = TypeId{2275};
inline constexpr TypeId kCstringArrayType = TypeId{1263};

extern const TypeMethods kCstringMethods;

// PostgreSQL's CheckAttributeType for a column (or composite attribute) of type t: the type
// name its 42P16 `column "c" has pseudo-type <name>` shows when t is a pseudo-type (cstring,
// record, void, trigger) or an array of cstring (reported as cstring, its element: PostgreSQL
// recurses into arrays); nullopt when t may be a column's type.
std::optional<std::string> PseudoColumnTypeName(Type t);

}  // namespace activestore
