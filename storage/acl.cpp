#include "storage/acl.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "storage/catalog.h"

namespace activestore::storage {

AclMode AllPrivileges(AclObject kind) {
  using namespace acl;
  switch (kind) {
    case AclObject::kTable:
      return kInsert | kSelect | kUpdate | kDelete | kTruncate | kReferences | kTrigger;
    case AclObject::kSequence:
      return kUsage | kSelect | kUpdate;
    case AclObject::kSchema:
      return kUsage | kCreate;
    case AclObject::kDatabase:
      return kCreate | kCreateTemp | kConnect;
  }
  return 0;
}

Acl DefaultAcl(AclObject kind, Oid owner) {
  Acl out;
  AclMode all = AllPrivileges(kind);
  out.push_back({owner, owner, all, 0});
  if (kind == AclObject::kDatabase) {
    out.insert(out.begin(), {acl::kPublic, owner, acl::kCreateTemp | acl::kConnect, 0});
  }
  return out;
}

Acl EffectiveAcl(const std::optional<Acl>& acl, AclObject kind, Oid owner) {
  return acl ? *acl : DefaultAcl(kind, owner);
}

bool IsSuperuser(const CatalogSnapshot& snap, Oid role) {
  const RoleInfo* r = snap.FindRoleByOid(role);
  return r != nullptr && r->superuser;
}

namespace {

// The roles `member` belongs to, itself included (roles_is_member_of). With `privs`, a role that
// does not inherit passes nothing on (ROLERECURSE_PRIVS).
std::set<Oid> MemberOf(const CatalogSnapshot& snap, Oid member, bool privs, Oid db_owner) {
  std::set<Oid> out{member};
  std::vector<Oid> todo{member};
  while (!todo.empty()) {
    Oid cur = todo.back();
    todo.pop_back();
    const RoleInfo* r = snap.FindRoleByOid(cur);
    if (r == nullptr || (privs && !r->inherit)) continue;
    for (const RoleMembership& m : r->member_of) {
      if (out.insert(m.role).second) todo.push_back(m.role);
    }
    if (db_owner != 0 && cur == db_owner && out.insert(kPgDatabaseOwnerOid).second) {
      todo.push_back(kPgDatabaseOwnerOid);
    }
  }
  return out;
}

}  // namespace

std::vector<Oid> RolesOf(const CatalogSnapshot& snap, Oid member, bool inheriting, Oid db_owner) {
  std::set<Oid> s = MemberOf(snap, member, inheriting, db_owner);
  return {s.begin(), s.end()};
}

bool HasPrivsOfRole(const CatalogSnapshot& snap, Oid member, Oid role, Oid db_owner) {
  if (member == role || IsSuperuser(snap, member)) return true;
  return MemberOf(snap, member, /*privs=*/true, db_owner).contains(role);
}

bool IsMemberOfRole(const CatalogSnapshot& snap, Oid member, Oid role, Oid db_owner) {
  if (member == role || IsSuperuser(snap, member)) return true;
  return MemberOf(snap, member, /*privs=*/false, db_owner).contains(role);
}

bool IsAdminOfRole(const CatalogSnapshot& snap, Oid member, Oid role) {
  for (Oid r : MemberOf(snap, member, /*privs=*/false, 0)) {
    const RoleInfo* info = snap.FindRoleByOid(r);
    if (info == nullptr) continue;
    for (const RoleMembership& m : info->member_of) {
      if (m.role == role && m.admin) return true;
    }
  }
  return false;
}

AclMode AclMask(const CatalogSnapshot& snap, Oid role, const std::optional<Acl>& stored,
                AclObject kind, Oid owner, AclMode mask, Oid db_owner, bool grant_options) {
  if (IsSuperuser(snap, role)) return mask;
  // The owner may always grant what it holds (PostgreSQL: the owner's grant options are
  // implicit).
  Acl list = EffectiveAcl(stored, kind, owner);
  std::set<Oid> roles = MemberOf(snap, role, /*privs=*/true, db_owner);
  AclMode have = 0;
  for (const AclItem& item : list) {
    if (item.grantee != acl::kPublic && !roles.contains(item.grantee)) continue;
    have |= grant_options ? item.grant_options : item.privs;
  }
  if (grant_options && roles.contains(owner)) have |= AllPrivileges(kind);
  return have & mask;
}

AclMode RelationAclMask(const CatalogSnapshot& snap, Oid role, const TableInfo& t, AclMode mask,
                        Oid db_owner, bool grant_options) {
  AclObject kind = t.is_sequence() ? AclObject::kSequence : AclObject::kTable;
  AclMode have = AclMask(snap, role, t.acl, kind, t.owner, mask, db_owner, grant_options);
  if (grant_options) return have;
  if ((mask & acl::kSelect) != 0 && (have & acl::kSelect) == 0 &&
      HasPrivsOfRole(snap, role, kPgReadAllDataOid, db_owner)) {
    have |= acl::kSelect;
  }
  const AclMode write = acl::kInsert | acl::kUpdate | acl::kDelete;
  if ((mask & write & ~have) != 0 && HasPrivsOfRole(snap, role, kPgWriteAllDataOid, db_owner)) {
    have |= mask & write;
  }
  return have;
}

void AclGrant(Acl* list, Oid grantee, Oid grantor, AclMode privs, bool with_grant_option) {
  for (AclItem& item : *list) {
    if (item.grantee == grantee && item.grantor == grantor) {
      item.privs |= privs;
      if (with_grant_option) item.grant_options |= privs;
      return;
    }
  }
  list->push_back({grantee, grantor, privs, with_grant_option ? privs : 0});
}

void AclRevoke(Acl* list, Oid grantee, Oid grantor, AclMode privs, bool grant_option_only) {
  for (AclItem& item : *list) {
    if (item.grantee != grantee || item.grantor != grantor) continue;
    item.grant_options &= ~privs;
    if (!grant_option_only) item.privs &= ~privs;
  }
  std::erase_if(*list, [](const AclItem& i) { return i.privs == 0; });
}

void AclChangeOwner(Acl* list, Oid from, Oid to) {
  Acl out;
  for (AclItem item : *list) {
    if (item.grantee == from) item.grantee = to;
    if (item.grantor == from) item.grantor = to;
    // Merge with an item the new owner already had (aclnewowner).
    auto same = std::find_if(out.begin(), out.end(), [&](const AclItem& o) {
      return o.grantee == item.grantee && o.grantor == item.grantor;
    });
    if (same != out.end()) {
      same->privs |= item.privs;
      same->grant_options |= item.grant_options;
    } else {
      out.push_back(item);
    }
  }
  *list = std::move(out);
}

}  // namespace activestore::storage
