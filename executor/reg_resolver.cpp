#include "executor/reg_resolver.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/builtin_catalog.h"
#include "common/error.h"
#include "common/type_registry.h"
#include "parser/literals.h"
#include "parser/parser.h"
#include "planner/pg_catalog/system_relation.h"
#include "planner/planner.h"
#include "planner/sql_quote.h"

namespace activestore::executor {
namespace {

namespace pgc = planner::pg_catalog;
using planner::QuoteSqlIdentifier;

}  // namespace

CatalogRegResolver::CatalogRegResolver(std::shared_ptr<const storage::CatalogSnapshot> catalog,
                                       storage::Oid database, std::vector<std::string> search_path,
                                       std::string implicit_temp_schema, std::string temp_schema)
    : catalog_(std::move(catalog)),
      database_(database),
      search_path_(std::move(search_path)),
      temp_schema_(std::move(temp_schema)) {
  // PostgreSQL's namespace search path: the implicit temporary schema, pg_catalog unless
  // search_path lists it, then search_path.
  const bool listed =
      std::find(search_path_.begin(), search_path_.end(), "pg_catalog") != search_path_.end();
  size_t i = 0;
  if (!implicit_temp_schema.empty() && !search_path_.empty() &&
      search_path_.front() == implicit_temp_schema) {
    path_.push_back(search_path_.front());
    i = 1;
  }
  if (!listed) path_.push_back("pg_catalog");
  for (; i < search_path_.size(); ++i) path_.push_back(search_path_[i]);
}

uint32_t CatalogRegResolver::RelationIn(const std::string& schema, const std::string& name) const {
  if (schema == "pg_catalog") {
    const pgc::SystemRelation* sys = pgc::FindSystemRelation(name);
    return sys == nullptr ? 0 : sys->oid;
  }
  if (auto t = catalog_->FindTable(database_, schema, name)) return t->oid;
  if (auto ty = catalog_->FindType(database_, schema, name); ty != nullptr && ty->is_composite()) {
    return ty->relation_oid;  // a composite type's relation (relkind 'c')
  }
  if (auto t = catalog_->FindIndexOwner(database_, schema, name)) {
    if (!t->primary_key.empty() && t->PrimaryKeyName() == name) return t->pkey_index_oid;
    for (const storage::IndexInfo& i : t->indexes) {
      if (i.name == name) return i.oid;
    }
  }
  return 0;
}

bool CatalogRegResolver::RelationByOid(uint32_t oid, std::string* schema, std::string* name) const {
  if (oid == 0) return false;
  if (const pgc::SystemRelation* sys = pgc::FindSystemRelationByOid(oid)) {
    *schema = "pg_catalog";
    *name = sys->name;
    return true;
  }
  // The database's relations, their indexes and the composite types' relations by oid, built
  // at the first call: a catalog query calls this once per row (pg_table_is_visible(c.oid)).
  std::call_once(relations_once_, [this] {
    const storage::CatalogSnapshot& cat = *catalog_;
    for (auto it = cat.tables.lower_bound({database_, std::string(), std::string()});
         it != cat.tables.end() && std::get<0>(it->first) == database_; ++it) {
      const storage::TableInfo& t = *it->second;
      relations_.emplace(t.oid, std::pair{t.schema, t.name});
      if (t.pkey_index_oid != 0) {
        relations_.emplace(t.pkey_index_oid, std::pair{t.schema, t.PrimaryKeyName()});
      }
      for (const storage::IndexInfo& i : t.indexes) {
        relations_.emplace(i.oid, std::pair{t.schema, i.name});
      }
    }
    for (const auto& [k, ty] : cat.types) {
      if (ty->database_oid == database_ && ty->is_composite() && ty->relation_oid != 0) {
        relations_.emplace(ty->relation_oid, std::pair{ty->schema, ty->name});
      }
    }
  });
  if (auto it = relations_.find(oid); it != relations_.end()) {
    *schema = it->second.first;
    *name = it->second.second;
    return true;
  }
  if (auto t = catalog_->FindRelationByOid(oid)) {  // another database's
    *schema = t->schema;
    *name = t->name;
    return true;
  }
  return false;
}

std::optional<bool> CatalogRegResolver::RelationVisible(uint32_t oid) const {
  std::string schema, name;
  if (!RelationByOid(oid, &schema, &name)) return std::nullopt;
  for (const std::string& s : path_) {
    if (s == schema) return true;
    if (RelationIn(s, name) != 0) return false;
  }
  return false;
}

bool CatalogRegResolver::UserTypeName(uint32_t oid, std::string* schema, std::string* name,
                                      bool* array) const {
  *array = false;
  const storage::CatalogSnapshot& cat = *catalog_;
  for (const auto& [k, t] : cat.types) {
    if (t->database_oid != database_) continue;
    if (t->oid == oid || t->array_oid == oid) {
      *schema = t->schema, *name = t->name, *array = t->array_oid == oid;
      return true;
    }
  }
  for (auto it = cat.tables.lower_bound({database_, std::string(), std::string()});
       it != cat.tables.end() && std::get<0>(it->first) == database_; ++it) {
    const storage::TableInfo& t = *it->second;
    if (t.row_type_oid == oid || t.row_array_type_oid == oid) {
      *schema = t.schema, *name = t.name, *array = t.row_array_type_oid == oid;
      return true;
    }
  }
  return false;
}

bool CatalogRegResolver::UserTypeVisible(const std::string& schema, const std::string& name) const {
  for (const std::string& s : path_) {
    if (s == schema) return true;
    if (s != "pg_catalog" && (catalog_->FindType(database_, s, name) != nullptr ||
                              catalog_->tables.count({database_, s, name}) != 0)) {
      return false;
    }
  }
  return false;
}

std::optional<bool> CatalogRegResolver::TypeVisible(uint32_t oid) const {
  std::string schema, name;
  bool array = false;
  if (UserTypeName(oid, &schema, &name, &array)) return UserTypeVisible(schema, name);
  if (FindTypeByOid(oid) != nullptr) return true;
  return std::nullopt;
}

std::string CatalogRegResolver::FormatType(uint32_t oid, int32_t wire_typmod) const {
  if (oid == 2249) return "record";  // the pseudo-type of functions returning rows
  if (oid == 0) return "-";          // InvalidOid (a shell operator's result type)
  // A user type (an enum has a run-time registry entry too; user oids start at 16384):
  // qualified when not visible.
  std::string schema, name;
  bool array = false;
  if (oid >= 16384 && UserTypeName(oid, &schema, &name, &array)) {
    std::string out = UserTypeVisible(schema, name)
                          ? QuoteSqlIdentifier(name)
                          : QuoteSqlIdentifier(schema) + "." + QuoteSqlIdentifier(name);
    return array ? out + "[]" : out;
  }
  if (const TypeInfo* t = FindTypeByOid(oid); t != nullptr && t->id != TypeId::kUnknown) {
    const TypeInfo& base = t->elem != 0 ? TypeInfoOf(static_cast<TypeId>(t->elem)) : *t;
    int32_t typmod = wire_typmod >= 0 ? wire_typmod - base.wire_typmod_offset : -1;
    if (typmod < 0) typmod = -1;
    // format_type_extended: bpchar without a typmod is "character" unless a -1 typmod was
    // given (then "bpchar", which does not mean character(1)).
    if (t->id == TypeId::kBpchar && typmod < 0 && wire_typmod == kNoTypmod) return "character";
    return TypeName(Type{t->id, typmod});
  }
  if (oid == static_cast<uint32_t>(TypeId::kUnknown)) return "unknown";
  // PostgreSQL's pseudo-types of built-in signatures (anyelement, internal, "any", ...).
  if (const builtin_catalog::Type* t = builtin_catalog::FindType(oid)) return t->sql_name;
  return "???";
}

std::optional<uint32_t> CatalogRegResolver::LookupRelation(std::string_view text,
                                                           bool missing_ok) const {
  const std::vector<std::string> parts = parser::SplitQualifiedName(text);
  auto missing = [&]() -> std::optional<uint32_t> {
    if (missing_ok) return std::nullopt;
    Throw(SqlState::kUndefinedTable, "relation \"{}\" does not exist", fmt::join(parts, "."));
  };
  if (parts.size() == 1) {
    for (const std::string& s : path_) {
      if (uint32_t oid = RelationIn(s, parts[0])) return oid;
    }
    return missing();
  }
  if (parts.size() > 3) {
    Throw(SqlState::kSyntaxError, "improper relation name (too many dotted names): {}",
          fmt::join(parts, "."));
  }
  if (parts.size() == 3) {
    std::string db;
    for (const auto& [n, info] : catalog_->databases) {
      if (info.oid == database_) db = n;
    }
    if (parts[0] != db) {
      Throw(SqlState::kFeatureNotSupported, "cross-database references are not implemented: {}",
            fmt::join(parts, "."));
    }
  }
  std::string schema = parts[parts.size() - 2];
  if (schema == "pg_temp" && !temp_schema_.empty()) schema = temp_schema_;
  if (catalog_->FindSchema(database_, schema) == nullptr) {
    if (missing_ok) return std::nullopt;
    Throw(SqlState::kInvalidSchemaName, "schema \"{}\" does not exist", schema);
  }
  if (uint32_t oid = RelationIn(schema, parts.back())) return oid;
  return missing();
}

// regtypein's parseTypeString: the text is the type of `SELECT NULL::<text>`.
std::optional<uint32_t> CatalogRegResolver::LookupType(std::string_view text,
                                                       bool missing_ok) const {
  auto invalid = [&]() { Throw(SqlState::kSyntaxError, "invalid type name \"{}\"", text); };
  std::vector<ast::StatementPtr> stmts;
  try {
    stmts = parser::Parse("SELECT NULL::" + std::string(text));
  } catch (const Error&) {
    invalid();
  }
  if (stmts.size() != 1 || stmts[0]->kind != ast::StmtKind::kSelect) invalid();
  const auto& sel = static_cast<const ast::SelectStatement&>(*stmts[0]).select;
  if (!sel || sel->targets.size() != 1 || !sel->from.empty() || !sel->targets[0].expr) invalid();
  const ast::Expr& e = *sel->targets[0].expr;
  if (e.kind != ast::ExprKind::kCast || !e.type || e.args.size() != 1 ||
      e.args[0]->kind != ast::ExprKind::kConstant ||
      e.args[0]->const_kind != ast::ConstKind::kNull) {
    invalid();
  }
  planner::PlannerContext ctx;
  ctx.catalog = catalog_;
  ctx.database = database_;
  ctx.search_path = search_path_;
  ctx.temp_schema = temp_schema_;
  ast::TypeName name = *e.type;
  name.location = -1;
  uint32_t domain = 0;
  Type t;
  try {
    t = planner::ResolveTypeName(name, &ctx, &domain);
  } catch (const Error& err) {
    if (err.state() == SqlState::kUndefinedObject) {
      // PostgreSQL's pseudo-types of built-in signatures (cstring, internal, ...) and their
      // array types, which the type registry lacks: by name, in pg_catalog.
      std::string base = name.name;
      if (base.rfind("pg_catalog.", 0) == 0) base = base.substr(std::string("pg_catalog.").size());
      if (base.find('.') == std::string::npos && name.array_bounds <= 1) {
        const std::string wanted = (name.array_bounds == 0 ? "" : "_") + base;
        for (const builtin_catalog::Type& p : builtin_catalog::Listed().pseudo_types) {
          if (p.name == wanted) return p.oid;
        }
      }
    }
    if (missing_ok && err.state() == SqlState::kUndefinedObject) return std::nullopt;
    throw;
  }
  return domain != 0 ? domain : static_cast<uint32_t>(t.id);
}

std::optional<bool> CatalogRegResolver::FunctionVisible(uint32_t oid) const {
  std::string name;
  std::vector<uint32_t> in;
  if (!FunctionSignature(oid, &name, &in)) return std::nullopt;
  // Visible when no function earlier on the path has the same name and input types.
  for (const std::string& s : path_) {
    for (uint32_t f : FunctionsIn(s, name)) {
      std::string n;
      std::vector<uint32_t> types;
      if (FunctionSignature(f, &n, &types) && types == in) return f == oid;
    }
  }
  return false;
}

bool CatalogRegResolver::FunctionSignature(uint32_t oid, std::string* name,
                                           std::vector<uint32_t>* input_types) const {
  input_types->clear();
  if (const builtin_catalog::Proc* p = builtin_catalog::FindProc(oid)) {
    *name = p->name;
    *input_types = p->argtypes;
    return true;
  }
  auto fn = catalog_->FindFunctionByOid(oid);
  if (fn == nullptr || fn->database_oid != database_) return false;
  *name = fn->name;
  for (const storage::FunctionParam& p : fn->params) {
    if (p.is_input())
      input_types->push_back(p.domain != 0 ? p.domain : planner::pg_catalog::TypeOidOf(p.type));
  }
  return true;
}

std::vector<uint32_t> CatalogRegResolver::FunctionsIn(const std::string& schema,
                                                      const std::string& name) const {
  std::vector<uint32_t> out;
  if (schema == "pg_catalog") out = builtin_catalog::ProcOidsNamed(name);
  for (const auto& f : catalog_->FindFunctions(database_, schema, name)) out.push_back(f->oid);
  return out;
}

std::optional<uint32_t> CatalogRegResolver::LookupFunction(TypeId type, std::string_view text,
                                                           bool missing_ok) const {
  std::string_view name_part = text;
  std::vector<std::string> arg_texts;
  const bool with_args = type == kRegProcedureType;
  if (with_args) {
    size_t open = text.find('(');
    if (open == std::string_view::npos || text.back() != ')') {
      Throw(SqlState::kInvalidTextRepresentation, "expected a left parenthesis");
    }
    name_part = text.substr(0, open);
    std::string_view inner = text.substr(open + 1, text.size() - open - 2);
    int depth = 0;
    std::string cur;
    for (char c : inner) {
      if (c == '(') ++depth;
      if (c == ')') --depth;
      if (c == ',' && depth == 0) {
        arg_texts.push_back(cur);
        cur.clear();
        continue;
      }
      cur += c;
    }
    if (!std::all_of(cur.begin(), cur.end(), [](char c) { return c == ' '; }) ||
        !arg_texts.empty()) {
      arg_texts.push_back(cur);
    }
  }
  const std::vector<std::string> parts = parser::SplitQualifiedName(name_part);
  if (parts.empty() || parts.size() > 2) Throw(SqlState::kInvalidName, "invalid name syntax");
  std::vector<std::string> schemas;
  if (parts.size() == 2) {
    schemas.push_back(parts[0] == "pg_temp" && !temp_schema_.empty() ? temp_schema_ : parts[0]);
  } else {
    schemas = path_;
  }
  std::vector<uint32_t> found;
  for (const std::string& s : schemas) {
    for (uint32_t f : FunctionsIn(s, parts.back())) found.push_back(f);
  }
  if (!with_args) {
    if (found.size() > 1) {
      Throw(SqlState::kAmbiguousFunction, "more than one function named \"{}\"",
            std::string(name_part));
    }
    if (!found.empty()) return found[0];
    if (missing_ok) return std::nullopt;
    Throw(SqlState::kUndefinedFunction, "function \"{}\" does not exist", std::string(name_part));
  }
  std::vector<uint32_t> types;
  for (const std::string& a : arg_texts) types.push_back(*LookupType(a, false));
  for (uint32_t f : found) {
    std::string n;
    std::vector<uint32_t> in;
    if (FunctionSignature(f, &n, &in) && in == types) return f;
  }
  if (missing_ok) return std::nullopt;
  Throw(SqlState::kUndefinedFunction, "function \"{}\" does not exist", std::string(text));
}

std::optional<std::string> CatalogRegResolver::FunctionName(TypeId type, uint32_t oid) const {
  std::string name;
  std::vector<uint32_t> in;
  if (!FunctionSignature(oid, &name, &in)) return std::nullopt;
  auto fn = catalog_->FindFunctionByOid(oid);
  const std::string qualified =
      QuoteSqlIdentifier(fn != nullptr ? fn->schema : std::string("pg_catalog")) + "." +
      QuoteSqlIdentifier(name);
  if (type == kRegProcType) {
    // regprocout: unqualified only when the name alone finds this function and no other.
    std::vector<uint32_t> candidates;
    for (const std::string& s : path_) {
      for (uint32_t f : FunctionsIn(s, name)) candidates.push_back(f);
    }
    return candidates.size() == 1 && candidates[0] == oid ? QuoteSqlIdentifier(name) : qualified;
  }
  std::string out = FunctionVisible(oid).value_or(false) ? QuoteSqlIdentifier(name) : qualified;
  out += "(";
  bool first = true;
  for (uint32_t t : in) {
    if (!first) out += ",";
    first = false;
    out += FormatType(t, kNoTypmod);
  }
  return out + ")";
}

std::optional<uint32_t> CatalogRegResolver::Lookup(TypeId type, std::string_view text,
                                                   bool missing_ok) const {
  if (type == kRegClassType) return LookupRelation(text, missing_ok);
  if (type == kRegProcType || type == kRegProcedureType) {
    return LookupFunction(type, text, missing_ok);
  }
  if (type == kRegTypeType) return LookupType(text, missing_ok);
  const std::vector<std::string> parts = parser::SplitQualifiedName(text);
  if (parts.size() != 1) Throw(SqlState::kInvalidName, "invalid name syntax");
  if (type == kRegNamespaceType) {
    const std::string& n = parts[0] == "pg_temp" && !temp_schema_.empty() ? temp_schema_ : parts[0];
    if (const storage::SchemaInfo* s = catalog_->FindSchema(database_, n)) return s->oid;
    if (missing_ok) return std::nullopt;
    Throw(SqlState::kInvalidSchemaName, "schema \"{}\" does not exist", parts[0]);
  }
  if (const storage::RoleInfo* r = catalog_->FindRole(parts[0])) return r->oid;
  if (missing_ok) return std::nullopt;
  Throw(SqlState::kUndefinedObject, "role \"{}\" does not exist", parts[0]);
}

std::optional<std::string> CatalogRegResolver::Name(TypeId type, uint32_t oid) const {
  if (type == kRegProcType || type == kRegProcedureType) return FunctionName(type, oid);
  if (type == kRegClassType) {
    std::string schema, name;
    if (!RelationByOid(oid, &schema, &name)) return std::nullopt;
    if (RelationVisible(oid).value_or(false)) return QuoteSqlIdentifier(name);
    return QuoteSqlIdentifier(schema) + "." + QuoteSqlIdentifier(name);
  }
  if (type == kRegTypeType) {
    std::string s = FormatType(oid, kNoTypmod);
    if (s == "???") return std::nullopt;
    return s;
  }
  if (type == kRegNamespaceType) {
    for (const auto& [k, s] : catalog_->schemas) {
      if (s.database_oid == database_ && s.oid == oid) return QuoteSqlIdentifier(s.name);
    }
    return std::nullopt;
  }
  if (const storage::RoleInfo* r = catalog_->FindRoleByOid(oid)) return QuoteSqlIdentifier(r->name);
  return std::nullopt;
}

}  // namespace activestore::executor
