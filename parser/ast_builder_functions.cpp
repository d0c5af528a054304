// CREATE/DROP/ALTER FUNCTION | PROCEDURE, CALL and DO (parser/ast_function.h). The option words
// (LANGUAGE, IMMUTABLE, STRICT, CALLED ON NULL INPUT, SECURITY DEFINER, COST ...) are
// identifiers in the grammar, checked here as gram.y's createfunc_opt_item.
#include "parser/ast_builder.h"
#include "parser/ast_function.h"

namespace activestore::parser {

using P = grammar::SqlParser;
using antlr4::tree::ParseTree;

ast::RoutineParam AstBuilder::RoutineArgOf(P::RoutineArgContext* c) {
  ast::RoutineParam p;
  p.location = Loc(c);
  if (auto* m = c->routineArgMode()) {
    if (m->INOUT() != nullptr || (m->IN() != nullptr && m->OUT_P() != nullptr)) {
      p.mode = 'b';
    } else if (m->OUT_P() != nullptr) {
      p.mode = 'o';
    } else if (m->VARIADIC() != nullptr) {
      p.mode = 'v';
    } else {
      p.mode = 'i';
    }
  }
  if (auto* n = c->typeFunctionName()) p.name = Name(n);
  P::RoutineTypeContext* t = c->routineType();
  p.type = Type(t->typeName());
  p.percent_type = t->PERCENT() != nullptr;
  return p;
}

ast::RoutineSignature AstBuilder::RoutineSignatureOf(P::RoutineSignatureContext* c) {
  ast::RoutineSignature s;
  s.name = QualName(c->qualifiedName());
  s.args_given = c->LPAREN() != nullptr;
  for (P::RoutineArgContext* a : c->routineArg()) s.args.push_back(RoutineArgOf(a));
  return s;
}

void AstBuilder::ReadRoutineOptions(const std::vector<RoutineWord>& words,
                                    ast::RoutineOptions* out) const {
  const AstBuilder& b = *this;
  size_t i = 0;
  auto at = [&](size_t k) -> const RoutineWord* { return k < words.size() ? &words[k] : nullptr; };
  auto syntax = [&](size_t k) {
    const RoutineWord* w = at(k);
    if (w == nullptr) w = &words.back();
    b.Fail(SqlState::kSyntaxError, w->token,
           fmt::format("syntax error at or near \"{}\"", w->token->getText()));
  };
  auto conflict = [&](size_t k, bool taken) {
    if (taken) b.Fail(SqlState::kSyntaxError, words[k].token, "conflicting or redundant options");
  };
  auto word = [&](size_t k) -> std::string {
    const RoutineWord* w = at(k);
    return w == nullptr || w->is_string || w->is_number ? std::string() : w->text;
  };
  while (i < words.size()) {
    const std::string w = word(i);
    if (w == "language") {
      const RoutineWord* v = at(i + 1);
      if (v == nullptr || v->is_number) syntax(i + 1);
      conflict(i, out->language.has_value());
      out->language = Lower(v->text);
      out->language_location = b.Loc(v->token);
      i += 2;
    } else if (w == "immutable" || w == "stable" || w == "volatile") {
      conflict(i, out->volatility.has_value());
      out->volatility = w[0];
      ++i;
    } else if (w == "strict") {
      conflict(i, out->strict.has_value());
      out->strict = true;
      ++i;
    } else if (w == "called") {
      if (word(i + 1) != "on" || word(i + 2) != "null" || word(i + 3) != "input") syntax(i + 1);
      conflict(i, out->strict.has_value());
      out->strict = false;
      i += 4;
    } else if (w == "returns") {
      if (word(i + 1) != "null" || word(i + 2) != "on" || word(i + 3) != "null" ||
          word(i + 4) != "input") {
        syntax(i + 1);
      }
      conflict(i, out->strict.has_value());
      out->strict = true;
      i += 5;
    } else if (w == "security" || (w == "external" && word(i + 1) == "security")) {
      size_t k = w == "external" ? i + 2 : i + 1;
      std::string v = word(k);
      if (v != "definer" && v != "invoker") syntax(k);
      conflict(i, out->security_definer.has_value());
      out->security_definer = v == "definer";
      i = k + 1;
    } else if (w == "leakproof") {
      conflict(i, out->leakproof.has_value());
      out->leakproof = true;
      ++i;
    } else if (w == "not" && word(i + 1) == "leakproof") {
      conflict(i, out->leakproof.has_value());
      out->leakproof = false;
      i += 2;
    } else if (w == "parallel") {
      std::string v = word(i + 1);
      if (v.empty()) syntax(i + 1);
      if (v != "safe" && v != "restricted" && v != "unsafe") {
        b.Fail(SqlState::kInvalidParameterValue, words[i + 1].token,
               fmt::format("unrecognized parameter \"{}\"", v));
      }
      conflict(i, out->parallel.has_value());
      out->parallel = v[0];
      i += 2;
    } else if (w == "cost" || w == "rows") {
      const RoutineWord* v = at(i + 1);
      if (v == nullptr || !v->is_number) syntax(i + 1);
      double d = std::stod(v->text);
      if (w == "cost") {
        conflict(i, out->cost.has_value());
        out->cost = d;
      } else {
        conflict(i, out->rows.has_value());
        out->rows = d;
      }
      i += 2;
    } else if (w == "window") {
      out->window = true;
      ++i;
    } else if (w == "set" || w == "reset") {
      b.Fail(SqlState::kFeatureNotSupported, words[i].token,
             "SET in a function definition is not supported");
    } else if (w == "support" || w == "transform") {
      b.Fail(SqlState::kFeatureNotSupported, words[i].token,
             fmt::format("{} in a function definition is not supported", Lower(w)));
    } else {
      syntax(i);
    }
  }
}

std::vector<AstBuilder::RoutineWord> AstBuilder::RoutineWords(
    const std::vector<P::RoutineOptionContext*>& opts, std::optional<std::string>* as_text,
    int* as_location, int* as_body_offset) {
  std::vector<AstBuilder::RoutineWord> words;
  for (P::RoutineOptionContext* o : opts) {
    if (o->AS() != nullptr) {
      if (as_text == nullptr || as_text->has_value()) {
        Fail(SqlState::kSyntaxError, o->AS()->getSymbol(), "conflicting or redundant options");
      }
      std::vector<P::StringLiteralContext*> strs = o->stringLiteral();
      if (strs.size() > 1) {
        throw Error(SqlState::kInvalidFunctionDefinition,
                    "only one AS item needed for language \"sql\"");
      }
      *as_text = StringLiteralValue(strs[0]);
      *as_location = Loc(strs[0]);
      // The text's first character in the statement: after the quote or the $tag$, when the
      // literal is one token whose value is its text unchanged.
      const std::string raw = strs[0]->getText();
      int open = -1;
      if (strs[0]->STRING().size() == 1 && raw.size() >= 2 &&
          raw.substr(1, raw.size() - 2).find('\'') == std::string::npos) {
        open = 1;
      } else if (strs[0]->DOLLAR_STRING() != nullptr) {
        open = static_cast<int>(raw.find('$', 1)) + 1;
      }
      if (as_body_offset != nullptr) *as_body_offset = open < 0 ? -1 : *as_location + open;
      continue;
    }
    P::RoutineOptionWordContext* w = o->routineOptionWord();
    RoutineWord word;
    word.token = w->getStart();
    if (auto* s = w->stringLiteral()) {
      word.text = StringLiteralValue(s);
      word.is_string = true;
    } else if (auto* n = w->signedNumber()) {
      word.text = n->getText();
      word.is_number = true;
    } else if (w->QUOTED_IDENT() != nullptr) {
      word.text = TokenName(w->QUOTED_IDENT()->getSymbol());
    } else {
      word.text = Lower(w->getText());
    }
    words.push_back(std::move(word));
  }
  return words;
}

ast::StatementPtr AstBuilder::CreateFunction(P::CreateFunctionStatementContext* c) {
  auto s = std::make_unique<ast::CreateFunctionStatement>();
  s->or_replace = c->REPLACE() != nullptr;
  s->procedure = c->PROCEDURE() != nullptr;
  s->name = QualName(c->qualifiedName());
  for (P::RoutineParamContext* p : c->routineParam()) {
    ast::RoutineParam param = RoutineArgOf(p->routineArg());
    if (P::ExprContext* d = p->expr()) {
      param.default_sql = SourceText(d);
      param.default_location = Loc(d);
    }
    s->params.push_back(std::move(param));
  }
  if (c->RETURNS() != nullptr) {
    s->has_returns = true;
    s->return_location = Loc(c->RETURNS());
    if (c->TABLE() != nullptr) {
      s->returns_table = true;
      s->returns_set = true;
      for (P::RoutineColumnContext* col : c->routineColumn()) {
        ast::RoutineParam p;
        p.mode = 't';
        p.name = Name(col->typeFunctionName());
        p.type = Type(col->routineType()->typeName());
        p.percent_type = col->routineType()->PERCENT() != nullptr;
        p.location = Loc(col);
        s->params.push_back(std::move(p));
      }
    } else {
      s->returns_set = c->SETOF() != nullptr;
      P::RoutineTypeContext* t = c->routineType();
      s->return_type = Type(t->typeName());
      s->return_location = Loc(t);
      if (t->PERCENT() != nullptr) {
        Unsupported(t->PERCENT()->getSymbol(), "%TYPE is not supported");
      }
    }
  }
  for (const ast::RoutineParam& p : s->params) {
    if (p.percent_type) Unsupported(c->getStart(), "%TYPE is not supported");
  }
  std::vector<AstBuilder::RoutineWord> words =
      RoutineWords(c->routineOption(), &s->as_text, &s->as_location, &s->as_body_offset);
  if (!words.empty()) ReadRoutineOptions(words, &s->options);
  if (P::RoutineBodyContext* b = c->routineBody()) {
    s->sql_body = SourceText(b);
    // `RETURN e` runs as `SELECT e`: position 0 of that text is 7 bytes before e.
    auto add_return = [&](P::ExprContext* e) {
      s->sql_body_statements.push_back("SELECT " + SourceText(e));
      s->sql_body_offsets.push_back(Loc(e) - 7);
    };
    if (b->RETURN() != nullptr) {
      add_return(b->expr());
    } else {
      for (P::RoutineBodyStatementContext* st : b->routineBodyStatement()) {
        if (st->RETURN() != nullptr) {
          add_return(st->expr());
        } else {
          s->sql_body_statements.push_back(SourceText(st->preparableStatement()));
          s->sql_body_offsets.push_back(Loc(st->preparableStatement()));
        }
      }
    }
    if (s->as_text) {
      throw Error(SqlState::kInvalidFunctionDefinition, "duplicate function body specified");
    }
  }
  return s;
}

ast::StatementPtr AstBuilder::DropFunction(P::DropFunctionStatementContext* c) {
  auto s = std::make_unique<ast::DropFunctionStatement>();
  s->procedure = c->PROCEDURE() != nullptr;
  s->if_exists = c->EXISTS() != nullptr;
  s->cascade = c->CASCADE() != nullptr;
  for (P::RoutineSignatureContext* r : c->routineSignature()) {
    s->routines.push_back(RoutineSignatureOf(r));
  }
  return s;
}

ast::StatementPtr AstBuilder::AlterFunction(P::AlterFunctionStatementContext* c) {
  auto s = std::make_unique<ast::AlterFunctionStatement>();
  s->procedure = c->PROCEDURE() != nullptr;
  s->routine = RoutineSignatureOf(c->routineSignature());
  if (c->OWNER() != nullptr) {
    s->new_owner = RoleSpecOf(c->roleSpec());
  } else if (c->SCHEMA() != nullptr) {
    s->new_schema = Name(c->colId());
  } else if (c->identifier() != nullptr && Name(c->identifier()) == "owner") {
    // OWNER is an unreserved keyword, so `OWNER TO name` also reads as the RENAME alternative.
    ast::RoleSpec r;
    r.name = Name(c->colId());
    r.location = Loc(c->colId());
    s->new_owner = r;
  } else if (c->identifier() != nullptr) {
    if (Name(c->identifier()) != "rename") {
      Fail(SqlState::kSyntaxError, c->identifier()->getStart(),
           fmt::format("syntax error at or near \"{}\"", c->identifier()->getText()));
    }
    s->new_name = Name(c->colId());
  } else {
    std::vector<AstBuilder::RoutineWord> words =
        RoutineWords(c->routineOption(), nullptr, nullptr, nullptr);
    ReadRoutineOptions(words, &s->options);
    if (s->options.language || s->options.window) {
      Fail(SqlState::kSyntaxError, words.front().token,
           fmt::format("syntax error at or near \"{}\"", words.front().token->getText()));
    }
  }
  return s;
}

ast::StatementPtr AstBuilder::Call(P::CallStatementContext* c) {
  auto s = std::make_unique<ast::CallStatement>();
  s->call = FuncCall(c->funcCall());
  return s;
}

ast::StatementPtr AstBuilder::Do(P::DoStatementContext* c) {
  // DO [LANGUAGE lang] code | DO code LANGUAGE lang.
  std::string language = "plpgsql";
  antlr4::Token* at = c->getStart();
  auto s = std::make_unique<ast::CallStatement>();
  for (size_t k = 1; k < c->children.size(); ++k) {
    ParseTree* ch = c->children[k];
    if (auto* sl = dynamic_cast<P::StringLiteralContext*>(ch)) {
      if (s->inline_code) {
        Fail(SqlState::kSyntaxError, TokenOf(ch) ? TokenOf(ch) : at,
             "conflicting or redundant options");
      }
      s->inline_code = StringLiteralValue(sl);
      // The code's first character in the statement, when the literal is its text unchanged.
      const std::string raw = sl->getText();
      if (sl->STRING().size() == 1 && raw.size() >= 2 &&
          raw.substr(1, raw.size() - 2).find('\'') == std::string::npos) {
        s->inline_code_offset = Loc(sl) + 1;
      } else if (sl->DOLLAR_STRING() != nullptr) {
        s->inline_code_offset = Loc(sl) + static_cast<int>(raw.find('$', 1)) + 1;
      }
      continue;
    }
    antlr4::Token* t = TokenOf(ch);
    if (Lower(t->getText()) != "language" || k + 1 >= c->children.size()) {
      Fail(SqlState::kSyntaxError, t, fmt::format("syntax error at or near \"{}\"", t->getText()));
    }
    ParseTree* v = c->children[++k];
    if (auto* sl = dynamic_cast<P::StringLiteralContext*>(v)) {
      language = Lower(StringLiteralValue(sl));
    } else {
      language = Lower(v->getText());
    }
  }
  if (!s->inline_code) Fail(SqlState::kSyntaxError, at, "no inline code specified");
  if (language == "sql") {
    Unsupported(at, "language \"sql\" does not support inline code execution");
  }
  if (language != "plpgsql") {
    Fail(SqlState::kUndefinedObject, at, fmt::format("language \"{}\" does not exist", language));
  }
  return s;
}

}  // namespace activestore::parser
