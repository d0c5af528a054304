// The catalog: databases, schemas, tables (with columns, primary key, indexes), views and
// sequences, persisted in the storage table "sys_catalog" (one row per object) and cached in memory
// as immutable snapshots.
//
// Transactions: every DDL method takes a CatalogTxn, the storage transaction of the statement
// (the session's block or statement transaction) together with the catalog changes made in it.
// The catalog rows are written in that storage transaction, so they commit or roll back with
// the user's data. The transaction sees its own changes at once (CatalogTxn::Snapshot()); other
// transactions see them when it commits: CatalogTxn::Commit re-applies the changes to the
// then-current global snapshot (they may have committed DDL on other objects meanwhile), checks
// that the result is consistent (parents exist, names unique, dropped schemas empty; 40001 if
// not), commits the storage transaction and publishes the result with version + 1, all under
// one mutex. Storage tables are created at DDL time (storage create is not transactional) and
// dropped again if the transaction rolls back; storage tables of dropped or rewritten
// (TRUNCATE, ALTER TABLE ADD PRIMARY KEY) tables are dropped after the commit. A crash leaves
// the old or the new catalog; storage tables no committed catalog row references are dropped
// at the next Open. Oids and hidden row ids are never rolled back (as PostgreSQL's oid counter).
//
// Thread safety: Catalog is thread-safe. A CatalogTxn belongs to one thread at a time, like
// every Transaction. Readers take a snapshot once per statement and never see a half-applied
// change.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cluster/sharding.h"
#include "common/composite.h"
#include "common/types.h"
#include "common/user_types.h"
#include "storage/acl.h"
#include "storage/storage.h"

namespace activestore::storage {

using Oid = uint32_t;

struct ColumnStats;  // storage/column_stats.h

struct ColumnInfo {
  std::string name;
  Type type;
  bool not_null = false;
  // The DEFAULT expression's SQL text, re-parsed when used. Identity columns have one too,
  // nextval('schema.seq'::regclass) on their sequence (PostgreSQL keeps no pg_attrdef row for
  // them: a pg_catalog view must show it as NULL when `identity` is set).
  std::optional<std::string> default_sql;
  // PostgreSQL's attidentity: 'a' GENERATED ALWAYS AS IDENTITY, 'd' BY DEFAULT, 0 none.
  char identity = 0;
  // PostgreSQL's attgenerated: 's' for GENERATED ALWAYS AS (expr) STORED, whose expression is
  // then default_sql (pg_attrdef holds it, as PostgreSQL's does); 0 none. Writes compute it
  // after the BEFORE triggers (planner::PlanNode::generated).
  char generated = 0;
  // Sequences the DEFAULT names through a regclass constant (nextval('s')): PostgreSQL's
  // pg_depend rows of the column default. DROP SEQUENCE of one of them needs CASCADE, which
  // drops the default.
  std::vector<uint32_t> default_sequences;
  // pg_attrdef.oid of the DEFAULT (set while default_sql is; AssignObjectOids).
  Oid default_oid = 0;
  // The domain the column was declared with (TypeDefInfo, kind 'd'), 0 if none. `type` is then
  // the domain's base type with its typmod: values are the base type's, and assignments to the
  // column apply the domain's NOT NULL and CHECKs (docs/design/2026-12-05-user-defined-types.md).
  uint32_t domain = 0;
  // Table inheritance (pg_attribute.attinhcount, attislocal): how many parents have this
  // column, and whether the table declares it itself (docs/design/2026-12-06-inheritance.md).
  int inhcount = 0;
  bool is_local = true;
  // COMMENT ON COLUMN (pg_description with objsubid = attnum); empty: none.
  std::string comment;
  // ANALYZE's statistics (storage/column_stats.h): of the table's own rows, and (a table with
  // inheritance children) of the rows of the whole tree. Null: none gathered.
  std::shared_ptr<const ColumnStats> stats;
  std::shared_ptr<const ColumnStats> inherited_stats;
};

// The parameters of a sequence (PostgreSQL's pg_sequence row) and what it belongs to
// (pg_depend). Its values live in storage::SequenceManager, keyed by the sequence's oid and
// storage generation.
struct SequenceInfo {
  TypeId type = TypeId::kInt64;  // AS smallint | integer | bigint
  int64_t start = 1;
  int64_t increment = 1;
  int64_t min_value = 1;
  int64_t max_value = INT64_MAX;
  int64_t cache = 1;
  bool cycle = false;
  // OWNED BY table.column: serial and identity columns own theirs. A dropped table takes its
  // owned sequences with it. owner_table 0: not owned.
  uint32_t owner_table = 0;
  int owner_column = -1;  // ordinal of the column in the owner table
  bool identity = false;  // the sequence of an identity column (PostgreSQL's internal dependency)
  // The state the current storage generation starts from: CREATE (start, not called), RESTART
  // [WITH n] (n, not called) or, for an ALTER that changed the parameters, the state the old
  // generation had then.
  int64_t initial_value = 1;
  bool initial_is_called = false;
};

class IndexEvaluator;

struct IndexInfo {
  Oid oid = 0;
  std::string name;  // e.g. "t_pkey", "t_a_key", or the CREATE INDEX name
  // Key elements: column ordinals in the table, or kExpressionColumn for an expression (the
  // next of `expressions`, as PostgreSQL's indkey 0).
  std::vector<int> columns;
  bool unique = false;
  // Per key element, the operator class written in CREATE INDEX (pg_opclass oid) when it is not
  // the type's default; empty: all defaults. Text orders bytewise either way (the C collation),
  // so text_pattern_ops and varchar_pattern_ops order as the defaults do.
  std::vector<uint32_t> opclasses;
  uint32_t opclass(size_t k) const { return k < opclasses.size() ? opclasses[k] : 0; }
  // UNIQUE NULLS NOT DISTINCT (pg_index.indnullsnotdistinct): rows with NULLs in the key get
  // an entry too, so two such rows with equal keys conflict.
  bool nulls_not_distinct = false;
  bool primary = false;  // the primary key: no separate storage, the row key itself
  // Made by a UNIQUE (or PRIMARY KEY) constraint rather than CREATE INDEX: DROP INDEX refuses
  // it (2BP01), as PostgreSQL does.
  bool is_constraint = false;
  // Storage table of shard s: StorageName() + "_s" + s. An entry lives in the shard of
  // ShardForKey(encoded column values). Entries: for unique indexes key = encoded column
  // values (rows with a NULL in them get no entry, unless nulls_not_distinct), value = row
  // key; for non-unique ones
  // key = encoded values + row key, value = row key.
  // Storage generation ("relfilenode"): bumped when the owning table is rewritten (TRUNCATE,
  // ALTER TABLE ADD PRIMARY KEY), so that the new contents live in new storage tables.
  uint32_t storage_gen = 0;
  std::vector<int> include;  // INCLUDE (...) columns: recorded, not part of the key
  // pg_constraint.oid of the UNIQUE constraint that owns it (is_constraint), else 0.
  Oid constraint_oid = 0;
  // Expression key elements, in order, as SQL text over the table's columns in PostgreSQL's
  // pg_get_indexdef form ("lower(key)", "(a + b)"), and the pretty form ("a + b").
  std::vector<std::string> expressions;
  std::vector<std::string> expressions_pretty;
  // A partial index's WHERE (PostgreSQL's form, "(val2 = 1)"; pretty "val2 = 1"); empty if none.
  // Only rows for which it is true have an entry.
  std::string predicate;
  std::string predicate_pretty;
  // Per key element, PostgreSQL's indoption bits: kDescending, kNullsFirst. Empty: all 0.
  std::vector<int16_t> options;
  // Computes expression keys and the predicate over a row (storage/index_evaluator.h); set by
  // the catalog for every index with expressions or a predicate. Not persisted.
  std::shared_ptr<const IndexEvaluator> evaluator;

  static constexpr int kExpressionColumn = -1;
  static constexpr int16_t kDescending = 1;
  static constexpr int16_t kNullsFirst = 2;
  bool has_expressions() const { return !expressions.empty(); }
  bool partial() const { return !predicate.empty(); }
  // A plain index: key elements are columns, no predicate (what foreign keys, row-lock modes
  // and the primary-key-like paths may rely on).
  bool plain() const { return !has_expressions() && !partial(); }
  int16_t option(size_t i) const { return i < options.size() ? options[i] : 0; }
  // "i<oid>" for generation 0 (the first), "i<oid>_<gen>" after a rewrite.
  std::string StorageName() const {
    return "i" + std::to_string(oid) + (storage_gen == 0 ? "" : "_" + std::to_string(storage_gen));
  }
  std::string ShardTable(uint32_t shard) const {
    return StorageName() + "_s" + std::to_string(shard);
  }
};

// A FOREIGN KEY constraint of the table that holds it (the referencing table): PostgreSQL's
// pg_constraint row with contype 'f'. The referenced table holds nothing; who refers to it is
// found by scanning the catalog (CatalogSnapshot::ReferencingForeignKeys).
struct ForeignKeyInfo {
  // ON DELETE / ON UPDATE actions, with PostgreSQL's confdeltype letters.
  enum class Action : char {
    kNoAction = 'a',
    kRestrict = 'r',
    kCascade = 'c',
    kSetNull = 'n',
    kSetDefault = 'd',
  };
  Oid oid = 0;                   // pg_constraint.oid
  std::string name;              // e.g. "c_p_fkey"
  std::vector<int> columns;      // referencing column ordinals in this table
  Oid ref_table = 0;             // the referenced table (may be this table itself)
  std::vector<int> ref_columns;  // referenced column ordinals, matched to `columns`
  Action on_delete = Action::kNoAction;
  Action on_update = Action::kNoAction;
  bool match_full = false;  // MATCH FULL (else MATCH SIMPLE)
  // false: added NOT VALID and not yet validated (pg_constraint.convalidated): new and changed
  // rows are checked, the rows that were there when it was added may not have been.
  bool validated = true;
  // DEFERRABLE [INITIALLY DEFERRED] (pg_constraint.condeferrable, condeferred): a deferred
  // constraint's checks wait for the commit or SET CONSTRAINTS ... IMMEDIATE
  // (executor/deferred_constraints.h).
  bool deferrable = false;
  bool initially_deferred = false;
};

// A CHECK constraint (pg_constraint contype 'c'): a boolean expression over the row, stored
// as SQL text that parser/ reads back (columns by name). A row violates it when the expression
// is false; NULL passes.
struct CheckConstraintInfo {
  std::string name;       // e.g. "t_a_check"
  std::string expr;       // "(a > 0)"
  Oid oid = 0;            // pg_constraint.oid (0 for a domain's CHECK made before they had one)
  bool validated = true;  // as ForeignKeyInfo::validated
  // Table inheritance (pg_constraint.coninhcount, conislocal, connoinherit).
  int inhcount = 0;
  bool is_local = true;
  bool no_inherit = false;
};

// A trigger on a table or view (PostgreSQL's pg_trigger row; docs/design/2026-12-06-plpgsql.md,
// "Triggers"). Names are unique per relation; the trigger goes with its relation.
struct TriggerInfo {
  // tgtype bits (PostgreSQL's TRIGGER_TYPE_*): no kBefore/kInstead bit means AFTER.
  static constexpr int16_t kRow = 1;
  static constexpr int16_t kBefore = 2;
  static constexpr int16_t kInsert = 4;
  static constexpr int16_t kDelete = 8;
  static constexpr int16_t kUpdate = 16;
  static constexpr int16_t kTruncate = 32;
  static constexpr int16_t kInstead = 64;
  Oid oid = 0;
  std::string name;
  Oid function = 0;  // tgfoid: a function RETURNS trigger
  int16_t type = 0;  // tgtype
  // tgenabled: 'O' fires in origin and local mode, 'D' disabled, 'R' replica only, 'A' always.
  char enabled = 'O';
  // CREATE CONSTRAINT TRIGGER (not deferrable: fires as an AFTER ROW trigger); tgconstraint is
  // constraint_oid.
  bool is_constraint = false;
  Oid constraint_oid = 0;
  std::vector<int> columns;          // UPDATE OF: column ordinals (tgattr); empty for any column
  std::vector<std::string> args;     // the arguments given (tgargs, TG_ARGV)
  std::string when;                  // WHEN condition as SQL text ("(new.a > 0)"), empty if none
  std::string old_table, new_table;  // REFERENCING OLD/NEW TABLE AS names (tgoldtable, tgnewtable)
  bool row() const { return (type & kRow) != 0; }
  bool before() const { return (type & kBefore) != 0; }
  bool instead() const { return (type & kInstead) != 0; }
  bool after() const { return !before() && !instead(); }
};

// A user-defined type: PostgreSQL's pg_type row with typtype 'e' (an enum, with its pg_enum
// rows) or 'd' (a domain, with its pg_constraint rows). Its name shares the schema's type
// namespace with the relations' row types.
// A cast that CREATE CAST made (a pg_cast row). It lives in the TypeDefInfo of the user type
// it converts from (or, if that is built in, to), so it goes with that type.
struct UserCastInfo {
  Oid oid = 0;
  Oid source = 0;
  Oid target = 0;
  Oid function = 0;    // castfunc (method 'f'), else 0
  char context = 'e';  // castcontext: 'e' explicit, 'a' assignment, 'i' implicit
  char method = 'f';   // castmethod: 'f' function, 'b' binary coercion, 'i' I/O conversion
  bool operator==(const UserCastInfo&) const = default;
};

struct TypeDefInfo {
  Oid oid = 0;
  Oid array_oid = 0;  // pg_type.typarray: the type's array type
  Oid database_oid = 0;
  std::string schema;
  std::string name;
  char kind = 'e';  // 'e' enum, 'd' domain, 'c' composite, 'b' base, 'p' shell
  // Enum: the labels ascending by sort order (PostgreSQL's enumsortorder).
  std::vector<EnumLabel> labels;
  // Domain: the base type with its typmod (the innermost non-domain type for a domain over a
  // domain), the domain it was declared over (0 if none), its own NOT NULL, DEFAULT (SQL text)
  // and CHECK constraints (over VALUE; in the order added).
  Type base;
  Oid parent_domain = 0;
  bool not_null = false;
  std::optional<std::string> default_sql;
  std::vector<CheckConstraintInfo> checks;
  std::vector<std::string> not_valid_checks;  // names of checks added NOT VALID, not validated
  // Composite: the attributes in order (pg_attribute of the type's relation), and that
  // relation's oid (pg_type.typrelid, a pg_class row with relkind 'c'; 0 for a type created
  // before the relation was listed).
  std::vector<CompositeField> fields;
  Oid relation_oid = 0;
  std::string comment;                 // COMMENT ON TYPE | DOMAIN (pg_description); empty: none
  Oid owner = kBootstrapSuperuserOid;  // typowner (CREATE TYPE's role; ALTER ... OWNER TO)
  // Base type (CREATE TYPE name (INPUT = ..., ...); docs/design/2026-12-07-base-types-casts.md):
  // `physical` is the built-in type whose input and output functions the type's I/O functions
  // are (LANGUAGE internal), so its values are that type's datums; the rest is pg_type's row.
  Oid physical = 0;
  Oid input_fn = 0, output_fn = 0, receive_fn = 0, send_fn = 0;
  int16_t typlen = -1;
  bool byval = false;
  char align = 'i';
  char storage = 'p';
  char category = 'U';
  bool preferred = false;
  char delimiter = ',';
  Oid element = 0;
  std::optional<std::string> default_value;
  // The casts from (or to) this type that CREATE CAST made.
  std::vector<UserCastInfo> casts;
  bool is_base() const { return kind == 'b'; }
  bool is_shell() const { return kind == 'p'; }
  bool is_enum() const { return kind == 'e'; }
  bool is_domain() const { return kind == 'd'; }
  bool is_composite() const { return kind == 'c'; }
};

// A parameter of a user-defined function or procedure: one entry of pg_proc's proallargtypes,
// proargmodes, proargnames and (for defaults) proargdefaults.
struct FunctionParam {
  std::string name;  // empty if unnamed
  Type type;         // the declared type (a domain: its base type, with `domain` set)
  uint32_t domain = 0;
  // PostgreSQL's proargmodes letter: 'i' IN, 'o' OUT, 'b' INOUT, 'v' VARIADIC, 't' a column of
  // RETURNS TABLE.
  char mode = 'i';
  std::optional<std::string> default_sql;  // DEFAULT expression as SQL text
  bool is_input() const { return mode == 'i' || mode == 'b' || mode == 'v'; }
  bool is_output() const { return mode == 'o' || mode == 'b' || mode == 't'; }
};

// A user-defined function or procedure (PostgreSQL's pg_proc row), LANGUAGE sql. Overloads share
// a name; (schema, name, input parameter types) identify one.
struct FunctionInfo {
  Oid oid = 0;
  Oid database_oid = 0;
  std::string schema;
  std::string name;
  char kind = 'f';  // prokind: 'f' function, 'p' procedure
  std::vector<FunctionParam> params;
  // prorettype: a built-in or enum type; record (2249) for RETURNS TABLE or several OUT
  // parameters; void (2278) for procedures and RETURNS void; a relation's row type when
  // return_relation is set (RETURNS [SETOF] t: the columns of table or view t).
  Type return_type;
  Oid return_relation = 0;
  bool returns_set = false;
  char volatility = 'v';  // provolatile: 'i' IMMUTABLE, 's' STABLE, 'v' VOLATILE
  bool strict = false;
  bool security_definer = false;
  bool leakproof = false;
  char parallel = 'u';  // proparallel: 's' SAFE, 'r' RESTRICTED, 'u' UNSAFE
  double cost = 100;
  double rows = 0;  // prorows: 1000 by default for set-returning functions
  std::string language = "sql";
  // prosrc: the AS '...' text. For the SQL-standard body (BEGIN ATOMIC ... END, RETURN expr) it
  // is the body as written (sql_body set), which pg_get_functiondef prints.
  std::string body;
  bool sql_body = false;
  // The SQL-standard body's statements as they run (`RETURN e` as `SELECT e`).
  std::vector<std::string> sql_body_statements;
  Oid owner = kBootstrapSuperuserOid;
  std::optional<Acl> acl;  // proacl (nullopt: EXECUTE to PUBLIC and the owner)
  std::string comment;     // COMMENT ON FUNCTION | PROCEDURE (pg_description); empty: none

  // The input parameter types (proargtypes): the identity of the function among its overloads.
  std::vector<Type> InputTypes() const;
  size_t InputCount() const;
  size_t DefaultCount() const;  // pronargdefaults
};

// Row expiry of a table (docs/design/2026-12-06-row-expiry.md): WITH (ttl = '1 hour') or
// WITH (ttl_column = 'expires_at'). An expired row is invisible to every read of TableStore
// and ShardScanner and is deleted by the node's reaper.
struct RowExpiry {
  // ttl: a row expires ttl_usec after its last insert or update (the stamp in its stored
  // bytes, storage/encoding.h); rows stored without a stamp count from since_usec (when the
  // ttl was set).
  int64_t ttl_usec = 0;
  int64_t since_usec = 0;
  std::string ttl_text;  // as given, for reloptions
  // ttl_column: the ordinal of a timestamptz column; the row expires at its value (never when
  // NULL). -1: none.
  int ttl_column = -1;
  bool active() const { return ttl_usec > 0 || ttl_column >= 0; }
};

// A hypertable (TimescaleDB's create_hypertable; docs/design/2026-12-06-hypertables.md): its
// rows live in chunk tables that inherit from it, one per range of the time column.
struct HypertableInfo {
  int32_t id = 0;        // hypertable_id, unique in the catalog
  int time_column = -1;  // ordinal of the partitioning ("time") column
  // The width of a chunk's range, in the time column's unit (TimeUnitValue in
  // executor/hypertables.h): microseconds for timestamp, timestamptz and date; the value itself
  // for smallint, integer and bigint. Chunk ranges are aligned to multiples of it.
  int64_t interval = 0;
  // The retention policy (add_retention_policy): its job id (0: none), drop_after in the same
  // unit as `interval` and as written ("7 days", "100"), and how often it runs.
  int32_t retention_job_id = 0;
  int64_t drop_after = 0;
  std::string drop_after_text;
  int64_t schedule_interval_usec = 0;
  // Native compression (ALTER TABLE ... SET (timescaledb.compress, ...);
  // docs/design/2026-12-06-chunk-compression.md): whether it is enabled, the segmentby columns
  // (ordinals, in their order) and the orderby columns with their direction and NULLS order.
  bool compress = false;
  std::vector<int> segmentby;
  std::vector<int> orderby;
  std::vector<bool> orderby_desc;
  std::vector<bool> orderby_nulls_first;
  // The compression policy (add_compression_policy): its job id (0: none), compress_after in
  // the unit of `interval` and as written, and how often it runs.
  int32_t compression_job_id = 0;
  int64_t compress_after = 0;
  std::string compress_after_text;
  int64_t compression_schedule_usec = 0;
};

// A chunk of a hypertable: a table that inherits from it and holds the rows whose time value
// lies in [range_start, range_end) (in HypertableInfo::interval's unit), as its CHECK says.
struct ChunkInfo {
  Oid hypertable = 0;
  int32_t id = 0;  // chunk id, unique in the catalog (TimescaleDB's _hyper_<ht>_<id>_chunk)
  int64_t range_start = 0;
  int64_t range_end = 0;
  // Set while the chunk is compressed: the table holding its compressed batches
  // (_timescaledb_internal.compress_hyper_<ht>_<id>_chunk); the chunk's own storage then holds
  // only the rows inserted since. The sizes are the stored bytes (keys plus values, before
  // WiredTiger's block compression) measured when the chunk was compressed: the chunk's rows
  // and index entries before, the compressed batches after; rows and batches counted then.
  Oid compressed_table = 0;
  int64_t before_table_bytes = 0;
  int64_t before_index_bytes = 0;
  int64_t after_table_bytes = 0;
  int64_t rows_pre = 0;
  int64_t rows_post = 0;
};

// A materialized view (relkind 'm'): a table whose rows are its query's (view_sql,
// view_columns) as of the last REFRESH; a scan of one not populated fails with 55000.
struct MatviewInfo {
  bool populated = true;  // false after WITH NO DATA, until a REFRESH with data
};

// A continuous aggregate (TimescaleDB's; docs/design/2026-12-06-continuous-aggregates.md),
// kept on its user view (relkind 'v'), whose view_sql reads the materialization table (below
// the watermark) and, unless materialized_only, the raw hypertable (from the watermark on).
struct ContinuousAggInfo {
  int32_t id = 0;                 // mat_hypertable_id: _materialized_hypertable_<id>
  Oid raw_hypertable = 0;         // the hypertable (or continuous aggregate) aggregated
  Oid mat_table = 0;              // _timescaledb_internal._materialized_hypertable_<id>
  std::string query_sql;          // the defining SELECT, normalized (without the time bounds)
  std::string time_column;        // the raw relation's time column
  int bucket_column = 0;          // ordinal of the time_bucket column among the view's columns
  int64_t bucket_width = 0;       // in the time column's unit (HypertableInfo::interval's)
  std::string bucket_width_text;  // as written in the query
  bool materialized_only = false;
  // End of the last materialized bucket (INT64_MIN: nothing materialized yet).
  int64_t watermark = INT64_MIN;
  // The refresh policy (add_continuous_aggregate_policy): its job id (0: none), the offsets as
  // written ("" for NULL) and in the time unit, and how often it runs.
  int32_t job_id = 0;
  std::string start_offset_text;
  std::string end_offset_text;
  std::optional<int64_t> start_offset;
  std::optional<int64_t> end_offset;
  int64_t schedule_usec = 0;
};

struct TableInfo {
  Oid oid = 0;
  Oid database_oid = 0;
  std::string schema;
  std::string name;
  std::vector<ColumnInfo> columns;
  // pg_class.reltuples and relpages as the last ANALYZE set them (-1: never analyzed).
  float reltuples = -1;
  int32_t relpages = 0;
  // Ordinals of the primary key columns; empty means the table has none and rows are keyed
  // by a hidden 64-bit row id.
  std::vector<int> primary_key;
  std::vector<int> primary_key_include;  // PRIMARY KEY (...) INCLUDE (...)
  std::vector<IndexInfo> indexes;        // secondary indexes (unique or not); not the primary key
  uint32_t shard_count = 1;              // shards this table's rows are spread over
  bool is_view = false;
  // Set for a sequence (relkind 'S'): no storage tables; its columns are what SELECT * FROM
  // shows (last_value, log_cnt, is_called); storage_gen names the generation of its values.
  std::optional<SequenceInfo> sequence;
  std::string view_sql;                   // a view's SELECT text
  std::vector<std::string> view_columns;  // a view's column aliases, if given
  // A view's options (CREATE VIEW ... WITH (...), ALTER VIEW ... SET), as pg_class.reloptions
  // shows them: "security_barrier=true", in the order given.
  std::vector<std::string> view_options;
  // The boolean view option `name` (security_barrier, security_invoker): false when not set.
  bool ViewOption(std::string_view name) const;
  // A view's references to relations in view_sql, which CREATE VIEW qualifies with their schemas
  // so that the view reads the relations it was created over whatever the reader's search_path:
  // where each name is in the text (bytes) and the relation's oid. pg_get_viewdef prints each
  // unqualified where the reader's search_path finds it.
  struct ViewRelationRef {
    int offset = 0;
    int length = 0;
    Oid oid = 0;
  };
  std::vector<ViewRelationRef> view_relations;
  // Storage generation ("relfilenode"), see IndexInfo::storage_gen.
  uint32_t storage_gen = 0;
  // FOREIGN KEY constraints of this (referencing) table. CreateTable turns a ref_table of 0
  // into the new table's own oid (a self-referencing key).
  std::vector<ForeignKeyInfo> foreign_keys;
  // CHECK constraints, in the order they were added (evaluated in name order, as PostgreSQL).
  std::vector<CheckConstraintInfo> checks;
  // The oids of the objects PostgreSQL keeps beside the relation: its row type and that type's
  // array type (pg_type; tables and views), the primary key's index (pg_class, pg_index) and
  // constraint (pg_constraint). Assigned by every Catalog method that stores a relation
  // (AssignObjectOids), together with the constraint and default oids above; 0 where the
  // object does not exist.
  Oid row_type_oid = 0;
  Oid row_array_type_oid = 0;
  Oid pkey_index_oid = 0;
  Oid pkey_constraint_oid = 0;
  // The owning role (pg_class.relowner) and the privileges granted on it (relacl; nullopt until
  // the first GRANT or REVOKE: storage/acl.h).
  Oid owner = kBootstrapSuperuserOid;
  std::optional<Acl> acl;
  // The tables it inherits from (INHERITS, ALTER TABLE INHERIT), in order: pg_inherits rows
  // with inhseqno 1, 2, ... Its children are found by CatalogSnapshot::InheritanceChildren.
  std::vector<Oid> parents;
  RowExpiry expiry;
  std::optional<HypertableInfo> hypertable;  // set on a hypertable
  std::optional<ChunkInfo> chunk;            // set on a chunk of one
  std::optional<MatviewInfo> matview;        // set on a materialized view (relkind 'm')
  std::optional<ContinuousAggInfo> cagg;     // set on a continuous aggregate's view
  // Triggers (CREATE TRIGGER), in creation order; they fire in name order (PostgreSQL's).
  std::vector<TriggerInfo> triggers;
  // COMMENT ON the relation (key: its oid) and on the objects it owns (index, primary key,
  // constraint, trigger, row type: their oids); column comments are ColumnInfo::comment. A key
  // whose object no longer exists is ignored (CommentedObjectClass).
  std::map<Oid, std::string> comments;

  // Storage table that holds the rows of shard s: "t<oid>_s<s>" (generation 0) or
  // "t<oid>_<gen>_s<s>".
  std::string ShardTable(uint32_t shard) const {
    return "t" + std::to_string(oid) + (storage_gen == 0 ? "" : "_" + std::to_string(storage_gen)) +
           "_s" + std::to_string(shard);
  }
  // The primary key constraint's (and index's) name: `<table>_pkey` unless it was named
  // (CONSTRAINT c PRIMARY KEY) or the table was renamed since (the name stays, as PostgreSQL's).
  std::string PrimaryKeyName() const { return pkey_name.empty() ? name + "_pkey" : pkey_name; }
  std::string pkey_name;
  // The catalog (pg_type 1247, pg_class 1259, pg_constraint 2606, pg_trigger 2620) of the
  // object with oid `oid` that this relation owns or is, 0 if none: where a comment on it
  // belongs.
  Oid CommentedObjectClass(Oid oid) const;
  bool is_sequence() const { return sequence.has_value(); }
  int ColumnIndex(const std::string& col) const;  // -1 if absent
};

// A user-defined operator (CREATE OPERATOR; PostgreSQL's pg_operator row). It lives in the
// SchemaInfo of its schema, so it goes (and is renamed) with it. (name, left, right) identify
// it in the schema; left is 0 for a prefix operator. A shell (function 0) is one that a
// COMMUTATOR or NEGATOR named before it was defined.
struct OperatorInfo {
  Oid oid = 0;
  std::string name;
  Oid left = 0;
  Oid right = 0;
  Oid result = 0;
  Oid function = 0;       // oprcode
  std::string fn_schema;  // the function's schema and name, as the binder calls it
  std::string fn_name;
  Oid commutator = 0;       // oprcom
  Oid negator = 0;          // oprnegate
  std::string restrict_fn;  // oprrest, oprjoin: the estimators' names as given (not used)
  std::string join_fn;
  bool hashes = false;  // oprcanhash
  bool merges = false;  // oprcanmerge
  Oid owner = kBootstrapSuperuserOid;
  std::string comment;  // COMMENT ON OPERATOR; empty: none
  bool is_shell() const { return function == 0; }
  bool operator==(const OperatorInfo&) const = default;
};

struct SchemaInfo {
  Oid oid = 0;
  Oid database_oid = 0;
  std::string name;
  Oid owner = kBootstrapSuperuserOid;   // nspowner (public: pg_database_owner)
  std::optional<Acl> acl;               // nspacl
  std::string comment;                  // COMMENT ON SCHEMA (pg_description); empty: none
  std::vector<OperatorInfo> operators;  // CREATE OPERATOR in this schema
};

struct DatabaseInfo {
  Oid oid = 0;
  std::string name;
  // ALTER DATABASE ... SET: each session of the database starts with these (PostgreSQL's
  // pg_db_role_setting for role 0), before its start-up parameters.
  std::map<std::string, std::string> settings;
  Oid owner = kBootstrapSuperuserOid;  // datdba
  std::optional<Acl> acl;              // datacl
  std::string comment;                 // COMMENT ON DATABASE (pg_shdescription); empty: none
};

// A membership of a role in another (PostgreSQL's pg_auth_members row, kept with the member).
struct RoleMembership {
  Oid role = 0;  // the role granted
  Oid grantor = 0;
  bool admin = false;  // WITH ADMIN OPTION
};

// A role (pg_authid row). Roles are shared by every database.
struct RoleInfo {
  Oid oid = 0;
  std::string name;
  bool superuser = false;
  bool inherit = true;
  bool create_role = false;
  bool create_db = false;
  bool can_login = false;
  bool replication = false;
  bool bypass_rls = false;
  int32_t connection_limit = -1;
  // The stored secret: a SCRAM-SHA-256 verifier ("SCRAM-SHA-256$<iter>:<salt>$<stored>:<server>")
  // or an md5 one ("md5" + 32 hex digits); nullopt: no password.
  std::optional<std::string> password;
  // VALID UNTIL as microseconds since 2000-01-01 UTC (INT64_MAX for 'infinity'); nullopt: none.
  std::optional<int64_t> valid_until;
  std::vector<RoleMembership> member_of;
  // ALTER ROLE ... [IN DATABASE d] SET: the defaults of the role's sessions, by database oid
  // (0: every database). PostgreSQL's pg_db_role_setting rows of this role.
  std::map<Oid, std::map<std::string, std::string>> settings;
  std::string comment;  // COMMENT ON ROLE (pg_shdescription); empty: none
};

// An immutable view of the whole catalog at one version.
struct CatalogSnapshot;

// The relations, types and functions of a snapshot by oid, built on the first lookup by oid
// (psql's and the drivers' catalog queries look thousands of oids up per statement). A snapshot
// is not changed once it is read, and a copy starts without an index: the copy is the next
// snapshot being built. As a guard, an index whose entry counts differ from the snapshot's is
// rebuilt. Thread-safe.
class OidIndexCache {
 public:
  struct Index {
    size_t table_count = 0, type_count = 0, function_count = 0;
    std::unordered_map<Oid, std::shared_ptr<const TableInfo>> relations;
    std::unordered_map<Oid, std::shared_ptr<const TypeDefInfo>> types;
    std::unordered_map<Oid, std::shared_ptr<const FunctionInfo>> functions;
    // A relation by its row type's oid and by that type's array type's oid.
    std::unordered_map<Oid, std::shared_ptr<const TableInfo>> row_types;
    // A user-defined type by its array type's oid.
    std::unordered_map<Oid, std::shared_ptr<const TypeDefInfo>> array_types;
  };
  OidIndexCache() = default;
  OidIndexCache(const OidIndexCache&) {}
  OidIndexCache& operator=(const OidIndexCache&) {
    std::lock_guard<std::mutex> lock(mu_);
    index_.reset();
    return *this;
  }
  // The index of `snap` (whose member this is).
  std::shared_ptr<const Index> Get(const CatalogSnapshot& snap) const;

 private:
  mutable std::mutex mu_;
  mutable std::shared_ptr<const Index> index_;
};

struct CatalogSnapshot {
  // The committed (global) snapshots count 1, 2, ... within one run of the process. A
  // transaction's private view (global + its own changes) has a version with kPrivateVersionBit
  // set that no other view has, so that plans made for it are never used for another view.
  static constexpr uint64_t kPrivateVersionBit = uint64_t{1} << 63;
  uint64_t version = 0;
  std::map<std::string, DatabaseInfo> databases;              // by name
  std::map<std::pair<Oid, std::string>, SchemaInfo> schemas;  // by (database, name)
  std::map<std::tuple<Oid, std::string, std::string>, std::shared_ptr<const TableInfo>>
      tables;  // (database, schema, name)
  std::map<std::tuple<Oid, std::string, std::string>, std::shared_ptr<const TypeDefInfo>>
      types;                              // user-defined types by (database, schema, name)
  std::map<std::string, RoleInfo> roles;  // by name
  // User-defined functions and procedures by (database, schema, name, oid): the overloads of a
  // name are adjacent.
  std::map<std::tuple<Oid, std::string, std::string, Oid>, std::shared_ptr<const FunctionInfo>>
      functions;

  const RoleInfo* FindRole(const std::string& name) const;
  const RoleInfo* FindRoleByOid(Oid oid) const;  // a scan

  const DatabaseInfo* FindDatabase(const std::string& name) const;
  const SchemaInfo* FindSchema(Oid db, const std::string& name) const;
  // Tables and views.
  std::shared_ptr<const TableInfo> FindTable(Oid db, const std::string& schema,
                                             const std::string& name) const;
  // The table that owns the index named `name` in schema, or nullptr.
  std::shared_ptr<const TableInfo> FindIndexOwner(Oid db, const std::string& schema,
                                                  const std::string& index_name) const;
  // A table, view or sequence by oid, or nullptr.
  std::shared_ptr<const TableInfo> FindRelationByOid(Oid oid) const;
  // The tables that inherit directly from table `oid` (whose `parents` list it), by oid (the
  // order PostgreSQL's find_inheritance_children gives). A scan of the catalog.
  std::vector<std::shared_ptr<const TableInfo>> InheritanceChildren(Oid oid) const;
  // The foreign keys that refer to table `oid`: (referencing table, index into its
  // foreign_keys). A scan of the database's tables.
  std::vector<std::pair<std::shared_ptr<const TableInfo>, size_t>> ReferencingForeignKeys(
      Oid oid) const;
  std::shared_ptr<const TypeDefInfo> FindType(Oid db, const std::string& schema,
                                              const std::string& name) const;
  // A user-defined type by oid, or nullptr.
  std::shared_ptr<const TypeDefInfo> FindTypeByOid(Oid oid) const;
  // The relation whose row type (or that type's array type) has oid `type_oid`, or nullptr.
  std::shared_ptr<const TableInfo> FindRelationByRowType(Oid type_oid) const;
  // The user-defined type whose array type has oid `array_oid`, or nullptr.
  std::shared_ptr<const TypeDefInfo> FindTypeByArrayOid(Oid array_oid) const;
  // The functions and procedures named `name` in schema (every overload).
  std::vector<std::shared_ptr<const FunctionInfo>> FindFunctions(Oid db, const std::string& schema,
                                                                 const std::string& name) const;
  // A function or procedure by oid, or nullptr.
  std::shared_ptr<const FunctionInfo> FindFunctionByOid(Oid oid) const;

  OidIndexCache by_oid;  // FindRelationByOid, FindTypeByOid, FindFunctionByOid
};

class Catalog;
class SequenceManager;

// What a prepared transaction (storage/two_phase.h) keeps of its catalog changes besides the
// catalog rows, which are in its redo write set like any other write.
struct PreparedCatalogChanges {
  bool changed = false;  // catalog rows were written: COMMIT PREPARED reads the catalog again
  std::vector<std::string> created_storage;    // dropped by ROLLBACK PREPARED, kept at restart
  std::vector<std::string> drop_after_commit;  // dropped after COMMIT PREPARED
  // Sequence generations the changes mention (new and superseded): after COMMIT or ROLLBACK
  // PREPARED the values of those the catalog no longer uses are forgotten; kept at restart.
  std::vector<std::pair<Oid, uint32_t>> sequence_generations;
  // Not kept in the record: storage of DDL undone by ROLLBACK TO SAVEPOINT, dropped at PREPARE
  // (the prepared write set leaves out its keys).
  std::vector<std::string> discarded_storage;
};

// A storage transaction that also carries the catalog changes made in it. It forwards the
// Transaction calls to the wrapped one; Commit() and Rollback() finish the catalog part too
// (see the file comment). Destroying it without Commit() rolls it back.
class CatalogTxn final : public Transaction {
 public:
  CatalogTxn(Catalog* catalog, std::unique_ptr<Transaction> inner);
  ~CatalogTxn() override;

  std::optional<std::string> Get(std::string_view table, std::string_view key) override {
    return inner_->Get(table, key);
  }
  void Insert(std::string_view table, std::string_view key, std::string_view value) override {
    inner_->Insert(table, key, value);
  }
  void Put(std::string_view table, std::string_view key, std::string_view value) override {
    inner_->Put(table, key, value);
  }
  bool Delete(std::string_view table, std::string_view key) override {
    return inner_->Delete(table, key);
  }
  std::unique_ptr<Cursor> Scan(std::string_view table, std::string_view lower = {},
                               std::string_view upper = {}) override {
    return inner_->Scan(table, lower, upper);
  }
  std::unique_ptr<Cursor> ScanBackward(std::string_view table, std::string_view lower = {},
                                       std::string_view upper = {}) override {
    return inner_->ScanBackward(table, lower, upper);
  }
  bool LockRow(uint32_t relation, std::string_view key, RowLockMode mode,
               const RowLockWait* wait = nullptr) override {
    return inner_->LockRow(relation, key, mode, wait);
  }
  std::optional<std::string> GetCommitted(std::string_view table, std::string_view key) override {
    return inner_->GetCommitted(table, key);
  }
  bool Reserve(std::string_view table, std::string_view key) override {
    return inner_->Reserve(table, key);
  }
  LockOwner lock_owner() const override { return inner_->lock_owner(); }
  void LockRelation(uint32_t relation, LockMode mode, const char* nowait_name = nullptr) override {
    inner_->LockRelation(relation, mode, nowait_name);
  }
  // The wrapped transaction (a storage::UserTransaction for a client's transaction).
  Transaction* inner() const { return inner_.get(); }
  // Throws 40001 if a concurrent transaction changed the catalog in a way that conflicts with
  // this one's changes (or the storage transaction conflicted); everything is then rolled back.
  void Commit() override;
  void Rollback() override;

  // The catalog as this transaction sees it: the current global snapshot plus its own changes
  // (the global snapshot itself when it has none).
  std::shared_ptr<const CatalogSnapshot> Snapshot();
  bool has_catalog_changes() const;
  // Whether any DDL ran in it, also DDL undone by RollbackTo since (whose storage tables are
  // dropped when the transaction ends).
  bool ran_ddl() const { return !changes_.empty() || !drop_at_end_.empty(); }
  // Whether a change concerns an object in a temporary schema (pg_temp_N): PostgreSQL refuses
  // to PREPARE such a transaction.
  bool changed_temporary_objects() const;

  // PREPARE TRANSACTION's catalog half. Checks the changes against the current catalog as
  // Commit() would (40001) and calls `prepare` with what the prepared transaction must keep,
  // while no other catalog change commits; `prepare` makes the prepared record durable (and
  // ends the storage transaction). Afterwards this transaction has ended without undoing
  // anything: the storage it created stays for COMMIT PREPARED (Catalog::FinishPrepared),
  // storage of DDL undone by RollbackTo is dropped. On an error everything is rolled back.
  void Prepare(const std::function<void(const PreparedCatalogChanges&)>& prepare);

  // Savepoints: Mark() names the current end of the change list; RollbackTo(mark) forgets the
  // changes made after it, writes the catalog rows of the objects they touched back as they
  // were at the mark, and drops the storage tables created after it when the transaction ends.
  // (Rows of user tables written after the mark are the storage-level savepoint's business.)
  size_t Mark() const { return changes_.size(); }

  // The role that owns the tables, views, sequences, schemas and databases created in this
  // transaction from now on (the session's current user; the bootstrap superuser by default).
  void set_creator(Oid role) { creator_ = role; }
  Oid creator() const { return creator_; }
  void RollbackTo(size_t mark);

 private:
  friend class Catalog;
  struct Change {
    enum class Kind {
      kPutDatabase,
      kDeleteDatabase,
      kPutSchema,
      kDeleteSchema,
      kPutTable,
      kDeleteTable,
      kPutType,
      kDeleteType,
      kPutRole,
      kDeleteRole,
      kPutFunction,
      kDeleteFunction,
      kCreatedStorage,    // storage tables created: dropped on rollback
      kDropStorageLater,  // storage tables to drop after commit
    };
    Change(Kind k, DatabaseInfo d) : kind(k), database(std::move(d)) {}
    Change(Kind k, SchemaInfo s) : kind(k), schema(std::move(s)) {}
    Change(Kind k, std::shared_ptr<const TableInfo> t) : kind(k), table(std::move(t)) {}
    Change(Kind k, std::vector<std::string> names) : kind(k), storage(std::move(names)) {}
    Change(Kind k, std::shared_ptr<const TypeDefInfo> t) : kind(k), type(std::move(t)) {}
    Change(Kind k, RoleInfo r) : kind(k), role(std::move(r)) {}
    Change(Kind k, std::shared_ptr<const FunctionInfo> f) : kind(k), function(std::move(f)) {}
    Kind kind;
    DatabaseInfo database;
    SchemaInfo schema;
    std::shared_ptr<const TableInfo> table;
    std::vector<std::string> storage;
    std::shared_ptr<const TypeDefInfo> type;
    RoleInfo role;
    std::shared_ptr<const FunctionInfo> function;
  };
  void Record(Change c);
  // `base` with `changes` applied. With `check`, throws 40001 when they do not apply cleanly
  // (an object changed or vanished concurrently, a parent is gone, a name is taken twice, a
  // dropped schema or database is not empty).
  static std::shared_ptr<CatalogSnapshot> ApplyChanges(const CatalogSnapshot& base,
                                                       const std::vector<Change>& changes,
                                                       bool check);
  // Rolls the storage transaction back (if still open) and drops the storage it created.
  void Abort();
  // Drops the values of the sequence generations that `changes` (and `before`, for the same
  // sequences) mention but `keep` does not use: the superseded ones after a commit, the new
  // ones after a rollback.
  void ForgetSequenceGenerations(const std::vector<Change>& changes, const CatalogSnapshot& before,
                                 const CatalogSnapshot& keep);
  // Drops `drop_at_end_` (storage created before a RollbackTo).
  void DropLeftovers();

  Catalog* catalog_;
  std::unique_ptr<Transaction> inner_;
  std::vector<Change> changes_;
  std::vector<std::string> drop_at_end_;
  Oid creator_ = kBootstrapSuperuserOid;
  bool ended_ = false;
  uint64_t change_seq_ = 0;  // bumped by every change and RollbackTo
  std::shared_ptr<const CatalogSnapshot> view_;
  uint64_t view_base_version_ = 0;
  uint64_t view_seq_ = 0;
};

class Catalog {
 public:
  // Loads the catalog from `engine`; on a new data directory creates the database
  // "postgres" (oid 5) with schemas "pg_catalog" (11), "public" (2200) and
  // "information_schema". A data directory with the old single-document catalog (format 1) is
  // converted to rows. Throws Error (XX001 if the stored catalog cannot be read).
  // REQUIRES: engine outlives the catalog.
  // `prepared`: the catalog parts of the prepared transactions found in storage, whose storage
  // tables and sequence values the clean-up of orphans keeps.
  static std::unique_ptr<Catalog> Open(Engine* engine, uint32_t default_shard_count,
                                       const std::vector<PreparedCatalogChanges>& prepared = {});
  // Writes the exact state of the sequences used since the open, so that the next open goes on
  // without a gap (a crash skips at most a reserved block: SequenceManager).
  ~Catalog();

  // The latest committed catalog.
  std::shared_ptr<const CatalogSnapshot> Snapshot() const;
  // Reads the catalog again from storage and publishes it as the next version: on a replica,
  // after applied transactions changed sys_catalog behind the cache. Writes nothing.
  void Reload();

  // COMMIT PREPARED (commit) or ROLLBACK PREPARED of a transaction whose catalog part is `c`.
  // `finish` is the engine commit that applies (or discards) the prepared writes; with catalog
  // changes to commit it runs while no other catalog change commits and the catalog is then
  // read again and published. Afterwards the storage and sequence values nobody uses any more
  // are dropped.
  void FinishPrepared(const PreparedCatalogChanges& c, bool commit,
                      const std::function<void()>& finish);

  // A new storage transaction that can carry catalog changes.
  std::unique_ptr<CatalogTxn> Begin(Isolation isolation = Isolation::kSnapshot);

  // DDL, in `txn` (see the file comment). Names are looked up in txn->Snapshot(). Each throws
  // Error with PostgreSQL's SQLSTATE: 42P04 database "x" already exists,
  // 3D000 database "x" does not exist, 42P06 schema "x" already exists, 3F000 schema "x" does
  // not exist, 42P07 relation "x" already exists, 42P01 table "x" does not exist (DropTable;
  // AddIndex and TruncateTable say relation "x"), 42704 index "x" does not exist,
  // 42701 column "a" specified more than once, 2BP01 when a schema is not empty and cascade
  // is false (detail lists the dependents, as PostgreSQL), when dropping pg_catalog, or when
  // dropping an index that a constraint owns; 40001 when the catalog row conflicts with a
  // concurrent transaction's. CreateDatabase also creates the database's schemas
  // "pg_catalog", "public" and "information_schema". AddIndex with an empty index.name picks
  // PostgreSQL's default name (<table>_<cols>_idx, then ...idx1, ...).
  // The overloads without a CatalogTxn run in a transaction of their own and commit it.
  DatabaseInfo CreateDatabase(CatalogTxn* txn, const std::string& name);
  void DropDatabase(CatalogTxn* txn, const std::string& name);  // its tables' storage too
  // ALTER DATABASE name SET setting = value (value given) / RESET setting / RESET ALL ("all",
  // no value). 3D000 if there is no such database.
  void SetDatabaseSetting(CatalogTxn* txn, const std::string& name, const std::string& setting,
                          const std::optional<std::string>& value);
  SchemaInfo CreateSchema(CatalogTxn* txn, Oid db, const std::string& name);
  // Replace the row of database / schema `next.oid` (owner, privileges; not the name).
  void UpdateDatabase(CatalogTxn* txn, DatabaseInfo next);
  void UpdateSchema(CatalogTxn* txn, SchemaInfo next);
  // ALTER SCHEMA name RENAME TO new_name: the schema and every relation, type and function in
  // it move to the new name (same oids); 3F000 if there is no such schema, 42P06 if new_name
  // is taken. Texts that name the schema's objects (view queries, column defaults) are the
  // caller's to rewrite.
  void RenameSchema(CatalogTxn* txn, Oid db, const std::string& name, const std::string& new_name);

  // Roles. CreateRole assigns the oid: 42710 `role "x" already exists`. UpdateRole replaces
  // role `next.oid` (attributes, memberships, name: 42710 if the new name is taken). DropRole
  // removes it (the caller checks what depends on it). 42704 `role "x" does not exist`.
  RoleInfo CreateRole(CatalogTxn* txn, RoleInfo info);
  void UpdateRole(CatalogTxn* txn, RoleInfo next);
  void DropRole(CatalogTxn* txn, Oid role);
  void DropSchema(CatalogTxn* txn, Oid db, const std::string& name, bool cascade);
  // Assigns the oid, the owner (txn->creator()) and shard_count, creates the storage tables of
  // every shard and of every index in `info.indexes`. Fills in index oids. Also creates views
  // (is_view) and sequences
  // (`sequence` set), which have no storage tables.
  std::shared_ptr<const TableInfo> CreateTable(CatalogTxn* txn, TableInfo info);
  // Replaces the definition of relation `next.oid` (found by next's database, schema and name)
  // without touching its storage: column defaults, sequence parameters and ownership. With
  // `new_sequence_generation`, a sequence gets a new storage generation whose values start
  // from next.sequence->initial_* (ALTER SEQUENCE RESTART and parameter changes: PostgreSQL's
  // new relfilenode, which makes them transactional). 42P01 if the relation is gone.
  std::shared_ptr<const TableInfo> UpdateRelation(CatalogTxn* txn, TableInfo next,
                                                  bool new_sequence_generation = false);
  void DropTable(CatalogTxn* txn, Oid db, const std::string& schema, const std::string& name);
  // Adds a secondary index. The caller (executor) fills it from existing rows afterwards, in
  // the same transaction. Returns the table as updated.
  std::shared_ptr<const TableInfo> AddIndex(CatalogTxn* txn, Oid db, const std::string& schema,
                                            const std::string& table, IndexInfo index);
  void DropIndex(CatalogTxn* txn, Oid db, const std::string& schema, const std::string& index_name);
  // Removes every row of the table (TRUNCATE): the table gets new, empty storage tables (a
  // new storage generation); the old ones are dropped after the commit.
  void TruncateTable(CatalogTxn* txn, Oid db, const std::string& schema, const std::string& name);
  // Replaces the definition of table `name` with `next` (same oid; columns, primary key and
  // indexes may differ) in new, empty storage tables; the caller copies the rows. The old
  // storage is dropped after the commit. Returns the table as stored.
  std::shared_ptr<const TableInfo> RewriteTable(CatalogTxn* txn, Oid db, const std::string& schema,
                                                const std::string& name, TableInfo next);

  // User-defined types (enums, domains). CreateType assigns the oid and the array type's oid;
  // 42710 `type "x" already exists` if a type of that name exists in the schema. UpdateType
  // replaces the definition of `next.oid` (labels, constraints, name); DropType removes it.
  std::shared_ptr<const TypeDefInfo> CreateType(CatalogTxn* txn, TypeDefInfo info);
  std::shared_ptr<const TypeDefInfo> UpdateType(CatalogTxn* txn, TypeDefInfo next);
  void DropType(CatalogTxn* txn, const TypeDefInfo& type);

  // User-defined functions and procedures. CreateFunction assigns the oid (and the owner,
  // txn->creator()); 42723 `function f(integer) already exists with same argument types` if
  // one with the same input types exists in the schema (a procedure too). UpdateFunction
  // replaces `next.oid` (CREATE OR REPLACE, RENAME, OWNER, SET SCHEMA, GRANT); DropFunction
  // removes it.
  std::shared_ptr<const FunctionInfo> CreateFunction(CatalogTxn* txn, FunctionInfo info);
  std::shared_ptr<const FunctionInfo> UpdateFunction(CatalogTxn* txn, FunctionInfo next);
  void DropFunction(CatalogTxn* txn, const FunctionInfo& fn);

  // A new oid for an object kept inside another's row (an operator in its schema's).
  Oid NewObjectOid() { return NextOid(); }

  DatabaseInfo CreateDatabase(const std::string& name);
  void DropDatabase(const std::string& name);
  SchemaInfo CreateSchema(Oid db, const std::string& name);
  void DropSchema(Oid db, const std::string& name, bool cascade);
  std::shared_ptr<const TableInfo> CreateTable(TableInfo info);
  void DropTable(Oid db, const std::string& schema, const std::string& name);
  std::shared_ptr<const TableInfo> AddIndex(Oid db, const std::string& schema,
                                            const std::string& table, IndexInfo index);
  void DropIndex(Oid db, const std::string& schema, const std::string& index_name);
  void TruncateTable(Oid db, const std::string& schema, const std::string& name);

  // A new hidden row id for a table without a primary key: unique across restarts
  // (ids are reserved in persisted blocks), increasing within one run.
  uint64_t NextRowId(Oid table_oid);

  Engine* engine() const { return engine_; }
  // The values of every sequence (nextval, setval): shared by all sessions, not transactional.
  SequenceManager* sequences() const { return sequences_.get(); }

 private:
  friend class CatalogTxn;
  Catalog(Engine* engine, uint32_t default_shard_count);
  // ... implementation details private to storage/catalog.cpp
  void Load();
  void Publish(std::shared_ptr<const CatalogSnapshot> next);
  // Drops storage tables named like ours ("t<oid>[_<gen>]_s<n>", "i<oid>[_<gen>]_s<n>") that
  // the catalog does not reference (left over by a crash or a failed drop).
  void DropOrphanStorage(const std::set<std::string>& keep);
  // Reload() while holding commit_mu_.
  void ReloadLocked();
  // A new oid: never reused, also across restarts (reserved in persisted blocks).
  Oid NextOid();
  // Gives the objects of `t` that PostgreSQL numbers (TableInfo::row_type_oid ...) a new oid
  // where they have none, and 0 where the object does not exist. Returns whether it changed t.
  bool AssignObjectOids(TableInfo* t);
  // CatalogTxn::Commit with catalog changes. Returns the global snapshot it applied them to.
  std::shared_ptr<const CatalogSnapshot> CommitTxn(CatalogTxn* txn);
  // A private version number for a transaction's view.
  uint64_t NextPrivateVersion() { return next_private_version_.fetch_add(1); }
  template <typename F>
  auto Autocommit(F&& f);

  Engine* engine_;
  uint32_t default_shard_count_;
  std::mutex commit_mu_;                            // serialises commits with catalog changes
  mutable std::mutex snapshot_mu_;                  // guards current_ only
  std::shared_ptr<const CatalogSnapshot> current_;  // GUARDED_BY(snapshot_mu_)
  std::mutex oid_mu_;
  Oid next_oid_ = 16384;  // GUARDED_BY(oid_mu_)
  Oid oid_limit_ = 0;     // first oid not reserved yet; GUARDED_BY(oid_mu_)
  std::atomic<uint64_t> next_private_version_{CatalogSnapshot::kPrivateVersionBit | 1};
  std::mutex rowid_mu_;
  std::map<Oid, std::pair<uint64_t, uint64_t>> rowid_blocks_;  // next, limit; GUARDED_BY(rowid_mu_)
  std::unique_ptr<SequenceManager> sequences_;
};

}  // namespace activestore::storage
