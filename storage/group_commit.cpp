#include "storage/group_commit.h"

#include <algorithm>
#include <utility>

namespace activestore::storage {

void WriteSet::Add(std::string_view table, std::string_view key) {
  if (tables_.empty() || tables_[last_].name != table) {
    auto it = std::find_if(tables_.begin(), tables_.end(),
                           [&](const Table& t) { return t.name == table; });
    if (it == tables_.end()) it = tables_.insert(tables_.end(), Table{std::string(table), {}});
    last_ = static_cast<size_t>(it - tables_.begin());
  }
  Table& t = tables_[last_];
  if (t.whole) return;
  if (t.keys.size() == kMaxKeysPerTable) {
    t.whole = true;
    t.keys = {};
    return;
  }
  t.keys.emplace_back(key);
}

GroupCommit::GroupCommit(std::function<int()> flush) : flush_(std::move(flush)) {}

uint64_t GroupCommit::Begin(WriteSet writes) {
  std::lock_guard lock(mu_);
  const uint64_t ticket = ++last_ticket_;
  for (const WriteSet::Table& t : writes.tables_) {
    auto it = tables_.find(std::string_view(t.name));
    if (it == tables_.end()) it = tables_.emplace(t.name, TableEntry{}).first;
    TableEntry& e = it->second;
    e.newest = ticket;
    if (t.whole) e.whole = ticket;
    for (const std::string& k : t.keys) e.keys.insert_or_assign(k, ticket);
  }
  in_flight_.insert(ticket);
  pending_list_.push_back(Pending{ticket, std::move(writes)});
  pending_.store(pending_list_.size(), std::memory_order_release);
  last_ticket_atomic_.store(ticket, std::memory_order_release);
  ++stats_.commits;
  return ticket;
}

void GroupCommit::End(uint64_t ticket) {
  std::lock_guard lock(mu_);
  const bool was_first = !in_flight_.empty() && *in_flight_.begin() == ticket;
  in_flight_.erase(ticket);
  // Waiters for later tickets may lead a flush now.
  if (was_first) cv_.notify_all();
}

int GroupCommit::WaitDurable(uint64_t ticket) {
  std::unique_lock lock(mu_);
  if (durable_ >= ticket) return 0;
  ++stats_.waits;
  while (durable_ < ticket) {
    // A flush now would not cover a ticket still being committed at or below ours.
    if (flushing_ || hold_ || (!in_flight_.empty() && *in_flight_.begin() <= ticket)) {
      cv_.wait(lock);
      continue;
    }
    flushing_ = true;
    const uint64_t target = in_flight_.empty() ? last_ticket_ : *in_flight_.begin() - 1;
    lock.unlock();
    const int ret = flush_();
    lock.lock();
    flushing_ = false;
    ++stats_.flushes;
    if (ret != 0) {
      cv_.notify_all();
      return ret;
    }
    Publish(target);
    cv_.notify_all();
  }
  return 0;
}

void GroupCommit::Publish(uint64_t durable) {
  if (durable <= durable_) return;
  durable_ = durable;
  durable_atomic_.store(durable, std::memory_order_release);
  while (!pending_list_.empty() && pending_list_.front().ticket <= durable) {
    const Pending& p = pending_list_.front();
    for (const WriteSet::Table& t : p.writes.tables_) {
      auto it = tables_.find(std::string_view(t.name));
      if (it == tables_.end()) continue;
      TableEntry& e = it->second;
      if (e.newest <= durable) {
        tables_.erase(it);  // every registration of the table is at or below `durable`
        continue;
      }
      for (const std::string& k : t.keys) {
        auto k_it = e.keys.find(std::string_view(k));
        if (k_it != e.keys.end() && k_it->second <= durable) e.keys.erase(k_it);
      }
      if (e.whole <= durable) e.whole = 0;
    }
    pending_list_.pop_front();
  }
  pending_.store(pending_list_.size(), std::memory_order_release);
}

uint64_t GroupCommit::PendingKey(std::string_view table, std::string_view key) const {
  std::lock_guard lock(mu_);
  auto it = tables_.find(table);
  if (it == tables_.end()) return 0;
  const TableEntry& e = it->second;
  uint64_t ticket = e.whole;
  if (auto k = e.keys.find(key); k != e.keys.end()) ticket = std::max(ticket, k->second);
  return ticket > durable_ ? ticket : 0;
}

uint64_t GroupCommit::PendingTable(std::string_view table) const {
  std::lock_guard lock(mu_);
  auto it = tables_.find(table);
  if (it == tables_.end() || it->second.newest <= durable_) return 0;
  return it->second.newest;
}

void GroupCommit::HoldFlushesForTesting(bool hold) {
  std::lock_guard lock(mu_);
  hold_ = hold;
  cv_.notify_all();
}

GroupCommit::Stats GroupCommit::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

}  // namespace activestore::storage
