// The jsonpath type: the SQL/JSON path language as PostgreSQL 15 has it. Text input through the
// ANTLR grammar in grammar/JsonPath{Lexer,Parser}.g4 (common/jsonpath_parse.cpp) into a compact
// binary form (below) that is the stored value; PostgreSQL's canonical text output; and the
// evaluator behind jsonb_path_query and friends (common/jsonpath_exec.cpp).
// docs/design/2026-12-06-jsonpath.md describes the format and the evaluation rules.
//
//   value = 0x01 (format version) | u8 flags (bit 0: strict) | u32 root (the root item's offset)
//           | items
//   item  = u8 op | u32 next (offset of the next accessor of the chain; 0: none) | payload
//   payload by op:
//     kString kKey kVariable kNumeric   u32 len | bytes (kNumeric: numeric_out text)
//     kBool                             u8 0/1
//     binary (kAnd..kStartsWith, kAdd..kMod)   u32 left | u32 right
//     kNot kIsUnknown kExists kFilter kPlus kMinus   u32 arg
//     kIndexArray                       u32 n | n x (u32 from | u32 to, 0: not a range)
//     kAny                              u32 first | u32 last (kAnyLast: "last")
//     kLikeRegex                        u32 expr | u32 flags | u32 len | pattern bytes
//     kDatetime                         u32 template (a kString item; 0: none)
//     the rest                          nothing
//   Offsets are from the start of the value; u32 is little-endian.
//
// Thread safety: stateless; a JsonPathItem points into bytes its caller keeps alive.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/types.h"

namespace activestore {

inline constexpr TypeId kJsonpathType = TypeId{4072};
inline constexpr TypeId kJsonpathArrayType = TypeId{4073};

struct TypeMethods;
extern const TypeMethods kJsonpathMethods;

inline constexpr char kJsonpathVersion = 1;
inline constexpr uint32_t kAnyLast = 0xFFFFFFFFu;

enum class JsonPathOp : uint8_t {
  kNull,
  kString,
  kNumeric,
  kBool,
  kAnd,
  kOr,
  kNot,
  kIsUnknown,
  kEqual,
  kNotEqual,
  kLess,
  kGreater,
  kLessOrEqual,
  kGreaterOrEqual,
  kStartsWith,
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMod,
  kPlus,
  kMinus,
  kAnyArray,
  kAnyKey,
  kIndexArray,
  kAny,
  kKey,
  kCurrent,
  kRoot,
  kVariable,
  kFilter,
  kExists,
  kType,
  kSize,
  kAbs,
  kFloor,
  kCeiling,
  kDouble,
  kDatetime,
  kKeyValue,
  kLast,
  kLikeRegex,
};

// like_regex flags (the order PostgreSQL prints them in).
inline constexpr uint32_t kRegexICase = 1;   // i
inline constexpr uint32_t kRegexDotAll = 2;  // s
inline constexpr uint32_t kRegexMLine = 4;   // m
inline constexpr uint32_t kRegexWSpace = 8;  // x
inline constexpr uint32_t kRegexQuote = 16;  // q

// One item of a jsonpath value, read in place.
class JsonPathItem {
 public:
  JsonPathItem(std::string_view value, uint32_t at) : v_(value), at_(at) {}

  JsonPathOp op() const { return static_cast<JsonPathOp>(v_[at_]); }
  bool HasNext() const { return U32(1) != 0; }
  JsonPathItem Next() const { return JsonPathItem(v_, U32(1)); }
  // Binary operators.
  JsonPathItem Left() const { return JsonPathItem(v_, U32(5)); }
  JsonPathItem Right() const { return JsonPathItem(v_, U32(9)); }
  // Unary operators, kFilter, kExists, kLikeRegex's expression.
  JsonPathItem Arg() const { return JsonPathItem(v_, U32(5)); }
  // kString, kKey, kVariable: the (unescaped) string; kNumeric: the number's text.
  std::string_view Str() const { return v_.substr(at_ + 9, U32(5)); }
  bool Bool() const { return v_[at_ + 5] != 0; }
  uint32_t IndexCount() const { return U32(5); }
  JsonPathItem IndexFrom(uint32_t i) const { return JsonPathItem(v_, U32(9 + 8 * i)); }
  std::optional<JsonPathItem> IndexTo(uint32_t i) const {
    const uint32_t to = U32(13 + 8 * i);
    if (to == 0) return std::nullopt;
    return JsonPathItem(v_, to);
  }
  uint32_t AnyFirst() const { return U32(5); }
  uint32_t AnyLast() const { return U32(9); }
  uint32_t RegexFlags() const { return U32(9); }
  std::string_view RegexPattern() const { return v_.substr(at_ + 17, U32(13)); }
  std::optional<JsonPathItem> DatetimeTemplate() const {
    const uint32_t t = U32(5);
    if (t == 0) return std::nullopt;
    return JsonPathItem(v_, t);
  }
  uint32_t offset() const { return at_; }

 private:
  uint32_t U32(uint32_t rel) const;
  std::string_view v_;
  uint32_t at_;
};

// The root item of a jsonpath value; throws XX000 for an unknown format version.
JsonPathItem JsonPathRoot(std::string_view value);
bool JsonPathIsStrict(std::string_view value);

// jsonpath_in: parse `text` into the binary form. Errors as PostgreSQL 15's: 42601 `syntax
// error at or near "x" of jsonpath input` (and the lexer's own messages), `@ is not allowed in
// root expressions`, `LAST is allowed only in array subscripts`; 42601 with a DETAIL for a bad
// like_regex flag, 0A000 for the x flag, 2201B for a bad regular expression; 22P02 `invalid
// input syntax for type jsonpath: ""` for empty input.
std::string JsonPathFromText(std::string_view text);
// jsonpath_out: PostgreSQL's canonical text.
std::string JsonPathToText(std::string_view value);
// The regular-expression compile flags of like_regex flags (jspConvertRegexFlags); 0A000 for x.
int JsonPathRegexCflags(uint32_t flags);
// The name of an operator or method as errors show it ("+", "size", "keyvalue").
const char* JsonPathOpName(JsonPathOp op);

// Builds the binary form (the parser's back end; also used by tests).
class JsonPathWriter {
 public:
  JsonPathWriter();
  // Appends an item with its payload; returns its offset.
  uint32_t Item(JsonPathOp op);
  uint32_t StringItem(JsonPathOp op, std::string_view s);
  uint32_t BoolItem(bool b);
  uint32_t Binary(JsonPathOp op, uint32_t left, uint32_t right);
  uint32_t Unary(JsonPathOp op, uint32_t arg);
  uint32_t IndexArray(const std::vector<std::pair<uint32_t, uint32_t>>& subscripts);
  uint32_t Any(uint32_t first, uint32_t last);
  uint32_t LikeRegex(uint32_t expr, uint32_t flags, std::string_view pattern);
  uint32_t Datetime(uint32_t template_item);
  // Sets the next accessor of `item`.
  void SetNext(uint32_t item, uint32_t next);
  uint32_t NextOf(uint32_t item) const;
  JsonPathOp OpOf(uint32_t item) const { return static_cast<JsonPathOp>(buf_[item]); }
  // The finished value with `root` as its root item.
  std::string Finish(uint32_t root, bool strict);

 private:
  void Put32(uint32_t v);
  std::string buf_;
};

}  // namespace activestore
