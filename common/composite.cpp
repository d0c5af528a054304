#include "common/composite.h"

#include <fmt/format.h>

#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>

#include "common/array.h"
#include "common/error.h"
#include "common/type_registry.h"
#include "common/user_types.h"
#include "common/value_ops.h"

namespace activestore {
namespace {

[[noreturn]] void Corrupt() { Throw(SqlState::kInternalError, "malformed composite value"); }

void PutU32(uint32_t v, std::string* out) {
  char b[4];
  for (int i = 0; i < 4; ++i) b[i] = static_cast<char>(v >> (8 * i));
  out->append(b, 4);
}

uint32_t GetU32(std::string_view* p) {
  if (p->size() < 4) Corrupt();
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= uint32_t{static_cast<uint8_t>((*p)[i])} << (8 * i);
  p->remove_prefix(4);
  return v;
}

// record_in / record_out's white space (isspace in the C locale).
bool RecordSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

[[noreturn]] void Malformed(std::string_view text, const char* detail) {
  Error err(SqlState::kInvalidTextRepresentation,
            fmt::format("malformed record literal: \"{}\"", text));
  err.Detail(detail);
  throw err;
}

// ---- the hooks ----

void RecordIn(std::string_view text, const FormatOptions& opts, Value* out) {
  auto fields = CompositeFieldsOf(out->type.id);
  if (fields == nullptr) {
    Throw(SqlState::kFeatureNotSupported, "input of anonymous composite types is not implemented");
  }
  std::vector<std::optional<std::string>> texts = ParseRecordLiteral(text, fields->size());
  std::vector<Value> values;
  values.reserve(fields->size());
  for (size_t i = 0; i < fields->size(); ++i) {
    const Type t = (*fields)[i].type;
    values.push_back(texts[i] ? ParseValue(*texts[i], t, opts) : Value::Null(t));
    values.back().type = t;
  }
  out->s = MakeRecordBlob(out->type, values);
}

std::string RecordOut(const Value& v, const FormatOptions& opts) { return FormatRecord(v.s, opts); }

int RecordCompareBytes(std::string_view a, std::string_view b) { return CompareRecords(a, b); }

uint64_t RecordHashBytes(std::string_view s) { return HashRecord(s); }

void RecordKey(const Value&, std::string*) {
  // storage/encoding.cpp encodes composite keys itself (field by field, as array elements).
  Throw(SqlState::kInternalError, "composite keys are encoded by the storage layer");
}

}  // namespace

const TypeMethods kRecordMethods = {RecordIn,           RecordOut,      nullptr, nullptr,
                                    RecordKey,          nullptr,        nullptr, nullptr,
                                    RecordCompareBytes, RecordHashBytes};

namespace {

struct RecordDescriptors {
  std::shared_mutex mu;
  std::vector<std::unique_ptr<const std::vector<CompositeField>>> all;  // by typmod
  std::map<std::vector<std::pair<std::string, std::pair<uint32_t, int32_t>>>, int32_t> by_fields;
};

RecordDescriptors& Descriptors() {
  static auto* d = new RecordDescriptors();  // never destroyed: typmods outlive static teardown
  return *d;
}

}  // namespace

int32_t RecordTypmodOf(const std::vector<CompositeField>& fields) {
  std::vector<std::pair<std::string, std::pair<uint32_t, int32_t>>> key;
  key.reserve(fields.size());
  for (const CompositeField& f : fields) {
    key.push_back({f.name, {static_cast<uint32_t>(f.type.id), f.type.typmod}});
  }
  RecordDescriptors& d = Descriptors();
  {
    std::shared_lock lock(d.mu);
    if (auto it = d.by_fields.find(key); it != d.by_fields.end()) return it->second;
  }
  std::unique_lock lock(d.mu);
  if (auto it = d.by_fields.find(key); it != d.by_fields.end()) return it->second;
  const auto typmod = static_cast<int32_t>(d.all.size());
  d.all.push_back(std::make_unique<const std::vector<CompositeField>>(fields));
  d.by_fields.emplace(std::move(key), typmod);
  return typmod;
}

const std::vector<CompositeField>* RecordDescriptor(int32_t typmod) {
  RecordDescriptors& d = Descriptors();
  std::shared_lock lock(d.mu);
  if (typmod < 0 || static_cast<size_t>(typmod) >= d.all.size()) return nullptr;
  return d.all[typmod].get();
}

const std::vector<CompositeField>* FieldsOfType(Type t) {
  if (t.id == kRecordType) return RecordDescriptor(t.typmod);
  // The registry keeps every published definition alive, so the pointer stays valid.
  auto fields = CompositeFieldsOf(t.id);
  return fields.get();
}

bool IsCompositeType(TypeId id) {
  const TypeInfo* t = FindTypeByOid(static_cast<uint32_t>(id));
  return t != nullptr && t->category == TypeCategory::kComposite;
}

bool IsRecordLike(TypeId id) { return id == kRecordType || IsCompositeType(id); }

RecordView::RecordView(std::string_view blob) {
  std::string_view p = blob;
  type_.id = static_cast<TypeId>(GetU32(&p));
  type_.typmod = static_cast<int32_t>(GetU32(&p));
  uint32_t n = GetU32(&p);
  if (n > 1664) Corrupt();  // PostgreSQL's MaxTupleAttributeNumber
  fields_.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    Type t{static_cast<TypeId>(GetU32(&p)), static_cast<int32_t>(GetU32(&p))};
    if (p.empty()) Corrupt();
    const bool is_null = p[0] != 0;
    p.remove_prefix(1);
    fields_.push_back(is_null ? Value::Null(t) : ReadElementPayload(&p, t));
  }
  if (!p.empty()) Corrupt();
  // A value stored before ALTER TABLE ADD COLUMN (with no default) of the row type: the new
  // attributes are NULL, as PostgreSQL reads a tuple shorter than its descriptor.
  if (type_.id != kRecordType) {
    auto declared = CompositeFieldsOf(type_.id);
    if (declared != nullptr) {
      for (size_t i = fields_.size(); i < declared->size(); ++i) {
        fields_.push_back(Value::Null((*declared)[i].type));
      }
    }
  }
}

std::string MakeRecordBlob(Type type, const std::vector<Value>& fields) {
  std::string out;
  PutU32(static_cast<uint32_t>(type.id), &out);
  PutU32(static_cast<uint32_t>(type.id == kRecordType ? type.typmod : -1), &out);
  PutU32(static_cast<uint32_t>(fields.size()), &out);
  for (const Value& f : fields) {
    PutU32(static_cast<uint32_t>(f.type.id), &out);
    PutU32(static_cast<uint32_t>(f.type.typmod), &out);
    out.push_back(f.is_null ? 1 : 0);
    if (!f.is_null) AppendElementPayload(f, &out);
  }
  return out;
}

Value MakeRecordValue(Type type, const std::vector<Value>& fields) {
  Value v;
  v.type = type;
  v.is_null = false;
  v.s = MakeRecordBlob(type, fields);
  return v;
}

std::vector<std::string> RecordFieldNames(const RecordView& v) {
  std::vector<std::string> names;
  const std::vector<CompositeField>* fields = FieldsOfType(v.type());
  for (size_t i = 0; i < v.size(); ++i) {
    names.push_back(fields != nullptr && i < fields->size() ? (*fields)[i].name
                                                            : fmt::format("f{}", i + 1));
  }
  return names;
}

std::string FormatRecord(std::string_view blob, const FormatOptions& opts) {
  RecordView view(blob);
  std::vector<std::optional<std::string>> texts;
  texts.reserve(view.size());
  for (const Value& f : view.fields()) {
    texts.push_back(f.is_null ? std::nullopt : std::optional(FormatValue(f, opts)));
  }
  return FormatRecordTexts(texts);
}

std::string FormatRecordTexts(const std::vector<std::optional<std::string>>& texts) {
  std::string out = "(";
  for (size_t i = 0; i < texts.size(); ++i) {
    if (i > 0) out += ',';
    if (!texts[i]) continue;
    const std::string& text = *texts[i];
    bool quote = text.empty();
    for (char c : text) {
      if (c == '"' || c == '\\' || c == '(' || c == ')' || c == ',' || RecordSpace(c)) {
        quote = true;
        break;
      }
    }
    if (quote) out += '"';
    for (char c : text) {
      if (c == '"' || c == '\\') out += c;
      out += c;
    }
    if (quote) out += '"';
  }
  out += ')';
  return out;
}

std::vector<std::optional<std::string>> ParseRecordLiteral(std::string_view text, size_t natts) {
  size_t p = 0;
  auto at = [&](size_t i) { return i < text.size() ? text[i] : '\0'; };
  while (p < text.size() && RecordSpace(text[p])) ++p;
  if (at(p++) != '(') Malformed(text, "Missing left parenthesis.");
  std::vector<std::optional<std::string>> out;
  for (size_t i = 0; i < natts; ++i) {
    if (i > 0) {
      if (at(p) != ',') Malformed(text, "Too few columns.");
      ++p;
    }
    if (at(p) == ',' || at(p) == ')') {
      out.emplace_back(std::nullopt);
      continue;
    }
    std::string field;
    bool in_quote = false;
    while (in_quote || !(at(p) == ',' || at(p) == ')')) {
      if (p >= text.size()) Malformed(text, "Unexpected end of input.");
      char c = text[p++];
      if (c == '\\') {
        if (p >= text.size()) Malformed(text, "Unexpected end of input.");
        field += text[p++];
      } else if (c == '"') {
        if (!in_quote) {
          in_quote = true;
        } else if (at(p) == '"') {
          field += text[p++];
        } else {
          in_quote = false;
        }
      } else {
        field += c;
      }
    }
    out.emplace_back(std::move(field));
  }
  if (at(p++) != ')') Malformed(text, "Too many columns.");
  while (p < text.size() && RecordSpace(text[p])) ++p;
  if (p < text.size()) Malformed(text, "Junk after right parenthesis.");
  return out;
}

int CompareRecords(std::string_view a, std::string_view b) {
  RecordView va(a), vb(b);
  const size_t n = std::min(va.size(), vb.size());
  for (size_t i = 0; i < n; ++i) {
    const Value& x = va.field(i);
    const Value& y = vb.field(i);
    if (x.type.id != y.type.id) {
      Throw(SqlState::kDatatypeMismatch,
            "cannot compare dissimilar column types {} and {} at record column {}",
            TypeName(Type::Of(x.type.id)), TypeName(Type::Of(y.type.id)), i + 1);
    }
    if (x.type.id == TypeId::kUnknown) {
      Throw(SqlState::kUndefinedFunction,
            "could not identify a comparison function for type unknown");
    }
    if (x.is_null && y.is_null) continue;
    if (x.is_null) return 1;
    if (y.is_null) return -1;
    int c = CompareValues(x, y);
    if (c != 0) return c < 0 ? -1 : 1;
  }
  if (va.size() != vb.size()) {
    Throw(SqlState::kDatatypeMismatch,
          "cannot compare record types with different numbers of columns");
  }
  return 0;
}

uint64_t HashRecord(std::string_view blob) {
  RecordView v(blob);
  uint64_t h = 0x6a09e667f3bcc908ULL;
  for (const Value& f : v.fields()) {
    if (f.type.id == TypeId::kUnknown) {
      Throw(SqlState::kUndefinedFunction,
            "could not identify a comparison function for type unknown");
    }
    h = (h * 31) ^ (f.is_null ? 0 : HashValue(f));  // hash_record: NULL hashes as 0
    h ^= h >> 29;
  }
  return h;
}

}  // namespace activestore
