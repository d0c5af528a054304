// The type registry: one entry per SQL type with what PostgreSQL keeps in pg_type (oid, name,
// array type, category, preferred flag, length, alignment) plus what ActiveStore needs to
// store and show it (how a Value and a column vector hold it, the SQL names that resolve to
// it, how its typmod prints and travels on the wire). The binder, the executor, the storage
// encodings and the wire protocol read type facts from here instead of keeping their own
// per-type tables. See docs/design/2026-12-04-type-registry.md for the plan beyond this first
// step (input/output, comparison, hashing, key encoding and casts as entry hooks).
//
// Thread safety: the static entries are immutable after static initialisation; the run-time
// entries of enum types (common/user_types.h) are published under a lock and never change.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/types.h"

namespace activestore {

// pg_type.typcategory.
enum class TypeCategory : char {
  kArray = 'A',
  kBool = 'B',
  kComposite = 'C',  // CREATE TYPE ... AS (...) (common/composite.h)
  kBitString = 'V',  // bit, varbit
  kDateTime = 'D',
  kEnum = 'E',       // CREATE TYPE ... AS ENUM (common/user_types.h)
  kGeometric = 'G',  // point (common/point.h)
  kNumeric = 'N',
  kPseudo = 'P',
  kString = 'S',
  kTimespan = 'T',
  kUserDefined = 'U',  // bytea, uuid
  kUnknown = 'X',
  kInternal = 'Z',  // "char"
};

// How a value is held in a Value and in a column vector.
enum class ValueLayout : uint8_t {
  kInt64,      // Value::i; vector `ints` (bool, integers, date, timestamps, time)
  kFloat64,    // Value::f; vector `floats`
  kString,     // Value::s; vector `strs` (also array blobs, common/array.h)
  kNumeric,    // Value::num; vector `nums`
  kInt64Pair,  // Value::i and Value::i2; vector `ints` and `ints2` (interval, uuid, timetz)
};

struct FormatOptions;
struct Value;

// The behaviour hooks of an entry, filled in the type's own file (common/bytea.cpp,
// common/uuid.cpp, common/time_types.cpp, common/bit_string.cpp, common/money.cpp,
// common/oid_type.cpp, common/char_type.cpp, common/json.cpp, common/jsonb.cpp). Types without them
// (methods == nullptr) are still handled by per-type switches in value_ops, vector and encoding; a
// type with them needs no arm there: FormatValue/ParseValue/CastValue, CompareValues/HashValue, the
// vectors' equality, order and hash, and the storage key and row encodings all go through these
// hooks and the layout.
struct TypeMethods {
  // The input function: sets the payload of *out (type and is_null already set) from
  // PostgreSQL's text form; throws 22P02 (or the type's own error) on bad input.
  void (*in)(std::string_view text, const FormatOptions& opts, Value* out);
  // The output function. REQUIRES: !v.is_null.
  std::string (*out)(const Value& v, const FormatOptions& opts);
  // kInt64Pair types: three-way order and an equality-consistent hash over the two words.
  // A kInt64 type (time) gets its word and 0 here (CompareValues/HashValue); its vectors are
  // the plain integer class, so its order must be the integer order. Null for kString types,
  // whose order is the bytes' (memcmp, then length) and whose hash is of the bytes.
  int (*compare_pair)(int64_t a, int64_t a2, int64_t b, int64_t b2);
  uint64_t (*hash_pair)(int64_t w, int64_t w2);
  // Appends bytes whose memcmp order is the type's order (a kInt64Pair type: exactly 16; other
  // layouts are stored escaped, as bytea's).
  void (*key)(const Value& v, std::string* out);
  // Casts other than through text (pg_cast rows with a function): called by CastValue for both
  // the source's and the target's entry (and for the type to itself, where a typmod applies).
  // Sets *out and returns true if it knows the pair; null: no such casts.
  bool (*cast)(const Value& v, Type to, const FormatOptions& opts, Value* out) = nullptr;
  // The length coercion function (bit(n), varbit(n)): CastValue applies it to a value that
  // became this type with a typmod >= 0 (from itself, from text or through `cast`);
  // explicit_cast truncates or pads where an assignment raises. Null: the typmod is not checked.
  void (*apply_typmod)(Value* v, int32_t typmod, bool explicit_cast) = nullptr;
  // typmodin: the modifiers as written (bit(4) -> {4}, none -> {}) to the typmod; throws 22023
  // for a bad one. Null: the type takes no modifiers.
  int32_t (*typmod_in)(std::span<const int32_t> mods) = nullptr;
  // kString types whose order and equality are not their bytes' (jsonb: 1.0 = 1): three-way
  // order and an equality-consistent hash of the bytes. Null: memcmp order, hash of the bytes.
  int (*compare_bytes)(std::string_view a, std::string_view b) = nullptr;
  uint64_t (*hash_bytes)(std::string_view s) = nullptr;
};

struct TypeInfo {
  TypeId id;
  const char* typname;   // pg_type.typname: "int4", "timestamptz"
  const char* sql_name;  // format_type without typmod: "integer", "timestamp with time zone"
  // format_type_be as errors show it (differs from sql_name only for bpchar: "character").
  const char* error_name;
  uint32_t array_oid;  // pg_type.typarray (0: none)
  TypeCategory category;
  bool preferred;  // pg_type.typispreferred
  int16_t typlen;  // -1 varlena, -2 C string
  char typalign;   // 'c', 's', 'i', 'd'
  ValueLayout layout;
  // Added to a non-negative typmod in RowDescription (PostgreSQL's VARHDRSZ for the length
  // and precision typmods of varchar, bpchar, numeric; 0 for interval).
  int32_t wire_typmod_offset;
  // format_type with a typmod >= 0 ("character varying(10)"); null if the type has none.
  std::string (*format_typmod)(int32_t typmod);
  const TypeMethods* methods = nullptr;
  // pg_type.typelem of an array type (its element type's oid); 0 for other types.
  uint32_t elem = 0;
};

// Hooks for kInt64 types whose order is the signed order of Value::i (pg_lsn, xid, tid, ...):
// three-way order of the words, a hash of the word, and 8 big-endian bytes of the word with its
// top bit flipped (memcmp order = signed order).
int CompareWords(int64_t a, int64_t a2, int64_t b, int64_t b2);
uint64_t HashWord(int64_t w, int64_t w2);
void FlippedWordKey(const Value& v, std::string* out);

// The entry of a type. REQUIRES: a TypeId of the enum (every one has an entry).
const TypeInfo& TypeInfoOf(TypeId id);
// By pg_type.oid (the static entries, then the run-time ones of common/user_types.h); null if
// ActiveStore has no such type.
const TypeInfo* FindTypeByOid(uint32_t oid);
// Every static entry (base types, then their array types), in oid order; not the run-time
// entries of user types.
std::span<const TypeInfo> AllTypes();
// The SQL spellings of type names ("int", "int4", "integer", "character varying", ...),
// normalised to lower case with single spaces. Null if the name is unknown.
const TypeInfo* FindTypeByName(std::string_view normalized_name);

}  // namespace activestore
