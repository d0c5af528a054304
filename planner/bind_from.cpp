// FROM clause binding: tables (via search_path), views (expanded as subqueries), derived
// tables, VALUES, CTE references and joins (ON, USING, NATURAL), producing the JoinNode tree
// over the FROM row and the scope used for name resolution.
#include <algorithm>

#include "common/array.h"
#include "common/error.h"
#include "common/pg_lsn.h"
#include "common/reg_types.h"
#include "parser/literals.h"
#include "parser/parser.h"
#include "planner/binder.h"
#include "planner/cte_recursion.h"
#include "planner/pg_catalog/system_relation.h"
#include "planner/sql_quote.h"

namespace activestore::planner {

std::unique_ptr<ast::SelectStmt> ParseSelect(const std::string& sql) {
  auto stmts = parser::Parse(sql);
  if (stmts.size() != 1 || stmts[0]->kind != ast::StmtKind::kSelect) {
    Throw(SqlState::kInternalError, "stored query is not a single SELECT: {}", sql);
  }
  auto* sel = static_cast<ast::SelectStatement*>(stmts[0].get());
  return std::move(sel->select);
}

void Binder::RequirePrivilege(const std::shared_ptr<const storage::TableInfo>& table,
                              uint32_t privs) {
  for (RelationPermission& p : ctx_->permissions) {
    if (p.relation->oid == table->oid && p.check_as == ctx_->check_as) {
      p.privs |= privs;
      return;
    }
  }
  ctx_->permissions.push_back({table, privs, ctx_->check_as});
}

std::shared_ptr<const storage::TableInfo> Binder::LookupTable(const ast::QualifiedName& name) {
  const auto& cat = *ctx_->catalog;
  auto find = [&](const std::string& schema) -> std::shared_ptr<const storage::TableInfo> {
    auto it = cat.tables.find({ctx_->database, schema, name.name()});
    return it == cat.tables.end() ? nullptr : it->second;
  };
  std::shared_ptr<const storage::TableInfo> t;
  if (name.parts.size() == 1) {
    for (const auto& schema : ctx_->search_path) {
      if ((t = find(schema))) break;
    }
  } else if (name.parts.size() == 2) {
    t = find(name.parts[0] == "pg_temp" ? ctx_->temp_schema : name.parts[0]);
  } else {
    std::string db;
    for (const auto& [n, info] : cat.databases)
      if (info.oid == ctx_->database) db = n;
    if (name.parts.size() > 3 || name.parts[0] != db) {
      ThrowAt(name.location, SqlState::kFeatureNotSupported,
              "cross-database references are not implemented: {}", fmt::join(name.parts, "."));
    }
    t = find(name.parts[1]);
  }
  if (!t) {
    ThrowAt(name.location, SqlState::kUndefinedTable, "relation \"{}\" does not exist",
            fmt::join(name.parts, "."));
  }
  if (t->schema.rfind("pg_temp_", 0) == 0 && t->schema != ctx_->temp_schema) {
    // PostgreSQL finds out when it reads the table's buffers: no error position.
    Throw(SqlState::kFeatureNotSupported, "cannot access temporary tables of other sessions");
  }
  return t;
}

const pg_catalog::SystemRelation* Binder::LookupSystemRelation(const ast::QualifiedName& name) {
  if (name.parts.size() >= 2) {
    const std::string& schema = name.parts[name.parts.size() - 2];
    if (name.parts.size() > 3) return nullptr;
    if (schema == "information_schema") {
      return pg_catalog::FindInformationSchemaRelation(name.name());
    }
    if (schema == "timescaledb_information") {
      return pg_catalog::FindTimescaleInformationRelation(name.name());
    }
    if (schema != "pg_catalog") return nullptr;
    return pg_catalog::FindSystemRelation(name.name());
  }
  const pg_catalog::SystemRelation* sys = pg_catalog::FindSystemRelation(name.name());
  if (sys == nullptr) return nullptr;
  // PostgreSQL searches pg_catalog first unless search_path lists it (after the session's
  // temporary schema when that is implicit); a user relation earlier in the path wins.
  const auto& path = ctx_->search_path;
  const bool listed = std::find(path.begin(), path.end(), "pg_catalog") != path.end();
  const auto& cat = *ctx_->catalog;
  for (const std::string& schema : path) {
    if (schema == "pg_catalog") return sys;
    const bool implicit_temp =
        !ctx_->temp_schema.empty() && schema == ctx_->temp_schema && &schema == &path.front();
    if (!listed && !implicit_temp) return sys;
    if (cat.tables.count({ctx_->database, schema, name.name()}) != 0) return nullptr;
  }
  return sys;
}

PlanPtr SystemViewPlan(const ast::QualifiedName& name) {
  // pg_catalog comes first in every search path, as in PostgreSQL.
  if (name.parts.size() > 2 || (name.parts.size() == 2 && name.parts[0] != "pg_catalog")) {
    return nullptr;
  }
  auto p = std::make_shared<PlanNode>();
  p->kind = PlanKind::kSystemView;
  p->system_view = name.name();
  const Type int2 = Type::Of(TypeId::kInt16), int4 = Type::Of(TypeId::kInt32),
             int8 = Type::Of(TypeId::kInt64), text = Type::Of(TypeId::kText),
             boolean = Type::Of(TypeId::kBool), tstz = Type::Of(TypeId::kTimestampTz);
  // PostgreSQL's oid and xid columns are shown as bigint (the same text) until those types
  // exist.
  if (name.name() == "pg_prepared_xacts") {
    p->output_names = {"transaction", "gid", "prepared", "owner", "database"};
    p->output_types = {int8, text, tstz, text, text};
    return p;
  }
  if (name.name() == "pg_replication_slots") {
    // PostgreSQL 15's columns; xid columns are bigint (as above).
    const Type nm = Type::Of(TypeId::kName), oid = Type::Of(TypeId::kOid),
               lsn = Type::Of(kPgLsnType);
    p->output_names = {"slot_name",  "plugin",        "slot_type",   "datoid",
                       "database",   "temporary",     "active",      "active_pid",
                       "xmin",       "catalog_xmin",  "restart_lsn", "confirmed_flush_lsn",
                       "wal_status", "safe_wal_size", "two_phase"};
    p->output_types = {nm,   nm,   text, oid, nm,   boolean, boolean, int4,
                       int8, int8, lsn,  lsn, text, int8,    boolean};
    return p;
  }
  if (name.name() == "pg_stat_replication") {
    // PostgreSQL 15's columns; client_addr (inet) is text, backend_xmin (xid) bigint.
    const Type nm = Type::Of(TypeId::kName), oid = Type::Of(TypeId::kOid),
               lsn = Type::Of(kPgLsnType), iv = Type::Of(TypeId::kInterval);
    p->output_names = {"pid",          "usesysid",        "usename",     "application_name",
                       "client_addr",  "client_hostname", "client_port", "backend_start",
                       "backend_xmin", "state",           "sent_lsn",    "write_lsn",
                       "flush_lsn",    "replay_lsn",      "write_lag",   "flush_lag",
                       "replay_lag",   "sync_priority",   "sync_state",  "reply_time"};
    p->output_types = {int4, oid, nm,  text, text, text, int4, tstz, int8, text,
                       lsn,  lsn, lsn, lsn,  iv,   iv,   iv,   int4, text, tstz};
    return p;
  }
  if (name.name() == "pg_stat_wal_receiver") {
    const Type lsn = Type::Of(kPgLsnType);
    p->output_names = {"pid",
                       "status",
                       "receive_start_lsn",
                       "receive_start_tli",
                       "written_lsn",
                       "flushed_lsn",
                       "received_tli",
                       "last_msg_send_time",
                       "last_msg_receipt_time",
                       "latest_end_lsn",
                       "latest_end_time",
                       "slot_name",
                       "sender_host",
                       "sender_port",
                       "conninfo"};
    p->output_types = {int4, text, lsn,  int4, lsn,  lsn,  int4, tstz,
                       tstz, lsn,  tstz, text, text, int4, text};
    return p;
  }
  if (name.name() == "pg_stat_statements") {
    // PostgreSQL 15's pg_stat_statements 1.10 (executor/stat_statements.h).
    const Type oid = Type::Of(TypeId::kOid), f8 = Type::Of(TypeId::kFloat64),
               numeric = Type::Of(TypeId::kNumeric);
    p->output_names = {"userid",
                       "dbid",
                       "toplevel",
                       "queryid",
                       "query",
                       "plans",
                       "total_plan_time",
                       "min_plan_time",
                       "max_plan_time",
                       "mean_plan_time",
                       "stddev_plan_time",
                       "calls",
                       "total_exec_time",
                       "min_exec_time",
                       "max_exec_time",
                       "mean_exec_time",
                       "stddev_exec_time",
                       "rows",
                       "shared_blks_hit",
                       "shared_blks_read",
                       "shared_blks_dirtied",
                       "shared_blks_written",
                       "local_blks_hit",
                       "local_blks_read",
                       "local_blks_dirtied",
                       "local_blks_written",
                       "temp_blks_read",
                       "temp_blks_written",
                       "blk_read_time",
                       "blk_write_time",
                       "temp_blk_read_time",
                       "temp_blk_write_time",
                       "wal_records",
                       "wal_fpi",
                       "wal_bytes",
                       "jit_functions",
                       "jit_generation_time",
                       "jit_inlining_count",
                       "jit_inlining_time",
                       "jit_optimization_count",
                       "jit_optimization_time",
                       "jit_emission_count",
                       "jit_emission_time"};
    p->output_types = {oid,  oid,     boolean, int8, text, int8, f8,   f8,   f8,   f8,   f8,
                       int8, f8,      f8,      f8,   f8,   f8,   int8, int8, int8, int8, int8,
                       int8, int8,    int8,    int8, int8, int8, f8,   f8,   f8,   f8,   int8,
                       int8, numeric, int8,    f8,   int8, f8,   int8, f8,   int8, f8};
    return p;
  }
  if (name.name() == "pg_stat_statements_info") {
    p->output_names = {"dealloc", "stats_reset"};
    p->output_types = {int8, tstz};
    return p;
  }
  if (name.name() == "pg_cursors") {  // the session's open cursors (executor/cursors.cpp)
    p->output_names = {"name",      "statement",     "is_holdable",
                       "is_binary", "is_scrollable", "creation_time"};
    p->output_types = {text, text, boolean, boolean, boolean, tstz};
    return p;
  }
  if (name.name() == "pg_settings") {  // the session's parameters (common/setting_defs.h)
    p->output_names = {"name",       "setting",        "unit",     "category",  "short_desc",
                       "extra_desc", "context",        "vartype",  "source",    "min_val",
                       "max_val",    "enumvals",       "boot_val", "reset_val", "sourcefile",
                       "sourceline", "pending_restart"};
    const Type text_array = Type::Of(kTextArrayType);
    p->output_types = {text, text, text,       text, text, text, text, text,   text,
                       text, text, text_array, text, text, text, int4, boolean};
    return p;
  }
  if (name.name() == "pg_stat_activity") {
    // PostgreSQL 15's columns (executor/activity.h); client_addr (inet) is text, backend_xid and
    // backend_xmin (xid) bigint.
    const Type nm = Type::Of(TypeId::kName), oid = Type::Of(TypeId::kOid);
    p->output_names = {"datid",
                       "datname",
                       "pid",
                       "leader_pid",
                       "usesysid",
                       "usename",
                       "application_name",
                       "client_addr",
                       "client_hostname",
                       "client_port",
                       "backend_start",
                       "xact_start",
                       "query_start",
                       "state_change",
                       "wait_event_type",
                       "wait_event",
                       "state",
                       "backend_xid",
                       "backend_xmin",
                       "query_id",
                       "query",
                       "backend_type"};
    p->output_types = {oid,  nm,   int4, int4, oid,  nm,   text, text, text, int4, tstz,
                       tstz, tstz, tstz, text, text, text, int8, int8, int8, text, text};
    return p;
  }
  if (name.name() == "pg_locks") {
    p->output_names = {"locktype", "database",   "relation",           "page",
                       "tuple",    "virtualxid", "transactionid",      "classid",
                       "objid",    "objsubid",   "virtualtransaction", "pid",
                       "mode",     "granted",    "fastpath",           "waitstart"};
    p->output_types = {text, int8, int8, int4, int2, text,    int8,    int8,
                       int8, int2, text, int4, text, boolean, boolean, tstz};
    return p;
  }
  return nullptr;
}

std::shared_ptr<const storage::TableInfo> Binder::LookupRelationText(const std::string& text,
                                                                     int location) {
  ast::QualifiedName name;
  try {
    name.parts = parser::SplitQualifiedName(text);
  } catch (Error& e) {
    if (!e.position && location >= 0) e.Position(location + 1);
    throw;
  }
  name.location = location;
  // Unlike a table in FROM, regclass input names a missing schema (3F000).
  if (name.parts.size() >= 2 &&
      ctx_->catalog->FindSchema(ctx_->database, name.parts[name.parts.size() - 2]) == nullptr) {
    ThrowAt(location, SqlState::kInvalidSchemaName, "schema \"{}\" does not exist",
            name.parts[name.parts.size() - 2]);
  }
  return LookupTable(name);
}

void Binder::RegisterCtes(const ast::WithClause* with, const ast::Statement* main) {
  if (!with) return;
  CheckRecursiveWithList(*with);
  const ast::CommonTableExpr* first_dml = nullptr;
  for (const auto& cte : with->ctes) {
    if (ctes_.count(cte.name)) {
      ThrowAt(cte.location, SqlState::kDuplicateAlias,
              "WITH query name \"{}\" specified more than once", cte.name);
    }
    ctes_[cte.name] = &cte;
    if (cte.dml && !first_dml) first_dml = &cte;
  }
  with_recursive_ = with->recursive;
  if (!first_dml) return;
  if (parent_ || lexical_ || derived_of_) {
    ThrowAt(first_dml->location, SqlState::kFeatureNotSupported,
            "WITH clause containing a data-modifying statement must be at the top level");
  }
  NoteWriteTargets(*with, main);
  // Bound now, so that they are listed (and those nothing reads run) in their order.
  for (const ast::CommonTableExpr& cte : with->ctes) {
    CteState& cs = cte_states_[&cte];
    if (cte.dml && !cs.bound) BindCteQuery(cte, &cs);
  }
}

void Binder::NoteWriteTargets(const ast::WithClause& with, const ast::Statement* main) {
  struct Write {
    std::shared_ptr<const storage::TableInfo> table;
    ast::StmtKind kind;
    bool upsert;
    int location;
  };
  std::vector<Write> writes;
  auto note = [&](const ast::Statement& s) {
    const ast::QualifiedName* name = nullptr;
    bool upsert = false;
    switch (s.kind) {
      case ast::StmtKind::kInsert: {
        const auto& i = static_cast<const ast::InsertStatement&>(s);
        name = &i.table;
        upsert = i.on_conflict != ast::OnConflictAction::kNone;
        break;
      }
      case ast::StmtKind::kUpdate:
        name = &static_cast<const ast::UpdateStatement&>(s).table;
        break;
      case ast::StmtKind::kDelete:
        name = &static_cast<const ast::DeleteStatement&>(s).table;
        break;
      case ast::StmtKind::kMerge:
        name = &static_cast<const ast::MergeStatement&>(s).table;
        break;
      default:
        return;
    }
    writes.push_back({LookupTable(*name), s.kind, upsert, name->location});
  };
  for (const ast::CommonTableExpr& cte : with.ctes) {
    if (cte.dml) note(*cte.dml);
  }
  if (main) note(*main);
  // Every part sees the data as it was before the statement (reads go through the snapshots),
  // but an UPDATE, a DELETE and an ON CONFLICT find their target rows in the table itself, as
  // the parts that ran before them left it, where PostgreSQL skips the rows its statement
  // already changed and does not see the rows it inserted. The outcome is PostgreSQL's only
  // when the writes of one table are all DELETEs (whichever runs first deletes a row) or all
  // plain INSERTs.
  for (size_t i = 0; i < writes.size(); ++i) {
    const Write& b = writes[i];
    for (size_t j = 0; j < i; ++j) {
      const Write& a = writes[j];
      if (a.table->oid != b.table->oid) continue;
      bool deletes = a.kind == ast::StmtKind::kDelete && b.kind == ast::StmtKind::kDelete;
      bool inserts = a.kind == ast::StmtKind::kInsert && b.kind == ast::StmtKind::kInsert &&
                     !a.upsert && !b.upsert;
      if (!deletes && !inserts) {
        ThrowAt(b.location, SqlState::kFeatureNotSupported,
                "writing table \"{}\" in more than one part of a statement is supported only "
                "when every part is a DELETE or every part a plain INSERT",
                b.table->name);
      }
    }
  }
  for (const Write& w : writes) ctx_->write_targets.insert(w.table->oid);
}

std::unique_ptr<JoinNode> Binder::BindSnapshotRef(
    const std::shared_ptr<const storage::TableInfo>& table, RangeEntry entry, Scope* scope,
    int location) {
  PlanPtr& snapshot = ctx_->snapshots[table->oid];
  if (!snapshot) {
    struct InSnapshot {
      PlannerContext* ctx;
      explicit InSnapshot(PlannerContext* c) : ctx(c) { ctx->in_snapshot = true; }
      ~InSnapshot() { ctx->in_snapshot = false; }
    } in_snapshot(ctx_);
    StoredTextScope stored(ctx_);
    auto query = ParseSelect(fmt::format("SELECT * FROM {}.{}", QuoteSqlIdentifier(table->schema),
                                         QuoteSqlIdentifier(table->name)));
    Binder sub(ctx_, nullptr, nullptr);
    PlanPtr rows = sub.PlanSelect(*query);
    auto scan = std::make_shared<PlanNode>();
    scan->kind = PlanKind::kCteScan;
    scan->cte_plan = rows;
    scan->cte_id = ++ctx_->last_cte_id;
    scan->cte_name = table->name;
    scan->output_types = rows->output_types;
    scan->output_names = rows->output_names;
    snapshot = scan;
    ctx_->snapshot_inits.push_back(scan);
  }
  entry.table = nullptr;
  auto node = AddRange(std::move(entry), scope, location);
  node->plan = std::make_shared<PlanNode>(*snapshot);
  return node;
}

const ast::CommonTableExpr* Binder::FindCte(const std::string& name, Binder** owner) {
  for (Binder* b = this; b; b = b->lexical_) {
    auto it = b->ctes_.find(name);
    if (it == b->ctes_.end()) continue;
    // A non-recursive CTE cannot see itself: look further out. In WITH RECURSIVE it is its
    // self-reference (BindCteRef).
    if (b->cte_in_progress_.count(name) && !b->with_recursive_) continue;
    *owner = b;
    return it->second;
  }
  return nullptr;
}

std::unique_ptr<JoinNode> Binder::AddPlanRange(PlanPtr plan, const std::string& alias,
                                               const std::vector<std::string>& column_aliases,
                                               Scope* scope, int location) {
  if (column_aliases.size() > plan->output_types.size()) {
    // PostgreSQL raises this one without a position.
    Throw(SqlState::kInvalidColumnReference,
          "table \"{}\" has {} columns available but {} columns specified", alias,
          plan->output_types.size(), column_aliases.size());
  }
  RangeEntry entry;
  entry.alias = alias;
  for (size_t i = 0; i < plan->output_types.size(); ++i) {
    entry.columns.push_back(i < column_aliases.size() ? column_aliases[i] : plan->output_names[i]);
    entry.types.push_back(plan->output_types[i]);
  }
  auto node = AddRange(std::move(entry), scope, location);
  node->plan = std::move(plan);
  return node;
}

namespace {

// The column names of a WITH query: its output names, renamed by its column list.
std::vector<std::string> CteColumnNames(const ast::CommonTableExpr& cte, const PlanNode& plan) {
  if (cte.column_names.size() > plan.output_names.size()) {
    ThrowAt(cte.location, SqlState::kInvalidColumnReference,
            "WITH query \"{}\" has {} columns available but {} columns specified", cte.name,
            plan.output_names.size(), cte.column_names.size());
  }
  std::vector<std::string> names = plan.output_names;
  for (size_t i = 0; i < cte.column_names.size(); ++i) names[i] = cte.column_names[i];
  return names;
}

}  // namespace

std::unique_ptr<JoinNode> Binder::BindCteRef(const ast::CommonTableExpr& cte, Binder* owner,
                                             const ast::TableRef& ref, Scope* scope) {
  CteState& cs = owner->cte_states_[&cte];
  const std::string alias = ref.alias.value_or(cte.name);
  if (owner->cte_in_progress_.count(cte.name)) {
    // WITH RECURSIVE: the query refers to itself.
    if (cs.phase == 2) {
      ThrowAt(ref.location, SqlState::kInvalidRecursion,
              "recursive reference to query \"{}\" must not appear within its non-recursive term",
              cte.name);
    }
    if (cs.phase != 3) {
      ThrowAt(cte.location, SqlState::kInvalidRecursion,
              "recursive query \"{}\" does not have the form non-recursive-term UNION [ALL] "
              "recursive-term",
              cte.name);
    }
    if (++cs.self_refs > 1) {
      ThrowAt(ref.location, SqlState::kInvalidRecursion,
              "recursive reference to query \"{}\" must not appear more than once", cte.name);
    }
    auto p = std::make_shared<PlanNode>();
    p->kind = PlanKind::kWorkTableScan;
    p->cte_id = cs.id;
    p->cte_name = cte.name;
    p->output_types = cs.types;
    p->output_names = cs.names;
    return AddPlanRange(std::move(p), alias, ref.column_aliases, scope, ref.location);
  }
  if (!cs.bound) owner->BindCteQuery(cte, &cs);
  if (cte.dml && cs.producer->returning.empty()) {
    ThrowAt(ref.location, SqlState::kFeatureNotSupported,
            "WITH query \"{}\" does not have a RETURNING clause", cte.name);
  }
  if (cs.inline_each) {
    owner->cte_in_progress_.insert(cte.name);
    std::unique_ptr<JoinNode> node;
    try {
      node = BindDerived(*cte.query, alias,
                         ref.column_aliases.empty() ? cte.column_names : ref.column_aliases, scope,
                         ref.location);
    } catch (...) {
      owner->cte_in_progress_.erase(cte.name);
      throw;
    }
    owner->cte_in_progress_.erase(cte.name);
    return node;
  }
  auto p = std::make_shared<PlanNode>();
  p->kind = PlanKind::kCteScan;
  p->cte_plan = cs.producer;
  p->cte_id = cs.id;
  p->cte_name = cte.name;
  p->output_types = cs.producer->output_types;
  p->output_names = cs.names;
  cs.scans.push_back(p);
  return AddPlanRange(std::move(p), alias, ref.column_aliases, scope, ref.location);
}

void Binder::BindCteQuery(const ast::CommonTableExpr& cte, CteState* cs) {
  cs->bound = true;
  cs->id = ++ctx_->last_cte_id;
  cte_in_progress_.insert(cte.name);
  struct Done {
    Binder* b;
    const std::string& name;
    CteState* cs;
    ~Done() {
      b->cte_in_progress_.erase(name);
      cs->phase = 0;
    }
  } done{this, cte.name, cs};
  if (cte.dml) {
    // Runs once, to its end, before the statement (PlanNode::init_plans).
    cs->phase = 1;
    Binder sub(ctx_, parent_, this, this);
    switch (cte.dml->kind) {
      case ast::StmtKind::kInsert:
        cs->producer = sub.PlanInsert(static_cast<const ast::InsertStatement&>(*cte.dml));
        break;
      case ast::StmtKind::kUpdate:
        cs->producer = sub.PlanUpdate(static_cast<const ast::UpdateStatement&>(*cte.dml));
        break;
      default:
        cs->producer = sub.PlanDelete(static_cast<const ast::DeleteStatement&>(*cte.dml));
        break;
    }
    auto run = std::make_shared<PlanNode>();
    run->kind = PlanKind::kCteScan;
    run->cte_plan = cs->producer;
    run->cte_id = cs->id;
    run->cte_name = cte.name;
    run->output_types = cs->producer->output_types;
    run->output_names = cs->producer->output_names;
    ctx_->dml_inits.push_back(run);
  } else if (with_recursive_ && cte.query->set_op == ast::SetOpType::kUnion) {
    cs->producer = BindRecursiveCte(cte, cs);
  } else {
    if (cte.search || cte.cycle) {
      ThrowAt(cte.location, SqlState::kSyntaxError, "WITH query is not recursive");
    }
    cs->phase = 1;
    Binder sub(ctx_, parent_, this, this);
    cs->producer = sub.PlanSelect(*cte.query);
    cs->inline_each = sub.has_outer_refs() || cte.materialized == false;
  }
  cs->names = CteColumnNames(cte, *cs->producer);
}

PlanPtr Binder::BindRecursiveCte(const ast::CommonTableExpr& cte, CteState* cs) {
  const ast::SelectStmt& q = *cte.query;
  auto not_implemented = [&](int location, const char* what) {
    ThrowAt(location, SqlState::kFeatureNotSupported, "{} in a recursive query is not implemented",
            what);
  };
  cs->phase = 2;
  Binder left_binder(ctx_, parent_, this, this);
  PlanPtr left = left_binder.PlanSelect(*q.larg);
  cs->phase = 3;
  const bool search_cycle = cte.search || cte.cycle;
  const size_t ncols = left->output_types.size();
  cs->names = CteColumnNames(cte, *left);
  if (search_cycle) {
    left = BindSearchCycleLeft(cte, left, cs->names);
    cs->names = left->output_names;
  }
  cs->types = left->output_types;
  cs->self_refs = 0;
  Binder right_binder(ctx_, parent_, this, this);
  right_binder.resolve_unknown_outputs_ = false;
  PlanPtr right = search_cycle ? BindSearchCycleRight(cte, cs, &right_binder, cs->names, ncols)
                               : right_binder.PlanSelect(*q.rarg);
  if (cs->self_refs == 0) {
    if (search_cycle) {
      ThrowAt(cte.location, SqlState::kSyntaxError, "WITH query is not recursive");
    }
    // Not recursive after all: an ordinary WITH query.
    cs->phase = 1;
    Binder sub(ctx_, parent_, this, this);
    PlanPtr plan = sub.PlanSelect(q);
    cs->inline_each = sub.has_outer_refs() || cte.materialized == false;
    return plan;
  }
  if (!q.order_by.empty()) not_implemented(q.order_by[0].expr->location, "ORDER BY");
  if (q.offset) not_implemented(q.offset->location, "OFFSET");
  if (q.limit) not_implemented(q.limit->location, "LIMIT");
  if (!q.locking.empty()) not_implemented(q.locking[0].location, "FOR UPDATE/SHARE");
  if (left_binder.has_outer_refs() || right_binder.has_outer_refs()) {
    ThrowAt(cte.location, SqlState::kFeatureNotSupported,
            "recursive queries that refer to columns of an outer query are not supported");
  }
  cs->recursive = true;
  if (right->output_types.size() != left->output_types.size()) {
    int loc = q.rarg->targets.empty() ? q.rarg->location : q.rarg->targets[0].expr->location;
    ThrowAt(loc, SqlState::kSyntaxError, "each UNION query must have the same number of columns");
  }
  for (size_t i = 0; i < left->output_types.size(); ++i) {
    Type l = left->output_types[i], r = right->output_types[i];
    if (r.id == TypeId::kUnknown || r == l) continue;
    // Anonymous records (ROW(...), and arrays of them) differ only by the column list the
    // binder blessed them with; PostgreSQL types them all `record` with typmod -1.
    if (r.id == l.id && (l.id == kRecordType || l.id == kRecordArrayType)) continue;
    int loc = i < q.larg->targets.size() ? q.larg->targets[i].expr->location : -1;
    std::vector<BoundExprPtr> probe = {MakeColumn(0, l), MakeColumn(1, r)};
    Type overall = CommonType(&probe, {loc, loc}, "UNION");
    if (overall != l) {
      Error e(SqlState::kDatatypeMismatch,
              fmt::format("recursive query \"{}\" column {} has type {} in non-recursive term "
                          "but type {} overall",
                          cte.name, i + 1, TypeDisplayName(l), TypeDisplayName(overall)));
      if (loc >= 0) e.Position(loc + 1);
      e.Hint("Cast the output of the non-recursive term to the correct type.");
      throw e;
    }
  }
  right = CoercePlanOutputs(this, right, left->output_types, CoercionContext::kImplicit, {});
  auto node = std::make_shared<PlanNode>();
  node->kind = PlanKind::kRecursiveUnion;
  node->set_all = q.set_all;
  node->cte_id = cs->id;
  node->cte_name = cte.name;
  node->output_types = left->output_types;
  node->output_names = cs->names;
  node->children = {left, right};
  return node;
}

void Binder::FinishCtes(const ast::WithClause* with) {
  if (!with) return;
  for (const ast::CommonTableExpr& cte : with->ctes) {
    CteState& cs = cte_states_[&cte];
    if (!cs.bound) {
      BindCteQuery(cte, &cs);
      continue;
    }
    if (cte.dml || cs.inline_each || cs.recursive || cte.materialized == true ||
        cs.scans.size() != 1) {
      continue;
    }
    // Read once: the reader runs the query itself (as a derived table would).
    PlanNode& scan = *cs.scans[0];
    std::vector<std::string> names = scan.output_names;
    scan = *cs.producer;
    scan.output_names = std::move(names);
  }
}

std::unique_ptr<JoinNode> Binder::AddRange(RangeEntry entry, Scope* scope, int location) {
  if (!entry.alias.empty()) {
    for (const Scope* s : {scope, &scope_}) {
      for (int idx : s->ranges) {
        if (ranges_[idx].alias == entry.alias && ranges_[idx].schema == entry.schema) {
          ThrowAt(location, SqlState::kDuplicateAlias, "table name \"{}\" specified more than once",
                  entry.alias);
        }
      }
    }
  }
  entry.first = static_cast<int>(row_.size());
  int range_index = static_cast<int>(ranges_.size());
  auto node = std::make_unique<JoinNode>();
  node->first = entry.first;
  node->count = static_cast<int>(entry.columns.size());
  node->table = entry.table;
  for (size_t i = 0; i < entry.columns.size(); ++i) {
    row_.push_back({entry.alias, entry.columns[i], entry.types[i], range_index});
    if (i + entry.hidden >= entry.columns.size()) continue;
    scope->visible.push_back(
        {entry.columns[i], MakeColumn(entry.first + static_cast<int>(i), entry.types[i])});
  }
  scope->ranges.push_back(range_index);
  ranges_.push_back(std::move(entry));
  return node;
}

namespace {

// The FROM-row columns a LATERAL item's plan reads: its kOuterColumns of depth 1.
std::set<int> LateralRefs(const PlanPtr& plan) {
  std::set<int> refs;
  VisitPlan(
      plan,
      [&](const BoundExpr& n, int depth) {
        if (n.kind == BoundExprKind::kOuterColumn && n.outer_depth == depth) {
          refs.insert(n.column_index);
        }
      },
      1);
  return refs;
}

}  // namespace

std::unique_ptr<JoinNode> Binder::BindLateralDerived(const ast::TableRef& ref, Scope* scope) {
  Scope none;
  Scope* saved = active_scope_;
  active_scope_ = lateral_scope_ ? lateral_scope_ : &none;
  PlanPtr plan;
  try {
    Binder sub(ctx_, this, this);
    sub.lateral_item_ = true;
    plan = sub.PlanSelect(*ref.subquery);
  } catch (...) {
    active_scope_ = saved;
    throw;
  }
  active_scope_ = saved;
  std::set<int> refs = LateralRefs(plan);
  if (refs.empty()) {
    // Reads no earlier item: an ordinary derived table, whose references to the enclosing
    // queries are one level nearer.
    plan = RewritePlan(
        plan,
        [](const BoundExpr& n, int depth) -> BoundExprPtr {
          if (n.kind != BoundExprKind::kOuterColumn || n.outer_depth <= depth) return nullptr;
          auto o = std::make_shared<BoundExpr>(n);
          --o->outer_depth;
          return o;
        },
        false, 1);
  }
  auto node = AddPlanRange(plan, ref.alias.value_or(""), ref.column_aliases, scope, ref.location);
  node->lateral_refs = std::move(refs);
  return node;
}

void Binder::MakeLateralFunction(JoinNode* node) {
  std::set<int> refs;
  for (const BoundExprPtr& e : node->plan->exprs) CollectColumns(e, &refs);
  for (const PlanPtr& c : node->plan->children) {  // ROWS FROM's functions
    for (const BoundExprPtr& e : c->exprs) CollectColumns(e, &refs);
  }
  if (refs.empty()) return;
  // FROM-row columns become outer columns of depth 1, and every outer reference one level
  // further out.
  auto plan = std::make_shared<PlanNode>(*node->plan);
  std::vector<BoundExprPtr*> exprs;
  for (BoundExprPtr& e : plan->exprs) exprs.push_back(&e);
  for (PlanPtr& c : plan->children) {
    auto child = std::make_shared<PlanNode>(*c);
    for (BoundExprPtr& e : child->exprs) exprs.push_back(&e);
    c = child;
  }
  for (BoundExprPtr* ep : exprs) {
    BoundExprPtr& e = *ep;
    e = RewriteExpr(
        e,
        [](const BoundExpr& n, int depth) -> BoundExprPtr {
          if (depth == 0 && n.kind == BoundExprKind::kColumn) {
            auto o = std::make_shared<BoundExpr>(n);
            o->kind = BoundExprKind::kOuterColumn;
            o->outer_depth = 1;
            return o;
          }
          if (n.kind != BoundExprKind::kOuterColumn || n.outer_depth < depth) return nullptr;
          auto o = std::make_shared<BoundExpr>(n);
          ++o->outer_depth;
          return o;
        },
        false);
  }
  node->plan = std::move(plan);
  node->lateral_refs = std::move(refs);
}

std::unique_ptr<JoinNode> Binder::BindDerived(const ast::SelectStmt& s, const std::string& alias,
                                              const std::vector<std::string>& column_aliases,
                                              Scope* scope, int location) {
  Binder sub(ctx_, parent_, this, this);
  return AddPlanRange(sub.PlanSelect(s), alias, column_aliases, scope, location);
}

namespace {

// Appends `child` to an inner-join group, splicing nested inner groups into it.
void AppendInner(JoinNode* group, std::unique_ptr<JoinNode> child) {
  if (child->kind == JoinNode::Kind::kInner) {
    for (auto& c : child->children) group->children.push_back(std::move(c));
    for (auto& c : child->conjuncts) group->conjuncts.push_back(std::move(c));
  } else {
    group->children.push_back(std::move(child));
  }
}

}  // namespace

// The columns of a base relation in `entry`, renamed by the reference's column aliases.
void AliasColumns(const ast::TableRef& ref, const std::vector<std::string>& names,
                  const std::vector<Type>& types, RangeEntry* entry) {
  if (ref.column_aliases.size() > names.size()) {
    Throw(SqlState::kInvalidColumnReference,
          "table \"{}\" has {} columns available but {} columns specified", entry->alias,
          names.size(), ref.column_aliases.size());
  }
  for (size_t i = 0; i < names.size(); ++i) {
    entry->columns.push_back(i < ref.column_aliases.size() ? ref.column_aliases[i] : names[i]);
    entry->types.push_back(types[i]);
  }
}

std::shared_ptr<PlanNode> Binder::ScalarFunctionScan(std::shared_ptr<PlanNode> plan, Type result,
                                                     const FromFunction& f) {
  plan->output_types = {result};
  plan->output_names = {f.scalar_name};
  return plan;
}

std::unique_ptr<JoinNode> Binder::FinishFunctionScan(const ast::TableRef& ref,
                                                     std::shared_ptr<PlanNode> plan,
                                                     const std::string& name, Scope* scope) {
  plan->with_ordinality = ref.with_ordinality;
  if (ref.with_ordinality) {
    plan->output_types.push_back(T(TypeId::kInt64));
    plan->output_names.push_back("ordinality");
  }
  RangeEntry entry;
  entry.alias = ref.alias.value_or(name);
  entry.lock_refusal = "a function";
  AliasColumns(ref, plan->output_names, plan->output_types, &entry);
  auto node = AddRange(std::move(entry), scope, ref.location);
  node->plan = std::move(plan);
  return node;
}

// FROM hypertable_compression_stats(t) / chunk_compression_stats(t): TimescaleDB 2.x's
// columns, as a query over timescaledb_information._compressed_chunk_stats (one row per chunk;
// docs/design/2026-12-06-chunk-compression.md). The argument must be a constant.
std::unique_ptr<JoinNode> Binder::BindCompressionStatsScan(const ast::TableRef& ref,
                                                           const std::string& name, Scope* scope) {
  const ast::Expr& f = *ref.function;
  if (f.args.size() != 1 || f.star || f.distinct) {
    std::vector<BoundExprPtr> shown;
    for (const auto& a : f.args) shown.push_back(BindExpr(*a));
    ThrowNoFunction(f.location, name, shown);
  }
  BoundExprPtr arg = Coerce(BindExpr(*f.args[0]), T(kRegClassType), CoercionContext::kImplicit,
                            f.args[0]->location);
  if (arg->kind != BoundExprKind::kConstant) {
    ThrowAt(f.args[0]->location, SqlState::kFeatureNotSupported,
            "{} with an argument that is not a constant is not supported yet", name);
  }
  if (arg->value.is_null) {
    ThrowAt(f.location, SqlState::kInvalidParameterValue, "invalid hypertable: cannot be NULL");
  }
  auto rel = ctx_->catalog->FindRelationByOid(static_cast<storage::Oid>(arg->value.i));
  if (!rel || !rel->hypertable) {
    Error err(SqlStateFromCode("TS001"),
              fmt::format("\"{}\" is not a hypertable or a continuous aggregate",
                          rel ? rel->name : std::to_string(arg->value.i)));
    err.Hint("The operation is only possible on a hypertable or continuous aggregate.");
    throw err;
  }
  const std::string where =
      " FROM timescaledb_information._compressed_chunk_stats WHERE "
      "hypertable_oid = " +
      std::to_string(rel->oid);
  std::string sql;
  if (name == "chunk_compression_stats") {
    sql =
        "SELECT chunk_schema, chunk_name, compression_status, before_compression_table_bytes, "
        "before_compression_index_bytes, before_compression_toast_bytes, "
        "before_compression_total_bytes, after_compression_table_bytes, "
        "after_compression_index_bytes, after_compression_toast_bytes, "
        "after_compression_total_bytes, node_name" +
        where;
  } else {
    std::string sums;
    for (const char* c : {"before_compression_table_bytes", "before_compression_index_bytes",
                          "before_compression_toast_bytes", "before_compression_total_bytes",
                          "after_compression_table_bytes", "after_compression_index_bytes",
                          "after_compression_toast_bytes", "after_compression_total_bytes"}) {
      sums += fmt::format("sum({0})::bigint AS {0}, ", c);
    }
    sql =
        "SELECT count(*)::bigint AS total_chunks, count(*) FILTER (WHERE compression_status = "
        "'Compressed')::bigint AS number_compressed_chunks, " +
        sums + "NULL::name AS node_name" + where;
  }
  StoredTextScope stored(ctx_);
  auto query = ParseSelect(sql);
  return BindDerived(*query, ref.alias.value_or(name), ref.column_aliases, scope, ref.location);
}

std::unique_ptr<JoinNode> Binder::BindFunctionScan(const ast::TableRef& ref, Scope* scope) {
  if (ref.function != nullptr && ref.function->kind == ast::ExprKind::kFuncCall) {
    const ast::Expr& f = *ref.function;
    std::string name = f.names.empty() ? "" : f.names.back();
    std::transform(name.begin(), name.end(), name.begin(), ::tolower);
    if (name == "hypertable_compression_stats" || name == "chunk_compression_stats") {
      return BindCompressionStatsScan(ref, name, scope);
    }
  }
  // The functions: ROWS FROM's items or the one call, a multi-argument unnest without a column
  // definition list being one unnest per argument (PostgreSQL's transformRangeFunction).
  struct Item {
    const ast::Expr* call;
    const ast::Expr* unnest_arg;  // of a multi-argument unnest
    const std::vector<ast::TableRef::ColumnDef>* defs;
  };
  std::vector<Item> items;
  auto add = [&](const ast::Expr& call, const std::vector<ast::TableRef::ColumnDef>* defs) {
    const bool unnest = call.kind == ast::ExprKind::kFuncCall && call.names.size() == 1 &&
                        call.names[0] == "unnest" && call.args.size() > 1 &&
                        call.arg_names.empty() && !call.distinct && !call.star;
    if (unnest && defs == nullptr) {
      for (const auto& a : call.args) items.push_back({&call, a.get(), nullptr});
    } else {
      items.push_back({&call, nullptr, defs});
    }
  };
  const std::vector<ast::TableRef::ColumnDef>* outer_defs =
      ref.has_column_defs ? &ref.column_defs : nullptr;
  if (ref.function != nullptr) {
    const ast::Expr& f = *ref.function;
    if (outer_defs != nullptr && f.kind == ast::ExprKind::kFuncCall && f.names.size() == 1 &&
        f.names[0] == "unnest" && f.args.size() > 1) {
      Error err(SqlState::kSyntaxError,
                "UNNEST() with multiple arguments cannot have a column definition list");
      err.Hint(
          "Use separate UNNEST() calls inside ROWS FROM(), and attach a column definition list "
          "to each one.");
      err.Position(outer_defs->front().location + 1);
      throw err;
    }
    add(f, outer_defs);
  } else {
    for (const auto& item : ref.rows_from) {
      add(*item.function, item.has_column_defs ? &item.column_defs : nullptr);
    }
    if (outer_defs != nullptr) {
      if (items.size() != 1) {
        Error err(SqlState::kSyntaxError,
                  "ROWS FROM() with multiple functions cannot have a column definition list");
        err.Hint("Put a separate column definition list for each function inside ROWS FROM().");
        err.Position(outer_defs->front().location + 1);
        throw err;
      }
      items[0].defs = outer_defs;
    }
  }
  if (outer_defs != nullptr && ref.with_ordinality) {
    Error err(SqlState::kSyntaxError,
              "WITH ORDINALITY cannot be used with a column definition list");
    err.Hint("Put the column definition list inside ROWS FROM().");
    err.Position(outer_defs->front().location + 1);
    throw err;
  }
  // The arguments see the earlier FROM items (a function in FROM is implicitly LATERAL).
  ClauseScopeGuard restore{this, clause_, active_scope_};
  Scope empty;
  clause_ = Clause::kFromFunction;
  active_scope_ = lateral_scope_ ? lateral_scope_ : &empty;
  std::vector<std::shared_ptr<PlanNode>> plans;
  for (const Item& item : items) {
    FromFunction f;
    f.call = item.call;
    f.column_defs = item.defs;
    f.scalar_name = FigureColname(*item.call);
    // A lone function's scalar column takes the alias.
    if (items.size() == 1 && ref.alias) f.scalar_name = *ref.alias;
    if (item.unnest_arg != nullptr) {
      plans.push_back(BindUnnestScan(f, *item.unnest_arg));
    } else {
      plans.push_back(BindFromFunction(f));
    }
  }
  std::shared_ptr<PlanNode> plan;
  if (plans.size() == 1) {
    plan = std::move(plans[0]);
  } else {
    // ROWS FROM: the functions side by side, the shorter ones padded with NULLs.
    plan = std::make_shared<PlanNode>();
    plan->kind = PlanKind::kFunctionScan;
    plan->function_name = "rows_from";
    for (auto& p : plans) {
      plan->output_types.insert(plan->output_types.end(), p->output_types.begin(),
                                p->output_types.end());
      plan->output_names.insert(plan->output_names.end(), p->output_names.begin(),
                                p->output_names.end());
      plan->children.push_back(std::move(p));
    }
  }
  // Without an alias the range is named after the first function.
  std::unique_ptr<JoinNode> node =
      FinishFunctionScan(ref, std::move(plan), FigureColname(*items[0].call), scope);
  MakeLateralFunction(node.get());
  return node;
}

std::shared_ptr<PlanNode> Binder::BindFromFunction(const FromFunction& f) {
  // Special forms (COALESCE(...), CURRENT_DATE, ...) are bound as any other call.
  std::string name =
      f.call->kind != ast::ExprKind::kFuncCall || f.call->names.empty() ? "" : f.call->names.back();
  std::transform(name.begin(), name.end(), name.begin(), ::tolower);
  std::shared_ptr<PlanNode> plan;
  if (name == "generate_series") {
    plan = BindGenerateSeries(f);
  } else if (IsJsonTableFunction(name)) {
    plan = BindJsonTableScan(f, name);
  } else if (IsJsonRecordFunction(name)) {
    return BindJsonRecordScan(f, name);
  } else if (name != "unnest") {
    return BindCallScan(f);
  } else {
    const ast::Expr& call = *f.call;
    if (call.args.size() != 1 || !call.arg_names.empty() || call.distinct || call.star) {
      ThrowAt(call.location, SqlState::kFeatureNotSupported,
              "unnest() with other than one array argument is not supported");
    }
    plan = BindUnnestScan(f, *call.args[0]);
  }
  if (f.column_defs != nullptr) {
    ThrowAt(f.column_defs->front().location, SqlState::kSyntaxError,
            "a column definition list is only allowed for functions returning \"record\"");
  }
  return plan;
}

void Binder::ApplyColumnDefs(const std::vector<ast::TableRef::ColumnDef>& defs, PlanNode* plan) {
  for (const ast::TableRef::ColumnDef& d : defs) {
    if (std::find(plan->output_names.begin(), plan->output_names.end(), d.name) !=
        plan->output_names.end()) {
      Throw(SqlState::kDuplicateColumn, "column name \"{}\" specified more than once", d.name);
    }
    uint32_t domain = 0;
    plan->output_types.push_back(ResolveTypeName(d.type, ctx_, &domain));
    plan->output_names.push_back(d.name);
  }
}

void Binder::ThrowColumnDefsRequired(int location) {
  ThrowAt(location, SqlState::kSyntaxError,
          "a column definition list is required for functions returning \"record\"");
}

std::shared_ptr<PlanNode> Binder::BindUnnestScan(const FromFunction& f, const ast::Expr& a) {
  BoundExprPtr arg = BindExpr(a);
  if (arg->type.id == TypeId::kUnknown) {
    Error err(SqlState::kAmbiguousFunction, "function unnest(unknown) is not unique");
    err.Hint(
        "Could not choose a best candidate function. You might need to add explicit type "
        "casts.");
    if (f.call->location >= 0) err.Position(f.call->location + 1);
    throw err;
  }
  if (!IsArrayType(arg->type.id)) ThrowNoFunction(f.call->location, "unnest", {arg});
  auto plan = std::make_shared<PlanNode>();
  plan->kind = PlanKind::kFunctionScan;
  plan->exprs = {arg};
  // Elements of a composite type give their fields as columns.
  if (const std::vector<CompositeField>* fields = FieldsOfType(ElementTypeOf(arg->type))) {
    for (const CompositeField& c : *fields) {
      plan->output_types.push_back(c.type);
      plan->output_names.push_back(c.name);
    }
    return plan;
  }
  return ScalarFunctionScan(std::move(plan), ElementTypeOf(arg->type), f);
}

// generate_series(start, stop [, step]): integer, bigint and numeric series (step 1 by
// default), timestamp and timestamptz series (with an interval step), as PostgreSQL's
// generate_series_int4/int8/numeric/timestamp[tz]. Binds and coerces the arguments; returns the
// series' type.
Type Binder::BindGenerateSeriesArgs(const ast::Expr& f, std::vector<BoundExprPtr>* out) {
  std::vector<BoundExprPtr>& args = *out;
  for (const auto& a : f.args) args.push_back(BindExpr(*a));
  if (f.args.size() < 2 || f.args.size() > 3 || !f.arg_names.empty() || f.distinct || f.star) {
    ThrowNoFunction(f.location, "generate_series", args);
  }
  auto is = [&](size_t i, std::initializer_list<TypeId> ids) {
    for (TypeId id : ids) {
      if (args[i]->type.id == id) return true;
    }
    return false;
  };
  const bool times = is(0, {TypeId::kTimestamp, TypeId::kTimestampTz, TypeId::kDate}) ||
                     is(1, {TypeId::kTimestamp, TypeId::kTimestampTz, TypeId::kDate});
  Type result;
  if (times) {
    // timestamp, timestamp, interval; timestamptz if either bound is one (or a date or an
    // unknown literal beside one).
    if (args.size() != 3) ThrowNoFunction(f.location, "generate_series", args);
    bool tz = is(0, {TypeId::kTimestampTz}) || is(1, {TypeId::kTimestampTz});
    result = T(tz ? TypeId::kTimestampTz : TypeId::kTimestamp);
  } else {
    // The integer/numeric candidates: the widest of the arguments' types; unknown literals
    // are integers.
    TypeId widest = TypeId::kInt32;
    for (size_t i = 0; i < args.size(); ++i) {
      if (is(i, {TypeId::kInt16, TypeId::kInt32, TypeId::kUnknown})) continue;
      if (is(i, {TypeId::kInt64})) {
        if (widest == TypeId::kInt32) widest = TypeId::kInt64;
      } else if (is(i, {TypeId::kNumeric})) {
        widest = TypeId::kNumeric;
      } else {
        ThrowNoFunction(f.location, "generate_series", args);
      }
    }
    result = T(widest);
  }
  for (size_t i = 0; i < args.size(); ++i) {
    Type want = i == 2 && times ? T(TypeId::kInterval) : result;
    args[i] = Coerce(args[i], want, CoercionContext::kImplicit, f.args[i]->location);
  }
  return result;
}

// FROM generate_series(...).
std::shared_ptr<PlanNode> Binder::BindGenerateSeries(const FromFunction& f) {
  std::vector<BoundExprPtr> args;
  Type result = BindGenerateSeriesArgs(*f.call, &args);
  auto plan = std::make_shared<PlanNode>();
  plan->kind = PlanKind::kFunctionScan;
  plan->function_name = "generate_series";
  plan->exprs = std::move(args);
  return ScalarFunctionScan(std::move(plan), result, f);
}

std::unique_ptr<JoinNode> Binder::BindTransitionTable(const ast::TableRef& ref,
                                                      const PlannerContext::TransitionTable& t,
                                                      Scope* scope) {
  auto plan = std::make_shared<PlanNode>();
  plan->output_types = t.types;
  plan->output_names = t.names;
  if (t.rows == nullptr || t.rows->empty()) {
    plan->kind = PlanKind::kResult;
    plan->no_rows = true;
    for (const Type& type : t.types) plan->exprs.push_back(MakeConst(Value::Null(type)));
  } else {
    plan->kind = PlanKind::kValues;
    for (const std::vector<Value>& row : *t.rows) {
      std::vector<BoundExprPtr> exprs;
      for (size_t c = 0; c < t.types.size(); ++c) {
        exprs.push_back(MakeConst(row[c].is_null ? Value::Null(t.types[c]) : row[c]));
      }
      plan->values_rows.push_back(std::move(exprs));
    }
  }
  RangeEntry entry;
  entry.alias = ref.alias.value_or(ref.name.parts[0]);
  AliasColumns(ref, t.names, t.types, &entry);
  auto node = AddRange(std::move(entry), scope, ref.location);
  node->plan = std::move(plan);
  return node;
}

// PostgreSQL's transformRangeTableSample: the method (bernoulli or system, also
// pg_catalog-qualified), one float4 argument, and REPEATABLE's float8 seed, bound where no FROM
// item is visible (the sampled table's own range is already listed, for the errors' hints).
std::shared_ptr<const TableSample> Binder::BindTableSample(const ast::TableRef::TableSample& ts) {
  const std::vector<std::string>& parts = ts.method.parts;
  const std::string& method = parts.empty() ? "" : parts.back();
  const bool builtin_schema = parts.size() == 1 || (parts.size() == 2 && parts[0] == "pg_catalog");
  auto sample = std::make_shared<TableSample>();
  if (builtin_schema && method == "bernoulli") {
    sample->method = SampleMethod::kBernoulli;
  } else if (builtin_schema && method == "system") {
    sample->method = SampleMethod::kSystem;
  } else {
    ThrowAt(ts.location, SqlState::kUndefinedObject, "tablesample method {} does not exist",
            fmt::join(parts, "."));
  }
  if (ts.args.size() != 1) {
    ThrowAt(ts.location, SqlState::kInvalidTablesampleArgument,
            "tablesample method {} requires 1 argument, not {}", method, ts.args.size());
  }
  ClauseScopeGuard restore{this, clause_, active_scope_};
  Scope empty;
  clause_ = Clause::kFromFunction;
  active_scope_ = &empty;
  auto bind = [&](const ast::Expr& e, TypeId to, const char* what, const char* type_name) {
    BoundExprPtr b = BindExpr(e);
    bool outer = false;
    VisitExpr(b, [&outer](const BoundExpr& n, int depth) {
      outer |= n.kind == BoundExprKind::kOuterColumn && n.outer_depth > depth;
    });
    if (outer) {
      ThrowAt(e.location, SqlState::kFeatureNotSupported,
              "TABLESAMPLE arguments that read an outer query's columns are not supported");
    }
    // coerce_to_specific_type: assignment casts (a float8 argument is rounded to real).
    if (b->type.id != to && b->type.id != TypeId::kUnknown &&
        !CanCoerce(b->type.id, to, CoercionContext::kAssignment)) {
      ThrowAt(e.location, SqlState::kDatatypeMismatch,
              "argument of {} must be type {}, not type {}", what, type_name,
              TypeDisplayName(b->type));
    }
    return Coerce(b, T(to), CoercionContext::kAssignment, e.location);
  };
  sample->percent = bind(*ts.args[0], TypeId::kFloat32, "TABLESAMPLE", "real");
  if (ts.repeatable) {
    sample->seed = bind(*ts.repeatable, TypeId::kFloat64, "REPEATABLE", "double precision");
  }
  return sample;
}

std::unique_ptr<JoinNode> Binder::BindFromItem(const ast::TableRef& ref, Scope* scope) {
  switch (ref.kind) {
    case ast::TableRefKind::kTable: {
      // PostgreSQL's transformRangeTableSample: only a table takes TABLESAMPLE.
      auto not_sampled = [&ref] {
        if (!ref.tablesample) return;
        ThrowAt(ref.location, SqlState::kFeatureNotSupported,
                "TABLESAMPLE clause can only be applied to tables and materialized views");
      };
      if (ref.name.parts.size() == 1) {
        Binder* owner = nullptr;
        if (const ast::CommonTableExpr* cte = FindCte(ref.name.name(), &owner)) {
          not_sampled();
          auto node = BindCteRef(*cte, owner, ref, scope);
          if (!ranges_.empty() && ranges_.back().first == node->first) {
            ranges_.back().lock_refusal = "a WITH query";
          }
          return node;
        }
      }
      if (const pg_catalog::SystemRelation* rel = LookupSystemRelation(ref.name)) {
        if (rel->is_view()) {
          not_sampled();
          StoredTextScope stored(ctx_);
          auto query = ParseSelect(rel->view_sql);
          return BindDerived(*query, ref.alias.value_or(rel->name), ref.column_aliases, scope,
                             ref.location);
        }
        auto p = std::make_shared<PlanNode>();
        p->kind = PlanKind::kSystemView;
        p->system_view = rel->name;
        p->system_relation = rel;
        for (const pg_catalog::SystemColumn& c : rel->columns) {
          p->output_names.push_back(c.name);
          p->output_types.push_back(c.type);
        }
        RangeEntry entry;
        entry.alias = ref.alias.value_or(rel->name);
        entry.origin = rel->oid;
        AliasColumns(ref, p->output_names, p->output_types, &entry);
        PlanPtr plan = std::move(p);
        if (ctx_->system_columns) {
          // The hidden tableoid column (pg_dump reads x.tableoid of every catalog relation):
          // the relation's own oid.
          std::vector<BoundExprPtr> exprs;
          for (size_t i = 0; i < plan->output_types.size(); ++i) {
            exprs.push_back(MakeColumn(static_cast<int>(i), plan->output_types[i]));
          }
          exprs.push_back(MakeConst(Value::Int(TypeId::kOid, rel->oid)));
          std::vector<std::string> names = plan->output_names;
          names.push_back("tableoid");
          plan = MakeProject(std::move(plan), std::move(exprs), std::move(names));
          entry.columns.push_back("tableoid");
          entry.types.push_back(Type::Of(TypeId::kOid));
          entry.hidden = 1;
        }
        auto node = AddRange(std::move(entry), scope, ref.location);
        if (ref.tablesample) {
          // A catalog relation's rows are built, not stored: sampled by position, in a Filter
          // (which also keeps scan keys from narrowing the rows before the sample).
          auto sampled = std::make_shared<PlanNode>();
          sampled->kind = PlanKind::kFilter;
          sampled->output_types = plan->output_types;
          sampled->output_names = plan->output_names;
          sampled->sample = BindTableSample(*ref.tablesample);
          sampled->children.push_back(std::move(plan));
          plan = std::move(sampled);
        }
        node->plan = std::move(plan);
        return node;
      }
      if (PlanPtr sys = SystemViewPlan(ref.name)) {
        not_sampled();
        RangeEntry entry;
        entry.alias = ref.alias.value_or(sys->system_view);
        AliasColumns(ref, sys->output_names, sys->output_types, &entry);
        auto node = AddRange(std::move(entry), scope, ref.location);
        node->plan = std::move(sys);
        return node;
      }
      if (ref.name.parts.size() == 1) {
        auto tt = ctx_->transition_tables.find(ref.name.parts[0]);
        if (tt != ctx_->transition_tables.end()) {
          not_sampled();
          return BindTransitionTable(ref, tt->second, scope);
        }
      }
      auto table = LookupTable(ref.name);
      RequirePrivilege(table, storage::acl::kSelect);
      if (ctx_->relation_mentions != nullptr && ctx_->stored_text_depth == 0) {
        ctx_->relation_mentions->push_back(
            {ref.name.location >= 0 ? ref.name.location : ref.location, ref.name.parts.size() > 1,
             table->schema, table->oid});
      }
      if (table->matview && !table->matview->populated) {
        throw Error(SqlState::kObjectNotInPrerequisiteState,
                    fmt::format("materialized view \"{}\" has not been populated", table->name))
            .Hint("Use the REFRESH MATERIALIZED VIEW command.");
      }
      if (table->is_view) {
        not_sampled();
        std::vector<storage::Oid>& expanding = ctx_->expanding_views;
        if (std::find(expanding.begin(), expanding.end(), table->oid) != expanding.end()) {
          if (!ctx_->tolerate_view_recursion) {
            Throw(SqlState::kInvalidObjectDefinition,
                  "infinite recursion detected in rules for relation \"{}\"", table->name);
          }
          auto empty = std::make_shared<PlanNode>();
          empty->kind = PlanKind::kResult;
          empty->no_rows = true;
          RangeEntry entry;
          entry.alias = ref.alias.value_or(table->name);
          std::vector<std::string> names;
          std::vector<Type> types;
          for (const auto& c : table->columns) {
            auto null = std::make_shared<BoundExpr>();
            null->kind = BoundExprKind::kConstant;
            null->type = c.type;
            null->value = Value::Null();
            empty->exprs.push_back(std::move(null));
            empty->output_types.push_back(c.type);
            empty->output_names.push_back(c.name);
            names.push_back(c.name);
            types.push_back(c.type);
          }
          AliasColumns(ref, names, types, &entry);
          auto node = AddRange(std::move(entry), scope, ref.location);
          node->plan = std::move(empty);
          return node;
        }
        expanding.push_back(table->oid);
        struct PopView {
          std::vector<storage::Oid>* stack;
          ~PopView() { stack->pop_back(); }
        } pop_view{&expanding};
        StoredTextScope stored(ctx_);
        auto query = ParseSelect(table->view_sql);
        std::vector<std::string> aliases =
            ref.column_aliases.empty() ? table->view_columns : ref.column_aliases;
        // The view's query reads with its owner's privileges, or with those of the user who
        // reads it (whoever that is at this level) when it has security_invoker.
        struct CheckAs {
          PlannerContext* ctx;
          uint32_t saved;
          ~CheckAs() { ctx->check_as = saved; }
        } check_as{ctx_, ctx_->check_as};
        if (!table->ViewOption("security_invoker")) ctx_->check_as = table->owner;
        auto node =
            BindDerived(*query, ref.alias.value_or(table->name), aliases, scope, ref.location);
        if (!ranges_.empty() && ranges_.back().first == node->first) {
          ranges_.back().origin = table->oid;  // a view's columns come from the view
        }
        return node;
      }
      RangeEntry entry;
      entry.alias = ref.alias.value_or(table->name);
      entry.schema = ref.alias ? "" : table->schema;
      entry.table = table;
      entry.origin = table->oid;
      std::vector<std::string> names;
      std::vector<Type> types;
      for (const auto& c : table->columns) {
        names.push_back(c.name);
        types.push_back(c.type);
      }
      AliasColumns(ref, names, types, &entry);
      if (ctx_->write_targets.count(table->oid) && !ctx_->in_snapshot) {
        if (ref.tablesample) {
          ThrowAt(ref.location, SqlState::kFeatureNotSupported,
                  "TABLESAMPLE on a table that the statement modifies is not supported");
        }
        return BindSnapshotRef(table, std::move(entry), scope, ref.location);
      }
      if (table->is_sequence()) {
        not_sampled();
        // One row read from the sequence's state (SequenceScan), like a derived table.
        auto scan = std::make_shared<PlanNode>();
        scan->kind = PlanKind::kSequenceScan;
        scan->table = table;
        for (const auto& c : table->columns) {
          scan->output_types.push_back(c.type);
          scan->output_names.push_back(c.name);
        }
        entry.table = nullptr;
        auto node = AddRange(std::move(entry), scope, ref.location);
        node->plan = std::move(scan);
        return node;
      }
      const bool tableoid = ctx_->system_columns;
      if (tableoid) {
        entry.columns.push_back("tableoid");
        entry.types.push_back(Type::Of(TypeId::kOid));
        entry.hidden = 1;
      }
      auto node = AddRange(std::move(entry), scope, ref.location);
      node->has_tableoid = tableoid;
      if (!ref.only) node->inheritance = InheritanceMembers(*table);
      if (ref.tablesample) node->sample = BindTableSample(*ref.tablesample);
      return node;
    }
    case ast::TableRefKind::kSubquery:
    case ast::TableRefKind::kValues:
      if (ref.lateral) return BindLateralDerived(ref, scope);
      return BindDerived(*ref.subquery, ref.alias.value_or(""), ref.column_aliases, scope,
                         ref.location);
    case ast::TableRefKind::kFunction:
      return BindFunctionScan(ref, scope);
    case ast::TableRefKind::kJoin:
      break;
  }
  return ref.alias ? BindAliasedJoin(ref, scope) : BindJoin(ref, scope);
}

std::unique_ptr<JoinNode> Binder::BindAliasedJoin(const ast::TableRef& ref, Scope* scope) {
  // PostgreSQL's join alias: the join's columns (as `*` shows them: the merged USING columns
  // first) under the alias, and the tables inside no longer reachable by their names. The
  // join is planned here and read as one FROM item of those columns.
  Scope inner;
  std::unique_ptr<JoinNode> join = BindJoin(ref, &inner);
  if (ref.column_aliases.size() > inner.visible.size()) {
    Throw(SqlState::kInvalidColumnReference,
          "join expression \"{}\" has {} columns available but {} columns specified", *ref.alias,
          inner.visible.size(), ref.column_aliases.size());
  }
  std::set<int> needed;
  for (const VisibleColumn& v : inner.visible) CollectColumns(v.expr, &needed);
  PlannedRel rel = PlanJoinTree(*join, needed, {});
  std::map<int, int> pos;
  for (size_t i = 0; i < rel.cols.size(); ++i) pos[rel.cols[i]] = static_cast<int>(i);
  auto map = [&pos](int c) {
    auto it = pos.find(c);
    return it == pos.end() ? -1 : it->second;
  };
  std::vector<BoundExprPtr> exprs;
  std::vector<std::string> names;
  for (const VisibleColumn& v : inner.visible) {
    exprs.push_back(RemapColumns(v.expr, map));
    names.push_back(v.name);
  }
  auto node = AddPlanRange(MakeProject(rel.plan, std::move(exprs), std::move(names)), *ref.alias,
                           ref.column_aliases, scope, ref.location);
  ranges_.back().lock_refusal = "a join";
  return node;
}

std::unique_ptr<JoinNode> Binder::BindJoin(const ast::TableRef& ref, Scope* scope) {
  Scope left_scope, right_scope;
  auto left = BindFromItem(*ref.left, &left_scope);
  // A LATERAL item on the right sees the left side too.
  Scope lateral;
  if (lateral_scope_) lateral = *lateral_scope_;
  lateral.ranges.insert(lateral.ranges.end(), left_scope.ranges.begin(), left_scope.ranges.end());
  lateral.visible.insert(lateral.visible.end(), left_scope.visible.begin(),
                         left_scope.visible.end());
  Scope* saved_lateral = lateral_scope_;
  lateral_scope_ = &lateral;
  std::unique_ptr<JoinNode> right;
  try {
    right = BindFromItem(*ref.right, &right_scope);
  } catch (...) {
    lateral_scope_ = saved_lateral;
    throw;
  }
  lateral_scope_ = saved_lateral;
  const bool right_lateral = right->kind == JoinNode::Kind::kLeaf && !right->lateral_refs.empty();
  Scope local;
  local.ranges = left_scope.ranges;
  local.ranges.insert(local.ranges.end(), right_scope.ranges.begin(), right_scope.ranges.end());

  std::vector<BoundExprPtr> conds;
  std::vector<std::string> using_cols = ref.using_columns;
  if (ref.natural) {
    for (const auto& lv : left_scope.visible) {
      bool in_right = std::any_of(right_scope.visible.begin(), right_scope.visible.end(),
                                  [&](const VisibleColumn& v) { return v.name == lv.name; });
      if (in_right &&
          std::find(using_cols.begin(), using_cols.end(), lv.name) == using_cols.end()) {
        using_cols.push_back(lv.name);
      }
    }
  }
  auto find_one = [&](const Scope& s, const std::string& name, const char* side) {
    const VisibleColumn* found = nullptr;
    for (const auto& v : s.visible) {
      if (v.name != name) continue;
      if (found) {
        ThrowAt(ref.location, SqlState::kAmbiguousColumn,
                "common column name \"{}\" appears more than once in {} table", name, side);
      }
      found = &v;
    }
    if (!found) {
      ThrowAt(ref.location, SqlState::kUndefinedColumn,
              "column \"{}\" specified in USING clause does not exist in {} table", name, side);
    }
    return found;
  };
  ast::JoinType jt = ref.join_type;
  for (const auto& name : using_cols) {
    const VisibleColumn* l = find_one(left_scope, name, "left");
    const VisibleColumn* r = find_one(right_scope, name, "right");
    std::vector<BoundExprPtr> pair = {l->expr, r->expr};
    CommonType(&pair, {ref.location, ref.location}, "JOIN/USING");
    conds.push_back(BindComparison("=", pair[0], pair[1], ref.location));
    BoundExprPtr merged;
    if (jt == ast::JoinType::kFull) {
      merged = MakeExpr(BoundExprKind::kCoalesce, pair[0]->type, {pair[0], pair[1]});
    } else {
      merged = jt == ast::JoinType::kRight ? pair[1] : pair[0];
    }
    local.visible.push_back({name, merged});
  }
  auto not_using = [&](const VisibleColumn& v) {
    return std::find(using_cols.begin(), using_cols.end(), v.name) == using_cols.end();
  };
  for (const auto& v : left_scope.visible)
    if (not_using(v)) local.visible.push_back(v);
  for (const auto& v : right_scope.visible)
    if (not_using(v)) local.visible.push_back(v);

  if (ref.join_condition) {
    Scope* saved_scope = active_scope_;
    Clause saved_clause = clause_;
    active_scope_ = &local;
    clause_ = Clause::kJoinOn;
    try {
      SplitConjuncts(BindCondition(*ref.join_condition, "JOIN/ON"), &conds);
    } catch (...) {
      active_scope_ = saved_scope;
      clause_ = saved_clause;
      throw;
    }
    active_scope_ = saved_scope;
    clause_ = saved_clause;
  } else if (jt != ast::JoinType::kCross && !ref.natural && ref.using_columns.empty() &&
             jt != ast::JoinType::kInner) {
    ThrowAt(ref.location, SqlState::kSyntaxError, "syntax error: JOIN requires a condition");
  }

  auto node = std::make_unique<JoinNode>();
  node->first = left->first;
  node->count = left->count + right->count;
  if (right_lateral && (jt == ast::JoinType::kRight || jt == ast::JoinType::kFull)) {
    const RangeEntry& r = ranges_[row_[*right->lateral_refs.begin()].range_index];
    Error err(SqlState::kInvalidColumnReference,
              fmt::format("invalid reference to FROM-clause entry for table \"{}\"", r.alias));
    err.Detail("The combining JOIN type must be INNER or LEFT for a LATERAL reference.");
    throw err;
  }
  if (right_lateral) {
    node->kind = JoinNode::Kind::kOuter;
    node->lateral = true;
    node->join_type = jt == ast::JoinType::kLeft ? JoinType::kLeft : JoinType::kInner;
    node->children.push_back(std::move(left));
    node->children.push_back(std::move(right));
    node->conjuncts = std::move(conds);
  } else if (jt == ast::JoinType::kInner || jt == ast::JoinType::kCross) {
    node->kind = JoinNode::Kind::kInner;
    AppendInner(node.get(), std::move(left));
    AppendInner(node.get(), std::move(right));
    for (auto& c : conds) node->conjuncts.push_back(std::move(c));
  } else {
    node->kind = JoinNode::Kind::kOuter;
    node->join_type = jt == ast::JoinType::kLeft    ? JoinType::kLeft
                      : jt == ast::JoinType::kRight ? JoinType::kRight
                                                    : JoinType::kFull;
    node->children.push_back(std::move(left));
    node->children.push_back(std::move(right));
    node->conjuncts = std::move(conds);
  }
  scope->ranges.insert(scope->ranges.end(), local.ranges.begin(), local.ranges.end());
  scope->visible.insert(scope->visible.end(), local.visible.begin(), local.visible.end());
  return node;
}

std::unique_ptr<JoinNode> Binder::BindFromList(const std::vector<ast::TableRefPtr>& from) {
  if (from.empty()) return nullptr;
  auto root = std::make_unique<JoinNode>();
  root->kind = JoinNode::Kind::kInner;
  root->first = static_cast<int>(row_.size());
  struct RestoreLateral {
    Binder* b;
    Scope* saved;
    ~RestoreLateral() { b->lateral_scope_ = saved; }
  } restore{this, lateral_scope_};
  Scope before;  // the items of this list bound so far (not UPDATE's or DELETE's target)
  for (const auto& item : from) {
    Scope item_scope;
    // A LATERAL item sees the items before it.
    lateral_scope_ = &before;
    auto node = BindFromItem(*item, &item_scope);
    before.ranges.insert(before.ranges.end(), item_scope.ranges.begin(), item_scope.ranges.end());
    before.visible.insert(before.visible.end(), item_scope.visible.begin(),
                          item_scope.visible.end());
    if (node->kind == JoinNode::Kind::kLeaf && !node->lateral_refs.empty()) {
      if (root->children.empty()) {
        Throw(SqlState::kInternalError, "LATERAL item reads no earlier item");
      }
      // A member of the inner group like any other: the planner joins it once the items it
      // reads are joined (join_planner.cpp PlanInner), not after everything before it.
    } else if (node->kind == JoinNode::Kind::kOuter && node->lateral &&
               node->join_type == JoinType::kInner && !root->children.empty()) {
      // `a, b JOIN LATERAL (... a ...) s ON c` is `a, b, LATERAL s WHERE c`.
      AppendInner(root.get(), std::move(node->children[0]));
      root->children.push_back(std::move(node->children[1]));
      for (auto& c : node->conjuncts) root->conjuncts.push_back(std::move(c));
      node = nullptr;
    } else if (node->kind == JoinNode::Kind::kOuter && node->lateral && !root->children.empty()) {
      // `a, b [LEFT] JOIN LATERAL (... a ...) s ON ...` is `(a CROSS JOIN b) [LEFT] JOIN
      // LATERAL ...` when s reads an item before the join.
      const JoinNode& l = *node->children[0];
      bool outside = false;
      for (int c : node->children[1]->lateral_refs) outside |= c < l.first;
      if (outside) {
        auto before = std::move(root);
        before->count = node->first - before->first;
        auto left = std::make_unique<JoinNode>();
        left->kind = JoinNode::Kind::kInner;
        left->first = before->first;
        left->count = before->count + l.count;
        AppendInner(left.get(), std::move(before));
        AppendInner(left.get(), std::move(node->children[0]));
        node->first = left->first;
        node->count = left->count + node->children[1]->count;
        node->children[0] = std::move(left);
        root = std::make_unique<JoinNode>();
        root->kind = JoinNode::Kind::kInner;
        root->first = node->first;
      }
    }
    // Duplicate aliases across comma items.
    for (int idx : item_scope.ranges) {
      const RangeEntry& r = ranges_[idx];
      if (r.alias.empty()) continue;
      for (int other : scope_.ranges) {
        if (ranges_[other].alias == r.alias && ranges_[other].schema == r.schema) {
          ThrowAt(item->location, SqlState::kDuplicateAlias,
                  "table name \"{}\" specified more than once", r.alias);
        }
      }
    }
    scope_.ranges.insert(scope_.ranges.end(), item_scope.ranges.begin(), item_scope.ranges.end());
    scope_.visible.insert(scope_.visible.end(), item_scope.visible.begin(),
                          item_scope.visible.end());
    if (node) AppendInner(root.get(), std::move(node));
  }
  root->count = static_cast<int>(row_.size()) - root->first;
  return root;
}

std::unique_ptr<JoinNode> Binder::JoinTargetWithFrom(std::unique_ptr<JoinNode> target,
                                                     const std::vector<ast::TableRefPtr>& from) {
  auto root = std::make_unique<JoinNode>();
  root->kind = JoinNode::Kind::kInner;
  root->first = target->first;
  target->emit_row_location = true;
  root->children.push_back(std::move(target));
  AppendInner(root.get(), BindFromList(from));
  root->count = static_cast<int>(row_.size()) - root->first;
  return root;
}

}  // namespace activestore::planner
