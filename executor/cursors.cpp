// Cursors: DECLARE, FETCH, MOVE, CLOSE and pg_cursors, as PostgreSQL has them.
//
// A cursor is a QueryStream over its query (the same streaming read as an Execute with a row
// limit), opened in the block's transaction, plus the rows read from it so far: FETCH reads
// only as far as it needs, so `FETCH 100` over a large table returns at once. The rows read are
// kept while the cursor may move backward (anything but NO SCROLL), so PRIOR, ABSOLUTE and
// RELATIVE work on any query; a NO SCROLL cursor keeps none. Rows are kept as Values and
// formatted by each FETCH, with that FETCH's result formats.
//
// Lifetime, as in PostgreSQL: a cursor without HOLD closes when its transaction ends; a WITH
// HOLD cursor reads its remaining rows when the transaction commits and lives on until CLOSE or
// the end of the session (a rollback of the transaction that declared it closes it);
// ROLLBACK TO closes the cursors declared after the savepoint, but not what earlier cursors
// read meanwhile; a cursor whose read failed can only be closed ("portal cannot be run").
#include <fmt/format.h>

#include <algorithm>

#include "executor/query_stream.h"
#include "executor/result_batch.h"
#include "executor/session.h"
#include "storage/catalog.h"
#include "storage/user_txn.h"

namespace activestore::executor {

namespace {

[[noreturn]] void ForwardOnly() {
  throw Error(SqlState::kObjectNotInPrerequisiteState, "cursor can only scan forward")
      .Hint("Declare it with SCROLL option to enable backward scan.");
}

}  // namespace

QueryResult SessionImpl::RunDeclareCursor(const StatementImpl& st,
                                          const ast::DeclareCursorStatement& s,
                                          const Params& params) {
  if (status_ == TxnStatus::kIdle && !s.hold) {
    Throw(SqlState::kNoActiveSqlTransaction,
          "DECLARE CURSOR can only be used in transaction blocks");
  }
  if (cursors_.count(s.name)) {
    Throw(SqlState::kDuplicateCursor, "cursor \"{}\" already exists", s.name);
  }
  if (s.binary) {
    Throw(SqlState::kFeatureNotSupported, "binary cursors are not supported yet");
  }
  // The cursor's own statement, re-parsed from the query's text so that it owns its tree.
  auto query = std::make_shared<StatementImpl>();
  query->sql_ = s.query_text;
  std::vector<ast::StatementPtr> stmts = ParseText(s.query_text, false);
  if (stmts.size() != 1) Throw(SqlState::kSyntaxError, "DECLARE needs exactly one query");
  query->ast_ = std::shared_ptr<const ast::Statement>(std::move(stmts[0]));
  std::vector<Type> ptypes;
  planner::PlanPtr plan = PlanFor(*query, &ptypes);
  if (FirstDmlCte(*plan) != nullptr) {
    Throw(SqlState::kFeatureNotSupported,
          "DECLARE CURSOR must not contain data-modifying statements in WITH");
  }
  if (FindLockRows(*plan) != nullptr) {
    Throw(SqlState::kFeatureNotSupported,
          "DECLARE CURSOR ... FOR UPDATE/SHARE is not supported yet");
  }
  if (!CatalogView()->functions.empty() && CallsVolatileFunction(*plan)) {
    Throw(SqlState::kFeatureNotSupported,
          "a cursor over a query that calls a volatile SQL function is not supported yet");
  }
  // Which snapshot the cursor reads, so that it sees the data as of DECLARE, as PostgreSQL's
  // cursors do: REPEATABLE READ and SERIALIZABLE read in the block's transaction (its one
  // snapshot; a later write in the block first makes them read the rest). READ COMMITTED,
  // which has no fixed snapshot, reads in a snapshot of its own when the block has written
  // nothing yet, and reads every row at DECLARE otherwise (it must see those writes).
  std::unique_ptr<storage::Transaction> own_txn;
  bool read_all_now = status_ == TxnStatus::kIdle;
  if (status_ == TxnStatus::kInBlock &&
      settings_.Get("transaction_isolation") == "read committed") {
    bool wrote = false;
    if (block_txn_) {
      auto* ctxn = static_cast<storage::CatalogTxn*>(block_txn_.get());
      // (DDL writes the system tables through the same transaction.)
      wrote = static_cast<storage::UserTransaction*>(ctxn->inner())->wrote();
    }
    if (wrote) {
      read_all_now = true;
    } else {
      own_txn = NewTxn(/*snapshot_reads=*/true);
    }
  }
  bool was_streaming = stream_results_;
  stream_results_ = true;
  stream_txn_override_ = own_txn.get();
  QueryResult r;
  try {
    r = RunQuery(*query, params);
  } catch (...) {
    stream_results_ = was_streaming;
    stream_txn_override_ = nullptr;
    throw;
  }
  stream_results_ = was_streaming;
  stream_txn_override_ = nullptr;
  if (r.stream == nullptr) {
    Throw(SqlState::kInternalError, "the query of cursor \"{}\" did not stream", s.name);
  }
  auto c = std::make_unique<Cursor>();
  c->name = s.name;
  c->statement = st.sql_;
  c->columns = std::move(r.columns);
  c->txn = std::move(own_txn);
  c->stream = std::move(r.stream);
  c->on_block_txn = c->txn == nullptr && status_ != TxnStatus::kIdle;
  c->scroll = !s.no_scroll;
  c->scroll_declared = s.scroll;
  c->hold = s.hold;
  c->in_block = status_ != TxnStatus::kIdle;
  c->depth = savepoints_.size();
  c->created_us = status_ == TxnStatus::kIdle ? NowMicrosSince2000() : block_start_us_;
  Cursor* cursor = c.get();
  cursors_[s.name] = std::move(c);
  if (read_all_now) {
    // WITH HOLD outside a block (its implicit transaction commits now: the last read
    // completes the statement), or READ COMMITTED after the block wrote: every row now.
    try {
      while (CursorPull(cursor)) {
      }
    } catch (...) {
      cursors_.erase(s.name);
      throw;
    }
    if (status_ == TxnStatus::kIdle) cursor->in_block = false;
  }
  return Tagged("DECLARE CURSOR");
}

bool SessionImpl::CursorPull(Cursor* c) {
  if (c->stream == nullptr) return false;
  if (c->stream->state() != ResultStream::State::kOpen) {
    // Its transaction ended or failed under it.
    c->failed = true;
    Throw(SqlState::kObjectNotInPrerequisiteState, "portal \"{}\" cannot be run", c->name);
  }
  try {
    c->stream->Resume();
    const ResultBatch* b = c->stream->Next(0);
    if (b == nullptr) {
      c->stream.reset();
      return false;
    }
    for (size_t i = 0; i < b->size(); ++i) {
      std::vector<Value> row;
      row.reserve(b->column_count());
      for (size_t k = 0; k < b->column_count(); ++k) row.push_back(b->column(k).Get(b->row(i)));
      c->rows.push_back(std::move(row));
    }
    return true;
  } catch (const Error& e) {
    if (e.state() != SqlState::kInFailedSqlTransaction) c->failed = true;
    throw;
  }
}

QueryResult SessionImpl::RunFetch(const ast::FetchStatement& s) {
  using D = ast::FetchStatement::Direction;
  auto it = cursors_.find(s.name);
  if (it == cursors_.end()) {
    Throw(SqlState::kInvalidCursorName, "cursor \"{}\" does not exist", s.name);
  }
  Cursor& c = *it->second;
  if (c.failed) {
    Throw(SqlState::kObjectNotInPrerequisiteState, "portal \"{}\" cannot be run", c.name);
  }
  if (status_ == TxnStatus::kFailed) {
    Throw(SqlState::kInFailedSqlTransaction,
          "current transaction is aborted, commands ignored until end of transaction block");
  }
  // Whether row k (1-based) exists, reading as far as needed.
  auto have = [&](int64_t k) {
    while (c.known() < k && CursorPull(&c)) {
    }
    return k >= 1 && k <= c.known();
  };
  auto row = [&](int64_t k) -> const std::vector<Value>& { return c.rows[k - c.first - 1]; };
  auto on_row = [&] { return c.pos >= 1 && c.pos <= c.known(); };
  auto after_end = [&] {  // every row read: the position after the last
    while (CursorPull(&c)) {
    }
    return c.known() + 1;
  };
  std::vector<std::vector<Value>> out;
  int64_t moved = 0;
  auto take = [&](int64_t k) {
    c.pos = k;
    ++moved;
    if (!s.move) out.push_back(row(k));
  };
  const int64_t n = s.count;
  switch (s.direction) {
    case D::kForward:
      if (n == 0) {  // the current row again
        if (on_row()) {
          if (!c.scroll) ForwardOnly();
          take(c.pos);
        }
        break;
      }
      for (int64_t i = 0; i < n; ++i) {
        if (c.pos > c.known() && c.stream == nullptr) break;  // already after the last row
        if (!have(c.pos + 1)) {
          c.pos = c.known() + 1;
          break;
        }
        take(c.pos + 1);
      }
      break;
    case D::kBackward:
      if (n == 0) {
        if (on_row()) {
          if (!c.scroll) ForwardOnly();
          take(c.pos);
        }
        break;
      }
      if (!c.scroll) ForwardOnly();
      for (int64_t i = 0; i < n; ++i) {
        if (c.pos <= 1) {
          c.pos = 0;
          break;
        }
        take(c.pos - 1);
      }
      break;
    case D::kAbsolute:
      if (n > 0) {
        if (!c.scroll && n <= c.pos) ForwardOnly();
        if (have(n)) {
          take(n);
        } else {
          c.pos = c.known() + 1;
        }
      } else if (n < 0) {
        if (!c.scroll) ForwardOnly();
        int64_t k = after_end() + n;  // ABSOLUTE -1 is the last row
        if (k >= 1) {
          take(k);
        } else {
          c.pos = 0;
        }
      } else {
        if (!c.scroll && c.pos > 0) ForwardOnly();
        c.pos = 0;
      }
      break;
    case D::kRelative:
      if (n > 0) {
        int64_t k;
        if (__builtin_add_overflow(c.pos, n, &k)) k = INT64_MAX;
        if (have(k)) {
          take(k);
        } else {
          c.pos = c.known() + 1;
        }
      } else if (n < 0) {
        if (!c.scroll) ForwardOnly();
        int64_t from = c.pos > c.known() ? after_end() : c.pos;
        int64_t k = from + n;
        if (k >= 1) {
          take(k);
        } else {
          c.pos = 0;
        }
      } else if (on_row()) {
        if (!c.scroll) ForwardOnly();
        take(c.pos);
      }
      break;
  }
  if (!c.scroll) {
    // Nothing behind the position can be read again: drop it.
    int64_t keep_from = std::min(c.pos, c.known());
    if (keep_from > c.first) {
      c.rows.erase(c.rows.begin(), c.rows.begin() + (keep_from - c.first));
      c.first = keep_from;
    }
  }
  QueryResult r;
  if (s.move) {
    r.command_tag = fmt::format("MOVE {}", moved);
    return r;
  }
  r.returns_rows = true;
  r.columns = c.columns;
  FormatRows(std::move(out), &r.rows, settings_.format());
  r.command_tag = fmt::format("FETCH {}", r.rows.size());
  return r;
}

QueryResult SessionImpl::RunCloseCursor(const ast::CloseCursorStatement& s) {
  if (s.name.empty()) {
    cursors_.clear();
  } else if (cursors_.erase(s.name) == 0) {
    Throw(SqlState::kInvalidCursorName, "cursor \"{}\" does not exist", s.name);
  }
  return Tagged("CLOSE CURSOR");
}

void SessionImpl::CursorsBeforeCommit() {
  for (auto& [name, c] : cursors_) {
    if (!c->hold || c->failed || c->stream == nullptr) continue;
    while (CursorPull(c.get())) {
    }
  }
}

void SessionImpl::CursorsBeforeWrite() {
  for (auto& [name, c] : cursors_) {
    if (!c->on_block_txn || c->failed || c->stream == nullptr) continue;
    while (CursorPull(c.get())) {
    }
  }
}

void SessionImpl::CursorsAtEnd(bool committed) {
  for (auto it = cursors_.begin(); it != cursors_.end();) {
    Cursor& c = *it->second;
    bool keep = c.hold && !c.failed && c.stream == nullptr && (committed || !c.in_block);
    if (keep) {
      c.in_block = false;
      ++it;
    } else {
      it = cursors_.erase(it);
    }
  }
}

void SessionImpl::CursorsAtRollbackTo(size_t index) {
  for (auto it = cursors_.begin(); it != cursors_.end();) {
    if (it->second->in_block && it->second->depth > index) {
      it = cursors_.erase(it);
    } else {
      ++it;
    }
  }
}

std::optional<std::vector<ColumnDesc>> SessionImpl::DescribeCursor(const std::string& name) {
  auto it = cursors_.find(name);
  if (it == cursors_.end()) return std::nullopt;
  return it->second->columns;
}

std::vector<std::vector<Value>> SessionImpl::CursorRows() const {
  std::vector<std::vector<Value>> out;
  for (const auto& [name, c] : cursors_) {
    out.push_back({Value::Text(c->name), Value::Text(c->statement), Value::Bool(c->hold),
                   Value::Bool(c->binary), Value::Bool(c->scroll),
                   Value::Int(TypeId::kTimestampTz, c->created_us)});
  }
  return out;
}

}  // namespace activestore::executor
