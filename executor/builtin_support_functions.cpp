// The internal functions pg_proc lists whose meaning is plain SQL, as the binder resolves them
// (planner/bind_support_function.cpp, PlainIndex): a type's input and output functions, the
// larger/smaller transition functions of max and min, the cast functions that take a
// typmod, and the btree comparison functions that answer -1, 0 or 1. Each behaves as PostgreSQL
// 15's function of that name: the same typmod rules (which values it ignores, which it refuses),
// the same choice between equal arguments.
#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "common/cstring_type.h"
#include "common/interval.h"
#include "common/type_registry.h"
#include "common/value_ops.h"
#include "executor/catalog_functions.h"

namespace activestore::executor {
namespace {

using Args = std::vector<Value>;
using planner::BoundExpr;

// An argument with its declared type (the binder coerced it to the parameter's type).
Value Arg(const Args& a, const BoundExpr& e, size_t i) {
  Value v = a[i];
  v.type = e.children[i]->type;
  return v;
}

// What PostgreSQL's typmod argument `pg` (as pg_attribute.atttypmod holds it) means for a
// value of type `to`, in ActiveStore's Type::typmod (PostgreSQL's minus VARHDRSZ for the length
// and precision types): -1 where PostgreSQL's function ignores it (varchar and bpchar below
// VARHDRSZ, bit and varbit at or below 0, time outside 0..6, a negative interval typmod, and
// every type without modifiers). A cast from an integer to bit takes bit(1) then, as
// bitfromint4. Throws PostgreSQL's errors for the ones it refuses.
int32_t TypmodOf(TypeId to, TypeId from, int64_t pg) {
  switch (to) {
    case TypeId::kVarchar:
    case TypeId::kBpchar:
    case TypeId::kNumeric:
      return pg < 4 ? -1 : static_cast<int32_t>(pg - 4);
    case TypeId::kBit:
      if (IsIntegerType(from)) return pg <= 0 ? 1 : static_cast<int32_t>(pg);
      return pg <= 0 ? -1 : static_cast<int32_t>(pg);
    case TypeId::kVarbit:
      return pg <= 0 ? -1 : static_cast<int32_t>(pg);
    case TypeId::kTime:
    case TypeId::kTimeTz:
      return pg < 0 || pg > 6 ? -1 : static_cast<int32_t>(pg);
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      // AdjustTimestampForTypmod: -1 and 6 change nothing, anything else outside 0..6 fails.
      if (pg == -1 || pg == 6) return -1;
      if (pg < 0 || pg > 6) {
        Throw(SqlState::kInvalidParameterValue, "timestamp({}) precision must be between 0 and 6",
              pg);
      }
      return static_cast<int32_t>(pg);
    case TypeId::kInterval: {
      if (pg < 0) return -1;
      const int32_t typmod = static_cast<int32_t>(pg);
      const int range = IntervalTypmodRange(typmod);
      constexpr int kY = kIntervalYear, kMo = kIntervalMonth, kD = kIntervalDay, kH = kIntervalHour,
                    kMi = kIntervalMinute, kS = kIntervalSecond;
      const int valid[] = {kIntervalFullRange,
                           kY,
                           kMo,
                           kD,
                           kH,
                           kMi,
                           kS,
                           kY | kMo,
                           kD | kH,
                           kD | kH | kMi,
                           kD | kH | kMi | kS,
                           kH | kMi,
                           kH | kMi | kS,
                           kMi | kS};
      if (std::find(std::begin(valid), std::end(valid), range) == std::end(valid)) {
        // PostgreSQL's AdjustIntervalForTypmod raises this as an internal error (XX000); a
        // typmod a caller passes is input, so here it is 22023.
        Throw(SqlState::kInvalidParameterValue, "unrecognized interval typmod: {}", typmod);
      }
      return typmod;
    }
    default:
      return -1;
  }
}

// t_in(cstring) and t_in(cstring, oid, int4): the type's input function, with the typmod's
// length or precision rules of an assignment (varchar_input: too long is 22001 unless the rest
// is spaces).
Value FnTypeInput(const Args& a, const BoundExpr& e, ExecState& st) {
  const int32_t typmod = a.size() == 3 ? TypmodOf(e.type.id, e.type.id, a[2].i) : -1;
  return CastValue(Value::Text(a[0].s), Type{e.type.id, typmod}, st.ctx.format,
                   /*implicit_assignment=*/true);
}

// t_out(t) -> cstring: the type's output function (boolout gives 't', bpcharout keeps the
// padding, unlike the casts to text).
Value FnTypeOutput(const Args& a, const BoundExpr& e, ExecState& st) {
  Value out;
  out.type = Type::Of(kCstringType);
  out.is_null = false;
  out.s = FormatValue(Arg(a, e, 0), st.ctx.format);
  return out;
}

// t_larger / t_smaller: PostgreSQL returns the second argument when the two are equal
// (numeric_larger(1.0, 1.00) is 1.00, float8larger(0, -0) is -0), except bpchar_larger and
// bpchar_smaller, which return the first.
template <bool kLarger>
Value FnLargerSmaller(const Args& a, const BoundExpr& e, ExecState&) {
  Value x = Arg(a, e, 0), y = Arg(a, e, 1);
  const int c = CompareValues(x, y);
  if (c == 0) return e.type.id == TypeId::kBpchar ? x : y;
  return (kLarger ? c > 0 : c < 0) ? x : y;
}

// A cast function with a typmod argument: bpchar(bpchar, int4, bool) and its kind (the length
// coercion; the bool says whether the cast is explicit, which truncates where an implicit one
// fails), numeric(numeric, int4), timestamp(timestamp, int4), bit(int4, int4), ...
Value FnTypmodCast(const Args& a, const BoundExpr& e, ExecState& st) {
  Value x = Arg(a, e, 0);
  const int32_t typmod = TypmodOf(e.type.id, x.type.id, a[1].i);
  const bool explicit_cast = a.size() < 3 || a[2].i != 0;
  if (typmod < 0 && x.type.id == e.type.id) return x;
  return CastValue(x, Type{e.type.id, typmod}, st.ctx.format,
                   /*implicit_assignment=*/!explicit_cast);
}

// A btree comparison function (btint4cmp, date_cmp, btfloat48cmp, ...): -1, 0 or 1 by the
// types' order (NaN above every number), btint2cmp the difference, as PostgreSQL's.
Value FnCompare(const Args& a, const BoundExpr& e, ExecState&) {
  Value x = Arg(a, e, 0), y = Arg(a, e, 1);
  if (x.type.id == TypeId::kInt16 && y.type.id == TypeId::kInt16) {
    return Value::Int32(static_cast<int32_t>(x.i - y.i));
  }
  const int c = CompareValues(x, y);
  return Value::Int32(c < 0 ? -1 : c > 0 ? 1 : 0);
}

}  // namespace

const std::vector<StringFunctionEntry>& BuiltinSupportFunctionEntries() {
  static const std::vector<StringFunctionEntry> kEntries = {
      {"builtin_type_input", FnTypeInput, true},
      {"builtin_type_output", FnTypeOutput, true},
      {"builtin_larger", FnLargerSmaller<true>, true},
      {"builtin_smaller", FnLargerSmaller<false>, true},
      {"builtin_typmod_cast", FnTypmodCast, true},
      {"builtin_cmp", FnCompare, true},
  };
  return kEntries;
}

}  // namespace activestore::executor
