#include "planner/pg_catalog/opclass.h"

#include "common/array.h"
#include "common/builtin_catalog.h"
#include "common/type_registry.h"
#include "planner/pg_catalog/system_relation.h"

namespace activestore::planner::pg_catalog {

uint32_t DefaultBtreeOpclass(TypeId t) {
  constexpr Oid kAnyArray = 2277, kAnyEnum = 3500, kRecord = 2249;
  Oid in = static_cast<Oid>(t == TypeId::kVarchar ? TypeId::kText : t);
  if (IsArrayType(t)) {
    in = kAnyArray;
  } else if (builtin_catalog::FindType(in) == nullptr) {  // a user type
    const TypeInfo* info = FindTypeByOid(in);
    in = info != nullptr && info->category == TypeCategory::kEnum ? kAnyEnum : kRecord;
  }
  for (const builtin_catalog::OpClass& c : builtin_catalog::Listed().opclasses) {
    if (c.method == kBtreeAmOid && c.is_default && c.intype == in) return c.oid;
  }
  return 0;
}

uint32_t OpclassOperator(uint32_t opclass, int strategy) {
  const builtin_catalog::Catalog& cat = builtin_catalog::Listed();
  for (const builtin_catalog::OpClass& c : cat.opclasses) {
    if (c.oid != opclass) continue;
    for (const builtin_catalog::AmOp& op : cat.amops) {
      if (op.family == c.family && op.lefttype == c.intype && op.righttype == c.intype &&
          op.strategy == strategy && op.purpose == 's') {
        return op.op;
      }
    }
  }
  return 0;
}

}  // namespace activestore::planner::pg_catalog
