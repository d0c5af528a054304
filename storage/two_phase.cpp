#include "storage/two_phase.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/error.h"

namespace activestore::storage {

namespace {

constexpr uint8_t kFormat = 2;  // 1: without the catalog part

void PutU8(std::string* out, uint8_t v) { out->push_back(static_cast<char>(v)); }
void PutU32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void PutU64(std::string* out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void PutString(std::string* out, std::string_view s) {
  PutU32(out, static_cast<uint32_t>(s.size()));
  out->append(s);
}

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  uint8_t U8() { return static_cast<uint8_t>(Take(1)[0]); }
  uint32_t U32() { return static_cast<uint32_t>(Fixed(4)); }
  uint64_t U64() { return Fixed(8); }
  std::string String() { return std::string(Take(U32())); }
  bool done() const { return in_.empty(); }

 private:
  uint64_t Fixed(int n) {
    std::string_view b = Take(static_cast<size_t>(n));
    uint64_t v = 0;
    for (int i = 0; i < n; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(b[i])) << (8 * i);
    return v;
  }
  std::string_view Take(size_t n) {
    if (n > in_.size()) Throw(SqlState::kDataCorrupted, "prepared transaction record is truncated");
    std::string_view b = in_.substr(0, n);
    in_.remove_prefix(n);
    return b;
  }
  std::string_view in_;
};

// The engine rejects empty keys and PostgreSQL accepts an empty gid.
std::string KeyOf(const std::string& gid) { return "g" + gid; }

}  // namespace

std::string EncodePreparedRecord(const PreparedRecord& r) {
  std::string out;
  PutU8(&out, kFormat);
  PutString(&out, r.gid);
  PutU64(&out, r.xid);
  PutU64(&out, static_cast<uint64_t>(r.prepared_at_us));
  PutString(&out, r.owner);
  PutU32(&out, r.database);
  PutString(&out, r.database_name);
  PutU8(&out, r.serializable ? 1 : 0);
  PutU64(&out, r.locks.size());
  for (const auto& [tag, mode] : r.locks) {
    PutU8(&out, static_cast<uint8_t>(tag.kind));
    PutU32(&out, tag.database);
    PutU32(&out, tag.relation);
    PutU64(&out, tag.id);
    PutU8(&out, mode);
  }
  PutU64(&out, r.writes.size());
  for (const RedoWrite& w : r.writes) {
    PutString(&out, w.table);
    PutString(&out, w.key);
    PutU8(&out, w.value ? 1 : 0);
    if (w.value) PutString(&out, *w.value);
  }
  const PreparedCatalogChanges& c = r.catalog;
  PutU8(&out, c.changed ? 1 : 0);
  for (const std::vector<std::string>* names : {&c.created_storage, &c.drop_after_commit}) {
    PutU64(&out, names->size());
    for (const std::string& n : *names) PutString(&out, n);
  }
  PutU64(&out, c.sequence_generations.size());
  for (const auto& [oid, gen] : c.sequence_generations) {
    PutU32(&out, oid);
    PutU32(&out, gen);
  }
  return out;
}

PreparedRecord DecodePreparedRecord(std::string_view bytes) {
  Reader in(bytes);
  const uint8_t format = in.U8();
  if (format != 1 && format != kFormat) {
    Throw(SqlState::kDataCorrupted, "prepared transaction record has an unknown format");
  }
  PreparedRecord r;
  r.gid = in.String();
  r.xid = in.U64();
  r.prepared_at_us = static_cast<int64_t>(in.U64());
  r.owner = in.String();
  r.database = in.U32();
  r.database_name = in.String();
  r.serializable = in.U8() != 0;
  uint64_t nlocks = in.U64();
  for (uint64_t i = 0; i < nlocks; ++i) {
    LockTag tag;
    tag.kind = static_cast<LockKind>(in.U8());
    tag.database = in.U32();
    tag.relation = in.U32();
    tag.id = in.U64();
    uint8_t mode = in.U8();
    if (mode == 0 || mode > 8) {
      Throw(SqlState::kDataCorrupted, "prepared transaction record has a bad lock mode");
    }
    r.locks.emplace_back(tag, mode);
  }
  uint64_t nwrites = in.U64();
  for (uint64_t i = 0; i < nwrites; ++i) {
    RedoWrite w;
    w.table = in.String();
    w.key = in.String();
    if (in.U8() != 0) w.value = in.String();
    r.writes.push_back(std::move(w));
  }
  if (format >= 2) {
    PreparedCatalogChanges& c = r.catalog;
    c.changed = in.U8() != 0;
    for (std::vector<std::string>* names : {&c.created_storage, &c.drop_after_commit}) {
      uint64_t n = in.U64();
      for (uint64_t i = 0; i < n; ++i) names->push_back(in.String());
    }
    uint64_t nseq = in.U64();
    for (uint64_t i = 0; i < nseq; ++i) {
      Oid oid = in.U32();
      c.sequence_generations.emplace_back(oid, in.U32());
    }
  }
  if (!in.done()) Throw(SqlState::kDataCorrupted, "prepared transaction record has extra bytes");
  return r;
}

TwoPhaseManager::TwoPhaseManager(Engine* engine, LockManager* locks,
                                 SerializableValidator* validator, int max_prepared,
                                 Catalog* catalog)
    : engine_(engine),
      locks_(locks),
      validator_(validator),
      max_prepared_(max_prepared),
      catalog_(catalog) {
  engine_->CreateTable(kTable);
  Load();
}

std::vector<PreparedCatalogChanges> TwoPhaseManager::StoredCatalogChanges(Engine* engine) {
  engine->CreateTable(kTable);
  std::vector<PreparedCatalogChanges> out;
  auto txn = engine->Begin();
  auto cur = txn->Scan(kTable);
  while (cur->Next()) out.push_back(DecodePreparedRecord(cur->value()).catalog);
  txn->Rollback();
  return out;
}

void TwoPhaseManager::Load() {
  std::vector<PreparedRecord> records;
  {
    auto txn = engine_->Begin();
    auto cur = txn->Scan(kTable);
    while (cur->Next()) records.push_back(DecodePreparedRecord(cur->value()));
    txn->Rollback();
  }
  std::lock_guard lock(mu_);
  for (PreparedRecord& r : records) {
    Entry e;
    e.state = Entry::State::kReady;
    e.info = PreparedXactInfo{r.xid, r.gid, r.prepared_at_us, r.owner, r.database, r.database_name};
    e.owner = locks_->NewOwner(0);
    for (const auto& [tag, mode] : r.locks) locks_->Restore(e.owner, tag, mode);
    if (r.serializable) {
      std::vector<std::pair<std::string, std::string>> writes;
      writes.reserve(r.writes.size());
      for (const RedoWrite& w : r.writes) writes.emplace_back(w.table, w.key);
      e.validator_seq = validator_->RecoverPrepared(writes);
      e.validator_registered = true;
    }
    next_xid_ = std::max(next_xid_, r.xid + 1);
    spdlog::info("recovered prepared transaction \"{}\" ({} writes, {} locks)", r.gid,
                 r.writes.size(), r.locks.size());
    entries_.emplace(r.gid, std::move(e));
  }
}

void TwoPhaseManager::Forget(const std::string& gid) {
  std::lock_guard lock(mu_);
  entries_.erase(gid);
}

void TwoPhaseManager::Prepare(const std::string& gid, UserTransaction* txn, PreparedRecord meta) {
  if (gid.size() > kMaxGidLength) {
    Throw(SqlState::kInvalidParameterValue, "transaction identifier \"{}\" is too long", gid);
  }
  if (max_prepared_ <= 0 || !txn->tracks_writes()) {
    Error e(SqlState::kObjectNotInPrerequisiteState, "prepared transactions are disabled");
    e.Hint("Set max_prepared_transactions to a nonzero value.");
    throw e;
  }
  // SERIALIZABLE validation comes first, as PostgreSQL checks before it looks at the gid.
  PreparedState st = txn->Prepare();
  auto undo = [&] {
    if (st.validator_registered) validator_->FinishCommit(st.validator_seq, false);
    locks_->ReleaseAll(st.owner);
  };
  {
    std::lock_guard lock(mu_);
    if (entries_.count(gid) != 0) {
      undo();
      Throw(SqlState::kDuplicateObject, "transaction identifier \"{}\" is already in use", gid);
    }
    if (entries_.size() >= static_cast<size_t>(max_prepared_)) {
      undo();
      Error e(SqlState::kOutOfMemory, "maximum number of prepared transactions reached");
      e.Hint(fmt::format("Increase max_prepared_transactions (currently {}).", max_prepared_));
      throw e;
    }
    meta.xid = next_xid_++;
    Entry& e = entries_[gid];
    e.state = Entry::State::kPreparing;
    e.info.database = meta.database;
  }
  meta.gid = gid;
  meta.serializable = st.serializable;
  meta.writes = std::move(st.writes);
  meta.locks = std::move(st.locks);
  if (!meta.catalog.discarded_storage.empty()) {
    // Storage of DDL undone by ROLLBACK TO is dropped at PREPARE: nothing to apply there.
    const std::vector<std::string>& gone = meta.catalog.discarded_storage;
    std::erase_if(meta.writes, [&](const RedoWrite& w) {
      return std::find(gone.begin(), gone.end(), w.table) != gone.end();
    });
  }
  try {
    auto w = engine_->Begin();
    w->Insert(kTable, KeyOf(gid), EncodePreparedRecord(meta));
    w->Commit();
  } catch (...) {
    undo();
    Forget(gid);
    throw;
  }
  locks_->SetPid(st.owner, 0);
  std::lock_guard lock(mu_);
  Entry& e = entries_[gid];
  e.state = Entry::State::kReady;
  e.info = PreparedXactInfo{meta.xid,   gid,           meta.prepared_at_us,
                            meta.owner, meta.database, meta.database_name};
  e.owner = st.owner;
  e.validator_registered = st.validator_registered;
  e.validator_seq = st.validator_seq;
}

void TwoPhaseManager::Finish(const std::string& gid, bool commit, uint32_t database) {
  Entry e;
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(gid);
    if (it == entries_.end() || it->second.state == Entry::State::kPreparing) {
      Throw(SqlState::kUndefinedObject,
            "prepared transaction with identifier \"{}\" does not exist", gid);
    }
    if (it->second.state == Entry::State::kFinishing) {
      Throw(SqlState::kObjectNotInPrerequisiteState,
            "prepared transaction with identifier \"{}\" is busy", gid);
    }
    if (it->second.info.database != database) {
      Error err(SqlState::kFeatureNotSupported, "prepared transaction belongs to another database");
      err.Hint("Connect to the database where the transaction was prepared to finish it.");
      throw err;
    }
    it->second.state = Entry::State::kFinishing;
    e = it->second;
  }
  bool finished = false;  // the engine commit went through
  try {
    auto txn = engine_->Begin();
    std::optional<std::string> bytes = txn->Get(kTable, KeyOf(gid));
    if (!bytes) {
      Throw(SqlState::kInternalError, "prepared transaction \"{}\" has no stored record", gid);
    }
    PreparedRecord r = DecodePreparedRecord(*bytes);
    if (commit) {
      for (const RedoWrite& w : r.writes) {
        if (w.value) {
          txn->Put(w.table, w.key, *w.value);
        } else {
          txn->Delete(w.table, w.key);
        }
      }
    }
    txn->Delete(kTable, KeyOf(gid));
    auto finish = [&] {
      txn->Commit();
      finished = true;
    };
    const PreparedCatalogChanges& c = r.catalog;
    if (c.changed || !c.created_storage.empty() || !c.drop_after_commit.empty() ||
        !c.sequence_generations.empty()) {
      if (catalog_ == nullptr) {
        Throw(SqlState::kInternalError, "prepared transaction \"{}\" changed the catalog", gid);
      }
      catalog_->FinishPrepared(c, commit, finish);
    } else {
      finish();
    }
  } catch (const std::exception& ex) {
    if (!finished) {
      std::lock_guard lock(mu_);
      entries_[gid].state = Entry::State::kReady;
      throw;
    }
    // Committed: only the clean-up after it failed (the next open drops what is left).
    spdlog::warn("finishing prepared transaction \"{}\": {}", gid, ex.what());
  }
  if (e.validator_registered) validator_->FinishCommit(e.validator_seq, commit);
  locks_->ReleaseAll(e.owner);
  Forget(gid);
}

std::vector<PreparedXactInfo> TwoPhaseManager::List() {
  std::lock_guard lock(mu_);
  std::vector<PreparedXactInfo> out;
  for (const auto& [gid, e] : entries_) {
    if (e.state != Entry::State::kPreparing) out.push_back(e.info);
  }
  return out;
}

int TwoPhaseManager::CountInDatabase(uint32_t database) {
  std::lock_guard lock(mu_);
  int n = 0;
  for (const auto& [gid, e] : entries_) {
    if (e.info.database == database) ++n;
  }
  return n;
}

}  // namespace activestore::storage
