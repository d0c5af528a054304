// Scalar functions (BoundExprKind::kFunction) by name, with PostgreSQL's semantics: math
// (abs, round, trunc, floor, ceil, sign, sqrt, power, mod, exp, ln, log, pi, random), strings
// (lower, upper, initcap, length, substr, trim, replace, strpos, left, right, lpad, rpad,
// repeat, reverse, md5, concat, concat_ws), date/time (now and friends, date_part, extract,
// date_trunc) and session information (version, current_database, current_user, ...).
// The planner resolves names and argument types; arguments arrive already cast to the
// parameter types (see the list in executor/README.md).
//
// Thread safety: stateless; random() uses ExecState::rng.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/datetime.h"
#include "executor/exec_state.h"
#include "executor/vector.h"
#include "planner/plan.h"

namespace activestore::executor {

// Evaluates the function call expr over the rows of input into *out (expr.type).
// Throws 42883 `function foo(integer) does not exist` for an unknown name, and the
// function's own errors (22003, 22011, 2201E, 2201F, 22023, 0A000, ...).
void EvaluateFunction(const planner::BoundExpr& expr, const DataChunk& input, ExecState& state,
                      Vector* out);

// The function call expr for one row whose arguments are all constants (kConstant children):
// the same result as EvaluateFunction, without building vectors (one-row VALUES, DEFAULTs such
// as nextval('s')). Returns false, having done nothing, when the arguments are not all
// constants of their own physical class.
bool EvaluateFunctionOfConstants(const planner::BoundExpr& expr, ExecState& state, Value* out);

// True if `name` is a scalar function implemented here.
bool IsKnownFunction(const std::string& name);
// width_bucket(operand, b1, b2, count) of float8 (PostgreSQL's width_bucket_float8, 2201G
// errors); also histogram's bucket.
int32_t WidthBucketFloat8(double op, double b1, double b2, int64_t count);
// A zone given as text to timezone(zone, ts) and time_bucket: an abbreviation of the Default
// set, a zone name or a POSIX spec. 22023 `time zone "x" not recognized`.
std::shared_ptr<const TimeZone> TimeZoneArg(const std::string& name);

// Set-returning functions (regexp_matches, regexp_split_to_table, string_to_table): every row
// of `call` (a kFunction whose op IsSetFunction) for these argument values, each of call.type;
// none for a NULL argument of a strict one.
bool IsSetFunction(const std::string& name);
std::vector<Value> EvaluateSetFunction(const planner::BoundExpr& call,
                                       const std::vector<Value>& args, ExecState& state);

// pg_listening_channels(): the channels the session listens on (a set-returning function).
std::vector<Value> PgListeningChannels(const std::vector<Value>& args,
                                       const planner::BoundExpr& call, ExecState& state);

// Date helpers shared with tests: days since 2000-01-01 <-> civil date.
using ::activestore::CivilFromDays;
using ::activestore::DaysFromCivil;

// The lower-case hexadecimal MD5 digest of data.
std::string Md5Hex(std::string_view data);

}  // namespace activestore::executor
