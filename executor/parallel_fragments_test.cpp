// Parallel fragments end to end: the same answers with max_parallel_workers_per_gather on and
// off (unordered and merged gathers, streamed and not), errors of workers, early ends of a
// streamed result, snapshots across statements, SERIALIZABLE reads made by workers, and the
// settings themselves.
#include "executor/parallel_fragments.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "executor/result_batch.h"
#include "executor/session_test_fixture.h"

namespace activestore::executor {
namespace {

class ParallelFragmentsTest : public testing::EngineFixture {
 protected:
  void Load(int rows = 20000) {
    Run("CREATE TABLE m (id int PRIMARY KEY, device int, v numeric, tag text)");  // exact sums
    Run("INSERT INTO m SELECT g, g % 37, (g * 7919) % 1000 / 10.0, 'd' || (g % 5) "
        "FROM generate_series(1, " +
        std::to_string(rows) + ") g");
    Run("CREATE TABLE h (device int, v int)");  // no primary key: hidden row ids
    Run("INSERT INTO h SELECT g % 11, g FROM generate_series(1, 5000) g");
  }
  void Parallel(int workers, Session* s = nullptr) {
    Run("SET max_parallel_workers_per_gather = " + std::to_string(workers), s);
    Run("SET min_parallel_table_scan_size = 0", s);
  }
  bool Wt() const { return GetParam() == "wiredtiger"; }
};

TEST_P(ParallelFragmentsTest, SameAnswersWithAndWithoutWorkers) {
  Load();
  const std::vector<std::string> queries = {
      "SELECT count(*) FROM m",
      "SELECT count(*), sum(v), min(v), max(v), avg(id) FROM m WHERE device < 20",
      "SELECT device, count(*), avg(v) FROM m GROUP BY device ORDER BY device",
      "SELECT * FROM m ORDER BY v DESC, id LIMIT 10",
      "SELECT id, v FROM m WHERE device = 7 AND id > 100",  // merged by key: the order counts
      "SELECT * FROM h WHERE device = 3",                   // hidden row ids, insertion order
      "SELECT tag, count(*) FROM m WHERE v > 50 GROUP BY tag ORDER BY tag",
      "SELECT count(*) FROM m a JOIN h b ON a.id = b.v WHERE a.device = b.device",
      "SELECT id FROM m WHERE lower(tag) LIKE 'd1%' AND id % 1000 = 1",
  };
  std::vector<std::vector<std::string>> serial;
  Parallel(0);
  for (const auto& q : queries) serial.push_back(Rows(q));
  const uint64_t before = ParallelFragments::started();
  for (const char* leader : {"on", "off"}) {
    // With the leader running fragments too (the default), and only gathering.
    Run(std::string("SET parallel_leader_participation = ") + leader);
    for (int workers : {1, 2, 3, 8}) {
      Parallel(workers);
      for (size_t i = 0; i < queries.size(); ++i) {
        EXPECT_EQ(Rows(queries[i]), serial[i])
            << queries[i] << " with " << workers << " workers, leader " << leader;
      }
    }
  }
  if (Wt()) {
    EXPECT_GE(ParallelFragments::started() - before, 8 * queries.size());
  } else {
    EXPECT_EQ(ParallelFragments::started(), before);  // no shared snapshots in memory
  }
}

TEST_P(ParallelFragmentsTest, SmallTablesAndWritersStaySerial) {
  Load();
  Run("SET max_parallel_workers_per_gather = 4");
  const uint64_t before = ParallelFragments::started();
  EXPECT_EQ(Rows("SELECT count(*) FROM h WHERE v < 0"), std::vector<std::string>{"0"});
  // 5,000 short rows are far below the default 8MB.
  EXPECT_EQ(ParallelFragments::started(), before);
  Run("SET min_parallel_table_scan_size = 0");
  Run("BEGIN");
  Run("INSERT INTO m VALUES (100000, 1, 1, 'x')");
  // The transaction wrote: workers could not see the row, so its scans stay serial.
  EXPECT_EQ(Rows("SELECT count(*) FROM m"), std::vector<std::string>{"20001"});
  Run("COMMIT");
  EXPECT_EQ(ParallelFragments::started(), before);
  EXPECT_EQ(Rows("SELECT count(*) FROM m"), std::vector<std::string>{"20001"});
  EXPECT_EQ(ParallelFragments::started() - before, Wt() ? 1u : 0u);
  // A statement that writes reads its input first (DML reads everything before its first
  // write), so that reading may run on workers; scans that carry row locations (the targets of
  // UPDATE and DELETE) never do.
  Run("INSERT INTO h SELECT device, v + 10000 FROM h WHERE v < 100");
  EXPECT_EQ(Rows("SELECT count(*) FROM h"), std::vector<std::string>{"5099"});
  Run("UPDATE m SET tag = 'u' WHERE device = 3");
  EXPECT_EQ(Rows("SELECT count(*) FROM m WHERE tag = 'u'"), std::vector<std::string>{"541"});
}

TEST_P(ParallelFragmentsTest, AWorkersErrorIsTheStatementsError) {
  Load();
  Parallel(3);
  EXPECT_EQ(ErrorOf("SELECT count(*) FROM m WHERE 1 / (id - 15000) > 0"), "22012");
  EXPECT_EQ(ErrorOf("SELECT id FROM m WHERE 1 / (id - 15000) > 0"), "22012");
  EXPECT_EQ(Rows("SELECT count(*) FROM m"), std::vector<std::string>{"20000"});
}

TEST_P(ParallelFragmentsTest, AStreamClosedEarlyStopsItsWorkers) {
  Load();
  Parallel(2);
  for (const char* sql : {"SELECT * FROM m", "SELECT v FROM m WHERE device > 3"}) {
    auto st = session_->Prepare(sql, {});
    session_->DeferCommitToSync();
    QueryResult r = session_->ExecuteStreaming(*st, {});
    ASSERT_TRUE(r.stream);
    const ResultBatch* b = r.stream->Next(5);
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(b->size(), 5u);
    session_->Sync();  // closes the stream: its workers stop, their readers end
  }
  EXPECT_EQ(Rows("SELECT count(*) FROM m WHERE device > 3"), std::vector<std::string>{"17837"});
}

// REPEATABLE READ and SERIALIZABLE take their snapshot at the first statement (even one that
// reads no table): their scans cannot move it to share it, so they stay serial; SERIALIZABLE's
// validator sees every read.
TEST_P(ParallelFragmentsTest, RepeatableReadAndSerializableStaySerial) {
  Load();
  Parallel(2);
  auto other = Connect();
  Parallel(2, other.get());
  const uint64_t before = ParallelFragments::started();
  Run("BEGIN ISOLATION LEVEL REPEATABLE READ");
  Run("SELECT 1");
  Run("INSERT INTO m VALUES (100001, 1, 1, 'x')", other.get());
  EXPECT_EQ(Rows("SELECT count(*) FROM m"), std::vector<std::string>{"20000"});
  Run("COMMIT");
  EXPECT_EQ(ParallelFragments::started(), before);
  EXPECT_EQ(Rows("SELECT count(*) FROM m"), std::vector<std::string>{"20001"});

  const uint64_t serial = ParallelFragments::started();
  Run("BEGIN ISOLATION LEVEL SERIALIZABLE");
  Run("BEGIN ISOLATION LEVEL SERIALIZABLE", other.get());
  EXPECT_EQ(Rows("SELECT count(*) FROM m WHERE device = 1"), std::vector<std::string>{"542"});
  EXPECT_EQ(Rows("SELECT count(*) FROM m WHERE device = 2", other.get()),
            std::vector<std::string>{"541"});
  EXPECT_EQ(ParallelFragments::started(), serial);
  Run("INSERT INTO m VALUES (200000, 2, 0, 'x')");
  Run("INSERT INTO m VALUES (200001, 1, 0, 'x')", other.get());
  EXPECT_EQ(ErrorOf("COMMIT"), "no error");
  EXPECT_EQ(ErrorOf("COMMIT", other.get()), "40001");
}

TEST_P(ParallelFragmentsTest, ConcurrentCommitsAreSeenWholeOrNotAtAll) {
  // Every commit moves one unit between two rows in different shards: any snapshot sums to 0.
  Run("CREATE TABLE acct (id int PRIMARY KEY, bal int)");
  Run("INSERT INTO acct SELECT g, 0 FROM generate_series(1, 2000) g");
  Parallel(4);
  auto writer = Connect();
  std::atomic<bool> stop{false};
  std::thread t([&] {
    for (int i = 0; !stop.load(); ++i) {
      int a = 1 + i % 2000, b = 1 + (i * 7 + 3) % 2000;
      if (a == b) continue;
      Run("BEGIN", writer.get());
      Run("UPDATE acct SET bal = bal - 1 WHERE id = " + std::to_string(a), writer.get());
      Run("UPDATE acct SET bal = bal + 1 WHERE id = " + std::to_string(b), writer.get());
      Run("COMMIT", writer.get());
    }
  });
  for (int i = 0; i < 60; ++i) {
    EXPECT_EQ(Rows("SELECT sum(bal) FROM acct"), std::vector<std::string>{"0"});
  }
  stop = true;
  t.join();
}

TEST_P(ParallelFragmentsTest, SettingsSetShowReset) {
  EXPECT_EQ(
      Rows("SHOW max_parallel_workers_per_gather"),
      std::vector<std::string>{std::to_string(std::max(1u, std::thread::hardware_concurrency()))});
  Run("SET max_parallel_workers_per_gather = 0");
  EXPECT_EQ(Rows("SHOW max_parallel_workers_per_gather"), std::vector<std::string>{"0"});
  EXPECT_EQ(ErrorOf("SET max_parallel_workers_per_gather = -1"), "22023");
  EXPECT_EQ(ErrorOf("SET max_parallel_workers_per_gather = 1025"), "22023");
  EXPECT_EQ(ErrorOf("SET max_parallel_workers_per_gather = 'many'"), "22023");
  EXPECT_EQ(Rows("SHOW min_parallel_table_scan_size"), std::vector<std::string>{"8MB"});
  Run("SET min_parallel_table_scan_size = '64kB'");
  EXPECT_EQ(Rows("SHOW min_parallel_table_scan_size"), std::vector<std::string>{"64kB"});
  Run("SET min_parallel_table_scan_size = 1024");
  EXPECT_EQ(Rows("SHOW min_parallel_table_scan_size"), std::vector<std::string>{"8MB"});
  EXPECT_EQ(ErrorOf("SET min_parallel_table_scan_size = '1 parsec'"), "22023");
  EXPECT_EQ(Rows("SHOW parallel_leader_participation"), std::vector<std::string>{"on"});
  Run("SET parallel_leader_participation = false");
  EXPECT_EQ(Rows("SHOW parallel_leader_participation"), std::vector<std::string>{"off"});
  EXPECT_EQ(ErrorOf("SET parallel_leader_participation = 'sometimes'"), "22023");
  Run("RESET ALL");
  EXPECT_EQ(Rows("SHOW min_parallel_table_scan_size"), std::vector<std::string>{"8MB"});
  EXPECT_EQ(Rows("SHOW parallel_leader_participation"), std::vector<std::string>{"on"});
  EXPECT_EQ(Rows("SELECT current_setting('max_parallel_workers_per_gather')"),
            Rows("SHOW max_parallel_workers_per_gather"));
}

INSTANTIATE_TEST_SUITE_P(Engines, ParallelFragmentsTest, ::testing::Values("memory", "wiredtiger"));

}  // namespace
}  // namespace activestore::executor
