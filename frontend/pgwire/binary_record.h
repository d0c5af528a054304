// PostgreSQL's binary form of composite values (record_send / record_recv) for the frontend's
// binary conversion (binary_format.h): int32 number of columns, then per column its type oid,
// an int32 length (-1 for NULL) and the column's own binary form. As for arrays, the engine side
// stays text: these convert between the binary form and the record's text form ("(1,x)").
// Only composite types whose attributes are all known (common/user_types.h) have a binary form
// here; an anonymous record's text does not say its column types.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace activestore::frontend::pgwire {

// True if `type_oid` is a composite type whose attributes all have a binary form.
bool BinaryRecordSupported(uint32_t type_oid);

// record_send of the text `text` of a value of composite type `type_oid`. nullopt if the text is
// not a valid value or a column has no binary form.
std::optional<std::string> RecordTextToBinary(uint32_t type_oid, std::string_view text);

// record_recv into the text form. nullopt if `data` is malformed, has the wrong number of
// columns or a column of the wrong type.
std::optional<std::string> RecordBinaryToText(uint32_t type_oid, std::string_view data);

}  // namespace activestore::frontend::pgwire
