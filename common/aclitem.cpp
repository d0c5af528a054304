#include "common/aclitem.h"

#include <fmt/format.h>

#include <cctype>
#include <cstring>
#include <optional>
#include <string>

#include "common/error.h"
#include "common/reg_types.h"
#include "common/type_registry.h"
#include "common/value.h"
#include "common/value_ops.h"

namespace activestore {
namespace {

constexpr uint32_t kBootstrapSuperuser = 10;

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// getid: a name, plain (letters, digits, '_', non-ASCII) or in double quotes ("" for a quote).
// Advances *pos past it.
std::string ReadName(std::string_view s, size_t* pos) {
  std::string out;
  bool quoted = false;
  size_t i = *pos;
  while (i < s.size() && IsBlank(s[i])) ++i;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    const auto u = static_cast<unsigned char>(c);
    if (quoted) {
      if (c == '"') {
        if (i + 1 < s.size() && s[i + 1] == '"') {
          out += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        out += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (std::isalnum(u) || c == '_' || u >= 0x80) {
      out += c;
    } else {
      break;
    }
  }
  if (quoted) {
    Throw(SqlState::kInvalidTextRepresentation, "unterminated name");
  }
  while (i < s.size() && IsBlank(s[i])) ++i;
  *pos = i;
  return out;
}

uint32_t RoleOid(const std::string& name, const FormatOptions& opts) {
  if (opts.reg == nullptr) {
    Throw(SqlState::kFeatureNotSupported, "aclitem input needs the catalog");
  }
  // Through regrole's input, quoted so that the name is taken as it is.
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return *opts.reg->Lookup(kRegRoleType, quoted, false);
}

// regroleout's text back to the role's name (it quotes as quote_identifier does).
std::string RoleName(uint32_t oid, const FormatOptions& opts) {
  std::optional<std::string> name;
  if (opts.reg != nullptr) name = opts.reg->Name(kRegRoleType, oid);
  if (!name) return std::to_string(oid);
  if (name->size() < 2 || name->front() != '"') return *name;
  std::string out;
  for (size_t i = 1; i + 1 < name->size(); ++i) {
    out += (*name)[i];
    if ((*name)[i] == '"') ++i;
  }
  return out;
}

void AclItemIn(std::string_view text, const FormatOptions& opts, Value* out) {
  size_t pos = 0;
  const std::string grantee_name = ReadName(text, &pos);
  if (pos >= text.size() || text[pos] != '=') {
    if (!grantee_name.empty()) {
      throw Error(SqlState::kInvalidTextRepresentation,
                  fmt::format("unrecognized key word: \"{}\"", grantee_name))
          .Hint("ACL key word must be \"group\" or \"user\".");
    }
    Throw(SqlState::kInvalidTextRepresentation, "missing \"=\" sign");
  }
  ++pos;
  uint32_t privs = 0, options = 0, last = 0;
  for (; pos < text.size() && !IsBlank(text[pos]) && text[pos] != '/'; ++pos) {
    const char c = text[pos];
    if (c == '*') {
      options |= last;
      continue;
    }
    const char* at = c == '\0' ? nullptr : std::strchr(kAclLetters, c);
    if (at == nullptr) {
      Throw(SqlState::kInvalidTextRepresentation, "invalid mode character: must be one of \"{}\"",
            kAclLetters);
    }
    last = 1u << (at - kAclLetters);
    privs |= last;
  }
  while (pos < text.size() && IsBlank(text[pos])) ++pos;
  uint32_t grantor = kBootstrapSuperuser;
  if (pos < text.size() && text[pos] == '/') {
    ++pos;
    const std::string grantor_name = ReadName(text, &pos);
    if (grantor_name.empty()) {
      Throw(SqlState::kInvalidTextRepresentation, "a name must follow the \"/\" sign");
    }
    grantor = RoleOid(grantor_name, opts);
  }  // else PostgreSQL also warns "defaulting grantor to user ID 10" (no notice channel here)
  while (pos < text.size() && IsBlank(text[pos])) ++pos;
  if (pos < text.size()) {
    Throw(SqlState::kInvalidTextRepresentation,
          "extra garbage at the end of the ACL specification");
  }
  const uint32_t grantee = grantee_name.empty() ? 0 : RoleOid(grantee_name, opts);
  *out = AclItemValue(grantee, grantor, privs, options);
}

std::string AclItemOut(const Value& v, const FormatOptions& opts) {
  const AclItemParts p = AclItemOf(v);
  std::string out;
  if (p.grantee != 0) out += QuoteAclName(RoleName(p.grantee, opts));
  out += '=';
  out += AclModeText(p.privs, p.grant_options);
  out += '/';
  out += QuoteAclName(RoleName(p.grantor, opts));
  return out;
}

int AclItemCompare(int64_t a, int64_t a2, int64_t b, int64_t b2) {
  if (a != b) return a < b ? -1 : 1;
  return a2 < b2 ? -1 : (a2 > b2 ? 1 : 0);
}
uint64_t AclItemHash(int64_t w, int64_t w2) {
  uint64_t x = static_cast<uint64_t>(w) * 0x9e3779b97f4a7c15ULL ^ static_cast<uint64_t>(w2);
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return x;
}
void AclItemKey(const Value& v, std::string* out) {
  for (int64_t w : {v.i, v.i2}) {
    const uint64_t u = static_cast<uint64_t>(w) ^ (uint64_t{1} << 63);
    for (int i = 7; i >= 0; --i) out->push_back(static_cast<char>(u >> (8 * i)));
  }
}

}  // namespace

const TypeMethods kAclItemMethods = {AclItemIn, AclItemOut, AclItemCompare, AclItemHash,
                                     AclItemKey};

std::string AclModeText(uint32_t privs, uint32_t grant_options) {
  std::string out;
  for (int i = 0; kAclLetters[i] != 0; ++i) {
    const uint32_t bit = 1u << i;
    if ((privs & bit) == 0) continue;
    out += kAclLetters[i];
    if ((grant_options & bit) != 0) out += '*';
  }
  return out;
}

std::string QuoteAclName(std::string_view name) {
  bool plain = !name.empty();
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    plain = plain && (std::isalnum(u) || c == '_' || u >= 0x80);
  }
  if (plain) return std::string(name);
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

Value AclItemValue(uint32_t grantee, uint32_t grantor, uint32_t privs, uint32_t grant_options) {
  Value v = Value::Int(kAclItemType, static_cast<int64_t>((uint64_t{grantee} << 32) | grantor));
  v.i2 = static_cast<int64_t>(privs | (grant_options << 16));
  return v;
}

AclItemParts AclItemOf(const Value& v) {
  const auto w = static_cast<uint64_t>(v.i);
  const auto w2 = static_cast<uint32_t>(v.i2);
  return {static_cast<uint32_t>(w >> 32), static_cast<uint32_t>(w), w2 & 0xffff, w2 >> 16};
}

}  // namespace activestore
