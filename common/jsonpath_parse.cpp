// jsonpath_in: the ANTLR grammar (grammar/JsonPath{Lexer,Parser}.g4) walked into a small tree,
// checked as PostgreSQL's flattenJsonPathParseItem checks it, and written in the binary form
// (common/jsonpath.h). The lexer's own errors (bad escapes, numbers run into letters,
// unterminated strings and comments) are found by scanning the token list first and reported
// when the parse reaches the bad token, as flex reports them when bison asks for that token.
#include <JsonPathLexer.h>
#include <JsonPathParser.h>
#include <antlr4-runtime.h>
#include <fmt/format.h>

#include <memory>
#include <optional>

#include "common/antlr_checked_parser.h"
#include "common/error.h"
#include "common/jsonpath.h"
#include "common/numeric.h"
#include "common/regex.h"
#include "common/stack_depth.h"
#include "common/utf8.h"

namespace activestore {
namespace {

namespace g = jsonpath_grammar;
using P = g::JsonPathParser;
using L = g::JsonPathLexer;

struct Node {
  JsonPathOp op = JsonPathOp::kNull;
  std::string str;  // string, key, variable, numeric text, like_regex pattern
  bool b = false;
  std::unique_ptr<Node> left;   // binary operators; the argument of unary ones; datetime template
  std::unique_ptr<Node> right;  // binary operators
  std::vector<std::pair<std::unique_ptr<Node>, std::unique_ptr<Node>>> subs;  // kIndexArray
  uint32_t first = 0, last = 0;                                               // kAny
  uint32_t flags = 0;                                                         // kLikeRegex
  std::unique_ptr<Node> next;
};
using NodePtr = std::unique_ptr<Node>;

NodePtr Make(JsonPathOp op) {
  auto n = std::make_unique<Node>();
  n->op = op;
  return n;
}

[[noreturn]] void SyntaxAt(const std::string& message, std::optional<std::string> near) {
  if (!near) throw Error(SqlState::kSyntaxError, message + " at end of jsonpath input");
  throw Error(SqlState::kSyntaxError,
              fmt::format("{} at or near \"{}\" of jsonpath input", message, *near));
}

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
int HexVal(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

void AddChar(uint32_t cp, std::string* out) {
  if (cp == 0) {
    throw Error(SqlState::kUntranslatableCharacter, "unsupported Unicode escape sequence")
        .Detail("\\u0000 cannot be converted to text.");
  }
  AppendUtf8(cp, out);
}

[[noreturn]] void BadSurrogate(const char* detail) {
  throw Error(SqlState::kInvalidTextRepresentation, "invalid input syntax for type jsonpath")
      .Detail(detail);
}

// The escapes of a string, key or variable body as jsonpath_scan.l decodes them: \b \f \n \r
// \t \v, runs of \uXXXX / \u{X...} (surrogate pairs within a run), \xHH, and \c for any other c.
std::string Unescape(std::string_view s) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] != '\\') {
      out.push_back(s[i++]);
      continue;
    }
    if (i + 1 >= s.size()) SyntaxAt("unexpected end after backslash", "\\");
    const char c = s[i + 1];
    if (c == 'u') {
      const size_t run = i;
      int32_t hi = -1;
      while (i + 1 < s.size() && s[i] == '\\' && s[i + 1] == 'u') {
        size_t j = i + 2;
        uint32_t cp = 0;
        bool ok;
        if (j < s.size() && s[j] == '{') {
          ++j;
          size_t n = 0;
          while (j < s.size() && n < 6 && IsHex(s[j])) cp = cp * 16 + HexVal(s[j++]), ++n;
          ok = n >= 1 && j < s.size() && s[j] == '}';
          if (ok) ++j;
        } else {
          size_t n = 0;
          while (j < s.size() && n < 4 && IsHex(s[j])) cp = cp * 16 + HexVal(s[j++]), ++n;
          ok = n == 4;
        }
        if (!ok) SyntaxAt("invalid unicode sequence", std::string(s.substr(run, j - run)));
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          if (hi != -1) BadSurrogate("Unicode high surrogate must not follow a high surrogate.");
          hi = static_cast<int32_t>(cp);
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          if (hi == -1) BadSurrogate("Unicode low surrogate must follow a high surrogate.");
          AddChar(0x10000 + ((static_cast<uint32_t>(hi) - 0xD800) << 10) + (cp - 0xDC00), &out);
          hi = -1;
        } else {
          if (hi != -1) BadSurrogate("Unicode low surrogate must follow a high surrogate.");
          AddChar(cp, &out);
        }
        i = j;
      }
      if (hi != -1) BadSurrogate("Unicode low surrogate must follow a high surrogate.");
      continue;
    }
    if (c == 'x') {
      size_t j = i + 2;
      while (j < s.size() && j < i + 4 && IsHex(s[j])) ++j;
      if (j < i + 4) SyntaxAt("invalid hex character sequence", std::string(s.substr(i, j - i)));
      AddChar(static_cast<uint32_t>(HexVal(s[i + 2]) * 16 + HexVal(s[i + 3])), &out);
      i = j;
      continue;
    }
    switch (c) {
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'v':
        out.push_back('\v');
        break;
      default: {
        // The character itself (all of its UTF-8 bytes).
        size_t len = 1;
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0xF0) {
          len = 4;
        } else if (u >= 0xE0) {
          len = 3;
        } else if (u >= 0xC0) {
          len = 2;
        }
        out.append(s.substr(i + 1, len));
        i += len - 1;
        break;
      }
    }
    i += 2;
  }
  return out;
}

bool IsKeyword(size_t type) { return type >= L::ABS_P && type <= L::WITH_P; }

// The text flex's yytext holds when bison reports an error at token `t` (nullopt: "at end"):
// a quoted string's closing quote, an unquoted word's following blanks (nothing if a special
// character or the end ended it), other tokens' text.
std::optional<std::string> NearText(antlr4::Token* t, std::string_view input) {
  const size_t type = t->getType();
  if (type == antlr4::Token::EOF) return std::nullopt;
  if (type == L::STRING_P || type == L::QUOTED_VARIABLE) return "\"";
  if (type == L::IDENT || IsKeyword(type)) {
    // Byte offset of the token's end: ANTLR counts code points.
    const std::string text = t->getText();
    size_t end = 0, cps = 0;
    const size_t stop = t->getStopIndex() + 1;
    while (end < input.size() && cps < stop) {
      const auto u = static_cast<unsigned char>(input[end]);
      end += u >= 0xF0 ? 4 : u >= 0xE0 ? 3 : u >= 0xC0 ? 2 : 1;
      ++cps;
    }
    size_t b = end;
    while (b < input.size() && (input[b] == ' ' || input[b] == '\t' || input[b] == '\n' ||
                                input[b] == '\r' || input[b] == '\f')) {
      ++b;
    }
    if (b == end) return std::nullopt;
    return std::string(input.substr(end, b - end));
  }
  return t->getText();
}

// The lexer's error for a token, thrown; nothing for a good token. Also decodes the escapes of
// string-like tokens (which may throw their own errors).
void CheckToken(antlr4::Token* t) {
  switch (t->getType()) {
    case L::NUMBER_JUNK:
      SyntaxAt("trailing junk after numeric literal", t->getText());
    case L::REAL_FAIL:
      SyntaxAt("invalid numeric literal", t->getText());
    case L::UNTERMINATED_STRING:
    case L::UNTERMINATED_VARIABLE: {
      // A body ending in a lone backslash is flex's "unexpected end after backslash".
      const std::string text = t->getText();
      Unescape(text.substr(t->getType() == L::UNTERMINATED_STRING ? 1 : 2));
      SyntaxAt("unexpected end of quoted string", std::nullopt);
    }
    case L::UNTERMINATED_COMMENT:
      SyntaxAt("unexpected end of comment", std::nullopt);
    case L::STRING_P: {
      const std::string text = t->getText();
      Unescape(std::string_view(text).substr(1, text.size() - 2));
      break;
    }
    case L::QUOTED_VARIABLE: {
      const std::string text = t->getText();
      Unescape(std::string_view(text).substr(2, text.size() - 3));
      break;
    }
    case L::IDENT:
      Unescape(t->getText());
      break;
    default:
      break;
  }
}

using CheckedParser = StackCheckedParser<P>;

// Parentheses and brackets nested deeper than this are refused before parsing: ANTLR's
// prediction recurses over them outside the rules' checks.
constexpr int kMaxNesting = 1000;

// Also runs of prefix operators (`- - - $`, `! ! ...`), which nest the same way.
void CheckNesting(const std::vector<antlr4::Token*>& tokens) {
  int depth = 0;
  int prefix_run = 0;
  size_t prev = antlr4::Token::INVALID_TYPE;
  for (antlr4::Token* t : tokens) {
    const size_t type = t->getType();
    const bool after_operand = prev == L::RPAREN || prev == L::RBRACKET || prev == L::RBRACE ||
                               prev == L::ROOT || prev == L::AT || prev == L::VARIABLE ||
                               prev == L::QUOTED_VARIABLE || prev == L::STRING_P ||
                               prev == L::NUMERIC_P || prev == L::INT_P || prev == L::IDENT ||
                               IsKeyword(prev) || prev == L::STAR;
    const bool prefix =
        type == L::NOT_P || ((type == L::PLUS || type == L::MINUS) && !after_operand);
    prefix_run = prefix ? prefix_run + 1 : 0;
    if (type == L::LPAREN || type == L::LBRACKET || type == L::LBRACE) ++depth;
    if (type == L::RPAREN || type == L::RBRACKET || type == L::RBRACE) --depth;
    if (depth > kMaxNesting || prefix_run > kMaxNesting) {
      throw Error(SqlState::kStatementTooComplex, "stack depth limit exceeded")
          .Hint("The jsonpath nests too deeply; simplify it.");
    }
    prev = type;
  }
}

// The syntax error the parser found first.
class FirstError : public antlr4::BaseErrorListener {
 public:
  void syntaxError(antlr4::Recognizer*, antlr4::Token* offending, size_t, size_t,
                   const std::string&, std::exception_ptr) override {
    if (offending_ == nullptr) offending_ = offending;
  }
  antlr4::Token* offending_ = nullptr;
};

class Builder {
 public:
  NodePtr Predicate(P::PredicateContext* ctx) {
    CheckStackDepth();
    if (auto* c = dynamic_cast<P::PredDelimitedContext*>(ctx)) {
      return Delimited(c->delimitedPredicate());
    }
    if (auto* c = dynamic_cast<P::PredIsUnknownContext*>(ctx)) {
      auto n = Make(JsonPathOp::kIsUnknown);
      n->left = Predicate(c->predicate());
      return n;
    }
    if (auto* c = dynamic_cast<P::PredNotContext*>(ctx)) {
      auto n = Make(JsonPathOp::kNot);
      n->left = Delimited(c->delimitedPredicate());
      return n;
    }
    if (auto* c = dynamic_cast<P::PredCompareContext*>(ctx)) {
      P::CompOpContext* op = c->compOp();
      JsonPathOp k = JsonPathOp::kEqual;
      if (op->NOTEQUAL_P()) {
        k = JsonPathOp::kNotEqual;
      } else if (op->LESS_P()) {
        k = JsonPathOp::kLess;
      } else if (op->GREATER_P()) {
        k = JsonPathOp::kGreater;
      } else if (op->LESSEQUAL_P()) {
        k = JsonPathOp::kLessOrEqual;
      } else if (op->GREATEREQUAL_P()) {
        k = JsonPathOp::kGreaterOrEqual;
      }
      return Binary(k, Expr(c->expr(0)), Expr(c->expr(1)));
    }
    if (auto* c = dynamic_cast<P::PredStartsWithContext*>(ctx)) {
      NodePtr init;
      if (c->STRING_P()) {
        init = StringNode(JsonPathOp::kString, c->STRING_P()->getText(), 1);
      } else if (c->VARIABLE()) {
        init = StringNode(JsonPathOp::kVariable, c->VARIABLE()->getText(), 1, 0);
      } else {
        init = StringNode(JsonPathOp::kVariable, c->QUOTED_VARIABLE()->getText(), 2);
      }
      return Binary(JsonPathOp::kStartsWith, Expr(c->expr()), std::move(init));
    }
    if (auto* c = dynamic_cast<P::PredLikeRegexContext*>(ctx)) {
      auto n = Make(JsonPathOp::kLikeRegex);
      n->left = Expr(c->expr());
      n->str = Unquote(c->STRING_P(0)->getText(), 1);
      if (c->FLAG_P()) n->flags = RegexFlags(Unquote(c->STRING_P(1)->getText(), 1));
      CheckRegex(n->str, n->flags);
      return n;
    }
    if (auto* c = dynamic_cast<P::PredAndContext*>(ctx)) {
      return Binary(JsonPathOp::kAnd, Predicate(c->predicate(0)), Predicate(c->predicate(1)));
    }
    auto* c = dynamic_cast<P::PredOrContext*>(ctx);
    return Binary(JsonPathOp::kOr, Predicate(c->predicate(0)), Predicate(c->predicate(1)));
  }

  NodePtr Expr(P::ExprContext* ctx) {
    CheckStackDepth();
    if (auto* c = dynamic_cast<P::ExprAccessorContext*>(ctx)) return Accessor(c->accessorExpr());
    if (auto* c = dynamic_cast<P::ExprParenContext*>(ctx)) return Expr(c->expr());
    if (auto* c = dynamic_cast<P::ExprUnaryContext*>(ctx)) {
      NodePtr a = Expr(c->expr());
      // makeItemUnary: a sign on a bare number literal is folded into it.
      if (a->op == JsonPathOp::kNumeric && !a->next) {
        if (c->MINUS()) a->str = Numeric::Parse(a->str).Neg().ToString();
        return a;
      }
      auto n = Make(c->PLUS() ? JsonPathOp::kPlus : JsonPathOp::kMinus);
      n->left = std::move(a);
      return n;
    }
    auto* c = dynamic_cast<P::ExprBinaryContext*>(ctx);
    JsonPathOp k = JsonPathOp::kAdd;
    if (c->MINUS()) {
      k = JsonPathOp::kSub;
    } else if (c->STAR()) {
      k = JsonPathOp::kMul;
    } else if (c->SLASH()) {
      k = JsonPathOp::kDiv;
    } else if (c->PERCENT()) {
      k = JsonPathOp::kMod;
    }
    return Binary(k, Expr(c->expr(0)), Expr(c->expr(1)));
  }

  NodePtr ExprOrPredicate(P::ExprOrPredicateContext* c) {
    if (c->expr()) return Expr(c->expr());
    return Predicate(c->predicate());
  }

 private:
  static NodePtr Binary(JsonPathOp op, NodePtr l, NodePtr r) {
    auto n = Make(op);
    n->left = std::move(l);
    n->right = std::move(r);
    return n;
  }

  static std::string Unquote(const std::string& text, size_t open, size_t close = 1) {
    return Unescape(std::string_view(text).substr(open, text.size() - open - close));
  }
  static NodePtr StringNode(JsonPathOp op, const std::string& text, size_t open, size_t close = 1) {
    auto n = Make(op);
    n->str = Unquote(text, open, close);
    return n;
  }

  NodePtr Delimited(P::DelimitedPredicateContext* c) {
    if (c->EXISTS_P()) {
      auto n = Make(JsonPathOp::kExists);
      n->left = Expr(c->expr());
      return n;
    }
    return Predicate(c->predicate());
  }

  NodePtr Primary(P::PathPrimaryContext* c) {
    auto* t = dynamic_cast<antlr4::tree::TerminalNode*>(c->children.at(0));
    const std::string text = t->getText();
    switch (t->getSymbol()->getType()) {
      case L::STRING_P:
        return StringNode(JsonPathOp::kString, text, 1);
      case L::NULL_P:
        return Make(JsonPathOp::kNull);
      case L::TRUE_P:
      case L::FALSE_P: {
        auto n = Make(JsonPathOp::kBool);
        n->b = text == "true";
        return n;
      }
      case L::NUMERIC_P:
      case L::INT_P: {
        auto n = Make(JsonPathOp::kNumeric);
        n->str = Numeric::Parse(text).ToString();
        return n;
      }
      case L::VARIABLE:
        return StringNode(JsonPathOp::kVariable, text, 1, 0);
      case L::QUOTED_VARIABLE:
        return StringNode(JsonPathOp::kVariable, text, 2);
      case L::ROOT:
        return Make(JsonPathOp::kRoot);
      case L::AT:
        return Make(JsonPathOp::kCurrent);
      default:
        return Make(JsonPathOp::kLast);
    }
  }

  NodePtr Accessor(P::AccessorExprContext* c) {
    NodePtr head;
    if (c->pathPrimary()) {
      head = Primary(c->pathPrimary());
    } else if (c->expr()) {
      head = Expr(c->expr());
    } else {
      head = Predicate(c->predicate());
    }
    Node* tail = head.get();
    while (tail->next) tail = tail->next.get();
    for (P::AccessorOpContext* op : c->accessorOp()) {
      tail->next = AccessorOp(op);
      tail = tail->next.get();
    }
    return head;
  }

  static uint32_t Level(P::AnyLevelContext* c) {
    if (c->LAST_P()) return kAnyLast;
    // An INT_P token: digits only.
    return static_cast<uint32_t>(std::stoul(c->INT_P()->getText()));
  }

  NodePtr AccessorOp(P::AccessorOpContext* ctx) {
    if (auto* c = dynamic_cast<P::AccKeyContext*>(ctx)) {
      auto* t = dynamic_cast<antlr4::tree::TerminalNode*>(c->key()->children.at(0));
      const std::string text = t->getText();
      auto n = Make(JsonPathOp::kKey);
      n->str = t->getSymbol()->getType() == L::STRING_P ? Unquote(text, 1) : Unescape(text);
      return n;
    }
    if (dynamic_cast<P::AccAnyKeyContext*>(ctx)) return Make(JsonPathOp::kAnyKey);
    if (dynamic_cast<P::AccAnyArrayContext*>(ctx)) return Make(JsonPathOp::kAnyArray);
    if (auto* c = dynamic_cast<P::AccIndexContext*>(ctx)) {
      auto n = Make(JsonPathOp::kIndexArray);
      for (P::IndexElemContext* e : c->indexElem()) {
        NodePtr from = Expr(e->expr(0));
        NodePtr to = e->expr().size() > 1 ? Expr(e->expr(1)) : nullptr;
        n->subs.emplace_back(std::move(from), std::move(to));
      }
      return n;
    }
    if (auto* c = dynamic_cast<P::AccAnyContext*>(ctx)) {
      auto n = Make(JsonPathOp::kAny);
      n->first = 0;
      n->last = kAnyLast;
      auto levels = c->anyLevel();
      if (levels.size() == 1) {
        n->first = n->last = Level(levels[0]);
      } else if (levels.size() == 2) {
        n->first = Level(levels[0]);
        n->last = Level(levels[1]);
      }
      return n;
    }
    if (auto* c = dynamic_cast<P::AccMethodContext*>(ctx)) {
      P::MethodContext* m = c->method();
      if (m->ABS_P()) return Make(JsonPathOp::kAbs);
      if (m->SIZE_P()) return Make(JsonPathOp::kSize);
      if (m->TYPE_P()) return Make(JsonPathOp::kType);
      if (m->FLOOR_P()) return Make(JsonPathOp::kFloor);
      if (m->DOUBLE_P()) return Make(JsonPathOp::kDouble);
      if (m->CEILING_P()) return Make(JsonPathOp::kCeiling);
      return Make(JsonPathOp::kKeyValue);
    }
    if (auto* c = dynamic_cast<P::AccDatetimeContext*>(ctx)) {
      auto n = Make(JsonPathOp::kDatetime);
      if (c->STRING_P()) n->left = StringNode(JsonPathOp::kString, c->STRING_P()->getText(), 1);
      return n;
    }
    auto* c = dynamic_cast<P::AccFilterContext*>(ctx);
    auto n = Make(JsonPathOp::kFilter);
    n->left = Predicate(c->predicate());
    return n;
  }

  // makeItemLikeRegex's flag letters; 42601 with a DETAIL for another letter.
  static uint32_t RegexFlags(const std::string& s) {
    uint32_t f = 0;
    for (char ch : s) {
      switch (ch) {
        case 'i':
          f |= kRegexICase;
          break;
        case 's':
          f |= kRegexDotAll;
          break;
        case 'm':
          f |= kRegexMLine;
          break;
        case 'x':
          f |= kRegexWSpace;
          break;
        case 'q':
          f |= kRegexQuote;
          break;
        default:
          throw Error(SqlState::kSyntaxError, "invalid input syntax for type jsonpath")
              .Detail(fmt::format("Unrecognized flag character \"{}\" in LIKE_REGEX predicate.",
                                  std::string(1, ch)));
      }
    }
    return f;
  }

  static void CheckRegex(const std::string& pattern, uint32_t flags) {
    regex::Compile(pattern, JsonPathRegexCflags(flags));
  }
};

// flattenJsonPathParseItem's checks, and the writing.
uint32_t Write(const Node& n, int nesting, bool in_subscript, JsonPathWriter* w) {
  CheckStackDepth();
  uint32_t at = 0;
  switch (n.op) {
    case JsonPathOp::kString:
    case JsonPathOp::kKey:
    case JsonPathOp::kVariable:
    case JsonPathOp::kNumeric:
      at = w->StringItem(n.op, n.str);
      break;
    case JsonPathOp::kBool:
      at = w->BoolItem(n.b);
      break;
    case JsonPathOp::kCurrent:
      if (nesting <= 0) throw Error(SqlState::kSyntaxError, "@ is not allowed in root expressions");
      at = w->Item(n.op);
      break;
    case JsonPathOp::kLast:
      if (!in_subscript) {
        throw Error(SqlState::kSyntaxError, "LAST is allowed only in array subscripts");
      }
      at = w->Item(n.op);
      break;
    case JsonPathOp::kIndexArray: {
      std::vector<std::pair<uint32_t, uint32_t>> subs;
      for (const auto& [from, to] : n.subs) {
        const uint32_t f = Write(*from, nesting, true, w);
        const uint32_t t = to ? Write(*to, nesting, true, w) : 0;
        subs.emplace_back(f, t);
      }
      at = w->IndexArray(subs);
      break;
    }
    case JsonPathOp::kAny:
      at = w->Any(n.first, n.last);
      break;
    case JsonPathOp::kLikeRegex:
      at = w->LikeRegex(Write(*n.left, nesting, in_subscript, w), n.flags, n.str);
      break;
    case JsonPathOp::kDatetime:
      at = w->Datetime(n.left ? Write(*n.left, nesting, in_subscript, w) : 0);
      break;
    case JsonPathOp::kFilter:
    case JsonPathOp::kIsUnknown:
    case JsonPathOp::kNot:
    case JsonPathOp::kPlus:
    case JsonPathOp::kMinus:
    case JsonPathOp::kExists:
      at = w->Unary(
          n.op, Write(*n.left, nesting + (n.op == JsonPathOp::kFilter ? 1 : 0), in_subscript, w));
      break;
    default:
      if (n.left) {
        const uint32_t l = Write(*n.left, nesting, in_subscript, w);
        const uint32_t r = Write(*n.right, nesting, in_subscript, w);
        at = w->Binary(n.op, l, r);
      } else {
        at = w->Item(n.op);
      }
      break;
  }
  if (n.next) w->SetNext(at, Write(*n.next, nesting, in_subscript, w));
  return at;
}

}  // namespace

int JsonPathRegexCflags(uint32_t flags) {
  int cflags = regex::kAdvanced;
  if (flags & kRegexICase) cflags |= regex::kICase;
  if (flags & kRegexQuote) {
    cflags &= ~regex::kAdvanced;
    cflags |= regex::kQuote;
  } else {
    // Dot-all is POSIX's default: without s, . and [^...] stop at newlines.
    if (!(flags & kRegexDotAll)) cflags |= regex::kNLStop;
    if (flags & kRegexMLine) cflags |= regex::kNLAnch;
    if (flags & kRegexWSpace) {
      throw Error(SqlState::kFeatureNotSupported,
                  "XQuery \"x\" flag (expanded regular expressions) is not implemented");
    }
  }
  return cflags;
}

std::string JsonPathFromText(std::string_view text) {
  antlr4::ANTLRInputStream input(text.data(), text.size());
  L lexer(&input);
  lexer.removeErrorListeners();
  antlr4::CommonTokenStream tokens(&lexer);
  tokens.fill();
  // The first token the lexer would fail on.
  std::optional<size_t> bad;
  const std::vector<antlr4::Token*> all = tokens.getTokens();
  for (size_t i = 0; i < all.size() && !bad; ++i) {
    try {
      CheckToken(all[i]);
    } catch (const Error&) {
      bad = i;
    }
  }
  CheckNesting(all);
  CheckedParser parser(&tokens);
  parser.removeErrorListeners();
  FirstError listener;
  parser.addErrorListener(&listener);
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
      antlr4::atn::PredictionMode::LL);
  P::ResultContext* tree = parser.result();
  if (listener.offending_ != nullptr) {
    if (bad && *bad <= listener.offending_->getTokenIndex()) CheckToken(all[*bad]);
    SyntaxAt("syntax error", NearText(listener.offending_, text));
  }
  if (bad) CheckToken(all[*bad]);
  if (tree->exprOrPredicate() == nullptr) {
    if (tree->pathMode()->children.empty()) {
      throw Error(SqlState::kInvalidTextRepresentation,
                  fmt::format("invalid input syntax for type jsonpath: \"{}\"", text));
    }
    SyntaxAt("syntax error", std::nullopt);
  }
  Builder b;
  NodePtr root = b.ExprOrPredicate(tree->exprOrPredicate());
  JsonPathWriter w;
  const uint32_t at = Write(*root, 0, false, &w);
  return w.Finish(at, tree->pathMode()->STRICT_P() != nullptr);
}

}  // namespace activestore
