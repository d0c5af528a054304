#include "common/type_registry.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <vector>

#include "common/aclitem.h"
#include "common/anyarray_type.h"
#include "common/bit_string.h"
#include "common/bytea.h"
#include "common/char_type.h"
#include "common/composite.h"
#include "common/cstring_type.h"
#include "common/error.h"
#include "common/float4.h"
#include "common/interval.h"
#include "common/json.h"
#include "common/jsonb.h"
#include "common/jsonpath.h"
#include "common/money.h"
#include "common/oid_type.h"
#include "common/pg_lsn.h"
#include "common/point.h"
#include "common/reg_types.h"
#include "common/system_id_types.h"
#include "common/time_types.h"
#include "common/user_types.h"
#include "common/uuid.h"
#include "common/value.h"

namespace activestore {
namespace {

std::string VarcharTypmod(int32_t t) { return fmt::format("character varying({})", t); }
std::string BpcharTypmod(int32_t t) { return fmt::format("character({})", t); }
std::string NumericTypmod(int32_t t) {
  int scale = t & 0x7ff;
  if (scale & 0x400) scale -= 0x800;
  return fmt::format("numeric({},{})", (t >> 16) & 0xffff, scale);
}
std::string TimestampTypmod(int32_t t) { return fmt::format("timestamp({}) without time zone", t); }
std::string TimestampTzTypmod(int32_t t) { return fmt::format("timestamp({}) with time zone", t); }
std::string IntervalTypmodName(int32_t t) { return "interval" + IntervalTypmodSuffix(t); }

using enum TypeId;
using C = TypeCategory;
using L = ValueLayout;

// In oid order.
constexpr std::array<TypeInfo, 46> kTypes = {{
    {kBool, "bool", "boolean", "boolean", 1000, C::kBool, true, 1, 'c', L::kInt64, 0, nullptr},
    {kBytea, "bytea", "bytea", "bytea", 1001, C::kUserDefined, false, -1, 'i', L::kString, 0,
     nullptr, &kByteaMethods},
    {kName, "name", "name", "name", 1003, C::kString, false, 64, 'c', L::kString, 0, nullptr},
    {kInt64, "int8", "bigint", "bigint", 1016, C::kNumeric, false, 8, 'd', L::kInt64, 0, nullptr},
    {kInt16, "int2", "smallint", "smallint", 1005, C::kNumeric, false, 2, 's', L::kInt64, 0,
     nullptr},
    {kInt32, "int4", "integer", "integer", 1007, C::kNumeric, false, 4, 'i', L::kInt64, 0, nullptr},
    {kText, "text", "text", "text", 1009, C::kString, true, -1, 'i', L::kString, 0, nullptr},
    {kFloat32, "float4", "real", "real", 1021, C::kNumeric, false, 4, 'i', L::kFloat64, 0, nullptr,
     &kFloat4Methods},
    {kFloat64, "float8", "double precision", "double precision", 1022, C::kNumeric, true, 8, 'd',
     L::kFloat64, 0, nullptr},
    {kUnknown, "unknown", "unknown", "unknown", 0, C::kUnknown, false, -2, 'c', L::kString, 0,
     nullptr},
    {kBpchar, "bpchar", "bpchar", "character", 1014, C::kString, false, -1, 'i', L::kString, 4,
     BpcharTypmod},
    {kVarchar, "varchar", "character varying", "character varying", 1015, C::kString, false, -1,
     'i', L::kString, 4, VarcharTypmod},
    {kDate, "date", "date", "date", 1182, C::kDateTime, false, 4, 'i', L::kInt64, 0, nullptr},
    {kTime, "time", "time without time zone", "time without time zone", 1183, C::kDateTime, false,
     8, 'd', L::kInt64, 0, TimeTypmodName, &kTimeMethods},
    {kTimestamp, "timestamp", "timestamp without time zone", "timestamp without time zone", 1115,
     C::kDateTime, false, 8, 'd', L::kInt64, 0, TimestampTypmod},
    {kTimestampTz, "timestamptz", "timestamp with time zone", "timestamp with time zone", 1185,
     C::kDateTime, true, 8, 'd', L::kInt64, 0, TimestampTzTypmod},
    {kInterval, "interval", "interval", "interval", 1187, C::kTimespan, true, 16, 'd',
     L::kInt64Pair, 0, IntervalTypmodName},
    {kTimeTz, "timetz", "time with time zone", "time with time zone", 1270, C::kDateTime, false, 12,
     'd', L::kInt64Pair, 0, TimeTzTypmodName, &kTimeTzMethods},
    {kNumeric, "numeric", "numeric", "numeric", 1231, C::kNumeric, false, -1, 'i', L::kNumeric, 4,
     NumericTypmod},
    {kVoid, "void", "void", "void", 0, C::kPseudo, false, 4, 'i', L::kString, 0, nullptr},
    // record: ROW(...) values and the result of functions returning rows (common/composite.h).
    {kRecordType, "record", "record", "record", 2287, C::kPseudo, false, -1, 'd', L::kString, 0,
     nullptr, &kRecordMethods},
    // cstring: the pseudo-type of the I/O functions' text (common/cstring_type.h).
    {kCstringType, "cstring", "cstring", "cstring", 1263, C::kPseudo, false, -2, 'c', L::kString, 0,
     nullptr, &kCstringMethods},
    // anyarray: catalog columns holding arrays of any element type (common/anyarray_type.h).
    {kAnyArrayType, "anyarray", "anyarray", "anyarray", 0, C::kPseudo, false, -1, 'd', L::kString,
     0, nullptr, &kAnyArrayMethods},
    // trigger: a pseudo-type of function results (pg_proc.prorettype), no values of its own.
    {TypeId{2279}, "trigger", "trigger", "trigger", 0, C::kPseudo, false, 4, 'i', L::kString, 0,
     nullptr},
    {kUuid, "uuid", "uuid", "uuid", 2951, C::kUserDefined, false, 16, 'c', L::kInt64Pair, 0,
     nullptr, &kUuidMethods},
    // bit, money, "char", oid: on the hooks only (their own files).
    {kChar, "char", "\"char\"", "\"char\"", 1002, C::kInternal, false, 1, 'c', L::kInt64, 0,
     nullptr, &kCharMethods},
    {kOid, "oid", "oid", "oid", 1028, C::kNumeric, true, 4, 'i', L::kInt64, 0, nullptr,
     &kOidMethods},
    {kMoney, "money", "money", "money", 791, C::kNumeric, false, 8, 'd', L::kInt64, 0, nullptr,
     &kMoneyMethods},
    {kBit, "bit", "bit", "bit", 1561, C::kBitString, false, -1, 'i', L::kString, 0, BitTypmodName,
     &kBitMethods},
    {kVarbit, "varbit", "bit varying", "bit varying", 1563, C::kBitString, true, -1, 'i',
     L::kString, 0, VarbitTypmodName, &kVarbitMethods},
    // json and jsonb (common/json.h, common/jsonb.h).
    {kJsonType, "json", "json", "json", 199, C::kUserDefined, false, -1, 'i', L::kString, 0,
     nullptr, &kJsonMethods},
    {kJsonbType, "jsonb", "jsonb", "jsonb", 3807, C::kUserDefined, false, -1, 'i', L::kString, 0,
     nullptr, &kJsonbMethods},
    // jsonpath (common/jsonpath.h).
    {kJsonpathType, "jsonpath", "jsonpath", "jsonpath", 4073, C::kUserDefined, false, -1, 'i',
     L::kString, 0, nullptr, &kJsonpathMethods},
    // pg_lsn: its own file.
    {kPgLsnType, "pg_lsn", "pg_lsn", "pg_lsn", 3221, C::kUserDefined, false, 8, 'd', L::kInt64, 0,
     nullptr, &kPgLsnMethods},
    // point (common/point.h): two float8s, geometric.
    {kPointType, "point", "point", "point", 1017, C::kGeometric, false, 16, 'd', L::kInt64Pair, 0,
     nullptr, &kPointMethods},
    // The oid alias types (common/reg_types.h).
    {kRegClassType, "regclass", "regclass", "regclass", 2210, C::kNumeric, false, 4, 'i', L::kInt64,
     0, nullptr, &kRegClassMethods},
    {kRegTypeType, "regtype", "regtype", "regtype", 2211, C::kNumeric, false, 4, 'i', L::kInt64, 0,
     nullptr, &kRegTypeMethods},
    {kRegNamespaceType, "regnamespace", "regnamespace", "regnamespace", 4090, C::kNumeric, false, 4,
     'i', L::kInt64, 0, nullptr, &kRegNamespaceMethods},
    {kRegRoleType, "regrole", "regrole", "regrole", 4097, C::kNumeric, false, 4, 'i', L::kInt64, 0,
     nullptr, &kRegRoleMethods},
    {kRegProcType, "regproc", "regproc", "regproc", 1008, C::kNumeric, false, 4, 'i', L::kInt64, 0,
     nullptr, &kRegProcMethods},
    {kRegProcedureType, "regprocedure", "regprocedure", "regprocedure", 2207, C::kNumeric, false, 4,
     'i', L::kInt64, 0, nullptr, &kRegProcedureMethods},
    // The identifier types of the system columns and catalogs (common/system_id_types.h).
    {kTidType, "tid", "tid", "tid", 1010, C::kUserDefined, false, 6, 's', L::kInt64, 0, nullptr,
     &kTidMethods},
    {kXidType, "xid", "xid", "xid", 1011, C::kUserDefined, false, 4, 'i', L::kInt64, 0, nullptr,
     &kXidMethods},
    {kCidType, "cid", "cid", "cid", 1012, C::kUserDefined, false, 4, 'i', L::kInt64, 0, nullptr,
     &kCidMethods},
    {kXid8Type, "xid8", "xid8", "xid8", 271, C::kUserDefined, false, 8, 'd', L::kInt64, 0, nullptr,
     &kXid8Methods},
    // aclitem (common/aclitem.h): the entries of relacl, nspacl, datacl, ...
    {kAclItemType, "aclitem", "aclitem", "aclitem", 1034, C::kUserDefined, false, 12, 'i',
     L::kInt64Pair, 0, nullptr, &kAclItemMethods},
}};

// Array types: typname "_" + element typname, typcategory 'A', varlena, held as one blob
// (common/array.h). format_type of an array is its element's name followed by "[]".
constexpr TypeInfo ArrayEntry(TypeId id, const char* typname, const char* sql_name, TypeId elem,
                              char align) {
  TypeInfo t{id, typname, sql_name, sql_name, 0, C::kArray, false, -1, align, L::kString, 0};
  t.elem = static_cast<uint32_t>(elem);
  return t;
}

// int2vector and oidvector, array-like types with array types of their own.
constexpr TypeInfo WithArray(TypeInfo t, TypeId array) {
  t.array_oid = static_cast<uint32_t>(array);
  return t;
}

// In oid order.
constexpr std::array<TypeInfo, 46> kArrayTypes = {{
    WithArray(ArrayEntry(kInt2VectorType, "int2vector", "int2vector", kInt16, 'i'),
              kInt2VectorArrayType),
    WithArray(ArrayEntry(kOidVectorType, "oidvector", "oidvector", kOid, 'i'), kOidVectorArrayType),
    ArrayEntry(kBoolArrayType, "_bool", "boolean[]", kBool, 'i'),
    ArrayEntry(kByteaArrayType, "_bytea", "bytea[]", kBytea, 'i'),
    ArrayEntry(kNameArrayType, "_name", "name[]", kName, 'i'),
    ArrayEntry(kInt16ArrayType, "_int2", "smallint[]", kInt16, 'i'),
    ArrayEntry(kInt32ArrayType, "_int4", "integer[]", kInt32, 'i'),
    ArrayEntry(kTextArrayType, "_text", "text[]", kText, 'i'),
    ArrayEntry(kBpcharArrayType, "_bpchar", "character[]", kBpchar, 'i'),
    ArrayEntry(kVarcharArrayType, "_varchar", "character varying[]", kVarchar, 'i'),
    ArrayEntry(kInt64ArrayType, "_int8", "bigint[]", kInt64, 'd'),
    ArrayEntry(kFloat32ArrayType, "_float4", "real[]", kFloat32, 'i'),
    ArrayEntry(kFloat64ArrayType, "_float8", "double precision[]", kFloat64, 'd'),
    ArrayEntry(kTimestampArrayType, "_timestamp", "timestamp without time zone[]", kTimestamp, 'd'),
    ArrayEntry(kDateArrayType, "_date", "date[]", kDate, 'i'),
    ArrayEntry(kTimeArrayType, "_time", "time without time zone[]", kTime, 'd'),
    ArrayEntry(kTimestampTzArrayType, "_timestamptz", "timestamp with time zone[]", kTimestampTz,
               'd'),
    ArrayEntry(kIntervalArrayType, "_interval", "interval[]", kInterval, 'd'),
    ArrayEntry(kNumericArrayType, "_numeric", "numeric[]", kNumeric, 'i'),
    ArrayEntry(kTimeTzArrayType, "_timetz", "time with time zone[]", kTimeTz, 'd'),
    ArrayEntry(kUuidArrayType, "_uuid", "uuid[]", kUuid, 'i'),
    ArrayEntry(kCharArrayType, "_char", "\"char\"[]", kChar, 'i'),
    ArrayEntry(kCstringArrayType, "_cstring", "cstring[]", kCstringType, 'i'),
    ArrayEntry(kOidArrayType, "_oid", "oid[]", kOid, 'i'),
    ArrayEntry(kMoneyArrayType, "_money", "money[]", kMoney, 'd'),
    ArrayEntry(kBitArrayType, "_bit", "bit[]", kBit, 'i'),
    ArrayEntry(kVarbitArrayType, "_varbit", "bit varying[]", kVarbit, 'i'),
    ArrayEntry(kJsonArrayType, "_json", "json[]", kJsonType, 'i'),
    ArrayEntry(kJsonbArrayType, "_jsonb", "jsonb[]", kJsonbType, 'i'),
    ArrayEntry(kJsonpathArrayType, "_jsonpath", "jsonpath[]", kJsonpathType, 'i'),
    ArrayEntry(kPgLsnArrayType, "_pg_lsn", "pg_lsn[]", kPgLsnType, 'd'),
    ArrayEntry(kPointArrayType, "_point", "point[]", kPointType, 'd'),
    ArrayEntry(kRegClassArrayType, "_regclass", "regclass[]", kRegClassType, 'i'),
    ArrayEntry(kRegTypeArrayType, "_regtype", "regtype[]", kRegTypeType, 'i'),
    ArrayEntry(kRegNamespaceArrayType, "_regnamespace", "regnamespace[]", kRegNamespaceType, 'i'),
    ArrayEntry(kRegRoleArrayType, "_regrole", "regrole[]", kRegRoleType, 'i'),
    ArrayEntry(kRegProcArrayType, "_regproc", "regproc[]", kRegProcType, 'i'),
    ArrayEntry(kRegProcedureArrayType, "_regprocedure", "regprocedure[]", kRegProcedureType, 'i'),
    ArrayEntry(kRecordArrayType, "_record", "record[]", kRecordType, 'd'),
    ArrayEntry(kInt2VectorArrayType, "_int2vector", "int2vector[]", kInt2VectorType, 'i'),
    ArrayEntry(kOidVectorArrayType, "_oidvector", "oidvector[]", kOidVectorType, 'i'),
    ArrayEntry(kTidArrayType, "_tid", "tid[]", kTidType, 'i'),
    ArrayEntry(kXidArrayType, "_xid", "xid[]", kXidType, 'i'),
    ArrayEntry(kCidArrayType, "_cid", "cid[]", kCidType, 'i'),
    ArrayEntry(kXid8ArrayType, "_xid8", "xid8[]", kXid8Type, 'd'),
    ArrayEntry(kAclItemArrayType, "_aclitem", "aclitem[]", kAclItemType, 'i'),
}};

// Base and array entries together, in oid order (what AllTypes lists).
const std::vector<TypeInfo>& AllEntries() {
  static const std::vector<TypeInfo> all = [] {
    std::vector<TypeInfo> v(kTypes.begin(), kTypes.end());
    v.insert(v.end(), kArrayTypes.begin(), kArrayTypes.end());
    std::sort(v.begin(), v.end(), [](const TypeInfo& a, const TypeInfo& b) {
      return static_cast<uint32_t>(a.id) < static_cast<uint32_t>(b.id);
    });
    return v;
  }();
  return all;
}

struct Alias {
  const char* name;
  TypeId id;
};
// Type names as SQL spells them.
constexpr Alias kAliases[] = {
    {"int", kInt32},
    {"int4", kInt32},
    {"integer", kInt32},
    {"int2", kInt16},
    {"smallint", kInt16},
    {"int8", kInt64},
    {"bigint", kInt64},
    {"float8", kFloat64},
    {"double precision", kFloat64},
    {"float", kFloat64},
    {"float4", kFloat32},
    {"real", kFloat32},
    {"numeric", kNumeric},
    {"decimal", kNumeric},
    {"text", kText},
    {"name", kName},
    {"varchar", kVarchar},
    {"character varying", kVarchar},
    {"char", kBpchar},
    {"character", kBpchar},
    {"bpchar", kBpchar},
    {"bool", kBool},
    {"boolean", kBool},
    {"date", kDate},
    {"timestamp", kTimestamp},
    {"timestamp without time zone", kTimestamp},
    {"timestamptz", kTimestampTz},
    {"timestamp with time zone", kTimestampTz},
    {"interval", kInterval},
    {"time", kTime},
    {"time without time zone", kTime},
    {"timetz", kTimeTz},
    {"time with time zone", kTimeTz},
    {"bytea", kBytea},
    {"uuid", kUuid},
    {"\"char\"", kChar},
    {"oid", kOid},
    {"money", kMoney},
    {"bit", kBit},
    {"bit varying", kVarbit},
    {"varbit", kVarbit},
    {"pg_lsn", kPgLsnType},
    {"point", kPointType},
    {"json", kJsonType},
    {"jsonb", kJsonbType},
    {"jsonpath", kJsonpathType},
    {"regclass", kRegClassType},
    {"regtype", kRegTypeType},
    {"regnamespace", kRegNamespaceType},
    {"regrole", kRegRoleType},
    {"regproc", kRegProcType},
    {"regprocedure", kRegProcedureType},
    {"record", kRecordType},
    {"trigger", TypeId{2279}},
    {"cstring", kCstringType},
    {"anyarray", kAnyArrayType},
    {"tid", kTidType},
    {"xid", kXidType},
    {"cid", kCidType},
    {"xid8", kXid8Type},
    {"aclitem", kAclItemType},
};

// Built-in oids are below kDirectOids: they are looked up in a table indexed by oid (this is on
// the path of every decoded value).
constexpr uint32_t kDirectOids = 8192;

const std::array<const TypeInfo*, kDirectOids>& DirectTable() {
  static const auto* table = [] {
    auto* t = new std::array<const TypeInfo*, kDirectOids>();
    auto put = [t](const TypeInfo& e) {
      if (static_cast<uint32_t>(e.id) >= kDirectOids) std::abort();  // raise kDirectOids
      (*t)[static_cast<uint32_t>(e.id)] = &e;
    };
    for (const TypeInfo& e : kTypes) put(e);
    for (const TypeInfo& e : kArrayTypes) put(e);
    return t;
  }();
  return *table;
}

}  // namespace

int CompareWords(int64_t a, int64_t, int64_t b, int64_t) { return a < b ? -1 : (a > b ? 1 : 0); }

uint64_t HashWord(int64_t w, int64_t) {
  uint64_t x = static_cast<uint64_t>(w) ^ 0x9e3779b97f4a7c15ULL;
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return x;
}

void FlippedWordKey(const Value& v, std::string* out) {
  const uint64_t u = static_cast<uint64_t>(v.i) ^ (uint64_t{1} << 63);
  for (int i = 7; i >= 0; --i) out->push_back(static_cast<char>(u >> (8 * i)));
}

const TypeInfo* FindTypeByOid(uint32_t oid) {
  if (oid < kDirectOids) {
    if (const TypeInfo* t = DirectTable()[oid]) return t;
  }
  return FindUserType(oid);  // enums (common/user_types.h)
}

const TypeInfo& TypeInfoOf(TypeId id) {
  const TypeInfo* t = FindTypeByOid(static_cast<uint32_t>(id));
  if (t == nullptr) {
    Throw(SqlState::kInternalError, "type oid {} has no registry entry", static_cast<uint32_t>(id));
  }
  return *t;
}

std::span<const TypeInfo> AllTypes() { return AllEntries(); }

const TypeInfo* FindTypeByName(std::string_view name) {
  for (const Alias& a : kAliases) {
    if (name == a.name) return &TypeInfoOf(a.id);
  }
  for (const TypeInfo& t : kArrayTypes) {
    if (name == t.typname) return &t;
  }
  return nullptr;
}

}  // namespace activestore
