// Binding of array expressions (parse_expr.c's transformArrayExpr, transformIndirection,
// make_scalar_array_op; parse_func.c's polymorphic resolution for the array functions):
// ARRAY[...] and ARRAY(subquery), subscripts and slices, `x op ANY/ALL (array)`, the array
// operators (||, @>, <@, &&) and the array functions.
#include <algorithm>

#include "common/array.h"
#include "common/json.h"
#include "common/point.h"
#include "planner/binder.h"

namespace activestore::planner {
namespace {

bool IsArray(const BoundExprPtr& e) { return IsArrayType(e->type.id); }

// Searching or comparing elements needs the element type's equality (array_eq's typcache
// lookup): 42883 for arrays of json or point.
void RequireElementEquality(const BoundExprPtr& array) {
  if (!IsArray(array)) return;
  const TypeId elem = ArrayElementType(array->type.id);
  if (!HasBtreeOperators(elem)) {
    Throw(SqlState::kUndefinedFunction, "could not identify an equality operator for type {}",
          TypeName(Type::Of(elem)));
  }
}
bool IsUnknown(const BoundExprPtr& e) { return e->type.id == TypeId::kUnknown; }

Type ArrayOf(Type elem, int location) {
  std::optional<TypeId> a = ArrayTypeOf(elem.id);
  if (!a) {
    ThrowAt(location, SqlState::kUndefinedObject, "could not find array type for data type {}",
            TypeName(Type::Of(elem.id)));
  }
  return Type{*a, elem.typmod};
}

// A placeholder with the omitted bound of a slice (a[:2]).
BoundExprPtr OmittedBound() {
  auto c = std::make_shared<BoundExpr>(*MakeConst(Value::Null(T(TypeId::kInt32))));
  c->op = "omitted";
  return c;
}

// How an array function's arguments are typed (pg_proc's polymorphic signatures).
enum class Arg { kArray, kElem, kInt, kText, kIntArray, kBool };
struct ArrayFunction {
  const char* name;
  std::vector<Arg> args;
  size_t min_args;
  enum class Result { kInt, kText, kBool, kArray, kIntArray, kTextArray } result;
};

const std::vector<ArrayFunction>& ArrayFunctions() {
  using A = Arg;
  using R = ArrayFunction::Result;
  static const std::vector<ArrayFunction> kFns = {
      {"array_length", {A::kArray, A::kInt}, 2, R::kInt},
      {"array_lower", {A::kArray, A::kInt}, 2, R::kInt},
      {"array_upper", {A::kArray, A::kInt}, 2, R::kInt},
      {"array_ndims", {A::kArray}, 1, R::kInt},
      {"array_dims", {A::kArray}, 1, R::kText},
      {"cardinality", {A::kArray}, 1, R::kInt},
      {"array_append", {A::kArray, A::kElem}, 2, R::kArray},
      {"array_prepend", {A::kElem, A::kArray}, 2, R::kArray},
      {"array_cat", {A::kArray, A::kArray}, 2, R::kArray},
      {"array_position", {A::kArray, A::kElem, A::kInt}, 2, R::kInt},
      {"array_positions", {A::kArray, A::kElem}, 2, R::kIntArray},
      {"array_remove", {A::kArray, A::kElem}, 2, R::kArray},
      {"array_replace", {A::kArray, A::kElem, A::kElem}, 3, R::kArray},
      {"array_to_string", {A::kArray, A::kText, A::kText}, 2, R::kText},
      {"string_to_array", {A::kText, A::kText, A::kText}, 2, R::kTextArray},
      {"array_fill", {A::kElem, A::kIntArray, A::kIntArray}, 2, R::kArray},
      {"trim_array", {A::kArray, A::kInt}, 2, R::kArray},
      {"array_contains", {A::kArray, A::kArray}, 2, R::kBool},
      {"array_contained", {A::kArray, A::kArray}, 2, R::kBool},
      {"array_overlap", {A::kArray, A::kArray}, 2, R::kBool},
      // width_bucket(anycompatible, anycompatiblearray); the 4-argument forms are scalar.
      {"width_bucket", {A::kElem, A::kArray}, 2, R::kInt},
      // generate_subscripts(anyarray, dim [, reverse]): a set of the dimension's subscripts.
      {"generate_subscripts", {A::kArray, A::kInt, A::kBool}, 2, R::kInt},
  };
  return kFns;
}

}  // namespace

bool IsArrayFunctionName(const std::string& name, size_t nargs) {
  if (name == "width_bucket") return nargs == 2;
  for (const ArrayFunction& f : ArrayFunctions()) {
    if (name == f.name) return true;
  }
  return name == "unnest";
}

Type Binder::CommonElementType(const std::vector<Type>& candidates, int location,
                               const char* context) {
  std::vector<BoundExprPtr> dummies;
  std::vector<int> locs;
  for (Type t : candidates) {
    dummies.push_back(MakeConst(Value::Null(t)));
    locs.push_back(location);
  }
  if (dummies.empty()) return T(TypeId::kUnknown);
  return CommonType(&dummies, locs, context);
}

BoundExprPtr Binder::BindArrayConstructor(const ast::Expr& e) {
  if (e.subquery) {
    bool correlated = false;
    PlanPtr plan = PlanSubquery(*e.subquery, &correlated);
    if (plan->output_types.size() != 1) {
      ThrowAt(e.location, SqlState::kSyntaxError, "subquery must return only one column");
    }
    auto n = std::make_shared<BoundExpr>();
    n->kind = BoundExprKind::kSubquery;
    n->op = "array";
    n->subquery = plan;
    n->correlated = correlated;
    Type elem = plan->output_types[0];
    if (elem.id == TypeId::kUnknown) elem = T(TypeId::kText);
    n->type = IsArrayType(elem.id) ? elem : ArrayOf(elem, e.location);
    return n;
  }
  if (e.args.empty()) {
    throw Error(SqlState::kIndeterminateDatatype, "cannot determine type of empty array")
        .Hint("Explicitly cast to the desired type, for example ARRAY[]::integer[].")
        .Position(e.location + 1);
  }
  std::vector<BoundExprPtr> elems;
  std::vector<int> locs;
  for (const auto& a : e.args) {
    elems.push_back(BindExpr(*a));
    locs.push_back(a->location);
  }
  Type t = CommonType(&elems, locs, "ARRAY");
  if (t.id == TypeId::kUnknown) {
    t = T(TypeId::kText);
    for (size_t i = 0; i < elems.size(); ++i) {
      elems[i] = Coerce(elems[i], t, CoercionContext::kImplicit, locs[i]);
    }
  }
  // Sub-arrays (ARRAY[ARRAY[1,2], ARRAY[3,4]] or ARRAY[[1,2],[3,4]]) make one more dimension.
  Type result = IsArrayType(t.id) ? t : ArrayOf(t, e.location);
  return MakeExpr(BoundExprKind::kArray, result, std::move(elems));
}

// ARRAY[...]::T[] (transformArrayExpr with a target type): each element is cast to T
// (explicitly, at its own position), nested ARRAY[...] to T[], rather than the elements'
// common type being cast afterwards, so ARRAY[1, 'NaN']::float8[] reads 'NaN' as a float8.
BoundExprPtr Binder::BindArrayConstructorAs(const ast::Expr& e, Type to) {
  if (e.args.empty()) return MakeConst(MakeArrayValue(to, {}));
  const Type elem = ElementTypeOf(to);
  std::vector<BoundExprPtr> elems;
  std::vector<int> locs;
  bool multidim = false;
  for (const auto& a : e.args) {
    if (a->kind == ast::ExprKind::kArray && !a->subquery) {
      elems.push_back(BindArrayConstructorAs(*a, to));
      multidim = true;
    } else {
      elems.push_back(BindExpr(*a));
      multidim |= IsArray(elems.back());
    }
    locs.push_back(a->location);
  }
  for (size_t i = 0; i < elems.size(); ++i) {
    const bool literal = elems[i]->kind == BoundExprKind::kConstant && IsUnknown(elems[i]);
    elems[i] = Coerce(elems[i], multidim ? to : elem, CoercionContext::kExplicit,
                      literal ? locs[i] : e.location);
  }
  return MakeExpr(BoundExprKind::kArray, to, std::move(elems));
}

BoundExprPtr Binder::BindSelectListUnnest(const ast::Expr& e, std::vector<BoundExprPtr> args) {
  if (clause_ != Clause::kSelectList || in_aggregate_) {
    ThrowAt(e.location, SqlState::kFeatureNotSupported,
            "unnest() is supported only in FROM and as a select-list item");
  }
  if (args.size() == 1 && IsUnknown(args[0])) {
    Error err(SqlState::kAmbiguousFunction, "function unnest(unknown) is not unique");
    err.Hint(
        "Could not choose a best candidate function. You might need to add explicit type "
        "casts.");
    if (e.location >= 0) err.Position(e.location + 1);
    throw err;
  }
  if (args.size() != 1 || !IsArray(args[0])) ThrowNoFunction(e.location, "unnest", args);
  ++srf_count_;
  last_srf_location_ = e.location;
  Type elem = ElementTypeOf(args[0]->type);
  return MakeExpr(BoundExprKind::kFunction, elem, std::move(args), "unnest");
}

PlanPtr MakeProjectSet(PlanPtr plan) {
  auto is_srf = [](const BoundExpr& n) {  // unnest or another set-returning function
    return IsSetReturningCall(n);
  };
  bool any = false, nested = false;
  for (const auto& e : plan->exprs) {
    any |= is_srf(*e);
    VisitExpr(e, [&](const BoundExpr& n, int depth) {
      nested |= &n != e.get() && depth == 0 && is_srf(n);
    });
  }
  if (!any && !nested) return plan;
  PlanPtr child = plan->children.empty() ? MakeProject(nullptr, {}, {}) : plan->children[0];
  if (!nested) {
    auto node = std::make_shared<PlanNode>(*plan);
    node->kind = PlanKind::kProjectSet;
    node->children = {child};
    return node;
  }
  // A set-returning call inside an expression (abs(unnest(a))): as PostgreSQL 10+, a
  // ProjectSet below computes the input's columns and every set-returning call of the list
  // (in lockstep); the projection above uses their results.
  std::vector<BoundExprPtr> lower;
  std::vector<std::string> lower_names;
  const size_t width = child->output_types.size();
  for (size_t i = 0; i < width; ++i) {
    lower.push_back(MakeColumn(static_cast<int>(i), child->output_types[i]));
    lower_names.push_back(i < child->output_names.size() ? child->output_names[i] : "?column?");
  }
  std::vector<BoundExprPtr> upper;
  for (const auto& e : plan->exprs) {
    upper.push_back(RewriteExpr(
        e,
        [&](const BoundExpr& x, int depth) -> BoundExprPtr {
          if (depth != 0 || !is_srf(x)) return nullptr;
          for (const auto& c : x.children) {
            VisitExpr(c, [&](const BoundExpr& n, int d) {
              if (d == 0 && is_srf(n)) {
                Throw(SqlState::kFeatureNotSupported,
                      "set-returning functions as arguments of set-returning functions are "
                      "not supported");
              }
            });
          }
          lower.push_back(std::make_shared<BoundExpr>(x));
          lower_names.push_back(x.op);
          return MakeColumn(static_cast<int>(lower.size() - 1), x.type);
        },
        false));
  }
  auto set = std::const_pointer_cast<PlanNode>(MakeProject(child, lower, lower_names));
  set->kind = PlanKind::kProjectSet;
  auto node = std::make_shared<PlanNode>(*plan);
  node->kind = PlanKind::kProject;  // (a kResult when the query has no FROM)
  node->exprs = std::move(upper);
  node->children = {set};
  return node;
}

BoundExprPtr Binder::BindEmptyArrayCast(const ast::Expr& e, Type to) {
  if (!IsArrayType(to.id)) {
    throw Error(SqlState::kIndeterminateDatatype, "cannot determine type of empty array")
        .Hint("Explicitly cast to the desired type, for example ARRAY[]::integer[].")
        .Position(e.location + 1);
  }
  return MakeConst(MakeArrayValue(to, {}));
}

void Binder::AppendSubscripts(const ast::Expr& e, std::vector<BoundExprPtr>* out) {
  for (size_t k = 0; k < e.subscript_slices.size(); ++k) {
    for (int side = 0; side < 2; ++side) {
      const ast::ExprPtr& x = e.args[1 + 2 * k + side];
      if (!x) {
        out->push_back(OmittedBound());
        continue;
      }
      BoundExprPtr b = BindExpr(*x);
      if (!IsUnknown(b) && !CanCoerce(b->type.id, TypeId::kInt32, CoercionContext::kAssignment)) {
        ThrowAt(x->location, SqlState::kDatatypeMismatch, "array subscript must have type integer");
      }
      out->push_back(Coerce(b, T(TypeId::kInt32), CoercionContext::kAssignment, x->location));
    }
  }
}

BoundExprPtr Binder::BindSubscript(const ast::Expr& e) {
  BoundExprPtr base = BindExpr(*e.args[0]);
  if (base->type.id == kJsonbType) return BindJsonbSubscript(e, base);
  if (base->type.id == kPointType) return BindPointSubscript(e, base);
  if (base->type.id == TypeId::kName) {
    // name is a fixed-length array of "char" (raw_array_subscript_handler): pg_dump reads
    // typname[0].
    for (bool slice : e.subscript_slices) {
      if (slice) {
        ThrowAt(e.location, SqlState::kFeatureNotSupported,
                "slices of fixed-length arrays not implemented");
      }
    }
    std::vector<BoundExprPtr> children = {base};
    for (size_t k = 0; k < e.subscript_slices.size(); ++k) {
      const ast::ExprPtr& x = e.args[1 + 2 * k] ? e.args[1 + 2 * k] : e.args[2 + 2 * k];
      children.push_back(
          Coerce(BindExpr(*x), T(TypeId::kInt32), CoercionContext::kAssignment, x->location));
    }
    return MakeExpr(BoundExprKind::kFunction, T(TypeId::kChar), std::move(children),
                    "name_subscript");
  }
  if (IsUnknown(base) || !IsArray(base)) {
    ThrowAt(e.args[0]->location, SqlState::kDatatypeMismatch,
            "cannot subscript type {} because it does not support subscripting",
            TypeDisplayName(base->type));
  }
  std::vector<BoundExprPtr> children = {base};
  bool any_slice = false;
  for (bool s : e.subscript_slices) any_slice |= s;
  if (e.subscript_slices.size() > static_cast<size_t>(kMaxArrayDims)) {
    Throw(SqlState::kProgramLimitExceeded,
          "number of array dimensions ({}) exceeds the maximum allowed ({})",
          e.subscript_slices.size(), kMaxArrayDims);
  }
  AppendSubscripts(e, &children);
  Type result = any_slice ? base->type : ElementTypeOf(base->type);
  auto n = MakeExpr(BoundExprKind::kSubscript, result, std::move(children));
  std::const_pointer_cast<BoundExpr>(n)->slices = e.subscript_slices;
  return n;
}

BoundExprPtr Binder::BindArrayAssignment(const ast::Expr& e, BoundExprPtr base, Type column_type,
                                         const std::string& name, BoundExprPtr value,
                                         int value_location) {
  if (column_type.id == kJsonbType) {
    return BindJsonbAssignment(e, std::move(base), name, std::move(value), value_location);
  }
  if (column_type.id == kPointType) {
    return BindPointAssignment(e, std::move(base), name, std::move(value), value_location);
  }
  if (!IsArrayType(column_type.id)) {
    // (PostgreSQL reports the position for UPDATE, not for INSERT.)
    ThrowAt(value ? -1 : e.location, SqlState::kDatatypeMismatch,
            "cannot subscript type {} because it does not support subscripting",
            TypeDisplayName(column_type));
  }
  if (e.subscript_slices.size() > static_cast<size_t>(kMaxArrayDims)) {
    Throw(SqlState::kProgramLimitExceeded,
          "number of array dimensions ({}) exceeds the maximum allowed ({})",
          e.subscript_slices.size(), kMaxArrayDims);
  }
  bool slice = false;
  for (bool s : e.subscript_slices) slice |= s;
  // An element takes the element type; a slice the array type.
  const Type elem = slice ? column_type : ElementTypeOf(column_type);
  if (!value) {
    value = BindExpr(*e.args[0]);
    value_location = e.args[0]->location;
  }
  if (!IsUnknown(value) && !CanCoerce(value->type.id, elem.id, CoercionContext::kAssignment)) {
    ThrowSubscriptAssignmentType(e.location, name, elem, value->type);
  }
  value = Coerce(value, elem, CoercionContext::kAssignment, value_location);
  std::vector<BoundExprPtr> children = {std::move(base), value};
  AppendSubscripts(e, &children);
  auto n = MakeExpr(BoundExprKind::kFunction, column_type, std::move(children),
                    slice ? "array_set_slice" : "array_set");
  std::const_pointer_cast<BoundExpr>(n)->slices = e.subscript_slices;
  return n;
}

BoundExprPtr Binder::BindArrayAnyAll(const ast::Expr& e) {
  BoundExprPtr x = BindExpr(*e.args[0]);
  BoundExprPtr arr = BindExpr(*e.args[1]);
  std::string op = e.op == "!=" ? "<>" : e.op;
  std::string upper = op;
  std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
  const bool like = upper == "LIKE" || upper == "NOT LIKE" || upper == "~~" || upper == "!~~";
  const bool ilike = upper == "ILIKE" || upper == "NOT ILIKE" || upper == "~~*" || upper == "!~~*";
  if (IsUnknown(arr)) {
    // '{1,2}' reads as an array of the left operand's type.
    Type elem = IsUnknown(x) || like || ilike ? T(TypeId::kText) : x->type;
    elem.typmod = -1;
    arr = Coerce(arr, ArrayOf(elem, e.args[1]->location), CoercionContext::kImplicit,
                 e.args[1]->location);
  }
  if (!IsArray(arr)) {
    ThrowAt(e.location, SqlState::kWrongObjectType,
            "op ANY/ALL (array) requires array on right side");
  }
  auto n = std::make_shared<BoundExpr>();
  n->kind = BoundExprKind::kArrayAnyAll;
  n->type = T(TypeId::kBool);
  n->sublink_all = e.sublink_all;
  if (like || ilike) {
    auto text = T(TypeId::kText);
    x = Coerce(x, text, CoercionContext::kImplicit, e.args[0]->location);
    arr = Coerce(arr, ArrayOf(text, e.location), CoercionContext::kImplicit, e.args[1]->location);
    n->op = ilike ? "ILIKE" : "LIKE";
    n->negated = upper.rfind("NOT", 0) == 0 || upper[0] == '!';
  } else if (op == "=" || op == "<>" || op == "<" || op == ">" || op == "<=" || op == ">=") {
    // The comparison an element would get decides both sides' types.
    BoundExprPtr probe = MakeConst(Value::Null(ElementTypeOf(arr->type)));
    BoundExprPtr cmp =
        BindComparison(op, x, probe, e.location, e.args[0]->location, e.args[1]->location);
    x = cmp->children[0];
    Type elem = cmp->children[1]->type;
    if (elem.id != ElementTypeOf(arr->type).id) {
      arr = Coerce(arr, ArrayOf(Type::Of(elem.id), e.location), CoercionContext::kImplicit,
                   e.args[1]->location);
    }
    n->op = op;
  } else {
    ThrowAt(e.location, SqlState::kFeatureNotSupported, "operator {} ANY/ALL is not supported",
            e.op);
  }
  n->children = {x, arr};
  return n;
}

BoundExprPtr Binder::BindArrayOperator(const std::string& op, BoundExprPtr l, BoundExprPtr r,
                                       int location) {
  const bool la = IsArray(l), ra = IsArray(r);
  if (!la && !ra) return nullptr;
  auto call = [&](const char* name, std::vector<BoundExprPtr> args) {
    ast::Expr fake(ast::ExprKind::kFuncCall, location);
    try {
      return BindArrayFunction(fake, name, std::move(args), {location, location});
    } catch (const Error& err) {
      if (err.state() != SqlState::kUndefinedFunction) throw;
      Error no_op(SqlState::kUndefinedFunction,
                  fmt::format("operator does not exist: {} {} {}", TypeDisplayName(l->type), op,
                              TypeDisplayName(r->type)));
      no_op.Hint(
          "No operator matches the given name and argument types. You might need to add "
          "explicit type casts.");
      if (location >= 0) no_op.Position(location + 1);
      throw no_op;
    }
  };
  if (op == "||") {
    if (la && (ra || IsUnknown(r))) return call("array_cat", {l, r});
    if (ra && IsUnknown(l)) return call("array_cat", {l, r});
    if (la) return call("array_append", {l, r});
    return call("array_prepend", {l, r});
  }
  if (op == "@>" || op == "<@" || op == "&&") {
    RequireElementEquality(l);
    RequireElementEquality(r);
  }
  if (op == "@>") return call("array_contains", {l, r});
  if (op == "<@") return call("array_contained", {l, r});
  if (op == "&&") return call("array_overlap", {l, r});
  return nullptr;
}

BoundExprPtr Binder::BindArrayFunction(const ast::Expr& e, const std::string& name,
                                       std::vector<BoundExprPtr> args,
                                       const std::vector<int>& locs) {
  const ArrayFunction* fn = nullptr;
  for (const ArrayFunction& f : ArrayFunctions()) {
    if (name == f.name && args.size() >= f.min_args && args.size() <= f.args.size()) fn = &f;
  }
  auto no_function = [&]() -> BoundExprPtr { ThrowNoFunction(e.location, name, args); };
  if (fn == nullptr) return no_function();
  // The element type: the common type of the array arguments' elements and the element
  // arguments (anycompatible); unknown literals follow it.
  std::vector<Type> candidates;
  for (size_t i = 0; i < args.size(); ++i) {
    if (IsUnknown(args[i])) continue;
    if (fn->args[i] == Arg::kArray) {
      if (!IsArray(args[i])) return no_function();
      candidates.push_back(ElementTypeOf(args[i]->type));
    } else if (fn->args[i] == Arg::kElem) {
      if (IsArray(args[i]) && name != "array_fill") return no_function();
      candidates.push_back(args[i]->type);
    }
  }
  const bool polymorphic = std::any_of(fn->args.begin(), fn->args.end(),
                                       [](Arg a) { return a == Arg::kArray || a == Arg::kElem; });
  Type elem = T(TypeId::kUnknown);
  if (polymorphic) {
    if (candidates.empty()) {
      ThrowAt(e.location, SqlState::kDatatypeMismatch,
              "could not determine polymorphic type because input has type unknown");
    }
    try {
      elem = CommonElementType(candidates, e.location, name.c_str());
    } catch (const Error&) {  // no common element type: no such function
      return no_function();
    }
    elem.typmod = -1;
  }
  for (size_t i = 0; i < args.size(); ++i) {
    Type to;
    switch (fn->args[i]) {
      case Arg::kArray:
        to = ArrayOf(elem, locs[i]);
        break;
      case Arg::kElem:
        to = elem;
        break;
      case Arg::kInt:
        to = T(TypeId::kInt32);
        break;
      case Arg::kText:
        to = T(TypeId::kText);
        break;
      case Arg::kIntArray:
        to = T(kInt32ArrayType);
        break;
      case Arg::kBool:
        to = T(TypeId::kBool);
        break;
    }
    if (!IsUnknown(args[i]) && !CanCoerce(args[i]->type.id, to.id, CoercionContext::kImplicit)) {
      return no_function();
    }
    args[i] = Coerce(args[i], to, CoercionContext::kImplicit, i < locs.size() ? locs[i] : -1);
  }
  Type result;
  switch (fn->result) {
    case ArrayFunction::Result::kInt:
      result = T(TypeId::kInt32);
      break;
    case ArrayFunction::Result::kText:
      result = T(TypeId::kText);
      break;
    case ArrayFunction::Result::kBool:
      result = T(TypeId::kBool);
      break;
    case ArrayFunction::Result::kArray:
      result = IsArrayType(elem.id) ? elem : ArrayOf(elem, e.location);
      break;
    case ArrayFunction::Result::kIntArray:
      result = T(kInt32ArrayType);
      break;
    case ArrayFunction::Result::kTextArray:
      result = T(kTextArrayType);
      break;
  }
  if (name == "array_position" || name == "array_positions" || name == "array_remove" ||
      name == "array_replace") {
    RequireElementEquality(args[0]);
  }
  if (IsSetReturningFunction(name)) {
    CheckSetReturningPlace(e.location);
    ++srf_count_;
    last_srf_location_ = e.location;
  }
  return MakeExpr(BoundExprKind::kFunction, result, std::move(args),
                  name == "width_bucket" ? "width_bucket_array" : name);
}

}  // namespace activestore::planner
