// ParallelFragments: the fragments (children) of one Gather run on worker threads, each worker
// with a storage reader of its own that reads exactly the statement's snapshot
// (storage::BeginReaders), its own ExecState and operator trees. The Gather's
// thread (the leader) takes their batches: in any order, or, for the merging Gather, per
// fragment. Unless parallel_leader_participation is off, the leader runs fragments too, as
// PostgreSQL's leader does, on a reader of its own (the last participant): in Wait() beside the
// workers, and in Next() whenever no worker's batch is waiting. The merging Gather's leader
// only merges.
//
// Invariants / concurrency:
// - A worker uses only its reader transaction, its ExecContext copy and its ExecState; the plan
//   is immutable and shared. Fragments are only ever kShardScans without row locations whose
//   expressions are parallel-safe (ParallelSafe), so nothing in them touches session state.
// - Batches wait in bounded queues (kQueueChunks per fragment when ordered, 2 per worker
//   otherwise), so memory is bounded when the leader stops pulling (a streamed result).
// - The first error of any worker stops the others and is rethrown by the leader's Next().
// - The destructor stops the workers and waits for them, including their operators' cursors,
//   before the readers go; it runs on the leader's thread before the leader transaction ends.
// - The leader's participant (its reader, ExecContext copy, ExecState, operator) is used on the
//   leader's thread only.
//
// Thread safety: Next() and the destructor on the leader's thread only.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "executor/exec_state.h"
#include "executor/operators/operator.h"
#include "executor/vector.h"
#include "planner/plan.h"
#include "storage/parallel_readers.h"

namespace activestore::executor {

// Whether an expression may run on a worker: no subqueries or outer references, no function
// with session state or side effects (sequences, settings, advisory locks, random, pg_sleep).
bool ParallelSafe(const planner::BoundExprPtr& expr);

class ParallelFragments {
 public:
  // Consumes batches on the workers' threads: (worker index, its ExecState, the batch).
  using Sink = std::function<void(size_t worker, ExecState& state, DataChunk& chunk)>;

  // Starts the workers for `gather`'s children when the statement allows it (a degree from
  // max_parallel_workers_per_gather, a transaction that can share its snapshot, a table at
  // least min_parallel_table_scan_size big, parallel-safe fragments); null otherwise (the
  // Gather then runs serially). `ordered`: Next(i) reads fragment i (the merging Gather).
  // With a `sink` (unordered only) the workers hand their batches to it instead of the leader
  // (partial aggregation); the leader calls Wait().
  // `project`, with a sink: a kProject over the gather whose exprs the workers apply first.
  // `top_n`: the key of a top-n sort over the gather, handed to the workers' scans
  // (ExecState::scan_top_n); it must outlive the workers.
  static std::unique_ptr<ParallelFragments> Start(const planner::PlanNode& gather, ExecState& st,
                                                  bool ordered, Sink sink = {},
                                                  const planner::PlanNode* project = nullptr,
                                                  const ScanTopN* top_n = nullptr);
  // The Gather that `input` (the child of an operator) reads: `input` itself, or the child of
  // a parallel-safe kProject (then *project is set to it); null for any other input.
  static const planner::PlanNode* GatherOf(const planner::PlanNode& input,
                                           const planner::PlanNode** project);
  // max_parallel_workers_per_gather of the statement's session (0 without settings).
  static int MaxWorkers(const ExecContext& ctx);
  // How many participants (workers, and the leader unless parallel_leader_participation is
  // off) an unordered Start over `fragments` fragments may have at most: the bound of the
  // worker index a sink is called with.
  static size_t MostParticipants(const ExecContext& ctx, size_t fragments);
  // `exprs` of an operator over the gather (grouping keys, aggregate arguments) may run on the
  // workers: all ParallelSafe.
  static bool ParallelSafe(const std::vector<planner::BoundExprPtr>& exprs);
  ~ParallelFragments();
  ParallelFragments(const ParallelFragments&) = delete;
  ParallelFragments& operator=(const ParallelFragments&) = delete;

  // The next batch (at least one row): of any fragment (`fragment` ignored) or, ordered, of
  // fragment `fragment`; false when there are none left. Rethrows a worker's error.
  bool Next(size_t fragment, DataChunk* out);

  // With a sink: waits until every fragment is consumed; rethrows a worker's error.
  void Wait();

  // The participants: worker threads, and the leader when it runs fragments.
  size_t workers() const { return workers_.size(); }
  // How many parallel gathers this process has started (for tests and /metrics).
  static uint64_t started() { return started_.load(std::memory_order_relaxed); }

 private:
  struct Worker {
    ExecContext ctx;
    std::unique_ptr<ExecState> state;
  };
  ParallelFragments(const planner::PlanNode& gather, bool ordered, Sink sink,
                    const planner::PlanNode* project, std::unique_ptr<storage::ReaderGroup> readers,
                    const ExecContext& leader, const ScanTopN* top_n);
  void RunUnordered(size_t index, Worker& w);
  void RunOrdered(size_t index, Worker& w);
  // A worker thread's body: Participate, then it counts as finished.
  void Run(size_t index);
  // Runs participant `index`'s share; the first error is kept for the leader (error_).
  void Participate(size_t index);
  // Next() of the unordered Gather whose leader participates: a worker's batch if one waits,
  // else one of the leader's own; false once no fragment is left to the leader.
  bool LeaderNext(DataChunk* out);
  void Push(size_t queue, DataChunk&& chunk);  // waits while the queue is full

  static constexpr size_t kQueueChunks = 2;
  static inline std::atomic<uint64_t> started_{0};

  const planner::PlanNode& gather_;
  const bool ordered_;
  const Sink sink_;
  const planner::PlanNode* project_;
  std::unique_ptr<storage::ReaderGroup> readers_;
  std::vector<Worker> workers_;
  // The leader's participant index (the last), or SIZE_MAX when it only gathers.
  size_t leader_ = SIZE_MAX;
  OperatorPtr leader_op_;  // the leader's current fragment (Next); goes before the readers

  std::mutex mu_;
  std::condition_variable data_cv_;            // the leader waits for a batch
  std::condition_variable space_cv_;           // workers wait for room
  std::vector<std::deque<DataChunk>> queues_;  // GUARDED_BY(mu_); one, or one per fragment
  std::vector<bool> done_;                     // GUARDED_BY(mu_); ordered: per fragment
  size_t next_fragment_ = 0;                   // GUARDED_BY(mu_); unordered
  size_t running_ = 0;                         // GUARDED_BY(mu_); workers not finished
  bool stop_ = false;                          // GUARDED_BY(mu_)
  std::exception_ptr error_;                   // GUARDED_BY(mu_)
};

}  // namespace activestore::executor
