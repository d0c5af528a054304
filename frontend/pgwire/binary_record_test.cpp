#include "frontend/pgwire/binary_record.h"

#include <gtest/gtest.h>

#include "common/user_types.h"
#include "frontend/pgwire/binary_format.h"

namespace activestore::frontend::pgwire {
namespace {

// Oids far above what a test catalog hands out.
constexpr uint32_t kPair = 4200001, kPairArray = 4200002;

std::string Hex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

void RegisterPair() {
  RegisterCompositeType(kPair, kPairArray, "pair",
                        {{"a", Type::Of(TypeId::kInt32)}, {"b", Type::Of(TypeId::kText)}});
}

// Expected bytes: PostgreSQL 15's record_send of a (a int, b text) column read by psycopg 3 in
// binary (SELECT p FROM t with ROW(42, 'x') and ROW(NULL, 'a b')).
TEST(BinaryRecordTest, MatchesPostgres) {
  RegisterPair();
  EXPECT_TRUE(BinaryFormatSupported(kPair));
  const std::string forty_two = Hex("00000002" "00000017" "00000004" "0000002a" "00000019"
                                    "00000001" "78");
  const std::string null_field = Hex("00000002" "00000017" "ffffffff" "00000019" "00000003"
                                     "612062");
  EXPECT_EQ(TextToBinary(kPair, "(42,x)"), forty_two);
  EXPECT_EQ(TextToBinary(kPair, "(,\"a b\")"), null_field);
  EXPECT_EQ(BinaryToText(kPair, forty_two), "(42,x)");
  EXPECT_EQ(BinaryToText(kPair, null_field), "(,\"a b\")");
}

TEST(BinaryRecordTest, RejectsMalformed) {
  RegisterPair();
  // Wrong number of columns, wrong column type, truncated data, trailing bytes.
  EXPECT_EQ(BinaryToText(kPair, Hex("00000001" "00000017" "00000004" "0000002a")), std::nullopt);
  EXPECT_EQ(BinaryToText(kPair, Hex("00000002" "00000014" "00000008" "000000000000002a"
                                    "00000019" "00000001" "78")),
            std::nullopt);
  EXPECT_EQ(BinaryToText(kPair, Hex("00000002" "00000017" "00000004" "0000")), std::nullopt);
  EXPECT_EQ(BinaryToText(kPair, Hex("00000002" "00000017" "00000004" "0000002a" "00000019"
                                    "00000001" "78" "00")),
            std::nullopt);
  EXPECT_EQ(TextToBinary(kPair, "(1)"), std::nullopt);
  // The anonymous record has no binary form here.
  EXPECT_FALSE(BinaryFormatSupported(2249));
}

}  // namespace
}  // namespace activestore::frontend::pgwire
