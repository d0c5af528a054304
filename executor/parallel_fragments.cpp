#include "executor/parallel_fragments.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <thread>

#include "common/error.h"
#include "executor/expression_evaluator.h"
#include "executor/operators/operator.h"

namespace activestore::executor {

using planner::BoundExprKind;
using planner::PlanKind;

namespace {

// The threads of parallel workers: a task runs at once, on an idle thread or a new one (never
// queued behind another statement's workers, which may wait for their leader for as long as
// its client does not read). Threads idle for a minute exit.
class FragmentThreads {
 public:
  static FragmentThreads& Get() {
    static FragmentThreads* threads = new FragmentThreads();  // never destroyed: detached users
    return *threads;
  }

  void Submit(std::function<void()> task) {
    std::unique_lock lock(mu_);
    tasks_.push_back(std::move(task));
    if (idle_ >= tasks_.size()) {
      cv_.notify_one();
      return;
    }
    std::thread([this] { Loop(); }).detach();
  }

 private:
  void Loop() {
    std::unique_lock lock(mu_);
    for (;;) {
      if (tasks_.empty()) {
        ++idle_;
        bool woke = cv_.wait_for(lock, std::chrono::minutes(1), [&] { return !tasks_.empty(); });
        --idle_;
        if (!woke) return;
      }
      std::function<void()> task = std::move(tasks_.front());
      tasks_.pop_front();
      lock.unlock();
      task();
      task = nullptr;
      lock.lock();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;  // GUARDED_BY(mu_)
  size_t idle_ = 0;                          // GUARDED_BY(mu_)
};

// Functions that read or change session state, have side effects, or whose result depends on
// the thread (PostgreSQL's parallel-restricted and parallel-unsafe functions among ours).
bool ParallelUnsafeFunction(std::string_view name) {
  static constexpr std::string_view kUnsafe[] = {"nextval",
                                                 "currval",
                                                 "setval",
                                                 "lastval",
                                                 "random",
                                                 "setseed",
                                                 "set_config",
                                                 "pg_sleep",
                                                 "current_setting",
                                                 "pg_advisory_unlock_all",
                                                 "pg_cancel_backend",
                                                 "pg_terminate_backend",
                                                 "pg_notify",
                                                 "pg_listening_channels",
                                                 "pg_notification_queue_usage",
                                                 "pg_get_serial_sequence",
                                                 "create_hypertable",
                                                 "drop_chunks",
                                                 "add_retention_policy",
                                                 "remove_retention_policy"};
  for (std::string_view u : kUnsafe) {
    if (name == u) return true;
  }
  return name.starts_with("pg_advisory") || name.starts_with("pg_try_advisory");
}

// A setting of the statement's session, or "" (hand-made contexts have none).
std::string Setting(const ExecContext& ctx, const std::string& name) {
  if (!ctx.get_setting) return "";
  return ctx.get_setting(name).value_or("");
}

// min_parallel_table_scan_size in bytes, from its display form ("0", "64kB", "8MB", ...).
int64_t ScanSizeBytes(const std::string& v) {
  size_t i = 0;
  while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) ++i;
  if (i == 0) return 0;
  int64_t n = std::stoll(v.substr(0, i));
  const std::string_view unit = std::string_view(v).substr(i);
  const int64_t factor = unit == "kB"   ? 1024
                         : unit == "MB" ? 1024 * 1024
                         : unit == "GB" ? int64_t{1024} * 1024 * 1024
                         : unit == "TB" ? int64_t{1024} * 1024 * 1024 * 1024
                                        : 8192;  // a bare number counts 8kB blocks
  return n * factor;
}

}  // namespace

bool ParallelSafe(const planner::BoundExprPtr& expr) {
  if (!expr) return true;
  switch (expr->kind) {
    case BoundExprKind::kSubquery:
    case BoundExprKind::kExists:
    case BoundExprKind::kInSubquery:
    case BoundExprKind::kOuterColumn:
    case BoundExprKind::kAggregate:
      return false;
    case BoundExprKind::kFunction:
      if (expr->user_function || ParallelUnsafeFunction(expr->op)) return false;
      break;
    default:
      break;
  }
  if (expr->subquery) return false;
  return std::all_of(expr->children.begin(), expr->children.end(),
                     [](const planner::BoundExprPtr& c) { return ParallelSafe(c); });
}

int ParallelFragments::MaxWorkers(const ExecContext& ctx) {
  const std::string v = Setting(ctx, "max_parallel_workers_per_gather");
  if (v.empty() || !std::isdigit(static_cast<unsigned char>(v[0]))) return 0;
  return std::stoi(v);
}

namespace {

// parallel_leader_participation (on without settings, as PostgreSQL's default).
bool LeaderParticipates(const ExecContext& ctx) {
  return Setting(ctx, "parallel_leader_participation") != "off";
}

}  // namespace

size_t ParallelFragments::MostParticipants(const ExecContext& ctx, size_t fragments) {
  const int workers = MaxWorkers(ctx);
  if (workers <= 0) return 1;
  return std::min(fragments, static_cast<size_t>(workers) + (LeaderParticipates(ctx) ? 1 : 0));
}

bool ParallelFragments::ParallelSafe(const std::vector<planner::BoundExprPtr>& exprs) {
  return std::all_of(exprs.begin(), exprs.end(),
                     [](const planner::BoundExprPtr& e) { return executor::ParallelSafe(e); });
}

const planner::PlanNode* ParallelFragments::GatherOf(const planner::PlanNode& input,
                                                     const planner::PlanNode** project) {
  *project = nullptr;
  if (input.kind == PlanKind::kGather) return &input;
  if (input.kind == PlanKind::kProject && input.children.size() == 1 &&
      input.children[0]->kind == PlanKind::kGather && ParallelSafe(input.exprs)) {
    *project = &input;
    return input.children[0].get();
  }
  return nullptr;
}

std::unique_ptr<ParallelFragments> ParallelFragments::Start(const planner::PlanNode& gather,
                                                            ExecState& st, bool ordered, Sink sink,
                                                            const planner::PlanNode* project,
                                                            const ScanTopN* top_n) {
  const ExecContext& ctx = st.ctx;
  const size_t n = gather.children.size();
  if (ctx.txn == nullptr || n < 2 || !st.outer_rows.empty()) return nullptr;
  const int max_workers = MaxWorkers(ctx);
  if (max_workers <= 0) return nullptr;
  for (const auto& c : gather.children) {
    if (c->kind != PlanKind::kShardScan || c->emit_row_location || !c->table) return nullptr;
    if (!executor::ParallelSafe(c->predicate)) return nullptr;
    if (c->sample &&
        (!executor::ParallelSafe(c->sample->percent) || !executor::ParallelSafe(c->sample->seed))) {
      return nullptr;
    }
  }
  // Big enough: the first shard's size times the shards, against min_parallel_table_scan_size.
  const int64_t min_bytes = ScanSizeBytes(Setting(ctx, "min_parallel_table_scan_size"));
  if (min_bytes > 0) {
    if (ctx.catalog == nullptr) return nullptr;
    const planner::PlanNode& first = *gather.children[0];
    const uint64_t shard_bytes =
        storage::ApproximateBytes(ctx.catalog->engine(), first.table->ShardTable(first.shard));
    if (shard_bytes * n < static_cast<uint64_t>(min_bytes)) return nullptr;
  }
  // The unordered Gather's leader takes a reader too and runs fragments beside its workers.
  const bool leader = !ordered && LeaderParticipates(ctx);
  const size_t degree =
      leader ? MostParticipants(ctx, n) : std::min(n, static_cast<size_t>(max_workers));
  // Under READ COMMITTED a snapshot transaction is a lone read (or an implicit transaction,
  // whose statements each take a snapshot): its snapshot may be taken again now. Under
  // REPEATABLE READ and SERIALIZABLE it was taken at the transaction's first statement.
  const bool may_move = Setting(ctx, "transaction_isolation") == "read committed";
  std::unique_ptr<storage::ReaderGroup> readers = storage::BeginReaders(ctx.txn, degree, may_move);
  if (!readers || readers->readers().empty()) return nullptr;
  std::unique_ptr<ParallelFragments> p(new ParallelFragments(
      gather, ordered, std::move(sink), project, std::move(readers), ctx, top_n));
  // The threads: every participant but the leader (counted before any starts: each one
  // decrements running_ when it ends).
  const size_t threads = leader ? p->workers_.size() - 1 : p->workers_.size();
  if (leader) p->leader_ = threads;
  p->running_ = threads;
  started_.fetch_add(1, std::memory_order_relaxed);
  for (size_t i = 0; i < threads; ++i) {
    FragmentThreads::Get().Submit([raw = p.get(), i] { raw->Run(i); });
  }
  return p;
}

ParallelFragments::ParallelFragments(const planner::PlanNode& gather, bool ordered, Sink sink,
                                     const planner::PlanNode* project,
                                     std::unique_ptr<storage::ReaderGroup> readers,
                                     const ExecContext& leader, const ScanTopN* top_n)
    : gather_(gather),
      ordered_(ordered),
      sink_(std::move(sink)),
      project_(project),
      readers_(std::move(readers)) {
  const auto& txns = readers_->readers();
  workers_.resize(txns.size());
  for (size_t i = 0; i < txns.size(); ++i) {
    workers_[i].ctx = leader;
    workers_[i].ctx.txn = txns[i];  // fragments are plain shard scans: no Gather inside
  }
  // ExecState keeps a reference to its context: made once the vector no longer moves.
  for (Worker& w : workers_) {
    w.state = std::make_unique<ExecState>(w.ctx);
    w.state->scan_top_n = top_n;
  }
  queues_.resize(ordered ? gather.children.size() : 1);
  done_.assign(gather.children.size(), false);
  running_ = workers_.size();
}

ParallelFragments::~ParallelFragments() {
  std::unique_lock lock(mu_);
  stop_ = true;
  space_cv_.notify_all();
  data_cv_.wait(lock, [&] { return running_ == 0; });
  queues_.clear();
}

void ParallelFragments::Run(size_t index) {
  Participate(index);
  std::lock_guard lock(mu_);
  --running_;
  data_cv_.notify_all();
}

void ParallelFragments::Participate(size_t index) {
  Worker& w = workers_[index];
  try {
    if (ordered_) {
      RunOrdered(index, w);
    } else {
      RunUnordered(index, w);
    }
  } catch (...) {
    std::lock_guard lock(mu_);
    if (!error_) error_ = std::current_exception();
    stop_ = true;
    space_cv_.notify_all();
  }
}

void ParallelFragments::RunUnordered(size_t index, Worker& w) {
  for (;;) {
    size_t i;
    {
      std::lock_guard lock(mu_);
      if (stop_ || next_fragment_ >= gather_.children.size()) return;
      i = next_fragment_++;
    }
    OperatorPtr op = BuildOperator(*gather_.children[i], *w.state);
    DataChunk chunk, projected;
    while (op->Next(&chunk)) {
      if (sink_ && project_) {
        projected = DataChunk();
        projected.columns.resize(project_->exprs.size());
        for (size_t e = 0; e < project_->exprs.size(); ++e) {
          EvaluateExpression(*project_->exprs[e], chunk, *w.state, &projected.columns[e]);
        }
        projected.size = chunk.size;
        sink_(index, *w.state, projected);
      } else if (sink_) {
        sink_(index, *w.state, chunk);
      } else {
        Push(0, std::move(chunk));
      }
      chunk = DataChunk();
      std::lock_guard lock(mu_);
      if (stop_) return;
    }
  }
}

void ParallelFragments::RunOrdered(size_t index, Worker& w) {
  // Worker `index` owns fragments index, index + workers, ...; it keeps each one's queue
  // filled, a batch at a time, so that the merge always has a batch of every fragment.
  std::vector<size_t> mine;
  for (size_t i = index; i < gather_.children.size(); i += workers_.size()) mine.push_back(i);
  std::vector<OperatorPtr> ops(mine.size());
  for (;;) {
    bool progressed = false, unfinished = false;
    for (size_t k = 0; k < mine.size(); ++k) {
      const size_t i = mine[k];
      {
        std::lock_guard lock(mu_);
        if (stop_) return;
        if (done_[i]) continue;
        unfinished = true;
        if (queues_[i].size() >= kQueueChunks) continue;
      }
      if (!ops[k]) ops[k] = BuildOperator(*gather_.children[i], *w.state);
      DataChunk chunk;
      bool got = ops[k]->Next(&chunk);
      if (!got) ops[k].reset();
      std::lock_guard lock(mu_);
      if (got) {
        queues_[i].push_back(std::move(chunk));
      } else {
        done_[i] = true;
      }
      data_cv_.notify_all();
      progressed = true;
    }
    if (!unfinished) return;
    if (!progressed) {
      std::unique_lock lock(mu_);
      space_cv_.wait(lock, [&] {
        if (stop_) return true;
        for (size_t i : mine) {
          if (!done_[i] && queues_[i].size() < kQueueChunks) return true;
        }
        return false;
      });
    }
  }
}

void ParallelFragments::Push(size_t queue, DataChunk&& chunk) {
  std::unique_lock lock(mu_);
  const size_t cap = kQueueChunks * workers_.size();
  space_cv_.wait(lock, [&] { return stop_ || queues_[queue].size() < cap; });
  if (stop_) return;
  queues_[queue].push_back(std::move(chunk));
  data_cv_.notify_all();
}

void ParallelFragments::Wait() {
  if (leader_ != SIZE_MAX) Participate(leader_);
  std::unique_lock lock(mu_);
  data_cv_.wait(lock, [&] { return running_ == 0; });
  if (error_) std::rethrow_exception(error_);
}

bool ParallelFragments::LeaderNext(DataChunk* out) {
  for (;;) {
    size_t i = 0;
    {
      std::lock_guard lock(mu_);
      if (error_) std::rethrow_exception(error_);
      if (!queues_[0].empty()) {
        *out = std::move(queues_[0].front());
        queues_[0].pop_front();
        space_cv_.notify_all();
        return true;
      }
      if (!leader_op_) {
        if (stop_ || next_fragment_ >= gather_.children.size()) return false;
        i = next_fragment_++;
      }
    }
    if (!leader_op_) leader_op_ = BuildOperator(*gather_.children[i], *workers_[leader_].state);
    if (leader_op_->Next(out)) return true;
    leader_op_.reset();
  }
}

bool ParallelFragments::Next(size_t fragment, DataChunk* out) {
  if (leader_ != SIZE_MAX && !ordered_ && LeaderNext(out)) return true;
  const size_t q = ordered_ ? fragment : 0;
  std::unique_lock lock(mu_);
  data_cv_.wait(lock, [&] {
    if (error_ || !queues_[q].empty() || running_ == 0) return true;
    return ordered_ && done_[fragment];
  });
  if (error_) std::rethrow_exception(error_);
  if (queues_[q].empty()) {
    out->Clear();
    return false;
  }
  *out = std::move(queues_[q].front());
  queues_[q].pop_front();
  space_cv_.notify_all();
  return true;
}

}  // namespace activestore::executor
