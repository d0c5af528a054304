// The relations PostgreSQL shares between the databases of a cluster: pg_database (from the
// catalog), pg_authid and pg_auth_members (ActiveStore has one role, the bootstrap superuser
// "postgres" with oid 10, beside PostgreSQL 15's predefined roles; no role is a member of
// another), pg_db_role_setting (ALTER DATABASE / ROLE ... SET), pg_tablespace (pg_default
// and pg_global), pg_shdepend (owners and grantees of every database's objects).
// pg_shdescription is in descriptions.cpp.
#include <algorithm>
#include <set>

#include "common/aclitem.h"
#include "common/pg_lsn.h"
#include "common/reg_types.h"
#include "common/system_id_types.h"
#include "planner/pg_catalog/row_builder.h"
#include "planner/pg_catalog/system_relation.h"

namespace activestore::planner::pg_catalog {
namespace {

using enum TypeId;

std::string SettingOr(const CatalogReadContext& ctx, const std::string& name,
                      const std::string& fallback) {
  std::optional<std::string> v = ctx.get_setting ? ctx.get_setting(name) : std::nullopt;
  return v.value_or(fallback);
}

void AddDatabase(std::vector<std::unique_ptr<SystemRelation>>* out) {
  auto r = MakeRelation("pg_database", 1262, 1248,
                        {{"oid", T(kOid)},
                         {"datname", T(kName)},
                         {"datdba", T(kOid)},
                         {"encoding", T(kInt32)},
                         {"datlocprovider", T(kChar)},
                         {"datistemplate", T(kBool)},
                         {"datallowconn", T(kBool)},
                         {"datconnlimit", T(kInt32)},
                         {"datfrozenxid", T(kXidType)},
                         {"datminmxid", T(kXidType)},
                         {"dattablespace", T(kOid)},
                         {"datcollate", T(kText)},
                         {"datctype", T(kText)},
                         {"daticulocale", T(kText)},
                         {"datcollversion", T(kText)},
                         {"datacl", T(kAclItemArrayType)}});
  const SystemRelation* rel = r.get();
  r->rows = [rel](const CatalogReadContext& ctx, const ScanKey* key, auto* rows) {
    const std::string collate = SettingOr(ctx, "lc_collate", "C");
    const std::string ctype = SettingOr(ctx, "lc_ctype", "C");
    for (const auto& [name, d] : ctx.catalog->databases) {
      if (!KeyAdmits(key, 0, OidValue(d.oid))) continue;
      rows->push_back(RowBuilder(*rel, ctx)
                          .Set("oid", OidValue(d.oid))
                          .Set("datname", NameValue(name))
                          .Set("datdba", OidValue(d.owner))
                          .Set("datacl", AclValue(*ctx.catalog, d.acl))
                          .Set("encoding", Value::Int32(kUtf8Encoding))
                          .Set("datlocprovider", CharValue('c'))
                          .Set("datallowconn", Value::Bool(true))
                          .Set("datconnlimit", Value::Int32(-1))
                          .Set("datfrozenxid", XidValue(0))
                          .Set("datminmxid", XidValue(0))
                          .Set("dattablespace", OidValue(kDefaultTablespaceOid))
                          .Set("datcollate", Value::Text(collate))
                          .Set("datctype", Value::Text(ctype))
                          .Take());
    }
  };
  r->key_columns = {0};
  out->push_back(std::move(r));
}

void AddAuthid(std::vector<std::unique_ptr<SystemRelation>>* out) {
  auto r = MakeRelation("pg_authid", 1260, 2842,
                        {{"oid", T(kOid)},
                         {"rolname", T(kName)},
                         {"rolsuper", T(kBool)},
                         {"rolinherit", T(kBool)},
                         {"rolcreaterole", T(kBool)},
                         {"rolcreatedb", T(kBool)},
                         {"rolcanlogin", T(kBool)},
                         {"rolreplication", T(kBool)},
                         {"rolbypassrls", T(kBool)},
                         {"rolconnlimit", T(kInt32)},
                         {"rolpassword", T(kText)},
                         {"rolvaliduntil", T(kTimestampTz)}});
  const SystemRelation* rel = r.get();
  r->rows = [rel](const CatalogReadContext& ctx, const ScanKey*, auto* rows) {
    // rolpassword only for superusers (PostgreSQL refuses pg_authid to others altogether).
    const storage::RoleInfo* reader = ctx.catalog->FindRole(ctx.user);
    const bool super = reader != nullptr && reader->superuser;
    std::vector<const storage::RoleInfo*> roles;
    for (const auto& [name, r] : ctx.catalog->roles) roles.push_back(&r);
    std::sort(roles.begin(), roles.end(), [](auto* a, auto* b) { return a->oid < b->oid; });
    for (const storage::RoleInfo* r : roles) {
      RowBuilder b(*rel, ctx);
      b.Set("oid", OidValue(r->oid))
          .Set("rolname", NameValue(r->name))
          .Set("rolsuper", Value::Bool(r->superuser))
          .Set("rolinherit", Value::Bool(r->inherit))
          .Set("rolcreaterole", Value::Bool(r->create_role))
          .Set("rolcreatedb", Value::Bool(r->create_db))
          .Set("rolcanlogin", Value::Bool(r->can_login))
          .Set("rolreplication", Value::Bool(r->replication))
          .Set("rolbypassrls", Value::Bool(r->bypass_rls))
          .Set("rolconnlimit", Value::Int32(r->connection_limit));
      if (super && r->password) b.Set("rolpassword", Value::Text(*r->password));
      if (r->valid_until) {
        b.Set("rolvaliduntil", Value::Int(TypeId::kTimestampTz, *r->valid_until));
      }
      rows->push_back(b.Take());
    }
  };
  out->push_back(std::move(r));
}

void AddTablespace(std::vector<std::unique_ptr<SystemRelation>>* out) {
  auto r = MakeRelation("pg_tablespace", 1213, 10056,
                        {{"oid", T(kOid)},
                         {"spcname", T(kName)},
                         {"spcowner", T(kOid)},
                         {"spcacl", T(kAclItemArrayType)},
                         {"spcoptions", T(kTextArrayType)}});
  const SystemRelation* rel = r.get();
  r->rows = [rel](const CatalogReadContext& ctx, const ScanKey*, auto* rows) {
    for (auto [oid, name] : {std::pair{kDefaultTablespaceOid, "pg_default"},
                             std::pair{kGlobalTablespaceOid, "pg_global"}}) {
      rows->push_back(RowBuilder(*rel, ctx)
                          .Set("oid", OidValue(oid))
                          .Set("spcname", NameValue(name))
                          .Set("spcowner", OidValue(kBootstrapSuperuserOid))
                          .Take());
    }
  };
  out->push_back(std::move(r));
}

// pg_shdepend: each object's owner ('o') and each other role its access control list grants
// to ('a'), of every database (dbid 0 for the databases themselves). As in PostgreSQL, nothing
// is recorded for the bootstrap superuser (a pinned role) or PUBLIC, and the owner's own ACL
// entries are covered by its owner row. A table's row type, array types and indexes have no
// rows of their own (they go with their relation or type).
void AddShdepend(std::vector<std::unique_ptr<SystemRelation>>* out) {
  auto r = MakeRelation("pg_shdepend", 1214, 10060,
                        {{"dbid", T(kOid)},
                         {"classid", T(kOid)},
                         {"objid", T(kOid)},
                         {"objsubid", T(kInt32)},
                         {"refclassid", T(kOid)},
                         {"refobjid", T(kOid)},
                         {"deptype", T(kChar)}});
  const SystemRelation* rel = r.get();
  r->rows = [rel](const CatalogReadContext& ctx, const ScanKey*, auto* rows) {
    constexpr Oid kAuthid = 1260, kClass = 1259, kType = 1247, kNamespace = 2615, kProc = 1255,
                  kDatabase = 1262;
    auto object = [&](Oid db, Oid classid, Oid objid, Oid owner,
                      const std::optional<storage::Acl>& acl) {
      auto add = [&](Oid role, char type) {
        rows->push_back(RowBuilder(*rel, ctx)
                            .Set("dbid", OidValue(db))
                            .Set("classid", OidValue(classid))
                            .Set("objid", OidValue(objid))
                            .Set("objsubid", Value::Int32(0))
                            .Set("refclassid", OidValue(kAuthid))
                            .Set("refobjid", OidValue(role))
                            .Set("deptype", CharValue(type))
                            .Take());
      };
      if (owner != kBootstrapSuperuserOid) add(owner, 'o');
      if (!acl) return;
      std::set<Oid> roles;
      for (const storage::AclItem& item : *acl) {
        for (Oid role : {item.grantee, item.grantor}) {
          if (role != owner && role != kBootstrapSuperuserOid && role != storage::acl::kPublic) {
            roles.insert(role);
          }
        }
      }
      for (Oid role : roles) add(role, 'a');
    };
    const storage::CatalogSnapshot& cat = *ctx.catalog;
    for (const auto& [name, d] : cat.databases) object(0, kDatabase, d.oid, d.owner, d.acl);
    for (const auto& [key, s] : cat.schemas) {
      object(s.database_oid, kNamespace, s.oid, s.owner, s.acl);
    }
    for (const auto& [key, t] : cat.tables) {
      object(std::get<0>(key), kClass, t->oid, t->owner, t->acl);
    }
    for (const auto& [key, t] : cat.types) object(t->database_oid, kType, t->oid, t->owner, {});
    for (const auto& [key, f] : cat.functions) {
      object(f->database_oid, kProc, f->oid, f->owner, f->acl);
    }
  };
  out->push_back(std::move(r));
}

void AddEmpty(std::vector<std::unique_ptr<SystemRelation>>* out,
              std::unique_ptr<SystemRelation> r) {
  r->rows = [](const CatalogReadContext& ctx, const ScanKey*, std::vector<std::vector<Value>>*) {};
  out->push_back(std::move(r));
}

}  // namespace

void AddSharedRelations(std::vector<std::unique_ptr<SystemRelation>>* out) {
  AddDatabase(out);
  AddAuthid(out);
  AddTablespace(out);
  AddShdepend(out);
  auto members = MakeRelation(
      "pg_auth_members", 1261, 2843,
      {{"roleid", T(kOid)}, {"member", T(kOid)}, {"grantor", T(kOid)}, {"admin_option", T(kBool)}});
  const SystemRelation* mrel = members.get();
  members->rows = [mrel](const CatalogReadContext& ctx, const ScanKey*, auto* rows) {
    for (const auto& [name, r] : ctx.catalog->roles) {
      for (const storage::RoleMembership& m : r.member_of) {
        rows->push_back(RowBuilder(*mrel, ctx)
                            .Set("roleid", OidValue(m.role))
                            .Set("member", OidValue(r.oid))
                            .Set("grantor", OidValue(m.grantor))
                            .Set("admin_option", Value::Bool(m.admin))
                            .Take());
      }
    }
  };
  out->push_back(std::move(members));
  // ALTER DATABASE ... SET (setrole 0) and ALTER ROLE ... [IN DATABASE] SET, as
  // "name=value" items (PostgreSQL's setconfig).
  auto settings = MakeRelation(
      "pg_db_role_setting", 2964, 10054,
      {{"setdatabase", T(kOid)}, {"setrole", T(kOid)}, {"setconfig", T(kTextArrayType)}});
  const SystemRelation* srel = settings.get();
  settings->rows = [srel](const CatalogReadContext& ctx, const ScanKey*, auto* rows) {
    auto add = [&](storage::Oid db, storage::Oid role,
                   const std::map<std::string, std::string>& values) {
      if (values.empty()) return;
      std::vector<Value> items;
      for (const auto& [k, v] : values) items.push_back(Value::Text(k + "=" + v));
      rows->push_back(RowBuilder(*srel, ctx)
                          .Set("setdatabase", OidValue(db))
                          .Set("setrole", OidValue(role))
                          .Set("setconfig", ArrayOf(kTextArrayType, items))
                          .Take());
    };
    for (const auto& [name, d] : ctx.catalog->databases) add(d.oid, 0, d.settings);
    for (const auto& [name, r] : ctx.catalog->roles) {
      for (const auto& [db, values] : r.settings) add(db, r.oid, values);
    }
  };
  out->push_back(std::move(settings));
}

// Relations of features ActiveStore does not have: no row can exist in them (a statement that
// would create one fails with 0A000 instead), so they are empty rather than missing, and the
// clients that read them (psql's \d reads pg_policy, ...) work.
void AddAbsentFeatureRelations(std::vector<std::unique_ptr<SystemRelation>>* out) {
  AddEmpty(out, MakeRelation("pg_policy", 3256, 10084,
                             {{"oid", T(kOid)},
                              {"polname", T(kName)},
                              {"polrelid", T(kOid)},
                              {"polcmd", T(kChar)},
                              {"polpermissive", T(kBool)},
                              {"polroles", T(kOidArrayType)},
                              {"polqual", T(kText)},
                              {"polwithcheck", T(kText)}}));  // row-level security
  AddEmpty(out, MakeRelation("pg_statistic_ext", 3381, 10031,
                             {{"oid", T(kOid)},
                              {"stxrelid", T(kOid)},
                              {"stxname", T(kName)},
                              {"stxnamespace", T(kOid)},
                              {"stxowner", T(kOid)},
                              {"stxstattarget", T(kInt32)},
                              {"stxkeys", T(kInt2VectorType)},
                              {"stxkind", T(kCharArrayType)},
                              {"stxexprs", T(kText)}}));  // CREATE STATISTICS
  AddEmpty(out, MakeRelation("pg_publication", 6104, 10107,
                             {{"oid", T(kOid)},
                              {"pubname", T(kName)},
                              {"pubowner", T(kOid)},
                              {"puballtables", T(kBool)},
                              {"pubinsert", T(kBool)},
                              {"pubupdate", T(kBool)},
                              {"pubdelete", T(kBool)},
                              {"pubtruncate", T(kBool)},
                              {"pubviaroot", T(kBool)}}));  // logical replication
  AddEmpty(out, MakeRelation("pg_publication_namespace", 6237, 10109,
                             {{"oid", T(kOid)}, {"pnpubid", T(kOid)}, {"pnnspid", T(kOid)}}));
  AddEmpty(out, MakeRelation("pg_publication_rel", 6106, 10111,
                             {{"oid", T(kOid)},
                              {"prpubid", T(kOid)},
                              {"prrelid", T(kOid)},
                              {"prqual", T(kText)},
                              {"prattrs", T(kInt16ArrayType)}}));
  // The extensions initdb installs: PL/pgSQL (ActiveStore has no CREATE EXTENSION).
  auto ext = MakeRelation("pg_extension", 3079, 10074,
                          {{"oid", T(kOid)},
                           {"extname", T(kName)},
                           {"extowner", T(kOid)},
                           {"extnamespace", T(kOid)},
                           {"extrelocatable", T(kBool)},
                           {"extversion", T(kText)},
                           {"extconfig", T(kOidArrayType)},
                           {"extcondition", T(kTextArrayType)}});
  const SystemRelation* erel = ext.get();
  ext->rows = [erel](const CatalogReadContext& ctx, const ScanKey*, auto* rows) {
    rows->push_back(RowBuilder(*erel, ctx)
                        .Set("oid", OidValue(kPlpgsqlExtensionOid))
                        .Set("extname", NameValue("plpgsql"))
                        .Set("extowner", OidValue(kBootstrapSuperuserOid))
                        .Set("extnamespace", OidValue(kPgCatalogNamespaceOid))
                        .Set("extrelocatable", Value::Bool(false))
                        .Set("extversion", Value::Text("1.0"))
                        .Take());
  };
  out->push_back(std::move(ext));
  AddEmpty(out, MakeRelation("pg_foreign_table", 3118, 10082,
                             {{"ftrelid", T(kOid)},
                              {"ftserver", T(kOid)},
                              {"ftoptions", T(kTextArrayType)}}));  // CREATE FOREIGN TABLE
  AddEmpty(out, MakeRelation("pg_foreign_server", 1417, 10078,
                             {{"oid", T(kOid)},
                              {"srvname", T(kName)},
                              {"srvowner", T(kOid)},
                              {"srvfdw", T(kOid)},
                              {"srvtype", T(kText)},
                              {"srvversion", T(kText)},
                              {"srvacl", T(kAclItemArrayType)},
                              {"srvoptions", T(kTextArrayType)}}));  // CREATE SERVER
  AddEmpty(out, MakeRelation("pg_foreign_data_wrapper", 2328, 10076,
                             {{"oid", T(kOid)},
                              {"fdwname", T(kName)},
                              {"fdwowner", T(kOid)},
                              {"fdwhandler", T(kOid)},
                              {"fdwvalidator", T(kOid)},
                              {"fdwacl", T(kAclItemArrayType)},
                              {"fdwoptions", T(kTextArrayType)}}));  // CREATE FOREIGN DATA WRAPPER
  AddEmpty(out, MakeRelation("pg_user_mapping", 1418, 10080,
                             {{"oid", T(kOid)},
                              {"umuser", T(kOid)},
                              {"umserver", T(kOid)},
                              {"umoptions", T(kTextArrayType)}}));  // CREATE USER MAPPING
  AddEmpty(out, MakeRelation("pg_event_trigger", 3466, 10039,
                             {{"oid", T(kOid)},
                              {"evtname", T(kName)},
                              {"evtevent", T(kName)},
                              {"evtowner", T(kOid)},
                              {"evtfoid", T(kOid)},
                              {"evtenabled", T(kChar)},
                              {"evttags", T(kTextArrayType)}}));  // CREATE EVENT TRIGGER
  AddEmpty(out, MakeRelation("pg_subscription", 6100, 6101,
                             {{"oid", T(kOid)},
                              {"subdbid", T(kOid)},
                              {"subskiplsn", T(kPgLsnType)},
                              {"subname", T(kName)},
                              {"subowner", T(kOid)},
                              {"subenabled", T(kBool)},
                              {"subbinary", T(kBool)},
                              {"substream", T(kBool)},
                              {"subtwophasestate", T(kChar)},
                              {"subdisableonerr", T(kBool)},
                              {"subconninfo", T(kText)},
                              {"subslotname", T(kName)},
                              {"subsynccommit", T(kText)},
                              {"subpublications", T(kTextArrayType)}}));  // CREATE SUBSCRIPTION
  AddEmpty(out, MakeRelation("pg_partitioned_table", 3350, 10099,
                             {{"partrelid", T(kOid)},
                              {"partstrat", T(kChar)},
                              {"partnatts", T(kInt16)},
                              {"partdefid", T(kOid)},
                              {"partattrs", T(kInt2VectorType)},
                              {"partclass", T(kOidVectorType)},
                              {"partcollation", T(kOidVectorType)},
                              {"partexprs", T(kText)}}));  // PARTITION BY
  AddEmpty(out, MakeRelation("pg_conversion", 2607, 10049,
                             {{"oid", T(kOid)},
                              {"conname", T(kName)},
                              {"connamespace", T(kOid)},
                              {"conowner", T(kOid)},
                              {"conforencoding", T(kInt32)},
                              {"contoencoding", T(kInt32)},
                              {"conproc", T(kRegProcType)},
                              {"condefault", T(kBool)}}));  // UTF8 only: no encoding conversions
  AddEmpty(out,
           MakeRelation("pg_init_privs", 3394, 10090,
                        {{"objoid", T(kOid)},
                         {"classoid", T(kOid)},
                         {"objsubid", T(kInt32)},
                         {"privtype", T(kChar)},
                         {"initprivs", T(kAclItemArrayType)}}));  // extensions' initial privileges
  AddEmpty(out, MakeRelation("pg_default_acl", 826, 10088,
                             {{"oid", T(kOid)},
                              {"defaclrole", T(kOid)},
                              {"defaclnamespace", T(kOid)},
                              {"defaclobjtype", T(kChar)},
                              {"defaclacl", T(kAclItemArrayType)}}));  // ALTER DEFAULT PRIVILEGES
  AddEmpty(out, MakeRelation("pg_transform", 3576, 10103,
                             {{"oid", T(kOid)},
                              {"trftype", T(kOid)},
                              {"trflang", T(kOid)},
                              {"trffromsql", T(kRegProcType)},
                              {"trftosql", T(kRegProcType)}}));  // CREATE TRANSFORM
  AddEmpty(out, MakeRelation("pg_largeobject_metadata", 2995, 10023,
                             {{"oid", T(kOid)},
                              {"lomowner", T(kOid)},
                              {"lomacl", T(kAclItemArrayType)}}));  // large objects
  AddEmpty(out,
           MakeRelation(
               "pg_largeobject", 2613, 10025,
               {{"loid", T(kOid)}, {"pageno", T(kInt32)}, {"data", T(kBytea)}}));  // large objects
  AddEmpty(out, MakeRelation("pg_ts_config", 3602, 10064,
                             {{"oid", T(kOid)},
                              {"cfgname", T(kName)},
                              {"cfgnamespace", T(kOid)},
                              {"cfgowner", T(kOid)},
                              {"cfgparser", T(kOid)}}));  // text search
  AddEmpty(out, MakeRelation("pg_ts_config_map", 3603, 10066,
                             {{"mapcfg", T(kOid)},
                              {"maptokentype", T(kInt32)},
                              {"mapseqno", T(kInt32)},
                              {"mapdict", T(kOid)}}));  // text search
  AddEmpty(out, MakeRelation("pg_ts_dict", 3600, 10068,
                             {{"oid", T(kOid)},
                              {"dictname", T(kName)},
                              {"dictnamespace", T(kOid)},
                              {"dictowner", T(kOid)},
                              {"dicttemplate", T(kOid)},
                              {"dictinitoption", T(kText)}}));  // text search
  AddEmpty(out, MakeRelation("pg_ts_parser", 3601, 10070,
                             {{"oid", T(kOid)},
                              {"prsname", T(kName)},
                              {"prsnamespace", T(kOid)},
                              {"prsstart", T(kRegProcType)},
                              {"prstoken", T(kRegProcType)},
                              {"prsend", T(kRegProcType)},
                              {"prsheadline", T(kRegProcType)},
                              {"prslextype", T(kRegProcType)}}));  // text search
  AddEmpty(out, MakeRelation("pg_ts_template", 3764, 10072,
                             {{"oid", T(kOid)},
                              {"tmplname", T(kName)},
                              {"tmplnamespace", T(kOid)},
                              {"tmplinit", T(kRegProcType)},
                              {"tmpllexize", T(kRegProcType)}}));  // text search
  AddEmpty(out, MakeRelation("pg_seclabel", 3596, 10092,
                             {{"objoid", T(kOid)},
                              {"classoid", T(kOid)},
                              {"objsubid", T(kInt32)},
                              {"provider", T(kText)},
                              {"label", T(kText)}}));  // SECURITY LABEL
  AddEmpty(out, MakeRelation("pg_shseclabel", 3592, 4066,
                             {{"objoid", T(kOid)},
                              {"classoid", T(kOid)},
                              {"provider", T(kText)},
                              {"label", T(kText)}}));  // SECURITY LABEL
  // PostgreSQL's view over both (pg_dump reads it); empty as they are.
  AddEmpty(out, MakeRelation("pg_seclabels", 12099, 12101,
                             {{"objoid", T(kOid)},
                              {"classoid", T(kOid)},
                              {"objsubid", T(kInt32)},
                              {"objtype", T(kText)},
                              {"objnamespace", T(kOid)},
                              {"objname", T(kText)},
                              {"provider", T(kText)},
                              {"label", T(kText)}}));
}

}  // namespace activestore::planner::pg_catalog
