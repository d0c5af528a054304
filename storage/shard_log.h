// The shard log's names, keys, entry formats, commit clock and reader
// (docs/design/2026-12-06-shard-log-and-replication.md).
//
// Every write of a storage table is logged in the same engine transaction into the log of its
// shard: `log_s<n>` for `t<oid>_s<n>` and `i<oid>_s<n>`, `log_sys` for the system tables. Two
// kinds of entries share one log table:
//   operation  key 'o' + txn id (8 bytes BE) + sequence (4 bytes BE)
//              value: format 1, kind (put/delete), table, key, value (varint-length strings)
//   commit     key 'c' + LSN (8 bytes BE)
//              value: format 1, kind (commit/create/drop), epoch, txn id, operation count,
//              table (create/drop only)
// An LSN is the transaction's commit timestamp from the CommitClock. A transaction that wrote
// into several logs has a commit entry with the same LSN in each.
//
// Thread safety: CommitClock is thread-safe; the rest is stateless.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace activestore::storage {

class Engine;

inline constexpr std::string_view kLogTablePrefix = "log_";
inline constexpr std::string_view kSystemLogTable = "log_sys";
// The system table of replication slots (storage/replication.h): not logged, a slot belongs
// to its node.
inline constexpr std::string_view kUnloggedSlotTable = "sys_replication_slots";

// Fixed-width big-endian integers (keys sort by them), for the log's and replication's formats.
void PutBigEndian(uint64_t x, int bytes, std::string* out);
// REQUIRES: s holds pos + bytes bytes.
uint64_t GetBigEndian(std::string_view s, size_t pos, int bytes);

// The shard number (its digits) of a shard table `t<oid>[_<gen>]_s<n>` or
// `i<oid>[_<gen>]_s<n>`; nullopt for any other table (system and log tables).
std::optional<std::string_view> ShardOfTable(std::string_view table);

// The log that a write of `table` goes to: "log_s<n>" for a shard table, "log_sys" for the
// rest, nullopt for the log tables themselves and kUnloggedSlotTable.
std::optional<std::string> LogTableFor(std::string_view table);

// A hybrid logical clock: the high 44 bits are milliseconds since 2020-01-01 UTC, the low 20
// bits a counter. Next() is strictly increasing across calls and after Observe(t) is > t.
class CommitClock {
 public:
  uint64_t Next();
  // Never hand out t or anything below it again.
  void Observe(uint64_t t);
  // The last value handed out (or observed), 0 at first.
  uint64_t Last() const;

  static constexpr int kLogicalBits = 20;
  // The clock value of a wall-clock time (milliseconds since 1970-01-01 UTC), logical part 0.
  static uint64_t FromUnixMillis(int64_t ms);
  static int64_t ToUnixMillis(uint64_t t);

 private:
  mutable std::mutex mu_;
  uint64_t last_ = 0;  // GUARDED_BY(mu_)
};

enum class LogOpKind : uint8_t { kPut = 1, kDelete = 2 };
enum class LogCommitKind : uint8_t { kCommit = 1, kCreateTable = 2, kDropTable = 3 };

struct LogOp {
  LogOpKind kind = LogOpKind::kPut;
  std::string table, key, value;
};

struct LogCommit {
  LogCommitKind kind = LogCommitKind::kCommit;
  uint64_t lsn = 0;
  uint64_t epoch = 0;
  uint64_t txn = 0;
  uint32_t op_count = 0;
  std::string table;  // create/drop
};

std::string LogOpKey(uint64_t txn, uint32_t seq);
std::string LogOpValue(LogOpKind kind, std::string_view table, std::string_view key,
                       std::string_view value);
std::string LogCommitKey(uint64_t lsn);
std::string LogCommitValue(const LogCommit& c);
// Decoders: XX000 on a malformed entry (a corrupt log is never applied half).
LogOp DecodeLogOp(std::string_view value);
LogCommit DecodeLogCommit(std::string_view key, std::string_view value);
// The txn id of an operation key; 0 if `key` is not one.
uint64_t LogOpTxn(std::string_view key);

// One committed transaction as a reader sees it: every log it touched merged, operations in
// each log in the order they were written (logs in name order).
struct LoggedTransaction {
  LogCommit commit;
  std::vector<std::string> logs;  // the log tables with a commit entry at this LSN
  std::vector<LogOp> ops;
};

// One committed transaction as the stream carries it (the XLogData payload), versioned:
//   format 1 | kind (LogCommitKind) | LSN 8 bytes BE | epoch varint | txn varint |
//   table (create/drop: varint length + bytes) | operation count varint |
//   per operation: kind (LogOpKind) | table | key | value (put only), strings as varint + bytes
// Decode throws XX000 on bytes it cannot read (a stream is never applied half).
std::string EncodeTransactionMessage(const LoggedTransaction& t);
LoggedTransaction DecodeTransactionMessage(std::string_view bytes);

// Reads committed transactions with after < LSN <= engine->DurableLsn(), in LSN order, at most
// `limit`. Read in one snapshot transaction of `engine`.
std::vector<LoggedTransaction> ReadLog(Engine* engine, uint64_t after, size_t limit);

// Deletes commit entries with LSN < `before` and their operations from every log, at most
// `batch` commit entries per engine transaction, and records in each log (key 'h', with the
// removal) the newest LSN removed. Returns the number of commit entries removed.
size_t TruncateLog(Engine* engine, uint64_t before, size_t batch = 1000);
// The newest LSN any truncation removed (0: none): a reader asking for the entries after an
// LSN below it would miss some.
uint64_t LogTruncatedThrough(Engine* engine);

}  // namespace activestore::storage
