#include "common/sqlstate.h"

#include <gtest/gtest.h>

namespace activestore {
namespace {

TEST(SqlStateTest, NamedCodesRoundTrip) {
  EXPECT_EQ(SqlStateFromCode("22012"), SqlState::kDivisionByZero);
  EXPECT_EQ(SqlStateFromCode("P0001"), SqlState::kRaiseException);
  EXPECT_EQ(SqlStateCode(SqlState::kTooManyRows), "P0003");
  EXPECT_EQ(SqlStateFromCode("42P15"), SqlState::kInvalidSchemaDefinition);
  EXPECT_EQ(SqlStateCode(SqlStateFromCode("42601")), "42601");
}

TEST(SqlStateTest, OtherCodesArePacked) {
  // Codes without a name of their own (RAISE ... USING ERRCODE = 'U0001') keep their text.
  for (const char* code : {"U0001", "ZZZZZ", "00001", "2F005", "22P09"}) {
    const SqlState s = SqlStateFromCode(code);
    EXPECT_GE(static_cast<uint32_t>(s), static_cast<uint32_t>(SqlState::kFirstOtherCode)) << code;
    EXPECT_EQ(SqlStateCode(s), code);
  }
  EXPECT_EQ(SqlStateFromCode("U0001"), SqlStateFromCode("U0001"));
  EXPECT_NE(SqlStateFromCode("U0001"), SqlStateFromCode("U0002"));
}

}  // namespace
}  // namespace activestore
