#include "frontend/pgwire/binary_array.h"

#include <gtest/gtest.h>

#include "frontend/pgwire/binary_format.h"

namespace activestore::frontend::pgwire {
namespace {

std::string Hex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

// Expected bytes: PostgreSQL 15's array_send of the same values.
TEST(BinaryArrayTest, MatchesPostgres) {
  struct Case {
    uint32_t oid;
    const char* text;
    const char* hex;
  } cases[] = {
      {1007, "{1,NULL,3}",
       "00000001000000010000001700000003000000010000000400000001ffffffff0000000400000003"},
      {1009, "[0:0]={\"a b\"}", "000000010000000000000019000000010000000000000003612062"},
      {1007, "{}", "000000000000000000000017"},
      {1000, "{{t},{f}}",
       "0000000200000000000000100000000200000001000000010000000100000001010000000100"},
  };
  for (const Case& c : cases) {
    EXPECT_TRUE(BinaryFormatSupported(c.oid));
    EXPECT_EQ(*TextToBinary(c.oid, c.text), Hex(c.hex)) << c.text;
    EXPECT_EQ(*BinaryToText(c.oid, Hex(c.hex)), c.text) << c.text;
  }
}

TEST(BinaryArrayTest, RejectsMalformed) {
  std::string ok = Hex("00000001000000000000001700000001000000010000000400000007");
  EXPECT_EQ(*BinaryToText(1007, ok), "{7}");
  EXPECT_FALSE(BinaryToText(1007, ok.substr(0, ok.size() - 1)).has_value());  // truncated
  EXPECT_FALSE(BinaryToText(1016, ok).has_value());                           // element oid
  EXPECT_FALSE(BinaryToText(1007, ok + "x").has_value());                     // trailing bytes
  EXPECT_FALSE(TextToBinary(1007, "{1,").has_value());
  EXPECT_FALSE(TextToBinary(1007, "{x}").has_value());
  EXPECT_EQ(*BinaryToText(1009, *TextToBinary(1009, R"({"a\"b",NULL,"",x})")),
            R"({"a\"b",NULL,"",x})");
}

}  // namespace
}  // namespace activestore::frontend::pgwire
