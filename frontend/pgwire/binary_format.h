// Conversion between PostgreSQL's binary wire format and the text format the engine speaks,
// for the types whose binary form the frontend supports (see BinaryFormatSupported).
//
// The engine only deals in text: binary parameters are turned into text before Execute, and
// result columns the client asked for in binary are converted from the engine's text output.
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace activestore::frontend::pgwire {

// Type OIDs used here (pg_type.oid).
namespace oid {
inline constexpr uint32_t kBool = 16;
inline constexpr uint32_t kBytea = 17;
inline constexpr uint32_t kName = 19;
inline constexpr uint32_t kInt8 = 20;
inline constexpr uint32_t kInt2 = 21;
inline constexpr uint32_t kInt4 = 23;
inline constexpr uint32_t kText = 25;
inline constexpr uint32_t kOid = 26;
// The reg* types (common/reg_types.h): an oid's binary form.
inline constexpr uint32_t kRegClass = 2205;
inline constexpr uint32_t kRegType = 2206;
inline constexpr uint32_t kRegNamespace = 4089;
inline constexpr uint32_t kRegRole = 4096;
inline constexpr uint32_t kJson = 114;
inline constexpr uint32_t kJsonb = 3802;     // jsonb_send: version byte 1, then the text
inline constexpr uint32_t kJsonpath = 4072;  // jsonpath_send: the same
inline constexpr uint32_t kFloat4 = 700;
inline constexpr uint32_t kFloat8 = 701;
inline constexpr uint32_t kUnknown = 705;
inline constexpr uint32_t kBpchar = 1042;
inline constexpr uint32_t kVarchar = 1043;
inline constexpr uint32_t kDate = 1082;
inline constexpr uint32_t kTime = 1083;
inline constexpr uint32_t kTimestamp = 1114;
inline constexpr uint32_t kTimestampTz = 1184;
inline constexpr uint32_t kInterval = 1186;
inline constexpr uint32_t kTimeTz = 1266;
inline constexpr uint32_t kNumeric = 1700;
inline constexpr uint32_t kUuid = 2950;
inline constexpr uint32_t kVoid = 2278;
inline constexpr uint32_t kChar = 18;
inline constexpr uint32_t kMoney = 790;
inline constexpr uint32_t kBit = 1560;
inline constexpr uint32_t kVarbit = 1562;
inline constexpr uint32_t kPoint = 600;  // point_send: float8 x, float8 y
}  // namespace oid

// True if values of `type_oid` can be sent and received in binary format.
bool BinaryFormatSupported(uint32_t type_oid);

// The size of the binary form of fixed-size types (int4: 4), or nullopt for variable-size ones.
std::optional<size_t> BinaryFixedSize(uint32_t type_oid);

// numeric_send: int16 ndigits, int16 weight, uint16 sign (0x0000 +, 0x4000 -, 0xC000 NaN,
// 0xD000 Infinity, 0xF000 -Infinity), uint16 dscale, then ndigits base-10000 digits, from the
// numeric's text form ("-12.3400", "NaN", "Infinity"). nullopt if `text` is not one.
std::optional<std::string> NumericTextToBinary(std::string_view text);
// numeric_recv: the text form of a binary numeric, with dscale digits after the point (digits
// beyond dscale are truncated away, as PostgreSQL does). nullopt for a bad length, sign, digit
// or scale.
std::optional<std::string> NumericBinaryToText(std::string_view data);

// The binary form of `text` (PostgreSQL text output of a `type_oid` value, DateStyle ISO).
// nullopt if the type is unsupported or the text is not a valid value of it.
std::optional<std::string> TextToBinary(uint32_t type_oid, std::string_view text);

// The text form of the binary value `data`, as the engine's input functions accept it.
// nullopt if the type is unsupported or `data` is not a valid binary value (wrong length).
std::optional<std::string> BinaryToText(uint32_t type_oid, std::string_view data);

}  // namespace activestore::frontend::pgwire
