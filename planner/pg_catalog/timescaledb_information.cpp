// timescaledb_information: TimescaleDB's informational views over ActiveStore's hypertables
// (docs/design/2026-12-06-hypertables.md): hypertables, chunks, jobs, job_stats,
// compression_settings and the per-chunk sizes behind hypertable_compression_stats /
// chunk_compression_stats (docs/design/2026-12-06-chunk-compression.md), with
// TimescaleDB 2.x's columns, produced from the catalog the statement's transaction sees and
// the node's job scheduler (CatalogReadContext::job_stats).
#include <algorithm>

#include "common/composite.h"
#include "common/interval.h"
#include "common/json.h"
#include "common/jsonb.h"
#include "common/reg_types.h"
#include "planner/pg_catalog/row_builder.h"
#include "planner/pg_catalog/system_relation.h"

namespace activestore::planner::pg_catalog {
namespace {

using enum TypeId;

constexpr int64_t kUsecPerDay = 86'400'000'000;

bool IsInteger(TypeId t) { return t == kInt16 || t == kInt32 || t == kInt64; }

std::string OwnerName(const storage::CatalogSnapshot& cat, Oid owner) {
  const storage::RoleInfo* r = cat.FindRoleByOid(owner);
  return r != nullptr ? r->name : std::to_string(owner);
}

// The hypertables of the context's database, by (schema, name).
std::vector<std::shared_ptr<const storage::TableInfo>> Hypertables(const CatalogReadContext& ctx) {
  std::vector<std::shared_ptr<const storage::TableInfo>> out;
  for (const auto& [key, t] : ctx.catalog->tables) {
    if (std::get<0>(key) == ctx.database_oid && t->hypertable) out.push_back(t);
  }
  return out;
}

std::vector<std::shared_ptr<const storage::TableInfo>> ChunksOf(const CatalogReadContext& ctx,
                                                                Oid oid) {
  std::vector<std::shared_ptr<const storage::TableInfo>> out;
  for (auto& c : ctx.catalog->InheritanceChildren(oid)) {
    if (c->chunk && c->chunk->hypertable == oid) out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a->chunk->range_start < b->chunk->range_start;
  });
  return out;
}

Value Tstz(int64_t usec) { return Value::Int(kTimestampTz, usec); }
Value TstzOrNull(int64_t usec) { return usec == 0 ? NullOf(T(kTimestampTz)) : Tstz(usec); }
// A job interval: whole days as days ("1 day", as TimescaleDB's default schedule shows), else
// as time ("00:05:00").
Value IntervalUsec(int64_t usec) {
  if (usec != 0 && usec % kUsecPerDay == 0) {
    return Value::Interval(Interval{0, static_cast<int32_t>(usec / kUsecPerDay), 0});
  }
  return Value::Interval(Interval{usec, 0, 0});
}
Value Text(const std::string& s) { return Value::Text(s); }
Value RegType(const Type& t) { return Value::Int(kRegTypeType, TypeOidOf(t)); }

const storage::ColumnInfo& TimeColumn(const storage::TableInfo& t) {
  return t.columns.at(static_cast<size_t>(t.hypertable->time_column));
}

void HypertableRows(const SystemRelation& rel, const CatalogReadContext& ctx,
                    std::vector<std::vector<Value>>* out) {
  for (const auto& t : Hypertables(ctx)) {
    RowBuilder b(rel, ctx);
    b.Set("hypertable_schema", NameValue(t->schema))
        .Set("hypertable_name", NameValue(t->name))
        .Set("owner", NameValue(OwnerName(*ctx.catalog, t->owner)))
        .Set("num_dimensions", Int2Value(1))
        .Set("num_chunks", Value::Int64(static_cast<int64_t>(ChunksOf(ctx, t->oid).size())))
        .Set("compression_enabled", Value::Bool(t->hypertable->compress))
        .Set("primary_dimension", NameValue(TimeColumn(*t).name))
        .Set("primary_dimension_type", RegType(TimeColumn(*t).type));
    out->push_back(b.Take());
  }
}

void ChunkRows(const SystemRelation& rel, const CatalogReadContext& ctx,
               std::vector<std::vector<Value>>* out) {
  for (const auto& t : Hypertables(ctx)) {
    const storage::ColumnInfo& col = TimeColumn(*t);
    for (const auto& c : ChunksOf(ctx, t->oid)) {
      RowBuilder b(rel, ctx);
      b.Set("hypertable_schema", NameValue(t->schema))
          .Set("hypertable_name", NameValue(t->name))
          .Set("chunk_schema", NameValue(c->schema))
          .Set("chunk_name", NameValue(c->name))
          .Set("primary_dimension", NameValue(col.name))
          .Set("primary_dimension_type", RegType(col.type));
      if (IsInteger(col.type.id)) {
        b.Set("range_start", NullOf(T(kTimestampTz)))
            .Set("range_end", NullOf(T(kTimestampTz)))
            .Set("range_start_integer", Value::Int64(c->chunk->range_start))
            .Set("range_end_integer", Value::Int64(c->chunk->range_end));
      } else {
        // timestamp and date ranges are shown as timestamptz, as TimescaleDB shows them (the
        // unit is microseconds from 2000-01-01 for all three).
        b.Set("range_start", Tstz(c->chunk->range_start))
            .Set("range_end", Tstz(c->chunk->range_end))
            .Set("range_start_integer", NullOf(T(kInt64)))
            .Set("range_end_integer", NullOf(T(kInt64)));
      }
      b.Set("is_compressed", Value::Bool(c->chunk->compressed_table != 0))
          .Set("chunk_tablespace", NullOf(T(kName)));
      out->push_back(b.Take());
    }
  }
}

// compression_settings: a row per segmentby column (in order), then per orderby column, as
// TimescaleDB 2.x (before 2.14) lists them.
void CompressionSettingRows(const SystemRelation& rel, const CatalogReadContext& ctx,
                            std::vector<std::vector<Value>>* out) {
  for (const auto& t : Hypertables(ctx)) {
    const storage::HypertableInfo& h = *t->hypertable;
    if (!h.compress) continue;
    auto row = [&](int column) {
      RowBuilder b(rel, ctx);
      b.Set("hypertable_schema", NameValue(t->schema))
          .Set("hypertable_name", NameValue(t->name))
          .Set("attname", NameValue(t->columns[static_cast<size_t>(column)].name))
          .Set("segmentby_column_index", NullOf(T(kInt16)))
          .Set("orderby_column_index", NullOf(T(kInt16)))
          .Set("orderby_asc", NullOf(T(kBool)))
          .Set("orderby_nullsfirst", NullOf(T(kBool)));
      return b;
    };
    for (size_t k = 0; k < h.segmentby.size(); ++k) {
      RowBuilder b = row(h.segmentby[k]);
      b.Set("segmentby_column_index", Int2Value(static_cast<int16_t>(k + 1)));
      out->push_back(b.Take());
    }
    for (size_t k = 0; k < h.orderby.size(); ++k) {
      RowBuilder b = row(h.orderby[k]);
      b.Set("orderby_column_index", Int2Value(static_cast<int16_t>(k + 1)))
          .Set("orderby_asc", Value::Bool(!h.orderby_desc[k]))
          .Set("orderby_nullsfirst", Value::Bool(h.orderby_nulls_first[k]));
      out->push_back(b.Take());
    }
  }
}

// _compressed_chunk_stats: a row per chunk with the sizes measured when it was compressed
// (storage::ChunkInfo), what hypertable_compression_stats and chunk_compression_stats read.
void CompressedChunkStatRows(const SystemRelation& rel, const CatalogReadContext& ctx,
                             std::vector<std::vector<Value>>* out) {
  for (const auto& t : Hypertables(ctx)) {
    for (const auto& c : ChunksOf(ctx, t->oid)) {
      const storage::ChunkInfo& ci = *c->chunk;
      const bool compressed = ci.compressed_table != 0;
      auto bytes = [&](int64_t v) { return compressed ? Value::Int64(v) : NullOf(T(kInt64)); };
      RowBuilder b(rel, ctx);
      b.Set("hypertable_oid", Value::Int(kOid, t->oid))
          .Set("chunk_schema", NameValue(c->schema))
          .Set("chunk_name", NameValue(c->name))
          .Set("compression_status", Text(compressed ? "Compressed" : "Uncompressed"))
          .Set("before_compression_table_bytes", bytes(ci.before_table_bytes))
          .Set("before_compression_index_bytes", bytes(ci.before_index_bytes))
          .Set("before_compression_toast_bytes", bytes(0))
          .Set("before_compression_total_bytes",
               bytes(ci.before_table_bytes + ci.before_index_bytes))
          .Set("after_compression_table_bytes", bytes(ci.after_table_bytes))
          .Set("after_compression_index_bytes", bytes(0))
          .Set("after_compression_toast_bytes", bytes(0))
          .Set("after_compression_total_bytes", bytes(ci.after_table_bytes))
          .Set("node_name", NullOf(T(kName)));
      out->push_back(b.Take());
    }
  }
}

std::string RetentionConfig(const storage::TableInfo& t) {
  return "{\"drop_after\": \"" + t.hypertable->drop_after_text +
         "\", \"hypertable_id\": " + std::to_string(t.hypertable->id) + "}";
}

std::string CompressionConfig(const storage::TableInfo& t) {
  return "{\"hypertable_id\": " + std::to_string(t.hypertable->id) + ", \"compress_after\": \"" +
         t.hypertable->compress_after_text + "\"}";
}

// A policy job of a hypertable as the views show it.
struct PolicyJob {
  int32_t id;
  const char* application;  // "Retention Policy", "Compression Policy"
  const char* proc;         // policy_retention, policy_compression
  int64_t schedule_usec;
  std::string config;
  int64_t max_runtime_usec;
};

// The continuous aggregates (views with storage::TableInfo::cagg) of the context's database.
std::vector<std::shared_ptr<const storage::TableInfo>> Caggs(const CatalogReadContext& ctx) {
  std::vector<std::shared_ptr<const storage::TableInfo>> out;
  for (const auto& [key, t] : ctx.catalog->tables) {
    if (std::get<0>(key) == ctx.database_oid && t->cagg) out.push_back(t);
  }
  return out;
}

std::string CaggPolicyConfig(const storage::ContinuousAggInfo& c) {
  auto offset = [](const std::string& s) { return s.empty() ? "null" : "\"" + s + "\""; };
  return "{\"end_offset\": " + offset(c.end_offset_text) +
         ", \"start_offset\": " + offset(c.start_offset_text) +
         ", \"mat_hypertable_id\": " + std::to_string(c.id) + "}";
}

// Calls fn(hypertable, job, its statistics) for each retention, compression and continuous
// aggregate refresh policy job (the latter's hypertable: the materialization table).
template <typename Fn>
void ForEachPolicyJob(const CatalogReadContext& ctx, Fn fn) {
  for (const auto& t : Caggs(ctx)) {
    const storage::ContinuousAggInfo& c = *t->cagg;
    auto mat = ctx.catalog->FindRelationByOid(c.mat_table);
    if (c.job_id == 0 || !mat) continue;
    PolicyJob j{c.job_id,
                "Refresh Continuous Aggregate Policy",
                "policy_refresh_continuous_aggregate",
                c.schedule_usec,
                CaggPolicyConfig(c),
                0};
    std::optional<JobRunStats> s;
    if (ctx.job_stats) s = ctx.job_stats(j.id);
    fn(mat, j, s);
  }
  for (const auto& t : Hypertables(ctx)) {
    const storage::HypertableInfo& h = *t->hypertable;
    std::vector<PolicyJob> jobs;
    if (h.retention_job_id != 0) {
      jobs.push_back({h.retention_job_id, "Retention Policy", "policy_retention",
                      h.schedule_interval_usec, RetentionConfig(*t), 300'000'000});
    }
    if (h.compression_job_id != 0) {
      jobs.push_back({h.compression_job_id, "Compression Policy", "policy_compression",
                      h.compression_schedule_usec, CompressionConfig(*t), 0});
    }
    for (const PolicyJob& j : jobs) {
      std::optional<JobRunStats> s;
      if (ctx.job_stats) s = ctx.job_stats(j.id);
      fn(t, j, s);
    }
  }
}

void JobRows(const SystemRelation& rel, const CatalogReadContext& ctx,
             std::vector<std::vector<Value>>* out) {
  ForEachPolicyJob(
      ctx, [&](const auto& t, const PolicyJob& j, const std::optional<JobRunStats>& s) {
        RowBuilder b(rel, ctx);
        b.Set("job_id", Value::Int32(j.id))
            .Set("application_name",
                 NameValue(std::string(j.application) + " [" + std::to_string(j.id) + "]"))
            .Set("schedule_interval", IntervalUsec(j.schedule_usec))
            .Set("max_runtime", IntervalUsec(j.max_runtime_usec))
            .Set("max_retries", Value::Int32(-1))
            .Set("retry_period", IntervalUsec(300'000'000))
            .Set("proc_schema", NameValue("_timescaledb_functions"))
            .Set("proc_name", NameValue(j.proc))
            .Set("owner", Value::Int(kRegRoleType, t->owner))
            .Set("scheduled", Value::Bool(true))
            .Set("fixed_schedule", Value::Bool(false))
            .Set("config", Value::Text(JsonbFromText(j.config), kJsonbType))
            .Set("next_start", s ? TstzOrNull(s->next_start_us) : NullOf(T(kTimestampTz)))
            .Set("initial_start", NullOf(T(kTimestampTz)))
            .Set("hypertable_schema", NameValue(t->schema))
            .Set("hypertable_name", NameValue(t->name))
            .Set("check_schema", NameValue("_timescaledb_functions"))
            .Set("check_name", NameValue(std::string(j.proc) + "_check"));
        out->push_back(b.Take());
      });
}

void JobStatRows(const SystemRelation& rel, const CatalogReadContext& ctx,
                 std::vector<std::vector<Value>>* out) {
  ForEachPolicyJob(
      ctx, [&](const auto& t, const PolicyJob& j, const std::optional<JobRunStats>& s) {
        JobRunStats none;
        const JobRunStats& r = s ? *s : none;
        RowBuilder b(rel, ctx);
        b.Set("hypertable_schema", NameValue(t->schema))
            .Set("hypertable_name", NameValue(t->name))
            .Set("job_id", Value::Int32(j.id))
            .Set("last_run_started_at", TstzOrNull(r.last_run_started_us))
            .Set("last_successful_finish", TstzOrNull(r.last_successful_finish_us))
            .Set("last_run_status",
                 r.last_run_status.empty() ? NullOf(T(kText)) : Text(r.last_run_status))
            .Set("job_status", Text(r.job_status.empty() ? "Scheduled" : r.job_status))
            .Set("last_run_duration",
                 r.total_runs == 0 ? NullOf(T(kInterval)) : IntervalUsec(r.last_run_duration_us))
            .Set("next_start", TstzOrNull(r.next_start_us))
            .Set("total_runs", Value::Int64(r.total_runs))
            .Set("total_successes", Value::Int64(r.total_successes))
            .Set("total_failures", Value::Int64(r.total_failures));
        out->push_back(b.Take());
      });
}

template <auto Fn>
void AddRows(std::vector<std::unique_ptr<SystemRelation>>* out, std::unique_ptr<SystemRelation> r) {
  const SystemRelation* rel = r.get();
  r->rows = [rel](const CatalogReadContext& ctx, const ScanKey*,
                  std::vector<std::vector<Value>>* rows) { Fn(*rel, ctx, rows); };
  out->push_back(std::move(r));
}

// continuous_aggregates: TimescaleDB 2.x's columns.
void CaggRows(const SystemRelation& rel, const CatalogReadContext& ctx,
              std::vector<std::vector<Value>>* out) {
  for (const auto& t : Caggs(ctx)) {
    const storage::ContinuousAggInfo& c = *t->cagg;
    auto raw = ctx.catalog->FindRelationByOid(c.raw_hypertable);
    auto mat = ctx.catalog->FindRelationByOid(c.mat_table);
    if (!raw || !mat) continue;
    RowBuilder b(rel, ctx);
    b.Set("hypertable_schema", NameValue(raw->schema))
        .Set("hypertable_name", NameValue(raw->name))
        .Set("view_schema", NameValue(t->schema))
        .Set("view_name", NameValue(t->name))
        .Set("view_owner", NameValue(OwnerName(*ctx.catalog, t->owner)))
        .Set("materialized_only", Value::Bool(c.materialized_only))
        .Set("compression_enabled", Value::Bool(mat->hypertable && mat->hypertable->compress))
        .Set("materialization_hypertable_schema", NameValue(mat->schema))
        .Set("materialization_hypertable_name", NameValue(mat->name))
        .Set("view_definition", Text(" " + c.query_sql + ";"))
        .Set("finalized", Value::Bool(true));
    out->push_back(b.Take());
  }
}

std::vector<std::unique_ptr<SystemRelation>> Build() {
  std::vector<std::unique_ptr<SystemRelation>> v;
  const Type name = T(kName), tstz = T(kTimestampTz), iv = T(kInterval);
  AddRows<HypertableRows>(&v, MakeRelation("hypertables", 13900, 0,
                                           {{"hypertable_schema", name},
                                            {"hypertable_name", name},
                                            {"owner", name},
                                            {"num_dimensions", T(kInt16)},
                                            {"num_chunks", T(kInt64)},
                                            {"compression_enabled", T(kBool)},
                                            {"tablespaces", T(kNameArrayType)},
                                            {"primary_dimension", name},
                                            {"primary_dimension_type", T(kRegTypeType)}}));
  AddRows<CaggRows>(&v, MakeRelation("continuous_aggregates", 13906, 0,
                                     {{"hypertable_schema", name},
                                      {"hypertable_name", name},
                                      {"view_schema", name},
                                      {"view_name", name},
                                      {"view_owner", name},
                                      {"materialized_only", T(kBool)},
                                      {"compression_enabled", T(kBool)},
                                      {"materialization_hypertable_schema", name},
                                      {"materialization_hypertable_name", name},
                                      {"view_definition", T(kText)},
                                      {"finalized", T(kBool)}}));
  AddRows<ChunkRows>(&v, MakeRelation("chunks", 13901, 0,
                                      {{"hypertable_schema", name},
                                       {"hypertable_name", name},
                                       {"chunk_schema", name},
                                       {"chunk_name", name},
                                       {"primary_dimension", name},
                                       {"primary_dimension_type", T(kRegTypeType)},
                                       {"range_start", tstz},
                                       {"range_end", tstz},
                                       {"range_start_integer", T(kInt64)},
                                       {"range_end_integer", T(kInt64)},
                                       {"is_compressed", T(kBool)},
                                       {"chunk_tablespace", name}}));
  AddRows<JobRows>(&v, MakeRelation("jobs", 13902, 0,
                                    {{"job_id", T(kInt32)},
                                     {"application_name", name},
                                     {"schedule_interval", iv},
                                     {"max_runtime", iv},
                                     {"max_retries", T(kInt32)},
                                     {"retry_period", iv},
                                     {"proc_schema", name},
                                     {"proc_name", name},
                                     {"owner", T(kRegRoleType)},
                                     {"scheduled", T(kBool)},
                                     {"fixed_schedule", T(kBool)},
                                     {"config", T(kJsonbType)},
                                     {"next_start", tstz},
                                     {"initial_start", tstz},
                                     {"hypertable_schema", name},
                                     {"hypertable_name", name},
                                     {"check_schema", name},
                                     {"check_name", name}}));
  AddRows<JobStatRows>(&v, MakeRelation("job_stats", 13903, 0,
                                        {{"hypertable_schema", name},
                                         {"hypertable_name", name},
                                         {"job_id", T(kInt32)},
                                         {"last_run_started_at", tstz},
                                         {"last_successful_finish", tstz},
                                         {"last_run_status", T(kText)},
                                         {"job_status", T(kText)},
                                         {"last_run_duration", iv},
                                         {"next_start", tstz},
                                         {"total_runs", T(kInt64)},
                                         {"total_successes", T(kInt64)},
                                         {"total_failures", T(kInt64)}}));
  AddRows<CompressionSettingRows>(&v, MakeRelation("compression_settings", 13904, 0,
                                                   {{"hypertable_schema", name},
                                                    {"hypertable_name", name},
                                                    {"attname", name},
                                                    {"segmentby_column_index", T(kInt16)},
                                                    {"orderby_column_index", T(kInt16)},
                                                    {"orderby_asc", T(kBool)},
                                                    {"orderby_nullsfirst", T(kBool)}}));
  const Type bytes = T(kInt64);
  AddRows<CompressedChunkStatRows>(&v, MakeRelation("_compressed_chunk_stats", 13905, 0,
                                                    {{"hypertable_oid", T(kOid)},
                                                     {"chunk_schema", name},
                                                     {"chunk_name", name},
                                                     {"compression_status", T(kText)},
                                                     {"before_compression_table_bytes", bytes},
                                                     {"before_compression_index_bytes", bytes},
                                                     {"before_compression_toast_bytes", bytes},
                                                     {"before_compression_total_bytes", bytes},
                                                     {"after_compression_table_bytes", bytes},
                                                     {"after_compression_index_bytes", bytes},
                                                     {"after_compression_toast_bytes", bytes},
                                                     {"after_compression_total_bytes", bytes},
                                                     {"node_name", name}}));
  return v;
}

}  // namespace

const SystemRelation* FindTimescaleInformationRelation(std::string_view name) {
  static const std::vector<std::unique_ptr<SystemRelation>> all = Build();
  for (const auto& r : all) {
    if (r->name == name) return r.get();
  }
  return nullptr;
}

}  // namespace activestore::planner::pg_catalog
