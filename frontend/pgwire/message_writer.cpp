#include "frontend/pgwire/message_writer.h"

#include "frontend/pgwire/protocol.h"

namespace activestore::frontend::pgwire {

void MessageWriter::Begin(char type) {
  out_->push_back(type);
  start_ = out_->size();
  out_->append(4, '\0');
}

void MessageWriter::End() {
  uint32_t len = static_cast<uint32_t>(out_->size() - start_);
  (*out_)[start_] = static_cast<char>(len >> 24);
  (*out_)[start_ + 1] = static_cast<char>(len >> 16);
  (*out_)[start_ + 2] = static_cast<char>(len >> 8);
  (*out_)[start_ + 3] = static_cast<char>(len);
}

void MessageWriter::Int16(int16_t v) {
  uint16_t u = static_cast<uint16_t>(v);
  out_->push_back(static_cast<char>(u >> 8));
  out_->push_back(static_cast<char>(u));
}

void MessageWriter::Int32(int32_t v) {
  uint32_t u = static_cast<uint32_t>(v);
  out_->push_back(static_cast<char>(u >> 24));
  out_->push_back(static_cast<char>(u >> 16));
  out_->push_back(static_cast<char>(u >> 8));
  out_->push_back(static_cast<char>(u));
}

void MessageWriter::CString(std::string_view s) {
  // A NUL inside would end the field early on the client: cut there.
  out_->append(s.substr(0, s.find('\0')));
  out_->push_back('\0');
}

void MessageWriter::AuthenticationOk() {
  Begin(be::kAuthentication);
  Int32(0);
  End();
}

void MessageWriter::AuthenticationCleartextPassword() {
  Begin(be::kAuthentication);
  Int32(3);
  End();
}

void MessageWriter::AuthenticationMd5Password(std::string_view salt) {
  Begin(be::kAuthentication);
  Int32(5);
  out_->append(salt);
  End();
}

void MessageWriter::AuthenticationSasl(const std::vector<std::string>& mechanisms) {
  Begin(be::kAuthentication);
  Int32(10);
  for (const std::string& m : mechanisms) CString(m);
  out_->push_back('\0');
  End();
}

void MessageWriter::AuthenticationSaslContinue(std::string_view data) {
  Begin(be::kAuthentication);
  Int32(11);
  out_->append(data);
  End();
}

void MessageWriter::AuthenticationSaslFinal(std::string_view data) {
  Begin(be::kAuthentication);
  Int32(12);
  out_->append(data);
  End();
}

void MessageWriter::ParameterStatus(std::string_view name, std::string_view value) {
  Begin(be::kParameterStatus);
  CString(name);
  CString(value);
  End();
}

void MessageWriter::BackendKeyData(int32_t pid, int32_t secret) {
  Begin(be::kBackendKeyData);
  Int32(pid);
  Int32(secret);
  End();
}

void MessageWriter::NotificationResponse(int32_t pid, std::string_view channel,
                                         std::string_view payload) {
  Begin(be::kNotificationResponse);
  Int32(pid);
  CString(channel);
  CString(payload);
  End();
}

void MessageWriter::ReadyForQuery(char txn_status) {
  Begin(be::kReadyForQuery);
  out_->push_back(txn_status);
  End();
}

void MessageWriter::RowDescription(const std::vector<FieldDescription>& fields) {
  Begin(be::kRowDescription);
  Int16(static_cast<int16_t>(fields.size()));
  for (const FieldDescription& f : fields) {
    CString(f.name);
    Int32(static_cast<int32_t>(f.table_oid));
    Int16(f.column_attnum);
    Int32(static_cast<int32_t>(f.type_oid));
    Int16(f.type_len);
    Int32(f.type_mod);
    Int16(f.format);
  }
  End();
}

void MessageWriter::DataRow(const std::vector<std::optional<std::string>>& values) {
  Begin(be::kDataRow);
  Int16(static_cast<int16_t>(values.size()));
  for (const auto& v : values) {
    if (!v) {
      Int32(-1);
    } else {
      Int32(static_cast<int32_t>(v->size()));
      out_->append(*v);
    }
  }
  End();
}

void MessageWriter::CommandComplete(std::string_view tag) {
  Begin(be::kCommandComplete);
  CString(tag);
  End();
}

void MessageWriter::EmptyQueryResponse() {
  Begin(be::kEmptyQueryResponse);
  End();
}

void MessageWriter::ErrorResponse(const Error& error, std::string_view severity) {
  Begin(be::kErrorResponse);
  auto field = [this](char code, std::string_view value) {
    out_->push_back(code);
    CString(value);
  };
  field('S', severity);
  field('V', severity);
  field('C', SqlStateCode(error.state()));
  field('M', error.message());
  if (error.detail) field('D', *error.detail);
  if (error.hint) field('H', *error.hint);
  if (error.position) field('P', std::to_string(*error.position));
  if (error.context) field('W', *error.context);
  if (error.schema) field('s', *error.schema);
  if (error.table) field('t', *error.table);
  if (error.column) field('c', *error.column);
  if (error.constraint) field('n', *error.constraint);
  out_->push_back('\0');
  End();
}

void MessageWriter::NoticeResponse(std::string_view severity, std::string_view sqlstate,
                                   std::string_view message, std::string_view detail,
                                   std::string_view hint, int position) {
  Begin(be::kNoticeResponse);
  out_->push_back('S');
  CString(severity);
  out_->push_back('V');
  CString(severity);
  out_->push_back('C');
  CString(sqlstate);
  out_->push_back('M');
  CString(message);
  if (!detail.empty()) {
    out_->push_back('D');
    CString(detail);
  }
  if (!hint.empty()) {
    out_->push_back('H');
    CString(hint);
  }
  if (position > 0) {
    out_->push_back('P');
    CString(std::to_string(position));
  }
  out_->push_back('\0');
  End();
}

void MessageWriter::ParseComplete() {
  Begin(be::kParseComplete);
  End();
}

void MessageWriter::BindComplete() {
  Begin(be::kBindComplete);
  End();
}

void MessageWriter::CloseComplete() {
  Begin(be::kCloseComplete);
  End();
}

void MessageWriter::ParameterDescription(const std::vector<uint32_t>& type_oids) {
  Begin(be::kParameterDescription);
  Int16(static_cast<int16_t>(type_oids.size()));
  for (uint32_t oid : type_oids) Int32(static_cast<int32_t>(oid));
  End();
}

void MessageWriter::NoData() {
  Begin(be::kNoData);
  End();
}

void MessageWriter::PortalSuspended() {
  Begin(be::kPortalSuspended);
  End();
}

void MessageWriter::CopyInResponse(int16_t columns) {
  Begin(be::kCopyInResponse);
  out_->push_back('\0');
  Int16(columns);
  for (int i = 0; i < columns; ++i) Int16(0);
  End();
}

void MessageWriter::CopyOutResponse(int16_t columns) {
  Begin(be::kCopyOutResponse);
  out_->push_back('\0');
  Int16(columns);
  for (int i = 0; i < columns; ++i) Int16(0);
  End();
}

void MessageWriter::CopyBothResponse() {
  Begin(be::kCopyBothResponse);
  out_->push_back('\0');
  Int16(0);
  End();
}

void MessageWriter::CopyData(std::string_view data) {
  Begin(be::kCopyData);
  out_->append(data);
  End();
}

void MessageWriter::CopyDone() {
  Begin(be::kCopyDone);
  End();
}

void MessageWriter::NegotiateProtocolVersion(uint32_t newest_minor,
                                             const std::vector<std::string>& unrecognized) {
  Begin(be::kNegotiateProtocolVersion);
  Int32(static_cast<int32_t>((3u << 16) | newest_minor));
  Int32(static_cast<int32_t>(unrecognized.size()));
  for (const std::string& o : unrecognized) CString(o);
  End();
}

void MessageWriter::RefuseEncryption() { out_->push_back('N'); }

void MessageWriter::AcceptEncryption() { out_->push_back('S'); }

}  // namespace activestore::frontend::pgwire
