// json and jsonb in the binder: the operators (-> ->> #> #>> @> <@ ? ?| ?& || - #-) resolved to
// their functions as PostgreSQL's pg_operator rows name them, jsonb subscripts, the functions
// of chapter 9.16 (polymorphic "any" arguments, VARIADIC text paths, defaults) and the
// two-column set-returning functions in FROM (json[b]_each[_text]). The executor's side is
// executor/json_functions.cpp; docs/design/2026-12-06-jsonb.md.
#include <algorithm>
#include <string>
#include <vector>

#include "common/array.h"
#include "common/composite.h"
#include "common/json.h"
#include "common/jsonb.h"
#include "common/jsonpath.h"
#include "planner/binder.h"
#include "planner/bound_expr_util.h"

namespace activestore::planner {
namespace {

constexpr TypeId kAnyArg = TypeId{2276};       // "any" / anyelement: taken as is
constexpr TypeId kAnyArrayArg = TypeId{2277};  // anyarray

bool IsJson(TypeId t) { return t == kJsonType || t == kJsonbType; }
bool IsUnknownExpr(const BoundExprPtr& e) { return e->type.id == TypeId::kUnknown; }

struct JsonSignature {
  const char* name;
  std::vector<TypeId> params;
  TypeId result;
  size_t min_args;        // fewer than params: the rest take their defaults (executor)
  bool variadic = false;  // the last param repeats (text paths; "any" for json_build_*)
  const char* impl = nullptr;
};

const std::vector<JsonSignature>& Signatures() {
  using enum TypeId;
  const TypeId J = kJsonType, B = kJsonbType, TA = kTextArrayType, P = kJsonpathType;
  static const std::vector<JsonSignature> kTable = {
      {"to_json", {kAnyArg}, J, 1},
      {"to_jsonb", {kAnyArg}, B, 1},
      {"array_to_json", {kAnyArrayArg, kBool}, J, 1},
      {"row_to_json", {kRecordType, kBool}, J, 1},  // any row value (common/composite.h)
      {"json_build_array", {kAnyArg}, J, 0, true},
      {"jsonb_build_array", {kAnyArg}, B, 0, true},
      {"json_build_object", {kAnyArg}, J, 0, true},
      {"jsonb_build_object", {kAnyArg}, B, 0, true},
      {"json_object", {TA}, J, 1},
      {"json_object", {TA, TA}, J, 2},
      {"jsonb_object", {TA}, B, 1},
      {"jsonb_object", {TA, TA}, B, 2},
      {"json_array_length", {J}, kInt32, 1},
      {"jsonb_array_length", {B}, kInt32, 1},
      {"json_typeof", {J}, kText, 1},
      {"jsonb_typeof", {B}, kText, 1},
      {"json_extract_path", {J, kText}, J, 1, true},
      {"json_extract_path_text", {J, kText}, kText, 1, true},
      {"jsonb_extract_path", {B, kText}, B, 1, true},
      {"jsonb_extract_path_text", {B, kText}, kText, 1, true},
      {"jsonb_set", {B, TA, B, kBool}, B, 3},
      {"jsonb_set_lax", {B, TA, B, kBool, kText}, B, 3},
      {"jsonb_insert", {B, TA, B, kBool}, B, 3},
      {"json_strip_nulls", {J}, J, 1},
      {"jsonb_strip_nulls", {B}, B, 1},
      {"jsonb_pretty", {B}, kText, 1},
      // The operators' functions, callable by name as in PostgreSQL.
      {"jsonb_concat", {B, B}, B, 2},
      {"jsonb_contains", {B, B}, kBool, 2},
      {"jsonb_contained", {B, B}, kBool, 2},
      // MongoDB-style filters (common/doc_match.h); ours, not PostgreSQL's.
      {"doc_match", {B, B}, kBool, 2},
      {"jsonb_exists", {B, kText}, kBool, 2},
      {"jsonb_exists_any", {B, TA}, kBool, 2},
      {"jsonb_exists_all", {B, TA}, kBool, 2},
      {"jsonb_delete", {B, kText}, B, 2},
      {"jsonb_delete", {B, TA}, B, 2},
      {"jsonb_delete", {B, kInt32}, B, 2, false, "jsonb_delete_index"},
      {"jsonb_delete_path", {B, TA}, B, 2},
      {"jsonb_object_field", {B, kText}, B, 2},
      {"jsonb_object_field_text", {B, kText}, kText, 2},
      {"jsonb_array_element", {B, kInt32}, B, 2},
      {"jsonb_array_element_text", {B, kInt32}, kText, 2},
      {"json_object_field", {J, kText}, J, 2},
      {"json_object_field_text", {J, kText}, kText, 2},
      {"json_array_element", {J, kInt32}, J, 2},
      {"json_array_element_text", {J, kInt32}, kText, 2},
      // Set-returning functions of one column (IsJsonSetFunction).
      {"json_array_elements", {J}, J, 1},
      {"json_array_elements_text", {J}, kText, 1},
      {"jsonb_array_elements", {B}, B, 1},
      {"jsonb_array_elements_text", {B}, kText, 1},
      {"json_object_keys", {J}, kText, 1},
      {"jsonb_object_keys", {B}, kText, 1},
      // The SQL/JSON path functions (executor/jsonpath_functions.cpp): target, path, vars
      // (default '{}'), silent (default false).
      {"jsonb_path_exists", {B, P, B, kBool}, kBool, 2},
      {"jsonb_path_match", {B, P, B, kBool}, kBool, 2},
      {"jsonb_path_query", {B, P, B, kBool}, B, 2},
      {"jsonb_path_query_array", {B, P, B, kBool}, B, 2},
      {"jsonb_path_query_first", {B, P, B, kBool}, B, 2},
      {"jsonb_path_exists_tz", {B, P, B, kBool}, kBool, 2},
      {"jsonb_path_match_tz", {B, P, B, kBool}, kBool, 2},
      {"jsonb_path_query_tz", {B, P, B, kBool}, B, 2},
      {"jsonb_path_query_array_tz", {B, P, B, kBool}, B, 2},
      {"jsonb_path_query_first_tz", {B, P, B, kBool}, B, 2},
      // The @? and @@ operators' functions.
      {"jsonb_path_exists_opr", {B, P}, kBool, 2},
      {"jsonb_path_match_opr", {B, P}, kBool, 2},
      // Two columns: FROM only (BindJsonTableScan).
      {"json_each", {J}, J, 1},
      {"json_each_text", {J}, kText, 1},
      {"jsonb_each", {B}, B, 1},
      {"jsonb_each_text", {B}, kText, 1},
  };
  return kTable;
}

// The record functions that need column-definition lists or composite types.
bool IsUnsupportedJsonFunction(const std::string& name) {
  static const char* const kNames[] = {"json_populate_record",  "json_populate_recordset",
                                       "jsonb_populate_record", "jsonb_populate_recordset",
                                       "json_to_record",        "json_to_recordset",
                                       "jsonb_to_record",       "jsonb_to_recordset"};
  for (const char* n : kNames) {
    if (name == n) return true;
  }
  return false;
}

// Parameter names and defaults of the functions that have them (pg_proc.proargnames,
// proargdefaults), for calls with named arguments.
struct NamedParams {
  const char* function;
  std::vector<const char*> names;
  std::vector<Value> defaults;  // of the trailing parameters
};
const std::vector<NamedParams>& ParamNames() {
  static const std::vector<NamedParams> kNames = {
      {"jsonb_set", {"jsonb_in", "path", "replacement", "create_if_missing"}, {Value::Bool(true)}},
      {"jsonb_set_lax",
       {"jsonb_in", "path", "replacement", "create_if_missing", "null_value_treatment"},
       {Value::Bool(true), Value::Text("use_json_null")}},
      {"jsonb_insert", {"jsonb_in", "path", "replacement", "insert_after"}, {Value::Bool(false)}},
  };
  static const std::vector<NamedParams> kWithPaths = [] {
    std::vector<NamedParams> all = kNames;
    const Value empty_vars = Value::Text(JsonbFromText("{}"), kJsonbType);
    for (const char* f :
         {"jsonb_path_exists", "jsonb_path_match", "jsonb_path_query", "jsonb_path_query_array",
          "jsonb_path_query_first", "jsonb_path_exists_tz", "jsonb_path_match_tz",
          "jsonb_path_query_tz", "jsonb_path_query_array_tz", "jsonb_path_query_first_tz"}) {
      all.push_back({f, {"target", "path", "vars", "silent"}, {empty_vars, Value::Bool(false)}});
    }
    return all;
  }();
  return kWithPaths;
  return kNames;
}

}  // namespace

bool IsJsonFunctionName(const std::string& name) {
  if (IsUnsupportedJsonFunction(name)) return true;
  for (const JsonSignature& s : Signatures()) {
    if (name == s.name) return true;
  }
  return false;
}

bool IsJsonSetFunction(const std::string& impl) {
  return impl == "json_array_elements" || impl == "json_array_elements_text" ||
         impl == "jsonb_array_elements" || impl == "jsonb_array_elements_text" ||
         impl == "json_object_keys" || impl == "jsonb_object_keys" || impl == "jsonb_path_query" ||
         impl == "jsonb_path_query_tz";
}

bool IsJsonRecordFunction(const std::string& name) {
  return name == "json_to_record" || name == "json_to_recordset" || name == "jsonb_to_record" ||
         name == "jsonb_to_recordset";
}

bool IsJsonTableFunction(const std::string& name) {
  return name == "json_each" || name == "json_each_text" || name == "jsonb_each" ||
         name == "jsonb_each_text" || name == "json_array_elements" ||
         name == "json_array_elements_text" || name == "jsonb_array_elements" ||
         name == "jsonb_array_elements_text";
}

BoundExprPtr Binder::BindJsonFunction(const ast::Expr& e, const std::string& name,
                                      std::vector<BoundExprPtr> args,
                                      const std::vector<int>& locs) {
  if (IsUnsupportedJsonFunction(name)) {
    ThrowAt(e.location, SqlState::kFeatureNotSupported, "function {} is not supported yet", name);
  }
  if (!e.arg_names.empty()) {
    // Named arguments: put each in its parameter's place; a skipped parameter takes its
    // default.
    const NamedParams* p = nullptr;
    for (const NamedParams& n : ParamNames()) {
      if (name == n.function) p = &n;
    }
    size_t first_named = 0;
    while (first_named < e.arg_names.size() && e.arg_names[first_named].empty()) ++first_named;
    if (p == nullptr) {
      ThrowAt(locs[first_named], SqlState::kFeatureNotSupported,
              "named function arguments are not supported");
    }
    std::vector<BoundExprPtr> slots(p->names.size());
    std::vector<int> slot_locs(p->names.size(), e.location);
    for (size_t i = 0; i < args.size(); ++i) {
      size_t k = i;
      if (!e.arg_names[i].empty()) {
        k = 0;
        while (k < p->names.size() && e.arg_names[i] != p->names[k]) ++k;
      }
      if (k >= slots.size() || slots[k]) ThrowNoFunction(e.location, name, args);
      slots[k] = args[i];
      slot_locs[k] = locs[i];
    }
    size_t used = slots.size();
    while (used > 0 && !slots[used - 1]) --used;
    const size_t first_default = p->names.size() - p->defaults.size();
    for (size_t k = 0; k < used; ++k) {
      if (slots[k]) continue;
      if (k < first_default) ThrowNoFunction(e.location, name, args);
      auto c = std::make_shared<BoundExpr>();
      c->kind = BoundExprKind::kConstant;
      c->value = p->defaults[k - first_default];
      c->type = c->value.type;
      slots[k] = c;
    }
    slots.resize(used);
    slot_locs.resize(used);
    ast::Expr positional(e.kind, e.location);
    positional.names = e.names;
    return BindJsonFunction(positional, name, std::move(slots), slot_locs);
  }
  const JsonSignature* match = nullptr;
  int best = -1;
  for (const JsonSignature& s : Signatures()) {
    if (name != s.name) continue;
    const size_t n = args.size();
    if (n < s.min_args || (!s.variadic && n > s.params.size())) continue;
    if (s.variadic && s.params.size() > 1 && n < s.params.size() - 1) continue;
    bool ok = true;
    int exact = 0;
    for (size_t i = 0; i < n && ok; ++i) {
      const TypeId p = s.params[std::min(i, s.params.size() - 1)];
      const TypeId a = args[i]->type.id;
      if (p == kAnyArg) continue;
      if (p == kAnyArrayArg) {
        ok = IsArrayType(a);
        continue;
      }
      if (p == kRecordType) {
        ok = IsRecordLike(a);
        continue;
      }
      exact += a == p;
      ok = a == TypeId::kUnknown || CanCoerce(a, p, CoercionContext::kImplicit);
    }
    if (ok && exact > best) {
      match = &s;
      best = exact;
    }
  }
  if (e.variadic) {
    // f(..., VARIADIC array): the json_build_* functions expand the array at run time
    // (<name>_variadic), the path functions take it as their text[] path.
    const JsonSignature* v = nullptr;
    for (const JsonSignature& sig : Signatures()) {
      if (name == sig.name && sig.variadic) v = &sig;
    }
    if (v == nullptr) {
      ThrowAt(e.location, SqlState::kFeatureNotSupported, "VARIADIC is not supported for {}()",
              name);
    }
    if (!IsArrayType(args.back()->type.id) && !IsUnknownExpr(args.back())) {
      ThrowAt(locs.back(), SqlState::kDatatypeMismatch, "VARIADIC argument must be an array");
    }
    if (args.size() != v->params.size()) ThrowNoFunction(e.location, name, args);
    if (v->params[0] == kAnyArg) {
      return MakeExpr(BoundExprKind::kFunction, T(v->result), std::move(args),
                      std::string(v->name) + "_variadic");
    }
    const TypeId first = v->params[0];
    if (!IsUnknownExpr(args[0]) &&
        !CanCoerce(args[0]->type.id, first, CoercionContext::kImplicit)) {
      ThrowNoFunction(e.location, name, args);
    }
    args[0] = Coerce(args[0], T(first), CoercionContext::kImplicit, locs[0]);
    args[1] = Coerce(args[1], T(kTextArrayType), CoercionContext::kImplicit, locs[1]);
    return MakeExpr(BoundExprKind::kFunction, T(v->result), std::move(args), v->name);
  }
  if (match == nullptr) ThrowNoFunction(e.location, name, args);
  if (match->variadic && match->params[0] == kAnyArg && name.find("_object") != std::string::npos &&
      args.size() % 2 != 0) {
    Error err(SqlState::kInvalidParameterValue, "argument list must have even number of elements");
    err.Hint(
        fmt::format("The arguments of {}() must consist of alternating keys and values.", name));
    throw err;
  }
  for (size_t i = 0; i < args.size(); ++i) {
    const TypeId p = match->params[std::min(i, match->params.size() - 1)];
    if (p == kRecordType) continue;
    if (p == kAnyArg || p == kAnyArrayArg) {
      if (IsUnknownExpr(args[i])) {
        args[i] = Coerce(args[i], T(TypeId::kText), CoercionContext::kImplicit, locs[i]);
      }
      continue;
    }
    args[i] = Coerce(args[i], T(p), CoercionContext::kImplicit, locs[i]);
  }
  if (IsJsonSetFunction(match->name)) CheckSetReturningPlace(e.location);
  if (name.find("_each") != std::string::npos) {
    ThrowAt(e.location, SqlState::kFeatureNotSupported,
            "{}() in a select list is not supported; use it in FROM", name);
  }
  return MakeExpr(BoundExprKind::kFunction, T(match->result), std::move(args),
                  match->impl != nullptr ? match->impl : match->name);
}

bool IsJsonAggregateName(const std::string& name) {
  return name == "json_agg" || name == "jsonb_agg" || name == "json_object_agg" ||
         name == "jsonb_object_agg";
}

void Binder::BindJsonAggregateSpec(const ast::Expr& e, const std::string& name,
                                   std::vector<BoundExprPtr>* args, const std::vector<int>& locs,
                                   AggregateSpec* spec) {
  const bool object = name.find("object") != std::string::npos;
  const bool jsonb = name.rfind("jsonb", 0) == 0;
  if (args->size() != (object ? 2u : 1u)) ThrowNoFunction(e.location, name, *args);
  for (size_t i = 0; i < args->size(); ++i) {
    if (IsUnknownExpr((*args)[i])) {
      (*args)[i] = Coerce((*args)[i], T(TypeId::kText), CoercionContext::kImplicit, locs[i]);
    }
  }
  const Type element = T(jsonb ? kJsonbType : kJsonType);
  const char* fn =
      object ? (jsonb ? "jsonb_agg_pair" : "json_agg_pair") : (jsonb ? "to_jsonb" : "to_json");
  *args = {MakeExpr(BoundExprKind::kFunction, element, std::move(*args), fn)};
  spec->kind = AggKind::kArrayAgg;
  spec->result_type = T(jsonb ? kJsonbArrayType : kJsonArrayType);
}

bool JsonAggregateOfContainers(const AggregateSpec& spec) {
  const BoundExprPtr& element = spec.args.at(0);
  return element->children.size() == 1 && IsArrayType(element->children[0]->type.id);
}

BoundExprPtr FinishJsonAggregate(const std::string& name, BoundExprPtr agg, bool containers) {
  const bool jsonb = name.rfind("jsonb", 0) == 0;
  Value flag = Value::Bool(containers);
  auto c = std::make_shared<BoundExpr>();
  c->kind = BoundExprKind::kConstant;
  c->type = T(TypeId::kBool);
  c->value = flag;
  return MakeExpr(BoundExprKind::kFunction, T(jsonb ? kJsonbType : kJsonType), {agg, c},
                  name + "_final");
}

BoundExprPtr Binder::BindJsonOperator(const std::string& op, BoundExprPtr l, BoundExprPtr r,
                                      int location) {
  const TypeId lt = l->type.id, rt = r->type.id;
  if (op == "@?" || op == "@@") {
    // jsonb @? jsonpath, jsonb @@ jsonpath (tsvector @@ tsquery is not ours); another pairing
    // with a json type on either side is 42883.
    if (!IsJson(lt) && !IsJson(rt) && lt != kJsonpathType && rt != kJsonpathType) return nullptr;
    if ((lt != kJsonbType && lt != TypeId::kUnknown) ||
        (rt != kJsonpathType && rt != TypeId::kUnknown)) {
      ThrowNoOperator(location, op, l->type, r->type);
    }
    l = Coerce(l, T(kJsonbType), CoercionContext::kImplicit, location);
    r = Coerce(r, T(kJsonpathType), CoercionContext::kImplicit, location);
    return MakeExpr(BoundExprKind::kFunction, T(TypeId::kBool), {l, r},
                    op == "@?" ? "jsonb_path_exists_opr" : "jsonb_path_match_opr");
  }
  const bool json_only_op = op == "->" || op == "->>" || op == "#>" || op == "#>>" || op == "?" ||
                            op == "?|" || op == "?&" || op == "#-";
  if (!IsJson(lt) && !IsJson(rt) && !json_only_op) return nullptr;
  auto call = [&](const char* fn, Type result, Type rtype) {
    return Fold(MakeExpr(BoundExprKind::kFunction, result,
                         {l, Coerce(r, rtype, CoercionContext::kImplicit, location)}, fn));
  };
  auto no_op = [&]() -> BoundExprPtr { ThrowNoOperator(location, op, l->type, r->type); };
  const bool jsonb = lt == kJsonbType;
  const bool right_text = rt == TypeId::kUnknown || CategoryOf(rt) == TypeCategory::kString;
  const bool right_int = rt == TypeId::kInt32 || rt == TypeId::kInt16;
  const bool right_text_array = rt == TypeId::kUnknown || rt == kTextArrayType;
  if (op == "->" || op == "->>") {
    if (!IsJson(lt)) return no_op();
    const bool text = op == "->>";
    const Type result = T(text ? TypeId::kText : lt);
    if (right_int) {
      return call(jsonb ? (text ? "jsonb_array_element_text" : "jsonb_array_element")
                        : (text ? "json_array_element_text" : "json_array_element"),
                  result, T(TypeId::kInt32));
    }
    if (!right_text) return no_op();
    return call(jsonb ? (text ? "jsonb_object_field_text" : "jsonb_object_field")
                      : (text ? "json_object_field_text" : "json_object_field"),
                result, T(TypeId::kText));
  }
  if (op == "#>" || op == "#>>") {
    if (!IsJson(lt) || !right_text_array) return no_op();
    const bool text = op == "#>>";
    return call(jsonb ? (text ? "jsonb_extract_path_text" : "jsonb_extract_path")
                      : (text ? "json_extract_path_text" : "json_extract_path"),
                T(text ? TypeId::kText : lt), T(kTextArrayType));
  }
  if (op == "?" || op == "?|" || op == "?&") {
    if (!jsonb) return no_op();
    if (op == "?") {
      if (!right_text) return no_op();
      return call("jsonb_exists", T(TypeId::kBool), T(TypeId::kText));
    }
    if (!right_text_array) return no_op();
    return call(op == "?|" ? "jsonb_exists_any" : "jsonb_exists_all", T(TypeId::kBool),
                T(kTextArrayType));
  }
  if (op == "#-") {
    if (!jsonb || !right_text_array) return no_op();
    return call("jsonb_delete_path", T(kJsonbType), T(kTextArrayType));
  }
  const bool both_jsonb =
      (jsonb || lt == TypeId::kUnknown) && (rt == kJsonbType || rt == TypeId::kUnknown);
  if (op == "@>" || op == "<@") {
    if (!both_jsonb) return no_op();
    l = Coerce(l, T(kJsonbType), CoercionContext::kImplicit, location);
    return call(op == "@>" ? "jsonb_contains" : "jsonb_contained", T(TypeId::kBool), T(kJsonbType));
  }
  if (op == "||") {
    if (!both_jsonb) return nullptr;  // anytextcat and friends
    l = Coerce(l, T(kJsonbType), CoercionContext::kImplicit, location);
    return call("jsonb_concat", T(kJsonbType), T(kJsonbType));
  }
  if (op == "-") {
    if (!jsonb) return IsJson(rt) || lt == kJsonType ? no_op() : nullptr;
    if (right_int) return call("jsonb_delete_index", T(kJsonbType), T(TypeId::kInt32));
    if (rt == kTextArrayType) return call("jsonb_delete", T(kJsonbType), T(kTextArrayType));
    if (right_text) return call("jsonb_delete", T(kJsonbType), T(TypeId::kText));
    return no_op();
  }
  return nullptr;
}

BoundExprPtr Binder::BindJsonbAssignment(const ast::Expr& e, BoundExprPtr base,
                                         const std::string& name, BoundExprPtr value,
                                         int value_location) {
  if (!value) {
    value = BindExpr(*e.args[0]);
    value_location = e.args[0]->location;
  }
  if (!IsUnknownExpr(value) &&
      !CanCoerce(value->type.id, kJsonbType, CoercionContext::kAssignment)) {
    throw Error(SqlState::kDatatypeMismatch,
                fmt::format("subscripted assignment to \"{}\" requires type jsonb but expression "
                            "is of type {}",
                            name, TypeDisplayName(value->type)))
        .Hint("You will need to rewrite or cast the expression.")
        .Position(e.location + 1);
  }
  value = Coerce(value, T(kJsonbType), CoercionContext::kAssignment, value_location);
  // The subscripts as a fetch binds them, after the target and the new value.
  BoundExprPtr fetch = BindJsonbSubscript(e, std::move(base));
  std::vector<BoundExprPtr> children = fetch->children;
  children.insert(children.begin() + 1, value);
  return MakeExpr(BoundExprKind::kFunction, T(kJsonbType), std::move(children),
                  "jsonb_set_element");
}

BoundExprPtr Binder::BindJsonbSubscript(const ast::Expr& e, BoundExprPtr base) {
  std::vector<BoundExprPtr> children = {base};
  for (size_t k = 0; k < e.subscript_slices.size(); ++k) {
    const ast::ExprPtr& x = e.args[1 + 2 * k];
    if (e.subscript_slices[k]) {
      Throw(SqlState::kDatatypeMismatch, "jsonb subscript does not support slices");
    }
    BoundExprPtr b = BindExpr(*x);
    const TypeId t = b->type.id;
    if (t == TypeId::kInt32 || t == TypeId::kInt16) {
      b = Coerce(b, T(TypeId::kInt32), CoercionContext::kImplicit, x->location);
    } else if (t == TypeId::kUnknown || CanCoerce(t, TypeId::kText, CoercionContext::kImplicit)) {
      b = Coerce(b, T(TypeId::kText), CoercionContext::kImplicit, x->location);
    } else {
      Error err(SqlState::kDatatypeMismatch,
                fmt::format("subscript type {} is not supported", TypeDisplayName(b->type)));
      err.Hint("jsonb subscript must be coercible to either integer or text.");
      if (x->location >= 0) err.Position(x->location + 1);
      throw err;
    }
    children.push_back(std::move(b));
  }
  return MakeExpr(BoundExprKind::kFunction, T(kJsonbType), std::move(children), "jsonb_subscript");
}

namespace {

// The one json (json_*) or jsonb (jsonb_*) argument of a FROM json function, coerced.
std::vector<BoundExprPtr> BindOneJsonArg(Binder* b, const ast::Expr& f, const std::string& name) {
  std::vector<BoundExprPtr> args;
  for (const auto& a : f.args) args.push_back(b->BindExpr(*a));
  if (args.size() != 1) ThrowNoFunction(f.location, name, args);
  const TypeId arg_type = name.rfind("jsonb", 0) == 0 ? kJsonbType : kJsonType;
  if (!IsUnknownExpr(args[0]) && args[0]->type.id != arg_type) {
    ThrowNoFunction(f.location, name, args);
  }
  args[0] = b->Coerce(args[0], T(arg_type), CoercionContext::kImplicit, f.args[0]->location);
  return args;
}

}  // namespace

// FROM json[b]_to_record[set](x) AS t(a int, ...): the definition list's columns, each read
// from the object's key of its name (executor/json_functions.h EvaluateJsonToRecord).
std::shared_ptr<PlanNode> Binder::BindJsonRecordScan(const FromFunction& ff,
                                                     const std::string& name) {
  std::vector<BoundExprPtr> args = BindOneJsonArg(this, *ff.call, name);
  if (ff.column_defs == nullptr) ThrowColumnDefsRequired(ff.call->location);
  auto plan = std::make_shared<PlanNode>();
  plan->kind = PlanKind::kFunctionScan;
  plan->function_name = name;
  plan->exprs = std::move(args);
  ApplyColumnDefs(*ff.column_defs, plan.get());
  return plan;
}

std::shared_ptr<PlanNode> Binder::BindJsonTableScan(const FromFunction& ff,
                                                    const std::string& name) {
  std::vector<BoundExprPtr> args = BindOneJsonArg(this, *ff.call, name);
  const bool jsonb = name.rfind("jsonb", 0) == 0;
  const TypeId arg_type = jsonb ? kJsonbType : kJsonType;
  const bool text = name.size() > 5 && name.compare(name.size() - 5, 5, "_text") == 0;
  const bool each = name.find("_each") != std::string::npos;
  auto plan = std::make_shared<PlanNode>();
  plan->kind = PlanKind::kFunctionScan;
  plan->function_name = name;
  plan->exprs = std::move(args);
  const Type value_type = T(text ? TypeId::kText : arg_type);
  plan->output_types =
      each ? std::vector<Type>{T(TypeId::kText), value_type} : std::vector<Type>{value_type};
  plan->output_names =
      each ? std::vector<std::string>{"key", "value"} : std::vector<std::string>{"value"};
  return plan;
}

}  // namespace activestore::planner
