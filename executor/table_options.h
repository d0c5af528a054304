// The storage parameters of CREATE TABLE ... WITH (...): PostgreSQL 15's heap reloptions are
// checked as parseRelOptions does (names, namespaces, types, bounds, duplicates) and then have
// no effect here (ActiveStore has no heap pages, autovacuum or TOAST to tune); anything else
// fails as in PostgreSQL (22023 `unrecognized parameter "x"`). ActiveStore's own row-expiry
// options (ttl, ttl_column; docs/design/2026-12-06-row-expiry.md) are 0A000 until implemented.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace activestore::executor {

void CheckTableOptions(const std::vector<std::pair<std::string, std::string>>& options);

}  // namespace activestore::executor
