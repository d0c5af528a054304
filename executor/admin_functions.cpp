#include "executor/admin_functions.h"

#include <fmt/format.h>
#include <strings.h>

#include <atomic>
#include <cctype>
#include <chrono>

#include "common/numeric.h"
#include "executor/executor.h"
#include "executor/reg_resolver.h"
#include "planner/pg_catalog/system_relation.h"
#include "storage/acl.h"
#include "storage/parallel_readers.h"

namespace activestore::executor {
namespace {

using Args = std::vector<Value>;
using planner::BoundExpr;
using storage::Oid;
namespace pgc = planner::pg_catalog;

constexpr Oid kPgReadAllStatsOid = 3375;  // the predefined role pg_read_all_stats

// --- server times ---

// Microseconds since 2000-01-01 UTC (PostgreSQL's timestamp epoch).
int64_t NowPgMicros() {
  constexpr int64_t kUnixToPgEpochUs = 946'684'800'000'000;
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
             .count() -
         kUnixToPgEpochUs;
}

// Set at the process's start (static initialization), then by the Note* functions.
std::atomic<int64_t> g_server_started{NowPgMicros()};
std::atomic<int64_t> g_config_loaded{g_server_started.load()};

Value FnPgPostmasterStartTime(const Args&, const BoundExpr&, ExecState&) {
  return Value::Int(TypeId::kTimestampTz, g_server_started.load());
}

Value FnPgConfLoadTime(const Args&, const BoundExpr&, ExecState&) {
  return Value::Int(TypeId::kTimestampTz, g_config_loaded.load());
}

// --- object sizes ---
//
// What WiredTiger holds for a relation: the sum over its shards' storage tables of each one's
// file size, or of its pages in the cache when that is more (rows not yet checkpointed). A
// relation has no free space map, visibility map or TOAST table beside it, so the table size
// is its main fork's; a primary key is the rows' key and has no storage of its own; views,
// sequences and the pg_catalog relations have none.

int64_t StorageBytes(const ExecState& st, const std::string& table) {
  return static_cast<int64_t>(storage::ApproximateBytes(st.ctx.catalog->engine(), table));
}

int64_t TableMainBytes(const ExecState& st, const storage::TableInfo& t) {
  if (t.is_view || t.is_sequence()) return 0;
  int64_t bytes = 0;
  for (uint32_t s = 0; s < t.shard_count; ++s) bytes += StorageBytes(st, t.ShardTable(s));
  return bytes;
}

int64_t IndexBytes(const ExecState& st, const storage::TableInfo& t,
                   const storage::IndexInfo& index) {
  int64_t bytes = 0;
  for (uint32_t s = 0; s < t.shard_count; ++s) bytes += StorageBytes(st, index.ShardTable(s));
  return bytes;
}

int64_t IndexesBytes(const ExecState& st, const storage::TableInfo& t) {
  int64_t bytes = 0;
  for (const storage::IndexInfo& index : t.indexes) bytes += IndexBytes(st, t, index);
  return bytes;
}

// Every relation of database `db` (0: of every database) with its indexes.
int64_t DatabaseBytes(const ExecState& st, const storage::CatalogSnapshot& snap, Oid db) {
  int64_t bytes = 0;
  for (const auto& [key, t] : snap.tables) {
    if (db == 0 || std::get<0>(key) == db) bytes += TableMainBytes(st, *t) + IndexesBytes(st, *t);
  }
  return bytes;
}

// The relation an oid names, as the size functions see it.
struct SizedRelation {
  std::shared_ptr<const storage::TableInfo> table;  // the table, or the index's table
  const storage::IndexInfo* index = nullptr;        // a secondary index of `table`
  bool primary_key = false;                         // the primary key index of `table`
  bool exists = false;                              // false: NULL, as PostgreSQL
};

SizedRelation FindSized(const ExecState& st, Oid oid) {
  SizedRelation r;
  if (!st.ctx.catalog_view || st.ctx.catalog == nullptr) return r;
  const storage::CatalogSnapshot& snap = *st.ctx.catalog_view;
  if ((r.table = snap.FindRelationByOid(oid))) {
    r.exists = true;
    return r;
  }
  for (const auto& [key, t] : snap.tables) {
    if (std::get<0>(key) != st.ctx.database_oid) continue;
    if (t->pkey_index_oid == oid && !t->primary_key.empty()) {
      r.table = t;
      r.primary_key = r.exists = true;
      return r;
    }
    for (const storage::IndexInfo& index : t->indexes) {
      if (index.oid != oid) continue;
      r.table = t;
      r.index = &index;
      r.exists = true;
      return r;
    }
  }
  // A pg_catalog or information_schema relation: it exists and stores nothing.
  r.exists = st.ctx.names != nullptr && st.ctx.names->RelationVisible(oid).has_value();
  return r;
}

enum class SizeOf { kMainFork, kTable, kIndexes, kTotal };

Value RelationSize(const ExecState& st, Oid oid, SizeOf what) {
  const SizedRelation r = FindSized(st, oid);
  if (!r.exists) return Value::Null(Type::Of(TypeId::kInt64));
  if (!r.table) return Value::Int64(0);
  const bool is_index = r.index != nullptr || r.primary_key;
  int64_t own = 0;
  if (r.index != nullptr) {
    own = IndexBytes(st, *r.table, *r.index);
  } else if (!r.primary_key) {
    own = TableMainBytes(st, *r.table);
  }
  const int64_t indexes = is_index ? 0 : IndexesBytes(st, *r.table);
  switch (what) {
    case SizeOf::kMainFork:
    case SizeOf::kTable:
      return Value::Int64(own);
    case SizeOf::kIndexes:
      return Value::Int64(indexes);
    case SizeOf::kTotal:
      return Value::Int64(own + indexes);
  }
  return Value::Int64(own);
}

// pg_relation_size(regclass [, fork]): the main fork's bytes; the other forks are empty.
Value FnPgRelationSize(const Args& a, const BoundExpr&, ExecState& st) {
  if (a.size() > 1) {
    const std::string& fork = a[1].s;
    if (fork != "main" && fork != "fsm" && fork != "vm" && fork != "init") {
      throw Error(SqlState::kInvalidParameterValue, "invalid fork name")
          .Hint("Valid fork names are \"main\", \"fsm\", \"vm\", and \"init\".");
    }
    if (fork != "main") {
      return FindSized(st, static_cast<Oid>(a[0].i)).exists ? Value::Int64(0)
                                                            : Value::Null(Type::Of(TypeId::kInt64));
    }
  }
  return RelationSize(st, static_cast<Oid>(a[0].i), SizeOf::kMainFork);
}

template <SizeOf kWhat>
Value FnRelationSize(const Args& a, const BoundExpr&, ExecState& st) {
  return RelationSize(st, static_cast<Oid>(a[0].i), kWhat);
}

// pg_database_size(name | oid): every relation of the database with its indexes. The caller
// needs CONNECT on it or the privileges of pg_read_all_stats (42501); an oid that names no
// database gives NULL, a name 3D000.
Value FnPgDatabaseSize(const Args& a, const BoundExpr&, ExecState& st) {
  if (!st.ctx.catalog_view || st.ctx.catalog == nullptr)
    return Value::Null(Type::Of(TypeId::kInt64));
  const storage::CatalogSnapshot& snap = *st.ctx.catalog_view;
  const storage::DatabaseInfo* db = nullptr;
  if (a[0].type.id == TypeId::kOid) {
    for (const auto& [name, d] : snap.databases) {
      if (d.oid == static_cast<Oid>(a[0].i)) db = &d;
    }
    if (db == nullptr) return Value::Null(Type::Of(TypeId::kInt64));
  } else {
    db = snap.FindDatabase(a[0].s);
    if (db == nullptr)
      Throw(SqlState::kInvalidCatalogName, "database \"{}\" does not exist", a[0].s);
  }
  const Oid user = st.ctx.user_oid;
  const bool may_connect =
      storage::AclMask(snap, user, db->acl, storage::AclObject::kDatabase, db->owner,
                       storage::acl::kConnect, db->owner, false) != 0;
  if (!may_connect && !storage::HasPrivsOfRole(snap, user, kPgReadAllStatsOid)) {
    Throw(SqlState::kInsufficientPrivilege, "permission denied for database {}", db->name);
  }
  return Value::Int64(DatabaseBytes(st, snap, db->oid));
}

// pg_tablespace_size(name | oid): pg_default holds every database's relations, pg_global the
// shared catalog (storage/catalog.cpp's table "sys_catalog"). A tablespace other than the
// database's default needs the privileges of pg_read_all_stats (42501): nobody can be granted
// CREATE on pg_global. An oid that names neither gives NULL, a name 42704.
Value FnPgTablespaceSize(const Args& a, const BoundExpr&, ExecState& st) {
  constexpr Oid kPgDefault = pgc::kDefaultTablespaceOid, kPgGlobal = pgc::kGlobalTablespaceOid;
  Oid oid = 0;
  if (a[0].type.id == TypeId::kOid) {
    oid = static_cast<Oid>(a[0].i);
    if (oid != kPgDefault && oid != kPgGlobal) return Value::Null(Type::Of(TypeId::kInt64));
  } else if (a[0].s == "pg_default" || a[0].s == "pg_global") {
    oid = a[0].s == "pg_default" ? kPgDefault : kPgGlobal;
  } else {
    Throw(SqlState::kUndefinedObject, "tablespace \"{}\" does not exist", a[0].s);
  }
  if (!st.ctx.catalog_view || st.ctx.catalog == nullptr)
    return Value::Null(Type::Of(TypeId::kInt64));
  const storage::CatalogSnapshot& snap = *st.ctx.catalog_view;
  if (oid == kPgGlobal) {
    if (!storage::HasPrivsOfRole(snap, st.ctx.user_oid, kPgReadAllStatsOid)) {
      Throw(SqlState::kInsufficientPrivilege, "permission denied for tablespace pg_global");
    }
    return Value::Int64(StorageBytes(st, "sys_catalog"));
  }
  return Value::Int64(DatabaseBytes(st, snap, 0));
}

// pg_tablespace_location(oid): '' for pg_default and pg_global (and 0, the database's default),
// the only tablespaces; PostgreSQL's error for any other, which has no entry in pg_tblspc.
Value FnPgTablespaceLocation(const Args& a, const BoundExpr&, ExecState&) {
  const auto oid = static_cast<Oid>(a[0].i);
  if (oid == 0 || oid == pgc::kDefaultTablespaceOid || oid == pgc::kGlobalTablespaceOid) {
    return Value::Text("");
  }
  Throw(SqlStateFromCode("58P01"),
        "could not stat file \"pg_tblspc/{}\": No such file or directory", oid);
}

// --- pg_size_pretty and pg_size_bytes ---
//
// The units, each 2^10 times the one before. A size is shown in bytes below 10 kB; otherwise in
// the first unit under which it is less than 20480 (rounded half away from zero), or in PB.

constexpr const char* kUnits[] = {"bytes", "kB", "MB", "GB", "TB", "PB"};
constexpr int kUnitCount = static_cast<int>(std::size(kUnits));

// The size is carried in halves of the unit being tried, so that the last division rounds.
Value FnPgSizePrettyInt(const Args& a, const BoundExpr&, ExecState&) {
  int64_t v = a[0].i;
  if (v > -10 * 1024 && v < 10 * 1024) return Value::Text(fmt::format("{} bytes", v));
  v /= 512;  // halves of a kB
  for (int unit = 1;; ++unit) {
    if (unit == kUnitCount - 1 || (v > -(20 * 1024 - 1) && v < 20 * 1024 - 1)) {
      const int64_t rounded = (v + (v < 0 ? -1 : 1)) / 2;
      return Value::Text(fmt::format("{} {}", rounded, kUnits[unit]));
    }
    v /= 1024;
  }
}

Value FnPgSizePrettyNumeric(const Args& a, const BoundExpr&, ExecState&) {
  Numeric v = a[0].num;
  // NaN and the infinities are never under a limit.
  if (v.IsSpecial()) return Value::Text(fmt::format("{} {}", v.ToString(), kUnits[kUnitCount - 1]));
  if (v.Abs().Compare(Numeric::FromInt64(10 * 1024)) < 0) {
    return Value::Text(fmt::format("{} bytes", v.ToString()));
  }
  // Truncating first divides as integer division of the value would: trunc(trunc(x) / n) is
  // trunc(x / n) for an integer n. Each quotient of integers by 2^k is exact at scale k.
  auto divide = [](const Numeric& x, int64_t by, int scale) {
    return x.DivScale(Numeric::FromInt64(by), scale).Trunc(0);
  };
  v = divide(v.Trunc(0), 512, 9);
  const Numeric limit = Numeric::FromInt64(20 * 1024 - 1);
  for (int unit = 1;; ++unit) {
    if (unit == kUnitCount - 1 || v.Abs().Compare(limit) < 0) {
      const Numeric rounded = divide(v.Add(Numeric::FromInt64(v.IsNegative() ? -1 : 1)), 2, 1);
      return Value::Text(fmt::format("{} {}", rounded.ToString(), kUnits[unit]));
    }
    v = divide(v, 1024, 10);
  }
}

// pg_size_pretty(bigint | numeric).
Value FnPgSizePretty(const Args& a, const BoundExpr& e, ExecState& st) {
  return a[0].type.id == TypeId::kNumeric ? FnPgSizePrettyNumeric(a, e, st)
                                          : FnPgSizePrettyInt(a, e, st);
}

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// pg_size_bytes(text): a number in PostgreSQL's numeric syntax (sign, digits, point, exponent),
// then optionally a unit, case-insensitively, with spaces around.
Value FnPgSizeBytes(const Args& a, const BoundExpr&, ExecState&) {
  const std::string& text = a[0].s;
  auto invalid = [&] { Throw(SqlState::kInvalidParameterValue, "invalid size: \"{}\"", text); };
  size_t at = 0;
  while (at < text.size() && IsSpace(text[at])) ++at;
  const size_t start = at;
  auto digits = [&] {
    const size_t from = at;
    while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) ++at;
    return at > from;
  };
  if (at < text.size() && (text[at] == '-' || text[at] == '+')) ++at;
  bool have_digits = digits();
  if (at < text.size() && text[at] == '.') {
    ++at;
    have_digits |= digits();
  }
  if (!have_digits) invalid();
  if (at < text.size() && (text[at] == 'e' || text[at] == 'E')) {
    // An exponent only if digits follow; otherwise the letters are read as the unit.
    size_t e = at + 1;
    if (e < text.size() && (text[e] == '-' || text[e] == '+')) ++e;
    const size_t digits_from = e;
    while (e < text.size() && std::isdigit(static_cast<unsigned char>(text[e]))) ++e;
    if (e > digits_from) at = e;
  }
  Numeric n = Numeric::Parse(std::string_view(text).substr(start, at - start));
  while (at < text.size() && IsSpace(text[at])) ++at;
  if (at < text.size()) {
    size_t end = text.size();
    while (end > at && IsSpace(text[end - 1])) --end;
    const std::string unit = text.substr(at, end - at);
    int found = -1;
    for (int u = 0; u < kUnitCount && found < 0; ++u) {
      if (strcasecmp(unit.c_str(), kUnits[u]) == 0) found = u;
    }
    if (found < 0) {
      throw Error(SqlState::kInvalidParameterValue, fmt::format("invalid size: \"{}\"", text))
          .Detail(fmt::format("Invalid size unit: \"{}\".", unit))
          .Hint("Valid units are \"bytes\", \"kB\", \"MB\", \"GB\", \"TB\", and \"PB\".");
    }
    if (found > 0) n = n.Mul(Numeric::FromInt64(int64_t{1} << (10 * found)));
  }
  return Value::Int64(n.ToInt64());
}

}  // namespace

void NoteServerStarted() {
  const int64_t now = NowPgMicros();
  g_server_started.store(now);
  g_config_loaded.store(now);
}

void NoteConfigurationLoaded() { g_config_loaded.store(NowPgMicros()); }

const std::vector<StringFunctionEntry>& AdminFunctionEntries() {
  static const std::vector<StringFunctionEntry> kEntries = {
      {"pg_postmaster_start_time", FnPgPostmasterStartTime, true},
      {"pg_conf_load_time", FnPgConfLoadTime, true},
      {"pg_relation_size", FnPgRelationSize, true},
      {"pg_table_size", FnRelationSize<SizeOf::kTable>, true},
      {"pg_indexes_size", FnRelationSize<SizeOf::kIndexes>, true},
      {"pg_total_relation_size", FnRelationSize<SizeOf::kTotal>, true},
      {"pg_database_size", FnPgDatabaseSize, true},
      {"pg_tablespace_size", FnPgTablespaceSize, true},
      {"pg_tablespace_location", FnPgTablespaceLocation, true},
      {"pg_size_pretty", FnPgSizePretty, true},
      {"pg_size_bytes", FnPgSizeBytes, true},
  };
  return kEntries;
}

}  // namespace activestore::executor
