// A compact, deterministic text form of the AST, for tests, logs and debugging.
// Expressions print as S-expressions with PostgreSQL operator spelling, e.g.
//   "SELECT - col2 * + 98"  ->  {SELECT (* -col2... )}  (see ast_dump_test cases in
// parser_test.cpp for the exact forms). Thread-safe (pure functions).
#pragma once

#include <string>

#include "parser/ast.h"

namespace activestore::parser {

std::string DumpType(const ast::TypeName& t);
std::string DumpExpr(const ast::Expr& e);
std::string DumpSelect(const ast::SelectStmt& s);
std::string DumpStatement(const ast::Statement& s);

}  // namespace activestore::parser
