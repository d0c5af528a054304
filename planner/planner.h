// planner/: AST in, immutable physical plan out. The binder resolves names against a catalog
// snapshot and types every expression (PostgreSQL's rules for literals, coercion and operator
// resolution); the planner then builds the plan (planner/plan.h): per-shard fragments and a
// gather for every table read, filters pushed into scans, hash joins for equi-joins, primary
// key lookups for `pk = const/param` predicates.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/types.h"
#include "common/value_ops.h"
#include "parser/ast.h"
#include "planner/plan.h"
#include "storage/catalog.h"

namespace activestore::planner {

// The cast CREATE CAST made from type `source` to type `target` (kept in the TypeDefInfo of
// either), or null (docs/design/2026-12-07-base-types-casts.md).
const storage::UserCastInfo* FindUserCast(const storage::CatalogSnapshot& snap, uint32_t source,
                                          uint32_t target);

// A user-defined operator (CREATE OPERATOR) and the schema that holds it.
struct FoundOperator {
  const storage::SchemaInfo* schema = nullptr;
  const storage::OperatorInfo* op = nullptr;
};
// The operators named `name` in `schemas` of database `db`, in the schemas' order; shells
// (operators only named as a COMMUTATOR or NEGATOR) too when `shells`.
std::vector<FoundOperator> FindUserOperators(const storage::CatalogSnapshot& snap, storage::Oid db,
                                             const std::vector<std::string>& schemas,
                                             const std::string& name, bool shells = false);
// Operator `oid` of database `db`, or {}.
FoundOperator FindUserOperatorByOid(const storage::CatalogSnapshot& snap, storage::Oid db,
                                    storage::Oid oid);

struct PlannerContext {
  std::shared_ptr<const storage::CatalogSnapshot> catalog;
  storage::Oid database = 0;
  std::vector<std::string> search_path = {"public"};
  // The session's temporary schema, which the schema name pg_temp denotes.
  std::string temp_schema;
  // Whether a shell type (CREATE TYPE name) may be named: only by CREATE FUNCTION's parameter
  // and result types and CREATE TYPE's I/O function lookups; elsewhere 42704.
  bool allow_shell_types = false;
  // DateStyle and TimeZone for literals of date/time types (parsed at plan time, as PostgreSQL).
  FormatOptions format;
  // In: the types given for $1..$n (kUnknown = infer). Out: every parameter's type, inferred
  // from context where not given (text when nothing tells).
  std::vector<Type> param_types;
  // The last cte_id given to a WITH query of the statement (plan.h, kCteScan).
  uint32_t last_cte_id = 0;
  // The last runtime_key_id given to a hash join over catalog relations (plan.h).
  uint32_t last_runtime_key_id = 0;
  // The statement's own SELECT (In) and the origins of its targets (Out; plan.h ColumnOrigin).
  const ast::SelectStmt* origin_select = nullptr;
  std::vector<ColumnOrigin> output_origins;
  // Out: the privileges the statement needs (the plan root's `permissions`). While a view's
  // query is bound, check_as is the view's owner.
  std::vector<RelationPermission> permissions;
  uint32_t check_as = 0;
  // Data-modifying WITH queries (plan.h, init_plans). write_targets: the tables the statement
  // writes when it has one; a FROM reference to one of them reads `snapshots[oid]` (a kCteScan
  // of the whole table, filled before any write) unless in_snapshot (that copy's own scan).
  std::set<storage::Oid> write_targets;
  std::map<storage::Oid, PlanPtr> snapshots;
  std::vector<PlanPtr> snapshot_inits, dml_inits;
  bool in_snapshot = false;
  // While a user-defined SQL function's body is planned (planner/user_functions.h): its
  // parameter names by position ("" for unnamed ones), so that `x` and `f.x` mean $n where no
  // column has that name, and the function's name; with fixed_params, $n past param_types is
  // 42P02.
  std::vector<std::string> param_names;
  std::string function_name;
  bool fixed_params = false;
  // Table inheritance (docs/design/2026-12-06-inheritance.md). In: for a parent listed here,
  // the children its scans append, as the session found them when it locked the parent (a
  // child dropped since is skipped); other parents' children come from `catalog`. Out:
  // inheritance_used, every parent expanded with children (or listed in pins) and the children
  // used; inheritance_pinned, the listed parents whose list differs from `catalog`'s.
  const std::map<storage::Oid, std::vector<storage::Oid>>* inheritance_pins = nullptr;
  // The statement may name the system column tableoid: every table in FROM gets it as a hidden
  // last column of its range (not in `*`, NATURAL or USING), a constant of each member's read.
  bool system_columns = false;
  std::map<storage::Oid, std::vector<storage::Oid>> inheritance_used;
  std::map<storage::Oid, std::vector<storage::Oid>> inheritance_pinned;
  // The views being expanded, outermost first: a view met again inside its own expansion is
  // PostgreSQL's 42P17 "infinite recursion detected in rules for relation" ...
  std::vector<storage::Oid> expanding_views;
  // ... unless the plan is only walked, not run (LOCK TABLE on a view, CREATE VIEW over one:
  // PostgreSQL does not expand views there): the repeated view is then an empty relation of
  // its columns.
  bool tolerate_view_recursion = false;
  // The transition tables of the trigger whose function runs the statement (REFERENCING OLD /
  // NEW TABLE AS name): an unqualified FROM item of that name reads these rows, before any
  // table of the catalog (PostgreSQL's ephemeral named relations). The rows outlive the plan's
  // use; a plan that reads them is not reused.
  struct TransitionTable {
    std::vector<std::string> names;
    std::vector<Type> types;
    const std::vector<std::vector<Value>>* rows = nullptr;
  };
  std::map<std::string, TransitionTable> transition_tables;
  // Out, when set (CREATE VIEW): each FROM item of the statement's own text that names a
  // relation, where its name starts (as ast locations), whether the name is qualified, and what
  // it names. stored_text_depth counts the texts from the catalog being bound inside the
  // statement (views, SQL function bodies), whose names are not the statement's.
  struct RelationMention {
    int location = -1;
    bool qualified = false;
    std::string schema;
    storage::Oid oid = 0;
  };
  std::vector<RelationMention>* relation_mentions = nullptr;
  int stored_text_depth = 0;
};

// Counts a stored text's binding in ctx.stored_text_depth for its scope.
class StoredTextScope {
 public:
  explicit StoredTextScope(PlannerContext* ctx) : ctx_(ctx) { ++ctx_->stored_text_depth; }
  ~StoredTextScope() { --ctx_->stored_text_depth; }
  StoredTextScope(const StoredTextScope&) = delete;
  StoredTextScope& operator=(const StoredTextScope&) = delete;

 private:
  PlannerContext* ctx_;
};

// Plans SELECT / VALUES / INSERT / UPDATE / DELETE. Throws Error: 42P01, 42703, 42702,
// 42883, 42804, 42803, 42601, 22P02 (bad literal), 0A000 for what is not supported yet
// (window functions, recursive CTEs, ...).
PlanPtr PlanStatement(const ast::Statement& stmt, PlannerContext& ctx);

// The Type for a type name as written (int, varchar(10), numeric(10,2), timestamptz, ...).
// Throws 42704 `type "x" does not exist`, 0A000 for known but unsupported types.
Type ResolveTypeName(const ast::TypeName& name);
// The same, also finding the user-defined types (enums, domains) of ctx's catalog through its
// search path (a name qualified by a schema is looked up there only). A domain resolves to its
// base type with its typmod and sets *domain (if given) to the domain's oid; otherwise *domain
// is 0. An array of a domain is the array of the base type.
Type ResolveTypeName(const ast::TypeName& name, const PlannerContext* ctx, uint32_t* domain);
// The user-defined type a (possibly schema-qualified) name denotes in ctx, or null.
std::shared_ptr<const storage::TypeDefInfo> FindUserTypeDef(const std::string& name,
                                                            const PlannerContext& ctx);

// Binds and evaluates nothing: types a standalone expression with no columns (DEFAULT
// expressions, LIMIT values, SET values). Throws as PlanStatement.
BoundExprPtr BindStandaloneExpr(const ast::Expr& expr, PlannerContext& ctx);

// The DEFAULT of table.columns[column] (NULL if none), assignment-cast to the column's type:
// what ON DELETE/UPDATE SET DEFAULT writes.
BoundExprPtr BindColumnDefault(const storage::TableInfo& table, int column, PlannerContext& ctx);

// The generation expressions of the table's stored generated columns over its row (what
// INSERT and COPY FROM compute after the BEFORE triggers; ALTER TABLE ADD COLUMN for the
// existing rows), each with its column ordinal.
std::vector<std::pair<int, BoundExprPtr>> BindTableGenerated(const storage::TableInfo& table,
                                                             PlannerContext& ctx);

// Checks `expr`, the generation expression of table->columns[column] (CREATE TABLE, ALTER TABLE
// ADD COLUMN), as PostgreSQL's cookDefault: only the row's own columns, none of them generated
// (42P17), no whole-row reference (42P17), system column (42P10), subquery (0A000), aggregate,
// window or set-returning function; coercible to the column's type (42804); IMMUTABLE (42P17).
// The ordinals of the columns that the generation expression of table.columns[column] reads,
// in table order.
std::vector<int> GenerationExprColumns(const storage::TableInfo& table, int column);

void ValidateGenerationExpr(std::shared_ptr<const storage::TableInfo> table, int column,
                            const ast::Expr& expr, PlannerContext& ctx);

// A CHECK constraint's expression over `table`'s columns, as CREATE TABLE / ALTER TABLE ADD
// CHECK validate it (0A000 subquery, 42803 aggregate, 42804 not boolean, 42703 ...).
BoundExprPtr BindCheckExpr(std::shared_ptr<const storage::TableInfo> table, const ast::Expr& expr,
                           PlannerContext& ctx);
// The table's CHECK constraints bound over its row, in name order (what INSERT and UPDATE
// evaluate; COPY FROM too), with their names.
void BindTableChecks(const storage::TableInfo& table, PlannerContext& ctx,
                     std::vector<BoundExprPtr>* checks, std::vector<std::string>* names);

// An index key expression (predicate = false) or a partial index's WHERE over `table`'s
// columns (column_index = the column's ordinal): 0A000 for a subquery, 42803 for an
// aggregate, 42804 for a non-boolean predicate, 42P17 for a function, cast or operator that
// is not IMMUTABLE in PostgreSQL.
BoundExprPtr BindIndexExpr(std::shared_ptr<const storage::TableInfo> table, const ast::Expr& expr,
                           PlannerContext& ctx, bool predicate);
// The same for the SQL text an index keeps in the catalog (storage::IndexInfo::expressions,
// predicate). XX000 for text that is not one expression.
BoundExprPtr BindIndexText(std::shared_ptr<const storage::TableInfo> table, const std::string& text,
                           PlannerContext& ctx, bool predicate);
// pg_get_viewdef's text of a view's query (deparse_view.cpp): the query bound again and printed
// as PostgreSQL 15's ruleutils prints its stored query tree, with the final ';'; nullopt for a
// shape it does not print yet (the caller keeps the text as written).
struct ViewDefOptions {
  bool pretty = false;  // PRETTYFLAG_PAREN: only the parentheses the operators need
  // The view's column names (CREATE VIEW v (a, b), else its query's), for the `AS` of each
  // select-list item.
  std::vector<std::string> column_names;
  // A relation as regclass prints it for the reader (qualified when search_path does not find
  // it).
  std::function<std::string(const storage::TableInfo&)> relation_name;
};
std::optional<std::string> DeparseViewQuery(const std::string& sql, PlannerContext& ctx,
                                            const ViewDefOptions& options);

// SQL text of an index expression or predicate as PostgreSQL's ruleutils prints it: every
// operator parenthesized ("(a + b)", "(c = 'x'::text)"), or with pretty (pg_get_indexdef(...,
// true)) only where precedence needs it. 0A000 for a form that has no text yet.
std::string DeparseIndexExpr(const BoundExpr& e, const storage::TableInfo& table, bool pretty);
// A key element as pg_get_indexdef lists it: a call as is ("lower(key)"), anything else in
// parentheses ("((a + b))", pretty "(a + b)").
std::string IndexElementText(const BoundExpr& e, const storage::TableInfo& table, bool pretty);
// The conjuncts of a predicate over `table`'s columns, each as DeparseIndexExpr's plain text
// (`1 < a` as `a > 1`): what partial-index matching compares.
void SplitIndexPredicate(const BoundExprPtr& e, const storage::TableInfo& table,
                         std::vector<std::string>* out);

}  // namespace activestore::planner

namespace activestore::planner {

// Plans a bare query (the SELECT of CREATE TABLE AS, COPY (SELECT ...) TO, CREATE VIEW).
PlanPtr PlanSelect(const ast::SelectStmt& select, PlannerContext& ctx);

// Automatically updatable views (bind_view_modify.cpp). PostgreSQL's relation_is_updatable:
// the events (UPDATE 4, INSERT 8, DELETE 16) `rel` takes (INSTEAD OF triggers count when
// include_triggers); `column` (0-based) >= 0: UPDATE and INSERT only when that column is
// updatable (pg_column_is_updatable).
int RelationUpdatableEvents(const std::shared_ptr<const storage::TableInfo>& rel,
                            PlannerContext& ctx, bool include_triggers, int column);
// CREATE VIEW / ALTER VIEW with check_option: why the view's query is not automatically
// updatable (view_query_is_auto_updatable with check_cols: PostgreSQL's hint), or nullopt.
std::optional<std::string> ViewNotAutoUpdatable(const storage::TableInfo& view,
                                                PlannerContext& ctx);

}  // namespace activestore::planner
