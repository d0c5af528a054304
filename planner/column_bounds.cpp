#include "planner/column_bounds.h"

namespace activestore::planner {

std::optional<ColumnBound> ColumnComparison(const BoundExprPtr& e, int column) {
  if (e->kind != BoundExprKind::kCompare || e->children.size() != 2) return std::nullopt;
  auto is_column = [&](const BoundExprPtr& c) {
    return c->kind == BoundExprKind::kColumn && c->column_index == column;
  };
  std::string op = e->op;
  if (op != "=" && op != "<" && op != "<=" && op != ">" && op != ">=") return std::nullopt;
  if (is_column(e->children[0])) return ColumnBound{op, e->children[1]};
  if (!is_column(e->children[1])) return std::nullopt;
  if (op == "<") {
    op = ">";
  } else if (op == ">") {
    op = "<";
  } else if (op == "<=") {
    op = ">=";
  } else if (op == ">=") {
    op = "<=";
  }
  return ColumnBound{op, e->children[0]};
}

}  // namespace activestore::planner
