#include "frontend/hba.h"

#include <gtest/gtest.h>

#include <map>

namespace activestore::frontend {
namespace {

HbaRequest Tcp(const std::string& address, const std::string& user, const std::string& database,
               bool ssl = false) {
  HbaRequest r;
  r.address = *IpAddress::Parse(address);
  r.user = user;
  r.database = database;
  r.ssl = ssl;
  r.user_exists = true;
  return r;
}

// The line number of the rule that matches, 0 for none.
int Match(const HbaFile& f, const HbaRequest& r, const std::vector<HbaInterface>& ifs = {}) {
  EXPECT_TRUE(f.ok()) << (f.errors.empty() ? "" : f.errors[0].message);
  const HbaLine* line = MatchHba(f, r, ifs);
  return line == nullptr ? 0 : line->line_number;
}

std::string FirstError(std::string_view text) {
  HbaFile f = ParseHba(text);
  return f.errors.empty() ? "" : f.errors[0].message;
}

TEST(IpAddress, ParseMaskAndCompare) {
  auto a = IpAddress::Parse("10.1.2.3");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->family, 4);
  EXPECT_EQ(a->ToString(), "10.1.2.3");
  EXPECT_TRUE(a->SameNetwork(*IpAddress::Parse("10.1.200.1"), IpAddress::Mask(4, 16)));
  EXPECT_FALSE(a->SameNetwork(*IpAddress::Parse("10.2.0.1"), IpAddress::Mask(4, 16)));
  EXPECT_TRUE(a->SameNetwork(*IpAddress::Parse("192.168.0.1"), IpAddress::Mask(4, 0)));
  EXPECT_EQ(IpAddress::Mask(4, 20).ToString(), "255.255.240.0");
  auto mapped = IpAddress::Parse("::ffff:127.0.0.1");
  ASSERT_TRUE(mapped);
  EXPECT_EQ(mapped->family, 4);
  EXPECT_EQ(mapped->ToString(), "127.0.0.1");
  auto v6 = IpAddress::Parse("fe80::1");
  ASSERT_TRUE(v6);
  EXPECT_FALSE(v6->SameNetwork(*a, IpAddress::Mask(4, 0)));  // across families
  EXPECT_FALSE(IpAddress::Parse("300.1.1.1"));
  EXPECT_FALSE(IpAddress::Parse("localhost"));
}

TEST(Hba, ParsesFieldsCommentsQuotesAndLists) {
  HbaFile f = ParseHba(
      "# comment line\n"
      "\n"
      "host    all  all  127.0.0.1/32  trust   # trailing comment\n"
      "hostssl db1,\"All\" alice, bob  10.0.0.0 255.0.0.0  scram-sha-256\n"
      "hostnossl \"a b\" +admins ::1/128 md5\n");
  ASSERT_TRUE(f.ok()) << f.errors[0].message;
  ASSERT_EQ(f.lines.size(), 3u);
  const HbaLine& l1 = f.lines[0];
  EXPECT_EQ(l1.line_number, 3);
  EXPECT_EQ(l1.type, HbaConnType::kHost);
  EXPECT_EQ(l1.method, HbaMethod::kTrust);
  EXPECT_EQ(l1.address_kind, HbaAddress::kMasked);
  EXPECT_EQ(l1.mask.ToString(), "255.255.255.255");
  const HbaLine& l2 = f.lines[1];
  ASSERT_EQ(l2.databases.size(), 2u);
  EXPECT_EQ(l2.databases[1].text, "All");
  EXPECT_TRUE(l2.databases[1].quoted);
  ASSERT_EQ(l2.users.size(), 2u);  // "alice, bob": a comma then a blank continues the list
  EXPECT_EQ(l2.users[1].text, "bob");
  EXPECT_EQ(l2.mask.ToString(), "255.0.0.0");
  EXPECT_EQ(l2.method, HbaMethod::kScramSha256);
  const HbaLine& l3 = f.lines[2];
  EXPECT_EQ(l3.databases[0].text, "a b");
  EXPECT_EQ(l3.users[0].text, "+admins");
  EXPECT_EQ(l3.address.family, 6);
}

TEST(Hba, ErrorsUsePostgresWordingAndKeepGoing) {
  EXPECT_EQ(FirstError("hots all all all trust"), "invalid connection type \"hots\"");
  EXPECT_EQ(FirstError("host"), "end-of-line before database specification");
  EXPECT_EQ(FirstError("host all"), "end-of-line before role specification");
  EXPECT_EQ(FirstError("host all all"), "end-of-line before IP address specification");
  EXPECT_EQ(FirstError("host all all all"), "end-of-line before authentication method");
  EXPECT_EQ(FirstError("host all all 10.0.0.0/33 trust"),
            "invalid CIDR mask in address \"10.0.0.0/33\"");
  EXPECT_EQ(FirstError("host all all 10.0.0.0 255.0.255.0 trust"),
            "invalid IP mask \"255.0.255.0\"");
  EXPECT_EQ(FirstError("host all all 10.0.0.0 ffff:: trust"), "IP address and mask do not match");
  EXPECT_EQ(FirstError("host all all db.example.com/24 trust"),
            "specifying both host name and CIDR mask is invalid: \"db.example.com/24\"");
  EXPECT_EQ(FirstError("host all all all ident"),
            "invalid authentication method \"ident\": not supported by this build");
  EXPECT_EQ(FirstError("host all all all magic"), "invalid authentication method \"magic\"");
  EXPECT_EQ(FirstError("host all all all cert"),
            "cert authentication is only supported on hostssl connections");
  EXPECT_EQ(FirstError("host all all all md5 clientcert=verify-full"),
            "clientcert can only be configured for \"hostssl\" rows");
  EXPECT_EQ(FirstError("hostssl all all all cert clientcert=verify-ca"),
            "clientcert only accepts \"verify-full\" when using \"cert\" authentication");
  EXPECT_EQ(FirstError("hostssl all all all md5 clientcert=1"),
            "invalid value for clientcert: \"1\"");
  EXPECT_EQ(FirstError("hostssl all all all md5 clientcert"),
            "authentication option not in name=value format: clientcert");
  EXPECT_EQ(FirstError("hostssl all all all md5 ldapserver=x"),
            "unrecognized authentication option name: \"ldapserver\"");
  EXPECT_EQ(FirstError("host,hostssl all all all trust"),
            "multiple values specified for connection type");
  EXPECT_EQ(FirstError("host all all all trust,md5"),
            "multiple values specified for authentication type");
  // Every bad line is reported, the good ones still parsed.
  HbaFile f = ParseHba("host all all all trust\nbad\nhost all all all magic\n");
  ASSERT_EQ(f.errors.size(), 2u);
  EXPECT_EQ(f.errors[0].line_number, 2);
  EXPECT_EQ(f.errors[1].line_number, 3);
  EXPECT_EQ(f.lines.size(), 1u);
}

TEST(Hba, FirstMatchingLineWins) {
  HbaFile f = ParseHba(
      "host all bob 127.0.0.1/32 reject\n"
      "host all all 127.0.0.1/32 trust\n"
      "host all all 10.0.0.0/8 md5\n");
  EXPECT_EQ(Match(f, Tcp("127.0.0.1", "bob", "postgres")), 1);
  EXPECT_EQ(Match(f, Tcp("127.0.0.1", "alice", "postgres")), 2);
  EXPECT_EQ(Match(f, Tcp("10.9.8.7", "alice", "postgres")), 3);
  EXPECT_EQ(Match(f, Tcp("192.168.1.1", "alice", "postgres")), 0);
}

TEST(Hba, ConnectionTypes) {
  HbaFile f = ParseHba(
      "local all all trust\n"
      "hostgssenc all all all trust\n"
      "hostssl all alice all cert\n"
      "hostnossl all bob all reject\n"
      "hostnogssenc all all all md5\n");
  EXPECT_EQ(Match(f, Tcp("127.0.0.1", "alice", "d", /*ssl=*/true)), 3);
  EXPECT_EQ(Match(f, Tcp("127.0.0.1", "alice", "d", /*ssl=*/false)), 5);
  EXPECT_EQ(Match(f, Tcp("127.0.0.1", "bob", "d", /*ssl=*/false)), 4);
  EXPECT_EQ(Match(f, Tcp("127.0.0.1", "bob", "d", /*ssl=*/true)), 5);
  EXPECT_EQ(f.lines[2].client_cert, HbaClientCert::kVerifyFull);  // implied by cert
  HbaRequest local = Tcp("127.0.0.1", "bob", "d");
  local.local = true;
  EXPECT_EQ(Match(f, local), 1);
}

TEST(Hba, DatabaseKeywords) {
  HbaFile f = ParseHba(
      "host sameuser all all trust\n"
      "host samerole all all md5\n"
      "host \"all\" all all password\n"
      "host replication,sales all all scram-sha-256\n");
  EXPECT_EQ(Match(f, Tcp("10.0.0.1", "alice", "alice")), 1);
  HbaRequest r = Tcp("10.0.0.1", "alice", "staff");
  EXPECT_EQ(Match(f, r), 0);
  r.member_of = {"staff"};
  EXPECT_EQ(Match(f, r), 2);
  EXPECT_EQ(Match(f, Tcp("10.0.0.1", "alice", "all")), 3);  // quoted: a database named all
  EXPECT_EQ(Match(f, Tcp("10.0.0.1", "alice", "sales")), 4);
  EXPECT_EQ(Match(f, Tcp("10.0.0.1", "alice", "replication")), 0);
  // A role that does not exist is a member of nothing.
  HbaRequest ghost = Tcp("10.0.0.1", "staff", "staff");
  ghost.user_exists = false;
  EXPECT_EQ(Match(f, ghost), 1);  // sameuser compares names
  HbaFile g = ParseHba("host samerole all all trust\n");
  EXPECT_EQ(Match(g, ghost), 0);
}

TEST(Hba, PhysicalReplicationMatchesOnlyTheReplicationKeyword) {
  HbaFile f = ParseHba(
      "host all all all trust\n"
      "host sameuser all all md5\n"
      "host replication repl 127.0.0.0/8 scram-sha-256\n");
  HbaRequest r = Tcp("127.0.0.2", "repl", "postgres");
  r.replication = true;
  EXPECT_EQ(Match(f, r), 3);  // not `all`, as in PostgreSQL
  r.user = "alice";
  EXPECT_EQ(Match(f, r), 0);  // refused: 28000 no pg_hba.conf entry for replication connection
  HbaRequest db = Tcp("127.0.0.2", "repl", "postgres");  // replication=database: a database
  EXPECT_EQ(Match(f, db), 1);
}

TEST(Hba, UserKeywordsAndGroups) {
  HbaFile f = ParseHba(
      "host all +admins all trust\n"
      "host all \"+admins\",\"all\" all md5\n"
      "host all all 10.0.0.0/8 reject\n");
  HbaRequest r = Tcp("10.0.0.1", "carol", "d");
  EXPECT_EQ(Match(f, r), 3);
  r.member_of = {"admins"};
  EXPECT_EQ(Match(f, r), 1);
  EXPECT_EQ(Match(f, Tcp("10.0.0.1", "admins", "d")), 1);   // a role is a member of itself
  EXPECT_EQ(Match(f, Tcp("10.0.0.1", "+admins", "d")), 2);  // quoted: literal names
  EXPECT_EQ(Match(f, Tcp("10.0.0.1", "all", "d")), 2);
}

TEST(Hba, SameHostAndSameNet) {
  HbaFile f = ParseHba(
      "host all all samehost trust\n"
      "host all all samenet md5\n");
  std::vector<HbaInterface> ifs = {
      {*IpAddress::Parse("192.168.5.10"), *IpAddress::Parse("255.255.255.0")},
      {*IpAddress::Parse("127.0.0.1"), *IpAddress::Parse("255.0.0.0")}};
  EXPECT_TRUE(UsesInterfaces(f));
  EXPECT_EQ(Match(f, Tcp("192.168.5.10", "a", "d"), ifs), 1);
  EXPECT_EQ(Match(f, Tcp("192.168.5.77", "a", "d"), ifs), 2);
  EXPECT_EQ(Match(f, Tcp("127.8.0.1", "a", "d"), ifs), 2);
  EXPECT_EQ(Match(f, Tcp("192.168.6.1", "a", "d"), ifs), 0);
  EXPECT_FALSE(LocalInterfaces().empty());  // at least loopback
}

TEST(Hba, OptionsAndClientName) {
  HbaFile f = ParseHba(
      "hostssl all all all scram-sha-256 clientcert=verify-full clientname=DN\n"
      "hostssl all all all md5 clientcert=verify-ca\n");
  ASSERT_TRUE(f.ok()) << f.errors[0].message;
  EXPECT_EQ(f.lines[0].client_cert, HbaClientCert::kVerifyFull);
  EXPECT_TRUE(f.lines[0].client_name_dn);
  EXPECT_EQ(f.lines[0].options.size(), 2u);
  EXPECT_EQ(f.lines[1].client_cert, HbaClientCert::kVerifyCa);
}

std::map<std::string, std::string>& Files() {
  static std::map<std::string, std::string> files;
  return files;
}

std::optional<std::string> FakeRead(const std::string& path) {
  auto it = Files().find(path);
  if (it == Files().end()) return std::nullopt;
  return it->second;
}

TEST(Hba, IncludedNameLists) {
  Files()["/etc/as/admins.txt"] = "# admins\nalice bob\ncarol,@more.txt\n";
  Files()["/etc/as/more.txt"] = "dave\n";
  HbaFile f = ParseHba("host all @admins.txt all trust\n", "/etc/as/pg_hba.conf", &FakeRead);
  ASSERT_TRUE(f.ok()) << f.errors[0].message;
  ASSERT_EQ(f.lines[0].users.size(), 4u);
  EXPECT_EQ(f.lines[0].users[3].text, "dave");
  HbaFile missing = ParseHba("host all @nope all trust\n", "/etc/as/pg_hba.conf", &FakeRead);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.errors[0].message,
            "could not open secondary authentication file \"@nope\" as \"/etc/as/nope\"");
}

TEST(Hba, TrustBeyondLoopback) {
  EXPECT_FALSE(
      TrustsBeyondLoopback(ParseHba("host all all 127.0.0.1/32 trust\n"
                                    "host all all ::1/128 trust\n"
                                    "host all all all scram-sha-256\n")));
  EXPECT_TRUE(TrustsBeyondLoopback(ParseHba("host all all 0.0.0.0/0 trust\n")));
  EXPECT_TRUE(TrustsBeyondLoopback(ParseHba("host all all all trust\n")));
  EXPECT_TRUE(TrustsBeyondLoopback(ParseHba("host all all 10.0.0.0/8 trust\n")));
  EXPECT_FALSE(
      TrustsBeyondLoopback(ParseHba("hostssl all all all trust clientcert=verify-full\n")));
}

}  // namespace
}  // namespace activestore::frontend
