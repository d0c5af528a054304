// kShardScan: the rows of one shard through storage::ShardScanner, projected to `columns`,
// filtered by `predicate` (over the projected columns), with row locations when asked.
//
// Without row locations (every plain SELECT) the rows are read as raw bytes and only the
// projected columns are decoded, straight into the column vectors (storage::DecodeFields): no
// Value per cell. Late materialisation: the conjuncts of the predicate that compare an int-class
// or float8 column with a constant (`device_id = 42`, `ts >= '...'`) are tested on the decoded
// fields first, and a row that fails one is dropped before its other columns are decoded or
// appended (the whole predicate still runs over the rows that pass); under a top-n sort on a
// worker (ExecState::scan_top_n) a row whose sort key is strictly worse than the n-th best key
// read so far is dropped the same way. Scans for UPDATE/DELETE/FOR UPDATE, which need each
// row's version stamps, read whole rows through ShardScanner::NextBatch.
//
// TABLESAMPLE (table_sample.h) drops rows as they are read, before the field tests and the
// predicate.
#include <algorithm>
#include <cmath>
#include <optional>

#include "common/error.h"
#include "common/value_ops.h"
#include "executor/chunk_compression.h"
#include "executor/expression_evaluator.h"
#include "executor/operators/operator.h"
#include "executor/operators/table_sample.h"
#include "executor/table_stats.h"
#include "storage/encoding.h"
#include "storage/table_store.h"

namespace activestore::executor {

namespace {

// `column op constant` on a decoded field: false only if the conjunct is certainly not true for
// the row (a NULL field, or the comparison false); a NaN is left to the predicate.
struct FieldTest {
  enum Op { kEq, kNe, kLt, kLe, kGt, kGe };
  size_t column = 0;  // table column
  Op op = kEq;
  bool is_float = false;
  int64_t i = 0;
  double f = 0;

  template <typename T>
  static bool Holds(Op op, T a, T b) {
    switch (op) {
      case kEq:
        return a == b;
      case kNe:
        return a != b;
      case kLt:
        return a < b;
      case kLe:
        return a <= b;
      case kGt:
        return a > b;
      case kGe:
        return a >= b;
    }
    return true;
  }
  bool MayPass(const storage::Field& field) const {
    if (field.null) return false;
    if (!is_float) return Holds(op, field.i, i);
    if (std::isnan(field.f)) return true;
    return Holds(op, field.f, f);
  }
};

// Int-class column types whose fields and constants compare as their int64 payload.
bool IntComparable(TypeId a, TypeId b) {
  if (IsIntegerType(a) && IsIntegerType(b)) return true;
  if (a != b) return false;
  return a == TypeId::kDate || a == TypeId::kTimestamp || a == TypeId::kTimestampTz;
}

// The FieldTest of a conjunct `col op const` / `const op col`, if it has that form.
// A constant or parameter operand's value (a parameter cast to its bound type, as the evaluator
// does); false for any other operand, or a parameter that is missing or does not cast.
bool OperandValue(const planner::BoundExpr& e, const ExecState& st, Value* v) {
  if (e.kind == planner::BoundExprKind::kConstant) {
    *v = e.value;
    return true;
  }
  if (e.kind != planner::BoundExprKind::kParam || e.param_index < 0 ||
      static_cast<size_t>(e.param_index) >= st.ctx.params.size() || e.type.id == TypeId::kUnknown) {
    return false;
  }
  *v = st.ctx.params[static_cast<size_t>(e.param_index)];
  if (!v->is_null && !(v->type == e.type)) {
    try {
      *v = CastValue(*v, e.type, st.ctx.format);
    } catch (const Error&) {
      return false;  // the predicate raises it
    }
  }
  return true;
}

bool MakeFieldTest(const planner::BoundExpr& e, const std::vector<int>& columns,
                   const ExecState& st, FieldTest* t);

// The conjuncts of `e` (over a scan's projected `columns`) that a compressed batch can be
// tested by.
void CollectBatchTests(const planner::BoundExpr& e, const std::vector<int>& columns,
                       const ExecState& st, std::vector<BatchTest>* out) {
  if (e.kind == planner::BoundExprKind::kAnd) {
    for (const auto& c : e.children) CollectBatchTests(*c, columns, st, out);
    return;
  }
  FieldTest t;
  if (!MakeFieldTest(e, columns, st, &t)) return;
  BatchTest b;
  b.column = t.column;
  b.op = static_cast<BatchTest::Op>(t.op);
  b.is_float = t.is_float;
  b.i = t.i;
  b.f = t.f;
  out->push_back(b);
}

// The first kShardScan of `table` in the plan tree, or null.
const planner::PlanNode* ScanOf(const planner::PlanNode& n, storage::Oid table) {
  if (n.kind == planner::PlanKind::kShardScan && n.table && n.table->oid == table) return &n;
  for (const auto& c : n.children) {
    if (const planner::PlanNode* s = ScanOf(*c, table)) return s;
  }
  return nullptr;
}

bool MakeFieldTest(const planner::BoundExpr& e, const std::vector<int>& columns,
                   const ExecState& st, FieldTest* t) {
  if (e.kind != planner::BoundExprKind::kCompare || e.children.size() != 2) return false;
  const planner::BoundExpr* col = e.children[0].get();
  const planner::BoundExpr* cst = e.children[1].get();
  bool flipped = false;
  if (col->kind != planner::BoundExprKind::kColumn) {
    std::swap(col, cst);
    flipped = true;
  }
  Value value;
  if (col->kind != planner::BoundExprKind::kColumn || !OperandValue(*cst, st, &value) ||
      value.is_null || col->column_index < 0 ||
      static_cast<size_t>(col->column_index) >= columns.size()) {
    return false;
  }
  struct OpName {
    const char* name;
    FieldTest::Op op, flipped;  // col op const; const op col == col flipped const
  };
  static const OpName kOps[] = {
      {"=", FieldTest::kEq, FieldTest::kEq}, {"<>", FieldTest::kNe, FieldTest::kNe},
      {"<", FieldTest::kLt, FieldTest::kGt}, {"<=", FieldTest::kLe, FieldTest::kGe},
      {">", FieldTest::kGt, FieldTest::kLt}, {">=", FieldTest::kGe, FieldTest::kLe}};
  const OpName* found = nullptr;
  for (const OpName& o : kOps) {
    if (e.op == o.name) found = &o;
  }
  if (found == nullptr) return false;
  t->op = flipped ? found->flipped : found->op;
  const TypeId ct = col->type.id, kt = value.type.id;
  if (IntComparable(ct, kt)) {
    t->is_float = false;
    t->i = value.i;
  } else if (ct == TypeId::kFloat64 && kt == TypeId::kFloat64 && !std::isnan(value.f)) {
    t->is_float = true;
    t->f = value.f;
  } else {
    return false;
  }
  t->column = static_cast<size_t>(columns[static_cast<size_t>(col->column_index)]);
  return true;
}

// The best n sort keys (ScanTopN) read by one scan, in a heap whose top is the n-th best. Keys are
// int64 or double (NaN counts as +Infinity: a row is only dropped when strictly worse, so merging
// NaN with +Infinity never drops a row the sort would keep).
class TopNKeys {
 public:
  TopNKeys(const ScanTopN& spec, bool is_float) : spec_(spec), is_float_(is_float) {}

  // False if the row cannot be among the best n; otherwise records its key.
  bool Admit(const storage::Field& f) {
    if (f.null) return spec_.nulls_first || heap_.size() < spec_.n;  // NULLs are not recorded
    const double d = is_float_ ? (std::isnan(f.f) ? HUGE_VAL : f.f) : 0;
    Key k{is_float_ ? 0 : f.i, d};
    // A max-heap under "better": its top is the worst of the kept keys.
    auto by_better = [this](const Key& a, const Key& b) { return Better(a, b); };
    if (heap_.size() < spec_.n) {
      heap_.push_back(k);
      std::push_heap(heap_.begin(), heap_.end(), by_better);
      return true;
    }
    const Key& nth = heap_.front();
    if (Better(nth, k)) return false;
    if (Better(k, nth)) {
      std::pop_heap(heap_.begin(), heap_.end(), by_better);
      heap_.back() = k;
      std::push_heap(heap_.begin(), heap_.end(), by_better);
    }
    return true;
  }

 private:
  struct Key {
    int64_t i;
    double f;
  };
  bool Better(const Key& a, const Key& b) const {
    const bool less = is_float_ ? a.f < b.f : a.i < b.i;
    const bool greater = is_float_ ? a.f > b.f : a.i > b.i;
    return spec_.descending ? greater : less;
  }

  ScanTopN spec_;
  bool is_float_;
  std::vector<Key> heap_;
};

class ScanOperator : public Operator {
 public:
  ScanOperator(const planner::PlanNode& plan, ExecState& st) : plan_(plan), st_(st) {
    if (!plan.table) Throw(SqlState::kInternalError, "shard scan without a table");
    if (!st.ctx.txn) Throw(SqlState::kInternalError, "shard scan without a transaction");
    for (int c : plan.columns) {
      if (c < 0 || static_cast<size_t>(c) >= plan.table->columns.size()) {
        Throw(SqlState::kInternalError, "scan column {} out of range", c);
      }
      types_.push_back(plan.table->columns[c].type);
    }
    if (plan.sample) sampler_.emplace(*plan.sample, plan.shard);
    scanner_ = std::make_unique<storage::ShardScanner>(st.ctx.txn, plan.table, plan.shard,
                                                       plan.emit_row_location);
    OpenCompressedBatches();
    if (sampler_ && batches_) {
      Throw(SqlState::kFeatureNotSupported,
            "TABLESAMPLE is not supported on compressed chunk \"{}\"; decompress it first with "
            "decompress_chunk()",
            plan.table->name);
    }
    if (!plan.emit_row_location) {
      codecs_ = storage::RowFieldCodecs(*plan.table);
      for (int c : plan.columns)
        decode_width_ = std::max(decode_width_, static_cast<size_t>(c) + 1);
      fields_.resize(decode_width_);
      decoder_.emplace(codecs_);
      if (plan.predicate) {
        AddFieldTests(*plan.predicate);
      }
      if (const ScanTopN* tn = st.scan_top_n;
          tn != nullptr && tn->n > 0 && tn->column < plan.columns.size()) {
        const TypeId t = types_[tn->column].id;
        const bool is_float = t == TypeId::kFloat64;
        if (is_float || IsIntegerType(t) || IntComparable(t, t)) {
          top_n_column_ = static_cast<size_t>(plan.columns[tn->column]);
          top_n_.emplace(*tn, is_float);
        }
      }
    }
  }

  ~ScanOperator() override {
    // One sequential scan of the table (counted on its first shard's scan, which every scan of
    // the table has) and the rows this shard's scan read, before any filter.
    if (st_.ctx.table_stats == nullptr) return;
    try {
      st_.ctx.table_stats->CountScans(st_.ctx.database_oid, plan_.table->oid,
                                      plan_.shard == 0 ? 1 : 0, rows_read_, 0);
    } catch (...) {  // only allocation can fail: the counts are lost, the statement is not
    }
  }

  bool Next(DataChunk* out) override {
    if (sampler_) sampler_->Start(st_);
    while (!done_) {
      st_.CheckCancel();
      if (plan_.emit_row_location) {
        if (!FillWithLocations(out)) {
          done_ = true;
          break;
        }
      } else if (!FillRaw(out)) {
        done_ = true;  // the last rows, if any, still go through the predicate
        if (out->size == 0) break;
      }
      if (plan_.predicate && out->size > 0) {
        EvaluatePredicate(*plan_.predicate, *out, st_, &sel_);
        out->Compact(sel_);
      }
      if (out->size > 0) return true;
    }
    // Then the compressed batches of a compressed chunk.
    while (batches_) {
      st_.CheckCancel();
      if (!FillCompressed(out)) {
        batches_.reset();
        break;
      }
      if (plan_.predicate && out->size > 0) {
        EvaluatePredicate(*plan_.predicate, *out, st_, &sel_);
        out->Compact(sel_);
      }
      if (out->size == 0) continue;
      if (plan_.emit_row_location) {
        // TimescaleDB before 2.11 refuses these too; later versions decompress the batches
        // first (docs/design/2026-12-06-chunk-compression.md).
        Throw(SqlState::kFeatureNotSupported,
              "UPDATE, DELETE and row locks of rows in compressed chunk \"{}\" are not supported "
              "yet; decompress it first with decompress_chunk()",
              plan_.table->name);
      }
      return true;
    }
    out->Clear();
    return false;
  }

 private:
  // A compressed chunk (docs/design/2026-12-06-chunk-compression.md): the scan reads the
  // chunk's own rows (inserted since it was compressed), then the compressed batches of the
  // same shard of its compressed table that the predicate's `column op constant` conjuncts do
  // not rule out by their segmentby values or min/max.
  void OpenCompressedBatches() {
    const storage::CatalogSnapshot* cat = st_.ctx.catalog_view.get();
    if (cat == nullptr || !plan_.table->chunk) return;
    auto current = cat->FindRelationByOid(plan_.table->oid);
    if (!current || !current->chunk || current->chunk->compressed_table == 0) return;
    auto ht = cat->FindRelationByOid(current->chunk->hypertable);
    auto compressed = cat->FindRelationByOid(current->chunk->compressed_table);
    if (!ht || !ht->hypertable || !compressed) {
      Throw(SqlState::kInternalError, "compressed chunk \"{}\" has lost its compressed table",
            plan_.table->name);
    }
    std::vector<BatchTest> tests;
    if (plan_.predicate) CollectBatchTests(*plan_.predicate, plan_.columns, st_, &tests);
    batches_ = std::make_unique<CompressedBatchReader>(st_, *ht, *current, compressed, plan_.shard,
                                                       std::move(tests));
  }

  // The next compressed batch the tests do not rule out, into *out; false at the end.
  bool FillCompressed(DataChunk* out) {
    size_t n = 0;
    std::string_view key;
    if (!batches_->Next(plan_.columns, &batch_fields_, &n, &key)) return false;
    rows_read_ += static_cast<int64_t>(n);
    out->Init(types_);
    for (size_t k = 0; k < plan_.columns.size(); ++k) {
      Vector& v = out->columns[k];
      v.Reserve(n);
      for (size_t r = 0; r < n; ++r) AppendField(batch_fields_[k][r], &v);
    }
    if (plan_.key_order || plan_.emit_row_location) {
      // After every row key of the shard (row keys never start with 0xff 0xff), in batch
      // order: the order a gather merging by key keeps.
      for (size_t r = 0; r < n; ++r) {
        std::string k = "\xff\xff";
        k.append(key);
        for (int b = 3; b >= 0; --b) k.push_back(static_cast<char>((r >> (8 * b)) & 0xff));
        out->locations.push_back({plan_.shard, std::move(k), 0, 0});
      }
    }
    out->size = n;
    return true;
  }

  // The conjuncts of `e` (nested ANDs flattened) that FieldTests can test.
  void AddFieldTests(const planner::BoundExpr& e) {
    if (e.kind == planner::BoundExprKind::kAnd) {
      for (const auto& c : e.children) AddFieldTests(*c);
      return;
    }
    FieldTest t;
    if (MakeFieldTest(e, plan_.columns, st_, &t)) {
      tests_.push_back(t);
      tests_width_ = std::max(tests_width_, t.column + 1);
    }
  }

  // Fill*: the next batch of the shard's rows into *out (before the predicate); false at the end
  // (FillRaw may then have filled some rows; it may also return true with none, after reading
  // kMaxRowsRead rows that all failed its field tests, so that cancellation is checked).
  bool FillRaw(DataChunk* out) {
    static constexpr size_t kMaxRowsRead = 16 * kBatchSize;
    out->Init(types_);
    for (auto& c : out->columns) c.Reserve(kBatchSize);
    size_t n = 0, read = 0;
    std::string_view key, bytes;
    bool more = true;
    while (n < kBatchSize) {
      if (read == kMaxRowsRead) break;
      if (!scanner_->NextRaw(&key, &bytes)) {
        more = false;
        break;
      }
      ++read;
      if (sampler_ && !sampler_->Keep(key)) continue;
      ++rows_read_;
      if (decode_width_ > 0) {
        storage::FieldDecoder& d = *decoder_;
        storage::Field* fields = fields_.data();
        d.Begin(bytes);
        if (!tests_.empty()) {
          d.DecodeTo(tests_width_, fields);
          bool pass = true;
          for (const FieldTest& t : tests_) {
            if (!t.MayPass(fields[t.column])) {
              pass = false;
              break;
            }
          }
          if (!pass) continue;
        }
        if (top_n_) {
          d.DecodeTo(std::max(d.decoded(), top_n_column_ + 1), fields);
          if (!top_n_->Admit(fields[top_n_column_])) continue;
        }
        d.DecodeTo(std::max(d.decoded(), decode_width_), fields);
        for (size_t k = 0; k < plan_.columns.size(); ++k) {
          AppendField(fields[static_cast<size_t>(plan_.columns[k])], &out->columns[k]);
        }
      }
      if (plan_.key_order) out->locations.push_back({plan_.shard, std::string(key), 0, 0});
      ++n;
    }
    out->size = n;
    return more;
  }

  bool FillWithLocations(DataChunk* out) {
    rows_.clear();
    if (!scanner_->NextBatch(&rows_, kBatchSize) || rows_.empty()) return false;
    out->Init(types_);
    for (auto& c : out->columns) c.Reserve(rows_.size());
    out->locations.reserve(rows_.size());
    size_t n = 0;
    for (auto& row : rows_) {
      if (sampler_ && !sampler_->Keep(row.key)) continue;
      ++n;
      ++rows_read_;
      for (size_t k = 0; k < plan_.columns.size(); ++k) {
        out->columns[k].Append(row.row[plan_.columns[k]]);
      }
      out->locations.push_back({row.shard, std::move(row.key), row.version, row.key_version});
    }
    out->size = n;
    return true;
  }

  // Appends one decoded field to a vector of the column's type (the field's kind follows from
  // that type, and the vector's physical class too).
  static void AppendField(const storage::Field& f, Vector* v) {
    v->nulls.push_back(f.null ? 1 : 0);
    switch (v->phys) {
      case PhysClass::kInt:
        v->ints.push_back(f.null ? 0 : f.i);
        break;
      case PhysClass::kFloat:
        v->floats.push_back(f.null ? 0 : f.f);
        break;
      case PhysClass::kString:
        v->strs.emplace_back(f.null ? std::string_view() : f.bytes);
        break;
      case PhysClass::kNumeric:
        v->nums.push_back(f.null ? Numeric() : Numeric::Parse(f.bytes));
        break;
      case PhysClass::kWide:
        v->ints.push_back(f.null ? 0 : f.i);
        v->ints2.push_back(f.null ? 0 : f.i2);
        break;
    }
  }

  const planner::PlanNode& plan_;
  ExecState& st_;
  std::vector<Type> types_;
  std::unique_ptr<storage::ShardScanner> scanner_;
  std::vector<storage::StoredRow> rows_;
  std::vector<uint32_t> sel_;
  bool done_ = false;
  std::vector<storage::FieldCodec> codecs_;  // without locations: the table's field layouts
  std::vector<storage::Field> fields_;       // one row's decoded columns [0, decode_width_)
  size_t decode_width_ = 0;                  // 1 + the highest projected column
  std::optional<storage::FieldDecoder> decoder_;
  std::vector<FieldTest> tests_;  // conjuncts of the predicate tested on the fields
  size_t tests_width_ = 0;        // 1 + the highest column they read
  std::optional<TopNKeys> top_n_;
  size_t top_n_column_ = 0;                         // table column of the top-n key
  std::unique_ptr<CompressedBatchReader> batches_;  // a compressed chunk's batches
  std::vector<std::vector<storage::Field>> batch_fields_;
  std::optional<TableSampler> sampler_;  // TABLESAMPLE
  int64_t rows_read_ = 0;                // for TableStatistics, counted when the scan ends
};

}  // namespace

void DecompressTargetBatches(const planner::PlanNode& input, const storage::TableInfo& chunk,
                             ExecState& st) {
  const storage::CatalogSnapshot* cat = st.ctx.catalog_view.get();
  if (cat == nullptr || !chunk.chunk) return;
  auto current = cat->FindRelationByOid(chunk.oid);
  if (!current || !current->chunk || current->chunk->compressed_table == 0) return;
  auto ht = cat->FindRelationByOid(current->chunk->hypertable);
  if (!ht || !ht->hypertable) {
    Throw(SqlState::kInternalError, "chunk \"{}\" has lost its hypertable", chunk.name);
  }
  // The WHERE's tests as the scan of the chunk has them; without such a scan (a lookup, a
  // join's other shape), every batch.
  std::vector<BatchTest> tests;
  const planner::PlanNode* scan = ScanOf(input, chunk.oid);
  if (scan != nullptr && scan->predicate) {
    CollectBatchTests(*scan->predicate, scan->columns, st, &tests);
  }
  DecompressBatches(st, *ht, *current, std::move(tests));
}

OperatorPtr MakeScanOperator(const planner::PlanNode& plan, ExecState& state) {
  return std::make_unique<ScanOperator>(plan, state);
}

}  // namespace activestore::executor
