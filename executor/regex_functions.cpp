// The regular-expression functions of PostgreSQL 15 (src/backend/utils/adt/regexp.c) on
// common/regex.h: the ~ operators, regexp_match(es), regexp_replace (every form),
// regexp_split_to_array/table, regexp_count, regexp_instr, regexp_like, regexp_substr,
// substring(x from pattern), substring(x similar pattern escape e), similar_to_escape.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "common/array.h"
#include "common/error.h"
#include "common/regex.h"
#include "executor/array_exprs.h"
#include "executor/catalog_functions.h"
#include "executor/functions.h"
#include "executor/string_functions.h"

namespace activestore::executor {

using planner::BoundExpr;

namespace {

using Args = std::vector<Value>;
using regex::Match;
using regex::Regex;
using regex::Subject;

Value Text(std::string s) { return Value::Text(std::move(s)); }
Value NullText() { return Value::Null(Type::Of(TypeId::kText)); }
Value TextArray(const std::vector<Value>& items) {
  return MakeArrayValue(Type::Of(kTextArrayType), items);
}

const Regex& CompileArg(const Value& pattern, int cflags) {
  return regex::Compile(pattern.s, cflags);
}

regex::Flags FlagsArg(const Args& a, size_t i) {
  return i < a.size() ? regex::ParseFlags(a[i].s) : regex::Flags{};
}

void NoGlobal(const regex::Flags& f, const char* fn, const char* hint = nullptr) {
  if (!f.global) return;
  Error err(SqlState::kInvalidParameterValue,
            fmt::format("{}() does not support the \"global\" option", fn));
  if (hint != nullptr) err.Hint(hint);
  throw err;
}

void CheckParam(bool ok, const char* name, int64_t v) {
  if (!ok) {
    Throw(SqlState::kInvalidParameterValue, "invalid value for parameter \"{}\": {}", name, v);
  }
}

// The unit after u (one character on, so a surrogate pair is stepped over whole).
int64_t NextUnit(const Subject& s, int64_t u) {
  int64_t n = u + 1;
  while (n < s.units() && s.ByteOffset(n) == s.ByteOffset(u)) ++n;
  return n;
}

// PostgreSQL's setup_regexp_matches: every match from `start` (one unless global), each as
// npatterns [start, end) pairs (the subexpressions when asked for and present, else the whole
// match). ignore_degenerate drops empty matches at the end of the string or right after a
// previous match (regexp_split).
struct Matches {
  int npatterns = 1;
  std::vector<std::pair<int64_t, int64_t>> locs;   // npatterns per match, in units
  std::vector<std::pair<int64_t, int64_t>> whole;  // the whole match, per match
  size_t count() const { return whole.size(); }
  std::pair<int64_t, int64_t> at(size_t match, int pattern) const {
    return locs[match * static_cast<size_t>(npatterns) + static_cast<size_t>(pattern)];
  }
};

Matches FindMatches(const Subject& s, const Regex& re, bool global, int64_t start,
                    bool use_subpatterns, bool ignore_degenerate) {
  Matches out;
  use_subpatterns = use_subpatterns && re.nsub() > 0;
  out.npatterns = use_subpatterns ? re.nsub() : 1;
  if (start > s.units()) return out;
  int64_t prev_match_end = 0;
  Match m;
  while (re.Search(s, start, &m)) {
    if (!ignore_degenerate || (m.start() < s.units() && m.end() > prev_match_end)) {
      if (use_subpatterns) {
        for (int i = 1; i <= re.nsub(); ++i) out.locs.push_back(m.groups[i]);
      } else {
        out.locs.push_back(m.groups[0]);
      }
      out.whole.push_back(m.groups[0]);
    }
    prev_match_end = m.end();
    if (!global) break;
    start = m.start() == m.end() ? NextUnit(s, m.end()) : m.end();
    if (start > s.units()) break;
  }
  return out;
}

Value Piece(const Subject& s, std::pair<int64_t, int64_t> loc) {
  if (loc.first < 0 || loc.second < 0) return NullText();
  return Text(std::string(s.Slice(loc.first, loc.second)));
}

Value MatchArray(const Subject& s, const Matches& ms, size_t i) {
  std::vector<Value> items;
  for (int p = 0; p < ms.npatterns; ++p) items.push_back(Piece(s, ms.at(i, p)));
  return TextArray(items);
}

// ---- operators ----

template <bool kICase, bool kNegate>
Value FnRegexOp(const Args& a, const BoundExpr&, ExecState&) {
  const Regex& re = CompileArg(a[1], regex::kAdvanced | (kICase ? regex::kICase : 0));
  Match m;
  bool found = re.Search(Subject(a[0].s), 0, &m);
  return Value::Bool(found != kNegate);
}

// ---- regexp_match(es) ----

Value FnRegexpMatch(const Args& a, const BoundExpr&, ExecState&) {
  regex::Flags f = FlagsArg(a, 2);
  NoGlobal(f, "regexp_match", "Use the regexp_matches function instead.");
  const Regex& re = CompileArg(a[1], f.cflags);
  Subject s(a[0].s);
  Matches ms = FindMatches(s, re, false, 0, true, false);
  if (ms.count() == 0) return Value::Null(Type::Of(kTextArrayType));
  return MatchArray(s, ms, 0);
}

std::vector<Value> SetRegexpMatches(const Args& a, const BoundExpr&, ExecState&) {
  regex::Flags f = FlagsArg(a, 2);
  const Regex& re = CompileArg(a[1], f.cflags);
  Subject s(a[0].s);
  Matches ms = FindMatches(s, re, f.global, 0, true, false);
  std::vector<Value> rows;
  for (size_t i = 0; i < ms.count(); ++i) rows.push_back(MatchArray(s, ms, i));
  return rows;
}

// ---- regexp_split ----

std::vector<Value> SplitPieces(const Args& a, const char* fn) {
  regex::Flags f = FlagsArg(a, 2);
  NoGlobal(f, fn);
  const Regex& re = CompileArg(a[1], f.cflags);
  Subject s(a[0].s);
  Matches ms = FindMatches(s, re, true, 0, false, true);
  std::vector<Value> pieces;
  int64_t from = 0;
  for (size_t i = 0; i < ms.count(); ++i) {
    pieces.push_back(Text(std::string(s.Slice(from, ms.whole[i].first))));
    from = ms.whole[i].second;
  }
  pieces.push_back(Text(std::string(s.Slice(from, s.units()))));
  return pieces;
}

Value FnRegexpSplitToArray(const Args& a, const BoundExpr&, ExecState&) {
  return TextArray(SplitPieces(a, "regexp_split_to_array"));
}

std::vector<Value> SetRegexpSplitToTable(const Args& a, const BoundExpr&, ExecState&) {
  return SplitPieces(a, "regexp_split_to_table");
}

// ---- regexp_replace ----

// The replacement with \1..\9 (subexpressions), \& (the match) and \\ (a backslash)
// substituted; another backslash is copied as it is (PostgreSQL's appendStringInfoRegexpSubstr).
void AppendReplacement(const std::string& rep, const Subject& s, const Match& m, std::string* out) {
  for (size_t i = 0; i < rep.size(); ++i) {
    if (rep[i] != '\\') {
      out->push_back(rep[i]);
      continue;
    }
    if (i + 1 >= rep.size()) {
      out->push_back('\\');
      break;
    }
    const char c = rep[i + 1];
    int idx;
    if (c >= '1' && c <= '9') {
      idx = c - '0';
    } else if (c == '&') {
      idx = 0;
    } else if (c == '\\') {
      out->push_back('\\');
      ++i;
      continue;
    } else {
      out->push_back('\\');
      continue;
    }
    ++i;
    if (idx < static_cast<int>(m.groups.size()) && m.groups[idx].first >= 0 &&
        m.groups[idx].second >= 0) {
      out->append(s.Slice(m.groups[idx].first, m.groups[idx].second));
    }
  }
}

// PostgreSQL's replace_text_regexp: replace the n-th match from character `start` (0-based),
// or every match when n is 0.
std::string ReplaceRegexp(const std::string& src, const Value& pattern, const std::string& rep,
                          int cflags, int64_t start, int64_t n) {
  const Regex& re = CompileArg(pattern, cflags);
  Subject s(src);
  const bool escapes = rep.find('\\') != std::string::npos;
  std::string out;
  int64_t data_pos = 0;  // units copied so far
  int64_t search_start = s.UnitOfChar(start);
  int64_t nmatches = 0;
  Match m;
  while (search_start <= s.units()) {
    if (!re.Search(s, search_start, &m)) break;
    ++nmatches;
    if (n > 0 && nmatches != n) {
      search_start = m.start() == m.end() ? NextUnit(s, m.end()) : m.end();
      continue;
    }
    out.append(s.Slice(data_pos, m.start()));
    if (escapes) {
      AppendReplacement(rep, s, m, &out);
    } else {
      out += rep;
    }
    data_pos = m.end();
    if (n > 0) break;
    search_start = m.start() == m.end() ? NextUnit(s, data_pos) : data_pos;
  }
  out.append(s.Slice(data_pos, s.units()));
  return out;
}

Value FnRegexpReplace(const Args& a, const BoundExpr&, ExecState&) {
  if (a.size() == 3 || (a.size() == 4 && a[3].type.id != TypeId::kInt32)) {
    // regexp_replace(source, pattern, replacement [, flags])
    if (a.size() == 4 && !a[3].s.empty() && a[3].s[0] >= '0' && a[3].s[0] <= '9') {
      throw Error(SqlState::kInvalidParameterValue,
                  fmt::format("invalid regular expression option: \"{}\"", a[3].s.substr(0, 1)))
          .Hint(
              "If you meant to use regexp_replace() with a start parameter, cast the fourth "
              "argument to integer explicitly.");
    }
    regex::Flags f = FlagsArg(a, 3);
    return Text(ReplaceRegexp(a[0].s, a[1], a[2].s, f.cflags, 0, f.global ? 0 : 1));
  }
  // regexp_replace(source, pattern, replacement, start [, N [, flags]])
  const int64_t start = a[3].i;
  CheckParam(start > 0, "start", start);
  int64_t n = 1;
  if (a.size() > 4) {
    n = a[4].i;
    CheckParam(n >= 0, "n", n);
  }
  regex::Flags f = FlagsArg(a, 5);
  if (a.size() <= 4) n = f.global ? 0 : 1;
  return Text(ReplaceRegexp(a[0].s, a[1], a[2].s, f.cflags, start - 1, n));
}

// ---- regexp_count / instr / like / substr ----

int64_t StartArg(const Args& a, size_t i) {
  int64_t start = i < a.size() ? a[i].i : 1;
  CheckParam(start > 0, "start", start);
  return start;
}

Value FnRegexpCount(const Args& a, const BoundExpr&, ExecState&) {
  const int64_t start = StartArg(a, 2);
  regex::Flags f = FlagsArg(a, 3);
  NoGlobal(f, "regexp_count");
  const Regex& re = CompileArg(a[1], f.cflags);
  Subject s(a[0].s);
  const int64_t from = start - 1 > s.CharIndex(s.units()) ? s.units() + 1 : s.UnitOfChar(start - 1);
  return Value::Int32(static_cast<int32_t>(FindMatches(s, re, true, from, false, false).count()));
}

// regexp_instr / regexp_substr: the code-unit range of the n-th match (1-based) at or after
// character `start` (1-based), or of its subexpr-th parenthesized subexpression (0: the whole
// match); nullopt when there are fewer matches or subexpressions.
std::optional<std::pair<int64_t, int64_t>> NthMatch(const Subject& s, const Regex& re,
                                                    int64_t start, int64_t n, int64_t subexpr) {
  const int64_t from = start - 1 > s.CharIndex(s.units()) ? s.units() + 1 : s.UnitOfChar(start - 1);
  Matches ms = FindMatches(s, re, true, from, subexpr > 0, false);
  if (n > static_cast<int64_t>(ms.count()) || subexpr > ms.npatterns) return std::nullopt;
  return ms.at(static_cast<size_t>(n - 1), subexpr > 0 ? static_cast<int>(subexpr - 1) : 0);
}

Value FnRegexpInstr(const Args& a, const BoundExpr&, ExecState&) {
  const int64_t start = StartArg(a, 2);
  int64_t n = 1, endoption = 0, subexpr = 0;
  if (a.size() > 3) {
    n = a[3].i;
    CheckParam(n > 0, "n", n);
  }
  if (a.size() > 4) {
    endoption = a[4].i;
    CheckParam(endoption == 0 || endoption == 1, "endoption", endoption);
  }
  regex::Flags f = FlagsArg(a, 5);
  NoGlobal(f, "regexp_instr");
  if (a.size() > 6) {
    subexpr = a[6].i;
    CheckParam(subexpr >= 0, "subexpr", subexpr);
  }
  const Regex& re = CompileArg(a[1], f.cflags);
  Subject s(a[0].s);
  auto loc = NthMatch(s, re, start, n, subexpr);
  if (!loc) return Value::Int32(0);
  const int64_t pos = endoption == 1 ? loc->second : loc->first;
  if (pos < 0) return Value::Int32(0);
  return Value::Int32(static_cast<int32_t>(s.CharIndex(pos) + 1));
}

Value FnRegexpLike(const Args& a, const BoundExpr&, ExecState&) {
  regex::Flags f = FlagsArg(a, 2);
  NoGlobal(f, "regexp_like");
  Match m;
  return Value::Bool(CompileArg(a[1], f.cflags).Search(Subject(a[0].s), 0, &m));
}

Value FnRegexpSubstr(const Args& a, const BoundExpr&, ExecState&) {
  const int64_t start = StartArg(a, 2);
  int64_t n = 1, subexpr = 0;
  if (a.size() > 3) {
    n = a[3].i;
    CheckParam(n > 0, "n", n);
  }
  regex::Flags f = FlagsArg(a, 4);
  NoGlobal(f, "regexp_substr");
  if (a.size() > 5) {
    subexpr = a[5].i;
    CheckParam(subexpr >= 0, "subexpr", subexpr);
  }
  const Regex& re = CompileArg(a[1], f.cflags);
  Subject s(a[0].s);
  auto loc = NthMatch(s, re, start, n, subexpr);
  return loc ? Piece(s, *loc) : NullText();
}

// ---- substring ----

// substring(x from pattern): the first parenthesized subexpression's match, else the whole
// match; NULL when there is no match (or the subexpression took no part).
Value RegexSubstring(const std::string& x, const Value& pattern) {
  const Regex& re = CompileArg(pattern, regex::kAdvanced);
  Subject s(x);
  Match m;
  if (!re.Search(s, 0, &m)) return NullText();
  return Piece(s, re.nsub() > 0 ? m.groups[1] : m.groups[0]);
}

Value FnTextRegexSubstr(const Args& a, const BoundExpr&, ExecState&) {
  return RegexSubstring(a[0].s, a[1]);
}

// PostgreSQL 15's substring(text, text, text) is the SQL function `select
// pg_catalog.substring($1, pg_catalog.similar_to_escape($2, $3))`: its errors say so.
Value FnSimilarSubstring(const Args& a, const BoundExpr&, ExecState&) {
  try {
    return RegexSubstring(a[0].s, Text(regex::SimilarToEscape(a[1].s, &a[2].s)));
  } catch (Error& e) {
    if (!e.context) e.context = "SQL function \"substring\" statement 1";
    throw;
  }
}

Value FnSimilarToEscape(const Args& a, const BoundExpr&, ExecState&) {
  return Text(regex::SimilarToEscape(a[0].s, a.size() > 1 ? &a[1].s : nullptr));
}

// similar_escape(pattern, escape): not strict; a NULL escape means the default.
Value FnSimilarEscape(const Args& a, const BoundExpr&, ExecState&) {
  if (a[0].is_null) return NullText();
  return Text(regex::SimilarToEscape(a[0].s, a[1].is_null ? nullptr : &a[1].s));
}

}  // namespace

const std::vector<StringFunctionEntry>& RegexFunctionEntries() {
  static const std::vector<StringFunctionEntry> kFns = {
      {"textregexeq", FnRegexOp<false, false>, true},
      {"texticregexeq", FnRegexOp<true, false>, true},
      {"textregexne", FnRegexOp<false, true>, true},
      {"texticregexne", FnRegexOp<true, true>, true},
      {"regexp_match", FnRegexpMatch, true},
      {"regexp_replace", FnRegexpReplace, true},
      {"regexp_split_to_array", FnRegexpSplitToArray, true},
      {"regexp_count", FnRegexpCount, true},
      {"regexp_instr", FnRegexpInstr, true},
      {"regexp_like", FnRegexpLike, true},
      {"regexp_substr", FnRegexpSubstr, true},
      {"textregexsubstr", FnTextRegexSubstr, true},
      {"similar_substring", FnSimilarSubstring, true},
      {"similar_to_escape", FnSimilarToEscape, true},
      {"similar_escape", FnSimilarEscape, false},
  };
  return kFns;
}

const std::vector<SetFunctionEntry>& SetFunctionEntries() {
  static const std::vector<SetFunctionEntry> kFns = {
      {"regexp_matches", SetRegexpMatches, true},
      {"regexp_split_to_table", SetRegexpSplitToTable, true},
      {"string_to_table", StringToTable, false},
      {"pg_listening_channels", PgListeningChannels, false},
      {"pg_partition_ancestors", PgPartitionAncestors, true},
      {"generate_subscripts", GenerateSubscripts, true},
  };
  return kFns;
}

}  // namespace activestore::executor
