// pg_get_expr's text of a stored expression (deparse_view.cpp; DeparseViewQuery is in
// planner.h).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "planner/planner.h"

namespace activestore::planner {

// The expression `sql` (a column DEFAULT or a CHECK condition as the catalog stores it) bound
// over `table`'s columns (none when null) and printed as PostgreSQL 15's pg_get_expr prints the
// stored tree: casts written out, every operator parenthesized unless `pretty`, columns
// unqualified. nullopt for a shape deparse_view.cpp does not print yet (the caller keeps the
// text).
std::optional<std::string> DeparseExpression(const std::string& sql,
                                             std::shared_ptr<const storage::TableInfo> table,
                                             PlannerContext& ctx, bool pretty);

}  // namespace activestore::planner
