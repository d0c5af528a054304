#include "parser/normalize.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace activestore::parser {
namespace {

enum class Tok {
  kWord,         // identifier or keyword (lower-cased in `word`)
  kQuotedIdent,  // "..." or U&"..."
  kString,       // '...', E'...', B'...', X'...', N'...', U&'...', $tag$...$tag$
  kNumber,
  kOp,  // a run of operator characters (`word` holds it)
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kComma,
  kSemicolon,
  kCast,  // ::
  kDot,
  kParam,  // $n (only with allow_params; `word` holds the digits)
  kOther,
};

struct Token {
  Tok kind;
  size_t begin;
  size_t end;
  std::string word;
};

bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }
bool IsIdentStart(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}
bool IsIdentCont(unsigned char c) { return IsIdentStart(c) || IsDigit(c) || c == '$'; }
bool IsSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool IsOpChar(unsigned char c) { return c != 0 && std::strchr("+-*/<>=~!@#%^&|`?", c) != nullptr; }

// Scans a quoted body from `i` (just after the opening quote) to just after the closing one;
// a doubled quote stands for itself; with `backslashes`, a backslash escapes the next byte.
// Returns npos when unterminated.
size_t ScanQuoted(std::string_view s, size_t i, char quote, bool backslashes) {
  while (i < s.size()) {
    char c = s[i];
    if (backslashes && c == '\\') {
      i += 2;
      continue;
    }
    if (c == quote) {
      if (i + 1 < s.size() && s[i + 1] == quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    ++i;
  }
  return std::string_view::npos;
}

// Splits `s` into tokens as PostgreSQL's lexer would for the purpose of finding numbers.
// Returns false when the text should not be normalised (see NormalizeLiterals).
bool Tokenize(std::string_view s, std::vector<Token>* out, bool allow_params = false) {
  const size_t n = s.size();
  size_t i = 0;
  auto at = [&](size_t k) -> unsigned char { return k < n ? static_cast<unsigned char>(s[k]) : 0; };
  while (i < n) {
    unsigned char c = at(i);
    if (IsSpace(c)) {
      ++i;
      continue;
    }
    if (c == '-' && at(i + 1) == '-') {
      while (i < n && s[i] != '\n' && s[i] != '\r') ++i;
      continue;
    }
    if (c == '/' && at(i + 1) == '*') {
      int depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (s[i] == '/' && at(i + 1) == '*') {
          ++depth;
          i += 2;
        } else if (s[i] == '*' && at(i + 1) == '/') {
          --depth;
          i += 2;
        } else {
          ++i;
        }
      }
      if (depth > 0) return false;
      continue;
    }
    const size_t begin = i;
    if (c == '\'') {
      i = ScanQuoted(s, i + 1, '\'', false);
      if (i == std::string_view::npos) return false;
      out->push_back({Tok::kString, begin, i, {}});
      continue;
    }
    if (c == '"') {
      i = ScanQuoted(s, i + 1, '"', false);
      if (i == std::string_view::npos) return false;
      out->push_back({Tok::kQuotedIdent, begin, i, {}});
      continue;
    }
    if (IsIdentStart(c)) {
      while (i < n && IsIdentCont(at(i))) ++i;
      std::string word(s.substr(begin, i - begin));
      for (char& ch : word) {
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
      }
      if (at(i) == '\'' && (word == "e" || word == "b" || word == "x" || word == "n")) {
        i = ScanQuoted(s, i + 1, '\'', word == "e");
        if (i == std::string_view::npos) return false;
        out->push_back({Tok::kString, begin, i, {}});
        continue;
      }
      if (word == "u" && at(i) == '&' && (at(i + 1) == '\'' || at(i + 1) == '"')) {
        const char quote = static_cast<char>(at(i + 1));
        i = ScanQuoted(s, i + 2, quote, false);
        if (i == std::string_view::npos) return false;
        out->push_back({quote == '\'' ? Tok::kString : Tok::kQuotedIdent, begin, i, {}});
        continue;
      }
      out->push_back({Tok::kWord, begin, i, std::move(word)});
      continue;
    }
    if (c == '$') {
      if (IsDigit(at(i + 1))) {
        if (!allow_params) return false;  // a parameter: not a simple-protocol statement
        ++i;
        while (IsDigit(at(i))) ++i;
        out->push_back({Tok::kParam, begin, i, std::string(s.substr(begin + 1, i - begin - 1))});
        continue;
      }
      size_t j = i + 1;
      if (IsIdentStart(at(j))) {
        while (j < n && IsIdentCont(at(j)) && at(j) != '$') ++j;
      }
      if (at(j) != '$') return false;
      std::string_view tag = s.substr(i, j + 1 - i);
      size_t close = s.find(tag, j + 1);
      if (close == std::string_view::npos) return false;
      i = close + tag.size();
      out->push_back({Tok::kString, begin, i, {}});
      continue;
    }
    if (IsDigit(c) || (c == '.' && IsDigit(at(i + 1)))) {
      if (begin > 0) {
        unsigned char p = at(begin - 1);
        if (IsIdentCont(p) || p == '.' || p == '\'' || p == '"') return false;
      }
      while (IsDigit(at(i))) ++i;
      if (at(i) == '.' && at(i + 1) != '.') {
        ++i;
        while (IsDigit(at(i))) ++i;
      }
      if (at(i) == 'e' || at(i) == 'E') {
        size_t j = i + 1;
        if (at(j) == '+' || at(j) == '-') ++j;
        if (!IsDigit(at(j))) return false;  // trailing junk: the parser's error
        i = j;
        while (IsDigit(at(i))) ++i;
      }
      if (IsIdentCont(at(i)) || at(i) == '.') return false;
      out->push_back({Tok::kNumber, begin, i, {}});
      continue;
    }
    Tok kind = Tok::kOther;
    size_t len = 1;
    switch (c) {
      case '(':
        kind = Tok::kLParen;
        break;
      case ')':
        kind = Tok::kRParen;
        break;
      case '[':
        kind = Tok::kLBracket;
        break;
      case ']':
        kind = Tok::kRBracket;
        break;
      case ',':
        kind = Tok::kComma;
        break;
      case ';':
        kind = Tok::kSemicolon;
        break;
      case '.':
        kind = Tok::kDot;
        break;
      case ':':
        if (at(i + 1) == ':') {
          kind = Tok::kCast;
          len = 2;
        }
        break;
      default:
        if (IsOpChar(c)) {
          kind = Tok::kOp;
          len = 0;
          while (IsOpChar(at(i + len))) {
            if ((at(i + len) == '-' && at(i + len + 1) == '-') ||
                (at(i + len) == '/' && at(i + len + 1) == '*')) {
              break;
            }
            ++len;
          }
          if (len == 0) return false;  // starts with a comment: handled above
          // As PostgreSQL's lexer: a multi-character operator ends in + or - only when it
          // holds one of ~ ! @ # % ^ & | ` ? (so `>-1` is `>` and `-1`).
          if (len > 1 && (at(i + len - 1) == '+' || at(i + len - 1) == '-')) {
            bool special = false;
            for (size_t k = 0; k < len; ++k) {
              if (std::strchr("~!@#%^&|`?", at(i + k)) != nullptr) special = true;
            }
            while (!special && len > 1 && (at(i + len - 1) == '+' || at(i + len - 1) == '-')) {
              --len;
            }
          }
        }
        break;
    }
    out->push_back(
        {kind, begin, begin + len, kind == Tok::kOp ? std::string(s.substr(i, len)) : ""});
    i += len;
  }
  return true;
}

bool IsComparison(const Token& t) {
  if (t.kind != Tok::kOp) return false;
  const std::string& w = t.word;
  return w == "=" || w == "<>" || w == "!=" || w == "<" || w == ">" || w == "<=" || w == ">=";
}

bool IsWord(const Token& t, const char* w) { return t.kind == Tok::kWord && t.word == w; }

// Words after which a parenthesised group holds type modifiers or a value that must stay a
// constant.
bool IsModifierWord(const std::string& w) {
  static const char* const kWords[] = {
      "varchar", "char",   "character", "nchar",  "varying",   "bpchar",      "numeric",  "decimal",
      "dec",     "float",  "time",      "timetz", "timestamp", "timestamptz", "interval", "second",
      "bit",     "varbit", "cast",      "system", "bernoulli", "repeatable"};
  return std::any_of(std::begin(kWords), std::end(kWords), [&](const char* k) { return w == k; });
}

struct Frame {
  bool no_lift = false;         // the whole group (and what it contains)
  bool clause_no_lift = false;  // inside ORDER BY / GROUP BY / LIMIT / OFFSET / FETCH
  bool values_row = false;      // a row of an INSERT ... VALUES (InsertValuesRows)
};

// The tokens that open the rows of `INSERT ... VALUES (...), (...)` when those rows are the
// statement's whole source: `values` at the top level, after nothing that makes the source a
// query (SELECT, set operations, WITH), and the rows followed only by the end, ON CONFLICT
// or RETURNING (not ORDER BY, LIMIT or a set operation, which would make PostgreSQL resolve
// the rows' types together). Empty otherwise.
std::vector<size_t> InsertValuesRows(const std::vector<Token>& toks, size_t end) {
  if (end == 0 || !IsWord(toks[0], "insert")) return {};
  int depth = 0;
  size_t values = 0;
  for (size_t i = 1; i < end && values == 0; ++i) {
    const Token& t = toks[i];
    if (t.kind == Tok::kLParen || t.kind == Tok::kLBracket) {
      ++depth;
    } else if (t.kind == Tok::kRParen || t.kind == Tok::kRBracket) {
      --depth;
    } else if (depth == 0 && t.kind == Tok::kWord) {
      if (t.word == "select" || t.word == "with" || t.word == "union" || t.word == "intersect" ||
          t.word == "except" || t.word == "table" || t.word == "default") {
        return {};
      }
      if (t.word == "values") values = i;
    }
  }
  if (values == 0) return {};
  std::vector<size_t> rows;
  size_t i = values + 1;
  while (true) {
    if (i >= end || toks[i].kind != Tok::kLParen) return {};
    rows.push_back(i);
    int d = 0;
    for (; i < end; ++i) {
      if (toks[i].kind == Tok::kLParen || toks[i].kind == Tok::kLBracket) ++d;
      if (toks[i].kind == Tok::kRParen || toks[i].kind == Tok::kRBracket) --d;
      if (d == 0) break;
    }
    if (i >= end) return {};
    ++i;  // past the row's ')'
    if (i < end && toks[i].kind == Tok::kComma) {
      ++i;
      continue;
    }
    break;
  }
  if (i < end && !IsWord(toks[i], "on") && !IsWord(toks[i], "returning")) return {};
  return rows;
}

// The value of a plain '...' string token ('' stands for ').
std::string StringValue(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (size_t i = 1; i + 1 < token.size(); ++i) {
    out += token[i];
    if (token[i] == '\'' && token[i + 1] == '\'') ++i;
  }
  return out;
}

}  // namespace

std::string NormalizedStatement::TypeSignature() const {
  std::string sig;
  sig.reserve(constants.size());
  for (const LiftedConstant& c : constants) {
    switch (c.type) {
      case LiftedType::kInt4:
        sig += '4';
        break;
      case LiftedType::kInt8:
        sig += '8';
        break;
      case LiftedType::kNumeric:
        sig += 'n';
        break;
      case LiftedType::kString:
        sig += 's';
        break;
      case LiftedType::kNull:
        sig += 'z';
        break;
    }
  }
  return sig;
}

namespace {

LiftedType IntegerType(std::string_view digits) {
  size_t z = 0;
  while (z + 1 < digits.size() && digits[z] == '0') ++z;
  digits.remove_prefix(z);
  auto fits = [&](std::string_view max) {
    return digits.size() < max.size() || (digits.size() == max.size() && digits <= max);
  };
  if (fits("2147483647")) return LiftedType::kInt4;
  if (fits("9223372036854775807")) return LiftedType::kInt8;
  return LiftedType::kNumeric;
}

}  // namespace

std::optional<NormalizedStatement> NormalizeLiterals(std::string_view sql) {
  std::vector<Token> toks;
  if (!Tokenize(sql, &toks)) return std::nullopt;
  size_t first = 0;
  while (first < toks.size() && toks[first].kind == Tok::kLParen) ++first;
  if (first >= toks.size() || toks[first].kind != Tok::kWord) return std::nullopt;
  const std::string& verb = toks[first].word;
  if (verb != "select" && verb != "insert" && verb != "update" && verb != "delete" &&
      verb != "with" && verb != "values") {
    return std::nullopt;
  }
  size_t end = toks.size();
  for (size_t i = 0; i < toks.size(); ++i) {
    if (toks[i].kind != Tok::kSemicolon) continue;
    for (size_t j = i; j < toks.size(); ++j) {
      if (toks[j].kind != Tok::kSemicolon) return std::nullopt;  // several statements
    }
    end = i;
    break;
  }

  const std::vector<size_t> rows = InsertValuesRows(toks, end);
  size_t next_row = 0;
  std::vector<Frame> frames(1);
  // A whole item of a VALUES row: between `(` or `,` and `,` or `)`.
  auto whole_row_item = [&](size_t i) {
    return frames.back().values_row && i > 0 &&
           (toks[i - 1].kind == Tok::kLParen || toks[i - 1].kind == Tok::kComma) && i + 1 < end &&
           (toks[i + 1].kind == Tok::kRParen || toks[i + 1].kind == Tok::kComma);
  };
  std::vector<size_t> lifted;
  for (size_t i = 0; i < end; ++i) {
    const Token& t = toks[i];
    const Token* prev = i > 0 ? &toks[i - 1] : nullptr;
    switch (t.kind) {
      case Tok::kLParen:
      case Tok::kLBracket: {
        Frame f;
        if (next_row < rows.size() && rows[next_row] == i) {
          f.values_row = true;
          ++next_row;
        }
        f.no_lift =
            frames.back().no_lift || frames.back().clause_no_lift || t.kind == Tok::kLBracket;
        if (prev && prev->kind == Tok::kQuotedIdent) f.no_lift = true;
        if (prev && prev->kind == Tok::kWord) {
          const Token* pp = i > 1 ? &toks[i - 2] : nullptr;
          if (IsModifierWord(prev->word) || (prev->word == "on" && pp && IsWord(*pp, "distinct")) ||
              (pp && (pp->kind == Tok::kCast || pp->kind == Tok::kDot))) {
            f.no_lift = true;
          }
        }
        frames.push_back(f);
        break;
      }
      case Tok::kRParen:
      case Tok::kRBracket:
        if (frames.size() <= 1) return std::nullopt;
        frames.pop_back();
        break;
      case Tok::kWord: {
        const std::string& w = t.word;
        if (w == "null" && whole_row_item(i)) {
          lifted.push_back(i);
        } else if (w == "by" && prev && (IsWord(*prev, "order") || IsWord(*prev, "group"))) {
          frames.back().clause_no_lift = true;
        } else if (w == "limit" || w == "offset" || w == "fetch") {
          frames.back().clause_no_lift = true;
        } else if (w == "having" || w == "window" || w == "union" || w == "intersect" ||
                   w == "except" || w == "returning") {
          frames.back().clause_no_lift = false;
        }
        break;
      }
      case Tok::kNumber: {
        if (frames.back().no_lift || frames.back().clause_no_lift || !prev) break;
        const bool prev_ok = prev->kind == Tok::kLParen || prev->kind == Tok::kComma ||
                             prev->kind == Tok::kWord || IsComparison(*prev);
        bool next_ok = true;
        if (i + 1 < end) {
          const Token& next = toks[i + 1];
          next_ok = next.kind == Tok::kRParen || next.kind == Tok::kComma ||
                    next.kind == Tok::kWord || next.kind == Tok::kQuotedIdent || IsComparison(next);
        }
        if (prev_ok && next_ok) lifted.push_back(i);
        break;
      }
      case Tok::kString:
        if (sql[t.begin] == '\'' && whole_row_item(i)) lifted.push_back(i);
        break;
      default:
        break;
    }
  }
  if (lifted.empty()) return std::nullopt;

  NormalizedStatement out;
  out.text.reserve(sql.size() + lifted.size());
  out.constants.reserve(lifted.size());
  size_t copied = 0;
  for (size_t k = 0; k < lifted.size(); ++k) {
    const Token& t = toks[lifted[k]];
    out.text.append(sql.substr(copied, t.begin - copied));
    out.text += '$';
    out.text += std::to_string(k + 1);
    copied = t.end;
    std::string_view text = sql.substr(t.begin, t.end - t.begin);
    if (t.kind == Tok::kString) {
      out.constants.push_back(LiftedConstant{LiftedType::kString, StringValue(text), t.begin});
      continue;
    }
    if (t.kind == Tok::kWord) {
      out.constants.push_back(LiftedConstant{LiftedType::kNull, {}, t.begin});
      continue;
    }
    const bool digits_only =
        std::all_of(text.begin(), text.end(), [](char ch) { return IsDigit(ch); });
    out.constants.push_back(LiftedConstant{digits_only ? IntegerType(text) : LiftedType::kNumeric,
                                           std::string(text), t.begin});
  }
  out.text.append(sql.substr(copied));
  return out;
}

namespace {

bool IsStatementVerb(const std::string& w) {
  return w == "select" || w == "insert" || w == "update" || w == "delete" || w == "with" ||
         w == "values" || w == "merge" || w == "table";
}

uint64_t Fnv1a(uint64_t h, std::string_view s) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

constexpr uint64_t kFnvBasis = 0xcbf29ce484222325ULL;

// The text of `sql` without leading white space and trailing white space and semicolons.
std::string_view Trimmed(std::string_view sql) {
  while (!sql.empty() && IsSpace(static_cast<unsigned char>(sql.front()))) sql.remove_prefix(1);
  while (!sql.empty() && (IsSpace(static_cast<unsigned char>(sql.back())) || sql.back() == ';')) {
    sql.remove_suffix(1);
  }
  return sql;
}

}  // namespace

StatementFingerprint FingerprintStatement(std::string_view sql) {
  sql = Trimmed(sql);
  StatementFingerprint out;
  std::vector<Token> toks;
  const bool tokenized = Tokenize(sql, &toks, /*allow_params=*/true);
  size_t first = 0;
  while (first < toks.size() && toks[first].kind == Tok::kLParen) ++first;
  // PREPARE name [(types)] AS statement: the statement's constants are replaced.
  if (tokenized && first == 0 && !toks.empty() && IsWord(toks[0], "prepare")) {
    int depth = 0;
    for (size_t i = 1; i + 1 < toks.size(); ++i) {
      if (toks[i].kind == Tok::kLParen) ++depth;
      if (toks[i].kind == Tok::kRParen) --depth;
      if (depth == 0 && IsWord(toks[i], "as")) {
        first = i + 1;
        while (first < toks.size() && toks[first].kind == Tok::kLParen) ++first;
        break;
      }
    }
  }
  if (!tokenized || first >= toks.size() || toks[first].kind != Tok::kWord ||
      !IsStatementVerb(toks[first].word)) {
    // A utility statement (or text that does not scan): tracked by its text, as PostgreSQL 15
    // tracks utility statements.
    out.text = std::string(sql);
    out.id = Fnv1a(kFnvBasis, sql);
    return out;
  }
  int max_param = 0;
  for (const Token& t : toks) {
    if (t.kind == Tok::kParam) max_param = std::max(max_param, std::atoi(t.word.c_str()));
  }
  // Which tokens are constants, and where a constant starts (a unary minus joins its number).
  std::vector<size_t> begins(toks.size(), std::string_view::npos);
  std::vector<Frame> frames(1);
  for (size_t i = first; i < toks.size(); ++i) {
    const Token& t = toks[i];
    const Token* prev = i > 0 ? &toks[i - 1] : nullptr;
    switch (t.kind) {
      case Tok::kLParen:
      case Tok::kLBracket: {
        Frame f;
        f.no_lift = frames.back().no_lift;
        // Type modifiers stay as written: varchar(10), numeric(10, 2), x::bit(3).
        if (prev && prev->kind == Tok::kWord && prev->word != "cast" &&
            IsModifierWord(prev->word)) {
          f.no_lift = true;
        }
        frames.push_back(f);
        break;
      }
      case Tok::kRParen:
      case Tok::kRBracket:
        if (frames.size() > 1) frames.pop_back();
        break;
      case Tok::kWord:
        // TRUE, FALSE and NULL are constants too, except in IS [NOT] NULL/TRUE/FALSE.
        if ((t.word == "true" || t.word == "false" || t.word == "null") && !frames.back().no_lift &&
            !(prev && (IsWord(*prev, "is") ||
                       (IsWord(*prev, "not") && i > 1 && IsWord(toks[i - 2], "is"))))) {
          begins[i] = t.begin;
          break;
        }
        if (t.word == "by" && prev && (IsWord(*prev, "order") || IsWord(*prev, "group"))) {
          frames.back().clause_no_lift = true;  // positional references: ORDER BY 1
        } else if (t.word != "asc" && t.word != "desc" && t.word != "nulls" && t.word != "first" &&
                   t.word != "last") {
          frames.back().clause_no_lift = false;
        }
        break;
      case Tok::kNumber:
      case Tok::kString: {
        if (frames.back().no_lift) break;
        if (t.kind == Tok::kNumber && frames.back().clause_no_lift && prev &&
            (IsWord(*prev, "by") || prev->kind == Tok::kComma)) {
          break;
        }
        size_t b = t.begin;
        if (t.kind == Tok::kNumber && prev && prev->kind == Tok::kOp && prev->word == "-") {
          const Token* pp = i > 1 ? &toks[i - 2] : nullptr;
          const bool operand_before =
              pp && (pp->kind == Tok::kNumber || pp->kind == Tok::kString ||
                     pp->kind == Tok::kRParen || pp->kind == Tok::kRBracket ||
                     pp->kind == Tok::kQuotedIdent || pp->kind == Tok::kParam ||
                     (pp->kind == Tok::kWord && !IsStatementVerb(pp->word) && pp->word != "and" &&
                      pp->word != "or" && pp->word != "not" && pp->word != "then" &&
                      pp->word != "else" && pp->word != "when" && pp->word != "in" &&
                      pp->word != "between" && pp->word != "is" && pp->word != "like" &&
                      pp->word != "limit" && pp->word != "offset"));
          if (!operand_before) b = prev->begin;
        }
        begins[i] = b;
        break;
      }
      default:
        break;
    }
    if (t.kind != Tok::kWord && t.kind != Tok::kNumber && t.kind != Tok::kComma) {
      if (t.kind != Tok::kLParen && t.kind != Tok::kRParen) frames.back().clause_no_lift = false;
    }
  }
  uint64_t h = kFnvBasis;
  size_t copied = 0;
  int next = max_param;
  for (size_t i = 0; i < toks.size(); ++i) {
    const Token& t = toks[i];
    if (begins[i] != std::string_view::npos) {
      out.text.append(sql.substr(copied, begins[i] - copied));
      out.text += '$';
      out.text += std::to_string(++next);
      copied = t.end;
      h = Fnv1a(h, "\x01?");
      // A unary minus folded into the constant was hashed already: constants that differ
      // only in sign still share an id, as in PostgreSQL.
      continue;
    }
    const bool minus_of_next = i + 1 < toks.size() && begins[i + 1] == t.begin;
    if (minus_of_next) continue;
    // A parameter counts as a constant: a statement whose numbers the plan cache lifted
    // (parser::NormalizeLiterals) keeps the id of its text as written.
    if (t.kind == Tok::kParam) {
      h = Fnv1a(h, "\x01?");
      continue;
    }
    h = Fnv1a(h, "\x01");
    h = Fnv1a(h, t.kind == Tok::kWord || t.kind == Tok::kOp ? std::string_view(t.word)
                                                            : sql.substr(t.begin, t.end - t.begin));
  }
  out.text.append(sql.substr(copied));
  out.id = h;
  return out;
}

}  // namespace activestore::parser
