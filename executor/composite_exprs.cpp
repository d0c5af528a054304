#include "executor/composite_exprs.h"

#include "common/aclitem.h"
#include "common/array.h"
#include "common/builtin_catalog.h"
#include "common/composite.h"
#include "common/error.h"

namespace activestore::executor {
namespace {

Value FnRow(const std::vector<Value>& args, const planner::BoundExpr& e, ExecState&) {
  std::vector<Value> fields;
  fields.reserve(args.size());
  for (size_t i = 0; i < args.size(); ++i) {
    fields.push_back(args[i]);
    fields.back().type = e.children[i]->type;  // NULLs keep the field's type
  }
  return MakeRecordValue(e.type, fields);
}

Value FnRecordField(const std::vector<Value>& args, const planner::BoundExpr& e, ExecState&) {
  if (args[0].is_null) return Value::Null(e.type);
  RecordView view(args[0].s);
  const auto i = static_cast<size_t>(args[1].i);
  if (i >= view.size()) {
    Throw(SqlState::kDatatypeMismatch, "record has {} fields, field {} requested", view.size(),
          i + 1);
  }
  Value v = view.field(i);
  if (v.type.id != e.type.id) {
    Throw(SqlState::kDatatypeMismatch, "attribute {} of type record has wrong type", i + 1);
  }
  return v;
}

// x IS NULL for a row value: x is NULL or every field is; IS NOT NULL: x is not NULL and no field
// is (so a row with some NULL fields is neither).
template <bool kNull>
Value FnRecordIsNull(const std::vector<Value>& args, const planner::BoundExpr&, ExecState&) {
  if (args[0].is_null) return Value::Bool(kNull);
  const RecordView row(args[0].s);
  for (const Value& f : row.fields()) {
    if (f.is_null != kNull) return Value::Bool(false);
  }
  return Value::Bool(true);
}

std::vector<Value> FnPgExpandArray(const std::vector<Value>& args, const planner::BoundExpr& e,
                                   ExecState&) {
  std::vector<Value> rows;
  ArrayView view(args[0].s);
  const Type elem = ElementTypeOf(e.children[0]->type);
  view.ForEach(elem, [&](size_t i, Value v) {
    v.type = elem;
    rows.push_back(MakeRecordValue(e.type, {v, Value::Int32(static_cast<int32_t>(i + 1))}));
  });
  return rows;
}

// pg_options_to_table(text[]): each "name=value" option as (option_name, option_value), the
// value NULL when there is no '='.
std::vector<Value> FnPgOptionsToTable(const std::vector<Value>& args, const planner::BoundExpr& e,
                                      ExecState&) {
  std::vector<Value> rows;
  ArrayView(args[0].s).ForEach(Type::Of(TypeId::kText), [&](size_t, const Value& v) {
    if (v.is_null) return;
    const size_t eq = v.s.find('=');
    Value name = Value::Text(v.s.substr(0, eq));
    Value value = eq == std::string::npos ? Value::Null(Type::Of(TypeId::kText))
                                          : Value::Text(v.s.substr(eq + 1));
    rows.push_back(MakeRecordValue(e.type, {name, value}));
  });
  return rows;
}

// aclexplode(aclitem[]): each privilege of each entry as (grantor, grantee, privilege_type,
// is_grantable), in the entries' order and, within one, in AclMode bit order (PostgreSQL's
// aclexplode and convert_aclright_to_string).
std::vector<Value> FnAclExplode(const std::vector<Value>& args, const planner::BoundExpr& e,
                                ExecState&) {
  static constexpr const char* kPrivileges[] = {
      "INSERT",  "SELECT", "UPDATE", "DELETE",    "TRUNCATE", "REFERENCES", "TRIGGER",
      "EXECUTE", "USAGE",  "CREATE", "TEMPORARY", "CONNECT",  "SET",        "ALTER SYSTEM"};
  static_assert(std::size(kPrivileges) + 1 == std::size(kAclLetters));
  std::vector<Value> rows;
  ArrayView(args[0].s).ForEach(Type::Of(kAclItemType), [&](size_t, const Value& v) {
    if (v.is_null) return;
    const AclItemParts item = AclItemOf(v);
    for (size_t bit = 0; bit < std::size(kPrivileges); ++bit) {
      if ((item.privs & (1u << bit)) == 0) continue;
      rows.push_back(MakeRecordValue(
          e.type,
          {Value::Int(TypeId::kOid, item.grantor), Value::Int(TypeId::kOid, item.grantee),
           Value::Text(kPrivileges[bit]), Value::Bool((item.grant_options & (1u << bit)) != 0)}));
    }
  });
  return rows;
}

// pg_get_keywords(): PostgreSQL 15's key words with their categories.
std::vector<Value> FnPgGetKeywords(const std::vector<Value>&, const planner::BoundExpr& e,
                                   ExecState&) {
  std::vector<Value> rows;
  for (const builtin_catalog::Keyword& k : builtin_catalog::Listed().keywords) {
    const char* desc = k.category == 'U'   ? "unreserved"
                       : k.category == 'C' ? "unreserved (cannot be function or type name)"
                       : k.category == 'T' ? "reserved (can be function or type name)"
                                           : "reserved";
    Value code = Value::Int(TypeId::kChar, k.category);
    rows.push_back(MakeRecordValue(
        e.type, {Value::Text(k.word), code, Value::Bool(k.bare_label), Value::Text(desc),
                 Value::Text(k.bare_label ? "can be bare label" : "requires AS")}));
  }
  return rows;
}

}  // namespace

const std::vector<SetFunctionEntry>& CompositeSetFunctionEntries() {
  static const std::vector<SetFunctionEntry> kEntries = {
      {"_pg_expandarray", FnPgExpandArray, true},
      {"pg_options_to_table", FnPgOptionsToTable, true},
      {"aclexplode", FnAclExplode, true},
      {"pg_get_keywords", FnPgGetKeywords, false},
  };
  return kEntries;
}

const std::vector<StringFunctionEntry>& CompositeFunctionEntries() {
  static const std::vector<StringFunctionEntry> kEntries = {
      {"row", FnRow, false},
      {"record_field", FnRecordField, false},
      {"record_is_null", FnRecordIsNull<true>, false},
      {"record_is_not_null", FnRecordIsNull<false>, false},
  };
  return kEntries;
}

}  // namespace activestore::executor
