// String functions of PostgreSQL 15 (varlena.c, oracle_compat.c, quote.c, misc.c) that
// functions.cpp does not have: format, quote_ident/literal/nullable, split_part, chr, ascii,
// unistr, translate, to_hex, starts_with, overlay of text, parse_ident, string_to_table, and
// the VARIADIC forms of concat, concat_ws and format.
#include "executor/string_functions.h"

#include <algorithm>
#include <climits>
#include <string>
#include <vector>

#include "common/array.h"
#include "common/error.h"
#include "common/utf8.h"
#include "common/value_ops.h"
#include "planner/sql_quote.h"

namespace activestore::executor {

using planner::BoundExpr;

namespace {

using Args = std::vector<Value>;

Value Text(std::string s) { return Value::Text(std::move(s)); }
Value NullText() { return Value::Null(Type::Of(TypeId::kText)); }

std::vector<std::string_view> Chars(std::string_view s) {
  std::vector<std::string_view> out;
  for (size_t i = 0; i < s.size();) {
    size_t len = std::min(Utf8Len(static_cast<unsigned char>(s[i])), s.size() - i);
    out.push_back(s.substr(i, len));
    i += len;
  }
  return out;
}

uint32_t CodePoint(std::string_view ch) {
  const auto c = static_cast<unsigned char>(ch[0]);
  if (ch.size() == 1) return c;
  uint32_t cp = c & (0x7F >> ch.size());
  for (size_t k = 1; k < ch.size(); ++k) cp = (cp << 6) | (ch[k] & 0x3F);
  return cp;
}

// A value as its type's output function shows it.
std::string OutputText(const Value& v, ExecState& st) {
  if (IsStringType(v.type.id)) return v.s;
  return FormatValue(v, st.ctx.format);
}

// ---- quoting (quote.c, ruleutils.c quote_identifier) ----

// PostgreSQL 15's keywords other than the unreserved ones: an identifier spelled like one
// needs quotes.
// PostgreSQL 15's keywords other than the unreserved ones (planner/sql_quote.h).
using planner::IsQuotedKeyword;

std::string QuoteIdent(const std::string& s) {
  bool safe = !s.empty() && ((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_');
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) safe = false;
  }
  if (safe && !IsQuotedKeyword(s)) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string QuoteLiteral(const std::string& s) {
  std::string out;
  if (s.find('\\') != std::string::npos) out += 'E';
  out += '\'';
  for (char c : s) {
    if (c == '\'' || c == '\\') out += c;
    out += c;
  }
  return out + "'";
}

Value FnQuoteIdent(const Args& a, const BoundExpr&, ExecState&) { return Text(QuoteIdent(a[0].s)); }
Value FnQuoteLiteral(const Args& a, const BoundExpr&, ExecState&) {
  return Text(QuoteLiteral(a[0].s));
}
Value FnQuoteNullable(const Args& a, const BoundExpr&, ExecState&) {
  return Text(a[0].is_null ? "NULL" : QuoteLiteral(a[0].s));
}

// ---- format (varlena.c text_format) ----

[[noreturn]] void Unterminated() {
  throw Error(SqlState::kInvalidParameterValue, "unterminated format() type specifier")
      .Hint("For a single \"%\" use \"%%\".");
}

[[noreturn]] void ArgumentZero() {
  Throw(SqlState::kInvalidParameterValue,
        "format specifies argument 0, but arguments are numbered from 1");
}

class Formatter {
 public:
  Formatter(std::string_view fmt, const std::vector<Value>& args, ExecState& st)
      : fmt_(fmt), args_(args), st_(st) {}

  std::string Run() {
    std::string out;
    size_t arg = 0;  // the next argument (0-based among the values after the format)
    for (p_ = 0; p_ < fmt_.size(); ++p_) {
      if (fmt_[p_] != '%') {
        out += fmt_[p_];
        continue;
      }
      Advance();
      if (fmt_[p_] == '%') {
        out += '%';
        continue;
      }
      int argpos = -1, widthpos = -1, width = 0;
      bool minus = false;
      ParseSpec(&argpos, &widthpos, &minus, &width);
      const char conv = fmt_[p_];
      if (conv != 's' && conv != 'I' && conv != 'L') {
        size_t len = std::min(Utf8Len(static_cast<unsigned char>(conv)), fmt_.size() - p_);
        throw Error(
            SqlState::kInvalidParameterValue,
            fmt::format("unrecognized format() type specifier \"{}\"", fmt_.substr(p_, len)))
            .Hint("For a single \"%\" use \"%%\".");
      }
      if (widthpos >= 0) {
        if (widthpos > 0) arg = static_cast<size_t>(widthpos) - 1;
        const Value& w = Take(&arg);
        if (w.is_null) {
          width = 0;
        } else if (w.type.id == TypeId::kInt32 || w.type.id == TypeId::kInt16) {
          width = static_cast<int>(w.i);
        } else {
          width = static_cast<int>(
              CastValue(Value::Text(OutputText(w, st_)), Type::Of(TypeId::kInt32)).i);
        }
      }
      if (argpos > 0) arg = static_cast<size_t>(argpos) - 1;
      const Value& v = Take(&arg);
      std::string str;
      if (v.is_null) {
        if (conv == 'I') {
          Throw(SqlState::kNullValueNotAllowed,
                "null values cannot be formatted as an SQL identifier");
        }
        str = conv == 'L' ? "NULL" : "";
      } else {
        str = OutputText(v, st_);
        if (conv == 'I') str = QuoteIdent(str);
        if (conv == 'L') str = QuoteLiteral(str);
      }
      Append(str, minus, width, &out);
    }
    return out;
  }

 private:
  void Advance() {
    if (++p_ >= fmt_.size()) Unterminated();
  }

  bool Digits(int* value) {
    bool found = false;
    int64_t v = 0;
    while (fmt_[p_] >= '0' && fmt_[p_] <= '9') {
      v = v * 10 + (fmt_[p_] - '0');
      if (v > INT_MAX) Throw(SqlState::kNumericValueOutOfRange, "number is out of range");
      Advance();
      found = true;
    }
    *value = static_cast<int>(v);
    return found;
  }

  void ParseSpec(int* argpos, int* widthpos, bool* minus, int* width) {
    int n;
    if (Digits(&n)) {
      if (fmt_[p_] != '$') {
        *width = n;
        return;
      }
      *argpos = n;
      if (n == 0) ArgumentZero();
      Advance();
    }
    while (fmt_[p_] == '-') {
      *minus = true;
      Advance();
    }
    if (fmt_[p_] == '*') {
      Advance();
      if (Digits(&n)) {
        if (fmt_[p_] != '$') {
          Throw(SqlState::kInvalidParameterValue, "width argument position must be ended by \"$\"");
        }
        *widthpos = n;
        if (n == 0) ArgumentZero();
        Advance();
      } else {
        *widthpos = 0;
      }
    } else if (Digits(&n)) {
      *width = n;
    }
  }

  const Value& Take(size_t* arg) {
    if (*arg >= args_.size()) {
      Throw(SqlState::kInvalidParameterValue, "too few arguments for format()");
    }
    return args_[(*arg)++];
  }

  static void Append(const std::string& s, bool minus, int width, std::string* out) {
    if (width == 0) {
      *out += s;
      return;
    }
    bool left = minus;
    if (width < 0) {
      if (width == INT_MIN) Throw(SqlState::kProgramLimitExceeded, "number is out of range");
      left = true;
      width = -width;
    }
    const auto len = static_cast<int64_t>(Chars(s).size());
    const std::string pad = len < width ? std::string(static_cast<size_t>(width - len), ' ') : "";
    *out += left ? s + pad : pad + s;
  }

  std::string_view fmt_;
  const std::vector<Value>& args_;
  ExecState& st_;
  size_t p_ = 0;
};

Value FnFormat(const Args& a, const BoundExpr&, ExecState& st) {
  if (a[0].is_null) return NullText();
  std::vector<Value> rest(a.begin() + 1, a.end());
  return Text(Formatter(a[0].s, rest, st).Run());
}

// The elements of the VARIADIC array argument (the last one) as arguments; false when the
// array is NULL.
bool ExpandVariadic(const Args& a, const BoundExpr& e, Args* out) {
  *out = Args(a.begin(), a.end() - 1);
  if (a.back().is_null) return false;
  for (Value& v : ArrayView(a.back().s).Elements(ElementTypeOf(e.children.back()->type))) {
    out->push_back(std::move(v));
  }
  return true;
}

Value FnFormatVariadic(const Args& a, const BoundExpr& e, ExecState& st) {
  if (a[0].is_null) return NullText();
  Args args;
  ExpandVariadic(a, e, &args);
  std::vector<Value> rest(args.begin() + 1, args.end());
  return Text(Formatter(a[0].s, rest, st).Run());
}

Value FnConcatVariadic(const Args& a, const BoundExpr& e, ExecState& st) {
  Args args;
  if (!ExpandVariadic(a, e, &args)) return NullText();
  std::string out;
  for (const Value& v : args) {
    if (!v.is_null) out += OutputText(v, st);
  }
  return Text(std::move(out));
}

Value FnConcatWsVariadic(const Args& a, const BoundExpr& e, ExecState& st) {
  Args args;
  if (a[0].is_null || !ExpandVariadic(a, e, &args)) return NullText();
  std::string out;
  bool first = true;
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i].is_null) continue;
    if (!first) out += a[0].s;
    out += OutputText(args[i], st);
    first = false;
  }
  return Text(std::move(out));
}

// ---- split_part, chr, ascii, translate, to_hex, starts_with, overlay ----

Value FnSplitPart(const Args& a, const BoundExpr&, ExecState&) {
  const std::string& s = a[0].s;
  const std::string& d = a[1].s;
  int64_t n = a[2].i;
  if (n == 0) Throw(SqlState::kInvalidParameterValue, "field position must not be zero");
  if (s.empty()) return Text("");
  if (d.empty()) return Text(n == 1 || n == -1 ? s : "");
  std::vector<std::string> fields;
  for (size_t pos = 0;;) {
    size_t next = s.find(d, pos);
    if (next == std::string::npos) {
      fields.push_back(s.substr(pos));
      break;
    }
    fields.push_back(s.substr(pos, next - pos));
    pos = next + d.size();
  }
  const auto count = static_cast<int64_t>(fields.size());
  if (n < 0) n = count + n + 1;
  if (n < 1 || n > count) return Text("");
  return Text(fields[static_cast<size_t>(n - 1)]);
}

Value FnChr(const Args& a, const BoundExpr&, ExecState&) {
  const int64_t c = a[0].i;
  if (c < 0) Throw(SqlState::kInvalidParameterValue, "character number must be positive");
  if (c == 0) Throw(SqlState::kProgramLimitExceeded, "null character not permitted");
  if (c > 0x10FFFF) {
    Throw(SqlState::kProgramLimitExceeded, "requested character too large for encoding: {}", c);
  }
  if (c >= 0xD800 && c <= 0xDFFF) {
    Throw(SqlState::kProgramLimitExceeded, "requested character not valid for encoding: {}", c);
  }
  std::string out;
  AppendUtf8(static_cast<uint32_t>(c), &out);
  return Text(std::move(out));
}

Value FnAscii(const Args& a, const BoundExpr&, ExecState&) {
  if (a[0].s.empty()) return Value::Int32(0);
  return Value::Int32(static_cast<int32_t>(CodePoint(Chars(a[0].s)[0])));
}

Value FnTranslate(const Args& a, const BoundExpr&, ExecState&) {
  const auto from = Chars(a[1].s);
  const auto to = Chars(a[2].s);
  std::string out;
  for (std::string_view ch : Chars(a[0].s)) {
    auto it = std::find(from.begin(), from.end(), ch);
    if (it == from.end()) {
      out += ch;
    } else if (static_cast<size_t>(it - from.begin()) < to.size()) {
      out += to[static_cast<size_t>(it - from.begin())];
    }
  }
  return Text(std::move(out));
}

Value FnToHex(const Args& a, const BoundExpr&, ExecState&) {
  const uint64_t v = a[0].type.id == TypeId::kInt32
                         ? static_cast<uint64_t>(static_cast<uint32_t>(a[0].i))
                         : static_cast<uint64_t>(a[0].i);
  return Text(fmt::format("{:x}", v));
}

Value FnStartsWith(const Args& a, const BoundExpr&, ExecState&) {
  return Value::Bool(a[0].s.compare(0, a[1].s.size(), a[1].s) == 0);
}

// substring(s from start for len) in characters (text_substring); len < 0 means to the end.
std::string CharSubstring(const std::vector<std::string_view>& chars, int64_t start, int64_t len) {
  int64_t from = std::max<int64_t>(start, 1);
  int64_t to = len < 0 ? static_cast<int64_t>(chars.size()) + 1 : start + len;  // exclusive
  std::string out;
  for (int64_t i = from; i < to && i <= static_cast<int64_t>(chars.size()); ++i) {
    out += chars[static_cast<size_t>(i - 1)];
  }
  return out;
}

Value FnTextOverlay(const Args& a, const BoundExpr&, ExecState&) {
  const auto chars = Chars(a[0].s);
  const int64_t sp = a[2].i;
  const int64_t sl = a.size() > 3 ? a[3].i : static_cast<int64_t>(Chars(a[1].s).size());
  const int64_t end = sp + sl;
  if (end > INT32_MAX || end < INT32_MIN) {
    Throw(SqlState::kNumericValueOutOfRange, "integer out of range");
  }
  if (sp - 1 < 0) Throw(SqlState::kSubstringError, "negative substring length not allowed");
  return Text(CharSubstring(chars, 1, sp - 1) + a[1].s + CharSubstring(chars, end, -1));
}

// ---- unistr (varlena.c) ----

bool HexDigits(std::string_view s, size_t at, size_t n) {
  if (at + n > s.size()) return false;
  for (size_t i = at; i < at + n; ++i) {
    if (!std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

Value FnUnistr(const Args& a, const BoundExpr&, ExecState&) {
  const std::string& in = a[0].s;
  std::string out;
  uint32_t pair_first = 0;
  auto invalid_pair = [] { Throw(SqlState::kSyntaxError, "invalid Unicode surrogate pair"); };
  for (size_t i = 0; i < in.size();) {
    if (in[i] != '\\') {
      if (pair_first != 0) invalid_pair();
      out += in[i++];
      continue;
    }
    if (i + 1 < in.size() && in[i + 1] == '\\') {
      out += '\\';
      i += 2;
      continue;
    }
    size_t digits, skip;
    if (HexDigits(in, i + 1, 4)) {
      digits = i + 1, skip = 5;
    } else if (i + 1 < in.size() && in[i + 1] == 'u' && HexDigits(in, i + 2, 4)) {
      digits = i + 2, skip = 6;
    } else if (i + 1 < in.size() && in[i + 1] == '+' && HexDigits(in, i + 2, 6)) {
      digits = i + 2, skip = 8;
    } else if (i + 1 < in.size() && in[i + 1] == 'U' && HexDigits(in, i + 2, 8)) {
      digits = i + 2, skip = 10;
    } else {
      throw Error(SqlState::kSyntaxError, "invalid Unicode escape")
          .Hint("Unicode escapes must be \\XXXX, \\+XXXXXX, \\uXXXX, or \\UXXXXXXXX.");
    }
    const uint32_t cp =
        static_cast<uint32_t>(std::stoul(in.substr(digits, skip - (digits - i)), nullptr, 16));
    if (cp == 0 || cp > 0x10FFFF) {
      Throw(SqlState::kInvalidParameterValue, "invalid Unicode code point: {:04X}", cp);
    }
    uint32_t c = cp;
    if (pair_first != 0) {
      if (c < 0xDC00 || c > 0xDFFF) invalid_pair();
      c = 0x10000 + ((pair_first - 0xD800) << 10) + (c - 0xDC00);
      pair_first = 0;
    } else if (c >= 0xDC00 && c <= 0xDFFF) {
      invalid_pair();
    }
    if (c >= 0xD800 && c <= 0xDBFF) {
      pair_first = c;
    } else {
      AppendUtf8(c, &out);
    }
    i += skip;
  }
  if (pair_first != 0) invalid_pair();
  return Text(std::move(out));
}

// ---- parse_ident (misc.c) ----

bool IsIdentStart(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
bool IsIdentCont(unsigned char c) { return IsIdentStart(c) || std::isdigit(c) || c == '$'; }
bool IsScannerSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

Value FnParseIdent(const Args& a, const BoundExpr&, ExecState&) {
  const std::string& s = a[0].s;
  const bool strict = a.size() < 2 || a[1].i != 0;
  auto fail = [&](const char* detail) {
    Error err(SqlState::kInvalidParameterValue,
              fmt::format("string is not a valid identifier: \"{}\"", s));
    if (detail != nullptr) err.Detail(detail);
    throw err;
  };
  // PostgreSQL reads a C string: a NUL byte ends it.
  const size_t end = std::min(s.find('\0'), s.size());
  auto at = [&](size_t i) { return i < end ? s[i] : '\0'; };
  std::vector<Value> parts;
  size_t p = 0;
  bool after_dot = false;
  while (IsScannerSpace(at(p))) ++p;
  for (;;) {
    bool missing = true;
    if (at(p) == '"') {
      std::string name;
      size_t q = p + 1;
      for (;;) {
        size_t close = s.find('"', q);
        if (close == std::string::npos || close >= end) fail("String has unclosed double quotes.");
        name += s.substr(q, close - q);
        if (at(close + 1) != '"') {
          p = close + 1;
          break;
        }
        name += '"';
        q = close + 2;
      }
      if (name.empty()) fail("Quoted identifier must not be empty.");
      parts.push_back(Value::Text(std::move(name)));
      missing = false;
    } else if (IsIdentStart(static_cast<unsigned char>(at(p)))) {
      size_t q = p + 1;
      while (IsIdentCont(static_cast<unsigned char>(at(q)))) ++q;
      std::string name = s.substr(p, q - p);
      for (char& c : name) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      }
      parts.push_back(Value::Text(std::move(name)));
      p = q;
      missing = false;
    }
    if (missing) {
      if (at(p) == '.') fail("No valid identifier before \".\".");
      if (after_dot) fail("No valid identifier after \".\".");
      fail(nullptr);
    }
    while (IsScannerSpace(at(p))) ++p;
    if (at(p) == '.') {
      after_dot = true;
      ++p;
      while (IsScannerSpace(at(p))) ++p;
    } else if (at(p) == '\0') {
      break;
    } else {
      if (strict) fail(nullptr);
      break;
    }
  }
  return MakeArrayValue(Type::Of(kTextArrayType), parts);
}

}  // namespace

std::vector<Value> StringToTable(const Args& a, const BoundExpr&, ExecState&) {
  std::vector<Value> out;
  if (a[0].is_null) return out;
  const std::string& s = a[0].s;
  const bool has_null_text = a.size() > 2 && !a[2].is_null;
  auto add = [&](std::string piece) {
    out.push_back(has_null_text && piece == a[2].s ? NullText() : Text(std::move(piece)));
  };
  if (s.empty()) return out;
  if (a[1].is_null) {
    for (std::string_view ch : Chars(s)) add(std::string(ch));
  } else if (a[1].s.empty()) {
    add(s);
  } else {
    for (size_t pos = 0;;) {
      size_t next = s.find(a[1].s, pos);
      if (next == std::string::npos) {
        add(s.substr(pos));
        break;
      }
      add(s.substr(pos, next - pos));
      pos = next + a[1].s.size();
    }
  }
  return out;
}

const std::vector<StringFunctionEntry>& StringFunctionEntries() {
  static const std::vector<StringFunctionEntry> kFns = {
      {"quote_ident", FnQuoteIdent, true},
      {"quote_literal", FnQuoteLiteral, true},
      {"quote_nullable", FnQuoteNullable, false},
      {"format", FnFormat, false},
      {"format_variadic", FnFormatVariadic, false},
      {"concat_variadic", FnConcatVariadic, false},
      {"concat_ws_variadic", FnConcatWsVariadic, false},
      {"split_part", FnSplitPart, true},
      {"chr", FnChr, true},
      {"ascii", FnAscii, true},
      {"translate", FnTranslate, true},
      {"to_hex", FnToHex, true},
      {"starts_with", FnStartsWith, true},
      {"textoverlay", FnTextOverlay, true},
      {"unistr", FnUnistr, true},
      {"parse_ident", FnParseIdent, true},
  };
  return kFns;
}

}  // namespace activestore::executor
