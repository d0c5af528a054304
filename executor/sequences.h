// The session side of sequences (PostgreSQL's SeqTable in commands/sequence.c): for every
// sequence this session used, the value nextval last returned (currval), the values a CACHE n
// sequence handed this session ahead, and which sequence nextval used last (lastval). The
// shared, durable part is storage::SequenceManager.
//
// None of this is transactional: a rollback keeps currval, lastval and the cached values, as in
// PostgreSQL. A sequence whose storage generation changed (ALTER SEQUENCE, RESTART) loses the
// values cached ahead but keeps currval.
//
// Thread safety: belongs to one session, used by one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "storage/catalog.h"
#include "storage/sequences.h"

namespace activestore::executor {

class SessionSequences {
 public:
  explicit SessionSequences(storage::SequenceManager* manager) : manager_(manager) {}

  // nextval: the next value, from this session's cache or the shared state. Errors of
  // storage::SequenceManager::Next (2200H at a bound). REQUIRES: seq.is_sequence().
  int64_t NextVal(const storage::TableInfo& seq);
  // currval: 55000 `currval of sequence "s" is not yet defined in this session`.
  int64_t CurrVal(const storage::TableInfo& seq) const;
  // setval (is_called true: also currval); 22003 out of bounds. Returns value.
  int64_t SetVal(const storage::TableInfo& seq, int64_t value, bool is_called);
  // lastval: currval of the sequence nextval used last; 55000 `lastval is not yet defined in
  // this session` if none, or if `find` no longer finds it (dropped).
  int64_t LastVal(
      const std::function<std::shared_ptr<const storage::TableInfo>(storage::Oid)>& find) const;
  // What SELECT * FROM seq shows.
  storage::SequenceData Read(const storage::TableInfo& seq);
  // DDL of this session changed the sequence: values cached ahead are dropped (currval stays).
  void DropCache(storage::Oid seq);
  // DISCARD SEQUENCES / DISCARD ALL: forget everything.
  void Discard();

 private:
  struct Entry {
    uint32_t generation = 0;
    std::shared_ptr<storage::SequenceManager::Generation> handle;
    bool last_valid = false;
    int64_t last = 0;         // the value nextval last returned (currval)
    int64_t cached_left = 0;  // values after `last` this session may hand out without asking
  };
  // The entry of `seq`, with the handle of its current generation.
  Entry& EntryFor(const storage::TableInfo& seq);

  storage::SequenceManager* manager_;
  std::unordered_map<storage::Oid, Entry> entries_;
  std::optional<storage::Oid> last_used_;
};

// Name and kind checks shared by the sequence functions and DDL: 42809 `"t" is not a
// sequence` unless `rel` is one.
void RequireSequence(const storage::TableInfo& rel);

}  // namespace activestore::executor
