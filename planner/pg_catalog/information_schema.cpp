// information_schema: the SQL standard's views as PostgreSQL 15 defines them
// (src/backend/catalog/information_schema.sql), as SQL text over pg_catalog bound like a user
// view, so every row comes from the catalog the statement's transaction sees. This file has
// schemata, tables, columns, the constraint views, triggers and views;
// information_schema_routines.cpp and information_schema_privileges.cpp the others. The
// standard's domains are their base types here (information_schema_util.h): sql_identifier is
// name, cardinal_number integer, character_data character varying, yes_or_no
// character varying(3); the values are PostgreSQL's.
#include <fmt/format.h>

#include "planner/pg_catalog/information_schema_util.h"

namespace activestore::planner::pg_catalog {
namespace infoschema {

std::string CharMaxLength(std::string_view typid, std::string_view typmod) {
  return fmt::format(
      "CASE WHEN {1} = -1 THEN NULL WHEN {0} IN (1042, 1043) THEN {1} - 4 "
      "WHEN {0} IN (1560, 1562) THEN {1} ELSE NULL END",
      typid, typmod);
}

// The server encoding is UTF8: at most 4 bytes a character.
std::string CharOctetLength(std::string_view typid, std::string_view typmod) {
  return fmt::format(
      "CASE WHEN {0} IN (25, 1042, 1043) THEN CASE WHEN {1} = -1 THEN 1073741824 "
      "ELSE ({2}) * 4 END ELSE NULL END",
      typid, typmod, CharMaxLength(typid, typmod));
}

std::string NumericPrecision(std::string_view typid, std::string_view typmod) {
  return fmt::format(
      "CASE {0} WHEN 21 THEN 16 WHEN 23 THEN 32 WHEN 20 THEN 64 "
      "WHEN 1700 THEN CASE WHEN {1} = -1 THEN NULL ELSE (({1} - 4) >> 16) & 65535 END "
      "WHEN 700 THEN 24 WHEN 701 THEN 53 ELSE NULL END",
      typid, typmod);
}

std::string NumericPrecisionRadix(std::string_view typid) {
  return fmt::format(
      "CASE WHEN {0} IN (21, 23, 20, 700, 701) THEN 2 WHEN {0} = 1700 THEN 10 ELSE NULL END",
      typid);
}

std::string NumericScale(std::string_view typid, std::string_view typmod) {
  return fmt::format(
      "CASE WHEN {0} IN (21, 23, 20) THEN 0 "
      "WHEN {0} = 1700 THEN CASE WHEN {1} = -1 THEN NULL ELSE ({1} - 4) & 65535 END "
      "ELSE NULL END",
      typid, typmod);
}

std::string DatetimePrecision(std::string_view typid, std::string_view typmod) {
  return fmt::format(
      "CASE WHEN {0} = 1082 THEN 0 "
      "WHEN {0} IN (1083, 1114, 1184, 1266) THEN CASE WHEN {1} < 0 THEN 6 ELSE {1} END "
      "WHEN {0} = 1186 THEN CASE WHEN {1} < 0 OR {1} & 65535 = 65535 THEN 6 "
      "ELSE {1} & 65535 END ELSE NULL END",
      typid, typmod);
}

// PostgreSQL's _pg_interval_type: what format_type writes after "interval" and its precision.
std::string IntervalType(std::string_view typid, std::string_view typmod) {
  return fmt::format(
      "CASE WHEN {0} = 1186 THEN pg_catalog.upper(substring(pg_catalog.format_type({0}, {1}) "
      "similar 'interval[()0-9]* #\"%#\"' escape '#')) ELSE NULL END",
      typid, typmod);
}

}  // namespace infoschema

namespace {

using enum TypeId;
using infoschema::AddView;
using infoschema::Card;
using infoschema::Chars;
using infoschema::Id;
using infoschema::YesNo;

std::vector<std::unique_ptr<SystemRelation>> Build() {
  std::vector<std::unique_ptr<SystemRelation>> v;
  AddView(&v,
          MakeRelation("schemata", 13000, 0,
                       {{"catalog_name", Id()},
                        {"schema_name", Id()},
                        {"schema_owner", Id()},
                        {"default_character_set_catalog", Id()},
                        {"default_character_set_schema", Id()},
                        {"default_character_set_name", Id()},
                        {"sql_path", Chars()}}),
          R"(
SELECT CAST(pg_catalog.current_database() AS name) AS catalog_name,
       n.nspname AS schema_name, u.rolname AS schema_owner,
       CAST(NULL AS name) AS default_character_set_catalog,
       CAST(NULL AS name) AS default_character_set_schema,
       CAST(NULL AS name) AS default_character_set_name,
       CAST(NULL AS character varying) AS sql_path
FROM pg_catalog.pg_namespace n, pg_catalog.pg_authid u
WHERE n.nspowner = u.oid AND pg_catalog.pg_has_role(n.nspowner, 'USAGE'))");
  AddView(&v,
          MakeRelation("tables", 13001, 0,
                       {{"table_catalog", Id()},
                        {"table_schema", Id()},
                        {"table_name", Id()},
                        {"table_type", Chars()},
                        {"self_referencing_column_name", Id()},
                        {"reference_generation", Chars()},
                        {"user_defined_type_catalog", Id()},
                        {"user_defined_type_schema", Id()},
                        {"user_defined_type_name", Id()},
                        {"is_insertable_into", YesNo()},
                        {"is_typed", YesNo()},
                        {"commit_action", Chars()}}),
          R"(
SELECT CAST(pg_catalog.current_database() AS name) AS table_catalog,
       nc.nspname AS table_schema, c.relname AS table_name,
       CAST(CASE WHEN nc.nspname LIKE 'pg\_temp\_%' THEN 'LOCAL TEMPORARY'
                 WHEN c.relkind IN ('r', 'p') THEN 'BASE TABLE'
                 WHEN c.relkind = 'v' THEN 'VIEW'
                 WHEN c.relkind = 'f' THEN 'FOREIGN'
                 ELSE NULL END AS character varying) AS table_type,
       CAST(NULL AS name) AS self_referencing_column_name,
       CAST(NULL AS character varying) AS reference_generation,
       CAST(NULL AS name) AS user_defined_type_catalog,
       CAST(NULL AS name) AS user_defined_type_schema,
       CAST(NULL AS name) AS user_defined_type_name,
       CAST(CASE WHEN c.relkind IN ('r', 'p') OR
                      (c.relkind IN ('v', 'f') AND
                       pg_catalog.pg_relation_is_updatable(c.oid, false) & 8 = 8)
                 THEN 'YES' ELSE 'NO' END
            AS character varying(3)) AS is_insertable_into,
       CAST('NO' AS character varying(3)) AS is_typed,
       CAST(NULL AS character varying) AS commit_action
FROM pg_catalog.pg_namespace nc JOIN pg_catalog.pg_class c ON nc.oid = c.relnamespace
WHERE c.relkind IN ('r', 'v', 'f', 'p')
  AND (pg_catalog.pg_has_role(c.relowner, 'USAGE')
       OR pg_catalog.has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')))");
  AddView(&v,
          MakeRelation("columns", 13003, 0,
                       {{"table_catalog", Id()},
                        {"table_schema", Id()},
                        {"table_name", Id()},
                        {"column_name", Id()},
                        {"ordinal_position", Card()},
                        {"column_default", Chars()},
                        {"is_nullable", YesNo()},
                        {"data_type", Chars()},
                        {"character_maximum_length", Card()},
                        {"character_octet_length", Card()},
                        {"numeric_precision", Card()},
                        {"numeric_precision_radix", Card()},
                        {"numeric_scale", Card()},
                        {"datetime_precision", Card()},
                        {"interval_type", Chars()},
                        {"interval_precision", Card()},
                        {"character_set_catalog", Id()},
                        {"character_set_schema", Id()},
                        {"character_set_name", Id()},
                        {"collation_catalog", Id()},
                        {"collation_schema", Id()},
                        {"collation_name", Id()},
                        {"domain_catalog", Id()},
                        {"domain_schema", Id()},
                        {"domain_name", Id()},
                        {"udt_catalog", Id()},
                        {"udt_schema", Id()},
                        {"udt_name", Id()},
                        {"scope_catalog", Id()},
                        {"scope_schema", Id()},
                        {"scope_name", Id()},
                        {"maximum_cardinality", Card()},
                        {"dtd_identifier", Id()},
                        {"is_self_referencing", YesNo()},
                        {"is_identity", YesNo()},
                        {"identity_generation", Chars()},
                        {"identity_start", Chars()},
                        {"identity_increment", Chars()},
                        {"identity_maximum", Chars()},
                        {"identity_minimum", Chars()},
                        {"identity_cycle", YesNo()},
                        {"is_generated", Chars()},
                        {"generation_expression", Chars()},
                        {"is_updatable", YesNo()}}),
          // PostgreSQL's _pg_char_max_length, _pg_char_octet_length (UTF8: 4 bytes a
          // character), _pg_numeric_precision, _pg_numeric_precision_radix, _pg_numeric_scale
          // _pg_datetime_precision and _pg_interval_type over the column's true type (a domain's
          // base type).
          fmt::format(R"(
SELECT CAST(pg_catalog.current_database() AS name) AS table_catalog,
       x.nspname AS table_schema, x.relname AS table_name, x.attname AS column_name,
       CAST(x.attnum AS integer) AS ordinal_position,
       CAST(CASE WHEN x.attgenerated = '' THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END
            AS character varying) AS column_default,
       CAST(CASE WHEN x.attnotnull OR (x.typtype = 'd' AND x.typnotnull) THEN 'NO' ELSE 'YES' END
            AS character varying(3)) AS is_nullable,
       CAST(CASE WHEN x.tt_elem <> 0 AND x.tt_len = -1 THEN 'ARRAY'
                 WHEN x.tt_nsp = 'pg_catalog' THEN pg_catalog.format_type(x.truetypid, NULL)
                 ELSE 'USER-DEFINED' END AS character varying) AS data_type,
       CAST({0} AS integer) AS character_maximum_length,
       CAST({1} AS integer) AS character_octet_length,
       CAST({2} AS integer) AS numeric_precision,
       CAST({3} AS integer) AS numeric_precision_radix,
       CAST({4} AS integer) AS numeric_scale,
       CAST({5} AS integer) AS datetime_precision,
       CAST({6} AS character varying) AS interval_type,
       CAST(NULL AS integer) AS interval_precision,
       CAST(NULL AS name) AS character_set_catalog,
       CAST(NULL AS name) AS character_set_schema,
       CAST(NULL AS name) AS character_set_name,
       CAST(CASE WHEN co.collname IS NOT NULL AND co.collname <> 'default'
                 THEN pg_catalog.current_database() END AS name) AS collation_catalog,
       CAST(CASE WHEN co.collname IS NOT NULL AND co.collname <> 'default' THEN 'pg_catalog' END
            AS name) AS collation_schema,
       CAST(CASE WHEN co.collname <> 'default' THEN co.collname END AS name) AS collation_name,
       CAST(CASE WHEN x.typtype = 'd' THEN pg_catalog.current_database() ELSE NULL END
            AS name) AS domain_catalog,
       CAST(CASE WHEN x.typtype = 'd' THEN x.typnspname ELSE NULL END AS name) AS domain_schema,
       CAST(CASE WHEN x.typtype = 'd' THEN x.typname ELSE NULL END AS name) AS domain_name,
       CAST(pg_catalog.current_database() AS name) AS udt_catalog,
       x.tt_nsp AS udt_schema, x.tt_name AS udt_name,
       CAST(NULL AS name) AS scope_catalog,
       CAST(NULL AS name) AS scope_schema,
       CAST(NULL AS name) AS scope_name,
       CAST(NULL AS integer) AS maximum_cardinality,
       CAST(x.attnum AS name) AS dtd_identifier,
       CAST('NO' AS character varying(3)) AS is_self_referencing,
       CAST(CASE WHEN x.attidentity IN ('a', 'd') THEN 'YES' ELSE 'NO' END
            AS character varying(3)) AS is_identity,
       CAST(CASE x.attidentity WHEN 'a' THEN 'ALWAYS' WHEN 'd' THEN 'BY DEFAULT' END
            AS character varying) AS identity_generation,
       CAST(CASE WHEN x.attidentity IN ('a', 'd') THEN CAST(seq.seqstart AS text) END
            AS character varying) AS identity_start,
       CAST(CASE WHEN x.attidentity IN ('a', 'd') THEN CAST(seq.seqincrement AS text) END
            AS character varying) AS identity_increment,
       CAST(CASE WHEN x.attidentity IN ('a', 'd') THEN CAST(seq.seqmax AS text) END
            AS character varying) AS identity_maximum,
       CAST(CASE WHEN x.attidentity IN ('a', 'd') THEN CAST(seq.seqmin AS text) END
            AS character varying) AS identity_minimum,
       CAST(CASE WHEN seq.seqcycle THEN 'YES' ELSE 'NO' END AS character varying(3)) AS identity_cycle,
       CAST(CASE WHEN x.attgenerated <> '' THEN 'ALWAYS' ELSE 'NEVER' END
            AS character varying) AS is_generated,
       CAST(CASE WHEN x.attgenerated <> '' THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END
            AS character varying) AS generation_expression,
       CAST(CASE WHEN x.relkind IN ('r', 'p') THEN 'YES'
                 WHEN x.relkind IN ('v', 'f') AND
                      pg_catalog.pg_column_is_updatable(x.attrelid, x.attnum, false)
                 THEN 'YES' ELSE 'NO' END
            AS character varying(3)) AS is_updatable
FROM (SELECT a.attrelid, a.attnum, a.attname, a.attnotnull, a.attgenerated, a.attidentity,
             a.attcollation, c.relname, c.relkind, c.relowner, nc.nspname, t.typtype, t.typnotnull,
             t.typname, nt.nspname AS typnspname,
             CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE a.atttypid END AS truetypid,
             CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END AS truetypmod,
             bt.typelem AS tt_elem, bt.typlen AS tt_len, bt.typname AS tt_name,
             nbt.nspname AS tt_nsp
      FROM pg_catalog.pg_attribute a
           JOIN pg_catalog.pg_class c ON a.attrelid = c.oid
           JOIN pg_catalog.pg_namespace nc ON c.relnamespace = nc.oid
           JOIN pg_catalog.pg_type t ON a.atttypid = t.oid
           JOIN pg_catalog.pg_namespace nt ON t.typnamespace = nt.oid
           JOIN pg_catalog.pg_type bt
             ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
           JOIN pg_catalog.pg_namespace nbt ON bt.typnamespace = nbt.oid
      WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'v', 'f', 'p')
        AND (pg_catalog.pg_has_role(c.relowner, 'USAGE')
             OR pg_catalog.has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, REFERENCES'))) x
     LEFT JOIN pg_catalog.pg_attrdef ad ON x.attrelid = ad.adrelid AND x.attnum = ad.adnum
     LEFT JOIN pg_catalog.pg_collation co ON co.oid = x.attcollation
     LEFT JOIN pg_catalog.pg_sequence seq
       ON x.attidentity IN ('a', 'd')
          AND seq.seqrelid = CAST(pg_catalog.pg_get_serial_sequence(
                pg_catalog.quote_ident(x.nspname) || '.' || pg_catalog.quote_ident(x.relname),
                x.attname) AS regclass))",
                      infoschema::CharMaxLength("x.truetypid", "x.truetypmod"),
                      infoschema::CharOctetLength("x.truetypid", "x.truetypmod"),
                      infoschema::NumericPrecision("x.truetypid", "x.truetypmod"),
                      infoschema::NumericPrecisionRadix("x.truetypid"),
                      infoschema::NumericScale("x.truetypid", "x.truetypmod"),
                      infoschema::DatetimePrecision("x.truetypid", "x.truetypmod"),
                      infoschema::IntervalType("x.truetypid", "x.truetypmod")));
  AddView(&v,
          MakeRelation("table_constraints", 13004, 0,
                       {{"constraint_catalog", Id()},
                        {"constraint_schema", Id()},
                        {"constraint_name", Id()},
                        {"table_catalog", Id()},
                        {"table_schema", Id()},
                        {"table_name", Id()},
                        {"constraint_type", Chars()},
                        {"is_deferrable", YesNo()},
                        {"initially_deferred", YesNo()},
                        {"enforced", YesNo()},
                        {"nulls_distinct", YesNo()}}),
          // Constraints, then each NOT NULL column as a CHECK named
          // <schema oid>_<table oid>_<attnum>_not_null, as PostgreSQL 15.
          R"(
SELECT CAST(pg_catalog.current_database() AS name) AS constraint_catalog,
       nc.nspname AS constraint_schema, c.conname AS constraint_name,
       CAST(pg_catalog.current_database() AS name) AS table_catalog,
       nr.nspname AS table_schema, r.relname AS table_name,
       CAST(CASE c.contype WHEN 'c' THEN 'CHECK' WHEN 'f' THEN 'FOREIGN KEY'
                           WHEN 'p' THEN 'PRIMARY KEY' WHEN 'u' THEN 'UNIQUE' END
            AS character varying) AS constraint_type,
       CAST(CASE WHEN c.condeferrable THEN 'YES' ELSE 'NO' END AS character varying(3)) AS is_deferrable,
       CAST(CASE WHEN c.condeferred THEN 'YES' ELSE 'NO' END AS character varying(3)) AS initially_deferred,
       CAST('YES' AS character varying(3)) AS enforced,
       CAST(CASE WHEN c.contype = 'u'
                 THEN CASE WHEN (SELECT NOT i.indnullsnotdistinct FROM pg_catalog.pg_index i
                                 WHERE i.indexrelid = c.conindid) THEN 'YES' ELSE 'NO' END
            END AS character varying(3)) AS nulls_distinct
FROM pg_catalog.pg_namespace nc, pg_catalog.pg_namespace nr, pg_catalog.pg_constraint c,
     pg_catalog.pg_class r
WHERE nc.oid = c.connamespace AND nr.oid = r.relnamespace AND c.conrelid = r.oid
  AND c.contype NOT IN ('t', 'x') AND r.relkind IN ('r', 'p')
  AND (pg_catalog.pg_has_role(r.relowner, 'USAGE')
       OR pg_catalog.has_table_privilege(r.oid, 'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER'))
UNION ALL
SELECT CAST(pg_catalog.current_database() AS name) AS constraint_catalog,
       nr.nspname AS constraint_schema,
       CAST(CAST(nr.oid AS text) || '_' || CAST(r.oid AS text) || '_' || CAST(a.attnum AS text) || '_not_null'
            AS name) AS constraint_name,
       CAST(pg_catalog.current_database() AS name) AS table_catalog,
       nr.nspname AS table_schema, r.relname AS table_name,
       CAST('CHECK' AS character varying) AS constraint_type,
       CAST('NO' AS character varying(3)) AS is_deferrable,
       CAST('NO' AS character varying(3)) AS initially_deferred,
       CAST('YES' AS character varying(3)) AS enforced,
       CAST(NULL AS character varying(3)) AS nulls_distinct
FROM pg_catalog.pg_namespace nr, pg_catalog.pg_class r, pg_catalog.pg_attribute a
WHERE nr.oid = r.relnamespace AND r.oid = a.attrelid AND a.attnotnull AND a.attnum > 0
  AND NOT a.attisdropped AND r.relkind IN ('r', 'p')
  AND (pg_catalog.pg_has_role(r.relowner, 'USAGE')
       OR pg_catalog.has_table_privilege(r.oid, 'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')))");
  AddView(&v,
          MakeRelation("key_column_usage", 13005, 0,
                       {{"constraint_catalog", Id()},
                        {"constraint_schema", Id()},
                        {"constraint_name", Id()},
                        {"table_catalog", Id()},
                        {"table_schema", Id()},
                        {"table_name", Id()},
                        {"column_name", Id()},
                        {"ordinal_position", Card()},
                        {"position_in_unique_constraint", Card()}}),
          // PostgreSQL's _pg_expandarray(conkey) as the positions 1..32 (INDEX_MAX_KEYS) that
          // conkey has, and _pg_index_position as the referenced column's place in indkey.
          R"(
SELECT CAST(pg_catalog.current_database() AS name) AS constraint_catalog,
       ss.nc_nspname AS constraint_schema, ss.conname AS constraint_name,
       CAST(pg_catalog.current_database() AS name) AS table_catalog,
       ss.nr_nspname AS table_schema, ss.relname AS table_name, a.attname AS column_name,
       CAST(ss.n AS integer) AS ordinal_position,
       CAST(CASE WHEN ss.contype = 'f'
                 THEN (SELECT p.n + 1 FROM pg_catalog.pg_index i, generate_series(0, 31) AS p(n)
                       WHERE i.indexrelid = ss.conindid AND i.indkey[p.n] = ss.confkey[ss.n])
                 ELSE NULL END AS integer) AS position_in_unique_constraint
FROM pg_catalog.pg_attribute a,
     (SELECT r.oid AS roid, r.relname, r.relowner, nc.nspname AS nc_nspname,
             nr.nspname AS nr_nspname, c.conname, c.contype, c.conindid, c.confkey, c.conkey,
             s.n
      FROM pg_catalog.pg_namespace nr, pg_catalog.pg_class r, pg_catalog.pg_namespace nc,
           pg_catalog.pg_constraint c, generate_series(1, 32) AS s(n)
      WHERE nr.oid = r.relnamespace AND r.oid = c.conrelid AND nc.oid = c.connamespace
        AND c.contype IN ('p', 'u', 'f') AND r.relkind IN ('r', 'p')
        AND s.n <= pg_catalog.array_length(c.conkey, 1)) AS ss
WHERE ss.roid = a.attrelid AND a.attnum = ss.conkey[ss.n] AND NOT a.attisdropped
  AND (pg_catalog.pg_has_role(ss.relowner, 'USAGE')
       OR pg_catalog.has_table_privilege(ss.roid, 'SELECT, INSERT, UPDATE, REFERENCES')))");
  AddView(&v,
          MakeRelation("referential_constraints", 13006, 0,
                       {{"constraint_catalog", Id()},
                        {"constraint_schema", Id()},
                        {"constraint_name", Id()},
                        {"unique_constraint_catalog", Id()},
                        {"unique_constraint_schema", Id()},
                        {"unique_constraint_name", Id()},
                        {"match_option", Chars()},
                        {"update_rule", Chars()},
                        {"delete_rule", Chars()}}),
          // The unique constraint is the one owning the foreign key's index (PostgreSQL finds
          // it through pg_depend, which ActiveStore does not have).
          R"(
SELECT CAST(pg_catalog.current_database() AS name) AS constraint_catalog,
       ncon.nspname AS constraint_schema, con.conname AS constraint_name,
       CAST(CASE WHEN npkc.nspname IS NULL THEN NULL ELSE pg_catalog.current_database() END
            AS name) AS unique_constraint_catalog,
       npkc.nspname AS unique_constraint_schema, pkc.conname AS unique_constraint_name,
       CAST(CASE con.confmatchtype WHEN 'f' THEN 'FULL' WHEN 'p' THEN 'PARTIAL'
                                   WHEN 's' THEN 'NONE' END AS character varying) AS match_option,
       CAST(CASE con.confupdtype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL'
                                 WHEN 'd' THEN 'SET DEFAULT' WHEN 'r' THEN 'RESTRICT'
                                 WHEN 'a' THEN 'NO ACTION' END AS character varying) AS update_rule,
       CAST(CASE con.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL'
                                 WHEN 'd' THEN 'SET DEFAULT' WHEN 'r' THEN 'RESTRICT'
                                 WHEN 'a' THEN 'NO ACTION' END AS character varying) AS delete_rule
FROM pg_catalog.pg_namespace ncon
     JOIN pg_catalog.pg_constraint con ON ncon.oid = con.connamespace
     JOIN pg_catalog.pg_class c ON con.conrelid = c.oid AND con.contype = 'f'
     LEFT JOIN pg_catalog.pg_constraint pkc
       ON pkc.conindid = con.conindid AND pkc.contype IN ('p', 'u') AND pkc.conrelid = con.confrelid
     LEFT JOIN pg_catalog.pg_namespace npkc ON pkc.connamespace = npkc.oid
WHERE pg_catalog.pg_has_role(c.relowner, 'USAGE')
   OR pg_catalog.has_table_privilege(c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER'))");
  // The columns that generated columns read (PostgreSQL's definition, over pg_depend).
  AddView(&v,
          MakeRelation("column_column_usage", 13035, 0,
                       {{"table_catalog", Id()},
                        {"table_schema", Id()},
                        {"table_name", Id()},
                        {"column_name", Id()},
                        {"dependent_column", Id()}}),
          R"(
SELECT DISTINCT CAST(pg_catalog.current_database() AS name) AS table_catalog,
       n.nspname AS table_schema, c.relname AS table_name, ac.attname AS column_name,
       ad.attname AS dependent_column
FROM pg_catalog.pg_namespace n, pg_catalog.pg_class c, pg_catalog.pg_depend d,
     pg_catalog.pg_attribute ac, pg_catalog.pg_attribute ad, pg_catalog.pg_attrdef atd
WHERE n.oid = c.relnamespace AND c.oid = ac.attrelid AND c.oid = ad.attrelid
  AND ac.attnum <> ad.attnum AND ad.attrelid = atd.adrelid AND ad.attnum = atd.adnum
  AND d.classid = 2604 AND d.refclassid = 1259 AND d.objid = atd.oid
  AND d.refobjid = ac.attrelid AND d.refobjsubid = ac.attnum AND ad.attgenerated <> ''
  AND pg_catalog.pg_has_role(c.relowner, 'USAGE'))");
  AddView(&v,
          MakeRelation("check_constraints", 13007, 0,
                       {{"constraint_catalog", Id()},
                        {"constraint_schema", Id()},
                        {"constraint_name", Id()},
                        {"check_clause", Chars()}}),
          R"(
SELECT CAST(pg_catalog.current_database() AS name) AS constraint_catalog,
       rs.nspname AS constraint_schema, con.conname AS constraint_name,
       CAST(substring(pg_catalog.pg_get_constraintdef(con.oid) FROM 7) AS character varying)
         AS check_clause
FROM pg_catalog.pg_constraint con
     LEFT JOIN pg_catalog.pg_namespace rs ON rs.oid = con.connamespace
     LEFT JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
     LEFT JOIN pg_catalog.pg_type t ON t.oid = con.contypid
WHERE pg_catalog.pg_has_role(coalesce(c.relowner, t.typowner), 'USAGE') AND con.contype = 'c'
UNION
SELECT CAST(pg_catalog.current_database() AS name) AS constraint_catalog,
       n.nspname AS constraint_schema,
       CAST(CAST(n.oid AS text) || '_' || CAST(r.oid AS text) || '_' || CAST(a.attnum AS text) || '_not_null'
            AS name) AS constraint_name,
       CAST(a.attname || ' IS NOT NULL' AS character varying) AS check_clause
FROM pg_catalog.pg_namespace n, pg_catalog.pg_class r, pg_catalog.pg_attribute a
WHERE n.oid = r.relnamespace AND r.oid = a.attrelid AND a.attnum > 0 AND NOT a.attisdropped
  AND a.attnotnull AND r.relkind IN ('r', 'p') AND pg_catalog.pg_has_role(r.relowner, 'USAGE'))");
  AddView(&v,
          MakeRelation("triggers", 13008, 0,
                       {{"trigger_catalog", Id()},
                        {"trigger_schema", Id()},
                        {"trigger_name", Id()},
                        {"event_manipulation", Chars()},
                        {"event_object_catalog", Id()},
                        {"event_object_schema", Id()},
                        {"event_object_table", Id()},
                        {"action_order", Card()},
                        {"action_condition", Chars()},
                        {"action_statement", Chars()},
                        {"action_orientation", Chars()},
                        {"action_timing", Chars()},
                        {"action_reference_old_table", Id()},
                        {"action_reference_new_table", Id()},
                        {"action_reference_old_row", Id()},
                        {"action_reference_new_row", Id()},
                        {"created", T(kTimestampTz)}}),
          R"(
SELECT CAST(pg_catalog.current_database() AS name) AS trigger_catalog,
       n.nspname AS trigger_schema, t.tgname AS trigger_name,
       CAST(em.text AS character varying) AS event_manipulation,
       CAST(pg_catalog.current_database() AS name) AS event_object_catalog,
       n.nspname AS event_object_schema, c.relname AS event_object_table,
       CAST(rank() OVER (PARTITION BY n.nspname, c.relname, em.num, t.tgtype & 1, t.tgtype & 66
                         ORDER BY t.tgname) AS integer) AS action_order,
       CAST(CASE WHEN pg_catalog.pg_has_role(c.relowner, 'USAGE')
                 THEN (pg_catalog.regexp_match(pg_catalog.pg_get_triggerdef(t.oid),
                                               E'.{35,} WHEN \\((.+)\\) EXECUTE FUNCTION'))[1]
            END AS character varying) AS action_condition,
       CAST(substring(pg_catalog.pg_get_triggerdef(t.oid)
                      FROM position('EXECUTE FUNCTION' IN
                                    substring(pg_catalog.pg_get_triggerdef(t.oid) FROM 48)) + 47)
            AS character varying) AS action_statement,
       CAST(CASE t.tgtype & 1 WHEN 1 THEN 'ROW' ELSE 'STATEMENT' END AS character varying)
         AS action_orientation,
       CAST(CASE t.tgtype & 66 WHEN 2 THEN 'BEFORE' WHEN 64 THEN 'INSTEAD OF' ELSE 'AFTER' END
            AS character varying) AS action_timing,
       t.tgoldtable AS action_reference_old_table, t.tgnewtable AS action_reference_new_table,
       CAST(NULL AS name) AS action_reference_old_row,
       CAST(NULL AS name) AS action_reference_new_row,
       CAST(NULL AS timestamptz) AS created
FROM pg_catalog.pg_namespace n, pg_catalog.pg_class c, pg_catalog.pg_trigger t,
     (VALUES (4, 'INSERT'), (8, 'DELETE'), (16, 'UPDATE')) AS em (num, text)
WHERE n.oid = c.relnamespace AND c.oid = t.tgrelid AND t.tgtype & em.num <> 0
  AND NOT t.tgisinternal
  AND (pg_catalog.pg_has_role(c.relowner, 'USAGE')
       OR pg_catalog.has_table_privilege(c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')))");
  // PostgreSQL's text, less `NOT pg_is_other_temp_schema(nc.oid)` (pg_class lists no other
  // session's temporary relations).
  AddView(&v,
          MakeRelation("views", 13009, 0,
                       {{"table_catalog", Id()},
                        {"table_schema", Id()},
                        {"table_name", Id()},
                        {"view_definition", Chars()},
                        {"check_option", Chars()},
                        {"is_updatable", YesNo()},
                        {"is_insertable_into", YesNo()},
                        {"is_trigger_updatable", YesNo()},
                        {"is_trigger_deletable", YesNo()},
                        {"is_trigger_insertable_into", YesNo()}}),
          R"(
SELECT CAST(pg_catalog.current_database() AS name) AS table_catalog,
       nc.nspname AS table_schema, c.relname AS table_name,
       CAST(CASE WHEN pg_catalog.pg_has_role(c.relowner, 'USAGE')
                 THEN pg_catalog.pg_get_viewdef(c.oid) END AS character varying) AS view_definition,
       CAST(CASE WHEN 'check_option=cascaded' = ANY (c.reloptions) THEN 'CASCADED'
                 WHEN 'check_option=local' = ANY (c.reloptions) THEN 'LOCAL'
                 ELSE 'NONE' END AS character varying) AS check_option,
       CAST(CASE WHEN pg_catalog.pg_relation_is_updatable(c.oid, false) & 20 = 20
                 THEN 'YES' ELSE 'NO' END AS character varying(3)) AS is_updatable,
       CAST(CASE WHEN pg_catalog.pg_relation_is_updatable(c.oid, false) & 8 = 8
                 THEN 'YES' ELSE 'NO' END AS character varying(3)) AS is_insertable_into,
       CAST(CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_trigger
                              WHERE tgrelid = c.oid AND tgtype & 81 = 81)
                 THEN 'YES' ELSE 'NO' END AS character varying(3)) AS is_trigger_updatable,
       CAST(CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_trigger
                              WHERE tgrelid = c.oid AND tgtype & 73 = 73)
                 THEN 'YES' ELSE 'NO' END AS character varying(3)) AS is_trigger_deletable,
       CAST(CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_trigger
                              WHERE tgrelid = c.oid AND tgtype & 69 = 69)
                 THEN 'YES' ELSE 'NO' END AS character varying(3)) AS is_trigger_insertable_into
FROM pg_catalog.pg_namespace nc, pg_catalog.pg_class c
WHERE c.relnamespace = nc.oid AND c.relkind = 'v'
  AND (pg_catalog.pg_has_role(c.relowner, 'USAGE')
       OR pg_catalog.has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
       OR pg_catalog.has_any_column_privilege(c.oid, 'SELECT, INSERT, UPDATE, REFERENCES')))");
  infoschema::AddRoutineViews(&v);
  infoschema::AddPrivilegeViews(&v);
  return v;
}

}  // namespace

const std::vector<std::unique_ptr<SystemRelation>>& InformationSchemaRelations() {
  static const std::vector<std::unique_ptr<SystemRelation>> all = Build();
  return all;
}

const SystemRelation* FindInformationSchemaRelation(std::string_view name) {
  for (const auto& r : InformationSchemaRelations()) {
    if (r->name == name) return r.get();
  }
  return nullptr;
}

}  // namespace activestore::planner::pg_catalog
