// Shared by the information_schema files: the standard's domains as ActiveStore's base types,
// and PostgreSQL's typmod helper functions (_pg_char_max_length, _pg_numeric_precision, ...)
// as SQL expressions over a type oid and typmod, so every view that reports a type's length,
// precision or scale writes them the same way.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "planner/pg_catalog/row_builder.h"
#include "planner/pg_catalog/system_relation.h"

namespace activestore::planner::pg_catalog::infoschema {

inline Type Id() { return T(TypeId::kName); }                      // sql_identifier
inline Type Card() { return T(TypeId::kInt32); }                   // cardinal_number
inline Type Chars() { return T(TypeId::kVarchar); }                // character_data
inline Type YesNo() { return Type{TypeId::kVarchar, 3}; }          // yes_or_no
inline Type TimeStamp() { return Type{TypeId::kTimestampTz, 2}; }  // time_stamp

inline void AddView(std::vector<std::unique_ptr<SystemRelation>>* out,
                    std::unique_ptr<SystemRelation> r, std::string sql) {
  r->view_sql = std::move(sql);
  out->push_back(std::move(r));
}

// The helper functions of PostgreSQL's information_schema.sql, each an integer expression of
// `typid` and `typmod` (SQL text), NULL where PostgreSQL's is.
std::string CharMaxLength(std::string_view typid, std::string_view typmod);
std::string CharOctetLength(std::string_view typid, std::string_view typmod);
std::string NumericPrecision(std::string_view typid, std::string_view typmod);
std::string NumericPrecisionRadix(std::string_view typid);
std::string NumericScale(std::string_view typid, std::string_view typmod);
std::string DatetimePrecision(std::string_view typid, std::string_view typmod);
// interval_type: the fields of an interval type ("DAY TO SECOND"), else NULL.
std::string IntervalType(std::string_view typid, std::string_view typmod);

// The views of information_schema_routines.cpp (routines, parameters, domains, element_types,
// sequences, character_sets, constraint_column_usage) and information_schema_privileges.cpp
// (enabled_roles, applicable_roles, table_privileges, role_table_grants, column_privileges).
void AddRoutineViews(std::vector<std::unique_ptr<SystemRelation>>* out);
void AddPrivilegeViews(std::vector<std::unique_ptr<SystemRelation>>* out);

}  // namespace activestore::planner::pg_catalog::infoschema
