// uuid: PostgreSQL's 16-byte universally unique identifier. A value is held in the two words of
// the registry's kInt64Pair layout (Value::i / i2, the vector's `ints` / `ints2`): bytes 0-7
// and 8-15 read as big-endian integers, so comparing the words as unsigned integers is
// PostgreSQL's memcmp order. Text input in every form uuid_in accepts, lowercase hyphenated
// output, gen_random_uuid (version 4). Stateless and thread-safe.
//
// Errors (PostgreSQL's wording): 22P02 `invalid input syntax for type uuid: "x"`.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace activestore {

struct TypeMethods;
struct Value;

using UuidBytes = std::array<uint8_t, 16>;

// uuid_in: 32 hex digits in either case, a hyphen optionally after any group of four digits
// (not at the end), the whole optionally in braces; nothing else, not even spaces.
UuidBytes ParseUuid(std::string_view text);
// uuid_out: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11".
std::string FormatUuid(const UuidBytes& u);

// The uuid a Value (or a vector's ints/ints2 pair) holds, and back.
UuidBytes UuidOf(int64_t hi, int64_t lo);
Value UuidValue(const UuidBytes& u);

// A version 4 (random) uuid from the operating system's random source (gen_random_uuid).
UuidBytes RandomUuid();

// The registry hooks of uuid.
extern const TypeMethods kUuidMethods;

}  // namespace activestore
