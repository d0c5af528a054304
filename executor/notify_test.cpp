// LISTEN / UNLISTEN / NOTIFY through sessions: what is delivered, to whom, and when
// (PostgreSQL 15's rules: at commit, in commit order, folded duplicates, same database only).
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <vector>

#include "executor/session_test_fixture.h"

namespace activestore::executor {
namespace {

class NotifyTest : public testing::EngineFixture {
 protected:
  // "channel:payload" (and ":pid" when with_pid) of what `s` can take now.
  std::vector<std::string> Take(Session* s = nullptr, bool with_pid = false) {
    if (s == nullptr) s = session_.get();
    std::vector<std::string> out;
    bool more = true;
    while (more) {
      for (const Notification& n : s->TakeNotifications(1 << 20, &more)) {
        out.push_back(n.channel + ":" + n.payload + (with_pid ? ":" + std::to_string(n.pid) : ""));
      }
    }
    return out;
  }
  using V = std::vector<std::string>;
};

TEST_P(NotifyTest, SelfNotifyAtCommitFoldingDuplicates) {
  Run("LISTEN c1; LISTEN c2");
  EXPECT_TRUE(Take().empty());
  EXPECT_EQ(Run("NOTIFY c1").command_tag, "NOTIFY");
  EXPECT_EQ(Take(), V{"c1:"});
  Run("NOTIFY c3, 'not listened'");
  EXPECT_TRUE(Take().empty());
  // One transaction: a pair already sent in it is folded into the first.
  Run("NOTIFY c2, 'payload'; NOTIFY c1; NOTIFY \"c2\", 'payload'");
  EXPECT_EQ(Take(), (V{"c2:payload", "c1:"}));
  Run("SELECT pg_notify('c2', NULL)");
  EXPECT_EQ(Take(), V{"c2:"});
  // Across transactions nothing is folded.
  Run("NOTIFY c1, 'x'");
  Run("NOTIFY c1, 'x'");
  EXPECT_EQ(Take(), (V{"c1:x", "c1:x"}));
}

TEST_P(NotifyTest, TransactionsSavepointsAndRollback) {
  Run("LISTEN c1");
  Run("BEGIN");
  Run("NOTIFY c1, 'a'");
  EXPECT_TRUE(Take().empty());  // nothing before the commit, nothing inside the block
  Run("SAVEPOINT s1");
  Run("NOTIFY c1, 'a'; NOTIFY c1, 'b'");
  Run("RELEASE SAVEPOINT s1");
  Run("SAVEPOINT s2");
  Run("NOTIFY c1, 'r'");
  Run("NOTIFY c1, 'b'");
  Run("ROLLBACK TO SAVEPOINT s2");
  Run("NOTIFY c1, 'c'");
  Run("COMMIT");
  EXPECT_EQ(Take(), (V{"c1:a", "c1:b", "c1:c"}));
  Run("BEGIN; NOTIFY c1, 'gone'; ROLLBACK");
  EXPECT_EQ(ErrorOf("NOTIFY c1, 'gone'; SELECT 1/0"), "22012");  // one implicit transaction
  Run("BEGIN; NOTIFY c1, 'gone'");
  EXPECT_EQ(ErrorOf("SELECT 1/0"), "22012");
  EXPECT_EQ(Run("COMMIT").command_tag, "ROLLBACK");
  // A savepoint rolled back in a failed block takes its notifications with it.
  Run("BEGIN; NOTIFY c1, 'kept'; SAVEPOINT s; NOTIFY c1, 'lost'");
  EXPECT_EQ(ErrorOf("SELECT 1/0"), "22012");
  Run("ROLLBACK TO s; COMMIT");
  EXPECT_EQ(Take(), V{"c1:kept"});
}

TEST_P(NotifyTest, ListenAndUnlistenTakeEffectAtCommit) {
  Run("BEGIN; LISTEN c1");
  EXPECT_TRUE(Rows("SELECT pg_listening_channels()").empty());
  Run("COMMIT");
  EXPECT_EQ(Rows("SELECT pg_listening_channels()"), V{"c1"});
  Run("BEGIN; LISTEN c2; ROLLBACK");
  Run("BEGIN; UNLISTEN *; ROLLBACK");
  Run("LISTEN \"C1\"; LISTEN c1; LISTEN c0");
  EXPECT_EQ(Rows("SELECT * FROM pg_listening_channels() ORDER BY 1"), (V{"C1", "c0", "c1"}));
  EXPECT_EQ(Rows("SELECT pg_listening_channels()"), (V{"c1", "C1", "c0"}));  // listen order
  EXPECT_EQ(Run("UNLISTEN c0").command_tag, "UNLISTEN");
  Run("UNLISTEN nosuch");
  EXPECT_EQ(Rows("SELECT pg_listening_channels()"), (V{"c1", "C1"}));
  // LISTEN and NOTIFY in one transaction: the session hears its own.
  Run("BEGIN; LISTEN c9; NOTIFY c9, 'self'; COMMIT");
  EXPECT_EQ(Take(), V{"c9:self"});
  // UNLISTEN in the notifying transaction: not heard.
  Run("BEGIN; NOTIFY c9, 'late'; UNLISTEN c9; COMMIT");
  EXPECT_TRUE(Take().empty());
  Run("UNLISTEN *");
  EXPECT_TRUE(Rows("SELECT pg_listening_channels()").empty());
  Run("NOTIFY c1");
  EXPECT_TRUE(Take().empty());
}

TEST_P(NotifyTest, OtherSessionsHearCommitsInOrderWhenIdle) {
  auto listener = Connect();
  auto other_db = Connect();
  std::atomic<int> wakes{0};
  listener->SetNotificationWaker([&] { ++wakes; });
  Run("LISTEN c1; LISTEN c2", listener.get());
  Run("CREATE DATABASE other");
  auto elsewhere = engine_->Connect({{"user", "postgres"}, {"database", "other"}});
  elsewhere->set_backend_pid(4711);
  Run("LISTEN c1", elsewhere.get());
  Run("NOTIFY c1, 'one'");
  EXPECT_EQ(wakes, 1);
  Run("NOTIFY c2, 'two'; NOTIFY c3, 'three'", other_db.get());
  std::string me = Rows("SELECT pg_backend_pid()")[0];
  std::string them = Rows("SELECT pg_backend_pid()", other_db.get())[0];
  EXPECT_EQ(Take(listener.get(), true), (V{"c1:one:" + me, "c2:two:" + them}));
  EXPECT_TRUE(Take(elsewhere.get()).empty());  // only sessions of the same database
  // A listener inside a block receives nothing until the block ends.
  Run("BEGIN", listener.get());
  Run("NOTIFY c1, 'during'");
  EXPECT_TRUE(Take(listener.get()).empty());
  EXPECT_GT(std::stod(Rows("SELECT pg_notification_queue_usage()", other_db.get())[0]), 0.0);
  Run("COMMIT", listener.get());
  EXPECT_EQ(Take(listener.get()), V{"c1:during"});
  EXPECT_EQ(Rows("SELECT pg_notification_queue_usage()"), V{"0"});
  // A session that listens from a block on hears only what commits after its commit.
  auto late = Connect();
  Run("BEGIN; LISTEN c1", late.get());
  Run("NOTIFY c1, 'before'");
  Run("COMMIT", late.get());
  Run("NOTIFY c1, 'after'");
  EXPECT_EQ(Take(late.get()), V{"c1:after"});
  EXPECT_EQ(Take(listener.get()), (V{"c1:before", "c1:after"}));
  // A session that ends stops listening and holds nothing back; what its open transaction
  // asked for goes with it.
  Run("BEGIN", late.get());
  Run("NOTIFY c1, 'x'");
  Run("NOTIFY c1, 'never'; LISTEN c7", late.get());
  late.reset();
  EXPECT_EQ(Take(listener.get()), V{"c1:x"});
  auto implicit = Connect();
  for (auto& st : implicit->ParseSimple("NOTIFY c1, 'never'; SELECT 1")) {
    implicit->Execute(*st, {});
  }
  implicit.reset();  // the connection went away before Sync
  EXPECT_TRUE(Take(listener.get()).empty());
  EXPECT_EQ(Rows("SELECT pg_notification_queue_usage()"), V{"0"});
}

TEST_P(NotifyTest, ExtendedProtocolDeliversAfterSync) {
  auto listener = Connect();
  Run("LISTEN c", listener.get());
  auto st = listener->Prepare("NOTIFY c, 'ext'", {});
  listener->DeferCommitToSync();
  listener->Execute(*st, {});
  EXPECT_TRUE(Take(listener.get()).empty());  // its implicit transaction is still open
  listener->Sync();
  EXPECT_EQ(Take(listener.get()), V{"c:ext"});
}

TEST_P(NotifyTest, Errors) {
  EXPECT_EQ(ErrorOf("SELECT pg_notify('', 'x')"), "22023");
  EXPECT_EQ(ErrorOf("SELECT pg_notify(NULL, 'x')"), "22023");
  EXPECT_EQ(ErrorOf("SELECT pg_notify(repeat('b', 64), 'x')"), "22023");
  EXPECT_EQ(ErrorOf("SELECT pg_notify(repeat('b', 63), 'x')"), "no error");
  EXPECT_EQ(ErrorOf("SELECT pg_notify('c', repeat('x', 8000))"), "22023");
  EXPECT_EQ(ErrorOf("SELECT pg_notify('c', repeat('x', 7999))"), "no error");
  EXPECT_EQ(ErrorOf("NOTIFY \"\""), "42601");
  try {
    Run("SELECT pg_notify('c', repeat('x', 8000))");
  } catch (const Error& e) {
    EXPECT_EQ(e.message(), "payload string too long");
  }
  // PREPARE TRANSACTION is refused first because prepared transactions are disabled (55000).
  EXPECT_EQ(ErrorOf("BEGIN; NOTIFY c; PREPARE TRANSACTION 'x'"), "55000");
  EXPECT_EQ(session_->txn_status(), TxnStatus::kIdle);
  EXPECT_EQ(Rows("SELECT pg_typeof(pg_notify('a', 'b')), pg_typeof(pg_notification_queue_usage())"),
            V{"void|double precision"});
}

class NotifyTwoPhaseTest : public NotifyTest {
 protected:
  void Configure(EngineOptions& opts) override { opts.max_prepared_transactions = 2; }
};

TEST_P(NotifyTwoPhaseTest, PrepareTransactionRefused) {
  Run("LISTEN c");
  for (const char* what : {"NOTIFY c", "LISTEN d", "UNLISTEN *", "SELECT pg_notify('c', 'x')"}) {
    Run("BEGIN");
    Run(what);
    try {
      Run("PREPARE TRANSACTION 'x'");
      FAIL() << what;
    } catch (const Error& e) {
      EXPECT_EQ(e.state(), SqlState::kFeatureNotSupported);
      EXPECT_EQ(e.message(),
                "cannot PREPARE a transaction that has executed LISTEN, UNLISTEN, or NOTIFY");
    }
    EXPECT_EQ(session_->txn_status(), TxnStatus::kIdle);
  }
  EXPECT_TRUE(Take().empty());  // the transactions rolled back
  EXPECT_EQ(Rows("SELECT pg_listening_channels()"), V{"c"});
  EXPECT_EQ(Rows("SELECT count(*) FROM pg_prepared_xacts"), V{"0"});
}

class NotifySmallQueueTest : public NotifyTest {
 protected:
  void Configure(EngineOptions& opts) override { opts.notification_queue_bytes = 64 * 1024; }
};

TEST_P(NotifySmallQueueTest, FullQueueFailsTheCommit) {
  Run("CREATE TABLE t (a int)");
  auto listener = Connect();
  Run("LISTEN c", listener.get());
  Run("BEGIN", listener.get());  // holds the queue
  // About 1 KB each (41,391 bytes of the 65,536 with the queue's overhead); twice that does not
  // fit.
  std::string sql =
      "SELECT count(pg_notify('c', repeat('x', 1000) || s)) FROM generate_series(1, 40) s";
  QueryResult r = Run(sql);
  ASSERT_EQ(r.notices.size(), 1u);  // more than half full: PostgreSQL's warning
  EXPECT_EQ(r.notices[0].severity, "WARNING");
  EXPECT_EQ(r.notices[0].message, "NOTIFY queue is 63% full");
  EXPECT_EQ(r.notices[0].detail, "The server process with PID " +
                                     Rows("SELECT pg_backend_pid()", listener.get())[0] +
                                     " is among those with the oldest transactions.");
  Run("BEGIN; INSERT INTO t VALUES (1)");
  Run("SELECT count(pg_notify('c', repeat('y', 1000) || s)) FROM generate_series(1, 40) s");
  try {
    Run("COMMIT");
    FAIL() << "expected 54000";
  } catch (const Error& e) {
    EXPECT_EQ(e.state(), SqlState::kProgramLimitExceeded);
    EXPECT_EQ(e.message(), "too many notifications in the NOTIFY queue");
  }
  EXPECT_EQ(session_->txn_status(), TxnStatus::kIdle);
  EXPECT_EQ(Rows("SELECT count(*) FROM t"), V{"0"});  // the transaction rolled back
  Run("COMMIT", listener.get());
  EXPECT_EQ(Take(listener.get()).size(), 40u);
  EXPECT_EQ(Rows("SELECT pg_notification_queue_usage()"), V{"0"});
  Run("BEGIN; INSERT INTO t VALUES (1)");
  Run("SELECT count(pg_notify('c', repeat('y', 1000) || s)) FROM generate_series(1, 40) s");
  Run("COMMIT");
  EXPECT_EQ(Take(listener.get()).size(), 40u);
}

INSTANTIATE_TEST_SUITE_P(Engines, NotifyTest, ::testing::Values("memory", "wiredtiger"));
INSTANTIATE_TEST_SUITE_P(Engines, NotifyTwoPhaseTest, ::testing::Values("memory"));
INSTANTIATE_TEST_SUITE_P(Engines, NotifySmallQueueTest, ::testing::Values("memory"));

}  // namespace
}  // namespace activestore::executor
