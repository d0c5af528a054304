// TimescaleDB's compression interface over chunk_compression.h: ALTER TABLE ... SET
// (timescaledb.compress, timescaledb.compress_segmentby, timescaledb.compress_orderby),
// compress_chunk, decompress_chunk, add_compression_policy, remove_compression_policy
// (docs/design/2026-12-06-chunk-compression.md). The errors are TimescaleDB 2.x's.
#include <algorithm>
#include <sstream>

#include "common/error.h"
#include "common/interval.h"
#include "common/reg_types.h"
#include "common/types.h"
#include "executor/chunk_compression.h"
#include "executor/deparse.h"
#include "executor/exec_state.h"
#include "executor/hypertables.h"
#include "executor/table_options.h"

namespace activestore::executor {

namespace {

constexpr int64_t kUsecPerDay = 86'400'000'000;

bool HasCompressedChunks(const storage::CatalogSnapshot& cat, const storage::TableInfo& ht) {
  for (const auto& c : ChunksOf(cat, ht.oid)) {
    if (c->chunk->compressed_table != 0) return true;
  }
  return false;
}

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : s) {
    if (ch == ',') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(ch);
    }
  }
  out.push_back(cur);
  for (auto& item : out) {
    const size_t b = item.find_first_not_of(" \t\n");
    const size_t e = item.find_last_not_of(" \t\n");
    item = b == std::string::npos ? std::string() : item.substr(b, e - b + 1);
  }
  if (out.size() == 1 && out[0].empty()) out.clear();
  return out;
}

// A column name as written in an option: "quoted" keeps its case, otherwise lower-cased.
std::string ColumnNameOf(const std::string& word) {
  if (word.size() >= 2 && word.front() == '"' && word.back() == '"') {
    return word.substr(1, word.size() - 2);
  }
  std::string out = word;
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

int OptionColumn(const storage::TableInfo& t, const std::string& word, const char* option) {
  const int c = t.ColumnIndex(ColumnNameOf(word));
  if (c < 0) {
    Error e(SqlState::kUndefinedColumn,
            fmt::format("column \"{}\" does not exist", ColumnNameOf(word)));
    e.Hint(fmt::format("The timescaledb.{} option must reference a valid column.", option));
    throw e;
  }
  return c;
}

bool ParseBoolOption(const std::string& v, bool* out) {
  std::string s = v;
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (s == "true" || s == "on" || s == "yes" || s == "1" || s == "t") {
    *out = true;
    return true;
  }
  if (s == "false" || s == "off" || s == "no" || s == "0" || s == "f") {
    *out = false;
    return true;
  }
  return false;
}

}  // namespace

bool HasTimescaleOptions(const TableOptions& options) {
  for (const auto& [name, value] : options) {
    if (name.starts_with("timescaledb.")) return true;
  }
  return false;
}

void SetCompressionOptions(const TableOptions& options, const storage::CatalogSnapshot& cat,
                           storage::TableInfo* next) {
  std::optional<bool> compress;
  std::optional<std::string> segmentby, orderby;
  for (const auto& [name, value] : options) {
    if (name == "timescaledb.compress") {
      bool b;
      if (!ParseBoolOption(value, &b)) {
        Throw(SqlState::kInvalidParameterValue, "invalid value for timescaledb.compress '{}'",
              value);
      }
      compress = b;
    } else if (name == "timescaledb.compress_segmentby") {
      segmentby = value;
    } else if (name == "timescaledb.compress_orderby") {
      orderby = value;
    } else {
      Throw(SqlState::kFeatureNotSupported, "table option \"{}\" is not supported yet", name);
    }
  }
  if (!next->hypertable) {
    Throw(SqlState::kFeatureNotSupported,
          "table \"{}\" is not a hypertable: the timescaledb.* options apply to hypertables",
          next->name);
  }
  storage::HypertableInfo& h = *next->hypertable;
  const bool enable = compress.value_or(h.compress);
  if (!enable) {
    if (segmentby || orderby) {
      Throw(SqlState::kInvalidParameterValue,
            "the option timescaledb.compress must be set to true to enable compression");
    }
    if (!h.compress) return;
    if (HasCompressedChunks(cat, *next)) {
      Error e(SqlState::kFeatureNotSupported,
              "cannot disable compression on hypertable with compressed chunks");
      e.Hint("Decompress the chunks first with decompress_chunk().");
      throw e;
    }
    if (h.compression_job_id != 0) {
      Error e(SqlState::kFeatureNotSupported,
              "cannot disable compression on hypertable with a compression policy");
      e.Hint("Remove the compression policy first with remove_compression_policy().");
      throw e;
    }
    h.compress = false;
    h.segmentby.clear();
    h.orderby.clear();
    h.orderby_desc.clear();
    h.orderby_nulls_first.clear();
    return;
  }
  if (h.compress && HasCompressedChunks(cat, *next)) {
    Error e(SqlState::kFeatureNotSupported,
            "cannot change configuration on already compressed chunks");
    e.Detail(
        "There are compressed chunks that prevent changing the existing compression "
        "configuration.");
    throw e;
  }
  std::vector<int> seg;
  if (segmentby) {
    for (const std::string& w : SplitList(*segmentby)) {
      const int c = OptionColumn(*next, w, "compress_segmentby");
      if (std::find(seg.begin(), seg.end(), c) != seg.end()) {
        Throw(SqlState::kInvalidParameterValue, "duplicate column name \"{}\"",
              next->columns[c].name);
      }
      seg.push_back(c);
    }
  } else if (h.compress) {
    seg = h.segmentby;
  }
  std::vector<int> ord;
  std::vector<bool> desc, nulls_first;
  if (orderby) {
    for (const std::string& item : SplitList(*orderby)) {
      std::istringstream in(item);
      std::vector<std::string> words;
      for (std::string w; in >> w;) words.push_back(w);
      if (words.empty()) {
        Throw(SqlState::kSyntaxError, "unable to parse ordering option \"{}\"", *orderby);
      }
      const int c = OptionColumn(*next, words[0], "compress_orderby");
      bool d = false;
      std::optional<bool> nf;
      size_t k = 1;
      auto lower = [](std::string s) {
        std::transform(s.begin(), s.end(), s.begin(),
                       [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
        return s;
      };
      if (k < words.size() && (lower(words[k]) == "asc" || lower(words[k]) == "desc")) {
        d = lower(words[k]) == "desc";
        ++k;
      }
      if (k + 1 < words.size() && lower(words[k]) == "nulls") {
        const std::string which = lower(words[k + 1]);
        if (which != "first" && which != "last") {
          Throw(SqlState::kSyntaxError, "unable to parse ordering option \"{}\"", *orderby);
        }
        nf = which == "first";
        k += 2;
      }
      if (k != words.size()) {
        Throw(SqlState::kSyntaxError, "unable to parse ordering option \"{}\"", *orderby);
      }
      if (std::find(ord.begin(), ord.end(), c) != ord.end()) {
        Throw(SqlState::kInvalidParameterValue, "duplicate column name \"{}\"",
              next->columns[c].name);
      }
      ord.push_back(c);
      desc.push_back(d);
      nulls_first.push_back(nf.value_or(d));  // PostgreSQL's default: NULLS FIRST for DESC
    }
  } else if (h.compress && !segmentby) {
    ord = h.orderby;
    desc = h.orderby_desc;
    nulls_first = h.orderby_nulls_first;
  } else if (std::find(seg.begin(), seg.end(), h.time_column) == seg.end()) {
    // TimescaleDB's default: the time column, descending.
    ord = {h.time_column};
    desc = {true};
    nulls_first = {true};
  }
  for (int c : ord) {
    if (std::find(seg.begin(), seg.end(), c) != seg.end()) {
      Throw(SqlState::kInvalidParameterValue,
            "cannot use column \"{}\" for both ordering and segmenting", next->columns[c].name);
    }
  }
  h.compress = true;
  h.segmentby = std::move(seg);
  h.orderby = std::move(ord);
  h.orderby_desc = std::move(desc);
  h.orderby_nulls_first = std::move(nulls_first);
}

namespace {

void CheckOwner(ExecState& st, const storage::TableInfo& t) {
  if (st.ctx.user_oid == t.owner) return;
  auto role = st.ctx.catalog_view->FindRoleByOid(st.ctx.user_oid);
  if (role == nullptr || !role->superuser) {
    Throw(SqlState::kInsufficientPrivilege, "must be owner of hypertable \"{}\"", t.name);
  }
}

// The chunk named by a regclass argument and its hypertable.
std::pair<std::shared_ptr<const storage::TableInfo>, std::shared_ptr<const storage::TableInfo>>
ChunkArg(const Value& v, ExecState& st) {
  auto rel = st.ctx.catalog_view->FindRelationByOid(static_cast<storage::Oid>(v.i));
  if (!rel) Throw(SqlState::kUndefinedTable, "relation with OID {} does not exist", v.i);
  if (!rel->chunk) {
    Throw(SqlState::kInvalidParameterValue, "\"{}\" is not a chunk", rel->name);
  }
  auto ht = st.ctx.catalog_view->FindRelationByOid(rel->chunk->hypertable);
  if (!ht || !ht->hypertable) {
    Throw(SqlState::kInternalError, "hypertable of chunk \"{}\" is missing", rel->name);
  }
  return {rel, ht};
}

void EmitNotice(ExecState& st, const std::string& text) {
  if (st.ctx.notice) st.ctx.notice("NOTICE", SqlState::kSuccessfulCompletion, text, "", "");
}

Value RegClass(storage::Oid oid) { return Value::Int(kRegClassType, oid); }

// compress_chunk(uncompressed_chunk regclass, if_not_compressed boolean = true) -> regclass
Value FnCompressChunk(const std::vector<Value>& a, const planner::BoundExpr&, ExecState& st) {
  RefuseIfReadOnly(st, "compress_chunk");
  HypertableTxn(st);
  if (a[0].is_null) Throw(SqlState::kInvalidParameterValue, "invalid chunk: cannot be NULL");
  auto [chunk, ht] = ChunkArg(a[0], st);
  const bool if_not_compressed = a[1].is_null || a[1].i != 0;
  CheckOwner(st, *ht);
  if (!ht->hypertable->compress) {
    Error e(SqlState::kFeatureNotSupported,
            fmt::format("compression not enabled on \"{}\"", ht->name));
    e.Detail(
        "It is not possible to compress chunks on a hypertable or continuous aggregate that "
        "does not have compression enabled.");
    e.Hint(
        "Enable compression using ALTER TABLE/MATERIALIZED VIEW with the timescaledb.compress "
        "option.");
    throw e;
  }
  if (chunk->chunk->compressed_table != 0) {
    // A partially compressed chunk (rows inserted, updated or deleted since its compression):
    // compressed again as a whole, in this transaction (TimescaleDB 2.14+'s compress_chunk).
    if (TableHasRows(st.ctx.txn, *chunk)) {
      DecompressChunk(st, *ht, *chunk);
      auto again = st.ctx.catalog_view->FindRelationByOid(chunk->oid);
      if (!again) Throw(SqlState::kUndefinedTable, "relation \"{}\" does not exist", chunk->name);
      CompressChunk(st, *ht, *again);
      return RegClass(chunk->oid);
    }
    if (!if_not_compressed) {
      Throw(SqlState::kDuplicateObject, "chunk \"{}\" is already compressed", chunk->name);
    }
    EmitNotice(st, fmt::format("chunk \"{}\" is already compressed", chunk->name));
    return RegClass(chunk->oid);
  }
  // Inserts into a compressed chunk cannot check a unique key against the compressed rows.
  CompressChunk(st, *ht, *chunk);
  return RegClass(chunk->oid);
}

// decompress_chunk(uncompressed_chunk regclass, if_compressed boolean = true) -> regclass
Value FnDecompressChunk(const std::vector<Value>& a, const planner::BoundExpr&, ExecState& st) {
  RefuseIfReadOnly(st, "decompress_chunk");
  HypertableTxn(st);
  if (a[0].is_null) Throw(SqlState::kInvalidParameterValue, "invalid chunk: cannot be NULL");
  auto [chunk, ht] = ChunkArg(a[0], st);
  const bool if_compressed = a[1].is_null || a[1].i != 0;
  CheckOwner(st, *ht);
  if (chunk->chunk->compressed_table == 0) {
    if (!if_compressed) {
      Throw(SqlState::kDuplicateObject, "chunk \"{}\" is not compressed", chunk->name);
    }
    EmitNotice(st, fmt::format("chunk \"{}\" is not compressed", chunk->name));
    return Value::Null(Type::Of(kRegClassType));
  }
  DecompressChunk(st, *ht, *chunk);
  return RegClass(chunk->oid);
}

// add_compression_policy(hypertable, compress_after, if_not_exists, schedule_interval) -> int
Value FnAddCompressionPolicy(const std::vector<Value>& a, const planner::BoundExpr&,
                             ExecState& st) {
  RefuseIfReadOnly(st, "add_compression_policy");
  storage::CatalogTxn* txn = HypertableTxn(st);
  if (a[0].is_null) Throw(SqlState::kInvalidParameterValue, "relation cannot be NULL");
  auto ht = st.ctx.catalog_view->FindRelationByOid(static_cast<storage::Oid>(a[0].i));
  if (!ht) Throw(SqlState::kUndefinedTable, "relation with OID {} does not exist", a[0].i);
  if (!ht->hypertable) {
    Error e(SqlStateFromCode("TS001"),
            fmt::format("\"{}\" is not a hypertable or a continuous aggregate", ht->name));
    e.Hint("The operation is only possible on a hypertable or continuous aggregate.");
    throw e;
  }
  CheckOwner(st, *ht);
  const storage::HypertableInfo& h = *ht->hypertable;
  if (!h.compress) {
    Error e(SqlState::kFeatureNotSupported,
            fmt::format("compression not enabled on hypertable \"{}\"", ht->name));
    e.Hint("Enable compression before adding a compression policy.");
    throw e;
  }
  const bool if_not_exists = !a[2].is_null && a[2].i != 0;
  const Type col = ht->columns[static_cast<size_t>(h.time_column)].type;
  if (a[1].is_null) {
    Throw(SqlState::kInvalidParameterValue, "invalid value for parameter compress_after");
  }
  if (IsIntegerType(col.id)) {
    Throw(SqlState::kFeatureNotSupported,
          "compression policies on integer time columns need an integer_now function, which is "
          "not supported yet");
  }
  if (a[1].type.id != TypeId::kInterval) {
    Error e(SqlState::kInvalidParameterValue,
            fmt::format("unsupported compress_after argument type, expected type : interval"));
    throw e;
  }
  const std::string text = FormatInterval(IntervalOf(a[1]));
  if (h.compression_job_id != 0) {
    ExistingPolicy(st, "compression", *ht, if_not_exists, h.compress_after_text == text);
    return Value::Int32(-1);
  }
  // TimescaleDB's default: 12 hours for chunks of a day or more, else half the chunk interval.
  int64_t schedule =
      h.interval >= kUsecPerDay ? kUsecPerDay / 2 : std::max<int64_t>(1, h.interval / 2);
  if (a.size() > 3 && !a[3].is_null) {
    schedule = PolicyIntervalUsec(IntervalOf(a[3]));
    if (schedule <= 0)
      Throw(SqlState::kInvalidParameterValue, "schedule interval must be positive");
  }
  const int32_t job = NextPolicyJobId(*st.ctx.catalog_view);
  storage::TableInfo next = *ht;
  next.hypertable->compression_job_id = job;
  next.hypertable->compress_after = PolicyIntervalUsec(IntervalOf(a[1]));
  next.hypertable->compress_after_text = text;
  next.hypertable->compression_schedule_usec = schedule;
  st.ctx.catalog->UpdateRelation(txn, next);
  st.ctx.catalog_view = txn->Snapshot();
  if (st.ctx.jobs) st.ctx.jobs->Wake();
  return Value::Int32(job);
}

// remove_compression_policy(hypertable, if_exists) -> bool
Value FnRemoveCompressionPolicy(const std::vector<Value>& a, const planner::BoundExpr&,
                                ExecState& st) {
  RefuseIfReadOnly(st, "remove_compression_policy");
  storage::CatalogTxn* txn = HypertableTxn(st);
  if (a[0].is_null) {
    Throw(SqlState::kUndefinedObject, "relation is not a hypertable or continuous aggregate");
  }
  auto ht = st.ctx.catalog_view->FindRelationByOid(static_cast<storage::Oid>(a[0].i));
  if (!ht) Throw(SqlState::kUndefinedTable, "relation with OID {} does not exist", a[0].i);
  if (!ht->hypertable) {
    Throw(SqlState::kUndefinedObject, "relation \"{}\" is not a hypertable or continuous aggregate",
          ht->name);
  }
  CheckOwner(st, *ht);
  const bool if_exists = !a[1].is_null && a[1].i != 0;
  if (ht->hypertable->compression_job_id == 0) {
    if (!if_exists) {
      Throw(SqlState::kUndefinedObject, "compression policy not found for hypertable \"{}\"",
            ht->name);
    }
    EmitNotice(
        st, fmt::format("compression policy not found for hypertable \"{}\", skipping", ht->name));
    return Value::Bool(false);
  }
  storage::TableInfo next = *ht;
  next.hypertable->compression_job_id = 0;
  next.hypertable->compress_after = 0;
  next.hypertable->compress_after_text.clear();
  next.hypertable->compression_schedule_usec = 0;
  st.ctx.catalog->UpdateRelation(txn, next);
  st.ctx.catalog_view = txn->Snapshot();
  return Value::Bool(true);
}

}  // namespace

const std::vector<StringFunctionEntry>& CompressionFunctionEntries() {
  static const std::vector<StringFunctionEntry> kFns = {
      {"compress_chunk", FnCompressChunk, false},
      {"decompress_chunk", FnDecompressChunk, false},
      {"add_compression_policy", FnAddCompressionPolicy, false},
      {"remove_compression_policy", FnRemoveCompressionPolicy, false},
  };
  return kFns;
}

}  // namespace activestore::executor
