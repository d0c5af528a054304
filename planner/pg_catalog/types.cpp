// pg_type (the built-in types with PostgreSQL's oids from common/type_registry, the row types
// of user relations, user enums and domains, and the array type of each), pg_collation and
// pg_am (the collations and access methods ActiveStore's values and relations behave as).
#include "common/type_registry.h"
#include "planner/pg_catalog/row_builder.h"
#include "planner/pg_catalog/system_relation.h"

namespace activestore::planner::pg_catalog {
namespace {

using enum TypeId;

Oid CollationOf(TypeId base) {
  if (base == kText || base == kVarchar || base == kBpchar) return kDefaultCollationOid;
  if (base == kName) return kCCollationOid;
  return 0;
}

void AddType(std::vector<std::unique_ptr<SystemRelation>>* out) {
  auto r = MakeRelation("pg_type", 1247, 71,
                        {{"oid", T(kOid)},
                         {"typname", T(kName)},
                         {"typnamespace", T(kOid)},
                         {"typowner", T(kOid)},
                         {"typlen", T(kInt16)},
                         {"typbyval", T(kBool)},
                         {"typtype", T(kChar)},
                         {"typcategory", T(kChar)},
                         {"typispreferred", T(kBool)},
                         {"typisdefined", T(kBool)},
                         {"typdelim", T(kChar)},
                         {"typrelid", T(kOid)},
                         {"typelem", T(kOid)},
                         {"typarray", T(kOid)},
                         {"typalign", T(kChar)},
                         {"typstorage", T(kChar)},
                         {"typnotnull", T(kBool)},
                         {"typbasetype", T(kOid)},
                         {"typtypmod", T(kInt32)},
                         {"typndims", T(kInt32)},
                         {"typcollation", T(kOid)},
                         {"typdefaultbin", T(kText)},
                         {"typdefault", T(kText)},
                         {"typacl", T(kTextArrayType)}});
  const SystemRelation* rel = r.get();
  r->key_columns = {0};
  r->rows = [rel](const CatalogReadContext& ctx, const ScanKey* key, auto* rows) {
    auto push = [&](RowBuilder b, Oid oid) {
      if (KeyAdmits(key, 0, OidValue(oid))) rows->push_back(b.Take());
    };
    auto base = [&](Oid oid, const std::string& name, Oid nsp, int len, bool byval, char typtype,
                    char category, char align, char storage) {
      RowBuilder b(*rel);
      b.Set("oid", OidValue(oid))
          .Set("typname", NameValue(name))
          .Set("typnamespace", OidValue(nsp))
          .Set("typowner", OidValue(kBootstrapSuperuserOid))
          .Set("typlen", Int2Value(len))
          .Set("typbyval", Value::Bool(byval))
          .Set("typtype", CharValue(typtype))
          .Set("typcategory", CharValue(category))
          .Set("typisdefined", Value::Bool(true))
          .Set("typdelim", CharValue(','))
          .Set("typalign", CharValue(align))
          .Set("typstorage", CharValue(storage))
          .Set("typtypmod", Value::Int32(-1));
      return b;
    };
    auto array_of = [&](Oid array_oid, const std::string& elem_name, Oid nsp, Oid elem, char align,
                        Oid collation) {
      RowBuilder b = base(array_oid, "_" + elem_name, nsp, -1, false, 'b', 'A', align, 'x');
      b.Set("typelem", OidValue(elem)).Set("typcollation", OidValue(collation));
      push(std::move(b), array_oid);
    };
    for (const TypeInfo& t : AllTypes()) {
      const Oid oid = static_cast<Oid>(t.id);
      const bool pseudo = t.category == TypeCategory::kPseudo || t.id == kUnknown;
      const bool array = t.elem != 0;
      const char storage = t.typlen == -1 ? (t.id == kNumeric ? 'm' : 'x') : 'p';
      RowBuilder b =
          base(oid, t.typname, kPgCatalogNamespaceOid, t.typlen, t.typlen > 0 && t.typlen <= 8,
               pseudo ? 'p' : 'b', static_cast<char>(t.category), t.typalign, storage);
      b.Set("typispreferred", Value::Bool(t.preferred))
          .Set("typelem", OidValue(array ? t.elem : 0))
          .Set("typarray", OidValue(t.array_oid))
          .Set("typcollation", OidValue(CollationOf(array ? static_cast<TypeId>(t.elem) : t.id)));
      push(std::move(b), oid);
    }
    const storage::CatalogSnapshot& cat = *ctx.catalog;
    for (auto it = cat.tables.lower_bound({ctx.database_oid, std::string(), std::string()});
         it != cat.tables.end() && std::get<0>(it->first) == ctx.database_oid; ++it) {
      const storage::TableInfo& t = *it->second;
      if (t.row_type_oid == 0) continue;
      const Oid nsp = SchemaOid(cat, ctx.database_oid, t.schema);
      RowBuilder b = base(t.row_type_oid, t.name, nsp, -1, false, 'c', 'C', 'd', 'x');
      b.Set("typrelid", OidValue(t.oid)).Set("typarray", OidValue(t.row_array_type_oid));
      push(std::move(b), t.row_type_oid);
      array_of(t.row_array_type_oid, t.name, nsp, t.row_type_oid, 'd', 0);
    }
    for (const auto& [k, t] : cat.types) {
      if (t->database_oid != ctx.database_oid) continue;
      const Oid nsp = SchemaOid(cat, ctx.database_oid, t->schema);
      if (t->is_enum()) {
        RowBuilder b = base(t->oid, t->name, nsp, 4, true, 'e', 'E', 'i', 'p');
        b.Set("typarray", OidValue(t->array_oid));
        push(std::move(b), t->oid);
        array_of(t->array_oid, t->name, nsp, t->oid, 'i', 0);
        continue;
      }
      if (t->is_composite()) {  // CREATE TYPE ... AS (...); typrelid 0: no pg_class row yet
        RowBuilder b = base(t->oid, t->name, nsp, -1, false, 'c', 'C', 'd', 'x');
        b.Set("typarray", OidValue(t->array_oid));
        push(std::move(b), t->oid);
        array_of(t->array_oid, t->name, nsp, t->oid, 'd', 0);
        continue;
      }
      const TypeInfo& bt = TypeInfoOf(t->base.id);
      const char storage = bt.typlen == -1 ? (bt.id == kNumeric ? 'm' : 'x') : 'p';
      RowBuilder b = base(t->oid, t->name, nsp, bt.typlen, bt.typlen > 0 && bt.typlen <= 8, 'd',
                          static_cast<char>(bt.category), bt.typalign, storage);
      b.Set("typarray", OidValue(t->array_oid))
          .Set("typnotnull", Value::Bool(t->not_null))
          .Set("typbasetype",
               OidValue(t->parent_domain != 0 ? t->parent_domain : TypeOidOf(t->base)))
          .Set("typtypmod", Value::Int32(WireTypmod(t->base)))
          .Set("typcollation", OidValue(CollationOf(t->base.id)));
      if (t->default_sql) b.Set("typdefault", Value::Text(*t->default_sql));
      push(std::move(b), t->oid);
      array_of(t->array_oid, t->name, nsp, t->oid, bt.typalign == 'd' ? 'd' : 'i',
               CollationOf(t->base.id));
    }
  };
  out->push_back(std::move(r));
}

void AddCollation(std::vector<std::unique_ptr<SystemRelation>>* out) {
  auto r = MakeRelation("pg_collation", 3456, 10095,
                        {{"oid", T(kOid)},
                         {"collname", T(kName)},
                         {"collnamespace", T(kOid)},
                         {"collowner", T(kOid)},
                         {"collprovider", T(kChar)},
                         {"collisdeterministic", T(kBool)},
                         {"collencoding", T(kInt32)},
                         {"collcollate", T(kText)},
                         {"collctype", T(kText)},
                         {"colliculocale", T(kText)},
                         {"collversion", T(kText)}});
  const SystemRelation* rel = r.get();
  r->rows = [rel](const CatalogReadContext&, const ScanKey*, auto* rows) {
    // ActiveStore compares strings bytewise: the database default is C (as PostgreSQL's
    // "default" of a database created with the C locale), and "C" / "POSIX" name the same.
    struct Coll {
      Oid oid;
      const char* name;
      char provider;
      int encoding;
      const char* locale;
    };
    for (const Coll& c :
         {Coll{kDefaultCollationOid, "default", 'd', -1, nullptr},
          Coll{kCCollationOid, "C", 'c', -1, "C"}, Coll{951, "POSIX", 'c', -1, "POSIX"}}) {
      RowBuilder b(*rel);
      b.Set("oid", OidValue(c.oid))
          .Set("collname", NameValue(c.name))
          .Set("collnamespace", OidValue(kPgCatalogNamespaceOid))
          .Set("collowner", OidValue(kBootstrapSuperuserOid))
          .Set("collprovider", CharValue(c.provider))
          .Set("collisdeterministic", Value::Bool(true))
          .Set("collencoding", Value::Int32(c.encoding));
      if (c.locale != nullptr) {
        b.Set("collcollate", Value::Text(c.locale)).Set("collctype", Value::Text(c.locale));
      }
      rows->push_back(b.Take());
    }
  };
  out->push_back(std::move(r));
}

void AddAm(std::vector<std::unique_ptr<SystemRelation>>* out) {
  auto r = MakeRelation("pg_am", 2601, 10015,
                        {{"oid", T(kOid)}, {"amname", T(kName)}, {"amtype", T(kChar)}});
  const SystemRelation* rel = r.get();
  r->rows = [rel](const CatalogReadContext&, const ScanKey*, auto* rows) {
    // Tables are heap-like (rows by key in WiredTiger); every index is a btree.
    rows->push_back(RowBuilder(*rel)
                        .Set("oid", OidValue(kHeapAmOid))
                        .Set("amname", NameValue("heap"))
                        .Set("amtype", CharValue('t'))
                        .Take());
    rows->push_back(RowBuilder(*rel)
                        .Set("oid", OidValue(kBtreeAmOid))
                        .Set("amname", NameValue("btree"))
                        .Set("amtype", CharValue('i'))
                        .Take());
  };
  out->push_back(std::move(r));
}

}  // namespace

void AddTypeRelations(std::vector<std::unique_ptr<SystemRelation>>* out) {
  AddType(out);
  AddCollation(out);
  AddAm(out);
}

}  // namespace activestore::planner::pg_catalog
