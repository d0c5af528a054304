#include "frontend/replication_command.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace activestore::frontend {
namespace {

using Kind = ReplicationCommand::Kind;

std::string StateOf(std::string_view sql) {
  try {
    ParseReplicationCommand(sql);
  } catch (const Error& e) {
    return std::string(SqlStateCode(e.state()));
  }
  return "ok";
}

TEST(ReplicationCommandTest, ParsesThePhysicalCommands) {
  EXPECT_EQ(ParseReplicationCommand("IDENTIFY_SYSTEM").kind, Kind::kIdentifySystem);
  EXPECT_EQ(ParseReplicationCommand("  identify_system ;").kind, Kind::kIdentifySystem);

  ReplicationCommand c = ParseReplicationCommand("CREATE_REPLICATION_SLOT Replica_1 PHYSICAL");
  EXPECT_EQ(c.kind, Kind::kCreateSlot);
  EXPECT_EQ(c.slot, "replica_1");  // folded, as PostgreSQL's replication scanner does
  EXPECT_FALSE(c.reserve_wal);
  c = ParseReplicationCommand("CREATE_REPLICATION_SLOT \"s\" PHYSICAL RESERVE_WAL");
  EXPECT_TRUE(c.reserve_wal);
  c = ParseReplicationCommand("CREATE_REPLICATION_SLOT s PHYSICAL (RESERVE_WAL false)");
  EXPECT_FALSE(c.reserve_wal);
  c = ParseReplicationCommand("CREATE_REPLICATION_SLOT s PHYSICAL (RESERVE_WAL)");
  EXPECT_TRUE(c.reserve_wal);
  c = ParseReplicationCommand("CREATE_REPLICATION_SLOT s TEMPORARY PHYSICAL");
  EXPECT_TRUE(c.temporary);
  c = ParseReplicationCommand("CREATE_REPLICATION_SLOT s LOGICAL pgoutput");
  EXPECT_TRUE(c.logical);
  EXPECT_EQ(ParseReplicationCommand("CREATE_REPLICATION_SLOT \"Mixed\" PHYSICAL").slot, "Mixed");

  c = ParseReplicationCommand("DROP_REPLICATION_SLOT s WAIT");
  EXPECT_EQ(c.kind, Kind::kDropSlot);
  EXPECT_TRUE(c.wait);

  c = ParseReplicationCommand("START_REPLICATION SLOT s PHYSICAL 16/B374D848 TIMELINE 1");
  EXPECT_EQ(c.kind, Kind::kStartReplication);
  EXPECT_EQ(c.slot, "s");
  EXPECT_EQ(c.start_lsn, (uint64_t{0x16} << 32) | 0xB374D848);
  EXPECT_EQ(c.timeline, 1u);
  c = ParseReplicationCommand("START_REPLICATION 0/0");
  EXPECT_EQ(c.slot, "");
  EXPECT_EQ(c.start_lsn, 0u);
  EXPECT_TRUE(ParseReplicationCommand("START_REPLICATION SLOT s LOGICAL 0/0").logical);

  EXPECT_EQ(ParseReplicationCommand("READ_REPLICATION_SLOT s").kind, Kind::kReadSlot);
  EXPECT_EQ(ParseReplicationCommand("BASE_BACKUP (LABEL 'x', PROGRESS)").kind, Kind::kBaseBackup);
  EXPECT_EQ(ParseReplicationCommand("TIMELINE_HISTORY 2").timeline, 2u);
  c = ParseReplicationCommand("SHOW wal_segment_size");
  EXPECT_EQ(c.kind, Kind::kShow);
  EXPECT_EQ(c.show, "wal_segment_size");
}

TEST(ReplicationCommandTest, AnythingElseIsSqlAndBadCommandsAreSyntaxErrors) {
  EXPECT_EQ(ParseReplicationCommand("SELECT 1").kind, Kind::kSql);
  EXPECT_EQ(ParseReplicationCommand("select 'IDENTIFY_SYSTEM'").kind, Kind::kSql);
  EXPECT_EQ(ParseReplicationCommand("").kind, Kind::kSql);
  EXPECT_EQ(ParseReplicationCommand("identify_system_x").kind, Kind::kSql);

  EXPECT_EQ(StateOf("IDENTIFY_SYSTEM extra"), "42601");
  EXPECT_EQ(StateOf("CREATE_REPLICATION_SLOT"), "42601");
  EXPECT_EQ(StateOf("CREATE_REPLICATION_SLOT s"), "42601");
  EXPECT_EQ(StateOf("CREATE_REPLICATION_SLOT s PHYSICAL (FOO)"), "42601");
  EXPECT_EQ(StateOf("CREATE_REPLICATION_SLOT s PHYSICAL (RESERVE_WAL maybe)"), "22023");
  EXPECT_EQ(StateOf("START_REPLICATION SLOT s PHYSICAL"), "42601");
  EXPECT_EQ(StateOf("START_REPLICATION SLOT s PHYSICAL 0/0 TIMELINE"), "42601");
  EXPECT_EQ(StateOf("START_REPLICATION 123456789/0"), "22P02");  // pg_lsn_in's limit
  EXPECT_EQ(StateOf("DROP_REPLICATION_SLOT \"unterminated"), "42601");
}

}  // namespace
}  // namespace activestore::frontend
