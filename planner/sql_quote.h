// Quoting for SQL text the catalog stores and prints (deparsed expressions).
#pragma once

#include <string>

namespace activestore::planner {

// An identifier, double-quoted when it is not a plain lower-case name.
std::string QuoteSqlIdentifier(const std::string& s);
// A string literal with its quotes doubled: 'it''s'.
std::string QuoteSqlLiteral(const std::string& s);

}  // namespace activestore::planner
