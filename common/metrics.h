// Process-wide counters and histograms for the server's /metrics endpoint (frontend/README.md),
// and the writer of Prometheus's text exposition format (version 0.0.4).
//
// The code that does the work counts into ProcessMetrics() (the executor counts statements, the
// storage layer commits and rollbacks); the frontend reads the values when /metrics is scraped
// and adds what it reads elsewhere (connections, storage statistics, RSS).
//
// Thread safety: every type here is thread-safe except PrometheusWriter (one per scrape).
// Counting is a relaxed atomic add; a LabeledCounter takes a shared lock to find its label.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace activestore::metrics {

class Counter {
 public:
  void Add(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

// Counters of one family told apart by one label value (a command tag), created on first use.
// REQUIRES: the label values form a small set (every value becomes a time series).
class LabeledCounter {
 public:
  void Add(std::string_view label, uint64_t n = 1);
  // Every label seen so far and its count, in label order.
  std::vector<std::pair<std::string, uint64_t>> Values() const;

 private:
  mutable std::shared_mutex mu_;
  std::map<std::string, std::unique_ptr<Counter>, std::less<>> counters_;  // guarded by mu_
};

// A latency histogram with fixed bucket bounds (seconds), from 25 µs to 10 s.
class LatencyHistogram {
 public:
  static constexpr std::array<double, 18> kBounds = {
      0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
      0.025,    0.05,    0.1,    0.25,    0.5,    1,     2.5,    5,     10};

  void Observe(std::chrono::nanoseconds elapsed);

  struct Snapshot {
    std::array<uint64_t, kBounds.size() + 1> buckets{};  // per bucket (not cumulative); +Inf last
    uint64_t count = 0;
    double sum_seconds = 0;
  };
  Snapshot Read() const;

 private:
  std::array<std::atomic<uint64_t>, kBounds.size() + 1> buckets_{};
  std::atomic<uint64_t> sum_ns_{0};
};

// What the engine counts while it works, one set per process.
struct Counters {
  LabeledCounter statements;           // completed statements by command ("SELECT", "INSERT", ...)
  Counter statement_errors;            // statements that ended with an error
  LatencyHistogram statement_latency;  // every statement, completed or failed
  Counter commits;                     // user transactions committed
  Counter rollbacks;                   // user transactions rolled back (or failing to commit)
  Counter rows_expired;                // rows deleted by the row reaper (executor/row_reaper.h)
};
Counters& ProcessMetrics();

// The command of a command tag, as /metrics labels statements: the tag without its row counts
// ("INSERT 0 5" -> "INSERT", "SELECT 3" -> "SELECT", "CREATE TABLE" -> "CREATE TABLE").
std::string_view CommandOfTag(std::string_view tag);

// Measures one statement from its construction: Completed(tag) counts it under its command;
// a meter destroyed without Completed() counts an error. Both record the latency.
class StatementMeter {
 public:
  StatementMeter() : start_(std::chrono::steady_clock::now()) {}
  ~StatementMeter();
  StatementMeter(const StatementMeter&) = delete;
  StatementMeter& operator=(const StatementMeter&) = delete;
  void Completed(std::string_view command_tag);
  // Also calls `f` with the tag and the elapsed time when the statement completes (not when it
  // fails): how a session feeds pg_stat_statements.
  using CompletionHook = std::function<void(std::string_view, std::chrono::nanoseconds)>;
  void OnCompleted(CompletionHook f) { on_completed_ = std::move(f); }

 private:
  std::chrono::steady_clock::time_point start_;
  bool done_ = false;
  CompletionHook on_completed_;
};

// The process's resident set size in bytes (/proc/self/statm); 0 if it cannot be read.
uint64_t ResidentMemoryBytes();

// Writes metric families in Prometheus's text format: one # HELP and # TYPE line per family,
// then its samples. Names must match [a-zA-Z_:][a-zA-Z0-9_:]*; label values are escaped.
class PrometheusWriter {
 public:
  void WriteCounter(std::string_view name, std::string_view help, uint64_t value);
  void WriteGauge(std::string_view name, std::string_view help, uint64_t value);
  // One sample per label value: name{label="value"}.
  void WriteLabeledCounter(std::string_view name, std::string_view help, std::string_view label,
                           const std::vector<std::pair<std::string, uint64_t>>& values);
  void WriteHistogram(std::string_view name, std::string_view help,
                      const LatencyHistogram::Snapshot& snapshot);
  const std::string& text() const { return out_; }

 private:
  void Header(std::string_view name, std::string_view help, std::string_view type);
  std::string out_;
};

}  // namespace activestore::metrics
