#include "common/bytea.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "common/value_ops.h"

namespace activestore {
namespace {

std::string StateOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return std::string(SqlStateCode(e.state())) + " " + e.message();
  }
  return "no error";
}

TEST(ByteaTest, InputHexAndEscape) {
  EXPECT_EQ(ParseBytea("\\x0102"), std::string("\x01\x02", 2));
  EXPECT_EQ(ParseBytea("\\xDEADbeef"), "\xde\xad\xbe\xef");
  EXPECT_EQ(ParseBytea("\\x 01\n02\t"), std::string("\x01\x02", 2));
  EXPECT_EQ(ParseBytea("\\x"), "");
  EXPECT_EQ(ParseBytea("abc\\\\000"), "abc\\000");
  EXPECT_EQ(ParseBytea("ab\\000\\377"), std::string("ab\0\xff", 4));
  EXPECT_EQ(ParseBytea(""), "");
  EXPECT_EQ(StateOf([] { ParseBytea("a\\b"); }), "22P02 invalid input syntax for type bytea");
  EXPECT_EQ(StateOf([] { ParseBytea("\\400"); }), "22P02 invalid input syntax for type bytea");
  EXPECT_EQ(StateOf([] { ParseBytea("abc\\"); }), "22P02 invalid input syntax for type bytea");
  EXPECT_EQ(StateOf([] { ParseBytea("\\x0g"); }), "22023 invalid hexadecimal digit: \"g\"");
  EXPECT_EQ(StateOf([] { ParseBytea("\\x012"); }),
            "22023 invalid hexadecimal data: odd number of digits");
  EXPECT_EQ(StateOf([] { ParseBytea("\\x0é"); }), "22023 invalid hexadecimal digit: \"é\"");
}

TEST(ByteaTest, OutputStyles) {
  const std::string b(
      "\x00"
      "AB\\\x80\xff\n",
      7);
  EXPECT_EQ(FormatBytea(b, ByteaOutput::kHex), "\\x0041425c80ff0a");
  EXPECT_EQ(FormatBytea(b, ByteaOutput::kEscape), "\\000AB\\\\\\200\\377\\012");
  EXPECT_EQ(FormatBytea("", ByteaOutput::kHex), "\\x");
  // Every byte survives output and input in both styles.
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  EXPECT_EQ(ParseBytea(FormatBytea(all, ByteaOutput::kHex)), all);
  EXPECT_EQ(ParseBytea(FormatBytea(all, ByteaOutput::kEscape)), all);
  FormatOptions escape;
  escape.bytea_output = ByteaOutput::kEscape;
  Value v = ParseValue("\\x41", Type::Of(TypeId::kBytea));
  EXPECT_EQ(FormatValue(v), "\\x41");
  EXPECT_EQ(FormatValue(v, escape), "A");
  EXPECT_EQ(CastValue(v, Type::Of(TypeId::kText)).s, "\\x41");
  EXPECT_EQ(CastValue(Value::Text("abc"), Type::Of(TypeId::kBytea)).s, "abc");
}

TEST(ByteaTest, EncodeDecode) {
  EXPECT_EQ(EncodeBytes(std::string("abc\0", 4), "hex"), "61626300");
  EXPECT_EQ(EncodeBytes("abcd", "base64"), "YWJjZA==");
  EXPECT_EQ(EncodeBytes("ab", "BASE64"), "YWI=");
  EXPECT_EQ(EncodeBytes(std::string("a\0\x80\\", 4), "escape"), "a\\000\\200\\\\");
  EXPECT_EQ(EncodeBytes("\x01\n", "escape"), "\x01\n");
  // PostgreSQL breaks base64 lines after 76 characters (57 bytes), also at the very end.
  std::string line;
  for (int i = 0; i < 19; ++i) line += "QUFB";
  EXPECT_EQ(EncodeBytes(std::string(57, 'A'), "base64"), line + "\n");
  EXPECT_EQ(EncodeBytes(std::string(58, 'A'), "base64"), line + "\nQQ==");
  EXPECT_EQ(DecodeBytes("YWJjZA==", "base64"), "abcd");
  EXPECT_EQ(DecodeBytes("YW Jj\nZA==", "base64"), "abcd");
  EXPECT_EQ(DecodeBytes("YWI=", "base64"), "ab");
  EXPECT_EQ(DecodeBytes("616263", "hex"), "abc");
  EXPECT_EQ(DecodeBytes("a\\\\b\\001", "escape"), "a\\b\x01");
  for (const char* f : {"hex", "base64", "escape"}) {
    std::string all;
    for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
    EXPECT_EQ(DecodeBytes(EncodeBytes(all, f), f), all) << f;
  }
  EXPECT_EQ(StateOf([] { EncodeBytes("a", "foo"); }), "22023 unrecognized encoding: \"foo\"");
  EXPECT_EQ(StateOf([] { DecodeBytes("YWJ", "base64"); }), "22023 invalid base64 end sequence");
  EXPECT_EQ(StateOf([] { DecodeBytes("Y=Jj", "base64"); }),
            "22023 unexpected \"=\" while decoding base64 sequence");
  EXPECT_EQ(StateOf([] { DecodeBytes("Y*Jj", "base64"); }),
            "22023 invalid symbol \"*\" found while decoding base64 sequence");
  EXPECT_EQ(StateOf([] { DecodeBytes("a\\b", "escape"); }),
            "22P02 invalid input syntax for type bytea");
}

TEST(ByteaTest, BytesAndBits) {
  EXPECT_EQ(ByteaGetByte("abc", 1), 'b');
  EXPECT_EQ(ByteaSetByte("abc", 1, 65), "aAc");
  EXPECT_EQ(ByteaGetBit("\x01", 0), 1);
  EXPECT_EQ(ByteaGetBit("\x01", 1), 0);
  EXPECT_EQ(ByteaSetBit(std::string(1, '\0'), 7, 1), "\x80");
  EXPECT_EQ(ByteaSetBit("\xff", 0, 0), "\xfe");
  EXPECT_EQ(StateOf([] { ByteaGetByte("abc", 3); }), "2202E index 3 out of valid range, 0..2");
  EXPECT_EQ(StateOf([] { ByteaSetByte("abc", -1, 0); }), "2202E index -1 out of valid range, 0..2");
  EXPECT_EQ(StateOf([] { ByteaGetByte("", 0); }), "2202E index 0 out of valid range, 0..-1");
  EXPECT_EQ(StateOf([] { ByteaGetBit("a", 8); }), "2202E index 8 out of valid range, 0..7");
  EXPECT_EQ(StateOf([] { ByteaSetBit("a", 0, 2); }), "22023 new bit must be 0 or 1");
}

TEST(ByteaTest, SubstringPositionOverlayTrim) {
  EXPECT_EQ(ByteaSubstring("abc", 2), "bc");
  EXPECT_EQ(ByteaSubstring("abc", 0, 2), "a");
  EXPECT_EQ(ByteaSubstring("abc", -5, 10), "abc");
  EXPECT_EQ(ByteaSubstring("abc", 5), "");
  EXPECT_EQ(StateOf([] { ByteaSubstring("abc", 1, -1); }),
            "22011 negative substring length not allowed");
  EXPECT_EQ(ByteaPosition("abcabc", "ca"), 3);
  EXPECT_EQ(ByteaPosition("abc", "x"), 0);
  EXPECT_EQ(ByteaPosition("abc", ""), 1);
  EXPECT_EQ(ByteaOverlay("\x12\x34\x56\x78\x90", "\x02\x03", 2, 3), "\x12\x02\x03\x90");
  EXPECT_EQ(ByteaOverlay("abc", "X", 2), "aXc");
  EXPECT_EQ(ByteaOverlay("abc", "XY", 3, 0), "abXYc");
  EXPECT_EQ(ByteaOverlay("abc", "X", 2, -1), "aXabc");
  EXPECT_EQ(StateOf([] { ByteaOverlay("abc", "X", 0); }),
            "22011 negative substring length not allowed");
  EXPECT_EQ(ByteaTrim(std::string("\0\0A\0", 4), std::string(1, '\0'), true, true), "A");
  EXPECT_EQ(ByteaTrim("xxAxx", "x", true, false), "Axx");
  EXPECT_EQ(ByteaTrim("xxAxx", "x", false, true), "xxA");
  EXPECT_EQ(ByteaTrim("xxx", "x", true, true), "");
}

TEST(ByteaTest, DigestsAndConversions) {
  EXPECT_EQ(EncodeBytes(ByteaDigest("abc", "md5"), "hex"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(EncodeBytes(ByteaDigest("abc", "sha256"), "hex"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(ByteaDigest("", "sha224").size(), 28u);
  EXPECT_EQ(ByteaDigest("", "sha384").size(), 48u);
  EXPECT_EQ(ByteaDigest("", "sha512").size(), 64u);
  EXPECT_EQ(ConvertTo("héllo", "UTF8"), "héllo");
  EXPECT_EQ(ConvertFrom("héllo", "utf-8"), "héllo");
  EXPECT_EQ(StateOf([] { ConvertFrom("\xff", "UTF8"); }),
            "22021 invalid byte sequence for encoding \"UTF8\": 0xff");
  EXPECT_EQ(StateOf([] { ConvertFrom("a\xc3", "UTF8"); }),
            "22021 invalid byte sequence for encoding \"UTF8\": 0xc3");
  EXPECT_EQ(StateOf([] { ConvertFrom("\xed\xa0\x80", "UTF8"); }),
            "22021 invalid byte sequence for encoding \"UTF8\": 0xed 0xa0 0x80");
  EXPECT_EQ(StateOf([] { ConvertFrom("A", "FOO"); }), "22023 invalid source encoding name \"FOO\"");
  EXPECT_EQ(StateOf([] { ConvertTo("A", "FOO"); }),
            "22023 invalid destination encoding name \"FOO\"");
  EXPECT_EQ(StateOf([] { ConvertFrom("A", "LATIN1"); }).substr(0, 5), "0A000");
}

TEST(ByteaTest, OrderAndHash) {
  auto b = [](std::string s) { return Value::Text(std::move(s), TypeId::kBytea); };
  EXPECT_LT(CompareValues(b("abc"), b("abd")), 0);
  EXPECT_LT(CompareValues(b("ab"), b("abc")), 0);
  EXPECT_GT(CompareValues(b("\xff"), b(std::string("\0\xff", 2))), 0);
  EXPECT_EQ(CompareValues(b("abc"), b("abc")), 0);
  EXPECT_EQ(HashValue(b("abc")), HashValue(b("abc")));
  EXPECT_EQ(StateOf([&] { CompareValues(b("abc"), Value::Text("abc")); }).substr(0, 5), "42883");
}

}  // namespace
}  // namespace activestore
