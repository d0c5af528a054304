// Domain constraints as the binder attaches them (planner/bind_domain.cpp) and the executor
// checks them (executor/operators/dml_util.cpp, executor/functions.cpp' domain_check). See
// docs/design/2026-12-05-user-defined-types.md.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "storage/catalog.h"

namespace activestore::planner {

// The domain `oid` and the domains it is declared over, innermost first (the order PostgreSQL
// checks their constraints in); empty if `oid` is not a domain of `catalog`.
std::vector<std::shared_ptr<const storage::TypeDefInfo>> DomainChain(
    const storage::CatalogSnapshot& catalog, uint32_t oid);

// The name a domain constraint gets among a plan's table checks (PlanNode::check_names): a
// marker, the domain's name and the constraint's (empty for the domain's NOT NULL, whose check
// is `VALUE IS NOT NULL`).
inline std::string DomainCheckName(const std::string& domain, const std::string& constraint) {
  return "\x01" + domain + "\x01" + constraint;
}
// Whether `name` is such a name; then sets *domain and *constraint.
inline bool ParseDomainCheckName(const std::string& name, std::string* domain,
                                 std::string* constraint) {
  if (name.empty() || name[0] != '\x01') return false;
  size_t sep = name.find('\x01', 1);
  if (sep == std::string::npos) return false;
  *domain = name.substr(1, sep - 1);
  *constraint = name.substr(sep + 1);
  return true;
}

}  // namespace activestore::planner
