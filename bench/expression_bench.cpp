// Expression evaluation over one batch of 2048 rows (EvaluateExpression / EvaluatePredicate on a
// DataChunk): arithmetic and comparison over int8 and float8 columns, a predicate, functions
// with a batch form (date_bin, lower, date_trunc, date_part), a cast, a comparison with a
// constant and coalesce.
#include <benchmark/benchmark.h>

#include <atomic>

#include "bench/bench_util.h"
#include "executor/exec_state.h"
#include "executor/expression_evaluator.h"

namespace activestore::bench {
namespace {

using planner::BoundExprKind;
constexpr size_t kRows = 2048;

// Columns a, b, c of `type` (int8 or float8), then ts timestamptz and metric text.
executor::DataChunk MakeChunk(TypeId type) {
  executor::DataChunk chunk;
  Type t = Type::Of(type);
  chunk.Init({t, t, t, Type::Of(TypeId::kTimestampTz), Type::Of(TypeId::kText)});
  for (size_t r = 0; r < kRows; ++r) {
    int64_t i = static_cast<int64_t>(r);
    auto num = [&](int64_t x) {
      return type == TypeId::kInt64 ? Value::Int64(x) : Value::Float64(static_cast<double>(x));
    };
    std::vector<Value> row = MetricsRow(i);
    chunk.AppendRow({num(i), num(i % 7), num(3 * i - 5), row[1],
                     Value::Text("Device-" + std::to_string(i % 100))});
  }
  return chunk;
}

// a + b * 2 > c
planner::BoundExprPtr ArithCompare(TypeId type) {
  Type t = Type::Of(type);
  Value two = type == TypeId::kInt64 ? Value::Int64(2) : Value::Float64(2);
  auto mul = Expr(BoundExprKind::kArith, t, {ColumnRef(1, t), Constant(two)}, "*");
  auto add = Expr(BoundExprKind::kArith, t, {ColumnRef(0, t), mul}, "+");
  return Expr(BoundExprKind::kCompare, Type::Of(TypeId::kBool), {add, ColumnRef(2, t)}, ">");
}

void RunExpression(benchmark::State& state, const executor::DataChunk& chunk,
                   const planner::BoundExpr& expr) {
  std::atomic<bool> cancel{false};
  executor::ExecContext ctx;
  ctx.cancel = &cancel;
  executor::ExecState st(ctx);
  executor::Vector out;
  for (auto _ : state) {
    executor::EvaluateExpression(expr, chunk, st, &out);
    benchmark::DoNotOptimize(out.nulls.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kRows));
}

void BM_ExprArithCompareInt8(benchmark::State& state) {
  auto chunk = MakeChunk(TypeId::kInt64);
  RunExpression(state, chunk, *ArithCompare(TypeId::kInt64));
}
BENCHMARK(BM_ExprArithCompareInt8);

void BM_ExprArithCompareFloat8(benchmark::State& state) {
  auto chunk = MakeChunk(TypeId::kFloat64);
  RunExpression(state, chunk, *ArithCompare(TypeId::kFloat64));
}
BENCHMARK(BM_ExprArithCompareFloat8);

// WHERE a + b * 2 > c: the selection of qualifying rows.
void BM_PredicateInt8(benchmark::State& state) {
  auto chunk = MakeChunk(TypeId::kInt64);
  auto pred = ArithCompare(TypeId::kInt64);
  std::atomic<bool> cancel{false};
  executor::ExecContext ctx;
  ctx.cancel = &cancel;
  executor::ExecState st(ctx);
  std::vector<uint32_t> sel;
  for (auto _ : state) {
    executor::EvaluatePredicate(*pred, chunk, st, &sel);
    benchmark::DoNotOptimize(sel.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kRows));
}
BENCHMARK(BM_PredicateInt8);

// date_bin('15 minutes', ts, timestamptz '2026-01-01')
void BM_ExprDateBin(benchmark::State& state) {
  auto chunk = MakeChunk(TypeId::kInt64);
  Type tstz = Type::Of(TypeId::kTimestampTz);
  auto expr = Expr(BoundExprKind::kFunction, tstz,
                   {Constant(Value::Interval(Interval{15 * 60 * 1000000LL, 0, 0})),
                    ColumnRef(3, tstz), Constant(MetricsRow(0)[1])},
                   "date_bin");
  RunExpression(state, chunk, *expr);
}
BENCHMARK(BM_ExprDateBin);

// lower(metric)
void BM_ExprLower(benchmark::State& state) {
  auto chunk = MakeChunk(TypeId::kInt64);
  Type text = Type::Of(TypeId::kText);
  auto expr = Expr(BoundExprKind::kFunction, text, {ColumnRef(4, text)}, "lower");
  RunExpression(state, chunk, *expr);
}
BENCHMARK(BM_ExprLower);

// date_trunc('hour', ts) over 2,048 timestamptz (session zone UTC)
void BM_ExprDateTrunc(benchmark::State& state) {
  auto chunk = MakeChunk(TypeId::kInt64);
  Type tstz = Type::Of(TypeId::kTimestampTz);
  auto expr = Expr(BoundExprKind::kFunction, tstz,
                   {Constant(Value::Text("hour")), ColumnRef(3, tstz)}, "date_trunc");
  RunExpression(state, chunk, *expr);
}
BENCHMARK(BM_ExprDateTrunc);

// date_part('hour', ts): float8
void BM_ExprDatePart(benchmark::State& state) {
  auto chunk = MakeChunk(TypeId::kInt64);
  auto expr = Expr(BoundExprKind::kFunction, Type::Of(TypeId::kFloat64),
                   {Constant(Value::Text("hour")), ColumnRef(3, Type::Of(TypeId::kTimestampTz))},
                   "date_part");
  RunExpression(state, chunk, *expr);
}
BENCHMARK(BM_ExprDatePart);

// a::int4 over float8 a
void BM_ExprCastFloat8ToInt4(benchmark::State& state) {
  auto chunk = MakeChunk(TypeId::kFloat64);
  auto expr = Expr(BoundExprKind::kCast, Type::Of(TypeId::kInt32),
                   {ColumnRef(0, Type::Of(TypeId::kFloat64))}, "");
  RunExpression(state, chunk, *expr);
}
BENCHMARK(BM_ExprCastFloat8ToInt4);

// a > 50.0 over float8 a: a comparison with a constant (read once, not repeated per row)
void BM_ExprCompareConstFloat8(benchmark::State& state) {
  auto chunk = MakeChunk(TypeId::kFloat64);
  Type f8 = Type::Of(TypeId::kFloat64);
  auto expr = Expr(BoundExprKind::kCompare, Type::Of(TypeId::kBool),
                   {ColumnRef(0, f8), Constant(Value::Float64(50.0))}, ">");
  RunExpression(state, chunk, *expr);
}
BENCHMARK(BM_ExprCompareConstFloat8);

// coalesce(metric, 'none') over text
void BM_ExprCoalesceText(benchmark::State& state) {
  auto chunk = MakeChunk(TypeId::kInt64);
  Type text = Type::Of(TypeId::kText);
  auto expr =
      Expr(BoundExprKind::kCoalesce, text, {ColumnRef(4, text), Constant(Value::Text("none"))}, "");
  RunExpression(state, chunk, *expr);
}
BENCHMARK(BM_ExprCoalesceText);

}  // namespace
}  // namespace activestore::bench
