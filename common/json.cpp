#include "common/json.h"

#include <fmt/format.h>

#include "common/error.h"
#include "common/stack_depth.h"
#include "common/type_registry.h"
#include "common/utf8.h"
#include "common/value.h"

namespace activestore {
namespace {

// PostgreSQL's JsonTokenType and JsonParseErrorType / JsonParseContext (jsonapi.h).
enum class Tok {
  kInvalid,
  kObjectStart,
  kObjectEnd,
  kArrayStart,
  kArrayEnd,
  kComma,
  kColon,
  kString,
  kNumber,
  kTrue,
  kFalse,
  kNull,
  kEnd
};
enum class Err {
  kInvalidToken,
  kEscapingInvalid,
  kEscapingRequired,
  kExpectedEnd,
  kExpectedArrayFirst,
  kExpectedArrayNext,
  kExpectedColon,
  kExpectedJson,
  kExpectedMore,
  kExpectedObjectFirst,
  kExpectedObjectNext,
  kExpectedString,
  kUnicodeCodePointZero,
  kUnicodeEscapeFormat,
  kUnicodeHighSurrogate,
  kUnicodeLowSurrogate,
};
enum class Ctx {
  kValue,
  kString,
  kArrayStart,
  kArrayNext,
  kObjectStart,
  kObjectLabel,
  kObjectNext,
  kEnd
};

constexpr size_t kNone = static_cast<size_t>(-1);

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         (static_cast<unsigned char>(c) & 0x80) != 0;
}

size_t CharLen(std::string_view in, size_t at) {
  if (at >= in.size()) return 0;
  const size_t n = Utf8Len(static_cast<unsigned char>(in[at]));
  return std::min(n == 0 ? size_t{1} : n, in.size() - at);
}

class Parser {
 public:
  Parser(std::string_view in, bool unescape) : in_(in), unescape_(unescape) {}

  JsonNode Parse() {
    Lex();
    JsonNode root;
    ParseValue(&root);
    if (type_ != Tok::kEnd) Report(Ctx::kEnd);
    return root;
  }

 private:
  // ---- Errors: json_errdetail, report_json_context, json_ereport_error.
  [[noreturn]] void Fail(Err e) {
    const std::string_view tok = token_start_ == kNone
                                     ? std::string_view()
                                     : in_.substr(token_start_, token_terminator_ - token_start_);
    std::string detail;
    switch (e) {
      case Err::kInvalidToken:
        detail = fmt::format("Token \"{}\" is invalid.", tok);
        break;
      case Err::kEscapingInvalid:
        detail = fmt::format("Escape sequence \"\\{}\" is invalid.", tok);
        break;
      case Err::kEscapingRequired:
        detail = fmt::format("Character with value 0x{:02x} must be escaped.",
                             static_cast<unsigned char>(in_[token_terminator_]));
        break;
      case Err::kExpectedEnd:
        detail = fmt::format("Expected end of input, but found \"{}\".", tok);
        break;
      case Err::kExpectedArrayFirst:
        detail = fmt::format("Expected array element or \"]\", but found \"{}\".", tok);
        break;
      case Err::kExpectedArrayNext:
        detail = fmt::format("Expected \",\" or \"]\", but found \"{}\".", tok);
        break;
      case Err::kExpectedColon:
        detail = fmt::format("Expected \":\", but found \"{}\".", tok);
        break;
      case Err::kExpectedJson:
        detail = fmt::format("Expected JSON value, but found \"{}\".", tok);
        break;
      case Err::kExpectedMore:
        detail = "The input string ended unexpectedly.";
        break;
      case Err::kExpectedObjectFirst:
        detail = fmt::format("Expected string or \"}}\", but found \"{}\".", tok);
        break;
      case Err::kExpectedObjectNext:
        detail = fmt::format("Expected \",\" or \"}}\", but found \"{}\".", tok);
        break;
      case Err::kExpectedString:
        detail = fmt::format("Expected string, but found \"{}\".", tok);
        break;
      case Err::kUnicodeCodePointZero:
        detail = "\\u0000 cannot be converted to text.";
        break;
      case Err::kUnicodeEscapeFormat:
        detail = "\"\\u\" must be followed by four hexadecimal digits.";
        break;
      case Err::kUnicodeHighSurrogate:
        detail = "Unicode high surrogate must not follow a high surrogate.";
        break;
      case Err::kUnicodeLowSurrogate:
        detail = "Unicode low surrogate must follow a high surrogate.";
        break;
    }
    Error err =
        e == Err::kUnicodeCodePointZero
            ? Error(SqlState::kUntranslatableCharacter, "unsupported Unicode escape sequence")
            : Error(SqlState::kInvalidTextRepresentation, "invalid input syntax for type json");
    err.Detail(std::move(detail));
    err.context = Context();
    throw err;
  }

  std::string Context() const {
    size_t start = line_start_;
    const size_t end = token_terminator_;
    while (end - start >= 50) start += std::max<size_t>(1, CharLen(in_, start));
    if (start - line_start_ <= 3) start = line_start_;
    const bool more =
        type_ != Tok::kEnd && end < in_.size() && in_[end] != '\n' && in_[end] != '\r';
    return fmt::format("JSON data, line {}: {}{}{}", line_number_, start > line_start_ ? "..." : "",
                       in_.substr(start, end - start), more ? "..." : "");
  }

  [[noreturn]] void Report(Ctx ctx) {
    if (token_start_ == kNone || type_ == Tok::kEnd) Fail(Err::kExpectedMore);
    switch (ctx) {
      case Ctx::kEnd:
        Fail(Err::kExpectedEnd);
      case Ctx::kValue:
        Fail(Err::kExpectedJson);
      case Ctx::kString:
        Fail(Err::kExpectedString);
      case Ctx::kArrayStart:
        Fail(Err::kExpectedArrayFirst);
      case Ctx::kArrayNext:
        Fail(Err::kExpectedArrayNext);
      case Ctx::kObjectStart:
        Fail(Err::kExpectedObjectFirst);
      case Ctx::kObjectLabel:
        Fail(Err::kExpectedColon);
      case Ctx::kObjectNext:
        Fail(Err::kExpectedObjectNext);
    }
    Fail(Err::kExpectedJson);
  }

  void Expect(Ctx ctx, Tok t) {
    if (type_ != t) Report(ctx);
    Lex();
  }

  // ---- The lexer (json_lex).
  void Lex() {
    size_t s = token_terminator_;
    while (s < in_.size() &&
           (in_[s] == ' ' || in_[s] == '\t' || in_[s] == '\n' || in_[s] == '\r')) {
      if (in_[s++] == '\n') {
        ++line_number_;
        line_start_ = s;
      }
    }
    token_start_ = s;
    if (s >= in_.size()) {
      token_start_ = kNone;
      token_terminator_ = s;
      type_ = Tok::kEnd;
      return;
    }
    auto punct = [&](Tok t) {
      token_terminator_ = s + 1;
      type_ = t;
    };
    switch (in_[s]) {
      case '{':
        return punct(Tok::kObjectStart);
      case '}':
        return punct(Tok::kObjectEnd);
      case '[':
        return punct(Tok::kArrayStart);
      case ']':
        return punct(Tok::kArrayEnd);
      case ',':
        return punct(Tok::kComma);
      case ':':
        return punct(Tok::kColon);
      case '"':
        LexString();
        type_ = Tok::kString;
        return;
      case '-':
        LexNumber(s + 1);
        type_ = Tok::kNumber;
        return;
      default:
        break;
    }
    if (in_[s] >= '0' && in_[s] <= '9') {
      LexNumber(s);
      type_ = Tok::kNumber;
      return;
    }
    size_t p = s;
    while (p < in_.size() && IsAlnum(in_[p])) ++p;
    if (p == s) {
      token_terminator_ = s + 1;
      Fail(Err::kInvalidToken);
    }
    token_terminator_ = p;
    const std::string_view word = in_.substr(s, p - s);
    if (word == "true") {
      type_ = Tok::kTrue;
    } else if (word == "null") {
      type_ = Tok::kNull;
    } else if (word == "false") {
      type_ = Tok::kFalse;
    } else {
      Fail(Err::kInvalidToken);
    }
  }

  void LexNumber(size_t s) {
    bool error = false;
    const size_t n = in_.size();
    auto digit = [&](size_t i) { return i < n && in_[i] >= '0' && in_[i] <= '9'; };
    if (s < n && in_[s] == '0') {
      ++s;
    } else if (s < n && in_[s] >= '1' && in_[s] <= '9') {
      while (digit(s)) ++s;
    } else {
      error = true;
    }
    if (s < n && in_[s] == '.') {
      ++s;
      if (!digit(s)) {
        error = true;
      } else {
        while (digit(s)) ++s;
      }
    }
    if (s < n && (in_[s] == 'e' || in_[s] == 'E')) {
      ++s;
      if (s < n && (in_[s] == '+' || in_[s] == '-')) ++s;
      if (!digit(s)) {
        error = true;
      } else {
        while (digit(s)) ++s;
      }
    }
    for (; s < n && IsAlnum(in_[s]); ++s) error = true;
    token_terminator_ = s;
    if (error) Fail(Err::kInvalidToken);
  }

  static bool IsHighSurrogate(int c) { return c >= 0xD800 && c <= 0xDBFF; }
  static bool IsLowSurrogate(int c) { return c >= 0xDC00 && c <= 0xDFFF; }

  void LexString() {
    const size_t n = in_.size();
    int hi_surrogate = -1;
    if (unescape_) strval_.clear();
    size_t s = token_start_;
    auto fail_at_start = [&](Err e) {
      token_terminator_ = s;
      Fail(e);
    };
    auto fail_at_end = [&](Err e) {
      token_terminator_ = s + CharLen(in_, s);
      Fail(e);
    };
    for (;;) {
      ++s;
      if (s >= n) fail_at_start(Err::kInvalidToken);
      const char c = in_[s];
      if (c == '"') break;
      if (c == '\\') {
        ++s;
        if (s >= n) fail_at_start(Err::kInvalidToken);
        if (in_[s] == 'u') {
          int ch = 0;
          for (int i = 1; i <= 4; ++i) {
            ++s;
            if (s >= n) fail_at_start(Err::kInvalidToken);
            const char h = in_[s];
            if (h >= '0' && h <= '9') {
              ch = ch * 16 + (h - '0');
            } else if (h >= 'a' && h <= 'f') {
              ch = ch * 16 + (h - 'a') + 10;
            } else if (h >= 'A' && h <= 'F') {
              ch = ch * 16 + (h - 'A') + 10;
            } else {
              fail_at_end(Err::kUnicodeEscapeFormat);
            }
          }
          if (unescape_) {
            if (IsHighSurrogate(ch)) {
              if (hi_surrogate != -1) fail_at_end(Err::kUnicodeHighSurrogate);
              hi_surrogate = ch;
              continue;
            }
            if (IsLowSurrogate(ch)) {
              if (hi_surrogate == -1) fail_at_end(Err::kUnicodeLowSurrogate);
              ch = 0x10000 + ((hi_surrogate & 0x3FF) << 10) + (ch & 0x3FF);
              hi_surrogate = -1;
            }
            if (hi_surrogate != -1) fail_at_end(Err::kUnicodeLowSurrogate);
            if (ch == 0) fail_at_end(Err::kUnicodeCodePointZero);
            AppendUtf8(static_cast<uint32_t>(ch), &strval_);
          }
        } else if (unescape_) {
          if (hi_surrogate != -1) fail_at_end(Err::kUnicodeLowSurrogate);
          switch (in_[s]) {
            case '"':
            case '\\':
            case '/':
              strval_.push_back(in_[s]);
              break;
            case 'b':
              strval_.push_back('\b');
              break;
            case 'f':
              strval_.push_back('\f');
              break;
            case 'n':
              strval_.push_back('\n');
              break;
            case 'r':
              strval_.push_back('\r');
              break;
            case 't':
              strval_.push_back('\t');
              break;
            default:
              token_start_ = s;
              fail_at_end(Err::kEscapingInvalid);
          }
        } else if (std::string_view("\"\\/bfnrt").find(in_[s]) == std::string_view::npos) {
          token_start_ = s;
          fail_at_end(Err::kEscapingInvalid);
        }
        continue;
      }
      if (hi_surrogate != -1) fail_at_end(Err::kUnicodeLowSurrogate);
      size_t p = s;
      while (p < n && in_[p] != '\\' && in_[p] != '"') {
        if (static_cast<unsigned char>(in_[p]) <= 31) {
          token_terminator_ = p;
          Fail(Err::kEscapingRequired);
        }
        ++p;
      }
      if (unescape_) strval_.append(in_.substr(s, p - s));
      s = p - 1;
    }
    if (hi_surrogate != -1) {
      token_terminator_ = s + 1;
      Fail(Err::kUnicodeLowSurrogate);
    }
    token_terminator_ = s + 1;
  }

  // ---- The parser (parse_scalar, parse_object, parse_array).
  void ParseValue(JsonNode* out) {
    out->begin = static_cast<uint32_t>(token_start_ == kNone ? in_.size() : token_start_);
    switch (type_) {
      case Tok::kObjectStart:
        ParseObject(out);
        break;
      case Tok::kArrayStart:
        ParseArray(out);
        break;
      default:
        ParseScalar(out);
        break;
    }
  }

  void ParseScalar(JsonNode* out) {
    switch (type_) {
      case Tok::kTrue:
        out->kind = JsonNode::Kind::kTrue;
        break;
      case Tok::kFalse:
        out->kind = JsonNode::Kind::kFalse;
        break;
      case Tok::kNull:
        out->kind = JsonNode::Kind::kNull;
        break;
      case Tok::kNumber:
        out->kind = JsonNode::Kind::kNumber;
        out->text.assign(in_.substr(token_start_, token_terminator_ - token_start_));
        break;
      case Tok::kString:
        out->kind = JsonNode::Kind::kString;
        if (unescape_) out->text = strval_;
        break;
      default:
        Report(Ctx::kValue);
    }
    out->end = static_cast<uint32_t>(token_terminator_);
    Lex();
  }

  void ParseObject(JsonNode* out) {
    CheckStackDepth();
    out->kind = JsonNode::Kind::kObject;
    Expect(Ctx::kObjectStart, Tok::kObjectStart);
    if (type_ == Tok::kString) {
      ParseField(out);
      while (type_ == Tok::kComma) {
        Lex();
        ParseField(out);
      }
    } else if (type_ != Tok::kObjectEnd) {
      Report(Ctx::kObjectStart);
    }
    if (type_ != Tok::kObjectEnd) Report(Ctx::kObjectNext);
    out->end = static_cast<uint32_t>(token_terminator_);
    Lex();
  }

  void ParseField(JsonNode* obj) {
    if (type_ != Tok::kString) Report(Ctx::kString);
    std::string key = unescape_ ? strval_ : std::string();
    if (!unescape_) {
      // Keys are needed even when strings are not: unescape this one.
      key = UnescapeKey(in_.substr(token_start_ + 1, token_terminator_ - token_start_ - 2));
    }
    Lex();
    Expect(Ctx::kObjectLabel, Tok::kColon);
    obj->keys.push_back(std::move(key));
    obj->items.emplace_back();
    ParseValue(&obj->items.back());
  }

  void ParseArray(JsonNode* out) {
    CheckStackDepth();
    out->kind = JsonNode::Kind::kArray;
    Expect(Ctx::kArrayStart, Tok::kArrayStart);
    if (type_ != Tok::kArrayEnd) {
      out->items.emplace_back();
      ParseValue(&out->items.back());
      while (type_ == Tok::kComma) {
        Lex();
        out->items.emplace_back();
        ParseValue(&out->items.back());
      }
    }
    if (type_ != Tok::kArrayEnd) Report(Ctx::kArrayNext);
    out->end = static_cast<uint32_t>(token_terminator_);
    Lex();
  }

  // A key of a syntax-checked string (json without unescaping): the escapes are valid here.
  static std::string UnescapeKey(std::string_view body) {
    if (body.find('\\') == std::string_view::npos) return std::string(body);
    std::string quoted = "\"" + std::string(body) + "\"";
    Parser p(quoted, true);
    return p.Parse().text;
  }

  std::string_view in_;
  bool unescape_;
  size_t token_start_ = 0;
  size_t token_terminator_ = 0;
  size_t line_start_ = 0;
  int line_number_ = 1;
  Tok type_ = Tok::kInvalid;
  std::string strval_;
};

void JsonIn(std::string_view text, const FormatOptions&, Value* out) {
  ValidateJson(text);
  out->s.assign(text);
}
std::string JsonOut(const Value& v, const FormatOptions&) { return v.s; }
void JsonKey(const Value& v, std::string* out) { out->append(v.s); }

}  // namespace

const TypeMethods kJsonMethods = {JsonIn, JsonOut, nullptr, nullptr, JsonKey};

JsonNode ParseJson(std::string_view text, bool unescape) {
  Parser p(text, unescape);
  return p.Parse();
}

void ValidateJson(std::string_view text) { (void)ParseJson(text, false); }

void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  for (char c : s) {
    switch (c) {
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      default:
        if (static_cast<unsigned char>(c) < ' ') {
          out->append(fmt::format("\\u{:04x}", static_cast<int>(c)));
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

}  // namespace activestore
