#include "common/uuid.h"

#include <openssl/rand.h>

#include "common/error.h"
#include "common/type_registry.h"
#include "common/value.h"

namespace activestore {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

uint64_t Word(const UuidBytes& u, size_t at) {
  uint64_t w = 0;
  for (size_t k = 0; k < 8; ++k) w = (w << 8) | u[at + k];
  return w;
}

void PutWord(uint64_t w, UuidBytes* u, size_t at) {
  for (size_t k = 0; k < 8; ++k) (*u)[at + k] = static_cast<uint8_t>(w >> (56 - 8 * k));
}

void UuidIn(std::string_view text, const FormatOptions&, Value* out) {
  UuidBytes u = ParseUuid(text);
  out->i = static_cast<int64_t>(Word(u, 0));
  out->i2 = static_cast<int64_t>(Word(u, 8));
}

std::string UuidOut(const Value& v, const FormatOptions&) { return FormatUuid(UuidOf(v.i, v.i2)); }

int UuidCompare(int64_t a, int64_t a2, int64_t b, int64_t b2) {
  auto ua = static_cast<uint64_t>(a), ub = static_cast<uint64_t>(b);
  if (ua != ub) return ua < ub ? -1 : 1;
  auto ua2 = static_cast<uint64_t>(a2), ub2 = static_cast<uint64_t>(b2);
  return ua2 < ub2 ? -1 : (ua2 > ub2 ? 1 : 0);
}

uint64_t UuidHash(int64_t w, int64_t w2) {
  uint64_t x = static_cast<uint64_t>(w) * 0x9e3779b97f4a7c15ULL ^ static_cast<uint64_t>(w2);
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  return x ^ (x >> 33);
}

void UuidKey(const Value& v, std::string* out) {
  const UuidBytes u = UuidOf(v.i, v.i2);
  out->append(reinterpret_cast<const char*>(u.data()), u.size());
}

}  // namespace

const TypeMethods kUuidMethods = {UuidIn, UuidOut, UuidCompare, UuidHash, UuidKey};

UuidBytes ParseUuid(std::string_view text) {
  auto bad = [&]() {
    Throw(SqlState::kInvalidTextRepresentation, "invalid input syntax for type uuid: \"{}\"", text);
  };
  UuidBytes u{};
  size_t p = 0;
  const bool braces = !text.empty() && text[0] == '{';
  if (braces) ++p;
  for (size_t i = 0; i < u.size(); ++i) {
    if (p + 1 >= text.size()) bad();
    int hi = HexDigit(text[p]), lo = HexDigit(text[p + 1]);
    if (hi < 0 || lo < 0) bad();
    u[i] = static_cast<uint8_t>(hi * 16 + lo);
    p += 2;
    if (p < text.size() && text[p] == '-' && i % 2 == 1 && i + 1 < u.size()) ++p;
  }
  if (braces) {
    if (p >= text.size() || text[p] != '}') bad();
    ++p;
  }
  if (p != text.size()) bad();
  return u;
}

std::string FormatUuid(const UuidBytes& u) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < u.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[u[i] >> 4]);
    out.push_back(kHex[u[i] & 15]);
  }
  return out;
}

UuidBytes UuidOf(int64_t hi, int64_t lo) {
  UuidBytes u{};
  PutWord(static_cast<uint64_t>(hi), &u, 0);
  PutWord(static_cast<uint64_t>(lo), &u, 8);
  return u;
}

Value UuidValue(const UuidBytes& u) {
  Value v;
  v.type = Type::Of(TypeId::kUuid);
  v.is_null = false;
  v.i = static_cast<int64_t>(Word(u, 0));
  v.i2 = static_cast<int64_t>(Word(u, 8));
  return v;
}

UuidBytes RandomUuid() {
  UuidBytes u{};
  if (RAND_bytes(u.data(), static_cast<int>(u.size())) != 1) {
    Throw(SqlState::kInternalError, "could not generate random values");
  }
  u[6] = static_cast<uint8_t>((u[6] & 0x0f) | 0x40);  // version 4
  u[8] = static_cast<uint8_t>((u[8] & 0x3f) | 0x80);  // RFC 4122 variant
  return u;
}

}  // namespace activestore
