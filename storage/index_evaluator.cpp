#include "storage/index_evaluator.h"

#include <mutex>

#include "common/error.h"
#include "storage/catalog.h"

namespace activestore::storage {
namespace {

std::mutex& CompilerMutex() {
  static std::mutex m;
  return m;
}

IndexCompiler& Compiler() {
  static IndexCompiler c;
  return c;
}

class LazyIndexEvaluator : public IndexEvaluator {
 public:
  LazyIndexEvaluator(const TableInfo& table, const IndexInfo& index)
      : table_(std::make_shared<TableInfo>(table)), index_(index) {
    table_->indexes.clear();
    index_.evaluator.reset();
  }

  bool Includes(const Row& row) const override { return Compiled().Includes(row); }
  std::vector<Value> Key(const Row& row) const override { return Compiled().Key(row); }

 private:
  const IndexEvaluator& Compiled() const {
    std::lock_guard<std::mutex> lock(mu_);
    if (!compiled_) {
      IndexCompiler compiler;
      {
        std::lock_guard<std::mutex> c(CompilerMutex());
        compiler = Compiler();
      }
      if (!compiler) {
        Throw(SqlState::kInternalError, "no compiler for the expressions of index \"{}\"",
              index_.name);
      }
      compiled_ = compiler(*table_, index_);
    }
    return *compiled_;
  }

  std::shared_ptr<TableInfo> table_;
  IndexInfo index_;
  mutable std::mutex mu_;
  mutable std::shared_ptr<const IndexEvaluator> compiled_;
};

}  // namespace

void SetIndexCompiler(IndexCompiler compiler) {
  std::lock_guard<std::mutex> lock(CompilerMutex());
  Compiler() = std::move(compiler);
}

std::shared_ptr<const IndexEvaluator> MakeLazyIndexEvaluator(const TableInfo& table,
                                                             const IndexInfo& index) {
  return std::make_shared<LazyIndexEvaluator>(table, index);
}

std::optional<std::vector<Value>> IndexKeyOf(const IndexInfo& index, const Row& row) {
  if (index.plain()) {
    std::vector<Value> out;
    out.reserve(index.columns.size());
    for (int c : index.columns) out.push_back(row.at(c));
    return out;
  }
  if (!index.evaluator) {
    Throw(SqlState::kInternalError, "index \"{}\" has no evaluator", index.name);
  }
  if (!index.evaluator->Includes(row)) return std::nullopt;
  return index.evaluator->Key(row);
}

}  // namespace activestore::storage
