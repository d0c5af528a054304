#include "frontend/pgwire/binary_array.h"

#include "common/array.h"
#include "common/error.h"
#include "common/type_registry.h"
#include "frontend/pgwire/binary_format.h"

namespace activestore::frontend::pgwire {

void PutInt32(uint32_t v, std::string* out) {
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>(v >> shift));
}

std::optional<uint32_t> GetInt32(std::string_view* d) {
  if (d->size() < 4) return std::nullopt;
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>((*d)[i]);
  d->remove_prefix(4);
  return v;
}

std::optional<uint32_t> BinaryArrayElement(uint32_t type_oid) {
  const TypeInfo* t = FindTypeByOid(type_oid);
  if (t == nullptr || t->elem == 0 || !BinaryFormatSupported(t->elem)) return std::nullopt;
  return t->elem;
}

std::optional<std::string> ArrayTextToBinary(uint32_t elem_oid, std::string_view text) {
  ArrayLiteral lit;
  try {
    lit = ParseArrayLiteral(text);
  } catch (const Error&) {
    return std::nullopt;
  }
  bool has_nulls = false;
  for (const auto& e : lit.elements) has_nulls |= !e.has_value();
  std::string out;
  PutInt32(static_cast<uint32_t>(lit.dims.size()), &out);
  PutInt32(has_nulls ? 1 : 0, &out);
  PutInt32(elem_oid, &out);
  for (size_t d = 0; d < lit.dims.size(); ++d) {
    PutInt32(static_cast<uint32_t>(lit.dims[d]), &out);
    PutInt32(static_cast<uint32_t>(lit.lower_bounds[d]), &out);
  }
  for (const auto& e : lit.elements) {
    if (!e) {
      PutInt32(0xffffffffu, &out);
      continue;
    }
    std::optional<std::string> bin = TextToBinary(elem_oid, *e);
    if (!bin) return std::nullopt;
    PutInt32(static_cast<uint32_t>(bin->size()), &out);
    out += *bin;
  }
  return out;
}

std::optional<std::string> ArrayBinaryToText(uint32_t elem_oid, std::string_view data) {
  std::optional<uint32_t> ndim = GetInt32(&data), flags = GetInt32(&data), elem = GetInt32(&data);
  if (!ndim || !flags || !elem || *ndim > static_cast<uint32_t>(kMaxArrayDims) || *flags > 1 ||
      *elem != elem_oid) {
    return std::nullopt;
  }
  std::vector<int> dims, lbs;
  uint64_t nitems = *ndim == 0 ? 0 : 1;
  for (uint32_t d = 0; d < *ndim; ++d) {
    std::optional<uint32_t> len = GetInt32(&data), lb = GetInt32(&data);
    if (!len || !lb || static_cast<int32_t>(*len) < 0) return std::nullopt;
    dims.push_back(static_cast<int32_t>(*len));
    lbs.push_back(static_cast<int32_t>(*lb));
    nitems *= *len;
  }
  if (nitems > data.size() / 4) return std::nullopt;
  if (nitems == 0) {
    dims.clear();
    lbs.clear();
  }
  std::vector<std::optional<std::string>> elements;
  for (uint64_t i = 0; i < nitems; ++i) {
    std::optional<uint32_t> len = GetInt32(&data);
    if (!len) return std::nullopt;
    if (*len == 0xffffffffu) {
      elements.emplace_back(std::nullopt);
      continue;
    }
    if (*len > data.size()) return std::nullopt;
    std::optional<std::string> text = BinaryToText(elem_oid, data.substr(0, *len));
    if (!text) return std::nullopt;
    data.remove_prefix(*len);
    elements.emplace_back(std::move(*text));
  }
  if (!data.empty()) return std::nullopt;
  return FormatArrayLiteral(dims, lbs, elements);
}

}  // namespace activestore::frontend::pgwire
