// WorkerPool: the threads that run statements. It keeps `base` threads runnable and grows
// while some of its threads are blocked in a long wait (a lock wait), so that a session
// waiting for a lock never keeps the lock holder's COMMIT from running. Threads beyond the
// base exit once they find no work.
//
// Code that is about to block for an unbounded time wraps the wait in a BlockingRegion; the
// region is a no-op on threads that do not belong to a pool.
//
// Thread safety: thread-safe.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

namespace activestore {

class WorkerPool {
 public:
  explicit WorkerPool(size_t base);
  ~WorkerPool();  // Join()s
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Runs task on a pool thread. After Join() tasks are dropped.
  void Post(std::function<void()> task);
  // Runs the queued tasks to the end, then waits for every thread to exit.
  void Join();

  // Marks the calling thread as blocked (for example waiting for a lock) while it lives.
  class BlockingRegion {
   public:
    BlockingRegion();
    ~BlockingRegion();
    BlockingRegion(const BlockingRegion&) = delete;
    BlockingRegion& operator=(const BlockingRegion&) = delete;

   private:
    WorkerPool* pool_;
  };

  size_t threads() const;
  size_t blocked() const;

 private:
  void Run(bool extra);
  void StartThreadLocked(bool extra);  // REQUIRES: mu_ held
  // Starts a thread if work waits, no thread is idle and fewer than base_ are runnable.
  void MaybeGrowLocked();  // REQUIRES: mu_ held

  const size_t base_;
  mutable std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable exit_cv_;
  std::deque<std::function<void()>> tasks_;  // GUARDED_BY(mu_)
  size_t threads_ = 0;                       // GUARDED_BY(mu_)
  size_t idle_ = 0;                          // GUARDED_BY(mu_)
  size_t blocked_ = 0;                       // GUARDED_BY(mu_)
  bool stopping_ = false;                    // GUARDED_BY(mu_)
};

}  // namespace activestore
