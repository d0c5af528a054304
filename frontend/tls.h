// TLS on OpenSSL for client connections (PostgreSQL's be-secure-openssl.c): the server's
// certificate, key and CA loaded once into a TlsContext, one TlsChannel per connection that
// encrypts and decrypts over the connection's non-blocking socket.
//
// TlsChannel never blocks and never waits: each call either makes progress or says which
// readiness of the socket it needs (TlsStep::kWantRead / kWantWrite); the caller waits for it
// (frontend/byte_stream.h) and calls again. A write that wanted the socket must be called again
// with the same bytes at the front (the connection's output buffer keeps them).
//
// Thread safety: a TlsContext is immutable after Create and shared by any number of threads
// (a reload makes a new one). A TlsChannel is used by one thread at a time (the connection's
// io thread or the worker running its batch, never both at once).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/error.h"
#include "common/private_file.h"  // ResolveDataPath

typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_st SSL;

namespace activestore::frontend {

// PostgreSQL's ssl_* settings.
struct TlsSettings {
  bool enabled = false;                  // ssl
  std::string cert_file;                 // ssl_cert_file (default server.crt)
  std::string key_file;                  // ssl_key_file (default server.key)
  std::string ca_file;                   // ssl_ca_file; empty: no client certificates requested
  std::string min_protocol = "TLSv1.2";  // ssl_min_protocol_version: TLSv1 ... TLSv1.3
};

class TlsContext {
 public:
  // Loads the certificate chain, key (refused when others may read it, as PostgreSQL does) and
  // CA file. Relative paths are resolved against `data_dir`. Errors (58030, 42501 for the key's
  // permissions, 22023 for a bad setting) name the file and OpenSSL's reason.
  static Result<std::shared_ptr<TlsContext>> Create(const TlsSettings& settings,
                                                    const std::string& data_dir);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  SSL_CTX* native() const { return ctx_; }
  // A CA is configured: clients are asked for a certificate (optional unless an hba rule needs
  // one).
  bool verifies_clients() const { return verifies_clients_; }

 private:
  TlsContext() = default;
  SSL_CTX* ctx_ = nullptr;
  bool verifies_clients_ = false;
};

// What a TlsChannel call did.
enum class TlsStep {
  kDone,       // made progress (see the count)
  kWantRead,   // call again once the socket is readable
  kWantWrite,  // call again once the socket is writable
  kClosed,     // the peer closed the TLS session (close_notify or end of stream)
  kError,      // protocol or I/O error: the connection is unusable (error() says why)
};

class TlsChannel {
 public:
  // `fd` must be a connected non-blocking socket; it is not owned.
  TlsChannel(std::shared_ptr<const TlsContext> context, int fd);
  ~TlsChannel();
  TlsChannel(const TlsChannel&) = delete;
  TlsChannel& operator=(const TlsChannel&) = delete;

  // One step of the server side of the handshake. kDone: established.
  TlsStep Handshake();
  // Decrypted bytes into `buf` (at most `n`); kDone with *got > 0.
  TlsStep Read(char* buf, size_t n, size_t* got);
  // Encrypts and sends a prefix of `data` (at most `n`); kDone with *put > 0.
  TlsStep Write(const char* data, size_t n, size_t* put);
  // Bytes received and not yet handed out by Read (decrypted, or raw records read ahead):
  // the socket may have nothing more to read while these wait.
  bool HasBuffered() const;
  // Sends close_notify, without waiting.
  void Close();
  // OpenSSL's reason for the last kError.
  const std::string& error() const { return error_; }

  // About the established session.
  std::string version() const;  // "TLSv1.3"
  std::string cipher() const;
  int bits() const;
  // The client presented a certificate that verified against ssl_ca_file.
  bool client_cert_verified() const;
  // The client certificate's subject CN and DN ("/CN=alice"), empty without one.
  std::string client_cn() const;
  std::string client_dn() const;

 private:
  TlsStep Classify(int ret);
  std::shared_ptr<const TlsContext> context_;
  SSL* ssl_ = nullptr;
  std::string error_;
};

}  // namespace activestore::frontend
