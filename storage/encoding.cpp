#include "storage/encoding.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

#include "common/array.h"
#include "common/composite.h"
#include "common/error.h"
#include "common/type_registry.h"
#include "storage/catalog.h"

namespace activestore::storage {
namespace {

// Key tags, in the order values of different families sort. NULL is last.
constexpr uint8_t kTagBool = 0x10;
constexpr uint8_t kTagInt = 0x20;
constexpr uint8_t kTagFloat = 0x30;
constexpr uint8_t kTagNumeric = 0x40;
constexpr uint8_t kTagString = 0x50;
constexpr uint8_t kTagDate = 0x60;
constexpr uint8_t kTagTimestamp = 0x70;
constexpr uint8_t kTagInterval = 0x80;
constexpr uint8_t kTagBytes = 0x90;   // a type with registry hooks: escaped key bytes (bytea)
constexpr uint8_t kTagPair16 = 0xa0;  // a kInt64Pair type with registry hooks: 16 bytes (uuid)
constexpr uint8_t kTagArray = 0xb0;
// Inside an array key: before each element, and after the last one.
constexpr uint8_t kArrayElement = 0x02;
constexpr uint8_t kArrayNullElement = 0x03;
constexpr uint8_t kArrayEnd = 0x01;
constexpr uint8_t kTagNull = 0xf0;

void AppendBigEndian64(uint64_t x, std::string* out) {
  char buf[8];
  for (int i = 0; i < 8; ++i) buf[i] = static_cast<char>(x >> (56 - 8 * i));
  out->append(buf, 8);
}

void AppendOrderedInt(int64_t x, std::string* out) {
  AppendBigEndian64(static_cast<uint64_t>(x) ^ (uint64_t{1} << 63), out);
}

// Strings: 0x00 is escaped as 0x00 0xff and the end is marked by 0x00 0x01, so that a
// string sorts before its extensions and the encoding is self-delimiting.
void AppendEscaped(std::string_view s, std::string* out) {
  for (char c : s) {
    out->push_back(c);
    if (c == '\0') out->push_back('\xff');
  }
  out->push_back('\0');
  out->push_back('\x01');
}

std::string_view StripTrailingSpaces(std::string_view s) {
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

[[noreturn]] void Corrupt() { Throw(SqlState::kDataCorrupted, "invalid row encoding"); }

[[noreturn]] void CorruptKey() { Throw(SqlState::kDataCorrupted, "invalid key encoding"); }

// --- row helpers ---

void AppendVarint(uint64_t x, std::string* out) {
  while (x >= 0x80) {
    out->push_back(static_cast<char>((x & 0x7f) | 0x80));
    x >>= 7;
  }
  out->push_back(static_cast<char>(x));
}

void AppendLittleEndian(uint64_t x, int bytes, std::string* out) {
  char buf[8];
  for (int i = 0; i < 8; ++i) buf[i] = static_cast<char>(x >> (8 * i));
  out->append(buf, static_cast<size_t>(bytes));
}

class Reader {
 public:
  explicit Reader(std::string_view b) : b_(b) {}
  uint8_t Byte() {
    if (pos_ >= b_.size()) Corrupt();
    return static_cast<uint8_t>(b_[pos_++]);
  }
  uint64_t Varint() {
    uint64_t x = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      uint8_t c = Byte();
      x |= static_cast<uint64_t>(c & 0x7f) << shift;
      if ((c & 0x80) == 0) return x;
    }
    Corrupt();
  }
  uint64_t LittleEndian(int bytes) {
    if (b_.size() - pos_ < static_cast<size_t>(bytes)) Corrupt();
    uint64_t x = 0;
    for (int i = 0; i < bytes; ++i)
      x |= static_cast<uint64_t>(static_cast<uint8_t>(b_[pos_ + i])) << (8 * i);
    pos_ += bytes;
    return x;
  }
  std::string_view Bytes(size_t n) {
    if (b_.size() - pos_ < n) Corrupt();
    std::string_view s = b_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  bool AtEnd() const { return pos_ == b_.size(); }

 private:
  std::string_view b_;
  size_t pos_ = 0;
};

bool IsTimestamp(TypeId id) { return id == TypeId::kTimestamp || id == TypeId::kTimestampTz; }

// True if a value of type `v` may be stored in a column of type `col` without a cast.
bool Storable(TypeId col, TypeId v) {
  if (IsIntegerType(col)) return IsIntegerType(v);
  if (IsStringType(col)) return IsStringType(v);
  if (IsTimestamp(col)) return IsTimestamp(v);
  return col == v;
}

int IntWidth(TypeId id) {
  switch (id) {
    case TypeId::kInt16:
      return 2;
    case TypeId::kInt32:
      return 4;
    case TypeId::kDate:
      return 4;
    default:
      return 8;
  }
}

// An array in array_cmp's order: each element behind a marker (a NULL element after every
// value), an end marker (a prefix sorts first), then ndim, the lengths and lower bounds.
void AppendArrayKey(const Value& v, std::string* out) {
  out->push_back(static_cast<char>(kTagArray));
  ArrayView view(v.s);
  view.ForEach(ElementTypeOf(v.type), [&](size_t, const Value& e) {
    if (e.is_null) {
      out->push_back(static_cast<char>(kArrayNullElement));
    } else {
      out->push_back(static_cast<char>(kArrayElement));
      AppendKeyValue(e, out);
    }
  });
  out->push_back(static_cast<char>(kArrayEnd));
  out->push_back(static_cast<char>(view.ndim()));
  for (int d = 0; d < view.ndim(); ++d) {
    AppendOrderedInt(view.dim(d), out);
    AppendOrderedInt(view.lower_bound(d), out);
  }
}

// A composite value in record_cmp's order: its fields as an array's elements (a NULL field after
// every value), the end marker and no dimensions (common/composite.h).
void AppendRecordKey(const Value& v, std::string* out) {
  out->push_back(static_cast<char>(kTagArray));
  const RecordView row(v.s);
  for (const Value& f : row.fields()) {
    if (f.is_null) {
      out->push_back(static_cast<char>(kArrayNullElement));
    } else {
      out->push_back(static_cast<char>(kArrayElement));
      AppendKeyValue(f, out);
    }
  }
  out->push_back(static_cast<char>(kArrayEnd));
  out->push_back(0);
}

}  // namespace

void AppendKeyValue(const Value& v, std::string* out) {
  if (v.is_null) {
    out->push_back(static_cast<char>(kTagNull));
    return;
  }
  if (IsArrayType(v.type.id)) {
    AppendArrayKey(v, out);
    return;
  }
  if (IsRecordLike(v.type.id)) {
    AppendRecordKey(v, out);
    return;
  }
  switch (v.type.id) {
    case TypeId::kBool:
      out->push_back(static_cast<char>(kTagBool));
      out->push_back(v.i != 0 ? '\x01' : '\x00');
      return;
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
      out->push_back(static_cast<char>(kTagInt));
      AppendOrderedInt(v.i, out);
      return;
    case TypeId::kFloat32:  // a float4 is an exact double: the same order-preserving bytes
    case TypeId::kFloat64: {
      out->push_back(static_cast<char>(kTagFloat));
      double d = v.f;
      if (d == 0) d = 0;  // -0 == 0
      if (std::isnan(d)) d = std::numeric_limits<double>::quiet_NaN();
      uint64_t bits = std::bit_cast<uint64_t>(d);
      if (std::isnan(d)) bits = 0x7ff8000000000000ULL;  // one NaN, after +Infinity
      bits = (bits & (uint64_t{1} << 63)) ? ~bits : bits ^ (uint64_t{1} << 63);
      AppendBigEndian64(bits, out);
      return;
    }
    case TypeId::kNumeric:
      out->push_back(static_cast<char>(kTagNumeric));
      AppendEscaped(v.num.NormalizedKey(), out);
      return;
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kName:
    case TypeId::kUnknown:
      out->push_back(static_cast<char>(kTagString));
      AppendEscaped(v.s, out);
      return;
    case TypeId::kBpchar:
      out->push_back(static_cast<char>(kTagString));
      AppendEscaped(StripTrailingSpaces(v.s), out);
      return;
    case TypeId::kDate:
      out->push_back(static_cast<char>(kTagDate));
      AppendOrderedInt(v.i, out);
      return;
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      out->push_back(static_cast<char>(kTagTimestamp));
      AppendOrderedInt(v.i, out);
      return;
    case TypeId::kInterval: {
      // The span with 30-day months and 24-hour days (interval_cmp's order): 128 bits,
      // big-endian with the sign bit flipped.
      out->push_back(static_cast<char>(kTagInterval));
      __int128 k = IntervalKey(IntervalOf(v));
      auto u = static_cast<unsigned __int128>(k);
      AppendBigEndian64(static_cast<uint64_t>(u >> 64) ^ (uint64_t{1} << 63), out);
      AppendBigEndian64(static_cast<uint64_t>(u), out);
      return;
    }
    case TypeId::kVoid:
      break;
    default: {
      const TypeInfo& info = TypeInfoOf(v.type.id);
      if (info.methods == nullptr) break;
      if (info.layout == ValueLayout::kInt64Pair) {
        out->push_back(static_cast<char>(kTagPair16));
        info.methods->key(v, out);
      } else {
        std::string bytes;
        info.methods->key(v, &bytes);
        out->push_back(static_cast<char>(kTagBytes));
        AppendEscaped(bytes, out);
      }
      return;
    }
  }
  Throw(SqlState::kInternalError, "cannot encode a key of type {}", TypeName(v.type));
}

std::string EncodeKey(const std::vector<Value>& values) {
  std::string out;
  for (const Value& v : values) AppendKeyValue(v, &out);
  return out;
}

size_t KeyValueLength(std::string_view key) {
  if (key.empty()) CorruptKey();
  switch (static_cast<uint8_t>(key[0])) {
    case kTagNull:
      return 1;
    case kTagBool:
      if (key.size() < 2) CorruptKey();
      return 2;
    case kTagInt:
    case kTagFloat:
    case kTagDate:
    case kTagTimestamp:
      if (key.size() < 9) CorruptKey();
      return 9;
    case kTagInterval:
    case kTagPair16:
      if (key.size() < 17) CorruptKey();
      return 17;
    case kTagNumeric:
    case kTagString:
    case kTagBytes:
      for (size_t i = 1; i + 1 < key.size(); ++i) {
        if (key[i] != '\0') continue;
        if (key[i + 1] == '\x01') return i + 2;
        ++i;  // escaped 0x00 0xff
      }
      CorruptKey();
    case kTagArray: {
      size_t pos = 1;
      for (;;) {
        if (pos >= key.size()) CorruptKey();
        uint8_t marker = static_cast<uint8_t>(key[pos++]);
        if (marker == kArrayEnd) break;
        if (marker == kArrayElement) pos += KeyValueLength(key.substr(pos));
      }
      if (pos >= key.size()) CorruptKey();
      size_t len = pos + 1 + 16 * static_cast<uint8_t>(key[pos]);
      if (key.size() < len) CorruptKey();
      return len;
    }
    default:
      CorruptKey();
  }
}

std::string PrefixSuccessor(std::string_view prefix) {
  std::string s(prefix);
  while (!s.empty() && static_cast<uint8_t>(s.back()) == 0xff) s.pop_back();
  if (!s.empty()) s.back() = static_cast<char>(static_cast<uint8_t>(s.back()) + 1);
  return s;
}

void AppendStampedRow(const Row& row, const TableInfo& table, int64_t written_at,
                      std::string* out) {
  const size_t start = out->size();
  AppendRow(row, table, out);
  (*out)[start] = static_cast<char>(kStampedRowFormatVersion);
  char stamp[8];
  for (int i = 0; i < 8; ++i)
    stamp[i] = static_cast<char>(static_cast<uint64_t>(written_at) >> (8 * i));
  out->insert(start + 1, stamp, 8);
}

std::optional<int64_t> RowWriteStamp(std::string_view bytes) {
  if (bytes.size() < 9 || static_cast<uint8_t>(bytes[0]) != kStampedRowFormatVersion) {
    return std::nullopt;
  }
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i)
    v |= static_cast<uint64_t>(static_cast<uint8_t>(bytes[1 + i])) << (8 * i);
  return static_cast<int64_t>(v);
}

std::string EncodeRow(const Row& row, const TableInfo& table) {
  std::string out;
  AppendRow(row, table, &out);
  return out;
}

void AppendRow(const Row& row, const TableInfo& table, std::string* dst) {
  const size_t n = table.columns.size();
  if (row.size() != n) {
    Throw(SqlState::kInternalError, "row of {} values for table \"{}\" with {} columns", row.size(),
          table.name, n);
  }
  std::string& out = *dst;
  out.push_back(static_cast<char>(kRowFormatVersion));
  AppendVarint(n, &out);
  size_t bitmap_pos = out.size();
  out.append((n + 7) / 8, '\0');
  for (size_t c = 0; c < n; ++c) {
    const Value& v = row[c];
    if (v.is_null) {
      out[bitmap_pos + c / 8] = static_cast<char>(out[bitmap_pos + c / 8] | (1 << (c % 8)));
      continue;
    }
    const TypeId col = table.columns[c].type.id;
    if (!Storable(col, v.type.id)) {
      Throw(SqlState::kInternalError, "cannot store a value of type {} in column \"{}\" of type {}",
            TypeName(v.type), table.columns[c].name, TypeName(table.columns[c].type));
    }
    if (IsArrayType(col)) {  // the blob as is (common/array.h)
      AppendVarint(v.s.size(), &out);
      out += v.s;
      continue;
    }
    switch (col) {
      case TypeId::kBool:
        out.push_back(v.i != 0 ? '\x01' : '\x00');
        break;
      case TypeId::kInt16:
      case TypeId::kInt32:
      case TypeId::kInt64:
      case TypeId::kDate:
      case TypeId::kTimestamp:
      case TypeId::kTimestampTz: {
        int width = IntWidth(col);
        if (width < 8) {
          int64_t lim = int64_t{1} << (8 * width - 1);
          if (v.i < -lim || v.i >= lim) {
            Throw(SqlState::kInternalError, "value {} does not fit column \"{}\" of type {}", v.i,
                  table.columns[c].name, TypeName(table.columns[c].type));
          }
        }
        AppendLittleEndian(static_cast<uint64_t>(v.i), width, &out);
        break;
      }
      case TypeId::kFloat64:
        AppendLittleEndian(std::bit_cast<uint64_t>(v.f), 8, &out);
        break;
      case TypeId::kFloat32:  // 4 bytes, as PostgreSQL stores a real
        AppendLittleEndian(std::bit_cast<uint32_t>(static_cast<float>(v.f)), 4, &out);
        break;
      case TypeId::kNumeric: {
        std::string text = v.num.ToString();
        AppendVarint(text.size(), &out);
        out += text;
        break;
      }
      case TypeId::kText:
      case TypeId::kVarchar:
      case TypeId::kBpchar:
      case TypeId::kName:
      case TypeId::kUnknown:
        AppendVarint(v.s.size(), &out);
        out += v.s;
        break;
      case TypeId::kInterval:  // usec, days, months, as PostgreSQL lays it out
        AppendLittleEndian(static_cast<uint64_t>(v.i), 8, &out);
        AppendLittleEndian(static_cast<uint64_t>(v.i2), 8, &out);
        break;
      case TypeId::kVoid:
        Throw(SqlState::kInternalError, "cannot store a value of type void");
      default:  // a type with registry hooks, by its layout
        if (TypeInfoOf(col).layout == ValueLayout::kInt64Pair) {
          AppendLittleEndian(static_cast<uint64_t>(v.i), 8, &out);
          AppendLittleEndian(static_cast<uint64_t>(v.i2), 8, &out);
        } else if (TypeInfoOf(col).layout == ValueLayout::kInt64) {  // time
          AppendLittleEndian(static_cast<uint64_t>(v.i), 8, &out);
        } else {
          AppendVarint(v.s.size(), &out);
          out += v.s;
        }
        break;
    }
  }
}

FieldCodec FieldCodecOf(Type type) {
  if (IsArrayType(type.id)) return {FieldKind::kBytes, 0};
  switch (type.id) {
    case TypeId::kBool:
      return {FieldKind::kBool, 1};
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
    case TypeId::kDate:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      return {FieldKind::kInt, static_cast<uint8_t>(IntWidth(type.id))};
    case TypeId::kFloat64:
      return {FieldKind::kFloat64, 8};
    case TypeId::kFloat32:
      return {FieldKind::kFloat32, 4};
    case TypeId::kNumeric:  // its text
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kBpchar:
    case TypeId::kName:
    case TypeId::kUnknown:
      return {FieldKind::kBytes, 0};
    case TypeId::kInterval:
      return {FieldKind::kPair, 16};
    case TypeId::kVoid:  // never stored (no column has this type)
      return {FieldKind::kInvalid, 0};
    default:
      switch (TypeInfoOf(type.id).layout) {
        case ValueLayout::kInt64Pair:
          return {FieldKind::kPair, 16};
        case ValueLayout::kInt64:
          return {FieldKind::kInt, 8};
        default:
          return {FieldKind::kBytes, 0};
      }
  }
}

std::vector<FieldCodec> RowFieldCodecs(const TableInfo& table) {
  std::vector<FieldCodec> codecs;
  codecs.reserve(table.columns.size());
  for (const auto& c : table.columns) codecs.push_back(FieldCodecOf(c.type));
  return codecs;
}

namespace {

inline uint64_t ReadVarint(const uint8_t*& p, const uint8_t* end) {
  uint64_t x = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (p >= end) Corrupt();
    const uint8_t c = *p++;
    x |= static_cast<uint64_t>(c & 0x7f) << shift;
    if ((c & 0x80) == 0) return x;
  }
  Corrupt();
}

inline uint64_t ReadLittleEndian(const uint8_t*& p, const uint8_t* end, int bytes) {
  if (end - p < bytes) Corrupt();
  uint64_t x = 0;
  switch (bytes) {  // the common widths as one load (the encoding is little-endian)
    case 8:
      std::memcpy(&x, p, 8);
      break;
    case 4: {
      uint32_t w;
      std::memcpy(&w, p, 4);
      x = w;
      break;
    }
    case 2: {
      uint16_t w;
      std::memcpy(&w, p, 2);
      x = w;
      break;
    }
    default:
      for (int i = 0; i < bytes; ++i) x |= static_cast<uint64_t>(p[i]) << (8 * i);
  }
  p += bytes;
  return x;
}

}  // namespace

void FieldDecoder::Begin(std::string_view bytes) {
  p_ = reinterpret_cast<const uint8_t*>(bytes.data());
  end_ = p_ + bytes.size();
  if (p_ >= end_) Corrupt();
  const uint8_t version = *p_++;
  if (version == kStampedRowFormatVersion) {
    if (end_ - p_ < 8) Corrupt();
    p_ += 8;
  } else if (version != kRowFormatVersion) {
    Corrupt();
  }
  stored_ = ReadVarint(p_, end_);
  if (stored_ > bytes.size() * 8 || stored_ > codecs_.size()) Corrupt();
  const size_t bitmap_bytes = (stored_ + 7) / 8;
  if (static_cast<size_t>(end_ - p_) < bitmap_bytes) Corrupt();
  bitmap_ = p_;
  p_ += bitmap_bytes;
  next_ = 0;
}

void FieldDecoder::DecodeTo(size_t n, Field* fields) {
  // The position in locals (the stores into the fields could otherwise reload p_ each field).
  const uint8_t* p = p_;
  const uint8_t* const end = end_;
  const uint8_t* const bitmap = bitmap_;
  const FieldCodec* const codecs = codecs_.data();
  for (size_t c = next_; c < n; ++c) {
    Field& f = fields[c];
    if (c >= stored_ || (bitmap[c / 8] >> (c % 8)) & 1) {
      f.null = true;
      continue;
    }
    f.null = false;
    switch (codecs[c].kind) {
      case FieldKind::kBool:
        if (p >= end) Corrupt();
        f.i = *p++ != 0 ? 1 : 0;
        break;
      case FieldKind::kInt: {
        const int width = codecs[c].width;
        uint64_t x = ReadLittleEndian(p, end, width);
        if (width < 8) {  // sign-extend
          uint64_t sign = uint64_t{1} << (8 * width - 1);
          x = (x ^ sign) - sign;
        }
        f.i = static_cast<int64_t>(x);
        break;
      }
      case FieldKind::kFloat64:
        f.f = std::bit_cast<double>(ReadLittleEndian(p, end, 8));
        break;
      case FieldKind::kFloat32:
        f.f = std::bit_cast<float>(static_cast<uint32_t>(ReadLittleEndian(p, end, 4)));
        break;
      case FieldKind::kBytes: {
        const uint64_t len = ReadVarint(p, end);
        if (static_cast<uint64_t>(end - p) < len) Corrupt();
        f.bytes = std::string_view(reinterpret_cast<const char*>(p), len);
        p += len;
        break;
      }
      case FieldKind::kPair:
        f.i = static_cast<int64_t>(ReadLittleEndian(p, end, 8));
        f.i2 = static_cast<int64_t>(ReadLittleEndian(p, end, 8));
        break;
      case FieldKind::kInvalid:
        Corrupt();
    }
  }
  p_ = p;
  if (n > next_) next_ = n;
}

void DecodeFields(std::string_view bytes, std::span<const FieldCodec> codecs, size_t n,
                  Field* fields) {
  FieldDecoder d(codecs);
  d.Begin(bytes);
  d.DecodeTo(n, fields);
  // More stored columns than the table has means the row was written for another definition.
  if (n == codecs.size() && !d.AtEnd()) Corrupt();
}

Value FieldToValue(const Field& f, FieldCodec codec, Type type) {
  Value v;
  v.type = type;
  if (f.null) return v;
  v.is_null = false;
  switch (codec.kind) {
    case FieldKind::kBool:
    case FieldKind::kInt:
      v.i = f.i;
      break;
    case FieldKind::kFloat64:
    case FieldKind::kFloat32:
      v.f = f.f;
      break;
    case FieldKind::kBytes:
      if (v.type.id == TypeId::kNumeric) {
        v.num = Numeric::Parse(f.bytes);
      } else {
        v.s = std::string(f.bytes);
      }
      break;
    case FieldKind::kPair:
      v.i = f.i;
      v.i2 = f.i2;
      break;
    case FieldKind::kInvalid:
      Corrupt();
  }
  return v;
}

Row DecodeRow(std::string_view bytes, const TableInfo& table) {
  const size_t n = table.columns.size();
  std::vector<FieldCodec> codecs = RowFieldCodecs(table);
  std::vector<Field> fields(n);
  DecodeFields(bytes, codecs, n, fields.data());
  Row row;
  row.reserve(n);
  for (size_t c = 0; c < n; ++c)
    row.push_back(FieldToValue(fields[c], codecs[c], table.columns[c].type));
  return row;
}

std::vector<Value> DecodeColumns(std::string_view bytes, const TableInfo& table,
                                 std::span<const FieldCodec> codecs, const std::vector<int>& cols,
                                 std::vector<Field>* scratch) {
  size_t n = 0;
  for (int c : cols) n = std::max(n, static_cast<size_t>(c) + 1);
  scratch->resize(n);
  DecodeFields(bytes, codecs, n, scratch->data());
  std::vector<Value> out;
  out.reserve(cols.size());
  for (int c : cols) out.push_back(FieldToValue((*scratch)[c], codecs[c], table.columns[c].type));
  return out;
}

}  // namespace activestore::storage
