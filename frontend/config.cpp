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

enum class Kind { kString, kUInt };

struct Setting {
  const char* name;  // TOML key; the flag is --name-with-dashes, the env var ACTIVESTORE_NAME
  Kind kind;
  uint64_t min = 0;
  uint64_t max = 0;
  std::vector<std::string> allowed = {};  // for strings: empty means any non-empty value
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
      {"engine", Kind::kString, 0, 0, {"wiredtiger", "memory"}},
      {"http_port", Kind::kUInt, 0, 65535},
      {"max_prepared_transactions", Kind::kUInt, 0, 262143},
      {"auth_method", Kind::kString, 0, 0, {"trust", "password", "md5", "scram-sha-256"}},
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
    if (name == "http_port") config.http_port = static_cast<uint16_t>(v);
    if (name == "max_prepared_transactions") config.max_prepared_transactions = static_cast<int>(v);
    return;
  }
  if (text.empty()) throw ConfigError(fmt::format("empty value for {} ({})", name, source));
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
    if (s->kind == Kind::kUInt) {
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
  o.shard_count = shards;
  o.max_prepared_transactions = max_prepared_transactions;
  o.plan_cache_bytes = static_cast<size_t>(plan_cache_mb) << 20;
  return o;
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
  } catch (const ConfigError& e) {
    outcome.exit_code = 2;
    outcome.message = fmt::format("activestore: {}", e.what());
    return outcome;
  }
  outcome.config = std::move(config);
  return outcome;
}

}  // namespace activestore::frontend
