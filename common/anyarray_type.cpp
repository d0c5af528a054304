#include "common/anyarray_type.h"

#include <optional>
#include <vector>

#include "common/array.h"
#include "common/error.h"
#include "common/type_registry.h"
#include "common/value.h"
#include "common/value_ops.h"

namespace activestore {
namespace {

std::string AnyArrayOut(const Value& v, const FormatOptions& opts);

// The value as the array type its blob names (its element type's), or as text[] of the
// elements' text forms when the element type has no array type.
Value AsArray(std::string_view blob) {
  ArrayView view(blob);
  std::optional<TypeId> array = ArrayTypeOf(view.element_type());
  if (!array) return Value::Text(AnyArrayOut(Value::Text(std::string(blob)), {}));
  Value v = Value::Null(Type::Of(*array));
  v.is_null = false;
  v.s.assign(blob);
  return v;
}

void AnyArrayIn(std::string_view, const FormatOptions&, Value*) {
  Throw(SqlState::kFeatureNotSupported, "cannot accept a value of type anyarray");
}

// array_out of the array type the blob names; for elements that have no array type of their
// own (arrays: pg_statistic's most common values of an array column are an array of arrays),
// the same text made here from each element's output.
std::string AnyArrayOut(const Value& v, const FormatOptions& opts) {
  ArrayView view(v.s);
  if (ArrayTypeOf(view.element_type())) return FormatValue(AsArray(v.s), opts);
  std::vector<int> dims, lbs;
  for (int d = 0; d < view.ndim(); ++d) {
    dims.push_back(view.dim(d));
    lbs.push_back(view.lower_bound(d));
  }
  std::vector<std::optional<std::string>> texts;
  view.ForEach(Type::Of(view.element_type()), [&](size_t, const Value& e) {
    texts.push_back(e.is_null ? std::nullopt : std::optional<std::string>(FormatValue(e, opts)));
  });
  return FormatArrayLiteral(dims, lbs, texts);
}

void AnyArrayKey(const Value& v, std::string* out) { out->append(v.s); }

// Arrays of one element type compare as that array type; others by their element types' oids.
int AnyArrayCompare(std::string_view a, std::string_view b) {
  const TypeId ea = ArrayView(a).element_type(), eb = ArrayView(b).element_type();
  if (ea != eb) return static_cast<uint32_t>(ea) < static_cast<uint32_t>(eb) ? -1 : 1;
  return CompareValues(AsArray(a), AsArray(b));
}

uint64_t AnyArrayHash(std::string_view s) { return HashValue(AsArray(s)); }

}  // namespace

const TypeMethods kAnyArrayMethods = {AnyArrayIn,      AnyArrayOut, nullptr, nullptr,
                                      AnyArrayKey,     nullptr,     nullptr, nullptr,
                                      AnyArrayCompare, AnyArrayHash};

}  // namespace activestore
