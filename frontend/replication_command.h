// The commands of a replication connection (PostgreSQL 15's repl_gram.y, the physical subset):
//   IDENTIFY_SYSTEM
//   CREATE_REPLICATION_SLOT name [TEMPORARY] PHYSICAL [RESERVE_WAL | ( RESERVE_WAL [bool] )]
//   DROP_REPLICATION_SLOT name [WAIT]
//   START_REPLICATION [SLOT name] [PHYSICAL] X/Y [TIMELINE n]
//   READ_REPLICATION_SLOT name
//   BASE_BACKUP [...], TIMELINE_HISTORY n, and the LOGICAL forms (recognized, not supported)
//   SHOW name
// Anything that does not start with one of these keywords is SQL. Unquoted names are folded to
// lower case, as PostgreSQL's replication scanner does.
//
// Thread safety: stateless.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace activestore::frontend {

struct ReplicationCommand {
  enum class Kind {
    kSql,  // not a replication command
    kIdentifySystem,
    kCreateSlot,
    kDropSlot,
    kStartReplication,
    kReadSlot,
    kBaseBackup,
    kTimelineHistory,
    kShow,
  };
  Kind kind = Kind::kSql;
  std::string slot;          // create, drop, start (empty: no slot), read
  bool temporary = false;    // CREATE ... TEMPORARY
  bool logical = false;      // CREATE ... LOGICAL, START ... LOGICAL
  bool reserve_wal = false;  // CREATE ... RESERVE_WAL
  bool wait = false;         // DROP ... WAIT
  uint64_t start_lsn = 0;    // START_REPLICATION
  uint32_t timeline = 0;     // START_REPLICATION ... TIMELINE n (0: none), TIMELINE_HISTORY n
  std::string show;          // SHOW name
};

// Throws 42601 `syntax error` (PostgreSQL's replication parser gives no position) for a
// replication command that does not parse, and 42601 `unrecognized option: x` for an unknown
// CREATE_REPLICATION_SLOT option.
ReplicationCommand ParseReplicationCommand(std::string_view sql);

}  // namespace activestore::frontend
