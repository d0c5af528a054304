// Sequences end to end below the wire, on both storage engines: values are not transactional
// and shared by all sessions, currval/lastval and CACHE are per session, serial and identity
// columns, DDL in blocks, concurrent nextval. (Single-session behaviour against PostgreSQL 15:
// sql-tests/sequences/.)
#include <future>
#include <set>
#include <thread>

#include "executor/session_test_fixture.h"

namespace activestore::executor {
namespace {

using testing::EngineFixture;
using Rows_ = std::vector<std::string>;

class SequenceTest : public EngineFixture {};

TEST_P(SequenceTest, ValuesAreSharedAndNeverRolledBack) {
  auto other = Connect();
  Run("CREATE SEQUENCE s");
  Run("BEGIN");
  EXPECT_EQ(Rows("SELECT nextval('s')"), Rows_{"1"});
  EXPECT_EQ(Rows("SELECT nextval('s')", other.get()), Rows_{"2"});
  Run("ROLLBACK");
  EXPECT_EQ(Rows("SELECT nextval('s')"), Rows_{"3"});
  // currval is the session's own.
  EXPECT_EQ(Rows("SELECT currval('s')"), Rows_{"3"});
  EXPECT_EQ(Rows("SELECT currval('s'), lastval()", other.get()), Rows_{"2|2"});
  auto third = Connect();
  EXPECT_EQ(ErrorOf("SELECT currval('s')", third.get()), "55000");
  EXPECT_EQ(ErrorOf("SELECT lastval()", third.get()), "55000");
  // setval is seen by every session at once, also from a block that rolls back.
  Run("BEGIN");
  Run("SELECT setval('s', 100)");
  Run("ROLLBACK");
  EXPECT_EQ(Rows("SELECT nextval('s')", other.get()), Rows_{"101"});
}

TEST_P(SequenceTest, CacheIsPerSession) {
  auto other = Connect();
  Run("CREATE SEQUENCE c CACHE 10");
  EXPECT_EQ(Rows("SELECT nextval('c')"), Rows_{"1"});
  EXPECT_EQ(Rows("SELECT nextval('c')", other.get()), Rows_{"11"});
  EXPECT_EQ(Rows("SELECT nextval('c')"), Rows_{"2"});
  EXPECT_EQ(Rows("SELECT last_value, is_called FROM c"), Rows_{"20|t"});
  // ALTER SEQUENCE drops what the session cached.
  Run("ALTER SEQUENCE c INCREMENT 1");
  EXPECT_EQ(Rows("SELECT nextval('c')"), Rows_{"21"});
}

TEST_P(SequenceTest, DdlInABlockIsTransactional) {
  auto other = Connect();
  Run("BEGIN; CREATE SEQUENCE b START 5");
  EXPECT_EQ(Rows("SELECT nextval('b')"), Rows_{"5"});
  EXPECT_EQ(ErrorOf("SELECT nextval('b')", other.get()), "42P01");
  Run("ROLLBACK");
  EXPECT_EQ(ErrorOf("SELECT nextval('b')"), "42P01");
  // RESTART in a block: the block sees it, others do not, ROLLBACK undoes it.
  Run("CREATE SEQUENCE r");
  EXPECT_EQ(Rows("SELECT nextval('r')"), Rows_{"1"});
  Run("BEGIN; ALTER SEQUENCE r RESTART WITH 50");
  EXPECT_EQ(Rows("SELECT nextval('r')"), Rows_{"50"});
  Run("ROLLBACK");
  EXPECT_EQ(Rows("SELECT nextval('r')"), Rows_{"2"});
  // DROP in a block (others would wait for its lock) is seen by all after COMMIT.
  Run("BEGIN; DROP SEQUENCE r");
  Run("COMMIT");
  EXPECT_EQ(ErrorOf("SELECT nextval('r')", other.get()), "42P01");
  EXPECT_EQ(ErrorOf("SELECT nextval('r')"), "42P01");
}

TEST_P(SequenceTest, AlterWaitsForTransactionsUsingTheSequence) {
  auto other = Connect();
  Run("CREATE SEQUENCE w");
  Run("BEGIN; SELECT nextval('w')");
  auto alter = std::async(std::launch::async,
                          [&] { return ErrorOf("ALTER SEQUENCE w RESTART WITH 10", other.get()); });
  EXPECT_EQ(alter.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout);
  Run("COMMIT");
  EXPECT_EQ(alter.get(), "no error");
  EXPECT_EQ(Rows("SELECT nextval('w')"), Rows_{"10"});
}

TEST_P(SequenceTest, SerialAndIdentityColumns) {
  auto other = Connect();
  Run("CREATE TABLE t (id bigserial PRIMARY KEY, g int GENERATED ALWAYS AS IDENTITY, v text)");
  Run("INSERT INTO t (v) VALUES ('a'), ('b')");
  Run("INSERT INTO t (v) VALUES ('c')", other.get());
  EXPECT_EQ(Rows("SELECT id, g, v FROM t ORDER BY id"), (Rows_{"1|1|a", "2|2|b", "3|3|c"}));
  EXPECT_EQ(ErrorOf("INSERT INTO t (g, v) VALUES (7, 'x')"), "428C9");
  Run("INSERT INTO t (g, v) OVERRIDING SYSTEM VALUE VALUES (7, 'x')");
  EXPECT_EQ(Rows("SELECT currval('t_id_seq'), pg_get_serial_sequence('t', 'g')"),
            Rows_{"4|public.t_g_seq"});
  Run("DROP TABLE t");
  EXPECT_EQ(ErrorOf("SELECT nextval('t_id_seq')"), "42P01");
  EXPECT_EQ(ErrorOf("SELECT nextval('t_g_seq')"), "42P01");
}

TEST_P(SequenceTest, ConcurrentNextvalHandsOutEachValueOnce) {
  Run("CREATE SEQUENCE con");
  Run("CREATE TABLE k (id bigserial PRIMARY KEY, who int)");
  constexpr int kThreads = 4;
  constexpr int kEach = 300;
  std::vector<std::future<std::vector<int64_t>>> workers;
  for (int w = 0; w < kThreads; ++w) {
    workers.push_back(std::async(std::launch::async, [this, w] {
      auto s = Connect();
      std::vector<int64_t> got;
      for (int i = 0; i < kEach; ++i) {
        got.push_back(std::stoll(Rows("SELECT nextval('con')", s.get()).at(0)));
        Run("INSERT INTO k (who) VALUES (" + std::to_string(w) + ")", s.get());
      }
      return got;
    }));
  }
  std::set<int64_t> all;
  for (auto& w : workers) {
    for (int64_t v : w.get()) EXPECT_TRUE(all.insert(v).second) << v;
  }
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kEach));
  EXPECT_EQ(*all.begin(), 1);
  EXPECT_EQ(*all.rbegin(), kThreads * kEach);
  EXPECT_EQ(Rows("SELECT count(*), count(DISTINCT id), min(id), max(id) FROM k"),
            Rows_{"1200|1200|1|1200"});
}

INSTANTIATE_TEST_SUITE_P(Engines, SequenceTest, ::testing::Values("memory", "wiredtiger"));

}  // namespace
}  // namespace activestore::executor
