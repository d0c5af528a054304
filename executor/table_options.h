// The storage parameters of CREATE TABLE ... WITH (...): PostgreSQL 15's heap reloptions are
// checked as parseRelOptions does (names, namespaces, types, bounds, duplicates) and then have
// no effect here (ActiveStore has no heap pages, autovacuum or TOAST to tune); anything else
// fails as in PostgreSQL (22023 `unrecognized parameter "x"`). ActiveStore's own row-expiry
// options, ttl and ttl_column (docs/design/2026-12-06-row-expiry.md), become TableInfo::expiry.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "storage/catalog.h"

namespace activestore::executor {

using TableOptions = std::vector<std::pair<std::string, std::string>>;

// Checks the options in PostgreSQL's order and with its errors (the row-expiry ones: their
// values' form, 22023).
void CheckTableOptions(const TableOptions& options);
// The row expiry the options declare for a table of `columns` (inactive when none); `now` in
// timestamptz microseconds. 22023 for a ttl that is not a positive interval or both options,
// 42703 / 42804 for a ttl_column that is not a timestamptz column.
storage::RowExpiry RowExpiryOf(const TableOptions& options,
                               const std::vector<storage::ColumnInfo>& columns, int64_t now);
// ALTER TABLE ... SET (...): checks the options and applies the row-expiry ones to *expiry
// (22023 when that would leave both ttl and ttl_column set).
void SetTableOptions(const TableOptions& options, const std::vector<storage::ColumnInfo>& columns,
                     int64_t now, storage::RowExpiry* expiry);
// ALTER TABLE ... RESET (...): ttl and ttl_column are cleared; other names are accepted, as
// PostgreSQL accepts any name there.
void ResetTableOptions(const std::vector<std::string>& names, storage::RowExpiry* expiry);

// A view's options (reloptions) after CREATE VIEW ... WITH (set) or ALTER VIEW ... SET (set) /
// RESET (reset) over `current`, checked as PostgreSQL's view_reloptions does: security_barrier
// and security_invoker booleans, check_option local or cascaded; anything else 22023
// `unrecognized parameter "x"`. Each as reloptions shows it ("security_barrier=true").
std::vector<std::string> ViewOptions(const std::vector<std::string>& current,
                                     const TableOptions& set,
                                     const std::vector<std::string>& reset);
// The check_option among a view's options, lower-cased ("local", "cascaded"), or "".
std::string ViewCheckOption(const std::vector<std::string>& options);

}  // namespace activestore::executor
