#include "frontend/pgwire/binary_record.h"

#include <vector>

#include "common/composite.h"
#include "common/error.h"
#include "common/user_types.h"
#include "frontend/pgwire/binary_format.h"

namespace activestore::frontend::pgwire {
namespace {

void PutInt32(std::string& out, uint32_t v) {
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<char>(v >> (8 * i)));
}

std::optional<uint32_t> GetInt32(std::string_view* d) {
  if (d->size() < 4) return std::nullopt;
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>((*d)[i]);
  d->remove_prefix(4);
  return v;
}

}  // namespace

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
  PutInt32(out, static_cast<uint32_t>(fields->size()));
  for (size_t i = 0; i < fields->size(); ++i) {
    const auto oid = static_cast<uint32_t>((*fields)[i].type.id);
    PutInt32(out, oid);
    if (!texts[i]) {
      PutInt32(out, 0xffffffffu);
      continue;
    }
    std::optional<std::string> bin = TextToBinary(oid, *texts[i]);
    if (!bin) return std::nullopt;
    PutInt32(out, static_cast<uint32_t>(bin->size()));
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
