// ANALYZE [VERBOSE] [table [(column, ...)], ...] and VACUUM ... ANALYZE: samples each table's
// rows and keeps per-column statistics in its catalog entry (storage/column_stats.h), which
// pg_statistic and pg_stats show (planner/pg_catalog/statistics.cpp), as PostgreSQL 15's
// analyze.c does.
//
// Sampling: the table is read once in the statement's transaction (its snapshot, its own
// changes) and a uniform random sample of 300 x default_statistics_target rows is kept
// (reservoir sampling; PostgreSQL samples blocks, then rows in them, to the same size), in the
// rows' scan order, which the correlation compares the values' order with. The row count is
// exact: ActiveStore reads every row where PostgreSQL estimates from the sampled blocks. A
// table with inheritance children also gets the statistics of its whole tree (stainherit).
//
// The statistics, pg_class.reltuples and relpages are written in the statement's transaction:
// they commit or roll back with it and are replicated with the catalog. As in PostgreSQL, an
// empty table keeps the statistics it had, and the cumulative statistics (last_analyze,
// analyze_count, n_mod_since_analyze) count the ANALYZE at once, whether its transaction
// commits or not.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>

#include "common/array.h"
#include "executor/column_statistics.h"
#include "executor/session.h"
#include "parser/parser.h"
#include "planner/pg_catalog/opclass.h"
#include "planner/planner.h"
#include "planner/sql_quote.h"
#include "storage/column_stats.h"

namespace activestore::executor {
namespace {

// A sample of a relation's rows: the analyzed columns' values of up to `target_rows` rows, in
// scan order, and how many rows there were.
struct Sample {
  std::vector<std::vector<Value>> rows;
  int64_t total_rows = 0;
};

}  // namespace

QueryResult SessionImpl::RunAnalyze(const ast::UtilityNoopStatement& s) {
  if (engine_->in_recovery()) {
    Throw(SqlState::kReadOnlySqlTransaction, "cannot execute {} during recovery", s.command_tag);
  }
  const int64_t target = std::stoll(settings_.Get("default_statistics_target"));
  auto snap = CatalogView();
  const bool super = CurrentIsSuperuser();
  // vacuum_is_relation_owner: the table's owner, the database's owner or a superuser.
  auto may_analyze = [&](const storage::TableInfo& t) {
    if (super || storage::HasPrivsOfRole(*snap, user_oid_, t.owner, DatabaseOwner())) return true;
    pending_notices_.push_back(Notice{
        "WARNING", "01000",
        fmt::format("skipping \"{}\" --- only table or database owner can analyze it", t.name)});
    return false;
  };
  auto analyzable = [](const storage::TableInfo& t) { return !t.is_view && !t.is_sequence(); };

  std::vector<std::pair<std::shared_ptr<const storage::TableInfo>, std::vector<std::string>>> work;
  if (s.targets.empty()) {
    // Every table and materialized view of the database, except other sessions' temporary ones.
    const std::string own_temp = TempSchemaName();
    for (auto it = snap->tables.lower_bound({db_.oid, std::string(), std::string()});
         it != snap->tables.end() && std::get<0>(it->first) == db_.oid; ++it) {
      const storage::TableInfo& t = *it->second;
      if (!analyzable(t)) continue;
      if (t.schema.rfind("pg_temp_", 0) == 0 && t.schema != own_temp) continue;
      if (!may_analyze(t)) continue;
      work.push_back({it->second, {}});
    }
  } else {
    for (const ast::UtilityNoopStatement::Target& target_rel : s.targets) {
      std::string schema;
      auto t = FindTable(target_rel.name, &schema);
      if (t == nullptr) {
        Throw(SqlState::kUndefinedTable, "relation \"{}\" does not exist", target_rel.name.name());
      }
      // A schema named explicitly needs USAGE (LookupExplicitNamespace).
      if (target_rel.name.parts.size() >= 2) CheckSchemaPrivilege(schema, storage::acl::kUsage);
      if (!analyzable(*t)) {
        pending_notices_.push_back(Notice{
            "WARNING", "01000",
            fmt::format("skipping \"{}\" --- cannot analyze non-tables or special system tables",
                        t->name)});
        continue;
      }
      std::set<std::string> seen;
      for (const std::string& c : target_rel.columns) {
        if (t->ColumnIndex(c) < 0) {
          Throw(SqlState::kUndefinedColumn, "column \"{}\" of relation \"{}\" does not exist", c,
                t->name);
        }
        if (!seen.insert(c).second) {
          Throw(SqlState::kDuplicateColumn,
                "column \"{}\" of relation \"{}\" appears more than once", c, t->name);
        }
      }
      if (!may_analyze(*t)) continue;
      work.push_back({t, target_rel.columns});
    }
  }
  for (const auto& [t, columns] : work) AnalyzeRelation(*t, columns, target, s);
  return Tagged(s.command_tag);
}

void SessionImpl::AnalyzeRelation(const storage::TableInfo& table,
                                  const std::vector<std::string>& columns, int64_t target,
                                  const ast::UtilityNoopStatement& s) {
  storage::CatalogTxn* txn = CatalogStatementTxn();
  // ShareUpdateExclusive: concurrent reads and writes go on; DDL and other ANALYZEs wait.
  try {
    txn->LockRelation(table.oid, storage::LockMode::kShareUpdateExclusive,
                      s.skip_locked ? table.name.c_str() : nullptr);
  } catch (const Error& e) {
    if (!s.skip_locked || e.state() != SqlState::kLockNotAvailable) throw;
    pending_notices_.push_back(
        Notice{"WARNING", "01000",
               fmt::format("skipping analyze of \"{}\" --- lock not available", table.name)});
    return;
  }
  auto t = CatalogView()->FindRelationByOid(table.oid);
  if (t == nullptr) return;  // dropped while we waited
  if (t->matview && !t->matview->populated) return;

  // The columns analyzed: those named, or all; none with a statistics target of 0.
  std::vector<int> cols;
  if (target > 0) {
    if (columns.empty()) {
      for (size_t i = 0; i < t->columns.size(); ++i) cols.push_back(static_cast<int>(i));
    } else {
      for (const std::string& c : columns) cols.push_back(t->ColumnIndex(c));
    }
  }
  const size_t target_rows = static_cast<size_t>(300 * std::max<int64_t>(target, 1));
  const std::string qualified =
      planner::QuoteSqlIdentifier(t->schema) + "." + planner::QuoteSqlIdentifier(t->name);

  // One pass over `from` (ONLY the table, or its whole inheritance tree), keeping a reservoir
  // sample (Vitter's algorithm R) of the analyzed columns.
  auto sample_rows = [&](bool only) {
    Sample sample;
    std::string list;
    for (int c : cols) {
      list += (list.empty() ? "" : ", ") + planner::QuoteSqlIdentifier(t->columns[c].name);
    }
    if (list.empty()) list = "NULL";
    const std::string sql =
        fmt::format("SELECT {} FROM {}{}", list, only ? "ONLY " : "", qualified);
    std::vector<ast::StatementPtr> stmts = parser::Parse(sql);
    planner::PlannerContext pctx = MakePlannerContext();
    planner::PlanPtr plan = planner::PlanStatement(*stmts[0], pctx);
    ExecContext ctx = MakeExecContext(txn, {});
    std::vector<int64_t> seq;  // each kept row's position in the scan
    std::mt19937_64 rng(std::random_device{}());
    RunPlan(*plan, ctx, [&](std::vector<std::vector<Value>>&& rows) {
      for (std::vector<Value>& r : rows) {
        const int64_t n = sample.total_rows++;
        if (sample.rows.size() < target_rows) {
          sample.rows.push_back(std::move(r));
          seq.push_back(n);
        } else {
          const uint64_t k = std::uniform_int_distribution<uint64_t>(0, n)(rng);
          if (k < target_rows) {
            sample.rows[k] = std::move(r);
            seq[k] = n;
          }
        }
      }
    });
    // Back into scan order.
    std::vector<size_t> order(sample.rows.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return seq[a] < seq[b]; });
    std::vector<std::vector<Value>> sorted;
    sorted.reserve(order.size());
    for (size_t i : order) sorted.push_back(std::move(sample.rows[i]));
    sample.rows = std::move(sorted);
    return sample;
  };

  // The statistics of every analyzed column from a sample.
  auto compute = [&](const Sample& sample,
                     std::vector<std::shared_ptr<const storage::ColumnStats>>* out) {
    std::vector<Value> values(sample.rows.size());
    for (size_t k = 0; k < cols.size(); ++k) {
      const storage::ColumnInfo& col = t->columns[cols[k]];
      for (size_t r = 0; r < sample.rows.size(); ++r) values[r] = sample.rows[r][k];
      ColumnSampleInfo info{col.type, planner::pg_catalog::DefaultBtreeOpclass(col.type.id) != 0,
                            static_cast<int>(target), static_cast<double>(sample.total_rows)};
      info.element_stats = IsArrayType(col.type.id) && planner::pg_catalog::DefaultBtreeOpclass(
                                                           ArrayElementType(col.type.id)) != 0;
      out->push_back(
          std::make_shared<const storage::ColumnStats>(ComputeColumnStats(values, info)));
    }
  };

  auto notice_info = [&](std::string message) {
    if (s.verbose) pending_notices_.push_back(Notice{"INFO", "00000", std::move(message)});
  };
  notice_info(fmt::format("analyzing \"{}.{}\"", t->schema, t->name));
  const int64_t changes_before = [&] {
    RelationStats rs;
    engine_->table_stats()->Read(db_.oid, t->oid, &rs);
    return rs.mod_since_analyze;
  }();
  Sample own = sample_rows(true);
  // relpages: the table's size in 8 kB pages (none when it has no rows, as PostgreSQL's empty
  // heap; WiredTiger's file of an empty table is not).
  int32_t relpages = 0;
  if (own.total_rows > 0) {
    auto size = RunInternalQuery(
        fmt::format("SELECT pg_catalog.pg_relation_size({}::pg_catalog.oid)", t->oid), txn);
    const int64_t bytes = size.empty() || size[0][0].is_null ? 0 : size[0][0].i;
    relpages = static_cast<int32_t>(std::max<int64_t>(1, (bytes + 8191) / 8192));
  }
  notice_info(fmt::format(
      "\"{}\": scanned {} of {} pages, containing {} live rows and 0 dead rows; {} rows in "
      "sample, {} estimated total rows",
      t->name, relpages, relpages, own.total_rows, own.rows.size(), own.total_rows));
  std::vector<std::shared_ptr<const storage::ColumnStats>> own_stats, tree_stats;
  if (!own.rows.empty()) compute(own, &own_stats);
  own.rows.clear();
  const bool has_children = !CatalogView()->InheritanceChildren(t->oid).empty();
  if (has_children) {
    notice_info(fmt::format("analyzing \"{}.{}\" inheritance tree", t->schema, t->name));
    Sample tree = sample_rows(false);
    if (!tree.rows.empty()) compute(tree, &tree_stats);
  }

  storage::TableInfo next = *t;
  for (size_t k = 0; k < cols.size(); ++k) {
    if (!own_stats.empty()) next.columns[cols[k]].stats = own_stats[k];
    if (!tree_stats.empty()) next.columns[cols[k]].inherited_stats = tree_stats[k];
  }
  next.reltuples = static_cast<float>(own.total_rows);
  next.relpages = relpages;
  engine_->catalog()->UpdateRelation(txn, std::move(next));
  engine_->table_stats()->Analyzed(db_.oid, t->oid, own.total_rows, changes_before,
                                   NowMicrosSince2000());
}

}  // namespace activestore::executor
