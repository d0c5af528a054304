// End-to-end tests of the engine below the wire: SQL text through parser, planner, executor
// and storage (both back ends), as a session sees it.
#include "executor/session.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <future>
#include <map>
#include <thread>

#include "executor/session_test_fixture.h"

namespace activestore::executor {
namespace {

class SessionTest : public testing::EngineFixture {};

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
  // A session that closes while DROP DATABASE waits (PostgreSQL waits up to 5 s) lets it go on.
  auto closer = std::async(std::launch::async, [&other] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    other.reset();
  });
  Run("DROP DATABASE other");
  closer.get();
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

// A volatile DEFAULT is evaluated for each copied row (a serial column numbers them), a stable
// or constant one once, as PostgreSQL's COPY does.
TEST_P(SessionTest, CopyEvaluatesVolatileDefaultsPerRow) {
  Run("CREATE TABLE cs (id serial, v text, at timestamptz DEFAULT now(), k int DEFAULT 7)");
  auto r = Run("COPY cs (v) FROM STDIN");
  ASSERT_TRUE(r.copy_in);
  std::string data;
  for (int i = 0; i < 5000; ++i) data += "r" + std::to_string(i) + "\n";
  r.copy_in->Feed(data);
  r.copy_in->Finish();
  session_->Sync();
  EXPECT_EQ(Rows("SELECT count(DISTINCT id), min(id), max(id), count(DISTINCT at), min(k) FROM cs"),
            (std::vector<std::string>{"5000|1|5000|1|7"}));
  EXPECT_EQ(Rows("SELECT v FROM cs WHERE id = 4321"), (std::vector<std::string>{"r4320"}));
}

// The error a COPY FROM STDIN of `data` (fed in pieces of `piece` bytes) ends with.
Error CopyError(Session* s, const std::string& copy, const std::string& data, size_t piece) {
  auto r = s->Execute(*s->ParseSimple(copy).at(0), {});
  EXPECT_TRUE(r.copy_in);
  for (size_t i = 0; i < data.size(); i += piece) r.copy_in->Feed(data.substr(i, piece));
  try {
    r.copy_in->Finish();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "COPY succeeded";
  return Error(SqlState::kInternalError, "no error");
}

// A COPY that fails anywhere stores nothing, with PostgreSQL's SQLSTATE, message and CONTEXT
// (the record's line, the column being read).
TEST_P(SessionTest, CopyInErrorsRollBackWithContext) {
  Run("CREATE TABLE ct (a int PRIMARY KEY, b timestamptz NOT NULL, c text)");
  const std::string copy = "COPY ct FROM STDIN WITH (FORMAT csv)";
  std::string good;
  for (int i = 1; i <= 3000; ++i) good += std::to_string(i) + ",2024-01-01 00:00:00+00,x\n";
  for (size_t piece : {size_t{7}, size_t{65536}}) {
    Error e = CopyError(session_.get(), copy, good + "3001,garbage,y\n", piece);
    EXPECT_EQ(SqlStateCode(e.state()), std::string("22007"));
    EXPECT_EQ(e.message(), "invalid input syntax for type timestamp with time zone: \"garbage\"");
    EXPECT_EQ(e.context.value_or(""), "COPY ct, line 3001, column b: \"garbage\"");
    e = CopyError(session_.get(), copy, good + "2999,2024-01-01 00:00:00+00,\"multi\nline\"\n",
                  piece);
    EXPECT_EQ(SqlStateCode(e.state()), std::string("23505"));
    EXPECT_EQ(e.message(), "duplicate key value violates unique constraint \"ct_pkey\"");
    EXPECT_EQ(e.detail.value_or(""), "Key (a)=(2999) already exists.");
    EXPECT_EQ(e.context.value_or(""), "COPY ct, line 3001");
  }
  Error e = CopyError(session_.get(), copy, "1,2024-01-01 00:00:00+00,x\n2,,y\n", 5);
  EXPECT_EQ(SqlStateCode(e.state()), std::string("23502"));
  EXPECT_EQ(e.detail.value_or(""), "Failing row contains (2, null, y).");
  EXPECT_EQ(e.context.value_or(""), "COPY ct, line 2: \"2,,y\"");
  e = CopyError(session_.get(), copy, "1,2024-01-01 00:00:00+00\n", 100);
  EXPECT_EQ(SqlStateCode(e.state()), std::string("22P04"));
  EXPECT_EQ(e.message(), "missing data for column \"c\"");
  EXPECT_EQ(e.context.value_or(""), "COPY ct, line 1: \"1,2024-01-01 00:00:00+00\"");
  e = CopyError(session_.get(), "COPY ct FROM STDIN",
                "1\t2024-01-01\t" + std::string(120, 'z') + "\tw\n", 100);
  EXPECT_EQ(e.message(), "extra data after last expected column");
  EXPECT_EQ(e.context.value_or(""),
            "COPY ct, line 1: \"1\t2024-01-01\t" + std::string(87, 'z') + "...\"");
  e = CopyError(session_.get(), "COPY ct FROM STDIN", "x\t2024-01-01\ty\n", 100);
  EXPECT_EQ(e.context.value_or(""), "COPY ct, line 1, column a: \"x\"");
  EXPECT_EQ(Rows("SELECT count(*) FROM ct"), (std::vector<std::string>{"0"}));
  // In a block, the failed COPY fails the block; nothing it copied survives.
  Run("BEGIN");
  Run("INSERT INTO ct VALUES (0, '2024-01-01', 'before')");
  CopyError(session_.get(), copy, good + "1,2024-01-01 00:00:00+00,x\n", 4096);
  EXPECT_EQ(ErrorOf("SELECT 1"), "25P02");
  Run("ROLLBACK");
  EXPECT_EQ(Rows("SELECT count(*) FROM ct"), (std::vector<std::string>{"0"}));
  // CSV quoting, NULLs and the end marker; then the whole load is there.
  auto r = Run(copy);
  r.copy_in->Feed(good);
  r.copy_in->Feed("3001,2024-01-01 00:00:00+00,\n3002,2024-01-01 00:00:00+00,\"\"\n");
  r.copy_in->Feed("3003,2024-01-01 00:00:00+00,\"a,\"\"b\"\"\nc\"\n\\.\n");
  EXPECT_EQ(r.copy_in->Finish().command_tag, "COPY 3003");
  EXPECT_EQ(Rows("SELECT count(*), count(c), max(a) FROM ct"),
            (std::vector<std::string>{"3003|3002|3003"}));
  EXPECT_EQ(Rows("SELECT c FROM ct WHERE a >= 3002 ORDER BY a"),
            (std::vector<std::string>{"", "a,\"b\"\nc"}));
}

// Big COPYs write their rows on a second thread (CopyWriter) while the statement's thread
// parses the next ones: the first failing row in input order is still the error, whichever
// thread meets it, and unique secondary indexes are kept.
TEST_P(SessionTest, CopyInPipelinedErrorsComeInInputOrder) {
  Run("CREATE TABLE pt (a int PRIMARY KEY, b int, c text)");
  Run("CREATE UNIQUE INDEX pt_b ON pt (b)");
  const std::string copy = "COPY pt FROM STDIN WITH (FORMAT csv)";
  auto rows = [](int from, int to) {
    std::string out;
    for (int i = from; i <= to; ++i) {
      out += std::to_string(i) + "," + std::to_string(-i) + ",x" + std::to_string(i) + "\n";
    }
    return out;
  };
  for (size_t piece : {size_t{1000}, size_t{65536}}) {
    // A duplicate met by the writer (line 100) comes before a bad value on line 9001.
    Error e = CopyError(session_.get(), copy,
                        rows(1, 98) + "5,0,dup\n" + rows(100, 9000) + "9001,zz,y\n", piece);
    EXPECT_EQ(SqlStateCode(e.state()), std::string("23505"));
    EXPECT_EQ(e.detail.value_or(""), "Key (a)=(5) already exists.");
    EXPECT_EQ(e.context.value_or(""), "COPY pt, line 99");
    // A bad value (line 50) comes before a duplicate on line 5000.
    e = CopyError(session_.get(), copy,
                  rows(1, 49) + "50,zz,y\n" + rows(51, 4999) + "7,-5000,dup\n" + rows(5001, 9000),
                  piece);
    EXPECT_EQ(SqlStateCode(e.state()), std::string("22P02"));
    EXPECT_EQ(e.context.value_or(""), "COPY pt, line 50, column b: \"zz\"");
    // A duplicate in the unique index, after several batches.
    e = CopyError(session_.get(), copy, rows(1, 6000) + "6001,-17,dup\n" + rows(6002, 7000), piece);
    EXPECT_EQ(e.message(), "duplicate key value violates unique constraint \"pt_b\"");
    EXPECT_EQ(e.detail.value_or(""), "Key (b)=(-17) already exists.");
    EXPECT_EQ(e.context.value_or(""), "COPY pt, line 6001");
    EXPECT_EQ(Rows("SELECT count(*) FROM pt"), (std::vector<std::string>{"0"}));
  }
  auto r = Run(copy);
  r.copy_in->Feed(rows(1, 10000));
  EXPECT_EQ(r.copy_in->Finish().command_tag, "COPY 10000");
  EXPECT_EQ(Rows("SELECT count(*), sum(a), min(b), max(c) FROM pt"),
            (std::vector<std::string>{"10000|50005000|-10000|x9999"}));
  EXPECT_EQ(Rows("SELECT a, c FROM pt WHERE b = -4321"), (std::vector<std::string>{"4321|x4321"}));
  // A COPY given up by the client while rows are being written leaves nothing behind.
  r = Run(copy);
  r.copy_in->Feed(rows(10001, 20000));
  EXPECT_THROW(r.copy_in->Abort("client gave up"), Error);
  EXPECT_EQ(Rows("SELECT count(*) FROM pt"), (std::vector<std::string>{"10000"}));
}

TEST_P(SessionTest, AddPrimaryKeyLater) {
  Run("CREATE TABLE a (aid int NOT NULL, abalance int)");
  Run("INSERT INTO a VALUES (1, 0), (2, 0), (3, 0)");
  Run("ALTER TABLE a ADD PRIMARY KEY (aid)");
  EXPECT_EQ(ErrorOf("INSERT INTO a VALUES (2, 0)"), "23505");
  EXPECT_EQ(Rows("SELECT count(*) FROM a"), (std::vector<std::string>{"3"}));
}

// ADD PRIMARY KEY moves the stored rows under their new keys in sorted runs (no secondary
// index) or row by row (with one): the same rows, duplicates and NULLs as PostgreSQL reports.
TEST_P(SessionTest, AddPrimaryKeyRewritesTheRows) {
  const std::string fill =
      "SELECT (g * 7919) % 5003, g % 3, 'r' || g FROM generate_series(1, 5003) g";
  for (bool with_index : {false, true}) {
    Run("DROP TABLE IF EXISTS big, dup, nul");
    Run("CREATE TABLE big (a int NOT NULL, b int, c text)");
    if (with_index) Run("CREATE INDEX big_c ON big (c)");
    Run("INSERT INTO big " + fill);
    Run("ALTER TABLE big ADD PRIMARY KEY (a, b)");
    EXPECT_EQ(Rows("SELECT count(*), count(DISTINCT a), min(a), max(a) FROM big"),
              (std::vector<std::string>{"5003|5003|0|5002"}));
    EXPECT_EQ(Rows("SELECT c FROM big WHERE a = 7919 % 5003 AND b = 1"),
              (std::vector<std::string>{"r1"}));
    EXPECT_EQ(ErrorOf("INSERT INTO big VALUES (2916, 1, 'again')"), "23505");
    Run("CREATE TABLE dup (a int NOT NULL, b int, c text)");
    if (with_index) Run("CREATE INDEX dup_c ON dup (c)");
    Run("INSERT INTO dup " + fill);
    Run("INSERT INTO dup VALUES (2916, 1, 'again')");
    try {
      Run("ALTER TABLE dup ADD PRIMARY KEY (a, b)");
      ADD_FAILURE();
    } catch (const Error& e) {
      EXPECT_EQ(SqlStateCode(e.state()), std::string("23505"));
      EXPECT_EQ(e.message(), "could not create unique index \"dup_pkey\"");
      EXPECT_EQ(e.detail.value_or(""), "Key (a, b)=(2916, 1) is duplicated.");
    }
    Run("CREATE TABLE nul (a int NOT NULL, b int, c text)");
    Run("INSERT INTO nul " + fill);
    Run("INSERT INTO nul VALUES (9999, NULL, 'n')");
    try {
      Run("ALTER TABLE nul ADD PRIMARY KEY (a, b)");
      ADD_FAILURE();
    } catch (const Error& e) {
      EXPECT_EQ(SqlStateCode(e.state()), std::string("23502"));
      EXPECT_EQ(e.message(), "column \"b\" of relation \"nul\" contains null values");
    }
    EXPECT_EQ(Rows("SELECT count(*) FROM dup"), (std::vector<std::string>{"5004"}));
    EXPECT_EQ(Rows("SELECT count(*) FROM nul"), (std::vector<std::string>{"5004"}));
  }
}

// Two REPEATABLE READ blocks that update the same row: the second writer gets 40001 and nothing
// is lost (READ COMMITTED waits instead: transaction_test.cpp).
TEST_P(SessionTest, ConcurrentUpdateOfOneRowIsNotLost) {
  Run("CREATE TABLE b (id int PRIMARY KEY, bal int)");
  Run("INSERT INTO b VALUES (1, 0)");
  auto other = Connect();
  Run("BEGIN");
  Run("BEGIN ISOLATION LEVEL REPEATABLE READ", other.get());
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

// The SQLSTATE of running `sql` in session `s`, or "no error".
std::string StateOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return std::string(SqlStateCode(e.state()));
  }
  return "no error";
}

// DDL in a block is invisible to other sessions until COMMIT and gone after ROLLBACK.
TEST_P(SessionTest, CreateTableInABlockIsInvisibleUntilCommit) {
  auto other = Connect();
  Run("BEGIN");
  Run("CREATE TABLE tx (a int)");
  Run("INSERT INTO tx VALUES (0)");
  EXPECT_EQ(Rows("SELECT a FROM tx"), (std::vector<std::string>{"0"}));
  EXPECT_EQ(StateOf([&] { Run("INSERT INTO tx VALUES (1)", other.get()); }), "42P01");
  Run("ROLLBACK");
  EXPECT_EQ(ErrorOf("SELECT * FROM tx"), "42P01");
  EXPECT_EQ(StateOf([&] { Run("SELECT * FROM tx", other.get()); }), "42P01");

  // The reverse: created and committed in a block, then visible to the other session.
  Run("BEGIN; CREATE TABLE tx (a int PRIMARY KEY); INSERT INTO tx VALUES (1)");
  EXPECT_EQ(StateOf([&] { Run("SELECT * FROM tx", other.get()); }), "42P01");
  Run("COMMIT");
  Run("INSERT INTO tx VALUES (2)", other.get());
  EXPECT_EQ(Rows("SELECT a FROM tx ORDER BY a"), (std::vector<std::string>{"1", "2"}));
}

TEST_P(SessionTest, DropAlterTruncateIndexInABlockRollBack) {
  Run("CREATE TABLE t (a int NOT NULL, b text)");
  Run("INSERT INTO t VALUES (1, 'x'), (2, 'y'), (2, 'z')");
  // DROP TABLE then ROLLBACK keeps the table and its rows.
  Run("BEGIN; DROP TABLE t");
  EXPECT_EQ(ErrorOf("SELECT * FROM t"), "42P01");
  Run("ROLLBACK");
  EXPECT_EQ(Rows("SELECT count(*) FROM t"), (std::vector<std::string>{"3"}));
  // TRUNCATE then ROLLBACK keeps the rows; the block sees the table empty.
  Run("BEGIN; TRUNCATE t");
  EXPECT_EQ(Rows("SELECT count(*) FROM t"), (std::vector<std::string>{"0"}));
  Run("INSERT INTO t VALUES (9, 'new')");
  Run("ROLLBACK");
  EXPECT_EQ(Rows("SELECT a, b FROM t ORDER BY a, b"),
            (std::vector<std::string>{"1|x", "2|y", "2|z"}));
  // ALTER TABLE ADD PRIMARY KEY fails on the duplicate; after deleting it, succeeds in the
  // block, and ROLLBACK restores the table without a key.
  EXPECT_EQ(ErrorOf("ALTER TABLE t ADD PRIMARY KEY (a)"), "23505");
  Run("BEGIN; DELETE FROM t WHERE b = 'z'; ALTER TABLE t ADD PRIMARY KEY (a)");
  EXPECT_EQ(ErrorOf("INSERT INTO t VALUES (1, 'dup')"), "23505");
  Run("ROLLBACK");
  Run("INSERT INTO t VALUES (1, 'dup')");
  EXPECT_EQ(Rows("SELECT count(*) FROM t"), (std::vector<std::string>{"4"}));
  // CREATE INDEX then ROLLBACK: the name is free again.
  Run("BEGIN; CREATE UNIQUE INDEX t_b ON t (b)");
  EXPECT_EQ(ErrorOf("INSERT INTO t VALUES (5, 'x')"), "23505");
  Run("ROLLBACK");
  Run("INSERT INTO t VALUES (5, 'x')");
  Run("CREATE INDEX t_b ON t (b)");
  // Committed: TRUNCATE and DROP in a block take effect at COMMIT; meanwhile their ACCESS
  // EXCLUSIVE lock makes readers wait, as in PostgreSQL.
  auto other = Connect();
  auto count_later = [&] {
    return std::async(std::launch::async, [&] {
      std::string out;
      std::string state = StateOf([&] {
        auto rows = Run("SELECT count(*) FROM t", other.get()).rows;
        out = *rows.at(0).at(0);
      });
      return state == "no error" ? out : state;
    });
  };
  Run("BEGIN; TRUNCATE t");
  auto reader = count_later();
  EXPECT_EQ(reader.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout);
  Run("COMMIT");
  EXPECT_EQ(reader.get(), "0");
  Run("BEGIN; DROP INDEX t_b; DROP TABLE t");
  auto reader2 = count_later();
  EXPECT_EQ(reader2.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout);
  Run("COMMIT");
  EXPECT_EQ(reader2.get(), "42P01");
  EXPECT_EQ(StateOf([&] { Run("SELECT * FROM t", other.get()); }), "42P01");
}

TEST_P(SessionTest, SchemasViewsAndDatabasesInABlock) {
  Run("BEGIN; CREATE SCHEMA s; CREATE TABLE s.t (a int); CREATE VIEW s.v AS SELECT a FROM s.t");
  Run("INSERT INTO s.t VALUES (1)");
  EXPECT_EQ(Rows("SELECT a FROM s.v"), (std::vector<std::string>{"1"}));
  Run("ROLLBACK");
  EXPECT_EQ(ErrorOf("SELECT * FROM s.t"), "42P01");
  Run("CREATE SCHEMA s; CREATE TABLE s.t (a int); INSERT INTO s.t VALUES (1)");
  Run("BEGIN; DROP SCHEMA s CASCADE");
  EXPECT_EQ(ErrorOf("SELECT * FROM s.t"), "42P01");
  Run("ROLLBACK");
  EXPECT_EQ(Rows("SELECT a FROM s.t"), (std::vector<std::string>{"1"}));
  Run("BEGIN");
  EXPECT_EQ(ErrorOf("CREATE DATABASE d"), "25001");
  Run("ROLLBACK");
  Run("BEGIN");
  EXPECT_EQ(ErrorOf("DROP DATABASE d"), "25001");
  Run("ROLLBACK");
  EXPECT_EQ(ErrorOf("SELECT 1; CREATE DATABASE d"), "25001");
}

// Plans made against a session's private catalog view are not used by others, and vice versa.
TEST_P(SessionTest, CachedPlansFollowTheSessionsView) {
  auto other = Connect();
  Run("CREATE TABLE p (a int)");
  Run("INSERT INTO p VALUES (1)");
  EXPECT_EQ(Rows("SELECT * FROM p"), (std::vector<std::string>{"1"}));
  // The same statement text binds to this block's new table and, in the other session, to
  // nothing (42P01) until the block commits.
  Run("BEGIN; CREATE TABLE q (a int, b int); INSERT INTO q VALUES (2, 3)");
  EXPECT_EQ(Rows("SELECT * FROM q"), (std::vector<std::string>{"2|3"}));
  EXPECT_EQ(StateOf([&] { Run("SELECT * FROM q", other.get()); }), "42P01");
  EXPECT_EQ(StateOf([&] { Run("SELECT * FROM q", other.get()); }), "42P01");
  EXPECT_EQ(Rows("SELECT * FROM q"), (std::vector<std::string>{"2|3"}));
  Run("COMMIT");
  EXPECT_EQ(Run("SELECT * FROM q", other.get()).rows[0].size(), 2u);
  EXPECT_EQ(Run("SELECT * FROM p", other.get()).rows[0].size(), 1u);
}

// Two sessions create the same table name at once: the second waits for the first (as in
// PostgreSQL) and fails once the first commits; never both commit.
TEST_P(SessionTest, ConcurrentCreateOfOneNameCommitsOnce) {
  auto other = Connect();
  Run("BEGIN; CREATE TABLE same (a int)");
  Run("BEGIN", other.get());
  auto second = std::async(std::launch::async, [&] {
    return StateOf([&] { Run("CREATE TABLE same (b int)", other.get()); });
  });
  EXPECT_EQ(second.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout);
  std::string first = StateOf([&] { Run("COMMIT"); });
  EXPECT_EQ(first, "no error");
  EXPECT_EQ(second.get(), "42P07");
  EXPECT_EQ(StateOf([&] { Run("COMMIT", other.get()); }), "no error");  // ends as ROLLBACK
  EXPECT_EQ(Run("SELECT * FROM same").columns.at(0).name, "a");
  EXPECT_EQ(Run("SELECT * FROM same", other.get()).columns.at(0).name, "a");
  // When the first rolls back, the second goes on and creates its table.
  Run("BEGIN; CREATE TABLE other_name (a int)");
  Run("BEGIN", other.get());
  auto again = std::async(std::launch::async, [&] {
    return StateOf([&] { Run("CREATE TABLE other_name (b int)", other.get()); });
  });
  EXPECT_EQ(again.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout);
  Run("ROLLBACK");
  EXPECT_EQ(again.get(), "no error");
  Run("COMMIT", other.get());
  EXPECT_EQ(Run("SELECT * FROM other_name").columns.at(0).name, "b");
}

INSTANTIATE_TEST_SUITE_P(Engines, SessionTest, ::testing::Values("memory", "wiredtiger"));

}  // namespace
}  // namespace activestore::executor
