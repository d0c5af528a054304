// Parse(): lexing, the two-pass ANTLR parse, error translation, AST building.
//
// Pass 1 parses with SLL prediction and a bail-out error strategy: fast, and enough for nearly
// all statements. If it fails (a syntax error, or rarely a statement that needs full-context
// prediction), pass 2 re-parses with full LL prediction, which is exact: it either succeeds or
// stops at the first token that cannot continue a valid statement, which is where PostgreSQL's
// LALR parser reports its syntax error too.
#include "parser/parser.h"

#include <antlr4-runtime.h>

#include <atomic>

#include "SqlLexer.h"
#include "SqlParser.h"
#include "common/error.h"
#include "parser/ast_builder.h"
#include "parser/code_point_stream.h"
#include "parser/parser_internal.h"

namespace activestore::parser {
namespace {

using grammar::SqlLexer;
using grammar::SqlParser;

std::atomic<uint64_t> g_ll_fallbacks{0};

// The ErrorResponse for a syntax error detected at token `t`, as PostgreSQL words it.
Error SyntaxErrorAt(antlr4::Token* t, const CodePointStream& input) {
  if (t == nullptr || t->getType() == antlr4::Token::EOF) {
    return Error(SqlState::kSyntaxError, "syntax error at end of input")
        .Position(static_cast<int>(input.CharCount()) + 1);
  }
  std::string text = t->getText();
  const char* what = nullptr;
  switch (t->getType()) {
    case SqlLexer::UNTERMINATED_STRING:
    case SqlLexer::UNTERMINATED_ESTRING:
      what = "unterminated quoted string";
      break;
    case SqlLexer::UNTERMINATED_QUOTED_IDENT:
      what = "unterminated quoted identifier";
      break;
    case SqlLexer::UNTERMINATED_COMMENT:
      what = "unterminated /* comment";
      break;
    case SqlLexer::UNTERMINATED_DOLLAR_STRING:
      what = "unterminated dollar-quoted string";
      break;
    case SqlLexer::NUMBER_JUNK:
      what = "trailing junk after numeric literal";
      break;
    case SqlLexer::PARAM_JUNK:
      what = "trailing junk after parameter";
      break;
    default:
      what = "syntax error";
  }
  return Error(SqlState::kSyntaxError, fmt::format("{} at or near \"{}\"", what, text))
      .Position(static_cast<int>(t->getStartIndex()) + 1);
}

// Pass 2's listener: turns the first syntax error into an Error and stops the parse.
class ThrowingErrorListener : public antlr4::BaseErrorListener {
 public:
  explicit ThrowingErrorListener(const CodePointStream& input) : input_(input) {}

  void syntaxError(antlr4::Recognizer*, antlr4::Token* offending, size_t, size_t,
                   const std::string&, std::exception_ptr) override {
    throw SyntaxErrorAt(offending, input_);
  }

 private:
  const CodePointStream& input_;
};

// Rejects statements nested deeper than the recursive-descent parser can safely take.
void CheckNesting(antlr4::CommonTokenStream& tokens) {
  int depth = 0;
  for (antlr4::Token* t : tokens.getTokens()) {
    size_t type = t->getType();
    if (type == SqlLexer::LPAREN || type == SqlLexer::LBRACKET) {
      if (++depth > internal::kMaxNesting) {
        Error e(SqlState::kProgramLimitExceeded, "stack depth limit exceeded");
        e.Hint("The statement nests parentheses too deeply; simplify it.");
        e.Position(static_cast<int>(t->getStartIndex()) + 1);
        throw e;
      }
    } else if (type == SqlLexer::RPAREN || type == SqlLexer::RBRACKET) {
      --depth;
    }
  }
}

}  // namespace

std::vector<ast::StatementPtr> Parse(std::string_view sql) {
  CodePointStream input(sql);
  SqlLexer lexer(&input);
  lexer.removeErrorListeners();
  antlr4::CommonTokenStream tokens(&lexer);
  tokens.fill();
  CheckNesting(tokens);

  SqlParser parser(&tokens);
  parser.removeErrorListeners();
  auto* sim = parser.getInterpreter<antlr4::atn::ParserATNSimulator>();
  sim->setPredictionMode(antlr4::atn::PredictionMode::SLL);
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  SqlParser::RootContext* root = nullptr;
  try {
    root = parser.root();
  } catch (const antlr4::ParseCancellationException&) {
    g_ll_fallbacks.fetch_add(1, std::memory_order_relaxed);
    tokens.seek(0);
    parser.reset();
    sim->setPredictionMode(antlr4::atn::PredictionMode::LL);
    parser.setErrorHandler(std::make_shared<antlr4::DefaultErrorStrategy>());
    ThrowingErrorListener listener(input);
    parser.addErrorListener(&listener);
    root = parser.root();
    parser.removeErrorListeners();
  }
  AstBuilder builder(input);
  return builder.BuildRoot(root);
}

namespace internal {

uint64_t LlFallbackCount() { return g_ll_fallbacks.load(std::memory_order_relaxed); }

}  // namespace internal
}  // namespace activestore::parser
