// CREATE TABLE ... WITH (...): PostgreSQL 15's heap reloptions (reloptions.c's tables for
// RELOPT_KIND_HEAP and RELOPT_KIND_TOAST), checked and then ignored; see table_options.h.
#include "executor/table_options.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <set>
#include <string_view>

#include "common/error.h"
#include "common/interval.h"
#include "common/types.h"

namespace activestore::executor {
namespace {

enum class Kind { kBool, kInt, kReal, kEnum };

struct RelOption {
  const char* name;
  Kind kind;
  double min, max;
  bool toast;  // also a toast.* option
};

constexpr double kIntMax = INT_MAX;

// reloptions.c, PostgreSQL 15 (heap options; `toast` marks those RELOPT_KIND_TOAST has too).
constexpr RelOption kOptions[] = {
    {"autovacuum_enabled", Kind::kBool, 0, 0, true},
    {"user_catalog_table", Kind::kBool, 0, 0, false},
    {"vacuum_truncate", Kind::kBool, 0, 0, true},
    {"fillfactor", Kind::kInt, 10, 100, false},
    {"toast_tuple_target", Kind::kInt, 128, 8160, false},
    {"parallel_workers", Kind::kInt, 0, 1024, false},
    {"autovacuum_vacuum_threshold", Kind::kInt, 0, kIntMax, true},
    {"autovacuum_vacuum_insert_threshold", Kind::kInt, -1, kIntMax, true},
    {"autovacuum_analyze_threshold", Kind::kInt, 0, kIntMax, false},
    {"autovacuum_vacuum_cost_limit", Kind::kInt, 1, 10000, true},
    {"autovacuum_freeze_min_age", Kind::kInt, 0, 1000000000, true},
    {"autovacuum_freeze_max_age", Kind::kInt, 100000, 2000000000, true},
    {"autovacuum_freeze_table_age", Kind::kInt, 0, 2000000000, true},
    {"autovacuum_multixact_freeze_min_age", Kind::kInt, 0, 1000000000, true},
    {"autovacuum_multixact_freeze_max_age", Kind::kInt, 10000, 2000000000, true},
    {"autovacuum_multixact_freeze_table_age", Kind::kInt, 0, 2000000000, true},
    {"log_autovacuum_min_duration", Kind::kInt, -1, kIntMax, true},
    {"autovacuum_vacuum_cost_delay", Kind::kReal, 0, 100, true},
    {"autovacuum_vacuum_scale_factor", Kind::kReal, 0, 100, true},
    {"autovacuum_vacuum_insert_scale_factor", Kind::kReal, 0, 100, true},
    {"autovacuum_analyze_scale_factor", Kind::kReal, 0, 100, false},
    {"vacuum_index_cleanup", Kind::kEnum, 0, 0, true},
};

[[noreturn]] void Invalid(std::string message, std::string detail = {}) {
  Error e(SqlState::kInvalidParameterValue, std::move(message));
  if (!detail.empty()) e.Detail(std::move(detail));
  throw e;
}

// PostgreSQL's parse_bool: true/false/yes/no/on/off/1/0 and unique prefixes, any case.
std::string Lower(std::string_view v) {
  std::string s;
  for (char c : v) s += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return s;
}

bool ParseBool(std::string_view v, bool* out) {
  const std::string s = Lower(v);
  auto prefix_of = [&](std::string_view word, size_t min_len) {
    return s.size() >= min_len && s.size() <= word.size() && word.substr(0, s.size()) == s;
  };
  if (prefix_of("true", 1) || prefix_of("yes", 1) || s == "on" || s == "1") {
    *out = true;
    return true;
  }
  if (prefix_of("false", 1) || prefix_of("no", 1) || prefix_of("off", 2) || s == "0") {
    *out = false;
    return true;
  }
  return false;
}

// PostgreSQL's parse_real / parse_int (which rounds a fractional value): the whole string,
// surrounding white space allowed.
bool ParseNumber(const std::string& v, double* out) {
  const char* p = v.c_str();
  char* end = nullptr;
  errno = 0;
  const double d = std::strtod(p, &end);
  if (end == p || errno != 0 || !std::isfinite(d)) return false;
  while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r') ++end;
  if (*end != '\0') return false;
  *out = d;
  return true;
}

std::string FormatBound(const RelOption& o, double v) {
  return o.kind == Kind::kInt ? fmt::format("{}", static_cast<long long>(v))
                              : fmt::format("{:.6f}", v);
}

void CheckValue(const RelOption& o, const std::string& value) {
  switch (o.kind) {
    case Kind::kBool: {
      bool b;
      if (!ParseBool(value, &b)) {
        Invalid(fmt::format("invalid value for boolean option \"{}\": {}", o.name, value));
      }
      return;
    }
    case Kind::kEnum: {
      bool b;
      if (!ParseBool(value, &b) && Lower(value) != "auto") {
        Invalid(fmt::format("invalid value for enum option \"{}\": {}", o.name, value),
                "Valid values are \"on\", \"off\", and \"auto\".");
      }
      return;
    }
    case Kind::kInt:
    case Kind::kReal: {
      double d;
      if (!ParseNumber(value, &d)) {
        Invalid(fmt::format("invalid value for {} option \"{}\": {}",
                            o.kind == Kind::kInt ? "integer" : "floating point", o.name, value));
      }
      if (o.kind == Kind::kInt) d = std::rint(d);
      if (d < o.min || d > o.max) {
        Invalid(fmt::format("value {} out of bounds for option \"{}\"", value, o.name),
                fmt::format("Valid values are between \"{}\" and \"{}\".", FormatBound(o, o.min),
                            FormatBound(o, o.max)));
      }
      return;
    }
  }
}

// A ttl: a positive interval (months count 30 days, as interval comparison does).
int64_t TtlMicros(const std::string& value) {
  const __int128 us = IntervalKey(ParseInterval(value));
  if (us <= 0)
    Invalid(fmt::format("invalid value for option \"ttl\": {}", value),
            "The ttl must be a positive interval.");
  return us > INT64_MAX ? INT64_MAX : static_cast<int64_t>(us);
}

int TtlColumn(const std::string& name, const std::vector<storage::ColumnInfo>& columns) {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name != name) continue;
    if (columns[i].type.id != TypeId::kTimestampTz) {
      throw Error(SqlState::kDatatypeMismatch,
                  fmt::format("ttl_column \"{}\" must be of type timestamp with time zone, not {}",
                              name, TypeName(columns[i].type)));
    }
    return static_cast<int>(i);
  }
  throw Error(SqlState::kUndefinedColumn, fmt::format("column \"{}\" does not exist", name));
}

}  // namespace

storage::RowExpiry RowExpiryOf(const TableOptions& options,
                               const std::vector<storage::ColumnInfo>& columns, int64_t now) {
  storage::RowExpiry e;
  SetTableOptions(options, columns, now, &e);
  return e;
}

void SetTableOptions(const TableOptions& options, const std::vector<storage::ColumnInfo>& columns,
                     int64_t now, storage::RowExpiry* expiry) {
  CheckTableOptions(options);
  storage::RowExpiry next = *expiry;
  bool ttl = false, column = false;
  for (const auto& [name, value] : options) {
    if (name == "ttl") {
      ttl = true;
      next.ttl_usec = TtlMicros(value);
      next.ttl_text = value;
      // Rows stored without a write stamp count from now.
      if (expiry->ttl_usec == 0) next.since_usec = now;
    } else if (name == "ttl_column") {
      column = true;
      next.ttl_column = TtlColumn(value, columns);
    }
  }
  if ((ttl && column) || (next.ttl_usec > 0 && next.ttl_column >= 0)) {
    Invalid("ttl and ttl_column cannot both be set",
            ttl && column ? std::string() : "RESET the other option first.");
  }
  *expiry = next;
}

void ResetTableOptions(const std::vector<std::string>& names, storage::RowExpiry* expiry) {
  for (const std::string& n : names) {
    if (n == "ttl") {
      expiry->ttl_usec = 0;
      expiry->since_usec = 0;
      expiry->ttl_text.clear();
    } else if (n == "ttl_column") {
      expiry->ttl_column = -1;
    }
  }
}

void CheckTableOptions(const TableOptions& options) {
  // In PostgreSQL's order: WITH OIDS (the parser), the namespaces (transformRelOptions), then
  // the heap options and the toast.* ones (heap_reloptions), each in the order written, its
  // value checked when it is met (parse_one_reloption).
  for (const auto& [name, value] : options) {
    bool b;
    if (name == "oids" && ParseBool(value, &b) && b) {
      throw Error(SqlState::kFeatureNotSupported, "tables declared WITH OIDS are not supported");
    }
  }
  for (const auto& [name, value] : options) {
    // TimescaleDB's table options (timescaledb.compress, ...;
    // docs/design/2026-12-06-hypertables.md): compression and CREATE TABLE ... WITH
    // (timescaledb.hypertable) are not there yet.
    if (name.starts_with("timescaledb.")) {
      throw Error(SqlState::kFeatureNotSupported,
                  fmt::format("table option \"{}\" is not supported yet", name));
    }
  }
  for (const auto& [name, value] : options) {
    if (const size_t dot = name.find('.');
        dot != std::string::npos && name.substr(0, dot) != "toast") {
      Invalid(fmt::format("unrecognized parameter namespace \"{}\"", name.substr(0, dot)));
    }
  }
  for (const bool toast : {false, true}) {
    std::set<std::string_view> seen;
    for (const auto& [name, value] : options) {
      if (name == "oids") continue;
      const bool is_toast = name.starts_with("toast.");
      if (is_toast != toast) continue;
      const std::string_view base = std::string_view(name).substr(toast ? 6 : 0);
      if (!toast && (base == "ttl" || base == "ttl_column")) {
        if (!seen.insert(base).second) {
          Invalid(fmt::format("parameter \"{}\" specified more than once", base));
        }
        if (base == "ttl") TtlMicros(value);
        continue;
      }
      const RelOption* match = nullptr;
      for (const RelOption& o : kOptions) {
        if (base == o.name && (!toast || o.toast)) match = &o;
      }
      if (match == nullptr) Invalid(fmt::format("unrecognized parameter \"{}\"", base));
      if (!seen.insert(base).second) {
        Invalid(fmt::format("parameter \"{}\" specified more than once", base));
      }
      CheckValue(*match, value);
    }
  }
}

}  // namespace activestore::executor

namespace activestore::executor {

std::vector<std::string> ViewOptions(const std::vector<std::string>& current,
                                     const TableOptions& set,
                                     const std::vector<std::string>& reset) {
  // transformRelOptions: the namespaces first (toast.* is accepted and dropped, as PostgreSQL
  // does for a view, which has no TOAST table), then view_reloptions over the options in the
  // order written, each value checked when it is met.
  TableOptions own;
  for (const auto& [name, value] : set) {
    if (const size_t dot = name.find('.'); dot != std::string::npos) {
      if (name.substr(0, dot) != "toast") {
        Invalid(fmt::format("unrecognized parameter namespace \"{}\"", name.substr(0, dot)));
      }
      continue;
    }
    own.emplace_back(name, value);
  }
  std::set<std::string> seen;
  for (const auto& [name, value] : own) {
    const bool is_bool = name == "security_barrier" || name == "security_invoker";
    if (!is_bool && name != "check_option") {
      Invalid(fmt::format("unrecognized parameter \"{}\"", name));
    }
    if (!seen.insert(name).second) {
      Invalid(fmt::format("parameter \"{}\" specified more than once", name));
    }
    bool b;
    if (is_bool && !ParseBool(value, &b)) {
      Invalid(fmt::format("invalid value for boolean option \"{}\": {}", name, value));
    }
    if (!is_bool && Lower(value) != "local" && Lower(value) != "cascaded") {
      Invalid(fmt::format("invalid value for enum option \"{}\": {}", name, value),
              "Valid values are \"local\" and \"cascaded\".");
    }
  }
  // The result (PostgreSQL's transformRelOptions): the current options not named in SET or
  // RESET, in their order, then the new ones in theirs.
  std::vector<std::string> out;
  for (const std::string& o : current) {
    const std::string name = o.substr(0, o.find('='));
    const bool replaced =
        seen.count(name) != 0 || std::find(reset.begin(), reset.end(), name) != reset.end();
    if (!replaced) out.push_back(o);
  }
  for (const auto& [name, value] : own) out.push_back(name + "=" + value);
  return out;
}

std::string ViewCheckOption(const std::vector<std::string>& options) {
  for (const std::string& o : options) {
    if (o.starts_with("check_option=")) return Lower(o.substr(13));
  }
  return "";
}

}  // namespace activestore::executor
