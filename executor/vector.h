// Column batches: a Vector is one column of up to kBatchSize values of one Type; a DataChunk is
// a set of Vectors of equal length (one batch of rows). Operators pass DataChunks.
//
// Storage by physical class (PhysClassOf, from the type registry's ValueLayout): bool, ints,
// date and timestamps in `ints` (int64; the Value payload `i`), float8 in `floats`, text types
// in `strs`, numeric in `nums`, 16-byte fixed-size types (interval) in `ints` and `ints2` (the
// Value payloads `i` and `i2`). Only the arrays of the Vector's class are sized; `nulls` always
// is (1 = NULL).
//
// Thread safety: plain values; not shared between threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/numeric.h"
#include "common/types.h"
#include "common/value.h"

namespace activestore::executor {

enum class PhysClass { kInt, kFloat, kString, kNumeric, kWide };

PhysClass PhysClassOf(TypeId id);

struct Vector {
  Type type;
  PhysClass phys = PhysClass::kString;
  std::vector<uint8_t> nulls;
  std::vector<int64_t> ints;
  std::vector<int64_t> ints2;  // kWide only: the second word
  std::vector<double> floats;
  std::vector<std::string> strs;
  std::vector<Numeric> nums;

  Vector() = default;
  Vector(Type t, size_t n) { Init(t, n); }

  size_t size() const { return nulls.size(); }
  // Sets the type and n rows of default (non-NULL zero) values.
  void Init(Type t, size_t n);
  // Resets to zero rows keeping the type.
  void Clear();
  void Reserve(size_t n);
  bool IsNull(size_t r) const { return nulls[r] != 0; }

  // The value of row r as a Value of `type`.
  Value Get(size_t r) const;
  // The same into *v, reusing its storage (a loop over rows allocates no new strings).
  void Load(size_t r, Value* v) const;
  // Stores v (converted to `type` with CastValue if its physical class differs) at row r.
  void Set(size_t r, const Value& v);
  void SetNull(size_t r) { nulls[r] = 1; }
  void Append(const Value& v);
  void AppendNull();
  // Appends row r of src. REQUIRES: src has the same physical class.
  void AppendFrom(const Vector& src, size_t r);
  // Copies row r of src into row dst. REQUIRES: same physical class.
  void CopyRow(size_t dst, const Vector& src, size_t r);
  // A vector of n copies of v.
  static Vector Constant(const Value& v, Type t, size_t n);
};

// The storage location of a row read for UPDATE/DELETE.
struct RowLocation {
  uint32_t shard = 0;
  std::string key;
  uint64_t version = 0;      // storage::RowVersion of the row as read
  uint64_t key_version = 0;  // storage::RowKeyVersion of the row as read
};

struct DataChunk {
  std::vector<Vector> columns;
  size_t size = 0;
  // Row locations, parallel to the rows, when the rows carry them (emit_row_location);
  // empty otherwise.
  std::vector<RowLocation> locations;

  void Init(const std::vector<Type>& types);  // zero rows of these column types
  void Clear();                               // zero rows, same types
  std::vector<Value> GetRow(size_t r) const;
  void AppendRow(const std::vector<Value>& row);
  // Appends row r of src (same column types), with its location if src carries them.
  void AppendRowFrom(const DataChunk& src, size_t r);
  // The rows of sel (in order), with locations.
  DataChunk Select(const std::vector<uint32_t>& sel) const;
  // Keeps only the rows of sel, in place: row sel[k] moves to row k (strings and numerics by
  // move, no copy), the vectors keep their buffers. REQUIRES: sel ascending, each < size.
  void Compact(const std::vector<uint32_t>& sel);
};

// Equality with NULLs equal, as GROUP BY/DISTINCT/set operations compare.
// REQUIRES: same physical class. bpchar ignores trailing spaces, float NaN equals NaN, and
// -0 equals 0, numeric compares by value, interval by its span ('1 day' = '24 hours').
bool RowValuesEqual(const Vector& a, size_t i, const Vector& b, size_t j);
// A hash consistent with RowValuesEqual for one physical class (not across types).
uint64_t HashVectorValue(const Vector& v, size_t r);
// Ordering for ORDER BY of two non-NULL values of the same physical class (NaN last).
int CompareVectorValues(const Vector& a, size_t i, const Vector& b, size_t j);

inline uint64_t MixHash(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}
inline uint64_t CombineHash(uint64_t seed, uint64_t h) {
  return MixHash(seed * 0x9e3779b97f4a7c15ULL + h + 0x632be59bd9b4e019ULL);
}

// Hashes rows [0, n) of the key columns into hashes (resized to n).
void HashRows(const std::vector<const Vector*>& cols, size_t n, std::vector<uint64_t>* hashes);

// A hash set of key tuples (NULLs equal) with insertion-ordered indexes; used for grouping,
// DISTINCT, set operations and hash join builds.
class KeyHashTable {
 public:
  explicit KeyHashTable(const std::vector<Type>& key_types);
  // The index of the key at row r of `keys` (hash from HashRows), inserting it if absent.
  size_t FindOrInsert(const std::vector<const Vector*>& keys, size_t r, uint64_t hash,
                      bool* inserted);
  // The index of the key, or -1.
  int64_t Find(const std::vector<const Vector*>& keys, size_t r, uint64_t hash) const;
  size_t size() const { return hashes_.size(); }
  // The stored keys, one Vector per key column, row i = key index i.
  const std::vector<Vector>& keys() const { return keys_; }

 private:
  bool KeyEquals(size_t idx, const std::vector<const Vector*>& keys, size_t r) const;
  void Grow();

  std::vector<Vector> keys_;
  std::vector<uint64_t> hashes_;
  // Open addressing: a key's index and the high half of its hash (a probe passes other keys
  // without reading hashes_ or keys_, which are in insertion order, not in the slots' order).
  struct Slot {
    int32_t idx = -1;  // -1 = empty
    uint32_t tag = 0;
  };
  static uint32_t Tag(uint64_t hash) { return static_cast<uint32_t>(hash >> 32); }
  std::vector<Slot> slots_;
  size_t mask_ = 0;
  bool all_int_ = true;  // every key column is of PhysClass::kInt (compared as int64 words)
};

}  // namespace activestore::executor
