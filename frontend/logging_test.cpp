#include "frontend/logging.h"

#include <gtest/gtest.h>
#include <spdlog/details/log_msg.h>

#include <nlohmann/json.hpp>

namespace activestore::frontend {
namespace {

std::string FormatJson(std::string_view payload, spdlog::level::level_enum level) {
  spdlog::details::log_msg msg("activestore", level,
                               spdlog::string_view_t(payload.data(), payload.size()));
  spdlog::memory_buf_t buf;
  JsonLogFormatter().format(msg, buf);
  return std::string(buf.data(), buf.size());
}

TEST(JsonLogFormatterTest, OneObjectPerLine) {
  std::string line = FormatJson("server \"ready\"\n\ttab \\ back", spdlog::level::info);
  ASSERT_FALSE(line.empty());
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);  // escaped, so a single line
  auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j["level"], "info");
  EXPECT_EQ(j["msg"], "server \"ready\"\n\ttab \\ back");
  std::string ts = j["ts"];
  ASSERT_EQ(ts.size(), 24u);  // 2024-01-02T03:04:05.678Z
  EXPECT_EQ(ts[10], 'T');
  EXPECT_EQ(ts.back(), 'Z');
  // Field order: ts, level, msg.
  EXPECT_LT(line.find("\"ts\""), line.find("\"level\""));
  EXPECT_LT(line.find("\"level\""), line.find("\"msg\""));
}

TEST(JsonLogFormatterTest, ControlCharactersAndBadUtf8) {
  std::string line = FormatJson(std::string("a\x01z\xff", 4), spdlog::level::warn);
  EXPECT_NE(line.find("\\u0001"), std::string::npos) << line;
  auto j = nlohmann::json::parse(line);  // valid JSON despite the invalid UTF-8 byte
  EXPECT_EQ(j["level"], "warning");
}

TEST(LoggingTest, RejectsUnknownSettings) {
  EXPECT_FALSE(SetUpLogging("xml", "info").ok());
  EXPECT_FALSE(SetUpLogging("text", "loud").ok());
  EXPECT_TRUE(SetUpLogging("json", "off").ok());
  EXPECT_TRUE(SetUpLogging("text", "warn").ok());
}

}  // namespace
}  // namespace activestore::frontend
