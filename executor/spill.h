// Spilling to temporary files: what lets Sort, hash aggregation and hash joins run within
// `work_mem` (PostgreSQL: per operator; hash tables may use hash_mem_multiplier x work_mem).
//
// The files live in the node's temporary directory (`<data_dir>/tmp`, emptied at start-up so
// that a crash leaves nothing behind), one per run or partition, named
// `pgsql_tmp<backend pid>.<n>`; a SpillFile deletes its file when it is destroyed, so an
// operator's files go when it ends, also on an error or a cancel (the operator tree unwinds).
// Rows are written a DataChunk at a time in a columnar form of the Vector classes (nulls, then
// int64 words, doubles, length-prefixed strings, numerics as text) and read back as the same
// chunks (types, values and display scales as they were).
//
// Thread safety: a SpillFile belongs to one thread at a time; the directory and the counters
// are shared (atomic).
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "executor/exec_state.h"
#include "executor/operators/operator.h"
#include "executor/vector.h"

namespace activestore::executor {

// Makes `dir` an empty directory (removing what a previous run left) for the node's spill
// files. Throws Error (58030) if it cannot.
void PrepareSpillDirectory(const std::string& dir);

// The memory an operator may hold before it spills, from the session's `work_mem`; a hash
// table may hold `hash_mem_multiplier` times that. Hand-made contexts without settings get
// PostgreSQL's defaults (4MB, 2.0).
size_t WorkMemBytes(const ExecContext& ctx);
size_t HashMemBytes(const ExecContext& ctx);

// The bytes a row range of a chunk holds: the fixed part of each value and, for strings and
// numerics, what they hold on the heap.
size_t ChunkBytes(const DataChunk& c);
size_t RowBytes(const DataChunk& c, size_t r);

// Node-wide counts of spill files created and bytes written (as pg_stat_database's temp_files
// and temp_bytes), and the files open now.
struct SpillCounters {
  uint64_t files = 0;
  uint64_t bytes = 0;
  int64_t open_files = 0;
};
SpillCounters SpillStatistics();

// One temporary file: chunks appended, then (after Rewind) read back in order.
class SpillFile {
 public:
  // Creates the file in ctx's spill directory (58030 when that fails). An error writing it
  // (a full disk) is 53100.
  explicit SpillFile(const ExecContext& ctx);
  ~SpillFile();
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  void Write(const DataChunk& c);
  // Rows [begin, end) of c.
  void Write(const DataChunk& c, size_t begin, size_t end);
  // Ends writing; reading starts at the first chunk.
  void Rewind();
  // The next chunk written (its column types), false at the end.
  bool Read(DataChunk* out);
  // Random access (a buffer read by several readers): Append writes c at the end and returns
  // its offset; ReadAt reads the chunk written there. Not mixed with Rewind/Read.
  uint64_t Append(const DataChunk& c);
  void ReadAt(uint64_t offset, DataChunk* out);
  uint64_t rows() const { return rows_; }
  uint64_t bytes() const { return bytes_; }
  const std::string& path() const { return path_; }

 private:
  void Put(const void* p, size_t n);
  void Decode(DataChunk* out);
  void Get(void* p, size_t n);

  std::string path_;
  std::FILE* f_ = nullptr;
  uint64_t rows_ = 0;
  uint64_t bytes_ = 0;
  uint64_t chunks_ = 0, read_chunks_ = 0;
  std::string buf_;
};

// Writes rows into one of `n` partition files by hash (bits `shift`.. of the hash), each
// buffered to a batch before it is written.
class SpillPartitions {
 public:
  SpillPartitions(const ExecContext& ctx, const std::vector<Type>& types, size_t n, int shift);
  size_t size() const { return files_.size(); }
  size_t PartitionOf(uint64_t hash) const { return (hash >> shift_) & (files_.size() - 1); }
  // Adds row r of c to the partition of `hash`, followed by row r of each of `extra` (columns
  // beside c's, such as its evaluated keys).
  void Add(const DataChunk& c, size_t r, uint64_t hash,
           const std::vector<const Vector*>& extra = {});
  // Writes the buffered rows and rewinds every file for reading.
  void Finish();
  // The rows in partition p (after Finish).
  uint64_t rows(size_t p) const { return files_[p] ? files_[p]->rows() : 0; }
  // Partition p's file (after Finish), released to the caller.
  std::unique_ptr<SpillFile> Take(size_t p) { return std::move(files_[p]); }

 private:
  const ExecContext& ctx_;
  int shift_;
  std::vector<std::unique_ptr<SpillFile>> files_;
  std::vector<DataChunk> pending_;
};

// The rows of a spill file (none for null) as an operator; the file goes when they are read.
OperatorPtr MakeSpillScan(std::unique_ptr<SpillFile> file);

// The hash bits a spill at `depth` partitions by (32 partitions, 5 bits per level from the
// top of the hash, which the hash tables use least: their slots come from the low bits).
inline constexpr size_t kSpillFanout = 32;
inline constexpr int kMaxSpillDepth = 6;
inline int SpillShift(int depth) { return 64 - 5 * (depth + 1); }

}  // namespace activestore::executor
