// bit(n) and bit varying(n) (PostgreSQL's bit and varbit, oids 1560 and 1562): input in the
// binary and hexadecimal forms ('1010', B'1010' as 'b1010', X'1F' as 'x1F'), output, the
// length coercions of bit(n) and varbit(n), the operators (& | # ~ << >> ||) and functions
// (length, octet_length, position, substring, overlay, get_bit, set_bit, bit_count), casts to
// and from int4/int8, and the registry hooks of both types. Stateless and thread-safe.
//
// Representation: ValueLayout::kString, one character '0' or '1' per bit in Value::s. Ordered
// by bytes, then length, that is PostgreSQL's bit_cmp (memcmp of the packed bits over the
// shorter length, then the shorter first), so equality, order, hashing and the storage key need
// no code of their own.
//
// Errors (PostgreSQL's wording): 22P02 `"x" is not a valid binary digit` / `... hexadecimal
// digit`, 22026 `bit string length 3 does not match type bit(4)`, 22001 `bit string too long for
// type bit varying(2)`, 22026 `cannot AND bit strings of different sizes`, 2202E `bit index 16
// out of valid range (0..15)`, 22011 `negative substring length not allowed`.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/types.h"

namespace activestore {

struct TypeMethods;
struct Value;

// bit_in / varbit_in with a typmod (-1: none): bit(n) needs exactly n bits, varbit(n) at most n.
std::string ParseBitString(std::string_view text, TypeId type, int32_t typmod);
// The length coercion of bit(n) (explicit: pad with zeros or truncate; otherwise 22026 when the
// length differs) and varbit(n) (explicit: truncate; otherwise 22001 when longer).
std::string ApplyBitTypmod(std::string bits, TypeId type, int32_t typmod, bool explicit_cast);

Value BitValue(std::string bits, TypeId type = TypeId::kBit);

// Operators. REQUIRES: strings of '0'/'1'.
std::string BitAnd(std::string_view a, std::string_view b);
std::string BitOr(std::string_view a, std::string_view b);
std::string BitXor(std::string_view a, std::string_view b);
std::string BitNot(std::string_view a);
std::string BitShiftLeft(std::string_view a, int64_t n);  // a negative n shifts right
std::string BitShiftRight(std::string_view a, int64_t n);

// Functions.
int32_t BitPosition(std::string_view str, std::string_view sub);
std::string BitSubstring(std::string_view a, int64_t start, int64_t len, bool len_given);
std::string BitOverlay(std::string_view a, std::string_view placing, int64_t from, int64_t len);
int32_t BitGet(std::string_view a, int64_t n);
std::string BitSet(std::string_view a, int64_t n, int64_t bit);
int64_t BitCount(std::string_view a);

// bitfromint4/bitfromint8 (the low bits, sign-extended beyond the integer's width) and
// bittoint4/bittoint8 (22003 when longer than the integer).
std::string BitFromInt(int64_t v, int width, int32_t typmod);
int64_t BitToInt(std::string_view a, TypeId to);

// bittypmodin / varbittypmodin.
int32_t BitTypmodIn(TypeId type, std::span<const int32_t> mods);
// format_type with a typmod: "bit(4)", "bit varying(5)".
std::string BitTypmodName(int32_t typmod);
std::string VarbitTypmodName(int32_t typmod);

extern const TypeMethods kBitMethods;
extern const TypeMethods kVarbitMethods;

}  // namespace activestore
