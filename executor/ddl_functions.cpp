// CREATE [OR REPLACE] FUNCTION | PROCEDURE (LANGUAGE sql), DROP and ALTER FUNCTION | PROCEDURE,
// CALL: PostgreSQL 15's checks and messages (CreateFunction / ProcedureCreate, RemoveObjects,
// AlterFunction, ExecuteCallStmt). The function is a catalog row (storage::FunctionInfo), so
// all of it is transactional.
#include <algorithm>
#include <set>

#include "common/cstring_type.h"
#include "common/error.h"
#include "common/type_registry.h"
#include "executor/continuous_aggs.h"
#include "executor/expression_evaluator.h"
#include "executor/plpgsql.h"
#include "executor/session.h"
#include "executor/user_functions.h"
#include "parser/ast_function.h"
#include "parser/parser.h"
#include "planner/binder.h"
#include "planner/polymorphic.h"
#include "planner/user_functions.h"
#include "storage/acl.h"

namespace activestore::executor {

using storage::Oid;

namespace {

constexpr TypeId kRecordType = TypeId{2249};

const char* RoutineWord(bool procedure) { return procedure ? "procedure" : "function"; }

std::string ArgList(const std::vector<Type>& types) {
  std::string out;
  for (const Type& t : types) {
    // A domain has no registry entry: its oid stands in for the name.
    const bool known =
        FindTypeByOid(static_cast<uint32_t>(t.id)) != nullptr || IsPolymorphicType(t.id);
    out += (out.empty() ? "" : ", ") +
           (known ? TypeName(Type::Of(t.id)) : std::to_string(static_cast<uint32_t>(t.id)));
  }
  return out;
}

}  // namespace

// The type of a parameter or result as written: built-in and user types through the planner;
// `record` and `void`; a table's row type (*relation set for a result).
Type SessionImpl::RoutineType(const ast::TypeName& name, uint32_t* domain, Oid* relation) {
  if (name.array_bounds == 0 && name.modifiers.empty()) {
    if (name.name == "record") return Type::Of(kRecordType);
    if (name.name == "void") return Type::Of(TypeId::kVoid);
    // The polymorphic pseudo-types (planner/polymorphic.h); the range families need range
    // types, which ActiveStore does not have.
    static const std::pair<const char*, TypeId> kPolymorphic[] = {
        {"anyelement", kAnyElementType},
        {"anyarray", kAnyArrayType},
        {"anynonarray", kAnyNonArrayType},
        {"anyenum", kAnyEnumType},
        {"anycompatible", kAnyCompatibleType},
        {"anycompatiblearray", kAnyCompatibleArrayType},
        {"anycompatiblenonarray", kAnyCompatibleNonArrayType}};
    for (const auto& [poly, id] : kPolymorphic) {
      if (name.name == poly) return Type::Of(id);
    }
    if (name.name == "trigger" || name.name == "event_trigger" || name.name == "internal" ||
        name.name == "any" || name.name == "anyrange" || name.name == "anymultirange" ||
        name.name == "anycompatiblerange" || name.name == "anycompatiblemultirange") {
      Throw(SqlState::kFeatureNotSupported, "SQL functions of type {} are not supported",
            name.name);
    }
  }
  planner::PlannerContext pctx = MakePlannerContext();
  pctx.allow_shell_types = true;  // a shell's I/O functions are made before the type
  try {
    Type t = planner::ResolveTypeName(name, &pctx, domain);
    if (static_cast<uint32_t>(t.id) >= 16384 && *domain == 0 && name.array_bounds == 0) {
      // A relation's row type: the result of RETURNS [SETOF] table.
      for (const auto& [key, rel] : pctx.catalog->tables) {
        if (rel->row_type_oid != static_cast<uint32_t>(t.id)) continue;
        // A parameter of a row type takes the row as one composite value.
        if (relation != nullptr) *relation = rel->oid;
        return t;
      }
    }
    return t;
  } catch (const Error& e) {
    if (e.state() != SqlState::kUndefinedObject || relation == nullptr || name.array_bounds != 0) {
      throw;
    }
    ast::QualifiedName q;
    size_t start = 0;
    while (true) {
      size_t dot = name.name.find('.', start);
      q.parts.push_back(name.name.substr(start, dot - start));
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    auto t = FindTable(q);
    if (t == nullptr || t->is_sequence()) throw;
    *relation = t->oid;
    return Type::Of(static_cast<TypeId>(t->row_type_oid));
  }
}

QueryResult SessionImpl::CreateFunction(const ast::CreateFunctionStatement& s) {
  const char* what = RoutineWord(s.procedure);
  storage::FunctionInfo info;
  info.database_oid = db_.oid;
  info.schema = CreationSchema(s.name);
  info.name = s.name.name();
  info.kind = s.procedure ? 'p' : (s.options.window ? 'w' : 'f');
  // Language.
  std::string language = s.options.language.value_or(s.sql_body ? "sql" : "");
  if (language.empty()) {
    Throw(SqlState::kInvalidFunctionDefinition, "no language specified");
  }
  if (language == "c") {
    Throw(SqlState::kFeatureNotSupported, "language \"{}\" is not supported", language);
  }
  const bool internal = language == "internal";  // a built-in function (ddl_base_types.cpp)
  if (language != "sql" && language != "plpgsql" && !internal) {
    Throw(SqlState::kUndefinedObject, "language \"{}\" does not exist", language);
  }
  const bool plpgsql = language == "plpgsql";
  info.language = language;
  if (plpgsql && s.sql_body) {
    Throw(SqlState::kInvalidFunctionDefinition,
          "inline SQL function body only valid for language SQL");
  }
  if (s.procedure &&
      (s.options.window || s.options.volatility || s.options.strict || s.options.leakproof ||
       s.options.parallel || s.options.cost || s.options.rows)) {
    Throw(SqlState::kInvalidFunctionDefinition, "invalid attribute in procedure definition");
  }
  if (s.procedure && s.has_returns) {
    Throw(SqlState::kSyntaxError, "syntax error at or near \"RETURNS\"");
  }
  // The SQL-standard body is parsed now, so its parameters must have their final types.
  if (s.sql_body) {
    auto polymorphic = [](const ast::TypeName& t) {
      static const std::set<std::string> kPolymorphic = {"anyelement",
                                                         "anyarray",
                                                         "anynonarray",
                                                         "anyenum",
                                                         "anyrange",
                                                         "anymultirange",
                                                         "anycompatible",
                                                         "anycompatiblearray",
                                                         "anycompatiblenonarray",
                                                         "anycompatiblerange",
                                                         "anycompatiblemultirange"};
      return kPolymorphic.count(t.name) > 0;
    };
    bool poly = s.has_returns && polymorphic(s.return_type);
    for (const ast::RoutineParam& p : s.params) poly = poly || polymorphic(p.type);
    if (poly) {
      Throw(SqlState::kInvalidFunctionDefinition,
            "SQL function with unquoted function body cannot have polymorphic arguments");
    }
  }
  // Parameters.
  bool seen_default = false;
  std::set<std::string> names;
  int outputs = 0;
  for (const ast::RoutineParam& p : s.params) {
    storage::FunctionParam fp;
    fp.name = p.name;
    fp.mode = p.mode;
    fp.type = RoutineType(p.type, &fp.domain, nullptr);
    if (fp.type.id == TypeId::kVoid && p.mode != 't') {
      Throw(SqlState::kInvalidFunctionDefinition, "{} functions cannot have arguments of type void",
            plpgsql ? "PL/pgSQL" : "SQL");
    }
    if (fp.type.id == kRecordType) {
      Throw(SqlState::kFeatureNotSupported, "parameters of type record are not supported");
    }
    if (p.mode == 'v') {
      Throw(SqlState::kFeatureNotSupported, "VARIADIC parameters are not supported yet");
    }
    if (s.procedure && (p.mode == 'o' || p.mode == 'b')) {
      Throw(SqlState::kFeatureNotSupported,
            "procedures with output parameters are not supported yet");
    }
    if (fp.is_output()) ++outputs;
    if (!p.name.empty() && fp.mode != 't') {
      // Input and output parameters may share a name only with each other's mode differing.
      for (const storage::FunctionParam& q : info.params) {
        if (q.name != p.name) continue;
        if ((q.is_input() && fp.is_input()) || (q.is_output() && fp.is_output())) {
          Throw(SqlState::kInvalidFunctionDefinition, "parameter name \"{}\" used more than once",
                p.name);
        }
      }
    }
    if (p.default_sql) {
      if (!fp.is_input()) {
        Throw(SqlState::kInvalidFunctionDefinition,
              "only input parameters can have default values");
      }
      // The default must be an expression without columns of the parameter's type.
      auto query = planner::ParseSelect("SELECT " + *p.default_sql);
      const ast::Expr& d = *query->targets.at(0).expr;
      if (planner::FindSubquery(d) != nullptr) {
        Throw(SqlState::kFeatureNotSupported, "cannot use subquery in DEFAULT expression");
      }
      planner::PlannerContext pctx = MakePlannerContext();
      planner::Binder b(&pctx, nullptr, nullptr);
      b.set_clause(planner::Clause::kDefault);
      planner::BoundExprPtr bound = b.BindExpr(d);
      // A polymorphic parameter takes its default as it is (coerce_type to a pseudo-type);
      // the call resolves its type with the arguments'.
      if (!IsPolymorphicType(fp.type.id)) {
        b.Coerce(bound, fp.type, planner::CoercionContext::kAssignment, d.location);
      }
      fp.default_sql = p.default_sql;
      seen_default = true;
    } else if (fp.is_input() && seen_default) {
      Throw(SqlState::kInvalidFunctionDefinition,
            "input parameters after one with a default value must also have defaults");
    }
    info.params.push_back(std::move(fp));
  }
  // Result.
  if (s.procedure) {
    info.return_type = Type::Of(TypeId::kVoid);
  } else if (s.returns_table) {
    int cols = 0;
    for (const storage::FunctionParam& p : info.params) cols += p.mode == 't' ? 1 : 0;
    info.returns_set = true;
    info.return_type = Type::Of(kRecordType);
    if (cols == 1) {
      for (const storage::FunctionParam& p : info.params) {
        if (p.mode == 't') info.return_type = p.type;
      }
    }
  } else if (!s.has_returns) {
    if (outputs == 0) {
      Throw(SqlState::kInvalidFunctionDefinition, "function result type must be specified");
    }
    info.return_type = Type::Of(kRecordType);
    if (outputs == 1) info.return_type = planner::FunctionScalarResult(info);
  } else {
    uint32_t domain = 0;
    const bool pseudo = s.return_type.array_bounds == 0 && s.return_type.modifiers.empty();
    if (plpgsql && pseudo && s.return_type.name == "event_trigger") {
      Throw(SqlState::kFeatureNotSupported, "event trigger functions are not supported yet");
    }
    if (plpgsql && pseudo && s.return_type.name == "trigger") {
      // PostgreSQL's plpgsql_validator: a trigger function takes its arguments from the
      // trigger (TG_ARGV).
      if (info.InputCount() != 0 || s.returns_set) {
        throw Error(SqlState::kInvalidFunctionDefinition,
                    "trigger functions cannot have declared arguments")
            .Hint(
                "The arguments of the trigger can be accessed through TG_NARGS and TG_ARGV "
                "instead.");
      }
      info.return_type = Type::Of(kTriggerType);
    } else {
      info.return_type = RoutineType(s.return_type, &domain, &info.return_relation);
    }
    info.returns_set = s.returns_set;
    if (outputs == 1) {
      Type out = planner::FunctionScalarResult(info);
      if (out.id != info.return_type.id) {
        Throw(SqlState::kInvalidFunctionDefinition,
              "function result type must be {} because of OUT parameters",
              TypeName(Type::Of(out.id)));
      }
    } else if (outputs > 1 && info.return_type.id != kRecordType) {
      Throw(SqlState::kInvalidFunctionDefinition,
            "function result type must be record because of OUT parameters");
    }
  }
  // Options.
  info.volatility = s.options.volatility.value_or('v');
  info.strict = s.options.strict.value_or(false);
  info.security_definer = s.options.security_definer.value_or(false);
  info.leakproof = s.options.leakproof.value_or(false);
  info.parallel = s.options.parallel.value_or('u');
  info.cost = s.options.cost.value_or(100);
  if (info.cost <= 0) Throw(SqlState::kInvalidParameterValue, "COST must be positive");
  info.rows = s.options.rows.value_or(info.returns_set ? 1000 : 0);
  if (s.options.rows) {
    if (!info.returns_set) {
      Throw(SqlState::kInvalidParameterValue,
            "ROWS is not applicable when function does not return a set");
    }
    if (info.rows <= 0) Throw(SqlState::kInvalidParameterValue, "ROWS must be positive");
  }
  if (info.leakproof && !CurrentIsSuperuser()) {
    Throw(SqlState::kInsufficientPrivilege, "only superuser can define a leakproof function");
  }
  // Body.
  if (s.sql_body) {
    info.body = *s.sql_body;
    info.sql_body = true;
    info.sql_body_statements = s.sql_body_statements;
  } else if (s.as_text) {
    info.body = *s.as_text;
  } else {
    Throw(SqlState::kInvalidFunctionDefinition, "no function body specified");
  }
  // ProcedureCreate's check_valid_polymorphic_signature: a polymorphic result (or OUT
  // parameter) needs an input of its family to decide its type.
  {
    const std::vector<Type> inputs = info.InputTypes();
    std::vector<TypeId> input_ids;
    for (const Type& t : inputs) input_ids.push_back(t.id);
    std::vector<TypeId> results = {info.return_type.id};
    for (const storage::FunctionParam& p : info.params) {
      if (p.is_output() && p.mode != 'b') results.push_back(p.type.id);
    }
    for (TypeId r : results) {
      std::string problem = planner::PolymorphicResultProblem(r, input_ids);
      if (!problem.empty()) {
        throw Error(SqlState::kInvalidFunctionDefinition, "cannot determine result data type")
            .Detail(std::move(problem));
      }
    }
  }
  if (internal) {
    CheckInternalFunction(info);
  } else {
    std::vector<Type> types = info.InputTypes();
    types.push_back(info.return_type);
    for (const Type& t : types) {
      if (t.id == kCstringType) {
        Throw(SqlState::kFeatureNotSupported, "SQL functions of type cstring are not supported");
      }
    }
  }
  ShellTypeChecks(info, language == "sql");
  // OR REPLACE: the function with the same input types, kept with its oid, owner and ACL.
  auto snap = CatalogView();
  std::shared_ptr<const storage::FunctionInfo> old;
  const std::vector<Type> in = info.InputTypes();
  for (const auto& f : snap->FindFunctions(db_.oid, info.schema, info.name)) {
    if (f->InputTypes() == in) old = f;
  }
  if (old != nullptr) {
    if (!s.or_replace) {
      Throw(SqlState::kDuplicateFunction, "function \"{}\" already exists with same argument types",
            info.name);
    }
    if (!CurrentIsSuperuser() &&
        !storage::HasPrivsOfRole(*snap, user_oid_, old->owner, DatabaseOwner())) {
      throw Error(SqlState::kInsufficientPrivilege,
                  fmt::format("must be owner of {} {}", RoutineWord(old->kind == 'p'), old->name));
    }
    if (old->kind != info.kind) {
      throw Error(SqlState::kWrongObjectType, "cannot change routine kind")
          .Detail(fmt::format("\"{}\" is a {}.", old->name, RoutineWord(old->kind == 'p')));
    }
  }
  if (s.options.window) {
    Throw(SqlState::kFeatureNotSupported, "window functions in SQL are not supported");
  }
  if (old != nullptr) {
    std::vector<std::string> old_cols, new_cols;
    std::vector<Type> old_types, new_types;
    planner::FunctionResultColumns(*old, *snap, &old_cols, &old_types);
    planner::FunctionResultColumns(info, *snap, &new_cols, &new_types);
    if (old->return_type.id != info.return_type.id || old->returns_set != info.returns_set ||
        old_types != new_types) {
      throw Error(SqlState::kInvalidFunctionDefinition,
                  "cannot change return type of existing function")
          .Hint(fmt::format("Use DROP {} {}({}) first.", s.procedure ? "PROCEDURE" : "FUNCTION",
                            info.name, ArgList(in)));
    }
    if (old_cols != new_cols) {
      throw Error(SqlState::kInvalidFunctionDefinition,
                  "cannot change return type of existing function")
          .Detail("Row type defined by OUT parameters is different.")
          .Hint(fmt::format("Use DROP {} {}({}) first.", s.procedure ? "PROCEDURE" : "FUNCTION",
                            info.name, ArgList(in)));
    }
    std::vector<const storage::FunctionParam*> old_in, new_in;
    for (const auto& p : old->params) {
      if (p.is_input()) old_in.push_back(&p);
    }
    for (const auto& p : info.params) {
      if (p.is_input()) new_in.push_back(&p);
    }
    for (size_t i = 0; i < old_in.size(); ++i) {
      if (!old_in[i]->name.empty() && old_in[i]->name != new_in[i]->name) {
        throw Error(SqlState::kInvalidFunctionDefinition,
                    fmt::format("cannot change name of input parameter \"{}\"", old_in[i]->name))
            .Hint(fmt::format("Use DROP {} {}({}) first.", s.procedure ? "PROCEDURE" : "FUNCTION",
                              info.name, ArgList(in)));
      }
    }
    if (info.DefaultCount() < old->DefaultCount()) {
      throw Error(SqlState::kInvalidFunctionDefinition,
                  "cannot remove parameter defaults from existing function")
          .Hint(fmt::format("Use DROP {} {}({}) first.", s.procedure ? "PROCEDURE" : "FUNCTION",
                            info.name, ArgList(in)));
    }
  }
  (void)what;
  std::shared_ptr<const storage::FunctionInfo> stored;
  if (old != nullptr) {
    info.oid = old->oid;
    info.owner = old->owner;
    info.acl = old->acl;
    stored = engine_->catalog()->UpdateFunction(CatalogStatementTxn(), std::move(info));
  } else {
    stored = engine_->catalog()->CreateFunction(CatalogStatementTxn(), std::move(info));
  }
  // The body must plan and return what the function declares (check_function_bodies). As in
  // PostgreSQL it is checked with the new definition in place, so that it may call itself; an
  // error fails the statement, whose transaction then drops the definition.
  // With check_function_bodies off (pg_dump's restore scripts set it), a body given as a string
  // is stored unchecked; a SQL-standard body is always bound, as in PostgreSQL.
  if (internal || (!s.sql_body && settings_.Get("check_function_bodies") == "off")) {
    return Tagged(s.procedure ? "CREATE PROCEDURE" : "CREATE FUNCTION");
  }
  planner::PlannerContext pctx = MakePlannerContext();
  try {
    if (plpgsql) {
      // plpgsql_validator: the body parses (its SQL too); names are resolved when it runs.
      CheckPlpgsqlBody(*stored);
    } else if (std::any_of(stored->params.begin(), stored->params.end(),
                           [](const storage::FunctionParam& p) {
                             return p.is_input() && IsPolymorphicType(p.type.id);
                           })) {
      // fmgr_sql_validator with polymorphic arguments: the body only parses; it is planned
      // with the actual types of each call.
      parser::Parse(planner::FunctionBodySql(*stored));
    } else {
      planner::CheckFunctionBody(*stored, pctx);
    }
  } catch (Error& e) {
    // A position in the body is reported in the statement (PostgreSQL's
    // function_parse_error_transpose); other errors name the function.
    if (e.position && s.sql_body) {
      int pos = *e.position - 1;  // in the statements joined by ";\n"
      for (size_t i = 0; i < s.sql_body_statements.size(); ++i) {
        const int len = static_cast<int>(s.sql_body_statements[i].size());
        if (pos <= len) {
          e.position = s.sql_body_offsets[i] + pos + 1;
          break;
        }
        pos -= len + 2;
      }
    } else if (e.position && s.as_body_offset >= 0) {
      e.position = s.as_body_offset + *e.position;
    } else if (!s.sql_body) {
      e.position.reset();
      e.context = fmt::format("{} function \"{}\"", plpgsql ? "compilation of PL/pgSQL" : "SQL",
                              stored->name);
    }
    throw;
  }
  return Tagged(s.procedure ? "CREATE PROCEDURE" : "CREATE FUNCTION");
}

std::shared_ptr<const storage::FunctionInfo> SessionImpl::FindRoutine(
    const ast::RoutineSignature& sig, bool procedure, bool missing_ok) {
  auto snap = CatalogView();
  const ast::QualifiedName& name = sig.name;
  std::vector<std::shared_ptr<const storage::FunctionInfo>> found;
  if (name.parts.size() >= 2) {
    std::string schema = ResolveSchemaName(name.parts[name.parts.size() - 2]);
    if (snap->FindSchema(db_.oid, schema) == nullptr) {
      if (missing_ok) return nullptr;
      Throw(SqlState::kInvalidSchemaName, "schema \"{}\" does not exist", schema);
    }
    found = snap->FindFunctions(db_.oid, schema, name.name());
  } else {
    for (const std::string& s : LookupPath(*snap)) {
      for (auto& f : snap->FindFunctions(db_.oid, s, name.name())) found.push_back(std::move(f));
    }
  }
  std::string shown;
  for (size_t i = 0; i < name.parts.size(); ++i) shown += (i ? "." : "") + name.parts[i];
  std::shared_ptr<const storage::FunctionInfo> match;
  std::vector<Type> types;
  if (!sig.args_given) {
    if (found.size() > 1) {
      throw Error(SqlState::kAmbiguousFunction,
                  fmt::format("{} name \"{}\" is not unique", RoutineWord(procedure), shown))
          .Hint(fmt::format("Specify the argument list to select the {} unambiguously.",
                            RoutineWord(procedure)));
    }
    if (found.empty()) {
      if (missing_ok) return nullptr;
      Throw(SqlState::kUndefinedFunction, "could not find a {} named \"{}\"",
            RoutineWord(procedure), shown);
    }
    match = found[0];
  } else {
    for (const ast::RoutineParam& p : sig.args) {
      if (p.mode == 'o') continue;
      uint32_t domain = 0;
      Type t = RoutineType(p.type, &domain, nullptr);
      types.push_back(Type::Of(domain != 0 ? static_cast<TypeId>(domain) : t.id));
    }
    for (const auto& f : found) {
      if (f->InputTypes() == types) {
        match = f;
        break;
      }
    }
    if (match == nullptr) {
      if (missing_ok) return nullptr;
      Throw(SqlState::kUndefinedFunction, "{} {}({}) does not exist", RoutineWord(procedure), shown,
            ArgList(types));
    }
  }
  if ((match->kind == 'p') != procedure) {
    Throw(SqlState::kWrongObjectType, "{}({}) is not a {}", shown, ArgList(match->InputTypes()),
          RoutineWord(procedure));
  }
  return match;
}

void SessionImpl::CheckRoutineOwner(const storage::FunctionInfo& fn) {
  auto snap = CatalogView();
  if (CurrentIsSuperuser() ||
      storage::HasPrivsOfRole(*snap, user_oid_, fn.owner, DatabaseOwner())) {
    return;
  }
  Throw(SqlState::kInsufficientPrivilege, "must be owner of {} {}", RoutineWord(fn.kind == 'p'),
        fn.name);
}

QueryResult SessionImpl::DropFunction(const ast::DropFunctionStatement& s) {
  const char* tag = s.procedure ? "DROP PROCEDURE" : "DROP FUNCTION";
  std::vector<std::shared_ptr<const storage::FunctionInfo>> drop;
  for (const ast::RoutineSignature& sig : s.routines) {
    auto fn = FindRoutine(sig, s.procedure, s.if_exists);
    if (fn == nullptr) {
      std::string shown;
      for (size_t i = 0; i < sig.name.parts.size(); ++i) {
        shown += (i ? "." : "") + sig.name.parts[i];
      }
      std::string msg;
      if (sig.name.parts.size() >= 2 &&
          CatalogView()->FindSchema(db_.oid, ResolveSchemaName(sig.name.parts[0])) == nullptr) {
        msg = fmt::format("schema \"{}\" does not exist, skipping", sig.name.parts[0]);
      } else if (!sig.args_given) {
        msg = fmt::format("{} {}() does not exist, skipping", RoutineWord(s.procedure), shown);
      } else {
        std::vector<Type> types;
        for (const ast::RoutineParam& p : sig.args) {
          if (p.mode == 'o') continue;
          uint32_t domain = 0;
          types.push_back(RoutineType(p.type, &domain, nullptr));
        }
        msg = fmt::format("{} {}({}) does not exist, skipping", RoutineWord(s.procedure), shown,
                          ArgList(types));
      }
      pending_notices_.push_back(Notice{"NOTICE", "00000", msg});
      continue;
    }
    CheckRoutineOwner(*fn);
    drop.push_back(fn);
  }
  // What depends on them (triggers, functions' users) as PostgreSQL's dependency walk
  // (executor/dependencies.h).
  std::vector<DependencyObject> originals;
  for (const auto& fn : drop) originals.push_back({DependencyObject::kProc, fn->oid, 0});
  if (!originals.empty()) DropObjects(originals, s.cascade);
  return Tagged(tag);
}

QueryResult SessionImpl::AlterFunction(const ast::AlterFunctionStatement& s) {
  const char* tag = s.procedure ? "ALTER PROCEDURE" : "ALTER FUNCTION";
  auto fn = FindRoutine(s.routine, s.procedure, false);
  CheckRoutineOwner(*fn);
  storage::FunctionInfo next = *fn;
  auto snap = CatalogView();
  if (s.new_name || s.new_schema) {
    if (s.new_name) next.name = *s.new_name;
    if (s.new_schema) {
      next.schema = ResolveSchemaName(*s.new_schema);
      if (snap->FindSchema(db_.oid, next.schema) == nullptr) {
        Throw(SqlState::kInvalidSchemaName, "schema \"{}\" does not exist", *s.new_schema);
      }
      CheckSchemaPrivilege(next.schema, storage::acl::kCreate);
    }
    const std::vector<Type> in = next.InputTypes();
    for (const auto& f : snap->FindFunctions(db_.oid, next.schema, next.name)) {
      if (f->oid != next.oid && f->InputTypes() == in) {
        Throw(SqlState::kDuplicateFunction, "function {}({}) already exists in schema \"{}\"",
              next.name, ArgList(in), next.schema);
      }
    }
  } else if (s.new_owner) {
    Oid owner = ResolveRole(*s.new_owner);
    if (!CurrentIsSuperuser() &&
        !storage::IsMemberOfRole(*snap, user_oid_, owner, DatabaseOwner())) {
      Throw(SqlState::kInsufficientPrivilege, "must be member of role \"{}\"", RoleNameOf(owner));
    }
    if (next.acl) storage::AclChangeOwner(&*next.acl, next.owner, owner);
    next.owner = owner;
  } else {
    if (s.procedure && (s.options.volatility || s.options.strict || s.options.leakproof ||
                        s.options.parallel || s.options.cost || s.options.rows)) {
      Throw(SqlState::kInvalidFunctionDefinition, "invalid attribute in procedure definition");
    }
    if (s.options.volatility) next.volatility = *s.options.volatility;
    if (s.options.strict) next.strict = *s.options.strict;
    if (s.options.security_definer) next.security_definer = *s.options.security_definer;
    if (s.options.leakproof) {
      if (*s.options.leakproof && !CurrentIsSuperuser()) {
        Throw(SqlState::kInsufficientPrivilege, "only superuser can define a leakproof function");
      }
      next.leakproof = *s.options.leakproof;
    }
    if (s.options.parallel) next.parallel = *s.options.parallel;
    if (s.options.cost) {
      if (*s.options.cost <= 0) Throw(SqlState::kInvalidParameterValue, "COST must be positive");
      next.cost = *s.options.cost;
    }
    if (s.options.rows) {
      if (!next.returns_set) {
        Throw(SqlState::kInvalidParameterValue,
              "ROWS is not applicable when function does not return a set");
      }
      if (*s.options.rows <= 0) Throw(SqlState::kInvalidParameterValue, "ROWS must be positive");
      next.rows = *s.options.rows;
    }
  }
  engine_->catalog()->UpdateFunction(CatalogStatementTxn(), std::move(next));
  return Tagged(tag);
}

QueryResult SessionImpl::RunCall(const ast::CallStatement& s) {
  if (!s.inline_code && CallRefreshContinuousAggregate(s)) {
    FinishStatementTxn(true);
    return Tagged("CALL");
  }
  if (s.inline_code) {
    // DO: the anonymous block runs in the statement's transaction.
    storage::Transaction* txn = StatementTxn(false);
    ExecContext ctx = MakeExecContext(txn, {});
    try {
      RunPlpgsqlInline(*s.inline_code, ctx);
    } catch (Error& e) {
      // A syntax error in the code is reported in the statement (when it can be mapped).
      if (e.position && !e.context) {
        if (s.inline_code_offset >= 0) {
          e.position = s.inline_code_offset + *e.position;
        } else {
          e.position.reset();
        }
      }
      throw;
    }
    FinishStatementTxn(true);
    return Tagged("DO");
  }
  planner::PlannerContext pctx = MakePlannerContext();
  planner::Binder binder(&pctx, nullptr, nullptr);
  planner::BoundExprPtr call = binder.BindProcedureCall(*s.call);
  storage::Transaction* txn = StatementTxn(false);
  ExecContext ctx = MakeExecContext(txn, {});
  std::vector<Value> args;
  for (const auto& c : call->children) args.push_back(EvaluateStandaloneExpr(*c, ctx));
  RunUserFunction(*call->user_function, args, ctx, 0);
  FinishStatementTxn(true);
  return Tagged("CALL");
}

}  // namespace activestore::executor
