// Decoding of the client's messages (start-up packet and the v3 messages) from their bytes.
// Only framing and field layout: no SQL meaning.
//
// Every Decode* function takes the message body (the bytes after the type byte and length
// word) and returns the message or Error 08P01 (protocol_violation) with PostgreSQL's wording
// for a malformed body. Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"

namespace activestore::frontend::pgwire {

// Reads the fields of a message body, checking bounds. Throws Error 08P01 when the body is
// shorter than the fields read or a string is not NUL-terminated.
class BodyReader {
 public:
  explicit BodyReader(std::string_view body) : body_(body) {}

  int16_t Int16();
  int32_t Int32();
  uint32_t UInt32() { return static_cast<uint32_t>(Int32()); }
  char Byte();
  std::string CString();
  std::string_view Bytes(size_t n);
  size_t remaining() const { return body_.size() - pos_; }
  // Throws 08P01 `invalid message format` if bytes are left over.
  void ExpectEnd() const;

 private:
  std::string_view body_;
  size_t pos_ = 0;
};

// The first packet of a connection.
struct StartupPacket {
  enum class Kind { kStartup, kSslRequest, kGssEncRequest, kCancel };
  Kind kind = Kind::kStartup;
  uint16_t major = 0;
  uint16_t minor = 0;
  std::vector<std::pair<std::string, std::string>> params;  // kStartup: name/value pairs
  int32_t cancel_pid = 0;                                   // kCancel
  int32_t cancel_secret = 0;                                // kCancel
};

// `body` is the packet after its length word. An unknown protocol version still decodes
// (the caller answers it); a malformed parameter list is 08P01.
Result<StartupPacket> DecodeStartupPacket(std::string_view body);

struct ParseMessage {
  std::string name;
  std::string query;
  std::vector<uint32_t> param_types;
};

struct BindMessage {
  std::string portal;
  std::string statement;
  std::vector<int16_t> param_formats;  // empty (all text), one (for all), or one per param
  std::vector<std::optional<std::string>> params;  // nullopt: NULL
  std::vector<int16_t> result_formats;  // empty (all text), one (for all), or one per column
};

struct DescribeMessage {
  char kind = 'S';  // 'S' statement or 'P' portal
  std::string name;
};

struct ExecuteMessage {
  std::string portal;
  int32_t max_rows = 0;  // 0: no limit
};

struct CloseMessage {
  char kind = 'S';  // 'S' statement or 'P' portal
  std::string name;
};

Result<std::string> DecodeQuery(std::string_view body);
Result<ParseMessage> DecodeParse(std::string_view body);
Result<BindMessage> DecodeBind(std::string_view body);
Result<DescribeMessage> DecodeDescribe(std::string_view body);
Result<ExecuteMessage> DecodeExecute(std::string_view body);
Result<CloseMessage> DecodeClose(std::string_view body);
// CopyFail: the client's error message.
Result<std::string> DecodeCopyFail(std::string_view body);

// The format code of column/parameter `i` given the list sent in Bind (empty: text, one: for
// all). REQUIRES: formats.size() is 0, 1, or > i.
inline int16_t FormatFor(const std::vector<int16_t>& formats, size_t i) {
  if (formats.empty()) return 0;
  return formats.size() == 1 ? formats[0] : formats[i];
}

}  // namespace activestore::frontend::pgwire
