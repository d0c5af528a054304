#include "storage/acl.h"

#include <gtest/gtest.h>

#include "storage/catalog.h"
#include "storage/storage_testing.h"

namespace activestore::storage {
namespace {

RoleInfo Role(Oid oid, const std::string& name, bool inherit = true) {
  RoleInfo r;
  r.oid = oid;
  r.name = name;
  r.inherit = inherit;
  return r;
}

std::string Text(const CatalogSnapshot& snap, const AclItem& i) {
  return AclItemText(i, [&](Oid o) { return snap.FindRoleByOid(o)->name; });
}

TEST(Acl, DefaultsAndText) {
  CatalogSnapshot snap;
  snap.roles["postgres"] = Role(10, "postgres");
  snap.roles["odd name"] = Role(20000, "odd name");
  Acl t = DefaultAcl(AclObject::kTable, 10);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(Text(snap, t[0]), "postgres=arwdDxt/postgres");
  Acl d = DefaultAcl(AclObject::kDatabase, 10);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(Text(snap, d[0]), "=Tc/postgres");
  EXPECT_EQ(Text(snap, d[1]), "postgres=CTc/postgres");
  EXPECT_EQ(Text(snap, DefaultAcl(AclObject::kSequence, 10)[0]), "postgres=rwU/postgres");
  AclGrant(&t, 20000, 10, acl::kSelect | acl::kUpdate, true);
  EXPECT_EQ(Text(snap, t[1]), "\"odd name\"=r*w*/postgres");
  AclRevoke(&t, 20000, 10, acl::kUpdate, /*grant_option_only=*/true);
  EXPECT_EQ(Text(snap, t[1]), "\"odd name\"=r*w/postgres");
  AclRevoke(&t, 20000, 10, acl::kSelect | acl::kUpdate, false);
  EXPECT_EQ(t.size(), 1u);
}

TEST(Acl, MembershipAndMask) {
  CatalogSnapshot snap;
  RoleInfo super = Role(10, "postgres");
  super.superuser = true;
  snap.roles["postgres"] = super;
  RoleInfo a = Role(100, "a"), b = Role(101, "b"), c = Role(102, "c", /*inherit=*/false);
  b.member_of.push_back({100, 10, false});  // b in a
  c.member_of.push_back({101, 10, true});   // c in b, with admin, not inheriting
  snap.roles["a"] = a;
  snap.roles["b"] = b;
  snap.roles["c"] = c;
  EXPECT_TRUE(HasPrivsOfRole(snap, 101, 100));
  EXPECT_FALSE(HasPrivsOfRole(snap, 102, 100));
  EXPECT_TRUE(IsMemberOfRole(snap, 102, 100));
  EXPECT_FALSE(IsMemberOfRole(snap, 100, 101));
  EXPECT_TRUE(IsMemberOfRole(snap, 10, 101));  // superuser
  EXPECT_TRUE(IsAdminOfRole(snap, 102, 101));
  EXPECT_FALSE(IsAdminOfRole(snap, 101, 100));

  Acl list = DefaultAcl(AclObject::kTable, 10);
  AclGrant(&list, 100, 10, acl::kSelect, false);
  EXPECT_EQ(AclMask(snap, 101, list, AclObject::kTable, 10, acl::kSelect | acl::kInsert),
            acl::kSelect);
  EXPECT_EQ(AclMask(snap, 102, list, AclObject::kTable, 10, acl::kSelect), 0u);
  EXPECT_EQ(AclMask(snap, 10, list, AclObject::kTable, 10, acl::kTruncate), acl::kTruncate);
  // Owner of an object with no stored list: everything; with grant options too.
  EXPECT_EQ(AclMask(snap, 100, std::nullopt, AclObject::kTable, 100, acl::kDelete), acl::kDelete);
  EXPECT_EQ(AclMask(snap, 100, std::nullopt, AclObject::kTable, 100, acl::kDelete, 0, true),
            acl::kDelete);
  // pg_database_owner: the database owner's.
  Acl schema = {{kPgDatabaseOwnerOid, kPgDatabaseOwnerOid, acl::kUsage | acl::kCreate, 0}};
  EXPECT_EQ(AclMask(snap, 100, schema, AclObject::kSchema, kPgDatabaseOwnerOid, acl::kCreate, 100),
            acl::kCreate);
  EXPECT_EQ(AclMask(snap, 101, schema, AclObject::kSchema, kPgDatabaseOwnerOid, acl::kCreate, 100),
            acl::kCreate);
  EXPECT_EQ(AclMask(snap, 101, schema, AclObject::kSchema, kPgDatabaseOwnerOid, acl::kCreate, 999),
            0u);
}

TEST(Acl, ChangeOwnerMergesItems) {
  Acl list = DefaultAcl(AclObject::kTable, 10);
  AclGrant(&list, 100, 10, acl::kSelect, false);
  AclGrant(&list, 100, 100, acl::kInsert, false);
  AclChangeOwner(&list, 10, 100);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].grantee, 100u);
  EXPECT_EQ(list[0].grantor, 100u);
  EXPECT_EQ(list[0].privs, AllPrivileges(AclObject::kTable));
}

}  // namespace
}  // namespace activestore::storage

namespace activestore::storage {
namespace {

// Roles and privileges are catalog rows: transactional and kept across a reopen.
TEST(AclCatalog, RolesPersistAndRollBack) {
  testing::TempDir dir;
  auto engine = testing::OpenOrDie(testing::SmallWtOptions(dir.path()));
  auto catalog = Catalog::Open(engine.get(), 2);
  auto snap = catalog->Snapshot();
  ASSERT_NE(snap->FindRole("postgres"), nullptr);
  EXPECT_TRUE(snap->FindRole("postgres")->superuser);
  ASSERT_NE(snap->FindRoleByOid(kPgReadServerFilesOid), nullptr);
  EXPECT_EQ(snap->FindSchema(snap->FindDatabase("postgres")->oid, "public")->owner,
            kPgDatabaseOwnerOid);

  RoleInfo alice;
  alice.name = "alice";
  alice.can_login = true;
  alice.password = "md5" + std::string(32, '0');
  {
    auto txn = catalog->Begin();
    alice = catalog->CreateRole(txn.get(), alice);
    EXPECT_NE(txn->Snapshot()->FindRole("alice"), nullptr);
    EXPECT_EQ(catalog->Snapshot()->FindRole("alice"), nullptr);
    txn->Rollback();
  }
  EXPECT_EQ(catalog->Snapshot()->FindRole("alice"), nullptr);
  Oid table_oid = 0;
  {
    auto txn = catalog->Begin();
    txn->set_creator(kBootstrapSuperuserOid);
    alice = catalog->CreateRole(txn.get(), alice);
    EXPECT_THROW(catalog->CreateRole(txn.get(), alice), Error);
    txn->set_creator(alice.oid);
    TableInfo t;
    t.database_oid = catalog->Snapshot()->FindDatabase("postgres")->oid;
    t.schema = "public";
    t.name = "t";
    t.columns = {{"a", Type::Of(TypeId::kInt32)}};
    auto created = catalog->CreateTable(txn.get(), t);
    table_oid = created->oid;
    TableInfo next = *created;
    next.acl = DefaultAcl(AclObject::kTable, alice.oid);
    AclGrant(&*next.acl, acl::kPublic, alice.oid, acl::kSelect, false);
    catalog->UpdateRelation(txn.get(), next);
    txn->Commit();
  }
  catalog.reset();
  engine.reset();
  engine = testing::OpenOrDie(testing::SmallWtOptions(dir.path()));
  catalog = Catalog::Open(engine.get(), 2);
  snap = catalog->Snapshot();
  const RoleInfo* a = snap->FindRole("alice");
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(a->can_login);
  EXPECT_EQ(a->password, alice.password);
  auto t = snap->FindRelationByOid(table_oid);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->owner, a->oid);
  ASSERT_TRUE(t->acl);
  EXPECT_EQ(t->acl->size(), 2u);
  EXPECT_EQ(
      AclMask(*snap, kBootstrapSuperuserOid + 1, t->acl, AclObject::kTable, t->owner, acl::kSelect),
      acl::kSelect);
}

}  // namespace
}  // namespace activestore::storage
