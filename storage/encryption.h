// Encryption at rest (docs/design/2026-12-06-encryption-at-rest.md): the keys, the encrypted
// block format and what a data directory records about being encrypted. WiredTiger-free; the
// WiredTiger encryptor over it is storage/wiredtiger/wt_encryptor.h.
//
// Keys: a key text has one key per line, 64 hexadecimal digits (32 bytes, AES-256); blank lines
// and lines starting with '#' are ignored. The first key is the active one (new blocks are
// encrypted with it); the others are older keys kept so that blocks written under them can be
// read (key rotation). A key's id is the first 4 bytes of HMAC-SHA256(key, "activestore key
// id"); it is stored in every block, so a block names the key that decrypts it.
//
// Block: version (1 byte, 1) | key id (4 bytes, big-endian) | nonce (12 random bytes) |
// ciphertext (as long as the plain text) | GCM tag (16 bytes). AES-256-GCM with the version and
// key id as additional authenticated data: a changed byte anywhere fails the tag check.
//
// The record: <data_dir>/ENCRYPTION (JSON), written when an encrypted data directory is created
// and before WiredTiger writes anything: the algorithm and, for every key ever used, its id and
// a check value (HMAC-SHA256(key, "activestore key check")), never the key itself. It tells a
// data directory made with encryption from one made without, and a wrong key from the right
// one, before WiredTiger reads a block (WiredTiger treats a block that fails to decrypt as
// corruption and panics).
//
// Thread safety: a Keyring is immutable after Parse/Load; the functions are thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "storage/storage.h"

namespace activestore::storage {

inline constexpr size_t kEncryptionKeyBytes = 32;
inline constexpr size_t kEncryptionNonceBytes = 12;
inline constexpr size_t kEncryptionTagBytes = 16;
inline constexpr size_t kEncryptionHeaderBytes = 1 + 4 + kEncryptionNonceBytes;
// What a block grows by when encrypted.
inline constexpr size_t kEncryptionOverhead = kEncryptionHeaderBytes + kEncryptionTagBytes;
inline constexpr char kEncryptionRecordFile[] = "ENCRYPTION";

struct EncryptionKey {
  uint32_t id = 0;
  std::array<uint8_t, kEncryptionKeyBytes> bytes{};
  std::string IdText() const;      // 8 hexadecimal digits
  std::string CheckValue() const;  // 64 hexadecimal digits
};

class Keyring {
 public:
  // Parses key text (format above). `source` names it in errors: 22023 for a bad line or no
  // key at all, or the same key twice.
  static Keyring Parse(std::string_view text, std::string_view source);
  // The keys named by `options`: key_file (relative to `data_dir`; permissions as a TLS private
  // key, common/private_file.h) or the standard output of key_command (run by /bin/sh). 22023
  // when neither or both are set; 58030 when the file cannot be read or the command fails.
  static Keyring Load(const EncryptionOptions& options, const std::string& data_dir);

  const EncryptionKey& active() const { return keys_.front(); }
  const EncryptionKey* Find(uint32_t id) const;
  const std::vector<EncryptionKey>& keys() const { return keys_; }

 private:
  std::vector<EncryptionKey> keys_;  // never empty
};

// Encrypts `src` with the active key into `dst` (at least src_len + kEncryptionOverhead bytes).
// Returns the bytes written.
Result<size_t> EncryptBlock(const Keyring& keys, const uint8_t* src, size_t src_len, uint8_t* dst,
                            size_t dst_len);
// Decrypts a block made by EncryptBlock into `dst`. Errors (XX001, data_corrupted): a short or
// unknown-version block, a key id the keyring does not have, a failed tag check (a wrong key or
// a changed byte), `dst` too small.
Result<size_t> DecryptBlock(const Keyring& keys, const uint8_t* src, size_t src_len, uint8_t* dst,
                            size_t dst_len);

// Before WiredTiger opens `data_dir/wt`: checks the data directory against `options` and
// returns the keyring to encrypt with, or null when the directory is not encrypted.
// `new_directory`: WiredTiger has not created its files yet. A new directory with encryption
// gets its record; keys the keyring adds (rotation) are added to the record before they are
// used. Refuses (55000) an encrypted directory started without encryption, a directory created
// without encryption started with it, and a keyring that lacks a key the record has or has a
// key whose check value differs (a wrong key); 22023/42501/58030 as Keyring::Load.
std::shared_ptr<const Keyring> PrepareEncryption(const EncryptionOptions& options,
                                                 const std::string& data_dir, bool new_directory);

}  // namespace activestore::storage
