// Turns AST expressions back into SQL text that parser/ reads back to an equivalent tree.
// Used to store DEFAULT expressions in the catalog.
#pragma once

#include <functional>
#include <string>

#include "parser/ast.h"

namespace activestore::executor {

// Called for the sequence named by a regclass constant in nextval/currval/setval ('s' or
// 's'::regclass, at `location`): returns the name to store, written back as 'name'::regclass.
using RegclassHook = std::function<std::string(const std::string& text, int location)>;

// SQL text for `expr`. Throws 0A000 for subqueries (not allowed in stored expressions).
std::string DeparseExpr(const ast::Expr& expr, const RegclassHook* regclass = nullptr);
// SQL text for a type name ("numeric(10,2)").
std::string DeparseTypeName(const ast::TypeName& t);
// A string literal with quotes doubled.
std::string QuoteLiteral(const std::string& s);
// An identifier, double-quoted when it is not a plain lower-case name.
std::string QuoteIdent(const std::string& s);
// Whether stored expression text (a CHECK, an index expression, a generation expression) refers
// to a column of that name (ddl_alter_column.cpp).
bool StoredRefersTo(const std::string& sql, const std::string& column);

}  // namespace activestore::executor
