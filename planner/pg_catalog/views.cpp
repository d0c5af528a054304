// The pg_catalog relations PostgreSQL defines as views, by their SQL text over the base
// relations (PostgreSQL 15's system_views.sql, less what ActiveStore lacks). The binder parses
// and binds the text like a user view; `columns` lists what it yields, for pg_attribute.
#include "common/reg_types.h"
#include "planner/pg_catalog/row_builder.h"
#include "planner/pg_catalog/system_relation.h"

namespace activestore::planner::pg_catalog {
namespace {

using enum TypeId;

void AddView(std::vector<std::unique_ptr<SystemRelation>>* out, std::unique_ptr<SystemRelation> r,
             const char* sql) {
  r->view_sql = sql;
  out->push_back(std::move(r));
}

}  // namespace

void AddTimeZoneViews(std::vector<std::unique_ptr<SystemRelation>>* out);        // timezones.cpp
void AddStatisticsRelations(std::vector<std::unique_ptr<SystemRelation>>* out);  // statistics.cpp

void AddSystemViews(std::vector<std::unique_ptr<SystemRelation>>* out) {
  AddTimeZoneViews(out);
  AddStatisticsRelations(out);
  AddView(out,
          MakeRelation("pg_roles", 12000, 12002,
                       {{"rolname", T(kName)},
                        {"rolsuper", T(kBool)},
                        {"rolinherit", T(kBool)},
                        {"rolcreaterole", T(kBool)},
                        {"rolcreatedb", T(kBool)},
                        {"rolcanlogin", T(kBool)},
                        {"rolreplication", T(kBool)},
                        {"rolconnlimit", T(kInt32)},
                        {"rolpassword", T(kText)},
                        {"rolvaliduntil", T(kTimestampTz)},
                        {"rolbypassrls", T(kBool)},
                        {"rolconfig", T(kTextArrayType)},
                        {"oid", T(kOid)}}),
          R"(
SELECT a.rolname, a.rolsuper, a.rolinherit, a.rolcreaterole, a.rolcreatedb, a.rolcanlogin,
       a.rolreplication, a.rolconnlimit, '********'::text AS rolpassword, a.rolvaliduntil,
       a.rolbypassrls, (SELECT s.setconfig FROM pg_catalog.pg_db_role_setting s
        WHERE s.setrole = a.oid AND s.setdatabase = 0) AS rolconfig, a.oid
FROM pg_catalog.pg_authid a)");
  AddView(out,
          MakeRelation("pg_user", 12014, 12016,
                       {{"usename", T(kName)},
                        {"usesysid", T(kOid)},
                        {"usecreatedb", T(kBool)},
                        {"usesuper", T(kBool)},
                        {"userepl", T(kBool)},
                        {"usebypassrls", T(kBool)},
                        {"passwd", T(kText)},
                        {"valuntil", T(kTimestampTz)},
                        {"useconfig", T(kTextArrayType)}}),
          R"(
SELECT a.rolname AS usename, a.oid AS usesysid, a.rolcreatedb AS usecreatedb,
       a.rolsuper AS usesuper, a.rolreplication AS userepl, a.rolbypassrls AS usebypassrls,
       '********'::text AS passwd, a.rolvaliduntil AS valuntil, (SELECT s.setconfig FROM pg_catalog.pg_db_role_setting s
        WHERE s.setrole = a.oid AND s.setdatabase = 0) AS useconfig
FROM pg_catalog.pg_authid a
WHERE a.rolcanlogin)");
  AddView(out,
          MakeRelation("pg_tables", 12033, 12035,
                       {{"schemaname", T(kName)},
                        {"tablename", T(kName)},
                        {"tableowner", T(kName)},
                        {"tablespace", T(kName)},
                        {"hasindexes", T(kBool)},
                        {"hasrules", T(kBool)},
                        {"hastriggers", T(kBool)},
                        {"rowsecurity", T(kBool)}}),
          R"(
SELECT n.nspname AS schemaname, c.relname AS tablename,
       pg_catalog.pg_get_userbyid(c.relowner) AS tableowner, t.spcname AS tablespace,
       c.relhasindex AS hasindexes, c.relhasrules AS hasrules, c.relhastriggers AS hastriggers,
       c.relrowsecurity AS rowsecurity
FROM pg_catalog.pg_class c
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_catalog.pg_tablespace t ON t.oid = c.reltablespace
WHERE c.relkind IN ('r', 'p'))");
  AddView(out,
          MakeRelation("pg_views", 12028, 12030,
                       {{"schemaname", T(kName)},
                        {"viewname", T(kName)},
                        {"viewowner", T(kName)},
                        {"definition", T(kText)}}),
          R"(
SELECT n.nspname AS schemaname, c.relname AS viewname,
       pg_catalog.pg_get_userbyid(c.relowner) AS viewowner,
       pg_catalog.pg_get_viewdef(c.oid) AS definition
FROM pg_catalog.pg_class c
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'v')");
  AddView(out,
          MakeRelation("pg_matviews", 12038, 12040,
                       {{"schemaname", T(kName)},
                        {"matviewname", T(kName)},
                        {"matviewowner", T(kName)},
                        {"tablespace", T(kName)},
                        {"hasindexes", T(kBool)},
                        {"ispopulated", T(kBool)},
                        {"definition", T(kText)}}),
          R"(
SELECT n.nspname AS schemaname, c.relname AS matviewname,
       pg_catalog.pg_get_userbyid(c.relowner) AS matviewowner, t.spcname AS tablespace,
       c.relhasindex AS hasindexes, c.relispopulated AS ispopulated,
       pg_catalog.pg_get_viewdef(c.oid) AS definition
FROM pg_catalog.pg_class c
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_catalog.pg_tablespace t ON t.oid = c.reltablespace
WHERE c.relkind = 'm')");
  // PostgreSQL's text, less `NOT pg_is_other_temp_schema(n.oid)` (pg_class lists no other
  // session's temporary relations here).
  AddView(out,
          MakeRelation("pg_sequences", 12048, 12050,
                       {{"schemaname", T(kName)},
                        {"sequencename", T(kName)},
                        {"sequenceowner", T(kName)},
                        {"data_type", T(kRegTypeType)},
                        {"start_value", T(kInt64)},
                        {"min_value", T(kInt64)},
                        {"max_value", T(kInt64)},
                        {"increment_by", T(kInt64)},
                        {"cycle", T(kBool)},
                        {"cache_size", T(kInt64)},
                        {"last_value", T(kInt64)}}),
          R"(
SELECT n.nspname AS schemaname, c.relname AS sequencename,
       pg_catalog.pg_get_userbyid(c.relowner) AS sequenceowner,
       s.seqtypid::regtype AS data_type, s.seqstart AS start_value, s.seqmin AS min_value,
       s.seqmax AS max_value, s.seqincrement AS increment_by, s.seqcycle AS cycle,
       s.seqcache AS cache_size,
       CASE WHEN pg_catalog.has_sequence_privilege(c.oid, 'SELECT,USAGE'::text)
            THEN pg_catalog.pg_sequence_last_value(c.oid::regclass) ELSE NULL::bigint
       END AS last_value
FROM pg_catalog.pg_sequence s
     JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'S'::"char")");
  AddView(out,
          MakeRelation("pg_indexes", 12043, 12045,
                       {{"schemaname", T(kName)},
                        {"tablename", T(kName)},
                        {"indexname", T(kName)},
                        {"tablespace", T(kName)},
                        {"indexdef", T(kText)}}),
          R"(
SELECT n.nspname AS schemaname, c.relname AS tablename, i.relname AS indexname,
       t.spcname AS tablespace, pg_catalog.pg_get_indexdef(i.oid) AS indexdef
FROM pg_catalog.pg_index x
     JOIN pg_catalog.pg_class c ON c.oid = x.indrelid
     JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_catalog.pg_tablespace t ON t.oid = i.reltablespace
WHERE c.relkind IN ('r', 'm', 'p') AND i.relkind IN ('i', 'I'))");
}

}  // namespace activestore::planner::pg_catalog
