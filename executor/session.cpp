#include "executor/session.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <unordered_set>

#include "common/array.h"
#include "common/interval.h"
#include "common/metrics.h"
#include "common/pg_lsn.h"
#include "common/reg_types.h"
#include "common/type_registry.h"
#include "common/value_ops.h"
#include "executor/query_stream.h"
#include "executor/reg_resolver.h"
#include "parser/ast_function.h"
#include "parser/normalize.h"
#include "parser/parser.h"
#include "planner/bound_expr_util.h"
#include "planner/interrupts.h"
#include "planner/user_functions.h"
#include "storage/acl.h"
#include "storage/table_store.h"

namespace activestore::executor {

std::shared_ptr<const parser::StatementFingerprint> StatementImpl::Fingerprint(
    std::string_view text) const {
  std::call_once(fingerprint_once_, [&] {
    if (text.empty()) text = stats_text_.empty() ? sql_ : stats_text_;
    fingerprint_ =
        std::make_shared<parser::StatementFingerprint>(parser::FingerprintStatement(text));
  });
  return fingerprint_;
}

bool StatementImpl::IsQuery() const {
  if (!ast_) return false;
  switch (ast_->kind) {
    case ast::StmtKind::kSelect:
    case ast::StmtKind::kInsert:
    case ast::StmtKind::kUpdate:
    case ast::StmtKind::kDelete:
    case ast::StmtKind::kMerge:
      return true;
    default:
      return false;
  }
}

namespace {

bool IsDml(const planner::PlanNode& p) { return planner::IsDataModifying(p.kind); }

}  // namespace

// The first data-modifying WITH query of a plan (its kInsert/kUpdate/kDelete), or null.
const planner::PlanNode* FirstDmlCte(const planner::PlanNode& p) {
  for (const planner::PlanPtr& init : p.init_plans) {
    if (IsDml(*init->cte_plan)) return init->cte_plan.get();
  }
  return nullptr;
}

// Whether a plan calls a VOLATILE user-defined function, whose body may write.
bool CallsVolatileFunction(const planner::PlanNode& p) {
  bool found = false;
  if (IsDml(p)) return false;  // a write anyway
  planner::VisitPlan(
      planner::PlanPtr(planner::PlanPtr(), &p),
      [&](const planner::BoundExpr& e, int) {
        if (e.user_function && e.user_function->function->volatility == 'v') {
          found = true;
        }
      },
      0);
  return found;
}

// Whether a plan writes: a DML statement, or any statement with a data-modifying WITH query.
static bool Writes(const planner::PlanNode& p) { return IsDml(p) || FirstDmlCte(p) != nullptr; }

// The LockRows node of a SELECT ... FOR UPDATE/SHARE (the top query's), or null.
const planner::PlanNode* FindLockRows(const planner::PlanNode& p) {
  if (p.kind == planner::PlanKind::kLockRows) return &p;
  for (const auto& c : p.children) {
    if (const planner::PlanNode* l = FindLockRows(*c)) return l;
  }
  return nullptr;
}

namespace {

Type TypeFromOid(uint32_t oid) {
  switch (oid) {
    case 0:
      return Type::Of(TypeId::kUnknown);
    case 19:  // name
      return Type::Of(TypeId::kText);
    case static_cast<uint32_t>(TypeId::kVoid):
      break;
    default:
      if (const TypeInfo* t = FindTypeByOid(oid)) return Type::Of(t->id);
      break;
  }
  Throw(SqlState::kFeatureNotSupported, "parameters of type oid {} are not supported yet", oid);
}

std::string JoinPath(const std::vector<std::string>& sp) {
  std::string out;
  for (const auto& s : sp) {
    out += s;
    out += ',';
  }
  return out;
}

}  // namespace

SessionImpl::SessionImpl(NodeEngineImpl* engine, storage::DatabaseInfo db, std::string user)
    : engine_(engine),
      db_(std::move(db)),
      user_(std::move(user)),
      settings_(engine->options().server_version),
      sequences_(engine->catalog()->sequences()),
      notifications_(engine->notifications(), db_.oid) {
  settings_.SetInternal("session_authorization", user_);
  session_user_name_ = current_user_name_ = user_;
  if (const storage::RoleInfo* r = engine->catalog()->Snapshot()->FindRole(user_)) {
    authenticated_user_oid_ = session_user_oid_ = user_oid_ = r->oid;
    settings_.SetInternal("is_superuser", r->superuser ? "on" : "off");
  }
  settings_.SetInternal("max_prepared_transactions",
                        std::to_string(engine->options().max_prepared_transactions));
  settings_.SetInternal("max_connections", std::to_string(engine->options().max_connections));
  settings_.SetInternal("superuser_reserved_connections",
                        std::to_string(engine->options().superuser_reserved_connections));
  engine_->SessionOpened(db_.oid);
}

SessionImpl::~SessionImpl() {
  // Out of pg_stat_activity first: nothing may signal the session while it goes.
  if (activity_) {
    engine_->activity()->Unregister(pid_, NowMicrosSince2000());
    activity_.reset();
  }
  CloseStreams(ResultStream::State::kClosed);
  for (QueryStream* s : streams_) s->Detach();
  streams_.clear();
  stmt_txn_.reset();
  block_txn_.reset();
  status_ = TxnStatus::kIdle;
  savepoints_.clear();
  implicit_multi_ = false;
  defer_commit_ = false;
  notifications_.Abort();  // what an open transaction asked for goes with it
  EndTableCounts(false);
  // Temporary objects go with the session, in a transaction of their own.
  try {
    DropTempObjects();
    FinishStatementTxn(true);
  } catch (const std::exception& e) {
    spdlog::warn("could not drop the temporary objects of session {}: {}", pid_, e.what());
    stmt_txn_.reset();
  }
  if (session_lock_owner_ != 0) engine_->locks()->ReleaseAll(session_lock_owner_);
  engine_->SessionClosed(db_.oid);
}

void SessionImpl::set_backend_pid(int32_t pid) {
  pid_ = pid;
  notifications_.set_pid(pid);
  if (activity_ || pid == 0) return;
  activity_ = std::make_shared<BackendActivity>(pid, db_.oid, authenticated_user_oid_,
                                                NowMicrosSince2000());
  if (!client_address_.empty()) activity_->SetClient(client_address_);
  application_name_ = settings_.Get("application_name");
  activity_settings_generation_ = settings_.generation();
  activity_->SetApplicationName(application_name_);
  engine_->activity()->Register(activity_, this, terminator_);
}

void SessionImpl::set_client_address(std::string address) {
  client_address_ = std::move(address);
  if (activity_) activity_->SetClient(client_address_);
}

void SessionImpl::ReportReady() {
  if (!activity_) return;
  if (settings_.generation() != activity_settings_generation_) {
    // SET application_name shows at once, as in PostgreSQL.
    activity_settings_generation_ = settings_.generation();
    const std::string& name = settings_.Get("application_name");
    if (name != application_name_) {
      application_name_ = name;
      activity_->SetApplicationName(name);
    }
  }
  BackendState state = BackendState::kIdle;
  if (status_ == TxnStatus::kInBlock) state = BackendState::kIdleInTransaction;
  if (status_ == TxnStatus::kFailed) state = BackendState::kIdleInTransactionAborted;
  activity_->Ready(state, NowMicrosSince2000());
}

planner::PlannerContext SessionImpl::MakePlannerContext(std::vector<Type> param_types) {
  planner::PlannerContext ctx;
  ctx.catalog = CatalogView();
  ctx.database = db_.oid;
  ctx.search_path = LookupPath(*ctx.catalog);
  ctx.temp_schema = TempSchemaName();
  ctx.format = settings_.format();
  ctx.format.now_usec = status_ == TxnStatus::kInBlock ? block_start_us_ : NowMicrosSince2000();
  ctx.format.reg = NameResolver(ctx.catalog);
  ctx.param_types = std::move(param_types);
  return ctx;
}

// Plans depend on search_path and, through literals parsed and folded at plan time, on
// DateStyle, TimeZone, IntervalStyle and bytea_output.
const std::string& SessionImpl::PlanSettingsKey() {
  auto snap = CatalogView();
  if (derived_.plan_key_generation != settings_.generation() ||
      derived_.plan_key_catalog_version != snap->version) {
    derived_.plan_key = JoinPath(LookupPath(*snap)) + "|" + settings_.Get("datestyle") + "|" +
                        settings_.Get("timezone") + "|" + settings_.Get("intervalstyle") + "|" +
                        settings_.Get("bytea_output");
    derived_.plan_key_generation = settings_.generation();
    derived_.plan_key_catalog_version = snap->version;
  }
  return derived_.plan_key;
}

bool SessionImpl::StandardStrings() { return Derived().standard_strings; }

std::vector<ast::StatementPtr> SessionImpl::ParseText(std::string_view sql, bool warn) {
  if (StandardStrings()) return parser::Parse(sql);
  parser::ParseOptions options;
  options.standard_conforming_strings = false;
  options.escape_string_warning = settings_.Get("escape_string_warning") != "off";
  std::vector<parser::ParseWarning> warnings;
  std::vector<ast::StatementPtr> stmts = parser::Parse(sql, options, warn ? &warnings : nullptr);
  for (parser::ParseWarning& w : warnings) {
    Notice n{"WARNING", w.sqlstate, std::move(w.message)};
    n.hint = std::move(w.hint);
    n.position = w.position;
    parse_notices_.push_back(std::move(n));
  }
  return stmts;
}

std::vector<std::shared_ptr<PreparedStatement>> SessionImpl::ParseSimple(std::string_view sql) {
  // A query message starts statement_timeout (planning included), as in PostgreSQL.
  cancel_.store(false);
  StartStatementClock();
  std::string key =
      "S|" + std::to_string(db_.oid) + "|" + PlanSettingsKey() + "|" + std::string(sql);
  implicit_multi_ = false;
  parse_notices_.clear();
  // (Text read with standard_conforming_strings off is never cached: its warnings come from
  // reading it.)
  const bool cacheable = StandardStrings();
  if (cacheable) {
    if (auto cached = engine_->CacheLookup(key)) return {cached};
    if (status_ != TxnStatus::kFailed) {
      if (auto lifted = ParseLifted(sql)) return {lifted};
    }
  }
  std::vector<ast::StatementPtr> stmts;
  try {
    stmts = ParseText(sql);
  } catch (const Error&) {
    MarkFailed();
    throw;
  }
  std::vector<std::shared_ptr<PreparedStatement>> out;
  if (stmts.empty()) {
    auto st = std::make_shared<StatementImpl>();
    st->sql_ = std::string(sql);
    out.push_back(st);
    return out;
  }
  for (auto& s : stmts) {
    auto st = std::make_shared<StatementImpl>();
    if (s->location >= 0 && s->length >= 0 &&
        static_cast<size_t>(s->location + s->length) <= sql.size()) {
      st->sql_ = std::string(sql.substr(s->location, s->length));
    } else {
      st->sql_ = std::string(sql);
    }
    st->ast_ = std::shared_ptr<const ast::Statement>(std::move(s));
    out.push_back(st);
  }
  implicit_multi_ = out.size() > 1;
  if (out.size() == 1 && cacheable) {
    auto st = std::static_pointer_cast<StatementImpl>(out[0]);
    if (st->IsQuery()) engine_->CacheInsert(key, st);
  }
  return out;
}

namespace {

// Whether a parameter of type `t` whose text is a lifted string literal reads as the literal
// would when assigned to its column: built-in types whose text input is the literal's cast,
// without a modifier (a modifier's cast and its assignment differ: varchar(3) truncates in a
// cast, fails in an assignment).
bool ReadsLikeLiteral(const Type& t) {
  if (t.typmod != -1) return false;
  switch (t.id) {
    case TypeId::kBool:
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
    case TypeId::kFloat32:
    case TypeId::kFloat64:
    case TypeId::kNumeric:
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kDate:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
    case TypeId::kInterval:
    case TypeId::kUuid:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::shared_ptr<StatementImpl> SessionImpl::ParseLifted(std::string_view sql) {
  std::optional<parser::NormalizedStatement> norm = parser::NormalizeLiterals(sql);
  if (!norm) return nullptr;
  const std::string key = "N|" + std::to_string(db_.oid) + "|" + PlanSettingsKey() + "|" +
                          norm->TypeSignature() + "|" + norm->text;
  std::shared_ptr<StatementImpl> shape = engine_->CacheLookup(key);
  if (shape && shape->unliftable_) {
    std::lock_guard<std::mutex> lock(shape->mu_);
    if (shape->catalog_version_ == CatalogView()->version) return nullptr;
    shape = nullptr;
  }
  if (!shape) {
    // Parsed and planned now, so that a shape that does not bind with placeholders (an error,
    // whose text and position must come from the statement as written) is read as written.
    shape = std::make_shared<StatementImpl>();
    shape->sql_ = norm->text;
    for (const parser::LiftedConstant& c : norm->constants) {
      TypeId id = TypeId::kUnknown;  // strings and NULL: the type their column gives them
      if (c.type == parser::LiftedType::kInt4) id = TypeId::kInt32;
      if (c.type == parser::LiftedType::kInt8) id = TypeId::kInt64;
      if (c.type == parser::LiftedType::kNumeric) id = TypeId::kNumeric;
      shape->given_param_types_.push_back(Type::Of(id));
    }
    bool ok = false;
    try {
      std::vector<ast::StatementPtr> stmts = parser::Parse(norm->text);
      if (stmts.size() == 1) {
        shape->ast_ = std::shared_ptr<const ast::Statement>(std::move(stmts[0]));
        if (shape->IsQuery()) {
          std::vector<Type> ptypes;
          PlanFor(*shape, &ptypes);
          ok = ptypes.size() == norm->constants.size();
          for (size_t i = 0; ok && i < ptypes.size(); ++i) {
            const parser::LiftedType lt = norm->constants[i].type;
            if (lt == parser::LiftedType::kString || lt == parser::LiftedType::kNull) {
              ok = ReadsLikeLiteral(ptypes[i]);
            }
          }
        }
      }
    } catch (const std::exception&) {  // Error or an internal failure: read it as written
      ok = false;
    }
    if (!ok) {
      auto marker = std::make_shared<StatementImpl>();
      marker->unliftable_ = true;
      marker->catalog_version_ = CatalogView()->version;
      engine_->CacheInsert(key, marker);
      return nullptr;
    }
    engine_->CacheInsert(key, shape);
  }
  auto st = std::make_shared<StatementImpl>();
  st->sql_ = std::string(sql);
  st->ast_ = shape->ast_;
  st->shape_ = shape;
  st->lifted_params_.reserve(norm->constants.size());
  st->lifted_positions_.reserve(norm->constants.size());
  size_t counted = 0;  // characters (PostgreSQL's positions) of sql up to `counted` bytes
  int chars = 0;
  for (parser::LiftedConstant& c : norm->constants) {
    if (c.type == parser::LiftedType::kNull) {
      st->lifted_params_.emplace_back(std::nullopt);
    } else {
      st->lifted_params_.emplace_back(std::move(c.text));
    }
    int position = 0;
    if (c.type == parser::LiftedType::kString) {
      for (; counted < c.offset; ++counted) {
        if ((static_cast<unsigned char>(sql[counted]) & 0xC0) != 0x80) ++chars;
      }
      position = chars + 1;
    }
    st->lifted_positions_.push_back(position);
  }
  return st;
}

std::shared_ptr<PreparedStatement> SessionImpl::Prepare(
    std::string_view sql, const std::vector<uint32_t>& param_type_oids) {
  // So does a Parse message (PostgreSQL starts the timer at any query-related message).
  cancel_.store(false);
  StartStatementClock();
  std::string key = "P|" + std::to_string(db_.oid) + "|" + PlanSettingsKey() + "|";
  for (uint32_t o : param_type_oids) key += std::to_string(o) + ",";
  key += "|";
  key += sql;
  parse_notices_.clear();
  const bool cacheable = StandardStrings();
  if (auto cached = cacheable ? engine_->CacheLookup(key) : nullptr) {
    // Re-plan now if the catalog moved on, so that Describe is right.
    std::vector<Type> pt;
    PlanFor(*cached, &pt);
    return cached;
  }
  std::vector<ast::StatementPtr> stmts;
  try {
    stmts = ParseText(sql);
    if (stmts.size() > 1) {
      Throw(SqlState::kSyntaxError, "cannot insert multiple commands into a prepared statement");
    }
  } catch (const Error&) {
    MarkFailed();
    throw;
  }
  if (stmts.size() > 1) {
    Throw(SqlState::kSyntaxError, "cannot insert multiple commands into a prepared statement");
  }
  auto st = std::make_shared<StatementImpl>();
  st->sql_ = std::string(sql);
  for (uint32_t o : param_type_oids) st->given_param_types_.push_back(TypeFromOid(o));
  if (stmts.empty()) return st;
  st->ast_ = std::shared_ptr<const ast::Statement>(std::move(stmts[0]));
  if (st->IsQuery()) {
    std::vector<Type> ptypes;
    planner::PlanPtr plan;
    try {
      plan = PlanFor(*st, &ptypes);
    } catch (const Error&) {
      MarkFailed();
      throw;
    }
    for (const Type& t : ptypes) {
      st->param_oids_.push_back(
          static_cast<uint32_t>(t.id == TypeId::kUnknown ? TypeId::kText : t.id));
    }
    st->returns_rows_ = !IsDml(*plan) || !plan->returning.empty();
    if (st->returns_rows_) st->columns_ = Describe(*plan);
    st->described_ = true;
    if (cacheable) engine_->CacheInsert(key, st);
    return st;
  }
  for (uint32_t o : param_type_oids) st->param_oids_.push_back(o == 0 ? 25 : o);
  switch (st->ast_->kind) {
    case ast::StmtKind::kShow: {
      const auto& s = static_cast<const ast::ShowStatement&>(*st->ast_);
      st->returns_rows_ = true;
      if (s.name == "all") {
        st->columns_ = {ColumnDesc{"name"}, ColumnDesc{"setting"}, ColumnDesc{"description"}};
      } else {
        settings_.Get(s.name);
        st->columns_ = {ColumnDesc{settings_.DisplayName(s.name)}};
      }
      break;
    }
    case ast::StmtKind::kExplain:
      st->returns_rows_ = true;
      st->columns_ = {ColumnDesc{"QUERY PLAN"}};
      break;
    case ast::StmtKind::kFetch: {
      // FETCH returns the cursor's columns (MOVE none), as PostgreSQL describes it; a cursor
      // that does not exist yet describes as no data.
      const auto& s = static_cast<const ast::FetchStatement&>(*st->ast_);
      auto it = cursors_.find(s.name);
      if (!s.move && it != cursors_.end()) {
        st->returns_rows_ = true;
        st->columns_ = it->second->columns;
      }
      break;
    }
    case ast::StmtKind::kExecute: {
      const auto& s = static_cast<const ast::ExecuteStatement&>(*st->ast_);
      std::shared_ptr<StatementImpl> named = NamedImpl(s.name);
      if (named == nullptr) {
        Throw(SqlState::kInvalidSqlStatementName, "prepared statement \"{}\" does not exist",
              s.name);
      }
      st->returns_rows_ = named->returns_rows_;
      st->columns_ = named->columns_;
      break;
    }
    default:
      break;
  }
  st->described_ = true;
  return st;
}

namespace {

// Whether a plan made with `used` children per parent, `pinned` of them differing from the
// catalog, serves a statement whose locks pinned `inh` (null: none yet).
bool InheritanceMatches(const std::map<storage::Oid, std::vector<storage::Oid>>& used,
                        const std::map<storage::Oid, std::vector<storage::Oid>>& pinned,
                        const std::map<storage::Oid, std::vector<storage::Oid>>* inh) {
  static const std::vector<storage::Oid> kNone;
  for (const auto& [parent, children] : pinned) {
    if (inh == nullptr) return false;
    auto it = inh->find(parent);
    if (it == inh->end() || it->second != children) return false;
  }
  if (inh == nullptr) return true;
  for (const auto& [parent, children] : *inh) {
    auto it = used.find(parent);
    if ((it == used.end() ? kNone : it->second) != children) return false;
  }
  return true;
}

}  // namespace

// Whether a statement's text has the word tableoid (any case): its tables then carry the
// system column (planner.h, PlannerContext::system_columns).
static bool ContainsTableoid(const std::string& sql) {
  static constexpr std::string_view kWord = "tableoid";
  for (size_t i = 0; i + kWord.size() <= sql.size(); ++i) {
    size_t k = 0;
    while (k < kWord.size() && std::tolower(static_cast<unsigned char>(sql[i + k])) == kWord[k]) {
      ++k;
    }
    if (k == kWord.size()) return true;
  }
  return false;
}

planner::PlanPtr SessionImpl::PlanFor(const StatementImpl& st, std::vector<Type>* param_types,
                                      InheritanceLocks* inh) {
  // A transaction's own DDL gives its view a private version (storage/catalog.h), so plans are
  // never shared between views.
  auto snap = CatalogView();
  const std::string& sp = PlanSettingsKey();
  std::lock_guard<std::mutex> lock(st.mu_);
  const auto* pins = inh != nullptr ? &inh->pinned : nullptr;
  if (st.plan_ && st.catalog_version_ == snap->version && st.database_ == db_.oid &&
      st.search_path_key_ == sp &&
      InheritanceMatches(st.inheritance_used_, st.inheritance_pinned_, pins)) {
    *param_types = st.planned_param_types_;
    if (inh != nullptr) {
      for (const auto& [parent, children] : st.inheritance_used_) inh->parents.insert(parent);
    }
    return st.plan_;
  }
  planner::PlannerContext ctx;
  ctx.catalog = snap;
  ctx.database = db_.oid;
  ctx.search_path = LookupPath(*snap);
  ctx.temp_schema = TempSchemaName();
  ctx.format = settings_.format();
  ctx.format.now_usec = status_ == TxnStatus::kInBlock ? block_start_us_ : NowMicrosSince2000();
  ctx.format.reg = NameResolver(snap);
  ctx.param_types = st.given_param_types_;
  ctx.inheritance_pins = pins;
  ctx.system_columns = ContainsTableoid(st.sql_);
  planner::PlanPtr plan;
  {
    // statement_timeout and cancel requests also stop a long bind or plan.
    planner::InterruptScope interrupts(&cancel_, statement_deadline_);
    plan = planner::PlanStatement(*st.ast_, ctx);
  }
  if (st.described_) {
    // A described statement must keep its parameter and result types.
    bool same = ctx.param_types.size() == st.param_oids_.size();
    for (size_t i = 0; same && i < ctx.param_types.size(); ++i) {
      TypeId id = ctx.param_types[i].id == TypeId::kUnknown ? TypeId::kText : ctx.param_types[i].id;
      same = static_cast<uint32_t>(id) == st.param_oids_[i];
    }
    std::vector<ColumnDesc> cols;
    if (!IsDml(*plan) || !plan->returning.empty()) cols = Describe(*plan);
    same = same && cols.size() == st.columns_.size();
    for (size_t i = 0; same && i < cols.size(); ++i) {
      same = cols[i].type_oid == st.columns_[i].type_oid;
    }
    if (!same) {
      Throw(SqlState::kFeatureNotSupported, "cached plan must not change result type");
    }
  }
  st.plan_ = plan;
  st.planned_param_types_ = ctx.param_types;
  st.catalog_version_ = snap->version;
  st.database_ = db_.oid;
  st.search_path_key_ = sp;
  st.inheritance_used_ = std::move(ctx.inheritance_used);
  st.inheritance_pinned_ = std::move(ctx.inheritance_pinned);
  if (inh != nullptr) {
    for (const auto& [parent, children] : st.inheritance_used_) inh->parents.insert(parent);
  }
  *param_types = ctx.param_types;
  return plan;
}

std::vector<ColumnDesc> SessionImpl::Describe(const planner::PlanNode& plan) const {
  std::vector<ColumnDesc> cols;
  for (size_t i = 0; i < plan.output_types.size(); ++i) {
    ColumnDesc c;
    c.name = i < plan.output_names.size() ? plan.output_names[i] : "?column?";
    Type t = plan.output_types[i];
    if (t.id == TypeId::kUnknown) t = Type::Of(TypeId::kText);
    c.type_oid = static_cast<uint32_t>(t.id);
    c.type_len = TypeLength(t.id);
    c.type_mod = WireTypmod(t);
    if (i < plan.output_origins.size()) {
      c.table_oid = plan.output_origins[i].table;
      c.column_attnum = plan.output_origins[i].attnum;
    }
    cols.push_back(std::move(c));
  }
  return cols;
}

std::shared_ptr<const CatalogRegResolver> SessionImpl::NameResolver(
    std::shared_ptr<const storage::CatalogSnapshot> snap) const {
  std::vector<std::string> path = LookupPath(*snap);
  std::string implicit_temp;
  if (!path.empty() && path.front() == TempSchemaName() &&
      std::find(settings_.search_path().begin(), settings_.search_path().end(), "pg_temp") ==
          settings_.search_path().end()) {
    implicit_temp = path.front();
  }
  return std::make_shared<const CatalogRegResolver>(std::move(snap), db_.oid, std::move(path),
                                                    std::move(implicit_temp), TempSchemaName());
}

void SessionImpl::FormatRows(std::vector<std::vector<Value>>&& rows, std::vector<TextRow>* out,
                             const FormatOptions& fmt) const {
  const FormatOptions iso_utc;  // for values sent in binary: the forms binary_format reads
  out->reserve(out->size() + rows.size());
  for (auto& row : rows) {
    TextRow tr;
    tr.reserve(row.size());
    for (size_t c = 0; c < row.size(); ++c) {
      const Value& v = row[c];
      if (v.is_null) {
        tr.emplace_back(std::nullopt);
      } else {
        bool binary = c < binary_formats_.size() && binary_formats_[c] == 1;
        tr.emplace_back(FormatValue(v, binary ? iso_utc : fmt));
      }
    }
    out->push_back(std::move(tr));
  }
}

const SessionImpl::DerivedSettings& SessionImpl::Derived() {
  if (derived_.generation != settings_.generation()) {
    derived_.statement_timeout_ms = settings_.Millis("statement_timeout");
    derived_.lock_timeout_ms = settings_.Millis("lock_timeout");
    derived_.deadlock_timeout_ms = std::max<int64_t>(1, settings_.Millis("deadlock_timeout"));
    const std::string& level = settings_.Get("transaction_isolation");
    derived_.serializable = level == "serializable";
    derived_.read_committed = level == "read committed";
    derived_.default_read_only = settings_.Get("default_transaction_read_only") == "on";
    derived_.deferrable = settings_.Get("transaction_deferrable") == "on";
    derived_.default_deferrable = settings_.Get("default_transaction_deferrable") == "on";
    derived_.standard_strings = settings_.Get("standard_conforming_strings") != "off";
    derived_.generation = settings_.generation();
  }
  return derived_;
}

std::unique_ptr<storage::Transaction> SessionImpl::NewTxn(bool snapshot_reads) {
  const DerivedSettings& d = Derived();
  bool serializable = d.serializable;
  // READ COMMITTED runs on the engine's read-committed mode (each read sees what is committed
  // when it runs), except a lone read-only statement, which gets one snapshot. REPEATABLE READ
  // and SERIALIZABLE keep one snapshot for the whole transaction.
  // On a replica every transaction reads one snapshot: applied transactions come in whole, and
  // a read-committed scan could see one between two of its reads.
  storage::Isolation iso = d.read_committed && !snapshot_reads && !engine_->in_recovery()
                               ? storage::Isolation::kReadCommitted
                               : storage::Isolation::kSnapshot;
  storage::LockManager* locks = engine_->locks();
  const bool in_block = status_ == TxnStatus::kInBlock;
  bool read_only = engine_->in_recovery() || (in_block ? block_read_only_ : d.default_read_only);
  bool deferrable = in_block ? d.deferrable : d.default_deferrable;
  if (serializable && read_only && deferrable) {
    // SERIALIZABLE READ ONLY DEFERRABLE waits for a safe snapshot and is then not tracked:
    // it can neither fail nor make another transaction fail.
    engine_->validator()->WaitForSafeSnapshot(wait_policy_, pid_);
    serializable = false;
  }
  // A SERIALIZABLE transaction registers with the validator before the engine takes its
  // snapshot, so that every commit it does not see counts as concurrent.
  uint64_t ssi_id = engine_->validator()->Begin(serializable, read_only, pid_);
  std::unique_ptr<storage::Transaction> inner;
  try {
    inner = engine_->storage()->Begin(iso);
    inner->SetReadFence(&read_fence_);
  } catch (...) {
    engine_->validator()->End(ssi_id);
    throw;
  }
  // Catalog changes ride on the same transaction (storage::CatalogTxn outside, the row locks
  // and savepoint undo of storage::UserTransaction inside).
  return std::make_unique<storage::CatalogTxn>(
      engine_->catalog(),
      std::make_unique<storage::UserTransaction>(
          std::move(inner), locks, locks->NewOwner(pid_), &wait_policy_, engine_->validator(),
          serializable, /*track_writes=*/engine_->two_phase()->enabled(), read_only, ssi_id));
}

void SessionImpl::StartStatementClock() {
  using std::chrono::milliseconds;
  auto now = std::chrono::steady_clock::now();
  const DerivedSettings& d = Derived();
  const int64_t timeout = d.statement_timeout_ms;
  statement_deadline_ =
      timeout > 0 ? now + milliseconds(timeout) : std::chrono::steady_clock::time_point{};
  wait_policy_.statement_deadline = statement_deadline_;
  wait_policy_.lock_timeout = milliseconds(d.lock_timeout_ms);
  wait_policy_.deadlock_timeout = milliseconds(d.deadlock_timeout_ms);
  wait_policy_.cancel = &cancel_;
}

bool SessionImpl::TxnReadOnly() {
  // On a replica (hot standby) every transaction is read-only, as in PostgreSQL's recovery.
  if (engine_->in_recovery()) return true;
  if (status_ == TxnStatus::kInBlock) return block_read_only_;
  return status_ == TxnStatus::kIdle && Derived().default_read_only;
}

storage::Transaction* SessionImpl::StatementTxn(bool snapshot_reads) {
  if (status_ == TxnStatus::kInBlock) {
    // The block's transaction starts with its first statement, so that SET TRANSACTION after
    // BEGIN still chooses its isolation level.
    if (!block_txn_) block_txn_ = NewTxn(false);
    return block_txn_.get();
  }
  if (!stmt_txn_) stmt_txn_ = NewTxn(snapshot_reads);
  return stmt_txn_.get();
}

void SessionImpl::Sync() {
  implicit_multi_ = false;
  defer_commit_ = false;
  try {
    FinishStatementTxn(true);
  } catch (...) {
    ReportReady();
    throw;
  }
  ReportReady();
}

void SessionImpl::EndImplicitTxn(bool commit) {
  // COMMIT or ROLLBACK outside a block, inside a multi-statement query (or before Sync): the
  // implicit transaction so far ends with it, as in PostgreSQL; what follows starts another.
  const bool multi = implicit_multi_, deferred = defer_commit_;
  implicit_multi_ = defer_commit_ = false;
  FinishStatementTxn(commit);
  implicit_multi_ = multi;
  defer_commit_ = deferred;
}

void SessionImpl::FinishStatementTxn(bool success) {
  // LISTEN/NOTIFY alone need no storage transaction, but commit as one.
  if (!stmt_txn_ && !(status_ == TxnStatus::kIdle && notifications_.HasPending())) return;
  if (success && (implicit_multi_ || defer_commit_) && status_ == TxnStatus::kIdle)
    return;  // commits at Sync
  CloseStreams(ResultStream::State::kClosed);
  if (success && stmt_txn_) {
    try {
      FireDeferredConstraints(stmt_txn_.get(), nullptr);
      if (!on_commit_actions_.empty()) RunOnCommitActions();
    } catch (...) {
      FinishStatementTxn(false);  // the commit fails: the transaction rolls back
      throw;
    }
  }
  deferred_.Clear();
  std::unique_ptr<storage::Transaction> txn = std::move(stmt_txn_);
  if (success) {
    storage::TakeThreadCommitLsn();
    CommitCountingRows(txn.get(), [&] {
      notifications_.Commit(
          [&] {
            if (txn) txn->Commit();
          },
          &pending_notices_);
    });
    AfterCommit(settings_.Get("synchronous_commit"));
  } else {
    if (txn) txn->Rollback();
    notifications_.Abort();
    EndTableCounts(false);
  }
}

template <typename F>
void SessionImpl::CommitCountingRows(storage::Transaction* txn, F&& commit) {
  auto* ctxn = dynamic_cast<storage::CatalogTxn*>(txn);
  const bool ran_ddl = ctxn != nullptr && ctxn->ran_ddl();
  try {
    commit();
  } catch (...) {
    EndTableCounts(false);
    throw;
  }
  EndTableCounts(true);
  if (ran_ddl) {
    // The counters of relations the transaction dropped go with them (PostgreSQL drops a
    // relation's statistics when its DROP commits).
    std::shared_ptr<const storage::CatalogSnapshot> snap = engine_->catalog()->Snapshot();
    std::unordered_set<uint32_t> oids;
    for (const auto& [key, t] : snap->tables) {
      if (std::get<0>(key) != db_.oid) continue;
      oids.insert(t->oid);
      oids.insert(t->pkey_index_oid);
      for (const storage::IndexInfo& i : t->indexes) oids.insert(i.oid);
    }
    engine_->table_stats()->Prune(db_.oid, [&](uint32_t oid) { return oids.count(oid) != 0; });
  }
}

void SessionImpl::CountIndexBuild(const storage::TableInfo& table, uint64_t rows) {
  engine_->table_stats()->CountScans(db_.oid, table.oid, 1, static_cast<int64_t>(rows), 0);
}

void SessionImpl::EndTableCounts(bool committed) {
  if (activity_) activity_->CountTransaction(committed);
  engine_->table_stats()->EndTransaction(db_.oid, &xact_counts_, committed);
}

std::vector<Notification> SessionImpl::TakeNotifications(size_t max_bytes, bool* more) {
  *more = false;
  // Not while a transaction is open (PostgreSQL's ProcessNotifyInterrupt waits for its end).
  if (status_ != TxnStatus::kIdle || implicit_multi_ || defer_commit_ || stmt_txn_ ||
      notifications_.HasPending()) {
    return {};
  }
  return notifications_.Take(max_bytes, more);
}

void SessionImpl::MarkFailed() {
  // Inside a savepoint only the streams of the failed subtransaction fail (PostgreSQL's
  // AtSubAbort_Portals); the reader that failed marks itself. Without one, all of them.
  CloseStreams(ResultStream::State::kFailed,
               status_ == TxnStatus::kInBlock ? savepoints_.size() : 0);
  if (stmt_txn_) {
    stmt_txn_.reset();
  }
  // An implicit transaction ends here; a block's work waits for ROLLBACK (or ROLLBACK TO).
  if (status_ == TxnStatus::kIdle) {
    notifications_.Abort();
    EndTableCounts(false);
    deferred_.Clear();
  }
  if (status_ == TxnStatus::kInBlock) {
    status_ = TxnStatus::kFailed;
    // With a savepoint open the transaction lives on for ROLLBACK TO; otherwise it ends now
    // and its locks go (the block answers 25P02 until ROLLBACK).
    if (savepoints_.empty()) {
      block_txn_.reset();
    }
  }
}

ExecContext SessionImpl::MakeExecContext(storage::Transaction* txn, std::vector<Value> params) {
  ExecContext ctx;
  ctx.txn = txn;
  ctx.catalog = engine_->catalog();
  ctx.params = std::move(params);
  ctx.format = settings_.format();
  ctx.cancel = &cancel_;
  ctx.deadline = statement_deadline_;
  ctx.locks = engine_->locks();
  ctx.in_transaction_block = status_ != TxnStatus::kIdle;
  ctx.stat_statements = engine_->stat_statements();
  ctx.table_stats = engine_->table_stats();
  ctx.xact_counts = &xact_counts_;
  ctx.activity = engine_->activity();
  ctx.validator = engine_->validator();
  ctx.backend_pid = pid_;
  ctx.storage_engine = engine_->storage();
  ctx.replication = engine_->replication();
  ctx.spill_dir = engine_->spill_dir();
  ctx.database_oid = db_.oid;
  ctx.wait_policy = &wait_policy_;
  ctx.session_lock_owner = [this] {
    if (session_lock_owner_ == 0) session_lock_owner_ = engine_->locks()->NewOwner(pid_);
    return session_lock_owner_;
  };
  ctx.release_session_locks = [this] {
    if (session_lock_owner_ == 0) return;
    engine_->locks()->ReleaseAll(session_lock_owner_);
    session_lock_owner_ = 0;
  };
  ctx.warn = [this](const std::string& message) {
    pending_notices_.push_back(Notice{"WARNING", "01000", message});
  };
  ctx.run_utility = [this](const std::string& sql, ExecContext* c) {
    // A utility statement in a PL/pgSQL body: run as the session runs one, in the statement's
    // transaction (defer_commit_ keeps it from committing that transaction).
    for (ast::StatementPtr& s : parser::Parse(sql)) {
      if (s->kind == ast::StmtKind::kTransaction) {
        Throw(SqlState::kFeatureNotSupported, "unsupported transaction command in PL/pgSQL");
      }
      StatementImpl st;
      st.sql_ = sql;
      st.ast_ = std::shared_ptr<const ast::Statement>(std::move(s));
      const bool deferred = defer_commit_;
      defer_commit_ = true;
      try {
        ExecuteInner(st, {});
      } catch (...) {
        defer_commit_ = deferred;
        throw;
      }
      defer_commit_ = deferred;
    }
    c->catalog_view = CatalogView();
  };
  ctx.notice = [this](const std::string& severity, SqlState state, const std::string& message,
                      const std::string& detail, const std::string& hint) {
    // client_min_messages: INFO always goes; DEBUG, LOG, NOTICE, WARNING from the level on.
    static const char* kOrder[] = {"debug", "log", "notice", "warning", "error"};
    auto rank = [](std::string level) {
      for (char& c : level) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (level.rfind("debug", 0) == 0) level = "debug";
      for (int i = 0; i < 5; ++i) {
        if (level == kOrder[i]) return i;
      }
      return 2;
    };
    if (severity != "INFO" && rank(severity) < rank(settings_.Get("client_min_messages"))) return;
    pending_notices_.push_back(
        Notice{severity, std::string(SqlStateCode(state)), message, detail, hint});
  };
  ctx.get_setting = [this](const std::string& name) -> std::optional<std::string> {
    try {
      return settings_.Get(name);
    } catch (const Error& e) {
      if (e.state() == SqlState::kUndefinedObject) return std::nullopt;
      throw;
    }
  };
  ctx.set_setting = [this](const std::string& name, const std::string& value, bool is_local) {
    settings_.DefinePlaceholder(name);
    std::string old = settings_.Get(name);
    std::string old_source = settings_.Source(name);
    settings_.Set(name, value);
    // SET LOCAL semantics: restored when the block (or this statement's transaction) ends.
    if (is_local && status_ == TxnStatus::kIdle) {
      std::string now = settings_.Get(name);
      settings_.Restore(name, old, old_source);
      return now;
    }
    if (status_ != TxnStatus::kIdle) set_undo_.push_back({name, old, is_local, old_source});
    return settings_.Get(name);
  };
  ctx.statement_timestamp_us =
      status_ == TxnStatus::kInBlock ? block_start_us_ : NowMicrosSince2000();
  ctx.format.now_usec = ctx.statement_timestamp_us;  // 'now', 'today' in date/time input
  ctx.database = db_.name;
  ctx.user = current_user_name_;
  ctx.session_user = session_user_name_;
  ctx.user_oid = user_oid_;
  ctx.database_owner = DatabaseOwner();
  ctx.system_view_rows = [this](const std::string& view) { return SystemViewRows(view); };
  auto snap = CatalogView();
  if (exec_names_.snap != snap || exec_names_.generation != settings_.generation()) {
    // What the search path resolves to in this catalog view, kept while neither changes.
    ExecNames& n = exec_names_;
    n.current_schema.clear();
    for (const auto& s : settings_.search_path()) {
      if (snap->FindSchema(db_.oid, s)) {
        n.current_schema = s;
        break;
      }
    }
    n.search_path = LookupPath(*snap);
    n.implicit_temp_schema.clear();
    if (!n.search_path.empty() && n.search_path.front() == TempSchemaName() &&
        std::find(settings_.search_path().begin(), settings_.search_path().end(), "pg_temp") ==
            settings_.search_path().end()) {
      n.implicit_temp_schema = n.search_path.front();
    }
    n.names = NameResolver(snap);
    n.snap = snap;
    n.generation = settings_.generation();
  }
  ctx.current_schema = exec_names_.current_schema;
  ctx.sequences = &sequences_;
  ctx.notifications = &notifications_;
  ctx.deferred = &deferred_;
  ctx.jobs = engine_->jobs();
  ctx.search_path = exec_names_.search_path;
  ctx.implicit_temp_schema = exec_names_.implicit_temp_schema;
  ctx.names = exec_names_.names;
  ctx.format.reg = ctx.names;
  ctx.catalog_view = std::move(snap);
  ctx.read_only = TxnReadOnly();
  ctx.snapshot_isolation = !Derived().read_committed;
  return ctx;
}

QueryResult SessionImpl::Execute(const PreparedStatement& stmt, const Params& params) {
  cancel_.store(false);
  StartStatementClock();
  const auto& st = static_cast<const StatementImpl&>(stmt);
  if (activity_) activity_->StatementStarted(st.sql_, NowMicrosSince2000());
  if (!st.ast_) {
    QueryResult r;
    r.empty_query = true;
    return r;
  }
  if (status_ == TxnStatus::kFailed) {
    bool allowed = false;
    if (st.ast_->kind == ast::StmtKind::kTransaction) {
      auto a = static_cast<const ast::TransactionStatement&>(*st.ast_).action;
      allowed = a == ast::TxnAction::kCommit || a == ast::TxnAction::kRollback ||
                a == ast::TxnAction::kRollbackTo || a == ast::TxnAction::kPrepareTransaction;
    }
    if (!allowed) {
      Throw(SqlState::kInFailedSqlTransaction,
            "current transaction is aborted, commands ignored until end of transaction block");
    }
  }
  pending_notices_.clear();
  pending_notices_.swap(parse_notices_);
  // A streamed read is timed and counted by its stream, when its last row is out (or as an
  // error when it fails).
  auto meter = std::make_unique<metrics::StatementMeter>();
  if (const StatementImpl* tracked = TrackedStatement(st)) {
    // A shape is shown as the first of its statements as written (its constants in order).
    auto fp = tracked->Fingerprint(tracked == st.shape_.get() ? std::string_view(st.sql_)
                                                              : std::string_view());
    meter->OnCompleted([stats = engine_->stat_statements(), db = db_.oid, fp = std::move(fp)](
                           std::string_view tag, std::chrono::nanoseconds elapsed) {
      stats->Record(kBootstrapSuperuserOid, db, *fp, elapsed, RowsOfTag(tag));
    });
  }
  const char* audit_class = engine_->audit_log() != nullptr ? AuditClass(*st.ast_) : nullptr;
  if (audit_class != nullptr) {
    // The statement's own outcome; a DDL statement in a block that later rolls back is
    // recorded as it ran (as pgaudit does).
    AuditEvent event = AuditBegin(audit_class, st);
    try {
      QueryResult r = ExecuteAudited(st, params, std::move(meter));
      AuditEnd(event, &r, nullptr);
      return r;
    } catch (const Error& e) {
      AuditEnd(event, nullptr, &e);
      throw;
    }
  }
  return ExecuteAudited(st, params, std::move(meter));
}

QueryResult SessionImpl::ExecuteAudited(const StatementImpl& st, const Params& params,
                                        std::unique_ptr<metrics::StatementMeter> meter) {
  return FailStatementOnError([&] {
    QueryResult r = ExecuteInner(st, params);
    if (st.ast_->kind == ast::StmtKind::kPrepare) {
      auto named = NamedImpl(static_cast<const ast::PrepareStatement&>(*st.ast_).name);
      if (named != nullptr) named->stats_text_ = st.sql_;
    }
    if (auto* stream = dynamic_cast<QueryStream*>(r.stream.get())) {
      stream->AdoptMeter(std::move(meter));
    } else {
      meter->Completed(r.copy_in ? std::string_view("COPY") : std::string_view(r.command_tag));
    }
    if (!pending_notices_.empty()) {
      r.notices.insert(r.notices.begin(), pending_notices_.begin(), pending_notices_.end());
      pending_notices_.clear();
    }
    return r;
  });
}

const StatementImpl* SessionImpl::TrackedStatement(const StatementImpl& st) const {
  if (!settings_.track_statements()) return nullptr;
  if (st.IsQuery()) {
    // A statement whose numbers were lifted counts as its shape's, so that the fingerprint is
    // computed once per shape.
    return st.shape_ ? st.shape_.get() : &st;
  }
  if (!settings_.track_utility()) return nullptr;
  // As in PostgreSQL, PREPARE and DEALLOCATE are not counted, and EXECUTE counts as the
  // prepared statement (shown with the text of its PREPARE).
  switch (st.ast_->kind) {
    case ast::StmtKind::kPrepare:
    case ast::StmtKind::kDeallocate:
      return nullptr;
    case ast::StmtKind::kExecute: {
      return NamedImpl(static_cast<const ast::ExecuteStatement&>(*st.ast_).name).get();
    }
    default:
      return &st;
  }
}

QueryResult SessionImpl::ExecuteStreaming(const PreparedStatement& stmt, const Params& params) {
  stream_results_ = true;
  try {
    QueryResult r = Execute(stmt, params);
    stream_results_ = false;
    return r;
  } catch (...) {
    stream_results_ = false;
    throw;
  }
}

void SessionImpl::LogInternalError(const char* what) {
  spdlog::error("internal error in statement: {}", what);
}

void SessionImpl::CloseStreams(ResultStream::State why, size_t min_depth) {
  for (QueryStream* s : streams_) {
    if (s->state() == ResultStream::State::kOpen && s->savepoint_depth() >= min_depth) {
      s->Close(why);
    }
  }
}

QueryResult SessionImpl::ExecuteInner(const StatementImpl& st, const Params& params) {
  const ast::Statement& s = *st.ast_;
  if (s.kind != ast::StmtKind::kTransaction && s.kind != ast::StmtKind::kSet &&
      s.kind != ast::StmtKind::kShow && s.kind != ast::StmtKind::kReset) {
    block_has_query_ = true;  // (read only inside a block)
  }
  switch (s.kind) {  // statements that do not write leave the cursors as they are
    case ast::StmtKind::kSelect:
    case ast::StmtKind::kFetch:
    case ast::StmtKind::kCloseCursor:
    case ast::StmtKind::kDeclareCursor:
    case ast::StmtKind::kShow:
    case ast::StmtKind::kSet:
    case ast::StmtKind::kReset:
    case ast::StmtKind::kTransaction:
    case ast::StmtKind::kPrepare:
    case ast::StmtKind::kDeallocate:
    case ast::StmtKind::kNotify:
      break;
    default:
      if (!cursors_.empty()) CursorsBeforeWrite();
  }
  switch (s.kind) {
    case ast::StmtKind::kSelect:
    case ast::StmtKind::kInsert:
    case ast::StmtKind::kUpdate:
    case ast::StmtKind::kDelete:
    case ast::StmtKind::kMerge:
      if (st.shape_) return RunQuery(*st.shape_, st.lifted_params_, &st.lifted_positions_);
      return RunQuery(st, params);
    case ast::StmtKind::kTransaction:
      return RunTransaction(static_cast<const ast::TransactionStatement&>(s));
    case ast::StmtKind::kSet:
      return RunSet(static_cast<const ast::SetStatement&>(s));
    case ast::StmtKind::kShow:
      return RunShow(static_cast<const ast::ShowStatement&>(s));
    case ast::StmtKind::kReset: {
      // RESET x is SET x TO DEFAULT, undone by ROLLBACK like it. RESET ALL leaves role and
      // session_authorization (PostgreSQL's GUC_NO_RESET_ALL) and is undone as a whole.
      const auto& r = static_cast<const ast::ResetStatement&>(s);
      if (r.name == "all") {
        std::vector<SettingState> before;
        if (status_ != TxnStatus::kIdle) before = settings_.States();
        settings_.ResetAll();
        for (const SettingState& old : before) {
          if (settings_.Get(old.name) != old.value) {
            set_undo_.push_back({old.name, old.value, false, old.source});
          }
        }
        return Tagged("RESET");
      }
      ast::SetStatement set;
      set.name = r.name;
      set.is_default = true;
      QueryResult result = RunSet(set);
      result.command_tag = "RESET";
      return result;
    }
    case ast::StmtKind::kExplain:
      return RunExplain(static_cast<const ast::ExplainStatement&>(s), params);
    case ast::StmtKind::kCopy:
      return RunCopy(static_cast<const ast::CopyStatement&>(s));
    case ast::StmtKind::kPrepare:
      return RunPrepare(static_cast<const ast::PrepareStatement&>(s));
    case ast::StmtKind::kExecute:
      return RunExecute(static_cast<const ast::ExecuteStatement&>(s));
    case ast::StmtKind::kDeallocate:
      return RunDeallocate(static_cast<const ast::DeallocateStatement&>(s));
    case ast::StmtKind::kNotify:
      return RunNotify(static_cast<const ast::NotifyStatement&>(s));
    case ast::StmtKind::kCall:
      return RunCall(static_cast<const ast::CallStatement&>(s));
    case ast::StmtKind::kDeclareCursor:
      return RunDeclareCursor(st, static_cast<const ast::DeclareCursorStatement&>(s), params);
    case ast::StmtKind::kFetch:
      return RunFetch(static_cast<const ast::FetchStatement&>(s));
    case ast::StmtKind::kCloseCursor:
      return RunCloseCursor(static_cast<const ast::CloseCursorStatement&>(s));
    case ast::StmtKind::kUtilityNoop: {
      const auto& u = static_cast<const ast::UtilityNoopStatement&>(s);
      if (u.command_tag == "REINDEX") return RunReindex(u);
      if (u.command_tag == "CHECKPOINT") engine_->storage()->Checkpoint();
      if (u.command_tag == "DISCARD ALL") {
        if (status_ != TxnStatus::kIdle) {
          Throw(SqlState::kActiveSqlTransaction,
                "DISCARD ALL cannot run inside a transaction block");
        }
        CloseAllNamedStatements();
        cursors_.clear();
        settings_.ResetAll();
        sequences_.Discard();
        DropTempObjects();
        notifications_.UnlistenAll();
        FinishStatementTxn(true);
      }
      if (u.command_tag == "DISCARD SEQUENCES") sequences_.Discard();
      if (u.command_tag == "DISCARD TEMP") DropTempObjects();
      if (u.command_tag == "VACUUM" && (status_ != TxnStatus::kIdle || implicit_multi_)) {
        Throw(SqlState::kActiveSqlTransaction, "VACUUM cannot run inside a transaction block");
      }
      if (u.analyze) {
        QueryResult r = RunAnalyze(u);
        FinishStatementTxn(true);  // commits outside a block (errors roll back in Execute)
        return r;
      }
      return Tagged(u.command_tag);
    }
    default:
      return RunDdl(s);
  }
}

namespace {

// Every table a plan touches, with the lock mode PostgreSQL's executor takes for it.
class RelationCollector {
 public:
  std::vector<std::pair<storage::Oid, storage::LockMode>> out;

  void Plan(const planner::PlanNode& n) {
    using K = planner::PlanKind;
    if (n.table) {
      bool target = planner::IsDataModifying(n.kind);
      out.emplace_back(n.table->oid, target                   ? storage::LockMode::kRowExclusive
                                     : n.kind == K::kLockRows ? storage::LockMode::kRowShare
                                                              : storage::LockMode::kAccessShare);
    }
    for (const auto& t : n.lock_targets) {
      out.emplace_back(t.table->oid, storage::LockMode::kRowShare);
    }
    for (const auto& c : n.children) Plan(*c);
    for (const auto& m : n.inheritance_members) Plan(*m);
    if (n.cte_plan) Plan(*n.cte_plan);
    for (const auto& init : n.init_plans) Plan(*init);
    for (const auto& e : n.exprs) Expr(e);
    for (const auto& row : n.values_rows) {
      for (const auto& e : row) Expr(e);
    }
    for (const auto& e : n.key_exprs) Expr(e);
    Expr(n.predicate);
    for (const auto& e : n.group_exprs) Expr(e);
    for (const auto& a : n.aggregates) {
      for (const auto& e : a.args) Expr(e);
      Expr(a.filter);
    }
    for (const auto& k : n.sort_keys) Expr(k.expr);
    Expr(n.limit);
    Expr(n.offset);
    for (const auto& e : n.left_keys) Expr(e);
    for (const auto& e : n.right_keys) Expr(e);
    for (const auto& a : n.assignments) Expr(a.second);
    for (const auto& e : n.returning) Expr(e);
    for (const auto& m : n.merge_actions) {
      Expr(m.condition);
      for (const auto& a : m.assignments) Expr(a.second);
      for (const auto& e : m.insert_row) Expr(e);
    }
  }
  void Expr(const planner::BoundExprPtr& e) {
    if (!e) return;
    // nextval('s') & co. take RowExclusive on the sequence, as PostgreSQL's do.
    if (e->relation) out.emplace_back(e->relation->oid, storage::LockMode::kRowExclusive);
    if (e->subquery) Plan(*e->subquery);
    for (const auto& c : e->children) Expr(c);
  }
};

}  // namespace

void SessionImpl::LockPlanRelations(const planner::PlanNode& plan, storage::Transaction* txn,
                                    InheritanceLocks* inh) {
  RelationCollector rc;
  rc.Plan(plan);
  // Stronger modes first, so that a table read and written takes RowExclusive only.
  std::stable_sort(rc.out.begin(), rc.out.end(), [](const auto& a, const auto& b) {
    return static_cast<int>(a.second) > static_cast<int>(b.second);
  });
  std::vector<storage::Oid> done;
  for (const auto& [oid, mode] : rc.out) {
    if (std::find(done.begin(), done.end(), oid) != done.end()) continue;
    done.push_back(oid);
    txn->LockRelation(oid, mode);
    if (inh != nullptr && inh->parents.count(oid) && !inh->pinned.count(oid)) {
      std::vector<storage::Oid> children;
      for (const auto& c : CatalogView()->InheritanceChildren(oid)) children.push_back(c->oid);
      inh->pinned.emplace(oid, std::move(children));
    }
  }
}

bool SessionImpl::PlanUsesTempRelations(const planner::PlanNode& plan) {
  RelationCollector rc;
  rc.Plan(plan);
  auto snap = CatalogView();
  std::string temp = TempSchemaName();
  for (const auto& [key, t] : snap->tables) {
    if (std::get<1>(key) != temp) continue;
    for (const auto& [oid, mode] : rc.out) {
      if (oid == t->oid) return true;
    }
  }
  return false;
}

QueryResult SessionImpl::RunQuery(const StatementImpl& st, const Params& params,
                                  const std::vector<int>* positions) {
  std::vector<Type> ptypes;
  InheritanceLocks inh;
  planner::PlanPtr plan = PlanFor(st, &ptypes, &inh);
  {
    // Table locks first; a DDL that committed while this statement waited for one means the
    // plan is planned again (against the new catalog) and its locks taken in turn.
    // A statement that writes or locks rows reads the newest committed data (READ COMMITTED)
    // outside a block; a plain read takes a snapshot.
    // Privileges before locks, as PostgreSQL checks them before it waits for a lock.
    CheckPlanPrivileges(*plan);
    // A statement that calls a VOLATILE SQL function may write through it: it reads the newest
    // committed data and runs to completion, as a write does.
    storage::Transaction* txn =
        StatementTxn(!Writes(*plan) && !FindLockRows(*plan) &&
                     (CatalogView()->functions.empty() || !CallsVolatileFunction(*plan)));
    for (int attempt = 0; attempt < 100; ++attempt) {
      LockPlanRelations(*plan, txn, &inh);
      planner::PlanPtr again = PlanFor(st, &ptypes, &inh);
      if (again == plan) break;
      plan = std::move(again);
      CheckPlanPrivileges(*plan);
    }
  }
  if (params.size() != ptypes.size()) {
    Throw(SqlState::kProtocolViolation,
          "bind message supplies {} parameters, but prepared statement requires {}", params.size(),
          ptypes.size());
  }
  std::vector<Value> values;
  values.reserve(params.size());
  // A regclass (or other reg*) parameter given by name is looked up in the catalog.
  FormatOptions param_format = settings_.format();
  // 'now' in a parameter (or a lifted literal) is the transaction's start, as in timestamp_in.
  param_format.now_usec = status_ == TxnStatus::kInBlock ? block_start_us_ : NowMicrosSince2000();
  if (std::any_of(ptypes.begin(), ptypes.end(), [](const Type& t) { return IsRegType(t.id); })) {
    param_format.reg = NameResolver(CatalogView());
  }
  for (size_t i = 0; i < params.size(); ++i) {
    Type t = ptypes[i].id == TypeId::kUnknown ? Type::Of(TypeId::kText) : ptypes[i];
    if (params[i]) {
      try {
        values.push_back(ParseValue(*params[i], t, param_format));
      } catch (Error& e) {
        if (positions != nullptr && i < positions->size() && (*positions)[i] > 0 && !e.position) {
          e.Position((*positions)[i]);
        }
        throw;
      }
    } else {
      values.push_back(Value::Null(t));
    }
  }
  const bool dml = IsDml(*plan);
  const planner::PlanNode* dml_cte = FirstDmlCte(*plan);
  const bool writes = dml || dml_cte != nullptr;
  const planner::PlanNode* lock_rows = FindLockRows(*plan);
  // Writes of temporary tables are allowed in a read-only transaction, as in PostgreSQL
  // (ExecCheckXactReadOnly).
  const bool temp_target =
      dml && dml_cte == nullptr && plan->table && plan->table->schema.rfind("pg_temp", 0) == 0;
  if ((writes || lock_rows) && !temp_target && TxnReadOnly()) {
    // PostgreSQL names the statement (SELECT for one whose WITH queries write).
    std::string verb = plan->kind == planner::PlanKind::kInsert   ? "INSERT"
                       : plan->kind == planner::PlanKind::kUpdate ? "UPDATE"
                       : plan->kind == planner::PlanKind::kDelete ? "DELETE"
                       : plan->kind == planner::PlanKind::kMerge  ? "MERGE"
                                                                  : "SELECT";
    if (!writes) {
      verb = std::string("SELECT ") +
             ast::LockStrengthName(static_cast<ast::LockStrength>(lock_rows->row_lock_mode));
    }
    Throw(SqlState::kReadOnlySqlTransaction, "cannot execute {} in a read-only transaction", verb);
  }
  QueryResult r;
  r.returns_rows = !dml || !plan->returning.empty();
  if (r.returns_rows) r.columns = Describe(*plan);
  if (stream_results_ && !writes && !lock_rows &&
      (CatalogView()->functions.empty() || !CallsVolatileFunction(*plan))) {
    // A read runs as far as its rows are pulled (QueryStream); it completes there.
    storage::Transaction* txn =
        stream_txn_override_ ? stream_txn_override_ : StatementTxn(/*snapshot_reads=*/true);
    r.stream = std::make_shared<QueryStream>(this, plan, MakeExecContext(txn, std::move(values)));
    return r;
  }
  int64_t n = 0;
  for (int attempt = 0;; ++attempt) {
    storage::Transaction* txn = StatementTxn(!writes && !lock_rows);
    ExecContext ctx = MakeExecContext(txn, values);
    r.rows.clear();
    // A statement that writes in several parts (data-modifying WITH queries, an UPDATE or
    // DELETE through an inheritance parent, one member after another) may have written when a
    // later part finds a changed row: a restart first undoes what it wrote, so that no row is
    // changed twice. (A single-table UPDATE or DELETE locks every target before it writes.)
    storage::UserTransaction* undo = nullptr;
    size_t mark = 0;
    if (dml_cte != nullptr || (dml && !plan->inheritance_members.empty())) {
      undo =
          static_cast<storage::UserTransaction*>(static_cast<storage::CatalogTxn*>(txn)->inner());
      mark = undo->Savepoint();
    }
    try {
      n = RunPlan(*plan, ctx, [&](std::vector<std::vector<Value>>&& rows) {
        FormatRows(std::move(rows), &r.rows, ctx.format);
      });
      if (undo != nullptr) undo->Release(mark);
      break;
    } catch (const StatementRestart&) {
      // A row changed under READ COMMITTED: run again with the newest data (the locks taken
      // so far stay, so the retry makes progress).
      if (undo != nullptr) {
        undo->RollbackTo(mark);
        undo->Release(mark);
      }
      if (attempt >= 1000) {
        Throw(SqlState::kSerializationFailure,
              "could not serialize access due to concurrent update");
      }
    }
  }
  FinishStatementTxn(true);
  switch (plan->kind) {
    case planner::PlanKind::kInsert:
      r.command_tag = "INSERT 0 " + std::to_string(n);
      break;
    case planner::PlanKind::kUpdate:
      r.command_tag = "UPDATE " + std::to_string(n);
      break;
    case planner::PlanKind::kDelete:
      r.command_tag = "DELETE " + std::to_string(n);
      break;
    case planner::PlanKind::kMerge:
      r.command_tag = "MERGE " + std::to_string(n);
      break;
    default:
      r.command_tag = "SELECT " + std::to_string(r.rows.size());
  }
  return r;
}

std::vector<std::vector<Value>> SessionImpl::RunInternalQuery(const std::string& sql,
                                                              storage::Transaction* txn) {
  std::vector<ast::StatementPtr> stmts = parser::Parse(sql);
  if (stmts.size() != 1) Throw(SqlState::kInternalError, "internal query must be one statement");
  planner::PlannerContext pctx = MakePlannerContext();
  planner::PlanPtr plan = planner::PlanStatement(*stmts[0], pctx);
  ExecContext ctx = MakeExecContext(txn, {});
  std::vector<std::vector<Value>> out;
  RunPlan(*plan, ctx, [&](std::vector<std::vector<Value>>&& rows) {
    for (auto& r : rows) out.push_back(std::move(r));
  });
  return out;
}

void SessionImpl::BeginBlock(const ast::TransactionStatement* s) {
  std::string level = settings_.Get("default_transaction_isolation");
  bool read_only = settings_.Get("default_transaction_read_only") == "on";
  bool deferrable = settings_.Get("default_transaction_deferrable") == "on";
  if (s != nullptr) {
    if (s->isolation_level) level = *s->isolation_level;
    if (s->read_only) read_only = *s->read_only;
    if (s->deferrable) deferrable = *s->deferrable;
  }
  settings_.Restore("transaction_isolation", level, "override");
  settings_.Restore("transaction_read_only", read_only ? "on" : "off", "override");
  settings_.Restore("transaction_deferrable", deferrable ? "on" : "off", "override");
  level = settings_.Get("transaction_isolation");
  (void)level;
  // BEGIN inside a multi-statement query adopts the implicit transaction; otherwise the
  // block's transaction starts at its first statement (StatementTxn).
  if (stmt_txn_) block_txn_ = std::move(stmt_txn_);
  block_read_only_ = read_only;
  block_has_query_ = false;
  block_start_us_ = NowMicrosSince2000();
  status_ = TxnStatus::kInBlock;
}

void SessionImpl::EndBlock(bool commit) {
  if (commit && status_ == TxnStatus::kInBlock) {
    try {
      CursorsBeforeCommit();  // WITH HOLD cursors read the rest of their rows in the block
      FireDeferredConstraints(block_txn_.get(), nullptr);
    } catch (...) {
      EndBlock(false);  // the commit fails: the block rolls back
      throw;
    }
  }
  CloseStreams(ResultStream::State::kClosed);
  bool was_ok = status_ == TxnStatus::kInBlock;
  if (commit && was_ok && !on_commit_actions_.empty()) RunOnCommitActions();
  // The block's own value (SET LOCAL synchronous_commit), before LeaveBlock undoes it.
  const std::string sync_level = settings_.Get("synchronous_commit");
  std::unique_ptr<storage::Transaction> txn = LeaveBlock(commit && was_ok);
  // The transaction's catalog changes commit or roll back with it (storage::CatalogTxn), and
  // so do its LISTEN/UNLISTEN/NOTIFY.
  if (commit && was_ok) {
    storage::TakeThreadCommitLsn();
    CommitCountingRows(txn.get(), [&] {
      notifications_.Commit(
          [&] {
            if (txn) txn->Commit();
          },
          &pending_notices_);
    });
    AfterCommit(sync_level);
    return;
  }
  notifications_.Abort();
  if (txn) txn->Rollback();
  EndTableCounts(false);
}

void SessionImpl::AfterCommit(const std::string& level) {
  const uint64_t lsn = storage::TakeThreadCommitLsn();
  storage::ReplicationRegistry* r = engine_->replication();
  if (lsn == 0 || r == nullptr) return;
  r->NotifyCommit();
  // off and local: the local commit is enough (off still waits for the local flush: no
  // asynchronous local commit yet).
  if (r->synchronous_replicas() == 0 || level == "off" || level == "local") return;
  if (!commit_wait_ || commit_wait_->lsn < lsn) commit_wait_ = CommitWait{lsn, level};
}

void SessionImpl::UndoSettings(size_t mark, bool local_only) {
  bool identity = false;
  for (size_t i = set_undo_.size(); i > mark; --i) {
    const SetUndo& u = set_undo_[i - 1];
    if (local_only && !u.local) continue;
    if (u.name == "role" || u.name == "session_authorization") {
      settings_.SetByServer(u.name, u.old);  // read-only to SET: the server keeps them
      identity = true;
      continue;
    }
    try {
      settings_.Restore(u.name, u.old, u.old_source);
    } catch (const Error&) {
    }
  }
  set_undo_.resize(mark);
  if (identity) ReapplyIdentity();
  // ROLLBACK TO restores a subtransaction's SET TRANSACTION READ ONLY / READ WRITE.
  if (status_ == TxnStatus::kInBlock) {
    block_read_only_ = settings_.Get("transaction_read_only") == "on";
  }
}

std::unique_ptr<storage::Transaction> SessionImpl::LeaveBlock(bool committed) {
  CloseStreams(ResultStream::State::kClosed);
  status_ = TxnStatus::kIdle;
  deferred_.Clear();
  savepoints_.clear();
  std::unique_ptr<storage::Transaction> txn = std::move(block_txn_);
  CursorsAtEnd(committed);
  UndoSettings(0, committed);
  for (const char* name :
       {"transaction_isolation", "transaction_read_only", "transaction_deferrable"}) {
    settings_.Restore(name, settings_.Get(std::string("default_") + name), "override");
  }
  return txn;
}

QueryResult SessionImpl::RunPrepareTransaction(const std::string& gid) {
  CloseStreams(ResultStream::State::kClosed);
  if (status_ == TxnStatus::kFailed) {  // PostgreSQL rolls a failed block back
    EndBlock(false);
    return Tagged("ROLLBACK");
  }
  std::unique_ptr<storage::Transaction> txn;
  if (status_ == TxnStatus::kIdle) {
    pending_notices_.push_back(Notice{"WARNING", "25P01", "there is no transaction in progress"});
    // Outside a block there is nothing to prepare, except the implicit transaction of a
    // multi-statement query, which PostgreSQL 15 prepares after the warning.
    if (!implicit_multi_) return Tagged("ROLLBACK");
    if (stmt_txn_) FireDeferredConstraints(stmt_txn_.get(), nullptr);
    deferred_.Clear();
    txn = std::move(stmt_txn_);
    if (!txn) txn = NewTxn(false);
  } else {
    for (const auto& [name, c] : cursors_) {
      if (c->hold && c->in_block) {
        Throw(SqlState::kFeatureNotSupported,
              "cannot PREPARE a transaction that has created a cursor WITH HOLD");
      }
    }
    // The block ends here whatever happens; an error below rolls its transaction back.
    if (!block_txn_) block_txn_ = NewTxn(false);
    try {
      FireDeferredConstraints(block_txn_.get(), nullptr);
    } catch (...) {
      EndBlock(false);  // as a failed COMMIT: the transaction rolls back
      throw;
    }
    txn = LeaveBlock();
  }
  // The row changes of a prepared transaction are not counted (PostgreSQL counts them at COMMIT
  // PREPARED; ActiveStore does not keep them with the prepared transaction).
  xact_counts_ = TransactionTableCounts();
  storage::TwoPhaseManager* tp = engine_->two_phase();
  if (tp->enabled() && notifications_.HasPending()) {
    Throw(SqlState::kFeatureNotSupported,
          "cannot PREPARE a transaction that has executed LISTEN, UNLISTEN, or NOTIFY");
  }
  auto* ctxn = static_cast<storage::CatalogTxn*>(txn.get());
  auto* utxn = static_cast<storage::UserTransaction*>(ctxn->inner());
  // A temporary object goes with the session, so a transaction that created, dropped or used
  // one cannot outlive it (PostgreSQL checks this first, also with 2PC disabled).
  bool temporary = ctxn->changed_temporary_objects();
  if (!temporary) {
    std::shared_ptr<const storage::CatalogSnapshot> snap = ctxn->Snapshot();
    for (const auto& [tag, mode] : engine_->locks()->Held(utxn->owner())) {
      if (tag.kind != storage::LockKind::kRelation) continue;
      auto rel = snap->FindRelationByOid(tag.relation);
      if (rel &&
          (rel->schema.starts_with("pg_temp_") || rel->schema.starts_with("pg_toast_temp_"))) {
        temporary = true;
        break;
      }
    }
  }
  if (temporary) {
    Throw(SqlState::kFeatureNotSupported,
          "cannot PREPARE a transaction that has operated on temporary objects");
  }
  if (tp->enabled() && session_lock_owner_ != 0) {
    // A session-level advisory lock stays with the session, the transaction's goes with the
    // prepared transaction: PostgreSQL refuses to split one object's locks that way.
    auto session_held = engine_->locks()->Held(session_lock_owner_);
    for (const auto& [tag, mode] : engine_->locks()->Held(utxn->owner())) {
      for (const auto& [stag, smode] : session_held) {
        if (tag == stag) {
          Throw(SqlState::kFeatureNotSupported,
                "cannot PREPARE while holding both session-level and transaction-level locks "
                "on the same object");
        }
      }
    }
  }
  storage::PreparedRecord meta;
  meta.owner = user_;
  meta.database = db_.oid;
  meta.database_name = db_.name;
  meta.prepared_at_us = NowMicrosSince2000();
  // The catalog half checks DDL as a commit would and keeps the storage it created; the record
  // carries what COMMIT / ROLLBACK PREPARED must finish.
  ctxn->Prepare([&](const storage::PreparedCatalogChanges& catalog) {
    meta.catalog = catalog;
    tp->Prepare(gid, utxn, std::move(meta));
  });
  return Tagged("PREPARE TRANSACTION");
}

QueryResult SessionImpl::RunFinishPrepared(const std::string& gid, bool commit) {
  const char* verb = commit ? "COMMIT PREPARED" : "ROLLBACK PREPARED";
  if (status_ != TxnStatus::kIdle || implicit_multi_) {
    Throw(SqlState::kActiveSqlTransaction, "{} cannot run inside a transaction block", verb);
  }
  engine_->two_phase()->Finish(gid, commit, db_.oid);
  return Tagged(verb);
}

std::vector<std::vector<Value>> SessionImpl::SystemViewRows(const std::string& view) {
  std::vector<std::vector<Value>> out;
  if (view == "pg_settings") {  // PostgreSQL's pg_show_all_settings()
    const Value null = Value::Null(Type::Of(TypeId::kText));
    auto text_or_null = [&](const char* s) { return s == nullptr ? null : Value::Text(s); };
    for (const SettingState& st : settings_.States()) {
      const SettingDef* def = FindSettingDef(st.name);
      // A custom "ext.name" parameter is a placeholder string, as PostgreSQL shows it.
      const SettingDef custom{st.name.c_str(),
                              SettingType::kString,
                              nullptr,
                              "user",
                              "Customized Options",
                              "",
                              nullptr,
                              nullptr,
                              nullptr,
                              nullptr};
      const SettingDef& d = def != nullptr ? *def : custom;
      Value enumvals = Value::Null(Type::Of(kTextArrayType));
      if (d.enum_values != nullptr) {
        std::vector<Value> vals;
        std::string_view rest = d.enum_values;
        while (!rest.empty()) {
          size_t comma = rest.find(',');
          vals.push_back(Value::Text(std::string(rest.substr(0, comma))));
          rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        }
        enumvals = MakeArrayValue(Type::Of(kTextArrayType), vals);
      }
      out.push_back({Value::Text(d.name), Value::Text(SettingInUnits(d, st.value)),
                     text_or_null(d.unit), Value::Text(d.category), Value::Text(d.short_desc),
                     text_or_null(d.extra_desc), Value::Text(d.context),
                     Value::Text(SettingTypeName(d.type)), Value::Text(st.source),
                     text_or_null(d.min_val), text_or_null(d.max_val), enumvals,
                     Value::Text(SettingInUnits(d, st.boot_value)),
                     Value::Text(SettingInUnits(d, st.reset_value)), null,
                     Value::Null(Type::Of(TypeId::kInt32)), Value::Bool(false)});
    }
    return out;
  }
  if (view == "pg_stat_activity") {
    // PostgreSQL 15's pg_stat_get_activity(NULL) joined to pg_database and pg_authid: one row
    // per client session. Without the privileges of the session's role (or of
    // pg_read_all_stats) only its database, pid, role and application_name show, and query
    // says "<insufficient privilege>".
    const Value null = Value::Null();
    auto snap = CatalogView();
    const storage::Oid db_owner = DatabaseOwner();
    constexpr storage::Oid kPgReadAllStatsOid = 3375;  // the predefined role pg_read_all_stats
    const bool read_all_stats =
        storage::HasPrivsOfRole(*snap, user_oid_, kPgReadAllStatsOid, db_owner);
    std::map<storage::Oid, std::string> databases;
    for (const auto& [name, d] : snap->databases) databases.emplace(d.oid, name);
    std::map<int, storage::LockKind> waits;
    for (const auto& [pid, kind] : engine_->locks()->Waits()) waits.emplace(pid, kind);
    auto ts = [&](int64_t us) { return us == 0 ? null : Value::Int(TypeId::kTimestampTz, us); };
    for (const BackendActivityRow& a : engine_->activity()->Sessions()) {
      std::vector<Value> row(22, null);
      row[0] = Value::Int(TypeId::kOid, a.database);
      if (auto d = databases.find(a.database); d != databases.end()) {
        row[1] = Value::Text(d->second, TypeId::kName);
      }
      row[2] = Value::Int32(a.pid);
      row[4] = Value::Int(TypeId::kOid, a.user);
      if (const storage::RoleInfo* r = snap->FindRoleByOid(a.user)) {
        row[5] = Value::Text(r->name, TypeId::kName);
      }
      row[6] = Value::Text(a.application_name);
      if (!read_all_stats && !storage::HasPrivsOfRole(*snap, user_oid_, a.user, db_owner)) {
        row[20] = Value::Text("<insufficient privilege>");
        out.push_back(std::move(row));
        continue;
      }
      if (!a.client_addr.empty()) row[7] = Value::Text(a.client_addr);
      if (a.client_port >= 0) row[9] = Value::Int32(a.client_port);
      row[10] = ts(a.backend_start_us);
      row[11] = ts(a.xact_start_us);
      row[12] = ts(a.query_start_us);
      row[13] = ts(a.state_change_us);
      if (a.state != BackendState::kActive) {
        row[14] = Value::Text("Client");
        row[15] = Value::Text("ClientRead");
      } else if (auto w = waits.find(a.pid); w != waits.end()) {
        row[14] = Value::Text("Lock");
        row[15] = Value::Text(w->second == storage::LockKind::kRelation ? "relation"
                              : w->second == storage::LockKind::kRow    ? "tuple"
                                                                        : "advisory");
      }
      row[16] = Value::Text(BackendStateName(a.state));
      row[20] = Value::Text(a.query);
      row[21] = Value::Text("client backend");
      out.push_back(std::move(row));
    }
    return out;
  }
  if (view == "pg_locks") {
    const Value null = Value::Null();
    for (const storage::LockInfo& l : engine_->locks()->Locks()) {
      std::vector<Value> row(16, null);
      const storage::LockTag& t = l.tag;
      auto oid = [](uint64_t v) { return Value::Int64(static_cast<int64_t>(v)); };
      switch (t.kind) {
        case storage::LockKind::kRelation:
          row[0] = Value::Text("relation");
          row[1] = oid(t.database);
          row[2] = oid(t.relation);
          break;
        case storage::LockKind::kRow:
          // A row lock (PostgreSQL keeps most of these in the row; the tuple's place is not
          // shown: rows have no page here).
          row[0] = Value::Text("tuple");
          row[1] = oid(t.database);
          row[2] = oid(t.relation);
          break;
        case storage::LockKind::kAdvisory:
          // PostgreSQL's layout: classid = high half, objid = low half, objsubid 1 for a
          // bigint key, 2 for two int4 keys.
          row[0] = Value::Text("advisory");
          row[1] = oid(t.database);
          row[7] = oid(t.id >> 32);
          row[8] = oid(t.id & 0xffffffffu);
          row[9] = Value::Int(TypeId::kInt16, t.relation);
          break;
      }
      row[10] = Value::Text(l.pid == 0 ? "-1/0" : fmt::format("{}/1", l.pid));
      if (l.pid != 0) row[11] = Value::Int32(l.pid);
      row[12] = Value::Text(l.mode);
      row[13] = Value::Bool(l.granted);
      row[14] = Value::Bool(false);
      out.push_back(std::move(row));
    }
    return out;
  }
  if (view == "pg_replication_slots") {
    // Physical slots only: what a logical slot has (plugin, database, xmin, confirmed flush)
    // is NULL, as PostgreSQL shows it for a physical slot. safe_wal_size is NULL: no
    // max_slot_wal_keep_size, a slot keeps everything it needs.
    const Value null = Value::Null();
    if (storage::ReplicationRegistry* r = engine_->replication()) {
      for (const storage::ReplicationSlotInfo& slot : r->Slots()) {
        std::vector<Value> row(15, null);
        row[0] = Value::Text(slot.name, TypeId::kName);
        row[2] = Value::Text("physical");
        row[5] = Value::Bool(false);
        row[6] = Value::Bool(slot.active_pid != 0);
        if (slot.active_pid != 0) row[7] = Value::Int32(slot.active_pid);
        if (slot.restart_lsn) {
          row[10] = PgLsnValue(*slot.restart_lsn);
          row[12] = Value::Text("reserved");
        }
        row[14] = Value::Bool(false);
        out.push_back(std::move(row));
      }
    }
    return out;
  }
  if (view == "pg_stat_replication") {
    // One row per replication connection streaming from this node. As PostgreSQL without
    // pg_read_all_stats, a role that is not a superuser sees who streams but not where.
    const Value null = Value::Null();
    auto snap = CatalogView();
    const storage::RoleInfo* me = snap->FindRoleByOid(user_oid_);
    const bool privileged = me != nullptr && me->superuser;
    auto lag = [&](const std::optional<int64_t>& us) {
      return us ? Value::Interval(Interval{*us, 0, 0}) : null;
    };
    auto lsn = [&](uint64_t v) { return v == 0 ? null : PgLsnValue(v); };
    if (storage::ReplicationRegistry* r = engine_->replication()) {
      for (const storage::SenderInfo& w : r->Senders()) {
        std::vector<Value> row(20, null);
        row[0] = Value::Int32(w.pid);
        if (const storage::RoleInfo* role = snap->FindRole(w.user)) {
          row[1] = Value::Int(TypeId::kOid, role->oid);
        }
        row[2] = Value::Text(w.user, TypeId::kName);
        row[3] = Value::Text(w.application_name);
        if (privileged) {
          if (!w.client_addr.empty()) row[4] = Value::Text(w.client_addr);
          if (w.client_port >= 0) row[6] = Value::Int32(w.client_port);
          row[7] = Value::Int(TypeId::kTimestampTz, w.backend_start_us);
          row[9] = Value::Text(w.state);
          row[10] = lsn(w.sent_lsn);
          row[11] = lsn(w.write_lsn);
          row[12] = lsn(w.flush_lsn);
          row[13] = lsn(w.replay_lsn);
          row[14] = lag(w.write_lag_us);
          row[15] = lag(w.flush_lag_us);
          row[16] = lag(w.replay_lag_us);
          row[17] = Value::Int32(w.sync_state == "async" ? 0 : 1);
          row[18] = Value::Text(w.sync_state);
          if (w.reply_time_us != 0) row[19] = Value::Int(TypeId::kTimestampTz, w.reply_time_us);
        }
        out.push_back(std::move(row));
      }
    }
    return out;
  }
  if (view == "pg_stat_wal_receiver") {
    // One row on a replica whose receiver has started; none elsewhere (as PostgreSQL). The
    // sensitive columns need a superuser, as pg_read_all_stats in PostgreSQL.
    const Value null = Value::Null();
    storage::ReplicationRegistry* r = engine_->replication();
    std::optional<storage::ReceiverInfo> w = r ? r->Receiver() : std::nullopt;
    if (!w) return out;
    auto snap = CatalogView();
    const storage::RoleInfo* me = snap->FindRoleByOid(user_oid_);
    auto lsn = [&](uint64_t v) { return v == 0 ? null : PgLsnValue(v); };
    auto ts = [&](int64_t us) { return us == 0 ? null : Value::Int(TypeId::kTimestampTz, us); };
    std::vector<Value> row(15, null);
    row[0] = Value::Int32(w->pid);
    if (me != nullptr && me->superuser) {
      row[1] = Value::Text(w->status);
      row[2] = lsn(w->receive_start_lsn);
      row[3] = Value::Int32(1);
      row[4] = lsn(w->written_lsn);
      row[5] = lsn(w->flushed_lsn);
      row[6] = Value::Int32(1);
      row[7] = ts(w->last_msg_send_time_us);
      row[8] = ts(w->last_msg_receipt_time_us);
      row[9] = lsn(w->latest_end_lsn);
      row[10] = ts(w->latest_end_time_us);
      if (!w->slot_name.empty()) row[11] = Value::Text(w->slot_name);
      row[12] = Value::Text(w->sender_host);
      row[13] = Value::Int32(w->sender_port);
      row[14] = Value::Text(w->conninfo);
    }
    out.push_back(std::move(row));
    return out;
  }
  if (view == "pg_stat_statements") {
    // What ActiveStore does not measure per statement (planning unless track_planning,
    // buffers, I/O timing, WAL, JIT: there is no JIT) reads as zero.
    const Value zero8 = Value::Int64(0), zero_f = Value::Float64(0);
    for (const StatementStats& e : engine_->stat_statements()->Entries()) {
      std::vector<Value> row;
      row.reserve(43);
      row.push_back(Value::Int(TypeId::kOid, e.user_oid));
      row.push_back(Value::Int(TypeId::kOid, e.database_oid));
      row.push_back(Value::Bool(true));
      row.push_back(Value::Int64(e.query_id));
      row.push_back(Value::Text(e.query));
      row.push_back(zero8);
      for (int i = 0; i < 5; ++i) row.push_back(zero_f);
      row.push_back(Value::Int64(e.calls));
      for (double ms : {e.total_ms, e.min_ms, e.max_ms, e.mean_ms, e.StddevMs()}) {
        row.push_back(Value::Float64(ms));
      }
      row.push_back(Value::Int64(e.rows));
      for (int i = 0; i < 10; ++i) row.push_back(zero8);  // shared/local/temp blocks
      for (int i = 0; i < 4; ++i) row.push_back(zero_f);  // block I/O times
      row.push_back(zero8);                               // wal_records
      row.push_back(zero8);                               // wal_fpi
      row.push_back(Value::Num(Numeric::FromInt64(0)));   // wal_bytes
      row.push_back(zero8);                               // jit_functions
      for (int i = 0; i < 4; ++i) {
        if (i > 0) row.push_back(zero8);
        row.push_back(zero_f);
      }
      out.push_back(std::move(row));
    }
    return out;
  }
  if (view == "pg_cursors") return CursorRows();
  if (view == "pg_stat_statements_info") {
    const StatStatements& ss = *engine_->stat_statements();
    out.push_back(
        {Value::Int64(ss.deallocations()), Value::Int(TypeId::kTimestampTz, ss.stats_reset_us())});
    return out;
  }
  if (view != "pg_prepared_xacts") {
    Throw(SqlState::kInternalError, "unknown system view \"{}\"", view);
  }
  for (const storage::PreparedXactInfo& x : engine_->two_phase()->List()) {
    out.push_back({Value::Int64(static_cast<int64_t>(x.xid)), Value::Text(x.gid),
                   Value::Int(TypeId::kTimestampTz, x.prepared_at_us), Value::Text(x.owner),
                   Value::Text(x.database_name)});
  }
  return out;
}

QueryResult SessionImpl::RunTransaction(const ast::TransactionStatement& s) {
  auto warn = [&](const char* state, const char* msg) {
    pending_notices_.push_back(Notice{"WARNING", state, msg});
  };
  if (s.and_chain) {
    // COMMIT / ROLLBACK AND CHAIN: end the block, then start a new one with the same
    // isolation level, read-only and deferrable modes.
    bool commit = s.action == ast::TxnAction::kCommit;
    if (status_ == TxnStatus::kIdle) {
      Throw(SqlState::kNoActiveSqlTransaction,
            "{} AND CHAIN can only be used in transaction blocks", commit ? "COMMIT" : "ROLLBACK");
    }
    ast::TransactionStatement modes;
    modes.isolation_level = settings_.Get("transaction_isolation");
    modes.read_only = settings_.Get("transaction_read_only") == "on";
    modes.deferrable = settings_.Get("transaction_deferrable") == "on";
    bool committed = commit && status_ == TxnStatus::kInBlock;
    EndBlock(committed);
    BeginBlock(&modes);
    return Tagged(committed ? "COMMIT" : "ROLLBACK");
  }
  switch (s.action) {
    case ast::TxnAction::kBegin:
      if (status_ != TxnStatus::kIdle) {
        warn("25001", "there is already a transaction in progress");
      } else {
        BeginBlock(&s);
      }
      return Tagged(s.location >= 0 ? "BEGIN" : "BEGIN");
    case ast::TxnAction::kCommit:
      if (status_ == TxnStatus::kIdle) {
        warn("25P01", "there is no transaction in progress");
        EndImplicitTxn(true);
        return Tagged("COMMIT");
      }
      if (status_ == TxnStatus::kFailed) {
        EndBlock(false);
        return Tagged("ROLLBACK");
      }
      EndBlock(true);
      return Tagged("COMMIT");
    case ast::TxnAction::kRollback:
      if (status_ == TxnStatus::kIdle) {
        warn("25P01", "there is no transaction in progress");
        EndImplicitTxn(false);
      } else {
        EndBlock(false);
      }
      return Tagged("ROLLBACK");
    case ast::TxnAction::kSavepoint:
    case ast::TxnAction::kRelease:
    case ast::TxnAction::kRollbackTo:
      return RunSavepoint(s);
    case ast::TxnAction::kPrepareTransaction:
      return RunPrepareTransaction(s.savepoint_name);
    case ast::TxnAction::kCommitPrepared:
    case ast::TxnAction::kRollbackPrepared:
      return RunFinishPrepared(s.savepoint_name, s.action == ast::TxnAction::kCommitPrepared);
  }
  return Tagged("BEGIN");
}

QueryResult SessionImpl::RunSavepoint(const ast::TransactionStatement& s) {
  const char* verb = s.action == ast::TxnAction::kSavepoint ? "SAVEPOINT"
                     : s.action == ast::TxnAction::kRelease ? "RELEASE SAVEPOINT"
                                                            : "ROLLBACK TO SAVEPOINT";
  if (status_ == TxnStatus::kIdle) {
    Throw(SqlState::kNoActiveSqlTransaction, "{} can only be used in transaction blocks", verb);
  }
  const std::string& name = s.savepoint_name;
  if (s.action == ast::TxnAction::kSavepoint) {
    auto* ctxn = static_cast<storage::CatalogTxn*>(StatementTxn());
    auto* utxn = static_cast<storage::UserTransaction*>(ctxn->inner());
    savepoints_.push_back(Savepoint{name, utxn->Savepoint(), ctxn->Mark(), set_undo_.size(),
                                    notifications_.Savepoint(), block_read_only_,
                                    xact_counts_.Savepoint(), deferred_.Savepoint()});
    return Tagged("SAVEPOINT");
  }
  // The newest savepoint of that name.
  auto it = std::find_if(savepoints_.rbegin(), savepoints_.rend(),
                         [&](const Savepoint& sp) { return sp.name == name; });
  if (it == savepoints_.rend()) {
    Throw(SqlState::kInvalidSavepointSpecification, "savepoint \"{}\" does not exist", name);
  }
  size_t index = static_cast<size_t>(savepoints_.rend() - it) - 1;
  auto* ctxn = static_cast<storage::CatalogTxn*>(block_txn_.get());
  auto* txn = ctxn == nullptr ? nullptr : static_cast<storage::UserTransaction*>(ctxn->inner());
  if (txn == nullptr) {
    Throw(SqlState::kInFailedSqlTransaction,
          "current transaction is aborted, commands ignored until end of transaction block");
  }
  if (s.action == ast::TxnAction::kRelease) {
    if (status_ == TxnStatus::kFailed) {
      Throw(SqlState::kInFailedSqlTransaction,
            "current transaction is aborted, commands ignored until end of transaction block");
    }
    txn->Release(savepoints_[index].data_mark);
    xact_counts_.Release(savepoints_[index].stats_mark);
    // PostgreSQL's CommitSubTransaction restores XactReadOnly: a SET TRANSACTION READ ONLY (or
    // READ WRITE) made in the released subtransactions ends with them.
    if (block_read_only_ != savepoints_[index].read_only) {
      block_read_only_ = savepoints_[index].read_only;
      settings_.Set("transaction_read_only", block_read_only_ ? "on" : "off");
    }
    savepoints_.resize(index);
    return Tagged("RELEASE");
  }
  // Streams started after the savepoint go with it (PostgreSQL drops the portals of a
  // subtransaction it rolls back).
  CloseStreams(ResultStream::State::kClosed, index + 1);
  CursorsAtRollbackTo(index);
  txn->RollbackTo(savepoints_[index].data_mark);
  ctxn->RollbackTo(savepoints_[index].catalog_mark);
  UndoSettings(savepoints_[index].set_mark, false);
  notifications_.RollbackTo(savepoints_[index].notify_mark);
  xact_counts_.RollbackTo(savepoints_[index].stats_mark);
  deferred_.RollbackTo(savepoints_[index].deferred_mark);
  savepoints_.resize(index + 1);
  status_ = TxnStatus::kInBlock;
  return Tagged("ROLLBACK");
}

QueryResult SessionImpl::RunNotify(const ast::NotifyStatement& s) {
  using Action = ast::NotifyStatement::Action;
  const char* tag = "NOTIFY";
  switch (s.action) {
    case Action::kListen:
      notifications_.Listen(s.channel);
      tag = "LISTEN";
      break;
    case Action::kUnlisten:
      if (s.channel.empty()) {
        notifications_.UnlistenAll();
      } else {
        notifications_.Unlisten(s.channel);
      }
      tag = "UNLISTEN";
      break;
    case Action::kNotify:
      notifications_.Notify(s.channel, s.payload);
      break;
  }
  FinishStatementTxn(true);  // outside a block: commits now (or at Sync)
  return Tagged(tag);
}

QueryResult SessionImpl::RunSet(const ast::SetStatement& s) {
  if (s.set_constraints) return RunSetConstraints(s);
  std::string name = s.name;
  if (name == "role" || name == "session_authorization") {
    // Undone by ROLLBACK (and SET LOCAL at the block's end) like any setting: UndoSettings
    // restores the text and ReapplyIdentity the roles it names.
    const std::string old = settings_.Get(name);
    const std::string old_source = settings_.Source(name);
    const bool reset = s.is_default || s.values.empty();
    QueryResult result =
        name == "role" ? SetRole(reset ? "none" : s.values[0])
                       : SetSessionAuthorization(reset ? std::nullopt
                                                       : std::optional<std::string>(s.values[0]));
    if (status_ != TxnStatus::kIdle) set_undo_.push_back({name, old, s.local, old_source});
    return result;
  }
  // PostgreSQL's check_XactIsoLevel and check_transaction_deferrable (setting the level a
  // transaction already has is allowed at any point).
  // (A SAVEPOINT starts the block's transaction without a query: block_has_query_ tells.)
  if (name == "transaction_isolation" && status_ == TxnStatus::kInBlock && !s.values.empty() &&
      s.values[0] != settings_.Get(name)) {
    if (!savepoints_.empty() && !block_has_query_) {
      Throw(SqlState::kActiveSqlTransaction,
            "SET TRANSACTION ISOLATION LEVEL must not be called in a subtransaction");
    }
    if (block_txn_) {
      Throw(SqlState::kActiveSqlTransaction,
            "SET TRANSACTION ISOLATION LEVEL must be called before any query");
    }
  }
  if (name == "transaction_deferrable" && status_ == TxnStatus::kInBlock) {
    if (!savepoints_.empty()) {
      Throw(SqlState::kActiveSqlTransaction,
            "SET TRANSACTION [NOT] DEFERRABLE cannot be called within a subtransaction");
    }
    if (block_txn_) {
      Throw(SqlState::kActiveSqlTransaction,
            "SET TRANSACTION [NOT] DEFERRABLE must be called before any query");
    }
  }
  if (name == "transaction_read_only" && status_ == TxnStatus::kInBlock && block_read_only_ &&
      !s.values.empty() && s.values[0] == "off") {
    // PostgreSQL's check_transaction_read_only: a subtransaction first, then a snapshot.
    if (!savepoints_.empty()) {
      Throw(SqlState::kActiveSqlTransaction,
            "cannot set transaction read-write mode inside a read-only transaction");
    }
    if (block_txn_) {
      Throw(SqlState::kActiveSqlTransaction,
            "transaction read-write mode must be set before any query");
    }
  }
  if ((name == "transaction_isolation" || name == "transaction_read_only" ||
       name == "transaction_deferrable") &&
      status_ == TxnStatus::kIdle) {
    pending_notices_.push_back(
        Notice{"WARNING", "25P01", "SET TRANSACTION can only be used in transaction blocks"});
    return Tagged("SET");
  }
  if (s.local && status_ == TxnStatus::kIdle) {
    pending_notices_.push_back(
        Notice{"WARNING", "25P01", "SET LOCAL can only be used in transaction blocks"});
    return Tagged("SET");
  }
  settings_.DefinePlaceholder(name);
  std::string old = settings_.Get(name);
  std::string old_source = settings_.Source(name);
  if (s.is_default) {
    settings_.Reset(name);
  } else {
    std::string value;
    for (size_t i = 0; i < s.values.size(); ++i) {
      if (i) value += ", ";
      value += s.values[i];
    }
    settings_.Set(name, value);
  }
  if (name == "transaction_read_only" && status_ == TxnStatus::kInBlock) {
    block_read_only_ = settings_.Get(name) == "on";
  }
  if (status_ != TxnStatus::kIdle) set_undo_.push_back({name, old, s.local, old_source});
  for (const auto& [mode, value] : s.more_modes) {  // SET TRANSACTION a, b, ...: in order
    ast::SetStatement next;
    next.name = mode;
    next.values = {value};
    next.local = s.local;
    RunSet(next);
  }
  return Tagged("SET");
}

QueryResult SessionImpl::RunShow(const ast::ShowStatement& s) {
  QueryResult r;
  r.returns_rows = true;
  r.command_tag = "SHOW";
  if (s.name == "all") {
    r.columns = {ColumnDesc{"name"}, ColumnDesc{"setting"}, ColumnDesc{"description"}};
    // As PostgreSQL: the parameters pg_settings shows, with their short descriptions.
    for (const SettingState& st : settings_.States()) {
      const SettingDef* def = FindSettingDef(st.name);
      r.rows.push_back({st.name, st.value, std::string(def != nullptr ? def->short_desc : "")});
    }
    return r;
  }
  std::string v = settings_.Get(s.name);
  r.columns = {ColumnDesc{settings_.DisplayName(s.name)}};
  r.rows.push_back({v});
  return r;
}

QueryResult SessionImpl::RunExplain(const ast::ExplainStatement& s, const Params& params) {
  if (!s.statement) Throw(SqlState::kSyntaxError, "EXPLAIN needs a statement");
  auto k = s.statement->kind;
  if (k != ast::StmtKind::kSelect && k != ast::StmtKind::kInsert && k != ast::StmtKind::kUpdate &&
      k != ast::StmtKind::kDelete && k != ast::StmtKind::kMerge) {
    Throw(SqlState::kFeatureNotSupported, "EXPLAIN of this statement is not supported");
  }
  planner::PlannerContext ctx = MakePlannerContext();
  planner::PlanPtr plan = planner::PlanStatement(*s.statement, ctx);
  QueryResult r;
  r.returns_rows = true;
  r.columns = {ColumnDesc{"QUERY PLAN"}};
  r.command_tag = "EXPLAIN";
  for (auto& line : ExplainPlan(*plan)) r.rows.push_back({line});
  if (s.analyze) {
    if (!ctx.param_types.empty()) {
      Throw(SqlState::kFeatureNotSupported, "EXPLAIN ANALYZE with parameters is not supported");
    }
    auto start = std::chrono::steady_clock::now();
    storage::Transaction* txn = StatementTxn();
    ExecContext ectx = MakeExecContext(txn, {});
    int64_t n = RunPlan(*plan, ectx, [](std::vector<std::vector<Value>>&&) {});
    FinishStatementTxn(true);
    double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    r.rows.push_back({fmt::format("Rows: {}", n)});
    r.rows.push_back({fmt::format("Execution Time: {:.3f} ms", ms)});
  }
  return r;
}

QueryResult SessionImpl::RunPrepare(const ast::PrepareStatement& s) {
  if (FindNamedStatement(s.name) != nullptr) {
    Throw(SqlState::kDuplicatePreparedStatement, "prepared statement \"{}\" already exists",
          s.name);
  }
  if (!s.statement) Throw(SqlState::kSyntaxError, "PREPARE needs a statement");
  auto st = std::make_shared<StatementImpl>();
  st->sql_ = s.statement_text;
  planner::PlannerContext type_ctx = MakePlannerContext();  // user-defined types too
  for (const auto& t : s.param_types) {
    st->given_param_types_.push_back(planner::ResolveTypeName(t, &type_ctx, nullptr));
  }
  // Keep the whole PREPARE tree alive while the inner statement is used.
  auto k = s.statement->kind;
  if (k != ast::StmtKind::kSelect && k != ast::StmtKind::kInsert && k != ast::StmtKind::kUpdate &&
      k != ast::StmtKind::kDelete && k != ast::StmtKind::kMerge) {
    Throw(SqlState::kFeatureNotSupported, "PREPARE of this statement is not supported yet");
  }
  // Re-parse the inner text so that the prepared statement owns its tree.
  std::vector<ast::StatementPtr> stmts = ParseText(s.statement_text, false);
  if (stmts.size() != 1) Throw(SqlState::kSyntaxError, "PREPARE needs exactly one statement");
  st->ast_ = std::shared_ptr<const ast::Statement>(std::move(stmts[0]));
  std::vector<Type> ptypes;
  planner::PlanPtr plan = PlanFor(*st, &ptypes);
  for (const Type& t : ptypes) {
    st->param_oids_.push_back(
        static_cast<uint32_t>(t.id == TypeId::kUnknown ? TypeId::kText : t.id));
  }
  st->returns_rows_ = !IsDml(*plan) || !plan->returning.empty();
  if (st->returns_rows_) st->columns_ = Describe(*plan);
  st->described_ = true;
  AddNamedStatement(s.name, st);
  return Tagged("PREPARE");
}

QueryResult SessionImpl::RunExecute(const ast::ExecuteStatement& s) {
  std::shared_ptr<StatementImpl> st = NamedImpl(s.name);
  if (st == nullptr) {
    Throw(SqlState::kInvalidSqlStatementName, "prepared statement \"{}\" does not exist", s.name);
  }
  if (s.args.size() != st->param_oids_.size()) {
    Throw(SqlState::kSyntaxError, "wrong number of parameters for prepared statement \"{}\"",
          s.name);
  }
  Params params;
  if (!s.args.empty()) {
    planner::PlannerContext ctx = MakePlannerContext();
    auto node = std::make_shared<planner::PlanNode>();
    node->kind = planner::PlanKind::kResult;
    for (size_t i = 0; i < s.args.size(); ++i) {
      planner::BoundExprPtr e = planner::BindStandaloneExpr(*s.args[i], ctx);
      node->exprs.push_back(e);
      node->output_types.push_back(e->type);
      node->output_names.push_back("?column?");
    }
    storage::Transaction* txn = StatementTxn();
    ExecContext ectx = MakeExecContext(txn, {});
    std::vector<std::vector<Value>> rows;
    RunPlan(*node, ectx, [&](std::vector<std::vector<Value>>&& b) {
      for (auto& r : b) rows.push_back(std::move(r));
    });
    FinishStatementTxn(true);
    for (size_t i = 0; i < rows.at(0).size(); ++i) {
      // Each argument is coerced to its parameter's type first, as PostgreSQL does
      // ('t'::regclass for an oid parameter is the relation's oid, not the text "t").
      Value v = rows[0][i];
      const TypeInfo* type = FindTypeByOid(st->param_oids_[i]);
      if (!v.is_null && type != nullptr && type->id != v.type.id && v.type.id != TypeId::kUnknown) {
        v = CastValue(v, Type::Of(type->id), ectx.format);
      }
      params.push_back(v.is_null ? std::nullopt
                                 : std::optional<std::string>(FormatValue(v, ectx.format)));
    }
  }
  return RunQuery(*st, params);
}

std::shared_ptr<StatementImpl> SessionImpl::NamedImpl(const std::string& name) const {
  // Every statement a SessionImpl prepares (Parse or PREPARE) is a StatementImpl.
  return std::static_pointer_cast<StatementImpl>(FindNamedStatement(name));
}

QueryResult SessionImpl::RunDeallocate(const ast::DeallocateStatement& s) {
  if (s.all) {
    CloseAllNamedStatements();
    return Tagged("DEALLOCATE ALL");
  }
  if (!CloseNamedStatement(s.name)) {
    Throw(SqlState::kInvalidSqlStatementName, "prepared statement \"{}\" does not exist", s.name);
  }
  return Tagged("DEALLOCATE");
}

void Session::AddNamedStatement(const std::string& name, std::shared_ptr<PreparedStatement> stmt) {
  if (!named_statements_.emplace(name, std::move(stmt)).second) {
    Throw(SqlState::kDuplicatePreparedStatement, "prepared statement \"{}\" already exists", name);
  }
}

std::shared_ptr<PreparedStatement> Session::FindNamedStatement(const std::string& name) const {
  auto it = named_statements_.find(name);
  return it == named_statements_.end() ? nullptr : it->second;
}

bool Session::CloseNamedStatement(const std::string& name) {
  return named_statements_.erase(name) > 0;
}

}  // namespace activestore::executor
