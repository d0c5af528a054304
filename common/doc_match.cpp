// MongoDB-style query filters (see doc_match.h and docs/design/2026-12-06-doc-match.md).
//
// Compile turns the filter into a tree of Expr (logical and path nodes) and Pred (one operator
// on one path); every JsonbRef in it points into the filter's bytes, which the DocFilter owns.
// Matching collects the values a path reaches (Reach) and applies each predicate to them.
#include "common/doc_match.h"

#include <cstdint>
#include <optional>
#include <utility>

#include "common/error.h"
#include "common/numeric.h"
#include "common/regex.h"
#include "common/stack_depth.h"

namespace activestore {
namespace {

using K = JsonbKind;

[[noreturn]] void Bad(std::string message) {
  throw Error(SqlState::kInvalidParameterValue, std::move(message));
}

// MongoDB's canonical type order (bson-type-comparison-order) over the types JSON has:
// null < numbers < strings < objects < arrays < booleans.
int Bracket(JsonbRef v) {
  switch (v.kind()) {
    case K::kNull:
      return 1;
    case K::kNumber:
      return 2;
    case K::kString:
      return 3;
    case K::kObject:
      return 4;
    case K::kArray:
      return 5;
    case K::kFalse:
    case K::kTrue:
      return 6;
  }
  return 0;
}

int Sign(int c) { return c < 0 ? -1 : c > 0 ? 1 : 0; }

// A number's text as an int64 when it is a plain integer of at most 18 digits (the common case,
// compared without building a Numeric).
bool SmallInteger(std::string_view t, int64_t* out) {
  const bool neg = !t.empty() && t[0] == '-';
  const std::string_view digits = t.substr(neg ? 1 : 0);
  if (digits.empty() || digits.size() > 18) return false;
  int64_t v = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = neg ? -v : v;
  return true;
}

int CompareNumbers(std::string_view a, std::string_view b) {
  if (a == b) return 0;
  int64_t x, y;
  if (SmallInteger(a, &x) && SmallInteger(b, &y)) return x < y ? -1 : x > y ? 1 : 0;
  return Sign(Numeric::Parse(a).Compare(Numeric::Parse(b)));
}

// MongoDB's order of two values (BSON woCompare): first the type bracket, then the value;
// objects pair by pair (value type, key, value) in their stored order, arrays element by
// element, a shorter prefix first.
int MongoCompare(JsonbRef a, JsonbRef b) {
  const int ba = Bracket(a);
  const int bb = Bracket(b);
  if (ba != bb) return ba < bb ? -1 : 1;
  switch (a.kind()) {
    case K::kNull:
      return 0;
    case K::kNumber:
      return CompareNumbers(a.str(), b.str());
    case K::kString:
      return Sign(a.str().compare(b.str()));
    case K::kFalse:
    case K::kTrue:
      return a.kind() == b.kind() ? 0 : a.kind() == K::kFalse ? -1 : 1;
    case K::kArray: {
      CheckStackDepth();
      const uint32_t n = std::min(a.size(), b.size());
      for (uint32_t i = 0; i < n; ++i) {
        if (int c = MongoCompare(a.element(i), b.element(i))) return c;
      }
      return a.size() == b.size() ? 0 : a.size() < b.size() ? -1 : 1;
    }
    case K::kObject: {
      CheckStackDepth();
      const uint32_t n = std::min(a.size(), b.size());
      for (uint32_t i = 0; i < n; ++i) {
        const int ta = Bracket(a.value(i));
        const int tb = Bracket(b.value(i));
        if (ta != tb) return ta < tb ? -1 : 1;
        if (int c = Sign(a.key(i).compare(b.key(i)))) return c;
        if (int c = MongoCompare(a.value(i), b.value(i))) return c;
      }
      return a.size() == b.size() ? 0 : a.size() < b.size() ? -1 : 1;
    }
  }
  return 0;
}

// $type: the BSON types a JSON value can have. A number is "int" when it is an integer that
// fits 32 bits, "long" when it fits 64, else "double" (how mongoimport and relaxed Extended
// JSON read numbers).
enum TypeBit : uint32_t {
  kTDouble = 1u << 0,
  kTString = 1u << 1,
  kTObject = 1u << 2,
  kTArray = 1u << 3,
  kTBool = 1u << 4,
  kTNull = 1u << 5,
  kTInt = 1u << 6,
  kTLong = 1u << 7,
  kTNever = 1u << 8,  // a BSON type JSON cannot hold (date, objectId, decimal, ...)
  kTNumber = kTDouble | kTInt | kTLong,
};

uint32_t TypeOf(JsonbRef v) {
  switch (v.kind()) {
    case K::kNull:
      return kTNull;
    case K::kFalse:
    case K::kTrue:
      return kTBool;
    case K::kString:
      return kTString;
    case K::kObject:
      return kTObject;
    case K::kArray:
      return kTArray;
    case K::kNumber: {
      const std::string_view t = v.str();
      if (t.find_first_of(".eE") != std::string_view::npos) return kTDouble;
      const Numeric n = Numeric::Parse(t);
      if (n.IsSpecial()) return kTDouble;
      if (n.Compare(Numeric::FromInt64(INT32_MIN)) >= 0 &&
          n.Compare(Numeric::FromInt64(INT32_MAX)) <= 0) {
        return kTInt;
      }
      if (n.Compare(Numeric::FromInt64(INT64_MIN)) >= 0 &&
          n.Compare(Numeric::FromInt64(INT64_MAX)) <= 0) {
        return kTLong;
      }
      return kTDouble;
    }
  }
  return 0;
}

// The $type aliases and codes (BSON type table of the $type page).
uint32_t TypeFromAlias(std::string_view s) {
  struct Alias {
    const char* name;
    uint32_t bits;
  };
  static constexpr Alias kAliases[] = {
      {"double", kTDouble},    {"string", kTString},   {"object", kTObject},
      {"array", kTArray},      {"binData", kTNever},   {"undefined", kTNever},
      {"objectId", kTNever},   {"bool", kTBool},       {"date", kTNever},
      {"null", kTNull},        {"regex", kTNever},     {"dbPointer", kTNever},
      {"javascript", kTNever}, {"symbol", kTNever},    {"javascriptWithScope", kTNever},
      {"int", kTInt},          {"timestamp", kTNever}, {"long", kTLong},
      {"decimal", kTNever},    {"minKey", kTNever},    {"maxKey", kTNever},
      {"number", kTNumber},
  };
  for (const Alias& a : kAliases) {
    if (s == a.name) return a.bits;
  }
  Bad(fmt::format("unknown type name alias: {}", s));
}

uint32_t TypeFromCode(JsonbRef v) {
  const Numeric n = Numeric::Parse(v.str());
  if (!n.IsInteger()) Bad(fmt::format("Invalid numerical type code: {}", v.str()));
  const int64_t code =
      n.Compare(Numeric::FromInt64(1000)) > 0 || n.Compare(Numeric::FromInt64(-1000)) < 0
          ? 1000
          : n.ToInt64();
  switch (code) {
    case 1:
      return kTDouble;
    case 2:
      return kTString;
    case 3:
      return kTObject;
    case 4:
      return kTArray;
    case 8:
      return kTBool;
    case 10:
      return kTNull;
    case 16:
      return kTInt;
    case 18:
      return kTLong;
    case 5:
    case 6:
    case 7:
    case 9:
    case 11:
    case 12:
    case 13:
    case 14:
    case 15:
    case 17:
    case 19:
    case -1:
    case 127:
      return kTNever;
    default:
      Bad(fmt::format("Invalid numerical type code: {}", v.str()));
  }
}

bool IsOperatorObject(JsonbRef v) {
  if (v.kind() != K::kObject || v.size() == 0) return false;
  for (uint32_t i = 0; i < v.size(); ++i) {
    if (!v.key(i).empty() && v.key(i)[0] == '$') return true;
  }
  return false;
}

Numeric NumberArg(JsonbRef v, const char* what) {
  if (v.kind() != K::kNumber) Bad(fmt::format("{} needs a number", what));
  return Numeric::Parse(v.str());
}

// A number argument that must be a whole number ($size).
Numeric WholeNumber(JsonbRef v, const char* what) {
  const Numeric n = NumberArg(v, what);
  if (!n.IsInteger()) Bad(fmt::format("{} needs an integer, not {}", what, v.str()));
  return n;
}

}  // namespace

using Pred = DocFilter::Pred;

// A document predicate: $and/$or/$nor of children, or the predicates of one path.
struct DocFilter::Expr {
  enum Kind { kAnd, kOr, kNor, kPath };
  Kind kind = kAnd;
  std::vector<Expr> children;
  std::vector<std::string_view> path;  // kPath: the components
  std::vector<Pred> preds;             // kPath: all must hold
};

namespace {

using Expr = DocFilter::Expr;

}  // namespace

struct DocFilter::Pred {
  enum Op {
    kEq,
    kNe,
    kGt,
    kGte,
    kLt,
    kLte,
    kIn,
    kNin,
    kExists,
    kType,
    kRegex,
    kSize,
    kAll,
    kElemMatchValue,
    kElemMatchDoc,
    kMod,
    kNot,
  };
  Op op = kEq;
  std::optional<JsonbRef> value;  // kEq..kLte; kRegex: the pattern string
  std::vector<JsonbRef> values;   // kIn, kNin, kAll
  bool exists = true;             // kExists
  uint32_t types = 0;             // kType
  int cflags = 0;                 // kRegex
  int64_t size = 0;               // kSize
  Numeric divisor, remainder;     // kMod
  std::vector<Pred> preds;        // kElemMatchValue, kNot; kAll: its $elemMatch parts
  std::vector<Expr> doc;          // kElemMatchDoc: one expression
};

namespace {

// The values a path reaches in a document.
struct Reach {
  std::vector<JsonbRef> values;  // the field's values (arrays not expanded)
  bool missing = false;          // some branch of the path found no field
  bool expand = true;            // a condition also sees an array value's elements
};

bool IsIndex(std::string_view s) {
  if (s.empty() || s.size() > 9) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// MongoDB's dotted-path traversal: objects by key; an array at a non-final component is
// looked through (each object element continues with the same component) and, for a number
// component, also indexed. Arrays directly inside arrays are not looked through.
void Collect(JsonbRef node, const std::vector<std::string_view>& path, size_t at, Reach* out) {
  if (at == path.size()) {
    out->values.push_back(node);
    return;
  }
  CheckStackDepth();
  if (node.kind() == K::kObject) {
    if (std::optional<JsonbRef> v = node.Find(path[at])) {
      Collect(*v, path, at + 1, out);
    } else {
      out->missing = true;
    }
    return;
  }
  if (node.kind() == K::kArray) {
    if (IsIndex(path[at])) {
      const uint32_t i = static_cast<uint32_t>(std::stoul(std::string(path[at])));
      if (i < node.size()) Collect(node.element(i), path, at + 1, out);
    }
    for (uint32_t i = 0; i < node.size(); ++i) {
      JsonbRef e = node.element(i);
      if (e.kind() == K::kObject) Collect(e, path, at, out);
    }
    return;
  }
  out->missing = true;
}

// Calls f on each value a condition sees: the values and, when expanding, the elements of
// array values. Stops (returning true) at the first f that returns true.
template <typename F>
bool AnyValue(const Reach& r, F&& f) {
  for (JsonbRef v : r.values) {
    if (f(v)) return true;
    if (r.expand && v.kind() == K::kArray) {
      for (uint32_t i = 0; i < v.size(); ++i) {
        if (f(v.element(i))) return true;
      }
    }
  }
  return false;
}

bool MatchDoc(const Expr& e, JsonbRef doc);
bool MatchPred(const Pred& p, const Reach& r);

bool Equal(const Reach& r, JsonbRef q) {
  // {field: null} also matches a missing field.
  if (q.kind() == K::kNull && (r.missing || r.values.empty())) return true;
  return AnyValue(r, [&](JsonbRef v) { return MongoCompare(v, q) == 0; });
}

bool MatchPred(const Pred& p, const Reach& r) {
  switch (p.op) {
    case Pred::kEq:
      return Equal(r, *p.value);
    case Pred::kNe:
      return !Equal(r, *p.value);
    case Pred::kGt:
    case Pred::kGte:
    case Pred::kLt:
    case Pred::kLte: {
      const JsonbRef q = *p.value;
      if (q.kind() == K::kNull) {
        return (p.op == Pred::kGte || p.op == Pred::kLte) && Equal(r, q);
      }
      return AnyValue(r, [&](JsonbRef v) {
        if (Bracket(v) != Bracket(q)) return false;  // type bracketing
        const int c = MongoCompare(v, q);
        switch (p.op) {
          case Pred::kGt:
            return c > 0;
          case Pred::kGte:
            return c >= 0;
          case Pred::kLt:
            return c < 0;
          default:
            return c <= 0;
        }
      });
    }
    case Pred::kIn:
    case Pred::kNin: {
      bool any = false;
      for (JsonbRef q : p.values) {
        if (Equal(r, q)) {
          any = true;
          break;
        }
      }
      return p.op == Pred::kIn ? any : !any;
    }
    case Pred::kExists:
      return r.values.empty() != p.exists;
    case Pred::kType:
      return AnyValue(r, [&](JsonbRef v) { return (TypeOf(v) & p.types) != 0; });
    case Pred::kRegex: {
      const regex::Regex& re = regex::Compile(p.value->str(), p.cflags);
      return AnyValue(r, [&](JsonbRef v) {
        if (v.kind() != K::kString) return false;
        regex::Subject s(v.str());
        regex::Match m;
        return re.Search(s, 0, &m);
      });
    }
    case Pred::kSize:
      for (JsonbRef v : r.values) {
        if (v.kind() == K::kArray && v.size() == p.size) return true;
      }
      return false;
    case Pred::kAll:
      if (p.values.empty() && p.preds.empty()) return false;
      for (JsonbRef q : p.values) {
        if (!Equal(r, q)) return false;
      }
      for (const Pred& sub : p.preds) {
        if (!MatchPred(sub, r)) return false;
      }
      return true;
    case Pred::kElemMatchValue:
    case Pred::kElemMatchDoc:
      for (JsonbRef v : r.values) {
        if (v.kind() != K::kArray) continue;
        for (uint32_t i = 0; i < v.size(); ++i) {
          const JsonbRef e = v.element(i);
          bool ok = true;
          if (p.op == Pred::kElemMatchDoc) {
            ok = e.kind() == K::kObject && MatchDoc(p.doc[0], e);
          } else {
            Reach one;
            one.values.push_back(e);
            one.expand = false;
            for (const Pred& sub : p.preds) {
              if (!MatchPred(sub, one)) {
                ok = false;
                break;
              }
            }
          }
          if (ok) return true;
        }
      }
      return false;
    case Pred::kMod:
      return AnyValue(r, [&](JsonbRef v) {
        if (v.kind() != K::kNumber) return false;
        const Numeric n = Numeric::Parse(v.str());
        if (n.IsSpecial()) return false;
        return n.Trunc(0).Mod(p.divisor).Compare(p.remainder) == 0;
      });
    case Pred::kNot:
      for (const Pred& sub : p.preds) {
        if (!MatchPred(sub, r)) return true;
      }
      return false;
  }
  return false;
}

bool MatchDoc(const Expr& e, JsonbRef doc) {
  CheckStackDepth();
  switch (e.kind) {
    case Expr::kAnd:
      for (const Expr& c : e.children) {
        if (!MatchDoc(c, doc)) return false;
      }
      return true;
    case Expr::kOr:
      for (const Expr& c : e.children) {
        if (MatchDoc(c, doc)) return true;
      }
      return false;
    case Expr::kNor:
      for (const Expr& c : e.children) {
        if (MatchDoc(c, doc)) return false;
      }
      return true;
    case Expr::kPath: {
      Reach r;
      Collect(doc, e.path, 0, &r);
      for (const Pred& p : e.preds) {
        if (!MatchPred(p, r)) return false;
      }
      return true;
    }
  }
  return false;
}

// --- Compiling ---

bool IsUnsupportedOperator(std::string_view op) {
  static constexpr std::string_view kOps[] = {
      "$where",     "$expr",          "$text",       "$jsonSchema",   "$sampleRate",
      "$geoWithin", "$geoIntersects", "$near",       "$nearSphere",   "$box",
      "$center",    "$centerSphere",  "$geometry",   "$maxDistance",  "$minDistance",
      "$polygon",   "$bitsAllClear",  "$bitsAllSet", "$bitsAnyClear", "$bitsAnySet",
      "$rand",
  };
  for (std::string_view o : kOps) {
    if (op == o) return true;
  }
  return false;
}

[[noreturn]] void Unsupported(std::string_view op) {
  throw Error(SqlState::kFeatureNotSupported,
              fmt::format("query operator {} is not supported by doc_match", op));
}

Expr CompileDoc(JsonbRef filter);
std::vector<Pred> CompileOperators(JsonbRef ops, bool in_not);

std::vector<std::string_view> SplitPath(std::string_view p) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    const size_t dot = p.find('.', start);
    out.push_back(p.substr(start, dot == std::string_view::npos ? p.npos : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return out;
}

int RegexFlags(std::string_view options) {
  // PCRE's defaults expressed on the ARE engine: '.' does not match a newline unless 's'.
  int cflags = regex::kAdvanced;
  bool dotall = false;
  for (char c : options) {
    switch (c) {
      case 'i':
        cflags |= regex::kICase;
        break;
      case 'm':
        cflags |= regex::kNLAnch;
        break;
      case 's':
        dotall = true;
        break;
      case 'x':
        cflags |= regex::kExpanded;
        break;
      case 'u':
        break;  // patterns and strings are always UTF-8
      default:
        Bad(fmt::format("invalid flag in regex options: {}", c));
    }
  }
  if (!dotall) cflags |= regex::kNLStop;
  return cflags;
}

Pred RegexPred(JsonbRef pattern, std::optional<JsonbRef> options) {
  if (pattern.kind() != K::kString) Bad("$regex has to be a string");
  if (options && options->kind() != K::kString) Bad("$options has to be a string");
  Pred p;
  p.op = Pred::kRegex;
  p.value = pattern;
  p.cflags = RegexFlags(options ? options->str() : std::string_view());
  regex::Compile(pattern.str(), p.cflags);  // 2201B now rather than at the first string
  return p;
}

JsonbRef ArrayArg(JsonbRef v, const char* op) {
  if (v.kind() != K::kArray) Bad(fmt::format("{} needs an array", op));
  return v;
}

std::vector<Pred> CompileOperators(JsonbRef ops, bool in_not) {
  CheckStackDepth();
  std::vector<Pred> out;
  const std::optional<JsonbRef> regex = ops.Find("$regex");
  const std::optional<JsonbRef> options = ops.Find("$options");
  if (options && !regex) Bad("$options needs a $regex");
  if (regex) out.push_back(RegexPred(*regex, options));
  for (uint32_t i = 0; i < ops.size(); ++i) {
    const std::string_view op = ops.key(i);
    const JsonbRef v = ops.value(i);
    if (op == "$regex" || op == "$options") continue;
    Pred p;
    if (op == "$eq" || op == "$ne" || op == "$gt" || op == "$gte" || op == "$lt" || op == "$lte") {
      p.op = op == "$eq"    ? Pred::kEq
             : op == "$ne"  ? Pred::kNe
             : op == "$gt"  ? Pred::kGt
             : op == "$gte" ? Pred::kGte
             : op == "$lt"  ? Pred::kLt
                            : Pred::kLte;
      p.value = v;
    } else if (op == "$in" || op == "$nin") {
      p.op = op == "$in" ? Pred::kIn : Pred::kNin;
      const JsonbRef arr = ArrayArg(v, op == "$in" ? "$in" : "$nin");
      for (uint32_t j = 0; j < arr.size(); ++j) {
        if (IsOperatorObject(arr.element(j))) Bad("cannot nest $ under $in");
        p.values.push_back(arr.element(j));
      }
    } else if (op == "$exists") {
      p.op = Pred::kExists;
      // Any value but false, 0 and null means true, as MongoDB's $exists.
      p.exists = !(v.kind() == K::kFalse || v.kind() == K::kNull ||
                   (v.kind() == K::kNumber && Numeric::Parse(v.str()).IsZero()));
    } else if (op == "$type") {
      p.op = Pred::kType;
      auto one = [&](JsonbRef t) {
        if (t.kind() == K::kString) return TypeFromAlias(t.str());
        if (t.kind() == K::kNumber) return TypeFromCode(t);
        Bad("type must be represented as a number or a string");
      };
      if (v.kind() == K::kArray) {
        if (v.size() == 0) Bad("$type must match at least one type");
        for (uint32_t j = 0; j < v.size(); ++j) p.types |= one(v.element(j));
      } else {
        p.types = one(v);
      }
    } else if (op == "$size") {
      p.op = Pred::kSize;
      const Numeric n = WholeNumber(v, "$size");
      if (n.IsNegative()) Bad("$size may not be negative");
      p.size = n.Compare(Numeric::FromInt64(INT32_MAX)) > 0 ? INT64_MAX : n.ToInt64();
    } else if (op == "$all") {
      p.op = Pred::kAll;
      const JsonbRef arr = ArrayArg(v, "$all");
      for (uint32_t j = 0; j < arr.size(); ++j) {
        const JsonbRef e = arr.element(j);
        if (e.kind() == K::kObject && e.size() > 0 && e.key(0) == "$elemMatch" && e.size() == 1) {
          std::vector<Pred> em = CompileOperators(e, false);
          p.preds.push_back(std::move(em[0]));
        } else if (IsOperatorObject(e)) {
          Bad("no $ expressions in $all");
        } else {
          p.values.push_back(e);
        }
      }
    } else if (op == "$elemMatch") {
      if (v.kind() != K::kObject) Bad("$elemMatch needs an Object");
      // The value form when the first operator applies to the element itself; the document
      // form for field names and the logical operators.
      bool value_form = false;
      for (uint32_t j = 0; j < v.size(); ++j) {
        const std::string_view k = v.key(j);
        if (!k.empty() && k[0] == '$' && k != "$and" && k != "$or" && k != "$nor") {
          value_form = true;
        }
      }
      if (value_form) {
        p.op = Pred::kElemMatchValue;
        p.preds = CompileOperators(v, false);
      } else {
        p.op = Pred::kElemMatchDoc;
        p.doc.push_back(CompileDoc(v));
      }
    } else if (op == "$mod") {
      p.op = Pred::kMod;
      const JsonbRef arr = ArrayArg(v, "malformed mod, $mod");
      if (arr.size() != 2) {
        Bad(arr.size() < 2 ? "malformed mod, not enough elements"
                           : "malformed mod, too many elements");
      }
      // Decimal arguments are truncated toward zero (the $mod page).
      p.divisor = NumberArg(arr.element(0), "$mod divisor").Trunc(0);
      p.remainder = NumberArg(arr.element(1), "$mod remainder").Trunc(0);
      if (p.divisor.IsZero()) Bad("divisor cannot be 0");
    } else if (op == "$not") {
      if (in_not) Bad("$not cannot be nested under $not");
      p.op = Pred::kNot;
      if (v.kind() != K::kObject) Bad("$not needs a regex or a document");
      if (v.size() == 0) Bad("$not cannot be empty");
      if (!IsOperatorObject(v)) Bad("$not needs a regex or a document of operators");
      p.preds = CompileOperators(v, true);
    } else if (IsUnsupportedOperator(op)) {
      Unsupported(op);
    } else {
      Bad(fmt::format("unknown operator: {}", op));
    }
    out.push_back(std::move(p));
  }
  return out;
}

Expr Logical(Expr::Kind kind, std::string_view op, JsonbRef v) {
  if (v.kind() != K::kArray || v.size() == 0) {
    Bad(fmt::format("{} must be a nonempty array", op));
  }
  Expr e;
  e.kind = kind;
  for (uint32_t j = 0; j < v.size(); ++j) {
    if (v.element(j).kind() != K::kObject) {
      Bad(fmt::format("{} argument's entries must be objects", op));
    }
    e.children.push_back(CompileDoc(v.element(j)));
  }
  return e;
}

Expr CompileDoc(JsonbRef filter) {
  CheckStackDepth();
  Expr e;
  e.kind = Expr::kAnd;
  for (uint32_t i = 0; i < filter.size(); ++i) {
    const std::string_view key = filter.key(i);
    const JsonbRef v = filter.value(i);
    if (!key.empty() && key[0] == '$') {
      if (key == "$and") {
        e.children.push_back(Logical(Expr::kAnd, key, v));
      } else if (key == "$or") {
        e.children.push_back(Logical(Expr::kOr, key, v));
      } else if (key == "$nor") {
        e.children.push_back(Logical(Expr::kNor, key, v));
      } else if (key == "$comment") {
        // An annotation; it selects nothing.
      } else if (IsUnsupportedOperator(key)) {
        Unsupported(key);
      } else {
        Bad(fmt::format("unknown top level operator: {}", key));
      }
      continue;
    }
    Expr path;
    path.kind = Expr::kPath;
    path.path = SplitPath(key);
    if (IsOperatorObject(v)) {
      for (uint32_t j = 0; j < v.size(); ++j) {
        if (v.key(j).empty() || v.key(j)[0] != '$') {
          Bad(fmt::format("unknown operator: {}", v.key(j)));
        }
      }
      path.preds = CompileOperators(v, false);
    } else {
      Pred p;
      p.op = Pred::kEq;
      p.value = v;
      path.preds.push_back(std::move(p));
    }
    e.children.push_back(std::move(path));
  }
  return e;
}

}  // namespace

DocFilter::DocFilter() = default;
DocFilter::DocFilter(DocFilter&&) noexcept = default;
DocFilter& DocFilter::operator=(DocFilter&&) noexcept = default;
DocFilter::~DocFilter() = default;

DocFilter DocFilter::Compile(std::string_view filter_jsonb) {
  DocFilter f;
  f.filter_ = std::make_unique<std::string>(filter_jsonb);
  const JsonbRef root = JsonbRoot(*f.filter_);
  if (root.kind() != K::kObject) Bad("doc_match filter must be a JSON object");
  f.root_ = std::make_unique<Expr>(CompileDoc(root));
  return f;
}

bool DocFilter::Matches(JsonbRef doc) const { return MatchDoc(*root_, doc); }

bool DocMatch(std::string_view doc_jsonb, std::string_view filter_jsonb) {
  thread_local std::optional<DocFilter> last;
  thread_local std::string last_bytes;
  if (!last || last_bytes != filter_jsonb) {
    last.reset();
    last = DocFilter::Compile(filter_jsonb);
    last_bytes.assign(filter_jsonb);
  }
  return last->Matches(JsonbRoot(doc_jsonb));
}

}  // namespace activestore
