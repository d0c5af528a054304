// The SQL/JSON path functions (jsonb_path_exists, _match, _query, _query_array, _query_first,
// their _tz forms) and the functions of the @? and @@ operators, on common/jsonpath_exec.h.
// Bound in planner/bind_json.cpp; docs/design/2026-12-06-jsonpath.md.
#include <string>
#include <vector>

#include "common/error.h"
#include "common/json.h"
#include "common/jsonb.h"
#include "common/jsonpath_exec.h"
#include "executor/json_functions.h"

namespace activestore::executor {
namespace {

using Args = std::vector<Value>;
using planner::BoundExpr;

const std::string& EmptyVars() {
  static const std::string kEmpty = JsonbFromText("{}");
  return kEmpty;
}

// Runs the path of a call (target, path[, vars, silent]); the operators pass no vars and are
// silent.
JsonPathStatus Run(const Args& a, ExecState& st, bool use_tz, bool opr,
                   std::vector<std::string>* out, bool* silent) {
  *silent = opr || (a.size() > 3 && a[3].i != 0);
  const std::string_view vars = opr ? std::string_view() : a.size() > 2 ? a[2].s : EmptyVars();
  return ExecuteJsonPath(a[1].s, a[0].s, vars, !*silent, use_tz, out, &st.ctx.format.tz());
}

Value Exists(const Args& a, ExecState& st, bool tz, bool opr) {
  bool silent;
  const JsonPathStatus r = Run(a, st, tz, opr, nullptr, &silent);
  if (r == JsonPathStatus::kError) return Value::Null(Type::Of(TypeId::kBool));
  return Value::Bool(r == JsonPathStatus::kOk);
}

Value Match(const Args& a, ExecState& st, bool tz, bool opr) {
  bool silent;
  std::vector<std::string> found;
  Run(a, st, tz, opr, &found, &silent);
  if (found.size() == 1) {
    JsonbRef r = JsonbRoot(found[0]);
    if (r.kind() == JsonbKind::kTrue || r.kind() == JsonbKind::kFalse) {
      return Value::Bool(r.kind() == JsonbKind::kTrue);
    }
    if (r.kind() == JsonbKind::kNull) return Value::Null(Type::Of(TypeId::kBool));
  }
  if (!silent) {
    throw Error(SqlState::kSingletonSqlJsonItemRequired, "single boolean result is expected");
  }
  return Value::Null(Type::Of(TypeId::kBool));
}

std::vector<Value> Query(const Args& a, ExecState& st, bool tz) {
  bool silent;
  std::vector<std::string> found;
  Run(a, st, tz, false, &found, &silent);
  std::vector<Value> rows;
  rows.reserve(found.size());
  for (std::string& f : found) rows.push_back(Value::Text(std::move(f), kJsonbType));
  return rows;
}

Value QueryArray(const Args& a, ExecState& st, bool tz) {
  JsonNode arr;
  arr.kind = JsonNode::Kind::kArray;
  for (const Value& v : Query(a, st, tz)) arr.items.push_back(JsonbToTree(JsonbRoot(v.s)));
  return Value::Text(EncodeJsonb(arr), kJsonbType);
}

Value QueryFirst(const Args& a, ExecState& st, bool tz) {
  std::vector<Value> rows = Query(a, st, tz);
  if (rows.empty()) return Value::Null(Type::Of(kJsonbType));
  return std::move(rows[0]);
}

Value FnExists(const Args& a, const BoundExpr&, ExecState& st) {
  return Exists(a, st, false, false);
}
Value FnExistsTz(const Args& a, const BoundExpr&, ExecState& st) {
  return Exists(a, st, true, false);
}
Value FnExistsOpr(const Args& a, const BoundExpr&, ExecState& st) {
  return Exists(a, st, false, true);
}
Value FnMatch(const Args& a, const BoundExpr&, ExecState& st) { return Match(a, st, false, false); }
Value FnMatchTz(const Args& a, const BoundExpr&, ExecState& st) {
  return Match(a, st, true, false);
}
Value FnMatchOpr(const Args& a, const BoundExpr&, ExecState& st) {
  return Match(a, st, false, true);
}
Value FnQueryArray(const Args& a, const BoundExpr&, ExecState& st) {
  return QueryArray(a, st, false);
}
Value FnQueryArrayTz(const Args& a, const BoundExpr&, ExecState& st) {
  return QueryArray(a, st, true);
}
Value FnQueryFirst(const Args& a, const BoundExpr&, ExecState& st) {
  return QueryFirst(a, st, false);
}
Value FnQueryFirstTz(const Args& a, const BoundExpr&, ExecState& st) {
  return QueryFirst(a, st, true);
}
std::vector<Value> SrfQuery(const Args& a, const BoundExpr&, ExecState& st) {
  return Query(a, st, false);
}
std::vector<Value> SrfQueryTz(const Args& a, const BoundExpr&, ExecState& st) {
  return Query(a, st, true);
}

}  // namespace

const std::vector<StringFunctionEntry>& JsonPathFunctionEntries() {
  static const std::vector<StringFunctionEntry> kEntries = {
      {"jsonb_path_exists", FnExists, true},
      {"jsonb_path_exists_tz", FnExistsTz, true},
      {"jsonb_path_exists_opr", FnExistsOpr, true},
      {"jsonb_path_match", FnMatch, true},
      {"jsonb_path_match_tz", FnMatchTz, true},
      {"jsonb_path_match_opr", FnMatchOpr, true},
      {"jsonb_path_query_array", FnQueryArray, true},
      {"jsonb_path_query_array_tz", FnQueryArrayTz, true},
      {"jsonb_path_query_first", FnQueryFirst, true},
      {"jsonb_path_query_first_tz", FnQueryFirstTz, true},
  };
  return kEntries;
}

const std::vector<SetFunctionEntry>& JsonPathSetFunctionEntries() {
  static const std::vector<SetFunctionEntry> kEntries = {
      {"jsonb_path_query", SrfQuery, true},
      {"jsonb_path_query_tz", SrfQueryTz, true},
  };
  return kEntries;
}

}  // namespace activestore::executor
