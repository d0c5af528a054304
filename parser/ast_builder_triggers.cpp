// CREATE [OR REPLACE] [CONSTRAINT] TRIGGER, DROP TRIGGER, ALTER TRIGGER ... RENAME TO
// (parser/ast_trigger.h) and ALTER TABLE's ENABLE / DISABLE TRIGGER. The words BEFORE, AFTER,
// INSTEAD, EACH, STATEMENT, REFERENCING, OLD, NEW are identifiers in the grammar, checked here
// as gram.y's CreateTrigStmt reads them (42601 otherwise).
#include "parser/ast_builder.h"
#include "parser/ast_trigger.h"

namespace activestore::parser {

using P = grammar::SqlParser;
namespace Trig = ast::trigger_type;

ast::StatementPtr AstBuilder::CreateTrigger(P::CreateTriggerStatementContext* c) {
  auto s = std::make_unique<ast::CreateTriggerStatement>();
  s->or_replace = c->REPLACE() != nullptr;
  s->constraint = c->CONSTRAINT() != nullptr;
  s->name = Name(c->colId());
  std::vector<P::IdentifierContext*> ids = c->identifier();
  // The timing word is the first identifier (the others follow ON ... in FOR [EACH] ...).
  P::IdentifierContext* timing = ids.at(0);
  const std::string when = Lower(timing->getText());
  const bool of = c->OF() != nullptr;
  if (when == "before" && !of) {
    s->timing = Trig::kBefore;
  } else if (when == "after" && !of) {
    s->timing = 0;
  } else if (when == "instead" && of) {
    s->timing = Trig::kInstead;
  } else {
    Fail(SqlState::kSyntaxError,
         of && when != "instead" ? c->OF()->getSymbol() : timing->getStart(),
         fmt::format("syntax error at or near \"{}\"",
                     of && when != "instead" ? "OF" : timing->getText()));
  }
  if (s->constraint && s->timing != 0) {
    Fail(SqlState::kSyntaxError, timing->getStart(),
         fmt::format("syntax error at or near \"{}\"", timing->getText()));
  }
  for (P::TriggerEventContext* e : c->triggerEvent()) {
    int16_t bit = e->INSERT()   ? Trig::kInsert
                  : e->DELETE() ? Trig::kDelete
                  : e->UPDATE() ? Trig::kUpdate
                                : Trig::kTruncate;
    if ((s->events & bit) != 0) {
      // gram.y reports it at the token after the event (its lookahead).
      antlr4::Token* next = c->getStop();
      for (size_t k = 0; k + 1 < c->children.size(); ++k) {
        if (c->children[k] != e) continue;
        if (auto* t = dynamic_cast<antlr4::tree::TerminalNode*>(c->children[k + 1])) {
          next = t->getSymbol();
        }
      }
      Fail(SqlState::kSyntaxError, next,
           fmt::format("duplicate trigger events specified at or near \"{}\"", next->getText()));
    }
    s->events |= bit;
    for (P::ColIdContext* col : e->colId()) s->update_columns.push_back(Name(col));
  }
  std::vector<P::QualifiedNameContext*> names = c->qualifiedName();
  s->table = QualName(names.at(0));
  size_t next_name = 1;
  if (c->FROM() != nullptr) s->from_table = QualName(names.at(next_name++));
  s->function = QualName(names.at(next_name));
  for (P::TriggerAttributeContext* a : c->triggerAttribute()) {
    if (!s->constraint) {
      Fail(SqlState::kSyntaxError, a->getStart(),
           fmt::format("syntax error at or near \"{}\"", a->getStart()->getText()));
    }
    if (a->DEFERRABLE() != nullptr) {
      s->deferrable = a->NOT() == nullptr;
      continue;
    }
    const std::string w = Lower(a->identifier()->getText());
    if (w == "deferred") {
      s->initially_deferred = true;
    } else if (w != "immediate") {
      Fail(SqlState::kSyntaxError, a->identifier()->getStart(),
           fmt::format("syntax error at or near \"{}\"", a->identifier()->getText()));
    }
  }
  if (s->from_table && !s->constraint) {
    Fail(SqlState::kSyntaxError, c->FROM()->getSymbol(), "syntax error at or near \"FROM\"");
  }
  if (auto* r = c->triggerReferencing()) {
    s->referencing_location = Loc(r);
    std::vector<P::IdentifierContext*> w = r->identifier();
    if (Lower(w[0]->getText()) != "referencing") {
      Fail(SqlState::kSyntaxError, w[0]->getStart(),
           fmt::format("syntax error at or near \"{}\"", w[0]->getText()));
    }
    std::vector<P::ColIdContext*> aliases = r->colId();
    for (size_t i = 1; i < w.size(); ++i) {
      const std::string which = Lower(w[i]->getText());
      if (which != "old" && which != "new") {
        Fail(SqlState::kSyntaxError, w[i]->getStart(),
             fmt::format("syntax error at or near \"{}\"", w[i]->getText()));
      }
      std::string& target = which == "old" ? s->old_table : s->new_table;
      if (!target.empty()) {
        Fail(SqlState::kInvalidObjectDefinition, w[i]->getStart(),
             fmt::format("{} TABLE cannot be specified multiple times",
                         which == "old" ? "OLD" : "NEW"));
      }
      target = Name(aliases.at(i - 1));
    }
    s->referencing_row = !r->ROW().empty();
  }
  if (c->FOR() != nullptr) {
    // FOR [EACH] ROW | STATEMENT: the identifiers after the timing word.
    size_t k = 1;
    if (k < ids.size() && Lower(ids[k]->getText()) == "each" &&
        (c->ROW() != nullptr || k + 1 < ids.size())) {
      ++k;
    }
    if (c->ROW() != nullptr && k == ids.size()) {
      s->for_each_row = true;
    } else if (c->ROW() == nullptr && k + 1 == ids.size() &&
               Lower(ids[k]->getText()) == "statement") {
      s->for_each_row = false;
    } else {
      antlr4::Token* at = k < ids.size() ? ids[k]->getStart() : c->FOR()->getSymbol();
      Fail(SqlState::kSyntaxError, at,
           fmt::format("syntax error at or near \"{}\"", at->getText()));
    }
  }
  if (s->constraint && !s->for_each_row) {
    Fail(SqlState::kSyntaxError, c->EXECUTE()->getSymbol(), "syntax error at or near \"EXECUTE\"");
  }
  if (c->WHEN() != nullptr) {
    s->when_location = Loc(c->expr());
    s->when = Expr(c->expr());
  }
  for (P::TriggerArgContext* a : c->triggerArg()) {
    if (a->stringLiteral() != nullptr) {
      s->args.push_back(StringLiteralValue(a->stringLiteral()));
    } else if (a->signedNumber() != nullptr) {
      s->args.push_back(a->signedNumber()->getText());
    } else {
      s->args.push_back(Name(a->colLabel()));
    }
  }
  return s;
}

ast::StatementPtr AstBuilder::DropTrigger(P::DropTriggerStatementContext* c) {
  auto s = std::make_unique<ast::DropTriggerStatement>();
  s->if_exists = c->IF() != nullptr;
  s->name = Name(c->colId());
  s->table = QualName(c->qualifiedName());
  s->cascade = c->CASCADE() != nullptr;
  return s;
}

ast::StatementPtr AstBuilder::AlterTrigger(P::AlterTriggerStatementContext* c) {
  if (Lower(c->identifier()->getText()) != "rename") {
    Fail(SqlState::kSyntaxError, c->identifier()->getStart(),
         fmt::format("syntax error at or near \"{}\"", c->identifier()->getText()));
  }
  auto s = std::make_unique<ast::AlterTriggerStatement>();
  s->name = Name(c->colId(0));
  s->table = QualName(c->qualifiedName());
  s->new_name = Name(c->colId(1));
  return s;
}

bool AstBuilder::TriggerToggle(P::AlterActionContext* a, ast::AlterTableStatement* s) {
  std::vector<P::IdentifierContext*> ids = a->identifier();
  if (a->TRIGGER() == nullptr || ids.empty() || ids.size() > 2) return false;
  const std::string verb = Lower(ids[0]->getText());
  ast::AlterTableStatement::TriggerToggle t;
  if (verb == "disable" && ids.size() == 1) {
    t.enabled = 'D';
  } else if (verb == "enable" && ids.size() == 1) {
    t.enabled = 'O';
  } else if (verb == "enable" && Lower(ids[1]->getText()) == "always") {
    t.enabled = 'A';
  } else if (verb == "enable" && Lower(ids[1]->getText()) == "replica") {
    t.enabled = 'R';
  } else {
    return false;
  }
  if (a->ALL() != nullptr) {
    t.all = true;
  } else if (a->USER() == nullptr) {
    if (a->colId().empty()) return false;
    t.name = Name(a->colId(0));
  }
  s->trigger_toggle = std::move(t);
  return true;
}

}  // namespace activestore::parser
