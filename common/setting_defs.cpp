#include "common/setting_defs.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

namespace activestore {
namespace {

// PostgreSQL 15's pg_settings rows for the parameters ActiveStore has (name, vartype, unit,
// context, category, short_desc, extra_desc, min_val, max_val, enumvals), ordered by lower-case
// name. The pg_stat_statements.* entries are the extension's own definitions.
constexpr SettingDef kDefs[] = {
    {"application_name", SettingType::kString, nullptr, "user",
     "Reporting and Logging / What to Log",
     "Sets the application name to be reported in statistics and logs.", nullptr, nullptr, nullptr,
     nullptr},
    {"array_nulls", SettingType::kBool, nullptr, "user",
     "Version and Platform Compatibility / Previous PostgreSQL Versions",
     "Enable input of NULL elements in arrays.",
     "When turned on, unquoted NULL in an array input value means a null value; otherwise it is "
     "taken literally.",
     nullptr, nullptr, nullptr},
    {"backslash_quote", SettingType::kEnum, nullptr, "user",
     "Version and Platform Compatibility / Previous PostgreSQL Versions",
     "Sets whether \"\\'\" is allowed in string literals.", nullptr, nullptr, nullptr,
     "safe_encoding,on,off"},
    {"block_size", SettingType::kInteger, nullptr, "internal", "Preset Options",
     "Shows the size of a disk block.", nullptr, "8192", "8192", nullptr},
    {"bytea_output", SettingType::kEnum, nullptr, "user",
     "Client Connection Defaults / Statement Behavior", "Sets the output format for bytea.",
     nullptr, nullptr, nullptr, "escape,hex"},
    {"check_function_bodies", SettingType::kBool, nullptr, "user",
     "Client Connection Defaults / Statement Behavior",
     "Check routine bodies during CREATE FUNCTION and CREATE PROCEDURE.", nullptr, nullptr, nullptr,
     nullptr},
    {"client_encoding", SettingType::kString, nullptr, "user",
     "Client Connection Defaults / Locale and Formatting",
     "Sets the client's character set encoding.", nullptr, nullptr, nullptr, nullptr},
    {"client_min_messages", SettingType::kEnum, nullptr, "user",
     "Client Connection Defaults / Statement Behavior",
     "Sets the message levels that are sent to the client.",
     "Each level includes all the levels that follow it. The later the level, the fewer messages "
     "are sent.",
     nullptr, nullptr, "debug5,debug4,debug3,debug2,debug1,log,notice,warning,error"},
    {"DateStyle", SettingType::kString, nullptr, "user",
     "Client Connection Defaults / Locale and Formatting",
     "Sets the display format for date and time values.",
     "Also controls interpretation of ambiguous date inputs.", nullptr, nullptr, nullptr},
    {"deadlock_timeout", SettingType::kInteger, "ms", "superuser", "Lock Management",
     "Sets the time to wait on a lock before checking for deadlock.", nullptr, "1", "2147483647",
     nullptr},
    {"default_table_access_method", SettingType::kString, nullptr, "user",
     "Client Connection Defaults / Statement Behavior",
     "Sets the default table access method for new tables.", nullptr, nullptr, nullptr, nullptr},
    {"default_tablespace", SettingType::kString, nullptr, "user",
     "Client Connection Defaults / Statement Behavior",
     "Sets the default tablespace to create tables and indexes in.",
     "An empty string selects the database's default tablespace.", nullptr, nullptr, nullptr},
    {"default_text_search_config", SettingType::kString, nullptr, "user",
     "Client Connection Defaults / Locale and Formatting",
     "Sets default text search configuration.", nullptr, nullptr, nullptr, nullptr},
    {"default_transaction_deferrable", SettingType::kBool, nullptr, "user",
     "Client Connection Defaults / Statement Behavior",
     "Sets the default deferrable status of new transactions.", nullptr, nullptr, nullptr, nullptr},
    {"default_transaction_isolation", SettingType::kEnum, nullptr, "user",
     "Client Connection Defaults / Statement Behavior",
     "Sets the transaction isolation level of each new transaction.", nullptr, nullptr, nullptr,
     "serializable,repeatable read,read committed,read uncommitted"},
    {"default_transaction_read_only", SettingType::kBool, nullptr, "user",
     "Client Connection Defaults / Statement Behavior",
     "Sets the default read-only status of new transactions.", nullptr, nullptr, nullptr, nullptr},
    {"enable_bitmapscan", SettingType::kBool, nullptr, "user",
     "Query Tuning / Planner Method Configuration",
     "Enables the planner's use of bitmap-scan plans.", nullptr, nullptr, nullptr, nullptr},
    {"enable_hashjoin", SettingType::kBool, nullptr, "user",
     "Query Tuning / Planner Method Configuration", "Enables the planner's use of hash join plans.",
     nullptr, nullptr, nullptr, nullptr},
    {"enable_indexscan", SettingType::kBool, nullptr, "user",
     "Query Tuning / Planner Method Configuration",
     "Enables the planner's use of index-scan plans.", nullptr, nullptr, nullptr, nullptr},
    {"enable_mergejoin", SettingType::kBool, nullptr, "user",
     "Query Tuning / Planner Method Configuration",
     "Enables the planner's use of merge join plans.", nullptr, nullptr, nullptr, nullptr},
    {"enable_nestloop", SettingType::kBool, nullptr, "user",
     "Query Tuning / Planner Method Configuration",
     "Enables the planner's use of nested-loop join plans.", nullptr, nullptr, nullptr, nullptr},
    {"enable_seqscan", SettingType::kBool, nullptr, "user",
     "Query Tuning / Planner Method Configuration",
     "Enables the planner's use of sequential-scan plans.", nullptr, nullptr, nullptr, nullptr},
    {"enable_sort", SettingType::kBool, nullptr, "user",
     "Query Tuning / Planner Method Configuration",
     "Enables the planner's use of explicit sort steps.", nullptr, nullptr, nullptr, nullptr},
    {"escape_string_warning", SettingType::kBool, nullptr, "user",
     "Version and Platform Compatibility / Previous PostgreSQL Versions",
     "Warn about backslash escapes in ordinary string literals.", nullptr, nullptr, nullptr,
     nullptr},
    {"extra_float_digits", SettingType::kInteger, nullptr, "user",
     "Client Connection Defaults / Locale and Formatting",
     "Sets the number of digits displayed for floating-point values.",
     "This affects real, double precision, and geometric data types. A zero or negative parameter "
     "value is added to the standard number of digits (FLT_DIG or DBL_DIG as appropriate). Any "
     "value greater than zero selects precise output mode.",
     "-15", "3", nullptr},
    {"geqo", SettingType::kBool, nullptr, "user", "Query Tuning / Genetic Query Optimizer",
     "Enables genetic query optimization.",
     "This algorithm attempts to do planning without exhaustive searching.", nullptr, nullptr,
     nullptr},
    {"hash_mem_multiplier", SettingType::kReal, nullptr, "user", "Resource Usage / Memory",
     "Multiple of work_mem to use for hash tables.", nullptr, "1", "1000", nullptr},
    {"idle_in_transaction_session_timeout", SettingType::kInteger, "ms", "user",
     "Client Connection Defaults / Statement Behavior",
     "Sets the maximum allowed idle time between queries, when in a transaction.",
     "A value of 0 turns off the timeout.", "0", "2147483647", nullptr},
    {"in_hot_standby", SettingType::kBool, nullptr, "internal", "Preset Options",
     "Shows whether hot standby is currently active.", nullptr, nullptr, nullptr, nullptr},
    {"integer_datetimes", SettingType::kBool, nullptr, "internal", "Preset Options",
     "Shows whether datetimes are integer based.", nullptr, nullptr, nullptr, nullptr},
    {"IntervalStyle", SettingType::kEnum, nullptr, "user",
     "Client Connection Defaults / Locale and Formatting",
     "Sets the display format for interval values.", nullptr, nullptr, nullptr,
     "postgres,postgres_verbose,sql_standard,iso_8601"},
    {"jit", SettingType::kBool, nullptr, "user", "Query Tuning / Other Planner Options",
     "Allow JIT compilation.", nullptr, nullptr, nullptr, nullptr},
    {"lc_collate", SettingType::kString, nullptr, "internal", "Preset Options",
     "Shows the collation order locale.", nullptr, nullptr, nullptr, nullptr},
    {"lc_ctype", SettingType::kString, nullptr, "internal", "Preset Options",
     "Shows the character classification and case conversion locale.", nullptr, nullptr, nullptr,
     nullptr},
    {"lc_messages", SettingType::kString, nullptr, "superuser",
     "Client Connection Defaults / Locale and Formatting",
     "Sets the language in which messages are displayed.", nullptr, nullptr, nullptr, nullptr},
    {"lc_monetary", SettingType::kString, nullptr, "user",
     "Client Connection Defaults / Locale and Formatting",
     "Sets the locale for formatting monetary amounts.", nullptr, nullptr, nullptr, nullptr},
    {"lc_numeric", SettingType::kString, nullptr, "user",
     "Client Connection Defaults / Locale and Formatting",
     "Sets the locale for formatting numbers.", nullptr, nullptr, nullptr, nullptr},
    {"lc_time", SettingType::kString, nullptr, "user",
     "Client Connection Defaults / Locale and Formatting",
     "Sets the locale for formatting date and time values.", nullptr, nullptr, nullptr, nullptr},
    {"lock_timeout", SettingType::kInteger, "ms", "user",
     "Client Connection Defaults / Statement Behavior",
     "Sets the maximum allowed duration of any wait for a lock.",
     "A value of 0 turns off the timeout.", "0", "2147483647", nullptr},
    {"log_statement", SettingType::kEnum, nullptr, "superuser",
     "Reporting and Logging / What to Log", "Sets the type of statements logged.", nullptr, nullptr,
     nullptr, "none,ddl,mod,all"},
    {"maintenance_work_mem", SettingType::kInteger, "kB", "user", "Resource Usage / Memory",
     "Sets the maximum memory to be used for maintenance operations.",
     "This includes operations such as VACUUM and CREATE INDEX.", "1024", "2147483647", nullptr},
    {"max_connections", SettingType::kInteger, nullptr, "postmaster",
     "Connections and Authentication / Connection Settings",
     "Sets the maximum number of concurrent connections.", nullptr, "1", "262143", nullptr},
    {"max_identifier_length", SettingType::kInteger, nullptr, "internal", "Preset Options",
     "Shows the maximum identifier length.", nullptr, "63", "63", nullptr},
    {"max_index_keys", SettingType::kInteger, nullptr, "internal", "Preset Options",
     "Shows the maximum number of index keys.", nullptr, "32", "32", nullptr},
    {"max_parallel_workers_per_gather", SettingType::kInteger, nullptr, "user",
     "Resource Usage / Asynchronous Behavior",
     "Sets the maximum number of parallel processes per executor node.", nullptr, "0", "1024",
     nullptr},
    {"max_prepared_transactions", SettingType::kInteger, nullptr, "postmaster",
     "Resource Usage / Memory", "Sets the maximum number of simultaneously prepared transactions.",
     nullptr, "0", "262143", nullptr},
    {"min_parallel_table_scan_size", SettingType::kInteger, "8kB", "user",
     "Query Tuning / Planner Cost Constants",
     "Sets the minimum amount of table data for a parallel scan.",
     "If the planner estimates that it will read a number of table pages too small to reach this "
     "limit, a parallel scan will not be considered.",
     "0", "715827882", nullptr},
    {"parallel_leader_participation", SettingType::kBool, nullptr, "user",
     "Resource Usage / Asynchronous Behavior",
     "Controls whether Gather and Gather Merge also run subplans.",
     "Should gather nodes also run subplans or just gather tuples?", nullptr, nullptr, nullptr},
    {"pg_stat_statements.max", SettingType::kInteger, nullptr, "postmaster", "Customized Options",
     "Sets the maximum number of statements tracked by pg_stat_statements.", nullptr, "100",
     "2147483647", nullptr},
    {"pg_stat_statements.save", SettingType::kBool, nullptr, "sighup", "Customized Options",
     "Save pg_stat_statements statistics across server shutdowns.", nullptr, nullptr, nullptr,
     nullptr},
    {"pg_stat_statements.track", SettingType::kEnum, nullptr, "superuser", "Customized Options",
     "Selects which statements are tracked by pg_stat_statements.", nullptr, nullptr, nullptr,
     "none,top,all"},
    {"pg_stat_statements.track_planning", SettingType::kBool, nullptr, "superuser",
     "Customized Options", "Selects whether planning duration is tracked by pg_stat_statements.",
     nullptr, nullptr, nullptr, nullptr},
    {"pg_stat_statements.track_utility", SettingType::kBool, nullptr, "superuser",
     "Customized Options", "Selects whether utility commands are tracked by pg_stat_statements.",
     nullptr, nullptr, nullptr, nullptr},
    {"row_security", SettingType::kBool, nullptr, "user",
     "Client Connection Defaults / Statement Behavior", "Enable row security.",
     "When enabled, row security will be applied to all users.", nullptr, nullptr, nullptr},
    {"search_path", SettingType::kString, nullptr, "user",
     "Client Connection Defaults / Statement Behavior",
     "Sets the schema search order for names that are not schema-qualified.", nullptr, nullptr,
     nullptr, nullptr},
    {"server_encoding", SettingType::kString, nullptr, "internal", "Preset Options",
     "Shows the server (database) character set encoding.", nullptr, nullptr, nullptr, nullptr},
    {"server_version", SettingType::kString, nullptr, "internal", "Preset Options",
     "Shows the server version.", nullptr, nullptr, nullptr, nullptr},
    {"server_version_num", SettingType::kInteger, nullptr, "internal", "Preset Options",
     "Shows the server version as an integer.", nullptr, "150000", "150000", nullptr},
    {"session_replication_role", SettingType::kEnum, nullptr, "superuser",
     "Client Connection Defaults / Statement Behavior",
     "Sets the session's behavior for triggers and rewrite rules.", nullptr, nullptr, nullptr,
     "origin,replica,local"},
    {"ssl", SettingType::kBool, nullptr, "sighup", "Connections and Authentication / SSL",
     "Enables SSL connections.", nullptr, nullptr, nullptr, nullptr},
    {"standard_conforming_strings", SettingType::kBool, nullptr, "user",
     "Version and Platform Compatibility / Previous PostgreSQL Versions",
     "Causes '...' strings to treat backslashes literally.", nullptr, nullptr, nullptr, nullptr},
    {"statement_timeout", SettingType::kInteger, "ms", "user",
     "Client Connection Defaults / Statement Behavior",
     "Sets the maximum allowed duration of any statement.", "A value of 0 turns off the timeout.",
     "0", "2147483647", nullptr},
    {"superuser_reserved_connections", SettingType::kInteger, nullptr, "postmaster",
     "Connections and Authentication / Connection Settings",
     "Sets the number of connection slots reserved for superusers.", nullptr, "0", "262143",
     nullptr},
    {"synchronize_seqscans", SettingType::kBool, nullptr, "user",
     "Version and Platform Compatibility / Previous PostgreSQL Versions",
     "Enable synchronized sequential scans.", nullptr, nullptr, nullptr, nullptr},
    {"synchronous_commit", SettingType::kEnum, nullptr, "user", "Write-Ahead Log / Settings",
     "Sets the current transaction's synchronization level.", nullptr, nullptr, nullptr,
     "local,remote_write,remote_apply,on,off"},
    {"TimeZone", SettingType::kString, nullptr, "user",
     "Client Connection Defaults / Locale and Formatting",
     "Sets the time zone for displaying and interpreting time stamps.", nullptr, nullptr, nullptr,
     nullptr},
    {"timezone_abbreviations", SettingType::kString, nullptr, "user",
     "Client Connection Defaults / Locale and Formatting",
     "Selects a file of time zone abbreviations.", nullptr, nullptr, nullptr, nullptr},
    {"transaction_deferrable", SettingType::kBool, nullptr, "user",
     "Client Connection Defaults / Statement Behavior",
     "Whether to defer a read-only serializable transaction until it can be executed with no "
     "possible serialization failures.",
     nullptr, nullptr, nullptr, nullptr},
    {"transaction_isolation", SettingType::kEnum, nullptr, "user",
     "Client Connection Defaults / Statement Behavior",
     "Sets the current transaction's isolation level.", nullptr, nullptr, nullptr,
     "serializable,repeatable read,read committed,read uncommitted"},
    {"transaction_read_only", SettingType::kBool, nullptr, "user",
     "Client Connection Defaults / Statement Behavior",
     "Sets the current transaction's read-only status.", nullptr, nullptr, nullptr, nullptr},
    {"transform_null_equals", SettingType::kBool, nullptr, "user",
     "Version and Platform Compatibility / Other Platforms and Clients",
     "Treats \"expr=NULL\" as \"expr IS NULL\".",
     "When turned on, expressions of the form expr = NULL (or NULL = expr) are treated as expr IS "
     "NULL, that is, they return true if expr evaluates to the null value, and false otherwise. "
     "The correct behavior of expr = NULL is to always return null (unknown).",
     nullptr, nullptr, nullptr},
    {"vacuum_freeze_min_age", SettingType::kInteger, nullptr, "user",
     "Client Connection Defaults / Statement Behavior",
     "Minimum age at which VACUUM should freeze a table row.", nullptr, "0", "1000000000", nullptr},
    {"work_mem", SettingType::kInteger, "kB", "user", "Resource Usage / Memory",
     "Sets the maximum memory to be used for query workspaces.",
     "This much memory can be used by each internal sort operation and hash table before switching "
     "to temporary disk files.",
     "64", "2147483647", nullptr},
    {"xmloption", SettingType::kEnum, nullptr, "user",
     "Client Connection Defaults / Statement Behavior",
     "Sets whether XML data in implicit parsing and serialization operations is to be considered "
     "as documents or content fragments.",
     nullptr, nullptr, nullptr, "content,document"},
};

bool LessCi(std::string_view a, std::string_view b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) <
           std::tolower(static_cast<unsigned char>(y));
  });
}

}  // namespace

std::span<const SettingDef> AllSettingDefs() { return kDefs; }

const SettingDef* FindSettingDef(std::string_view name) {
  auto it =
      std::lower_bound(std::begin(kDefs), std::end(kDefs), name,
                       [](const SettingDef& d, std::string_view n) { return LessCi(d.name, n); });
  if (it == std::end(kDefs) || LessCi(name, it->name)) return nullptr;
  return &*it;
}

const char* SettingTypeName(SettingType t) {
  switch (t) {
    case SettingType::kBool:
      return "bool";
    case SettingType::kInteger:
      return "integer";
    case SettingType::kReal:
      return "real";
    case SettingType::kString:
      return "string";
    case SettingType::kEnum:
      return "enum";
  }
  return "string";
}

std::string SettingInUnits(const SettingDef& def, const std::string& shown) {
  if (def.type != SettingType::kInteger || def.unit == nullptr) return shown;
  // SHOW prints the value with the largest unit that divides it ("4MB", "1s", "0").
  char* end = nullptr;
  const double num = std::strtod(shown.c_str(), &end);
  std::string suffix(end);
  suffix.erase(std::remove(suffix.begin(), suffix.end(), ' '), suffix.end());
  struct Scale {
    const char* suffix;
    double factor;  // in bytes or in milliseconds
  };
  static constexpr Scale kScales[] = {{"B", 1},
                                      {"kB", 1024},
                                      {"MB", 1024.0 * 1024},
                                      {"GB", 1024.0 * 1024 * 1024},
                                      {"TB", 1024.0 * 1024 * 1024 * 1024},
                                      {"us", 0.001},
                                      {"ms", 1},
                                      {"s", 1000},
                                      {"min", 60 * 1000},
                                      {"h", 60 * 60 * 1000},
                                      {"d", 24 * 60 * 60 * 1000}};
  // The parameter's unit in the same measures (bytes or milliseconds); a bare number is in it.
  double unit_factor = 1;
  for (const Scale& s : kScales) {
    if (std::string_view(def.unit) == s.suffix) unit_factor = s.factor;
  }
  if (std::string_view(def.unit) == "8kB") unit_factor = 8192;
  double factor = unit_factor;
  for (const Scale& s : kScales) {
    if (suffix == s.suffix) factor = s.factor;
  }
  const double in_units = num * factor / unit_factor;
  return std::to_string(static_cast<long long>(std::llround(in_units)));
}

}  // namespace activestore
