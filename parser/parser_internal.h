// Parser internals exposed for tests and diagnostics. Not part of the parser/ contract.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace activestore::parser::internal {

// Parses that needed the second (full LL) pass since the process started: an SLL failure,
// which is either a syntax error or a statement that SLL prediction cannot handle.
uint64_t LlFallbackCount();

// ANTLR's DFA cache (process-wide) is cleared when the parser's DFAs hold more states than this
// (checked every 64 parses); SetDfaStateLimit changes it (tests); DfaClearCount counts clears.
inline constexpr size_t kDefaultDfaStateLimit = 50000;
void SetDfaStateLimit(size_t states);
uint64_t DfaClearCount();

// Maximum nesting of expressions (operator chains count one level per operator). Deeper trees
// raise 54000 "stack depth limit exceeded", as PostgreSQL does past max_stack_depth.
inline constexpr int kMaxExpressionDepth = 2000;

// Maximum nesting of parentheses and brackets accepted (deeper: 54000).
inline constexpr int kMaxNesting = 1000;

}  // namespace activestore::parser::internal
