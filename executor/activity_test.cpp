#include "executor/activity.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "executor/engine.h"

namespace activestore::executor {
namespace {

constexpr uint32_t kDb = 5;

// A session that only counts cancels (ActivityRegistry::Signal).
class CountingSession : public Session {
 public:
  std::vector<std::shared_ptr<PreparedStatement>> ParseSimple(std::string_view) override {
    return {};
  }
  std::shared_ptr<PreparedStatement> Prepare(std::string_view,
                                             const std::vector<uint32_t>&) override {
    return nullptr;
  }
  QueryResult Execute(const PreparedStatement&, const Params&) override { return {}; }
  void Sync() override {}
  TxnStatus txn_status() const override { return TxnStatus::kIdle; }
  std::vector<std::pair<std::string, std::string>> ReportedParameters() const override {
    return {};
  }
  std::vector<std::pair<std::string, std::string>> TakeChangedParameters() override { return {}; }
  void Cancel() override { ++cancels; }
  int cancels = 0;
};

TEST(BackendActivityTest, StatesAndTimes) {
  BackendActivity a(42, kDb, 10, 1000);
  a.SetClient("127.0.0.1:5555");
  a.SetApplicationName("psql");
  BackendActivityRow r = a.Read();
  EXPECT_EQ(r.pid, 42);
  EXPECT_EQ(r.state, BackendState::kIdle);
  EXPECT_EQ(r.client_addr, "127.0.0.1");
  EXPECT_EQ(r.client_port, 5555);
  EXPECT_EQ(r.application_name, "psql");
  EXPECT_EQ(r.backend_start_us, 1000);
  EXPECT_EQ(r.xact_start_us, 0);
  EXPECT_EQ(r.query, "");

  a.StatementStarted("BEGIN", 2000);
  r = a.Read();
  EXPECT_EQ(r.state, BackendState::kActive);
  EXPECT_EQ(r.xact_start_us, 2000);
  EXPECT_EQ(r.query_start_us, 2000);
  a.Ready(BackendState::kIdleInTransaction, 2500);
  a.StatementStarted("SELECT 1", 3000);
  r = a.Read();
  EXPECT_EQ(r.xact_start_us, 2000);  // the transaction's start stays
  EXPECT_EQ(r.query_start_us, 3000);
  EXPECT_EQ(r.query, "SELECT 1");
  a.Ready(BackendState::kIdleInTransactionAborted, 3200);
  EXPECT_EQ(a.Read().state, BackendState::kIdleInTransactionAborted);
  a.StatementStarted("ROLLBACK", 4000);
  a.Ready(BackendState::kIdle, 4100);
  r = a.Read();
  EXPECT_EQ(r.state, BackendState::kIdle);
  EXPECT_EQ(r.xact_start_us, 0);
  EXPECT_EQ(r.state_change_us, 4100);
  EXPECT_EQ(r.query, "ROLLBACK");
  EXPECT_STREQ(BackendStateName(BackendState::kIdleInTransactionAborted),
               "idle in transaction (aborted)");

  // Active 500 + 200 + 100 us, idle in transaction 500 + 800 us.
  DatabaseActivity db;
  a.AddTo(&db, 5000);
  EXPECT_DOUBLE_EQ(db.active_time_ms, 0.8);
  EXPECT_DOUBLE_EQ(db.idle_in_transaction_time_ms, 1.3);
  EXPECT_DOUBLE_EQ(db.session_time_ms, 4.0);
}

TEST(ActivityRegistryTest, CountsLiveAndEndedSessions) {
  ActivityRegistry reg;
  CountingSession s1, s2;
  auto a1 = std::make_shared<BackendActivity>(1, kDb, 10, 0);
  auto a2 = std::make_shared<BackendActivity>(2, kDb, 10, 0);
  reg.Register(a1, &s1, nullptr);
  reg.Register(a2, &s2, nullptr);
  a1->CountTransaction(true);
  a1->CountTransaction(true);
  a2->CountTransaction(false);
  a2->CountDeadlock();
  DatabaseActivity db = reg.Database(kDb, 0);
  EXPECT_EQ(db.numbackends, 2);
  EXPECT_EQ(db.xact_commit, 2);
  EXPECT_EQ(db.xact_rollback, 1);
  EXPECT_EQ(db.deadlocks, 1);
  EXPECT_EQ(db.sessions, 2);
  EXPECT_EQ(reg.Database(kDb + 1, 0).numbackends, 0);

  reg.Unregister(1, 0);
  EXPECT_FALSE(reg.Exists(1));
  EXPECT_TRUE(reg.Exists(2));
  db = reg.Database(kDb, 0);
  EXPECT_EQ(db.numbackends, 1);
  EXPECT_EQ(db.xact_commit, 2);  // kept after the session ended
  EXPECT_EQ(reg.Sessions().size(), 1u);
  reg.Unregister(2, 0);
}

TEST(ActivityRegistryTest, SignalChecksThenCancelsOrTerminates) {
  ActivityRegistry reg;
  CountingSession s;
  int terminated = 0;
  reg.Register(std::make_shared<BackendActivity>(7, kDb, 16400, 0), &s, [&] { ++terminated; });
  EXPECT_FALSE(reg.Signal(8, false, [](uint32_t) {}));
  uint32_t seen = 0;
  EXPECT_TRUE(reg.Signal(7, false, [&](uint32_t user) { seen = user; }));
  EXPECT_EQ(seen, 16400u);
  EXPECT_EQ(s.cancels, 1);
  EXPECT_EQ(terminated, 0);
  // A refusal throws before anything happens.
  EXPECT_THROW(reg.Signal(7, true, [](uint32_t) { throw std::runtime_error("no"); }),
               std::runtime_error);
  EXPECT_EQ(terminated, 0);
  EXPECT_TRUE(reg.Signal(7, true, [](uint32_t) {}));
  EXPECT_EQ(terminated, 1);
  reg.Unregister(7, 0);
  EXPECT_EQ(reg.Database(kDb, 0).sessions_killed, 1);
}

}  // namespace
}  // namespace activestore::executor
