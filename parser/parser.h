// Entry point of parser/: SQL text in, owned AST out. ANTLR stays behind this interface.
#pragma once

#include <string_view>
#include <vector>

#include "parser/ast.h"

namespace activestore::parser {

// Parses one query string that may hold several statements separated by ';'. Empty statements
// are skipped. Each statement's location/length delimit its text in `sql`.
// Throws Error 42601 `syntax error at or near "tok"` (or `syntax error at end of input`) with
// Position set (1-based character offset), as PostgreSQL does.
// Thread-safe: may be called from several threads at once.
std::vector<ast::StatementPtr> Parse(std::string_view sql);

}  // namespace activestore::parser
