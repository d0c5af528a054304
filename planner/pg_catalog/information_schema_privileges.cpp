// information_schema views of roles and privileges: enabled_roles, applicable_roles,
// table_privileges, role_table_grants, column_privileges, as PostgreSQL 15 defines them
// (src/backend/catalog/information_schema.sql): each grant of an access control list
// (aclexplode over relacl / attacl, or the owner's default ACL when none is stored) that the
// current user granted, received, or received through PUBLIC.
#include "planner/pg_catalog/information_schema_util.h"

namespace activestore::planner::pg_catalog::infoschema {
namespace {

// The grantee of an ACL entry: a role, or PUBLIC (oid 0).
constexpr const char* kGrantees = R"(
     (SELECT oid, rolname FROM pg_catalog.pg_authid
      UNION ALL
      SELECT CAST(0 AS oid), CAST('PUBLIC' AS name)) AS grantee (oid, rolname))";

void AddRoles(std::vector<std::unique_ptr<SystemRelation>>* v) {
  AddView(v, MakeRelation("enabled_roles", 13030, 0, {{"role_name", Id()}}), R"(
SELECT a.rolname AS role_name
FROM pg_catalog.pg_authid a
WHERE pg_catalog.pg_has_role(a.oid, 'USAGE'))");
  // The memberships of the roles the user has, and the database owner's implicit membership
  // in pg_database_owner.
  AddView(v,
          MakeRelation("applicable_roles", 13031, 0,
                       {{"grantee", Id()}, {"role_name", Id()}, {"is_grantable", YesNo()}}),
          R"(
SELECT a.rolname AS grantee, b.rolname AS role_name,
       CAST(CASE WHEN m.admin_option THEN 'YES' ELSE 'NO' END AS character varying(3))
         AS is_grantable
FROM (SELECT member, roleid, admin_option FROM pg_catalog.pg_auth_members
      UNION
      SELECT d.datdba, r.oid, false
      FROM pg_catalog.pg_database d, pg_catalog.pg_authid r
      WHERE d.datname = pg_catalog.current_database() AND r.rolname = 'pg_database_owner') m
     JOIN pg_catalog.pg_authid a ON m.member = a.oid
     JOIN pg_catalog.pg_authid b ON m.roleid = b.oid
WHERE pg_catalog.pg_has_role(a.oid, 'USAGE'))");
}

void AddTablePrivileges(std::vector<std::unique_ptr<SystemRelation>>* v) {
  std::vector<SystemColumn> cols = {{"grantor", Id()},         {"grantee", Id()},
                                    {"table_catalog", Id()},   {"table_schema", Id()},
                                    {"table_name", Id()},      {"privilege_type", Chars()},
                                    {"is_grantable", YesNo()}, {"with_hierarchy", YesNo()}};
  AddView(v, MakeRelation("table_privileges", 13032, 0, cols),
          std::string(R"(
SELECT u_grantor.rolname AS grantor, grantee.rolname AS grantee,
       CAST(pg_catalog.current_database() AS name) AS table_catalog,
       nc.nspname AS table_schema, c.relname AS table_name,
       CAST(e.privilege_type AS character varying) AS privilege_type,
       CAST(CASE WHEN pg_catalog.pg_has_role(grantee.oid, c.relowner, 'USAGE') OR e.is_grantable
                 THEN 'YES' ELSE 'NO' END AS character varying(3)) AS is_grantable,
       CAST(CASE WHEN e.privilege_type = 'SELECT' THEN 'YES' ELSE 'NO' END
            AS character varying(3)) AS with_hierarchy
FROM pg_catalog.pg_class c,
     LATERAL pg_catalog.aclexplode(coalesce(c.relacl, pg_catalog.acldefault('r', c.relowner))) e,
     pg_catalog.pg_namespace nc, pg_catalog.pg_authid u_grantor,)") +
              kGrantees + R"(
WHERE c.relnamespace = nc.oid AND c.relkind IN ('r', 'v', 'f', 'p')
  AND e.grantee = grantee.oid AND e.grantor = u_grantor.oid
  AND e.privilege_type IN ('INSERT', 'SELECT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES',
                           'TRIGGER')
  AND (pg_catalog.pg_has_role(u_grantor.oid, 'USAGE')
       OR pg_catalog.pg_has_role(grantee.oid, 'USAGE')
       OR grantee.rolname = 'PUBLIC'))");
  AddView(v, MakeRelation("role_table_grants", 13033, 0, std::move(cols)), R"(
SELECT grantor, grantee, table_catalog, table_schema, table_name, privilege_type, is_grantable,
       with_hierarchy
FROM information_schema.table_privileges
WHERE grantor IN (SELECT role_name FROM information_schema.enabled_roles)
   OR grantee IN (SELECT role_name FROM information_schema.enabled_roles))");
}

void AddColumnPrivileges(std::vector<std::unique_ptr<SystemRelation>>* v) {
  // A column's privileges are those of its table's ACL and those granted on the column itself.
  AddView(v,
          MakeRelation("column_privileges", 13034, 0,
                       {{"grantor", Id()},
                        {"grantee", Id()},
                        {"table_catalog", Id()},
                        {"table_schema", Id()},
                        {"table_name", Id()},
                        {"column_name", Id()},
                        {"privilege_type", Chars()},
                        {"is_grantable", YesNo()}}),
          std::string(R"(
SELECT u_grantor.rolname AS grantor, grantee.rolname AS grantee,
       CAST(pg_catalog.current_database() AS name) AS table_catalog,
       nc.nspname AS table_schema, x.relname AS table_name, x.attname AS column_name,
       CAST(x.prtype AS character varying) AS privilege_type,
       CAST(CASE WHEN pg_catalog.pg_has_role(x.grantee, x.relowner, 'USAGE') OR x.grantable
                 THEN 'YES' ELSE 'NO' END AS character varying(3)) AS is_grantable
FROM (SELECT e.grantor, e.grantee, a.attname, c.relname, c.relnamespace,
             e.privilege_type, e.is_grantable, c.relowner
      FROM pg_catalog.pg_class c,
           LATERAL pg_catalog.aclexplode(coalesce(c.relacl,
                                                  pg_catalog.acldefault('r', c.relowner))) e,
           pg_catalog.pg_attribute a
      WHERE c.relkind IN ('r', 'v', 'f', 'p') AND a.attrelid = c.oid AND a.attnum > 0
        AND NOT a.attisdropped
      UNION
      SELECT e.grantor, e.grantee, a.attname, c.relname, c.relnamespace,
             e.privilege_type, e.is_grantable, c.relowner
      FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON a.attrelid = c.oid,
           LATERAL pg_catalog.aclexplode(coalesce(a.attacl,
                                                  pg_catalog.acldefault('c', c.relowner))) e
      WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'v', 'f', 'p'))
       AS x (grantor, grantee, attname, relname, relnamespace, prtype, grantable, relowner),
     pg_catalog.pg_namespace nc, pg_catalog.pg_authid u_grantor,)") +
              kGrantees + R"(
WHERE x.relnamespace = nc.oid AND x.grantee = grantee.oid AND x.grantor = u_grantor.oid
  AND x.prtype IN ('INSERT', 'SELECT', 'UPDATE', 'REFERENCES')
  AND (pg_catalog.pg_has_role(u_grantor.oid, 'USAGE')
       OR pg_catalog.pg_has_role(grantee.oid, 'USAGE')
       OR grantee.rolname = 'PUBLIC'))");
}

}  // namespace

void AddPrivilegeViews(std::vector<std::unique_ptr<SystemRelation>>* out) {
  AddRoles(out);
  AddTablePrivileges(out);
  AddColumnPrivileges(out);
}

}  // namespace activestore::planner::pg_catalog::infoschema
