// Domain constraints in plans: the CHECKs and NOT NULL of the domains of a table's columns
// among the table checks of INSERT, UPDATE and COPY, and the domain_check(value, ...) call a
// cast to a domain becomes. See docs/design/2026-12-05-user-defined-types.md.
#include <algorithm>

#include "planner/binder.h"
#include "planner/bound_expr_util.h"
#include "planner/domain_checks.h"

namespace activestore::planner {

std::vector<std::shared_ptr<const storage::TypeDefInfo>> DomainChain(
    const storage::CatalogSnapshot& catalog, uint32_t oid) {
  std::vector<std::shared_ptr<const storage::TypeDefInfo>> chain;
  while (oid != 0 && chain.size() < 64) {
    auto d = catalog.FindTypeByOid(oid);
    if (d == nullptr || !d->is_domain()) break;
    chain.push_back(d);
    oid = d->parent_domain;
  }
  std::reverse(chain.begin(), chain.end());
  return chain;
}

namespace {

// `e` with every reference to column 0 replaced by `value`.
BoundExprPtr SubstituteColumn0(const BoundExprPtr& e, const BoundExprPtr& value) {
  if (e == nullptr) return e;
  if (e->kind == BoundExprKind::kColumn && e->column_index == 0) return value;
  auto copy = std::make_shared<BoundExpr>(*e);
  for (auto& c : copy->children) c = SubstituteColumn0(c, value);
  return copy;
}

}  // namespace

// Calls `add(name, check)` for every constraint of the domains in `chain` (innermost first;
// per domain NOT NULL, then the CHECKs by name), each bound over `shape`, a table in which
// the column the domain applies to is named "value". Errors name the outermost domain (the
// one the value is coerced to), as PostgreSQL's.
template <typename Add>
void Binder::ForEachDomainConstraint(
    const std::vector<std::shared_ptr<const storage::TypeDefInfo>>& chain,
    std::shared_ptr<const storage::TableInfo> shape, Add add) {
  const std::string& outer = chain.back()->name;
  for (const auto& d : chain) {
    if (d->not_null) {
      auto query = ParseSelect("SELECT value IS NOT NULL");
      add(DomainCheckName(outer, ""), BindCheck(shape, *query->targets[0].expr));
    }
    std::vector<const storage::CheckConstraintInfo*> sorted;
    for (const auto& c : d->checks) sorted.push_back(&c);
    std::sort(sorted.begin(), sorted.end(),
              [](const auto* a, const auto* b) { return a->name < b->name; });
    for (const storage::CheckConstraintInfo* c : sorted) {
      auto query = ParseSelect("SELECT " + c->expr);
      if (query->targets.size() != 1 || !query->from.empty()) {
        Throw(SqlState::kInternalError, "bad CHECK expression for constraint \"{}\"", c->name);
      }
      add(DomainCheckName(outer, c->name), BindCheck(shape, *query->targets[0].expr));
    }
  }
}

void Binder::AttachDomainChecks(const storage::TableInfo& table, PlanNode* node) {
  if (ctx_->catalog == nullptr) return;
  std::vector<BoundExprPtr> checks;
  std::vector<std::string> names;
  for (size_t i = 0; i < table.columns.size(); ++i) {
    if (table.columns[i].domain == 0) continue;
    auto chain = DomainChain(*ctx_->catalog, table.columns[i].domain);
    if (chain.empty()) continue;
    // The row with only this column visible, as "value".
    auto shape = std::make_shared<storage::TableInfo>(table);
    shape->checks.clear();
    for (size_t j = 0; j < shape->columns.size(); ++j) {
      shape->columns[j].name = j == i ? "value" : std::string();
    }
    ForEachDomainConstraint(chain, shape, [&](std::string name, BoundExprPtr check) {
      names.push_back(std::move(name));
      checks.push_back(std::move(check));
    });
  }
  node->checks.insert(node->checks.begin(), checks.begin(), checks.end());
  node->check_names.insert(node->check_names.begin(), names.begin(), names.end());
}

BoundExprPtr Binder::DomainCheck(BoundExprPtr value, uint32_t domain) {
  if (domain == 0 || ctx_->catalog == nullptr) return value;
  auto chain = DomainChain(*ctx_->catalog, domain);
  if (chain.empty()) return value;
  auto shape = std::make_shared<storage::TableInfo>();
  shape->name = chain.back()->name;
  storage::ColumnInfo col;
  col.name = "value";
  col.type = value->type;
  shape->columns.push_back(col);
  std::vector<BoundExprPtr> args{value};
  ForEachDomainConstraint(chain, shape, [&](std::string name, BoundExprPtr check) {
    args.push_back(MakeConst(Value::Text(std::move(name))));
    args.push_back(SubstituteColumn0(check, value));
  });
  if (args.size() == 1) return value;
  Type t = value->type;
  return MakeExpr(BoundExprKind::kFunction, t, std::move(args), "domain_check");
}

}  // namespace activestore::planner
