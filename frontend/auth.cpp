// Authentication at start-up (PostgreSQL's auth.c): the method of the first matching hba rule
// (frontend/hba.h) or the server's auth_method; `cert` (the client certificate's CN names the
// user); cleartext `password`, `md5` (a
// challenge with a 4-byte salt, for roles with an md5 secret; roles with a SCRAM verifier get
// SCRAM, as PostgreSQL does) and `scram-sha-256` (SASL, RFC 5802/7677, no channel binding).
// Every failure is the same FATAL 28P01, whether the role exists or not: an unknown role or one
// without a usable secret runs a mock exchange that fails at the end.
#include <openssl/rand.h>
#include <spdlog/spdlog.h>

#include "common/scram.h"
#include "frontend/connection.h"
#include "frontend/hba.h"
#include "frontend/pgwire/messages.h"

namespace activestore::frontend {

using boost::asio::awaitable;

namespace {

constexpr char kPasswordMessage = 'p';

Error AuthFatal(SqlState state, std::string message) {
  Error e(state, std::move(message));
  e.severity = Severity::kFatal;
  return e;
}

// Whether a cleartext password matches a stored secret.
bool PasswordMatches(const std::string& password, const std::string& secret,
                     const std::string& user) {
  if (auto scram = ParseScramVerifier(secret)) {
    std::string again = ScramVerifier(password, scram->salt, scram->iterations);
    auto mine = ParseScramVerifier(again);
    return mine && mine->stored_key == scram->stored_key && mine->server_key == scram->server_key;
  }
  if (IsMd5Secret(secret)) return Md5Secret(password, user) == secret;
  return false;
}

}  // namespace

awaitable<std::string> Connection::ReadPasswordMessage() {
  char type = co_await ReadMessage();
  if (type != kPasswordMessage) {
    throw AuthFatal(
        SqlState::kProtocolViolation,
        fmt::format("expected password response, got message type {}", static_cast<int>(type)));
  }
  co_return body_;
}

awaitable<void> Connection::Authenticate(const std::string& user, const std::string& database) {
  std::shared_ptr<const HbaFile> hba;
  std::string method = "trust";
  if (ctx_.security) {
    hba = ctx_.security->hba();
    method = ctx_.security->auth_method();
  }
  const bool ssl = stream_.tls() != nullptr;
  const char* encryption = ssl ? "SSL encryption" : "no encryption";
  executor::LoginInfo login = ctx_.engine->LookupLogin(user);
  HbaClientCert client_cert = HbaClientCert::kOff;
  bool client_name_dn = false;
  int line_number = 0;
  if (hba) {
    HbaRequest request;
    request.ssl = ssl;
    request.address = IpAddress::Parse(peer_address_).value_or(IpAddress{});
    request.database = database;
    request.user = user;
    request.user_exists = login.exists;
    request.member_of = login.member_of;
    request.replication = replication_ == ReplicationMode::kPhysical;
    std::vector<HbaInterface> interfaces;
    if (UsesInterfaces(*hba)) interfaces = LocalInterfaces();
    const HbaLine* line = MatchHba(*hba, request, interfaces);
    if (line == nullptr && request.replication) {
      throw AuthFatal(SqlState::kInvalidAuthorizationSpecification,
                      fmt::format("no pg_hba.conf entry for replication connection from host "
                                  "\"{}\", user \"{}\", {}",
                                  peer_address_, user, encryption));
    }
    if (line != nullptr && line->method == HbaMethod::kReject && request.replication) {
      throw AuthFatal(SqlState::kInvalidAuthorizationSpecification,
                      fmt::format("pg_hba.conf rejects replication connection for host \"{}\", "
                                  "user \"{}\", {}",
                                  peer_address_, user, encryption));
    }
    if (line == nullptr) {
      throw AuthFatal(SqlState::kInvalidAuthorizationSpecification,
                      fmt::format("no pg_hba.conf entry for host \"{}\", user \"{}\", database "
                                  "\"{}\", {}",
                                  peer_address_, user, database, encryption));
    }
    if (line->method == HbaMethod::kReject) {
      throw AuthFatal(SqlState::kInvalidAuthorizationSpecification,
                      fmt::format("pg_hba.conf rejects connection for host \"{}\", user \"{}\", "
                                  "database \"{}\", {}",
                                  peer_address_, user, database, encryption));
    }
    method = HbaMethodName(line->method);
    client_cert = line->client_cert;
    client_name_dn = line->client_name_dn;
    line_number = line->line_number;
  }
  auto log_matched = [&] {
    if (line_number > 0) {
      spdlog::warn("connection from {}: connection matched pg_hba.conf line {}", peer_,
                   line_number);
    }
  };
  if (client_cert != HbaClientCert::kOff) {
    // PostgreSQL: a certificate that did not verify has already failed the handshake.
    if (!ssl || !stream_.tls()->client_cert_verified()) {
      log_matched();
      throw AuthFatal(SqlState::kInvalidAuthorizationSpecification,
                      "connection requires a valid client certificate");
    }
  }
  if (method == "cert" || (method == "trust" && client_cert == HbaClientCert::kVerifyFull)) {
    const TlsChannel& tls = *stream_.tls();
    std::string name = client_name_dn ? tls.client_dn() : tls.client_cn();
    if (name.empty() || name != user) {
      spdlog::warn("connection from {}: certificate authentication failed for user \"{}\": {}",
                   peer_, user,
                   name.empty() ? "client certificate contains no user name"
                                : fmt::format("certificate {} \"{}\" does not match",
                                              client_name_dn ? "DN" : "CN", name));
      log_matched();
      throw AuthFatal(SqlState::kInvalidAuthorizationSpecification,
                      fmt::format("certificate authentication failed for user \"{}\"", user));
    }
    co_return;
  }
  if (method == "trust") co_return;
  const Error failed =
      AuthFatal(SqlState::kInvalidPassword,
                fmt::format("password authentication failed for user \"{}\"", user));
  co_await PasswordAuthentication(method, user, login, failed);
  if (client_cert == HbaClientCert::kVerifyFull) {
    const TlsChannel& tls = *stream_.tls();
    std::string name = client_name_dn ? tls.client_dn() : tls.client_cn();
    if (name != user) {
      spdlog::warn(
          "connection from {}: certificate validation (clientcert=verify-full) failed for user "
          "\"{}\": {} mismatch",
          peer_, user, client_name_dn ? "DN" : "CN");
      log_matched();
      throw failed;
    }
  }
}

awaitable<void> Connection::PasswordAuthentication(const std::string& method,
                                                   const std::string& user,
                                                   const executor::LoginInfo& login,
                                                   const Error& failed) {
  auto log_failure = [&](const char* why) {
    spdlog::warn("connection from {}: password authentication failed for user \"{}\": {}", peer_,
                 user, why);
  };
  const bool usable = login.exists && login.secret && !login.expired;
  std::optional<ScramSecret> scram;
  if (usable) scram = ParseScramVerifier(*login.secret);
  const bool md5 = usable && IsMd5Secret(*login.secret);

  if (method == "password") {
    writer_.AuthenticationCleartextPassword();
    co_await Flush();
    std::string body = co_await ReadPasswordMessage();
    pgwire::BodyReader r(body);
    std::string password = r.CString();
    if (!usable || !PasswordMatches(password, *login.secret, user)) {
      log_failure(!login.exists ? "role does not exist" : "wrong password");
      throw failed;
    }
    co_return;
  }

  if (method == "md5" && (md5 || (!scram && !usable))) {
    std::string salt(4, '\0');
    RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()), 4);
    writer_.AuthenticationMd5Password(salt);
    co_await Flush();
    std::string body = co_await ReadPasswordMessage();
    pgwire::BodyReader r(body);
    std::string answer = r.CString();
    if (!md5 || Md5Secret(login.secret->substr(3), salt) != answer) {
      log_failure(!login.exists ? "role does not exist" : "wrong password");
      throw failed;
    }
    co_return;
  }

  // SCRAM-SHA-256.
  writer_.AuthenticationSasl({"SCRAM-SHA-256"});
  co_await Flush();
  std::string first = co_await ReadPasswordMessage();
  pgwire::BodyReader r(first);
  std::string mechanism = r.CString();
  if (mechanism != "SCRAM-SHA-256") {
    throw AuthFatal(SqlState::kProtocolViolation,
                    "client selected an invalid SASL authentication mechanism");
  }
  int32_t len = r.Int32();
  std::string data = len < 0 ? std::string() : std::string(r.Bytes(static_cast<size_t>(len)));
  ScramServer server(scram, user);
  std::string reply;
  if (!server.ClientFirst(data, &reply)) {
    throw AuthFatal(SqlState::kProtocolViolation, "malformed SCRAM message");
  }
  writer_.AuthenticationSaslContinue(reply);
  co_await Flush();
  std::string final_message = co_await ReadPasswordMessage();
  if (!server.ClientFinal(final_message, &reply)) {
    log_failure(!login.exists ? "role does not exist"
                : !scram      ? "role has no SCRAM secret"
                              : "wrong password");
    throw failed;
  }
  writer_.AuthenticationSaslFinal(reply);
}

}  // namespace activestore::frontend
