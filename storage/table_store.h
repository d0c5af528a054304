// Row access for one table across its shards: encodes rows (storage/encoding.h), picks the
// shard from the distribution key, and keeps the table's indexes in step with its rows.
// The executor reads and writes tables only through this.
//
// Thread safety: stateless helpers; the Transaction passed in belongs to the calling thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/value.h"
#include "storage/catalog.h"
#include "storage/encoding.h"
#include "storage/storage.h"

namespace activestore::storage {

using Row = std::vector<Value>;  // one Value per column of the table, in column order

// A stored row with its storage key (needed to update or delete it).
struct StoredRow {
  uint32_t shard = 0;
  std::string key;
  Row row;
  // A hash of the stored bytes as read (RowVersion), when asked for: tells whether the row
  // changed since (SELECT ... FOR UPDATE under READ COMMITTED).
  uint64_t version = 0;
  // RowKeyVersion of the row as read, with `version`.
  uint64_t key_version = 0;
};

// The version stamp of a row's stored bytes.
uint64_t RowVersion(std::string_view stored_bytes);
// A hash of the row's values in the columns of its unique secondary indexes (0 without any):
// what PostgreSQL calls the key of a row for FOR KEY SHARE, besides the primary key, which is
// the row key itself. An update that keeps it is a "no key" update.
uint64_t RowKeyVersion(const TableInfo& table, const Row& row);

// Row expiry (TableInfo::expiry; docs/design/2026-12-06-row-expiry.md). The clock is the
// node's wall clock in timestamptz's unit (microseconds since 2000-01-01 UTC).
int64_t ExpiryClockNow();
// When a stored row of `table` expires: nullopt for never (no expiry, or a NULL ttl_column).
class ExpiryCheck {
 public:
  explicit ExpiryCheck(const TableInfo& table);
  bool active() const { return table_->expiry.active(); }
  std::optional<int64_t> ExpiresAt(std::string_view bytes);
  // The row has expired at `now` (expires_at <= now).
  bool Expired(std::string_view bytes, int64_t now);

 private:
  const TableInfo* table_;
  std::vector<FieldCodec> codecs_;  // ttl_column tables
  std::vector<Field> fields_;
};

// Reads the rows of one shard in key order, a batch at a time. Rows that have expired when
// they are read are passed over, unless include_expired (the reaper).
class ShardScanner {
 public:
  // with_versions: fill StoredRow::version.
  ShardScanner(Transaction* txn, std::shared_ptr<const TableInfo> table, uint32_t shard,
               bool with_versions = false, bool include_expired = false);
  // Appends up to max_rows rows to out; returns false when the shard is exhausted and
  // nothing was appended.
  bool NextBatch(std::vector<StoredRow>* out, size_t max_rows);
  // The next row's key and stored bytes (EncodeRow's form), valid until the next call; false
  // at the end of the shard. For readers that decode only some columns (DecodeFields).
  bool NextRaw(std::string_view* key, std::string_view* bytes);

 private:
  bool Skip(std::string_view bytes);

  std::shared_ptr<const TableInfo> table_;
  uint32_t shard_;
  std::unique_ptr<Cursor> cursor_;
  bool with_versions_;
  std::optional<ExpiryCheck> expiry_;  // set when rows of this table can expire
};

// Reads the rows whose key in one index of a table lies in [lower, upper) (encoded key bytes,
// EncodeKey's form, compared bytewise; an empty upper: no upper bound), from every shard at
// once, merged in key order: the primary key (`index` null: the shard tables themselves) or
// a secondary index (its shard tables, each entry's row then read by its row key). The bytes
// of an index's key values are a prefix of its entry keys, so a bound on the values bounds the
// entries. Rows that have expired are passed over; an entry whose row is gone (a concurrent
// commit seen under READ COMMITTED) is skipped. Reads go through `txn`, so SERIALIZABLE sees
// the ranges read.
// With `backward` the rows come in descending key order (each shard read backwards, the
// merge taking the greatest key). The merge is lazy: each shard's cursor is one entry ahead of
// what was returned, so a reader stopped after n rows has read about n + shards entries.
// REQUIRES: `index` is null or one of `table`'s secondary indexes, and outlives the reader.
class IndexRangeReader {
 public:
  // with_versions: fill StoredRow::version and key_version.
  IndexRangeReader(Transaction* txn, std::shared_ptr<const TableInfo> table, const IndexInfo* index,
                   std::string lower, std::string upper, bool with_versions, bool backward = false);
  // The next row in key order (descending when backward); false at the end.
  bool Next(StoredRow* out);

 private:
  struct Source {
    std::unique_ptr<Cursor> cursor;
    bool valid = false;
  };
  void Advance(Source* s);

  Transaction* txn_;
  std::shared_ptr<const TableInfo> table_;
  const IndexInfo* index_;  // null: the primary key
  bool with_versions_;
  bool backward_;
  std::vector<Source> sources_;
  std::optional<ExpiryCheck> expiry_;
};

// A row encoded for its table (EncodeRow) with its row key: what a rewrite moves from one
// storage of a table to another without decoding the rows.
struct EncodedRow {
  std::string key;
  std::string bytes;
};

class TableStore {
 public:
  // The row key of `row`: the encoded primary key, or a new hidden row id (from the catalog)
  // for a table without one.
  static std::string RowKey(Catalog* catalog, const TableInfo& table, const Row& row);
  // The shard of a row key.
  static uint32_t ShardOf(const TableInfo& table, std::string_view row_key);

  // Inserts a row. REQUIRES: values already cast to the column types, NOT NULL checked.
  // Throws 23505 `duplicate key value violates unique constraint "t_pkey"` with detail
  // `Key (a)=(1) already exists.` for the primary key or a unique index (the Error also
  // carries schema, table and constraint). A unique violation undoes this call's writes
  // before it propagates, so the transaction is as before the call. 40001 passes through from
  // the engine (the transaction is then dead anyway).
  // `lock_rows` false: the caller holds the table in ACCESS EXCLUSIVE mode (a rewrite), so no
  // other transaction can meet the new keys and no row locks are taken.
  // In a table with row expiry, a row (or unique index entry's row) that has expired but is
  // still stored does not conflict: it is deleted first.
  static void Insert(Catalog* catalog, Transaction* txn, const TableInfo& table, const Row& row,
                     bool lock_rows = true);
  // Insert in two halves, for a bulk load that prepares rows on one thread and writes them on
  // another (one at a time on the transaction's engine session). PrepareInsert takes the
  // row's locks (as Insert) and sets *key and *bytes (the encoded row, EncodeRow's form);
  // returns the row's shard. Throws 23502 for a NULL primary key column, and the lock waits'
  // errors. It touches the transaction only through LockRow (and the catalog's row ids), so
  // it may run while another thread is inside ApplyInsert of the same transaction.
  static uint32_t PrepareInsert(Catalog* catalog, Transaction* txn, const TableInfo& table,
                                const Row& row, std::string* key, std::string* bytes,
                                bool lock_rows = true);
  // Writes a prepared row and its index entries; `shard_table` is table.ShardTable(shard).
  // `row` may be null (the row is then decoded from `bytes` when an index entry or an error
  // message needs it). Same errors, and undo on a unique violation, as Insert.
  static void ApplyInsert(Transaction* txn, const TableInfo& table, uint32_t shard,
                          std::string_view shard_table, std::string_view key,
                          std::string_view bytes, const Row* row);
  // Replaces the row stored under old.key with new_row (moving it if its key changes),
  // updating indexes. Same errors (and undo on a unique violation) as Insert.
  // REQUIRES: `old` is the row as currently stored. A caller scanning the table while updating
  // it must collect the rows first (a moved row may reappear later in the same scan).
  static void Update(Catalog* catalog, Transaction* txn, const TableInfo& table,
                     const StoredRow& old, const Row& new_row);
  static void Delete(Transaction* txn, const TableInfo& table, const StoredRow& old);
  // Locks the row that UPDATE or DELETE is about to change (waiting for a concurrent writer of
  // it) and reads it again: returns false if it is gone or no longer `old.row` (a concurrent
  // transaction changed it and committed). Under snapshot isolation the re-read sees the
  // snapshot, so it returns true and the write itself then fails with 40001.
  static bool LockForWrite(Transaction* txn, const TableInfo& table, const StoredRow& old,
                           RowLockMode mode);
  // SELECT ... FOR UPDATE/SHARE of a row read with version `version`: takes the row lock
  // (waiting, or as `wait` says), then checks the row as this transaction now sees it.
  // kSkipped: SKIP LOCKED met a locked row. kChanged: the row was changed or deleted by a
  // transaction that committed after it was read (under READ COMMITTED the statement runs
  // again on the newest data, PostgreSQL's EvalPlanQual done per statement). Under snapshot
  // isolation a change after the snapshot throws 40001 instead (Transaction::Reserve).
  enum class LockResult { kLocked, kSkipped, kChanged };
  // FOR KEY SHARE compares only the row's key (key_version, RowKeyVersion): a committed
  // "no key" update leaves the lock granted on the row as read, as in PostgreSQL; `snapshot`
  // tells whether the transaction reads one snapshot (then the newest committed version is
  // read aside to check the key).
  static LockResult LockForSelect(Transaction* txn, const TableInfo& table, uint32_t shard,
                                  std::string_view key, uint64_t version, uint64_t key_version,
                                  RowLockMode mode, bool snapshot, const RowLockWait* wait);
  // Point lookup by primary key values (in primary_key order).
  // INSERT ... ON CONFLICT under a snapshot, once the look-up found no conflicting row: locks
  // the arbiter key of `row` in `index` (the primary key when null) as Insert does, waiting
  // for a concurrent inserter of it, and throws 40001 `could not serialize access due to
  // concurrent update` if a transaction that committed after the snapshot holds the key
  // (PostgreSQL's ExecCheckTupleVisible), before anything is written.
  static void CheckArbiterKey(Transaction* txn, const TableInfo& table, const IndexInfo* index,
                              const Row& row);
  static std::optional<StoredRow> LookupByPrimaryKey(Transaction* txn, const TableInfo& table,
                                                     const std::vector<Value>& key_values);
  // Rows whose index columns equal `values` (given in index.columns order, already cast to
  // the column types), found through the index; at most one for a unique index. A NULL among
  // the values matches nothing (SQL equality), unless match_nulls and the index is UNIQUE
  // NULLS NOT DISTINCT (ON CONFLICT's arbiter lookup: NULL then equals NULL).
  // With skip_missing, an entry whose row is gone (read after a concurrent commit, under READ
  // COMMITTED) is passed over instead of raising XX001.
  static std::vector<StoredRow> LookupByIndex(Transaction* txn, const TableInfo& table,
                                              const IndexInfo& index,
                                              const std::vector<Value>& values,
                                              bool skip_missing = false, bool match_nulls = false);
  // Bulk load of a rewrite (ALTER TABLE ADD PRIMARY KEY): inserts `rows`, sorting them first
  // by shard and key so that each storage table is written in key order; clears `rows`.
  // Throws 23505 as Insert for a key already there or met twice (its writes are not undone:
  // the caller's statement fails).
  // REQUIRES: the caller holds the table in ACCESS EXCLUSIVE mode (no row locks are taken);
  // the table has no index besides its primary key.
  static void InsertEncoded(Transaction* txn, const TableInfo& table,
                            std::vector<EncodedRow>* rows);
  // Adds the entries of a new index for every existing row (CREATE INDEX); throws 23505
  // (`could not create unique index "x"`, detail `Key (a)=(1) is duplicated.`) when a unique
  // index meets duplicates. Returns the rows it read (0 for a primary key, which needs no
  // entries).
  static uint64_t BuildIndex(Transaction* txn, const TableInfo& table, const IndexInfo& index);
};

}  // namespace activestore::storage
