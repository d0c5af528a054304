// Text input and output of float8 exactly as PostgreSQL 15's float8in / float8out.
// Stateless and thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace activestore {

// float8out. extra_float_digits > 0 (the default 1): the shortest text that reads back as the
// same double, in fixed notation when the decimal exponent is in [-4, 15) and in exponent
// notation ("1e+15", "1.5e-05") otherwise; "NaN", "Infinity", "-Infinity", "-0".
// extra_float_digits <= 0: printf "%.{15 + extra_float_digits}g" as PostgreSQL does.
std::string FormatFloat8(double v, int extra_float_digits = 1);

// float8in: optional surrounding white space, decimal or exponent syntax, "NaN", "Infinity",
// "inf" (any case, with sign). Throws 22P02 `invalid input syntax for type double precision:
// "x"` on bad syntax and 22003 `"x" is out of range for type double precision` on overflow or
// underflow to zero.
double ParseFloat8(std::string_view text);

// float8in_internal with an end pointer, as the geometric types' input functions call it: skips
// white space, reads one float8 at text[*pos] and the white space after it, and leaves *pos after
// that. Errors: 22P02 `invalid input syntax for type <type_name>: "<orig>"` when no number is
// there, 22003 `"<number>" is out of range for type double precision` on overflow or underflow
// to zero.
double ParseFloat8Prefix(std::string_view text, size_t* pos, const char* type_name,
                         std::string_view orig);

// The input routine float4in and float8in share, for F = float or double; `type_name` is the
// SQL name in the error messages ("real", "double precision").
template <typename F>
F ParseFloatText(std::string_view text, const char* type_name);

// The layout float4out and float8out share: `scientific` is std::to_chars' shortest scientific
// form ("-1.5e-05"); the result is fixed notation for decimal exponents in [-4,
// max_fixed_exponent) and "d.ddde+XX" otherwise.
std::string LayoutShortestFloat(std::string_view scientific, int max_fixed_exponent);

// The shortest scientific form of `v` as PostgreSQL's Ryu (d2s.c / f2s.c) gives it: the fewest
// digits that read back as `v`, but never a string exactly on the boundary of v's rounding
// interval (which round-half-even input would also read as v: 9e+09 for the float
// 8999999488, 1e+23 for the double 9.999999999999999e+22); then the closest form one digit
// longer.
std::string ShortestScientific(double v);
std::string ShortestScientific(float v);

}  // namespace activestore
