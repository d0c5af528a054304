// Unit tests of the types added on the registry hooks: bit/varbit (common/bit_string.h), money
// (common/money.h), oid (common/oid_type.h) and "char" (common/char_type.h). Expected values
// are PostgreSQL 15's (sql-tests/bit_money_oid/ checks the same over the wire).
#include <gtest/gtest.h>

#include "common/bit_string.h"
#include "common/char_type.h"
#include "common/error.h"
#include "common/money.h"
#include "common/oid_type.h"
#include "common/type_registry.h"
#include "common/value_ops.h"

namespace activestore {
namespace {

template <typename F>
void ExpectError(F f, SqlState state, const std::string& message) {
  try {
    f();
    ADD_FAILURE() << "no error, expected: " << message;
  } catch (const Error& e) {
    EXPECT_EQ(e.state(), state) << e.message();
    EXPECT_EQ(e.message(), message);
  }
}

TEST(BitStringTest, InputAndTypmods) {
  EXPECT_EQ(ParseBitString("b1010", TypeId::kBit, -1), "1010");
  EXPECT_EQ(ParseBitString("X1F", TypeId::kVarbit, -1), "00011111");
  EXPECT_EQ(ParseBitString("0101", TypeId::kBit, 4), "0101");
  ExpectError([] { ParseBitString("101", TypeId::kBit, 4); }, SqlState::kStringDataLengthMismatch,
              "bit string length 3 does not match type bit(4)");
  ExpectError([] { ParseBitString("1011", TypeId::kVarbit, 3); },
              SqlState::kStringDataRightTruncation, "bit string too long for type bit varying(3)");
  ExpectError([] { ParseBitString("102", TypeId::kBit, -1); }, SqlState::kInvalidTextRepresentation,
              "\"2\" is not a valid binary digit");
  ExpectError([] { ParseBitString("x1g", TypeId::kBit, -1); }, SqlState::kInvalidTextRepresentation,
              "\"g\" is not a valid hexadecimal digit");
  EXPECT_EQ(ApplyBitTypmod("101", TypeId::kBit, 5, true), "10100");
  EXPECT_EQ(ApplyBitTypmod("10101", TypeId::kBit, 3, true), "101");
  EXPECT_EQ(ApplyBitTypmod("101", TypeId::kVarbit, 2, true), "10");
  EXPECT_EQ(ApplyBitTypmod("1", TypeId::kVarbit, 2, false), "1");
  ExpectError([] { ApplyBitTypmod("101", TypeId::kBit, 4, false); },
              SqlState::kStringDataLengthMismatch,
              "bit string length 3 does not match type bit(4)");
}

TEST(BitStringTest, Operators) {
  EXPECT_EQ(BitAnd("1100", "1010"), "1000");
  EXPECT_EQ(BitOr("1100", "1010"), "1110");
  EXPECT_EQ(BitXor("1100", "1010"), "0110");
  EXPECT_EQ(BitNot("1100"), "0011");
  EXPECT_EQ(BitShiftLeft("11001", 2), "00100");
  EXPECT_EQ(BitShiftRight("11001", 2), "00110");
  EXPECT_EQ(BitShiftLeft("11001", -1), "01100");
  EXPECT_EQ(BitShiftRight("11001", 9), "00000");
  ExpectError([] { BitAnd("001", "10"); }, SqlState::kStringDataLengthMismatch,
              "cannot AND bit strings of different sizes");
}

TEST(BitStringTest, Functions) {
  EXPECT_EQ(BitPosition("00001010", "1010"), 5);
  EXPECT_EQ(BitPosition("0101", ""), 1);
  EXPECT_EQ(BitPosition("", ""), 0);
  EXPECT_EQ(BitPosition("000001110101111101011", "111010110"), 0);
  EXPECT_EQ(BitSubstring("0101011", 2, 3, true), "101");
  EXPECT_EQ(BitSubstring("0101011", 5, 0, false), "011");
  EXPECT_EQ(BitSubstring("01010101", 2, 2147483646, true), "1010101");
  EXPECT_EQ(BitSubstring("01010101", -10, 2147483646, true), "01010101");
  ExpectError([] { BitSubstring("01", -10, -2147483646, true); }, SqlState::kSubstringError,
              "negative substring length not allowed");
  EXPECT_EQ(BitOverlay("0101011100", "001", 2, 3), "0001011100");
  EXPECT_EQ(BitOverlay("0101011100", "001", 20, 3), "0101011100001");
  EXPECT_EQ(BitGet("0101011000100", 10), 1);
  EXPECT_EQ(BitSet("0101011000100100", 15, 1), "0101011000100101");
  ExpectError([] { BitSet("0101011000100100", 16, 1); }, SqlState::kArraySubscriptError,
              "bit index 16 out of valid range (0..15)");
  EXPECT_EQ(BitCount("0101011100"), 5);
  EXPECT_EQ(BitFromInt(300, 32, 8), "00101100");
  EXPECT_EQ(BitFromInt(-1, 32, 40), std::string(40, '1'));
  EXPECT_EQ(BitToInt("1111", TypeId::kInt32), 15);
  EXPECT_EQ(BitToInt(std::string(32, '1'), TypeId::kInt32), -1);
  ExpectError([] { BitToInt(std::string(33, '1'), TypeId::kInt32); },
              SqlState::kNumericValueOutOfRange, "integer out of range");
}

TEST(BitStringTest, OrderIsBitCmp) {
  // bit_cmp: the packed bits over the shorter length, then the shorter first.
  auto cmp = [](const char* a, const char* b) {
    return CompareValues(BitValue(a, TypeId::kVarbit), BitValue(b, TypeId::kBit));
  };
  EXPECT_LT(cmp("1", "10"), 0);
  EXPECT_GT(cmp("1", "01"), 0);
  EXPECT_LT(cmp("", "0"), 0);
  EXPECT_EQ(cmp("101", "101"), 0);
  EXPECT_EQ(HashValue(BitValue("101", TypeId::kVarbit)), HashValue(BitValue("101", TypeId::kBit)));
}

TEST(MoneyTest, InputAndOutput) {
  EXPECT_EQ(ParseMoney("$1,234.56"), 123456);
  EXPECT_EQ(ParseMoney("(1)"), -100);
  EXPECT_EQ(ParseMoney("12.3-"), -1230);
  EXPECT_EQ(ParseMoney("  $ - 1,2,3.4"), -12340);
  EXPECT_EQ(ParseMoney("$123.455"), 12346);
  EXPECT_EQ(ParseMoney("$123.454"), 12345);
  EXPECT_EQ(ParseMoney(""), 0);
  EXPECT_EQ(ParseMoney("-92233720368547758.08"), INT64_MIN);
  ExpectError([] { ParseMoney("92233720368547758.08"); }, SqlState::kNumericValueOutOfRange,
              "value \"92233720368547758.08\" is out of range for type money");
  ExpectError([] { ParseMoney("1e3"); }, SqlState::kInvalidTextRepresentation,
              "invalid input syntax for type money: \"1e3\"");
  EXPECT_EQ(FormatMoney(123456), "$1,234.56");
  EXPECT_EQ(FormatMoney(-5), "-$0.05");
  EXPECT_EQ(FormatMoney(0), "$0.00");
  EXPECT_EQ(FormatMoney(INT64_MIN), "-$92,233,720,368,547,758.08");
}

TEST(MoneyTest, ArithmeticAndWords) {
  const FormatOptions opts;
  auto m = [](int64_t c) { return MoneyValue(c); };
  EXPECT_EQ(Arithmetic("/", m(87808), Value::Float64(11), opts).i, 7983);  // rint
  EXPECT_EQ(Arithmetic("/", m(87808), Value::Int32(11), opts).i, 7982);    // truncation
  EXPECT_EQ(Arithmetic("*", Value::Int32(2), m(150), opts).i, 300);
  EXPECT_DOUBLE_EQ(Arithmetic("/", m(1000), m(300), opts).f, 1000.0 / 300.0);
  ExpectError([&] { Arithmetic("+", m(INT64_MAX), m(1), opts); }, SqlState::kNumericValueOutOfRange,
              "money out of range");
  ExpectError([&] { Arithmetic("/", m(1), Value::Int(TypeId::kInt16, 0), opts); },
              SqlState::kDivisionByZero, "division by zero");
  EXPECT_EQ(CashWords(12300), "One hundred twenty three dollars and zero cents");
  EXPECT_EQ(CashWords(101), "One dollar and one cent");
  EXPECT_EQ(CashWords(100000), "One thousand  dollars and zero cents");
  EXPECT_EQ(CashWords(11517), "One hundred and fifteen dollars and seventeen cents");
}

TEST(OidTest, Input) {
  EXPECT_EQ(ParseOid("1234"), 1234u);
  EXPECT_EQ(ParseOid("-1040"), 4294966256u);
  EXPECT_EQ(ParseOid("\t  15 \t  "), 15u);
  EXPECT_EQ(ParseOid("4294967295"), 4294967295u);
  EXPECT_EQ(ParseOid("-2147483648"), 2147483648u);
  for (const char* bad :
       {"", "    ", "asdfasd", "99asdfasd", "5    d", "    5d", "5    5", " - 500"}) {
    ExpectError([&] { ParseOid(bad); }, SqlState::kInvalidTextRepresentation,
                std::string("invalid input syntax for type oid: \"") + bad + "\"");
  }
  for (const char* big :
       {"32958209582039852935", "-23582358720398502385", "4294967296", "-2147483649"}) {
    ExpectError([&] { ParseOid(big); }, SqlState::kNumericValueOutOfRange,
                std::string("value \"") + big + "\" is out of range for type oid");
  }
}

TEST(OidTest, CastsAndOrder) {
  const FormatOptions opts;
  EXPECT_EQ(CastValue(Value::Int32(-1), Type::Of(TypeId::kOid), opts).i, 4294967295);
  EXPECT_EQ(CastValue(OidValue(4294967295u), Type::Of(TypeId::kInt32), opts).i, -1);
  ExpectError([&] { CastValue(Value::Int64(4294967296), Type::Of(TypeId::kOid), opts); },
              SqlState::kNumericValueOutOfRange, "OID out of range");
  EXPECT_LT(CompareValues(OidValue(5), OidValue(4294967295u)), 0);
  EXPECT_EQ(FormatValue(OidValue(4294967295u), opts), "4294967295");
}

TEST(CharTest, OneByte) {
  EXPECT_EQ(ParseChar("a"), 'a');
  EXPECT_EQ(ParseChar("ab"), 'a');
  EXPECT_EQ(ParseChar("\\101"), 'A');
  EXPECT_EQ(ParseChar("\\377"), 255);
  EXPECT_EQ(ParseChar(""), 0);
  EXPECT_EQ(FormatChar(255), "\\377");
  EXPECT_EQ(FormatChar(0), "");
  EXPECT_EQ(FormatChar('a'), "a");
}

}  // namespace
}  // namespace activestore
