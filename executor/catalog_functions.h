// The system catalog information functions psql and drivers call (pg_get_userbyid,
// pg_table_is_visible, pg_type_is_visible, format_type, pg_encoding_to_char), with PostgreSQL
// 15's results, over the catalog the statement's transaction sees (ExecContext::catalog_view)
// and the relations of planner/pg_catalog/. Registered into functions.cpp's table; the
// signatures are in planner/functions.cpp.
#pragma once

#include <vector>

#include "executor/string_functions.h"

namespace activestore::executor {

const std::vector<StringFunctionEntry>& CatalogFunctionEntries();
// builtin_type_input, builtin_type_output, builtin_larger, builtin_smaller, builtin_typmod_cast:
// the internal functions of pg_proc that planner/bind_support_function.cpp binds
// (builtin_support_functions.cpp).
const std::vector<StringFunctionEntry>& BuiltinSupportFunctionEntries();

// pg_partition_ancestors(regclass) (a set-returning function).
std::vector<Value> PgPartitionAncestors(const std::vector<Value>& args, const planner::BoundExpr& e,
                                        ExecState& st);

}  // namespace activestore::executor
