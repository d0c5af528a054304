// Temporary tables, sequences and views: the session's schema pg_temp_<pid>, its place in name
// lookup, ON COMMIT actions, and its removal when the session ends.
//
// PostgreSQL keeps temporary relations in a per-backend schema pg_temp_N that lookups search
// before search_path (unless search_path names pg_temp explicitly), that other sessions see
// only by qualified name, and whose contents go when the backend exits. Here the schema is an
// ordinary catalog schema created in the transaction of the first CREATE TEMP statement, so it
// and the tables in it are transactional like any DDL. A server killed while sessions had
// temporary objects leaves their schemas behind; a later session with the same backend pid
// drops such a stale schema before first use, as PostgreSQL's InitTempTableNamespace does.

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <atomic>

#include "executor/session.h"

namespace activestore::executor {

namespace {
std::atomic<int64_t> g_anonymous_temp_ids{0};
}  // namespace

const std::string& SessionImpl::TempSchemaName() const {
  if (temp_id_ == 0) {
    // Sessions opened without a backend pid (internal and test sessions) still need schemas
    // distinct from each other's.
    temp_id_ = pid_ != 0 ? pid_ : -(++g_anonymous_temp_ids);
    temp_schema_name_ =
        temp_id_ > 0 ? fmt::format("pg_temp_{}", temp_id_) : fmt::format("pg_temp_x{}", -temp_id_);
  }
  return temp_schema_name_;
}

std::string SessionImpl::ResolveSchemaName(const std::string& schema) const {
  return schema == "pg_temp" ? TempSchemaName() : schema;
}

std::vector<std::string> SessionImpl::LookupPath(const storage::CatalogSnapshot& snap) const {
  const std::vector<std::string>& configured = settings_.search_path();
  const std::string& temp = TempSchemaName();
  bool temp_exists = snap.FindSchema(db_.oid, temp) != nullptr;
  std::vector<std::string> path;
  path.reserve(configured.size() + 1);
  bool explicit_temp = false;
  for (const std::string& s : configured) explicit_temp = explicit_temp || s == "pg_temp";
  if (temp_exists && !explicit_temp) path.push_back(temp);
  for (const std::string& s : configured) {
    if (s != "pg_temp") {
      path.push_back(s);
    } else if (temp_exists) {
      path.push_back(temp);
    }
  }
  return path;
}

std::string SessionImpl::EnsureTempSchema() {
  std::string name = TempSchemaName();
  auto snap = CatalogView();
  if (snap->FindSchema(db_.oid, name) != nullptr) {
    if (temp_schema_checked_) return name;
    // Left behind by an earlier server process: empty it before use.
    ast::DropStatement drop;
    drop.object_kind = ast::ObjectKind::kSchema;
    drop.cascade = true;
    drop.names.push_back(ast::QualifiedName{{name}});
    size_t notices = pending_notices_.size();
    Drop(drop);
    pending_notices_.resize(notices);  // silently, as PostgreSQL's RemoveTempRelations
  }
  engine_->catalog()->CreateSchema(CatalogStatementTxn(), db_.oid, name);
  temp_schema_checked_ = true;
  return name;
}

void SessionImpl::DropTempObjects() {
  on_commit_actions_.clear();
  std::string name = TempSchemaName();
  if (CatalogView()->FindSchema(db_.oid, name) == nullptr) return;
  ast::DropStatement drop;
  drop.object_kind = ast::ObjectKind::kSchema;
  drop.cascade = true;
  drop.names.push_back(ast::QualifiedName{{name}});
  // The cascade's notices are not shown: PostgreSQL drops temporary objects silently.
  size_t notices = pending_notices_.size();
  Drop(drop);
  pending_notices_.resize(notices);
}

void SessionImpl::DropAllTempSchemas() {
  std::vector<std::string> stale;
  for (const auto& [key, schema] : CatalogView()->schemas) {
    if (key.first == db_.oid && key.second.rfind("pg_temp_", 0) == 0) stale.push_back(key.second);
  }
  try {
    for (const std::string& name : stale) {
      ast::DropStatement drop;
      drop.object_kind = ast::ObjectKind::kSchema;
      drop.cascade = true;
      drop.names.push_back(ast::QualifiedName{{name}});
      Drop(drop);
    }
    FinishStatementTxn(true);
  } catch (...) {
    FinishStatementTxn(false);
    throw;
  }
  pending_notices_.clear();
}

void SessionImpl::RunOnCommitActions() {
  if (on_commit_actions_.empty()) return;
  auto snap = CatalogView();
  std::vector<OnCommitAction> keep;
  for (const OnCommitAction& a : on_commit_actions_) {
    std::shared_ptr<const storage::TableInfo> table;
    for (const auto& [key, t] : snap->tables) {
      if (t->oid == a.table_oid) {
        table = t;
        break;
      }
    }
    if (!table) continue;  // dropped, or created by a transaction that rolled back
    ast::QualifiedName qn{{table->schema, table->name}};
    if (a.drop) {
      ast::DropStatement drop;
      drop.object_kind = ast::ObjectKind::kTable;
      drop.cascade = true;
      drop.names.push_back(qn);
      size_t notices = pending_notices_.size();
      Drop(drop);
      pending_notices_.resize(notices);
    } else {
      ast::TruncateStatement truncate;
      truncate.tables.push_back(qn);
      Truncate(truncate);
      keep.push_back(a);
    }
  }
  on_commit_actions_ = std::move(keep);
}

}  // namespace activestore::executor
