#include "common/user_types.h"

#include <fmt/format.h>

#include <bit>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "common/error.h"
#include "common/value.h"
#include "common/value_ops.h"

namespace activestore {
namespace {

// What every published user type has: its entry and its array type's (the names they point at
// live here).
struct UserTypeEntry {
  std::string typname;
  std::string array_typname;
  std::string array_sql_name;
  TypeInfo info{};
  TypeInfo array_info{};
};

// One published definition of an enum and its array type.
struct EnumEntry : UserTypeEntry {
  std::shared_ptr<const std::vector<EnumLabel>> labels;
  std::unordered_map<std::string, int64_t> by_label;
  std::unordered_map<int64_t, size_t> by_payload;  // index into *labels
};

// One published definition of a composite type and its array type.
struct CompositeEntry : UserTypeEntry {
  std::shared_ptr<const std::vector<CompositeField>> fields;
};

// One published definition of a base type and its array type.
struct BaseEntry : UserTypeEntry {
  TypeId physical = TypeId::kInt32;
};

struct Registry {
  std::vector<std::unique_ptr<BaseEntry>> all_bases;
  std::unordered_map<uint32_t, const BaseEntry*> bases;  // by type and by array oid
  std::shared_mutex mu;
  std::vector<std::unique_ptr<EnumEntry>> all;              // every entry ever published
  std::unordered_map<uint32_t, const EnumEntry*> by_oid;    // the latest, by enum oid
  std::unordered_map<uint32_t, const EnumEntry*> by_array;  // the latest, by array oid
  std::vector<std::unique_ptr<CompositeEntry>> all_composites;
  std::unordered_map<uint32_t, const CompositeEntry*> composites;  // by type and by array oid
};

// Fills the names and both registry entries of user type `oid` named `name` (pg_type's
// category, typlen, typalign and the value layout of the type; its array is a varlena of
// category A with the same alignment).
void FillUserType(UserTypeEntry* e, uint32_t oid, uint32_t array_oid, const std::string& name,
                  TypeCategory category, int16_t typlen, char align, ValueLayout layout,
                  const TypeMethods* methods) {
  e->typname = name;
  e->array_typname = "_" + name;
  e->array_sql_name = name + "[]";
  e->info = TypeInfo{static_cast<TypeId>(oid),
                     e->typname.c_str(),
                     e->typname.c_str(),
                     e->typname.c_str(),
                     array_oid,
                     category,
                     false,
                     typlen,
                     align,
                     layout,
                     0,
                     nullptr,
                     methods};
  e->array_info = TypeInfo{static_cast<TypeId>(array_oid),
                           e->array_typname.c_str(),
                           e->array_sql_name.c_str(),
                           e->array_sql_name.c_str(),
                           0,
                           TypeCategory::kArray,
                           false,
                           -1,
                           align,
                           ValueLayout::kString,
                           0,
                           nullptr};
  e->array_info.elem = oid;
}

Registry& Reg() {
  static Registry* r = new Registry();  // never destroyed: entries outlive static teardown
  return *r;
}

const EnumEntry* FindEnum(TypeId id) {
  Registry& r = Reg();
  std::shared_lock lock(r.mu);
  auto it = r.by_oid.find(static_cast<uint32_t>(id));
  return it == r.by_oid.end() ? nullptr : it->second;
}

const EnumEntry& EnumOf(TypeId id) {
  const EnumEntry* e = FindEnum(id);
  if (e == nullptr) {
    Throw(SqlState::kInternalError, "type oid {} is not an enum", static_cast<uint32_t>(id));
  }
  return *e;
}

// ---- the hooks (enum_in, enum_out, the btree and hash support) ----

void EnumIn(std::string_view text, const FormatOptions&, Value* out) {
  out->i = EnumPayloadOf(out->type.id, text);
}

std::string EnumOut(const Value& v, const FormatOptions&) { return EnumLabelOf(v.type.id, v.i); }

int EnumCompare(int64_t a, int64_t, int64_t b, int64_t) { return a < b ? -1 : (a > b ? 1 : 0); }

uint64_t EnumHash(int64_t w, int64_t) {
  uint64_t x = static_cast<uint64_t>(w) ^ 0x9b05688c2b3e6c1fULL;
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  return x ^ (x >> 33);
}

void EnumKey(const Value& v, std::string* out) {
  uint64_t u = static_cast<uint64_t>(v.i) ^ (uint64_t{1} << 63);
  for (int i = 7; i >= 0; --i) out->push_back(static_cast<char>(u >> (8 * i)));
}

const TypeMethods kEnumMethods = {EnumIn, EnumOut, EnumCompare, EnumHash, EnumKey};

// ---- base types: the hooks over the physical type's datum ----

const BaseEntry* FindBase(TypeId id) {
  Registry& r = Reg();
  std::shared_lock lock(r.mu);
  auto it = r.bases.find(static_cast<uint32_t>(id));
  return it == r.bases.end() || it->second->info.id != id ? nullptr : it->second;
}

TypeId PhysicalOf(TypeId id) {
  const BaseEntry* e = FindBase(id);
  if (e == nullptr)
    Throw(SqlState::kInternalError, "type oid {} is not a base type", static_cast<uint32_t>(id));
  return e->physical;
}

void BaseIn(std::string_view text, const FormatOptions& opts, Value* out) {
  TypeId physical = PhysicalOf(out->type.id);
  Value v = ParseValue(text, Type::Of(physical), opts);
  if (TypeInfoOf(physical).layout == ValueLayout::kString) {
    out->s = std::move(v.s);
    return;
  }
  uint64_t bits = 0;
  DatumBitsOf(v, &bits);
  out->i = static_cast<int64_t>(bits);
}

std::string BaseOut(const Value& v, const FormatOptions& opts) {
  TypeId physical = PhysicalOf(v.type.id);
  Value p;
  if (TypeInfoOf(physical).layout == ValueLayout::kString) {
    p = v;
    p.type = Type::Of(physical);
  } else {
    ValueFromDatumBits(static_cast<uint64_t>(v.i), Type::Of(physical), &p);
  }
  return FormatValue(p, opts);
}

int BaseCompare(int64_t a, int64_t, int64_t b, int64_t) { return a < b ? -1 : (a > b ? 1 : 0); }

uint64_t BaseHash(int64_t w, int64_t w2) { return EnumHash(w ^ 0x452821e638d01377LL, w2); }

void BaseKey(const Value& v, std::string* out) { EnumKey(v, out); }

// A binary-coercible cast (pg_cast castmethod 'b') to or from a base type: the datum's bits
// read as the target type; a varlena base type and a string type share their bytes.
bool BaseCast(const Value& v, Type to, const FormatOptions&, Value* out) {
  uint64_t bits;
  if (DatumBitsOf(v, &bits)) return ValueFromDatumBits(bits, to, out);
  if (TypeInfoOf(v.type.id).layout == ValueLayout::kString &&
      TypeInfoOf(to.id).layout == ValueLayout::kString) {
    *out = v;
    out->type = to;
    return true;
  }
  return false;
}

const TypeMethods kBaseIntMethods = {BaseIn, BaseOut, BaseCompare, BaseHash, BaseKey, BaseCast};
const TypeMethods kBaseStringMethods = {BaseIn, BaseOut, nullptr, nullptr, nullptr, BaseCast};

}  // namespace

bool BaseTypePhysicalSupported(TypeId t) {
  switch (t) {
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
    case TypeId::kFloat32:
    case TypeId::kFloat64:
    case TypeId::kBool:
    case TypeId::kOid:
    case TypeId::kChar:
    case TypeId::kText:
    case TypeId::kBytea:
      return true;
    default:
      return false;
  }
}

void RegisterBaseType(const BaseTypeDef& def) {
  Registry& r = Reg();
  {
    std::shared_lock lock(r.mu);
    auto it = r.bases.find(def.oid);
    if (it != r.bases.end() && it->second->typname == def.name &&
        it->second->physical == def.physical && it->second->info.array_oid == def.array_oid &&
        it->second->info.preferred == def.preferred) {
      return;  // unchanged
    }
  }
  auto e = std::make_unique<BaseEntry>();
  const bool by_value = TypeInfoOf(def.physical).layout != ValueLayout::kString;
  FillUserType(e.get(), def.oid, def.array_oid, def.name, TypeCategory::kUserDefined, def.typlen,
               def.align, by_value ? ValueLayout::kInt64 : ValueLayout::kString,
               by_value ? &kBaseIntMethods : &kBaseStringMethods);
  e->info.preferred = def.preferred;
  e->physical = def.physical;
  std::unique_lock lock(r.mu);
  r.bases[def.oid] = e.get();
  if (def.array_oid != 0) r.bases[def.array_oid] = e.get();
  r.all_bases.push_back(std::move(e));
}

bool IsUserBaseType(TypeId id) { return FindBase(id) != nullptr; }

bool DatumBitsOf(const Value& v, uint64_t* bits) {
  switch (v.type.id) {
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
    case TypeId::kOid:
    case TypeId::kChar:
      *bits = static_cast<uint64_t>(v.i);
      return true;
    case TypeId::kBool:
      *bits = v.i != 0 ? 1 : 0;
      return true;
    case TypeId::kFloat32:
      *bits = std::bit_cast<uint32_t>(static_cast<float>(v.f));
      return true;
    case TypeId::kFloat64:
      *bits = std::bit_cast<uint64_t>(v.f);
      return true;
    default:
      break;
  }
  if (const BaseEntry* e = FindBase(v.type.id);
      e != nullptr && e->info.layout == ValueLayout::kInt64) {
    *bits = static_cast<uint64_t>(v.i);
    return true;
  }
  return false;
}

bool ValueFromDatumBits(uint64_t bits, Type to, Value* out) {
  Value v;
  v.type = to;
  v.is_null = false;
  switch (to.id) {
    case TypeId::kInt16:
      v.i = static_cast<int16_t>(bits);
      break;
    case TypeId::kInt32:
      v.i = static_cast<int32_t>(bits);
      break;
    case TypeId::kInt64:
      v.i = static_cast<int64_t>(bits);
      break;
    case TypeId::kOid:
      v.i = static_cast<uint32_t>(bits);
      break;
    case TypeId::kChar:
      v.i = static_cast<int8_t>(bits);
      break;
    case TypeId::kBool:
      v.i = (bits & 0xff) != 0 ? 1 : 0;
      break;
    case TypeId::kFloat32:
      v.f = std::bit_cast<float>(static_cast<uint32_t>(bits));
      break;
    case TypeId::kFloat64:
      v.f = std::bit_cast<double>(bits);
      break;
    default: {
      const BaseEntry* e = FindBase(to.id);
      if (e == nullptr || e->info.layout != ValueLayout::kInt64) return false;
      v.i = static_cast<int64_t>(bits);
      break;
    }
  }
  *out = std::move(v);
  return true;
}

int64_t EnumPayload(double order) {
  if (order == 0) order = 0;  // -0.0 and 0.0 are one sort order
  auto bits = std::bit_cast<int64_t>(order);
  // Negative doubles order backwards as integers: flip their magnitude bits.
  return bits < 0 ? bits ^ INT64_MAX : bits;
}

double EnumSortOrder(int64_t payload) {
  return std::bit_cast<double>(payload < 0 ? payload ^ INT64_MAX : payload);
}

void RegisterEnumType(uint32_t oid, uint32_t array_oid, const std::string& name,
                      std::vector<EnumLabel> labels) {
  Registry& r = Reg();
  {
    std::shared_lock lock(r.mu);
    auto it = r.by_oid.find(oid);
    if (it != r.by_oid.end() && it->second->typname == name && *it->second->labels == labels &&
        it->second->info.array_oid == array_oid) {
      return;  // unchanged
    }
  }
  auto e = std::make_unique<EnumEntry>();
  // pg_type of an enum: typcategory E, 4 bytes, int-aligned (the oid of the pg_enum row).
  FillUserType(e.get(), oid, array_oid, name, TypeCategory::kEnum, 4, 'i', ValueLayout::kInt64,
               &kEnumMethods);
  for (size_t i = 0; i < labels.size(); ++i) {
    int64_t p = EnumPayload(labels[i].sort_order);
    e->by_label.emplace(labels[i].label, p);
    e->by_payload.emplace(p, i);
  }
  e->labels = std::make_shared<const std::vector<EnumLabel>>(std::move(labels));
  std::unique_lock lock(r.mu);
  r.by_oid[oid] = e.get();
  if (array_oid != 0) r.by_array[array_oid] = e.get();
  r.all.push_back(std::move(e));
}

void RegisterCompositeType(uint32_t oid, uint32_t array_oid, const std::string& name,
                           std::vector<CompositeField> fields) {
  Registry& r = Reg();
  {
    std::shared_lock lock(r.mu);
    auto it = r.composites.find(oid);
    if (it != r.composites.end() && it->second->typname == name && *it->second->fields == fields &&
        it->second->info.array_oid == array_oid) {
      return;  // unchanged
    }
  }
  auto e = std::make_unique<CompositeEntry>();
  // pg_type of a composite type: typtype c, typcategory C, varlena, double-aligned.
  FillUserType(e.get(), oid, array_oid, name, TypeCategory::kComposite, -1, 'd',
               ValueLayout::kString, &kRecordMethods);
  e->fields = std::make_shared<const std::vector<CompositeField>>(std::move(fields));
  std::unique_lock lock(r.mu);
  r.composites[oid] = e.get();
  if (array_oid != 0) r.composites[array_oid] = e.get();
  r.all_composites.push_back(std::move(e));
}

std::shared_ptr<const std::vector<CompositeField>> CompositeFieldsOf(TypeId id) {
  Registry& r = Reg();
  std::shared_lock lock(r.mu);
  auto it = r.composites.find(static_cast<uint32_t>(id));
  if (it == r.composites.end() || it->second->info.id != id) return nullptr;
  return it->second->fields;
}

const TypeInfo* FindUserType(uint32_t oid) {
  Registry& r = Reg();
  std::shared_lock lock(r.mu);
  if (auto it = r.by_oid.find(oid); it != r.by_oid.end()) return &it->second->info;
  if (auto it = r.by_array.find(oid); it != r.by_array.end()) return &it->second->array_info;
  if (auto it = r.composites.find(oid); it != r.composites.end()) {
    const CompositeEntry& e = *it->second;
    return static_cast<uint32_t>(e.info.id) == oid ? &e.info : &e.array_info;
  }
  if (auto it = r.bases.find(oid); it != r.bases.end()) {
    const BaseEntry& e = *it->second;
    return static_cast<uint32_t>(e.info.id) == oid ? &e.info : &e.array_info;
  }
  return nullptr;
}

bool IsEnumType(TypeId id) { return FindEnum(id) != nullptr; }

std::shared_ptr<const std::vector<EnumLabel>> EnumLabelsOf(TypeId id) {
  const EnumEntry* e = FindEnum(id);
  return e == nullptr ? nullptr : e->labels;
}

int64_t EnumPayloadOf(TypeId type, std::string_view label) {
  const EnumEntry& e = EnumOf(type);
  auto it = e.by_label.find(std::string(label));
  if (it == e.by_label.end()) {
    Throw(SqlState::kInvalidTextRepresentation, "invalid input value for enum {}: \"{}\"",
          e.typname, label);
  }
  return it->second;
}

const std::string& EnumLabelOf(TypeId type, int64_t payload) {
  const EnumEntry& e = EnumOf(type);
  auto it = e.by_payload.find(payload);
  if (it == e.by_payload.end()) {
    Throw(SqlState::kInternalError, "invalid internal value for enum: {}", EnumSortOrder(payload));
  }
  return (*e.labels)[it->second].label;
}

}  // namespace activestore
