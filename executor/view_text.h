// The stored text of a view: its query as written, with the relations it reads qualified by
// their schemas at CREATE VIEW (so that the view reads the relations it was created over, whatever
// search_path its reader has, as PostgreSQL binds a view's names once), and pg_get_viewdef's
// text of it for a reader (each relation named as regclass prints it: unqualified where the
// reader's search_path finds it, so pg_dump's empty search_path gets qualified names).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "planner/planner.h"
#include "storage/catalog.h"

namespace activestore::executor {

struct QualifiedViewText {
  std::string sql;
  std::vector<storage::TableInfo::ViewRelationRef> relations;  // offsets into sql
};

// `query` (which starts at ast location query_location of the statement) with each relation
// the binder resolved in it (mentions) qualified by the schema it was found in. nullopt if a
// mention is not the relation's name at its location (the text cannot be rewritten safely).
std::optional<QualifiedViewText> QualifyViewRelations(
    std::string_view query, int query_location,
    const std::vector<planner::PlannerContext::RelationMention>& mentions,
    const storage::CatalogSnapshot& catalog);

// The view's query text with each recorded relation reference replaced by name_of(oid) (kept as
// stored where name_of has none), and the references' new places (ALTER SCHEMA RENAME writes
// the new names of the renamed schema's relations into the views that read them).
QualifiedViewText RenameViewRelations(
    const storage::TableInfo& view,
    const std::function<std::optional<std::string>(storage::Oid)>& name_of);

// RenameViewRelations' text: pg_get_viewdef's for a reader.
std::string ViewTextForReader(
    const storage::TableInfo& view,
    const std::function<std::optional<std::string>(storage::Oid)>& name_of);

// The length in bytes of the (possibly qualified, possibly quoted) name that starts at `at` in
// `sql`, with *last set to its last part as the parser reads it (unquoted parts lower-cased); 0
// if no name starts there.
size_t QualifiedNameSpan(std::string_view sql, size_t at, std::string* last);

}  // namespace activestore::executor
