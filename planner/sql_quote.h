// Quoting for SQL text the catalog stores and prints (deparsed expressions).
#pragma once

#include <optional>
#include <string>

#include "common/types.h"
#include "common/value.h"
#include "common/value_ops.h"
#include "planner/plan.h"

namespace activestore::planner {

// PostgreSQL 15's keywords other than the unreserved ones: an identifier spelled like one needs
// quotes.
bool IsQuotedKeyword(const std::string& w);
// An identifier, double-quoted when it is not a plain lower-case name or is such a keyword
// (ruleutils' quote_identifier).
std::string QuoteSqlIdentifier(const std::string& s);
// A type as ruleutils writes it in a cast (format_type_with_typemod): "bit" quoted without a
// length, bpchar for character without one.
std::string CastTypeSqlName(Type type);
// "COALESCE(", "GREATEST(", "LEAST(" or "NULLIF(": how ruleutils opens a kCoalesce, kGreatest,
// kLeast or kNullIf expression.
const char* ConditionalCallOpening(BoundExprKind kind);
// Whether an arithmetic operand needs parentheses under its parent (ruleutils' isSimpleNode):
// for op and parent_op both among + - * / %, true under a tighter parent, false under a
// looser one, and at equal precedence only when it is not the first (left) operand; nullopt
// when either is not such an operator.
std::optional<bool> ArithmeticOperandNeedsParens(const std::string& op,
                                                 const std::string& parent_op, bool first);
// A string literal with its quotes doubled: 'it''s'.
std::string QuoteSqlLiteral(const std::string& s);
// The op of a constant folded from a cast of another typed constant: the prefix, then that
// constant's ConstantSqlText (what ruleutils prints as "(0)::numeric").
inline constexpr const char* kFoldedCastPrefix = "cast_of:";
// A constant as PostgreSQL's ruleutils prints it (get_const_expr): 5, true, '-1'::integer,
// 'x'::text (bind_index.cpp), its text in the reader's DateStyle and IntervalStyle (`opts`).
std::string ConstantSqlText(const Value& v, Type type, const FormatOptions& opts = {});
// A column DEFAULT as pg_get_expr prints what PostgreSQL stores for it: a lone literal shows
// the constant it was coerced to ('none'::text, '2020-01-01'::date, '-1'::integer, 5); any
// other expression prints as stored.
std::string DefaultDisplayText(const std::string& default_sql, Type column_type);

}  // namespace activestore::planner
