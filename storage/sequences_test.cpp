// Sequence values (storage::SequenceManager): PostgreSQL's nextval/setval arithmetic and
// log_cnt, block reservation (one durable write per kReserveSteps values), generations that
// follow the transactional catalog, and durability across a clean reopen and kill -9.
#include "storage/sequences.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

#include "storage/storage_testing.h"

namespace activestore::storage {
namespace {

using testing::OpenOrDie;
using testing::SmallWtOptions;
using testing::TempDir;

constexpr Oid kPostgres = 5;

SequenceInfo Params(int64_t increment = 1, int64_t min = 1, int64_t max = INT64_MAX,
                    int64_t cache = 1, bool cycle = false) {
  SequenceInfo q;
  q.increment = increment;
  q.min_value = min;
  q.max_value = max;
  q.cache = cache;
  q.cycle = cycle;
  q.start = increment > 0 ? min : max;
  q.initial_value = q.start;
  return q;
}

TableInfo MakeSequence(const std::string& name, SequenceInfo q) {
  TableInfo t;
  t.database_oid = kPostgres;
  t.schema = "public";
  t.name = name;
  t.columns = {{"last_value", Type::Of(TypeId::kInt64), true},
               {"log_cnt", Type::Of(TypeId::kInt64), true},
               {"is_called", Type::Of(TypeId::kBool), true}};
  t.sequence = q;
  return t;
}

std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return std::string(SqlStateCode(e.state())) + " " + e.message();
  }
  return "no error";
}

// The stored states: "<oid>/<generation>" keys of sys_sequences.
std::vector<std::string> StoredKeys(Engine* engine) {
  std::vector<std::string> out;
  auto txn = engine->Begin();
  auto c = txn->Scan(SequenceManager::kTable);
  while (c->Next()) out.emplace_back(c->key());
  return out;
}

class SequenceTest : public ::testing::Test {
 protected:
  void Open() {
    catalog_.reset();  // a clean close stores the exact states
    engine_.reset();
    engine_ = OpenOrDie(SmallWtOptions(dir_.path()));
    catalog_ = Catalog::Open(engine_.get(), 2);
  }
  void SetUp() override { Open(); }

  std::shared_ptr<const TableInfo> Create(const std::string& name, SequenceInfo q = Params()) {
    return catalog_->CreateTable(MakeSequence(name, q));
  }
  std::shared_ptr<const TableInfo> Current(const std::string& name) {
    return catalog_->Snapshot()->FindTable(kPostgres, "public", name);
  }
  SequenceManager* m() { return catalog_->sequences(); }
  SequenceFetch Fetch(const TableInfo& seq) { return m()->Next(*m()->Get(seq), seq); }
  int64_t Next(const TableInfo& seq) { return Fetch(seq).first; }
  SequenceData Read(const TableInfo& seq) { return m()->Read(*m()->Get(seq), seq); }

  TempDir dir_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<Catalog> catalog_;
};

TEST_F(SequenceTest, NextValuesAndLogCntAsPostgres) {
  auto s = Create("s");
  SequenceData d = Read(*s);
  EXPECT_EQ(d.last_value, 1);
  EXPECT_EQ(d.log_cnt, 0);
  EXPECT_FALSE(d.is_called);
  EXPECT_EQ(Next(*s), 1);
  d = Read(*s);
  EXPECT_EQ(d.last_value, 1);
  EXPECT_EQ(d.log_cnt, 32);  // PostgreSQL "pre-logs" 32 values
  EXPECT_TRUE(d.is_called);
  EXPECT_EQ(Next(*s), 2);
  EXPECT_EQ(Next(*s), 3);
  EXPECT_EQ(Read(*s).log_cnt, 30);
  // setval: the state as given, log_cnt 0; an uncalled value is handed out next.
  m()->Set(*m()->Get(*s), *s, 99, false);
  EXPECT_EQ(Read(*s).log_cnt, 0);
  EXPECT_EQ(Next(*s), 99);
  EXPECT_EQ(Next(*s), 100);
  EXPECT_EQ(ErrorOf([&] { m()->Set(*m()->Get(*s), *s, 0, true); }),
            "22003 setval: value 0 is out of bounds for sequence \"s\" (1..9223372036854775807)");
}

TEST_F(SequenceTest, CacheTakesSeveralValuesAtOnce) {
  auto s = Create("c", Params(1, 1, INT64_MAX, 10));
  SequenceFetch f = Fetch(*s);
  EXPECT_EQ(f.first, 1);
  EXPECT_EQ(f.last, 10);
  EXPECT_EQ(f.count, 10);
  EXPECT_EQ(Read(*s).last_value, 10);
  EXPECT_EQ(Fetch(*s).first, 11);
  // Near a bound only what is left is taken.
  auto b = Create("b", Params(1, 1, 4, 3));
  EXPECT_EQ(Fetch(*b).count, 3);
  f = Fetch(*b);
  EXPECT_EQ(f.first, 4);
  EXPECT_EQ(f.count, 1);
}

TEST_F(SequenceTest, BoundsAndCycles) {
  auto up = Create("up", Params(1, 1, 3));
  EXPECT_EQ(Next(*up), 1);
  EXPECT_EQ(Next(*up), 2);
  EXPECT_EQ(Next(*up), 3);
  EXPECT_EQ(ErrorOf([&] { Next(*up); }),
            "2200H nextval: reached maximum value of sequence \"up\" (3)");
  EXPECT_EQ(Read(*up).last_value, 3);  // the failed call changed nothing

  auto down = Create("down", Params(-4, -36, -5));
  std::vector<int64_t> got;
  for (int i = 0; i < 8; ++i) got.push_back(Next(*down));
  EXPECT_EQ(got, (std::vector<int64_t>{-5, -9, -13, -17, -21, -25, -29, -33}));
  EXPECT_EQ(ErrorOf([&] { Next(*down); }),
            "2200H nextval: reached minimum value of sequence \"down\" (-36)");

  auto cyc = Create("cyc", Params(4, 5, 36, 1, true));
  got.clear();
  for (int i = 0; i < 10; ++i) got.push_back(Next(*cyc));
  EXPECT_EQ(got, (std::vector<int64_t>{5, 9, 13, 17, 21, 25, 29, 33, 5, 9}));

  // The extremes of bigint do not overflow.
  auto top = Create("top", Params(1, 1, INT64_MAX));
  m()->Set(*m()->Get(*top), *top, INT64_MAX - 1, true);
  EXPECT_EQ(Next(*top), INT64_MAX);
  EXPECT_EQ(ErrorOf([&] { Next(*top); }).substr(0, 5), "2200H");
}

TEST_F(SequenceTest, OneDurableWriteReservesABlock) {
  auto s = Create("s");
  uint64_t before = m()->durable_writes();
  const int n = 3000;
  for (int i = 1; i <= n; ++i) ASSERT_EQ(Next(*s), i);
  // Writes at the 1st, the 1026th and the 2051st value (each reserves 1024 more steps).
  EXPECT_EQ(m()->durable_writes() - before, 3u);
}

TEST_F(SequenceTest, CleanReopenGoesOnWithoutAGap) {
  auto s = Create("s");
  for (int i = 1; i <= 10; ++i) Next(*s);
  auto c = Create("c", Params(1, 1, INT64_MAX, 20));
  Next(*c);
  Open();
  EXPECT_EQ(Next(*Current("s")), 11);
  // The values a session cached ahead are lost, as in PostgreSQL.
  EXPECT_EQ(Next(*Current("c")), 21);
  // A sequence never used since the open keeps its state too.
  Open();
  EXPECT_EQ(Next(*Current("s")), 12);
}

TEST_F(SequenceTest, GenerationsFollowTheCatalogTransaction) {
  auto s = Create("s");
  EXPECT_EQ(Next(*s), 1);
  // ALTER ... RESTART WITH 100 in a transaction that rolls back.
  {
    auto txn = catalog_->Begin();
    TableInfo next = *s;
    next.sequence->initial_value = 100;
    next.sequence->initial_is_called = false;
    auto restarted = catalog_->UpdateRelation(txn.get(), next, /*new_sequence_generation=*/true);
    EXPECT_NE(restarted->storage_gen, s->storage_gen);
    EXPECT_EQ(Next(*restarted), 100);  // this transaction's view
    EXPECT_EQ(Next(*s), 2);            // everybody else's
    EXPECT_EQ(StoredKeys(engine_.get()).size(), 2u);
    txn->Rollback();
  }
  // The rolled-back generation's state is gone; the old one goes on.
  EXPECT_EQ(StoredKeys(engine_.get()), std::vector<std::string>{std::to_string(s->oid) + "/" +
                                                                std::to_string(s->storage_gen)});
  EXPECT_EQ(Next(*Current("s")), 3);
  // The same, committed: the old generation's state is gone.
  {
    auto txn = catalog_->Begin();
    TableInfo next = *s;
    next.sequence->initial_value = 100;
    catalog_->UpdateRelation(txn.get(), next, true);
    txn->Commit();
  }
  auto now = Current("s");
  EXPECT_EQ(Next(*now), 100);
  EXPECT_EQ(StoredKeys(engine_.get()), std::vector<std::string>{std::to_string(now->oid) + "/" +
                                                                std::to_string(now->storage_gen)});
  // DROP: the state goes at the commit.
  catalog_->DropTable(kPostgres, "public", "s");
  EXPECT_TRUE(StoredKeys(engine_.get()).empty());
}

TEST_F(SequenceTest, RolledBackCreateLeavesNothingAndOrphansGoAtOpen) {
  {
    auto txn = catalog_->Begin();
    auto s = catalog_->CreateTable(txn.get(), MakeSequence("s", Params()));
    EXPECT_EQ(Next(*s), 1);
    txn->Rollback();
  }
  EXPECT_EQ(Current("s"), nullptr);
  EXPECT_TRUE(StoredKeys(engine_.get()).empty());
  // A state nobody references (left by a crash) is dropped at the next open.
  {
    auto w = engine_->Begin();
    w->Put(SequenceManager::kTable, "99999/0", "5 1");
    w->Commit();
  }
  Open();
  EXPECT_TRUE(StoredKeys(engine_.get()).empty());
}

// kill -9 while a process hands out values: after the restart no value comes again.
TEST(SequenceCrashTest, Kill9NeverHandsOutAValueTwice) {
  TempDir dir;
  Oid oid = 0;
  {
    auto engine = OpenOrDie(SmallWtOptions(dir.path()));
    auto catalog = Catalog::Open(engine.get(), 2);
    oid = catalog->CreateTable(MakeSequence("s", Params()))->oid;
    auto c = catalog->CreateTable(MakeSequence("c", Params(1, 1, INT64_MAX, 7)));
    (void)c;
  }
  int64_t highest = 0;
  for (int round = 0; round < 3; ++round) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::close(fds[0]);
      auto engine = OpenOrDie(SmallWtOptions(dir.path()));
      auto catalog = Catalog::Open(engine.get(), 2);
      auto snap = catalog->Snapshot();
      auto s = snap->FindTable(kPostgres, "public", "s");
      auto c = snap->FindTable(kPostgres, "public", "c");
      SequenceManager* m = catalog->sequences();
      auto gs = m->Get(*s);
      auto gc = m->Get(*c);
      if (round == 1) m->Set(*gs, *s, highest + 5000, false);  // an uncalled value first
      for (;;) {
        int64_t v[2] = {m->Next(*gs, *s).first, m->Next(*gc, *c).last};
        if (::write(fds[1], v, sizeof(v)) != sizeof(v)) ::_exit(1);
      }
    }
    ::close(fds[1]);
    // Let it hand out a few thousand values (several reservations), then kill it.
    std::vector<int64_t> seen_s, seen_c;
    int64_t v[2];
    while (seen_s.size() < 3000 + 700 * static_cast<size_t>(round) &&
           ::read(fds[0], v, sizeof(v)) == sizeof(v)) {
      seen_s.push_back(v[0]);
      seen_c.push_back(v[1]);
    }
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    ::close(fds[0]);
    ASSERT_FALSE(seen_s.empty());
    EXPECT_TRUE(std::is_sorted(seen_s.begin(), seen_s.end()));
    EXPECT_GT(seen_s.front(), highest);
    highest = seen_s.back();

    auto engine = OpenOrDie(SmallWtOptions(dir.path()));
    auto catalog = Catalog::Open(engine.get(), 2);
    auto snap = catalog->Snapshot();
    auto s = snap->FindTable(kPostgres, "public", "s");
    auto c = snap->FindTable(kPostgres, "public", "c");
    ASSERT_EQ(s->oid, oid);
    SequenceManager* m = catalog->sequences();
    int64_t after = m->Next(*m->Get(*s), *s).first;
    EXPECT_GT(after, highest) << "round " << round;
    EXPECT_GT(m->Next(*m->Get(*c), *c).first, seen_c.back()) << "round " << round;
    highest = after;
  }
}

}  // namespace
}  // namespace activestore::storage
