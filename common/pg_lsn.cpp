#include "common/pg_lsn.h"

#include <fmt/format.h>

#include <string>

#include "common/error.h"
#include "common/numeric.h"
#include "common/type_registry.h"
#include "common/value.h"

namespace activestore {
namespace {

constexpr uint64_t kTopBit = uint64_t{1} << 63;

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

void PgLsnIn(std::string_view text, const FormatOptions&, Value* out) {
  out->i = PgLsnValue(ParsePgLsn(text)).i;
}
std::string PgLsnOut(const Value& v, const FormatOptions&) {
  const uint64_t lsn = PgLsnOf(v);
  return fmt::format("{:X}/{:X}", lsn >> 32, lsn & 0xffffffffU);
}
}  // namespace

const TypeMethods kPgLsnMethods = {PgLsnIn, PgLsnOut, CompareWords, HashWord, FlippedWordKey};

uint64_t ParsePgLsn(std::string_view text) {
  auto bad = [&]() {
    Throw(SqlState::kInvalidTextRepresentation, "invalid input syntax for type pg_lsn: \"{}\"",
          text);
  };
  size_t len1 = 0;
  while (len1 < text.size() && IsHex(text[len1])) ++len1;
  if (len1 < 1 || len1 > 8 || len1 >= text.size() || text[len1] != '/') bad();
  size_t len2 = 0;
  while (len1 + 1 + len2 < text.size() && IsHex(text[len1 + 1 + len2])) ++len2;
  if (len2 < 1 || len2 > 8 || len1 + 1 + len2 != text.size()) bad();
  const uint64_t hi = std::stoull(std::string(text.substr(0, len1)), nullptr, 16);
  const uint64_t lo = std::stoull(std::string(text.substr(len1 + 1, len2)), nullptr, 16);
  return (hi << 32) | lo;
}

Value PgLsnValue(uint64_t lsn) {
  return Value::Int(kPgLsnType, static_cast<int64_t>(lsn ^ kTopBit));
}

uint64_t PgLsnOf(const Value& v) { return static_cast<uint64_t>(v.i) ^ kTopBit; }

Value NumericToPgLsn(const Numeric& n) {
  if (n.IsNaN()) Throw(SqlState::kFeatureNotSupported, "cannot convert NaN to pg_lsn");
  if (n.IsInfinite()) Throw(SqlState::kFeatureNotSupported, "cannot convert infinity to pg_lsn");
  const std::string digits = n.Round(0).ToString();
  auto range = [] { Throw(SqlState::kInvalidParameterValue, "pg_lsn out of range"); };
  if (digits.empty() || digits[0] == '-') {
    if (digits != "-0") range();
  }
  unsigned __int128 acc = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') continue;
    acc = acc * 10 + static_cast<unsigned>(c - '0');
    if (acc > UINT64_MAX) range();
  }
  return PgLsnValue(static_cast<uint64_t>(acc));
}

}  // namespace activestore
