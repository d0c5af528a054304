#include "common/reg_types.h"

#include <algorithm>
#include <string>

#include "common/error.h"
#include "common/oid_type.h"
#include "common/type_registry.h"
#include "common/value.h"
#include "common/value_ops.h"

namespace activestore {

bool IsRegProcPair(TypeId a, TypeId b) {
  return (a == kRegProcType && b == kRegProcedureType) ||
         (a == kRegProcedureType && b == kRegProcType);
}

namespace {

// regclassin, regtypein, regnamespacein, regrolein: '-' is InvalidOid, digits are an oid,
// anything else a name.
template <TypeId kType>
void RegIn(std::string_view text, const FormatOptions& opts, Value* out) {
  if (text == "-") {
    out->i = 0;
    return;
  }
  if (!text.empty() && text[0] >= '0' && text[0] <= '9' &&
      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    out->i = ParseOid(text);
    return;
  }
  if (opts.reg == nullptr) {
    Throw(SqlState::kFeatureNotSupported, "{} input by name needs the catalog",
          TypeInfoOf(kType).typname);
  }
  out->i = *opts.reg->Lookup(kType, text, false);
}

template <TypeId kType>
std::string RegOut(const Value& v, const FormatOptions& opts) {
  const auto oid = static_cast<uint32_t>(v.i);
  if (oid == 0) return "-";
  if (opts.reg != nullptr) {
    if (std::optional<std::string> name = opts.reg->Name(kType, oid)) return *name;
  }
  return std::to_string(oid);
}

int RegCompare(int64_t a, int64_t, int64_t b, int64_t) { return a < b ? -1 : (a > b ? 1 : 0); }

uint64_t RegHash(int64_t w, int64_t w2) { return kOidMethods.hash_pair(w, w2); }

void RegKey(const Value& v, std::string* out) { kOidMethods.key(v, out); }

// pg_cast: oid <-> reg* and regproc <-> regprocedure (binary coercible), int2/int4/int8 -> reg*
// (int8 through oid's range check), reg* -> int4 (the same 32 bits) and int8.
bool RegCast(const Value& v, Type to, const FormatOptions& opts, Value* out) {
  const TypeId from = v.type.id;
  if (IsRegType(to.id)) {
    if (from == TypeId::kOid || IsRegType(from)) {
      if (IsRegType(from) && from != to.id && !IsRegProcPair(from, to.id)) return false;
      *out = Value::Int(to.id, v.i);
      return true;
    }
    if (from == TypeId::kInt16 || from == TypeId::kInt32 || from == TypeId::kInt64) {
      Value o;
      if (!kOidMethods.cast(v, Type::Of(TypeId::kOid), opts, &o)) return false;
      *out = Value::Int(to.id, o.i);
      return true;
    }
    return false;
  }
  if (!IsRegType(from)) return false;
  if (to.id == TypeId::kOid) {
    *out = OidValue(static_cast<uint32_t>(v.i));
    return true;
  }
  return kOidMethods.cast(OidValue(static_cast<uint32_t>(v.i)), to, opts, out);
}

template <TypeId kType>
constexpr TypeMethods MethodsOf() {
  return {RegIn<kType>, RegOut<kType>, RegCompare, RegHash, RegKey, RegCast};
}

}  // namespace

bool IsRegType(TypeId id) {
  return id == kRegClassType || id == kRegTypeType || id == kRegNamespaceType ||
         id == kRegRoleType || id == kRegProcType || id == kRegProcedureType;
}

const TypeMethods kRegClassMethods = MethodsOf<kRegClassType>();
const TypeMethods kRegTypeMethods = MethodsOf<kRegTypeType>();
const TypeMethods kRegNamespaceMethods = MethodsOf<kRegNamespaceType>();
const TypeMethods kRegRoleMethods = MethodsOf<kRegRoleType>();
const TypeMethods kRegProcMethods = MethodsOf<kRegProcType>();
const TypeMethods kRegProcedureMethods = MethodsOf<kRegProcedureType>();

}  // namespace activestore
