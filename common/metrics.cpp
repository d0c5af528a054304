#include "common/metrics.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <mutex>

namespace activestore::metrics {

void LabeledCounter::Add(std::string_view label, uint64_t n) {
  {
    std::shared_lock lock(mu_);
    auto it = counters_.find(label);
    if (it != counters_.end()) {
      it->second->Add(n);
      return;
    }
  }
  std::unique_lock lock(mu_);
  auto [it, inserted] = counters_.try_emplace(std::string(label), nullptr);
  if (inserted) it->second = std::make_unique<metrics::Counter>();
  it->second->Add(n);
}

std::vector<std::pair<std::string, uint64_t>> LabeledCounter::Values() const {
  std::shared_lock lock(mu_);
  std::vector<std::pair<std::string, uint64_t>> out;
  out.reserve(counters_.size());
  for (const auto& [label, counter] : counters_) out.emplace_back(label, counter->value());
  return out;
}

void LatencyHistogram::Observe(std::chrono::nanoseconds elapsed) {
  double seconds = std::chrono::duration<double>(elapsed).count();
  size_t bucket = static_cast<size_t>(std::lower_bound(kBounds.begin(), kBounds.end(), seconds) -
                                      kBounds.begin());
  buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_ns_.fetch_add(static_cast<uint64_t>(std::max<int64_t>(0, elapsed.count())),
                    std::memory_order_relaxed);
}

LatencyHistogram::Snapshot LatencyHistogram::Read() const {
  Snapshot s;
  for (size_t i = 0; i < buckets_.size(); ++i) {
    s.buckets[i] = buckets_[i].load(std::memory_order_relaxed);
    s.count += s.buckets[i];
  }
  s.sum_seconds = static_cast<double>(sum_ns_.load(std::memory_order_relaxed)) / 1e9;
  return s;
}

Counters& ProcessMetrics() {
  static Counters counters;
  return counters;
}

std::string_view CommandOfTag(std::string_view tag) {
  size_t end = tag.size();
  // Drop trailing words that are numbers ("INSERT 0 5", "SELECT 3", "FETCH 10").
  while (end > 0) {
    size_t space = tag.rfind(' ', end - 1);
    size_t start = space == std::string_view::npos ? 0 : space + 1;
    std::string_view word = tag.substr(start, end - start);
    bool number = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
      return std::isdigit(static_cast<unsigned char>(c)) != 0;
    });
    if (!number || space == std::string_view::npos) break;
    end = space;
  }
  return tag.substr(0, end);
}

StatementMeter::~StatementMeter() {
  if (!done_) ProcessMetrics().statement_errors.Add();
  ProcessMetrics().statement_latency.Observe(std::chrono::steady_clock::now() - start_);
}

void StatementMeter::Completed(std::string_view command_tag) {
  done_ = true;
  ProcessMetrics().statements.Add(CommandOfTag(command_tag));
  if (on_completed_) on_completed_(command_tag, std::chrono::steady_clock::now() - start_);
}

uint64_t ResidentMemoryBytes() {
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  unsigned long long size = 0, resident = 0;
  int n = std::fscanf(f, "%llu %llu", &size, &resident);
  std::fclose(f);
  if (n != 2) return 0;
  return static_cast<uint64_t>(resident) * static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
}

void PrometheusWriter::Header(std::string_view name, std::string_view help, std::string_view type) {
  fmt::format_to(std::back_inserter(out_), "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

void PrometheusWriter::WriteCounter(std::string_view name, std::string_view help, uint64_t value) {
  Header(name, help, "counter");
  fmt::format_to(std::back_inserter(out_), "{} {}\n", name, value);
}

void PrometheusWriter::WriteGauge(std::string_view name, std::string_view help, uint64_t value) {
  Header(name, help, "gauge");
  fmt::format_to(std::back_inserter(out_), "{} {}\n", name, value);
}

void PrometheusWriter::WriteLabeledCounter(
    std::string_view name, std::string_view help, std::string_view label,
    const std::vector<std::pair<std::string, uint64_t>>& values) {
  Header(name, help, "counter");
  for (const auto& [value, count] : values) {
    std::string escaped;
    for (char c : value) {
      if (c == '\\' || c == '"') escaped += '\\';
      if (c == '\n') {
        escaped += "\\n";
        continue;
      }
      escaped += c;
    }
    fmt::format_to(std::back_inserter(out_), "{}{{{}=\"{}\"}} {}\n", name, label, escaped, count);
  }
}

void PrometheusWriter::WriteHistogram(std::string_view name, std::string_view help,
                                      const LatencyHistogram::Snapshot& snapshot) {
  Header(name, help, "histogram");
  uint64_t cumulative = 0;
  for (size_t i = 0; i < LatencyHistogram::kBounds.size(); ++i) {
    cumulative += snapshot.buckets[i];
    fmt::format_to(std::back_inserter(out_), "{}_bucket{{le=\"{:g}\"}} {}\n", name,
                   LatencyHistogram::kBounds[i], cumulative);
  }
  fmt::format_to(std::back_inserter(out_), "{}_bucket{{le=\"+Inf\"}} {}\n", name, snapshot.count);
  fmt::format_to(std::back_inserter(out_), "{}_sum {}\n{}_count {}\n", name, snapshot.sum_seconds,
                 name, snapshot.count);
}

}  // namespace activestore::metrics
