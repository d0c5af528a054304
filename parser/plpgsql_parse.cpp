// PL/pgSQL text to its syntax tree (parser/plpgsql.h): the ANTLR parse of grammar/PlPgSql*.g4,
// then a walk that keeps the embedded SQL as text and checks that it parses.
#include <fmt/format.h>

#include <cctype>

#include "PlPgSqlLexer.h"
#include "PlPgSqlParser.h"
#include "antlr4-runtime.h"
#include "common/antlr_checked_parser.h"
#include "common/error.h"
#include "parser/literals.h"
#include "parser/parser.h"
#include "parser/plpgsql.h"

namespace activestore::plpgsql {

namespace {

using L = plpgsql_grammar::PlPgSqlLexer;
using P = plpgsql_grammar::PlPgSqlParser;

class FirstError : public antlr4::BaseErrorListener {
 public:
  void syntaxError(antlr4::Recognizer*, antlr4::Token* offending, size_t, size_t,
                   const std::string&, std::exception_ptr) override {
    if (!seen_) offending_ = offending;
    seen_ = true;
  }
  bool seen_ = false;
  antlr4::Token* offending_ = nullptr;
};

[[noreturn]] void SyntaxErrorAt(antlr4::Token* t) {
  if (t == nullptr || t->getType() == antlr4::Token::EOF) {
    throw Error(SqlState::kSyntaxError, "syntax error at end of input")
        .Position(t == nullptr ? 0 : static_cast<int>(t->getStartIndex()) + 1);
  }
  const char* what = "syntax error";
  switch (t->getType()) {
    case L::UNTERMINATED_STRING:
      what = "unterminated quoted string";
      break;
    case L::UNTERMINATED_QUOTED_IDENT:
      what = "unterminated quoted identifier";
      break;
    case L::UNTERMINATED_DOLLAR_STRING:
      what = "unterminated dollar-quoted string";
      break;
    case L::UNTERMINATED_COMMENT:
      what = "unterminated /* comment";
      break;
    default:
      break;
  }
  throw Error(SqlState::kSyntaxError, fmt::format("{} at or near \"{}\"", what, t->getText()))
      .Position(static_cast<int>(t->getStartIndex()) + 1);
}

bool IsWordToken(size_t type) {
  switch (type) {
    case L::IDENT:
    case L::QUOTED_IDENT:
    case L::ALIAS:
    case L::ARRAY:
    case L::ASSERT:
    case L::CLOSE:
    case L::COLLATE:
    case L::COMMIT:
    case L::CONSTANT:
    case L::CONTINUE:
    case L::CURRENT:
    case L::CURSOR:
    case L::DEFAULT:
    case L::DIAGNOSTICS:
    case L::EXIT:
    case L::FETCH:
    case L::GET:
    case L::MOVE:
    case L::NEXT:
    case L::OPEN:
    case L::PERFORM:
    case L::QUERY:
    case L::RAISE:
    case L::RETURN:
    case L::REVERSE:
    case L::ROLLBACK:
    case L::SLICE:
    case L::SQLSTATE:
    case L::STACKED:
      return true;
    default:
      return false;
  }
}

// An identifier token's name: a quoted one unquoted, others in lower case.
std::string WordName(antlr4::Token* t) {
  std::string s = t->getText();
  if (t->getType() == L::QUOTED_IDENT) {
    std::string out;
    for (size_t i = 1; i + 1 < s.size(); ++i) {
      out.push_back(s[i]);
      if (s[i] == '"') ++i;
    }
    return out;
  }
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string StringValue(antlr4::Token* t) {
  if (t->getType() == L::ESTRING) {
    return parser::UnescapeEString(t->getText(), static_cast<int>(t->getStartIndex()) + 1);
  }
  if (t->getType() == L::DOLLAR_STRING) {
    // $tag$...$tag$: the body as written.
    const std::string s = t->getText();
    const size_t open = s.find('$', 1) + 1;
    return s.substr(open, s.size() - 2 * open);
  }
  // '...' with '' doubled (standard_conforming_strings).
  const std::string s = t->getText();
  std::string out;
  for (size_t i = 1; i + 1 < s.size(); ++i) {
    out.push_back(s[i]);
    if (s[i] == '\'') ++i;
  }
  return out;
}

class Walker {
 public:
  explicit Walker(antlr4::CharStream* input) : input_(input) {}

  int sql_count() const { return next_id_; }

  StmtPtr Block(P::BlockContext* c) {
    auto s = Make(StmtKind::kBlock, c->getStart());
    if (c->label() != nullptr) s->label = Name(c->label()->identifier());
    for (P::DeclarationContext* d : c->declaration()) {
      if (dynamic_cast<P::DeclRepeatContext*>(d) != nullptr) continue;
      Decl decl;
      decl.offset = static_cast<int>(d->getStart()->getStartIndex());
      decl.line = static_cast<int>(d->getStart()->getLine());
      if (auto* a = dynamic_cast<P::DeclAliasContext*>(d)) {
        decl.name = Name(a->identifier(0));
        decl.alias_of = a->PARAM() != nullptr ? a->PARAM()->getText() : Name(a->identifier(1));
      } else if (auto* k = dynamic_cast<P::DeclCursorContext*>(d)) {
        decl.name = Name(k->identifier());
        decl.cursor = true;
      } else {
        auto* v = static_cast<P::DeclVarContext*>(d);
        decl.name = Name(v->identifier());
        decl.constant = v->CONSTANT() != nullptr;
        decl.type = Text(v->declType());
        decl.not_null = v->NOT() != nullptr;
        if (v->COLLATE() != nullptr) decl.type += " COLLATE " + Text(v->typeToken());
        if (v->exprSemi() != nullptr) decl.default_value = Expr(v->exprSemi());
      }
      s->decls.push_back(std::move(decl));
    }
    s->body = Statements(c->statement());
    if (P::ExceptionSectionContext* e = c->exceptionSection()) {
      for (P::HandlerContext* h : e->handler()) {
        Handler handler;
        for (P::HandlerConditionContext* hc : h->handlerCondition()) {
          if (hc->SQLSTATE() != nullptr) {
            std::string code = StringValue(hc->STRING()->getSymbol());
            CheckSqlstate(code, hc->STRING()->getSymbol());
            handler.conditions.push_back("sqlstate:" + code);
          } else {
            handler.conditions.push_back(Name(hc->identifier()));
          }
        }
        handler.body = Statements(h->statement());
        s->handlers.push_back(std::move(handler));
      }
    }
    CheckEndLabel(s->label, c->identifier());
    return s;
  }

 private:
  antlr4::CharStream* input_;
  int next_id_ = 0;

  std::string Text(antlr4::ParserRuleContext* c) {
    return input_->getText(
        antlr4::misc::Interval(c->getStart()->getStartIndex(), c->getStop()->getStopIndex()));
  }

  std::string Name(P::IdentifierContext* c) { return WordName(c->getStart()); }

  StmtPtr Make(StmtKind kind, antlr4::Token* at) {
    auto s = std::make_unique<Stmt>();
    s->kind = kind;
    s->line = static_cast<int>(at->getLine());
    s->offset = static_cast<int>(at->getStartIndex());
    return s;
  }

  // An expression: checked as `SELECT text`.
  SqlText Expr(antlr4::ParserRuleContext* c) {
    SqlText t = Sql(c, false);
    Check(t, true);
    return t;
  }

  SqlText Sql(antlr4::ParserRuleContext* c, bool check) {
    SqlText t;
    t.text = Text(c);
    t.offset = static_cast<int>(c->getStart()->getStartIndex());
    t.id = next_id_++;
    if (check) Check(t, false);
    return t;
  }

  // The SQL must parse; an error's position is moved into the body.
  void Check(const SqlText& t, bool expression) {
    const std::string sql = expression ? "SELECT " + t.text : t.text;
    try {
      parser::Parse(sql);
    } catch (Error& e) {
      if (e.position) {
        int pos = *e.position - (expression ? 7 : 0);
        if (pos < 1) pos = 1;
        e.position = t.offset + pos;
      }
      throw;
    }
  }

  void CheckSqlstate(const std::string& code, antlr4::Token* at) {
    bool ok = code.size() == 5;
    for (char ch : code)
      ok = ok && (std::isdigit(static_cast<unsigned char>(ch)) || (ch >= 'A' && ch <= 'Z'));
    if (!ok || code.substr(0, 2) == "00") {
      throw Error(SqlState::kSyntaxError, fmt::format("invalid SQLSTATE code"))
          .Position(static_cast<int>(at->getStartIndex()) + 1);
    }
  }

  void CheckEndLabel(const std::string& label, P::IdentifierContext* end) {
    if (end == nullptr) return;
    const std::string name = Name(end);
    if (label.empty()) {
      throw Error(SqlState::kSyntaxError,
                  fmt::format("end label \"{}\" specified for unlabeled block", name))
          .Position(static_cast<int>(end->getStart()->getStartIndex()) + 1);
    }
    if (name != label) {
      throw Error(SqlState::kSyntaxError,
                  fmt::format("end label \"{}\" differs from block's label \"{}\"", name, label))
          .Position(static_cast<int>(end->getStart()->getStartIndex()) + 1);
    }
  }

  Target TargetOf(P::AssignTargetContext* c) {
    Target t;
    for (P::IdentifierContext* i : c->identifier()) t.names.push_back(Name(i));
    for (P::InnerContext* in : c->inner()) t.subscripts.push_back(Expr(in));
    t.text = Text(c);
    t.offset = static_cast<int>(c->getStart()->getStartIndex());
    return t;
  }

  StmtList Statements(const std::vector<P::StatementContext*>& list) {
    StmtList out;
    for (P::StatementContext* c : list) out.push_back(Statement(c));
    return out;
  }

  template <typename C>
  void Loop(Stmt* s, C* c) {
    if (c->label() != nullptr) s->label = Name(c->label()->identifier());
    s->body = Statements(c->statement());
    CheckEndLabel(s->label, c->identifier());
  }

  StmtPtr Statement(P::StatementContext* c) {
    antlr4::Token* at = c->getStart();
    if (auto* b = dynamic_cast<P::StmtBlockContext*>(c)) return Block(b->block());
    if (auto* a = dynamic_cast<P::StmtAssignContext*>(c)) {
      auto s = Make(StmtKind::kAssign, at);
      s->targets.push_back(TargetOf(a->assignTarget()));
      s->exprs.push_back(Expr(a->exprSemi()));
      return s;
    }
    if (auto* i = dynamic_cast<P::StmtIfContext*>(c)) {
      auto s = Make(StmtKind::kIf, at);
      s->exprs.push_back(Expr(i->exprThen()));
      s->branches.push_back(Statements(i->statement()));
      for (P::ElsifPartContext* e : i->elsifPart()) {
        s->exprs.push_back(Expr(e->exprThen()));
        s->branches.push_back(Statements(e->statement()));
      }
      if (i->elsePart() != nullptr) {
        s->has_else = true;
        s->else_body = Statements(i->elsePart()->statement());
      }
      return s;
    }
    if (auto* k = dynamic_cast<P::StmtCaseContext*>(c)) {
      auto s = Make(StmtKind::kCase, at);
      if (k->exprWhen() != nullptr) {
        s->has_selector = true;
        s->exprs.push_back(Expr(k->exprWhen()));
      }
      for (P::CaseWhenContext* w : k->caseWhen()) {
        s->when_exprs.push_back(Expr(w->exprThen()));
        s->branches.push_back(Statements(w->statement()));
      }
      if (k->elsePart() != nullptr) {
        s->has_else = true;
        s->else_body = Statements(k->elsePart()->statement());
      }
      return s;
    }
    if (auto* l = dynamic_cast<P::StmtLoopContext*>(c)) {
      auto s = Make(StmtKind::kLoop, at);
      Loop(s.get(), l);
      return s;
    }
    if (auto* w = dynamic_cast<P::StmtWhileContext*>(c)) {
      auto s = Make(StmtKind::kWhile, at);
      s->exprs.push_back(Expr(w->exprLoop()));
      Loop(s.get(), w);
      return s;
    }
    if (auto* f = dynamic_cast<P::StmtForContext*>(c)) {
      auto s = Make(StmtKind::kForQuery, at);
      for (P::AssignTargetContext* t : f->assignTarget()) s->targets.push_back(TargetOf(t));
      P::ForSourceContext* src = f->forSource();
      if (auto* r = dynamic_cast<P::ForRangeContext*>(src)) {
        s->kind = StmtKind::kForInt;
        s->reverse = r->REVERSE() != nullptr;
        s->exprs.push_back(Expr(r->exprDotdot()));
        s->exprs.push_back(Expr(r->exprBy()));
        if (r->exprLoop() != nullptr) {
          s->has_by = true;
          s->exprs.push_back(Expr(r->exprLoop()));
        }
        if (s->targets.size() != 1) {
          throw Error(SqlState::kSyntaxError, "integer FOR loop must have only one target variable")
              .Position(s->targets[1].offset + 1);
        }
      } else if (auto* e = dynamic_cast<P::ForExecuteContext*>(src)) {
        s->kind = StmtKind::kForExecute;
        s->exprs.push_back(Expr(e->exprExecLoop()));
        for (P::ExprArgLoopContext* u : e->exprArgLoop()) s->using_exprs.push_back(Expr(u));
      } else {
        P::ExprLoopContext* q = static_cast<P::ForQueryContext*>(src)->exprLoop();
        if (q->getStart() == q->getStop() && q->getStart()->getType() == L::IDENT) {
          // FOR r IN cursor LOOP.
          auto u = Make(StmtKind::kUnsupported, at);
          u->name = "FOR over a cursor";
          return u;
        }
        s->sql = Sql(q, true);
      }
      Loop(s.get(), f);
      return s;
    }
    if (auto* f = dynamic_cast<P::StmtForeachContext*>(c)) {
      auto s = Make(StmtKind::kForeach, at);
      for (P::AssignTargetContext* t : f->assignTarget()) s->targets.push_back(TargetOf(t));
      if (f->ICONST() != nullptr) s->slice = std::stoi(f->ICONST()->getText());
      s->exprs.push_back(Expr(f->exprLoop()));
      Loop(s.get(), f);
      return s;
    }
    if (auto* e = dynamic_cast<P::StmtExitContext*>(c)) {
      auto s = Make(e->EXIT() != nullptr ? StmtKind::kExit : StmtKind::kContinue, at);
      if (e->identifier() != nullptr) s->name = Name(e->identifier());
      if (e->exprSemi() != nullptr) s->exprs.push_back(Expr(e->exprSemi()));
      return s;
    }
    if (auto* r = dynamic_cast<P::StmtReturnNextContext*>(c)) {
      auto s = Make(StmtKind::kReturnNext, at);
      if (r->exprSemi() != nullptr) s->exprs.push_back(Expr(r->exprSemi()));
      return s;
    }
    if (auto* r = dynamic_cast<P::StmtReturnQueryContext*>(c)) {
      auto s = Make(StmtKind::kReturnQuery, at);
      if (r->EXECUTE() != nullptr) {
        s->exprs.push_back(Expr(r->exprExec()));
        if (r->usingClause() != nullptr) {
          for (P::ExprArgContext* u : r->usingClause()->exprArg())
            s->using_exprs.push_back(Expr(u));
        }
      } else {
        s->sql = Sql(r->exprSemi(), true);
      }
      return s;
    }
    if (auto* r = dynamic_cast<P::StmtReturnContext*>(c)) {
      auto s = Make(StmtKind::kReturn, at);
      if (r->exprSemi() != nullptr) s->exprs.push_back(Expr(r->exprSemi()));
      return s;
    }
    if (auto* p = dynamic_cast<P::StmtPerformContext*>(c)) {
      auto s = Make(StmtKind::kPerform, at);
      s->sql = Expr(p->exprSemi());
      return s;
    }
    if (auto* r = dynamic_cast<P::StmtRaiseContext*>(c)) return Raise(r);
    if (auto* a = dynamic_cast<P::StmtAssertContext*>(c)) {
      auto s = Make(StmtKind::kAssert, at);
      s->exprs.push_back(Expr(a->exprArg()));
      if (a->exprSemi() != nullptr) s->exprs.push_back(Expr(a->exprSemi()));
      return s;
    }
    if (auto* g = dynamic_cast<P::StmtGetDiagContext*>(c)) {
      auto s = Make(StmtKind::kGetDiag, at);
      s->stacked = g->STACKED() != nullptr;
      for (P::DiagItemContext* d : g->diagItem()) {
        s->targets.push_back(TargetOf(d->assignTarget()));
        s->items.push_back(Name(d->identifier()));
      }
      return s;
    }
    if (auto* e = dynamic_cast<P::StmtExecuteContext*>(c)) {
      auto s = Make(StmtKind::kExecute, at);
      s->exprs.push_back(Expr(e->exprExec()));
      if (e->intoClause().size() > 1 || e->usingClause().size() > 1) {
        throw Error(SqlState::kSyntaxError, "syntax error at or near \"INTO\"")
            .Position(static_cast<int>(e->getStart()->getStartIndex()) + 1);
      }
      if (!e->intoClause().empty()) IntoOf(s.get(), e->intoClause(0));
      if (!e->usingClause().empty()) {
        for (P::ExprArgContext* u : e->usingClause(0)->exprArg()) s->using_exprs.push_back(Expr(u));
      }
      return s;
    }
    if (dynamic_cast<P::StmtNullContext*>(c) != nullptr) return Make(StmtKind::kNull, at);
    if (dynamic_cast<P::StmtUnsupportedContext*>(c) != nullptr) {
      auto s = Make(StmtKind::kUnsupported, at);
      s->name = at->getText();
      for (char& ch : s->name) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      return s;
    }
    return SqlStatement(static_cast<P::StmtSqlContext*>(c));
  }

  void IntoOf(Stmt* s, P::IntoClauseContext* into) {
    s->has_into = true;
    s->strict = into->STRICT() != nullptr;
    for (P::AssignTargetContext* t : into->assignTarget()) s->targets.push_back(TargetOf(t));
  }

  StmtPtr Raise(P::StmtRaiseContext* r) {
    auto s = Make(StmtKind::kRaise, r->getStart());
    static const char* kLevels[] = {"debug", "log", "info", "notice", "warning", "exception"};
    auto is_level = [&](const std::string& w) {
      for (const char* l : kLevels) {
        if (w == l) return true;
      }
      return false;
    };
    std::vector<std::string> words;
    if (r->level != nullptr) words.push_back(WordName(r->level->getStart()));
    if (r->condition != nullptr) words.push_back(WordName(r->condition->getStart()));
    // SQLSTATE is also a name, so `RAISE [level] SQLSTATE 'xxxxx'` may come as a word and a
    // format string.
    antlr4::Token* format = r->format;
    antlr4::Token* code =
        r->SQLSTATE() != nullptr && !r->STRING().empty() ? r->STRING(0)->getSymbol() : nullptr;
    if (!words.empty() && words.back() == "sqlstate" && code == nullptr && format != nullptr) {
      const bool quoted =
          (r->condition != nullptr ? r->condition : r->level)->getStart()->getType() ==
          L::QUOTED_IDENT;
      if (!quoted) {
        words.pop_back();
        code = format;
        format = nullptr;
        if (!r->exprArg().empty()) SyntaxErrorAt(r->COMMA(0)->getSymbol());
      }
    }
    size_t k = 0;
    s->level = "exception";
    if (k < words.size() && is_level(words[k])) s->level = words[k++];
    if (k < words.size()) s->condition = words[k++];
    if (k < words.size()) {
      throw Error(SqlState::kSyntaxError, "syntax error")
          .Position(static_cast<int>(r->getStart()->getStartIndex()) + 1);
    }
    if (code != nullptr) {
      s->sqlstate = StringValue(code);
      CheckSqlstate(s->sqlstate, code);
    }
    if (format != nullptr) {
      s->format = StringValue(format);
      for (P::ExprArgContext* a : r->exprArg()) s->exprs.push_back(Expr(a));
      // The format's % placeholders must match the parameters (checked at compile time).
      size_t placeholders = 0;
      const std::string& f = *s->format;
      for (size_t i = 0; i < f.size(); ++i) {
        if (f[i] != '%') continue;
        if (i + 1 < f.size() && f[i + 1] == '%') {
          ++i;
          continue;
        }
        ++placeholders;
      }
      if (placeholders > s->exprs.size()) {
        throw Error(SqlState::kSyntaxError, "too few parameters specified for RAISE")
            .Position(static_cast<int>(r->getStart()->getStartIndex()) + 1);
      }
      if (placeholders < s->exprs.size()) {
        throw Error(SqlState::kSyntaxError, "too many parameters specified for RAISE")
            .Position(static_cast<int>(r->getStart()->getStartIndex()) + 1);
      }
    }
    for (P::RaiseOptionContext* o : r->raiseOption()) {
      std::string name = Name(o->identifier());
      static const char* kOptions[] = {"errcode",    "message",  "detail", "hint",  "column",
                                       "constraint", "datatype", "table",  "schema"};
      bool known = false;
      for (const char* n : kOptions) known = known || name == n;
      if (!known) {
        throw Error(SqlState::kSyntaxError,
                    fmt::format("unrecognized RAISE statement option \"{}\"", name))
            .Position(static_cast<int>(o->getStart()->getStartIndex()) + 1);
      }
      s->option_names.push_back(name);
      s->option_exprs.push_back(Expr(o->exprArg()));
    }
    return s;
  }

  // An SQL statement; `INTO [STRICT] targets` at parenthesis depth 0 (not INSERT's INTO) is
  // taken out of its text.
  StmtPtr SqlStatement(P::StmtSqlContext* c) {
    auto s = Make(StmtKind::kSql, c->getStart());
    std::vector<antlr4::Token*> toks;
    for (antlr4::tree::ParseTree* ch : c->children) {
      auto* t = dynamic_cast<antlr4::tree::TerminalNode*>(ch);
      if (t != nullptr && t->getSymbol()->getType() != L::SEMI) toks.push_back(t->getSymbol());
    }
    const std::string first = WordName(toks[0]);
    bool skip_into = first == "insert" || first == "merge" || first == "import";
    int depth = 0;
    size_t into_at = toks.size(), into_end = 0;
    for (size_t i = 0; i < toks.size(); ++i) {
      const size_t ty = toks[i]->getType();
      if (ty == L::LPAREN || ty == L::LBRACKET) ++depth;
      if (ty == L::RPAREN || ty == L::RBRACKET) --depth;
      if (ty != L::INTO || depth != 0) continue;
      if (skip_into) {
        skip_into = false;
        continue;
      }
      if (into_at != toks.size()) {
        throw Error(SqlState::kSyntaxError, "INTO specified more than once")
            .Position(static_cast<int>(toks[i]->getStartIndex()) + 1);
      }
      into_at = i;
      size_t j = i + 1;
      if (j < toks.size() && toks[j]->getType() == L::STRICT) {
        s->strict = true;
        ++j;
      }
      for (;;) {
        if (j >= toks.size() || !IsWordToken(toks[j]->getType())) {
          SyntaxErrorAt(j < toks.size() ? toks[j] : nullptr);
        }
        Target t;
        t.offset = static_cast<int>(toks[j]->getStartIndex());
        t.names.push_back(WordName(toks[j]));
        size_t begin = j++;
        while (j + 1 < toks.size() && toks[j]->getType() == L::DOT &&
               IsWordToken(toks[j + 1]->getType())) {
          t.names.push_back(WordName(toks[j + 1]));
          j += 2;
        }
        t.text = input_->getText(
            antlr4::misc::Interval(toks[begin]->getStartIndex(), toks[j - 1]->getStopIndex()));
        s->targets.push_back(std::move(t));
        if (j < toks.size() && toks[j]->getType() == L::COMMA) {
          ++j;
          continue;
        }
        break;
      }
      into_end = j;
      i = j - 1;
    }
    SqlText text;
    text.offset = static_cast<int>(toks[0]->getStartIndex());
    text.id = next_id_++;
    auto piece = [&](size_t from, size_t to) {  // tokens [from, to)
      if (from >= to) return std::string();
      return input_->getText(
          antlr4::misc::Interval(toks[from]->getStartIndex(), toks[to - 1]->getStopIndex()));
    };
    if (into_at == toks.size()) {
      text.text = piece(0, toks.size());
      Check(text, false);
    } else {
      s->has_into = true;
      // The INTO clause becomes blanks of its length, so positions stay where they were.
      const std::string before = piece(0, into_at);
      const size_t gap_from = toks[into_at]->getStartIndex();
      const size_t gap_to = into_end < toks.size() ? toks[into_end]->getStartIndex()
                                                   : toks.back()->getStopIndex() + 1;
      text.text = before;
      const size_t before_end = into_at == 0 ? gap_from : toks[into_at - 1]->getStopIndex() + 1;
      text.text += std::string(gap_to - before_end, ' ');
      text.text += piece(into_end, toks.size());
      Check(text, false);
    }
    s->sql = std::move(text);
    return s;
  }
};

}  // namespace

std::shared_ptr<const Function> ParsePlpgsql(std::string_view body) {
  antlr4::ANTLRInputStream input(body.data(), body.size());
  L lexer(&input);
  lexer.removeErrorListeners();
  antlr4::CommonTokenStream tokens(&lexer);
  tokens.fill();
  StackCheckedParser<P> parser(&tokens);  // 54001 instead of a crash on deep nesting
  parser.removeErrorListeners();
  FirstError listener;
  parser.addErrorListener(&listener);
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
      antlr4::atn::PredictionMode::LL);
  P::FunctionBodyContext* tree = parser.functionBody();
  for (antlr4::Token* t : tokens.getTokens()) {
    const size_t ty = t->getType();
    if (ty == L::UNTERMINATED_STRING || ty == L::UNTERMINATED_QUOTED_IDENT ||
        ty == L::UNTERMINATED_DOLLAR_STRING || ty == L::UNTERMINATED_COMMENT) {
      SyntaxErrorAt(t);
    }
  }
  if (listener.seen_) SyntaxErrorAt(listener.offending_);
  Walker w(&input);
  auto fn = std::make_shared<Function>();
  fn->block = w.Block(tree->block());
  fn->sql_count = w.sql_count();
  return fn;
}

const char* StmtKindName(const Stmt& s) {
  switch (s.kind) {
    case StmtKind::kBlock:
      return "statement block";
    case StmtKind::kAssign:
      return "assignment";
    case StmtKind::kIf:
      return "IF";
    case StmtKind::kCase:
      return "CASE";
    case StmtKind::kLoop:
      return "LOOP";
    case StmtKind::kWhile:
      return "WHILE";
    case StmtKind::kForInt:
      return "FOR with integer loop variable";
    case StmtKind::kForQuery:
      return "FOR over SELECT rows";
    case StmtKind::kForExecute:
      return "FOR over EXECUTE statement";
    case StmtKind::kForeach:
      return "FOREACH over array";
    case StmtKind::kExit:
      return "EXIT";
    case StmtKind::kContinue:
      return "CONTINUE";
    case StmtKind::kReturn:
      return "RETURN";
    case StmtKind::kReturnNext:
      return "RETURN NEXT";
    case StmtKind::kReturnQuery:
      return "RETURN QUERY";
    case StmtKind::kPerform:
      return "PERFORM";
    case StmtKind::kRaise:
      return "RAISE";
    case StmtKind::kAssert:
      return "ASSERT";
    case StmtKind::kGetDiag:
      return "GET DIAGNOSTICS";
    case StmtKind::kExecute:
      return "EXECUTE";
    case StmtKind::kNull:
      return "NULL";
    case StmtKind::kSql:
      return "SQL statement";
    case StmtKind::kUnsupported:
      return "statement";
  }
  return "statement";
}

}  // namespace activestore::plpgsql
