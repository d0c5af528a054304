// Helpers shared by INSERT, UPDATE and DELETE: assignment casts to the column types, NOT NULL
// checks with PostgreSQL's error, and RETURNING rows.
#pragma once

#include <vector>

#include "executor/exec_state.h"
#include "executor/operators/operator.h"
#include "storage/catalog.h"
#include "storage/table_store.h"

namespace activestore::executor {

// Casts each value of row to its column's type (assignment cast: 22001 when a varchar(n) is
// too long). REQUIRES: row.size() == table.columns.size().
void ConformRow(const storage::TableInfo& table, storage::Row* row, ExecState& st);

// Sets the stored generated columns of row to their expressions (`generated`, a
// planner::PlanNode::generated list, over the table row) evaluated over it, in column order:
// PostgreSQL's ExecComputeStoredGenerated, after the BEFORE row triggers.
void ComputeGenerated(const std::vector<std::pair<int, planner::BoundExprPtr>>& generated,
                      const storage::TableInfo& table, storage::Row* row, ExecState& st);
// Whether the table has BEFORE ROW UPDATE triggers: then every generated column counts as
// updated by an UPDATE (PostgreSQL 15's extraUpdatedCols), for UPDATE OF triggers.
bool HasBeforeRowUpdateTriggers(const storage::TableInfo& table);

// Sets the `generated` columns of row to NULL: what a BEFORE row trigger sees in NEW of them
// (the values are computed after it).
void NullGenerated(const std::vector<std::pair<int, planner::BoundExprPtr>>& generated,
                   const storage::TableInfo& table, storage::Row* row);

// Throws 23502 `null value in column "x" of relation "t" violates not-null constraint` with
// detail `Failing row contains (...).` if a NOT NULL or primary key column is NULL.
void CheckNotNull(const storage::TableInfo& table, const storage::Row& row, ExecState& st);

// Throws 23514 `new row for relation "t" violates check constraint "c"` with detail `Failing
// row contains (...).` for the first of `checks` (bound over the table row, with `names`)
// that is false for row; NULL passes.
void CheckConstraints(const std::vector<planner::BoundExprPtr>& checks,
                      const std::vector<std::string>& names, const storage::TableInfo& table,
                      const storage::Row& row, ExecState& st);

// The constraints of the domains of the table's columns among `checks` (those named by
// planner::DomainCheckName, which the binder puts first): 23502 `domain d does not allow null
// values`, 23514 `value for domain d violates check constraint "c"`. Call before CheckNotNull,
// as PostgreSQL checks them while computing the row; CheckConstraints skips them.
void CheckDomainConstraints(const std::vector<planner::BoundExprPtr>& checks,
                            const std::vector<std::string>& names, const storage::TableInfo& table,
                            const storage::Row& row, ExecState& st);

// The WITH CHECK OPTION conditions of the views an INSERT or UPDATE writes through
// (PlanNode::view_checks) on a row written: 44000 `new row violates check option for view "v"`
// when one is not true (PostgreSQL's ExecWithCheckOptions, after the row is written).
void CheckViewOptions(const planner::PlanNode& plan, const storage::TableInfo& table,
                      const storage::Row& row, ExecState& st);

// `Failing row contains (...).`: the row as PostgreSQL's errdetail shows it.
std::string FailingRowDetail(const storage::Row& row, ExecState& st);

// UPDATE and DELETE of a compressed chunk (docs/design/2026-12-06-chunk-compression.md):
// decompresses, in the statement's transaction, the batches of `chunk` that the WHERE (the
// predicate of the chunk's scan in `input`, the DML's input plan) does not rule out by their
// segmentby values and min/max, so that the statement finds their rows as ordinary rows of the
// chunk. A no-op for a chunk that is not compressed. Defined in scan.cpp (the scan's tests).
void DecompressTargetBatches(const planner::PlanNode& input, const storage::TableInfo& chunk,
                             ExecState& st);

// The column types of the table.
std::vector<Type> TableTypes(const storage::TableInfo& table);

// Collects table rows and turns them into RETURNING output batches. RETURNING is over the
// table row followed by the columns of the plan's input after the table's (the FROM items of
// UPDATE ... FROM and DELETE ... USING): `extra`, one value per such column.
class ReturningBuffer {
 public:
  ReturningBuffer(const planner::PlanNode& plan, ExecState& st);
  bool active() const { return !plan_.returning.empty(); }
  // The number of input columns after the table's that RETURNING may read.
  size_t extra_columns() const { return extra_columns_; }
  void Add(const storage::Row& row, const std::vector<Value>& extra = {});
  // Moves the next batch of RETURNING rows into out; false when none is left.
  bool Next(DataChunk* out);

 private:
  const planner::PlanNode& plan_;
  ExecState& st_;
  DataChunk rows_;
  size_t extra_columns_ = 0;
  size_t next_ = 0;
};

// The common shape of the DML operators: Run() does all the work at the first Next(), which
// then delivers the RETURNING rows, then runs the plan's inheritance_members in turn.
class DmlOperatorBase : public DmlOperator {
 public:
  DmlOperatorBase(const planner::PlanNode& plan, ExecState& st);
  bool Next(DataChunk* out) override;

 protected:
  virtual void Run() = 0;

  const planner::PlanNode& plan_;
  ExecState& st_;
  const storage::TableInfo& table_;
  OperatorPtr child_;
  ReturningBuffer returning_;
  // Run for an inheritance child of the statement's table: the child's statement triggers do
  // not fire (PostgreSQL fires those of the named table only).
  bool inheritance_member_ = false;

 private:
  bool ran_ = false;
  size_t next_member_ = 0;
  OperatorPtr member_;
};

}  // namespace activestore::executor
