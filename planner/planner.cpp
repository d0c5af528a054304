// Entry points of planner/ (planner/planner.h).
#include "planner/planner.h"

#include <algorithm>

#include "common/array.h"
#include "common/time_types.h"
#include "common/type_registry.h"
#include "planner/binder.h"

namespace activestore::planner {

namespace {

// Parameters whose type nothing determined become text (PostgreSQL's rule for unknowns);
// every kParam node then carries the final type of its parameter.
BoundExprPtr FixParamsExpr(const BoundExprPtr& e, PlannerContext& ctx);

ExprRewriteFn ParamFixer(PlannerContext& ctx) {
  return [&ctx](const BoundExpr& n, int) -> BoundExprPtr {
    if (n.kind != BoundExprKind::kParam) return nullptr;
    Type& slot = ctx.param_types[n.param_index];
    if (slot.id == TypeId::kUnknown) slot = Type::Of(TypeId::kText);
    if (n.type.id != TypeId::kUnknown) return nullptr;
    auto p = std::make_shared<BoundExpr>(n);
    p->type = slot;
    return p;
  };
}

BoundExprPtr FixParamsExpr(const BoundExprPtr& e, PlannerContext& ctx) {
  return RewriteExpr(e, ParamFixer(ctx), /*descend_all_subqueries=*/true);
}

PlanPtr FixParams(const PlanPtr& p, PlannerContext& ctx) {
  PlanPtr out = RewritePlan(p, ParamFixer(ctx), /*descend_all_subqueries=*/true, 0);
  for (auto& t : ctx.param_types)
    if (t.id == TypeId::kUnknown) t = Type::Of(TypeId::kText);
  return out;
}

// Whether an aggregate's result depends on the order of its input rows (without ORDER BY in
// the call).
bool OrderSensitive(const AggregateSpec& a) {
  return (a.kind == AggKind::kArrayAgg || a.kind == AggKind::kStringAgg ||
          a.kind == AggKind::kFirst || a.kind == AggKind::kLast) &&
         a.order_descending.empty();
}

// PostgreSQL returns the rows of a plain scan in heap order (insertion order, for a table that
// has not been updated), and clients and tests observe it: SELECT without ORDER BY, LIMIT,
// INSERT ... SELECT, array_agg. A gather of shard scans returns shard after shard unless told
// to merge by key, which costs a comparison per row, so only the gathers whose order reaches
// the result are told: those under a chain of order-preserving nodes from the root.
PlanPtr KeepScanOrder(const PlanPtr& p) {
  if (!p) return p;
  switch (p->kind) {
    case PlanKind::kGather: {
      if (p->children.empty()) return p;
      for (const auto& c : p->children)
        if (c->kind != PlanKind::kShardScan) return p;
      auto copy = std::make_shared<PlanNode>(*p);
      copy->key_order = true;
      for (auto& c : copy->children) {
        auto scan = std::make_shared<PlanNode>(*c);
        scan->key_order = true;
        c = std::move(scan);
      }
      return copy;
    }
    case PlanKind::kProject:
    case PlanKind::kProjectSet:
    case PlanKind::kFilter:
    case PlanKind::kLimit:
    case PlanKind::kLockRows:
    case PlanKind::kInsert:
    case PlanKind::kAppend:
      break;
    case PlanKind::kWindowAgg: {
      // OVER () numbers the rows in scan order; the window's own (stable) sort keeps the scan
      // order among peers, as PostgreSQL's sort of a heap scan mostly does.
      auto copy = std::make_shared<PlanNode>(*p);
      PlanPtr child = copy->children[0];
      if (child->kind == PlanKind::kSort) {
        auto sort = std::make_shared<PlanNode>(*child);
        sort->children[0] = KeepScanOrder(sort->children[0]);
        copy->children[0] = sort;
      } else {
        copy->children[0] = KeepScanOrder(child);
      }
      return copy;
    }
    case PlanKind::kAggregate:
      if (!p->group_exprs.empty() ||
          std::none_of(p->aggregates.begin(), p->aggregates.end(), OrderSensitive)) {
        return p;
      }
      break;
    case PlanKind::kSetOp:
      if (p->set_op != SetOpKind::kUnion || !p->set_all) return p;
      break;
    case PlanKind::kUpdate:
    case PlanKind::kDelete:
      if (p->returning.empty()) return p;
      break;
    case PlanKind::kNestedLoopJoin:
      // A LATERAL join keeps the left side's order, and each left row's right rows in theirs.
      if (!p->lateral) return p;
      break;
    case PlanKind::kMerge: {
      // MERGE acts on its join's rows in order (triggers fire, rows are inserted in it): the
      // matched rows in the target's order, then the unmatched source rows in the source's.
      auto copy = std::make_shared<PlanNode>(*p);
      const PlanPtr& join = copy->children[0];
      if (join->kind == PlanKind::kHashJoin || join->kind == PlanKind::kNestedLoopJoin) {
        auto j = std::make_shared<PlanNode>(*join);
        for (auto& c : j->children) c = KeepScanOrder(c);
        copy->children[0] = j;
      } else {
        copy->children[0] = KeepScanOrder(join);
      }
      return copy;
    }
    default:
      return p;
  }
  auto copy = std::make_shared<PlanNode>(*p);
  bool changed = false;
  for (auto& c : copy->children) {
    PlanPtr r = KeepScanOrder(c);
    changed |= r != c;
    c = std::move(r);
  }
  return changed ? copy : p;
}

// KeepScanOrder for the plan and for what its init_plans run.
PlanPtr KeepScanOrderWithInits(const PlanPtr& p) {
  PlanPtr out = KeepScanOrder(p);
  if (out->init_plans.empty()) return out;
  auto root = std::make_shared<PlanNode>(*out);
  for (auto& init : root->init_plans) {
    auto scan = std::make_shared<PlanNode>(*init);
    scan->cte_plan = KeepScanOrder(scan->cte_plan);
    init = std::move(scan);
  }
  return root;
}

void CheckContext(const PlannerContext& ctx) {
  if (!ctx.catalog) Throw(SqlState::kInternalError, "planner called without a catalog snapshot");
}

}  // namespace

// The plan with the privileges the binder noted on its root.
PlanPtr WithPermissions(PlanPtr plan, PlannerContext& ctx) {
  if (ctx.permissions.empty()) return plan;
  auto root = std::make_shared<PlanNode>(*plan);
  root->permissions = std::move(ctx.permissions);
  ctx.permissions.clear();
  return root;
}

// The plan with the data-modifying WITH queries the binder found, and the snapshots they
// need, as its init_plans.
PlanPtr WithInitPlans(PlanPtr plan, PlannerContext& ctx) {
  if (ctx.snapshot_inits.empty() && ctx.dml_inits.empty()) return plan;
  auto root = std::make_shared<PlanNode>(*plan);
  root->init_plans = std::move(ctx.snapshot_inits);
  root->init_plans.insert(root->init_plans.end(), ctx.dml_inits.begin(), ctx.dml_inits.end());
  ctx.snapshot_inits.clear();
  ctx.dml_inits.clear();
  return root;
}

PlanPtr PlanStatement(const ast::Statement& stmt, PlannerContext& ctx) {
  CheckContext(ctx);
  for (auto& t : ctx.param_types) t.typmod = t.id == TypeId::kUnknown ? -1 : t.typmod;
  Binder binder(&ctx, nullptr, nullptr);
  PlanPtr plan;
  switch (stmt.kind) {
    case ast::StmtKind::kSelect: {
      const ast::SelectStmt& select = *static_cast<const ast::SelectStatement&>(stmt).select;
      ctx.origin_select = &select;
      ctx.output_origins.clear();
      plan = binder.PlanSelect(select);
      ctx.origin_select = nullptr;
      if (ctx.output_origins.size() == plan->output_types.size()) {
        auto root = std::make_shared<PlanNode>(*plan);
        root->output_origins = std::move(ctx.output_origins);
        plan = root;
      }
      break;
    }
    case ast::StmtKind::kInsert:
      plan = binder.PlanInsert(static_cast<const ast::InsertStatement&>(stmt));
      break;
    case ast::StmtKind::kUpdate:
      plan = binder.PlanUpdate(static_cast<const ast::UpdateStatement&>(stmt));
      break;
    case ast::StmtKind::kDelete:
      plan = binder.PlanDelete(static_cast<const ast::DeleteStatement&>(stmt));
      break;
    case ast::StmtKind::kMerge:
      plan = binder.PlanMerge(static_cast<const ast::MergeStatement&>(stmt));
      break;
    default:
      Throw(SqlState::kInternalError, "statement is not handled by the planner");
  }
  return WithPermissions(KeepScanOrderWithInits(FixParams(WithInitPlans(plan, ctx), ctx)), ctx);
}

PlanPtr PlanSelect(const ast::SelectStmt& select, PlannerContext& ctx) {
  CheckContext(ctx);
  Binder binder(&ctx, nullptr, nullptr);
  PlanPtr plan = WithInitPlans(binder.PlanSelect(select), ctx);
  return WithPermissions(KeepScanOrderWithInits(FixParams(plan, ctx)), ctx);
}

BoundExprPtr BindStandaloneExpr(const ast::Expr& expr, PlannerContext& ctx) {
  CheckContext(ctx);
  Binder binder(&ctx, nullptr, nullptr);
  BoundExprPtr e = binder.BindExpr(expr);
  e = FixParamsExpr(e, ctx);
  for (auto& t : ctx.param_types)
    if (t.id == TypeId::kUnknown) t = Type::Of(TypeId::kText);
  return e;
}

BoundExprPtr BindCheckExpr(std::shared_ptr<const storage::TableInfo> table, const ast::Expr& expr,
                           PlannerContext& ctx) {
  CheckContext(ctx);
  Binder binder(&ctx, nullptr, nullptr);
  return binder.BindCheck(std::move(table), expr);
}

void BindTableChecks(const storage::TableInfo& table, PlannerContext& ctx,
                     std::vector<BoundExprPtr>* checks, std::vector<std::string>* names) {
  CheckContext(ctx);
  Binder binder(&ctx, nullptr, nullptr);
  PlanNode node;
  binder.AttachChecks(table, &node);
  *checks = std::move(node.checks);
  *names = std::move(node.check_names);
}

BoundExprPtr BindColumnDefault(const storage::TableInfo& table, int column, PlannerContext& ctx) {
  CheckContext(ctx);
  Binder binder(&ctx, nullptr, nullptr);
  return binder.DefaultExpr(table, column);
}

std::vector<std::pair<int, BoundExprPtr>> BindTableGenerated(const storage::TableInfo& table,
                                                             PlannerContext& ctx) {
  CheckContext(ctx);
  Binder binder(&ctx, nullptr, nullptr);
  return binder.GeneratedColumns(table, nullptr);
}

void ValidateGenerationExpr(std::shared_ptr<const storage::TableInfo> table, int column,
                            const ast::Expr& expr, PlannerContext& ctx) {
  CheckContext(ctx);
  Binder binder(&ctx, nullptr, nullptr);
  binder.BindGenerated(std::move(table), column, expr);
}

const storage::UserCastInfo* FindUserCast(const storage::CatalogSnapshot& snap, uint32_t source,
                                          uint32_t target) {
  for (uint32_t owner : {source, target}) {
    auto def = snap.FindTypeByOid(owner);
    if (def == nullptr) continue;
    for (const storage::UserCastInfo& c : def->casts) {
      if (c.source == source && c.target == target) return &c;
    }
  }
  return nullptr;
}

std::shared_ptr<const storage::TypeDefInfo> FindUserTypeDef(const std::string& name,
                                                            const PlannerContext& ctx) {
  if (ctx.catalog == nullptr) return nullptr;
  size_t dot = name.rfind('.');
  if (dot != std::string::npos) {
    std::string schema = name.substr(0, dot);
    if (schema == "pg_temp") schema = ctx.temp_schema;
    return ctx.catalog->FindType(ctx.database, schema, name.substr(dot + 1));
  }
  for (const std::string& s : ctx.search_path) {
    const std::string& schema = s == "pg_temp" ? ctx.temp_schema : s;
    if (auto t = ctx.catalog->FindType(ctx.database, schema, name)) return t;
  }
  return nullptr;
}

// The table (or view) whose row type a (possibly schema-qualified) type name denotes, or null.
static std::shared_ptr<const storage::TableInfo> FindRowTypeTable(const std::string& name,
                                                                  const PlannerContext& ctx) {
  if (ctx.catalog == nullptr) return nullptr;
  std::shared_ptr<const storage::TableInfo> t;
  size_t dot = name.rfind('.');
  if (dot != std::string::npos) {
    std::string schema = name.substr(0, dot);
    if (schema == "pg_temp") schema = ctx.temp_schema;
    t = ctx.catalog->FindTable(ctx.database, schema, name.substr(dot + 1));
  } else {
    for (const std::string& s : ctx.search_path) {
      const std::string& schema = s == "pg_temp" ? ctx.temp_schema : s;
      if ((t = ctx.catalog->FindTable(ctx.database, schema, name))) break;
    }
  }
  if (t == nullptr || t->row_type_oid == 0 ||
      CompositeFieldsOf(static_cast<TypeId>(t->row_type_oid)) == nullptr) {
    return nullptr;
  }
  return t;
}

Type ResolveTypeName(const ast::TypeName& name) { return ResolveTypeName(name, nullptr, nullptr); }

Type ResolveTypeName(const ast::TypeName& name, const PlannerContext* ctx, uint32_t* domain) {
  if (domain != nullptr) *domain = 0;
  if (name.array_bounds > 0) {
    // int[], int[][], int ARRAY[3]: the one array type of the element (PostgreSQL ignores the
    // number of dimensions and their sizes); the element's typmod is the array's.
    ast::TypeName elem_name = name;
    elem_name.array_bounds = 0;
    Type elem = ResolveTypeName(elem_name, ctx, nullptr);
    // (int2vector and oidvector are array-like types with array types of their own.)
    if (IsArrayType(elem.id) && !IsVectorType(elem.id)) return elem;
    std::optional<TypeId> array = ArrayTypeOf(elem.id);
    if (!array) {
      ThrowAt(name.location, SqlState::kUndefinedObject, "type \"{}[]\" does not exist", name.name);
    }
    return Type{*array, elem.typmod};
  }
  const std::string& n = name.name;
  TypeId id;
  if (!LookupTypeName(n, &id)) {
    // User-defined types (docs/design/2026-12-05-user-defined-types.md).
    if (auto def = ctx != nullptr ? FindUserTypeDef(n, *ctx) : nullptr) {
      if (!name.modifiers.empty()) {
        ThrowAt(name.location, SqlState::kSyntaxError,
                "type modifier is not allowed for type \"{}\"", def->name);
      }
      if (def->is_shell() && !ctx->allow_shell_types) {
        ThrowAt(name.location, SqlState::kUndefinedObject, "type \"{}\" is only a shell", n);
      }
      if (def->is_enum() || def->is_composite() || def->is_base() || def->is_shell()) {
        return Type::Of(static_cast<TypeId>(def->oid));
      }
      if (domain != nullptr) *domain = def->oid;
      return def->base;
    }
    // A table's name is its row type (common/composite.h).
    if (auto table = ctx != nullptr ? FindRowTypeTable(n, *ctx) : nullptr) {
      if (!name.modifiers.empty()) {
        ThrowAt(name.location, SqlState::kSyntaxError,
                "type modifier is not allowed for type \"{}\"", table->name);
      }
      return Type::Of(static_cast<TypeId>(table->row_type_oid));
    }
    // An array type by its own name, an underscore before its element's (pg_type.typname:
    // "_mood" is mood[], "_t" a table's row type array), as PostgreSQL resolves it.
    const size_t dot = n.rfind('.');
    const size_t base_at = dot == std::string::npos ? 0 : dot + 1;
    if (ctx != nullptr && n.size() > base_at + 1 && n[base_at] == '_') {
      ast::TypeName elem = name;
      elem.name = n.substr(0, base_at) + n.substr(base_at + 1);
      elem.array_bounds = 1;
      try {
        return ResolveTypeName(elem, ctx, nullptr);
      } catch (const Error& e) {
        if (e.state() != SqlState::kUndefinedObject) throw;
      }
    }
    ThrowAt(name.location, SqlState::kUndefinedObject, "type \"{}\" does not exist", n);
  }
  Type t = Type::Of(id);
  const auto& mods = name.modifiers;
  switch (id) {
    case TypeId::kVarchar:
    case TypeId::kBpchar: {
      if (mods.size() > 1) {
        ThrowAt(name.location, SqlState::kSyntaxError, "invalid type modifier");
      }
      if (mods.empty()) {
        // char / character without a length means char(1); bpchar means unlimited.
        if (id == TypeId::kBpchar && (n == "char" || n == "character")) t.typmod = 1;
        break;
      }
      if (mods[0] < 1) {
        ThrowAt(name.location, SqlState::kInvalidParameterValue,
                "length for type {} must be at least 1",
                id == TypeId::kVarchar ? "varchar" : "char");
      }
      if (mods[0] > 10485760) {
        ThrowAt(name.location, SqlState::kInvalidParameterValue,
                "length for type {} cannot exceed 10485760",
                id == TypeId::kVarchar ? "varchar" : "char");
      }
      t.typmod = mods[0];
      break;
    }
    case TypeId::kNumeric: {
      if (mods.empty()) break;
      if (mods.size() > 2) {
        ThrowAt(name.location, SqlState::kSyntaxError, "invalid NUMERIC type modifier");
      }
      int32_t p = mods[0], s = mods.size() > 1 ? mods[1] : 0;
      if (p < 1 || p > 1000) {
        ThrowAt(name.location, SqlState::kInvalidParameterValue,
                "NUMERIC precision {} must be between 1 and 1000", p);
      }
      if (s < -1000 || s > 1000) {
        ThrowAt(name.location, SqlState::kInvalidParameterValue,
                "NUMERIC scale {} must be between -1000 and 1000", s);
      }
      t.typmod = (p << 16) | (s & 0x7ff);  // PostgreSQL 15's 11-bit signed scale
      break;
    }
    case TypeId::kFloat64:
      // float(p): p bits of mantissa, real up to 24, double precision up to 53.
      if (n != "float" || mods.empty()) break;
      if (mods.size() > 1) ThrowAt(name.location, SqlState::kSyntaxError, "syntax error");
      if (mods[0] < 1) {
        ThrowAt(name.location, SqlState::kInvalidParameterValue,
                "precision for type float must be at least 1 bit");
      }
      if (mods[0] > 53) {
        ThrowAt(name.location, SqlState::kInvalidParameterValue,
                "precision for type float must be less than 54 bits");
      }
      if (mods[0] <= 24) t = Type::Of(TypeId::kFloat32);
      break;
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      // timestamp(p): fractional seconds rounded to p digits (AdjustTimestampForTypmod);
      // above 6, PostgreSQL reduces it to 6 with a warning.
      if (mods.empty()) break;
      if (mods.size() > 1) ThrowAt(name.location, SqlState::kSyntaxError, "invalid type modifier");
      if (mods[0] < 0) {
        ThrowAt(name.location, SqlState::kInvalidParameterValue,
                "TIMESTAMP({}){} precision must not be negative", mods[0],
                id == TypeId::kTimestampTz ? " WITH TIME ZONE" : "");
      }
      t.typmod = std::min<int32_t>(mods[0], 6);
      break;
    case TypeId::kTime:
    case TypeId::kTimeTz:
      // anytime_typmodin: time(p), p in 0..6; above 6 is reduced to 6 (PostgreSQL also warns).
      if (mods.empty()) break;
      if (mods.size() > 1) {
        ThrowAt(name.location, SqlState::kInvalidParameterValue, "invalid type modifier");
      }
      if (mods[0] < 0) {
        ThrowAt(name.location, SqlState::kInvalidParameterValue,
                "TIME({}){} precision must not be negative", mods[0],
                id == TypeId::kTimeTz ? " WITH TIME ZONE" : "");
      }
      t.typmod = std::min(mods[0], kMaxTimePrecision);
      break;
    case TypeId::kInterval: {
      // intervaltypmodin: interval(p), interval <fields>; precision above 6 is reduced to 6
      // (PostgreSQL also warns).
      if (mods.size() > 1) {
        ThrowAt(name.location, SqlState::kSyntaxError, "invalid INTERVAL type modifier");
      }
      int precision = kIntervalFullPrecision;
      if (!mods.empty()) {
        if (mods[0] < 0) {
          ThrowAt(name.location, SqlState::kInvalidParameterValue,
                  "INTERVAL({}) precision must not be negative", mods[0]);
        }
        precision = std::min(mods[0], kMaxIntervalPrecision);
      }
      int range = name.interval_fields >= 0 ? name.interval_fields : kIntervalFullRange;
      if (range != kIntervalFullRange || precision != kIntervalFullPrecision) {
        t.typmod = IntervalTypmod(precision, range);
      }
      break;
    }
    default: {
      // A registry type with its own typmodin (bit(n), varbit(n)).
      const TypeMethods* m = TypeInfoOf(id).methods;
      if (m != nullptr && m->typmod_in != nullptr) {
        try {
          t.typmod = m->typmod_in(mods);
        } catch (Error& e) {
          if (!e.position && name.location >= 0) e.Position(name.location + 1);
          throw;
        }
        break;
      }
      if (!mods.empty()) {
        ThrowAt(name.location, SqlState::kSyntaxError,
                "type modifier is not allowed for type \"{}\"", n);
      }
    }
  }
  return t;
}

}  // namespace activestore::planner
