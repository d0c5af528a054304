// Decoding of lexical elements: identifiers, string literals and numbers, as PostgreSQL's
// scanner (scan.l) does. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "parser/ast.h"

namespace activestore::parser {

// PostgreSQL's NAMEDATALEN - 1: longer identifiers are truncated to this many bytes.
inline constexpr size_t kMaxIdentifierBytes = 63;

// An unquoted identifier or keyword used as a name: ASCII letters lower-cased (as PostgreSQL
// does for UTF-8), truncated to kMaxIdentifierBytes at a character boundary.
std::string NormalizeIdentifier(std::string_view text);

// A double-quoted identifier, quotes included: quotes removed, "" turned into ", case kept,
// truncated like NormalizeIdentifier. REQUIRES: text starts and ends with '"'.
// Returns the empty string for "" (the caller reports the zero-length identifier).
std::string UnquoteIdentifier(std::string_view text);

// A possibly qualified name given as text ('sch."My Table"'), as PostgreSQL's
// stringToQualifiedNameList reads it for regclass input and nextval('...'): dot-separated
// parts, each double-quoted (kept as written, "" for ") or folded like NormalizeIdentifier;
// white space around parts is ignored. Throws 42602 `invalid name syntax`.
std::vector<std::string> SplitQualifiedName(std::string_view text);

// A standard string literal '...' (quotes included): '' becomes '. No backslash processing
// (standard_conforming_strings is on).
std::string UnquoteString(std::string_view text);

// An escape string literal E'...' (prefix and quotes included): \b \f \n \r \t, \ooo octal,
// \xhh hex, \uXXXX and \UXXXXXXXX Unicode escapes, \c for any other c, and ''.
// Throws Error 22P05 (untranslatable character) for a zero byte or an invalid code point,
// with `position` (1-based) as the error position.
std::string UnescapeEString(std::string_view text, int position);

// A Unicode escape string literal U&'...' (prefix and quotes included): \XXXX and \+XXXXXX
// code points, \\ for a backslash, and ''. Errors as UnescapeEString.
// Also U&"..." (an identifier's text; "" for "), and either followed by UESCAPE 'c' (the
// escape character instead of backslash).
std::string UnescapeUString(std::string_view text, int position);

// A dollar-quoted string $tag$...$tag$: the body.
std::string UndollarString(std::string_view text);

// The kind of an unsigned numeric literal: kInteger when it fits a 64-bit signed integer
// (after applying `negative`), otherwise kNumeric (as PostgreSQL makes big integers numeric).
ast::ConstKind ClassifyInteger(std::string_view digits, bool negative);

}  // namespace activestore::parser
