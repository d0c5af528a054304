#include "common/char_type.h"

#include "common/type_registry.h"
#include "common/value.h"

namespace activestore {
namespace {

bool IsOctal(char c) { return c >= '0' && c <= '7'; }

void CharIn(std::string_view text, const FormatOptions&, Value* out) { out->i = ParseChar(text); }
std::string CharOut(const Value& v, const FormatOptions&) {
  return FormatChar(static_cast<uint8_t>(v.i));
}
int CharCompare(int64_t a, int64_t, int64_t b, int64_t) { return a < b ? -1 : (a > b ? 1 : 0); }
uint64_t CharHash(int64_t w, int64_t) {
  return (static_cast<uint64_t>(w) + 0x510e527fade682d1ULL) * 0x9e3779b97f4a7c15ULL;
}
void CharKey(const Value& v, std::string* out) { out->push_back(static_cast<char>(v.i)); }

}  // namespace

const TypeMethods kCharMethods = {CharIn, CharOut, CharCompare, CharHash, CharKey};

uint8_t ParseChar(std::string_view text) {
  if (text.size() == 4 && text[0] == '\\' && IsOctal(text[1]) && IsOctal(text[2]) &&
      IsOctal(text[3])) {
    return static_cast<uint8_t>(((text[1] - '0') << 6) + ((text[2] - '0') << 3) + (text[3] - '0'));
  }
  return text.empty() ? 0 : static_cast<uint8_t>(text[0]);
}

std::string FormatChar(uint8_t c) {
  if (c & 0x80) {
    std::string s = "\\";
    s.push_back(static_cast<char>('0' + (c >> 6)));
    s.push_back(static_cast<char>('0' + ((c >> 3) & 7)));
    s.push_back(static_cast<char>('0' + (c & 7)));
    return s;
  }
  if (c == 0) return "";
  return std::string(1, static_cast<char>(c));
}

}  // namespace activestore
