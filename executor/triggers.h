// Triggers at run time (docs/design/2026-12-06-plpgsql.md, "Triggers"): the DML operators
// (executor/operators/insert.cpp, update.cpp, delete.cpp), COPY FROM and TRUNCATE fire the
// triggers of their table through one TableTriggers per statement and event. BEFORE ROW
// triggers run as each row is about to be written and may change it or skip it; AFTER ROW
// triggers are queued and run when the statement's rows are written (after the foreign key
// checks), row by row, each row's triggers in name order; statement triggers run once, also
// for zero rows. Trigger functions are PL/pgSQL (executor/plpgsql.h).
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "common/value.h"
#include "executor/executor.h"
#include "parser/ast.h"
#include "storage/catalog.h"
#include "storage/table_store.h"

namespace activestore::executor {

// `SELECT cond` for a trigger's WHEN condition on `table`, parsed, with the whole-row references
// NEW.*, OLD.*, NEW and OLD turned into ROW(new.a, new.b, ...): planned with the columns of
// NEW and OLD as parameters named new.a, old.a, ...
ast::StatementPtr ParseTriggerWhen(const std::string& when, const storage::TableInfo& table);

// The nesting of trigger firings on this thread: pg_trigger_depth().
int TriggerDepth();

class TableTriggers {
 public:
  // The enabled triggers of `table` for `event` (TriggerInfo::kInsert, kUpdate, kDelete or
  // kTruncate). `updated_columns`: the columns an UPDATE assigns (for UPDATE OF). Without
  // `statement_triggers` (an inheritance child's part of a statement) only row triggers fire.
  TableTriggers(const storage::TableInfo& table, int16_t event, ExecContext& ctx,
                const std::vector<int>& updated_columns = {}, bool statement_triggers = true);
  TableTriggers(const TableTriggers&) = delete;
  TableTriggers& operator=(const TableTriggers&) = delete;

  bool has_before_row() const { return !before_row_.empty(); }
  bool has_instead_row() const { return !instead_row_.empty(); }

  // BEFORE STATEMENT triggers.
  void BeforeStatement();
  // BEFORE ROW triggers in name order, each seeing the row the previous one returned. false:
  // one returned NULL (the row is not written). *new_row becomes the row to write (INSERT,
  // UPDATE); old_row is the row as stored (UPDATE, DELETE).
  bool BeforeRow(const storage::Row* old_row, storage::Row* new_row);
  // INSTEAD OF ROW triggers (views): false if one returned NULL (the row does not count).
  bool InsteadRow(const storage::Row* old_row, storage::Row* new_row);
  // Queues the AFTER ROW triggers of a written row (and keeps it for transition tables).
  void AfterRow(const storage::Row* old_row, const storage::Row* new_row);
  // The rows queued for AFTER ROW triggers so far, and running those of queued row i now
  // (MERGE runs the queued rows of its three events in the statement's order, then the AFTER
  // STATEMENT triggers); AfterStatement skips the rows already run.
  size_t queued() const { return queue_.size(); }
  void RunQueued(size_t i);
  // Runs the queued AFTER ROW triggers, then the AFTER STATEMENT ones.
  void AfterStatement();

 private:
  struct Fired {
    const storage::TriggerInfo* trigger;
    std::shared_ptr<const storage::FunctionInfo> function;
  };
  // Runs one trigger (its WHEN first, for row triggers); the row its function returned.
  std::optional<storage::Row> Fire(const Fired& f, const storage::Row* old_row,
                                   const storage::Row* new_row, bool* ran);
  // BEFORE or INSTEAD OF ROW triggers `list` in order (BeforeRow, InsteadRow).
  bool RowTriggers(const std::vector<Fired>& list, const storage::Row* old_row,
                   storage::Row* new_row);
  bool WhenHolds(const storage::TriggerInfo& t, const storage::Row* old_row,
                 const storage::Row* new_row);

  const storage::TableInfo& table_;
  int16_t event_;
  ExecContext& ctx_;
  std::vector<Fired> before_stmt_, before_row_, after_row_, after_stmt_, instead_row_;
  struct Queued {
    std::optional<storage::Row> old_row, new_row;
    bool done = false;  // run by RunQueued
  };
  std::vector<Queued> queue_;
  // The statement's old and new rows, for the AFTER triggers' transition tables.
  bool want_old_table_ = false, want_new_table_ = false;
  std::vector<storage::Row> old_table_, new_table_;
};

}  // namespace activestore::executor
