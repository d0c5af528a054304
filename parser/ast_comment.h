// AST of COMMENT ON object IS 'text' | NULL. Built by parser/ast_builder_comment.cpp; run by
// executor/ddl_comment.cpp.
#pragma once

#include <optional>
#include <string>

#include "parser/ast.h"
#include "parser/ast_function.h"

namespace activestore::ast {

struct CommentStatement : Statement {
  CommentStatement() : Statement(StmtKind::kComment) {}
  enum class Target {
    kTable,  // TABLE; also FOREIGN TABLE and MATERIALIZED VIEW (not found: ActiveStore has none)
    kView,
    kSequence,
    kIndex,
    kColumn,  // name: [schema.]relation.column
    kSchema,
    kDatabase,
    kRole,
    kType,
    kDomain,
    kFunction,
    kProcedure,
    kConstraint,        // CONSTRAINT name ON table
    kDomainConstraint,  // CONSTRAINT name ON DOMAIN domain
    kTrigger,           // TRIGGER name ON table
    kOperator,          // OPERATOR op (left, right)
    kOther,             // any other kind of object: 0A000 (other_kind names it)
  };
  Target target = Target::kTable;
  std::string relation_kind;  // a relation's kind as named: "table", "foreign table", "index"...
  QualifiedName name;         // the object (kConstraint, kTrigger: the table or domain)
  std::string member;         // kConstraint, kDomainConstraint, kTrigger: its name
  RoleSpec role;              // kRole
  RoutineSignature routine;   // kFunction, kProcedure
  OperatorSignature op;       // kOperator
  std::string other_kind;     // kOther: the object kind as written, upper case
  std::optional<std::string> text;  // nullopt (or ''): remove the comment
};

}  // namespace activestore::ast
