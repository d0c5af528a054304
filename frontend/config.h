// The server's settings and where they come from. Later sources override earlier ones:
// defaults, the TOML file named by --config, ACTIVESTORE_<NAME> environment variables
// (e.g. ACTIVESTORE_DATA_DIR), then command-line flags (--data-dir).
//
// Thread safety: pure functions over their inputs.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "executor/engine.h"
#include "frontend/security_config.h"

namespace activestore::frontend {

inline constexpr std::string_view kVersionString =
    "activestore 0.1.0 (PostgreSQL 15 wire protocol)";

struct Config {
  std::string data_dir = "./data";
  std::string listen = "127.0.0.1";
  uint16_t port = 5432;
  std::string log_format = "text";  // text | json
  std::string log_level = "info";   // trace debug info warn error critical off
  uint64_t cache_size_mb = 512;
  uint64_t cache_grow_max_mb = 0;   // 0: half of the physical memory (StorageOptions)
  uint64_t plan_cache_mb = 128;     // the plan cache's bound (executor::EngineOptions)
  std::string sync_mode = "fsync";  // fsync | periodic | off
  uint32_t sync_period_ms = 100;
  uint32_t shards = 8;
  // The per-shard log (storage::StorageOptions::shard_log). Off by default until replicas and
  // archiving consume it: it made a bulk load about 2.5x slower (see the design note
  // docs/design/2026-12-06-shard-log-and-replication.md).
  bool shard_log = false;
  uint32_t log_keep_seconds = 60;     // how long log entries no consumer needs are kept
  uint64_t disk_reserve_mb = 64;      // free space below which writes fail with 53100
  uint32_t log_file_max_mb = 100;     // size of WiredTiger's log files
  std::string engine = "wiredtiger";  // wiredtiger | memory
  uint16_t http_port = 0;             // HTTP side port for /metrics and /health; 0: none
  // PostgreSQL's max_prepared_transactions (default 0: PREPARE TRANSACTION is refused).
  int max_prepared_transactions = 0;
  // PostgreSQL's max_connections (sessions at once) and superuser_reserved_connections (of
  // those, the ones only superusers may take).
  int max_connections = 100;
  int superuser_reserved_connections = 3;
  // How clients prove who they are: trust (no password), password, md5 or scram-sha-256
  // (PostgreSQL's pg_hba.conf methods, for every connection).
  std::string auth_method = "trust";
  // A rules file in pg_hba.conf's format; when set it decides instead of auth_method. Relative
  // to the data directory, as every file name below.
  std::string hba_file;
  // TLS (PostgreSQL's names and defaults): SSLRequest is answered `S` when ssl is on.
  bool ssl = false;
  std::string ssl_cert_file = "server.crt";
  std::string ssl_key_file = "server.key";
  std::string ssl_ca_file;  // client certificates are checked against it; empty: none
  std::string ssl_min_protocol_version = "TLSv1.2";  // TLSv1 TLSv1.1 TLSv1.2 TLSv1.3
  // Encryption at rest (storage::EncryptionOptions), fixed when the data directory is created:
  // none | aes256, with the keys from a file (relative to the data directory, 0600) or from the
  // standard output of a shell command.
  std::string encryption = "none";
  std::string encryption_key_file;
  std::string encryption_key_command;
  // The audit log (common/audit_log.h): off, on (audit.log in the data directory) or a file
  // name (relative to the data directory); a new file is begun past audit_log_max_mb.
  std::string audit_log = "off";
  uint64_t audit_log_max_mb = 100;
  // A replica (frontend/replica.h): the primary's HOST:PORT; empty: not a replica. It connects
  // as replication_user (a superuser or REPLICATION role) with replication_password, and
  // streams from replication_slot when set (created on the primary if missing).
  std::string replica_of;
  std::string replication_user = "postgres";
  std::string replication_password;
  std::string replication_slot;
  // Synchronous commit (storage::ReplicationRegistry): a commit is acknowledged once this many
  // replicas flushed it (0: asynchronous), waiting at most synchronous_commit_timeout_ms (0:
  // forever) before a WARNING. `resync` (a replica): replace the data directory with a new
  // base copy (a node whose history diverged from its primary's).
  int synchronous_replicas = 0;
  uint64_t synchronous_commit_timeout_ms = 0;
  bool resync = false;

  executor::EngineOptions ToEngineOptions() const;
  SecuritySettings ToSecuritySettings() const;
};

// What the command line asks for.
struct ConfigOutcome {
  std::optional<Config> config;  // set: run the server
  int exit_code = 0;             // otherwise: exit with this code (0 for --help/--version)
  std::string message;           // printed to stdout (exit 0) or stderr (exit != 0)
};

// Looks up an environment variable; nullopt if unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
// The process environment.
EnvLookup ProcessEnv();

// Builds the configuration from `args` (args[0] is the program name), the file named by
// --config and `env`. Unknown or invalid settings give exit_code 2 and a message naming
// the setting and its source.
ConfigOutcome LoadConfig(const std::vector<std::string>& args, const EnvLookup& env);

}  // namespace activestore::frontend
