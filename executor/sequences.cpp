#include "executor/sequences.h"

#include "common/error.h"

namespace activestore::executor {

void RequireSequence(const storage::TableInfo& rel) {
  if (!rel.is_sequence()) {
    Throw(SqlState::kWrongObjectType, "\"{}\" is not a sequence", rel.name);
  }
}

SessionSequences::Entry& SessionSequences::EntryFor(const storage::TableInfo& seq) {
  Entry& e = entries_[seq.oid];
  if (!e.handle || e.generation != seq.storage_gen) {
    // A new generation (or the first use): nothing cached ahead applies to it.
    e.handle = manager_->Get(seq);
    e.generation = seq.storage_gen;
    e.cached_left = 0;
  }
  return e;
}

int64_t SessionSequences::NextVal(const storage::TableInfo& seq) {
  Entry& e = EntryFor(seq);
  if (e.cached_left > 0 && e.last_valid) {
    int64_t v = e.last;
    if (storage::SequenceManager::Step(*seq.sequence, &v)) {
      --e.cached_left;
      e.last = v;
      last_used_ = seq.oid;
      return v;
    }
    e.cached_left = 0;
  }
  storage::SequenceFetch f = manager_->Next(*e.handle, seq);
  e.last = f.first;
  e.last_valid = true;
  e.cached_left = f.count - 1;
  last_used_ = seq.oid;
  return f.first;
}

int64_t SessionSequences::CurrVal(const storage::TableInfo& seq) const {
  auto it = entries_.find(seq.oid);
  if (it == entries_.end() || !it->second.last_valid) {
    Throw(SqlState::kObjectNotInPrerequisiteState,
          "currval of sequence \"{}\" is not yet defined in this session", seq.name);
  }
  return it->second.last;
}

int64_t SessionSequences::SetVal(const storage::TableInfo& seq, int64_t value, bool is_called) {
  Entry& e = EntryFor(seq);
  manager_->Set(*e.handle, seq, value, is_called);
  if (is_called) {
    e.last = value;
    e.last_valid = true;
  }
  e.cached_left = 0;
  return value;
}

int64_t SessionSequences::LastVal(
    const std::function<std::shared_ptr<const storage::TableInfo>(storage::Oid)>& find) const {
  auto undefined = [] {
    Throw(SqlState::kObjectNotInPrerequisiteState, "lastval is not yet defined in this session");
  };
  if (!last_used_) undefined();
  auto it = entries_.find(*last_used_);
  if (it == entries_.end() || !it->second.last_valid) undefined();
  auto rel = find(*last_used_);
  if (rel == nullptr || !rel->is_sequence()) undefined();
  return it->second.last;
}

storage::SequenceData SessionSequences::Read(const storage::TableInfo& seq) {
  return manager_->Read(*manager_->Get(seq), seq);
}

void SessionSequences::DropCache(storage::Oid seq) {
  auto it = entries_.find(seq);
  if (it != entries_.end()) it->second.cached_left = 0;
}

void SessionSequences::Discard() {
  entries_.clear();
  last_used_.reset();
}

}  // namespace activestore::executor
