// PostgreSQL's transaction, command and tuple identifier types, as the system catalog and the
// system columns show them: xid (28), cid (29), tid (27), xid8 (5069), and their arrays.
// Stateless and thread-safe.
//
// Representation: ValueLayout::kInt64 for all four.
// - xid, cid: Value::i = the unsigned 32-bit number (0 .. 2^32-1). Input as PostgreSQL 15's
//   xidin/cidin: strtoul with base 0 and no error (garbage reads as 0, "-1" as 4294967295).
//   Operators: xid = xid, xid <> xid, xid = int4, xid <> int4 (xideqint4: the int4's 32 bits);
//   cid = cid. No order (PostgreSQL has none).
// - xid8: Value::i = the unsigned 64-bit number with its top bit flipped, so that the signed
//   order is the unsigned one. Input as xid8in (strtou64, base 0). All six comparisons;
//   xid(xid8) takes the low 32 bits.
// - tid: Value::i = block << 16 | offset. Input "(block,offset)" as tidin (22P02 otherwise),
//   output "(b,o)". All six comparisons, in (block, offset) order.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/types.h"

namespace activestore {

struct TypeMethods;
struct Value;

inline constexpr TypeId kTidType = TypeId{27};
inline constexpr TypeId kXidType = TypeId{28};
inline constexpr TypeId kCidType = TypeId{29};
inline constexpr TypeId kTidArrayType = TypeId{1010};
inline constexpr TypeId kXidArrayType = TypeId{1011};
inline constexpr TypeId kCidArrayType = TypeId{1012};
inline constexpr TypeId kXid8Type = TypeId{5069};
inline constexpr TypeId kXid8ArrayType = TypeId{271};

Value XidValue(uint32_t xid);
Value Xid8Value(uint64_t xid);
uint64_t Xid8Of(const Value& v);  // REQUIRES: v is a non-NULL xid8

extern const TypeMethods kXidMethods;
extern const TypeMethods kCidMethods;
extern const TypeMethods kXid8Methods;
extern const TypeMethods kTidMethods;

}  // namespace activestore
