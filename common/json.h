// The json type's text: PostgreSQL 15's JSON parser (src/common/jsonapi.c) with its exact errors,
// the parsed tree the json functions and the jsonb encoder work on, and escape_json.
// docs/design/2026-12-06-jsonb.md describes both json types.
//
// Thread safety: stateless.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/types.h"

namespace activestore {

inline constexpr TypeId kJsonType = TypeId{114};
inline constexpr TypeId kJsonArrayType = TypeId{199};
inline constexpr TypeId kJsonbType = TypeId{3802};
inline constexpr TypeId kJsonbArrayType = TypeId{3807};

struct TypeMethods;
extern const TypeMethods kJsonMethods;

// A parsed JSON value. Objects keep their keys in input order with duplicates (json's view);
// the jsonb encoder (common/jsonb.h) sorts them and keeps the last of equal keys.
struct JsonNode {
  enum class Kind : uint8_t { kNull, kFalse, kTrue, kString, kNumber, kArray, kObject };
  Kind kind = Kind::kNull;
  std::string text;               // kString: the unescaped value; kNumber: the token as written
  std::vector<JsonNode> items;    // kArray: elements; kObject: values
  std::vector<std::string> keys;  // kObject: keys (unescaped), parallel to items
  // The value's bytes in the parsed text [begin, end) (json's -> returns them as written).
  uint32_t begin = 0;
  uint32_t end = 0;

  bool IsScalar() const { return kind != Kind::kArray && kind != Kind::kObject; }
  static JsonNode String(std::string s) {
    JsonNode n;
    n.kind = Kind::kString;
    n.text = std::move(s);
    return n;
  }
  static JsonNode Number(std::string s) {
    JsonNode n;
    n.kind = Kind::kNumber;
    n.text = std::move(s);
    return n;
  }
  static JsonNode Bool(bool b) {
    JsonNode n;
    n.kind = b ? Kind::kTrue : Kind::kFalse;
    return n;
  }
};

// Parses `text`. With `unescape` (jsonb, and json functions that read strings) string values
// are unescaped and the Unicode escapes checked as PostgreSQL does with need_escapes (surrogate
// pairs, \u0000 is 22P05); without it only the syntax is checked (json_in). Errors: 22P02
// `invalid input syntax for type json` with PostgreSQL's DETAIL and CONTEXT; 54001 when
// nested too deeply.
JsonNode ParseJson(std::string_view text, bool unescape);

// json_in: throws as ParseJson(text, false) for bad input.
void ValidateJson(std::string_view text);

// escape_json: `"` + the string with `"`, `\`, and control characters escaped + `"`.
void AppendJsonString(std::string_view s, std::string* out);

}  // namespace activestore
