#include "storage/catalog.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <type_traits>
#include <utility>

#include "common/error.h"
#include "storage/column_stats.h"
#include "storage/index_evaluator.h"
#include "storage/sequences.h"
#include "storage/user_txn.h"

namespace activestore::storage {
namespace {

// PostgreSQL's INDEX_MAX_KEYS (the max_index_keys setting): key and INCLUDE columns together.
constexpr size_t kMaxIndexKeys = 32;

void CheckIndexWidth(size_t columns) {
  if (columns > kMaxIndexKeys) {
    Throw(SqlState::kTooManyColumns, "cannot use more than {} columns in an index", kMaxIndexKeys);
  }
}

void CheckIndexWidths(const TableInfo& t) {
  CheckIndexWidth(t.primary_key.size());
  for (const IndexInfo& idx : t.indexes) CheckIndexWidth(idx.columns.size() + idx.include.size());
}

using json = nlohmann::json;

constexpr char kCatalogTable[] = "sys_catalog";
// Format 1: the whole catalog as one JSON document under this key (converted at Open).
constexpr char kLegacyCatalogKey[] = "catalog";
// Format 2: one row per object (see the key helpers below).
constexpr char kFormatKey[] = "meta/format";
constexpr char kNextOidKey[] = "meta/next_oid";
constexpr int kCatalogFormat = 2;
constexpr uint64_t kRowIdBlock = 1024;
constexpr Oid kOidBlock = 128;

// Fixed oids, as in PostgreSQL 15.
constexpr Oid kPostgresDbOid = 5;
constexpr Oid kPgCatalogOid = 11;
constexpr Oid kPublicOid = 2200;
constexpr Oid kInformationSchemaOid = 13207;

// Rows of sys_catalog. Objects: "db/<oid>", "schema/<db>/<oid>", "rel/<oid>" (JSON). Name
// rows ("dbname/<name>", "nsp/<db>/<name>", "name/<db>/<schema>/<relation or index>" -> oid)
// make two transactions that take the same name write the same row, so that the second
// conflicts in storage. Hidden row id blocks: "rowid/<table oid>".
std::string RowIdKey(Oid table) { return "rowid/" + std::to_string(table); }
std::string DatabaseKey(Oid db) { return "db/" + std::to_string(db); }
std::string DatabaseNameKey(const std::string& name) { return "dbname/" + name; }
std::string SchemaKey(Oid db, Oid schema) {
  return "schema/" + std::to_string(db) + "/" + std::to_string(schema);
}
std::string SchemaNameKey(Oid db, const std::string& name) {
  return "nsp/" + std::to_string(db) + "/" + name;
}
std::string TableKey(Oid table) { return "rel/" + std::to_string(table); }
std::string RelationNameKey(Oid db, const std::string& schema, const std::string& name) {
  return "name/" + std::to_string(db) + "/" + schema + "/" + name;
}

// How PostgreSQL names an object in messages: qualified unless its schema is on the default
// search path.
std::string Qualified(const std::string& schema, const std::string& name) {
  if (schema == "public" || schema == "pg_catalog") return name;
  return schema + "." + name;
}

// --- JSON ---

json AclToJson(const Acl& a) {
  json out = json::array();
  for (const AclItem& i : a) out.push_back({i.grantee, i.grantor, i.privs, i.grant_options});
  return out;
}

std::optional<Acl> AclFromJson(const json& j, const char* key) {
  if (!j.contains(key)) return std::nullopt;
  Acl out;
  for (const json& i : j.at(key)) {
    out.push_back(
        {i.at(0).get<Oid>(), i.at(1).get<Oid>(), i.at(2).get<AclMode>(), i.at(3).get<AclMode>()});
  }
  return out;
}

// Owner and privileges of a table, schema or database.
template <typename T>
void OwnerToJson(const T& o, json* j) {
  if (o.owner != kBootstrapSuperuserOid) (*j)["owner"] = o.owner;
  if (o.acl) (*j)["acl"] = AclToJson(*o.acl);
}
template <typename T>
void OwnerFromJson(const json& j, T* o) {
  o->owner = j.value("owner", kBootstrapSuperuserOid);
  o->acl = AclFromJson(j, "acl");
}

json ToJson(const RoleInfo& r) {
  json j = {{"oid", r.oid},
            {"name", r.name},
            {"super", r.superuser},
            {"inherit", r.inherit},
            {"createrole", r.create_role},
            {"createdb", r.create_db},
            {"login", r.can_login},
            {"replication", r.replication},
            {"bypassrls", r.bypass_rls},
            {"connlimit", r.connection_limit}};
  if (r.password) j["password"] = *r.password;
  if (r.valid_until) j["valid_until"] = *r.valid_until;
  json m = json::array();
  for (const RoleMembership& x : r.member_of) m.push_back({x.role, x.grantor, x.admin});
  j["member_of"] = std::move(m);
  if (!r.settings.empty()) {
    json settings = json::object();
    for (const auto& [db, values] : r.settings) settings[std::to_string(db)] = values;
    j["settings"] = std::move(settings);
  }
  if (!r.comment.empty()) j["comment"] = r.comment;
  return j;
}

RoleInfo RoleFromJson(const json& j) {
  RoleInfo r;
  r.oid = j.at("oid").get<Oid>();
  r.name = j.at("name").get<std::string>();
  r.superuser = j.at("super").get<bool>();
  r.inherit = j.at("inherit").get<bool>();
  r.create_role = j.at("createrole").get<bool>();
  r.create_db = j.at("createdb").get<bool>();
  r.can_login = j.at("login").get<bool>();
  r.replication = j.at("replication").get<bool>();
  r.bypass_rls = j.at("bypassrls").get<bool>();
  r.connection_limit = j.at("connlimit").get<int32_t>();
  if (j.contains("password")) r.password = j.at("password").get<std::string>();
  if (j.contains("valid_until")) r.valid_until = j.at("valid_until").get<int64_t>();
  for (const json& m : j.at("member_of")) {
    r.member_of.push_back({m.at(0).get<Oid>(), m.at(1).get<Oid>(), m.at(2).get<bool>()});
  }
  if (j.contains("settings")) {
    for (const auto& [db, values] : j.at("settings").items()) {
      r.settings[static_cast<Oid>(std::stoul(db))] =
          values.get<std::map<std::string, std::string>>();
    }
  }
  r.comment = j.value("comment", std::string());
  return r;
}

// ANALYZE's statistics of a column; the array blobs as hex (JSON strings are text).
std::string HexOf(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

std::string BytesOfHex(const std::string& hex) {
  auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(nibble(hex[i]) << 4 | nibble(hex[i + 1])));
  }
  return out;
}

json StatsToJson(const ColumnStats& st) {
  json j = {{"type", st.type_oid},
            {"null_frac", st.null_frac},
            {"width", st.width},
            {"n_distinct", st.n_distinct}};
  if (!st.mcv_values.empty()) {
    j["mcv"] = HexOf(st.mcv_values);
    j["mcv_freqs"] = st.mcv_freqs;
  }
  if (!st.histogram.empty()) j["histogram"] = HexOf(st.histogram);
  if (st.correlation) j["correlation"] = *st.correlation;
  if (!st.mcelem_values.empty()) {
    j["mcelem"] = HexOf(st.mcelem_values);
    j["mcelem_freqs"] = st.mcelem_freqs;
  }
  if (!st.dec_histogram.empty()) j["dec_histogram"] = st.dec_histogram;
  return j;
}

std::shared_ptr<const ColumnStats> StatsFromJson(const json& j) {
  auto st = std::make_shared<ColumnStats>();
  st->type_oid = j.at("type").get<uint32_t>();
  st->null_frac = j.at("null_frac").get<float>();
  st->width = j.at("width").get<int32_t>();
  st->n_distinct = j.at("n_distinct").get<float>();
  if (j.contains("mcv")) {
    st->mcv_values = BytesOfHex(j.at("mcv").get<std::string>());
    st->mcv_freqs = j.at("mcv_freqs").get<std::vector<float>>();
  }
  if (j.contains("histogram")) st->histogram = BytesOfHex(j.at("histogram").get<std::string>());
  if (j.contains("correlation")) st->correlation = j.at("correlation").get<float>();
  if (j.contains("mcelem")) {
    st->mcelem_values = BytesOfHex(j.at("mcelem").get<std::string>());
    st->mcelem_freqs = j.at("mcelem_freqs").get<std::vector<float>>();
  }
  if (j.contains("dec_histogram")) {
    st->dec_histogram = j.at("dec_histogram").get<std::vector<float>>();
  }
  return st;
}

json ToJson(const TableInfo& t) {
  json cols = json::array();
  for (const ColumnInfo& c : t.columns) {
    json jc = {{"name", c.name},
               {"type", static_cast<uint32_t>(c.type.id)},
               {"typmod", c.type.typmod},
               {"not_null", c.not_null}};
    if (c.default_sql) jc["default"] = *c.default_sql;
    if (c.identity != 0) jc["identity"] = std::string(1, c.identity);
    if (c.generated != 0) jc["generated"] = std::string(1, c.generated);
    if (!c.default_sequences.empty()) jc["default_sequences"] = c.default_sequences;
    if (c.domain != 0) jc["domain"] = c.domain;
    if (c.default_oid != 0) jc["default_oid"] = c.default_oid;
    if (c.inhcount != 0) jc["inhcount"] = c.inhcount;
    if (!c.is_local) jc["is_local"] = false;
    if (!c.comment.empty()) jc["comment"] = c.comment;
    if (c.stats != nullptr) jc["stats"] = StatsToJson(*c.stats);
    if (c.inherited_stats != nullptr) jc["inh_stats"] = StatsToJson(*c.inherited_stats);
    cols.push_back(std::move(jc));
  }
  json idx = json::array();
  for (const IndexInfo& i : t.indexes) {
    idx.push_back({{"oid", i.oid},
                   {"name", i.name},
                   {"columns", i.columns},
                   {"include", i.include},
                   {"unique", i.unique},
                   {"primary", i.primary},
                   {"constraint", i.is_constraint},
                   {"constraint_oid", i.constraint_oid},
                   {"gen", i.storage_gen}});
    if (i.nulls_not_distinct) idx.back()["nulls_not_distinct"] = true;
    if (!i.opclasses.empty()) idx.back()["opclasses"] = i.opclasses;
    if (i.has_expressions()) {
      idx.back()["exprs"] = i.expressions;
      idx.back()["exprs_pretty"] = i.expressions_pretty;
    }
    if (i.partial()) {
      idx.back()["pred"] = i.predicate;
      idx.back()["pred_pretty"] = i.predicate_pretty;
    }
    if (!i.options.empty()) idx.back()["options"] = i.options;
  }
  json out = {{"oid", t.oid},
              {"db", t.database_oid},
              {"schema", t.schema},
              {"name", t.name},
              {"columns", std::move(cols)},
              {"primary_key", t.primary_key},
              {"pk_include", t.primary_key_include},
              {"indexes", std::move(idx)},
              {"shard_count", t.shard_count},
              {"is_view", t.is_view},
              {"view_sql", t.view_sql},
              {"view_columns", t.view_columns},
              {"gen", t.storage_gen},
              {"object_oids",
               {t.row_type_oid, t.row_array_type_oid, t.pkey_index_oid, t.pkey_constraint_oid}}};
  if (!t.view_options.empty()) out["view_options"] = t.view_options;
  if (!t.pkey_name.empty()) out["pkey_name"] = t.pkey_name;
  if (t.reltuples >= 0) {
    out["reltuples"] = t.reltuples;
    out["relpages"] = t.relpages;
  }
  if (!t.view_relations.empty()) {
    json refs = json::array();
    for (const TableInfo::ViewRelationRef& r : t.view_relations) {
      refs.push_back(json::array({r.offset, r.length, r.oid}));
    }
    out["view_relations"] = std::move(refs);
  }
  if (!t.foreign_keys.empty()) {
    json fks = json::array();
    for (const ForeignKeyInfo& f : t.foreign_keys) {
      fks.push_back({{"oid", f.oid},
                     {"name", f.name},
                     {"columns", f.columns},
                     {"ref_table", f.ref_table},
                     {"ref_columns", f.ref_columns},
                     {"on_delete", std::string(1, static_cast<char>(f.on_delete))},
                     {"on_update", std::string(1, static_cast<char>(f.on_update))},
                     {"match_full", f.match_full}});
      if (!f.validated) fks.back()["not_valid"] = true;
      if (f.deferrable) fks.back()["deferrable"] = true;
      if (f.initially_deferred) fks.back()["initially_deferred"] = true;
    }
    out["foreign_keys"] = std::move(fks);
  }
  if (!t.checks.empty()) {
    json checks = json::array();
    for (const CheckConstraintInfo& c : t.checks) {
      checks.push_back({{"name", c.name}, {"expr", c.expr}, {"oid", c.oid}});
      if (!c.validated) checks.back()["not_valid"] = true;
      if (c.inhcount != 0) checks.back()["inhcount"] = c.inhcount;
      if (!c.is_local) checks.back()["is_local"] = false;
      if (c.no_inherit) checks.back()["no_inherit"] = true;
    }
    out["checks"] = std::move(checks);
  }
  if (!t.triggers.empty()) {
    json trs = json::array();
    for (const TriggerInfo& g : t.triggers) {
      trs.push_back({{"oid", g.oid},
                     {"name", g.name},
                     {"function", g.function},
                     {"type", g.type},
                     {"enabled", std::string(1, g.enabled)},
                     {"columns", g.columns},
                     {"args", g.args},
                     {"when", g.when}});
      if (g.is_constraint) {
        trs.back()["constraint"] = true;
        trs.back()["constraint_oid"] = g.constraint_oid;
      }
      if (!g.old_table.empty()) trs.back()["old_table"] = g.old_table;
      if (!g.new_table.empty()) trs.back()["new_table"] = g.new_table;
    }
    out["triggers"] = std::move(trs);
  }
  if (!t.parents.empty()) out["parents"] = t.parents;
  if (!t.comments.empty()) {
    json comments = json::array();
    for (const auto& [oid, text] : t.comments) comments.push_back({oid, text});
    out["comments"] = std::move(comments);
  }
  if (t.expiry.active()) {
    out["expiry"] = {{"ttl_usec", t.expiry.ttl_usec},
                     {"since_usec", t.expiry.since_usec},
                     {"ttl_text", t.expiry.ttl_text},
                     {"ttl_column", t.expiry.ttl_column}};
  }
  if (t.hypertable) {
    const HypertableInfo& h = *t.hypertable;
    out["hypertable"] = {{"id", h.id},
                         {"time_column", h.time_column},
                         {"interval", h.interval},
                         {"retention_job_id", h.retention_job_id},
                         {"drop_after", h.drop_after},
                         {"drop_after_text", h.drop_after_text},
                         {"schedule_interval_usec", h.schedule_interval_usec}};
    if (h.compress) {
      json& jh = out["hypertable"];
      jh["compress"] = true;
      jh["segmentby"] = h.segmentby;
      jh["orderby"] = h.orderby;
      jh["orderby_desc"] = h.orderby_desc;
      jh["orderby_nulls_first"] = h.orderby_nulls_first;
    }
    if (h.compression_job_id != 0) {
      json& jh = out["hypertable"];
      jh["compression_job_id"] = h.compression_job_id;
      jh["compress_after"] = h.compress_after;
      jh["compress_after_text"] = h.compress_after_text;
      jh["compression_schedule_usec"] = h.compression_schedule_usec;
    }
  }
  if (t.chunk) {
    out["chunk"] = {{"hypertable", t.chunk->hypertable},
                    {"id", t.chunk->id},
                    {"range_start", t.chunk->range_start},
                    {"range_end", t.chunk->range_end}};
    if (t.chunk->compressed_table != 0) {
      json& jc = out["chunk"];
      jc["compressed_table"] = t.chunk->compressed_table;
      jc["before_table_bytes"] = t.chunk->before_table_bytes;
      jc["before_index_bytes"] = t.chunk->before_index_bytes;
      jc["after_table_bytes"] = t.chunk->after_table_bytes;
      jc["rows_pre"] = t.chunk->rows_pre;
      jc["rows_post"] = t.chunk->rows_post;
    }
  }
  if (t.matview) out["matview"] = {{"populated", t.matview->populated}};
  if (t.cagg) {
    const ContinuousAggInfo& c = *t.cagg;
    out["cagg"] = {{"id", c.id},
                   {"raw", c.raw_hypertable},
                   {"mat", c.mat_table},
                   {"query", c.query_sql},
                   {"time_column", c.time_column},
                   {"bucket_column", c.bucket_column},
                   {"bucket_width", c.bucket_width},
                   {"bucket_width_text", c.bucket_width_text},
                   {"materialized_only", c.materialized_only},
                   {"watermark", c.watermark},
                   {"job_id", c.job_id},
                   {"start_offset_text", c.start_offset_text},
                   {"end_offset_text", c.end_offset_text},
                   {"schedule_usec", c.schedule_usec}};
    if (c.start_offset) out["cagg"]["start_offset"] = *c.start_offset;
    if (c.end_offset) out["cagg"]["end_offset"] = *c.end_offset;
  }
  OwnerToJson(t, &out);
  if (t.sequence) {
    const SequenceInfo& q = *t.sequence;
    out["sequence"] = {{"type", static_cast<uint32_t>(q.type)},
                       {"start", q.start},
                       {"increment", q.increment},
                       {"min", q.min_value},
                       {"max", q.max_value},
                       {"cache", q.cache},
                       {"cycle", q.cycle},
                       {"owner_table", q.owner_table},
                       {"owner_column", q.owner_column},
                       {"identity", q.identity},
                       {"initial_value", q.initial_value},
                       {"initial_is_called", q.initial_is_called}};
  }
  return out;
}

// Gives every index with expressions or a predicate its (lazily compiled) evaluator.
void AttachIndexEvaluators(TableInfo* t) {
  for (IndexInfo& i : t->indexes) {
    if (!i.plain() && !i.evaluator) i.evaluator = MakeLazyIndexEvaluator(*t, i);
  }
}

std::shared_ptr<const TableInfo> TableFromJson(const json& j) {
  auto t = std::make_shared<TableInfo>();
  t->oid = j.at("oid").get<Oid>();
  t->database_oid = j.at("db").get<Oid>();
  t->schema = j.at("schema").get<std::string>();
  t->name = j.at("name").get<std::string>();
  for (const json& jc : j.at("columns")) {
    ColumnInfo c;
    c.name = jc.at("name").get<std::string>();
    c.type =
        Type{static_cast<TypeId>(jc.at("type").get<uint32_t>()), jc.at("typmod").get<int32_t>()};
    c.not_null = jc.at("not_null").get<bool>();
    if (jc.contains("default")) c.default_sql = jc.at("default").get<std::string>();
    if (jc.contains("identity")) c.identity = jc.at("identity").get<std::string>().at(0);
    if (jc.contains("generated")) c.generated = jc.at("generated").get<std::string>().at(0);
    if (jc.contains("default_sequences")) {
      c.default_sequences = jc.at("default_sequences").get<std::vector<uint32_t>>();
    }
    c.domain = jc.value("domain", 0u);
    c.default_oid = jc.value("default_oid", 0u);
    c.inhcount = jc.value("inhcount", 0);
    c.is_local = jc.value("is_local", true);
    c.comment = jc.value("comment", std::string());
    if (jc.contains("stats")) c.stats = StatsFromJson(jc.at("stats"));
    if (jc.contains("inh_stats")) c.inherited_stats = StatsFromJson(jc.at("inh_stats"));
    t->columns.push_back(std::move(c));
  }
  t->reltuples = j.value("reltuples", -1.0f);
  t->relpages = j.value("relpages", 0);
  t->primary_key = j.at("primary_key").get<std::vector<int>>();
  t->primary_key_include = j.value("pk_include", std::vector<int>{});
  for (const json& ji : j.at("indexes")) {
    IndexInfo i;
    i.oid = ji.at("oid").get<Oid>();
    i.name = ji.at("name").get<std::string>();
    i.columns = ji.at("columns").get<std::vector<int>>();
    i.include = ji.value("include", std::vector<int>{});
    i.unique = ji.at("unique").get<bool>();
    i.primary = ji.at("primary").get<bool>();
    i.is_constraint = ji.value("constraint", false);
    i.constraint_oid = ji.value("constraint_oid", 0u);
    i.storage_gen = ji.value("gen", 0u);
    i.nulls_not_distinct = ji.value("nulls_not_distinct", false);
    i.opclasses = ji.value("opclasses", std::vector<uint32_t>{});
    i.expressions = ji.value("exprs", std::vector<std::string>{});
    i.expressions_pretty = ji.value("exprs_pretty", std::vector<std::string>{});
    i.predicate = ji.value("pred", std::string());
    i.predicate_pretty = ji.value("pred_pretty", std::string());
    i.options = ji.value("options", std::vector<int16_t>{});
    t->indexes.push_back(std::move(i));
  }
  t->shard_count = j.at("shard_count").get<uint32_t>();
  AttachIndexEvaluators(t.get());
  t->is_view = j.at("is_view").get<bool>();
  t->view_sql = j.at("view_sql").get<std::string>();
  t->view_columns = j.at("view_columns").get<std::vector<std::string>>();
  t->view_options = j.value("view_options", std::vector<std::string>{});
  if (j.contains("view_relations")) {
    for (const json& r : j.at("view_relations")) {
      t->view_relations.push_back({r.at(0).get<int>(), r.at(1).get<int>(), r.at(2).get<Oid>()});
    }
  }
  t->storage_gen = j.value("gen", 0u);
  t->pkey_name = j.value("pkey_name", std::string());
  if (j.contains("object_oids")) {
    auto o = j.at("object_oids").get<std::vector<Oid>>();
    if (o.size() == 4) {
      t->row_type_oid = o[0];
      t->row_array_type_oid = o[1];
      t->pkey_index_oid = o[2];
      t->pkey_constraint_oid = o[3];
    }
  }
  if (j.contains("foreign_keys")) {
    for (const json& jf : j.at("foreign_keys")) {
      ForeignKeyInfo f;
      f.oid = jf.value("oid", 0u);
      f.name = jf.at("name").get<std::string>();
      f.columns = jf.at("columns").get<std::vector<int>>();
      f.ref_table = jf.at("ref_table").get<Oid>();
      f.ref_columns = jf.at("ref_columns").get<std::vector<int>>();
      f.on_delete =
          static_cast<ForeignKeyInfo::Action>(jf.at("on_delete").get<std::string>().at(0));
      f.on_update =
          static_cast<ForeignKeyInfo::Action>(jf.at("on_update").get<std::string>().at(0));
      f.match_full = jf.at("match_full").get<bool>();
      f.validated = !jf.value("not_valid", false);
      f.deferrable = jf.value("deferrable", false);
      f.initially_deferred = jf.value("initially_deferred", false);
      t->foreign_keys.push_back(std::move(f));
    }
  }
  if (j.contains("checks")) {
    for (const json& jc : j.at("checks")) {
      CheckConstraintInfo c{jc.at("name").get<std::string>(), jc.at("expr").get<std::string>(),
                            jc.value("oid", 0u), !jc.value("not_valid", false)};
      c.inhcount = jc.value("inhcount", 0);
      c.is_local = jc.value("is_local", true);
      c.no_inherit = jc.value("no_inherit", false);
      t->checks.push_back(std::move(c));
    }
  }
  if (j.contains("triggers")) {
    for (const json& jg : j.at("triggers")) {
      TriggerInfo g;
      g.oid = jg.at("oid").get<Oid>();
      g.name = jg.at("name").get<std::string>();
      g.function = jg.at("function").get<Oid>();
      g.type = jg.at("type").get<int16_t>();
      g.enabled = jg.at("enabled").get<std::string>().at(0);
      g.columns = jg.at("columns").get<std::vector<int>>();
      g.args = jg.at("args").get<std::vector<std::string>>();
      g.when = jg.at("when").get<std::string>();
      g.is_constraint = jg.value("constraint", false);
      g.constraint_oid = jg.value("constraint_oid", 0u);
      g.old_table = jg.value("old_table", std::string());
      g.new_table = jg.value("new_table", std::string());
      t->triggers.push_back(std::move(g));
    }
  }
  t->parents = j.value("parents", std::vector<Oid>{});
  if (j.contains("comments")) {
    for (const json& c : j.at("comments")) {
      t->comments[c.at(0).get<Oid>()] = c.at(1).get<std::string>();
    }
  }
  if (j.contains("expiry")) {
    const json& je = j.at("expiry");
    t->expiry.ttl_usec = je.value("ttl_usec", int64_t{0});
    t->expiry.since_usec = je.value("since_usec", int64_t{0});
    t->expiry.ttl_text = je.value("ttl_text", std::string());
    t->expiry.ttl_column = je.value("ttl_column", -1);
  }
  if (j.contains("hypertable")) {
    const json& jh = j.at("hypertable");
    HypertableInfo h;
    h.id = jh.value("id", 0);
    h.time_column = jh.value("time_column", -1);
    h.interval = jh.value("interval", int64_t{0});
    h.retention_job_id = jh.value("retention_job_id", 0);
    h.drop_after = jh.value("drop_after", int64_t{0});
    h.drop_after_text = jh.value("drop_after_text", std::string());
    h.schedule_interval_usec = jh.value("schedule_interval_usec", int64_t{0});
    h.compress = jh.value("compress", false);
    h.segmentby = jh.value("segmentby", std::vector<int>());
    h.orderby = jh.value("orderby", std::vector<int>());
    h.orderby_desc = jh.value("orderby_desc", std::vector<bool>());
    h.orderby_nulls_first = jh.value("orderby_nulls_first", std::vector<bool>());
    h.compression_job_id = jh.value("compression_job_id", 0);
    h.compress_after = jh.value("compress_after", int64_t{0});
    h.compress_after_text = jh.value("compress_after_text", std::string());
    h.compression_schedule_usec = jh.value("compression_schedule_usec", int64_t{0});
    t->hypertable = std::move(h);
  }
  if (j.contains("chunk")) {
    const json& jc = j.at("chunk");
    t->chunk = ChunkInfo{jc.value("hypertable", Oid{0}), jc.value("id", 0),
                         jc.value("range_start", int64_t{0}), jc.value("range_end", int64_t{0})};
    t->chunk->compressed_table = jc.value("compressed_table", Oid{0});
    t->chunk->before_table_bytes = jc.value("before_table_bytes", int64_t{0});
    t->chunk->before_index_bytes = jc.value("before_index_bytes", int64_t{0});
    t->chunk->after_table_bytes = jc.value("after_table_bytes", int64_t{0});
    t->chunk->rows_pre = jc.value("rows_pre", int64_t{0});
    t->chunk->rows_post = jc.value("rows_post", int64_t{0});
  }
  if (j.contains("matview")) {
    t->matview = MatviewInfo{j.at("matview").value("populated", true)};
  }
  if (j.contains("cagg")) {
    const json& jc = j.at("cagg");
    ContinuousAggInfo c;
    c.id = jc.value("id", 0);
    c.raw_hypertable = jc.value("raw", Oid{0});
    c.mat_table = jc.value("mat", Oid{0});
    c.query_sql = jc.value("query", std::string());
    c.time_column = jc.value("time_column", std::string());
    c.bucket_column = jc.value("bucket_column", 0);
    c.bucket_width = jc.value("bucket_width", int64_t{0});
    c.bucket_width_text = jc.value("bucket_width_text", std::string());
    c.materialized_only = jc.value("materialized_only", false);
    c.watermark = jc.value("watermark", std::numeric_limits<int64_t>::min());
    c.job_id = jc.value("job_id", 0);
    c.start_offset_text = jc.value("start_offset_text", std::string());
    c.end_offset_text = jc.value("end_offset_text", std::string());
    if (jc.contains("start_offset")) c.start_offset = jc.at("start_offset").get<int64_t>();
    if (jc.contains("end_offset")) c.end_offset = jc.at("end_offset").get<int64_t>();
    c.schedule_usec = jc.value("schedule_usec", int64_t{0});
    t->cagg = std::move(c);
  }
  OwnerFromJson(j, t.get());
  if (j.contains("sequence")) {
    const json& js = j.at("sequence");
    SequenceInfo q;
    q.type = static_cast<TypeId>(js.at("type").get<uint32_t>());
    q.start = js.at("start").get<int64_t>();
    q.increment = js.at("increment").get<int64_t>();
    q.min_value = js.at("min").get<int64_t>();
    q.max_value = js.at("max").get<int64_t>();
    q.cache = js.at("cache").get<int64_t>();
    q.cycle = js.at("cycle").get<bool>();
    q.owner_table = js.at("owner_table").get<uint32_t>();
    q.owner_column = js.at("owner_column").get<int>();
    q.identity = js.at("identity").get<bool>();
    q.initial_value = js.at("initial_value").get<int64_t>();
    q.initial_is_called = js.at("initial_is_called").get<bool>();
    t->sequence = q;
  }
  return t;
}

// Every storage table that holds data of `t`.
std::vector<std::string> StorageTablesOf(const TableInfo& t) {
  std::vector<std::string> out;
  if (t.is_view || t.is_sequence()) return out;
  for (uint32_t s = 0; s < t.shard_count; ++s) out.push_back(t.ShardTable(s));
  for (const IndexInfo& i : t.indexes) {
    if (i.primary) continue;
    for (uint32_t s = 0; s < t.shard_count; ++s) out.push_back(i.ShardTable(s));
  }
  return out;
}

// Creates every table in `names`; on failure drops the ones created and rethrows.
void CreateStorage(Engine* engine, const std::vector<std::string>& names) {
  size_t done = 0;
  try {
    for (; done < names.size(); ++done) engine->CreateTable(names[done]);
  } catch (...) {
    for (size_t i = 0; i < done; ++i) {
      try {
        engine->DropTable(names[i]);
      } catch (const Error& e) {
        spdlog::warn("catalog: could not drop storage table {}: {}", names[i], e.message());
      }
    }
    throw;
  }
}

// Drops storage tables after their catalog entry is gone (or was never committed); failures
// leave orphans, which the next Open removes. WiredTiger retries a drop while cursors of other
// transactions hold the table (EBUSY) for a few seconds before giving up.
void DropStorage(Engine* engine, const std::vector<std::string>& names) {
  for (const std::string& n : names) {
    try {
      engine->DropTable(n);
    } catch (const Error& e) {
      spdlog::warn("catalog: could not drop storage table {}: {}", n, e.message());
    }
  }
}

bool RelationExists(const CatalogSnapshot& c, Oid db, const std::string& schema,
                    const std::string& name) {
  return c.FindTable(db, schema, name) != nullptr || c.FindIndexOwner(db, schema, name) != nullptr;
}

[[noreturn]] void ThrowRelationExists(const std::string& name) {
  Throw(SqlState::kDuplicateTable, "relation \"{}\" already exists", name);
}

[[noreturn]] void ThrowConcurrentChange(const std::string& what) {
  Error e(SqlState::kSerializationFailure, "could not serialize access due to concurrent update");
  e.Detail(fmt::format("A concurrent transaction changed {}.", what));
  e.retryable = true;
  throw e;
}

// Every name a table takes in its schema's relation namespace: its own, its primary key's and
// its indexes'.
std::vector<std::string> RelationNames(const TableInfo& t) {
  std::vector<std::string> out{t.name};
  if (t.is_view) return out;
  if (!t.primary_key.empty()) out.push_back(t.PrimaryKeyName());
  for (const IndexInfo& i : t.indexes) {
    if (!i.primary) out.push_back(i.name);
  }
  return out;
}

// User-defined types: "type/<oid>" (JSON) and the name row "typname/<db>/<schema>/<name>".
std::string TypeKey(Oid oid) { return "type/" + std::to_string(oid); }
std::string TypeNameKey(Oid db, const std::string& schema, const std::string& name) {
  return "typname/" + std::to_string(db) + "/" + schema + "/" + name;
}

json ToJson(const TypeDefInfo& t) {
  json out = {{"oid", t.oid},       {"array_oid", t.array_oid}, {"db", t.database_oid},
              {"schema", t.schema}, {"name", t.name},           {"kind", std::string(1, t.kind)}};
  if (!t.comment.empty()) out["comment"] = t.comment;
  if (t.relation_oid != 0) out["relation_oid"] = t.relation_oid;
  if (t.owner != kBootstrapSuperuserOid) out["owner"] = t.owner;
  if (t.is_enum()) {
    json labels = json::array();
    for (const EnumLabel& l : t.labels) {
      json label = {{"order", l.sort_order}, {"label", l.label}};
      if (l.oid != 0) label["oid"] = l.oid;
      labels.push_back(std::move(label));
    }
    out["labels"] = std::move(labels);
  } else if (t.is_composite()) {
    json fields = json::array();
    for (const CompositeField& f : t.fields) {
      fields.push_back({{"name", f.name},
                        {"type", static_cast<uint32_t>(f.type.id)},
                        {"typmod", f.type.typmod}});
    }
    out["fields"] = std::move(fields);
  } else if (t.is_base() || t.is_shell()) {
    if (t.is_base()) {
      out["physical"] = t.physical;
      out["io"] = {t.input_fn, t.output_fn, t.receive_fn, t.send_fn};
      out["typlen"] = t.typlen;
      out["byval"] = t.byval;
      out["align"] = std::string(1, t.align);
      out["storage"] = std::string(1, t.storage);
      out["category"] = std::string(1, t.category);
      out["preferred"] = t.preferred;
      out["delimiter"] = std::string(1, t.delimiter);
      out["element"] = t.element;
      if (t.default_value) out["default"] = *t.default_value;
    }
  } else {
    out["base"] = static_cast<uint32_t>(t.base.id);
    out["typmod"] = t.base.typmod;
    out["parent"] = t.parent_domain;
    out["not_null"] = t.not_null;
    if (t.default_sql) out["default"] = *t.default_sql;
    json checks = json::array();
    for (const CheckConstraintInfo& c : t.checks) {
      checks.push_back({{"name", c.name}, {"expr", c.expr}});
      if (c.oid != 0) checks.back()["oid"] = c.oid;
    }
    out["checks"] = std::move(checks);
    out["not_valid"] = t.not_valid_checks;
  }
  if (!t.casts.empty()) {
    json casts = json::array();
    for (const UserCastInfo& c : t.casts) {
      casts.push_back({c.oid, c.source, c.target, c.function, std::string(1, c.context),
                       std::string(1, c.method)});
    }
    out["casts"] = std::move(casts);
  }
  return out;
}

std::shared_ptr<const TypeDefInfo> TypeFromJson(const json& j) {
  auto t = std::make_shared<TypeDefInfo>();
  t->oid = j.at("oid").get<Oid>();
  t->array_oid = j.at("array_oid").get<Oid>();
  t->database_oid = j.at("db").get<Oid>();
  t->schema = j.at("schema").get<std::string>();
  t->name = j.at("name").get<std::string>();
  t->kind = j.at("kind").get<std::string>().at(0);
  t->comment = j.value("comment", std::string());
  t->relation_oid = j.value("relation_oid", Oid{0});
  t->owner = j.value("owner", kBootstrapSuperuserOid);
  if (t->is_enum()) {
    for (const json& l : j.at("labels")) {
      t->labels.push_back(
          {l.at("order").get<double>(), l.at("label").get<std::string>(), l.value("oid", Oid{0})});
    }
  } else if (t->is_composite()) {
    for (const json& f : j.at("fields")) {
      t->fields.push_back(
          {f.at("name").get<std::string>(),
           Type{static_cast<TypeId>(f.at("type").get<uint32_t>()), f.at("typmod").get<int32_t>()}});
    }
  } else if (t->is_base() || t->is_shell()) {
    if (t->is_base()) {
      t->physical = j.at("physical").get<Oid>();
      const json& io = j.at("io");
      t->input_fn = io.at(0).get<Oid>();
      t->output_fn = io.at(1).get<Oid>();
      t->receive_fn = io.at(2).get<Oid>();
      t->send_fn = io.at(3).get<Oid>();
      t->typlen = j.at("typlen").get<int16_t>();
      t->byval = j.at("byval").get<bool>();
      t->align = j.at("align").get<std::string>().at(0);
      t->storage = j.at("storage").get<std::string>().at(0);
      t->category = j.at("category").get<std::string>().at(0);
      t->preferred = j.at("preferred").get<bool>();
      t->delimiter = j.at("delimiter").get<std::string>().at(0);
      t->element = j.at("element").get<Oid>();
      if (j.contains("default")) t->default_value = j.at("default").get<std::string>();
    }
  } else {
    t->base =
        Type{static_cast<TypeId>(j.at("base").get<uint32_t>()), j.at("typmod").get<int32_t>()};
    t->parent_domain = j.at("parent").get<Oid>();
    t->not_null = j.at("not_null").get<bool>();
    if (j.contains("default")) t->default_sql = j.at("default").get<std::string>();
    for (const json& c : j.at("checks")) {
      t->checks.push_back({c.at("name").get<std::string>(), c.at("expr").get<std::string>(),
                           c.value("oid", Oid{0})});
    }
    t->not_valid_checks = j.at("not_valid").get<std::vector<std::string>>();
  }
  if (j.contains("casts")) {
    for (const json& c : j.at("casts")) {
      t->casts.push_back({c.at(0).get<Oid>(), c.at(1).get<Oid>(), c.at(2).get<Oid>(),
                          c.at(3).get<Oid>(), c.at(4).get<std::string>().at(0),
                          c.at(5).get<std::string>().at(0)});
    }
  }
  return t;
}

// Functions: "proc/<oid>" (JSON) and the name row
// "proname/<db>/<schema>/<name>(<input type oids>)", which makes two transactions creating the
// same signature conflict.
std::string FunctionKey(Oid oid) { return "proc/" + std::to_string(oid); }
std::string FunctionNameKey(const FunctionInfo& f) {
  std::string key =
      "proname/" + std::to_string(f.database_oid) + "/" + f.schema + "/" + f.name + "(";
  bool first = true;
  for (const Type& t : f.InputTypes()) {
    if (!first) key += ",";
    first = false;
    key += std::to_string(static_cast<uint32_t>(t.id));
  }
  return key + ")";
}

json ToJson(const FunctionInfo& f) {
  json params = json::array();
  for (const FunctionParam& p : f.params) {
    json jp = {{"name", p.name},
               {"type", static_cast<uint32_t>(p.type.id)},
               {"typmod", p.type.typmod},
               {"mode", std::string(1, p.mode)}};
    if (p.domain != 0) jp["domain"] = p.domain;
    if (p.default_sql) jp["default"] = *p.default_sql;
    params.push_back(std::move(jp));
  }
  json out = {{"oid", f.oid},
              {"db", f.database_oid},
              {"schema", f.schema},
              {"name", f.name},
              {"kind", std::string(1, f.kind)},
              {"params", std::move(params)},
              {"ret", static_cast<uint32_t>(f.return_type.id)},
              {"ret_typmod", f.return_type.typmod},
              {"ret_rel", f.return_relation},
              {"set", f.returns_set},
              {"volatility", std::string(1, f.volatility)},
              {"strict", f.strict},
              {"secdef", f.security_definer},
              {"leakproof", f.leakproof},
              {"parallel", std::string(1, f.parallel)},
              {"cost", f.cost},
              {"rows", f.rows},
              {"language", f.language},
              {"body", f.body},
              {"sql_body", f.sql_body},
              {"stmts", f.sql_body_statements}};
  OwnerToJson(f, &out);
  if (!f.comment.empty()) out["comment"] = f.comment;
  return out;
}

std::shared_ptr<const FunctionInfo> FunctionFromJson(const json& j) {
  auto f = std::make_shared<FunctionInfo>();
  f->oid = j.at("oid").get<Oid>();
  f->database_oid = j.at("db").get<Oid>();
  f->schema = j.at("schema").get<std::string>();
  f->name = j.at("name").get<std::string>();
  f->kind = j.at("kind").get<std::string>().at(0);
  for (const json& jp : j.at("params")) {
    FunctionParam p;
    p.name = jp.at("name").get<std::string>();
    p.type =
        Type{static_cast<TypeId>(jp.at("type").get<uint32_t>()), jp.at("typmod").get<int32_t>()};
    p.mode = jp.at("mode").get<std::string>().at(0);
    p.domain = jp.value("domain", 0u);
    if (jp.contains("default")) p.default_sql = jp.at("default").get<std::string>();
    f->params.push_back(std::move(p));
  }
  f->return_type =
      Type{static_cast<TypeId>(j.at("ret").get<uint32_t>()), j.at("ret_typmod").get<int32_t>()};
  f->return_relation = j.at("ret_rel").get<Oid>();
  f->returns_set = j.at("set").get<bool>();
  f->volatility = j.at("volatility").get<std::string>().at(0);
  f->strict = j.at("strict").get<bool>();
  f->security_definer = j.at("secdef").get<bool>();
  f->leakproof = j.at("leakproof").get<bool>();
  f->parallel = j.at("parallel").get<std::string>().at(0);
  f->cost = j.at("cost").get<double>();
  f->rows = j.at("rows").get<double>();
  f->language = j.at("language").get<std::string>();
  f->body = j.at("body").get<std::string>();
  f->sql_body = j.at("sql_body").get<bool>();
  f->sql_body_statements = j.at("stmts").get<std::vector<std::string>>();
  OwnerFromJson(j, f.get());
  f->comment = j.value("comment", std::string());
  return f;
}

// The comments initdb gives: the database "postgres" and the schemas every database starts
// with (pg_description, pg_shdescription).
std::string DefaultDatabaseComment(Oid db) {
  return db == kPostgresDbOid ? "default administrative connection database" : "";
}
std::string DefaultSchemaComment(const std::string& schema) {
  if (schema == "public") return "standard public schema";
  if (schema == "pg_catalog") return "system catalog schema";
  return "";
}

json ToJson(const DatabaseInfo& d) {
  json j = {{"oid", d.oid}, {"name", d.name}};
  if (!d.settings.empty()) j["settings"] = d.settings;
  OwnerToJson(d, &j);
  // Written even when empty, so that a catalog from before comments reads back the comment
  // initdb gives the database "postgres".
  j["comment"] = d.comment;
  return j;
}

DatabaseInfo DatabaseFromJson(const json& d) {
  DatabaseInfo info{d.at("oid").get<Oid>(), d.at("name").get<std::string>(), {}};
  if (d.contains("settings")) {
    info.settings = d.at("settings").get<std::map<std::string, std::string>>();
  }
  OwnerFromJson(d, &info);
  info.comment =
      d.contains("comment") ? d.at("comment").get<std::string>() : DefaultDatabaseComment(info.oid);
  return info;
}
json ToJson(const SchemaInfo& s) {
  json j = {{"oid", s.oid}, {"db", s.database_oid}, {"name", s.name}};
  OwnerToJson(s, &j);
  // Written explicitly, so that a catalog from before owners (comments) reads back public's
  // owner (comment).
  j["owner"] = s.owner;
  j["comment"] = s.comment;
  if (!s.operators.empty()) {
    json ops = json::array();
    for (const OperatorInfo& o : s.operators) {
      ops.push_back({{"oid", o.oid},
                     {"name", o.name},
                     {"left", o.left},
                     {"right", o.right},
                     {"result", o.result},
                     {"fn", o.function},
                     {"fn_schema", o.fn_schema},
                     {"fn_name", o.fn_name},
                     {"com", o.commutator},
                     {"neg", o.negator},
                     {"rest", o.restrict_fn},
                     {"join", o.join_fn},
                     {"hashes", o.hashes},
                     {"merges", o.merges},
                     {"owner", o.owner},
                     {"comment", o.comment}});
    }
    j["operators"] = std::move(ops);
  }
  return j;
}
// The owner a schema row without one has: public's is pg_database_owner, as after initdb.
SchemaInfo SchemaFromJson(const json& s) {
  SchemaInfo info{s.at("oid").get<Oid>(), s.at("db").get<Oid>(), s.at("name").get<std::string>()};
  OwnerFromJson(s, &info);
  if (!s.contains("owner") && info.name == "public") {
    info.owner = kPgDatabaseOwnerOid;
    info.acl = Acl{{kPgDatabaseOwnerOid, kPgDatabaseOwnerOid, acl::kUsage | acl::kCreate, 0},
                   {acl::kPublic, kPgDatabaseOwnerOid, acl::kUsage, 0}};
  }
  info.comment =
      s.contains("comment") ? s.at("comment").get<std::string>() : DefaultSchemaComment(info.name);
  if (s.contains("operators")) {
    for (const json& o : s.at("operators")) {
      OperatorInfo op;
      op.oid = o.at("oid").get<Oid>();
      op.name = o.at("name").get<std::string>();
      op.left = o.at("left").get<Oid>();
      op.right = o.at("right").get<Oid>();
      op.result = o.at("result").get<Oid>();
      op.function = o.at("fn").get<Oid>();
      op.fn_schema = o.at("fn_schema").get<std::string>();
      op.fn_name = o.at("fn_name").get<std::string>();
      op.commutator = o.at("com").get<Oid>();
      op.negator = o.at("neg").get<Oid>();
      op.restrict_fn = o.at("rest").get<std::string>();
      op.join_fn = o.at("join").get<std::string>();
      op.hashes = o.at("hashes").get<bool>();
      op.merges = o.at("merges").get<bool>();
      op.owner = o.at("owner").get<Oid>();
      op.comment = o.at("comment").get<std::string>();
      info.operators.push_back(std::move(op));
    }
  }
  return info;
}

// Writes a name row for a new name. The row lock (taken by the UserTransaction on every write
// of a system table, here before the read) makes a concurrent creator of the same name wait
// for this transaction; once it has committed, the name is seen and taken.
template <typename OnTaken>
void PutNewName(Transaction* txn, const std::string& key, const std::string& oid,
                OnTaken on_taken) {
  txn->LockRow(0, SystemRowLockKey(kCatalogTable, key), RowLockMode::kUpdate);
  if (auto existing = txn->Get(kCatalogTable, key); existing && *existing != oid) on_taken();
  txn->Put(kCatalogTable, key, oid);
}

void WriteDatabase(Transaction* txn, const DatabaseInfo& d) {
  txn->Put(kCatalogTable, DatabaseKey(d.oid), ToJson(d).dump());
  PutNewName(txn, DatabaseNameKey(d.name), std::to_string(d.oid), [&] {
    Throw(SqlState::kDuplicateDatabase, "database \"{}\" already exists", d.name);
  });
}
void EraseDatabase(Transaction* txn, const DatabaseInfo& d) {
  txn->Delete(kCatalogTable, DatabaseKey(d.oid));
  txn->Delete(kCatalogTable, DatabaseNameKey(d.name));
}
void WriteSchema(Transaction* txn, const SchemaInfo& s) {
  txn->Put(kCatalogTable, SchemaKey(s.database_oid, s.oid), ToJson(s).dump());
  PutNewName(txn, SchemaNameKey(s.database_oid, s.name), std::to_string(s.oid),
             [&] { Throw(SqlState::kDuplicateSchema, "schema \"{}\" already exists", s.name); });
}
void EraseSchema(Transaction* txn, const SchemaInfo& s) {
  txn->Delete(kCatalogTable, SchemaKey(s.database_oid, s.oid));
  txn->Delete(kCatalogTable, SchemaNameKey(s.database_oid, s.name));
}
// Writes `now` (replacing `old`, if given: same oid) and its name rows.
void WriteTable(Transaction* txn, const TableInfo* old, const TableInfo& now) {
  txn->Put(kCatalogTable, TableKey(now.oid), ToJson(now).dump());
  std::vector<std::string> old_names;
  if (old != nullptr) old_names = RelationNames(*old);
  std::vector<std::string> new_names = RelationNames(now);
  for (const std::string& n : old_names) {
    if (std::find(new_names.begin(), new_names.end(), n) == new_names.end()) {
      txn->Delete(kCatalogTable, RelationNameKey(now.database_oid, now.schema, n));
    }
  }
  for (const std::string& n : new_names) {
    if (std::find(old_names.begin(), old_names.end(), n) == old_names.end()) {
      PutNewName(txn, RelationNameKey(now.database_oid, now.schema, n), std::to_string(now.oid),
                 [&] { ThrowRelationExists(n); });
    }
  }
}
void EraseTable(Transaction* txn, const TableInfo& t) {
  txn->Delete(kCatalogTable, TableKey(t.oid));
  for (const std::string& n : RelationNames(t)) {
    txn->Delete(kCatalogTable, RelationNameKey(t.database_oid, t.schema, n));
  }
}
// Writes `now` (replacing `old`, if given: same oid) and its name row.
void WriteType(Transaction* txn, const TypeDefInfo* old, const TypeDefInfo& now) {
  txn->Put(kCatalogTable, TypeKey(now.oid), ToJson(now).dump());
  if (old != nullptr && old->name == now.name) return;
  if (old != nullptr)
    txn->Delete(kCatalogTable, TypeNameKey(old->database_oid, old->schema, old->name));
  PutNewName(txn, TypeNameKey(now.database_oid, now.schema, now.name), std::to_string(now.oid),
             [&] { Throw(SqlState::kDuplicateObject, "type \"{}\" already exists", now.name); });
}
void EraseType(Transaction* txn, const TypeDefInfo& t) {
  txn->Delete(kCatalogTable, TypeKey(t.oid));
  txn->Delete(kCatalogTable, TypeNameKey(t.database_oid, t.schema, t.name));
}

// Writes `now` (replacing `old`, if given: same oid) and its name row.
void WriteFunction(Transaction* txn, const FunctionInfo* old, const FunctionInfo& now) {
  txn->Put(kCatalogTable, FunctionKey(now.oid), ToJson(now).dump());
  const std::string key = FunctionNameKey(now);
  if (old != nullptr && FunctionNameKey(*old) == key) return;
  if (old != nullptr) txn->Delete(kCatalogTable, FunctionNameKey(*old));
  PutNewName(txn, key, std::to_string(now.oid), [&] {
    Throw(SqlState::kDuplicateFunction, "function \"{}\" already exists with same argument types",
          now.name);
  });
}
void EraseFunction(Transaction* txn, const FunctionInfo& f) {
  txn->Delete(kCatalogTable, FunctionKey(f.oid));
  txn->Delete(kCatalogTable, FunctionNameKey(f));
}

// Roles: "role/<oid>" (JSON) and the name row "rolname/<name>".
std::string RoleKey(Oid oid) { return "role/" + std::to_string(oid); }
std::string RoleNameKey(const std::string& name) { return "rolname/" + name; }
void WriteRole(Transaction* txn, const RoleInfo* old, const RoleInfo& now) {
  txn->Put(kCatalogTable, RoleKey(now.oid), ToJson(now).dump());
  if (old != nullptr && old->name == now.name) return;
  if (old != nullptr) txn->Delete(kCatalogTable, RoleNameKey(old->name));
  PutNewName(txn, RoleNameKey(now.name), std::to_string(now.oid),
             [&] { Throw(SqlState::kDuplicateObject, "role \"{}\" already exists", now.name); });
}
void EraseRole(Transaction* txn, const RoleInfo& r) {
  txn->Delete(kCatalogTable, RoleKey(r.oid));
  txn->Delete(kCatalogTable, RoleNameKey(r.name));
}

// The roles initdb creates: the bootstrap superuser and PostgreSQL 15's predefined roles.
std::vector<RoleInfo> BuiltinRoles() {
  std::vector<RoleInfo> out;
  RoleInfo postgres;
  postgres.oid = kBootstrapSuperuserOid;
  postgres.name = "postgres";
  postgres.superuser = postgres.create_role = postgres.create_db = postgres.can_login = true;
  postgres.replication = postgres.bypass_rls = true;
  out.push_back(postgres);
  const std::pair<Oid, const char*> kPredefined[] = {
      {3373, "pg_monitor"},
      {3374, "pg_read_all_settings"},
      {3375, "pg_read_all_stats"},
      {3377, "pg_stat_scan_tables"},
      {4200, "pg_signal_backend"},
      {4544, "pg_checkpoint"},
      {kPgReadServerFilesOid, "pg_read_server_files"},
      {kPgWriteServerFilesOid, "pg_write_server_files"},
      {kPgExecuteServerProgramOid, "pg_execute_server_program"},
      {kPgDatabaseOwnerOid, "pg_database_owner"},
      {kPgReadAllDataOid, "pg_read_all_data"},
      {kPgWriteAllDataOid, "pg_write_all_data"},
  };
  for (auto [oid, name] : kPredefined) {
    RoleInfo r;
    r.oid = oid;
    r.name = name;
    out.push_back(r);
  }
  // pg_monitor's memberships, as initdb grants them.
  for (RoleInfo& r : out) {
    if (r.oid == 3373) {
      r.member_of = {{3374, kBootstrapSuperuserOid, false},
                     {3375, kBootstrapSuperuserOid, false},
                     {3377, kBootstrapSuperuserOid, false}};
    }
  }
  return out;
}

// Publishes the enums and composite types of `snap` (and the row types of its tables) to the
// type registry (common/user_types.h); entries whose definition did not change are left as they
// are. Composite types go after the enums, the row types last: a field may be of either.
void RegisterTypes(const CatalogSnapshot& snap) {
  for (const auto& [key, t] : snap.types) {
    if (t->is_enum()) RegisterEnumType(t->oid, t->array_oid, t->name, t->labels);
  }
  for (const auto& [key, t] : snap.types) {
    if (t->is_composite()) RegisterCompositeType(t->oid, t->array_oid, t->name, t->fields);
    if (t->is_base()) {
      RegisterBaseType({t->oid, t->array_oid, t->name, static_cast<TypeId>(t->physical),
                        t->preferred, t->typlen, t->align});
    }
  }
  for (const auto& [key, t] : snap.tables) {
    if (t->row_type_oid == 0) continue;
    std::vector<CompositeField> fields;
    fields.reserve(t->columns.size());
    for (const ColumnInfo& c : t->columns) fields.push_back({c.name, c.type});
    RegisterCompositeType(t->row_type_oid, t->row_array_type_oid, t->name, std::move(fields));
  }
}

// Writes every object of `snap` (a new or converted catalog).
void WriteAll(Transaction* txn, const CatalogSnapshot& snap) {
  for (const auto& [name, d] : snap.databases) WriteDatabase(txn, d);
  for (const auto& [key, s] : snap.schemas) WriteSchema(txn, s);
  for (const auto& [key, t] : snap.tables) WriteTable(txn, nullptr, *t);
  for (const auto& [key, t] : snap.types) WriteType(txn, nullptr, *t);
  for (const auto& [name, r] : snap.roles) WriteRole(txn, nullptr, r);
  for (const auto& [key, f] : snap.functions) WriteFunction(txn, nullptr, *f);
  txn->Put(kCatalogTable, kFormatKey, std::to_string(kCatalogFormat));
}

const std::array<std::pair<Oid, const char*>, 3> kDefaultSchemas = {
    {{kPgCatalogOid, "pg_catalog"},
     {kPublicOid, "public"},
     {kInformationSchemaOid, "information_schema"}}};

// A schema every database starts with: public is owned by pg_database_owner, which may use and
// create in it, and PUBLIC may use it (PostgreSQL 15's initdb); the others by the bootstrap
// superuser, with PUBLIC's USAGE.
SchemaInfo DefaultSchema(Oid oid, Oid db, const std::string& name) {
  SchemaInfo s{oid, db, name};
  s.owner = name == "public" ? kPgDatabaseOwnerOid : kBootstrapSuperuserOid;
  s.comment = DefaultSchemaComment(name);
  s.acl = Acl{{s.owner, s.owner, acl::kUsage | acl::kCreate, 0},
              {acl::kPublic, s.owner, acl::kUsage, 0}};
  return s;
}

}  // namespace

// --- TableInfo and CatalogSnapshot ---

Oid TableInfo::CommentedObjectClass(Oid o) const {
  constexpr Oid kPgType = 1247, kPgClass = 1259, kPgConstraint = 2606, kPgTrigger = 2620;
  if (o == 0) return 0;
  if (o == oid || o == pkey_index_oid) return kPgClass;
  if (o == row_type_oid) return kPgType;
  if (o == pkey_constraint_oid) return kPgConstraint;
  for (const IndexInfo& i : indexes) {
    if (i.oid == o) return kPgClass;
    if (i.constraint_oid == o) return kPgConstraint;
  }
  for (const ForeignKeyInfo& f : foreign_keys) {
    if (f.oid == o) return kPgConstraint;
  }
  for (const CheckConstraintInfo& c : checks) {
    if (c.oid == o) return kPgConstraint;
  }
  for (const TriggerInfo& g : triggers) {
    if (g.oid == o) return kPgTrigger;
  }
  return 0;
}

bool TableInfo::ViewOption(std::string_view name) const {
  for (const std::string& o : view_options) {
    if (o.size() <= name.size() || o.compare(0, name.size(), name) != 0 || o[name.size()] != '=') {
      continue;
    }
    // The value passed PostgreSQL's parse_bool when it was set: true, yes, on, 1 or a prefix.
    std::string v;
    for (char c : o.substr(name.size() + 1)) v += static_cast<char>(std::tolower(c));
    return !v.empty() && (v[0] == 't' || v[0] == 'y' || v == "on" || v == "1");
  }
  return false;
}

int TableInfo::ColumnIndex(const std::string& col) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == col) return static_cast<int>(i);
  }
  return -1;
}

const DatabaseInfo* CatalogSnapshot::FindDatabase(const std::string& name) const {
  auto it = databases.find(name);
  return it == databases.end() ? nullptr : &it->second;
}

const SchemaInfo* CatalogSnapshot::FindSchema(Oid db, const std::string& name) const {
  auto it = schemas.find({db, name});
  return it == schemas.end() ? nullptr : &it->second;
}

std::shared_ptr<const TableInfo> CatalogSnapshot::FindTable(Oid db, const std::string& schema,
                                                            const std::string& name) const {
  auto it = tables.find({db, schema, name});
  return it == tables.end() ? nullptr : it->second;
}

std::shared_ptr<const OidIndexCache::Index> OidIndexCache::Get(const CatalogSnapshot& snap) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (index_ && index_->table_count == snap.tables.size() &&
      index_->type_count == snap.types.size() && index_->function_count == snap.functions.size()) {
    return index_;
  }
  auto index = std::make_shared<Index>();
  index->table_count = snap.tables.size();
  index->type_count = snap.types.size();
  index->function_count = snap.functions.size();
  index->relations.reserve(snap.tables.size());
  for (const auto& [key, t] : snap.tables) {
    index->relations.emplace(t->oid, t);
    if (t->row_type_oid != 0) index->row_types.emplace(t->row_type_oid, t);
    if (t->row_array_type_oid != 0) index->row_types.emplace(t->row_array_type_oid, t);
  }
  for (const auto& [key, t] : snap.types) {
    index->types.emplace(t->oid, t);
    if (t->array_oid != 0) index->array_types.emplace(t->array_oid, t);
  }
  for (const auto& [key, f] : snap.functions) index->functions.emplace(f->oid, f);
  index_ = index;
  return index_;
}

namespace {

// An oid lookup in one of the maps of the snapshot's index.
template <typename T>
std::shared_ptr<const T> FindByOid(
    const CatalogSnapshot& snap, Oid oid,
    const std::unordered_map<Oid, std::shared_ptr<const T>> OidIndexCache::Index::*member) {
  auto index = snap.by_oid.Get(snap);
  const auto& m = (*index).*member;
  auto it = m.find(oid);
  return it == m.end() ? nullptr : it->second;
}

}  // namespace

std::shared_ptr<const TableInfo> CatalogSnapshot::FindRelationByOid(Oid oid) const {
  return FindByOid<TableInfo>(*this, oid, &OidIndexCache::Index::relations);
}

std::shared_ptr<const TableInfo> CatalogSnapshot::FindRelationByRowType(Oid type_oid) const {
  return FindByOid<TableInfo>(*this, type_oid, &OidIndexCache::Index::row_types);
}

std::shared_ptr<const TypeDefInfo> CatalogSnapshot::FindTypeByArrayOid(Oid array_oid) const {
  return FindByOid<TypeDefInfo>(*this, array_oid, &OidIndexCache::Index::array_types);
}

std::vector<std::shared_ptr<const TableInfo>> CatalogSnapshot::InheritanceChildren(Oid oid) const {
  std::vector<std::shared_ptr<const TableInfo>> out;
  for (const auto& [key, t] : tables) {
    if (std::find(t->parents.begin(), t->parents.end(), oid) != t->parents.end()) {
      out.push_back(t);
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a->oid < b->oid; });
  return out;
}

std::vector<std::pair<std::shared_ptr<const TableInfo>, size_t>>
CatalogSnapshot::ReferencingForeignKeys(Oid oid) const {
  std::vector<std::pair<std::shared_ptr<const TableInfo>, size_t>> out;
  for (const auto& [key, t] : tables) {
    for (size_t i = 0; i < t->foreign_keys.size(); ++i) {
      if (t->foreign_keys[i].ref_table == oid) out.emplace_back(t, i);
    }
  }
  return out;
}

std::shared_ptr<const TableInfo> CatalogSnapshot::FindIndexOwner(
    Oid db, const std::string& schema, const std::string& index_name) const {
  for (auto it = tables.lower_bound({db, schema, ""});
       it != tables.end() && std::get<0>(it->first) == db && std::get<1>(it->first) == schema;
       ++it) {
    const TableInfo& t = *it->second;
    if (t.is_view) continue;
    if (!t.primary_key.empty() && t.PrimaryKeyName() == index_name) return it->second;
    for (const IndexInfo& i : t.indexes) {
      if (i.name == index_name) return it->second;
    }
  }
  return nullptr;
}

std::shared_ptr<const TypeDefInfo> CatalogSnapshot::FindType(Oid db, const std::string& schema,
                                                             const std::string& name) const {
  auto it = types.find({db, schema, name});
  return it == types.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<const FunctionInfo>> CatalogSnapshot::FindFunctions(
    Oid db, const std::string& schema, const std::string& name) const {
  std::vector<std::shared_ptr<const FunctionInfo>> out;
  for (auto it = functions.lower_bound({db, schema, name, 0});
       it != functions.end() && std::get<0>(it->first) == db && std::get<1>(it->first) == schema &&
       std::get<2>(it->first) == name;
       ++it) {
    out.push_back(it->second);
  }
  return out;
}

std::shared_ptr<const FunctionInfo> CatalogSnapshot::FindFunctionByOid(Oid oid) const {
  return FindByOid<FunctionInfo>(*this, oid, &OidIndexCache::Index::functions);
}

std::vector<Type> FunctionInfo::InputTypes() const {
  std::vector<Type> out;
  for (const FunctionParam& p : params) {
    if (p.is_input())
      out.push_back(Type::Of(p.domain != 0 ? static_cast<TypeId>(p.domain) : p.type.id));
  }
  return out;
}

size_t FunctionInfo::InputCount() const {
  size_t n = 0;
  for (const FunctionParam& p : params) n += p.is_input() ? 1 : 0;
  return n;
}

size_t FunctionInfo::DefaultCount() const {
  size_t n = 0;
  for (const FunctionParam& p : params) n += p.is_input() && p.default_sql ? 1 : 0;
  return n;
}

std::shared_ptr<const TypeDefInfo> CatalogSnapshot::FindTypeByOid(Oid oid) const {
  return FindByOid<TypeDefInfo>(*this, oid, &OidIndexCache::Index::types);
}

const RoleInfo* CatalogSnapshot::FindRole(const std::string& name) const {
  auto it = roles.find(name);
  return it == roles.end() ? nullptr : &it->second;
}

const RoleInfo* CatalogSnapshot::FindRoleByOid(Oid oid) const {
  for (const auto& [name, r] : roles) {
    if (r.oid == oid) return &r;
  }
  return nullptr;
}

// --- CatalogTxn ---

CatalogTxn::CatalogTxn(Catalog* catalog, std::unique_ptr<Transaction> inner)
    : catalog_(catalog), inner_(std::move(inner)) {}

CatalogTxn::~CatalogTxn() {
  if (ended_) return;
  try {
    Abort();
  } catch (const std::exception& e) {
    spdlog::warn("catalog: rolling back a transaction failed: {}", e.what());
  }
}

bool CatalogTxn::has_catalog_changes() const {
  for (const Change& c : changes_) {
    if (c.kind != Change::Kind::kCreatedStorage && c.kind != Change::Kind::kDropStorageLater) {
      return true;
    }
  }
  return false;
}

void CatalogTxn::Record(Change c) {
  changes_.push_back(std::move(c));
  ++change_seq_;
}

void CatalogTxn::RollbackTo(size_t mark) {
  if (ended_ || mark > changes_.size()) {
    Throw(SqlState::kInternalError, "catalog savepoint mark out of range");
  }
  // Put the rows of every object changed after the mark back as they were at the mark.
  std::shared_ptr<const CatalogSnapshot> global = catalog_->Snapshot();
  std::vector<Change> kept(changes_.begin(), changes_.begin() + static_cast<std::ptrdiff_t>(mark));
  auto before = ApplyChanges(*global, kept, /*check=*/false);
  auto after = ApplyChanges(*global, changes_, /*check=*/false);
  // Two passes: every row as it is now goes first, then the rows as they were at the mark are
  // written. (A rename is a delete of the old name and a put of the new one, both of the row
  // keyed by the object's oid: done in one pass, the put's erase would undo the delete's
  // restore.)
  for (bool restore : {false, true}) {
    for (size_t i = mark; i < changes_.size(); ++i) {
      const Change& c = changes_[i];
      switch (c.kind) {
        case Change::Kind::kPutDatabase:
        case Change::Kind::kDeleteDatabase:
          if (!restore) {
            if (const DatabaseInfo* a = after->FindDatabase(c.database.name)) {
              EraseDatabase(this, *a);
            }
          } else if (const DatabaseInfo* b = before->FindDatabase(c.database.name)) {
            WriteDatabase(this, *b);
          }
          break;
        case Change::Kind::kPutSchema:
        case Change::Kind::kDeleteSchema:
          if (!restore) {
            if (const SchemaInfo* a = after->FindSchema(c.schema.database_oid, c.schema.name)) {
              EraseSchema(this, *a);
            }
          } else if (const SchemaInfo* b =
                         before->FindSchema(c.schema.database_oid, c.schema.name)) {
            WriteSchema(this, *b);
          }
          break;
        case Change::Kind::kPutTable:
        case Change::Kind::kDeleteTable: {
          const TableInfo& t = *c.table;
          if (!restore) {
            if (auto a = after->FindTable(t.database_oid, t.schema, t.name)) EraseTable(this, *a);
          } else if (auto b = before->FindTable(t.database_oid, t.schema, t.name)) {
            WriteTable(this, nullptr, *b);
          }
          break;
        }
        case Change::Kind::kPutType:
        case Change::Kind::kDeleteType: {
          const TypeDefInfo& t = *c.type;
          if (!restore) {
            if (auto a = after->FindTypeByOid(t.oid)) EraseType(this, *a);
          } else if (auto b = before->FindTypeByOid(t.oid)) {
            WriteType(this, nullptr, *b);
          }
          break;
        }
        case Change::Kind::kPutFunction:
        case Change::Kind::kDeleteFunction: {
          const FunctionInfo& f = *c.function;
          if (!restore) {
            if (auto a = after->FindFunctionByOid(f.oid)) EraseFunction(this, *a);
          } else if (auto b = before->FindFunctionByOid(f.oid)) {
            WriteFunction(this, nullptr, *b);
          }
          break;
        }
        case Change::Kind::kPutRole:
        case Change::Kind::kDeleteRole:
          if (!restore) {
            if (const RoleInfo* a = after->FindRoleByOid(c.role.oid)) EraseRole(this, *a);
          } else if (const RoleInfo* b = before->FindRoleByOid(c.role.oid)) {
            WriteRole(this, nullptr, *b);
          }
          break;
        case Change::Kind::kCreatedStorage:
          if (restore) {
            for (const std::string& n : c.storage) drop_at_end_.push_back(n);
          }
          break;
        case Change::Kind::kDropStorageLater:
          break;
      }
    }
  }
  changes_.erase(changes_.begin() + static_cast<std::ptrdiff_t>(mark), changes_.end());
  ++change_seq_;
  RegisterTypes(*Snapshot());
}

std::shared_ptr<const CatalogSnapshot> CatalogTxn::Snapshot() {
  std::shared_ptr<const CatalogSnapshot> global = catalog_->Snapshot();
  if (!has_catalog_changes()) return global;
  if (view_ && view_base_version_ == global->version && view_seq_ == change_seq_) return view_;
  auto view = ApplyChanges(*global, changes_, /*check=*/false);
  view->version = catalog_->NextPrivateVersion();
  RegisterTypes(*view);
  view_ = std::move(view);
  view_base_version_ = global->version;
  view_seq_ = change_seq_;
  return view_;
}

void CatalogTxn::Commit() {
  if (ended_) {
    inner_->Commit();  // reports the ended transaction as the storage engine does
    return;
  }
  const bool catalog = has_catalog_changes();
  std::shared_ptr<const CatalogSnapshot> before;
  try {
    if (catalog) {
      before = catalog_->CommitTxn(this);
    } else {
      inner_->Commit();
    }
  } catch (...) {
    Abort();
    throw;
  }
  ended_ = true;
  if (before) ForgetSequenceGenerations(changes_, *before, *catalog_->Snapshot());
  // After the commit: storage nobody references any more, and row id blocks of dropped tables.
  std::vector<std::string> drop = std::move(drop_at_end_);
  std::vector<Oid> dropped_tables;
  for (const Change& c : changes_) {
    if (c.kind == Change::Kind::kDropStorageLater ||
        (!catalog && c.kind == Change::Kind::kCreatedStorage)) {
      drop.insert(drop.end(), c.storage.begin(), c.storage.end());
    }
    if (c.kind == Change::Kind::kDeleteTable) dropped_tables.push_back(c.table->oid);
  }
  // A relation put again after its delete was renamed (UpdateRelation), not dropped.
  std::erase_if(dropped_tables, [&](Oid t) {
    return std::any_of(changes_.begin(), changes_.end(), [&](const Change& c) {
      return c.kind == Change::Kind::kPutTable && c.table->oid == t;
    });
  });
  changes_.clear();
  view_.reset();
  DropStorage(catalog_->engine_, drop);
  if (!dropped_tables.empty()) {
    {
      std::lock_guard lock(catalog_->rowid_mu_);
      for (Oid t : dropped_tables) catalog_->rowid_blocks_.erase(t);
    }
    try {
      auto txn = catalog_->engine_->Begin(Isolation::kSnapshot);
      for (Oid t : dropped_tables) txn->Delete(kCatalogTable, RowIdKey(t));
      txn->Commit();
    } catch (const Error& e) {
      spdlog::warn("catalog: could not erase row id blocks of dropped tables: {}", e.message());
    }
  }
}

void CatalogTxn::Rollback() {
  if (ended_) {
    inner_->Rollback();
    return;
  }
  Abort();
}

void CatalogTxn::Abort() {
  ended_ = true;
  inner_->Rollback();
  {
    auto global = catalog_->Snapshot();
    ForgetSequenceGenerations(changes_, *global, *global);
  }
  std::vector<std::string> drop = std::move(drop_at_end_);
  for (const Change& c : changes_) {
    if (c.kind == Change::Kind::kCreatedStorage) {
      drop.insert(drop.end(), c.storage.begin(), c.storage.end());
    }
  }
  const bool types = std::any_of(changes_.begin(), changes_.end(), [](const Change& c) {
    return c.kind == Change::Kind::kPutType || c.kind == Change::Kind::kDeleteType;
  });
  changes_.clear();
  view_.reset();
  if (types) RegisterTypes(*catalog_->Snapshot());  // the committed definitions again
  DropStorage(catalog_->engine_, drop);
}

bool CatalogTxn::changed_temporary_objects() const {
  auto temp = [](const std::string& schema) {
    return schema.starts_with("pg_temp_") || schema.starts_with("pg_toast_temp_");
  };
  for (const Change& c : changes_) {
    switch (c.kind) {
      case Change::Kind::kPutSchema:
      case Change::Kind::kDeleteSchema:
        if (temp(c.schema.name)) return true;
        break;
      case Change::Kind::kPutTable:
      case Change::Kind::kDeleteTable:
        if (temp(c.table->schema)) return true;
        break;
      case Change::Kind::kPutType:
      case Change::Kind::kDeleteType:
        if (temp(c.type->schema)) return true;
        break;
      case Change::Kind::kPutFunction:
      case Change::Kind::kDeleteFunction:
        if (temp(c.function->schema)) return true;
        break;
      default:
        break;
    }
  }
  return false;
}

void CatalogTxn::Prepare(const std::function<void(const PreparedCatalogChanges&)>& prepare) {
  if (ended_) Throw(SqlState::kInternalError, "PREPARE of a transaction that has ended");
  PreparedCatalogChanges part;
  part.changed = has_catalog_changes();
  std::set<std::pair<Oid, uint32_t>> sequences;
  for (const Change& c : changes_) {
    if (c.kind == Change::Kind::kCreatedStorage) {
      part.created_storage.insert(part.created_storage.end(), c.storage.begin(), c.storage.end());
    } else if (c.kind == Change::Kind::kDropStorageLater) {
      part.drop_after_commit.insert(part.drop_after_commit.end(), c.storage.begin(),
                                    c.storage.end());
    } else if ((c.kind == Change::Kind::kPutTable || c.kind == Change::Kind::kDeleteTable) &&
               c.table->is_sequence()) {
      sequences.insert({c.table->oid, c.table->storage_gen});
    }
  }
  part.discarded_storage = drop_at_end_;
  try {
    if (part.changed) {
      std::lock_guard lock(catalog_->commit_mu_);
      std::shared_ptr<const CatalogSnapshot> base = catalog_->Snapshot();
      ApplyChanges(*base, changes_, /*check=*/true);  // throws 40001 as a commit would
      for (const Change& c : changes_) {
        if (c.table == nullptr || !c.table->is_sequence()) continue;
        auto b = base->FindTable(c.table->database_oid, c.table->schema, c.table->name);
        if (b && b->oid == c.table->oid) sequences.insert({b->oid, b->storage_gen});
      }
      part.sequence_generations.assign(sequences.begin(), sequences.end());
      prepare(part);
    } else {
      prepare(part);
    }
  } catch (...) {
    Abort();
    throw;
  }
  // Prepared: nothing is undone, the storage created stays for COMMIT PREPARED.
  ended_ = true;
  const bool types = std::any_of(changes_.begin(), changes_.end(), [](const Change& c) {
    return c.kind == Change::Kind::kPutType || c.kind == Change::Kind::kDeleteType;
  });
  changes_.clear();
  view_.reset();
  if (types) RegisterTypes(*catalog_->Snapshot());  // the committed definitions again
  DropStorage(catalog_->engine_, std::exchange(drop_at_end_, {}));
}

void Catalog::FinishPrepared(const PreparedCatalogChanges& c, bool commit,
                             const std::function<void()>& finish) {
  if (commit && c.changed) {
    std::lock_guard lock(commit_mu_);
    finish();
    ReloadLocked();
  } else {
    finish();
  }
  DropStorage(engine_, commit ? c.drop_after_commit : c.created_storage);
  if (c.sequence_generations.empty()) return;
  std::shared_ptr<const CatalogSnapshot> now = Snapshot();
  for (const auto& [oid, gen] : c.sequence_generations) {
    auto t = now->FindRelationByOid(oid);
    if (t == nullptr || t->storage_gen != gen) sequences_->Forget(oid, gen);
  }
}

void CatalogTxn::ForgetSequenceGenerations(const std::vector<Change>& changes,
                                           const CatalogSnapshot& before,
                                           const CatalogSnapshot& keep) {
  std::set<std::pair<Oid, uint32_t>> mentioned;
  for (const Change& c : changes) {
    if (c.kind != Change::Kind::kPutTable && c.kind != Change::Kind::kDeleteTable) continue;
    const TableInfo& t = *c.table;
    if (!t.is_sequence()) continue;
    mentioned.insert({t.oid, t.storage_gen});
    if (auto b = before.FindTable(t.database_oid, t.schema, t.name); b && b->oid == t.oid) {
      mentioned.insert({b->oid, b->storage_gen});
    }
  }
  for (const auto& [oid, gen] : mentioned) {
    bool kept = false;
    for (const Change& c : changes) {
      if (c.table == nullptr || c.table->oid != oid) continue;
      auto k = keep.FindTable(c.table->database_oid, c.table->schema, c.table->name);
      kept = kept || (k && k->oid == oid && k->storage_gen == gen);
    }
    if (!kept) catalog_->sequences_->Forget(oid, gen);
  }
}

std::shared_ptr<CatalogSnapshot> CatalogTxn::ApplyChanges(const CatalogSnapshot& base,
                                                          const std::vector<Change>& changes,
                                                          bool check) {
  auto next = std::make_shared<CatalogSnapshot>(base);
  std::set<Oid> touched_dbs, dropped_dbs;
  std::set<std::pair<Oid, std::string>> touched_schemas, dropped_schemas;
  for (const Change& c : changes) {
    switch (c.kind) {
      case Change::Kind::kPutDatabase: {
        const DatabaseInfo* e = next->FindDatabase(c.database.name);
        if (check && e != nullptr && e->oid != c.database.oid) {
          ThrowConcurrentChange(fmt::format("database \"{}\"", c.database.name));
        }
        next->databases[c.database.name] = c.database;
        break;
      }
      case Change::Kind::kDeleteDatabase: {
        const DatabaseInfo* e = next->FindDatabase(c.database.name);
        if (e == nullptr || e->oid != c.database.oid) {
          if (check) ThrowConcurrentChange(fmt::format("database \"{}\"", c.database.name));
          break;
        }
        next->databases.erase(c.database.name);
        dropped_dbs.insert(c.database.oid);
        break;
      }
      case Change::Kind::kPutSchema: {
        const SchemaInfo* e = next->FindSchema(c.schema.database_oid, c.schema.name);
        if (check && e != nullptr && e->oid != c.schema.oid) {
          ThrowConcurrentChange(fmt::format("schema \"{}\"", c.schema.name));
        }
        next->schemas[{c.schema.database_oid, c.schema.name}] = c.schema;
        touched_dbs.insert(c.schema.database_oid);
        break;
      }
      case Change::Kind::kDeleteSchema: {
        const SchemaInfo* e = next->FindSchema(c.schema.database_oid, c.schema.name);
        if (e == nullptr || e->oid != c.schema.oid) {
          if (check) ThrowConcurrentChange(fmt::format("schema \"{}\"", c.schema.name));
          break;
        }
        next->schemas.erase({c.schema.database_oid, c.schema.name});
        dropped_schemas.insert({c.schema.database_oid, c.schema.name});
        break;
      }
      case Change::Kind::kPutTable: {
        const TableInfo& t = *c.table;
        auto key = std::make_tuple(t.database_oid, t.schema, t.name);
        auto it = next->tables.find(key);
        if (check && it != next->tables.end() && it->second->oid != t.oid) {
          ThrowConcurrentChange(fmt::format("relation \"{}\"", t.name));
        }
        next->tables[key] = c.table;
        touched_dbs.insert(t.database_oid);
        touched_schemas.insert({t.database_oid, t.schema});
        break;
      }
      case Change::Kind::kDeleteTable: {
        const TableInfo& t = *c.table;
        auto it = next->tables.find({t.database_oid, t.schema, t.name});
        if (it == next->tables.end() || it->second->oid != t.oid) {
          if (check) ThrowConcurrentChange(fmt::format("relation \"{}\"", t.name));
          break;
        }
        next->tables.erase(it);
        break;
      }
      case Change::Kind::kPutType: {
        const TypeDefInfo& t = *c.type;
        auto key = std::make_tuple(t.database_oid, t.schema, t.name);
        auto it = next->types.find(key);
        if (check && it != next->types.end() && it->second->oid != t.oid) {
          ThrowConcurrentChange(fmt::format("type \"{}\"", t.name));
        }
        // A rename: the old name goes.
        for (auto o = next->types.begin(); o != next->types.end(); ++o) {
          if (o->second->oid == t.oid && o->first != key) {
            next->types.erase(o);
            break;
          }
        }
        next->types[key] = c.type;
        touched_dbs.insert(t.database_oid);
        touched_schemas.insert({t.database_oid, t.schema});
        break;
      }
      case Change::Kind::kDeleteType: {
        const TypeDefInfo& t = *c.type;
        auto it = next->types.find({t.database_oid, t.schema, t.name});
        if (it == next->types.end() || it->second->oid != t.oid) {
          if (check) ThrowConcurrentChange(fmt::format("type \"{}\"", t.name));
          break;
        }
        next->types.erase(it);
        break;
      }
      case Change::Kind::kPutFunction: {
        const FunctionInfo& f = *c.function;
        std::erase_if(next->functions, [&](const auto& kv) { return kv.second->oid == f.oid; });
        if (check) {
          const std::vector<Type> in = f.InputTypes();
          for (const auto& o : next->FindFunctions(f.database_oid, f.schema, f.name)) {
            if (o->InputTypes() == in)
              ThrowConcurrentChange(fmt::format("function \"{}\"", f.name));
          }
        }
        next->functions[{f.database_oid, f.schema, f.name, f.oid}] = c.function;
        touched_dbs.insert(f.database_oid);
        touched_schemas.insert({f.database_oid, f.schema});
        break;
      }
      case Change::Kind::kDeleteFunction: {
        const FunctionInfo& f = *c.function;
        size_t n =
            std::erase_if(next->functions, [&](const auto& kv) { return kv.second->oid == f.oid; });
        if (check && n == 0) ThrowConcurrentChange(fmt::format("function \"{}\"", f.name));
        break;
      }
      case Change::Kind::kPutRole: {
        const RoleInfo* e = next->FindRole(c.role.name);
        if (check && e != nullptr && e->oid != c.role.oid) {
          ThrowConcurrentChange(fmt::format("role \"{}\"", c.role.name));
        }
        std::erase_if(next->roles, [&](const auto& kv) { return kv.second.oid == c.role.oid; });
        next->roles[c.role.name] = c.role;
        break;
      }
      case Change::Kind::kDeleteRole: {
        size_t n =
            std::erase_if(next->roles, [&](const auto& kv) { return kv.second.oid == c.role.oid; });
        if (check && n == 0) ThrowConcurrentChange(fmt::format("role \"{}\"", c.role.name));
        break;
      }
      case Change::Kind::kCreatedStorage:
      case Change::Kind::kDropStorageLater:
        break;
    }
  }
  if (!check) return next;
  auto db_exists = [&](Oid db) {
    for (const auto& [n, d] : next->databases) {
      if (d.oid == db) return true;
    }
    return false;
  };
  for (Oid db : touched_dbs) {
    if (!db_exists(db)) ThrowConcurrentChange(fmt::format("database with OID {}", db));
  }
  for (const auto& [db, schema] : touched_schemas) {
    if (next->FindSchema(db, schema) == nullptr) {
      ThrowConcurrentChange(fmt::format("schema \"{}\"", schema));
    }
    std::set<std::string> names;
    for (auto it = next->tables.lower_bound({db, schema, ""});
         it != next->tables.end() && std::get<0>(it->first) == db &&
         std::get<1>(it->first) == schema;
         ++it) {
      for (std::string& n : RelationNames(*it->second)) {
        if (!names.insert(n).second) ThrowConcurrentChange(fmt::format("relation \"{}\"", n));
      }
    }
  }
  for (const auto& [db, schema] : dropped_schemas) {
    if (next->FindSchema(db, schema) != nullptr) continue;  // re-created in this transaction
    auto it = next->tables.lower_bound({db, schema, ""});
    if (it != next->tables.end() && std::get<0>(it->first) == db &&
        std::get<1>(it->first) == schema) {
      ThrowConcurrentChange(fmt::format("schema \"{}\"", schema));
    }
    auto ty = next->types.lower_bound({db, schema, ""});
    if (ty != next->types.end() && std::get<0>(ty->first) == db &&
        std::get<1>(ty->first) == schema) {
      ThrowConcurrentChange(fmt::format("schema \"{}\"", schema));
    }
    auto fn = next->functions.lower_bound({db, schema, "", 0});
    if (fn != next->functions.end() && std::get<0>(fn->first) == db &&
        std::get<1>(fn->first) == schema) {
      ThrowConcurrentChange(fmt::format("schema \"{}\"", schema));
    }
  }
  for (Oid db : dropped_dbs) {
    if (db_exists(db)) continue;
    for (const auto& [key, s] : next->schemas) {
      if (key.first == db) ThrowConcurrentChange(fmt::format("database with OID {}", db));
    }
    for (const auto& [key, t] : next->tables) {
      if (std::get<0>(key) == db) ThrowConcurrentChange(fmt::format("database with OID {}", db));
    }
  }
  return next;
}

// --- Catalog ---

Catalog::Catalog(Engine* engine, uint32_t default_shard_count)
    : engine_(engine), default_shard_count_(default_shard_count == 0 ? 1 : default_shard_count) {}

std::unique_ptr<Catalog> Catalog::Open(Engine* engine, uint32_t default_shard_count,
                                       const std::vector<PreparedCatalogChanges>& prepared) {
  std::unique_ptr<Catalog> c(new Catalog(engine, default_shard_count));
  c->Load();
  std::set<std::string> keep;
  std::set<std::pair<Oid, uint32_t>> live;
  for (const PreparedCatalogChanges& p : prepared) {
    keep.insert(p.created_storage.begin(), p.created_storage.end());
    live.insert(p.sequence_generations.begin(), p.sequence_generations.end());
  }
  c->DropOrphanStorage(keep);
  c->sequences_ = std::make_unique<SequenceManager>(engine);
  for (const auto& [key, t] : c->current_->tables) {
    if (t->is_sequence()) live.insert({t->oid, t->storage_gen});
  }
  c->sequences_->DropOrphans(live);
  return c;
}

Catalog::~Catalog() {
  if (sequences_) sequences_->Flush();
}

std::shared_ptr<const CatalogSnapshot> Catalog::Snapshot() const {
  std::lock_guard lock(snapshot_mu_);
  return current_;
}

std::unique_ptr<CatalogTxn> Catalog::Begin(Isolation isolation) {
  return std::make_unique<CatalogTxn>(this, engine_->Begin(isolation));
}

void Catalog::Publish(std::shared_ptr<const CatalogSnapshot> next) {
  RegisterTypes(*next);
  std::lock_guard lock(snapshot_mu_);
  current_ = std::move(next);
}

template <typename F>
auto Catalog::Autocommit(F&& f) {
  std::unique_ptr<CatalogTxn> txn = Begin();
  if constexpr (std::is_void_v<decltype(f(txn.get()))>) {
    f(txn.get());
    txn->Commit();
  } else {
    auto result = f(txn.get());
    txn->Commit();
    return result;
  }
}

namespace {

// The rows of sys_catalog (format 2 and later) into `snap`; the stored next oid, if any, into
// *next_oid. Throws json::exception and std::logic_error on rows it cannot read.
void ReadCatalogRows(Transaction* txn, CatalogSnapshot* snap, Oid* next_oid) {
  auto cursor = txn->Scan(kCatalogTable);
  while (cursor->Next()) {
    std::string_view key = cursor->key();
    if (key.starts_with("db/")) {
      json d = json::parse(cursor->value());
      DatabaseInfo info = DatabaseFromJson(d);
      snap->databases[info.name] = info;
    } else if (key.starts_with("schema/")) {
      SchemaInfo info = SchemaFromJson(json::parse(cursor->value()));
      snap->schemas[{info.database_oid, info.name}] = info;
    } else if (key.starts_with("role/")) {
      RoleInfo info = RoleFromJson(json::parse(cursor->value()));
      snap->roles[info.name] = info;
    } else if (key.starts_with("rel/")) {
      auto info = TableFromJson(json::parse(cursor->value()));
      snap->tables[{info->database_oid, info->schema, info->name}] = info;
    } else if (key.starts_with("type/")) {
      auto info = TypeFromJson(json::parse(cursor->value()));
      snap->types[{info->database_oid, info->schema, info->name}] = info;
    } else if (key.starts_with("proc/")) {
      auto info = FunctionFromJson(json::parse(cursor->value()));
      snap->functions[{info->database_oid, info->schema, info->name, info->oid}] = info;
    } else if (key == kNextOidKey) {
      *next_oid = static_cast<Oid>(std::stoul(std::string(cursor->value())));
    }
  }
}

}  // namespace

void Catalog::Reload() {
  std::lock_guard lock(commit_mu_);
  ReloadLocked();
}

void Catalog::ReloadLocked() {
  auto snap = std::make_shared<CatalogSnapshot>();
  Oid stored_next_oid = 0;
  {
    std::unique_ptr<Transaction> txn = engine_->Begin(Isolation::kSnapshot);
    try {
      ReadCatalogRows(txn.get(), snap.get(), &stored_next_oid);
    } catch (const json::exception& e) {
      Throw(SqlState::kDataCorrupted, "could not read the catalog: {}", e.what());
    } catch (const std::logic_error& e) {  // std::stoul
      Throw(SqlState::kDataCorrupted, "could not read the catalog: {}", e.what());
    }
    txn->Rollback();
  }
  snap->version = Snapshot()->version + 1;
  Publish(std::move(snap));
}

void Catalog::Load() {
  engine_->CreateTable(kCatalogTable);
  auto snap = std::make_shared<CatalogSnapshot>();
  snap->version = 1;
  Oid stored_next_oid = 0;
  auto txn = engine_->Begin(Isolation::kSnapshot);
  std::optional<std::string> legacy = txn->Get(kCatalogTable, kLegacyCatalogKey);
  std::optional<std::string> format = txn->Get(kCatalogTable, kFormatKey);
  try {
    if (legacy) {
      // Format 1: convert the single document to rows, in one transaction.
      json j = json::parse(*legacy);
      if (j.at("format").get<int>() != 1) {
        Throw(SqlState::kDataCorrupted, "catalog format {} is not supported",
              j.at("format").get<int>());
      }
      stored_next_oid = j.at("next_oid").get<Oid>();
      for (const json& d : j.at("databases")) {
        DatabaseInfo info = DatabaseFromJson(d);
        snap->databases[info.name] = info;
      }
      for (const json& s : j.at("schemas")) {
        SchemaInfo info = SchemaFromJson(s);
        snap->schemas[{info.database_oid, info.name}] = info;
      }
      for (const json& t : j.at("tables")) {
        auto info = TableFromJson(t);
        snap->tables[{info->database_oid, info->schema, info->name}] = info;
      }
      WriteAll(txn.get(), *snap);
      txn->Put(kCatalogTable, kNextOidKey, std::to_string(stored_next_oid));
      txn->Delete(kCatalogTable, kLegacyCatalogKey);
      spdlog::info("catalog: converted the format 1 catalog to format {}", kCatalogFormat);
    } else if (!format) {
      // A new data directory.
      snap->databases["postgres"] = DatabaseInfo{kPostgresDbOid, "postgres"};
      snap->databases["postgres"].comment = DefaultDatabaseComment(kPostgresDbOid);
      for (auto [oid, name] : kDefaultSchemas) {
        snap->schemas[{kPostgresDbOid, name}] = DefaultSchema(oid, kPostgresDbOid, name);
      }
      for (RoleInfo& r : BuiltinRoles()) snap->roles[r.name] = std::move(r);
      WriteAll(txn.get(), *snap);
    } else {
      if (*format != std::to_string(kCatalogFormat)) {
        Throw(SqlState::kDataCorrupted, "catalog format {} is not supported", *format);
      }
      ReadCatalogRows(txn.get(), snap.get(), &stored_next_oid);
    }
    // A catalog from before roles: the built-in ones.
    for (RoleInfo& r : BuiltinRoles()) {
      if (snap->FindRoleByOid(r.oid) != nullptr) continue;
      WriteRole(txn.get(), nullptr, r);
      snap->roles[r.name] = std::move(r);
    }
    txn->Commit();
  } catch (const json::exception& e) {
    Throw(SqlState::kDataCorrupted, "could not read the catalog: {}", e.what());
  } catch (const std::logic_error& e) {  // std::stoul
    Throw(SqlState::kDataCorrupted, "could not read the catalog: {}", e.what());
  }
  // Oids continue after the reserved block and after every oid in use.
  Oid next = std::max<Oid>(16384, stored_next_oid);
  auto bump = [&](Oid o) { next = std::max<Oid>(next, o + 1); };
  for (const auto& [n, d] : snap->databases) bump(d.oid);
  for (const auto& [k, s] : snap->schemas) bump(s.oid);
  for (const auto& [k, r] : snap->roles) bump(r.oid);
  for (const auto& [k, f] : snap->functions) bump(f->oid);
  for (const auto& [k, t] : snap->types) {
    bump(t->oid);
    bump(t->array_oid);
    bump(t->relation_oid);
  }
  for (const auto& [k, t] : snap->tables) {
    bump(t->oid);
    bump(t->storage_gen);
    for (Oid o :
         {t->row_type_oid, t->row_array_type_oid, t->pkey_index_oid, t->pkey_constraint_oid}) {
      bump(o);
    }
    for (const IndexInfo& i : t->indexes) {
      bump(i.oid);
      bump(i.storage_gen);
      bump(i.constraint_oid);
    }
    for (const ForeignKeyInfo& f : t->foreign_keys) bump(f.oid);
    for (const CheckConstraintInfo& c : t->checks) bump(c.oid);
    for (const TriggerInfo& g : t->triggers) bump(g.oid);
    for (const ColumnInfo& c : t->columns) bump(c.default_oid);
  }
  {
    std::lock_guard lock(oid_mu_);
    next_oid_ = next;
    oid_limit_ = next;
  }
  // A catalog written before relations carried the oids of their constraints, row types and
  // defaults: number those objects now, once.
  std::vector<std::shared_ptr<const TableInfo>> numbered;
  for (auto& [k, t] : snap->tables) {
    TableInfo copy = *t;
    if (AssignObjectOids(&copy)) {
      t = std::make_shared<const TableInfo>(std::move(copy));
      numbered.push_back(t);
    }
  }
  if (!numbered.empty()) {
    auto txn = engine_->Begin(Isolation::kSnapshot);
    for (const auto& t : numbered) txn->Put(kCatalogTable, TableKey(t->oid), ToJson(*t).dump());
    txn->Commit();
  }
  Publish(std::move(snap));
}

Oid Catalog::NextOid() {
  std::lock_guard lock(oid_mu_);
  if (next_oid_ >= oid_limit_) {
    Oid limit = next_oid_ + kOidBlock;
    auto txn = engine_->Begin(Isolation::kSnapshot);
    txn->Put(kCatalogTable, kNextOidKey, std::to_string(limit));
    txn->Commit();
    oid_limit_ = limit;
  }
  return next_oid_++;
}

bool Catalog::AssignObjectOids(TableInfo* t) {
  bool changed = false;
  auto fill = [&](Oid* o, bool exists) {
    if (exists && *o == 0) {
      *o = NextOid();
      changed = true;
    } else if (!exists && *o != 0) {
      *o = 0;
      changed = true;
    }
  };
  const bool has_row_type = !t->is_sequence();
  fill(&t->row_type_oid, has_row_type);
  fill(&t->row_array_type_oid, has_row_type);
  const bool has_pkey = !t->is_view && !t->primary_key.empty();
  fill(&t->pkey_index_oid, has_pkey);
  fill(&t->pkey_constraint_oid, has_pkey);
  for (IndexInfo& i : t->indexes) fill(&i.constraint_oid, i.is_constraint);
  for (ForeignKeyInfo& f : t->foreign_keys) fill(&f.oid, true);
  for (CheckConstraintInfo& c : t->checks) fill(&c.oid, true);
  for (TriggerInfo& g : t->triggers) {
    fill(&g.oid, true);
    fill(&g.constraint_oid, g.is_constraint);
  }
  for (ColumnInfo& c : t->columns)
    fill(&c.default_oid, c.default_sql.has_value() && c.identity == 0);
  return changed;
}

void Catalog::DropOrphanStorage(const std::set<std::string>& keep) {
  std::set<std::string> referenced = keep;
  for (const auto& [key, t] : current_->tables) {
    for (std::string& n : StorageTablesOf(*t)) referenced.insert(std::move(n));
  }
  static const std::regex kOurs("[ti][0-9]+(_[0-9]+)?_s[0-9]+");
  for (const std::string& name : engine_->ListTables()) {
    if (std::regex_match(name, kOurs) && !referenced.contains(name)) {
      spdlog::info("catalog: dropping orphaned storage table {}", name);
      DropStorage(engine_, {name});
    }
  }
}

std::shared_ptr<const CatalogSnapshot> Catalog::CommitTxn(CatalogTxn* txn) {
  std::lock_guard lock(commit_mu_);
  std::shared_ptr<const CatalogSnapshot> base = Snapshot();
  std::shared_ptr<CatalogSnapshot> next =
      CatalogTxn::ApplyChanges(*base, txn->changes_, /*check=*/true);
  next->version = base->version + 1;
  txn->inner_->Commit();
  Publish(std::move(next));
  return base;
}

DatabaseInfo Catalog::CreateDatabase(CatalogTxn* txn, const std::string& name) {
  auto view = txn->Snapshot();
  if (view->FindDatabase(name) != nullptr) {
    Throw(SqlState::kDuplicateDatabase, "database \"{}\" already exists", name);
  }
  DatabaseInfo db{NextOid(), name};
  db.owner = txn->creator();
  WriteDatabase(txn, db);
  txn->Record({CatalogTxn::Change::Kind::kPutDatabase, db});
  for (auto [oid, schema] : kDefaultSchemas) {
    SchemaInfo s = DefaultSchema(oid, db.oid, schema);
    WriteSchema(txn, s);
    txn->Record({CatalogTxn::Change::Kind::kPutSchema, s});
  }
  return db;
}

void Catalog::SetDatabaseSetting(CatalogTxn* txn, const std::string& name,
                                 const std::string& setting,
                                 const std::optional<std::string>& value) {
  auto view = txn->Snapshot();
  const DatabaseInfo* found = view->FindDatabase(name);
  if (found == nullptr) {
    Throw(SqlState::kInvalidCatalogName, "database \"{}\" does not exist", name);
  }
  DatabaseInfo db = *found;
  if (setting == "all" && !value) {
    db.settings.clear();
  } else if (value) {
    db.settings[setting] = *value;
  } else {
    db.settings.erase(setting);
  }
  WriteDatabase(txn, db);
  txn->Record({CatalogTxn::Change::Kind::kPutDatabase, db});
}

void Catalog::UpdateDatabase(CatalogTxn* txn, DatabaseInfo next) {
  auto view = txn->Snapshot();
  const DatabaseInfo* found = view->FindDatabase(next.name);
  if (found == nullptr || found->oid != next.oid) {
    Throw(SqlState::kInvalidCatalogName, "database \"{}\" does not exist", next.name);
  }
  WriteDatabase(txn, next);
  txn->Record({CatalogTxn::Change::Kind::kPutDatabase, std::move(next)});
}

void Catalog::UpdateSchema(CatalogTxn* txn, SchemaInfo next) {
  auto view = txn->Snapshot();
  const SchemaInfo* found = view->FindSchema(next.database_oid, next.name);
  if (found == nullptr || found->oid != next.oid) {
    Throw(SqlState::kInvalidSchemaName, "schema \"{}\" does not exist", next.name);
  }
  WriteSchema(txn, next);
  txn->Record({CatalogTxn::Change::Kind::kPutSchema, std::move(next)});
}

void Catalog::RenameSchema(CatalogTxn* txn, Oid db, const std::string& name,
                           const std::string& new_name) {
  auto view = txn->Snapshot();
  const SchemaInfo* found = view->FindSchema(db, name);
  if (found == nullptr) Throw(SqlState::kInvalidSchemaName, "schema \"{}\" does not exist", name);
  if (view->FindSchema(db, new_name) != nullptr) {
    Throw(SqlState::kDuplicateSchema, "schema \"{}\" already exists", new_name);
  }
  const SchemaInfo old = *found;
  SchemaInfo next = old;
  next.name = new_name;
  // The rows are keyed by oid; the name rows move. The changes are recorded as a delete of the
  // old entry and a put of the new one (as a relation's rename), so that a rollback to a
  // savepoint puts the old names back.
  EraseSchema(txn, old);
  WriteSchema(txn, next);
  txn->Record({CatalogTxn::Change::Kind::kDeleteSchema, old});
  txn->Record({CatalogTxn::Change::Kind::kPutSchema, next});
  for (const auto& [key, t] : view->tables) {
    if (std::get<0>(key) != db || std::get<1>(key) != name) continue;
    TableInfo moved = *t;
    moved.schema = new_name;
    auto now = std::make_shared<const TableInfo>(std::move(moved));
    EraseTable(txn, *t);
    WriteTable(txn, nullptr, *now);
    txn->Record({CatalogTxn::Change::Kind::kDeleteTable, t});
    txn->Record({CatalogTxn::Change::Kind::kPutTable, now});
  }
  for (const auto& [key, t] : view->types) {
    if (std::get<0>(key) != db || std::get<1>(key) != name) continue;
    TypeDefInfo moved = *t;
    moved.schema = new_name;
    auto now = std::make_shared<const TypeDefInfo>(std::move(moved));
    EraseType(txn, *t);
    WriteType(txn, nullptr, *now);
    txn->Record({CatalogTxn::Change::Kind::kDeleteType, t});
    txn->Record({CatalogTxn::Change::Kind::kPutType, now});
  }
  for (const auto& [key, f] : view->functions) {
    if (std::get<0>(key) != db || std::get<1>(key) != name) continue;
    FunctionInfo moved = *f;
    moved.schema = new_name;
    auto now = std::make_shared<const FunctionInfo>(std::move(moved));
    WriteFunction(txn, f.get(), *now);
    txn->Record({CatalogTxn::Change::Kind::kPutFunction, now});
  }
}

RoleInfo Catalog::CreateRole(CatalogTxn* txn, RoleInfo info) {
  if (txn->Snapshot()->FindRole(info.name) != nullptr) {
    Throw(SqlState::kDuplicateObject, "role \"{}\" already exists", info.name);
  }
  info.oid = NextOid();
  WriteRole(txn, nullptr, info);
  txn->Record({CatalogTxn::Change::Kind::kPutRole, info});
  return info;
}

void Catalog::UpdateRole(CatalogTxn* txn, RoleInfo next) {
  auto view = txn->Snapshot();
  const RoleInfo* old = view->FindRoleByOid(next.oid);
  if (old == nullptr) Throw(SqlState::kUndefinedObject, "role \"{}\" does not exist", next.name);
  if (old->name != next.name && view->FindRole(next.name) != nullptr) {
    Throw(SqlState::kDuplicateObject, "role \"{}\" already exists", next.name);
  }
  WriteRole(txn, old, next);
  txn->Record({CatalogTxn::Change::Kind::kPutRole, std::move(next)});
}

void Catalog::DropRole(CatalogTxn* txn, Oid role) {
  const RoleInfo* old = txn->Snapshot()->FindRoleByOid(role);
  if (old == nullptr) Throw(SqlState::kUndefinedObject, "role with OID {} does not exist", role);
  RoleInfo r = *old;
  EraseRole(txn, r);
  txn->Record({CatalogTxn::Change::Kind::kDeleteRole, std::move(r)});
}

void Catalog::DropDatabase(CatalogTxn* txn, const std::string& name) {
  auto view = txn->Snapshot();
  const DatabaseInfo* found = view->FindDatabase(name);
  if (found == nullptr) {
    Throw(SqlState::kInvalidCatalogName, "database \"{}\" does not exist", name);
  }
  const DatabaseInfo db = *found;
  std::vector<std::string> storage;
  for (const auto& [key, t] : view->tables) {
    if (std::get<0>(key) != db.oid) continue;
    for (std::string& n : StorageTablesOf(*t)) storage.push_back(std::move(n));
    EraseTable(txn, *t);
    txn->Record({CatalogTxn::Change::Kind::kDeleteTable, t});
  }
  for (const auto& [key, t] : view->types) {
    if (std::get<0>(key) != db.oid) continue;
    EraseType(txn, *t);
    txn->Record({CatalogTxn::Change::Kind::kDeleteType, t});
  }
  for (const auto& [key, f] : view->functions) {
    if (std::get<0>(key) != db.oid) continue;
    EraseFunction(txn, *f);
    txn->Record({CatalogTxn::Change::Kind::kDeleteFunction, f});
  }
  for (const auto& [key, s] : view->schemas) {
    if (key.first != db.oid) continue;
    EraseSchema(txn, s);
    txn->Record({CatalogTxn::Change::Kind::kDeleteSchema, s});
  }
  EraseDatabase(txn, db);
  txn->Record({CatalogTxn::Change::Kind::kDeleteDatabase, db});
  txn->Record({CatalogTxn::Change::Kind::kDropStorageLater, std::move(storage)});
}

SchemaInfo Catalog::CreateSchema(CatalogTxn* txn, Oid db, const std::string& name) {
  auto view = txn->Snapshot();
  if (view->FindSchema(db, name) != nullptr) {
    Throw(SqlState::kDuplicateSchema, "schema \"{}\" already exists", name);
  }
  SchemaInfo s{NextOid(), db, name};
  s.owner = txn->creator();
  WriteSchema(txn, s);
  txn->Record({CatalogTxn::Change::Kind::kPutSchema, s});
  return s;
}

void Catalog::DropSchema(CatalogTxn* txn, Oid db, const std::string& name, bool cascade) {
  auto view = txn->Snapshot();
  const SchemaInfo* found = view->FindSchema(db, name);
  if (found == nullptr) {
    Throw(SqlState::kInvalidSchemaName, "schema \"{}\" does not exist", name);
  }
  if (name == "pg_catalog") {
    Throw(SqlState::kUndefinedObjectDependent,
          "cannot drop schema {} because it is required by the database system", name);
  }
  const SchemaInfo schema = *found;
  std::vector<std::shared_ptr<const TableInfo>> dependents;
  for (const auto& [key, t] : view->tables) {
    if (std::get<0>(key) == db && std::get<1>(key) == name) dependents.push_back(t);
  }
  std::sort(dependents.begin(), dependents.end(),
            [](const auto& a, const auto& b) { return a->oid < b->oid; });
  std::vector<std::shared_ptr<const TypeDefInfo>> types;
  for (const auto& [key, t] : view->types) {
    if (std::get<0>(key) == db && std::get<1>(key) == name) types.push_back(t);
  }
  std::vector<std::shared_ptr<const FunctionInfo>> functions;
  for (const auto& [key, f] : view->functions) {
    if (std::get<0>(key) == db && std::get<1>(key) == name) functions.push_back(f);
  }
  if ((!dependents.empty() || !types.empty() || !functions.empty()) && !cascade) {
    std::string detail;
    for (const auto& t : types) {
      if (!detail.empty()) detail += "\n";
      detail += fmt::format("type {} depends on schema {}", Qualified(t->schema, t->name), name);
    }
    for (const auto& f : functions) {
      if (!detail.empty()) detail += "\n";
      std::string args;
      for (const Type& t : f->InputTypes()) args += (args.empty() ? "" : ", ") + TypeName(t);
      detail +=
          fmt::format("{} {}({}) depends on schema {}", f->kind == 'p' ? "procedure" : "function",
                      Qualified(f->schema, f->name), args, name);
    }
    for (const auto& t : dependents) {
      if (!detail.empty()) detail += "\n";
      detail += fmt::format("{} {} depends on schema {}",
                            t->is_view ? "view" : (t->is_sequence() ? "sequence" : "table"),
                            Qualified(t->schema, t->name), name);
    }
    throw std::move(
        Error(SqlState::kUndefinedObjectDependent,
              fmt::format("cannot drop schema {} because other objects depend on it", name))
            .Detail(detail)
            .Hint("Use DROP ... CASCADE to drop the dependent objects too."));
  }
  std::vector<std::string> storage;
  for (const auto& t : dependents) {
    for (std::string& n : StorageTablesOf(*t)) storage.push_back(std::move(n));
    EraseTable(txn, *t);
    txn->Record({CatalogTxn::Change::Kind::kDeleteTable, t});
  }
  for (const auto& t : types) {
    EraseType(txn, *t);
    txn->Record({CatalogTxn::Change::Kind::kDeleteType, t});
  }
  for (const auto& f : functions) {
    EraseFunction(txn, *f);
    txn->Record({CatalogTxn::Change::Kind::kDeleteFunction, f});
  }
  EraseSchema(txn, schema);
  txn->Record({CatalogTxn::Change::Kind::kDeleteSchema, schema});
  txn->Record({CatalogTxn::Change::Kind::kDropStorageLater, std::move(storage)});
}

std::shared_ptr<const TableInfo> Catalog::CreateTable(CatalogTxn* txn, TableInfo info) {
  CheckIndexWidths(info);
  auto view = txn->Snapshot();
  const CatalogSnapshot& cur = *view;
  bool db_found = false;
  for (const auto& [n, d] : cur.databases) db_found = db_found || d.oid == info.database_oid;
  if (!db_found) {
    Throw(SqlState::kInvalidCatalogName, "database with OID {} does not exist", info.database_oid);
  }
  if (cur.FindSchema(info.database_oid, info.schema) == nullptr) {
    Throw(SqlState::kInvalidSchemaName, "schema \"{}\" does not exist", info.schema);
  }
  if (RelationExists(cur, info.database_oid, info.schema, info.name)) {
    ThrowRelationExists(info.name);
  }
  std::set<std::string> names;
  for (const ColumnInfo& c : info.columns) {
    if (!names.insert(c.name).second) {
      Throw(SqlState::kDuplicateColumn, "column \"{}\" specified more than once", c.name);
    }
  }
  for (int col : info.primary_key) {
    if (col < 0 || col >= static_cast<int>(info.columns.size())) {
      Throw(SqlState::kInternalError, "primary key column {} out of range", col);
    }
  }
  // Index names share the relation namespace of the schema.
  std::set<std::string> index_names{info.name};
  auto claim = [&](const std::string& n) {
    if (!index_names.insert(n).second || RelationExists(cur, info.database_oid, info.schema, n)) {
      ThrowRelationExists(n);
    }
  };
  if (!info.is_view && !info.primary_key.empty()) claim(info.PrimaryKeyName());
  for (const IndexInfo& i : info.indexes) {
    if (i.primary) continue;
    claim(i.name);
    for (int col : i.columns) {
      if (col < 0 || col >= static_cast<int>(info.columns.size())) {
        Throw(SqlState::kInternalError, "index column {} out of range", col);
      }
    }
  }
  info.oid = NextOid();
  info.owner = txn->creator();
  info.acl.reset();
  for (ForeignKeyInfo& f : info.foreign_keys) {
    if (f.ref_table == 0) f.ref_table = info.oid;  // self-referencing
  }
  info.shard_count = info.is_view || info.is_sequence() ? 0 : default_shard_count_;
  info.storage_gen = 0;
  for (IndexInfo& i : info.indexes) {
    i.oid = NextOid();
    i.storage_gen = 0;
  }
  AssignObjectOids(&info);
  auto table = std::make_shared<const TableInfo>(std::move(info));
  std::vector<std::string> storage = StorageTablesOf(*table);
  CreateStorage(engine_, storage);
  txn->Record({CatalogTxn::Change::Kind::kCreatedStorage, storage});
  WriteTable(txn, nullptr, *table);
  txn->Record({CatalogTxn::Change::Kind::kPutTable, table});
  return table;
}

std::shared_ptr<const TableInfo> Catalog::UpdateRelation(CatalogTxn* txn, TableInfo next,
                                                         bool new_sequence_generation) {
  CheckIndexWidths(next);
  auto snap = txn->Snapshot();
  auto old = snap->FindTable(next.database_oid, next.schema, next.name);
  bool renamed = false;
  if (old != nullptr && old->oid != next.oid && snap->FindRelationByOid(next.oid) != nullptr) {
    ThrowRelationExists(next.name);  // a rename to a taken name
  }
  if (old == nullptr) {
    // RENAME TO: the relation by its oid, under its old name in the same schema.
    old = snap->FindRelationByOid(next.oid);
    renamed =
        old != nullptr && old->database_oid == next.database_oid && old->schema == next.schema;
    if (!renamed) old = nullptr;
  }
  if (old == nullptr || old->oid != next.oid) {
    Throw(SqlState::kUndefinedTable, "relation \"{}\" does not exist", next.name);
  }
  if (old->is_view != next.is_view || old->is_sequence() != next.is_sequence() ||
      old->storage_gen != next.storage_gen || old->shard_count != next.shard_count) {
    Throw(SqlState::kInternalError, "UpdateRelation cannot change the kind or storage of \"{}\"",
          next.name);
  }
  if (new_sequence_generation) {
    if (!next.is_sequence()) {
      Throw(SqlState::kInternalError, "\"{}\" is not a sequence", next.name);
    }
    next.storage_gen = NextOid();
  }
  AssignObjectOids(&next);
  auto updated = std::make_shared<const TableInfo>(std::move(next));
  WriteTable(txn, old.get(), *updated);
  // A renamed relation leaves its old name: as a delete of the old entry (which a rollback to a
  // savepoint puts back) before the put of the new one.
  if (renamed) txn->Record({CatalogTxn::Change::Kind::kDeleteTable, old});
  txn->Record({CatalogTxn::Change::Kind::kPutTable, updated});
  return updated;
}

std::shared_ptr<const TypeDefInfo> Catalog::CreateType(CatalogTxn* txn, TypeDefInfo info) {
  auto snap = txn->Snapshot();
  if (snap->FindSchema(info.database_oid, info.schema) == nullptr) {
    Throw(SqlState::kInvalidSchemaName, "schema \"{}\" does not exist", info.schema);
  }
  if (snap->FindType(info.database_oid, info.schema, info.name) != nullptr) {
    Throw(SqlState::kDuplicateObject, "type \"{}\" already exists", info.name);
  }
  info.oid = NextOid();
  info.array_oid = NextOid();
  info.owner = txn->creator();
  if (info.is_composite()) info.relation_oid = NextOid();
  for (EnumLabel& l : info.labels) l.oid = NextOid();
  for (CheckConstraintInfo& c : info.checks) c.oid = NextOid();  // a domain's (pg_constraint)
  auto type = std::make_shared<const TypeDefInfo>(std::move(info));
  WriteType(txn, nullptr, *type);
  txn->Record({CatalogTxn::Change::Kind::kPutType, type});
  return type;
}

std::shared_ptr<const TypeDefInfo> Catalog::UpdateType(CatalogTxn* txn, TypeDefInfo next) {
  auto snap = txn->Snapshot();
  auto old = snap->FindTypeByOid(next.oid);
  if (old == nullptr) Throw(SqlState::kUndefinedObject, "type \"{}\" does not exist", next.name);
  if (old->name != next.name && snap->FindType(next.database_oid, next.schema, next.name)) {
    Throw(SqlState::kDuplicateObject, "type \"{}\" already exists", next.name);
  }
  for (EnumLabel& l : next.labels) {
    if (l.oid == 0) l.oid = NextOid();  // ALTER TYPE ... ADD VALUE
  }
  for (CheckConstraintInfo& c : next.checks) {
    if (c.oid == 0) c.oid = NextOid();  // ALTER DOMAIN ... ADD CONSTRAINT
  }
  for (UserCastInfo& c : next.casts) {
    if (c.oid == 0) c.oid = NextOid();  // CREATE CAST
  }
  auto updated = std::make_shared<const TypeDefInfo>(std::move(next));
  WriteType(txn, old.get(), *updated);
  txn->Record({CatalogTxn::Change::Kind::kPutType, updated});
  return updated;
}

void Catalog::DropType(CatalogTxn* txn, const TypeDefInfo& type) {
  auto t = txn->Snapshot()->FindTypeByOid(type.oid);
  if (t == nullptr) Throw(SqlState::kUndefinedObject, "type \"{}\" does not exist", type.name);
  EraseType(txn, *t);
  txn->Record({CatalogTxn::Change::Kind::kDeleteType, t});
}

std::shared_ptr<const FunctionInfo> Catalog::CreateFunction(CatalogTxn* txn, FunctionInfo info) {
  auto snap = txn->Snapshot();
  if (snap->FindSchema(info.database_oid, info.schema) == nullptr) {
    Throw(SqlState::kInvalidSchemaName, "schema \"{}\" does not exist", info.schema);
  }
  const std::vector<Type> in = info.InputTypes();
  for (const auto& o : snap->FindFunctions(info.database_oid, info.schema, info.name)) {
    if (o->InputTypes() == in) {
      Throw(SqlState::kDuplicateFunction, "function \"{}\" already exists with same argument types",
            info.name);
    }
  }
  info.oid = NextOid();
  info.owner = txn->creator();
  auto fn = std::make_shared<const FunctionInfo>(std::move(info));
  WriteFunction(txn, nullptr, *fn);
  txn->Record({CatalogTxn::Change::Kind::kPutFunction, fn});
  return fn;
}

std::shared_ptr<const FunctionInfo> Catalog::UpdateFunction(CatalogTxn* txn, FunctionInfo next) {
  auto snap = txn->Snapshot();
  auto old = snap->FindFunctionByOid(next.oid);
  if (old == nullptr) {
    Throw(SqlState::kUndefinedFunction, "function {} does not exist", next.name);
  }
  if (snap->FindSchema(next.database_oid, next.schema) == nullptr) {
    Throw(SqlState::kInvalidSchemaName, "schema \"{}\" does not exist", next.schema);
  }
  const std::vector<Type> in = next.InputTypes();
  for (const auto& o : snap->FindFunctions(next.database_oid, next.schema, next.name)) {
    if (o->oid != next.oid && o->InputTypes() == in) {
      Throw(SqlState::kDuplicateFunction, "function {} already exists in schema \"{}\"", next.name,
            next.schema);
    }
  }
  auto updated = std::make_shared<const FunctionInfo>(std::move(next));
  WriteFunction(txn, old.get(), *updated);
  txn->Record({CatalogTxn::Change::Kind::kPutFunction, updated});
  return updated;
}

void Catalog::DropFunction(CatalogTxn* txn, const FunctionInfo& fn) {
  auto f = txn->Snapshot()->FindFunctionByOid(fn.oid);
  if (f == nullptr) Throw(SqlState::kUndefinedFunction, "function {} does not exist", fn.name);
  EraseFunction(txn, *f);
  txn->Record({CatalogTxn::Change::Kind::kDeleteFunction, f});
}

void Catalog::DropTable(CatalogTxn* txn, Oid db, const std::string& schema,
                        const std::string& name) {
  auto table = txn->Snapshot()->FindTable(db, schema, name);
  if (table == nullptr) Throw(SqlState::kUndefinedTable, "table \"{}\" does not exist", name);
  EraseTable(txn, *table);
  txn->Record({CatalogTxn::Change::Kind::kDeleteTable, table});
  txn->Record({CatalogTxn::Change::Kind::kDropStorageLater, StorageTablesOf(*table)});
}

std::shared_ptr<const TableInfo> Catalog::AddIndex(CatalogTxn* txn, Oid db,
                                                   const std::string& schema,
                                                   const std::string& table, IndexInfo index) {
  CheckIndexWidth(index.columns.size() + index.include.size());
  auto view = txn->Snapshot();
  const CatalogSnapshot& cur = *view;
  auto owner = cur.FindTable(db, schema, table);
  if (owner == nullptr) Throw(SqlState::kUndefinedTable, "relation \"{}\" does not exist", table);
  if (owner->is_view) {
    Throw(SqlState::kWrongObjectType, "cannot create index on relation \"{}\"", table);
  }
  if (index.columns.empty()) Throw(SqlState::kInternalError, "index without columns");
  for (int col : index.columns) {
    if (col == IndexInfo::kExpressionColumn) continue;
    if (col < 0 || col >= static_cast<int>(owner->columns.size())) {
      Throw(SqlState::kInternalError, "index column {} out of range", col);
    }
  }
  if (index.name.empty()) {
    std::string base = table;
    for (int col : index.columns) {
      base += "_" + (col == IndexInfo::kExpressionColumn ? std::string("expr")
                                                         : owner->columns[col].name);
    }
    base += "_idx";
    index.name = base;
    for (int n = 1; RelationExists(cur, db, schema, index.name); ++n) {
      index.name = base + std::to_string(n);
    }
  } else if (RelationExists(cur, db, schema, index.name)) {
    ThrowRelationExists(index.name);
  }
  index.primary = false;
  index.oid = NextOid();
  index.storage_gen = 0;
  std::vector<std::string> storage;
  for (uint32_t s = 0; s < owner->shard_count; ++s) storage.push_back(index.ShardTable(s));
  CreateStorage(engine_, storage);
  txn->Record({CatalogTxn::Change::Kind::kCreatedStorage, storage});
  auto updated = std::make_shared<TableInfo>(*owner);
  updated->indexes.push_back(std::move(index));
  AttachIndexEvaluators(updated.get());
  AssignObjectOids(updated.get());
  WriteTable(txn, owner.get(), *updated);
  txn->Record({CatalogTxn::Change::Kind::kPutTable, updated});
  return updated;
}

void Catalog::DropIndex(CatalogTxn* txn, Oid db, const std::string& schema,
                        const std::string& index_name) {
  auto owner = txn->Snapshot()->FindIndexOwner(db, schema, index_name);
  if (owner == nullptr) {
    Throw(SqlState::kUndefinedObject, "index \"{}\" does not exist", index_name);
  }
  auto it = std::find_if(owner->indexes.begin(), owner->indexes.end(),
                         [&](const IndexInfo& i) { return i.name == index_name; });
  if (it == owner->indexes.end() || it->primary || it->is_constraint) {
    throw std::move(
        Error(
            SqlState::kUndefinedObjectDependent,
            fmt::format("cannot drop index {} because constraint {} on table {} requires it",
                        Qualified(schema, index_name), index_name, Qualified(schema, owner->name)))
            .Hint(fmt::format("You can drop constraint {} on table {} instead.", index_name,
                              Qualified(schema, owner->name))));
  }
  std::vector<std::string> storage;
  for (uint32_t s = 0; s < owner->shard_count; ++s) storage.push_back(it->ShardTable(s));
  auto updated = std::make_shared<TableInfo>(*owner);
  std::erase_if(updated->indexes, [&](const IndexInfo& i) { return i.name == index_name; });
  WriteTable(txn, owner.get(), *updated);
  txn->Record({CatalogTxn::Change::Kind::kPutTable, updated});
  txn->Record({CatalogTxn::Change::Kind::kDropStorageLater, std::move(storage)});
}

void Catalog::TruncateTable(CatalogTxn* txn, Oid db, const std::string& schema,
                            const std::string& name) {
  auto table = txn->Snapshot()->FindTable(db, schema, name);
  if (table == nullptr) Throw(SqlState::kUndefinedTable, "relation \"{}\" does not exist", name);
  if (table->is_view) Throw(SqlState::kWrongObjectType, "\"{}\" is not a table", name);
  RewriteTable(txn, db, schema, name, *table);
}

std::shared_ptr<const TableInfo> Catalog::RewriteTable(CatalogTxn* txn, Oid db,
                                                       const std::string& schema,
                                                       const std::string& name, TableInfo next) {
  CheckIndexWidths(next);
  auto view = txn->Snapshot();
  auto old = view->FindTable(db, schema, name);
  if (old == nullptr) Throw(SqlState::kUndefinedTable, "relation \"{}\" does not exist", name);
  if (old->is_view) Throw(SqlState::kWrongObjectType, "\"{}\" is not a table", name);
  next.oid = old->oid;
  next.database_oid = old->database_oid;
  next.schema = old->schema;
  next.name = old->name;
  next.shard_count = old->shard_count;
  next.is_view = false;
  std::vector<std::string> old_names = RelationNames(*old);
  std::set<std::string> seen;
  for (const std::string& n : RelationNames(next)) {
    if (!seen.insert(n).second) ThrowRelationExists(n);
    if (std::find(old_names.begin(), old_names.end(), n) == old_names.end() &&
        RelationExists(*view, db, schema, n)) {
      ThrowRelationExists(n);
    }
  }
  // A fresh oid as the generation: storage names are never shared with another transaction.
  next.storage_gen = NextOid();
  for (IndexInfo& i : next.indexes) {
    if (i.oid == 0) i.oid = NextOid();
    i.storage_gen = next.storage_gen;
  }
  AssignObjectOids(&next);
  auto table = std::make_shared<const TableInfo>(std::move(next));
  std::vector<std::string> storage = StorageTablesOf(*table);
  CreateStorage(engine_, storage);
  txn->Record({CatalogTxn::Change::Kind::kCreatedStorage, storage});
  WriteTable(txn, old.get(), *table);
  txn->Record({CatalogTxn::Change::Kind::kPutTable, table});
  txn->Record({CatalogTxn::Change::Kind::kDropStorageLater, StorageTablesOf(*old)});
  return table;
}

// --- Autocommit forms ---

DatabaseInfo Catalog::CreateDatabase(const std::string& name) {
  return Autocommit([&](CatalogTxn* t) { return CreateDatabase(t, name); });
}
void Catalog::DropDatabase(const std::string& name) {
  Autocommit([&](CatalogTxn* t) { DropDatabase(t, name); });
}
SchemaInfo Catalog::CreateSchema(Oid db, const std::string& name) {
  return Autocommit([&](CatalogTxn* t) { return CreateSchema(t, db, name); });
}
void Catalog::DropSchema(Oid db, const std::string& name, bool cascade) {
  Autocommit([&](CatalogTxn* t) { DropSchema(t, db, name, cascade); });
}
std::shared_ptr<const TableInfo> Catalog::CreateTable(TableInfo info) {
  return Autocommit([&](CatalogTxn* t) { return CreateTable(t, std::move(info)); });
}
void Catalog::DropTable(Oid db, const std::string& schema, const std::string& name) {
  Autocommit([&](CatalogTxn* t) { DropTable(t, db, schema, name); });
}
std::shared_ptr<const TableInfo> Catalog::AddIndex(Oid db, const std::string& schema,
                                                   const std::string& table, IndexInfo index) {
  return Autocommit(
      [&](CatalogTxn* t) { return AddIndex(t, db, schema, table, std::move(index)); });
}
void Catalog::DropIndex(Oid db, const std::string& schema, const std::string& index_name) {
  Autocommit([&](CatalogTxn* t) { DropIndex(t, db, schema, index_name); });
}
void Catalog::TruncateTable(Oid db, const std::string& schema, const std::string& name) {
  Autocommit([&](CatalogTxn* t) { TruncateTable(t, db, schema, name); });
}

uint64_t Catalog::NextRowId(Oid table_oid) {
  std::lock_guard lock(rowid_mu_);
  auto& [next, limit] = rowid_blocks_[table_oid];
  if (next >= limit) {
    auto txn = engine_->BeginBookkeeping();
    uint64_t start = limit;
    if (auto stored = txn->Get(kCatalogTable, RowIdKey(table_oid))) {
      start = std::max<uint64_t>(start, std::stoull(*stored));
    }
    if (start == 0) start = 1;
    txn->Put(kCatalogTable, RowIdKey(table_oid), std::to_string(start + kRowIdBlock));
    txn->Commit();
    next = start;
    limit = start + kRowIdBlock;
  }
  return next++;
}

}  // namespace activestore::storage
