#include "common/types.h"

#include <fmt/format.h>

#include <cctype>

namespace activestore {

std::string TypeName(Type t) {
  switch (t.id) {
    case TypeId::kUnknown:
      return "unknown";
    case TypeId::kBool:
      return "boolean";
    case TypeId::kInt16:
      return "smallint";
    case TypeId::kInt32:
      return "integer";
    case TypeId::kInt64:
      return "bigint";
    case TypeId::kFloat64:
      return "double precision";
    case TypeId::kNumeric:
      if (t.typmod >= 0) {
        int scale = t.typmod & 0x7ff;
        if (scale & 0x400) scale -= 0x800;
        return fmt::format("numeric({},{})", (t.typmod >> 16) & 0xffff, scale);
      }
      return "numeric";
    case TypeId::kText:
      return "text";
    case TypeId::kVarchar:
      return t.typmod >= 0 ? fmt::format("character varying({})", t.typmod) : "character varying";
    case TypeId::kBpchar:
      return t.typmod >= 0 ? fmt::format("character({})", t.typmod) : "bpchar";
    case TypeId::kDate:
      return "date";
    case TypeId::kTimestamp:
      return "timestamp without time zone";
    case TypeId::kTimestampTz:
      return "timestamp with time zone";
    case TypeId::kVoid:
      return "void";
  }
  return "unknown";
}

int16_t TypeLength(TypeId id) {
  switch (id) {
    case TypeId::kUnknown:
      return -2;
    case TypeId::kBool:
      return 1;
    case TypeId::kInt16:
      return 2;
    case TypeId::kInt32:
      return 4;
    case TypeId::kInt64:
      return 8;
    case TypeId::kFloat64:
      return 8;
    case TypeId::kDate:
      return 4;
    case TypeId::kTimestamp:
      return 8;
    case TypeId::kTimestampTz:
      return 8;
    case TypeId::kVoid:
      return 4;
    case TypeId::kNumeric:
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kBpchar:
      return -1;
  }
  return -1;
}

int32_t WireTypmod(Type t) {
  switch (t.id) {
    case TypeId::kVarchar:
    case TypeId::kBpchar:
    case TypeId::kNumeric:
      return t.typmod >= 0 ? t.typmod + 4 : -1;
    default:
      return -1;
  }
}

bool IsIntegerType(TypeId id) {
  return id == TypeId::kInt16 || id == TypeId::kInt32 || id == TypeId::kInt64;
}

bool IsNumericType(TypeId id) {
  return IsIntegerType(id) || id == TypeId::kFloat64 || id == TypeId::kNumeric;
}

bool IsStringType(TypeId id) {
  return id == TypeId::kText || id == TypeId::kVarchar || id == TypeId::kBpchar ||
         id == TypeId::kUnknown;
}

bool IsDateTimeType(TypeId id) {
  return id == TypeId::kDate || id == TypeId::kTimestamp || id == TypeId::kTimestampTz;
}

bool LookupTypeName(std::string_view name, TypeId* out) {
  // Lower case, single spaces, trimmed.
  std::string n;
  for (char c : name) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!n.empty() && n.back() != ' ') n.push_back(' ');
    } else {
      n.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  if (!n.empty() && n.back() == ' ') n.pop_back();
  struct Entry {
    const char* name;
    TypeId id;
  };
  static constexpr Entry kNames[] = {
      {"int", TypeId::kInt32},
      {"int4", TypeId::kInt32},
      {"integer", TypeId::kInt32},
      {"int2", TypeId::kInt16},
      {"smallint", TypeId::kInt16},
      {"int8", TypeId::kInt64},
      {"bigint", TypeId::kInt64},
      {"float8", TypeId::kFloat64},
      {"double precision", TypeId::kFloat64},
      {"float", TypeId::kFloat64},
      {"float4", TypeId::kFloat64},
      {"real", TypeId::kFloat64},
      {"numeric", TypeId::kNumeric},
      {"decimal", TypeId::kNumeric},
      {"text", TypeId::kText},
      {"varchar", TypeId::kVarchar},
      {"character varying", TypeId::kVarchar},
      {"char", TypeId::kBpchar},
      {"character", TypeId::kBpchar},
      {"bpchar", TypeId::kBpchar},
      {"bool", TypeId::kBool},
      {"boolean", TypeId::kBool},
      {"date", TypeId::kDate},
      {"timestamp", TypeId::kTimestamp},
      {"timestamp without time zone", TypeId::kTimestamp},
      {"timestamptz", TypeId::kTimestampTz},
      {"timestamp with time zone", TypeId::kTimestampTz},
  };
  for (const Entry& e : kNames) {
    if (n == e.name) {
      *out = e.id;
      return true;
    }
  }
  return false;
}

}  // namespace activestore
