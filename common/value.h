// A single SQL value: a type tag, a NULL flag and the payload. Used for constants, parameters,
// keys and rows crossing the storage boundary. Batches of values travel as Vectors
// (common/vector.h).
//
// Payload by type:
//   bool                       -> i (0 or 1)
//   int2, int4, int8           -> i
//   date                       -> i: days since 2000-01-01 (PostgreSQL's epoch)
//   timestamp, timestamptz     -> i: microseconds since 2000-01-01 00:00:00 (UTC for tz)
//   interval                   -> i: microseconds; i2: days (low 32 bits) and months (high 32
//                                 bits), see IntervalOf / Value::Interval (common/interval.h)
//   float8                     -> f
//   numeric                    -> num
//   text, varchar, bpchar, unknown -> s
#pragma once

#include <cstdint>
#include <string>

#include "common/interval.h"
#include "common/numeric.h"
#include "common/types.h"

namespace activestore {

struct Value {
  Type type;
  bool is_null = true;
  int64_t i = 0;
  int64_t i2 = 0;  // the second word of 16-byte fixed-size types (ValueLayout::kInt64Pair)
  double f = 0;
  std::string s;
  Numeric num;

  static Value Null(Type t = Type::Of(TypeId::kUnknown)) {
    Value v;
    v.type = t;
    return v;
  }
  static Value Bool(bool b) { return Int(TypeId::kBool, b ? 1 : 0); }
  static Value Int(TypeId t, int64_t x) {
    Value v;
    v.type = Type::Of(t);
    v.is_null = false;
    v.i = x;
    return v;
  }
  static Value Int32(int32_t x) { return Int(TypeId::kInt32, x); }
  static Value Int64(int64_t x) { return Int(TypeId::kInt64, x); }
  static Value Float64(double x) {
    Value v;
    v.type = Type::Of(TypeId::kFloat64);
    v.is_null = false;
    v.f = x;
    return v;
  }
  static Value Text(std::string x, TypeId t = TypeId::kText) {
    Value v;
    v.type = Type::Of(t);
    v.is_null = false;
    v.s = std::move(x);
    return v;
  }
  static Value Interval(const activestore::Interval& x) {
    Value v;
    v.type = Type::Of(TypeId::kInterval);
    v.is_null = false;
    v.i = x.usec;
    v.i2 = PackDaysMonths(x.days, x.months);
    return v;
  }
  static int64_t PackDaysMonths(int32_t days, int32_t months) {
    return static_cast<int64_t>((static_cast<uint64_t>(static_cast<uint32_t>(months)) << 32) |
                                static_cast<uint32_t>(days));
  }
  static Value Num(Numeric n) {
    Value v;
    v.type = Type::Of(TypeId::kNumeric);
    v.is_null = false;
    v.num = std::move(n);
    return v;
  }
};

// The interval a Value (or a vector's ints/ints2 pair) holds.
inline Interval IntervalOf(int64_t usec, int64_t i2) {
  return Interval{usec, static_cast<int32_t>(static_cast<uint32_t>(i2)),
                  static_cast<int32_t>(static_cast<uint64_t>(i2) >> 32)};
}
inline Interval IntervalOf(const Value& v) { return IntervalOf(v.i, v.i2); }

}  // namespace activestore
