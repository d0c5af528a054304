// The computed part of an index: the values of its expression key elements and its predicate
// (a partial index), evaluated over a table row. Storage cannot read SQL, so the executor
// registers the compiler (SetIndexCompiler) that turns an index's SQL text into an
// IndexEvaluator; the catalog attaches a lazy one (MakeLazyIndexEvaluator) to every index with
// expressions or a predicate, compiled on first use. See
// docs/design/2026-12-05-expression-and-partial-indexes.md.
//
// Thread safety: evaluators are immutable once compiled and thread-safe; the lazy one compiles
// once under its own mutex.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "common/value.h"

namespace activestore::storage {

struct TableInfo;
struct IndexInfo;
using Row = std::vector<Value>;

class IndexEvaluator {
 public:
  virtual ~IndexEvaluator() = default;
  // Whether `row` has an entry in the index: its predicate is true (always, without one).
  virtual bool Includes(const Row& row) const = 0;
  // The key values of `row`, one per key element (columns and expressions), in order. Errors
  // of the expressions (22012 ...) propagate, failing the row's write as in PostgreSQL.
  virtual std::vector<Value> Key(const Row& row) const = 0;
};

// Compiles an index's expressions and predicate for `table`'s rows; throws on text that does
// not bind (XX000).
using IndexCompiler = std::function<std::shared_ptr<const IndexEvaluator>(const TableInfo& table,
                                                                          const IndexInfo& index)>;

// Registers the process's compiler (the executor's, at NodeEngine::Open). Thread-safe.
void SetIndexCompiler(IndexCompiler compiler);

// An evaluator that compiles `index` of `table` with the registered compiler on first use
// (XX000 if none is registered), keeping copies of both.
std::shared_ptr<const IndexEvaluator> MakeLazyIndexEvaluator(const TableInfo& table,
                                                             const IndexInfo& index);

// The key of `row` in `index`: the projected columns, or through the evaluator; nullopt when
// the row is outside a partial index.
std::optional<std::vector<Value>> IndexKeyOf(const IndexInfo& index, const Row& row);

}  // namespace activestore::storage
