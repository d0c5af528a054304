#include "common/bit_string.h"

#include <algorithm>
#include <limits>

#include "common/error.h"
#include "common/type_registry.h"
#include "common/value.h"

namespace activestore {
namespace {

// VARBITMAXLEN: the longest bit string PostgreSQL stores.
constexpr int64_t kMaxBits = 0x7ffffff8LL - 7;  // (1 GB varlena - header) * 8, as PostgreSQL
constexpr int32_t kMaxBitTypmod = 83886080;     // BITMAXLEN in bittypmodin's check

// The bytes of the first character of s (for the digit error messages).
std::string_view FirstChar(std::string_view s) {
  size_t n = 1;
  const auto c = static_cast<unsigned char>(s[0]);
  if (c >= 0xf0) {
    n = 4;
  } else if (c >= 0xe0) {
    n = 3;
  } else if (c >= 0xc0) {
    n = 2;
  }
  return s.substr(0, std::min(n, s.size()));
}

[[noreturn]] void ThrowLengthMismatch(size_t len, int32_t typmod) {
  Throw(SqlState::kStringDataLengthMismatch, "bit string length {} does not match type bit({})",
        len, typmod);
}
[[noreturn]] void ThrowTooLong(int32_t typmod) {
  Throw(SqlState::kStringDataRightTruncation, "bit string too long for type bit varying({})",
        typmod);
}

template <typename F>
std::string Combine(std::string_view a, std::string_view b, const char* what, F f) {
  if (a.size() != b.size()) {
    Throw(SqlState::kStringDataLengthMismatch, "cannot {} bit strings of different sizes", what);
  }
  std::string r(a.size(), '0');
  for (size_t i = 0; i < a.size(); ++i) r[i] = f(a[i] == '1', b[i] == '1') ? '1' : '0';
  return r;
}

// ---- registry hooks ----

void BitIn(std::string_view text, const FormatOptions&, Value* out) {
  out->s = ParseBitString(text, out->type.id, out->type.typmod);
}
std::string BitOut(const Value& v, const FormatOptions&) { return v.s; }
void BitKey(const Value& v, std::string* out) { out->append(v.s); }

// bit <-> varbit (binary coercible, then the target's length coercion), int4/int8 <-> bit.
bool BitCast(const Value& v, Type to, const FormatOptions&, Value* out) {
  const TypeId from = v.type.id;
  const bool bits_from = from == TypeId::kBit || from == TypeId::kVarbit;
  if ((to.id == TypeId::kBit || to.id == TypeId::kVarbit) && bits_from) {
    *out = BitValue(v.s, to.id);
    out->type = to;
    return true;
  }
  if (to.id == TypeId::kBit && (from == TypeId::kInt32 || from == TypeId::kInt64)) {
    *out = BitValue(BitFromInt(v.i, from == TypeId::kInt32 ? 32 : 64, to.typmod), TypeId::kBit);
    out->type = to;
    return true;
  }
  if ((to.id == TypeId::kInt32 || to.id == TypeId::kInt64) && from == TypeId::kBit) {
    *out = Value::Int(to.id, BitToInt(v.s, to.id));
    return true;
  }
  return false;
}

void BitApplyTypmod(Value* v, int32_t typmod, bool explicit_cast) {
  v->s = ApplyBitTypmod(std::move(v->s), v->type.id, typmod, explicit_cast);
}

int32_t BitTypmodInBit(std::span<const int32_t> mods) { return BitTypmodIn(TypeId::kBit, mods); }
int32_t BitTypmodInVarbit(std::span<const int32_t> mods) {
  return BitTypmodIn(TypeId::kVarbit, mods);
}

}  // namespace

const TypeMethods kBitMethods = {BitIn,  BitOut,  nullptr,        nullptr,
                                 BitKey, BitCast, BitApplyTypmod, BitTypmodInBit};
const TypeMethods kVarbitMethods = {BitIn,  BitOut,  nullptr,        nullptr,
                                    BitKey, BitCast, BitApplyTypmod, BitTypmodInVarbit};

std::string ParseBitString(std::string_view text, TypeId type, int32_t typmod) {
  std::string_view s = text;
  bool hex = false;
  if (!s.empty() && (s[0] == 'b' || s[0] == 'B')) {
    s.remove_prefix(1);
  } else if (!s.empty() && (s[0] == 'x' || s[0] == 'X')) {
    hex = true;
    s.remove_prefix(1);
  }
  const int64_t bitlen = static_cast<int64_t>(s.size()) * (hex ? 4 : 1);
  if (bitlen > kMaxBits) {
    Throw(SqlState::kProgramLimitExceeded, "bit string length exceeds the maximum allowed ({})",
          kMaxBits);
  }
  if (typmod > 0) {
    if (type == TypeId::kBit && bitlen != typmod) ThrowLengthMismatch(bitlen, typmod);
    if (type == TypeId::kVarbit && bitlen > typmod) ThrowTooLong(typmod);
  }
  std::string out;
  out.reserve(static_cast<size_t>(bitlen));
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (!hex) {
      if (c != '0' && c != '1') {
        Throw(SqlState::kInvalidTextRepresentation, "\"{}\" is not a valid binary digit",
              FirstChar(s.substr(i)));
      }
      out.push_back(c);
      continue;
    }
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      Throw(SqlState::kInvalidTextRepresentation, "\"{}\" is not a valid hexadecimal digit",
            FirstChar(s.substr(i)));
    }
    for (int b = 3; b >= 0; --b) out.push_back((d >> b) & 1 ? '1' : '0');
  }
  return out;
}

std::string ApplyBitTypmod(std::string bits, TypeId type, int32_t typmod, bool explicit_cast) {
  if (typmod <= 0) return bits;
  const auto n = static_cast<size_t>(typmod);
  if (type == TypeId::kBit) {
    if (bits.size() == n) return bits;
    if (!explicit_cast) ThrowLengthMismatch(bits.size(), typmod);
    bits.resize(n, '0');
    return bits;
  }
  if (bits.size() <= n) return bits;
  if (!explicit_cast) ThrowTooLong(typmod);
  bits.resize(n);
  return bits;
}

Value BitValue(std::string bits, TypeId type) {
  Value v;
  v.type = Type::Of(type);
  v.is_null = false;
  v.s = std::move(bits);
  return v;
}

std::string BitAnd(std::string_view a, std::string_view b) {
  return Combine(a, b, "AND", [](bool x, bool y) { return x && y; });
}
std::string BitOr(std::string_view a, std::string_view b) {
  return Combine(a, b, "OR", [](bool x, bool y) { return x || y; });
}
std::string BitXor(std::string_view a, std::string_view b) {
  return Combine(a, b, "XOR", [](bool x, bool y) { return x != y; });
}

std::string BitNot(std::string_view a) {
  std::string r(a);
  for (char& c : r) c = c == '1' ? '0' : '1';
  return r;
}

std::string BitShiftLeft(std::string_view a, int64_t n) {
  if (n < 0) {
    // Negating INT_MIN is avoided as PostgreSQL does: any shift beyond the length is zeros.
    return BitShiftRight(
        a, n == std::numeric_limits<int64_t>::min() ? std::numeric_limits<int64_t>::max() : -n);
  }
  const size_t len = a.size();
  std::string r(len, '0');
  if (static_cast<uint64_t>(n) >= len) return r;
  const auto k = static_cast<size_t>(n);
  std::copy(a.begin() + static_cast<std::ptrdiff_t>(k), a.end(), r.begin());
  return r;
}

std::string BitShiftRight(std::string_view a, int64_t n) {
  if (n < 0) {
    return BitShiftLeft(
        a, n == std::numeric_limits<int64_t>::min() ? std::numeric_limits<int64_t>::max() : -n);
  }
  const size_t len = a.size();
  std::string r(len, '0');
  if (static_cast<uint64_t>(n) >= len) return r;
  const auto k = static_cast<size_t>(n);
  std::copy(a.begin(), a.end() - static_cast<std::ptrdiff_t>(k),
            r.begin() + static_cast<std::ptrdiff_t>(k));
  return r;
}

int32_t BitPosition(std::string_view str, std::string_view sub) {
  if (str.empty() || sub.size() > str.size()) return 0;
  if (sub.empty()) return 1;
  size_t p = str.find(sub);
  return p == std::string_view::npos ? 0 : static_cast<int32_t>(p) + 1;
}

std::string BitSubstring(std::string_view a, int64_t start, int64_t len, bool len_given) {
  const auto bitlen = static_cast<int64_t>(a.size());
  const int64_t s1 = std::max<int64_t>(start, 1);
  int64_t e1;
  if (!len_given) {
    e1 = bitlen + 1;
  } else if (len < 0) {
    Throw(SqlState::kSubstringError, "negative substring length not allowed");
  } else {
    // start and len are int4 in PostgreSQL: an end beyond int4 runs to the end.
    const int64_t e = start + len;
    e1 = e > std::numeric_limits<int32_t>::max() ? bitlen + 1 : std::min(e, bitlen + 1);
  }
  if (s1 > bitlen || e1 <= s1) return "";
  return std::string(a.substr(static_cast<size_t>(s1 - 1), static_cast<size_t>(e1 - s1)));
}

std::string BitOverlay(std::string_view a, std::string_view placing, int64_t from, int64_t len) {
  if (from <= 0) Throw(SqlState::kSubstringError, "negative substring length not allowed");
  const int64_t end = from + len;
  if (end > std::numeric_limits<int32_t>::max() || end < std::numeric_limits<int32_t>::min()) {
    Throw(SqlState::kNumericValueOutOfRange, "integer out of range");
  }
  std::string r = BitSubstring(a, 1, from - 1, true);
  r.append(placing);
  r.append(BitSubstring(a, end, -1, false));
  return r;
}

int32_t BitGet(std::string_view a, int64_t n) {
  if (n < 0 || n >= static_cast<int64_t>(a.size())) {
    Throw(SqlState::kArraySubscriptError, "bit index {} out of valid range (0..{})", n,
          static_cast<int64_t>(a.size()) - 1);
  }
  return a[static_cast<size_t>(n)] == '1' ? 1 : 0;
}

std::string BitSet(std::string_view a, int64_t n, int64_t bit) {
  BitGet(a, n);
  if (bit != 0 && bit != 1) Throw(SqlState::kInvalidParameterValue, "new bit must be 0 or 1");
  std::string r(a);
  r[static_cast<size_t>(n)] = bit ? '1' : '0';
  return r;
}

int64_t BitCount(std::string_view a) { return std::count(a.begin(), a.end(), '1'); }

std::string BitFromInt(int64_t v, int width, int32_t typmod) {
  const int64_t len = typmod <= 0 ? 1 : typmod;
  std::string r(static_cast<size_t>(len), '0');
  for (int64_t i = 0; i < len; ++i) {  // i: the bit's distance from the right end
    const bool bit = i < width ? ((static_cast<uint64_t>(v) >> i) & 1) != 0 : v < 0;
    r[static_cast<size_t>(len - 1 - i)] = bit ? '1' : '0';
  }
  return r;
}

int64_t BitToInt(std::string_view a, TypeId to) {
  const size_t width = to == TypeId::kInt32 ? 32 : 64;
  if (a.size() > width) {
    Throw(SqlState::kNumericValueOutOfRange, "{} out of range",
          to == TypeId::kInt32 ? "integer" : "bigint");
  }
  uint64_t r = 0;
  for (char c : a) r = (r << 1) | (c == '1' ? 1 : 0);
  if (to == TypeId::kInt32) return static_cast<int32_t>(static_cast<uint32_t>(r));
  return static_cast<int64_t>(r);
}

int32_t BitTypmodIn(TypeId type, std::span<const int32_t> mods) {
  const char* name = type == TypeId::kBit ? "bit" : "varbit";
  if (mods.empty()) return -1;
  if (mods.size() != 1) Throw(SqlState::kInvalidParameterValue, "invalid type modifier");
  if (mods[0] < 1)
    Throw(SqlState::kInvalidParameterValue, "length for type {} must be at least 1", name);
  if (mods[0] > kMaxBitTypmod) {
    Throw(SqlState::kInvalidParameterValue, "length for type {} cannot exceed {}", name,
          kMaxBitTypmod);
  }
  return mods[0];
}

std::string BitTypmodName(int32_t typmod) { return "bit(" + std::to_string(typmod) + ")"; }
std::string VarbitTypmodName(int32_t typmod) {
  return "bit varying(" + std::to_string(typmod) + ")";
}

}  // namespace activestore
