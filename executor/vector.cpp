#include "executor/vector.h"

#include <cmath>
#include <cstring>
#include <functional>
#include <string_view>

#include "common/array.h"
#include "common/type_registry.h"
#include "common/value_ops.h"

namespace activestore::executor {

PhysClass PhysClassOf(TypeId id) {
  switch (TypeInfoOf(id).layout) {
    case ValueLayout::kInt64:
      return PhysClass::kInt;
    case ValueLayout::kFloat64:
      return PhysClass::kFloat;
    case ValueLayout::kNumeric:
      return PhysClass::kNumeric;
    case ValueLayout::kInt64Pair:
      return PhysClass::kWide;
    case ValueLayout::kString:
      break;
  }
  return PhysClass::kString;
}

void Vector::Init(Type t, size_t n) {
  type = t;
  phys = PhysClassOf(t.id);
  nulls.assign(n, 0);
  ints.clear();
  ints2.clear();
  floats.clear();
  strs.clear();
  nums.clear();
  switch (phys) {
    case PhysClass::kInt:
      ints.resize(n);
      break;
    case PhysClass::kFloat:
      floats.resize(n);
      break;
    case PhysClass::kString:
      strs.resize(n);
      break;
    case PhysClass::kNumeric:
      nums.resize(n);
      break;
    case PhysClass::kWide:
      ints.resize(n);
      ints2.resize(n);
      break;
  }
}

void Vector::Clear() { Init(type, 0); }

void Vector::Reserve(size_t n) {
  nulls.reserve(n);
  switch (phys) {
    case PhysClass::kInt:
      ints.reserve(n);
      break;
    case PhysClass::kFloat:
      floats.reserve(n);
      break;
    case PhysClass::kString:
      strs.reserve(n);
      break;
    case PhysClass::kNumeric:
      nums.reserve(n);
      break;
    case PhysClass::kWide:
      ints.reserve(n);
      ints2.reserve(n);
      break;
  }
}

Value Vector::Get(size_t r) const {
  Value v;
  v.type = type;
  if (nulls[r]) return v;
  v.is_null = false;
  switch (phys) {
    case PhysClass::kInt:
      v.i = ints[r];
      break;
    case PhysClass::kFloat:
      v.f = floats[r];
      break;
    case PhysClass::kString:
      v.s = strs[r];
      break;
    case PhysClass::kNumeric:
      v.num = nums[r];
      break;
    case PhysClass::kWide:
      v.i = ints[r];
      v.i2 = ints2[r];
      break;
  }
  return v;
}

void Vector::Load(size_t r, Value* v) const {
  v->type = type;
  v->is_null = nulls[r] != 0;
  if (v->is_null) {  // as Get leaves a NULL's payload
    v->i = v->i2 = 0;
    v->f = 0;
    v->s.clear();
    v->num = Numeric();
    return;
  }
  switch (phys) {
    case PhysClass::kInt:
      v->i = ints[r];
      break;
    case PhysClass::kFloat:
      v->f = floats[r];
      break;
    case PhysClass::kString:
      v->s.assign(strs[r]);
      break;
    case PhysClass::kNumeric:
      v->num = nums[r];
      break;
    case PhysClass::kWide:
      v->i = ints[r];
      v->i2 = ints2[r];
      break;
  }
}

void Vector::Set(size_t r, const Value& v) {
  if (v.is_null) {
    nulls[r] = 1;
    return;
  }
  if (PhysClassOf(v.type.id) != phys) {
    Set(r, CastValue(v, type));
    return;
  }
  nulls[r] = 0;
  switch (phys) {
    case PhysClass::kInt:
      ints[r] = v.i;
      break;
    case PhysClass::kFloat:
      floats[r] = v.f;
      break;
    case PhysClass::kString:
      strs[r] = v.s;
      break;
    case PhysClass::kNumeric:
      nums[r] = v.num;
      break;
    case PhysClass::kWide:
      ints[r] = v.i;
      ints2[r] = v.i2;
      break;
  }
}

void Vector::Append(const Value& v) {
  AppendNull();
  Set(size() - 1, v);
}

void Vector::AppendNull() {
  nulls.push_back(1);
  switch (phys) {
    case PhysClass::kInt:
      ints.push_back(0);
      break;
    case PhysClass::kFloat:
      floats.push_back(0);
      break;
    case PhysClass::kString:
      strs.emplace_back();
      break;
    case PhysClass::kNumeric:
      nums.emplace_back();
      break;
    case PhysClass::kWide:
      ints.push_back(0);
      ints2.push_back(0);
      break;
  }
}

void Vector::AppendFrom(const Vector& src, size_t r) {
  nulls.push_back(src.nulls[r]);
  switch (phys) {
    case PhysClass::kInt:
      ints.push_back(src.ints[r]);
      break;
    case PhysClass::kFloat:
      floats.push_back(src.floats[r]);
      break;
    case PhysClass::kString:
      strs.push_back(src.strs[r]);
      break;
    case PhysClass::kNumeric:
      nums.push_back(src.nums[r]);
      break;
    case PhysClass::kWide:
      ints.push_back(src.ints[r]);
      ints2.push_back(src.ints2[r]);
      break;
  }
}

void Vector::CopyRow(size_t dst, const Vector& src, size_t r) {
  nulls[dst] = src.nulls[r];
  switch (phys) {
    case PhysClass::kInt:
      ints[dst] = src.ints[r];
      break;
    case PhysClass::kFloat:
      floats[dst] = src.floats[r];
      break;
    case PhysClass::kString:
      strs[dst] = src.strs[r];
      break;
    case PhysClass::kNumeric:
      nums[dst] = src.nums[r];
      break;
    case PhysClass::kWide:
      ints[dst] = src.ints[r];
      ints2[dst] = src.ints2[r];
      break;
  }
}

Vector Vector::Constant(const Value& v, Type t, size_t n) {
  Vector out(t, n);
  if (v.is_null) {
    std::fill(out.nulls.begin(), out.nulls.end(), 1);
    return out;
  }
  if (n == 0) return out;
  out.Set(0, v);
  for (size_t r = 1; r < n; ++r) out.CopyRow(r, out, 0);
  return out;
}

void DataChunk::Init(const std::vector<Type>& types) {
  columns.resize(types.size());
  for (size_t c = 0; c < types.size(); ++c) columns[c].Init(types[c], 0);
  size = 0;
  locations.clear();
}

void DataChunk::Clear() {
  for (auto& c : columns) c.Clear();
  size = 0;
  locations.clear();
}

std::vector<Value> DataChunk::GetRow(size_t r) const {
  std::vector<Value> row;
  row.reserve(columns.size());
  for (const auto& c : columns) row.push_back(c.Get(r));
  return row;
}

void DataChunk::AppendRow(const std::vector<Value>& row) {
  for (size_t c = 0; c < columns.size(); ++c) columns[c].Append(row[c]);
  ++size;
}

void DataChunk::AppendRowFrom(const DataChunk& src, size_t r) {
  for (size_t c = 0; c < columns.size(); ++c) columns[c].AppendFrom(src.columns[c], r);
  if (!src.locations.empty()) locations.push_back(src.locations[r]);
  ++size;
}

DataChunk DataChunk::Select(const std::vector<uint32_t>& sel) const {
  DataChunk out;
  out.columns.resize(columns.size());
  for (size_t c = 0; c < columns.size(); ++c) {
    const Vector& src = columns[c];
    Vector& dst = out.columns[c];
    dst.Init(src.type, sel.size());
    for (size_t k = 0; k < sel.size(); ++k) dst.CopyRow(k, src, sel[k]);
  }
  if (!locations.empty()) {
    out.locations.reserve(sel.size());
    for (uint32_t r : sel) out.locations.push_back(locations[r]);
  }
  out.size = sel.size();
  return out;
}

namespace {

// v[k] = move(v[sel[k]]) for each k, then v holds sel.size() elements.
template <typename T>
void CompactArray(std::vector<T>* v, const std::vector<uint32_t>& sel) {
  T* d = v->data();
  for (size_t k = 0; k < sel.size(); ++k) {
    if (sel[k] != k) d[k] = std::move(d[sel[k]]);
  }
  v->resize(sel.size());
}

}  // namespace

void DataChunk::Compact(const std::vector<uint32_t>& sel) {
  if (sel.size() == size) return;
  for (Vector& c : columns) {
    CompactArray(&c.nulls, sel);
    switch (c.phys) {
      case PhysClass::kInt:
        CompactArray(&c.ints, sel);
        break;
      case PhysClass::kFloat:
        CompactArray(&c.floats, sel);
        break;
      case PhysClass::kString:
        CompactArray(&c.strs, sel);
        break;
      case PhysClass::kNumeric:
        CompactArray(&c.nums, sel);
        break;
      case PhysClass::kWide:
        CompactArray(&c.ints, sel);
        CompactArray(&c.ints2, sel);
        break;
    }
  }
  if (!locations.empty()) CompactArray(&locations, sel);
  size = sel.size();
}

namespace {

std::string_view StripTrailingSpaces(std::string_view s) {
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// The compare_bytes hook of a kString type with its own order (jsonb), or null.
int (*BytesCompareOf(TypeId t))(std::string_view, std::string_view) {
  const TypeInfo* info = FindTypeByOid(static_cast<uint32_t>(t));
  return info != nullptr && info->methods != nullptr ? info->methods->compare_bytes : nullptr;
}

uint64_t HashBytes(std::string_view s) {
  // FNV-1a, then mixed.
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return MixHash(h);
}

}  // namespace

bool RowValuesEqual(const Vector& a, size_t i, const Vector& b, size_t j) {
  bool an = a.nulls[i], bn = b.nulls[j];
  if (an || bn) return an && bn;
  switch (a.phys) {
    case PhysClass::kInt:
      return a.ints[i] == b.ints[j];
    case PhysClass::kFloat: {
      double x = a.floats[i], y = b.floats[j];
      return x == y || (std::isnan(x) && std::isnan(y));
    }
    case PhysClass::kString:
      if (a.type.id == TypeId::kBpchar || b.type.id == TypeId::kBpchar) {
        return StripTrailingSpaces(a.strs[i]) == StripTrailingSpaces(b.strs[j]);
      }
      if (IsArrayType(a.type.id)) return CompareArrays(a.strs[i], b.strs[j]) == 0;
      if (auto* cmp = BytesCompareOf(a.type.id)) return cmp(a.strs[i], b.strs[j]) == 0;
      return a.strs[i] == b.strs[j];
    case PhysClass::kNumeric:
      return a.nums[i].Compare(b.nums[j]) == 0;
    case PhysClass::kWide:
      if (a.type.id != TypeId::kInterval) {
        return TypeInfoOf(a.type.id).methods->compare_pair(a.ints[i], a.ints2[i], b.ints[j],
                                                           b.ints2[j]) == 0;
      }
      return IntervalKey(IntervalOf(a.ints[i], a.ints2[i])) ==
             IntervalKey(IntervalOf(b.ints[j], b.ints2[j]));
  }
  return false;
}

uint64_t HashVectorValue(const Vector& v, size_t r) {
  if (v.nulls[r]) return 0x5bd1e995ULL;
  switch (v.phys) {
    case PhysClass::kInt:
      return MixHash(static_cast<uint64_t>(v.ints[r]));
    case PhysClass::kFloat: {
      double x = v.floats[r];
      if (x == 0) x = 0;  // -0 hashes as 0
      if (std::isnan(x)) return 0x7ff8000000000000ULL;
      uint64_t bits;
      std::memcpy(&bits, &x, sizeof bits);
      return MixHash(bits);
    }
    case PhysClass::kString:
      if (v.type.id == TypeId::kBpchar) return HashBytes(StripTrailingSpaces(v.strs[r]));
      if (IsArrayType(v.type.id)) return MixHash(HashArray(v.strs[r]));
      if (const TypeMethods* m = TypeInfoOf(v.type.id).methods; m && m->hash_bytes) {
        return MixHash(m->hash_bytes(v.strs[r]));
      }
      return HashBytes(v.strs[r]);
    case PhysClass::kNumeric:
      return HashBytes(v.nums[r].NormalizedKey());
    case PhysClass::kWide: {
      if (v.type.id != TypeId::kInterval) {
        return TypeInfoOf(v.type.id).methods->hash_pair(v.ints[r], v.ints2[r]);
      }
      __int128 k = IntervalKey(IntervalOf(v.ints[r], v.ints2[r]));
      return CombineHash(MixHash(static_cast<uint64_t>(k)),
                         static_cast<uint64_t>(static_cast<unsigned __int128>(k) >> 64));
    }
  }
  return 0;
}

int CompareVectorValues(const Vector& a, size_t i, const Vector& b, size_t j) {
  switch (a.phys) {
    case PhysClass::kInt: {
      int64_t x = a.ints[i], y = b.ints[j];
      return x < y ? -1 : (x > y ? 1 : 0);
    }
    case PhysClass::kFloat: {
      double x = a.floats[i], y = b.floats[j];
      bool xn = std::isnan(x), yn = std::isnan(y);
      if (xn || yn) return xn == yn ? 0 : (xn ? 1 : -1);
      return x < y ? -1 : (x > y ? 1 : 0);
    }
    case PhysClass::kString: {
      if (IsArrayType(a.type.id)) return CompareArrays(a.strs[i], b.strs[j]);
      if (auto* cmp = BytesCompareOf(a.type.id)) return cmp(a.strs[i], b.strs[j]);
      std::string_view x = a.strs[i], y = b.strs[j];
      if (a.type.id == TypeId::kBpchar || b.type.id == TypeId::kBpchar) {
        x = StripTrailingSpaces(x);
        y = StripTrailingSpaces(y);
      }
      int c = x.compare(y);
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case PhysClass::kNumeric:
      return a.nums[i].Compare(b.nums[j]);
    case PhysClass::kWide:
      if (a.type.id != TypeId::kInterval) {
        return TypeInfoOf(a.type.id).methods->compare_pair(a.ints[i], a.ints2[i], b.ints[j],
                                                           b.ints2[j]);
      }
      return CompareIntervals(IntervalOf(a.ints[i], a.ints2[i]), IntervalOf(b.ints[j], b.ints2[j]));
  }
  return 0;
}

void HashRows(const std::vector<const Vector*>& cols, size_t n, std::vector<uint64_t>* hashes) {
  hashes->assign(n, 0x12345678ULL);
  uint64_t* h = hashes->data();
  for (const Vector* col : cols) {
    const uint8_t* nulls = col->nulls.data();
    if (col->phys == PhysClass::kInt) {
      // HashVectorValue's kInt case, without a switch per row.
      const int64_t* x = col->ints.data();
      for (size_t r = 0; r < n; ++r) {
        const uint64_t v = nulls[r] ? 0x5bd1e995ULL : MixHash(static_cast<uint64_t>(x[r]));
        h[r] = CombineHash(h[r], v);
      }
      continue;
    }
    for (size_t r = 0; r < n; ++r) h[r] = CombineHash(h[r], HashVectorValue(*col, r));
  }
}

KeyHashTable::KeyHashTable(const std::vector<Type>& key_types) {
  keys_.resize(key_types.size());
  for (size_t c = 0; c < key_types.size(); ++c) {
    keys_[c].Init(key_types[c], 0);
    all_int_ = all_int_ && keys_[c].phys == PhysClass::kInt;
  }
  slots_.assign(64, Slot{});
  mask_ = 63;
}

bool KeyHashTable::KeyEquals(size_t idx, const std::vector<const Vector*>& keys, size_t r) const {
  if (all_int_) {
    // RowValuesEqual's kInt case, without a switch per key.
    for (size_t c = 0; c < keys_.size(); ++c) {
      const Vector& a = keys_[c];
      const Vector& b = *keys[c];
      if ((a.nulls[idx] != 0) != (b.nulls[r] != 0)) return false;
      if (!a.nulls[idx] && a.ints[idx] != b.ints[r]) return false;
    }
    return true;
  }
  for (size_t c = 0; c < keys_.size(); ++c) {
    if (!RowValuesEqual(keys_[c], idx, *keys[c], r)) return false;
  }
  return true;
}

void KeyHashTable::Grow() {
  size_t cap = slots_.size() * 2;
  slots_.assign(cap, Slot{});
  mask_ = cap - 1;
  for (size_t idx = 0; idx < hashes_.size(); ++idx) {
    size_t s = hashes_[idx] & mask_;
    while (slots_[s].idx >= 0) s = (s + 1) & mask_;
    slots_[s] = Slot{static_cast<int32_t>(idx), Tag(hashes_[idx])};
  }
}

size_t KeyHashTable::FindOrInsert(const std::vector<const Vector*>& keys, size_t r, uint64_t hash,
                                  bool* inserted) {
  size_t s = hash & mask_;
  const uint32_t tag = Tag(hash);
  while (slots_[s].idx >= 0) {
    const Slot slot = slots_[s];
    if (slot.tag == tag) {
      size_t idx = static_cast<size_t>(slot.idx);
      if (hashes_[idx] == hash && KeyEquals(idx, keys, r)) {
        *inserted = false;
        return idx;
      }
    }
    s = (s + 1) & mask_;
  }
  size_t idx = hashes_.size();
  hashes_.push_back(hash);
  for (size_t c = 0; c < keys_.size(); ++c) keys_[c].AppendFrom(*keys[c], r);
  slots_[s] = Slot{static_cast<int32_t>(idx), tag};
  *inserted = true;
  if (hashes_.size() * 2 > slots_.size()) Grow();
  return idx;
}

int64_t KeyHashTable::Find(const std::vector<const Vector*>& keys, size_t r, uint64_t hash) const {
  size_t s = hash & mask_;
  const uint32_t tag = Tag(hash);
  while (slots_[s].idx >= 0) {
    const Slot slot = slots_[s];
    if (slot.tag == tag) {
      size_t idx = static_cast<size_t>(slot.idx);
      if (hashes_[idx] == hash && KeyEquals(idx, keys, r)) return static_cast<int64_t>(idx);
    }
    s = (s + 1) & mask_;
  }
  return -1;
}

}  // namespace activestore::executor
