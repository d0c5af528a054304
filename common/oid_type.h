// oid (26): PostgreSQL's unsigned 32-bit object identifier as a value type. Input as PostgreSQL
// 15's oidin (strtoul: surrounding whitespace, a sign; '-1040' is 4294966256; -2^31..2^32-1),
// unsigned output, unsigned order, the casts int2/int4/int8 -> oid (implicit; int8 out of range
// is 22003 `OID out of range`) and oid -> int4 (the same bits) / int8, and the registry hooks.
// The reg* types (regclass, ...) are not this type. Stateless and thread-safe.
//
// Representation: ValueLayout::kInt64, Value::i in 0 .. 4294967295, so the integer order of the
// vectors is the unsigned order.
#pragma once

#include <cstdint>
#include <string_view>

namespace activestore {

struct TypeMethods;
struct Value;

// oidin: 22P02 `invalid input syntax for type oid: "x"`, 22003 `value "x" is out of range for
// type oid`.
uint32_t ParseOid(std::string_view text);
Value OidValue(uint32_t oid);

extern const TypeMethods kOidMethods;

}  // namespace activestore
