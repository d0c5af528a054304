#include "storage/shard_log.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>

#include "common/error.h"
#include "storage/storage.h"

namespace activestore::storage {

namespace {

// 2020-01-01T00:00:00Z in milliseconds since the Unix epoch.
constexpr int64_t kClockEpochUnixMs = 1577836800000;

constexpr uint8_t kFormat = 1;

// A log's truncation mark: the newest LSN TruncateLog removed from it (8 bytes BE). Between the
// commit keys ('c') and the operation keys ('o'), so no scan of either meets it.
constexpr char kTruncatedKey[] = "h";

[[noreturn]] void CorruptEntry(std::string_view what) {
  Throw(SqlState::kDataCorrupted, "invalid shard log entry: {}", what);
}

void PutVarint(uint64_t x, std::string* out) {
  while (x >= 0x80) {
    out->push_back(static_cast<char>((x & 0x7f) | 0x80));
    x >>= 7;
  }
  out->push_back(static_cast<char>(x));
}

void PutBytes(std::string_view s, std::string* out) {
  PutVarint(s.size(), out);
  out->append(s);
}

// Reads what PutVarint/PutBytes wrote; CorruptEntry past the end.
class EntryReader {
 public:
  explicit EntryReader(std::string_view b) : b_(b) {}
  uint8_t Byte() {
    if (pos_ >= b_.size()) CorruptEntry("truncated");
    return static_cast<uint8_t>(b_[pos_++]);
  }
  uint64_t Varint() {
    uint64_t x = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      uint8_t c = Byte();
      x |= static_cast<uint64_t>(c & 0x7f) << shift;
      if ((c & 0x80) == 0) return x;
    }
    CorruptEntry("bad varint");
  }
  bool AtEnd() const { return pos_ == b_.size(); }
  std::string Bytes() {
    uint64_t n = Varint();
    if (b_.size() - pos_ < n) CorruptEntry("truncated");
    std::string s(b_.substr(pos_, n));
    pos_ += n;
    return s;
  }

 private:
  std::string_view b_;
  size_t pos_ = 0;
};

uint64_t NowClockMillis() {
  int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
  return CommitClock::FromUnixMillis(ms);
}

}  // namespace

void PutBigEndian(uint64_t x, int bytes, std::string* out) {
  for (int i = bytes - 1; i >= 0; --i) out->push_back(static_cast<char>(x >> (8 * i)));
}

uint64_t GetBigEndian(std::string_view s, size_t pos, int bytes) {
  uint64_t x = 0;
  for (int i = 0; i < bytes; ++i) x = (x << 8) | static_cast<uint8_t>(s[pos + i]);
  return x;
}

std::optional<std::string_view> ShardOfTable(std::string_view table) {
  // [ti]<oid>[_<generation>]_s<shard>, as storage/catalog.h names a table's storage.
  auto digits = [](std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (table.size() <= 3 || (table[0] != 't' && table[0] != 'i')) return std::nullopt;
  size_t s = table.rfind("_s");
  if (s == std::string_view::npos || !digits(table.substr(s + 2))) return std::nullopt;
  std::string_view middle = table.substr(1, s - 1);  // <oid> or <oid>_<generation>
  size_t gen = middle.find('_');
  bool ok = gen == std::string_view::npos
                ? digits(middle)
                : digits(middle.substr(0, gen)) && digits(middle.substr(gen + 1));
  if (!ok) return std::nullopt;
  return table.substr(s + 2);
}

std::optional<std::string> LogTableFor(std::string_view table) {
  if (table.starts_with(kLogTablePrefix) || table == kUnloggedSlotTable) return std::nullopt;
  if (std::optional<std::string_view> shard = ShardOfTable(table)) {
    return "log_s" + std::string(*shard);
  }
  return std::string(kSystemLogTable);
}

uint64_t CommitClock::FromUnixMillis(int64_t ms) {
  if (ms < kClockEpochUnixMs) return 0;
  return static_cast<uint64_t>(ms - kClockEpochUnixMs) << kLogicalBits;
}

int64_t CommitClock::ToUnixMillis(uint64_t t) {
  return static_cast<int64_t>(t >> kLogicalBits) + kClockEpochUnixMs;
}

uint64_t CommitClock::Next() {
  uint64_t physical = NowClockMillis();
  std::lock_guard lock(mu_);
  last_ = std::max(last_ + 1, physical);
  return last_;
}

void CommitClock::Observe(uint64_t t) {
  std::lock_guard lock(mu_);
  last_ = std::max(last_, t);
}

uint64_t CommitClock::Last() const {
  std::lock_guard lock(mu_);
  return last_;
}

std::string LogOpKey(uint64_t txn, uint32_t seq) {
  std::string k(1, 'o');
  PutBigEndian(txn, 8, &k);
  PutBigEndian(seq, 4, &k);
  return k;
}

uint64_t LogOpTxn(std::string_view key) {
  if (key.size() != 13 || key[0] != 'o') return 0;
  return GetBigEndian(key, 1, 8);
}

std::string LogOpValue(LogOpKind kind, std::string_view table, std::string_view key,
                       std::string_view value) {
  std::string v;
  v.reserve(4 + table.size() + key.size() + value.size() + 6);
  v.push_back(static_cast<char>(kFormat));
  v.push_back(static_cast<char>(kind));
  PutBytes(table, &v);
  PutBytes(key, &v);
  if (kind == LogOpKind::kPut) PutBytes(value, &v);
  return v;
}

namespace {

// Kind, table, key and (put) value: an operation entry after its format byte, and each operation
// of a transaction message.
LogOp ReadOp(EntryReader& r) {
  LogOp op;
  uint8_t kind = r.Byte();
  if (kind != static_cast<uint8_t>(LogOpKind::kPut) &&
      kind != static_cast<uint8_t>(LogOpKind::kDelete)) {
    CorruptEntry("unknown operation kind");
  }
  op.kind = static_cast<LogOpKind>(kind);
  op.table = r.Bytes();
  op.key = r.Bytes();
  if (op.kind == LogOpKind::kPut) op.value = r.Bytes();
  return op;
}

}  // namespace

LogOp DecodeLogOp(std::string_view value) {
  EntryReader r(value);
  if (r.Byte() != kFormat) CorruptEntry("unknown operation format");
  return ReadOp(r);
}

std::string LogCommitKey(uint64_t lsn) {
  std::string k(1, 'c');
  PutBigEndian(lsn, 8, &k);
  return k;
}

std::string LogCommitValue(const LogCommit& c) {
  std::string v;
  v.push_back(static_cast<char>(kFormat));
  v.push_back(static_cast<char>(c.kind));
  PutVarint(c.epoch, &v);
  PutVarint(c.txn, &v);
  PutVarint(c.op_count, &v);
  if (c.kind != LogCommitKind::kCommit) PutBytes(c.table, &v);
  return v;
}

LogCommit DecodeLogCommit(std::string_view key, std::string_view value) {
  if (key.size() != 9 || key[0] != 'c') CorruptEntry("bad commit key");
  LogCommit c;
  c.lsn = GetBigEndian(key, 1, 8);
  EntryReader r(value);
  if (r.Byte() != kFormat) CorruptEntry("unknown commit format");
  uint8_t kind = r.Byte();
  if (kind < static_cast<uint8_t>(LogCommitKind::kCommit) ||
      kind > static_cast<uint8_t>(LogCommitKind::kDropTable)) {
    CorruptEntry("unknown commit kind");
  }
  c.kind = static_cast<LogCommitKind>(kind);
  c.epoch = r.Varint();
  c.txn = r.Varint();
  c.op_count = static_cast<uint32_t>(r.Varint());
  if (c.kind != LogCommitKind::kCommit) c.table = r.Bytes();
  return c;
}

std::string EncodeTransactionMessage(const LoggedTransaction& t) {
  std::string v;
  v.push_back(static_cast<char>(kFormat));
  v.push_back(static_cast<char>(t.commit.kind));
  PutBigEndian(t.commit.lsn, 8, &v);
  PutVarint(t.commit.epoch, &v);
  PutVarint(t.commit.txn, &v);
  if (t.commit.kind != LogCommitKind::kCommit) PutBytes(t.commit.table, &v);
  PutVarint(t.ops.size(), &v);
  for (const LogOp& op : t.ops) {
    v.push_back(static_cast<char>(op.kind));
    PutBytes(op.table, &v);
    PutBytes(op.key, &v);
    if (op.kind == LogOpKind::kPut) PutBytes(op.value, &v);
  }
  return v;
}

LoggedTransaction DecodeTransactionMessage(std::string_view bytes) {
  EntryReader r(bytes);
  if (r.Byte() != kFormat) CorruptEntry("unknown transaction message format");
  LoggedTransaction t;
  const uint8_t kind = r.Byte();
  if (kind < static_cast<uint8_t>(LogCommitKind::kCommit) ||
      kind > static_cast<uint8_t>(LogCommitKind::kDropTable)) {
    CorruptEntry("unknown commit kind");
  }
  t.commit.kind = static_cast<LogCommitKind>(kind);
  for (int i = 0; i < 8; ++i) t.commit.lsn = (t.commit.lsn << 8) | r.Byte();  // big-endian
  t.commit.epoch = r.Varint();
  t.commit.txn = r.Varint();
  if (t.commit.kind != LogCommitKind::kCommit) t.commit.table = r.Bytes();
  const uint64_t n = r.Varint();
  if (n > bytes.size()) CorruptEntry("bad operation count");
  t.ops.reserve(n);
  for (uint64_t i = 0; i < n; ++i) t.ops.push_back(ReadOp(r));
  if (!r.AtEnd()) CorruptEntry("trailing bytes");
  t.commit.op_count = static_cast<uint32_t>(t.ops.size());
  return t;
}

namespace {

std::vector<std::string> LogTables(Engine* engine) {
  std::vector<std::string> logs;
  for (std::string& t : engine->ListTables()) {
    if (t.starts_with(kLogTablePrefix)) logs.push_back(std::move(t));
  }
  std::sort(logs.begin(), logs.end());
  return logs;
}

// The operation entries of `txn` in `log`, in order.
void ReadOps(Transaction* t, const std::string& log, uint64_t txn, std::vector<LogOp>* out) {
  const std::string lower = LogOpKey(txn, 0);
  const std::string upper = LogOpKey(txn + 1, 0);
  std::unique_ptr<Cursor> c = t->Scan(log, lower, upper);
  while (c->Next()) {
    if (c->key() >= upper) break;
    out->push_back(DecodeLogOp(c->value()));
  }
}

}  // namespace

std::vector<LoggedTransaction> ReadLog(Engine* engine, uint64_t after, size_t limit) {
  const uint64_t durable = engine->DurableLsn();
  std::vector<LoggedTransaction> out;
  if (durable <= after || limit == 0) return out;
  const std::vector<std::string> logs = LogTables(engine);
  std::unique_ptr<Transaction> t = engine->Begin(Isolation::kSnapshot);
  // Commit entries of every log in (after, durable], merged by LSN: at most `limit` LSNs.
  std::map<uint64_t, LoggedTransaction> by_lsn;
  const std::string lower = LogCommitKey(after + 1);
  const std::string upper = LogCommitKey(durable) + '\xff';
  for (const std::string& log : logs) {
    std::unique_ptr<Cursor> c = t->Scan(log, lower, upper);
    size_t n = 0;
    while (c->Next() && n < limit) {
      if (c->key() >= upper) break;
      LogCommit commit = DecodeLogCommit(c->key(), c->value());
      LoggedTransaction& lt = by_lsn[commit.lsn];
      lt.commit = commit;
      lt.logs.push_back(log);
      ++n;
    }
    while (by_lsn.size() > limit) by_lsn.erase(std::prev(by_lsn.end()));
  }
  for (auto& [lsn, lt] : by_lsn) {
    for (const std::string& log : lt.logs) {
      if (lt.commit.kind == LogCommitKind::kCommit) ReadOps(t.get(), log, lt.commit.txn, &lt.ops);
    }
    out.push_back(std::move(lt));
  }
  t->Rollback();
  return out;
}

uint64_t LogTruncatedThrough(Engine* engine) {
  uint64_t through = 0;
  const std::vector<std::string> logs = LogTables(engine);
  if (logs.empty()) return 0;
  std::unique_ptr<Transaction> t = engine->Begin(Isolation::kSnapshot);
  for (const std::string& log : logs) {
    if (std::optional<std::string> h = t->Get(log, kTruncatedKey); h && h->size() == 8) {
      through = std::max(through, GetBigEndian(*h, 0, 8));
    }
  }
  t->Rollback();
  return through;
}

size_t TruncateLog(Engine* engine, uint64_t before, size_t batch) {
  size_t removed = 0;
  const std::string lower = LogCommitKey(0);
  const std::string upper = LogCommitKey(before);
  for (const std::string& log : LogTables(engine)) {
    for (;;) {
      std::unique_ptr<Transaction> t = engine->Begin(Isolation::kSnapshot);
      std::vector<std::pair<std::string, uint64_t>> commits;  // key, txn
      {
        std::unique_ptr<Cursor> c = t->Scan(log, lower, upper);
        while (commits.size() < batch && c->Next()) {
          if (c->key() >= upper) break;
          LogCommit commit = DecodeLogCommit(c->key(), c->value());
          commits.emplace_back(std::string(c->key()), commit.txn);
        }
      }
      if (commits.empty()) {
        t->Rollback();
        break;
      }
      // The newest LSN removed from this log, in the same transaction as the removal.
      uint64_t through = GetBigEndian(commits.back().first, 1, 8);  // commits are in LSN order
      if (std::optional<std::string> h = t->Get(log, kTruncatedKey); h && h->size() == 8) {
        through = std::max(through, GetBigEndian(*h, 0, 8));
      }
      std::string value;
      PutBigEndian(through, 8, &value);
      t->Put(log, kTruncatedKey, value);
      for (const auto& [key, txn] : commits) {
        std::vector<std::string> keys;
        {
          std::unique_ptr<Cursor> c = t->Scan(log, LogOpKey(txn, 0), LogOpKey(txn + 1, 0));
          while (c->Next()) {
            if (LogOpTxn(c->key()) != txn) break;
            keys.emplace_back(c->key());
          }
        }
        for (const std::string& k : keys) t->Delete(log, k);
        t->Delete(log, key);
      }
      t->Commit();
      removed += commits.size();
      if (commits.size() < batch) break;
    }
  }
  return removed;
}

}  // namespace activestore::storage
