// PostgreSQL's binary form of arrays (array_send / array_recv) for the frontend's binary
// conversion (binary_format.h): int32 ndim, int32 flags (1 = has NULLs), uint32 element oid,
// (int32 length, int32 lower bound) per dimension, then per element an int32 length (-1 for
// NULL) and the element's own binary form. The engine side stays text: these convert between
// the binary form and the array's text form ('{1,2}', '[0:1]={"a b",NULL}').
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace activestore::frontend::pgwire {

// The big-endian int32 of the binary forms (also binary_record.cpp): appended to *out, and read
// from the front of *d (nullopt if fewer than 4 bytes are left).
void PutInt32(uint32_t v, std::string* out);
std::optional<uint32_t> GetInt32(std::string_view* d);

// The element oid of an array type whose elements have a binary form; nullopt otherwise.
std::optional<uint32_t> BinaryArrayElement(uint32_t type_oid);

// array_send of the array text `text` whose elements are `elem_oid` values. nullopt if the text
// is not a valid array or an element has no binary form.
std::optional<std::string> ArrayTextToBinary(uint32_t elem_oid, std::string_view text);

// array_recv into the array's text form. nullopt if `data` is malformed or its element oid is
// not `elem_oid`.
std::optional<std::string> ArrayBinaryToText(uint32_t elem_oid, std::string_view data);

}  // namespace activestore::frontend::pgwire
