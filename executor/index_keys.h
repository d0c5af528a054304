// The executor's side of expression and partial indexes: compiles the SQL text an index keeps
// in the catalog (storage::IndexInfo::expressions, predicate) into the IndexEvaluator that
// storage calls for every row it writes (storage/index_evaluator.h).
#pragma once

#include <memory>

#include "storage/catalog.h"
#include "storage/index_evaluator.h"

namespace activestore::executor {

// Binds the index's expressions and predicate over `table`'s columns against `catalog` (for
// user-defined type names). Throws as planner::BindIndexExpr.
std::shared_ptr<const storage::IndexEvaluator> CompileIndexEvaluator(
    const storage::TableInfo& table, const storage::IndexInfo& index,
    std::shared_ptr<const storage::CatalogSnapshot> catalog);

// Registers CompileIndexEvaluator (with an empty catalog) as storage's index compiler.
void RegisterIndexCompiler();

}  // namespace activestore::executor
