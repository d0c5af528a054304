// Lifting constants out of statement text, without ANTLR, so that statements that differ only
// in their numbers share one parse and one plan (the plan cache, executor/session.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace activestore::parser {

// The type a lifted number binds as: PostgreSQL's reading of a numeric literal.
enum class LiftedType {
  kInt4,     // digits only, fits int4
  kInt8,     // digits only, fits int8
  kNumeric,  // digits only and larger, or with a '.' or an exponent
  // Only as a whole item of an INSERT ... VALUES row (see NormalizeLiterals):
  kString,  // a plain '...' string: a parameter of unknown type, its text the string's value
  kNull,    // NULL: a parameter of unknown type whose value is NULL
};

struct LiftedConstant {
  LiftedType type;
  // The literal as written ("12", "1.50", ".5", "1e5"); for kString the string's value
  // (quotes removed, '' read as '); empty for kNull.
  std::string text;
  size_t offset = 0;  // its byte offset in the original text
};

// A statement with its lifted numbers replaced by $1, $2, ... in order.
struct NormalizedStatement {
  std::string text;
  std::vector<LiftedConstant> constants;
  // The placeholder types as a short string ("4", "8", "n", "s", "z" per constant), for cache
  // keys.
  std::string TypeSignature() const;
};

// One pass over `sql` (read with standard_conforming_strings on). Returns the statement with
// its liftable numeric literals replaced by placeholders, or nullopt when nothing is lifted
// or the text is not eligible: not exactly one SELECT/INSERT/UPDATE/DELETE/WITH/VALUES
// statement, a `$n` already present, an unterminated quote or comment, or a number with junk
// after it (the parser then reports the error on the original text).
//
// A number is lifted only where it cannot change how the statement is bound or when an error
// is raised: it stands alone between `(` `,` a comparison operator or a keyword on its left and
// `)` `,` `;` a comparison operator or a keyword on its right (so never an operand of
// arithmetic, never signed, never followed by `::`); never inside [ ], a type's modifiers
// (`varchar(10)`, `numeric(10,2)`, `x::t(3)`), CAST( ), DISTINCT ON ( ), nor in ORDER BY,
// GROUP BY, LIMIT, OFFSET and FETCH clauses (positional references and row counts).
// Strings and NULL are lifted only as whole items of the rows of an INSERT ... VALUES whose
// rows are the whole source (followed by nothing, ON CONFLICT or RETURNING): there PostgreSQL
// coerces each item to its target column on its own, so an unknown-typed parameter binds as
// the literal does (the caller checks the types the parameters were given). Only plain '...'
// strings are (not E'', B'', X'', U&'' or dollar quotes). Booleans are never lifted.
//
// Thread-safe.
std::optional<NormalizedStatement> NormalizeLiterals(std::string_view sql);

// A statement as pg_stat_statements shows and groups it (executor/stat_statements.h).
struct StatementFingerprint {
  std::string text;  // the statement as written, its constants replaced by $n
  uint64_t id = 0;   // equal for statements that differ only in constants, spacing and case
};

// For a SELECT/INSERT/UPDATE/DELETE/MERGE/WITH/VALUES/TABLE statement: numbers, strings, TRUE,
// FALSE and NULL (but not in IS [NOT] NULL) are replaced by $n, numbered after the highest $n
// already in the text (PostgreSQL 15's pg_stat_statements), except type modifiers (`varchar(10)`)
// and positional ORDER BY / GROUP BY references; a unary minus belongs to its number. The id hashes
// the tokens (keywords and identifiers lower-cased, constants as one symbol). Any other statement
// (a utility statement) keeps its text and is identified by it. Leading white space and trailing
// semicolons are dropped. Thread-safe.
StatementFingerprint FingerprintStatement(std::string_view sql);

}  // namespace activestore::parser
