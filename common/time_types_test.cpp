#include "common/time_types.h"

#include <gtest/gtest.h>

#include <functional>

#include "common/error.h"
#include "common/type_registry.h"
#include "common/value_ops.h"

namespace activestore {
namespace {

const Type kTimeT = Type::Of(TypeId::kTime);
const Type kTimeTzT = Type::Of(TypeId::kTimeTz);

std::string Time(std::string_view text, int32_t typmod = -1) {
  return FormatValue(ParseValue(text, Type{TypeId::kTime, typmod}));
}
std::string TimeTz(std::string_view text, int32_t typmod = -1) {
  return FormatValue(ParseValue(text, Type{TypeId::kTimeTz, typmod}));
}

void ExpectError(const std::function<void()>& f, SqlState state, const std::string& message) {
  try {
    f();
    ADD_FAILURE() << "no error, expected: " << message;
  } catch (const Error& e) {
    EXPECT_EQ(e.state(), state) << e.message();
    EXPECT_EQ(e.message(), message);
  }
}

// Expected values from PostgreSQL 15 (TimeZone UTC).
TEST(TimeTypesTest, InputForms) {
  const std::pair<const char*, const char*> cases[] = {
      {"13:45", "13:45:00"},
      {"13:45:10.123456", "13:45:10.123456"},
      {"1:45 PM", "13:45:00"},
      {"12:00 AM", "00:00:00"},
      {"12:00 pm", "12:00:00"},
      {"allballs", "00:00:00"},
      {" ALLBALLS ", "00:00:00"},
      {"24:00:00", "24:00:00"},
      {"04:05:06 PST", "04:05:06"},
      {"04:05:06-08:00", "04:05:06"},
      {"040506", "04:05:06"},
      {"0405", "04:05:00"},
      {"040506.789", "04:05:06.789"},
      {"T04:05:06", "04:05:06"},
      {"4:5", "04:05:00"},
      {"4:05.5", "00:04:05.5"},
      {"04:05:006", "04:05:06"},
      {"04:05:06.", "04:05:06"},
      {"1:00 am bc", "01:00:00"},
      {"04:05 z", "04:05:00"},
      {"2003-07-07 15:36:39 America/New_York", "15:36:39"},
      {"12-31-2003 04:05", "04:05:00"},
      {"23:59:59.9999999", "24:00:00"},
      {"23:59:60", "24:00:00"},
      {"04:05:60", "04:06:00"},
      {"04:05:06.1234567", "04:05:06.123457"},
  };
  for (const auto& [in, out] : cases) EXPECT_EQ(Time(in), out) << in;
}

TEST(TimeTypesTest, TimeTzInputForms) {
  const std::pair<const char*, const char*> cases[] = {
      {"04:05:06-08:00", "04:05:06-08"},
      {"04:05:06 PST", "04:05:06-08"},
      {"04:05:06 PDT", "04:05:06-07"},
      {"04:05:06+0530", "04:05:06+05:30"},
      {"04:05:06+123", "04:05:06+01:23"},
      {"04:05:06+08:30:15", "04:05:06+08:30:15"},
      {"04:05:06 +15:59:59", "04:05:06+15:59:59"},
      {"04:05 PM +3", "16:05:00+03"},
      {"04:05 +3 PM", "16:05:00+03"},
      {"2003-04-12 04:05:06 America/New_York", "04:05:06-04"},
      {"2003-12-12 04:05 America/New_York", "04:05:00-05"},
      {"allballs", "00:00:00+00"},
      {"12:00", "12:00:00+00"},  // the session zone (UTC)
      {"10:00 zulu", "10:00:00+00"},
  };
  for (const auto& [in, out] : cases) EXPECT_EQ(TimeTz(in), out) << in;
}

TEST(TimeTypesTest, BadInput) {
  for (const char* text :
       {"04", "", "abc", "infinity", "epoch", "today", "-1:00", "2003-04-12", "04:05 allballs",
        "04:05:06 2003-04-12", "4:05:06.5.5", "04:05:06 +", "04:05:06 pst pst",
        "15:36:39 America/New_York", "15:36:39 m2", "1:00 am am"}) {
    ExpectError([&] { ParseValue(text, kTimeT); }, SqlState::kInvalidDatetimeFormat,
                std::string("invalid input syntax for type time: \"") + text + "\"");
  }
  ExpectError([] { ParseValue("15:36:39 m2", kTimeTzT); }, SqlState::kInvalidDatetimeFormat,
              "invalid input syntax for type time with time zone: \"15:36:39 m2\"");
  for (const char* text : {"24:00:00.01", "23:59:60.01", "24:01:00", "25:00:00", "13:00 PM",
                           "04:60", "123:00", "2003-02-30 04:05", "31/12/2003 04:05"}) {
    ExpectError([&] { ParseValue(text, kTimeT); }, SqlState::kDatetimeFieldOverflow,
                std::string("date/time field value out of range: \"") + text + "\"");
  }
  ExpectError([] { ParseValue("04:05:06 -16:00", kTimeTzT); },
              SqlState::kInvalidTimeZoneDisplacementValue,
              "time zone displacement out of range: \"04:05:06 -16:00\"");
  ExpectError([] { ParseValue("2003-04-12 04:05 Mars/Base", kTimeT); },
              SqlState::kInvalidParameterValue, "time zone \"mars/base\" not recognized");
}

TEST(TimeTypesTest, TypmodRounding) {
  EXPECT_EQ(Time("13:45:10.125", 2), "13:45:10.13");
  EXPECT_EQ(Time("11:59:59.99 PM", 2), "23:59:59.99");
  EXPECT_EQ(Time("23:59:59.999", 2), "24:00:00");
  EXPECT_EQ(Time("12:00:00.5", 0), "12:00:01");
  EXPECT_EQ(TimeTz("12:34:56.789-02", 1), "12:34:56.8-02");
  EXPECT_EQ(AdjustTimeForTypmod(1234567, 6), 1234567);
  EXPECT_EQ(AdjustTimeForTypmod(1234567, -1), 1234567);
  EXPECT_EQ(AdjustTimeForTypmod(1234567, 3), 1235000);
  EXPECT_EQ(TypeName(Type{TypeId::kTime, 2}), "time(2) without time zone");
  EXPECT_EQ(TypeName(Type{TypeId::kTimeTz, 3}), "time(3) with time zone");
  EXPECT_EQ(TypeName(kTimeT), "time without time zone");
  EXPECT_EQ(WireTypmod(Type{TypeId::kTime, 2}), 2);
  EXPECT_EQ(FormatValue(CastValue(ParseValue("12:34:56.789", kTimeT), Type{TypeId::kTime, 1})),
            "12:34:56.8");
}

TEST(TimeTypesTest, Registry) {
  const TypeInfo& t = TypeInfoOf(TypeId::kTime);
  EXPECT_EQ(t.layout, ValueLayout::kInt64);
  EXPECT_EQ(t.array_oid, 1183u);
  EXPECT_EQ(t.category, TypeCategory::kDateTime);
  EXPECT_EQ(t.typlen, 8);
  const TypeInfo& tz = TypeInfoOf(TypeId::kTimeTz);
  EXPECT_EQ(tz.layout, ValueLayout::kInt64Pair);
  EXPECT_EQ(tz.array_oid, 1270u);
  EXPECT_EQ(tz.typlen, 12);
  TypeId id;
  ASSERT_TRUE(LookupTypeName("time without time zone", &id));
  EXPECT_EQ(id, TypeId::kTime);
  ASSERT_TRUE(LookupTypeName("TIME WITH TIME ZONE", &id));
  EXPECT_EQ(id, TypeId::kTimeTz);
  ASSERT_TRUE(LookupTypeName("_timetz", &id));
  EXPECT_EQ(id, kTimeTzArrayType);
  EXPECT_FALSE(IsDateTimeType(TypeId::kTime));
  EXPECT_EQ(FormatValue(ParseValue("{12:00,NULL,01:00:00.5}", Type::Of(kTimeArrayType))),
            "{12:00:00,NULL,01:00:00.5}");
}

TEST(TimeTypesTest, TimeTzOrderHashAndKey) {
  Value a = ParseValue("12:00+01", kTimeTzT);  // 11:00 UTC
  Value b = ParseValue("11:00+00", kTimeTzT);  // the same instant, another zone
  Value c = ParseValue("13:00+02", kTimeTzT);
  Value d = ParseValue("11:00:00+00", kTimeTzT);
  EXPECT_LT(CompareValues(a, b), 0);  // same UTC time: the zone decides (west -3600 < 0)
  EXPECT_LT(CompareValues(c, a), 0);
  EXPECT_EQ(CompareValues(b, d), 0);
  EXPECT_EQ(HashValue(b), HashValue(d));
  EXPECT_NE(HashValue(a), HashValue(b));
  std::string ka, kb, kc;
  const TypeMethods* m = TypeInfoOf(TypeId::kTimeTz).methods;
  m->key(a, &ka);
  m->key(b, &kb);
  m->key(c, &kc);
  EXPECT_EQ(ka.size(), 16u);
  EXPECT_LT(ka, kb);
  EXPECT_LT(kc, ka);
  Value t1 = ParseValue("01:00", kTimeT), t2 = ParseValue("24:00", kTimeT);
  EXPECT_LT(CompareValues(t1, t2), 0);
  std::string k1, k2;
  TypeInfoOf(TypeId::kTime).methods->key(t1, &k1);
  TypeInfoOf(TypeId::kTime).methods->key(t2, &k2);
  EXPECT_LT(k1, k2);
  EXPECT_EQ(HashValue(t1), HashValue(ParseValue("01:00:00", kTimeT)));
}

TEST(TimeTypesTest, Casts) {
  auto cast = [](const char* text, Type from, Type to) {
    return FormatValue(CastValue(ParseValue(text, from), to));
  };
  const Type ts = Type::Of(TypeId::kTimestamp), tstz = Type::Of(TypeId::kTimestampTz),
             iv = Type::Of(TypeId::kInterval);
  EXPECT_EQ(cast("2001-02-03 04:05:06.7", ts, kTimeT), "04:05:06.7");
  EXPECT_EQ(cast("2001-02-03 04:05:06.7+02", tstz, kTimeT), "02:05:06.7");
  EXPECT_EQ(cast("2001-02-03 04:05:06.7+02", tstz, kTimeTzT), "02:05:06.7+00");
  EXPECT_EQ(cast("1 day 02:00", iv, kTimeT), "02:00:00");
  EXPECT_EQ(cast("-01:00", iv, kTimeT), "23:00:00");
  EXPECT_EQ(cast("12:00", kTimeT, iv), "12:00:00");
  EXPECT_EQ(cast("12:00-08", kTimeTzT, kTimeT), "12:00:00");
  EXPECT_EQ(cast("12:00", kTimeT, kTimeTzT), "12:00:00+00");
  EXPECT_TRUE(CastValue(ParseValue("infinity", ts), kTimeT).is_null);
  EXPECT_EQ(CastValue(ParseValue("12:00", kTimeT), Type::Of(TypeId::kText)).s, "12:00:00");
  ExpectError([] { CastValue(ParseValue("2000-01-01", Type::Of(TypeId::kDate)), kTimeT); },
              SqlState::kCannotCoerce, "cannot cast type date to time without time zone");
}

TEST(TimeTypesTest, Arithmetic) {
  auto arith = [](const char* op, Value a, Value b) { return FormatValue(Arithmetic(op, a, b)); };
  const Type iv = Type::Of(TypeId::kInterval), date = Type::Of(TypeId::kDate);
  EXPECT_EQ(arith("+", ParseValue("23:00", kTimeT), ParseValue("2 hours 1 day", iv)), "01:00:00");
  EXPECT_EQ(arith("-", ParseValue("01:00", kTimeT), ParseValue("2 hours", iv)), "23:00:00");
  EXPECT_EQ(arith("+", ParseValue("2 hours", iv), ParseValue("23:00", kTimeT)), "01:00:00");
  EXPECT_EQ(arith("+", ParseValue("24:00", kTimeT), ParseValue("0", iv)), "00:00:00");
  EXPECT_EQ(arith("-", ParseValue("10:00", kTimeT), ParseValue("12:00", kTimeT)), "-02:00:00");
  EXPECT_EQ(arith("+", ParseValue("23:00+01", kTimeTzT), ParseValue("2 hours", iv)), "01:00:00+01");
  EXPECT_EQ(arith("-", ParseValue("01:00-05", kTimeTzT), ParseValue("25 hours", iv)),
            "00:00:00-05");
  EXPECT_EQ(arith("+", ParseValue("2000-01-01", date), ParseValue("12:00", kTimeT)),
            "2000-01-01 12:00:00");
  EXPECT_EQ(arith("+", ParseValue("12:00-03", kTimeTzT), ParseValue("2000-01-01", date)),
            "2000-01-01 15:00:00+00");
  EXPECT_EQ(arith("+", ParseValue("infinity", date), ParseValue("12:00", kTimeT)), "infinity");
  EXPECT_EQ(ArithmeticResultType("-", kTimeT, kTimeT).id, TypeId::kInterval);
  EXPECT_EQ(ArithmeticResultType("+", Type::Of(TypeId::kDate), kTimeTzT).id, TypeId::kTimestampTz);
  ExpectError([&] { ArithmeticResultType("+", kTimeTzT, kTimeTzT); }, SqlState::kUndefinedFunction,
              "operator does not exist: time with time zone + time with time zone");
}

TEST(TimeTypesTest, ExtractAndDatePart) {
  Value t = ParseValue("13:30:25.575401", kTimeT);
  Value tz = ParseValue("13:30:25.575401-04:30", kTimeTzT);
  EXPECT_EQ(ExtractTime("microsecond", t).ToString(), "25575401");
  EXPECT_EQ(ExtractTime("millisecond", t).ToString(), "25575.401");
  EXPECT_EQ(ExtractTime("SECOND", t).ToString(), "25.575401");
  EXPECT_EQ(ExtractTime("minute", t).ToString(), "30");
  EXPECT_EQ(ExtractTime("hour", t).ToString(), "13");
  EXPECT_EQ(ExtractTime("epoch", t).ToString(), "48625.575401");
  EXPECT_EQ(ExtractTime("epoch", tz).ToString(), "64825.575401");
  EXPECT_EQ(ExtractTime("timezone", tz).ToString(), "-16200");
  EXPECT_EQ(ExtractTime("timezone_hour", tz).ToString(), "-4");
  EXPECT_EQ(ExtractTime("timezone_minute", tz).ToString(), "-30");
  EXPECT_DOUBLE_EQ(DatePartTime("millisecond", t), 25575.401);
  EXPECT_DOUBLE_EQ(DatePartTime("second", t), 25.575401);
  EXPECT_DOUBLE_EQ(DatePartTime("microseconds", t), 25575401);
  EXPECT_DOUBLE_EQ(DatePartTime("epoch", tz), 64825.575401);
  ExpectError([&] { ExtractTime("day", t); }, SqlState::kFeatureNotSupported,
              "unit \"day\" not supported for type time without time zone");
  ExpectError([&] { ExtractTime("timezone", t); }, SqlState::kFeatureNotSupported,
              "unit \"timezone\" not supported for type time without time zone");
  ExpectError([&] { ExtractTime("Fortnight", tz); }, SqlState::kInvalidParameterValue,
              "unit \"fortnight\" not recognized for type time with time zone");
}

TEST(TimeTypesTest, MakeTimeAndAtZone) {
  EXPECT_EQ(FormatTimeOfDay(MakeTime(8, 15, 23.5)), "08:15:23.5");
  EXPECT_EQ(FormatTimeOfDay(MakeTime(24, 0, 0)), "24:00:00");
  EXPECT_EQ(FormatTimeOfDay(MakeTime(23, 59, 60)), "24:00:00");
  ExpectError([] { MakeTime(25, 0, 0); }, SqlState::kDatetimeFieldOverflow,
              "time field value out of range: 25:00:00");
  ExpectError([] { MakeTime(8, 60, 1.5); }, SqlState::kDatetimeFieldOverflow,
              "time field value out of range: 8:60:1.5");
  ExpectError([] { MakeTime(24, 0, 0.5); }, SqlState::kDatetimeFieldOverflow,
              "time field value out of range: 24:00:0.5");
  // 12:00-07 is 19:00 UTC; at UTC+10 (POSIX: 10 hours west) it is 09:00-10.
  EXPECT_EQ(FormatTimeTz(TimeTzAtZone(TimeTzOf(12 * 3600 * int64_t{1000000}, 7 * 3600), -36000)),
            "09:00:00-10");
  EXPECT_EQ(FormatTimeTz(TimeTzAtZone(TimeTzOf(0, -3600), 0)), "23:00:00+00");
}

}  // namespace
}  // namespace activestore
