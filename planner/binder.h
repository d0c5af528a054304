// The binder: resolves names against the catalog snapshot, types expressions with
// PostgreSQL's rules and builds the physical plan of one query level.
//
// One Binder exists per query level (the statement, each subquery in an expression, each
// derived table in FROM). A binder owns its FROM row: the concatenation of the columns of its
// FROM items in order ("global" column indexes). Expressions are bound against that row, and
// moved to the row layout of the plan node that evaluates them when the plan is built
// (RemapColumns), which also fixes the correlated references inside their subqueries.
//
// Not thread-safe; lives for the planning of one statement.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "parser/ast.h"
#include "planner/bound_expr_util.h"
#include "planner/plan.h"
#include "planner/planner.h"
#include "planner/type_rules.h"

namespace activestore::planner {

// What is being bound: decides where aggregates are allowed and the wording of errors.
enum class Clause {
  kNone,
  kSelectList,
  kWhere,
  kJoinOn,
  kGroupBy,
  kHaving,
  kOrderBy,
  kLimit,
  kOffset,
  kValues,
  kFilter,
  kReturning,
  kDefault,
  kUpdateSet,
  kFromFunction,
  kCheck,
  kIndexExpression,
  kIndexPredicate,
  kMergeWhen,  // a WHEN condition of MERGE
  kGenerated,  // a generated column's expression
};

// A column of the FROM row.
struct RowColumn {
  std::string range;  // the range variable's visible name ("" if none)
  std::string name;
  Type type;
  int range_index = -1;
};

// A range variable: a table, view, subquery or VALUES in FROM, reachable by qualified names.
struct RangeEntry {
  std::string alias;
  std::string schema;  // for schema.table.column on base tables
  int first = 0;       // first column in the FROM row
  std::vector<std::string> columns;
  std::vector<Type> types;
  std::shared_ptr<const storage::TableInfo> table;  // base tables
  // The relation whose columns this range shows in order (a table, view, sequence or pg_catalog
  // relation), for the origins of result columns; 0 for subqueries, functions and VALUES.
  storage::Oid origin = 0;
  // Trailing system columns (tableoid) that only a name reaches, not `*`, `t.*`, NATURAL, USING.
  int hidden = 0;
  // A FROM item whose rows FOR UPDATE/SHARE leaves alone unless OF names it ("a function",
  // "a WITH query", "a join": then 0A000 `FOR UPDATE cannot be applied to a function`).
  const char* lock_refusal = nullptr;
  // A view written through (UPDATE v, bind_view_modify.cpp): per column, the column as an
  // expression over the FROM row (its base table's columns); empty for every other range.
  std::vector<BoundExprPtr> exprs;
  BoundExprPtr Column(size_t i) const {
    return exprs.empty() ? MakeColumn(first + static_cast<int>(i), types[i]) : exprs[i];
  }
};

// A view written through (PostgreSQL 15's automatically updatable views: rewriteHandler.c's
// view_query_is_auto_updatable and rewriteTargetView): the table at the bottom of its chain
// of views, each view column as an expression over that table's row, the views' WHERE
// conditions and WITH CHECK OPTION conditions over it.
struct UpdatableView {
  std::shared_ptr<const storage::TableInfo> view;
  std::shared_ptr<const storage::TableInfo> base;
  std::vector<BoundExprPtr> columns;  // per view column, over base's columns 0..n-1
  std::vector<int> base_columns;      // per view column: the base column it is, or -1
  // Per view column that is not a base column: the outermost view where it is not a column.
  std::vector<std::string> blame;
  std::vector<BoundExprPtr> quals;  // every level's WHERE conjuncts, over base's row
  bool only = true;                 // every level reads its relation with ONLY
  struct Level {
    std::string name;
    BoundExprPtr qual;   // null without WHERE
    std::string option;  // check_option: "", "local" or "cascaded"
  };
  std::vector<Level> levels;  // the view, then the views under it
  // Who needs the statement's privileges on the relations under the view: each relation and
  // the role (0: the current one) of the view over it (PostgreSQL checks a view's base
  // relation as the view's owner, unless security_invoker).
  std::vector<std::pair<std::shared_ptr<const storage::TableInfo>, uint32_t>> privileges;
};

enum class ViewWrite { kInsert, kUpdate, kDelete };

// The check_option among a view's options ("local", "cascaded"), or "".
std::string ViewCheckOptionOf(const storage::TableInfo& view);

// A column visible by its bare name (and in `*`), as an expression over the FROM row: plain
// columns, or the merged column of a JOIN ... USING.
struct VisibleColumn {
  std::string name;
  BoundExprPtr expr;
};

struct Scope {
  std::vector<int> ranges;  // indexes into Binder::ranges_
  std::vector<VisibleColumn> visible;
};

// A table read in place of its parent's range (docs/design/2026-12-06-inheritance.md): an
// inheritance child (or a partition), with its ordinal of each of the parent's columns.
struct InheritanceMember {
  std::shared_ptr<const storage::TableInfo> table;
  std::vector<int> columns;
};

// The FROM clause as a join tree over FROM-row column ranges.
struct JoinNode {
  enum class Kind { kLeaf, kInner, kOuter };
  Kind kind = Kind::kLeaf;
  int first = 0, count = 0;  // columns of the FROM row produced by this subtree
  // kLeaf: a base table (scanned by the planner) or a finished plan.
  std::shared_ptr<const storage::TableInfo> table;
  PlanPtr plan;
  // kInner: children inner-joined; kOuter: children[0] join_type children[1].
  std::vector<std::unique_ptr<JoinNode>> children;
  // kOuter (join_type kInner or kLeft): children[1] is a LATERAL leaf, run again for each row
  // of children[0] (a kNestedLoopJoin with `lateral`).
  bool lateral = false;
  // kLeaf of a LATERAL item: the FROM-row columns of earlier items its plan reads (as
  // kOuterColumn of depth 1 with FROM-row indexes); empty when it reads none. Such a leaf is a
  // child of a kInner group (a comma item, or `JOIN LATERAL ... ON` flattened into the group),
  // joined once the children it reads are, or children[1] of a lateral kOuter.
  std::set<int> lateral_refs;
  std::vector<BoundExprPtr> conjuncts;  // over the FROM row
  JoinType join_type = JoinType::kInner;
  // kLeaf of a base table: read all its columns with their row locations (the target of
  // UPDATE ... FROM / DELETE ... USING, kept leftmost so that joins carry the locations).
  bool emit_row_location = false;
  // kLeaf of a base table read with its descendants (not ONLY): their rows are appended to the
  // table's (bind_inherit.cpp). column_map: a member's ordinal of each range column (empty:
  // the range's own).
  std::vector<InheritanceMember> inheritance;
  std::vector<int> column_map;
  // kLeaf of a base table whose range ends with the hidden column tableoid (not a table column:
  // each member's read adds its oid).
  bool has_tableoid = false;
  // kLeaf of a base table read with TABLESAMPLE: every shard scan of it and of its members.
  std::shared_ptr<const TableSample> sample;
  // kLeaf of a hypertable's chunk whose range the query reads a large part of: scanned rather
  // than read through an index range (bind_inherit.cpp).
  bool prefer_scan = false;
};

// A planned join subtree: its plan and, per output column, the FROM-row column it carries.
struct PlannedRel {
  PlanPtr plan;
  std::vector<int> cols;
};

struct SelectTarget {
  BoundExprPtr expr;
  std::string name;
  int location = -1;
};

// 42883 `function name(argument types) does not exist` with PostgreSQL's hint, at `location`.
// How errors name a clause ("WHERE", "JOIN conditions", ...).
const char* ClauseName(Clause c);

// row_number, rank, ... nth_value: PostgreSQL's built-in window functions (bind_window.cpp).
bool IsWindowFunctionName(const std::string& name);

[[noreturn]] void ThrowNoFunction(int location, const std::string& name,
                                  const std::vector<BoundExprPtr>& args);
// The same with the argument list as shown ("integer", "x => text").
[[noreturn]] void ThrowNoFunction(int location, const std::string& name,
                                  const std::vector<std::string>& shown);

// The columns of a FROM item in `entry`, renamed by the reference's column aliases (42P10 for
// too many aliases).
void AliasColumns(const ast::TableRef& ref, const std::vector<std::string>& names,
                  const std::vector<Type>& types, RangeEntry* entry);

// 42883 `operator does not exist: l op r` with PostgreSQL's hint, at `location`.
[[noreturn]] void ThrowNoOperator(int location, const std::string& op, Type l, Type r);
// 42804 `subscripted assignment to "name" requires type want but expression is of type got`
// with PostgreSQL's hint, at `location`.
[[noreturn]] void ThrowSubscriptAssignmentType(int location, const std::string& name, Type want,
                                               Type got);
// 42725 `operator is not unique: unknown op unknown` with PostgreSQL's hint, at `location`.
[[noreturn]] void ThrowUnknownOperatorNotUnique(int location, const std::string& op);

// bind_json.cpp: the json functions it resolves; the one-column set-returning ones (executor:
// EvaluateSetFunction); json[b]_each[_text], FROM only.
bool IsJsonFunctionName(const std::string& name);
bool IsJsonSetFunction(const std::string& impl);
bool IsJsonTableFunction(const std::string& name);
// json[b]_to_record[set]: FROM only, with a column definition list (BindJsonRecordScan).
bool IsJsonRecordFunction(const std::string& name);
// json_agg, jsonb_agg, json_object_agg, jsonb_object_agg: an array_agg of each row's json
// element (BindJsonAggregateSpec) under a final function (FinishJsonAggregate).
bool IsJsonAggregateName(const std::string& name);
bool JsonAggregateOfContainers(const AggregateSpec& spec);
BoundExprPtr FinishJsonAggregate(const std::string& name, BoundExprPtr agg, bool containers);

// True for the array functions bind_array.cpp resolves (and unnest).
bool IsArrayFunctionName(const std::string& name, size_t nargs);
// `plan` (a kProject or kResult of a select list) as a kProjectSet when some output is a
// top-level unnest(...); unchanged otherwise. 0A000 for an unnest nested in an expression.
PlanPtr MakeProjectSet(PlanPtr plan);

// One function of a FROM function item: a plain `f(...)` or one of ROWS FROM (...).
struct FromFunction {
  const ast::Expr* call = nullptr;
  // The column name of a scalar result: the alias of a lone function, else the function's name
  // (PostgreSQL's chooseScalarFunctionAlias; a named OUT parameter wins).
  std::string scalar_name;
  // Its column definition list (`AS (a int, ...)`), null without one.
  const std::vector<ast::TableRef::ColumnDef>* column_defs = nullptr;
  int column_defs_location = -1;
};

class Binder {
 public:
  // `parent`: the query level whose row outer references resolve against (null at the top).
  // `lexical`: the binder whose CTEs are visible (the enclosing query text).
  // `derived_of`: for a derived table in FROM, the binder it belongs to (shares its level).
  Binder(PlannerContext* ctx, Binder* parent, Binder* lexical, Binder* derived_of = nullptr);
  // PostgreSQL's relation_is_updatable (bind_view_modify.cpp): the events (1 << CmdType:
  // UPDATE 4, INSERT 8, DELETE 16) `rel` takes, by its INSTEAD OF triggers when
  // include_triggers or as an automatically updatable view; `column` >= 0: UPDATE and INSERT
  // only when that view column is updatable.
  int UpdatableEvents(const std::shared_ptr<const storage::TableInfo>& rel, bool include_triggers,
                      int column);

  // A whole SELECT (set operations, VALUES, ORDER BY, LIMIT).
  PlanPtr PlanSelect(const ast::SelectStmt& s);
  PlanPtr PlanInsert(const ast::InsertStatement& s);
  PlanPtr PlanUpdate(const ast::UpdateStatement& s);
  PlanPtr PlanDelete(const ast::DeleteStatement& s);
  PlanPtr PlanMerge(const ast::MergeStatement& s);  // bind_merge.cpp
  // The above without the end of their WITH clause (FinishCtes).
  PlanPtr PlanSelectBody(const ast::SelectStmt& s);
  PlanPtr PlanInsertBody(const ast::InsertStatement& s);
  PlanPtr PlanUpdateBody(const ast::UpdateStatement& s);
  PlanPtr PlanDeleteBody(const ast::DeleteStatement& s);
  // A column's DEFAULT, assignment-coerced (NULL if it has none).
  BoundExprPtr DefaultExpr(const storage::TableInfo& table, int column);
  // A CHECK constraint's expression over `table`'s row (only its columns in scope), coerced to
  // boolean: 0A000 for a subquery, 42803 for an aggregate, 42804 if not boolean.
  BoundExprPtr BindCheck(std::shared_ptr<const storage::TableInfo> table, const ast::Expr& e);
  // An index key expression or predicate (bind_index.cpp).
  BoundExprPtr BindIndexExpression(std::shared_ptr<const storage::TableInfo> table,
                                   const ast::Expr& e, bool predicate);
  // The table's stored CHECK constraints, bound, into node->checks / check_names.
  void AttachChecks(const storage::TableInfo& table, PlanNode* node);
  // The generation expressions of the table's stored generated columns over its row,
  // assignment-coerced to the columns' types; with `assigned`, only those reading one of those
  // columns (what an UPDATE recomputes).
  std::vector<std::pair<int, BoundExprPtr>> GeneratedColumns(const storage::TableInfo& table,
                                                             const std::vector<int>* assigned);
  // A generation expression over `table` for column `column` (ValidateGenerationExpr).
  BoundExprPtr BindGenerated(std::shared_ptr<const storage::TableInfo> table, int column,
                             const ast::Expr& e);
  // bind_domain.cpp: the constraints of the domains of table's columns, put before the table
  // checks (planner/domain_checks.h names them); a value cast to domain `domain`, checked.
  void AttachDomainChecks(const storage::TableInfo& table, PlanNode* node);
  BoundExprPtr DomainCheck(BoundExprPtr value, uint32_t domain);
  template <typename Add>
  void ForEachDomainConstraint(
      const std::vector<std::shared_ptr<const storage::TypeDefInfo>>& chain,
      std::shared_ptr<const storage::TableInfo> shape, Add add);

  // Expression binding (bind_expr.cpp). Results may have type unknown (literals, params).
  BoundExprPtr BindExpr(const ast::Expr& e);
  // Binds and requires boolean: 42804 `argument of WHERE must be type boolean, not type x`.
  BoundExprPtr BindCondition(const ast::Expr& e, const char* what);
  // Coerces to `to` (unknown literals are parsed, params typed, casts inserted). Throws 42804
  // (`what` names the construct for messages) when no such coercion exists.
  BoundExprPtr Coerce(BoundExprPtr e, Type to, CoercionContext context, int location);
  // REQUIRES (both): the FROM-function scope is set up (BindFunctionScan).
  std::shared_ptr<PlanNode> BindGenerateSeries(const FromFunction& f);
  Type BindGenerateSeriesArgs(const ast::Expr& f, std::vector<BoundExprPtr>* args);
  BoundExprPtr BindSelectListGenerateSeries(const ast::Expr& e);
  // 0A000 for a set-returning call outside the select list (or inside an aggregate).
  void CheckSetReturningPlace(int location);
  // `plan` as a one-column function scan of type `result` (its column named f.scalar_name).
  static std::shared_ptr<PlanNode> ScalarFunctionScan(std::shared_ptr<PlanNode> plan, Type result,
                                                      const FromFunction& f);
  // The range of a function scan `plan` whose output columns are set: adds the ordinality
  // column for WITH ORDINALITY, applies the alias and its column aliases, adds the range.
  std::unique_ptr<JoinNode> FinishFunctionScan(const ast::TableRef& ref,
                                               std::shared_ptr<PlanNode> plan,
                                               const std::string& name, Scope* scope);
  // bind_composite.cpp: ROW(...) / (a, b) as a value of type record; (x).f and (x).*; a row
  // value coerced to a composite type field by field (nullopt if `e` is not a row value or
  // `to` not a composite type).
  BoundExprPtr BindRowValue(const ast::Expr& e);
  BoundExprPtr BindFieldSelect(const ast::Expr& e);
  std::optional<BoundExprPtr> CoerceRow(BoundExprPtr e, Type to, CoercionContext context,
                                        int location);
  // Explicit cast semantics (CAST / ::). 42846 when impossible.
  BoundExprPtr Cast(BoundExprPtr e, Type to, int location);
  // Unknown -> text; used where a value must have a real type (select lists).
  BoundExprPtr ResolveUnknown(BoundExprPtr e, int location);
  // PostgreSQL's select_common_type over exprs, then coerces each of them.
  Type CommonType(std::vector<BoundExprPtr>* exprs, const std::vector<int>& locations,
                  const char* context);
  // The column name PostgreSQL gives a select-list expression.
  static std::string FigureColname(const ast::Expr& e);

  Clause clause() const { return clause_; }
  void set_clause(Clause c) { clause_ = c; }

  // bind_user_function.cpp: CALL's procedure call (arguments coerced, defaults filled): 42883
  // `procedure p(integer) does not exist`, 42809 for a function, 42725 when ambiguous.
  BoundExprPtr BindProcedureCall(const ast::Expr& e);
  bool has_outer_refs() const { return has_outer_refs_; }

 private:
  friend class ExprBinder;
  friend class ViewDeparser;  // deparse_view.cpp: binds a view's query again to print it
  // bind_expr.cpp
  BoundExprPtr BindColumnRef(const ast::Expr& e);
  std::optional<BoundExprPtr> ResolveColumnLocal(const ast::Expr& e, bool* ambiguous);
  BoundExprPtr BindFuncCall(const ast::Expr& e);
  // A call of a built-in function (BindFuncCall when no user function takes it).
  BoundExprPtr BindFuncCallBuiltin(const ast::Expr& e);
  // bind_user_function.cpp: a call of a user-defined function when one of that name is
  // visible (a built-in that matches wins for an unqualified name); nullopt otherwise.
  std::optional<BoundExprPtr> TryBindUserFunction(const ast::Expr& e);
  BoundExprPtr CoerceByUserCast(BoundExprPtr e, TypeId from, Type to, CoercionContext context,
                                int location);
  // Whether CREATE CAST made a cast from `from` to `to` usable in `context`.
  bool HasUserCast(TypeId from, TypeId to, CoercionContext context) const;
  // bind_user_operator.cpp: a binary or prefix operator expression when a user-defined
  // operator (CREATE OPERATOR) of that name is visible (an exact built-in match wins);
  // nullopt otherwise.
  std::optional<BoundExprPtr> TryBindUserOperator(const ast::Expr& e);
  BoundExprPtr CallUserOperator(const storage::OperatorInfo& op, std::vector<BoundExprPtr> args,
                                const ast::Expr& e);
  BoundExprPtr BindUserFunctionCall(
      const ast::Expr& e, const std::vector<std::shared_ptr<const storage::FunctionInfo>>& found,
      char kind);
  // The body of fn bound into the caller's expression over `args`, or null if not inlinable.
  BoundExprPtr InlineUserFunction(const storage::FunctionInfo& fn,
                                  const std::vector<BoundExprPtr>& args, Type result);
  // $n or a parameter name while a body is inlined / planned: nullopt when not one.
  std::optional<BoundExprPtr> InlineParam(int index, int location);
  std::optional<BoundExprPtr> BindFunctionParamName(const ast::Expr& e);
  // FROM f(...) of a user function: its rows (set-returning) or its one row, one column per
  // result column.
  std::shared_ptr<PlanNode> BindUserFunctionScan(const FromFunction& f, BoundExprPtr call);
  BoundExprPtr BindNamedArgCall(const ast::Expr& e, const std::string& name);
  BoundExprPtr BindAggregate(const ast::Expr& e, const std::string& name);
  // 42803 unless an aggregate may appear here (select list, HAVING, ORDER BY; not nested).
  void CheckAggregatePlace(int location) const;
  // Adds spec to this level's aggregates; returns its kAggregate placeholder.
  BoundExprPtr AddAggregate(AggregateSpec spec);
  // An aggregate call's spec (types, arguments, FILTER); `window`: its arguments are over the
  // grouped rows (an OVER call), not the aggregate's input.
  AggregateSpec BindAggregateSpec(const ast::Expr& e, const std::string& name, bool window);
  // The aggregate's ORDER BY (its keys appended to spec->args); 42P10 for a key of a DISTINCT
  // aggregate that is not one of its arguments.
  void BindAggregateOrder(const ast::Expr& e, AggregateSpec* spec);
  // f(direct args) WITHIN GROUP (ORDER BY ...): percentile_cont, percentile_disc, mode and the
  // hypothetical-set rank, dense_rank, percent_rank, cume_dist (bind_ordered_set.cpp).
  BoundExprPtr BindOrderedSetAggregate(const ast::Expr& e, const std::string& name);
  BoundExprPtr BindWithinGroupCall(const ast::Expr& e, const std::string& name);
  // A function call that is neither a window nor an aggregate call.
  BoundExprPtr BindPlainCall(const ast::Expr& e, std::string name);
  // bind_timeseries.cpp: TimescaleDB's time_bucket, time_bucket_gapfill, locf and interpolate,
  // positional or with their parameter names (origin =>, "offset" =>, timezone =>, start =>,
  // finish =>, prev =>, next =>, treat_null_as_missing =>).
  BoundExprPtr BindTimeSeriesCall(const ast::Expr& e, const std::string& name);
  // When a select-list item has time_bucket_gapfill and the query groups: the kGapFill node
  // over `plan` (the Aggregate, HAVING applied), `targets` being the select list as bound over
  // the FROM row, `groups` the grouping expressions, `where` the WHERE conjuncts (both over
  // the FROM row); rewrites the locf/interpolate items of `outputs` (over the Aggregate's
  // output) onto the node's fill columns. Otherwise returns `plan`. Errors as TimescaleDB's.
  PlanPtr PlanGapFill(PlanPtr plan, const std::vector<BoundExprPtr>& targets,
                      const std::vector<BoundExprPtr>& groups,
                      const std::vector<BoundExprPtr>& where, std::vector<BoundExprPtr>* outputs);
  // bind_window.cpp: f(...) OVER ..., a kWindowFunc placeholder for windows_funcs_.
  BoundExprPtr BindWindowCall(const ast::Expr& e, const std::string& name);
  // The window an OVER clause means, with the SELECT's WINDOW clause (PostgreSQL's
  // transformWindowDefinitions); its index in windows_.
  int BindWindowDef(const ast::WindowDef& def);
  // Adds the Sort and WindowAgg nodes that compute window_funcs_ over `plan` (whose columns
  // `map` gives for the bound row), and rewrites `outputs`' placeholders to their columns.
  PlanPtr PlanWindows(PlanPtr plan, std::vector<BoundExprPtr>* outputs);
  // Replaces every expression of windows_ and window_funcs_ over the row by f(expr).
  void ForEachWindowExpr(const std::function<BoundExprPtr(const BoundExprPtr&)>& f);
  // nextval / currval / setval: a regclass constant first argument ('s', 's'::regclass) names
  // the sequence now (42P01 at the literal if it does not exist); text is resolved per call.
  BoundExprPtr BindSequenceFunction(const ast::Expr& e, const std::string& name);
  BoundExprPtr BindScalarFunction(const ast::Expr& e, const std::string& name,
                                  std::vector<BoundExprPtr> args,
                                  const std::vector<int>& locations);
  BoundExprPtr BindBinary(const ast::Expr& e);
  BoundExprPtr BindIntegerBitOp(const std::string& op, BoundExprPtr l, BoundExprPtr r,
                                int location);
  // lloc/rloc: the operands' locations, for errors about them (-1: `location`).
  BoundExprPtr BindComparison(const std::string& op, BoundExprPtr l, BoundExprPtr r, int location,
                              int lloc = -1, int rloc = -1);
  BoundExprPtr BindArith(const std::string& op, BoundExprPtr l, BoundExprPtr r, int location);
  BoundExprPtr BindBoolOp(BoundExprKind kind, const ast::Expr& e);
  BoundExprPtr BindCase(const ast::Expr& e);
  BoundExprPtr BindCaseArms(const ast::Expr& e);
  BoundExprPtr BindVariadic(const ast::Expr& e, BoundExprKind kind, const char* what);
  BoundExprPtr BindSubqueryExpr(const ast::Expr& e);
  BoundExprPtr BindConstant(const ast::Expr& e);
  BoundExprPtr BindParam(const ast::Expr& e);
  BoundExprPtr BindInList(const ast::Expr& e);
  // `x [NOT] IN (a, b, ...)` over items that all read no column of this level: one kInList.
  BoundExprPtr BindInListOfValues(const ast::Expr& e, std::vector<BoundExprPtr> all,
                                  const std::vector<int>& locs);
  PlanPtr PlanSubquery(const ast::SelectStmt& s, bool* correlated);
  BoundExprPtr RequireBool(BoundExprPtr e, const char* what, int location);
  BoundExprPtr Fold(BoundExprPtr e);

  // bind_row.cpp: a comparison, IS [NOT] NULL, IS [NOT] DISTINCT FROM, IN or ANY/ALL with a
  // row constructor operand (REQUIRES: IsRowPredicate(e)).
  BoundExprPtr BindRowPredicate(const ast::Expr& e);
  struct RowFields;
  RowFields BindRowFields(const ast::Expr& row);
  // 42601 `unequal number of entries in row expressions` when the lengths differ.
  BoundExprPtr CompareRows(const std::string& op, const RowFields& l, const RowFields& r,
                           int location);
  BoundExprPtr CompareRowField(const std::string& op, const RowFields& l, const RowFields& r,
                               size_t i, int location);
  // row IN / op ANY / op ALL (subquery), or row op (subquery) when row_compare.
  BoundExprPtr BindRowSublink(const ast::Expr& e, std::string op, bool all, bool row_compare);

  // bind_array.cpp
  BoundExprPtr BindArrayConstructor(const ast::Expr& e);
  // ARRAY[]::T[]: an empty array of `to` (42P18 when `to` is not an array type).
  BoundExprPtr BindEmptyArrayCast(const ast::Expr& e, Type to);
  // ARRAY[...]::T[]: the elements cast to T one by one (REQUIRES: T[] is an array type).
  BoundExprPtr BindArrayConstructorAs(const ast::Expr& e, Type to);
  BoundExprPtr BindSubscript(const ast::Expr& e);
  // The subscripts of a kSubscript node, int4, two per subscript (an omitted bound is a
  // kConstant with op "omitted").
  void AppendSubscripts(const ast::Expr& e, std::vector<BoundExprPtr>* out);
  // unnest(array) in a select list (made a kProjectSet by MakeProjectSet); 0A000 elsewhere.
  BoundExprPtr BindSelectListUnnest(const ast::Expr& e, std::vector<BoundExprPtr> args);
  // UPDATE SET col[i][j] = x (e: kSubscript with op "assign"): array_set over `base` (the
  // column of the target row, an earlier assignment to it, or NULL for INSERT) with the value
  // coerced to the element type; col[lo:hi] = array: array_set_slice with the value of the
  // column's type. `value`: already bound (INSERT), else e.args[0] is bound. Type errors
  // point at e.location (the column).
  BoundExprPtr BindArrayAssignment(const ast::Expr& e, BoundExprPtr base, Type column_type,
                                   const std::string& name, BoundExprPtr value = nullptr,
                                   int value_location = -1);
  BoundExprPtr BindArrayAnyAll(const ast::Expr& e);
  // ||, @>, <@, && with an array operand; null when neither operand is an array.
  BoundExprPtr BindArrayOperator(const std::string& op, BoundExprPtr l, BoundExprPtr r,
                                 int location);
  // The array functions (array_length, array_append, ...): polymorphic resolution of the
  // element type. REQUIRES: IsArrayFunctionName(name), name != "unnest".
  BoundExprPtr BindEnumFunction(const ast::Expr& e, const std::string& name,
                                std::vector<BoundExprPtr> args, const std::vector<int>& locs);
  BoundExprPtr BindArrayFunction(const ast::Expr& e, const std::string& name,
                                 std::vector<BoundExprPtr> args, const std::vector<int>& locs);
  // select_common_type over values of these types (42804 when they cannot be matched).
  Type CommonElementType(const std::vector<Type>& candidates, int location, const char* context);

  // bind_geometry.cpp: the point operators (null when no operand is a point and the operator
  // is not one only the geometric types have), p[0] / p[1], and UPDATE SET p[0] = x.
  // `lloc`/`rloc`: the operands' locations (an unknown literal's input error points there).
  BoundExprPtr BindGeometricOperator(const std::string& op, BoundExprPtr l, BoundExprPtr r,
                                     int location, int lloc = -1, int rloc = -1);
  BoundExprPtr BindPointSubscript(const ast::Expr& e, BoundExprPtr base);
  BoundExprPtr BindPointAssignment(const ast::Expr& e, BoundExprPtr base, const std::string& name,
                                   BoundExprPtr value, int value_location);

  // bind_json.cpp: json operators (null when no operand is json and the operator is not one
  // only json has), functions, jsonb subscripts, json[b]_each[_text] in FROM.
  BoundExprPtr BindJsonOperator(const std::string& op, BoundExprPtr l, BoundExprPtr r,
                                int location);
  BoundExprPtr BindJsonFunction(const ast::Expr& e, const std::string& name,
                                std::vector<BoundExprPtr> args, const std::vector<int>& locs);
  BoundExprPtr BindJsonbSubscript(const ast::Expr& e, BoundExprPtr base);
  // UPDATE SET doc['a'][0] = x on a jsonb column: jsonb_set_element over `base`.
  BoundExprPtr BindJsonbAssignment(const ast::Expr& e, BoundExprPtr base, const std::string& name,
                                   BoundExprPtr value, int value_location);
  void BindJsonAggregateSpec(const ast::Expr& e, const std::string& name,
                             std::vector<BoundExprPtr>* args, const std::vector<int>& locs,
                             AggregateSpec* spec);
  std::shared_ptr<PlanNode> BindJsonTableScan(const FromFunction& f, const std::string& name);
  std::shared_ptr<PlanNode> BindJsonRecordScan(const FromFunction& f, const std::string& name);

  // bind_string.cpp: `~ ~* !~ !~*` and [NOT] SIMILAR TO [ESCAPE] (textregexeq and friends
  // over text; SIMILAR TO through similar_to_escape); f(..., VARIADIC array) of the variadic
  // "any" functions concat, concat_ws and format (op "<name>_variadic"); any function in FROM
  // as a kFunctionScan (function_name "call": a set-returning call gives its rows, another
  // call one row).
  BoundExprPtr BindRegexOperator(const ast::Expr& e, const std::string& upper_op);
  BoundExprPtr BindVariadicCall(const ast::Expr& e, const std::string& name);
  // parse_ident(str => x, strict => b): named arguments of the string functions that have them.
  BoundExprPtr BindNamedStringCall(const ast::Expr& e, const std::string& name);
  std::shared_ptr<PlanNode> BindCallScan(const FromFunction& f);

  // bind_from.cpp
  std::unique_ptr<JoinNode> BindFromItem(const ast::TableRef& ref, Scope* scope);
  std::shared_ptr<const TableSample> BindTableSample(const ast::TableRef::TableSample& ts);
  // FROM f(...) [WITH ORDINALITY] and ROWS FROM (f(...), g(...)) [WITH ORDINALITY]: a
  // kFunctionScan leaf (function_name "rows_from" with one child scan per function for
  // several).
  std::unique_ptr<JoinNode> BindFunctionScan(const ast::TableRef& ref, Scope* scope);
  std::unique_ptr<JoinNode> BindCompressionStatsScan(const ast::TableRef& ref,
                                                     const std::string& name, Scope* scope);
  // One function of a FROM item, its output columns set (column definition list applied).
  std::shared_ptr<PlanNode> BindFromFunction(const FromFunction& f);
  // unnest(arg) of one array argument `arg` of the call f.call.
  std::shared_ptr<PlanNode> BindUnnestScan(const FromFunction& f, const ast::Expr& arg);
  // The columns of a column definition list as plan's output columns (42701 for a name given
  // twice).
  void ApplyColumnDefs(const std::vector<ast::TableRef::ColumnDef>& defs, PlanNode* plan);
  // 42601 `a column definition list is required for functions returning "record"`.
  [[noreturn]] static void ThrowColumnDefsRequired(int location);
  std::unique_ptr<JoinNode> BindFromList(const std::vector<ast::TableRefPtr>& from);
  // A JOIN in FROM (its alias aside), and one with an alias (`(a JOIN b USING (x)) AS j`).
  std::unique_ptr<JoinNode> BindJoin(const ast::TableRef& ref, Scope* scope);
  std::unique_ptr<JoinNode> BindAliasedJoin(const ast::TableRef& ref, Scope* scope);
  // UPDATE ... FROM / DELETE ... USING: the target's leaf (emitting row locations) inner-joined
  // with the FROM items, the target first.
  std::unique_ptr<JoinNode> JoinTargetWithFrom(std::unique_ptr<JoinNode> target,
                                               const std::vector<ast::TableRefPtr>& from);
  std::unique_ptr<JoinNode> AddRange(RangeEntry entry, Scope* scope, int location);
  std::shared_ptr<const storage::TableInfo> LookupTable(const ast::QualifiedName& name);
  // Notes that the statement needs `privs` (storage/acl.h) on `table` (PlannerContext::
  // permissions), checked as ctx_->check_as.
  void RequirePrivilege(const std::shared_ptr<const storage::TableInfo>& table, uint32_t privs);
  // The pg_catalog relation a FROM name denotes (qualified by pg_catalog, or unqualified and
  // found there first along search_path), or null.
  const pg_catalog::SystemRelation* LookupSystemRelation(const ast::QualifiedName& name);
  // A relation named in text, as regclass input reads it ('s', 'sch."S"'); 42P01 at
  // `location` (0-based byte offset, -1 for none) if missing, 42602 for bad syntax.
  std::shared_ptr<const storage::TableInfo> LookupRelationText(const std::string& text,
                                                               int location);
  // LATERAL (subquery): bound one level down, seeing lateral_scope_; a leaf with lateral_refs.
  std::unique_ptr<JoinNode> BindLateralDerived(const ast::TableRef& ref, Scope* scope);
  // A FROM function's leaf whose arguments read earlier FROM items (bound against
  // lateral_scope_): its references moved one level down, as in a LATERAL subquery.
  void MakeLateralFunction(JoinNode* node);
  std::unique_ptr<JoinNode> BindDerived(const ast::SelectStmt& s, const std::string& alias,
                                        const std::vector<std::string>& column_aliases,
                                        Scope* scope, int location);
  const ast::CommonTableExpr* FindCte(const std::string& name, Binder** owner);
  // `main`: the statement that has `with` (for the tables it writes).
  void RegisterCtes(const ast::WithClause* with, const ast::Statement* main = nullptr);
  // For a top-level WITH with data-modifying queries: notes every table the statement writes
  // (PlannerContext::write_targets); 0A000 for two writes of one table whose outcome would
  // depend on their order.
  void NoteWriteTargets(const ast::WithClause& with, const ast::Statement* main);
  // A FROM reference to a table of write_targets: a kCteScan of its rows as they were before
  // the statement (PlannerContext::snapshots).
  std::unique_ptr<JoinNode> BindSnapshotRef(const std::shared_ptr<const storage::TableInfo>& table,
                                            RangeEntry entry, Scope* scope, int location);
  // A WITH query of this level, as its binding goes (bind_from.cpp).
  struct CteState {
    bool bound = false;        // `producer` is set
    bool inline_each = false;  // NOT MATERIALIZED, or correlated: bound again at each reference
    bool recursive = false;    // a kRecursiveUnion
    PlanPtr producer;          // what its kCteScans read
    std::vector<std::shared_ptr<PlanNode>> scans;  // its kCteScans
    uint32_t id = 0;
    std::vector<std::string> names;  // its columns' names
    // While its own query is bound: 1 (WITH RECURSIVE, not a UNION), 2 (the non-recursive
    // term), 3 (the recursive term, whose self-reference reads `types`), else 0.
    int phase = 0;
    std::vector<Type> types;
    int self_refs = 0;
  };
  // A FROM reference to `cte` of `owner` (a binder this one sees lexically).
  std::unique_ptr<JoinNode> BindCteRef(const ast::CommonTableExpr& cte, Binder* owner,
                                       const ast::TableRef& ref, Scope* scope);
  void BindCteQuery(const ast::CommonTableExpr& cte, CteState* cs);
  PlanPtr BindRecursiveCte(const ast::CommonTableExpr& cte, CteState* cs);
  // SEARCH / CYCLE (bind_search_cycle.cpp): PostgreSQL's rewriteSearchAndCycle. Checks the
  // clauses against the non-recursive term's column `names`; adds the sequence, mark and path
  // columns to the non-recursive term `left`, then binds the recursive term with the work
  // table's added columns carried through and computes their next values over it.
  PlanPtr BindSearchCycleLeft(const ast::CommonTableExpr& cte, PlanPtr left,
                              const std::vector<std::string>& names);
  PlanPtr BindSearchCycleRight(const ast::CommonTableExpr& cte, CteState* cs, Binder* right_binder,
                               const std::vector<std::string>& names, size_t ncols);
  // `plan` as a FROM item named `alias`, its columns renamed by `column_aliases`.
  std::unique_ptr<JoinNode> AddPlanRange(PlanPtr plan, const std::string& alias,
                                         const std::vector<std::string>& column_aliases,
                                         Scope* scope, int location);
  // At the end of the statement that has `with`: binds the WITH queries never referenced (for
  // their errors) and folds a query read once into its reader (PostgreSQL 12's rule).
  void FinishCtes(const ast::WithClause* with);

  // bind_inherit.cpp: the descendants of `parent` whose rows a read of it appends, each
  // once, children before grandchildren (ctx_->inheritance_pins decide a pinned parent's
  // children); XX000 `attribute "a" of relation "c" does not match parent's type` when a
  // child's column no longer matches.
  std::vector<InheritanceMember> InheritanceMembers(const storage::TableInfo& parent);
  // PlanLeaf of a leaf with `inheritance`: a kAppend of the parent's read and each member's,
  // all producing the same FROM-row columns.
  PlannedRel PlanInheritanceLeaf(const JoinNode& node, const std::set<int>& needed,
                                 const std::vector<BoundExprPtr>& conjuncts);

  // UPDATE/DELETE of a table with descendants (not ONLY): the statement planned again for each
  // descendant (a binder per member, `member_target_` set), for PlanNode::inheritance_members.
  template <typename Stmt>
  std::vector<PlanPtr> PlanMemberModifies(const Stmt& s, const storage::TableInfo& table);
  // The target table of the UPDATE/DELETE being planned (a member's, when member_target_).
  std::shared_ptr<const storage::TableInfo> ModifyTarget(const ast::QualifiedName& name);
  std::shared_ptr<const storage::TableInfo> member_target_;

  // bind_view_modify.cpp: INSERT, UPDATE and DELETE through an automatically updatable view.
  // The view as `what` writes it; 55000 `cannot insert into view "v"` with PostgreSQL's reason
  // when it (or a view under it) is not automatically updatable.
  UpdatableView ResolveUpdatableView(const std::shared_ptr<const storage::TableInfo>& view,
                                     ViewWrite what);
  // UPDATE/DELETE: the view the statement writes through (nullopt for a table, or a view that
  // takes the event through its INSTEAD OF triggers); 0A000 over a table with inheritance
  // children.
  std::optional<UpdatableView> WrittenView(const std::shared_ptr<const storage::TableInfo>& table,
                                           ViewWrite what);
  // The views' WHERE conjuncts over the FROM row whose base table columns start at `first`.
  void AddViewQuals(const UpdatableView& uv, int first, std::vector<BoundExprPtr>* where);
  // Shows the range just added for uv.base (AddTargetTable) as the view: its columns, by name
  // and as `v.col`, are their expressions over the base table's row.
  void ShowAsView(const UpdatableView& uv, const std::optional<std::string>& alias, Scope* scope);
  // The base column that view column `column` writes; 0A000 `cannot insert into column "c" of
  // view "v"` when it is an expression.
  int ViewTargetColumn(const UpdatableView& uv, int column, ViewWrite what);
  // The statement's privileges `privs` on the relations under the view, each as the owner of
  // the view over it.
  void RequireViewPrivileges(const UpdatableView& uv, uint32_t privs);
  // The WITH CHECK OPTION conditions (PlanNode::view_checks), innermost view first.
  void AttachViewChecks(const UpdatableView& uv, PlanNode* node);
  // While a member is planned: the parent, whose columns RETURNING * shows (in its order).
  const storage::TableInfo* member_parent_ = nullptr;

  // join_planner.cpp
  PlannedRel PlanJoinTree(const JoinNode& node, const std::set<int>& needed,
                          std::vector<BoundExprPtr> extra);
  PlannedRel PlanLeaf(const JoinNode& node, const std::set<int>& needed,
                      std::vector<BoundExprPtr> conjuncts, bool emit_row_location);
  // The rows an UPDATE or DELETE changes (`node`: the target's leaf, or JoinTargetWithFrom's
  // join): the target's columns (all, in table order) with their row locations, then the
  // columns of the FROM items that `exprs` use; each of *exprs remapped onto that row.
  PlannedRel PlanTargetRows(const JoinNode& node, std::vector<BoundExprPtr> where,
                            const std::vector<BoundExprPtr*>& exprs);
  PlannedRel PlanInner(const JoinNode& node, const std::set<int>& needed,
                       std::vector<BoundExprPtr> conjuncts);
  PlannedRel PlanOuter(const JoinNode& node, const std::set<int>& needed,
                       std::vector<BoundExprPtr> conjuncts);
  // `lateral`: a kNestedLoopJoin that runs `right` again for each left row.
  PlannedRel JoinRels(PlannedRel left, PlannedRel right, JoinType type,
                      std::vector<BoundExprPtr> conds, bool lateral = false);

  // bind_sublink.cpp: the correlated EXISTS / NOT EXISTS conjuncts of `where` joined to the
  // FROM tree as semi / anti joins where that is exact and an equality links the two sides;
  // the others stay in `where`.
  void PullUpExists(std::unique_ptr<JoinNode>* root, std::vector<BoundExprPtr>* where);
  // The FROM tree of EXISTS subquery `s` (planned as `planned`), its columns placed from
  // `offset` on in a FROM row whose first `width` columns are this query's, with its WHERE
  // conjuncts moved onto that row in *conds; null when it cannot be a semi join.
  std::unique_ptr<JoinNode> ExistsAsJoin(const ast::SelectStmt& s, const PlanNode& planned,
                                         int width, int offset, std::vector<BoundExprPtr>* conds);
  // The subquery each EXISTS bound at this level came from (for PullUpExists).
  std::map<const BoundExpr*, const ast::SelectStmt*> exists_sources_;

  // bind_select.cpp
  PlanPtr PlanSimpleSelect(const ast::SelectStmt& s);
  // GROUP BY: the grouping expressions (no two equal) and, with grouping sets (ROLLUP, CUBE,
  // GROUPING SETS, ()), the sets as indexes into them (PostgreSQL's expand_grouping_sets; 54000
  // CUBE of more than 12, 54001 more than 4096 sets).
  struct GroupBy {
    std::vector<BoundExprPtr> exprs;
    bool has_sets = false;
    std::vector<std::vector<int>> sets;
  };
  GroupBy BindGroupBy(const ast::SelectStmt& s, const std::vector<SelectTarget>& targets);
  int BindGroupExpr(const ast::Expr& g, const std::vector<SelectTarget>& targets,
                    std::vector<BoundExprPtr>* groups);
  // GROUPING(args): a kGrouping aggregate placeholder (its masks are set once the GROUP BY
  // clause is known: FinishGrouping).
  BoundExprPtr BindGrouping(const ast::Expr& e);
  void FinishGrouping(const GroupBy& grouping);
  // SELECT ... FOR UPDATE/SHARE: the table whose rows are locked (null: none), the strongest
  // row lock mode and wait policy of the clauses that apply to it. Throws 0A000 where
  // PostgreSQL refuses the clause (DISTINCT, GROUP BY, HAVING, aggregates) and where
  // ActiveStore does not lock yet (joins, subqueries in FROM).
  struct RowLocking {
    std::shared_ptr<const storage::TableInfo> table;
    const JoinNode* leaf = nullptr;  // the table's FROM leaf
    uint8_t mode = 0;
    uint8_t wait = 0;
    // Over joins: each locked table, found again by its primary key; row_columns: the
    // FROM-row columns of its columns (the plan's lock target, before they become outputs).
    std::vector<PlanNode::RowLockTarget> by_key;
  };
  static const JoinNode* SingleTableLeaf(const JoinNode* node);
  RowLocking BindLocking(const ast::SelectStmt& s, const JoinNode* root, bool grouped,
                         bool has_having, const std::vector<SelectTarget>& targets);
  PlanPtr PlanValues(const ast::SelectStmt& s);
  PlanPtr PlanSetOp(const ast::SelectStmt& s);
  PlanPtr PlanSetOpTree(const ast::SelectStmt& s);
  PlanPtr ApplySortLimit(PlanPtr plan, const ast::SelectStmt& s, bool allow_expressions);
  BoundExprPtr BindLimitValue(const ast::Expr* e, Clause clause);
  // FETCH ... WITH TIES: 42601 without ORDER BY, 2201W for a NULL count, 0A000 with SKIP LOCKED.
  void CheckWithTies(const ast::SelectStmt& s);
  // The table column a target reads as is (PostgreSQL's markTargetListOrigins), else {0, 0}.
  ColumnOrigin OriginOf(const BoundExprPtr& e) const;
  void ExpandTargets(const std::vector<ast::ResultTarget>& targets, std::vector<SelectTarget>* out);
  std::string ColumnDisplayName(int column) const;

  // bind_modify.cpp
  // Assignment coercion to a table column: 42804 `column "a" is of type integer but
  // expression is of type text`.
  BoundExprPtr AssignCoerce(BoundExprPtr e, const storage::ColumnInfo& column, int location);
  // UPDATE's SET list (also ON CONFLICT DO UPDATE's): (column ordinal, value) pairs.
  // Through a view (`view`): the SET names are the view's columns, the ordinals its base's.
  std::vector<std::pair<int, BoundExprPtr>> BindAssignments(
      const storage::TableInfo& table, const std::vector<std::pair<std::string, ast::ExprPtr>>& set,
      int location, const UpdatableView* view = nullptr);
  // INSERT's target columns (the table's, or those listed: 42703 for an unknown one, 42701 for
  // one named twice) and, per target, null or its subscript / field path (col[i], col.f).
  struct InsertTargets {
    std::vector<int> columns;
    std::vector<const ast::Expr*> subs;
  };
  InsertTargets BindInsertTargets(const storage::TableInfo& table,
                                  const std::vector<std::string>& columns,
                                  const std::vector<int>& locations,
                                  const std::vector<ast::ExprPtr>& subscripts, int location);
  // The value of target i when it is subscripted: `value` assigned into `base` (null: a NULL
  // array or row).
  BoundExprPtr AssignInto(const storage::TableInfo& table, const InsertTargets& t, size_t i,
                          BoundExprPtr base, BoundExprPtr value, int value_location);
  // Whether an identity column takes its default instead of the value given (OVERRIDING USER
  // VALUE); 428C9 for a GENERATED ALWAYS one without OVERRIDING SYSTEM VALUE.
  bool IdentityDefault(const storage::ColumnInfo& c, ast::Overriding overriding);
  // One VALUES row of INSERT (or MERGE's INSERT) bound into a whole table row: `defaults` with
  // the targets' values (DEFAULT keeps the default); 42601 when the lengths differ.
  std::vector<BoundExprPtr> BindInsertRow(const storage::TableInfo& table, const InsertTargets& t,
                                          ast::Overriding overriding,
                                          const std::vector<ast::ExprPtr>& row,
                                          std::vector<BoundExprPtr> defaults, int location);
  // ON CONFLICT: the arbiter index, and DO UPDATE's SET and WHERE over (existing, excluded).
  void BindOnConflict(const ast::InsertStatement& s,
                      const std::shared_ptr<const storage::TableInfo>& table, PlanNode* node,
                      const UpdatableView* view = nullptr);
  std::unique_ptr<JoinNode> AddTargetTable(std::shared_ptr<const storage::TableInfo> table,
                                           const std::optional<std::string>& alias, int location);
  // A FROM item naming a transition table of the trigger being run (PlannerContext).
  std::unique_ptr<JoinNode> BindTransitionTable(const ast::TableRef& ref,
                                                const PlannerContext::TransitionTable& t,
                                                Scope* scope);
  // The target of UPDATE / DELETE as the leaf that reads it (AddTargetTable), or, for a view
  // changed through its INSTEAD OF triggers, the view read as a FROM item.
  std::unique_ptr<JoinNode> TargetLeaf(const std::shared_ptr<const storage::TableInfo>& table,
                                       bool through_triggers, const ast::QualifiedName& name,
                                       const std::optional<std::string>& alias);
  std::vector<SelectTarget> BindReturning(const std::vector<ast::ResultTarget>& returning);

  PlannerContext* ctx_;
  Binder* parent_;
  Binder* lexical_;
  Binder* derived_of_;

  // FROM row and names.
  std::vector<RowColumn> row_;
  std::vector<RangeEntry> ranges_;
  Scope scope_;                    // everything visible at this level
  Scope* active_scope_ = &scope_;  // narrowed while binding JOIN ... ON
  // Puts clause_ and active_scope_ back as they were when it was made.
  struct ClauseScopeGuard {
    Binder* b;
    Clause clause;
    Scope* scope;
    ~ClauseScopeGuard() {
      b->clause_ = clause;
      b->active_scope_ = scope;
    }
  };
  // What a LATERAL item (or a function) in FROM sees of the items before it: the earlier
  // comma items and the left sides of the joins it is on the right of. Null outside FROM.
  Scope* lateral_scope_ = nullptr;
  bool lateral_item_ = false;  // this level is a LATERAL subquery in FROM

  // CTEs defined at this level; `cte_in_progress_` detects self-reference (recursion).
  std::map<std::string, const ast::CommonTableExpr*> ctes_;
  std::set<std::string> cte_in_progress_;
  std::map<const ast::CommonTableExpr*, CteState> cte_states_;
  bool with_recursive_ = false;
  // Set-operation operands and INSERT sources keep unknown-typed outputs for their consumer.
  bool resolve_unknown_outputs_ = true;
  // Select-list items appended to those of `extra_targets_for_` when it is bound (the work
  // table's SEARCH / CYCLE columns carried through a recursive term).
  const ast::SelectStmt* extra_targets_for_ = nullptr;
  const std::vector<ast::ResultTarget>* extra_targets_ = nullptr;

  bool has_outer_refs_ = false;
  Clause clause_ = Clause::kNone;
  bool in_aggregate_ = false;
  // The location of the last set-returning call bound (PostgreSQL's p_last_srf): CASE and
  // COALESCE refuse one among their arguments.
  int last_srf_location_ = -2;
  int srf_count_ = 0;
  // 0A000 "set-returning functions are not allowed in <what>" when one was bound since
  // `count_before`.
  void CheckNoSrfSince(int count_before, const char* what) const;
  std::vector<AggregateSpec> aggregates_;
  std::map<int, std::vector<int>> grouping_arg_locations_;  // per kGrouping aggregate
  std::map<int, int> column_locations_;  // FROM-row column -> its first reference's location
  // Window functions of this SELECT: the distinct windows, and the calls (func's expressions
  // over the bound row until PlanSimpleSelect moves them onto the plan's row).
  struct PendingWindowFunc {
    WindowFunc func;
    int window = -1;  // index into windows_
  };
  std::vector<WindowSpec> windows_;
  std::vector<PendingWindowFunc> window_funcs_;
  const std::vector<ast::WindowDef>* window_defs_ = nullptr;  // the SELECT's WINDOW clause
  bool in_window_ = false;                                    // binding a window call's args
  bool in_window_def_ = false;  // binding a window's PARTITION BY / ORDER BY
  // While a user function's body is inlined (InlineUserFunction): the call's arguments for
  // $n and the parameter names, and how often each is used.
  const std::vector<BoundExprPtr>* inline_args_ = nullptr;
  const std::vector<std::string>* inline_names_ = nullptr;
  std::string inline_function_;
  std::vector<int>* inline_uses_ = nullptr;
};

// True when a row constructor is an operand of e's comparison, IS NULL, IS DISTINCT FROM, IN
// or ANY/ALL (bind_row.cpp).
bool IsRowPredicate(const ast::Expr& e);
// Restores a flag when a scope ends (also on an error).
class FlagScope {
 public:
  FlagScope(bool* flag, bool value) : flag_(flag), saved_(*flag) { *flag = value; }
  ~FlagScope() { *flag_ = saved_; }
  FlagScope(const FlagScope&) = delete;
  FlagScope& operator=(const FlagScope&) = delete;

 private:
  bool* flag_;
  bool saved_;
};

// percentile_cont, percentile_disc, mode and the hypothetical-set aggregates (rank,
// dense_rank, percent_rank, cume_dist): called with WITHIN GROUP (bind_ordered_set.cpp).
bool IsOrderedSetAggregateName(const std::string& name);

// PostgreSQL's name of a type for messages ("integer", "text", "character varying").
std::string TypeDisplayName(Type t);

// Parses `sql`, expecting exactly one SELECT; used for views and DEFAULT expressions.
std::unique_ptr<ast::SelectStmt> ParseSelect(const std::string& sql);
// The first subquery in `e`, or nullptr.
const ast::Expr* FindSubquery(const ast::Expr& e);
// The kSystemView plan of a system view name (pg_prepared_xacts, also pg_catalog-qualified),
// or null if `name` is not one.
PlanPtr SystemViewPlan(const ast::QualifiedName& name);

// Builds a node with output types taken from exprs (kProject/kResult).
PlanPtr MakeProject(PlanPtr child, std::vector<BoundExprPtr> exprs, std::vector<std::string> names);
// The rows of `child` for which `predicate` is true.
PlanPtr MakeFilter(PlanPtr child, BoundExprPtr predicate);

// Coerces the outputs of `plan` to `types`: unknown literals at the top of the plan are coerced
// in place (as PostgreSQL resolves them from context), otherwise a projection is added.
PlanPtr CoercePlanOutputs(Binder* b, PlanPtr plan, const std::vector<Type>& types,
                          CoercionContext context, const std::vector<int>& locations);

// Resolves a scalar function call (functions.cpp). args are already bound; returns the
// kFunction expression with arguments cast to the parameter types, or throws 42883.
struct FunctionMatch {
  std::vector<Type> params;  // one per argument
  Type result;
  std::string impl;  // the executor's function name (the SQL name unless overloaded by type)
};
bool LookupFunction(const std::string& name, const std::vector<Type>& arg_types,
                    FunctionMatch* match, bool* name_known);
// True for the set-returning functions of the table (by executor name): allowed only as a
// select-list item (kProjectSet) or in FROM (kFunctionScan).
bool IsSetReturningFunction(const std::string& impl);
// A set-returning call: unnest, a set-returning function of the table, or a call of a user
// function declared RETURNS SETOF / TABLE (bind_user_function.cpp).
bool IsSetReturningCall(const BoundExpr& n);

}  // namespace activestore::planner
