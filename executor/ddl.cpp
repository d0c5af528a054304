// DDL statements: CREATE/DROP of databases, schemas, tables, indexes and views, TRUNCATE and
// the ALTER TABLE forms that exist so far. Every change is made in the statement's transaction
// (storage::CatalogTxn, see storage/catalog.h): the session sees it at once, other sessions when
// it commits, and ROLLBACK undoes it. CREATE/DROP DATABASE cannot run inside a transaction
// block (25001), as in PostgreSQL.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <limits>
#include <set>
#include <thread>

#include "common/array.h"
#include "common/builtin_catalog.h"
#include "common/cstring_type.h"
#include "common/type_registry.h"
#include "executor/continuous_aggs.h"
#include "executor/deparse.h"
#include "executor/dependencies.h"
#include "executor/foreign_keys.h"
#include "executor/hypertables.h"
#include "executor/index_keys.h"
#include "executor/session.h"
#include "executor/table_options.h"
#include "executor/triggers.h"
#include "executor/view_text.h"
#include "parser/ast_comment.h"
#include "parser/ast_function.h"
#include "parser/ast_trigger.h"
#include "planner/binder.h"
#include "planner/pg_catalog/opclass.h"
#include "planner/pg_catalog/system_relation.h"
#include "planner/sql_quote.h"
#include "storage/encoding.h"
#include "storage/table_store.h"

namespace activestore::executor {

std::vector<int> IncludeColumns(const storage::TableInfo& table,
                                const std::vector<std::string>& names, const char* message) {
  std::vector<int> out;
  for (const std::string& n : names) {
    int ord = table.ColumnIndex(n);
    if (ord < 0) throw Error(SqlState::kUndefinedColumn, fmt::format(fmt::runtime(message), n));
    out.push_back(ord);
  }
  return out;
}

namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string QualifiedText(const ast::QualifiedName& n) {
  std::string out;
  for (size_t i = 0; i < n.parts.size(); ++i) {
    if (i) out += ".";
    out += n.parts[i];
  }
  return out;
}

// The command tag PostgreSQL names a DDL statement by in messages.
std::string DdlTag(const ast::Statement& s) {
  switch (s.kind) {
    case ast::StmtKind::kCreateTable:
      if (static_cast<const ast::CreateTableStatement&>(s).materialized_view) {
        return "CREATE MATERIALIZED VIEW";
      }
      return static_cast<const ast::CreateTableStatement&>(s).as_select ? "CREATE TABLE AS"
                                                                        : "CREATE TABLE";
    case ast::StmtKind::kRefreshMatview:
      return "REFRESH MATERIALIZED VIEW";
    case ast::StmtKind::kCreateIndex:
      return "CREATE INDEX";
    case ast::StmtKind::kCreateView:
      return "CREATE VIEW";
    case ast::StmtKind::kCreateSchema:
      return "CREATE SCHEMA";
    case ast::StmtKind::kAlterSchema:
      return "ALTER SCHEMA";
    case ast::StmtKind::kCreateDatabase:
      return "CREATE DATABASE";
    case ast::StmtKind::kTruncate:
      return "TRUNCATE TABLE";
    case ast::StmtKind::kLock:
      return "LOCK TABLE";
    case ast::StmtKind::kAlterTable:
      return static_cast<const ast::AlterTableStatement&>(s).materialized_view
                 ? "ALTER MATERIALIZED VIEW"
                 : "ALTER TABLE";
    case ast::StmtKind::kCreateSequence:
      return "CREATE SEQUENCE";
    case ast::StmtKind::kAlterSequence:
      return "ALTER SEQUENCE";
    case ast::StmtKind::kAlterDatabase:
      return "ALTER DATABASE";
    case ast::StmtKind::kCreateType:
      return "CREATE TYPE";
    case ast::StmtKind::kCreateCast:
      return "CREATE CAST";
    case ast::StmtKind::kDropCast:
      return "DROP CAST";
    case ast::StmtKind::kCreateOperator:
      return "CREATE OPERATOR";
    case ast::StmtKind::kDropOperator:
      return "DROP OPERATOR";
    case ast::StmtKind::kAlterType:
      return "ALTER TYPE";
    case ast::StmtKind::kCreateDomain:
      return "CREATE DOMAIN";
    case ast::StmtKind::kAlterDomain:
      return "ALTER DOMAIN";
    case ast::StmtKind::kCreateRole:
      return "CREATE ROLE";
    case ast::StmtKind::kAlterRole:
      return "ALTER ROLE";
    case ast::StmtKind::kDropRole:
      return "DROP ROLE";
    case ast::StmtKind::kGrant:
      return static_cast<const ast::GrantStatement&>(s).is_grant ? "GRANT" : "REVOKE";
    case ast::StmtKind::kCreateFunction:
      return static_cast<const ast::CreateFunctionStatement&>(s).procedure ? "CREATE PROCEDURE"
                                                                           : "CREATE FUNCTION";
    case ast::StmtKind::kDropFunction:
      return static_cast<const ast::DropFunctionStatement&>(s).procedure ? "DROP PROCEDURE"
                                                                         : "DROP FUNCTION";
    case ast::StmtKind::kAlterFunction:
      return static_cast<const ast::AlterFunctionStatement&>(s).procedure ? "ALTER PROCEDURE"
                                                                          : "ALTER FUNCTION";
    case ast::StmtKind::kCreateTrigger:
      return "CREATE TRIGGER";
    case ast::StmtKind::kDropTrigger:
      return "DROP TRIGGER";
    case ast::StmtKind::kAlterTrigger:
      return "ALTER TRIGGER";
    case ast::StmtKind::kComment:
      return "COMMENT";
    case ast::StmtKind::kDrop:
      switch (static_cast<const ast::DropStatement&>(s).object_kind) {
        case ast::ObjectKind::kDatabase:
          return "DROP DATABASE";
        case ast::ObjectKind::kSchema:
          return "DROP SCHEMA";
        case ast::ObjectKind::kTable:
          return "DROP TABLE";
        case ast::ObjectKind::kView:
          return "DROP VIEW";
        case ast::ObjectKind::kMatview:
          return "DROP MATERIALIZED VIEW";
        case ast::ObjectKind::kIndex:
          return "DROP INDEX";
        case ast::ObjectKind::kSequence:
          return "DROP SEQUENCE";
        case ast::ObjectKind::kType:
          return "DROP TYPE";
        case ast::ObjectKind::kDomain:
          return "DROP DOMAIN";
      }
      return "DROP";
    default:
      return "this statement";
  }
}

// DefineIndex's GetIndexOpClass: a key column's type needs a default operator class of the
// index's access method (json and point have none).
void RequireIndexOpclass(Type t, const std::string& method) {
  if (planner::HasBtreeOperators(t.id)) return;
  throw Error(SqlState::kUndefinedObject,
              fmt::format("data type {} has no default operator class for access method \"{}\"",
                          TypeName(Type::Of(t.id)), method.empty() ? "btree" : method))
      .Hint(
          "You must specify an operator class for the index or define a default operator class "
          "for the data type.");
}

// An operator class written for an index key (PostgreSQL's GetIndexOpClass): its pg_opclass
// oid, 0 when it is the type's default; 42704 when the access method has none of that name,
// 42804 when it does not take the key's type.
uint32_t IndexOpclass(const std::string& name, Type type, const std::string& method) {
  const std::string am = method.empty() ? "btree" : method;
  const uint32_t am_oid = am == "hash" ? 405 : planner::pg_catalog::kBtreeAmOid;
  const builtin_catalog::OpClass* found = nullptr;
  for (const builtin_catalog::OpClass& c : builtin_catalog::Listed().opclasses) {
    if (c.method == am_oid && c.name == name) found = &c;
  }
  if (found == nullptr) {
    Throw(SqlState::kUndefinedObject,
          "operator class \"{}\" does not exist for access method \"{}\"", name, am);
  }
  // Binary-coercible inputs as PostgreSQL's IsBinaryCoercible for the built-in classes: varchar
  // to text, any array to anyarray, any enum to anyenum.
  const uint32_t in = static_cast<uint32_t>(type.id);
  const bool accepts =
      found->intype == in ||
      (found->intype == static_cast<uint32_t>(TypeId::kText) && type.id == TypeId::kVarchar) ||
      (found->intype == 2277 && IsArrayType(type.id)) ||
      (found->intype == 3500 && FindTypeByOid(in) != nullptr &&
       FindTypeByOid(in)->category == TypeCategory::kEnum);
  if (!accepts) {
    Throw(SqlState::kDatatypeMismatch, "operator class \"{}\" does not accept data type {}", name,
          TypeName(Type::Of(type.id)));
  }
  if (am_oid == planner::pg_catalog::kBtreeAmOid &&
      planner::pg_catalog::DefaultBtreeOpclass(type.id) == found->oid) {
    return 0;
  }
  return found->oid;
}

}  // namespace

std::shared_ptr<const storage::CatalogSnapshot> SessionImpl::CatalogView() {
  storage::Transaction* open = block_txn_ ? block_txn_.get() : stmt_txn_.get();
  if (auto* txn = dynamic_cast<storage::CatalogTxn*>(open)) return txn->Snapshot();
  return engine_->catalog()->Snapshot();
}

storage::CatalogTxn* SessionImpl::CatalogStatementTxn() {
  auto* txn = dynamic_cast<storage::CatalogTxn*>(StatementTxn());
  if (txn == nullptr)
    Throw(SqlState::kInternalError, "statement transaction cannot change the catalog");
  txn->set_creator(user_oid_);
  return txn;
}

std::string SessionImpl::CreationSchema(const ast::QualifiedName& name, bool temporary) {
  if (temporary) {
    if (name.parts.size() >= 2) {
      const std::string& written = name.parts[name.parts.size() - 2];
      if (written != "pg_temp" && written != TempSchemaName()) {
        Error e(SqlState::kInvalidTableDefinition,
                "cannot create temporary relation in non-temporary schema");
        if (name.location >= 0) e.Position(name.location + 1);
        throw e;
      }
    }
    return EnsureTempSchema();
  }
  auto snap = CatalogView();
  if (name.parts.size() >= 3) {
    if (name.parts[name.parts.size() - 3] != db_.name) {
      Throw(SqlState::kFeatureNotSupported, "cross-database references are not implemented: {}",
            QualifiedText(name));
    }
  }
  if (name.parts.size() >= 2) {
    const std::string& written = name.parts[name.parts.size() - 2];
    if (written == "pg_temp" || written == TempSchemaName()) return EnsureTempSchema();
    const std::string& schema = written;
    if (!snap->FindSchema(db_.oid, schema)) {
      Error e(SqlState::kInvalidSchemaName, fmt::format("schema \"{}\" does not exist", schema));
      if (name.location >= 0) e.Position(name.location + 1);
      throw e;
    }
    CheckSchemaPrivilege(schema, storage::acl::kCreate);
    return schema;
  }
  for (const auto& s : settings_.search_path()) {
    if (s == "pg_catalog" || s == "information_schema") continue;
    if (s == "pg_temp") return EnsureTempSchema();
    if (snap->FindSchema(db_.oid, s)) {
      CheckSchemaPrivilege(s, storage::acl::kCreate);
      return s;
    }
  }
  Throw(SqlState::kInvalidSchemaName, "no schema has been selected to create in");
}

std::shared_ptr<const storage::TableInfo> SessionImpl::FindTable(const ast::QualifiedName& name,
                                                                 std::string* schema_out) {
  auto snap = CatalogView();
  if (name.parts.size() >= 3 && name.parts[name.parts.size() - 3] != db_.name) {
    Throw(SqlState::kFeatureNotSupported, "cross-database references are not implemented: {}",
          QualifiedText(name));
  }
  if (name.parts.size() >= 2) {
    std::string schema = ResolveSchemaName(name.parts[name.parts.size() - 2]);
    if (schema_out) *schema_out = schema;
    return snap->FindTable(db_.oid, schema, name.name());
  }
  for (const auto& s : LookupPath(*snap)) {
    if (auto t = snap->FindTable(db_.oid, s, name.name())) {
      if (schema_out) *schema_out = s;
      return t;
    }
  }
  return nullptr;
}

std::shared_ptr<const storage::TableInfo> SessionImpl::FindAndLockTable(
    const ast::QualifiedName& name, std::string* schema_out, storage::LockMode mode) {
  auto t = FindTable(name, schema_out);
  while (t) {
    // Waits for the transactions using the table; it may have changed or gone meanwhile.
    StatementTxn()->LockRelation(t->oid, mode);
    auto again = FindTable(name, schema_out);
    if (again && again->oid == t->oid) return again;
    t = again;
  }
  return nullptr;
}

QueryResult SessionImpl::RunDdl(const ast::Statement& s) {
  // LOCK TABLE is allowed in a read-only transaction (PostgreSQL's
  // ClassifyUtilityCommandAsReadOnly).
  if (s.kind != ast::StmtKind::kLock && TxnReadOnly()) {
    Throw(SqlState::kReadOnlySqlTransaction, "cannot execute {} in a read-only transaction",
          DdlTag(s));
  }
  // CREATE/DROP DATABASE refuse blocks, also the implicit one of a multi-statement query (as
  // PostgreSQL's PreventInTransactionBlock).
  bool database =
      s.kind == ast::StmtKind::kCreateDatabase ||
      (s.kind == ast::StmtKind::kDrop &&
       static_cast<const ast::DropStatement&>(s).object_kind == ast::ObjectKind::kDatabase);
  if (database && (status_ != TxnStatus::kIdle || implicit_multi_)) {
    Throw(SqlState::kActiveSqlTransaction, "{} cannot run inside a transaction block", DdlTag(s));
  }
  QueryResult r = RunDdlInner(s);
  FinishStatementTxn(true);  // commits outside a block (errors roll back in Execute)
  return r;
}

QueryResult SessionImpl::RunDdlInner(const ast::Statement& s) {
  CheckDdlPrivileges(s);
  switch (s.kind) {
    case ast::StmtKind::kCreateRole:
    case ast::StmtKind::kAlterRole:
    case ast::StmtKind::kDropRole:
    case ast::StmtKind::kGrant:
    case ast::StmtKind::kAlterOwner:
      return RunRoleStatement(s);
    case ast::StmtKind::kCreateTable:
      return CreateTable(static_cast<const ast::CreateTableStatement&>(s));
    case ast::StmtKind::kCreateIndex:
      return CreateIndex(static_cast<const ast::CreateIndexStatement&>(s));
    case ast::StmtKind::kCreateView:
      return CreateView(static_cast<const ast::CreateViewStatement&>(s));
    case ast::StmtKind::kRefreshMatview:
      return RefreshMatview(static_cast<const ast::RefreshMatviewStatement&>(s));
    case ast::StmtKind::kDrop:
      return Drop(static_cast<const ast::DropStatement&>(s));
    case ast::StmtKind::kTruncate:
      return Truncate(static_cast<const ast::TruncateStatement&>(s));
    case ast::StmtKind::kLock:
      return LockTables(static_cast<const ast::LockStatement&>(s));
    case ast::StmtKind::kAlterTable: {
      const auto& a = static_cast<const ast::AlterTableStatement&>(s);
      QueryResult r = AlterTable(a);
      if (a.materialized_view && r.command_tag == "ALTER TABLE") {
        r.command_tag = "ALTER MATERIALIZED VIEW";
      }
      return r;
    }
    case ast::StmtKind::kCreateSequence:
      return CreateSequence(static_cast<const ast::CreateSequenceStatement&>(s));
    case ast::StmtKind::kAlterSequence:
      return AlterSequence(static_cast<const ast::AlterSequenceStatement&>(s));
    case ast::StmtKind::kCreateType:
      return CreateType(static_cast<const ast::CreateTypeStatement&>(s));
    case ast::StmtKind::kCreateCast:
      return CreateCast(static_cast<const ast::CreateCastStatement&>(s));
    case ast::StmtKind::kDropCast:
      return DropCast(static_cast<const ast::DropCastStatement&>(s));
    case ast::StmtKind::kCreateOperator:
      return CreateOperator(static_cast<const ast::CreateOperatorStatement&>(s));
    case ast::StmtKind::kDropOperator:
      return DropOperator(static_cast<const ast::DropOperatorStatement&>(s));
    case ast::StmtKind::kAlterType:
      return AlterType(static_cast<const ast::AlterTypeStatement&>(s));
    case ast::StmtKind::kCreateDomain:
      return CreateDomain(static_cast<const ast::CreateDomainStatement&>(s));
    case ast::StmtKind::kAlterDomain:
      return AlterDomain(static_cast<const ast::AlterDomainStatement&>(s));
    case ast::StmtKind::kCreateFunction:
      return CreateFunction(static_cast<const ast::CreateFunctionStatement&>(s));
    case ast::StmtKind::kDropFunction:
      return DropFunction(static_cast<const ast::DropFunctionStatement&>(s));
    case ast::StmtKind::kAlterFunction:
      return AlterFunction(static_cast<const ast::AlterFunctionStatement&>(s));
    case ast::StmtKind::kCreateTrigger:
      return CreateTrigger(static_cast<const ast::CreateTriggerStatement&>(s));
    case ast::StmtKind::kDropTrigger:
      return DropTrigger(static_cast<const ast::DropTriggerStatement&>(s));
    case ast::StmtKind::kAlterTrigger:
      return AlterTrigger(static_cast<const ast::AlterTriggerStatement&>(s));
    case ast::StmtKind::kComment:
      return Comment(static_cast<const ast::CommentStatement&>(s));
    case ast::StmtKind::kCreateSchema:
      return CreateSchema(static_cast<const ast::CreateSchemaStatement&>(s));
    case ast::StmtKind::kAlterSchema:
      return AlterSchema(static_cast<const ast::AlterSchemaStatement&>(s));
    case ast::StmtKind::kAlterDatabase: {
      // The value is checked as SET would check it (42704, 22023, 55P02), on a copy of this
      // session's settings; sessions that connect later start with it.
      const auto& ad = static_cast<const ast::AlterDatabaseStatement&>(s);
      std::optional<std::string> value;
      if (!ad.reset) {
        value.emplace();
        for (size_t i = 0; i < ad.values.size(); ++i) *value += (i ? ", " : "") + ad.values[i];
        Settings check = settings_;
        check.Set(ad.setting, *value);
      } else if (ad.setting != "all") {
        (void)settings_.Get(ad.setting);  // 42704 for an unknown name
      }
      engine_->catalog()->SetDatabaseSetting(CatalogStatementTxn(), ad.name, ad.setting, value);
      return Tagged("ALTER DATABASE");
    }
    case ast::StmtKind::kCreateDatabase: {
      const auto& cd = static_cast<const ast::CreateDatabaseStatement&>(s);
      engine_->catalog()->CreateDatabase(CatalogStatementTxn(), cd.name);
      return Tagged("CREATE DATABASE");
    }
    default:
      Throw(SqlState::kFeatureNotSupported, "this statement is not supported yet");
  }
}

namespace {

// The schema an element of CREATE SCHEMA names its object (or its table) in, if it names one.
const std::string* SchemaElementSchema(const ast::Statement& e) {
  const ast::QualifiedName* n = nullptr;
  switch (e.kind) {
    case ast::StmtKind::kCreateSequence:
      n = &static_cast<const ast::CreateSequenceStatement&>(e).name;
      break;
    case ast::StmtKind::kCreateTable:
      n = &static_cast<const ast::CreateTableStatement&>(e).table;
      break;
    case ast::StmtKind::kCreateView:
      n = &static_cast<const ast::CreateViewStatement&>(e).name;
      break;
    case ast::StmtKind::kCreateIndex:
      n = &static_cast<const ast::CreateIndexStatement&>(e).table;
      break;
    case ast::StmtKind::kCreateTrigger:
      n = &static_cast<const ast::CreateTriggerStatement&>(e).table;
      break;
    default:  // GRANT: its objects are looked up with the new schema first in the path
      break;
  }
  if (n == nullptr || n->parts.size() < 2) return nullptr;
  return &n->parts[n->parts.size() - 2];
}

}  // namespace

QueryResult SessionImpl::CreateSchema(const ast::CreateSchemaStatement& cs) {
  auto snap = CatalogView();
  // PostgreSQL's CreateSchemaCommand: the owner named by AUTHORIZATION must exist and be a
  // role the user is a member of; it owns the schema and creates the elements.
  const storage::RoleInfo* owner = nullptr;
  if (cs.authorization) {
    owner = snap->FindRole(*cs.authorization);
    if (owner == nullptr) {
      Throw(SqlState::kUndefinedObject, "role \"{}\" does not exist", *cs.authorization);
    }
    if (!storage::IsMemberOfRole(*snap, user_oid_, owner->oid, DatabaseOwner())) {
      Throw(SqlState::kInsufficientPrivilege, "must be member of role \"{}\"", owner->name);
    }
  }
  // PostgreSQL's IsReservedName, checked before the schema's existence.
  if (cs.name.rfind("pg_", 0) == 0) {
    throw Error(SqlState::kReservedName, fmt::format("unacceptable schema name \"{}\"", cs.name))
        .Detail("The prefix \"pg_\" is reserved for system schemas.");
  }
  if (snap->FindSchema(db_.oid, cs.name)) {
    if (cs.if_not_exists) {
      pending_notices_.push_back(Notice{
          "NOTICE", "42P06", fmt::format("schema \"{}\" already exists, skipping", cs.name)});
      return Tagged("CREATE SCHEMA");
    }
    Throw(SqlState::kDuplicateSchema, "schema \"{}\" already exists", cs.name);
  }
  // The schema and its elements are made as the owner (PostgreSQL's SetUserIdAndSecContext).
  struct RunAs {
    SessionImpl* s;
    storage::Oid user;
    std::string name;
    ~RunAs() {
      s->user_oid_ = user;
      s->current_user_name_ = std::move(name);
    }
  } run_as{this, user_oid_, current_user_name_};
  if (owner != nullptr) {
    user_oid_ = owner->oid;
    current_user_name_ = owner->name;
  }
  engine_->catalog()->CreateSchema(CatalogStatementTxn(), db_.oid, cs.name);
  if (cs.elements.empty()) return Tagged("CREATE SCHEMA");
  // As PostgreSQL's transformCreateSchemaStmt, every element is checked before any runs (the
  // parser already put them in its order and qualified their unqualified names).
  for (const ast::StatementPtr& e : cs.elements) {
    if (const std::string* schema = SchemaElementSchema(*e); schema && *schema != cs.name) {
      Throw(SqlState::kInvalidSchemaDefinition,
            "CREATE specifies a schema ({}) different from the one being created ({})", *schema,
            cs.name);
    }
  }
  // The elements run in this statement's transaction, with the new schema first in the search
  // path (a view's or a GRANT's unqualified names find the schema's objects first).
  struct PathGuard {
    Settings& settings;
    ~PathGuard() { settings.PopSearchPathSchema(); }
  };
  settings_.PushSearchPathSchema(cs.name);
  PathGuard guard{settings_};
  for (const ast::StatementPtr& e : cs.elements) RunDdlInner(*e);
  return Tagged("CREATE SCHEMA");
}

QueryResult SessionImpl::AlterSchema(const ast::AlterSchemaStatement& as) {
  // PostgreSQL's RenameSchema, its checks in its order.
  auto snap = CatalogView();
  const storage::SchemaInfo* found = snap->FindSchema(db_.oid, as.name);
  if (found == nullptr)
    Throw(SqlState::kInvalidSchemaName, "schema \"{}\" does not exist", as.name);
  if (snap->FindSchema(db_.oid, as.new_name) != nullptr) {
    Throw(SqlState::kDuplicateSchema, "schema \"{}\" already exists", as.new_name);
  }
  if (!CurrentIsSuperuser()) {
    if (!storage::HasPrivsOfRole(*snap, user_oid_, found->owner, DatabaseOwner())) {
      Throw(SqlState::kInsufficientPrivilege, "must be owner of schema {}", as.name);
    }
    CheckDatabaseCreatePrivilege();
  }
  if (as.new_name.rfind("pg_", 0) == 0) {
    throw Error(SqlState::kReservedName,
                fmt::format("unacceptable schema name \"{}\"", as.new_name))
        .Detail("The prefix \"pg_\" is reserved for system schemas.");
  }
  // The built-in schemas' objects are found by their names (PostgreSQL would rename them).
  if (as.name == "pg_catalog" || as.name == "information_schema" || as.name.rfind("pg_", 0) == 0 ||
      as.name == "_timescaledb_internal") {
    Throw(SqlState::kFeatureNotSupported, "renaming schema {} is not supported", as.name);
  }
  // A continuous aggregate keeps its query as text naming its hypertable (and its view's
  // relation references would not cover that).
  for (const auto& [key, t] : snap->tables) {
    if (std::get<0>(key) != db_.oid || !t->cagg) continue;
    auto raw = snap->FindRelationByOid(t->cagg->raw_hypertable);
    if (t->schema == as.name || (raw != nullptr && raw->schema == as.name)) {
      Throw(SqlState::kFeatureNotSupported,
            "renaming schema {} is not supported: continuous aggregate {} reads it", as.name,
            t->name);
    }
  }
  storage::CatalogTxn* txn = CatalogStatementTxn();
  engine_->catalog()->RenameSchema(txn, db_.oid, as.name, as.new_name);
  // The stored texts that name the schema's relations follow (PostgreSQL keeps oids there):
  // views' queries (their recorded relation references) and column defaults (the sequences of
  // nextval('schema.seq'::regclass)).
  auto now = CatalogView();
  auto moved = [&](storage::Oid oid) -> std::shared_ptr<const storage::TableInfo> {
    auto rel = now->FindRelationByOid(oid);
    return rel != nullptr && rel->schema == as.new_name ? rel : nullptr;
  };
  for (const auto& [key, t] : now->tables) {
    if (std::get<0>(key) != db_.oid) continue;
    std::optional<storage::TableInfo> next;
    if (std::any_of(t->view_relations.begin(), t->view_relations.end(),
                    [&](const auto& r) { return moved(r.oid) != nullptr; })) {
      QualifiedViewText text =
          RenameViewRelations(*t, [&](storage::Oid oid) -> std::optional<std::string> {
            auto rel = moved(oid);
            if (rel == nullptr) return std::nullopt;
            return planner::QuoteSqlIdentifier(rel->schema) + "." +
                   planner::QuoteSqlIdentifier(rel->name);
          });
      next = *t;
      next->view_sql = std::move(text.sql);
      next->view_relations = std::move(text.relations);
    }
    for (size_t c = 0; c < t->columns.size(); ++c) {
      const storage::ColumnInfo& col = t->columns[c];
      if (!col.default_sql) continue;
      std::string sql = *col.default_sql;
      for (storage::Oid seq : col.default_sequences) {
        auto rel = moved(seq);
        if (rel == nullptr) continue;
        const std::string from = QuoteLiteral(QuoteIdent(as.name) + "." + QuoteIdent(rel->name));
        const std::string to = QuoteLiteral(QuoteIdent(as.new_name) + "." + QuoteIdent(rel->name));
        for (size_t at = sql.find(from); at != std::string::npos;
             at = sql.find(from, at + to.size())) {
          sql.replace(at, from.size(), to);
        }
      }
      if (sql == *col.default_sql) continue;
      if (!next) next = *t;
      next->columns[c].default_sql = std::move(sql);
    }
    if (next) engine_->catalog()->UpdateRelation(txn, std::move(*next));
  }
  return Tagged("ALTER SCHEMA");
}

namespace {

void UnqualifyColumnRefs(ast::Expr* e) {
  if (e->kind == ast::ExprKind::kColumnRef && !e->star && e->names.size() > 1) {
    e->names.erase(e->names.begin(), e->names.end() - 1);
  }
  auto in = [](ast::ExprPtr& a) {
    if (a) UnqualifyColumnRefs(a.get());
  };
  for (auto& a : e->args) in(a);
  for (auto& a : e->when_then) in(a);
  in(e->else_expr);
  in(e->filter);
}

// A generation expression as the catalog keeps it: SQL text whose column references are
// unqualified, so that it reads the row of any table that has the column (a LIKE copy, an
// inheritance child), as PostgreSQL's expression tree does.
std::string GenerationSql(const ast::Expr& e) {
  auto query = planner::ParseSelect("SELECT " + DeparseExpr(e));
  ast::Expr* root = query->targets.at(0).expr.get();
  UnqualifyColumnRefs(root);
  return DeparseExpr(*root);
}

}  // namespace

QueryResult SessionImpl::CreateTable(const ast::CreateTableStatement& s) {
  if (s.has_partition_by) {
    Throw(SqlState::kFeatureNotSupported, "partitioned tables are not supported yet");
  }
  if (s.on_commit != ast::CreateTableStatement::OnCommit::kPreserveRows && !s.temporary &&
      !(s.table.parts.size() >= 2 &&
        ResolveSchemaName(s.table.parts[s.table.parts.size() - 2]) == TempSchemaName())) {
    Throw(SqlState::kInvalidTableDefinition, "ON COMMIT can only be used on temporary tables");
  }
  if (s.materialized_view) return CreateMatview(s);
  CheckTableOptions(s.with_options);
  if (s.as_select) {
    for (const auto& [name, value] : s.with_options) {
      if (name == "ttl" || name == "ttl_column") {
        Throw(SqlState::kFeatureNotSupported,
              "row expiry ({}) in CREATE TABLE AS is not supported yet", name);
      }
    }
    return CreateTableAs(s);
  }
  std::string schema = CreationSchema(s.table, s.temporary);
  auto snap = CatalogView();
  if (snap->FindTable(db_.oid, schema, s.table.name())) {
    if (s.if_not_exists) {
      pending_notices_.push_back(
          Notice{"NOTICE", "42P07",
                 fmt::format("relation \"{}\" already exists, skipping", s.table.name())});
      return Tagged("CREATE TABLE");
    }
    Error e(SqlState::kDuplicateTable,
            fmt::format("relation \"{}\" already exists", s.table.name()));
    throw e;
  }
  if (snap->FindType(db_.oid, schema, s.table.name())) {  // the row type's name is taken
    throw Error(SqlState::kDuplicateObject,
                fmt::format("type \"{}\" already exists", s.table.name()))
        .Hint(
            "A relation has an associated type of the same name, so you must use a name that "
            "doesn't conflict with any existing type.");
  }
  storage::TableInfo info;
  info.database_oid = db_.oid;
  info.schema = schema;
  info.name = s.table.name();
  std::set<std::string> seen;
  std::vector<std::vector<std::string>> unique_sets;
  std::vector<std::optional<std::string>> unique_names;
  std::vector<std::vector<int>> unique_includes;
  std::vector<bool> unique_nulls_not_distinct;
  // LIKE sources (ddl_like.cpp): their columns go where the LIKE stands among the others.
  const std::vector<LikeSource> likes = ResolveLikeSources(s);
  std::vector<ast::ColumnDef> like_identities;
  auto add_likes_at = [&](size_t position) {
    for (const LikeSource& l : likes) {
      if (l.like->position == position) AddLikeColumns(l, &info, &seen, &like_identities);
    }
  };
  for (size_t col_index = 0; col_index <= s.columns.size(); ++col_index) {
    add_likes_at(col_index);
    if (col_index == s.columns.size()) break;
    const ast::ColumnDef& col = s.columns[col_index];
    if (!seen.insert(col.name).second) {
      Error e(SqlState::kDuplicateColumn,
              fmt::format("column \"{}\" specified more than once", col.name));
      if (col.location >= 0) e.Position(col.location + 1);
      throw e;
    }
    storage::ColumnInfo ci = ColumnInfoOf(col);
    if (col.primary_key) {
      if (!info.primary_key.empty()) {
        Throw(SqlState::kInvalidTableDefinition,
              "multiple primary keys for table \"{}\" are not allowed", info.name);
      }
      info.primary_key.push_back(static_cast<int>(info.columns.size()));
      if (col.primary_key_name) info.pkey_name = *col.primary_key_name;
    }
    if (col.unique) {
      unique_sets.push_back({col.name});
      unique_names.push_back(std::nullopt);
      unique_includes.emplace_back();
      unique_nulls_not_distinct.push_back(col.nulls_not_distinct);
    }
    info.columns.push_back(std::move(ci));
  }
  MergeInheritance(s, &info);
  // The generation expressions, now that the columns are known (PostgreSQL's cookDefault).
  for (const ast::ColumnDef& col : s.columns) {
    if (col.generated == 0 || !col.default_expr) continue;
    planner::PlannerContext pctx = MakePlannerContext();
    const int ord = info.ColumnIndex(col.name);
    planner::ValidateGenerationExpr(std::make_shared<storage::TableInfo>(info), ord,
                                    *col.default_expr, pctx);
    if (!info.columns[ord].default_sql)
      info.columns[ord].default_sql = GenerationSql(*col.default_expr);
  }
  for (const auto& c : s.constraints) {
    switch (c.type) {
      case ast::ConstraintType::kPrimaryKey: {
        if (!info.primary_key.empty()) {
          Throw(SqlState::kInvalidTableDefinition,
                "multiple primary keys for table \"{}\" are not allowed", info.name);
        }
        for (const auto& name : c.columns) {
          int idx = info.ColumnIndex(name);
          if (idx < 0) {
            Throw(SqlState::kUndefinedColumn, "column \"{}\" named in key does not exist", name);
          }
          info.primary_key.push_back(idx);
          info.columns[idx].not_null = true;
        }
        info.primary_key_include = IncludeColumns(info, c.include);
        if (c.name) info.pkey_name = *c.name;
        break;
      }
      case ast::ConstraintType::kUnique:
        unique_sets.push_back(c.columns);
        unique_names.push_back(c.name);
        unique_includes.push_back(IncludeColumns(info, c.include));
        unique_nulls_not_distinct.push_back(c.nulls_not_distinct);
        break;
      case ast::ConstraintType::kCheck:
        break;  // below, once the columns are known
      case ast::ConstraintType::kForeignKey:
        break;  // below, once the columns and keys are known
    }
  }
  for (const LikeSource& l : likes) {
    AddLikeConstraints(l, &info, &unique_sets, &unique_includes, &unique_nulls_not_distinct);
    unique_names.resize(unique_sets.size());  // named for the new table
  }
  for (int c : info.primary_key) RequireIndexOpclass(info.columns[c].type, "btree");
  for (size_t i = 0; i < unique_sets.size(); ++i) {
    storage::IndexInfo idx;
    idx.unique = true;
    idx.is_constraint = true;
    std::string name = info.name;
    for (const auto& col : unique_sets[i]) {
      int ord = info.ColumnIndex(col);
      if (ord < 0) {
        Throw(SqlState::kUndefinedColumn, "column \"{}\" named in key does not exist", col);
      }
      idx.columns.push_back(ord);
      RequireIndexOpclass(info.columns[ord].type, "btree");
      name += "_" + col;
    }
    for (int c : unique_includes[i]) name += "_" + info.columns[c].name;
    idx.name = unique_names[i] ? *unique_names[i] : name + "_key";
    idx.include = unique_includes[i];
    idx.nulls_not_distinct = unique_nulls_not_distinct[i];
    if (idx.columns == info.primary_key) continue;  // same as the primary key
    info.indexes.push_back(std::move(idx));
  }
  {
    std::vector<const ast::TableConstraint*> checks;
    for (const auto& c : s.constraints) {
      if (c.type == ast::ConstraintType::kCheck) checks.push_back(&c);
    }
    AddCheckConstraints(&info, checks);
  }
  // Foreign keys (a reference to the table's own name is to itself).
  std::set<std::string> constraint_names = ConstraintNames(info);
  for (const auto& col : s.columns) {
    for (const auto& [name, spec] : col.references) {
      info.foreign_keys.push_back(
          BuildForeignKey(info, true, name, {col.name}, spec, &constraint_names));
    }
  }
  for (const auto& c : s.constraints) {
    if (c.type != ast::ConstraintType::kForeignKey) continue;
    info.foreign_keys.push_back(
        BuildForeignKey(info, true, c.name, c.columns, c.foreign_key, &constraint_names));
  }
  // serial and identity columns: their sequences get names no relation of the schema, nor
  // this table or its indexes, has.
  std::set<std::string> taken{info.name};
  if (!info.primary_key.empty()) taken.insert(info.PrimaryKeyName());
  for (const auto& idx : info.indexes) taken.insert(idx.name);
  std::vector<ColumnSequence> sequences;
  for (size_t i = 0; i < s.columns.size(); ++i) {
    if (auto cs = PrepareColumnSequence(s, s.columns[i], info.ColumnIndex(s.columns[i].name), &info,
                                        &taken)) {
      sequences.push_back(std::move(*cs));
    }
  }
  for (const ast::ColumnDef& def : like_identities) {
    if (auto cs = PrepareColumnSequence(s, def, info.ColumnIndex(def.name), &info, &taken)) {
      sequences.push_back(std::move(*cs));
    }
  }
  info.expiry = RowExpiryOf(s.with_options, info.columns, storage::ExpiryClockNow());
  auto table = engine_->catalog()->CreateTable(CatalogStatementTxn(), std::move(info));
  CreateColumnSequences(*table, sequences);
  CreateLikeIndexes(likes, *table);
  if (s.on_commit != ast::CreateTableStatement::OnCommit::kPreserveRows) {
    on_commit_actions_.push_back(
        {table->oid, s.on_commit == ast::CreateTableStatement::OnCommit::kDrop});
  }
  return Tagged("CREATE TABLE");
}

storage::ColumnInfo SessionImpl::ColumnInfoOf(const ast::ColumnDef& col) {
  storage::ColumnInfo ci;
  ci.name = col.name;
  TypeId serial_type;
  // serial types become integers in PrepareColumnSequence.
  if (SerialColumnType(col.type, &serial_type)) {
    ci.type = Type::Of(serial_type);
  } else {
    planner::PlannerContext tctx = MakePlannerContext();
    ci.type = planner::ResolveTypeName(col.type, &tctx, &ci.domain);
    if (std::optional<std::string> pseudo = PseudoColumnTypeName(ci.type)) {
      Throw(SqlState::kInvalidTableDefinition, "column \"{}\" has pseudo-type {}", col.name,
            *pseudo);
    }
  }
  ci.not_null = col.not_null || col.primary_key;
  if (col.generated != 0) {
    // Left unset when it cannot be stored (a subquery, a window function): the validation of
    // the expression reports it as PostgreSQL does, and the caller then stores it.
    try {
      ci.default_sql = GenerationSql(*col.default_expr);
    } catch (const Error&) {
    }
  } else if (col.default_expr) {
    ci.default_sql = DeparseDefault(*col.default_expr, &ci.default_sequences);
  }
  ci.generated = col.generated;
  return ci;
}

namespace {

void CollectColumns(const planner::BoundExpr& e, std::set<int>* out) {
  if (e.kind == planner::BoundExprKind::kColumn) out->insert(e.column_index);
  for (const auto& c : e.children) {
    if (c) CollectColumns(*c, out);
  }
}

}  // namespace

void SessionImpl::DropDependentViews(
    const std::vector<std::pair<std::string, std::shared_ptr<const storage::TableInfo>>>& targets,
    bool cascade, const char* what) {
  std::set<storage::Oid> dropping;
  for (const auto& [schema, t] : targets) dropping.insert(t->oid);
  // (view, what it depends on), in the order found: a view over a view after it.
  std::vector<std::pair<std::shared_ptr<const storage::TableInfo>, std::string>> deps;
  std::vector<std::shared_ptr<const storage::TableInfo>> pending;
  for (const auto& [schema, t] : targets) pending.push_back(t);
  for (size_t i = 0; i < pending.size(); ++i) {
    for (const auto& v : ViewRelationsReading(*pending[i])) {
      if (!dropping.insert(v->oid).second) continue;
      deps.emplace_back(v, std::string(RelationKindName(*pending[i])) + " " + pending[i]->name);
      pending.push_back(v);
    }
  }
  if (deps.empty()) return;
  std::string detail;
  for (const auto& [v, on] : deps) {
    if (!detail.empty()) detail += "\n";
    const std::string kind = RelationKindName(*v);
    detail += cascade ? "drop cascades to " + kind + " " + v->name
                      : kind + " " + v->name + " depends on " + on;
  }
  ReportDependents(what, targets.front().second->name, cascade, deps.size(), detail);
  storage::CatalogTxn* txn = CatalogStatementTxn();
  for (auto it = deps.rbegin(); it != deps.rend(); ++it) {  // views over views first
    txn->LockRelation(it->first->oid, storage::LockMode::kAccessExclusive);
    if (it->first->cagg) {
      DropContinuousAggregate(*it->first, engine_->catalog(), txn);
      continue;
    }
    engine_->catalog()->DropTable(txn, db_.oid, it->first->schema, it->first->name);
  }
}

namespace {

// The text a CHECK is stored as: PostgreSQL's pg_get_constraintdef form (implicit casts of
// constants shown, "(total >= (0)::numeric)"; x IN (...) as x = ANY (ARRAY[...])) when that
// text reads back to the same expression, else the expression as written.
std::string CheckConstraintText(const std::shared_ptr<storage::TableInfo>& shape,
                                const planner::BoundExpr& bound, const ast::Expr& written,
                                planner::PlannerContext& pctx) {
  try {
    std::string text = planner::DeparseIndexExpr(bound, *shape, /*pretty=*/false);
    planner::BoundExprPtr again = planner::BindIndexText(shape, text, pctx, /*predicate=*/true);
    if (planner::DeparseIndexExpr(*again, *shape, false) == text) return text;
  } catch (const Error&) {
    // A form the deparser does not print, or one that reads back differently: as written.
  }
  return DeparseExpr(written);
}

}  // namespace

void SessionImpl::AddCheckConstraints(storage::TableInfo* info,
                                      const std::vector<const ast::TableConstraint*>& checks) {
  if (checks.empty()) return;
  // Names taken: the constraints of every relation of the schema (PostgreSQL's
  // ConstraintNameExists looks in the namespace), and the table's own so far.
  std::set<std::string> taken = ConstraintNames(*info);
  for (const auto& [key, t] : CatalogView()->tables) {
    if (std::get<0>(key) == db_.oid && std::get<1>(key) == info->schema) {
      for (const std::string& n : ConstraintNames(*t)) taken.insert(n);
    }
  }
  std::set<std::string> own = ConstraintNames(*info);
  auto shape = std::make_shared<storage::TableInfo>(*info);
  shape->checks.clear();
  planner::PlannerContext pctx = MakePlannerContext();
  for (const ast::TableConstraint* c : checks) {
    planner::BoundExprPtr bound = planner::BindCheckExpr(shape, *c->check, pctx);
    storage::CheckConstraintInfo ci;
    if (c->name) {
      // One of the same name inherited merges with it (MergeLocalCheck).
      bool inherited = std::any_of(info->checks.begin(), info->checks.end(), [&](const auto& k) {
        return k.name == *c->name && !k.is_local;
      });
      if (own.count(*c->name) && !inherited) {
        Throw(SqlState::kDuplicateObject, "constraint \"{}\" for relation \"{}\" already exists",
              *c->name, info->name);
      }
      ci.name = *c->name;
    } else {
      std::set<int> cols;
      CollectColumns(*bound, &cols);
      std::string column = cols.size() == 1 ? info->columns[*cols.begin()].name : "";
      ci.name = MakeObjectName(info->name, column, "check");
      for (int pass = 1; taken.count(ci.name); ++pass) {
        ci.name = MakeObjectName(info->name, column, "check" + std::to_string(pass));
      }
    }
    taken.insert(ci.name);
    own.insert(ci.name);
    ci.expr = CheckConstraintText(shape, *bound, *c->check, pctx);
    ci.no_inherit = c->no_inherit;
    MergeLocalCheck(info, std::move(ci));
  }
}

// CREATE TABLE ... AS SELECT / SELECT ... INTO: a table with the query's column names (or the
// names given) and types (unknown becomes text), then the query's rows in one statement, in
// the same transaction. Tagged "SELECT n" as PostgreSQL does.
QueryResult SessionImpl::CreateTableAs(const ast::CreateTableStatement& s) {
  ast::QualifiedName unplaced = s.table;
  unplaced.location = -1;  // PostgreSQL places these errors for CREATE TABLE only
  std::string schema = CreationSchema(unplaced, s.temporary);
  if (CatalogView()->FindTable(db_.oid, schema, s.table.name())) {
    if (s.if_not_exists) {
      pending_notices_.push_back(
          Notice{"NOTICE", "42P07",
                 fmt::format("relation \"{}\" already exists, skipping", s.table.name())});
      return Tagged("CREATE TABLE AS");
    }
    Throw(SqlState::kDuplicateTable, "relation \"{}\" already exists", s.table.name());
  }
  planner::PlannerContext pctx = MakePlannerContext();
  planner::PlanPtr query = planner::PlanSelect(*s.as_select, pctx);
  if (!pctx.param_types.empty()) {
    Throw(SqlState::kUndefinedParameter, "there is no parameter $1");
  }
  storage::TableInfo info;
  info.database_oid = db_.oid;
  info.schema = schema;
  info.name = s.table.name();
  info.columns = QueryColumns(*query, s.columns);
  auto table = engine_->catalog()->CreateTable(CatalogStatementTxn(), std::move(info));
  if (s.on_commit != ast::CreateTableStatement::OnCommit::kPreserveRows) {
    on_commit_actions_.push_back(
        {table->oid, s.on_commit == ast::CreateTableStatement::OnCommit::kDrop});
  }
  return Tagged("SELECT " + std::to_string(InsertQueryRows(table, query)));
}

std::vector<storage::ColumnInfo> SessionImpl::QueryColumns(
    const planner::PlanNode& query, const std::vector<ast::ColumnDef>& names) {
  if (names.size() > query.output_names.size()) {
    Throw(SqlState::kSyntaxError, "too many column names were specified");
  }
  std::vector<storage::ColumnInfo> out;
  std::set<std::string> seen;
  for (size_t i = 0; i < query.output_names.size(); ++i) {
    storage::ColumnInfo ci;
    ci.name = i < names.size() ? names[i].name : query.output_names[i];
    ci.type = query.output_types[i];
    if (ci.type.id == TypeId::kUnknown) ci.type = Type::Of(TypeId::kText);
    if (std::optional<std::string> pseudo = PseudoColumnTypeName(ci.type)) {  // ROW(...), cstring
      Throw(SqlState::kInvalidTableDefinition, "column \"{}\" has pseudo-type {}", ci.name,
            *pseudo);
    }
    if (!seen.insert(ci.name).second) {
      Throw(SqlState::kDuplicateColumn, "column \"{}\" specified more than once", ci.name);
    }
    out.push_back(std::move(ci));
  }
  return out;
}

int64_t SessionImpl::InsertQueryRows(std::shared_ptr<const storage::TableInfo> table,
                                     planner::PlanPtr query) {
  // The rows: an insert of the query's output, whose types are the columns'.
  auto insert = std::make_shared<planner::PlanNode>();
  insert->kind = planner::PlanKind::kInsert;
  insert->table = table;
  if (std::any_of(query->output_types.begin(), query->output_types.end(),
                  [](const Type& t) { return t.id == TypeId::kUnknown; })) {
    auto project = std::make_shared<planner::PlanNode>();
    project->kind = planner::PlanKind::kProject;
    project->children = {query};
    for (size_t i = 0; i < table->columns.size(); ++i) {
      auto col = std::make_shared<planner::BoundExpr>();
      col->kind = planner::BoundExprKind::kColumn;
      col->column_index = static_cast<int>(i);
      col->type = query->output_types[i];
      auto cast = std::make_shared<planner::BoundExpr>();
      cast->kind = planner::BoundExprKind::kCast;
      cast->type = table->columns[i].type;
      cast->children = {col};
      project->exprs.push_back(cast);
      project->output_types.push_back(table->columns[i].type);
      project->output_names.push_back(table->columns[i].name);
    }
    query = project;
  }
  insert->children = {query};
  insert->init_plans = query->init_plans;  // data-modifying WITH queries run first
  storage::Transaction* txn = StatementTxn();
  LockPlanRelations(*insert, txn);
  ExecContext ctx = MakeExecContext(txn, {});
  try {
    return RunPlan(*insert, ctx, [](std::vector<std::vector<Value>>&&) {});
  } catch (const StatementRestart&) {
    // A data-modifying WITH query met a row changed since it was read.
    Throw(SqlState::kSerializationFailure, "could not serialize access due to concurrent update");
  }
}

QueryResult SessionImpl::CreateIndex(const ast::CreateIndexStatement& s) {
  std::string schema;
  auto table = FindAndLockTable(s.table, &schema, storage::LockMode::kShare);
  if (!table) {
    Error e(SqlState::kUndefinedTable,
            fmt::format("relation \"{}\" does not exist", s.table.name()));
    if (s.table.location >= 0) e.Position(s.table.location + 1);
    throw e;
  }
  if (table->is_view || table->is_sequence()) {
    throw Error(SqlState::kWrongObjectType,
                fmt::format("cannot create index on relation \"{}\"", table->name))
        .Detail(table->is_view ? "This operation is not supported for views."
                               : "This operation is not supported for sequences.");
  }
  std::string method = Lower(s.method);
  if (!method.empty() && method != "btree" && method != "hash") {
    Throw(SqlState::kFeatureNotSupported, "index method \"{}\" is not supported yet", s.method);
  }
  storage::IndexInfo idx;
  idx.unique = s.unique;
  idx.nulls_not_distinct = s.nulls_not_distinct;
  // Expressions and the predicate bind over the table's columns (PostgreSQL's ComputeIndexAttrs
  // and CheckPredicate); the names of the key and INCLUDE columns make the default name.
  planner::PlannerContext pctx = MakePlannerContext();
  auto shape = std::make_shared<storage::TableInfo>(*table);
  shape->indexes.clear();
  std::vector<std::string> column_names;
  for (const auto& el : s.columns) {
    std::string colname;
    if (el.expr) {
      planner::BoundExprPtr bound = planner::BindIndexExpr(shape, *el.expr, pctx, false);
      RequireIndexOpclass(bound->type, method);
      idx.columns.push_back(storage::IndexInfo::kExpressionColumn);
      idx.expressions.push_back(planner::IndexElementText(*bound, *table, false));
      idx.expressions_pretty.push_back(planner::IndexElementText(*bound, *table, true));
      colname = planner::Binder::FigureColname(*el.expr);
      if (colname == "?column?") colname = "expr";
    } else {
      int ord = table->ColumnIndex(el.column);
      if (ord < 0) Throw(SqlState::kUndefinedColumn, "column \"{}\" does not exist", el.column);
      if (el.opclass.empty()) RequireIndexOpclass(table->columns[ord].type, method);
      idx.columns.push_back(ord);
      colname = el.column;
    }
    const Type key_type =
        el.expr ? Type::Of(TypeId::kText) : table->columns[idx.columns.back()].type;
    idx.opclasses.push_back(el.opclass.empty() ? 0 : IndexOpclass(el.opclass, key_type, method));
    int16_t option = 0;
    if (el.descending) option |= storage::IndexInfo::kDescending;
    if (el.nulls_first.value_or(el.descending)) option |= storage::IndexInfo::kNullsFirst;
    idx.options.push_back(option);
    column_names.push_back(colname);
  }
  if (std::all_of(idx.options.begin(), idx.options.end(), [](int16_t o) { return o == 0; })) {
    idx.options.clear();
  }
  if (std::all_of(idx.opclasses.begin(), idx.opclasses.end(), [](uint32_t o) { return o == 0; })) {
    idx.opclasses.clear();
  }
  idx.include = IncludeColumns(*table, s.include, "column \"{}\" does not exist");
  for (int c : idx.include) column_names.push_back(table->columns[c].name);
  if (s.where) {
    planner::BoundExprPtr pred = planner::BindIndexExpr(shape, *s.where, pctx, true);
    idx.predicate = planner::DeparseIndexExpr(*pred, *table, false);
    idx.predicate_pretty = planner::DeparseIndexExpr(*pred, *table, true);
  }
  // PostgreSQL's ChooseIndexColumnNames: a repeated name gets a number.
  std::string base_columns;
  {
    std::vector<std::string> chosen;
    for (const std::string& orig : column_names) {
      std::string cur = orig;
      for (int i = 1; std::find(chosen.begin(), chosen.end(), cur) != chosen.end(); ++i) {
        cur = orig + std::to_string(i);
      }
      chosen.push_back(cur);
      if (!base_columns.empty()) base_columns += "_";
      base_columns += cur;
    }
  }
  if (!idx.plain()) {
    // Rows are keyed through the compiled text, as after a restart (with the catalog storage
    // has then: no user-defined type names).
    static const auto kNoCatalog = std::make_shared<const storage::CatalogSnapshot>();
    try {
      idx.evaluator = CompileIndexEvaluator(*table, idx, kNoCatalog);
    } catch (const Error&) {
      Throw(SqlState::kFeatureNotSupported,
            "index expressions naming user-defined types are not supported yet");
    }
  }
  auto snap = CatalogView();
  auto name_taken = [&](const std::string& n) {
    return snap->FindTable(db_.oid, schema, n) != nullptr ||
           snap->FindIndexOwner(db_.oid, schema, n) != nullptr || n == table->PrimaryKeyName();
  };
  if (s.name) {
    if (name_taken(*s.name)) {
      if (s.if_not_exists) {
        pending_notices_.push_back(Notice{
            "NOTICE", "42P07", fmt::format("relation \"{}\" already exists, skipping", *s.name)});
        return Tagged("CREATE INDEX");
      }
      Throw(SqlState::kDuplicateTable, "relation \"{}\" already exists", *s.name);
    }
    idx.name = *s.name;
  } else {
    std::string n = MakeObjectName(table->name, base_columns, "idx");
    for (int i = 1; name_taken(n); ++i) {
      n = MakeObjectName(table->name, base_columns, "idx" + std::to_string(i));
    }
    idx.name = n;
  }
  if (table->hypertable && idx.unique &&
      std::find(idx.columns.begin(), idx.columns.end(), table->hypertable->time_column) ==
          idx.columns.end()) {
    // A chunk checks uniqueness among its own rows only (TimescaleDB's TS103).
    Throw(SqlStateFromCode("TS103"),
          "cannot create a unique index without the column \"{}\" (used in partitioning)",
          table->columns[table->hypertable->time_column].name);
  }
  std::string index_name = idx.name;
  storage::CatalogTxn* txn = CatalogStatementTxn();
  auto updated = engine_->catalog()->AddIndex(txn, db_.oid, schema, table->name, idx);
  const storage::IndexInfo* built = nullptr;
  for (const auto& i : updated->indexes) {
    if (i.name == index_name) built = &i;
  }
  if (built == nullptr) Throw(SqlState::kInternalError, "new index not found in catalog");
  // A failure (e.g. 23505) fails the statement, whose rollback removes the index again.
  CountIndexBuild(*updated, storage::TableStore::BuildIndex(txn, *updated, *built));
  if (updated->hypertable) {
    // A hypertable's index is also one on each of its chunks, named as the chunk router names
    // them (executor/hypertables.cpp), so that a read of every chunk can use it.
    for (const auto& chunk : ChunksOf(*CatalogView(), updated->oid)) {
      txn->LockRelation(chunk->oid, storage::LockMode::kShare);
      storage::IndexInfo ci = *built;
      ci.oid = 0;
      ci.storage_gen = 0;
      ci.constraint_oid = 0;
      ci.is_constraint = false;
      ci.name = chunk->name + "_" + index_name;
      auto on_chunk = engine_->catalog()->AddIndex(txn, db_.oid, chunk->schema, chunk->name, ci);
      for (const auto& i : on_chunk->indexes) {
        if (i.name == ci.name) {
          CountIndexBuild(*on_chunk, storage::TableStore::BuildIndex(txn, *on_chunk, i));
        }
      }
    }
  }
  return Tagged("CREATE INDEX");
}

QueryResult SessionImpl::CreateView(const ast::CreateViewStatement& s) {
  std::vector<std::string> view_options = ViewOptions({}, s.options, {});
  // WITH CHECK OPTION after the query is check_option in the options (PostgreSQL's DefineView).
  if (!s.check_option.empty()) {
    if (!ViewCheckOption(view_options).empty()) {
      Throw(SqlState::kSyntaxError, "WITH CHECK OPTION specified more than once");
    }
    view_options.push_back("check_option=" + s.check_option);
  }
  planner::PlannerContext ctx = MakePlannerContext();
  ctx.tolerate_view_recursion = true;  // PostgreSQL stores a view over a recursive one
  std::vector<planner::PlannerContext::RelationMention> mentions;
  ctx.relation_mentions = &mentions;
  planner::PlanPtr plan = planner::PlanSelect(*s.query, ctx);
  if (!plan->init_plans.empty()) {
    Throw(SqlState::kFeatureNotSupported,
          "views must not contain data-modifying statements in WITH");
  }
  bool temporary = s.temporary;
  if (!temporary && PlanUsesTempRelations(*plan)) {
    // PostgreSQL's isQueryUsingTempRelation: such a view could not outlive the session.
    if (s.name.parts.size() >= 2 &&
        ResolveSchemaName(s.name.parts[s.name.parts.size() - 2]) != TempSchemaName()) {
      Throw(SqlState::kInvalidTableDefinition,
            "cannot create temporary relation in non-temporary schema");
    }
    temporary = true;
    pending_notices_.push_back(Notice{
        "NOTICE", "00000", fmt::format("view \"{}\" will be a temporary view", s.name.name())});
  }
  ast::QualifiedName unplaced = s.name;
  unplaced.location = -1;  // PostgreSQL places these errors for CREATE TABLE only
  std::string schema = CreationSchema(unplaced, temporary);
  auto existing = CatalogView()->FindTable(db_.oid, schema, s.name.name());
  if (existing && !(s.or_replace && existing->is_view)) {
    Throw(SqlState::kDuplicateTable, "relation \"{}\" already exists", s.name.name());
  }
  if (!ctx.param_types.empty()) {
    Throw(SqlState::kUndefinedParameter, "there is no parameter $1");
  }
  if (s.column_names.size() > plan->output_types.size()) {
    Throw(SqlState::kSyntaxError, "CREATE VIEW specifies more column names than columns");
  }
  storage::TableInfo info;
  info.database_oid = db_.oid;
  info.schema = schema;
  info.name = s.name.name();
  info.is_view = true;
  // The relations the query reads, qualified: the view reads them whatever its reader's
  // search_path (the text as written where it cannot be rewritten).
  if (auto q = QualifyViewRelations(s.query_text, s.query_location, mentions, *ctx.catalog)) {
    info.view_sql = std::move(q->sql);
    info.view_relations = std::move(q->relations);
  } else {
    info.view_sql = s.query_text;
  }
  info.view_columns = s.column_names;
  info.view_options = std::move(view_options);
  for (size_t i = 0; i < plan->output_types.size(); ++i) {
    storage::ColumnInfo ci;
    ci.name = i < s.column_names.size() ? s.column_names[i] : plan->output_names[i];
    ci.type = plan->output_types[i].id == TypeId::kUnknown ? Type::Of(TypeId::kText)
                                                           : plan->output_types[i];
    // A blessed record's typmod names a descriptor of this process only (common/composite.h).
    if (ci.type.id == kRecordType) ci.type.typmod = -1;
    info.columns.push_back(ci);
  }
  RefuseCheckOption(info);
  storage::CatalogTxn* txn = CatalogStatementTxn();
  if (existing) engine_->catalog()->DropTable(txn, db_.oid, schema, existing->name);
  engine_->catalog()->CreateTable(txn, std::move(info));
  return Tagged("CREATE VIEW");
}

bool SessionImpl::DropObjects(const std::vector<DependencyObject>& originals, bool cascade) {
  using Obj = DependencyObject;
  auto snap = CatalogView();
  std::vector<std::string> path = LookupPath(*snap);
  for (std::string& p : path) {
    if (p == "$user") p = current_user_name_;
  }
  DependencyGraph graph(*snap, db_.oid, path);
  // Views whose stored text has no recorded relation references: what they read, by planning.
  for (const auto& [key, v] : snap->tables) {
    if (std::get<0>(key) != db_.oid || !(v->is_view || v->matview) || v->cagg ||
        !v->view_relations.empty()) {
      continue;
    }
    // A query without FROM anywhere (SELECT 1) reads no relation.
    std::string lower = v->view_sql;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.find("from") == std::string::npos) continue;
    try {
      graph.AddViewReads(v->oid, RelationsViewReads(*v));
    } catch (const Error&) {
      // A view that does not plan any more reads nothing that could be found.
    }
  }
  std::vector<DependencyGraph::Target> targets = graph.FindTargets(originals);
  std::set<storage::Oid> whole;  // relations deleted as a whole
  std::set<storage::Oid> types;
  for (const auto& t : targets) {
    if (t.object.class_id == Obj::kClass && t.object.sub == 0) {
      auto rel = snap->FindRelationByOid(t.object.oid);
      // TimescaleDB's objects are dropped their own way (the caller's).
      if (rel != nullptr && (rel->hypertable || rel->chunk || rel->cagg)) return false;
      whole.insert(t.object.oid);
    }
    if (t.object.class_id == Obj::kType) types.insert(t.object.oid);
  }
  // 2BP01 without CASCADE first, then what this cannot drop: an attribute of a composite type
  // that stays.
  std::optional<Notice> notice = graph.Report(targets, cascade, originals);
  for (const auto& t : targets) {
    if (t.object.class_id != Obj::kClass || t.object.sub == 0 || whole.count(t.object.oid) != 0) {
      continue;
    }
    const storage::Oid type = graph.CompositeTypeOfRelation(t.object.oid);
    if (type == 0 || types.count(type) != 0) continue;
    Throw(SqlState::kFeatureNotSupported, "dropping {} by cascade is not supported",
          graph.Describe(t.object));
  }
  if (notice) pending_notices_.push_back(std::move(*notice));
  storage::CatalogTxn* txn = CatalogStatementTxn();
  storage::Catalog* catalog = engine_->catalog();
  // An object of a relation that stays: the relation without it.
  auto alter_owner = [&](const Obj& o, const std::function<void(storage::TableInfo*)>& change) {
    auto owner = graph.OwnerOf(o);
    if (owner == nullptr || whole.count(owner->oid) != 0) return;
    txn->LockRelation(owner->oid, storage::LockMode::kAccessExclusive);
    auto now = CatalogView()->FindRelationByOid(owner->oid);
    if (now == nullptr) return;
    storage::TableInfo next = *now;
    change(&next);
    catalog->UpdateRelation(txn, std::move(next));
  };
  for (const auto& t : targets) {
    const Obj& o = t.object;
    switch (o.class_id) {
      case Obj::kClass: {
        if (graph.CompositeTypeOfRelation(o.oid) != 0) break;  // the type's
        auto rel = CatalogView()->FindRelationByOid(o.oid);
        if (rel == nullptr) break;
        if (o.sub != 0) {
          // A column of a table that stays (of a type dropped): ALTER TABLE DROP COLUMN, whose
          // own dependents go with it (its notices are this report's business).
          if (whole.count(o.oid) != 0) break;
          auto before = snap->FindRelationByOid(o.oid);
          if (before == nullptr || o.sub > static_cast<int32_t>(before->columns.size())) break;
          const std::string column = before->columns[o.sub - 1].name;
          if (rel->ColumnIndex(column) < 0) break;  // gone with its parent's
          txn->LockRelation(rel->oid, storage::LockMode::kAccessExclusive);
          const size_t notices = pending_notices_.size();
          DropColumnRecurse(rel->schema, rel, column, true, false, false);
          pending_notices_.resize(notices);
          break;
        }
        txn->LockRelation(rel->oid, storage::LockMode::kAccessExclusive);
        catalog->DropTable(txn, db_.oid, rel->schema, rel->name);
        break;
      }
      case Obj::kType: {
        if (graph.IsDependentType(o.oid)) break;  // a row or array type: its owner's
        if (auto ty = CatalogView()->FindTypeByOid(o.oid)) catalog->DropType(txn, *ty);
        break;
      }
      case Obj::kProc:
        if (auto fn = CatalogView()->FindFunctionByOid(o.oid)) catalog->DropFunction(txn, *fn);
        break;
      case Obj::kCast:
        DropUserCast(o.oid);
        break;
      case Obj::kOperator:
        DropUserOperator(o.oid);
        break;
      case Obj::kConstraint:
        alter_owner(o, [&](storage::TableInfo* next) {
          std::erase_if(next->foreign_keys,
                        [&](const storage::ForeignKeyInfo& f) { return f.oid == o.oid; });
        });
        break;
      case Obj::kAttrdef:
        alter_owner(o, [&](storage::TableInfo* next) {
          for (storage::ColumnInfo& c : next->columns) {
            if (c.default_oid != o.oid) continue;
            c.default_sql.reset();
            c.default_sequences.clear();
          }
        });
        break;
      case Obj::kTrigger:
        alter_owner(o, [&](storage::TableInfo* next) {
          std::erase_if(next->triggers,
                        [&](const storage::TriggerInfo& g) { return g.oid == o.oid; });
        });
        break;
      case Obj::kNamespace:
        for (const auto& [key, sc] : CatalogView()->schemas) {
          if (key.first != db_.oid || sc.oid != o.oid) continue;
          catalog->DropSchema(txn, db_.oid, sc.name, true);
          break;
        }
        break;
      default:
        break;
    }
  }
  return true;
}

bool SessionImpl::DropSchemaMissing(const ast::QualifiedName& name, bool if_exists) {
  if (name.parts.size() < 2) return false;
  const std::string& schema = name.parts[name.parts.size() - 2];
  if (CatalogView()->FindSchema(db_.oid, ResolveSchemaName(schema)) != nullptr) return false;
  if (!if_exists) Throw(SqlState::kInvalidSchemaName, "schema \"{}\" does not exist", schema);
  pending_notices_.push_back(
      Notice{"NOTICE", "00000", fmt::format("schema \"{}\" does not exist, skipping", schema)});
  return true;
}

QueryResult SessionImpl::Drop(const ast::DropStatement& s) {
  storage::CatalogTxn* txn = CatalogStatementTxn();
  auto notice = [&](const std::string& msg) {
    pending_notices_.push_back(Notice{"NOTICE", "00000", msg});
  };
  switch (s.object_kind) {
    case ast::ObjectKind::kType:
    case ast::ObjectKind::kDomain:
      return DropTypes(s);
    case ast::ObjectKind::kDatabase: {
      for (const auto& n : s.names) {
        auto snap = CatalogView();
        const storage::DatabaseInfo* db = snap->FindDatabase(n.name());
        if (!db) {
          if (s.if_exists) {
            notice(fmt::format("database \"{}\" does not exist, skipping", n.name()));
            continue;
          }
          Throw(SqlState::kInvalidCatalogName, "database \"{}\" does not exist", n.name());
        }
        if (db->oid == db_.oid) {
          Throw(SqlState::kObjectInUse, "cannot drop the currently open database");
        }
        int others = engine_->SessionsIn(db->oid);
        // As PostgreSQL's CountOtherDBBackends: sessions that are closing (a client that has
        // just disconnected) get up to 5 seconds to go, in 100 ms steps.
        for (int tries = 0; others > 0 && tries < 50; ++tries) {
          if (cancel_.load(std::memory_order_relaxed)) {
            Throw(SqlState::kQueryCanceled, "canceling statement due to user request");
          }
          if (statement_deadline_ != std::chrono::steady_clock::time_point{} &&
              std::chrono::steady_clock::now() >= statement_deadline_) {
            Throw(SqlState::kQueryCanceled, "canceling statement due to statement timeout");
          }
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
          others = engine_->SessionsIn(db->oid);
        }
        int prepared = engine_->two_phase()->CountInDatabase(db->oid);
        if (others > 0 || prepared > 0) {
          // PostgreSQL's errdetail_busy_db.
          std::string detail;
          if (others > 0 && prepared > 0) {
            detail = fmt::format(
                "There are {} other session(s) and {} prepared transaction(s) using the database.",
                others, prepared);
          } else if (others > 0) {
            detail = fmt::format("There {} {} other session{} using the database.",
                                 others == 1 ? "is" : "are", others, others == 1 ? "" : "s");
          } else {
            detail = fmt::format("There {} {} prepared transaction{} using the database.",
                                 prepared == 1 ? "is" : "are", prepared, prepared == 1 ? "" : "s");
          }
          throw Error(SqlState::kObjectInUse,
                      fmt::format("database \"{}\" is being accessed by other users", n.name()))
              .Detail(detail);
        }
        engine_->catalog()->DropDatabase(txn, n.name());
      }
      return Tagged("DROP DATABASE");
    }
    case ast::ObjectKind::kSchema: {
      for (const auto& n : s.names) {
        if (!CatalogView()->FindSchema(db_.oid, n.name())) {
          if (s.if_exists) {
            notice(fmt::format("schema \"{}\" does not exist, skipping", n.name()));
            continue;
          }
          Throw(SqlState::kInvalidSchemaName, "schema \"{}\" does not exist", n.name());
        }
        if (n.name() != "pg_catalog") {
          const storage::SchemaInfo* sc = CatalogView()->FindSchema(db_.oid, n.name());
          if (DropObjects({{DependencyObject::kNamespace, sc->oid, 0}}, s.cascade)) continue;
        }
        if (s.cascade) {
          // Foreign keys of other schemas' tables that refer to the tables dropped go too.
          std::vector<std::shared_ptr<const storage::TableInfo>> tables;
          for (const auto& [key, t] : CatalogView()->tables) {
            if (std::get<0>(key) == db_.oid && std::get<1>(key) == n.name() && !t->is_view &&
                !t->is_sequence()) {
              tables.push_back(t);
            }
          }
          if (!tables.empty()) DropForeignKeyDependents(tables, true);
        }
        engine_->catalog()->DropSchema(txn, db_.oid, n.name(), s.cascade);
      }
      return Tagged("DROP SCHEMA");
    }
    case ast::ObjectKind::kTable:
    case ast::ObjectKind::kView:
    case ast::ObjectKind::kMatview:
    case ast::ObjectKind::kSequence: {
      const ast::ObjectKind kind = s.object_kind;
      const char* what = kind == ast::ObjectKind::kView       ? "view"
                         : kind == ast::ObjectKind::kMatview  ? "materialized view"
                         : kind == ast::ObjectKind::kSequence ? "sequence"
                                                              : "table";
      // Check every name first, as PostgreSQL does.
      std::vector<std::pair<std::string, std::shared_ptr<const storage::TableInfo>>> targets;
      for (const auto& n : s.names) {
        std::string schema;
        auto t = FindAndLockTable(n, &schema, storage::LockMode::kAccessExclusive);
        if (!t) {
          if (DropSchemaMissing(n, s.if_exists)) continue;
          if (s.if_exists) {
            notice(fmt::format("{} \"{}\" does not exist, skipping", what, n.name()));
            continue;
          }
          Error e(SqlState::kUndefinedTable,
                  fmt::format("{} \"{}\" does not exist", what, n.name()));
          throw e;
        }
        // A continuous aggregate is dropped as a materialized view (TimescaleDB's).
        ast::ObjectKind actual = t->matview || t->cagg ? ast::ObjectKind::kMatview
                                 : t->is_view          ? ast::ObjectKind::kView
                                 : t->is_sequence()    ? ast::ObjectKind::kSequence
                                                       : ast::ObjectKind::kTable;
        if (actual != kind) {
          throw Error(SqlState::kWrongObjectType, fmt::format("\"{}\" is not a {}", n.name(), what))
              .Hint(actual == ast::ObjectKind::kSequence ? "Use DROP SEQUENCE to remove a sequence."
                    : actual == ast::ObjectKind::kView   ? "Use DROP VIEW to remove a view."
                    : actual == ast::ObjectKind::kMatview
                        ? "Use DROP MATERIALIZED VIEW to remove a materialized view."
                        : "Use DROP TABLE to remove a table.");
        }
        targets.emplace_back(schema, t);
      }
      if (kind == ast::ObjectKind::kSequence) {
        DropSequences(targets, s.cascade);
        return Tagged("DROP SEQUENCE");
      }
      // PostgreSQL's dependency walk and report (TimescaleDB's objects go the way below).
      std::vector<DependencyObject> originals;
      for (const auto& [schema, t] : targets) {
        originals.push_back({DependencyObject::kClass, t->oid, 0});
      }
      if (!originals.empty() && DropObjects(originals, s.cascade)) {
        return Tagged(kind == ast::ObjectKind::kView      ? "DROP VIEW"
                      : kind == ast::ObjectKind::kMatview ? "DROP MATERIALIZED VIEW"
                                                          : "DROP TABLE");
      }
      if (kind == ast::ObjectKind::kTable) DropInheritanceChildren(&targets, s.cascade);
      DropDependentViews(targets, s.cascade, what);
      std::vector<std::shared_ptr<const storage::TableInfo>> dropped;
      for (const auto& [schema, t] : targets) dropped.push_back(t);
      if (kind == ast::ObjectKind::kTable && !dropped.empty()) {
        DropForeignKeyDependents(dropped, s.cascade);
      }
      if (!targets.empty()) {
        DropOwnedSequences(dropped, s.cascade,
                           fmt::format("{} {}", what, targets.front().second->name));
      }
      for (const auto& [schema, t] : targets) {
        if (t->cagg) {
          DropContinuousAggregate(*t, engine_->catalog(), txn);
          continue;
        }
        engine_->catalog()->DropTable(txn, db_.oid, schema, t->name);
      }
      return Tagged(kind == ast::ObjectKind::kView      ? "DROP VIEW"
                    : kind == ast::ObjectKind::kMatview ? "DROP MATERIALIZED VIEW"
                                                        : "DROP TABLE");
    }
    case ast::ObjectKind::kIndex: {
      for (const auto& n : s.names) {
        auto snap = CatalogView();
        std::string found_schema;
        std::vector<std::string> schemas;
        if (n.parts.size() >= 2) {
          schemas.push_back(ResolveSchemaName(n.parts[n.parts.size() - 2]));
        } else {
          schemas = LookupPath(*snap);
        }
        for (const auto& sch : schemas) {
          if (snap->FindIndexOwner(db_.oid, sch, n.name())) {
            found_schema = sch;
            break;
          }
        }
        if (found_schema.empty()) {
          if (DropSchemaMissing(n, s.if_exists)) continue;
          if (s.if_exists) {
            notice(fmt::format("index \"{}\" does not exist, skipping", n.name()));
            continue;
          }
          Throw(SqlState::kUndefinedObject, "index \"{}\" does not exist", n.name());
        }
        if (auto owner = snap->FindIndexOwner(db_.oid, found_schema, n.name())) {
          txn->LockRelation(owner->oid, storage::LockMode::kAccessExclusive);
          if (owner->hypertable) {
            // The hypertable's index on each chunk goes with it.
            for (const auto& chunk : ChunksOf(*snap, owner->oid)) {
              const std::string on_chunk = chunk->name + "_" + n.name();
              if (snap->FindIndexOwner(db_.oid, chunk->schema, on_chunk) == nullptr) continue;
              txn->LockRelation(chunk->oid, storage::LockMode::kAccessExclusive);
              engine_->catalog()->DropIndex(txn, db_.oid, chunk->schema, on_chunk);
            }
          }
          // A unique index that a foreign key looks its referenced rows up in.
          for (const auto& [child, i] : snap->ReferencingForeignKeys(owner->oid)) {
            const auto& fk = child->foreign_keys[i];
            auto access = FindUniqueAccess(*owner, fk.ref_columns);
            if (access && access->index && access->index->name == n.name()) {
              throw Error(
                  SqlState::kUndefinedObjectDependent,
                  fmt::format("cannot drop index {} because other objects depend on it", n.name()))
                  .Detail(fmt::format("constraint {} on table {} depends on index {}", fk.name,
                                      child->name, n.name()))
                  .Hint("Use DROP ... CASCADE to drop the dependent objects too.");
            }
          }
        }
        engine_->catalog()->DropIndex(txn, db_.oid, found_schema, n.name());
      }
      return Tagged("DROP INDEX");
    }
  }
  Throw(SqlState::kFeatureNotSupported, "this DROP is not supported yet");
}

QueryResult SessionImpl::Truncate(const ast::TruncateStatement& s) {
  std::vector<std::pair<std::string, std::shared_ptr<const storage::TableInfo>>> targets;
  for (size_t i = 0; i < s.tables.size(); ++i) {
    const ast::QualifiedName& n = s.tables[i];
    std::string schema;
    // The TRUNCATE privilege before the lock (PostgreSQL's RangeVarCallbackForTruncate): a role
    // without it is refused at once instead of waiting for the table.
    if (auto before = FindTable(n, &schema); before && !before->is_view && !before->is_sequence()) {
      CheckTablePrivilege(*before, storage::acl::kTruncate);
    }
    auto t = FindAndLockTable(n, &schema, storage::LockMode::kAccessExclusive);
    if (!t) Throw(SqlState::kUndefinedTable, "relation \"{}\" does not exist", n.name());
    if (!t->is_view && !t->is_sequence()) CheckTablePrivilege(*t, storage::acl::kTruncate);
    if (t->is_view || t->is_sequence() || t->matview) {
      Throw(SqlState::kWrongObjectType, "\"{}\" is not a table", n.name());
    }
    targets.emplace_back(schema, t);
    // Without ONLY, the table's inheritance descendants too (each once).
    if (i < s.only.size() && !s.only[i]) {
      for (const auto& d : InheritanceDescendants(*t)) {
        StatementTxn()->LockRelation(d->oid, storage::LockMode::kAccessExclusive);
        bool listed = std::any_of(targets.begin(), targets.end(),
                                  [&](const auto& x) { return x.second->oid == d->oid; });
        if (!listed) targets.emplace_back(d->schema, d);
      }
    }
  }
  TruncateForeignKeys(&targets, s.cascade);
  // New, empty storage for each table (the old storage is dropped after the commit, so a
  // ROLLBACK keeps the rows).
  // A compressed chunk's batches (docs/design/2026-12-06-chunk-compression.md) are its rows too.
  for (size_t i = 0, given = targets.size(); i < given; ++i) {
    const auto t = targets[i].second;
    if (!t->chunk || t->chunk->compressed_table == 0) continue;
    if (auto ct = CatalogView()->FindRelationByOid(t->chunk->compressed_table)) {
      StatementTxn()->LockRelation(ct->oid, storage::LockMode::kAccessExclusive);
      targets.emplace_back(ct->schema, ct);
    }
  }
  storage::CatalogTxn* txn = CatalogStatementTxn();
  // TRUNCATE triggers: every BEFORE before the first table is emptied, the AFTER ones after
  // the last (PostgreSQL's ExecuteTruncateGuts).
  ExecContext tctx = MakeExecContext(txn, {});
  std::vector<std::unique_ptr<TableTriggers>> triggers;
  for (const auto& [schema, t] : targets) {
    triggers.push_back(std::make_unique<TableTriggers>(*t, storage::TriggerInfo::kTruncate, tctx));
    triggers.back()->BeforeStatement();
  }
  for (const auto& [schema, t] : targets) {
    engine_->catalog()->TruncateTable(txn, db_.oid, schema, t->name);
    xact_counts_.Truncated(t->oid);
    if (s.restart_identity) RestartOwnedSequences(*t);
    // Every bucket of the continuous aggregates on a hypertable (TimescaleDB's), the chunk's
    // range for one chunk.
    if (t->hypertable) {
      LogInvalidation(engine_->catalog(), txn, t->oid, std::numeric_limits<int64_t>::min(),
                      std::numeric_limits<int64_t>::max());
    } else if (t->chunk && std::none_of(targets.begin(), targets.end(), [&](const auto& x) {
                 return x.second->oid == t->chunk->hypertable;
               })) {
      LogInvalidation(engine_->catalog(), txn, t->chunk->hypertable, t->chunk->range_start,
                      t->chunk->range_end);
    }
  }
  tctx.catalog_view = CatalogView();
  for (auto& tt : triggers) tt->AfterStatement();
  return Tagged("TRUNCATE TABLE");
}

QueryResult SessionImpl::LockTables(const ast::LockStatement& s) {
  if (status_ == TxnStatus::kIdle && !implicit_multi_) {
    Throw(SqlState::kNoActiveSqlTransaction, "LOCK TABLE can only be used in transaction blocks");
  }
  std::optional<storage::LockMode> mode = storage::ParseLockMode(s.mode);
  if (!mode) Throw(SqlState::kSyntaxError, "unknown lock mode \"{}\"", s.mode);
  // PostgreSQL's LockTableAclCheck: UPDATE, DELETE or TRUNCATE allow any mode, SELECT also
  // ACCESS SHARE, INSERT also up to ROW EXCLUSIVE.
  auto check = [&](const storage::TableInfo& t, storage::Oid role) {
    storage::AclMode mask = storage::acl::kUpdate | storage::acl::kDelete | storage::acl::kTruncate;
    if (*mode <= storage::LockMode::kAccessShare) mask |= storage::acl::kSelect;
    if (*mode <= storage::LockMode::kRowExclusive) mask |= storage::acl::kInsert;
    if ((RelationPrivileges(t, mask, role) & mask) == 0) {
      CheckTablePrivilege(t, mask, role);  // 42501 `permission denied for table t` (or view)
    }
  };
  auto lock = [&](const storage::TableInfo& t) {
    StatementTxn()->LockRelation(t.oid, *mode, s.nowait ? t.name.c_str() : nullptr);
  };
  // A table's inheritance children, all levels down, without a privilege check of their own
  // (PostgreSQL 15's LockTableRecurse).
  auto children = [&](const storage::TableInfo& t) {
    for (const auto& c : InheritanceDescendants(t)) lock(*c);
  };
  for (size_t i = 0; i < s.tables.size(); ++i) {
    const ast::QualifiedName& n = s.tables[i];
    std::string schema;
    auto t = FindTable(n, &schema);
    if (!t) Throw(SqlState::kUndefinedTable, "relation \"{}\" does not exist", n.name());
    if (t->is_sequence()) {
      throw Error(SqlState::kWrongObjectType, fmt::format("cannot lock relation \"{}\"", t->name))
          .Detail("This operation is not supported for sequences.");
    }
    check(*t, user_oid_);
    lock(*t);
    if (t->is_view) {
      // The relations the view reads, with the view owner's privileges, and their children
      // (LockViewRecurse): the planner's expansion of the view lists them with the role whose
      // privileges apply.
      std::vector<ast::StatementPtr> stmts =
          ParseText("SELECT * FROM " + QuoteIdent(t->schema) + "." + QuoteIdent(t->name), false);
      planner::PlannerContext pctx = MakePlannerContext();
      pctx.tolerate_view_recursion = true;  // LockViewRecurse stops at a view seen before
      planner::PlanPtr plan = planner::PlanStatement(*stmts.at(0), pctx);
      std::set<storage::Oid> done{t->oid};
      for (const planner::RelationPermission& p : plan->permissions) {
        if (!done.insert(p.relation->oid).second) continue;
        check(*p.relation, p.check_as != 0 ? p.check_as : user_oid_);
        lock(*p.relation);
        if (!p.relation->is_view) children(*p.relation);
      }
    } else if (i >= s.only.size() || !s.only[i]) {
      children(*t);
    }
  }
  return Tagged("LOCK TABLE");
}

// WITH CHECK OPTION: PostgreSQL accepts it only on an automatically updatable view (its own
// query: DefineView's and ATExecSetRelOptions' view_query_is_auto_updatable), the reason as the
// hint.
void SessionImpl::RefuseCheckOption(const storage::TableInfo& view) {
  if (ViewCheckOption(view.view_options).empty()) return;
  planner::PlannerContext ctx = MakePlannerContext();
  std::optional<std::string> reason = planner::ViewNotAutoUpdatable(view, ctx);
  if (!reason) return;
  Error e(SqlState::kFeatureNotSupported,
          "WITH CHECK OPTION is supported only on automatically updatable views");
  e.Hint(*reason);
  throw e;
}

QueryResult SessionImpl::AlterTable(const ast::AlterTableStatement& s) {
  if (s.view && !s.alter_column) return AlterTableOptions(s);
  if (s.materialized_view) {
    QueryResult done;
    if (AlterMatview(s, &done)) return done;
  }
  if (!s.actions.empty()) return AlterTableActions(s);
  if (s.add_not_valid && s.add_constraint &&
      s.add_constraint->type != ast::ConstraintType::kForeignKey &&
      s.add_constraint->type != ast::ConstraintType::kCheck) {
    Throw(SqlState::kFeatureNotSupported, "{} constraints cannot be marked NOT VALID",
          s.add_constraint->type == ast::ConstraintType::kPrimaryKey ? "PRIMARY KEY" : "UNIQUE");
  }
  if (s.trigger_toggle) return AlterTableTriggers(s);
  if (s.inherit) return AlterInherit(s);
  if (s.alter_column_type || s.drop_column) {
    // The compressed batches of a chunk (docs/design/2026-12-06-chunk-compression.md) hold the
    // columns as they were: a changed or dropped column would not reach them.
    std::string schema;
    if (auto t = FindTable(s.table, &schema); t && t->hypertable && t->hypertable->compress) {
      Throw(SqlState::kFeatureNotSupported,
            "ALTER TABLE {} on hypertable \"{}\" with compression enabled is not supported yet",
            s.alter_column_type ? "ALTER COLUMN TYPE" : "DROP COLUMN", t->name);
    }
  }
  if (s.alter_column_type) return AlterColumnType(s);
  if (s.add_column) return AddColumn(s);
  if (s.drop_column) return DropColumn(s);
  if (s.alter_column) return AlterColumnAttribute(s);
  if (s.rename) return AlterRename(s);
  if (s.drop_constraint || s.validate_constraint || s.add_constraint) {
    return AlterTableConstraint(s);
  }
  if (!s.set_options.empty() || !s.reset_options.empty()) return AlterTableOptions(s);
  Throw(SqlState::kFeatureNotSupported, "ALTER TABLE {} is not supported yet", s.action_text);
}

// ALTER TABLE ... SET (...) / RESET (...): PostgreSQL's storage parameters are checked (and have
// no effect here); ttl and ttl_column change the table's row expiry (table_options.h).
QueryResult SessionImpl::AlterTableOptions(const ast::AlterTableStatement& s) {
  std::string schema;
  if (auto view = FindAndLockTable(s.table, &schema, storage::LockMode::kAccessExclusive);
      view && view->is_view && !view->cagg) {
    // A view's options (PostgreSQL takes ALTER TABLE on a view for them too).
    storage::TableInfo next = *view;
    next.view_options = ViewOptions(view->view_options, s.set_options, s.reset_options);
    RefuseCheckOption(next);
    engine_->catalog()->UpdateRelation(CatalogStatementTxn(), std::move(next));
    return Tagged(s.view ? "ALTER VIEW" : "ALTER TABLE");
  } else if (view && s.view) {
    Throw(SqlState::kWrongObjectType, "\"{}\" is not a view", view->name);
  }
  auto table = LockAlterTarget(s, s.set_options.empty() ? "RESET" : "SET",
                               storage::LockMode::kAccessExclusive, &schema);
  if (!table) return Tagged(s.view ? "ALTER VIEW" : "ALTER TABLE");
  if (table->is_view || table->is_sequence()) {
    Throw(SqlState::kWrongObjectType, "\"{}\" is not a table", table->name);
  }
  storage::TableInfo next = *table;
  if (!s.set_options.empty() && HasTimescaleOptions(s.set_options)) {
    // TimescaleDB's compression settings (docs/design/2026-12-06-chunk-compression.md), alone
    // in their statement.
    TableOptions ts, rest;
    for (const auto& o : s.set_options)
      (o.first.starts_with("timescaledb.") ? ts : rest).push_back(o);
    if (!rest.empty()) {
      Throw(SqlState::kFeatureNotSupported,
            "timescaledb.* options cannot be set together with other storage parameters");
    }
    SetCompressionOptions(ts, *CatalogView(), &next);
  } else if (!s.set_options.empty()) {
    SetTableOptions(s.set_options, next.columns, storage::ExpiryClockNow(), &next.expiry);
  } else {
    ResetTableOptions(s.reset_options, &next.expiry);
  }
  engine_->catalog()->UpdateRelation(CatalogStatementTxn(), std::move(next));
  return Tagged("ALTER TABLE");
}

void SessionImpl::AddPrimaryKey(const std::string& schema,
                                const std::shared_ptr<const storage::TableInfo>& table,
                                const ast::TableConstraint& c) {
  if (!c.include.empty()) {
    Throw(SqlState::kFeatureNotSupported,
          "ALTER TABLE ADD PRIMARY KEY ... INCLUDE is not supported yet");
  }
  if (!table->primary_key.empty()) {
    Throw(SqlState::kInvalidTableDefinition,
          "multiple primary keys for table \"{}\" are not allowed", table->name);
  }
  storage::TableInfo next = *table;
  if (c.name) next.pkey_name = *c.name;
  for (const std::string& col : c.columns) {
    int idx = next.ColumnIndex(col);
    if (idx < 0)
      Throw(SqlState::kUndefinedColumn, "column \"{}\" of relation \"{}\" does not exist", col,
            table->name);
    RequireIndexOpclass(next.columns[idx].type, "btree");
    next.primary_key.push_back(idx);
    next.columns[idx].not_null = true;
  }
  // Rewrite: copy every row into new storage keyed by the primary key, in the statement's
  // transaction, a batch at a time; the old storage is dropped after the commit. The table is
  // held in ACCESS EXCLUSIVE mode, so the new keys need no row locks.
  storage::CatalogTxn* txn = CatalogStatementTxn();
  auto* catalog = engine_->catalog();
  auto rewritten = catalog->RewriteTable(txn, db_.oid, schema, table->name, next);
  std::vector<storage::StoredRow> rows;
  // Calls fn for every row; a null in a key column fails first (as PostgreSQL's SET NOT NULL
  // check runs before the index build).
  auto for_each_row = [&](auto&& fn) {
    for (uint32_t shard = 0; shard < table->shard_count; ++shard) {
      storage::ShardScanner scanner(txn, table, shard);
      rows.clear();
      while (scanner.NextBatch(&rows, 4096)) {
        for (const auto& r : rows) {
          for (int k : next.primary_key) {
            if (r.row[k].is_null) {
              Throw(SqlState::kNotNullViolation,
                    "column \"{}\" of relation \"{}\" contains null values", next.columns[k].name,
                    table->name);
            }
          }
          fn(r.row);
        }
        rows.clear();
      }
    }
  };
  // Without secondary indexes to rebuild, the rows move as stored bytes (only the key columns
  // are decoded), in runs sorted by the new key: each run is written in key order.
  auto bulk_load = [&] {
    constexpr size_t kRunBytes = size_t{64} << 20;
    const std::vector<storage::FieldCodec> codecs = storage::RowFieldCodecs(*table);
    std::vector<storage::Field> scratch;
    std::vector<storage::EncodedRow> run;
    size_t run_bytes = 0;
    for (uint32_t shard = 0; shard < table->shard_count; ++shard) {
      storage::ShardScanner scanner(txn, table, shard);
      std::string_view key, bytes;
      while (scanner.NextRaw(&key, &bytes)) {
        std::vector<Value> values =
            storage::DecodeColumns(bytes, *table, codecs, next.primary_key, &scratch);
        for (size_t i = 0; i < values.size(); ++i) {
          if (values[i].is_null) {
            const std::string& column = next.columns[next.primary_key[i]].name;
            Throw(SqlState::kNotNullViolation,
                  "column \"{}\" of relation \"{}\" contains null values", column, table->name);
          }
        }
        run.push_back(storage::EncodedRow{storage::EncodeKey(values), std::string(bytes)});
        run_bytes += run.back().key.size() + run.back().bytes.size() + sizeof(storage::EncodedRow);
        if (run_bytes >= kRunBytes) {
          storage::TableStore::InsertEncoded(txn, *rewritten, &run);
          run_bytes = 0;
        }
      }
    }
    storage::TableStore::InsertEncoded(txn, *rewritten, &run);
  };
  const bool secondary = std::any_of(rewritten->indexes.begin(), rewritten->indexes.end(),
                                     [](const storage::IndexInfo& i) { return !i.primary; });
  try {
    if (secondary) {
      for_each_row([&](const storage::Row& row) {
        storage::TableStore::Insert(catalog, txn, *rewritten, row, /*lock_rows=*/false);
      });
    } else {
      bulk_load();
    }
  } catch (Error& e) {
    if (e.state() == SqlState::kUniqueViolation) {
      for_each_row([](const storage::Row&) {});  // a null anywhere is reported instead
      Error dup(SqlState::kUniqueViolation,
                fmt::format("could not create unique index \"{}\"", table->PrimaryKeyName()));
      if (e.detail) {
        std::string d = *e.detail;
        auto p = d.find("already exists");
        if (p != std::string::npos) d.replace(p, 14, "is duplicated");
        dup.Detail(d);
      }
      throw dup;
    }
    throw;
  }
}

}  // namespace activestore::executor
