#include "executor/dependencies.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/builtin_catalog.h"
#include "executor/deparse.h"

namespace activestore::executor {

using storage::Oid;
using storage::TableInfo;
using Obj = DependencyObject;

namespace {

// PostgreSQL's object_address_comparator: OID descending, then catalog, then sub-object
// (unsigned, so the whole object first).
bool VisitOrder(const std::pair<Obj, int>& a, const std::pair<Obj, int>& b) {
  if (a.first.oid != b.first.oid) return a.first.oid > b.first.oid;
  if (a.first.class_id != b.first.class_id) return a.first.class_id < b.first.class_id;
  return static_cast<uint32_t>(a.first.sub) < static_cast<uint32_t>(b.first.sub);
}

const char* RelationKind(const TableInfo& t) {
  if (t.matview) return "materialized view";
  if (t.is_view) return "view";
  if (t.is_sequence()) return "sequence";
  return "table";
}

}  // namespace

DependencyGraph::DependencyGraph(const storage::CatalogSnapshot& snap, Oid db,
                                 std::vector<std::string> search_path)
    : snap_(snap), db_(db), path_(std::move(search_path)) {
  auto schema_oid = [&](const std::string& name) -> Oid {
    const storage::SchemaInfo* s = snap.FindSchema(db, name);
    return s == nullptr ? 0 : s->oid;
  };
  // The types that are parts of other objects, first: references to them are recorded too.
  for (const auto& [key, t] : snap.tables) {
    if (std::get<0>(key) != db) continue;
    if (t->row_type_oid != 0) row_types_[t->row_type_oid] = t->oid;
    if (t->row_array_type_oid != 0) row_types_[t->row_array_type_oid] = t->oid;
  }
  for (const auto& [key, ty] : snap.types) {
    if (std::get<0>(key) != db) continue;
    if (ty->array_oid != 0) array_types_[ty->array_oid] = ty->oid;
    if (ty->is_composite() && ty->relation_oid != 0)
      composite_relations_[ty->relation_oid] = ty->oid;
  }
  for (const auto& [key, t] : snap.tables) {
    if (std::get<0>(key) != db) continue;
    const Obj rel{Obj::kClass, t->oid, 0};
    if (Oid nsp = schema_oid(t->schema)) Add(rel, {Obj::kNamespace, nsp, 0}, 'n');
    if (t->chunk) {
      Add(rel, {Obj::kClass, t->chunk->hypertable, 0}, 'a');
      if (t->chunk->compressed_table != 0) {
        Add({Obj::kClass, t->chunk->compressed_table, 0}, rel, 'a');
      }
    } else {
      // A child depends on its parents (StoreCatalogInheritance).
      for (Oid parent : t->parents) Add(rel, {Obj::kClass, parent, 0}, 'n');
    }
    if (t->row_type_oid != 0) {
      Add({Obj::kType, t->row_type_oid, 0}, rel, 'i');
      if (t->row_array_type_oid != 0) {
        Add({Obj::kType, t->row_array_type_oid, 0}, {Obj::kType, t->row_type_oid, 0}, 'i');
      }
    }
    if (t->sequence && t->sequence->owner_table != 0) {
      Add(rel, {Obj::kClass, t->sequence->owner_table, t->sequence->owner_column + 1},
          t->sequence->identity ? 'i' : 'a');
    }
    for (size_t c = 0; c < t->columns.size(); ++c) {
      const storage::ColumnInfo& col = t->columns[c];
      const Obj column{Obj::kClass, t->oid, static_cast<int32_t>(c + 1)};
      if (!t->is_view && !t->is_sequence()) {
        AddTypeReference(column, col.domain != 0 ? col.domain : static_cast<Oid>(col.type.id));
      }
      if (col.default_oid != 0) {
        const Obj def{Obj::kAttrdef, col.default_oid, 0};
        owner_[def] = t->oid;
        Add(def, column, 'a');
        for (uint32_t seq : col.default_sequences) Add(def, {Obj::kClass, seq, 0}, 'n');
      }
    }
    for (const storage::ForeignKeyInfo& f : t->foreign_keys) {
      const Obj con{Obj::kConstraint, f.oid, 0};
      owner_[con] = t->oid;
      for (int c : f.columns) Add(con, {Obj::kClass, t->oid, c + 1}, 'a');
      for (int c : f.ref_columns) Add(con, {Obj::kClass, f.ref_table, c + 1}, 'n');
    }
    for (const storage::TriggerInfo& g : t->triggers) {
      const Obj trg{Obj::kTrigger, g.oid, 0};
      owner_[trg] = t->oid;
      Add(trg, rel, 'a');
      Add(trg, {Obj::kProc, g.function, 0}, 'n');
    }
    // A view's rule depends on the relations its query reads (here: the view itself).
    for (const TableInfo::ViewRelationRef& r : t->view_relations) {
      if (r.oid != t->oid) Add(rel, {Obj::kClass, r.oid, 0}, 'n');
    }
    if (t->cagg) {
      Add(rel, {Obj::kClass, t->cagg->raw_hypertable, 0}, 'n');
      Add({Obj::kClass, t->cagg->mat_table, 0}, rel, 'i');
    }
  }
  for (const auto& [key, ty] : snap.types) {
    if (std::get<0>(key) != db) continue;
    const Obj type{Obj::kType, ty->oid, 0};
    if (Oid nsp = schema_oid(ty->schema)) Add(type, {Obj::kNamespace, nsp, 0}, 'n');
    if (ty->array_oid != 0) Add({Obj::kType, ty->array_oid, 0}, type, 'i');
    if (ty->is_domain()) {
      AddTypeReference(type,
                       ty->parent_domain != 0 ? ty->parent_domain : static_cast<Oid>(ty->base.id));
    }
    if (ty->is_base()) {  // a base type's I/O functions
      Add(type, {Obj::kProc, ty->input_fn, 0}, 'n');
      Add(type, {Obj::kProc, ty->output_fn, 0}, 'n');
    }
    if (ty->is_composite() && ty->relation_oid != 0) {
      Add({Obj::kClass, ty->relation_oid, 0}, type, 'i');
      for (size_t i = 0; i < ty->fields.size(); ++i) {
        AddTypeReference({Obj::kClass, ty->relation_oid, static_cast<int32_t>(i + 1)},
                         static_cast<Oid>(ty->fields[i].type.id));
      }
    }
  }
  for (const auto& [key, f] : snap.functions) {
    if (std::get<0>(key) != db) continue;
    const Obj fn{Obj::kProc, f->oid, 0};
    if (Oid nsp = schema_oid(f->schema)) Add(fn, {Obj::kNamespace, nsp, 0}, 'n');
    for (const storage::FunctionParam& p : f->params) {
      AddTypeReference(fn, p.domain != 0 ? p.domain : static_cast<Oid>(p.type.id));
    }
    if (f->return_relation != 0) {
      if (auto rel = snap.FindRelationByOid(f->return_relation); rel && rel->row_type_oid != 0) {
        Add(fn, {Obj::kType, rel->row_type_oid, 0}, 'n');
      }
    } else {
      AddTypeReference(fn, static_cast<Oid>(f->return_type.id));
    }
  }
  // CREATE OPERATOR's operators: on their schema, argument and result types and function.
  for (const auto& [key, sc] : snap.schemas) {
    if (key.first != db) continue;
    for (const storage::OperatorInfo& op : sc.operators) {
      const Obj oper{Obj::kOperator, op.oid, 0};
      Add(oper, {Obj::kNamespace, sc.oid, 0}, 'n');
      AddTypeReference(oper, op.left);
      AddTypeReference(oper, op.right);
      AddTypeReference(oper, op.result);
      if (op.function != 0 && op.function >= storage::Oid{16384}) {
        Add(oper, {Obj::kProc, op.function, 0}, 'n');
      }
    }
  }
  // CREATE CAST's casts, after the functions (PostgreSQL lists them in oid order).
  for (const auto& [key, ty] : snap.types) {
    if (std::get<0>(key) != db) continue;
    for (const storage::UserCastInfo& c : ty->casts) {
      const Obj cast{Obj::kCast, c.oid, 0};
      AddTypeReference(cast, c.source);
      AddTypeReference(cast, c.target);
      if (c.function != 0) Add(cast, {Obj::kProc, c.function, 0}, 'n');
    }
  }
}

void DependencyGraph::Add(Obj dependent, Obj referenced, char type) {
  if (dependent.oid == 0 || referenced.oid == 0) return;
  for (size_t i : by_dependent_[dependent.Whole()]) {
    const Edge& e = edges_[i];
    if (e.dependent == dependent && e.referenced == referenced && e.type == type) return;
  }
  const size_t i = edges_.size();
  edges_.push_back({dependent, referenced, type});
  by_dependent_[dependent.Whole()].push_back(i);
  by_referenced_[referenced.Whole()].push_back(i);
}

void DependencyGraph::AddTypeReference(Obj dependent, Oid type) {
  if (type < storage::Oid{16384}) return;  // a built-in type: pinned
  if (snap_.FindTypeByOid(type) != nullptr || row_types_.count(type) != 0 ||
      array_types_.count(type) != 0) {
    Add(dependent, {Obj::kType, type, 0}, 'n');
  }
}

void DependencyGraph::AddViewReads(Oid view, const std::vector<Oid>& relations) {
  for (Oid r : relations) {
    if (r != view) Add({Obj::kClass, view, 0}, {Obj::kClass, r, 0}, 'n');
  }
}

Oid DependencyGraph::CompositeTypeOfRelation(Oid oid) const {
  auto it = composite_relations_.find(oid);
  return it == composite_relations_.end() ? 0 : it->second;
}

std::shared_ptr<const TableInfo> DependencyGraph::OwnerOf(const Obj& o) const {
  auto it = owner_.find(o.Whole());
  return it == owner_.end() ? nullptr : snap_.FindRelationByOid(it->second);
}

namespace {

// object_address_present_add_flags over `list` (targets or the stack).
bool PresentAddFlags(const Obj& o, int flags, std::vector<DependencyGraph::Target>* list,
                     bool stack) {
  bool result = false;
  for (DependencyGraph::Target& t : *list) {
    if (t.object.class_id != o.class_id || t.object.oid != o.oid) continue;
    if (t.object.sub == o.sub) {
      t.flags |= flags;
      if (!stack) return true;
      result = true;
    } else if (t.object.sub == 0) {
      // A column of a whole object already being deleted.
      if (!stack) return true;
      result = true;
    } else if (o.sub == 0) {
      // The whole object, after one of its columns: the column's entry is then only part of it.
      t.flags |= stack ? flags : (flags | DependencyGraph::kSubobject);
    }
  }
  return result;
}

}  // namespace

void DependencyGraph::Find(const Obj& object, int objflags, std::vector<Target>* stack,
                           std::vector<Target>* targets, const std::vector<Obj>& originals) const {
  if (PresentAddFlags(object, objflags, stack, true)) return;
  if (PresentAddFlags(object, objflags, targets, false)) return;
  // What this object is part of (an internal dependency): deleting it means deleting that.
  std::optional<Obj> owning;
  if (auto it = by_dependent_.find(object.Whole()); it != by_dependent_.end()) {
    for (size_t i : it->second) {
      const Edge& e = edges_[i];
      if (e.type != 'i') continue;
      if (object.sub != 0 && e.dependent.sub != object.sub) continue;
      const Obj& other = e.referenced;
      if (stack->empty()) {
        if (std::find(originals.begin(), originals.end(), other) != originals.end()) return;
        if (!owning) owning = other;
        continue;
      }
      if (PresentAddFlags(other, 0, stack, true)) continue;
      Find(other, kReverse, stack, targets, originals);
      if (!PresentAddFlags(object, objflags, targets, false)) {
        Throw(SqlState::kInternalError, "deletion of owning object {} failed to delete {}",
              Describe(other), Describe(object));
      }
      return;
    }
  }
  if (owning) {
    throw Error(
        SqlState::kUndefinedObjectDependent,
        fmt::format("cannot drop {} because {} requires it", Describe(object), Describe(*owning)))
        .Hint(fmt::format("You can drop {} instead.", Describe(*owning)));
  }
  std::vector<std::pair<Obj, int>> dependents;
  if (auto it = by_referenced_.find(object.Whole()); it != by_referenced_.end()) {
    for (size_t i : it->second) {
      const Edge& e = edges_[i];
      if (object.sub != 0 && e.referenced.sub != object.sub) continue;
      const int flags = e.type == 'n' ? kNormal : e.type == 'a' ? kAuto : kInternal;
      dependents.emplace_back(e.dependent, flags);
    }
  }
  std::stable_sort(dependents.begin(), dependents.end(), VisitOrder);
  stack->push_back({object, objflags, {}});
  const size_t at = stack->size() - 1;
  for (const auto& [other, flags] : dependents) Find(other, flags, stack, targets, originals);
  const int flags = (*stack)[at].flags;
  stack->pop_back();
  targets->push_back({object, flags, stack->empty() ? Obj{} : stack->back().object});
}

std::vector<DependencyGraph::Target> DependencyGraph::FindTargets(
    const std::vector<Obj>& originals) const {
  std::vector<Target> targets;
  for (const Obj& o : originals) {
    std::vector<Target> stack;
    Find(o, kOriginal, &stack, &targets, originals);
  }
  return targets;
}

std::optional<Notice> DependencyGraph::Report(const std::vector<Target>& targets, bool cascade,
                                              const std::vector<Obj>& originals) const {
  constexpr int kMaxReported = 100;  // MAX_REPORTED_DEPS
  std::string detail;
  int reported = 0, not_reported = 0;
  bool ok = true;
  for (auto it = targets.rbegin(); it != targets.rend(); ++it) {
    if ((it->flags & (kOriginal | kSubobject)) != 0) continue;
    if ((it->flags & (kAuto | kInternal)) != 0) continue;  // auto-cascades: DEBUG2 only
    std::string line = cascade ? "drop cascades to " + Describe(it->object)
                               : Describe(it->object) + " depends on " + Describe(it->dependee);
    if (!cascade) ok = false;
    if (reported < kMaxReported) {
      if (!detail.empty()) detail += "\n";
      detail += line;
      ++reported;
    } else {
      ++not_reported;
    }
  }
  if (not_reported > 0) {
    detail += fmt::format("\nand {} other object{} (see server log for list)", not_reported,
                          not_reported == 1 ? "" : "s");
  }
  if (!ok) {
    std::string message =
        originals.size() == 1
            ? fmt::format("cannot drop {} because other objects depend on it",
                          Describe(originals.front()))
            : "cannot drop desired object(s) because other objects depend on them";
    throw Error(SqlState::kUndefinedObjectDependent, std::move(message))
        .Detail(detail)
        .Hint("Use DROP ... CASCADE to drop the dependent objects too.");
  }
  if (reported > 1) {
    const int total = reported + not_reported;
    return Notice{"NOTICE", "00000",
                  fmt::format("drop cascades to {} other object{}", total, total == 1 ? "" : "s"),
                  detail};
  }
  if (reported == 1) return Notice{"NOTICE", "00000", detail};
  return std::nullopt;
}

bool DependencyGraph::RelationVisible(const TableInfo& t) const {
  for (const std::string& s : path_) {
    if (s == t.schema) return true;
    if (snap_.FindTable(db_, s, t.name) != nullptr ||
        snap_.FindIndexOwner(db_, s, t.name) != nullptr) {
      return false;
    }
  }
  return false;
}

std::string DependencyGraph::RelationDescription(const TableInfo& t) const {
  return std::string(RelationKind(t)) + " " +
         (RelationVisible(t) ? QuoteIdent(t.name)
                             : QuoteIdent(t.schema) + "." + QuoteIdent(t.name));
}

std::string DependencyGraph::TypeDescription(Oid type) const {
  if (auto it = array_types_.find(type); it != array_types_.end()) {
    return TypeDescription(it->second) + "[]";
  }
  std::string schema, name;
  bool array = false;
  if (auto it = row_types_.find(type); it != row_types_.end()) {
    auto rel = snap_.FindRelationByOid(it->second);
    if (rel == nullptr) return TypeName(Type::Of(static_cast<TypeId>(type)));
    schema = rel->schema;
    name = rel->name;
    array = rel->row_array_type_oid == type;
  } else if (auto ty = snap_.FindTypeByOid(type)) {
    schema = ty->schema;
    name = ty->name;
  } else {
    return TypeName(Type::Of(static_cast<TypeId>(type)));
  }
  // TypeIsVisible: the first schema of the path with a type of that name (a relation's row
  // type counts) is the type's.
  bool visible = false;
  for (const std::string& s : path_) {
    if (s == schema) {
      visible = true;
      break;
    }
    if (snap_.FindType(db_, s, name) != nullptr) break;
    if (auto other = snap_.FindTable(db_, s, name); other && other->row_type_oid != 0) break;
  }
  std::string out = visible ? QuoteIdent(name) : QuoteIdent(schema) + "." + QuoteIdent(name);
  return array ? out + "[]" : out;
}

std::string DependencyGraph::Describe(const Obj& o) const {
  switch (o.class_id) {
    case Obj::kClass: {
      if (Oid type = CompositeTypeOfRelation(o.oid)) {
        auto ty = snap_.FindTypeByOid(type);
        std::string desc = "composite type " + TypeDescription(type);
        if (o.sub == 0 || ty == nullptr || o.sub > static_cast<int32_t>(ty->fields.size())) {
          return desc;
        }
        return fmt::format("column {} of {}", ty->fields[o.sub - 1].name, desc);
      }
      auto rel = snap_.FindRelationByOid(o.oid);
      if (rel == nullptr) return fmt::format("relation {}", o.oid);
      if (o.sub == 0 || o.sub > static_cast<int32_t>(rel->columns.size())) {
        return RelationDescription(*rel);
      }
      return fmt::format("column {} of {}", rel->columns[o.sub - 1].name,
                         RelationDescription(*rel));
    }
    case Obj::kType:
      return "type " + TypeDescription(o.oid);
    case Obj::kProc: {
      auto f = snap_.FindFunctionByOid(o.oid);
      if (f == nullptr) return fmt::format("function {}", o.oid);
      const std::vector<Type> in = f->InputTypes();
      // FunctionIsVisible: the first schema of the path with a function of that name and those
      // argument types is the function's.
      bool visible = false;
      for (const std::string& s : path_) {
        if (s == f->schema) {
          visible = true;
          break;
        }
        const auto others = snap_.FindFunctions(db_, s, f->name);
        if (std::any_of(others.begin(), others.end(),
                        [&](const auto& g) { return g->InputTypes() == in; })) {
          break;
        }
      }
      std::string out = "function " + (visible ? QuoteIdent(f->name)
                                               : QuoteIdent(f->schema) + "." + QuoteIdent(f->name));
      out += "(";
      bool first = true;
      for (const storage::FunctionParam& p : f->params) {
        if (!p.is_input()) continue;
        if (!first) out += ",";
        first = false;
        out += TypeDescription(p.domain != 0 ? p.domain : static_cast<Oid>(p.type.id));
      }
      return out + ")";
    }
    case Obj::kConstraint:
    case Obj::kAttrdef:
    case Obj::kTrigger: {
      auto rel = OwnerOf(o);
      if (rel == nullptr) return fmt::format("object {}", o.oid);
      if (o.class_id == Obj::kConstraint) {
        for (const storage::ForeignKeyInfo& f : rel->foreign_keys) {
          if (f.oid == o.oid) {
            return fmt::format("constraint {} on {}", f.name, RelationDescription(*rel));
          }
        }
      } else if (o.class_id == Obj::kAttrdef) {
        for (const storage::ColumnInfo& c : rel->columns) {
          if (c.default_oid == o.oid) {
            return fmt::format("default value for column {} of {}", c.name,
                               RelationDescription(*rel));
          }
        }
      } else {
        for (const storage::TriggerInfo& g : rel->triggers) {
          if (g.oid == o.oid) {
            return fmt::format("trigger {} on {}", g.name, RelationDescription(*rel));
          }
        }
      }
      return fmt::format("object {}", o.oid);
    }
    case Obj::kCast:
      for (const auto& [key, ty] : snap_.types) {
        if (std::get<0>(key) != db_) continue;
        for (const storage::UserCastInfo& c : ty->casts) {
          if (c.oid == o.oid) {
            return fmt::format("cast from {} to {}", TypeDescription(c.source),
                               TypeDescription(c.target));
          }
        }
      }
      return fmt::format("cast {}", o.oid);
    case Obj::kOperator:
      for (const auto& [key, s] : snap_.schemas) {
        if (key.first != db_) continue;
        for (const storage::OperatorInfo& op : s.operators) {
          if (op.oid != o.oid) continue;
          // format_operator: qualified when the search path does not find it first.
          // (A built-in one of the same name and types hides it: pg_catalog comes first.)
          bool visible = std::find(path_.begin(), path_.end(), s.name) != path_.end();
          for (const builtin_catalog::Operator& b : builtin_catalog::Listed().operators) {
            if (b.name == op.name && b.left == op.left && b.right == op.right) visible = false;
          }
          return fmt::format("operator {}{}({},{})", visible ? "" : s.name + ".", op.name,
                             op.left == 0 ? "NONE" : TypeDescription(op.left),
                             TypeDescription(op.right));
        }
      }
      return fmt::format("operator {}", o.oid);
    case Obj::kNamespace:
      for (const auto& [key, s] : snap_.schemas) {
        if (key.first == db_ && s.oid == o.oid) return "schema " + s.name;
      }
      return fmt::format("schema {}", o.oid);
    default:
      return fmt::format("object {}", o.oid);
  }
}

}  // namespace activestore::executor
