// UTF-8 helpers shared by the string functions, the expression evaluator and the formatting
// functions (the server's encoding is always UTF8).
#pragma once

#include <cstddef>

namespace activestore {

// The byte length of the character whose lead byte is c (1 for ASCII and for a stray
// continuation byte, so that a scan always advances).
inline size_t Utf8Len(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) return 2;
  if ((c & 0xF0) == 0xE0) return 3;
  if ((c & 0xF8) == 0xF0) return 4;
  return 1;
}

}  // namespace activestore
