// Parser internals exposed for tests and diagnostics. Not part of the parser/ contract.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

namespace activestore::parser::internal {

// Parses that needed the second (full LL) pass since the process started: an SLL failure,
// which is either a syntax error or a statement that SLL prediction cannot handle.
uint64_t LlFallbackCount();

// ANTLR's DFA cache (process-wide) is cleared when its estimated size (parser DFA states and
// shared prediction contexts) passes this many bytes, checked every 64 parses;
// SetDfaCacheLimit changes it (tests); DfaClearCount counts clears.
inline constexpr size_t kDefaultDfaCacheBytes = size_t{128} << 20;
void SetDfaCacheLimit(size_t bytes);
uint64_t DfaClearCount();
// The parser's DFA states and shared prediction contexts now.
std::pair<size_t, size_t> DfaCacheSize();

// Maximum nesting of expressions (operator chains count one level per operator). Deeper trees
// raise 54000 "stack depth limit exceeded", as PostgreSQL does past max_stack_depth.
inline constexpr int kMaxExpressionDepth = 2000;

// Maximum nesting of parentheses and brackets accepted (deeper: 54000).
inline constexpr int kMaxNesting = 1000;

}  // namespace activestore::parser::internal
