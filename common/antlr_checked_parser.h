// An ANTLR-generated parser with PostgreSQL's check_stack_depth on every rule: input nested
// deeper than the thread's stack allows ends in 54001 "stack depth limit exceeded" instead of a
// crash. Used by the SQL grammar (parser/parser.cpp) and the jsonpath grammar
// (common/jsonpath_parse.cpp); any further grammar should parse through it too.
#pragma once

#include <antlr4-runtime.h>

#include "common/stack_depth.h"

namespace activestore {

template <typename GeneratedParser>
class StackCheckedParser : public GeneratedParser {
 public:
  using GeneratedParser::GeneratedParser;

  void enterRule(antlr4::ParserRuleContext* ctx, size_t state, size_t rule) override {
    CheckStackDepth();
    GeneratedParser::enterRule(ctx, state, rule);
  }

  void enterRecursionRule(antlr4::ParserRuleContext* ctx, size_t state, size_t rule,
                          int precedence) override {
    CheckStackDepth();
    GeneratedParser::enterRecursionRule(ctx, state, rule, precedence);
  }
};

}  // namespace activestore
