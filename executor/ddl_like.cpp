// CREATE TABLE ... (LIKE source [INCLUDING | EXCLUDING option] ...): PostgreSQL 15's
// transformTableLikeClause. The source (a table, view, materialized view or sequence) gives its
// columns' names, types and NOT NULL always; with DEFAULTS their defaults (not those of identity
// columns), IDENTITY the identity columns with their sequences' parameters, CONSTRAINTS the CHECK
// constraints (names kept), INDEXES the primary key, the unique constraints and the other indexes
// (named for the new table), COMMENTS the columns' comments, GENERATED the stored generated
// columns' expressions (without it they are plain columns). STATISTICS, STORAGE and
// COMPRESSION copy nothing here: ActiveStore has no extended statistics, per-column storage or
// compression settings to copy. Foreign keys are never copied.
#include <fmt/format.h>

#include "executor/session.h"
#include "parser/ast.h"
#include "parser/parser.h"
#include "planner/sql_quote.h"

namespace activestore::executor {

using CT = ast::CreateTableStatement;

std::vector<SessionImpl::LikeSource> SessionImpl::ResolveLikeSources(const CT& s) {
  std::vector<LikeSource> out;
  for (const CT::Like& like : s.likes) {
    std::string schema;
    auto t = FindAndLockTable(like.source, &schema, storage::LockMode::kAccessShare);
    if (t == nullptr) {
      Error e(SqlState::kUndefinedTable,
              fmt::format("relation \"{}\" does not exist", like.source.name()));
      if (like.source.location >= 0) e.Position(like.source.location + 1);
      throw e;
    }
    CheckTablePrivilege(*t, storage::acl::kSelect);
    out.push_back({&like, t});
  }
  return out;
}

void SessionImpl::AddLikeColumns(const LikeSource& src, storage::TableInfo* info,
                                 std::set<std::string>* seen,
                                 std::vector<ast::ColumnDef>* identity_columns) {
  const uint32_t inc = src.like->including;
  for (const storage::ColumnInfo& c : src.table->columns) {
    if (!seen->insert(c.name).second) {
      Throw(SqlState::kDuplicateColumn, "column \"{}\" specified more than once", c.name);
    }
    storage::ColumnInfo ci;
    ci.name = c.name;
    ci.type = c.type;
    ci.domain = c.domain;
    ci.not_null = c.not_null;
    if (c.identity != 0 && (inc & CT::kLikeIdentity) != 0 && src.table->oid != 0) {
      // The identity's sequence parameters, for PrepareColumnSequence.
      ast::ColumnDef def;
      def.name = c.name;
      def.identity = c.identity;
      for (uint32_t seq : c.default_sequences) {
        auto st = CatalogView()->FindRelationByOid(seq);
        if (st == nullptr || !st->sequence) continue;
        const storage::SequenceInfo& q = *st->sequence;
        auto num = [&](const char* name, int64_t v) {
          ast::SequenceOption o;
          o.name = name;
          o.number = std::to_string(v);
          def.identity_options.push_back(std::move(o));
        };
        num("start", q.start);
        num("increment", q.increment);
        num("minvalue", q.min_value);
        num("maxvalue", q.max_value);
        num("cache", q.cache);
        ast::SequenceOption cycle;
        cycle.name = "cycle";
        cycle.flag = q.cycle;
        def.identity_options.push_back(std::move(cycle));
      }
      identity_columns->push_back(std::move(def));
    } else if (c.generated != 0) {
      if ((inc & CT::kLikeGenerated) != 0) {  // the expression is over the same column names
        ci.generated = c.generated;
        ci.default_sql = c.default_sql;
      }
    } else if (c.identity == 0 && (inc & CT::kLikeDefaults) != 0 && c.default_sql) {
      ci.default_sql = c.default_sql;
      ci.default_sequences = c.default_sequences;
    }
    if ((inc & CT::kLikeComments) != 0) ci.comment = c.comment;
    info->columns.push_back(std::move(ci));
  }
}

void SessionImpl::AddLikeConstraints(const LikeSource& src, storage::TableInfo* info,
                                     std::vector<std::vector<std::string>>* unique_sets,
                                     std::vector<std::vector<int>>* unique_includes,
                                     std::vector<bool>* nulls_not_distinct) {
  const storage::TableInfo& t = *src.table;
  const uint32_t inc = src.like->including;
  if ((inc & CT::kLikeConstraints) != 0) {
    for (const storage::CheckConstraintInfo& c : t.checks) {
      storage::CheckConstraintInfo copy;
      copy.name = c.name;
      copy.expr = c.expr;
      copy.no_inherit = c.no_inherit;
      info->checks.push_back(std::move(copy));
    }
  }
  if ((inc & CT::kLikeIndexes) == 0) return;
  auto names_of = [&](const std::vector<int>& cols) {
    std::vector<std::string> out;
    for (int c : cols) out.push_back(t.columns[c].name);
    return out;
  };
  auto ordinals = [&](const std::vector<int>& cols) {
    std::vector<int> out;
    for (int c : cols) out.push_back(info->ColumnIndex(t.columns[c].name));
    return out;
  };
  if (!t.primary_key.empty()) {
    if (!info->primary_key.empty()) {
      Throw(SqlState::kInvalidTableDefinition,
            "multiple primary keys for table \"{}\" are not allowed", info->name);
    }
    info->primary_key = ordinals(t.primary_key);
    info->primary_key_include = ordinals(t.primary_key_include);
    for (int c : info->primary_key) info->columns[c].not_null = true;
  }
  for (const storage::IndexInfo& i : t.indexes) {
    if (i.primary || !i.is_constraint) continue;  // other indexes: CreateLikeIndexes
    unique_sets->push_back(names_of(i.columns));
    unique_includes->push_back(ordinals(i.include));
    nulls_not_distinct->push_back(i.nulls_not_distinct);
  }
}

void SessionImpl::CreateLikeIndexes(const std::vector<LikeSource>& sources,
                                    const storage::TableInfo& table) {
  const std::string target =
      planner::QuoteSqlIdentifier(table.schema) + "." + planner::QuoteSqlIdentifier(table.name);
  for (const LikeSource& src : sources) {
    if ((src.like->including & CT::kLikeIndexes) == 0) continue;
    for (const storage::IndexInfo& i : src.table->indexes) {
      if (i.primary || i.is_constraint) continue;
      // pg_get_indexdef's text, the index's own name and table left out: CREATE INDEX then
      // names it for the new table (ChooseIndexName).
      auto rows = RunInternalQuery(
          fmt::format("SELECT pg_catalog.pg_get_indexdef({}::pg_catalog.oid)", i.oid),
          CatalogStatementTxn());
      if (rows.empty() || rows[0][0].is_null) continue;
      const std::string def = rows[0][0].s;
      const size_t using_at = def.find(" USING ");
      if (using_at == std::string::npos) continue;
      const std::string sql = fmt::format("CREATE {}INDEX ON {}{}", i.unique ? "UNIQUE " : "",
                                          target, def.substr(using_at));
      std::vector<ast::StatementPtr> stmts = parser::Parse(sql);
      RunDdlInner(*stmts.at(0));
    }
  }
}

}  // namespace activestore::executor
