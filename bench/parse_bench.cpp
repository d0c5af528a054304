// Parsing (parser::Parse: ANTLR lexer and parser, then the AST builder) of typical statements,
// with ANTLR's DFA cache warm (every statement is parsed once before timing).
#include <benchmark/benchmark.h>

#include <string>

#include "parser/parser.h"

namespace activestore::bench {
namespace {

const char* const kStatements[] = {
    // pgbench -S
    "SELECT abalance FROM pgbench_accounts WHERE aid = 48213",
    // pgbench TPC-B's first statement
    "UPDATE pgbench_accounts SET abalance = abalance + -4021 WHERE aid = 48213",
    // a five-way join with grouping and ordering
    "SELECT c.name, r.name AS region, count(*) AS orders, sum(l.quantity * p.price) AS revenue "
    "FROM customers c JOIN orders o ON o.customer_id = c.id "
    "JOIN line_items l ON l.order_id = o.id JOIN products p ON p.id = l.product_id "
    "JOIN regions r ON r.id = c.region_id "
    "WHERE o.placed_at >= '2026-01-01' AND p.category IN ('books', 'games') "
    "GROUP BY c.name, r.name ORDER BY revenue DESC LIMIT 20",
};

void BM_Parse(benchmark::State& state) {
  const std::string sql = kStatements[state.range(0)];
  benchmark::DoNotOptimize(parser::Parse(sql));  // warm the DFA cache
  for (auto _ : state) benchmark::DoNotOptimize(parser::Parse(sql));
  state.SetLabel(state.range(0) == 0   ? "pgbench SELECT"
                 : state.range(0) == 1 ? "TPC-B UPDATE"
                                       : "5-way join");
}
BENCHMARK(BM_Parse)->DenseRange(0, 2)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace activestore::bench
