// The run-time part of the type registry: entries for the enum types that CREATE TYPE makes
// (and their array types), added when the catalog shows them (storage/catalog.cpp calls
// RegisterEnumType for every enum of a snapshot it publishes or builds for a transaction).
// FindTypeByOid / TypeInfoOf fall back to these after the static entries, so an enum value
// goes through the same hooks as the built-in types (common/type_registry.h).
// See docs/design/2026-12-05-user-defined-types.md.
//
// An enum value is its label's sort order (PostgreSQL's pg_enum.enumsortorder, a float8 here),
// held as a kInt64 payload whose integer order is the float order (EnumPayload), so the
// vectors, comparisons, hashing and key encodings of the kInt64 layout serve it unchanged, and
// ALTER TYPE ... ADD VALUE BEFORE never changes a stored value.
//
// Thread safety: all functions are thread-safe. Entries are immutable once published; a new
// definition of a type (labels added or renamed, the type renamed) publishes a new entry for
// the same oid and keeps the old one alive, so a TypeInfo reference never dangles. Oids are
// never reused, so the entry of a type whose creating transaction rolled back is harmless.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/composite.h"
#include "common/type_registry.h"
#include "common/types.h"
#include "common/value.h"

namespace activestore {

struct EnumLabel {
  double sort_order = 0;
  std::string label;
  // pg_enum.oid, given by the catalog when the label is created (0 for labels of catalogs
  // written before labels had oids).
  uint32_t oid = 0;
  bool operator==(const EnumLabel& o) const = default;
};

// PostgreSQL's NAMEDATALEN - 1: the longest enum label.
inline constexpr size_t kMaxEnumLabelLength = 63;

// Registers enum type `oid` named `name` with `labels` (ascending by sort order) and its array
// type `array_oid` (typname "_" + name), or replaces their entries if the definition changed.
void RegisterEnumType(uint32_t oid, uint32_t array_oid, const std::string& name,
                      std::vector<EnumLabel> labels);

// Registers composite type `oid` named `name` (CREATE TYPE ... AS (...), or a table's row type)
// with its attributes and its array type `array_oid`, or replaces their entries if the
// definition changed (common/composite.h).
void RegisterCompositeType(uint32_t oid, uint32_t array_oid, const std::string& name,
                           std::vector<CompositeField> fields);

// A base type made by CREATE TYPE name (INPUT = f, OUTPUT = g, ...) whose I/O functions are
// those of built-in type `physical` (LANGUAGE internal;
// docs/design/2026-12-07-base-types-casts.md). Its values are `physical`'s datums: for a by-value
// type (int2, int4, int8, oid, bool, "char", float4, float8) the datum's bits in Value::i (layout
// kInt64), as PostgreSQL holds them, so a binary-coercible cast (CREATE CAST ... WITHOUT FUNCTION)
// reinterprets the bits; for a varlena type of the string layout the bytes in Value::s.
struct BaseTypeDef {
  uint32_t oid = 0;
  uint32_t array_oid = 0;
  std::string name;
  TypeId physical = TypeId::kInt32;
  bool preferred = false;
  int16_t typlen = -1;
  char align = 'i';
};

// Whether values of built-in type `t` can be a base type's (BaseTypeDef::physical).
bool BaseTypePhysicalSupported(TypeId t);

// Registers base type `def` and its array type, or replaces their entries if the definition
// changed.
void RegisterBaseType(const BaseTypeDef& def);

// Whether `id` is a base type of RegisterBaseType.
bool IsUserBaseType(TypeId id);

// PostgreSQL's Datum of a by-value value (int2/int4/int8/oid/bool/"char"/float4/float8, a base
// type of such a type): its bits, sign-extended for the integers. False for other types.
bool DatumBitsOf(const Value& v, uint64_t* bits);

// The value of type `to` whose datum is `bits` (the low typlen bytes), as a binary coercion
// reads it; false if `to` is not such a by-value type.
bool ValueFromDatumBits(uint64_t bits, Type to, Value* out);

// The attributes of composite type `id`, or null if it is not a registered composite type.
std::shared_ptr<const std::vector<CompositeField>> CompositeFieldsOf(TypeId id);

// The run-time entry of `oid` (an enum, a composite type or their array types), or null.
const TypeInfo* FindUserType(uint32_t oid);

// Whether `id` is an enum type (pg_type.typtype 'e').
bool IsEnumType(TypeId id);

// The labels of enum type `id` in sort order, or null if it is not an enum.
std::shared_ptr<const std::vector<EnumLabel>> EnumLabelsOf(TypeId id);

// The payload of an enum value with sort order `order`, and back. The payload's integer order
// is the sort order's.
int64_t EnumPayload(double order);
double EnumSortOrder(int64_t payload);

// The value of enum type `type` with label `label`; throws 22P02 `invalid input value for enum
// t: "x"` if the type has no such label.
int64_t EnumPayloadOf(TypeId type, std::string_view label);

// The label of an enum value; throws XX000 `invalid internal value for enum` if unknown.
const std::string& EnumLabelOf(TypeId type, int64_t payload);

}  // namespace activestore
