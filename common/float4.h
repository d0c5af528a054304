// real / float4 (oid 700): a 4-byte IEEE float with PostgreSQL 15's float4in, float4out,
// single-precision arithmetic and casts. A value is held in Value::f (vector `floats`) as the
// double that equals the float exactly, so comparisons, hashing and the mixed float4/float8
// operators (which PostgreSQL computes in double) need no arm of their own; every operation that
// produces a float4 rounds to single precision here.
#pragma once

#include <string>
#include <string_view>

#include "common/type_registry.h"

namespace activestore {

struct Value;

// float4in: optional surrounding white space, strtof syntax, NaN / [+-]Infinity / [+-]inf in any
// case. 22P02 `invalid input syntax for type real: "x"`; 22003 `"x" is out of range for type
// real` when the value overflows or underflows to zero.
float ParseFloat4(std::string_view text);

// float4out: extra_float_digits > 0: the shortest text that reads back as the same float, fixed
// notation for decimal exponents in [-4, 6), otherwise "1.234567e+06"; <= 0: "%.{6+efd}g".
std::string FormatFloat4(float v, int extra_float_digits = 1);

// float4pl/mi/mul/div: single-precision result with PostgreSQL's overflow ("value out of range:
// overflow"), underflow and division-by-zero checks. op is one of + - * /.
float Float4Arithmetic(char op, float x, float y);

// float8 -> float4 (float8_to_float4): 22003 overflow / underflow when the rounding does.
float Float8ToFloat4(double v);

// A float4 Value from a float.
Value Float4Value(float f);

extern const TypeMethods kFloat4Methods;

}  // namespace activestore
