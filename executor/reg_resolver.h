// The catalog side of the reg* types (common/reg_types.h) and of the catalog functions that
// print or test names the same way (format_type, pg_table_is_visible, pg_type_is_visible):
// name lookup along the search path and names qualified only when not visible, over one
// catalog snapshot as a statement's transaction sees it.
//
// Thread safety: immutable after construction (an oid index of the relations is built once, under
// std::call_once); safe to share between threads.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/reg_types.h"
#include "storage/catalog.h"

namespace activestore::executor {

class CatalogRegResolver final : public RegResolver {
 public:
  // `search_path`: the schemas that exist, in order, as the session resolves names (the
  // implicit temporary schema first when it is searched implicitly); pg_catalog is searched
  // first unless listed. `temp_schema`: what the schema name pg_temp denotes ('' if none).
  CatalogRegResolver(std::shared_ptr<const storage::CatalogSnapshot> catalog, storage::Oid database,
                     std::vector<std::string> search_path, std::string implicit_temp_schema,
                     std::string temp_schema);

  std::optional<uint32_t> Lookup(TypeId type, std::string_view text,
                                 bool missing_ok) const override;
  std::optional<std::string> Name(TypeId type, uint32_t oid) const override;

  // The session's temporary schema (what pg_temp denotes), '' if none.
  const std::string& temp_schema() const { return temp_schema_; }
  // The schemas a name is looked up in, in order (pg_catalog included).
  const std::vector<std::string>& effective_path() const { return path_; }
  // pg_table_is_visible: nullopt for an oid that names no relation.
  std::optional<bool> RelationVisible(uint32_t oid) const;
  // pg_type_is_visible: nullopt for an oid that names no type.
  std::optional<bool> TypeVisible(uint32_t oid) const;
  // pg_function_is_visible: nullopt for an oid that names no function.
  std::optional<bool> FunctionVisible(uint32_t oid) const;
  // format_type(oid, typmod) with the typmod as PostgreSQL stores it (-1: none; kNoTypmod: a
  // NULL typmod, as format_type_be); "???" for an unknown oid.
  static constexpr int32_t kNoTypmod = INT32_MIN;
  std::string FormatType(uint32_t oid, int32_t wire_typmod) const;

 private:
  // A relation (table, view, sequence, index, pg_catalog relation) by oid: schema and name.
  bool RelationByOid(uint32_t oid, std::string* schema, std::string* name) const;
  // The oid of relation `name` in `schema`, 0 if none.
  uint32_t RelationIn(const std::string& schema, const std::string& name) const;
  // A user type (enum, domain, row type) or its array type by oid.
  bool UserTypeName(uint32_t oid, std::string* schema, std::string* name, bool* array) const;
  bool UserTypeVisible(const std::string& schema, const std::string& name) const;
  std::optional<uint32_t> LookupRelation(std::string_view text, bool missing_ok) const;
  std::optional<uint32_t> LookupType(std::string_view text, bool missing_ok) const;
  // regprocin ('f', unique name) and regprocedurein ('f(integer, text)') over the built-in and
  // the user functions.
  std::optional<uint32_t> LookupFunction(TypeId type, std::string_view text, bool missing_ok) const;
  std::optional<std::string> FunctionName(TypeId type, uint32_t oid) const;
  // A function's name and input argument types (pg_proc.proargtypes) by oid: a built-in one
  // (common/builtin_catalog.h) or the database's. False if there is none.
  bool FunctionSignature(uint32_t oid, std::string* name, std::vector<uint32_t>* input_types) const;
  // The oids of the functions named `name` in `schema` (pg_catalog: the built-in ones).
  std::vector<uint32_t> FunctionsIn(const std::string& schema, const std::string& name) const;

  std::shared_ptr<const storage::CatalogSnapshot> catalog_;
  storage::Oid database_;
  std::vector<std::string> search_path_;
  std::string temp_schema_;
  std::vector<std::string> path_;
  // RelationByOid's index: oid -> (schema, name) of the database's relations and indexes.
  mutable std::once_flag relations_once_;
  mutable std::unordered_map<uint32_t, std::pair<std::string, std::string>> relations_;
};

}  // namespace activestore::executor
