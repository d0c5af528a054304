// A NodeEngine on a temporary data directory (one per storage back end) with a first session,
// for end-to-end tests below the wire.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "executor/session.h"

namespace activestore::executor::testing {

class EngineFixture : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    EngineOptions opts;
    opts.storage.engine = GetParam();
    std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (char& c : test) {
      if (c == '/') c = '_';
    }
    dir_ = std::filesystem::temp_directory_path() /
           ("as_" + test + "_" + std::to_string(::getpid()) + "_" + GetParam());
    std::filesystem::remove_all(dir_);
    opts.storage.data_dir = dir_.string();
    opts.storage.cache_size_mb = 64;
    opts.storage.log_file_max_mb = 1;
    opts.storage.log_prealloc = false;
    opts.storage.sync_mode = "off";
    opts.shard_count = 4;
    Configure(opts);
    opts_ = opts;
    auto opened = NodeEngine::Open(opts);
    ASSERT_TRUE(opened.ok()) << opened.error().message();
    engine_ = std::move(opened).value();
    session_ = Connect();
  }
  // Adjusts the engine's options before it opens (and reopens).
  virtual void Configure(EngineOptions& opts) { (void)opts; }
  // Closes every session of the fixture's and the engine, and opens the same data directory
  // again (REQUIRES: no other session is open).
  void Reopen() {
    session_.reset();
    engine_->Shutdown();
    engine_.reset();
    auto opened = NodeEngine::Open(opts_);
    ASSERT_TRUE(opened.ok()) << opened.error().message();
    engine_ = std::move(opened).value();
    session_ = Connect();
  }
  void TearDown() override {
    session_.reset();
    if (engine_) engine_->Shutdown();
    engine_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::unique_ptr<Session> Connect() {
    static int32_t next_pid = 1000;
    auto s = engine_->Connect({{"user", "postgres"}, {"database", "postgres"}});
    s->set_backend_pid(next_pid++);
    return s;
  }
  // Runs every statement of `sql` as one simple query (ending with Sync, as the wire protocol
  // does); returns the last result.
  QueryResult Run(const std::string& sql, Session* s = nullptr) {
    if (s == nullptr) s = session_.get();
    QueryResult last;
    try {
      for (auto& st : s->ParseSimple(sql)) last = s->Execute(*st, {});
    } catch (const Error&) {
      s->Sync();
      throw;
    }
    if (!last.copy_in) s->Sync();  // COPY FROM STDIN ends its cycle in Finish()
    return last;
  }
  // The SQLSTATE that `sql` fails with, or "no error".
  std::string ErrorOf(const std::string& sql, Session* s = nullptr) {
    try {
      Run(sql, s);
    } catch (const Error& e) {
      return std::string(SqlStateCode(e.state()));
    }
    return "no error";
  }
  // Runs sql on s in another thread; the future gives ErrorOf's answer.
  std::future<std::string> Async(Session* s, std::string sql) {
    return std::async(std::launch::async, [this, s, sql] { return ErrorOf(sql, s); });
  }
  // Whether `f` is still running 300 ms from now (blocked on a lock).
  static bool StillWaiting(std::future<std::string>& f) {
    return f.wait_for(std::chrono::milliseconds(300)) == std::future_status::timeout;
  }
  // Rows as "a|b" strings.
  std::vector<std::string> Rows(const std::string& sql, Session* s = nullptr) {
    std::vector<std::string> out;
    for (const auto& r : Run(sql, s).rows) {
      std::string line;
      for (size_t i = 0; i < r.size(); ++i) {
        if (i) line += "|";
        line += r[i] ? *r[i] : "NULL";
      }
      out.push_back(line);
    }
    return out;
  }

  std::filesystem::path dir_;
  EngineOptions opts_;
  std::unique_ptr<NodeEngine> engine_;
  std::unique_ptr<Session> session_;
};

}  // namespace activestore::executor::testing
