#include "executor/settings.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

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

// A time setting as PostgreSQL reads it: a number with an optional unit (default ms).
bool ParseMillis(const std::string& raw, int64_t* out) {
  std::string v = Trim(raw);
  size_t i = 0;
  while (i < v.size() && (std::isdigit(static_cast<unsigned char>(v[i])) || v[i] == '.' ||
                          (i == 0 && (v[i] == '-' || v[i] == '+')))) {
    ++i;
  }
  if (i == 0) return false;
  double num;
  try {
    num = std::stod(v.substr(0, i));
  } catch (const std::logic_error&) {
    return false;
  }
  std::string unit = Trim(v.substr(i));
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

[[noreturn]] void InvalidValue(const std::string& display, const std::string& value) {
  Throw(SqlState::kInvalidParameterValue, "invalid value for parameter \"{}\": \"{}\"", display,
        value);
}

}  // namespace

Settings::Settings(const std::string& server_version) {
  auto add = [&](const char* display, const char* value, bool report, bool read_only) {
    Param p{display, value, value, report, read_only};
    params_[Lower(display)] = p;
  };
  add("server_version", server_version.c_str(), true, true);
  add("server_encoding", "UTF8", true, true);
  add("client_encoding", "UTF8", true, false);
  add("DateStyle", "ISO, MDY", true, false);
  add("IntervalStyle", "postgres", true, false);
  add("TimeZone", "UTC", true, false);
  add("integer_datetimes", "on", true, true);
  add("standard_conforming_strings", "on", true, false);
  add("application_name", "", true, false);
  add("is_superuser", "on", true, true);
  add("session_authorization", "postgres", true, true);
  add("default_transaction_read_only", "off", true, false);
  add("in_hot_standby", "off", true, true);
  add("search_path", "\"$user\", public", false, false);
  add("extra_float_digits", "1", false, false);
  add("transaction_isolation", "read committed", false, false);
  add("default_transaction_isolation", "read committed", false, false);
  add("transaction_read_only", "off", false, false);
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
  add("maintenance_work_mem", "64MB", false, false);
  add("max_connections", "1000", false, true);
  add("server_version_num", "150000", false, true);
  add("block_size", "8192", false, true);
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
  add("default_with_oids", "off", false, false);
  add("check_function_bodies", "on", false, false);
  add("xmloption", "content", false, false);
  add("timezone_abbreviations", "Default", false, false);
  add("default_text_search_config", "pg_catalog.english", false, false);
  add("geqo", "on", false, false);
  add("log_statement", "none", false, false);
  add("session_replication_role", "origin", false, false);
  add("vacuum_freeze_min_age", "50000000", false, false);
  add("array_nulls", "on", false, false);
  add("backslash_quote", "safe_encoding", false, false);
  add("transform_null_equals", "off", false, false);
}

std::string Settings::Canonicalize(Param& p, const std::string& name,
                                   const std::string& raw) const {
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
    std::string l = Lower(v);
    bool iso = l.find("iso") != std::string::npos;
    bool other = l.find("postgres") != std::string::npos || l.find("sql") != std::string::npos ||
                 l.find("german") != std::string::npos;
    if (other) {
      Throw(SqlState::kFeatureNotSupported, "DateStyle \"{}\" is not supported yet", v);
    }
    std::string order = "MDY";
    if (l.find("dmy") != std::string::npos || l.find("euro") != std::string::npos) order = "DMY";
    if (l.find("ymd") != std::string::npos) order = "YMD";
    if (!iso && l.find("mdy") == std::string::npos && order == "MDY" &&
        l.find("us") == std::string::npos && l.find("noneuro") == std::string::npos) {
      InvalidValue(p.display, v);
    }
    return "ISO, " + order;
  }
  if (name == "timezone") {
    std::string l = Lower(v);
    if (l == "utc" || l == "gmt" || l == "z" || l == "etc/utc" || l == "etc/gmt" ||
        l == "universal" || l == "zulu" || l == "0" || l == "+0" || l == "-0" || l == "uct" ||
        l == "etc/universal") {
      return l == "utc" ? "UTC" : v;
    }
    if (std::filesystem::exists("/usr/share/zoneinfo/" + v) || l == "localtime") {
      Throw(SqlState::kFeatureNotSupported,
            "time zone \"{}\" is not supported yet: only UTC is supported", v);
    }
    Throw(SqlState::kInvalidParameterValue, "invalid value for parameter \"TimeZone\": \"{}\"", v);
  }
  if (name == "intervalstyle") {
    std::string l = Lower(v);
    if (l == "postgres" || l == "postgres_verbose" || l == "sql_standard" || l == "iso_8601") {
      return l;
    }
    InvalidValue(p.display, v);
  }
  if (name == "standard_conforming_strings") {
    bool b;
    if (!ParseBool(v, &b)) InvalidValue(p.display, v);
    if (!b) {
      Throw(SqlState::kFeatureNotSupported, "standard_conforming_strings = off is not supported");
    }
    return "on";
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
      if (x <= 0) {
        Throw(SqlState::kFeatureNotSupported, "extra_float_digits <= 0 is not supported yet");
      }
      return std::to_string(x);
    } catch (const std::logic_error&) {
      Throw(SqlState::kInvalidParameterValue,
            "invalid value for parameter \"extra_float_digits\": \"{}\"", v);
    }
  }
  if (name == "transaction_isolation" || name == "default_transaction_isolation") {
    std::string l = Lower(v);
    if (l == "read committed" || l == "read uncommitted") return "read committed";
    if (l == "repeatable read" || l == "serializable") return l;
    InvalidValue(p.display, v);
  }
  if (name == "default_transaction_read_only" || name == "transaction_read_only" ||
      name == "synchronous_commit" || name == "jit" || name.rfind("enable_", 0) == 0 ||
      name == "escape_string_warning" || name == "row_security" || name == "geqo" ||
      name == "check_function_bodies" || name == "array_nulls") {
    bool b;
    if (name == "synchronous_commit") {
      std::string l = Lower(v);
      if (l == "local" || l == "remote_write" || l == "remote_apply") return l;
    }
    if (!ParseBool(v, &b)) InvalidValue(p.display, v);
    return b ? "on" : "off";
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
  if (name == "extra_float_digits") {
    format_.extra_float_digits = std::stoi(params_[name].value);
  } else if (name == "search_path") {
    search_path_.clear();
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

void Settings::Set(const std::string& raw_name, const std::string& value) {
  std::string name = Lower(raw_name);
  auto it = params_.find(name);
  if (it == params_.end()) {
    if (name.find('.') != std::string::npos) {  // custom "ext.name" parameters are allowed
      params_[name] = Param{raw_name, value, value, false, false};
      return;
    }
    Throw(SqlState::kUndefinedObject, "unrecognized configuration parameter \"{}\"", raw_name);
  }
  Param& p = it->second;
  if (p.read_only) {
    Throw(SqlState::kCantChangeRuntimeParam, "parameter \"{}\" cannot be changed", p.display);
  }
  std::string v = Canonicalize(p, name, value);
  if (v != p.value) {
    p.value = v;
    if (p.report) changed_.push_back(name);
  }
  Apply(name);
}

void Settings::SetInternal(const std::string& name, const std::string& value) {
  Param& p = params_.at(name);
  p.value = value;
  p.boot_value = value;
}

void Settings::Reset(const std::string& raw_name) {
  std::string name = Lower(raw_name);
  auto it = params_.find(name);
  if (it == params_.end()) {
    Throw(SqlState::kUndefinedObject, "unrecognized configuration parameter \"{}\"", raw_name);
  }
  if (it->second.read_only) return;
  Set(name, it->second.boot_value);
}

void Settings::ResetAll() {
  for (auto& [name, p] : params_) {
    if (p.read_only || p.value == p.boot_value) continue;
    p.value = p.boot_value;
    if (p.report) changed_.push_back(name);
    Apply(name);
  }
}

std::string Settings::Get(const std::string& raw_name) const {
  std::string name = Lower(raw_name);
  auto it = params_.find(name);
  if (it == params_.end()) {
    Throw(SqlState::kUndefinedObject, "unrecognized configuration parameter \"{}\"", raw_name);
  }
  return it->second.value;
}

std::string Settings::DisplayName(const std::string& raw_name) const {
  auto it = params_.find(Lower(raw_name));
  return it == params_.end() ? raw_name : it->second.display;
}

std::vector<std::pair<std::string, std::string>> Settings::All() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [name, p] : params_) out.emplace_back(p.display, p.value);
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

int64_t Settings::Millis(const std::string& name) const {
  int64_t ms = 0;
  if (!ParseMillis(Get(name), &ms)) return 0;
  return ms;
}

}  // namespace activestore::executor
