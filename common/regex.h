// PostgreSQL's regular expressions (Advanced Regular Expressions, Henry Spencer's engine) on
// Tcl 8.6's copy of the same engine (libtcl8.6), plus the SQL-side helpers PostgreSQL builds on
// it: the flag letters of the regexp_* functions (parse_re_flags) and the translation of SQL
// SIMILAR TO patterns (similar_to_escape).
//
// Positions are in the engine's characters ("units"): UTF-16 code units, since Tcl 8.6 keeps
// strings as 16-bit characters; a character outside the BMP is two units. Subject converts
// between units, characters (code points, what SQL counts) and UTF-8 byte offsets.
//
// Differences from PostgreSQL 15's engine (see common/README.md): no lookbehind constraints
// ((?<=...) and (?<!...) are "invalid regular expression"), and a search that starts inside the
// subject (regexp_matches 'g', regexp_replace's start) sees no text before its start, so \m, \y
// and lookahead-free word constraints at the start position judge as at the beginning of a
// string (^ there matches only when newline-sensitive after a newline, as in PostgreSQL).
// Tcl 8.6 also lacks PostgreSQL's later engine fixes: some non-greedy/greedy mixes split a
// match differently, and a back-reference pattern that can match empty but never does
// ('$()|^\1') loops forever without a cancel check (see common/README.md).
//
// Thread safety: Tcl objects belong to the thread that made them. Compile() keeps a per-thread
// cache (32 patterns, least recently used dropped, as PostgreSQL's RE cache), and a Subject and
// the Regex references it is used with must stay on one thread (one function call).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace activestore::regex {

// Compile flags: the values of PostgreSQL's (and Spencer's) REG_* flags.
inline constexpr int kBasic = 0;
inline constexpr int kExtended = 1;
inline constexpr int kAdvanced = 3;  // extended + advanced features
inline constexpr int kQuote = 4;     // the pattern is a literal string
inline constexpr int kICase = 8;
inline constexpr int kExpanded = 32;
inline constexpr int kNLStop = 64;   // \n does not match . or [^...]
inline constexpr int kNLAnch = 128;  // ^ and $ match at \n
inline constexpr int kNewline = kNLStop | kNLAnch;

// The flags string of the regexp_* functions (PostgreSQL's parse_re_flags): compile flags
// (always starting from kAdvanced) and 'g'. 22023 `invalid regular expression option: "z"`.
struct Flags {
  int cflags = kAdvanced;
  bool global = false;
};
Flags ParseFlags(std::string_view opts);

// A subject string prepared for matching. Not copyable; one thread.
class Subject {
 public:
  explicit Subject(std::string_view utf8);
  ~Subject();
  Subject(const Subject&) = delete;
  Subject& operator=(const Subject&) = delete;

  std::string_view text() const { return text_; }
  int64_t units() const { return static_cast<int64_t>(unit_byte_.size()) - 1; }
  // The byte offset of unit u (0..units()).
  size_t ByteOffset(int64_t u) const { return unit_byte_[static_cast<size_t>(u)]; }
  // The text of units [from, to).
  std::string_view Slice(int64_t from, int64_t to) const {
    return std::string_view(text_).substr(ByteOffset(from), ByteOffset(to) - ByteOffset(from));
  }
  // Code point index of unit u, and the first unit of code point c (both 0-based; c may be
  // the number of code points, giving units()).
  int64_t CharIndex(int64_t u) const;
  int64_t UnitOfChar(int64_t c) const;
  bool IsNewlineBefore(int64_t u) const { return u > 0 && text_[ByteOffset(u) - 1] == '\n'; }

 private:
  friend class Regex;
  friend class Cache;
  std::string text_;
  std::vector<uint32_t> unit_byte_;  // units() + 1 entries
  bool astral_ = false;              // some character took two units
  void* obj_ = nullptr;              // Tcl_Obj*
};

// One match: groups[0] the whole match, groups[i] subexpression i, as [start, end) in units;
// -1, -1 for a subexpression that did not take part.
struct Match {
  std::vector<std::pair<int64_t, int64_t>> groups;
  int64_t start() const { return groups[0].first; }
  int64_t end() const { return groups[0].second; }
};

class Regex {
 public:
  int nsub() const { return nsub_; }
  int cflags() const { return cflags_; }
  // Searches `s` from unit `start` (0..units()); fills *m (nsub()+1 groups) when found.
  // 2201B `regular expression failed: ...` when the engine gives up.
  bool Search(const Subject& s, int64_t start, Match* m) const;

 private:
  friend class Cache;
  void* obj_ = nullptr;  // Tcl_Obj* holding the compiled pattern
  int cflags_ = 0;
  int nsub_ = 0;
};

// The compiled pattern, from this thread's cache. 2201B `invalid regular expression: ...`.
// The reference stays valid until 32 other patterns have been compiled on this thread.
const Regex& Compile(std::string_view pattern, int cflags);

// PostgreSQL's similar_to_escape: a SIMILAR TO pattern as a POSIX one (^(?:...)$ with parts
// split by the escape-double-quote separators). `escape`: nullptr for the default backslash,
// "" for no escape character. 22025 invalid escape string, 2200C more than two separators.
std::string SimilarToEscape(std::string_view pattern, const std::string* escape);

}  // namespace activestore::regex
