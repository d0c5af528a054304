#include "parser/ast.h"

namespace activestore::ast {

// Out of line: SortItem and SelectStmt are incomplete where Expr is declared.
Expr::~Expr() = default;

}  // namespace activestore::ast
