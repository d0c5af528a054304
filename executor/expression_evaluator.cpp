#include "executor/expression_evaluator.h"

#include <charconv>
#include <cmath>
#include <functional>
#include <limits>
#include <set>
#include <unordered_map>
#include <utility>

#include "common/error.h"
#include "common/stack_depth.h"
#include "common/type_registry.h"
#include "common/utf8.h"
#include "common/value_ops.h"
#include "executor/array_exprs.h"
#include "executor/functions.h"
#include "executor/user_functions.h"
#include "planner/bound_expr_util.h"

namespace activestore::executor {

using planner::BoundExpr;
using planner::BoundExprKind;

namespace {

void Eval(const BoundExpr& e, const DataChunk& in, ExecState& st, Vector* out);

// The value of e over in: the input column itself for a column reference (no copy), else e
// evaluated into *scratch.
const Vector& EvalRef(const BoundExpr& e, const DataChunk& in, ExecState& st, Vector* scratch) {
  if (e.kind == BoundExprKind::kColumn) {
    if (e.column_index < 0 || static_cast<size_t>(e.column_index) >= in.columns.size()) {
      Throw(SqlState::kInternalError, "column reference {} out of range", e.column_index);
    }
    return in.columns[e.column_index];
  }
  Eval(e, in, st, scratch);
  return *scratch;
}

// True for an operand that is the same for every row (a constant or a parameter): it is
// evaluated as one row and read at index 0 (stride 0) instead of being repeated n times.
bool IsRowInvariant(const BoundExpr& e) {
  return e.kind == BoundExprKind::kConstant || e.kind == BoundExprKind::kParam;
}

// An operand of a binary operator: its vector and the stride of its row index (0 for a
// row-invariant operand evaluated once).
struct Operand {
  Vector scratch;
  const Vector* v = nullptr;
  size_t stride = 1;

  // Evaluates e over in; returns *v.
  const Vector& Evaluate(const BoundExpr& e, const DataChunk& in, ExecState& st) {
    if (IsRowInvariant(e) && in.size > 0) {
      DataChunk one;
      one.size = 1;
      Eval(e, one, st, &scratch);
      v = &scratch;
      stride = 0;
      return *v;
    }
    v = &EvalRef(e, in, st, &scratch);
    stride = 1;
    return *v;
  }
  size_t Row(size_t r) const { return r * stride; }
  bool IsNull(size_t r) const { return v->nulls[r * stride] != 0; }
};

// True if evaluating e for a row cannot raise an error nor have an effect, so it may be
// evaluated for rows where SQL would not (the untaken side of AND/OR/CASE).
bool IsSafe(const BoundExpr& e) {
  switch (e.kind) {
    case BoundExprKind::kConstant:
    case BoundExprKind::kColumn:
    case BoundExprKind::kOuterColumn:
    case BoundExprKind::kParam:
    case BoundExprKind::kIsNull:
    case BoundExprKind::kIsDistinct:
    case BoundExprKind::kIsBool:
    case BoundExprKind::kCompare:
    case BoundExprKind::kAnd:
    case BoundExprKind::kOr:
    case BoundExprKind::kNot:
    case BoundExprKind::kCoalesce:
    case BoundExprKind::kInList:
      break;
    case BoundExprKind::kCast:
      if (e.children.empty() || !(e.children[0]->type == e.type)) return false;
      break;
    default:
      return false;
  }
  for (const auto& c : e.children) {
    if (!IsSafe(*c)) return false;
  }
  return true;
}

// Evaluates e on the rows sel of in; the result is aligned with sel.
Vector EvalRows(const BoundExpr& e, const DataChunk& in, const std::vector<uint32_t>& sel,
                ExecState& st) {
  Vector v;
  if (sel.size() == in.size) {
    Eval(e, in, st, &v);
    return v;
  }
  DataChunk sub;
  sub.columns.resize(in.columns.size());
  for (size_t c = 0; c < in.columns.size(); ++c) {
    sub.columns[c].Init(in.columns[c].type, sel.size());
    for (size_t k = 0; k < sel.size(); ++k) sub.columns[c].CopyRow(k, in.columns[c], sel[k]);
  }
  sub.size = sel.size();
  Eval(e, sub, st, &v);
  return v;
}

std::vector<uint32_t> AllRows(size_t n) {
  std::vector<uint32_t> sel(n);
  for (size_t r = 0; r < n; ++r) sel[r] = static_cast<uint32_t>(r);
  return sel;
}

// Copies row k of src into row r of out, converting the type if needed.
void StoreRow(Vector* out, size_t r, const Vector& src, size_t k) {
  if (src.phys == out->phys) {
    out->CopyRow(r, src, k);
  } else {
    out->Set(r, src.Get(k));
  }
}

void CheckIntRange(int64_t v, TypeId t) {
  if (t == TypeId::kInt32 &&
      (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max())) {
    ThrowIntegerOutOfRange(t);
  }
  if (t == TypeId::kInt16 &&
      (v < std::numeric_limits<int16_t>::min() || v > std::numeric_limits<int16_t>::max())) {
    ThrowIntegerOutOfRange(t);
  }
}

// Both vectors can be compared with CompareVectorValues (same family and representation).
bool FastComparable(const Vector& a, const Vector& b) {
  if (a.phys != b.phys) return false;
  if (a.type.id == b.type.id) return true;
  return IsIntegerType(a.type.id) && IsIntegerType(b.type.id);
}

int CompareRows(const Vector& a, size_t i, const Vector& b, size_t j, bool fast) {
  if (fast) return CompareVectorValues(a, i, b, j);
  return CompareValues(a.Get(i), b.Get(j));
}

bool CompareResult(const std::string& op, int c) {
  if (op == "=") return c == 0;
  if (op == "<>" || op == "!=") return c != 0;
  if (op == "<") return c < 0;
  if (op == ">") return c > 0;
  if (op == "<=") return c <= 0;
  if (op == ">=") return c >= 0;
  Throw(SqlState::kInternalError, "unknown comparison operator \"{}\"", op);
}

// Sets out to bool NULL/true/false from a three-valued state: 0 false, 1 true, 2 NULL.
void SetBool3(Vector* out, size_t r, int v) {
  if (v == 2) {
    out->nulls[r] = 1;
  } else {
    out->nulls[r] = 0;
    out->ints[r] = v;
  }
}

int GetBool3(const Vector& v, size_t r) { return BoolAt(v, r); }

// Makes v a bool vector (an untyped NULL or a text 'true' may arrive where a bool is due).
void NormalizeBool(Vector* v) {
  if (v->phys == PhysClass::kInt) return;
  Vector b(Type::Of(TypeId::kBool), v->size());
  for (size_t r = 0; r < v->size(); ++r) SetBool3(&b, r, BoolAt(*v, r));
  *v = std::move(b);
}

void EvalArith(const BoundExpr& e, const DataChunk& in, ExecState& st, Vector* out) {
  Operand a, b;
  const Vector& av = a.Evaluate(*e.children[0], in, st);
  const Vector& bv = b.Evaluate(*e.children[1], in, st);
  const size_t sa = a.stride, sb = b.stride;
  size_t n = in.size;
  out->Init(e.type, n);
  const std::string& op = e.op;
  if (IsIntegerType(av.type.id) && IsIntegerType(bv.type.id) && IsIntegerType(e.type.id) &&
      op.size() == 1) {
    char o = op[0];
    for (size_t r = 0; r < n; ++r) {
      if (av.nulls[r * sa] || bv.nulls[r * sb]) {
        out->nulls[r] = 1;
        continue;
      }
      int64_t x = av.ints[r * sa], y = bv.ints[r * sb], z = 0;
      bool overflow = false;
      switch (o) {
        case '+':
          overflow = __builtin_add_overflow(x, y, &z);
          break;
        case '-':
          overflow = __builtin_sub_overflow(x, y, &z);
          break;
        case '*':
          overflow = __builtin_mul_overflow(x, y, &z);
          break;
        case '/':
          if (y == 0) Throw(SqlState::kDivisionByZero, "division by zero");
          if (y == -1) {
            overflow = __builtin_sub_overflow(int64_t{0}, x, &z);
          } else {
            z = x / y;
          }
          break;
        case '%':
          if (y == 0) Throw(SqlState::kDivisionByZero, "division by zero");
          z = (y == -1) ? 0 : x % y;
          break;
        default:
          out->Set(r, Arithmetic(op, av.Get(r * sa), bv.Get(r * sb), st.ctx.format));
          continue;
      }
      if (overflow) ThrowIntegerOutOfRange(e.type.id);
      CheckIntRange(z, e.type.id);
      out->ints[r] = z;
    }
    return;
  }
  if (av.type.id == TypeId::kFloat64 && bv.type.id == TypeId::kFloat64 &&
      e.type.id == TypeId::kFloat64 && (op == "+" || op == "-" || op == "*" || op == "/")) {
    char o = op[0];
    for (size_t r = 0; r < n; ++r) {
      if (av.nulls[r * sa] || bv.nulls[r * sb]) {
        out->nulls[r] = 1;
        continue;
      }
      double x = av.floats[r * sa], y = bv.floats[r * sb], z = 0;
      switch (o) {
        case '+':
          z = x + y;
          break;
        case '-':
          z = x - y;
          break;
        case '*':
          z = x * y;
          if (z == 0.0 && x != 0.0 && y != 0.0) {
            Throw(SqlState::kNumericValueOutOfRange, "value out of range: underflow");
          }
          break;
        default:
          if (y == 0.0 && !std::isnan(x)) Throw(SqlState::kDivisionByZero, "division by zero");
          z = x / y;
          if (z == 0.0 && x != 0.0 && !std::isinf(y)) {
            Throw(SqlState::kNumericValueOutOfRange, "value out of range: underflow");
          }
          break;
      }
      if (std::isinf(z) && !std::isinf(x) && !std::isinf(y)) {
        Throw(SqlState::kNumericValueOutOfRange, "value out of range: overflow");
      }
      out->floats[r] = z;
    }
    return;
  }
  for (size_t r = 0; r < n; ++r) {
    if (av.nulls[r * sa] || bv.nulls[r * sb]) {
      out->nulls[r] = 1;
      continue;
    }
    out->Set(r, Arithmetic(op, av.Get(r * sa), bv.Get(r * sb), st.ctx.format));
  }
}

// float8 -> int2/int4/int8 as PostgreSQL's dtoi2/dtoi4/dtoi8 (round half to even, 22003).
int64_t Float8ToInt(double x, TypeId to) {
  const double r = std::nearbyint(x);
  int64_t lo = std::numeric_limits<int64_t>::min();
  if (to == TypeId::kInt16) lo = std::numeric_limits<int16_t>::min();
  if (to == TypeId::kInt32) lo = std::numeric_limits<int32_t>::min();
  if (std::isnan(r) || !(r >= static_cast<double>(lo) && r < -static_cast<double>(lo))) {
    ThrowIntegerOutOfRange(to);
  }
  const auto v = static_cast<int64_t>(r);
  CheckIntRange(v, to);
  return v;
}

// The casts that run over whole vectors (the same values and errors as CastValue); false for
// the others.
bool CastVector(const Vector& c, const BoundExpr& e, ExecState& st, size_t n, Vector* out) {
  const TypeId from = c.type.id, to = e.type.id;
  if (IsIntegerType(from) && IsIntegerType(to)) {
    for (size_t r = 0; r < n; ++r) {
      out->nulls[r] = c.nulls[r];
      if (c.nulls[r]) continue;
      CheckIntRange(c.ints[r], to);
      out->ints[r] = c.ints[r];
    }
    return true;
  }
  if (IsIntegerType(from) && to == TypeId::kFloat64) {
    for (size_t r = 0; r < n; ++r) {
      out->nulls[r] = c.nulls[r];
      out->floats[r] = static_cast<double>(c.ints[r]);
    }
    return true;
  }
  if (from == TypeId::kFloat64 && IsIntegerType(to)) {
    for (size_t r = 0; r < n; ++r) {
      out->nulls[r] = c.nulls[r];
      if (!c.nulls[r]) out->ints[r] = Float8ToInt(c.floats[r], to);
    }
    return true;
  }
  if (IsIntegerType(from) && to == TypeId::kNumeric) {
    for (size_t r = 0; r < n; ++r) {
      out->nulls[r] = c.nulls[r];
      if (!c.nulls[r]) out->nums[r] = Numeric::FromInt64(c.ints[r]).ApplyTypmod(e.type.typmod);
    }
    return true;
  }
  if (from == TypeId::kNumeric && to == TypeId::kFloat64) {
    for (size_t r = 0; r < n; ++r) {
      out->nulls[r] = c.nulls[r];
      if (!c.nulls[r]) out->floats[r] = c.nums[r].ToDouble();
    }
    return true;
  }
  if (IsIntegerType(from) && to == TypeId::kText) {
    for (size_t r = 0; r < n; ++r) {
      out->nulls[r] = c.nulls[r];
      if (c.nulls[r]) continue;
      char buf[24];
      auto res = std::to_chars(buf, buf + sizeof buf, c.ints[r]);
      out->strs[r].assign(buf, res.ptr);
    }
    return true;
  }
  if (c.phys == PhysClass::kString && IsStringType(from) && !IsStringType(to)) {
    // A type's input function, as CastValue reads a string (unless a typmod is applied).
    const TypeMethods* tm = TypeInfoOf(to).methods;
    if (tm != nullptr && tm->apply_typmod != nullptr && e.type.typmod >= 0) return false;
    for (size_t r = 0; r < n; ++r) {
      if (c.nulls[r]) {
        out->nulls[r] = 1;
        continue;
      }
      out->Set(r, ParseValue(c.strs[r], e.type, st.ctx.format));
    }
    return true;
  }
  return false;
}

void EvalCast(const BoundExpr& e, const DataChunk& in, ExecState& st, Vector* out) {
  Vector scratch;
  const Vector& c = EvalRef(*e.children[0], in, st, &scratch);
  if (c.type == e.type) {
    if (&c == &scratch) {
      *out = std::move(scratch);
    } else {
      *out = c;
    }
    return;
  }
  size_t n = in.size;
  out->Init(e.type, n);
  if (CastVector(c, e, st, n, out)) return;
  for (size_t r = 0; r < n; ++r) {
    if (c.nulls[r]) {
      out->nulls[r] = 1;
      continue;
    }
    // An assignment cast (INSERT/UPDATE into varchar(n), char(n), bit(n)) raises where an
    // explicit one truncates.
    out->Set(r, CastValue(c.Get(r), e.type, st.ctx.format, e.assignment_cast));
  }
}

void EvalNegate(const BoundExpr& e, const DataChunk& in, ExecState& st, Vector* out) {
  Vector scratch;
  const Vector& c = EvalRef(*e.children[0], in, st, &scratch);
  size_t n = in.size;
  out->Init(e.type, n);
  for (size_t r = 0; r < n; ++r) {
    if (c.nulls[r]) {
      out->nulls[r] = 1;
      continue;
    }
    if (IsIntegerType(c.type.id) && c.type.id == e.type.id) {
      int64_t x = c.ints[r];
      if (x == std::numeric_limits<int64_t>::min()) ThrowIntegerOutOfRange(e.type.id);
      CheckIntRange(-x, e.type.id);
      out->ints[r] = -x;
    } else if (c.type.id == TypeId::kFloat64 && e.type.id == TypeId::kFloat64) {
      out->floats[r] = -c.floats[r];
    } else {
      out->Set(r, Negate(c.Get(r)));
    }
  }
}

enum class CmpOp { kEq, kNe, kLt, kGt, kLe, kGe };

CmpOp CmpOpOf(const std::string& op) {
  if (op == "=") return CmpOp::kEq;
  if (op == "<>" || op == "!=") return CmpOp::kNe;
  if (op == "<") return CmpOp::kLt;
  if (op == ">") return CmpOp::kGt;
  if (op == "<=") return CmpOp::kLe;
  if (op == ">=") return CmpOp::kGe;
  Throw(SqlState::kInternalError, "unknown comparison operator \"{}\"", op);
}

// z[r] = x[r * kSx] op y[r * kSy] for r < n, with `less` the order of the values (strides known
// at compile time, so the loops vectorize).
template <size_t kSx, size_t kSy, typename T, typename Less>
void CompareLoop(const T* x, const T* y, size_t n, CmpOp op, Less less, int64_t* z) {
  switch (op) {
    case CmpOp::kEq:
      for (size_t r = 0; r < n; ++r) {
        z[r] = !less(x[r * kSx], y[r * kSy]) && !less(y[r * kSy], x[r * kSx]);
      }
      return;
    case CmpOp::kNe:
      for (size_t r = 0; r < n; ++r) {
        z[r] = less(x[r * kSx], y[r * kSy]) || less(y[r * kSy], x[r * kSx]);
      }
      return;
    case CmpOp::kLt:
      for (size_t r = 0; r < n; ++r) z[r] = less(x[r * kSx], y[r * kSy]);
      return;
    case CmpOp::kGt:
      for (size_t r = 0; r < n; ++r) z[r] = less(y[r * kSy], x[r * kSx]);
      return;
    case CmpOp::kLe:
      for (size_t r = 0; r < n; ++r) z[r] = !less(y[r * kSy], x[r * kSx]);
      return;
    case CmpOp::kGe:
      for (size_t r = 0; r < n; ++r) z[r] = !less(x[r * kSx], y[r * kSy]);
      return;
  }
}

template <typename T, typename Less>
void CompareColumns(const T* x, size_t sx, const T* y, size_t sy, size_t n, CmpOp op, Less less,
                    int64_t* z) {
  if (sx == 1 && sy == 1) {
    CompareLoop<1, 1>(x, y, n, op, less, z);
  } else if (sx == 1) {
    CompareLoop<1, 0>(x, y, n, op, less, z);
  } else if (sy == 1) {
    CompareLoop<0, 1>(x, y, n, op, less, z);
  } else {
    CompareLoop<0, 0>(x, y, n, op, less, z);
  }
}

bool CmpResult(CmpOp op, int c) {
  switch (op) {
    case CmpOp::kEq:
      return c == 0;
    case CmpOp::kNe:
      return c != 0;
    case CmpOp::kLt:
      return c < 0;
    case CmpOp::kGt:
      return c > 0;
    case CmpOp::kLe:
      return c <= 0;
    case CmpOp::kGe:
      return c >= 0;
  }
  return false;
}

void EvalCompare(const BoundExpr& e, const DataChunk& in, ExecState& st, Vector* out) {
  Operand a, b;
  const Vector& av = a.Evaluate(*e.children[0], in, st);
  const Vector& bv = b.Evaluate(*e.children[1], in, st);
  const size_t sa = a.stride, sb = b.stride;
  size_t n = in.size;
  out->Init(Type::Of(TypeId::kBool), n);
  const CmpOp op = CmpOpOf(e.op);
  const bool fast = FastComparable(av, bv);
  if (fast && (av.phys == PhysClass::kInt || av.phys == PhysClass::kFloat)) {
    if (av.phys == PhysClass::kInt) {
      CompareColumns(
          av.ints.data(), sa, bv.ints.data(), sb, n, op, [](int64_t x, int64_t y) { return x < y; },
          out->ints.data());
    } else {
      // NaN equals NaN and sorts after every other value (float8_cmp).
      CompareColumns(
          av.floats.data(), sa, bv.floats.data(), sb, n, op,
          [](double x, double y) { return !std::isnan(x) && (std::isnan(y) || x < y); },
          out->ints.data());
    }
    for (size_t r = 0; r < n; ++r) out->nulls[r] = av.nulls[r * sa] | bv.nulls[r * sb];
    return;
  }
  for (size_t r = 0; r < n; ++r) {
    if (av.nulls[r * sa] || bv.nulls[r * sb]) {
      out->nulls[r] = 1;
      continue;
    }
    out->ints[r] = CmpResult(op, CompareRows(av, r * sa, bv, r * sb, fast));
  }
}

void EvalAndOr(const BoundExpr& e, const DataChunk& in, ExecState& st, Vector* out) {
  bool is_and = e.kind == BoundExprKind::kAnd;
  size_t n = in.size;
  Eval(*e.children[0], in, st, out);
  NormalizeBool(out);
  // Decided rows: false for AND, true for OR.
  int decisive = is_and ? 0 : 1;
  for (size_t i = 1; i < e.children.size(); ++i) {
    std::vector<uint32_t> undecided;
    for (size_t r = 0; r < n; ++r) {
      if (GetBool3(*out, r) != decisive) undecided.push_back(static_cast<uint32_t>(r));
    }
    if (undecided.empty()) break;
    const BoundExpr& child = *e.children[i];
    if (IsSafe(child) || undecided.size() == n) {
      Vector c;
      Eval(child, in, st, &c);
      for (uint32_t r : undecided) {
        int v = GetBool3(c, r);
        if (v == decisive) {
          SetBool3(out, r, v);
        } else if (v == 2) {
          SetBool3(out, r, 2);
        }
      }
    } else {
      Vector c = EvalRows(child, in, undecided, st);
      for (size_t k = 0; k < undecided.size(); ++k) {
        int v = GetBool3(c, k);
        if (v == decisive) {
          SetBool3(out, undecided[k], v);
        } else if (v == 2) {
          SetBool3(out, undecided[k], 2);
        }
      }
    }
  }
}

void EvalCase(const BoundExpr& e, const DataChunk& in, ExecState& st, Vector* out) {
  size_t n = in.size;
  out->Init(e.type, n);
  std::fill(out->nulls.begin(), out->nulls.end(), 1);
  std::vector<uint32_t> remaining = AllRows(n);
  size_t pairs = (e.children.size() - (e.has_else ? 1 : 0)) / 2;
  for (size_t p = 0; p < pairs && !remaining.empty(); ++p) {
    Vector cond = EvalRows(*e.children[2 * p], in, remaining, st);
    std::vector<uint32_t> taken, rest;
    for (size_t k = 0; k < remaining.size(); ++k) {
      if (GetBool3(cond, k) == 1) {
        taken.push_back(remaining[k]);
      } else {
        rest.push_back(remaining[k]);
      }
    }
    if (!taken.empty()) {
      Vector val = EvalRows(*e.children[2 * p + 1], in, taken, st);
      for (size_t k = 0; k < taken.size(); ++k) StoreRow(out, taken[k], val, k);
    }
    remaining = std::move(rest);
  }
  if (e.has_else && !remaining.empty()) {
    Vector val = EvalRows(*e.children.back(), in, remaining, st);
    for (size_t k = 0; k < remaining.size(); ++k) StoreRow(out, remaining[k], val, k);
  }
}

void EvalCoalesce(const BoundExpr& e, const DataChunk& in, ExecState& st, Vector* out) {
  size_t n = in.size;
  out->Init(e.type, n);
  std::fill(out->nulls.begin(), out->nulls.end(), 1);
  std::vector<uint32_t> remaining = AllRows(n);
  for (const auto& child : e.children) {
    if (remaining.empty()) break;
    std::vector<uint32_t> rest;
    if (remaining.size() == n || IsSafe(*child)) {
      // Over every row (a constant once): no sub-chunk of the remaining rows is built.
      Operand val;
      val.Evaluate(*child, in, st);
      for (uint32_t r : remaining) {
        if (val.IsNull(r)) {
          rest.push_back(r);
        } else {
          StoreRow(out, r, *val.v, val.Row(r));
        }
      }
      remaining = std::move(rest);
      continue;
    }
    Vector val = EvalRows(*child, in, remaining, st);
    for (size_t k = 0; k < remaining.size(); ++k) {
      if (val.nulls[k]) {
        rest.push_back(remaining[k]);
      } else {
        StoreRow(out, remaining[k], val, k);
      }
    }
    remaining = std::move(rest);
  }
}

void EvalGreatestLeast(const BoundExpr& e, const DataChunk& in, ExecState& st, Vector* out) {
  size_t n = in.size;
  std::vector<Vector> vals(e.children.size());
  for (size_t i = 0; i < e.children.size(); ++i) Eval(*e.children[i], in, st, &vals[i]);
  out->Init(e.type, n);
  bool greatest = e.kind == BoundExprKind::kGreatest;
  for (size_t r = 0; r < n; ++r) {
    int best = -1;
    for (size_t i = 0; i < vals.size(); ++i) {
      if (vals[i].nulls[r]) continue;
      if (best < 0) {
        best = static_cast<int>(i);
        continue;
      }
      int c = CompareRows(vals[i], r, vals[best], r, FastComparable(vals[i], vals[best]));
      if (greatest ? c > 0 : c < 0) best = static_cast<int>(i);
    }
    if (best < 0) {
      out->nulls[r] = 1;
    } else {
      StoreRow(out, r, vals[best], r);
    }
  }
}

void EvalInList(const BoundExpr& e, const DataChunk& in, ExecState& st, Vector* out) {
  size_t n = in.size;
  Vector lhs_scratch;
  const Vector& lhs = EvalRef(*e.children[0], in, st, &lhs_scratch);
  out->Init(Type::Of(TypeId::kBool), n);
  std::vector<int> state(n, 0);  // 0 not found, 1 found, 2 NULL seen
  for (size_t i = 1; i < e.children.size(); ++i) {
    Operand item;
    item.Evaluate(*e.children[i], in, st);
    const Vector& iv = *item.v;
    const size_t si = item.stride;
    bool fast = FastComparable(lhs, iv);
    for (size_t r = 0; r < n; ++r) {
      if (state[r] == 1) continue;
      if (lhs.nulls[r] || iv.nulls[r * si]) {
        state[r] = 2;
        continue;
      }
      if (CompareRows(lhs, r, iv, r * si, fast) == 0) state[r] = 1;
    }
  }
  for (size_t r = 0; r < n; ++r) {
    int v = state[r];
    if (e.negated && v != 2) v = 1 - v;
    SetBool3(out, r, v);
  }
}

void EvalLike(const BoundExpr& e, const DataChunk& in, ExecState& st, Vector* out) {
  size_t n = in.size;
  Vector text_scratch, pattern, escape;
  const Vector& text = EvalRef(*e.children[0], in, st, &text_scratch);
  Eval(*e.children[1], in, st, &pattern);
  bool has_escape = e.children.size() > 2;
  if (has_escape) Eval(*e.children[2], in, st, &escape);
  bool icase = e.op == "ILIKE" || e.op == "ilike";
  out->Init(Type::Of(TypeId::kBool), n);
  for (size_t r = 0; r < n; ++r) {
    if (text.nulls[r] || pattern.nulls[r] || (has_escape && escape.nulls[r])) {
      out->nulls[r] = 1;
      continue;
    }
    std::string_view esc = has_escape ? std::string_view(escape.strs[r]) : std::string_view("\\");
    bool m = LikeMatch(TextOf(text, r, st.ctx.format), TextOf(pattern, r, st.ctx.format), esc,
                       icase, text.type.id == TypeId::kBytea);
    out->ints[r] = m != e.negated;
  }
}

void EvalConcat(const BoundExpr& e, const DataChunk& in, ExecState& st, Vector* out) {
  size_t n = in.size;
  Vector a, b;
  Eval(*e.children[0], in, st, &a);
  Eval(*e.children[1], in, st, &b);
  out->Init(e.type, n);
  for (size_t r = 0; r < n; ++r) {
    if (a.nulls[r] || b.nulls[r]) {
      out->nulls[r] = 1;
      continue;
    }
    out->Set(r, Value::Text(TextOf(a, r, st.ctx.format) + TextOf(b, r, st.ctx.format),
                            e.type.id == TypeId::kUnknown ? TypeId::kText : e.type.id));
  }
}

// Pushes an outer row for the duration of a correlated subquery run.
class OuterRowGuard {
 public:
  OuterRowGuard(ExecState& st, std::vector<Value> row) : st_(st) {
    st_.outer_rows.push_back(std::move(row));
  }
  ~OuterRowGuard() { st_.outer_rows.pop_back(); }

 private:
  ExecState& st_;
};

}  // namespace

// The rows a correlated subquery gave, by the values of the outer columns it reads. Within a
// statement a subquery without volatile calls gives the same rows for the same values (it
// reads the statement's snapshot), so an outer row that repeats another's values reuses its
// rows instead of running the subquery again (the EXISTS of a join's rows, the scalar
// subquery of a GROUP BY's key). Bounded: past kMaxValues stored values nothing is added.
struct SubqueryMemo {
  static constexpr size_t kMaxValues = 1 << 20;
  bool cacheable = true;
  // (level, column): level 1 is the row the subquery runs for (outer_rows.back()), 2 the one
  // above it, ...
  std::vector<std::pair<size_t, int>> refs;
  std::unordered_map<std::string, std::vector<std::vector<Value>>> rows;
  size_t values = 0;
};

namespace {

void AppendKey(const Value& v, std::string* key) {
  key->push_back(v.is_null ? 'n' : 'v');
  if (v.is_null) return;
  auto put = [&](const void* p, size_t len) { key->append(static_cast<const char*>(p), len); };
  put(&v.i, sizeof v.i);
  put(&v.i2, sizeof v.i2);
  put(&v.f, sizeof v.f);
  const size_t len = v.s.size();
  put(&len, sizeof len);
  key->append(v.s);
  if (v.type.id == TypeId::kNumeric) {
    const std::string n = v.num.ToString();
    const size_t nlen = n.size();
    put(&nlen, sizeof nlen);
    key->append(n);
  }
}

SubqueryMemo& MemoFor(const BoundExpr& e, ExecState& st) {
  std::shared_ptr<SubqueryMemo>& m = st.subquery_memo[&e];
  if (m) return *m;
  m = std::make_shared<SubqueryMemo>();
  std::set<std::pair<size_t, int>> refs;
  planner::VisitPlan(
      e.subquery,
      [&](const BoundExpr& n, int depth) {
        if (planner::IsVolatileCall(n)) m->cacheable = false;
        if (n.kind == BoundExprKind::kOuterColumn && n.outer_depth >= depth) {
          refs.insert({static_cast<size_t>(n.outer_depth - depth + 1), n.column_index});
        }
      },
      1);
  // Work tables change between a recursive query's rounds; a sample is drawn again each run.
  std::function<void(const planner::PlanNode&)> walk = [&](const planner::PlanNode& p) {
    if (p.kind == planner::PlanKind::kWorkTableScan || p.kind == planner::PlanKind::kCteScan ||
        p.sample || planner::IsDataModifying(p.kind)) {
      m->cacheable = false;
    }
    for (const auto& c : p.children) {
      if (c) walk(*c);
    }
  };
  walk(*e.subquery);
  m->refs.assign(refs.begin(), refs.end());
  return *m;
}

// RunSubplan for a correlated subquery whose outer row is pushed, through its memo.
std::vector<std::vector<Value>> RunCorrelatedSubplan(const BoundExpr& e, ExecState& st,
                                                     size_t max_rows) {
  SubqueryMemo& memo = MemoFor(e, st);
  if (!memo.cacheable) return RunSubplan(*e.subquery, st, max_rows);
  std::string key;
  for (const auto& [level, column] : memo.refs) {
    if (level > st.outer_rows.size()) return RunSubplan(*e.subquery, st, max_rows);
    const std::vector<Value>& row = st.outer_rows[st.outer_rows.size() - level];
    if (column < 0 || static_cast<size_t>(column) >= row.size()) {
      return RunSubplan(*e.subquery, st, max_rows);
    }
    AppendKey(row[column], &key);
  }
  auto it = memo.rows.find(key);
  if (it != memo.rows.end()) return it->second;
  std::vector<std::vector<Value>> rows = RunSubplan(*e.subquery, st, max_rows);
  size_t values = 0;
  for (const auto& r : rows) values += r.size() + 1;
  if (memo.values + values + memo.refs.size() <= SubqueryMemo::kMaxValues) {
    memo.values += values + memo.refs.size();
    memo.rows.emplace(std::move(key), rows);
  }
  return rows;
}

Value ScalarFromRows(const std::vector<std::vector<Value>>& rows, Type type) {
  if (rows.size() > 1) {
    Throw(SqlState::kCardinalityViolation,
          "more than one row returned by a subquery used as an expression");
  }
  if (rows.empty() || rows[0].empty()) return Value::Null(type);
  return rows[0][0];
}

void EvalScalarSubquery(const BoundExpr& e, const DataChunk& in, ExecState& st, Vector* out) {
  size_t n = in.size;
  out->Init(e.type, n);
  if (n == 0) return;
  // ARRAY(subquery) collects every row; a scalar subquery stops at the second.
  const bool array = e.op == "array";
  const size_t max_rows = array ? 0 : 2;
  auto result = [&](const std::vector<std::vector<Value>>& rows) {
    return array ? ArrayFromRows(rows, e.type) : ScalarFromRows(rows, e.type);
  };
  if (!e.correlated) {
    auto& cached = st.subquery_cache[&e];
    if (!cached) {
      auto res = std::make_shared<SubqueryResult>();
      res->rows = RunSubplan(*e.subquery, st, max_rows);
      cached = res;
    }
    *out = Vector::Constant(result(cached->rows), e.type, n);
    return;
  }
  for (size_t r = 0; r < n; ++r) {
    OuterRowGuard guard(st, in.GetRow(r));
    out->Set(r, result(RunCorrelatedSubplan(e, st, max_rows)));
  }
}

void EvalExists(const BoundExpr& e, const DataChunk& in, ExecState& st, Vector* out) {
  size_t n = in.size;
  out->Init(Type::Of(TypeId::kBool), n);
  if (n == 0) return;
  if (!e.correlated) {
    auto& cached = st.subquery_cache[&e];
    if (!cached) {
      auto res = std::make_shared<SubqueryResult>();
      res->rows = RunSubplan(*e.subquery, st, 1);
      cached = res;
    }
    bool v = !cached->rows.empty() != e.negated;
    for (size_t r = 0; r < n; ++r) out->ints[r] = v;
    return;
  }
  for (size_t r = 0; r < n; ++r) {
    OuterRowGuard guard(st, in.GetRow(r));
    bool v = !RunCorrelatedSubplan(e, st, 1).empty();
    out->ints[r] = v != e.negated;
  }
}

// x op ANY/ALL (rows): 0 false, 1 true, 2 NULL.
int QuantifiedCompare(const Value& x, const std::vector<std::vector<Value>>& rows,
                      const std::string& op, bool all) {
  bool saw_null = false;
  for (const auto& row : rows) {
    const Value& y = row[0];
    if (x.is_null || y.is_null) {
      saw_null = true;
      continue;
    }
    bool c = CompareResult(op, CompareValues(x, y));
    if (all && !c) return 0;
    if (!all && c) return 1;
  }
  if (saw_null) return 2;
  return all ? 1 : 0;
}

// Rows x op y (PostgreSQL's row comparison): 0 false, 1 true, 2 NULL. `=` is true when every
// pair is equal, false when one non-NULL pair differs; `<>` the reverse; an ordering operator
// decides at the first pair that is not equal (NULL if a NULL comes first).
int RowCompare(const std::string& op, const std::vector<Value>& x, const std::vector<Value>& y) {
  const bool eq = op == "=", ne = op == "<>";
  bool saw_null = false;
  for (size_t i = 0; i < x.size(); ++i) {
    if (x[i].is_null || y[i].is_null) {
      if (!eq && !ne) return 2;
      saw_null = true;
      continue;
    }
    int c = CompareValues(x[i], y[i]);
    if (c == 0) continue;
    if (eq) return 0;
    if (ne) return 1;
    return CompareResult(op, c) ? 1 : 0;
  }
  if (saw_null) return 2;
  if (eq || ne) return eq ? 1 : 0;
  return op == "<=" || op == ">=" ? 1 : 0;
}

// (a, b) op ANY/ALL (SELECT x, y), (a, b) op (SELECT x, y): see BoundExpr::row_compare.
void EvalRowSubquery(const BoundExpr& e, const DataChunk& in, ExecState& st, Vector* out) {
  size_t n = in.size;
  std::vector<Vector> lhs(e.children.size());
  for (size_t i = 0; i < lhs.size(); ++i) Eval(*e.children[i], in, st, &lhs[i]);
  const size_t max_rows = e.row_compare ? 2 : 0;
  std::remove_reference_t<decltype(st.subquery_cache[&e])> cached;
  if (!e.correlated) {
    auto& c = st.subquery_cache[&e];
    if (!c) {
      auto res = std::make_shared<SubqueryResult>();
      res->rows = RunSubplan(*e.subquery, st, max_rows);
      c = res;
    }
    cached = c;
  }
  std::vector<Value> x(lhs.size());
  for (size_t r = 0; r < n; ++r) {
    std::vector<std::vector<Value>> own;
    if (!cached) {
      OuterRowGuard guard(st, in.GetRow(r));
      own = RunCorrelatedSubplan(e, st, max_rows);
    }
    const auto& rows = cached ? cached->rows : own;
    for (size_t i = 0; i < lhs.size(); ++i) x[i] = lhs[i].Get(r);
    int v;
    if (e.row_compare) {
      if (rows.size() > 1) {
        Throw(SqlState::kCardinalityViolation,
              "more than one row returned by a subquery used as an expression");
      }
      v = rows.empty() ? 2 : RowCompare(e.op, x, rows[0]);
    } else {
      bool saw_null = false;
      v = e.sublink_all ? 1 : 0;
      for (const auto& row : rows) {
        int c = RowCompare(e.op, x, row);
        if (c == 2) {
          saw_null = true;
        } else if (c == (e.sublink_all ? 0 : 1)) {
          v = c;
          saw_null = false;
          break;
        }
      }
      if (saw_null) v = 2;
      if (e.negated && v != 2) v = 1 - v;
    }
    SetBool3(out, r, v);
  }
}

void EvalInSubquery(const BoundExpr& e, const DataChunk& in, ExecState& st, Vector* out) {
  size_t n = in.size;
  out->Init(Type::Of(TypeId::kBool), n);
  if (n == 0) return;
  if (e.children.size() != 1 || e.row_compare) {
    EvalRowSubquery(e, in, st, out);
    return;
  }
  Vector lhs;
  Eval(*e.children[0], in, st, &lhs);
  const std::string op = e.op.empty() ? "=" : e.op;
  auto finish = [&](size_t r, int v) {
    if (e.negated && v != 2) v = 1 - v;
    SetBool3(out, r, v);
  };
  if (!e.correlated) {
    auto& cached = st.subquery_cache[&e];
    if (!cached) {
      auto res = std::make_shared<SubqueryResult>();
      res->rows = RunSubplan(*e.subquery, st, 0);
      res->complete = true;
      Type sub_type = e.subquery->output_types.empty() ? lhs.type : e.subquery->output_types[0];
      Vector probe(sub_type, 0);
      if (op == "=" && !e.sublink_all && FastComparable(lhs, probe)) {
        Vector col(sub_type, 0);
        for (const auto& row : res->rows) {
          if (row[0].is_null) {
            res->in_has_null = true;
          } else {
            col.Append(row[0]);
          }
        }
        res->in_set = std::make_unique<KeyHashTable>(std::vector<Type>{sub_type});
        std::vector<const Vector*> cols{&col};
        std::vector<uint64_t> hashes;
        HashRows(cols, col.size(), &hashes);
        bool inserted;
        for (size_t r = 0; r < col.size(); ++r)
          res->in_set->FindOrInsert(cols, r, hashes[r], &inserted);
      }
      cached = res;
    }
    const SubqueryResult& res = *cached;
    if (res.in_set && FastComparable(lhs, res.in_set->keys()[0])) {
      std::vector<const Vector*> cols{&lhs};
      std::vector<uint64_t> hashes;
      HashRows(cols, n, &hashes);
      for (size_t r = 0; r < n; ++r) {
        int v;
        if (res.rows.empty()) {
          v = 0;
        } else if (lhs.nulls[r]) {
          v = 2;
        } else if (res.in_set->Find(cols, r, hashes[r]) >= 0) {
          v = 1;
        } else {
          v = res.in_has_null ? 2 : 0;
        }
        finish(r, v);
      }
      return;
    }
    for (size_t r = 0; r < n; ++r)
      finish(r, QuantifiedCompare(lhs.Get(r), res.rows, op, e.sublink_all));
    return;
  }
  for (size_t r = 0; r < n; ++r) {
    std::vector<std::vector<Value>> rows;
    {
      OuterRowGuard guard(st, in.GetRow(r));
      rows = RunCorrelatedSubplan(e, st, 0);
    }
    finish(r, QuantifiedCompare(lhs.Get(r), rows, op, e.sublink_all));
  }
}

// True for a NULL literal.
bool IsNullLiteral(const planner::BoundExprPtr& c) {
  return c && c->kind == BoundExprKind::kConstant && c->value.is_null;
}

// Strict operators with a NULL literal operand are NULL without evaluating the other operands,
// as PostgreSQL's planner folds them: `NULL > 1/0` is NULL, not a division by zero.
bool NullByStrictness(const BoundExpr& e) {
  switch (e.kind) {
    case BoundExprKind::kArith:
    case BoundExprKind::kCompare:
    case BoundExprKind::kConcat:
      for (const auto& c : e.children) {
        if (IsNullLiteral(c)) return true;
      }
      return false;
    case BoundExprKind::kInList:
      return !e.children.empty() && IsNullLiteral(e.children[0]);
    default:
      return false;
  }
}

void Eval(const BoundExpr& e, const DataChunk& in, ExecState& st, Vector* out) {
  CheckStackDepth();
  size_t n = in.size;
  if (NullByStrictness(e)) {
    *out = Vector::Constant(Value::Null(e.type), e.type, n);
    return;
  }
  switch (e.kind) {
    case BoundExprKind::kConstant:
      *out = Vector::Constant(e.value, e.type, n);
      return;
    case BoundExprKind::kColumn: {
      Vector unused;
      *out = EvalRef(e, in, st, &unused);
      return;
    }
    case BoundExprKind::kOuterColumn: {
      if (e.outer_depth < 1 || static_cast<size_t>(e.outer_depth) > st.outer_rows.size()) {
        Throw(SqlState::kInternalError, "outer reference depth {} out of range", e.outer_depth);
      }
      const auto& row = st.outer_rows[st.outer_rows.size() - e.outer_depth];
      if (e.column_index < 0 || static_cast<size_t>(e.column_index) >= row.size()) {
        Throw(SqlState::kInternalError, "outer column reference {} out of range", e.column_index);
      }
      *out = Vector::Constant(row[e.column_index], e.type, n);
      return;
    }
    case BoundExprKind::kParam: {
      if (e.param_index < 0 || static_cast<size_t>(e.param_index) >= st.ctx.params.size()) {
        Throw(SqlState::kUndefinedParameter, "there is no parameter ${}", e.param_index + 1);
      }
      Value v = st.ctx.params[e.param_index];
      if (!v.is_null && !(v.type == e.type) && e.type.id != TypeId::kUnknown) {
        v = CastValue(v, e.type, st.ctx.format);
      }
      *out = Vector::Constant(v, e.type, n);
      return;
    }
    case BoundExprKind::kCast:
      EvalCast(e, in, st, out);
      return;
    case BoundExprKind::kArith:
      EvalArith(e, in, st, out);
      return;
    case BoundExprKind::kNegate:
      EvalNegate(e, in, st, out);
      return;
    case BoundExprKind::kCompare:
      EvalCompare(e, in, st, out);
      return;
    case BoundExprKind::kAnd:
    case BoundExprKind::kOr:
      EvalAndOr(e, in, st, out);
      return;
    case BoundExprKind::kNot: {
      Eval(*e.children[0], in, st, out);
      NormalizeBool(out);
      for (size_t r = 0; r < n; ++r) out->ints[r] = !out->ints[r];
      return;
    }
    case BoundExprKind::kIsNull: {
      Vector scratch;
      const Vector& c = EvalRef(*e.children[0], in, st, &scratch);
      out->Init(Type::Of(TypeId::kBool), n);
      for (size_t r = 0; r < n; ++r) out->ints[r] = (c.nulls[r] != 0) != e.negated;
      return;
    }
    case BoundExprKind::kIsDistinct: {
      Vector sa, sb;
      const Vector& a = EvalRef(*e.children[0], in, st, &sa);
      const Vector& b = EvalRef(*e.children[1], in, st, &sb);
      out->Init(Type::Of(TypeId::kBool), n);
      bool fast = FastComparable(a, b);
      for (size_t r = 0; r < n; ++r) {
        bool distinct;
        if (a.nulls[r] || b.nulls[r]) {
          distinct = a.nulls[r] != b.nulls[r];
        } else {
          distinct = CompareRows(a, r, b, r, fast) != 0;
        }
        out->ints[r] = distinct != e.negated;
      }
      return;
    }
    case BoundExprKind::kIsBool: {
      Vector c;
      Eval(*e.children[0], in, st, &c);
      out->Init(Type::Of(TypeId::kBool), n);
      for (size_t r = 0; r < n; ++r) {
        int v = GetBool3(c, r);
        bool res;
        if (e.op == "TRUE" || e.op == "true") {
          res = v == 1;
        } else if (e.op == "FALSE" || e.op == "false") {
          res = v == 0;
        } else {
          res = v == 2;
        }
        out->ints[r] = res != e.negated;
      }
      return;
    }
    case BoundExprKind::kLike:
      EvalLike(e, in, st, out);
      return;
    case BoundExprKind::kInList:
      EvalInList(e, in, st, out);
      return;
    case BoundExprKind::kCase:
      EvalCase(e, in, st, out);
      return;
    case BoundExprKind::kCoalesce:
      EvalCoalesce(e, in, st, out);
      return;
    case BoundExprKind::kNullIf: {
      Vector a, b;
      Eval(*e.children[0], in, st, &a);
      Eval(*e.children[1], in, st, &b);
      out->Init(e.type, n);
      bool fast = FastComparable(a, b);
      for (size_t r = 0; r < n; ++r) {
        if (!a.nulls[r] && !b.nulls[r] && CompareRows(a, r, b, r, fast) == 0) {
          out->nulls[r] = 1;
        } else {
          StoreRow(out, r, a, r);
        }
      }
      return;
    }
    case BoundExprKind::kGreatest:
    case BoundExprKind::kLeast:
      EvalGreatestLeast(e, in, st, out);
      return;
    case BoundExprKind::kFunction:
      if (e.user_function) {
        EvaluateUserFunction(e, in, st, out);
        return;
      }
      EvaluateFunction(e, in, st, out);
      return;
    case BoundExprKind::kConcat:
      EvalConcat(e, in, st, out);
      return;
    case BoundExprKind::kSubquery:
      EvalScalarSubquery(e, in, st, out);
      return;
    case BoundExprKind::kExists:
      EvalExists(e, in, st, out);
      return;
    case BoundExprKind::kInSubquery:
      EvalInSubquery(e, in, st, out);
      return;
    case BoundExprKind::kAggregate:
      Throw(SqlState::kInternalError, "aggregate expression outside of an aggregate node");
    case BoundExprKind::kArray:
    case BoundExprKind::kSubscript:
    case BoundExprKind::kArrayAnyAll:
      EvaluateArrayExpression(e, in, st, out);
      return;
  }
  Throw(SqlState::kInternalError, "unknown expression kind {}", static_cast<int>(e.kind));
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

int BoolAt(const Vector& v, size_t r) {
  if (v.nulls[r]) return 2;
  if (v.phys == PhysClass::kInt) return v.ints[r] != 0 ? 1 : 0;
  return CastValue(v.Get(r), Type::Of(TypeId::kBool)).i != 0 ? 1 : 0;
}

void ThrowIntegerOutOfRange(TypeId type) {
  switch (type) {
    case TypeId::kInt16:
      Throw(SqlState::kNumericValueOutOfRange, "smallint out of range");
    case TypeId::kInt32:
      Throw(SqlState::kNumericValueOutOfRange, "integer out of range");
    default:
      Throw(SqlState::kNumericValueOutOfRange, "bigint out of range");
  }
}

std::string TextOf(const Vector& v, size_t r, const FormatOptions& format) {
  if (v.phys == PhysClass::kString) return v.strs[r];
  return FormatValue(v.Get(r), format);
}

bool LikeMatch(std::string_view text_in, std::string_view pattern_in, std::string_view escape,
               bool case_insensitive, bool bytes) {
  // The length of the character starting with byte c: one byte each for bytea.
  auto char_len = [bytes](unsigned char c) -> size_t { return bytes ? 1 : Utf8Len(c); };
  if (!escape.empty() && char_len(static_cast<unsigned char>(escape[0])) != escape.size()) {
    throw Error(SqlState::kInvalidEscapeSequence, "invalid escape string")
        .Hint("Escape string must be empty or one character.");
  }
  std::string text_buf, pattern_buf;
  std::string_view text = text_in, pattern = pattern_in;
  if (case_insensitive) {
    text_buf = AsciiLower(text_in);
    pattern_buf = AsciiLower(pattern_in);
    text = text_buf;
    pattern = pattern_buf;
  }
  // Tokens: '%' any sequence, '_' one character, otherwise one literal character.
  struct Token {
    char kind;  // '%', '_', 'c'
    std::string_view lit;
  };
  std::vector<Token> toks;
  for (size_t i = 0; i < pattern.size();) {
    size_t len = std::min(char_len(static_cast<unsigned char>(pattern[i])), pattern.size() - i);
    std::string_view ch = pattern.substr(i, len);
    if (!escape.empty() && ch == escape) {
      if (i + len >= pattern.size()) {
        Throw(SqlState::kInvalidEscapeSequence, "LIKE pattern must not end with escape character");
      }
      size_t l2 = std::min(char_len(static_cast<unsigned char>(pattern[i + len])),
                           pattern.size() - i - len);
      toks.push_back({'c', pattern.substr(i + len, l2)});
      i += len + l2;
      continue;
    }
    if (ch == "%") {
      if (toks.empty() || toks.back().kind != '%') toks.push_back({'%', {}});
    } else if (ch == "_") {
      toks.push_back({'_', {}});
    } else {
      toks.push_back({'c', ch});
    }
    i += len;
  }
  size_t ti = 0, j = 0;
  int64_t star_t = -1;
  size_t star_j = 0;
  while (j < text.size()) {
    if (ti < toks.size() && toks[ti].kind == 'c' &&
        text.compare(j, toks[ti].lit.size(), toks[ti].lit) == 0) {
      j += toks[ti].lit.size();
      ++ti;
    } else if (ti < toks.size() && toks[ti].kind == '_') {
      j += char_len(static_cast<unsigned char>(text[j]));
      ++ti;
    } else if (ti < toks.size() && toks[ti].kind == '%') {
      star_t = static_cast<int64_t>(ti++);
      star_j = j;
    } else if (star_t >= 0) {
      ti = static_cast<size_t>(star_t) + 1;
      star_j += char_len(static_cast<unsigned char>(text[star_j]));
      j = star_j;
    } else {
      return false;
    }
  }
  while (ti < toks.size() && toks[ti].kind == '%') ++ti;
  return ti == toks.size();
}

void EvaluateExpression(const BoundExpr& expr, const DataChunk& input, ExecState& state,
                        Vector* out) {
  Eval(expr, input, state, out);
}

const Vector& EvaluateExpressionRef(const BoundExpr& expr, const DataChunk& input, ExecState& state,
                                    Vector* scratch) {
  return EvalRef(expr, input, state, scratch);
}

namespace {

// A qual's conjuncts as PostgreSQL's ExecQual runs them: each conjunct only for the rows every
// earlier one found true (a NULL rejects the row as false does, so that `x NOT IN (1, NULL)
// AND y / 0 = 1` never divides). The result is true or false, never NULL.
void EvalQualConjuncts(const BoundExpr& e, const DataChunk& in, ExecState& st, Vector* out) {
  const size_t n = in.size;
  Eval(*e.children[0], in, st, out);
  NormalizeBool(out);
  for (size_t r = 0; r < n; ++r) {
    if (GetBool3(*out, r) == 2) SetBool3(out, r, 0);
  }
  for (size_t i = 1; i < e.children.size(); ++i) {
    std::vector<uint32_t> passing;
    for (size_t r = 0; r < n; ++r) {
      if (GetBool3(*out, r) == 1) passing.push_back(static_cast<uint32_t>(r));
    }
    if (passing.empty()) break;
    const BoundExpr& child = *e.children[i];
    if (IsSafe(child) || passing.size() == n) {
      Vector c;
      Eval(child, in, st, &c);
      for (uint32_t r : passing) {
        if (GetBool3(c, r) != 1) SetBool3(out, r, 0);
      }
    } else {
      Vector c = EvalRows(child, in, passing, st);
      for (size_t k = 0; k < passing.size(); ++k) {
        if (GetBool3(c, k) != 1) SetBool3(out, passing[k], 0);
      }
    }
  }
}

}  // namespace

void EvaluatePredicate(const BoundExpr& predicate, const DataChunk& input, ExecState& state,
                       std::vector<uint32_t>* selection) {
  Vector v;
  if (predicate.kind == BoundExprKind::kAnd) {
    EvalQualConjuncts(predicate, input, state, &v);
  } else {
    Eval(predicate, input, state, &v);
  }
  selection->resize(input.size);
  size_t k = 0;
  if (v.phys == PhysClass::kInt) {
    for (size_t r = 0; r < input.size; ++r) {
      (*selection)[k] = static_cast<uint32_t>(r);
      k += !v.nulls[r] & (v.ints[r] != 0);
    }
  } else {
    for (size_t r = 0; r < input.size; ++r) {
      if (BoolAt(v, r) == 1) (*selection)[k++] = static_cast<uint32_t>(r);
    }
  }
  selection->resize(k);
}

Value EvaluateConstant(const BoundExpr& expr, ExecState& state) {
  if (expr.kind == BoundExprKind::kFunction && !expr.user_function) {
    Value v;
    if (EvaluateFunctionOfConstants(expr, state, &v)) return v;
  }
  DataChunk one;
  one.size = 1;
  Vector v;
  Eval(expr, one, state, &v);
  return v.Get(0);
}

Value EvaluateStandaloneExpr(const BoundExpr& expr, ExecContext& ctx) {
  ExecState state(ctx);
  return EvaluateConstant(expr, state);
}

}  // namespace activestore::executor
