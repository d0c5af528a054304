#include "frontend/pgwire/binary_format.h"

#include <gtest/gtest.h>

#include <cstring>

namespace activestore::frontend::pgwire {
namespace {

std::string Bytes(std::initializer_list<int> b) {
  std::string s;
  for (int c : b) s.push_back(static_cast<char>(c));
  return s;
}

std::string Hex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

TEST(BinaryFormatTest, Integers) {
  EXPECT_EQ(*TextToBinary(oid::kInt2, "-2"), Bytes({0xff, 0xfe}));
  EXPECT_EQ(*TextToBinary(oid::kInt4, "258"), Bytes({0, 0, 1, 2}));
  EXPECT_EQ(*TextToBinary(oid::kInt8, "-1"), std::string(8, '\xff'));
  EXPECT_FALSE(TextToBinary(oid::kInt2, "40000").has_value());
  EXPECT_FALSE(TextToBinary(oid::kInt4, "12x").has_value());
  EXPECT_EQ(*BinaryToText(oid::kInt4, Bytes({0xff, 0xff, 0xff, 0xfe})), "-2");
  EXPECT_EQ(*BinaryToText(oid::kInt8, Bytes({0, 0, 0, 1, 0, 0, 0, 0})), "4294967296");
  EXPECT_EQ(*BinaryToText(oid::kInt2, Bytes({0x80, 0})), "-32768");
  EXPECT_FALSE(BinaryToText(oid::kInt4, Bytes({0, 1})).has_value());  // wrong length
}

TEST(BinaryFormatTest, FloatsAndBool) {
  EXPECT_EQ(*TextToBinary(oid::kFloat8, "1.5"), Bytes({0x3f, 0xf8, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(*BinaryToText(oid::kFloat8, Bytes({0x3f, 0xf8, 0, 0, 0, 0, 0, 0})), "1.5");
  EXPECT_EQ(*BinaryToText(oid::kFloat8, *TextToBinary(oid::kFloat8, "0.1")), "0.1");
  EXPECT_EQ(*BinaryToText(oid::kFloat8, *TextToBinary(oid::kFloat8, "-Infinity")), "-Infinity");
  EXPECT_EQ(*BinaryToText(oid::kFloat8, *TextToBinary(oid::kFloat8, "NaN")), "NaN");
  EXPECT_EQ(*TextToBinary(oid::kFloat4, "1.5"), Bytes({0x3f, 0xc0, 0, 0}));
  EXPECT_EQ(*TextToBinary(oid::kBool, "t"), Bytes({1}));
  EXPECT_EQ(*TextToBinary(oid::kBool, "f"), Bytes({0}));
  EXPECT_EQ(*BinaryToText(oid::kBool, Bytes({1})), "t");
  EXPECT_FALSE(TextToBinary(oid::kBool, "maybe").has_value());
}

TEST(BinaryFormatTest, TextLikeBytesAndUuid) {
  EXPECT_EQ(*TextToBinary(oid::kText, "héllo"), "héllo");
  EXPECT_EQ(*BinaryToText(oid::kVarchar, "abc"), "abc");
  EXPECT_EQ(*TextToBinary(oid::kBytea, "\\x00ff10"), Bytes({0, 0xff, 0x10}));
  EXPECT_EQ(*BinaryToText(oid::kBytea, Bytes({0, 0xff, 0x10})), "\\x00ff10");
  std::string uuid = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";
  auto bin = TextToBinary(oid::kUuid, uuid);
  ASSERT_TRUE(bin.has_value());
  EXPECT_EQ(bin->size(), 16u);
  EXPECT_EQ(*BinaryToText(oid::kUuid, *bin), uuid);
}

// point_send / point_recv: x and y as big-endian float8s (bytes as PostgreSQL 15 sends them).
TEST(BinaryFormatTest, Point) {
  EXPECT_EQ(*TextToBinary(oid::kPoint, "(1.5,-2)"), Hex("3ff8000000000000c000000000000000"));
  EXPECT_EQ(*TextToBinary(oid::kPoint, "(NaN,-Infinity)"), Hex("7ff8000000000000fff0000000000000"));
  EXPECT_EQ(*BinaryToText(oid::kPoint, Hex("3ff8000000000000c000000000000000")), "(1.5,-2)");
  EXPECT_EQ(*BinaryToText(oid::kPoint, *TextToBinary(oid::kPoint, "(0.1,1e-300)")), "(0.1,1e-300)");
  EXPECT_EQ(BinaryFixedSize(oid::kPoint), 16u);
  EXPECT_FALSE(TextToBinary(oid::kPoint, "(1,2").has_value());
  EXPECT_FALSE(BinaryToText(oid::kPoint, Hex("3ff8000000000000")).has_value());  // wrong length
}

TEST(BinaryFormatTest, JsonbAndJsonpathCarryAVersionByte) {
  EXPECT_TRUE(BinaryFormatSupported(oid::kJsonpath));
  EXPECT_EQ(*TextToBinary(oid::kJsonpath, "$.\"a\""), std::string("\1$.\"a\""));
  EXPECT_EQ(*BinaryToText(oid::kJsonpath, std::string("\1strict $")), "strict $");
  EXPECT_FALSE(BinaryToText(oid::kJsonpath, std::string("\2$")).has_value());
  EXPECT_EQ(*TextToBinary(oid::kJsonb, "{}"), std::string("\1{}"));
}

TEST(BinaryFormatTest, Dates) {
  EXPECT_EQ(*TextToBinary(oid::kDate, "2000-01-01"), Bytes({0, 0, 0, 0}));
  EXPECT_EQ(*TextToBinary(oid::kDate, "1999-12-31"), Bytes({0xff, 0xff, 0xff, 0xff}));
  EXPECT_EQ(*TextToBinary(oid::kDate, "2000-03-01"), Bytes({0, 0, 0, 60}));
  EXPECT_EQ(*BinaryToText(oid::kDate, Bytes({0, 0, 0, 60})), "2000-03-01");
  EXPECT_EQ(*BinaryToText(oid::kDate, *TextToBinary(oid::kDate, "0044-03-15 BC")), "0044-03-15 BC");
  EXPECT_EQ(*BinaryToText(oid::kDate, *TextToBinary(oid::kDate, "infinity")), "infinity");
  EXPECT_FALSE(TextToBinary(oid::kDate, "2000-13-01").has_value());
}

TEST(BinaryFormatTest, Timestamps) {
  EXPECT_EQ(*TextToBinary(oid::kTimestamp, "2000-01-01 00:00:01"),
            Bytes({0, 0, 0, 0, 0, 0x0f, 0x42, 0x40}));
  EXPECT_EQ(*TextToBinary(oid::kTimestamp, "1999-12-31 23:59:59.999999"), std::string(8, '\xff'));
  EXPECT_EQ(*BinaryToText(oid::kTimestamp, std::string(8, '\xff')), "1999-12-31 23:59:59.999999");
  EXPECT_EQ(*BinaryToText(oid::kTimestamp, *TextToBinary(oid::kTimestamp, "2024-02-29 12:34:56.5")),
            "2024-02-29 12:34:56.5");
  // Offsets move the instant to UTC.
  EXPECT_EQ(*TextToBinary(oid::kTimestampTz, "2000-01-01 01:00:00+01"), std::string(8, '\0'));
  EXPECT_EQ(*TextToBinary(oid::kTimestampTz, "1999-12-31 18:30:00-05:30"), std::string(8, '\0'));
  EXPECT_EQ(*BinaryToText(oid::kTimestampTz, std::string(8, '\0')), "2000-01-01 00:00:00+00");
  EXPECT_FALSE(TextToBinary(oid::kTimestampTz, "2000-01-01 01:00:00").has_value());
  EXPECT_FALSE(TextToBinary(oid::kTimestamp, "2000-01-01 01:00:00+01").has_value());
  EXPECT_EQ(*BinaryToText(oid::kTimestamp, *TextToBinary(oid::kTimestamp, "-infinity")),
            "-infinity");
}

// interval_send: int64 microseconds, int32 days, int32 months, big-endian.
TEST(BinaryFormatTest, Intervals) {
  std::string one_hour_two_days_three_months = std::string("\0\0\0\x00\xd6\x93\xa4\x00", 8) +
                                               std::string("\0\0\0\x02", 4) +
                                               std::string("\0\0\0\x03", 4);
  EXPECT_EQ(*TextToBinary(oid::kInterval, "3 mons 2 days 01:00:00"),
            one_hour_two_days_three_months);
  EXPECT_EQ(*BinaryToText(oid::kInterval, one_hour_two_days_three_months), "P3M2DT1H");
  EXPECT_EQ(*TextToBinary(oid::kInterval, "-00:00:00.000001"),
            std::string(8, '\xff') + std::string(8, '\0'));
  EXPECT_EQ(*BinaryToText(oid::kInterval, std::string(16, '\0')), "PT0S");
  EXPECT_EQ(BinaryFixedSize(oid::kInterval), 16u);
  EXPECT_FALSE(BinaryToText(oid::kInterval, std::string(15, '\0')).has_value());
  EXPECT_FALSE(TextToBinary(oid::kInterval, "1 fortnight").has_value());
}

// time_send / timetz_send bytes from PostgreSQL 15.
TEST(BinaryFormatTest, TimeAndTimeTzAsPostgresSendsThem) {
  EXPECT_EQ(*TextToBinary(oid::kTime, "12:34:56.789"), Hex("0000000a8be62608"));
  EXPECT_EQ(*TextToBinary(oid::kTime, "24:00:00"), Hex("000000141dd76000"));
  EXPECT_EQ(*TextToBinary(oid::kTimeTz, "12:34:56.5-08"), Hex("0000000a8be1bd2000007080"));
  EXPECT_EQ(*TextToBinary(oid::kTimeTz, "00:00:00+05:30"), Hex("0000000000000000ffffb2a8"));
  EXPECT_EQ(*BinaryToText(oid::kTime, Hex("0000000a8be62608")), "12:34:56.789");
  EXPECT_EQ(*BinaryToText(oid::kTimeTz, Hex("0000000a8be1bd2000007080")), "12:34:56.5-08");
  EXPECT_EQ(*BinaryToText(oid::kTimeTz, Hex("0000000000000000ffffb2a8")), "00:00:00+05:30");
  EXPECT_EQ(BinaryFixedSize(oid::kTime), 8u);
  EXPECT_EQ(BinaryFixedSize(oid::kTimeTz), 12u);
  // time_recv / timetz_recv reject a time beyond 24:00:00 and a zone beyond 15:59:59.
  EXPECT_FALSE(BinaryToText(oid::kTime, Hex("000000141dd76001")).has_value());
  EXPECT_FALSE(BinaryToText(oid::kTime, Hex("ffffffffffffffff")).has_value());
  EXPECT_TRUE(BinaryToText(oid::kTimeTz, Hex("000000000000000000000e10")).has_value());
  EXPECT_FALSE(BinaryToText(oid::kTimeTz, Hex("00000000000000000000e100")).has_value());
  EXPECT_FALSE(BinaryToText(oid::kTimeTz, Hex("0000000000000000")).has_value());
  EXPECT_FALSE(TextToBinary(oid::kTime, "25:00").has_value());
  EXPECT_TRUE(BinaryFormatSupported(1183));  // time[]
  EXPECT_TRUE(BinaryFormatSupported(1270));  // timetz[]
}

TEST(BinaryFormatTest, UnsupportedTypes) {
  EXPECT_FALSE(BinaryFormatSupported(603));  // box
  EXPECT_TRUE(BinaryFormatSupported(oid::kInt4));
  EXPECT_FALSE(TextToBinary(603, "(1,2),(3,4)").has_value());
  EXPECT_FALSE(BinaryToText(603, "x").has_value());
}

// numeric_send bytes from PostgreSQL 15 (SELECT numeric_send(x::numeric)).
TEST(BinaryFormatTest, NumericAsPostgresSendsIt) {
  const std::pair<const char*, const char*> cases[] = {
      {"0", "0000000000000000"},
      {"0.00", "0000000000000002"},
      {"-12.3400", "0002000040000004000c0d48"},
      {"10000", "00010001000000000001"},
      {"0.0001", "0001ffff000000040001"},
      {"NaN", "00000000c0000000"},
      {"Infinity", "00000000d0000020"},
      {"-Infinity", "00000000f0000020"},
      {"123456789.987654321", "0006000200000009000109291a852694153803e8"},
      {"0.000000000000000000000000000001", "0001fff80000001e0064"},
      {"-100000000000000000000", "00010005400000000001"},
  };
  for (const auto& [text, hex] : cases) {
    SCOPED_TRACE(text);
    EXPECT_EQ(*TextToBinary(oid::kNumeric, text), Hex(hex));
    EXPECT_EQ(*BinaryToText(oid::kNumeric, Hex(hex)), text);
  }
  EXPECT_TRUE(BinaryFormatSupported(oid::kNumeric));
  EXPECT_FALSE(BinaryFixedSize(oid::kNumeric).has_value());
}

TEST(BinaryFormatTest, NumericRoundTripsAndBadInput) {
  for (const char* text : {"1", "-1", "9999", "10000.5", "-0.5", "3.14159265358979323846264338",
                           "100000000000000000000000000000000000000.000000000000000000000001",
                           "0.000", "-98765432109876543210.0123456789"}) {
    SCOPED_TRACE(text);
    EXPECT_EQ(*BinaryToText(oid::kNumeric, *TextToBinary(oid::kNumeric, text)), text);
  }
  // Digits beyond the dscale are truncated away, as numeric_recv does: 1.2345 with dscale 2.
  EXPECT_EQ(*BinaryToText(oid::kNumeric, Hex("000200000000000200010929")), "1.23");
  // A negative zero keeps its sign in the text, which numeric input reads as 0.0.
  EXPECT_EQ(*BinaryToText(oid::kNumeric, Hex("0000000040000001")), "-0.0");
  EXPECT_FALSE(BinaryToText(oid::kNumeric, Hex("00010000000000002710")).has_value());  // 10000
  EXPECT_FALSE(BinaryToText(oid::kNumeric, Hex("0000000012340000")).has_value());      // sign
  EXPECT_FALSE(BinaryToText(oid::kNumeric, Hex("000100000000000000")).has_value());    // short
  EXPECT_FALSE(BinaryToText(oid::kNumeric, Hex("000000000000c000")).has_value());      // scale
  EXPECT_FALSE(TextToBinary(oid::kNumeric, "1e5").has_value());
  EXPECT_FALSE(TextToBinary(oid::kNumeric, "abc").has_value());
}

// bit_send, cash_send and charsend bytes from PostgreSQL 15.
TEST(BinaryFormatTest, BitMoneyChar) {
  for (uint32_t t : {oid::kBit, oid::kVarbit}) {
    EXPECT_EQ(*TextToBinary(t, "1011000011"), Hex("0000000ab0c0"));
    EXPECT_EQ(*BinaryToText(t, Hex("0000000ab0c0")), "1011000011");
    EXPECT_EQ(*BinaryToText(t, Hex("00000000")), "");
    EXPECT_FALSE(BinaryToText(t, Hex("0000000ab0")).has_value());
    EXPECT_FALSE(TextToBinary(t, "12").has_value());
  }
  EXPECT_EQ(*TextToBinary(oid::kMoney, "-$1.50"), Hex("ffffffffffffff6a"));
  EXPECT_EQ(*BinaryToText(oid::kMoney, Hex("ffffffffffffff6a")), "-$1.50");
  EXPECT_EQ(*TextToBinary(oid::kChar, "\\377"), Hex("ff"));
  EXPECT_EQ(*BinaryToText(oid::kChar, Hex("ff")), "\\377");
  EXPECT_EQ(BinaryFixedSize(oid::kMoney), 8u);
  EXPECT_EQ(BinaryFixedSize(oid::kChar), 1u);
}

}  // namespace
}  // namespace activestore::frontend::pgwire
