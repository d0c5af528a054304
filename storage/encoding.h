// Byte encodings of keys and rows: the on-disk format of every table and index.
//
// Keys: EncodeKey(values) is memcmp-order-preserving for bool, int2/int4/int8 (all widths
// encode alike, as int64, so an int4 key equals an int8 key of the same value), float8
// (-0 == 0, NaN after +Infinity), text/varchar/bpchar (C collation; bpchar without trailing
// spaces), date and timestamp(tz), interval (by its span with 30-day months and 24-hour days,
// so '1 day' and '24 hours' are the same key, as they are equal in PostgreSQL). numeric keys use
// Numeric::NormalizedKey: equal values give equal bytes, but the order of numeric keys is NOT the
// numeric order. NULL sorts after every non-NULL value (PostgreSQL's default NULLS LAST). Each
// encoded value is self-delimiting, so the encoding of a prefix of a vector is a byte prefix of the
// encoding of the whole vector.
//
// Rows: EncodeRow writes a format-version byte, the column count, a null bitmap and then the
// non-NULL values by column type (fixed-width little-endian ints and doubles, length-prefixed
// strings, numeric as its text, interval as
// usec int64 + days int32 + months int32). The bytes are stable across restarts and versions that
// read format 1.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/value.h"

namespace activestore::storage {

struct TableInfo;
using Row = std::vector<Value>;

// Appends the order-preserving encoding of v to *out. Throws XX000 for an unsupported type.
void AppendKeyValue(const Value& v, std::string* out);
// The encoding of a vector of values (concatenation of AppendKeyValue).
std::string EncodeKey(const std::vector<Value>& values);
// Length in bytes of the first encoded value in `key`. Throws XX001 if `key` is malformed.
size_t KeyValueLength(std::string_view key);
// The smallest byte string greater than every string that starts with `prefix`; empty if
// there is none (prefix is all 0xff). Used as the exclusive upper bound of a prefix scan.
std::string PrefixSuccessor(std::string_view prefix);

inline constexpr uint8_t kRowFormatVersion = 1;
// A row of a table with a `ttl` (docs/design/2026-12-06-row-expiry.md): version byte 2, the
// time of the row's last write (8 bytes little-endian, microseconds since 2000-01-01 UTC, as
// timestamptz), then the version-1 layout after its version byte.
inline constexpr uint8_t kStampedRowFormatVersion = 2;
// Appends the stamped form of `row` (AppendRow's checks).
void AppendStampedRow(const Row& row, const TableInfo& table, int64_t written_at, std::string* out);
// The write stamp of a stored row; nullopt for a row without one (version 1).
std::optional<int64_t> RowWriteStamp(std::string_view bytes);

// Encodes a row of `table`. REQUIRES: row.size() == table.columns.size(), values cast to the
// column types. Throws XX000 if a value does not fit its column's type.
std::string EncodeRow(const Row& row, const TableInfo& table);
// EncodeRow appending to *out (whose earlier bytes stay as they are).
void AppendRow(const Row& row, const TableInfo& table, std::string* out);
// Decodes bytes written by EncodeRow for `table`. Columns missing from an older row (added
// later) are NULL. Throws XX001 `invalid row encoding` on malformed bytes.
Row DecodeRow(std::string_view bytes, const TableInfo& table);

// How a column's value is laid out in an encoded row, fixed by its type: the scan reads rows
// through these without building Values.
enum class FieldKind : uint8_t {
  kBool,     // 1 byte
  kInt,      // `width` bytes little-endian, sign-extended (int2/4/8, date, timestamps)
  kFloat64,  // 8 bytes
  kFloat32,  // 4 bytes, widened to double
  kBytes,    // varint length + bytes (text types, numeric as its text, arrays, bytea, ...)
  kPair,     // 16 bytes: two int64 (interval and other ValueLayout::kInt64Pair types)
  kInvalid,  // never stored
};
struct FieldCodec {
  FieldKind kind;
  uint8_t width;
};
FieldCodec FieldCodecOf(Type type);
std::vector<FieldCodec> RowFieldCodecs(const TableInfo& table);

// One decoded column of a row: `i` (kBool, kInt, and the first word of kPair), `i2`, `f`
// (kFloat64, kFloat32) or `bytes` (kBytes: a view into the row bytes).
struct Field {
  bool null = true;
  int64_t i = 0;
  int64_t i2 = 0;
  double f = 0;
  std::string_view bytes;
};
// Decodes the columns of one row in order, in steps: a scan decodes the columns its filter
// reads, tests them, and decodes the rest only for the rows that pass (late materialisation).
// Begin() reads the row's header; DecodeTo(n, fields) decodes columns [decoded(), n) into
// fields (columns an older row lacks are NULL). REQUIRES: n <= codecs.size(). Throws XX001
// `invalid row encoding` on malformed bytes. Views in the fields point into the row bytes.
class FieldDecoder {
 public:
  explicit FieldDecoder(std::span<const FieldCodec> codecs) : codecs_(codecs) {}
  void Begin(std::string_view bytes);
  void DecodeTo(size_t n, Field* fields);
  size_t decoded() const { return next_; }
  // All of the row's bytes were read (the whole-width trailing-bytes check).
  bool AtEnd() const { return p_ == end_; }

 private:
  std::span<const FieldCodec> codecs_;
  const uint8_t* p_ = nullptr;
  const uint8_t* end_ = nullptr;
  const uint8_t* bitmap_ = nullptr;
  size_t stored_ = 0;  // columns stored in the row
  size_t next_ = 0;    // the next column to decode
};

// The Value of type `type` a decoded field holds (codec: FieldCodecOf(type)).
Value FieldToValue(const Field& f, FieldCodec codec, Type type);

// Decodes columns [0, n) of a row written by EncodeRow into fields[0..n) without allocating;
// columns an older row lacks are NULL. REQUIRES: n <= codecs.size() (the table's codecs).
// Throws XX001 `invalid row encoding` on malformed bytes (the trailing-bytes check only when n
// is the table's whole width).
void DecodeFields(std::string_view bytes, std::span<const FieldCodec> codecs, size_t n,
                  Field* fields);
// The values of columns `cols` of a row written by EncodeRow for `table` (codecs: its
// RowFieldCodecs), decoding no column past the last of them; `scratch` is reused between calls.
// Throws XX001 as DecodeFields.
std::vector<Value> DecodeColumns(std::string_view bytes, const TableInfo& table,
                                 std::span<const FieldCodec> codecs, const std::vector<int>& cols,
                                 std::vector<Field>* scratch);

}  // namespace activestore::storage
