// SQL types of ActiveStore and their PostgreSQL identities (OIDs, names, lengths). The facts
// per type live in the type registry (common/type_registry.h); these are the common queries.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace activestore {

// The logical type of a value. The numbers are PostgreSQL's type OIDs, which is what the
// wire protocol and the catalog views show.
enum class TypeId : uint32_t {
  kUnknown = 705,  // an untyped literal ('abc' or NULL) before the binder resolves it
  kBool = 16,
  kBytea = 17,
  kInt16 = 21,
  kInt32 = 23,
  kInt64 = 20,
  kFloat32 = 700,  // real / float4 (common/float4.h)
  kFloat64 = 701,
  kNumeric = 1700,
  kText = 25,
  kName = 19,  // a 63-byte identifier (NAMEDATALEN - 1), compared as C strings
  kVarchar = 1043,
  kBpchar = 1042,  // char(n)
  kDate = 1082,
  kTime = 1083,  // time without time zone (common/time_types.h)
  kTimestamp = 1114,
  kTimestampTz = 1184,
  kInterval = 1186,
  kTimeTz = 1266,  // time with time zone
  kUuid = 2950,
  kVoid = 2278,  // the result of a function that returns nothing (pg_advisory_lock); prints ''
  // Added on the registry hooks (docs/design/2026-12-04-type-registry.md, step 2).
  kChar = 18,      // "char": one byte (common/char_type.h)
  kOid = 26,       // unsigned 32-bit object identifier (common/oid_type.h)
  kMoney = 790,    // int64 cents, lc_monetary C (common/money.h)
  kBit = 1560,     // bit(n) (common/bit_string.h)
  kVarbit = 1562,  // bit varying(n)
};

// Array types (typcategory 'A'; common/array.h): PostgreSQL's typarray of each base type. They
// are not enumerators, so the per-type switches over base types stay exhaustive; code that
// meets values of any type tests IsArrayType (common/array.h) first.
inline constexpr TypeId kBoolArrayType = TypeId{1000};
inline constexpr TypeId kByteaArrayType = TypeId{1001};
inline constexpr TypeId kNameArrayType = TypeId{1003};
inline constexpr TypeId kInt16ArrayType = TypeId{1005};
inline constexpr TypeId kInt32ArrayType = TypeId{1007};
inline constexpr TypeId kTextArrayType = TypeId{1009};
inline constexpr TypeId kBpcharArrayType = TypeId{1014};
inline constexpr TypeId kVarcharArrayType = TypeId{1015};
inline constexpr TypeId kInt64ArrayType = TypeId{1016};
inline constexpr TypeId kFloat32ArrayType = TypeId{1021};
inline constexpr TypeId kFloat64ArrayType = TypeId{1022};
inline constexpr TypeId kTimestampArrayType = TypeId{1115};
inline constexpr TypeId kDateArrayType = TypeId{1182};
inline constexpr TypeId kTimeArrayType = TypeId{1183};
inline constexpr TypeId kTimestampTzArrayType = TypeId{1185};
inline constexpr TypeId kIntervalArrayType = TypeId{1187};
inline constexpr TypeId kNumericArrayType = TypeId{1231};
inline constexpr TypeId kTimeTzArrayType = TypeId{1270};
inline constexpr TypeId kUuidArrayType = TypeId{2951};
inline constexpr TypeId kCharArrayType = TypeId{1002};
inline constexpr TypeId kOidArrayType = TypeId{1028};
// int2vector and oidvector: one-dimensional arrays of int2 / oid with lower bound 0, written
// as space-separated elements (pg_index.indkey, pg_proc.proargtypes; common/array.h).
inline constexpr TypeId kInt2VectorType = TypeId{22};
inline constexpr TypeId kOidVectorType = TypeId{30};
inline constexpr TypeId kInt2VectorArrayType = TypeId{1006};
inline constexpr TypeId kOidVectorArrayType = TypeId{1013};
inline constexpr TypeId kMoneyArrayType = TypeId{791};
inline constexpr TypeId kBitArrayType = TypeId{1561};
inline constexpr TypeId kVarbitArrayType = TypeId{1563};
// The anonymous row type of ROW(...) (pseudo-type `record`) and its array type
// (common/composite.h); composite types of CREATE TYPE ... AS (...) get run-time oids.
inline constexpr TypeId kRecordType = TypeId{2249};
inline constexpr TypeId kRecordArrayType = TypeId{2287};
// PostgreSQL's polymorphic pseudo-types, as declared argument and result types of user
// functions (planner/polymorphic.h resolves them per call). No value has these types.
inline constexpr TypeId kAnyElementType = TypeId{2283};
inline constexpr TypeId kAnyArrayType = TypeId{2277};
inline constexpr TypeId kAnyNonArrayType = TypeId{2776};
inline constexpr TypeId kAnyEnumType = TypeId{3500};
inline constexpr TypeId kAnyCompatibleType = TypeId{5077};
inline constexpr TypeId kAnyCompatibleArrayType = TypeId{5078};
inline constexpr TypeId kAnyCompatibleNonArrayType = TypeId{5079};
// One of the seven above.
bool IsPolymorphicType(TypeId id);

// A type with its modifier: varchar(n)/char(n) keep n; numeric(p,s) keeps ((p << 16) | s);
// interval keeps PostgreSQL's (range << 16) | precision; time and timetz their precision; an array
// type its element's; -1 when absent. Same encoding of typmod as PostgreSQL minus its VARHDRSZ
// offset.
struct Type {
  TypeId id = TypeId::kUnknown;
  int32_t typmod = -1;

  bool operator==(const Type& o) const = default;
  static Type Of(TypeId id) { return Type{id, -1}; }
};

// PostgreSQL's name of the type as format_type shows it ("integer", "character varying(10)").
std::string TypeName(Type t);
// PostgreSQL's typlen (-1 for varlena, 16 for interval).
int16_t TypeLength(TypeId id);
// PostgreSQL's typmod as sent in RowDescription (varchar(n) -> n + 4, numeric -> ((p<<16)|s)+4,
// interval as is).
int32_t WireTypmod(Type t);

bool IsIntegerType(TypeId id);  // int2, int4, int8
bool IsNumericType(TypeId id);  // integers, float4, float8, numeric (not oid, money)
bool IsStringType(TypeId id);   // text, varchar, bpchar, name, unknown
// date, timestamp, timestamptz (not time and timetz, though PostgreSQL's category D holds them:
// they have their own hooks and casts, common/time_types.h).
bool IsDateTimeType(TypeId id);
// pg_type.typname ("int4", "varchar", "timestamptz"), as a cast column or pg_typeof shows it.
const char* InternalTypeName(TypeId id);
// pg_type.typarray: the oid of the array type (0 if none).
uint32_t ArrayTypeOid(TypeId id);

// Resolves a type name as written in SQL ("int", "int4", "integer", "varchar", "character
// varying", "timestamp with time zone", "float8", "double precision", "decimal", "interval",
// and the array typnames "_int4", "_text", ...).
// Returns false if the name is not a supported type.
bool LookupTypeName(std::string_view name, TypeId* out);

}  // namespace activestore
