// pg_namespace, pg_class, pg_attribute, pg_attrdef, pg_index, pg_constraint, pg_sequence:
// the relations that describe schemas, relations and their columns, indexes and constraints,
// read from the transaction's CatalogSnapshot. User relations keep the oids storage/catalog.h
// gives them (16384 and up, with the oids of their row types, primary keys, constraints and
// defaults); the pg_catalog relations themselves appear with PostgreSQL 15's oids.
#include <algorithm>
#include <optional>
#include <set>

#include "common/aclitem.h"
#include "common/array.h"
#include "common/builtin_catalog.h"
#include "common/system_id_types.h"
#include "common/type_registry.h"
#include "planner/binder.h"
#include "planner/pg_catalog/opclass.h"
#include "planner/pg_catalog/row_builder.h"
#include "planner/pg_catalog/system_relation.h"
#include "planner/sql_quote.h"

namespace activestore::planner::pg_catalog {
namespace {

using enum TypeId;
using storage::TableInfo;

// Every relation (table, view, sequence) of the database, in (schema, name) order.
template <typename F>
void ForEachRelation(const storage::CatalogSnapshot& cat, Oid db, F&& f) {
  for (auto it = cat.tables.lower_bound({db, std::string(), std::string()});
       it != cat.tables.end() && std::get<0>(it->first) == db; ++it) {
    f(*it->second);
  }
}

// The relation a key on an oid column of `rel` names, if the key is on `col`.
std::optional<Oid> KeyOid(const ScanKey* key, int col) {
  if (key == nullptr || key->column != col || key->value.is_null) return std::nullopt;
  return static_cast<Oid>(key->value.i);
}

// Calls f for the user relation a key names (when there is one) or for all of them.
template <typename F>
void ForKeyedRelations(const CatalogReadContext& ctx, std::optional<Oid> only, F&& f) {
  if (only) {
    auto t = ctx.catalog->FindRelationByOid(*only);
    if (t != nullptr && t->database_oid == ctx.database_oid) f(*t);
    return;
  }
  ForEachRelation(*ctx.catalog, ctx.database_oid, f);
}

bool IsTemp(const std::string& schema) { return schema.rfind("pg_temp_", 0) == 0; }

// Calls f for each composite type of the database (CREATE TYPE ... AS (...)) that has a
// pg_class row (relkind 'c'), or only for the one whose relation is `only`.
template <typename F>
void ForEachCompositeRelation(const CatalogReadContext& ctx, std::optional<Oid> only, F&& f) {
  for (const auto& [k, t] : ctx.catalog->types) {
    if (t->database_oid != ctx.database_oid || !t->is_composite() || t->relation_oid == 0) continue;
    if (!only || *only == t->relation_oid) f(*t);
  }
}

// Facts pg_type keeps about a column's type.
struct TypeFacts {
  int16_t len = -1;
  bool byval = false;
  char align = 'i';
  char storage = 'x';
  Oid collation = 0;
  int ndims = 0;
};

TypeFacts FactsOf(Oid type_oid) {
  TypeFacts f;
  const TypeInfo* t = FindTypeByOid(type_oid);
  if (t == nullptr) return f;
  f.len = t->typlen;
  f.byval = PassedByValue(t->typlen);
  f.align = t->typalign;
  f.storage = t->typlen == -1 ? (t->id == kNumeric ? 'm' : 'x') : 'p';
  if (t->elem != 0) f.ndims = 1;
  TypeId base = t->elem != 0 ? static_cast<TypeId>(t->elem) : t->id;
  if (base == kText || base == kVarchar || base == kBpchar) f.collation = kDefaultCollationOid;
  if (base == kName) f.collation = kCCollationOid;
  return f;
}

// The column's pg_type oid: its domain's when declared with one.
Oid ColumnTypeOid(const storage::ColumnInfo& c) {
  return c.domain != 0 ? c.domain : TypeOidOf(c.type);
}

// One index of a table as pg_class/pg_index see it (the primary key included).
struct IndexView {
  Oid oid;
  std::string name;
  const std::vector<int>& columns;  // the table's
  const std::vector<int>& include;
  bool unique, primary, constraint;
  Oid constraint_oid;
  const storage::IndexInfo* info = nullptr;  // null for the primary key
};

std::vector<IndexView> IndexesOf(const TableInfo& t) {
  std::vector<IndexView> out;
  if (t.pkey_index_oid != 0) {
    out.push_back({t.pkey_index_oid, t.PrimaryKeyName(), t.primary_key, t.primary_key_include, true,
                   true, true, t.pkey_constraint_oid});
  }
  for (const storage::IndexInfo& i : t.indexes) {
    if (i.primary) continue;
    out.push_back({i.oid, i.name, i.columns, i.include, i.unique, false, i.is_constraint,
                   i.constraint_oid, &i});
  }
  return out;
}

// Whether IndexesOf(t) is not empty.
bool HasIndexes(const TableInfo& t) {
  return t.pkey_index_oid != 0 ||
         std::any_of(t.indexes.begin(), t.indexes.end(), [](const auto& i) { return !i.primary; });
}

Value AttnumArray(const std::vector<int>& cols, TypeId array_type, int lower) {
  std::vector<Value> v;
  for (int c : cols) v.push_back(Int2Value(c + 1));
  return ArrayOf(array_type, v, lower);
}

// The names a stored expression reads, in the order they first appear (a column reference's
// last name part: a CHECK expression names its own table's columns only).
void CollectColumnNames(const ast::Expr& e, std::vector<std::string>* out) {
  if (e.kind == ast::ExprKind::kColumnRef && !e.star && !e.names.empty() &&
      std::find(out->begin(), out->end(), e.names.back()) == out->end()) {
    out->push_back(e.names.back());
  }
  auto in = [&](const ast::ExprPtr& a) {
    if (a) CollectColumnNames(*a, out);
  };
  for (const auto& a : e.args) in(a);
  for (const auto& a : e.when_then) in(a);
  in(e.else_expr);
  in(e.filter);
  for (const auto& o : e.agg_order_by) in(o.expr);
}

// The columns a CHECK constraint's expression reads (0-based), each once, in the order they
// first appear (PostgreSQL's StoreRelCheck over pull_var_clause); pg_constraint.conkey is
// CheckColumns, NULL when it reads none.
std::vector<int> CheckColumnOrdinals(const TableInfo& t, const std::string& expr) {
  std::vector<std::string> names;
  auto query = ParseSelect("SELECT " + expr);
  if (query->targets.size() == 1 && query->targets[0].expr) {
    CollectColumnNames(*query->targets[0].expr, &names);
  }
  std::vector<int> cols;
  for (const std::string& n : names) {
    int ord = t.ColumnIndex(n);
    if (ord >= 0) cols.push_back(ord);
  }
  return cols;
}

Value CheckColumns(const TableInfo& t, const std::string& expr) {
  std::vector<int> cols = CheckColumnOrdinals(t, expr);
  if (cols.empty()) return Value::Null(Type::Of(kInt16ArrayType));
  return AttnumArray(cols, kInt16ArrayType, 1);
}

// The equality operators of a foreign key (pg_constraint.conpfeqop, conppeqop, conffeqop), as
// PostgreSQL's ATAddForeignKeyConstraint picks them from the referenced column's default btree
// operator family: referenced = referencing, referenced = referenced, referencing =
// referencing; when the family has no operator for the referencing type, that type is coerced
// to the referenced one and all three are referenced = referenced.
struct FkEqualityOps {
  Oid pf = 0, pp = 0, ff = 0;
};

FkEqualityOps ForeignKeyOperators(TypeId pk_type, TypeId fk_type) {
  const Oid opclass = DefaultBtreeOpclass(pk_type);
  const builtin_catalog::OpClass* cls = nullptr;
  for (const builtin_catalog::OpClass& c : builtin_catalog::Listed().opclasses) {
    if (c.oid == opclass) cls = &c;
  }
  FkEqualityOps out;
  if (cls == nullptr) return out;
  auto member = [&](Oid left, Oid right) -> Oid {
    for (const builtin_catalog::AmOp& o : builtin_catalog::Listed().amops) {
      if (o.family == cls->family && o.lefttype == left && o.righttype == right &&
          o.strategy == 3) {
        return o.op;
      }
    }
    return 0;
  };
  const Oid fk = static_cast<Oid>(fk_type);
  out.pp = member(cls->intype, cls->intype);
  out.pf = member(cls->intype, fk);
  out.ff = out.pf != 0 ? member(fk, fk) : 0;
  if (out.pf == 0 || out.ff == 0) out.pf = out.ff = out.pp;
  return out;
}

void AddNamespace(std::vector<std::unique_ptr<SystemRelation>>* out) {
  auto r = MakeRelation("pg_namespace", 2615, 10047,
                        {{"oid", T(kOid)},
                         {"nspname", T(kName)},
                         {"nspowner", T(kOid)},
                         {"nspacl", T(kAclItemArrayType)}});
  const SystemRelation* rel = r.get();
  r->key_columns = {0, 1};  // oid, nspname
  r->cacheable = true;
  r->rows = [rel](const CatalogReadContext& ctx, const ScanKey* key, auto* rows) {
    std::vector<const storage::SchemaInfo*> schemas;
    for (const auto& [k, s] : ctx.catalog->schemas) {
      if (s.database_oid == ctx.database_oid) schemas.push_back(&s);
    }
    std::sort(schemas.begin(), schemas.end(),
              [](const auto* a, const auto* b) { return a->oid < b->oid; });
    for (const storage::SchemaInfo* s : schemas) {
      if (!KeyAdmits(key, 0, OidValue(s->oid)) || !NameAdmits(ctx, key, 1, s->name)) continue;
      rows->push_back(RowBuilder(*rel, ctx)
                          .Set("oid", OidValue(s->oid))
                          .Set("nspname", NameValue(s->name))
                          .Set("nspowner", OidValue(s->owner))
                          .Set("nspacl", AclValue(*ctx.catalog, s->acl))
                          .Take());
    }
  };
  out->push_back(std::move(r));
}

void AddClass(std::vector<std::unique_ptr<SystemRelation>>* out) {
  auto r = MakeRelation("pg_class", 1259, 83,
                        {{"oid", T(kOid)},
                         {"relname", T(kName)},
                         {"relnamespace", T(kOid)},
                         {"reltype", T(kOid)},
                         {"reloftype", T(kOid)},
                         {"relowner", T(kOid)},
                         {"relam", T(kOid)},
                         {"relfilenode", T(kOid)},
                         {"reltablespace", T(kOid)},
                         {"relpages", T(kInt32)},
                         {"reltuples", T(kFloat32)},
                         {"relallvisible", T(kInt32)},
                         {"reltoastrelid", T(kOid)},
                         {"relhasindex", T(kBool)},
                         {"relisshared", T(kBool)},
                         {"relpersistence", T(kChar)},
                         {"relkind", T(kChar)},
                         {"relnatts", T(kInt16)},
                         {"relchecks", T(kInt16)},
                         {"relhasrules", T(kBool)},
                         {"relhastriggers", T(kBool)},
                         {"relhassubclass", T(kBool)},
                         {"relrowsecurity", T(kBool)},
                         {"relforcerowsecurity", T(kBool)},
                         {"relispopulated", T(kBool)},
                         {"relreplident", T(kChar)},
                         {"relispartition", T(kBool)},
                         {"relrewrite", T(kOid)},
                         {"relfrozenxid", T(kXidType)},
                         {"relminmxid", T(kXidType)},
                         {"relacl", T(kAclItemArrayType)},
                         {"reloptions", T(kTextArrayType)},
                         {"relpartbound", T(kText)}});
  const SystemRelation* rel = r.get();
  r->key_columns = {0, 1};  // oid, relname
  r->cacheable = true;
  r->rows = [rel](const CatalogReadContext& ctx, const ScanKey* key, auto* rows) {
    Oid owner = kBootstrapSuperuserOid;  // of the relation being added
    auto add = [&](Oid oid, const std::string& name, Oid nsp, Oid reltype, char kind, Oid am,
                   Oid filenode, int natts, bool temp) -> RowBuilder {
      RowBuilder b(*rel, ctx);
      b.Set("oid", OidValue(oid))
          .Set("relname", NameValue(name))
          .Set("relnamespace", OidValue(nsp))
          .Set("reltype", OidValue(reltype))
          .Set("relowner", OidValue(owner))
          .Set("relam", OidValue(am))
          .Set("relfilenode", OidValue(filenode))
          .Set("relpersistence", CharValue(temp ? 't' : 'p'))
          .Set("relkind", CharValue(kind))
          .Set("relnatts", Int2Value(natts))
          .Set("relispopulated", Value::Bool(true))
          .Set("relhasrules", Value::Bool(kind == 'v' || kind == 'm'))  // _RETURN (pg_rewrite)
          .Set("relreplident", CharValue(kind == 'r' || kind == 'm' ? 'd' : 'n'))
          .Set("relfrozenxid", XidValue(0))
          .Set("relminmxid", XidValue(0));
      return b;
    };
    auto real = [](double d) {
      Value v = Value::Float64(d);
      v.type = Type::Of(kFloat32);
      return v;
    };
    std::optional<Oid> only = KeyOid(key, 0);
    auto named = [&](std::string_view name) { return NameAdmits(ctx, key, 1, name); };
    if (!only || *only < kFirstNormalObjectId) {
      for (const auto& s : AllSystemRelations()) {
        if ((only && s->oid != *only) || !named(s->name)) continue;
        bool shared = s->name == "pg_database" || s->name == "pg_authid" ||
                      s->name == "pg_auth_members" || s->name == "pg_tablespace" ||
                      s->name == "pg_shdescription" || s->name == "pg_db_role_setting";
        RowBuilder b = add(s->oid, s->name, kPgCatalogNamespaceOid, s->row_type_oid,
                           s->is_view() ? 'v' : 'r', s->is_view() ? 0 : kHeapAmOid,
                           s->is_view() ? 0 : s->oid, static_cast<int>(s->columns.size()), false);
        b.Set("reltablespace", OidValue(shared ? kGlobalTablespaceOid : 0))
            .Set("reltuples", real(-1))
            .Set("relisshared", Value::Bool(shared));
        rows->push_back(b.Take());
      }
      if (only) return;
    }
    // Foreign keys are triggers on both tables in PostgreSQL (relhastriggers, which psql reads
    // before it asks for a table's foreign keys and the ones that reference it).
    std::optional<std::set<Oid>> referenced;
    auto has_triggers = [&](const TableInfo& t) {
      if (!t.foreign_keys.empty() || !t.triggers.empty()) return true;
      if (!referenced) {
        referenced.emplace();
        for (const auto& [k, other] : ctx.catalog->tables) {
          for (const auto& fk : other->foreign_keys) referenced->insert(fk.ref_table);
        }
      }
      return referenced->count(t.oid) != 0;
    };
    // PostgreSQL sets relhassubclass when a child is added and clears it lazily; here it
    // says whether the table has children now.
    std::optional<std::set<Oid>> parents;
    auto has_children = [&](const TableInfo& t) {
      if (!parents) {
        parents.emplace();
        for (const auto& [k, other] : ctx.catalog->tables) {
          parents->insert(other->parents.begin(), other->parents.end());
        }
      }
      return parents->count(t.oid) != 0;
    };
    // Columns that take a scan of the catalog: computed only when read.
    const bool reads_triggers = ScanReads(*rel, ctx, "relhastriggers");
    const bool reads_subclass = ScanReads(*rel, ctx, "relhassubclass");
    // The relations of one schema are adjacent: its oid is looked up once.
    const std::string* last_schema = nullptr;
    Oid last_nsp = 0;
    auto schema_oid = [&](const std::string& schema) {
      if (last_schema == nullptr || *last_schema != schema) {
        last_schema = &schema;
        last_nsp = SchemaOid(*ctx.catalog, ctx.database_oid, schema);
      }
      return last_nsp;
    };
    auto emit = [&](const TableInfo& t) {
      const bool table_named = named(t.name);
      if (!table_named) {
        // Skipped unless one of its indexes passes (the primary key's name is made only then).
        bool any = std::any_of(t.indexes.begin(), t.indexes.end(),
                               [&](const auto& i) { return !i.primary && named(i.name); });
        if (!any && t.pkey_index_oid != 0) any = named(t.PrimaryKeyName());
        if (!any) return;
      }
      owner = t.owner;
      const Oid nsp = schema_oid(t.schema);
      const bool temp = IsTemp(t.schema);
      if ((!only || *only == t.oid) && table_named) {
        const char kind = t.is_view ? 'v' : t.is_sequence() ? 'S' : t.matview ? 'm' : 'r';
        const Oid filenode = kind == 'v' ? 0 : t.storage_gen != 0 ? t.storage_gen : t.oid;
        RowBuilder b = add(t.oid, t.name, nsp, t.row_type_oid, kind,
                           kind == 'r' || kind == 'm' ? kHeapAmOid : 0, filenode,
                           static_cast<int>(t.columns.size()), temp);
        if (t.matview) b.Set("relispopulated", Value::Bool(t.matview->populated));
        if (t.acl) b.Set("relacl", AclValue(*ctx.catalog, t.acl));
        // A view's options; row expiry (docs/design/2026-12-06-row-expiry.md) as reloptions
        // shows options.
        if (!t.view_options.empty()) {
          std::vector<Value> opts;
          for (const std::string& o : t.view_options) opts.push_back(Value::Text(o));
          b.Set("reloptions", ArrayOf(kTextArrayType, std::move(opts)));
        } else if (t.expiry.ttl_usec > 0) {
          b.Set("reloptions", ArrayOf(kTextArrayType, {Value::Text("ttl=" + t.expiry.ttl_text)}));
        } else if (t.expiry.ttl_column >= 0 &&
                   static_cast<size_t>(t.expiry.ttl_column) < t.columns.size()) {
          b.Set("reloptions",
                ArrayOf(kTextArrayType,
                        {Value::Text("ttl_column=" + t.columns[t.expiry.ttl_column].name)}));
        }
        // A sequence's one page and row; a table's as ANALYZE last counted them.
        b.Set("relpages", Value::Int32(kind == 'S'        ? 1
                                       : t.reltuples >= 0 ? t.relpages
                                                          : 0))
            .Set("reltuples", real(kind == 'S' ? 1 : t.reltuples))
            .Set("relhasindex", Value::Bool(HasIndexes(t)))
            .Set("relhastriggers", Value::Bool(kind == 'r' && reads_triggers && has_triggers(t)))
            .Set("relchecks", Int2Value(static_cast<int>(t.checks.size())))
            .Set("relhassubclass", Value::Bool(kind == 'r' && reads_subclass && has_children(t)));
        rows->push_back(b.Take());
      }
      if (!HasIndexes(t)) return;
      for (const IndexView& i : IndexesOf(t)) {
        if ((only && *only != i.oid) || !named(i.name)) continue;
        RowBuilder b = add(i.oid, i.name, nsp, 0, 'i', kBtreeAmOid, i.oid,
                           static_cast<int>(i.columns.size() + i.include.size()), temp);
        b.Set("relpages", Value::Int32(1)).Set("reltuples", real(0));
        rows->push_back(b.Take());
      }
    };
    // A composite type's relation: no storage, its attributes are the type's fields.
    auto emit_composite = [&](const storage::TypeDefInfo& t) {
      if (!named(t.name)) return;
      owner = t.owner;
      RowBuilder b = add(t.relation_oid, t.name, schema_oid(t.schema), t.oid, 'c', 0, 0,
                         static_cast<int>(t.fields.size()), IsTemp(t.schema));
      rows->push_back(b.Take());
    };
    if (only && *only >= kFirstNormalObjectId) {
      // The oid of a table, of one of its indexes, or of a composite type's relation.
      auto t = ctx.catalog->FindRelationByOid(*only);
      if (t == nullptr) {
        ForEachRelation(*ctx.catalog, ctx.database_oid, [&](const TableInfo& x) {
          for (const IndexView& i : IndexesOf(x)) {
            if (i.oid == *only) emit(x);
          }
        });
        ForEachCompositeRelation(ctx, only, emit_composite);
      } else if (t->database_oid == ctx.database_oid) {
        emit(*t);
      }
      return;
    }
    ForEachRelation(*ctx.catalog, ctx.database_oid, emit);
    ForEachCompositeRelation(ctx, std::nullopt, emit_composite);
  };
  out->push_back(std::move(r));
}

// pg_rewrite: the _RETURN rule of each view and materialized view (ActiveStore has no other
// rules). A rule is no object of its own here: its oid is its relation's row type oid, which is
// unique among the rules (PostgreSQL's oids are unique per catalog), and ev_action holds the
// view's query text where PostgreSQL has the rule's node tree.
void AddRewrite(std::vector<std::unique_ptr<SystemRelation>>* out) {
  auto r = MakeRelation("pg_rewrite", 2618, 10035,
                        {{"oid", T(kOid)},
                         {"rulename", T(kName)},
                         {"ev_class", T(kOid)},
                         {"ev_type", T(kChar)},
                         {"ev_enabled", T(kChar)},
                         {"is_instead", T(kBool)},
                         {"ev_qual", T(kText)},
                         {"ev_action", T(kText)}});
  const SystemRelation* rel = r.get();
  r->cacheable = true;
  r->rows = [rel](const CatalogReadContext& ctx, const ScanKey*, auto* rows) {
    auto add = [&](Oid oid, Oid relid, const std::string& action) {
      RowBuilder b(*rel, ctx);
      b.Set("oid", OidValue(oid))
          .Set("rulename", NameValue("_RETURN"))
          .Set("ev_class", OidValue(relid))
          .Set("ev_type", CharValue('1'))
          .Set("ev_enabled", CharValue('O'))
          .Set("is_instead", Value::Bool(true))
          .Set("ev_qual", Value::Text("<>"))
          .Set("ev_action", Value::Text(action));
      rows->push_back(b.Take());
    };
    for (const auto& s : AllSystemRelations()) {
      if (s->is_view()) add(s->row_type_oid, s->oid, "");
    }
    ForEachRelation(*ctx.catalog, ctx.database_oid, [&](const TableInfo& t) {
      if ((t.is_view || t.matview) && t.row_type_oid != 0) add(t.row_type_oid, t.oid, t.view_sql);
    });
  };
  out->push_back(std::move(r));
}

void AddAttribute(std::vector<std::unique_ptr<SystemRelation>>* out) {
  auto r = MakeRelation("pg_attribute", 1249, 75,
                        {{"attrelid", T(kOid)},
                         {"attname", T(kName)},
                         {"atttypid", T(kOid)},
                         {"attstattarget", T(kInt32)},
                         {"attlen", T(kInt16)},
                         {"attnum", T(kInt16)},
                         {"attndims", T(kInt32)},
                         {"attcacheoff", T(kInt32)},
                         {"atttypmod", T(kInt32)},
                         {"attbyval", T(kBool)},
                         {"attalign", T(kChar)},
                         {"attstorage", T(kChar)},
                         {"attcompression", T(kChar)},
                         {"attnotnull", T(kBool)},
                         {"atthasdef", T(kBool)},
                         {"atthasmissing", T(kBool)},
                         {"attidentity", T(kChar)},
                         {"attgenerated", T(kChar)},
                         {"attisdropped", T(kBool)},
                         {"attislocal", T(kBool)},
                         {"attinhcount", T(kInt32)},
                         {"attcollation", T(kOid)},
                         {"attacl", T(kAclItemArrayType)},
                         {"attoptions", T(kTextArrayType)},
                         {"attfdwoptions", T(kTextArrayType)},
                         // anyarray in PostgreSQL; always NULL here (ActiveStore keeps no
                         // missing values: atthasmissing is false).
                         {"attmissingval", T(kAnyArrayType)}});
  const SystemRelation* rel = r.get();
  r->key_columns = {0};
  r->cacheable = true;
  r->rows = [rel](const CatalogReadContext& ctx, const ScanKey* key, auto* rows) {
    auto add = [&](Oid relid, const std::string& name, int attnum, Oid type, int32_t typmod,
                   bool not_null) -> RowBuilder {
      TypeFacts f = FactsOf(type);
      if (const auto d = ctx.catalog->FindTypeByOid(type); d != nullptr && d->is_domain()) {
        f = FactsOf(TypeOidOf(d->base));
      } else if (d != nullptr) {
        f = TypeFacts{4, true, 'i', 'p', 0, 0};  // an enum
      }
      RowBuilder b(*rel, ctx);
      b.Set("attrelid", OidValue(relid))
          .Set("attname", NameValue(name))
          .Set("atttypid", OidValue(type))
          .Set("attstattarget", Value::Int32(-1))
          .Set("attlen", Int2Value(f.len))
          .Set("attnum", Int2Value(attnum))
          .Set("attndims", Value::Int32(f.ndims))
          .Set("attcacheoff", Value::Int32(-1))
          .Set("atttypmod", Value::Int32(typmod))
          .Set("attbyval", Value::Bool(f.byval))
          .Set("attalign", CharValue(f.align))
          .Set("attstorage", CharValue(f.storage))
          .Set("attcompression", CharValue('\0'))
          .Set("attnotnull", Value::Bool(not_null))
          .Set("attidentity", CharValue('\0'))
          .Set("attgenerated", CharValue('\0'))
          .Set("attislocal", Value::Bool(true))
          .Set("attcollation", OidValue(f.collation));
      return b;
    };
    std::optional<Oid> only = KeyOid(key, 0);
    const std::string* only_name =
        key != nullptr && key->column == 1 && !key->value.is_null ? &key->value.s : nullptr;
    auto named = [&](const std::string& name) {
      return only_name == nullptr || name == *only_name;
    };
    // PostgreSQL's six system columns (attnum -1 .. -6), on tables, materialized views and the
    // catalog relations and sequences; of them a query can read tableoid (planner/bind_from.cpp),
    // the others raise 0A000 (planner/bind_expr.cpp).
    auto system_columns = [&](Oid relid) {
      static constexpr std::pair<const char*, TypeId> kColumns[] = {
          {"tableoid", TypeId::kOid}, {"cmax", kCidType}, {"xmax", kXidType},
          {"cmin", kCidType},         {"xmin", kXidType}, {"ctid", kTidType}};
      for (int i = 0; i < 6; ++i) {
        if (!named(kColumns[i].first)) continue;
        RowBuilder b =
            add(relid, kColumns[i].first, i - 6, TypeOidOf(Type::Of(kColumns[i].second)), -1, true);
        b.Set("attstattarget", Value::Int32(0));
        rows->push_back(b.Take());
      }
    };
    if (!only || *only < kFirstNormalObjectId) {
      for (const auto& s : AllSystemRelations()) {
        if ((only && s->oid != *only) || !named(s->name)) continue;
        for (size_t c = 0; c < s->columns.size(); ++c) {
          const SystemColumn& col = s->columns[c];
          rows->push_back(
              add(s->oid, col.name, static_cast<int>(c + 1), TypeOidOf(col.type), -1, false)
                  .Take());
        }
        if (!s->is_view()) system_columns(s->oid);
      }
    }
    auto emit = [&](const TableInfo& t) {
      if (!only || *only == t.oid) {
        for (size_t c = 0; c < t.columns.size(); ++c) {
          const storage::ColumnInfo& col = t.columns[c];
          RowBuilder b = add(t.oid, col.name, static_cast<int>(c + 1), ColumnTypeOid(col),
                             WireTypmod(col.type), col.not_null);
          b.Set("atthasdef", Value::Bool(col.default_oid != 0));
          b.Set("attidentity", CharValue(col.identity));
          b.Set("attgenerated", CharValue(col.generated));
          b.Set("attislocal", Value::Bool(col.is_local));
          b.Set("attinhcount", Value::Int32(col.inhcount));
          rows->push_back(b.Take());
        }
        if (!t.is_view) system_columns(t.oid);
      }
      for (const IndexView& i : IndexesOf(t)) {
        if (only && *only != i.oid) continue;
        std::vector<int> all = i.columns;
        all.insert(all.end(), i.include.begin(), i.include.end());
        for (size_t k = 0; k < all.size(); ++k) {
          if (all[k] == storage::IndexInfo::kExpressionColumn) continue;  // no type kept
          const storage::ColumnInfo& col = t.columns[all[k]];
          rows->push_back(add(i.oid, col.name, static_cast<int>(k + 1), ColumnTypeOid(col),
                              WireTypmod(col.type), false)
                              .Take());
        }
      }
    };
    auto emit_composite = [&](const storage::TypeDefInfo& t) {
      for (size_t c = 0; c < t.fields.size(); ++c) {
        const CompositeField& f = t.fields[c];
        rows->push_back(add(t.relation_oid, f.name, static_cast<int>(c + 1), TypeOidOf(f.type),
                            WireTypmod(f.type), false)
                            .Take());
      }
    };
    if (only && *only >= kFirstNormalObjectId) {
      auto t = ctx.catalog->FindRelationByOid(*only);
      if (t != nullptr) {
        if (t->database_oid == ctx.database_oid) emit(*t);
        return;
      }
    } else if (only) {
      return;
    }
    ForEachRelation(*ctx.catalog, ctx.database_oid, emit);  // an index's oid, or every relation
    ForEachCompositeRelation(ctx, only, emit_composite);
  };
  out->push_back(std::move(r));
}

void AddAttrdef(std::vector<std::unique_ptr<SystemRelation>>* out) {
  auto r = MakeRelation(
      "pg_attrdef", 2604, 10001,
      {{"oid", T(kOid)}, {"adrelid", T(kOid)}, {"adnum", T(kInt16)}, {"adbin", T(kText)}});
  const SystemRelation* rel = r.get();
  r->key_columns = {1};
  r->rows = [rel](const CatalogReadContext& ctx, const ScanKey* key, auto* rows) {
    ForKeyedRelations(ctx, KeyOid(key, 1), [&](const TableInfo& t) {
      for (size_t c = 0; c < t.columns.size(); ++c) {
        const storage::ColumnInfo& col = t.columns[c];
        if (col.default_oid == 0) continue;
        rows->push_back(
            RowBuilder(*rel, ctx)
                .Set("oid", OidValue(col.default_oid))
                .Set("adrelid", OidValue(t.oid))
                .Set("adnum", Int2Value(static_cast<int>(c + 1)))
                .Set("adbin", Value::Text(DefaultDisplayText(*col.default_sql, col.type)))
                .Take());
      }
    });
  };
  out->push_back(std::move(r));
}

void AddIndex(std::vector<std::unique_ptr<SystemRelation>>* out) {
  auto r = MakeRelation("pg_index", 2610, 10007,
                        {{"indexrelid", T(kOid)},
                         {"indrelid", T(kOid)},
                         {"indnatts", T(kInt16)},
                         {"indnkeyatts", T(kInt16)},
                         {"indisunique", T(kBool)},
                         {"indnullsnotdistinct", T(kBool)},
                         {"indisprimary", T(kBool)},
                         {"indisexclusion", T(kBool)},
                         {"indimmediate", T(kBool)},
                         {"indisclustered", T(kBool)},
                         {"indisvalid", T(kBool)},
                         {"indcheckxmin", T(kBool)},
                         {"indisready", T(kBool)},
                         {"indislive", T(kBool)},
                         {"indisreplident", T(kBool)},
                         {"indkey", T(kInt2VectorType)},
                         {"indcollation", T(kOidVectorType)},
                         {"indclass", T(kOidVectorType)},
                         {"indoption", T(kInt2VectorType)},
                         {"indexprs", T(kText)},
                         {"indpred", T(kText)}});
  const SystemRelation* rel = r.get();
  r->key_columns = {1};
  r->rows = [rel](const CatalogReadContext& ctx, const ScanKey* key, auto* rows) {
    ForKeyedRelations(ctx, KeyOid(key, 1), [&](const TableInfo& t) {
      for (const IndexView& i : IndexesOf(t)) {
        std::vector<int> all = i.columns;
        all.insert(all.end(), i.include.begin(), i.include.end());
        std::vector<Value> collations, classes, options;
        for (size_t k = 0; k < i.columns.size(); ++k) {
          const int c = i.columns[k];
          // An expression's type is not kept: text's collation and opclass stand in.
          Type type =
              c == storage::IndexInfo::kExpressionColumn ? Type::Of(kText) : t.columns[c].type;
          collations.push_back(OidValue(FactsOf(TypeOidOf(type)).collation));
          const uint32_t written = i.info != nullptr ? i.info->opclass(k) : 0;
          classes.push_back(OidValue(written != 0 ? written : DefaultBtreeOpclass(type.id)));
          options.push_back(Int2Value(i.info != nullptr ? i.info->option(k) : 0));
        }
        auto text_or_null = [](const std::string& s) {
          return s.empty() ? Value::Null(Type::Of(kText)) : Value::Text(s);
        };
        std::string exprs;
        if (i.info != nullptr) {
          for (const std::string& e : i.info->expressions) {
            exprs += (exprs.empty() ? "" : " ") + e;
          }
        }
        rows->push_back(
            RowBuilder(*rel, ctx)
                .Set("indexrelid", OidValue(i.oid))
                .Set("indrelid", OidValue(t.oid))
                .Set("indnatts", Int2Value(static_cast<int>(all.size())))
                .Set("indnkeyatts", Int2Value(static_cast<int>(i.columns.size())))
                .Set("indisunique", Value::Bool(i.unique))
                .Set("indnullsnotdistinct",
                     Value::Bool(i.info != nullptr && i.info->nulls_not_distinct))
                .Set("indisprimary", Value::Bool(i.primary))
                .Set("indimmediate", Value::Bool(true))
                .Set("indisvalid", Value::Bool(true))
                .Set("indisready", Value::Bool(true))
                .Set("indislive", Value::Bool(true))
                .Set("indkey", AttnumArray(all, kInt2VectorType, 0))
                .Set("indcollation", ArrayOf(kOidVectorType, collations, 0))
                .Set("indclass", ArrayOf(kOidVectorType, classes, 0))
                .Set("indoption", ArrayOf(kInt2VectorType, options, 0))
                .Set("indexprs", text_or_null(exprs))
                .Set("indpred", text_or_null(i.info != nullptr ? i.info->predicate : std::string()))
                .Take());
      }
    });
  };
  out->push_back(std::move(r));
}

void AddConstraint(std::vector<std::unique_ptr<SystemRelation>>* out) {
  auto r = MakeRelation("pg_constraint", 2606, 10003,
                        {{"oid", T(kOid)},
                         {"conname", T(kName)},
                         {"connamespace", T(kOid)},
                         {"contype", T(kChar)},
                         {"condeferrable", T(kBool)},
                         {"condeferred", T(kBool)},
                         {"convalidated", T(kBool)},
                         {"conrelid", T(kOid)},
                         {"contypid", T(kOid)},
                         {"conindid", T(kOid)},
                         {"conparentid", T(kOid)},
                         {"confrelid", T(kOid)},
                         {"confupdtype", T(kChar)},
                         {"confdeltype", T(kChar)},
                         {"confmatchtype", T(kChar)},
                         {"conislocal", T(kBool)},
                         {"coninhcount", T(kInt32)},
                         {"connoinherit", T(kBool)},
                         {"conkey", T(kInt16ArrayType)},
                         {"confkey", T(kInt16ArrayType)},
                         {"conpfeqop", T(kOidArrayType)},
                         {"conppeqop", T(kOidArrayType)},
                         {"conffeqop", T(kOidArrayType)},
                         {"confdelsetcols", T(kInt16ArrayType)},
                         {"conexclop", T(kOidArrayType)},
                         {"conbin", T(kText)}});
  const SystemRelation* rel = r.get();
  r->key_columns = {0, 7};
  r->rows = [rel](const CatalogReadContext& ctx, const ScanKey* key, auto* rows) {
    std::optional<Oid> by_oid = KeyOid(key, 0);
    auto emit = [&](const TableInfo& t) {
      const Oid nsp = SchemaOid(*ctx.catalog, ctx.database_oid, t.schema);
      auto base = [&](Oid oid, const std::string& name, char type) {
        RowBuilder b(*rel, ctx);
        b.Set("oid", OidValue(oid))
            .Set("conname", NameValue(name))
            .Set("connamespace", OidValue(nsp))
            .Set("contype", CharValue(type))
            .Set("convalidated", Value::Bool(true))
            .Set("conrelid", OidValue(t.oid))
            .Set("confupdtype", CharValue(' '))
            .Set("confdeltype", CharValue(' '))
            .Set("confmatchtype", CharValue(' '))
            .Set("conislocal", Value::Bool(true));
        return b;
      };
      for (const IndexView& i : IndexesOf(t)) {
        if (!i.constraint || (by_oid && *by_oid != i.constraint_oid)) continue;
        rows->push_back(base(i.constraint_oid, i.name, i.primary ? 'p' : 'u')
                            .Set("conindid", OidValue(i.oid))
                            .Set("connoinherit", Value::Bool(true))
                            .Set("conkey", AttnumArray(i.columns, kInt16ArrayType, 1))
                            .Take());
      }
      for (const storage::CheckConstraintInfo& c : t.checks) {
        if (by_oid && *by_oid != c.oid) continue;
        rows->push_back(base(c.oid, c.name, 'c')
                            .Set("convalidated", Value::Bool(c.validated))
                            .Set("conislocal", Value::Bool(c.is_local))
                            .Set("coninhcount", Value::Int32(c.inhcount))
                            .Set("connoinherit", Value::Bool(c.no_inherit))
                            .Set("conkey", CheckColumns(t, c.expr))
                            .Set("conbin", Value::Text(c.expr))
                            .Take());
      }
      for (const storage::ForeignKeyInfo& f : t.foreign_keys) {
        if (by_oid && *by_oid != f.oid) continue;
        // The referenced table's unique index on exactly the referenced columns.
        Oid index = 0;
        if (auto ref = ctx.catalog->FindRelationByOid(f.ref_table)) {
          for (const IndexView& i : IndexesOf(*ref)) {
            if (i.info != nullptr && !i.info->plain()) continue;
            std::vector<int> a = i.columns, b = f.ref_columns;
            std::sort(a.begin(), a.end());
            std::sort(b.begin(), b.end());
            if (i.unique && a == b) {
              index = i.oid;
              break;
            }
          }
        }
        std::vector<Value> pf, pp, ff;
        if (auto ref = ctx.catalog->FindRelationByOid(f.ref_table)) {
          for (size_t k = 0; k < f.columns.size() && k < f.ref_columns.size(); ++k) {
            const FkEqualityOps ops = ForeignKeyOperators(ref->columns[f.ref_columns[k]].type.id,
                                                          t.columns[f.columns[k]].type.id);
            pf.push_back(OidValue(ops.pf));
            pp.push_back(OidValue(ops.pp));
            ff.push_back(OidValue(ops.ff));
          }
        }
        rows->push_back(base(f.oid, f.name, 'f')
                            .Set("conpfeqop", ArrayOf(kOidArrayType, pf))
                            .Set("conppeqop", ArrayOf(kOidArrayType, pp))
                            .Set("conffeqop", ArrayOf(kOidArrayType, ff))
                            .Set("convalidated", Value::Bool(f.validated))
                            .Set("condeferrable", Value::Bool(f.deferrable))
                            .Set("condeferred", Value::Bool(f.initially_deferred))
                            .Set("conindid", OidValue(index))
                            .Set("confrelid", OidValue(f.ref_table))
                            .Set("confupdtype", CharValue(static_cast<char>(f.on_update)))
                            .Set("confdeltype", CharValue(static_cast<char>(f.on_delete)))
                            .Set("confmatchtype", CharValue(f.match_full ? 'f' : 's'))
                            .Set("connoinherit", Value::Bool(true))
                            .Set("conkey", AttnumArray(f.columns, kInt16ArrayType, 1))
                            .Set("confkey", AttnumArray(f.ref_columns, kInt16ArrayType, 1))
                            .Take());
      }
    };
    ForKeyedRelations(ctx, KeyOid(key, 7), emit);
    // Domains' CHECK constraints (conrelid 0, contypid the domain).
    if (std::optional<Oid> rel_key = KeyOid(key, 7); rel_key && *rel_key != 0) return;
    for (const auto& [k, d] : ctx.catalog->types) {
      if (d->database_oid != ctx.database_oid || !d->is_domain()) continue;
      for (const storage::CheckConstraintInfo& c : d->checks) {
        if (c.oid == 0 || (by_oid && *by_oid != c.oid)) continue;
        const bool valid = std::find(d->not_valid_checks.begin(), d->not_valid_checks.end(),
                                     c.name) == d->not_valid_checks.end();
        rows->push_back(
            RowBuilder(*rel, ctx)
                .Set("oid", OidValue(c.oid))
                .Set("conname", NameValue(c.name))
                .Set("connamespace", OidValue(SchemaOid(*ctx.catalog, ctx.database_oid, d->schema)))
                .Set("contype", CharValue('c'))
                .Set("convalidated", Value::Bool(valid))
                .Set("contypid", OidValue(d->oid))
                .Set("confupdtype", CharValue(' '))
                .Set("confdeltype", CharValue(' '))
                .Set("confmatchtype", CharValue(' '))
                .Set("conislocal", Value::Bool(true))
                .Set("connoinherit", Value::Bool(true))
                .Set("conbin", Value::Text(c.expr))
                .Take());
      }
    }
  };
  out->push_back(std::move(r));
}

void AddSequence(std::vector<std::unique_ptr<SystemRelation>>* out) {
  auto r = MakeRelation("pg_sequence", 2224, 10105,
                        {{"seqrelid", T(kOid)},
                         {"seqtypid", T(kOid)},
                         {"seqstart", T(kInt64)},
                         {"seqincrement", T(kInt64)},
                         {"seqmax", T(kInt64)},
                         {"seqmin", T(kInt64)},
                         {"seqcache", T(kInt64)},
                         {"seqcycle", T(kBool)}});
  const SystemRelation* rel = r.get();
  r->key_columns = {0};
  r->rows = [rel](const CatalogReadContext& ctx, const ScanKey* key, auto* rows) {
    ForKeyedRelations(ctx, KeyOid(key, 0), [&](const TableInfo& t) {
      if (!t.is_sequence()) return;
      const storage::SequenceInfo& q = *t.sequence;
      rows->push_back(RowBuilder(*rel, ctx)
                          .Set("seqrelid", OidValue(t.oid))
                          .Set("seqtypid", OidValue(static_cast<Oid>(q.type)))
                          .Set("seqstart", Value::Int64(q.start))
                          .Set("seqincrement", Value::Int64(q.increment))
                          .Set("seqmax", Value::Int64(q.max_value))
                          .Set("seqmin", Value::Int64(q.min_value))
                          .Set("seqcache", Value::Int64(q.cache))
                          .Set("seqcycle", Value::Bool(q.cycle))
                          .Take());
    });
  };
  out->push_back(std::move(r));
}

// pg_inherits: one row per parent of a table (TableInfo::parents), inhseqno in their order.
void AddInherits(std::vector<std::unique_ptr<SystemRelation>>* out) {
  auto r = MakeRelation("pg_inherits", 2611, 10005,
                        {{"inhrelid", T(kOid)},
                         {"inhparent", T(kOid)},
                         {"inhseqno", T(kInt32)},
                         {"inhdetachpending", T(kBool)}});
  const SystemRelation* rel = r.get();
  r->key_columns = {0, 1};  // inhrelid; inhparent (psql's \d asks for a table's children)
  r->rows = [rel](const CatalogReadContext& ctx, const ScanKey* key, auto* rows) {
    const std::optional<Oid> parent = KeyOid(key, 1);
    ForKeyedRelations(ctx, KeyOid(key, 0), [&](const TableInfo& t) {
      for (size_t i = 0; i < t.parents.size(); ++i) {
        if (parent && t.parents[i] != *parent) continue;
        rows->push_back(RowBuilder(*rel, ctx)
                            .Set("inhrelid", OidValue(t.oid))
                            .Set("inhparent", OidValue(t.parents[i]))
                            .Set("inhseqno", Value::Int32(static_cast<int32_t>(i + 1)))
                            .Take());
      }
    });
  };
  out->push_back(std::move(r));
}

// pg_depend: the dependencies between the database's objects that ActiveStore records, as
// PostgreSQL records them (pg_dump orders its output and finds sequence ownership with them):
// a relation on its schema ('n'); a table's row type on the table and the array type on the row
// type ('i'); an index on its table's key columns ('a'), a constraint's index on the constraint
// ('i'); a constraint on its columns ('a'), a foreign key on the referenced table's columns
// ('n'); a default on its column ('a') and on the sequences it calls ('n'); an owned sequence
// on its column ('a', or 'i' for an identity column). What is not recorded (views on what they
// read, functions on their types) is missing here too.
void AddDepend(std::vector<std::unique_ptr<SystemRelation>>* out) {
  auto r = MakeRelation("pg_depend", 2608, 10051,
                        {{"classid", T(kOid)},
                         {"objid", T(kOid)},
                         {"objsubid", T(kInt32)},
                         {"refclassid", T(kOid)},
                         {"refobjid", T(kOid)},
                         {"refobjsubid", T(kInt32)},
                         {"deptype", T(kChar)}});
  const SystemRelation* rel = r.get();
  r->rows = [rel](const CatalogReadContext& ctx, const ScanKey*, auto* rows) {
    constexpr Oid kClass = 1259, kType = 1247, kNamespace = 2615, kConstraint = 2606,
                  kAttrdef = 2604, kTrigger = 2620, kProc = 1255;
    auto dep = [&](Oid classid, Oid objid, int subid, Oid refclassid, Oid refobjid, int refsubid,
                   char type) {
      if (objid == 0 || refobjid == 0) return;
      rows->push_back(RowBuilder(*rel, ctx)
                          .Set("classid", OidValue(classid))
                          .Set("objid", OidValue(objid))
                          .Set("objsubid", Value::Int32(subid))
                          .Set("refclassid", OidValue(refclassid))
                          .Set("refobjid", OidValue(refobjid))
                          .Set("refobjsubid", Value::Int32(refsubid))
                          .Set("deptype", CharValue(type))
                          .Take());
    };
    const storage::CatalogSnapshot& cat = *ctx.catalog;
    ForEachRelation(cat, ctx.database_oid, [&](const TableInfo& t) {
      const Oid nsp = SchemaOid(cat, ctx.database_oid, t.schema);
      if (t.is_sequence() && t.sequence->owner_table != 0) {
        const storage::SequenceInfo& q = *t.sequence;
        dep(kClass, t.oid, 0, kClass, q.owner_table, q.owner_column + 1, q.identity ? 'i' : 'a');
        if (!q.identity) dep(kClass, t.oid, 0, kNamespace, nsp, 0, 'n');
      } else {
        dep(kClass, t.oid, 0, kNamespace, nsp, 0, 'n');
      }
      // A child depends on its parents (StoreCatalogInheritance): pg_dump creates them first.
      for (Oid parent : t.parents) dep(kClass, t.oid, 0, kClass, parent, 0, 'n');
      dep(kType, t.row_type_oid, 0, kClass, t.oid, 0, 'i');
      dep(kType, t.row_array_type_oid, 0, kType, t.row_type_oid, 0, 'i');
      for (const IndexView& i : IndexesOf(t)) {
        if (i.constraint) {
          dep(kClass, i.oid, 0, kConstraint, i.constraint_oid, 0, 'i');
          for (int c : i.columns) dep(kConstraint, i.constraint_oid, 0, kClass, t.oid, c + 1, 'a');
        } else {
          for (int c : i.columns) {
            if (c >= 0) dep(kClass, i.oid, 0, kClass, t.oid, c + 1, 'a');
          }
          if (std::any_of(i.columns.begin(), i.columns.end(), [](int c) { return c < 0; })) {
            dep(kClass, i.oid, 0, kClass, t.oid, 0, 'a');  // an expression: the whole table
          }
        }
      }
      // A CHECK constraint goes with the columns it reads (or the table, when it reads none)
      // and, through its expression, depends on them (CreateConstraintEntry and StoreRelCheck).
      for (const storage::CheckConstraintInfo& c : t.checks) {
        std::vector<int> cols = CheckColumnOrdinals(t, c.expr);
        if (cols.empty()) dep(kConstraint, c.oid, 0, kClass, t.oid, 0, 'a');
        for (int col : cols) dep(kConstraint, c.oid, 0, kClass, t.oid, col + 1, 'a');
        for (int col : cols) dep(kConstraint, c.oid, 0, kClass, t.oid, col + 1, 'n');
      }
      for (const storage::TriggerInfo& g : t.triggers) {
        dep(kTrigger, g.oid, 0, kClass, t.oid, 0, 'a');
        dep(kTrigger, g.oid, 0, kProc, g.function, 0, 'n');
        for (int c : g.columns) dep(kTrigger, g.oid, 0, kClass, t.oid, c + 1, 'a');
      }
      for (const storage::ForeignKeyInfo& f : t.foreign_keys) {
        for (int c : f.columns) dep(kConstraint, f.oid, 0, kClass, t.oid, c + 1, 'a');
        for (int c : f.ref_columns) dep(kConstraint, f.oid, 0, kClass, f.ref_table, c + 1, 'n');
      }
      for (size_t c = 0; c < t.columns.size(); ++c) {
        const storage::ColumnInfo& col = t.columns[c];
        if (col.default_oid == 0) continue;
        if (col.generated != 0) {  // its own column (internal), the columns it reads (normal)
          dep(kAttrdef, col.default_oid, 0, kClass, t.oid, static_cast<int>(c + 1), 'i');
          for (int r : GenerationExprColumns(t, static_cast<int>(c))) {
            dep(kAttrdef, col.default_oid, 0, kClass, t.oid, r + 1, 'n');
          }
          continue;
        }
        dep(kAttrdef, col.default_oid, 0, kClass, t.oid, static_cast<int>(c + 1), 'a');
        for (uint32_t seq : col.default_sequences) {
          dep(kAttrdef, col.default_oid, 0, kClass, seq, 0, 'n');
        }
      }
    });
  };
  out->push_back(std::move(r));
}

// pg_trigger: the triggers of the database's relations (CREATE TRIGGER). tgqual holds the
// WHEN condition as SQL text (PostgreSQL: a node tree), tgargs the arguments each ended by a
// zero byte.
void AddTrigger(std::vector<std::unique_ptr<SystemRelation>>* out) {
  auto r = MakeRelation("pg_trigger", 2620, 10037,
                        {{"oid", T(kOid)},
                         {"tgrelid", T(kOid)},
                         {"tgparentid", T(kOid)},
                         {"tgname", T(kName)},
                         {"tgfoid", T(kOid)},
                         {"tgtype", T(kInt16)},
                         {"tgenabled", T(kChar)},
                         {"tgisinternal", T(kBool)},
                         {"tgconstrrelid", T(kOid)},
                         {"tgconstrindid", T(kOid)},
                         {"tgconstraint", T(kOid)},
                         {"tgdeferrable", T(kBool)},
                         {"tginitdeferred", T(kBool)},
                         {"tgnargs", T(kInt16)},
                         {"tgattr", T(kInt2VectorType)},
                         {"tgargs", T(kBytea)},
                         {"tgqual", T(kText)},
                         {"tgoldtable", T(kName)},
                         {"tgnewtable", T(kName)}});
  const SystemRelation* rel = r.get();
  r->key_columns = {1};
  r->rows = [rel](const CatalogReadContext& ctx, const ScanKey* key, auto* rows) {
    ForKeyedRelations(ctx, KeyOid(key, 1), [&](const TableInfo& t) {
      for (const storage::TriggerInfo& g : t.triggers) {
        std::vector<Value> attrs;
        for (int c : g.columns) attrs.push_back(Int2Value(c + 1));
        std::string args;
        for (const std::string& a : g.args) args += a + std::string(1, '\0');
        auto name_or_null = [](const std::string& n) {
          return n.empty() ? Value::Null(T(kName)) : Value::Text(n, kName);
        };
        rows->push_back(
            RowBuilder(*rel, ctx)
                .Set("oid", OidValue(g.oid))
                .Set("tgrelid", OidValue(t.oid))
                .Set("tgname", Value::Text(g.name, kName))
                .Set("tgfoid", OidValue(g.function))
                .Set("tgtype", Int2Value(g.type))
                .Set("tgenabled", CharValue(g.enabled))
                .Set("tgconstraint", OidValue(g.constraint_oid))
                .Set("tgnargs", Int2Value(static_cast<int>(g.args.size())))
                .Set("tgattr", ArrayOf(kInt2VectorType, attrs, 0))
                .Set("tgargs", Value::Text(args, kBytea))
                .Set("tgqual", g.when.empty() ? Value::Null(T(kText)) : Value::Text(g.when))
                .Set("tgoldtable", name_or_null(g.old_table))
                .Set("tgnewtable", name_or_null(g.new_table))
                .Take());
      }
    });
  };
  out->push_back(std::move(r));
}

}  // namespace

void AddNamespaceRelations(std::vector<std::unique_ptr<SystemRelation>>* out) {
  AddNamespace(out);
  AddClass(out);
  AddAttribute(out);
  AddRewrite(out);
  AddAttrdef(out);
  AddIndex(out);
  AddConstraint(out);
  AddSequence(out);
  AddInherits(out);
  AddDepend(out);
  AddTrigger(out);
}

}  // namespace activestore::planner::pg_catalog
