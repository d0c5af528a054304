#include "storage/replication.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "storage/storage_testing.h"

namespace activestore::storage {
namespace {

using testing::OpenOrDie;
using testing::SmallWtOptions;
using testing::SqlStateOf;
using testing::TempDir;

TEST(ReplicationMessageTest, TransactionMessageRoundTrips) {
  LoggedTransaction t;
  t.commit.kind = LogCommitKind::kCommit;
  t.commit.lsn = 0x0102030405060708;
  t.commit.epoch = 2;
  t.commit.txn = 77;
  t.ops.push_back({LogOpKind::kPut, "t16384_s3", std::string("k\0ey", 4), "value"});
  t.ops.push_back({LogOpKind::kDelete, "i16390_s1", "x", ""});
  t.ops.push_back({LogOpKind::kPut, "sys_catalog", "c", std::string(300, 'v')});
  const std::string bytes = EncodeTransactionMessage(t);
  LoggedTransaction d = DecodeTransactionMessage(bytes);
  EXPECT_EQ(d.commit.kind, LogCommitKind::kCommit);
  EXPECT_EQ(d.commit.lsn, t.commit.lsn);
  EXPECT_EQ(d.commit.epoch, 2u);
  EXPECT_EQ(d.commit.txn, 77u);
  EXPECT_EQ(d.commit.op_count, 3u);
  ASSERT_EQ(d.ops.size(), 3u);
  EXPECT_EQ(d.ops[0].table, "t16384_s3");
  EXPECT_EQ(d.ops[0].key, std::string("k\0ey", 4));
  EXPECT_EQ(d.ops[0].value, "value");
  EXPECT_EQ(d.ops[1].kind, LogOpKind::kDelete);
  EXPECT_EQ(d.ops[1].key, "x");
  EXPECT_EQ(d.ops[2].value, std::string(300, 'v'));
  // The LSN is big-endian right after the kind, so a reader can find it without decoding.
  EXPECT_EQ(bytes.substr(0, 3), std::string("\x01\x01\x01", 3));

  LoggedTransaction ddl;
  ddl.commit.kind = LogCommitKind::kCreateTable;
  ddl.commit.lsn = 5;
  ddl.commit.table = "t16400_s0";
  d = DecodeTransactionMessage(EncodeTransactionMessage(ddl));
  EXPECT_EQ(d.commit.kind, LogCommitKind::kCreateTable);
  EXPECT_EQ(d.commit.table, "t16400_s0");
  EXPECT_TRUE(d.ops.empty());

  // Anything unreadable fails whole: other formats, truncation, trailing bytes.
  EXPECT_EQ(SqlStateOf([&] { DecodeTransactionMessage("\x02" + bytes.substr(1)); }), "XX001");
  EXPECT_EQ(SqlStateOf([&] { DecodeTransactionMessage(bytes.substr(0, bytes.size() - 1)); }),
            "XX001");
  EXPECT_EQ(SqlStateOf([&] { DecodeTransactionMessage(bytes + "x"); }), "XX001");
  EXPECT_EQ(SqlStateOf([&] { DecodeTransactionMessage(""); }), "XX001");
}

TEST(ReplicationMessageTest, ProtocolMessagesHavePostgresLayouts) {
  const std::string w = XLogDataMessage(0x10, 0x20, 0x30, "data");
  ASSERT_EQ(w.size(), 1u + 24 + 4);
  EXPECT_EQ(w[0], 'w');
  EXPECT_EQ(w.substr(1, 8), std::string("\0\0\0\0\0\0\0\x10", 8));
  EXPECT_EQ(w.substr(9, 8), std::string("\0\0\0\0\0\0\0\x20", 8));
  EXPECT_EQ(w.substr(17, 8), std::string("\0\0\0\0\0\0\0\x30", 8));
  EXPECT_EQ(w.substr(25), "data");
  const std::string k = KeepaliveMessage(0x0a0b, 7, true);
  ASSERT_EQ(k.size(), 18u);
  EXPECT_EQ(k[0], 'k');
  EXPECT_EQ(k.substr(7, 2), "\x0a\x0b");
  EXPECT_EQ(k[17], 1);

  std::string r = "r";
  for (uint64_t v : {uint64_t{1}, uint64_t{2}, uint64_t{3}, uint64_t{4}}) {
    for (int i = 7; i >= 0; --i) r.push_back(static_cast<char>(v >> (8 * i)));
  }
  r.push_back(1);
  std::optional<StandbyStatus> s = DecodeStandbyStatus(r);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->write, 1u);
  EXPECT_EQ(s->flush, 2u);
  EXPECT_EQ(s->apply, 3u);
  EXPECT_EQ(s->time_us, 4);
  EXPECT_TRUE(s->reply_requested);
  EXPECT_FALSE(DecodeStandbyStatus("h1234").has_value());
  EXPECT_EQ(SqlStateOf([&] { DecodeStandbyStatus(r.substr(0, 20)); }), "08P01");
}

TEST(LagTrackerTest, LagIsTheTimeFromSendingToAcknowledgement) {
  LagTracker lag;
  const auto t0 = LagTracker::Clock::now();
  lag.Sent(10, t0);
  lag.Sent(20, t0 + std::chrono::milliseconds(5));
  lag.Sent(30, t0 + std::chrono::milliseconds(9));
  // Writes acknowledged up to 25: the newest sample below is 20, sent at +5 ms.
  EXPECT_EQ(lag.Acknowledged(0, 25, t0 + std::chrono::milliseconds(12)), 7000);
  EXPECT_EQ(lag.Acknowledged(0, 25, t0 + std::chrono::milliseconds(13)), std::nullopt);
  // The other kinds read the same samples on their own.
  EXPECT_EQ(lag.Acknowledged(1, 10, t0 + std::chrono::milliseconds(20)), 20000);
  EXPECT_EQ(lag.Acknowledged(2, 30, t0 + std::chrono::milliseconds(30)), 21000);
  EXPECT_EQ(lag.Acknowledged(1, 30, t0 + std::chrono::milliseconds(30)), 21000);
  EXPECT_EQ(lag.Acknowledged(0, 30, t0 + std::chrono::milliseconds(30)), 21000);
  EXPECT_EQ(lag.Acknowledged(0, 40, t0 + std::chrono::milliseconds(31)), std::nullopt);
}

class ReplicationSlotsTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }
  void Open() {
    registry_.reset();
    engine_.reset();
    engine_ = OpenOrDie(SmallWtOptions(dir_.path()));
    registry_ = std::make_unique<ReplicationRegistry>(engine_.get(), true);
  }
  TempDir dir_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<ReplicationRegistry> registry_;
};

TEST_F(ReplicationSlotsTest, CreateDropAndPostgresErrors) {
  ReplicationSlotInfo s = registry_->Create("replica_1", /*reserve=*/false);
  EXPECT_EQ(s.restart_lsn, std::nullopt);
  EXPECT_EQ(SqlStateOf([&] { registry_->Create("replica_1", false); }), "42710");
  EXPECT_EQ(SqlStateOf([&] { registry_->Create("", false); }), "42602");
  EXPECT_EQ(SqlStateOf([&] { registry_->Create("Bad", false); }), "42602");
  EXPECT_EQ(SqlStateOf([&] { registry_->Create(std::string(64, 'a'), false); }), "42622");
  EXPECT_EQ(SqlStateOf([&] { registry_->Create(std::string(63, 'a'), false); }), "ok");
  EXPECT_EQ(SqlStateOf([&] { registry_->Drop("nope"); }), "42704");
  EXPECT_EQ(SqlStateOf([&] { registry_->Acquire("nope", 5); }), "42704");

  registry_->Acquire("replica_1", 100);
  EXPECT_EQ(SqlStateOf([&] { registry_->Acquire("replica_1", 101); }), "55006");
  try {
    registry_->Drop("replica_1");
    ADD_FAILURE() << "an active slot was dropped";
  } catch (const Error& e) {
    EXPECT_EQ(e.message(), "replication slot \"replica_1\" is active for PID 100");
  }
  registry_->Release("replica_1", 100);
  registry_->Drop("replica_1");
  ASSERT_EQ(registry_->Slots().size(), 1u);
  EXPECT_EQ(registry_->Slots()[0].name, std::string(63, 'a'));

  ReplicationRegistry off(engine_.get(), false);
  EXPECT_EQ(SqlStateOf([&] { off.Create("x", false); }), "55000");
  EXPECT_EQ(SqlStateOf([&] { off.Drop("x"); }), "55000");
}

TEST_F(ReplicationSlotsTest, SlotsAndTheSystemIdentifierSurviveARestart) {
  const uint64_t id = registry_->system_identifier();
  EXPECT_NE(id, 0u);
  registry_->Create("kept", /*reserve=*/true);
  registry_->Create("unreserved", /*reserve=*/false);
  registry_->Advance("kept", 12345);
  registry_->Advance("kept", 100);  // never backwards
  registry_->Acquire("kept", 7);
  Open();
  EXPECT_EQ(registry_->system_identifier(), id);
  std::vector<ReplicationSlotInfo> slots = registry_->Slots();
  ASSERT_EQ(slots.size(), 2u);
  EXPECT_EQ(slots[0].name, "kept");
  EXPECT_EQ(slots[0].restart_lsn, 12345u);
  EXPECT_EQ(slots[0].active_pid, 0);  // no sender survives a restart
  EXPECT_EQ(slots[1].restart_lsn, std::nullopt);
  EXPECT_EQ(RetainedLogFloor(engine_.get()), 12345u);
}

TEST_F(ReplicationSlotsTest, SlotUpdatesAreNotLogged) {
  const uint64_t before = engine_->DurableLsn();
  registry_->Create("s", true);
  registry_->Advance("s", before + 1000);
  for (const LoggedTransaction& t : ReadLog(engine_.get(), before, 100)) {
    for (const LogOp& op : t.ops) EXPECT_NE(op.table, ReplicationRegistry::kTable);
  }
}

TEST_F(ReplicationSlotsTest, TruncationKeepsWhatTheOldestSlotNeeds) {
  engine_->CreateTable("t1_s0");
  std::vector<uint64_t> lsns;
  for (int i = 0; i < 4; ++i) {
    std::unique_ptr<Transaction> t = engine_->Begin();
    t->Put("t1_s0", "k" + std::to_string(i), "v");
    t->Commit();
    lsns.push_back(engine_->DurableLsn());
  }
  registry_->Create("slow", false);
  registry_->Advance("slow", lsns[1]);
  // What the maintenance loop does: the time cutoff (here: everything) capped by the floor.
  uint64_t before = engine_->DurableLsn() + 1;
  if (std::optional<uint64_t> floor = RetainedLogFloor(engine_.get())) {
    before = std::min(before, *floor + 1);
  }
  TruncateLog(engine_.get(), before);
  std::vector<uint64_t> kept;
  for (const LoggedTransaction& t : ReadLog(engine_.get(), lsns[1], 100)) {
    if (t.commit.kind == LogCommitKind::kCommit) kept.push_back(t.commit.lsn);
  }
  EXPECT_EQ(kept, (std::vector<uint64_t>{lsns[2], lsns[3]}));
  // The log remembers how far it was truncated: a reader after lsns[0] would miss lsns[1].
  EXPECT_EQ(LogTruncatedThrough(engine_.get()), lsns[1]);
  for (const LoggedTransaction& t : ReadLog(engine_.get(), 0, 100)) {
    EXPECT_GT(t.commit.lsn, lsns[1]);
  }
}

// A primary and a replica engine side by side: what the primary logs, applied on the replica.
TEST_F(ReplicationSlotsTest, SyncWaitersWakeWhenTheFirstNStandbysReachTheirLsn) {
  std::vector<int> woken;
  auto waker = [&](int n) { return [&woken, n] { woken.push_back(n); }; };
  // Asynchronous: nothing waits.
  EXPECT_EQ(registry_->AddSyncWaiter(100, SyncLevel::kFlush, waker(0)), 0u);
  registry_->set_synchronous_replicas(1);
  // No standby yet: the commit waits.
  const uint64_t w1 = registry_->AddSyncWaiter(100, SyncLevel::kFlush, waker(1));
  EXPECT_NE(w1, 0u);
  registry_->AddSyncWaiter(100, SyncLevel::kApply, waker(2));
  registry_->AddSyncWaiter(300, SyncLevel::kWrite, waker(3));
  SenderInfo a;
  a.pid = 10;
  registry_->RegisterSender(a);
  SenderInfo b;
  b.pid = 5;  // connected later: "potential" although its pid is smaller
  registry_->RegisterSender(b);
  std::vector<SenderInfo> senders = registry_->Senders();
  ASSERT_EQ(senders.size(), 2u);
  EXPECT_EQ(senders[0].pid, 5);
  EXPECT_EQ(senders[0].sync_state, "potential");
  EXPECT_EQ(senders[1].sync_state, "sync");
  // The potential standby's acknowledgement does not count.
  registry_->UpdateSender(5, [](SenderInfo& s) { s.write_lsn = s.flush_lsn = s.replay_lsn = 500; });
  EXPECT_TRUE(woken.empty());
  registry_->UpdateSender(10, [](SenderInfo& s) {
    s.write_lsn = 150;
    s.flush_lsn = 120;
    s.replay_lsn = 90;
  });
  EXPECT_EQ(woken, std::vector<int>({1}));
  EXPECT_TRUE(registry_->SyncSatisfied(120, SyncLevel::kFlush));
  EXPECT_FALSE(registry_->SyncSatisfied(121, SyncLevel::kFlush));
  // The sync standby goes: the potential one becomes sync and satisfies the rest.
  registry_->UnregisterSender(10);
  EXPECT_EQ(woken, std::vector<int>({1, 2, 3}));
  EXPECT_EQ(registry_->Senders()[0].sync_state, "sync");
  // A waiter that gave up is forgotten.
  const uint64_t w4 = registry_->AddSyncWaiter(1000, SyncLevel::kFlush, waker(4));
  registry_->RemoveSyncWaiter(w4);
  registry_->UpdateSender(5, [](SenderInfo& s) { s.flush_lsn = 2000; });
  EXPECT_EQ(woken.size(), 3u);
  // Two synchronous replicas with one connected: wait; back to asynchronous: released.
  registry_->set_synchronous_replicas(2);
  registry_->AddSyncWaiter(10, SyncLevel::kFlush, waker(5));
  EXPECT_EQ(woken.size(), 3u);
  registry_->set_synchronous_replicas(0);
  EXPECT_EQ(woken.back(), 5);
  EXPECT_EQ(registry_->Senders()[0].sync_state, "async");
}

TEST_F(ReplicationSlotsTest, LogWaitersAreWokenOnceByTheNextCommit) {
  int woken = 0;
  registry_->AddLogWaiter([&] { ++woken; });
  const uint64_t gone = registry_->AddLogWaiter([&] { woken += 100; });
  registry_->RemoveLogWaiter(gone);
  registry_->NotifyCommit();
  registry_->NotifyCommit();
  EXPECT_EQ(woken, 1);
}

TEST(EpochTest, HistoryTextRoundTripsAndDivergenceIsRefused) {
  std::vector<EpochInfo> h = {{1, 0, 0}, {2, 0x1000000002, 0xabc}, {3, 0x1000000090, 0xdef}};
  const std::string text = EpochHistoryText(h);
  EXPECT_EQ(text, "2\t10/2\t0000000000000abc\n3\t10/90\t0000000000000def\n");
  std::vector<EpochInfo> back = ParseEpochHistoryText(text);
  ASSERT_EQ(back.size(), 3u);
  EXPECT_EQ(back[2].fork_lsn, 0x1000000090u);
  EXPECT_EQ(back[2].id, 0xdefu);
  EXPECT_EQ(SqlStateOf([] { ParseEpochHistoryText("x\ty\n"); }), "08P01");
  EXPECT_EQ(SqlStateOf([] { ParseEpochHistoryText("2\t0/1\t1\n2\t0/2\t2\n"); }), "08P01");

  const std::vector<EpochInfo> one = {{1, 0, 0}};
  // Epoch 1, applied up to the fork: may follow; beyond it: diverged.
  EXPECT_EQ(EpochDivergence(one, h, 0x1000000002), std::nullopt);
  EXPECT_NE(EpochDivergence(one, h, 0x1000000003), std::nullopt);
  // Same epoch number, another promotion: refused whatever the position.
  const std::vector<EpochInfo> other = {{1, 0, 0}, {2, 0x1000000002, 0x999}};
  std::optional<std::string> why = EpochDivergence(other, h, 0x1000000002);
  ASSERT_NE(why, std::nullopt);
  EXPECT_THAT(*why, ::testing::HasSubstr("the histories differ"));
  // Ahead of the primary's history: refused.
  EXPECT_NE(EpochDivergence(h, one, 5), std::nullopt);
  // The same history: follows from anywhere in its last epoch.
  EXPECT_EQ(EpochDivergence(h, h, 0x7000000000), std::nullopt);
}

TEST_F(ReplicationSlotsTest, PromotionBeginsAnEpochInTheLog) {
  EXPECT_EQ(ReadEpochHistory(engine_.get()).size(), 1u);
  WriteAppliedLsn(engine_.get(), nullptr, 77);
  const uint64_t before = engine_->DurableLsn();
  EpochInfo e = BeginEpoch(engine_.get(), 77);
  EXPECT_EQ(e.epoch, 2u);
  EXPECT_NE(e.id, 0u);
  EXPECT_EQ(ReadAppliedLsn(engine_.get()), std::nullopt);  // its own log's head from now
  std::vector<EpochInfo> h = ReadEpochHistory(engine_.get());
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[1].fork_lsn, 77u);
  EXPECT_EQ(h[1].id, e.id);
  bool logged = false;
  for (const LoggedTransaction& t : ReadLog(engine_.get(), before, 100)) {
    for (const LogOp& op : t.ops) logged = logged || op.table == kEpochTable;
  }
  EXPECT_TRUE(logged);  // replicas learn the history through the log
  EXPECT_EQ(BeginEpoch(engine_.get(), 99).epoch, 3u);
}

class ApplyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    primary_ = OpenOrDie(SmallWtOptions(primary_dir_.path()));
    replica_ = OpenOrDie(SmallWtOptions(replica_dir_.path()));
    apply_ = dynamic_cast<ReplicaStorage*>(replica_.get());
    ASSERT_NE(apply_, nullptr);
    ReplicationRegistry registry(replica_.get(), true);  // creates the applied-LSN table
    apply_->SetRecovery(true);
  }
  // Applies everything the primary logged after `after`; returns the last LSN.
  uint64_t ApplyAll(uint64_t after, bool* system = nullptr) {
    for (const LoggedTransaction& t : ReadLog(primary_.get(), after, 1000)) {
      // Through the stream's bytes, as a replica receives it.
      const bool s = apply_->ApplyReplicated(DecodeTransactionMessage(EncodeTransactionMessage(t)));
      if (system != nullptr) *system = *system || s;
      after = t.commit.lsn;
    }
    return after;
  }
  std::vector<std::pair<std::string, std::string>> Rows(Engine* e, const std::string& table) {
    std::vector<std::pair<std::string, std::string>> out;
    std::unique_ptr<Transaction> t = e->Begin();
    std::unique_ptr<Cursor> c = t->Scan(table);
    while (c->Next()) out.emplace_back(c->key(), c->value());
    return out;
  }
  TempDir primary_dir_, replica_dir_;
  std::unique_ptr<Engine> primary_, replica_;
  ReplicaStorage* apply_ = nullptr;
};

TEST_F(ApplyTest, TransactionsArriveWholeWithTheirLsnsAndNothingElseWrites) {
  primary_->CreateTable("t7_s0");
  primary_->CreateTable("t7_s1");
  primary_->CreateTable("sys_catalog");
  {
    std::unique_ptr<Transaction> t = primary_->Begin();
    for (int i = 0; i < 10; ++i) t->Put(i % 2 ? "t7_s1" : "t7_s0", "k" + std::to_string(i), "v");
    t->Put("sys_catalog", "rel/7", "{}");
    t->Commit();
  }
  {
    std::unique_ptr<Transaction> t = primary_->Begin(Isolation::kReadCommitted);
    t->Put("t7_s0", "k0", "changed");
    t->Delete("t7_s1", "k1");
    t->Commit();
  }
  bool system = false;
  const uint64_t last = ApplyAll(0, &system);
  EXPECT_TRUE(system);  // sys_catalog was written: the catalog must be read again
  for (const char* table : {"t7_s0", "t7_s1", "sys_catalog"}) {
    EXPECT_EQ(Rows(replica_.get(), table), Rows(primary_.get(), table)) << table;
  }
  EXPECT_EQ(ReadAppliedLsn(replica_.get()), last);
  // The replica's log holds the same commits (LSNs and operations): it can be followed in turn.
  std::vector<LoggedTransaction> p = ReadLog(primary_.get(), 0, 100);
  std::vector<LoggedTransaction> r = ReadLog(replica_.get(), 0, 100);
  ASSERT_EQ(r.size(), p.size());
  for (size_t i = 0; i < p.size(); ++i) {
    EXPECT_EQ(r[i].commit.lsn, p[i].commit.lsn);
    EXPECT_EQ(r[i].commit.txn, p[i].commit.txn);
    EXPECT_EQ(r[i].logs, p[i].logs);
    EXPECT_EQ(r[i].ops.size(), p[i].ops.size());
  }
  // Applied again (a base copy overlapping the stream): skipped, nothing doubled or undone.
  {
    std::unique_ptr<Transaction> t = primary_->Begin();
    t->Put("t7_s0", "late", "1");
    t->Commit();
  }
  std::vector<LoggedTransaction> again = ReadLog(primary_.get(), 0, 100);
  for (const LoggedTransaction& t : again) apply_->ApplyReplicated(t);
  EXPECT_EQ(Rows(replica_.get(), "t7_s0"), Rows(primary_.get(), "t7_s0"));
  EXPECT_EQ(ReadLog(replica_.get(), 0, 100).size(), again.size());
  // In recovery nothing but the apply writes.
  std::unique_ptr<Transaction> w = replica_->Begin();
  EXPECT_EQ(SqlStateOf([&] { w->Put("t7_s0", "x", "y"); }), "25006");
}

TEST_F(ApplyTest, StorageTablesComeAndGoWithTheirRecords) {
  primary_->CreateTable("t9_s0");
  {
    std::unique_ptr<Transaction> t = primary_->Begin();
    t->Put("t9_s0", "a", "1");
    t->Commit();
  }
  uint64_t lsn = ApplyAll(0);
  std::vector<std::string> tables = replica_->ListTables();
  EXPECT_NE(std::find(tables.begin(), tables.end(), "t9_s0"), tables.end());
  primary_->DropTable("t9_s0");
  ApplyAll(lsn);
  tables = replica_->ListTables();
  EXPECT_EQ(std::find(tables.begin(), tables.end(), "t9_s0"), tables.end());
  // A table written but missing on the replica (a base copy taken between its creation and its
  // catalog commit) is created by the apply.
  primary_->CreateTable("t10_s0");
  {
    std::unique_ptr<Transaction> t = primary_->Begin();
    t->Put("t10_s0", "b", "2");
    t->Commit();
  }
  std::vector<LoggedTransaction> log = ReadLog(primary_.get(), 0, 100);
  apply_->ApplyReplicated(log.back());  // the data, without the create record before it
  EXPECT_EQ(Rows(replica_.get(), "t10_s0"), Rows(primary_.get(), "t10_s0"));
}

}  // namespace
}  // namespace activestore::storage
