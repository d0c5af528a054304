// CREATE OPERATOR and DROP OPERATOR, as PostgreSQL's DefineOperator (commands/operatorcmds.c)
// and OperatorCreate (catalog/pg_operator.c): the checks in their order and with their
// messages, shell operators for a COMMUTATOR or NEGATOR not defined yet (filled in when it is
// created), the links back from the commutator and negator. An operator is kept in its
// schema's row (storage::SchemaInfo::operators), so it is transactional as the schema is; the
// binder resolves it (planner/bind_user_operator.cpp) and runs it as a call of its function.
#include <fmt/format.h>

#include <map>

#include "common/builtin_catalog.h"
#include "executor/dependencies.h"
#include "executor/session.h"
#include "parser/ast_function.h"
#include "planner/binder.h"
#include "planner/planner.h"

namespace activestore::executor {

namespace {

namespace bc = builtin_catalog;
using Definition = ast::CreateOperatorStatement::Definition;

[[noreturn]] void PermissionDenied(const std::string& message) {
  throw Error(SqlState::kInsufficientPrivilege, message);
}

// PostgreSQL's validOperatorName.
bool ValidOperatorName(const std::string& name) {
  if (name.empty() || name.size() >= 64) return false;
  if (name.find_first_not_of("~!@#^&|`?+-*/%<>=") != std::string::npos) return false;
  if (name.find("/*") != std::string::npos || name.find("--") != std::string::npos) return false;
  if (name.size() > 1 && (name.back() == '+' || name.back() == '-')) {
    if (name.find_first_of("~!@#^&|`?%") >= name.size() - 1) return false;
  }
  return name != "!=";
}

std::string TypeShown(uint32_t oid) {
  return planner::TypeDisplayName(Type::Of(static_cast<TypeId>(oid)));
}

// An operator's function: a user-defined one or a built-in (pg_catalog) one.
struct OperatorFunction {
  storage::Oid oid = 0;
  std::string schema;
  std::string name;
  storage::Oid result = 0;
  bool returns_set = false;
  std::shared_ptr<const storage::FunctionInfo> user;
};

}  // namespace

QueryResult SessionImpl::CreateOperator(const ast::CreateOperatorStatement& s) {
  const std::string schema = CreationSchema(s.name);
  const std::string name = s.name.name();
  CheckSchemaPrivilege(schema, storage::acl::kCreate);
  // The attributes (DefineOperator's loop).
  const Definition* left = nullptr;
  const Definition* right = nullptr;
  const Definition* function = nullptr;
  const Definition* commutator = nullptr;
  const Definition* negator = nullptr;
  const Definition* restrict_fn = nullptr;
  const Definition* join_fn = nullptr;
  bool hashes = false, merges = false;
  auto boolean = [&](const Definition& d) {
    if (d.kind == Definition::Kind::kNone) return true;
    std::string v = d.kind == Definition::Kind::kOther ? d.text : d.names.name();
    for (char& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (v == "true" || v == "on" || v == "1") return true;
    if (v == "false" || v == "off" || v == "0") return false;
    Throw(SqlState::kSyntaxError, "{} requires a Boolean value", d.name);
  };
  auto name_of = [&](const Definition& d) {
    if (d.kind != Definition::Kind::kType && d.kind != Definition::Kind::kOperator) {
      Throw(SqlState::kSyntaxError, "{} requires a parameter", d.name);
    }
  };
  for (const Definition& d : s.definitions) {
    if (d.name == "leftarg" || d.name == "rightarg") {
      if (d.kind != Definition::Kind::kType) {
        Throw(SqlState::kSyntaxError, "{} requires a parameter", d.name);
      }
      if (d.setof) {
        Throw(SqlState::kInvalidFunctionDefinition, "SETOF type not allowed for operator argument");
      }
      (d.name == "leftarg" ? left : right) = &d;
    } else if (d.name == "function" || d.name == "procedure") {
      name_of(d);
      function = &d;
    } else if (d.name == "commutator") {
      name_of(d);
      commutator = &d;
    } else if (d.name == "negator") {
      name_of(d);
      negator = &d;
    } else if (d.name == "restrict") {
      name_of(d);
      restrict_fn = &d;
    } else if (d.name == "join") {
      name_of(d);
      join_fn = &d;
    } else if (d.name == "hashes") {
      hashes = boolean(d);
    } else if (d.name == "merges") {
      merges = boolean(d);
    } else if (d.name == "sort1" || d.name == "sort2" || d.name == "ltcmp" || d.name == "gtcmp") {
      merges = true;  // obsolete options
    } else {
      pending_notices_.push_back(Notice{
          "WARNING", "42601", fmt::format("operator attribute \"{}\" not recognized", d.name)});
    }
  }
  if (function == nullptr) {
    Throw(SqlState::kInvalidFunctionDefinition, "operator function must be specified");
  }
  planner::PlannerContext pctx = MakePlannerContext();
  auto snap = CatalogView();
  pctx.catalog = snap;
  auto type_oid = [&](const Definition* d) -> uint32_t {
    if (d == nullptr) return 0;
    uint32_t domain = 0;
    Type t = planner::ResolveTypeName(d->type, &pctx, &domain);
    return domain != 0 ? domain : static_cast<uint32_t>(t.id);
  };
  const uint32_t left_type = type_oid(left);
  const uint32_t right_type = type_oid(right);
  if (right_type == 0) {
    if (left_type == 0) {
      Throw(SqlState::kInvalidFunctionDefinition, "operator argument types must be specified");
    }
    throw Error(SqlState::kInvalidFunctionDefinition,
                "operator right argument type must be specified")
        .Detail("Postfix operators are not supported.");
  }
  // The function, by its exact argument types (LookupFuncName).
  std::vector<uint32_t> arg_types;
  if (left_type != 0) arg_types.push_back(left_type);
  arg_types.push_back(right_type);
  const std::vector<std::string>& fn_names = function->names.parts;
  OperatorFunction fn;
  {
    const bool qualified = fn_names.size() >= 2;
    const std::string fn_schema = qualified ? ResolveSchemaName(fn_names[fn_names.size() - 2]) : "";
    if (!qualified || fn_schema == "pg_catalog") {
      for (bc::Oid oid : bc::ProcOidsNamed(fn_names.back())) {
        const bc::Proc* p = bc::FindProc(oid);
        if (p != nullptr && p->kind == 'f' && p->argtypes == arg_types) {
          fn = {p->oid, "pg_catalog", p->name, p->rettype, p->retset, nullptr};
          break;
        }
      }
    }
    if (fn.oid == 0) {
      std::vector<std::string> schemas =
          qualified ? std::vector<std::string>{fn_schema} : LookupPath(*snap);
      for (const std::string& sc : schemas) {
        for (const auto& f : snap->FindFunctions(db_.oid, sc, fn_names.back())) {
          std::vector<uint32_t> in;
          for (const storage::FunctionParam& p : f->params) {
            if (p.is_input())
              in.push_back(p.domain != 0 ? p.domain : static_cast<uint32_t>(p.type.id));
          }
          if (in != arg_types || f->kind == 'p') continue;
          fn = {f->oid,         f->schema, f->name, static_cast<uint32_t>(f->return_type.id),
                f->returns_set, f};
          break;
        }
        if (fn.oid != 0) break;
      }
    }
    if (fn.oid == 0) {
      std::string shown;
      for (size_t i = 0; i < fn_names.size(); ++i) shown += (i ? "." : "") + fn_names[i];
      std::vector<std::string> types;
      for (uint32_t t : arg_types) types.push_back(TypeShown(t));
      Throw(SqlState::kUndefinedFunction, "function {}({}) does not exist", shown,
            fmt::join(types, ", "));
    }
  }
  // The estimators, which must exist (PostgreSQL's ValidateRestrictionEstimator and
  // ValidateJoinEstimator); ActiveStore does not use them.
  auto estimator = [&](const Definition* d, const char* args) -> std::string {
    if (d == nullptr) return "";
    const std::string& n = d->names.name();
    if (bc::ProcOidsNamed(n).empty()) {
      std::string shown;
      for (size_t i = 0; i < d->names.parts.size(); ++i)
        shown += (i ? "." : "") + d->names.parts[i];
      Throw(SqlState::kUndefinedFunction, "function {}({}) does not exist", shown, args);
    }
    return n;
  };
  const std::string restrict_name = estimator(restrict_fn, "internal, oid, internal, integer");
  const std::string join_name = estimator(join_fn, "internal, oid, internal, smallint, internal");
  // OperatorCreate.
  if (!ValidOperatorName(name)) {
    Throw(SqlState::kInvalidName, "\"{}\" is not a valid operator name", name);
  }
  if (left_type == 0) {
    if (commutator != nullptr) {
      Throw(SqlState::kInvalidFunctionDefinition, "only binary operators can have commutators");
    }
    if (join_fn != nullptr) {
      Throw(SqlState::kInvalidFunctionDefinition,
            "only binary operators can have join selectivity");
    }
    if (merges) {
      Throw(SqlState::kInvalidFunctionDefinition, "only binary operators can merge join");
    }
    if (hashes) Throw(SqlState::kInvalidFunctionDefinition, "only binary operators can hash");
  }
  if (fn.result != static_cast<uint32_t>(TypeId::kBool)) {
    if (negator != nullptr) {
      Throw(SqlState::kInvalidFunctionDefinition, "only boolean operators can have negators");
    }
    if (restrict_fn != nullptr) {
      Throw(SqlState::kInvalidFunctionDefinition,
            "only boolean operators can have restriction selectivity");
    }
    if (join_fn != nullptr) {
      Throw(SqlState::kInvalidFunctionDefinition,
            "only boolean operators can have join selectivity");
    }
    if (merges)
      Throw(SqlState::kInvalidFunctionDefinition, "only boolean operators can merge join");
    if (hashes) Throw(SqlState::kInvalidFunctionDefinition, "only boolean operators can hash");
  }
  if (fn.returns_set) {
    Throw(SqlState::kInvalidFunctionDefinition, "operator function must not return a set");
  }
  // The schemas changed, by name (copies of their rows).
  std::map<std::string, storage::SchemaInfo> changed;
  auto schema_row = [&](const std::string& sc) -> storage::SchemaInfo& {
    auto it = changed.find(sc);
    if (it != changed.end()) return it->second;
    const storage::SchemaInfo* found = snap->FindSchema(db_.oid, sc);
    if (found == nullptr) Throw(SqlState::kInvalidSchemaName, "schema \"{}\" does not exist", sc);
    return changed.emplace(sc, *found).first->second;
  };
  auto find_in = [](storage::SchemaInfo& sc, const std::string& n, uint32_t l,
                    uint32_t r) -> storage::OperatorInfo* {
    for (storage::OperatorInfo& o : sc.operators) {
      if (o.name == n && o.left == l && o.right == r) return &o;
    }
    return nullptr;
  };
  storage::SchemaInfo& home = schema_row(schema);
  storage::OperatorInfo* existing = find_in(home, name, left_type, right_type);
  if (existing != nullptr && !existing->is_shell()) {
    Throw(SqlState::kDuplicateFunction, "operator {} already exists", name);
  }
  if (existing != nullptr && !CurrentIsSuperuser() && existing->owner != user_oid_) {
    PermissionDenied("must be owner of operator " + name);
  }
  const storage::Oid oid = existing != nullptr ? existing->oid : engine_->catalog()->NewObjectOid();
  // The other operator (commutator: reversed argument types): found in the path (or its
  // schema), else a shell made in its creation schema; 0 for this operator itself.
  struct Other {
    std::string schema;
    storage::Oid oid = 0;
  };
  auto other = [&](const Definition& d, uint32_t l, uint32_t r, bool is_commutator) -> Other {
    const ast::QualifiedName& q = d.names;
    const std::string& n = q.name();
    std::vector<std::string> schemas =
        q.parts.size() >= 2
            ? std::vector<std::string>{ResolveSchemaName(q.parts[q.parts.size() - 2])}
            : LookupPath(*snap);
    for (const std::string& sc : schemas) {
      if (snap->FindSchema(db_.oid, sc) == nullptr) continue;
      if (storage::OperatorInfo* o = find_in(schema_row(sc), n, l, r)) {
        if (o->oid == oid) break;  // this operator's shell
        return {sc, o->oid};
      }
    }
    const std::string other_schema = CreationSchema(q);
    if (n == name && other_schema == schema && l == left_type && r == right_type) {
      if (!is_commutator) {
        Throw(SqlState::kInvalidFunctionDefinition,
              "operator cannot be its own negator or sort operator");
      }
      return {schema, 0};
    }
    CheckSchemaPrivilege(other_schema, storage::acl::kCreate);
    storage::OperatorInfo shell;
    shell.oid = engine_->catalog()->NewObjectOid();
    shell.name = n;
    shell.left = l;
    shell.right = r;
    shell.owner = user_oid_;
    schema_row(other_schema).operators.push_back(shell);
    return {other_schema, shell.oid};
  };
  Other com, neg;
  bool self_commutator = false;
  if (commutator != nullptr) {
    com = other(*commutator, right_type, left_type, true);
    self_commutator = com.oid == 0;
  }
  if (negator != nullptr) neg = other(*negator, left_type, right_type, false);
  storage::SchemaInfo& row = schema_row(schema);
  storage::OperatorInfo* op = find_in(row, name, left_type, right_type);
  if (op == nullptr) {
    row.operators.push_back({});
    op = &row.operators.back();
  }
  op->oid = oid;
  op->name = name;
  op->left = left_type;
  op->right = right_type;
  op->result = fn.result;
  op->function = fn.oid;
  op->fn_schema = fn.schema;
  op->fn_name = fn.name;
  op->commutator = self_commutator ? oid : com.oid;
  op->negator = neg.oid;
  op->restrict_fn = restrict_name;
  op->join_fn = join_name;
  op->hashes = hashes;
  op->merges = merges;
  op->owner = user_oid_;
  // OperatorUpd: the commutator and negator point back at this operator where they point
  // nowhere.
  auto link_back = [&](const Other& o, bool is_commutator) {
    if (o.oid == 0 || o.oid == oid) return;
    for (storage::OperatorInfo& x : schema_row(o.schema).operators) {
      if (x.oid != o.oid) continue;
      storage::Oid& link = is_commutator ? x.commutator : x.negator;
      if (link == 0) link = oid;
    }
  };
  link_back(com, true);
  link_back(neg, false);
  for (auto& [sc, info] : changed) {
    engine_->catalog()->UpdateSchema(CatalogStatementTxn(), std::move(info));
  }
  return Tagged("CREATE OPERATOR");
}

const storage::OperatorInfo* SessionImpl::LookupOperator(const ast::OperatorSignature& sig,
                                                         bool missing_ok, bool drop) {
  planner::PlannerContext pctx = MakePlannerContext();
  auto snap = CatalogView();
  pctx.catalog = snap;
  if (sig.left && !sig.right) Throw(SqlState::kSyntaxError, "postfix operators are not supported");
  std::string shown_name;
  for (size_t i = 0; i < sig.name.parts.size(); ++i)
    shown_name += (i ? "." : "") + sig.name.parts[i];
  auto skip = [&](std::string message) -> const storage::OperatorInfo* {
    pending_notices_.push_back(Notice{"NOTICE", "00000", std::move(message)});
    return nullptr;
  };
  auto type_oid = [&](const std::optional<ast::TypeName>& t) -> uint32_t {
    if (!t) return 0;
    uint32_t domain = 0;
    Type ty = planner::ResolveTypeName(*t, &pctx, &domain);
    return domain != 0 ? domain : static_cast<uint32_t>(ty.id);
  };
  uint32_t l = 0, r = 0;
  try {
    l = type_oid(sig.left);
    r = type_oid(sig.right);
  } catch (const Error& e) {
    if (!missing_ok || e.state() != SqlState::kUndefinedObject) throw;
    return skip(std::string(e.message()) + ", skipping");
  }
  const std::vector<std::string>& parts = sig.name.parts;
  std::vector<std::string> schemas;
  if (parts.size() >= 2) {
    const std::string sc = ResolveSchemaName(parts[parts.size() - 2]);
    if (snap->FindSchema(db_.oid, sc) == nullptr) {
      if (missing_ok) return skip(fmt::format("schema \"{}\" does not exist, skipping", sc));
      Throw(SqlState::kInvalidSchemaName, "schema \"{}\" does not exist", sc);
    }
    schemas = {sc};
  } else {
    schemas = LookupPath(*snap);
    for (const bc::Operator& b : bc::Listed().operators) {
      if (b.name != parts.back() || b.left != l || b.right != r) continue;
      const std::string shown =
          fmt::format("{}({},{})", b.name, l == 0 ? "NONE" : TypeShown(l), TypeShown(r));
      if (drop) {
        Throw(SqlState::kUndefinedObjectDependent,
              "cannot drop operator {} because it is required by the database system", shown);
      }
      Throw(SqlState::kFeatureNotSupported,
            "COMMENT ON operator {} is not supported: it is a built-in object", shown);
    }
  }
  for (const planner::FoundOperator& f :
       planner::FindUserOperators(*snap, db_.oid, schemas, parts.back(), true)) {
    if (f.op->left == l && f.op->right == r) return f.op;
  }
  if (missing_ok) return skip(fmt::format("operator {} does not exist, skipping", shown_name));
  Throw(SqlState::kUndefinedFunction, "operator does not exist: {}",
        l == 0 ? fmt::format("{} {}", shown_name, TypeShown(r))
               : fmt::format("{} {} {}", TypeShown(l), shown_name, TypeShown(r)));
}

QueryResult SessionImpl::DropOperator(const ast::DropOperatorStatement& s) {
  auto snap = CatalogView();
  std::vector<DependencyObject> originals;
  for (const ast::OperatorSignature& sig : s.operators) {
    const storage::OperatorInfo* found = LookupOperator(sig, s.if_exists, true);
    if (found == nullptr) continue;
    if (!CurrentIsSuperuser() &&
        !storage::HasPrivsOfRole(*snap, user_oid_, found->owner, DatabaseOwner())) {
      PermissionDenied("must be owner of operator " + found->name);
    }
    originals.push_back({DependencyObject::kOperator, found->oid, 0});
  }
  if (!originals.empty()) DropObjects(originals, s.cascade);
  return Tagged("DROP OPERATOR");
}

void SessionImpl::DropUserOperator(storage::Oid oid) {
  auto snap = CatalogView();
  // RemoveOperatorById: the operator goes, and the links to it of its commutator and negator
  // (wherever they are).
  std::map<std::string, storage::SchemaInfo> changed;
  for (const auto& [key, sc] : snap->schemas) {
    if (key.first != db_.oid) continue;
    bool touched = false;
    storage::SchemaInfo next = sc;
    const size_t before = next.operators.size();
    std::erase_if(next.operators, [&](const storage::OperatorInfo& o) { return o.oid == oid; });
    touched = next.operators.size() != before;
    for (storage::OperatorInfo& o : next.operators) {
      if (o.commutator == oid) o.commutator = 0, touched = true;
      if (o.negator == oid) o.negator = 0, touched = true;
    }
    if (touched) changed.emplace(sc.name, std::move(next));
  }
  for (auto& [name, info] : changed) {
    engine_->catalog()->UpdateSchema(CatalogStatementTxn(), std::move(info));
  }
}

}  // namespace activestore::executor
