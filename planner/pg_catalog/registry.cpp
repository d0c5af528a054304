// The registry of pg_catalog relations and the helpers their producers share.
#include <algorithm>
#include <cstring>

#include "common/aclitem.h"
#include "common/array.h"
#include "common/reg_types.h"
#include "common/type_registry.h"
#include "planner/pg_catalog/system_relation.h"

namespace activestore::planner::pg_catalog {

int SystemRelation::ColumnIndex(std::string_view col) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (col == columns[i].name) return static_cast<int>(i);
  }
  return -1;
}

const std::vector<std::unique_ptr<SystemRelation>>& AllSystemRelations() {
  static const std::vector<std::unique_ptr<SystemRelation>> all = [] {
    std::vector<std::unique_ptr<SystemRelation>> v;
    AddNamespaceRelations(&v);
    AddTypeRelations(&v);
    AddSharedRelations(&v);
    AddAbsentFeatureRelations(&v);
    AddSystemViews(&v);
    AddStatViews(&v);
    AddFunctionRelations(&v);
    AddBuiltinRelations(&v);
    AddDescriptionRelations(&v);
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a->name < b->name; });
    return v;
  }();
  return all;
}

const SystemRelation* FindSystemRelation(std::string_view name) {
  const auto& all = AllSystemRelations();
  auto it = std::lower_bound(all.begin(), all.end(), name,
                             [](const auto& r, std::string_view n) { return r->name < n; });
  return it != all.end() && (*it)->name == name ? it->get() : nullptr;
}

const SystemRelation* FindSystemRelationByOid(Oid oid) {
  for (const auto& r : AllSystemRelations()) {
    if (r->oid == oid) return r.get();
  }
  return nullptr;
}

Value OidValue(Oid oid) { return Value::Int(TypeId::kOid, oid); }
Value NameValue(std::string s) { return Value::Text(std::move(s), TypeId::kName); }
Value CharValue(char c) { return Value::Int(TypeId::kChar, static_cast<uint8_t>(c)); }
Value Int2Value(int v) { return Value::Int(TypeId::kInt16, v); }
Value RegProcValue(Oid oid) { return Value::Int(kRegProcType, oid); }
Value NullOf(Type t) { return Value::Null(t); }

Oid SchemaOid(const storage::CatalogSnapshot& cat, Oid db, const std::string& schema) {
  const storage::SchemaInfo* s = cat.FindSchema(db, schema);
  return s == nullptr ? 0 : s->oid;
}

Oid TypeOidOf(const Type& t) { return static_cast<Oid>(t.id); }

}  // namespace activestore::planner::pg_catalog

#include "common/error.h"
#include "common/value_ops.h"
#include "planner/pg_catalog/row_builder.h"

namespace activestore::planner::pg_catalog {

namespace {

// A column's value for "none" (RowBuilder).
Value DefaultOf(const Type& type) {
  if (type.id == kRegProcType) return Value::Int(type.id, 0);  // 0 ('-'): no function
  switch (type.id) {
    case TypeId::kBool:
      return Value::Bool(false);
    case TypeId::kOid:
    case TypeId::kInt16:
    case TypeId::kInt32:
    case TypeId::kInt64:
      return Value::Int(type.id, 0);
    case TypeId::kFloat32: {
      Value v = Value::Float64(0);
      v.type = type;
      return v;
    }
    default:
      return Value::Null(type);
  }
}

}  // namespace

RowBuilder::RowBuilder(const SystemRelation& rel, const CatalogReadContext& ctx)
    : rel_(rel), slots_(ctx.slots) {
  if (slots_ == nullptr) {
    row_.reserve(rel.columns.size());
    for (const SystemColumn& c : rel.columns) row_.push_back(DefaultOf(c.type));
    return;
  }
  size_t n = 0;
  for (int slot : *slots_) n += slot >= 0 ? 1 : 0;
  row_.resize(n);
  for (size_t i = 0; i < slots_->size(); ++i) {
    if ((*slots_)[i] >= 0) row_[static_cast<size_t>((*slots_)[i])] = DefaultOf(rel.columns[i].type);
  }
}

namespace {

// Whether the NUL-terminated `name` is `col`, compared without measuring `name` (most differ in
// their first characters) and without reading past its end.
inline bool SameName(const char* name, std::string_view col) {
  for (char c : col) {
    if (*name != c) return false;
    ++name;
  }
  return *name == '\0';
}

}  // namespace

int RowBuilder::Find(std::string_view col) {
  const size_t n = rel_.columns.size();
  size_t i = hint_ < n ? hint_ : 0;
  for (size_t k = 0; k < n; ++k) {
    if (SameName(rel_.columns[i].name, col)) {
      hint_ = i + 1;
      return static_cast<int>(i);
    }
    if (++i == n) i = 0;
  }
  Throw(SqlState::kInternalError, "{} has no column {}", rel_.name, col);
}

RowBuilder& RowBuilder::Set(std::string_view col, Value v) {
  const int i = Find(col);
  const int slot = slots_ == nullptr ? i : (*slots_)[static_cast<size_t>(i)];
  if (slot >= 0) row_[static_cast<size_t>(slot)] = std::move(v);
  return *this;
}

bool ScanReads(const SystemRelation& rel, const CatalogReadContext& ctx, std::string_view col) {
  if (ctx.slots == nullptr) return true;
  const int i = rel.ColumnIndex(col);
  return i >= 0 && (*ctx.slots)[static_cast<size_t>(i)] >= 0;
}

std::vector<Value> ProjectRow(const std::vector<Value>& whole, const CatalogReadContext& ctx) {
  if (ctx.slots == nullptr) return whole;
  std::vector<Value> out;
  for (size_t i = 0; i < ctx.slots->size(); ++i) {
    const int slot = (*ctx.slots)[i];
    if (slot < 0) continue;
    if (out.size() <= static_cast<size_t>(slot)) out.resize(static_cast<size_t>(slot) + 1);
    out[static_cast<size_t>(slot)] = whole[i];
  }
  return out;
}

std::unique_ptr<SystemRelation> MakeRelation(std::string name, Oid oid, Oid row_type_oid,
                                             std::vector<SystemColumn> columns) {
  auto r = std::make_unique<SystemRelation>();
  r->name = std::move(name);
  r->oid = oid;
  r->row_type_oid = row_type_oid;
  r->columns = std::move(columns);
  return r;
}

Value ArrayOf(TypeId array_type, const std::vector<Value>& values, int lower) {
  if (lower == 1 || values.empty()) return MakeArrayValue(Type::Of(array_type), values);
  ArrayBuilder b(ArrayElementType(array_type));
  for (const Value& v : values) b.Append(v);
  Value out = Value::Text(b.Finish({static_cast<int>(values.size())}, {lower}), array_type);
  return out;
}

Value AclValue(const storage::CatalogSnapshot&, const std::optional<storage::Acl>& acl) {
  if (!acl) return Value::Null(Type::Of(kAclItemArrayType));
  std::vector<Value> items;
  items.reserve(acl->size());
  for (const storage::AclItem& item : *acl) {
    items.push_back(AclItemValue(item.grantee, item.grantor, item.privs, item.grant_options));
  }
  return ArrayOf(kAclItemArrayType, items);
}

bool NameAdmits(const CatalogReadContext& ctx, const ScanKey* key, int col, std::string_view name) {
  if (key != nullptr && key->column == col && (key->value.is_null || key->value.s != name)) {
    return false;
  }
  return ctx.name_filter_column != col || !ctx.name_filter || ctx.name_filter(name);
}

bool KeyAdmits(const ScanKey* key, int col, const Value& v) {
  return key == nullptr || key->column != col || CompareValues(key->value, v) == 0;
}

}  // namespace activestore::planner::pg_catalog
