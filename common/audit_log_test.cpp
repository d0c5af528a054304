#include "common/audit_log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

namespace activestore {
namespace {

std::vector<std::string> Lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST(AuditLogTest, FormatIsOneJsonLine) {
  AuditEvent e;
  e.kind = "ddl";
  e.role = "alice";
  e.session_user = "alice";
  e.client_address = "127.0.0.1:5000";
  e.database = "db";
  e.statement = "CREATE TABLE \"q\"\n(a int)";
  e.sqlstate = "42P07";
  e.message = "relation \"q\" already exists";
  std::string line = AuditLog::Format(e, "2026-12-06T03:00:00.000000Z");
  ASSERT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);  // the statement's newline is escaped
  auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j["ts"], "2026-12-06T03:00:00.000000Z");
  EXPECT_EQ(j["outcome"], "error");
  EXPECT_EQ(j["statement"], "CREATE TABLE \"q\"\n(a int)");
  EXPECT_EQ(j["message"], "relation \"q\" already exists");
  e.sqlstate = "00000";
  e.message.clear();
  auto ok = nlohmann::json::parse(AuditLog::Format(e, "t"));
  EXPECT_EQ(ok["outcome"], "ok");
  EXPECT_FALSE(ok.contains("message"));
}

TEST(AuditLogTest, AppendsAndRotatesBySize) {
  const std::string dir = ::testing::TempDir() + "audit_log_test_" + std::to_string(::getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/audit.log";
  { std::ofstream(path) << "{\"earlier\":true}\n"; }  // kept: the log only appends
  auto log = AuditLog::Open(path, 2000);
  ASSERT_TRUE(log.ok()) << log.error().message();
  AuditEvent e;
  e.kind = "ddl";
  e.sqlstate = "00000";
  e.statement = std::string(300, 's');
  for (int i = 0; i < 20; i++) (*log)->Write(e);
  int files = 0, lines = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    files++;
    EXPECT_LE(std::filesystem::file_size(entry.path()), 2000u) << entry.path();
    lines += static_cast<int>(Lines(entry.path().string()).size());
  }
  EXPECT_GE(files, 4);
  EXPECT_EQ(lines, 21);
  EXPECT_EQ(Lines(path).size() > 0, true);
  EXPECT_FALSE(AuditLog::Open(dir + "/missing/audit.log", 100).ok());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace activestore
