// CREATE/ALTER TYPE (enums) and CREATE/ALTER DOMAIN (docs/design/2026-12-05-user-defined-types.md).
// The words ENUM, ADD, RENAME, BEFORE, AFTER, VALIDATE and VALID are identifiers in the grammar
// (not keywords); they are checked here.
#include "parser/ast_builder.h"

namespace activestore::parser {

using P = grammar::SqlParser;

ast::StatementPtr AstBuilder::CreateType(P::CreateTypeStatementContext* c) {
  // (The catch-all alternative has no anyName: its tokens are matched by a wildcard.)
  if (c->anyName() != nullptr && c->AS() != nullptr && c->identifier() == nullptr &&
      c->LPAREN() != nullptr) {
    auto s = std::make_unique<ast::CreateTypeStatement>();
    s->name = QualName(c->anyName());
    s->composite = true;
    for (P::CompositeAttributeContext* a : c->compositeAttribute()) {
      if (a->COLLATE() != nullptr)
        Unsupported(a->COLLATE()->getSymbol(), "COLLATE is not supported");
      s->attributes.emplace_back(Name(a->colId()), Type(a->typeName()));
    }
    return s;
  }
  if (c->anyName() != nullptr && c->AS() == nullptr && c->identifier() == nullptr &&
      (c->LPAREN() == nullptr || !c->typeDefElem().empty())) {
    // CREATE TYPE name: a shell; CREATE TYPE name (param = value, ...): a base type.
    auto s = std::make_unique<ast::CreateTypeStatement>();
    s->name = QualName(c->anyName());
    s->shell = c->LPAREN() == nullptr;
    s->base = !s->shell;
    for (P::TypeDefElemContext* e : c->typeDefElem()) {
      std::string value;
      for (P::TypeDefArgContext* a : e->typeDefArg()) {
        antlr4::Token* t = a->getStart();
        std::string part = a->getStop() == t && t->getType() == P::STRING ? StringValue(t)
                           : a->getStop() == t && t->getType() == P::QUOTED_IDENT
                               ? t->getText().substr(1, t->getText().size() - 2)
                               : a->getText();
        if (!value.empty() && part != "[" && part != "]" && value.back() != '[' &&
            value.back() != '.' && part != ".")
          value += ' ';
        value += part;
      }
      s->params.emplace_back(Name(e->colLabel()), value);
    }
    return s;
  }
  if (c->identifier() == nullptr || Name(c->identifier()) != "enum") {
    Unsupported(c->getStart(), "CREATE TYPE is not supported");
  }
  auto s = std::make_unique<ast::CreateTypeStatement>();
  s->name = QualName(c->anyName());
  for (antlr4::tree::TerminalNode* t : c->STRING())
    s->labels.push_back(StringValue(t->getSymbol()));
  return s;
}

ast::StatementPtr AstBuilder::CreateCast(P::CreateCastStatementContext* c) {
  auto s = std::make_unique<ast::CreateCastStatement>();
  s->source = Type(c->typeName(0));
  s->target = Type(c->typeName(1));
  if (c->WITHOUT() != nullptr) {
    s->method = 'b';
  } else if (c->INOUT() != nullptr) {
    s->method = 'i';
  } else {
    s->method = 'f';
    s->function = RoutineSignatureOf(c->routineSignature());
  }
  if (c->identifier() != nullptr) {
    std::string w = Name(c->identifier());
    if (w != "assignment" && w != "implicit") {
      Fail(SqlState::kSyntaxError, c->identifier()->getStart(),
           fmt::format("syntax error at or near \"{}\"", c->identifier()->getText()));
    }
    s->context = w == "assignment" ? 'a' : 'i';
  }
  return s;
}

ast::StatementPtr AstBuilder::DropCast(P::DropCastStatementContext* c) {
  auto s = std::make_unique<ast::DropCastStatement>();
  s->source = Type(c->typeName(0));
  s->target = Type(c->typeName(1));
  s->if_exists = c->EXISTS() != nullptr;
  s->cascade = c->CASCADE() != nullptr;
  return s;
}

ast::StatementPtr AstBuilder::AlterType(P::AlterTypeStatementContext* c) {
  auto s = std::make_unique<ast::AlterTypeStatement>();
  s->name = QualName(c->anyName());
  std::vector<P::IdentifierContext*> words = c->identifier();
  auto word = [&](size_t i) { return i < words.size() ? Name(words[i]) : std::string(); };
  auto syntax = [&](antlr4::ParserRuleContext* at) {
    Fail(SqlState::kSyntaxError, at->getStart(),
         fmt::format("syntax error at or near \"{}\"", at->getText()));
  };
  auto strings = c->STRING();
  if (c->VALUE_P() != nullptr && c->TO() == nullptr) {
    if (word(0) != "add") syntax(words[0]);
    s->action = ast::AlterTypeStatement::Action::kAddValue;
    s->if_not_exists = c->EXISTS() != nullptr;
    s->value = StringValue(strings[0]->getSymbol());
    if (strings.size() > 1) {
      std::string w = word(1);
      if (w != "before" && w != "after") syntax(words[1]);
      s->before = w == "before";
      s->neighbor = StringValue(strings[1]->getSymbol());
    }
    return s;
  }
  if (c->VALUE_P() != nullptr) {
    if (word(0) != "rename") syntax(words[0]);
    s->action = ast::AlterTypeStatement::Action::kRenameValue;
    s->value = StringValue(strings[0]->getSymbol());
    s->new_name = StringValue(strings[1]->getSymbol());
    return s;
  }
  if (c->TO() != nullptr && c->colId() != nullptr && !words.empty() && word(0) == "rename") {
    s->action = ast::AlterTypeStatement::Action::kRename;
    s->new_name = Name(c->colId());
    return s;
  }
  Unsupported(c->getStart(), "this form of ALTER TYPE is not supported");
}

ast::DomainConstraint AstBuilder::DomainConstraintOf(P::DomainConstraintContext* c) {
  ast::DomainConstraint d;
  d.location = Loc(c->getStart());
  if (c->colId() != nullptr) d.name = Name(c->colId());
  if (c->DEFAULT() != nullptr) {
    d.kind = ast::DomainConstraint::Kind::kDefault;
    d.expr = Expr(c->expr());
  } else if (c->CHECK() != nullptr) {
    d.kind = ast::DomainConstraint::Kind::kCheck;
    d.expr = Expr(c->expr());
  } else if (c->NOT() != nullptr) {
    d.kind = ast::DomainConstraint::Kind::kNotNull;
  } else {
    d.kind = ast::DomainConstraint::Kind::kNull;
  }
  return d;
}

ast::StatementPtr AstBuilder::CreateDomain(P::CreateDomainStatementContext* c) {
  auto s = std::make_unique<ast::CreateDomainStatement>();
  s->name = QualName(c->anyName());
  s->type = Type(c->typeName());
  for (P::DomainConstraintContext* d : c->domainConstraint()) {
    s->constraints.push_back(DomainConstraintOf(d));
  }
  return s;
}

ast::StatementPtr AstBuilder::AlterDomain(P::AlterDomainStatementContext* c) {
  using A = ast::AlterDomainStatement::Action;
  auto s = std::make_unique<ast::AlterDomainStatement>();
  s->name = QualName(c->anyName());
  std::vector<P::IdentifierContext*> words = c->identifier();
  auto word = [&](size_t i) { return i < words.size() ? Name(words[i]) : std::string(); };
  auto syntax = [&](antlr4::ParserRuleContext* at) {
    Fail(SqlState::kSyntaxError, at->getStart(),
         fmt::format("syntax error at or near \"{}\"", at->getText()));
  };
  const bool set = c->SET() != nullptr, drop = c->DROP() != nullptr;
  if (c->domainConstraint() != nullptr) {
    if (word(0) != "add") syntax(words[0]);
    s->action = A::kAddConstraint;
    s->constraint = DomainConstraintOf(c->domainConstraint());
    if (s->constraint.kind == ast::DomainConstraint::Kind::kDefault) {
      syntax(c->domainConstraint());
    }
    if (c->NOT() != nullptr) {
      if (word(1) != "valid") syntax(words[1]);
      s->not_valid = true;
    }
    return s;
  }
  if (set && c->DEFAULT() != nullptr) {
    s->action = A::kSetDefault;
    s->constraint.kind = ast::DomainConstraint::Kind::kDefault;
    s->constraint.expr = Expr(c->expr());
    return s;
  }
  if (drop && c->DEFAULT() != nullptr) {
    s->action = A::kDropDefault;
    return s;
  }
  if ((set || drop) && c->NULL_P() != nullptr) {
    s->action = set ? A::kSetNotNull : A::kDropNotNull;
    return s;
  }
  std::vector<P::ColIdContext*> ids = c->colId();
  if (drop && c->CONSTRAINT() != nullptr) {
    s->action = A::kDropConstraint;
    s->constraint_name = Name(ids[0]);
    s->if_exists = c->EXISTS() != nullptr;
    s->cascade = c->CASCADE() != nullptr;
    return s;
  }
  if (c->CONSTRAINT() != nullptr && !words.empty()) {
    if (word(0) == "validate" && c->TO() == nullptr) {
      s->action = A::kValidateConstraint;
      s->constraint_name = Name(ids[0]);
      return s;
    }
    if (word(0) == "rename" && c->TO() != nullptr) {
      s->action = A::kRenameConstraint;
      s->constraint_name = Name(ids[0]);
      s->new_name = Name(ids[1]);
      return s;
    }
    syntax(words[0]);
  }
  if (c->TO() != nullptr && !words.empty() && word(0) == "rename" && ids.size() == 1) {
    s->action = A::kRename;
    s->new_name = Name(ids[0]);
    return s;
  }
  Unsupported(c->getStart(), "this form of ALTER DOMAIN is not supported");
}

}  // namespace activestore::parser
