// SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL uses it for password authentication and
// stores it in pg_authid.rolpassword: "SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>"
// (salt and keys in base64), and md5 secrets ("md5" + md5(password || user) in hex).
//
// Pure functions over OpenSSL; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace activestore {

inline constexpr int kScramIterations = 4096;  // PostgreSQL's scram_iterations default

std::string Base64Encode(std::string_view bytes);
// Nullopt for text that is not base64.
std::optional<std::string> Base64Decode(std::string_view text);

// A verifier for `password` with a fresh random 16-byte salt. (PostgreSQL prepares the password
// with SASLprep first; ASCII passwords are unchanged by it, others are used as given.)
std::string ScramVerifier(std::string_view password, int iterations = kScramIterations);
std::string ScramVerifier(std::string_view password, std::string_view salt, int iterations);

struct ScramSecret {
  int iterations = 0;
  std::string salt;  // raw bytes
  std::string stored_key;
  std::string server_key;
};
// Parses a stored verifier; nullopt if `secret` is not one.
std::optional<ScramSecret> ParseScramVerifier(std::string_view secret);
// "md5" + hex(md5(password + user)).
std::string Md5Secret(std::string_view password, std::string_view user);
bool IsMd5Secret(std::string_view secret);

// The server side of one SCRAM-SHA-256 exchange (no channel binding).
class ScramServer {
 public:
  // `secret`: the role's verifier; nullopt to run a mock exchange that always fails (an unknown
  // role or one without a SCRAM secret must look the same to the client).
  ScramServer(std::optional<ScramSecret> secret, std::string_view mock_seed);
  // client-first-message -> server-first-message. False: malformed (the exchange fails).
  bool ClientFirst(std::string_view message, std::string* reply);
  // client-final-message -> server-final-message (when the proof is right). False: malformed
  // message or wrong proof.
  bool ClientFinal(std::string_view message, std::string* reply);

 private:
  std::optional<ScramSecret> secret_;
  ScramSecret mock_;
  std::string client_first_bare_;
  std::string server_first_;
  std::string nonce_;
};

// HMAC-SHA-256 and SHA-256, exposed for tests and the client side of tests.
std::string HmacSha256(std::string_view key, std::string_view data);
std::string Sha256(std::string_view data);
// Hi() of RFC 5802: PBKDF2 with HMAC-SHA-256.
std::string ScramSaltedPassword(std::string_view password, std::string_view salt, int iterations);

}  // namespace activestore
