#include "common/worker_pool.h"

#include <thread>

namespace activestore {

namespace {
thread_local WorkerPool* current_pool = nullptr;
}  // namespace

WorkerPool::WorkerPool(size_t base) : base_(base == 0 ? 1 : base) {
  std::lock_guard lock(mu_);
  for (size_t i = 0; i < base_; ++i) StartThreadLocked(false);
}

WorkerPool::~WorkerPool() { Join(); }

void WorkerPool::StartThreadLocked(bool extra) {
  ++threads_;
  std::thread([this, extra] { Run(extra); }).detach();
}

void WorkerPool::MaybeGrowLocked() {
  if (stopping_ || tasks_.empty() || idle_ > 0) return;
  if (threads_ - blocked_ < base_) StartThreadLocked(true);
}

void WorkerPool::Post(std::function<void()> task) {
  std::lock_guard lock(mu_);
  if (stopping_) return;
  tasks_.push_back(std::move(task));
  if (idle_ > 0) {
    work_cv_.notify_one();
  } else {
    MaybeGrowLocked();
  }
}

void WorkerPool::Run(bool extra) {
  current_pool = this;
  std::unique_lock lock(mu_);
  while (true) {
    if (tasks_.empty()) {
      // An extra thread leaves as soon as it finds nothing to do; so does every thread at
      // the end, and any thread while more than base_ are runnable.
      if (stopping_ || extra) break;
      ++idle_;
      work_cv_.wait(lock, [&] { return stopping_ || !tasks_.empty(); });
      --idle_;
      continue;
    }
    if (threads_ - blocked_ > base_ && extra) break;
    std::function<void()> task = std::move(tasks_.front());
    tasks_.pop_front();
    lock.unlock();
    task();
    task = nullptr;
    lock.lock();
  }
  --threads_;
  current_pool = nullptr;
  exit_cv_.notify_all();
}

void WorkerPool::Join() {
  std::unique_lock lock(mu_);
  // Drain first: tasks still queued run (they are statements that were already accepted).
  while (!tasks_.empty() && threads_ > 0) {
    work_cv_.notify_all();
    exit_cv_.wait_for(lock, std::chrono::milliseconds(10));
  }
  stopping_ = true;
  work_cv_.notify_all();
  exit_cv_.wait(lock, [&] { return threads_ == 0; });
}

size_t WorkerPool::threads() const {
  std::lock_guard lock(mu_);
  return threads_;
}

size_t WorkerPool::blocked() const {
  std::lock_guard lock(mu_);
  return blocked_;
}

WorkerPool::BlockingRegion::BlockingRegion() : pool_(current_pool) {
  if (pool_ == nullptr) return;
  std::lock_guard lock(pool_->mu_);
  ++pool_->blocked_;
  pool_->MaybeGrowLocked();
}

WorkerPool::BlockingRegion::~BlockingRegion() {
  if (pool_ == nullptr) return;
  std::lock_guard lock(pool_->mu_);
  --pool_->blocked_;
}

}  // namespace activestore
