#include "executor/settings.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <thread>

#include "common/error.h"

namespace activestore::executor {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string Trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

bool ParseBool(const std::string& v, bool* out) {
  std::string l = Lower(Trim(v));
  if (l == "on" || l == "true" || l == "yes" || l == "1" || l == "t") {
    *out = true;
    return true;
  }
  if (l == "off" || l == "false" || l == "no" || l == "0" || l == "f") {
    *out = false;
    return true;
  }
  return false;
}

// A number with an optional unit, as PostgreSQL's parse_int reads it: false on bad syntax.
bool ParseScaled(const std::string& raw, double* num, std::string* unit) {
  std::string v = Trim(raw);
  size_t i = 0;
  while (i < v.size() && (std::isdigit(static_cast<unsigned char>(v[i])) || v[i] == '.' ||
                          (i == 0 && (v[i] == '-' || v[i] == '+')))) {
    ++i;
  }
  if (i == 0) return false;
  try {
    *num = std::stod(v.substr(0, i));
  } catch (const std::logic_error&) {
    return false;
  }
  *unit = Trim(v.substr(i));
  return true;
}

// A time setting as PostgreSQL reads it: a number with an optional unit (default ms).
bool ParseMillis(const std::string& raw, int64_t* out) {
  double num;
  std::string unit;
  if (!ParseScaled(raw, &num, &unit)) return false;
  double factor;
  if (unit.empty() || unit == "ms") {
    factor = 1;
  } else if (unit == "us") {
    factor = 0.001;
  } else if (unit == "s") {
    factor = 1000;
  } else if (unit == "min") {
    factor = 60000;
  } else if (unit == "h") {
    factor = 3600000;
  } else if (unit == "d") {
    factor = 86400000;
  } else {
    return false;
  }
  double ms = num * factor;
  if (ms > 9.2e15 || ms < -9.2e15) return false;
  *out = static_cast<int64_t>(ms + (ms >= 0 ? 0.5 : -0.5));
  return true;
}

// PostgreSQL's display of a time setting: the largest unit that divides the value.
std::string FormatMillis(int64_t ms) {
  if (ms == 0) return "0";
  static const std::pair<int64_t, const char*> kUnits[] = {
      {86400000, "d"}, {3600000, "h"}, {60000, "min"}, {1000, "s"}};
  for (const auto& [f, u] : kUnits) {
    if (ms % f == 0) return std::to_string(ms / f) + u;
  }
  return std::to_string(ms) + "ms";
}

// A memory setting in units of `unit_bytes` (PostgreSQL's GUC_UNIT_KB: 1024, GUC_UNIT_BLOCKS:
// 8192): a number of units or an amount with a unit (B, kB, MB, GB, TB), rounded to units.
// False on bad syntax.
bool ParseMemoryUnits(const std::string& raw, double unit_bytes, double* units) {
  double num;
  std::string unit;
  if (!ParseScaled(raw, &num, &unit)) return false;
  static const std::pair<const char*, double> kUnits[] = {{"B", 1},
                                                          {"kB", 1024},
                                                          {"MB", 1024.0 * 1024},
                                                          {"GB", 1024.0 * 1024 * 1024},
                                                          {"TB", 1024.0 * 1024 * 1024 * 1024}};
  if (unit.empty()) {
    *units = std::nearbyint(num);
    return true;
  }
  for (const auto& [u, factor] : kUnits) {
    if (unit == u) {
      *units = std::nearbyint(num * factor / unit_bytes);
      return true;
    }
  }
  return false;
}
bool ParseBlocks(const std::string& raw, double* blocks) {
  return ParseMemoryUnits(raw, 8192, blocks);
}
bool ParseKilobytes(const std::string& raw, double* kb) { return ParseMemoryUnits(raw, 1024, kb); }

// PostgreSQL's display of a memory setting in kB: the largest unit that divides it.
std::string FormatKilobytes(int64_t kb) {
  if (kb == 0) return "0";
  static const std::pair<int64_t, const char*> kUnits[] = {
      {1024LL * 1024 * 1024, "TB"}, {1024 * 1024, "GB"}, {1024, "MB"}};
  for (const auto& [f, u] : kUnits) {
    if (kb % f == 0) return std::to_string(kb / f) + u;
  }
  return std::to_string(kb) + "kB";
}
// The same of a setting in 8kB blocks.
std::string FormatBlocks(int64_t blocks) { return FormatKilobytes(blocks * 8); }

[[noreturn]] void NotBoolean(const std::string& display) {
  Throw(SqlState::kInvalidParameterValue, "parameter \"{}\" requires a Boolean value", display);
}

[[noreturn]] void InvalidValue(const std::string& display, const std::string& value) {
  Throw(SqlState::kInvalidParameterValue, "invalid value for parameter \"{}\": \"{}\"", display,
        value);
}

// Splits a comma-separated list as PostgreSQL's SplitIdentifierString: unquoted words are
// lower-cased, "quoted" ones kept; returns false on bad syntax.
bool SplitList(const std::string& v, std::vector<std::string>* out) {
  size_t i = 0;
  auto skip = [&] {
    while (i < v.size() && std::isspace(static_cast<unsigned char>(v[i]))) ++i;
  };
  skip();
  if (i == v.size()) return true;
  while (true) {
    std::string item;
    if (i < v.size() && v[i] == '"') {
      ++i;
      while (true) {
        if (i >= v.size()) return false;
        if (v[i] == '"') {
          if (i + 1 < v.size() && v[i + 1] == '"') {
            item += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        item += v[i++];
      }
      if (item.empty()) return false;
    } else {
      while (i < v.size() && v[i] != ',' && !std::isspace(static_cast<unsigned char>(v[i]))) {
        item += static_cast<char>(std::tolower(static_cast<unsigned char>(v[i++])));
      }
      if (item.empty()) return false;
    }
    out->push_back(item);
    skip();
    if (i == v.size()) return true;
    if (v[i] != ',') return false;
    ++i;
    skip();
  }
}

}  // namespace

// PostgreSQL's check_datestyle: style words ISO, SQL, POSTGRES, GERMAN and orders YMD, DMY
// (EURO*), MDY (US, NONEURO*), DEFAULT; a part not given keeps its current value, GERMAN alone
// implies DMY.
void ParseDateStyle(const std::string& value, DateStyle cur_style, DateOrder cur_order,
                    DateStyle* style_out, DateOrder* order_out) {
  auto fail = [&](const std::string& detail) {
    throw Error(SqlState::kInvalidParameterValue,
                fmt::format("invalid value for parameter \"DateStyle\": \"{}\"", value))
        .Detail(detail);
  };
  std::vector<std::string> words;
  if (!SplitList(value, &words)) fail("List syntax is invalid.");
  DateStyle style = cur_style;
  DateOrder order = cur_order;
  bool have_style = false, have_order = false, ok = true;
  auto set_style = [&](DateStyle s) {
    if (have_style && style != s) ok = false;
    style = s;
    have_style = true;
  };
  auto set_order = [&](DateOrder o) {
    if (have_order && order != o) ok = false;
    order = o;
    have_order = true;
  };
  for (const auto& w : words) {
    if (w == "iso") {
      set_style(DateStyle::kIso);
    } else if (w == "sql") {
      set_style(DateStyle::kSql);
    } else if (w.rfind("postgres", 0) == 0 && w.size() == 8) {
      set_style(DateStyle::kPostgres);
    } else if (w == "german") {
      set_style(DateStyle::kGerman);
      if (!have_order) order = DateOrder::kDmy;
    } else if (w == "ymd") {
      set_order(DateOrder::kYmd);
    } else if (w == "dmy" || w.rfind("euro", 0) == 0) {
      set_order(DateOrder::kDmy);
    } else if (w == "mdy" || w == "us" || w.rfind("noneuro", 0) == 0) {
      set_order(DateOrder::kMdy);
    } else if (w == "default") {
      if (!have_style) style = DateStyle::kIso;
      if (!have_order) order = DateOrder::kMdy;
    } else {
      fail(fmt::format("Unrecognized key word: \"{}\".", w));
    }
  }
  if (!ok) fail("Conflicting \"datestyle\" specifications.");
  *style_out = style;
  *order_out = order;
}

std::string DateStyleName(DateStyle style, DateOrder order) {
  static constexpr const char* kStyles[] = {"ISO", "SQL", "Postgres", "German"};
  static constexpr const char* kOrders[] = {"MDY", "DMY", "YMD"};
  return std::string(kStyles[static_cast<int>(style)]) + ", " + kOrders[static_cast<int>(order)];
}

// PostgreSQL's check_timezone: a number is hours east of UTC (SQL sign convention), anything
// else a zone name or POSIX spec (POSIX sign convention: 'UTC+3' is 3 hours west).
std::shared_ptr<const TimeZone> ParseTimeZone(const std::string& value) {
  std::string l = Lower(value);
  if (l.rfind("interval", 0) == 0) {
    Throw(SqlState::kFeatureNotSupported, "time zone intervals are not supported");
  }
  if (!value.empty()) {
    char* end = nullptr;
    double hours = std::strtod(value.c_str(), &end);
    if (end != value.c_str() && *end == '\0') {
      std::shared_ptr<const TimeZone> tz;
      if (std::isfinite(hours) && std::fabs(hours) < 168) {
        tz = TimeZone::FixedOffset(static_cast<int64_t>(std::llround(hours * 3600)));
      }
      if (!tz) {
        throw Error(SqlState::kInvalidParameterValue,
                    fmt::format("invalid value for parameter \"TimeZone\": \"{}\"", value))
            .Detail("UTC timezone offset is out of range.");
      }
      return tz;
    }
  }
  std::shared_ptr<const TimeZone> tz = TimeZone::Find(value);
  if (!tz) {
    Throw(SqlState::kInvalidParameterValue, "invalid value for parameter \"TimeZone\": \"{}\"",
          value);
  }
  return tz;
}

namespace {}  // namespace

Settings::Settings(const std::string& server_version) {
  auto add = [&](const char* display, const char* value, bool report, bool read_only) {
    Param p{display, value, value, report, read_only, value};
    params_[Lower(display)] = p;
  };
  add("server_version", server_version.c_str(), true, true);
  add("server_encoding", "UTF8", true, true);
  add("ssl", "off", false, true);
  add("client_encoding", "UTF8", true, false);
  add("DateStyle", "ISO, MDY", true, false);
  add("IntervalStyle", "postgres", true, false);
  add("bytea_output", "hex", false, false);
  add("TimeZone", "UTC", true, false);
  add("integer_datetimes", "on", true, true);
  add("standard_conforming_strings", "on", true, false);
  add("application_name", "", true, false);
  add("is_superuser", "on", true, true);
  add("session_authorization", "postgres", true, true);
  add("role", "none", false, true);
  add("default_transaction_read_only", "off", true, false);
  add("in_hot_standby", "off", true, true);
  add("search_path", "\"$user\", public", false, false);
  add("extra_float_digits", "1", false, false);
  add("transaction_isolation", "read committed", false, false);
  add("default_transaction_isolation", "read committed", false, false);
  add("transaction_read_only", "off", false, false);
  add("transaction_deferrable", "off", false, false);
  add("default_transaction_deferrable", "off", false, false);
  add("client_min_messages", "notice", false, false);
  add("statement_timeout", "0", false, false);
  add("lock_timeout", "0", false, false);
  add("idle_in_transaction_session_timeout", "0", false, false);
  add("deadlock_timeout", "1s", false, false);
  add("max_identifier_length", "63", false, true);
  add("lc_collate", "C", false, true);
  add("lc_ctype", "C", false, true);
  add("lc_messages", "C", false, false);
  add("lc_monetary", "C", false, false);
  add("lc_numeric", "C", false, false);
  add("lc_time", "C", false, false);
  add("synchronous_commit", "on", false, false);
  add("work_mem", "4MB", false, false);
  add("hash_mem_multiplier", "2", false, false);
  // Parallel fragments (executor/parallel_fragments.h): by default one worker per core.
  add("max_parallel_workers_per_gather",
      std::to_string(std::max(1u, std::thread::hardware_concurrency())).c_str(), false, false);
  add("min_parallel_table_scan_size", "8MB", false, false);
  add("parallel_leader_participation", "on", false, false);
  add("maintenance_work_mem", "64MB", false, false);
  add("max_connections", "100", false, true);  // the server's; SetInternal per session
  add("superuser_reserved_connections", "3", false, true);
  add("max_prepared_transactions", "0", false, true);  // the server's; SetInternal per session
  add("server_version_num", "150000", false, true);
  add("block_size", "8192", false, true);
  add("max_index_keys", "32", false, true);  // enforced by the catalog (CheckIndexWidth)
  add("bytea_output", "hex", false, false);
  add("escape_string_warning", "on", false, false);
  add("row_security", "on", false, false);
  add("jit", "off", false, false);
  add("enable_seqscan", "on", false, false);
  add("enable_hashjoin", "on", false, false);
  add("enable_nestloop", "on", false, false);
  add("enable_mergejoin", "on", false, false);
  add("enable_indexscan", "on", false, false);
  add("enable_bitmapscan", "on", false, false);
  add("enable_sort", "on", false, false);
  // The other planner method and cost parameters: accepted and shown; they tune plan choices
  // of PostgreSQL's cost-based planner, which ActiveStore's planner does not make by cost.
  add("constraint_exclusion", "partition", false, false);
  add("cpu_index_tuple_cost", "0.005", false, false);
  add("cpu_operator_cost", "0.0025", false, false);
  add("cpu_tuple_cost", "0.01", false, false);
  add("cursor_tuple_fraction", "0.1", false, false);
  add("default_statistics_target", "100", false, false);
  add("effective_cache_size", "4GB", false, false);
  add("effective_io_concurrency", "1", false, false);
  add("enable_async_append", "on", false, false);
  add("enable_gathermerge", "on", false, false);
  add("enable_hashagg", "on", false, false);
  add("enable_incremental_sort", "on", false, false);
  add("enable_indexonlyscan", "on", false, false);
  add("enable_material", "on", false, false);
  add("enable_memoize", "on", false, false);
  add("enable_parallel_append", "on", false, false);
  add("enable_parallel_hash", "on", false, false);
  add("enable_partition_pruning", "on", false, false);
  add("enable_partitionwise_aggregate", "off", false, false);
  add("enable_partitionwise_join", "off", false, false);
  add("enable_tidscan", "on", false, false);
  add("force_parallel_mode", "off", false, false);
  add("from_collapse_limit", "8", false, false);
  add("geqo_threshold", "12", false, false);
  add("jit_above_cost", "100000", false, false);
  add("jit_inline_above_cost", "500000", false, false);
  add("jit_optimize_above_cost", "500000", false, false);
  add("join_collapse_limit", "8", false, false);
  add("max_parallel_workers", "8", false, false);
  add("min_parallel_index_scan_size", "512kB", false, false);
  add("parallel_setup_cost", "1000", false, false);
  add("parallel_tuple_cost", "0.1", false, false);
  add("plan_cache_mode", "auto", false, false);
  add("random_page_cost", "4", false, false);
  add("seq_page_cost", "1", false, false);
  add("default_with_oids", "off", false, false);
  add("check_function_bodies", "on", false, false);
  add("xmloption", "content", false, false);
  add("timezone_abbreviations", "Default", false, false);
  add("default_text_search_config", "pg_catalog.english", false, false);
  // pg_dump's scripts set both before their CREATE TABLEs: ActiveStore has the one tablespace
  // and the one table access method a new relation uses (pg_default, heap).
  add("default_tablespace", "", false, false);
  add("default_table_access_method", "heap", false, false);
  add("geqo", "on", false, false);
  add("log_statement", "none", false, false);
  add("session_replication_role", "origin", false, false);
  add("vacuum_freeze_min_age", "50000000", false, false);
  add("array_nulls", "on", false, false);
  add("backslash_quote", "safe_encoding", false, false);
  add("transform_null_equals", "off", false, false);
  // Scans never join another scan midway (PostgreSQL's synchronized scans), so rows come in
  // the same order whatever this says; pg_dump sets it off.
  add("synchronize_seqscans", "on", false, false);
  // pg_stat_statements (built in: executor/stat_statements.h).
  add("pg_stat_statements.track", "top", false, false);
  add("pg_stat_statements.track_utility", "on", false, false);
  add("pg_stat_statements.track_planning", "off", false, false);
  add("pg_stat_statements.save", "off", false, true);
  add("pg_stat_statements.max", "5000", false, true);
}

std::string Settings::Canonicalize(Param& p, const std::string& name,
                                   const std::string& raw) const {
  // A custom "class.name" parameter keeps its value as given.
  if (name.find('.') != std::string::npos && FindSettingDef(name) == nullptr) return raw;
  std::string v = Trim(raw);
  if (name == "client_encoding" || name == "server_encoding") {
    std::string l = Lower(v);
    l.erase(std::remove(l.begin(), l.end(), '-'), l.end());
    l.erase(std::remove(l.begin(), l.end(), '_'), l.end());
    if (l == "utf8" || l == "unicode") return "UTF8";
    if (l == "sqlascii") return "UTF8";
    Throw(SqlState::kFeatureNotSupported, "client encoding \"{}\" is not supported yet", v);
  }
  if (name == "datestyle") {
    DateStyle style;
    DateOrder order;
    ParseDateStyle(v, format_.date_style, format_.date_order, &style, &order);
    return DateStyleName(style, order);
  }
  if (name == "timezone") {
    return ParseTimeZone(v)->name();
  }
  if (name == "intervalstyle") {
    std::string l = Lower(v);
    if (l == "postgres" || l == "postgres_verbose" || l == "sql_standard" || l == "iso_8601") {
      return l;
    }
    // An enum parameter: PostgreSQL names it as written in SET (lower case).
    throw Error(SqlState::kInvalidParameterValue,
                fmt::format("invalid value for parameter \"{}\": \"{}\"", name, v))
        .Hint("Available values: postgres, postgres_verbose, sql_standard, iso_8601.");
  }
  if (name == "default_tablespace") {
    if (v.empty() || v == "pg_default") return v;
    if (v == "pg_global") {
      Throw(SqlState::kFeatureNotSupported,
            "creating relations in tablespace \"pg_global\" is not supported");
    }
    throw Error(SqlState::kInvalidParameterValue,
                fmt::format("invalid value for parameter \"{}\": \"{}\"", name, v))
        .Detail(fmt::format("Tablespace \"{}\" does not exist.", v));
  }
  if (name == "default_table_access_method") {
    if (v == "heap") return v;
    if (v == "btree" || v == "hash" || v == "gist" || v == "gin" || v == "spgist" || v == "brin") {
      Throw(SqlState::kObjectNotInPrerequisiteState, "access method \"{}\" is not of type TABLE",
            v);
    }
    throw Error(SqlState::kInvalidParameterValue,
                fmt::format("invalid value for parameter \"{}\": \"{}\"", name, v))
        .Detail(v.empty() ? "default_table_access_method cannot be empty."
                          : fmt::format("Table access method \"{}\" does not exist.", v));
  }
  if (name == "bytea_output") {
    std::string l = Lower(v);
    if (l == "hex" || l == "escape") return l;
    throw Error(SqlState::kInvalidParameterValue,
                fmt::format("invalid value for parameter \"{}\": \"{}\"", name, v))
        .Hint("Available values: escape, hex.");
  }
  if (name == "standard_conforming_strings") {
    bool b;
    if (!ParseBool(v, &b)) NotBoolean(p.display);
    return b ? "on" : "off";
  }
  if (name == "extra_float_digits") {
    try {
      size_t pos = 0;
      int x = std::stoi(v, &pos);
      if (pos != v.size()) throw std::invalid_argument("x");
      if (x < -15 || x > 3) {
        Throw(SqlState::kInvalidParameterValue,
              "{} is outside the valid range for parameter \"extra_float_digits\" (-15 .. 3)", x);
      }
      return std::to_string(x);
    } catch (const std::logic_error&) {
      Throw(SqlState::kInvalidParameterValue,
            "invalid value for parameter \"extra_float_digits\": \"{}\"", v);
    }
  }
  if (name == "pg_stat_statements.track") {
    std::string l = Lower(v);
    if (l == "none" || l == "top" || l == "all") return l;
    Error e(SqlState::kInvalidParameterValue,
            fmt::format("invalid value for parameter \"{}\": \"{}\"", p.display, v));
    e.Hint("Available values: none, top, all.");
    throw e;
  }
  if (name == "transaction_isolation" || name == "default_transaction_isolation") {
    std::string l = Lower(v);
    if (l == "read committed" || l == "read uncommitted") return "read committed";
    if (l == "repeatable read" || l == "serializable") return l;
    InvalidValue(p.display, v);
  }
  if (name == "synchronous_commit") {
    std::string l = Lower(v);
    if (l == "local" || l == "remote_write" || l == "remote_apply") return l;
    bool b;
    if (!ParseBool(v, &b)) InvalidValue(p.display, v);
    return b ? "on" : "off";
  }
  if (const SettingDef* def = FindSettingDef(name);
      def != nullptr && def->type == SettingType::kBool) {
    bool b;
    if (!ParseBool(v, &b)) NotBoolean(p.display);
    // Behaviours ActiveStore does not have: accepting the value would be a silent no-op.
    if ((name == "transform_null_equals" && b) || (name == "array_nulls" && !b)) {
      Throw(SqlState::kFeatureNotSupported, "{} = {} is not supported", p.display,
            b ? "on" : "off");
    }
    return b ? "on" : "off";
  }
  if (const SettingDef* def = FindSettingDef(name);
      def != nullptr && def->type == SettingType::kEnum && def->enum_values != nullptr) {
    std::string l = Lower(v);
    if (name == "session_replication_role" && (l == "replica" || l == "local")) {
      // Replica mode would switch off triggers and foreign key checks.
      Throw(SqlState::kFeatureNotSupported, "session_replication_role = {} is not supported", l);
    }
    if (name == "log_statement" && (l == "ddl" || l == "mod" || l == "all")) {
      Throw(SqlState::kFeatureNotSupported,
            "log_statement = {} is not supported (the audit log records statements)", l);
    }
    const std::string values = def->enum_values;
    // An enum with on and off takes every spelling of a boolean for them (PostgreSQL's hidden
    // values: true, yes, 1, ...).
    if (bool b; ("," + values + ",").find(",on,") != std::string::npos && ParseBool(v, &b)) {
      l = b ? "on" : "off";
    }
    size_t start = 0;
    while (start <= values.size()) {
      size_t comma = values.find(',', start);
      if (comma == std::string::npos) comma = values.size();
      if (values.compare(start, comma - start, l) == 0) return l;
      start = comma + 1;
    }
    std::string hint = values;
    for (size_t i = 0; (i = hint.find(',', i)) != std::string::npos; i += 2)
      hint.replace(i, 1, ", ");
    throw Error(SqlState::kInvalidParameterValue,
                fmt::format("invalid value for parameter \"{}\": \"{}\"", p.display, v))
        .Hint("Available values: " + hint + ".");
  }
  if (const SettingDef* def = FindSettingDef(name);
      def != nullptr && def->type == SettingType::kInteger && def->min_val != nullptr &&
      (def->unit == nullptr || std::string_view(def->unit) == "8kB")) {
    // An integer parameter without a unit, or a size in 8 kB blocks, in its range.
    const bool blocks = def->unit != nullptr;
    const long long lo = std::stoll(def->min_val), hi = std::stoll(def->max_val);
    double n;
    std::string unit;
    if (blocks) {
      if (!ParseBlocks(v, &n)) {
        Error e(SqlState::kInvalidParameterValue,
                fmt::format("invalid value for parameter \"{}\": \"{}\"", p.display, v));
        e.Hint("Valid units for this parameter are \"B\", \"kB\", \"MB\", \"GB\", and \"TB\".");
        throw e;
      }
    } else if (!ParseScaled(v, &n, &unit) || !unit.empty()) {
      InvalidValue(p.display, v);
    }
    n = std::nearbyint(n);
    if (n < static_cast<double>(lo) || n > static_cast<double>(hi)) {
      Throw(SqlState::kInvalidParameterValue,
            "{}{} is outside the valid range for parameter \"{}\" ({} .. {})",
            static_cast<long long>(n), blocks ? " 8kB" : "", p.display, lo, hi);
    }
    return blocks ? FormatBlocks(static_cast<int64_t>(n))
                  : std::to_string(static_cast<long long>(n));
  }
  if (const SettingDef* def = FindSettingDef(name);
      def != nullptr && def->type == SettingType::kInteger && def->unit != nullptr &&
      std::string_view(def->unit) == "kB") {
    const long long lo = std::stoll(def->min_val);
    double kb;
    if (!ParseKilobytes(v, &kb)) {
      Error e(SqlState::kInvalidParameterValue,
              fmt::format("invalid value for parameter \"{}\": \"{}\"", p.display, v));
      e.Hint("Valid units for this parameter are \"B\", \"kB\", \"MB\", \"GB\", and \"TB\".");
      throw e;
    }
    if (kb > 2147483647.0) {
      Error e(SqlState::kInvalidParameterValue,
              fmt::format("invalid value for parameter \"{}\": \"{}\"", p.display, v));
      e.Hint("Value exceeds integer range.");
      throw e;
    }
    if (kb < static_cast<double>(lo)) {
      Throw(SqlState::kInvalidParameterValue,
            "{} kB is outside the valid range for parameter \"{}\" ({} .. 2147483647)",
            static_cast<long long>(kb), p.display, lo);
    }
    return FormatKilobytes(static_cast<int64_t>(kb));
  }
  if (const SettingDef* def = FindSettingDef(name);
      def != nullptr && def->type == SettingType::kReal && def->min_val != nullptr) {
    double num;
    std::string unit;
    if (!ParseScaled(v, &num, &unit) || !unit.empty()) InvalidValue(p.display, v);
    if (!(num >= std::stod(def->min_val) && num <= std::stod(def->max_val))) {
      Throw(SqlState::kInvalidParameterValue,
            "{} is outside the valid range for parameter \"{}\" ({} .. {})", num, p.display,
            def->min_val, def->max_val);
    }
    return fmt::format("{}", num);
  }
  if (name == "statement_timeout" || name == "lock_timeout" ||
      name == "idle_in_transaction_session_timeout" || name == "deadlock_timeout") {
    int64_t ms = 0;
    if (!ParseMillis(v, &ms)) {
      Error e(SqlState::kInvalidParameterValue,
              fmt::format("invalid value for parameter \"{}\": \"{}\"", p.display, v));
      e.Hint(
          "Valid units for this parameter are \"us\", \"ms\", \"s\", \"min\", \"h\", and \"d\".");
      throw e;
    }
    if (ms < 0 || ms > 2147483647 || (name == "deadlock_timeout" && ms < 1)) {
      Throw(SqlState::kInvalidParameterValue,
            "{} ms is outside the valid range for parameter \"{}\" ({} .. 2147483647)", ms,
            p.display, name == "deadlock_timeout" ? 1 : 0);
    }
    return FormatMillis(ms);
  }
  return v;
}

void Settings::Apply(const std::string& name) {
  if (name == "pg_stat_statements.track") {
    track_statements_ = params_[name].value != "none";
  } else if (name == "pg_stat_statements.track_utility") {
    track_utility_ = params_[name].value == "on";
  } else if (name == "datestyle") {
    ParseDateStyle(params_[name].value, DateStyle::kIso, DateOrder::kMdy, &format_.date_style,
                   &format_.date_order);
  } else if (name == "timezone") {
    format_.timezone = ParseTimeZone(params_[name].value);
  } else if (name == "extra_float_digits") {
    format_.extra_float_digits = std::stoi(params_[name].value);
  } else if (name == "intervalstyle") {
    const std::string& v = params_[name].value;
    format_.interval_style = v == "postgres_verbose" ? IntervalStyle::kPostgresVerbose
                             : v == "sql_standard"   ? IntervalStyle::kSqlStandard
                             : v == "iso_8601"       ? IntervalStyle::kIso8601
                                                     : IntervalStyle::kPostgres;
  } else if (name == "bytea_output") {
    format_.bytea_output =
        params_[name].value == "escape" ? ByteaOutput::kEscape : ByteaOutput::kHex;
  } else if (name == "search_path") {
    search_path_ = pushed_schemas_;
    std::string cur;
    std::string v = params_[name].value;
    auto flush = [&]() {
      std::string t = Trim(cur);
      cur.clear();
      if (t.empty()) return;
      if (t.size() >= 2 && t.front() == '"' && t.back() == '"') {
        t = t.substr(1, t.size() - 2);
      } else {
        t = Lower(t);
      }
      if (t == "$user") return;
      search_path_.push_back(t);
    };
    bool quoted = false;
    for (char c : v) {
      if (c == '"') quoted = !quoted;
      if (c == ',' && !quoted) {
        flush();
      } else {
        cur.push_back(c);
      }
    }
    flush();
  }
}

void Settings::PushSearchPathSchema(const std::string& schema) {
  ++generation_;
  pushed_schemas_.insert(pushed_schemas_.begin(), schema);
  search_path_.insert(search_path_.begin(), schema);
}

void Settings::PopSearchPathSchema() {
  ++generation_;
  pushed_schemas_.erase(pushed_schemas_.begin());
  search_path_.erase(search_path_.begin());
}

void Settings::Set(const std::string& raw_name, const std::string& value) {
  ++generation_;
  std::string name = Lower(raw_name);
  auto it = params_.find(name);
  if (it == params_.end()) {
    if (name.find('.') != std::string::npos) {  // custom "ext.name" parameters are allowed
      params_[name] = Param{raw_name, value, value, false, false, "", "session", "default"};
      return;
    }
    Throw(SqlState::kUndefinedObject, "unrecognized configuration parameter \"{}\"", raw_name);
  }
  Param& p = it->second;
  if (p.read_only) {
    // Server settings (PostgreSQL's PGC_POSTMASTER context) name the way to change them.
    bool server = name == "max_connections" || name == "max_prepared_transactions" ||
                  name == "superuser_reserved_connections" || name == "pg_stat_statements.max" ||
                  name == "pg_stat_statements.save";
    Throw(SqlState::kCantChangeRuntimeParam, "parameter \"{}\" cannot be changed{}", p.display,
          server ? " without restarting the server" : "");
  }
  std::string v = Canonicalize(p, name, value);
  if (v != p.value) {
    p.value = v;
    if (p.report) changed_.push_back(name);
  }
  p.source = "session";
  Apply(name);
}

void Settings::SetInternal(const std::string& name, const std::string& value) {
  ++generation_;
  Param& p = params_.at(name);
  p.value = value;
  p.reset_value = value;
  // The server's options (max_connections, ssl, ...) come from its command line or file.
  p.source = p.reset_source = value == p.boot_value ? "default" : "command line";
}

void Settings::SetByServer(const std::string& name, const std::string& value) {
  ++generation_;
  Param& p = params_.at(name);
  if (p.value == value) return;
  p.value = value;
  p.reset_value = value;
  p.source = p.reset_source = "override";
  if (p.report) changed_.push_back(name);
}

void Settings::SetSessionDefault(const std::string& raw_name, const std::string& value,
                                 const char* source) {
  Set(raw_name, value);  // (a new generation)
  Param& p = params_.at(Lower(raw_name));
  p.reset_value = p.value;
  p.source = p.reset_source = source;
}

void Settings::DefinePlaceholder(const std::string& raw_name) {
  std::string name = Lower(raw_name);
  if (name.find('.') == std::string::npos || params_.count(name) != 0) return;
  ++generation_;
  params_[name] = Param{raw_name, "", "", false, false, "", "session", "default"};
}

void Settings::Restore(const std::string& name, const std::string& value,
                       const std::string& source) {
  Set(name, value);
  params_.at(Lower(name)).source = source;
}

std::string Settings::Source(const std::string& raw_name) const {
  auto it = params_.find(Lower(raw_name));
  if (it == params_.end()) {
    Throw(SqlState::kUndefinedObject, "unrecognized configuration parameter \"{}\"", raw_name);
  }
  return it->second.source;
}

void Settings::Reset(const std::string& raw_name) {
  ++generation_;
  std::string name = Lower(raw_name);
  auto it = params_.find(name);
  if (it == params_.end()) {
    Throw(SqlState::kUndefinedObject, "unrecognized configuration parameter \"{}\"", raw_name);
  }
  if (it->second.read_only) return;
  Set(name, it->second.reset_value);
  it->second.source = it->second.reset_source;
}

void Settings::ResetAll() {
  ++generation_;
  for (auto& [name, p] : params_) {
    if (p.read_only) continue;
    p.source = p.reset_source;
    if (p.value == p.reset_value) continue;
    p.value = p.reset_value;
    if (p.report) changed_.push_back(name);
    Apply(name);
  }
}

const Settings::Param* Settings::Find(std::string_view name) const {
  char buf[64];
  if (name.size() <= sizeof(buf)) {
    bool upper = false;
    for (size_t i = 0; i < name.size(); ++i) {
      const char c = name[i];
      upper |= c >= 'A' && c <= 'Z';
      buf[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    auto it = params_.find(upper ? std::string_view(buf, name.size()) : name);
    return it == params_.end() ? nullptr : &it->second;
  }
  auto it = params_.find(Lower(std::string(name)));
  return it == params_.end() ? nullptr : &it->second;
}

const std::string& Settings::Get(std::string_view raw_name) const {
  const Param* p = Find(raw_name);
  if (p == nullptr) {
    Throw(SqlState::kUndefinedObject, "unrecognized configuration parameter \"{}\"", raw_name);
  }
  return p->value;
}

std::string Settings::DisplayName(const std::string& raw_name) const {
  auto it = params_.find(Lower(raw_name));
  return it == params_.end() ? raw_name : it->second.display;
}

std::vector<SettingState> Settings::States() const {
  std::vector<SettingState> out;
  for (const auto& [name, p] : params_) {
    if (FindSettingDef(name) == nullptr && name.find('.') == std::string::npos) continue;
    out.push_back(SettingState{p.display, p.value, p.source, p.boot_value, p.reset_value});
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> Settings::Reported() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [name, p] : params_) {
    if (p.report) out.emplace_back(p.display, p.value);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> Settings::TakeChanged() {
  std::vector<std::pair<std::string, std::string>> out;
  std::sort(changed_.begin(), changed_.end());
  changed_.erase(std::unique(changed_.begin(), changed_.end()), changed_.end());
  for (const auto& name : changed_) {
    const Param& p = params_.at(name);
    out.emplace_back(p.display, p.value);
  }
  changed_.clear();
  return out;
}

int64_t Settings::Millis(std::string_view name) const {
  int64_t ms = 0;
  if (!ParseMillis(Get(name), &ms)) return 0;
  return ms;
}

}  // namespace activestore::executor
