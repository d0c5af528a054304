// Spilling operators end to end: with a tiny work_mem, sorts, hash aggregates, hash joins,
// DISTINCT and set operations write temporary files and give the rows they give in memory;
// the files are gone after the query, after an error, a cancel, and a restart.
#include "executor/spill.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "common/value_ops.h"
#include "executor/result_batch.h"
#include "executor/session_test_fixture.h"

namespace activestore::executor {
namespace {

class SpillTest : public testing::EngineFixture {
 protected:
  void Load(int rows = 8000) {
    // Rows in a scrambled order, with repeated, NULL and text keys.
    Run("CREATE TABLE t (id int, g int, s text, n numeric)");
    Run("INSERT INTO t SELECT (i * 7919) % " + std::to_string(rows) +
        ", CASE WHEN i % 97 = 0 THEN NULL ELSE (i * 31) % 5000 END, "
        "'s' || ((i * 13) % 7000) || repeat('x', i % 40), (i % 1000) / 7.0 "
        "FROM generate_series(1, " +
        std::to_string(rows) + ") i");
    Run("CREATE TABLE u (k int, w text)");
    Run("INSERT INTO u SELECT CASE WHEN i % 101 = 0 THEN NULL ELSE i % 7000 END, 'w' || i "
        "FROM generate_series(1, 6000) i");
    Run("SET max_parallel_workers_per_gather = 0");  // one scan order for both runs
  }
  // The rows of sql with work_mem 64kB (PostgreSQL's minimum) and with 1GB; EXPECTs that the
  // small one spilled and the large one did not, and that no file is left behind.
  std::pair<std::vector<std::string>, std::vector<std::string>> BothWays(const std::string& sql) {
    Run("SET work_mem = '1GB'");
    uint64_t before = SpillStatistics().files;
    std::vector<std::string> memory = Rows(sql);
    EXPECT_EQ(SpillStatistics().files, before) << sql;
    Run("SET work_mem = '64kB'");
    before = SpillStatistics().files;
    std::vector<std::string> spilled = Rows(sql);
    EXPECT_GT(SpillStatistics().files, before) << sql;
    EXPECT_EQ(SpillStatistics().open_files, 0) << sql;
    EXPECT_EQ(TempFiles(), 0u) << sql;
    return {memory, spilled};
  }
  void ExpectSame(const std::string& sql, bool ordered) {
    auto [memory, spilled] = BothWays(sql);
    if (!ordered) {
      std::sort(memory.begin(), memory.end());
      std::sort(spilled.begin(), spilled.end());
    }
    EXPECT_FALSE(memory.empty()) << sql;
    EXPECT_TRUE(memory == spilled) << sql;
  }
  // Files in the engine's temporary directory.
  size_t TempFiles() {
    auto* impl = static_cast<NodeEngineImpl*>(engine_.get());
    std::error_code ec;
    size_t n = 0;
    for (auto it = std::filesystem::directory_iterator(impl->spill_dir(), ec);
         !ec && it != std::filesystem::directory_iterator(); ++it) {
      ++n;
    }
    return n;
  }
  std::string SpillDir() { return static_cast<NodeEngineImpl*>(engine_.get())->spill_dir(); }
};

TEST_P(SpillTest, SortSpillsAndKeepsItsOrder) {
  Load();
  // Ties keep their input order (a stable sort), so whole rows compare.
  ExpectSame("SELECT * FROM t ORDER BY g", true);
  ExpectSame("SELECT * FROM t ORDER BY g DESC NULLS LAST, s", true);
  ExpectSame("SELECT * FROM t ORDER BY g NULLS FIRST, n DESC", true);
  ExpectSame("SELECT s, n FROM t ORDER BY s COLLATE \"C\" DESC, id", true);
  ExpectSame("SELECT id, n FROM t ORDER BY n, id DESC LIMIT 200000", true);
  ExpectSame("SELECT * FROM t ORDER BY id OFFSET 7990", true);
}

TEST_P(SpillTest, TopNStaysInMemory) {
  Load();
  Run("SET work_mem = '64kB'");
  const uint64_t before = SpillStatistics().files;
  EXPECT_EQ(Rows("SELECT id FROM t ORDER BY id LIMIT 3"),
            (std::vector<std::string>{"0", "1", "2"}));
  EXPECT_EQ(SpillStatistics().files, before);
}

TEST_P(SpillTest, HashAggregateSpillsEveryKindOfAggregate) {
  Load();
  ExpectSame(
      "SELECT g, count(*), count(n), sum(n), avg(id), min(s), max(s), sum(id) FROM t "
      "GROUP BY g",
      false);
  ExpectSame("SELECT s, count(*), bool_and(id > 100), stddev(n) FROM t GROUP BY s", false);
  ExpectSame(
      "SELECT g % 700, count(DISTINCT s), string_agg(s, ',' ORDER BY s, id), "
      "array_agg(id ORDER BY id) FROM t GROUP BY 1",
      false);
  ExpectSame("SELECT g, percentile_cont(0.5) WITHIN GROUP (ORDER BY n) FROM t GROUP BY g", false);
  ExpectSame("SELECT g, s, count(*) FROM t GROUP BY g, s HAVING count(*) > 0", false);
}

TEST_P(SpillTest, HashJoinSpillsEveryJoinType) {
  Load();
  // u (6,000 rows) is the build side of each.
  ExpectSame("SELECT t.id, u.w FROM t JOIN u ON t.g = u.k", false);
  ExpectSame("SELECT t.id, u.w FROM t LEFT JOIN u ON t.g = u.k", false);
  ExpectSame("SELECT t.id, u.w FROM t RIGHT JOIN u ON t.g = u.k", false);
  ExpectSame("SELECT t.id, u.w FROM t FULL JOIN u ON t.g = u.k AND t.id % 2 = 0", false);
  // One key for the whole build side: its partition is not split again, but joined in memory.
  ExpectSame(
      "SELECT count(*), sum(length(z.w)) FROM t JOIN (SELECT 7 AS k, w FROM u) z "
      "ON t.g = z.k",
      false);
}

TEST_P(SpillTest, DistinctAndSetOperationsSpill) {
  Load();
  ExpectSame("SELECT DISTINCT s FROM t", false);
  ExpectSame("SELECT DISTINCT g, n FROM t", false);
  ExpectSame("SELECT DISTINCT ON (id % 3000) id % 3000, g FROM t", false);  // first in input order
  ExpectSame("SELECT s FROM t UNION SELECT w FROM u", false);
  ExpectSame("SELECT g FROM t INTERSECT SELECT k FROM u", false);
  ExpectSame("SELECT g FROM t INTERSECT ALL SELECT k FROM u", false);
  ExpectSame("SELECT g FROM t EXCEPT SELECT k FROM u", false);
  ExpectSame("SELECT g FROM t EXCEPT ALL SELECT k FROM u", false);
  // Over a sort by its columns DISTINCT ON keeps nothing; the sort under it spills.
  ExpectSame("SELECT DISTINCT ON (g) g, s FROM t ORDER BY g, s DESC", true);
}

TEST_P(SpillTest, MaterializedCteSpills) {
  Load();
  // Two readers of one buffer, one after the other and interleaved.
  ExpectSame(
      "WITH c AS MATERIALIZED (SELECT id, s FROM t) "
      "SELECT * FROM c UNION ALL SELECT * FROM c",
      true);
  ExpectSame(
      "WITH c AS MATERIALIZED (SELECT id, s FROM t) "
      "SELECT x.id, y.s FROM c x JOIN c y ON x.id = y.id + 1",
      false);
}

TEST_P(SpillTest, TempFilesGoAfterErrorsCancelAndRestart) {
  Load();
  Run("SET work_mem = '64kB'");
  // An error after runs were written (the key of a later run divides by zero).
  EXPECT_EQ(ErrorOf("SELECT * FROM t ORDER BY 1 / (id - 7000)"), "22012");
  EXPECT_EQ(TempFiles(), 0u);
  EXPECT_EQ(ErrorOf("SELECT g, sum(1 / (id - 7000)) FROM t GROUP BY g"), "22012");
  EXPECT_EQ(TempFiles(), 0u);
  // A stream suspended in the middle of its merge holds files; a cancel ends it.
  auto st = session_->Prepare("SELECT * FROM t ORDER BY s", {});
  session_->DeferCommitToSync();
  QueryResult r = session_->ExecuteStreaming(*st, {});
  ASSERT_TRUE(r.stream);
  ASSERT_NE(r.stream->Next(5), nullptr);
  EXPECT_GT(TempFiles(), 0u);
  session_->Cancel();
  r.stream->Resume();
  session_->Cancel();
  try {
    while (r.stream->Next(0) != nullptr) {
    }
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(SqlStateCode(e.state())), "57014");
  }
  session_->Sync();
  r = QueryResult();
  EXPECT_EQ(TempFiles(), 0u);
  EXPECT_EQ(SpillStatistics().open_files, 0);
  // What a crash leaves behind is removed at start-up.
  if (GetParam() == "wiredtiger") {
    const std::string stray = SpillDir() + "/pgsql_tmp99.0";
    {
      std::FILE* f = std::fopen(stray.c_str(), "w");
      ASSERT_NE(f, nullptr);
      std::fclose(f);
    }
    EXPECT_EQ(TempFiles(), 1u);
    Reopen();
    EXPECT_EQ(TempFiles(), 0u);
    EXPECT_EQ(SpillDir(), dir_.string() + "/tmp");
  }
}

TEST_P(SpillTest, WorkMemSettings) {
  EXPECT_EQ(Rows("SHOW work_mem"), std::vector<std::string>{"4MB"});
  Run("SET work_mem = '2048kB'");
  EXPECT_EQ(Rows("SHOW work_mem"), std::vector<std::string>{"2MB"});
  Run("SET work_mem = 100");
  EXPECT_EQ(Rows("SHOW work_mem"), std::vector<std::string>{"100kB"});
  EXPECT_EQ(ErrorOf("SET work_mem = 10"), "22023");
  EXPECT_EQ(ErrorOf("SET work_mem = '1 parsec'"), "22023");
  EXPECT_EQ(Rows("SHOW hash_mem_multiplier"), std::vector<std::string>{"2"});
  Run("SET hash_mem_multiplier = 1.50");
  EXPECT_EQ(Rows("SHOW hash_mem_multiplier"), std::vector<std::string>{"1.5"});
  EXPECT_EQ(ErrorOf("SET hash_mem_multiplier = 0.5"), "22023");
}

// A spill file gives back the chunks written, values and types as they were.
TEST(SpillFileTest, RoundTrip) {
  ExecContext ctx;
  DataChunk c;
  c.Init({Type::Of(TypeId::kInt32), Type::Of(TypeId::kText), Type::Of(TypeId::kNumeric),
          Type::Of(TypeId::kFloat64), Type::Of(TypeId::kInterval)});
  for (int i = 0; i < 3000; ++i) {
    c.AppendRow({i % 10 == 0 ? Value::Null(Type::Of(TypeId::kInt32)) : Value::Int32(i),
                 Value::Text(std::string(static_cast<size_t>(i % 50), 'a')),
                 Value::Num(Numeric::Parse(std::to_string(i) + ".500")), Value::Float64(i / 3.0),
                 Value::Interval(Interval{i * 1000, i % 3, 1})});
  }
  SpillFile f(ctx);
  f.Write(c, 0, 1000);
  f.Write(c, 1000, 3000);
  f.Rewind();
  DataChunk back, all;
  all.Init({Type::Of(TypeId::kInt32), Type::Of(TypeId::kText), Type::Of(TypeId::kNumeric),
            Type::Of(TypeId::kFloat64), Type::Of(TypeId::kInterval)});
  while (f.Read(&back)) AppendChunk(std::move(back), &all);
  ASSERT_EQ(all.size, c.size);
  for (size_t r = 0; r < c.size; r += 7) {
    for (size_t k = 0; k < c.columns.size(); ++k) {
      const Value a = all.columns[k].Get(r), b = c.columns[k].Get(r);
      EXPECT_EQ(a.is_null, b.is_null) << r << " " << k;
      if (!a.is_null) {
        EXPECT_EQ(FormatValue(a), FormatValue(b)) << r << " " << k;
      }
    }
  }
  const std::string path = f.path();
  EXPECT_TRUE(std::filesystem::exists(path));
  auto g = std::make_unique<SpillFile>(ctx);
  const std::string other = g->path();
  EXPECT_TRUE(std::filesystem::exists(other));
  g.reset();
  EXPECT_FALSE(std::filesystem::exists(other));
}

INSTANTIATE_TEST_SUITE_P(Engines, SpillTest, ::testing::Values("memory", "wiredtiger"));

}  // namespace
}  // namespace activestore::executor
