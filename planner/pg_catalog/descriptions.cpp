// pg_description and pg_shdescription: the comments on objects. Those of users' objects (COMMENT
// ON, executor/ddl_comment.cpp) live in the objects' catalog entries (storage/catalog.h);
// those of built-in objects are PostgreSQL 15's, listed for the objects ActiveStore has
// (common/builtin_catalog.h). ObjectDescription and SharedObjectDescription answer
// obj_description, col_description and shobj_description without building every row.
#include "common/builtin_catalog.h"
#include "planner/pg_catalog/row_builder.h"
#include "planner/pg_catalog/system_relation.h"

namespace activestore::planner::pg_catalog {
namespace {

using enum TypeId;

constexpr Oid kPgTypeClass = 1247;
constexpr Oid kPgProcClass = 1255;
constexpr Oid kPgClassClass = 1259;
constexpr Oid kPgAuthidClass = 1260;
constexpr Oid kPgDatabaseClass = 1262;
constexpr Oid kPgNamespaceClass = 2615;
constexpr Oid kPgOperatorClass = 2617;

// Calls f(objoid, classoid, objsubid, text) for every comment on an object of database `db`
// (or only those that can be on object `only_oid`: the built-in objects and schemas have oids
// below kFirstNormalObjectId, the users' other objects that and above).
template <typename F>
void ForEachDescription(const storage::CatalogSnapshot& cat, Oid db, F&& f,
                        std::optional<Oid> only_oid = std::nullopt) {
  if (!only_oid || *only_oid < kFirstNormalObjectId) {
    for (const builtin_catalog::Description& d : builtin_catalog::Listed().descriptions) {
      f(d.objoid, d.classoid, d.objsubid, d.text);
    }
  }
  for (auto it = cat.schemas.lower_bound({db, std::string()});
       it != cat.schemas.end() && it->first.first == db; ++it) {
    if (!it->second.comment.empty()) f(it->second.oid, kPgNamespaceClass, 0, it->second.comment);
  }
  if (only_oid && *only_oid < kFirstNormalObjectId) return;  // the rest are users' objects
  for (auto it = cat.schemas.lower_bound({db, std::string()});
       it != cat.schemas.end() && it->first.first == db; ++it) {
    for (const storage::OperatorInfo& op : it->second.operators) {
      if (!op.comment.empty()) f(op.oid, kPgOperatorClass, 0, op.comment);
    }
  }
  for (auto it = cat.tables.lower_bound({db, std::string(), std::string()});
       it != cat.tables.end() && std::get<0>(it->first) == db; ++it) {
    const storage::TableInfo& t = *it->second;
    for (const auto& [oid, text] : t.comments) {
      if (Oid cls = t.CommentedObjectClass(oid); cls != 0) f(oid, cls, 0, text);
    }
    for (size_t i = 0; i < t.columns.size(); ++i) {
      if (!t.columns[i].comment.empty()) {
        f(t.oid, kPgClassClass, static_cast<int32_t>(i + 1), t.columns[i].comment);
      }
    }
  }
  for (auto it = cat.types.lower_bound({db, std::string(), std::string()});
       it != cat.types.end() && std::get<0>(it->first) == db; ++it) {
    if (!it->second->comment.empty()) f(it->second->oid, kPgTypeClass, 0, it->second->comment);
  }
  for (auto it = cat.functions.lower_bound({db, std::string(), std::string(), 0});
       it != cat.functions.end() && std::get<0>(it->first) == db; ++it) {
    if (!it->second->comment.empty()) f(it->second->oid, kPgProcClass, 0, it->second->comment);
  }
}

// Calls f(objoid, classoid, text) for every comment on a shared object (database, role).
template <typename F>
void ForEachSharedDescription(const storage::CatalogSnapshot& cat, F&& f) {
  for (const auto& [name, d] : cat.databases) {
    if (!d.comment.empty()) f(d.oid, kPgDatabaseClass, d.comment);
  }
  for (const auto& [name, r] : cat.roles) {
    if (!r.comment.empty()) f(r.oid, kPgAuthidClass, r.comment);
  }
}

std::optional<std::string> NonEmpty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

}  // namespace

std::optional<std::string> ObjectDescription(const storage::CatalogSnapshot& cat, Oid db,
                                             Oid objoid, Oid classoid, int32_t objsubid) {
  if (classoid == kPgNamespaceClass) {
    for (auto it = cat.schemas.lower_bound({db, std::string()});
         it != cat.schemas.end() && it->first.first == db; ++it) {
      if (it->second.oid == objoid)
        return objsubid == 0 ? NonEmpty(it->second.comment) : std::nullopt;
    }
    return std::nullopt;
  }
  if (objoid < kFirstNormalObjectId) {
    const std::string* text =
        objsubid == 0 ? builtin_catalog::FindDescription(objoid, classoid) : nullptr;
    if (text == nullptr) return std::nullopt;
    return *text;
  }
  switch (classoid) {
    case kPgOperatorClass:
      for (auto it = cat.schemas.lower_bound({db, std::string()});
           it != cat.schemas.end() && it->first.first == db; ++it) {
        for (const storage::OperatorInfo& op : it->second.operators) {
          if (op.oid == objoid) return objsubid == 0 ? NonEmpty(op.comment) : std::nullopt;
        }
      }
      return std::nullopt;
    case kPgProcClass: {
      auto f = cat.FindFunctionByOid(objoid);
      if (f == nullptr || f->database_oid != db || objsubid != 0) return std::nullopt;
      return NonEmpty(f->comment);
    }
    case kPgTypeClass:
      if (auto t = cat.FindTypeByOid(objoid)) {
        if (t->database_oid != db || objsubid != 0) return std::nullopt;
        return NonEmpty(t->comment);
      }
      break;  // a relation's row type
    case kPgClassClass:
      if (auto t = cat.FindRelationByOid(objoid)) {
        if (t->database_oid != db) return std::nullopt;
        if (objsubid == 0) {
          auto it = t->comments.find(objoid);
          return it == t->comments.end() ? std::nullopt : NonEmpty(it->second);
        }
        if (objsubid < 0 || static_cast<size_t>(objsubid) > t->columns.size()) return std::nullopt;
        return NonEmpty(t->columns[objsubid - 1].comment);
      }
      break;  // an index
    default:
      break;
  }
  if (objsubid != 0) return std::nullopt;
  // An object a relation owns (index, constraint, trigger, row type): find its owner.
  for (auto it = cat.tables.lower_bound({db, std::string(), std::string()});
       it != cat.tables.end() && std::get<0>(it->first) == db; ++it) {
    const storage::TableInfo& t = *it->second;
    auto c = t.comments.find(objoid);
    if (c != t.comments.end() && t.CommentedObjectClass(objoid) == classoid) return c->second;
  }
  return std::nullopt;
}

std::optional<std::string> AnyObjectDescription(const storage::CatalogSnapshot& cat, Oid db,
                                                Oid objoid) {
  std::optional<std::string> out;
  ForEachDescription(cat, db, [&](Oid o, Oid, int32_t subid, const std::string& text) {
    if (!out && o == objoid && subid == 0) out = text;
  });
  return out;
}

std::optional<std::string> SharedObjectDescription(const storage::CatalogSnapshot& cat, Oid objoid,
                                                   Oid classoid) {
  std::optional<std::string> out;
  ForEachSharedDescription(cat, [&](Oid o, Oid c, const std::string& text) {
    if (o == objoid && c == classoid) out = text;
  });
  return out;
}

void AddDescriptionRelations(std::vector<std::unique_ptr<SystemRelation>>* out) {
  auto d = MakeRelation("pg_description", 2609, 10041,
                        {{"objoid", T(kOid)},
                         {"classoid", T(kOid)},
                         {"objsubid", T(kInt32)},
                         {"description", T(kText)}});
  const SystemRelation* drel = d.get();
  d->rows = [drel](const CatalogReadContext& ctx, const ScanKey* key, auto* rows) {
    // A key on objoid (JDBC's and psql's joins give one): compared as a number.
    std::optional<Oid> only;
    if (key != nullptr && key->column == 0) {
      if (key->value.is_null) return;
      only = static_cast<Oid>(key->value.i);
    }
    ForEachDescription(
        *ctx.catalog, ctx.database_oid,
        [&](Oid objoid, Oid classoid, int32_t subid, const std::string& text) {
          if (only && objoid != *only) return;
          rows->push_back(RowBuilder(*drel, ctx)
                              .Set("objoid", OidValue(objoid))
                              .Set("classoid", OidValue(classoid))
                              .Set("objsubid", Value::Int32(subid))
                              .Set("description", Value::Text(text))
                              .Take());
        },
        only);
  };
  d->key_columns = {0};
  d->cacheable = true;
  out->push_back(std::move(d));

  auto sh = MakeRelation("pg_shdescription", 2396, 10062,
                         {{"objoid", T(kOid)}, {"classoid", T(kOid)}, {"description", T(kText)}});
  const SystemRelation* srel = sh.get();
  sh->rows = [srel](const CatalogReadContext& ctx, const ScanKey*, auto* rows) {
    ForEachSharedDescription(*ctx.catalog, [&](Oid objoid, Oid classoid, const std::string& text) {
      rows->push_back(RowBuilder(*srel, ctx)
                          .Set("objoid", OidValue(objoid))
                          .Set("classoid", OidValue(classoid))
                          .Set("description", Value::Text(text))
                          .Take());
    });
  };
  out->push_back(std::move(sh));
}

}  // namespace activestore::planner::pg_catalog
