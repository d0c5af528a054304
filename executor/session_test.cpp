// End-to-end tests of the engine below the wire: SQL text through parser, planner, executor
// and storage (both back ends), as a session sees it.
#include "executor/session.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>

namespace activestore::executor {
namespace {

class SessionTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    EngineOptions opts;
    opts.storage.engine = GetParam();
    dir_ = std::filesystem::temp_directory_path() /
           ("as_session_test_" + std::to_string(::getpid()) + "_" + GetParam());
    std::filesystem::remove_all(dir_);
    opts.storage.data_dir = dir_.string();
    opts.storage.cache_size_mb = 64;
    opts.storage.log_file_max_mb = 1;
    opts.storage.log_prealloc = false;
    opts.storage.sync_mode = "off";
    opts.shard_count = 4;
    auto opened = NodeEngine::Open(opts);
    ASSERT_TRUE(opened.ok()) << opened.error().message();
    engine_ = std::move(opened).value();
    session_ = engine_->Connect({{"user", "postgres"}, {"database", "postgres"}});
  }
  void TearDown() override {
    session_.reset();
    if (engine_) engine_->Shutdown();
    engine_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Runs every statement of `sql`; returns the last result.
  QueryResult Run(const std::string& sql, Session* s = nullptr) {
    if (s == nullptr) s = session_.get();
    QueryResult last;
    for (auto& st : s->ParseSimple(sql)) last = s->Execute(*st, {});
    return last;
  }
  std::string ErrorOf(const std::string& sql) {
    try {
      Run(sql);
    } catch (const Error& e) {
      return std::string(SqlStateCode(e.state()));
    }
    return "no error";
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
  std::unique_ptr<NodeEngine> engine_;
  std::unique_ptr<Session> session_;
};

TEST_P(SessionTest, CreateInsertSelect) {
  Run("CREATE TABLE t (id int PRIMARY KEY, name text, score numeric(6,2))");
  EXPECT_EQ(Run("INSERT INTO t VALUES (1, 'a', 1.5), (2, 'b', NULL), (3, 'c', 2.25)").command_tag,
            "INSERT 0 3");
  EXPECT_EQ(Rows("SELECT id, name, score FROM t ORDER BY id"),
            (std::vector<std::string>{"1|a|1.50", "2|b|NULL", "3|c|2.25"}));
  EXPECT_EQ(Rows("SELECT count(*), sum(score), avg(id) FROM t"),
            (std::vector<std::string>{"3|3.75|2.0000000000000000"}));
  EXPECT_EQ(ErrorOf("INSERT INTO t VALUES (1, 'dup', 0)"), "23505");
  EXPECT_EQ(ErrorOf("SELECT nope FROM t"), "42703");
  EXPECT_EQ(ErrorOf("SELECT * FROM missing"), "42P01");
  EXPECT_EQ(ErrorOf("SELEC 1"), "42601");
  EXPECT_EQ(ErrorOf("SELECT 1/0"), "22012");
}

TEST_P(SessionTest, UpdateDeleteAndTransactions) {
  Run("CREATE TABLE t (id int PRIMARY KEY, v int)");
  Run("INSERT INTO t VALUES (1, 10), (2, 20), (3, 30)");
  EXPECT_EQ(Run("UPDATE t SET v = v + 1 WHERE id >= 2").command_tag, "UPDATE 2");
  EXPECT_EQ(Run("DELETE FROM t WHERE id = 1").command_tag, "DELETE 1");
  EXPECT_EQ(Rows("SELECT id, v FROM t ORDER BY id"), (std::vector<std::string>{"2|21", "3|31"}));
  Run("BEGIN");
  EXPECT_EQ(session_->txn_status(), TxnStatus::kInBlock);
  Run("INSERT INTO t VALUES (4, 40)");
  EXPECT_EQ(ErrorOf("INSERT INTO t VALUES (4, 40)"), "23505");
  EXPECT_EQ(session_->txn_status(), TxnStatus::kFailed);
  EXPECT_EQ(ErrorOf("SELECT 1"), "25P02");
  EXPECT_EQ(Run("COMMIT").command_tag, "ROLLBACK");
  EXPECT_EQ(session_->txn_status(), TxnStatus::kIdle);
  EXPECT_EQ(Rows("SELECT count(*) FROM t"), (std::vector<std::string>{"2"}));
  Run("BEGIN; INSERT INTO t VALUES (5, 50); COMMIT");
  EXPECT_EQ(Rows("SELECT v FROM t WHERE id = 5"), (std::vector<std::string>{"50"}));
}

TEST_P(SessionTest, DatabasesAndSchemas) {
  Run("CREATE DATABASE other");
  auto other = engine_->Connect({{"user", "postgres"}, {"database", "other"}});
  Run("CREATE TABLE x (a int)", other.get());
  EXPECT_EQ(ErrorOf("SELECT * FROM x"), "42P01");
  EXPECT_EQ(ErrorOf("DROP DATABASE other"), "55006");
  other.reset();
  Run("DROP DATABASE other");
  EXPECT_THROW(engine_->Connect({{"user", "postgres"}, {"database", "other"}}), Error);
  Run("CREATE SCHEMA s; CREATE TABLE s.t (a int); INSERT INTO s.t VALUES (7)");
  EXPECT_EQ(Rows("SELECT a FROM s.t"), (std::vector<std::string>{"7"}));
  Run("SET search_path = s, public");
  EXPECT_EQ(Rows("SELECT a FROM t"), (std::vector<std::string>{"7"}));
}

TEST_P(SessionTest, PreparedStatementsAndSettings) {
  Run("CREATE TABLE t (id int PRIMARY KEY, v text)");
  Run("INSERT INTO t VALUES (1, 'one'), (2, 'two')");
  auto st = session_->Prepare("SELECT v FROM t WHERE id = $1", {});
  ASSERT_EQ(st->param_types().size(), 1u);
  EXPECT_EQ(st->param_types()[0], 23u);
  ASSERT_TRUE(st->returns_rows());
  EXPECT_EQ(st->result_columns().at(0).name, "v");
  auto r = session_->Execute(*st, {std::string("2")});
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(*r.rows[0][0], "two");
  Run("PREPARE q(int) AS SELECT v FROM t WHERE id = $1");
  EXPECT_EQ(Rows("EXECUTE q(1)"), (std::vector<std::string>{"one"}));
  Run("SET application_name = 'tests'");
  auto changed = session_->TakeChangedParameters();
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0].second, "tests");
  EXPECT_EQ(Rows("SHOW application_name"), (std::vector<std::string>{"tests"}));
  EXPECT_EQ(ErrorOf("SET no_such_setting = 1"), "42704");
}

// DateStyle and TimeZone from the start-up packet (as libpq sends PGDATESTYLE and PGTZ) and from
// options=-c (backslash escapes a space, as PostgreSQL's pg_split_opts); SET reports them; plans
// (and the literals parsed in them) are not shared across different settings.
TEST_P(SessionTest, DateStyleAndTimeZoneSettings) {
  auto s1 = engine_->Connect({{"user", "postgres"},
                              {"database", "postgres"},
                              {"DateStyle", "Postgres, MDY"},
                              {"TimeZone", "America/Los_Angeles"}});
  std::map<std::string, std::string> reported;
  for (const auto& [k, v] : s1->ReportedParameters()) reported[k] = v;
  EXPECT_EQ(reported["DateStyle"], "Postgres, MDY");
  EXPECT_EQ(reported["TimeZone"], "America/Los_Angeles");
  EXPECT_EQ(Rows("SELECT '2022-07-01 12:00+00'::timestamptz, '01/02/2003'::date", s1.get()),
            (std::vector<std::string>{"Fri Jul 01 05:00:00 2022 PDT|01-02-2003"}));
  auto s2 = engine_->Connect({{"user", "postgres"},
                              {"database", "postgres"},
                              {"options", "-c DateStyle=SQL,\\ DMY -c TimeZone=Europe/Berlin"}});
  EXPECT_EQ(Rows("SELECT '2022-07-01 12:00+00'::timestamptz, '01/02/2003'::date", s2.get()),
            (std::vector<std::string>{"01/07/2022 14:00:00 CEST|01/02/2003"}));
  EXPECT_EQ(Rows("SELECT '01/02/2003'::date"), (std::vector<std::string>{"2003-01-02"}));
  // SET reports the normalised value.
  Run("SET datestyle = german", s1.get());
  auto changed = s1->TakeChangedParameters();
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0].first, "DateStyle");
  EXPECT_EQ(changed[0].second, "German, DMY");
  Run("SET TIME ZONE 5.5", s1.get());
  changed = s1->TakeChangedParameters();
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0].first, "TimeZone");
  EXPECT_EQ(changed[0].second, "<+05:30>-05:30");
  try {
    Run("SET DateStyle = 'iso, foo'");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(SqlStateCode(e.state()), std::string("22023"));
    EXPECT_EQ(e.message(), "invalid value for parameter \"DateStyle\": \"iso, foo\"");
    EXPECT_EQ(e.detail.value_or(""), "Unrecognized key word: \"foo\".");
  }
  EXPECT_EQ(ErrorOf("SET TimeZone = 'Foo/Bar'"), "22023");
  // Columns the client wants in binary: date/time values come as ISO text in UTC, which the
  // frontend converts to binary exactly (binary timestamptz is UTC whatever the session zone).
  Run("SET TimeZone = 'America/Los_Angeles'", s2.get());
  auto st = s2->Prepare(
      "SELECT '2022-07-01 12:00+00'::timestamptz, '2022-07-01 12:00+00'::timestamptz", {});
  s2->SetBinaryResultFormats({1, 0});
  auto r = s2->Execute(*st, {});
  s2->SetBinaryResultFormats({});
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(*r.rows[0][0], "2022-07-01 12:00:00+00");
  EXPECT_EQ(*r.rows[0][1], "01/07/2022 05:00:00 PDT");
  EXPECT_THROW(engine_->Connect({{"user", "postgres"}, {"DateStyle", "foo"}}), Error);
}

TEST_P(SessionTest, CopyIn) {
  Run("CREATE TABLE t (id int PRIMARY KEY, name text, n int DEFAULT 5)");
  auto r = Run("COPY t (id, name) FROM STDIN");
  ASSERT_TRUE(r.copy_in);
  r.copy_in->Feed("1\tone\n2\t\\N\n");
  r.copy_in->Feed("3\tth");
  r.copy_in->Feed("ree\n\\.\n");
  EXPECT_EQ(r.copy_in->Finish().command_tag, "COPY 3");
  EXPECT_EQ(Rows("SELECT id, name, n FROM t ORDER BY id"),
            (std::vector<std::string>{"1|one|5", "2|NULL|5", "3|three|5"}));
}

TEST_P(SessionTest, AddPrimaryKeyLater) {
  Run("CREATE TABLE a (aid int NOT NULL, abalance int)");
  Run("INSERT INTO a VALUES (1, 0), (2, 0), (3, 0)");
  Run("ALTER TABLE a ADD PRIMARY KEY (aid)");
  EXPECT_EQ(ErrorOf("INSERT INTO a VALUES (2, 0)"), "23505");
  EXPECT_EQ(Rows("SELECT count(*) FROM a"), (std::vector<std::string>{"3"}));
}

// Two blocks that update the same row: the second writer gets 40001 and nothing is lost.
TEST_P(SessionTest, ConcurrentUpdateOfOneRowIsNotLost) {
  Run("CREATE TABLE b (id int PRIMARY KEY, bal int)");
  Run("INSERT INTO b VALUES (1, 0)");
  auto other = engine_->Connect({{"user", "postgres"}, {"database", "postgres"}});
  Run("BEGIN");
  Run("BEGIN", other.get());
  Run("UPDATE b SET bal = bal + 10 WHERE id = 1");
  Run("SELECT 1", other.get());  // the second block's snapshot is taken before the commit
  Run("COMMIT");
  std::string state;
  try {
    Run("UPDATE b SET bal = bal + 5 WHERE id = 1", other.get());
  } catch (const Error& e) {
    state = std::string(SqlStateCode(e.state()));
  }
  EXPECT_EQ(state, "40001");
  EXPECT_EQ(other->txn_status(), TxnStatus::kFailed);
  Run("ROLLBACK", other.get());
  EXPECT_EQ(Rows("SELECT bal FROM b"), (std::vector<std::string>{"10"}));
}

INSTANTIATE_TEST_SUITE_P(Engines, SessionTest, ::testing::Values("memory", "wiredtiger"));

}  // namespace
}  // namespace activestore::executor
