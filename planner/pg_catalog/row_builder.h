// Building the rows of a pg_catalog relation by column name (internal to planner/pg_catalog/).
#pragma once

#include <string_view>
#include <vector>

#include "planner/pg_catalog/system_relation.h"

namespace activestore::planner::pg_catalog {

// One row of `rel` for a scan with context `ctx`, every column first at its default: false, 0
// for numbers and oids, NULL for names, text, "char" and arrays (PostgreSQL's values for
// "none"). When the scan reads only some columns (ctx.slots), the row holds only those, and
// Set() of another column does nothing. Set() finds a column by name, searching on from the
// previous one, so setting columns in order costs O(1) each.
class RowBuilder {
 public:
  RowBuilder(const SystemRelation& rel, const CatalogReadContext& ctx);
  // REQUIRES: col is a column of the relation (XX000 otherwise).
  RowBuilder& Set(std::string_view col, Value v);
  std::vector<Value> Take() { return std::move(row_); }

 private:
  int Find(std::string_view col);  // the column's index (XX000 when there is none)

  const SystemRelation& rel_;
  const std::vector<int>* slots_;
  std::vector<Value> row_;
  size_t hint_ = 0;
};

// Whether the rows of a scan with context `ctx` hold column `col` of `rel` (what a producer
// need not compute otherwise).
bool ScanReads(const SystemRelation& rel, const CatalogReadContext& ctx, std::string_view col);

// A whole row of a relation as a scan with context `ctx` reads it: only its columns when the
// scan reads some (ctx.slots), else a copy.
std::vector<Value> ProjectRow(const std::vector<Value>& whole, const CatalogReadContext& ctx);

std::unique_ptr<SystemRelation> MakeRelation(std::string name, Oid oid, Oid row_type_oid,
                                             std::vector<SystemColumn> columns);
inline Type T(TypeId id) { return Type::Of(id); }
// A regproc column's value (a function's oid; 0 prints '-').
Value RegProcValue(Oid oid);

// A one-dimensional array of `values` of element type `elem`, lower bound `lower` (0 for
// PostgreSQL's int2vector and oidvector, 1 otherwise).
Value ArrayOf(TypeId array_type, const std::vector<Value>& values, int lower = 1);
// An access control list as PostgreSQL's aclitem[] text ({postgres=arwdDxt/postgres,...}, here
// a text[]); NULL when none was stored (the default privileges).
// pg_type.typbyval of a type of length `typlen`: PostgreSQL passes 1-, 2-, 4- and 8-byte types
// by value (not tid's 6 bytes, not varlena).
inline bool PassedByValue(int typlen) {
  return typlen == 1 || typlen == 2 || typlen == 4 || typlen == 8;
}

Value AclValue(const storage::CatalogSnapshot& snap, const std::optional<storage::Acl>& acl);

// Whether a key (if any) on column `col` admits `v`.
bool KeyAdmits(const ScanKey* key, int col, const Value& v);

}  // namespace activestore::planner::pg_catalog
