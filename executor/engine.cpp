#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "executor/hypertables.h"
#include "executor/index_keys.h"
#include "executor/session.h"
#include "executor/spill.h"
#include "executor/xact_ids.h"
#include "storage/acl.h"

namespace activestore::executor {

int64_t NowMicrosSince2000() {
  using namespace std::chrono;
  constexpr int64_t kUnixTo2000Us = 946684800LL * 1000000LL;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count() -
         kUnixTo2000Us;
}

Result<std::unique_ptr<NodeEngine>> NodeEngine::Open(const EngineOptions& options) {
  auto engine = std::make_unique<NodeEngineImpl>(options);
  Status st = engine->Init();
  if (!st.ok()) return st.error();
  return std::unique_ptr<NodeEngine>(std::move(engine));
}

NodeEngineImpl::NodeEngineImpl(const EngineOptions& options)
    : options_(options), notifications_(options.notification_queue_bytes) {}

NodeEngineImpl::~NodeEngineImpl() {
  if (spill_dir_owned_) {
    std::error_code ec;
    std::filesystem::remove_all(spill_dir_, ec);
  }
}

Status NodeEngineImpl::Init() {
  RegisterIndexCompiler();
  auto opened = storage::Engine::Open(options_.storage);
  if (!opened.ok()) return opened.error();
  storage_ = std::move(opened).value();
  try {
    // After Open: the data directory is locked, so no other server's files are removed.
    if (options_.storage.engine == "memory") {
      static std::atomic<uint64_t> seq{0};
      spill_dir_ = (std::filesystem::temp_directory_path() /
                    ("activestore-tmp-" + std::to_string(::getpid()) + "-" +
                     std::to_string(seq.fetch_add(1))))
                       .string();
      spill_dir_owned_ = true;
    } else {
      spill_dir_ = options_.storage.data_dir + "/tmp";
    }
    PrepareSpillDirectory(spill_dir_);
    // Storage created by prepared DDL is not an orphan: read their records first.
    catalog_ =
        storage::Catalog::Open(storage_.get(), options_.shard_count,
                               storage::TwoPhaseManager::StoredCatalogChanges(storage_.get()));
    // Prepared transactions come back with their locks before any session connects.
    two_phase_ = std::make_unique<storage::TwoPhaseManager>(
        storage_.get(), &locks_, &validator_, options_.max_prepared_transactions, catalog_.get());
    // A base copy just received forgets the primary's slots and starts from its LSN.
    if (options_.replica) storage::AdoptBaseCopy(storage_.get(), options_.storage.data_dir);
    // Replication slots need the shard log, which only the WiredTiger engine writes.
    replication_ = std::make_unique<storage::ReplicationRegistry>(
        storage_.get(), options_.storage.shard_log && options_.storage.engine == "wiredtiger");
  } catch (const Error& e) {
    return e;
  }
  // A replica's temporary schemas are its primary's (and go when the primary drops them).
  if (!options_.replica) DropStaleTempSchemas();
  // This start's epoch of the transaction ids (executor/xact_ids.h): one more than the last
  // start's. A replica assigns none (its storage is its primary's).
  if (!options_.replica) {
    try {
      constexpr char kEpochTable[] = "sys_xact_epoch";
      storage_->CreateTable(kEpochTable);
      auto txn = storage_->Begin(storage::Isolation::kSnapshot);
      std::optional<std::string> row = txn->Get(kEpochTable, "epoch");
      const uint64_t epoch = (row ? std::strtoull(row->c_str(), nullptr, 10) : 0) + 1;
      txn->Put(kEpochTable, "epoch", std::to_string(epoch));
      txn->Commit();
      SetXactIdEpoch(epoch);
    } catch (const Error& e) {
      return e;
    }
  }
  if (options_.replica) {
    auto* replica = dynamic_cast<storage::ReplicaStorage*>(storage_.get());
    if (replica == nullptr) {
      return Error(SqlState::kFeatureNotSupported, "a replica needs the wiredtiger storage engine");
    }
    replica->SetRecovery(true);
    replication_->set_in_recovery(true);
  }
  // Expired rows go in the background (a replica's go with its primary's deletes).
  reaper_ = std::make_unique<RowReaper>(
      storage_.get(), catalog_.get(), &locks_, &validator_, [this] { return in_recovery(); },
      RowReaper::Options{});
  reaper_->Start();
  // The background jobs of hypertables' retention policies (not on a replica: its chunks go
  // with the primary's drops).
  if (!options_.replica) {
    jobs_ = std::make_unique<JobScheduler>(
        catalog_.get(), [this](const std::string& database, const std::string& user) {
          return Connect({{"user", user}, {"database", database}});
        });
    jobs_->Start();
  }
  return Status::Ok();
}

std::unique_ptr<Session> NodeEngineImpl::Connect(
    const std::map<std::string, std::string>& startup) {
  auto get = [&](const std::string& k) -> std::string {
    auto it = startup.find(k);
    return it == startup.end() ? std::string() : it->second;
  };
  std::string user = get("user");
  if (user.empty()) user = "postgres";
  std::string dbname = get("database");
  if (dbname.empty()) dbname = user;
  auto snap = catalog_->Snapshot();
  // The login checks PostgreSQL makes after authentication (InitializeSessionUserId).
  const storage::RoleInfo* role = snap->FindRole(user);
  if (role == nullptr) {
    Throw(SqlState::kInvalidAuthorizationSpecification, "role \"{}\" does not exist", user);
  }
  if (!role->can_login) {
    Throw(SqlState::kInvalidAuthorizationSpecification, "role \"{}\" is not permitted to log in",
          user);
  }
  const storage::DatabaseInfo* db = snap->FindDatabase(dbname);
  if (db == nullptr) {
    Throw(SqlState::kInvalidCatalogName, "database \"{}\" does not exist", dbname);
  }
  auto session = std::make_unique<SessionImpl>(this, *db, user);
  session->settings().SetInternal("ssl", options().ssl ? "on" : "off");
  // The database's settings (ALTER DATABASE ... SET), then the start-up parameters; both are
  // what RESET goes back to. A stored value that no longer applies is skipped, as PostgreSQL
  // only warns about it.
  // Then the role's (ALTER ROLE ... SET), then the role's in this database, PostgreSQL's order
  // of precedence (process_settings).
  auto apply = [&](const std::map<std::string, std::string>& settings, const char* whose,
                   const char* source) {
    for (const auto& [k, v] : settings) {
      try {
        session->settings().SetSessionDefault(k, v, source);
      } catch (const Error& e) {
        spdlog::warn("{} ({}): setting {} = {} ignored: {}", whose, user, k, v, e.message());
      }
    }
  };
  apply(db->settings, "database settings", "database");
  if (auto it = role->settings.find(0); it != role->settings.end()) {
    apply(it->second, "role", "user");
  }
  if (auto it = role->settings.find(db->oid); it != role->settings.end()) {
    apply(it->second, "role settings in the database", "database user");
  }
  // Start-up parameters other than user/database are settings; "options" holds -c pairs.
  for (const auto& [k, v] : startup) {
    if (k == "user" || k == "database" || k == "replication") continue;
    if (k == "options") {
      // Split as PostgreSQL's pg_split_opts: white space separates, a backslash escapes the
      // next character ("-c DateStyle=Postgres,\\ MDY").
      std::vector<std::string> toks;
      std::string cur;
      bool in_tok = false;
      for (size_t i = 0; i < v.size(); ++i) {
        char c = v[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
          if (in_tok) toks.push_back(cur);
          cur.clear();
          in_tok = false;
          continue;
        }
        if (c == '\\' && i + 1 < v.size()) c = v[++i];
        cur.push_back(c);
        in_tok = true;
      }
      if (in_tok) toks.push_back(cur);
      for (std::string tok : toks) {
        if (tok == "-c") continue;
        if (tok.rfind("-c", 0) == 0) tok = tok.substr(2);
        if (tok.rfind("--", 0) == 0) tok = tok.substr(2);
        size_t eq = tok.find('=');
        if (eq == std::string::npos) continue;
        std::string name = tok.substr(0, eq);
        for (auto& c : name) {
          if (c == '-') c = '_';
        }
        session->settings().SetSessionDefault(name, tok.substr(eq + 1));
      }
      continue;
    }
    session->settings().SetSessionDefault(k, v);
  }
  session->settings().TakeChanged();
  return session;
}

LoginInfo NodeEngineImpl::LookupLogin(const std::string& user) {
  LoginInfo out;
  auto snap = catalog_->Snapshot();
  const storage::RoleInfo* role = snap->FindRole(user);
  if (role == nullptr) return out;
  out.exists = true;
  out.secret = role->password;
  out.expired = role->valid_until && *role->valid_until < NowMicrosSince2000();
  out.superuser = role->superuser;
  out.replication = role->replication;
  for (storage::Oid oid : storage::RolesOf(*snap, role->oid, /*inheriting=*/false, 0)) {
    const storage::RoleInfo* member_of = snap->FindRoleByOid(oid);
    if (oid != role->oid && member_of != nullptr) out.member_of.push_back(member_of->name);
  }
  return out;
}

// The temporary schemas (pg_temp_N) of sessions that a crash or kill ended: their sessions are
// gone, so their contents go now (executor/temp_objects.cpp).
void NodeEngineImpl::DropStaleTempSchemas() {
  auto snap = catalog_->Snapshot();
  for (const auto& [name, db] : snap->databases) {
    bool any = false;
    for (const auto& [key, schema] : snap->schemas) {
      any = any || (key.first == db.oid && key.second.rfind("pg_temp_", 0) == 0);
    }
    if (!any) continue;
    try {
      SessionImpl session(this, db, "postgres");
      session.settings().Set("lock_timeout", "1000");
      session.DropAllTempSchemas();
    } catch (const std::exception& e) {
      spdlog::warn("database \"{}\": could not drop stale temporary schemas: {}", name, e.what());
    }
  }
}

void NodeEngineImpl::AfterPromotion() {
  catalog_->Reload();
  catalog_->sequences()->Unload();
}

void NodeEngineImpl::Shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  if (reaper_) reaper_->Stop();
  if (jobs_) jobs_->Stop();
  {
    std::lock_guard<std::mutex> lock(cache_mu_);
    cache_.clear();
    lru_.clear();
    cache_bytes_ = 0;
  }
  if (storage_) {
    try {
      storage_->Checkpoint();
    } catch (const Error& e) {
      spdlog::error("checkpoint at shutdown failed: {}", e.message());
    }
  }
  two_phase_.reset();
  replication_.reset();
  catalog_.reset();
  storage_.reset();
}

storage::StorageStats NodeEngineImpl::StorageStatistics() {
  if (shut_down_ || !storage_) return {};
  return storage_->Stats();
}

std::shared_ptr<StatementImpl> NodeEngineImpl::CacheLookup(const std::string& key) {
  std::lock_guard<std::mutex> lock(cache_mu_);
  auto it = cache_.find(key);
  if (it == cache_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second.lru);
  return it->second.statement;
}

namespace {

// An estimate of what a cached statement keeps alive: its key, its text, its AST and, once run,
// its plan (one copy of the scan's expressions per shard). Measured: about 55 KB of resident
// memory per cached SELECT of 230 bytes with 8 shards (RSS of 20,000 distinct ad-hoc SELECTs).
size_t EstimateEntryBytes(const std::string& key, const StatementImpl& st) {
  return 1024 + key.size() + st.sql_.size() * 240;
}

}  // namespace

void NodeEngineImpl::CacheInsert(const std::string& key, std::shared_ptr<StatementImpl> st) {
  const size_t limit = options_.plan_cache_bytes;
  const size_t bytes = EstimateEntryBytes(key, *st);
  std::vector<std::shared_ptr<StatementImpl>> dropped;  // destroyed outside the lock
  std::lock_guard<std::mutex> lock(cache_mu_);
  auto it = cache_.find(key);
  if (it != cache_.end()) {
    dropped.push_back(std::move(it->second.statement));
    cache_bytes_ -= it->second.bytes;
    lru_.erase(it->second.lru);
    cache_.erase(it);
  }
  if (bytes > limit / 8) return;  // a huge statement is not kept
  lru_.push_front(key);
  cache_.emplace(key, CacheEntry{std::move(st), lru_.begin(), bytes});
  cache_bytes_ += bytes;
  while (cache_bytes_ > limit && !lru_.empty()) {
    auto victim = cache_.find(lru_.back());
    cache_bytes_ -= victim->second.bytes;
    dropped.push_back(std::move(victim->second.statement));
    cache_.erase(victim);
    lru_.pop_back();
  }
}

size_t NodeEngineImpl::CacheBytes() {
  std::lock_guard<std::mutex> lock(cache_mu_);
  return cache_bytes_;
}

void NodeEngineImpl::SessionOpened(storage::Oid db) {
  std::lock_guard<std::mutex> lock(sessions_mu_);
  sessions_[db]++;
}

void NodeEngineImpl::SessionClosed(storage::Oid db) {
  std::lock_guard<std::mutex> lock(sessions_mu_);
  if (--sessions_[db] <= 0) sessions_.erase(db);
}

int NodeEngineImpl::SessionsIn(storage::Oid db) {
  std::lock_guard<std::mutex> lock(sessions_mu_);
  auto it = sessions_.find(db);
  return it == sessions_.end() ? 0 : it->second;
}

}  // namespace activestore::executor
