#include "frontend/pgwire/messages.h"

#include <cstring>

#include "frontend/pgwire/protocol.h"

namespace activestore::frontend::pgwire {
namespace {

[[noreturn]] void Malformed(std::string_view what) {
  throw Error(SqlState::kProtocolViolation, std::string(what));
}

template <typename T, typename F>
Result<T> Decode(F&& f) {
  try {
    return f();
  } catch (const Error& e) {
    return e;
  }
}

void CheckKind(char kind) {
  if (kind != 'S' && kind != 'P') {
    throw Error(SqlState::kProtocolViolation,
                fmt::format("invalid DESCRIBE message subtype {}", static_cast<int>(kind)));
  }
}

}  // namespace

int16_t BodyReader::Int16() {
  std::string_view b = Bytes(2);
  return static_cast<int16_t>((static_cast<uint8_t>(b[0]) << 8) | static_cast<uint8_t>(b[1]));
}

int32_t BodyReader::Int32() {
  std::string_view b = Bytes(4);
  uint32_t v = 0;
  for (char c : b) v = (v << 8) | static_cast<uint8_t>(c);
  return static_cast<int32_t>(v);
}

char BodyReader::Byte() { return Bytes(1)[0]; }

std::string BodyReader::CString() {
  size_t end = body_.find('\0', pos_);
  if (end == std::string_view::npos) Malformed("invalid string in message");
  std::string s(body_.substr(pos_, end - pos_));
  pos_ = end + 1;
  return s;
}

std::string_view BodyReader::Bytes(size_t n) {
  if (n > remaining()) Malformed("insufficient data left in message");
  std::string_view b = body_.substr(pos_, n);
  pos_ += n;
  return b;
}

void BodyReader::ExpectEnd() const {
  if (remaining() != 0) Malformed("invalid message format");
}

Result<StartupPacket> DecodeStartupPacket(std::string_view body) {
  return Decode<StartupPacket>([&] {
    BodyReader r(body);
    StartupPacket p;
    uint32_t code = r.UInt32();
    if (code == kSslRequestCode || code == kGssEncRequestCode) {
      r.ExpectEnd();
      p.kind = code == kSslRequestCode ? StartupPacket::Kind::kSslRequest
                                       : StartupPacket::Kind::kGssEncRequest;
      p.major = static_cast<uint16_t>(code >> 16);  // 1234: refused as a protocol when repeated
      p.minor = static_cast<uint16_t>(code & 0xffff);
      return p;
    }
    if (code == kCancelRequestCode) {
      p.kind = StartupPacket::Kind::kCancel;
      p.cancel_pid = r.Int32();
      p.cancel_secret = r.Int32();
      r.ExpectEnd();
      return p;
    }
    p.major = static_cast<uint16_t>(code >> 16);
    p.minor = static_cast<uint16_t>(code & 0xffff);
    if (p.major != 3) return p;  // the caller refuses the version
    // name\0value\0 ... \0
    while (true) {
      if (r.remaining() == 0)
        Malformed("invalid startup packet layout: expected terminator as last byte");
      std::string name = r.CString();
      if (name.empty()) break;
      if (r.remaining() == 0) {
        Malformed("invalid startup packet layout: expected terminator as last byte");
      }
      std::string value = r.CString();
      p.params.emplace_back(std::move(name), std::move(value));
    }
    if (r.remaining() != 0) {
      Malformed("invalid startup packet layout: expected terminator as last byte");
    }
    return p;
  });
}

Result<std::string> DecodeQuery(std::string_view body) {
  return Decode<std::string>([&] {
    BodyReader r(body);
    std::string q = r.CString();
    r.ExpectEnd();
    return q;
  });
}

Result<ParseMessage> DecodeParse(std::string_view body) {
  return Decode<ParseMessage>([&] {
    BodyReader r(body);
    ParseMessage m;
    m.name = r.CString();
    m.query = r.CString();
    int16_t n = r.Int16();
    if (n < 0) Malformed("invalid message format");
    for (int i = 0; i < n; ++i) m.param_types.push_back(r.UInt32());
    r.ExpectEnd();
    return m;
  });
}

Result<BindMessage> DecodeBind(std::string_view body) {
  return Decode<BindMessage>([&] {
    BodyReader r(body);
    BindMessage m;
    m.portal = r.CString();
    m.statement = r.CString();
    int16_t nformats = r.Int16();
    if (nformats < 0) Malformed("invalid message format");
    for (int i = 0; i < nformats; ++i) m.param_formats.push_back(r.Int16());
    int16_t nparams = r.Int16();
    if (nparams < 0) Malformed("invalid message format");
    for (int i = 0; i < nparams; ++i) {
      int32_t len = r.Int32();
      if (len == -1) {
        m.params.emplace_back(std::nullopt);
      } else if (len < 0) {
        Malformed("invalid message format");
      } else {
        m.params.emplace_back(std::string(r.Bytes(static_cast<size_t>(len))));
      }
    }
    int16_t nresults = r.Int16();
    if (nresults < 0) Malformed("invalid message format");
    for (int i = 0; i < nresults; ++i) m.result_formats.push_back(r.Int16());
    r.ExpectEnd();
    for (int16_t f : m.param_formats) {
      if (f != 0 && f != 1) {
        throw Error(SqlState::kProtocolViolation, fmt::format("unsupported format code: {}", f));
      }
    }
    for (int16_t f : m.result_formats) {
      if (f != 0 && f != 1) {
        throw Error(SqlState::kProtocolViolation, fmt::format("unsupported format code: {}", f));
      }
    }
    return m;
  });
}

Result<DescribeMessage> DecodeDescribe(std::string_view body) {
  return Decode<DescribeMessage>([&] {
    BodyReader r(body);
    DescribeMessage m;
    m.kind = r.Byte();
    CheckKind(m.kind);
    m.name = r.CString();
    r.ExpectEnd();
    return m;
  });
}

Result<ExecuteMessage> DecodeExecute(std::string_view body) {
  return Decode<ExecuteMessage>([&] {
    BodyReader r(body);
    ExecuteMessage m;
    m.portal = r.CString();
    m.max_rows = r.Int32();
    r.ExpectEnd();
    return m;
  });
}

Result<CloseMessage> DecodeClose(std::string_view body) {
  return Decode<CloseMessage>([&] {
    BodyReader r(body);
    CloseMessage m;
    m.kind = r.Byte();
    if (m.kind != 'S' && m.kind != 'P') {
      throw Error(SqlState::kProtocolViolation,
                  fmt::format("invalid CLOSE message subtype {}", static_cast<int>(m.kind)));
    }
    m.name = r.CString();
    r.ExpectEnd();
    return m;
  });
}

Result<std::string> DecodeCopyFail(std::string_view body) {
  return Decode<std::string>([&] {
    BodyReader r(body);
    std::string msg = r.CString();
    r.ExpectEnd();
    return msg;
  });
}

}  // namespace activestore::frontend::pgwire
