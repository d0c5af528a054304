#include "frontend/config.h"

#include <toml++/toml.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <map>
#include <stdexcept>

namespace activestore::frontend {
namespace {

// Raised for an invalid setting; becomes exit code 2.
struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class Kind { kString, kUInt, kBool };

struct Setting {
  const char* name;  // TOML key; the flag is --name-with-dashes, the env var ACTIVESTORE_NAME
  Kind kind;
  uint64_t min = 0;
  uint64_t max = 0;
  std::vector<std::string> allowed = {};  // for strings: empty means any non-empty value
  bool may_be_empty = false;              // for strings: "" is a value (a file name unset)
};

const std::vector<Setting>& Settings() {
  static const std::vector<Setting> kSettings = {
      {"data_dir", Kind::kString},
      {"listen", Kind::kString},
      {"port", Kind::kUInt, 0, 65535},
      {"log_format", Kind::kString, 0, 0, {"text", "json"}},
      {"log_level",
       Kind::kString,
       0,
       0,
       {"trace", "debug", "info", "warn", "error", "critical", "off"}},
      {"cache_size_mb", Kind::kUInt, 1, 1u << 30},
      {"cache_grow_max_mb", Kind::kUInt, 0, 1u << 30},
      {"plan_cache_mb", Kind::kUInt, 1, 1u << 20},
      {"sync_mode", Kind::kString, 0, 0, {"fsync", "periodic", "off"}},
      {"sync_period_ms", Kind::kUInt, 1, 3600000},
      {"shards", Kind::kUInt, 1, 4096},
      {"shard_log", Kind::kBool},
      {"log_keep_seconds", Kind::kUInt, 1, 1u << 30},
      {"disk_reserve_mb", Kind::kUInt, 0, 1u << 30},
      {"log_file_max_mb", Kind::kUInt, 1, 2048},
      {"engine", Kind::kString, 0, 0, {"wiredtiger", "memory"}},
      {"http_port", Kind::kUInt, 0, 65535},
      {"max_prepared_transactions", Kind::kUInt, 0, 262143},
      {"max_connections", Kind::kUInt, 1, 262143},
      {"superuser_reserved_connections", Kind::kUInt, 0, 262143},
      {"auth_method", Kind::kString, 0, 0, {"trust", "password", "md5", "scram-sha-256"}},
      {"hba_file", Kind::kString, 0, 0, {}, true},
      {"ssl", Kind::kBool},
      {"ssl_cert_file", Kind::kString},
      {"ssl_key_file", Kind::kString},
      {"ssl_ca_file", Kind::kString, 0, 0, {}, true},
      {"ssl_min_protocol_version", Kind::kString, 0, 0, {"TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"}},
      {"encryption", Kind::kString, 0, 0, {"none", "aes256"}},
      {"encryption_key_file", Kind::kString, 0, 0, {}, true},
      {"encryption_key_command", Kind::kString, 0, 0, {}, true},
      {"audit_log", Kind::kString},
      {"audit_log_max_mb", Kind::kUInt, 1, 1u << 20},
      {"replica_of", Kind::kString, 0, 0, {}, true},
      {"replication_user", Kind::kString},
      {"replication_password", Kind::kString, 0, 0, {}, true},
      {"replication_slot", Kind::kString, 0, 0, {}, true},
      {"synchronous_replicas", Kind::kUInt, 0, 64},
      {"synchronous_commit_timeout_ms", Kind::kUInt, 0, 1u << 31},
      {"resync", Kind::kBool},
  };
  return kSettings;
}

std::string FlagName(std::string_view key) {
  std::string f = "--" + std::string(key);
  std::replace(f.begin(), f.end(), '_', '-');
  return f;
}

std::string EnvName(std::string_view key) {
  std::string e = "ACTIVESTORE_";
  for (char c : key) e.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return e;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// Stores `text` (from `source`) into the setting `s` of `config`, validating it.
void Apply(Config& config, const Setting& s, const std::string& text, const std::string& source) {
  std::string name = s.name;
  if (s.kind == Kind::kBool) {
    // PostgreSQL's boolean spellings.
    std::string v;
    for (char c : text) v.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    bool value;
    if (v == "on" || v == "true" || v == "yes" || v == "1") {
      value = true;
    } else if (v == "off" || v == "false" || v == "no" || v == "0") {
      value = false;
    } else {
      throw ConfigError(
          fmt::format("invalid value \"{}\" for {} ({}): expected on or off", text, name, source));
    }
    if (name == "ssl") config.ssl = value;
    if (name == "shard_log") config.shard_log = value;
    if (name == "resync") config.resync = value;
    return;
  }
  if (s.kind == Kind::kUInt) {
    uint64_t v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || p != text.data() + text.size() || v < s.min ||
        v > s.max) {
      throw ConfigError(
          fmt::format("invalid value \"{}\" for {} ({}): expected an integer from "
                      "{} to {}",
                      text, name, source, s.min, s.max));
    }
    if (name == "port") config.port = static_cast<uint16_t>(v);
    if (name == "cache_size_mb") config.cache_size_mb = v;
    if (name == "cache_grow_max_mb") config.cache_grow_max_mb = v;
    if (name == "plan_cache_mb") config.plan_cache_mb = v;
    if (name == "sync_period_ms") config.sync_period_ms = static_cast<uint32_t>(v);
    if (name == "shards") config.shards = static_cast<uint32_t>(v);
    if (name == "log_keep_seconds") config.log_keep_seconds = static_cast<uint32_t>(v);
    if (name == "synchronous_replicas") config.synchronous_replicas = static_cast<int>(v);
    if (name == "synchronous_commit_timeout_ms") config.synchronous_commit_timeout_ms = v;
    if (name == "disk_reserve_mb") config.disk_reserve_mb = v;
    if (name == "log_file_max_mb") config.log_file_max_mb = static_cast<uint32_t>(v);
    if (name == "audit_log_max_mb") config.audit_log_max_mb = v;
    if (name == "http_port") config.http_port = static_cast<uint16_t>(v);
    if (name == "max_prepared_transactions") config.max_prepared_transactions = static_cast<int>(v);
    if (name == "max_connections") config.max_connections = static_cast<int>(v);
    if (name == "superuser_reserved_connections") {
      config.superuser_reserved_connections = static_cast<int>(v);
    }
    return;
  }
  if (text.empty() && !s.may_be_empty)
    throw ConfigError(fmt::format("empty value for {} ({})", name, source));
  if (!s.allowed.empty() &&
      std::find(s.allowed.begin(), s.allowed.end(), text) == s.allowed.end()) {
    throw ConfigError(fmt::format("invalid value \"{}\" for {} ({}): expected one of {}", text,
                                  name, source, Join(s.allowed)));
  }
  if (name == "data_dir") config.data_dir = text;
  if (name == "listen") config.listen = text;
  if (name == "log_format") config.log_format = text;
  if (name == "log_level") config.log_level = text;
  if (name == "sync_mode") config.sync_mode = text;
  if (name == "engine") config.engine = text;
  if (name == "auth_method") config.auth_method = text;
  if (name == "hba_file") config.hba_file = text;
  if (name == "ssl_cert_file") config.ssl_cert_file = text;
  if (name == "ssl_key_file") config.ssl_key_file = text;
  if (name == "ssl_ca_file") config.ssl_ca_file = text;
  if (name == "ssl_min_protocol_version") config.ssl_min_protocol_version = text;
  if (name == "encryption") config.encryption = text;
  if (name == "encryption_key_file") config.encryption_key_file = text;
  if (name == "encryption_key_command") config.encryption_key_command = text;
  if (name == "audit_log") config.audit_log = text;
  if (name == "replica_of") config.replica_of = text;
  if (name == "replication_user") config.replication_user = text;
  if (name == "replication_password") config.replication_password = text;
  if (name == "replication_slot") config.replication_slot = text;
}

const Setting* Find(std::string_view key) {
  for (const Setting& s : Settings()) {
    if (key == s.name) return &s;
  }
  return nullptr;
}

void ApplyToml(Config& config, const std::string& path) {
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    throw ConfigError(fmt::format("cannot read configuration file \"{}\": {} (line {})", path,
                                  e.description(), e.source().begin.line));
  }
  std::string source = "in " + path;
  for (const auto& [key, node] : table) {
    const Setting* s = Find(key.str());
    if (s == nullptr) {
      throw ConfigError(fmt::format("unknown configuration key \"{}\" in {}", key.str(), path));
    }
    std::string text;
    if (s->kind == Kind::kBool) {
      if (node.is_boolean()) {
        text = *node.value<bool>() ? "on" : "off";
      } else if (node.is_string()) {
        text = *node.value<std::string>();
      } else {
        throw ConfigError(fmt::format("{} ({}) must be a boolean", s->name, source));
      }
    } else if (s->kind == Kind::kUInt) {
      if (!node.is_integer()) {
        throw ConfigError(fmt::format("{} ({}) must be an integer", s->name, source));
      }
      int64_t v = *node.value<int64_t>();
      if (v < 0) {
        throw ConfigError(
            fmt::format("invalid value \"{}\" for {} ({}): expected an integer "
                        "from {} to {}",
                        v, s->name, source, s->min, s->max));
      }
      text = std::to_string(v);
    } else {
      if (!node.is_string()) {
        throw ConfigError(fmt::format("{} ({}) must be a string", s->name, source));
      }
      text = *node.value<std::string>();
    }
    Apply(config, *s, text, source);
  }
}

}  // namespace

executor::EngineOptions Config::ToEngineOptions() const {
  executor::EngineOptions o;
  o.storage.engine = engine;
  o.storage.data_dir = data_dir;
  o.storage.cache_size_mb = cache_size_mb;
  o.storage.cache_grow_max_mb = cache_grow_max_mb;
  o.storage.sync_mode = sync_mode;
  o.storage.sync_period_ms = sync_period_ms;
  // A replica writes the log it applies (so that it can be followed in turn, and so that a
  // base copy overlapping the stream is recognised): always on.
  o.storage.shard_log = shard_log || !replica_of.empty();
  o.replica = !replica_of.empty();
  o.storage.log_keep_seconds = log_keep_seconds;
  o.storage.disk_reserve_mb = disk_reserve_mb;
  o.storage.log_file_max_mb = log_file_max_mb;
  o.storage.encryption.algorithm = encryption;
  o.storage.encryption.key_file = encryption_key_file;
  o.storage.encryption.key_command = encryption_key_command;
  o.shard_count = shards;
  o.max_prepared_transactions = max_prepared_transactions;
  o.max_connections = max_connections;
  o.superuser_reserved_connections = superuser_reserved_connections;
  o.ssl = ssl;
  o.plan_cache_bytes = static_cast<size_t>(plan_cache_mb) << 20;
  return o;
}

SecuritySettings Config::ToSecuritySettings() const {
  SecuritySettings s;
  s.data_dir = data_dir;
  s.tls.enabled = ssl;
  s.tls.cert_file = ssl_cert_file;
  s.tls.key_file = ssl_key_file;
  s.tls.ca_file = ssl_ca_file;
  s.tls.min_protocol = ssl_min_protocol_version;
  s.hba_file = hba_file;
  s.auth_method = auth_method;
  return s;
}

EnvLookup ProcessEnv() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

ConfigOutcome LoadConfig(const std::vector<std::string>& args, const EnvLookup& env) {
  ConfigOutcome outcome;
  CLI::App app("ActiveStore: a SQL database server speaking the PostgreSQL wire protocol",
               args.empty() ? "activestore" : args[0]);
  std::string config_file;
  app.add_option("--config", config_file, "TOML configuration file");
  std::map<std::string, std::string> flags;
  std::map<std::string, CLI::Option*> options;
  for (const Setting& s : Settings()) {
    options[s.name] =
        app.add_option(FlagName(s.name), flags[s.name], fmt::format("overrides {}", s.name));
  }
  bool version = false;
  app.add_flag("--version", version, "print the version and exit");

  std::vector<std::string> rest(args.size() > 1 ? args.begin() + 1 : args.end(), args.end());
  std::reverse(rest.begin(), rest.end());  // CLI11 takes them reversed
  try {
    app.parse(rest);
  } catch (const CLI::CallForHelp&) {
    outcome.message = app.help();
    return outcome;
  } catch (const CLI::ParseError& e) {
    outcome.exit_code = 2;
    outcome.message = fmt::format("activestore: {}\nRun with --help for the options.", e.what());
    return outcome;
  }
  if (version) {
    outcome.message = std::string(kVersionString);
    return outcome;
  }

  Config config;
  try {
    if (!config_file.empty()) ApplyToml(config, config_file);
    for (const Setting& s : Settings()) {
      std::string var = EnvName(s.name);
      if (auto v = env(var)) Apply(config, s, *v, "environment variable " + var);
    }
    for (const Setting& s : Settings()) {
      if (options[s.name]->count() > 0) {
        Apply(config, s, flags[s.name], "flag " + FlagName(s.name));
      }
    }
    if (config.superuser_reserved_connections >= config.max_connections) {
      throw ConfigError("superuser_reserved_connections must be less than max_connections");
    }
  } catch (const ConfigError& e) {
    outcome.exit_code = 2;
    outcome.message = fmt::format("activestore: {}", e.what());
    return outcome;
  }
  outcome.config = std::move(config);
  return outcome;
}

}  // namespace activestore::frontend
