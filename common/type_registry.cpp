#include "common/type_registry.h"

#include <fmt/format.h>

#include <array>
#include <cstdlib>

#include "common/bytea.h"
#include "common/error.h"
#include "common/interval.h"
#include "common/uuid.h"

namespace activestore {
namespace {

std::string VarcharTypmod(int32_t t) { return fmt::format("character varying({})", t); }
std::string BpcharTypmod(int32_t t) { return fmt::format("character({})", t); }
std::string NumericTypmod(int32_t t) {
  int scale = t & 0x7ff;
  if (scale & 0x400) scale -= 0x800;
  return fmt::format("numeric({},{})", (t >> 16) & 0xffff, scale);
}
std::string IntervalTypmodName(int32_t t) { return "interval" + IntervalTypmodSuffix(t); }

using enum TypeId;
using C = TypeCategory;
using L = ValueLayout;

// In oid order.
constexpr std::array<TypeInfo, 17> kTypes = {{
    {kBool, "bool", "boolean", "boolean", 1000, C::kBool, true, 1, 'c', L::kInt64, 0, nullptr},
    {kBytea, "bytea", "bytea", "bytea", 1001, C::kUserDefined, false, -1, 'i', L::kString, 0,
     nullptr, &kByteaMethods},
    {kInt64, "int8", "bigint", "bigint", 1016, C::kNumeric, false, 8, 'd', L::kInt64, 0, nullptr},
    {kInt16, "int2", "smallint", "smallint", 1005, C::kNumeric, false, 2, 's', L::kInt64, 0,
     nullptr},
    {kInt32, "int4", "integer", "integer", 1007, C::kNumeric, false, 4, 'i', L::kInt64, 0, nullptr},
    {kText, "text", "text", "text", 1009, C::kString, true, -1, 'i', L::kString, 0, nullptr},
    {kFloat64, "float8", "double precision", "double precision", 1022, C::kNumeric, true, 8, 'd',
     L::kFloat64, 0, nullptr},
    {kUnknown, "unknown", "unknown", "unknown", 0, C::kUnknown, false, -2, 'c', L::kString, 0,
     nullptr},
    {kBpchar, "bpchar", "bpchar", "character", 1014, C::kString, false, -1, 'i', L::kString, 4,
     BpcharTypmod},
    {kVarchar, "varchar", "character varying", "character varying", 1015, C::kString, false, -1,
     'i', L::kString, 4, VarcharTypmod},
    {kDate, "date", "date", "date", 1182, C::kDateTime, false, 4, 'i', L::kInt64, 0, nullptr},
    {kTimestamp, "timestamp", "timestamp without time zone", "timestamp without time zone", 1115,
     C::kDateTime, false, 8, 'd', L::kInt64, 0, nullptr},
    {kTimestampTz, "timestamptz", "timestamp with time zone", "timestamp with time zone", 1185,
     C::kDateTime, true, 8, 'd', L::kInt64, 0, nullptr},
    {kInterval, "interval", "interval", "interval", 1187, C::kTimespan, true, 16, 'd',
     L::kInt64Pair, 0, IntervalTypmodName},
    {kNumeric, "numeric", "numeric", "numeric", 1231, C::kNumeric, false, -1, 'i', L::kNumeric, 4,
     NumericTypmod},
    {kVoid, "void", "void", "void", 0, C::kPseudo, false, 4, 'i', L::kString, 0, nullptr},
    {kUuid, "uuid", "uuid", "uuid", 2951, C::kUserDefined, false, 16, 'c', L::kInt64Pair, 0,
     nullptr, &kUuidMethods},
}};

struct Alias {
  const char* name;
  TypeId id;
};
// Type names as SQL spells them. real/float4 are stored as double precision for now.
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
    {"float4", kFloat64},
    {"real", kFloat64},
    {"numeric", kNumeric},
    {"decimal", kNumeric},
    {"text", kText},
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
    {"bytea", kBytea},
    {"uuid", kUuid},
};

}  // namespace

const TypeInfo* FindTypeByOid(uint32_t oid) {
  for (const TypeInfo& t : kTypes) {
    if (static_cast<uint32_t>(t.id) == oid) return &t;
  }
  return nullptr;
}

const TypeInfo& TypeInfoOf(TypeId id) {
  const TypeInfo* t = FindTypeByOid(static_cast<uint32_t>(id));
  if (t == nullptr) {
    Throw(SqlState::kInternalError, "type oid {} has no registry entry", static_cast<uint32_t>(id));
  }
  return *t;
}

std::span<const TypeInfo> AllTypes() { return kTypes; }

const TypeInfo* FindTypeByName(std::string_view name) {
  for (const Alias& a : kAliases) {
    if (name == a.name) return &TypeInfoOf(a.id);
  }
  return nullptr;
}

}  // namespace activestore
