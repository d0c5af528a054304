// Operators that CREATE OPERATOR made (storage::OperatorInfo, kept in their schema's row): an
// operator expression whose name a visible user-defined operator has is resolved as
// PostgreSQL's oper() does as far as the binder's built-in operators allow: a user operator
// whose argument types are exactly the operands' wins unless a built-in one has the same
// signature (pg_catalog comes first in the path); otherwise the built-in binding is tried,
// and when it finds nothing, the user operators the operands reach by implicit coercion
// (42725 when several fit equally). The operator runs as a call of its function.
#include <algorithm>

#include "common/builtin_catalog.h"
#include "planner/bound_expr_util.h"
#include "planner/support_functions.h"
#include "planner/type_rules.h"

namespace activestore::planner {

std::vector<FoundOperator> FindUserOperators(const storage::CatalogSnapshot& snap, storage::Oid db,
                                             const std::vector<std::string>& schemas,
                                             const std::string& name, bool shells) {
  std::vector<FoundOperator> out;
  for (const std::string& s : schemas) {
    const storage::SchemaInfo* schema = snap.FindSchema(db, s);
    if (schema == nullptr) continue;
    for (const storage::OperatorInfo& op : schema->operators) {
      if (op.name == name && (shells || !op.is_shell())) out.push_back({schema, &op});
    }
  }
  return out;
}

FoundOperator FindUserOperatorByOid(const storage::CatalogSnapshot& snap, storage::Oid db,
                                    storage::Oid oid) {
  for (const auto& [key, schema] : snap.schemas) {
    if (key.first != db) continue;
    for (const storage::OperatorInfo& op : schema.operators) {
      if (op.oid == oid) return {&schema, &op};
    }
  }
  return {};
}

namespace {

namespace bc = builtin_catalog;

// Whether PostgreSQL has a built-in operator `name` (left 0 for a prefix one).
bool BuiltinOperatorExists(const std::string& name, uint32_t left, uint32_t right) {
  for (const bc::Operator& o : bc::Listed().operators) {
    if (o.name == name && o.left == left && o.right == right) return true;
  }
  return false;
}

// The operator expressions being bound as built-in ones (innermost last).
thread_local std::vector<const ast::Expr*> builtin_only;

}  // namespace

std::optional<BoundExprPtr> Binder::TryBindUserOperator(const ast::Expr& e) {
  if (ctx_->catalog == nullptr) return std::nullopt;
  if (!builtin_only.empty() && builtin_only.back() == &e) return std::nullopt;
  const bool prefix = e.kind == ast::ExprKind::kUnaryOp;
  std::vector<std::string> schemas = ctx_->search_path;
  if (!e.names.empty()) {  // OPERATOR(schema.op)
    std::string schema = e.names[0];
    if (schema == "pg_temp" && !ctx_->temp_schema.empty()) schema = ctx_->temp_schema;
    schemas = {schema};
  }
  // (A user operator of the name but of the other kind still makes a failed built-in binding
  // PostgreSQL's 42883.)
  const std::vector<FoundOperator> named =
      FindUserOperators(*ctx_->catalog, ctx_->database, schemas, e.op, true);
  if (named.empty() && e.names.empty()) return std::nullopt;
  std::vector<FoundOperator> found, shells;
  for (const FoundOperator& f : named) {
    if ((f.op->left == 0) != prefix) continue;
    (f.op->is_shell() ? shells : found).push_back(f);
  }
  // The operands, bound once: the other bindings below see them through placeholders.
  PreboundScope scope;
  std::vector<BoundExprPtr> args;
  std::vector<uint32_t> types;
  for (const ast::ExprPtr& a : e.args) {
    args.push_back(BindExpr(*a));
    types.push_back(static_cast<uint32_t>(args.back()->type.id));
  }
  auto params = [&](const storage::OperatorInfo& op) {
    return prefix ? std::vector<uint32_t>{op.right} : std::vector<uint32_t>{op.left, op.right};
  };
  // "integer === integer", "=== integer", with the schema when it was named.
  auto shown_types = [&] {
    const std::string name = e.names.empty() ? e.op : e.names[0] + "." + e.op;
    if (prefix) return name + " " + TypeDisplayName(args[0]->type);
    return TypeDisplayName(args[0]->type) + " " + name + " " + TypeDisplayName(args[1]->type);
  };
  // The error at the operator, with op_error's hint ("" for none).
  auto fail = [&](SqlState state, const std::string& message, const std::string& hint) {
    Error err(state, message + ": " + shown_types());
    if (!hint.empty()) err.Hint(hint);
    if (e.location >= 0) err.Position(e.location + 1);
    throw err;
  };
  const std::string casts = prefix ? "You might need to add an explicit type cast."
                                   : "You might need to add explicit type casts.";
  // An exact match (PostgreSQL's oper() finds a shell too, and refuses it).
  for (const FoundOperator& f : shells) {
    if (params(*f.op) != types) continue;
    if (!e.names.empty() || !BuiltinOperatorExists(e.op, prefix ? 0 : types[0], types.back())) {
      fail(SqlState::kUndefinedFunction, "operator is only a shell", "");
    }
  }
  for (const FoundOperator& f : found) {
    if (params(*f.op) != types) continue;
    const uint32_t left = prefix ? 0 : types[0];
    const uint32_t right = types.back();
    if (!e.names.empty() || !BuiltinOperatorExists(e.op, left, right)) {
      return CallUserOperator(*f.op, std::move(args), e);
    }
  }
  std::optional<Error> builtin_error;
  if (e.names.empty()) {
    // The built-in binding over the bound operands (literals bound again, as they are).
    ast::Expr copy(e.kind, e.location);
    copy.op = e.op;
    for (size_t i = 0; i < args.size(); ++i) {
      const ast::Expr& a = *e.args[i];
      if (a.kind == ast::ExprKind::kConstant) {
        auto lit = std::make_unique<ast::Expr>(ast::ExprKind::kConstant, a.location);
        lit->const_kind = a.const_kind;
        lit->value_text = a.value_text;
        copy.args.push_back(std::move(lit));
      } else {
        copy.args.push_back(scope.Add(args[i], a.location));
      }
    }
    builtin_only.push_back(&copy);
    try {
      BoundExprPtr bound = BindExpr(copy);
      builtin_only.pop_back();
      return bound;
    } catch (const Error& err) {
      builtin_only.pop_back();
      if (err.state() != SqlState::kUndefinedFunction &&
          err.state() != SqlState::kFeatureNotSupported) {
        throw;
      }
      builtin_error = err;
    }
  }
  // The user operators the operands reach by implicit coercion, the most exact ones.
  std::vector<const storage::OperatorInfo*> cands;
  int best = -1;
  for (const FoundOperator& f : found) {
    const std::vector<uint32_t> want = params(*f.op);
    int exact = 0;
    bool ok = true;
    for (size_t i = 0; ok && i < want.size(); ++i) {
      const TypeId from = static_cast<TypeId>(types[i]);
      const TypeId to = static_cast<TypeId>(want[i]);
      if (types[i] == want[i]) {
        ++exact;
      } else {
        ok = from == TypeId::kUnknown || CanCoerce(from, to, CoercionContext::kImplicit) ||
             HasUserCast(from, to, CoercionContext::kImplicit);
      }
    }
    if (!ok) continue;
    if (exact > best) {
      best = exact;
      cands.clear();
    }
    if (exact == best) cands.push_back(f.op);
  }
  if (cands.size() == 1) return CallUserOperator(*cands[0], std::move(args), e);
  if (cands.size() > 1) {
    fail(SqlState::kAmbiguousFunction, "operator is not unique",
         "Could not choose a best candidate operator. " + casts);
  }
  if (builtin_error && builtin_error->state() == SqlState::kUndefinedFunction) {
    throw *builtin_error;
  }
  fail(SqlState::kUndefinedFunction, "operator does not exist",
       std::string(prefix ? "No operator matches the given name and argument type. "
                          : "No operator matches the given name and argument types. ") +
           casts);
  return std::nullopt;
}

BoundExprPtr Binder::CallUserOperator(const storage::OperatorInfo& op,
                                      std::vector<BoundExprPtr> args, const ast::Expr& e) {
  const std::vector<uint32_t> want =
      op.left == 0 ? std::vector<uint32_t>{op.right} : std::vector<uint32_t>{op.left, op.right};
  PreboundScope scope;
  ast::Expr call(ast::ExprKind::kFuncCall, e.location);
  call.names = {op.fn_schema, op.fn_name};
  // (By oid: the function may have been renamed or moved since.)
  if (auto fn = ctx_->catalog->FindFunctionByOid(op.function)) call.names = {fn->schema, fn->name};
  for (size_t i = 0; i < args.size(); ++i) {
    const int location = e.args[i]->location;
    BoundExprPtr a = args[i];
    if (static_cast<uint32_t>(a->type.id) != want[i]) {
      a = Coerce(a, Type::Of(static_cast<TypeId>(want[i])), CoercionContext::kImplicit, location);
    }
    call.args.push_back(scope.Add(std::move(a), location));
  }
  return BindExpr(call);
}

}  // namespace activestore::planner
