// PostgreSQL's system administration and server information functions over what ActiveStore
// stores: object sizes (pg_relation_size, pg_table_size, pg_indexes_size,
// pg_total_relation_size, pg_database_size, pg_tablespace_size), pg_size_pretty, pg_size_bytes,
// pg_tablespace_location, pg_postmaster_start_time and pg_conf_load_time. Registered into
// functions.cpp's table; the signatures are in planner/functions.cpp.
#pragma once

#include <vector>

#include "executor/string_functions.h"

namespace activestore::executor {

const std::vector<StringFunctionEntry>& AdminFunctionEntries();
// The relation statistics functions (pg_stat_get_numscans, ..., pg_stat_reset;
// table_stat_functions.cpp).
const std::vector<StringFunctionEntry>& TableStatFunctionEntries();
// pg_cancel_backend, pg_terminate_backend and the pg_stat_get_db_* functions behind
// pg_stat_database (activity_functions.cpp).
const std::vector<StringFunctionEntry>& ActivityFunctionEntries();

// The server calls these when it has started and each time it has (re)read its configuration;
// until then both report when the process started.
void NoteServerStarted();
void NoteConfigurationLoaded();

}  // namespace activestore::executor
