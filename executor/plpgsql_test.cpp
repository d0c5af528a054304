// PL/pgSQL end to end below the wire: an EXCEPTION block is a savepoint inside the caller's
// transaction block, notices reach the statement's result, and a function survives a restart.
#include <gtest/gtest.h>

#include "executor/session_test_fixture.h"

namespace activestore::executor {
namespace {

using Rows_ = std::vector<std::string>;

class PlpgsqlTest : public testing::EngineFixture {};

TEST_P(PlpgsqlTest, ExceptionBlockIsASavepointOfTheBlock) {
  Run("CREATE TABLE t (k integer PRIMARY KEY)");
  Run("BEGIN");
  Run("INSERT INTO t VALUES (1)");
  Run("SAVEPOINT s");
  Run("DO $$ BEGIN INSERT INTO t VALUES (2); BEGIN INSERT INTO t VALUES (3); "
      "INSERT INTO t VALUES (1); EXCEPTION WHEN unique_violation THEN "
      "INSERT INTO t VALUES (4); END; END $$");
  EXPECT_EQ(Rows("SELECT k FROM t ORDER BY k"), (Rows_{"1", "2", "4"}));
  // The session's own savepoint is still there and undoes the DO block.
  Run("ROLLBACK TO SAVEPOINT s");
  EXPECT_EQ(Rows("SELECT k FROM t ORDER BY k"), (Rows_{"1"}));
  Run("COMMIT");
  // Another session never saw the rolled-back rows.
  auto other = Connect();
  EXPECT_EQ(Rows("SELECT k FROM t ORDER BY k", other.get()), (Rows_{"1"}));
}

TEST_P(PlpgsqlTest, NoticesAndErrors) {
  QueryResult r = Run("DO $$ BEGIN RAISE NOTICE 'n=%', 1 + 1; RAISE LOG 'hidden'; END $$");
  ASSERT_EQ(r.notices.size(), 1u);
  EXPECT_EQ(r.notices[0].severity, "NOTICE");
  EXPECT_EQ(r.notices[0].message, "n=2");
  EXPECT_EQ(r.command_tag, "DO");
  EXPECT_EQ(ErrorOf("DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = 'U0001'; END $$"), "U0001");
  EXPECT_EQ(ErrorOf("DO $$ DECLARE x integer; BEGIN SELECT 1 INTO STRICT x WHERE false; END $$"),
            "P0002");
}

// The memory engine keeps nothing across a restart: these run on WiredTiger only.
class PlpgsqlRestartTest : public PlpgsqlTest {};

TEST_P(PlpgsqlRestartTest, FunctionSurvivesRestart) {
  Run("CREATE FUNCTION total(n integer) RETURNS bigint LANGUAGE plpgsql AS $$ DECLARE s bigint "
      ":= 0; BEGIN FOR i IN 1..n LOOP s := s + i; END LOOP; RETURN s; END $$");
  Reopen();
  EXPECT_EQ(Rows("SELECT total(100)"), Rows_{"5050"});
  EXPECT_EQ(Rows("SELECT l.lanname FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang "
                 "WHERE p.proname = 'total'"),
            Rows_{"plpgsql"});
}

INSTANTIATE_TEST_SUITE_P(Engines, PlpgsqlTest, ::testing::Values("memory", "wiredtiger"));
INSTANTIATE_TEST_SUITE_P(Engines, PlpgsqlRestartTest, ::testing::Values("wiredtiger"));

}  // namespace
}  // namespace activestore::executor
