// COMMENT ON object IS 'text' | NULL (parser/ast_comment.h).
#include <cctype>

#include "parser/ast_builder.h"
#include "parser/ast_comment.h"

namespace activestore::parser {

using P = grammar::SqlParser;
using Target = ast::CommentStatement::Target;

ast::StatementPtr AstBuilder::Comment(P::CommentStatementContext* c) {
  auto s = std::make_unique<ast::CommentStatement>();
  if (c->stringLiteral() != nullptr) s->text = StringLiteralValue(c->stringLiteral());
  P::CommentTargetContext* t = c->commentTarget();
  if (t->qualifiedName() != nullptr) s->name = QualName(t->qualifiedName());
  // The last alternative (any other kind) has only tokens, which the token accessors below
  // would also find (EVENT TRIGGER): tell it apart by its lack of sub-rules.
  const bool other = t->qualifiedName() == nullptr && t->colId() == nullptr &&
                     t->roleSpec() == nullptr && t->routineSignature() == nullptr &&
                     t->operatorSignature() == nullptr;
  if (other) {
    s->target = Target::kOther;
    std::string kind = t->getStart()->getText();
    for (char& ch : kind) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    s->other_kind = kind;
  } else if (t->operatorSignature() != nullptr) {
    s->target = Target::kOperator;
    s->op = OperatorSignatureOf(t->operatorSignature());
  } else if (t->COLUMN() != nullptr) {
    s->target = Target::kColumn;
  } else if (t->CONSTRAINT() != nullptr || t->TRIGGER() != nullptr) {
    s->member = Name(t->colId());
    s->target = t->TRIGGER() != nullptr    ? Target::kTrigger
                : t->DOMAIN_P() != nullptr ? Target::kDomainConstraint
                                           : Target::kConstraint;
  } else if (t->SCHEMA() != nullptr || t->DATABASE() != nullptr) {
    s->target = t->SCHEMA() != nullptr ? Target::kSchema : Target::kDatabase;
    s->name.parts = {Name(t->colId())};
  } else if (t->ROLE() != nullptr) {
    s->target = Target::kRole;
    s->role = RoleSpecOf(t->roleSpec());
  } else if (t->TYPE_P() != nullptr) {
    s->target = Target::kType;
  } else if (t->DOMAIN_P() != nullptr) {
    s->target = Target::kDomain;
  } else if (t->FUNCTION() != nullptr || t->PROCEDURE() != nullptr) {
    s->target = t->FUNCTION() != nullptr ? Target::kFunction : Target::kProcedure;
    s->routine = RoutineSignatureOf(t->routineSignature());
  } else if (P::CommentRelationKindContext* k = t->commentRelationKind()) {
    s->relation_kind = k->MATERIALIZED() != nullptr ? "materialized view"
                       : k->FOREIGN() != nullptr    ? "foreign table"
                                                    : Lower(k->getText());
    s->target = s->relation_kind == "view"       ? Target::kView
                : s->relation_kind == "sequence" ? Target::kSequence
                : s->relation_kind == "index"    ? Target::kIndex
                                                 : Target::kTable;
  }
  return s;
}

}  // namespace activestore::parser
