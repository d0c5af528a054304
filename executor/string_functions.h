// Regular-expression functions (regex_functions.cpp, on common/regex.h) and more string
// functions (string_functions.cpp: format, quote_*, split_part, chr, ascii, unistr, translate,
// to_hex, starts_with, overlay of text, parse_ident, VARIADIC forms of concat/concat_ws/format),
// with PostgreSQL 15's semantics and errors. Registered into the function table of
// functions.cpp by name (the planner's table in planner/functions.cpp gives the signatures).
#pragma once

#include <string>
#include <vector>

#include "common/value.h"
#include "executor/exec_state.h"
#include "planner/plan.h"

namespace activestore::executor {

// Arguments arrive cast to the resolved parameter types; `strict` ones never see a NULL.
using StringFunctionFn = Value (*)(const std::vector<Value>& args, const planner::BoundExpr& e,
                                   ExecState& st);
struct StringFunctionEntry {
  const char* name;
  StringFunctionFn fn;
  bool strict;
};
const std::vector<StringFunctionEntry>& RegexFunctionEntries();
const std::vector<StringFunctionEntry>& StringFunctionEntries();

// Set-returning functions: every row's value at once (regexp_matches, regexp_split_to_table,
// string_to_table). A strict one gives no row for a NULL argument.
using SetFunctionFn = std::vector<Value> (*)(const std::vector<Value>& args,
                                             const planner::BoundExpr& e, ExecState& st);
struct SetFunctionEntry {
  const char* name;
  SetFunctionFn fn;
  bool strict;
};
const std::vector<SetFunctionEntry>& SetFunctionEntries();

// string_to_table(text, delimiter [, null_string]) (string_functions.cpp).
std::vector<Value> StringToTable(const std::vector<Value>& args, const planner::BoundExpr& e,
                                 ExecState& st);

}  // namespace activestore::executor
