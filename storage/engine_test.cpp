// The storage::Engine contract, run against both back ends, plus WiredTiger-only behaviour:
// durability across reopen and kill -9, the data directory lock and version file, stats.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

#include "storage/group_commit.h"
#include "storage/storage.h"
#include "storage/storage_testing.h"
#include "storage/wiredtiger/wt_engine.h"

namespace activestore::storage {
namespace {

using ::testing::HasSubstr;
using testing::MemoryBackend;
using testing::OpenOrDie;
using testing::SmallWtOptions;
using testing::TempDir;
using testing::WiredTigerBackend;

template <typename F>
SqlState StateOf(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.state();
  }
  return SqlState::kSuccessfulCompletion;
}

template <typename F>
Error ErrorOf(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  return Error(SqlState::kSuccessfulCompletion, "no error");
}

std::vector<std::string> Keys(Transaction* txn, std::string_view table, std::string_view lo = {},
                              std::string_view hi = {}) {
  std::vector<std::string> out;
  auto c = txn->Scan(table, lo, hi);
  while (c->Next()) out.emplace_back(c->key());
  return out;
}

std::vector<std::string> KeysBackward(Transaction* txn, std::string_view table,
                                      std::string_view lo = {}, std::string_view hi = {}) {
  std::vector<std::string> out;
  auto c = txn->ScanBackward(table, lo, hi);
  while (c->Next()) out.emplace_back(c->key());
  return out;
}

template <typename Backend>
class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = OpenOrDie(Backend::Options(dir_.path()));
    engine_->CreateTable("t");
  }
  TempDir dir_;
  std::unique_ptr<Engine> engine_;
};

using Backends = ::testing::Types<WiredTigerBackend, MemoryBackend>;
TYPED_TEST_SUITE(EngineTest, Backends);

TYPED_TEST(EngineTest, CrudRoundTrip) {
  auto txn = this->engine_->Begin();
  EXPECT_EQ(txn->Get("t", "k1"), std::nullopt);
  txn->Insert("t", "k1", "v1");
  txn->Put("t", "k2", std::string("v\0two", 5));
  EXPECT_EQ(txn->Get("t", "k1"), "v1");
  txn->Put("t", "k1", "v1b");
  EXPECT_EQ(txn->Get("t", "k1"), "v1b");
  EXPECT_TRUE(txn->Delete("t", "k1"));
  EXPECT_FALSE(txn->Delete("t", "k1"));
  EXPECT_EQ(txn->Get("t", "k1"), std::nullopt);
  txn->Commit();

  auto r = this->engine_->Begin();
  EXPECT_EQ(r->Get("t", "k1"), std::nullopt);
  EXPECT_EQ(r->Get("t", "k2"), std::string("v\0two", 5));
  EXPECT_FALSE(r->Delete("t", "nope"));
  r->Commit();
  EXPECT_THAT(this->engine_->ListTables(), ::testing::Contains("t"));
}

TYPED_TEST(EngineTest, InsertDuplicateIs23505AndTransactionGoesOn) {
  auto txn = this->engine_->Begin();
  txn->Insert("t", "k", "1");
  EXPECT_EQ(StateOf([&] { txn->Insert("t", "k", "2"); }), SqlState::kUniqueViolation);
  EXPECT_EQ(txn->Get("t", "k"), "1");
  txn->Insert("t", "k2", "x");
  txn->Commit();
  auto txn2 = this->engine_->Begin();
  EXPECT_EQ(StateOf([&] { txn2->Insert("t", "k", "3"); }), SqlState::kUniqueViolation);
  // A deleted key can be inserted again.
  EXPECT_TRUE(txn2->Delete("t", "k"));
  txn2->Insert("t", "k", "4");
  txn2->Commit();
  auto r = this->engine_->Begin();
  EXPECT_EQ(r->Get("t", "k"), "4");
}

TYPED_TEST(EngineTest, ScanBounds) {
  {
    auto txn = this->engine_->Begin();
    for (const char* k : {"a", "b", "bb", "c", "d"}) txn->Put("t", k, k);
    txn->Commit();
  }
  auto txn = this->engine_->Begin();
  using V = std::vector<std::string>;
  EXPECT_EQ(Keys(txn.get(), "t"), (V{"a", "b", "bb", "c", "d"}));
  EXPECT_EQ(Keys(txn.get(), "t", "b", "c"), (V{"b", "bb"}));
  EXPECT_EQ(Keys(txn.get(), "t", "ba"), (V{"bb", "c", "d"}));
  EXPECT_EQ(Keys(txn.get(), "t", "", "b"), (V{"a"}));
  EXPECT_EQ(Keys(txn.get(), "t", "e"), V{});
  EXPECT_EQ(Keys(txn.get(), "t", "c", "c"), V{});
  // Own uncommitted writes are visible to scans.
  txn->Put("t", "ab", "x");
  EXPECT_TRUE(txn->Delete("t", "c"));
  EXPECT_EQ(Keys(txn.get(), "t"), (V{"a", "ab", "b", "bb", "d"}));
  auto c = txn->Scan("t", "d");
  ASSERT_TRUE(c->Next());
  EXPECT_EQ(c->key(), "d");
  EXPECT_EQ(c->value(), "d");
  EXPECT_FALSE(c->Next());
  EXPECT_FALSE(c->Next());
}

TYPED_TEST(EngineTest, SnapshotDoesNotSeeLaterCommits) {
  {
    auto w = this->engine_->Begin();
    w->Put("t", "a", "old");
    w->Commit();
  }
  auto snap = this->engine_->Begin(Isolation::kSnapshot);
  EXPECT_EQ(snap->Get("t", "a"), "old");
  {
    auto w = this->engine_->Begin();
    w->Put("t", "a", "new");
    w->Put("t", "b", "new");
    w->Commit();
  }
  EXPECT_EQ(snap->Get("t", "a"), "old");
  EXPECT_EQ(snap->Get("t", "b"), std::nullopt);
  EXPECT_EQ(Keys(snap.get(), "t"), std::vector<std::string>{"a"});
  snap->Commit();

  auto rc = this->engine_->Begin(Isolation::kReadCommitted);
  EXPECT_EQ(rc->Get("t", "a"), "new");
  {
    auto w = this->engine_->Begin();
    w->Put("t", "c", "x");
    w->Commit();
  }
  EXPECT_EQ(rc->Get("t", "c"), "x");  // read committed sees the latest commit
  rc->Commit();
}

TYPED_TEST(EngineTest, WriteWriteConflictIs40001) {
  {
    auto w = this->engine_->Begin();
    w->Put("t", "k", "0");
    w->Commit();
  }
  // Concurrent writers: the second one fails at once.
  auto t1 = this->engine_->Begin();
  auto t2 = this->engine_->Begin();
  t1->Put("t", "k", "1");
  Error e = ErrorOf([&] { t2->Put("t", "k", "2"); });
  EXPECT_EQ(e.state(), SqlState::kSerializationFailure);
  EXPECT_EQ(e.message(), "could not serialize access due to concurrent update");
  EXPECT_TRUE(e.retryable);
  // The failed transaction refuses further work until it is rolled back.
  EXPECT_EQ(StateOf([&] { t2->Get("t", "k"); }), SqlState::kInFailedSqlTransaction);
  t2->Rollback();
  t1->Commit();

  // A writer whose snapshot predates a commit on the same key fails too.
  auto t3 = this->engine_->Begin();
  EXPECT_EQ(t3->Get("t", "k"), "1");
  {
    auto w = this->engine_->Begin();
    w->Put("t", "k", "3");
    w->Commit();
  }
  EXPECT_EQ(StateOf([&] { t3->Delete("t", "k"); }), SqlState::kSerializationFailure);
  t3.reset();  // destroyed without Rollback()

  // Sessions are reusable after conflicts.
  for (int i = 0; i < 20; ++i) {
    auto w = this->engine_->Begin();
    w->Put("t", "k", std::to_string(i));
    w->Commit();
  }
  auto r = this->engine_->Begin();
  EXPECT_EQ(r->Get("t", "k"), "19");
}

TYPED_TEST(EngineTest, RollbackDiscardsWrites) {
  {
    auto w = this->engine_->Begin();
    w->Put("t", "a", "1");
    w->Commit();
  }
  {
    auto w = this->engine_->Begin();
    w->Put("t", "a", "2");
    w->Put("t", "b", "2");
    w->Rollback();
  }
  {
    auto w = this->engine_->Begin();
    EXPECT_TRUE(w->Delete("t", "a"));
    // destroyed without Commit: rolled back
  }
  auto r = this->engine_->Begin();
  EXPECT_EQ(r->Get("t", "a"), "1");
  EXPECT_EQ(r->Get("t", "b"), std::nullopt);
  // A rolled-back writer does not block the next one.
  r->Put("t", "a", "3");
  r->Commit();
}

// ScanBackward: the same rows as Scan, in descending key order; bounds that fall between
// keys, on keys, past either end; own uncommitted writes; a snapshot's view.
TYPED_TEST(EngineTest, ScanBackwardBounds) {
  {
    auto txn = this->engine_->Begin();
    for (const char* k : {"a", "b", "bb", "c", "d"}) txn->Put("t", k, k);
    txn->Commit();
  }
  auto txn = this->engine_->Begin();
  using V = std::vector<std::string>;
  EXPECT_EQ(KeysBackward(txn.get(), "t"), (V{"d", "c", "bb", "b", "a"}));
  EXPECT_EQ(KeysBackward(txn.get(), "t", "b", "c"), (V{"bb", "b"}));
  EXPECT_EQ(KeysBackward(txn.get(), "t", "ba"), (V{"d", "c", "bb"}));
  EXPECT_EQ(KeysBackward(txn.get(), "t", "", "b"), (V{"a"}));
  EXPECT_EQ(KeysBackward(txn.get(), "t", "", "bc"), (V{"bb", "b", "a"}));
  EXPECT_EQ(KeysBackward(txn.get(), "t", "", "z"), (V{"d", "c", "bb", "b", "a"}));
  EXPECT_EQ(KeysBackward(txn.get(), "t", "", "a"), V{});
  EXPECT_EQ(KeysBackward(txn.get(), "t", "e"), V{});
  EXPECT_EQ(KeysBackward(txn.get(), "t", "c", "c"), V{});
  auto c = txn->ScanBackward("t", "d");
  ASSERT_TRUE(c->Next());
  EXPECT_EQ(c->key(), "d");
  EXPECT_EQ(c->value(), "d");
  EXPECT_FALSE(c->Next());
  EXPECT_FALSE(c->Next());
  // Own uncommitted writes are visible, deletions hide keys.
  txn->Put("t", "ab", "x");
  EXPECT_TRUE(txn->Delete("t", "c"));
  EXPECT_EQ(KeysBackward(txn.get(), "t"), (V{"d", "bb", "b", "ab", "a"}));
  EXPECT_EQ(KeysBackward(txn.get(), "t", "", "c"), (V{"bb", "b", "ab", "a"}));
  // Another transaction's snapshot does not see them.
  auto other = this->engine_->Begin();
  EXPECT_EQ(KeysBackward(other.get(), "t"), (V{"d", "c", "bb", "b", "a"}));
  txn->Commit();
}

TYPED_TEST(EngineTest, ScanOutlivingItsTransactionThrows) {
  auto txn = this->engine_->Begin();
  txn->Put("t", "a", "1");
  auto c = txn->Scan("t");
  ASSERT_TRUE(c->Next());
  txn->Commit();
  EXPECT_EQ(StateOf([&] { c->Next(); }), SqlState::kInternalError);
  c.reset();
  txn.reset();
}

TYPED_TEST(EngineTest, DropAndRecreateTable) {
  {
    auto w = this->engine_->Begin();
    w->Put("t", "a", "1");
    auto c = w->Scan("t");  // leaves a cached cursor behind
    ASSERT_TRUE(c->Next());
    c.reset();
    w->Commit();
  }
  this->engine_->DropTable("t");
  this->engine_->DropTable("t");  // missing: no-op
  EXPECT_THAT(this->engine_->ListTables(), ::testing::Not(::testing::Contains("t")));
  {
    auto w = this->engine_->Begin();
    EXPECT_EQ(StateOf([&] { w->Get("t", "a"); }), SqlState::kInternalError);
  }
  this->engine_->CreateTable("t");
  this->engine_->CreateTable("t");  // existing: no-op
  auto r = this->engine_->Begin();
  EXPECT_EQ(r->Get("t", "a"), std::nullopt);
}

TYPED_TEST(EngineTest, ConcurrentIncrementsWithRetry) {
  {
    auto w = this->engine_->Begin();
    w->Put("t", "counter", "0");
    w->Commit();
  }
  constexpr int kThreads = 3, kPerThread = 40;
  std::atomic<int> conflicts{0};
  auto work = [&] {
    for (int i = 0; i < kPerThread; ++i) {
      for (;;) {
        try {
          auto txn = this->engine_->Begin();
          int v = std::stoi(*txn->Get("t", "counter"));
          txn->Put("t", "counter", std::to_string(v + 1));
          txn->Commit();
          break;
        } catch (const Error& e) {
          ASSERT_EQ(e.state(), SqlState::kSerializationFailure) << e.message();
          conflicts++;
        }
      }
    }
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) threads.emplace_back(work);
  for (auto& t : threads) t.join();
  auto r = this->engine_->Begin();
  EXPECT_EQ(r->Get("t", "counter"), std::to_string(kThreads * kPerThread));
}

TYPED_TEST(EngineTest, CheckpointAndStats) {
  {
    auto w = this->engine_->Begin();
    for (int i = 0; i < 100; ++i) w->Put("t", "k" + std::to_string(i), std::string(100, 'x'));
    w->Commit();
  }
  this->engine_->Checkpoint();
  StorageStats s = this->engine_->Stats();
  EXPECT_GT(s.cache_bytes, 0u);
  EXPECT_GE(s.cache_max_bytes, s.cache_bytes);
}

// --- WiredTiger only ---

TEST(WtEngineTest, CommittedDataSurvivesReopen) {
  TempDir dir;
  {
    auto e = OpenOrDie(SmallWtOptions(dir.path()));
    e->CreateTable("t");
    auto w = e->Begin();
    w->Put("t", "durable", "yes");
    w->Commit();
    auto u = e->Begin();
    u->Put("t", "uncommitted", "no");
    u->Rollback();
  }
  auto e = OpenOrDie(SmallWtOptions(dir.path()));
  auto r = e->Begin();
  EXPECT_EQ(r->Get("t", "durable"), "yes");
  EXPECT_EQ(r->Get("t", "uncommitted"), std::nullopt);
}

TEST(WtEngineTest, AcknowledgedCommitsSurviveKill9) {
  TempDir dir;
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(fds[0]);
    auto e = OpenOrDie(SmallWtOptions(dir.path()));
    e->CreateTable("t");
    for (int i = 0;; ++i) {
      auto w = e->Begin();
      w->Put("t", "k" + std::to_string(i), "v");
      w->Commit();
      int32_t acked = i;
      if (::write(fds[1], &acked, sizeof(acked)) != sizeof(acked)) ::_exit(1);
    }
  }
  ::close(fds[1]);
  int32_t last = -1, v;
  while (last < 50 && ::read(fds[0], &v, sizeof(v)) == sizeof(v)) last = v;
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ::close(fds[0]);
  ASSERT_GE(last, 50);
  auto e = OpenOrDie(SmallWtOptions(dir.path()));
  auto r = e->Begin();
  for (int i = 0; i <= last; ++i) EXPECT_EQ(r->Get("t", "k" + std::to_string(i)), "v") << i;
}

TEST(WtEngineTest, SecondOpenOfALockedDirectoryFails) {
  TempDir dir;
  auto first = OpenOrDie(SmallWtOptions(dir.path()));
  auto second = Engine::Open(SmallWtOptions(dir.path()));
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().state(), SqlState::kObjectInUse);
  EXPECT_EQ(second.error().message(), "data directory \"" + dir.path() +
                                          "\" is in use by another activestore process (pid " +
                                          std::to_string(::getpid()) + ")");
  first.reset();
  EXPECT_TRUE(Engine::Open(SmallWtOptions(dir.path())).ok());
}

TEST(WtEngineTest, VersionFileMismatchIsRefused) {
  TempDir dir;
  OpenOrDie(SmallWtOptions(dir.path())).reset();
  {
    std::ifstream in(dir.path() + "/ACTIVESTORE_VERSION");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(text, "format 1\n");
  }
  std::ofstream(dir.path() + "/ACTIVESTORE_VERSION") << "format 7\n";
  auto r = Engine::Open(SmallWtOptions(dir.path()));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(),
            "data directory \"" + dir.path() +
                "\" was written by an incompatible version (format 7, this server reads format 1)");
}

TEST(WtEngineTest, ForeignNonEmptyDirectoryIsRefused) {
  TempDir dir;
  std::filesystem::create_directories(dir.path());
  std::ofstream(dir.path() + "/something") << "x";
  auto r = Engine::Open(SmallWtOptions(dir.path()));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message(), HasSubstr("is not empty and is not an activestore data"));
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/wt"));
}

TEST(WtEngineTest, OptionsAreValidated) {
  TempDir dir;
  StorageOptions o = SmallWtOptions(dir.path());
  o.engine = "rocksdb";
  auto r = Engine::Open(o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().state(), SqlState::kInvalidParameterValue);
  EXPECT_EQ(r.error().message(), "invalid value for parameter \"engine\": \"rocksdb\"");
  o = SmallWtOptions(dir.path());
  o.sync_mode = "sometimes";
  r = Engine::Open(o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().state(), SqlState::kInvalidParameterValue);
}

TEST(WtEngineTest, ConfigStringFollowsOptions) {
  StorageOptions o = SmallWtOptions("/x");
  EXPECT_EQ(wiredtiger::WtEngine::ConfigString(o),
            "create,config_base=false,cache_size=64M,log=(enabled=true,file_max=1MB,"
            "prealloc=false),transaction_sync=(enabled=true,method=fsync),session_max=1000,"
            "statistics=(fast),eviction_dirty_target=20,eviction_dirty_trigger=90,"
            "eviction_target=80,eviction_trigger=95,cache_max_wait_ms=30000,"
            "checkpoint=(wait=60,log_size=1GB)");
  o.sync_mode = "periodic";
  EXPECT_THAT(wiredtiger::WtEngine::ConfigString(o), HasSubstr("transaction_sync=(enabled=false)"));
}

// The row-id allocator's transactions: committed without a sync, yet durable once a later
// synced commit is, and they leave their session as they found it.
TEST(WtEngineTest, BookkeepingCommitIsDurableWithTheNextSyncedCommit) {
  TempDir dir;
  StorageOptions o = SmallWtOptions(dir.path());
  {
    auto e = OpenOrDie(o);
    e->CreateTable("t");
    auto b = e->BeginBookkeeping();
    b->Put("t", "block", "1024");
    b->Commit();
    auto w = e->Begin();
    w->Put("t", "row", "x");
    w->Commit();
    auto r = e->Begin();
    EXPECT_EQ(r->Get("t", "block"), "1024");
    r->Rollback();
  }
  auto e = OpenOrDie(o);
  auto r = e->Begin();
  EXPECT_EQ(r->Get("t", "block"), "1024");
  EXPECT_EQ(r->Get("t", "row"), "x");
}

TEST(WtEngineTest, PeriodicSyncModeCommits) {
  TempDir dir;
  StorageOptions o = SmallWtOptions(dir.path());
  o.sync_mode = "periodic";
  o.sync_period_ms = 5;
  {
    auto e = OpenOrDie(o);
    e->CreateTable("t");
    auto w = e->Begin();
    w->Put("t", "a", "1");
    w->Commit();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  auto e = OpenOrDie(o);
  auto r = e->Begin();
  EXPECT_EQ(r->Get("t", "a"), "1");
}

TEST(WtEngineTest, StatsCountCacheTraffic) {
  TempDir dir;
  auto e = OpenOrDie(SmallWtOptions(dir.path()));
  e->CreateTable("t");
  auto w = e->Begin();
  for (int i = 0; i < 1000; ++i) w->Put("t", "k" + std::to_string(i), "v");
  w->Commit();
  auto r = e->Begin();
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(r->Get("t", "k" + std::to_string(i)));
  StorageStats s = e->Stats();
  EXPECT_EQ(s.cache_max_bytes, 64u * 1024 * 1024);
  EXPECT_GT(s.pages_requested, 1000u);
  EXPECT_GT(s.cache_bytes, 0u);
}

TEST(WtEngineTest, DropWaitsForATransactionHoldingACursor) {
  TempDir dir;
  auto e = OpenOrDie(SmallWtOptions(dir.path()));
  e->CreateTable("t");
  auto holder = e->Begin();
  holder->Put("t", "a", "1");
  std::thread releaser([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    holder->Rollback();
  });
  e->DropTable("t");  // EBUSY until the holder's session comes back to the pool
  releaser.join();
  EXPECT_THAT(e->ListTables(), ::testing::Not(::testing::Contains("t")));
}

size_t CountRows(Engine* e, std::string_view table) {
  auto t = e->Begin();
  size_t n = 0;
  auto c = t->Scan(table);
  while (c->Next()) ++n;
  c.reset();
  t->Rollback();
  return n;
}

void InsertRows(Engine* e, std::string_view table, int from, int to) {
  auto w = e->Begin();
  const std::string value(60, 'v');
  for (int i = from; i < to; ++i) {
    char key[16];
    std::snprintf(key, sizeof key, "k%09d", i);
    w->Insert(table, key, value);
  }
  w->Commit();
}

// After a checkpoint, a shard table with many freshly inserted rows (WiredTiger's in-memory
// insert lists, several times the size of its file) has its pages dropped, so that later scans
// read the compact page images (from a thousand new rows and 128 kB in the cache on); smaller
// tables and tables without new rows are left alone.
// A reader scanning while it happens sees every row and no error.
TEST(WtEngineTest, CheckpointReloadsThePagesOfABulkLoad) {
  TempDir dir;
  auto e = OpenOrDie(SmallWtOptions(dir.path()));
  auto* wt = dynamic_cast<wiredtiger::WtEngine*>(e.get());
  ASSERT_NE(wt, nullptr);
  e->CreateTable("t16384_s0");
  e->CreateTable("t16385_s0");
  e->CreateTable("t16386_s0");
  InsertRows(e.get(), "t16384_s0", 0, 100'000);
  InsertRows(e.get(), "t16385_s0", 0, 100);
  InsertRows(e.get(), "t16386_s0", 0, 5'000);  // a shard of a 40,000-row table
  e->Checkpoint();
  EXPECT_EQ(wt->tables_recompacted(), 2u);
  EXPECT_EQ(CountRows(e.get(), "t16384_s0"), 100'000u);
  EXPECT_EQ(CountRows(e.get(), "t16386_s0"), 5'000u);
  e->Checkpoint();  // nothing inserted since
  EXPECT_EQ(wt->tables_recompacted(), 2u);

  InsertRows(e.get(), "t16384_s0", 100'000, 200'000);
  std::atomic<bool> stop{false};
  std::atomic<int> wrong{0}, errors{0}, scans{0};
  // A reader scanning all the time, with short pauses: while it holds a cursor a pass skips
  // the table (EBUSY) and a later one reloads it; a scan that starts during the reload waits.
  std::thread reader([&] {
    while (!stop.load()) {
      try {
        if (CountRows(e.get(), "t16384_s0") != 200'000u) wrong.fetch_add(1);
        scans.fetch_add(1);
      } catch (const Error&) {
        errors.fetch_add(1);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });
  for (int i = 0; i < 1000 && wt->tables_recompacted() < 3; ++i) e->Checkpoint();
  while (scans.load() < 4) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  stop.store(true);
  reader.join();
  EXPECT_EQ(wt->tables_recompacted(), 3u);
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(CountRows(e.get(), "t16384_s0"), 200'000u);
}

}  // namespace
}  // namespace activestore::storage

namespace activestore::storage {
namespace {

// Waits up to 3 s for `pred` (the maintenance loop looks at the free space every 100 ms).
bool Eventually(const std::function<bool()>& pred) {
  for (int i = 0; i < 300; ++i) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return pred();
}

TEST(WtEngineDiskTest, BelowTheReserveWritesFailWith53100ReadsGoOnAndWritesResume) {
  TempDir dir;
  auto free_bytes = std::make_shared<std::atomic<uint64_t>>(uint64_t{1} << 30);
  StorageOptions o = SmallWtOptions(dir.path());
  o.disk_reserve_mb = 16;
  o.free_space_probe = [free_bytes] { return free_bytes->load(); };
  std::unique_ptr<Engine> e = OpenOrDie(o);
  e->CreateTable("t1_s0");
  e->CreateTable("sys_x");
  {
    auto t = e->Begin();
    t->Put("t1_s0", "a", "1");
    t->Commit();
  }
  auto open = e->Begin();
  open->Put("t1_s0", "b", "2");  // written before the disk fills, committed after

  free_bytes->store(uint64_t{4} << 20);
  EXPECT_TRUE(Eventually([&] {
    auto t = e->Begin();
    return testing::SqlStateOf([&] { t->Put("t1_s0", "c", "3"); }) == "53100";
  }));
  EXPECT_EQ(testing::SqlStateOf([&] { open->Commit(); }), "53100");
  EXPECT_EQ(testing::SqlStateOf([&] { e->CreateTable("t2_s0"); }), "53100");
  {
    auto t = e->Begin();
    EXPECT_EQ(t->Get("t1_s0", "a"), "1");  // reads go on
    EXPECT_EQ(t->Get("t1_s0", "b"), std::nullopt);
    EXPECT_EQ(testing::SqlStateOf([&] { t->Delete("t1_s0", "a"); }), "53100");
    t->Commit();  // a transaction that only read commits
  }
  {
    // System tables stay writable (the catalog: DROP TABLE frees space).
    auto t = e->Begin();
    t->Put("sys_x", "k", "v");
    t->Commit();
  }

  free_bytes->store(uint64_t{1} << 30);
  EXPECT_TRUE(Eventually([&] {
    auto t = e->Begin();
    if (testing::SqlStateOf([&] { t->Put("t1_s0", "d", "4"); }) != "ok") return false;
    t->Commit();
    return true;
  }));
  auto t = e->Begin();
  EXPECT_EQ(t->Get("t1_s0", "d"), "4");
}

TEST(WtEngineDiskTest, TheReserveFileIsGivenBackWhenSpaceIsShortAtStart) {
  TempDir dir;
  auto free_bytes = std::make_shared<std::atomic<uint64_t>>(uint64_t{1} << 30);
  StorageOptions o = SmallWtOptions(dir.path());
  o.disk_reserve_mb = 8;
  o.free_space_probe = [free_bytes] { return free_bytes->load(); };
  const std::string reserve = dir.path() + "/reserve.space";
  OpenOrDie(o).reset();
  ASSERT_TRUE(std::filesystem::exists(reserve));
  EXPECT_EQ(std::filesystem::file_size(reserve), uint64_t{4} << 20);
  free_bytes->store(uint64_t{2} << 20);
  std::unique_ptr<Engine> e = OpenOrDie(o);
  EXPECT_FALSE(std::filesystem::exists(reserve));
  auto t = e->Begin();
  EXPECT_EQ(testing::SqlStateOf([&] { t->Put("t9_s0", "k", "v"); }), "53100");
}

// Group commit (docs/design/2026-12-07-group-commit.md): concurrent commits of table data
// share log flushes, and every acknowledged one survives kill -9.
TEST(WtEngineTest, GroupCommittedAcknowledgedCommitsSurviveKill9) {
  TempDir dir;
  int acks[2];  // the child's acknowledged keys, read after the kill
  ASSERT_EQ(::pipe(acks), 0);
  ASSERT_TRUE(testing::RunThenKill9([&] {
    // Left to the kill (the writers go on using them after the body returns).
    struct Shared {
      std::unique_ptr<Engine> e;
      std::mutex pipe_mu;
      std::atomic<int> acked{0};
    };
    auto* sh = new Shared{OpenOrDie(SmallWtOptions(dir.path()))};
    sh->e->CreateTable("t100_s0");
    const int ack_fd = acks[1];
    for (int w = 0; w < 4; ++w) {
      // Still committing when the body returns: the kill lands mid-commit.
      std::thread([sh, ack_fd, w] {
        for (int32_t i = w;; i += 4) {
          auto t = sh->e->Begin(Isolation::kReadCommitted);
          t->Put("t100_s0", "k" + std::to_string(i), "v");
          t->Commit();
          std::lock_guard lock(sh->pipe_mu);
          if (::write(ack_fd, &i, sizeof(i)) != sizeof(i)) ::_exit(1);
          ++sh->acked;
        }
      }).detach();
    }
    while (sh->acked.load() < 400) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }));
  ::close(acks[1]);
  std::vector<int32_t> acked;
  int32_t v;
  while (::read(acks[0], &v, sizeof(v)) == sizeof(v)) acked.push_back(v);
  ::close(acks[0]);
  ASSERT_GE(acked.size(), 400u);
  auto e = OpenOrDie(SmallWtOptions(dir.path()));
  auto r = e->Begin();
  for (int32_t i : acked) EXPECT_EQ(r->Get("t100_s0", "k" + std::to_string(i)), "v") << i;
}

TEST(WtEngineTest, AReadOfACommitNotYetDurableWaitsForIt) {
  TempDir dir;
  auto opened = Engine::Open(SmallWtOptions(dir.path()));
  ASSERT_TRUE(opened.ok());
  std::unique_ptr<Engine> engine = std::move(opened).value();
  auto* wt = dynamic_cast<wiredtiger::WtEngine*>(engine.get());
  ASSERT_NE(wt, nullptr);
  GroupCommit* group = wt->group_commit_for_testing();
  ASSERT_NE(group, nullptr);
  wt->CreateTable("t200_s0");
  wt->CreateTable("t201_s0");
  {
    auto t = wt->Begin(Isolation::kSnapshot);
    t->Put("t201_s0", "x", "old");
    t->Commit();
  }
  group->HoldFlushesForTesting(true);
  std::atomic<bool> committed{false};
  std::thread writer([&] {
    auto t = wt->Begin(Isolation::kReadCommitted);
    t->Put("t200_s0", "k", "v");
    t->Commit();  // returns once durable: after the hold
    committed = true;
  });
  // The commit becomes visible before it is durable.
  uint64_t ticket = 0;
  for (int i = 0; i < 2000 && ticket == 0; ++i) {
    ReadFence fence;
    auto r = wt->Begin(Isolation::kReadCommitted);
    r->SetReadFence(&fence);
    if (r->Get("t200_s0", "k") == "v") ticket = fence.Take();
    r->Rollback();
    if (ticket == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_NE(ticket, 0u) << "the read of the visible commit recorded no ticket";
  EXPECT_FALSE(committed.load());
  {
    // Other keys and tables record nothing; a scan of the table records the commit.
    ReadFence fence;
    auto r = wt->Begin(Isolation::kReadCommitted);
    r->SetReadFence(&fence);
    EXPECT_EQ(r->Get("t200_s0", "other"), std::nullopt);
    EXPECT_EQ(r->Get("t201_s0", "x"), "old");
    EXPECT_EQ(fence.Take(), 0u);
    auto c = r->Scan("t200_s0");
    while (c->Next()) {
    }
    EXPECT_EQ(fence.Take(), ticket);
  }
  std::atomic<bool> awaited{false};
  std::thread reader([&] {
    wt->AwaitDurable(ticket);
    awaited = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(awaited.load());
  EXPECT_FALSE(committed.load());
  group->HoldFlushesForTesting(false);
  writer.join();
  reader.join();
  EXPECT_TRUE(committed.load());
  EXPECT_TRUE(awaited.load());
  EXPECT_GE(group->durable(), ticket);
  EXPECT_GE(wt->Stats().read_fence_waits, 1u);
  // Durable now: nothing is recorded any more.
  ReadFence fence;
  auto r = wt->Begin(Isolation::kReadCommitted);
  r->SetReadFence(&fence);
  EXPECT_EQ(r->Get("t200_s0", "k"), "v");
  EXPECT_EQ(fence.Take(), 0u);
}

}  // namespace
}  // namespace activestore::storage
