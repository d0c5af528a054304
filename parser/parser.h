// Entry point of parser/: SQL text in, owned AST out. ANTLR stays behind this interface.
#pragma once

#include <string>
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

// The session settings that change how text is read.
struct ParseOptions {
  bool standard_conforming_strings = true;  // off: backslash escapes in '...' too
  bool escape_string_warning = true;        // with the above off: warn per such literal
};

// A WARNING raised while reading the text (PostgreSQL's lexer warnings).
struct ParseWarning {
  std::string sqlstate;
  std::string message;
  std::string hint;
  int position = 0;  // 1-based character offset
};

// As Parse, with settings. With standard_conforming_strings off a U&'...' literal is 0A000
// `unsafe use of string constant with Unicode escapes`, and (with escape_string_warning) each
// '...' literal holding a backslash adds a 22P06 warning, as PostgreSQL's lexer.
std::vector<ast::StatementPtr> Parse(std::string_view sql, const ParseOptions& options,
                                     std::vector<ParseWarning>* warnings);

}  // namespace activestore::parser
