// "char" (18): PostgreSQL's one-byte internal type (pg_type's typcategory Z), not char(n).
// charin takes the first byte of its input, or a '\ooo' octal escape of four characters;
// charout shows a byte with the high bit set as '\ooo' and the zero byte as ''. Casts to and
// from text go through these (text_char/char_text behave the same). Stateless and thread-safe.
//
// Representation: ValueLayout::kInt64, the byte 0..255 in Value::i (unsigned order, chareq/
// charlt compare unsigned bytes).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace activestore {

struct TypeMethods;

uint8_t ParseChar(std::string_view text);
std::string FormatChar(uint8_t c);

extern const TypeMethods kCharMethods;

}  // namespace activestore
