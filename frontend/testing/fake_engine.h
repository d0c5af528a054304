// A small scripted engine for the frontend's tests (never linked into the server). It speaks
// a toy language, one command per statement (statements split on ';'):
//
//   (empty)              EmptyQueryResponse
//   select A, B, ...     one row; A is an integer literal (int4) or $n (the parameter, typed
//                        as the statement's parameter type)
//   series N             N rows of one int4 column "i" (1..N)
//   stream N [fail K]    the same rows through a ResultStream (ExecuteStreaming) that makes
//                        batches of up to 3 rows on demand; with `fail K`, pulling row K+1
//                        fails with 22012. The stream closes when its transaction ends (Sync
//                        outside a block, commit, rollback).
//   types                one row with int2 int4 int8 float8 bool text date timestamp
//                        timestamptz numeric columns
//   insert               INSERT 0 1
//   fail                 error 22012 division by zero at execution
//   begin/commit/rollback  transaction block (25P02 in a failed block)
//   sleep                waits for Cancel() (57014) or 10 s
//   notice               a NOTICE then DO
//   crash                throws std::runtime_error (a bug in the engine)
//   set NAME = VALUE     changes a reported parameter (SET)
//   copy in              COPY FROM STDIN: counts lines (COPY n), keeps them
//   copy out             COPY TO STDOUT of two lines
//   copied               the lines received by the last COPY FROM STDIN, as rows
// A statement containing "syntaxerr" fails to parse with 42601 at its position.
//
// Thread safety: as executor::Session / NodeEngine require.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "executor/engine.h"
#include "executor/result_batch.h"
#include "executor/vector.h"

namespace activestore::frontend::testing {

struct FakeShared {
  std::mutex mu;
  std::vector<std::string> copied;  // guarded by mu
  std::atomic<int> sessions{0};
  std::atomic<int> sleeping{0};
  std::atomic<int> syncs{0};
  std::atomic<int> streamed{0};  // rows produced by streams (pulled from them)
};

// The rows 1..n of `stream N`, made kBatch at a time as they are pulled.
class FakeStream : public executor::ResultStream {
 public:
  static constexpr int kBatch = 3;
  FakeStream(FakeShared* shared, int n, int fail_after)
      : shared_(shared), n_(n), fail_after_(fail_after) {}
  void Resume() override {}
  const executor::ResultBatch* Next(size_t max_rows) override {
    if (next_ > n_) {
      state_ = State::kDone;
      return nullptr;
    }
    if (fail_after_ >= 0 && next_ > fail_after_) {
      state_ = State::kFailed;
      Throw(SqlState::kDivisionByZero, "division by zero");
    }
    int count = std::min(kBatch, n_ - next_ + 1);
    if (fail_after_ >= 0) count = std::min(count, fail_after_ - next_ + 1);
    if (max_rows > 0) count = std::min(count, static_cast<int>(max_rows));
    chunk_.Init({Type::Of(TypeId::kInt32)});
    for (int i = 0; i < count; ++i) chunk_.AppendRow({Value::Int32(next_ + i)});
    next_ += count;
    shared_->streamed += count;
    batch_.Reset(&chunk_, 0, static_cast<size_t>(count), &format_);
    return &batch_;
  }
  State state() const override { return state_; }
  std::vector<executor::Notice> TakeNotices() override { return {}; }
  void Close() {
    if (state_ == State::kOpen) state_ = State::kClosed;
  }

 private:
  FakeShared* shared_;
  int n_;
  int fail_after_;
  int next_ = 1;
  State state_ = State::kOpen;
  executor::DataChunk chunk_;
  executor::ResultBatch batch_;
  FormatOptions format_;
};

class FakeStatement : public executor::PreparedStatement {
 public:
  FakeStatement(std::string sql, std::string command, std::vector<uint32_t> params)
      : sql_(std::move(sql)), command_(std::move(command)), params_(std::move(params)) {
    Describe();
  }
  const std::vector<uint32_t>& param_types() const override { return params_; }
  bool returns_rows() const override { return returns_rows_; }
  const std::vector<executor::ColumnDesc>& result_columns() const override { return columns_; }
  const std::string& sql() const override { return sql_; }
  const std::string& command() const { return command_; }

 private:
  static executor::ColumnDesc Col(std::string name, uint32_t oid, int16_t len) {
    executor::ColumnDesc c;
    c.name = std::move(name);
    c.type_oid = oid;
    c.type_len = len;
    return c;
  }
  void Describe() {
    const std::string& c = command_;
    if (c.rfind("select", 0) == 0) {
      returns_rows_ = true;
      std::string rest = c.substr(6);
      size_t pos = 0;
      while (pos < rest.size()) {
        size_t comma = rest.find(',', pos);
        std::string item =
            rest.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        if (!item.empty() && item[0] == '$') {
          size_t n = std::stoul(item.substr(1));
          if (params_.size() < n) params_.resize(n, 0);
          columns_.push_back(Col("?column?", 0, -1));
          refs_.push_back(static_cast<int>(n));
        } else {
          columns_.push_back(Col("?column?", 23, 4));
          refs_.push_back(0);
        }
        if (comma == std::string::npos) break;
        pos = comma + 1;
      }
      for (auto& p : params_) {
        if (p == 0) p = 25;
      }
      for (size_t i = 0; i < columns_.size(); ++i) {
        if (refs_[i] > 0) columns_[i].type_oid = params_[refs_[i] - 1];
      }
    } else if (c.rfind("series", 0) == 0 || c.rfind("stream", 0) == 0) {
      returns_rows_ = true;
      columns_.push_back(Col("i", 23, 4));
    } else if (c == "types") {
      returns_rows_ = true;
      columns_ = {Col("a", 21, 2),   Col("b", 23, 4),   Col("c", 20, 8),   Col("d", 701, 8),
                  Col("e", 16, 1),   Col("f", 25, -1),  Col("g", 1082, 4), Col("h", 1114, 8),
                  Col("i", 1184, 8), Col("j", 1700, -1)};
    } else if (c == "copied") {
      returns_rows_ = true;
      columns_.push_back(Col("line", 25, -1));
    }
  }

 public:
  std::vector<int> refs_;  // per select column: 0 literal, n for $n

 private:
  std::string sql_;
  std::string command_;
  std::vector<uint32_t> params_;
  bool returns_rows_ = false;
  std::vector<executor::ColumnDesc> columns_;
};

class FakeCopySink : public executor::CopyInSink {
 public:
  explicit FakeCopySink(FakeShared* shared) : shared_(shared) {}
  void Feed(std::string_view data) override { data_.append(data); }
  executor::QueryResult Finish() override {
    std::vector<std::string> lines;
    size_t pos = 0;
    while (pos < data_.size()) {
      size_t nl = data_.find('\n', pos);
      if (nl == std::string::npos) nl = data_.size();
      std::string line = data_.substr(pos, nl - pos);
      if (line != "\\.") lines.push_back(line);
      pos = nl + 1;
    }
    executor::QueryResult r;
    r.command_tag = "COPY " + std::to_string(lines.size());
    std::lock_guard lock(shared_->mu);
    shared_->copied = std::move(lines);
    return r;
  }
  void Abort(const std::string& message) override {
    Throw(SqlState::kQueryCanceled, "COPY from stdin failed: {}", message);
  }

 private:
  FakeShared* shared_;
  std::string data_;
};

class FakeSession : public executor::Session {
 public:
  explicit FakeSession(FakeShared* shared) : shared_(shared) { ++shared_->sessions; }
  ~FakeSession() override { --shared_->sessions; }

  std::vector<std::shared_ptr<executor::PreparedStatement>> ParseSimple(
      std::string_view sql) override {
    std::vector<std::shared_ptr<executor::PreparedStatement>> out;
    size_t start = 0;
    while (start <= sql.size()) {
      size_t semi = sql.find(';', start);
      if (semi == std::string_view::npos) semi = sql.size();
      std::string_view piece = sql.substr(start, semi - start);
      if (!Normalize(piece).empty()) out.push_back(Make(sql, start, piece, {}));
      start = semi + 1;
    }
    if (out.empty()) out.push_back(Make(sql, 0, "", {}));  // "" and ";": one empty statement
    return out;
  }

  std::shared_ptr<executor::PreparedStatement> Prepare(
      std::string_view sql, const std::vector<uint32_t>& param_type_oids) override {
    if (sql.find(';') != std::string_view::npos &&
        !Normalize(sql.substr(sql.find(';') + 1)).empty()) {
      Throw(SqlState::kSyntaxError, "cannot insert multiple commands into a prepared statement");
    }
    return Make(sql, 0, sql.substr(0, sql.find(';')), param_type_oids);
  }

  executor::QueryResult Execute(const executor::PreparedStatement& stmt,
                                const executor::Params& params) override {
    const auto& s = static_cast<const FakeStatement&>(stmt);
    const std::string& c = s.command();
    executor::QueryResult r;
    if (c.empty()) {
      r.empty_query = true;
      return r;
    }
    if (status_ == executor::TxnStatus::kFailed && c != "commit" && c != "rollback") {
      Throw(SqlState::kInFailedSqlTransaction,
            "current transaction is aborted, commands ignored until end of transaction block");
    }
    r.returns_rows = s.returns_rows();
    r.columns = s.result_columns();
    if (c.rfind("select", 0) == 0) {
      executor::TextRow row;
      for (size_t i = 0; i < s.refs_.size(); ++i) {
        if (s.refs_[i] > 0) {
          row.push_back(params.at(static_cast<size_t>(s.refs_[i] - 1)));
        } else {
          std::string item = c.substr(6);
          // the i-th comma-separated literal
          size_t pos = 0;
          for (size_t k = 0; k < i; ++k) pos = item.find(',', pos) + 1;
          std::string lit = item.substr(pos, item.find(',', pos) - pos);
          lit.erase(0, lit.find_first_not_of(' '));
          lit.erase(lit.find_last_not_of(' ') + 1);
          row.push_back(lit);
        }
      }
      r.rows.push_back(std::move(row));
      r.command_tag = "SELECT 1";
    } else if (c.rfind("series", 0) == 0) {
      int n = std::stoi(c.substr(6));
      for (int i = 1; i <= n; ++i) r.rows.push_back({std::to_string(i)});
      r.command_tag = "SELECT " + std::to_string(n);
    } else if (c == "types") {
      r.rows.push_back({"12", "-34", "5000000000", "1.5", "t", "hello", "2024-02-29",
                        "2024-02-29 12:34:56.5", "2024-02-29 12:34:56+00", "1.50"});
      r.command_tag = "SELECT 1";
    } else if (c == "copied") {
      std::lock_guard lock(shared_->mu);
      for (const auto& l : shared_->copied) r.rows.push_back({l});
      r.command_tag = "SELECT " + std::to_string(shared_->copied.size());
    } else if (c == "insert") {
      r.command_tag = "INSERT 0 1";
    } else if (c == "fail") {
      if (status_ == executor::TxnStatus::kInBlock) status_ = executor::TxnStatus::kFailed;
      Throw(SqlState::kDivisionByZero, "division by zero");
    } else if (c == "begin") {
      status_ = executor::TxnStatus::kInBlock;
      r.command_tag = "BEGIN";
    } else if (c.rfind("idle timeout ", 0) == 0) {  // idle_in_transaction_session_timeout
      idle_timeout_ms_ = std::stoll(c.substr(13));
      r.command_tag = "SET";
    } else if (c == "commit" || c == "rollback") {
      r.command_tag = status_ == executor::TxnStatus::kFailed
                          ? "ROLLBACK"
                          : (c == "commit" ? "COMMIT" : "ROLLBACK");
      status_ = executor::TxnStatus::kIdle;
      CloseStreams();
    } else if (c == "sleep") {
      ++shared_->sleeping;
      auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (!cancel_.exchange(false) && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      --shared_->sleeping;
      Throw(SqlState::kQueryCanceled, "canceling statement due to user request");
    } else if (c == "crash") {
      throw std::runtime_error("unexpected internal failure");
    } else if (c == "notice") {
      r.notices.push_back({"NOTICE", "00000", "hello notice"});
      r.command_tag = "DO";
    } else if (c.rfind("set ", 0) == 0) {
      std::string rest = c.substr(4);
      size_t eq = rest.find('=');
      std::string name = rest.substr(0, eq);
      std::string value = rest.substr(eq + 1);
      name.erase(name.find_last_not_of(' ') + 1);
      value.erase(0, value.find_first_not_of(' '));
      for (auto& [k, v] : params_) {
        std::string lower = k;
        std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
        if (lower == name) {
          v = value;
          changed_.emplace_back(k, v);
        }
      }
      r.command_tag = "SET";
    } else if (c == "copy in") {
      r.copy_in = std::make_shared<FakeCopySink>(shared_);
      r.copy_columns = 2;
    } else if (c == "copy out") {
      r.copy_out = true;
      r.copy_columns = 2;
      r.copy_out_data = {"1\ta\n", "2\tb\n"};
      r.command_tag = "COPY 2";
    } else {
      Throw(SqlState::kSyntaxError, "syntax error at or near \"{}\"", c);
    }
    return r;
  }

  executor::QueryResult ExecuteStreaming(const executor::PreparedStatement& stmt,
                                         const executor::Params& params) override {
    const std::string& c = static_cast<const FakeStatement&>(stmt).command();
    if (c.rfind("stream", 0) != 0 || status_ == executor::TxnStatus::kFailed) {
      return Execute(stmt, params);
    }
    int n = std::stoi(c.substr(6));
    size_t fail = c.find("fail");
    auto stream = std::make_shared<FakeStream>(
        shared_, n, fail == std::string::npos ? -1 : std::stoi(c.substr(fail + 4)));
    streams_.push_back(stream);
    executor::QueryResult r;
    r.returns_rows = true;
    r.columns = stmt.result_columns();
    r.stream = stream;
    return r;
  }

  void Sync() override {
    ++shared_->syncs;
    if (status_ == executor::TxnStatus::kIdle) CloseStreams();
  }
  executor::TxnStatus txn_status() const override { return status_; }
  int64_t IdleInTransactionTimeoutMs() override { return idle_timeout_ms_; }
  std::vector<std::pair<std::string, std::string>> ReportedParameters() const override {
    return params_;
  }
  std::vector<std::pair<std::string, std::string>> TakeChangedParameters() override {
    return std::exchange(changed_, {});
  }
  void Cancel() override { cancel_ = true; }

 private:
  static std::string Normalize(std::string_view s) {
    std::string out(s);
    out.erase(0, out.find_first_not_of(" \t\n"));
    out.erase(out.find_last_not_of(" \t\n") + 1);
    std::transform(out.begin(), out.end(), out.begin(), ::tolower);
    return out;
  }

  std::shared_ptr<executor::PreparedStatement> Make(std::string_view whole, size_t offset,
                                                    std::string_view piece,
                                                    const std::vector<uint32_t>& types) {
    size_t err = piece.find("syntaxerr");
    if (err != std::string_view::npos) {
      throw Error(SqlState::kSyntaxError, "syntax error at or near \"syntaxerr\"")
          .Position(static_cast<int>(offset + err + 1));
    }
    return std::make_shared<FakeStatement>(std::string(whole), Normalize(piece), types);
  }

  void CloseStreams() {
    for (auto& w : streams_) {
      if (auto s = w.lock()) s->Close();
    }
    streams_.clear();
  }

  FakeShared* shared_;
  std::vector<std::weak_ptr<FakeStream>> streams_;
  executor::TxnStatus status_ = executor::TxnStatus::kIdle;
  int64_t idle_timeout_ms_ = 0;
  std::atomic<bool> cancel_{false};
  std::vector<std::pair<std::string, std::string>> params_ = {
      {"server_version", "15.0 (ActiveStore 0.1.0)"},
      {"server_encoding", "UTF8"},
      {"client_encoding", "UTF8"},
      {"DateStyle", "ISO, MDY"},
      {"IntervalStyle", "postgres"},
      {"TimeZone", "UTC"},
      {"integer_datetimes", "on"},
      {"standard_conforming_strings", "on"},
      {"application_name", ""},
      {"is_superuser", "on"},
      {"session_authorization", "postgres"},
      {"default_transaction_read_only", "off"},
      {"in_hot_standby", "off"},
  };
  std::vector<std::pair<std::string, std::string>> changed_;
};

class FakeEngine : public executor::NodeEngine {
 public:
  std::unique_ptr<executor::Session> Connect(
      const std::map<std::string, std::string>& startup) override {
    // As the node engine: the only role is postgres, the only database postgres.
    auto user = startup.find("user");
    if (user != startup.end() && user->second != "postgres") {
      Throw(SqlState::kInvalidAuthorizationSpecification, "role \"{}\" does not exist",
            user->second);
    }
    auto db = startup.find("database");
    if (db != startup.end() && db->second != "postgres") {
      Throw(SqlState::kInvalidCatalogName, "database \"{}\" does not exist", db->second);
    }
    return std::make_unique<FakeSession>(&shared);
  }
  void Shutdown() override {}

  FakeShared shared;
};

}  // namespace activestore::frontend::testing
