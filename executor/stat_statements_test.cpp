// pg_stat_statements: statements are counted per shape with their rows and times, failed
// statements are not, the settings switch tracking, and the reset function drops entries.

#include "executor/stat_statements.h"

#include <gtest/gtest.h>

#include "executor/session_test_fixture.h"

namespace activestore::executor {
namespace {

using testing::EngineFixture;
using Rows_ = std::vector<std::string>;

class StatStatementsTest : public EngineFixture {
 protected:
  // The entries whose text mentions `word`, as "query|calls|rows", in query order.
  Rows_ Entries(const std::string& word) {
    return Rows("SELECT query, calls, rows FROM pg_stat_statements WHERE query LIKE '%" + word +
                "%' AND query NOT LIKE '%pg_stat_statements%' ORDER BY query");
  }
};

TEST_P(StatStatementsTest, CountsCallsAndRowsPerShape) {
  Run("CREATE TABLE sst (a int PRIMARY KEY, b text)");
  Run("SELECT pg_stat_statements_reset()");
  Run("INSERT INTO sst VALUES (1, 'x'), (2, 'y')");
  Run("INSERT INTO sst VALUES (3, 'z'), (4, 'w')");
  Run("SELECT a FROM sst WHERE a = 1");
  Run("select a  from SST where a = 2;");
  Run("SELECT a FROM sst WHERE a > 1 AND b <> 'q'");
  Run("UPDATE sst SET b = 'u' WHERE a >= 3");
  Run("DELETE FROM sst WHERE a = 4");
  EXPECT_EQ(
      Entries("sst"),
      (Rows_{"DELETE FROM sst WHERE a = $1|1|1", "INSERT INTO sst VALUES ($1, $2), ($3, $4)|2|4",
             "SELECT a FROM sst WHERE a = $1|2|2", "SELECT a FROM sst WHERE a > $1 AND b <> $2|1|3",
             "UPDATE sst SET b = $1 WHERE a >= $2|1|2"}));
  // Times are measured: total = calls * mean, min <= mean <= max.
  EXPECT_EQ(Rows("SELECT count(*) FROM pg_stat_statements WHERE query LIKE '%sst%' AND "
                 "(total_exec_time <= 0 OR min_exec_time > mean_exec_time OR "
                 "mean_exec_time > max_exec_time OR "
                 "abs(total_exec_time - calls * mean_exec_time) > 1e-6 * total_exec_time)"),
            Rows_{"0"});
  EXPECT_EQ(Rows("SELECT DISTINCT userid, dbid > 0, toplevel FROM pg_stat_statements"),
            Rows_{"10|t|t"});
}

TEST_P(StatStatementsTest, FailedStatementsAreNotCounted) {
  Run("CREATE TABLE sst (a int PRIMARY KEY)");
  Run("SELECT pg_stat_statements_reset()");
  Run("INSERT INTO sst VALUES (1)");
  EXPECT_EQ(ErrorOf("INSERT INTO sst VALUES (1)"), "23505");
  EXPECT_EQ(ErrorOf("SELECT 1 / (a - 1) FROM sst"), "22012");
  EXPECT_EQ(Entries("sst"), (Rows_{"INSERT INTO sst VALUES ($1)|1|1"}));
}

TEST_P(StatStatementsTest, UtilityPrepareAndExecute) {
  Run("CREATE TABLE sst (a int)");
  Run("SELECT pg_stat_statements_reset()");
  Run("SET extra_float_digits = 2");
  Run("SET extra_float_digits = 2");
  Run("SET extra_float_digits = 3");
  Run("PREPARE sstp(int) AS SELECT a FROM sst WHERE a = $1 AND a <> 9");
  Run("EXECUTE sstp(1)");
  Run("EXECUTE sstp(2)");
  Run("DEALLOCATE sstp");
  EXPECT_EQ(Entries("extra_float_digits"),
            (Rows_{"SET extra_float_digits = 2|2|0", "SET extra_float_digits = 3|1|0"}));
  EXPECT_EQ(Entries("sst"),
            (Rows_{"PREPARE sstp(int) AS SELECT a FROM sst WHERE a = $1 AND a <> $2|2|0"}));
}

TEST_P(StatStatementsTest, SettingsSwitchTracking) {
  Run("CREATE TABLE sst (a int)");
  Run("SELECT pg_stat_statements_reset()");
  Run("SET pg_stat_statements.track_utility = off");
  Run("CREATE TABLE sst2 (a int)");
  Run("SELECT a FROM sst");
  Run("SET pg_stat_statements.track = none");
  Run("SELECT a FROM sst WHERE a = 1");
  Run("RESET pg_stat_statements.track");
  EXPECT_EQ(Entries("sst"), (Rows_{"SELECT a FROM sst|1|0"}));
  EXPECT_EQ(ErrorOf("SET pg_stat_statements.track = sometimes"), "22023");
  EXPECT_EQ(ErrorOf("SET pg_stat_statements.max = 10"), "55P02");
  EXPECT_EQ(Rows("SHOW pg_stat_statements.max"), Rows_{"5000"});
}

TEST_P(StatStatementsTest, ResetByQueryIdAndInfo) {
  Run("CREATE TABLE sst (a int)");
  Run("SELECT pg_stat_statements_reset()");
  Run("SELECT a FROM sst");
  Run("SELECT a, a FROM sst");
  Run("SELECT pg_stat_statements_reset(0, 0, queryid) FROM pg_stat_statements "
      "WHERE query = 'SELECT a FROM sst'");
  EXPECT_EQ(Entries("sst"), (Rows_{"SELECT a, a FROM sst|1|0"}));
  EXPECT_EQ(Rows("SELECT dealloc, stats_reset <= now() FROM pg_stat_statements_info"),
            Rows_{"0|t"});
}

TEST(StatStatementsUnitTest, KeepsTheMostUsedWhenFull) {
  StatStatements s(10);
  auto fp = [](int i) {
    return parser::StatementFingerprint{"q" + std::to_string(i), static_cast<uint64_t>(i + 1)};
  };
  for (int i = 0; i < 10; ++i) {
    for (int k = 0; k <= i; ++k) s.Record(10, 1, fp(i), std::chrono::milliseconds(1), 1);
  }
  s.Record(10, 1, fp(99), std::chrono::milliseconds(1), 1);  // full: the least called goes
  EXPECT_EQ(s.deallocations(), 1);
  std::vector<std::string> kept;
  for (const auto& e : s.Entries()) kept.push_back(e.query);
  std::sort(kept.begin(), kept.end());
  EXPECT_EQ(kept, (std::vector<std::string>{"q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8", "q9",
                                            "q99"}));
}

TEST(StatStatementsUnitTest, RowsOfTag) {
  EXPECT_EQ(RowsOfTag("SELECT 3"), 3);
  EXPECT_EQ(RowsOfTag("INSERT 0 5"), 5);
  EXPECT_EQ(RowsOfTag("COPY 10"), 10);
  EXPECT_EQ(RowsOfTag("CREATE TABLE"), 0);
  EXPECT_EQ(RowsOfTag("BEGIN"), 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, StatStatementsTest, ::testing::Values("memory", "wiredtiger"));

}  // namespace
}  // namespace activestore::executor
