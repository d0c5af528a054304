// Native compression of hypertable chunks: the column codec, the compressed table, compressing
// and decompressing a chunk, and the batch reader of the scan. See chunk_compression.h and
// docs/design/2026-12-06-chunk-compression.md.
#include "executor/chunk_compression.h"

#include <zstd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <numeric>
#include <set>

#include "common/error.h"
#include "common/value_ops.h"
#include "executor/deparse.h"
#include "executor/exec_state.h"
#include "executor/executor.h"
#include "executor/hypertables.h"
#include "storage/table_store.h"

namespace activestore::executor {

namespace {

constexpr uint8_t kFormatVersion = 1;
constexpr int kZstdLevel = 3;

[[noreturn]] void Malformed() { Throw(SqlState::kDataCorrupted, "invalid compressed batch"); }

void PutVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

uint64_t GetVarint(const uint8_t** p, const uint8_t* end) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (*p >= end) Malformed();
    const uint8_t b = *(*p)++;
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return v;
  }
  Malformed();
}

uint64_t ZigZag(uint64_t v) {
  return (v << 1) ^ static_cast<uint64_t>(static_cast<int64_t>(v) >> 63);
}
uint64_t UnZigZag(uint64_t v) { return (v >> 1) ^ (~(v & 1) + 1); }

// Delta-of-delta in wrapping uint64 arithmetic (exact for every int64 sequence).
void PutIntStream(const std::vector<int64_t>& values, std::string* out) {
  uint64_t prev = 0, prev_delta = 0;
  for (int64_t x : values) {
    const uint64_t v = static_cast<uint64_t>(x);
    const uint64_t delta = v - prev;
    PutVarint(ZigZag(delta - prev_delta), out);
    prev = v;
    prev_delta = delta;
  }
}

void GetIntStream(const uint8_t** p, const uint8_t* end, size_t n, std::vector<int64_t>* out) {
  out->resize(n);
  uint64_t prev = 0, prev_delta = 0;
  for (size_t k = 0; k < n; ++k) {
    const uint64_t delta = prev_delta + UnZigZag(GetVarint(p, end));
    prev += delta;
    prev_delta = delta;
    (*out)[k] = static_cast<int64_t>(prev);
  }
}

// Floats: each value's bits XORed with the previous value's (equal and close values give
// zeros in the high bytes), written as 8 byte planes so that zstd sees the zeros together.
void PutFloatStream(const std::vector<double>& values, std::string* out) {
  const size_t n = values.size();
  const size_t base = out->size();
  out->resize(base + 8 * n);
  uint64_t prev = 0;
  for (size_t k = 0; k < n; ++k) {
    uint64_t bits;
    std::memcpy(&bits, &values[k], 8);
    const uint64_t x = bits ^ prev;
    prev = bits;
    for (size_t b = 0; b < 8; ++b) (*out)[base + b * n + k] = static_cast<char>(x >> (8 * b));
  }
}

void GetFloatStream(const uint8_t** p, const uint8_t* end, size_t n, std::vector<double>* out) {
  if (static_cast<size_t>(end - *p) < 8 * n) Malformed();
  out->resize(n);
  uint64_t prev = 0;
  for (size_t k = 0; k < n; ++k) {
    uint64_t x = 0;
    for (size_t b = 0; b < 8; ++b) x |= static_cast<uint64_t>((*p)[b * n + k]) << (8 * b);
    prev ^= x;
    std::memcpy(&(*out)[k], &prev, 8);
  }
  *p += 8 * n;
}

bool IsIntKind(storage::FieldKind k) {
  return k == storage::FieldKind::kInt || k == storage::FieldKind::kBool;
}
bool IsFloatKind(storage::FieldKind k) {
  return k == storage::FieldKind::kFloat64 || k == storage::FieldKind::kFloat32;
}

}  // namespace

// Layout: version byte, varint row count, varint raw length, then the zstd frame of: a byte
// "has nulls", the null bitmap if so, then the non-NULL values by kind.
std::string EncodeColumn(storage::FieldCodec codec, const std::vector<storage::Field>& fields) {
  const size_t n = fields.size();
  std::string raw;
  bool has_nulls = false;
  for (const auto& f : fields) has_nulls |= f.null;
  raw.push_back(has_nulls ? 1 : 0);
  if (has_nulls) {
    std::string bitmap((n + 7) / 8, '\0');
    for (size_t k = 0; k < n; ++k) {
      if (fields[k].null) bitmap[k / 8] = static_cast<char>(bitmap[k / 8] | (1 << (k % 8)));
    }
    raw += bitmap;
  }
  if (IsIntKind(codec.kind)) {
    std::vector<int64_t> v;
    v.reserve(n);
    for (const auto& f : fields)
      if (!f.null) v.push_back(f.i);
    PutIntStream(v, &raw);
  } else if (IsFloatKind(codec.kind)) {
    std::vector<double> v;
    v.reserve(n);
    for (const auto& f : fields)
      if (!f.null) v.push_back(f.f);
    PutFloatStream(v, &raw);
  } else if (codec.kind == storage::FieldKind::kPair) {
    std::vector<int64_t> a, b;
    for (const auto& f : fields) {
      if (f.null) continue;
      a.push_back(f.i);
      b.push_back(f.i2);
    }
    PutIntStream(a, &raw);
    PutIntStream(b, &raw);
  } else if (codec.kind == storage::FieldKind::kBytes) {
    for (const auto& f : fields) {
      if (f.null) continue;
      PutVarint(f.bytes.size(), &raw);
      raw.append(f.bytes);
    }
  } else {
    Throw(SqlState::kInternalError, "column kind cannot be compressed");
  }
  std::string out;
  out.push_back(static_cast<char>(kFormatVersion));
  PutVarint(n, &out);
  PutVarint(raw.size(), &out);
  const size_t header = out.size();
  out.resize(header + ZSTD_compressBound(raw.size()));
  const size_t written =
      ZSTD_compress(out.data() + header, out.size() - header, raw.data(), raw.size(), kZstdLevel);
  if (ZSTD_isError(written)) {
    Throw(SqlState::kInternalError, "zstd compression failed: {}", ZSTD_getErrorName(written));
  }
  out.resize(header + written);
  return out;
}

void DecodeColumn(std::string_view blob, storage::FieldCodec codec,
                  std::vector<storage::Field>* out, std::string* buffer) {
  const uint8_t* p = reinterpret_cast<const uint8_t*>(blob.data());
  const uint8_t* end = p + blob.size();
  if (p == end || *p++ != kFormatVersion) Malformed();
  const uint64_t n = GetVarint(&p, end);
  const uint64_t raw_size = GetVarint(&p, end);
  if (n > (1u << 24) || raw_size > (1u << 30)) Malformed();
  buffer->resize(raw_size);
  const size_t got = ZSTD_decompress(buffer->data(), raw_size, p, static_cast<size_t>(end - p));
  if (ZSTD_isError(got) || got != raw_size) Malformed();
  const uint8_t* q = reinterpret_cast<const uint8_t*>(buffer->data());
  const uint8_t* qend = q + raw_size;
  if (q == qend) Malformed();
  const bool has_nulls = *q++ != 0;
  std::vector<bool> nulls(n, false);
  size_t present = n;
  if (has_nulls) {
    const size_t bytes = (n + 7) / 8;
    if (static_cast<size_t>(qend - q) < bytes) Malformed();
    present = 0;
    for (size_t k = 0; k < n; ++k) {
      nulls[k] = (q[k / 8] >> (k % 8)) & 1;
      if (!nulls[k]) ++present;
    }
    q += bytes;
  }
  out->assign(n, storage::Field{});
  auto place = [&](auto&& set) {
    size_t j = 0;
    for (size_t k = 0; k < n; ++k) {
      if (nulls[k]) continue;
      (*out)[k].null = false;
      set((*out)[k], j++);
    }
  };
  if (IsIntKind(codec.kind)) {
    std::vector<int64_t> v;
    GetIntStream(&q, qend, present, &v);
    place([&](storage::Field& f, size_t j) { f.i = v[j]; });
  } else if (IsFloatKind(codec.kind)) {
    std::vector<double> v;
    GetFloatStream(&q, qend, present, &v);
    place([&](storage::Field& f, size_t j) { f.f = v[j]; });
  } else if (codec.kind == storage::FieldKind::kPair) {
    std::vector<int64_t> a, b;
    GetIntStream(&q, qend, present, &a);
    GetIntStream(&q, qend, present, &b);
    place([&](storage::Field& f, size_t j) {
      f.i = a[j];
      f.i2 = b[j];
    });
  } else if (codec.kind == storage::FieldKind::kBytes) {
    place([&](storage::Field& f, size_t) {
      const uint64_t len = GetVarint(&q, qend);
      if (static_cast<uint64_t>(qend - q) < len) Malformed();
      f.bytes = std::string_view(reinterpret_cast<const char*>(q), len);
      q += len;
    });
  } else {
    Malformed();
  }
  if (q != qend) Malformed();
}

namespace {

bool HasMinMax(const storage::ColumnInfo& c) {
  const storage::FieldKind k = storage::FieldCodecOf(c.type).kind;
  return k == storage::FieldKind::kInt || k == storage::FieldKind::kFloat64;
}

// The stored bytes (keys plus values) of the shard tables of a table or an index.
int64_t StoredBytes(storage::Transaction* txn, uint32_t shards,
                    const std::function<std::string(uint32_t)>& table) {
  int64_t bytes = 0;
  for (uint32_t s = 0; s < shards; ++s) {
    auto cur = txn->Scan(table(s));
    while (cur->Next()) bytes += static_cast<int64_t>(cur->key().size() + cur->value().size());
  }
  return bytes;
}

// NULLs sort as the orderby says; segmentby values group NULLs together (first).
int CompareForOrder(const Value& a, const Value& b, bool desc, bool nulls_first) {
  if (a.is_null || b.is_null) {
    if (a.is_null && b.is_null) return 0;
    return a.is_null == nulls_first ? -1 : 1;
  }
  const int c = CompareValues(a, b);
  return desc ? -c : c;
}

// Segmentby values group rows that hold the very same value, not only equal ones (1.0 and 1.00,
// 0.0 and -0.0 are equal but print differently): equal values are ordered by their
// representation, and a batch holds one representation.
int CompareSegment(const Value& a, const Value& b) {
  const int c = CompareForOrder(a, b, false, true);
  if (c != 0 || a.is_null || b.is_null) return c;
  if (a.type.id == TypeId::kNumeric) return a.num.ToString().compare(b.num.ToString());
  if (a.i != b.i) return a.i < b.i ? -1 : 1;
  if (a.i2 != b.i2) return a.i2 < b.i2 ? -1 : 1;
  uint64_t fa, fb;
  std::memcpy(&fa, &a.f, 8);
  std::memcpy(&fb, &b.f, 8);
  if (fa != fb) return fa < fb ? -1 : 1;
  return a.s.compare(b.s);
}

}  // namespace

CompressedLayout LayoutOf(const storage::TableInfo& ht, const storage::TableInfo& chunk) {
  const storage::HypertableInfo& h = *ht.hypertable;
  const size_t n = chunk.columns.size();
  CompressedLayout l;
  l.segmentby.assign(n, false);
  for (int c : h.segmentby) {
    if (static_cast<size_t>(c) < n) l.segmentby[static_cast<size_t>(c)] = true;
  }
  l.count_column = static_cast<int>(n);
  l.min_column.assign(n, -1);
  l.max_column.assign(n, -1);
  auto add_meta = [&](int c) {
    if (c < 0 || static_cast<size_t>(c) >= n) return;
    if (l.segmentby[static_cast<size_t>(c)] || l.min_column[static_cast<size_t>(c)] >= 0) return;
    if (!HasMinMax(chunk.columns[static_cast<size_t>(c)])) return;
    const int k = static_cast<int>(l.meta_columns.size());
    l.min_column[static_cast<size_t>(c)] = static_cast<int>(n) + 1 + 2 * k;
    l.max_column[static_cast<size_t>(c)] = static_cast<int>(n) + 2 + 2 * k;
    l.meta_columns.push_back(c);
  };
  for (int c : h.orderby) add_meta(c);
  add_meta(h.time_column);
  return l;
}

std::string CompressedTableName(const storage::TableInfo& chunk) {
  const storage::ChunkInfo& c = *chunk.chunk;
  // The chunk's name carries its hypertable id: _hyper_<ht>_<id>_chunk.
  std::string name = chunk.name;
  if (name.rfind("_hyper_", 0) == 0) return "compress" + name;
  return fmt::format("compress_hyper_{}_chunk", c.id);
}

void CompressChunk(ExecState& st, const storage::TableInfo& ht, const storage::TableInfo& chunk) {
  storage::CatalogTxn* txn = HypertableTxn(st);
  const storage::HypertableInfo& h = *ht.hypertable;
  CheckChunkColumns(ht, chunk);
  // Readers go on; writers of the chunk wait (TimescaleDB takes an ExclusiveLock too).
  txn->LockRelation(chunk.oid, storage::LockMode::kExclusive);
  const CompressedLayout layout = LayoutOf(ht, chunk);
  const size_t ncols = chunk.columns.size();

  // The chunk's rows, with their keys (for the delete) and stored bytes (for the codec).
  auto shared_chunk = st.ctx.catalog_view->FindRelationByOid(chunk.oid);
  std::vector<storage::StoredRow> rows;
  int64_t before_table = 0;
  for (uint32_t s = 0; s < chunk.shard_count; ++s) {
    storage::ShardScanner scanner(txn, shared_chunk, s);
    std::string_view key, bytes;
    while (scanner.NextRaw(&key, &bytes)) {
      before_table += static_cast<int64_t>(key.size() + bytes.size());
      rows.push_back(storage::StoredRow{s, std::string(key), storage::DecodeRow(bytes, chunk)});
    }
  }
  int64_t before_index = 0;
  for (const storage::IndexInfo& index : chunk.indexes) {
    if (index.primary) continue;
    before_index +=
        StoredBytes(txn, chunk.shard_count, [&](uint32_t s) { return index.ShardTable(s); });
  }
  st.CheckCancel();

  // Sorted by the segmentby values, then the orderby columns.
  std::vector<size_t> order(rows.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    const storage::Row& a = rows[x].row;
    const storage::Row& b = rows[y].row;
    for (int c : h.segmentby) {
      const int r = CompareSegment(a[c], b[c]);
      if (r != 0) return r < 0;
    }
    for (size_t k = 0; k < h.orderby.size(); ++k) {
      const int c = h.orderby[k];
      const int r = CompareForOrder(a[c], b[c], h.orderby_desc[k], h.orderby_nulls_first[k]);
      if (r != 0) return r < 0;
    }
    return false;
  });

  // The compressed table.
  storage::TableInfo ct;
  ct.database_oid = chunk.database_oid;
  ct.schema = kChunkSchema;
  ct.name = CompressedTableName(chunk);
  for (size_t c = 0; c < ncols; ++c) {
    storage::ColumnInfo col;
    col.name = chunk.columns[c].name;
    col.type = layout.segmentby[c] ? chunk.columns[c].type : Type::Of(TypeId::kBytea);
    ct.columns.push_back(col);
  }
  {
    storage::ColumnInfo count;
    count.name = "_ts_meta_count";
    count.type = Type::Of(TypeId::kInt32);
    ct.columns.push_back(count);
    for (size_t k = 0; k < layout.meta_columns.size(); ++k) {
      for (const char* which : {"min", "max"}) {
        storage::ColumnInfo m;
        m.name = fmt::format("_ts_meta_{}_{}", which, k + 1);
        m.type = chunk.columns[static_cast<size_t>(layout.meta_columns[k])].type;
        ct.columns.push_back(m);
      }
    }
  }
  ct.shard_count = chunk.shard_count;
  ct.acl = chunk.acl;
  txn->set_creator(ht.owner);
  auto compressed = st.ctx.catalog->CreateTable(txn, std::move(ct));

  // The batches: per segment, up to kMaxBatchRows rows in orderby order.
  const std::vector<storage::FieldCodec> codecs = storage::RowFieldCodecs(chunk);
  std::vector<storage::Field> fields;
  std::vector<std::string> text;  // the bytes kBytes fields point into
  int64_t batches = 0;
  size_t at = 0;
  while (at < order.size()) {
    size_t end = at + 1;
    while (end < order.size() && end - at < kMaxBatchRows) {
      bool same = true;
      for (int c : h.segmentby) {
        same &= CompareSegment(rows[order[at]].row[c], rows[order[end]].row[c]) == 0;
      }
      if (!same) break;
      ++end;
    }
    storage::Row out(compressed->columns.size(), Value());
    const storage::Row& first = rows[order[at]].row;
    for (size_t c = 0; c < ncols; ++c) {
      if (layout.segmentby[c]) {
        out[c] = first[c];
        continue;
      }
      fields.assign(end - at, storage::Field{});
      text.assign(end - at, std::string());
      for (size_t r = at; r < end; ++r) {
        const Value& v = rows[order[r]].row[c];
        storage::Field& f = fields[r - at];
        if (v.is_null) continue;
        f.null = false;
        f.i = v.i;
        f.i2 = v.i2;
        f.f = v.f;
        if (codecs[c].kind == storage::FieldKind::kBytes) {
          text[r - at] = v.type.id == TypeId::kNumeric ? v.num.ToString() : v.s;
          f.bytes = text[r - at];
        }
      }
      out[c] = Value::Text(EncodeColumn(codecs[c], fields), TypeId::kBytea);
    }
    out[static_cast<size_t>(layout.count_column)] = Value::Int32(static_cast<int32_t>(end - at));
    for (int c : layout.meta_columns) {
      const size_t cc = static_cast<size_t>(c);
      Value lo = Value::Null(chunk.columns[cc].type), hi = lo;
      for (size_t r = at; r < end; ++r) {
        const Value& v = rows[order[r]].row[cc];
        if (v.is_null) continue;
        if (lo.is_null || CompareValues(v, lo) < 0) lo = v;
        if (hi.is_null || CompareValues(v, hi) > 0) hi = v;
      }
      out[static_cast<size_t>(layout.min_column[cc])] = lo;
      out[static_cast<size_t>(layout.max_column[cc])] = hi;
    }
    storage::TableStore::Insert(st.ctx.catalog, txn, *compressed, out, /*lock_rows=*/false);
    ++batches;
    at = end;
    st.CheckCancel();
  }
  for (const storage::StoredRow& r : rows) storage::TableStore::Delete(txn, chunk, r);
  const int64_t after_table = StoredBytes(txn, compressed->shard_count,
                                          [&](uint32_t s) { return compressed->ShardTable(s); });

  storage::TableInfo next = chunk;
  next.chunk->compressed_table = compressed->oid;
  next.chunk->before_table_bytes = before_table;
  next.chunk->before_index_bytes = before_index;
  next.chunk->after_table_bytes = after_table;
  next.chunk->rows_pre = static_cast<int64_t>(rows.size());
  next.chunk->rows_post = batches;
  st.ctx.catalog->UpdateRelation(txn, next);
  st.ctx.catalog_view = txn->Snapshot();
}

namespace {

// The rows of the batches of one shard of `compressed` that `tests` do not rule out, appended to
// *rows (the chunk's columns); returns the keys of those batches.
std::set<std::string> ReadBatchRows(ExecState& st, const storage::TableInfo& ht,
                                    const storage::TableInfo& chunk,
                                    const std::shared_ptr<const storage::TableInfo>& compressed,
                                    uint32_t shard, std::vector<BatchTest> tests,
                                    std::vector<storage::Row>* rows) {
  std::vector<int> all(chunk.columns.size());
  std::iota(all.begin(), all.end(), 0);
  const std::vector<storage::FieldCodec> codecs = storage::RowFieldCodecs(chunk);
  std::set<std::string> keys;
  CompressedBatchReader reader(st, ht, chunk, compressed, shard, std::move(tests));
  std::vector<std::vector<storage::Field>> fields;
  size_t n = 0;
  std::string_view key;
  while (reader.Next(all, &fields, &n, &key)) {
    keys.emplace(key);
    for (size_t r = 0; r < n; ++r) {
      storage::Row row;
      row.reserve(all.size());
      for (size_t c = 0; c < all.size(); ++c) {
        row.push_back(storage::FieldToValue(fields[c][r], codecs[c], chunk.columns[c].type));
      }
      rows->push_back(std::move(row));
    }
    st.CheckCancel();
  }
  return keys;
}

}  // namespace

void DecompressChunk(ExecState& st, const storage::TableInfo& ht, const storage::TableInfo& chunk) {
  storage::CatalogTxn* txn = HypertableTxn(st);
  txn->LockRelation(chunk.oid, storage::LockMode::kExclusive);
  auto compressed = st.ctx.catalog_view->FindRelationByOid(chunk.chunk->compressed_table);
  if (!compressed) {
    Throw(SqlState::kInternalError, "compressed table of chunk \"{}\" is missing", chunk.name);
  }
  std::vector<storage::Row> rows;
  for (uint32_t s = 0; s < compressed->shard_count; ++s) {
    ReadBatchRows(st, ht, chunk, compressed, s, {}, &rows);
  }
  for (const storage::Row& row : rows) {
    storage::TableStore::Insert(st.ctx.catalog, txn, chunk, row, /*lock_rows=*/false);
  }
  storage::TableInfo next = chunk;
  next.chunk->compressed_table = 0;
  next.chunk->before_table_bytes = next.chunk->before_index_bytes = 0;
  next.chunk->after_table_bytes = next.chunk->rows_pre = next.chunk->rows_post = 0;
  st.ctx.catalog->UpdateRelation(txn, next);
  st.ctx.catalog_view = txn->Snapshot();
  if (!st.ctx.run_utility) {
    Throw(SqlState::kFeatureNotSupported, "decompress_chunk is not available here");
  }
  st.ctx.run_utility(
      "DROP TABLE " + QuoteIdent(compressed->schema) + "." + QuoteIdent(compressed->name), &st.ctx);
}

int64_t DecompressBatches(ExecState& st, const storage::TableInfo& ht,
                          const storage::TableInfo& chunk, std::vector<BatchTest> tests) {
  storage::Transaction* txn = st.ctx.txn;
  auto compressed = st.ctx.catalog_view->FindRelationByOid(chunk.chunk->compressed_table);
  if (!compressed) {
    Throw(SqlState::kInternalError, "compressed chunk \"{}\" has lost its compressed table",
          chunk.name);
  }
  // Concurrent UPDATEs and DELETEs of the chunk take turns here (readers go on); compress_chunk
  // and decompress_chunk are kept out by their EXCLUSIVE lock on the chunk itself. Under a
  // snapshot, a batch another statement decompressed meanwhile fails its delete with 40001.
  txn->LockRelation(compressed->oid, storage::LockMode::kExclusive);
  std::vector<storage::Row> rows;
  int64_t batches = 0;
  for (uint32_t s = 0; s < compressed->shard_count; ++s) {
    const std::set<std::string> keys = ReadBatchRows(st, ht, chunk, compressed, s, tests, &rows);
    if (keys.empty()) continue;
    // The batch rows themselves, decoded (for their index entries), then deleted.
    std::vector<storage::StoredRow> gone;
    storage::ShardScanner scanner(txn, compressed, s);
    std::vector<storage::StoredRow> batch;
    while (scanner.NextBatch(&batch, 64)) {
      for (auto& r : batch) {
        if (keys.count(r.key) != 0) gone.push_back(std::move(r));
      }
      batch.clear();
    }
    for (const auto& r : gone) storage::TableStore::Delete(txn, *compressed, r);
    batches += static_cast<int64_t>(gone.size());
  }
  for (const storage::Row& row : rows) {
    storage::TableStore::Insert(st.ctx.catalog, txn, chunk, row);
  }
  return batches;
}

// ---- CompressedBatchReader ----

CompressedBatchReader::CompressedBatchReader(ExecState& st, const storage::TableInfo& ht,
                                             const storage::TableInfo& chunk,
                                             std::shared_ptr<const storage::TableInfo> compressed,
                                             uint32_t shard, std::vector<BatchTest> tests)
    : compressed_(std::move(compressed)),
      chunk_codecs_(storage::RowFieldCodecs(chunk)),
      codecs_(storage::RowFieldCodecs(*compressed_)),
      layout_(LayoutOf(ht, chunk)),
      tests_(std::move(tests)) {
  scanner_ = std::make_unique<storage::ShardScanner>(st.ctx.txn, compressed_, shard);
  fields_.resize(compressed_->columns.size());
}

CompressedBatchReader::~CompressedBatchReader() = default;

namespace {

template <typename T>
bool Holds(BatchTest::Op op, T a, T b) {
  switch (op) {
    case BatchTest::kEq:
      return a == b;
    case BatchTest::kNe:
      return a != b;
    case BatchTest::kLt:
      return a < b;
    case BatchTest::kLe:
      return a <= b;
    case BatchTest::kGt:
      return a > b;
    case BatchTest::kGe:
      return a >= b;
  }
  return true;
}

// Whether some value in [lo, hi] may satisfy `v op c`.
template <typename T>
bool RangeMayHold(BatchTest::Op op, T lo, T hi, T c) {
  switch (op) {
    case BatchTest::kEq:
      return lo <= c && c <= hi;
    case BatchTest::kNe:
      return !(lo == c && hi == c);
    case BatchTest::kLt:
      return lo < c;
    case BatchTest::kLe:
      return lo <= c;
    case BatchTest::kGt:
      return hi > c;
    case BatchTest::kGe:
      return hi >= c;
  }
  return true;
}

}  // namespace

bool CompressedBatchReader::MayPass(const std::vector<storage::Field>& row) const {
  for (const BatchTest& t : tests_) {
    if (t.column >= layout_.segmentby.size()) continue;
    if (layout_.segmentby[t.column]) {
      const storage::Field& f = row[t.column];
      if (f.null) return false;
      if (t.is_float) {
        if (!std::isnan(f.f) && !Holds(t.op, f.f, t.f)) return false;
      } else if (!Holds(t.op, f.i, t.i)) {
        return false;
      }
      continue;
    }
    const int lo_col = layout_.min_column[t.column];
    if (lo_col < 0) continue;
    const storage::Field& lo = row[static_cast<size_t>(lo_col)];
    const storage::Field& hi = row[static_cast<size_t>(layout_.max_column[t.column])];
    if (lo.null || hi.null) return false;  // every value of the batch is NULL
    if (t.is_float) {
      // NaN sorts above every number (PostgreSQL's order), so max may be NaN: then only the
      // lower bound is known.
      if (std::isnan(lo.f)) continue;
      const double h = std::isnan(hi.f) ? HUGE_VAL : hi.f;
      if (!std::isnan(hi.f) && !RangeMayHold(t.op, lo.f, h, t.f)) return false;
      if (std::isnan(hi.f) && (t.op == BatchTest::kLt || t.op == BatchTest::kLe) &&
          !RangeMayHold(t.op, lo.f, h, t.f)) {
        return false;
      }
    } else if (!RangeMayHold(t.op, lo.i, hi.i, t.i)) {
      return false;
    }
  }
  return true;
}

bool CompressedBatchReader::Next(const std::vector<int>& columns,
                                 std::vector<std::vector<storage::Field>>* fields, size_t* rows,
                                 std::string_view* key) {
  std::string_view bytes;
  while (scanner_->NextRaw(key, &bytes)) {
    storage::DecodeFields(bytes, codecs_, codecs_.size(), fields_.data());
    if (!MayPass(fields_)) {
      ++skipped_;
      continue;
    }
    const storage::Field& count = fields_[static_cast<size_t>(layout_.count_column)];
    const size_t n = count.null ? 0 : static_cast<size_t>(count.i);
    fields->resize(columns.size());
    buffers_.resize(columns.size());
    for (size_t k = 0; k < columns.size(); ++k) {
      const size_t c = static_cast<size_t>(columns[k]);
      std::vector<storage::Field>& out = (*fields)[k];
      if (layout_.segmentby[c]) {
        out.assign(n, fields_[c]);
        if (chunk_codecs_[c].kind == storage::FieldKind::kBytes && !fields_[c].null) {
          // The view points into the row bytes, which the next NextRaw replaces.
          buffers_[k].assign(fields_[c].bytes);
          for (auto& f : out) f.bytes = buffers_[k];
        }
        continue;
      }
      const storage::Field& blob = fields_[c];
      if (blob.null) Malformed();
      DecodeColumn(blob.bytes, chunk_codecs_[c], &out, &buffers_[k]);
      if (out.size() != n) Malformed();
    }
    *rows = n;
    return true;
  }
  return false;
}

}  // namespace activestore::executor
