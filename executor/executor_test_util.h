// Test helpers for executor tests: an in-memory storage engine and catalog, table creation,
// and small builders for bound expressions and plans.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "common/value_ops.h"
#include "executor/executor.h"
#include "planner/plan.h"
#include "storage/catalog.h"
#include "storage/storage.h"
#include "storage/table_store.h"

namespace activestore::executor::testing {

using planner::BoundExpr;
using planner::BoundExprKind;
using planner::BoundExprPtr;
using planner::PlanKind;
using planner::PlanNode;
using planner::PlanPtr;

inline Type TInt2() { return Type::Of(TypeId::kInt16); }
inline Type TInt4() { return Type::Of(TypeId::kInt32); }
inline Type TInt8() { return Type::Of(TypeId::kInt64); }
inline Type TF8() { return Type::Of(TypeId::kFloat64); }
inline Type TNum() { return Type::Of(TypeId::kNumeric); }
inline Type TText() { return Type::Of(TypeId::kText); }
inline Type TBool() { return Type::Of(TypeId::kBool); }
inline Type TDate() { return Type::Of(TypeId::kDate); }
inline Type TTs() { return Type::Of(TypeId::kTimestamp); }
inline Type TTsTz() { return Type::Of(TypeId::kTimestampTz); }

inline BoundExprPtr C(Value v) {
  auto e = std::make_shared<BoundExpr>();
  e->kind = BoundExprKind::kConstant;
  e->type = v.type;
  e->value = std::move(v);
  return e;
}
inline BoundExprPtr I4(int32_t x) { return C(Value::Int32(x)); }
inline BoundExprPtr I8(int64_t x) { return C(Value::Int64(x)); }
inline BoundExprPtr F8(double x) { return C(Value::Float64(x)); }
inline BoundExprPtr Txt(std::string s) { return C(Value::Text(std::move(s))); }
inline BoundExprPtr Bool(bool b) { return C(Value::Bool(b)); }
inline BoundExprPtr Num(const std::string& s) { return C(Value::Num(Numeric::Parse(s))); }
inline BoundExprPtr Null(Type t) { return C(Value::Null(t)); }

inline BoundExprPtr E(BoundExprKind kind, Type t, std::vector<BoundExprPtr> children,
                      std::string op = "", bool negated = false) {
  auto e = std::make_shared<BoundExpr>();
  e->kind = kind;
  e->type = t;
  e->children = std::move(children);
  e->op = std::move(op);
  e->negated = negated;
  return e;
}
inline BoundExprPtr Col(int i, Type t) {
  auto e = std::make_shared<BoundExpr>();
  e->kind = BoundExprKind::kColumn;
  e->type = t;
  e->column_index = i;
  return e;
}
inline BoundExprPtr Outer(int depth, int i, Type t) {
  auto e = std::make_shared<BoundExpr>();
  e->kind = BoundExprKind::kOuterColumn;
  e->type = t;
  e->column_index = i;
  e->outer_depth = depth;
  return e;
}
inline BoundExprPtr Param(int i, Type t) {
  auto e = std::make_shared<BoundExpr>();
  e->kind = BoundExprKind::kParam;
  e->type = t;
  e->param_index = i;
  return e;
}
inline BoundExprPtr Cmp(const std::string& op, BoundExprPtr a, BoundExprPtr b) {
  return E(BoundExprKind::kCompare, TBool(), {std::move(a), std::move(b)}, op);
}
inline BoundExprPtr Ar(const std::string& op, BoundExprPtr a, BoundExprPtr b, Type t) {
  return E(BoundExprKind::kArith, t, {std::move(a), std::move(b)}, op);
}
inline BoundExprPtr Fn(const std::string& name, Type t, std::vector<BoundExprPtr> args) {
  return E(BoundExprKind::kFunction, t, std::move(args), name);
}
inline BoundExprPtr Sub(BoundExprKind kind, Type t, PlanPtr plan, bool correlated,
                        std::vector<BoundExprPtr> children = {}, std::string op = "",
                        bool negated = false) {
  auto e = std::make_shared<BoundExpr>();
  e->kind = kind;
  e->type = t;
  e->subquery = std::move(plan);
  e->correlated = correlated;
  e->children = std::move(children);
  e->op = std::move(op);
  e->negated = negated;
  return e;
}

inline std::shared_ptr<PlanNode> Node(PlanKind kind, std::vector<Type> types,
                                      std::vector<PlanPtr> children = {}) {
  auto n = std::make_shared<PlanNode>();
  n->kind = kind;
  n->output_types = std::move(types);
  n->children = std::move(children);
  return n;
}

// VALUES of constant rows.
inline PlanPtr ValuesOf(std::vector<Type> types, const std::vector<std::vector<Value>>& rows) {
  auto n = Node(PlanKind::kValues, std::move(types));
  for (const auto& row : rows) {
    std::vector<BoundExprPtr> exprs;
    for (const auto& v : row) exprs.push_back(C(v));
    n->values_rows.push_back(std::move(exprs));
  }
  return n;
}

inline PlanPtr Project(PlanPtr child, std::vector<BoundExprPtr> exprs) {
  std::vector<Type> types;
  for (const auto& e : exprs) types.push_back(e->type);
  auto n = Node(PlanKind::kProject, types, {std::move(child)});
  n->exprs = std::move(exprs);
  return n;
}

inline PlanPtr Filter(PlanPtr child, BoundExprPtr pred) {
  auto n = Node(PlanKind::kFilter, child->output_types, {child});
  n->predicate = std::move(pred);
  return n;
}

inline std::string Show(const Value& v) { return v.is_null ? "NULL" : FormatValue(v); }

inline std::string ShowRow(const std::vector<Value>& row) {
  std::string s;
  for (size_t i = 0; i < row.size(); ++i) {
    if (i) s += "|";
    s += Show(row[i]);
  }
  return s;
}

// An in-memory engine and catalog with helpers to create and fill tables and run plans.
class ExecutorFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::StorageOptions o;
    o.engine = "memory";
    o.data_dir = "/tmp/as-executor-test-unused";
    engine_ = storage::Engine::Open(o).value();
    catalog_ = storage::Catalog::Open(engine_.get(), 4);
  }

  struct ColSpec {
    std::string name;
    Type type;
    bool not_null = false;
  };

  std::shared_ptr<const storage::TableInfo> MakeTable(const std::string& name,
                                                      const std::vector<ColSpec>& cols,
                                                      std::vector<int> pk,
                                                      std::vector<storage::IndexInfo> idx = {}) {
    storage::TableInfo info;
    info.database_oid = catalog_->Snapshot()->FindDatabase("postgres")->oid;
    info.schema = "public";
    info.name = name;
    for (const auto& c : cols) info.columns.push_back({c.name, c.type, c.not_null, std::nullopt});
    info.primary_key = std::move(pk);
    info.indexes = std::move(idx);
    return catalog_->CreateTable(std::move(info));
  }

  void Fill(const storage::TableInfo& t, const std::vector<std::vector<Value>>& rows) {
    auto txn = engine_->Begin();
    for (const auto& r : rows) storage::TableStore::Insert(catalog_.get(), txn.get(), t, r);
    txn->Commit();
  }

  // Gather over one shard scan per shard.
  PlanPtr ScanAll(const std::shared_ptr<const storage::TableInfo>& t, std::vector<int> cols,
                  BoundExprPtr pred = nullptr, bool locations = false) {
    std::vector<Type> types;
    for (int c : cols) types.push_back(t->columns[c].type);
    auto g = Node(PlanKind::kGather, types);
    for (uint32_t s = 0; s < t->shard_count; ++s) {
      auto scan = Node(PlanKind::kShardScan, types);
      scan->table = t;
      scan->shard = s;
      scan->columns = cols;
      scan->predicate = pred;
      scan->emit_row_location = locations;
      g->children.push_back(scan);
    }
    return g;
  }

  // Runs the plan in its own transaction (committed on success); returns the rows.
  std::vector<std::vector<Value>> Run(const PlanNode& plan, int64_t* count = nullptr,
                                      std::vector<Value> params = {}) {
    auto txn = engine_->Begin();
    ExecContext ctx;
    ctx.txn = txn.get();
    ctx.catalog = catalog_.get();
    ctx.params = std::move(params);
    ctx.cancel = &cancel_;
    ctx.statement_timestamp_us = 1000;
    std::vector<std::vector<Value>> out;
    int64_t n = RunPlan(plan, ctx, [&](std::vector<std::vector<Value>>&& rows) {
      for (auto& r : rows) out.push_back(std::move(r));
    });
    txn->Commit();
    if (count) *count = n;
    return out;
  }

  std::vector<std::string> Rows(const PlanNode& plan, bool sorted = false,
                                std::vector<Value> params = {}) {
    std::vector<std::string> out;
    for (const auto& r : Run(plan, nullptr, std::move(params))) out.push_back(ShowRow(r));
    if (sorted) std::sort(out.begin(), out.end());
    return out;
  }

  // The single value of a one-row, one-column result of expr evaluated over VALUES rows.
  std::string Eval1(BoundExprPtr e) {
    auto res = Node(PlanKind::kResult, {e->type});
    res->exprs = {std::move(e)};
    auto rows = Run(*res);
    EXPECT_EQ(rows.size(), 1u);
    return rows.empty() ? "" : Show(rows[0][0]);
  }

  std::unique_ptr<storage::Engine> engine_;
  std::unique_ptr<storage::Catalog> catalog_;
  std::atomic<bool> cancel_{false};
};

// Expects `stmt` to throw an Error with the SQLSTATE code and, if given, message.
#define EXPECT_SQLSTATE(stmt, code, msg)                                          \
  do {                                                                            \
    try {                                                                         \
      stmt;                                                                       \
      ADD_FAILURE() << "expected error " << code;                                 \
    } catch (const ::activestore::Error& e__) {                                   \
      EXPECT_EQ(::activestore::SqlStateCode(e__.state()), code) << e__.message(); \
      if (std::string(msg).size()) EXPECT_EQ(e__.message(), std::string(msg));    \
    }                                                                             \
  } while (0)

}  // namespace activestore::executor::testing
