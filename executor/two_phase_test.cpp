// Two-phase commit end to end below the wire on both back ends: PREPARE TRANSACTION ends the
// session's block but keeps the transaction's locks, its writes stay invisible until
// COMMIT PREPARED from any session, pg_prepared_xacts, the errors, and a restart.
#include "executor/session_test_fixture.h"

namespace activestore::executor {
namespace {

using Rows_ = std::vector<std::string>;

class TwoPhaseTest : public testing::EngineFixture {
 protected:
  void Configure(EngineOptions& opts) override { opts.max_prepared_transactions = 3; }
};

TEST_P(TwoPhaseTest, PrepareKeepsLocksUntilCommitPreparedFromAnotherSession) {
  Run("CREATE TABLE b (id int PRIMARY KEY, bal int)");
  Run("INSERT INTO b VALUES (1, 0), (2, 0)");
  auto other = Connect();
  Run("BEGIN");
  Run("UPDATE b SET bal = bal + 10 WHERE id = 1");
  Run("INSERT INTO b VALUES (3, 3)");
  EXPECT_EQ(Run("PREPARE TRANSACTION 'p1'").command_tag, "PREPARE TRANSACTION");
  EXPECT_EQ(session_->txn_status(), TxnStatus::kIdle);
  // Invisible to everybody, the preparing session included.
  EXPECT_EQ(Rows("SELECT id, bal FROM b ORDER BY id"), (Rows_{"1|0", "2|0"}));
  EXPECT_EQ(Rows("SELECT id, bal FROM b ORDER BY id", other.get()), (Rows_{"1|0", "2|0"}));
  // Its row lock holds off a writer of the same row; other rows are free.
  auto waiter = Async(other.get(), "UPDATE b SET bal = bal + 5 WHERE id = 1");
  EXPECT_TRUE(StillWaiting(waiter));
  EXPECT_EQ(ErrorOf("UPDATE b SET bal = 1 WHERE id = 2"), "no error");
  // Its unique key too: a second inserter of id 3 waits, then fails with 23505.
  auto third = Connect();
  auto inserter = Async(third.get(), "INSERT INTO b VALUES (3, 33)");
  EXPECT_TRUE(StillWaiting(inserter));
  // DDL on the table waits for the prepared transaction's RowExclusive lock.
  EXPECT_EQ(ErrorOf("BEGIN; SET LOCAL lock_timeout = '100ms'; DROP TABLE b"), "55P03");
  Run("ROLLBACK");
  Run("RESET lock_timeout");

  auto finisher = Connect();
  EXPECT_EQ(Run("COMMIT PREPARED 'p1'", finisher.get()).command_tag, "COMMIT PREPARED");
  EXPECT_EQ(waiter.get(), "no error");
  EXPECT_EQ(inserter.get(), "23505");
  EXPECT_EQ(Rows("SELECT id, bal FROM b ORDER BY id"), (Rows_{"1|15", "2|1", "3|3"}));
  EXPECT_EQ(Rows("SELECT count(*) FROM pg_prepared_xacts"), Rows_{"0"});
}

TEST_P(TwoPhaseTest, OutlivesItsSessionAndRollsBack) {
  Run("CREATE TABLE t (id int PRIMARY KEY, v text)");
  Run("INSERT INTO t VALUES (1, 'a')");
  {
    auto s = Connect();
    Run("BEGIN ISOLATION LEVEL REPEATABLE READ", s.get());
    Run("DELETE FROM t WHERE id = 1", s.get());
    Run("PREPARE TRANSACTION 'gone'", s.get());
  }
  EXPECT_EQ(Rows("SELECT gid, owner, database FROM pg_prepared_xacts"),
            Rows_{"gone|postgres|postgres"});
  EXPECT_EQ(ErrorOf("SET lock_timeout = '100ms'; UPDATE t SET v = 'b' WHERE id = 1"), "55P03");
  Run("RESET lock_timeout");
  EXPECT_EQ(Run("ROLLBACK PREPARED 'gone'").command_tag, "ROLLBACK PREPARED");
  EXPECT_EQ(Rows("SELECT * FROM t"), Rows_{"1|a"});
  EXPECT_EQ(ErrorOf("UPDATE t SET v = 'b' WHERE id = 1"), "no error");
  EXPECT_EQ(Rows("SELECT count(*) FROM pg_prepared_xacts"), Rows_{"0"});
}

TEST_P(TwoPhaseTest, Errors) {
  Run("CREATE TABLE t (id int PRIMARY KEY)");
  // Outside a block: a warning, nothing prepared.
  QueryResult r = Run("PREPARE TRANSACTION 'x'");
  EXPECT_EQ(r.command_tag, "ROLLBACK");
  ASSERT_EQ(r.notices.size(), 1u);
  EXPECT_EQ(r.notices[0].sqlstate, "25P01");
  // A failed block is rolled back.
  EXPECT_EQ(ErrorOf("BEGIN; SELECT 1/0"), "22012");
  EXPECT_EQ(Run("PREPARE TRANSACTION 'x'").command_tag, "ROLLBACK");
  EXPECT_EQ(session_->txn_status(), TxnStatus::kIdle);
  // An empty block can be prepared.
  Run("BEGIN");
  Run("PREPARE TRANSACTION 'x'");
  // A duplicate gid fails and ends the block, rolling it back.
  Run("BEGIN");
  Run("INSERT INTO t VALUES (1)");
  EXPECT_EQ(ErrorOf("PREPARE TRANSACTION 'x'"), "42710");
  EXPECT_EQ(session_->txn_status(), TxnStatus::kIdle);
  EXPECT_EQ(Rows("SELECT count(*) FROM t"), Rows_{"0"});
  EXPECT_EQ(ErrorOf("INSERT INTO t VALUES (1)"), "no error");  // its lock is gone
  // A transaction that created, dropped or used a temporary object is refused.
  Run("CREATE TEMP TABLE tmp (a int)");
  for (const char* use :
       {"SELECT * FROM tmp", "INSERT INTO tmp VALUES (1)", "LOCK tmp IN ACCESS EXCLUSIVE MODE",
        "DROP TABLE tmp", "CREATE TEMP TABLE tmp2 (a int)", "CREATE TEMP VIEW tv AS SELECT 1"}) {
    Run("BEGIN");
    Run(use);
    EXPECT_EQ(ErrorOf("PREPARE TRANSACTION 'tmp'"), "0A000") << use;
    EXPECT_EQ(session_->txn_status(), TxnStatus::kIdle);
  }
  EXPECT_EQ(Rows("SELECT count(*) FROM tmp"), Rows_{"0"});
  // Session- and transaction-level advisory locks on one object; the transaction-level ones
  // of a prepared transaction stay held.
  Run("BEGIN; SELECT pg_advisory_lock(1); SELECT pg_advisory_xact_lock_shared(1)");
  EXPECT_EQ(ErrorOf("PREPARE TRANSACTION 'adv'"), "0A000");
  Run("SELECT pg_advisory_unlock_all()");
  Run("BEGIN; SELECT pg_advisory_xact_lock(2); PREPARE TRANSACTION 'adv'");
  auto other = Connect();
  EXPECT_EQ(Rows("SELECT pg_try_advisory_lock(2)", other.get()), Rows_{"f"});
  Run("ROLLBACK PREPARED 'adv'");
  EXPECT_EQ(Rows("SELECT pg_try_advisory_lock(2)", other.get()), Rows_{"t"});
  // COMMIT/ROLLBACK PREPARED inside a block, or in a multi-statement query.
  Run("BEGIN");
  EXPECT_EQ(ErrorOf("COMMIT PREPARED 'x'"), "25001");
  Run("ROLLBACK");
  EXPECT_EQ(ErrorOf("SELECT 1; ROLLBACK PREPARED 'x'"), "25001");
  EXPECT_EQ(ErrorOf("COMMIT PREPARED 'nope'"), "42704");
  EXPECT_EQ(ErrorOf("SET max_prepared_transactions = 5"), "55P02");
  EXPECT_EQ(Rows("SHOW max_prepared_transactions"), Rows_{"3"});
  // Up to max_prepared_transactions.
  Run("BEGIN; PREPARE TRANSACTION 'y'");
  Run("BEGIN; PREPARE TRANSACTION 'z'");
  EXPECT_EQ(ErrorOf("BEGIN; PREPARE TRANSACTION 'w'"), "53200");
  EXPECT_EQ(Rows("SELECT gid FROM pg_catalog.pg_prepared_xacts ORDER BY gid"),
            (Rows_{"x", "y", "z"}));
  Run("ROLLBACK PREPARED 'z'");
  // Another database cannot finish them, nor be dropped while it has some.
  Run("CREATE DATABASE other");
  auto in_other = engine_->Connect({{"user", "postgres"}, {"database", "other"}});
  EXPECT_EQ(ErrorOf("COMMIT PREPARED 'x'", in_other.get()), "0A000");
  Run("BEGIN; PREPARE TRANSACTION 'o'; ", in_other.get());
  EXPECT_EQ(ErrorOf("BEGIN; PREPARE TRANSACTION 'o2'", in_other.get()), "53200");
  in_other.reset();
  EXPECT_EQ(ErrorOf("DROP DATABASE other"), "55006");
  Run("ROLLBACK PREPARED 'x'");
  auto again = engine_->Connect({{"user", "postgres"}, {"database", "other"}});
  Run("COMMIT PREPARED 'o'", again.get());
  again.reset();
  Run("DROP DATABASE other");
  Run("COMMIT PREPARED 'y'");
}

// With the default max_prepared_transactions = 0, PREPARE fails with 55000 and ends the block.
TEST_P(TwoPhaseTest, DisabledByDefault) {
  opts_.max_prepared_transactions = 0;
  Reopen();
  Run("CREATE TABLE t (id int PRIMARY KEY)");
  Run("BEGIN");
  Run("INSERT INTO t VALUES (1)");
  EXPECT_EQ(ErrorOf("PREPARE TRANSACTION 'x'"), "55000");
  EXPECT_EQ(session_->txn_status(), TxnStatus::kIdle);
  EXPECT_EQ(Rows("SELECT count(*) FROM t"), Rows_{"0"});
  EXPECT_EQ(Rows("SHOW max_prepared_transactions"), Rows_{"0"});
}

// A prepared transaction survives a restart with its locks (kill -9: storage's
// TwoPhaseRecoveryTest and tools/two_phase_restart_test.py).
// The memory engine keeps nothing across a restart: these run on WiredTiger only.
class TwoPhaseRestartTest : public TwoPhaseTest {};

TEST_P(TwoPhaseRestartTest, SurvivesRestart) {
  Run("CREATE TABLE t (id int PRIMARY KEY, v int)");
  Run("INSERT INTO t VALUES (1, 1), (3, 3)");
  Run("BEGIN ISOLATION LEVEL SERIALIZABLE");
  Run("UPDATE t SET v = 2 WHERE id = 1");
  Run("INSERT INTO t VALUES (2, 2)");
  EXPECT_EQ(Rows("SELECT v FROM t WHERE id = 3 FOR UPDATE"), Rows_{"3"});  // a lock, no write
  Run("PREPARE TRANSACTION 'r'");
  Reopen();
  EXPECT_EQ(Rows("SELECT gid FROM pg_prepared_xacts"), Rows_{"r"});
  EXPECT_EQ(Rows("SELECT * FROM t ORDER BY id"), (Rows_{"1|1", "3|3"}));
  EXPECT_EQ(ErrorOf("SET lock_timeout = '100ms'; UPDATE t SET v = 3 WHERE id = 1"), "55P03");
  EXPECT_EQ(ErrorOf("INSERT INTO t VALUES (2, 9)"), "55P03");
  EXPECT_EQ(ErrorOf("SELECT * FROM t WHERE id = 3 FOR SHARE"), "55P03");
  Run("RESET lock_timeout");
  auto other = Connect();
  Run("COMMIT PREPARED 'r'", other.get());
  EXPECT_EQ(Rows("SELECT * FROM t ORDER BY id"), (Rows_{"1|2", "2|2", "3|3"}));
  EXPECT_EQ(ErrorOf("UPDATE t SET v = 3 WHERE id IN (1, 3)"), "no error");
}

// DDL in a prepared transaction: invisible and locked until COMMIT PREPARED publishes it;
// ROLLBACK PREPARED leaves no trace; a restart keeps the storage it created.
TEST_P(TwoPhaseTest, PreparedDdl) {
  ASSERT_NE(engine_->storage_engine(), nullptr);
  auto tables = [&] { return engine_->storage_engine()->ListTables().size(); };
  const size_t tables_at_start = tables();
  Run("CREATE TABLE old (a int)");
  Run("INSERT INTO old VALUES (1)");
  // PostgreSQL's prepared_xacts: a created table with savepoints, and a drop.
  Run("BEGIN ISOLATION LEVEL SERIALIZABLE");
  Run("CREATE TABLE px2 (a int); INSERT INTO px2 VALUES (1)");
  Run("SAVEPOINT a; INSERT INTO px2 VALUES (2); CREATE TABLE gone (b int); ROLLBACK TO a");
  Run("SAVEPOINT b; INSERT INTO px2 VALUES (3)");
  Run("PREPARE TRANSACTION 'one'");
  Run("BEGIN");
  Run("DROP TABLE old; CREATE TABLE px4 (a int); INSERT INTO px4 VALUES (1), (2)");
  Run("PREPARE TRANSACTION 'two'");
  EXPECT_EQ(ErrorOf("SELECT * FROM px2"), "42P01");
  EXPECT_EQ(ErrorOf("SELECT * FROM px4"), "42P01");
  // The pending DROP holds ACCESS EXCLUSIVE; the table's name is taken until the end.
  EXPECT_EQ(ErrorOf("BEGIN; LOCK TABLE old IN ACCESS SHARE MODE NOWAIT"), "55P03");
  Run("ROLLBACK");
  EXPECT_EQ(ErrorOf("SET lock_timeout = '100ms'; CREATE TABLE px2 (z int)"), "55P03");
  Run("RESET lock_timeout");
  const bool restart = GetParam() != "memory";
  if (restart) Reopen();
  EXPECT_EQ(Rows("SELECT gid FROM pg_prepared_xacts ORDER BY gid"), (Rows_{"one", "two"}));
  EXPECT_EQ(ErrorOf("BEGIN; LOCK TABLE old IN ACCESS SHARE MODE NOWAIT"), "55P03");
  Run("ROLLBACK");
  // old, px2 and px4 (each one table, one shard here or more): gone was dropped at PREPARE.
  EXPECT_GT(tables(), tables_at_start);
  Run("COMMIT PREPARED 'one'");
  EXPECT_EQ(Rows("SELECT a FROM px2 ORDER BY a"), (Rows_{"1", "3"}));
  EXPECT_EQ(ErrorOf("SELECT * FROM gone"), "42P01");
  const size_t before_drop = tables();
  auto other = Connect();
  Run("COMMIT PREPARED 'two'", other.get());
  EXPECT_EQ(ErrorOf("SELECT * FROM old"), "42P01");
  EXPECT_EQ(Rows("SELECT a FROM px4 ORDER BY a", other.get()), (Rows_{"1", "2"}));
  EXPECT_LT(tables(), before_drop);  // old's storage went after the commit
  // ROLLBACK PREPARED drops what the transaction created.
  const size_t before_rollback = tables();
  Run("BEGIN; CREATE TABLE px5 (a int PRIMARY KEY); INSERT INTO px5 VALUES (5)");
  Run("PREPARE TRANSACTION 'three'");
  EXPECT_GT(tables(), before_rollback);
  if (restart) {
    other.reset();
    Reopen();
    other = Connect();
  }
  Run("ROLLBACK PREPARED 'three'");
  EXPECT_EQ(tables(), before_rollback);
  EXPECT_EQ(ErrorOf("SELECT * FROM px5"), "42P01");
  Run("CREATE TABLE px5 (b text)");  // the name is free again
  // A concurrent DDL that conflicts with the prepared one fails at PREPARE, as at COMMIT.
  Run("CREATE SCHEMA s");
  Run("BEGIN; CREATE TABLE s.t (a int)");
  Run("DROP SCHEMA s", other.get());
  EXPECT_EQ(ErrorOf("PREPARE TRANSACTION 'four'"), "40001");
  EXPECT_EQ(Rows("SELECT count(*) FROM pg_prepared_xacts"), Rows_{"0"});
}

// PostgreSQL's prepared_xacts write-skew case: a serializable transaction that read what a
// prepared one wrote fails at its write.
TEST_P(TwoPhaseTest, SerializablePreparedConflict) {
  Run("CREATE TABLE px (foobar varchar(10))");
  Run("INSERT INTO px VALUES ('aaa'), ('ddd')");
  Run("BEGIN ISOLATION LEVEL SERIALIZABLE");
  Run("UPDATE px SET foobar = 'eee' WHERE foobar = 'ddd'");
  Run("PREPARE TRANSACTION 'foo4'");
  Run("BEGIN ISOLATION LEVEL SERIALIZABLE");
  EXPECT_EQ(Rows("SELECT * FROM px ORDER BY 1"), (Rows_{"aaa", "ddd"}));
  EXPECT_EQ(ErrorOf("INSERT INTO px VALUES ('fff')"), "40001");
  EXPECT_EQ(Run("PREPARE TRANSACTION 'foo5'").command_tag, "ROLLBACK");
  EXPECT_EQ(Rows("SELECT gid FROM pg_prepared_xacts"), Rows_{"foo4"});
  Run("ROLLBACK PREPARED 'foo4'");
  EXPECT_EQ(Rows("SELECT * FROM px ORDER BY 1"), (Rows_{"aaa", "ddd"}));
}

INSTANTIATE_TEST_SUITE_P(Engines, TwoPhaseTest, ::testing::Values("memory", "wiredtiger"));
INSTANTIATE_TEST_SUITE_P(Engines, TwoPhaseRestartTest, ::testing::Values("wiredtiger"));

}  // namespace
}  // namespace activestore::executor
