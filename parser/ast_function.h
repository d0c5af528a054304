// AST of the statements about user-defined functions and procedures: CREATE [OR REPLACE]
// FUNCTION | PROCEDURE, DROP FUNCTION | PROCEDURE, ALTER FUNCTION | PROCEDURE, CALL. Built by
// parser/ast_builder_functions.cpp; run by executor/ddl_functions.cpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "parser/ast.h"

namespace activestore::ast {

// A parameter as declared: [mode] [name] type [DEFAULT expr].
struct RoutineParam {
  char mode = 'i';  // pg_proc.proargmodes: 'i' IN, 'o' OUT, 'b' INOUT, 'v' VARIADIC, 't' TABLE
  std::string name;
  TypeName type;
  bool percent_type = false;               // name%TYPE
  std::optional<std::string> default_sql;  // the DEFAULT expression's text as written
  int default_location = -1;
  int location = -1;
};

// The options of CREATE / ALTER FUNCTION (gram.y's createfunc_opt_item); nullopt where not
// given. ALTER takes all but LANGUAGE and WINDOW.
struct RoutineOptions {
  std::optional<std::string> language;
  int language_location = -1;
  std::optional<char> volatility;  // 'i', 's', 'v'
  std::optional<bool> strict;
  std::optional<bool> security_definer;
  std::optional<bool> leakproof;
  std::optional<char> parallel;  // 's', 'r', 'u'
  std::optional<double> cost;
  std::optional<double> rows;
  bool window = false;
};

// CREATE [OR REPLACE] FUNCTION | PROCEDURE name (params) [RETURNS ...] options body.
struct CreateFunctionStatement : Statement {
  CreateFunctionStatement() : Statement(StmtKind::kCreateFunction) {}
  bool or_replace = false;
  bool procedure = false;
  QualifiedName name;
  std::vector<RoutineParam> params;  // RETURNS TABLE columns are appended with mode 't'
  bool has_returns = false;
  bool returns_table = false;
  bool returns_set = false;
  TypeName return_type;
  int return_location = -1;
  RoutineOptions options;
  // The body: AS 'text' (as_text), or the SQL-standard body (sql_body: its text as written,
  // "RETURN expr" or "BEGIN ATOMIC ... END", and its statements' texts).
  std::optional<std::string> as_text;
  int as_location = -1;
  // Where the AS text starts in the statement (byte offset of its first character), -1 when
  // the literal has escapes that make positions in it differ from positions in the statement.
  int as_body_offset = -1;
  std::optional<std::string> sql_body;
  // The SQL-standard body's statements as they run (`RETURN e` as `SELECT e`), and for each the
  // offset in the statement text that position 0 of its text corresponds to.
  std::vector<std::string> sql_body_statements;
  std::vector<int> sql_body_offsets;
};

// A function named with its argument types (DROP, ALTER): args_given false when the
// parenthesized list is absent (then the name must be unique).
struct RoutineSignature {
  QualifiedName name;
  bool args_given = false;
  std::vector<RoutineParam> args;
};

// DROP FUNCTION | PROCEDURE [IF EXISTS] sig, ... [CASCADE | RESTRICT].
struct DropFunctionStatement : Statement {
  DropFunctionStatement() : Statement(StmtKind::kDropFunction) {}
  bool procedure = false;
  bool if_exists = false;
  bool cascade = false;
  std::vector<RoutineSignature> routines;
};

// ALTER FUNCTION | PROCEDURE sig RENAME TO x | OWNER TO role | SET SCHEMA s | options.
struct AlterFunctionStatement : Statement {
  AlterFunctionStatement() : Statement(StmtKind::kAlterFunction) {}
  bool procedure = false;
  RoutineSignature routine;
  std::optional<std::string> new_name;
  std::optional<RoleSpec> new_owner;
  std::optional<std::string> new_schema;
  RoutineOptions options;
};

// CALL name(args); or DO: an anonymous procedure's code (call is null).
struct CallStatement : Statement {
  CallStatement() : Statement(StmtKind::kCall) {}
  ExprPtr call;  // a kFuncCall expression
  // DO [LANGUAGE plpgsql] 'code': the code, and the 0-based character offset of its first
  // character in the statement (-1 when it was written with escapes, so that positions in it
  // cannot be mapped to the statement).
  std::optional<std::string> inline_code;
  int inline_code_offset = -1;
};

// CREATE CAST (source AS target) WITH FUNCTION f[(args)] | WITHOUT FUNCTION | WITH INOUT
// [AS ASSIGNMENT | AS IMPLICIT] (pg_cast.castmethod 'f', 'b', 'i'; castcontext 'e', 'a', 'i').
struct CreateCastStatement : Statement {
  CreateCastStatement() : Statement(StmtKind::kCreateCast) {}
  TypeName source;
  TypeName target;
  char method = 'f';
  RoutineSignature function;  // method 'f'
  char context = 'e';
};

// DROP CAST [IF EXISTS] (source AS target) [CASCADE | RESTRICT].
struct DropCastStatement : Statement {
  DropCastStatement() : Statement(StmtKind::kDropCast) {}
  TypeName source;
  TypeName target;
  bool if_exists = false;
  bool cascade = false;
};

// An operator named with its argument types: [schema.]op (left | NONE, right | NONE).
struct OperatorSignature {
  QualifiedName name;            // the schema parts, then the operator
  std::optional<TypeName> left;  // nullopt: NONE
  std::optional<TypeName> right;
  int location = -1;
};

// CREATE OPERATOR [schema.]op (attribute [= value], ...): the attributes as written, checked
// by the executor (PostgreSQL's DefineOperator).
struct CreateOperatorStatement : Statement {
  CreateOperatorStatement() : Statement(StmtKind::kCreateOperator) {}
  struct Definition {
    enum class Kind { kNone, kType, kOperator, kOther };
    std::string name;  // lower-cased unless quoted
    Kind kind = Kind::kNone;
    TypeName type;  // kType: the value read as a type
    bool setof = false;
    QualifiedName names;  // kType: the value as a (function) name; kOperator: the operator
    std::string text;     // kOther: a string or number
    int location = -1;
  };
  QualifiedName name;
  std::vector<Definition> definitions;
};

// DROP OPERATOR [IF EXISTS] sig, ... [CASCADE | RESTRICT].
struct DropOperatorStatement : Statement {
  DropOperatorStatement() : Statement(StmtKind::kDropOperator) {}
  bool if_exists = false;
  bool cascade = false;
  std::vector<OperatorSignature> operators;
};

}  // namespace activestore::ast
