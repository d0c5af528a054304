// Foreign keys at run time: PostgreSQL's RI triggers (ri_triggers.c) done at the end of each
// DML statement over the rows it wrote.
//
//  - Referencing side: every inserted row, and every updated row whose key columns changed,
//    must find its referenced row (MATCH SIMPLE: unless a key column is NULL; MATCH FULL: all
//    or none NULL). The referenced row is locked FOR KEY SHARE, so a concurrent DELETE or key
//    UPDATE of it waits for this transaction, while a non-key UPDATE (FOR NO KEY UPDATE) does
//    not. 23503 `insert or update on table "c" violates foreign key constraint "c_p_fkey"`.
//  - Referenced side: for every deleted row, and every updated row whose referenced columns
//    changed, the referencing rows (read with the newest committed data under READ COMMITTED;
//    under REPEATABLE READ and SERIALIZABLE a referencing row committed after the snapshot
//    fails with 40001) get the constraint's action: NO ACTION (unless a row with the old key
//    exists again) and RESTRICT raise 23503 `update or delete on table "p" violates foreign
//    key constraint "c_p_fkey" on table "c"`; CASCADE deletes or updates them, SET NULL and
//    SET DEFAULT update them. Their own foreign keys are then handled the same way.
//
// Thread safety: runs in the statement's thread with its ExecState.
#pragma once

#include <set>
#include <vector>

#include "executor/exec_state.h"
#include "storage/catalog.h"
#include "storage/table_store.h"

namespace activestore::executor {

enum class RowEvent { kInsert, kUpdate, kDelete };

// Whether a statement's `event` on `table` has foreign key work (so the DML operator keeps
// its rows for AfterRowWrites).
bool HasForeignKeyWork(ExecState& st, const storage::TableInfo& table, RowEvent event);

// The statement-end foreign key work for rows of `table` it wrote: old_rows as they were
// (UPDATE, DELETE), new_rows as written (INSERT, UPDATE; pairwise with old_rows for UPDATE).
void AfterRowWrites(ExecState& st, const storage::TableInfo& table, RowEvent event,
                    const std::vector<storage::Row>& old_rows,
                    const std::vector<storage::Row>& new_rows);

// Runs the deferred foreign key checks queued in st.ctx.deferred (executor/
// deferred_constraints.h) of `constraints` (every one when null): at COMMIT, PREPARE
// TRANSACTION and SET CONSTRAINTS ... IMMEDIATE. Throws the first violation (23503).
void CheckDeferredForeignKeys(ExecState& st, const std::set<storage::Oid>* constraints);

// ALTER TABLE ... ADD FOREIGN KEY: checks every existing row of `table` against its foreign
// key `fk` (23503 as an insert would).
void ValidateForeignKey(ExecState& st, const storage::TableInfo& table,
                        const storage::ForeignKeyInfo& fk);

// The lookup of referenced keys: the primary key or a unique index whose columns are exactly
// the set `columns` (any order). Null if there is none (42830 at DDL time).
struct UniqueAccess {
  const storage::IndexInfo* index = nullptr;  // null: the primary key
  std::vector<int> order;                     // positions in `columns`, in lookup order
};
std::optional<UniqueAccess> FindUniqueAccess(const storage::TableInfo& table,
                                             const std::vector<int>& columns);

// The lock an UPDATE of `old_row` into `new_row` takes: FOR UPDATE when a column of the
// primary key or of a unique index changes value, else FOR NO KEY UPDATE (PostgreSQL's
// HeapDetermineColumnsInfo on the key columns).
storage::RowLockMode UpdateLockMode(const storage::TableInfo& table, const storage::Row& old_row,
                                    const storage::Row& new_row);

}  // namespace activestore::executor
