#include "common/cstring_type.h"

#include "common/type_registry.h"
#include "common/value.h"

namespace activestore {
namespace {

// cstring_in and cstring_out: the text as it is.
void CstringIn(std::string_view text, const FormatOptions&, Value* out) { out->s.assign(text); }
std::string CstringOut(const Value& v, const FormatOptions&) { return v.s; }
void CstringKey(const Value& v, std::string* out) { out->append(v.s); }

}  // namespace

const TypeMethods kCstringMethods = {CstringIn, CstringOut, nullptr, nullptr, CstringKey};

std::optional<std::string> PseudoColumnTypeName(Type t) {
  const TypeInfo* ti = FindTypeByOid(static_cast<uint32_t>(t.id));
  if (ti == nullptr) return std::nullopt;
  if (ti->category == TypeCategory::kPseudo) return TypeName(Type::Of(t.id));
  if (ti->category == TypeCategory::kArray && ti->elem == static_cast<uint32_t>(kCstringType)) {
    return TypeName(Type::Of(kCstringType));
  }
  return std::nullopt;
}

}  // namespace activestore
