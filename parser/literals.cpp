#include "parser/literals.h"

#include <cstdint>

#include "common/error.h"
#include "common/utf8.h"

namespace activestore::parser {
namespace {

// Cuts `s` to at most kMaxIdentifierBytes without splitting a UTF-8 character.
void TruncateIdentifier(std::string* s) {
  if (s->size() <= kMaxIdentifierBytes) return;
  size_t len = 0;
  while (len < s->size()) {
    size_t n = Utf8Len(static_cast<unsigned char>((*s)[len]));
    if (len + n > kMaxIdentifierBytes) break;
    len += n;
  }
  s->resize(len);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Number of characters (code points) in the first `bytes` bytes of `text`.
int CharCount(std::string_view text, size_t bytes) {
  int n = 0;
  for (size_t i = 0; i < bytes && i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++n;
  }
  return n;
}

}  // namespace

std::string NormalizeIdentifier(std::string_view text) {
  std::string s(text);
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  TruncateIdentifier(&s);
  return s;
}

std::string UnquoteIdentifier(std::string_view text) {
  std::string s;
  s.reserve(text.size());
  for (size_t i = 1; i + 1 < text.size(); ++i) {
    s.push_back(text[i]);
    if (text[i] == '"') ++i;  // "" stands for one "
  }
  TruncateIdentifier(&s);
  return s;
}

std::vector<std::string> SplitQualifiedName(std::string_view text) {
  auto bad = [] { Throw(SqlState::kInvalidName, "invalid name syntax"); };
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; };
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < text.size() && space(text[i])) ++i;
  if (i == text.size()) bad();
  for (;;) {
    std::string part;
    if (i < text.size() && text[i] == '"') {
      ++i;
      for (;;) {
        if (i >= text.size()) bad();
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            part.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        part.push_back(text[i++]);
      }
      if (part.empty()) bad();
      TruncateIdentifier(&part);
    } else {
      size_t start = i;
      while (i < text.size() && text[i] != '.' && !space(text[i])) ++i;
      if (i == start) bad();
      part = NormalizeIdentifier(text.substr(start, i - start));
    }
    parts.push_back(std::move(part));
    while (i < text.size() && space(text[i])) ++i;
    if (i == text.size()) break;
    if (text[i] != '.') bad();
    ++i;
    while (i < text.size() && space(text[i])) ++i;
  }
  return parts;
}

std::string UnquoteString(std::string_view text) {
  std::string s;
  s.reserve(text.size());
  for (size_t i = 1; i + 1 < text.size(); ++i) {
    s.push_back(text[i]);
    if (text[i] == '\'') ++i;  // '' stands for one '
  }
  return s;
}

std::string UnescapeEString(std::string_view text, int position) {
  std::string s;
  s.reserve(text.size());
  // text is E'...': skip the prefix and the quotes.
  const size_t end = text.size() - 1;
  uint32_t pending_high = 0;  // a high surrogate waiting for its low half
  auto fail_unicode = [&](const char* what, size_t at, std::string_view near) {
    throw Error(SqlState::kSyntaxError, fmt::format("{} at or near \"{}\"", what, near))
        .Position(position + CharCount(text, at));
  };
  for (size_t i = 2; i < end; ++i) {
    char c = text[i];
    if (c == '\'') {  // '' stands for one '
      s.push_back('\'');
      ++i;
      continue;
    }
    if (c != '\\' || i + 1 >= end) {
      if (pending_high != 0) fail_unicode("invalid Unicode surrogate pair", i, text.substr(i, 1));
      s.push_back(c);
      continue;
    }
    const size_t esc = i;
    c = text[++i];
    if (pending_high != 0 && c != 'u' && c != 'U') {
      fail_unicode("invalid Unicode surrogate pair", esc, text.substr(esc, c == '\\' ? 1 : 2));
    }
    switch (c) {
      case 'b':
        s.push_back('\b');
        break;
      case 'f':
        s.push_back('\f');
        break;
      case 'n':
        s.push_back('\n');
        break;
      case 'r':
        s.push_back('\r');
        break;
      case 't':
        s.push_back('\t');
        break;
      case 'x': {
        int v = 0, digits = 0;
        while (digits < 2 && i + 1 < end && HexValue(text[i + 1]) >= 0) {
          v = v * 16 + HexValue(text[++i]);
          ++digits;
        }
        if (digits == 0) {
          s.push_back('x');
          break;
        }
        if (v == 0) {
          throw Error(SqlState::kCharacterNotInRepertoire,
                      "invalid byte sequence for encoding \"UTF8\": 0x00");
        }
        s.push_back(static_cast<char>(v));
        break;
      }
      case 'u':
      case 'U': {
        const int want = c == 'u' ? 4 : 8;
        uint32_t cp = 0;
        for (int k = 0; k < want; ++k) {
          if (i + 1 >= end || HexValue(text[i + 1]) < 0) {
            // The scanner's xeunicodefail rule: no "at or near".
            throw Error(SqlState::kInvalidEscapeSequence, "invalid Unicode escape")
                .Hint("Unicode escapes must be \\uXXXX or \\UXXXXXXXX.")
                .Position(position + CharCount(text, esc));
          }
          cp = cp * 16 + static_cast<uint32_t>(HexValue(text[++i]));
        }
        std::string_view near = text.substr(esc, i + 1 - esc);
        if (pending_high != 0) {
          if (cp < 0xDC00 || cp > 0xDFFF) fail_unicode("invalid Unicode surrogate pair", esc, near);
          cp = 0x10000 + ((pending_high - 0xD800) << 10) + (cp - 0xDC00);
          pending_high = 0;
        } else if (cp >= 0xD800 && cp <= 0xDBFF) {
          pending_high = cp;
          break;
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          fail_unicode("invalid Unicode surrogate pair", esc, near);
        }
        if (cp == 0 || cp > 0x10FFFF) fail_unicode("invalid Unicode escape value", esc, near);
        AppendUtf8(cp, &s);
        break;
      }
      default:
        if (c >= '0' && c <= '7') {
          int v = c - '0';
          for (int digits = 1;
               digits < 3 && i + 1 < end && text[i + 1] >= '0' && text[i + 1] <= '7'; ++digits) {
            v = v * 8 + (text[++i] - '0');
          }
          if ((v & 0xFF) == 0) {
            throw Error(SqlState::kCharacterNotInRepertoire,
                        "invalid byte sequence for encoding \"UTF8\": 0x00");
          }
          s.push_back(static_cast<char>(v & 0xFF));
        } else {
          s.push_back(c);
        }
    }
  }
  if (pending_high != 0) {
    fail_unicode("invalid Unicode surrogate pair", end, text.substr(end, 1));
  }
  return s;
}

std::string UnescapeUString(std::string_view full, int position) {
  // U&'body' or U&"body", then maybe UESCAPE 'c'.
  const char quote = full[2];
  size_t close = 3;
  while (close < full.size()) {
    if (full[close] == quote) {
      if (close + 1 < full.size() && full[close + 1] == quote) {
        close += 2;
        continue;
      }
      break;
    }
    ++close;
  }
  char escape = '\\';
  if (close + 1 < full.size()) {
    const size_t lit = full.find('\'', close + 1);
    const std::string value = UnquoteString(full.substr(lit));
    const char c = value.empty() ? '\0' : value[0];
    if (value.size() != 1 || HexValue(c) >= 0 || c == '+' || c == '\'' || c == '"' || c == ' ' ||
        c == '\t' || c == '\n' || c == '\r' || c == '\f') {
      throw Error(
          SqlState::kSyntaxError,
          fmt::format("invalid Unicode escape character at or near \"{}\"", full.substr(lit)))
          .Position(position + CharCount(full, lit));
    }
    escape = c;
  }
  const std::string_view text = full.substr(0, close + 1);
  // PostgreSQL's str_udeescape: \XXXX and \+XXXXXX (with the escape character), surrogate
  // pairs joined; errors point at the escape (bad escape or value) or at where a pair broke.
  std::string s;
  const size_t end = text.size() - 1;
  auto fail = [&](const char* what, size_t at, const char* hint = nullptr) {
    Error err(SqlState::kSyntaxError, what);
    if (hint != nullptr) err.Hint(hint);
    throw err.Position(position + CharCount(text, at));
  };
  auto hex = [&](size_t from, int n) {
    if (from + static_cast<size_t>(n) > end) return false;
    for (int k = 0; k < n; ++k) {
      if (HexValue(text[from + static_cast<size_t>(k)]) < 0) return false;
    }
    return true;
  };
  uint32_t pair_first = 0;
  for (size_t i = 3; i < end;) {
    const char c = text[i];
    if (c == quote && i + 1 < end && text[i + 1] == quote) {
      if (pair_first != 0) fail("invalid Unicode surrogate pair", i);
      s.push_back(quote);
      i += 2;
    } else if (c != escape) {
      if (pair_first != 0) fail("invalid Unicode surrogate pair", i);
      s.push_back(c);
      ++i;
    } else if (i + 1 < end && text[i + 1] == escape) {
      if (pair_first != 0) fail("invalid Unicode surrogate pair", i);
      s.push_back(escape);
      i += 2;
    } else {
      const size_t esc = i;
      int want = 0;
      size_t digits = 0;
      if (hex(i + 1, 4)) {
        want = 4, digits = i + 1;
      } else if (i + 1 < end && text[i + 1] == '+' && hex(i + 2, 6)) {
        want = 6, digits = i + 2;
      } else {
        fail("invalid Unicode escape", esc, "Unicode escapes must be \\XXXX or \\+XXXXXX.");
      }
      uint32_t cp = 0;
      for (int k = 0; k < want; ++k) {
        cp = cp * 16 + static_cast<uint32_t>(HexValue(text[digits + static_cast<size_t>(k)]));
      }
      if (cp == 0 || cp > 0x10FFFF) fail("invalid Unicode escape value", esc);
      if (pair_first != 0) {
        if (cp < 0xDC00 || cp > 0xDFFF) fail("invalid Unicode surrogate pair", esc);
        cp = 0x10000 + ((pair_first - 0xD800) << 10) + (cp - 0xDC00);
        pair_first = 0;
      } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
        fail("invalid Unicode surrogate pair", esc);
      }
      i = digits + static_cast<size_t>(want);
      if (cp >= 0xD800 && cp <= 0xDBFF) {
        pair_first = cp;
      } else {
        AppendUtf8(cp, &s);
      }
    }
  }
  if (pair_first != 0) fail("invalid Unicode surrogate pair", end);
  return s;
}

std::string UndollarString(std::string_view text) {
  size_t tag_end = text.find('$', 1);
  size_t tag_len = tag_end + 1;
  return std::string(text.substr(tag_len, text.size() - 2 * tag_len));
}

ast::ConstKind ClassifyInteger(std::string_view digits, bool negative) {
  // 9223372036854775807 / 9223372036854775808 (the latter only when negative).
  constexpr std::string_view kMax = "9223372036854775807";
  constexpr std::string_view kMinAbs = "9223372036854775808";
  size_t first = digits.find_first_not_of('0');
  std::string_view d = first == std::string_view::npos ? "0" : digits.substr(first);
  std::string_view limit = negative ? kMinAbs : kMax;
  if (d.size() < limit.size()) return ast::ConstKind::kInteger;
  if (d.size() > limit.size()) return ast::ConstKind::kNumeric;
  return d <= limit ? ast::ConstKind::kInteger : ast::ConstKind::kNumeric;
}

}  // namespace activestore::parser
