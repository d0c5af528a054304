// timescaledb_information: TimescaleDB's informational views over ActiveStore's hypertables
// (docs/design/2026-12-06-hypertables.md): hypertables, chunks, jobs, job_stats, with
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
    RowBuilder b(rel);
    b.Set("hypertable_schema", NameValue(t->schema))
        .Set("hypertable_name", NameValue(t->name))
        .Set("owner", NameValue(OwnerName(*ctx.catalog, t->owner)))
        .Set("num_dimensions", Int2Value(1))
        .Set("num_chunks", Value::Int64(static_cast<int64_t>(ChunksOf(ctx, t->oid).size())))
        .Set("compression_enabled", Value::Bool(false))
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
      RowBuilder b(rel);
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
      b.Set("is_compressed", Value::Bool(false)).Set("chunk_tablespace", NullOf(T(kName)));
      out->push_back(b.Take());
    }
  }
}

std::string RetentionConfig(const storage::TableInfo& t) {
  return "{\"drop_after\": \"" + t.hypertable->drop_after_text +
         "\", \"hypertable_id\": " + std::to_string(t.hypertable->id) + "}";
}

// Calls fn(hypertable, its retention job's statistics) for each hypertable with a retention
// policy.
template <typename Fn>
void ForEachRetentionJob(const CatalogReadContext& ctx, Fn fn) {
  for (const auto& t : Hypertables(ctx)) {
    if (t->hypertable->retention_job_id == 0) continue;
    std::optional<JobRunStats> s;
    if (ctx.job_stats) s = ctx.job_stats(t->hypertable->retention_job_id);
    fn(t, s);
  }
}

void JobRows(const SystemRelation& rel, const CatalogReadContext& ctx,
             std::vector<std::vector<Value>>* out) {
  ForEachRetentionJob(ctx, [&](const auto& t, const std::optional<JobRunStats>& s) {
    const storage::HypertableInfo& h = *t->hypertable;
    RowBuilder b(rel);
    b.Set("job_id", Value::Int32(h.retention_job_id))
        .Set("application_name",
             NameValue("Retention Policy [" + std::to_string(h.retention_job_id) + "]"))
        .Set("schedule_interval", IntervalUsec(h.schedule_interval_usec))
        .Set("max_runtime", IntervalUsec(300'000'000))
        .Set("max_retries", Value::Int32(-1))
        .Set("retry_period", IntervalUsec(300'000'000))
        .Set("proc_schema", NameValue("_timescaledb_functions"))
        .Set("proc_name", NameValue("policy_retention"))
        .Set("owner", Value::Int(kRegRoleType, t->owner))
        .Set("scheduled", Value::Bool(true))
        .Set("fixed_schedule", Value::Bool(false))
        .Set("config", Value::Text(JsonbFromText(RetentionConfig(*t)), kJsonbType))
        .Set("next_start", s ? TstzOrNull(s->next_start_us) : NullOf(T(kTimestampTz)))
        .Set("initial_start", NullOf(T(kTimestampTz)))
        .Set("hypertable_schema", NameValue(t->schema))
        .Set("hypertable_name", NameValue(t->name))
        .Set("check_schema", NameValue("_timescaledb_functions"))
        .Set("check_name", NameValue("policy_retention_check"));
    out->push_back(b.Take());
  });
}

void JobStatRows(const SystemRelation& rel, const CatalogReadContext& ctx,
                 std::vector<std::vector<Value>>* out) {
  ForEachRetentionJob(ctx, [&](const auto& t, const std::optional<JobRunStats>& s) {
    const storage::HypertableInfo& h = *t->hypertable;
    JobRunStats none;
    const JobRunStats& r = s ? *s : none;
    RowBuilder b(rel);
    b.Set("hypertable_schema", NameValue(t->schema))
        .Set("hypertable_name", NameValue(t->name))
        .Set("job_id", Value::Int32(h.retention_job_id))
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
