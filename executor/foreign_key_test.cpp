// Foreign keys end to end below the wire on both back ends: checks and actions, messages,
// the catalog across a restart, and the row locks of the checks under concurrency (as
// PostgreSQL's RI triggers: FOR KEY SHARE on the referenced row).
#include <future>

#include "executor/session_test_fixture.h"

namespace activestore::executor {
namespace {

using Rows_ = std::vector<std::string>;

class ForeignKeyTest : public testing::EngineFixture {
 public:
  using EngineFixture::Async;
  using EngineFixture::Run;
  using EngineFixture::StillWaiting;

 protected:
  void Parent() {
    Run("CREATE TABLE p (id int PRIMARY KEY, v text)");
    Run("INSERT INTO p VALUES (1, 'a'), (2, 'b')");
    Run("CREATE TABLE c (id int PRIMARY KEY, p int REFERENCES p)");
  }
  // The error `sql` fails with.
  Error ErrorFor(const std::string& sql, Session* s = nullptr) {
    try {
      Run(sql, s);
    } catch (const Error& e) {
      return e;
    }
    ADD_FAILURE() << "no error from " << sql;
    return Error(SqlState::kInternalError, "none");
  }
};

TEST_P(ForeignKeyTest, MessagesAsPostgres) {
  Parent();
  Error e = ErrorFor("INSERT INTO c VALUES (1, 5)");
  EXPECT_EQ(e.state(), SqlState::kForeignKeyViolation);
  EXPECT_EQ(e.message(),
            "insert or update on table \"c\" violates foreign key constraint \"c_p_fkey\"");
  EXPECT_EQ(e.detail.value_or(""), "Key (p)=(5) is not present in table \"p\".");
  EXPECT_EQ(e.constraint.value_or(""), "c_p_fkey");
  Run("INSERT INTO c VALUES (1, 1)");
  e = ErrorFor("DELETE FROM p WHERE id = 1");
  EXPECT_EQ(e.message(),
            "update or delete on table \"p\" violates foreign key constraint \"c_p_fkey\" on table "
            "\"c\"");
  EXPECT_EQ(e.detail.value_or(""), "Key (id)=(1) is still referenced from table \"c\".");
  e = ErrorFor("DROP TABLE p");
  EXPECT_EQ(e.state(), SqlState::kUndefinedObjectDependent);
  EXPECT_EQ(e.message(), "cannot drop table p because other objects depend on it");
  EXPECT_EQ(e.detail.value_or(""), "constraint c_p_fkey on table c depends on table p");
  EXPECT_EQ(e.hint.value_or(""), "Use DROP ... CASCADE to drop the dependent objects too.");
  e = ErrorFor("TRUNCATE p");
  EXPECT_EQ(e.state(), SqlState::kFeatureNotSupported);
  EXPECT_EQ(e.detail.value_or(""), "Table \"c\" references \"p\".");
  EXPECT_EQ(ErrorOf("CREATE TABLE d (a int REFERENCES p (v))"), "42830");
  EXPECT_EQ(ErrorOf("CREATE TABLE d (a text REFERENCES p)"), "42804");
  EXPECT_EQ(ErrorOf("CREATE TABLE d (a int REFERENCES p NOT DEFERRABLE INITIALLY DEFERRED)"),
            "42601");
}

// DEFERRABLE constraints: a deferred check runs at the commit, which fails and rolls the
// transaction back when it does not hold; SET CONSTRAINTS applies in a block and in a
// multi-statement query's implicit transaction, not in a statement of its own.
TEST_P(ForeignKeyTest, DeferredChecksRunAtCommit) {
  Parent();
  Run("CREATE TABLE d (id int PRIMARY KEY, p int REFERENCES p DEFERRABLE)");
  EXPECT_EQ(ErrorOf("SET CONSTRAINTS ALL DEFERRED; INSERT INTO d VALUES (1, 3); "
                    "INSERT INTO p VALUES (3, 'c')"),
            "no error");
  EXPECT_EQ(ErrorOf("SET CONSTRAINTS ALL DEFERRED; INSERT INTO d VALUES (2, 4)"), "23503");
  EXPECT_EQ(Rows("SELECT count(*) FROM d"), Rows_{"1"});
  EXPECT_EQ(ErrorOf("SET CONSTRAINTS ALL DEFERRED"), "no error");  // a warning, no effect
  EXPECT_EQ(ErrorOf("INSERT INTO d VALUES (3, 5)"), "23503");
  // A failed COMMIT ends the block: the next statement runs in a transaction of its own.
  Run("BEGIN; SET CONSTRAINTS d_p_fkey DEFERRED; INSERT INTO d VALUES (4, 6)");
  EXPECT_EQ(ErrorOf("COMMIT"), "23503");
  EXPECT_EQ(Rows("SELECT count(*) FROM d"), Rows_{"1"});
  // The referenced side's NO ACTION check waits too: the key may come back.
  Run("BEGIN; SET CONSTRAINTS ALL DEFERRED; DELETE FROM p WHERE id = 3");
  Run("INSERT INTO p VALUES (3, 'again'); COMMIT");
  EXPECT_EQ(Rows("SELECT v FROM p WHERE id = 3"), Rows_{"again"});
}

// The memory engine keeps nothing across a restart: these run on WiredTiger only.
class ForeignKeyRestartTest : public ForeignKeyTest {};

TEST_P(ForeignKeyRestartTest, SurvivesRestart) {
  Parent();
  Run("CREATE TABLE s (id int PRIMARY KEY, up int REFERENCES s ON DELETE CASCADE)");
  Run("CREATE TABLE d (id int PRIMARY KEY, p int REFERENCES p DEFERRABLE INITIALLY DEFERRED)");
  Reopen();
  EXPECT_EQ(Rows("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'd_p_fkey'"),
            Rows_{"FOREIGN KEY (p) REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED"});
  Run("BEGIN; INSERT INTO d VALUES (1, 8); INSERT INTO p VALUES (8, 'h'); COMMIT");
  EXPECT_EQ(ErrorOf("INSERT INTO c VALUES (1, 9)"), "23503");
  Run("INSERT INTO s VALUES (1, 1), (2, 1), (3, 2)");
  Run("DELETE FROM s WHERE id = 1");
  EXPECT_EQ(Rows("SELECT count(*) FROM s"), Rows_{"0"});
}

TEST_P(ForeignKeyTest, CopyChecksRows) {
  Parent();
  auto r = Run("COPY c FROM STDIN");
  ASSERT_TRUE(r.copy_in);
  r.copy_in->Feed("1\t1\n2\t7\n");
  EXPECT_THROW(r.copy_in->Finish(), Error);
  session_->Sync();
  EXPECT_EQ(Rows("SELECT count(*) FROM c"), Rows_{"0"});
}

// `holder` runs `held` in an open block; `waiter` (autocommit) runs `blocked`, which must
// wait until the block ends with `end` (COMMIT or ROLLBACK); returns its SQLSTATE then.
std::string WaitsFor(ForeignKeyTest* t, Session* holder, const std::string& held, Session* waiter,
                     const std::string& blocked, const std::string& end) {
  t->Run("BEGIN", holder);
  t->Run(held, holder);
  auto f = t->Async(waiter, blocked);
  EXPECT_TRUE(ForeignKeyTest::StillWaiting(f)) << blocked;
  t->Run(end, holder);
  return f.get();
}

// A child insert waits for a transaction that deletes the parent row, then fails; it
// succeeds when that transaction rolls back.
TEST_P(ForeignKeyTest, ChildInsertWaitsForParentDelete) {
  Parent();
  auto other = Connect();
  EXPECT_EQ(WaitsFor(this, session_.get(), "DELETE FROM p WHERE id = 1", other.get(),
                     "INSERT INTO c VALUES (1, 1)", "ROLLBACK"),
            "no error");
  EXPECT_EQ(WaitsFor(this, session_.get(), "DELETE FROM p WHERE id = 2", other.get(),
                     "INSERT INTO c VALUES (2, 2)", "COMMIT"),
            "23503");
}

// The parent delete waits for the transaction that inserted a child, then fails; it
// succeeds if the child's transaction rolls back.
TEST_P(ForeignKeyTest, ParentDeleteWaitsForChildInsert) {
  Parent();
  auto other = Connect();
  EXPECT_EQ(WaitsFor(this, other.get(), "INSERT INTO c VALUES (1, 1)", session_.get(),
                     "DELETE FROM p WHERE id = 1", "COMMIT"),
            "23503");
  EXPECT_EQ(Rows("SELECT count(*) FROM p"), Rows_{"2"});
  EXPECT_EQ(WaitsFor(this, other.get(), "INSERT INTO c VALUES (2, 2)", session_.get(),
                     "DELETE FROM p WHERE id = 2", "ROLLBACK"),
            "no error");
}

// A non-key update of the parent (FOR NO KEY UPDATE) does not block the child insert (FOR
// KEY SHARE), in either order.
TEST_P(ForeignKeyTest, ParentNonKeyUpdateDoesNotBlockChild) {
  Parent();
  auto other = Connect();
  Run("BEGIN");
  Run("UPDATE p SET v = 'x' WHERE id = 1");
  auto child = Async(other.get(), "INSERT INTO c VALUES (1, 1)");
  EXPECT_EQ(child.get(), "no error");
  Run("COMMIT");
  Run("BEGIN", other.get());
  Run("INSERT INTO c VALUES (2, 2)", other.get());
  auto upd = Async(session_.get(), "UPDATE p SET v = 'y' WHERE id = 2");
  EXPECT_EQ(upd.get(), "no error");
  // A key update must wait for the child's transaction (and then fail: still referenced).
  auto key = Async(session_.get(), "UPDATE p SET id = 20 WHERE id = 2");
  EXPECT_TRUE(StillWaiting(key));
  Run("COMMIT", other.get());
  EXPECT_EQ(key.get(), "23503");
}

// REPEATABLE READ: a parent deleted by a transaction that committed after the snapshot is
// no valid target (40001), and a child committed after the snapshot keeps its parent.
TEST_P(ForeignKeyTest, RepeatableReadSeesNewerCommits) {
  Parent();
  auto other = Connect();
  Run("BEGIN ISOLATION LEVEL REPEATABLE READ", other.get());
  EXPECT_EQ(Rows("SELECT count(*) FROM p", other.get()), Rows_{"2"});
  Run("DELETE FROM p WHERE id = 1");
  EXPECT_EQ(ErrorOf("INSERT INTO c VALUES (1, 1)", other.get()), "40001");
  Run("ROLLBACK", other.get());

  Run("BEGIN ISOLATION LEVEL REPEATABLE READ", other.get());
  EXPECT_EQ(Rows("SELECT count(*) FROM p", other.get()), Rows_{"1"});
  Run("INSERT INTO c VALUES (1, 2)");
  EXPECT_NE(ErrorOf("DELETE FROM p WHERE id = 2", other.get()), "no error");
  Run("ROLLBACK", other.get());
  EXPECT_EQ(Rows("SELECT count(*) FROM p"), Rows_{"1"});
}

// Deleting children and then their parent in one REPEATABLE READ transaction works.
TEST_P(ForeignKeyTest, RepeatableReadOwnDeletes) {
  Parent();
  Run("INSERT INTO c VALUES (1, 1)");
  Run("BEGIN ISOLATION LEVEL REPEATABLE READ");
  Run("DELETE FROM c");
  Run("DELETE FROM p WHERE id = 1");
  Run("INSERT INTO p VALUES (3, 'c')");
  Run("INSERT INTO c VALUES (3, 3)");
  Run("COMMIT");
  EXPECT_EQ(Rows("SELECT id, p FROM c"), Rows_{"3|3"});
}

INSTANTIATE_TEST_SUITE_P(Engines, ForeignKeyTest, ::testing::Values("memory", "wiredtiger"));
INSTANTIATE_TEST_SUITE_P(Engines, ForeignKeyRestartTest, ::testing::Values("wiredtiger"));

}  // namespace
}  // namespace activestore::executor
