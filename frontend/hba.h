// Host-based authentication rules in pg_hba.conf's format (PostgreSQL 15's hba.c): which
// connections may log in, to which databases, as which roles, by which method.
//
//   # TYPE     DATABASE        USER            ADDRESS          METHOD          [OPTIONS]
//   hostssl    all             +admins         10.0.0.0/8       scram-sha-256
//   host       sameuser        all             192.168.1.0 255.255.255.0  md5
//   hostssl    all             all             all              cert
//   host       all             all             all              reject
//
// ParseHba reads the text (every line, collecting every error as PostgreSQL does; a file with
// errors must not be used). MatchHba finds the first line that matches a connection.
// Supported: connection types local (never matches: there is no unix socket), host, hostssl,
// hostnossl, hostgssenc (never matches: no GSSAPI), hostnogssenc; databases all, sameuser,
// samerole/samegroup, names, @file lists, comma lists; users all, names, +role, @file; addresses
// CIDR, address + mask, all, samehost, samenet; methods trust, reject, password, md5,
// scram-sha-256, cert; options clientcert=verify-ca|verify-full and clientname=CN|DN.
//
// Thread safety: pure functions; an HbaFile is immutable once parsed.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace activestore::frontend {

// An IPv4 or IPv6 address, in network byte order.
struct IpAddress {
  int family = 0;  // 4 or 6; 0: none
  std::array<uint8_t, 16> bytes{};

  // Numeric text ("10.1.2.3", "::1"); nullopt otherwise. An IPv4-mapped IPv6 address
  // (::ffff:10.1.2.3) becomes the IPv4 one.
  static std::optional<IpAddress> Parse(std::string_view text);
  // A netmask of `bits` leading ones, for `family`.
  static IpAddress Mask(int family, int bits);
  size_t size() const { return family == 4 ? 4 : 16; }
  std::string ToString() const;
  // (this & mask) == (other & mask); false across families.
  bool SameNetwork(const IpAddress& other, const IpAddress& mask) const;
};

enum class HbaConnType { kLocal, kHost, kHostSsl, kHostNoSsl, kHostGssEnc, kHostNoGssEnc };
enum class HbaAddress { kAll, kSameHost, kSameNet, kMasked };
enum class HbaMethod { kTrust, kReject, kPassword, kMd5, kScramSha256, kCert };
enum class HbaClientCert { kOff, kVerifyCa, kVerifyFull };

// One word of a DATABASE or USER field. A quoted word is never a keyword ("all" is a name).
struct HbaToken {
  std::string text;
  bool quoted = false;
};

struct HbaLine {
  int line_number = 0;
  std::string raw;  // the line as written
  HbaConnType type = HbaConnType::kHost;
  std::vector<HbaToken> databases;
  std::vector<HbaToken> users;
  HbaAddress address_kind = HbaAddress::kAll;  // not for local
  IpAddress address;                           // kMasked
  IpAddress mask;                              // kMasked
  std::string address_text;                    // as written (pg_hba_file_rules)
  std::string mask_text;
  HbaMethod method = HbaMethod::kTrust;
  HbaClientCert client_cert = HbaClientCert::kOff;  // kVerifyFull for cert
  bool client_name_dn = false;                      // clientname=DN: match the whole DN
  std::vector<std::string> options;                 // as written, name=value
};

struct HbaError {
  int line_number = 0;
  std::string message;  // PostgreSQL's wording, e.g. `invalid connection type "hots"`
};

struct HbaFile {
  std::vector<HbaLine> lines;
  std::vector<HbaError> errors;  // non-empty: the file must not be loaded
  bool ok() const { return errors.empty(); }
};

// Reads an @file (a list of names), given its name as written; nullopt if it cannot be read.
using HbaIncludeReader = std::optional<std::string> (*)(const std::string& path);

// Parses pg_hba.conf text. `file_name` is used to resolve @file inclusions (relative to its
// directory), read with `read_include` (null: @file is an error).
HbaFile ParseHba(std::string_view text, const std::string& file_name = "",
                 HbaIncludeReader read_include = nullptr);
// Reads and parses a file; a file that cannot be read gives one error (line 0).
HbaFile LoadHbaFile(const std::string& path);

// A network interface of this host (samehost, samenet).
struct HbaInterface {
  IpAddress address;
  IpAddress mask;
};
// The host's interface addresses (getifaddrs).
std::vector<HbaInterface> LocalInterfaces();

// What a rule is matched against.
struct HbaRequest {
  bool local = false;  // a unix-domain socket (never, today)
  bool ssl = false;
  IpAddress address;  // the client's
  std::string database;
  std::string user;
  bool user_exists = false;
  // The roles `user` is a member of, directly or not (itself excluded; superuser status does not
  // count), as PostgreSQL's is_member_of_role_nosuper.
  std::vector<std::string> member_of;
  // A physical replication connection (replication=true): only the `replication` keyword
  // matches its database field, as in PostgreSQL.
  bool replication = false;
};

// The first line that matches, or null (the connection is refused: 28000 `no pg_hba.conf entry
// ...`). `interfaces` is read only for samehost/samenet lines.
const HbaLine* MatchHba(const HbaFile& file, const HbaRequest& request,
                        const std::vector<HbaInterface>& interfaces);

// Whether any line uses samehost or samenet (the caller then lists the interfaces).
bool UsesInterfaces(const HbaFile& file);
// A `trust` line that can match a TCP client outside loopback (the start-up warning).
bool TrustsBeyondLoopback(const HbaFile& file);

// PostgreSQL's names: "hostssl", "scram-sha-256", "verify-full".
std::string_view HbaConnTypeName(HbaConnType t);
std::string_view HbaMethodName(HbaMethod m);

}  // namespace activestore::frontend
