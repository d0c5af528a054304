// Scalar operations on Values with PostgreSQL semantics: text input and output, casts,
// comparison, arithmetic, hashing. The executor's vectorized kernels use these for the
// general case and may specialise hot paths.
//
// All functions throw Error with PostgreSQL's SQLSTATE and message on bad input:
//   22P02 invalid input syntax for type integer: "abc"
//   22003 integer out of range / smallint out of range / bigint out of range /
//         value "99999999999" is out of range for type integer
//   22012 division by zero
//   22007 invalid input syntax for type timestamp: "..."
//   22008 date/time field value out of range: "..."
//   22001 value too long for type character varying(3)
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/bytea.h"
#include "common/datetime.h"
#include "common/interval.h"
#include "common/value.h"

namespace activestore {

class RegResolver;

// Session settings that change text input/output (DateStyle, TimeZone, extra_float_digits,
// IntervalStyle, bytea_output).
// Defaults are PostgreSQL's: DateStyle ISO, MDY; TimeZone UTC; extra_float_digits 1.
struct FormatOptions {
  int extra_float_digits = 1;
  DateStyle date_style = DateStyle::kIso;
  DateOrder date_order = DateOrder::kMdy;
  std::shared_ptr<const TimeZone> timezone;  // the session TimeZone; nullptr means UTC
  IntervalStyle interval_style = IntervalStyle::kPostgres;
  ByteaOutput bytea_output = ByteaOutput::kHex;
  // The current transaction's start (UTC microseconds since 2000-01-01): what the date/time
  // input words 'now', 'today', 'tomorrow' and 'yesterday' mean. kCurrentTime: the system clock.
  int64_t now_usec = kCurrentTime;
  // The catalog lookups of the reg* types' input and output (common/reg_types.h); null: names
  // cannot be read and oids print as numbers.
  std::shared_ptr<const RegResolver> reg;

  const TimeZone& tz() const { return timezone ? *timezone : *TimeZone::Utc(); }
};

// Text output exactly as PostgreSQL prints the value (what psql shows):
// bool "t"/"f", float8 shortest round-trip ("0.1", "1e+100", "Infinity", "NaN", "-0"),
// numeric with its display scale, date "2024-01-31", timestamp "2024-01-31 12:00:00.5",
// timestamptz "2024-01-31 12:00:00.5+00", bpchar padded to its length.
// REQUIRES: !v.is_null.
std::string FormatValue(const Value& v, const FormatOptions& opts = {});

// Parses PostgreSQL's text input for `type` (also what a Bind parameter in text format holds):
// ints with surrounding spaces, "true"/"yes"/"on"/"1"/"t" for bool, float8 "Infinity", numeric,
// dates "2024-01-31", timestamps "2024-01-31 12:00:00", "2024-01-31T12:00:00Z", with an offset
// for timestamptz, 'epoch', 'infinity' as PostgreSQL accepts them.
// Applies the type's typmod (varchar length check, numeric(p,s) rounding).
Value ParseValue(std::string_view text, Type type, const FormatOptions& opts = {});

// Casts v to `to` with PostgreSQL's rules (explicit cast semantics: int -> smallint range
// check, float -> int rounds half to even as PostgreSQL's rint, numeric -> int rounds half
// away from zero, text <-> anything through the text forms, varchar(n) truncates on explicit
// cast, timestamp <-> timestamptz <-> date through the session time zone). NULL stays NULL
// (with the new type). `implicit_assignment` is true for INSERT/UPDATE assignment casts,
// where varchar(n) too long raises 22001 instead of truncating.
Value CastValue(const Value& v, Type to, const FormatOptions& opts = {},
                bool implicit_assignment = false);

// Three-way comparison of two non-NULL values of the same type family (both numeric-like, both
// string-like, both date/time, or both bool). Mixed numeric families compare as PostgreSQL
// does (int vs numeric exactly, anything vs float8 as float8). Text compares bytewise (C
// collation); bpchar ignores trailing spaces. Float NaN is greater than all other floats and
// equal to itself, as in PostgreSQL.
int CompareValues(const Value& a, const Value& b);

// Equality-compatible hash: a == b (CompareValues == 0, same family) implies equal hashes,
// e.g. int4 1, int8 1 and numeric 1.00 hash alike.
uint64_t HashValue(const Value& v);

// Binary arithmetic with PostgreSQL's result types and overflow checks:
// int op int -> the wider int type (int4 + int4 -> int4, int4 + int8 -> int8; 22003
// "integer out of range"/"bigint out of range"/"smallint out of range" on overflow);
// int / int truncates toward zero; % is remainder with the dividend's sign;
// anything with numeric -> numeric; anything with float8 -> float8 ("value out of range:
// overflow" 22003 on inf from finite inputs);
// date + int -> date, date - date -> int4, timestamp - timestamp -> interval,
// timestamp(tz) +- interval -> timestamp(tz) (timestamptz in opts' time zone), date +- interval
// -> timestamp, interval +- interval, interval * float8, float8 * interval, interval / float8.
// `op` is one of "+", "-", "*", "/", "%". NULL in gives NULL out (of the result type).
Value Arithmetic(std::string_view op, const Value& a, const Value& b,
                 const FormatOptions& opts = {});
// The result type Arithmetic gives for operand types, or throws 42883
// "operator does not exist: text + integer".
Type ArithmeticResultType(std::string_view op, Type a, Type b);
// Unary minus (22003 on INT_MIN; 22008 "interval out of range").
Value Negate(const Value& v);

}  // namespace activestore
