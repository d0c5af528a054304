#include "common/scram.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/md5.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <cstring>
#include <stdexcept>
#include <vector>

namespace activestore {
namespace {

std::string Xor(std::string a, std::string_view b) {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) a[i] = static_cast<char>(a[i] ^ b[i]);
  return a;
}

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    throw std::runtime_error("could not generate random bytes");
  }
  return out;
}

// The value of attribute `name` ("r=...") among the comma-separated attributes of `msg`.
std::optional<std::string_view> Attribute(std::string_view msg, char name) {
  size_t pos = 0;
  while (pos <= msg.size()) {
    size_t end = msg.find(',', pos);
    if (end == std::string_view::npos) end = msg.size();
    std::string_view part = msg.substr(pos, end - pos);
    if (part.size() >= 2 && part[0] == name && part[1] == '=') return part.substr(2);
    pos = end + 1;
  }
  return std::nullopt;
}

// Whether two strings are equal, in time independent of where they differ.
bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char d = 0;
  for (size_t i = 0; i < a.size(); ++i) d |= static_cast<unsigned char>(a[i] ^ b[i]);
  return d == 0;
}

}  // namespace

std::string Base64Encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out(text.size() / 4 * 3 + 1, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  size_t pad = 0;
  if (!text.empty() && text.back() == '=') ++pad;
  if (text.size() >= 2 && text[text.size() - 2] == '=') ++pad;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string Sha256(std::string_view data) {
  unsigned char out[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out);
  return std::string(reinterpret_cast<char*>(out), sizeof out);
}

std::string ScramSaltedPassword(std::string_view password, std::string_view salt, int iterations) {
  std::string out(SHA256_DIGEST_LENGTH, '\0');
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                    reinterpret_cast<const unsigned char*>(salt.data()),
                    static_cast<int>(salt.size()), iterations, EVP_sha256(),
                    static_cast<int>(out.size()), reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

std::string ScramVerifier(std::string_view password, std::string_view salt, int iterations) {
  std::string salted = ScramSaltedPassword(password, salt, iterations);
  std::string stored = Sha256(HmacSha256(salted, "Client Key"));
  std::string server = HmacSha256(salted, "Server Key");
  return "SCRAM-SHA-256$" + std::to_string(iterations) + ":" + Base64Encode(salt) + "$" +
         Base64Encode(stored) + ":" + Base64Encode(server);
}

std::string ScramVerifier(std::string_view password, int iterations) {
  return ScramVerifier(password, RandomBytes(16), iterations);
}

std::optional<ScramSecret> ParseScramVerifier(std::string_view secret) {
  constexpr std::string_view kPrefix = "SCRAM-SHA-256$";
  if (!secret.starts_with(kPrefix)) return std::nullopt;
  secret.remove_prefix(kPrefix.size());
  size_t colon = secret.find(':');
  size_t dollar = secret.find('$');
  if (colon == std::string_view::npos || dollar == std::string_view::npos || dollar < colon) {
    return std::nullopt;
  }
  ScramSecret s;
  std::string iter(secret.substr(0, colon));
  if (iter.empty() || iter.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  s.iterations = std::stoi(iter);
  auto salt = Base64Decode(secret.substr(colon + 1, dollar - colon - 1));
  std::string_view keys = secret.substr(dollar + 1);
  size_t k = keys.find(':');
  if (!salt || k == std::string_view::npos) return std::nullopt;
  auto stored = Base64Decode(keys.substr(0, k));
  auto server = Base64Decode(keys.substr(k + 1));
  if (!stored || !server || stored->size() != 32 || server->size() != 32) return std::nullopt;
  s.salt = *salt;
  s.stored_key = *stored;
  s.server_key = *server;
  return s;
}

std::string Md5Secret(std::string_view password, std::string_view user) {
  std::string in(password);
  in += user;
  unsigned char d[MD5_DIGEST_LENGTH];
  EVP_Digest(in.data(), in.size(), d, nullptr, EVP_md5(), nullptr);
  static const char* kHex = "0123456789abcdef";
  std::string out = "md5";
  for (unsigned char c : d) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

bool IsMd5Secret(std::string_view secret) {
  if (secret.size() != 35 || !secret.starts_with("md5")) return false;
  return secret.substr(3).find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

ScramServer::ScramServer(std::optional<ScramSecret> secret, std::string_view mock_seed)
    : secret_(std::move(secret)) {
  // A mock secret whose salt depends only on the user name, so that repeated attempts for an
  // unknown role look like those for a real one (PostgreSQL's scram_mock_salt).
  mock_.iterations = kScramIterations;
  mock_.salt = Sha256(std::string("activestore mock salt ") + std::string(mock_seed)).substr(0, 16);
  mock_.stored_key = RandomBytes(32);
  mock_.server_key = RandomBytes(32);
}

bool ScramServer::ClientFirst(std::string_view message, std::string* reply) {
  // gs2-header: "n,," (no channel binding) or "y,," (client supports it, server does not offer
  // it); "p=" asks for channel binding, which is not offered.
  if (message.size() < 3 || (message[0] != 'n' && message[0] != 'y') || message[1] != ',') {
    return false;
  }
  size_t second = message.find(',', 2);
  if (second == std::string_view::npos) return false;
  client_first_bare_ = std::string(message.substr(second + 1));
  auto nonce = Attribute(client_first_bare_, 'r');
  if (!nonce || nonce->empty()) return false;
  nonce_ = std::string(*nonce) + Base64Encode(RandomBytes(18));
  const ScramSecret& s = secret_ ? *secret_ : mock_;
  server_first_ =
      "r=" + nonce_ + ",s=" + Base64Encode(s.salt) + ",i=" + std::to_string(s.iterations);
  *reply = server_first_;
  return true;
}

bool ScramServer::ClientFinal(std::string_view message, std::string* reply) {
  size_t p = message.rfind(",p=");
  if (p == std::string_view::npos) return false;
  std::string_view without_proof = message.substr(0, p);
  auto channel = Attribute(without_proof, 'c');
  auto nonce = Attribute(without_proof, 'r');
  auto proof = Base64Decode(message.substr(p + 3));
  if (!channel || !nonce || !proof || *nonce != nonce_) return false;
  if (*channel != "biws" && *channel != "eSws") return false;  // base64 of "n,," / "y,,"
  const ScramSecret& s = secret_ ? *secret_ : mock_;
  std::string auth_message =
      client_first_bare_ + "," + server_first_ + "," + std::string(without_proof);
  std::string client_signature = HmacSha256(s.stored_key, auth_message);
  std::string client_key = Xor(*proof, client_signature);
  bool ok = proof->size() == 32 && ConstantTimeEqual(Sha256(client_key), s.stored_key);
  if (!ok || !secret_) return false;
  *reply = "v=" + Base64Encode(HmacSha256(s.server_key, auth_message));
  return true;
}

}  // namespace activestore
