#include <gtest/gtest.h>

#include <string>

#include "frontend/pgwire/message_writer.h"
#include "frontend/pgwire/messages.h"
#include "frontend/pgwire/protocol.h"

namespace activestore::frontend::pgwire {
namespace {

std::string Be32(uint32_t v) {
  return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                     static_cast<char>(v >> 8), static_cast<char>(v)};
}
std::string Be16(uint16_t v) {
  return std::string{static_cast<char>(v >> 8), static_cast<char>(v)};
}
std::string Z(std::string_view s) { return std::string(s) + '\0'; }

TEST(MessageWriterTest, ReadyForQueryBytes) {
  std::string out;
  MessageWriter(&out).ReadyForQuery('I');
  EXPECT_EQ(out, std::string("Z") + Be32(5) + "I");
}

TEST(MessageWriterTest, AuthenticationOkAndKeyData) {
  std::string out;
  MessageWriter w(&out);
  w.AuthenticationOk();
  w.BackendKeyData(1234, -5);
  EXPECT_EQ(out, std::string("R") + Be32(8) + Be32(0) + "K" + Be32(12) + Be32(1234) +
                     Be32(static_cast<uint32_t>(-5)));
}

TEST(MessageWriterTest, ParameterStatusAndCommandComplete) {
  std::string out;
  MessageWriter w(&out);
  w.ParameterStatus("client_encoding", "UTF8");
  w.CommandComplete("SELECT 2");
  EXPECT_EQ(out, std::string("S") + Be32(4 + 16 + 5) + Z("client_encoding") + Z("UTF8") + "C" +
                     Be32(4 + 9) + Z("SELECT 2"));
}

TEST(MessageWriterTest, RowDescriptionLayout) {
  std::string out;
  FieldDescription f{"id", 16384, 1, 23, 4, -1, 1};
  MessageWriter(&out).RowDescription({f});
  std::string body =
      Be16(1) + Z("id") + Be32(16384) + Be16(1) + Be32(23) + Be16(4) + Be32(0xffffffff) + Be16(1);
  EXPECT_EQ(out, std::string("T") + Be32(4 + body.size()) + body);
}

TEST(MessageWriterTest, DataRowWithNull) {
  std::string out;
  MessageWriter(&out).DataRow({std::string("ab"), std::nullopt, std::string()});
  std::string body = Be16(3) + Be32(2) + "ab" + Be32(0xffffffff) + Be32(0);
  EXPECT_EQ(out, std::string("D") + Be32(4 + body.size()) + body);
}

TEST(MessageWriterTest, ErrorResponseFields) {
  std::string out;
  Error e(SqlState::kSyntaxError, "syntax error at or near \"x\"");
  e.Position(8).Hint("try again");
  e.table = "t";
  MessageWriter(&out).ErrorResponse(e, "ERROR");
  std::string body = std::string("S") + Z("ERROR") + "V" + Z("ERROR") + "C" + Z("42601") + "M" +
                     Z("syntax error at or near \"x\"") + "H" + Z("try again") + "P" + Z("8") +
                     "t" + Z("t") + '\0';
  EXPECT_EQ(out, std::string("E") + Be32(4 + body.size()) + body);
}

TEST(MessageWriterTest, NoticeAndCopyMessages) {
  std::string out;
  MessageWriter w(&out);
  w.NoticeResponse("NOTICE", "00000", "hi");
  std::string notice =
      std::string("S") + Z("NOTICE") + "V" + Z("NOTICE") + "C" + Z("00000") + "M" + Z("hi") + '\0';
  std::string expected = std::string("N") + Be32(4 + notice.size()) + notice;
  EXPECT_EQ(out, expected);
  out.clear();
  w.CopyInResponse(2);
  w.CopyData("1\n");
  w.CopyDone();
  EXPECT_EQ(out, std::string("G") + Be32(4 + 1 + 2 + 4) + '\0' + Be16(2) + Be16(0) + Be16(0) + "d" +
                     Be32(6) + "1\n" + "c" + Be32(4));
}

TEST(MessageWriterTest, EmptyMessages) {
  std::string out;
  MessageWriter w(&out);
  w.ParseComplete();
  w.BindComplete();
  w.CloseComplete();
  w.NoData();
  w.PortalSuspended();
  w.EmptyQueryResponse();
  EXPECT_EQ(out, std::string("1") + Be32(4) + "2" + Be32(4) + "3" + Be32(4) + "n" + Be32(4) + "s" +
                     Be32(4) + "I" + Be32(4));
}

TEST(MessageWriterTest, ParameterDescription) {
  std::string out;
  MessageWriter(&out).ParameterDescription({23, 25});
  EXPECT_EQ(out, std::string("t") + Be32(4 + 2 + 8) + Be16(2) + Be32(23) + Be32(25));
}

TEST(StartupPacketTest, DecodesParameters) {
  std::string body =
      Be32(kProtocolVersion3) + Z("user") + Z("postgres") + Z("database") + Z("db") + '\0';
  auto p = DecodeStartupPacket(body);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->kind, StartupPacket::Kind::kStartup);
  EXPECT_EQ(p->major, 3);
  EXPECT_EQ(p->minor, 0);
  ASSERT_EQ(p->params.size(), 2u);
  EXPECT_EQ(p->params[1].first, "database");
  EXPECT_EQ(p->params[1].second, "db");
}

TEST(StartupPacketTest, SslGssAndCancel) {
  auto ssl = DecodeStartupPacket(Be32(kSslRequestCode));
  ASSERT_TRUE(ssl.ok());
  EXPECT_EQ(ssl->kind, StartupPacket::Kind::kSslRequest);
  auto gss = DecodeStartupPacket(Be32(kGssEncRequestCode));
  ASSERT_TRUE(gss.ok());
  EXPECT_EQ(gss->kind, StartupPacket::Kind::kGssEncRequest);
  auto cancel = DecodeStartupPacket(Be32(kCancelRequestCode) + Be32(77) + Be32(0xdeadbeef));
  ASSERT_TRUE(cancel.ok());
  EXPECT_EQ(cancel->kind, StartupPacket::Kind::kCancel);
  EXPECT_EQ(cancel->cancel_pid, 77);
  EXPECT_EQ(cancel->cancel_secret, static_cast<int32_t>(0xdeadbeef));
}

TEST(StartupPacketTest, RejectsMalformed) {
  // Missing final terminator.
  auto p = DecodeStartupPacket(Be32(kProtocolVersion3) + Z("user") + Z("postgres"));
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().state(), SqlState::kProtocolViolation);
  // Value not terminated.
  EXPECT_FALSE(DecodeStartupPacket(Be32(kProtocolVersion3) + Z("user") + "post").ok());
  // Cancel request too short.
  EXPECT_FALSE(DecodeStartupPacket(Be32(kCancelRequestCode) + Be32(1)).ok());
  // Other versions decode; the caller refuses them.
  auto v2 = DecodeStartupPacket(Be32(2u << 16));
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(v2->major, 2);
}

TEST(FrontendMessageTest, QueryAndParse) {
  auto q = DecodeQuery(Z("select 1"));
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(*q, "select 1");
  EXPECT_FALSE(DecodeQuery("select 1").ok());           // no terminator
  EXPECT_FALSE(DecodeQuery(Z("select 1") + "x").ok());  // trailing garbage

  auto p = DecodeParse(Z("s1") + Z("select $1") + Be16(1) + Be32(23));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->name, "s1");
  EXPECT_EQ(p->query, "select $1");
  EXPECT_EQ(p->param_types, std::vector<uint32_t>{23});
  EXPECT_FALSE(DecodeParse(Z("s1") + Z("select $1") + Be16(2) + Be32(23)).ok());
}

TEST(FrontendMessageTest, Bind) {
  std::string body = Z("p") + Z("s") + Be16(1) + Be16(1) + Be16(2) + Be32(4) + Be32(42) +
                     Be32(0xffffffff) + Be16(1) + Be16(1);
  auto b = DecodeBind(body);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->portal, "p");
  EXPECT_EQ(b->statement, "s");
  EXPECT_EQ(b->param_formats, std::vector<int16_t>{1});
  ASSERT_EQ(b->params.size(), 2u);
  EXPECT_EQ(*b->params[0], Be32(42));
  EXPECT_FALSE(b->params[1].has_value());
  EXPECT_EQ(b->result_formats, std::vector<int16_t>{1});
  EXPECT_EQ(FormatFor(b->param_formats, 1), 1);
  EXPECT_EQ(FormatFor({}, 3), 0);

  // A parameter length beyond the body.
  EXPECT_FALSE(DecodeBind(Z("") + Z("") + Be16(0) + Be16(1) + Be32(10) + "ab").ok());
  // A bad format code.
  auto bad = DecodeBind(Z("") + Z("") + Be16(1) + Be16(7) + Be16(0) + Be16(0));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(), "unsupported format code: 7");
}

TEST(FrontendMessageTest, DescribeExecuteCloseCopyFail) {
  auto d = DecodeDescribe(std::string("S") + Z("st"));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->kind, 'S');
  EXPECT_EQ(d->name, "st");
  EXPECT_FALSE(DecodeDescribe(std::string("X") + Z("st")).ok());

  auto e = DecodeExecute(Z("portal") + Be32(10));
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->portal, "portal");
  EXPECT_EQ(e->max_rows, 10);
  EXPECT_FALSE(DecodeExecute(Z("portal") + Be16(1)).ok());

  auto c = DecodeClose(std::string("P") + Z(""));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->kind, 'P');
  EXPECT_FALSE(DecodeClose(std::string("Q") + Z("")).ok());

  auto f = DecodeCopyFail(Z("client gave up"));
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(*f, "client gave up");
}

TEST(BodyReaderTest, BoundsChecked) {
  const std::string body("\x01\x02", 2);
  BodyReader r(body);
  EXPECT_EQ(r.Int16(), 0x0102);
  try {
    r.Int32();
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.state(), SqlState::kProtocolViolation);
    EXPECT_EQ(e.message(), "insufficient data left in message");
  }
}

}  // namespace
}  // namespace activestore::frontend::pgwire
