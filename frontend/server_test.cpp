// End-to-end tests of the server with libpq (and a raw socket client for what libpq cannot
// send), against the scripted engine of frontend/testing/fake_engine.h.
#include "frontend/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <thread>

#include "frontend/testing/fake_engine.h"

namespace activestore::frontend {
namespace {

using testing::FakeEngine;

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override { StartServer(2); }
  void TearDown() override {
    for (PGconn* c : conns_) PQfinish(c);
    if (server_) server_->Stop();
  }

  void StartServer(int io_threads) {
    ServerOptions options;
    options.listen = "127.0.0.1";
    options.port = 0;
    options.io_threads = io_threads;
    options.worker_threads = 8;
    server_ = std::make_unique<Server>(&engine_, options);
    Status s = server_->Start();
    ASSERT_TRUE(s.ok()) << s.error().message();
    ASSERT_NE(server_->port(), 0);
  }

  std::string ConnInfo(const std::string& user = "postgres", const std::string& db = "postgres") {
    return "host=127.0.0.1 port=" + std::to_string(server_->port()) + " user=" + user +
           " dbname=" + db + " sslmode=prefer connect_timeout=10";
  }

  PGconn* Connect() {
    PGconn* c = PQconnectdb(ConnInfo().c_str());
    conns_.push_back(c);
    EXPECT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
    return c;
  }

  // Runs `sql` expecting `status`; returns the result (freed at the end of the test).
  PGresult* Exec(PGconn* c, const char* sql, ExecStatusType status) {
    PGresult* r = PQexec(c, sql);
    results_.emplace_back(r, &PQclear);
    EXPECT_EQ(PQresultStatus(r), status) << sql << ": " << PQresultErrorMessage(r);
    return r;
  }

  PGresult* Keep(PGresult* r) {
    results_.emplace_back(r, &PQclear);
    return r;
  }

  static std::string SqlState(const PGresult* r) {
    const char* s = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    return s ? s : "";
  }

  FakeEngine engine_;
  std::unique_ptr<Server> server_;
  std::vector<PGconn*> conns_;
  std::vector<std::unique_ptr<PGresult, void (*)(PGresult*)>> results_;
};

TEST_F(ServerTest, StartupParameters) {
  PGconn* c = Connect();
  const char* version = PQparameterStatus(c, "server_version");
  ASSERT_NE(version, nullptr);
  EXPECT_TRUE(version[0] >= '1' && version[0] <= '9') << version;
  EXPECT_GE(PQserverVersion(c), 150000);
  EXPECT_STREQ(PQparameterStatus(c, "client_encoding"), "UTF8");
  EXPECT_STREQ(PQparameterStatus(c, "DateStyle"), "ISO, MDY");
  EXPECT_STREQ(PQparameterStatus(c, "integer_datetimes"), "on");
  EXPECT_STREQ(PQparameterStatus(c, "standard_conforming_strings"), "on");
  EXPECT_NE(PQbackendPID(c), 0);
  EXPECT_EQ(PQtransactionStatus(c), PQTRANS_IDLE);
  EXPECT_EQ(PQsslInUse(c), 0);  // SSLRequest answered 'N'
}

TEST_F(ServerTest, UnknownRoleAndDatabaseAreFatal) {
  PGconn* c = PQconnectdb(ConnInfo("bob").c_str());
  conns_.push_back(c);
  EXPECT_EQ(PQstatus(c), CONNECTION_BAD);
  EXPECT_NE(std::string(PQerrorMessage(c)).find("FATAL:  role \"bob\" does not exist"),
            std::string::npos)
      << PQerrorMessage(c);
  PGconn* d = PQconnectdb(ConnInfo("postgres", "nosuchdb").c_str());
  conns_.push_back(d);
  EXPECT_EQ(PQstatus(d), CONNECTION_BAD);
  EXPECT_NE(std::string(PQerrorMessage(d)).find("database \"nosuchdb\" does not exist"),
            std::string::npos)
      << PQerrorMessage(d);
}

TEST_F(ServerTest, SimpleQueryWithTwoStatements) {
  PGconn* c = Connect();
  ASSERT_EQ(PQsendQuery(c, "select 1, 2; series 3"), 1);
  PGresult* first = Keep(PQgetResult(c));
  ASSERT_EQ(PQresultStatus(first), PGRES_TUPLES_OK);
  EXPECT_EQ(PQntuples(first), 1);
  EXPECT_EQ(PQnfields(first), 2);
  EXPECT_EQ(PQftype(first, 0), 23u);
  EXPECT_STREQ(PQgetvalue(first, 0, 1), "2");
  EXPECT_STREQ(PQcmdStatus(first), "SELECT 1");
  PGresult* second = Keep(PQgetResult(c));
  ASSERT_EQ(PQresultStatus(second), PGRES_TUPLES_OK);
  EXPECT_EQ(PQntuples(second), 3);
  EXPECT_STREQ(PQfname(second, 0), "i");
  EXPECT_STREQ(PQgetvalue(second, 2, 0), "3");
  EXPECT_EQ(PQgetResult(c), nullptr);

  PGresult* ins = Exec(c, "insert", PGRES_COMMAND_OK);
  EXPECT_STREQ(PQcmdTuples(ins), "1");
  Exec(c, "", PGRES_EMPTY_QUERY);
}

TEST_F(ServerTest, ErrorWithSqlstateAndPosition) {
  PGconn* c = Connect();
  PGresult* r = Exec(c, "select 1; syntaxerr", PGRES_FATAL_ERROR);
  EXPECT_EQ(SqlState(r), "42601");
  EXPECT_STREQ(PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY),
               "syntax error at or near \"syntaxerr\"");
  EXPECT_STREQ(PQresultErrorField(r, PG_DIAG_STATEMENT_POSITION), "11");
  EXPECT_STREQ(PQresultErrorField(r, PG_DIAG_SEVERITY), "ERROR");
  // The connection is still usable.
  PGresult* ok = Exec(c, "select 5", PGRES_TUPLES_OK);
  EXPECT_STREQ(PQgetvalue(ok, 0, 0), "5");
}

TEST_F(ServerTest, ErrorSkipsTheRemainingStatements) {
  PGconn* c = Connect();
  ASSERT_EQ(PQsendQuery(c, "insert; fail; select 9"), 1);
  PGresult* a = Keep(PQgetResult(c));
  EXPECT_EQ(PQresultStatus(a), PGRES_COMMAND_OK);
  PGresult* b = Keep(PQgetResult(c));
  EXPECT_EQ(PQresultStatus(b), PGRES_FATAL_ERROR);
  EXPECT_EQ(SqlState(b), "22012");
  EXPECT_EQ(PQgetResult(c), nullptr);  // select 9 never ran
}

TEST_F(ServerTest, EngineBugFailsOnlyTheStatement) {
  PGconn* c = Connect();
  PGresult* r = Exec(c, "crash", PGRES_FATAL_ERROR);
  EXPECT_EQ(SqlState(r), "XX000");
  EXPECT_STREQ(PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY), "unexpected internal failure");
  Exec(c, "select 1", PGRES_TUPLES_OK);
}

TEST_F(ServerTest, TransactionStatusInReadyForQuery) {
  PGconn* c = Connect();
  Exec(c, "begin", PGRES_COMMAND_OK);
  EXPECT_EQ(PQtransactionStatus(c), PQTRANS_INTRANS);
  Exec(c, "fail", PGRES_FATAL_ERROR);
  EXPECT_EQ(PQtransactionStatus(c), PQTRANS_INERROR);
  PGresult* r = Exec(c, "select 1", PGRES_FATAL_ERROR);
  EXPECT_EQ(SqlState(r), "25P02");
  Exec(c, "rollback", PGRES_COMMAND_OK);
  EXPECT_EQ(PQtransactionStatus(c), PQTRANS_IDLE);
}

// idle_in_transaction_session_timeout: a session idle inside a block is ended with FATAL
// 25P03; outside a block it may idle.
TEST_F(ServerTest, IdleInTransactionTimeoutEndsTheSession) {
  PGconn* c = Connect();
  Exec(c, "idle timeout 200", PGRES_COMMAND_OK);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  Exec(c, "select 1", PGRES_TUPLES_OK);
  Exec(c, "begin", PGRES_COMMAND_OK);
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  PGresult* r = Keep(PQexec(c, "select 1"));
  EXPECT_EQ(PQresultStatus(r), PGRES_FATAL_ERROR);
  // libpq reports the FATAL that arrived while idle as the connection's error (as with
  // PostgreSQL itself); the connection is gone.
  EXPECT_NE(std::string(PQerrorMessage(c))
                .find("terminating connection due to idle-in-transaction timeout"),
            std::string::npos)
      << PQerrorMessage(c);
  EXPECT_EQ(PQstatus(c), CONNECTION_BAD);
}

TEST_F(ServerTest, NoticesAndParameterChanges) {
  PGconn* c = Connect();
  std::string notice;
  PQsetNoticeReceiver(
      c,
      [](void* arg, const PGresult* r) {
        *static_cast<std::string*>(arg) = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
      },
      &notice);
  Exec(c, "notice", PGRES_COMMAND_OK);
  EXPECT_EQ(notice, "hello notice");
  Exec(c, "set application_name = myapp", PGRES_COMMAND_OK);
  EXPECT_STREQ(PQparameterStatus(c, "application_name"), "myapp");
}

TEST_F(ServerTest, PreparedStatements) {
  PGconn* c = Connect();
  Oid types[] = {23};
  Keep(PQprepare(c, "s1", "select $1, 7", 1, types));
  PGresult* desc = Keep(PQdescribePrepared(c, "s1"));
  ASSERT_EQ(PQresultStatus(desc), PGRES_COMMAND_OK) << PQresultErrorMessage(desc);
  EXPECT_EQ(PQnparams(desc), 1);
  EXPECT_EQ(PQparamtype(desc, 0), 23u);
  EXPECT_EQ(PQnfields(desc), 2);
  EXPECT_EQ(PQftype(desc, 0), 23u);

  const char* values[] = {"42"};
  PGresult* r = Keep(PQexecPrepared(c, "s1", 1, values, nullptr, nullptr, 0));
  ASSERT_EQ(PQresultStatus(r), PGRES_TUPLES_OK) << PQresultErrorMessage(r);
  EXPECT_STREQ(PQgetvalue(r, 0, 0), "42");
  EXPECT_STREQ(PQgetvalue(r, 0, 1), "7");
  const char* null_value[] = {nullptr};
  PGresult* n = Keep(PQexecPrepared(c, "s1", 1, null_value, nullptr, nullptr, 0));
  ASSERT_EQ(PQresultStatus(n), PGRES_TUPLES_OK);
  EXPECT_TRUE(PQgetisnull(n, 0, 0));

  PGresult* dup = Keep(PQprepare(c, "s1", "select 1", 0, nullptr));
  EXPECT_EQ(SqlState(dup), "42P05");
  EXPECT_STREQ(PQresultErrorField(dup, PG_DIAG_MESSAGE_PRIMARY),
               "prepared statement \"s1\" already exists");
  PGresult* missing = Keep(PQexecPrepared(c, "nosuch", 0, nullptr, nullptr, nullptr, 0));
  EXPECT_EQ(SqlState(missing), "26000");
  EXPECT_STREQ(PQresultErrorField(missing, PG_DIAG_MESSAGE_PRIMARY),
               "prepared statement \"nosuch\" does not exist");
  PGresult* portal = Keep(PQdescribePortal(c, "nope"));
  EXPECT_EQ(SqlState(portal), "34000");
  PGresult* count = Keep(PQexecPrepared(c, "s1", 0, nullptr, nullptr, nullptr, 0));
  EXPECT_EQ(SqlState(count), "08P01");

  // A statement without rows: Describe gives NoData.
  Keep(PQprepare(c, "ins", "insert", 0, nullptr));
  PGresult* d2 = Keep(PQdescribePrepared(c, "ins"));
  EXPECT_EQ(PQnfields(d2), 0);
  PGresult* i = Keep(PQexecPrepared(c, "ins", 0, nullptr, nullptr, nullptr, 0));
  EXPECT_STREQ(PQcmdStatus(i), "INSERT 0 1");
  // Still in sync with the server.
  PGresult* ok = Exec(c, "select 3", PGRES_TUPLES_OK);
  EXPECT_STREQ(PQgetvalue(ok, 0, 0), "3");
}

TEST_F(ServerTest, BinaryParametersAndResults) {
  PGconn* c = Connect();
  Oid types[] = {20, 701};
  int64_t v = 5000000000;
  char int8[8];
  for (int i = 0; i < 8; ++i) int8[i] = static_cast<char>(static_cast<uint64_t>(v) >> (56 - 8 * i));
  double d = -2.25;
  uint64_t bits;
  std::memcpy(&bits, &d, 8);
  char float8[8];
  for (int i = 0; i < 8; ++i) float8[i] = static_cast<char>(bits >> (56 - 8 * i));
  const char* values[] = {int8, float8};
  int lengths[] = {8, 8};
  int formats[] = {1, 1};
  // Binary in, text out: the engine saw text.
  PGresult* r = Keep(PQexecParams(c, "select $1, $2", 2, types, values, lengths, formats, 0));
  ASSERT_EQ(PQresultStatus(r), PGRES_TUPLES_OK) << PQresultErrorMessage(r);
  EXPECT_STREQ(PQgetvalue(r, 0, 0), "5000000000");
  EXPECT_STREQ(PQgetvalue(r, 0, 1), "-2.25");
  // Binary in, binary out.
  PGresult* b = Keep(PQexecParams(c, "select $1, $2", 2, types, values, lengths, formats, 1));
  ASSERT_EQ(PQresultStatus(b), PGRES_TUPLES_OK) << PQresultErrorMessage(b);
  EXPECT_EQ(PQfformat(b, 0), 1);
  ASSERT_EQ(PQgetlength(b, 0, 0), 8);
  EXPECT_EQ(std::memcmp(PQgetvalue(b, 0, 0), int8, 8), 0);
  EXPECT_EQ(std::memcmp(PQgetvalue(b, 0, 1), float8, 8), 0);
  // Wrong binary length.
  int short_lengths[] = {4, 8};
  PGresult* bad =
      Keep(PQexecParams(c, "select $1, $2", 2, types, values, short_lengths, formats, 0));
  EXPECT_EQ(SqlState(bad), "08P01");
  EXPECT_STREQ(PQresultErrorField(bad, PG_DIAG_MESSAGE_PRIMARY),
               "insufficient data left in message");
  Oid int4_type[] = {23};
  int long_length[] = {8};
  PGresult* too_long =
      Keep(PQexecParams(c, "select $1", 1, int4_type, values, long_length, formats, 0));
  EXPECT_EQ(SqlState(too_long), "22P03");
  EXPECT_STREQ(PQresultErrorField(too_long, PG_DIAG_MESSAGE_PRIMARY),
               "incorrect binary data format in bind parameter 1");
  // Every column in binary, numeric too (numeric_send of 1.50: 1 digit, weight 0, dscale 2,
  // digits 1 and 5000).
  PGresult* all = Keep(PQexecParams(c, "types", 0, nullptr, nullptr, nullptr, nullptr, 1));
  ASSERT_EQ(PQresultStatus(all), PGRES_TUPLES_OK);
  const char numeric[] = {0, 2, 0, 0, 0, 0, 0, 2, 0, 1, 0x13, static_cast<char>(0x88)};
  ASSERT_EQ(PQgetlength(all, 0, 9), 12);
  EXPECT_EQ(std::memcmp(PQgetvalue(all, 0, 9), numeric, sizeof numeric), 0);
  // Text-format date/timestamps of the engine converted to binary.
  Keep(PQprepare(c, "t", "types", 0, nullptr));
  PGresult* t = Keep(PQexecPrepared(c, "t", 0, nullptr, nullptr, nullptr, 0));
  ASSERT_EQ(PQresultStatus(t), PGRES_TUPLES_OK);
  EXPECT_STREQ(PQgetvalue(t, 0, 6), "2024-02-29");
}

// A minimal protocol client for what libpq does not expose (max_rows, malformed input).
class RawClient {
 public:
  explicit RawClient(uint16_t port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    timeval tv{10, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  }
  ~RawClient() { close(fd_); }

  bool Startup() {
    std::string body = Be32(196608) + std::string("user") + '\0' + "postgres" + '\0' + '\0';
    SendRaw(Be32(static_cast<uint32_t>(body.size() + 4)) + body);
    while (true) {
      auto [type, b] = Read();
      if (type == 'Z') return true;
      if (type == 0 || type == 'E') return false;
    }
  }
  void Send(char type, const std::string& body) { SendRaw(Message(type, body)); }
  static std::string Message(char type, const std::string& body) {
    return std::string(1, type) + Be32(static_cast<uint32_t>(body.size() + 4)) + body;
  }
  void SendRaw(const std::string& bytes) {
    ASSERT_EQ(write(fd_, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  }
  // (type, body); type 0 at end of stream.
  std::pair<char, std::string> Read() {
    char header[5];
    if (!ReadN(header, 5)) return {0, ""};
    uint32_t len = (static_cast<uint8_t>(header[1]) << 24) |
                   (static_cast<uint8_t>(header[2]) << 16) |
                   (static_cast<uint8_t>(header[3]) << 8) | static_cast<uint8_t>(header[4]);
    std::string body(len - 4, '\0');
    if (!ReadN(body.data(), body.size())) return {0, ""};
    return {header[0], body};
  }
  // The types of the messages up to and including ReadyForQuery.
  std::string ReadUntilReady(std::vector<std::string>* bodies = nullptr) {
    std::string types;
    while (true) {
      auto [type, body] = Read();
      if (type == 0) return types + "<eof>";
      types.push_back(type);
      if (bodies) bodies->push_back(body);
      if (type == 'Z') return types;
    }
  }
  static std::string Be32(uint32_t v) {
    return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                       static_cast<char>(v >> 8), static_cast<char>(v)};
  }
  static std::string Be16(uint16_t v) {
    return std::string{static_cast<char>(v >> 8), static_cast<char>(v)};
  }
  bool connected() const { return connected_; }

 private:
  bool ReadN(char* p, size_t n) {
    while (n > 0) {
      ssize_t got = read(fd_, p, n);
      if (got <= 0) return false;
      p += got;
      n -= static_cast<size_t>(got);
    }
    return true;
  }
  int fd_;
  bool connected_ = false;
};

std::string Z(const std::string& s) { return s + '\0'; }

TEST_F(ServerTest, ExecuteWithMaxRowsSuspendsThePortal) {
  RawClient raw(server_->port());
  ASSERT_TRUE(raw.connected());
  ASSERT_TRUE(raw.Startup());
  raw.Send('P', Z("") + Z("series 5") + RawClient::Be16(0));
  raw.Send('B', Z("") + Z("") + RawClient::Be16(0) + RawClient::Be16(0) + RawClient::Be16(0));
  raw.Send('D', "P" + Z(""));
  raw.Send('E', Z("") + RawClient::Be32(2));
  raw.Send('E', Z("") + RawClient::Be32(2));
  raw.Send('E', Z("") + RawClient::Be32(2));
  raw.Send('S', "");
  std::vector<std::string> bodies;
  EXPECT_EQ(raw.ReadUntilReady(&bodies), "12TDDsDDsDCZ");
  EXPECT_EQ(bodies[bodies.size() - 2], Z("SELECT 1"));  // rows fetched by the last Execute
  EXPECT_EQ(bodies.back(), "I");
}

TEST_F(ServerTest, ExtendedErrorSkipsUntilSync) {
  RawClient raw(server_->port());
  ASSERT_TRUE(raw.Startup());
  raw.Send('P', Z("") + Z("syntaxerr") + RawClient::Be16(0));
  raw.Send('B', Z("") + Z("") + RawClient::Be16(0) + RawClient::Be16(0) + RawClient::Be16(0));
  raw.Send('E', Z("") + RawClient::Be32(0));
  raw.Send('S', "");
  raw.Send('Q', Z("select 1"));
  EXPECT_EQ(raw.ReadUntilReady(), "EZ");
  EXPECT_EQ(raw.ReadUntilReady(), "TDCZ");
}

TEST_F(ServerTest, CloseStatementAndPortal) {
  RawClient raw(server_->port());
  ASSERT_TRUE(raw.Startup());
  raw.Send('P', Z("st") + Z("series 3") + RawClient::Be16(0));
  raw.Send('B', Z("po") + Z("st") + RawClient::Be16(0) + RawClient::Be16(0) + RawClient::Be16(0));
  raw.Send('C', "S" + Z("st"));
  raw.Send('E', Z("po") + RawClient::Be32(0));  // the portal outlives its statement
  raw.Send('C', "P" + Z("po"));
  raw.Send('D', "S" + Z("st"));
  raw.Send('S', "");
  std::vector<std::string> bodies;
  EXPECT_EQ(raw.ReadUntilReady(&bodies), "123DDDC3EZ");
  EXPECT_NE(bodies[8].find("prepared statement \"st\" does not exist"), std::string::npos);
  raw.Send('E', Z("po") + RawClient::Be32(0));
  raw.Send('S', "");
  bodies.clear();
  EXPECT_EQ(raw.ReadUntilReady(&bodies), "EZ");
  EXPECT_NE(bodies[0].find(Z("34000")), std::string::npos);
  // Named portals and statements: duplicate names.
  raw.Send('P', Z("st") + Z("series 1") + RawClient::Be16(0));
  raw.Send('B', Z("po") + Z("st") + RawClient::Be16(0) + RawClient::Be16(0) + RawClient::Be16(0));
  raw.Send('B', Z("po") + Z("st") + RawClient::Be16(0) + RawClient::Be16(0) + RawClient::Be16(0));
  raw.Send('S', "");
  bodies.clear();
  EXPECT_EQ(raw.ReadUntilReady(&bodies), "12EZ");
  EXPECT_NE(bodies[2].find("cursor \"po\" already exists"), std::string::npos);
}

// Rows of a ResultStream: pulled only as far as Execute asks (PortalSuspended after each
// piece, also after one that ends at the last row, as PostgreSQL does), resumed by the next
// Execute, and dropped at the end of the implicit transaction.
TEST_F(ServerTest, StreamedRowsHonourExecuteLimits) {
  RawClient raw(server_->port());
  ASSERT_TRUE(raw.Startup());
  raw.Send('P', Z("") + Z("stream 100000") + RawClient::Be16(0));
  raw.Send('B', Z("po") + Z("") + RawClient::Be16(0) + RawClient::Be16(0) + RawClient::Be16(0));
  raw.Send('E', Z("po") + RawClient::Be32(2));
  raw.Send('E', Z("po") + RawClient::Be32(4));
  raw.Send('H', "");
  std::vector<std::string> bodies;
  std::string types;
  for (int i = 0; i < 10; ++i) {
    auto [type, body] = raw.Read();
    types.push_back(type);
    bodies.push_back(body);
  }
  EXPECT_EQ(types, "12DDsDDDDs");
  EXPECT_EQ(bodies[8], RawClient::Be16(1) + RawClient::Be32(1) + "6");
  // Only what was asked for was made (the stream makes 3 rows at a time).
  EXPECT_EQ(engine_.shared.streamed.load(), 6);
  raw.Send('S', "");
  EXPECT_EQ(raw.ReadUntilReady(), "Z");
  raw.Send('E', Z("po") + RawClient::Be32(2));
  raw.Send('S', "");
  bodies.clear();
  EXPECT_EQ(raw.ReadUntilReady(&bodies), "EZ");
  EXPECT_NE(bodies[0].find(Z("34000")), std::string::npos);
  // A piece that ends at the last row: suspended, then "SELECT 0".
  raw.Send('P', Z("") + Z("stream 4") + RawClient::Be16(0));
  raw.Send('B', Z("") + Z("") + RawClient::Be16(0) + RawClient::Be16(0) + RawClient::Be16(0));
  raw.Send('E', Z("") + RawClient::Be32(4));
  raw.Send('E', Z("") + RawClient::Be32(4));
  raw.Send('E', Z("") + RawClient::Be32(4));
  raw.Send('S', "");
  bodies.clear();
  EXPECT_EQ(raw.ReadUntilReady(&bodies), "12DDDDsCCZ");
  EXPECT_EQ(bodies[7], Z("SELECT 0"));
  EXPECT_EQ(bodies[8], Z("SELECT 0"));
  // The same for rows run to completion first.
  raw.Send('P', Z("") + Z("series 4") + RawClient::Be16(0));
  raw.Send('B', Z("") + Z("") + RawClient::Be16(0) + RawClient::Be16(0) + RawClient::Be16(0));
  raw.Send('E', Z("") + RawClient::Be32(2));
  raw.Send('E', Z("") + RawClient::Be32(2));
  raw.Send('E', Z("") + RawClient::Be32(2));
  raw.Send('S', "");
  bodies.clear();
  EXPECT_EQ(raw.ReadUntilReady(&bodies), "12DDsDDsCZ");
  EXPECT_EQ(bodies[8], Z("SELECT 0"));
}

TEST_F(ServerTest, MessagesOfOneWriteRunInOrder) {
  RawClient raw(server_->port());
  ASSERT_TRUE(raw.Startup());
  // One write: a stream past 64 KB (its rest goes out from the io thread) with messages behind
  // it, an error that skips to Sync, a simple Query.
  using C = RawClient;
  std::string bind = C::Message('B', Z("") + Z("") + C::Be16(0) + C::Be16(0) + C::Be16(0));
  raw.SendRaw(C::Message('P', Z("") + Z("stream 30000") + C::Be16(0)) + bind +
              C::Message('E', Z("") + C::Be32(0)) + C::Message('S', "") +
              C::Message('P', Z("") + Z("syntaxerr") + C::Be16(0)) + bind +
              C::Message('E', Z("") + C::Be32(0)) + C::Message('S', "") +
              C::Message('Q', Z("series 2")));
  std::vector<std::string> bodies;
  EXPECT_EQ(raw.ReadUntilReady(&bodies), "12" + std::string(30000, 'D') + "CZ");
  EXPECT_EQ(bodies[bodies.size() - 2], Z("SELECT 30000"));
  EXPECT_EQ(raw.ReadUntilReady(), "EZ");
  EXPECT_EQ(raw.ReadUntilReady(), "TDDCZ");
}

TEST_F(ServerTest, StreamedPortalsLiveUntilTheBlockEnds) {
  RawClient raw(server_->port());
  ASSERT_TRUE(raw.Startup());
  raw.Send('Q', Z("begin"));
  EXPECT_EQ(raw.ReadUntilReady(), "CZ");
  raw.Send('P', Z("") + Z("stream 10") + RawClient::Be16(0));
  raw.Send('B', Z("c") + Z("") + RawClient::Be16(0) + RawClient::Be16(0) + RawClient::Be16(0));
  raw.Send('E', Z("c") + RawClient::Be32(2));
  raw.Send('S', "");
  EXPECT_EQ(raw.ReadUntilReady(), "12DDsZ");
  raw.Send('E', Z("c") + RawClient::Be32(0));
  raw.Send('S', "");
  std::vector<std::string> bodies;
  EXPECT_EQ(raw.ReadUntilReady(&bodies), "DDDDDDDDCZ");
  EXPECT_EQ(bodies[8], Z("SELECT 8"));
  raw.Send('B', Z("d") + Z("") + RawClient::Be16(0) + RawClient::Be16(0) + RawClient::Be16(0));
  raw.Send('E', Z("d") + RawClient::Be32(1));
  raw.Send('S', "");
  EXPECT_EQ(raw.ReadUntilReady(), "2DsZ");
  raw.Send('Q', Z("commit"));
  EXPECT_EQ(raw.ReadUntilReady(), "CZ");
  raw.Send('E', Z("d") + RawClient::Be32(1));
  raw.Send('S', "");
  bodies.clear();
  EXPECT_EQ(raw.ReadUntilReady(&bodies), "EZ");
  EXPECT_NE(bodies[0].find(Z("34000")), std::string::npos);
}

// An error while rows stream comes after the rows before it; a simple query streams all rows.
TEST_F(ServerTest, StreamedRowsThenError) {
  PGconn* c = Connect();
  PGresult* all = Keep(PQexec(c, "stream 2000"));
  ASSERT_EQ(PQresultStatus(all), PGRES_TUPLES_OK);
  ASSERT_EQ(PQntuples(all), 2000);
  EXPECT_STREQ(PQgetvalue(all, 1999, 0), "2000");
  EXPECT_STREQ(PQcmdTuples(all), "2000");
  RawClient raw(server_->port());
  ASSERT_TRUE(raw.Startup());
  raw.Send('Q', Z("stream 10 fail 7"));
  std::vector<std::string> bodies;
  EXPECT_EQ(raw.ReadUntilReady(&bodies), "TDDDDDDDEZ");
  EXPECT_NE(bodies[8].find(Z("22012")), std::string::npos);
  raw.Send('P', Z("") + Z("stream 10 fail 7") + RawClient::Be16(0));
  raw.Send('B', Z("") + Z("") + RawClient::Be16(0) + RawClient::Be16(0) + RawClient::Be16(0));
  raw.Send('E', Z("") + RawClient::Be32(5));
  raw.Send('E', Z("") + RawClient::Be32(5));
  raw.Send('E', Z("") + RawClient::Be32(5));  // skipped: after an error, up to Sync
  raw.Send('S', "");
  EXPECT_EQ(raw.ReadUntilReady(), "12DDDDDsDDEZ");
}

TEST_F(ServerTest, OversizedMessageIsFatal) {
  RawClient raw(server_->port());
  ASSERT_TRUE(raw.Startup());
  raw.SendRaw(std::string("Q") + RawClient::Be32((1u << 30) + 100));
  auto [type, body] = raw.Read();
  EXPECT_EQ(type, 'E');
  EXPECT_NE(body.find(Z("FATAL")), std::string::npos);
  EXPECT_NE(body.find(Z("08P01")), std::string::npos);
  EXPECT_EQ(raw.Read().first, 0);  // closed
}

TEST_F(ServerTest, UnknownMessageTypeAndMalformedBodyAreFatal) {
  {
    RawClient raw(server_->port());
    ASSERT_TRUE(raw.Startup());
    raw.Send('z', "");
    auto [type, body] = raw.Read();
    EXPECT_EQ(type, 'E');
    EXPECT_NE(body.find("invalid frontend message type 122"), std::string::npos);
    EXPECT_EQ(raw.Read().first, 0);
  }
  {
    RawClient raw(server_->port());
    ASSERT_TRUE(raw.Startup());
    raw.Send('Q', "no terminator");
    auto [type, body] = raw.Read();
    EXPECT_EQ(type, 'E');
    EXPECT_NE(body.find(Z("08P01")), std::string::npos);
    EXPECT_EQ(raw.Read().first, 0);
  }
  {
    RawClient raw(server_->port());
    raw.SendRaw(RawClient::Be32(4));  // start-up packet too short
    auto [type, body] = raw.Read();
    EXPECT_EQ(type, 'E');
    EXPECT_NE(body.find("invalid length of startup packet"), std::string::npos);
  }
  // The server is fine afterwards.
  PGconn* c = Connect();
  Exec(c, "select 1", PGRES_TUPLES_OK);
}

TEST_F(ServerTest, CopyFromStdin) {
  PGconn* c = Connect();
  Exec(c, "copy in", PGRES_COPY_IN);
  ASSERT_EQ(PQputCopyData(c, "a\tb\n", 4), 1);
  ASSERT_EQ(PQputCopyData(c, "c\t", 2), 1);  // a line split over two messages
  ASSERT_EQ(PQputCopyData(c, "d\n", 2), 1);
  ASSERT_EQ(PQputCopyEnd(c, nullptr), 1);
  PGresult* done = Keep(PQgetResult(c));
  ASSERT_EQ(PQresultStatus(done), PGRES_COMMAND_OK) << PQresultErrorMessage(done);
  EXPECT_STREQ(PQcmdStatus(done), "COPY 2");
  EXPECT_EQ(PQgetResult(c), nullptr);
  PGresult* rows = Exec(c, "copied", PGRES_TUPLES_OK);
  ASSERT_EQ(PQntuples(rows), 2);
  EXPECT_STREQ(PQgetvalue(rows, 1, 0), "c\td");

  Exec(c, "copy in", PGRES_COPY_IN);
  ASSERT_EQ(PQputCopyData(c, "x\n", 2), 1);
  ASSERT_EQ(PQputCopyEnd(c, "client gave up"), 1);
  PGresult* failed = Keep(PQgetResult(c));
  EXPECT_EQ(SqlState(failed), "57014");
  EXPECT_STREQ(PQresultErrorField(failed, PG_DIAG_MESSAGE_PRIMARY),
               "COPY from stdin failed: client gave up");
  EXPECT_EQ(PQgetResult(c), nullptr);
  Exec(c, "select 1", PGRES_TUPLES_OK);
}

TEST_F(ServerTest, CopyToStdout) {
  PGconn* c = Connect();
  Exec(c, "copy out", PGRES_COPY_OUT);
  std::string data;
  char* buf = nullptr;
  int n;
  while ((n = PQgetCopyData(c, &buf, 0)) > 0) {
    data.append(buf, static_cast<size_t>(n));
    PQfreemem(buf);
  }
  EXPECT_EQ(n, -1);
  EXPECT_EQ(data, "1\ta\n2\tb\n");
  PGresult* done = Keep(PQgetResult(c));
  EXPECT_STREQ(PQcmdStatus(done), "COPY 2");
}

TEST_F(ServerTest, CancelRequest) {
  PGconn* c = Connect();
  PGresult* result = nullptr;
  std::thread runner([&] { result = PQexec(c, "sleep"); });
  while (engine_.shared.sleeping.load() == 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  PGcancel* cancel = PQgetCancel(c);
  char err[256];
  EXPECT_EQ(PQcancel(cancel, err, sizeof(err)), 1) << err;
  PQfreeCancel(cancel);
  runner.join();
  Keep(result);
  EXPECT_EQ(SqlState(result), "57014");
  Exec(c, "select 1", PGRES_TUPLES_OK);
}

TEST_F(ServerTest, CancelWithWrongSecretIsIgnored) {
  PGconn* c = Connect();
  RawClient raw(server_->port());
  raw.SendRaw(RawClient::Be32(16) + RawClient::Be32(80877102) +
              RawClient::Be32(static_cast<uint32_t>(PQbackendPID(c))) + RawClient::Be32(12345));
  EXPECT_EQ(raw.Read().first, 0);  // closed without a reply
  Exec(c, "select 1", PGRES_TUPLES_OK);
}

TEST_F(ServerTest, StatementsDoNotBlockTheIoThread) {
  server_->Stop();
  StartServer(1);  // a single io thread serves both connections
  PGconn* sleeper = Connect();
  PGconn* other = Connect();
  ASSERT_EQ(PQsendQuery(sleeper, "sleep"), 1);
  while (engine_.shared.sleeping.load() == 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  auto start = std::chrono::steady_clock::now();
  PGresult* r = Exec(other, "series 2", PGRES_TUPLES_OK);
  EXPECT_EQ(PQntuples(r), 2);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  PGcancel* cancel = PQgetCancel(sleeper);
  char err[256];
  PQcancel(cancel, err, sizeof(err));
  PQfreeCancel(cancel);
  PGresult* s = Keep(PQgetResult(sleeper));
  EXPECT_EQ(SqlState(s), "57014");
  Keep(PQgetResult(sleeper));
}

TEST_F(ServerTest, ManyConcurrentSessions) {
  constexpr int kClients = 12;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kClients; ++t) {
    threads.emplace_back([&, t] {
      PGconn* c = PQconnectdb(ConnInfo().c_str());
      bool good = PQstatus(c) == CONNECTION_OK;
      for (int i = 0; i < 20 && good; ++i) {
        std::string sql = "select " + std::to_string(t * 100 + i);
        PGresult* r = PQexec(c, sql.c_str());
        good = PQresultStatus(r) == PGRES_TUPLES_OK &&
               std::string(PQgetvalue(r, 0, 0)) == std::to_string(t * 100 + i);
        PQclear(r);
      }
      PQfinish(c);
      if (good) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), kClients);
}

TEST_F(ServerTest, GracefulStopTerminatesSessions) {
  PGconn* idle = Connect();
  PGconn* busy = Connect();
  ASSERT_EQ(PQsendQuery(busy, "sleep"), 1);
  while (engine_.shared.sleeping.load() == 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  auto start = std::chrono::steady_clock::now();
  server_->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(engine_.shared.sessions.load(), 0);  // no session outlives Stop()
  EXPECT_EQ(server_->connection_count(), 0u);

  PGresult* r = Keep(PQgetResult(busy));
  EXPECT_EQ(SqlState(r), "57P01");
  EXPECT_STREQ(PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY),
               "terminating connection due to administrator command");
  PGresult* after = Keep(PQexec(idle, "select 1"));
  EXPECT_NE(PQresultStatus(after), PGRES_TUPLES_OK);
  EXPECT_NE(std::string(PQerrorMessage(idle)).find("terminating connection"), std::string::npos)
      << PQerrorMessage(idle);
  // New connections are refused.
  PGconn* late = PQconnectdb(ConnInfo().c_str());
  conns_.push_back(late);
  EXPECT_EQ(PQstatus(late), CONNECTION_BAD);
}

}  // namespace
}  // namespace activestore::frontend
