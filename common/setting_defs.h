// What PostgreSQL's pg_settings says about each configuration parameter ActiveStore has: its
// type, unit, context, category, descriptions and allowed range or values. One table
// (setting_defs.cpp) read by the session's Settings (executor/settings.h) and the pg_settings
// relation (planner/pg_catalog/); the texts are PostgreSQL 15's, so clients that read them
// (pgAdmin, DBeaver, pgjdbc's max_index_keys lookup) see what they expect.
//
// A parameter the session has but PostgreSQL hides from SHOW ALL and pg_settings
// (is_superuser, role, session_authorization: GUC_NO_SHOW_ALL) has no entry here.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace activestore {

enum class SettingType { kBool, kInteger, kReal, kString, kEnum };

struct SettingDef {
  const char* name;  // PostgreSQL's spelling ("DateStyle")
  SettingType type;
  const char* unit;     // "ms", "kB", "8kB" or nullptr: the unit of pg_settings.setting
  const char* context;  // "user", "superuser", "internal", "postmaster", "sighup", ...
  const char* category;
  const char* short_desc;
  const char* extra_desc;  // or nullptr
  const char* min_val;     // integer and real parameters, else nullptr
  const char* max_val;
  const char* enum_values;  // enum parameters: the values, comma-separated, else nullptr
};

// Every entry, ordered by lower-case name.
std::span<const SettingDef> AllSettingDefs();
// The entry of a parameter (name case-insensitive), or nullptr.
const SettingDef* FindSettingDef(std::string_view name);
const char* SettingTypeName(SettingType t);  // pg_settings.vartype: "bool", "integer", ...

// The current state of one parameter in a session, as pg_settings shows it.
struct SettingState {
  std::string name;    // PostgreSQL's spelling
  std::string value;   // as SHOW prints it ("4MB", "1s")
  std::string source;  // "default", "client", "database", "user", "session", "override", ...
  std::string boot_value;
  std::string reset_value;
};

// pg_settings.setting of a parameter whose SHOW text is `shown`: for an integer parameter with a
// unit, the number of units ("4MB" in kB is "4096", "1s" in ms is "1000"); otherwise `shown`.
std::string SettingInUnits(const SettingDef& def, const std::string& shown);

}  // namespace activestore
