#include "storage/encryption.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/private_file.h"

namespace activestore::storage {
namespace {

using json = nlohmann::json;
constexpr uint8_t kBlockVersion = 1;
constexpr char kAlgorithm[] = "aes-256-gcm";

std::array<uint8_t, 32> Hmac(const EncryptionKey& key, std::string_view label) {
  std::array<uint8_t, 32> out{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.bytes.data(), static_cast<int>(key.bytes.size()),
       reinterpret_cast<const unsigned char*>(label.data()), label.size(), out.data(), &len);
  return out;
}

std::string Hex(const uint8_t* p, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; i++) {
    out += kDigits[p[i] >> 4];
    out += kDigits[p[i] & 15];
  }
  return out;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string ReadKeyFile(const std::string& path) {
  if (Status s = CheckPrivateFilePermissions(path, "encryption key file"); !s.ok()) {
    throw s.error();
  }
  std::ifstream in(path);
  if (!in) {
    Throw(SqlState::kIoError, "could not read encryption key file \"{}\": {}", path,
          std::strerror(errno));
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string RunKeyCommand(const std::string& command) {
  FILE* pipe = ::popen(command.c_str(), "re");
  if (pipe == nullptr) {
    Throw(SqlState::kIoError, "could not run encryption_key_command \"{}\": {}", command,
          std::strerror(errno));
  }
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), pipe)) > 0) out.append(buf, n);
  int status = ::pclose(pipe);
  OPENSSL_cleanse(buf, sizeof(buf));
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    OPENSSL_cleanse(out.data(), out.size());
    std::string how = status == -1          ? std::strerror(errno)
                      : WIFEXITED(status)   ? fmt::format("exit code {}", WEXITSTATUS(status))
                      : WIFSIGNALED(status) ? fmt::format("signal {}", WTERMSIG(status))
                                            : "unknown status";
    Throw(SqlState::kIoError, "encryption_key_command \"{}\" failed: {}", command, how);
  }
  return out;
}

void WriteRecord(const std::string& path, const json& record) {
  const std::string tmp = path + ".tmp";
  const std::string text = record.dump(2) + "\n";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  bool ok = fd >= 0 && ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  int err = errno;
  if (fd >= 0) ::close(fd);
  if (ok && ::rename(tmp.c_str(), path.c_str()) != 0) {
    ok = false;
    err = errno;
  }
  if (ok) {
    // The rename itself must be durable before WiredTiger writes a block under a new key.
    std::string dir = std::filesystem::path(path).parent_path().string();
    int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
      ::fsync(dfd);
      ::close(dfd);
    }
  }
  if (!ok) Throw(SqlState::kIoError, "could not write file \"{}\": {}", path, std::strerror(err));
}

Error DirError(std::string message) {
  return Error(SqlState::kObjectNotInPrerequisiteState, std::move(message));
}

}  // namespace

std::string EncryptionKey::IdText() const { return fmt::format("{:08x}", id); }

std::string EncryptionKey::CheckValue() const {
  auto mac = Hmac(*this, "activestore key check");
  return Hex(mac.data(), mac.size());
}

Keyring Keyring::Parse(std::string_view text, std::string_view source) {
  Keyring ring;
  int line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    line_no++;
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.front()))) {
      line.remove_prefix(1);
    }
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) {
      line.remove_suffix(1);
    }
    if (line.empty() || line[0] == '#') continue;
    EncryptionKey key;
    bool ok = line.size() == kEncryptionKeyBytes * 2;
    for (size_t i = 0; ok && i < kEncryptionKeyBytes; i++) {
      int hi = HexDigit(line[2 * i]), lo = HexDigit(line[2 * i + 1]);
      if (hi < 0 || lo < 0) ok = false;
      key.bytes[i] = static_cast<uint8_t>(hi << 4 | lo);
    }
    if (!ok) {
      throw Error(SqlState::kInvalidParameterValue,
                  fmt::format("invalid encryption key in {}, line {}", source, line_no))
          .Detail("A key is 64 hexadecimal digits (32 bytes) on a line of its own.")
          .Hint("Make one with: openssl rand -hex 32");
    }
    auto mac = Hmac(key, "activestore key id");
    key.id = uint32_t{mac[0]} << 24 | uint32_t{mac[1]} << 16 | uint32_t{mac[2]} << 8 | mac[3];
    for (const EncryptionKey& k : ring.keys_) {
      if (k.id == key.id) {
        Throw(SqlState::kInvalidParameterValue, "encryption key {} appears twice in {}",
              key.IdText(), source);
      }
    }
    ring.keys_.push_back(key);
  }
  if (ring.keys_.empty()) {
    Throw(SqlState::kInvalidParameterValue, "no encryption key in {}", source);
  }
  return ring;
}

Keyring Keyring::Load(const EncryptionOptions& options, const std::string& data_dir) {
  if (options.key_file.empty() == options.key_command.empty()) {
    throw Error(SqlState::kInvalidParameterValue,
                options.key_file.empty()
                    ? "encryption = \"aes256\" needs encryption_key_file or encryption_key_command"
                    : "encryption_key_file and encryption_key_command cannot both be set");
  }
  std::string text, source;
  if (!options.key_file.empty()) {
    std::string path = ResolveDataPath(options.key_file, data_dir);
    std::error_code ec;
    auto key_dir = std::filesystem::weakly_canonical(path, ec).parent_path();
    auto base = std::filesystem::weakly_canonical(data_dir, ec);
    if (!ec && std::mismatch(base.begin(), base.end(), key_dir.begin(), key_dir.end()).first ==
                   base.end()) {
      spdlog::warn(
          "encryption key file \"{}\" is inside the data directory: a copy of the directory "
          "carries its key",
          path);
    }
    text = ReadKeyFile(path);
    source = fmt::format("encryption key file \"{}\"", path);
  } else {
    text = RunKeyCommand(options.key_command);
    source = "the output of encryption_key_command";
  }
  try {
    Keyring ring = Parse(text, source);
    OPENSSL_cleanse(text.data(), text.size());
    return ring;
  } catch (...) {
    OPENSSL_cleanse(text.data(), text.size());
    throw;
  }
}

const EncryptionKey* Keyring::Find(uint32_t id) const {
  for (const EncryptionKey& k : keys_) {
    if (k.id == id) return &k;
  }
  return nullptr;
}

Result<size_t> EncryptBlock(const Keyring& keys, const uint8_t* src, size_t src_len, uint8_t* dst,
                            size_t dst_len) {
  if (dst_len < src_len + kEncryptionOverhead || src_len > INT32_MAX) {
    return Error(SqlState::kInternalError, "encryption: destination buffer too small");
  }
  const EncryptionKey& key = keys.active();
  dst[0] = kBlockVersion;
  dst[1] = static_cast<uint8_t>(key.id >> 24);
  dst[2] = static_cast<uint8_t>(key.id >> 16);
  dst[3] = static_cast<uint8_t>(key.id >> 8);
  dst[4] = static_cast<uint8_t>(key.id);
  uint8_t* nonce = dst + 5;
  if (RAND_bytes(nonce, kEncryptionNonceBytes) != 1) {
    return Error(SqlState::kInternalError, "encryption: no random bytes for a nonce");
  }
  uint8_t* out = dst + kEncryptionHeaderBytes;
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int len = 0, tail = 0;
  bool ok = ctx != nullptr &&
            EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key.bytes.data(), nonce) == 1 &&
            EVP_EncryptUpdate(ctx, nullptr, &len, dst, 5) == 1 &&
            EVP_EncryptUpdate(ctx, out, &len, src, static_cast<int>(src_len)) == 1 &&
            EVP_EncryptFinal_ex(ctx, out + len, &tail) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, kEncryptionTagBytes, out + src_len) == 1;
  EVP_CIPHER_CTX_free(ctx);
  if (!ok || static_cast<size_t>(len + tail) != src_len) {
    return Error(SqlState::kInternalError, "encryption: AES-256-GCM encryption failed");
  }
  return src_len + kEncryptionOverhead;
}

Result<size_t> DecryptBlock(const Keyring& keys, const uint8_t* src, size_t src_len, uint8_t* dst,
                            size_t dst_len) {
  if (src_len < kEncryptionOverhead || src[0] != kBlockVersion) {
    return Error(SqlState::kDataCorrupted, "encrypted block is truncated or of an unknown format");
  }
  const uint32_t id =
      uint32_t{src[1]} << 24 | uint32_t{src[2]} << 16 | uint32_t{src[3]} << 8 | src[4];
  const EncryptionKey* key = keys.Find(id);
  if (key == nullptr) {
    return Error(
        SqlState::kDataCorrupted,
        fmt::format("encrypted block needs key {:08x}, which the keyring does not have", id));
  }
  const size_t n = src_len - kEncryptionOverhead;
  if (dst_len < n || n > INT32_MAX) {
    return Error(SqlState::kDataCorrupted, "encrypted block is larger than its destination");
  }
  const uint8_t* nonce = src + 5;
  const uint8_t* in = src + kEncryptionHeaderBytes;
  uint8_t tag[kEncryptionTagBytes];
  std::memcpy(tag, in + n, sizeof(tag));
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int len = 0, tail = 0;
  bool ok = ctx != nullptr &&
            EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key->bytes.data(), nonce) == 1 &&
            EVP_DecryptUpdate(ctx, nullptr, &len, src, 5) == 1 &&
            EVP_DecryptUpdate(ctx, dst, &len, in, static_cast<int>(n)) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, sizeof(tag), tag) == 1 &&
            EVP_DecryptFinal_ex(ctx, dst + len, &tail) == 1;
  EVP_CIPHER_CTX_free(ctx);
  if (!ok) {
    OPENSSL_cleanse(dst, n);
    return Error(SqlState::kDataCorrupted,
                 fmt::format("encrypted block failed authentication (key {:08x}): a wrong key or "
                             "a changed block",
                             id));
  }
  return n;
}

std::shared_ptr<const Keyring> PrepareEncryption(const EncryptionOptions& options,
                                                 const std::string& data_dir, bool new_directory) {
  if (options.algorithm != "none" && options.algorithm != "aes256") {
    throw std::move(
        Error(SqlState::kInvalidParameterValue,
              fmt::format("invalid value for parameter \"encryption\": \"{}\"", options.algorithm))
            .Hint("Available values: none, aes256."));
  }
  const std::string path = data_dir + "/" + kEncryptionRecordFile;
  std::error_code ec;
  const bool has_record = std::filesystem::exists(path, ec);
  if (options.algorithm == "none") {
    if (has_record) {
      throw DirError(fmt::format("data directory \"{}\" is encrypted", data_dir))
          .Hint(
              "Start the server with encryption = \"aes256\" and its key "
              "(encryption_key_file or encryption_key_command).");
    }
    return nullptr;
  }
  if (!has_record && !new_directory) {
    throw DirError(fmt::format("data directory \"{}\" was created without encryption", data_dir))
        .Detail("Encryption is chosen when a data directory is created.")
        .Hint("Create a new data directory with encryption and copy the data into it.");
  }
  auto ring = std::make_shared<Keyring>(Keyring::Load(options, data_dir));

  json record;
  if (has_record) {
    std::ifstream in(path);
    try {
      in >> record;
    } catch (const json::exception& e) {
      throw DirError(fmt::format("could not parse \"{}\": {}", path, e.what()));
    }
    if (!record.is_object() || record.value("algorithm", "") != kAlgorithm ||
        !record.contains("keys") || !record["keys"].is_array()) {
      throw DirError(fmt::format("\"{}\" is not an encryption record of this version", path));
    }
  } else {
    record = json{{"algorithm", kAlgorithm}, {"keys", json::array()}};
  }
  // Every recorded key must be in the keyring, with its check value.
  for (const json& k : record["keys"]) {
    const std::string id = k.value("id", ""), check = k.value("check", "");
    const EncryptionKey* found = nullptr;
    for (const EncryptionKey& key : ring->keys()) {
      if (key.IdText() == id) found = &key;
    }
    if (found == nullptr || found->CheckValue() != check) {
      throw DirError(
          fmt::format("the encryption keys do not match data directory \"{}\"", data_dir))
          .Detail(fmt::format("The data directory has blocks under key {}, which {}.", id,
                              found == nullptr ? "the keys given do not include"
                                               : "does not match the key given with that id"))
          .Hint(
              "Give every key the data directory was written with; the active (new) key "
              "goes on the first line.");
    }
  }
  // Keys new to the record (a new directory, or rotation) are recorded before use.
  bool added = false;
  for (const EncryptionKey& key : ring->keys()) {
    bool known = false;
    for (const json& k : record["keys"]) known = known || k.value("id", "") == key.IdText();
    if (!known) {
      record["keys"].push_back(json{{"id", key.IdText()}, {"check", key.CheckValue()}});
      added = true;
    }
  }
  if (added || !has_record) WriteRecord(path, record);
  return ring;
}

}  // namespace activestore::storage
