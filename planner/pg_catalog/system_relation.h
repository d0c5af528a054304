// The relations of pg_catalog: each one's name, oid, PostgreSQL 15 columns and either a row
// producer that reads ActiveStore's catalog as the current transaction sees it, or (for what
// PostgreSQL defines as a view: pg_tables, pg_roles, ...) the view's SQL text over the base
// relations, bound like a user view. One relation is one SystemRelation in one place; the
// registry (registry.cpp) lists them. See docs/design/2026-12-05-system-catalog.md.
//
// Thread safety: the registry is built once and immutable; producers are pure functions of
// their CatalogReadContext.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/types.h"
#include "common/value.h"
#include "storage/catalog.h"

namespace activestore::planner::pg_catalog {

using Oid = storage::Oid;

// Fixed oids PostgreSQL 15 gives the bootstrap objects.
inline constexpr Oid kBootstrapSuperuserOid = 10;   // the role initdb creates ("postgres")
inline constexpr Oid kDatabaseOwnerRoleOid = 6171;  // pg_database_owner: owns schema public
inline constexpr Oid kPgCatalogNamespaceOid = 11;
inline constexpr Oid kPublicNamespaceOid = 2200;
inline constexpr Oid kHeapAmOid = 2;
inline constexpr Oid kBtreeAmOid = 403;
inline constexpr Oid kDefaultTablespaceOid = 1663;  // pg_default
inline constexpr Oid kGlobalTablespaceOid = 1664;   // pg_global
inline constexpr Oid kDefaultCollationOid = 100;    // "default"
inline constexpr Oid kCCollationOid = 950;          // "C"
inline constexpr Oid kPlpgsqlExtensionOid = 13559;  // pg_extension "plpgsql"
// pg_language's rows; plpgsql's is the one initdb's CREATE EXTENSION plpgsql makes.
inline constexpr Oid kInternalLanguageOid = 12;
inline constexpr Oid kCLanguageOid = 13;
inline constexpr Oid kSqlLanguageOid = 14;
inline constexpr Oid kPlpgsqlLanguageOid = 13563;
// PostgreSQL's FirstNormalObjectId: built-in objects have smaller oids, users' this and up.
inline constexpr Oid kFirstNormalObjectId = 16384;
inline constexpr int32_t kUtf8Encoding = 6;

// A background job's run statistics (executor::JobScheduler) for timescaledb_information.jobs
// and job_stats: timestamps in timestamptz microseconds, 0 for never.
struct JobRunStats {
  int32_t job_id = 0;
  int64_t last_run_started_us = 0;
  int64_t last_run_finished_us = 0;
  int64_t last_successful_finish_us = 0;
  std::string last_run_status;  // "Success", "Failed", or "" before the first run
  std::string job_status;       // "Scheduled" or "Running"
  int64_t last_run_duration_us = 0;
  int64_t next_start_us = 0;
  int64_t total_runs = 0;
  int64_t total_successes = 0;
  int64_t total_failures = 0;
  std::string last_error;
};

// What a row producer reads. The snapshot is the transaction's own view (its uncommitted DDL
// included), so a catalog row changes in the same transaction as the DDL that causes it.
struct CatalogReadContext {
  const storage::CatalogSnapshot* catalog = nullptr;
  Oid database_oid = 0;
  std::string user;
  // A setting's current value (SHOW's text), nullopt for an unknown name.
  std::function<std::optional<std::string>(const std::string& name)> get_setting;
  // The statistics of a background job (nullopt: not scheduled yet); null without a scheduler.
  std::function<std::optional<JobRunStats>(int32_t job_id)> job_stats;
  // Set when the scan outputs only some columns (plan.h system_columns): per column of the
  // relation, its position in each row made, or -1 for a column no row holds. A producer's
  // rows then hold only those columns (RowBuilder builds them so).
  const std::vector<int>* slots = nullptr;
  // Set when the scan's rows must pass a test on one name column (plan.h name_like:
  // `relname LIKE 't_500'`): a producer may skip an object whose name in column
  // name_filter_column fails name_filter, before building its row (NameAdmits).
  int name_filter_column = -1;
  std::function<bool(std::string_view name)> name_filter;
};

// An equality the scan may use to skip rows: `column` (an index into the relation's columns)
// equals `value`. Producers that know how use it to visit only the matching objects; the plan
// still filters every row (a producer may ignore it).
struct ScanKey {
  int column = -1;
  Value value;
};

struct SystemColumn {
  const char* name;
  Type type;
};

using RowProducer = std::function<void(const CatalogReadContext& ctx, const ScanKey* key,
                                       std::vector<std::vector<Value>>* out)>;

struct SystemRelation {
  std::string name;
  Oid oid = 0;           // pg_class.oid in PostgreSQL 15
  Oid row_type_oid = 0;  // pg_class.reltype in PostgreSQL 15
  std::vector<SystemColumn> columns;
  RowProducer rows;      // a base relation (relkind 'r')
  std::string view_sql;  // a view (relkind 'v'): bound as its SELECT
  // Columns a producer can use as a ScanKey (each needs the key's type to be the column's).
  std::vector<int> key_columns;
  // Whether the rows are a function of the catalog snapshot and the database alone (not of the
  // reader, settings or run-time state), so that the rows of an unkeyed scan can be shared by
  // the statements that read the same snapshot (CachedRows).
  bool cacheable = false;
  bool is_view() const { return !view_sql.empty(); }
  int ColumnIndex(std::string_view col) const;
};

using CatalogRows = std::vector<std::vector<Value>>;

// The rows of an unkeyed scan of `rel` (ctx.slots the columns it reads) as rel.rows makes them,
// made once per catalog snapshot, database and set of columns, and shared by the scans that
// read them while they stay among the recently used (row_cache.cpp: psql's and the drivers'
// catalog queries read pg_type and pg_class whole, again and again, between two DDL
// statements). Null when `rel` is not cacheable, ctx.catalog is not `snapshot` or the scan has a
// name filter.
std::shared_ptr<const CatalogRows> CachedRows(
    const SystemRelation& rel, const std::shared_ptr<const storage::CatalogSnapshot>& snapshot,
    const CatalogReadContext& ctx);

// The pg_catalog relation `name`, or null.
const SystemRelation* FindSystemRelation(std::string_view name);
// A pg_catalog relation by its oid, or null.
const SystemRelation* FindSystemRelationByOid(Oid oid);
const std::vector<std::unique_ptr<SystemRelation>>& AllSystemRelations();
// The views of information_schema (information_schema.cpp), not listed by AllSystemRelations.
const SystemRelation* FindInformationSchemaRelation(std::string_view name);
const std::vector<std::unique_ptr<SystemRelation>>& InformationSchemaRelations();
// TimescaleDB's timescaledb_information views over hypertables, chunks and jobs
// (timescaledb_information.cpp), not listed by AllSystemRelations.
const SystemRelation* FindTimescaleInformationRelation(std::string_view name);

// Each family of relations adds its own (one file each).
void AddNamespaceRelations(std::vector<std::unique_ptr<SystemRelation>>* out);
void AddTypeRelations(std::vector<std::unique_ptr<SystemRelation>>* out);
void AddSharedRelations(std::vector<std::unique_ptr<SystemRelation>>* out);
void AddAbsentFeatureRelations(std::vector<std::unique_ptr<SystemRelation>>* out);
void AddSystemViews(std::vector<std::unique_ptr<SystemRelation>>* out);
void AddStatViews(std::vector<std::unique_ptr<SystemRelation>>* out);          // stat_views.cpp
void AddFunctionRelations(std::vector<std::unique_ptr<SystemRelation>>* out);  // functions.cpp
void AddBuiltinRelations(std::vector<std::unique_ptr<SystemRelation>>* out);   // builtin.cpp
void AddDescriptionRelations(
    std::vector<std::unique_ptr<SystemRelation>>* out);  // descriptions.cpp

// The comment on an object (descriptions.cpp): pg_description's description of (objoid,
// classoid, objsubid) in database `db` (objsubid: a column's attnum, or 0), nullopt if none.
// What obj_description and col_description return.
std::optional<std::string> ObjectDescription(const storage::CatalogSnapshot& cat, Oid db,
                                             Oid objoid, Oid classoid, int32_t objsubid);
// obj_description(oid) without a catalog: the first comment on an object with that oid.
std::optional<std::string> AnyObjectDescription(const storage::CatalogSnapshot& cat, Oid db,
                                                Oid objoid);
// pg_shdescription's description of a database or role (shobj_description), nullopt if none.
std::optional<std::string> SharedObjectDescription(const storage::CatalogSnapshot& cat, Oid objoid,
                                                   Oid classoid);

// Helpers shared by the producers.
// Whether a row whose column `col` (of type name) is `name` can pass the scan's key and name
// filter (a producer skips the object otherwise).
bool NameAdmits(const CatalogReadContext& ctx, const ScanKey* key, int col, std::string_view name);
Value OidValue(Oid oid);
Value NameValue(std::string s);
Value CharValue(char c);
Value Int2Value(int v);
Value NullOf(Type t);

// The schema oid of a user relation (by database and schema name), 0 if unknown.
Oid SchemaOid(const storage::CatalogSnapshot& cat, Oid db, const std::string& schema);
// The pg_type oid of a column type (the domain's when declared with one).
Oid TypeOidOf(const Type& t);

}  // namespace activestore::planner::pg_catalog
