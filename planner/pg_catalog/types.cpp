// pg_type (the built-in types with PostgreSQL's oids from common/type_registry, the row types
// of user relations, user enums and domains, and the array type of each), pg_collation and
// pg_am (the collations and access methods ActiveStore's values and relations behave as).
#include "common/aclitem.h"
#include "common/builtin_catalog.h"
#include "common/reg_types.h"
#include "common/type_registry.h"
#include "planner/pg_catalog/row_builder.h"
#include "planner/pg_catalog/system_relation.h"

namespace activestore::planner::pg_catalog {
namespace {

using enum TypeId;

namespace bc = builtin_catalog;

// Sets the I/O function columns (typsubscript .. typanalyze) from `io`, PostgreSQL's for the
// type (or for the built-in type whose functions a user type shares).
void SetIo(RowBuilder* b, const bc::Type* io) {
  if (io == nullptr) return;
  b->Set("typsubscript", RegProcValue(io->subscript))
      .Set("typinput", RegProcValue(io->input))
      .Set("typoutput", RegProcValue(io->output))
      .Set("typreceive", RegProcValue(io->receive))
      .Set("typsend", RegProcValue(io->send))
      .Set("typmodin", RegProcValue(io->modin))
      .Set("typmodout", RegProcValue(io->modout))
      .Set("typanalyze", RegProcValue(io->analyze));
}

// Composite types' and user arrays' functions are those of record and of the built-in arrays
// (_int4); enums and domains have their own (enum_in, domain_in).
constexpr Oid kRecordTypeOid = 2249;
constexpr Oid kInt4ArrayTypeOid = 1007;

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
                         {"typsubscript", T(kRegProcType)},
                         {"typelem", T(kOid)},
                         {"typarray", T(kOid)},
                         {"typinput", T(kRegProcType)},
                         {"typoutput", T(kRegProcType)},
                         {"typreceive", T(kRegProcType)},
                         {"typsend", T(kRegProcType)},
                         {"typmodin", T(kRegProcType)},
                         {"typmodout", T(kRegProcType)},
                         {"typanalyze", T(kRegProcType)},
                         {"typalign", T(kChar)},
                         {"typstorage", T(kChar)},
                         {"typnotnull", T(kBool)},
                         {"typbasetype", T(kOid)},
                         {"typtypmod", T(kInt32)},
                         {"typndims", T(kInt32)},
                         {"typcollation", T(kOid)},
                         {"typdefaultbin", T(kText)},
                         {"typdefault", T(kText)},
                         {"typacl", T(kAclItemArrayType)}});
  const SystemRelation* rel = r.get();
  r->key_columns = {0};
  r->cacheable = true;
  r->rows = [rel](const CatalogReadContext& ctx, const ScanKey* key, auto* rows) {
    auto push = [&](RowBuilder b, Oid oid) {
      if (KeyAdmits(key, 0, OidValue(oid))) rows->push_back(b.Take());
    };
    Oid owner = kBootstrapSuperuserOid;  // of the type being added (and its array type)
    auto base = [&](Oid oid, const std::string& name, Oid nsp, int len, bool byval, char typtype,
                    char category, char align, char storage) {
      RowBuilder b(*rel, ctx);
      b.Set("oid", OidValue(oid))
          .Set("typname", NameValue(name))
          .Set("typnamespace", OidValue(nsp))
          .Set("typowner", OidValue(owner))
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
    // A key on oid: the objects whose rows cannot match are skipped before their rows are
    // built (psql asks pg_type for one oid per column of the table it describes).
    auto wanted = [&](Oid oid) { return KeyAdmits(key, 0, OidValue(oid)); };
    auto array_of = [&](Oid array_oid, const std::string& elem_name, Oid nsp, Oid elem, char align,
                        Oid collation) {
      if (!wanted(array_oid)) return;
      RowBuilder b = base(array_oid, "_" + elem_name, nsp, -1, false, 'b', 'A', align, 'x');
      b.Set("typelem", OidValue(elem)).Set("typcollation", OidValue(collation));
      SetIo(&b, bc::FindType(kInt4ArrayTypeOid));
      push(std::move(b), array_oid);
    };
    // A key on oid names a built-in type (below kFirstNormalObjectId) or a user object's, which
    // are found through the catalog's oid index.
    const std::optional<Oid> only = key != nullptr && key->column == 0 && !key->value.is_null
                                        ? std::optional<Oid>(static_cast<Oid>(key->value.i))
                                        : std::nullopt;
    const bool builtins = !only || *only < kFirstNormalObjectId;
    if (builtins) {
      for (const TypeInfo& t : AllTypes()) {
        const Oid oid = static_cast<Oid>(t.id);
        if (!wanted(oid)) continue;
        const bool pseudo = t.category == TypeCategory::kPseudo || t.id == kUnknown;
        const bool array = t.elem != 0;
        char typtype = pseudo ? 'p' : 'b';
        char category = static_cast<char>(t.category);
        char storage = t.typlen == -1 ? (t.id == kNumeric ? 'm' : 'x') : 'p';
        Oid elem = array ? t.elem : 0;
        // PostgreSQL's own row where it has one: name's typelem "char", int2vector and
        // oidvector stored plain, record[] a pseudo-type.
        const bc::Type* pg = bc::FindType(oid);
        if (pg != nullptr) {
          typtype = pg->type;
          category = pg->category;
          storage = pg->storage;
          elem = pg->elem;
        }
        RowBuilder b = base(oid, t.typname, kPgCatalogNamespaceOid, t.typlen,
                            PassedByValue(t.typlen), typtype, category, t.typalign, storage);
        b.Set("typispreferred", Value::Bool(t.preferred))
            .Set("typelem", OidValue(elem))
            .Set("typarray", OidValue(t.array_oid))
            .Set("typcollation", OidValue(CollationOf(array ? static_cast<TypeId>(t.elem) : t.id)));
        SetIo(&b, bc::FindType(oid));
        push(std::move(b), oid);
      }
      // PostgreSQL's pseudo-types that ActiveStore's type registry lacks (anyelement, internal,
      // cstring, ...): the vocabulary of the built-in functions' signatures.
      for (const bc::Type& t : bc::Listed().pseudo_types) {
        if (!wanted(t.oid)) continue;
        RowBuilder b = base(t.oid, t.name, kPgCatalogNamespaceOid, t.len, t.byval, t.type,
                            t.category, t.align, t.storage);
        // Its array type when that is listed too (cstring's cstring[]).
        Oid array = 0;
        for (const bc::Type& a : bc::Listed().pseudo_types) {
          if (a.elem == t.oid && a.category == 'A') array = a.oid;
        }
        b.Set("typelem", OidValue(t.elem)).Set("typarray", OidValue(array));
        SetIo(&b, &t);
        push(std::move(b), t.oid);
      }
    }
    if (only && *only < kFirstNormalObjectId) return;
    const storage::CatalogSnapshot& cat = *ctx.catalog;
    // The relations of one schema are adjacent: its oid is looked up once.
    const std::string* last_schema = nullptr;
    Oid last_nsp = 0;
    auto schema_oid = [&](const std::string& schema) {
      if (last_schema == nullptr || *last_schema != schema) {
        last_schema = &schema;
        last_nsp = SchemaOid(cat, ctx.database_oid, schema);
      }
      return last_nsp;
    };
    auto relation_type = [&](const storage::TableInfo& t) {
      if (t.row_type_oid == 0 || (!wanted(t.row_type_oid) && !wanted(t.row_array_type_oid))) {
        return;
      }
      const Oid nsp = schema_oid(t.schema);
      owner = t.owner;
      RowBuilder b = base(t.row_type_oid, t.name, nsp, -1, false, 'c', 'C', 'd', 'x');
      b.Set("typrelid", OidValue(t.oid)).Set("typarray", OidValue(t.row_array_type_oid));
      SetIo(&b, bc::FindType(kRecordTypeOid));
      push(std::move(b), t.row_type_oid);
      array_of(t.row_array_type_oid, t.name, nsp, t.row_type_oid, 'd', 0);
    };
    auto user_type = [&](const std::shared_ptr<const storage::TypeDefInfo>& t) {
      if (t->database_oid != ctx.database_oid || (!wanted(t->oid) && !wanted(t->array_oid))) {
        return;
      }
      const Oid nsp = schema_oid(t->schema);
      owner = t->owner;
      if (t->is_enum()) {
        RowBuilder b = base(t->oid, t->name, nsp, 4, true, 'e', 'E', 'i', 'p');
        b.Set("typarray", OidValue(t->array_oid))
            .Set("typinput", RegProcValue(bc::ProcOidNamed("enum_in")))
            .Set("typoutput", RegProcValue(bc::ProcOidNamed("enum_out")))
            .Set("typreceive", RegProcValue(bc::ProcOidNamed("enum_recv")))
            .Set("typsend", RegProcValue(bc::ProcOidNamed("enum_send")));
        push(std::move(b), t->oid);
        array_of(t->array_oid, t->name, nsp, t->oid, 'i', 0);
        return;
      }
      if (t->is_shell()) {  // CREATE TYPE name: TypeShellMake's row, no array type
        RowBuilder b = base(t->oid, t->name, nsp, 4, true, 'p', 'P', 'i', 'p');
        b.Set("typisdefined", Value::Bool(false))
            .Set("typinput", RegProcValue(bc::ProcOidNamed("shell_in")))
            .Set("typoutput", RegProcValue(bc::ProcOidNamed("shell_out")));
        push(std::move(b), t->oid);
        return;
      }
      if (t->is_base()) {  // CREATE TYPE name (INPUT = ..., ...)
        RowBuilder b =
            base(t->oid, t->name, nsp, t->typlen, t->byval, 'b', t->category, t->align, t->storage);
        b.Set("typispreferred", Value::Bool(t->preferred))
            .Set("typdelim", CharValue(t->delimiter))
            .Set("typelem", OidValue(t->element))
            .Set("typarray", OidValue(t->array_oid))
            .Set("typinput", RegProcValue(t->input_fn))
            .Set("typoutput", RegProcValue(t->output_fn))
            .Set("typreceive", RegProcValue(t->receive_fn))
            .Set("typsend", RegProcValue(t->send_fn))
            .Set("typmodin", RegProcValue(0))
            .Set("typmodout", RegProcValue(0))
            .Set("typanalyze", RegProcValue(0));
        if (t->default_value) b.Set("typdefault", Value::Text(*t->default_value));
        push(std::move(b), t->oid);
        array_of(t->array_oid, t->name, nsp, t->oid, t->align == 'd' ? 'd' : 'i', 0);
        return;
      }
      if (t->is_composite()) {  // CREATE TYPE ... AS (...): its pg_class row is relation_oid
        RowBuilder b = base(t->oid, t->name, nsp, -1, false, 'c', 'C', 'd', 'x');
        b.Set("typarray", OidValue(t->array_oid)).Set("typrelid", OidValue(t->relation_oid));
        SetIo(&b, bc::FindType(kRecordTypeOid));
        push(std::move(b), t->oid);
        array_of(t->array_oid, t->name, nsp, t->oid, 'd', 0);
        return;
      }
      const TypeInfo& bt = TypeInfoOf(t->base.id);
      const char storage = bt.typlen == -1 ? (bt.id == kNumeric ? 'm' : 'x') : 'p';
      RowBuilder b = base(t->oid, t->name, nsp, bt.typlen, PassedByValue(bt.typlen), 'd',
                          static_cast<char>(bt.category), bt.typalign, storage);
      b.Set("typarray", OidValue(t->array_oid))
          .Set("typnotnull", Value::Bool(t->not_null))
          .Set("typbasetype",
               OidValue(t->parent_domain != 0 ? t->parent_domain : TypeOidOf(t->base)))
          .Set("typtypmod", Value::Int32(WireTypmod(t->base)))
          .Set("typcollation", OidValue(CollationOf(t->base.id)));
      if (t->default_sql) b.Set("typdefault", Value::Text(*t->default_sql));
      // A domain reads through domain_in / domain_recv and writes as its base type.
      if (const bc::Type* io = bc::FindType(static_cast<Oid>(t->base.id))) {
        b.Set("typinput", RegProcValue(bc::ProcOidNamed("domain_in")))
            .Set("typoutput", RegProcValue(io->output))
            .Set("typreceive", RegProcValue(bc::ProcOidNamed("domain_recv")))
            .Set("typsend", RegProcValue(io->send))
            .Set("typanalyze", RegProcValue(io->analyze));
      }
      push(std::move(b), t->oid);
      array_of(t->array_oid, t->name, nsp, t->oid, bt.typalign == 'd' ? 'd' : 'i',
               CollationOf(t->base.id));
    };
    if (only) {
      if (auto t = cat.FindRelationByRowType(*only); t && t->database_oid == ctx.database_oid) {
        relation_type(*t);
      }
      auto t = cat.FindTypeByOid(*only);
      if (t == nullptr) t = cat.FindTypeByArrayOid(*only);
      if (t != nullptr) user_type(t);
      return;
    }
    for (auto it = cat.tables.lower_bound({ctx.database_oid, std::string(), std::string()});
         it != cat.tables.end() && std::get<0>(it->first) == ctx.database_oid; ++it) {
      relation_type(*it->second);
    }
    for (const auto& [k, t] : cat.types) user_type(t);
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
  r->rows = [rel](const CatalogReadContext& ctx, const ScanKey*, auto* rows) {
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
      RowBuilder b(*rel, ctx);
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
                        {{"oid", T(kOid)},
                         {"amname", T(kName)},
                         {"amhandler", T(kRegProcType)},
                         {"amtype", T(kChar)}});
  const SystemRelation* rel = r.get();
  r->rows = [rel](const CatalogReadContext& ctx, const ScanKey*, auto* rows) {
    for (const builtin_catalog::AccessMethod& a : builtin_catalog::Listed().access_methods) {
      rows->push_back(RowBuilder(*rel, ctx)
                          .Set("oid", OidValue(a.oid))
                          .Set("amname", NameValue(a.name))
                          .Set("amhandler", RegProcValue(a.handler))
                          .Set("amtype", CharValue(a.type))
                          .Take());
    }
  };
  out->push_back(std::move(r));
}

// pg_enum: one row per label of the database's enums, keyed by the label's oid.
void AddEnum(std::vector<std::unique_ptr<SystemRelation>>* out) {
  auto r = MakeRelation("pg_enum", 3501, 10045,
                        {{"oid", T(kOid)},
                         {"enumtypid", T(kOid)},
                         {"enumsortorder", T(kFloat32)},
                         {"enumlabel", T(kName)}});
  const SystemRelation* rel = r.get();
  r->key_columns = {1};
  r->rows = [rel](const CatalogReadContext& ctx, const ScanKey* key, auto* rows) {
    for (const auto& [k, t] : ctx.catalog->types) {
      if (t->database_oid != ctx.database_oid || !t->is_enum()) continue;
      if (!KeyAdmits(key, 1, OidValue(t->oid))) continue;
      for (const EnumLabel& l : t->labels) {
        Value order = Value::Float64(l.sort_order);  // float4 in PostgreSQL: the sort order
        order.type = T(kFloat32);
        rows->push_back(RowBuilder(*rel, ctx)
                            .Set("oid", OidValue(l.oid))
                            .Set("enumtypid", OidValue(t->oid))
                            .Set("enumsortorder", order)
                            .Set("enumlabel", NameValue(l.label))
                            .Take());
      }
    }
  };
  out->push_back(std::move(r));
}

}  // namespace

void AddTypeRelations(std::vector<std::unique_ptr<SystemRelation>>* out) {
  AddType(out);
  AddEnum(out);
  AddCollation(out);
  AddAm(out);
}

}  // namespace activestore::planner::pg_catalog
