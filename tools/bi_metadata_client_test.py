#!/usr/bin/python3
"""DBeaver's, Metabase's and Grafana's metadata queries return on ActiveStore what PostgreSQL 15
returns.

  tools/bi_metadata_client_test.py --server build/dev/activestore [--reference tools/pg_shim.py]

Starts the server under test and a reference PostgreSQL 15 (tools/pg_shim.py, which runs the
postgresql-15 package's server), each with a fresh temporary data directory, and loads the
reference schema (sql-tests/catalog/psql/schema.sql: tables with primary, unique, foreign key,
check and not-null constraints, defaults, serial and identity columns, plain, expression and
partial indexes, a view, a sequence, comments, a second schema, functions, a procedure,
inheritance, an enum, a composite type and a domain) into both. Then it sends each tool's
metadata queries, as the tool's source builds them (the file is named beside each query), to both
servers and compares the results: the column names and types, and the rows as the server sends
them (in order where the query's ORDER BY fixes the order, else as sorted lists). Where a tool
passes parameters, they are sent as literals (psycopg2), with the values the tool would bind
(the schemas public and s2, their oids, a table's oid). Metabase builds its queries with
HoneySQL: they are written out as HoneySQL 2 renders them with Metabase's quoting.

Normalisation, kept to what legitimately differs between two servers holding the same schema:
- oid-typed values (oid, regclass, oidvector) of user objects (>= 16384) become the object's
  kind and name (each server numbers its objects itself);
- the columns of STORAGE (page counts, file numbers, sizes, freeze horizons, toast relations)
  become `<storage>`: they describe the storage engine's files, not the schema;
- pg_node_tree values (conbin, adbin, indexprs, indpred, proargdefaults, prosqlbody, ...) become
  `<pg_node_tree>`: they are the planner's internal form, read by clients through pg_get_expr
  (ActiveStore keeps the expression's text there, typed text: the one column type allowance);
- version() keeps `PostgreSQL` and the major version (the minor release, build and platform
  differ).
Queries over built-in catalog content (all types, access methods, roles, encodings) compare as a
subset: every row ActiveStore returns must be PostgreSQL's row, every row of a user object must
be there, and the built-in rows ActiveStore does not have are counted and printed.
Queries that still differ for a reason README.md lists under "Not yet" are in KNOWN_DIFFERENCES
with that reason: each must still differ (a difference that goes away fails until its entry is
removed), and any other difference fails.
The last line is `N passed, N failed`; exit code 1 if any failed.
"""

import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client_harness import run_with_reference  # noqa: E402  (same folder)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHEMA = os.path.join(ROOT, "sql-tests", "catalog", "psql", "schema.sql")
ENV = dict(os.environ, PGPASSWORD="postgres", LC_ALL="C.UTF-8")
FIRST_USER_OID = 16384
OID_TYPES = {26, 2205}  # oid, regclass
OIDVECTOR = 30
PG_NODE_TREE = 194
# bool[], name[], int2[], int4[], text[], oid[], int8[], float4[], aclitem[], regtype[], char[]
RAW_ARRAYS = (1000, 1003, 1005, 1007, 1009, 1028, 1016, 1021, 1034, 2211, 1002)
# Column types PostgreSQL has and ActiveStore does not, whose values clients read as text:
# pg_node_tree (ActiveStore keeps an expression's text, which pg_get_expr returns).
TYPE_ALLOWANCES = {(PG_NODE_TREE, 25)}
STORAGE = {"relfilenode", "relpages", "reltuples", "relallvisible", "reltoastrelid",
           "relfrozenxid", "relminmxid", "datfrozenxid", "datminmxid", "index_rel_size",
           "total_rel_size", "rel_size", "pg_database_size"}

# Title prefix -> why it still differs (README.md "Not yet"); none at present.
KNOWN_DIFFERENCES: dict = {}

DBEAVER = "dbeaver/dbeaver plugins/org.jkiss.dbeaver.ext.postgresql/src/org/jkiss/dbeaver/" \
          "ext/postgresql/model/"
METABASE = "metabase/metabase src/metabase/driver/postgres.clj"
GRAFANA_TS = "grafana/grafana public/app/plugins/datasource/grafana-postgresql-datasource/" \
             "postgresMetaQuery.ts"
GRAFANA_GO = "grafana/grafana pkg/tsdb/grafana-postgresql-datasource/schema.go"

# Grafana's search_path filter (postgresMetaQuery.ts, buildSchemaConstraint).
GRAFANA_SCHEMA_CONSTRAINT = """
          quote_ident(table_schema) IN (
          SELECT
            CASE WHEN trim(s[i]) = '"$user"' THEN user ELSE trim(s[i]) END
          FROM
            generate_series(
              array_lower(string_to_array(current_setting('search_path'),','),1),
              array_upper(string_to_array(current_setting('search_path'),','),1)
            ) as i,
            string_to_array(current_setting('search_path'),',') s
          )"""


def grafana_get_schema(table):
    """postgresMetaQuery.ts getSchema(table): the column picker."""
    part = "'" + table.replace("'", "''") + "'"
    return """SELECT quote_ident(column_name) AS "column", data_type AS "type"
    FROM information_schema.columns
    WHERE
      CASE WHEN array_length(parse_ident(%s),1) = 2
        THEN quote_ident(table_schema) = (parse_ident(%s))[1]
          AND quote_ident(table_name) = (parse_ident(%s))[2]
        ELSE quote_ident(table_name) = %s
          AND %s
      END""" % (part, part, part, part, GRAFANA_SCHEMA_CONSTRAINT)


def q(tool, source, name, sql, params=(), ordered=False, subset=False):
    """One query: params is a tuple of values or of callables of the server's lookups."""
    return {"tool": tool, "source": source, "name": name, "sql": sql, "params": params,
            "ordered": ordered, "subset": subset}


def ns(name):
    return lambda ids: ids["nsp:" + name]


def rel(name):
    return lambda ids: ids["rel:" + name]


QUERIES = [
    # --- DBeaver: connecting (PostgreDataSource.java, PostgreExecutionContext.java) ---
    q("dbeaver", DBEAVER + "PostgreDataSource.java", "version", "SELECT version()"),
    q("dbeaver", DBEAVER + "PostgreDataSource.java", "current database",
      "SELECT current_database()"),
    q("dbeaver", DBEAVER + "PostgreDataSource.java", "database list",
      "SELECT db.oid,db.* FROM pg_catalog.pg_database db WHERE 1 = 1 AND datallowconn"
      " AND NOT datistemplate OR db.datname =%s\nORDER BY db.datname", ("postgres",),
      ordered=True),
    q("dbeaver", DBEAVER + "PostgreExecutionContext.java", "context defaults",
      "SELECT current_schema(),session_user"),
    q("dbeaver", DBEAVER + "PostgreExecutionContext.java", "search path", "SHOW search_path"),
    q("dbeaver", DBEAVER + "PostgreDataSource.java", "setting lookup",
      "select * from pg_catalog.pg_settings where name=%s", ("search_path",)),
    q("dbeaver", DBEAVER + "PostgreDataSource.java", "setting lookup",
      "select * from pg_catalog.pg_settings where name=%s", ("standard_conforming_strings",)),
    q("dbeaver", DBEAVER + "PostgreDataSource.java", "database sizes",
      "SELECT db.datname,pg_database_size(db.oid) FROM pg_catalog.pg_database db WHERE db.oid=%s",
      (lambda ids: ids["db"],)),
    # --- DBeaver: the database node (PostgreDatabase.java) ---
    q("dbeaver", DBEAVER + "PostgreDatabase.java", "database info",
      "SELECT db.oid,db.* FROM pg_catalog.pg_database db WHERE datname=%s", ("postgres",)),
    q("dbeaver", DBEAVER + "PostgreDatabase.java", "database description",
      "select description from pg_shdescription join pg_database on objoid = pg_database.oid"
      " where datname = %s", ("postgres",)),
    q("dbeaver", DBEAVER + "PostgreDatabase.java", "schemas",
      "SELECT n.oid,n.*,d.description FROM pg_catalog.pg_namespace n\n"
      "LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=n.oid AND d.objsubid=0"
      " AND d.classoid='pg_namespace'::regclass\n ORDER BY nspname", ordered=True, subset=True),
    q("dbeaver", DBEAVER + "PostgreDatabase.java", "roles",
      "SELECT a.oid,a.*,pd.description FROM pg_catalog.pg_roles a \n"
      "left join pg_catalog.pg_shdescription pd on a.oid = pd.objoid\nORDER BY a.rolname",
      subset=True),
    q("dbeaver", DBEAVER + "PostgreDatabase.java", "access methods",
      "SELECT am.oid,am.* FROM pg_catalog.pg_am am \nORDER BY am.oid", subset=True),
    q("dbeaver", DBEAVER + "PostgreDatabase.java", "encodings",
      "SELECT c.contoencoding as encid,pg_catalog.pg_encoding_to_char(c.contoencoding) as encname\n"
      "FROM pg_catalog.pg_conversion c\nGROUP BY c.contoencoding\nORDER BY 2\n", subset=True),
    q("dbeaver", DBEAVER + "PostgreDatabase.java", "data types",
      "SELECT t.oid,t.*,c.relkind,format_type(nullif(t.typbasetype, 0), t.typtypmod)"
      " as base_type_name, d.description\nFROM pg_catalog.pg_type t"
      "\nLEFT OUTER JOIN pg_catalog.pg_type et ON et.oid=t.typelem "
      "\nLEFT OUTER JOIN pg_catalog.pg_class c ON c.oid=t.typrelid"
      "\nLEFT OUTER JOIN pg_catalog.pg_description d ON t.oid=d.objoid"
      "\nWHERE t.typname IS NOT NULL"
      "\nAND (c.relkind IS NULL OR c.relkind = 'c') AND (et.typcategory IS NULL OR"
      " et.typcategory <> 'C')", subset=True),
    q("dbeaver", DBEAVER + "PostgreDatabase.java", "enum values",
      "SELECT * FROM pg_catalog.pg_enum"),
]

# --- DBeaver: a schema's children (PostgreSchema.java), for public and s2 ---
for schema in ("public", "s2"):
    QUERIES += [
        q("dbeaver", DBEAVER + "PostgreSchema.java", "tables of " + schema,
          "SELECT c.oid,c.*,d.description,pg_catalog.pg_get_expr(c.relpartbound, c.oid)"
          " as partition_expr,  pg_catalog.pg_get_partkeydef(c.oid) as partition_key "
          "\nFROM pg_catalog.pg_class c\n"
          "LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=c.oid AND d.objsubid=0"
          " AND d.classoid='pg_class'::regclass\n"
          "WHERE c.relnamespace=%s AND c.relkind not in ('i','I','c')", (ns(schema),)),
        q("dbeaver", DBEAVER + "PostgreSchema.java", "columns of " + schema,
          "SELECT c.relname,a.*,pg_catalog.pg_get_expr(ad.adbin, ad.adrelid, true) as def_value,"
          "dsc.description,dep.objid"
          "\nFROM pg_catalog.pg_attribute a"
          "\nINNER JOIN pg_catalog.pg_class c ON (a.attrelid=c.oid)"
          "\nLEFT OUTER JOIN pg_catalog.pg_attrdef ad ON (a.attrelid=ad.adrelid"
          " AND a.attnum = ad.adnum)"
          "\nLEFT OUTER JOIN pg_catalog.pg_description dsc ON (c.oid=dsc.objoid"
          " AND a.attnum = dsc.objsubid)"
          "\nLEFT OUTER JOIN pg_depend dep on dep.refobjid = a.attrelid AND dep.deptype = 'i' "
          "and dep.refobjsubid = a.attnum and dep.classid = dep.refclassid"
          "\nWHERE NOT a.attisdropped AND c.relkind not in ('i','I','c') AND c.relnamespace=%s"
          "\nORDER BY a.attnum", (ns(schema),)),
        q("dbeaver", DBEAVER + "PostgreSchema.java", "constraints of " + schema,
          "SELECT c.oid,c.*,t.relname as tabrelname,rt.relnamespace as refnamespace,"
          "d.description, case when c.contype='c' then \"substring\"(pg_get_constraintdef(c.oid),"
          " 7) else null end consrc_copy"
          "\nFROM pg_catalog.pg_constraint c"
          "\nINNER JOIN pg_catalog.pg_class t ON t.oid=c.conrelid"
          "\nLEFT OUTER JOIN pg_catalog.pg_class rt ON rt.oid=c.confrelid"
          "\nLEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=c.oid AND d.objsubid=0"
          " AND d.classoid='pg_constraint'::regclass"
          "\nWHERE t.relnamespace=%s\nORDER BY c.oid", (ns(schema),)),
        q("dbeaver", DBEAVER + "PostgreSchema.java", "indexes of " + schema,
          "SELECT i.*,i.indkey as keys,c.relname,c.relnamespace,c.relam,c.reltablespace,"
          "tc.relname as tabrelname,dsc.description"
          ",pg_catalog.pg_get_expr(i.indpred, i.indrelid) as pred_expr"
          ",pg_catalog.pg_get_expr(i.indexprs, i.indrelid, true) as expr"
          ",pg_catalog.pg_relation_size(i.indexrelid) as index_rel_size"
          ",pg_catalog.pg_stat_get_numscans(i.indexrelid) as index_num_scans"
          "\nFROM pg_catalog.pg_index i"
          "\nINNER JOIN pg_catalog.pg_class c ON c.oid=i.indexrelid"
          "\nINNER JOIN pg_catalog.pg_class tc ON tc.oid=i.indrelid"
          "\nLEFT OUTER JOIN pg_catalog.pg_description dsc ON i.indexrelid=dsc.objoid"
          "\nWHERE  c.relnamespace=%s ORDER BY c.relname", (ns(schema),), ordered=True),
        q("dbeaver", DBEAVER + "PostgreSchema.java", "functions of " + schema,
          "SELECT p.oid as poid,p.*,pg_catalog.pg_get_expr(p.proargdefaults, 0) as arg_defaults,"
          "d.description\n"
          "FROM pg_catalog.pg_proc p\n"
          "LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=p.oid and"
          " d.classoid='pg_proc'::regclass  AND d.objsubid = 0"
          "\nWHERE p.pronamespace=%s\nORDER BY p.proname", (ns(schema),), ordered=True),
        q("dbeaver", DBEAVER + "PostgreSchema.java", "inheritance in " + schema,
          "SELECT i.inhrelid relid, pc.relnamespace parent_ns, pc.oid parent_oid, i.inhseqno\n"
          "FROM pg_catalog.pg_inherits i, pg_class rc, pg_class pc\n"
          "WHERE rc.oid=i.inhrelid AND rc.relnamespace=%s AND pc.oid=i.inhparent",
          (ns(schema),)),
        q("dbeaver", DBEAVER + "PostgreSchema.java", "relation sizes in " + schema,
          "select c.oid,pg_catalog.pg_total_relation_size(c.oid) as total_rel_size,"
          "pg_catalog.pg_relation_size(c.oid) as rel_size\nFROM pg_class c\n"
          "WHERE c.relnamespace=%s", (ns(schema),)),
    ]

QUERIES += [
    q("dbeaver", DBEAVER + "PostgreSchema.java", "index column expression",
      "select pg_catalog.pg_get_indexdef(%s, %s, true)", (rel("s2.items_lower_label_idx"), 1)),
    q("dbeaver", DBEAVER + "PostgreTableReal.java", "table statistics",
      "select pg_catalog.pg_total_relation_size(%s) as total_rel_size,"
      "pg_catalog.pg_relation_size(%s) as rel_size", (rel("public.t"), rel("public.t"))),
    q("dbeaver", DBEAVER + "PostgreTableReal.java", "triggers",
      "SELECT x.oid,x.*,p.pronamespace as func_schema_id,d.description"
      "\nFROM pg_catalog.pg_trigger x"
      "\nLEFT OUTER JOIN pg_catalog.pg_proc p ON p.oid=x.tgfoid "
      "\nLEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=x.oid AND d.objsubid=0 "
      "\nWHERE x.tgrelid = %s AND NOT x.tgisinternal", (rel("public.t"),)),
    q("dbeaver", DBEAVER + "PostgreSequence.java", "sequence info",
      "SELECT * from pg_catalog.pg_sequences WHERE schemaname=%s AND sequencename=%s",
      ("public", "seq1")),
    q("dbeaver", DBEAVER + "PostgreViewBase.java", "view definition",
      "SELECT pg_get_viewdef(%s, true)", (rel("public.v"),)),

    # --- Metabase (src/metabase/driver/postgres.clj; the HoneySQL maps rendered as HoneySQL 2
    # renders them with Metabase's quoting, the schemas filter set to public and s2) ---
    q("metabase", METABASE + " db-default-timezone", "timezone", "show timezone;"),
    q("metabase", METABASE + " enum-types", "enum types",
      "SELECT nspname, typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
      "WHERE t.oid IN (SELECT DISTINCT enumtypid FROM pg_enum e)"),
    q("metabase", METABASE + " get-tables-sql", "tables",
      "SELECT \"n\".\"nspname\" AS \"schema\", \"c\".\"relname\" AS \"name\", CASE \"c\".\"relkind\""
      " WHEN 'r' THEN 'TABLE' WHEN 'p' THEN 'PARTITIONED TABLE' WHEN 'v' THEN 'VIEW'"
      " WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE NULL END AS \"type\","
      " \"d\".\"description\" AS \"description\", \"stat\".\"n_live_tup\" AS"
      " \"estimated_row_count\" FROM \"pg_catalog\".\"pg_class\" AS \"c\" INNER JOIN"
      " \"pg_catalog\".\"pg_namespace\" AS \"n\" ON \"c\".\"relnamespace\" = \"n\".\"oid\""
      " LEFT JOIN \"pg_catalog\".\"pg_description\" AS \"d\" ON (\"c\".\"oid\" = \"d\".\"objoid\")"
      " AND (\"d\".\"objsubid\" = %s) AND (\"d\".\"classoid\" = 'pg_class'::regclass)"
      " LEFT JOIN \"pg_stat_user_tables\" AS \"stat\" ON (\"n\".\"nspname\" = \"stat\".\"schemaname\")"
      " AND (\"c\".\"relname\" = \"stat\".\"relname\") WHERE (\"c\".\"relnamespace\" = \"n\".\"oid\")"
      " AND (\"n\".\"nspname\" !~ %s) AND (\"n\".\"nspname\" <> %s)"
      " AND c.relkind in ('r', 'p', 'v', 'f', 'm') AND (\"n\".\"nspname\" IN (%s, %s))"
      " ORDER BY \"type\" ASC, \"schema\" ASC, \"name\" ASC",
      (0, "^pg_", "information_schema", "public", "s2"), ordered=True),
    q("metabase", METABASE + " describe-fields-sql", "fields",
      "SELECT \"c\".\"column_name\" AS \"name\", CASE WHEN \"c\".\"udt_schema\" IN ('public',"
      " 'pg_catalog') THEN FORMAT('%%s', \"c\".\"udt_name\") ELSE FORMAT('\"%%s\".\"%%s\"',"
      " \"c\".\"udt_schema\", \"c\".\"udt_name\") END AS \"database-type\","
      " \"c\".\"ordinal_position\" - 1 AS \"database-position\", \"c\".\"table_schema\" AS"
      " \"table-schema\", \"c\".\"table_name\" AS \"table-name\", \"pk\".\"column_name\" IS NOT NULL"
      " AS \"pk?\", COL_DESCRIPTION(CAST(CAST(FORMAT('%%I.%%I', CAST(\"c\".\"table_schema\" AS TEXT),"
      " CAST(\"c\".\"table_name\" AS TEXT)) AS REGCLASS) AS OID), \"c\".\"ordinal_position\") AS"
      " \"field-comment\", ((\"column_default\" IS NULL) OR (LOWER(\"column_default\") = 'null'))"
      " AND (\"is_nullable\" = 'NO') AND NOT (((\"column_default\" IS NOT NULL) AND"
      " (\"column_default\" LIKE '%%nextval(%%')) OR (\"is_identity\" <> 'NO')) AS"
      " \"database-required\", ((\"column_default\" IS NOT NULL) AND (\"column_default\" LIKE"
      " '%%nextval(%%')) OR (\"is_identity\" <> 'NO') AS \"database-is-auto-increment\""
      " FROM \"information_schema\".\"columns\" AS \"c\" LEFT JOIN (SELECT \"tc\".\"table_schema\","
      " \"tc\".\"table_name\", \"kc\".\"column_name\" FROM \"information_schema\".\"table_constraints\""
      " AS \"tc\" INNER JOIN \"information_schema\".\"key_column_usage\" AS \"kc\" ON"
      " (\"tc\".\"constraint_name\" = \"kc\".\"constraint_name\") AND (\"tc\".\"table_schema\" ="
      " \"kc\".\"table_schema\") AND (\"tc\".\"table_name\" = \"kc\".\"table_name\") WHERE"
      " \"tc\".\"constraint_type\" = 'PRIMARY KEY') AS \"pk\" ON (\"c\".\"table_schema\" ="
      " \"pk\".\"table_schema\") AND (\"c\".\"table_name\" = \"pk\".\"table_name\") AND"
      " (\"c\".\"column_name\" = \"pk\".\"column_name\") WHERE c.table_schema !~"
      " '^information_schema|catalog_history|pg_' AND (\"c\".\"table_schema\" IN (%s, %s))"
      " UNION ALL SELECT \"pa\".\"attname\" AS \"name\", CASE WHEN \"ptn\".\"nspname\" IN ('public',"
      " 'pg_catalog') THEN FORMAT('%%s', \"pt\".\"typname\") ELSE FORMAT('\"%%s\".\"%%s\"',"
      " \"ptn\".\"nspname\", \"pt\".\"typname\") END AS \"database-type\", \"pa\".\"attnum\" - 1 AS"
      " \"database-position\", \"pn\".\"nspname\" AS \"table-schema\", \"pc\".\"relname\" AS"
      " \"table-name\", FALSE AS \"pk?\", NULL AS \"field-comment\", FALSE AS \"database-required\","
      " FALSE AS \"database-is-auto-increment\" FROM \"pg_catalog\".\"pg_class\" AS \"pc\""
      " INNER JOIN \"pg_catalog\".\"pg_namespace\" AS \"pn\" ON \"pn\".\"oid\" = \"pc\".\"relnamespace\""
      " INNER JOIN \"pg_catalog\".\"pg_attribute\" AS \"pa\" ON \"pa\".\"attrelid\" = \"pc\".\"oid\""
      " INNER JOIN \"pg_catalog\".\"pg_type\" AS \"pt\" ON \"pt\".\"oid\" = \"pa\".\"atttypid\""
      " INNER JOIN \"pg_catalog\".\"pg_namespace\" AS \"ptn\" ON \"ptn\".\"oid\" = \"pt\".\"typnamespace\""
      " WHERE (\"pc\".\"relkind\" = 'm') AND (\"pa\".\"attnum\" >= 1) AND (\"pn\".\"nspname\" IN"
      " (%s, %s)) ORDER BY \"table-schema\" ASC, \"table-name\" ASC, \"database-position\" ASC",
      ("public", "s2", "public", "s2"), ordered=True),
    q("metabase", METABASE + " describe-fks-sql", "foreign keys",
      "SELECT \"fk_ns\".\"nspname\" AS \"fk-table-schema\", \"fk_table\".\"relname\" AS"
      " \"fk-table-name\", \"fk_column\".\"attname\" AS \"fk-column-name\", \"pk_ns\".\"nspname\" AS"
      " \"pk-table-schema\", \"pk_table\".\"relname\" AS \"pk-table-name\", \"pk_column\".\"attname\""
      " AS \"pk-column-name\" FROM \"pg_constraint\" AS \"c\" INNER JOIN \"pg_class\" AS \"fk_table\""
      " ON \"c\".\"conrelid\" = \"fk_table\".\"oid\" INNER JOIN \"pg_namespace\" AS \"fk_ns\" ON"
      " \"c\".\"connamespace\" = \"fk_ns\".\"oid\" INNER JOIN \"pg_attribute\" AS \"fk_column\" ON"
      " \"c\".\"conrelid\" = \"fk_column\".\"attrelid\" INNER JOIN \"pg_class\" AS \"pk_table\" ON"
      " \"c\".\"confrelid\" = \"pk_table\".\"oid\" INNER JOIN \"pg_namespace\" AS \"pk_ns\" ON"
      " \"pk_table\".\"relnamespace\" = \"pk_ns\".\"oid\" INNER JOIN \"pg_attribute\" AS \"pk_column\""
      " ON \"c\".\"confrelid\" = \"pk_column\".\"attrelid\" WHERE fk_ns.nspname !~"
      " '^information_schema|catalog_history|pg_' AND (\"c\".\"contype\" = 'f'::char) AND"
      " (\"fk_column\".\"attnum\" = ANY(c.conkey)) AND (\"pk_column\".\"attnum\" = ANY(c.confkey))"
      " AND (\"fk_ns\".\"nspname\" IN (%s, %s)) ORDER BY \"fk-table-schema\" ASC,"
      " \"fk-table-name\" ASC", ("public", "s2")),
    q("metabase", METABASE + " describe-indexes-sql", "indexes",
      "SELECT \"tmp\".\"table-schema\", \"tmp\".\"table-name\", TRIM(BOTH '\"' FROM"
      " PG_CATALOG.PG_GET_INDEXDEF(\"tmp\".\"ci_oid\", \"tmp\".\"pos\", FALSE)) AS \"field-name\""
      " FROM (SELECT \"n\".\"nspname\" AS \"table-schema\", \"ct\".\"relname\" AS \"table-name\","
      " \"ci\".\"oid\" AS \"ci_oid\", (INFORMATION_SCHEMA._PG_EXPANDARRAY(\"i\".\"indkey\")).\"n\""
      " AS \"pos\" FROM \"pg_catalog\".\"pg_class\" AS \"ct\" INNER JOIN \"pg_catalog\".\"pg_namespace\""
      " AS \"n\" ON \"ct\".\"relnamespace\" = \"n\".\"oid\" INNER JOIN \"pg_catalog\".\"pg_index\" AS"
      " \"i\" ON \"ct\".\"oid\" = \"i\".\"indrelid\" INNER JOIN \"pg_catalog\".\"pg_class\" AS \"ci\""
      " ON \"ci\".\"oid\" = \"i\".\"indexrelid\" WHERE (PG_CATALOG.PG_GET_EXPR(\"i\".\"indpred\","
      " \"i\".\"indrelid\") IS NULL) AND n.nspname !~ '^information_schema|catalog_history|pg_'"
      " AND (\"n\".\"nspname\" IN (%s, %s))) AS \"tmp\" WHERE \"tmp\".\"pos\" = %s",
      ("public", "s2", 1)),
    q("metabase", METABASE + " current-user-table-privileges", "table privileges",
      "\n".join([
          "with table_privileges as (",
          " select",
          "   NULL as role,",
          "   t.schemaname as schema,",
          "   t.objectname as table,",
          "   pg_catalog.has_any_column_privilege(current_user, '\"' || replace(t.schemaname,"
          " '\"', '\"\"') || '\"' || '.' || '\"' || replace(t.objectname, '\"', '\"\"') || '\"', "
          " 'update') as update,",
          "   pg_catalog.has_any_column_privilege(current_user, '\"' || replace(t.schemaname,"
          " '\"', '\"\"') || '\"' || '.' || '\"' || replace(t.objectname, '\"', '\"\"') || '\"', "
          " 'select') as select,",
          "   pg_catalog.has_any_column_privilege(current_user, '\"' || replace(t.schemaname,"
          " '\"', '\"\"') || '\"' || '.' || '\"' || replace(t.objectname, '\"', '\"\"') || '\"', "
          " 'insert') as insert,",
          "   pg_catalog.has_table_privilege(     current_user, '\"' || replace(t.schemaname,"
          " '\"', '\"\"') || '\"' || '.' || '\"' || replace(t.objectname, '\"', '\"\"') || '\"', "
          " 'delete') as delete",
          " from (",
          "   select schemaname, tablename as objectname from pg_catalog.pg_tables",
          "   union",
          "   select schemaname, viewname as objectname from pg_catalog.pg_views",
          "   union",
          "   select schemaname, matviewname as objectname from pg_catalog.pg_matviews",
          " ) t",
          " where t.schemaname !~ '^pg_'",
          "   and t.schemaname <> 'information_schema'",
          "   and pg_catalog.has_schema_privilege(current_user, t.schemaname, 'usage')",
          ")",
          "select t.*",
          "from table_privileges t"])),

    # --- Grafana: the data source's pickers and its health check ---
    q("grafana", GRAFANA_TS + " getVersion", "version",
      "SELECT current_setting('server_version_num')::int/100 as version"),
    q("grafana", GRAFANA_TS + " getTimescaleDBVersion", "timescaledb",
      "SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'"),
    q("grafana", GRAFANA_TS + " showSchemas", "schemas",
      """SELECT schema_name AS "name"
    FROM information_schema.schemata
    WHERE schema_name NOT IN ('information_schema',
                              'pg_catalog',
                              'pg_toast',
                              '_timescaledb_cache',
                              '_timescaledb_catalog',
                              '_timescaledb_internal',
                              '_timescaledb_config',
                              'timescaledb_information',
                              'timescaledb_experimental')
    ORDER BY schema_name""", ordered=True),
    q("grafana", GRAFANA_TS + " showTables()", "tables",
      """SELECT
    CASE WHEN %s
      THEN quote_ident(table_name)
      ELSE quote_ident(table_schema) || '.' || quote_ident(table_name)
    END AS "table"
    FROM information_schema.tables
    WHERE quote_ident(table_schema) NOT IN ('information_schema',
                             'pg_catalog',
                             '_timescaledb_cache',
                             '_timescaledb_catalog',
                             '_timescaledb_internal',
                             '_timescaledb_config',
                             'timescaledb_information',
                             'timescaledb_experimental')
    ORDER BY CASE WHEN %s THEN 0 ELSE 1 END, 1""" % (
          GRAFANA_SCHEMA_CONSTRAINT, GRAFANA_SCHEMA_CONSTRAINT), ordered=True),
    q("grafana", GRAFANA_TS + " showTables(schema)", "tables of s2",
      """SELECT quote_ident(table_name) AS "table"
      FROM information_schema.tables
      WHERE quote_ident(table_schema) = 's2'
      ORDER BY 1""", ordered=True),
    q("grafana", GRAFANA_TS + " getSchema", "columns of t", grafana_get_schema("t")),
    q("grafana", GRAFANA_TS + " getSchema", "columns of s2.items",
      grafana_get_schema("s2.items")),
    q("grafana", GRAFANA_GO + " querySchemas", "schemas",
      """SELECT schema_name FROM information_schema.schemata
		 WHERE schema_name NOT LIKE 'pg_%%' AND schema_name != 'information_schema'
		 ORDER BY schema_name""", ordered=True),
    q("grafana", GRAFANA_GO + " queryTables", "tables of public",
      """SELECT table_name FROM information_schema.tables
		 WHERE table_schema = %s AND table_type IN ('BASE TABLE', 'VIEW')
		 ORDER BY table_name""", ("public",), ordered=True),
    q("grafana", GRAFANA_GO + " queryColumns", "columns of s2.items",
      """SELECT column_name, data_type, udt_name, numeric_precision, numeric_scale
		 FROM information_schema.columns
		 WHERE table_schema = %s AND table_name = %s
		 ORDER BY ordinal_position""", ("s2", "items"), ordered=True),
    # pgx's Ping (what the health check calls): a simple Query holding only a comment, answered
    # by EmptyQueryResponse (psycopg2 reports that as "can't execute an empty query").
    q("grafana", "grafana/grafana pkg/tsdb/grafana-postgresql-datasource/pgx/"
      "handler_checkhealth.go (pgconn Ping)", "health check", "-- ping"),
]

LOOKUPS = """
SELECT 'nsp:' || nspname, oid FROM pg_namespace WHERE nspname IN ('public', 's2')
UNION ALL
SELECT 'rel:' || n.nspname || '.' || c.relname, c.oid FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('public', 's2')
UNION ALL
SELECT 'db', oid FROM pg_database WHERE datname = current_database()
"""

# Names for the oids of user objects, per server.
OID_NAMES = """
SELECT oid, 'class ' || relnamespace::regnamespace::text || '.' || relname FROM pg_class
UNION ALL SELECT oid, 'type ' || typnamespace::regnamespace::text || '.' || typname FROM pg_type
UNION ALL SELECT oid, 'proc ' || pronamespace::regnamespace::text || '.' || proname FROM pg_proc
UNION ALL SELECT oid, 'namespace ' || nspname FROM pg_namespace
UNION ALL SELECT oid, 'constraint ' || conname FROM pg_constraint
UNION ALL SELECT oid, 'role ' || rolname FROM pg_roles
UNION ALL SELECT oid, 'database ' || datname FROM pg_database
"""


def psql(port, db, *args, stdin=None):
    return subprocess.run(["psql", "-X", "-q", "-h", "127.0.0.1", "-p", str(port), "-U",
                           "postgres", "-d", db, "-v", "ON_ERROR_STOP=1", *args], env=ENV,
                          input=stdin, capture_output=True, text=True, timeout=300)


class Side:
    """One server's connection and the lookups that turn its oids into names."""

    def __init__(self, port):
        import psycopg2

        self.conn = psycopg2.connect(host="127.0.0.1", port=port, user="postgres",
                                     password="postgres", dbname="postgres", sslmode="disable")
        self.conn.autocommit = True
        # Arrays as the server sends them (psycopg2 would parse only the array types it knows).
        raw = psycopg2.extensions.new_type(RAW_ARRAYS, "RAW_ARRAY", lambda v, cur: v)
        psycopg2.extensions.register_type(raw, self.conn)
        cur = self.conn.cursor()
        cur.execute(LOOKUPS)
        self.ids = {k: int(v) for k, v in cur.fetchall()}
        cur.execute(OID_NAMES)
        self.names = {int(o): n for o, n in cur.fetchall() if int(o) >= FIRST_USER_OID}

    def oid(self, v):
        v = int(v)
        if v < FIRST_USER_OID:
            return str(v)
        return "<%s>" % self.names.get(v, "user oid")

    def run(self, query):
        """(column names, normalised rows) or ("ERROR", sqlstate, message)."""
        import psycopg2

        params = tuple(p(self.ids) if callable(p) else p for p in query["params"])
        cur = self.conn.cursor()
        try:
            cur.execute(query["sql"], params or None)
        except psycopg2.Error as e:
            msg = (e.pgerror or str(e)).strip().splitlines()[0]
            return ("ERROR", e.pgcode, msg)
        cols = [d.name for d in cur.description]
        types = [d.type_code for d in cur.description]
        node_trees = set(query.get("node_tree_columns", ()))
        rows = []
        for row in cur.fetchall():
            out = []
            for name, typ, v in zip(cols, types, row):
                if v is None:
                    out.append(None)
                elif name in STORAGE:
                    out.append("<storage>")
                elif typ in OID_TYPES and str(v).isdigit():
                    out.append(self.oid(v))
                elif typ == OIDVECTOR:
                    out.append(" ".join(self.oid(x) for x in str(v).split()))
                elif typ == PG_NODE_TREE or name in node_trees:
                    out.append("<pg_node_tree>")
                elif name == "version" and isinstance(v, str):
                    out.append(re.sub(r"^(PostgreSQL \d+)\..*", r"\1", v, flags=re.S))
                else:
                    out.append(v)
            rows.append(tuple(out))
        return (cols, rows, types)


def describe(result):
    if result[0] == "ERROR":
        return "ERROR %s %s" % (result[1], result[2])
    return "columns %s, %d rows" % (result[0], len(result[1]))


def is_user_row(row):
    return bool(row) and isinstance(row[0], str) and row[0].startswith("<")


def row_diff(cols, w, g):
    if w is None:
        return "got, not PostgreSQL's: %r" % (g,)
    return "%s: %s" % (g[0], [(c, w[j], g[j]) for j, c in enumerate(cols) if w[j] != g[j]])


def compare(query, want, got):
    """(ok, detail, absent built-in rows)."""
    if want[0] == "ERROR" or got[0] == "ERROR":
        return want == got, "\n  want: %s\n  got:  %s" % (describe(want), describe(got)), 0
    if want[0] != got[0]:
        return False, "\n  want columns %s\n  got columns  %s" % (want[0], got[0]), 0
    ok, detail, absent = compare_rows(query, want, got)
    wrong_types = [(c, w, g) for c, w, g in zip(want[0], want[2], got[2])
                   if w != g and (w, g) not in TYPE_ALLOWANCES]
    if wrong_types:
        ok = False
        detail = "\n  column types (name, PostgreSQL's oid, ActiveStore's): %s%s" % (
            wrong_types, detail)
    return ok, detail, absent


def compare_rows(query, want, got):
    want_rows, got_rows = want[1], got[1]
    absent = 0
    if query["subset"]:
        want_by_key = {r[0]: r for r in want_rows}
        extra = [r for r in got_rows if r not in want_rows]
        missing = [r for r in want_rows if r not in got_rows]
        missing_user = [r for r in missing if is_user_row(r)]
        absent = len(missing) - len(missing_user)
        if query["ordered"]:
            order = [r for r in want_rows if r in got_rows]
            in_order = order == [r for r in got_rows if r in want_rows]
        else:
            in_order = True
        ok = not extra and not missing_user and in_order
        detail = "".join("\n  %s" % row_diff(want[0], want_by_key.get(r[0]), r) for r in extra[:10])
        detail += "".join("\n  missing: %r" % (r,) for r in missing_user[:10])
        if not in_order:
            detail += "\n  rows in another order than PostgreSQL's"
        return ok, detail, absent
    if not query["ordered"]:
        want_rows, got_rows = sorted(want_rows, key=repr), sorted(got_rows, key=repr)
    if want_rows == got_rows:
        return True, "", 0
    if not query["ordered"]:
        only_want = [r for r in want_rows if r not in got_rows]
        only_got = [r for r in got_rows if r not in want_rows]
        cols = dict(enumerate(want[0]))
        show = lambda r: ", ".join("%s=%r" % (cols[j], v) for j, v in enumerate(r))  # noqa: E731
        detail = "".join("\n  only PostgreSQL's: %s" % show(r) for r in only_want[:12])
        detail += "".join("\n  only ActiveStore's: %s" % show(r) for r in only_got[:12])
        more = len(only_want) + len(only_got) - min(len(only_want), 12) - min(len(only_got), 12)
        if more > 0:
            detail += "\n  and %d more" % more
        return False, detail, 0
    detail = ""
    for i in range(max(len(want_rows), len(got_rows))):
        w = want_rows[i] if i < len(want_rows) else "<none>"
        g = got_rows[i] if i < len(got_rows) else "<none>"
        if w != g:
            diffs = [(c, w[j], g[j]) for j, c in enumerate(want[0])
                     if isinstance(w, tuple) and isinstance(g, tuple) and w[j] != g[j]]
            detail += "\n  row %d: %s" % (i, diffs if diffs else "want %r got %r" % (w, g))
            if detail.count("\n") >= 12:
                break
    return False, detail, 0


def body(server, reference, tmp, check):
    for port in (server.port, reference.port):
        r = psql(port, "postgres", "-f", SCHEMA)
        check("schema on %d" % port, r.returncode == 0, r.stderr)
    ours, theirs = Side(server.port), Side(reference.port)
    for query in QUERIES:
        title = "%s %s (%s)" % (query["tool"], query["name"], query["source"])
        want = theirs.run(query)
        if want[0] != "ERROR":
            # The columns PostgreSQL types pg_node_tree, normalised on both sides.
            query["node_tree_columns"] = [c for c, t in zip(want[0], want[2]) if t == PG_NODE_TREE]
        got = ours.run(query)
        ok, detail, absent = compare(query, want, got)
        known = KNOWN_DIFFERENCES.get("%s %s" % (query["tool"], query["name"]))
        if known is None:
            check(title, ok, detail)
        elif ok:
            check(title, False, "\n  now answers as PostgreSQL: remove it from KNOWN_DIFFERENCES")
        else:
            print("KNOWN DIFFERENCE %s: %s" % (title, known))
        if absent:
            print("%s: %d built-in rows of PostgreSQL 15 that ActiveStore does not have"
                  % (title, absent))
    ours.conn.close()
    theirs.conn.close()


if __name__ == "__main__":
    sys.exit(run_with_reference(__doc__.splitlines()[0], body))
