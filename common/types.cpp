#include "common/types.h"

#include <cctype>

#include "common/type_registry.h"

namespace activestore {

namespace {

const char* PolymorphicTypeName(TypeId id) {
  switch (static_cast<uint32_t>(id)) {
    case 2283:
      return "anyelement";
    case 2277:
      return "anyarray";
    case 2776:
      return "anynonarray";
    case 3500:
      return "anyenum";
    case 5077:
      return "anycompatible";
    case 5078:
      return "anycompatiblearray";
    case 5079:
      return "anycompatiblenonarray";
    default:
      return nullptr;
  }
}

}  // namespace

bool IsPolymorphicType(TypeId id) { return PolymorphicTypeName(id) != nullptr; }

std::string TypeName(Type t) {
  // A user function's declared polymorphic type (format_type of the pseudo-type).
  if (const char* poly = PolymorphicTypeName(t.id)) return poly;
  const TypeInfo& info = TypeInfoOf(t.id);
  if (info.elem != 0 && t.typmod >= 0) {
    return TypeName(Type{static_cast<TypeId>(info.elem), t.typmod}) + "[]";
  }
  if (t.typmod >= 0 && info.format_typmod != nullptr) return info.format_typmod(t.typmod);
  return info.sql_name;
}

int16_t TypeLength(TypeId id) { return TypeInfoOf(id).typlen; }

int32_t WireTypmod(Type t) {
  if (TypeInfoOf(t.id).elem != 0)
    return WireTypmod(Type{static_cast<TypeId>(TypeInfoOf(t.id).elem), t.typmod});
  if (t.typmod < 0 || TypeInfoOf(t.id).format_typmod == nullptr) return -1;
  return t.typmod + TypeInfoOf(t.id).wire_typmod_offset;
}

bool IsIntegerType(TypeId id) {
  return id == TypeId::kInt16 || id == TypeId::kInt32 || id == TypeId::kInt64;
}

// Category N without hooks: oid and money (also category N in pg_type) have their own
// behaviour hooks and operators, and are not numbers of the numeric switches.
bool IsNumericType(TypeId id) {
  const TypeInfo& t = TypeInfoOf(id);
  // oid and money are category N in pg_type but not numbers for the arithmetic and the
  // binder's number paths; real has hooks (its input, output and casts) and is a number.
  return t.category == TypeCategory::kNumeric && (t.methods == nullptr || id == TypeId::kFloat32);
}

bool IsStringType(TypeId id) {
  return TypeInfoOf(id).category == TypeCategory::kString || id == TypeId::kUnknown;
}

bool IsDateTimeType(TypeId id) {
  return id == TypeId::kDate || id == TypeId::kTimestamp || id == TypeId::kTimestampTz;
}

const char* InternalTypeName(TypeId id) { return TypeInfoOf(id).typname; }

uint32_t ArrayTypeOid(TypeId id) { return TypeInfoOf(id).array_oid; }

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
  const TypeInfo* t = FindTypeByName(n);
  if (t == nullptr) return false;
  *out = t->id;
  return true;
}

}  // namespace activestore
