// Encoding of the server's messages into an output buffer. Only framing and field layout.
//
// Thread safety: a MessageWriter appends to one caller-owned buffer; use from one thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace activestore::frontend::pgwire {

// One column of a RowDescription.
struct FieldDescription {
  std::string name;
  uint32_t table_oid = 0;
  int16_t column_attnum = 0;
  uint32_t type_oid = 25;
  int16_t type_len = -1;
  int32_t type_mod = -1;
  int16_t format = 0;  // 0 text, 1 binary
};

// Appends backend messages to `*out` (not owned; must outlive the writer).
class MessageWriter {
 public:
  explicit MessageWriter(std::string* out) : out_(out) {}

  void AuthenticationOk();
  // Password authentication requests (AuthenticationCleartextPassword, ...MD5Password with its
  // salt, ...SASL with the mechanisms offered, ...SASLContinue and ...SASLFinal with their data).
  void AuthenticationCleartextPassword();
  void AuthenticationMd5Password(std::string_view salt);
  void AuthenticationSasl(const std::vector<std::string>& mechanisms);
  void AuthenticationSaslContinue(std::string_view data);
  void AuthenticationSaslFinal(std::string_view data);
  void ParameterStatus(std::string_view name, std::string_view value);
  void BackendKeyData(int32_t pid, int32_t secret);
  void NotificationResponse(int32_t pid, std::string_view channel, std::string_view payload);
  void ReadyForQuery(char txn_status);
  void RowDescription(const std::vector<FieldDescription>& fields);
  void DataRow(const std::vector<std::optional<std::string>>& values);
  void CommandComplete(std::string_view tag);
  void EmptyQueryResponse();
  // ErrorResponse with S/V = `severity` ("ERROR", "FATAL"), C, M, and D H P s t c n when set.
  void ErrorResponse(const Error& error, std::string_view severity);
  // `detail` and `hint` are sent as the D and H fields when not empty, `position` as P when
  // above 0.
  void NoticeResponse(std::string_view severity, std::string_view sqlstate,
                      std::string_view message, std::string_view detail = {},
                      std::string_view hint = {}, int position = 0);
  void ParseComplete();
  void BindComplete();
  void CloseComplete();
  void ParameterDescription(const std::vector<uint32_t>& type_oids);
  void NoData();
  void PortalSuspended();
  void CopyInResponse(int16_t columns);   // text format
  void CopyOutResponse(int16_t columns);  // text format
  void CopyBothResponse();                // START_REPLICATION: overall format 0, no columns
  void CopyData(std::string_view data);
  void CopyDone();
  void NegotiateProtocolVersion(uint32_t newest_minor,
                                const std::vector<std::string>& unrecognized_options);
  // The single byte answering SSLRequest/GSSENCRequest: 'N' (not supported).
  void RefuseEncryption();
  // The single byte answering SSLRequest: 'S' (the TLS handshake follows).
  void AcceptEncryption();

 private:
  void Begin(char type);
  void End();
  void Int16(int16_t v);
  void Int32(int32_t v);
  void CString(std::string_view s);

  std::string* out_;
  size_t start_ = 0;  // offset of the current message's length word
};

}  // namespace activestore::frontend::pgwire
