#include "common/metrics.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace activestore::metrics {
namespace {

TEST(MetricsTest, CommandOfTag) {
  EXPECT_EQ(CommandOfTag("INSERT 0 5"), "INSERT");
  EXPECT_EQ(CommandOfTag("SELECT 3"), "SELECT");
  EXPECT_EQ(CommandOfTag("UPDATE 0"), "UPDATE");
  EXPECT_EQ(CommandOfTag("CREATE TABLE"), "CREATE TABLE");
  EXPECT_EQ(CommandOfTag("BEGIN"), "BEGIN");
  EXPECT_EQ(CommandOfTag("COPY 1000000"), "COPY");
  EXPECT_EQ(CommandOfTag("42"), "42");  // never empty for a non-empty tag
  EXPECT_EQ(CommandOfTag(""), "");
}

TEST(MetricsTest, LabeledCounterCountsFromManyThreads) {
  LabeledCounter c;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&c, t] {
      for (int i = 0; i < 1000; ++i) c.Add(i % 2 == 0 ? "SELECT" : (t % 2 ? "INSERT" : "UPDATE"));
    });
  }
  for (auto& t : threads) t.join();
  auto v = c.Values();
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0], (std::pair<std::string, uint64_t>{"INSERT", 1000}));
  EXPECT_EQ(v[1], (std::pair<std::string, uint64_t>{"SELECT", 2000}));
  EXPECT_EQ(v[2], (std::pair<std::string, uint64_t>{"UPDATE", 1000}));
}

TEST(MetricsTest, HistogramBuckets) {
  using std::chrono::microseconds;
  LatencyHistogram h;
  h.Observe(microseconds(10));          // <= 25 µs
  h.Observe(microseconds(25));          // <= 25 µs (bounds are inclusive)
  h.Observe(microseconds(30));          // <= 50 µs
  h.Observe(std::chrono::seconds(11));  // +Inf
  auto s = h.Read();
  EXPECT_EQ(s.count, 4u);
  EXPECT_EQ(s.buckets[0], 2u);
  EXPECT_EQ(s.buckets[1], 1u);
  EXPECT_EQ(s.buckets.back(), 1u);
  EXPECT_DOUBLE_EQ(s.sum_seconds, 11.000065);
}

TEST(MetricsTest, PrometheusText) {
  PrometheusWriter w;
  w.WriteCounter("x_total", "An x.", 3);
  w.WriteGauge("y_bytes", "A y.", 1234567890123);
  w.WriteLabeledCounter("z_total", "A z.", "command", {{"a\"b\\c\nd", 1}, {"SELECT", 2}});
  EXPECT_EQ(w.text(),
            "# HELP x_total An x.\n# TYPE x_total counter\nx_total 3\n"
            "# HELP y_bytes A y.\n# TYPE y_bytes gauge\ny_bytes 1234567890123\n"
            "# HELP z_total A z.\n# TYPE z_total counter\n"
            "z_total{command=\"a\\\"b\\\\c\\nd\"} 1\nz_total{command=\"SELECT\"} 2\n");

  LatencyHistogram h;
  h.Observe(std::chrono::microseconds(40));
  h.Observe(std::chrono::milliseconds(2));
  PrometheusWriter hw;
  hw.WriteHistogram("d_seconds", "A d.", h.Read());
  const std::string& t = hw.text();
  EXPECT_NE(t.find("# TYPE d_seconds histogram\n"), std::string::npos);
  EXPECT_NE(t.find("d_seconds_bucket{le=\"2.5e-05\"} 0\n"), std::string::npos) << t;
  EXPECT_NE(t.find("d_seconds_bucket{le=\"5e-05\"} 1\n"), std::string::npos) << t;
  EXPECT_NE(t.find("d_seconds_bucket{le=\"0.001\"} 1\n"), std::string::npos) << t;
  EXPECT_NE(t.find("d_seconds_bucket{le=\"0.0025\"} 2\n"), std::string::npos) << t;
  EXPECT_NE(t.find("d_seconds_bucket{le=\"10\"} 2\n"), std::string::npos) << t;
  EXPECT_NE(t.find("d_seconds_bucket{le=\"+Inf\"} 2\nd_seconds_sum 0.00204\nd_seconds_count 2\n"),
            std::string::npos)
      << t;
}

TEST(MetricsTest, ResidentMemory) { EXPECT_GT(ResidentMemoryBytes(), 1u << 20); }

}  // namespace
}  // namespace activestore::metrics
