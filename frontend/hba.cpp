#include "frontend/hba.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <ifaddrs.h>
#include <netinet/in.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>
#include <sstream>

namespace activestore::frontend {

// ---- Addresses -----------------------------------------------------------------------------

std::optional<IpAddress> IpAddress::Parse(std::string_view text) {
  std::string s(text);
  IpAddress a;
  in_addr v4;
  in6_addr v6;
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    a.family = 4;
    std::memcpy(a.bytes.data(), &v4, 4);
    return a;
  }
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    a.family = 6;
    std::memcpy(a.bytes.data(), &v6, 16);
    static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(a.bytes.data(), kMapped, 12) == 0) {
      IpAddress b;
      b.family = 4;
      std::memcpy(b.bytes.data(), a.bytes.data() + 12, 4);
      return b;
    }
    return a;
  }
  return std::nullopt;
}

IpAddress IpAddress::Mask(int family, int bits) {
  IpAddress m;
  m.family = family;
  for (size_t i = 0; i < m.size(); ++i) {
    int b = std::clamp(bits - static_cast<int>(i) * 8, 0, 8);
    m.bytes[i] = static_cast<uint8_t>(0xff00 >> b);
  }
  return m;
}

std::string IpAddress::ToString() const {
  char buf[INET6_ADDRSTRLEN] = {0};
  if (family == 0) return "";
  inet_ntop(family == 4 ? AF_INET : AF_INET6, bytes.data(), buf, sizeof(buf));
  return buf;
}

bool IpAddress::SameNetwork(const IpAddress& other, const IpAddress& mask) const {
  if (family == 0 || family != other.family || family != mask.family) return false;
  for (size_t i = 0; i < size(); ++i) {
    if ((bytes[i] & mask.bytes[i]) != (other.bytes[i] & mask.bytes[i])) return false;
  }
  return true;
}

namespace {

// ---- Tokenizing (PostgreSQL's next_token / next_field_expand) -----------------------------

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// The next token of `line` from *pos: a word up to an unquoted blank or comma; "" quotes
// (a doubled "" inside quotes is one "); # starts a comment. False when the line has no more.
bool NextToken(std::string_view line, size_t* pos, HbaToken* token, bool* trailing_comma) {
  *trailing_comma = false;
  size_t i = *pos;
  while (i < line.size() && (IsBlank(line[i]) || line[i] == ',')) ++i;
  std::string out;
  bool in_quote = false, saw_quote = false, was_quote = false, initial_quote = false;
  while (i < line.size() && (!IsBlank(line[i]) || in_quote)) {
    char c = line[i++];
    if (c == '#' && !in_quote) {
      i = line.size();
      break;
    }
    if (c == ',' && !in_quote) {
      *trailing_comma = true;
      break;
    }
    if (c != '"' || was_quote) out.push_back(c);
    was_quote = in_quote && c == '"' ? !was_quote : false;
    if (c == '"') {
      in_quote = !in_quote;
      saw_quote = true;
      if (out.empty()) initial_quote = true;
    }
  }
  *pos = i;
  token->text = std::move(out);
  token->quoted = initial_quote;
  return saw_quote || !token->text.empty();
}

std::string Dirname(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

struct Tokenizer {
  std::string file_name;
  HbaIncludeReader read_include;

  // Appends the tokens of the @file `name` (every token of every line).
  bool Include(const std::string& name, int depth, std::vector<HbaToken>* out,
               std::string* error) const {
    std::string path = name[0] == '/' ? name : Dirname(file_name) + "/" + name;
    std::optional<std::string> text;
    if (read_include != nullptr && depth < 10) text = read_include(path);
    if (!text) {
      *error =
          fmt::format("could not open secondary authentication file \"@{}\" as \"{}\"", name, path);
      return false;
    }
    std::istringstream in(*text);
    std::string line;
    while (std::getline(in, line)) {
      size_t pos = 0;
      HbaToken t;
      bool comma = false;
      while (NextToken(line, &pos, &t, &comma)) {
        if (!t.quoted && t.text.size() > 1 && t.text[0] == '@') {
          if (!Include(t.text.substr(1), depth + 1, out, error)) return false;
        } else {
          out->push_back(t);
        }
      }
    }
    return true;
  }

  // The fields of one line, each a list of tokens.
  bool Fields(std::string_view line, std::vector<std::vector<HbaToken>>* fields,
              std::string* error) const {
    size_t pos = 0;
    while (pos < line.size()) {
      std::vector<HbaToken> field;
      bool comma = false;
      HbaToken t;
      do {
        if (!NextToken(line, &pos, &t, &comma)) break;
        if (!t.quoted && t.text.size() > 1 && t.text[0] == '@') {
          if (!Include(t.text.substr(1), 0, &field, error)) return false;
        } else {
          field.push_back(t);
        }
      } while (comma);
      if (field.empty()) break;
      fields->push_back(std::move(field));
    }
    return true;
  }
};

bool IsKeyword(const HbaToken& t, std::string_view keyword) {
  return !t.quoted && t.text == keyword;
}

// ---- One line (PostgreSQL's parse_hba_line) ------------------------------------------------

struct LineError {
  std::string message;
};

[[noreturn]] void Fail(std::string message) { throw LineError{std::move(message)}; }

const std::vector<HbaToken>& Field(const std::vector<std::vector<HbaToken>>& fields, size_t i,
                                   const char* missing) {
  if (i >= fields.size()) Fail(missing);
  return fields[i];
}

const HbaToken& Single(const std::vector<HbaToken>& field, const char* multiple) {
  if (field.size() > 1) Fail(multiple);
  return field[0];
}

bool ParseBits(std::string_view text, int max, int* bits) {
  if (text.empty() || text.size() > 3) return false;
  int v = 0;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    v = v * 10 + (c - '0');
  }
  if (v > max) return false;
  *bits = v;
  return true;
}

// A mask must be leading ones then zeros.
bool IsContiguousMask(const IpAddress& m) {
  bool zero = false;
  for (size_t i = 0; i < m.size(); ++i) {
    for (int b = 7; b >= 0; --b) {
      bool one = (m.bytes[i] >> b) & 1;
      if (one && zero) return false;
      if (!one) zero = true;
    }
  }
  return true;
}

void ParseOption(HbaLine& line, const std::string& option) {
  size_t eq = option.find('=');
  if (eq == std::string::npos) {
    Fail(fmt::format("authentication option not in name=value format: {}", option));
  }
  std::string name = option.substr(0, eq);
  std::string value = option.substr(eq + 1);
  line.options.push_back(option);
  if (name == "clientcert") {
    if (line.type != HbaConnType::kHostSsl) {
      Fail("clientcert can only be configured for \"hostssl\" rows");
    }
    if (value == "verify-full") {
      line.client_cert = HbaClientCert::kVerifyFull;
    } else if (value == "verify-ca") {
      if (line.method == HbaMethod::kCert) {
        Fail("clientcert only accepts \"verify-full\" when using \"cert\" authentication");
      }
      line.client_cert = HbaClientCert::kVerifyCa;
    } else {
      Fail(fmt::format("invalid value for clientcert: \"{}\"", value));
    }
    return;
  }
  if (name == "clientname") {
    if (line.type != HbaConnType::kHostSsl) {
      Fail("clientname can only be configured for \"hostssl\" rows");
    }
    if (value == "CN") {
      line.client_name_dn = false;
    } else if (value == "DN") {
      line.client_name_dn = true;
    } else {
      Fail(fmt::format("invalid value for clientname: \"{}\"", value));
    }
    return;
  }
  if (name == "map") Fail("user name maps (option \"map\", pg_ident.conf) are not supported");
  Fail(fmt::format("unrecognized authentication option name: \"{}\"", name));
}

HbaLine ParseLine(const std::vector<std::vector<HbaToken>>& fields) {
  HbaLine line;
  size_t f = 0;
  const HbaToken& type = Single(fields[f++], "multiple values specified for connection type");
  static const std::pair<const char*, HbaConnType> kTypes[] = {
      {"local", HbaConnType::kLocal},           {"host", HbaConnType::kHost},
      {"hostssl", HbaConnType::kHostSsl},       {"hostnossl", HbaConnType::kHostNoSsl},
      {"hostgssenc", HbaConnType::kHostGssEnc}, {"hostnogssenc", HbaConnType::kHostNoGssEnc},
  };
  bool known = false;
  for (const auto& [name, t] : kTypes) {
    if (type.text == name) {
      line.type = t;
      known = true;
    }
  }
  if (!known) Fail(fmt::format("invalid connection type \"{}\"", type.text));

  line.databases = Field(fields, f++, "end-of-line before database specification");
  line.users = Field(fields, f++, "end-of-line before role specification");

  if (line.type != HbaConnType::kLocal) {
    const HbaToken& addr = Single(Field(fields, f++, "end-of-line before IP address specification"),
                                  "multiple values specified for host address");
    line.address_text = addr.text;
    if (IsKeyword(addr, "all")) {
      line.address_kind = HbaAddress::kAll;
    } else if (IsKeyword(addr, "samehost")) {
      line.address_kind = HbaAddress::kSameHost;
    } else if (IsKeyword(addr, "samenet")) {
      line.address_kind = HbaAddress::kSameNet;
    } else {
      line.address_kind = HbaAddress::kMasked;
      size_t slash = addr.text.find('/');
      std::string host = addr.text.substr(0, slash);
      std::optional<IpAddress> ip = IpAddress::Parse(host);
      if (!ip) {
        if (slash != std::string::npos) {
          Fail(
              fmt::format("specifying both host name and CIDR mask is invalid: \"{}\"", addr.text));
        }
        Fail(fmt::format("invalid IP address \"{}\": host names are not supported", addr.text));
      }
      line.address = *ip;
      if (slash != std::string::npos) {
        int bits = 0;
        if (!ParseBits(std::string_view(addr.text).substr(slash + 1), ip->family == 4 ? 32 : 128,
                       &bits)) {
          Fail(fmt::format("invalid CIDR mask in address \"{}\"", addr.text));
        }
        line.mask = IpAddress::Mask(ip->family, bits);
      } else {
        const HbaToken& mask = Single(
            Field(fields, f++,
                  "end-of-line before netmask specification (specify an address range in CIDR "
                  "notation, or provide a separate netmask)"),
            "multiple values specified for netmask");
        std::optional<IpAddress> m = IpAddress::Parse(mask.text);
        if (!m || !IsContiguousMask(*m)) Fail(fmt::format("invalid IP mask \"{}\"", mask.text));
        if (m->family != ip->family) Fail("IP address and mask do not match");
        line.mask = *m;
        line.mask_text = mask.text;
      }
    }
  }

  const HbaToken& method = Single(Field(fields, f++, "end-of-line before authentication method"),
                                  "multiple values specified for authentication type");
  static const std::pair<const char*, HbaMethod> kMethods[] = {
      {"trust", HbaMethod::kTrust},
      {"reject", HbaMethod::kReject},
      {"password", HbaMethod::kPassword},
      {"md5", HbaMethod::kMd5},
      {"scram-sha-256", HbaMethod::kScramSha256},
      {"cert", HbaMethod::kCert},
  };
  known = false;
  for (const auto& [name, m] : kMethods) {
    if (method.text == name) {
      line.method = m;
      known = true;
    }
  }
  if (!known) {
    static const char* kOther[] = {"ident", "peer", "gss", "sspi", "pam", "bsd", "ldap", "radius"};
    for (const char* other : kOther) {
      if (method.text == other) {
        Fail(fmt::format("invalid authentication method \"{}\": not supported by this build",
                         method.text));
      }
    }
    Fail(fmt::format("invalid authentication method \"{}\"", method.text));
  }
  if (line.method == HbaMethod::kCert) {
    if (line.type != HbaConnType::kHostSsl) {
      Fail("cert authentication is only supported on hostssl connections");
    }
    line.client_cert = HbaClientCert::kVerifyFull;
  }
  for (; f < fields.size(); ++f) {
    for (const HbaToken& t : fields[f]) ParseOption(line, t.text);
  }
  return line;
}

std::optional<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return s.str();
}

// ---- Matching (PostgreSQL's check_hba, check_db, check_role) ---------------------------------

bool IsMember(const HbaRequest& r, const std::string& role) {
  if (!r.user_exists) return false;
  return role == r.user ||
         std::find(r.member_of.begin(), r.member_of.end(), role) != r.member_of.end();
}

bool DatabaseMatches(const HbaLine& line, const HbaRequest& r) {
  if (r.replication) {
    return std::any_of(line.databases.begin(), line.databases.end(),
                       [](const HbaToken& t) { return IsKeyword(t, "replication"); });
  }
  for (const HbaToken& t : line.databases) {
    if (IsKeyword(t, "all")) return true;
    if (IsKeyword(t, "sameuser")) {
      if (r.database == r.user) return true;
    } else if (IsKeyword(t, "samerole") || IsKeyword(t, "samegroup")) {
      if (IsMember(r, r.database)) return true;
    } else if (IsKeyword(t, "replication")) {
      continue;  // only physical replication connections (above)
    } else if (t.text == r.database) {
      return true;
    }
  }
  return false;
}

bool UserMatches(const HbaLine& line, const HbaRequest& r) {
  for (const HbaToken& t : line.users) {
    if (!t.quoted && !t.text.empty() && t.text[0] == '+') {
      if (IsMember(r, t.text.substr(1))) return true;
    } else if (t.text == r.user || IsKeyword(t, "all")) {
      return true;
    }
  }
  return false;
}

bool AddressMatches(const HbaLine& line, const HbaRequest& r,
                    const std::vector<HbaInterface>& interfaces) {
  switch (line.address_kind) {
    case HbaAddress::kAll:
      return true;
    case HbaAddress::kMasked:
      return r.address.SameNetwork(line.address, line.mask);
    case HbaAddress::kSameHost:
      for (const HbaInterface& i : interfaces) {
        if (i.address.SameNetwork(r.address, IpAddress::Mask(i.address.family, 128))) {
          return true;
        }
      }
      return false;
    case HbaAddress::kSameNet:
      for (const HbaInterface& i : interfaces) {
        if (i.address.SameNetwork(r.address, i.mask)) return true;
      }
      return false;
  }
  return false;
}

}  // namespace

HbaFile ParseHba(std::string_view text, const std::string& file_name,
                 HbaIncludeReader read_include) {
  HbaFile out;
  Tokenizer tokenizer{file_name, read_include};
  int number = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view raw = text.substr(start, end - start);
    ++number;
    start = end + 1;
    std::vector<std::vector<HbaToken>> fields;
    std::string error;
    if (!tokenizer.Fields(raw, &fields, &error)) {
      out.errors.push_back({number, error});
      continue;
    }
    if (fields.empty()) continue;
    try {
      HbaLine line = ParseLine(fields);
      line.line_number = number;
      line.raw = std::string(raw);
      out.lines.push_back(std::move(line));
    } catch (const LineError& e) {
      out.errors.push_back({number, e.message});
    }
  }
  return out;
}

HbaFile LoadHbaFile(const std::string& path) {
  std::optional<std::string> text = ReadWholeFile(path);
  if (!text) {
    HbaFile out;
    out.errors.push_back(
        {0, fmt::format("could not open file \"{}\": {}", path, std::strerror(errno))});
    return out;
  }
  return ParseHba(*text, path, &ReadWholeFile);
}

std::vector<HbaInterface> LocalInterfaces() {
  std::vector<HbaInterface> out;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return out;
  for (ifaddrs* i = list; i != nullptr; i = i->ifa_next) {
    if (i->ifa_addr == nullptr || i->ifa_netmask == nullptr) continue;
    HbaInterface itf;
    int family = i->ifa_addr->sa_family;
    if (family == AF_INET) {
      itf.address.family = itf.mask.family = 4;
      std::memcpy(itf.address.bytes.data(), &reinterpret_cast<sockaddr_in*>(i->ifa_addr)->sin_addr,
                  4);
      std::memcpy(itf.mask.bytes.data(), &reinterpret_cast<sockaddr_in*>(i->ifa_netmask)->sin_addr,
                  4);
    } else if (family == AF_INET6) {
      itf.address.family = itf.mask.family = 6;
      std::memcpy(itf.address.bytes.data(),
                  &reinterpret_cast<sockaddr_in6*>(i->ifa_addr)->sin6_addr, 16);
      std::memcpy(itf.mask.bytes.data(),
                  &reinterpret_cast<sockaddr_in6*>(i->ifa_netmask)->sin6_addr, 16);
    } else {
      continue;
    }
    out.push_back(itf);
  }
  freeifaddrs(list);
  return out;
}

const HbaLine* MatchHba(const HbaFile& file, const HbaRequest& r,
                        const std::vector<HbaInterface>& interfaces) {
  for (const HbaLine& line : file.lines) {
    if (line.type == HbaConnType::kLocal) {
      if (!r.local) continue;
    } else {
      if (r.local) continue;
      if (line.type == HbaConnType::kHostSsl && !r.ssl) continue;
      if (line.type == HbaConnType::kHostNoSsl && r.ssl) continue;
      if (line.type == HbaConnType::kHostGssEnc) continue;  // no GSSAPI encryption
      if (!AddressMatches(line, r, interfaces)) continue;
    }
    if (!DatabaseMatches(line, r) || !UserMatches(line, r)) continue;
    return &line;
  }
  return nullptr;
}

bool UsesInterfaces(const HbaFile& file) {
  return std::any_of(file.lines.begin(), file.lines.end(), [](const HbaLine& l) {
    return l.type != HbaConnType::kLocal &&
           (l.address_kind == HbaAddress::kSameHost || l.address_kind == HbaAddress::kSameNet);
  });
}

bool TrustsBeyondLoopback(const HbaFile& file) {
  const IpAddress v6_loopback = *IpAddress::Parse("::1");
  for (const HbaLine& l : file.lines) {
    if (l.type == HbaConnType::kLocal || l.type == HbaConnType::kHostGssEnc ||
        l.method != HbaMethod::kTrust || l.client_cert != HbaClientCert::kOff) {
      continue;
    }
    if (l.address_kind == HbaAddress::kAll || l.address_kind == HbaAddress::kSameNet) return true;
    if (l.address_kind != HbaAddress::kMasked) continue;  // samehost: this host's addresses
    // Inside 127.0.0.0/8 or exactly ::1.
    bool loopback = l.address.family == 4
                        ? l.mask.bytes[0] == 0xff && l.address.bytes[0] == 127
                        : l.mask.bytes == IpAddress::Mask(6, 128).bytes &&
                              l.address.SameNetwork(v6_loopback, IpAddress::Mask(6, 128));
    if (!loopback) return true;
  }
  return false;
}

std::string_view HbaConnTypeName(HbaConnType t) {
  switch (t) {
    case HbaConnType::kLocal:
      return "local";
    case HbaConnType::kHost:
      return "host";
    case HbaConnType::kHostSsl:
      return "hostssl";
    case HbaConnType::kHostNoSsl:
      return "hostnossl";
    case HbaConnType::kHostGssEnc:
      return "hostgssenc";
    case HbaConnType::kHostNoGssEnc:
      return "hostnogssenc";
  }
  return "";
}

std::string_view HbaMethodName(HbaMethod m) {
  switch (m) {
    case HbaMethod::kTrust:
      return "trust";
    case HbaMethod::kReject:
      return "reject";
    case HbaMethod::kPassword:
      return "password";
    case HbaMethod::kMd5:
      return "md5";
    case HbaMethod::kScramSha256:
      return "scram-sha-256";
    case HbaMethod::kCert:
      return "cert";
  }
  return "";
}

}  // namespace activestore::frontend
