// PostgreSQL's syntactic checks of a WITH RECURSIVE list (parse_cte.c): mutual recursion
// (0A000) and well-formed self-references (42P19), made before any item is bound.
#pragma once

#include "parser/ast.h"

namespace activestore::planner {

// Throws PostgreSQL's error for the first problem found; nothing for a non-RECURSIVE list.
void CheckRecursiveWithList(const ast::WithClause& with);

}  // namespace activestore::planner
