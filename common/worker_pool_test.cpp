#include "common/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace activestore {
namespace {

TEST(WorkerPoolTest, RunsEveryTask) {
  std::atomic<int> done{0};
  {
    WorkerPool pool(2);
    for (int i = 0; i < 100; ++i) pool.Post([&] { ++done; });
    pool.Join();
  }
  EXPECT_EQ(done.load(), 100);
}

// Blocked tasks do not starve the others: with a base of 2 threads and 4 tasks blocked until
// a fifth task runs, the fifth still runs.
TEST(WorkerPoolTest, GrowsWhileThreadsAreBlocked) {
  WorkerPool pool(2);
  std::mutex mu;
  std::condition_variable cv;
  bool released = false;
  std::atomic<int> finished{0};
  for (int i = 0; i < 4; ++i) {
    pool.Post([&] {
      WorkerPool::BlockingRegion blocked;
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return released; });
      ++finished;
    });
  }
  pool.Post([&] {
    std::lock_guard lock(mu);
    released = true;
    cv.notify_all();
  });
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (finished.load() < 4 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(finished.load(), 4);
  pool.Join();
  EXPECT_EQ(pool.threads(), 0u);
}

}  // namespace
}  // namespace activestore
