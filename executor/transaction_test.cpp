// Transactions under concurrency, end to end below the wire on both back ends: lock waits,
// READ COMMITTED re-reads, REPEATABLE READ and SERIALIZABLE failures, savepoints, timeouts and
// deadlocks.
#include <chrono>
#include <future>
#include <thread>

#include "executor/session_test_fixture.h"
#include "storage/lock_manager.h"

namespace activestore::executor {
namespace {

using namespace std::chrono_literals;
using Rows_ = std::vector<std::string>;

class TransactionTest : public testing::EngineFixture {};

// READ COMMITTED: the second writer of a row waits for the first; when that one commits, it
// goes on with the committed row (no lost update, no error).
TEST_P(TransactionTest, ReadCommittedUpdateWaitsThenSeesCommittedRow) {
  Run("CREATE TABLE b (id int PRIMARY KEY, bal int)");
  Run("INSERT INTO b VALUES (1, 0)");
  auto other = Connect();
  Run("BEGIN");
  Run("UPDATE b SET bal = bal + 10 WHERE id = 1");
  auto waiter = Async(other.get(), "UPDATE b SET bal = bal + 5 WHERE id = 1");
  EXPECT_TRUE(StillWaiting(waiter));
  Run("COMMIT");
  EXPECT_EQ(waiter.get(), "no error");
  EXPECT_EQ(Rows("SELECT bal FROM b"), Rows_{"15"});
}

// A block at READ COMMITTED sees what others committed after its first statement.
TEST_P(TransactionTest, ReadCommittedBlockSeesNewCommits) {
  Run("CREATE TABLE b (id int PRIMARY KEY, bal int)");
  Run("INSERT INTO b VALUES (1, 0)");
  auto other = Connect();
  Run("BEGIN", other.get());
  EXPECT_EQ(Rows("SELECT bal FROM b", other.get()), Rows_{"0"});
  Run("UPDATE b SET bal = 7 WHERE id = 1");
  EXPECT_EQ(Rows("SELECT bal FROM b", other.get()), Rows_{"7"});
  Run("UPDATE b SET bal = bal + 1 WHERE id = 1", other.get());
  Run("COMMIT", other.get());
  EXPECT_EQ(Rows("SELECT bal FROM b"), Rows_{"8"});
}

// REPEATABLE READ: an update of a row changed after the snapshot fails with 40001 (after
// waiting for the other writer), and the block keeps its snapshot.
TEST_P(TransactionTest, RepeatableReadConflictFails) {
  Run("CREATE TABLE b (id int PRIMARY KEY, bal int)");
  Run("INSERT INTO b VALUES (1, 0)");
  auto other = Connect();
  Run("BEGIN ISOLATION LEVEL REPEATABLE READ", other.get());
  EXPECT_EQ(Rows("SELECT bal FROM b", other.get()), Rows_{"0"});
  Run("BEGIN");
  Run("UPDATE b SET bal = 10 WHERE id = 1");
  auto waiter = Async(other.get(), "UPDATE b SET bal = bal + 5 WHERE id = 1");
  EXPECT_TRUE(StillWaiting(waiter));
  Run("COMMIT");
  EXPECT_EQ(waiter.get(), "40001");
  Run("ROLLBACK", other.get());
  EXPECT_EQ(Rows("SELECT bal FROM b"), Rows_{"10"});
}

// A writer that rolls back lets the waiter go on; under REPEATABLE READ too.
TEST_P(TransactionTest, WaiterProceedsWhenHolderRollsBack) {
  Run("CREATE TABLE b (id int PRIMARY KEY, bal int)");
  Run("INSERT INTO b VALUES (1, 0)");
  auto other = Connect();
  Run("BEGIN ISOLATION LEVEL REPEATABLE READ", other.get());
  EXPECT_EQ(Rows("SELECT bal FROM b", other.get()), Rows_{"0"});
  Run("BEGIN");
  Run("UPDATE b SET bal = 10 WHERE id = 1");
  auto waiter = Async(other.get(), "UPDATE b SET bal = bal + 5 WHERE id = 1");
  EXPECT_TRUE(StillWaiting(waiter));
  Run("ROLLBACK");
  EXPECT_EQ(waiter.get(), "no error");
  Run("COMMIT", other.get());
  EXPECT_EQ(Rows("SELECT bal FROM b"), Rows_{"5"});
}

// A second inserter of a key waits: 23505 if the first commits, success if it aborts.
TEST_P(TransactionTest, UniqueInsertWaitsForFirstInserter) {
  Run("CREATE TABLE u (id int PRIMARY KEY, v int UNIQUE)");
  auto other = Connect();
  Run("BEGIN");
  Run("INSERT INTO u VALUES (1, 1)");
  auto dup = Async(other.get(), "INSERT INTO u VALUES (1, 2)");
  EXPECT_TRUE(StillWaiting(dup));
  Run("COMMIT");
  EXPECT_EQ(dup.get(), "23505");

  Run("BEGIN");
  Run("INSERT INTO u VALUES (2, 2)");
  auto by_unique = Async(other.get(), "INSERT INTO u VALUES (3, 2)");
  EXPECT_TRUE(StillWaiting(by_unique));
  Run("ROLLBACK");
  EXPECT_EQ(by_unique.get(), "no error");
  EXPECT_EQ(Rows("SELECT id, v FROM u ORDER BY id"), (Rows_{"1|1", "3|2"}));
}

// Write skew between two SERIALIZABLE transactions: one of them fails with 40001.
TEST_P(TransactionTest, SerializablePreventsWriteSkew) {
  Run("CREATE TABLE doctors (name text PRIMARY KEY, on_call boolean)");
  Run("INSERT INTO doctors VALUES ('alice', true), ('bob', true)");
  auto other = Connect();
  Run("BEGIN ISOLATION LEVEL SERIALIZABLE");
  Run("BEGIN ISOLATION LEVEL SERIALIZABLE", other.get());
  EXPECT_EQ(Rows("SELECT count(*) FROM doctors WHERE on_call"), Rows_{"2"});
  EXPECT_EQ(Rows("SELECT count(*) FROM doctors WHERE on_call", other.get()), Rows_{"2"});
  Run("UPDATE doctors SET on_call = false WHERE name = 'alice'");
  Run("UPDATE doctors SET on_call = false WHERE name = 'bob'", other.get());
  EXPECT_EQ(ErrorOf("COMMIT"), "no error");
  EXPECT_EQ(ErrorOf("COMMIT", other.get()), "40001");
  EXPECT_EQ(Rows("SELECT count(*) FROM doctors WHERE on_call"), Rows_{"1"});
  // The same at REPEATABLE READ is allowed (snapshot isolation permits write skew).
  Run("UPDATE doctors SET on_call = true");
  Run("BEGIN ISOLATION LEVEL REPEATABLE READ");
  Run("BEGIN ISOLATION LEVEL REPEATABLE READ", other.get());
  Run("SELECT count(*) FROM doctors WHERE on_call");
  Run("SELECT count(*) FROM doctors WHERE on_call", other.get());
  Run("UPDATE doctors SET on_call = false WHERE name = 'alice'");
  Run("UPDATE doctors SET on_call = false WHERE name = 'bob'", other.get());
  EXPECT_EQ(ErrorOf("COMMIT"), "no error");
  EXPECT_EQ(ErrorOf("COMMIT", other.get()), "no error");
}

// A SERIALIZABLE scan sees phantoms as conflicts: a row inserted into the scanned range by a
// transaction that committed meanwhile fails the reader's commit.
TEST_P(TransactionTest, SerializableDetectsPhantoms) {
  Run("CREATE TABLE r (id int PRIMARY KEY, room int)");
  auto other = Connect();
  Run("BEGIN ISOLATION LEVEL SERIALIZABLE");
  Run("BEGIN ISOLATION LEVEL SERIALIZABLE", other.get());
  EXPECT_EQ(Rows("SELECT count(*) FROM r WHERE room = 1"), Rows_{"0"});
  EXPECT_EQ(Rows("SELECT count(*) FROM r WHERE room = 1", other.get()), Rows_{"0"});
  Run("INSERT INTO r VALUES (1, 1)");
  Run("INSERT INTO r VALUES (2, 1)", other.get());
  EXPECT_EQ(ErrorOf("COMMIT"), "no error");
  EXPECT_EQ(ErrorOf("COMMIT", other.get()), "40001");
}

// SSI, not commit-order validation: a transaction that read a row another one changed and
// committed may still commit when no cycle exists (it serializes before the other); a
// read-only transaction that saw the other's commit closes the cycle (the read-only anomaly
// of Fekete, O'Neil and O'Neil; PostgreSQL's read-only-anomaly-2); and with DEFERRABLE the
// reader waits for a safe snapshot instead (read-only-anomaly-3).
TEST_P(TransactionTest, SerializableReadOnlyAnomaly) {
  Run("CREATE TABLE bank (id text PRIMARY KEY, balance int)");
  Run("INSERT INTO bank VALUES ('X', 0), ('Y', 0)");
  auto s1 = Connect();
  auto s3 = Connect();
  enum Reader { kNone, kReadOnly, kDeferrable };
  for (Reader reader : {kNone, kReadOnly, kDeferrable}) {
    Run("UPDATE bank SET balance = 0");
    Run("BEGIN ISOLATION LEVEL SERIALIZABLE");  // s2
    Run("BEGIN ISOLATION LEVEL SERIALIZABLE", s1.get());
    EXPECT_EQ(Rows("SELECT balance FROM bank WHERE id = 'X'"), Rows_{"0"});
    EXPECT_EQ(Rows("SELECT balance FROM bank WHERE id = 'Y'"), Rows_{"0"});
    EXPECT_EQ(Rows("SELECT balance FROM bank WHERE id = 'Y'", s1.get()), Rows_{"0"});
    Run("UPDATE bank SET balance = 20 WHERE id = 'Y'", s1.get());
    EXPECT_EQ(ErrorOf("COMMIT", s1.get()), "no error");
    if (reader == kNone) {
      // s2 -> s1 only: s2 serializes first.
      EXPECT_EQ(ErrorOf("UPDATE bank SET balance = -11 WHERE id = 'X'"), "no error");
      EXPECT_EQ(ErrorOf("COMMIT"), "no error");
    } else if (reader == kReadOnly) {
      Run("BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY", s3.get());
      EXPECT_EQ(Rows("SELECT id, balance FROM bank ORDER BY id", s3.get()), (Rows_{"X|0", "Y|20"}));
      EXPECT_EQ(ErrorOf("COMMIT", s3.get()), "no error");
      // s3 saw s1 but not s2, s1 must follow s2: s2 is cancelled at its write.
      EXPECT_EQ(ErrorOf("UPDATE bank SET balance = -11 WHERE id = 'X'"), "40001");
      Run("ROLLBACK");
    } else {
      // While s2 (which read past s1) runs, a snapshot showing s1 is unsafe; once s2
      // commits, the reader takes a new one and sees both.
      Run("BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY DEFERRABLE", s3.get());
      auto read = Async(s3.get(), "SELECT id, balance FROM bank ORDER BY id");
      EXPECT_TRUE(StillWaiting(read));
      Run("UPDATE bank SET balance = -11 WHERE id = 'X'");
      Run("COMMIT");
      EXPECT_EQ(read.get(), "no error");
      EXPECT_EQ(Rows("SELECT id, balance FROM bank ORDER BY id", s3.get()),
                (Rows_{"X|-11", "Y|20"}));
      Run("COMMIT", s3.get());
    }
  }
}

// A SIREAD "lock" belongs to the row version read (PostgreSQL's multiple-row-versions): t1 read
// x, t2 overwrote it and committed, then t3 overwrote t2's version. t1 -rw-> t2 is the conflict;
// t1 -rw-> t3 is implied through t2, so t3, a pivot only through it, may commit after t4; t1's
// later write closes t4 -rw-> t1 -rw-> t2 and t1 is cancelled.
TEST_P(TransactionTest, SerializableConflictIsWithTheVersionRead) {
  Run("CREATE TABLE mrv (id int PRIMARY KEY, txt text)");
  Run("INSERT INTO mrv VALUES (1, NULL), (2, NULL), (3, NULL)");
  auto s2 = Connect();
  auto s3 = Connect();
  auto s4 = Connect();
  for (auto* s : {static_cast<Session*>(nullptr), s2.get(), s3.get(), s4.get()}) {
    Run("BEGIN ISOLATION LEVEL SERIALIZABLE", s);
  }
  EXPECT_EQ(Rows("SELECT id FROM mrv WHERE id = 3"), Rows_{"3"});  // t1 reads x
  Run("UPDATE mrv SET txt = 'b' WHERE id = 3", s2.get());
  Run("COMMIT", s2.get());
  Run("UPDATE mrv SET txt = 'c' WHERE id = 3", s3.get());
  EXPECT_EQ(Rows("SELECT id FROM mrv WHERE id = 2", s3.get()), Rows_{"2"});
  Run("UPDATE mrv SET txt = 'd' WHERE id = 2", s4.get());
  EXPECT_EQ(Rows("SELECT id FROM mrv WHERE id = 1", s4.get()), Rows_{"1"});
  EXPECT_EQ(ErrorOf("COMMIT", s4.get()), "no error");
  EXPECT_EQ(ErrorOf("COMMIT", s3.get()), "no error");
  EXPECT_EQ(ErrorOf("UPDATE mrv SET txt = 'a' WHERE id = 1"), "40001");
  Run("ROLLBACK");
  EXPECT_EQ(Rows("SELECT id, txt FROM mrv ORDER BY id"), (Rows_{"1|NULL", "2|d", "3|c"}));
}

// Transaction modes as settings: BEGIN's modes show in transaction_read_only and
// transaction_deferrable for the block; SET TRANSACTION READ ONLY makes the block read-only;
// READ WRITE after a query of a read-only block is refused.
TEST_P(TransactionTest, TransactionModes) {
  Run("CREATE TABLE m (a int)");
  Run("BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY DEFERRABLE");
  EXPECT_EQ(Rows("SHOW transaction_deferrable"), Rows_{"on"});
  EXPECT_EQ(Rows("SHOW transaction_read_only"), Rows_{"on"});
  Run("COMMIT");
  EXPECT_EQ(Rows("SHOW transaction_read_only"), Rows_{"off"});
  Run("BEGIN");
  Run("SET TRANSACTION READ ONLY");
  EXPECT_EQ(ErrorOf("INSERT INTO m VALUES (1)"), "25006");
  Run("ROLLBACK");
  Run("BEGIN READ ONLY");
  Run("SELECT 1");
  EXPECT_EQ(ErrorOf("SET TRANSACTION READ WRITE"), "25001");
  Run("ROLLBACK");
  // COMMIT / ROLLBACK AND CHAIN start the next block with the same modes, also after an
  // error; outside a block they fail with 25P01.
  EXPECT_EQ(ErrorOf("COMMIT AND CHAIN"), "25P01");
  Run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  EXPECT_EQ(Run("COMMIT AND CHAIN").command_tag, "COMMIT");
  EXPECT_EQ(Rows("SHOW transaction_isolation"), Rows_{"repeatable read"});
  EXPECT_EQ(Rows("SHOW transaction_read_only"), Rows_{"on"});
  EXPECT_EQ(ErrorOf("INSERT INTO m VALUES (1)"), "25006");
  EXPECT_EQ(Run("ROLLBACK AND CHAIN").command_tag, "ROLLBACK");
  EXPECT_EQ(Rows("SHOW transaction_isolation"), Rows_{"repeatable read"});
  Run("ROLLBACK");
  EXPECT_EQ(Rows("SHOW transaction_isolation"), Rows_{"read committed"});
}

// A key committed after a REPEATABLE READ snapshot is a duplicate (23505), as PostgreSQL checks
// uniqueness against the newest rows; under SERIALIZABLE a transaction that read the range
// first fails with 40001 instead (read-write-unique-4).
TEST_P(TransactionTest, UniqueViolationAfterSnapshot) {
  Run("CREATE TABLE inv (y int, n int, PRIMARY KEY (y, n))");
  auto other = Connect();
  for (const char* level : {"REPEATABLE READ", "SERIALIZABLE"}) {
    Run("DELETE FROM inv");
    Run(std::string("BEGIN ISOLATION LEVEL ") + level);
    Run("SELECT 1");
    Run("INSERT INTO inv VALUES (2016, 3)", other.get());
    EXPECT_EQ(ErrorOf("INSERT INTO inv VALUES (2016, 3)"), "23505") << level;
    Run("ROLLBACK");
    // ON CONFLICT cannot see the row to update or skip: 40001, as PostgreSQL.
    Run(std::string("BEGIN ISOLATION LEVEL ") + level);
    Run("SELECT 1");
    Run("INSERT INTO inv VALUES (2017, 1)", other.get());
    EXPECT_EQ(ErrorOf("INSERT INTO inv VALUES (2017, 1) ON CONFLICT (y, n) DO NOTHING"), "40001")
        << level;
    Run("ROLLBACK");
    Run("DELETE FROM inv");
  }
  Run("DELETE FROM inv");
  Run("BEGIN ISOLATION LEVEL SERIALIZABLE");
  Run("BEGIN ISOLATION LEVEL SERIALIZABLE", other.get());
  Run("SELECT max(n) FROM inv WHERE y = 2016");
  Run("SELECT max(n) FROM inv WHERE y = 2016", other.get());
  Run("INSERT INTO inv VALUES (2016, 3)", other.get());
  auto w = Async(nullptr, "INSERT INTO inv VALUES (2016, 3)");
  EXPECT_TRUE(StillWaiting(w));
  Run("COMMIT", other.get());
  EXPECT_EQ(w.get(), "40001");
  Run("ROLLBACK");
}

// A cycle found at a read: s1 and s2 each read what the other wrote; once s1 committed,
// s2's read fails at once (PostgreSQL's total-cash test).
TEST_P(TransactionTest, SerializableFailsAtRead) {
  Run("CREATE TABLE acct (id text PRIMARY KEY, balance int)");
  Run("INSERT INTO acct VALUES ('checking', 600), ('savings', 600)");
  auto other = Connect();
  Run("BEGIN ISOLATION LEVEL SERIALIZABLE");
  Run("BEGIN ISOLATION LEVEL SERIALIZABLE", other.get());
  Run("UPDATE acct SET balance = balance - 200 WHERE id = 'checking'");
  EXPECT_EQ(Rows("SELECT sum(balance) FROM acct"), Rows_{"1000"});
  Run("UPDATE acct SET balance = balance - 200 WHERE id = 'savings'", other.get());
  EXPECT_EQ(ErrorOf("COMMIT"), "no error");
  EXPECT_EQ(ErrorOf("SELECT sum(balance) FROM acct", other.get()), "40001");
  Run("ROLLBACK", other.get());
  EXPECT_EQ(Rows("SELECT sum(balance) FROM acct"), Rows_{"1000"});
}

TEST_P(TransactionTest, Savepoints) {
  Run("CREATE TABLE s (a int PRIMARY KEY, b int)");
  Run("BEGIN");
  Run("INSERT INTO s VALUES (1, 1)");
  Run("SAVEPOINT one");
  Run("INSERT INTO s VALUES (2, 2)");
  EXPECT_EQ(ErrorOf("INSERT INTO s VALUES (1, 9)"), "23505");
  EXPECT_EQ(ErrorOf("SELECT 1"), "25P02");
  Run("ROLLBACK TO SAVEPOINT one");
  Run("INSERT INTO s VALUES (3, 3)");
  Run("SAVEPOINT two");
  Run("UPDATE s SET b = 100");
  Run("DELETE FROM s WHERE a = 1");
  Run("ROLLBACK TO two");
  Run("SAVEPOINT two");  // a second savepoint of the same name hides the first
  Run("UPDATE s SET b = 50 WHERE a = 3");
  Run("RELEASE SAVEPOINT two");
  Run("RELEASE one");
  EXPECT_EQ(ErrorOf("ROLLBACK TO one"), "3B001");
  Run("ROLLBACK");
  Run("BEGIN");
  Run("INSERT INTO s VALUES (1, 1)");
  Run("SAVEPOINT a");
  Run("INSERT INTO s VALUES (3, 3)");
  Run("SAVEPOINT b");
  Run("UPDATE s SET b = 50 WHERE a = 3");
  Run("RELEASE b");
  Run("COMMIT");
  EXPECT_EQ(Rows("SELECT a, b FROM s ORDER BY a"), (Rows_{"1|1", "3|50"}));
  EXPECT_EQ(ErrorOf("SAVEPOINT x"), "25P01");
}

// ROLLBACK TO undoes the writes since the savepoint; a row written since keeps a FOR SHARE
// lock (the storage transaction still holds a version of it), so a writer waiting for it goes
// on at COMMIT, and sees the restored row.
TEST_P(TransactionTest, RollbackToSavepointKeepsRowLocksOfUndoneWrites) {
  Run("CREATE TABLE s (a int PRIMARY KEY, b int)");
  Run("INSERT INTO s VALUES (1, 1)");
  auto other = Connect();
  Run("BEGIN");
  Run("SAVEPOINT sp");
  Run("UPDATE s SET b = 2 WHERE a = 1");
  auto waiter = Async(other.get(), "UPDATE s SET b = b + 10 WHERE a = 1");
  EXPECT_TRUE(StillWaiting(waiter));
  Run("ROLLBACK TO sp");
  EXPECT_TRUE(StillWaiting(waiter));
  Run("COMMIT");
  EXPECT_EQ(waiter.get(), "no error");
  EXPECT_EQ(Rows("SELECT b FROM s"), Rows_{"11"});
}

// ROLLBACK TO releases the row locks taken since the savepoint, as PostgreSQL
// (delete-abort-savept-2); a row the subtransaction wrote keeps only FOR SHARE, which lets a
// FOR KEY SHARE locker in and keeps writers waiting (aborted-keyrevoke).
TEST_P(TransactionTest, RollbackToSavepointReleasesRowLocks) {
  Run("CREATE TABLE rs (k int PRIMARY KEY, v int)");
  Run("INSERT INTO rs VALUES (1, 1)");
  auto other = Connect();
  Run("BEGIN");
  Run("SELECT * FROM rs FOR KEY SHARE");
  Run("SAVEPOINT f");
  Run("SELECT * FROM rs FOR NO KEY UPDATE");
  EXPECT_EQ(ErrorOf("SELECT * FROM rs FOR NO KEY UPDATE NOWAIT", other.get()), "55P03");
  Run("ROLLBACK TO f");
  EXPECT_EQ(ErrorOf("SELECT * FROM rs FOR NO KEY UPDATE NOWAIT", other.get()), "no error");
  EXPECT_EQ(ErrorOf("SELECT * FROM rs FOR UPDATE NOWAIT", other.get()), "55P03");  // KEY SHARE
  Run("COMMIT");

  Run("BEGIN");
  Run("SAVEPOINT f");
  Run("UPDATE rs SET k = 2");
  Run("ROLLBACK TO f");
  EXPECT_EQ(ErrorOf("SELECT * FROM rs FOR KEY SHARE NOWAIT", other.get()), "no error");
  auto writer = Async(other.get(), "UPDATE rs SET v = 5");
  EXPECT_TRUE(StillWaiting(writer));
  Run("COMMIT");
  EXPECT_EQ(writer.get(), "no error");
  EXPECT_EQ(Rows("SELECT k, v FROM rs"), Rows_{"1|5"});
}

// FOR KEY SHARE conflicts only with deletes and key updates: after waiting for a
// transaction that committed a "no key" update, it keeps the row as read, under READ
// COMMITTED and REPEATABLE READ alike (lock-committed-update); a committed key update makes
// READ COMMITTED read the row again and REPEATABLE READ fail (lock-committed-keyupdate).
TEST_P(TransactionTest, KeyShareAfterCommittedUpdate) {
  Run("CREATE TABLE ks (id int PRIMARY KEY, u int UNIQUE, v text)");
  Run("INSERT INTO ks VALUES (1, 10, 'one')");
  auto other = Connect();
  const std::string locking =
      "SELECT u, v FROM ks WHERE pg_advisory_lock(7) IS NOT NULL FOR KEY SHARE";
  struct Case {
    const char* level;
    const char* update;
    Rows_ rows;  // empty: fails with 40001
  };
  for (const Case& c : {Case{"READ COMMITTED", "v = 'two'", Rows_{"10|one"}},
                        Case{"REPEATABLE READ", "v = 'two'", Rows_{"10|one"}},
                        Case{"READ COMMITTED", "u = 11", Rows_{"11|one"}},
                        Case{"REPEATABLE READ", "u = 11", Rows_{}}}) {
    Run("UPDATE ks SET u = 10, v = 'one'");
    Run("SELECT pg_advisory_lock(7)");
    Run(std::string("BEGIN ISOLATION LEVEL ") + c.level, other.get());
    Run("SELECT 1", other.get());
    auto locker = std::async(std::launch::async, [&]() -> Rows_ {
      try {
        return Rows(locking, other.get());
      } catch (const Error& e) {
        return Rows_{std::string(SqlStateCode(e.state()))};
      }
    });
    EXPECT_EQ(locker.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout);
    Run(std::string("UPDATE ks SET ") + c.update);
    Run("SELECT pg_advisory_unlock(7)");
    Rows_ want = c.rows.empty() ? Rows_{"40001"} : c.rows;
    EXPECT_EQ(locker.get(), want) << c.level << " " << c.update;
    Run("ROLLBACK", other.get());
    Run("SELECT pg_advisory_unlock_all()", other.get());
  }
}

TEST_P(TransactionTest, LockAndStatementTimeouts) {
  Run("CREATE TABLE t (a int PRIMARY KEY, b int)");
  Run("INSERT INTO t VALUES (1, 1)");
  auto other = Connect();
  Run("BEGIN");
  Run("UPDATE t SET b = 2 WHERE a = 1");
  Run("SET lock_timeout = '100ms'", other.get());
  EXPECT_EQ(ErrorOf("UPDATE t SET b = 3 WHERE a = 1", other.get()), "55P03");
  Run("RESET lock_timeout", other.get());
  Run("SET statement_timeout = 100", other.get());
  EXPECT_EQ(ErrorOf("DELETE FROM t", other.get()), "57014");
  EXPECT_EQ(Rows("SHOW statement_timeout", other.get()), Rows_{"100ms"});
  Run("COMMIT");
  EXPECT_EQ(ErrorOf("SET statement_timeout = '1 fortnight'"), "22023");
}

TEST_P(TransactionTest, DeadlockIsDetected) {
  Run("CREATE TABLE t (a int PRIMARY KEY, b int)");
  Run("INSERT INTO t VALUES (1, 1), (2, 2)");
  auto other = Connect();
  Run("SET deadlock_timeout = '50ms'");
  Run("SET deadlock_timeout = '50ms'", other.get());
  Run("BEGIN");
  Run("BEGIN", other.get());
  Run("UPDATE t SET b = 10 WHERE a = 1");
  Run("UPDATE t SET b = 20 WHERE a = 2", other.get());
  auto first = Async(session_.get(), "UPDATE t SET b = 10 WHERE a = 2");
  EXPECT_TRUE(StillWaiting(first));
  std::string second = ErrorOf("UPDATE t SET b = 20 WHERE a = 1", other.get());
  std::string first_result = first.get();
  // Exactly one of the two is chosen as the victim.
  EXPECT_TRUE((first_result == "40P01") != (second == "40P01")) << first_result << " " << second;
  Run("ROLLBACK");
  Run("ROLLBACK", other.get());
}

TEST_P(TransactionTest, SetTransactionAfterFirstQueryFails) {
  Run("BEGIN");
  Run("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE");
  EXPECT_EQ(Rows("SHOW transaction_isolation"), Rows_{"serializable"});
  Run("SELECT 1");
  EXPECT_EQ(ErrorOf("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"), "25001");
  Run("ROLLBACK");
}

TEST_P(TransactionTest, BackendPidAndBlockedTest) {
  Run("CREATE TABLE t (a int PRIMARY KEY, b int)");
  Run("INSERT INTO t VALUES (1, 1)");
  auto other = Connect();
  std::string me = Rows("SELECT pg_backend_pid()")[0];
  std::string them = Rows("SELECT pg_backend_pid()", other.get())[0];
  EXPECT_NE(me, them);
  Run("BEGIN");
  Run("UPDATE t SET b = 2 WHERE a = 1");
  auto waiter = Async(other.get(), "UPDATE t SET b = 3 WHERE a = 1");
  EXPECT_TRUE(StillWaiting(waiter));
  auto third = Connect();
  EXPECT_EQ(Rows("SELECT pg_isolation_test_session_is_blocked(" + them + ", '{" + me + "}')",
                 third.get()),
            Rows_{"t"});
  EXPECT_EQ(Rows("SELECT pg_isolation_test_session_is_blocked(" + me + ", '{" + them + "}')",
                 third.get()),
            Rows_{"f"});
  EXPECT_EQ(Rows("SELECT pg_blocking_pids(" + them + ")", third.get()), Rows_{"{" + me + "}"});
  EXPECT_EQ(Rows("SELECT cardinality(pg_blocking_pids(" + me + "))", third.get()), Rows_{"0"});
  Run("COMMIT");
  EXPECT_EQ(waiter.get(), "no error");
}

// DDL waits for the transactions that use the table (PostgreSQL's ACCESS EXCLUSIVE against
// ACCESS SHARE / ROW EXCLUSIVE), instead of breaking them.
TEST_P(TransactionTest, DropWaitsForReadersAndWriters) {
  Run("CREATE TABLE d (a int PRIMARY KEY)");
  Run("INSERT INTO d VALUES (1)");
  auto other = Connect();
  Run("BEGIN ISOLATION LEVEL REPEATABLE READ", other.get());
  EXPECT_EQ(Rows("SELECT count(*) FROM d", other.get()), Rows_{"1"});
  auto drop = Async(session_.get(), "DROP TABLE d");
  EXPECT_TRUE(StillWaiting(drop));
  // The reader goes on reading its table.
  EXPECT_EQ(Rows("SELECT count(*) FROM d", other.get()), Rows_{"1"});
  Run("COMMIT", other.get());
  EXPECT_EQ(drop.get(), "no error");
  EXPECT_EQ(ErrorOf("SELECT * FROM d", other.get()), "42P01");

  Run("CREATE TABLE d (a int PRIMARY KEY)");
  Run("BEGIN", other.get());
  Run("INSERT INTO d VALUES (2)", other.get());
  auto drop2 = Async(session_.get(), "DROP TABLE d");
  EXPECT_TRUE(StillWaiting(drop2));
  Run("COMMIT", other.get());
  EXPECT_EQ(drop2.get(), "no error");

  // A writer queued behind a DROP finds the table gone once the DROP commits.
  Run("CREATE TABLE d (a int PRIMARY KEY)");
  Run("BEGIN");
  Run("DROP TABLE d");
  auto insert = Async(other.get(), "INSERT INTO d VALUES (3)");
  EXPECT_TRUE(StillWaiting(insert));
  Run("COMMIT");
  EXPECT_EQ(insert.get(), "42P01");
}

// TRUNCATE needs only the table: a transaction open on something else does not block it.
TEST_P(TransactionTest, TruncateIgnoresUnrelatedTransactions) {
  Run("CREATE TABLE t1 (a int PRIMARY KEY)");
  Run("CREATE TABLE t2 (a int PRIMARY KEY)");
  Run("INSERT INTO t1 VALUES (1)");
  auto other = Connect();
  Run("BEGIN", other.get());
  Run("SELECT * FROM t2", other.get());
  EXPECT_EQ(ErrorOf("TRUNCATE t1"), "no error");
  EXPECT_EQ(Rows("SELECT count(*) FROM t1", other.get()), Rows_{"0"});
  Run("COMMIT", other.get());
}

TEST_P(TransactionTest, LockTable) {
  Run("CREATE TABLE lt (a int PRIMARY KEY)");
  Run("INSERT INTO lt VALUES (1)");
  auto other = Connect();
  EXPECT_EQ(ErrorOf("LOCK TABLE lt"), "25P01");
  Run("BEGIN");
  Run("LOCK TABLE lt IN SHARE MODE");
  // SHARE lets readers in, keeps writers out.
  EXPECT_EQ(Rows("SELECT count(*) FROM lt", other.get()), Rows_{"1"});
  Run("BEGIN", other.get());
  EXPECT_EQ(ErrorOf("LOCK TABLE lt IN ROW EXCLUSIVE MODE NOWAIT", other.get()), "55P03");
  Run("ROLLBACK", other.get());
  auto writer = Async(other.get(), "INSERT INTO lt VALUES (2)");
  EXPECT_TRUE(StillWaiting(writer));
  Run("COMMIT");
  EXPECT_EQ(writer.get(), "no error");
  Run("BEGIN");
  Run("LOCK lt IN ACCESS EXCLUSIVE MODE");
  auto reader = Async(other.get(), "SELECT count(*) FROM lt");
  EXPECT_TRUE(StillWaiting(reader));
  Run("ROLLBACK");
  EXPECT_EQ(reader.get(), "no error");
  EXPECT_EQ(ErrorOf("BEGIN; LOCK lt IN FUNNY MODE"), "42601");
  Run("ROLLBACK");
}

// SELECT ... FOR UPDATE waits for a writer of the row; under READ COMMITTED it then returns
// the committed version, and its own lock keeps the next writer waiting.
TEST_P(TransactionTest, SelectForUpdateWaitsAndReturnsNewestRow) {
  Run("CREATE TABLE fu (id int PRIMARY KEY, v int)");
  Run("INSERT INTO fu VALUES (1, 0), (2, 0)");
  auto other = Connect();
  Run("BEGIN");
  Run("UPDATE fu SET v = 5 WHERE id = 1");
  Run("BEGIN", other.get());
  auto waiter = Async(other.get(), "SELECT v FROM fu WHERE id = 1 FOR UPDATE");
  EXPECT_TRUE(StillWaiting(waiter));
  Run("COMMIT");
  EXPECT_EQ(waiter.get(), "no error");
  EXPECT_EQ(Rows("SELECT v FROM fu WHERE id = 1 FOR UPDATE", other.get()), Rows_{"5"});
  // Now `other` holds the row: a writer waits until it ends.
  auto writer = Async(session_.get(), "UPDATE fu SET v = v + 1 WHERE id = 1");
  EXPECT_TRUE(StillWaiting(writer));
  Run("COMMIT", other.get());
  EXPECT_EQ(writer.get(), "no error");
  EXPECT_EQ(Rows("SELECT v FROM fu ORDER BY id"), (Rows_{"6", "0"}));
}

// FOR SHARE locks do not conflict with each other; FOR UPDATE conflicts with FOR SHARE;
// FOR KEY SHARE lets FOR NO KEY UPDATE in.
TEST_P(TransactionTest, RowLockModesConflictAsPostgres) {
  Run("CREATE TABLE rl (id int PRIMARY KEY, v int)");
  Run("INSERT INTO rl VALUES (1, 0)");
  auto other = Connect();
  Run("BEGIN");
  Run("SELECT * FROM rl FOR SHARE");
  Run("BEGIN", other.get());
  EXPECT_EQ(ErrorOf("SELECT * FROM rl FOR SHARE NOWAIT", other.get()), "no error");
  EXPECT_EQ(ErrorOf("SELECT * FROM rl FOR UPDATE NOWAIT", other.get()), "55P03");
  Run("ROLLBACK", other.get());
  Run("ROLLBACK");
  Run("BEGIN");
  Run("SELECT * FROM rl FOR KEY SHARE");
  Run("BEGIN", other.get());
  EXPECT_EQ(ErrorOf("SELECT * FROM rl FOR NO KEY UPDATE NOWAIT", other.get()), "no error");
  Run("ROLLBACK", other.get());
  Run("BEGIN", other.get());
  EXPECT_EQ(ErrorOf("SELECT * FROM rl FOR UPDATE NOWAIT", other.get()), "55P03");
  Run("ROLLBACK", other.get());
  Run("ROLLBACK");
}

// SKIP LOCKED: a queue consumer takes the first row nobody holds; LIMIT counts only the rows
// it locked.
TEST_P(TransactionTest, SkipLockedTakesNextFreeRow) {
  Run("CREATE TABLE q (id int PRIMARY KEY, job text)");
  Run("INSERT INTO q VALUES (1, 'a'), (2, 'b'), (3, 'c')");
  auto second = Connect();
  auto third = Connect();
  Run("BEGIN");
  EXPECT_EQ(Rows("SELECT id FROM q ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1"), Rows_{"1"});
  Run("BEGIN", second.get());
  EXPECT_EQ(Rows("SELECT id FROM q ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1", second.get()),
            Rows_{"2"});
  Run("BEGIN", third.get());
  EXPECT_EQ(Rows("SELECT id FROM q ORDER BY id FOR UPDATE SKIP LOCKED", third.get()), Rows_{"3"});
  Run("ROLLBACK", third.get());
  Run("ROLLBACK", second.get());
  Run("ROLLBACK");
}

// REPEATABLE READ: locking a row changed after the snapshot fails with 40001.
TEST_P(TransactionTest, RepeatableReadForUpdateOfChangedRowFails) {
  Run("CREATE TABLE rr (id int PRIMARY KEY, v int)");
  Run("INSERT INTO rr VALUES (1, 0)");
  auto other = Connect();
  Run("BEGIN ISOLATION LEVEL REPEATABLE READ", other.get());
  EXPECT_EQ(Rows("SELECT v FROM rr", other.get()), Rows_{"0"});
  Run("UPDATE rr SET v = 1 WHERE id = 1");
  EXPECT_EQ(ErrorOf("SELECT v FROM rr WHERE id = 1 FOR UPDATE", other.get()), "40001");
  Run("ROLLBACK", other.get());
  Run("BEGIN ISOLATION LEVEL REPEATABLE READ", other.get());
  EXPECT_EQ(Rows("SELECT v FROM rr FOR SHARE", other.get()), Rows_{"1"});
  Run("COMMIT", other.get());
}

// What PostgreSQL refuses, and what ActiveStore does not lock yet, fails instead of returning
// unlocked rows.
TEST_P(TransactionTest, ForUpdateRefusals) {
  Run("CREATE TABLE r1 (id int PRIMARY KEY)");
  Run("CREATE TABLE r2 (id int PRIMARY KEY)");
  EXPECT_EQ(ErrorOf("SELECT count(*) FROM r1 FOR UPDATE"), "0A000");
  EXPECT_EQ(ErrorOf("SELECT DISTINCT id FROM r1 FOR SHARE"), "0A000");
  EXPECT_EQ(ErrorOf("SELECT id FROM r1 UNION SELECT id FROM r2 FOR UPDATE"), "0A000");
  EXPECT_EQ(ErrorOf("SELECT * FROM r1 FOR UPDATE OF r9"), "42P01");
  Run("CREATE TABLE r3 (id int)");
  EXPECT_EQ(Rows("SELECT * FROM r1, r2 FOR UPDATE"), Rows_{});     // every table of a join
  EXPECT_EQ(ErrorOf("SELECT * FROM r1, r3 FOR UPDATE"), "0A000");  // r3 has no primary key
  EXPECT_EQ(Rows("SELECT * FROM r1, r3 FOR UPDATE OF r1"), Rows_{});
  EXPECT_EQ(Rows("SELECT * FROM r1, r2 FOR UPDATE OF r2"), Rows_{});  // one table of a join
  EXPECT_EQ(ErrorOf("SELECT * FROM r1 LEFT JOIN r2 ON true FOR UPDATE OF r2"), "0A000");
  EXPECT_EQ(ErrorOf("BEGIN READ ONLY; SELECT * FROM r1 FOR UPDATE"), "25006");
  Run("ROLLBACK");
}

// Advisory locks: session-level ones last until unlocked, transaction-level ones until the
// transaction ends; a backend's own locks never block it.
TEST_P(TransactionTest, AdvisoryLocks) {
  auto other = Connect();
  EXPECT_EQ(Rows("SELECT pg_advisory_lock(1)"), Rows_{""});
  EXPECT_EQ(Rows("SELECT pg_try_advisory_lock(1)", other.get()), Rows_{"f"});
  EXPECT_EQ(Rows("SELECT pg_try_advisory_lock(0, 1)", other.get()), Rows_{"t"});  // other key
  EXPECT_EQ(Rows("SELECT pg_try_advisory_lock_shared(1)", other.get()), Rows_{"f"});
  // The same backend's transaction-level request does not wait for its session lock.
  EXPECT_EQ(ErrorOf("BEGIN; SELECT pg_advisory_xact_lock(1); COMMIT"), "no error");
  auto waiter = Async(other.get(), "SELECT pg_advisory_lock(1)");
  EXPECT_TRUE(StillWaiting(waiter));
  EXPECT_EQ(Rows("SELECT pg_advisory_unlock(1)"), Rows_{"t"});
  EXPECT_EQ(waiter.get(), "no error");
  EXPECT_EQ(Rows("SELECT pg_advisory_unlock(1)"), Rows_{"f"});  // not held (a warning)
  EXPECT_EQ(Rows("SELECT pg_try_advisory_lock(1)"), Rows_{"f"});
  EXPECT_EQ(Rows("SELECT pg_advisory_unlock_all()", other.get()), Rows_{""});
  EXPECT_EQ(Rows("SELECT pg_try_advisory_lock(1)"), Rows_{"t"});
  Run("SELECT pg_advisory_unlock_all()");
  // Shared locks share; a transaction-level lock goes at COMMIT.
  Run("SELECT pg_advisory_lock_shared(7)");
  EXPECT_EQ(Rows("SELECT pg_try_advisory_lock_shared(7)", other.get()), Rows_{"t"});
  Run("SELECT pg_advisory_unlock_all()");
  Run("SELECT pg_advisory_unlock_all()", other.get());
  Run("BEGIN");
  Run("SELECT pg_advisory_xact_lock(9)");
  EXPECT_EQ(Rows("SELECT pg_try_advisory_xact_lock(9)", other.get()), Rows_{"f"});
  Run("COMMIT");
  EXPECT_EQ(Rows("SELECT pg_try_advisory_xact_lock(9)", other.get()), Rows_{"t"});
}

// pg_locks shows table and advisory locks, held and awaited, with PostgreSQL's layout of
// advisory keys (classid = high half, objid = low half, objsubid 1 or 2).
TEST_P(TransactionTest, PgLocksView) {
  Run("CREATE TABLE lk (a int)");
  auto other = Connect();
  std::string me = Rows("SELECT pg_backend_pid()")[0];
  Run("SELECT pg_advisory_lock(5)");
  Run("SELECT pg_advisory_lock(3, 4)");
  EXPECT_EQ(Rows("SELECT classid, objid, objsubid, mode, granted FROM pg_locks WHERE locktype = "
                 "'advisory' AND pid = " +
                     me + " ORDER BY objsubid",
                 other.get()),
            (Rows_{"0|5|1|ExclusiveLock|t", "3|4|2|ExclusiveLock|t"}));
  Run("SELECT pg_advisory_unlock_all()");
  Run("BEGIN");
  Run("LOCK TABLE lk IN SHARE MODE");
  auto waiter = Async(other.get(), "BEGIN; LOCK TABLE lk IN ROW EXCLUSIVE MODE; COMMIT");
  EXPECT_TRUE(StillWaiting(waiter));
  EXPECT_EQ(Rows("SELECT mode, granted, pid = " + me +
                 " FROM pg_catalog.pg_locks WHERE locktype = 'relation' AND relation = "
                 "(SELECT relation FROM pg_locks WHERE mode = 'ShareLock') ORDER BY granted"),
            (Rows_{"RowExclusiveLock|f|f", "ShareLock|t|t"}));
  Run("COMMIT");
  EXPECT_EQ(waiter.get(), "no error");
}

// A deadlock through a session-level advisory lock and a row lock is found.
TEST_P(TransactionTest, AdvisoryDeadlockIsDetected) {
  Run("CREATE TABLE ad (id int PRIMARY KEY, v int)");
  Run("INSERT INTO ad VALUES (1, 0)");
  Run("SET deadlock_timeout = '100ms'");
  auto other = Connect();
  Run("SET deadlock_timeout = '100ms'", other.get());
  Run("SELECT pg_advisory_lock(5)");
  Run("BEGIN", other.get());
  Run("UPDATE ad SET v = 1 WHERE id = 1", other.get());
  auto waiter = Async(other.get(), "SELECT pg_advisory_lock(5)");
  EXPECT_TRUE(StillWaiting(waiter));
  std::string mine = ErrorOf("UPDATE ad SET v = 2 WHERE id = 1");
  if (mine == "40P01") Run("SELECT pg_advisory_unlock_all()");  // lets the other one go on
  std::string theirs = waiter.get();
  EXPECT_TRUE((mine == "40P01") != (theirs == "40P01")) << mine << " " << theirs;
  Run("ROLLBACK", other.get());
  Run("SELECT pg_advisory_unlock_all()");
  Run("SELECT pg_advisory_unlock_all()", other.get());
}

// INSERT ... ON CONFLICT is atomic under concurrency: a second inserter of a key waits for
// the first and then updates (DO UPDATE) or skips (DO NOTHING) its committed row; if the
// first rolls back, it inserts.
TEST_P(TransactionTest, OnConflictWaitsForConcurrentInserter) {
  Run("CREATE TABLE up (k int PRIMARY KEY, n int)");
  auto other = Connect();
  Run("BEGIN");
  Run("INSERT INTO up VALUES (1, 0)");
  auto upsert = Async(other.get(),
                      "INSERT INTO up VALUES (1, 100) ON CONFLICT (k) DO UPDATE SET n = up.n + 1");
  EXPECT_TRUE(StillWaiting(upsert));
  Run("COMMIT");
  EXPECT_EQ(upsert.get(), "no error");
  EXPECT_EQ(Rows("SELECT n FROM up WHERE k = 1"), Rows_{"1"});

  Run("BEGIN");
  Run("INSERT INTO up VALUES (2, 0)");
  auto skip = Async(other.get(), "INSERT INTO up VALUES (2, 5) ON CONFLICT DO NOTHING");
  EXPECT_TRUE(StillWaiting(skip));
  Run("COMMIT");
  EXPECT_EQ(skip.get(), "no error");
  EXPECT_EQ(Rows("SELECT n FROM up WHERE k = 2"), Rows_{"0"});

  Run("BEGIN");
  Run("INSERT INTO up VALUES (3, 0)");
  auto insert =
      Async(other.get(), "INSERT INTO up VALUES (3, 7) ON CONFLICT (k) DO UPDATE SET n = -1");
  EXPECT_TRUE(StillWaiting(insert));
  Run("ROLLBACK");
  EXPECT_EQ(insert.get(), "no error");
  EXPECT_EQ(Rows("SELECT n FROM up WHERE k = 3"), Rows_{"7"});
}

INSTANTIATE_TEST_SUITE_P(Engines, TransactionTest, ::testing::Values("memory", "wiredtiger"));

}  // namespace
}  // namespace activestore::executor
