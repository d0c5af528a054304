#include "executor/query_stream.h"

#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <utility>

#include "executor/session.h"

namespace activestore::executor {

QueryStream::QueryStream(SessionImpl* session, planner::PlanPtr plan, ExecContext ctx)
    : session_(session),
      plan_(std::move(plan)),
      ctx_(std::make_unique<ExecContext>(std::move(ctx))) {
  run_ = std::make_unique<PlanRun>(*plan_, *ctx_);
  savepoint_depth_ = session_->savepoints_.size();
  session_->streams_.push_back(this);
}

QueryStream::~QueryStream() {
  Release();
  if (session_ == nullptr) return;
  auto& streams = session_->streams_;
  streams.erase(std::remove(streams.begin(), streams.end(), this), streams.end());
}

void QueryStream::Release() {
  run_.reset();  // operators (and their storage cursors) before the context they read
  ctx_.reset();
  chunk_ = DataChunk();
  pos_ = 0;
}

void QueryStream::Close(State why) {
  Release();
  state_ = why;
  if (meter_ && why != State::kFailed) meter_->Completed(fmt::format("SELECT {}", rows_));
  meter_.reset();
}

void QueryStream::Resume() {
  if (session_ == nullptr) return;
  if (session_->status_ == TxnStatus::kFailed) {
    Throw(SqlState::kInFailedSqlTransaction,
          "current transaction is aborted, commands ignored until end of transaction block");
  }
  if (state_ != State::kOpen) return;
  session_->cancel_.store(false);
  session_->StartStatementClock();
  ctx_->deadline = session_->statement_deadline_;
}

const ResultBatch* QueryStream::Next(size_t max_rows) {
  if (session_ == nullptr || state_ != State::kOpen) {
    Throw(SqlState::kInternalError, "result stream is not open");
  }
  struct FailOnError {  // the stream that failed is done, whatever else the session keeps
    QueryStream* s;
    int exceptions = std::uncaught_exceptions();
    ~FailOnError() {
      if (std::uncaught_exceptions() > exceptions && s->state_ == State::kOpen) {
        s->Close(State::kFailed);
      }
    }
  } fail_on_error{this};
  return session_->FailStatementOnError([&]() -> const ResultBatch* {
    if (pos_ >= chunk_.size) {
      pos_ = 0;
      bool more = false;
      try {
        more = run_->Next(&chunk_);
      } catch (const StatementRestart&) {
        // Reads do not restart; a row lock met in a subquery ends the statement instead.
        Throw(SqlState::kSerializationFailure,
              "could not serialize access due to concurrent update");
      }
      if (!more) {
        // The last row is out: the statement is complete (its implicit transaction commits
        // now, or at Sync when deferred). The stream stays open until that succeeds, so that a
        // failing commit closes it as failed.
        Release();
        session_->FinishStatementTxn(true);
        state_ = State::kDone;
        if (meter_) meter_->Completed(fmt::format("SELECT {}", rows_));
        meter_.reset();
        return nullptr;
      }
    }
    size_t n = chunk_.size - pos_;
    if (max_rows > 0) n = std::min(n, max_rows);
    batch_.Reset(&chunk_, pos_, pos_ + n, &ctx_->format);
    pos_ += n;
    rows_ += n;
    return &batch_;
  });
}

std::vector<Notice> QueryStream::TakeNotices() {
  if (session_ == nullptr) return {};
  return std::exchange(session_->pending_notices_, {});
}

}  // namespace activestore::executor
