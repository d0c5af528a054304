// PL/pgSQL's syntax tree (docs/design/2026-12-06-plpgsql.md): a function body or DO block parsed
// by ParsePlpgsql (plpgsql_parse.cpp, over grammar/PlPgSql*.g4) into blocks and statements. The
// SQL expressions and statements inside are kept as text (SqlText): executor/plpgsql.cpp plans
// them with the variables as parameters, as PostgreSQL's SPI does.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace activestore::plpgsql {

// SQL inside the body: an expression (planned as `SELECT text`) or a statement.
struct SqlText {
  std::string text;
  int offset = 0;  // 0-based character offset of text in the body
  int id = 0;      // 0..Function::sql_count-1: the executor's plan cache slot
};

// An assignment target: `x`, `r.f` or `a[i]` (names[0] a variable, the rest a field or a label
// qualification; subscripts as SQL expressions).
struct Target {
  std::vector<std::string> names;
  std::vector<SqlText> subscripts;
  std::string text;  // as written, for messages
  int offset = 0;
};

struct Decl {
  std::string name;
  std::string type;  // as written: `integer`, `t.c%TYPE`, `t%ROWTYPE`, `record`
  bool constant = false;
  bool not_null = false;
  std::optional<SqlText> default_value;
  std::string alias_of;  // ALIAS FOR $n or a name
  bool cursor = false;   // a cursor declaration (0A000 when the block runs)
  int offset = 0;
  int line = 1;
};

struct Stmt;
using StmtPtr = std::unique_ptr<Stmt>;
using StmtList = std::vector<StmtPtr>;

struct Handler {
  // Condition names in lower case (`others`, `division_by_zero`), or five-character codes of
  // `SQLSTATE 'xxxxx'` prefixed with "sqlstate:".
  std::vector<std::string> conditions;
  StmtList body;
};

enum class StmtKind {
  kBlock,        // decls, body, handlers
  kAssign,       // targets[0] := exprs[0]
  kIf,           // exprs[i] THEN branches[i]; else_body when has_else
  kCase,         // selector (has_selector: exprs[0]); when_exprs[i] THEN branches[i]
  kLoop,         // body
  kWhile,        // WHILE exprs[0] LOOP body
  kForInt,       // FOR targets[0] IN [REVERSE] exprs[0]..exprs[1] [BY exprs[2]]
  kForQuery,     // FOR targets IN query (sql) LOOP
  kForExecute,   // FOR targets IN EXECUTE exprs[0] USING using
  kForeach,      // FOREACH targets[0] [SLICE n] IN ARRAY exprs[0]
  kExit,         // EXIT [name] [WHEN exprs[0]]
  kContinue,     // CONTINUE [name] [WHEN exprs[0]]
  kReturn,       // RETURN [exprs[0]]
  kReturnNext,   // RETURN NEXT [exprs[0]]
  kReturnQuery,  // RETURN QUERY sql | RETURN QUERY EXECUTE exprs[0] USING using
  kPerform,      // PERFORM sql (SELECT without the SELECT)
  kRaise,
  kAssert,   // ASSERT exprs[0] [, exprs[1]]
  kGetDiag,  // GET [STACKED] DIAGNOSTICS targets[i] = items[i]
  kExecute,  // EXECUTE exprs[0] [INTO [STRICT] targets] [USING using]
  kNull,
  kSql,          // sql [INTO [STRICT] targets]
  kUnsupported,  // name: the statement (0A000 when it runs)
};

struct Stmt {
  StmtKind kind = StmtKind::kNull;
  int line = 1;       // in the body, for error context
  int offset = 0;     // 0-based character offset in the body
  std::string label;  // <<label>> of a block or loop
  // kBlock
  std::vector<Decl> decls;
  std::vector<Handler> handlers;
  StmtList body;  // also loops' bodies
  std::vector<SqlText> exprs;
  std::vector<StmtList> branches;   // kIf, kCase
  std::vector<SqlText> when_exprs;  // kCase: each WHEN's list
  bool has_selector = false;
  bool has_else = false;
  StmtList else_body;
  std::vector<Target> targets;
  bool strict = false;  // INTO STRICT
  bool has_into = false;
  bool reverse = false;  // FOR ... IN REVERSE
  bool has_by = false;
  int slice = 0;
  std::optional<SqlText> sql;  // kSql, kForQuery, kReturnQuery, kPerform
  std::vector<SqlText> using_exprs;
  std::string name;  // kExit/kContinue: the label; kUnsupported: the statement
  // kRaise: level (lower case, default "exception"), condition name or sqlstate, format and its
  // parameters (exprs), USING options (lower-case names and expressions).
  std::string level;
  std::string condition;
  std::string sqlstate;
  std::optional<std::string> format;
  std::vector<std::string> option_names;
  std::vector<SqlText> option_exprs;
  // kGetDiag
  bool stacked = false;
  std::vector<std::string> items;
};

struct Function {
  StmtPtr block;
  int sql_count = 0;
};

// Parses a body. Throws Error 42601 `syntax error at or near "x"` with Position set to the
// 1-based character offset in body; the SQL inside is parsed too (its syntax errors mapped to
// the body).
std::shared_ptr<const Function> ParsePlpgsql(std::string_view body);

// PostgreSQL's name of a statement kind in error context (`at RAISE`, `at SQL statement`).
const char* StmtKindName(const Stmt& s);

}  // namespace activestore::plpgsql
