// The column codec of compressed chunks (chunk_compression.h): every field kind round-trips
// exactly (NULLs, extremes, NaN and -0.0, empty and long strings), regular series compress
// well, and a damaged value is XX001, never a wrong row.
#include "executor/chunk_compression.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "common/error.h"

namespace activestore::executor {
namespace {

using storage::Field;
using storage::FieldCodec;
using storage::FieldKind;

Field IntField(int64_t v) {
  Field f;
  f.null = false;
  f.i = v;
  return f;
}
Field FloatField(double v) {
  Field f;
  f.null = false;
  f.f = v;
  return f;
}
Field NullField() { return Field{}; }

std::vector<Field> RoundTrip(FieldCodec codec, const std::vector<Field>& in, std::string* buffer,
                             size_t* encoded_size = nullptr) {
  const std::string blob = EncodeColumn(codec, in);
  if (encoded_size != nullptr) *encoded_size = blob.size();
  std::vector<Field> out;
  DecodeColumn(blob, codec, &out, buffer);
  return out;
}

uint64_t Bits(double d) {
  uint64_t b;
  std::memcpy(&b, &d, 8);
  return b;
}

TEST(ChunkCompressionCodec, IntegersRoundTripWithNullsAndExtremes) {
  const FieldCodec codec{FieldKind::kInt, 8};
  std::vector<Field> in = {IntField(0),  IntField(std::numeric_limits<int64_t>::min()),
                           NullField(),  IntField(std::numeric_limits<int64_t>::max()),
                           IntField(-1), IntField(std::numeric_limits<int64_t>::min()),
                           NullField(),  IntField(42)};
  std::string buffer;
  const auto out = RoundTrip(codec, in, &buffer);
  ASSERT_EQ(out.size(), in.size());
  for (size_t k = 0; k < in.size(); ++k) {
    EXPECT_EQ(out[k].null, in[k].null) << k;
    if (!in[k].null) EXPECT_EQ(out[k].i, in[k].i) << k;
  }
}

TEST(ChunkCompressionCodec, RandomIntegersRoundTrip) {
  std::mt19937_64 rng(7);
  const FieldCodec codec{FieldKind::kInt, 8};
  std::vector<Field> in;
  for (int k = 0; k < 1000; ++k) {
    in.push_back(rng() % 5 == 0 ? NullField() : IntField(static_cast<int64_t>(rng())));
  }
  std::string buffer;
  const auto out = RoundTrip(codec, in, &buffer);
  ASSERT_EQ(out.size(), in.size());
  for (size_t k = 0; k < in.size(); ++k) {
    ASSERT_EQ(out[k].null, in[k].null) << k;
    if (!in[k].null) ASSERT_EQ(out[k].i, in[k].i) << k;
  }
}

TEST(ChunkCompressionCodec, RegularTimestampsCompressToAFewBytes) {
  // 1000 timestamps one second apart (microseconds): delta-of-delta makes them zeros.
  const FieldCodec codec{FieldKind::kInt, 8};
  std::vector<Field> in;
  for (int64_t k = 0; k < 1000; ++k) in.push_back(IntField(757'382'400'000'000 + k * 1'000'000));
  std::string buffer;
  size_t size = 0;
  const auto out = RoundTrip(codec, in, &buffer, &size);
  ASSERT_EQ(out.size(), in.size());
  for (size_t k = 0; k < in.size(); ++k) EXPECT_EQ(out[k].i, in[k].i);
  EXPECT_LT(size, 60u) << "8,000 bytes uncompressed";
}

TEST(ChunkCompressionCodec, FloatsRoundTripBitForBit) {
  const FieldCodec codec{FieldKind::kFloat64, 8};
  std::vector<Field> in = {
      FloatField(1.5),          FloatField(-0.0),
      FloatField(0.0),          NullField(),
      FloatField(std::nan("")), FloatField(HUGE_VAL),
      FloatField(-HUGE_VAL),    FloatField(std::numeric_limits<double>::denorm_min()),
      FloatField(1.5)};
  std::string buffer;
  const auto out = RoundTrip(codec, in, &buffer);
  ASSERT_EQ(out.size(), in.size());
  for (size_t k = 0; k < in.size(); ++k) {
    EXPECT_EQ(out[k].null, in[k].null) << k;
    if (!in[k].null) EXPECT_EQ(Bits(out[k].f), Bits(in[k].f)) << k;
  }
}

TEST(ChunkCompressionCodec, BytesAndPairsRoundTrip) {
  std::vector<Field> in(4);
  const std::string long_text(5000, 'x');
  in[0].null = false;
  in[0].bytes = "";
  in[2].null = false;
  in[2].bytes = long_text;
  in[3].null = false;
  in[3].bytes = std::string_view("a\0b", 3);
  std::string buffer;
  const auto out = RoundTrip(FieldCodec{FieldKind::kBytes, 0}, in, &buffer);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_FALSE(out[0].null);
  EXPECT_EQ(out[0].bytes, "");
  EXPECT_TRUE(out[1].null);
  EXPECT_EQ(out[2].bytes, long_text);
  EXPECT_EQ(out[3].bytes, std::string_view("a\0b", 3));

  std::vector<Field> pairs(2);
  pairs[0].null = false;
  pairs[0].i = -5;
  pairs[0].i2 = std::numeric_limits<int64_t>::max();
  std::string buffer2;
  const auto out2 = RoundTrip(FieldCodec{FieldKind::kPair, 16}, pairs, &buffer2);
  ASSERT_EQ(out2.size(), 2u);
  EXPECT_EQ(out2[0].i, -5);
  EXPECT_EQ(out2[0].i2, std::numeric_limits<int64_t>::max());
  EXPECT_TRUE(out2[1].null);
}

TEST(ChunkCompressionCodec, EmptyAndAllNullColumns) {
  std::string buffer;
  EXPECT_TRUE(RoundTrip(FieldCodec{FieldKind::kInt, 4}, {}, &buffer).empty());
  const auto out =
      RoundTrip(FieldCodec{FieldKind::kFloat64, 8}, {NullField(), NullField()}, &buffer);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_TRUE(out[0].null && out[1].null);
}

TEST(ChunkCompressionCodec, DamagedValuesAreRefused) {
  std::vector<Field> in;
  for (int k = 0; k < 100; ++k) in.push_back(IntField(k * 3));
  const FieldCodec codec{FieldKind::kInt, 8};
  const std::string blob = EncodeColumn(codec, in);
  std::vector<Field> out;
  std::string buffer;
  auto state_of = [&](const std::string& b) {
    try {
      DecodeColumn(b, codec, &out, &buffer);
    } catch (const Error& e) {
      return e.state();
    }
    return SqlState::kSuccessfulCompletion;
  };
  EXPECT_EQ(state_of(""), SqlState::kDataCorrupted);
  EXPECT_EQ(state_of(blob.substr(0, blob.size() - 1)), SqlState::kDataCorrupted);
  std::string other_version = blob;
  other_version[0] = 9;
  EXPECT_EQ(state_of(other_version), SqlState::kDataCorrupted);
  // A float column's value read as bytes does not parse.
  std::vector<Field> floats(10, FloatField(2.5));
  const std::string fblob = EncodeColumn(FieldCodec{FieldKind::kFloat64, 8}, floats);
  std::string b2;
  EXPECT_THROW(DecodeColumn(fblob, FieldCodec{FieldKind::kBytes, 0}, &out, &b2), Error);
}

}  // namespace
}  // namespace activestore::executor
