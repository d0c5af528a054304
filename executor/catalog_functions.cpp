#include "executor/catalog_functions.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>
#include <unordered_map>

#include "common/builtin_catalog.h"
#include "common/reg_types.h"
#include "common/type_registry.h"
#include "executor/deparse.h"
#include "executor/executor.h"
#include "executor/reg_resolver.h"
#include "executor/user_functions.h"
#include "executor/view_text.h"
#include "planner/bound_expr_util.h"
#include "planner/deparse_view.h"
#include "planner/pg_catalog/row_builder.h"
#include "planner/pg_catalog/system_relation.h"
#include "planner/planner.h"
#include "storage/acl.h"

namespace activestore::executor {
namespace {

// pg_opclass.opcname of a built-in operator class.
std::string OpclassName(uint32_t oid) {
  for (const builtin_catalog::OpClass& c : builtin_catalog::Listed().opclasses) {
    if (c.oid == oid) return c.name;
  }
  return std::to_string(oid);
}

namespace pgc = planner::pg_catalog;
using Args = std::vector<Value>;
using planner::BoundExpr;
using storage::Oid;

Value Name(std::string s) { return Value::Text(std::move(s), TypeId::kName); }

// The statement's name resolver (set by the session for every statement it runs).
const CatalogRegResolver& Names(const ExecContext& c) {
  if (!c.names) Throw(SqlState::kInternalError, "no catalog for object names here");
  return *c.names;
}

// pg_get_userbyid(oid) -> name: the role's name, or "unknown (OID=n)".
Value FnPgGetUserById(const Args& a, const BoundExpr&, ExecState& st) {
  const uint32_t oid = static_cast<uint32_t>(a[0].i);
  if (st.ctx.catalog_view) {
    if (const storage::RoleInfo* r = st.ctx.catalog_view->FindRoleByOid(oid)) return Name(r->name);
  }
  return Name(fmt::format("unknown (OID={})", oid));
}

// --- privilege inquiry (has_table_privilege, pg_has_role, ...) ---

// The role an argument names: a name (42704 if none), or an oid.
uint32_t RoleArg(const Value& v, const ExecContext& c) {
  if (v.type.id == TypeId::kOid) return static_cast<uint32_t>(v.i);
  const storage::RoleInfo* r = c.catalog_view->FindRole(v.s);
  if (r == nullptr) Throw(SqlState::kUndefinedObject, "role \"{}\" does not exist", v.s);
  return r->oid;
}

std::string Trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  std::string out(s);
  for (char& ch : out) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return out;
}

// A privilege list such as 'SELECT, INSERT WITH GRANT OPTION' (PostgreSQL's
// convert_any_priv_string): privileges held and those asked with grant option. 22023 for an
// unknown name.
struct AskedPrivileges {
  storage::AclMode plain = 0;
  storage::AclMode with_grant = 0;
};
AskedPrivileges ParsePrivileges(
    const std::string& text, const std::vector<std::pair<const char*, storage::AclMode>>& known) {
  AskedPrivileges out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    if (comma == std::string::npos) comma = text.size();
    std::string item = Trimmed(std::string_view(text).substr(pos, comma - pos));
    bool grant = false;
    for (const char* suffix : {" WITH GRANT OPTION", " WITH ADMIN OPTION"}) {
      std::string_view sv(suffix);
      if (item.size() > sv.size() && item.compare(item.size() - sv.size(), sv.size(), sv) == 0) {
        item = Trimmed(std::string_view(item).substr(0, item.size() - sv.size()));
        grant = true;
      }
    }
    bool found = false;
    for (const auto& [name, bit] : known) {
      if (item == name) {
        (grant ? out.with_grant : out.plain) |= bit;
        found = true;
      }
    }
    if (!found) {
      std::string_view shown = std::string_view(text).substr(pos, comma - pos);
      while (!shown.empty() && shown.front() == ' ') shown.remove_prefix(1);
      while (!shown.empty() && shown.back() == ' ') shown.remove_suffix(1);
      Throw(SqlState::kInvalidParameterValue, "unrecognized privilege type: \"{}\"", shown);
    }
    pos = comma + 1;
  }
  return out;
}

// Splits (user, object..., privileges) or (object..., privileges) into the user and the rest;
// `object_args`: how many arguments name the object (has_column_privilege's table and column).
uint32_t InquiryUser(const Args& a, const ExecContext& c, size_t* first, size_t object_args = 1) {
  if (a.size() == object_args + 2) {
    *first = 1;
    return RoleArg(a[0], c);
  }
  *first = 0;
  return c.user_oid;
}

namespace acl = storage::acl;
const std::vector<std::pair<const char*, storage::AclMode>> kTablePrivileges = {
    {"SELECT", acl::kSelect},  {"INSERT", acl::kInsert},     {"UPDATE", acl::kUpdate},
    {"DELETE", acl::kDelete},  {"TRUNCATE", acl::kTruncate}, {"REFERENCES", acl::kReferences},
    {"TRIGGER", acl::kTrigger}};
const std::vector<std::pair<const char*, storage::AclMode>> kColumnPrivileges = {
    {"SELECT", acl::kSelect},
    {"INSERT", acl::kInsert},
    {"UPDATE", acl::kUpdate},
    {"REFERENCES", acl::kReferences}};

Value NullBool() { return Value::Null(Type::Of(TypeId::kBool)); }

// The object an inquiry's argument names: an oid as given, or text read as the reg* type
// `reg_type` reads it (PostgreSQL's error if it names nothing).
Oid InquiryOid(const Value& v, const ExecContext& c, TypeId reg_type) {
  if (v.type.id == TypeId::kOid) return static_cast<Oid>(v.i);
  return *Names(c).Lookup(reg_type, v.s, /*missing_ok=*/false);
}

// The relation a privilege inquiry names: a user relation, or a pg_catalog or
// information_schema one (`table` null). By oid: nullopt if none; by name as regclass reads it
// (42P01 if none).
struct InquiredRelation {
  std::shared_ptr<const storage::TableInfo> table;
  Oid oid = 0;
};
std::optional<InquiredRelation> InquiryRelation(const Value& v, const ExecContext& c) {
  InquiredRelation r;
  r.oid = InquiryOid(v, c, kRegClassType);
  r.table = c.catalog_view->FindRelationByOid(r.oid);
  if (r.table == nullptr && !Names(c).RelationVisible(r.oid).has_value()) return std::nullopt;
  return r;
}

// Whether `user` holds any of the privileges `p` asks on relation `r`. The system relations
// grant SELECT to PUBLIC, except those PostgreSQL keeps from it; superusers hold everything.
bool RelationPrivilege(const ExecContext& c, Oid user, const InquiredRelation& r,
                       const AskedPrivileges& p) {
  const storage::CatalogSnapshot& snap = *c.catalog_view;
  if (r.table == nullptr) {
    if (storage::IsSuperuser(snap, user)) return p.plain != 0 || p.with_grant != 0;
    const pgc::SystemRelation* rel = pgc::FindSystemRelationByOid(r.oid);
    static const std::set<std::string> kRestricted = {"pg_authid", "pg_statistic",
                                                      "pg_user_mapping", "pg_subscription"};
    return (p.plain & acl::kSelect) != 0 && (rel == nullptr || !kRestricted.contains(rel->name));
  }
  const storage::TableInfo& t = *r.table;
  return (storage::RelationAclMask(snap, user, t, p.plain, c.database_owner) & p.plain) != 0 ||
         (storage::RelationAclMask(snap, user, t, p.with_grant, c.database_owner, true) &
          p.with_grant) != 0;
}

Value FnHasTablePrivilege(const Args& a, const BoundExpr& e, ExecState& st) {
  const ExecContext& c = st.ctx;
  size_t i = 0;
  uint32_t user = InquiryUser(a, c, &i);
  const std::optional<InquiredRelation> r = InquiryRelation(a[i], c);
  if (!r) return NullBool();
  const bool sequence_fn = e.op == "has_sequence_privilege";
  if (sequence_fn && (r->table == nullptr || !r->table->is_sequence())) {
    const pgc::SystemRelation* rel = pgc::FindSystemRelationByOid(r->oid);
    Throw(SqlState::kWrongObjectType, "\"{}\" is not a sequence",
          r->table != nullptr ? r->table->name
          : rel != nullptr    ? rel->name
                              : a[i].s);
  }
  static const std::vector<std::pair<const char*, storage::AclMode>> kSequence = {
      {"USAGE", acl::kUsage}, {"SELECT", acl::kSelect}, {"UPDATE", acl::kUpdate}};
  AskedPrivileges p = ParsePrivileges(a[i + 1].s, sequence_fn ? kSequence : kTablePrivileges);
  return Value::Bool(RelationPrivilege(c, user, *r, p));
}

// has_column_privilege([user,] table, column, privileges) and has_any_column_privilege([user,]
// table, privileges). Columns hold no privileges of their own here (GRANT on columns is
// 0A000), so a column's are its table's. A column name the table lacks is 42703; an attnum
// it lacks gives NULL. The system columns (ctid, xmin, ..., tableoid) count as columns.
Value FnHasColumnPrivilege(const Args& a, const BoundExpr& e, ExecState& st) {
  const ExecContext& c = st.ctx;
  const bool any_column = e.op == "has_any_column_privilege";
  size_t i = 0;
  uint32_t user = InquiryUser(a, c, &i, any_column ? 1 : 2);
  const std::optional<InquiredRelation> r = InquiryRelation(a[i], c);
  if (!r) return NullBool();
  if (!any_column) {
    const Value& col = a[i + 1];
    std::vector<std::string> columns;
    if (r->table != nullptr) {
      for (const storage::ColumnInfo& ci : r->table->columns) columns.push_back(ci.name);
    } else if (const pgc::SystemRelation* rel = pgc::FindSystemRelationByOid(r->oid)) {
      for (const pgc::SystemColumn& sc : rel->columns) columns.push_back(sc.name);
    }
    static const std::vector<std::string> kSystemColumns = {"tableoid", "cmax", "xmax",
                                                            "cmin",     "xmin", "ctid"};
    if (col.type.id == TypeId::kText) {
      const bool found =
          std::find(columns.begin(), columns.end(), col.s) != columns.end() ||
          std::find(kSystemColumns.begin(), kSystemColumns.end(), col.s) != kSystemColumns.end();
      if (!found) {
        Throw(SqlState::kUndefinedColumn, "column \"{}\" of relation \"{}\" does not exist", col.s,
              r->table != nullptr ? r->table->name : a[i].s);
      }
    } else {
      // attnum: 1.. the columns; -6 (tableoid) .. -1 (ctid) the system columns.
      const int64_t n = col.i;
      const bool found =
          (n >= 1 && n <= static_cast<int64_t>(columns.size())) || (n >= -6 && n <= -1);
      if (!found) return NullBool();
    }
  }
  AskedPrivileges p = ParsePrivileges(a[i + (any_column ? 1 : 2)].s, kColumnPrivileges);
  return Value::Bool(RelationPrivilege(c, user, *r, p));
}

// The privilege inquiries on objects whose privileges cannot be granted or revoked here
// (functions, types, languages, tablespaces, parameters): the answer of PostgreSQL's default
// ACL. PUBLIC holds `public_privs` (EXECUTE on functions, USAGE on types and languages,
// nothing on tablespaces and parameters), the owner every privilege with grant option, a
// superuser everything.
bool DefaultAclPrivilege(const ExecContext& c, Oid user, Oid owner, storage::AclMode public_privs,
                         const AskedPrivileges& p) {
  const storage::CatalogSnapshot& snap = *c.catalog_view;
  const bool owner_like = storage::HasPrivsOfRole(snap, user, owner, c.database_owner);
  return (p.plain != 0 && (owner_like || (p.plain & public_privs) != 0)) ||
         (p.with_grant != 0 && owner_like);
}

// has_function_privilege([user,] function, 'EXECUTE'): by regprocedure text (42883) or oid.
Value FnHasFunctionPrivilege(const Args& a, const BoundExpr&, ExecState& st) {
  const ExecContext& c = st.ctx;
  size_t i = 0;
  uint32_t user = InquiryUser(a, c, &i);
  const Oid oid = InquiryOid(a[i], c, kRegProcedureType);
  AskedPrivileges p = ParsePrivileges(a[i + 1].s, {{"EXECUTE", acl::kExecute}});
  if (!Names(c).FunctionVisible(oid).has_value()) return NullBool();
  Oid owner = storage::kBootstrapSuperuserOid;
  if (auto f = c.catalog_view->FindFunctionByOid(oid)) owner = f->owner;
  return Value::Bool(DefaultAclPrivilege(c, user, owner, acl::kExecute, p));
}

// has_type_privilege([user,] type, 'USAGE'): by regtype text (42704) or oid.
Value FnHasTypePrivilege(const Args& a, const BoundExpr&, ExecState& st) {
  const ExecContext& c = st.ctx;
  size_t i = 0;
  uint32_t user = InquiryUser(a, c, &i);
  const Oid oid = InquiryOid(a[i], c, kRegTypeType);
  AskedPrivileges p = ParsePrivileges(a[i + 1].s, {{"USAGE", acl::kUsage}});
  if (!Names(c).TypeVisible(oid).has_value()) return NullBool();
  Oid owner = storage::kBootstrapSuperuserOid;
  if (auto t = c.catalog_view->FindTypeByOid(oid)) {
    owner = t->owner;
  } else if (auto r = c.catalog_view->FindRelationByRowType(oid)) {
    owner = r->owner;
  }
  return Value::Bool(DefaultAclPrivilege(c, user, owner, acl::kUsage, p));
}

// The objects of a kind that exists only built in (languages, tablespaces) or not at all
// (foreign-data wrappers, servers): name and oid.
struct FixedObject {
  const char* name;
  Oid oid;
};

// has_language_privilege, has_tablespace_privilege, has_foreign_data_wrapper_privilege and
// has_server_privilege over `objects` (PostgreSQL's error names the `kind` of a missing name;
// a missing oid gives NULL).
Value FixedObjectPrivilege(const Args& a, ExecState& st, const std::vector<FixedObject>& objects,
                           const char* kind, SqlState missing,
                           const std::vector<std::pair<const char*, storage::AclMode>>& privs,
                           storage::AclMode public_privs) {
  const ExecContext& c = st.ctx;
  size_t i = 0;
  uint32_t user = InquiryUser(a, c, &i);
  const FixedObject* found = nullptr;
  for (const FixedObject& o : objects) {
    if (a[i].type.id == TypeId::kOid ? o.oid == static_cast<Oid>(a[i].i) : a[i].s == o.name) {
      found = &o;
    }
  }
  if (found == nullptr && a[i].type.id != TypeId::kOid) {
    Throw(missing, "{} \"{}\" does not exist", kind, a[i].s);
  }
  AskedPrivileges p = ParsePrivileges(a[i + 1].s, privs);
  if (found == nullptr) return NullBool();
  return Value::Bool(
      DefaultAclPrivilege(c, user, storage::kBootstrapSuperuserOid, public_privs, p));
}

Value FnHasLanguagePrivilege(const Args& a, const BoundExpr&, ExecState& st) {
  static const std::vector<FixedObject> kLanguages = {{"internal", pgc::kInternalLanguageOid},
                                                      {"c", pgc::kCLanguageOid},
                                                      {"sql", pgc::kSqlLanguageOid},
                                                      {"plpgsql", pgc::kPlpgsqlLanguageOid}};
  return FixedObjectPrivilege(a, st, kLanguages, "language", SqlState::kUndefinedObject,
                              {{"USAGE", acl::kUsage}}, acl::kUsage);
}

Value FnHasTablespacePrivilege(const Args& a, const BoundExpr&, ExecState& st) {
  static const std::vector<FixedObject> kTablespaces = {{"pg_default", pgc::kDefaultTablespaceOid},
                                                        {"pg_global", pgc::kGlobalTablespaceOid}};
  return FixedObjectPrivilege(a, st, kTablespaces, "tablespace", SqlState::kUndefinedObject,
                              {{"CREATE", acl::kCreate}}, 0);
}

Value FnHasForeignDataWrapperPrivilege(const Args& a, const BoundExpr&, ExecState& st) {
  return FixedObjectPrivilege(a, st, {}, "foreign-data wrapper", SqlState::kUndefinedObject,
                              {{"USAGE", acl::kUsage}}, 0);
}

Value FnHasServerPrivilege(const Args& a, const BoundExpr&, ExecState& st) {
  return FixedObjectPrivilege(a, st, {}, "server", SqlState::kUndefinedObject,
                              {{"USAGE", acl::kUsage}}, 0);
}

// has_parameter_privilege([user,] parameter, 'SET' | 'ALTER SYSTEM'): privileges on parameters
// cannot be granted here, so only superusers hold them (for any name, as PostgreSQL 15).
Value FnHasParameterPrivilege(const Args& a, const BoundExpr&, ExecState& st) {
  const ExecContext& c = st.ctx;
  size_t i = 0;
  uint32_t user = InquiryUser(a, c, &i);
  // Bits of their own: SET and ALTER SYSTEM are not in storage::acl.
  constexpr storage::AclMode kSet = 1u << 12, kAlterSystem = 1u << 13;
  AskedPrivileges p = ParsePrivileges(a[i + 1].s, {{"SET", kSet}, {"ALTER SYSTEM", kAlterSystem}});
  return Value::Bool(storage::IsSuperuser(*c.catalog_view, user) && (p.plain | p.with_grant) != 0);
}

Value FnHasSchemaPrivilege(const Args& a, const BoundExpr&, ExecState& st) {
  const ExecContext& c = st.ctx;
  size_t i = 0;
  uint32_t user = InquiryUser(a, c, &i);
  const storage::SchemaInfo* s = nullptr;
  if (a[i].type.id == TypeId::kOid) {
    for (const auto& [key, sc] : c.catalog_view->schemas) {
      if (sc.oid == static_cast<uint32_t>(a[i].i)) s = &sc;
    }
    if (s == nullptr) return Value::Null(Type::Of(TypeId::kBool));
  } else {
    s = c.catalog_view->FindSchema(c.database_oid, a[i].s);
    if (s == nullptr) Throw(SqlState::kInvalidSchemaName, "schema \"{}\" does not exist", a[i].s);
  }
  namespace acl = storage::acl;
  AskedPrivileges p =
      ParsePrivileges(a[i + 1].s, {{"CREATE", acl::kCreate}, {"USAGE", acl::kUsage}});
  const storage::CatalogSnapshot& snap = *c.catalog_view;
  auto mask = [&](storage::AclMode m, bool g) {
    return storage::AclMask(snap, user, s->acl, storage::AclObject::kSchema, s->owner, m,
                            c.database_owner, g) &
           m;
  };
  return Value::Bool(mask(p.plain, false) != 0 || mask(p.with_grant, true) != 0);
}

Value FnHasDatabasePrivilege(const Args& a, const BoundExpr&, ExecState& st) {
  const ExecContext& c = st.ctx;
  size_t i = 0;
  uint32_t user = InquiryUser(a, c, &i);
  const storage::DatabaseInfo* d = nullptr;
  if (a[i].type.id == TypeId::kOid) {
    for (const auto& [name, db] : c.catalog_view->databases) {
      if (db.oid == static_cast<uint32_t>(a[i].i)) d = &db;
    }
    if (d == nullptr) return Value::Null(Type::Of(TypeId::kBool));
  } else {
    d = c.catalog_view->FindDatabase(a[i].s);
    if (d == nullptr)
      Throw(SqlState::kInvalidCatalogName, "database \"{}\" does not exist", a[i].s);
  }
  namespace acl = storage::acl;
  AskedPrivileges p = ParsePrivileges(a[i + 1].s, {{"CREATE", acl::kCreate},
                                                   {"CONNECT", acl::kConnect},
                                                   {"TEMPORARY", acl::kCreateTemp},
                                                   {"TEMP", acl::kCreateTemp}});
  const storage::CatalogSnapshot& snap = *c.catalog_view;
  auto mask = [&](storage::AclMode m, bool g) {
    return storage::AclMask(snap, user, d->acl, storage::AclObject::kDatabase, d->owner, m,
                            d->owner, g) &
           m;
  };
  return Value::Bool(mask(p.plain, false) != 0 || mask(p.with_grant, true) != 0);
}

// pg_has_role([user,] role, 'MEMBER' | 'USAGE' [WITH ADMIN OPTION]).
Value FnPgHasRole(const Args& a, const BoundExpr&, ExecState& st) {
  const ExecContext& c = st.ctx;
  size_t i = 0;
  uint32_t user = InquiryUser(a, c, &i);
  uint32_t role = RoleArg(a[i], c);
  constexpr storage::AclMode kMember = 1, kUsage = 2;
  AskedPrivileges p = ParsePrivileges(a[i + 1].s, {{"MEMBER", kMember}, {"USAGE", kUsage}});
  const storage::CatalogSnapshot& snap = *c.catalog_view;
  bool yes = false;
  if ((p.plain & kMember) != 0)
    yes = yes || storage::IsMemberOfRole(snap, user, role, c.database_owner);
  if ((p.plain & kUsage) != 0)
    yes = yes || storage::HasPrivsOfRole(snap, user, role, c.database_owner);
  if (p.with_grant != 0) {
    yes = yes || storage::IsSuperuser(snap, user) || storage::IsAdminOfRole(snap, user, role);
  }
  return Value::Bool(yes);
}

// pg_table_is_visible(oid): the relation is the first of its name along the search path.
// NULL for an oid that names no relation, as PostgreSQL.
Value FnPgTableIsVisible(const Args& a, const BoundExpr&, ExecState& st) {
  std::optional<bool> v = Names(st.ctx).RelationVisible(static_cast<uint32_t>(a[0].i));
  return v ? Value::Bool(*v) : Value::Null(Type::Of(TypeId::kBool));
}

// pg_operator_is_visible, pg_opclass_is_visible, pg_opfamily_is_visible, pg_collation_is_visible
// and the others for object kinds users cannot create in ActiveStore (but operators): every such
// object is a built-in one in pg_catalog, which is always on the search path, so it is visible
// (a user operator: UserOperatorVisible); NULL for an
// oid that names none (conversions, text search objects and statistics objects: there are none).
enum class BuiltinKind { kOperator, kOpClass, kOpFamily, kCollation, kNone };

// A user-defined operator (CREATE OPERATOR) is visible when its schema is on the search path
// and no built-in operator or one of a schema before its has its name and argument types.
std::optional<bool> UserOperatorVisible(const ExecContext& ctx, uint32_t oid) {
  if (ctx.catalog_view == nullptr) return std::nullopt;
  const planner::FoundOperator op =
      planner::FindUserOperatorByOid(*ctx.catalog_view, ctx.database_oid, oid);
  if (op.op == nullptr) return std::nullopt;
  for (const builtin_catalog::Operator& b : builtin_catalog::Listed().operators) {
    if (b.name == op.op->name && b.left == op.op->left && b.right == op.op->right) return false;
  }
  for (const std::string& s : ctx.search_path) {
    if (s == op.schema->name) return true;
    const storage::SchemaInfo* sc = ctx.catalog_view->FindSchema(ctx.database_oid, s);
    if (sc == nullptr) continue;
    for (const storage::OperatorInfo& o : sc->operators) {
      if (o.name == op.op->name && o.left == op.op->left && o.right == op.op->right) return false;
    }
  }
  return false;
}

template <BuiltinKind kKind>
Value FnBuiltinIsVisible(const Args& a, const BoundExpr&, ExecState& st) {
  const auto oid = static_cast<uint32_t>(a[0].i);
  const builtin_catalog::Catalog& c = builtin_catalog::Listed();
  bool found = false;
  switch (kKind) {
    case BuiltinKind::kOperator:
      found = builtin_catalog::FindOperator(oid) != nullptr;
      if (!found) {
        if (std::optional<bool> v = UserOperatorVisible(st.ctx, oid)) return Value::Bool(*v);
      }
      break;
    case BuiltinKind::kOpClass:
      found = std::any_of(c.opclasses.begin(), c.opclasses.end(),
                          [&](const builtin_catalog::OpClass& o) { return o.oid == oid; });
      break;
    case BuiltinKind::kOpFamily:
      found = std::any_of(c.opfamilies.begin(), c.opfamilies.end(),
                          [&](const builtin_catalog::OpFamily& o) { return o.oid == oid; });
      break;
    case BuiltinKind::kCollation:
      found = oid == pgc::kDefaultCollationOid || oid == pgc::kCCollationOid || oid == 951;
      break;
    case BuiltinKind::kNone:
      break;
  }
  return found ? Value::Bool(true) : Value::Null(Type::Of(TypeId::kBool));
}

// format_type(type oid, typmod): the type's SQL name with its modifiers, as PostgreSQL's
// format_type (typmod NULL: as -1; a user type outside the search path schema-qualified;
// an unknown oid "???").
Value FnFormatType(const Args& a, const BoundExpr&, ExecState& st) {
  if (a[0].is_null) return Value::Null(Type::Of(TypeId::kText));
  const int32_t wire =
      a.size() > 1 && !a[1].is_null ? static_cast<int32_t>(a[1].i) : CatalogRegResolver::kNoTypmod;
  return Value::Text(Names(st.ctx).FormatType(static_cast<uint32_t>(a[0].i), wire));
}

// pg_type_is_visible(oid).
Value FnPgTypeIsVisible(const Args& a, const BoundExpr&, ExecState& st) {
  std::optional<bool> v = Names(st.ctx).TypeVisible(static_cast<uint32_t>(a[0].i));
  return v ? Value::Bool(*v) : Value::Null(Type::Of(TypeId::kBool));
}

// to_regclass, to_regtype, to_regnamespace, to_regrole(text): the reg* input of a name, NULL
// where the input function raises "does not exist" (a malformed name still raises).
template <TypeId kType>
Value FnToReg(const Args& a, const BoundExpr&, ExecState& st) {
  std::optional<uint32_t> oid = Names(st.ctx).Lookup(kType, a[0].s, /*missing_ok=*/true);
  return oid ? Value::Int(kType, *oid) : Value::Null(Type::Of(kType));
}

// PostgreSQL's encodings by number (pg_enc).
constexpr const char* kEncodings[] = {
    "SQL_ASCII", "EUC_JP",        "EUC_CN",     "EUC_KR",     "EUC_TW",     "EUC_JIS_2004",
    "UTF8",      "MULE_INTERNAL", "LATIN1",     "LATIN2",     "LATIN3",     "LATIN4",
    "LATIN5",    "LATIN6",        "LATIN7",     "LATIN8",     "LATIN9",     "LATIN10",
    "WIN1256",   "WIN1258",       "WIN866",     "WIN874",     "KOI8R",      "WIN1251",
    "WIN1252",   "ISO_8859_5",    "ISO_8859_6", "ISO_8859_7", "ISO_8859_8", "WIN1250",
    "WIN1253",   "WIN1254",       "WIN1255",    "WIN1257",    "KOI8U",      "SJIS",
    "BIG5",      "GBK",           "UHC",        "GB18030",    "JOHAB",      "SHIFT_JIS_2004"};

// pg_encoding_to_char(int): the encoding's name; '' for a number that names none.
Value FnPgEncodingToChar(const Args& a, const BoundExpr&, ExecState&) {
  const int64_t n = a[0].i;
  if (n < 0 || n >= static_cast<int64_t>(std::size(kEncodings))) return Name("");
  return Name(kEncodings[n]);
}

// The database's schema with oid `oid`, or nullptr.
const storage::SchemaInfo* SchemaByOid(const ExecContext& c, uint32_t oid) {
  if (!c.catalog_view) return nullptr;
  for (const auto& [key, s] : c.catalog_view->schemas) {
    if (key.first == c.database_oid && s.oid == oid) return &s;
  }
  return nullptr;
}

// pg_is_other_temp_schema(oid): whether the schema is another session's temporary schema.
Value FnPgIsOtherTempSchema(const Args& a, const BoundExpr&, ExecState& st) {
  const storage::SchemaInfo* s = SchemaByOid(st.ctx, static_cast<uint32_t>(a[0].i));
  if (s == nullptr || !s->name.starts_with("pg_temp_")) return Value::Bool(false);
  return Value::Bool(s->name != Names(st.ctx).temp_schema());
}

// pg_my_temp_schema(): the oid of the session's temporary schema, 0 until it has one.
Value FnPgMyTempSchema(const Args&, const BoundExpr&, ExecState& st) {
  const std::string& temp = Names(st.ctx).temp_schema();
  const storage::SchemaInfo* s = temp.empty() || !st.ctx.catalog_view
                                     ? nullptr
                                     : st.ctx.catalog_view->FindSchema(st.ctx.database_oid, temp);
  return Value::Int(TypeId::kOid, s == nullptr ? 0 : s->oid);
}

// pg_encoding_max_length(int): the most bytes a character takes in the encoding; NULL for a
// number that names none.
Value FnPgEncodingMaxLength(const Args& a, const BoundExpr&, ExecState&) {
  constexpr int kMaxLength[] = {1, 3, 3, 3, 4, 3, 4, 4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
                                1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 3, 2};
  static_assert(std::size(kMaxLength) == std::size(kEncodings));
  const int64_t n = a[0].i;
  if (n < 0 || n >= static_cast<int64_t>(std::size(kMaxLength))) {
    return Value::Null(Type::Of(TypeId::kInt32));
  }
  return Value::Int32(kMaxLength[n]);
}

// nameconcatoid(name, oid): "name_oid", the name cut (at a character boundary) so that the
// whole fits in a name (63 bytes), as information_schema's specific_name.
Value FnNameConcatOid(const Args& a, const BoundExpr&, ExecState&) {
  const std::string suffix = "_" + std::to_string(static_cast<uint32_t>(a[1].i));
  std::string_view name = a[0].s;
  constexpr size_t kMaxName = 63;
  if (name.size() + suffix.size() > kMaxName) {
    size_t len = kMaxName - suffix.size();
    while (len > 0 && (static_cast<unsigned char>(name[len]) & 0xC0) == 0x80) --len;
    name = name.substr(0, len);
  }
  return Name(std::string(name) + suffix);
}

// An encoding's name as PostgreSQL compares them: letters and digits only, in lower case.
std::string CleanEncodingName(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

// pg_char_to_encoding(name): the number of an encoding named by its name or one of
// PostgreSQL's other names for it (cleaned as CleanEncodingName), -1 for none.
Value FnPgCharToEncoding(const Args& a, const BoundExpr&, ExecState&) {
  static const std::unordered_map<std::string, int32_t> kNames = [] {
    std::unordered_map<std::string, int32_t> m;
    for (size_t i = 0; i < std::size(kEncodings); ++i) {
      m.emplace(CleanEncodingName(kEncodings[i]), static_cast<int32_t>(i));
    }
    // PostgreSQL's aliases (encnames.c), by the encoding they name.
    const std::pair<const char*, const char*> kAliases[] = {
        {"abc", "WIN1258"},         {"alt", "WIN866"},          {"iso88591", "LATIN1"},
        {"iso88592", "LATIN2"},     {"iso88593", "LATIN3"},     {"iso88594", "LATIN4"},
        {"iso88599", "LATIN5"},     {"iso885910", "LATIN6"},    {"iso885913", "LATIN7"},
        {"iso885914", "LATIN8"},    {"iso885915", "LATIN9"},    {"iso885916", "LATIN10"},
        {"koi8", "KOI8R"},          {"mskanji", "SJIS"},        {"shiftjis", "SJIS"},
        {"tcvn", "WIN1258"},        {"tcvn5712", "WIN1258"},    {"unicode", "UTF8"},
        {"vscii", "WIN1258"},       {"win", "WIN1251"},         {"win932", "SJIS"},
        {"win936", "GBK"},          {"win949", "UHC"},          {"win950", "BIG5"},
        {"windows866", "WIN866"},   {"windows874", "WIN874"},   {"windows932", "SJIS"},
        {"windows936", "GBK"},      {"windows949", "UHC"},      {"windows950", "BIG5"},
        {"windows1250", "WIN1250"}, {"windows1251", "WIN1251"}, {"windows1252", "WIN1252"},
        {"windows1253", "WIN1253"}, {"windows1254", "WIN1254"}, {"windows1255", "WIN1255"},
        {"windows1256", "WIN1256"}, {"windows1257", "WIN1257"}, {"windows1258", "WIN1258"},
    };
    for (const auto& [alias, name] : kAliases) m.emplace(alias, m.at(CleanEncodingName(name)));
    return m;
  }();
  auto it = kNames.find(CleanEncodingName(a[0].s));
  return Value::Int32(it == kNames.end() ? -1 : it->second);
}

// The table of the database that holds the object `pred` matches, or null.
template <typename Pred>
const storage::TableInfo* FindOwner(const ExecContext& c, Pred&& pred) {
  const storage::CatalogSnapshot& cat = *c.catalog_view;
  for (auto it = cat.tables.lower_bound({c.database_oid, std::string(), std::string()});
       it != cat.tables.end() && std::get<0>(it->first) == c.database_oid; ++it) {
    if (pred(*it->second)) return it->second.get();
  }
  return nullptr;
}

std::string ColumnList(const storage::TableInfo& t, const std::vector<int>& cols) {
  std::string out;
  for (size_t i = 0; i < cols.size(); ++i) {
    if (i > 0) out += ", ";
    out += QuoteIdent(t.columns[cols[i]].name);
  }
  return out;
}

// A relation's name as PostgreSQL's generate_relation_name writes it: qualified when it is
// not the first of its name along the search path.
std::string RelationName(const ExecContext& c, const storage::TableInfo& t) {
  return Names(c)
      .Name(kRegClassType, t.oid)
      .value_or(QuoteIdent(t.schema) + "." + QuoteIdent(t.name));
}

const char* ActionText(storage::ForeignKeyInfo::Action a) {
  using A = storage::ForeignKeyInfo::Action;
  switch (a) {
    case A::kRestrict:
      return "RESTRICT";
    case A::kCascade:
      return "CASCADE";
    case A::kSetNull:
      return "SET NULL";
    case A::kSetDefault:
      return "SET DEFAULT";
    case A::kNoAction:
      break;
  }
  return nullptr;
}

// A stored expression's casts of simple operands as ruleutils prints them with pretty on:
// "(0)::numeric" as "0::numeric", "(a)::text" as "a::text" (a number, a literal or a name).
std::string PrettyCasts(const std::string& expr) {
  static const std::regex kSimpleCast(
      R"(\((-?[0-9]+(?:\.[0-9]+)?|'(?:[^']|'')*'|[A-Za-z_][A-Za-z0-9_$]*)\)::)");
  return std::regex_replace(expr, kSimpleCast, "$1::");
}

// A domain CHECK's stored text with its `value` references as ruleutils prints the domain value
// (VALUE): the lower-case word outside quotes, not qualified and not a function name.
std::string DomainValueUpper(const std::string& expr) {
  std::string out;
  char quote = 0;
  for (size_t i = 0; i < expr.size(); ++i) {
    const char ch = expr[i];
    if (quote != 0) {
      out += ch;
      if (ch == quote) quote = 0;
      continue;
    }
    if (ch == '\'' || ch == '"') {
      quote = ch;
      out += ch;
      continue;
    }
    auto word_char = [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
    };
    if (expr.compare(i, 5, "value") == 0 &&
        (i == 0 || (!word_char(expr[i - 1]) && expr[i - 1] != '.')) &&
        (i + 5 == expr.size() ||
         (!word_char(expr[i + 5]) && expr[i + 5] != '(' && expr[i + 5] != '.'))) {
      out += "VALUE";
      i += 4;
      continue;
    }
    out += ch;
  }
  return out;
}

// pg_get_constraintdef(oid[, pretty]): the constraint's definition as ALTER TABLE ... ADD
// would take it; NULL for an oid that names no constraint. Without pretty, a CHECK's
// expression gets PostgreSQL's extra parentheses.
Value FnPgGetConstraintDef(const Args& a, const BoundExpr&, ExecState& st) {
  const uint32_t oid = static_cast<uint32_t>(a[0].i);
  const bool pretty = a.size() > 1 && a[1].i != 0;
  std::string out;
  if (oid == 0) return Value::Null(Type::Of(TypeId::kText));
  FindOwner(st.ctx, [&](const storage::TableInfo& t) {
    if (t.pkey_constraint_oid == oid) {
      out = "PRIMARY KEY (" + ColumnList(t, t.primary_key) + ")";
      if (!t.primary_key_include.empty()) {
        out += " INCLUDE (" + ColumnList(t, t.primary_key_include) + ")";
      }
      return true;
    }
    for (const storage::IndexInfo& i : t.indexes) {
      if (i.is_constraint && i.constraint_oid == oid) {
        out = std::string(i.nulls_not_distinct ? "UNIQUE NULLS NOT DISTINCT (" : "UNIQUE (") +
              ColumnList(t, i.columns) + ")";
        if (!i.include.empty()) out += " INCLUDE (" + ColumnList(t, i.include) + ")";
        return true;
      }
    }
    for (const storage::CheckConstraintInfo& ch : t.checks) {
      if (ch.oid == oid) {
        out = pretty ? "CHECK " + PrettyCasts(ch.expr) : "CHECK (" + ch.expr + ")";
        if (!ch.validated) out += " NOT VALID";
        return true;
      }
    }
    for (const storage::ForeignKeyInfo& f : t.foreign_keys) {
      if (f.oid != oid) continue;
      auto ref = st.ctx.catalog_view->FindRelationByOid(f.ref_table);
      if (ref == nullptr) return false;
      out = "FOREIGN KEY (" + ColumnList(t, f.columns) + ") REFERENCES " +
            RelationName(st.ctx, *ref) + "(" + ColumnList(*ref, f.ref_columns) + ")";
      if (f.match_full) out += " MATCH FULL";
      if (const char* u = ActionText(f.on_update)) out += std::string(" ON UPDATE ") + u;
      if (const char* d = ActionText(f.on_delete)) out += std::string(" ON DELETE ") + d;
      if (f.deferrable) out += " DEFERRABLE";
      if (f.initially_deferred) out += " INITIALLY DEFERRED";
      if (!f.validated) out += " NOT VALID";
      return true;
    }
    return false;
  });
  if (out.empty()) {  // a domain's CHECK
    for (const auto& [k, d] : st.ctx.catalog_view->types) {
      if (d->database_oid != st.ctx.database_oid || !d->is_domain()) continue;
      for (const storage::CheckConstraintInfo& ch : d->checks) {
        if (ch.oid != oid) continue;
        const std::string expr = DomainValueUpper(ch.expr);
        out = pretty ? "CHECK " + expr : "CHECK (" + expr + ")";
        if (std::find(d->not_valid_checks.begin(), d->not_valid_checks.end(), ch.name) !=
            d->not_valid_checks.end()) {
          out += " NOT VALID";
        }
      }
    }
  }
  if (out.empty()) return Value::Null(Type::Of(TypeId::kText));
  return Value::Text(std::move(out));
}

// pg_get_indexdef(oid[, column, pretty]): CREATE [UNIQUE] INDEX name ON schema.table USING
// btree (keys [DESC] [NULLS FIRST|LAST]) [INCLUDE (cols)] [WHERE predicate] (pretty: the table
// qualified only when not visible, expressions with fewer parentheses); with column > 0 only
// that key column's name or expression. NULL for an oid that names no index.
Value FnPgGetIndexDef(const Args& a, const BoundExpr&, ExecState& st) {
  const uint32_t oid = static_cast<uint32_t>(a[0].i);
  const int64_t column = a.size() > 1 ? a[1].i : 0;
  const bool pretty = a.size() > 2 && a[2].i != 0;
  std::string out;
  if (oid == 0) return Value::Null(Type::Of(TypeId::kText));
  FindOwner(st.ctx, [&](const storage::TableInfo& t) {
    // `index` null: the primary key.
    auto def = [&](const std::string& name, bool unique, const std::vector<int>& cols,
                   const std::vector<int>& include, const storage::IndexInfo* index) {
      // Key element k: its column's name or its expression (pretty or not).
      size_t next_expr = 0;
      auto element = [&](size_t k) {
        const int c = cols[k];
        if (c != storage::IndexInfo::kExpressionColumn) return QuoteIdent(t.columns[c].name);
        const auto& texts = pretty ? index->expressions_pretty : index->expressions;
        return next_expr < texts.size() ? texts[next_expr++] : std::string("?");
      };
      if (column > 0) {
        std::vector<std::string> all;
        for (size_t k = 0; k < cols.size(); ++k) all.push_back(element(k));
        for (int c : include) all.push_back(QuoteIdent(t.columns[c].name));
        if (column <= static_cast<int64_t>(all.size())) out = all[column - 1];
        return;
      }
      std::string keys;
      for (size_t k = 0; k < cols.size(); ++k) {
        if (k > 0) keys += ", ";
        keys += element(k);
        if (index != nullptr && index->opclass(k) != 0)
          keys += " " + OpclassName(index->opclass(k));
        const int16_t option = index != nullptr ? index->option(k) : 0;
        if (option & storage::IndexInfo::kDescending) {
          keys += " DESC";
          if (!(option & storage::IndexInfo::kNullsFirst)) keys += " NULLS LAST";
        } else if (option & storage::IndexInfo::kNullsFirst) {
          keys += " NULLS FIRST";
        }
      }
      out = std::string("CREATE ") + (unique ? "UNIQUE " : "") + "INDEX " + QuoteIdent(name) +
            " ON " +
            (pretty ? RelationName(st.ctx, t) : QuoteIdent(t.schema) + "." + QuoteIdent(t.name)) +
            " USING btree (" + keys + ")";
      if (!include.empty()) out += " INCLUDE (" + ColumnList(t, include) + ")";
      if (index != nullptr && index->nulls_not_distinct) out += " NULLS NOT DISTINCT";
      if (index != nullptr && index->partial()) {
        out += " WHERE " + (pretty ? index->predicate_pretty : index->predicate);
      }
    };
    if (t.pkey_index_oid == oid) {
      def(t.PrimaryKeyName(), true, t.primary_key, t.primary_key_include, nullptr);
      return true;
    }
    for (const storage::IndexInfo& i : t.indexes) {
      if (i.oid == oid) {
        def(i.name, i.unique, i.columns, i.include, &i);
        return true;
      }
    }
    return false;
  });
  if (out.empty()) return Value::Null(Type::Of(TypeId::kText));
  return Value::Text(std::move(out));
}

// pg_get_expr(expr, relation[, pretty]): the expression columns of pg_catalog (adbin, conbin)
// already hold SQL text, which is what PostgreSQL's decompiled form is, except that PostgreSQL
// keeps a regclass constant as an oid and prints it for the current search_path: each
// 'name'::regclass is written as regclassout writes that relation now (unqualified when visible).
Value FnPgGetExpr(const Args& a, const BoundExpr&, ExecState& st) {
  const std::string& in = a[0].s;
  // PostgreSQL's deparsed form where planner/deparse_view.cpp prints the expression (bound over
  // the relation's columns): 'a'::text || 'b'::text, CURRENT_DATE, '0101'::"bit" ...
  if (st.ctx.catalog_view && !a[1].is_null) {
    if (auto rel = st.ctx.catalog_view->FindRelationByOid(static_cast<uint32_t>(a[1].i));
        rel && !rel->is_view) {
      planner::PlannerContext pctx = PlannerContextOf(st.ctx);
      const bool pretty = a.size() > 2 && !a[2].is_null && a[2].i != 0;
      if (auto text = planner::DeparseExpression(in, rel, pctx, pretty)) {
        return Value::Text(std::move(*text));
      }
      // What the view deparser does not print, ruleutils' form as index expressions have it,
      // for an immutable expression over the row's columns (a generation expression, say; a
      // constant one is printed as stored, unfolded).
      try {
        planner::BoundExprPtr bound = planner::BindIndexText(rel, in, pctx, false);
        std::set<int> reads;
        planner::CollectColumns(bound, &reads);
        if (!reads.empty()) return Value::Text(planner::DeparseIndexExpr(*bound, *rel, pretty));
      } catch (const Error&) {
      }
    }
  }
  static constexpr std::string_view kCast = "'::regclass";
  if (in.find(kCast) == std::string::npos || !st.ctx.names) return Value::Text(in);
  std::string out;
  size_t pos = 0;
  while (true) {
    const size_t cast = in.find(kCast, pos);
    if (cast == std::string::npos) break;
    // The literal's opening quote: scan back over doubled quotes.
    size_t open = cast;
    while (open > pos) {
      const size_t q = in.rfind('\'', open - 1);
      if (q == std::string::npos || q < pos) {
        open = std::string::npos;
        break;
      }
      if (q > pos && in[q - 1] == '\'') {
        open = q - 1;
        continue;
      }
      open = q;
      break;
    }
    if (open == std::string::npos || open >= cast) {
      out += in.substr(pos, cast + kCast.size() - pos);
      pos = cast + kCast.size();
      continue;
    }
    std::string literal;
    for (size_t i = open + 1; i < cast; ++i) {
      literal += in[i];
      if (in[i] == '\'') ++i;
    }
    std::optional<std::string> shown;
    if (auto oid = Names(st.ctx).Lookup(kRegClassType, literal, /*missing_ok=*/true)) {
      shown = Names(st.ctx).Name(kRegClassType, *oid);
    }
    out += in.substr(pos, open - pos);
    out +=
        shown ? QuoteLiteral(*shown) + "::regclass" : in.substr(open, cast + kCast.size() - open);
    pos = cast + kCast.size();
  }
  out += in.substr(pos);
  return Value::Text(std::move(out));
}

// pg_relation_is_publishable(regclass): an ordinary table outside pg_catalog,
// information_schema and the temporary schemas (PostgreSQL's is_publishable_class); NULL for
// an oid that names no relation.
// acldefault(objtype "char", owner oid): PostgreSQL's default privileges of an object of the
// kind (pg_dump compares each object's ACL with it), as aclitem[] text.
Value FnAclDefault(const Args& a, const BoundExpr&, ExecState& st) {
  const auto owner = static_cast<storage::Oid>(a[1].i);
  const char kind = static_cast<char>(a[0].i);  // "char" is the byte in Value::i
  storage::Acl acl;
  auto owner_and_public = [&](storage::AclMode privs) {
    acl.push_back({storage::acl::kPublic, owner, privs, 0});
    acl.push_back({owner, owner, privs, 0});
  };
  switch (kind) {
    case 'c':  // column: none
      break;
    case 'r':
      acl = storage::DefaultAcl(storage::AclObject::kTable, owner);
      break;
    case 's':
      acl = storage::DefaultAcl(storage::AclObject::kSequence, owner);
      break;
    case 'n':
      acl = storage::DefaultAcl(storage::AclObject::kSchema, owner);
      break;
    case 'd':
      acl = storage::DefaultAcl(storage::AclObject::kDatabase, owner);
      break;
    case 'f':  // function or procedure: EXECUTE for PUBLIC and the owner
      owner_and_public(storage::acl::kExecute);
      break;
    case 'l':  // language
    case 'T':  // type or domain
      owner_and_public(storage::acl::kUsage);
      break;
    case 'L':  // large object
      acl.push_back({owner, owner, storage::acl::kSelect | storage::acl::kUpdate, 0});
      break;
    case 't':  // tablespace
      acl.push_back({owner, owner, storage::acl::kCreate, 0});
      break;
    case 'F':  // foreign-data wrapper
    case 'S':  // foreign server
      acl.push_back({owner, owner, storage::acl::kUsage, 0});
      break;
    case 'p':  // parameter
      break;
    default:
      Throw(SqlState::kInternalError, "unrecognized object type abbreviation: {}", kind);
  }
  return planner::pg_catalog::AclValue(*st.ctx.catalog_view, acl);
}

Value FnPgRelationIsPublishable(const Args& a, const BoundExpr&, ExecState& st) {
  auto t = st.ctx.catalog_view->FindRelationByOid(static_cast<uint32_t>(a[0].i));
  if (t == nullptr) {
    // An index or a pg_catalog relation is not publishable.
    const bool other = Names(st.ctx).RelationVisible(static_cast<uint32_t>(a[0].i)).has_value();
    return other ? Value::Bool(false) : Value::Null(Type::Of(TypeId::kBool));
  }
  return Value::Bool(!t->is_view && !t->is_sequence() && t->schema != "information_schema" &&
                     t->schema.rfind("pg_temp_", 0) != 0);
}

// pg_relation_is_updatable(rel, include_triggers): PostgreSQL's relation_is_updatable, the
// events (UPDATE 4, INSERT 8, DELETE 16) the relation takes (planner/bind_view_modify.cpp); 0
// for an oid that names no relation of the catalog. pg_column_is_updatable(rel, attnum,
// include_triggers): whether UPDATE and DELETE reach that column.
Value FnPgRelationIsUpdatable(const Args& a, const BoundExpr&, ExecState& st) {
  auto t = st.ctx.catalog_view->FindRelationByOid(static_cast<uint32_t>(a[0].i));
  if (t == nullptr) return Value::Int32(0);
  planner::PlannerContext pctx = PlannerContextOf(st.ctx);
  return Value::Int32(planner::RelationUpdatableEvents(t, pctx, a[1].i != 0, -1));
}

Value FnPgColumnIsUpdatable(const Args& a, const BoundExpr&, ExecState& st) {
  auto t = st.ctx.catalog_view->FindRelationByOid(static_cast<uint32_t>(a[0].i));
  const int64_t attnum = a[1].i;
  if (t == nullptr || attnum <= 0 || attnum > static_cast<int64_t>(t->columns.size())) {
    return Value::Bool(false);
  }
  planner::PlannerContext pctx = PlannerContextOf(st.ctx);
  const int events =
      planner::RelationUpdatableEvents(t, pctx, a[2].i != 0, static_cast<int>(attnum - 1));
  return Value::Bool((events & 20) == 20);
}

// obj_description(oid, catalog), obj_description(oid), col_description(table, attnum),
// shobj_description(oid, catalog): the comment pg_description (pg_shdescription) holds, NULL if
// none. `catalog` names a pg_catalog relation ('pg_class'); PostgreSQL's SQL definitions match it
// by relname, so an unknown name finds nothing.
Value TextOrNull(const std::optional<std::string>& s) {
  return s ? Value::Text(*s) : Value::Null(Type::Of(TypeId::kText));
}

Oid CatalogRelationOid(const Value& name) {
  const pgc::SystemRelation* rel = pgc::FindSystemRelation(name.s);
  return rel == nullptr ? 0 : rel->oid;
}

Value FnObjDescription(const Args& a, const BoundExpr&, ExecState& st) {
  if (!st.ctx.catalog_view) return Value::Null(Type::Of(TypeId::kText));
  const Oid objoid = static_cast<Oid>(a[0].i);
  if (a.size() == 1) {
    return TextOrNull(pgc::AnyObjectDescription(*st.ctx.catalog_view, st.ctx.database_oid, objoid));
  }
  const Oid classoid = CatalogRelationOid(a[1]);
  if (classoid == 0) return Value::Null(Type::Of(TypeId::kText));
  return TextOrNull(
      pgc::ObjectDescription(*st.ctx.catalog_view, st.ctx.database_oid, objoid, classoid, 0));
}

Value FnColDescription(const Args& a, const BoundExpr&, ExecState& st) {
  if (!st.ctx.catalog_view) return Value::Null(Type::Of(TypeId::kText));
  constexpr Oid kPgClass = 1259;
  return TextOrNull(pgc::ObjectDescription(*st.ctx.catalog_view, st.ctx.database_oid,
                                           static_cast<Oid>(a[0].i), kPgClass,
                                           static_cast<int32_t>(a[1].i)));
}

Value FnShobjDescription(const Args& a, const BoundExpr&, ExecState& st) {
  if (!st.ctx.catalog_view) return Value::Null(Type::Of(TypeId::kText));
  const Oid classoid = CatalogRelationOid(a[1]);
  if (classoid == 0) return Value::Null(Type::Of(TypeId::kText));
  return TextOrNull(
      pgc::SharedObjectDescription(*st.ctx.catalog_view, static_cast<Oid>(a[0].i), classoid));
}

// pg_get_statisticsobjdef_columns(oid): NULL for an oid that names no statistics object,
// which is every oid (pg_statistic_ext is empty: ActiveStore has none).
Value FnNoSuchObjectDef(const Args&, const BoundExpr&, ExecState&) {
  return Value::Null(Type::Of(TypeId::kText));
}

// pg_get_viewdef(view [, pretty | wrap]): the view's query as PostgreSQL deparses it
// (planner/deparse_view.cpp) where that prints its shape; otherwise the query as it was written
// (ActiveStore keeps the text), its relations qualified where the reader's search_path would not
// find them (view_text.h), with a leading space and the final ';' that pg_dump relies on, and
// column names given in CREATE VIEW v (x, y) renaming the query's columns. NULL for an oid that
// names no view; a view named by text must exist (42P01).
Value FnPgGetViewDef(const Args& a, const BoundExpr&, ExecState& st) {
  uint32_t oid = 0;
  if (a[0].type.id == TypeId::kOid) {
    oid = static_cast<uint32_t>(a[0].i);
  } else {
    oid = Names(st.ctx).Lookup(kRegClassType, a[0].s, /*missing_ok=*/false).value_or(0);
  }
  std::string sql;
  std::vector<std::string> columns;
  std::string name;
  if (const pgc::SystemRelation* sys = pgc::FindSystemRelationByOid(oid)) {
    if (!sys->is_view()) return Value::Null(Type::Of(TypeId::kText));
    sql = sys->view_sql;
  } else {
    std::shared_ptr<const storage::TableInfo> t =
        st.ctx.catalog_view ? st.ctx.catalog_view->FindRelationByOid(oid) : nullptr;
    if (t == nullptr || !(t->is_view || t->matview)) return Value::Null(Type::Of(TypeId::kText));
    // The relations it reads as regclass prints them for the reader's search_path.
    const CatalogRegResolver& names = Names(st.ctx);
    // PostgreSQL's deparsed text where planner/deparse_view.cpp prints the query's shape
    // (pg_get_viewdef(view, wrap) keeps the text: its wrapping is not done).
    if (a.size() == 1 || a[1].type.id == TypeId::kBool) {
      planner::PlannerContext pctx = PlannerContextOf(st.ctx);
      pctx.tolerate_view_recursion = true;
      planner::ViewDefOptions options;
      options.pretty = a.size() > 1 && !a[1].is_null && a[1].i != 0;
      for (const storage::ColumnInfo& c : t->columns) options.column_names.push_back(c.name);
      options.relation_name = [&](const storage::TableInfo& r) {
        return names.Name(kRegClassType, r.oid)
            .value_or(QuoteIdent(r.schema) + "." + QuoteIdent(r.name));
      };
      if (auto text = planner::DeparseViewQuery(t->view_sql, pctx, options)) {
        return Value::Text(std::move(*text));
      }
    }
    sql = ViewTextForReader(*t, [&](storage::Oid rel) { return names.Name(kRegClassType, rel); });
    columns = t->view_columns;
    name = t->name;
  }
  while (!sql.empty() && std::isspace(static_cast<unsigned char>(sql.front()))) sql.erase(0, 1);
  while (!sql.empty() &&
         (sql.back() == ';' || std::isspace(static_cast<unsigned char>(sql.back())))) {
    sql.pop_back();
  }
  if (!columns.empty()) {
    std::string list;
    for (const std::string& c : columns) list += (list.empty() ? "" : ", ") + QuoteIdent(c);
    sql = "SELECT * FROM (" + sql + ") " + QuoteIdent(name) + "(" + list + ")";
  }
  return Value::Text(" " + sql + ";");
}

// pg_get_ruledef(oid[, pretty]): the _RETURN rule of a view or materialized view (whose
// pg_rewrite oid is the relation's row type oid, planner/pg_catalog/relations.cpp) as
// PostgreSQL writes it, the query as pg_get_viewdef prints it; NULL for any other oid.
Value FnPgGetRuleDef(const Args& a, const BoundExpr& call, ExecState& st) {
  const auto oid = static_cast<uint32_t>(a[0].i);
  const bool pretty = a.size() > 1 && !a[1].is_null && a[1].i != 0;
  uint32_t relation = 0;
  std::string target;
  if (auto t = st.ctx.catalog_view ? st.ctx.catalog_view->FindRelationByRowType(oid) : nullptr;
      t != nullptr && (t->is_view || t->matview) && t->row_type_oid == oid) {
    relation = t->oid;
    target = pretty ? Names(st.ctx).Name(kRegClassType, t->oid).value_or(QuoteIdent(t->name))
                    : QuoteIdent(t->schema) + "." + QuoteIdent(t->name);
  } else {
    for (const auto& sys : pgc::AllSystemRelations()) {
      if (!sys->is_view() || sys->row_type_oid != oid) continue;
      relation = sys->oid;
      target = pretty ? QuoteIdent(sys->name) : "pg_catalog." + QuoteIdent(sys->name);
    }
  }
  if (relation == 0) return Value::Null(Type::Of(TypeId::kText));
  Args view_args = {Value::Int(TypeId::kOid, relation)};
  if (a.size() > 1) view_args.push_back(a[1]);
  Value def = FnPgGetViewDef(view_args, call, st);
  if (def.is_null) return def;
  return Value::Text("CREATE RULE \"_RETURN\" AS\n    ON SELECT TO " + target + " DO INSTEAD " +
                     def.s);
}

// pg_get_triggerdef(oid[, pretty]): the CREATE TRIGGER statement of a trigger, as PostgreSQL's
// pg_get_triggerdef_worker writes it; NULL for an oid that names no trigger.
Value FnPgGetTriggerDef(const Args& a, const BoundExpr&, ExecState& st) {
  const uint32_t oid = static_cast<uint32_t>(a[0].i);
  const bool pretty = a.size() > 1 && a[1].i != 0;
  std::string out;
  if (oid == 0) return Value::Null(Type::Of(TypeId::kText));
  using Trig = storage::TriggerInfo;
  FindOwner(st.ctx, [&](const storage::TableInfo& t) {
    for (const Trig& g : t.triggers) {
      if (g.oid != oid) continue;
      out = std::string(g.is_constraint ? "CREATE CONSTRAINT TRIGGER " : "CREATE TRIGGER ") +
            QuoteIdent(g.name) + " ";
      out += g.before() ? "BEFORE" : g.instead() ? "INSTEAD OF" : "AFTER";
      bool first = true;
      auto event = [&](int16_t bit, const char* name) {
        if ((g.type & bit) == 0) return;
        out += first ? " " : " OR ";
        out += name;
        first = false;
        if (bit == Trig::kUpdate && !g.columns.empty()) out += " OF " + ColumnList(t, g.columns);
      };
      event(Trig::kInsert, "INSERT");
      event(Trig::kDelete, "DELETE");
      event(Trig::kUpdate, "UPDATE");
      event(Trig::kTruncate, "TRUNCATE");
      out += " ON " +
             (pretty ? RelationName(st.ctx, t) : QuoteIdent(t.schema) + "." + QuoteIdent(t.name)) +
             " ";
      if (g.is_constraint) out += "NOT DEFERRABLE INITIALLY IMMEDIATE ";
      if (!g.old_table.empty() || !g.new_table.empty()) {
        out += "REFERENCING ";
        if (!g.old_table.empty()) out += "OLD TABLE AS " + QuoteIdent(g.old_table) + " ";
        if (!g.new_table.empty()) out += "NEW TABLE AS " + QuoteIdent(g.new_table) + " ";
      }
      out += g.row() ? "FOR EACH ROW " : "FOR EACH STATEMENT ";
      if (!g.when.empty()) {
        // Pretty: without the condition's own outer parentheses, as ruleutils prints it.
        std::string when = g.when;
        if (pretty && when.size() >= 2 && when.front() == '(' && when.back() == ')') {
          int depth = 0;
          bool outer = true;
          bool quoted = false;
          for (size_t i = 0; i + 1 < when.size() && outer; ++i) {
            if (when[i] == '\'') quoted = !quoted;
            if (!quoted) depth += when[i] == '(' ? 1 : when[i] == ')' ? -1 : 0;
            outer = depth > 0;
          }
          if (outer) when = when.substr(1, when.size() - 2);
        }
        out += "WHEN (" + when + ") ";
      }
      std::string fn = std::to_string(g.function);
      if (auto f = st.ctx.catalog_view->FindFunctionByOid(g.function)) {
        fn = Names(st.ctx)
                 .Name(kRegProcType, g.function)
                 .value_or(QuoteIdent(f->schema) + "." + QuoteIdent(f->name));
      }
      out += "EXECUTE FUNCTION " + fn + "(";
      for (size_t i = 0; i < g.args.size(); ++i) out += (i ? ", " : "") + QuoteLiteral(g.args[i]);
      out += ")";
      return true;
    }
    return false;
  });
  if (out.empty()) return Value::Null(Type::Of(TypeId::kText));
  return Value::Text(out);
}

}  // namespace

// pg_partition_ancestors(regclass): a partition and its ancestors; nothing for a relation
// that is not a partition or partitioned table, which is every ActiveStore relation.
std::vector<Value> PgPartitionAncestors(const Args&, const BoundExpr&, ExecState&) { return {}; }

// pg_get_partkeydef(oid): a partitioned table's PARTITION BY clause; NULL for any other
// relation or oid, which is every ActiveStore relation (as PgPartitionAncestors).
Value FnPgGetPartKeyDef(const Args&, const BoundExpr&, ExecState&) {
  return Value::Null(Type::Of(TypeId::kText));
}

const std::vector<StringFunctionEntry>& CatalogFunctionEntries() {
  static const std::vector<StringFunctionEntry> kEntries = {
      {"pg_get_userbyid", FnPgGetUserById, true},
      {"has_table_privilege", FnHasTablePrivilege, true},
      {"has_sequence_privilege", FnHasTablePrivilege, true},
      {"pg_get_partkeydef", FnPgGetPartKeyDef, true},
      {"has_schema_privilege", FnHasSchemaPrivilege, true},
      {"has_database_privilege", FnHasDatabasePrivilege, true},
      {"has_column_privilege", FnHasColumnPrivilege, true},
      {"has_any_column_privilege", FnHasColumnPrivilege, true},
      {"has_function_privilege", FnHasFunctionPrivilege, true},
      {"has_type_privilege", FnHasTypePrivilege, true},
      {"has_language_privilege", FnHasLanguagePrivilege, true},
      {"has_tablespace_privilege", FnHasTablespacePrivilege, true},
      {"has_foreign_data_wrapper_privilege", FnHasForeignDataWrapperPrivilege, true},
      {"has_server_privilege", FnHasServerPrivilege, true},
      {"has_parameter_privilege", FnHasParameterPrivilege, true},
      {"pg_has_role", FnPgHasRole, true},
      {"pg_table_is_visible", FnPgTableIsVisible, true},
      {"pg_type_is_visible", FnPgTypeIsVisible, true},
      {"pg_operator_is_visible", FnBuiltinIsVisible<BuiltinKind::kOperator>, true},
      {"pg_opclass_is_visible", FnBuiltinIsVisible<BuiltinKind::kOpClass>, true},
      {"pg_opfamily_is_visible", FnBuiltinIsVisible<BuiltinKind::kOpFamily>, true},
      {"pg_collation_is_visible", FnBuiltinIsVisible<BuiltinKind::kCollation>, true},
      {"pg_conversion_is_visible", FnBuiltinIsVisible<BuiltinKind::kNone>, true},
      {"pg_statistics_obj_is_visible", FnBuiltinIsVisible<BuiltinKind::kNone>, true},
      {"pg_ts_parser_is_visible", FnBuiltinIsVisible<BuiltinKind::kNone>, true},
      {"pg_ts_dict_is_visible", FnBuiltinIsVisible<BuiltinKind::kNone>, true},
      {"pg_ts_template_is_visible", FnBuiltinIsVisible<BuiltinKind::kNone>, true},
      {"pg_ts_config_is_visible", FnBuiltinIsVisible<BuiltinKind::kNone>, true},
      {"format_type", FnFormatType, false},
      {"pg_encoding_to_char", FnPgEncodingToChar, true},
      {"pg_char_to_encoding", FnPgCharToEncoding, true},
      {"pg_encoding_max_length", FnPgEncodingMaxLength, true},
      {"nameconcatoid", FnNameConcatOid, true},
      {"pg_is_other_temp_schema", FnPgIsOtherTempSchema, true},
      {"pg_my_temp_schema", FnPgMyTempSchema, false},
      {"pg_get_constraintdef", FnPgGetConstraintDef, true},
      {"pg_get_indexdef", FnPgGetIndexDef, true},
      {"pg_get_expr", FnPgGetExpr, true},
      {"to_regclass", FnToReg<kRegClassType>, true},
      {"to_regtype", FnToReg<kRegTypeType>, true},
      {"to_regnamespace", FnToReg<kRegNamespaceType>, true},
      {"to_regrole", FnToReg<kRegRoleType>, true},
      {"to_regproc", FnToReg<kRegProcType>, true},
      {"to_regprocedure", FnToReg<kRegProcedureType>, true},
      {"pg_relation_is_publishable", FnPgRelationIsPublishable, true},
      {"pg_relation_is_updatable", FnPgRelationIsUpdatable, true},
      {"pg_column_is_updatable", FnPgColumnIsUpdatable, true},
      {"acldefault", FnAclDefault, true},
      {"obj_description", FnObjDescription, true},
      {"col_description", FnColDescription, true},
      {"shobj_description", FnShobjDescription, true},
      {"pg_get_statisticsobjdef_columns", FnNoSuchObjectDef, true},
      {"pg_get_triggerdef", FnPgGetTriggerDef, true},
      {"pg_get_viewdef", FnPgGetViewDef, true},
      {"pg_get_ruledef", FnPgGetRuleDef, true},
  };
  return kEntries;
}

}  // namespace activestore::executor
