#include "executor/array_exprs.h"

#include <algorithm>
#include <limits>

#include "common/array.h"
#include "common/error.h"
#include "common/value_ops.h"
#include "executor/expression_evaluator.h"

namespace activestore::executor {

using planner::BoundExpr;
using planner::BoundExprKind;

namespace {

// An array taken apart: shape plus elements (NULLs as NULL Values).
struct Parts {
  std::vector<int> dims, lbs;
  std::vector<Value> elems;
  int ndim() const { return static_cast<int>(dims.size()); }
};

Parts Explode(const Value& a) {
  ArrayView view(a.s);
  Parts p;
  for (int d = 0; d < view.ndim(); ++d) {
    p.dims.push_back(view.dim(d));
    p.lbs.push_back(view.lower_bound(d));
  }
  p.elems = view.Elements(ElementTypeOf(a.type));
  return p;
}

Value Build(Type type, const std::vector<Value>& elems, std::vector<int> dims,
            std::vector<int> lbs) {
  ArrayBuilder b(ArrayElementType(type.id));
  for (const Value& v : elems) b.Append(v);
  Value out;
  out.type = type;
  out.is_null = false;
  out.s = b.Finish(std::move(dims), std::move(lbs));
  return out;
}

Value Empty(Type type) { return Build(type, {}, {}, {}); }

void CheckDims(size_t ndim) {
  if (ndim > static_cast<size_t>(kMaxArrayDims)) {
    Throw(SqlState::kProgramLimitExceeded,
          "number of array dimensions ({}) exceeds the maximum allowed ({})", ndim, kMaxArrayDims);
  }
}

// Sub-arrays stacked along a new first dimension (ARRAY[ARRAY[..], ...] and array_agg of
// arrays). NULL sub-arrays count as empty ones for ARRAY[]; `null_error` for array_agg.
Value Stack(const std::vector<Value>& subs, Type type, bool null_error) {
  std::vector<int> dims, lbs;
  std::vector<Value> elems;
  bool have_empty = false, have_items = false;
  size_t count = 0;
  for (const Value& s : subs) {
    if (s.is_null) {
      if (null_error) Throw(SqlState::kNullValueNotAllowed, "cannot accumulate null arrays");
      have_empty = true;
      continue;
    }
    Parts p = Explode(s);
    if (p.ndim() == 0) {
      if (null_error) Throw(SqlState::kArraySubscriptError, "cannot accumulate empty arrays");
      have_empty = true;
      continue;
    }
    if (!have_items) {
      dims = p.dims;
      lbs = p.lbs;
      have_items = true;
    } else if (p.dims != dims || p.lbs != lbs) {
      throw Error(SqlState::kArraySubscriptError,
                  null_error ? "cannot accumulate arrays of different dimensionality"
                             : "multidimensional arrays must have array expressions with "
                               "matching dimensions");
    }
    for (Value& v : p.elems) elems.push_back(std::move(v));
    ++count;
  }
  if (have_empty && have_items) {
    Throw(SqlState::kArraySubscriptError,
          "multidimensional arrays must have array expressions with matching dimensions");
  }
  if (!have_items) return Empty(type);
  dims.insert(dims.begin(), static_cast<int>(count));
  lbs.insert(lbs.begin(), 1);
  CheckDims(dims.size());
  return Build(type, elems, dims, lbs);
}

// a[i][j] (every subscript an index): the element, or NULL outside the array.
Value Fetch(const Value& a, const std::vector<int64_t>& idx, Type elem) {
  ArrayView view(a.s);
  if (static_cast<int>(idx.size()) != view.ndim()) return Value::Null(elem);
  size_t offset = 0;
  for (int d = 0; d < view.ndim(); ++d) {
    int64_t i = idx[d] - view.lower_bound(d);
    if (i < 0 || i >= view.dim(d)) return Value::Null(elem);
    offset = offset * static_cast<size_t>(view.dim(d)) + static_cast<size_t>(i);
  }
  Value out = Value::Null(elem);
  view.ForEach(elem, [&](size_t k, Value v) {
    if (k == offset) out = std::move(v);
  });
  return out;
}

// a[lo:hi]...: the sub-array (lower bounds 1), empty when it selects nothing.
Value Slice(const Value& a, const std::vector<std::optional<int64_t>>& lo,
            const std::vector<std::optional<int64_t>>& hi, Type type) {
  Parts p = Explode(a);
  const int nd = p.ndim();
  if (nd == 0 || static_cast<int>(lo.size()) > nd) return Empty(type);
  std::vector<int64_t> from(nd), to(nd);
  for (int d = 0; d < nd; ++d) {
    int64_t lb = p.lbs[d], ub = p.lbs[d] + p.dims[d] - 1;
    from[d] = d < static_cast<int>(lo.size()) && lo[d] ? std::max(*lo[d], lb) : lb;
    to[d] = d < static_cast<int>(hi.size()) && hi[d] ? std::min(*hi[d], ub) : ub;
    if (from[d] > to[d]) return Empty(type);
  }
  std::vector<Value> out;
  std::vector<int64_t> idx(nd, 0);
  for (size_t k = 0; k < p.elems.size(); ++k) {
    bool in = true;
    for (int d = 0; d < nd && in; ++d) {
      int64_t s = idx[d] + p.lbs[d];
      in = s >= from[d] && s <= to[d];
    }
    if (in) out.push_back(p.elems[k]);
    for (int d = nd - 1; d >= 0; --d) {
      if (++idx[d] < p.dims[d]) break;
      idx[d] = 0;
    }
  }
  std::vector<int> dims(nd);
  for (int d = 0; d < nd; ++d) dims[d] = static_cast<int>(to[d] - from[d] + 1);
  return Build(type, out, dims, std::vector<int>(nd, 1));
}

void EvalConstructor(const BoundExpr& e, const DataChunk& in, ExecState& st, Vector* out) {
  const size_t n = in.size;
  std::vector<Vector> cols(e.children.size());
  for (size_t i = 0; i < cols.size(); ++i) EvaluateExpression(*e.children[i], in, st, &cols[i]);
  const bool nested = !e.children.empty() && IsArrayType(e.children[0]->type.id);
  out->Init(e.type, n);
  std::vector<Value> row(cols.size());
  for (size_t r = 0; r < n; ++r) {
    for (size_t i = 0; i < cols.size(); ++i) row[i] = cols[i].Get(r);
    out->Set(r, nested ? Stack(row, e.type, false) : MakeArrayValue(e.type, row));
  }
}

void EvalSubscript(const BoundExpr& e, const DataChunk& in, ExecState& st, Vector* out) {
  const size_t n = in.size;
  std::vector<Vector> cols(e.children.size());
  for (size_t i = 0; i < cols.size(); ++i) EvaluateExpression(*e.children[i], in, st, &cols[i]);
  bool slice = false;
  for (bool s : e.slices) slice |= s;
  const size_t nsub = e.slices.size();
  out->Init(e.type, n);
  for (size_t r = 0; r < n; ++r) {
    if (cols[0].nulls[r]) {
      out->SetNull(r);
      continue;
    }
    bool null_subscript = false;
    std::vector<std::optional<int64_t>> lo(nsub), hi(nsub);
    std::vector<int64_t> idx(nsub);
    for (size_t k = 0; k < nsub; ++k) {
      const Vector& l = cols[1 + 2 * k];
      const Vector& h = cols[2 + 2 * k];
      const bool l_omitted = e.children[1 + 2 * k]->op == "omitted";
      const bool h_omitted = e.children[2 + 2 * k]->op == "omitted";
      if ((!l_omitted && l.nulls[r]) || (e.slices[k] && !h_omitted && h.nulls[r])) {
        null_subscript = true;
        break;
      }
      if (!e.slices[k]) {
        idx[k] = l.ints[r];
        lo[k] = 1;  // a plain subscript among slices means 1:i
        hi[k] = l.ints[r];
      } else {
        if (!l_omitted) lo[k] = l.ints[r];
        if (!h_omitted) hi[k] = h.ints[r];
      }
    }
    if (null_subscript) {
      out->SetNull(r);
      continue;
    }
    Value a = cols[0].Get(r);
    out->Set(r, slice ? Slice(a, lo, hi, e.type) : Fetch(a, idx, e.type));
  }
}

void EvalAnyAll(const BoundExpr& e, const DataChunk& in, ExecState& st, Vector* out) {
  const size_t n = in.size;
  Vector x, arr;
  EvaluateExpression(*e.children[0], in, st, &x);
  EvaluateExpression(*e.children[1], in, st, &arr);
  out->Init(Type::Of(TypeId::kBool), n);
  const bool like = e.op == "LIKE" || e.op == "ILIKE";
  const Type elem = ElementTypeOf(arr.type);
  for (size_t r = 0; r < n; ++r) {
    if (arr.nulls[r]) {
      out->SetNull(r);
      continue;
    }
    ArrayView view(arr.strs[r]);
    if (view.size() == 0) {  // before looking at the left operand, as PostgreSQL
      out->ints[r] = e.sublink_all ? 1 : 0;
      continue;
    }
    if (x.nulls[r]) {
      out->SetNull(r);
      continue;
    }
    const Value xv = x.Get(r);
    // 0 false, 1 true, 2 NULL; ANY stops at a true, ALL at a false.
    bool saw_null = false, decided = false;
    view.ForEach(elem, [&](size_t, const Value& v) {
      if (decided) return;
      if (v.is_null) {
        saw_null = true;
        return;
      }
      bool res = like ? LikeMatch(xv.s, v.s, "\\", e.op == "ILIKE") != e.negated : [&] {
        int c = CompareValues(xv, v);
        const std::string& op = e.op;
        if (op == "=") return c == 0;
        if (op == "<>") return c != 0;
        if (op == "<") return c < 0;
        if (op == ">") return c > 0;
        if (op == "<=") return c <= 0;
        return c >= 0;
      }();
      if (res != e.sublink_all) decided = true;
    });
    if (decided) {
      out->ints[r] = e.sublink_all ? 0 : 1;
    } else if (saw_null) {
      out->SetNull(r);
    } else {
      out->ints[r] = e.sublink_all ? 1 : 0;
    }
  }
}

// ---- functions ----

using Args = std::vector<Value>;

Value NullOf(const BoundExpr& e) { return Value::Null(e.type); }

Value FnArrayLength(const Args& a, const BoundExpr& e, ExecState&) {
  ArrayView v(a[0].s);
  int64_t d = a[1].i;
  if (d < 1 || d > v.ndim()) return NullOf(e);
  return Value::Int32(v.dim(static_cast<int>(d - 1)));
}

Value FnArrayLower(const Args& a, const BoundExpr& e, ExecState&) {
  ArrayView v(a[0].s);
  int64_t d = a[1].i;
  if (d < 1 || d > v.ndim()) return NullOf(e);
  return Value::Int32(v.lower_bound(static_cast<int>(d - 1)));
}

}  // namespace

std::vector<Value> GenerateSubscripts(const std::vector<Value>& a, const BoundExpr&, ExecState&) {
  ArrayView v(a[0].s);
  const int64_t d = a[1].i;
  if (d < 1 || d > v.ndim()) return {};
  const int k = static_cast<int>(d - 1);
  const bool reverse = a.size() > 2 && a[2].i != 0;
  std::vector<Value> out;
  for (int i = 0; i < v.dim(k); ++i) {
    out.push_back(Value::Int32(v.lower_bound(k) + (reverse ? v.dim(k) - 1 - i : i)));
  }
  return out;
}

namespace {

Value FnArrayUpper(const Args& a, const BoundExpr& e, ExecState&) {
  ArrayView v(a[0].s);
  int64_t d = a[1].i;
  if (d < 1 || d > v.ndim()) return NullOf(e);
  int k = static_cast<int>(d - 1);
  return Value::Int32(v.lower_bound(k) + v.dim(k) - 1);
}

Value FnArrayNdims(const Args& a, const BoundExpr& e, ExecState&) {
  ArrayView v(a[0].s);
  if (v.ndim() == 0) return NullOf(e);
  return Value::Int32(v.ndim());
}

Value FnArrayDims(const Args& a, const BoundExpr& e, ExecState&) {
  ArrayView v(a[0].s);
  if (v.ndim() == 0) return NullOf(e);
  std::string s;
  for (int d = 0; d < v.ndim(); ++d) {
    s += fmt::format("[{}:{}]", v.lower_bound(d), v.lower_bound(d) + v.dim(d) - 1);
  }
  return Value::Text(s);
}

Value FnCardinality(const Args& a, const BoundExpr&, ExecState&) {
  return Value::Int32(static_cast<int32_t>(ArrayView(a[0].s).size()));
}

// array_append / array_prepend: a one-dimensional (or empty) array grown by one element, its
// lower bound kept.
Value Extend(const Value& arr, const Value& x, const BoundExpr& e, bool append) {
  Parts p = arr.is_null ? Parts{} : Explode(arr);
  if (p.ndim() > 1) {
    Throw(SqlState::kDataException, "argument must be empty or one-dimensional array");
  }
  Value elem = x;
  if (!elem.is_null) elem.type = ElementTypeOf(e.type);
  if (append) {
    p.elems.push_back(elem);
  } else {
    p.elems.insert(p.elems.begin(), elem);
  }
  int lb = p.ndim() == 0 ? 1 : p.lbs[0];
  return Build(e.type, p.elems, {static_cast<int>(p.elems.size())}, {lb});
}

Value FnArrayAppend(const Args& a, const BoundExpr& e, ExecState&) {
  return Extend(a[0], a[1], e, true);
}

Value FnArrayPrepend(const Args& a, const BoundExpr& e, ExecState&) {
  return Extend(a[1], a[0], e, false);
}

Value FnArrayCat(const Args& a, const BoundExpr& e, ExecState&) {
  if (a[0].is_null && a[1].is_null) return NullOf(e);
  if (a[0].is_null) return a[1];
  if (a[1].is_null) return a[0];
  Parts x = Explode(a[0]), y = Explode(a[1]);
  if (y.ndim() == 0) return a[0];
  if (x.ndim() == 0) return a[1];
  auto incompatible = [] {
    throw Error(SqlState::kArraySubscriptError, "cannot concatenate incompatible arrays")
        .Detail("Arrays with differing element dimensions are not compatible for concatenation.");
  };
  std::vector<int> dims, lbs;
  if (x.ndim() == y.ndim()) {
    if (!std::equal(x.dims.begin() + 1, x.dims.end(), y.dims.begin() + 1)) incompatible();
    dims = x.dims;
    dims[0] += y.dims[0];
    lbs = x.lbs;
  } else if (x.ndim() == y.ndim() - 1) {  // an element prepended to an array of elements
    if (!std::equal(x.dims.begin(), x.dims.end(), y.dims.begin() + 1)) incompatible();
    dims = y.dims;
    dims[0] += 1;
    lbs = y.lbs;
  } else if (x.ndim() == y.ndim() + 1) {
    if (!std::equal(y.dims.begin(), y.dims.end(), x.dims.begin() + 1)) incompatible();
    dims = x.dims;
    dims[0] += 1;
    lbs = x.lbs;
  } else {
    throw Error(SqlState::kArraySubscriptError, "cannot concatenate incompatible arrays")
        .Detail(fmt::format("Arrays of {} and {} dimensions are not compatible for concatenation.",
                            x.ndim(), y.ndim()));
  }
  for (Value& v : y.elems) x.elems.push_back(std::move(v));
  return Build(e.type, x.elems, dims, lbs);
}

bool NotDistinct(const Value& a, const Value& b) {
  if (a.is_null || b.is_null) return a.is_null && b.is_null;
  return CompareValues(a, b) == 0;
}

// `message`: PostgreSQL's 0A000 for a multi-dimensional array.
Parts OneDimensional(const Value& arr, const char* message) {
  Parts p = Explode(arr);
  if (p.ndim() > 1) throw Error(SqlState::kFeatureNotSupported, message);
  return p;
}

constexpr const char* kSearchMultiDim =
    "searching for elements in multidimensional arrays is not supported";

Value FnArrayPosition(const Args& a, const BoundExpr& e, ExecState&) {
  if (a[0].is_null) return NullOf(e);
  Parts p = OneDimensional(a[0], kSearchMultiDim);
  if (p.ndim() == 0) return NullOf(e);
  size_t start = 0;
  if (a.size() > 2) {
    if (a[2].is_null) Throw(SqlState::kNullValueNotAllowed, "initial position must not be null");
    start = static_cast<size_t>(std::max<int64_t>(0, a[2].i - p.lbs[0]));
  }
  for (size_t i = start; i < p.elems.size(); ++i) {
    if (NotDistinct(p.elems[i], a[1])) return Value::Int32(p.lbs[0] + static_cast<int>(i));
  }
  return NullOf(e);
}

Value FnArrayPositions(const Args& a, const BoundExpr& e, ExecState&) {
  if (a[0].is_null) return NullOf(e);
  Parts p = OneDimensional(a[0], kSearchMultiDim);
  std::vector<Value> found;
  for (size_t i = 0; i < p.elems.size(); ++i) {
    if (NotDistinct(p.elems[i], a[1]))
      found.push_back(Value::Int32(p.lbs[0] + static_cast<int>(i)));
  }
  return MakeArrayValue(e.type, found);
}

// width_bucket(operand, thresholds): the number of thresholds <= operand, by binary search
// over the (assumed sorted) thresholds, as PostgreSQL's width_bucket_array.
Value FnWidthBucketArray(const Args& a, const BoundExpr& e, ExecState&) {
  if (a[0].is_null || a[1].is_null) return NullOf(e);
  Parts p = Explode(a[1]);
  if (p.ndim() > 1) {
    Throw(SqlState::kArraySubscriptError, "thresholds must be one-dimensional array");
  }
  for (const Value& v : p.elems) {
    if (v.is_null) Throw(SqlState::kNullValueNotAllowed, "thresholds array must not contain NULLs");
  }
  size_t left = 0, right = p.elems.size();
  while (left < right) {
    size_t mid = (left + right) / 2;
    if (CompareValues(a[0], p.elems[mid]) < 0) {
      right = mid;
    } else {
      left = mid + 1;
    }
  }
  return Value::Int32(static_cast<int32_t>(left));
}

Value FnArrayRemove(const Args& a, const BoundExpr& e, ExecState&) {
  if (a[0].is_null) return NullOf(e);
  Parts p = OneDimensional(a[0], "removing elements from multidimensional arrays is not supported");
  if (p.ndim() == 0) return a[0];
  std::vector<Value> kept;
  for (Value& v : p.elems) {
    if (!NotDistinct(v, a[1])) kept.push_back(std::move(v));
  }
  if (kept.empty()) return Empty(e.type);
  return Build(e.type, kept, {static_cast<int>(kept.size())}, {p.lbs[0]});
}

Value FnArrayReplace(const Args& a, const BoundExpr& e, ExecState&) {
  if (a[0].is_null) return NullOf(e);
  Parts p = Explode(a[0]);
  for (Value& v : p.elems) {
    if (NotDistinct(v, a[1])) {
      v = a[2];
      v.type = ElementTypeOf(e.type);
    }
  }
  return Build(e.type, p.elems, p.dims, p.lbs);
}

Value FnArrayToString(const Args& a, const BoundExpr& e, ExecState& st) {
  if (a[0].is_null || a[1].is_null) return NullOf(e);
  const bool has_null_text = a.size() > 2 && !a[2].is_null;
  std::string out;
  bool first = true;
  ArrayView(a[0].s).ForEach(ElementTypeOf(a[0].type), [&](size_t, const Value& v) {
    if (v.is_null && !has_null_text) return;
    if (!first) out += a[1].s;
    first = false;
    out += v.is_null ? a[2].s : FormatValue(v, st.ctx.format);
  });
  return Value::Text(out);
}

Value FnStringToArray(const Args& a, const BoundExpr& e, ExecState&) {
  if (a[0].is_null) return NullOf(e);
  const std::string& s = a[0].s;
  const bool has_null_text = a.size() > 2 && !a[2].is_null;
  std::vector<Value> out;
  auto add = [&](std::string piece) {
    if (has_null_text && piece == a[2].s) {
      out.push_back(Value::Null(Type::Of(TypeId::kText)));
    } else {
      out.push_back(Value::Text(std::move(piece)));
    }
  };
  if (s.empty()) return Empty(e.type);
  if (a[1].is_null) {  // every character
    for (size_t i = 0; i < s.size();) {
      size_t len = 1;
      unsigned char c = static_cast<unsigned char>(s[i]);
      if (c >= 0xF0) {
        len = 4;
      } else if (c >= 0xE0) {
        len = 3;
      } else if (c >= 0xC0) {
        len = 2;
      }
      add(s.substr(i, len));
      i += len;
    }
  } else if (a[1].s.empty()) {
    add(s);
  } else {
    size_t pos = 0;
    for (;;) {
      size_t next = s.find(a[1].s, pos);
      if (next == std::string::npos) {
        add(s.substr(pos));
        break;
      }
      add(s.substr(pos, next - pos));
      pos = next + a[1].s.size();
    }
  }
  return MakeArrayValue(e.type, out);
}

Value FnArrayFill(const Args& a, const BoundExpr& e, ExecState&) {
  if (a[1].is_null || (a.size() > 2 && a[2].is_null)) {
    Throw(SqlState::kNullValueNotAllowed, "dimension array or low bound array cannot be null");
  }
  Parts d = Explode(a[1]);
  std::vector<int> dims, lbs;
  size_t total = 1;
  for (const Value& v : d.elems) {
    if (v.is_null) Throw(SqlState::kNullValueNotAllowed, "dimension values cannot be null");
    dims.push_back(static_cast<int>(v.i));
    if (v.i < 0) {
      Throw(SqlState::kArraySubscriptError, "array size exceeds the maximum allowed ({})",
            134217727);
    }
    total *= static_cast<size_t>(v.i);
  }
  if (d.ndim() > 1) {
    throw Error(SqlState::kArraySubscriptError, "wrong number of array subscripts")
        .Detail("Dimension array must be one dimensional.");
  }
  CheckDims(dims.size());
  if (a.size() > 2) {
    Parts l = Explode(a[2]);
    if (l.elems.size() != dims.size()) {
      throw Error(SqlState::kArraySubscriptError, "wrong number of array subscripts")
          .Detail("Low bound array has different size than dimensions array.");
    }
    for (const Value& v : l.elems) {
      if (v.is_null) Throw(SqlState::kNullValueNotAllowed, "dimension values cannot be null");
      lbs.push_back(static_cast<int>(v.i));
    }
  } else {
    lbs.assign(dims.size(), 1);
  }
  if (dims.empty() || total == 0) return Empty(e.type);
  if (total > 134217727) {
    Throw(SqlState::kProgramLimitExceeded, "array size exceeds the maximum allowed ({})",
          134217727);
  }
  Value x = a[0];
  if (!x.is_null) x.type = ElementTypeOf(e.type);
  return Build(e.type, std::vector<Value>(total, x), dims, lbs);
}

// array_contain_compare: every element of `sub` equals some element of `super` (NULLs match
// nothing); with `any`, some element does.
bool Contains(const Value& super, const Value& sub, bool any) {
  std::vector<Value> xs = Explode(super).elems, ys = Explode(sub).elems;
  for (const Value& y : ys) {
    bool found = false;
    if (!y.is_null) {
      for (const Value& x : xs) {
        if (!x.is_null && CompareValues(x, y) == 0) {
          found = true;
          break;
        }
      }
    }
    if (any && found) return true;
    if (!any && !found) return false;
  }
  return !any;
}

Value FnArrayContains(const Args& a, const BoundExpr&, ExecState&) {
  return Value::Bool(Contains(a[0], a[1], false));
}
Value FnArrayContained(const Args& a, const BoundExpr&, ExecState&) {
  return Value::Bool(Contains(a[1], a[0], false));
}
Value FnArrayOverlap(const Args& a, const BoundExpr&, ExecState&) {
  return Value::Bool(Contains(a[0], a[1], true));
}

// 54000 when an assignment would grow an array past PostgreSQL's MaxArraySize (checked before
// any memory is taken: a[2147483647] = x must fail, not allocate).
void CheckGrownSize(int64_t lo, int64_t hi) {
  constexpr int64_t kMaxArraySize = 134217727;
  if (hi - lo + 1 > kMaxArraySize) {
    Throw(SqlState::kProgramLimitExceeded, "array size exceeds the maximum allowed ({})",
          kMaxArraySize);
  }
}

// UPDATE SET a[i][j] = x: a[i][j] replaced; a one-dimensional array (or an empty / NULL one)
// grows to the subscript with NULLs in between, as PostgreSQL's array_set_element.
Value FnArraySet(const Args& a, const BoundExpr& e, ExecState&) {
  const size_t nsub = e.slices.size();
  std::vector<int64_t> idx(nsub);
  for (size_t k = 0; k < nsub; ++k) {
    if (a[2 + 2 * k].is_null) {
      Throw(SqlState::kNullValueNotAllowed, "array subscript in assignment must not be null");
    }
    idx[k] = a[2 + 2 * k].i;
  }
  Value x = a[1];
  if (!x.is_null) x.type = ElementTypeOf(e.type);
  Parts p = a[0].is_null ? Parts{} : Explode(a[0]);
  if (p.ndim() == 0) {  // a new array of one element, its lower bounds the subscripts
    CheckDims(nsub);
    std::vector<int> dims(nsub, 1), lbs;
    for (int64_t i : idx) lbs.push_back(static_cast<int>(i));
    return Build(e.type, {x}, dims, lbs);
  }
  if (static_cast<int>(nsub) != p.ndim()) {
    Throw(SqlState::kArraySubscriptError, "wrong number of array subscripts");
  }
  if (p.ndim() == 1) {
    int64_t lb = p.lbs[0], ub = lb + p.dims[0] - 1, i = idx[0];
    CheckGrownSize(std::min(lb, i), std::max(ub, i));
    if (i < lb) {
      p.elems.insert(p.elems.begin(), static_cast<size_t>(lb - i), Value::Null(x.type));
      p.lbs[0] = static_cast<int>(i);
      lb = i;
    } else if (i > ub) {
      p.elems.resize(p.elems.size() + static_cast<size_t>(i - ub), Value::Null(x.type));
    }
    p.elems[static_cast<size_t>(i - lb)] = x;
    p.dims[0] = static_cast<int>(p.elems.size());
    return Build(e.type, p.elems, p.dims, p.lbs);
  }
  size_t offset = 0;
  for (int d = 0; d < p.ndim(); ++d) {
    int64_t i = idx[d] - p.lbs[d];
    if (i < 0 || i >= p.dims[d])
      Throw(SqlState::kArraySubscriptError, "array subscript out of range");
    offset = offset * static_cast<size_t>(p.dims[d]) + static_cast<size_t>(i);
  }
  p.elems[offset] = x;
  return Build(e.type, p.elems, p.dims, p.lbs);
}

// UPDATE SET a[lo:hi]... = source (array_set_slice): the box filled from the source's elements
// in order (2202E "source array too small"); a one-dimensional array grows with NULLs, an
// empty one takes the box's shape (every bound given); a NULL source changes nothing.
Value FnArraySetSlice(const Args& a, const BoundExpr& e, ExecState&) {
  if (a[1].is_null) return a[0];
  const size_t nsub = e.slices.size();
  std::vector<std::optional<int64_t>> lo(nsub), hi(nsub);
  for (size_t k = 0; k < nsub; ++k) {
    const bool lo_given = e.children[2 + 2 * k]->op != "omitted";
    const bool hi_given = e.children[3 + 2 * k]->op != "omitted";
    if ((lo_given && a[2 + 2 * k].is_null) || (hi_given && a[3 + 2 * k].is_null)) {
      Throw(SqlState::kNullValueNotAllowed, "array subscript in assignment must not be null");
    }
    if (!e.slices[k]) {  // a plain subscript among slices means 1:i
      lo[k] = 1;
      hi[k] = a[2 + 2 * k].i;
      continue;
    }
    if (lo_given) lo[k] = a[2 + 2 * k].i;
    if (hi_given) hi[k] = a[3 + 2 * k].i;
  }
  std::vector<Value> source = Explode(a[1]).elems;
  for (Value& v : source) {
    if (!v.is_null) v.type = ElementTypeOf(e.type);
  }
  Parts p = a[0].is_null ? Parts{} : Explode(a[0]);
  auto too_small = [] { Throw(SqlState::kArraySubscriptError, "source array too small"); };
  if (p.ndim() == 0) {
    std::vector<int> dims, lbs;
    size_t total = 1;
    for (size_t k = 0; k < nsub; ++k) {
      if (!lo[k] || !hi[k]) {
        throw Error(SqlState::kArraySubscriptError,
                    "array slice subscript must provide both boundaries")
            .Detail(
                "When assigning to a slice of an empty array value, slice boundaries must be "
                "fully specified.");
      }
      if (*hi[k] < *lo[k]) {
        Throw(SqlState::kArraySubscriptError, "upper bound cannot be less than lower bound");
      }
      CheckGrownSize(*lo[k], *hi[k]);
      dims.push_back(static_cast<int>(*hi[k] - *lo[k] + 1));
      lbs.push_back(static_cast<int>(*lo[k]));
      total *= static_cast<size_t>(dims.back());
      if (total > 134217727) CheckGrownSize(1, static_cast<int64_t>(total));
    }
    CheckDims(dims.size());
    if (source.size() < total) too_small();
    source.resize(total);
    return Build(e.type, source, dims, lbs);
  }
  if (static_cast<int>(nsub) > p.ndim()) {
    Throw(SqlState::kArraySubscriptError, "wrong number of array subscripts");
  }
  const int nd = p.ndim();
  std::vector<int64_t> from(nd), to(nd);
  for (int d = 0; d < nd; ++d) {
    int64_t lb = p.lbs[d], ub = lb + p.dims[d] - 1;
    from[d] = d < static_cast<int>(nsub) && lo[d] ? *lo[d] : lb;
    to[d] = d < static_cast<int>(nsub) && hi[d] ? *hi[d] : ub;
    if (to[d] < from[d]) {
      Throw(SqlState::kArraySubscriptError, "upper bound cannot be less than lower bound");
    }
    if (nd > 1 && (from[d] < lb || to[d] > ub)) {
      Throw(SqlState::kArraySubscriptError, "array subscript out of range");
    }
  }
  if (nd == 1) {  // grow to cover [from, to]
    int64_t lb = p.lbs[0], ub = lb + p.dims[0] - 1;
    CheckGrownSize(std::min(lb, from[0]), std::max(ub, to[0]));
    if (from[0] < lb) {
      p.elems.insert(p.elems.begin(), static_cast<size_t>(lb - from[0]),
                     Value::Null(ElementTypeOf(e.type)));
      lb = from[0];
    }
    if (to[0] > ub)
      p.elems.resize(p.elems.size() + static_cast<size_t>(to[0] - ub),
                     Value::Null(ElementTypeOf(e.type)));
    p.lbs[0] = static_cast<int>(lb);
    p.dims[0] = static_cast<int>(p.elems.size());
  }
  size_t box = 1;
  for (int d = 0; d < nd; ++d) box *= static_cast<size_t>(to[d] - from[d] + 1);
  if (source.size() < box) too_small();
  std::vector<int64_t> idx(nd, 0);
  size_t next = 0;
  for (size_t k = 0; k < p.elems.size(); ++k) {
    bool in = true;
    for (int d = 0; d < nd && in; ++d) {
      int64_t s = idx[d] + p.lbs[d];
      in = s >= from[d] && s <= to[d];
    }
    if (in) p.elems[k] = source[next++];
    for (int d = nd - 1; d >= 0; --d) {
      if (++idx[d] < p.dims[d]) break;
      idx[d] = 0;
    }
  }
  return Build(e.type, p.elems, p.dims, p.lbs);
}

// trim_array(a, n): the first dimension shortened by n (2202E outside 0..length), with lower
// bounds 1 as a slice has.
Value FnTrimArray(const Args& a, const BoundExpr& e, ExecState&) {
  Parts p = Explode(a[0]);
  const int64_t len = p.ndim() == 0 ? 0 : p.dims[0];
  if (a[1].i < 0 || a[1].i > len) {
    Throw(SqlState::kArraySubscriptError, "number of elements to trim must be between 0 and {}",
          len);
  }
  if (a[1].i == len) return Empty(e.type);
  size_t inner = len == 0 ? 0 : p.elems.size() / static_cast<size_t>(len);
  p.dims[0] = static_cast<int>(len - a[1].i);
  p.elems.resize(inner * static_cast<size_t>(p.dims[0]));
  return Build(e.type, p.elems, p.dims, std::vector<int>(p.dims.size(), 1));  // a slice
}

}  // namespace

void EvaluateArrayExpression(const BoundExpr& e, const DataChunk& in, ExecState& st, Vector* out) {
  switch (e.kind) {
    case BoundExprKind::kArray:
      EvalConstructor(e, in, st, out);
      return;
    case BoundExprKind::kSubscript:
      EvalSubscript(e, in, st, out);
      return;
    case BoundExprKind::kArrayAnyAll:
      EvalAnyAll(e, in, st, out);
      return;
    default:
      Throw(SqlState::kInternalError, "not an array expression");
  }
}

Value ArrayFromRows(const std::vector<std::vector<Value>>& rows, Type type) {
  std::vector<Value> values;
  values.reserve(rows.size());
  for (const auto& row : rows) values.push_back(row.at(0));
  if (!values.empty() && IsArrayType(values[0].type.id) && type == values[0].type) {
    return Stack(values, type, true);
  }
  return MakeArrayValue(type, values);
}

Value AccumulateArray(const std::vector<Value>& values, Type type) {
  if (!values.empty() && IsArrayType(values[0].type.id)) return Stack(values, type, true);
  return MakeArrayValue(type, values);
}

const std::vector<ArrayFunctionEntry>& ArrayFunctionEntries() {
  static const std::vector<ArrayFunctionEntry> kFns = {
      {"array_length", FnArrayLength, true},
      {"array_lower", FnArrayLower, true},
      {"array_upper", FnArrayUpper, true},
      {"array_ndims", FnArrayNdims, true},
      {"array_dims", FnArrayDims, true},
      {"cardinality", FnCardinality, true},
      {"array_append", FnArrayAppend, false},
      {"array_prepend", FnArrayPrepend, false},
      {"array_cat", FnArrayCat, false},
      {"array_position", FnArrayPosition, false},
      {"array_positions", FnArrayPositions, false},
      {"array_remove", FnArrayRemove, false},
      {"array_replace", FnArrayReplace, false},
      {"array_to_string", FnArrayToString, false},
      {"string_to_array", FnStringToArray, false},
      {"array_fill", FnArrayFill, false},
      {"array_contains", FnArrayContains, true},
      {"array_contained", FnArrayContained, true},
      {"array_overlap", FnArrayOverlap, true},
      {"array_set", FnArraySet, false},
      {"array_set_slice", FnArraySetSlice, false},
      {"trim_array", FnTrimArray, true},
      {"width_bucket_array", FnWidthBucketArray, true},
  };
  return kFns;
}

}  // namespace activestore::executor
