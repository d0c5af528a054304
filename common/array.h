// Array values (PostgreSQL's anyarray): the flat representation a Value and a column vector
// hold, PostgreSQL's text form (array_in / array_out), ordering and hashing (array_cmp,
// hash_array). See docs/design/2026-12-04-arrays.md.
//
// A Value of an array type (TypeInfo::elem != 0) keeps its array as one byte string in
// Value::s; a vector keeps it in `strs`. The string is the blob below, built by ArrayBuilder
// and read by ArrayView; an element is never a separate allocation.
//
//   uint32 ndim | uint32 flags (1 = has NULLs) | uint32 element oid
//   int32 dims[ndim] | int32 lower_bounds[ndim]
//   NULL bitmap, ceil(nitems / 8) bytes, bit set = NULL (only if flags & 1)
//   the non-NULL elements in row-major order:
//     int64 layouts (bool, integers, date, timestamps): 8 bytes; float8: 8 bytes;
//     interval: 16 bytes (usec, days|months); strings: uint32 length + bytes;
//     numeric: uint32 length + its text form
// All integers are little-endian. An empty array has ndim 0 and no elements.
//
// The element typmod is not in the blob: it is the array Type's typmod (as PostgreSQL keeps
// it in the column's atttypmod).
//
// Thread safety: pure functions and plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/value.h"

namespace activestore {

inline constexpr int kMaxArrayDims = 6;  // PostgreSQL's MAXDIM

// Array type facts, read from the type registry.
bool IsArrayType(TypeId id);
// int2vector or oidvector: an array type whose text form is its elements separated by spaces
// (int2vectorin/out, oidvectorin/out), lower bound 0.
bool IsVectorType(TypeId id);
// The element type of an array type (typelem). REQUIRES: IsArrayType(id).
TypeId ArrayElementType(TypeId array);
// The array type whose elements are `elem` (typarray); nullopt if there is none.
std::optional<TypeId> ArrayTypeOf(TypeId elem);
// The element Type (with the array's typmod) of an array Type.
inline Type ElementTypeOf(Type array) { return Type{ArrayElementType(array.id), array.typmod}; }

// Read-only view of an array blob. The blob must outlive the view.
class ArrayView {
 public:
  // Throws XX000 if `blob` is not a well-formed array.
  explicit ArrayView(std::string_view blob);

  int ndim() const { return ndim_; }
  int dim(int d) const { return dims_[d]; }
  int lower_bound(int d) const { return lbounds_[d]; }
  TypeId element_type() const { return elem_; }
  size_t size() const { return nitems_; }  // number of elements (NULLs included)
  bool has_nulls() const { return has_nulls_; }
  bool IsNull(size_t i) const {
    return has_nulls_ && ((static_cast<uint8_t>(bitmap_[i / 8]) >> (i % 8)) & 1);
  }
  // Every element in row-major order, as Values of `elem` (the element Type with typmod).
  std::vector<Value> Elements(Type elem) const;

  // Calls fn(index, value) for every element in order (NULLs as NULL Values of `elem`).
  template <typename Fn>
  void ForEach(Type elem, Fn&& fn) const {
    std::string_view p = data_;
    for (size_t i = 0; i < nitems_; ++i) {
      if (IsNull(i)) {
        fn(i, Value::Null(elem));
      } else {
        fn(i, ReadElement(&p, elem));
      }
    }
  }

 private:
  static Value ReadElement(std::string_view* p, Type elem);

  int ndim_ = 0;
  int dims_[kMaxArrayDims] = {};
  int lbounds_[kMaxArrayDims] = {};
  TypeId elem_ = TypeId::kUnknown;
  size_t nitems_ = 0;
  bool has_nulls_ = false;
  std::string_view bitmap_;
  std::string_view data_;
};

// Builds an array blob from elements appended in row-major order.
class ArrayBuilder {
 public:
  explicit ArrayBuilder(TypeId elem) : elem_(elem) {}
  // REQUIRES: v is NULL or of the element type's layout.
  void Append(const Value& v);
  size_t size() const { return nulls_.size(); }
  // The blob with the given shape; REQUIRES: the product of dims equals size() (a
  // one-dimensional [1:size()] array when dims is empty and size() > 0).
  std::string Finish(std::vector<int> dims = {}, std::vector<int> lower_bounds = {}) const;

 private:
  TypeId elem_;
  std::vector<bool> nulls_;
  std::string data_;
};

// The payload of a non-NULL element as the blob stores it (by the layout of v's type), and back;
// composite values (common/composite.h) store their fields the same way.
void AppendElementPayload(const Value& v, std::string* out);
Value ReadElementPayload(std::string_view* p, Type type);

// A one-dimensional array of `values` (lower bound 1; empty if there are none).
Value MakeArrayValue(Type array_type, const std::vector<Value>& values);

// The structure of an array's text form: shape and element texts (nullopt = NULL).
struct ArrayLiteral {
  std::vector<int> dims;
  std::vector<int> lower_bounds;
  std::vector<std::optional<std::string>> elements;
};

// Splits PostgreSQL's array text form ('{1,2}', '{{"a b",NULL},{c,d}}', '[0:1]={1,2}') into
// its shape and element texts (unquoted, unescaped). Throws 22P02 `malformed array literal`
// with PostgreSQL 15's DETAIL, 2202E for an upper bound below the lower bound and 54000 for
// more than 6 dimensions.
ArrayLiteral ParseArrayLiteral(std::string_view text);
// PostgreSQL's array_out over element texts: quotes an element when it is empty, "NULL" in
// any case, or contains braces, quotes, backslashes, commas or white space; prefixes the
// dimensions when a lower bound is not 1.
std::string FormatArrayLiteral(const std::vector<int>& dims, const std::vector<int>& lower_bounds,
                               const std::vector<std::optional<std::string>>& elements);
// Appends one element to an array text as array_out would write it.
void AppendArrayElementText(std::string_view element, std::string* out);

// array_cmp: elements pairwise in storage order (NULL after every non-NULL), then the number
// of elements, the number of dimensions, each dimension's length and lower bound.
int CompareArrays(std::string_view a, std::string_view b);
// Consistent with CompareArrays == 0.
uint64_t HashArray(std::string_view blob);

}  // namespace activestore
