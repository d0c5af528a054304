// Session::ExecuteStreaming and QueryStream: rows pulled in pieces, the statement completing
// when the last row is pulled, streams closed by the end of their transaction, errors while
// pulling, and the snapshot a suspended stream reads.
#include "executor/query_stream.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "executor/result_batch.h"
#include "executor/session_test_fixture.h"

namespace activestore::executor {
namespace {

using State = ResultStream::State;

class QueryStreamTest : public testing::EngineFixture {
 protected:
  // The extended protocol's way: one statement, its commit deferred to Sync.
  QueryResult Open(const std::string& sql, Session* s = nullptr) {
    if (s == nullptr) s = session_.get();
    auto st = s->Prepare(sql, {});
    s->DeferCommitToSync();
    return s->ExecuteStreaming(*st, {});
  }
  // Pulls up to `n` rows (0: all) as "a|b" strings.
  static std::vector<std::string> Pull(ResultStream& stream, size_t n = 0) {
    std::vector<std::string> out;
    while (n == 0 || out.size() < n) {
      const ResultBatch* b = stream.Next(n == 0 ? 0 : n - out.size());
      if (b == nullptr) break;
      for (size_t i = 0; i < b->size(); ++i) {
        std::string line;
        for (size_t c = 0; c < b->column_count(); ++c) {
          if (c) line += "|";
          if (b->IsNull(c, i)) {
            line += "NULL";
          } else {
            b->AppendText(c, i, false, &line);
          }
        }
        out.push_back(line);
      }
    }
    return out;
  }
  static std::vector<std::string> Numbers(int from, int to) {
    std::vector<std::string> out;
    for (int i = from; i <= to; ++i) out.push_back(std::to_string(i));
    return out;
  }
};

TEST_P(QueryStreamTest, RowsComeInPiecesAndTheStatementCompletesAtTheEnd) {
  Run("CREATE TABLE t (a int PRIMARY KEY, b text)");
  Run("INSERT INTO t SELECT g, 'r' || g FROM generate_series(1, 2500) g");
  QueryResult r = Open("SELECT a FROM t ORDER BY a");
  ASSERT_TRUE(r.stream);
  EXPECT_TRUE(r.rows.empty());
  ASSERT_EQ(r.columns.size(), 1u);
  EXPECT_EQ(r.columns[0].type_oid, 23u);
  EXPECT_EQ(Pull(*r.stream, 7), Numbers(1, 7));
  EXPECT_EQ(Pull(*r.stream, 2000), Numbers(8, 2007));
  EXPECT_EQ(r.stream->state(), State::kOpen);
  EXPECT_EQ(Pull(*r.stream), Numbers(2008, 2500));
  EXPECT_EQ(r.stream->state(), State::kDone);
  session_->Sync();
  EXPECT_EQ(session_->txn_status(), TxnStatus::kIdle);
  // Text forms under the session's settings, NULLs, and values cast to the result type.
  Run("SET extra_float_digits = 0");
  r = Open(
      "SELECT 1.5::float8 / 3, NULL::int, true, 'x'::char(3), 2::int8 + 1, b FROM t "
      "WHERE a = 12");
  EXPECT_EQ(Pull(*r.stream), (std::vector<std::string>{"0.5|NULL|t|x  |3|r12"}));
  session_->Sync();
}

// A suspended stream keeps the snapshot of its statement: rows committed by another session
// after it started are not seen, whenever they are pulled.
TEST_P(QueryStreamTest, ASuspendedStreamReadsItsSnapshot) {
  Run("CREATE TABLE t (a int PRIMARY KEY)");
  Run("INSERT INTO t SELECT g FROM generate_series(1, 3000) g");
  auto other = Connect();
  QueryResult r = Open("SELECT count(*) FROM t");
  QueryResult s = Open("SELECT a FROM t ORDER BY a");
  EXPECT_EQ(Pull(*s.stream, 10), Numbers(1, 10));
  Run("INSERT INTO t SELECT g FROM generate_series(3001, 4000) g", other.get());
  Run("DELETE FROM t WHERE a BETWEEN 100 AND 200", other.get());
  EXPECT_EQ(Pull(*r.stream), (std::vector<std::string>{"3000"}));
  EXPECT_EQ(Pull(*s.stream).size(), 2990u);
  session_->Sync();
  EXPECT_EQ(Rows("SELECT count(*) FROM t"), (std::vector<std::string>{"3899"}));
}

// Sync at the end of an implicit transaction closes a suspended stream (PostgreSQL drops the
// portal at commit); inside a block streams survive Syncs until COMMIT or ROLLBACK.
TEST_P(QueryStreamTest, TheEndOfTheTransactionClosesStreams) {
  Run("CREATE TABLE t (a int)");
  Run("INSERT INTO t SELECT g FROM generate_series(1, 100) g");
  QueryResult r = Open("SELECT a FROM t");
  EXPECT_EQ(Pull(*r.stream, 3).size(), 3u);
  session_->Sync();
  EXPECT_EQ(r.stream->state(), State::kClosed);
  Run("BEGIN");
  r = Open("SELECT a FROM t ORDER BY a");
  EXPECT_EQ(Pull(*r.stream, 3), Numbers(1, 3));
  session_->Sync();
  r.stream->Resume();
  EXPECT_EQ(Pull(*r.stream, 3), Numbers(4, 6));
  session_->Sync();
  EXPECT_EQ(session_->txn_status(), TxnStatus::kInBlock);
  Run("COMMIT");
  EXPECT_EQ(r.stream->state(), State::kClosed);
  // ROLLBACK TO a savepoint closes the streams started after it, not those before.
  Run("BEGIN");
  QueryResult before = Open("SELECT a FROM t ORDER BY a");
  Run("SAVEPOINT s");
  QueryResult after = Open("SELECT a FROM t ORDER BY a");
  EXPECT_EQ(Pull(*after.stream, 1), Numbers(1, 1));
  Run("ROLLBACK TO s");
  EXPECT_EQ(after.stream->state(), State::kClosed);
  EXPECT_EQ(Pull(*before.stream, 2), Numbers(1, 2));
  Run("ROLLBACK");
  EXPECT_EQ(before.stream->state(), State::kClosed);
}

// An error while pulling fails the statement as an error in Execute does: the rows before it
// were delivered, the block fails, and the other streams of the transaction close as failed.
TEST_P(QueryStreamTest, AnErrorWhilePullingFailsTheStatement) {
  Run("CREATE TABLE t (a int PRIMARY KEY)");
  Run("INSERT INTO t SELECT g FROM generate_series(0, 3000) g");
  Run("BEGIN");
  QueryResult ok = Open("SELECT a FROM t");
  QueryResult r = Open("SELECT 6000 / (2000 - a) FROM t ORDER BY a");
  std::vector<std::string> got;
  try {
    Pull(*r.stream);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(SqlStateCode(e.state())), "22012");
  }
  EXPECT_EQ(r.stream->state(), State::kFailed);
  EXPECT_EQ(ok.stream->state(), State::kFailed);
  EXPECT_EQ(session_->txn_status(), TxnStatus::kFailed);
  try {
    ok.stream->Resume();
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(SqlStateCode(e.state())), "25P02");
  }
  Run("ROLLBACK");
  // Outside a block the implicit transaction rolls back.
  r = Open("SELECT 6000 / (2000 - g) FROM generate_series(0, 3000) g");
  EXPECT_EQ(Pull(*r.stream, 5), (std::vector<std::string>{"3", "3", "3", "3", "3"}));
  EXPECT_THROW(Pull(*r.stream), Error);
  session_->Sync();
  EXPECT_EQ(session_->txn_status(), TxnStatus::kIdle);
  EXPECT_EQ(Rows("SELECT count(*) FROM t"), (std::vector<std::string>{"3001"}));
}

// Cancel and statement_timeout stop a stream between batches; each Resume starts the clock
// again (a suspended portal is not running).
TEST_P(QueryStreamTest, CancelAndStatementTimeoutWhileStreaming) {
  Run("CREATE TABLE t (a int)");
  Run("INSERT INTO t SELECT g FROM generate_series(1, 5000) g");
  QueryResult r = Open("SELECT a FROM t");
  EXPECT_EQ(Pull(*r.stream, 1).size(), 1u);
  session_->Cancel();
  try {
    Pull(*r.stream);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(SqlStateCode(e.state())), "57014");
  }
  session_->Sync();
  Run("SET statement_timeout = 1500");
  r = Open("SELECT a FROM t");
  EXPECT_EQ(Pull(*r.stream, 1).size(), 1u);
  std::this_thread::sleep_for(std::chrono::milliseconds(2000));
  r.stream->Resume();  // a new Execute: the clock starts again
  EXPECT_EQ(Pull(*r.stream, 1).size(), 1u);
  std::this_thread::sleep_for(std::chrono::milliseconds(2000));
  try {
    Pull(*r.stream);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(SqlStateCode(e.state())), "57014");
    EXPECT_EQ(e.message(), "canceling statement due to statement timeout");
  }
  session_->Sync();
}

// Writes and locking reads run to completion at Execute, as before.
TEST_P(QueryStreamTest, WritesAndLockingReadsAreNotStreamed) {
  Run("CREATE TABLE t (a int PRIMARY KEY)");
  QueryResult r = Open("INSERT INTO t VALUES (1), (2) RETURNING a");
  EXPECT_FALSE(r.stream);
  EXPECT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.command_tag, "INSERT 0 2");
  r = Open("SELECT a FROM t FOR UPDATE");
  EXPECT_FALSE(r.stream);
  EXPECT_EQ(r.rows.size(), 2u);
  r = Open("SHOW TimeZone");
  EXPECT_FALSE(r.stream);
  session_->Sync();
}

INSTANTIATE_TEST_SUITE_P(Engines, QueryStreamTest, ::testing::Values("memory", "wiredtiger"));

}  // namespace
}  // namespace activestore::executor
