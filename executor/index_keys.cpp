#include "executor/index_keys.h"

#include "common/error.h"
#include "executor/exec_state.h"
#include "executor/expression_evaluator.h"
#include "planner/planner.h"

namespace activestore::executor {
namespace {

class CompiledIndexEvaluator : public storage::IndexEvaluator {
 public:
  CompiledIndexEvaluator(const storage::TableInfo& table, std::vector<int> columns,
                         std::vector<planner::BoundExprPtr> expressions,
                         planner::BoundExprPtr predicate)
      : columns_(std::move(columns)),
        expressions_(std::move(expressions)),
        predicate_(std::move(predicate)) {
    for (const auto& c : table.columns) types_.push_back(c.type);
  }

  bool Includes(const storage::Row& row) const override {
    if (!predicate_) return true;
    ExecContext ctx;
    ExecState st(ctx);
    DataChunk chunk = Chunk(row);
    std::vector<uint32_t> sel;
    EvaluatePredicate(*predicate_, chunk, st, &sel);
    return !sel.empty();
  }

  std::vector<Value> Key(const storage::Row& row) const override {
    std::vector<Value> out;
    out.reserve(columns_.size());
    size_t next = 0;
    std::optional<DataChunk> chunk;
    ExecContext ctx;
    ExecState st(ctx);
    for (int c : columns_) {
      if (c != storage::IndexInfo::kExpressionColumn) {
        out.push_back(row.at(c));
        continue;
      }
      if (!chunk) chunk = Chunk(row);
      Vector v;
      EvaluateExpression(*expressions_.at(next++), *chunk, st, &v);
      out.push_back(v.Get(0));
    }
    return out;
  }

 private:
  DataChunk Chunk(const storage::Row& row) const {
    DataChunk chunk;
    chunk.Init(types_);
    for (size_t c = 0; c < types_.size(); ++c) {
      chunk.columns[c].Append(c < row.size() ? row[c] : Value::Null(types_[c]));
    }
    chunk.size = 1;
    return chunk;
  }

  std::vector<Type> types_;
  std::vector<int> columns_;
  std::vector<planner::BoundExprPtr> expressions_;
  planner::BoundExprPtr predicate_;
};

}  // namespace

std::shared_ptr<const storage::IndexEvaluator> CompileIndexEvaluator(
    const storage::TableInfo& table, const storage::IndexInfo& index,
    std::shared_ptr<const storage::CatalogSnapshot> catalog) {
  auto shape = std::make_shared<storage::TableInfo>(table);
  shape->indexes.clear();
  shape->checks.clear();
  planner::PlannerContext ctx;
  ctx.catalog = std::move(catalog);
  ctx.database = table.database_oid;
  ctx.search_path = {table.schema, "public"};
  std::vector<planner::BoundExprPtr> exprs;
  for (const std::string& text : index.expressions) {
    exprs.push_back(planner::BindIndexText(shape, text, ctx, false));
  }
  planner::BoundExprPtr pred;
  if (index.partial()) pred = planner::BindIndexText(shape, index.predicate, ctx, true);
  return std::make_shared<CompiledIndexEvaluator>(table, index.columns, std::move(exprs),
                                                  std::move(pred));
}

void RegisterIndexCompiler() {
  storage::SetIndexCompiler([](const storage::TableInfo& table, const storage::IndexInfo& index) {
    static const auto kEmpty = std::make_shared<const storage::CatalogSnapshot>();
    return CompileIndexEvaluator(table, index, kEmpty);
  });
}

}  // namespace activestore::executor
