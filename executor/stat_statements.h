// pg_stat_statements: execution statistics of the statements a node has run, per database, user
// and statement shape (PostgreSQL 15's extension of the same name, built in).
//
// A statement is recorded when it completes (a failed statement is not, as in PostgreSQL); a
// streamed read when its last row is out. Its shape is parser::FingerprintStatement's: constants
// replaced by $n for SELECT/INSERT/UPDATE/DELETE, the text as written for utility statements.
// The number of shapes kept is bounded (`pg_stat_statements.max`, fixed at start); when it is
// reached the least used tenth of the entries is dropped, as PostgreSQL drops its least used
// entries, and `dealloc` counts those rounds.
//
// Thread safety: thread-safe. The map is read under a shared lock and each entry has its own
// mutex, so concurrent sessions updating different (or the same) shapes do not serialise on
// one lock; a new shape takes the map's lock exclusively.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "parser/normalize.h"

namespace activestore::executor {

// The oid PostgreSQL gives its bootstrap superuser. ActiveStore has no role catalog yet (issue
// 9): every session runs as that superuser, and pg_stat_statements.userid says so.
inline constexpr uint32_t kBootstrapSuperuserOid = 10;

struct StatementStats {
  uint32_t user_oid = 0;
  uint32_t database_oid = 0;
  int64_t query_id = 0;
  std::string query;
  int64_t calls = 0;
  double total_ms = 0, min_ms = 0, max_ms = 0;
  double mean_ms = 0, sum_sq_dev = 0;  // Welford's running mean and sum of squared deviations
  int64_t rows = 0;
  double StddevMs() const;  // population standard deviation, as PostgreSQL reports it
};

class StatStatements {
 public:
  explicit StatStatements(size_t max_entries = 5000);

  // Records one completed statement of the given shape.
  void Record(uint32_t user_oid, uint32_t database_oid, const parser::StatementFingerprint& fp,
              std::chrono::nanoseconds elapsed, int64_t rows);
  // Every entry (in no particular order).
  std::vector<StatementStats> Entries() const;
  // Drops the entries of a user, a database and a statement id (0: any), as
  // pg_stat_statements_reset(userid, dbid, queryid). Dropping all of them also clears the
  // deallocation count and sets the reset time.
  void Reset(uint32_t user_oid = 0, uint32_t database_oid = 0, int64_t query_id = 0);
  size_t max_entries() const { return max_entries_; }
  int64_t deallocations() const;
  // When every entry was last dropped (or the server started), microseconds since 2000-01-01.
  int64_t stats_reset_us() const;

 private:
  struct Key {
    uint32_t user_oid;
    uint32_t database_oid;
    uint64_t query_id;
    bool operator==(const Key& o) const {
      return user_oid == o.user_oid && database_oid == o.database_oid && query_id == o.query_id;
    }
  };
  struct KeyHash {
    size_t operator()(const Key& k) const {
      return k.query_id ^ (static_cast<uint64_t>(k.user_oid) << 32 | k.database_oid);
    }
  };
  struct Entry {
    std::mutex mu;
    StatementStats stats;  // guarded by mu
  };
  void EvictLocked();

  const size_t max_entries_;
  mutable std::shared_mutex mu_;
  std::unordered_map<Key, std::unique_ptr<Entry>, KeyHash> entries_;  // guarded by mu_
  int64_t dealloc_ = 0;                                               // guarded by mu_
  int64_t reset_us_ = 0;                                              // guarded by mu_
};

// The rows a command tag reports ("SELECT 3" -> 3, "INSERT 0 5" -> 5), for the commands whose
// tag carries a row count; 0 for the others.
int64_t RowsOfTag(std::string_view tag);

}  // namespace activestore::executor
