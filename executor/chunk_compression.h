// Native compression of hypertable chunks (TimescaleDB 2.x's interface;
// docs/design/2026-12-06-chunk-compression.md).
//
// - The column codec: one column of a batch of up to kMaxBatchRows rows as one compressed value
//   (EncodeColumn / DecodeColumn): a null bitmap, then the values by their field kind
//   (integers and timestamps as delta-of-delta zigzag varints, floats XORed with the previous
//   value and split into byte planes, pairs as two integer streams, byte strings with their
//   lengths), the whole compressed with zstd.
// - The compressed table of a chunk (_timescaledb_internal.compress_hyper_<ht>_<chunk>_chunk):
//   the chunk's columns in order, a segmentby column with its own type and every other column
//   as bytea (one compressed value per batch), then _ts_meta_count and _ts_meta_min_<k> /
//   _ts_meta_max_<k> of the batch's min/max columns (CompressedLayout).
// - CompressChunk / DecompressChunk: in the caller's transaction, so a crash leaves the chunk
//   either as it was or wholly converted.
// - CompressedBatchReader: the batches of one shard of a compressed chunk for the scan
//   (executor/operators/scan.cpp), skipping those whose segmentby values or min/max rule out a
//   conjunct.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "storage/catalog.h"
#include "storage/encoding.h"

namespace activestore::storage {
class ShardScanner;
}

namespace activestore::executor {

class ExecState;

// Rows per compressed batch, as TimescaleDB's.
inline constexpr size_t kMaxBatchRows = 1000;

// Encodes fields (of one column, laid out as `codec` says) into one compressed value.
std::string EncodeColumn(storage::FieldCodec codec, const std::vector<storage::Field>& fields);
// Decodes a value made by EncodeColumn into *out (resized to its row count); the bytes of kBytes
// fields point into *buffer. Throws XX001 on a malformed value.
void DecodeColumn(std::string_view blob, storage::FieldCodec codec,
                  std::vector<storage::Field>* out, std::string* buffer);

// Where a chunk's columns are in its compressed table.
struct CompressedLayout {
  std::vector<bool> segmentby;  // per chunk column: stored plainly (a segmentby column)
  int count_column = 0;         // _ts_meta_count
  // Per chunk column: the compressed table's _ts_meta_min_<k> / _ts_meta_max_<k> column, or -1.
  std::vector<int> min_column;
  std::vector<int> max_column;
  // The chunk columns with min/max, in k order.
  std::vector<int> meta_columns;
};
// The layout for `chunk` of hypertable `ht` (whose settings cannot change while a chunk is
// compressed; the chunk's columns are the hypertable's at the chunk's creation): min/max for the
// orderby columns and the time column that are integer-like or float8.
CompressedLayout LayoutOf(const storage::TableInfo& ht, const storage::TableInfo& chunk);

// "compress_hyper_<ht id>_<chunk id>_chunk".
std::string CompressedTableName(const storage::TableInfo& chunk);

// Compresses `chunk` (a chunk of `ht`, not compressed) in the statement's transaction: creates
// its compressed table, writes the batches, deletes the rows, records the sizes.
void CompressChunk(ExecState& st, const storage::TableInfo& ht, const storage::TableInfo& chunk);
// Decompresses `chunk`: its rows back into the chunk's storage, the compressed table dropped.
void DecompressChunk(ExecState& st, const storage::TableInfo& ht, const storage::TableInfo& chunk);

// One `column op constant` conjunct of a scan's predicate, on a chunk column (ScanOperator's
// FieldTest in the terms a batch can be tested by).
struct BatchTest {
  enum Op { kEq, kNe, kLt, kLe, kGt, kGe };
  size_t column = 0;
  Op op = kEq;
  bool is_float = false;
  int64_t i = 0;
  double f = 0;
};

// Decompresses the batches of compressed chunk `chunk` that `tests` do not rule out (by their
// segmentby values and min/max, TimescaleDB 2.11's rule for UPDATE and DELETE): their rows go
// into the chunk's own storage and the batch rows are deleted, in the statement's transaction
// (a ROLLBACK restores the batches). The chunk stays compressed (partially: its other batches).
// Returns the number of batches decompressed.
int64_t DecompressBatches(ExecState& st, const storage::TableInfo& ht,
                          const storage::TableInfo& chunk, std::vector<BatchTest> tests);

// Reads the compressed batches of one shard of a compressed chunk.
class CompressedBatchReader {
 public:
  // columns: the chunk columns to decode (the scan's projection).
  CompressedBatchReader(ExecState& st, const storage::TableInfo& ht,
                        const storage::TableInfo& chunk,
                        std::shared_ptr<const storage::TableInfo> compressed, uint32_t shard,
                        std::vector<BatchTest> tests);
  ~CompressedBatchReader();
  // The next batch that the tests do not rule out: its row count, and per requested chunk
  // column its fields (in `columns` order, views valid until the next call). False at the end.
  bool Next(const std::vector<int>& columns, std::vector<std::vector<storage::Field>>* fields,
            size_t* rows, std::string_view* key);
  int64_t batches_skipped() const { return skipped_; }

 private:
  bool MayPass(const std::vector<storage::Field>& row) const;

  std::shared_ptr<const storage::TableInfo> compressed_;
  std::vector<storage::FieldCodec> chunk_codecs_;
  std::vector<storage::FieldCodec> codecs_;
  CompressedLayout layout_;
  std::vector<BatchTest> tests_;
  std::unique_ptr<storage::ShardScanner> scanner_;
  std::vector<storage::Field> fields_;
  std::vector<std::string> buffers_;
  int64_t skipped_ = 0;
};

}  // namespace activestore::executor
