// What DROP ... [CASCADE | RESTRICT] takes with it, as PostgreSQL's dependency.c finds and reports
// it: the dependencies between the objects of one database (PostgreSQL's pg_depend rows, derived
// from the catalog), findDependentObjects' walk over them (the objects to delete, dependents
// first, each with how it was reached) and reportDependentObjects' NOTICE or 2BP01 error, with
// getObjectDescription's names (qualified where the search path does not find them).
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "executor/engine.h"
#include "storage/catalog.h"

namespace activestore::executor {

// PostgreSQL's ObjectAddress: the catalog (pg_class 1259, pg_type 1247, ...), the object's oid
// and, for a column, its number (1-based; 0 for the whole object).
struct DependencyObject {
  static constexpr storage::Oid kType = 1247;
  static constexpr storage::Oid kProc = 1255;
  static constexpr storage::Oid kClass = 1259;
  static constexpr storage::Oid kAttrdef = 2604;
  static constexpr storage::Oid kCast = 2605;
  static constexpr storage::Oid kConstraint = 2606;
  static constexpr storage::Oid kNamespace = 2615;
  static constexpr storage::Oid kOperator = 2617;
  static constexpr storage::Oid kTrigger = 2620;
  storage::Oid class_id = 0;
  storage::Oid oid = 0;
  int32_t sub = 0;
  auto operator<=>(const DependencyObject&) const = default;
  DependencyObject Whole() const { return {class_id, oid, 0}; }
};

class DependencyGraph {
 public:
  // findDependentObjects' flags (DEPFLAG_*).
  static constexpr int kOriginal = 1;
  static constexpr int kNormal = 2;
  static constexpr int kAuto = 4;
  static constexpr int kInternal = 8;
  static constexpr int kReverse = 64;
  static constexpr int kSubobject = 256;

  // One object to delete: how it was reached (flags) and from which object (dependee).
  struct Target {
    DependencyObject object;
    int flags = 0;
    DependencyObject dependee;
  };

  // The dependencies among the objects of database `db` in `snap`. `search_path` (the schemas
  // in lookup order) decides which names descriptions qualify.
  DependencyGraph(const storage::CatalogSnapshot& snap, storage::Oid db,
                  std::vector<std::string> search_path);

  // PostgreSQL's performMultipleDeletions up to the deletion: the objects to delete for
  // `originals`, in deletion order (dependents before what they depend on). Throws 2BP01
  // `cannot drop X because Y requires it` for an original that is part of another object.
  std::vector<Target> FindTargets(const std::vector<DependencyObject>& originals) const;

  // reportDependentObjects: without `cascade`, 2BP01 when objects other than the originals
  // would go (naming them and what they depend on); with it, the NOTICE listing them (nullopt
  // when there are none).
  std::optional<Notice> Report(const std::vector<Target>& targets, bool cascade,
                               const std::vector<DependencyObject>& originals) const;

  // getObjectDescription ("table s.t", "view v", "column c of table t", "function f(integer)").
  std::string Describe(const DependencyObject& o) const;
  // format_type_be of a type oid: its name, qualified when the search path does not find it.
  std::string TypeDescription(storage::Oid type) const;

  // That view `view` reads `relations` (for a view whose stored text has no recorded relation
  // references, found by planning it).
  void AddViewReads(storage::Oid view, const std::vector<storage::Oid>& relations);

  // Whether type `oid` is a relation's row type or an array type: part of another object.
  bool IsDependentType(storage::Oid oid) const {
    return row_types_.count(oid) != 0 || array_types_.count(oid) != 0;
  }
  // The composite type whose relation is `oid` (0 if none).
  storage::Oid CompositeTypeOfRelation(storage::Oid oid) const;
  // The relation that owns constraint, default or trigger `o` (nullptr if none).
  std::shared_ptr<const storage::TableInfo> OwnerOf(const DependencyObject& o) const;

 private:
  struct Edge {
    DependencyObject dependent;
    DependencyObject referenced;
    char type;  // 'n' normal, 'a' auto, 'i' internal
  };
  void Add(DependencyObject dependent, DependencyObject referenced, char type);
  void AddTypeReference(DependencyObject dependent, storage::Oid type);
  void Find(const DependencyObject& object, int objflags, std::vector<Target>* stack,
            std::vector<Target>* targets, const std::vector<DependencyObject>& originals) const;
  bool RelationVisible(const storage::TableInfo& t) const;
  std::string RelationDescription(const storage::TableInfo& t) const;

  const storage::CatalogSnapshot& snap_;
  storage::Oid db_;
  std::vector<std::string> path_;
  std::vector<Edge> edges_;
  // Edge indexes by the whole object on each end.
  std::map<DependencyObject, std::vector<size_t>> by_referenced_, by_dependent_;
  // Owners of the relations' sub-objects: constraint, default and trigger oids.
  std::map<DependencyObject, storage::Oid> owner_;
  // The relations' row types and their array types (type oid -> relation oid), the user
  // types' array types (array oid -> element type oid), the composite types' relations
  // (relation oid -> type oid).
  std::map<storage::Oid, storage::Oid> row_types_;
  std::map<storage::Oid, storage::Oid> array_types_;
  std::map<storage::Oid, storage::Oid> composite_relations_;
};

}  // namespace activestore::executor
