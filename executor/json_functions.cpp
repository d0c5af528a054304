#include "executor/json_functions.h"

#include <fmt/format.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <functional>
#include <optional>

#include "common/array.h"
#include "common/composite.h"
#include "common/doc_match.h"
#include "common/error.h"
#include "common/json.h"
#include "common/jsonb.h"
#include "common/type_registry.h"
#include "common/value_ops.h"

namespace activestore::executor {
namespace {

using Args = std::vector<Value>;
using planner::BoundExpr;
using Kind = JsonNode::Kind;

Value Jsonb(std::string blob) { return Value::Text(std::move(blob), kJsonbType); }
Value Json(std::string text) { return Value::Text(std::move(text), kJsonType); }
Value Text(std::string text) { return Value::Text(std::move(text)); }

[[noreturn]] void Bad(const std::string& msg) {
  throw Error(SqlState::kInvalidParameterValue, msg);
}

// ---- Values of any type as JSON (datum_to_json / datum_to_jsonb).

bool IsJsonNumberText(std::string_view s) {
  try {
    JsonNode n = ParseJson(s, false);
    return n.kind == Kind::kNumber;
  } catch (const Error&) {
    return false;
  }
}

// JsonEncodeDateTime: ISO 8601 with a 'T' and a +hh:mm zone.
std::string JsonDateTime(const Value& v, const FormatOptions& opts) {
  FormatOptions iso = opts;
  iso.date_style = DateStyle::kIso;
  std::string s = FormatValue(v, iso);
  if (s == "infinity" || s == "-infinity") return s;
  if (v.type.id != TypeId::kDate && s.size() > 10 && s[10] == ' ') s[10] = 'T';
  if (v.type.id == TypeId::kTimestampTz) {
    // "+05" -> "+05:00"; "+05:30" stays.
    const size_t z = s.find_last_of("+-");
    if (z != std::string::npos && z > 10 && s.size() - z == 3) s += ":00";
  }
  return s;
}

bool IsDateTime(TypeId t) {
  return t == TypeId::kDate || t == TypeId::kTimestamp || t == TypeId::kTimestampTz;
}

void AppendArrayDim(const ArrayView& a, const std::vector<Value>& elems, int dim, size_t* next,
                    bool pretty, const FormatOptions& opts, std::string* out);

void AppendAsJson(const Value& v, const FormatOptions& opts, std::string* out,
                  bool pretty = false) {
  if (v.is_null) {
    out->append("null");
    return;
  }
  const TypeId t = v.type.id;
  if (IsArrayType(t)) {
    ArrayView a(v.s);
    std::vector<Value> elems = a.Elements(ElementTypeOf(v.type));
    if (a.ndim() == 0) {
      out->append("[]");
      return;
    }
    size_t next = 0;
    AppendArrayDim(a, elems, 0, &next, pretty, opts, out);
    return;
  }
  if (IsRecordLike(t)) {
    // composite_to_json: {"name":value,...}; ",\n " between fields when pretty.
    RecordView r(v.s);
    const std::vector<std::string> names = RecordFieldNames(r);
    out->push_back('{');
    for (size_t i = 0; i < r.size(); ++i) {
      if (i > 0) out->append(pretty ? ",\n " : ",");
      AppendJsonString(names[i], out);
      out->push_back(':');
      AppendAsJson(r.field(i), opts, out);
    }
    out->push_back('}');
    return;
  }
  if (t == kJsonType) {
    out->append(v.s);
    return;
  }
  if (t == kJsonbType) {
    AppendJsonbText(JsonbRoot(v.s), out);
    return;
  }
  if (t == TypeId::kBool) {
    out->append(v.i ? "true" : "false");
    return;
  }
  if (IsNumericType(t)) {
    std::string s = FormatValue(v, opts);
    if (IsJsonNumberText(s)) {
      out->append(s);
    } else {
      AppendJsonString(s, out);
    }
    return;
  }
  if (IsDateTime(t)) {
    AppendJsonString(JsonDateTime(v, opts), out);
    return;
  }
  AppendJsonString(FormatValue(v, opts), out);
}

// array_dim_to_json: "," between elements, ",\n " at the top level when pretty.
void AppendArrayDim(const ArrayView& a, const std::vector<Value>& elems, int dim, size_t* next,
                    bool pretty, const FormatOptions& opts, std::string* out) {
  out->push_back('[');
  for (int i = 0; i < a.dim(dim); ++i) {
    if (i > 0) out->append(pretty && dim == 0 ? ",\n " : ",");
    if (dim + 1 < a.ndim()) {
      AppendArrayDim(a, elems, dim + 1, next, false, opts, out);
    } else {
      AppendAsJson(elems[(*next)++], opts, out);
    }
  }
  out->push_back(']');
}

JsonNode ValueToNode(const Value& v, const FormatOptions& opts) {
  if (v.is_null) return JsonNode{};
  const TypeId t = v.type.id;
  if (IsArrayType(t)) {
    ArrayView a(v.s);
    std::vector<Value> elems = a.Elements(ElementTypeOf(v.type));
    JsonNode root;
    root.kind = Kind::kArray;
    if (a.ndim() == 0) return root;
    size_t next = 0;
    std::function<JsonNode(int)> dim = [&](int d) {
      JsonNode n;
      n.kind = Kind::kArray;
      for (int i = 0; i < a.dim(d); ++i) {
        n.items.push_back(d + 1 < a.ndim() ? dim(d + 1) : ValueToNode(elems[next++], opts));
      }
      return n;
    };
    return dim(0);
  }
  if (IsRecordLike(t)) {
    RecordView r(v.s);
    const std::vector<std::string> names = RecordFieldNames(r);
    JsonNode obj;
    obj.kind = Kind::kObject;
    for (size_t i = 0; i < r.size(); ++i) {
      obj.keys.push_back(names[i]);
      obj.items.push_back(ValueToNode(r.field(i), opts));
    }
    return obj;
  }
  if (t == kJsonType) return ParseJson(v.s, true);
  if (t == kJsonbType) return JsonbToTree(JsonbRoot(v.s));
  if (t == TypeId::kBool) return JsonNode::Bool(v.i != 0);
  if (IsNumericType(t)) {
    std::string s = FormatValue(v, opts);
    if (s.find_first_of("Nn") != std::string::npos) return JsonNode::String(std::move(s));
    return JsonNode::Number(std::move(s));
  }
  if (IsDateTime(t)) return JsonNode::String(JsonDateTime(v, opts));
  return JsonNode::String(FormatValue(v, opts));
}

// A key of json_build_object / json_object_agg: a non-NULL scalar, as text.
std::string KeyText(const Value& v, int argno, const FormatOptions& opts, bool jsonb) {
  if (v.is_null) {
    if (jsonb) Bad(fmt::format("argument {}: key must not be null", argno));
    Error e(SqlState::kInvalidParameterValue, fmt::format("argument {} cannot be null", argno));
    e.Hint("Object keys should be text.");
    throw e;
  }
  if (IsArrayType(v.type.id) || v.type.id == kJsonType || v.type.id == kJsonbType) {
    Bad("key value must be scalar, not array, composite, or json");
  }
  if (IsDateTime(v.type.id)) return JsonDateTime(v, opts);
  if (v.type.id == TypeId::kBool) return v.i ? "true" : "false";
  return FormatValue(v, opts);
}

// ---- Reading: paths, fields, elements.

std::vector<std::optional<std::string>> TextArray(const Value& a) {
  ArrayView view(a.s);
  if (view.ndim() > 1) {
    Throw(SqlState::kArraySubscriptError, "wrong number of array subscripts");
  }
  std::vector<std::optional<std::string>> out;
  view.ForEach(Type::Of(TypeId::kText), [&](size_t, const Value& v) {
    if (v.is_null) {
      out.emplace_back();
    } else {
      out.emplace_back(v.s);
    }
  });
  return out;
}

// The path of f(x, VARIADIC path) or f(x, text[]).
std::vector<std::optional<std::string>> PathArgs(const Args& a, size_t from) {
  if (a.size() == from + 1 && IsArrayType(a[from].type.id)) return TextArray(a[from]);
  std::vector<std::optional<std::string>> out;
  for (size_t i = from; i < a.size(); ++i) {
    if (a[i].is_null) {
      out.emplace_back();
    } else {
      out.emplace_back(a[i].s);
    }
  }
  return out;
}

// strtol as the path functions use it: the whole text must be an integer.
std::optional<int64_t> ParseIndex(const std::string& s) {
  if (s.empty()) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(s.c_str(), &end, 10);
  if (end == s.c_str() || *end != '\0' || errno != 0 || v < INT_MIN || v > INT_MAX) {
    return std::nullopt;
  }
  return v;
}

std::optional<JsonbRef> JsonbElement(JsonbRef c, int64_t i) {
  if (c.kind() != JsonbKind::kArray) return std::nullopt;
  const int64_t n = c.size();
  if (i < 0) i += n;
  if (i < 0 || i >= n) return std::nullopt;
  return c.element(static_cast<uint32_t>(i));
}

std::optional<JsonbRef> JsonbPath(JsonbRef root, const std::vector<std::optional<std::string>>& p) {
  JsonbRef cur = root;
  for (const auto& step : p) {
    if (!step) return std::nullopt;
    std::optional<JsonbRef> next;
    if (cur.kind() == JsonbKind::kObject) {
      next = cur.Find(*step);
    } else if (cur.kind() == JsonbKind::kArray) {
      if (auto i = ParseIndex(*step)) next = JsonbElement(cur, *i);
    }
    if (!next) return std::nullopt;
    cur = *next;
  }
  return cur;
}

Value JsonbResult(std::optional<JsonbRef> r, bool as_text) {
  if (!r) return Value::Null(Type::Of(as_text ? TypeId::kText : kJsonbType));
  if (!as_text) return Jsonb(JsonbValueOf(*r));
  if (r->kind() == JsonbKind::kNull) return Value::Null(Type::Of(TypeId::kText));
  return Text(JsonbScalarText(*r));
}

// json: the same over the parsed text (values as written; the last of duplicate keys).
const JsonNode* JsonField(const JsonNode& n, std::string_view key) {
  if (n.kind != Kind::kObject) return nullptr;
  const JsonNode* found = nullptr;
  for (size_t i = 0; i < n.keys.size(); ++i) {
    if (n.keys[i] == key) found = &n.items[i];
  }
  return found;
}
const JsonNode* JsonElement(const JsonNode& n, int64_t i) {
  if (n.kind != Kind::kArray) return nullptr;
  const auto size = static_cast<int64_t>(n.items.size());
  if (i < 0) i += size;
  if (i < 0 || i >= size) return nullptr;
  return &n.items[static_cast<size_t>(i)];
}

Value JsonResult(const JsonNode* n, std::string_view src, bool as_text) {
  if (n == nullptr) return Value::Null(Type::Of(as_text ? TypeId::kText : kJsonType));
  std::string raw(src.substr(n->begin, n->end - n->begin));
  if (!as_text) return Json(std::move(raw));
  if (n->kind == Kind::kNull) return Value::Null(Type::Of(TypeId::kText));
  if (n->kind == Kind::kString) return Text(n->text);
  return Text(std::move(raw));
}

Value FnJsonbObjectField(const Args& a, const BoundExpr&, ExecState&) {
  return JsonbResult(JsonbRoot(a[0].s).Find(a[1].s), false);
}
Value FnJsonbObjectFieldText(const Args& a, const BoundExpr&, ExecState&) {
  return JsonbResult(JsonbRoot(a[0].s).Find(a[1].s), true);
}
Value FnJsonbArrayElement(const Args& a, const BoundExpr&, ExecState&) {
  return JsonbResult(JsonbElement(JsonbRoot(a[0].s), a[1].i), false);
}
Value FnJsonbArrayElementText(const Args& a, const BoundExpr&, ExecState&) {
  return JsonbResult(JsonbElement(JsonbRoot(a[0].s), a[1].i), true);
}
template <bool kText>
Value FnJsonbExtractPath(const Args& a, const BoundExpr&, ExecState&) {
  JsonbRef root = JsonbRoot(a[0].s);
  auto path = PathArgs(a, 1);
  if (path.empty()) {
    return kText ? JsonbResult(root, true) : a[0];
  }
  return JsonbResult(JsonbPath(root, path), kText);
}

Value FnJsonObjectField(const Args& a, const BoundExpr&, ExecState&) {
  JsonNode n = ParseJson(a[0].s, true);
  return JsonResult(JsonField(n, a[1].s), a[0].s, false);
}
Value FnJsonObjectFieldText(const Args& a, const BoundExpr&, ExecState&) {
  JsonNode n = ParseJson(a[0].s, true);
  return JsonResult(JsonField(n, a[1].s), a[0].s, true);
}
Value FnJsonArrayElement(const Args& a, const BoundExpr&, ExecState&) {
  JsonNode n = ParseJson(a[0].s, true);
  return JsonResult(JsonElement(n, a[1].i), a[0].s, false);
}
Value FnJsonArrayElementText(const Args& a, const BoundExpr&, ExecState&) {
  JsonNode n = ParseJson(a[0].s, true);
  return JsonResult(JsonElement(n, a[1].i), a[0].s, true);
}
template <bool kText>
Value FnJsonExtractPath(const Args& a, const BoundExpr&, ExecState&) {
  JsonNode n = ParseJson(a[0].s, true);
  auto path = PathArgs(a, 1);
  const JsonNode* cur = &n;
  for (const auto& step : path) {
    if (!step) return JsonResult(nullptr, a[0].s, kText);
    const JsonNode* next = nullptr;
    if (cur->kind == Kind::kObject) {
      next = JsonField(*cur, *step);
    } else if (auto i = ParseIndex(*step)) {
      next = JsonElement(*cur, *i);
    }
    if (next == nullptr) return JsonResult(nullptr, a[0].s, kText);
    cur = next;
  }
  return JsonResult(cur, a[0].s, kText);
}

Value FnJsonbSubscript(const Args& a, const BoundExpr&, ExecState&) {
  if (a[0].is_null) return Value::Null(Type::Of(kJsonbType));
  std::vector<std::optional<std::string>> path;
  for (size_t i = 1; i < a.size(); ++i) {
    if (a[i].is_null) return Value::Null(Type::Of(kJsonbType));
    path.emplace_back(a[i].type.id == TypeId::kText ? a[i].s : std::to_string(a[i].i));
  }
  return JsonbResult(JsonbPath(JsonbRoot(a[0].s), path), false);
}

// ---- Tests: containment, existence, type, length.

Value FnJsonbContains(const Args& a, const BoundExpr&, ExecState&) {
  return Value::Bool(JsonbContains(JsonbRoot(a[0].s), JsonbRoot(a[1].s)));
}
Value FnJsonbContained(const Args& a, const BoundExpr&, ExecState&) {
  return Value::Bool(JsonbContains(JsonbRoot(a[1].s), JsonbRoot(a[0].s)));
}
// doc_match(doc, filter): MongoDB's query language (common/doc_match.h).
Value FnDocMatch(const Args& a, const BoundExpr&, ExecState&) {
  return Value::Bool(DocMatch(a[0].s, a[1].s));
}
bool Exists(JsonbRef r, std::string_view key) {
  if (r.kind() == JsonbKind::kObject) return r.Find(key).has_value();
  if (r.kind() == JsonbKind::kString) return r.str() == key;  // a raw scalar
  if (r.kind() != JsonbKind::kArray) return false;
  for (uint32_t i = 0; i < r.size(); ++i) {
    JsonbRef e = r.element(i);
    if (e.kind() == JsonbKind::kString && e.str() == key) return true;
  }
  return false;
}
Value FnJsonbExists(const Args& a, const BoundExpr&, ExecState&) {
  return Value::Bool(Exists(JsonbRoot(a[0].s), a[1].s));
}
template <bool kAll>
Value FnJsonbExistsAnyAll(const Args& a, const BoundExpr&, ExecState&) {
  JsonbRef r = JsonbRoot(a[0].s);
  for (const auto& k : TextArray(a[1])) {
    if (!k) continue;
    const bool e = Exists(r, *k);
    if (kAll && !e) return Value::Bool(false);
    if (!kAll && e) return Value::Bool(true);
  }
  return Value::Bool(kAll);
}

Value FnJsonbTypeof(const Args& a, const BoundExpr&, ExecState&) {
  return Text(JsonbTypeName(JsonbRoot(a[0].s)));
}
const char* NodeTypeName(const JsonNode& n) {
  switch (n.kind) {
    case Kind::kObject:
      return "object";
    case Kind::kArray:
      return "array";
    case Kind::kString:
      return "string";
    case Kind::kNumber:
      return "number";
    case Kind::kTrue:
    case Kind::kFalse:
      return "boolean";
    case Kind::kNull:
      return "null";
  }
  return "null";
}
Value FnJsonTypeof(const Args& a, const BoundExpr&, ExecState&) {
  return Text(NodeTypeName(ParseJson(a[0].s, false)));
}

Value FnJsonbArrayLength(const Args& a, const BoundExpr&, ExecState&) {
  JsonbRef r = JsonbRoot(a[0].s);
  if (!r.IsContainer()) Bad("cannot get array length of a scalar");
  if (r.kind() != JsonbKind::kArray) Bad("cannot get array length of a non-array");
  return Value::Int32(static_cast<int32_t>(r.size()));
}
Value FnJsonArrayLength(const Args& a, const BoundExpr&, ExecState&) {
  JsonNode n = ParseJson(a[0].s, false);
  if (n.kind == Kind::kObject) Bad("cannot get array length of a non-array");
  if (n.kind != Kind::kArray) Bad("cannot get array length of a scalar");
  return Value::Int32(static_cast<int32_t>(n.items.size()));
}

Value FnJsonbPretty(const Args& a, const BoundExpr&, ExecState&) {
  return Text(JsonbToText(JsonbRoot(a[0].s), true));
}

// ---- Building.

Value FnToJson(const Args& a, const BoundExpr&, ExecState& st) {
  std::string out;
  AppendAsJson(a[0], st.ctx.format, &out);
  return Json(std::move(out));
}
Value FnToJsonb(const Args& a, const BoundExpr&, ExecState& st) {
  return Jsonb(EncodeJsonb(ValueToNode(a[0], st.ctx.format)));
}
Value FnRowToJson(const Args& a, const BoundExpr&, ExecState& st) {
  if (a[0].is_null) return Value::Null(Type::Of(kJsonType));
  const bool pretty = a.size() > 1 && !a[1].is_null && a[1].i != 0;
  std::string out;
  AppendAsJson(a[0], st.ctx.format, &out, pretty);
  return Json(std::move(out));
}
Value FnArrayToJson(const Args& a, const BoundExpr&, ExecState& st) {
  if (a[0].is_null) return Value::Null(Type::Of(kJsonType));
  const bool pretty = a.size() > 1 && !a[1].is_null && a[1].i != 0;
  std::string out;
  AppendAsJson(a[0], st.ctx.format, &out, pretty);
  return Json(std::move(out));
}
Value FnJsonBuildArray(const Args& a, const BoundExpr&, ExecState& st) {
  std::string out = "[";
  for (size_t i = 0; i < a.size(); ++i) {
    if (i > 0) out.append(", ");
    AppendAsJson(a[i], st.ctx.format, &out);
  }
  out.push_back(']');
  return Json(std::move(out));
}
Value FnJsonbBuildArray(const Args& a, const BoundExpr&, ExecState& st) {
  JsonNode n;
  n.kind = Kind::kArray;
  for (const Value& v : a) n.items.push_back(ValueToNode(v, st.ctx.format));
  return Jsonb(EncodeJsonb(n));
}
Value FnJsonBuildObject(const Args& a, const BoundExpr&, ExecState& st) {
  std::string out = "{";
  for (size_t i = 0; i + 1 < a.size(); i += 2) {
    if (i > 0) out.append(", ");
    AppendJsonString(KeyText(a[i], static_cast<int>(i + 1), st.ctx.format, false), &out);
    out.append(" : ");
    AppendAsJson(a[i + 1], st.ctx.format, &out);
  }
  out.push_back('}');
  return Json(std::move(out));
}
Value FnJsonbBuildObject(const Args& a, const BoundExpr&, ExecState& st) {
  JsonNode n;
  n.kind = Kind::kObject;
  for (size_t i = 0; i + 1 < a.size(); i += 2) {
    n.keys.push_back(KeyText(a[i], static_cast<int>(i + 1), st.ctx.format, true));
    n.items.push_back(ValueToNode(a[i + 1], st.ctx.format));
  }
  return Jsonb(EncodeJsonb(n));
}

// json_object(text[]) / json_object(keys text[], values text[]): the pairs as strings.
std::vector<std::pair<std::string, std::optional<std::string>>> ObjectPairs(const Args& a) {
  std::vector<std::pair<std::string, std::optional<std::string>>> pairs;
  auto null_key = [] {
    Throw(SqlState::kNullValueNotAllowed, "null value not allowed for object key");
  };
  if (a.size() == 1) {
    ArrayView v(a[0].s);
    std::vector<Value> e = v.Elements(Type::Of(TypeId::kText));
    if (v.ndim() == 1) {
      if (e.size() % 2 != 0) {
        Throw(SqlState::kArraySubscriptError, "array must have even number of elements");
      }
      for (size_t i = 0; i < e.size(); i += 2) {
        if (e[i].is_null) null_key();
        pairs.emplace_back(e[i].s, e[i + 1].is_null ? std::nullopt : std::optional(e[i + 1].s));
      }
    } else if (v.ndim() == 2) {
      if (v.dim(1) != 2) {
        Throw(SqlState::kArraySubscriptError, "array must have two columns");
      }
      for (size_t i = 0; i < e.size(); i += 2) {
        if (e[i].is_null) null_key();
        pairs.emplace_back(e[i].s, e[i + 1].is_null ? std::nullopt : std::optional(e[i + 1].s));
      }
    } else if (v.ndim() != 0) {
      Throw(SqlState::kArraySubscriptError, "wrong number of array subscripts");
    }
    return pairs;
  }
  ArrayView kv(a[0].s), vv(a[1].s);
  if (kv.ndim() > 1 || vv.ndim() > 1) {
    Throw(SqlState::kArraySubscriptError, "wrong number of array subscripts");
  }
  std::vector<Value> k = kv.Elements(Type::Of(TypeId::kText));
  std::vector<Value> v = vv.Elements(Type::Of(TypeId::kText));
  if (k.size() != v.size()) {
    Throw(SqlState::kArraySubscriptError, "mismatched array dimensions");
  }
  for (size_t i = 0; i < k.size(); ++i) {
    if (k[i].is_null) null_key();
    pairs.emplace_back(k[i].s, v[i].is_null ? std::nullopt : std::optional(v[i].s));
  }
  return pairs;
}
Value FnJsonObject(const Args& a, const BoundExpr&, ExecState&) {
  std::string out = "{";
  bool first = true;
  for (auto& [k, v] : ObjectPairs(a)) {
    if (!first) out.append(", ");
    first = false;
    AppendJsonString(k, &out);
    out.append(" : ");
    if (v) {
      AppendJsonString(*v, &out);
    } else {
      out.append("null");
    }
  }
  out.push_back('}');
  return Json(std::move(out));
}
Value FnJsonbObject(const Args& a, const BoundExpr&, ExecState&) {
  JsonNode n;
  n.kind = Kind::kObject;
  for (auto& [k, v] : ObjectPairs(a)) {
    n.keys.push_back(k);
    n.items.push_back(v ? JsonNode::String(*v) : JsonNode{});
  }
  return Jsonb(EncodeJsonb(n));
}

// ---- Modifying (on the decoded tree; the encoder sorts keys again).

JsonNode TreeOf(const Value& v) { return JsonbToTree(JsonbRoot(v.s)); }

void StripNulls(JsonNode* n) {
  if (n->kind == Kind::kObject) {
    JsonNode out;
    out.kind = Kind::kObject;
    for (size_t i = 0; i < n->keys.size(); ++i) {
      if (n->items[i].kind == Kind::kNull) continue;
      StripNulls(&n->items[i]);
      out.keys.push_back(std::move(n->keys[i]));
      out.items.push_back(std::move(n->items[i]));
    }
    out.begin = n->begin;
    *n = std::move(out);
  } else if (n->kind == Kind::kArray) {
    for (JsonNode& e : n->items) StripNulls(&e);
  }
}
Value FnJsonbStripNulls(const Args& a, const BoundExpr&, ExecState&) {
  JsonNode n = TreeOf(a[0]);
  StripNulls(&n);
  return Jsonb(EncodeJsonb(n));
}
// json_strip_nulls re-emits the text compactly (its semantic actions print no white space).
void AppendCompactJson(const JsonNode& n, std::string_view src, std::string* out) {
  switch (n.kind) {
    case Kind::kObject: {
      out->push_back('{');
      bool first = true;
      for (size_t i = 0; i < n.keys.size(); ++i) {
        if (n.items[i].kind == Kind::kNull) continue;
        if (!first) out->push_back(',');
        first = false;
        AppendJsonString(n.keys[i], out);
        out->push_back(':');
        AppendCompactJson(n.items[i], src, out);
      }
      out->push_back('}');
      return;
    }
    case Kind::kArray:
      out->push_back('[');
      for (size_t i = 0; i < n.items.size(); ++i) {
        if (i > 0) out->push_back(',');
        AppendCompactJson(n.items[i], src, out);
      }
      out->push_back(']');
      return;
    default:
      out->append(src.substr(n.begin, n.end - n.begin));
  }
}
Value FnJsonStripNulls(const Args& a, const BoundExpr&, ExecState&) {
  JsonNode n = ParseJson(a[0].s, true);
  std::string out;
  AppendCompactJson(n, a[0].s, &out);
  return Json(std::move(out));
}

// Elements of a value as jsonb_concat sees them: an object or scalar is one element.
std::vector<JsonNode> AsElements(JsonNode n) {
  if (n.kind == Kind::kArray) return std::move(n.items);
  std::vector<JsonNode> v;
  v.push_back(std::move(n));
  return v;
}
Value FnJsonbConcat(const Args& a, const BoundExpr&, ExecState&) {
  JsonNode l = TreeOf(a[0]), r = TreeOf(a[1]);
  JsonNode out;
  if (l.kind == Kind::kObject && r.kind == Kind::kObject) {
    out = std::move(l);
    for (size_t i = 0; i < r.keys.size(); ++i) {
      out.keys.push_back(std::move(r.keys[i]));
      out.items.push_back(std::move(r.items[i]));
    }
    return Jsonb(EncodeJsonb(out));
  }
  out.kind = Kind::kArray;
  out.items = AsElements(std::move(l));
  for (JsonNode& e : AsElements(std::move(r))) out.items.push_back(std::move(e));
  return Jsonb(EncodeJsonb(out));
}

void DeleteKeys(JsonNode* n, const std::vector<std::optional<std::string>>& keys) {
  auto hit = [&](std::string_view k) {
    for (const auto& x : keys) {
      if (x && *x == k) return true;
    }
    return false;
  };
  JsonNode out;
  out.kind = n->kind;
  for (size_t i = 0; i < n->items.size(); ++i) {
    if (n->kind == Kind::kObject) {
      if (hit(n->keys[i])) continue;
      out.keys.push_back(std::move(n->keys[i]));
    } else if (n->items[i].kind == Kind::kString && hit(n->items[i].text)) {
      continue;
    }
    out.items.push_back(std::move(n->items[i]));
  }
  *n = std::move(out);
}
Value FnJsonbDelete(const Args& a, const BoundExpr&, ExecState&) {
  JsonbRef r = JsonbRoot(a[0].s);
  if (!r.IsContainer()) Bad("cannot delete from scalar");
  if (r.size() == 0) return a[0];
  JsonNode n = JsonbToTree(r);
  if (IsArrayType(a[1].type.id)) {
    DeleteKeys(&n, TextArray(a[1]));
  } else {
    DeleteKeys(&n, {a[1].s});
  }
  return Jsonb(EncodeJsonb(n));
}
Value FnJsonbDeleteIndex(const Args& a, const BoundExpr&, ExecState&) {
  JsonbRef r = JsonbRoot(a[0].s);
  if (!r.IsContainer()) Bad("cannot delete from scalar");
  if (r.kind() == JsonbKind::kObject) Bad("cannot delete from object using integer index");
  const int64_t n = r.size();
  int64_t i = a[1].i;
  if (i < 0) i += n;
  if (i < 0 || i >= n) return a[0];
  JsonNode t = JsonbToTree(r);
  t.items.erase(t.items.begin() + i);
  return Jsonb(EncodeJsonb(t));
}

// setPath's operations (jsonfuncs.c JB_PATH_*).
enum PathOp : int {
  kReplace = 0x2,
  kCreate = 0x4,
  kDelete = 0x8,
  kInsertBefore = 0x10,
  kInsertAfter = 0x20,
  kCreateOrInsert = kInsertBefore | kInsertAfter | kCreate,
  kFillGaps = 0x40,            // subscript assignment: pad arrays with nulls, build the path
  kConsistentPosition = 0x80,  // subscript assignment: no prepending by a negative index
};

// push_path: the containers the rest of the path (after `level`) names, holding newval.
JsonNode PushPath(const std::vector<std::optional<std::string>>& path, size_t i,
                  const JsonNode& newval) {
  if (i >= path.size() || !path[i]) return newval;
  JsonNode n;
  if (std::optional<int64_t> index = ParseIndex(*path[i])) {
    n.kind = Kind::kArray;
    for (int64_t k = 0; k < *index; ++k) n.items.emplace_back();
    n.items.push_back(PushPath(path, i + 1, newval));
  } else {
    n.kind = Kind::kObject;
    n.keys.push_back(*path[i]);
    n.items.push_back(PushPath(path, i + 1, newval));
  }
  return n;
}

[[noreturn]] void ScalarInPath() {
  Error e(SqlState::kInvalidParameterValue, "cannot replace existing key");
  e.Detail("The path assumes key is a composite object, but it is a scalar value.");
  throw e;
}

void SetPath(JsonNode* n, const std::vector<std::optional<std::string>>& path, size_t level,
             const JsonNode* newval, int op);

void SetPathObject(JsonNode* n, const std::vector<std::optional<std::string>>& path, size_t level,
                   const JsonNode* newval, int op) {
  const std::string& key = *path[level];
  const bool last = level == path.size() - 1;
  for (size_t i = 0; i < n->keys.size(); ++i) {
    if (n->keys[i] != key) continue;
    if (!last) {
      SetPath(&n->items[i], path, level + 1, newval, op);
      return;
    }
    if (op & (kInsertBefore | kInsertAfter)) {
      Error e(SqlState::kInvalidParameterValue, "cannot replace existing key");
      e.Hint("Try using the function jsonb_set to replace key value.");
      throw e;
    }
    if (op & kDelete) {
      n->keys.erase(n->keys.begin() + static_cast<std::ptrdiff_t>(i));
      n->items.erase(n->items.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      n->items[i] = *newval;
    }
    return;
  }
  if ((op & kCreateOrInsert) && last) {
    n->keys.push_back(key);
    n->items.push_back(*newval);
  } else if ((op & kFillGaps) && !last) {
    n->keys.push_back(key);
    n->items.push_back(PushPath(path, level + 1, *newval));
  }
}

void SetPathArray(JsonNode* n, const std::vector<std::optional<std::string>>& path, size_t level,
                  const JsonNode* newval, int op) {
  const auto nelems = static_cast<int64_t>(n->items.size());
  const std::optional<int64_t> parsed = ParseIndex(*path[level]);
  if (!parsed) {
    Throw(SqlState::kInvalidTextRepresentation,
          "path element at position {} is not an integer: \"{}\"", level + 1, *path[level]);
  }
  int64_t idx = *parsed;
  bool prepend = false;
  if (idx < 0) {
    if (-idx > nelems) {
      if (op & kConsistentPosition) {
        Throw(SqlState::kInvalidParameterValue, "path element at position {} is out of range: {}",
              level + 1, idx);
      }
      prepend = true;
    } else {
      idx += nelems;
    }
  }
  if (!(op & kFillGaps) && !prepend && idx > nelems) idx = nelems;
  const bool last = level == path.size() - 1;
  if ((prepend || nelems == 0) && last && (op & kCreateOrInsert)) {
    if ((op & kFillGaps) && nelems == 0 && idx > 0) n->items.resize(static_cast<size_t>(idx));
    n->items.insert(n->items.begin() + (prepend ? 0 : static_cast<std::ptrdiff_t>(n->items.size())),
                    *newval);
    return;
  }
  if (!prepend && idx < nelems) {
    auto at = n->items.begin() + idx;
    if (!last) {
      SetPath(&*at, path, level + 1, newval, op);
      return;
    }
    if (op & kInsertBefore) {
      n->items.insert(at, *newval);
    } else if (op & kInsertAfter) {
      n->items.insert(at + 1, *newval);
    } else if (op & kDelete) {
      n->items.erase(at);
    } else {
      *at = *newval;
    }
    return;
  }
  if ((op & kCreateOrInsert) && last) {
    if ((op & kFillGaps) && idx > nelems) n->items.resize(static_cast<size_t>(idx));
    n->items.push_back(*newval);
  } else if ((op & kFillGaps) && !last) {
    if (idx > nelems) n->items.resize(static_cast<size_t>(idx));
    n->items.push_back(PushPath(path, level + 1, *newval));
  }
}

void SetPath(JsonNode* n, const std::vector<std::optional<std::string>>& path, size_t level,
             const JsonNode* newval, int op) {
  if (!path[level]) {
    Throw(SqlState::kNullValueNotAllowed, "path element at position {} is null", level + 1);
  }
  if (n->kind == Kind::kObject) {
    SetPathObject(n, path, level, newval, op);
  } else if (n->kind == Kind::kArray) {
    SetPathArray(n, path, level, newval, op);
  } else if (op & kFillGaps) {
    ScalarInPath();
  }
}

// jsonb_subscript_assign: doc[s1][s2]... = value (a NULL doc is {} or [] as the first
// subscript is text or integer).
Value FnJsonbSetElement(const Args& a, const BoundExpr&, ExecState&) {
  std::vector<std::optional<std::string>> path;
  for (size_t i = 2; i < a.size(); ++i) {
    if (a[i].is_null) {
      Throw(SqlState::kNullValueNotAllowed, "jsonb subscript in assignment must not be null");
    }
    path.emplace_back(a[i].type.id == TypeId::kText ? a[i].s : std::to_string(a[i].i));
  }
  JsonNode n;
  if (a[0].is_null) {
    n.kind = a.size() > 2 && a[2].type.id != TypeId::kText ? Kind::kArray : Kind::kObject;
  } else {
    n = TreeOf(a[0]);
  }
  const JsonNode newval = a[1].is_null ? JsonNode{} : TreeOf(a[1]);
  if (n.IsScalar()) ScalarInPath();
  SetPath(&n, path, 0, &newval, kCreate | kFillGaps | kConsistentPosition);
  return Jsonb(EncodeJsonb(n));
}

Value SetOrInsert(const Args& a, int op) {
  JsonbRef r = JsonbRoot(a[0].s);
  auto path = TextArray(a[1]);
  if (!r.IsContainer()) Bad("cannot set path in scalar");
  if (r.size() == 0 && op == kReplace) return a[0];
  if (path.empty()) return a[0];
  JsonNode n = JsonbToTree(r);
  JsonNode newval = TreeOf(a[2]);
  SetPath(&n, path, 0, &newval, op);
  return Jsonb(EncodeJsonb(n));
}
Value FnJsonbSet(const Args& a, const BoundExpr&, ExecState&) {
  const bool create = a.size() < 4 || a[3].i != 0;
  return SetOrInsert(a, create ? kCreate : kReplace);
}
Value FnJsonbInsert(const Args& a, const BoundExpr&, ExecState&) {
  const bool after = a.size() > 3 && a[3].i != 0;
  return SetOrInsert(a, after ? kInsertAfter : kInsertBefore);
}
Value FnJsonbDeletePath(const Args& a, const BoundExpr&, ExecState&) {
  JsonbRef r = JsonbRoot(a[0].s);
  auto path = TextArray(a[1]);
  if (!r.IsContainer()) Bad("cannot delete path in scalar");
  if (r.size() == 0 || path.empty()) return a[0];
  JsonNode n = JsonbToTree(r);
  SetPath(&n, path, 0, nullptr, kDelete);
  return Jsonb(EncodeJsonb(n));
}
// Not strict: a NULL new value follows null_value_treatment.
Value FnJsonbSetLax(const Args& a, const BoundExpr& e, ExecState& st) {
  const Value jnull = Jsonb(EncodeJsonb(JsonNode{}));
  std::string treatment = a.size() > 4 ? (a[4].is_null ? "" : a[4].s) : "use_json_null";
  if (a.size() > 4 && a[4].is_null) {
    Throw(SqlState::kNullValueNotAllowed,
          "null_value_treatment must be \"delete_key\", \"return_target\", \"use_json_null\", or "
          "\"raise_exception\"");
  }
  if (a[0].is_null || a[1].is_null || (a.size() > 3 && a[3].is_null)) {
    return Value::Null(Type::Of(kJsonbType));
  }
  if (!a[2].is_null) return FnJsonbSet(a, e, st);
  if (treatment == "raise_exception") {
    Error err(SqlState::kNullValueNotAllowed, "JSON value must not be null");
    err.Detail("Exception was raised because null_value_treatment is \"raise_exception\".");
    err.Hint(
        "To avoid, either change the null_value_treatment argument or ensure that an SQL "
        "NULL is not passed.");
    throw err;
  }
  if (treatment == "use_json_null") {
    Args b = a;
    b[2] = jnull;
    return FnJsonbSet(b, e, st);
  }
  if (treatment == "delete_key") return FnJsonbDeletePath(a, e, st);
  if (treatment == "return_target") return a[0];
  Throw(SqlState::kInvalidParameterValue,
        "null_value_treatment must be \"delete_key\", \"return_target\", \"use_json_null\", or "
        "\"raise_exception\"");
}

// f(VARIADIC array) of the json_build_* functions: the array's elements as the arguments.
template <Value (*kFn)(const Args&, const BoundExpr&, ExecState&)>
Value FnVariadic(const Args& a, const BoundExpr& e, ExecState& st) {
  if (a.back().is_null) return Value::Null(e.type);
  Args expanded(a.begin(), a.end() - 1);
  ArrayView view(a.back().s);
  for (Value& v : view.Elements(ElementTypeOf(a.back().type))) expanded.push_back(std::move(v));
  if (e.op.find("_object") != std::string::npos && expanded.size() % 2 != 0) {
    Error err(SqlState::kInvalidParameterValue, "argument list must have even number of elements");
    err.Hint(fmt::format("The arguments of {}() must consist of alternating keys and values.",
                         e.op.substr(0, e.op.size() - std::string_view("_variadic").size())));
    throw err;
  }
  return kFn(expanded, e, st);
}

// ---- The aggregates: an array_agg of per-row elements, then these final functions.

// json_object_agg's element: [key, value] with the key as a JSON string (null for NULL).
Value FnJsonAggPair(const Args& a, const BoundExpr&, ExecState& st) {
  std::string out = "[";
  if (a[0].is_null) {
    out.append("null");
  } else {
    AppendJsonString(KeyText(a[0], 1, st.ctx.format, false), &out);
  }
  out.push_back(',');
  AppendAsJson(a[1], st.ctx.format, &out);
  out.push_back(']');
  return Json(std::move(out));
}
Value FnJsonbAggPair(const Args& a, const BoundExpr&, ExecState& st) {
  JsonNode n;
  n.kind = Kind::kArray;
  n.items.push_back(a[0].is_null ? JsonNode{}
                                 : JsonNode::String(KeyText(a[0], 1, st.ctx.format, true)));
  n.items.push_back(ValueToNode(a[1], st.ctx.format));
  return Jsonb(EncodeJsonb(n));
}

std::vector<Value> Elements(const Value& arr, TypeId elem) {
  return ArrayView(arr.s).Elements(Type::Of(elem));
}

// json_agg: "[" elements ", " "]", a structured element after the first on a new line.
Value FnJsonAggFinal(const Args& a, const BoundExpr&, ExecState&) {
  if (a[0].is_null) return Value::Null(Type::Of(kJsonType));
  const bool containers = a[1].i != 0;
  std::string out = "[";
  bool first = true;
  for (const Value& e : Elements(a[0], kJsonType)) {
    if (!first) {
      out.append(", ");
      if (containers && e.s != "null") out.append("\n ");
    }
    first = false;
    out.append(e.s);
  }
  out.push_back(']');
  return Json(std::move(out));
}
Value FnJsonbAggFinal(const Args& a, const BoundExpr&, ExecState&) {
  if (a[0].is_null) return Value::Null(Type::Of(kJsonbType));
  JsonNode n;
  n.kind = Kind::kArray;
  for (const Value& e : Elements(a[0], kJsonbType)) n.items.push_back(TreeOf(e));
  return Jsonb(EncodeJsonb(n));
}
[[noreturn]] void NullFieldName() { Bad("field name must not be null"); }
Value FnJsonObjectAggFinal(const Args& a, const BoundExpr&, ExecState&) {
  if (a[0].is_null) return Value::Null(Type::Of(kJsonType));
  std::string out = "{ ";
  bool first = true;
  for (const Value& e : Elements(a[0], kJsonType)) {
    JsonNode pair = ParseJson(e.s, true);
    if (pair.items[0].kind == Kind::kNull) NullFieldName();
    if (!first) out.append(", ");
    first = false;
    AppendJsonString(pair.items[0].text, &out);
    out.append(" : ");
    out.append(
        std::string_view(e.s).substr(pair.items[1].begin, pair.items[1].end - pair.items[1].begin));
  }
  out.append(" }");
  return Json(std::move(out));
}
Value FnJsonbObjectAggFinal(const Args& a, const BoundExpr&, ExecState&) {
  if (a[0].is_null) return Value::Null(Type::Of(kJsonbType));
  JsonNode n;
  n.kind = Kind::kObject;
  for (const Value& e : Elements(a[0], kJsonbType)) {
    JsonNode pair = TreeOf(e);
    if (pair.items[0].kind == Kind::kNull) NullFieldName();
    n.keys.push_back(std::move(pair.items[0].text));
    n.items.push_back(std::move(pair.items[1]));
  }
  return Jsonb(EncodeJsonb(n));
}

// ---- Set-returning functions of one column.

std::vector<Value> ArrayElements(const Value& v, bool text) {
  std::vector<Value> out;
  if (v.type.id == kJsonbType) {
    JsonbRef r = JsonbRoot(v.s);
    if (!r.IsContainer()) Bad("cannot extract elements from a scalar");
    if (r.kind() != JsonbKind::kArray) Bad("cannot extract elements from an object");
    for (uint32_t i = 0; i < r.size(); ++i) out.push_back(JsonbResult(r.element(i), text));
    return out;
  }
  JsonNode n = ParseJson(v.s, true);
  if (n.kind == Kind::kObject) Bad("cannot extract elements from an object");
  if (n.kind != Kind::kArray) Bad("cannot extract elements from a scalar");
  for (const JsonNode& c : n.items) out.push_back(JsonResult(&c, v.s, text));
  return out;
}
std::vector<Value> SrfArrayElements(const Args& a, const BoundExpr& e, ExecState&) {
  return ArrayElements(a[0], e.type.id == TypeId::kText);
}
std::vector<Value> SrfJsonbObjectKeys(const Args& a, const BoundExpr&, ExecState&) {
  JsonbRef r = JsonbRoot(a[0].s);
  if (!r.IsContainer()) Bad("cannot call jsonb_object_keys on a scalar");
  if (r.kind() != JsonbKind::kObject) Bad("cannot call jsonb_object_keys on an array");
  std::vector<Value> out;
  for (uint32_t i = 0; i < r.size(); ++i) out.push_back(Text(std::string(r.key(i))));
  return out;
}
std::vector<Value> SrfJsonObjectKeys(const Args& a, const BoundExpr&, ExecState&) {
  JsonNode n = ParseJson(a[0].s, true);
  if (n.kind == Kind::kArray) Bad("cannot call json_object_keys on an array");
  if (n.kind != Kind::kObject) Bad("cannot call json_object_keys on a scalar");
  std::vector<Value> out;
  for (const std::string& k : n.keys) out.push_back(Text(k));
  return out;
}

}  // namespace

void AppendValueAsJson(const Value& v, std::string* out) { AppendAsJson(v, FormatOptions{}, out); }

void AppendValueAsJsonbNode(const Value& v, std::string* out) {
  AppendJsonbNode(ValueToNode(v, FormatOptions{}), out);
}

std::vector<std::vector<Value>> EvaluateJsonEach(const std::string& name, const Value& arg) {
  std::vector<std::vector<Value>> rows;
  if (arg.is_null) return rows;
  const bool text = name.size() > 5 && name.compare(name.size() - 5, 5, "_text") == 0;
  if (name.find("_elements") != std::string::npos) {
    for (Value& v : ArrayElements(arg, text)) rows.push_back({std::move(v)});
    return rows;
  }
  if (name.rfind("jsonb", 0) == 0) {
    JsonbRef r = JsonbRoot(arg.s);
    if (r.kind() != JsonbKind::kObject) Bad(fmt::format("cannot call {} on a non-object", name));
    for (uint32_t i = 0; i < r.size(); ++i) {
      rows.push_back({Text(std::string(r.key(i))), JsonbResult(r.value(i), text)});
    }
    return rows;
  }
  JsonNode n = ParseJson(arg.s, true);
  if (n.kind == Kind::kArray) Bad("cannot deconstruct an array as an object");
  if (n.kind != Kind::kObject) Bad("cannot deconstruct a scalar");
  for (size_t i = 0; i < n.keys.size(); ++i) {
    rows.push_back({Text(n.keys[i]), JsonResult(&n.items[i], arg.s, text)});
  }
  return rows;
}

namespace {

// A populated column from its JSON value (json or jsonb; SQL NULL when missing or JSON null).
Value PopulatedColumn(const Value& json, const Value& text, Type type,
                      const FormatOptions& format) {
  if (json.is_null || text.is_null) return Value::Null(type);
  if (type.id == json.type.id) return json;
  if (type.id == kJsonType || type.id == kJsonbType) return CastValue(json, type, format);
  return CastValue(text, type, format);
}

}  // namespace

std::vector<std::vector<Value>> EvaluateJsonToRecord(const std::string& name, const Value& arg,
                                                     const std::vector<std::string>& columns,
                                                     const std::vector<Type>& types,
                                                     const FormatOptions& format) {
  const bool set = name.size() > 10 && name.compare(name.size() - 10, 10, "_recordset") == 0;
  std::vector<std::vector<Value>> rows;
  if (arg.is_null) {
    if (!set) {
      std::vector<Value> nulls;
      for (const Type& t : types) nulls.push_back(Value::Null(t));
      rows.push_back(std::move(nulls));
    }
    return rows;
  }
  const std::string not_objects = fmt::format("argument of {} must be an array of objects", name);
  if (arg.type.id == kJsonbType) {
    auto row_of = [&](JsonbRef obj) {
      std::vector<Value> row;
      for (size_t k = 0; k < columns.size(); ++k) {
        std::optional<JsonbRef> v = obj.Find(columns[k]);
        row.push_back(
            PopulatedColumn(JsonbResult(v, false), JsonbResult(v, true), types[k], format));
      }
      rows.push_back(std::move(row));
    };
    JsonbRef r = JsonbRoot(arg.s);
    if (set) {
      if (r.kind() != JsonbKind::kArray) Bad(fmt::format("cannot call {} on a non-array", name));
      for (uint32_t i = 0; i < r.size(); ++i) {
        if (r.element(i).kind() != JsonbKind::kObject) Bad(not_objects);
        row_of(r.element(i));
      }
    } else {
      if (r.kind() == JsonbKind::kArray) Bad("cannot call populate_composite on an array");
      if (r.kind() != JsonbKind::kObject) Bad("cannot call populate_composite on a scalar");
      row_of(r);
    }
    return rows;
  }
  JsonNode n = ParseJson(arg.s, true);
  auto row_of = [&](const JsonNode& obj) {
    std::vector<Value> row;
    for (size_t k = 0; k < columns.size(); ++k) {
      const JsonNode* v = JsonField(obj, columns[k]);
      row.push_back(PopulatedColumn(JsonResult(v, arg.s, false), JsonResult(v, arg.s, true),
                                    types[k], format));
    }
    rows.push_back(std::move(row));
  };
  if (set) {
    if (n.kind == Kind::kObject) Bad(fmt::format("cannot call {} on an object", name));
    if (n.kind != Kind::kArray) Bad(fmt::format("cannot call {} on a scalar", name));
    for (const JsonNode& c : n.items) {
      if (c.kind != Kind::kObject) Bad(not_objects);
      row_of(c);
    }
  } else {
    if (n.kind == Kind::kArray) Bad("cannot call populate_composite on an array");
    if (n.kind != Kind::kObject) Bad("cannot call populate_composite on a scalar");
    row_of(n);
  }
  return rows;
}

namespace {
const std::vector<StringFunctionEntry>& JsonFunctionEntriesWithoutPaths();
}  // namespace

const std::vector<StringFunctionEntry>& JsonFunctionEntries() {
  static const std::vector<StringFunctionEntry> kEntries = [] {
    std::vector<StringFunctionEntry> all = JsonFunctionEntriesWithoutPaths();
    all.insert(all.end(), JsonPathFunctionEntries().begin(), JsonPathFunctionEntries().end());
    return all;
  }();
  return kEntries;
}

namespace {
const std::vector<StringFunctionEntry>& JsonFunctionEntriesWithoutPaths() {
  static const std::vector<StringFunctionEntry> kEntries = {
      {"jsonb_object_field", FnJsonbObjectField, true},
      {"jsonb_object_field_text", FnJsonbObjectFieldText, true},
      {"jsonb_array_element", FnJsonbArrayElement, true},
      {"jsonb_array_element_text", FnJsonbArrayElementText, true},
      {"jsonb_extract_path", FnJsonbExtractPath<false>, true},
      {"jsonb_extract_path_text", FnJsonbExtractPath<true>, true},
      {"json_object_field", FnJsonObjectField, true},
      {"json_object_field_text", FnJsonObjectFieldText, true},
      {"json_array_element", FnJsonArrayElement, true},
      {"json_array_element_text", FnJsonArrayElementText, true},
      {"json_extract_path", FnJsonExtractPath<false>, true},
      {"json_extract_path_text", FnJsonExtractPath<true>, true},
      {"jsonb_subscript", FnJsonbSubscript, false},
      {"jsonb_contains", FnJsonbContains, true},
      {"jsonb_contained", FnJsonbContained, true},
      {"doc_match", FnDocMatch, true},
      {"jsonb_exists", FnJsonbExists, true},
      {"jsonb_exists_any", FnJsonbExistsAnyAll<false>, true},
      {"jsonb_exists_all", FnJsonbExistsAnyAll<true>, true},
      {"jsonb_typeof", FnJsonbTypeof, true},
      {"json_typeof", FnJsonTypeof, true},
      {"jsonb_array_length", FnJsonbArrayLength, true},
      {"json_array_length", FnJsonArrayLength, true},
      {"jsonb_pretty", FnJsonbPretty, true},
      {"to_json", FnToJson, false},
      {"to_jsonb", FnToJsonb, false},
      {"array_to_json", FnArrayToJson, false},
      {"row_to_json", FnRowToJson, false},
      {"json_build_array", FnJsonBuildArray, false},
      {"jsonb_build_array", FnJsonbBuildArray, false},
      {"json_build_object", FnJsonBuildObject, false},
      {"jsonb_build_object", FnJsonbBuildObject, false},
      {"json_object", FnJsonObject, true},
      {"jsonb_object", FnJsonbObject, true},
      {"jsonb_strip_nulls", FnJsonbStripNulls, true},
      {"json_strip_nulls", FnJsonStripNulls, true},
      {"jsonb_concat", FnJsonbConcat, true},
      {"jsonb_delete", FnJsonbDelete, true},
      {"jsonb_delete_index", FnJsonbDeleteIndex, true},
      {"jsonb_delete_path", FnJsonbDeletePath, true},
      {"jsonb_set", FnJsonbSet, true},
      {"jsonb_insert", FnJsonbInsert, true},
      {"jsonb_set_lax", FnJsonbSetLax, false},
      {"jsonb_set_element", FnJsonbSetElement, false},
      {"json_build_array_variadic", FnVariadic<FnJsonBuildArray>, false},
      {"jsonb_build_array_variadic", FnVariadic<FnJsonbBuildArray>, false},
      {"json_build_object_variadic", FnVariadic<FnJsonBuildObject>, false},
      {"jsonb_build_object_variadic", FnVariadic<FnJsonbBuildObject>, false},
      {"json_agg_pair", FnJsonAggPair, false},
      {"jsonb_agg_pair", FnJsonbAggPair, false},
      {"json_agg_final", FnJsonAggFinal, false},
      {"jsonb_agg_final", FnJsonbAggFinal, false},
      {"json_object_agg_final", FnJsonObjectAggFinal, false},
      {"jsonb_object_agg_final", FnJsonbObjectAggFinal, false},
  };
  return kEntries;
}
}  // namespace

const std::vector<SetFunctionEntry>& JsonSetFunctionEntries() {
  static const std::vector<SetFunctionEntry> kEntries = {
      {"json_array_elements", SrfArrayElements, true},
      {"json_array_elements_text", SrfArrayElements, true},
      {"jsonb_array_elements", SrfArrayElements, true},
      {"jsonb_array_elements_text", SrfArrayElements, true},
      {"json_object_keys", SrfJsonObjectKeys, true},
      {"jsonb_object_keys", SrfJsonbObjectKeys, true},
  };
  static const std::vector<SetFunctionEntry> kWithPaths = [] {
    std::vector<SetFunctionEntry> all = kEntries;
    all.insert(all.end(), JsonPathSetFunctionEntries().begin(), JsonPathSetFunctionEntries().end());
    return all;
  }();
  return kWithPaths;
}

}  // namespace activestore::executor
