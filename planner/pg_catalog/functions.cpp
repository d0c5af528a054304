// pg_proc and pg_language: the built-in functions ActiveStore lists (common/builtin_catalog.h,
// PostgreSQL 15's rows and oids), the user-defined functions and procedures
// (storage::FunctionInfo) of the database with the oids the catalog gave them, and the
// languages internal, c, sql and plpgsql with PostgreSQL 15's oids.
#include <algorithm>

#include "common/aclitem.h"
#include "common/array.h"
#include "common/builtin_catalog.h"
#include "common/reg_types.h"
#include "common/type_registry.h"
#include "common/value_ops.h"
#include "planner/pg_catalog/row_builder.h"
#include "planner/pg_catalog/system_relation.h"

namespace activestore::planner::pg_catalog {
namespace {

using enum TypeId;

constexpr TypeId kCharArray = TypeId{1002};

// pg_proc.proargtypes / proallargtypes entry of a parameter: the domain's oid when declared with
// one.
Value ParamTypeOid(const storage::FunctionParam& p) {
  return OidValue(p.domain != 0 ? p.domain : static_cast<Oid>(p.type.id));
}

Value Real(double d) {
  Value v = Value::Float64(d);
  v.type = Type::Of(kFloat32);
  return v;
}

// A built-in function's row: PostgreSQL 15's, owned by the bootstrap superuser in pg_catalog.
std::vector<Value> BuiltinProcRow(const SystemRelation& rel, const CatalogReadContext& ctx,
                                  const builtin_catalog::Proc& f) {
  std::vector<Value> in_types;
  for (Oid t : f.argtypes) in_types.push_back(OidValue(t));
  auto array = [](const builtin_catalog::OptText& text, TypeId type) {
    return text ? ParseValue(*text, Type::Of(type)) : Value::Null(Type::Of(type));
  };
  RowBuilder b(rel, ctx);
  b.Set("oid", OidValue(f.oid))
      .Set("proname", NameValue(f.name))
      .Set("pronamespace", OidValue(kPgCatalogNamespaceOid))
      .Set("proowner", OidValue(kBootstrapSuperuserOid))
      .Set("prolang", OidValue(f.lang))
      .Set("procost", Real(f.cost))
      .Set("prorows", Real(f.rows))
      .Set("provariadic", OidValue(f.variadic))
      .Set("prosupport", RegProcValue(f.support))
      .Set("prokind", CharValue(f.kind))
      .Set("proleakproof", Value::Bool(f.leakproof))
      .Set("proisstrict", Value::Bool(f.strict))
      .Set("proretset", Value::Bool(f.retset))
      .Set("provolatile", CharValue(f.volatility))
      .Set("proparallel", CharValue(f.parallel))
      .Set("pronargs", Int2Value(static_cast<int>(f.argtypes.size())))
      .Set("pronargdefaults", Int2Value(f.nargdefaults))
      .Set("prorettype", OidValue(f.rettype))
      .Set("proargtypes", ArrayOf(kOidVectorType, in_types, 0))
      .Set("proallargtypes", array(f.allargtypes, kOidArrayType))
      .Set("proargmodes", array(f.argmodes, kCharArray))
      .Set("proargnames", array(f.argnames, kTextArrayType));
  if (f.argdefaults) b.Set("proargdefaults", Value::Text(*f.argdefaults));
  b.Set("prosrc", Value::Text(f.src));
  if (f.bin) b.Set("probin", Value::Text(*f.bin));
  return b.Take();
}

std::vector<Value> ProcRow(const SystemRelation& rel, const CatalogReadContext& ctx,
                           const storage::CatalogSnapshot& cat, const storage::FunctionInfo& f) {
  std::vector<Value> in_types, all_types, modes, names;
  bool only_in = true, any_name = false;
  for (const storage::FunctionParam& p : f.params) {
    if (p.is_input()) in_types.push_back(ParamTypeOid(p));
    all_types.push_back(ParamTypeOid(p));
    modes.push_back(CharValue(p.mode));
    names.push_back(Value::Text(p.name));
    only_in = only_in && p.mode == 'i';
    any_name = any_name || !p.name.empty();
  }
  RowBuilder b(rel, ctx);
  b.Set("oid", OidValue(f.oid))
      .Set("proname", NameValue(f.name))
      .Set("pronamespace", OidValue(SchemaOid(cat, f.database_oid, f.schema)))
      .Set("proowner", OidValue(f.owner))
      .Set("prolang", OidValue(f.language == "plpgsql" ? kPlpgsqlLanguageOid : kSqlLanguageOid))
      .Set("procost", Real(f.cost))
      .Set("prorows", Real(f.rows))
      .Set("provariadic", OidValue(0))
      .Set("prokind", CharValue(f.kind))
      .Set("prosecdef", Value::Bool(f.security_definer))
      .Set("proleakproof", Value::Bool(f.leakproof))
      .Set("proisstrict", Value::Bool(f.strict))
      .Set("proretset", Value::Bool(f.returns_set))
      .Set("provolatile", CharValue(f.volatility))
      .Set("proparallel", CharValue(f.parallel))
      .Set("pronargs", Int2Value(static_cast<int>(in_types.size())))
      .Set("pronargdefaults", Int2Value(static_cast<int>(f.DefaultCount())))
      .Set("prorettype", OidValue(static_cast<Oid>(f.return_type.id)))
      .Set("proargtypes", ArrayOf(kOidVectorType, in_types, 0));
  if (!only_in) {
    b.Set("proallargtypes", ArrayOf(kOidArrayType, all_types));
    b.Set("proargmodes", ArrayOf(kCharArray, modes));
  }
  if (any_name) b.Set("proargnames", ArrayOf(kTextArrayType, names));
  if (f.DefaultCount() > 0) {
    std::string defaults;
    for (const storage::FunctionParam& p : f.params) {
      if (p.default_sql) defaults += (defaults.empty() ? "" : ", ") + *p.default_sql;
    }
    b.Set("proargdefaults", Value::Text(defaults));
  }
  b.Set("prosrc", Value::Text(f.sql_body ? std::string() : f.body));
  if (f.sql_body) b.Set("prosqlbody", Value::Text(f.body));
  b.Set("proacl", AclValue(cat, f.acl));
  return b.Take();
}

}  // namespace

void AddFunctionRelations(std::vector<std::unique_ptr<SystemRelation>>* out) {
  auto proc = MakeRelation("pg_proc", 1255, 81,
                           {{"oid", T(kOid)},
                            {"proname", T(kName)},
                            {"pronamespace", T(kOid)},
                            {"proowner", T(kOid)},
                            {"prolang", T(kOid)},
                            {"procost", T(kFloat32)},
                            {"prorows", T(kFloat32)},
                            {"provariadic", T(kOid)},
                            {"prosupport", T(kRegProcType)},
                            {"prokind", T(kChar)},
                            {"prosecdef", T(kBool)},
                            {"proleakproof", T(kBool)},
                            {"proisstrict", T(kBool)},
                            {"proretset", T(kBool)},
                            {"provolatile", T(kChar)},
                            {"proparallel", T(kChar)},
                            {"pronargs", T(kInt16)},
                            {"pronargdefaults", T(kInt16)},
                            {"prorettype", T(kOid)},
                            {"proargtypes", T(kOidVectorType)},
                            {"proallargtypes", T(kOidArrayType)},
                            {"proargmodes", T(kCharArray)},
                            {"proargnames", T(kTextArrayType)},
                            {"proargdefaults", T(kText)},
                            {"protrftypes", T(kOidArrayType)},
                            {"prosrc", T(kText)},
                            {"probin", T(kText)},
                            {"prosqlbody", T(kText)},
                            {"proconfig", T(kTextArrayType)},
                            {"proacl", T(kAclItemArrayType)}});
  const SystemRelation* rel = proc.get();
  proc->key_columns = {0};
  proc->cacheable = true;
  proc->rows = [rel](const CatalogReadContext& ctx, const ScanKey* key, auto* rows) {
    const storage::CatalogSnapshot& cat = *ctx.catalog;
    if (key != nullptr && key->column == 0 && !key->value.is_null) {
      const Oid oid = static_cast<Oid>(key->value.i);
      if (const builtin_catalog::Proc* b = builtin_catalog::FindProc(oid)) {
        rows->push_back(BuiltinProcRow(*rel, ctx, *b));
        return;
      }
      auto f = cat.FindFunctionByOid(oid);
      if (f != nullptr && f->database_oid == ctx.database_oid)
        rows->push_back(ProcRow(*rel, ctx, cat, *f));
      return;
    }
    // The built-in rows never change: built once whole (parsing their array texts), then
    // copied, or only the columns the scan reads.
    static const std::vector<std::vector<Value>> builtin = [rel] {
      std::vector<std::vector<Value>> v;
      const CatalogReadContext whole;
      for (const builtin_catalog::Proc& b : builtin_catalog::Listed().procs) {
        v.push_back(BuiltinProcRow(*rel, whole, b));
      }
      return v;
    }();
    for (const std::vector<Value>& row : builtin) rows->push_back(ProjectRow(row, ctx));
    for (const auto& [k, f] : cat.functions) {
      if (f->database_oid == ctx.database_oid) rows->push_back(ProcRow(*rel, ctx, cat, *f));
    }
  };
  out->push_back(std::move(proc));

  auto lang = MakeRelation("pg_language", 2612, 10021,
                           {{"oid", T(kOid)},
                            {"lanname", T(kName)},
                            {"lanowner", T(kOid)},
                            {"lanispl", T(kBool)},
                            {"lanpltrusted", T(kBool)},
                            {"lanplcallfoid", T(kOid)},
                            {"laninline", T(kOid)},
                            {"lanvalidator", T(kOid)},
                            {"lanacl", T(kAclItemArrayType)}});
  const SystemRelation* lrel = lang.get();
  lang->rows = [lrel](const CatalogReadContext& ctx, const ScanKey*, auto* rows) {
    // The validators' oids are PostgreSQL 15's fmgr_internal_validator, fmgr_c_validator and
    // fmgr_sql_validator.
    const struct {
      Oid oid;
      const char* name;
      bool trusted;
      Oid validator;
      bool pl = false;
      Oid handler = 0, inline_handler = 0;
    } kLanguages[] = {{kInternalLanguageOid, "internal", false, 2246},
                      {kCLanguageOid, "c", false, 2247},
                      {kSqlLanguageOid, "sql", true, 2248},
                      {kPlpgsqlLanguageOid, "plpgsql", true, 13562, true, 13560, 13561}};
    for (const auto& l : kLanguages) {
      rows->push_back(RowBuilder(*lrel, ctx)
                          .Set("oid", OidValue(l.oid))
                          .Set("lanname", NameValue(l.name))
                          .Set("lanowner", OidValue(kBootstrapSuperuserOid))
                          .Set("lanispl", Value::Bool(l.pl))
                          .Set("lanpltrusted", Value::Bool(l.trusted))
                          .Set("lanplcallfoid", OidValue(l.handler))
                          .Set("laninline", OidValue(l.inline_handler))
                          .Set("lanvalidator", OidValue(l.validator))
                          .Take());
    }
  };
  out->push_back(std::move(lang));
}

}  // namespace activestore::planner::pg_catalog
