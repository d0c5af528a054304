#include "frontend/tls.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/private_file.h"

namespace activestore::frontend {

namespace {

// The last OpenSSL error, as PostgreSQL's SSLerrmessage: its reason text, else errno's.
std::string OpenSslError() {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return errno != 0 ? std::strerror(errno) : "no SSL error reported";
  const char* reason = ERR_reason_error_string(e);
  if (reason != nullptr) return reason;
  return fmt::format("SSL error code {}", e);
}

int ProtocolVersion(const std::string& name) {
  if (name == "TLSv1") return TLS1_VERSION;
  if (name == "TLSv1.1") return TLS1_1_VERSION;
  if (name == "TLSv1.2") return TLS1_2_VERSION;
  if (name == "TLSv1.3") return TLS1_3_VERSION;
  return 0;
}

// The subject of `cert` as one line ("/CN=alice/O=x"), or its CN alone.
std::string SubjectText(X509* cert, bool cn_only) {
  if (cert == nullptr) return "";
  X509_NAME* name = X509_get_subject_name(cert);
  if (!cn_only) {
    char* line = X509_NAME_oneline(name, nullptr, 0);
    std::string out = line != nullptr ? line : "";
    OPENSSL_free(line);
    return out;
  }
  int len = X509_NAME_get_text_by_NID(name, NID_commonName, nullptr, 0);
  if (len < 0) return "";
  std::string cn(static_cast<size_t>(len) + 1, '\0');
  X509_NAME_get_text_by_NID(name, NID_commonName, cn.data(), len + 1);
  cn.resize(static_cast<size_t>(len));
  // A CN with an embedded NUL would let "alice\0.evil" pass as "alice": refuse it (PostgreSQL
  // does the same).
  if (cn.find('\0') != std::string::npos) return "";
  return cn;
}

}  // namespace

Result<std::shared_ptr<TlsContext>> TlsContext::Create(const TlsSettings& settings,
                                                       const std::string& data_dir) {
  std::shared_ptr<TlsContext> out(new TlsContext());
  ERR_clear_error();
  out->ctx_ = SSL_CTX_new(TLS_server_method());
  if (out->ctx_ == nullptr) {
    return Error(SqlState::kIoError,
                 fmt::format("could not create SSL context: {}", OpenSslError()));
  }
  SSL_CTX* ctx = out->ctx_;
  int min_version = ProtocolVersion(settings.min_protocol);
  if (min_version == 0) {
    return Error(SqlState::kInvalidParameterValue,
                 fmt::format("invalid value for parameter \"ssl_min_protocol_version\": \"{}\"",
                             settings.min_protocol));
  }
  if (SSL_CTX_set_min_proto_version(ctx, min_version) != 1) {
    return Error(SqlState::kInvalidParameterValue,
                 fmt::format("could not set minimum SSL protocol version: {}", OpenSslError()));
  }
  // As PostgreSQL: no compression, no renegotiation, no session resumption (each connection is
  // a new process there; here it keeps the server stateless across connections).
  SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET |
                               SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  // The connection's output buffer may move between retries of a write (it is a std::string),
  // and a write may send part of what it is given.
  SSL_CTX_set_mode(ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_ENABLE_PARTIAL_WRITE |
                            SSL_MODE_RELEASE_BUFFERS);
  // Fewer read calls: records are read ahead into OpenSSL's buffer (HasBuffered covers them).
  SSL_CTX_set_read_ahead(ctx, 1);
  if (SSL_CTX_set_cipher_list(ctx, "HIGH:MEDIUM:+3DES:!aNULL") != 1) {
    return Error(SqlState::kInvalidParameterValue,
                 fmt::format("could not set the cipher list: {}", OpenSslError()));
  }

  std::string cert = ResolveDataPath(settings.cert_file, data_dir);
  std::string key = ResolveDataPath(settings.key_file, data_dir);
  if (SSL_CTX_use_certificate_chain_file(ctx, cert.c_str()) != 1) {
    return Error(
        SqlState::kIoError,
        fmt::format("could not load server certificate file \"{}\": {}", cert, OpenSslError()));
  }
  if (Status s = CheckPrivateFilePermissions(key, "private key file"); !s.ok()) return s.error();
  if (SSL_CTX_use_PrivateKey_file(ctx, key.c_str(), SSL_FILETYPE_PEM) != 1) {
    return Error(SqlState::kIoError,
                 fmt::format("could not load private key file \"{}\": {}", key, OpenSslError()));
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    return Error(SqlState::kIoError,
                 fmt::format("check of private key failed: {}", OpenSslError()));
  }
  if (!settings.ca_file.empty()) {
    std::string ca = ResolveDataPath(settings.ca_file, data_dir);
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(ca.c_str());
    if (SSL_CTX_load_verify_locations(ctx, ca.c_str(), nullptr) != 1 || names == nullptr) {
      if (names != nullptr) sk_X509_NAME_pop_free(names, X509_NAME_free);
      return Error(
          SqlState::kIoError,
          fmt::format("could not load root certificate file \"{}\": {}", ca, OpenSslError()));
    }
    SSL_CTX_set_client_CA_list(ctx, names);
    // Ask for a client certificate, accept a connection without one (the hba rule decides),
    // and fail the handshake on one that does not verify, as PostgreSQL does.
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_CLIENT_ONCE, nullptr);
    out->verifies_clients_ = true;
  }
  return out;
}

TlsContext::~TlsContext() {
  if (ctx_ != nullptr) SSL_CTX_free(ctx_);
}

TlsChannel::TlsChannel(std::shared_ptr<const TlsContext> context, int fd)
    : context_(std::move(context)) {
  ssl_ = SSL_new(context_->native());
  if (ssl_ != nullptr) SSL_set_fd(ssl_, fd);
}

TlsChannel::~TlsChannel() {
  if (ssl_ != nullptr) SSL_free(ssl_);
}

TlsStep TlsChannel::Classify(int ret) {
  int err = SSL_get_error(ssl_, ret);
  switch (err) {
    case SSL_ERROR_WANT_READ:
      return TlsStep::kWantRead;
    case SSL_ERROR_WANT_WRITE:
      return TlsStep::kWantWrite;
    case SSL_ERROR_ZERO_RETURN:
      return TlsStep::kClosed;
    case SSL_ERROR_SYSCALL:
      if (ERR_peek_error() == 0) {
        // End of stream without close_notify (or a socket error): the client went away.
        error_ = errno != 0 ? std::strerror(errno) : "unexpected EOF";
        ERR_clear_error();
        return TlsStep::kClosed;
      }
      error_ = OpenSslError();
      return TlsStep::kError;
    default:
      error_ = OpenSslError();
      return TlsStep::kError;
  }
}

TlsStep TlsChannel::Handshake() {
  if (ssl_ == nullptr) {
    error_ = "could not initialize SSL connection";
    return TlsStep::kError;
  }
  ERR_clear_error();
  errno = 0;
  int r = SSL_accept(ssl_);
  if (r == 1) return TlsStep::kDone;
  TlsStep step = Classify(r);
  if (step == TlsStep::kClosed) {
    error_ = "EOF detected";  // PostgreSQL: `could not accept SSL connection: EOF detected`
    return TlsStep::kError;
  }
  return step;
}

TlsStep TlsChannel::Read(char* buf, size_t n, size_t* got) {
  ERR_clear_error();
  errno = 0;
  size_t done = 0;
  int r = SSL_read_ex(ssl_, buf, n, &done);
  if (r == 1) {
    *got = done;
    return TlsStep::kDone;
  }
  *got = 0;
  return Classify(r);
}

TlsStep TlsChannel::Write(const char* data, size_t n, size_t* put) {
  ERR_clear_error();
  errno = 0;
  size_t done = 0;
  int r = SSL_write_ex(ssl_, data, n, &done);
  if (r == 1) {
    *put = done;
    return TlsStep::kDone;
  }
  *put = 0;
  TlsStep step = Classify(r);
  return step == TlsStep::kClosed ? TlsStep::kError : step;
}

bool TlsChannel::HasBuffered() const { return ssl_ != nullptr && SSL_has_pending(ssl_) == 1; }

void TlsChannel::Close() {
  if (ssl_ == nullptr) return;
  ERR_clear_error();
  // Best effort: the socket is non-blocking and closes right after.
  if (SSL_is_init_finished(ssl_)) SSL_shutdown(ssl_);
  ERR_clear_error();
}

std::string TlsChannel::version() const { return SSL_get_version(ssl_); }

std::string TlsChannel::cipher() const {
  const char* name = SSL_get_cipher_name(ssl_);
  return name != nullptr ? name : "";
}

int TlsChannel::bits() const { return SSL_get_cipher_bits(ssl_, nullptr); }

bool TlsChannel::client_cert_verified() const {
  X509* cert = SSL_get0_peer_certificate(ssl_);
  return cert != nullptr && SSL_get_verify_result(ssl_) == X509_V_OK;
}

std::string TlsChannel::client_cn() const {
  return SubjectText(SSL_get0_peer_certificate(ssl_), true);
}

std::string TlsChannel::client_dn() const {
  return SubjectText(SSL_get0_peer_certificate(ssl_), false);
}

}  // namespace activestore::frontend
