// Polymorphic argument and result types of user functions (planner/polymorphic.h), after
// PostgreSQL 15's parse_coerce.c. ActiveStore has no range types, so the range families
// (anyrange, anymultirange, anycompatiblerange, anycompatiblemultirange) are not here: CREATE
// FUNCTION refuses them (0A000). Expressions never carry domains, so there is no domain
// flattening either.
#include "planner/polymorphic.h"

#include "common/array.h"
#include "common/error.h"
#include "common/user_types.h"
#include "planner/type_rules.h"

namespace activestore::planner {

namespace {

// anyelement, anyarray, anynonarray, anyenum (IsPolymorphicTypeFamily1 without the ranges).
bool IsFamily1(TypeId t) {
  return t == kAnyElementType || t == kAnyArrayType || t == kAnyNonArrayType || t == kAnyEnumType;
}

// anycompatible, anycompatiblearray, anycompatiblenonarray.
bool IsFamily2(TypeId t) {
  return t == kAnyCompatibleType || t == kAnyCompatibleArrayType || t == kAnyCompatibleNonArrayType;
}

// The element type of an array type, or kUnknown when `t` is not an array.
TypeId ElementOf(TypeId t) { return IsArrayType(t) ? ArrayElementType(t) : TypeId::kUnknown; }

// select_common_type_from_oids with noerror: the common supertype of the (known) types, or
// kUnknown when two of them are of different categories.
TypeId CommonTypeOf(const std::vector<TypeId>& types) {
  TypeId ptype = types[0];
  size_t i = 1;
  if (ptype != TypeId::kUnknown) {
    while (i < types.size() && types[i] == ptype) ++i;
    if (i == types.size()) return ptype;
  }
  for (; i < types.size(); ++i) {
    const TypeId ntype = types[i];
    if (ntype == TypeId::kUnknown || ntype == ptype) continue;
    if (ptype == TypeId::kUnknown) {
      ptype = ntype;
    } else if (CategoryOf(ntype) != CategoryOf(ptype)) {
      return TypeId::kUnknown;
    } else if (!IsPreferredType(ptype) && CanCoerce(ptype, ntype, CoercionContext::kImplicit) &&
               !CanCoerce(ntype, ptype, CoercionContext::kImplicit)) {
      ptype = ntype;
    }
  }
  return ptype == TypeId::kUnknown ? TypeId::kText : ptype;
}

// verify_common_type_from_oids.
bool AllCoerceTo(TypeId common, const std::vector<TypeId>& types) {
  for (TypeId t : types) {
    if (t != common && !CanCoerce(t, common, CoercionContext::kImplicit)) return false;
  }
  return true;
}

[[noreturn]] void Mismatch(std::string message, std::optional<std::string> detail = {}) {
  Error err(SqlState::kDatatypeMismatch, std::move(message));
  if (detail) err.Detail(std::move(*detail));
  throw err;
}

TypeId ArrayOfOrThrow(TypeId elem) {
  std::optional<TypeId> a = ArrayTypeOf(elem);
  if (!a) {
    Throw(SqlState::kUndefinedObject, "could not find array type for data type {}",
          TypeName(Type::Of(elem)));
  }
  return *a;
}

std::string Name(TypeId t) { return TypeName(Type::Of(t)); }

}  // namespace

bool IsPolymorphicFunction(const storage::FunctionInfo& fn) {
  if (IsPolymorphicType(fn.return_type.id)) return true;
  for (const storage::FunctionParam& p : fn.params) {
    if (IsPolymorphicType(p.type.id)) return true;
  }
  return false;
}

bool PolymorphicArgsFit(const std::vector<TypeId>& actual, const std::vector<TypeId>& declared) {
  TypeId elem = TypeId::kUnknown, array = TypeId::kUnknown;
  bool nonarray = false, enumerated = false, compatible_nonarray = false;
  std::vector<TypeId> compatible;
  for (size_t j = 0; j < declared.size() && j < actual.size(); ++j) {
    const TypeId decl = declared[j], act = actual[j];
    if (decl == kAnyElementType || decl == kAnyNonArrayType || decl == kAnyEnumType) {
      nonarray = nonarray || decl == kAnyNonArrayType;
      enumerated = enumerated || decl == kAnyEnumType;
      if (act == TypeId::kUnknown) continue;
      if (elem != TypeId::kUnknown && act != elem) return false;
      elem = act;
    } else if (decl == kAnyArrayType) {
      if (act == TypeId::kUnknown) continue;
      if (array != TypeId::kUnknown && act != array) return false;
      array = act;
    } else if (decl == kAnyCompatibleType || decl == kAnyCompatibleNonArrayType) {
      compatible_nonarray = compatible_nonarray || decl == kAnyCompatibleNonArrayType;
      if (act != TypeId::kUnknown) compatible.push_back(act);
    } else if (decl == kAnyCompatibleArrayType) {
      if (act == TypeId::kUnknown) continue;
      const TypeId e = ElementOf(act);
      if (e == TypeId::kUnknown) return false;  // not an array
      compatible.push_back(e);
    }
  }
  if (array != TypeId::kUnknown) {
    const TypeId e = ElementOf(array);
    if (e == TypeId::kUnknown) return false;
    if (elem == TypeId::kUnknown) {
      elem = e;
    } else if (e != elem) {
      return false;
    }
  }
  // type_is_array_domain / type_is_enum of an undetermined type are false.
  if (nonarray && IsArrayType(elem)) return false;
  if (enumerated && !IsEnumType(elem)) return false;
  if (!compatible.empty()) {
    const TypeId common = CommonTypeOf(compatible);
    if (common == TypeId::kUnknown || !AllCoerceTo(common, compatible)) return false;
    if (compatible_nonarray && IsArrayType(common)) return false;
  }
  return true;
}

Type PolymorphicTypes::Resolve(Type declared) const {
  const TypeId d = declared.id;
  if (d == kAnyElementType || d == kAnyNonArrayType || d == kAnyEnumType) return Type::Of(elem);
  if (d == kAnyArrayType) return Type::Of(array);
  if (d == kAnyCompatibleType || d == kAnyCompatibleNonArrayType) return Type::Of(compatible);
  if (d == kAnyCompatibleArrayType) return Type::Of(compatible_array);
  return declared;
}

PolymorphicTypes ResolvePolymorphicTypes(const std::vector<TypeId>& actual,
                                         const std::vector<TypeId>& declared,
                                         const std::vector<TypeId>& results) {
  PolymorphicTypes out;
  bool nonarray = false, enumerated = false, compatible_nonarray = false;
  bool compatible_array = false, any_compatible = false;
  int poly_args = 0;
  for (TypeId r : results) {
    nonarray = nonarray || r == kAnyNonArrayType;
    enumerated = enumerated || r == kAnyEnumType;
    compatible_nonarray = compatible_nonarray || r == kAnyCompatibleNonArrayType;
    compatible_array = compatible_array || r == kAnyCompatibleArrayType;
  }
  std::vector<TypeId> compatible;
  for (size_t j = 0; j < declared.size() && j < actual.size(); ++j) {
    const TypeId decl = declared[j], act = actual[j];
    if (decl == kAnyElementType || decl == kAnyNonArrayType || decl == kAnyEnumType) {
      ++poly_args;
      nonarray = nonarray || decl == kAnyNonArrayType;
      enumerated = enumerated || decl == kAnyEnumType;
      if (act == TypeId::kUnknown) continue;
      if (out.elem != TypeId::kUnknown && act != out.elem) {
        Mismatch("arguments declared \"anyelement\" are not all alike",
                 fmt::format("{} versus {}", Name(out.elem), Name(act)));
      }
      out.elem = act;
    } else if (decl == kAnyArrayType) {
      ++poly_args;
      if (act == TypeId::kUnknown) continue;
      if (out.array != TypeId::kUnknown && act != out.array) {
        Mismatch("arguments declared \"anyarray\" are not all alike",
                 fmt::format("{} versus {}", Name(out.array), Name(act)));
      }
      out.array = act;
    } else if (decl == kAnyCompatibleType || decl == kAnyCompatibleNonArrayType) {
      any_compatible = true;
      compatible_nonarray = compatible_nonarray || decl == kAnyCompatibleNonArrayType;
      if (act != TypeId::kUnknown) compatible.push_back(act);
    } else if (decl == kAnyCompatibleArrayType) {
      any_compatible = true;
      compatible_array = true;
      if (act == TypeId::kUnknown) continue;
      const TypeId e = ElementOf(act);
      if (e == TypeId::kUnknown) {
        Mismatch(fmt::format("argument declared {} is not an array but type {}",
                             "anycompatiblearray", Name(act)));
      }
      compatible.push_back(e);
    }
  }
  if (poly_args == 0 && !any_compatible) return out;
  if (poly_args > 0) {
    if (out.array != TypeId::kUnknown) {
      const TypeId e = ElementOf(out.array);
      if (e == TypeId::kUnknown) {
        Mismatch(fmt::format("argument declared {} is not an array but type {}", "anyarray",
                             Name(out.array)));
      }
      if (out.elem == TypeId::kUnknown) {
        out.elem = e;
      } else if (e != out.elem) {
        Mismatch(fmt::format("argument declared {} is not consistent with argument declared {}",
                             "anyarray", "anyelement"),
                 fmt::format("{} versus {}", Name(out.array), Name(out.elem)));
      }
    }
    if (out.elem == TypeId::kUnknown) {
      // Every family-1 argument is an unknown literal.
      Mismatch("could not determine polymorphic type because input has type unknown");
    }
    if (nonarray && IsArrayType(out.elem)) {
      Mismatch(fmt::format("type matched to anynonarray is an array type: {}", Name(out.elem)));
    }
    if (enumerated && !IsEnumType(out.elem)) {
      Mismatch(fmt::format("type matched to anyenum is not an enum type: {}", Name(out.elem)));
    }
  }
  if (any_compatible) {
    if (!compatible.empty()) {
      out.compatible = CommonTypeOf(compatible);
      if (out.compatible == TypeId::kUnknown || !AllCoerceTo(out.compatible, compatible)) {
        Mismatch("arguments of anycompatible family cannot be cast to a common type");
      }
      if (compatible_array) out.compatible_array = ArrayOfOrThrow(out.compatible);
      if (compatible_nonarray && IsArrayType(out.compatible)) {
        Mismatch(fmt::format("type matched to anycompatiblenonarray is an array type: {}",
                             Name(out.compatible)));
      }
    } else {
      // Only unknown literals: text, as select_common_type.
      out.compatible = TypeId::kText;
      out.compatible_array = kTextArrayType;
    }
  }
  // anyarray from the element type (an unknown literal for an anyarray argument, or an
  // anyarray result).
  bool need_array = false;
  for (size_t j = 0; j < declared.size() && j < actual.size(); ++j) {
    need_array = need_array || (declared[j] == kAnyArrayType && actual[j] == TypeId::kUnknown);
  }
  for (TypeId r : results) need_array = need_array || r == kAnyArrayType;
  if (need_array && out.array == TypeId::kUnknown && out.elem != TypeId::kUnknown) {
    out.array = ArrayOfOrThrow(out.elem);
  }
  return out;
}

std::shared_ptr<const storage::FunctionInfo> SpecializeFunction(const storage::FunctionInfo& fn,
                                                                const std::vector<TypeId>& actual) {
  std::vector<TypeId> declared, results;
  for (const storage::FunctionParam& p : fn.params) {
    if (p.is_input()) declared.push_back(p.type.id);
    if (p.is_output()) results.push_back(p.type.id);
  }
  results.push_back(fn.return_type.id);
  const PolymorphicTypes types = ResolvePolymorphicTypes(actual, declared, results);
  auto out = std::make_shared<storage::FunctionInfo>(fn);
  for (storage::FunctionParam& p : out->params) p.type = types.Resolve(p.type);
  out->return_type = types.Resolve(out->return_type);
  return out;
}

std::string PolymorphicResultProblem(TypeId result, const std::vector<TypeId>& inputs) {
  const bool family1 = IsFamily1(result);
  if (!family1 && !IsFamily2(result)) return "";
  for (TypeId t : inputs) {
    if (family1 ? IsFamily1(t) : IsFamily2(t)) return "";
  }
  return fmt::format(
      "A result of type {} requires at least one input of type {}.", Name(result),
      family1 ? "anyelement, anyarray, anynonarray, anyenum, anyrange, or anymultirange"
              : "anycompatible, anycompatiblearray, anycompatiblenonarray, anycompatiblerange, "
                "or anycompatiblemultirange");
}

}  // namespace activestore::planner
