// AST of the trigger statements: CREATE [OR REPLACE] [CONSTRAINT] TRIGGER, DROP TRIGGER and
// ALTER TRIGGER ... RENAME TO. Built by parser/ast_builder_triggers.cpp; run by
// executor/ddl_triggers.cpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "parser/ast.h"

namespace activestore::ast {

// PostgreSQL's tgtype bits (TRIGGER_TYPE_*), as storage::TriggerInfo keeps them.
namespace trigger_type {
inline constexpr int16_t kRow = 1;
inline constexpr int16_t kBefore = 2;
inline constexpr int16_t kInsert = 4;
inline constexpr int16_t kDelete = 8;
inline constexpr int16_t kUpdate = 16;
inline constexpr int16_t kTruncate = 32;
inline constexpr int16_t kInstead = 64;
}  // namespace trigger_type

// CREATE [OR REPLACE] [CONSTRAINT] TRIGGER name {BEFORE | AFTER | INSTEAD OF} event [OR ...]
// ON table [FROM table] [constraint attributes] [REFERENCING {OLD | NEW} TABLE [AS] n ...]
// [FOR [EACH] {ROW | STATEMENT}] [WHEN (cond)] EXECUTE {FUNCTION | PROCEDURE} f(args).
struct CreateTriggerStatement : Statement {
  CreateTriggerStatement() : Statement(StmtKind::kCreateTrigger) {}
  bool or_replace = false;
  bool constraint = false;
  std::string name;
  int16_t timing = 0;                       // trigger_type::kBefore, kInstead or 0 (AFTER)
  int16_t events = 0;                       // trigger_type::kInsert | kDelete | kUpdate | kTruncate
  std::vector<std::string> update_columns;  // UPDATE OF a, b
  QualifiedName table;
  bool for_each_row = false;
  ExprPtr when;
  int when_location = -1;
  QualifiedName function;
  std::vector<std::string> args;
  // Constraint trigger attributes: DEFERRABLE / INITIALLY DEFERRED, FROM referenced table.
  bool deferrable = false;
  bool initially_deferred = false;
  std::optional<QualifiedName> from_table;
  // REFERENCING OLD TABLE AS o / NEW TABLE AS n (empty: not given).
  std::string old_table, new_table;
  bool referencing_row = false;  // REFERENCING OLD/NEW ROW: PostgreSQL refuses it
  int referencing_location = -1;
};

struct DropTriggerStatement : Statement {
  DropTriggerStatement() : Statement(StmtKind::kDropTrigger) {}
  bool if_exists = false;
  std::string name;
  QualifiedName table;
  bool cascade = false;
};

struct AlterTriggerStatement : Statement {
  AlterTriggerStatement() : Statement(StmtKind::kAlterTrigger) {}
  std::string name;
  QualifiedName table;
  std::string new_name;
};

}  // namespace activestore::ast
