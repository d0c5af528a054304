#include "common/array.h"

#include <strings.h>

#include <cstring>

#include "common/error.h"
#include "common/type_registry.h"
#include "common/value_ops.h"

namespace activestore {
namespace {

[[noreturn]] void Corrupt() { Throw(SqlState::kInternalError, "malformed array value"); }

void PutU32(uint32_t v, std::string* out) {
  char b[4];
  for (int i = 0; i < 4; ++i) b[i] = static_cast<char>(v >> (8 * i));
  out->append(b, 4);
}
void PutU64(uint64_t v, std::string* out) {
  char b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<char>(v >> (8 * i));
  out->append(b, 8);
}
uint64_t GetLE(std::string_view* p, int n) {
  if (p->size() < static_cast<size_t>(n)) Corrupt();
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v |= uint64_t{static_cast<uint8_t>((*p)[i])} << (8 * i);
  p->remove_prefix(n);
  return v;
}

ValueLayout LayoutOf(TypeId elem) { return TypeInfoOf(elem).layout; }

// array_isspace: the white space array_in skips and array_out quotes.
bool ArraySpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

}  // namespace

bool IsArrayType(TypeId id) {
  const TypeInfo* t = FindTypeByOid(static_cast<uint32_t>(id));
  return t != nullptr && t->elem != 0;
}

bool IsVectorType(TypeId id) { return id == kInt2VectorType || id == kOidVectorType; }

TypeId ArrayElementType(TypeId array) { return static_cast<TypeId>(TypeInfoOf(array).elem); }

std::optional<TypeId> ArrayTypeOf(TypeId elem) {
  const TypeInfo* t = FindTypeByOid(static_cast<uint32_t>(elem));
  if (t == nullptr || t->array_oid == 0 || FindTypeByOid(t->array_oid) == nullptr) {
    return std::nullopt;
  }
  return static_cast<TypeId>(t->array_oid);
}

// ---- the blob ----

ArrayView::ArrayView(std::string_view blob) {
  std::string_view p = blob;
  ndim_ = static_cast<int>(GetLE(&p, 4));
  uint32_t flags = static_cast<uint32_t>(GetLE(&p, 4));
  elem_ = static_cast<TypeId>(GetLE(&p, 4));
  if (ndim_ < 0 || ndim_ > kMaxArrayDims) Corrupt();
  nitems_ = ndim_ == 0 ? 0 : 1;
  for (int d = 0; d < ndim_; ++d) {
    dims_[d] = static_cast<int32_t>(GetLE(&p, 4));
    nitems_ *= static_cast<size_t>(dims_[d]);
  }
  for (int d = 0; d < ndim_; ++d) lbounds_[d] = static_cast<int32_t>(GetLE(&p, 4));
  has_nulls_ = (flags & 1) != 0;
  if (has_nulls_) {
    size_t n = (nitems_ + 7) / 8;
    if (p.size() < n) Corrupt();
    bitmap_ = p.substr(0, n);
    p.remove_prefix(n);
  }
  data_ = p;
}

Value ArrayView::ReadElement(std::string_view* p, Type elem) { return ReadElementPayload(p, elem); }

Value ReadElementPayload(std::string_view* p, Type elem) {
  Value v;
  v.type = elem;
  v.is_null = false;
  switch (LayoutOf(elem.id)) {
    case ValueLayout::kInt64:
      v.i = static_cast<int64_t>(GetLE(p, 8));
      break;
    case ValueLayout::kFloat64: {
      uint64_t bits = GetLE(p, 8);
      std::memcpy(&v.f, &bits, 8);
      break;
    }
    case ValueLayout::kInt64Pair:
      v.i = static_cast<int64_t>(GetLE(p, 8));
      v.i2 = static_cast<int64_t>(GetLE(p, 8));
      break;
    case ValueLayout::kString:
    case ValueLayout::kNumeric: {
      size_t n = GetLE(p, 4);
      if (p->size() < n) Corrupt();
      if (LayoutOf(elem.id) == ValueLayout::kNumeric) {
        v.num = Numeric::Parse(p->substr(0, n));
      } else {
        v.s.assign(p->data(), n);
      }
      p->remove_prefix(n);
      break;
    }
  }
  return v;
}

std::vector<Value> ArrayView::Elements(Type elem) const {
  std::vector<Value> out;
  out.reserve(nitems_);
  ForEach(elem, [&](size_t, Value v) { out.push_back(std::move(v)); });
  return out;
}

namespace {

void AppendPayload(ValueLayout layout, const Value& v, std::string* out) {
  switch (layout) {
    case ValueLayout::kInt64:
      PutU64(static_cast<uint64_t>(v.i), out);
      break;
    case ValueLayout::kFloat64: {
      uint64_t bits;
      std::memcpy(&bits, &v.f, 8);
      PutU64(bits, out);
      break;
    }
    case ValueLayout::kInt64Pair:
      PutU64(static_cast<uint64_t>(v.i), out);
      PutU64(static_cast<uint64_t>(v.i2), out);
      break;
    case ValueLayout::kString:
      PutU32(static_cast<uint32_t>(v.s.size()), out);
      *out += v.s;
      break;
    case ValueLayout::kNumeric: {
      std::string text = v.num.ToString();
      PutU32(static_cast<uint32_t>(text.size()), out);
      *out += text;
      break;
    }
  }
}

}  // namespace

void ArrayBuilder::Append(const Value& v) {
  nulls_.push_back(v.is_null);
  if (!v.is_null) AppendPayload(LayoutOf(elem_), v, &data_);
}

void AppendElementPayload(const Value& v, std::string* out) {
  AppendPayload(LayoutOf(v.type.id), v, out);
}

std::string ArrayBuilder::Finish(std::vector<int> dims, std::vector<int> lower_bounds) const {
  if (dims.empty() && !nulls_.empty()) dims = {static_cast<int>(nulls_.size())};
  if (nulls_.empty()) dims.clear();
  lower_bounds.resize(dims.size(), 1);
  bool has_nulls = false;
  for (bool n : nulls_) has_nulls |= n;
  std::string out;
  out.reserve(12 + 8 * dims.size() + data_.size() + (has_nulls ? nulls_.size() / 8 + 1 : 0));
  PutU32(static_cast<uint32_t>(dims.size()), &out);
  PutU32(has_nulls ? 1 : 0, &out);
  PutU32(static_cast<uint32_t>(elem_), &out);
  for (int d : dims) PutU32(static_cast<uint32_t>(d), &out);
  for (int l : lower_bounds) PutU32(static_cast<uint32_t>(l), &out);
  if (has_nulls) {
    std::string bitmap((nulls_.size() + 7) / 8, '\0');
    for (size_t i = 0; i < nulls_.size(); ++i) {
      if (nulls_[i]) bitmap[i / 8] = static_cast<char>(bitmap[i / 8] | (1 << (i % 8)));
    }
    out += bitmap;
  }
  out += data_;
  return out;
}

Value MakeArrayValue(Type array_type, const std::vector<Value>& values) {
  ArrayBuilder b(ArrayElementType(array_type.id));
  for (const Value& v : values) b.Append(v);
  Value out;
  out.type = array_type;
  out.is_null = false;
  out.s = b.Finish();
  return out;
}

// ---- text form ----

namespace {

[[noreturn]] void Malformed(std::string_view text, std::string detail) {
  throw Error(SqlState::kInvalidTextRepresentation,
              "malformed array literal: \"" + std::string(text) + "\"")
      .Detail(std::move(detail));
}

std::string Unexpected(char c) { return fmt::format("Unexpected \"{}\" character.", c); }

// PostgreSQL 15's ArrayCount states.
enum class State {
  kNoLevel,
  kLevelStarted,
  kElemStarted,
  kElemCompleted,
  kQuotedElemStarted,
  kQuotedElemCompleted,
  kElemDelimited,
  kLevelCompleted,
  kLevelDelimited,
};

// Reads the braces part of an array literal starting at text[pos] == '{': the element texts
// into `lit->elements` and the dimensions into `lit->dims` (empty for '{}'). Returns the
// position after the closing brace.
size_t ReadBraces(std::string_view text, size_t pos, ArrayLiteral* lit) {
  State state = State::kNoLevel;
  int nest = 0, ndim = 0;
  int nelems[kMaxArrayDims] = {}, nelems_last[kMaxArrayDims] = {};
  bool in_quotes = false;
  // The current element: its text, whether it had quotes or escapes, where its significant
  // text ends (trailing unquoted white space is dropped).
  std::string cur;
  bool quoted = false, leading = true, in_elem = false;
  size_t cur_end = 0;
  // A quote or a backslash: the element exists, is not NULL, and keeps its white space.
  auto mark_quoted = [&]() {
    in_elem = true;
    quoted = true;
    leading = false;
  };
  auto finish_elem = [&]() {
    if (!in_elem) return;
    cur.resize(cur_end);
    if (!quoted && strcasecmp(cur.c_str(), "NULL") == 0) {
      lit->elements.emplace_back(std::nullopt);
    } else {
      lit->elements.emplace_back(std::move(cur));
    }
    cur.clear();
    quoted = false;
    leading = true;
    in_elem = false;
    cur_end = 0;
  };
  for (;;) {
    if (pos >= text.size()) Malformed(text, "Unexpected end of input.");
    char c = text[pos];
    if (c == '\\') {
      if (state != State::kLevelStarted && state != State::kElemStarted &&
          state != State::kQuotedElemStarted && state != State::kElemDelimited) {
        Malformed(text, Unexpected('\\'));
      }
      if (state != State::kQuotedElemStarted) state = State::kElemStarted;
      if (++pos >= text.size()) Malformed(text, "Unexpected end of input.");
      mark_quoted();
      cur.push_back(text[pos]);
      cur_end = cur.size();
      ++pos;
      continue;
    }
    if (c == '"') {
      if (state != State::kLevelStarted && state != State::kQuotedElemStarted &&
          state != State::kElemDelimited) {
        Malformed(text, "Unexpected array element.");
      }
      in_quotes = !in_quotes;
      state = in_quotes ? State::kQuotedElemStarted : State::kQuotedElemCompleted;
      mark_quoted();
      cur_end = cur.size();
      ++pos;
      continue;
    }
    if (in_quotes) {
      cur.push_back(c);
      cur_end = cur.size();
      ++pos;
      continue;
    }
    if (c == '{') {
      if (state != State::kNoLevel && state != State::kLevelStarted &&
          state != State::kLevelDelimited) {
        Malformed(text, Unexpected('{'));
      }
      state = State::kLevelStarted;
      if (nest >= kMaxArrayDims) {
        Throw(SqlState::kProgramLimitExceeded,
              "number of array dimensions ({}) exceeds the maximum allowed ({})", nest + 1,
              kMaxArrayDims);
      }
      nelems[nest] = 1;
      ++nest;
      if (ndim < nest) ndim = nest;
      ++pos;
      continue;
    }
    if (c == '}') {
      if (state != State::kElemStarted && state != State::kElemCompleted &&
          state != State::kQuotedElemCompleted && state != State::kLevelCompleted &&
          !(nest == 1 && state == State::kLevelStarted)) {
        Malformed(text, Unexpected('}'));
      }
      const bool empty = state == State::kLevelStarted;
      finish_elem();
      state = State::kLevelCompleted;
      --nest;
      if (!empty) {
        if (nelems_last[nest] != 0 && nelems[nest] != nelems_last[nest]) {
          Malformed(text, "Multidimensional arrays must have sub-arrays with matching dimensions.");
        }
        nelems_last[nest] = nelems[nest];
      }
      ++pos;
      if (nest == 0) {
        if (empty) ndim = 0;
        break;
      }
      continue;
    }
    if (c == ',') {
      if (state != State::kElemStarted && state != State::kElemCompleted &&
          state != State::kQuotedElemCompleted && state != State::kLevelCompleted) {
        Malformed(text, Unexpected(','));
      }
      state = state == State::kLevelCompleted ? State::kLevelDelimited : State::kElemDelimited;
      finish_elem();
      ++nelems[nest - 1];
      ++pos;
      continue;
    }
    if (ArraySpace(c)) {
      if (!leading) cur.push_back(c);
      ++pos;
      continue;
    }
    if (state != State::kLevelStarted && state != State::kElemStarted &&
        state != State::kElemDelimited) {
      Malformed(text, "Unexpected array element.");
    }
    state = State::kElemStarted;
    in_elem = true;
    leading = false;
    cur.push_back(c);
    cur_end = cur.size();
    ++pos;
  }
  lit->dims.assign(nelems_last, nelems_last + ndim);
  size_t product = ndim == 0 ? 0 : 1;
  for (int d : lit->dims) product *= static_cast<size_t>(d);
  if (product != lit->elements.size()) {
    Malformed(text, "Multidimensional arrays must have sub-arrays with matching dimensions.");
  }
  return pos;
}

bool IsDimChar(char c) { return (c >= '0' && c <= '9') || c == '-' || c == '+'; }

}  // namespace

ArrayLiteral ParseArrayLiteral(std::string_view text) {
  ArrayLiteral lit;
  size_t p = 0;
  auto skip_space = [&]() {
    while (p < text.size() && ArraySpace(text[p])) ++p;
  };
  std::vector<int> dims, lbs;
  for (;;) {
    skip_space();
    if (p >= text.size() || text[p] != '[') break;
    ++p;
    if (dims.size() >= static_cast<size_t>(kMaxArrayDims)) {
      Throw(SqlState::kProgramLimitExceeded,
            "number of array dimensions ({}) exceeds the maximum allowed ({})", dims.size() + 1,
            kMaxArrayDims);
    }
    size_t q = p;
    while (q < text.size() && IsDimChar(text[q])) ++q;
    if (q == p) Malformed(text, "\"[\" must introduce explicitly-specified array dimensions.");
    int lb = 1;
    int first = std::atoi(std::string(text.substr(p, q - p)).c_str());
    if (q < text.size() && text[q] == ':') {
      lb = first;
      p = q + 1;
      q = p;
      while (q < text.size() && IsDimChar(text[q])) ++q;
      if (q == p) Malformed(text, "Missing array dimension value.");
      first = std::atoi(std::string(text.substr(p, q - p)).c_str());
    }
    if (q >= text.size() || text[q] != ']') {
      Malformed(text, "Missing \"]\" after array dimensions.");
    }
    p = q + 1;
    if (first < lb)
      Throw(SqlState::kArraySubscriptError, "upper bound cannot be less than lower bound");
    dims.push_back(first - lb + 1);
    lbs.push_back(lb);
  }
  if (dims.empty()) {
    if (p >= text.size() || text[p] != '{') {
      Malformed(text, "Array value must start with \"{\" or dimension information.");
    }
  } else {
    if (p >= text.size() || text[p] != '=') {
      Malformed(text, "Missing \"=\" after array dimensions.");
    }
    ++p;
    skip_space();
    if (p >= text.size() || text[p] != '{') {
      Malformed(text, "Array contents must start with \"{\".");
    }
  }
  p = ReadBraces(text, p, &lit);
  skip_space();
  if (p < text.size()) Malformed(text, "Junk after closing right brace.");
  if (!dims.empty()) {
    if (dims != lit.dims) {
      Malformed(text, "Specified array dimensions do not match array contents.");
    }
    lit.lower_bounds = std::move(lbs);
  } else {
    lit.lower_bounds.assign(lit.dims.size(), 1);
  }
  return lit;
}

void AppendArrayElementText(std::string_view e, std::string* out) {
  bool quote = e.empty() || strcasecmp(std::string(e).c_str(), "NULL") == 0;
  for (char c : e) {
    if (c == '"' || c == '\\' || c == '{' || c == '}' || c == ',' || ArraySpace(c)) {
      quote = true;
      break;
    }
  }
  if (!quote) {
    out->append(e);
    return;
  }
  out->push_back('"');
  for (char c : e) {
    if (c == '"' || c == '\\') out->push_back('\\');
    out->push_back(c);
  }
  out->push_back('"');
}

std::string FormatArrayLiteral(const std::vector<int>& dims, const std::vector<int>& lbs,
                               const std::vector<std::optional<std::string>>& elements) {
  std::string out;
  if (dims.empty()) return "{}";
  bool decorate = false;
  for (int l : lbs) decorate |= l != 1;
  if (decorate) {
    for (size_t d = 0; d < dims.size(); ++d) {
      out += fmt::format("[{}:{}]", lbs[d], lbs[d] + dims[d] - 1);
    }
    out.push_back('=');
  }
  // Walk the elements, opening and closing braces as the row-major index crosses dimension
  // boundaries.
  const size_t nd = dims.size();
  std::vector<int> idx(nd, 0);
  for (size_t d = 0; d < nd; ++d) out.push_back('{');
  for (size_t i = 0; i < elements.size(); ++i) {
    if (elements[i]) {
      AppendArrayElementText(*elements[i], &out);
    } else {
      out += "NULL";
    }
    // Advance the index; count how many dimensions wrapped.
    size_t d = nd;
    while (d > 0) {
      --d;
      if (++idx[d] < dims[d]) break;
      idx[d] = 0;
      out.push_back('}');
      if (d == 0) break;
    }
    if (i + 1 < elements.size()) {
      out.push_back(',');
      size_t opened = 0;
      for (size_t k = nd; k > 0 && idx[k - 1] == 0; --k) ++opened;
      out.append(opened, '{');
    }
  }
  return out;
}

// ---- ordering and hashing ----

int CompareArrays(std::string_view a, std::string_view b) {
  ArrayView va(a), vb(b);
  const Type ea = Type::Of(va.element_type()), eb = Type::Of(vb.element_type());
  std::vector<Value> xa = va.Elements(ea), xb = vb.Elements(eb);
  size_t n = std::min(xa.size(), xb.size());
  for (size_t i = 0; i < n; ++i) {
    bool na = xa[i].is_null, nb = xb[i].is_null;
    if (na && nb) continue;
    if (na) return 1;
    if (nb) return -1;
    int c = CompareValues(xa[i], xb[i]);
    if (c != 0) return c < 0 ? -1 : 1;
  }
  if (xa.size() != xb.size()) return xa.size() < xb.size() ? -1 : 1;
  if (va.ndim() != vb.ndim()) return va.ndim() < vb.ndim() ? -1 : 1;
  for (int d = 0; d < va.ndim(); ++d) {
    if (va.dim(d) != vb.dim(d)) return va.dim(d) < vb.dim(d) ? -1 : 1;
    if (va.lower_bound(d) != vb.lower_bound(d)) {
      return va.lower_bound(d) < vb.lower_bound(d) ? -1 : 1;
    }
  }
  return 0;
}

uint64_t HashArray(std::string_view blob) {
  ArrayView v(blob);
  uint64_t h = 0x51ed2701u + static_cast<uint64_t>(v.ndim());
  for (int d = 0; d < v.ndim(); ++d) {
    h = h * 0x100000001b3ULL ^ static_cast<uint64_t>(v.dim(d));
    h = h * 0x100000001b3ULL ^ static_cast<uint64_t>(v.lower_bound(d));
  }
  v.ForEach(Type::Of(v.element_type()), [&](size_t, const Value& e) {
    h = (h ^ (e.is_null ? 0x9e3779b97f4a7c15ULL : HashValue(e))) * 0xff51afd7ed558ccdULL;
    h ^= h >> 29;
  });
  return h;
}

}  // namespace activestore
