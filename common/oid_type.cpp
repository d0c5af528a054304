#include "common/oid_type.h"

#include <string>

#include "common/ascii.h"
#include "common/error.h"
#include "common/type_registry.h"
#include "common/value.h"

namespace activestore {
namespace {

void OidIn(std::string_view text, const FormatOptions&, Value* out) { out->i = ParseOid(text); }
std::string OidOut(const Value& v, const FormatOptions&) { return std::to_string(v.i); }
int OidCompare(int64_t a, int64_t, int64_t b, int64_t) { return a < b ? -1 : (a > b ? 1 : 0); }
uint64_t OidHash(int64_t w, int64_t) {
  uint64_t x = static_cast<uint64_t>(w) ^ 0x428a2f98d728ae22ULL;
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return x;
}
void OidKey(const Value& v, std::string* out) {
  for (int i = 3; i >= 0; --i)
    out->push_back(static_cast<char>(static_cast<uint64_t>(v.i) >> (8 * i)));
}

// int2/int4 -> oid keep the low 32 bits (int4 is binary coercible, so -1 is 4294967295);
// int8 -> oid checks the range; oid -> int4 is the same 32 bits, oid -> int8 the value.
bool OidCast(const Value& v, Type to, const FormatOptions&, Value* out) {
  const TypeId from = v.type.id;
  if (to.id == TypeId::kOid) {
    if (from == TypeId::kInt16 || from == TypeId::kInt32) {
      *out = OidValue(static_cast<uint32_t>(v.i));
      return true;
    }
    if (from == TypeId::kInt64) {
      if (v.i < 0 || v.i > 0xffffffffLL)
        Throw(SqlState::kNumericValueOutOfRange, "OID out of range");
      *out = OidValue(static_cast<uint32_t>(v.i));
      return true;
    }
    return false;
  }
  if (from != TypeId::kOid) return false;
  if (to.id == TypeId::kInt32) {
    *out = Value::Int32(static_cast<int32_t>(static_cast<uint32_t>(v.i)));
    return true;
  }
  if (to.id == TypeId::kInt64) {
    *out = Value::Int64(v.i);
    return true;
  }
  return false;
}

}  // namespace

const TypeMethods kOidMethods = {OidIn, OidOut, OidCompare, OidHash, OidKey, OidCast};

uint32_t ParseOid(std::string_view text) {
  auto bad = [&]() {
    Throw(SqlState::kInvalidTextRepresentation, "invalid input syntax for type oid: \"{}\"", text);
  };
  auto range = [&]() {
    Throw(SqlState::kNumericValueOutOfRange, "value \"{}\" is out of range for type oid", text);
  };
  size_t p = 0;
  while (p < text.size() && IsSpace(text[p])) ++p;
  bool neg = false;
  if (p < text.size() && (text[p] == '+' || text[p] == '-')) {
    neg = text[p] == '-';
    ++p;
  }
  if (p >= text.size() || text[p] < '0' || text[p] > '9') bad();
  // strtoul into an unsigned long (64 bits): ERANGE beyond it.
  uint64_t acc = 0;
  bool overflow = false;
  for (; p < text.size() && text[p] >= '0' && text[p] <= '9'; ++p) {
    const uint64_t d = static_cast<uint64_t>(text[p] - '0');
    if (acc > (UINT64_MAX - d) / 10) overflow = true;
    acc = acc * 10 + d;
  }
  if (overflow) range();
  while (p < text.size() && IsSpace(text[p])) ++p;
  if (p != text.size()) bad();
  const uint64_t cvt = neg ? 0 - acc : acc;
  const auto result = static_cast<uint32_t>(cvt);
  // oidin accepts what fits 32 bits unsigned, or as a negative int4.
  if (cvt != result &&
      cvt != static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(result)))) {
    range();
  }
  return result;
}

Value OidValue(uint32_t oid) { return Value::Int(TypeId::kOid, oid); }

}  // namespace activestore
