// Composite values (PostgreSQL's record and the composite types of CREATE TYPE ... AS (...)): the
// flat representation a Value and a column vector hold, PostgreSQL's text form (record_in /
// record_out), ordering and hashing (record_cmp / record_eq / hash_record). See
// docs/design/2026-12-06-composite-types.md.
//
// A Value of a composite type or of `record` keeps its row as one byte string in Value::s (a
// vector: `strs`), self-describing like an array blob (common/array.h), so a value of the
// anonymous `record` type can be shown, compared and hashed without a catalog lookup:
//
//   uint32 type oid (the composite type, or 2249 for an anonymous record) | int32 typmod (a
//   blessed record's descriptor, RecordTypmodOf; else -1) | uint32 natts
//   per field: uint32 field type oid | int32 typmod | uint8 is_null
//              | the payload if not NULL, encoded as an array element (AppendElementPayload)
// All integers are little-endian.
//
// The field names are not in the blob: a composite type's come from its registry entry
// (CompositeFieldsOf), a blessed record's from its descriptor, another record's are f1, f2, ...
// (RecordFieldNames).
//
// Thread safety: pure functions and plain values; the composite registry (common/user_types.h)
// is thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/value.h"

namespace activestore {

struct FormatOptions;
struct TypeMethods;

// A field (attribute) of a composite type: pg_attribute's attname and atttypid/atttypmod.
struct CompositeField {
  std::string name;
  Type type;
  bool operator==(const CompositeField& o) const = default;
};

// PostgreSQL's "blessed" anonymous record types: a record Type whose typmod is >= 0 names a row
// descriptor registered here (ROW(...) values, functions returning rows such as
// information_schema._pg_expandarray), so (x).f binds on such a value wherever it flows
// (subquery outputs included). Descriptors are process-wide, equal ones share a typmod, and
// they are never removed.
int32_t RecordTypmodOf(const std::vector<CompositeField>& fields);
// The fields of a record typmod, or null if it names none.
const std::vector<CompositeField>* RecordDescriptor(int32_t typmod);
// The fields of a value of Type t known from its type alone: a composite type's attributes, or
// a blessed record's descriptor; null otherwise.
const std::vector<CompositeField>* FieldsOfType(Type t);

// Whether `id` is `record` or a composite type (typtype 'c', typcategory 'C').
bool IsCompositeType(TypeId id);
bool IsRecordLike(TypeId id);  // a composite type or `record`

// Reads a composite blob. The blob must outlive the view.
class RecordView {
 public:
  // Throws XX000 if `blob` is not a well-formed composite value.
  explicit RecordView(std::string_view blob);
  Type type() const { return type_; }
  size_t size() const { return fields_.size(); }
  // Field i as a Value of its own type (NULL as a NULL Value of that type).
  const Value& field(size_t i) const { return fields_[i]; }
  const std::vector<Value>& fields() const { return fields_; }

 private:
  Type type_;
  std::vector<Value> fields_;
};

// The blob of a row of type `type` (a composite type or record) with `fields` (each carries
// its own type).
std::string MakeRecordBlob(Type type, const std::vector<Value>& fields);
Value MakeRecordValue(Type type, const std::vector<Value>& fields);

// The names of the fields of a row value (its type's, else f1, f2, ...).
std::vector<std::string> RecordFieldNames(const RecordView& v);

// record_out: "(1,x)"; a field is quoted when it is empty or contains a quote, backslash,
// parenthesis, comma or white space; quotes and backslashes inside are doubled; NULL is nothing.
std::string FormatRecord(std::string_view blob, const FormatOptions& opts);

// record_out over field texts (nullopt = NULL): what FormatRecord writes for fields with these
// output texts (also the frontend's binary record_recv).
std::string FormatRecordTexts(const std::vector<std::optional<std::string>>& texts);

// record_in: the field texts of "(a,b)" (nullopt = NULL, an empty unquoted field); 22P02
// `malformed record literal: "x"` with PostgreSQL 15's DETAIL.
std::vector<std::optional<std::string>> ParseRecordLiteral(std::string_view text, size_t natts);

// record_cmp: fields pairwise (NULL after every non-NULL, two NULLs equal); 42804 for
// dissimilar field types or a different number of fields when all compared fields are equal.
int CompareRecords(std::string_view a, std::string_view b);
// Consistent with CompareRecords == 0.
uint64_t HashRecord(std::string_view blob);

// The type hooks of composite types and of `record` (in/out/compare/hash).
extern const TypeMethods kRecordMethods;

}  // namespace activestore
