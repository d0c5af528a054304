// Materialized views (PostgreSQL's CREATE / REFRESH / ALTER MATERIALIZED VIEW): a table
// (relkind 'm', storage::TableInfo::matview) whose rows are its query's as of the last refresh.
// The rows live in the table machinery's storage: REFRESH gives the relation new, empty storage
// (as TRUNCATE does, so a ROLLBACK keeps the old rows) and inserts the query's rows into it.
// WITH (timescaledb.continuous) makes a continuous aggregate instead
// (executor/continuous_aggs.h).
#include <fmt/format.h>

#include "common/error.h"
#include "executor/continuous_aggs.h"
#include "executor/deparse.h"
#include "executor/hypertables.h"
#include "executor/session.h"
#include "executor/table_options.h"
#include "executor/view_text.h"
#include "parser/ast_function.h"
#include "parser/parser.h"

namespace activestore::executor {

QueryResult SessionImpl::CreateMatview(const ast::CreateTableStatement& s) {
  const bool cagg = IsContinuousAggregate(s.with_options);
  if (!cagg) CheckTableOptions(s.with_options);
  ast::QualifiedName unplaced = s.table;
  unplaced.location = -1;  // PostgreSQL places these errors for CREATE TABLE only
  std::string schema = CreationSchema(unplaced, false);
  if (CatalogView()->FindTable(db_.oid, schema, s.table.name())) {
    if (s.if_not_exists) {
      pending_notices_.push_back(
          Notice{"NOTICE", "42P07",
                 fmt::format("relation \"{}\" already exists, skipping", s.table.name())});
      return Tagged("CREATE MATERIALIZED VIEW");
    }
    Throw(SqlState::kDuplicateTable, "relation \"{}\" already exists", s.table.name());
  }
  if (cagg) {
    ExecContext ctx = MakeExecContext(StatementTxn(), {});
    CreateContinuousAggregate(s, schema, CatalogStatementTxn(), ctx);
    return Tagged("CREATE MATERIALIZED VIEW");
  }
  planner::PlannerContext pctx = MakePlannerContext();
  std::vector<planner::PlannerContext::RelationMention> mentions;
  pctx.relation_mentions = &mentions;
  planner::PlanPtr query = planner::PlanSelect(*s.as_select, pctx);
  pctx.relation_mentions = nullptr;
  if (!pctx.param_types.empty()) {
    Throw(SqlState::kFeatureNotSupported,
          "materialized views may not be defined using bound parameters");
  }
  if (!query->init_plans.empty()) {
    Throw(SqlState::kFeatureNotSupported,
          "materialized views must not use data-modifying statements in WITH");
  }
  if (PlanUsesTempRelations(*query)) {
    Throw(SqlState::kFeatureNotSupported,
          "materialized views must not use temporary tables or views");
  }
  storage::TableInfo info;
  info.database_oid = db_.oid;
  info.schema = schema;
  info.name = s.table.name();
  info.columns = QueryColumns(*query, s.columns);
  info.matview = storage::MatviewInfo{!s.with_no_data};
  // The relations the query reads, qualified as a view's (view_text.h): REFRESH reads them
  // whatever the refreshing session's search_path.
  if (auto q = QualifyViewRelations(s.query_text, s.query_location, mentions, *pctx.catalog)) {
    info.view_sql = std::move(q->sql);
    info.view_relations = std::move(q->relations);
  } else {
    info.view_sql = s.query_text;
  }
  for (const ast::ColumnDef& c : s.columns) info.view_columns.push_back(c.name);
  auto table = engine_->catalog()->CreateTable(CatalogStatementTxn(), std::move(info));
  if (s.with_no_data) return Tagged("CREATE MATERIALIZED VIEW");
  return Tagged("SELECT " + std::to_string(InsertQueryRows(table, query)));
}

int64_t SessionImpl::FillMatview(const storage::TableInfo& mv) {
  std::vector<ast::StatementPtr> stmts = ParseText(mv.view_sql, false);
  if (stmts.size() != 1 || stmts[0]->kind != ast::StmtKind::kSelect) {
    Throw(SqlState::kInternalError, "materialized view \"{}\" has no query", mv.name);
  }
  planner::PlannerContext pctx = MakePlannerContext();
  planner::PlanPtr query =
      planner::PlanSelect(*static_cast<const ast::SelectStatement&>(*stmts[0]).select, pctx);
  if (query->output_types.size() != mv.columns.size()) {
    Throw(SqlState::kInternalError, "materialized view \"{}\" query has {} columns, not {}",
          mv.name, query->output_types.size(), mv.columns.size());
  }
  auto table = CatalogView()->FindRelationByOid(mv.oid);
  if (!table) Throw(SqlState::kUndefinedTable, "relation \"{}\" does not exist", mv.name);
  return InsertQueryRows(table, query);
}

QueryResult SessionImpl::RefreshMatview(const ast::RefreshMatviewStatement& s) {
  if (s.concurrently && s.with_no_data) {
    Throw(SqlState::kSyntaxError, "CONCURRENTLY and WITH NO DATA options cannot be used together");
  }
  std::string schema;
  auto mv = FindAndLockTable(
      s.name, &schema,
      s.concurrently ? storage::LockMode::kExclusive : storage::LockMode::kAccessExclusive);
  if (!mv) Throw(SqlState::kUndefinedTable, "relation \"{}\" does not exist", s.name.name());
  if (mv->cagg) {
    throw Error(SqlState::kWrongObjectType,
                fmt::format("\"{}\" is a continuous aggregate", mv->name))
        .Hint("Use refresh_continuous_aggregate() to refresh a continuous aggregate.");
  }
  if (!mv->matview) {
    Throw(SqlState::kFeatureNotSupported, "\"{}\" is not a materialized view", mv->name);
  }
  if (s.concurrently) {
    if (!mv->matview->populated) {
      Throw(SqlState::kFeatureNotSupported,
            "CONCURRENTLY cannot be used when the materialized view is not populated");
    }
    // PostgreSQL's refresh_by_match_merge needs a unique index on plain columns, without WHERE.
    bool usable = std::any_of(mv->indexes.begin(), mv->indexes.end(), [](const auto& i) {
      return i.unique && i.predicate.empty() && i.expressions.empty();
    });
    if (!usable) {
      throw Error(
          SqlState::kObjectNotInPrerequisiteState,
          fmt::format("cannot refresh materialized view \"{}.{}\" concurrently", schema, mv->name))
          .Hint(
              "Create a unique index with no WHERE clause on one or more columns of the "
              "materialized view.");
    }
  }
  storage::CatalogTxn* txn = CatalogStatementTxn();
  // New, empty storage (the old is dropped after the commit: a ROLLBACK keeps the rows).
  engine_->catalog()->TruncateTable(txn, db_.oid, schema, mv->name);
  auto now = CatalogView()->FindRelationByOid(mv->oid);
  if (!now) Throw(SqlState::kUndefinedTable, "relation \"{}\" does not exist", mv->name);
  if (now->matview->populated == s.with_no_data) {
    storage::TableInfo next = *now;
    next.matview->populated = !s.with_no_data;
    now = engine_->catalog()->UpdateRelation(txn, std::move(next));
  }
  if (!s.with_no_data) FillMatview(*now);
  return Tagged("REFRESH MATERIALIZED VIEW");
}

bool SessionImpl::AlterMatview(const ast::AlterTableStatement& s, QueryResult* out) {
  auto t = FindTable(s.table);
  if (!t) return false;  // ALTER TABLE's 42P01 or IF EXISTS notice
  if (!t->matview && !t->cagg) {
    Throw(SqlState::kWrongObjectType, "\"{}\" is not a materialized view", t->name);
  }
  if (t->cagg && s.actions.empty() && !s.set_options.empty() &&
      HasTimescaleOptions(s.set_options)) {
    storage::CatalogTxn* txn = CatalogStatementTxn();
    txn->LockRelation(t->oid, storage::LockMode::kAccessExclusive);
    auto now = CatalogView()->FindRelationByOid(t->oid);
    if (!now || !now->cagg) {
      Throw(SqlState::kUndefinedTable, "relation \"{}\" does not exist", s.table.name());
    }
    SetContinuousAggregateOptions(*now, s.set_options, engine_->catalog(), txn);
    *out = Tagged("ALTER MATERIALIZED VIEW");
    return true;
  }
  // A continuous aggregate's columns are its materialization table's too: only RENAME TO.
  if (t->cagg && !(s.rename && s.rename->kind == ast::AlterTableStatement::Rename::Kind::kTable)) {
    Throw(SqlState::kFeatureNotSupported,
          "ALTER MATERIALIZED VIEW {} on a continuous aggregate is not supported yet",
          s.action_text);
  }
  return false;
}

bool SessionImpl::CallRefreshContinuousAggregate(const ast::CallStatement& s) {
  const ast::Expr& call = *s.call;
  if (call.kind != ast::ExprKind::kFuncCall || call.names.empty() ||
      call.names.back() != "refresh_continuous_aggregate" ||
      (call.names.size() > 1 && call.names[call.names.size() - 2] != "public")) {
    return false;
  }
  // The arguments by name or position: (continuous_aggregate, window_start, window_end).
  static const char* const kParams[] = {"continuous_aggregate", "window_start", "window_end"};
  const ast::Expr* args[3] = {nullptr, nullptr, nullptr};
  for (size_t i = 0; i < call.args.size(); ++i) {
    const std::string name = i < call.arg_names.size() ? call.arg_names[i] : "";
    size_t at = i;
    if (!name.empty()) {
      at = 3;
      for (size_t k = 0; k < 3; ++k) {
        if (name == kParams[k]) at = k;
      }
    }
    if (at >= 3 || args[at] != nullptr) {
      Throw(SqlState::kUndefinedFunction,
            "procedure refresh_continuous_aggregate with these arguments does not exist");
    }
    args[at] = call.args[i].get();
  }
  if (args[0] == nullptr || args[1] == nullptr || args[2] == nullptr) {
    Throw(SqlState::kUndefinedFunction,
          "procedure refresh_continuous_aggregate with these arguments does not exist");
  }
  if (status_ != TxnStatus::kIdle || implicit_multi_) {
    Throw(SqlState::kActiveSqlTransaction,
          "refresh_continuous_aggregate() cannot run inside a transaction block");
  }
  if (TxnReadOnly()) {
    Throw(SqlState::kReadOnlySqlTransaction,
          "cannot execute refresh_continuous_aggregate() in a read-only transaction");
  }
  storage::Transaction* txn = StatementTxn();
  auto rows = RunInternalQuery("SELECT CAST(" + DeparseExpr(*args[0]) + " AS regclass)::oid", txn);
  if (rows.empty() || rows[0][0].is_null) {
    Throw(SqlState::kInvalidParameterValue, "invalid continuous aggregate");
  }
  auto cagg = CatalogView()->FindRelationByOid(static_cast<storage::Oid>(rows[0][0].i));
  if (!cagg || !cagg->cagg) {
    Throw(SqlState::kWrongObjectType, "relation \"{}\" is not a continuous aggregate",
          cagg ? cagg->name : std::to_string(rows[0][0].i));
  }
  CheckTableOwner(*cagg);
  auto raw = CatalogView()->FindRelationByOid(cagg->cagg->raw_hypertable);
  if (!raw)
    Throw(SqlState::kUndefinedTable, "continuous aggregate \"{}\" has no hypertable", cagg->name);
  const int time_index = raw->ColumnIndex(cagg->cagg->time_column);
  const Type time_type = raw->columns.at(static_cast<size_t>(time_index)).type;
  auto bounds =
      RunInternalQuery("SELECT CAST(" + DeparseExpr(*args[1]) + " AS " + TypeName(time_type) +
                           "), CAST(" + DeparseExpr(*args[2]) + " AS " + TypeName(time_type) + ")",
                       txn);
  std::optional<int64_t> start, end;
  if (!bounds[0][0].is_null) start = TimeUnitValue(bounds[0][0]);
  if (!bounds[0][1].is_null) end = TimeUnitValue(bounds[0][1]);
  txn->LockRelation(cagg->oid, storage::LockMode::kShareUpdateExclusive);
  ExecContext ctx = MakeExecContext(txn, {});
  RefreshContinuousAggregate(*cagg, start, end, CatalogStatementTxn(), ctx);
  return true;
}

}  // namespace activestore::executor
