// The WiredTiger side of encryption at rest (storage/encryption.h): the encryptor "aes256"
// (WT_ENCRYPTOR over EncryptBlock/DecryptBlock) and how wiredtiger_open gets it.
//
// WiredTiger needs the encryptor before wiredtiger_open reads the metadata and the log, so it
// cannot be added with WT_CONNECTION::add_encryptor after the open: it is loaded as an extension
// from the server's own executable (`extensions=[local={entry=...,early_load=true}]`, which
// WiredTiger resolves with dlsym on the main program, so the executable exports its symbols).
// The entry point runs inside wiredtiger_open on the calling thread and takes the keyring the
// OpenScope on that thread holds.
//
// Thread safety: the encryptor's callbacks are thread-safe (the keyring is immutable).
#pragma once

#include <memory>
#include <string>

#include "storage/encryption.h"

namespace activestore::storage::wiredtiger {

// While alive, a wiredtiger_open on this thread registers the encryptor over `keyring`.
class EncryptorOpenScope {
 public:
  explicit EncryptorOpenScope(std::shared_ptr<const Keyring> keyring);
  ~EncryptorOpenScope();
  EncryptorOpenScope(const EncryptorOpenScope&) = delete;
  EncryptorOpenScope& operator=(const EncryptorOpenScope&) = delete;
};

// Registers the encryptor over the current EncryptorOpenScope's keyring with `conn` (the
// extension entry point's work). EINVAL when there is no scope.
int InitEncryptor(struct __wt_connection* conn);

// The wiredtiger_open configuration (with a leading comma) that loads the encryptor and
// encrypts the log, the metadata and every table with it.
std::string EncryptionOpenConfig();

}  // namespace activestore::storage::wiredtiger
