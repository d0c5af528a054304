#include "executor/stat_statements.h"

#include <algorithm>
#include <cmath>

namespace activestore::executor {

namespace {
int64_t NowUsSince2000() {
  // 946684800: 2000-01-01 in Unix seconds.
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  return us - int64_t{946684800} * 1000000;
}
}  // namespace

StatStatements::StatStatements(size_t max_entries)
    : max_entries_(max_entries), reset_us_(NowUsSince2000()) {}

double StatementStats::StddevMs() const {
  return calls > 1 ? std::sqrt(sum_sq_dev / static_cast<double>(calls)) : 0.0;
}

void StatStatements::Record(uint32_t user_oid, uint32_t database_oid,
                            const parser::StatementFingerprint& fp,
                            std::chrono::nanoseconds elapsed, int64_t rows) {
  const double ms = std::chrono::duration<double, std::milli>(elapsed).count();
  const Key key{user_oid, database_oid, fp.id};
  auto update = [&](Entry& e) {
    std::lock_guard<std::mutex> lock(e.mu);
    StatementStats& s = e.stats;
    if (s.calls == 0) s.min_ms = s.max_ms = ms;
    ++s.calls;
    s.total_ms += ms;
    s.min_ms = std::min(s.min_ms, ms);
    s.max_ms = std::max(s.max_ms, ms);
    const double delta = ms - s.mean_ms;
    s.mean_ms += delta / static_cast<double>(s.calls);
    s.sum_sq_dev += delta * (ms - s.mean_ms);
    s.rows += rows;
  };
  {
    std::shared_lock<std::shared_mutex> lock(mu_);
    auto it = entries_.find(key);
    if (it != entries_.end()) {
      update(*it->second);
      return;
    }
  }
  std::unique_lock<std::shared_mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    if (entries_.size() >= max_entries_) EvictLocked();
    auto e = std::make_unique<Entry>();
    e->stats.user_oid = user_oid;
    e->stats.database_oid = database_oid;
    e->stats.query_id = static_cast<int64_t>(fp.id);
    e->stats.query = fp.text;
    it = entries_.emplace(key, std::move(e)).first;
  }
  update(*it->second);
}

void StatStatements::EvictLocked() {
  // Drop the least called tenth (at least one entry).
  std::vector<std::pair<int64_t, Key>> by_calls;
  by_calls.reserve(entries_.size());
  for (const auto& [k, e] : entries_) {
    std::lock_guard<std::mutex> lock(e->mu);
    by_calls.emplace_back(e->stats.calls, k);
  }
  const size_t drop = std::max<size_t>(1, by_calls.size() / 10);
  std::nth_element(by_calls.begin(), by_calls.begin() + static_cast<ptrdiff_t>(drop - 1),
                   by_calls.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (size_t i = 0; i < drop; ++i) entries_.erase(by_calls[i].second);
  ++dealloc_;
}

std::vector<StatementStats> StatStatements::Entries() const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  std::vector<StatementStats> out;
  out.reserve(entries_.size());
  for (const auto& [k, e] : entries_) {
    std::lock_guard<std::mutex> entry_lock(e->mu);
    out.push_back(e->stats);
  }
  return out;
}

void StatStatements::Reset(uint32_t user_oid, uint32_t database_oid, int64_t query_id) {
  std::unique_lock<std::shared_mutex> lock(mu_);
  if (user_oid == 0 && database_oid == 0 && query_id == 0) {
    entries_.clear();
    dealloc_ = 0;
    reset_us_ = NowUsSince2000();
    return;
  }
  for (auto it = entries_.begin(); it != entries_.end();) {
    const StatementStats& s = it->second->stats;
    const bool match = (user_oid == 0 || s.user_oid == user_oid) &&
                       (database_oid == 0 || s.database_oid == database_oid) &&
                       (query_id == 0 || s.query_id == query_id);
    it = match ? entries_.erase(it) : std::next(it);
  }
}

int64_t StatStatements::stats_reset_us() const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  return reset_us_;
}

int64_t StatStatements::deallocations() const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  return dealloc_;
}

int64_t RowsOfTag(std::string_view tag) {
  static constexpr std::string_view kCounted[] = {"SELECT", "INSERT", "UPDATE", "DELETE",
                                                  "COPY",   "FETCH",  "MOVE",   "MERGE"};
  const size_t space = tag.find(' ');
  if (space == std::string_view::npos) return 0;
  const std::string_view command = tag.substr(0, space);
  if (std::find(std::begin(kCounted), std::end(kCounted), command) == std::end(kCounted)) {
    return 0;
  }
  const size_t last = tag.rfind(' ');
  int64_t n = 0;
  for (char c : tag.substr(last + 1)) {
    if (c < '0' || c > '9') return 0;
    n = n * 10 + (c - '0');
  }
  return n;
}

}  // namespace activestore::executor
