#include "common/bytea.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <climits>

#include "common/error.h"
#include "common/type_registry.h"
#include "common/utf8.h"
#include "common/value_ops.h"

namespace activestore {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr char kBase64Digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsHexSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

bool IsOctal(char c, char max = '7') { return c >= '0' && c <= max; }

// The length of the UTF-8 character starting at s[0] (1 for a stray byte), as PostgreSQL's
// pg_mblen quotes a bad character in its messages.
size_t CharLength(std::string_view s) {
  unsigned char c = static_cast<unsigned char>(s[0]);
  size_t n = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
  return std::min(n, s.size());
}

std::string HexDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size() / 2);
  for (size_t p = 0; p < s.size();) {
    if (IsHexSpace(s[p])) {
      ++p;
      continue;
    }
    int hi = HexDigit(s[p]);
    if (hi < 0) {
      Throw(SqlState::kInvalidParameterValue, "invalid hexadecimal digit: \"{}\"",
            s.substr(p, CharLength(s.substr(p))));
    }
    if (++p >= s.size()) {
      Throw(SqlState::kInvalidParameterValue, "invalid hexadecimal data: odd number of digits");
    }
    int lo = HexDigit(s[p]);
    if (lo < 0) {
      Throw(SqlState::kInvalidParameterValue, "invalid hexadecimal digit: \"{}\"",
            s.substr(p, CharLength(s.substr(p))));
    }
    ++p;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

std::string HexEncode(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kHexDigits[c >> 4]);
    out.push_back(kHexDigits[c & 15]);
  }
  return out;
}

void AppendOctal(unsigned char c, std::string* out) {
  out->push_back('\\');
  out->push_back(static_cast<char>('0' + (c >> 6)));
  out->push_back(static_cast<char>('0' + ((c >> 3) & 7)));
  out->push_back(static_cast<char>('0' + (c & 7)));
}

// The escape form shared by byteain and decode(..., 'escape'): `\\` is a backslash, `\ooo`
// (first digit 0-3) an octal byte; any other backslash is 22P02.
std::string EscapeDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t p = 0; p < s.size();) {
    if (s[p] != '\\') {
      out.push_back(s[p++]);
    } else if (p + 3 < s.size() && IsOctal(s[p + 1], '3') && IsOctal(s[p + 2]) &&
               IsOctal(s[p + 3])) {
      out.push_back(
          static_cast<char>(((s[p + 1] - '0') << 6) | ((s[p + 2] - '0') << 3) | (s[p + 3] - '0')));
      p += 4;
    } else if (p + 1 < s.size() && s[p + 1] == '\\') {
      out.push_back('\\');
      p += 2;
    } else {
      Throw(SqlState::kInvalidTextRepresentation, "invalid input syntax for type bytea");
    }
  }
  return out;
}

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 4 / 3 + bytes.size() / 57 + 4);
  size_t line = 0;  // characters on the current line; PostgreSQL breaks lines at 76
  uint32_t acc = 0;
  int have = 0;
  for (unsigned char c : bytes) {
    acc = (acc << 8) | c;
    if (++have == 3) {
      for (int shift = 18; shift >= 0; shift -= 6)
        out.push_back(kBase64Digits[(acc >> shift) & 63]);
      line += 4;
      acc = 0;
      have = 0;
    }
    if (line >= 76) {
      out.push_back('\n');
      line = 0;
    }
  }
  if (have > 0) {
    acc <<= 8 * (3 - have);
    out.push_back(kBase64Digits[(acc >> 18) & 63]);
    out.push_back(kBase64Digits[(acc >> 12) & 63]);
    out.push_back(have == 2 ? kBase64Digits[(acc >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

int Base64Digit(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

std::string Base64Decode(std::string_view s) {
  std::string out;
  out.reserve(s.size() * 3 / 4);
  uint32_t acc = 0;
  int have = 0;     // sextets in acc
  int padding = 0;  // '=' seen: the group ends with 1 or 2 missing bytes
  for (size_t p = 0; p < s.size(); ++p) {
    char c = s[p];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    int d = 0;
    if (c == '=') {
      if (padding == 0) {
        if (have == 2 || have == 3) {
          padding = 4 - have;
        } else {
          Throw(SqlState::kInvalidParameterValue,
                "unexpected \"=\" while decoding base64 sequence");
        }
      }
    } else {
      d = Base64Digit(c);
      if (d < 0) {
        Throw(SqlState::kInvalidParameterValue,
              "invalid symbol \"{}\" found while decoding base64 sequence",
              s.substr(p, CharLength(s.substr(p))));
      }
    }
    acc = (acc << 6) | static_cast<uint32_t>(d);
    if (++have == 4) {
      out.push_back(static_cast<char>(acc >> 16));
      if (padding == 0 || padding == 1) out.push_back(static_cast<char>(acc >> 8));
      if (padding == 0) out.push_back(static_cast<char>(acc));
      acc = 0;
      have = 0;
    }
  }
  if (have != 0) {
    throw Error(SqlState::kInvalidParameterValue, "invalid base64 end sequence")
        .Hint("Input data is missing padding, is truncated, or is otherwise corrupted.");
  }
  return out;
}

// encode(..., 'escape'): NUL and bytes with the high bit set as \ooo, a backslash doubled.
std::string EscapeEncode(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (unsigned char c : bytes) {
    if (c == 0 || c >= 0x80) {
      AppendOctal(c, &out);
    } else if (c == '\\') {
      out += "\\\\";
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

enum class Format { kHex, kBase64, kEscape };

Format FormatOf(std::string_view name) {
  std::string l;
  for (char c : name) l.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (l == "hex") return Format::kHex;
  if (l == "base64") return Format::kBase64;
  if (l == "escape") return Format::kEscape;
  Throw(SqlState::kInvalidParameterValue, "unrecognized encoding: \"{}\"", name);
}

[[noreturn]] void ThrowOutOfRange(int64_t n, size_t limit) {
  Throw(SqlState::kArraySubscriptError, "index {} out of valid range, 0..{}", n,
        static_cast<int64_t>(limit) - 1);
}

// PostgreSQL's encoding names (pg_enc2name_tbl, normalised: lower case without '-' and '_').
bool IsUtf8Name(const std::string& n) { return n == "utf8" || n == "unicode"; }
bool IsKnownEncoding(const std::string& n) {
  static constexpr std::array<std::string_view, 44> kNames = {
      "sqlascii", "eucjp",   "euccn",   "euckr",   "euctw",    "eucjis2004", "mule",
      "internal", "latin1",  "latin2",  "latin3",  "latin4",   "latin5",     "latin6",
      "latin7",   "latin8",  "latin9",  "latin10", "win1256",  "win1258",    "win866",
      "win874",   "koi8r",   "win1251", "win1252", "iso88595", "iso88596",   "iso88597",
      "iso88598", "win1250", "win1253", "win1254", "win1255",  "win1257",    "koi8u",
      "sjis",     "big5",    "gbk",     "uhc",     "gb18030",  "johab",      "shiftjis2004",
      "alt",      "win"};
  return std::find(kNames.begin(), kNames.end(), n) != kNames.end();
}

std::string NormalizedEncoding(std::string_view name) {
  std::string n;
  for (char c : name) {
    if (c == '-' || c == '_') continue;
    n.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return n;
}

// REQUIRES: the encoding named is not UTF8. 22023 for an unknown name, 0A000 otherwise.
[[noreturn]] void ThrowEncoding(std::string_view name, const char* role) {
  if (!IsKnownEncoding(NormalizedEncoding(name))) {
    Throw(SqlState::kInvalidParameterValue, "invalid {} encoding name \"{}\"", role, name);
  }
  Throw(SqlState::kFeatureNotSupported, "conversion to or from encoding \"{}\" is not supported",
        name);
}

void ByteaIn(std::string_view text, const FormatOptions&, Value* out) { out->s = ParseBytea(text); }

std::string ByteaOut(const Value& v, const FormatOptions& opts) {
  return FormatBytea(v.s, opts.bytea_output);
}

void ByteaKey(const Value& v, std::string* out) { out->append(v.s); }

}  // namespace

const TypeMethods kByteaMethods = {ByteaIn, ByteaOut, nullptr, nullptr, ByteaKey};

std::string ParseBytea(std::string_view text) {
  if (text.size() >= 2 && text[0] == '\\' && text[1] == 'x') return HexDecode(text.substr(2));
  return EscapeDecode(text);
}

std::string FormatBytea(std::string_view bytes, ByteaOutput style) {
  if (style == ByteaOutput::kHex) return "\\x" + HexEncode(bytes);
  std::string out;
  out.reserve(bytes.size());
  for (unsigned char c : bytes) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c < 0x20 || c > 0x7e) {
      AppendOctal(c, &out);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

std::string EncodeBytes(std::string_view bytes, std::string_view format) {
  switch (FormatOf(format)) {
    case Format::kHex:
      return HexEncode(bytes);
    case Format::kBase64:
      return Base64Encode(bytes);
    case Format::kEscape:
      break;
  }
  return EscapeEncode(bytes);
}

std::string DecodeBytes(std::string_view text, std::string_view format) {
  switch (FormatOf(format)) {
    case Format::kHex:
      return HexDecode(text);
    case Format::kBase64:
      return Base64Decode(text);
    case Format::kEscape:
      break;
  }
  return EscapeDecode(text);
}

int32_t ByteaGetByte(std::string_view bytes, int64_t n) {
  if (n < 0 || static_cast<uint64_t>(n) >= bytes.size()) ThrowOutOfRange(n, bytes.size());
  return static_cast<unsigned char>(bytes[static_cast<size_t>(n)]);
}

std::string ByteaSetByte(std::string_view bytes, int64_t n, int64_t value) {
  if (n < 0 || static_cast<uint64_t>(n) >= bytes.size()) ThrowOutOfRange(n, bytes.size());
  std::string out(bytes);
  out[static_cast<size_t>(n)] = static_cast<char>(value);
  return out;
}

int32_t ByteaGetBit(std::string_view bytes, int64_t n) {
  if (n < 0 || static_cast<uint64_t>(n) >= bytes.size() * 8) ThrowOutOfRange(n, bytes.size() * 8);
  return (static_cast<unsigned char>(bytes[static_cast<size_t>(n / 8)]) >> (n % 8)) & 1;
}

std::string ByteaSetBit(std::string_view bytes, int64_t n, int64_t bit) {
  if (n < 0 || static_cast<uint64_t>(n) >= bytes.size() * 8) ThrowOutOfRange(n, bytes.size() * 8);
  if (bit != 0 && bit != 1) Throw(SqlState::kInvalidParameterValue, "new bit must be 0 or 1");
  std::string out(bytes);
  char& b = out[static_cast<size_t>(n / 8)];
  const int mask = 1 << (n % 8);
  b = static_cast<char>(bit ? (b | mask) : (b & ~mask));
  return out;
}

std::string ByteaSubstring(std::string_view bytes, int64_t start, std::optional<int64_t> count) {
  if (count && *count < 0) {
    Throw(SqlState::kSubstringError, "negative substring length not allowed");
  }
  // [start, start + count) in 1-based positions, clipped to [1, size].
  const int64_t size = static_cast<int64_t>(bytes.size());
  int64_t from = std::max<int64_t>(start, 1);
  int64_t to = !count ? size + 1 : (start > INT64_MAX - *count ? INT64_MAX : start + *count);
  to = std::min(to, size + 1);
  if (to <= from) return {};
  return std::string(bytes.substr(static_cast<size_t>(from - 1), static_cast<size_t>(to - from)));
}

int32_t ByteaPosition(std::string_view bytes, std::string_view pattern) {
  size_t p = bytes.find(pattern);
  return p == std::string_view::npos ? 0 : static_cast<int32_t>(p + 1);
}

std::string ByteaOverlay(std::string_view bytes, std::string_view repl, int64_t start,
                         std::optional<int64_t> count) {
  const int64_t n = count ? *count : static_cast<int64_t>(repl.size());
  if (start <= 0) Throw(SqlState::kSubstringError, "negative substring length not allowed");
  std::string out = ByteaSubstring(bytes, 1, start - 1);
  out.append(repl);
  out += ByteaSubstring(bytes, start + n);
  return out;
}

std::string ByteaTrim(std::string_view bytes, std::string_view set, bool left, bool right) {
  size_t b = 0, e = bytes.size();
  if (left) {
    while (b < e && set.find(bytes[b]) != std::string_view::npos) ++b;
  }
  if (right) {
    while (e > b && set.find(bytes[e - 1]) != std::string_view::npos) --e;
  }
  return std::string(bytes.substr(b, e - b));
}

std::string ByteaDigest(std::string_view bytes, std::string_view algorithm) {
  const EVP_MD* md = algorithm == "md5"      ? EVP_md5()
                     : algorithm == "sha224" ? EVP_sha224()
                     : algorithm == "sha256" ? EVP_sha256()
                     : algorithm == "sha384" ? EVP_sha384()
                                             : EVP_sha512();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &len, md, nullptr) != 1) {
    Throw(SqlState::kInternalError, "could not compute {} hash", algorithm);
  }
  return std::string(reinterpret_cast<const char*>(digest), len);
}

std::string ConvertTo(std::string_view text, std::string_view encoding) {
  if (!IsUtf8Name(NormalizedEncoding(encoding))) ThrowEncoding(encoding, "destination");
  return std::string(text);
}

std::string ConvertFrom(std::string_view bytes, std::string_view encoding) {
  if (!IsUtf8Name(NormalizedEncoding(encoding))) ThrowEncoding(encoding, "source");
  CheckUtf8(bytes);
  return std::string(bytes);
}

}  // namespace activestore
