#include "frontend/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>

namespace activestore::frontend {
namespace {

EnvLookup FakeEnv(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "activestore_config_test_" + std::to_string(getpid()) + ".toml";
  }
  void TearDown() override { std::remove(path_.c_str()); }
  void WriteFile(const std::string& text) { std::ofstream(path_) << text; }
  std::string path_;
};

TEST_F(ConfigTest, Defaults) {
  ConfigOutcome o = LoadConfig({"activestore"}, FakeEnv({}));
  ASSERT_TRUE(o.config.has_value()) << o.message;
  EXPECT_EQ(o.config->data_dir, "./data");
  EXPECT_EQ(o.config->listen, "127.0.0.1");
  EXPECT_EQ(o.config->port, 5432);
  EXPECT_EQ(o.config->log_format, "text");
  EXPECT_EQ(o.config->log_level, "info");
  EXPECT_EQ(o.config->cache_size_mb, 512u);
  EXPECT_EQ(o.config->sync_mode, "fsync");
  EXPECT_EQ(o.config->shards, 8u);
  EXPECT_EQ(o.config->engine, "wiredtiger");
  EXPECT_EQ(o.config->http_port, 0);
}

TEST_F(ConfigTest, TlsAndHbaSettings) {
  ConfigOutcome d = LoadConfig({"activestore"}, FakeEnv({}));
  ASSERT_TRUE(d.config.has_value()) << d.message;
  EXPECT_FALSE(d.config->ssl);
  EXPECT_EQ(d.config->ssl_cert_file, "server.crt");
  EXPECT_EQ(d.config->ssl_min_protocol_version, "TLSv1.2");
  EXPECT_TRUE(d.config->hba_file.empty());

  WriteFile("ssl = true\nssl_ca_file = \"root.crt\"\nhba_file = \"pg_hba.conf\"\n");
  ConfigOutcome o = LoadConfig({"activestore", "--config", path_, "--data-dir", "/d",
                                "--ssl-min-protocol-version", "TLSv1.3"},
                               FakeEnv({}));
  ASSERT_TRUE(o.config.has_value()) << o.message;
  SecuritySettings s = o.config->ToSecuritySettings();
  EXPECT_TRUE(s.tls.enabled);
  EXPECT_EQ(s.tls.ca_file, "root.crt");
  EXPECT_EQ(s.tls.min_protocol, "TLSv1.3");
  EXPECT_EQ(s.hba_file, "pg_hba.conf");
  EXPECT_EQ(ResolveDataPath(s.hba_file, s.data_dir), "/d/pg_hba.conf");
  EXPECT_EQ(ResolveDataPath("/etc/x.crt", s.data_dir), "/etc/x.crt");
  EXPECT_TRUE(o.config->ToEngineOptions().ssl);

  ConfigOutcome off =
      LoadConfig({"activestore", "--ssl", "off"}, FakeEnv({{"ACTIVESTORE_SSL", "on"}}));
  ASSERT_TRUE(off.config.has_value()) << off.message;
  EXPECT_FALSE(off.config->ssl);
  ConfigOutcome bad = LoadConfig({"activestore", "--ssl", "maybe"}, FakeEnv({}));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.message.find("invalid value \"maybe\" for ssl"), std::string::npos) << bad.message;
  ConfigOutcome version =
      LoadConfig({"activestore", "--ssl-min-protocol-version", "SSLv3"}, FakeEnv({}));
  EXPECT_EQ(version.exit_code, 2);
}

TEST_F(ConfigTest, FileThenEnvThenFlags) {
  WriteFile(
      "port = 6000\ndata_dir = \"/from/file\"\nshards = 4\nlog_level = \"debug\"\n"
      "sync_mode = \"periodic\"\n");
  ConfigOutcome o =
      LoadConfig({"activestore", "--config", path_, "--port", "7000"},
                 FakeEnv({{"ACTIVESTORE_PORT", "6500"}, {"ACTIVESTORE_DATA_DIR", "/from/env"}}));
  ASSERT_TRUE(o.config.has_value()) << o.message;
  EXPECT_EQ(o.config->port, 7000);             // flag beats env and file
  EXPECT_EQ(o.config->data_dir, "/from/env");  // env beats file
  EXPECT_EQ(o.config->shards, 4u);             // file beats default
  EXPECT_EQ(o.config->log_level, "debug");
  EXPECT_EQ(o.config->listen, "127.0.0.1");  // default

  executor::EngineOptions e = o.config->ToEngineOptions();
  EXPECT_EQ(e.storage.data_dir, "/from/env");
  EXPECT_EQ(e.storage.sync_mode, "periodic");
  EXPECT_EQ(e.shard_count, 4u);
  EXPECT_EQ(e.storage.cache_size_mb, 512u);
}

TEST_F(ConfigTest, AllFlags) {
  ConfigOutcome o = LoadConfig({"activestore", "--data-dir", "d", "--listen", "0.0.0.0",
                                "--log-format", "json", "--log-level", "warn", "--cache-size-mb",
                                "64", "--sync-mode", "off", "--shards", "2", "--engine", "memory"},
                               FakeEnv({}));
  ASSERT_TRUE(o.config.has_value()) << o.message;
  EXPECT_EQ(o.config->data_dir, "d");
  EXPECT_EQ(o.config->listen, "0.0.0.0");
  EXPECT_EQ(o.config->log_format, "json");
  EXPECT_EQ(o.config->log_level, "warn");
  EXPECT_EQ(o.config->cache_size_mb, 64u);
  EXPECT_EQ(o.config->sync_mode, "off");
  EXPECT_EQ(o.config->shards, 2u);
  EXPECT_EQ(o.config->engine, "memory");
}

TEST_F(ConfigTest, UnknownFileKeyIsAnError) {
  WriteFile("port = 6000\ncolour = \"blue\"\n");
  ConfigOutcome o = LoadConfig({"activestore", "--config", path_}, FakeEnv({}));
  EXPECT_FALSE(o.config.has_value());
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.message.find("unknown configuration key \"colour\""), std::string::npos) << o.message;
}

TEST_F(ConfigTest, InvalidValuesExitWithTwo) {
  auto bad = [](std::vector<std::string> args, std::map<std::string, std::string> env) {
    args.insert(args.begin(), "activestore");
    return LoadConfig(args, FakeEnv(std::move(env)));
  };
  ConfigOutcome o = bad({"--port", "99999"}, {});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_FALSE(o.config.has_value());
  EXPECT_NE(o.message.find("port"), std::string::npos);
  EXPECT_EQ(bad({"--sync-mode", "sometimes"}, {}).exit_code, 2);
  EXPECT_EQ(bad({"--engine", "rocksdb"}, {}).exit_code, 2);
  EXPECT_EQ(bad({"--shards", "0"}, {}).exit_code, 2);
  EXPECT_EQ(bad({"--no-such-flag"}, {}).exit_code, 2);
  ConfigOutcome env = bad({}, {{"ACTIVESTORE_LOG_FORMAT", "xml"}});
  EXPECT_EQ(env.exit_code, 2);
  EXPECT_NE(env.message.find("ACTIVESTORE_LOG_FORMAT"), std::string::npos) << env.message;
  WriteFile("port = \"5432\"\n");
  EXPECT_EQ(bad({"--config", path_}, {}).exit_code, 2);  // wrong type in the file
  WriteFile("port = [\n");
  EXPECT_EQ(bad({"--config", path_}, {}).exit_code, 2);  // not TOML
  EXPECT_EQ(bad({"--config", path_ + ".missing"}, {}).exit_code, 2);
}

TEST_F(ConfigTest, VersionAndHelp) {
  ConfigOutcome v = LoadConfig({"activestore", "--version"}, FakeEnv({}));
  EXPECT_FALSE(v.config.has_value());
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_EQ(v.message, "activestore 0.1.0 (PostgreSQL 15 wire protocol)");
  ConfigOutcome h = LoadConfig({"activestore", "--help"}, FakeEnv({}));
  EXPECT_FALSE(h.config.has_value());
  EXPECT_EQ(h.exit_code, 0);
  EXPECT_NE(h.message.find("--data-dir"), std::string::npos);
}

TEST_F(ConfigTest, EncryptionAndAuditSettings) {
  ConfigOutcome d = LoadConfig({"activestore"}, FakeEnv({}));
  ASSERT_TRUE(d.config.has_value()) << d.message;
  EXPECT_EQ(d.config->ToEngineOptions().storage.encryption.algorithm, "none");
  EXPECT_EQ(d.config->audit_log, "off");
  EXPECT_EQ(d.config->audit_log_max_mb, 100u);

  WriteFile("encryption = \"aes256\"\nencryption_key_file = \"/keys/a.key\"\naudit_log = \"on\"\n");
  ConfigOutcome o = LoadConfig({"activestore", "--config", path_, "--audit-log-max-mb", "5"},
                               FakeEnv({{"ACTIVESTORE_ENCRYPTION_KEY_COMMAND", "cat k"}}));
  ASSERT_TRUE(o.config.has_value()) << o.message;
  storage::EncryptionOptions e = o.config->ToEngineOptions().storage.encryption;
  EXPECT_EQ(e.algorithm, "aes256");
  EXPECT_EQ(e.key_file, "/keys/a.key");
  EXPECT_EQ(e.key_command, "cat k");  // both set: the engine refuses it at open (22023)
  EXPECT_EQ(o.config->audit_log, "on");
  EXPECT_EQ(o.config->audit_log_max_mb, 5u);

  ConfigOutcome bad = LoadConfig({"activestore", "--encryption", "aes128"}, FakeEnv({}));
  EXPECT_FALSE(bad.config.has_value());
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.message.find("expected one of none, aes256"), std::string::npos) << bad.message;
}

}  // namespace
}  // namespace activestore::frontend
