// The owned abstract syntax tree that parser/ produces and planner/ consumes. No ANTLR type
// appears here. Every node records `location`: the 0-based byte offset of its first token in
// the query string, or -1; operator nodes (kBinaryOp, kUnaryOp, kIs*, kBetween, kIn*, kAnyAll,
// kCast written as ::) record their operator's token instead, as PostgreSQL does. Locations
// count bytes; the ErrorResponse position counts characters, so convert before reporting text
// that is not ASCII.
//
// Ownership: a Statement owns its whole tree through unique_ptr. Trees are immutable after
// parsing; the planner never changes them (plans are cached separately).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace activestore::ast {

struct SelectStmt;
struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

// A type as written: name lower-cased and normalised to PostgreSQL's canonical spelling where
// multi-word ("double precision", "character varying", "timestamp with time zone",
// "timestamp without time zone", "time with time zone"), plus modifiers: varchar(10) ->
// {10}, numeric(10,2) -> {10, 2}. array_bounds > 0 for "int[]".
struct TypeName {
  std::string name;
  std::vector<int32_t> modifiers;
  int array_bounds = 0;
  int location = -1;
  // interval's field restriction (`interval hour to minute`) as PostgreSQL's range mask
  // (common/interval.h); -1 when absent.
  int32_t interval_fields = -1;
};

// A possibly-qualified name: [catalog.][schema.]name, each part lower-cased unless quoted.
struct QualifiedName {
  std::vector<std::string> parts;
  const std::string& name() const { return parts.back(); }
  int location = -1;
};

enum class ExprKind {
  kConstant,      // constant: value_text + const_kind
  kColumnRef,     // names: [[schema.]table.]column; star = true for t.* (or * alone)
  kParam,         // $n: param_index (1-based)
  kUnaryOp,       // op in {"-", "+", "NOT", "~"}; args[0]
  kBinaryOp,      // op in {"+","-","*","/","%","^","||","=","<>","<",">","<=",">=","AND","OR",
                  //        "LIKE","NOT LIKE","ILIKE","NOT ILIKE","~~" etc.}; args[0], args[1]
  kIsNull,        // args[0] IS [NOT] NULL; negated
  kIsBool,        // args[0] IS [NOT] TRUE/FALSE/UNKNOWN: op in {"TRUE","FALSE","UNKNOWN"}; negated
  kIsDistinct,    // args[0] IS [NOT] DISTINCT FROM args[1]; negated = IS NOT DISTINCT FROM
  kBetween,       // args[0] [NOT] BETWEEN [SYMMETRIC] args[1] AND args[2]; negated, symmetric
  kInList,        // args[0] [NOT] IN (args[1..]); negated
  kInSubquery,    // args[0] [NOT] IN (subquery); negated
  kExists,        // [NOT] EXISTS (subquery)
  kSubquery,      // scalar (subquery)
  kAnyAll,        // args[0] op ANY/ALL (subquery or args[1] array): op, sublink_all
  kCase,          // CASE [args[0] if has_case_arg] WHEN when_then[2i] THEN when_then[2i+1]
                  //      ... ELSE else_expr END
  kCast,          // CAST(args[0] AS type) or args[0]::type
  kTypedLiteral,  // type 'string' (DATE '2024-01-01'): type + value_text
  kFuncCall,      // names (possibly qualified), args, distinct, star (count(*)),
                  // agg_order_by, filter; over: a window function call
  kCoalesce,      // COALESCE(args...)
  kNullIf,        // NULLIF(args[0], args[1])
  kGreatest,      // GREATEST(args...)
  kLeast,         // LEAST(args...)
  kRow,           // ROW(a, b) or (a, b)
  kArray,         // ARRAY[args...]; ARRAY[[1, 2], [3, 4]]: args are kArray; ARRAY(subquery)
  kSubscript,     // args[0][lo][hi:...]: args[0] the base, then per subscript its lower and
                  // upper bound (args[1 + 2k], args[2 + 2k], null when omitted);
                  // subscript_slices[k]: lo:hi (a slice) rather than one index (in lower).
                  // In UPDATE SET col[i] = x (op "assign"), args[0] is the value x.
  kDefault,       // DEFAULT in INSERT VALUES or UPDATE SET
  kGroupingSet,   // a GROUP BY item: op "ROLLUP" / "CUBE" / "SETS" (GROUPING SETS) over args,
                  // or "EMPTY" for ()
  kGroupingFunc,  // GROUPING(args...)
  kFieldSelect,   // (args[0]).names[0], or (args[0]).* with star (common/composite.h)
};

enum class ConstKind { kInteger, kNumeric, kString, kBool, kNull };

struct SortItem;
struct WindowDef;

struct Expr {
  ExprKind kind;
  int location = -1;

  // kConstant / kTypedLiteral
  ConstKind const_kind = ConstKind::kNull;
  std::string value_text;  // the literal's text: "42", "1.5e3", unescaped string, "true"
  // kColumnRef / kFuncCall
  std::vector<std::string> names;
  bool star = false;
  // kParam
  int param_index = 0;
  // operators
  std::string op;
  bool negated = false;
  bool symmetric = false;
  bool sublink_all = false;  // ALL rather than ANY/SOME
  std::vector<ExprPtr> args;
  // kFuncCall: the argument names of `f(name => x)` / `f(name := x)`, parallel to args ("" for
  // a positional argument); empty when no argument is named.
  std::vector<std::string> arg_names;
  // kCase
  bool has_case_arg = false;
  std::vector<ExprPtr> when_then;
  ExprPtr else_expr;
  // kCast / kTypedLiteral
  std::optional<TypeName> type;
  // subqueries
  std::unique_ptr<SelectStmt> subquery;
  // kFuncCall
  bool distinct = false;
  bool variadic = false;  // the last argument was written VARIADIC x
  std::vector<SortItem> agg_order_by;
  bool within_group = false;  // agg_order_by came from WITHIN GROUP (ORDER BY ...)
  ExprPtr filter;
  bool has_over = false;  // a window call: OVER over
  std::unique_ptr<WindowDef> over;
  // kSubscript
  std::vector<bool> subscript_slices;
  // LIKE ... ESCAPE e: args[2]

  explicit Expr(ExprKind k, int loc = -1) : kind(k), location(loc) {}
  ~Expr();
};

struct SortItem {
  ExprPtr expr;
  bool descending = false;
  std::optional<bool> nulls_first;  // unset: PostgreSQL's default (NULLS LAST for ASC)
};

// A window frame bound: UNBOUNDED PRECEDING/FOLLOWING, CURRENT ROW, offset PRECEDING/FOLLOWING.
enum class FrameBoundKind {
  kUnboundedPreceding,
  kOffsetPreceding,
  kCurrentRow,
  kOffsetFollowing,
  kUnboundedFollowing
};
enum class FrameMode { kRange, kRows, kGroups };
enum class FrameExclusion { kNoOthers, kCurrentRow, kGroup, kTies };

// OVER (...) / OVER w / WINDOW w AS (...): `name` is the window defined (WINDOW clause),
// `ref` the existing window referred to (OVER w, or OVER (w ...)); `bare_ref` for OVER w.
struct WindowDef {
  std::string name;
  std::string ref;
  bool bare_ref = false;
  std::vector<ExprPtr> partition_by;
  std::vector<SortItem> order_by;
  bool has_frame = false;
  FrameMode mode = FrameMode::kRange;
  FrameBoundKind start = FrameBoundKind::kUnboundedPreceding;
  FrameBoundKind end = FrameBoundKind::kCurrentRow;
  ExprPtr start_offset, end_offset;
  FrameExclusion exclusion = FrameExclusion::kNoOthers;
  int location = -1;
  int frame_location = -1;
};

// One entry of a SELECT list: expr [AS alias]. `*` and `t.*` are kColumnRef with star.
struct ResultTarget {
  ExprPtr expr;
  std::optional<std::string> alias;
  int location = -1;
};

enum class JoinType { kInner, kLeft, kRight, kFull, kCross };

struct TableRef;
using TableRefPtr = std::unique_ptr<TableRef>;

enum class TableRefKind { kTable, kSubquery, kJoin, kValues, kFunction };

struct TableRef {
  TableRefKind kind = TableRefKind::kTable;
  int location = -1;
  // kTable
  QualifiedName name;
  // ONLY name: the table without its inheritance children (`name *` and plain `name` include
  // them).
  bool only = false;
  // kSubquery / kValues (VALUES is held as a SelectStmt with values_rows)
  std::unique_ptr<SelectStmt> subquery;
  bool lateral = false;
  // kFunction: FROM unnest(a) [WITH ORDINALITY]
  ExprPtr function;
  bool with_ordinality = false;
  // A column definition list: `f(...) AS t(a int, b text)` or `AS (a int, b text)`
  // (has_column_defs tells an empty list from none; it cannot be empty when present).
  struct ColumnDef {
    std::string name;
    TypeName type;
    int location = -1;
  };
  std::vector<ColumnDef> column_defs;
  bool has_column_defs = false;
  // kFunction: ROWS FROM (f(...) [AS (column defs)], ...); `function` is then null.
  struct RowsFromItem {
    ExprPtr function;
    std::vector<ColumnDef> column_defs;
    bool has_column_defs = false;
  };
  std::vector<RowsFromItem> rows_from;
  // kTable: TABLESAMPLE method(args) [REPEATABLE (seed)] (null without the clause)
  struct TableSample {
    QualifiedName method;
    std::vector<ExprPtr> args;
    ExprPtr repeatable;
    int location = -1;  // of the method name
  };
  std::unique_ptr<TableSample> tablesample;
  // alias and optional column aliases: AS t(a, b)
  std::optional<std::string> alias;
  std::vector<std::string> column_aliases;
  // kJoin
  JoinType join_type = JoinType::kInner;
  TableRefPtr left, right;
  ExprPtr join_condition;                  // ON
  std::vector<std::string> using_columns;  // USING (a, b)
  bool natural = false;
};

enum class SetOpType { kNone, kUnion, kIntersect, kExcept };

struct WithClause;

// SELECT, VALUES, and set operations. When set_op != kNone, larg/rarg hold the operands and
// only order_by/limit/offset of this node apply to the combined result.
// FOR UPDATE / NO KEY UPDATE / SHARE / KEY SHARE [OF t, ...] [NOWAIT | SKIP LOCKED]; the
// enumerators are in PostgreSQL's order of strength.
enum class LockStrength { kKeyShare = 1, kShare, kNoKeyUpdate, kUpdate };
enum class LockWait { kBlock, kSkipLocked, kNoWait };
struct LockingClause {
  LockStrength strength = LockStrength::kUpdate;
  std::vector<QualifiedName> relations;  // OF list; empty = every table of the FROM clause
  LockWait wait = LockWait::kBlock;
  int location = -1;
};
const char* LockStrengthName(LockStrength s);  // "FOR UPDATE", "FOR KEY SHARE", ...

struct SelectStmt {
  int location = -1;
  // set operation
  SetOpType set_op = SetOpType::kNone;
  bool set_all = false;
  std::unique_ptr<SelectStmt> larg, rarg;
  // VALUES (...), (...)
  std::vector<std::vector<ExprPtr>> values_rows;
  // plain SELECT
  bool distinct = false;
  std::vector<ExprPtr> distinct_on;
  std::vector<ResultTarget> targets;
  std::vector<TableRefPtr> from;  // comma-separated items (implicit cross join)
  ExprPtr where;
  std::vector<ExprPtr> group_by;  // expressions and kGroupingSet items
  bool group_distinct = false;    // GROUP BY DISTINCT
  ExprPtr having;
  std::vector<WindowDef> windows;  // WINDOW w AS (...), ...
  // common tail
  std::vector<SortItem> order_by;
  ExprPtr limit;                 // LIMIT n / FETCH FIRST n ROWS ONLY; LIMIT ALL -> null
  bool limit_with_ties = false;  // FETCH FIRST n ROWS WITH TIES
  ExprPtr offset;
  std::unique_ptr<WithClause> with;
  std::vector<LockingClause> locking;
};

struct Statement;

// SEARCH { DEPTH | BREADTH } FIRST BY columns SET seq_column (a recursive WITH query).
struct CteSearchClause {
  bool breadth_first = false;
  std::vector<std::string> columns;
  std::vector<int> column_locations;
  std::string seq_column;
  int location = -1;
};

// CYCLE columns SET mark_column [TO mark_value DEFAULT mark_default] USING path_column; without
// TO/DEFAULT the values are the constants true and false.
struct CteCycleClause {
  std::vector<std::string> columns;
  std::vector<int> column_locations;
  std::string mark_column;
  ExprPtr mark_value, mark_default;
  std::string path_column;
  int location = -1;
};

struct CommonTableExpr {
  std::string name;
  std::vector<std::string> column_names;
  std::optional<bool> materialized;   // AS MATERIALIZED (true) / AS NOT MATERIALIZED (false)
  std::unique_ptr<SelectStmt> query;  // null for a data-modifying statement
  // A data-modifying statement (InsertStatement, UpdateStatement or DeleteStatement).
  std::shared_ptr<const Statement> dml;
  std::shared_ptr<const CteSearchClause> search;
  std::shared_ptr<const CteCycleClause> cycle;
  int location = -1;
};

struct WithClause {
  bool recursive = false;
  std::vector<CommonTableExpr> ctes;
};

enum class StmtKind {
  kSelect,
  kInsert,
  kUpdate,
  kDelete,
  kCreateTable,
  kCreateSchema,
  kCreateDatabase,
  kCreateIndex,
  kCreateView,
  kDrop,
  kTruncate,
  kLock,
  kTransaction,  // BEGIN/START TRANSACTION/COMMIT/END/ROLLBACK/ABORT/SAVEPOINT...
  kSet,          // SET [SESSION|LOCAL] name {=|TO} value[, ...] / SET TIME ZONE x
  kShow,         // SHOW name / SHOW ALL
  kReset,        // RESET name / RESET ALL
  kExplain,
  kCopy,
  kPrepare,      // PREPARE name [(types)] AS stmt
  kExecute,      // EXECUTE name [(args)]
  kDeallocate,   // DEALLOCATE [PREPARE] name | ALL
  kUtilityNoop,  // VACUUM, ANALYZE, CHECKPOINT, DISCARD ALL...: accepted, no effect
  kNotify,       // LISTEN channel / UNLISTEN channel | * / NOTIFY channel [, 'payload']
  kAlterTable,
  kCreateSequence,
  kAlterSequence,
  kAlterDatabase,  // ALTER DATABASE name SET/RESET
  // User-defined types (docs/design/2026-12-05-user-defined-types.md).
  kCreateType,      // CREATE TYPE name AS ENUM (...)
  kAlterType,       // ALTER TYPE name ADD VALUE / RENAME VALUE / RENAME TO
  kCreateCast,      // CREATE CAST (a AS b) ... (ast_function.h)
  kDropCast,        // DROP CAST [IF EXISTS] (a AS b) [CASCADE | RESTRICT]
  kCreateOperator,  // CREATE OPERATOR op (...) (ast_function.h)
  kDropOperator,    // DROP OPERATOR [IF EXISTS] op (l, r), ... [CASCADE | RESTRICT]
  kCreateDomain,    // CREATE DOMAIN name [AS] type ...
  kAlterDomain,     // ALTER DOMAIN name ...
  // Roles and privileges (docs/design/2026-12-05-roles-and-privileges.md).
  kCreateRole,   // CREATE ROLE | USER | GROUP name [WITH] options
  kAlterRole,    // ALTER ROLE | USER name [WITH] options / RENAME TO
  kDropRole,     // DROP ROLE [IF EXISTS] name, ...
  kGrant,        // GRANT / REVOKE privileges ON objects, or roles
  kAlterOwner,   // ALTER TABLE | SEQUENCE | VIEW | SCHEMA | DATABASE name OWNER TO role
  kAlterSchema,  // ALTER SCHEMA name RENAME TO new
  // User-defined functions and procedures (parser/ast_function.h).
  kCreateFunction,  // CREATE [OR REPLACE] FUNCTION | PROCEDURE
  kDropFunction,    // DROP FUNCTION | PROCEDURE
  kAlterFunction,   // ALTER FUNCTION | PROCEDURE
  kCall,            // CALL procedure(args)
  // Cursors (executor/cursors.cpp).
  kDeclareCursor,  // DECLARE name [options] CURSOR [WITH HOLD] FOR query
  kFetch,          // FETCH / MOVE [direction] [FROM | IN] name
  kCloseCursor,    // CLOSE name | ALL
  // Triggers (parser/ast_trigger.h).
  kCreateTrigger,   // CREATE [OR REPLACE] [CONSTRAINT] TRIGGER
  kDropTrigger,     // DROP TRIGGER [IF EXISTS] name ON table
  kAlterTrigger,    // ALTER TRIGGER name ON table RENAME TO new
  kComment,         // COMMENT ON object IS 'text' | NULL (parser/ast_comment.h)
  kRefreshMatview,  // REFRESH MATERIALIZED VIEW [CONCURRENTLY] name [WITH [NO] DATA]
  kMerge,           // MERGE INTO target USING source ON cond WHEN ... (MergeStatement)
};

struct Statement {
  explicit Statement(StmtKind k) : kind(k) {}
  virtual ~Statement() = default;
  StmtKind kind;
  int location = -1;  // offset of the statement's first token in the query string
  int length = -1;    // length of its text (without the ';')
};

struct SelectStatement : Statement {
  SelectStatement() : Statement(StmtKind::kSelect) {}
  std::unique_ptr<SelectStmt> select;
};

enum class OnConflictAction { kNone, kNothing, kUpdate };

// INSERT ... OVERRIDING {USER | SYSTEM} VALUE (identity columns).
enum class Overriding { kNone, kUserValue, kSystemValue };

struct InsertStatement : Statement {
  InsertStatement() : Statement(StmtKind::kInsert) {}
  std::unique_ptr<WithClause> with;
  QualifiedName table;
  std::optional<std::string> alias;
  std::vector<std::string> columns;   // empty: all columns in order
  std::vector<int> column_locations;  // of each of `columns`
  // Per column: null, or for col[i]... a kSubscript "assign" whose args[0] (the value) is
  // null and whose location is the column's.
  std::vector<ExprPtr> column_subscripts;
  std::unique_ptr<SelectStmt> source;  // VALUES rows or a SELECT; null: DEFAULT VALUES
  Overriding overriding = Overriding::kNone;
  OnConflictAction on_conflict = OnConflictAction::kNone;
  std::vector<std::string> conflict_columns;
  // ON CONFLICT ON CONSTRAINT name (instead of columns and expressions).
  std::optional<std::string> conflict_constraint;
  // The conflict target's expressions ((a + b), lower(key)), and its WHERE (the index
  // predicate of a partial unique index to infer).
  std::vector<ExprPtr> conflict_exprs;
  ExprPtr conflict_index_where;
  std::vector<std::pair<std::string, ExprPtr>> conflict_set;  // DO UPDATE SET
  ExprPtr conflict_where;
  std::vector<ResultTarget> returning;
};

struct UpdateStatement : Statement {
  UpdateStatement() : Statement(StmtKind::kUpdate) {}
  std::unique_ptr<WithClause> with;
  QualifiedName table;
  bool only = false;  // UPDATE ONLY t: not its inheritance children
  std::optional<std::string> alias;
  std::vector<std::pair<std::string, ExprPtr>> set;  // column = expr
  std::vector<TableRefPtr> from;
  ExprPtr where;
  std::vector<ResultTarget> returning;
};

struct DeleteStatement : Statement {
  DeleteStatement() : Statement(StmtKind::kDelete) {}
  std::unique_ptr<WithClause> with;
  QualifiedName table;
  bool only = false;  // DELETE FROM ONLY t
  std::optional<std::string> alias;
  std::vector<TableRefPtr> using_;
  ExprPtr where;
  std::vector<ResultTarget> returning;
};

// One WHEN clause of MERGE: [NOT] MATCHED [AND condition] THEN its action.
enum class MergeAction { kUpdate, kDelete, kInsert, kNothing };
struct MergeWhen {
  bool matched = true;
  ExprPtr condition;  // null: unconditional
  MergeAction action = MergeAction::kNothing;
  std::vector<std::pair<std::string, ExprPtr>> set;  // kUpdate: UPDATE SET
  // kInsert: the target columns (as InsertStatement's), OVERRIDING, and the VALUES row (empty
  // with `default_values`: INSERT DEFAULT VALUES).
  std::vector<std::string> columns;
  std::vector<int> column_locations;
  std::vector<ExprPtr> column_subscripts;
  Overriding overriding = Overriding::kNone;
  std::vector<ExprPtr> values;
  bool default_values = false;
  int location = -1;  // of WHEN
};

// MERGE INTO [ONLY] target [AS alias] USING source ON condition WHEN ... (PostgreSQL 15).
struct MergeStatement : Statement {
  MergeStatement() : Statement(StmtKind::kMerge) {}
  std::unique_ptr<WithClause> with;
  QualifiedName table;
  bool only = false;
  std::optional<std::string> alias;
  TableRefPtr source;
  ExprPtr condition;  // ON
  std::vector<MergeWhen> when;
};

// One option of CREATE/ALTER SEQUENCE or of an identity column, as written (PostgreSQL's
// SeqOptElem DefElem). `name` is one of "as", "increment", "minvalue", "maxvalue", "start",
// "restart", "cache", "cycle", "owned_by", "sequence_name".
struct SequenceOption {
  std::string name;
  std::optional<std::string> number;  // the signed number's text; none: NO MINVALUE/MAXVALUE,
                                      // RESTART without WITH
  std::optional<TypeName> type;       // AS type
  bool flag = false;                  // CYCLE (true) / NO CYCLE (false)
  QualifiedName names;                // OWNED BY [schema.]table.column | none; SEQUENCE NAME
  int location = -1;
};

// REFERENCES t [(cols)] [ON DELETE action] [ON UPDATE action] [MATCH ...] [[NOT] DEFERRABLE]
// [INITIALLY DEFERRED | IMMEDIATE]: a column's or a table's FOREIGN KEY clause.
struct ForeignKeySpec {
  QualifiedName ref_table;
  std::vector<std::string> ref_columns;  // empty: the referenced table's primary key
  // PostgreSQL's action letters: 'a' NO ACTION, 'r' RESTRICT, 'c' CASCADE, 'n' SET NULL,
  // 'd' SET DEFAULT.
  char on_delete = 'a';
  char on_update = 'a';
  char match = 's';  // 's' SIMPLE, 'f' FULL, 'p' PARTIAL
  bool deferrable = false;
  bool initially_deferred = false;
  int location = -1;
};

struct ColumnDef {
  std::string name;
  TypeName type;
  bool not_null = false;
  bool primary_key = false;
  std::optional<std::string> primary_key_name;  // CONSTRAINT name PRIMARY KEY
  bool unique = false;
  bool nulls_not_distinct = false;  // UNIQUE NULLS NOT DISTINCT
  // GENERATED ALWAYS ('a') / BY DEFAULT ('d') AS IDENTITY [(options)]; 0 if not an identity.
  char identity = 0;
  std::vector<SequenceOption> identity_options;
  bool explicit_null = false;  // NULL was written (conflicts with identity)
  // GENERATED ALWAYS AS (expr) STORED: 's', with the expression in default_expr (as PostgreSQL
  // keeps it in pg_attrdef); 0 if not a generated column.
  char generated = 0;
  ExprPtr default_expr;
  ExprPtr check;
  // REFERENCES clauses of the column, each with its CONSTRAINT name if given.
  std::vector<std::pair<std::optional<std::string>, ForeignKeySpec>> references;
  int location = -1;
};

enum class ConstraintType { kPrimaryKey, kUnique, kCheck, kForeignKey };

struct TableConstraint {
  ConstraintType type;
  std::optional<std::string> name;
  std::vector<std::string> columns;
  std::vector<std::string> include;  // kPrimaryKey, kUnique: INCLUDE (...)
  bool nulls_not_distinct = false;   // kUnique: UNIQUE NULLS NOT DISTINCT (...)
  ExprPtr check;
  bool no_inherit = false;     // kCheck: CHECK (...) NO INHERIT
  ForeignKeySpec foreign_key;  // kForeignKey
  int location = -1;
};

struct CreateTableStatement : Statement {
  CreateTableStatement() : Statement(StmtKind::kCreateTable) {}
  QualifiedName table;
  bool if_not_exists = false;
  bool temporary = false;
  bool unlogged = false;
  // ON COMMIT of a temporary table: what each commit does to it (PRESERVE ROWS: nothing).
  enum class OnCommit { kPreserveRows, kDeleteRows, kDrop };
  OnCommit on_commit = OnCommit::kPreserveRows;
  int on_commit_location = -1;  // of ON COMMIT, when given
  std::vector<ColumnDef> columns;
  std::vector<TableConstraint> constraints;
  std::vector<std::pair<std::string, std::string>> with_options;  // WITH (fillfactor=100)
  // CREATE TABLE t [(a, b)] AS SELECT: the column names, if given, are in `columns` with an
  // empty type name. WITH NO DATA is represented as LIMIT 0 on as_select.
  std::unique_ptr<SelectStmt> as_select;
  std::vector<QualifiedName> inherits;  // INHERITS (parent, ...)
  // LIKE source [INCLUDING ... | EXCLUDING ...] (executor/ddl_like.cpp): the source's columns go
  // before columns[position]; `including` is the LikeOption bits in effect.
  enum LikeOption : uint32_t {
    kLikeComments = 1,
    kLikeCompression = 2,
    kLikeConstraints = 4,
    kLikeDefaults = 8,
    kLikeGenerated = 16,
    kLikeIdentity = 32,
    kLikeIndexes = 64,
    kLikeStatistics = 128,
    kLikeStorage = 256,
    kLikeAll = 511,
  };
  struct Like {
    QualifiedName source;
    uint32_t including = 0;
    size_t position = 0;
    int location = -1;
  };
  std::vector<Like> likes;
  bool has_partition_by = false;  // PARTITION BY / PARTITION OF: unsupported yet
  // CREATE MATERIALIZED VIEW [IF NOT EXISTS] name [(cols)] [WITH (...)] AS query
  // [WITH [NO] DATA]: as_select is the query (not cut by WITH NO DATA, which sets
  // with_no_data), query_text its text as written.
  bool materialized_view = false;
  bool with_no_data = false;
  std::string query_text;
  int query_location = -1;  // where query_text starts in the query string (as locations)
};

enum class ObjectKind {
  kTable,
  kView,
  kIndex,
  kSchema,
  kDatabase,
  kSequence,
  kType,
  kDomain,
  kMatview,  // MATERIALIZED VIEW
};

// DROP {TABLE|VIEW|INDEX|SCHEMA|DATABASE} [IF EXISTS] name[, ...] [CASCADE|RESTRICT]
struct DropStatement : Statement {
  DropStatement() : Statement(StmtKind::kDrop) {}
  ObjectKind object_kind = ObjectKind::kTable;
  bool if_exists = false;
  bool cascade = false;
  std::vector<QualifiedName> names;
};

struct CreateSchemaStatement : Statement {
  CreateSchemaStatement() : Statement(StmtKind::kCreateSchema) {}
  std::string name;
  bool if_not_exists = false;
  // AUTHORIZATION role: the schema's owner, who also creates the elements.
  std::optional<std::string> authorization;
  // The schema elements (CREATE TABLE, VIEW, INDEX, SEQUENCE, TRIGGER, GRANT), in PostgreSQL's
  // creation order (sequences, tables, views, indexes, triggers, grants), their unqualified
  // object names qualified with `name`. A name qualified with another schema stays so (the
  // executor refuses it: 42P15).
  std::vector<std::unique_ptr<Statement>> elements;
};

struct CreateDatabaseStatement : Statement {
  CreateDatabaseStatement() : Statement(StmtKind::kCreateDatabase) {}
  std::string name;
  std::vector<std::pair<std::string, std::string>> options;  // TEMPLATE, ENCODING...: ignored
};

// ALTER DATABASE name SET x {=|TO} v | SET x TO DEFAULT | RESET x | RESET ALL.
struct AlterDatabaseStatement : Statement {
  AlterDatabaseStatement() : Statement(StmtKind::kAlterDatabase) {}
  std::string name;
  std::string setting;              // lower-cased; "all" with reset for RESET ALL
  std::vector<std::string> values;  // SET's values; empty for RESET and SET ... TO DEFAULT
  bool reset = false;               // RESET or SET ... TO DEFAULT
};

struct IndexElem {
  std::string column;  // empty when expr is set
  ExprPtr expr;
  bool descending = false;
  std::optional<bool> nulls_first;  // NULLS FIRST / NULLS LAST as written
  std::string opclass;              // an operator class as written (last name part); "": default
  int location = -1;
};

struct CreateIndexStatement : Statement {
  CreateIndexStatement() : Statement(StmtKind::kCreateIndex) {}
  std::optional<std::string> name;
  QualifiedName table;
  bool unique = false;
  bool if_not_exists = false;
  std::string method;  // USING btree|hash|gin...; empty = default
  std::vector<IndexElem> columns;
  std::vector<std::string> include;  // INCLUDE (...): stored, not part of the key
  bool nulls_not_distinct = false;   // NULLS NOT DISTINCT (unique indexes)
  ExprPtr where;
};

struct CreateViewStatement : Statement {
  CreateViewStatement() : Statement(StmtKind::kCreateView) {}
  QualifiedName name;
  bool or_replace = false;
  bool temporary = false;  // CREATE TEMP VIEW
  std::vector<std::string> column_names;
  // WITH (name [= value], ...) before AS: the view's options as given (a bare name is "true").
  std::vector<std::pair<std::string, std::string>> options;
  // WITH [CASCADED | LOCAL] CHECK OPTION after the query: "cascaded" or "local"; "" without.
  std::string check_option;
  std::unique_ptr<SelectStmt> query;
  std::string query_text;   // the text of the SELECT, as written
  int query_location = -1;  // where query_text starts in the query string (as locations)
};

// REFRESH MATERIALIZED VIEW [CONCURRENTLY] name [WITH [NO] DATA]
struct RefreshMatviewStatement : Statement {
  RefreshMatviewStatement() : Statement(StmtKind::kRefreshMatview) {}
  QualifiedName name;
  bool concurrently = false;
  bool with_no_data = false;
};

struct LockStatement : Statement {
  LockStatement() : Statement(StmtKind::kLock) {}
  std::vector<QualifiedName> tables;
  std::vector<bool> only;                 // per table: LOCK ONLY name (no inheritance children)
  std::string mode = "access exclusive";  // lower-case words, e.g. "row exclusive"
  bool nowait = false;
};

struct TruncateStatement : Statement {
  TruncateStatement() : Statement(StmtKind::kTruncate) {}
  std::vector<QualifiedName> tables;
  std::vector<bool> only;         // per table: ONLY (not its inheritance descendants)
  bool restart_identity = false;  // RESTART IDENTITY: owned sequences start over
  bool cascade = false;           // CASCADE: also the tables whose foreign keys refer to them
};

// CREATE [TEMP | UNLOGGED] SEQUENCE [IF NOT EXISTS] name [options]
struct CreateSequenceStatement : Statement {
  CreateSequenceStatement() : Statement(StmtKind::kCreateSequence) {}
  QualifiedName name;
  bool if_not_exists = false;
  bool temporary = false;
  bool unlogged = false;
  std::vector<SequenceOption> options;
};

// ALTER SEQUENCE [IF EXISTS] name options; other forms (RENAME, OWNER TO, SET SCHEMA, SET
// LOGGED) keep their text in `unsupported_action`.
struct AlterSequenceStatement : Statement {
  AlterSequenceStatement() : Statement(StmtKind::kAlterSequence) {}
  QualifiedName name;
  bool if_exists = false;
  std::vector<SequenceOption> options;
  std::string unsupported_action;
};

// CREATE TYPE name AS ENUM ('a', ...) or, with composite, CREATE TYPE name AS (f type, ...).
struct CreateTypeStatement : Statement {
  CreateTypeStatement() : Statement(StmtKind::kCreateType) {}
  QualifiedName name;
  std::vector<std::string> labels;
  bool composite = false;
  std::vector<std::pair<std::string, TypeName>> attributes;  // composite: name and type
  // CREATE TYPE name (a shell type), CREATE TYPE name (param = value, ...) (a base type): the
  // parameters' names in lower case and their values as written (strings without quotes;
  // empty when only the name is given).
  bool shell = false;
  bool base = false;
  std::vector<std::pair<std::string, std::string>> params;
};

// ALTER TYPE name ADD VALUE [IF NOT EXISTS] 'v' [BEFORE | AFTER 'w'] | RENAME VALUE 'a' TO 'b'
// | RENAME TO new.
struct AlterTypeStatement : Statement {
  AlterTypeStatement() : Statement(StmtKind::kAlterType) {}
  enum class Action { kAddValue, kRenameValue, kRename };
  QualifiedName name;
  Action action = Action::kAddValue;
  bool if_not_exists = false;
  std::string value;                    // the value added, or the one renamed
  std::optional<std::string> neighbor;  // ADD VALUE ... BEFORE/AFTER neighbor
  bool before = false;
  std::string new_name;  // RENAME VALUE's new label, RENAME TO's new name
};

// One clause of CREATE DOMAIN (or the constraint of ALTER DOMAIN ADD).
struct DomainConstraint {
  enum class Kind { kDefault, kNotNull, kNull, kCheck };
  Kind kind = Kind::kCheck;
  std::optional<std::string> name;  // CONSTRAINT name
  ExprPtr expr;                     // DEFAULT's or CHECK's expression
  int location = -1;
};

struct CreateDomainStatement : Statement {
  CreateDomainStatement() : Statement(StmtKind::kCreateDomain) {}
  QualifiedName name;
  TypeName type;
  std::vector<DomainConstraint> constraints;
};

struct AlterDomainStatement : Statement {
  AlterDomainStatement() : Statement(StmtKind::kAlterDomain) {}
  enum class Action {
    kSetDefault,
    kDropDefault,
    kSetNotNull,
    kDropNotNull,
    kAddConstraint,
    kDropConstraint,
    kValidateConstraint,
    kRenameConstraint,
    kRename,
  };
  QualifiedName name;
  Action action = Action::kSetDefault;
  DomainConstraint constraint;  // kAddConstraint; kSetDefault keeps its expression here
  bool not_valid = false;
  std::string constraint_name;  // kDropConstraint, kValidateConstraint, kRenameConstraint
  bool if_exists = false;
  bool cascade = false;
  std::string new_name;  // kRenameConstraint, kRename
};

enum class TxnAction {
  kBegin,
  kCommit,
  kRollback,
  kSavepoint,
  kRelease,
  kRollbackTo,
  kPrepareTransaction,
  kCommitPrepared,
  kRollbackPrepared
};

struct TransactionStatement : Statement {
  TransactionStatement() : Statement(StmtKind::kTransaction) {}
  TxnAction action = TxnAction::kBegin;
  std::string savepoint_name;  // also the gid of PREPARE TRANSACTION / COMMIT|ROLLBACK PREPARED
  std::optional<std::string> isolation_level;  // "read committed", "serializable", ...
  std::optional<bool> read_only;
  std::optional<bool> deferrable;
  bool and_chain = false;
};

struct SetStatement : Statement {
  SetStatement() : Statement(StmtKind::kSet) {}
  std::string name;                 // lower-cased; SET TIME ZONE -> "timezone"
  std::vector<std::string> values;  // each value's text; DEFAULT -> empty vector + is_default
  bool is_default = false;
  bool local = false;
  // SET [SESSION CHARACTERISTICS AS] TRANSACTION with several modes: the modes after the
  // first, each as (setting, value), applied in order after it.
  std::vector<std::pair<std::string, std::string>> more_modes;
  // SET CONSTRAINTS {ALL | name, ...} {DEFERRED | IMMEDIATE} (name is empty): the constraints
  // (none: ALL) and the mode.
  bool set_constraints = false;
  std::vector<QualifiedName> constraint_names;
  bool constraints_deferred = false;
};

struct ShowStatement : Statement {
  ShowStatement() : Statement(StmtKind::kShow) {}
  std::string name;  // lower-cased; "all" for SHOW ALL
};

struct ResetStatement : Statement {
  ResetStatement() : Statement(StmtKind::kReset) {}
  std::string name;  // "all" for RESET ALL
};

struct ExplainStatement : Statement {
  ExplainStatement() : Statement(StmtKind::kExplain) {}
  bool analyze = false;
  bool verbose = false;
  std::unique_ptr<Statement> statement;
};

struct CopyStatement : Statement {
  CopyStatement() : Statement(StmtKind::kCopy) {}
  QualifiedName table;
  std::vector<std::string> columns;
  std::unique_ptr<SelectStmt> query;  // COPY (SELECT ...) TO
  bool is_from = true;                // FROM (load) vs TO (dump)
  std::string target;                 // "stdin", "stdout", or a file name
  std::vector<std::pair<std::string, std::string>>
      options;  // FORMAT csv, HEADER, DELIMITER, FREEZE ...
};

struct PrepareStatement : Statement {
  PrepareStatement() : Statement(StmtKind::kPrepare) {}
  std::string name;
  std::vector<TypeName> param_types;
  std::unique_ptr<Statement> statement;
  std::string statement_text;  // the text after AS
};

struct ExecuteStatement : Statement {
  ExecuteStatement() : Statement(StmtKind::kExecute) {}
  std::string name;
  std::vector<ExprPtr> args;
};

struct DeallocateStatement : Statement {
  DeallocateStatement() : Statement(StmtKind::kDeallocate) {}
  std::string name;  // empty with all = true
  bool all = false;
};

struct DeclareCursorStatement : Statement {
  DeclareCursorStatement() : Statement(StmtKind::kDeclareCursor) {}
  std::string name;
  bool binary = false;
  bool scroll = false;               // SCROLL
  bool no_scroll = false;            // NO SCROLL
  bool hold = false;                 // WITH HOLD
  std::unique_ptr<Statement> query;  // the SELECT
  std::string query_text;            // its source text (re-parsed into the cursor's own statement)
};

// FETCH and MOVE. kForward/kBackward move `count` rows (kAll: to the end); kAbsolute/kRelative
// position on row `count` (from the start, or the end when negative) or `count` rows away.
struct FetchStatement : Statement {
  enum class Direction { kForward, kBackward, kAbsolute, kRelative };
  static constexpr int64_t kAll = INT64_MAX;
  FetchStatement() : Statement(StmtKind::kFetch) {}
  bool move = false;
  Direction direction = Direction::kForward;
  int64_t count = 1;
  std::string name;
};

struct CloseCursorStatement : Statement {
  CloseCursorStatement() : Statement(StmtKind::kCloseCursor) {}
  std::string name;  // empty for CLOSE ALL
};

struct UtilityNoopStatement : Statement {
  UtilityNoopStatement() : Statement(StmtKind::kUtilityNoop) {}
  std::string command_tag;  // "VACUUM", "ANALYZE", "CHECKPOINT", "DISCARD ALL", ...
  // VACUUM and ANALYZE: the relations named, each with its column list (empty: all columns),
  // none for every relation of the database; and the options.
  struct Target {
    QualifiedName name;
    std::vector<std::string> columns;
  };
  std::vector<Target> targets;
  bool verbose = false;
  bool analyze = false;  // ANALYZE, or VACUUM with the ANALYZE option (executor/analyze.cpp)
  bool skip_locked = false;
  // REINDEX [(VERBOSE)] {INDEX | TABLE | SCHEMA | DATABASE | SYSTEM} [CONCURRENTLY] name
  // (command_tag "REINDEX", the name in targets; executor/reindex.cpp): the object kind, in
  // capitals, and CONCURRENTLY.
  std::string reindex_kind;
  bool concurrently = false;
};

// LISTEN, UNLISTEN and NOTIFY.
struct NotifyStatement : Statement {
  NotifyStatement() : Statement(StmtKind::kNotify) {}
  enum class Action { kListen, kUnlisten, kNotify };
  Action action = Action::kNotify;
  std::string channel;  // empty for UNLISTEN *
  std::string payload;  // NOTIFY's; empty when not given
};

// ALTER TABLE: one action in the fields below; other actions keep their text so that the
// executor can answer 0A000 with a clear message. Several comma-separated actions are in
// `actions`, each a statement of its own on the same table.
struct AlterTableStatement : Statement {
  AlterTableStatement() : Statement(StmtKind::kAlterTable) {}
  QualifiedName table;
  bool if_exists = false;
  bool only = false;               // ALTER TABLE ONLY t: not propagated to inheritance children
  bool materialized_view = false;  // ALTER MATERIALIZED VIEW
  bool view = false;               // ALTER VIEW name SET (...) / RESET (...)
  std::string action_text;
  // [NO] INHERIT parent
  std::optional<QualifiedName> inherit;
  bool no_inherit = false;
  // ALTER [COLUMN] c [SET DATA] TYPE t [USING e]
  struct AlterColumnType {
    std::string column;
    TypeName type;
    ExprPtr using_expr;
    int location = -1;
  };
  std::optional<AlterColumnType> alter_column_type;
  std::optional<TableConstraint> add_constraint;   // ADD [CONSTRAINT name] ...
  bool add_not_valid = false;                      // ADD ... NOT VALID
  std::optional<std::string> drop_constraint;      // DROP CONSTRAINT [IF EXISTS] name
  std::optional<std::string> validate_constraint;  // VALIDATE CONSTRAINT name
  bool drop_if_exists = false;
  bool drop_cascade = false;
  // ADD [COLUMN] [IF NOT EXISTS] column: the column (columns[0]) and its CHECK constraints
  // (constraints) as a CREATE TABLE of the altered table holds them (if_not_exists).
  std::unique_ptr<CreateTableStatement> add_column;
  // DROP [COLUMN] [IF EXISTS] name [CASCADE | RESTRICT] (drop_if_exists, drop_cascade)
  std::optional<std::string> drop_column;
  // ALTER [COLUMN] c SET DEFAULT e | DROP DEFAULT | SET NOT NULL | DROP NOT NULL
  //   | ADD GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY [(options)]
  //   | {SET GENERATED {ALWAYS | BY DEFAULT} | SET option | RESTART [[WITH] n]} ...
  //   | DROP IDENTITY [IF EXISTS] | DROP EXPRESSION [IF EXISTS]
  struct AlterColumn {
    enum class Kind {
      kSetDefault,
      kDropDefault,
      kSetNotNull,
      kDropNotNull,
      kAddIdentity,
      kSetIdentity,
      kDropIdentity,
      kDropExpression
    };
    Kind kind = Kind::kSetDefault;
    std::string column;
    ExprPtr default_expr;  // kSetDefault
    // kAddIdentity: 'a' (ALWAYS) or 'd' (BY DEFAULT); kSetIdentity: the last SET GENERATED's,
    // or 0 when there is none.
    char identity = 0;
    std::vector<SequenceOption> identity_options;  // kAddIdentity, kSetIdentity
    bool if_exists = false;                        // kDropIdentity, kDropExpression
    int location = -1;
  };
  std::optional<AlterColumn> alter_column;
  // RENAME [COLUMN] a TO b | RENAME CONSTRAINT a TO b | RENAME TO b (from empty)
  struct Rename {
    enum class Kind { kColumn, kConstraint, kTable };
    Kind kind = Kind::kColumn;
    std::string from, to;
  };
  std::optional<Rename> rename;
  std::optional<std::string> set_schema;  // SET SCHEMA s
  // SET (name = value, ...) / RESET (name, ...): storage parameters (reset_options: names).
  std::vector<std::pair<std::string, std::string>> set_options;
  std::vector<std::string> reset_options;
  // ENABLE [ALWAYS | REPLICA] TRIGGER / DISABLE TRIGGER name | ALL | USER: the new tgenabled
  // ('O', 'A', 'R', 'D') of the trigger named, or of all (user) triggers (`name` empty, `all`).
  struct TriggerToggle {
    char enabled = 'O';
    std::string name;
    bool all = false;  // ALL (with the internal triggers) rather than USER
  };
  std::optional<TriggerToggle> trigger_toggle;
  // Several actions: each as a statement on the same table (and IF EXISTS, ONLY).
  std::vector<std::unique_ptr<AlterTableStatement>> actions;
};

// A role as written: a name, CURRENT_USER / CURRENT_ROLE, SESSION_USER, or PUBLIC (only where a
// grantee may be).
struct RoleSpec {
  enum class Kind { kName, kCurrentUser, kSessionUser, kPublic };
  Kind kind = Kind::kName;
  std::string name;
  int location = -1;
};

// CREATE / ALTER ROLE: the options given (unset ones are left as they are or default).
struct RoleStatement : Statement {
  explicit RoleStatement(StmtKind k) : Statement(k) {}
  RoleSpec role;
  bool is_user = false;                  // CREATE USER: LOGIN unless NOLOGIN
  std::optional<std::string> rename_to;  // ALTER ROLE ... RENAME TO
  std::optional<bool> superuser, create_db, create_role, inherit, login, replication, bypass_rls;
  std::optional<int32_t> connection_limit;
  bool password_given = false;
  std::optional<std::string> password;  // nullopt with password_given: PASSWORD NULL
  std::optional<std::string> valid_until;
  std::vector<RoleSpec> in_roles;  // IN ROLE: roles the new role joins
  std::vector<RoleSpec> members;   // ROLE / USER: roles that join the new role
  std::vector<RoleSpec> admins;    // ADMIN: members with ADMIN OPTION
  // ALTER ROLE r [IN DATABASE d] SET x = v | SET x TO DEFAULT | RESET x | RESET ALL: the
  // defaults of r's sessions (PostgreSQL's pg_db_role_setting). `setting` is "all" for RESET
  // ALL; no value resets.
  bool set_config = false;
  std::optional<std::string> in_database;
  std::string setting;
  std::optional<std::string> setting_value;
};

struct DropRoleStatement : Statement {
  DropRoleStatement() : Statement(StmtKind::kDropRole) {}
  bool if_exists = false;
  std::vector<RoleSpec> roles;
};

// GRANT / REVOKE. With `roles` (no ON): role memberships, `privileges` naming the roles.
struct GrantStatement : Statement {
  GrantStatement() : Statement(StmtKind::kGrant) {}
  enum class Target {
    kTable,  // TABLE (or nothing): tables and views
    kSequence,
    kSchema,
    kDatabase,
    kAllTablesInSchema,
    kAllSequencesInSchema,
    kOther,  // FUNCTION, TYPE ...: not supported
  };
  struct Privilege {
    std::string name;  // lower-case: "select", "usage", ... or a role's name
    std::vector<std::string> columns;
    int location = -1;
  };
  bool is_grant = true;
  bool roles = false;
  bool all = false;  // ALL [PRIVILEGES]
  std::vector<Privilege> privileges;
  Target target = Target::kTable;
  std::vector<QualifiedName> objects;
  std::vector<RoleSpec> grantees;
  bool option = false;  // WITH GRANT|ADMIN OPTION, or REVOKE GRANT|ADMIN OPTION FOR
  std::optional<RoleSpec> granted_by;
  bool cascade = false;
};

struct AlterOwnerStatement : Statement {
  AlterOwnerStatement() : Statement(StmtKind::kAlterOwner) {}
  ObjectKind object_kind = ObjectKind::kTable;
  bool if_exists = false;
  QualifiedName name;
  RoleSpec owner;
};

struct AlterSchemaStatement : Statement {
  AlterSchemaStatement() : Statement(StmtKind::kAlterSchema) {}
  std::string name;
  std::string new_name;  // RENAME TO
};

using StatementPtr = std::unique_ptr<Statement>;

}  // namespace activestore::ast
