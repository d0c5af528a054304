#include "common/utf8.h"

#include <algorithm>

#include "common/error.h"

namespace activestore {

size_t InvalidUtf8At(std::string_view s, size_t* bad_len) {
  for (size_t p = 0; p < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[p]);
    if (c >= 0x01 && c < 0x80) {  // the common case: ASCII
      ++p;
      continue;
    }
    const size_t n = c == 0               ? 1
                     : (c & 0xe0) == 0xc0 ? 2
                     : (c & 0xf0) == 0xe0 ? 3
                     : (c & 0xf8) == 0xf0 ? 4
                                          : 0;
    bool ok = n > 1 && p + n <= s.size() && !(n == 2 && c < 0xc2) && c <= 0xf4;
    for (size_t k = 1; ok && k < n; ++k) ok = (static_cast<unsigned char>(s[p + k]) & 0xc0) == 0x80;
    if (ok && n == 3) {
      const unsigned char c1 = static_cast<unsigned char>(s[p + 1]);
      ok = !(c == 0xe0 && c1 < 0xa0) && !(c == 0xed && c1 > 0x9f);
    }
    if (ok && n == 4) {
      const unsigned char c1 = static_cast<unsigned char>(s[p + 1]);
      ok = !(c == 0xf0 && c1 < 0x90) && !(c == 0xf4 && c1 > 0x8f);
    }
    if (!ok) {
      *bad_len = std::min<size_t>(n == 0 ? 1 : n, s.size() - p);
      return p;
    }
    p += n;
  }
  return std::string_view::npos;
}

void CheckUtf8(std::string_view s) {
  size_t bad_len = 0;
  const size_t at = InvalidUtf8At(s, &bad_len);
  if (at == std::string_view::npos) return;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string bytes;
  for (size_t k = 0; k < bad_len; ++k) {
    const unsigned char b = static_cast<unsigned char>(s[at + k]);
    if (k > 0) bytes.push_back(' ');
    bytes += "0x";
    bytes.push_back(kHex[b >> 4]);
    bytes.push_back(kHex[b & 15]);
  }
  Throw(SqlState::kCharacterNotInRepertoire, "invalid byte sequence for encoding \"UTF8\": {}",
        bytes);
}

}  // namespace activestore
