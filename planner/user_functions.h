// User-defined SQL functions and procedures (storage::FunctionInfo): resolving a call among the
// overloads (PostgreSQL's func_get_detail / func_select_candidate over the user's functions),
// planning a body (its statements with $n typed as the parameters), and checking it at CREATE
// (check_sql_fn_retval). A call is a kFunction BoundExpr with `user_function` set; the executor
// runs the body's plans per call (executor/user_functions.cpp), or the binder inlines a simple
// body (`SELECT expr` without FROM) into the caller's expression.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "planner/plan.h"
#include "planner/planner.h"
#include "storage/catalog.h"

namespace activestore::planner {

// A call of a user-defined function or procedure, shared by the plans that contain it.
// Thread-safe: the body plans are made once per catalog version and search path, under mu.
struct UserFunctionCall {
  // The function, with the actual argument and result types of the call when it is
  // polymorphic (planner/polymorphic.h); `declared` is then the catalog's definition.
  std::shared_ptr<const storage::FunctionInfo> function;
  std::shared_ptr<const storage::FunctionInfo> declared;
  // The scalar result type (void, a base type), when row_result is false.
  Type result;
  // A row result (RETURNS TABLE, several OUT parameters, a table's row type): its columns.
  bool row_result = false;
  std::vector<std::string> column_names;
  std::vector<Type> column_types;

  // The body planned (executor/user_functions.cpp), with the catalog version and search path it
  // was planned for.
  mutable std::mutex mu;
  mutable uint64_t plans_version = 0;
  mutable std::string plans_path;
  mutable std::vector<PlanPtr> plans;
};

// The result columns of `fn` (row results), or false for a scalar result.
bool FunctionResultColumns(const storage::FunctionInfo& fn, const storage::CatalogSnapshot& snap,
                           std::vector<std::string>* names, std::vector<Type>* types);

// The scalar result type of fn (its one OUT parameter's type when it has one; void for a
// procedure without OUT parameters).
Type FunctionScalarResult(const storage::FunctionInfo& fn);

// The body's statements as text ready to parse: AS '...' as is; the SQL-standard body's
// statements joined by ";\n".
std::string FunctionBodySql(const storage::FunctionInfo& fn);

// Plans the statements of fn's body against ctx's catalog and search path ($n and the
// parameter names typed as fn's inputs). Throws as PlanStatement; 0A000 for a statement other
// than SELECT, INSERT, UPDATE, DELETE.
std::vector<PlanPtr> PlanFunctionBody(const storage::FunctionInfo& fn, const PlannerContext& base);

// CREATE FUNCTION's check of the body (PostgreSQL's validator with check_function_bodies on):
// the statements plan, and the last one returns what the function declares (42P13 `return
// type mismatch in function declared to return integer`, with PostgreSQL's details).
void CheckFunctionBody(const storage::FunctionInfo& fn, const PlannerContext& base);

// The result part of CheckFunctionBody over the body's plans (also for a polymorphic function
// with the actual types of a call, where it runs at the call).
void CheckFunctionResult(const storage::FunctionInfo& fn, const std::vector<PlanPtr>& plans,
                         const storage::CatalogSnapshot& snap);

// A parameter's DEFAULT as pg_get_function_arguments prints it (ruleutils: `1`, `'x'::text`).
std::string DeparseParamDefault(const storage::FunctionParam& p, const PlannerContext& ctx);

// The functions (kind 'f') or procedures (kind 'p') named `names` (schema-qualified or along
// the search path; pg_catalog is never searched as it holds no user functions).
std::vector<std::shared_ptr<const storage::FunctionInfo>> FindUserFunctions(
    const std::vector<std::string>& names, const PlannerContext& ctx);

}  // namespace activestore::planner
