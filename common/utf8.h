// UTF-8 helpers shared by the string functions, the expression evaluator and the formatting
// functions (the server's encoding is always UTF8).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

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

// Appends code point cp as UTF-8 (cp must be a valid scalar value, at most 0x10FFFF).
inline void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// The offset of the first byte of s that does not start a valid UTF-8 character (NUL, overlong
// forms, surrogates and code points past U+10FFFF included), with in *bad_len the bytes of that
// sequence PostgreSQL's error shows; npos when all of s is valid.
size_t InvalidUtf8At(std::string_view s, size_t* bad_len);

// Throws 22021 `invalid byte sequence for encoding "UTF8": 0x..` for the first invalid sequence
// of s (PostgreSQL's pg_verifymbstr), which text from a client, COPY data and every function
// that makes text from bytes must pass.
void CheckUtf8(std::string_view s);

}  // namespace activestore
