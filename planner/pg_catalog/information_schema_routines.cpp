// information_schema views of routines and types: routines, parameters, domains,
// element_types, sequences, character_sets, constraint_column_usage, as PostgreSQL 15 defines
// them (src/backend/catalog/information_schema.sql), SQL text over pg_catalog bound like a
// user view. The standard's domains are their base types (information_schema_util.h).
#include <fmt/format.h>

#include "planner/pg_catalog/information_schema_util.h"

namespace activestore::planner::pg_catalog::infoschema {
namespace {

// The columns every "data type descriptor" of the standard has after data_type, NULL here
// (routines, parameters and element_types report the type only by its udt names).
constexpr const char* kNullTypeDetails = R"(
       CAST(NULL AS integer) AS character_maximum_length,
       CAST(NULL AS integer) AS character_octet_length,
       CAST(NULL AS name) AS character_set_catalog,
       CAST(NULL AS name) AS character_set_schema,
       CAST(NULL AS name) AS character_set_name,)";

constexpr const char* kNullNumericDetails = R"(
       CAST(NULL AS integer) AS numeric_precision,
       CAST(NULL AS integer) AS numeric_precision_radix,
       CAST(NULL AS integer) AS numeric_scale,
       CAST(NULL AS integer) AS datetime_precision,
       CAST(NULL AS character varying) AS interval_type,
       CAST(NULL AS integer) AS interval_precision,)";

constexpr const char* kNullScope = R"(
       CAST(NULL AS name) AS scope_catalog,
       CAST(NULL AS name) AS scope_schema,
       CAST(NULL AS name) AS scope_name,
       CAST(NULL AS integer) AS maximum_cardinality,)";

// data_type of a type `t` in schema `nt`: ARRAY, the built-in type's name, or USER-DEFINED.
std::string DataType(std::string_view t, std::string_view nt, std::string_view typid) {
  return fmt::format(
      "CAST(CASE WHEN {0}.typelem <> 0 AND {0}.typlen = -1 THEN 'ARRAY' "
      "WHEN {1}.nspname = 'pg_catalog' THEN pg_catalog.format_type({2}, NULL) "
      "ELSE 'USER-DEFINED' END AS character varying)",
      t, nt, typid);
}

std::vector<SystemColumn> TypeDescriptorColumns(bool with_collation) {
  std::vector<SystemColumn> c = {{"character_maximum_length", Card()},
                                 {"character_octet_length", Card()},
                                 {"character_set_catalog", Id()},
                                 {"character_set_schema", Id()},
                                 {"character_set_name", Id()}};
  if (with_collation) {
    c.insert(c.end(),
             {{"collation_catalog", Id()}, {"collation_schema", Id()}, {"collation_name", Id()}});
  }
  c.insert(c.end(), {{"numeric_precision", Card()},
                     {"numeric_precision_radix", Card()},
                     {"numeric_scale", Card()},
                     {"datetime_precision", Card()},
                     {"interval_type", Chars()},
                     {"interval_precision", Card()}});
  return c;
}

void Append(std::vector<SystemColumn>* to, std::vector<SystemColumn> more) {
  to->insert(to->end(), more.begin(), more.end());
}

std::vector<SystemColumn> ScopeColumns() {
  return {{"scope_catalog", Id()},
          {"scope_schema", Id()},
          {"scope_name", Id()},
          {"maximum_cardinality", Card()}};
}

// The type descriptor of a domain or an element type: the type's details, a default, the udt
// names, the scope and the dtd identifier.
std::vector<SystemColumn> DescriptorWithDefaultColumns() {
  std::vector<SystemColumn> c = TypeDescriptorColumns(true);
  Append(&c, {{"domain_default", Chars()},
              {"udt_catalog", Id()},
              {"udt_schema", Id()},
              {"udt_name", Id()}});
  Append(&c, ScopeColumns());
  Append(&c, {{"dtd_identifier", Id()}});
  return c;
}

void AddRoutines(std::vector<std::unique_ptr<SystemRelation>>* v) {
  std::vector<SystemColumn> cols = {
      {"specific_catalog", Id()}, {"specific_schema", Id()}, {"specific_name", Id()},
      {"routine_catalog", Id()},  {"routine_schema", Id()},  {"routine_name", Id()},
      {"routine_type", Chars()},  {"module_catalog", Id()},  {"module_schema", Id()},
      {"module_name", Id()},      {"udt_catalog", Id()},     {"udt_schema", Id()},
      {"udt_name", Id()},         {"data_type", Chars()}};
  Append(&cols, TypeDescriptorColumns(true));
  Append(&cols, {{"type_udt_catalog", Id()}, {"type_udt_schema", Id()}, {"type_udt_name", Id()}});
  Append(&cols, ScopeColumns());
  Append(&cols, {{"dtd_identifier", Id()},
                 {"routine_body", Chars()},
                 {"routine_definition", Chars()},
                 {"external_name", Chars()},
                 {"external_language", Chars()},
                 {"parameter_style", Chars()},
                 {"is_deterministic", YesNo()},
                 {"sql_data_access", Chars()},
                 {"is_null_call", YesNo()},
                 {"sql_path", Chars()},
                 {"schema_level_routine", YesNo()},
                 {"max_dynamic_result_sets", Card()},
                 {"is_user_defined_cast", YesNo()},
                 {"is_implicitly_invocable", YesNo()},
                 {"security_type", Chars()},
                 {"to_sql_specific_catalog", Id()},
                 {"to_sql_specific_schema", Id()},
                 {"to_sql_specific_name", Id()},
                 {"as_locator", YesNo()},
                 {"created", TimeStamp()},
                 {"last_altered", TimeStamp()},
                 {"new_savepoint_level", YesNo()},
                 {"is_udt_dependent", YesNo()},
                 {"result_cast_from_data_type", Chars()},
                 {"result_cast_as_locator", YesNo()},
                 {"result_cast_char_max_length", Card()},
                 {"result_cast_char_octet_length", Card()},
                 {"result_cast_char_set_catalog", Id()},
                 {"result_cast_char_set_schema", Id()},
                 {"result_cast_char_set_name", Id()},
                 {"result_cast_collation_catalog", Id()},
                 {"result_cast_collation_schema", Id()},
                 {"result_cast_collation_name", Id()},
                 {"result_cast_numeric_precision", Card()},
                 {"result_cast_numeric_precision_radix", Card()},
                 {"result_cast_numeric_scale", Card()},
                 {"result_cast_datetime_precision", Card()},
                 {"result_cast_interval_type", Chars()},
                 {"result_cast_interval_precision", Card()},
                 {"result_cast_type_udt_catalog", Id()},
                 {"result_cast_type_udt_schema", Id()},
                 {"result_cast_type_udt_name", Id()},
                 {"result_cast_scope_catalog", Id()},
                 {"result_cast_scope_schema", Id()},
                 {"result_cast_scope_name", Id()},
                 {"result_cast_maximum_cardinality", Card()},
                 {"result_cast_dtd_identifier", Id()}});
  // The result_cast_* columns (a routine that is a user-defined cast's result) are NULL for
  // every routine in PostgreSQL.
  std::string result_cast;
  for (const SystemColumn& c : cols) {
    const std::string_view n = c.name;
    if (n.substr(0, 12) != "result_cast_") continue;
    const char* type = c.type.id == TypeId::kName    ? "name"
                       : c.type.id == TypeId::kInt32 ? "integer"
                       : c.type.typmod == 3          ? "character varying(3)"
                                                     : "character varying";
    result_cast += fmt::format(",\n       CAST(NULL AS {}) AS {}", type, n);
  }
  AddView(v, MakeRelation("routines", 13020, 0, std::move(cols)),
          fmt::format(R"(
SELECT CAST(pg_catalog.current_database() AS name) AS specific_catalog,
       n.nspname AS specific_schema,
       pg_catalog.nameconcatoid(p.proname, p.oid) AS specific_name,
       CAST(pg_catalog.current_database() AS name) AS routine_catalog,
       n.nspname AS routine_schema, p.proname AS routine_name,
       CAST(CASE p.prokind WHEN 'f' THEN 'FUNCTION' WHEN 'p' THEN 'PROCEDURE' END
            AS character varying) AS routine_type,
       CAST(NULL AS name) AS module_catalog,
       CAST(NULL AS name) AS module_schema,
       CAST(NULL AS name) AS module_name,
       CAST(NULL AS name) AS udt_catalog,
       CAST(NULL AS name) AS udt_schema,
       CAST(NULL AS name) AS udt_name,
       CAST(CASE WHEN p.prokind = 'p' THEN NULL
                 WHEN t.typelem <> 0 AND t.typlen = -1 THEN 'ARRAY'
                 WHEN nt.nspname = 'pg_catalog' THEN pg_catalog.format_type(t.oid, NULL)
                 ELSE 'USER-DEFINED' END AS character varying) AS data_type,{0}
       CAST(NULL AS name) AS collation_catalog,
       CAST(NULL AS name) AS collation_schema,
       CAST(NULL AS name) AS collation_name,{1}
       CAST(CASE WHEN nt.nspname IS NOT NULL THEN pg_catalog.current_database() END AS name)
         AS type_udt_catalog,
       nt.nspname AS type_udt_schema, t.typname AS type_udt_name,{2}
       CAST(CASE WHEN p.prokind <> 'p' THEN 0 END AS name) AS dtd_identifier,
       CAST(CASE WHEN l.lanname = 'sql' THEN 'SQL' ELSE 'EXTERNAL' END AS character varying)
         AS routine_body,
       CAST(CASE WHEN pg_catalog.pg_has_role(p.proowner, 'USAGE') THEN p.prosrc END
            AS character varying) AS routine_definition,
       CAST(CASE WHEN l.lanname = 'c' THEN p.prosrc END AS character varying) AS external_name,
       CAST(pg_catalog.upper(l.lanname) AS character varying) AS external_language,
       CAST('GENERAL' AS character varying) AS parameter_style,
       CAST(CASE WHEN p.provolatile = 'i' THEN 'YES' ELSE 'NO' END AS character varying(3))
         AS is_deterministic,
       CAST('MODIFIES' AS character varying) AS sql_data_access,
       CAST(CASE WHEN p.prokind <> 'p' THEN CASE WHEN p.proisstrict THEN 'YES' ELSE 'NO' END END
            AS character varying(3)) AS is_null_call,
       CAST(NULL AS character varying) AS sql_path,
       CAST('YES' AS character varying(3)) AS schema_level_routine,
       CAST(0 AS integer) AS max_dynamic_result_sets,
       CAST(NULL AS character varying(3)) AS is_user_defined_cast,
       CAST(NULL AS character varying(3)) AS is_implicitly_invocable,
       CAST(CASE WHEN p.prosecdef THEN 'DEFINER' ELSE 'INVOKER' END AS character varying)
         AS security_type,
       CAST(NULL AS name) AS to_sql_specific_catalog,
       CAST(NULL AS name) AS to_sql_specific_schema,
       CAST(NULL AS name) AS to_sql_specific_name,
       CAST('NO' AS character varying(3)) AS as_locator,
       CAST(NULL AS timestamptz(2)) AS created,
       CAST(NULL AS timestamptz(2)) AS last_altered,
       CAST(NULL AS character varying(3)) AS new_savepoint_level,
       CAST('NO' AS character varying(3)) AS is_udt_dependent{3}
FROM (pg_catalog.pg_namespace n
      JOIN pg_catalog.pg_proc p ON n.oid = p.pronamespace
      JOIN pg_catalog.pg_language l ON p.prolang = l.oid)
     LEFT JOIN (pg_catalog.pg_type t JOIN pg_catalog.pg_namespace nt ON t.typnamespace = nt.oid)
       ON p.prorettype = t.oid AND p.prokind <> 'p'
WHERE pg_catalog.pg_has_role(p.proowner, 'USAGE')
   OR pg_catalog.has_function_privilege(p.oid, 'EXECUTE'))",
                      kNullTypeDetails, kNullNumericDetails, kNullScope, result_cast));
}

void AddParameters(std::vector<std::unique_ptr<SystemRelation>>* v) {
  std::vector<SystemColumn> cols = {
      {"specific_catalog", Id()},   {"specific_schema", Id()},   {"specific_name", Id()},
      {"ordinal_position", Card()}, {"parameter_mode", Chars()}, {"is_result", YesNo()},
      {"as_locator", YesNo()},      {"parameter_name", Id()},    {"data_type", Chars()}};
  Append(&cols, TypeDescriptorColumns(true));
  Append(&cols, {{"udt_catalog", Id()}, {"udt_schema", Id()}, {"udt_name", Id()}});
  Append(&cols, ScopeColumns());
  Append(&cols, {{"dtd_identifier", Id()}, {"parameter_default", Chars()}});
  AddView(
      v, MakeRelation("parameters", 13021, 0, std::move(cols)),
      fmt::format(R"(
SELECT CAST(pg_catalog.current_database() AS name) AS specific_catalog,
       ss.n_nspname AS specific_schema,
       pg_catalog.nameconcatoid(ss.proname, ss.p_oid) AS specific_name,
       CAST((ss.x).n AS integer) AS ordinal_position,
       CAST(CASE WHEN ss.proargmodes IS NULL THEN 'IN'
                 WHEN ss.proargmodes[(ss.x).n] = 'i' THEN 'IN'
                 WHEN ss.proargmodes[(ss.x).n] = 'o' THEN 'OUT'
                 WHEN ss.proargmodes[(ss.x).n] = 'b' THEN 'INOUT'
                 WHEN ss.proargmodes[(ss.x).n] = 'v' THEN 'IN'
                 WHEN ss.proargmodes[(ss.x).n] = 't' THEN 'OUT'
            END AS character varying) AS parameter_mode,
       CAST('NO' AS character varying(3)) AS is_result,
       CAST('NO' AS character varying(3)) AS as_locator,
       CAST(NULLIF(ss.proargnames[(ss.x).n], '') AS name) AS parameter_name,
       {0} AS data_type,{1}
       CAST(NULL AS name) AS collation_catalog,
       CAST(NULL AS name) AS collation_schema,
       CAST(NULL AS name) AS collation_name,{2}
       CAST(pg_catalog.current_database() AS name) AS udt_catalog,
       nt.nspname AS udt_schema, t.typname AS udt_name,{3}
       CAST((ss.x).n AS name) AS dtd_identifier,
       CAST(CASE WHEN pg_catalog.pg_has_role(ss.proowner, 'USAGE')
                 THEN pg_catalog.pg_get_function_arg_default(ss.p_oid, (ss.x).n) END
            AS character varying) AS parameter_default
FROM pg_catalog.pg_type t, pg_catalog.pg_namespace nt,
     (SELECT n.nspname AS n_nspname, p.proname, p.oid AS p_oid, p.proowner, p.proargnames,
             p.proargmodes,
             information_schema._pg_expandarray(
               coalesce(p.proallargtypes, CAST(p.proargtypes AS oid[]))) AS x
      FROM pg_catalog.pg_namespace n, pg_catalog.pg_proc p
      WHERE n.oid = p.pronamespace
        AND (pg_catalog.pg_has_role(p.proowner, 'USAGE')
             OR pg_catalog.has_function_privilege(p.oid, 'EXECUTE'))) AS ss
WHERE t.oid = (ss.x).x AND t.typnamespace = nt.oid)",
                  DataType("t", "nt", "t.oid"), kNullTypeDetails, kNullNumericDetails, kNullScope));
}

void AddDomains(std::vector<std::unique_ptr<SystemRelation>>* v) {
  std::vector<SystemColumn> cols = {{"domain_catalog", Id()},
                                    {"domain_schema", Id()},
                                    {"domain_name", Id()},
                                    {"data_type", Chars()}};
  Append(&cols, DescriptorWithDefaultColumns());
  AddView(v, MakeRelation("domains", 13022, 0, std::move(cols)),
          fmt::format(R"(
SELECT CAST(pg_catalog.current_database() AS name) AS domain_catalog,
       nt.nspname AS domain_schema, t.typname AS domain_name,
       CAST(CASE WHEN t.typelem <> 0 AND t.typlen = -1 THEN 'ARRAY'
                 WHEN nbt.nspname = 'pg_catalog' THEN pg_catalog.format_type(t.typbasetype, NULL)
                 ELSE 'USER-DEFINED' END AS character varying) AS data_type,
       CAST({0} AS integer) AS character_maximum_length,
       CAST({1} AS integer) AS character_octet_length,
       CAST(NULL AS name) AS character_set_catalog,
       CAST(NULL AS name) AS character_set_schema,
       CAST(NULL AS name) AS character_set_name,
       CAST(CASE WHEN nco.nspname IS NOT NULL THEN pg_catalog.current_database() END AS name)
         AS collation_catalog,
       nco.nspname AS collation_schema, co.collname AS collation_name,
       CAST({2} AS integer) AS numeric_precision,
       CAST({3} AS integer) AS numeric_precision_radix,
       CAST({4} AS integer) AS numeric_scale,
       CAST({5} AS integer) AS datetime_precision,
       CAST({6} AS character varying) AS interval_type,
       CAST(NULL AS integer) AS interval_precision,
       CAST(t.typdefault AS character varying) AS domain_default,
       CAST(pg_catalog.current_database() AS name) AS udt_catalog,
       nbt.nspname AS udt_schema, bt.typname AS udt_name,{7}
       CAST(1 AS name) AS dtd_identifier
FROM (pg_catalog.pg_type t JOIN pg_catalog.pg_namespace nt ON t.typnamespace = nt.oid)
     JOIN (pg_catalog.pg_type bt JOIN pg_catalog.pg_namespace nbt ON bt.typnamespace = nbt.oid)
       ON t.typbasetype = bt.oid AND t.typtype = 'd'
     LEFT JOIN (pg_catalog.pg_collation co
                JOIN pg_catalog.pg_namespace nco ON co.collnamespace = nco.oid)
       ON t.typcollation = co.oid AND NOT (nco.nspname = 'pg_catalog' AND co.collname = 'default')
WHERE pg_catalog.pg_has_role(t.typowner, 'USAGE')
   OR pg_catalog.has_type_privilege(t.oid, 'USAGE'))",
                      CharMaxLength("t.typbasetype", "t.typtypmod"),
                      CharOctetLength("t.typbasetype", "t.typtypmod"),
                      NumericPrecision("t.typbasetype", "t.typtypmod"),
                      NumericPrecisionRadix("t.typbasetype"),
                      NumericScale("t.typbasetype", "t.typtypmod"),
                      DatetimePrecision("t.typbasetype", "t.typtypmod"),
                      IntervalType("t.typbasetype", "t.typtypmod"), kNullScope));
}

// element_types: the element type of every array-typed column, domain, parameter and result
// the user may see (PostgreSQL restricts to data_type_privileges' rows: the same owner and
// privilege tests as columns, domains and routines).
void AddElementTypes(std::vector<std::unique_ptr<SystemRelation>>* v) {
  std::vector<SystemColumn> cols = {{"object_catalog", Id()},
                                    {"object_schema", Id()},
                                    {"object_name", Id()},
                                    {"object_type", Chars()},
                                    {"collection_type_identifier", Id()},
                                    {"data_type", Chars()}};
  Append(&cols, DescriptorWithDefaultColumns());
  AddView(v, MakeRelation("element_types", 13023, 0, std::move(cols)),
          fmt::format(R"(
SELECT CAST(pg_catalog.current_database() AS name) AS object_catalog,
       n.nspname AS object_schema, x.objname AS object_name,
       CAST(x.objtype AS character varying) AS object_type,
       CAST(x.objdtdid AS name) AS collection_type_identifier,
       CAST(CASE WHEN nbt.nspname = 'pg_catalog' THEN pg_catalog.format_type(bt.oid, NULL)
                 ELSE 'USER-DEFINED' END AS character varying) AS data_type,{0}
       CAST(CASE WHEN nco.nspname IS NOT NULL THEN pg_catalog.current_database() END AS name)
         AS collation_catalog,
       nco.nspname AS collation_schema, co.collname AS collation_name,{1}
       CAST(NULL AS character varying) AS domain_default,
       CAST(pg_catalog.current_database() AS name) AS udt_catalog,
       nbt.nspname AS udt_schema, bt.typname AS udt_name,{2}
       CAST('a' || CAST(x.objdtdid AS text) AS name) AS dtd_identifier
FROM pg_catalog.pg_namespace n, pg_catalog.pg_type at, pg_catalog.pg_namespace nbt,
     pg_catalog.pg_type bt,
     (SELECT c.relnamespace, c.relname,
             CASE WHEN c.relkind = 'c' THEN 'USER-DEFINED TYPE' ELSE 'TABLE' END,
             CAST(a.attnum AS integer), a.atttypid, a.attcollation
      FROM pg_catalog.pg_class c, pg_catalog.pg_attribute a
      WHERE c.oid = a.attrelid AND c.relkind IN ('r', 'v', 'f', 'c', 'p') AND a.attnum > 0
        AND NOT a.attisdropped
        AND (pg_catalog.pg_has_role(c.relowner, 'USAGE')
             OR pg_catalog.has_column_privilege(c.oid, a.attnum,
                                                'SELECT, INSERT, UPDATE, REFERENCES'))
      UNION ALL
      SELECT t.typnamespace, t.typname, 'DOMAIN', 1, t.typbasetype, t.typcollation
      FROM pg_catalog.pg_type t
      WHERE t.typtype = 'd'
        AND (pg_catalog.pg_has_role(t.typowner, 'USAGE')
             OR pg_catalog.has_type_privilege(t.oid, 'USAGE'))
      UNION ALL
      SELECT ss.pronamespace, pg_catalog.nameconcatoid(ss.proname, ss.oid), 'ROUTINE',
             (ss.x).n, (ss.x).x, CAST(0 AS oid)
      FROM (SELECT p.pronamespace, p.proname, p.oid,
                   information_schema._pg_expandarray(
                     coalesce(p.proallargtypes, CAST(p.proargtypes AS oid[]))) AS x
            FROM pg_catalog.pg_proc p
            WHERE pg_catalog.pg_has_role(p.proowner, 'USAGE')
               OR pg_catalog.has_function_privilege(p.oid, 'EXECUTE')) AS ss
      UNION ALL
      SELECT p.pronamespace, pg_catalog.nameconcatoid(p.proname, p.oid), 'ROUTINE', 0,
             p.prorettype, CAST(0 AS oid)
      FROM pg_catalog.pg_proc p
      WHERE pg_catalog.pg_has_role(p.proowner, 'USAGE')
         OR pg_catalog.has_function_privilege(p.oid, 'EXECUTE'))
       AS x (objschema, objname, objtype, objdtdid, objtypeid, objcollation)
     LEFT JOIN (pg_catalog.pg_collation co
                JOIN pg_catalog.pg_namespace nco ON co.collnamespace = nco.oid)
       ON x.objcollation = co.oid AND NOT (nco.nspname = 'pg_catalog' AND co.collname = 'default')
WHERE n.oid = x.objschema AND at.oid = x.objtypeid AND at.typelem <> 0 AND at.typlen = -1
  AND at.typelem = bt.oid AND nbt.oid = bt.typnamespace)",
                      kNullTypeDetails, kNullNumericDetails, kNullScope));
}

void AddSequences(std::vector<std::unique_ptr<SystemRelation>>* v) {
  // An identity column's sequence is an internal part of its table (pg_depend deptype 'i'),
  // not listed.
  AddView(v,
          MakeRelation("sequences", 13024, 0,
                       {{"sequence_catalog", Id()},
                        {"sequence_schema", Id()},
                        {"sequence_name", Id()},
                        {"data_type", Chars()},
                        {"numeric_precision", Card()},
                        {"numeric_precision_radix", Card()},
                        {"numeric_scale", Card()},
                        {"start_value", Chars()},
                        {"minimum_value", Chars()},
                        {"maximum_value", Chars()},
                        {"increment", Chars()},
                        {"cycle_option", YesNo()}}),
          fmt::format(R"(
SELECT CAST(pg_catalog.current_database() AS name) AS sequence_catalog,
       nc.nspname AS sequence_schema, c.relname AS sequence_name,
       CAST(pg_catalog.format_type(s.seqtypid, NULL) AS character varying) AS data_type,
       CAST({} AS integer) AS numeric_precision,
       CAST(2 AS integer) AS numeric_precision_radix,
       CAST(0 AS integer) AS numeric_scale,
       CAST(CAST(s.seqstart AS text) AS character varying) AS start_value,
       CAST(CAST(s.seqmin AS text) AS character varying) AS minimum_value,
       CAST(CAST(s.seqmax AS text) AS character varying) AS maximum_value,
       CAST(CAST(s.seqincrement AS text) AS character varying) AS increment,
       CAST(CASE WHEN s.seqcycle THEN 'YES' ELSE 'NO' END AS character varying(3)) AS cycle_option
FROM pg_catalog.pg_namespace nc, pg_catalog.pg_class c, pg_catalog.pg_sequence s
WHERE c.relnamespace = nc.oid AND c.relkind = 'S'
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                  WHERE d.classid = 1259 AND d.objid = c.oid AND d.deptype = 'i')
  AND NOT pg_catalog.pg_is_other_temp_schema(nc.oid)
  AND c.oid = s.seqrelid
  AND (pg_catalog.pg_has_role(c.relowner, 'USAGE')
       OR pg_catalog.has_sequence_privilege(c.oid, 'SELECT, UPDATE, USAGE')))",
                      NumericPrecision("s.seqtypid", "-1")));
}

void AddCharacterSets(std::vector<std::unique_ptr<SystemRelation>>* v) {
  // The database's encoding and the collation matching its datcollate and datctype (the
  // longest name first: the canonical one).
  AddView(v,
          MakeRelation("character_sets", 13025, 0,
                       {{"character_set_catalog", Id()},
                        {"character_set_schema", Id()},
                        {"character_set_name", Id()},
                        {"character_repertoire", Id()},
                        {"form_of_use", Id()},
                        {"default_collate_catalog", Id()},
                        {"default_collate_schema", Id()},
                        {"default_collate_name", Id()}}),
          R"(
SELECT CAST(NULL AS name) AS character_set_catalog,
       CAST(NULL AS name) AS character_set_schema,
       CAST(pg_catalog.getdatabaseencoding() AS name) AS character_set_name,
       CAST(CASE WHEN pg_catalog.getdatabaseencoding() = 'UTF8' THEN 'UCS'
                 ELSE pg_catalog.getdatabaseencoding() END AS name) AS character_repertoire,
       CAST(pg_catalog.getdatabaseencoding() AS name) AS form_of_use,
       CAST(pg_catalog.current_database() AS name) AS default_collate_catalog,
       nc.nspname AS default_collate_schema, c.collname AS default_collate_name
FROM pg_catalog.pg_database d
     LEFT JOIN (pg_catalog.pg_collation c
                JOIN pg_catalog.pg_namespace nc ON c.collnamespace = nc.oid)
       ON d.datcollate = c.collcollate AND d.datctype = c.collctype
WHERE d.datname = pg_catalog.current_database()
ORDER BY pg_catalog.char_length(c.collname) DESC, c.collname ASC
LIMIT 1)");
}

void AddConstraintColumnUsage(std::vector<std::unique_ptr<SystemRelation>>* v) {
  // A CHECK constraint uses the columns its expression reads (pg_depend's normal dependencies
  // of the constraint on the columns); a key uses its columns, a foreign key the referenced
  // ones.
  AddView(v,
          MakeRelation("constraint_column_usage", 13026, 0,
                       {{"table_catalog", Id()},
                        {"table_schema", Id()},
                        {"table_name", Id()},
                        {"column_name", Id()},
                        {"constraint_catalog", Id()},
                        {"constraint_schema", Id()},
                        {"constraint_name", Id()}}),
          R"(
SELECT CAST(pg_catalog.current_database() AS name) AS table_catalog,
       x.tblschema AS table_schema, x.tblname AS table_name, x.colname AS column_name,
       CAST(pg_catalog.current_database() AS name) AS constraint_catalog,
       x.cstrschema AS constraint_schema, x.cstrname AS constraint_name
FROM (SELECT DISTINCT nr.nspname, r.relname, r.relowner, a.attname, nc.nspname, c.conname
      FROM pg_catalog.pg_namespace nr, pg_catalog.pg_class r, pg_catalog.pg_attribute a,
           pg_catalog.pg_depend d, pg_catalog.pg_namespace nc, pg_catalog.pg_constraint c
      WHERE nr.oid = r.relnamespace AND r.oid = a.attrelid AND d.refclassid = 1259
        AND d.refobjid = r.oid AND d.refobjsubid = a.attnum AND d.classid = 2606
        AND d.objid = c.oid AND c.connamespace = nc.oid AND c.contype = 'c'
        AND r.relkind IN ('r', 'p') AND NOT a.attisdropped
      UNION ALL
      SELECT nr.nspname, r.relname, r.relowner, a.attname, nc.nspname, c.conname
      FROM pg_catalog.pg_namespace nr, pg_catalog.pg_class r, pg_catalog.pg_attribute a,
           pg_catalog.pg_namespace nc, pg_catalog.pg_constraint c
      WHERE nr.oid = r.relnamespace AND r.oid = a.attrelid AND nc.oid = c.connamespace
        AND r.oid = CASE c.contype WHEN 'f' THEN c.confrelid ELSE c.conrelid END
        AND a.attnum = ANY (CASE c.contype WHEN 'f' THEN c.confkey ELSE c.conkey END)
        AND NOT a.attisdropped AND c.contype IN ('p', 'u', 'f') AND r.relkind IN ('r', 'p'))
       AS x (tblschema, tblname, tblowner, colname, cstrschema, cstrname)
WHERE pg_catalog.pg_has_role(x.tblowner, 'USAGE'))");
}

}  // namespace

void AddRoutineViews(std::vector<std::unique_ptr<SystemRelation>>* out) {
  AddRoutines(out);
  AddParameters(out);
  AddDomains(out);
  AddElementTypes(out);
  AddSequences(out);
  AddCharacterSets(out);
  AddConstraintColumnUsage(out);
}

}  // namespace activestore::planner::pg_catalog::infoschema
