// Constants of the PostgreSQL v3 frontend/backend protocol: message type bytes, start-up
// request codes and size limits. No SQL meaning here.
#pragma once

#include <cstdint>

namespace activestore::frontend::pgwire {

// The length word of a message counts itself; a message longer than this (1 GB) is refused.
inline constexpr uint32_t kMaxMessageLength = 1u << 30;
// PostgreSQL's PQ_SMALL_MESSAGE_LIMIT: the longest message of a type that carries no query text,
// parameters or data (Sync, Flush, Terminate, Describe, Close, Execute, CopyDone, CopyFail).
inline constexpr uint32_t kMaxSmallMessageLength = 10000;
// PostgreSQL's PG_MAX_AUTH_TOKEN_LENGTH: a password or SASL message during authentication.
inline constexpr uint32_t kMaxAuthMessageLength = 65535;
// PostgreSQL's MAX_STARTUP_PACKET_LENGTH: the start-up packet, length word included.
inline constexpr uint32_t kMaxStartupPacketLength = 10000;

inline constexpr uint32_t kProtocolVersion3 = 196608;  // 3.0 as major << 16 | minor
inline constexpr uint32_t kSslRequestCode = 80877103;
inline constexpr uint32_t kGssEncRequestCode = 80877104;
inline constexpr uint32_t kCancelRequestCode = 80877102;

// Messages from the client (after start-up).
namespace fe {
inline constexpr char kQuery = 'Q';
inline constexpr char kParse = 'P';
inline constexpr char kBind = 'B';
inline constexpr char kDescribe = 'D';
inline constexpr char kExecute = 'E';
inline constexpr char kSync = 'S';
inline constexpr char kFlush = 'H';
inline constexpr char kClose = 'C';
inline constexpr char kTerminate = 'X';
inline constexpr char kCopyData = 'd';
inline constexpr char kCopyDone = 'c';
inline constexpr char kCopyFail = 'f';
inline constexpr char kFunctionCall = 'F';
inline constexpr char kPassword = 'p';  // also SASLInitialResponse and SASLResponse

// The longest message of `type` accepted (PostgreSQL's limits): query text, statements,
// parameters, data and function calls may be long; the rest is small.
inline constexpr uint32_t MaxMessageLength(char type) {
  switch (type) {
    case kQuery:
    case kParse:
    case kBind:
    case kCopyData:
    case kFunctionCall:
      return kMaxMessageLength;
    case kPassword:
      return kMaxAuthMessageLength;
    default:
      return kMaxSmallMessageLength;
  }
}
}  // namespace fe

// Messages from the server.
namespace be {
inline constexpr char kAuthentication = 'R';
inline constexpr char kParameterStatus = 'S';
inline constexpr char kBackendKeyData = 'K';
inline constexpr char kReadyForQuery = 'Z';
inline constexpr char kRowDescription = 'T';
inline constexpr char kDataRow = 'D';
inline constexpr char kCommandComplete = 'C';
inline constexpr char kEmptyQueryResponse = 'I';
inline constexpr char kErrorResponse = 'E';
inline constexpr char kNoticeResponse = 'N';
inline constexpr char kParseComplete = '1';
inline constexpr char kBindComplete = '2';
inline constexpr char kCloseComplete = '3';
inline constexpr char kParameterDescription = 't';
inline constexpr char kNoData = 'n';
inline constexpr char kPortalSuspended = 's';
inline constexpr char kCopyInResponse = 'G';
inline constexpr char kCopyOutResponse = 'H';
inline constexpr char kCopyBothResponse = 'W';
inline constexpr char kCopyData = 'd';
inline constexpr char kCopyDone = 'c';
inline constexpr char kNegotiateProtocolVersion = 'v';
inline constexpr char kNotificationResponse = 'A';
}  // namespace be

}  // namespace activestore::frontend::pgwire
