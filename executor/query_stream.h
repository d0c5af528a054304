// QueryStream: the ResultStream of a read run by a SessionImpl (Session::ExecuteStreaming).
// It owns the statement's execution (plan, ExecContext, PlanRun) and pulls batches from it on
// demand; the session owns the transaction it reads in.
//
// Invariants / lifetime:
// - A stream reads in the transaction that was open when it started (the statement's or the
//   block's) and never outlives it: every path that ends that transaction (commit at the end of
//   a statement or at Sync, COMMIT/ROLLBACK/PREPARE TRANSACTION, an error, ROLLBACK TO a
//   savepoint set before the stream started) first closes the session's open streams
//   (SessionImpl::CloseStreams), which releases their operators and storage cursors.
// - The statement-level end of a read (the commit of an implicit transaction, or its deferral to
//   Sync) happens when the last row has been pulled, not when the stream is opened.
// - An error while pulling fails the statement as an error in Execute does
//   (SessionImpl::FailStatementOnError): the statement's transaction rolls back or the block
//   fails, and every open stream is closed as failed.
//
// Thread safety: as SessionImpl (one thread at a time).
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "common/metrics.h"
#include "executor/engine.h"
#include "executor/executor.h"
#include "executor/result_batch.h"
#include "executor/vector.h"
#include "planner/plan.h"

namespace activestore::executor {

class SessionImpl;

class QueryStream : public ResultStream {
 public:
  // Builds the operator tree of `plan` over ctx.txn and registers with the session. Throws
  // Error (then nothing is registered).
  QueryStream(SessionImpl* session, planner::PlanPtr plan, ExecContext ctx);
  ~QueryStream() override;
  QueryStream(const QueryStream&) = delete;
  QueryStream& operator=(const QueryStream&) = delete;

  void Resume() override;
  const ResultBatch* Next(size_t max_rows) override;
  State state() const override { return state_; }
  std::vector<Notice> TakeNotices() override;

  // The number of savepoints open when the stream started: ROLLBACK TO one of those closes it.
  size_t savepoint_depth() const { return savepoint_depth_; }
  // Ends the stream without finishing its statement (its transaction is ending, or failed):
  // releases the operators and cursors. REQUIRES: state() == kOpen.
  void Close(State why);
  // Times and counts the statement (/metrics): completed when the last row is out or the
  // stream is closed with its transaction, an error when it fails.
  void AdoptMeter(std::unique_ptr<metrics::StatementMeter> meter) { meter_ = std::move(meter); }
  // The session is going away first (a caller broke the contract): forget it.
  void Detach() { session_ = nullptr; }

 private:
  void Release();

  SessionImpl* session_;
  planner::PlanPtr plan_;
  std::unique_ptr<ExecContext> ctx_;
  std::unique_ptr<PlanRun> run_;
  size_t savepoint_depth_ = 0;
  State state_ = State::kOpen;
  DataChunk chunk_;  // the current batch of the plan; rows before pos_ were delivered
  size_t pos_ = 0;
  uint64_t rows_ = 0;  // rows delivered so far
  ResultBatch batch_;
  std::unique_ptr<metrics::StatementMeter> meter_;
};

}  // namespace activestore::executor
