#include "common/jsonb.h"

#include <xxhash.h>

#include <algorithm>
#include <cstring>
#include <numeric>
#include <vector>

#include "common/error.h"
#include "common/numeric.h"
#include "common/stack_depth.h"
#include "common/type_registry.h"
#include "common/value.h"
#include "common/value_ops.h"

namespace activestore {
namespace {

using K = JsonbKind;

void PutU32(uint32_t v, std::string* out) {
  char b[4];
  std::memcpy(b, &v, 4);  // little-endian hosts only (x86-64, aarch64)
  out->append(b, 4);
}
void SetU32(std::string* out, size_t at, uint32_t v) { std::memcpy(out->data() + at, &v, 4); }

// PostgreSQL's lengthCompareJsonbString: shorter keys first, then bytes.
int KeyCompare(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  const int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

std::string NormalizeNumber(const std::string& text) { return Numeric::Parse(text).ToString(); }

// PostgreSQL's JsonbValue type order: null < string < numeric < bool < array < object.
int TypeRank(K k) {
  switch (k) {
    case K::kNull:
      return 0;
    case K::kString:
      return 1;
    case K::kNumber:
      return 2;
    case K::kFalse:
    case K::kTrue:
      return 3;
    case K::kArray:
      return 4;
    case K::kObject:
      return 5;
  }
  return 0;
}

int Sign(int c) { return c < 0 ? -1 : (c > 0 ? 1 : 0); }

// compareJsonbScalarValue for two scalars of the same rank.
int CompareScalars(JsonbRef a, JsonbRef b) {
  switch (a.kind()) {
    case K::kNull:
      return 0;
    case K::kString:
      return Sign(a.str().compare(b.str()));  // varstr_cmp in the C collation
    case K::kNumber:
      return Numeric::Parse(a.str()).Compare(Numeric::Parse(b.str()));
    case K::kFalse:
    case K::kTrue:
      return (a.kind() == K::kTrue ? 1 : 0) - (b.kind() == K::kTrue ? 1 : 0);
    default:
      return 0;
  }
}

bool ScalarsEqual(JsonbRef a, JsonbRef b) {
  if (TypeRank(a.kind()) != TypeRank(b.kind())) return false;
  return CompareScalars(a, b) == 0;
}

// JsonbToCStringWorker's token loop, driven by a recursive walk.
class Printer {
 public:
  Printer(std::string* out, bool indent) : out_(out), indent_(indent) {}

  void Top(JsonbRef n) {
    if (!n.IsContainer()) {
      BeginArray(true);
      Elem(n);
      EndArray();
      return;
    }
    Container(n);
  }

 private:
  void Container(JsonbRef n) {
    if (n.kind() == K::kArray) {
      BeginArray(false);
      for (uint32_t i = 0; i < n.size(); ++i) {
        JsonbRef e = n.element(i);
        if (e.IsContainer()) {
          Container(e);
        } else {
          Elem(e);
        }
      }
      EndArray();
      return;
    }
    Sep();
    AddIndent(use_indent_ && !last_was_key_);
    out_->push_back('{');
    first_ = true;
    ++level_;
    Done(false);
    for (uint32_t i = 0; i < n.size(); ++i) {
      JsonbRef v = n.value(i);
      Sep();
      first_ = true;
      AddIndent(use_indent_);
      AppendJsonString(n.key(i), out_);
      out_->append(": ");
      if (v.IsContainer()) {
        Done(true);
        Container(v);
      } else {
        first_ = false;
        Scalar(v);
        Done(false);
      }
    }
    --level_;
    AddIndent(use_indent_);
    out_->push_back('}');
    first_ = false;
    Done(false);
  }

  void BeginArray(bool raw) {
    Sep();
    if (!raw) {
      AddIndent(use_indent_ && !last_was_key_);
      out_->push_back('[');
    } else {
      raw_scalar_ = true;
    }
    first_ = true;
    ++level_;
    Done(false);
  }
  void EndArray() {
    --level_;
    if (!raw_scalar_) {
      AddIndent(use_indent_);
      out_->push_back(']');
    }
    first_ = false;
    Done(false);
  }
  void Elem(JsonbRef v) {
    Sep();
    first_ = false;
    if (!raw_scalar_) AddIndent(use_indent_);
    Scalar(v);
    Done(false);
  }
  void Scalar(JsonbRef v) {
    switch (v.kind()) {
      case K::kNull:
        out_->append("null");
        break;
      case K::kTrue:
        out_->append("true");
        break;
      case K::kFalse:
        out_->append("false");
        break;
      case K::kNumber:
        out_->append(v.str());
        break;
      case K::kString:
        AppendJsonString(v.str(), out_);
        break;
      default:
        break;
    }
  }
  void Sep() {
    if (!first_) out_->append(indent_ ? "," : ", ");
  }
  void AddIndent(bool b) {
    if (!b) return;
    out_->push_back('\n');
    out_->append(static_cast<size_t>(level_) * 4, ' ');
  }
  void Done(bool key) {
    use_indent_ = indent_;
    last_was_key_ = key;
  }

  std::string* out_;
  bool indent_;
  bool first_ = true;
  int level_ = 0;
  bool use_indent_ = false;
  bool last_was_key_ = false;
  bool raw_scalar_ = false;
};

bool DeepContains(JsonbRef a, JsonbRef b, bool top) {
  CheckStackDepth();
  const bool a_obj = a.kind() == K::kObject;
  const bool b_obj = b.kind() == K::kObject;
  if (a_obj != b_obj) return false;
  if (a_obj) {
    if (b.size() > a.size()) return false;
    for (uint32_t i = 0; i < b.size(); ++i) {
      std::optional<JsonbRef> av = a.Find(b.key(i));
      if (!av) return false;
      JsonbRef bv = b.value(i);
      if (!bv.IsContainer()) {
        if (av->IsContainer() || !ScalarsEqual(*av, bv)) return false;
      } else {
        if (av->kind() != bv.kind() || !DeepContains(*av, bv, false)) return false;
      }
    }
    return true;
  }
  // Arrays; at the top a scalar is a one-element raw-scalar array.
  const bool a_raw = top && !a.IsContainer();
  const bool b_raw = top && !b.IsContainer();
  if (a_raw && !b_raw) return false;
  const uint32_t na = a_raw ? 1 : a.size();
  const uint32_t nb = b_raw ? 1 : b.size();
  auto elem = [](JsonbRef x, bool raw, uint32_t i) { return raw ? x : x.element(i); };
  for (uint32_t j = 0; j < nb; ++j) {
    JsonbRef e = elem(b, b_raw, j);
    bool found = false;
    for (uint32_t i = 0; i < na && !found; ++i) {
      JsonbRef c = elem(a, a_raw, i);
      if (!e.IsContainer()) {
        found = !c.IsContainer() && ScalarsEqual(c, e);
      } else {
        found = c.kind() == e.kind() && DeepContains(c, e, false);
      }
    }
    if (!found) return false;
  }
  return true;
}

void JsonbIn(std::string_view text, const FormatOptions&, Value* out) {
  out->s = JsonbFromText(text);
}
std::string JsonbOut(const Value& v, const FormatOptions&) { return JsonbToText(JsonbRoot(v.s)); }
void JsonbKey(const Value& v, std::string* out) { AppendJsonbCanonical(JsonbRoot(v.s), out); }
int JsonbCompareBytes(std::string_view a, std::string_view b) { return CompareJsonb(a, b); }

// pg_cast's rows with functions: json <-> jsonb, and jsonb to bool and the number types
// (jsonb_bool, jsonb_numeric, jsonb_int4, ...: only a scalar of the right kind converts).
bool JsonbCast(const Value& v, Type to, const FormatOptions& opts, Value* out) {
  if (v.type.id == kJsonType && to.id == kJsonbType) {
    *out = Value::Text(JsonbFromText(v.s), kJsonbType);
    return true;
  }
  if (v.type.id != kJsonbType) return false;
  JsonbRef r = JsonbRoot(v.s);
  if (to.id == kJsonType) {
    *out = Value::Text(JsonbToText(r), kJsonType);
    return true;
  }
  const bool to_bool = to.id == TypeId::kBool;
  const bool to_number = IsNumericType(to.id);
  if (!to_bool && !to_number) return false;
  if (to_bool ? (r.kind() != K::kTrue && r.kind() != K::kFalse) : r.kind() != K::kNumber) {
    const char* what = r.kind() == K::kTrue || r.kind() == K::kFalse ? "boolean"
                       : r.kind() == K::kNumber                      ? "numeric"
                                                                     : JsonbTypeName(r);
    Throw(SqlState::kInvalidParameterValue, "cannot cast jsonb {} to type {}", what,
          TypeName(Type::Of(to.id)));
  }
  if (to_bool) {
    *out = Value::Bool(r.kind() == K::kTrue);
    return true;
  }
  *out = CastValue(Value::Num(Numeric::Parse(r.str())), to, opts);
  return true;
}

}  // namespace

const TypeMethods kJsonbMethods = {JsonbIn,   JsonbOut, nullptr, nullptr,           JsonbKey,
                                   JsonbCast, nullptr,  nullptr, JsonbCompareBytes, HashJsonb};

uint32_t JsonbRef::U32(size_t at) const {
  uint32_t v;
  std::memcpy(&v, node_.data() + at, 4);
  return v;
}

uint32_t JsonbRef::size() const { return IsContainer() ? U32(1) : 0; }

JsonbRef JsonbRef::element(uint32_t i) const {
  const uint32_t n = U32(1);
  const size_t data = 5 + size_t{4} * n;
  const uint32_t begin = i == 0 ? 0 : U32(5 + 4 * (i - 1));
  const uint32_t end = U32(5 + 4 * i);
  return JsonbRef(node_.substr(data + begin, end - begin));
}

std::string_view JsonbRef::key(uint32_t i) const {
  const uint32_t n = U32(1);
  const size_t keys = 5 + size_t{8} * n;
  const uint32_t begin = i == 0 ? 0 : U32(5 + 4 * (i - 1));
  return node_.substr(keys + begin, U32(5 + 4 * i) - begin);
}

JsonbRef JsonbRef::value(uint32_t i) const {
  const uint32_t n = U32(1);
  const size_t values = 5 + size_t{8} * n + (n == 0 ? 0 : U32(5 + 4 * (n - 1)));
  const size_t ends = 5 + size_t{4} * n;
  const uint32_t begin = i == 0 ? 0 : U32(ends + 4 * (i - 1));
  const uint32_t end = U32(ends + 4 * i);
  return JsonbRef(node_.substr(values + begin, end - begin));
}

std::optional<JsonbRef> JsonbRef::Find(std::string_view k) const {
  if (kind() != K::kObject) return std::nullopt;
  uint32_t lo = 0, hi = size();
  while (lo < hi) {
    const uint32_t mid = lo + (hi - lo) / 2;
    const int c = KeyCompare(key(mid), k);
    if (c == 0) return value(mid);
    if (c < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return std::nullopt;
}

JsonbRef JsonbRoot(std::string_view value) {
  if (value.size() < 2 || value[0] != kJsonbVersion) {
    Throw(SqlState::kInternalError, "unsupported jsonb format version {}",
          value.empty() ? -1 : static_cast<int>(value[0]));
  }
  return JsonbRef(value.substr(1));
}

std::string JsonbValueOf(JsonbRef node) {
  std::string out(1, kJsonbVersion);
  out.append(node.bytes());
  return out;
}

void AppendJsonbNode(const JsonNode& t, std::string* out) {
  switch (t.kind) {
    case JsonNode::Kind::kNull:
      out->push_back(static_cast<char>(K::kNull));
      return;
    case JsonNode::Kind::kFalse:
      out->push_back(static_cast<char>(K::kFalse));
      return;
    case JsonNode::Kind::kTrue:
      out->push_back(static_cast<char>(K::kTrue));
      return;
    case JsonNode::Kind::kString:
      out->push_back(static_cast<char>(K::kString));
      out->append(t.text);
      return;
    case JsonNode::Kind::kNumber:
      out->push_back(static_cast<char>(K::kNumber));
      out->append(NormalizeNumber(t.text));
      return;
    case JsonNode::Kind::kArray: {
      CheckStackDepth();
      out->push_back(static_cast<char>(K::kArray));
      const auto n = static_cast<uint32_t>(t.items.size());
      PutU32(n, out);
      const size_t table = out->size();
      out->append(size_t{4} * n, '\0');
      const size_t data = out->size();
      for (uint32_t i = 0; i < n; ++i) {
        AppendJsonbNode(t.items[i], out);
        SetU32(out, table + 4 * i, static_cast<uint32_t>(out->size() - data));
      }
      return;
    }
    case JsonNode::Kind::kObject: {
      CheckStackDepth();
      // Sorted, the last of equal keys kept (a stable sort keeps input order among equals).
      std::vector<uint32_t> order(t.keys.size());
      std::iota(order.begin(), order.end(), 0);
      std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
        return KeyCompare(t.keys[a], t.keys[b]) < 0;
      });
      std::vector<uint32_t> kept;
      for (size_t i = 0; i < order.size(); ++i) {
        if (i + 1 < order.size() && t.keys[order[i]] == t.keys[order[i + 1]]) continue;
        kept.push_back(order[i]);
      }
      out->push_back(static_cast<char>(K::kObject));
      const auto n = static_cast<uint32_t>(kept.size());
      PutU32(n, out);
      const size_t table = out->size();
      out->append(size_t{8} * n, '\0');
      const size_t keys = out->size();
      for (uint32_t i = 0; i < n; ++i) {
        out->append(t.keys[kept[i]]);
        SetU32(out, table + 4 * i, static_cast<uint32_t>(out->size() - keys));
      }
      const size_t values = out->size();
      for (uint32_t i = 0; i < n; ++i) {
        AppendJsonbNode(t.items[kept[i]], out);
        SetU32(out, table + 4 * (n + i), static_cast<uint32_t>(out->size() - values));
      }
      return;
    }
  }
}

std::string EncodeJsonb(const JsonNode& tree) {
  std::string out(1, kJsonbVersion);
  AppendJsonbNode(tree, &out);
  if (out.size() > 0x0FFFFFFF) {
    Throw(SqlState::kProgramLimitExceeded,
          "total size of jsonb array elements exceeds the maximum of 268435455 bytes");
  }
  return out;
}

std::string JsonbFromText(std::string_view text) { return EncodeJsonb(ParseJson(text, true)); }

JsonNode JsonbToTree(JsonbRef n) {
  JsonNode t;
  switch (n.kind()) {
    case K::kNull:
      t.kind = JsonNode::Kind::kNull;
      break;
    case K::kFalse:
      t.kind = JsonNode::Kind::kFalse;
      break;
    case K::kTrue:
      t.kind = JsonNode::Kind::kTrue;
      break;
    case K::kString:
      t.kind = JsonNode::Kind::kString;
      t.text.assign(n.str());
      break;
    case K::kNumber:
      t.kind = JsonNode::Kind::kNumber;
      t.text.assign(n.str());
      break;
    case K::kArray:
      t.kind = JsonNode::Kind::kArray;
      for (uint32_t i = 0; i < n.size(); ++i) t.items.push_back(JsonbToTree(n.element(i)));
      break;
    case K::kObject:
      t.kind = JsonNode::Kind::kObject;
      for (uint32_t i = 0; i < n.size(); ++i) {
        t.keys.emplace_back(n.key(i));
        t.items.push_back(JsonbToTree(n.value(i)));
      }
      break;
  }
  return t;
}

void AppendJsonbText(JsonbRef node, std::string* out) { Printer(out, false).Top(node); }

std::string JsonbToText(JsonbRef node, bool pretty) {
  std::string out;
  Printer(&out, pretty).Top(node);
  return out;
}

std::string JsonbScalarText(JsonbRef node) {
  switch (node.kind()) {
    case K::kString:
    case K::kNumber:
      return std::string(node.str());
    case K::kTrue:
      return "true";
    case K::kFalse:
      return "false";
    case K::kNull:
      return "null";
    default:
      return JsonbToText(node);
  }
}

int CompareJsonbNodes(JsonbRef a, JsonbRef b, bool a_top, bool b_top) {
  // At the top, a scalar is a one-element raw-scalar array.
  const bool a_raw = a_top && !a.IsContainer();
  const bool b_raw = b_top && !b.IsContainer();
  const K ka = a_raw ? K::kArray : a.kind();
  const K kb = b_raw ? K::kArray : b.kind();
  if (TypeRank(ka) != TypeRank(kb)) return TypeRank(ka) < TypeRank(kb) ? -1 : 1;
  if (ka == K::kArray) {
    const uint32_t na = a_raw ? 1 : a.size();
    const uint32_t nb = b_raw ? 1 : b.size();
    if (na != nb) return na < nb ? -1 : 1;
    if (a_raw != b_raw) return a_raw ? -1 : 1;
    if (a_raw) return CompareJsonbNodes(a, b, false, false);
    CheckStackDepth();
    for (uint32_t i = 0; i < na; ++i) {
      if (int c = CompareJsonbNodes(a.element(i), b.element(i), false, false)) return c;
    }
    return 0;
  }
  if (ka == K::kObject) {
    const uint32_t na = a.size();
    const uint32_t nb = b.size();
    if (na != nb) return na < nb ? -1 : 1;
    CheckStackDepth();
    for (uint32_t i = 0; i < na; ++i) {
      if (int c = Sign(a.key(i).compare(b.key(i)))) return c;
      if (int c = CompareJsonbNodes(a.value(i), b.value(i), false, false)) return c;
    }
    return 0;
  }
  return CompareScalars(a, b);
}

int CompareJsonb(std::string_view a, std::string_view b) {
  return CompareJsonbNodes(JsonbRoot(a), JsonbRoot(b), true, true);
}

void AppendJsonbCanonical(JsonbRef n, std::string* out) {
  out->push_back(static_cast<char>(n.kind()));
  switch (n.kind()) {
    case K::kString:
      PutU32(static_cast<uint32_t>(n.str().size()), out);
      out->append(n.str());
      break;
    case K::kNumber: {
      const std::string k = Numeric::Parse(n.str()).NormalizedKey();
      PutU32(static_cast<uint32_t>(k.size()), out);
      out->append(k);
      break;
    }
    case K::kArray:
      PutU32(n.size(), out);
      for (uint32_t i = 0; i < n.size(); ++i) AppendJsonbCanonical(n.element(i), out);
      break;
    case K::kObject:
      PutU32(n.size(), out);
      for (uint32_t i = 0; i < n.size(); ++i) {
        PutU32(static_cast<uint32_t>(n.key(i).size()), out);
        out->append(n.key(i));
        AppendJsonbCanonical(n.value(i), out);
      }
      break;
    default:
      break;
  }
}

uint64_t HashJsonb(std::string_view value) {
  std::string canon;
  AppendJsonbCanonical(JsonbRoot(value), &canon);
  return XXH3_64bits(canon.data(), canon.size());
}

bool JsonbContains(JsonbRef a, JsonbRef b) { return DeepContains(a, b, true); }

const char* JsonbTypeName(JsonbRef n) {
  switch (n.kind()) {
    case K::kObject:
      return "object";
    case K::kArray:
      return "array";
    case K::kString:
      return "string";
    case K::kNumber:
      return "number";
    case K::kTrue:
    case K::kFalse:
      return "boolean";
    case K::kNull:
      return "null";
  }
  return "null";
}

}  // namespace activestore
