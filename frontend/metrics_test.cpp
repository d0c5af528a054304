// The HTTP side port end to end: the real engine (WiredTiger on a temporary directory, log sync
// on) behind the server, statements through libpq, then /metrics and /health over a raw socket.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include "frontend/server.h"

namespace activestore::frontend {
namespace {

// The whole answer (status line, headers, body) to one HTTP request sent to 127.0.0.1:port.
std::string HttpRequest(uint16_t port, const std::string& request) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return "connect failed";
  }
  ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof(buf), 0)) > 0) out.append(buf, static_cast<size_t>(n));
  ::close(fd);
  return out;
}

std::string Get(uint16_t port, const std::string& path) {
  return HttpRequest(port, "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
}

std::string Body(const std::string& response) {
  size_t p = response.find("\r\n\r\n");
  return p == std::string::npos ? "" : response.substr(p + 4);
}

// The samples of a Prometheus text page: "name{labels}" -> value.
std::map<std::string, double> Samples(const std::string& text) {
  std::map<std::string, double> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t sp = line.rfind(' ');
    out[line.substr(0, sp)] = std::stod(line.substr(sp + 1));
  }
  return out;
}

class MetricsEndpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::temp_directory_path() / ("as_metrics_test_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    executor::EngineOptions opts;
    opts.storage.data_dir = dir_.string();
    opts.storage.cache_size_mb = 64;
    opts.storage.log_file_max_mb = 1;
    opts.storage.log_prealloc = false;
    opts.storage.sync_mode = "fsync";
    opts.shard_count = 2;
    auto opened = executor::NodeEngine::Open(opts);
    ASSERT_TRUE(opened.ok()) << opened.error().message();
    engine_ = std::move(opened).value();
    ServerOptions options;
    options.listen = "127.0.0.1";
    options.port = 0;
    options.io_threads = 1;
    options.worker_threads = 4;
    options.http_port = 0;
    server_ = std::make_unique<Server>(engine_.get(), options);
    Status s = server_->Start();
    ASSERT_TRUE(s.ok()) << s.error().message();
    ASSERT_NE(server_->http_port(), 0);
    ASSERT_NE(server_->http_port(), server_->port());
  }
  void TearDown() override {
    if (server_) server_->Stop();
    server_.reset();
    if (engine_) engine_->Shutdown();
    engine_.reset();
    std::filesystem::remove_all(dir_);
  }

  PGconn* Connect() {
    std::string info = "host=127.0.0.1 port=" + std::to_string(server_->port()) +
                       " user=postgres dbname=postgres sslmode=disable connect_timeout=10";
    PGconn* c = PQconnectdb(info.c_str());
    EXPECT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
    return c;
  }
  static void Exec(PGconn* c, const char* sql, ExecStatusType status) {
    PGresult* r = PQexec(c, sql);
    EXPECT_EQ(PQresultStatus(r), status) << sql << ": " << PQresultErrorMessage(r);
    PQclear(r);
  }
  std::map<std::string, double> Scrape() {
    std::string response = Get(server_->http_port(), "/metrics");
    EXPECT_TRUE(response.starts_with("HTTP/1.1 200 OK\r\n")) << response;
    EXPECT_NE(response.find("Content-Type: text/plain; version=0.0.4"), std::string::npos);
    return Samples(Body(response));
  }

  std::filesystem::path dir_;
  std::unique_ptr<executor::NodeEngine> engine_;
  std::unique_ptr<Server> server_;
};

TEST_F(MetricsEndpointTest, CountersMoveWithStatements) {
  // The counters are process-wide: compare before and after.
  std::map<std::string, double> before = Scrape();
  PGconn* c = Connect();
  Exec(c, "CREATE TABLE m (id int PRIMARY KEY, v text)", PGRES_COMMAND_OK);
  Exec(c, "INSERT INTO m VALUES (1, 'a'), (2, 'b')", PGRES_COMMAND_OK);
  Exec(c, "INSERT INTO m VALUES (3, 'c')", PGRES_COMMAND_OK);
  for (int i = 0; i < 3; ++i) Exec(c, "SELECT v FROM m WHERE id = 2", PGRES_TUPLES_OK);
  Exec(c, "BEGIN", PGRES_COMMAND_OK);
  Exec(c, "UPDATE m SET v = 'z' WHERE id = 1", PGRES_COMMAND_OK);
  Exec(c, "ROLLBACK", PGRES_COMMAND_OK);
  Exec(c, "SELECT 1/0", PGRES_FATAL_ERROR);
  std::map<std::string, double> after = Scrape();

  auto moved = [&](const std::string& name) { return after[name] - before[name]; };
  EXPECT_EQ(moved("activestore_statements_total{command=\"SELECT\"}"), 3);
  EXPECT_EQ(moved("activestore_statements_total{command=\"INSERT\"}"), 2);
  EXPECT_EQ(moved("activestore_statements_total{command=\"CREATE TABLE\"}"), 1);
  EXPECT_EQ(moved("activestore_statements_total{command=\"UPDATE\"}"), 1);
  EXPECT_EQ(moved("activestore_statements_total{command=\"ROLLBACK\"}"), 1);
  EXPECT_EQ(moved("activestore_statement_errors_total"), 1);
  // 3 SELECT + 2 INSERT + CREATE + BEGIN + UPDATE + ROLLBACK + the failed SELECT.
  EXPECT_EQ(moved("activestore_statement_duration_seconds_count"), 10);
  EXPECT_EQ(moved("activestore_statement_duration_seconds_bucket{le=\"+Inf\"}"), 10);
  EXPECT_GT(moved("activestore_statement_duration_seconds_sum"), 0);
  // Each statement outside the block commits on its own; the block and the failed SELECT roll
  // back.
  EXPECT_GE(moved("activestore_commits_total"), 6);
  EXPECT_GE(moved("activestore_rollbacks_total"), 2);
  EXPECT_GT(moved("activestore_log_syncs_total"), 0);  // sync_mode fsync: commits sync the log
  EXPECT_GT(after["activestore_cache_bytes"], 0);
  EXPECT_EQ(after["activestore_cache_max_bytes"], 64.0 * 1024 * 1024);
  EXPECT_GT(moved("activestore_cache_hits_total"), 0);
  EXPECT_EQ(after["activestore_connections"], 1);
  EXPECT_EQ(moved("activestore_connections_total"), 1);
  EXPECT_GT(after["process_resident_memory_bytes"], 1e6);
  EXPECT_TRUE(after.contains("activestore_cache_evictions_total{page=\"clean\"}"));
  PQfinish(c);
}

TEST_F(MetricsEndpointTest, MetricsPageIsWellFormed) {
  std::string body = Body(Get(server_->http_port(), "/metrics"));
  // Every sample belongs to a family announced by # HELP and # TYPE lines.
  std::regex sample(R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-z]+="[^"]*"\})? [0-9.e+-]+$)");
  std::istringstream in(body);
  std::string line, family;
  int samples = 0;
  while (std::getline(in, line)) {
    if (line.starts_with("# HELP ")) {
      family = line.substr(7, line.find(' ', 7) - 7);
      continue;
    }
    if (line.starts_with("# TYPE ")) {
      EXPECT_TRUE(line.starts_with("# TYPE " + family + " ")) << line;
      continue;
    }
    std::smatch m;
    ASSERT_TRUE(std::regex_match(line, m, sample)) << line;
    EXPECT_TRUE(m[1].str().starts_with(family)) << line;
    ++samples;
  }
  EXPECT_GT(samples, 30);
}

TEST_F(MetricsEndpointTest, Health) {
  std::string r = Get(server_->http_port(), "/health");
  EXPECT_TRUE(r.starts_with("HTTP/1.1 200 OK\r\n")) << r;
  EXPECT_EQ(Body(r), "ok\n");
  // HEAD: the same status and length, no body.
  r = HttpRequest(server_->http_port(), "HEAD /health HTTP/1.1\r\n\r\n");
  EXPECT_TRUE(r.starts_with("HTTP/1.1 200 OK\r\n")) << r;
  EXPECT_NE(r.find("Content-Length: 3\r\n"), std::string::npos) << r;
  EXPECT_EQ(Body(r), "");
}

TEST_F(MetricsEndpointTest, OtherRequests) {
  EXPECT_TRUE(Get(server_->http_port(), "/nothing").starts_with("HTTP/1.1 404 Not Found\r\n"));
  EXPECT_TRUE(Get(server_->http_port(), "/health?verbose=1").starts_with("HTTP/1.1 200 OK\r\n"));
  std::string r = HttpRequest(server_->http_port(), "POST /metrics HTTP/1.1\r\n\r\n");
  EXPECT_TRUE(r.starts_with("HTTP/1.1 405 Method Not Allowed\r\n")) << r;
  EXPECT_NE(r.find("Allow: GET, HEAD\r\n"), std::string::npos);
  EXPECT_TRUE(HttpRequest(server_->http_port(), "hello\r\n\r\n").starts_with("HTTP/1.1 400 "));
  // A head larger than 8 KiB is refused rather than buffered.
  r = HttpRequest(server_->http_port(),
                  "GET /metrics HTTP/1.1\r\nX-Big: " + std::string(10000, 'x') + "\r\n\r\n");
  EXPECT_TRUE(r.starts_with("HTTP/1.1 400 ")) << r.substr(0, 100);
  // The PostgreSQL port still works.
  PGconn* c = Connect();
  Exec(c, "SELECT 1", PGRES_TUPLES_OK);
  PQfinish(c);
}

TEST(MetricsEndpointStartTest, PortInUseFailsStart) {
  executor::EngineOptions opts;
  opts.storage.engine = "memory";
  opts.storage.data_dir = "/tmp/as-metrics-test-unused";
  auto engine = executor::NodeEngine::Open(opts);
  ASSERT_TRUE(engine.ok());
  ServerOptions options;
  options.port = 0;
  options.io_threads = 1;
  options.worker_threads = 2;
  options.http_port = 0;
  Server first(engine->get(), options);
  ASSERT_TRUE(first.Start().ok());
  options.http_port = first.http_port();
  Server second(engine->get(), options);
  Status s = second.Start();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().state(), SqlState::kIoError);
  EXPECT_NE(s.error().message().find("for HTTP"), std::string::npos) << s.error().message();
  first.Stop();
  (*engine)->Shutdown();
}

}  // namespace
}  // namespace activestore::frontend
