// User-defined types: CREATE TYPE ... AS ENUM, ALTER TYPE (ADD VALUE, RENAME VALUE, RENAME TO),
// CREATE DOMAIN, ALTER DOMAIN and DROP TYPE / DROP DOMAIN, with PostgreSQL's checks and
// messages. The types are catalog objects (storage::TypeDefInfo) changed in the statement's
// transaction like tables; the enums reach the type registry through the catalog
// (common/user_types.h). See docs/design/2026-12-05-user-defined-types.md.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "common/cstring_type.h"
#include "executor/deparse.h"
#include "executor/session.h"
#include "planner/domain_checks.h"
#include "planner/planner.h"

namespace activestore::executor {
namespace {

// 42602 for a label longer than NAMEDATALEN - 1 bytes (PostgreSQL's DefineEnum/AddEnumLabel).
void CheckEnumLabel(const std::string& label) {
  if (label.size() > kMaxEnumLabelLength) {
    throw Error(SqlState::kInvalidName, fmt::format("invalid enum label \"{}\"", label))
        .Detail(fmt::format("Labels must be {} bytes or less.", kMaxEnumLabelLength));
  }
}

const EnumLabel* FindLabel(const storage::TypeDefInfo& t, const std::string& label) {
  for (const EnumLabel& l : t.labels) {
    if (l.label == label) return &l;
  }
  return nullptr;
}

[[noreturn]] void ThrowTypeExists(const std::string& name) {
  Throw(SqlState::kDuplicateObject, "type \"{}\" already exists", name);
}

}  // namespace

std::shared_ptr<const storage::TypeDefInfo> SessionImpl::FindTypeDef(
    const ast::QualifiedName& name) {
  auto snap = CatalogView();
  if (name.parts.size() >= 2) {
    std::string schema = ResolveSchemaName(name.parts[name.parts.size() - 2]);
    return snap->FindType(db_.oid, schema, name.name());
  }
  for (const std::string& s : LookupPath(*snap)) {
    if (auto t = snap->FindType(db_.oid, s, name.name())) return t;
  }
  return nullptr;
}

// The new type's catalog entry with its name, schema and kind ('e' enum, 'd' domain), after
// checking that no type or relation (whose row type shares the namespace) has the name.
storage::TypeDefInfo SessionImpl::NewTypeDef(const ast::QualifiedName& name, char kind) {
  std::string schema = CreationSchema(name);
  auto snap = CatalogView();
  if (snap->FindType(db_.oid, schema, name.name()) ||
      snap->FindTable(db_.oid, schema, name.name())) {
    ThrowTypeExists(name.name());
  }
  storage::TypeDefInfo info;
  info.database_oid = db_.oid;
  info.schema = std::move(schema);
  info.name = name.name();
  info.kind = kind;
  return info;
}

QueryResult SessionImpl::CreateType(const ast::CreateTypeStatement& s) {
  if (s.shell || s.base) return CreateShellOrBaseType(s);
  if (s.composite) {
    // CREATE TYPE name AS (f type, ...) (docs/design/2026-12-06-composite-types.md).
    storage::TypeDefInfo info = NewTypeDef(s.name, 'c');
    planner::PlannerContext pctx = MakePlannerContext();
    std::set<std::string> seen;
    for (const auto& [field, type_name] : s.attributes) {
      if (!seen.insert(field).second) {
        Throw(SqlState::kDuplicateColumn, "column \"{}\" specified more than once", field);
      }
      uint32_t domain = 0;
      Type t = planner::ResolveTypeName(type_name, &pctx, &domain);
      if (domain != 0) {
        Throw(SqlState::kFeatureNotSupported,
              "a domain as the type of a composite type's attribute is not supported");
      }
      if (std::optional<std::string> pseudo = PseudoColumnTypeName(t)) {
        Throw(SqlState::kInvalidTableDefinition, "column \"{}\" has pseudo-type {}", field,
              *pseudo);
      }
      info.fields.push_back({field, t});
    }
    engine_->catalog()->CreateType(CatalogStatementTxn(), std::move(info));
    return Tagged("CREATE TYPE");
  }
  storage::TypeDefInfo info = NewTypeDef(s.name, 'e');
  for (const std::string& l : s.labels) CheckEnumLabel(l);
  for (size_t i = 0; i < s.labels.size(); ++i) {
    info.labels.push_back({static_cast<double>(i + 1), s.labels[i]});
  }
  auto created = engine_->catalog()->CreateType(CatalogStatementTxn(), std::move(info));
  std::set<std::string> seen;
  for (const std::string& l : s.labels) {
    if (!seen.insert(l).second) {  // pg_enum's unique index on (enumtypid, enumlabel)
      throw Error(SqlState::kUniqueViolation,
                  "duplicate key value violates unique constraint \"pg_enum_typid_label_index\"")
          .Detail(
              fmt::format("Key (enumtypid, enumlabel)=({}, {}) already exists.", created->oid, l));
    }
  }
  return Tagged("CREATE TYPE");
}

QueryResult SessionImpl::AlterType(const ast::AlterTypeStatement& s) {
  using A = ast::AlterTypeStatement::Action;
  auto found = FindTypeDef(s.name);
  if (found == nullptr) {
    TypeId builtin;
    if (LookupTypeName(s.name.name(), &builtin) && s.action != A::kRename) {
      Throw(SqlState::kWrongObjectType, "{} is not an enum", TypeName(Type::Of(builtin)));
    }
    Throw(SqlState::kUndefinedObject, "type \"{}\" does not exist", s.name.name());
  }
  storage::TypeDefInfo next = *found;
  switch (s.action) {
    case A::kAddValue: {
      if (!found->is_enum()) Throw(SqlState::kWrongObjectType, "{} is not an enum", found->name);
      CheckEnumLabel(s.value);
      if (FindLabel(*found, s.value) != nullptr) {
        if (s.if_not_exists) {
          pending_notices_.push_back(
              Notice{"NOTICE", "42710",
                     fmt::format("enum label \"{}\" already exists, skipping", s.value)});
          return Tagged("ALTER TYPE");
        }
        Throw(SqlState::kDuplicateObject, "enum label \"{}\" already exists", s.value);
      }
      std::vector<EnumLabel>& labels = next.labels;
      double order;
      if (!s.neighbor) {
        order = labels.empty() ? 1 : labels.back().sort_order + 1;
      } else {
        auto it = std::find_if(labels.begin(), labels.end(),
                               [&](const EnumLabel& l) { return l.label == *s.neighbor; });
        if (it == labels.end()) {
          Throw(SqlState::kInvalidParameterValue, "\"{}\" is not an existing enum label",
                *s.neighbor);
        }
        double here = it->sort_order;
        if (s.before) {
          order = it == labels.begin() ? here - 1 : (std::prev(it)->sort_order + here) / 2;
        } else {
          order = std::next(it) == labels.end() ? here + 1 : (here + std::next(it)->sort_order) / 2;
        }
        // PostgreSQL renumbers the labels when the midpoint cannot be represented; a stored
        // value is its sort order here, so renumbering would rewrite every value of the type.
        if ((s.before &&
             (order == here || (it != labels.begin() && order == std::prev(it)->sort_order))) ||
            (!s.before && (order == here || (std::next(it) != labels.end() &&
                                             order == std::next(it)->sort_order)))) {
          Throw(SqlState::kFeatureNotSupported,
                "cannot add enum label \"{}\" {} \"{}\": the sort orders between them are "
                "exhausted (renumbering enum labels is not supported)",
                s.value, s.before ? "before" : "after", *s.neighbor);
        }
      }
      EnumLabel added{order, s.value};
      labels.insert(std::upper_bound(labels.begin(), labels.end(), added,
                                     [](const EnumLabel& a, const EnumLabel& b) {
                                       return a.sort_order < b.sort_order;
                                     }),
                    added);
      break;
    }
    case A::kRenameValue: {
      if (!found->is_enum()) Throw(SqlState::kWrongObjectType, "{} is not an enum", found->name);
      CheckEnumLabel(s.new_name);
      auto it = std::find_if(next.labels.begin(), next.labels.end(),
                             [&](const EnumLabel& l) { return l.label == s.value; });
      if (it == next.labels.end()) {
        Throw(SqlState::kInvalidParameterValue, "\"{}\" is not an existing enum label", s.value);
      }
      if (FindLabel(*found, s.new_name) != nullptr) {
        Throw(SqlState::kDuplicateObject, "enum label \"{}\" already exists", s.new_name);
      }
      it->label = s.new_name;
      break;
    }
    case A::kRename: {
      auto snap = CatalogView();
      if (snap->FindType(db_.oid, found->schema, s.new_name) ||
          snap->FindTable(db_.oid, found->schema, s.new_name)) {
        ThrowTypeExists(s.new_name);
      }
      next.name = s.new_name;
      break;
    }
  }
  engine_->catalog()->UpdateType(CatalogStatementTxn(), std::move(next));
  return Tagged("ALTER TYPE");
}

QueryResult SessionImpl::DropTypes(const ast::DropStatement& s) {
  const bool domain = s.object_kind == ast::ObjectKind::kDomain;
  const char* tag = domain ? "DROP DOMAIN" : "DROP TYPE";
  // Check every name first, as PostgreSQL does.
  std::vector<std::shared_ptr<const storage::TypeDefInfo>> targets;
  for (const auto& n : s.names) {
    auto t = FindTypeDef(n);
    if (t == nullptr) {
      TypeId builtin;
      if (n.parts.size() == 1 && LookupTypeName(n.name(), &builtin)) {
        if (domain) Throw(SqlState::kWrongObjectType, "\"{}\" is not a domain", n.name());
        Throw(SqlState::kUndefinedObjectDependent,
              "cannot drop type {} because it is required by the database system",
              TypeName(Type::Of(builtin)));
      }
      if (DropSchemaMissing(n, s.if_exists)) continue;
      // TypeNameToString: the name as written.
      std::string written;
      for (const std::string& p : n.parts) written += (written.empty() ? "" : ".") + p;
      if (s.if_exists) {
        pending_notices_.push_back(Notice{
            "NOTICE", "00000", fmt::format("type \"{}\" does not exist, skipping", written)});
        continue;
      }
      Throw(SqlState::kUndefinedObject, "type \"{}\" does not exist", written);
    }
    if (domain && !t->is_domain()) {
      Throw(SqlState::kWrongObjectType, "\"{}\" is not a domain", n.name());
    }
    targets.push_back(t);
  }
  // What depends on them (domains, columns, functions) as PostgreSQL's dependency walk
  // (executor/dependencies.h).
  std::vector<DependencyObject> originals;
  for (const auto& t : targets) originals.push_back({DependencyObject::kType, t->oid, 0});
  if (!originals.empty()) DropObjects(originals, s.cascade);
  return Tagged(tag);
}

namespace {

// A one-column table whose column "value" has the domain's base type: what a domain CHECK is
// bound against.
std::shared_ptr<storage::TableInfo> DomainShape(const storage::TypeDefInfo& d) {
  auto shape = std::make_shared<storage::TableInfo>();
  shape->name = d.name;
  storage::ColumnInfo col;
  col.name = "value";
  col.type = d.base;
  shape->columns.push_back(col);
  return shape;
}

// PostgreSQL's ChooseConstraintName for a domain: <domain>_check, then <domain>_check1, ...
std::string DomainCheckConstraintName(const storage::TypeDefInfo& d) {
  auto taken = [&](const std::string& n) {
    return std::any_of(d.checks.begin(), d.checks.end(),
                       [&](const storage::CheckConstraintInfo& c) { return c.name == n; });
  };
  std::string name = MakeObjectName(d.name, "", "check");
  for (int pass = 1; taken(name); ++pass) {
    name = MakeObjectName(d.name, "", "check" + std::to_string(pass));
  }
  return name;
}

}  // namespace

// Binds a CHECK of domain `d` (validating it as PostgreSQL's domainAddConstraint: 42703 for a
// column other than VALUE, 42804 if not boolean, 0A000 for a subquery) and adds it to d.
void SessionImpl::AddDomainCheck(storage::TypeDefInfo* d, const ast::DomainConstraint& c) {
  planner::PlannerContext pctx = MakePlannerContext();
  planner::BindCheckExpr(DomainShape(*d), *c.expr, pctx);
  storage::CheckConstraintInfo ci;
  if (c.name) {
    for (const auto& existing : d->checks) {
      if (existing.name == *c.name) {
        Throw(SqlState::kDuplicateObject, "constraint \"{}\" for domain \"{}\" already exists",
              *c.name, d->name);
      }
    }
    ci.name = *c.name;
  } else {
    ci.name = DomainCheckConstraintName(*d);
  }
  ci.expr = DeparseExpr(*c.expr);
  d->checks.push_back(std::move(ci));
}

// The columns that hold values of domain `d` (directly or through a domain over it): (schema,
// table, column).
std::vector<std::tuple<std::string, std::string, std::string>> SessionImpl::DomainColumns(
    const storage::TypeDefInfo& d) {
  auto snap = CatalogView();
  std::vector<std::tuple<std::string, std::string, std::string>> out;
  for (const auto& [key, table] : snap->tables) {
    if (std::get<0>(key) != db_.oid || table->is_view || table->is_sequence()) continue;
    for (const storage::ColumnInfo& c : table->columns) {
      if (c.domain == 0) continue;
      auto chain = planner::DomainChain(*snap, c.domain);
      if (std::any_of(chain.begin(), chain.end(), [&](const auto& x) { return x->oid == d.oid; })) {
        out.emplace_back(table->schema, table->name, c.name);
      }
    }
  }
  return out;
}

// 23514 if a stored value of domain `d` fails `check` (SQL text over VALUE).
void SessionImpl::ValidateDomainCheck(const storage::TypeDefInfo& d, const std::string& check) {
  for (const auto& [schema, table, column] : DomainColumns(d)) {
    std::string sql = fmt::format(
        "SELECT 1 FROM (SELECT {} AS value FROM ONLY {}.{}) AS domain_check WHERE NOT ({}) LIMIT 1",
        QuoteIdent(column), QuoteIdent(schema), QuoteIdent(table), check);
    if (!RunInternalQuery(sql, StatementTxn()).empty()) {
      Error err(SqlState::kCheckViolation,
                fmt::format("column \"{}\" of table \"{}\" contains values that violate the new "
                            "constraint",
                            column, table));
      err.schema = schema;
      err.table = table;
      throw err;
    }
  }
}

QueryResult SessionImpl::CreateDomain(const ast::CreateDomainStatement& s) {
  storage::TypeDefInfo info = NewTypeDef(s.name, 'd');
  planner::PlannerContext pctx = MakePlannerContext();
  info.base = planner::ResolveTypeName(s.type, &pctx, &info.parent_domain);
  bool saw_null = false, saw_not_null = false, saw_default = false;
  for (const ast::DomainConstraint& c : s.constraints) {
    switch (c.kind) {
      case ast::DomainConstraint::Kind::kNotNull:
      case ast::DomainConstraint::Kind::kNull: {
        const bool nn = c.kind == ast::DomainConstraint::Kind::kNotNull;
        if ((nn && saw_null) || (!nn && saw_not_null)) {
          Error e(SqlState::kSyntaxError, "conflicting NULL/NOT NULL constraints");
          if (c.location >= 0) e.Position(c.location + 1);
          throw e;
        }
        (nn ? saw_not_null : saw_null) = true;
        info.not_null = info.not_null || nn;
        break;
      }
      case ast::DomainConstraint::Kind::kDefault: {
        if (saw_default) {
          Error e(SqlState::kSyntaxError, "multiple default expressions");
          if (c.location >= 0) e.Position(c.location + 1);
          throw e;
        }
        saw_default = true;
        std::vector<uint32_t> sequences;
        info.default_sql = DeparseDefault(*c.expr, &sequences);
        break;
      }
      case ast::DomainConstraint::Kind::kCheck:
        break;  // below, in order, once the base type is known
    }
  }
  for (const ast::DomainConstraint& c : s.constraints) {
    if (c.kind == ast::DomainConstraint::Kind::kCheck) AddDomainCheck(&info, c);
  }
  engine_->catalog()->CreateType(CatalogStatementTxn(), std::move(info));
  return Tagged("CREATE DOMAIN");
}

QueryResult SessionImpl::AlterDomain(const ast::AlterDomainStatement& s) {
  using A = ast::AlterDomainStatement::Action;
  auto found = FindTypeDef(s.name);
  if (found == nullptr) {
    TypeId builtin;
    if (s.name.parts.size() == 1 && LookupTypeName(s.name.name(), &builtin)) {
      Throw(SqlState::kWrongObjectType, "{} is not a domain", TypeName(Type::Of(builtin)));
    }
    Throw(SqlState::kUndefinedObject, "type \"{}\" does not exist", s.name.name());
  }
  if (!found->is_domain()) Throw(SqlState::kWrongObjectType, "{} is not a domain", found->name);
  storage::TypeDefInfo next = *found;
  auto find_check = [&](const std::string& name) {
    return std::find_if(next.checks.begin(), next.checks.end(),
                        [&](const storage::CheckConstraintInfo& c) { return c.name == name; });
  };
  switch (s.action) {
    case A::kSetDefault: {
      std::vector<uint32_t> sequences;
      next.default_sql = DeparseDefault(*s.constraint.expr, &sequences);
      break;
    }
    case A::kDropDefault:
      next.default_sql.reset();
      break;
    case A::kSetNotNull:
      if (found->not_null) return Tagged("ALTER DOMAIN");
      for (const auto& [schema, table, column] : DomainColumns(*found)) {
        std::string sql = fmt::format("SELECT 1 FROM ONLY {}.{} WHERE {} IS NULL LIMIT 1",
                                      QuoteIdent(schema), QuoteIdent(table), QuoteIdent(column));
        if (!RunInternalQuery(sql, StatementTxn()).empty()) {
          Error err(
              SqlState::kNotNullViolation,
              fmt::format("column \"{}\" of table \"{}\" contains null values", column, table));
          err.schema = schema;
          err.table = table;
          throw err;
        }
      }
      next.not_null = true;
      break;
    case A::kDropNotNull:
      next.not_null = false;
      break;
    case A::kAddConstraint: {
      const ast::DomainConstraint& c = s.constraint;
      if (c.kind == ast::DomainConstraint::Kind::kNull) {
        Error e(SqlState::kSyntaxError, "NULL constraints are not supported on domains");
        if (c.location >= 0) e.Position(c.location + 1);
        throw e;
      }
      if (c.kind == ast::DomainConstraint::Kind::kNotNull) {
        if (s.not_valid) Throw(SqlState::kFeatureNotSupported, "NOT VALID is not supported here");
        ast::AlterDomainStatement set;
        set.name = s.name;
        set.action = A::kSetNotNull;
        return AlterDomain(set);
      }
      AddDomainCheck(&next, c);
      if (s.not_valid) {
        next.not_valid_checks.push_back(next.checks.back().name);
      } else {
        ValidateDomainCheck(*found, next.checks.back().expr);
      }
      break;
    }
    case A::kDropConstraint: {
      auto it = find_check(s.constraint_name);
      if (it == next.checks.end()) {
        std::string msg = fmt::format("constraint \"{}\" of domain \"{}\" does not exist",
                                      s.constraint_name, found->name);
        if (s.if_exists) {
          pending_notices_.push_back(Notice{"NOTICE", "00000", msg + ", skipping"});
          return Tagged("ALTER DOMAIN");
        }
        throw Error(SqlState::kUndefinedObject, msg);
      }
      std::erase(next.not_valid_checks, it->name);
      next.checks.erase(it);
      break;
    }
    case A::kValidateConstraint: {
      auto it = find_check(s.constraint_name);
      if (it == next.checks.end()) {
        Throw(SqlState::kUndefinedObject, "constraint \"{}\" of domain \"{}\" does not exist",
              s.constraint_name, found->name);
      }
      ValidateDomainCheck(*found, it->expr);
      std::erase(next.not_valid_checks, it->name);
      break;
    }
    case A::kRenameConstraint: {
      auto it = find_check(s.constraint_name);
      if (it == next.checks.end()) {
        Throw(SqlState::kUndefinedObject, "constraint \"{}\" for domain \"{}\" does not exist",
              s.constraint_name, found->name);
      }
      if (find_check(s.new_name) != next.checks.end()) {
        Throw(SqlState::kDuplicateObject, "constraint \"{}\" for domain \"{}\" already exists",
              s.new_name, found->name);
      }
      for (std::string& n : next.not_valid_checks) {
        if (n == it->name) n = s.new_name;
      }
      it->name = s.new_name;
      break;
    }
    case A::kRename: {
      auto snap = CatalogView();
      if (snap->FindType(db_.oid, found->schema, s.new_name) ||
          snap->FindTable(db_.oid, found->schema, s.new_name)) {
        ThrowTypeExists(s.new_name);
      }
      next.name = s.new_name;
      break;
    }
  }
  engine_->catalog()->UpdateType(CatalogStatementTxn(), std::move(next));
  return Tagged("ALTER DOMAIN");
}

}  // namespace activestore::executor
