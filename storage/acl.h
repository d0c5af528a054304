// Privileges as PostgreSQL keeps them (utils/acl.h): an object's access control list is a list
// of items "grantee=privileges/grantor", absent (nullopt) until the first GRANT or REVOKE, which
// then starts from the object kind's default list (the owner holds every privilege, and for
// databases PUBLIC holds TEMP and CONNECT). Roles are members of other roles (RoleInfo::
// member_of); a member has the privileges of the roles it inherits from (rolinherit).
//
// Everything here is a pure function of a CatalogSnapshot: thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/aclitem.h"

namespace activestore::storage {

using Oid = uint32_t;
struct CatalogSnapshot;
struct RoleInfo;
struct TableInfo;

// PostgreSQL's AclMode bits (ACL_INSERT ... ACL_CONNECT) and their letters in aclitem text.
using AclMode = uint32_t;
namespace acl {
inline constexpr AclMode kInsert = 1u << 0;       // a
inline constexpr AclMode kSelect = 1u << 1;       // r
inline constexpr AclMode kUpdate = 1u << 2;       // w
inline constexpr AclMode kDelete = 1u << 3;       // d
inline constexpr AclMode kTruncate = 1u << 4;     // D
inline constexpr AclMode kReferences = 1u << 5;   // x
inline constexpr AclMode kTrigger = 1u << 6;      // t
inline constexpr AclMode kExecute = 1u << 7;      // X
inline constexpr AclMode kUsage = 1u << 8;        // U
inline constexpr AclMode kCreate = 1u << 9;       // C
inline constexpr AclMode kCreateTemp = 1u << 10;  // T
inline constexpr AclMode kConnect = 1u << 11;     // c
inline constexpr Oid kPublic = 0;                 // the grantee PUBLIC
}  // namespace acl

// Fixed role oids, as in PostgreSQL 15.
inline constexpr Oid kBootstrapSuperuserOid = 10;
inline constexpr Oid kPgDatabaseOwnerOid = 6171;
inline constexpr Oid kPgReadAllDataOid = 6181;
inline constexpr Oid kPgWriteAllDataOid = 6182;
inline constexpr Oid kPgReadServerFilesOid = 4569;
inline constexpr Oid kPgWriteServerFilesOid = 4570;
inline constexpr Oid kPgExecuteServerProgramOid = 4571;

struct AclItem {
  Oid grantee = acl::kPublic;
  Oid grantor = 0;
  AclMode privs = 0;
  AclMode grant_options = 0;  // a subset of privs
  bool operator==(const AclItem&) const = default;
};
using Acl = std::vector<AclItem>;

enum class AclObject { kTable, kSequence, kSchema, kDatabase };

// Every privilege an object of the kind can have (what ALL grants).
AclMode AllPrivileges(AclObject kind);
// PostgreSQL's acldefault: the list an object has before any GRANT or REVOKE.
Acl DefaultAcl(AclObject kind, Oid owner);
// The stored list, or the default one when none was stored.
Acl EffectiveAcl(const std::optional<Acl>& acl, AclObject kind, Oid owner);

// AclModeText, QuoteAclName: common/aclitem.h.
using activestore::AclModeText;
using activestore::QuoteAclName;
// One item as aclitemout writes it: "alice=r*/postgres", "=U/postgres" for PUBLIC; names are
// double-quoted when they hold characters other than letters, digits and '_'. `name_of` gives
// a role's name (the oid in digits when it names none).
template <typename NameOf>
std::string AclItemText(const AclItem& item, NameOf name_of);

// Role membership, through RoleInfo::member_of. A superuser has the privileges of every role
// and is a member of every role (PostgreSQL's has_privs_of_role / is_member_of_role).
// `db_owner`: the owner of the session's database, who is implicitly a member of
// pg_database_owner (0: none).
bool IsSuperuser(const CatalogSnapshot& snap, Oid role);
// Whether `member` has the privileges of `role`: equal, or reachable over memberships where
// every role passed through (member included) inherits.
bool HasPrivsOfRole(const CatalogSnapshot& snap, Oid member, Oid role, Oid db_owner = 0);
// Whether `member` is a member of `role` directly or indirectly, inheriting or not (SET ROLE).
bool IsMemberOfRole(const CatalogSnapshot& snap, Oid member, Oid role, Oid db_owner = 0);
// The roles `member` belongs to (itself included), directly or not; with `inheriting`, only
// through roles that inherit (no superuser shortcut).
std::vector<Oid> RolesOf(const CatalogSnapshot& snap, Oid member, bool inheriting,
                         Oid db_owner = 0);
// Whether `member` may grant `role` to others: WITH ADMIN OPTION on it, directly or through
// a role it is a member of. (Superusers and CREATEROLE are the caller's business.)
bool IsAdminOfRole(const CatalogSnapshot& snap, Oid member, Oid role);

// PostgreSQL's aclmask: which of `mask` `role` holds on an object with `acl` (stored or not)
// owned by `owner`; superusers hold everything. With `grant_options`, which of `mask` it may
// grant instead.
AclMode AclMask(const CatalogSnapshot& snap, Oid role, const std::optional<Acl>& acl,
                AclObject kind, Oid owner, AclMode mask, Oid db_owner = 0,
                bool grant_options = false);

// AclMask for a table, view or sequence, with PostgreSQL 15's predefined roles:
// pg_read_all_data adds SELECT, pg_write_all_data INSERT, UPDATE and DELETE.
AclMode RelationAclMask(const CatalogSnapshot& snap, Oid role, const TableInfo& t, AclMode mask,
                        Oid db_owner = 0, bool grant_options = false);

// GRANT / REVOKE on one list (PostgreSQL's aclupdate): adds `privs` (and as grant options with
// `with_grant_option`) to the item (grantee, grantor), appending it if new; or removes them
// (only the grant options with `grant_option_only`), dropping an item left without privileges.
void AclGrant(Acl* acl, Oid grantee, Oid grantor, AclMode privs, bool with_grant_option);
void AclRevoke(Acl* acl, Oid grantee, Oid grantor, AclMode privs, bool grant_option_only);
// Replaces `from` by `to` as grantee and grantor (ALTER ... OWNER TO moves the owner's items).
void AclChangeOwner(Acl* acl, Oid from, Oid to);

// --- implementation of the template ---

template <typename NameOf>
std::string AclItemText(const AclItem& item, NameOf name_of) {
  std::string out;
  if (item.grantee != acl::kPublic) out += QuoteAclName(name_of(item.grantee));
  out += '=';
  out += AclModeText(item.privs, item.grant_options);
  out += '/';
  out += QuoteAclName(name_of(item.grantor));
  return out;
}

}  // namespace activestore::storage
