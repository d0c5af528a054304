// jsonb: the binary form (format version 1, documented in docs/design/2026-12-06-jsonb.md),
// read in place by JsonbRef, written from a JsonNode by EncodeJsonb; PostgreSQL 15's output
// (JsonbToCString, jsonb_pretty), order (compareJsonbContainers), equality-consistent hash and
// containment (JsonbDeepContains).
//
//   value  = 0x01 node
//   node   = tag payload     (a payload's extent is given by its container, or the value's end)
//   0x00 null | 0x01 false | 0x02 true | 0x03 string bytes | 0x04 number (numeric_out text)
//   0x05 array  u32 n, u32 end[n], element nodes
//   0x06 object u32 n, u32 key_end[n], u32 value_end[n], key bytes, value nodes
//               (keys unique, sorted by length then bytes)
//
// Thread safety: stateless; a JsonbRef points into bytes its caller keeps alive.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/json.h"

namespace activestore {

extern const TypeMethods kJsonbMethods;

inline constexpr char kJsonbVersion = 1;

enum class JsonbKind : uint8_t { kNull, kFalse, kTrue, kString, kNumber, kArray, kObject };

// One node of a jsonb value.
class JsonbRef {
 public:
  // REQUIRES: node is a well-formed node (tag byte first).
  explicit JsonbRef(std::string_view node) : node_(node) {}

  JsonbKind kind() const { return static_cast<JsonbKind>(node_[0]); }
  bool IsContainer() const { return kind() == JsonbKind::kArray || kind() == JsonbKind::kObject; }
  // kString: the string; kNumber: the number's text.
  std::string_view str() const { return node_.substr(1); }
  // Array elements or object pairs; 0 for a scalar.
  uint32_t size() const;
  JsonbRef element(uint32_t i) const;      // REQUIRES: array, i < size()
  std::string_view key(uint32_t i) const;  // REQUIRES: object, i < size()
  JsonbRef value(uint32_t i) const;        // REQUIRES: object, i < size()
  // The value of `key` in an object (binary search); nullopt if absent or not an object.
  std::optional<JsonbRef> Find(std::string_view key) const;
  // The node's bytes (tag and payload).
  std::string_view bytes() const { return node_; }

 private:
  uint32_t U32(size_t at) const;
  std::string_view node_;
};

// The root node of a jsonb value; throws XX000 for an unknown format version.
JsonbRef JsonbRoot(std::string_view value);
// A jsonb value (version byte + node) holding `node`.
std::string JsonbValueOf(JsonbRef node);

// Encodes a parsed tree as a jsonb value: object keys sorted (length, then bytes), the last of
// equal keys kept, numbers through numeric (22P02 / 22003 as numeric_in).
std::string EncodeJsonb(const JsonNode& tree);
// Appends the node (no version byte).
void AppendJsonbNode(const JsonNode& tree, std::string* out);
// jsonb_in: parse and encode.
std::string JsonbFromText(std::string_view text);
// The node as a tree (keys in storage order, numbers as stored).
JsonNode JsonbToTree(JsonbRef node);

// JsonbToCString (`{"a": 1, "b": [1, 2]}`) or, with `pretty`, jsonb_pretty's indented form.
std::string JsonbToText(JsonbRef node, bool pretty = false);
void AppendJsonbText(JsonbRef node, std::string* out);
// The text a scalar prints as for ->> (strings without quotes); containers as JsonbToText.
std::string JsonbScalarText(JsonbRef node);

// PostgreSQL's jsonb order (compareJsonbContainers) over two values (blobs with version).
int CompareJsonb(std::string_view a, std::string_view b);
// Order of two nodes as PostgreSQL compares two containers' members.
int CompareJsonbNodes(JsonbRef a, JsonbRef b, bool a_top, bool b_top);
// Equal for values CompareJsonb calls equal (1.0 and 1); used for hashing and storage keys.
void AppendJsonbCanonical(JsonbRef node, std::string* out);
uint64_t HashJsonb(std::string_view value);
// a @> b (JsonbDeepContains with jsonb_contains' top-level rules).
bool JsonbContains(JsonbRef a, JsonbRef b);
// jsonb_typeof: "object", "array", "string", "number", "boolean", "null".
const char* JsonbTypeName(JsonbRef node);

}  // namespace activestore
