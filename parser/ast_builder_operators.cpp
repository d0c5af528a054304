// CREATE OPERATOR and DROP OPERATOR. The attribute names and values of CREATE OPERATOR are
// kept as written; executor/ddl_operators.cpp checks them as PostgreSQL's DefineOperator does.
#include "parser/ast_builder.h"

namespace activestore::parser {

using P = grammar::SqlParser;

ast::QualifiedName AstBuilder::OperatorName(P::OperatorNameContext* c) {
  ast::QualifiedName q;
  q.location = Loc(c);
  for (P::ColIdContext* id : c->colId()) q.parts.push_back(Name(id));
  // != is <> (PostgreSQL's lexer reads both as NOT_EQUALS).
  const std::string op = c->anyOperator() != nullptr ? c->anyOperator()->getText() : "||";
  q.parts.push_back(op == "!=" ? "<>" : op);
  return q;
}

ast::OperatorSignature AstBuilder::OperatorSignatureOf(P::OperatorSignatureContext* c) {
  ast::OperatorSignature sig;
  sig.name = OperatorName(c->operatorName());
  sig.location = Loc(c);
  auto arg = [&](P::TypeNameContext* t) -> std::optional<ast::TypeName> {
    ast::TypeName type = Type(t);
    // NONE is not a keyword: an unquoted identifier "none" marks a missing argument.
    if (type.name == "none" && t->getStart()->getType() == P::IDENT &&
        t->getStart() == t->getStop()) {
      return std::nullopt;
    }
    return type;
  };
  sig.left = arg(c->typeName(0));
  sig.right = arg(c->typeName(1));
  return sig;
}

ast::StatementPtr AstBuilder::CreateOperator(P::CreateOperatorStatementContext* c) {
  auto s = std::make_unique<ast::CreateOperatorStatement>();
  s->name = OperatorName(c->operatorName());
  using Kind = ast::CreateOperatorStatement::Definition::Kind;
  for (P::OperatorDefinitionContext* d : c->operatorDefinition()) {
    ast::CreateOperatorStatement::Definition def;
    def.name = Name(d->colLabel());
    def.location = Loc(d);
    if (P::OperatorDefinitionValueContext* v = d->operatorDefinitionValue()) {
      if (P::TypeNameContext* t = v->typeName()) {
        def.kind = Kind::kType;
        def.type = Type(t);
        def.setof = v->SETOF() != nullptr;
        if (t->genericTypeName() != nullptr) {
          def.names = QualName(t->genericTypeName());
        } else {
          def.names.parts.push_back(def.type.name);
        }
      } else if (v->anyOperator() != nullptr) {
        def.kind = Kind::kOperator;
        const std::string op = v->anyOperator()->getText();
        def.names.parts.push_back(op == "!=" ? "<>" : op);
      } else if (v->CONCAT() != nullptr) {
        def.kind = Kind::kOperator;
        def.names.parts.push_back("||");
      } else if (v->operatorName() != nullptr) {
        def.kind = Kind::kOperator;
        def.names = OperatorName(v->operatorName());
      } else if (v->stringLiteral() != nullptr) {
        def.kind = Kind::kOther;
        def.text = StringValue(v->stringLiteral()->getStart());
      } else {
        def.kind = Kind::kOther;
        def.text = v->getText();
      }
    }
    s->definitions.push_back(std::move(def));
  }
  return s;
}

ast::StatementPtr AstBuilder::DropOperator(P::DropOperatorStatementContext* c) {
  auto s = std::make_unique<ast::DropOperatorStatement>();
  s->if_exists = c->EXISTS() != nullptr;
  s->cascade = c->CASCADE() != nullptr;
  for (P::OperatorSignatureContext* sig : c->operatorSignature())
    s->operators.push_back(OperatorSignatureOf(sig));
  return s;
}

}  // namespace activestore::parser
