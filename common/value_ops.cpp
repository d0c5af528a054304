#include "common/value_ops.h"

#include <xxhash.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "common/array.h"
#include "common/ascii.h"
#include "common/composite.h"
#include "common/datetime.h"
#include "common/error.h"
#include "common/float4.h"
#include "common/float_format.h"
#include "common/money.h"
#include "common/time_types.h"
#include "common/type_registry.h"

namespace activestore {
namespace {

constexpr int64_t kUsecPerSec = 1000000;

// kOwn: a type with registry hooks (TypeMethods), comparable only with itself.
enum class Family { kNumber, kString, kDateTime, kBool, kInterval, kArray, kOwn };

Family FamilyOf(TypeId id) {
  if (IsArrayType(id)) return Family::kArray;
  if (IsNumericType(id)) return Family::kNumber;
  if (IsStringType(id)) return Family::kString;
  if (IsDateTimeType(id)) return Family::kDateTime;
  if (id == TypeId::kInterval) return Family::kInterval;
  if (TypeInfoOf(id).methods != nullptr) return Family::kOwn;
  return Family::kBool;
}

// format_type_be: the type name without its modifier, as error messages show it.
std::string ErrTypeName(TypeId id) {
  if (id == TypeId::kBpchar) return "character";
  return TypeName(Type::Of(id));
}

void IntRange(TypeId id, int64_t* lo, int64_t* hi) {
  switch (id) {
    case TypeId::kInt16:
      *lo = std::numeric_limits<int16_t>::min();
      *hi = std::numeric_limits<int16_t>::max();
      break;
    case TypeId::kInt32:
      *lo = std::numeric_limits<int32_t>::min();
      *hi = std::numeric_limits<int32_t>::max();
      break;
    default:
      *lo = std::numeric_limits<int64_t>::min();
      *hi = std::numeric_limits<int64_t>::max();
      break;
  }
}

[[noreturn]] void ThrowIntRange(TypeId id) {
  Throw(SqlState::kNumericValueOutOfRange, "{} out of range", ErrTypeName(id));
}

int64_t CheckInt(TypeId id, int64_t v) {
  int64_t lo, hi;
  IntRange(id, &lo, &hi);
  if (v < lo || v > hi) ThrowIntRange(id);
  return v;
}

// pg_strtoint16/32/64.
int64_t ParseInt(std::string_view text, TypeId id) {
  auto bad = [&]() {
    Throw(SqlState::kInvalidTextRepresentation, "invalid input syntax for type {}: \"{}\"",
          ErrTypeName(id), text);
  };
  int64_t lo, hi;
  IntRange(id, &lo, &hi);
  size_t p = 0;
  while (p < text.size() && IsSpace(text[p])) ++p;
  bool neg = false;
  if (p < text.size() && (text[p] == '+' || text[p] == '-')) {
    neg = text[p] == '-';
    ++p;
  }
  if (p >= text.size() || text[p] < '0' || text[p] > '9') bad();
  const uint64_t limit = neg ? static_cast<uint64_t>(-(lo + 1)) + 1 : static_cast<uint64_t>(hi);
  uint64_t acc = 0;
  for (; p < text.size() && text[p] >= '0' && text[p] <= '9'; ++p) {
    uint64_t d = static_cast<uint64_t>(text[p] - '0');
    if (acc > (limit - d) / 10) {
      Throw(SqlState::kNumericValueOutOfRange, "value \"{}\" is out of range for type {}", text,
            ErrTypeName(id));
    }
    acc = acc * 10 + d;
  }
  while (p < text.size() && IsSpace(text[p])) ++p;
  if (p != text.size()) bad();
  return neg ? static_cast<int64_t>(0 - acc) : static_cast<int64_t>(acc);
}

// parse_bool_with_len.
bool ParseBool(std::string_view text) {
  std::string_view s = text;
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  std::string l;
  for (char c : s) l.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  auto prefix_of = [&](std::string_view word, size_t min_len) {
    return l.size() >= min_len && l.size() <= word.size() && word.substr(0, l.size()) == l;
  };
  if (!l.empty()) {
    switch (l[0]) {
      case 't':
        if (prefix_of("true", 1)) return true;
        break;
      case 'f':
        if (prefix_of("false", 1)) return false;
        break;
      case 'y':
        if (prefix_of("yes", 1)) return true;
        break;
      case 'n':
        if (prefix_of("no", 1)) return false;
        break;
      case 'o':
        if (prefix_of("on", 2)) return true;
        if (prefix_of("off", 2)) return false;
        break;
      case '1':
        if (l.size() == 1) return true;
        break;
      case '0':
        if (l.size() == 1) return false;
        break;
      default:
        break;
    }
  }
  Throw(SqlState::kInvalidTextRepresentation, "invalid input syntax for type boolean: \"{}\"",
        text);
}

size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

// Byte length of the first `chars` characters of s.
size_t Utf8PrefixBytes(std::string_view s, size_t chars) {
  size_t seen = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (seen == chars) return i;
      ++seen;
    }
  }
  return s.size();
}

std::string_view RTrimSpaces(std::string_view s) {
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// name keeps at most NAMEDATALEN - 1 bytes, cut at a character boundary (namein, and every
// cast to name, truncates silently).
constexpr size_t kNameMaxBytes = 63;
std::string ClipName(std::string s) {
  if (s.size() <= kNameMaxBytes) return s;
  size_t cut = kNameMaxBytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xc0) == 0x80) --cut;
  s.resize(cut);
  return s;
}

// timestamp(p) / timestamptz(p): rounds the fractional seconds to p digits, halves away from
// zero (PostgreSQL's AdjustTimestampForTypmod); infinities and p >= 6 stay as they are.
int64_t AdjustTimestampPrecision(int64_t t, int32_t typmod) {
  if (typmod < 0 || typmod >= 6 || !TimestampIsFinite(t)) return t;
  static constexpr int64_t kScales[6] = {1000000, 100000, 10000, 1000, 100, 10};
  const int64_t scale = kScales[typmod];
  const int64_t offset = scale / 2;
  return t >= 0 ? ((t + offset) / scale) * scale : -((((-t) + offset) / scale) * scale);
}

// Applies a varchar(n) / char(n) length: truncates on explicit casts, and when the excess
// characters are all spaces; raises 22001 otherwise. char(n) is then padded to n characters.
std::string ApplyLength(std::string s, Type t, bool truncate) {
  if (t.id == TypeId::kName) return ClipName(std::move(s));
  if (t.typmod < 0 || (t.id != TypeId::kVarchar && t.id != TypeId::kBpchar)) return s;
  size_t n = static_cast<size_t>(t.typmod);
  size_t len = Utf8Length(s);
  if (len > n) {
    size_t cut = Utf8PrefixBytes(s, n);
    if (!truncate) {
      for (size_t i = cut; i < s.size(); ++i) {
        if (s[i] != ' ') {
          Throw(SqlState::kStringDataRightTruncation, "value too long for type {}", TypeName(t));
        }
      }
    }
    s.resize(cut);
    len = n;
  }
  if (t.id == TypeId::kBpchar && len < n) s.append(n - len, ' ');
  return s;
}

// Numeric value of a number-family value.
Numeric ToNumeric(const Value& v) {
  if (v.type.id == TypeId::kNumeric) return v.num;
  if (v.type.id == TypeId::kFloat64) return Numeric::FromDouble(v.f);
  if (v.type.id == TypeId::kFloat32) return CastValue(v, Type::Of(TypeId::kNumeric)).num;
  return Numeric::FromInt64(v.i);
}

double ToDouble(const Value& v) {
  if (v.type.id == TypeId::kFloat64 || v.type.id == TypeId::kFloat32) return v.f;
  if (v.type.id == TypeId::kNumeric) return v.num.ToDouble();
  return static_cast<double>(v.i);
}

int CompareDoubles(double a, double b) {
  if (std::isnan(a)) return std::isnan(b) ? 0 : 1;
  if (std::isnan(b)) return -1;
  return a < b ? -1 : (a > b ? 1 : 0);
}

// Microseconds of a date/time value, dates promoted to timestamps (infinities kept).
int64_t TimestampOf(const Value& v) {
  if (v.type.id == TypeId::kDate) {
    int32_t d = static_cast<int32_t>(v.i);
    if (d == kDateNoBegin) return kTimestampNoBegin;
    if (d == kDateNoEnd) return kTimestampNoEnd;
    return static_cast<int64_t>(d) * kUsecPerDay;
  }
  return v.i;
}

uint64_t Mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb93fe53485ebULL;
  x ^= x >> 33;
  return x;
}

uint64_t HashInt(int64_t i) { return Mix(static_cast<uint64_t>(i) ^ 0x6a09e667f3bcc909ULL); }

// The hash of a number by its double value: integral doubles hash as the integer.
uint64_t HashDouble(double d) {
  if (std::isnan(d)) return Mix(0x7ff8000000000000ULL);
  if (d == std::trunc(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0) {
    return HashInt(static_cast<int64_t>(d));
  }
  uint64_t bits;
  std::memcpy(&bits, &d, sizeof(bits));
  return Mix(bits);
}

uint64_t HashIntegral(int64_t i) {
  constexpr int64_t kExact = int64_t{1} << 53;
  if (i >= -kExact && i <= kExact) return HashInt(i);
  return HashDouble(static_cast<double>(i));
}

[[noreturn]] void ThrowNoOperator(std::string_view op, Type a, Type b) {
  throw Error(SqlState::kUndefinedFunction, fmt::format("operator does not exist: {} {} {}",
                                                        ErrTypeName(a.id), op, ErrTypeName(b.id)))
      .Hint(
          "No operator matches the given name and argument types. You might need to add "
          "explicit type casts.");
}

TypeId WiderInt(TypeId a, TypeId b) {
  auto rank = [](TypeId t) { return t == TypeId::kInt16 ? 0 : t == TypeId::kInt32 ? 1 : 2; };
  return rank(a) >= rank(b) ? a : b;
}

Value IntArithmetic(char op, int64_t x, int64_t y, TypeId rt) {
  int64_t r = 0;
  switch (op) {
    case '+':
      if (__builtin_add_overflow(x, y, &r)) ThrowIntRange(rt);
      break;
    case '-':
      if (__builtin_sub_overflow(x, y, &r)) ThrowIntRange(rt);
      break;
    case '*':
      if (__builtin_mul_overflow(x, y, &r)) ThrowIntRange(rt);
      break;
    case '/':
      if (y == 0) Throw(SqlState::kDivisionByZero, "division by zero");
      if (y == -1) {
        if (__builtin_sub_overflow(int64_t{0}, x, &r)) ThrowIntRange(rt);
      } else {
        r = x / y;
      }
      break;
    case '%':
      if (y == 0) Throw(SqlState::kDivisionByZero, "division by zero");
      r = y == -1 ? 0 : x % y;
      break;
  }
  return Value::Int(rt, CheckInt(rt, r));
}

[[noreturn]] void ThrowFloatOverflow() {
  Throw(SqlState::kNumericValueOutOfRange, "value out of range: overflow");
}
[[noreturn]] void ThrowFloatUnderflow() {
  Throw(SqlState::kNumericValueOutOfRange, "value out of range: underflow");
}

Value FloatArithmetic(char op, double x, double y) {
  double r = 0;
  switch (op) {
    case '+':
      r = x + y;
      if (std::isinf(r) && !std::isinf(x) && !std::isinf(y)) ThrowFloatOverflow();
      break;
    case '-':
      r = x - y;
      if (std::isinf(r) && !std::isinf(x) && !std::isinf(y)) ThrowFloatOverflow();
      break;
    case '*':
      r = x * y;
      if (std::isinf(r) && !std::isinf(x) && !std::isinf(y)) ThrowFloatOverflow();
      if (r == 0.0 && x != 0.0 && y != 0.0) ThrowFloatUnderflow();
      break;
    case '/':
      if (y == 0.0 && !std::isnan(x)) Throw(SqlState::kDivisionByZero, "division by zero");
      r = x / y;
      if (std::isinf(r) && !std::isinf(x)) ThrowFloatOverflow();
      if (r == 0.0 && x != 0.0 && !std::isinf(y)) ThrowFloatUnderflow();
      break;
  }
  return Value::Float64(r);
}

[[noreturn]] void ThrowDateRange() { Throw(SqlState::kDatetimeFieldOverflow, "date out of range"); }

// array_out: each element by its type's output.
std::string FormatArray(const Value& v, const FormatOptions& opts) {
  ArrayView view(v.s);
  std::vector<int> dims, lbs;
  for (int d = 0; d < view.ndim(); ++d) {
    dims.push_back(view.dim(d));
    lbs.push_back(view.lower_bound(d));
  }
  std::vector<std::optional<std::string>> texts;
  texts.reserve(view.size());
  view.ForEach(ElementTypeOf(v.type), [&](size_t, const Value& e) {
    if (e.is_null) {
      texts.emplace_back(std::nullopt);
    } else {
      texts.emplace_back(FormatValue(e, opts));
    }
  });
  return FormatArrayLiteral(dims, lbs, texts);
}

// int2vectorout / oidvectorout: the elements separated by spaces.
std::string FormatVector(const Value& v, const FormatOptions& opts) {
  std::string out;
  ArrayView(v.s).ForEach(ElementTypeOf(v.type), [&](size_t i, const Value& e) {
    if (i > 0) out += ' ';
    out += e.is_null ? std::string() : FormatValue(e, opts);
  });
  return out;
}

// int2vectorin / oidvectorin: elements separated by white space (any number, as PostgreSQL 15).
Value ParseVector(std::string_view text, Type type, const FormatOptions& opts) {
  const Type elem = ElementTypeOf(type);
  ArrayBuilder b(elem.id);
  auto space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  size_t i = 0;
  int n = 0;
  while (true) {
    while (i < text.size() && space(text[i])) ++i;
    if (i == text.size()) break;
    size_t end = i;
    while (end < text.size() && !space(text[end])) ++end;
    b.Append(ParseValue(text.substr(i, end - i), elem, opts));
    ++n;
    i = end;
  }
  Value v;
  v.type = type;
  v.is_null = false;
  v.s = n == 0 ? b.Finish() : b.Finish({n}, {0});
  return v;
}

// array_in: the literal's structure, then each element by its type's input (with the typmod).
Value ParseArray(std::string_view text, Type type, const FormatOptions& opts) {
  ArrayLiteral lit = ParseArrayLiteral(text);
  const Type elem = ElementTypeOf(type);
  ArrayBuilder b(elem.id);
  for (const std::optional<std::string>& e : lit.elements) {
    b.Append(e ? ParseValue(*e, elem, opts) : Value::Null(elem));
  }
  Value v;
  v.type = type;
  v.is_null = false;
  v.s = b.Finish(lit.dims, lit.lower_bounds);
  return v;
}

// An array cast element by element (array_map over the element cast).
Value CastArray(const Value& v, Type to, const FormatOptions& opts, bool implicit_assignment) {
  ArrayView view(v.s);
  const Type from_elem = ElementTypeOf(v.type), to_elem = ElementTypeOf(to);
  ArrayBuilder b(to_elem.id);
  view.ForEach(from_elem, [&](size_t, const Value& e) {
    b.Append(CastValue(e, to_elem, opts, implicit_assignment));
  });
  std::vector<int> dims, lbs;
  for (int d = 0; d < view.ndim(); ++d) {
    dims.push_back(view.dim(d));
    lbs.push_back(view.lower_bound(d));
  }
  Value out;
  out.type = to;
  out.is_null = false;
  out.s = b.Finish(dims, lbs);
  return out;
}

}  // namespace

std::string FormatValue(const Value& v, const FormatOptions& opts) {
  if (IsVectorType(v.type.id)) return FormatVector(v, opts);
  if (IsArrayType(v.type.id)) return FormatArray(v, opts);
  switch (v.type.id) {
    case TypeId::kBool:
      return v.i ? "t" : "f";
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
      return std::to_string(v.i);
    case TypeId::kFloat64:
      return FormatFloat8(v.f, opts.extra_float_digits);
    case TypeId::kNumeric:
      return v.num.ToString();
    case TypeId::kBpchar:
      if (v.type.typmod >= 0) {
        size_t len = Utf8Length(v.s);
        size_t n = static_cast<size_t>(v.type.typmod);
        if (len < n) return v.s + std::string(n - len, ' ');
      }
      return v.s;
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kName:
    case TypeId::kUnknown:
      return v.s;
    case TypeId::kDate:
      return FormatDate(static_cast<int32_t>(v.i), opts.date_style, opts.date_order);
    case TypeId::kTimestamp:
      return FormatTimestamp(v.i, opts.date_style, opts.date_order);
    case TypeId::kTimestampTz:
      return FormatTimestampTz(v.i, opts.tz(), opts.date_style, opts.date_order);
    case TypeId::kInterval:
      return FormatInterval(IntervalOf(v), opts.interval_style);
    case TypeId::kVoid:
      return "";
    default:
      break;
  }
  return TypeInfoOf(v.type.id).methods->out(v, opts);
}

Value ParseValue(std::string_view text, Type type, const FormatOptions& opts) {
  if (IsVectorType(type.id)) return ParseVector(text, type, opts);
  if (IsArrayType(type.id)) return ParseArray(text, type, opts);
  Value v;
  v.type = type;
  v.is_null = false;
  switch (type.id) {
    case TypeId::kBool:
      v.i = ParseBool(text) ? 1 : 0;
      break;
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
      v.i = ParseInt(text, type.id);
      break;
    case TypeId::kFloat64:
      v.f = ParseFloat8(text);
      break;
    case TypeId::kNumeric:
      v.num = Numeric::Parse(text).ApplyTypmod(type.typmod);
      break;
    case TypeId::kText:
    case TypeId::kUnknown:
      v.s = std::string(text);
      break;
    case TypeId::kVarchar:
    case TypeId::kBpchar:
    case TypeId::kName:
      v.s = ApplyLength(std::string(text), type, false);
      break;
    case TypeId::kDate:
      v.i = ParseDate(text, opts.tz(), opts.date_order, opts.now_usec);
      break;
    case TypeId::kTimestamp:
      v.i = AdjustTimestampPrecision(
          ParseTimestamp(text, opts.tz(), opts.date_order, opts.now_usec), type.typmod);
      break;
    case TypeId::kTimestampTz:
      v.i = AdjustTimestampPrecision(
          ParseTimestampTz(text, opts.tz(), opts.date_order, opts.now_usec), type.typmod);
      break;
    case TypeId::kInterval: {
      Interval iv = ParseInterval(text, type.typmod, opts.interval_style);
      v.i = iv.usec;
      v.i2 = Value::PackDaysMonths(iv.days, iv.months);
      break;
    }
    case TypeId::kVoid:  // void_in accepts anything
      break;
    default:
      TypeInfoOf(type.id).methods->in(text, opts, &v);
      break;
  }
  return v;
}

Value CastValue(const Value& v, Type to, const FormatOptions& opts, bool implicit_assignment) {
  if (v.is_null) return Value::Null(to);
  const TypeId from = v.type.id;
  const bool explicit_cast = !implicit_assignment;
  auto no_cast = [&]() -> Value {
    Throw(SqlState::kCannotCoerce, "cannot cast type {} to {}", ErrTypeName(from),
          ErrTypeName(to.id));
  };
  if (IsArrayType(from) && IsArrayType(to.id)) {
    return CastArray(v, to, opts, implicit_assignment);
  }
  if (IsArrayType(from) != IsArrayType(to.id) && !IsStringType(from) && !IsStringType(to.id)) {
    no_cast();
  }
  Value out;
  out.type = to;
  out.is_null = false;

  // To a string type: through the text form (bpchar loses its trailing spaces).
  if (IsStringType(to.id)) {
    std::string s;
    if (from == TypeId::kBpchar) {
      s = std::string(RTrimSpaces(v.s));
    } else if (IsStringType(from)) {
      s = v.s;
    } else if (from == TypeId::kBool) {
      s = v.i ? "true" : "false";
    } else {
      s = FormatValue(v, opts);
    }
    out.s = ApplyLength(std::move(s), to, explicit_cast);
    return out;
  }
  // From a string type: the target type's input function. A type with a length coercion
  // hook (bit(n)) reads the text without its typmod, then applies it by the cast's rules.
  if (IsStringType(from)) {
    const TypeMethods* tm = TypeInfoOf(to.id).methods;
    if (tm != nullptr && tm->apply_typmod != nullptr && to.typmod >= 0) {
      out = ParseValue(v.s, Type::Of(to.id), opts);
      out.type = to;
      tm->apply_typmod(&out, to.typmod, explicit_cast);
      return out;
    }
    return ParseValue(v.s, to, opts);
  }
  // The casts a registry entry implements itself (time, timetz), asked of the target's entry,
  // then of the source's.
  for (TypeId t : {to.id, from}) {
    const TypeMethods* m = TypeInfoOf(t).methods;
    if (m != nullptr && m->cast != nullptr && m->cast(v, to, opts, &out)) {
      const TypeMethods* tm = TypeInfoOf(to.id).methods;
      if (tm != nullptr && tm->apply_typmod != nullptr && to.typmod >= 0) {
        tm->apply_typmod(&out, to.typmod, explicit_cast);
      }
      return out;
    }
  }
  switch (to.id) {
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
      if (IsIntegerType(from)) {
        out.i = CheckInt(to.id, v.i);
      } else if (from == TypeId::kFloat64) {
        double r = std::nearbyint(v.f);
        int64_t lo, hi;
        IntRange(to.id, &lo, &hi);
        if (std::isnan(r) || !(r >= static_cast<double>(lo) && r < -static_cast<double>(lo))) {
          ThrowIntRange(to.id);
        }
        out.i = CheckInt(to.id, static_cast<int64_t>(r));
      } else if (from == TypeId::kNumeric) {
        if (v.num.IsNaN()) {
          Throw(SqlState::kFeatureNotSupported, "cannot convert NaN to {}", ErrTypeName(to.id));
        }
        if (v.num.IsInfinite()) {
          Throw(SqlState::kFeatureNotSupported, "cannot convert infinity to {}",
                ErrTypeName(to.id));
        }
        try {
          out.i = v.num.ToInt64();
        } catch (const Error&) {
          ThrowIntRange(to.id);
        }
        out.i = CheckInt(to.id, out.i);
      } else if (from == TypeId::kBool && to.id == TypeId::kInt32) {
        out.i = v.i ? 1 : 0;
      } else {
        no_cast();
      }
      return out;
    case TypeId::kFloat64:
      if (!IsNumericType(from)) no_cast();
      out.f = ToDouble(v);
      return out;
    case TypeId::kNumeric:
      if (!IsNumericType(from)) no_cast();
      out.num = ToNumeric(v).ApplyTypmod(to.typmod);
      return out;
    case TypeId::kBool:
      if (from == TypeId::kBool) {
        out.i = v.i;
      } else if (from == TypeId::kInt32) {
        out.i = v.i != 0 ? 1 : 0;
      } else {
        no_cast();
      }
      return out;
    case TypeId::kDate:
      switch (from) {
        case TypeId::kDate:
          out.i = v.i;
          break;
        case TypeId::kTimestamp:
          out.i = TimestampToDate(v.i);
          break;
        case TypeId::kTimestampTz:
          out.i = TimestampToDate(opts.tz().UtcToLocal(v.i));
          break;
        default:
          no_cast();
      }
      return out;
    case TypeId::kTimestamp:
      switch (from) {
        case TypeId::kDate:
          out.i = DateToTimestamp(static_cast<int32_t>(v.i));
          break;
        case TypeId::kTimestamp:
          out.i = v.i;
          break;
        case TypeId::kTimestampTz:
          out.i = TimestampTzToTimestamp(v.i, opts.tz());
          break;
        default:
          no_cast();
      }
      out.i = AdjustTimestampPrecision(out.i, to.typmod);
      return out;
    case TypeId::kTimestampTz:
      switch (from) {
        case TypeId::kDate: {
          int64_t ts = DateToTimestamp(static_cast<int32_t>(v.i));
          if (!TimestampIsFinite(ts)) {
            out.i = ts;
          } else {
            out.i = opts.tz().LocalToUtc(ts);
            if (!IsValidTimestamp(out.i)) {
              Throw(SqlState::kDatetimeFieldOverflow, "date out of range for timestamp");
            }
          }
          break;
        }
        case TypeId::kTimestamp:
          out.i = TimestampToTimestampTz(v.i, opts.tz());
          break;
        case TypeId::kTimestampTz:
          out.i = v.i;
          break;
        default:
          no_cast();
      }
      out.i = AdjustTimestampPrecision(out.i, to.typmod);
      return out;
    case TypeId::kInterval:
      if (from != TypeId::kInterval) no_cast();
      return Value::Interval(ApplyIntervalTypmod(IntervalOf(v), to.typmod));
    default:
      if (from == to.id) {  // a type with hooks to itself
        out = v;
        out.type = to;
        const TypeMethods* tm = TypeInfoOf(to.id).methods;
        if (tm != nullptr && tm->apply_typmod != nullptr && to.typmod >= 0) {
          tm->apply_typmod(&out, to.typmod, explicit_cast);
        }
        return out;
      }
      break;
  }
  return no_cast();
}

int CompareValues(const Value& a, const Value& b) {
  const TypeId ta = a.type.id;
  const TypeId tb = b.type.id;
  Family fa = FamilyOf(ta);
  Family fb = FamilyOf(tb);
  if (fa != fb) {
    throw Error(SqlState::kUndefinedFunction,
                fmt::format("operator does not exist: {} = {}", ErrTypeName(ta), ErrTypeName(tb)));
  }
  switch (fa) {
    case Family::kNumber:
      if (IsIntegerType(ta) && IsIntegerType(tb)) return a.i < b.i ? -1 : (a.i > b.i ? 1 : 0);
      if (ta == TypeId::kFloat64 || tb == TypeId::kFloat64 || ta == TypeId::kFloat32 ||
          tb == TypeId::kFloat32) {
        return CompareDoubles(ToDouble(a), ToDouble(b));  // float4 values are exact doubles
      }
      if (ta == TypeId::kNumeric && tb == TypeId::kNumeric) return a.num.Compare(b.num);
      return ToNumeric(a).Compare(ToNumeric(b));
    case Family::kString: {
      std::string_view x = a.s;
      std::string_view y = b.s;
      if (ta == TypeId::kBpchar) x = RTrimSpaces(x);
      if (tb == TypeId::kBpchar) y = RTrimSpaces(y);
      int c = x.compare(y);
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case Family::kDateTime: {
      if (ta == TypeId::kDate && tb == TypeId::kDate) {
        return a.i < b.i ? -1 : (a.i > b.i ? 1 : 0);
      }
      int64_t x = TimestampOf(a);
      int64_t y = TimestampOf(b);
      return x < y ? -1 : (x > y ? 1 : 0);
    }
    case Family::kBool:
      return a.i < b.i ? -1 : (a.i > b.i ? 1 : 0);
    case Family::kInterval:
      return CompareIntervals(IntervalOf(a), IntervalOf(b));
    case Family::kOwn: {
      // Two composite values (or records) compare field by field whatever their types.
      if (IsRecordLike(ta) && IsRecordLike(tb)) return CompareRecords(a.s, b.s);
      // bit and varbit compare with each other (bit_cmp over the same representation).
      const bool bits = TypeInfoOf(ta).category == TypeCategory::kBitString &&
                        TypeInfoOf(tb).category == TypeCategory::kBitString;
      if (ta != tb && !bits) {
        throw Error(SqlState::kUndefinedFunction, fmt::format("operator does not exist: {} = {}",
                                                              ErrTypeName(ta), ErrTypeName(tb)));
      }
      if (auto* cmp = TypeInfoOf(ta).methods->compare_pair) return cmp(a.i, a.i2, b.i, b.i2);
      if (auto* cmp = TypeInfoOf(ta).methods->compare_bytes) return cmp(a.s, b.s);
      int c = a.s.compare(b.s);
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case Family::kArray:
      return CompareArrays(a.s, b.s);
  }
  return 0;
}

uint64_t HashValue(const Value& v) {
  if (v.is_null) return 0x9e3779b97f4a7c15ULL;
  if (IsArrayType(v.type.id)) return HashArray(v.s);
  switch (v.type.id) {
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
      return HashIntegral(v.i);
    case TypeId::kFloat64:
    case TypeId::kFloat32:
      return HashDouble(v.f);
    case TypeId::kNumeric: {
      if (v.num.IsNaN()) return HashDouble(std::numeric_limits<double>::quiet_NaN());
      // Integers below 10^16 fit int64: hash them as the integer (cheaper, and the same
      // hash an equal int2/int4/int8 gets).
      if (v.num.IsInteger() && v.num.weight() < 4) return HashIntegral(v.num.ToInt64());
      try {
        return HashDouble(v.num.ToDouble());
      } catch (const Error&) {  // beyond the double range: equal only to itself
        return HashDouble(v.num.IsNegative() ? -INFINITY : INFINITY) ^ 0x510e527fade682d1ULL;
      }
    }
    case TypeId::kBpchar: {
      std::string_view s = RTrimSpaces(v.s);
      return XXH3_64bits(s.data(), s.size());
    }
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kName:
    case TypeId::kUnknown:
      return XXH3_64bits(v.s.data(), v.s.size());
    case TypeId::kDate:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      return HashInt(TimestampOf(v)) ^ 0x3c6ef372fe94f82bULL;
    case TypeId::kBool:
      return Mix(static_cast<uint64_t>(v.i) + 0xbb67ae8584caa73bULL);
    case TypeId::kInterval: {
      __int128 k = IntervalKey(IntervalOf(v));
      return HashInt(static_cast<int64_t>(k)) ^
             Mix(static_cast<uint64_t>(static_cast<unsigned __int128>(k) >> 64) +
                 0xa54ff53a5f1d36f1ULL);
    }
    case TypeId::kVoid:
      return 0x243f6a8885a308d3ULL;
    default:
      break;
  }
  if (auto* hash = TypeInfoOf(v.type.id).methods->hash_pair) return hash(v.i, v.i2);
  if (auto* hash = TypeInfoOf(v.type.id).methods->hash_bytes) return hash(v.s);
  return XXH3_64bits(v.s.data(), v.s.size()) ^ 0x1f83d9abfb41bd6bULL;
}

Type ArithmeticResultType(std::string_view op, Type a, Type b) {
  const TypeId ta = a.id;
  const TypeId tb = b.id;
  if (TypeId r; TimeArithmeticResultType(op, ta, tb, &r)) return Type::Of(r);
  if (TypeId r; MoneyArithmeticResultType(op, ta, tb, &r)) return Type::Of(r);
  const bool valid_op = op == "+" || op == "-" || op == "*" || op == "/" || op == "%";
  if (valid_op && IsNumericType(ta) && IsNumericType(tb)) {
    if (IsIntegerType(ta) && IsIntegerType(tb)) return Type::Of(WiderInt(ta, tb));
    // float4 op float4 is float4; float4 with any other number is float8 (float48pl, and the
    // implicit casts of integers and numeric prefer float8).
    if (ta == TypeId::kFloat32 && tb == TypeId::kFloat32) {
      if (op == "%") ThrowNoOperator(op, a, b);
      return Type::Of(TypeId::kFloat32);
    }
    if (ta == TypeId::kFloat64 || tb == TypeId::kFloat64 || ta == TypeId::kFloat32 ||
        tb == TypeId::kFloat32) {
      if (op == "%") ThrowNoOperator(op, a, b);
      return Type::Of(TypeId::kFloat64);
    }
    return Type::Of(TypeId::kNumeric);
  }
  auto small_int = [](TypeId t) { return t == TypeId::kInt16 || t == TypeId::kInt32; };
  if (op == "+" &&
      ((ta == TypeId::kDate && small_int(tb)) || (small_int(ta) && tb == TypeId::kDate))) {
    return Type::Of(TypeId::kDate);
  }
  if (op == "-" && ta == TypeId::kDate && small_int(tb)) return Type::Of(TypeId::kDate);
  if (op == "-" && ta == TypeId::kDate && tb == TypeId::kDate) return Type::Of(TypeId::kInt32);
  const Type interval = Type::Of(TypeId::kInterval);
  const bool a_iv = ta == TypeId::kInterval, b_iv = tb == TypeId::kInterval;
  if (op == "-" && IsDateTimeType(ta) && IsDateTimeType(tb)) return interval;
  if ((op == "+" || op == "-") && a_iv && b_iv) return interval;
  if ((op == "+" || op == "-") && IsDateTimeType(ta) && b_iv) {
    return Type::Of(ta == TypeId::kDate ? TypeId::kTimestamp : ta);
  }
  if (op == "+" && a_iv && IsDateTimeType(tb)) {
    return Type::Of(tb == TypeId::kDate ? TypeId::kTimestamp : tb);
  }
  if (op == "*" && ((a_iv && tb == TypeId::kFloat64) || (ta == TypeId::kFloat64 && b_iv))) {
    return interval;
  }
  if (op == "/" && a_iv && tb == TypeId::kFloat64) return interval;
  ThrowNoOperator(op, a, b);
}

Value Arithmetic(std::string_view op, const Value& a, const Value& b, const FormatOptions& opts) {
  const Type rt = ArithmeticResultType(op, a.type, b.type);
  if (a.is_null || b.is_null) return Value::Null(rt);
  if (TypeId r; TimeArithmeticResultType(op, a.type.id, b.type.id, &r)) {
    return TimeArithmetic(op, a, b, opts);
  }
  if (TypeId r; MoneyArithmeticResultType(op, a.type.id, b.type.id, &r)) {
    return MoneyArithmetic(op, a, b);
  }
  const char o = op[0];
  const bool a_iv = a.type.id == TypeId::kInterval, b_iv = b.type.id == TypeId::kInterval;
  if (a_iv || b_iv) {
    if (a_iv && b_iv) {
      return Value::Interval(o == '+' ? IntervalAdd(IntervalOf(a), IntervalOf(b))
                                      : IntervalSub(IntervalOf(a), IntervalOf(b)));
    }
    if (o == '*') return Value::Interval(IntervalMul(IntervalOf(a_iv ? a : b), (a_iv ? b : a).f));
    if (o == '/') return Value::Interval(IntervalDiv(IntervalOf(a), b.f));
    // A date, timestamp or timestamptz +- an interval.
    const Value& ts = a_iv ? b : a;
    Interval span = IntervalOf(a_iv ? a : b);
    if (o == '-') span = IntervalNegate(span);
    int64_t t = ts.type.id == TypeId::kDate ? TimestampOf(ts) : ts.i;
    const TimeZone* tz = ts.type.id == TypeId::kTimestampTz ? &opts.tz() : nullptr;
    return Value::Int(rt.id, TimestampPlusInterval(t, span, tz));
  }
  if (rt.id == TypeId::kInterval) {  // timestamp - timestamp
    return Value::Interval(TimestampDifference(TimestampOf(a), TimestampOf(b)));
  }
  switch (rt.id) {
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64: {
      if (a.type.id == TypeId::kDate) {  // date - date
        if (!DateIsFinite(static_cast<int32_t>(a.i)) || !DateIsFinite(static_cast<int32_t>(b.i))) {
          Throw(SqlState::kDatetimeFieldOverflow, "cannot subtract infinite dates");
        }
        return Value::Int32(static_cast<int32_t>(a.i - b.i));
      }
      return IntArithmetic(o, a.i, b.i, rt.id);
    }
    case TypeId::kFloat64:
      return FloatArithmetic(o, ToDouble(a), ToDouble(b));
    case TypeId::kFloat32:
      return Float4Value(Float4Arithmetic(o, static_cast<float>(a.f), static_cast<float>(b.f)));
    case TypeId::kNumeric: {
      Numeric x = ToNumeric(a);
      Numeric y = ToNumeric(b);
      Numeric r;
      switch (o) {
        case '+':
          r = x.Add(y);
          break;
        case '-':
          r = x.Sub(y);
          break;
        case '*':
          r = x.Mul(y);
          break;
        case '/':
          r = x.Div(y);
          break;
        case '%':
          r = x.Mod(y);
          break;
      }
      return Value::Num(std::move(r));
    }
    case TypeId::kDate: {
      const Value& date = a.type.id == TypeId::kDate ? a : b;
      int64_t days = a.type.id == TypeId::kDate ? b.i : a.i;
      if (o == '-') days = -days;
      int32_t d = static_cast<int32_t>(date.i);
      if (!DateIsFinite(d)) return Value::Int(TypeId::kDate, d);
      int64_t r = static_cast<int64_t>(d) + days;
      if (!IsValidDate(r)) ThrowDateRange();
      return Value::Int(TypeId::kDate, r);
    }
    default:
      break;
  }
  ThrowNoOperator(op, a.type, b.type);
}

Value Negate(const Value& v) {
  const TypeId t = v.type.id;
  if (t == TypeId::kInterval) {
    if (v.is_null) return Value::Null(v.type);
    return Value::Interval(IntervalNegate(IntervalOf(v)));
  }
  if (!IsNumericType(t)) {
    throw Error(SqlState::kUndefinedFunction,
                fmt::format("operator does not exist: - {}", ErrTypeName(t)))
        .Hint(
            "No operator matches the given name and argument type. You might need to add an "
            "explicit type cast.");
  }
  if (v.is_null) return Value::Null(Type::Of(t));
  if (IsIntegerType(t)) {
    if (v.i == std::numeric_limits<int64_t>::min()) ThrowIntRange(t);
    return Value::Int(t, CheckInt(t, -v.i));
  }
  if (t == TypeId::kFloat64) return Value::Float64(-v.f);
  if (t == TypeId::kFloat32) return Float4Value(-static_cast<float>(v.f));
  return Value::Num(v.num.Neg());
}

}  // namespace activestore
