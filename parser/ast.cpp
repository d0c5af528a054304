#include "parser/ast.h"

namespace activestore::ast {

// Out of line: SortItem and SelectStmt are incomplete where Expr is declared.
Expr::~Expr() = default;

const char* LockStrengthName(LockStrength s) {
  switch (s) {
    case LockStrength::kKeyShare:
      return "FOR KEY SHARE";
    case LockStrength::kShare:
      return "FOR SHARE";
    case LockStrength::kNoKeyUpdate:
      return "FOR NO KEY UPDATE";
    case LockStrength::kUpdate:
      return "FOR UPDATE";
  }
  return "FOR UPDATE";
}

}  // namespace activestore::ast
