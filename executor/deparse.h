// Turns AST expressions back into SQL text that parser/ reads back to an equivalent tree.
// Used to store DEFAULT expressions in the catalog.
#pragma once

#include <string>

#include "parser/ast.h"

namespace activestore::executor {

// SQL text for `expr`. Throws 0A000 for subqueries (not allowed in stored expressions).
std::string DeparseExpr(const ast::Expr& expr);
// SQL text for a type name ("numeric(10,2)").
std::string DeparseTypeName(const ast::TypeName& t);
// A string literal with quotes doubled.
std::string QuoteLiteral(const std::string& s);
// An identifier, double-quoted when it is not a plain lower-case name.
std::string QuoteIdent(const std::string& s);

}  // namespace activestore::executor
