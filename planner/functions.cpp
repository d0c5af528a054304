// The scalar functions the planner knows, and PostgreSQL's function resolution over them
// (func_select_candidate reduced to our types): keep the candidates every argument can be
// implicitly coerced to, then the ones with the most exact matches, then the ones taking the
// preferred type of the category (float8, text, timestamptz) where a conversion is needed.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "common/aclitem.h"
#include "common/pg_lsn.h"
#include "common/point.h"
#include "common/reg_types.h"
#include "common/system_id_types.h"
#include "planner/binder.h"
#include "planner/type_rules.h"

namespace activestore::planner {
namespace {

constexpr TypeId kAny = TypeId::kUnknown;  // variadic "any" marker in the table

struct Signature {
  const char* name;
  std::vector<TypeId> params;
  TypeId result;
  bool variadic_any = false;   // params then any number of arguments of any type
  const char* impl = nullptr;  // the executor's name when it differs (overloads by type)
};

const std::vector<Signature>& Table() {
  using enum TypeId;
  static const std::vector<Signature> kTable = {
      {"abs", {kInt16}, kInt16},
      {"abs", {kInt32}, kInt32},
      {"abs", {kInt64}, kInt64},
      {"abs", {kFloat64}, kFloat64},
      {"abs", {kNumeric}, kNumeric},
      {"round", {kFloat64}, kFloat64},
      {"round", {kNumeric}, kNumeric},
      {"round", {kNumeric, kInt32}, kNumeric},
      {"trunc", {kFloat64}, kFloat64},
      {"trunc", {kNumeric}, kNumeric},
      {"trunc", {kNumeric, kInt32}, kNumeric},
      {"floor", {kFloat64}, kFloat64},
      {"floor", {kNumeric}, kNumeric},
      {"ceil", {kFloat64}, kFloat64},
      {"ceil", {kNumeric}, kNumeric},
      {"ceiling", {kFloat64}, kFloat64},
      {"ceiling", {kNumeric}, kNumeric},
      {"sign", {kFloat64}, kFloat64},
      {"sign", {kNumeric}, kNumeric},
      {"sqrt", {kFloat64}, kFloat64},
      {"sqrt", {kNumeric}, kNumeric},
      {"power", {kFloat64, kFloat64}, kFloat64},
      {"power", {kNumeric, kNumeric}, kNumeric},
      {"pow", {kFloat64, kFloat64}, kFloat64},
      {"pow", {kNumeric, kNumeric}, kNumeric},
      {"gcd", {kInt32, kInt32}, kInt32},
      {"gcd", {kInt64, kInt64}, kInt64},
      {"lcm", {kInt32, kInt32}, kInt32},
      {"lcm", {kInt64, kInt64}, kInt64},
      {"booleq", {kBool, kBool}, kBool},
      {"boolne", {kBool, kBool}, kBool},
      {"mod", {kInt16, kInt16}, kInt16},
      {"mod", {kInt32, kInt32}, kInt32},
      {"mod", {kInt64, kInt64}, kInt64},
      {"mod", {kNumeric, kNumeric}, kNumeric},
      {"exp", {kFloat64}, kFloat64},
      {"ln", {kFloat64}, kFloat64},
      {"log", {kFloat64}, kFloat64},
      {"pi", {}, kFloat64},
      // Transaction ids (executor/xact_ids.h).
      {"txid_current", {}, kInt64},
      {"txid_current_if_assigned", {}, kInt64},
      {"pg_current_xact_id", {}, kXid8Type},
      {"pg_current_xact_id_if_assigned", {}, kXid8Type},
      {"xid", {kXid8Type}, kXidType},
      {"random", {}, kFloat64},
      {"lower", {kText}, kText},
      {"upper", {kText}, kText},
      {"initcap", {kText}, kText},
      {"length", {kText}, kInt32},
      {"char_length", {kText}, kInt32},
      {"character_length", {kText}, kInt32},
      {"octet_length", {kText}, kInt32},
      {"octet_length", {kBpchar}, kInt32},  // bpcharoctetlen: counts the padding
      {"bit_length", {kText}, kInt32},
      {"substr", {kText, kInt32}, kText},
      {"substr", {kText, kInt32, kInt32}, kText},
      {"substring", {kText, kInt32}, kText},
      {"substring", {kText, kInt32, kInt32}, kText},
      {"btrim", {kText}, kText},
      {"btrim", {kText, kText}, kText},
      {"ltrim", {kText}, kText},
      {"ltrim", {kText, kText}, kText},
      {"rtrim", {kText}, kText},
      {"rtrim", {kText, kText}, kText},
      {"replace", {kText, kText, kText}, kText},
      {"strpos", {kText, kText}, kInt32},
      {"left", {kText, kInt32}, kText},
      {"right", {kText, kInt32}, kText},
      {"lpad", {kText, kInt32}, kText},
      {"lpad", {kText, kInt32, kText}, kText},
      {"rpad", {kText, kInt32}, kText},
      {"rpad", {kText, kInt32, kText}, kText},
      {"repeat", {kText, kInt32}, kText},
      {"reverse", {kText}, kText},
      {"md5", {kText}, kText},
      // bytea (common/bytea.h); position(x in b) binds as strpos(b, x).
      {"length", {kBytea}, kInt32},
      {"octet_length", {kBytea}, kInt32},
      {"bit_length", {kBytea}, kInt32},
      {"bit_count", {kBytea}, kInt64},
      {"substr", {kBytea, kInt32}, kBytea},
      {"substr", {kBytea, kInt32, kInt32}, kBytea},
      {"substring", {kBytea, kInt32}, kBytea},
      {"substring", {kBytea, kInt32, kInt32}, kBytea},
      {"strpos", {kBytea, kBytea}, kInt32},
      {"overlay", {kBytea, kBytea, kInt32}, kBytea},
      {"overlay", {kBytea, kBytea, kInt32, kInt32}, kBytea},
      {"btrim", {kBytea, kBytea}, kBytea},
      {"ltrim", {kBytea, kBytea}, kBytea},
      {"rtrim", {kBytea, kBytea}, kBytea},
      {"get_byte", {kBytea, kInt32}, kInt32},
      {"set_byte", {kBytea, kInt32, kInt32}, kBytea},
      {"get_bit", {kBytea, kInt64}, kInt32},
      {"set_bit", {kBytea, kInt64, kInt32}, kBytea},
      {"encode", {kBytea, kText}, kText},
      {"decode", {kText, kText}, kBytea},
      {"md5", {kBytea}, kText},
      {"sha224", {kBytea}, kBytea},
      {"sha256", {kBytea}, kBytea},
      {"sha384", {kBytea}, kBytea},
      {"sha512", {kBytea}, kBytea},
      {"convert_to", {kText, kText}, kBytea},
      {"convert_from", {kBytea, kText}, kText},
      {"gen_random_uuid", {}, kUuid},
      // bit and varbit (common/bit_string.h; varbit arguments through the implicit varbit ->
      // bit cast, as PostgreSQL's functions take bit), money (common/money.h).
      {"length", {kBit}, kInt32},
      {"octet_length", {kBit}, kInt32},
      {"bit_length", {kBit}, kInt32},
      {"bit_count", {kBit}, kInt64},
      {"substring", {kBit, kInt32}, kBit},
      {"substring", {kBit, kInt32, kInt32}, kBit},
      {"strpos", {kBit, kBit}, kInt32},
      {"overlay", {kBit, kBit, kInt32}, kBit},
      {"overlay", {kBit, kBit, kInt32, kInt32}, kBit},
      {"get_bit", {kBit, kInt32}, kInt32},
      {"set_bit", {kBit, kInt32, kInt32}, kBit},
      {"bitand", {kBit, kBit}, kBit},
      {"bitor", {kBit, kBit}, kBit},
      {"bitxor", {kBit, kBit}, kBit},
      {"bitnot", {kBit}, kBit},
      {"bitshiftleft", {kBit, kInt32}, kBit},
      {"bitshiftright", {kBit, kInt32}, kBit},
      {"bitcat", {kVarbit, kVarbit}, kVarbit},
      {"cashlarger", {kMoney, kMoney}, kMoney},
      {"cashsmaller", {kMoney, kMoney}, kMoney},
      {"cash_words", {kMoney}, kText},
      {"concat", {}, kText, true},
      {"concat_ws", {kText}, kText, true},
      {"now", {}, kTimestampTz},
      {"current_timestamp", {}, kTimestampTz},
      {"transaction_timestamp", {}, kTimestampTz},
      {"statement_timestamp", {}, kTimestampTz},
      {"clock_timestamp", {}, kTimestampTz},
      {"current_date", {}, kDate},
      {"localtimestamp", {}, kTimestamp},
      // timestamp(date, time), timestamptz(date, time), timestamptz(date, timetz): date + time
      // as the result type (branch datetime2).
      {"timestamp", {kDate, kTime}, kTimestamp, false, "date_time_timestamp"},
      {"timestamptz", {kDate, kTime}, kTimestampTz, false, "date_time_timestamp"},
      {"timestamptz", {kDate, kTimeTz}, kTimestampTz, false, "date_time_timestamp"},
      // current_timestamp(p) / localtimestamp(p) round to p digits (branch datetime2).
      {"current_timestamp", {kInt32}, kTimestampTz},
      {"localtimestamp", {kInt32}, kTimestamp},
      // time and timetz (common/time_types.h); current_time(p) / localtime(p) round.
      {"current_time", {}, kTimeTz},
      {"current_time", {kInt32}, kTimeTz},
      {"localtime", {}, kTime},
      {"localtime", {kInt32}, kTime},
      {"date_part", {kText, kTime}, kFloat64},
      {"date_part", {kText, kTimeTz}, kFloat64},
      {"extract", {kText, kTime}, kNumeric},
      {"extract", {kText, kTimeTz}, kNumeric},
      {"make_time", {kInt32, kInt32, kFloat64}, kTime},
      // date/timestamp constructors and functions (common/datetime.h).
      {"make_date", {kInt32, kInt32, kInt32}, kDate},
      {"make_timestamp", {kInt32, kInt32, kInt32, kInt32, kInt32, kFloat64}, kTimestamp},
      {"make_timestamptz", {kInt32, kInt32, kInt32, kInt32, kInt32, kFloat64}, kTimestampTz},
      {"make_timestamptz", {kInt32, kInt32, kInt32, kInt32, kInt32, kFloat64, kText}, kTimestampTz},
      {"isfinite", {kDate}, kBool},
      {"isfinite", {kTimestamp}, kBool},
      {"isfinite", {kTimestampTz}, kBool},
      {"isfinite", {kInterval}, kBool},
      {"date_bin", {kInterval, kTimestamp, kTimestamp}, kTimestamp},
      // (s1, e1) OVERLAPS (s2, e2); an interval in place of an end is added to its start.
      {"overlaps", {kTimestampTz, kTimestampTz, kTimestampTz, kTimestampTz}, kBool},
      {"overlaps", {kTimestampTz, kInterval, kTimestampTz, kInterval}, kBool},
      {"overlaps", {kTimestampTz, kTimestampTz, kTimestampTz, kInterval}, kBool},
      {"overlaps", {kTimestampTz, kInterval, kTimestampTz, kTimestampTz}, kBool},
      {"overlaps", {kTimestamp, kTimestamp, kTimestamp, kTimestamp}, kBool},
      {"overlaps", {kTimestamp, kInterval, kTimestamp, kInterval}, kBool},
      {"overlaps", {kTimestamp, kTimestamp, kTimestamp, kInterval}, kBool},
      {"overlaps", {kTimestamp, kInterval, kTimestamp, kTimestamp}, kBool},
      {"overlaps", {kTime, kTime, kTime, kTime}, kBool},
      {"overlaps", {kTime, kInterval, kTime, kInterval}, kBool},
      {"overlaps", {kTime, kTime, kTime, kInterval}, kBool},
      {"overlaps", {kTime, kInterval, kTime, kTime}, kBool},
      {"overlaps", {kTimeTz, kTimeTz, kTimeTz, kTimeTz}, kBool},
      {"date_bin", {kInterval, kTimestampTz, kTimestampTz}, kTimestampTz},
      // TimescaleDB's time_bucket (common/time_bucket.h): (width, ts), (width, ts, origin),
      // (width, ts, offset); the time-zone form of timestamptz first, as PostgreSQL prefers
      // the string candidate for an unknown literal; time_bucket_gapfill with every argument
      // (planner/bind_timeseries.cpp fills in the left-out ones).
      {"time_bucket", {kInterval, kTimestampTz, kText}, kTimestampTz, false, "time_bucket_tz"},
      {"time_bucket",
       {kInterval, kTimestampTz, kText, kTimestampTz},
       kTimestampTz,
       false,
       "time_bucket_tz"},
      {"time_bucket",
       {kInterval, kTimestampTz, kText, kTimestampTz, kInterval},
       kTimestampTz,
       false,
       "time_bucket_tz"},
      {"time_bucket", {kInterval, kTimestamp}, kTimestamp},
      {"time_bucket", {kInterval, kTimestampTz}, kTimestampTz},
      {"time_bucket", {kInterval, kDate}, kDate},
      {"time_bucket", {kInterval, kTimestamp, kTimestamp}, kTimestamp},
      {"time_bucket", {kInterval, kTimestampTz, kTimestampTz}, kTimestampTz},
      {"time_bucket", {kInterval, kDate, kDate}, kDate},
      {"time_bucket", {kInterval, kTimestamp, kInterval}, kTimestamp},
      {"time_bucket", {kInterval, kTimestampTz, kInterval}, kTimestampTz},
      {"time_bucket", {kInterval, kDate, kInterval}, kDate},
      {"time_bucket", {kInt16, kInt16}, kInt16},
      {"time_bucket", {kInt32, kInt32}, kInt32},
      {"time_bucket", {kInt64, kInt64}, kInt64},
      {"time_bucket", {kInt16, kInt16, kInt16}, kInt16},
      {"time_bucket", {kInt32, kInt32, kInt32}, kInt32},
      {"time_bucket", {kInt64, kInt64, kInt64}, kInt64},
      {"time_bucket_gapfill",
       {kInterval, kTimestampTz, kText, kTimestampTz, kTimestampTz},
       kTimestampTz},
      {"time_bucket_gapfill", {kInterval, kTimestamp, kTimestamp, kTimestamp}, kTimestamp},
      {"time_bucket_gapfill", {kInterval, kTimestampTz, kTimestampTz, kTimestampTz}, kTimestampTz},
      {"time_bucket_gapfill", {kInterval, kDate, kDate, kDate}, kDate},
      {"time_bucket_gapfill", {kInt16, kInt16, kInt16, kInt16}, kInt16},
      {"time_bucket_gapfill", {kInt32, kInt32, kInt32, kInt32}, kInt32},
      {"time_bucket_gapfill", {kInt64, kInt64, kInt64, kInt64}, kInt64},
      {"date_trunc", {kText, kTimestampTz, kText}, kTimestampTz},
      {"pg_sleep", {kFloat64}, kVoid},
      {"interval_hash", {kInterval}, kInt32},
      {"timezone", {kText, kTimeTz}, kTimeTz},
      {"timezone", {kInterval, kTimeTz}, kTimeTz},
      {"date_part", {kText, kTimestamp}, kFloat64},
      {"date_part", {kText, kTimestampTz}, kFloat64},
      {"date_part", {kText, kDate}, kFloat64},
      {"extract", {kText, kTimestamp}, kNumeric},
      {"extract", {kText, kTimestampTz}, kNumeric},
      {"extract", {kText, kDate}, kNumeric},
      {"date_trunc", {kText, kTimestamp}, kTimestamp},
      {"date_trunc", {kText, kTimestampTz}, kTimestampTz},
      {"date_trunc", {kText, kInterval}, kInterval},
      {"date_part", {kText, kInterval}, kFloat64},
      {"extract", {kText, kInterval}, kNumeric},
      {"justify_hours", {kInterval}, kInterval},
      {"justify_days", {kInterval}, kInterval},
      {"justify_interval", {kInterval}, kInterval},
      {"age", {kTimestamp, kTimestamp}, kInterval},
      {"age", {kTimestampTz, kTimestampTz}, kInterval},
      {"age", {kTimestamp}, kInterval},
      {"age", {kTimestampTz}, kInterval},
      // make_interval(years, months, weeks, days, hours, mins, secs), every argument optional.
      {"make_interval", {}, kInterval},
      {"make_interval", {kInt32}, kInterval},
      {"make_interval", {kInt32, kInt32}, kInterval},
      {"make_interval", {kInt32, kInt32, kInt32}, kInterval},
      {"make_interval", {kInt32, kInt32, kInt32, kInt32}, kInterval},
      {"make_interval", {kInt32, kInt32, kInt32, kInt32, kInt32}, kInterval},
      {"make_interval", {kInt32, kInt32, kInt32, kInt32, kInt32, kInt32}, kInterval},
      {"make_interval", {kInt32, kInt32, kInt32, kInt32, kInt32, kInt32, kFloat64}, kInterval},
      {"timezone", {kText, kTimestampTz}, kTimestamp},
      {"timezone", {kText, kTimestamp}, kTimestampTz},
      // Data type formatting (common/formatting.h).
      {"to_char", {kTimestamp, kText}, kText},
      {"to_char", {kTimestampTz, kText}, kText},
      {"to_char", {kInterval, kText}, kText},
      {"to_char", {kInt32, kText}, kText},
      {"to_char", {kInt64, kText}, kText},
      {"to_char", {kFloat64, kText}, kText},
      {"to_char", {kNumeric, kText}, kText},
      {"to_number", {kText, kText}, kNumeric},
      {"to_date", {kText, kText}, kDate},
      {"to_timestamp", {kText, kText}, kTimestampTz},
      {"to_timestamp", {kFloat64}, kTimestampTz},
      {"version", {}, kText},
      {"getdatabaseencoding", {}, kName},  // the server encoding is always UTF8
      {"pg_client_encoding", {}, kName},
      {"pg_typeof", {}, kRegTypeType, true},  // regtype, as PostgreSQL
      {"current_database", {}, kName},
      {"pg_backend_pid", {}, kInt32},
      {"pg_trigger_depth", {}, kInt32},
      {"pg_current_wal_lsn", {}, kPgLsnType},
      {"pg_current_wal_insert_lsn", {}, kPgLsnType},
      {"pg_current_wal_flush_lsn", {}, kPgLsnType},
      {"pg_is_in_recovery", {}, kBool},
      {"pg_drop_replication_slot", {kName}, kVoid},
      {"pg_promote", {}, kBool},
      {"pg_promote", {kBool}, kBool},
      {"pg_promote", {kBool, kInt32}, kBool},
      {"pg_last_wal_receive_lsn", {}, kPgLsnType},
      {"pg_last_wal_replay_lsn", {}, kPgLsnType},
      {"pg_notify", {kText, kText}, kVoid},
      {"pg_listening_channels", {}, kText},
      {"pg_notification_queue_usage", {}, kFloat64},
      {"pg_advisory_lock", {kInt64}, kVoid},
      {"pg_advisory_lock", {kInt32, kInt32}, kVoid},
      {"pg_advisory_lock_shared", {kInt64}, kVoid},
      {"pg_advisory_lock_shared", {kInt32, kInt32}, kVoid},
      {"pg_advisory_xact_lock", {kInt64}, kVoid},
      {"pg_advisory_xact_lock", {kInt32, kInt32}, kVoid},
      {"pg_advisory_xact_lock_shared", {kInt64}, kVoid},
      {"pg_advisory_xact_lock_shared", {kInt32, kInt32}, kVoid},
      {"pg_try_advisory_lock", {kInt64}, kBool},
      {"pg_try_advisory_lock", {kInt32, kInt32}, kBool},
      {"pg_try_advisory_lock_shared", {kInt64}, kBool},
      {"pg_try_advisory_lock_shared", {kInt32, kInt32}, kBool},
      {"pg_try_advisory_xact_lock", {kInt64}, kBool},
      {"pg_try_advisory_xact_lock", {kInt32, kInt32}, kBool},
      {"pg_try_advisory_xact_lock_shared", {kInt64}, kBool},
      {"pg_try_advisory_xact_lock_shared", {kInt32, kInt32}, kBool},
      {"pg_advisory_unlock", {kInt64}, kBool},
      {"pg_advisory_unlock", {kInt32, kInt32}, kBool},
      {"pg_advisory_unlock_shared", {kInt64}, kBool},
      {"pg_advisory_unlock_shared", {kInt32, kInt32}, kBool},
      {"pg_advisory_unlock_all", {}, kVoid},
      // The relation statistics (executor/table_stat_functions.cpp).
      {"pg_stat_get_numscans", {kOid}, kInt64},
      {"pg_stat_get_tuples_returned", {kOid}, kInt64},
      {"pg_stat_get_tuples_fetched", {kOid}, kInt64},
      {"pg_stat_get_tuples_inserted", {kOid}, kInt64},
      {"pg_stat_get_tuples_updated", {kOid}, kInt64},
      {"pg_stat_get_tuples_deleted", {kOid}, kInt64},
      {"pg_stat_get_tuples_hot_updated", {kOid}, kInt64},
      {"pg_stat_get_live_tuples", {kOid}, kInt64},
      {"pg_stat_get_dead_tuples", {kOid}, kInt64},
      {"pg_stat_get_mod_since_analyze", {kOid}, kInt64},
      {"pg_stat_get_ins_since_vacuum", {kOid}, kInt64},
      {"pg_stat_get_last_vacuum_time", {kOid}, kTimestampTz},
      {"pg_stat_get_last_autovacuum_time", {kOid}, kTimestampTz},
      {"pg_stat_get_last_analyze_time", {kOid}, kTimestampTz},
      {"pg_stat_get_last_autoanalyze_time", {kOid}, kTimestampTz},
      {"pg_stat_get_vacuum_count", {kOid}, kInt64},
      {"pg_stat_get_autovacuum_count", {kOid}, kInt64},
      {"pg_stat_get_analyze_count", {kOid}, kInt64},
      {"pg_stat_get_autoanalyze_count", {kOid}, kInt64},
      {"pg_stat_get_blocks_fetched", {kOid}, kInt64},
      {"pg_stat_get_blocks_hit", {kOid}, kInt64},
      {"pg_stat_get_xact_tuples_inserted", {kOid}, kInt64},
      {"pg_stat_get_xact_tuples_updated", {kOid}, kInt64},
      {"pg_stat_get_xact_tuples_deleted", {kOid}, kInt64},
      {"pg_stat_get_xact_tuples_hot_updated", {kOid}, kInt64},
      {"pg_stat_reset", {}, kVoid},
      // Client sessions (executor/activity_functions.cpp).
      {"pg_cancel_backend", {kInt32}, kBool},
      {"pg_terminate_backend", {kInt32}, kBool},
      {"pg_terminate_backend", {kInt32, kInt64}, kBool},
      {"pg_stat_get_db_numbackends", {kOid}, kInt32},
      {"pg_stat_get_db_xact_commit", {kOid}, kInt64},
      {"pg_stat_get_db_xact_rollback", {kOid}, kInt64},
      {"pg_stat_get_db_blocks_fetched", {kOid}, kInt64},
      {"pg_stat_get_db_blocks_hit", {kOid}, kInt64},
      {"pg_stat_get_db_tuples_returned", {kOid}, kInt64},
      {"pg_stat_get_db_tuples_fetched", {kOid}, kInt64},
      {"pg_stat_get_db_tuples_inserted", {kOid}, kInt64},
      {"pg_stat_get_db_tuples_updated", {kOid}, kInt64},
      {"pg_stat_get_db_tuples_deleted", {kOid}, kInt64},
      {"pg_stat_get_db_conflict_all", {kOid}, kInt64},
      {"pg_stat_get_db_temp_files", {kOid}, kInt64},
      {"pg_stat_get_db_temp_bytes", {kOid}, kInt64},
      {"pg_stat_get_db_deadlocks", {kOid}, kInt64},
      {"pg_stat_get_db_checksum_failures", {kOid}, kInt64},
      {"pg_stat_get_db_checksum_last_failure", {kOid}, kTimestampTz},
      {"pg_stat_get_db_blk_read_time", {kOid}, kFloat64},
      {"pg_stat_get_db_blk_write_time", {kOid}, kFloat64},
      {"pg_stat_get_db_session_time", {kOid}, kFloat64},
      {"pg_stat_get_db_active_time", {kOid}, kFloat64},
      {"pg_stat_get_db_idle_in_transaction_time", {kOid}, kFloat64},
      {"pg_stat_get_db_sessions", {kOid}, kInt64},
      {"pg_stat_get_db_sessions_abandoned", {kOid}, kInt64},
      {"pg_stat_get_db_sessions_fatal", {kOid}, kInt64},
      {"pg_stat_get_db_sessions_killed", {kOid}, kInt64},
      {"pg_stat_get_db_stat_reset_time", {kOid}, kTimestampTz},
      {"pg_stat_reset_single_table_counters", {kOid}, kVoid},
      {"pg_stat_force_next_flush", {}, kVoid},
      {"pg_stat_clear_snapshot", {}, kVoid},
      {"pg_stat_statements_reset", {}, kVoid},
      {"pg_stat_statements_reset", {kOid}, kVoid},
      {"pg_stat_statements_reset", {kOid, kOid}, kVoid},
      {"pg_stat_statements_reset", {kOid, kOid, kInt64}, kVoid},
      {"current_setting", {kText}, kText},
      {"current_setting", {kText, kBool}, kText},
      {"set_config", {kText, kText, kBool}, kText},
      {"pg_isolation_test_session_is_blocked", {kInt32, kInt32ArrayType}, kBool},
      {"pg_blocking_pids", {kInt32}, kInt32ArrayType},
      {"lastval", {}, kInt64},
      {"pg_get_serial_sequence", {kText, kText}, kText},
      {"pg_sequence_last_value", {kRegClassType}, kInt64},
      // System catalog information (executor/catalog_functions.cpp).
      {"pg_get_userbyid", {kOid}, kName},
      {"has_table_privilege", {kText, kText}, kBool},
      {"has_table_privilege", {kOid, kText}, kBool},
      {"has_table_privilege", {kText, kText, kText}, kBool},
      {"has_table_privilege", {kOid, kText, kText}, kBool},
      {"has_table_privilege", {kText, kOid, kText}, kBool},
      {"has_table_privilege", {kOid, kOid, kText}, kBool},
      {"pg_get_partkeydef", {kOid}, kText},
      {"has_sequence_privilege", {kText, kText}, kBool},
      {"has_sequence_privilege", {kOid, kText}, kBool},
      {"has_sequence_privilege", {kText, kText, kText}, kBool},
      {"has_schema_privilege", {kText, kText}, kBool},
      {"has_schema_privilege", {kOid, kText}, kBool},
      {"has_schema_privilege", {kText, kText, kText}, kBool},
      {"has_schema_privilege", {kOid, kOid, kText}, kBool},
      {"has_database_privilege", {kText, kText}, kBool},
      {"has_database_privilege", {kOid, kText}, kBool},
      {"has_database_privilege", {kText, kText, kText}, kBool},
      {"has_column_privilege", {kText, kText, kText}, kBool},
      {"has_column_privilege", {kName, kText, kText, kText}, kBool},
      {"has_column_privilege", {kOid, kText, kText, kText}, kBool},
      {"has_column_privilege", {kText, kInt16, kText}, kBool},
      {"has_column_privilege", {kName, kText, kInt16, kText}, kBool},
      {"has_column_privilege", {kOid, kText, kInt16, kText}, kBool},
      {"has_column_privilege", {kOid, kText, kText}, kBool},
      {"has_column_privilege", {kName, kOid, kText, kText}, kBool},
      {"has_column_privilege", {kOid, kOid, kText, kText}, kBool},
      {"has_column_privilege", {kOid, kInt16, kText}, kBool},
      {"has_column_privilege", {kName, kOid, kInt16, kText}, kBool},
      {"has_column_privilege", {kOid, kOid, kInt16, kText}, kBool},
      {"has_any_column_privilege", {kText, kText}, kBool},
      {"has_any_column_privilege", {kName, kText, kText}, kBool},
      {"has_any_column_privilege", {kOid, kText, kText}, kBool},
      {"has_any_column_privilege", {kOid, kText}, kBool},
      {"has_any_column_privilege", {kName, kOid, kText}, kBool},
      {"has_any_column_privilege", {kOid, kOid, kText}, kBool},
      {"has_function_privilege", {kText, kText}, kBool},
      {"has_function_privilege", {kName, kText, kText}, kBool},
      {"has_function_privilege", {kOid, kText, kText}, kBool},
      {"has_function_privilege", {kOid, kText}, kBool},
      {"has_function_privilege", {kName, kOid, kText}, kBool},
      {"has_function_privilege", {kOid, kOid, kText}, kBool},
      {"has_type_privilege", {kText, kText}, kBool},
      {"has_type_privilege", {kName, kText, kText}, kBool},
      {"has_type_privilege", {kOid, kText, kText}, kBool},
      {"has_type_privilege", {kOid, kText}, kBool},
      {"has_type_privilege", {kName, kOid, kText}, kBool},
      {"has_type_privilege", {kOid, kOid, kText}, kBool},
      {"has_language_privilege", {kText, kText}, kBool},
      {"has_language_privilege", {kName, kText, kText}, kBool},
      {"has_language_privilege", {kOid, kText, kText}, kBool},
      {"has_language_privilege", {kOid, kText}, kBool},
      {"has_language_privilege", {kName, kOid, kText}, kBool},
      {"has_language_privilege", {kOid, kOid, kText}, kBool},
      {"has_tablespace_privilege", {kText, kText}, kBool},
      {"has_tablespace_privilege", {kName, kText, kText}, kBool},
      {"has_tablespace_privilege", {kOid, kText, kText}, kBool},
      {"has_tablespace_privilege", {kOid, kText}, kBool},
      {"has_tablespace_privilege", {kName, kOid, kText}, kBool},
      {"has_tablespace_privilege", {kOid, kOid, kText}, kBool},
      {"has_foreign_data_wrapper_privilege", {kText, kText}, kBool},
      {"has_foreign_data_wrapper_privilege", {kName, kText, kText}, kBool},
      {"has_foreign_data_wrapper_privilege", {kOid, kText, kText}, kBool},
      {"has_foreign_data_wrapper_privilege", {kOid, kText}, kBool},
      {"has_foreign_data_wrapper_privilege", {kName, kOid, kText}, kBool},
      {"has_foreign_data_wrapper_privilege", {kOid, kOid, kText}, kBool},
      {"has_server_privilege", {kText, kText}, kBool},
      {"has_server_privilege", {kName, kText, kText}, kBool},
      {"has_server_privilege", {kOid, kText, kText}, kBool},
      {"has_server_privilege", {kOid, kText}, kBool},
      {"has_server_privilege", {kName, kOid, kText}, kBool},
      {"has_server_privilege", {kOid, kOid, kText}, kBool},
      {"has_parameter_privilege", {kText, kText}, kBool},
      {"has_parameter_privilege", {kName, kText, kText}, kBool},
      {"has_parameter_privilege", {kOid, kText, kText}, kBool},
      {"pg_has_role", {kText, kText}, kBool},
      {"pg_has_role", {kOid, kText}, kBool},
      {"pg_has_role", {kText, kText, kText}, kBool},
      {"pg_has_role", {kOid, kOid, kText}, kBool},
      {"pg_table_is_visible", {kOid}, kBool},
      {"pg_function_is_visible", {kOid}, kBool},
      {"pg_get_functiondef", {kOid}, kText},
      {"pg_get_function_arguments", {kOid}, kText},
      {"pg_get_function_identity_arguments", {kOid}, kText},
      {"pg_get_function_result", {kOid}, kText},
      {"pg_get_function_sqlbody", {kOid}, kText},
      {"to_regproc", {kText}, kRegProcType},
      {"to_regprocedure", {kText}, kRegProcedureType},
      {"to_regclass", {kText}, kRegClassType},
      {"to_regtype", {kText}, kRegTypeType},
      {"to_regnamespace", {kText}, kRegNamespaceType},
      {"to_regrole", {kText}, kRegRoleType},
      {"pg_relation_is_publishable", {kRegClassType}, kBool},
      // aclitem[] is text[] here (planner/pg_catalog/row_builder.h AclValue).
      {"acldefault", {kChar, kOid}, kAclItemArrayType},
      {"pg_partition_ancestors", {kRegClassType}, kRegClassType},
      {"obj_description", {kOid}, kText},
      {"obj_description", {kOid, kName}, kText},
      {"col_description", {kOid, kInt32}, kText},
      {"shobj_description", {kOid, kName}, kText},
      {"pg_get_statisticsobjdef_columns", {kOid}, kText},
      {"pg_get_viewdef", {kText}, kText},
      {"pg_get_viewdef", {kText, kBool}, kText},
      {"pg_get_viewdef", {kOid}, kText},
      {"pg_get_viewdef", {kOid, kBool}, kText},
      {"pg_get_viewdef", {kOid, kInt32}, kText},
      {"pg_get_ruledef", {kOid}, kText},
      {"pg_get_ruledef", {kOid, kBool}, kText},
      {"pg_get_triggerdef", {kOid}, kText},
      {"pg_get_triggerdef", {kOid, kBool}, kText},
      {"pg_type_is_visible", {kOid}, kBool},
      {"pg_operator_is_visible", {kOid}, kBool},
      {"pg_opclass_is_visible", {kOid}, kBool},
      {"pg_opfamily_is_visible", {kOid}, kBool},
      {"pg_collation_is_visible", {kOid}, kBool},
      {"pg_conversion_is_visible", {kOid}, kBool},
      {"pg_statistics_obj_is_visible", {kOid}, kBool},
      {"pg_ts_parser_is_visible", {kOid}, kBool},
      {"pg_ts_dict_is_visible", {kOid}, kBool},
      {"pg_ts_template_is_visible", {kOid}, kBool},
      {"pg_ts_config_is_visible", {kOid}, kBool},
      {"format_type", {kOid, kInt32}, kText},
      {"pg_encoding_to_char", {kInt32}, kName},
      {"pg_char_to_encoding", {kName}, kInt32},
      // Object sizes and server information (executor/admin_functions.cpp).
      {"pg_relation_size", {kRegClassType}, kInt64},
      {"pg_relation_size", {kRegClassType, kText}, kInt64},
      {"pg_table_size", {kRegClassType}, kInt64},
      {"pg_indexes_size", {kRegClassType}, kInt64},
      {"pg_total_relation_size", {kRegClassType}, kInt64},
      {"pg_database_size", {kName}, kInt64},
      {"pg_database_size", {kOid}, kInt64},
      {"pg_size_pretty", {kInt64}, kText},
      {"pg_size_pretty", {kNumeric}, kText},
      {"pg_size_bytes", {kText}, kInt64},
      {"pg_tablespace_size", {kName}, kInt64},
      {"pg_tablespace_size", {kOid}, kInt64},
      {"pg_tablespace_location", {kOid}, kText},
      {"pg_postmaster_start_time", {}, kTimestampTz},
      {"pg_conf_load_time", {}, kTimestampTz},
      {"pg_get_constraintdef", {kOid}, kText},
      {"pg_get_constraintdef", {kOid, kBool}, kText},
      {"pg_get_indexdef", {kOid}, kText},
      {"pg_get_indexdef", {kOid, kInt32, kBool}, kText},
      {"pg_get_expr", {kText, kOid}, kText},
      {"pg_get_expr", {kText, kOid, kBool}, kText},
      {"current_schema", {}, kName},
      {"current_schemas", {kBool}, kNameArrayType},
      {"current_user", {}, kName},
      {"session_user", {}, kName},
      {"user", {}, kName},
      // Regular expressions (common/regex.h, executor/regex_functions.cpp); regexp_matches
      // and regexp_split_to_table return sets (IsSetReturningFunction).
      {"regexp_match", {kText, kText}, kTextArrayType},
      {"regexp_match", {kText, kText, kText}, kTextArrayType},
      {"regexp_matches", {kText, kText}, kTextArrayType},
      {"regexp_matches", {kText, kText, kText}, kTextArrayType},
      {"regexp_replace", {kText, kText, kText}, kText},
      {"regexp_replace", {kText, kText, kText, kText}, kText},
      {"regexp_replace", {kText, kText, kText, kInt32}, kText},
      {"regexp_replace", {kText, kText, kText, kInt32, kInt32}, kText},
      {"regexp_replace", {kText, kText, kText, kInt32, kInt32, kText}, kText},
      {"regexp_split_to_array", {kText, kText}, kTextArrayType},
      {"regexp_split_to_array", {kText, kText, kText}, kTextArrayType},
      {"regexp_split_to_table", {kText, kText}, kText},
      {"regexp_split_to_table", {kText, kText, kText}, kText},
      {"regexp_count", {kText, kText}, kInt32},
      {"regexp_count", {kText, kText, kInt32}, kInt32},
      {"regexp_count", {kText, kText, kInt32, kText}, kInt32},
      {"regexp_instr", {kText, kText}, kInt32},
      {"regexp_instr", {kText, kText, kInt32}, kInt32},
      {"regexp_instr", {kText, kText, kInt32, kInt32}, kInt32},
      {"regexp_instr", {kText, kText, kInt32, kInt32, kInt32}, kInt32},
      {"regexp_instr", {kText, kText, kInt32, kInt32, kInt32, kText}, kInt32},
      {"regexp_instr", {kText, kText, kInt32, kInt32, kInt32, kText, kInt32}, kInt32},
      {"regexp_like", {kText, kText}, kBool},
      {"regexp_like", {kText, kText, kText}, kBool},
      {"regexp_substr", {kText, kText}, kText},
      {"regexp_substr", {kText, kText, kInt32}, kText},
      {"regexp_substr", {kText, kText, kInt32, kInt32}, kText},
      {"regexp_substr", {kText, kText, kInt32, kInt32, kText}, kText},
      {"regexp_substr", {kText, kText, kInt32, kInt32, kText, kInt32}, kText},
      {"substring", {kText, kText}, kText, false, "textregexsubstr"},
      {"substring", {kText, kText, kText}, kText, false, "similar_substring"},
      {"similar_to_escape", {kText}, kText},
      {"similar_to_escape", {kText, kText}, kText},
      {"similar_escape", {kText, kText}, kText},
      {"textregexeq", {kText, kText}, kBool},
      {"texticregexeq", {kText, kText}, kBool},
      {"textregexne", {kText, kText}, kBool},
      {"texticregexne", {kText, kText}, kBool},
      // More string functions (executor/string_functions.cpp).
      {"split_part", {kText, kText, kInt32}, kText},
      {"chr", {kInt32}, kText},
      {"ascii", {kText}, kInt32},
      {"unistr", {kText}, kText},
      {"quote_ident", {kText}, kText},
      {"quote_literal", {kText}, kText},
      {"quote_nullable", {kText}, kText},
      {"format", {kText}, kText, true},
      {"translate", {kText, kText, kText}, kText},
      {"to_hex", {kInt32}, kText},
      {"to_hex", {kInt64}, kText},
      {"starts_with", {kText, kText}, kBool},
      {"overlay", {kText, kText, kInt32}, kText, false, "textoverlay"},
      {"overlay", {kText, kText, kInt32, kInt32}, kText, false, "textoverlay"},
      {"parse_ident", {kText}, kTextArrayType},
      {"parse_ident", {kText, kBool}, kTextArrayType},
      {"string_to_table", {kText, kText}, kText},
      {"string_to_table", {kText, kText, kText}, kText},
      // float4, float8 and numeric functions of float.c and numeric.c (branch numeric-float).
      {"abs", {kFloat32}, kFloat32},
      {"log10", {kFloat64}, kFloat64},
      {"log10", {kNumeric}, kNumeric},
      {"ln", {kNumeric}, kNumeric},
      {"log", {kNumeric}, kNumeric},
      {"log", {kNumeric, kNumeric}, kNumeric},
      {"exp", {kNumeric}, kNumeric},
      {"sin", {kFloat64}, kFloat64},
      {"cos", {kFloat64}, kFloat64},
      {"tan", {kFloat64}, kFloat64},
      {"cot", {kFloat64}, kFloat64},
      {"asin", {kFloat64}, kFloat64},
      {"acos", {kFloat64}, kFloat64},
      {"atan", {kFloat64}, kFloat64},
      {"atan2", {kFloat64, kFloat64}, kFloat64},
      {"sind", {kFloat64}, kFloat64},
      {"cosd", {kFloat64}, kFloat64},
      {"tand", {kFloat64}, kFloat64},
      {"cotd", {kFloat64}, kFloat64},
      {"asind", {kFloat64}, kFloat64},
      {"acosd", {kFloat64}, kFloat64},
      {"atand", {kFloat64}, kFloat64},
      {"atan2d", {kFloat64, kFloat64}, kFloat64},
      {"degrees", {kFloat64}, kFloat64},
      {"radians", {kFloat64}, kFloat64},
      {"sinh", {kFloat64}, kFloat64},
      {"cosh", {kFloat64}, kFloat64},
      {"tanh", {kFloat64}, kFloat64},
      {"asinh", {kFloat64}, kFloat64},
      {"acosh", {kFloat64}, kFloat64},
      {"atanh", {kFloat64}, kFloat64},
      {"cbrt", {kFloat64}, kFloat64},
      {"float4send", {kFloat32}, kBytea},
      {"float8send", {kFloat64}, kBytea},
      {"scale", {kNumeric}, kInt32},
      {"min_scale", {kNumeric}, kInt32},
      {"trim_scale", {kNumeric}, kNumeric},
      {"numeric_inc", {kNumeric}, kNumeric},
      {"to_char", {kFloat32, kText}, kText},
      {"factorial", {kInt64}, kNumeric},
      {"div", {kNumeric, kNumeric}, kNumeric},
      {"gcd", {kNumeric, kNumeric}, kNumeric},
      {"lcm", {kNumeric, kNumeric}, kNumeric},
      {"width_bucket", {kNumeric, kNumeric, kNumeric, kInt32}, kInt32},
      {"width_bucket", {kFloat64, kFloat64, kFloat64, kInt32}, kInt32},
      // point (common/point.h): the constructor and the operators' functions.
      {"point", {kFloat64, kFloat64}, kPointType},
      {"point_add", {kPointType, kPointType}, kPointType},
      {"point_sub", {kPointType, kPointType}, kPointType},
      {"point_mul", {kPointType, kPointType}, kPointType},
      {"point_div", {kPointType, kPointType}, kPointType},
      {"point_distance", {kPointType, kPointType}, kFloat64},
      {"point_eq", {kPointType, kPointType}, kBool},
      {"point_ne", {kPointType, kPointType}, kBool},
      {"point_left", {kPointType, kPointType}, kBool},
      {"point_right", {kPointType, kPointType}, kBool},
      {"point_above", {kPointType, kPointType}, kBool},
      {"point_below", {kPointType, kPointType}, kBool},
      {"point_vert", {kPointType, kPointType}, kBool},
      {"point_horiz", {kPointType, kPointType}, kBool},
      {"isvertical", {kPointType, kPointType}, kBool, false, "point_vert"},
      {"ishorizontal", {kPointType, kPointType}, kBool, false, "point_horiz"},
      {"slope", {kPointType, kPointType}, kFloat64},
      // pg_lsn (common/pg_lsn.h)
      {"pg_lsn", {kNumeric}, kPgLsnType},
  };
  return kTable;
}

}  // namespace

bool LookupFunction(const std::string& name, const std::vector<Type>& arg_types,
                    FunctionMatch* match, bool* name_known) {
  *name_known = false;
  struct Candidate {
    const Signature* sig;
    int exact = 0;
    int preferred = 0;
  };
  std::vector<Candidate> candidates;
  for (const Signature& sig : Table()) {
    if (name != sig.name) continue;
    *name_known = true;
    if (sig.variadic_any ? arg_types.size() < sig.params.size()
                         : arg_types.size() != sig.params.size()) {
      continue;
    }
    Candidate c{&sig};
    bool ok = true;
    for (size_t i = 0; i < sig.params.size() && ok; ++i) {
      TypeId from = arg_types[i].id, to = sig.params[i];
      if (!CanCoerce(from, to, CoercionContext::kImplicit)) ok = false;
      if (from == to) {
        ++c.exact;
      } else if (from != kAny && IsPreferredType(to) && CategoryOf(from) == CategoryOf(to)) {
        ++c.preferred;  // a preferred type of the argument's own category
      }
    }
    if (ok) candidates.push_back(c);
  }
  if (candidates.empty()) return false;
  // PostgreSQL's func_select_candidate: the most exact matches, then the most preferred types.
  auto keep_best = [](std::vector<Candidate>* cs, int Candidate::*score) {
    int best = -1;
    for (const auto& c : *cs) best = std::max(best, c.*score);
    std::erase_if(*cs, [&](const Candidate& c) { return c.*score != best; });
  };
  keep_best(&candidates, &Candidate::exact);
  keep_best(&candidates, &Candidate::preferred);
  // Then, at each unknown literal, a type category: the string category if a candidate takes
  // one there, else the one category all candidates take; within it a preferred type if a
  // candidate takes one. (Where the candidates disagree PostgreSQL finds the call ambiguous;
  // the first one is kept here.)
  for (size_t i = 0; i < arg_types.size() && candidates.size() > 1; ++i) {
    if (arg_types[i].id != kAny) continue;
    auto param = [&](const Candidate& c) {
      return i < c.sig->params.size() ? c.sig->params[i] : kAny;
    };
    std::optional<TypeCategory> category;
    bool same = true;
    for (const auto& c : candidates) {
      const TypeCategory k = CategoryOf(param(c));
      if (k == TypeCategory::kString) {
        category = k;
        same = true;
        break;
      }
      if (category && *category != k) same = false;
      if (!category) category = k;
    }
    if (!same) continue;
    std::erase_if(candidates, [&](const Candidate& c) { return CategoryOf(param(c)) != category; });
    if (std::any_of(candidates.begin(), candidates.end(),
                    [&](const Candidate& c) { return IsPreferredType(param(c)); })) {
      std::erase_if(candidates, [&](const Candidate& c) { return !IsPreferredType(param(c)); });
    }
  }
  const Signature* chosen = candidates.front().sig;
  match->params.clear();
  for (size_t i = 0; i < arg_types.size(); ++i) {
    if (i < chosen->params.size()) {
      match->params.push_back(Type::Of(chosen->params[i]));
    } else {
      // Variadic "any": keep the argument's own type (unknown literals become text).
      match->params.push_back(arg_types[i].id == kAny ? Type::Of(TypeId::kText) : arg_types[i]);
    }
  }
  match->result = Type::Of(chosen->result);
  match->impl = chosen->impl != nullptr ? chosen->impl : name;
  return true;
}

bool IsSetReturningFunction(const std::string& impl) {
  return impl == "regexp_matches" || impl == "regexp_split_to_table" || impl == "string_to_table" ||
         impl == "pg_listening_channels" || impl == "generate_series" ||
         impl == "pg_partition_ancestors" || impl == "_pg_expandarray" || impl == "show_chunks" ||
         impl == "drop_chunks" || impl == "pg_options_to_table" || impl == "pg_get_keywords" ||
         impl == "generate_subscripts" || IsJsonSetFunction(impl);
}

}  // namespace activestore::planner
