// Session settings (PostgreSQL's GUCs) that a session can SET, SHOW and RESET, and the ones
// reported to the client in ParameterStatus messages.
//
// Thread safety: a Settings object belongs to one session.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/setting_defs.h"
#include "common/value_ops.h"

namespace activestore::executor {

// DateStyle and TimeZone values as PostgreSQL's check hooks read them (22023 with PostgreSQL's
// message and DETAIL for bad values; 0A000 for forms ActiveStore does not support).
void ParseDateStyle(const std::string& value, DateStyle cur_style, DateOrder cur_order,
                    DateStyle* style, DateOrder* order);
std::string DateStyleName(DateStyle style, DateOrder order);  // "Postgres, MDY"
std::shared_ptr<const TimeZone> ParseTimeZone(const std::string& value);

class Settings {
 public:
  explicit Settings(const std::string& server_version);

  // Sets a parameter (name case-insensitive). Throws 42704 `unrecognized configuration
  // parameter "x"`, 55P02/22023 for read-only parameters or invalid values, 0A000 for values
  // that PostgreSQL accepts but ActiveStore does not support yet.
  void Set(const std::string& name, const std::string& value);
  // A custom "class.name" parameter not set before becomes a placeholder with the empty value
  // (PostgreSQL's define_custom_variable placeholder: what it returns to after a rolled-back
  // SET). Other names: nothing.
  void DefinePlaceholder(const std::string& name);
  // Sets a read-only parameter from the server side (session_authorization at connect).
  void SetInternal(const std::string& name, const std::string& value);
  // As SetInternal, and reported to the client when `report` (is_superuser,
  // session_authorization after SET ROLE / SET SESSION AUTHORIZATION).
  void SetByServer(const std::string& name, const std::string& value);
  // Set, and makes the value the one RESET returns to (the database's settings and the
  // start-up parameters of a session). `source` is pg_settings.source: "database", "user",
  // "database user" or "client".
  void SetSessionDefault(const std::string& name, const std::string& value,
                         const char* source = "client");
  // Set with pg_settings.source `source`: undoing a SET at the end of a transaction or
  // savepoint, and the transaction_* parameters the server sets at BEGIN ("override").
  void Restore(const std::string& name, const std::string& value, const std::string& source);
  // pg_settings.source of the current value. Throws 42704 for an unknown name.
  std::string Source(const std::string& name) const;
  void Reset(const std::string& name);
  void ResetAll();
  // The value as SHOW prints it. Throws 42704 for an unknown name. No allocation when the
  // name is already lower case (as the server's own callers spell it).
  const std::string& Get(std::string_view name) const;
  // A time setting (statement_timeout, lock_timeout, ...) in milliseconds.
  int64_t Millis(std::string_view name) const;
  // Changes with every change of any value or source: callers cache what they derive from
  // settings (a plan's settings key, the statement's timeouts) by it.
  uint64_t generation() const { return generation_; }
  // PostgreSQL's spelling of the name ("DateStyle" for "datestyle").
  std::string DisplayName(const std::string& name) const;
  // Every parameter pg_settings shows (those with a SettingDef, and custom "ext.name" ones),
  // sorted by name.
  std::vector<SettingState> States() const;

  std::vector<std::pair<std::string, std::string>> Reported() const;
  std::vector<std::pair<std::string, std::string>> TakeChanged();

  const FormatOptions& format() const { return format_; }
  const std::vector<std::string>& search_path() const { return search_path_; }
  // CREATE SCHEMA runs its schema elements with the new schema first in the search path
  // (PostgreSQL's PushOverrideSearchPath); the search_path setting, as SHOW prints it, does
  // not change. Each push is undone by one pop.
  void PushSearchPathSchema(const std::string& schema);
  void PopSearchPathSchema();
  // pg_stat_statements.track is not 'none'; pg_stat_statements.track_utility is on.
  bool track_statements() const { return track_statements_; }
  bool track_utility() const { return track_utility_; }

 private:
  struct Param {
    std::string display;
    std::string value;
    std::string reset_value;  // what RESET returns to
    bool report = false;
    bool read_only = false;
    std::string boot_value;          // the server's default
    std::string source = "default";  // pg_settings.source of `value` and of `reset_value`
    std::string reset_source = "default";
  };
  std::string Canonicalize(Param& p, const std::string& name, const std::string& value) const;
  void Apply(const std::string& name);

  // The parameter of a name, lower-cased without allocating when it is short; null if none.
  const Param* Find(std::string_view name) const;

  std::map<std::string, Param, std::less<>> params_;
  uint64_t generation_ = 0;
  std::vector<std::string> changed_;
  FormatOptions format_;
  std::vector<std::string> search_path_ = {"public"};
  std::vector<std::string> pushed_schemas_;  // PushSearchPathSchema's, the latest first
  bool track_statements_ = true;
  bool track_utility_ = true;
};

}  // namespace activestore::executor
