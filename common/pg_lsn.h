// pg_lsn (3220): PostgreSQL's write-ahead log position as a value type: an unsigned 64-bit
// number written as two hexadecimal halves, "16/B374D848". Input as pg_lsn_in (1 to 8 hex
// digits, '/', 1 to 8 hex digits, nothing else), output "%X/%X", unsigned order, and
// pg_lsn(numeric) (numeric_pg_lsn). Stateless and thread-safe.
//
// Representation: ValueLayout::kInt64, Value::i = the position with its top bit flipped, so that
// the signed order of the vectors is the unsigned order of positions.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/types.h"

namespace activestore {

struct TypeMethods;
struct Value;
class Numeric;

inline constexpr TypeId kPgLsnType = TypeId{3220};
inline constexpr TypeId kPgLsnArrayType = TypeId{3221};

// pg_lsn_in: 22P02 `invalid input syntax for type pg_lsn: "x"`.
uint64_t ParsePgLsn(std::string_view text);
Value PgLsnValue(uint64_t lsn);
uint64_t PgLsnOf(const Value& v);  // REQUIRES: v is a non-NULL pg_lsn
// numeric_pg_lsn: rounds half away from zero; 0A000 for NaN and infinity, 22023
// `pg_lsn out of range` outside 0 .. 2^64-1.
Value NumericToPgLsn(const Numeric& n);

extern const TypeMethods kPgLsnMethods;

}  // namespace activestore
