// bytea: PostgreSQL's variable-length binary string. A value is its raw bytes (Value::s, the
// vector's `strs`); order is memcmp, then length, as PostgreSQL's byteacmp. Text input in the
// hex (`\x0102`) and escape (`abc\\000`) forms, output per bytea_output, encode/decode (hex,
// base64, escape), and the byte-string functions of PostgreSQL 15's chapter 9.5. Stateless and
// thread-safe.
//
// Errors (PostgreSQL's wording): 22P02 `invalid input syntax for type bytea`, 22023
// `invalid hexadecimal digit: "x"` / `invalid hexadecimal data: odd number of digits` /
// base64 and `unrecognized encoding: "x"`, 2202E `index 9 out of valid range, 0..3`,
// 22011 `negative substring length not allowed`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace activestore {

struct TypeMethods;

enum class ByteaOutput { kHex, kEscape };

// byteain: `\x` followed by hex digit pairs (whitespace between pairs allowed), otherwise the
// escape form (`\\` and `\ooo` octal, every other byte as is).
std::string ParseBytea(std::string_view text);
// byteaout: `\x` and lowercase hex, or the escape form (`\\`, `\ooo` for bytes outside
// 0x20..0x7e).
std::string FormatBytea(std::string_view bytes, ByteaOutput style);

// encode(bytes, format) / decode(text, format) for "hex", "base64" and "escape".
std::string EncodeBytes(std::string_view bytes, std::string_view format);
std::string DecodeBytes(std::string_view text, std::string_view format);

// get_byte / set_byte (n counts bytes from 0) and get_bit / set_bit (n counts bits from 0,
// least significant bit of each byte first). 2202E when n is out of range; set_bit 22023 when
// bit is not 0 or 1.
int32_t ByteaGetByte(std::string_view bytes, int64_t n);
std::string ByteaSetByte(std::string_view bytes, int64_t n, int64_t value);
int32_t ByteaGetBit(std::string_view bytes, int64_t n);
std::string ByteaSetBit(std::string_view bytes, int64_t n, int64_t bit);

// substring(bytes from start [for count]) with SQL's 1-based start (count < 0: 22011);
// no count means "to the end".
std::string ByteaSubstring(std::string_view bytes, int64_t start,
                           std::optional<int64_t> count = std::nullopt);
// position(pattern in bytes): 1-based, 0 if absent, 1 for an empty pattern.
int32_t ByteaPosition(std::string_view bytes, std::string_view pattern);
// overlay(bytes placing repl from start [for count]); no count means length(repl). 22011 when
// start < 1.
std::string ByteaOverlay(std::string_view bytes, std::string_view repl, int64_t start,
                         std::optional<int64_t> count = std::nullopt);
// btrim/ltrim/rtrim(bytes, set): removes the bytes of `set` from the chosen ends.
std::string ByteaTrim(std::string_view bytes, std::string_view set, bool left, bool right);

// The digest of `bytes` with OpenSSL: "md5", "sha224", "sha256", "sha384", "sha512".
std::string ByteaDigest(std::string_view bytes, std::string_view algorithm);

// convert_to(text, encoding) / convert_from(bytes, encoding): UTF8 (and its aliases) only.
// 22023 for an unknown encoding name, 0A000 for another PostgreSQL encoding, 22021 for bytes
// that are not valid UTF-8 in convert_from.
std::string ConvertTo(std::string_view text, std::string_view encoding);
std::string ConvertFrom(std::string_view bytes, std::string_view encoding);

// The registry hooks of bytea (in/out through bytea_output, byte order, key bytes).
extern const TypeMethods kByteaMethods;

}  // namespace activestore
