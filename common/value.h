// A single SQL value: a type tag, a NULL flag and the payload. Used for constants, parameters,
// keys and rows crossing the storage boundary. Batches of values travel as Vectors
// (common/vector.h).
//
// Payload by type:
//   bool                       -> i (0 or 1)
//   int2, int4, int8           -> i
//   date                       -> i: days since 2000-01-01 (PostgreSQL's epoch)
//   timestamp, timestamptz     -> i: microseconds since 2000-01-01 00:00:00 (UTC for tz)
//   float8                     -> f
//   numeric                    -> num
//   text, varchar, bpchar, unknown -> s
#pragma once

#include <cstdint>
#include <string>

#include "common/numeric.h"
#include "common/types.h"

namespace activestore {

struct Value {
  Type type;
  bool is_null = true;
  int64_t i = 0;
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
  static Value Num(Numeric n) {
    Value v;
    v.type = Type::Of(TypeId::kNumeric);
    v.is_null = false;
    v.num = std::move(n);
    return v;
  }
};

}  // namespace activestore
