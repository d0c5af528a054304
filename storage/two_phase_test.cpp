// Two-phase commit in storage: the durable record, visibility and locks of a prepared
// transaction, COMMIT/ROLLBACK PREPARED, the SQLSTATEs, and recovery after kill -9.
#include "storage/two_phase.h"

#include <gtest/gtest.h>

#include "storage/storage_testing.h"

namespace activestore::storage {
namespace {

using testing::OpenOrDie;
using testing::RunThenKill9;
using testing::SmallWtOptions;
using testing::TempDir;
const auto& StateOf = testing::SqlStateOf;

// One node's transaction machinery over an engine.
struct Node {
  explicit Node(Engine* engine, int max_prepared = 4)
      : engine(engine), two_phase(engine, &locks, &validator, max_prepared) {}

  std::unique_ptr<UserTransaction> Begin(bool serializable = false) {
    return std::make_unique<UserTransaction>(
        engine->Begin(serializable ? Isolation::kSnapshot : Isolation::kReadCommitted), &locks,
        locks.NewOwner(1), &policy, &validator, serializable, /*track_writes=*/true);
  }
  // Writes of a user table row as TableStore does them: row lock first.
  static void Write(UserTransaction* t, const std::string& key, const std::string& value) {
    t->LockRow(16384, key, RowLockMode::kUpdate);
    t->Put("t16384_s0", key, value);
  }
  void Prepare(UserTransaction* t, const std::string& gid, uint32_t db = 5) {
    PreparedRecord meta;
    meta.owner = "alice";
    meta.database = db;
    meta.database_name = "db" + std::to_string(db);
    meta.prepared_at_us = 42;
    two_phase.Prepare(gid, t, std::move(meta));
  }
  // Whether another transaction can lock `key` at once.
  bool RowIsFree(const std::string& key) {
    WaitPolicy p;
    p.nowait = true;
    LockOwner o = locks.NewOwner(2);
    bool free = StateOf([&] { locks.LockRow(o, 16384, key, RowLockMode::kUpdate, p); }) == "ok";
    locks.ReleaseAll(o);
    return free;
  }
  std::optional<std::string> Read(const std::string& key) {
    auto r = engine->Begin();
    return r->Get("t16384_s0", key);
  }

  Engine* engine;
  LockManager locks;
  SerializableValidator validator;
  WaitPolicy policy;
  TwoPhaseManager two_phase;
};

TEST(PreparedRecordTest, RoundTripAndCorruption) {
  PreparedRecord r;
  r.gid = "g'1";
  r.xid = 1234;
  r.prepared_at_us = -5;
  r.owner = "bob";
  r.database = 16384;
  r.database_name = "postgres";
  r.serializable = true;
  r.writes = {{"t1_s0", std::string("k\0y", 3), std::string("v\0", 2)},
              {"t1_s1", "d", std::nullopt}};
  r.locks = {{LockTag{LockKind::kRow, 0, 16384, 99}, 4},
             {LockTag{LockKind::kRelation, 0, 7, 0}, 3}};
  std::string bytes = EncodePreparedRecord(r);
  PreparedRecord d = DecodePreparedRecord(bytes);
  EXPECT_EQ(d.gid, r.gid);
  EXPECT_EQ(d.xid, 1234u);
  EXPECT_EQ(d.prepared_at_us, -5);
  EXPECT_EQ(d.owner, "bob");
  EXPECT_EQ(d.database, 16384u);
  EXPECT_EQ(d.database_name, "postgres");
  EXPECT_TRUE(d.serializable);
  ASSERT_EQ(d.writes.size(), 2u);
  EXPECT_EQ(d.writes[0].key, std::string("k\0y", 3));
  EXPECT_EQ(d.writes[0].value, std::string("v\0", 2));
  EXPECT_EQ(d.writes[1].value, std::nullopt);
  ASSERT_EQ(d.locks.size(), 2u);
  EXPECT_EQ(d.locks[0].first, r.locks[0].first);
  EXPECT_EQ(d.locks[1].second, 3);
  EXPECT_EQ(StateOf([&] { DecodePreparedRecord(bytes.substr(0, bytes.size() - 1)); }), "XX001");
  EXPECT_EQ(StateOf([&] { DecodePreparedRecord(bytes + "x"); }), "XX001");
  EXPECT_EQ(StateOf([&] { DecodePreparedRecord("\x02"); }), "XX001");
}

class TwoPhaseTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    StorageOptions o = SmallWtOptions(dir_.path());
    o.engine = GetParam();
    engine_ = OpenOrDie(o);
    engine_->CreateTable("t16384_s0");
  }
  TempDir dir_;
  std::unique_ptr<Engine> engine_;
};

// Prepared writes are invisible and locked until COMMIT PREPARED, which any caller runs.
TEST_P(TwoPhaseTest, CommitPreparedAppliesWritesAndReleasesLocks) {
  Node n(engine_.get());
  {
    auto seed = n.Begin();
    Node::Write(seed.get(), "a", "1");
    Node::Write(seed.get(), "b", "2");
    seed->Commit();
  }
  auto t = n.Begin();
  Node::Write(t.get(), "a", "10");
  t->LockRow(16384, "b", RowLockMode::kUpdate);
  EXPECT_TRUE(t->Delete("t16384_s0", "b"));
  Node::Write(t.get(), "c", "30");
  n.Prepare(t.get(), "g1");
  t.reset();  // the session lets go of it; the locks stay with the prepared transaction

  EXPECT_EQ(n.Read("a"), "1");
  EXPECT_EQ(n.Read("b"), "2");
  EXPECT_EQ(n.Read("c"), std::nullopt);
  EXPECT_FALSE(n.RowIsFree("a"));
  EXPECT_FALSE(n.RowIsFree("c"));
  auto list = n.two_phase.List();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].gid, "g1");
  EXPECT_EQ(list[0].owner, "alice");
  EXPECT_EQ(list[0].database_name, "db5");

  EXPECT_EQ(StateOf([&] { n.two_phase.Finish("g1", true, 6); }), "0A000");
  n.two_phase.Finish("g1", true, 5);
  EXPECT_EQ(n.Read("a"), "10");
  EXPECT_EQ(n.Read("b"), std::nullopt);
  EXPECT_EQ(n.Read("c"), "30");
  EXPECT_TRUE(n.RowIsFree("a"));
  EXPECT_TRUE(n.two_phase.List().empty());
  EXPECT_EQ(StateOf([&] { n.two_phase.Finish("g1", true, 5); }), "42704");
}

TEST_P(TwoPhaseTest, RollbackPreparedDiscardsWrites) {
  Node n(engine_.get());
  auto t = n.Begin();
  Node::Write(t.get(), "a", "1");
  n.Prepare(t.get(), "");  // an empty gid is a gid
  t.reset();
  EXPECT_FALSE(n.RowIsFree("a"));
  n.two_phase.Finish("", false, 5);
  EXPECT_EQ(n.Read("a"), std::nullopt);
  EXPECT_TRUE(n.RowIsFree("a"));
}

// Savepoint rollbacks restore rows without recording them: the redo set holds final states.
TEST_P(TwoPhaseTest, SavepointRollbackIsReflected) {
  Node n(engine_.get());
  auto t = n.Begin();
  Node::Write(t.get(), "a", "1");
  size_t mark = t->Savepoint();
  Node::Write(t.get(), "a", "2");
  Node::Write(t.get(), "b", "2");
  t->RollbackTo(mark);
  n.Prepare(t.get(), "sp");
  t.reset();
  n.two_phase.Finish("sp", true, 5);
  EXPECT_EQ(n.Read("a"), "1");
  EXPECT_EQ(n.Read("b"), std::nullopt);
}

TEST_P(TwoPhaseTest, Errors) {
  Node n(engine_.get(), 1);
  auto t = n.Begin();
  Node::Write(t.get(), "a", "1");
  n.Prepare(t.get(), "one");
  t.reset();
  // A failed PREPARE rolls the transaction back and releases its locks.
  auto dup = n.Begin();
  Node::Write(dup.get(), "b", "1");
  EXPECT_EQ(StateOf([&] { n.Prepare(dup.get(), "one"); }), "42710");
  dup.reset();
  EXPECT_TRUE(n.RowIsFree("b"));
  auto full = n.Begin();
  EXPECT_EQ(StateOf([&] { n.Prepare(full.get(), "two"); }), "53200");
  full.reset();
  auto longer = n.Begin();
  EXPECT_EQ(StateOf([&] { n.Prepare(longer.get(), std::string(200, 'x')); }), "22023");
  EXPECT_EQ(StateOf([&] { n.two_phase.Finish("nope", false, 5); }), "42704");
  EXPECT_EQ(n.two_phase.CountInDatabase(5), 1);
  EXPECT_EQ(n.two_phase.CountInDatabase(6), 0);
  n.two_phase.Finish("one", false, 5);

  Node off(engine_.get(), 0);
  EXPECT_FALSE(off.two_phase.enabled());
  auto t2 = off.Begin();
  EXPECT_EQ(StateOf([&] { off.Prepare(t2.get(), "x"); }), "55000");
}

// A SERIALIZABLE transaction runs SSI's commit check at PREPARE; afterwards the prepared one
// counts as committing, so a transaction closing a cycle with it is the one cancelled.
TEST_P(TwoPhaseTest, SerializableValidationAtPrepareAndAfter) {
  Node n(engine_.get());
  {
    auto seed = n.Begin();
    Node::Write(seed.get(), "x", "0");
    Node::Write(seed.get(), "y", "0");
    seed->Commit();
  }
  // Write skew: both read x and y, each writes one.
  auto a = n.Begin(true);
  auto b = n.Begin(true);
  a->Get("t16384_s0", "x");
  a->Get("t16384_s0", "y");
  b->Get("t16384_s0", "x");
  b->Get("t16384_s0", "y");
  Node::Write(a.get(), "x", "1");
  n.Prepare(a.get(), "a");
  a.reset();
  EXPECT_EQ(StateOf([&] { Node::Write(b.get(), "y", "1"); }), "40001");
  b.reset();
  // Started after the PREPARE, it does not see the prepared write, and fails when it writes.
  auto c = n.Begin(true);
  EXPECT_EQ(c->Get("t16384_s0", "x"), "0");
  EXPECT_EQ(StateOf([&] { Node::Write(c.get(), "y", "2"); }), "40001");
  c.reset();
  n.two_phase.Finish("a", true, 5);
  EXPECT_EQ(n.Read("x"), "1");
  // A serializable transaction made a pivot by a commit fails at PREPARE itself: d and e
  // each read what the other writes, and e commits first.
  auto d = n.Begin(true);
  auto e = n.Begin(true);
  d->Get("t16384_s0", "y");
  e->Get("t16384_s0", "x");
  Node::Write(d.get(), "x", "7");
  Node::Write(e.get(), "y", "5");
  e->Commit();
  e.reset();
  EXPECT_EQ(StateOf([&] { n.Prepare(d.get(), "d"); }), "40001");
  d.reset();
  EXPECT_TRUE(n.two_phase.List().empty());
}

INSTANTIATE_TEST_SUITE_P(Engines, TwoPhaseTest, ::testing::Values("memory", "wiredtiger"));

// kill -9 right after PREPARE: the next open finds the prepared transaction with its locks,
// and COMMIT PREPARED applies its writes.
TEST(TwoPhaseRecoveryTest, PreparedTransactionSurvivesKill9) {
  TempDir dir;
  {
    auto e = OpenOrDie(SmallWtOptions(dir.path()));
    e->CreateTable("t16384_s0");
    auto w = e->Begin();
    w->Put("t16384_s0", "a", "1");
    w->Commit();
  }
  ASSERT_TRUE(RunThenKill9([&] {
    auto e = OpenOrDie(SmallWtOptions(dir.path()));
    Node n(e.get());
    auto t = n.Begin(/*serializable=*/true);
    Node::Write(t.get(), "a", "2");
    Node::Write(t.get(), "b", "3");
    n.Prepare(t.get(), "survivor");
  }));

  auto e = OpenOrDie(SmallWtOptions(dir.path()));
  Node n(e.get());
  auto list = n.two_phase.List();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].gid, "survivor");
  EXPECT_EQ(list[0].prepared_at_us, 42);
  EXPECT_EQ(n.Read("a"), "1");
  EXPECT_EQ(n.Read("b"), std::nullopt);
  EXPECT_FALSE(n.RowIsFree("a"));
  EXPECT_FALSE(n.RowIsFree("b"));
  EXPECT_TRUE(n.RowIsFree("zzz"));
  // It was SERIALIZABLE: its conflicts are not known any more, so it is assumed to have
  // conflicts in and out, and a serializable transaction reading past its writes fails.
  auto s = n.Begin(true);
  EXPECT_EQ(StateOf([&] { s->Get("t16384_s0", "a"); }), "40001");
  s.reset();
  // xids keep growing across the restart.
  auto t = n.Begin();
  n.Prepare(t.get(), "next");
  t.reset();
  for (const auto& x : n.two_phase.List()) {
    if (x.gid == "next") EXPECT_GT(x.xid, list[0].xid);
  }
  n.two_phase.Finish("next", false, 5);
  n.two_phase.Finish("survivor", true, 5);
  EXPECT_EQ(n.Read("a"), "2");
  EXPECT_EQ(n.Read("b"), "3");
  EXPECT_TRUE(n.RowIsFree("a"));
}

}  // namespace
}  // namespace activestore::storage
