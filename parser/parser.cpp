// Parse(): lexing, the two-pass ANTLR parse, error translation, AST building.
//
// Pass 1 parses with SLL prediction and a bail-out error strategy: fast, and enough for nearly
// all statements. If it fails (a syntax error, or rarely a statement that needs full-context
// prediction), pass 2 re-parses with full LL prediction, which is exact: it either succeeds or
// stops at the first token that cannot continue a valid statement, which is where PostgreSQL's
// LALR parser reports its syntax error too.
#include "parser/parser.h"

#include <antlr4-runtime.h>
#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <shared_mutex>

#include "SqlLexer.h"
#include "SqlParser.h"
#include "common/antlr_checked_parser.h"
#include "common/error.h"
#include "parser/ast_builder.h"
#include "parser/code_point_stream.h"
#include "parser/parser_internal.h"

namespace activestore::parser {
namespace {

using grammar::SqlLexer;
using grammar::SqlParser;

std::atomic<uint64_t> g_ll_fallbacks{0};

// ANTLR's prediction caches (the lexer's and the parser's DFAs and their shared context caches)
// are static members of the generated classes, shared by every thread, and grow with every new
// statement shape. Parses hold g_dfa_mu shared; every kDfaCheckEvery parses one of them takes
// it exclusively to estimate the parser's cache and, past the limit, clear all four.
std::shared_mutex g_dfa_mu;
std::atomic<size_t> g_dfa_limit{internal::kDefaultDfaCacheBytes};
std::atomic<uint64_t> g_parses{0};
std::atomic<uint64_t> g_dfa_clears{0};
constexpr uint64_t kDfaCheckEvery = 64;

size_t CountDfaStates(SqlParser& parser) {
  size_t n = 0;
  for (const auto& dfa : parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->decisionToDFA) {
    n += dfa.states.size();
  }
  return n;
}

// Measured on the sqllogictest corpus's nested predicates: about 550 bytes of resident memory
// per shared prediction context (they dominate) and 1 KB per DFA state.
size_t EstimateDfaBytes(SqlParser& parser) {
  auto* sim = parser.getInterpreter<antlr4::atn::ParserATNSimulator>();
  return CountDfaStates(parser) * 1024 + sim->getSharedContextCache().size() * 550;
}

void BoundDfaCache(SqlParser& parser, SqlLexer& lexer) {
  if (g_parses.fetch_add(1, std::memory_order_relaxed) % kDfaCheckEvery != 0) return;
  {
    std::unique_lock lock(g_dfa_mu);
    if (EstimateDfaBytes(parser) <= g_dfa_limit.load(std::memory_order_relaxed)) return;
    auto* sim = parser.getInterpreter<antlr4::atn::ParserATNSimulator>();
    sim->clearDFA();
    sim->getSharedContextCache().clear();
    auto* lex = lexer.getInterpreter<antlr4::atn::LexerATNSimulator>();
    lex->clearDFA();
    lex->getSharedContextCache().clear();
    g_dfa_clears.fetch_add(1, std::memory_order_relaxed);
  }
  malloc_trim(0);  // give the freed states back to the system
}

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

// The generated parser with a stack check at each rule it enters: a statement nested deeper than
// the thread's stack allows ends in 54001 instead of a crash.
using CheckedParser = StackCheckedParser<SqlParser>;

// Rejects statements nested deeper than the recursive-descent parser can safely take.
void CheckNesting(antlr4::CommonTokenStream& tokens) {
  int depth = 0;
  for (antlr4::Token* t : tokens.getTokens()) {
    size_t type = t->getType();
    if (type == SqlLexer::LPAREN || type == SqlLexer::LBRACKET) {
      if (++depth > internal::kMaxNesting) {
        Error e(SqlState::kStatementTooComplex, "stack depth limit exceeded");
        e.Hint("The statement nests parentheses too deeply; simplify it.");
        e.Position(static_cast<int>(t->getStartIndex()) + 1);
        throw e;
      }
    } else if (type == SqlLexer::RPAREN || type == SqlLexer::RBRACKET) {
      --depth;
    }
  }
}

// U&'...' UESCAPE x where x is not a string literal (a quoted one is part of the U& token):
// PostgreSQL's base_yylex error.
void CheckUescape(antlr4::CommonTokenStream& tokens, const CodePointStream& input) {
  const std::vector<antlr4::Token*> all = tokens.getTokens();
  for (size_t i = 0; i + 1 < all.size(); ++i) {
    const size_t type = all[i]->getType();
    if (type != SqlLexer::USTRING && type != SqlLexer::UIDENT) continue;
    std::string next = all[i + 1]->getText();
    std::transform(next.begin(), next.end(), next.begin(), ::tolower);
    if (all[i + 1]->getType() != SqlLexer::IDENT || next != "uescape") continue;
    Error e = SyntaxErrorAt(i + 2 < all.size() ? all[i + 2] : nullptr, input);
    const std::string& msg = e.message();
    Error out(SqlState::kSyntaxError,
              "UESCAPE must be followed by a simple string literal" + msg.substr(msg.find(" at ")));
    if (e.position) out.Position(*e.position);
    throw out;
  }
}

// standard_conforming_strings = off: U&'...' is refused, and a '...' literal with a backslash
// (an ESTRING token without the E) warns at its first escape, as PostgreSQL's scan.l.
void CheckNonstandardStrings(antlr4::CommonTokenStream& tokens, const ParseOptions& options,
                             std::vector<ParseWarning>* warnings) {
  for (antlr4::Token* t : tokens.getTokens()) {
    const int position = static_cast<int>(t->getStartIndex()) + 1;
    if (t->getType() == SqlLexer::USTRING) {
      throw Error(SqlState::kFeatureNotSupported,
                  "unsafe use of string constant with Unicode escapes")
          .Detail(
              "String constants with Unicode escapes cannot be used when "
              "standard_conforming_strings is off.")
          .Position(position);
    }
    if (!options.escape_string_warning || warnings == nullptr) continue;
    if (t->getType() != SqlLexer::ESTRING && t->getType() != SqlLexer::UNTERMINATED_ESTRING) {
      continue;
    }
    const std::string text = t->getText();
    if (text.empty() || text[0] != '\'') continue;  // E'...' never warns
    const size_t at = text.find('\\');
    if (at == std::string::npos || at + 1 >= text.size()) continue;
    ParseWarning w;
    w.sqlstate = "22P06";
    w.position = position;
    if (text[at + 1] == '\'') {
      w.message = "nonstandard use of \\' in a string literal";
      w.hint = "Use '' to write quotes in strings, or use the escape string syntax (E'...').";
    } else if (text[at + 1] == '\\') {
      w.message = "nonstandard use of \\\\ in a string literal";
      w.hint = "Use the escape string syntax for backslashes, e.g., E'\\\\'.";
    } else {
      w.message = "nonstandard use of escape in a string literal";
      w.hint = "Use the escape string syntax for escapes, e.g., E'\\r\\n'.";
    }
    warnings->push_back(std::move(w));
  }
}

}  // namespace

std::vector<ast::StatementPtr> Parse(std::string_view sql) { return Parse(sql, {}, nullptr); }

std::vector<ast::StatementPtr> Parse(std::string_view sql, const ParseOptions& options,
                                     std::vector<ParseWarning>* warnings) {
  CodePointStream input(sql);
  SqlLexer lexer(&input);
  lexer.standard_strings = options.standard_conforming_strings;
  lexer.removeErrorListeners();
  antlr4::CommonTokenStream tokens(&lexer);
  CheckedParser parser(&tokens);
  parser.removeErrorListeners();
  SqlParser::RootContext* root = nullptr;
  {
    std::shared_lock dfa_lock(g_dfa_mu);
    tokens.fill();
    CheckNesting(tokens);
    CheckUescape(tokens, input);
    if (!options.standard_conforming_strings) CheckNonstandardStrings(tokens, options, warnings);

    auto* sim = parser.getInterpreter<antlr4::atn::ParserATNSimulator>();
    sim->setPredictionMode(antlr4::atn::PredictionMode::SLL);
    parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
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
  }
  BoundDfaCache(parser, lexer);
  AstBuilder builder(input);
  return builder.BuildRoot(root);
}

namespace internal {

uint64_t LlFallbackCount() { return g_ll_fallbacks.load(std::memory_order_relaxed); }

void SetDfaCacheLimit(size_t bytes) { g_dfa_limit.store(bytes, std::memory_order_relaxed); }

uint64_t DfaClearCount() { return g_dfa_clears.load(std::memory_order_relaxed); }

std::pair<size_t, size_t> DfaCacheSize() {
  CodePointStream input("");
  SqlLexer lexer(&input);
  antlr4::CommonTokenStream tokens(&lexer);
  SqlParser parser(&tokens);
  std::unique_lock lock(g_dfa_mu);
  return {CountDfaStates(parser),
          parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->getSharedContextCache().size()};
}

}  // namespace internal
}  // namespace activestore::parser
