#include "common/scram.h"

#include <gtest/gtest.h>

namespace activestore {
namespace {

// RFC 7677's example: user "user", password "pencil", salt W22ZaJ0SNY7soEsUEjb6gQ==, 4096
// iterations, client nonce rOprNGfwEbeRWgbNEkqO.
TEST(Scram, Rfc7677Exchange) {
  auto salt = Base64Decode("W22ZaJ0SNY7soEsUEjb6gQ==");
  ASSERT_TRUE(salt);
  std::string verifier = ScramVerifier("pencil", *salt, 4096);
  auto secret = ParseScramVerifier(verifier);
  ASSERT_TRUE(secret);
  EXPECT_EQ(secret->iterations, 4096);
  EXPECT_EQ(Base64Encode(secret->stored_key), "WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=");
  EXPECT_EQ(Base64Encode(secret->server_key), "wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=");

  ScramServer server(secret, "user");
  std::string reply;
  ASSERT_TRUE(server.ClientFirst("n,,n=user,r=rOprNGfwEbeRWgbNEkqO", &reply));
  ASSERT_TRUE(reply.starts_with("r=rOprNGfwEbeRWgbNEkqO"));
  EXPECT_NE(reply.find(",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"), std::string::npos);
  // The client's proof for the server's nonce.
  std::string nonce = reply.substr(2, reply.find(',') - 2);
  std::string salted = ScramSaltedPassword("pencil", *salt, 4096);
  std::string client_key = HmacSha256(salted, "Client Key");
  std::string without_proof = "c=biws,r=" + nonce;
  std::string auth = "n=user,r=rOprNGfwEbeRWgbNEkqO," + reply + "," + without_proof;
  std::string signature = HmacSha256(Sha256(client_key), auth);
  std::string proof = client_key;
  for (size_t i = 0; i < proof.size(); ++i) proof[i] = static_cast<char>(proof[i] ^ signature[i]);
  std::string final_reply;
  ASSERT_TRUE(server.ClientFinal(without_proof + ",p=" + Base64Encode(proof), &final_reply));
  EXPECT_EQ(final_reply, "v=" + Base64Encode(HmacSha256(HmacSha256(salted, "Server Key"), auth)));
}

TEST(Scram, WrongProofAndMockFail) {
  auto secret = ParseScramVerifier(ScramVerifier("right"));
  ASSERT_TRUE(secret);
  for (bool mock : {false, true}) {
    ScramServer server(mock ? std::nullopt : secret, "someone");
    std::string reply;
    ASSERT_TRUE(server.ClientFirst("n,,n=,r=abcdef", &reply));
    std::string nonce = reply.substr(2, reply.find(',') - 2);
    std::string bogus(32, 'x');
    EXPECT_FALSE(server.ClientFinal("c=biws,r=" + nonce + ",p=" + Base64Encode(bogus), &reply));
  }
  ScramServer server(secret, "x");
  std::string reply;
  EXPECT_FALSE(server.ClientFirst("p=tls-server-end-point,,n=,r=a", &reply));
}

TEST(Scram, Md5AndParsing) {
  // PostgreSQL: md5 || md5(password || user).
  EXPECT_EQ(Md5Secret("secret", "alice"), "md54a0a68b43b6cd5cf266fa02f196e2371");
  EXPECT_TRUE(IsMd5Secret(Md5Secret("a", "b")));
  EXPECT_FALSE(IsMd5Secret("md5xyz"));
  EXPECT_FALSE(ParseScramVerifier("SCRAM-SHA-256$x:abc$def:ghi"));
  EXPECT_FALSE(ParseScramVerifier("plain"));
  EXPECT_EQ(Base64Decode("Zm9vYg=="), std::optional<std::string>("foob"));
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
}

}  // namespace
}  // namespace activestore
