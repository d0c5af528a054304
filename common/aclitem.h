// aclitem (1033) and aclitem[] (1034): one entry of an access control list as PostgreSQL's
// catalogs hold it (relacl, nspacl, datacl, proacl, ...): "grantee=privileges/grantor", with an
// empty grantee for PUBLIC and '*' after each privilege held with grant option. Thread-safe.
//
// Representation: ValueLayout::kInt64Pair. Value::i = grantee oid << 32 | grantor oid,
// Value::i2 = privileges | grant options << 16 (PostgreSQL's AclMode bits, ACL_INSERT ..
// ACL_ALTER_SYSTEM). Equality is of all three parts; aclitem has no order in PostgreSQL
// (only `=`, and hashing).
//
// Input as aclitemin: names as the identifiers of aclparse (double quotes keep case and allow
// any character), resolved through FormatOptions::reg (42704 `role "x" does not exist`); a
// missing "/grantor" defaults to the bootstrap superuser (10) (PostgreSQL also warns); bad
// text raises 22P02 with PostgreSQL's messages. Output as aclitemout: names through
// FormatOptions::reg, the oid in digits for a role that no longer exists.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/types.h"

namespace activestore {

struct TypeMethods;
struct Value;

inline constexpr TypeId kAclItemType = TypeId{1033};
inline constexpr TypeId kAclItemArrayType = TypeId{1034};

// The privilege letters in AclMode bit order (ACL_ALL_RIGHTS_STR).
inline constexpr char kAclLetters[] = "arwdDxtXUCTcsA";

// "arwdDxt", with '*' after each letter held with grant option.
std::string AclModeText(uint32_t privs, uint32_t grant_options);
// A role name as aclitemout writes it: double-quoted (with '"' doubled) when it holds
// characters other than letters, digits, '_' and non-ASCII bytes, or is empty.
std::string QuoteAclName(std::string_view name);

Value AclItemValue(uint32_t grantee, uint32_t grantor, uint32_t privs, uint32_t grant_options);
struct AclItemParts {
  uint32_t grantee, grantor, privs, grant_options;
};
AclItemParts AclItemOf(const Value& v);  // REQUIRES: v is a non-NULL aclitem

extern const TypeMethods kAclItemMethods;

}  // namespace activestore
