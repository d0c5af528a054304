#include "storage/encryption.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "storage/storage_testing.h"

namespace activestore::storage {
namespace {

using testing::OpenOrDie;
using testing::SmallWtOptions;
using testing::SqlStateOf;
using testing::TempDir;

constexpr char kKeyA[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
constexpr char kKeyB[] = "f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f";
constexpr char kKeyC[] = "5555555555555555555555555555555555555555555555555555555555555555";

std::string Encrypt(const Keyring& ring, const std::string& plain) {
  std::string out(plain.size() + kEncryptionOverhead, '\0');
  size_t n = EncryptBlock(ring, reinterpret_cast<const uint8_t*>(plain.data()), plain.size(),
                          reinterpret_cast<uint8_t*>(out.data()), out.size())
                 .value();
  out.resize(n);
  return out;
}

Result<std::string> Decrypt(const Keyring& ring, const std::string& block) {
  std::string out(block.size(), '\0');
  Result<size_t> n = DecryptBlock(ring, reinterpret_cast<const uint8_t*>(block.data()),
                                  block.size(), reinterpret_cast<uint8_t*>(out.data()), out.size());
  if (!n.ok()) return n.error();
  out.resize(*n);
  return out;
}

std::string Code(const Error& e) { return std::string(SqlStateCode(e.state())); }

TEST(KeyringTest, ParsesKeysCommentsAndBlankLines) {
  Keyring ring = Keyring::Parse(
      std::string("# rotated 2026-12-06\n") + kKeyB + "\n\n  " + kKeyA + "  \n", "test");
  ASSERT_EQ(ring.keys().size(), 2u);
  EXPECT_EQ(ring.active().bytes[0], 0xf0);
  EXPECT_EQ(ring.keys()[1].bytes[31], 0x1f);
  EXPECT_NE(ring.keys()[0].id, ring.keys()[1].id);
  EXPECT_EQ(ring.Find(ring.keys()[1].id), &ring.keys()[1]);
  EXPECT_EQ(ring.keys()[0].IdText().size(), 8u);
  // The id and the check value depend on the key alone.
  Keyring again = Keyring::Parse(kKeyA, "test");
  EXPECT_EQ(again.active().id, ring.keys()[1].id);
  EXPECT_EQ(again.active().CheckValue(), ring.keys()[1].CheckValue());
}

TEST(KeyringTest, RefusesBadKeyText) {
  EXPECT_EQ(SqlStateOf([] { Keyring::Parse("", "test"); }), "22023");
  EXPECT_EQ(SqlStateOf([] { Keyring::Parse("# only a comment\n", "test"); }), "22023");
  EXPECT_EQ(SqlStateOf([] { Keyring::Parse("0011", "test"); }), "22023");
  std::string bad = kKeyA;
  bad[10] = 'x';
  EXPECT_EQ(SqlStateOf([&] { Keyring::Parse(bad, "test"); }), "22023");
  EXPECT_EQ(SqlStateOf([] { Keyring::Parse(std::string(kKeyA) + "\n" + kKeyA, "test"); }), "22023");
  try {
    Keyring::Parse(std::string(kKeyA) + "\nnot a key\n", "key file \"k\"");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.message(), "invalid encryption key in key file \"k\", line 2");
  }
}

TEST(BlockTest, RoundTripHidesThePlainText) {
  Keyring ring = Keyring::Parse(kKeyA, "test");
  const std::string plain = "the marker PLAINTEXT-MARKER-42 in a block of rows";
  std::string block = Encrypt(ring, plain);
  EXPECT_EQ(block.size(), plain.size() + kEncryptionOverhead);
  EXPECT_EQ(block.find("PLAINTEXT"), std::string::npos);
  EXPECT_NE(Encrypt(ring, plain), block);  // a fresh nonce every time
  Result<std::string> back = Decrypt(ring, block);
  ASSERT_TRUE(back.ok()) << back.error().message();
  EXPECT_EQ(*back, plain);
  Result<std::string> empty = Decrypt(ring, Encrypt(ring, ""));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, "");
}

TEST(BlockTest, AnyChangedByteFailsAuthentication) {
  Keyring ring = Keyring::Parse(kKeyA, "test");
  const std::string block = Encrypt(ring, std::string(300, 'r'));
  for (size_t i : {size_t{0}, size_t{2}, size_t{7}, size_t{40}, block.size() - 1}) {
    std::string changed = block;
    changed[i] = static_cast<char>(changed[i] ^ 0x01);
    Result<std::string> r = Decrypt(ring, changed);
    ASSERT_FALSE(r.ok()) << "byte " << i;
    EXPECT_EQ(Code(r.error()), "XX001");
  }
  Result<std::string> cut = Decrypt(ring, block.substr(0, 20));
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(Code(cut.error()), "XX001");
}

TEST(BlockTest, WrongKeyAndRotation) {
  Keyring a = Keyring::Parse(kKeyA, "test");
  Keyring b = Keyring::Parse(kKeyB, "test");
  const std::string under_a = Encrypt(a, "rows under key a");
  Result<std::string> wrong = Decrypt(b, under_a);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(Code(wrong.error()), "XX001");
  EXPECT_NE(wrong.error().message().find("does not have"), std::string::npos);

  // A keyring with the same id but other bytes cannot exist (the id derives from the key), so
  // a wrong key with a forged id is the tag check's case: change the id bytes to b's.
  std::string forged = under_a;
  forged[1] = static_cast<char>(b.active().id >> 24);
  forged[2] = static_cast<char>(b.active().id >> 16);
  forged[3] = static_cast<char>(b.active().id >> 8);
  forged[4] = static_cast<char>(b.active().id);
  Result<std::string> r = Decrypt(b, forged);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("failed authentication"), std::string::npos);

  // Rotation: b active, a kept; old blocks read, new blocks under b.
  Keyring rotated = Keyring::Parse(std::string(kKeyB) + "\n" + kKeyA, "test");
  Result<std::string> old = Decrypt(rotated, under_a);
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(*old, "rows under key a");
  const std::string fresh = Encrypt(rotated, "new rows");
  EXPECT_TRUE(Decrypt(b, fresh).ok());
  EXPECT_FALSE(Decrypt(a, fresh).ok());
}

void WriteKeyFile(const std::string& path, const std::string& text, mode_t mode = 0600) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path) << text << "\n";
  ::chmod(path.c_str(), mode);
}

EncryptionOptions Aes(const std::string& key_file) {
  EncryptionOptions o;
  o.algorithm = "aes256";
  o.key_file = key_file;
  return o;
}

TEST(PrepareEncryptionTest, RecordsKeysAndRefusesMismatches) {
  TempDir dir;
  std::filesystem::create_directories(dir.path());
  WriteKeyFile(dir.path() + "/a.key", kKeyA);
  WriteKeyFile(dir.path() + "/b.key", kKeyB);
  WriteKeyFile(dir.path() + "/ba.key", std::string(kKeyB) + "\n" + kKeyA);

  EXPECT_EQ(PrepareEncryption(EncryptionOptions{}, dir.path(), true), nullptr);
  auto ring = PrepareEncryption(Aes("a.key"), dir.path(), true);
  ASSERT_NE(ring, nullptr);
  std::ifstream in(dir.path() + "/ENCRYPTION");
  std::string record((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(record.find(ring->active().IdText()), std::string::npos);
  EXPECT_EQ(record.find("0001020304"), std::string::npos);  // never the key itself

  EXPECT_NE(PrepareEncryption(Aes("a.key"), dir.path(), false), nullptr);
  EXPECT_EQ(SqlStateOf([&] { PrepareEncryption(Aes("b.key"), dir.path(), false); }), "55000");
  EXPECT_EQ(SqlStateOf([&] { PrepareEncryption(EncryptionOptions{}, dir.path(), false); }),
            "55000");
  // Rotation: b first, a kept; then a cannot be left out.
  auto rotated = PrepareEncryption(Aes("ba.key"), dir.path(), false);
  ASSERT_NE(rotated, nullptr);
  EXPECT_EQ(rotated->active().bytes[0], 0xf0);
  EXPECT_EQ(SqlStateOf([&] { PrepareEncryption(Aes("b.key"), dir.path(), false); }), "55000");
  EXPECT_NE(PrepareEncryption(Aes("ba.key"), dir.path(), false), nullptr);

  // A directory created without encryption stays so.
  TempDir plain;
  std::filesystem::create_directories(plain.path());
  EXPECT_EQ(SqlStateOf([&] { PrepareEncryption(Aes(dir.path() + "/a.key"), plain.path(), false); }),
            "55000");
  EncryptionOptions bogus;
  bogus.algorithm = "rot13";
  EXPECT_EQ(SqlStateOf([&] { PrepareEncryption(bogus, plain.path(), true); }), "22023");
}

TEST(PrepareEncryptionTest, KeySources) {
  TempDir dir;
  std::filesystem::create_directories(dir.path());
  WriteKeyFile(dir.path() + "/open.key", kKeyA, 0644);
  EXPECT_EQ(SqlStateOf([&] { Keyring::Load(Aes("open.key"), dir.path()); }), "42501");
  EXPECT_EQ(SqlStateOf([&] { Keyring::Load(Aes("missing.key"), dir.path()); }), "58030");
  EncryptionOptions none;
  none.algorithm = "aes256";
  EXPECT_EQ(SqlStateOf([&] { Keyring::Load(none, dir.path()); }), "22023");
  EncryptionOptions both = Aes("open.key");
  both.key_command = "true";
  EXPECT_EQ(SqlStateOf([&] { Keyring::Load(both, dir.path()); }), "22023");

  EncryptionOptions cmd;
  cmd.algorithm = "aes256";
  cmd.key_command = std::string("echo ") + kKeyC;
  Keyring ring = Keyring::Load(cmd, dir.path());
  EXPECT_EQ(ring.active().bytes[0], 0x55);
  cmd.key_command = "echo nope; exit 3";
  try {
    Keyring::Load(cmd, dir.path());
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(Code(e), "58030");
    EXPECT_NE(e.message().find("exit code 3"), std::string::npos) << e.message();
  }
}

// Every file under `dir` that contains `needle`.
std::vector<std::string> FilesContaining(const std::string& dir, const std::string& needle) {
  std::vector<std::string> found;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (data.find(needle) != std::string::npos) found.push_back(entry.path().string());
  }
  return found;
}

std::string Joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += s + " ";
  return out;
}

TEST(WtEncryptionTest, NoPlainTextOnDiskAndRotation) {
  TempDir dir;
  const std::string keys = dir.path() + ".keys";
  WriteKeyFile(keys + "/a.key", kKeyA);
  WriteKeyFile(keys + "/b.key", kKeyB);
  WriteKeyFile(keys + "/ba.key", std::string(kKeyB) + "\n" + kKeyA);
  StorageOptions o = SmallWtOptions(dir.path());
  o.encryption = Aes(keys + "/a.key");
  const std::string marker = "SECRET-MARKER-7f3a";
  {
    auto engine = OpenOrDie(o);
    engine->CreateTable("t");
    for (int batch = 0; batch < 20; batch++) {
      auto txn = engine->Begin();
      for (int i = 0; i < 500; i++) {
        std::string k = marker + "-key-" + std::to_string(batch * 500 + i);
        txn->Put("t", k, marker + std::string(200, 'v'));
      }
      txn->Commit();
    }
    engine->Checkpoint();
  }
  EXPECT_EQ(Joined(FilesContaining(dir.path(), marker)), "");

  // Unencrypted, the same rows are there in plain text (the grep can find it).
  TempDir plain;
  {
    auto engine = OpenOrDie(SmallWtOptions(plain.path()));
    engine->CreateTable("t");
    auto txn = engine->Begin();
    txn->Put("t", marker + "-key", marker);
    txn->Commit();
    engine->Checkpoint();
  }
  EXPECT_NE(Joined(FilesContaining(plain.path(), marker)), "");

  // A wrong key, no key, no encryption: refused before WiredTiger reads a block.
  StorageOptions wrong = o;
  wrong.encryption = Aes(keys + "/b.key");
  EXPECT_EQ(SqlStateOf([&] { OpenOrDie(wrong); }), "55000");
  StorageOptions off = o;
  off.encryption = EncryptionOptions{};
  EXPECT_EQ(SqlStateOf([&] { OpenOrDie(off); }), "55000");

  // Rotation: b active, a kept; old rows read, new rows written, both after a restart.
  StorageOptions rotated = o;
  rotated.encryption = Aes(keys + "/ba.key");
  {
    auto engine = OpenOrDie(rotated);
    auto txn = engine->Begin();
    EXPECT_EQ(txn->Get("t", marker + "-key-9999"), marker + std::string(200, 'v'));
    txn->Put("t", marker + "-new", "after rotation");
    txn->Commit();
    engine->Checkpoint();
  }
  {
    auto engine = OpenOrDie(rotated);
    auto txn = engine->Begin();
    EXPECT_EQ(txn->Get("t", marker + "-new"), "after rotation");
    EXPECT_EQ(txn->Get("t", marker + "-key-0"), marker + std::string(200, 'v'));
    int rows = 0;
    for (auto c = txn->Scan("t"); c->Next();) rows++;
    EXPECT_EQ(rows, 10001);
    txn->Commit();
  }
  EXPECT_EQ(Joined(FilesContaining(dir.path(), marker)), "");
  std::filesystem::remove_all(keys);
}

}  // namespace
}  // namespace activestore::storage
