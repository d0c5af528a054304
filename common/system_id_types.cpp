#include "common/system_id_types.h"

#include <fmt/format.h>

#include <cstdlib>
#include <string>

#include "common/error.h"
#include "common/type_registry.h"
#include "common/value.h"

namespace activestore {
namespace {

constexpr uint64_t kTopBit = uint64_t{1} << 63;  // xid8: as in FlippedWordKey

// strtoul/strtou64 with base 0 over a copy (the text is not NUL-terminated), no error: as
// PostgreSQL 15's xidin, cidin and xid8in.
uint64_t ParseUnsignedLoose(std::string_view text) {
  const std::string s(text);
  return std::strtoull(s.c_str(), nullptr, 0);
}

void Uint32In(std::string_view text, const FormatOptions&, Value* out) {
  out->i = static_cast<int64_t>(static_cast<uint32_t>(ParseUnsignedLoose(text)));
}
std::string Uint32Out(const Value& v, const FormatOptions&) {
  return std::to_string(static_cast<uint32_t>(v.i));
}

void Xid8In(std::string_view text, const FormatOptions&, Value* out) {
  out->i = Xid8Value(ParseUnsignedLoose(text)).i;
}
std::string Xid8Out(const Value& v, const FormatOptions&) { return std::to_string(Xid8Of(v)); }

// xid(xid8): the low 32 bits.
bool Xid8Cast(const Value& v, Type to, const FormatOptions&, Value* out) {
  if (v.type.id != kXid8Type || to.id != kXidType) return false;
  *out = XidValue(static_cast<uint32_t>(Xid8Of(v)));
  return true;
}

// tidin: "(block,offset)", block an unsigned 32-bit and offset an unsigned 16-bit number,
// blanks allowed where strtoul allows them.
void TidIn(std::string_view text, const FormatOptions&, Value* out) {
  auto bad = [&]() -> void {
    Throw(SqlState::kInvalidTextRepresentation, "invalid input syntax for type tid: \"{}\"", text);
  };
  const std::string s(text);
  const char* p = s.c_str();
  if (*p++ != '(') bad();
  auto number = [&](uint64_t max, char end) -> uint64_t {
    char* stop = nullptr;
    errno = 0;
    const char* start = p;
    while (*start == ' ' || *start == '\t' || *start == '\n' || *start == '\r' || *start == '\f' ||
           *start == '\v') {
      ++start;
    }
    if (*start == '-') bad();
    const unsigned long long n = std::strtoull(p, &stop, 10);
    if (stop == p || errno == ERANGE || n > max || *stop != end) bad();
    p = stop + 1;
    return n;
  };
  const uint64_t block = number(UINT32_MAX, ',');
  const uint64_t offset = number(UINT16_MAX, ')');
  if (*p != '\0') bad();
  out->i = static_cast<int64_t>((block << 16) | offset);
}
std::string TidOut(const Value& v, const FormatOptions&) {
  const auto u = static_cast<uint64_t>(v.i);
  return fmt::format("({},{})", u >> 16, u & 0xffff);
}

}  // namespace

const TypeMethods kXidMethods = {Uint32In, Uint32Out, CompareWords, HashWord, FlippedWordKey};
const TypeMethods kCidMethods = {Uint32In, Uint32Out, CompareWords, HashWord, FlippedWordKey};
const TypeMethods kXid8Methods = {Xid8In,   Xid8Out,        CompareWords,
                                  HashWord, FlippedWordKey, Xid8Cast};
const TypeMethods kTidMethods = {TidIn, TidOut, CompareWords, HashWord, FlippedWordKey};

Value XidValue(uint32_t xid) { return Value::Int(kXidType, static_cast<int64_t>(xid)); }
Value Xid8Value(uint64_t xid) { return Value::Int(kXid8Type, static_cast<int64_t>(xid ^ kTopBit)); }
uint64_t Xid8Of(const Value& v) { return static_cast<uint64_t>(v.i) ^ kTopBit; }

}  // namespace activestore
