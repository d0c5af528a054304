// COPY FROM STDIN / file (text and CSV formats) and COPY TO STDOUT / file.
#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "common/huge_pages.h"
#include "common/utf8.h"
#include "common/value_ops.h"
#include "executor/continuous_aggs.h"
#include "executor/deparse.h"
#include "executor/exec_state.h"
#include "executor/expression_evaluator.h"
#include "executor/foreign_keys.h"
#include "executor/hypertables.h"
#include "executor/operators/dml_util.h"
#include "executor/session.h"
#include "executor/table_stats.h"
#include "executor/triggers.h"
#include "parser/parser.h"
#include "planner/bound_expr_util.h"
#include "storage/table_store.h"

namespace activestore::executor {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

struct CopyFormat {
  bool csv = false;
  bool header = false;
  char delimiter = '\t';
  std::string null_string = "\\N";
  char quote = '"';
  char escape = '"';
};

CopyFormat ParseOptions(const ast::CopyStatement& s) {
  CopyFormat f;
  bool delimiter_set = false, null_set = false, escape_set = false;
  for (const auto& [k0, v] : s.options) {
    std::string k = Lower(k0);
    std::string lv = Lower(v);
    if (k == "format") {
      if (lv == "csv") {
        f.csv = true;
      } else if (lv == "text") {
        f.csv = false;
      } else if (lv == "binary") {
        Throw(SqlState::kFeatureNotSupported, "COPY BINARY is not supported yet");
      } else {
        Throw(SqlState::kInvalidParameterValue, "COPY format \"{}\" not recognized", v);
      }
    } else if (k == "csv") {
      f.csv = true;
    } else if (k == "binary") {
      Throw(SqlState::kFeatureNotSupported, "COPY BINARY is not supported yet");
    } else if (k == "header") {
      f.header = lv.empty() || lv == "true" || lv == "on" || lv == "1";
      if (lv == "match") f.header = true;
    } else if (k == "delimiter") {
      if (v.size() != 1) {
        Throw(SqlState::kFeatureNotSupported, "COPY delimiter must be a single one-byte character");
      }
      f.delimiter = v[0];
      delimiter_set = true;
    } else if (k == "null") {
      f.null_string = v;
      null_set = true;
    } else if (k == "quote") {
      if (v.size() != 1)
        Throw(SqlState::kFeatureNotSupported, "COPY quote must be a single one-byte character");
      f.quote = v[0];
    } else if (k == "escape") {
      if (v.size() != 1)
        Throw(SqlState::kFeatureNotSupported, "COPY escape must be a single one-byte character");
      f.escape = v[0];
      escape_set = true;
    } else if (k == "freeze" || k == "encoding") {
      // FREEZE only changes how PostgreSQL writes tuples; UTF8 is the only encoding.
    } else {
      Throw(SqlState::kFeatureNotSupported, "COPY option \"{}\" is not supported yet", k0);
    }
  }
  if (f.csv) {
    if (!delimiter_set) f.delimiter = ',';
    if (!null_set) f.null_string = "";
    if (!escape_set) f.escape = f.quote;
  }
  return f;
}

// Where a prepared row goes: the COPY's table, or a chunk of it when it is a hypertable, with
// the storage table of each shard.
struct CopyTarget {
  const storage::TableInfo* table;
  std::vector<std::string> shard_tables;  // ShardTable(s) for each shard s
};

// Rows of one COPY, prepared (locked, keyed, encoded: TableStore::PrepareInsert) and waiting
// to be written, with the input line each came from (the CONTEXT of an error in the write).
struct PreparedRows {
  struct Item {
    const CopyTarget* target;
    uint32_t shard;
    uint32_t key_size, bytes_size;
    size_t offset;  // key then bytes, in data
    int64_t line;
  };
  std::vector<Item> items;
  std::string data;

  void Add(const CopyTarget* target, uint32_t shard, std::string_view key, std::string_view bytes,
           int64_t line) {
    items.push_back(Item{target, shard, static_cast<uint32_t>(key.size()),
                         static_cast<uint32_t>(bytes.size()), data.size(), line});
    data.append(key);
    data.append(bytes);
  }
  void Clear() {
    items.clear();
    data.clear();
  }
};

// Writes the rows of `batch` in order (TableStore::ApplyInsert) into their targets. An Error
// gets `COPY t, line n` as CONTEXT, t the COPY's table and n the row's line.
void WritePreparedRows(storage::Transaction* txn, const storage::TableInfo& table,
                       const PreparedRows& batch) {
  int64_t line = 0;
  try {
    for (const PreparedRows::Item& it : batch.items) {
      line = it.line;
      std::string_view key(batch.data.data() + it.offset, it.key_size);
      std::string_view bytes(key.data() + it.key_size, it.bytes_size);
      storage::TableStore::ApplyInsert(txn, *it.target->table, it.shard,
                                       it.target->shard_tables[it.shard], key, bytes, nullptr);
    }
  } catch (Error& e) {
    if (!e.context) e.context = fmt::format("COPY {}, line {}", table.name, line);
    throw;
  }
}

// Writes a COPY's prepared rows into the transaction on a thread of its own, so that parsing
// and encoding (the caller's thread) overlap the engine's inserts on two cores. The statement
// stays one transaction: the engine session is used by this thread only, between Start() and
// Drain(), while the caller only prepares rows (PrepareInsert touches the transaction through
// its row locks alone) and hands them over a batch at a time.
//
// Errors: the first write that fails stops the writer; its error (with `COPY t, line n` as
// CONTEXT) is what Drain() throws, and later batches are dropped. At most kMaxQueued batches
// wait, which bounds the memory of rows in flight.
//
// Thread safety: Submit, Drain and Stop are called from one thread (the statement's).
class CopyWriter {
 public:
  static constexpr size_t kMaxQueued = 16;

  // Starts the thread.
  CopyWriter(storage::Transaction* txn, const storage::TableInfo* table)
      : txn_(txn), table_(table), thread_([this] { Run(); }) {}
  ~CopyWriter() { Stop(); }

  // Queues a batch (taking its rows; *rows comes back empty, with a recycled buffer). Waits
  // while kMaxQueued batches are queued. Returns false once a write failed (Drain then throws
  // it).
  bool Submit(PreparedRows* rows) {
    std::unique_lock lock(mu_);
    space_.wait(lock, [&] { return queue_.size() < kMaxQueued || failed_; });
    if (failed_) {
      rows->Clear();
      return false;
    }
    queue_.push_back(std::move(*rows));
    if (!free_.empty()) {
      *rows = std::move(free_.back());
      free_.pop_back();
    }
    rows->Clear();
    ready_.notify_one();
    return true;
  }

  // Waits until every queued row is written; throws the error of the first failed write.
  // After it returns, the transaction is the caller's again.
  void Drain() {
    std::unique_lock lock(mu_);
    idle_.wait(lock, [&] { return (queue_.empty() && !busy_) || failed_; });
    if (failed_) {
      lock.unlock();
      Stop();
      std::rethrow_exception(error_);
    }
  }

  // Drops the queued rows and ends the thread (waiting for the batch being written).
  void Stop() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
      queue_.clear();
    }
    ready_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  void Run() {
    // The engine's inserts allocate most of a COPY's memory (WiredTiger's updates, its
    // transaction's operations and log record), here: on huge pages, with 1/512 of the faults.
    UseHugePageArena();
    std::unique_lock lock(mu_);
    while (true) {
      ready_.wait(lock, [&] { return !queue_.empty() || stopping_; });
      if (stopping_) break;
      PreparedRows batch = std::move(queue_.front());
      queue_.pop_front();
      busy_ = true;
      space_.notify_one();
      lock.unlock();
      std::exception_ptr error = Write(batch);
      batch.Clear();
      lock.lock();
      busy_ = false;
      free_.push_back(std::move(batch));
      if (error) {
        failed_ = true;
        error_ = error;
        queue_.clear();
        space_.notify_all();
      }
      idle_.notify_all();
      if (failed_) break;
    }
  }

  std::exception_ptr Write(const PreparedRows& batch) {
    try {
      WritePreparedRows(txn_, *table_, batch);
    } catch (...) {
      return std::current_exception();
    }
    return nullptr;
  }

  storage::Transaction* txn_;
  const storage::TableInfo* table_;
  std::mutex mu_;
  std::condition_variable ready_, space_, idle_;
  std::deque<PreparedRows> queue_;
  std::vector<PreparedRows> free_;
  bool busy_ = false, failed_ = false, stopping_ = false;
  std::exception_ptr error_;
  std::thread thread_;  // last: starts once the members above exist
};

class CopyInSinkImpl : public CopyInSink {
 public:
  CopyInSinkImpl(SessionImpl* session, std::shared_ptr<const storage::TableInfo> table,
                 std::vector<int> columns, CopyFormat format)
      : session_(session), table_(std::move(table)), columns_(std::move(columns)), f_(format) {
    txn_ = session_->StatementTxn();
    checks_needed_ = !table_->checks.empty() ||
                     std::any_of(table_->columns.begin(), table_->columns.end(),
                                 [](const storage::ColumnInfo& c) { return c.domain != 0; });
    check_ctx_ = std::make_unique<ExecContext>(session_->MakeExecContext(txn_, {}));
    check_state_ = std::make_unique<ExecState>(*check_ctx_);
    txn_->LockRelation(table_->oid, storage::LockMode::kRowExclusive);
    // CHECK constraints and domains are evaluated with the transaction, which the writer
    // thread owns while it runs: such tables are written on this thread, row by row.
    // Triggers run SQL in the transaction too.
    triggers_ =
        std::make_unique<TableTriggers>(*table_, storage::TriggerInfo::kInsert, *check_ctx_);
    pipelined_ = !checks_needed_ && table_->triggers.empty();
    triggers_->BeforeStatement();
    own_target_.table = table_.get();
    for (uint32_t s = 0; s < table_->shard_count; ++s) {
      own_target_.shard_tables.push_back(table_->ShardTable(s));
    }
    if (table_->hypertable) {
      // A hypertable's rows go to its chunks (executor/hypertables.h).
      router_ = std::make_unique<ChunkRouter>(session_->engine()->catalog(), txn_, table_);
    }
    generated_needed_ = std::any_of(table_->columns.begin(), table_->columns.end(),
                                    [](const storage::ColumnInfo& c) { return c.generated != 0; });
    // Defaults of the columns that the data does not give.
    template_row_.resize(table_->columns.size());
    std::vector<bool> given(table_->columns.size(), false);
    for (int c : columns_) given[c] = true;
    for (size_t i = 0; i < table_->columns.size(); ++i) {
      template_row_[i] = Value::Null(table_->columns[i].type);
      if (!given[i]) defaulted_.push_back(static_cast<int>(i));
      if (!given[i] && table_->columns[i].default_sql && table_->columns[i].generated == 0) {
        // A volatile default (nextval of a serial column, random(), clock_timestamp()) is
        // evaluated for each row, as PostgreSQL's COPY does; the others once.
        planner::PlannerContext pc = session_->MakePlannerContext();
        planner::BoundExprPtr bound = planner::BindColumnDefault(*table_, static_cast<int>(i), pc);
        if (planner::ContainsVolatile(bound)) {
          volatile_defaults_.emplace_back(static_cast<int>(i), std::move(bound));
          continue;
        }
        auto rows = session_->RunInternalQuery("SELECT CAST(" + *table_->columns[i].default_sql +
                                                   " AS " + TypeName(table_->columns[i].type) + ")",
                                               txn_);
        template_row_[i] = rows.at(0).at(0);
      }
    }
    // Volatile defaults run SQL functions in the transaction, which the writer thread owns
    // while it runs: such tables are written row by row on this thread.
    if (!volatile_defaults_.empty()) pipelined_ = false;
  }

  void Feed(std::string_view data) override {
    if (error_ || done_) return;
    buf_.append(data.data(), data.size());
    try {
      Process(false);
    } catch (const Error& e) {
      error_ = e;
      buf_.clear();
    }
  }

  QueryResult Finish() override {
    if (!error_ && !done_) {
      try {
        Process(true);
      } catch (const Error& e) {
        error_ = e;
      }
    }
    if (!error_) {
      try {
        WritePrepared();
      } catch (const Error& e) {
        error_ = e;
      }
    }
    writer_.reset();
    inserted_rows_.Flush();  // before the transaction ends, committed or not
    if (!error_ && !fk_rows_.empty()) {
      // The foreign key checks of the copied rows, at the end of the statement.
      try {
        ExecContext ctx = session_->MakeExecContext(txn_, {});
        ExecState st(ctx);
        AfterRowWrites(st, *table_, RowEvent::kInsert, {}, fk_rows_);
      } catch (const Error& e) {
        error_ = e;
      }
    }
    if (!error_) {
      try {
        triggers_->AfterStatement();
      } catch (const Error& e) {
        error_ = e;
      }
    }
    if (error_) {
      session_->MarkFailed();
      throw *error_;
    }
    // For the continuous aggregates on the hypertable (executor/continuous_aggs.h): the rows'
    // time values, or the whole range of a chunk copied into directly.
    try {
      if (router_ && router_->lowest() <= router_->highest()) {
        LogInvalidation(session_->engine()->catalog(), txn_, router_->hypertable_oid(),
                        router_->lowest(), router_->highest() + 1);
      } else if (table_->chunk && count_ > 0) {
        LogInvalidation(session_->engine()->catalog(), txn_, table_->chunk->hypertable,
                        table_->chunk->range_start, table_->chunk->range_end);
      }
    } catch (...) {
      session_->MarkFailed();
      throw;
    }
    try {
      session_->FinishStatementTxn(true);
    } catch (...) {
      session_->MarkFailed();
      throw;
    }
    QueryResult r;
    r.command_tag = "COPY " + std::to_string(count_);
    return r;
  }

  void Abort(const std::string& message) override {
    writer_.reset();
    inserted_rows_.Flush();
    session_->MarkFailed();
    Throw(SqlState::kQueryCanceled, "COPY from stdin failed: {}", message);
  }

 private:
  // One field of the current record: a slice of row_buf_ (unescaped), or NULL.
  struct FieldRef {
    size_t begin = 0, size = 0;
    bool null = false;
  };

  std::string_view FieldText(const FieldRef& f) const {
    return std::string_view(row_buf_).substr(f.begin, f.size);
  }

  // Consumes complete records from buf_; at_end also takes a final record without newline.
  void Process(bool at_end) {
    size_t pos = 0;
    while (pos < buf_.size() && !done_) {
      size_t end;
      if (!f_.csv) {
        end = buf_.find('\n', pos);
        if (end == std::string::npos) {
          if (!at_end) break;
          end = buf_.size();
        }
        std::string_view line(buf_.data() + pos, end - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        pos = std::min(end + 1, buf_.size());
        ++line_no_;
        if (line == "\\.") {
          done_ = true;
          break;
        }
        if (f_.header && line_no_ == 1) continue;
        record_ = line;
        SplitText(line);
      } else {
        size_t consumed = 0;
        record_ = std::string_view(buf_).substr(pos);
        if (!SplitCsv(record_, at_end, &consumed)) break;
        record_ = record_.substr(0, consumed);
        while (!record_.empty() && (record_.back() == '\n' || record_.back() == '\r')) {
          record_.remove_suffix(1);
        }
        pos += consumed;
        ++line_no_;
        if (fields_.size() == 1 && !fields_[0].null && FieldText(fields_[0]) == "\\.") {
          done_ = true;
          break;
        }
        if (f_.header && line_no_ == 1) continue;
      }
      try {
        InsertRow();
      } catch (Error& e) {
        AddContext(&e);
        // The rows before this one are written first: a failure among them is the error.
        WritePrepared();
        throw;
      }
    }
    buf_.erase(0, pos);
    if (done_) buf_.clear();
  }

  void StartRecord() {
    fields_.clear();
    row_buf_.clear();
  }

  void EndField(bool null, size_t begin) {
    fields_.push_back(FieldRef{begin, row_buf_.size() - begin, null});
  }

  // Splits a text-format line into fields_ (backslash escapes decoded; a field whose raw text
  // is the NULL string is NULL).
  void SplitText(std::string_view line) {
    StartRecord();
    size_t raw_begin = 0, begin = 0;
    auto flush = [&](size_t raw_end) {
      const bool null = line.substr(raw_begin, raw_end - raw_begin) == f_.null_string;
      if (null) row_buf_.resize(begin);
      EndField(null, begin);
      raw_begin = raw_end + 1;
      begin = row_buf_.size();
    };
    for (size_t i = 0; i < line.size(); ++i) {
      char c = line[i];
      if (c == f_.delimiter) {
        flush(i);
        continue;
      }
      if (c == '\\' && i + 1 < line.size()) {
        char n = line[++i];
        switch (n) {
          case 'b':
            row_buf_.push_back('\b');
            break;
          case 'f':
            row_buf_.push_back('\f');
            break;
          case 'n':
            row_buf_.push_back('\n');
            break;
          case 'r':
            row_buf_.push_back('\r');
            break;
          case 't':
            row_buf_.push_back('\t');
            break;
          case 'v':
            row_buf_.push_back('\v');
            break;
          case 'x': {
            int v = 0, k = 0;
            while (k < 2 && i + 1 < line.size() &&
                   std::isxdigit(static_cast<unsigned char>(line[i + 1]))) {
              char h = line[++i];
              v = v * 16 + (std::isdigit(static_cast<unsigned char>(h))
                                ? h - '0'
                                : (std::tolower(h) - 'a' + 10));
              ++k;
            }
            if (k == 0)
              row_buf_.push_back('x');
            else
              row_buf_.push_back(static_cast<char>(v));
            break;
          }
          default:
            if (n >= '0' && n <= '7') {
              int v = n - '0', k = 1;
              while (k < 3 && i + 1 < line.size() && line[i + 1] >= '0' && line[i + 1] <= '7') {
                v = v * 8 + (line[++i] - '0');
                ++k;
              }
              row_buf_.push_back(static_cast<char>(v));
            } else {
              row_buf_.push_back(n);
            }
        }
        continue;
      }
      row_buf_.push_back(c);
    }
    flush(line.size());
  }

  // Parses one CSV record starting at the beginning of `in` into fields_. Returns false when
  // the record is not complete yet (and !at_end).
  bool SplitCsv(std::string_view in, bool at_end, size_t* consumed) {
    StartRecord();
    bool quoted_field = false, in_quotes = false;
    size_t begin = 0;
    auto flush = [&]() {
      const bool null = !quoted_field && std::string_view(row_buf_).substr(begin) == f_.null_string;
      if (null) row_buf_.resize(begin);
      EndField(null, begin);
      begin = row_buf_.size();
      quoted_field = false;
    };
    const size_t n = in.size();
    // Appends the bytes from *pos on that `ordinary` accepts, in one piece, and moves *pos past
    // them; false at the end of the input.
    auto take_run = [&](size_t* pos, auto ordinary) {
      size_t j = *pos;
      while (j < n && ordinary(in[j])) ++j;
      row_buf_.append(in.data() + *pos, j - *pos);
      *pos = j;
      return j < n;
    };
    size_t i = 0;
    for (; i < n; ++i) {
      if (in_quotes) {
        if (!take_run(&i, [&](char b) { return b != f_.quote && b != f_.escape; })) break;
      } else if (!take_run(&i, [&](char b) {
                   return b != f_.quote && b != f_.delimiter && b != '\n' && b != '\r';
                 })) {
        break;
      }
      char c = in[i];
      if (in_quotes) {
        if (c == f_.escape && i + 1 < in.size() && in[i + 1] == f_.quote) {
          row_buf_.push_back(f_.quote);
          ++i;
        } else if (c == f_.quote) {
          in_quotes = false;
        } else if (c == f_.escape && f_.escape != f_.quote && i + 1 < in.size()) {
          row_buf_.push_back(in[++i]);
        } else {
          row_buf_.push_back(c);
        }
        continue;
      }
      if (c == f_.quote) {
        in_quotes = true;
        quoted_field = true;
        continue;
      }
      if (c == f_.delimiter) {
        flush();
        continue;
      }
      if (c == '\n' || c == '\r') {
        flush();
        if (c == '\r' && i + 1 < in.size() && in[i + 1] == '\n') ++i;
        *consumed = i + 1;
        return true;
      }
    }
    if (!at_end) return false;
    if (in_quotes) Throw(SqlState::kBadCopyFileFormat, "unterminated CSV quoted field");
    flush();
    *consumed = in.size();
    return true;
  }

  // The record's bytes and its fields' (after their escapes) are valid UTF-8, else 22021 with
  // a CONTEXT naming only the line, never the invalid text. A CSV field is the record's bytes
  // less some quote characters (whole ASCII characters): valid when the record is.
  void CheckRecordUtf8() const {
    try {
      CheckUtf8(record_);
      if (f_.csv) return;
      for (const FieldRef& f : fields_) {
        if (!f.null) CheckUtf8(FieldText(f));
      }
    } catch (Error& e) {
      e.context = fmt::format("COPY {}, line {}", table_->name, line_no_);
      throw;
    }
  }

  // PostgreSQL's CONTEXT of an error in the current record (CopyFromErrorCallback): the field
  // being read, else the record, else (once the row is being stored) its line number.
  void AddContext(Error* e) const {
    if (e->context) return;
    std::string where = fmt::format("COPY {}, line {}", table_->name, line_no_);
    if (column_ >= 0) {
      const FieldRef& f = fields_[column_];
      where += fmt::format(", column {}: ", table_->columns[columns_[column_]].name);
      where += f.null ? "null input" : "\"" + LimitPrintout(FieldText(f)) + "\"";
    } else if (!storing_) {
      where += ": \"" + LimitPrintout(record_) + "\"";
    }
    e->context = std::move(where);
  }

  // PostgreSQL's limit_printout_length: at most 100 bytes (whole characters), then "...".
  static std::string LimitPrintout(std::string_view s) {
    constexpr size_t kMax = 100;
    if (s.size() <= kMax) return std::string(s);
    size_t len = kMax;
    while (len > 0 && (static_cast<unsigned char>(s[len]) & 0xC0) == 0x80) --len;
    return std::string(s.substr(0, len)) + "...";
  }

  void InsertRow() {
    storing_ = false;
    column_ = -1;
    if (fields_.size() < columns_.size()) {
      Throw(SqlState::kBadCopyFileFormat, "missing data for column \"{}\"",
            table_->columns[columns_[fields_.size()]].name);
    }
    if (fields_.size() > columns_.size()) {
      Throw(SqlState::kBadCopyFileFormat, "extra data after last expected column");
    }
    // Every column the data gives is set below: only the others start again from the template.
    if (row_.size() != template_row_.size()) {
      row_ = template_row_;
    } else {
      for (int c : defaulted_) row_[c] = template_row_[c];
    }
    storage::Row& row = row_;
    for (const auto& [c, e] : volatile_defaults_) {
      row[c] = EvaluateStandaloneExpr(*e, *check_ctx_);
    }
    const FormatOptions& fmt = session_->settings().format();
    CheckRecordUtf8();
    for (size_t i = 0; i < columns_.size(); ++i) {
      const auto& col = table_->columns[columns_[i]];
      if (!fields_[i].null) {
        column_ = static_cast<int>(i);
        row[columns_[i]] = ParseValue(FieldText(fields_[i]), col.type, fmt);
      } else {
        row[columns_[i]] = Value::Null(col.type);
      }
    }
    column_ = -1;
    if (checks_needed_ && !checks_bound_) {
      planner::PlannerContext pc = session_->MakePlannerContext();
      planner::BindTableChecks(*table_, pc, &checks_, &check_names_);
      checks_bound_ = true;
    }
    if (triggers_->has_before_row() && !triggers_->BeforeRow(nullptr, &row)) return;
    if (generated_needed_) {
      if (!generated_bound_) {
        planner::PlannerContext pc = session_->MakePlannerContext();
        generated_ = planner::BindTableGenerated(*table_, pc);
        generated_bound_ = true;
      }
      ComputeGenerated(generated_, *table_, &row, *check_state_);
    }
    // The columns' domains (domain_in), then NOT NULL, then the table's CHECKs.
    if (checks_needed_) CheckDomainConstraints(checks_, check_names_, *table_, row, *check_state_);
    CheckNotNull(*table_, row, *check_state_);
    if (checks_needed_) {
      CheckConstraints(checks_, check_names_, *table_, row, *check_state_);
    }
    storing_ = true;
    const CopyTarget* target = router_ ? ChunkTarget(row) : &own_target_;
    if (pipelined_) {
      const uint32_t shard = storage::TableStore::PrepareInsert(
          session_->engine()->catalog(), txn_, *target->table, row, &key_buf_, &bytes_buf_);
      prepared_.Add(target, shard, key_buf_, bytes_buf_, line_no_);
      if (prepared_.items.size() >= kBatchRows) {
        if (!writer_) writer_ = std::make_unique<CopyWriter>(txn_, table_.get());
        if (!writer_->Submit(&prepared_)) writer_->Drain();  // throws the writer's error
      }
    } else {
      storage::TableStore::Insert(session_->engine()->catalog(), txn_, *target->table, row);
    }
    ++count_;
    inserted_rows_.Count(target->table->oid);
    if (!table_->foreign_keys.empty()) fk_rows_.push_back(row);
    triggers_->AfterRow(nullptr, &row);
  }

  // The chunk of a hypertable's row, as a write target. Making a new chunk uses the
  // transaction (its catalog part and a lock), so the writer thread is drained first.
  const CopyTarget* ChunkTarget(const storage::Row& row) {
    const storage::TableInfo* chunk = router_->Cached(row);
    if (chunk == nullptr) {
      if (writer_) writer_->Drain();
      chunk = &router_->ChunkFor(row);
    }
    std::unique_ptr<CopyTarget>& t = chunk_targets_[chunk->oid];
    if (!t) {
      t = std::make_unique<CopyTarget>();
      t->table = chunk;
      for (uint32_t s = 0; s < chunk->shard_count; ++s) {
        t->shard_tables.push_back(chunk->ShardTable(s));
      }
    }
    return t.get();
  }

  // Writes every prepared row (through the writer once it runs, else here) and waits for
  // them; throws the first failed write's error. The transaction is this thread's afterwards.
  void WritePrepared() {
    if (!writer_) {
      PreparedRows rows = std::move(prepared_);
      prepared_.Clear();
      WritePreparedRows(txn_, *table_, rows);
      return;
    }
    if (!prepared_.items.empty()) writer_->Submit(&prepared_);
    writer_->Drain();
  }

  SessionImpl* session_;
  std::shared_ptr<const storage::TableInfo> table_;
  std::vector<int> columns_;
  CopyFormat f_;
  storage::Transaction* txn_ = nullptr;
  storage::Row template_row_;
  std::vector<int> defaulted_;  // the columns the data does not give (their template values)
  // Of those, the ones whose DEFAULT is volatile, bound once and evaluated for every row.
  std::vector<std::pair<int, planner::BoundExprPtr>> volatile_defaults_;
  std::string buf_;
  // The current record: its fields' bytes and where each lies.
  std::string row_buf_;
  std::vector<FieldRef> fields_;
  storage::Row row_;
  bool checks_needed_ = false;  // CHECK constraints or domains
  bool checks_bound_ = false;
  // For the CONTEXT of an error: the current record's text (a view into buf_), the field being
  // read (an index into columns_, -1 for none), and whether the row is being stored.
  std::string_view record_;
  int column_ = -1;
  bool storing_ = false;
  int64_t line_no_ = 0;
  int64_t count_ = 0;
  RowChangeCounter inserted_rows_{session_->xact_counts(), RowChangeCounter::Kind::kInsert};
  std::vector<storage::Row> fk_rows_;  // copied rows, for the foreign key checks
  // The table's CHECK constraints, bound at the first row.
  std::vector<planner::BoundExprPtr> checks_;
  std::vector<std::string> check_names_;
  // The stored generated columns, computed after the BEFORE triggers (bound at the first row).
  bool generated_needed_ = false;
  bool generated_bound_ = false;
  std::vector<std::pair<int, planner::BoundExprPtr>> generated_;
  std::unique_ptr<ExecContext> check_ctx_;
  std::unique_ptr<ExecState> check_state_;
  std::unique_ptr<TableTriggers> triggers_;  // the table's INSERT triggers
  bool done_ = false;
  std::optional<Error> error_;
  // Rows prepared on this thread and written by writer_ (pipelined_: see CopyWriter), a
  // batch of kBatchRows at a time.
  static constexpr size_t kBatchRows = 2048;
  bool pipelined_ = false;
  PreparedRows prepared_;
  std::string key_buf_, bytes_buf_;
  CopyTarget own_target_;  // the table itself
  // A hypertable's: the router, and the targets of its chunks (kept while rows are in flight).
  std::unique_ptr<ChunkRouter> router_;
  std::map<storage::Oid, std::unique_ptr<CopyTarget>> chunk_targets_;
  std::unique_ptr<CopyWriter> writer_;
};

std::string EscapeText(const std::string& v, char delim) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\v':
        out += "\\v";
        break;
      default:
        if (c == delim) out += '\\';
        out += c;
    }
  }
  return out;
}

std::string QuoteCsv(const std::string& v, const CopyFormat& f) {
  bool need = v.empty() || v.find(f.delimiter) != std::string::npos ||
              v.find(f.quote) != std::string::npos || v.find('\n') != std::string::npos ||
              v.find('\r') != std::string::npos || v == f.null_string;
  if (!need) return v;
  std::string out(1, f.quote);
  for (char c : v) {
    if (c == f.quote || c == f.escape) out += f.escape;
    out += c;
  }
  out += f.quote;
  return out;
}

}  // namespace

namespace {

// The columns COPY reads or writes, as PostgreSQL's CopyGetAttnums: all but the generated ones
// without a list; a generated column named in it is 42P10.
std::vector<int> CopyColumns(const ast::CopyStatement& stmt, const storage::TableInfo& table) {
  std::vector<int> cols;
  if (stmt.columns.empty()) {
    for (size_t i = 0; i < table.columns.size(); ++i) {
      if (table.columns[i].generated == 0) cols.push_back(static_cast<int>(i));
    }
    return cols;
  }
  for (const auto& c : stmt.columns) {
    int idx = table.ColumnIndex(c);
    if (idx < 0) {
      Throw(SqlState::kUndefinedColumn, "column \"{}\" of relation \"{}\" does not exist", c,
            table.name);
    }
    if (table.columns[idx].generated != 0) {
      throw Error(SqlState::kInvalidColumnReference,
                  fmt::format("column \"{}\" is a generated column", c))
          .Detail("Generated columns cannot be used in COPY.");
    }
    cols.push_back(idx);
  }
  return cols;
}

}  // namespace

std::shared_ptr<CopyInSink> MakeCopyInSink(SessionImpl* session, const ast::CopyStatement& stmt,
                                           std::shared_ptr<const storage::TableInfo> table,
                                           int* column_count) {
  std::vector<int> cols = CopyColumns(stmt, *table);
  *column_count = static_cast<int>(cols.size());
  return std::make_shared<CopyInSinkImpl>(session, std::move(table), std::move(cols),
                                          ParseOptions(stmt));
}

std::vector<std::string> FormatCopyOut(const ast::CopyStatement& stmt,
                                       const std::vector<TextRow>& rows) {
  CopyFormat f = ParseOptions(stmt);
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      if (i) line += f.delimiter;
      if (!row[i]) {
        line += f.null_string;
      } else if (f.csv) {
        line += QuoteCsv(*row[i], f);
      } else {
        line += EscapeText(*row[i], f.delimiter);
      }
    }
    line += '\n';
    out.push_back(std::move(line));
  }
  return out;
}

QueryResult SessionImpl::RunCopy(const ast::CopyStatement& s) {
  std::string target = Lower(s.target);
  if (target != "stdin" && target != "stdout") CheckServerFileAccess(s.is_from, false);
  if (s.is_from) {
    auto table = FindTable(s.table);
    if (!table) Throw(SqlState::kUndefinedTable, "relation \"{}\" does not exist", s.table.name());
    CheckTablePrivilege(*table, storage::acl::kInsert);
    if (table->is_view) {
      Throw(SqlState::kWrongObjectType, "cannot copy to view \"{}\"", table->name);
    }
    if (table->matview) {
      Throw(SqlState::kWrongObjectType, "cannot copy to materialized view \"{}\"", table->name);
    }
    if (TxnReadOnly() && table->schema.rfind("pg_temp", 0) != 0) {
      Throw(SqlState::kReadOnlySqlTransaction,
            "cannot execute COPY FROM in a read-only transaction");
    }
    QueryResult r;
    r.copy_in = MakeCopyInSink(this, s, table, &r.copy_columns);
    if (target == "stdin") return r;
    std::ifstream in(s.target, std::ios::binary);
    if (!in) {
      r.copy_in.reset();
      MarkFailed();
      Throw(SqlState::kIoError, "could not open file \"{}\" for reading: No such file or directory",
            s.target);
    }
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto sink = r.copy_in;
    sink->Feed(data);
    return sink->Finish();
  }
  // COPY ... TO
  planner::PlannerContext ctx = MakePlannerContext();
  planner::PlanPtr plan;
  if (s.query) {
    plan = planner::PlanSelect(*s.query, ctx);
  } else {
    auto table = FindTable(s.table);
    if (!table) Throw(SqlState::kUndefinedTable, "relation \"{}\" does not exist", s.table.name());
    std::string sql = "SELECT ";
    std::vector<int> cols = CopyColumns(s, *table);
    if (s.columns.empty() && cols.size() == table->columns.size()) {
      sql += "*";
    } else if (s.columns.empty()) {
      for (size_t i = 0; i < cols.size(); ++i) {
        if (i) sql += ", ";
        sql += QuoteIdent(table->columns[cols[i]].name);
      }
    } else {
      for (size_t i = 0; i < s.columns.size(); ++i) {
        if (i) sql += ", ";
        sql += QuoteIdent(s.columns[i]);
      }
    }
    sql += " FROM ONLY " + QuoteIdent(table->schema) + "." + QuoteIdent(table->name);
    std::vector<ast::StatementPtr> stmts = parser::Parse(sql);
    plan = planner::PlanStatement(*stmts.at(0), ctx);
  }
  CheckPlanPrivileges(*plan);
  storage::Transaction* txn = StatementTxn();
  LockPlanRelations(*plan, txn);
  ExecContext ectx = MakeExecContext(txn, {});
  std::vector<TextRow> rows;
  try {
    RunPlan(*plan, ectx, [&](std::vector<std::vector<Value>>&& b) {
      FormatRows(std::move(b), &rows, ectx.format);
    });
  } catch (const StatementRestart&) {
    // A data-modifying WITH query met a row changed since it was read.
    Throw(SqlState::kSerializationFailure, "could not serialize access due to concurrent update");
  }
  FinishStatementTxn(true);
  QueryResult r;
  r.command_tag = "COPY " + std::to_string(rows.size());
  std::vector<std::string> lines = FormatCopyOut(s, rows);
  CopyFormat f = ParseOptions(s);
  if (f.header) {
    std::string h;
    for (size_t i = 0; i < plan->output_names.size(); ++i) {
      if (i) h += f.delimiter;
      h += f.csv ? QuoteCsv(plan->output_names[i], f) : plan->output_names[i];
    }
    lines.insert(lines.begin(), h + "\n");
  }
  if (target == "stdout") {
    r.copy_out = true;
    r.copy_columns = static_cast<int>(plan->output_types.size());
    r.copy_out_data = std::move(lines);
    return r;
  }
  std::ofstream out(s.target, std::ios::binary | std::ios::trunc);
  if (!out) {
    Throw(SqlState::kIoError, "could not open file \"{}\" for writing", s.target);
  }
  for (const auto& l : lines) out << l;
  return r;
}

}  // namespace activestore::executor
