// Roles and privileges (docs/design/2026-12-05-roles-and-privileges.md): CREATE/ALTER/DROP
// ROLE, GRANT/REVOKE of roles and of privileges on tables, sequences, schemas and databases,
// ALTER ... OWNER TO, SET ROLE / SET SESSION AUTHORIZATION, and the checks statements make
// (CheckPlanPrivileges before a plan runs, ownership before DDL, server files for COPY).
// Messages and SQLSTATEs are PostgreSQL 15's (commands/user.c, catalog/aclchk.c).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <set>

#include "common/scram.h"
#include "common/value_ops.h"
#include "executor/session.h"
#include "storage/acl.h"

namespace activestore::executor {

using storage::Acl;
using storage::AclMode;
using storage::AclObject;
using storage::Oid;
using storage::RoleInfo;
namespace acl = storage::acl;

const char* RelationKindName(const storage::TableInfo& t) {
  return t.matview         ? "materialized view"
         : t.is_view       ? "view"
         : t.is_sequence() ? "sequence"
                           : "table";
}

namespace {

AclObject RelationAclObject(const storage::TableInfo& t) {
  return t.is_sequence() ? AclObject::kSequence : AclObject::kTable;
}

[[noreturn]] void PermissionDenied(const std::string& message) {
  throw Error(SqlState::kInsufficientPrivilege, message);
}

// A privilege name of GRANT/REVOKE as its bit, for objects of `kind`; 0LP01 if it does not
// apply to them ("invalid privilege type USAGE for table").
AclMode PrivilegeBit(const std::string& name, AclObject kind, const char* kind_name) {
  static const std::pair<const char*, AclMode> kNames[] = {
      {"select", acl::kSelect},   {"insert", acl::kInsert},        {"update", acl::kUpdate},
      {"delete", acl::kDelete},   {"truncate", acl::kTruncate},    {"references", acl::kReferences},
      {"trigger", acl::kTrigger}, {"execute", acl::kExecute},      {"usage", acl::kUsage},
      {"create", acl::kCreate},   {"temporary", acl::kCreateTemp}, {"temp", acl::kCreateTemp},
      {"connect", acl::kConnect},
  };
  for (auto [n, bit] : kNames) {
    if (name != n) continue;
    if ((storage::AllPrivileges(kind) & bit) == 0) {
      std::string upper = name == "temp" ? "TEMPORARY" : name;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      throw Error(SqlState::kInvalidGrantOperation,
                  fmt::format("invalid privilege type {} for {}", upper, kind_name));
    }
    return bit;
  }
  Throw(SqlState::kSyntaxError, "unrecognized privilege type \"{}\"", name);
}

bool ReservedRoleName(const std::string& name) { return name.rfind("pg_", 0) == 0; }

}  // namespace

// --- who is asking ---

std::string SessionImpl::RoleNameOf(Oid oid) {
  const RoleInfo* r = CatalogView()->FindRoleByOid(oid);
  return r != nullptr ? r->name : std::to_string(oid);
}

bool SessionImpl::CurrentIsSuperuser() {
  auto snap = CatalogView();
  if (superuser_cache_.catalog_version != snap->version || superuser_cache_.role != user_oid_) {
    superuser_cache_.superuser = storage::IsSuperuser(*snap, user_oid_);
    superuser_cache_.catalog_version = snap->version;
    superuser_cache_.role = user_oid_;
  }
  return superuser_cache_.superuser;
}

Oid SessionImpl::DatabaseOwner() {
  const storage::DatabaseInfo* d = CatalogView()->FindDatabase(db_.name);
  return d != nullptr ? d->owner : db_.owner;
}

Oid SessionImpl::ResolveRole(const ast::RoleSpec& r, bool allow_public) {
  switch (r.kind) {
    case ast::RoleSpec::Kind::kCurrentUser:
      return user_oid_;
    case ast::RoleSpec::Kind::kSessionUser:
      return session_user_oid_;
    case ast::RoleSpec::Kind::kPublic:
      if (allow_public) return acl::kPublic;
      Throw(SqlState::kUndefinedObject, "role \"public\" does not exist");
    case ast::RoleSpec::Kind::kName:
      break;
  }
  const RoleInfo* role = CatalogView()->FindRole(r.name);
  if (role == nullptr) Throw(SqlState::kUndefinedObject, "role \"{}\" does not exist", r.name);
  return role->oid;
}

// --- checks ---

AclMode SessionImpl::RelationPrivileges(const storage::TableInfo& t, AclMode privs, Oid role) {
  return storage::RelationAclMask(*CatalogView(), role, t, privs, DatabaseOwner());
}

void SessionImpl::CheckTablePrivilege(const storage::TableInfo& t, AclMode privs, Oid as) {
  Oid role = as != 0 ? as : user_oid_;
  if ((RelationPrivileges(t, privs, role) & privs) != privs) {
    PermissionDenied(fmt::format("permission denied for {} {}", RelationKindName(t), t.name));
  }
}

void SessionImpl::CheckPlanPrivileges(const planner::PlanNode& plan) {
  if (plan.permissions.empty()) return;
  const bool super = CurrentIsSuperuser();
  for (const planner::RelationPermission& p : plan.permissions) {
    if (super && p.check_as == 0) continue;
    CheckTablePrivilege(*p.relation, p.privs, p.check_as);
  }
}

void SessionImpl::CheckTableOwner(const storage::TableInfo& t) {
  auto snap = CatalogView();
  if (!storage::HasPrivsOfRole(*snap, user_oid_, t.owner, DatabaseOwner())) {
    PermissionDenied(fmt::format("must be owner of {} {}", RelationKindName(t), t.name));
  }
}

void SessionImpl::CheckSchemaPrivilege(const std::string& schema, AclMode privs) {
  auto snap = CatalogView();
  const storage::SchemaInfo* s = snap->FindSchema(db_.oid, schema);
  if (s == nullptr || schema.rfind("pg_temp", 0) == 0) return;
  AclMode have = storage::AclMask(*snap, user_oid_, s->acl, AclObject::kSchema, s->owner, privs,
                                  DatabaseOwner());
  if ((have & privs) != privs) PermissionDenied("permission denied for schema " + schema);
}

void SessionImpl::CheckDatabaseCreatePrivilege() {
  auto snap = CatalogView();
  const storage::DatabaseInfo* d = snap->FindDatabase(db_.name);
  if (d != nullptr && (storage::AclMask(*snap, user_oid_, d->acl, AclObject::kDatabase, d->owner,
                                        acl::kCreate, DatabaseOwner()) &
                       acl::kCreate) == 0) {
    PermissionDenied("permission denied for database " + db_.name);
  }
}

void SessionImpl::CheckDdlPrivileges(const ast::Statement& s) {
  if (CurrentIsSuperuser()) return;
  auto owner_of = [&](const ast::QualifiedName& name) {
    if (auto t = FindTable(name)) CheckTableOwner(*t);
  };
  switch (s.kind) {
    case ast::StmtKind::kAlterTable:
      owner_of(static_cast<const ast::AlterTableStatement&>(s).table);
      break;
    case ast::StmtKind::kAlterSequence:
      owner_of(static_cast<const ast::AlterSequenceStatement&>(s).name);
      break;
    case ast::StmtKind::kRefreshMatview:
      owner_of(static_cast<const ast::RefreshMatviewStatement&>(s).name);
      break;
    case ast::StmtKind::kCreateIndex:
      owner_of(static_cast<const ast::CreateIndexStatement&>(s).table);
      break;
    case ast::StmtKind::kCreateSchema:
      CheckDatabaseCreatePrivilege();
      break;
    case ast::StmtKind::kCreateDatabase: {
      const RoleInfo* me = CatalogView()->FindRoleByOid(user_oid_);
      if (me == nullptr || !me->create_db) PermissionDenied("permission denied to create database");
      break;
    }
    case ast::StmtKind::kDrop: {
      const auto& d = static_cast<const ast::DropStatement&>(s);
      auto snap = CatalogView();
      for (const ast::QualifiedName& n : d.names) {
        switch (d.object_kind) {
          case ast::ObjectKind::kTable:
          case ast::ObjectKind::kView:
          case ast::ObjectKind::kMatview:
          case ast::ObjectKind::kSequence:
            owner_of(n);
            break;
          case ast::ObjectKind::kSchema:
            if (const storage::SchemaInfo* sc = snap->FindSchema(db_.oid, n.name())) {
              if (!storage::HasPrivsOfRole(*snap, user_oid_, sc->owner, DatabaseOwner())) {
                PermissionDenied("must be owner of schema " + n.name());
              }
            }
            break;
          case ast::ObjectKind::kDatabase:
            if (const storage::DatabaseInfo* db = snap->FindDatabase(n.name())) {
              if (!storage::HasPrivsOfRole(*snap, user_oid_, db->owner)) {
                PermissionDenied("must be owner of database " + n.name());
              }
            }
            break;
          case ast::ObjectKind::kIndex: {
            std::vector<std::string> schemas =
                n.parts.size() >= 2 ? std::vector<std::string>{n.parts[n.parts.size() - 2]}
                                    : LookupPath(*snap);
            for (const std::string& sch : schemas) {
              if (auto t = snap->FindIndexOwner(db_.oid, sch, n.name())) {
                if (!storage::HasPrivsOfRole(*snap, user_oid_, t->owner, DatabaseOwner())) {
                  PermissionDenied("must be owner of index " + n.name());
                }
                break;
              }
            }
            break;
          }
          default:
            break;
        }
      }
      break;
    }
    default:
      break;
  }
}

void SessionImpl::CheckServerFileAccess(bool from, bool program) {
  auto snap = CatalogView();
  if (storage::IsSuperuser(*snap, user_oid_)) return;
  Oid db_owner = DatabaseOwner();
  if (program) {
    if (storage::HasPrivsOfRole(*snap, user_oid_, storage::kPgExecuteServerProgramOid, db_owner)) {
      return;
    }
    throw Error(SqlState::kInsufficientPrivilege,
                "must be superuser or have privileges of the pg_execute_server_program role to "
                "COPY to or from an external program")
        .Hint(
            "Anyone can COPY to stdout or from stdin. psql's \\copy command also works for "
            "anyone.");
  }
  Oid role = from ? storage::kPgReadServerFilesOid : storage::kPgWriteServerFilesOid;
  if (storage::HasPrivsOfRole(*snap, user_oid_, role, db_owner)) return;
  throw Error(SqlState::kInsufficientPrivilege,
              from ? "must be superuser or have privileges of the pg_read_server_files role to "
                     "COPY from a file"
                   : "must be superuser or have privileges of the pg_write_server_files role to "
                     "COPY to a file")
      .Hint(
          "Anyone can COPY to stdout or from stdin. psql's \\copy command also works for "
          "anyone.");
}

// --- roles ---

QueryResult SessionImpl::RunRoleStatement(const ast::Statement& s) {
  switch (s.kind) {
    case ast::StmtKind::kCreateRole:
      return CreateRole(static_cast<const ast::RoleStatement&>(s));
    case ast::StmtKind::kAlterRole:
      return AlterRole(static_cast<const ast::RoleStatement&>(s));
    case ast::StmtKind::kDropRole:
      return DropRoles(static_cast<const ast::DropRoleStatement&>(s));
    case ast::StmtKind::kGrant: {
      const auto& g = static_cast<const ast::GrantStatement&>(s);
      return g.roles ? GrantRoles(g) : GrantPrivileges(g);
    }
    case ast::StmtKind::kAlterOwner:
      return AlterOwner(static_cast<const ast::AlterOwnerStatement&>(s));
    default:
      Throw(SqlState::kInternalError, "not a role statement");
  }
}

namespace {

// The password as stored: a SCRAM or md5 secret given as such is kept, anything else becomes a
// SCRAM-SHA-256 verifier (password_encryption = scram-sha-256).
std::optional<std::string> StoredPassword(const ast::RoleStatement& s,
                                          std::vector<Notice>* notices) {
  if (!s.password) return std::nullopt;
  if (s.password->empty()) {
    notices->push_back(
        Notice{"NOTICE", "00000", "empty string is not a valid password, clearing password"});
    return std::nullopt;
  }
  if (ParseScramVerifier(*s.password) || IsMd5Secret(*s.password)) return *s.password;
  return ScramVerifier(*s.password);
}

}  // namespace

void SessionImpl::ApplyRoleOptions(const ast::RoleStatement& s, RoleInfo* r) {
  if (s.superuser) r->superuser = *s.superuser;
  if (s.create_db) r->create_db = *s.create_db;
  if (s.create_role) r->create_role = *s.create_role;
  if (s.inherit) r->inherit = *s.inherit;
  if (s.login) r->can_login = *s.login;
  if (s.replication) r->replication = *s.replication;
  if (s.bypass_rls) r->bypass_rls = *s.bypass_rls;
  if (s.connection_limit) {
    if (*s.connection_limit < -1) {
      Throw(SqlState::kInvalidParameterValue, "invalid connection limit: {}", *s.connection_limit);
    }
    r->connection_limit = *s.connection_limit;
  }
  if (s.password_given) r->password = StoredPassword(s, &pending_notices_);
  if (s.valid_until) {
    Value v = ParseValue(*s.valid_until, Type::Of(TypeId::kTimestampTz), settings_.format());
    r->valid_until = v.i;
  }
}

void SessionImpl::CheckCanManageRoles(const char* action) {
  auto snap = CatalogView();
  const RoleInfo* me = snap->FindRoleByOid(user_oid_);
  if (me == nullptr || (!me->superuser && !me->create_role)) PermissionDenied(action);
}

QueryResult SessionImpl::CreateRole(const ast::RoleStatement& s) {
  const std::string& name = s.role.name;
  if (s.role.kind != ast::RoleSpec::Kind::kName || name == "public" || name == "none") {
    std::string shown = s.role.kind == ast::RoleSpec::Kind::kName ? name : "current_user";
    Throw(SqlState::kReservedName, "role name \"{}\" is reserved", shown);
  }
  if (ReservedRoleName(name)) {
    throw Error(SqlState::kReservedName, fmt::format("role name \"{}\" is reserved", name))
        .Detail("Role names starting with \"pg_\" are reserved.");
  }
  const bool super = CurrentIsSuperuser();
  if (s.superuser.value_or(false) && !super) {
    PermissionDenied("must be superuser to create superusers");
  }
  if (s.replication.value_or(false) && !super) {
    PermissionDenied("must be superuser to create replication users");
  }
  if (s.bypass_rls.value_or(false) && !super) {
    PermissionDenied("must be superuser to create bypassrls users");
  }
  CheckCanManageRoles("permission denied to create role");
  if (CatalogView()->FindRole(name) != nullptr) {
    Throw(SqlState::kDuplicateObject, "role \"{}\" already exists", name);
  }
  RoleInfo r;
  r.name = name;
  r.can_login = s.is_user;
  ApplyRoleOptions(s, &r);
  storage::CatalogTxn* txn = CatalogStatementTxn();
  for (const ast::RoleSpec& in : s.in_roles) {
    Oid role = ResolveRole(in);
    CheckCanGrantRole(role);
    r.member_of.push_back({role, user_oid_, false});
  }
  r = engine_->catalog()->CreateRole(txn, std::move(r));
  auto add_member = [&](const ast::RoleSpec& spec, bool admin) {
    Oid member = ResolveRole(spec);
    RoleInfo m = *CatalogView()->FindRoleByOid(member);
    m.member_of.push_back({r.oid, user_oid_, admin});
    engine_->catalog()->UpdateRole(txn, std::move(m));
  };
  for (const ast::RoleSpec& m : s.members) add_member(m, false);
  for (const ast::RoleSpec& m : s.admins) add_member(m, true);
  return Tagged("CREATE ROLE");
}

QueryResult SessionImpl::AlterRole(const ast::RoleStatement& s) {
  auto snap = CatalogView();
  Oid oid = ResolveRole(s.role);
  RoleInfo r = *snap->FindRoleByOid(oid);
  const bool super = CurrentIsSuperuser();
  if (s.set_config) {
    // PostgreSQL's AlterRoleSet: a superuser's settings need a superuser; others CREATEROLE
    // or the role itself.
    if (r.superuser) {
      if (!super) PermissionDenied("must be superuser to alter superusers");
    } else if (oid != user_oid_) {
      CheckCanManageRoles("permission denied");
    }
    Oid database = 0;
    if (s.in_database) {
      const storage::DatabaseInfo* db = snap->FindDatabase(*s.in_database);
      if (db == nullptr) {
        Throw(SqlState::kInvalidCatalogName, "database \"{}\" does not exist", *s.in_database);
      }
      database = db->oid;
    }
    std::map<std::string, std::string>& values = r.settings[database];
    if (s.setting_value) {
      Settings check = settings_;
      check.Set(s.setting, *s.setting_value);  // 42704 / 22023 as SET would give
      values[s.setting] = *s.setting_value;
    } else if (s.setting == "all") {
      values.clear();
    } else {
      (void)settings_.Get(s.setting);  // 42704 for an unknown name
      values.erase(s.setting);
    }
    if (values.empty()) r.settings.erase(database);
    engine_->catalog()->UpdateRole(CatalogStatementTxn(), std::move(r));
    return Tagged("ALTER ROLE");
  }
  if (s.rename_to) {
    if (oid == session_user_oid_) {
      Throw(SqlState::kFeatureNotSupported, "session user cannot be renamed");
    }
    if (oid == user_oid_) Throw(SqlState::kFeatureNotSupported, "current user cannot be renamed");
    if (oid < 16384) {
      Throw(SqlState::kReservedName, "role name \"{}\" is reserved", r.name);
    }
    if (ReservedRoleName(*s.rename_to)) {
      throw Error(SqlState::kReservedName,
                  fmt::format("role name \"{}\" is reserved", *s.rename_to))
          .Detail("Role names starting with \"pg_\" are reserved.");
    }
    if (snap->FindRole(*s.rename_to) != nullptr) {
      Throw(SqlState::kDuplicateObject, "role \"{}\" already exists", *s.rename_to);
    }
    if (r.superuser && !super) PermissionDenied("must be superuser to rename superusers");
    CheckCanManageRoles("permission denied to rename role");
    r.name = *s.rename_to;
    if (r.password && IsMd5Secret(*r.password)) {
      r.password.reset();
      pending_notices_.push_back(
          Notice{"NOTICE", "00000", "MD5 password cleared because of role rename"});
    }
    engine_->catalog()->UpdateRole(CatalogStatementTxn(), std::move(r));
    return Tagged("ALTER ROLE");
  }
  if ((r.superuser || s.superuser) && !super) {
    PermissionDenied("must be superuser to alter superuser roles or change superuser attribute");
  }
  if ((r.replication || s.replication) && !super) {
    PermissionDenied(
        "must be superuser to alter replication roles or change replication attribute");
  }
  if (s.bypass_rls && !super) PermissionDenied("must be superuser to change bypassrls attribute");
  const bool only_password = !s.superuser && !s.create_db && !s.create_role && !s.inherit &&
                             !s.login && !s.replication && !s.bypass_rls && !s.connection_limit &&
                             !s.valid_until;
  if (!(only_password && oid == user_oid_)) CheckCanManageRoles("permission denied");
  ApplyRoleOptions(s, &r);
  engine_->catalog()->UpdateRole(CatalogStatementTxn(), std::move(r));
  return Tagged("ALTER ROLE");
}

std::vector<std::string> SessionImpl::RoleDependents(Oid role) {
  std::vector<std::string> out;
  auto snap = CatalogView();
  auto has_acl = [&](const std::optional<Acl>& a) {
    if (!a) return false;
    for (const storage::AclItem& i : *a) {
      if (i.grantee == role || i.grantor == role) return true;
    }
    return false;
  };
  std::map<Oid, int> elsewhere;  // objects in other databases
  for (const auto& [name, d] : snap->databases) {
    if (d.owner == role) out.push_back("owner of database " + name);
    if (has_acl(d.acl)) out.push_back("privileges for database " + name);
  }
  for (const auto& [key, sc] : snap->schemas) {
    if (sc.owner != role && !has_acl(sc.acl)) continue;
    if (key.first != db_.oid) {
      ++elsewhere[key.first];
      continue;
    }
    if (sc.owner == role) out.push_back("owner of schema " + sc.name);
    if (has_acl(sc.acl)) out.push_back("privileges for schema " + sc.name);
  }
  for (const auto& [key, t] : snap->tables) {
    if (t->owner != role && !has_acl(t->acl)) continue;
    if (std::get<0>(key) != db_.oid) {
      ++elsewhere[std::get<0>(key)];
      continue;
    }
    std::string shown = (t->schema == "public" ? "" : t->schema + ".") + t->name;
    if (t->owner == role) out.push_back(fmt::format("owner of {} {}", RelationKindName(*t), shown));
    if (has_acl(t->acl))
      out.push_back(fmt::format("privileges for {} {}", RelationKindName(*t), shown));
  }
  for (const auto& [db, n] : elsewhere) {
    std::string dbname;
    for (const auto& [name, d] : snap->databases) {
      if (d.oid == db) dbname = name;
    }
    out.push_back(fmt::format("{} object{} in database {}", n, n == 1 ? "" : "s", dbname));
  }
  return out;
}

QueryResult SessionImpl::DropRoles(const ast::DropRoleStatement& s) {
  CheckCanManageRoles("permission denied to drop role");
  storage::CatalogTxn* txn = CatalogStatementTxn();
  for (const ast::RoleSpec& spec : s.roles) {
    if (spec.kind == ast::RoleSpec::Kind::kName) {
      if (CatalogView()->FindRole(spec.name) == nullptr) {
        if (s.if_exists) {
          pending_notices_.push_back(Notice{
              "NOTICE", "00000", fmt::format("role \"{}\" does not exist, skipping", spec.name)});
          continue;
        }
        Throw(SqlState::kUndefinedObject, "role \"{}\" does not exist", spec.name);
      }
    }
    Oid oid = ResolveRole(spec);
    auto snap = CatalogView();
    RoleInfo r = *snap->FindRoleByOid(oid);
    if (oid == user_oid_) Throw(SqlState::kObjectInUse, "current user cannot be dropped");
    if (oid == session_user_oid_) Throw(SqlState::kObjectInUse, "session user cannot be dropped");
    if (oid < 16384) {
      Throw(SqlState::kUndefinedObjectDependent,
            "cannot drop role {} because it is required by the database system", r.name);
    }
    if (r.superuser && !CurrentIsSuperuser()) {
      PermissionDenied("must be superuser to drop superusers");
    }
    std::vector<std::string> deps = RoleDependents(oid);
    if (!deps.empty()) {
      std::string detail;
      for (const std::string& d : deps) detail += (detail.empty() ? "" : "\n") + d;
      throw Error(
          SqlState::kUndefinedObjectDependent,
          fmt::format("role \"{}\" cannot be dropped because some objects depend on it", r.name))
          .Detail(detail);
    }
    // Memberships in it go with it.
    for (const auto& [name, other] : snap->roles) {
      if (other.oid == oid) continue;
      auto it = std::find_if(other.member_of.begin(), other.member_of.end(),
                             [&](const storage::RoleMembership& m) { return m.role == oid; });
      if (it == other.member_of.end()) continue;
      RoleInfo changed = other;
      std::erase_if(changed.member_of,
                    [&](const storage::RoleMembership& m) { return m.role == oid; });
      engine_->catalog()->UpdateRole(txn, std::move(changed));
    }
    engine_->catalog()->DropRole(txn, oid);
  }
  return Tagged("DROP ROLE");
}

void SessionImpl::CheckCanGrantRole(Oid role) {
  auto snap = CatalogView();
  const RoleInfo* r = snap->FindRoleByOid(role);
  if (r == nullptr) Throw(SqlState::kUndefinedObject, "role with OID {} does not exist", role);
  if (role == storage::kPgDatabaseOwnerOid) {
    Throw(SqlState::kInvalidGrantOperation, "role \"{}\" cannot have explicit members", r->name);
  }
  if (storage::IsSuperuser(*snap, user_oid_)) return;
  if (r->superuser) PermissionDenied("must be superuser to alter superusers");
  const RoleInfo* me = snap->FindRoleByOid(user_oid_);
  if (me != nullptr && me->create_role && role >= 16384) return;
  if (!storage::IsAdminOfRole(*snap, user_oid_, role)) {
    PermissionDenied(fmt::format("must have admin option on role \"{}\"", r->name));
  }
}

QueryResult SessionImpl::GrantRoles(const ast::GrantStatement& s) {
  storage::CatalogTxn* txn = CatalogStatementTxn();
  for (const auto& p : s.privileges) {
    if (!p.columns.empty()) {
      Throw(SqlState::kInvalidGrantOperation,
            "column names cannot be included in GRANT/REVOKE ROLE");
    }
    ast::RoleSpec spec;
    spec.name = p.name;
    Oid role = ResolveRole(spec);
    CheckCanGrantRole(role);
    for (const ast::RoleSpec& g : s.grantees) {
      Oid member = ResolveRole(g);
      auto snap = CatalogView();
      RoleInfo m = *snap->FindRoleByOid(member);
      const std::string& role_name = snap->FindRoleByOid(role)->name;
      auto it = std::find_if(m.member_of.begin(), m.member_of.end(),
                             [&](const storage::RoleMembership& x) { return x.role == role; });
      if (s.is_grant) {
        // A cycle: `role` is (or is inside) `member`.
        std::vector<Oid> inside = storage::RolesOf(*snap, role, /*inheriting=*/false);
        bool cycle = std::find(inside.begin(), inside.end(), member) != inside.end();
        if (cycle) {
          Throw(SqlState::kInvalidGrantOperation, "role \"{}\" is a member of role \"{}\"",
                role_name, m.name);
        }
        if (it != m.member_of.end()) {
          if (!s.option || it->admin) {
            pending_notices_.push_back(Notice{
                "NOTICE", "00000",
                fmt::format("role \"{}\" is already a member of role \"{}\"", m.name, role_name)});
            continue;
          }
          it->admin = true;
        } else {
          m.member_of.push_back({role, user_oid_, s.option});
        }
      } else {
        if (it == m.member_of.end()) {
          pending_notices_.push_back(
              Notice{"WARNING", "01000",
                     fmt::format("role \"{}\" is not a member of role \"{}\"", m.name, role_name)});
          continue;
        }
        if (s.option) {
          it->admin = false;
        } else {
          m.member_of.erase(it);
        }
      }
      engine_->catalog()->UpdateRole(txn, std::move(m));
    }
  }
  return Tagged(s.is_grant ? "GRANT ROLE" : "REVOKE ROLE");
}

// --- privileges on objects ---

namespace {

// REVOKE of grant options: the grants the grantee made with them go too (CASCADE), or the
// REVOKE fails (RESTRICT), as PostgreSQL's recursive_revoke.
void RevokeDependents(Acl* list, Oid grantee, AclMode lost, bool cascade, Oid owner) {
  if (lost == 0 || grantee == owner) return;
  for (size_t i = 0; i < list->size(); ++i) {
    storage::AclItem item = (*list)[i];
    if (item.grantor != grantee || (item.privs & lost) == 0) continue;
    if (!cascade) {
      throw Error(SqlState::kUndefinedObjectDependent, "dependent privileges exist")
          .Hint("Use CASCADE to revoke them too.");
    }
    AclMode taken = item.privs & lost;
    AclMode its_options = item.grant_options & lost;
    storage::AclRevoke(list, item.grantee, grantee, taken, false);
    RevokeDependents(list, item.grantee, its_options, cascade, owner);
    i = static_cast<size_t>(-1);  // the list changed: start over
  }
}

}  // namespace

QueryResult SessionImpl::GrantPrivileges(const ast::GrantStatement& s) {
  using T = ast::GrantStatement::Target;
  if (s.target == T::kOther) {
    Throw(SqlState::kFeatureNotSupported, "privileges on this kind of object are not supported");
  }
  for (const auto& p : s.privileges) {
    if (!p.columns.empty()) {
      Throw(SqlState::kFeatureNotSupported, "column privileges are not supported yet");
    }
  }
  storage::CatalogTxn* txn = CatalogStatementTxn();
  std::vector<Oid> grantees;
  for (const ast::RoleSpec& g : s.grantees) grantees.push_back(ResolveRole(g, true));
  const std::string tag = s.is_grant ? "GRANT" : "REVOKE";

  // One object: its current list, owner and kind; returns the new list.
  auto apply = [&](const std::optional<Acl>& stored, AclObject kind, Oid owner,
                   const char* kind_name, const std::string& name,
                   const std::function<void()>& denied) -> Acl {
    AclMode privs = 0;
    if (s.all) {
      privs = storage::AllPrivileges(kind);
    } else {
      for (const auto& p : s.privileges) privs |= PrivilegeBit(p.name, kind, kind_name);
    }
    auto snap = CatalogView();
    Oid db_owner = DatabaseOwner();
    // The grantor: the owner when the current user has its privileges (superusers too),
    // otherwise the current user with what it may grant.
    Oid grantor = user_oid_;
    AclMode grantable = 0;
    if (storage::HasPrivsOfRole(*snap, user_oid_, owner, db_owner)) {
      grantor = owner;
      grantable = storage::AllPrivileges(kind);
    } else {
      grantable = storage::AclMask(*snap, user_oid_, stored, kind, owner,
                                   storage::AllPrivileges(kind), db_owner, true);
      if (grantable == 0 && storage::AclMask(*snap, user_oid_, stored, kind, owner,
                                             storage::AllPrivileges(kind), db_owner) == 0) {
        denied();
      }
    }
    if (s.granted_by) {
      Oid by = ResolveRole(*s.granted_by);
      if (by != grantor) {
        Throw(SqlState::kFeatureNotSupported, "grantor must be current user");
      }
    }
    AclMode effective = privs & grantable;
    if (effective == 0) {
      pending_notices_.push_back(Notice{"WARNING", "01007",
                                        (s.is_grant ? "no privileges were granted for \""
                                                    : "no privileges could be revoked for \"") +
                                            name + "\""});
    } else if (effective != privs && !s.all) {
      pending_notices_.push_back(
          Notice{"WARNING", "01007",
                 (s.is_grant ? "not all privileges were granted for \""
                             : "not all privileges could be revoked for \"") +
                     name + "\""});
    }
    Acl list = storage::EffectiveAcl(stored, kind, owner);
    for (Oid g : grantees) {
      if (s.is_grant) {
        if (s.option && g == acl::kPublic) {
          Throw(SqlState::kInvalidGrantOperation, "grant options can only be granted to roles");
        }
        storage::AclGrant(&list, g, grantor, effective, s.option);
      } else {
        AclMode had_options = 0;
        for (const storage::AclItem& i : list) {
          if (i.grantee == g && i.grantor == grantor) had_options = i.grant_options;
        }
        storage::AclRevoke(&list, g, grantor, effective, s.option);
        RevokeDependents(&list, g, had_options & effective, s.cascade, owner);
      }
    }
    return list;
  };

  auto do_relation = [&](std::shared_ptr<const storage::TableInfo> t) {
    AclObject kind = RelationAclObject(*t);
    const char* kind_name = t->is_sequence() ? "sequence" : "table";
    if (s.target == T::kTable && t->is_sequence() && !s.all) {
      // GRANT ... ON TABLE seq: PostgreSQL keeps the sequence privileges among those given.
      AclMode seq = 0;
      for (const auto& p : s.privileges) {
        if (p.name == "select" || p.name == "update" || p.name == "usage") continue;
        seq = 1;
      }
      if (seq != 0) {
        Throw(SqlState::kInvalidGrantOperation,
              "sequence \"{}\" only supports USAGE, SELECT, and UPDATE privileges", t->name);
      }
    }
    Acl list = apply(t->acl, kind, t->owner, kind_name, t->name, [&] {
      PermissionDenied(fmt::format("permission denied for {} {}", RelationKindName(*t), t->name));
    });
    storage::TableInfo next = *t;
    next.acl = std::move(list);
    engine_->catalog()->UpdateRelation(txn, std::move(next));
  };

  for (const ast::QualifiedName& n : s.objects) {
    switch (s.target) {
      case T::kTable:
      case T::kSequence: {
        auto t = FindTable(n);
        if (!t) Throw(SqlState::kUndefinedTable, "relation \"{}\" does not exist", n.name());
        if (s.target == T::kSequence && !t->is_sequence()) {
          Throw(SqlState::kWrongObjectType, "\"{}\" is not a sequence", n.name());
        }
        do_relation(t);
        break;
      }
      case T::kAllTablesInSchema:
      case T::kAllSequencesInSchema: {
        auto snap = CatalogView();
        if (snap->FindSchema(db_.oid, n.name()) == nullptr) {
          Throw(SqlState::kInvalidSchemaName, "schema \"{}\" does not exist", n.name());
        }
        std::vector<std::shared_ptr<const storage::TableInfo>> targets;
        for (auto it = snap->tables.lower_bound({db_.oid, n.name(), ""});
             it != snap->tables.end() && std::get<0>(it->first) == db_.oid &&
             std::get<1>(it->first) == n.name();
             ++it) {
          if (it->second->is_sequence() == (s.target == T::kAllSequencesInSchema)) {
            targets.push_back(it->second);
          }
        }
        for (const auto& t : targets) do_relation(t);
        break;
      }
      case T::kSchema: {
        const storage::SchemaInfo* found = CatalogView()->FindSchema(db_.oid, n.name());
        if (found == nullptr) {
          Throw(SqlState::kInvalidSchemaName, "schema \"{}\" does not exist", n.name());
        }
        storage::SchemaInfo next = *found;
        next.acl = apply(found->acl, AclObject::kSchema, found->owner, "schema", n.name(),
                         [&] { PermissionDenied("permission denied for schema " + n.name()); });
        engine_->catalog()->UpdateSchema(txn, std::move(next));
        break;
      }
      case T::kDatabase: {
        const storage::DatabaseInfo* found = CatalogView()->FindDatabase(n.name());
        if (found == nullptr) {
          Throw(SqlState::kInvalidCatalogName, "database \"{}\" does not exist", n.name());
        }
        storage::DatabaseInfo next = *found;
        next.acl = apply(found->acl, AclObject::kDatabase, found->owner, "database", n.name(),
                         [&] { PermissionDenied("permission denied for database " + n.name()); });
        engine_->catalog()->UpdateDatabase(txn, std::move(next));
        break;
      }
      case T::kOther:
        break;
    }
  }
  return Tagged(tag);
}

QueryResult SessionImpl::AlterOwner(const ast::AlterOwnerStatement& s) {
  storage::CatalogTxn* txn = CatalogStatementTxn();
  Oid owner = ResolveRole(s.owner);
  auto snap = CatalogView();
  const bool super = storage::IsSuperuser(*snap, user_oid_);
  Oid db_owner = DatabaseOwner();
  auto check_new_owner = [&](Oid old_owner, const std::string& what) {
    if (super) return;
    if (!storage::HasPrivsOfRole(*snap, user_oid_, old_owner, db_owner)) {
      PermissionDenied("must be owner of " + what);
    }
    if (!storage::IsMemberOfRole(*snap, user_oid_, owner, db_owner)) {
      PermissionDenied(fmt::format("must be member of role \"{}\"", RoleNameOf(owner)));
    }
  };
  switch (s.object_kind) {
    case ast::ObjectKind::kTable:
    case ast::ObjectKind::kView:
    case ast::ObjectKind::kMatview:
    case ast::ObjectKind::kSequence: {
      std::string schema;
      auto t = FindTable(s.name, &schema);
      const char* tag = s.object_kind == ast::ObjectKind::kView       ? "ALTER VIEW"
                        : s.object_kind == ast::ObjectKind::kMatview  ? "ALTER MATERIALIZED VIEW"
                        : s.object_kind == ast::ObjectKind::kSequence ? "ALTER SEQUENCE"
                                                                      : "ALTER TABLE";
      if (!t) {
        if (s.if_exists) {
          pending_notices_.push_back(
              Notice{"NOTICE", "00000",
                     fmt::format("relation \"{}\" does not exist, skipping", s.name.name())});
          return Tagged(tag);
        }
        Throw(SqlState::kUndefinedTable, "relation \"{}\" does not exist", s.name.name());
      }
      check_new_owner(t->owner, fmt::format("{} {}", RelationKindName(*t), t->name));
      if (!super) {
        const storage::SchemaInfo* sc = snap->FindSchema(db_.oid, schema);
        if (sc != nullptr && (storage::AclMask(*snap, owner, sc->acl, AclObject::kSchema, sc->owner,
                                               acl::kCreate, db_owner) &
                              acl::kCreate) == 0) {
          PermissionDenied("permission denied for schema " + schema);
        }
      }
      auto change = [&](const storage::TableInfo& rel) {
        if (rel.owner == owner) return;
        storage::TableInfo next = rel;
        if (next.acl) storage::AclChangeOwner(&*next.acl, rel.owner, owner);
        next.owner = owner;
        engine_->catalog()->UpdateRelation(txn, std::move(next));
      };
      change(*t);
      // Sequences the table owns follow it (PostgreSQL's change_owner_recurse_to_sequences).
      for (const auto& [key, rel] : CatalogView()->tables) {
        if (rel->is_sequence() && rel->sequence->owner_table == t->oid) change(*rel);
      }
      return Tagged(tag);
    }
    case ast::ObjectKind::kSchema: {
      const storage::SchemaInfo* found = snap->FindSchema(db_.oid, s.name.name());
      if (found == nullptr) {
        Throw(SqlState::kInvalidSchemaName, "schema \"{}\" does not exist", s.name.name());
      }
      // PostgreSQL's AlterSchemaOwner_internal checks only a change of owner, and then also
      // that the user may create schemas in the database.
      if (found->owner == owner) return Tagged("ALTER SCHEMA");
      check_new_owner(found->owner, "schema " + s.name.name());
      if (!super) CheckDatabaseCreatePrivilege();
      storage::SchemaInfo next = *found;
      if (next.acl) storage::AclChangeOwner(&*next.acl, found->owner, owner);
      next.owner = owner;
      engine_->catalog()->UpdateSchema(txn, std::move(next));
      return Tagged("ALTER SCHEMA");
    }
    case ast::ObjectKind::kDatabase: {
      const storage::DatabaseInfo* found = snap->FindDatabase(s.name.name());
      if (found == nullptr) {
        Throw(SqlState::kInvalidCatalogName, "database \"{}\" does not exist", s.name.name());
      }
      check_new_owner(found->owner, "database " + s.name.name());
      if (!super) {
        const RoleInfo* me = snap->FindRoleByOid(user_oid_);
        if (me == nullptr || !me->create_db) {
          PermissionDenied("permission denied to change owner of database");
        }
      }
      storage::DatabaseInfo next = *found;
      if (next.acl) storage::AclChangeOwner(&*next.acl, found->owner, owner);
      next.owner = owner;
      engine_->catalog()->UpdateDatabase(txn, std::move(next));
      return Tagged("ALTER DATABASE");
    }
    case ast::ObjectKind::kType:
    case ast::ObjectKind::kDomain: {
      const bool domain = s.object_kind == ast::ObjectKind::kDomain;
      auto found = FindTypeDef(s.name);
      if (found == nullptr) {
        Throw(SqlState::kUndefinedObject, "type \"{}\" does not exist", s.name.name());
      }
      if (domain && !found->is_domain()) {
        Throw(SqlState::kWrongObjectType, "\"{}\" is not a domain", found->name);
      }
      check_new_owner(found->owner, "type " + found->name);
      if (found->owner != owner) {
        storage::TypeDefInfo next = *found;
        next.owner = owner;
        engine_->catalog()->UpdateType(txn, std::move(next));
      }
      return Tagged(domain ? "ALTER DOMAIN" : "ALTER TYPE");
    }
    default:
      Throw(SqlState::kFeatureNotSupported, "ALTER ... OWNER TO is not supported for this object");
  }
}

// --- SET ROLE, SET SESSION AUTHORIZATION ---

void SessionImpl::BecomeUser(Oid user, bool role_set) {
  user_oid_ = user;
  role_set_ = role_set;
  auto snap = CatalogView();
  const RoleInfo* r = snap->FindRoleByOid(user);
  current_user_name_ = r != nullptr ? r->name : std::to_string(user);
  settings_.SetByServer("role", role_set ? current_user_name_ : "none");
  settings_.SetByServer("is_superuser", r != nullptr && r->superuser ? "on" : "off");
}

QueryResult SessionImpl::SetRole(const std::string& name) {
  if (name == "none") {
    BecomeUser(session_user_oid_, false);
    return Tagged("SET");
  }
  auto snap = CatalogView();
  const RoleInfo* r = snap->FindRole(name);
  if (r == nullptr) Throw(SqlState::kUndefinedObject, "role \"{}\" does not exist", name);
  if (!storage::IsMemberOfRole(*snap, session_user_oid_, r->oid, DatabaseOwner())) {
    PermissionDenied(fmt::format("permission denied to set role \"{}\"", name));
  }
  BecomeUser(r->oid, true);
  return Tagged("SET");
}

void SessionImpl::ReapplyIdentity() {
  auto snap = CatalogView();
  if (const RoleInfo* r = snap->FindRole(settings_.Get("session_authorization"))) {
    session_user_oid_ = r->oid;
    session_user_name_ = r->name;
  }
  const std::string role = settings_.Get("role");
  const RoleInfo* r = role == "none" ? nullptr : snap->FindRole(role);
  BecomeUser(r != nullptr ? r->oid : session_user_oid_, r != nullptr);
}

QueryResult SessionImpl::SetSessionAuthorization(const std::optional<std::string>& name) {
  auto snap = CatalogView();
  Oid target = authenticated_user_oid_;
  if (name) {
    const RoleInfo* r = snap->FindRole(*name);
    if (r == nullptr) Throw(SqlState::kUndefinedObject, "role \"{}\" does not exist", *name);
    target = r->oid;
  }
  if (target != authenticated_user_oid_ && !storage::IsSuperuser(*snap, authenticated_user_oid_)) {
    PermissionDenied("permission denied to set session authorization");
  }
  session_user_oid_ = target;
  const RoleInfo* r = snap->FindRoleByOid(target);
  session_user_name_ = r != nullptr ? r->name : std::to_string(target);
  settings_.SetByServer("session_authorization", session_user_name_);
  BecomeUser(target, false);
  return Tagged("SET");
}

}  // namespace activestore::executor
