// User-defined SQL functions end to end: the definition is a catalog object, so it survives a
// restart, a rolled-back CREATE leaves no trace, and a concurrent session sees it only after
// the commit.
#include <gtest/gtest.h>

#include "executor/session_test_fixture.h"

namespace activestore::executor {
namespace {

using Rows_ = std::vector<std::string>;

class UserFunctionTest : public testing::EngineFixture {};

// The memory engine keeps nothing across a restart: these run on WiredTiger only.
class UserFunctionRestartTest : public UserFunctionTest {};

TEST_P(UserFunctionRestartTest, SurvivesRestart) {
  Run("CREATE FUNCTION twice(x integer, y integer DEFAULT 2) RETURNS integer LANGUAGE sql "
      "IMMUTABLE AS 'SELECT x * y'");
  Run("CREATE TABLE notes (v text)");
  Run("CREATE PROCEDURE note(v text) LANGUAGE sql BEGIN ATOMIC INSERT INTO notes VALUES (v); "
      "END");
  Reopen();
  EXPECT_EQ(Rows("SELECT twice(21), twice(3, 3)"), Rows_{"42|9"});
  Run("CALL note('x')");
  EXPECT_EQ(Rows("SELECT v FROM notes"), Rows_{"x"});
  EXPECT_EQ(Rows("SELECT proname, prokind, provolatile, pronargs, pronargdefaults FROM pg_proc "
                 "WHERE pronamespace <> 'pg_catalog'::regnamespace ORDER BY proname"),
            (Rows_{"note|p|v|1|0", "twice|f|i|2|1"}));
  // New oids never collide with the reloaded function's.
  Run("CREATE FUNCTION thrice(x integer) RETURNS integer LANGUAGE sql AS 'SELECT x * 3'");
  EXPECT_EQ(Rows("SELECT count(DISTINCT oid) FROM pg_proc "
                 "WHERE pronamespace <> 'pg_catalog'::regnamespace"),
            Rows_{"3"});
}

TEST_P(UserFunctionTest, RolledBackCreateLeavesNoTrace) {
  Run("BEGIN");
  Run("CREATE FUNCTION f() RETURNS integer LANGUAGE sql AS 'SELECT 1'");
  EXPECT_EQ(Rows("SELECT f()"), Rows_{"1"});
  auto other = Connect();
  EXPECT_EQ(ErrorOf("SELECT f()", other.get()), "42883");
  Run("ROLLBACK");
  EXPECT_EQ(ErrorOf("SELECT f()"), "42883");
  EXPECT_EQ(Rows("SELECT count(*) FROM pg_proc WHERE proname = 'f'"), Rows_{"0"});
  // The same signature can be created again, and is seen by others after the commit.
  Run("BEGIN");
  Run("CREATE FUNCTION f() RETURNS integer LANGUAGE sql AS 'SELECT 2'");
  Run("COMMIT");
  EXPECT_EQ(Rows("SELECT f()", other.get()), Rows_{"2"});
  // A rolled-back DROP and a rolled-back OR REPLACE keep the committed definition.
  Run("BEGIN");
  Run("DROP FUNCTION f()");
  Run("ROLLBACK");
  Run("BEGIN");
  Run("CREATE OR REPLACE FUNCTION f() RETURNS integer LANGUAGE sql AS 'SELECT 3'");
  EXPECT_EQ(Rows("SELECT f()"), Rows_{"3"});
  Run("ROLLBACK");
  EXPECT_EQ(Rows("SELECT f()"), Rows_{"2"});
  // ROLLBACK TO SAVEPOINT undoes a CREATE made after the savepoint.
  Run("BEGIN");
  Run("SAVEPOINT s");
  Run("CREATE FUNCTION g() RETURNS integer LANGUAGE sql AS 'SELECT 1'");
  Run("ROLLBACK TO SAVEPOINT s");
  EXPECT_EQ(ErrorOf("SELECT g()"), "42883");
  Run("ROLLBACK");
}

TEST_P(UserFunctionTest, ConcurrentCreateOfOneSignatureConflicts) {
  auto other = Connect();
  Run("BEGIN");
  Run("CREATE FUNCTION h() RETURNS integer LANGUAGE sql AS 'SELECT 1'");
  Run("BEGIN", other.get());
  auto f = Async(other.get(), "CREATE FUNCTION h() RETURNS integer LANGUAGE sql AS 'SELECT 2'");
  Run("COMMIT");
  std::string err = f.get();
  EXPECT_TRUE(err == "42723" || err == "40001") << err;
  Run("ROLLBACK", other.get());
  EXPECT_EQ(Rows("SELECT h()"), Rows_{"1"});
}

INSTANTIATE_TEST_SUITE_P(Engines, UserFunctionTest, ::testing::Values("memory", "wiredtiger"));
INSTANTIATE_TEST_SUITE_P(Engines, UserFunctionRestartTest, ::testing::Values("wiredtiger"));

}  // namespace
}  // namespace activestore::executor
