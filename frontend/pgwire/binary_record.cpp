#include "frontend/pgwire/binary_record.h"

#include <vector>

#include "common/composite.h"
#include "common/error.h"
#include "common/user_types.h"
#include "frontend/pgwire/binary_array.h"
#include "frontend/pgwire/binary_format.h"

namespace activestore::frontend::pgwire {

bool BinaryRecordSupported(uint32_t type_oid) {
  auto fields = CompositeFieldsOf(static_cast<TypeId>(type_oid));
  if (fields == nullptr) return false;
  for (const CompositeField& f : *fields) {
    if (!BinaryFormatSupported(static_cast<uint32_t>(f.type.id))) return false;
  }
  return true;
}

std::optional<std::string> RecordTextToBinary(uint32_t type_oid, std::string_view text) {
  auto fields = CompositeFieldsOf(static_cast<TypeId>(type_oid));
  if (fields == nullptr) return std::nullopt;
  std::vector<std::optional<std::string>> texts;
  try {
    texts = ParseRecordLiteral(text, fields->size());
  } catch (const Error&) {
    return std::nullopt;
  }
  std::string out;
  PutInt32(static_cast<uint32_t>(fields->size()), &out);
  for (size_t i = 0; i < fields->size(); ++i) {
    const auto oid = static_cast<uint32_t>((*fields)[i].type.id);
    PutInt32(oid, &out);
    if (!texts[i]) {
      PutInt32(0xffffffffu, &out);
      continue;
    }
    std::optional<std::string> bin = TextToBinary(oid, *texts[i]);
    if (!bin) return std::nullopt;
    PutInt32(static_cast<uint32_t>(bin->size()), &out);
    out += *bin;
  }
  return out;
}

std::optional<std::string> RecordBinaryToText(uint32_t type_oid, std::string_view data) {
  auto fields = CompositeFieldsOf(static_cast<TypeId>(type_oid));
  if (fields == nullptr) return std::nullopt;
  std::optional<uint32_t> n = GetInt32(&data);
  if (!n || *n != fields->size()) return std::nullopt;
  std::vector<std::optional<std::string>> texts;
  for (size_t i = 0; i < fields->size(); ++i) {
    std::optional<uint32_t> oid = GetInt32(&data);
    std::optional<uint32_t> len = GetInt32(&data);
    if (!oid || !len || *oid != static_cast<uint32_t>((*fields)[i].type.id)) return std::nullopt;
    if (*len == 0xffffffffu) {
      texts.emplace_back(std::nullopt);
      continue;
    }
    if (*len > data.size()) return std::nullopt;
    std::optional<std::string> text = BinaryToText(*oid, data.substr(0, *len));
    if (!text) return std::nullopt;
    texts.emplace_back(std::move(text));
    data.remove_prefix(*len);
  }
  if (!data.empty()) return std::nullopt;
  return FormatRecordTexts(texts);
}

}  // namespace activestore::frontend::pgwire
