#include "common/regex.h"

#include <tcl.h>

#include <list>
#include <mutex>
#include <string>
#include <utility>

#include "common/error.h"
#include "common/utf8.h"

namespace activestore::regex {
namespace {

static_assert(kAdvanced == TCL_REG_ADVANCED && kExtended == TCL_REG_EXTENDED &&
              kBasic == TCL_REG_BASIC && kQuote == TCL_REG_QUOTE && kICase == TCL_REG_NOCASE &&
              kExpanded == TCL_REG_EXPANDED && kNLStop == TCL_REG_NLSTOP &&
              kNLAnch == TCL_REG_NLANCH && kNewline == TCL_REG_NEWLINE);

constexpr size_t kCacheSize = 32;  // PostgreSQL's MAX_CACHED_RES

Tcl_Obj* AsObj(void* p) { return static_cast<Tcl_Obj*>(p); }

// Strips Tcl's "couldn't compile regular expression pattern: " style prefix.
std::string EngineMessage(Tcl_Interp* interp) {
  std::string msg = Tcl_GetStringResult(interp);
  Tcl_ResetResult(interp);
  size_t colon = msg.find(": ");
  return colon == std::string::npos ? msg : msg.substr(colon + 2);
}

}  // namespace

// This thread's interpreter (for the engine's error messages) and compiled patterns.
class Cache {
 public:
  static Cache& Get() {
    static std::once_flag once;
    std::call_once(once, [] { Tcl_FindExecutable(nullptr); });
    thread_local Cache cache;
    return cache;
  }

  Tcl_Interp* interp() const { return interp_; }

  const Regex& Compile(std::string_view pattern, int cflags) {
    std::string key;
    key.reserve(pattern.size() + 4);
    key.append(reinterpret_cast<const char*>(&cflags), sizeof(cflags));
    key.append(pattern);
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->first == key) {
        if (it != entries_.begin()) entries_.splice(entries_.begin(), entries_, it);
        return entries_.front().second;
      }
    }
    // The pattern as the engine's characters (NUL is a character here, not an end).
    Subject as_units(pattern);
    Tcl_Obj* obj = AsObj(as_units.obj_);
    Tcl_IncrRefCount(obj);
    Tcl_RegExp re = Tcl_GetRegExpFromObj(interp_, obj, cflags);
    if (re == nullptr) {
      Tcl_DecrRefCount(obj);
      Throw(SqlState::kInvalidRegularExpression, "invalid regular expression: {}",
            EngineMessage(interp_));
    }
    Tcl_RegExpInfo info;
    Tcl_RegExpGetInfo(re, &info);
    Regex r;
    r.obj_ = obj;
    r.cflags_ = cflags;
    r.nsub_ = info.nsubs;
    if (entries_.size() >= kCacheSize) {
      Tcl_DecrRefCount(AsObj(entries_.back().second.obj_));
      entries_.pop_back();
    }
    entries_.emplace_front(std::move(key), r);
    return entries_.front().second;
  }

  ~Cache() {
    for (auto& [key, re] : entries_) Tcl_DecrRefCount(AsObj(re.obj_));
    entries_.clear();
    if (interp_ != nullptr) Tcl_DeleteInterp(interp_);
    Tcl_FinalizeThread();
  }

 private:
  Cache() : interp_(Tcl_CreateInterp()) {}

  Tcl_Interp* interp_;
  std::list<std::pair<std::string, Regex>> entries_;  // most recently used first
};

Flags ParseFlags(std::string_view opts) {
  Flags f;
  for (size_t i = 0; i < opts.size();) {
    const size_t len = std::min(Utf8Len(static_cast<unsigned char>(opts[i])), opts.size() - i);
    switch (opts[i]) {
      case 'g':
        f.global = true;
        break;
      case 'b':
        f.cflags &= ~(kAdvanced | kExtended | kQuote);
        break;
      case 'c':
        f.cflags &= ~kICase;
        break;
      case 'e':
        f.cflags |= kExtended;
        f.cflags &= ~((kAdvanced & ~kExtended) | kQuote);
        break;
      case 'i':
        f.cflags |= kICase;
        break;
      case 'm':
      case 'n':
        f.cflags |= kNewline;
        break;
      case 'p':
        f.cflags |= kNLStop;
        f.cflags &= ~kNLAnch;
        break;
      case 'q':
        f.cflags |= kQuote;
        f.cflags &= ~kAdvanced;
        break;
      case 's':
        f.cflags &= ~kNewline;
        break;
      case 't':
        f.cflags &= ~kExpanded;
        break;
      case 'w':
        f.cflags &= ~kNLStop;
        f.cflags |= kNLAnch;
        break;
      case 'x':
        f.cflags |= kExpanded;
        break;
      default:
        Throw(SqlState::kInvalidParameterValue, "invalid regular expression option: \"{}\"",
              opts.substr(i, len));
    }
    i += len;
  }
  return f;
}

Subject::Subject(std::string_view utf8) : text_(utf8) {
  std::vector<Tcl_UniChar> units;
  units.reserve(utf8.size());
  unit_byte_.reserve(utf8.size() + 1);
  for (size_t i = 0; i < utf8.size();) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    size_t len = std::min(Utf8Len(c), utf8.size() - i);
    uint32_t cp = c;
    if (len > 1) {
      cp = c & (0x7F >> len);
      for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (utf8[i + k] & 0x3F);
    }
    unit_byte_.push_back(static_cast<uint32_t>(i));
    if (cp > 0xFFFF) {
      cp -= 0x10000;
      units.push_back(static_cast<Tcl_UniChar>(0xD800 + (cp >> 10)));
      units.push_back(static_cast<Tcl_UniChar>(0xDC00 + (cp & 0x3FF)));
      unit_byte_.push_back(static_cast<uint32_t>(i));
      astral_ = true;
    } else {
      units.push_back(static_cast<Tcl_UniChar>(cp));
    }
    i += len;
  }
  unit_byte_.push_back(static_cast<uint32_t>(utf8.size()));
  Cache::Get();  // Tcl set up on this thread
  Tcl_Obj* obj = Tcl_NewUnicodeObj(units.data(), static_cast<int>(units.size()));
  Tcl_IncrRefCount(obj);
  obj_ = obj;
}

Subject::~Subject() {
  if (obj_ != nullptr) Tcl_DecrRefCount(AsObj(obj_));
}

int64_t Subject::CharIndex(int64_t u) const {
  if (!astral_) return u;
  int64_t c = 0;
  for (int64_t k = 0; k < u; ++k) {
    if (k == 0 || unit_byte_[k] != unit_byte_[k - 1]) ++c;
  }
  return c;
}

int64_t Subject::UnitOfChar(int64_t c) const {
  if (!astral_) return std::min(c, units());
  int64_t seen = 0;
  for (int64_t u = 0; u < units(); ++u) {
    if (u > 0 && unit_byte_[u] == unit_byte_[u - 1]) continue;
    if (seen == c) return u;
    ++seen;
  }
  return units();
}

bool Regex::Search(const Subject& s, int64_t start, Match* m) const {
  Cache& cache = Cache::Get();
  Tcl_RegExp re = Tcl_GetRegExpFromObj(cache.interp(), AsObj(obj_), cflags_);
  if (re == nullptr) {
    Throw(SqlState::kInvalidRegularExpression, "invalid regular expression: {}",
          EngineMessage(cache.interp()));
  }
  int eflags = 0;
  // The engine sees the subject from `start` on: ^ there is a beginning of line only after a
  // newline in newline-sensitive mode (PostgreSQL's search_start keeps the context).
  if (start > 0 && !((cflags_ & kNLAnch) && s.IsNewlineBefore(start))) eflags |= TCL_REG_NOTBOL;
  int r = Tcl_RegExpExecObj(cache.interp(), re, AsObj(s.obj_), static_cast<int>(start), -1, eflags);
  if (r < 0) {
    Throw(SqlState::kInvalidRegularExpression, "regular expression failed: {}",
          EngineMessage(cache.interp()));
  }
  if (r == 0) return false;
  Tcl_RegExpInfo info;
  Tcl_RegExpGetInfo(re, &info);
  m->groups.assign(static_cast<size_t>(nsub_) + 1, {-1, -1});
  for (int i = 0; i <= nsub_ && i <= info.nsubs; ++i) {
    if (info.matches[i].start < 0 || info.matches[i].end < 0) continue;
    m->groups[i] = {info.matches[i].start + start, info.matches[i].end + start};
  }
  return true;
}

const Regex& Compile(std::string_view pattern, int cflags) {
  return Cache::Get().Compile(pattern, cflags);
}

std::string SimilarToEscape(std::string_view pat, const std::string* escape) {
  std::string_view e = escape == nullptr ? std::string_view("\\") : std::string_view(*escape);
  if (!e.empty() && Utf8Len(static_cast<unsigned char>(e[0])) < e.size()) {
    throw Error(SqlState::kInvalidEscapeSequence, "invalid escape string")
        .Hint("Escape string must be empty or one character.");
  }
  std::string r = "^(?:";
  bool afterescape = false;
  int nquotes = 0;
  int charclass_depth = 0;  // nesting of [ ] (a [:class:] inside counts)
  int charclass_start = 0;  // 1 right after [, 2 after [^, 3 past the start
  for (size_t i = 0; i < pat.size();) {
    const size_t len = std::min(Utf8Len(static_cast<unsigned char>(pat[i])), pat.size() - i);
    const std::string_view ch = pat.substr(i, len);
    const char pchar = pat[i];
    i += len;
    if (afterescape) {
      if (ch == "\"" && charclass_depth < 1) {
        if (nquotes == 0) {
          r += "){1,1}?(";
        } else if (nquotes == 1) {
          r += "){1,1}(?:";
        } else {
          Throw(SqlState::kInvalidUseOfEscapeCharacter,
                "SQL regular expression may not contain more than two escape-double-quote "
                "separators");
        }
        ++nquotes;
      } else {
        // Any character may be escaped (so \d and the like reach the engine).
        r += '\\';
        r += ch;
        charclass_start = 3;
      }
      afterescape = false;
    } else if (!e.empty() && ch == e) {
      afterescape = true;
    } else if (charclass_depth > 0) {
      if (pchar == '\\') r += '\\';
      r += ch;
      // A ] right after [ or [^ is a member, not the end of the class.
      if (ch == "]" && charclass_start > 2) {
        --charclass_depth;
      } else if (ch == "[") {
        ++charclass_depth;
      }
      if (ch == "^") {
        ++charclass_start;
      } else {
        charclass_start = 3;
      }
    } else if (ch == "[") {
      r += ch;
      ++charclass_depth;
      charclass_start = 1;
    } else if (ch == "%") {
      r += ".*";
    } else if (ch == "_") {
      r += '.';
    } else if (ch == "(") {
      r += "(?:";
    } else if (ch == "\\" || ch == "." || ch == "^" || ch == "$") {
      r += '\\';
      r += ch;
    } else {
      r += ch;
    }
  }
  r += ")$";
  return r;
}

}  // namespace activestore::regex
