#include "storage/wiredtiger/wt_encryptor.h"

#include <spdlog/spdlog.h>
#include <wiredtiger.h>

#include <cerrno>

namespace activestore::storage::wiredtiger {
namespace {

constexpr char kEncryptorName[] = "aes256";
constexpr char kEntryName[] = "activestore_wt_encryption_init";

thread_local std::shared_ptr<const Keyring> tls_opening_keyring;

// The WT_ENCRYPTOR WiredTiger calls, first member of a standard-layout struct so that the
// WT_ENCRYPTOR* it passes back converts to the whole.
struct AesEncryptor {
  WT_ENCRYPTOR iface;
  const std::shared_ptr<const Keyring>* keyring;  // owned; deleted by Terminate
};

const Keyring& Keys(WT_ENCRYPTOR* e) { return **reinterpret_cast<AesEncryptor*>(e)->keyring; }

int Encrypt(WT_ENCRYPTOR* e, WT_SESSION*, uint8_t* src, size_t src_len, uint8_t* dst,
            size_t dst_len, size_t* result_lenp) {
  Result<size_t> n = EncryptBlock(Keys(e), src, src_len, dst, dst_len);
  if (!n.ok()) {
    spdlog::error("wiredtiger: {}", n.error().message());
    return EIO;
  }
  *result_lenp = *n;
  return 0;
}

int Decrypt(WT_ENCRYPTOR* e, WT_SESSION*, uint8_t* src, size_t src_len, uint8_t* dst,
            size_t dst_len, size_t* result_lenp) {
  Result<size_t> n = DecryptBlock(Keys(e), src, src_len, dst, dst_len);
  if (!n.ok()) {
    // WiredTiger treats this as a corrupt block (fail-stop); say why first.
    spdlog::critical("wiredtiger: {}", n.error().message());
    return EIO;
  }
  *result_lenp = *n;
  return 0;
}

int Sizing(WT_ENCRYPTOR*, WT_SESSION*, size_t* expansion_constantp) {
  *expansion_constantp = kEncryptionOverhead;
  return 0;
}

int Terminate(WT_ENCRYPTOR* e, WT_SESSION*) {
  auto* self = reinterpret_cast<AesEncryptor*>(e);
  delete self->keyring;
  delete self;
  return 0;
}

}  // namespace

EncryptorOpenScope::EncryptorOpenScope(std::shared_ptr<const Keyring> keyring) {
  tls_opening_keyring = std::move(keyring);
}

EncryptorOpenScope::~EncryptorOpenScope() { tls_opening_keyring.reset(); }

int InitEncryptor(WT_CONNECTION* conn) {
  if (tls_opening_keyring == nullptr) {
    spdlog::critical("wiredtiger: the encryptor was loaded without a keyring");
    return EINVAL;
  }
  auto* self = new AesEncryptor{};
  self->iface.encrypt = Encrypt;
  self->iface.decrypt = Decrypt;
  self->iface.sizing = Sizing;
  self->iface.terminate = Terminate;
  self->keyring = new std::shared_ptr<const Keyring>(tls_opening_keyring);
  int ret = conn->add_encryptor(conn, kEncryptorName, &self->iface, nullptr);
  if (ret != 0) {
    delete self->keyring;
    delete self;
  }
  return ret;
}

std::string EncryptionOpenConfig() {
  return fmt::format(",extensions=[local={{entry={},early_load=true}}],encryption=(name={})",
                     kEntryName, kEncryptorName);
}

}  // namespace activestore::storage::wiredtiger

// The extension entry point (wiredtiger_extension_init's signature), found by name in the
// executable.
extern "C" __attribute__((visibility("default"))) int activestore_wt_encryption_init(
    WT_CONNECTION* conn, WT_CONFIG_ARG*) {
  return activestore::storage::wiredtiger::InitEncryptor(conn);
}
