// Character classes of the C locale, as PostgreSQL's input functions use them (scanner_isspace,
// isdigit): independent of the process locale, and never undefined for bytes >= 0x80.
#pragma once

namespace activestore {

inline bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace activestore
