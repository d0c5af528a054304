// The SQL/JSON path evaluator (common/jsonpath_exec.h), following PostgreSQL 15's
// jsonpath_exec.c item by item: the same lax/strict rules (automatic unwrapping of arrays in lax
// mode, structural errors ignored in lax mode), the same three-valued predicates (an error
// inside a filter is "unknown"), and the same errors.
#include "common/jsonpath_exec.h"

#include <fmt/format.h>

#include <cmath>
#include <cstring>
#include <deque>
#include <optional>

#include "common/error.h"
#include "common/float_format.h"
#include "common/json.h"
#include "common/jsonb.h"
#include "common/jsonpath.h"
#include "common/jsonpath_datetime.h"
#include "common/numeric.h"
#include "common/regex.h"
#include "common/stack_depth.h"
#include "common/timezone.h"

namespace activestore {
namespace {

enum class Res { kOk, kNotFound, kError };
enum class Bool3 { kFalse, kTrue, kUnknown };

bool IsError(Res r) { return r == Res::kError; }

// One SQL/JSON item: a scalar held by value or a container read in place.
struct Item {
  enum class K : uint8_t { kNull, kBool, kNumeric, kString, kArray, kObject, kDatetime };
  K k = K::kNull;
  bool b = false;
  Numeric num;
  std::string str;
  JsonPathDatetime dt;    // kDatetime
  std::string_view node;  // kArray, kObject: the jsonb node

  bool IsContainer() const { return k == K::kArray || k == K::kObject; }
  JsonbRef Ref() const { return JsonbRef(node); }
};

using List = std::vector<Item>;

Item FromNode(JsonbRef r) {
  Item it;
  switch (r.kind()) {
    case JsonbKind::kNull:
      break;
    case JsonbKind::kFalse:
    case JsonbKind::kTrue:
      it.k = Item::K::kBool;
      it.b = r.kind() == JsonbKind::kTrue;
      break;
    case JsonbKind::kString:
      it.k = Item::K::kString;
      it.str.assign(r.str());
      break;
    case JsonbKind::kNumber:
      it.k = Item::K::kNumeric;
      it.num = Numeric::Parse(r.str());
      break;
    case JsonbKind::kArray:
      it.k = Item::K::kArray;
      it.node = r.bytes();
      break;
    case JsonbKind::kObject:
      it.k = Item::K::kObject;
      it.node = r.bytes();
      break;
  }
  return it;
}

// float8in of `text` when it is a finite double (what .double() accepts).
std::optional<double> FiniteDouble(const std::string& text) {
  try {
    const double d = ParseFloat8(text);
    if (std::isinf(d) || std::isnan(d)) return std::nullopt;
    return d;
  } catch (const Error&) {
    return std::nullopt;
  }
}

Item NumericItem(Numeric n) {
  Item it;
  it.k = Item::K::kNumeric;
  it.num = std::move(n);
  return it;
}

Item BoolItem(bool b) {
  Item it;
  it.k = Item::K::kBool;
  it.b = b;
  return it;
}

Item StringItem(std::string s) {
  Item it;
  it.k = Item::K::kString;
  it.str = std::move(s);
  return it;
}

void AppendItemNode(const Item& it, std::string* out) {
  switch (it.k) {
    case Item::K::kNull:
      out->push_back(static_cast<char>(JsonbKind::kNull));
      break;
    case Item::K::kBool:
      out->push_back(static_cast<char>(it.b ? JsonbKind::kTrue : JsonbKind::kFalse));
      break;
    case Item::K::kNumeric:
      out->push_back(static_cast<char>(JsonbKind::kNumber));
      out->append(it.num.ToString());
      break;
    case Item::K::kString:
      out->push_back(static_cast<char>(JsonbKind::kString));
      out->append(it.str);
      break;
    case Item::K::kDatetime:
      // A datetime item leaves the path as its ISO text (JsonEncodeDateTime).
      out->push_back(static_cast<char>(JsonbKind::kString));
      out->append(JsonPathDatetimeText(it.dt));
      break;
    default:
      out->append(it.node);
      break;
  }
}

std::string ItemToJsonb(const Item& it) {
  std::string out(1, kJsonbVersion);
  AppendItemNode(it, &out);
  return out;
}

const char* TypeName(const Item& it) {
  switch (it.k) {
    case Item::K::kNull:
      return "null";
    case Item::K::kBool:
      return "boolean";
    case Item::K::kNumeric:
      return "number";
    case Item::K::kString:
      return "string";
    case Item::K::kArray:
      return "array";
    case Item::K::kDatetime:
      return JsonPathDatetimeTypeName(it.dt.type);
    default:
      return "object";
  }
}

// ---- PostgreSQL's keyvalue() ids: the byte offset of an object inside its base object in
// PostgreSQL's on-disk jsonb layout (JsonbContainer headers, JEntry arrays, numerics padded to
// 4 bytes), so that the ids match PostgreSQL's.

// The size of the numeric datum numeric_in makes for `text` (4-byte varlena header, short or
// long numeric header, base-10000 digits).
uint32_t PgNumericSize(std::string_view text) {
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) text.remove_prefix(1);
  const size_t dot = text.find('.');
  std::string_view ip = text.substr(0, dot);
  std::string_view fp = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  const int dscale = static_cast<int>(fp.size());
  std::string digits;
  const size_t lead = (4 - ip.size() % 4) % 4;
  digits.append(lead, '0');
  digits.append(ip);
  const int int_groups = static_cast<int>(digits.size() / 4);
  digits.append(fp);
  digits.append((4 - digits.size() % 4) % 4, '0');
  std::vector<int> groups;
  for (size_t i = 0; i < digits.size(); i += 4) groups.push_back(std::stoi(digits.substr(i, 4)));
  int weight = int_groups - 1;
  size_t first = 0;
  while (first < groups.size() && groups[first] == 0) ++first, --weight;
  size_t last = groups.size();
  while (last > first && groups[last - 1] == 0) --last;
  const size_t ndigits = last - first;
  if (ndigits == 0) weight = 0;
  const bool short_form = dscale <= 63 && weight >= -64 && weight <= 63;
  return (short_form ? 6 : 8) + 2 * static_cast<uint32_t>(ndigits);
}

uint32_t Pad(uint32_t at) { return (4 - at % 4) % 4; }

// The size of `n` laid out at offset `at`; sets *found to the offset of the container whose
// node starts at `target`.
uint32_t PgLayout(JsonbRef n, uint32_t at, const char* target, int64_t* found) {
  switch (n.kind()) {
    case JsonbKind::kNull:
    case JsonbKind::kFalse:
    case JsonbKind::kTrue:
      return 0;
    case JsonbKind::kString:
      return static_cast<uint32_t>(n.str().size());
    case JsonbKind::kNumber:
      return Pad(at) + PgNumericSize(n.str());
    default:
      break;
  }
  const uint32_t start = at + Pad(at);
  if (n.bytes().data() == target) *found = start;
  const uint32_t count = n.size();
  const bool object = n.kind() == JsonbKind::kObject;
  uint32_t pos = start + 4 + 4 * count * (object ? 2 : 1);
  if (object) {
    for (uint32_t i = 0; i < count; ++i) pos += static_cast<uint32_t>(n.key(i).size());
    for (uint32_t i = 0; i < count; ++i) pos += PgLayout(n.value(i), pos, target, found);
  } else {
    for (uint32_t i = 0; i < count; ++i) pos += PgLayout(n.element(i), pos, target, found);
  }
  return pos - at;
}

struct Base {
  std::string_view node;  // empty: a scalar base
  int64_t id = 0;
};

class Executor {
 public:
  Executor(std::string_view path, bool throw_errors, bool use_tz, const TimeZone* session)
      : path_(path),
        throw_errors_(throw_errors),
        use_tz_(use_tz),
        session_(session != nullptr ? *session : *TimeZone::Utc()) {
    lax_ = !JsonPathIsStrict(path);
    ignore_structural_ = lax_;
  }

  JsonPathStatus Run(std::string_view target, std::string_view vars,
                     std::vector<std::string>* out) {
    if (!vars.empty()) {
      JsonbRef v = JsonbRoot(vars);
      if (v.kind() != JsonbKind::kObject) {
        throw Error(SqlState::kInvalidParameterValue, "\"vars\" argument is not an object")
            .Detail("Jsonpath parameters should be encoded as key-value pairs of \"vars\" object.");
      }
      vars_ = v.bytes();
      has_vars_ = true;
    }
    last_generated_id_ = has_vars_ ? 2 : 1;
    root_ = FromNode(JsonbRoot(target));
    current_ = root_;
    const JsonPathItem jsp = JsonPathRoot(path_);
    Res res;
    if (!lax_ && out == nullptr) {
      // Strict mode must see every item to know there was no error.
      List vals;
      res = Exec(jsp, root_, &vals);
      if (!IsError(res)) res = vals.empty() ? Res::kNotFound : Res::kOk;
    } else {
      List found;
      res = Exec(jsp, root_, out != nullptr ? &found : nullptr);
      if (out != nullptr) {
        for (const Item& it : found) out->push_back(ItemToJsonb(it));
      }
    }
    return res == Res::kOk         ? JsonPathStatus::kOk
           : res == Res::kNotFound ? JsonPathStatus::kNotFound
                                   : JsonPathStatus::kError;
  }

 private:
  // RETURN_ERROR: raise when throwing errors, else report an error result.
  Res Fail(SqlState state, const std::string& message) {
    if (throw_errors_) throw Error(state, message);
    return Res::kError;
  }

  Res Exec(JsonPathItem jsp, const Item& jb, List* found) { return ExecOpt(jsp, jb, found, lax_); }

  // executeNextItem.
  Res Next(JsonPathItem cur, std::optional<JsonPathItem> next, const Item& v, List* found) {
    if (!next && cur.HasNext()) next = cur.Next();
    if (next) return Exec(*next, v, found);
    if (found != nullptr) found->push_back(v);
    return Res::kOk;
  }
  Res NextOf(const std::optional<JsonPathItem>& next, const Item& v, List* found) {
    if (next) return Exec(*next, v, found);
    if (found != nullptr) found->push_back(v);
    return Res::kOk;
  }

  Res UnwrapTargetArray(std::optional<JsonPathItem> jsp, const Item& jb, List* found,
                        bool unwrap_elements) {
    return AnyItem(jsp, jb.Ref(), found, 1, 1, 1, false, unwrap_elements);
  }

  // executeAnyItem: the members of a container (and theirs, down to `last`).
  Res AnyItem(std::optional<JsonPathItem> jsp, JsonbRef jbc, List* found, uint32_t level,
              uint32_t first, uint32_t last, bool ignore_structural, bool unwrap_next) {
    CheckStackDepth();
    Res res = Res::kNotFound;
    if (level > last) return res;
    const uint32_t n = jbc.size();
    const bool object = jbc.kind() == JsonbKind::kObject;
    for (uint32_t i = 0; i < n; ++i) {
      JsonbRef child = object ? jbc.value(i) : jbc.element(i);
      Item v = FromNode(child);
      if (level >= first || (first == kAnyLast && last == kAnyLast && !v.IsContainer())) {
        if (jsp) {
          if (ignore_structural) {
            const bool saved = ignore_structural_;
            ignore_structural_ = true;
            res = ExecOpt(*jsp, v, found, unwrap_next);
            ignore_structural_ = saved;
          } else {
            res = ExecOpt(*jsp, v, found, unwrap_next);
          }
          if (IsError(res)) break;
          if (res == Res::kOk && found == nullptr) break;
        } else if (found != nullptr) {
          found->push_back(v);
        } else {
          return Res::kOk;
        }
      }
      if (level < last && v.IsContainer()) {
        res = AnyItem(jsp, child, found, level + 1, first, last, ignore_structural, unwrap_next);
        if (IsError(res)) break;
        if (res == Res::kOk && found == nullptr) break;
      }
    }
    return res;
  }

  // executeItemOptUnwrapResult: the items, with arrays among them unwrapped.
  Res ExecUnwrapResult(JsonPathItem jsp, const Item& jb, bool unwrap, List* found) {
    if (unwrap && lax_) {
      List seq;
      Res res = Exec(jsp, jb, &seq);
      if (IsError(res)) return res;
      for (const Item& it : seq) {
        if (it.k == Item::K::kArray) {
          UnwrapTargetArray(std::nullopt, it, found, false);
        } else {
          found->push_back(it);
        }
      }
      return Res::kOk;
    }
    return Exec(jsp, jb, found);
  }
  Res ExecUnwrapResultNoThrow(JsonPathItem jsp, const Item& jb, bool unwrap, List* found) {
    const bool saved = throw_errors_;
    throw_errors_ = false;
    Res res;
    try {
      res = found != nullptr ? ExecUnwrapResult(jsp, jb, unwrap, found) : Exec(jsp, jb, nullptr);
    } catch (...) {
      throw_errors_ = saved;
      throw;
    }
    throw_errors_ = saved;
    return res;
  }

  int64_t ArraySize(const Item& jb) const {
    return jb.k == Item::K::kArray ? static_cast<int64_t>(jb.Ref().size()) : -1;
  }

  Res ExecOpt(JsonPathItem jsp, const Item& jb, List* found, bool unwrap) {
    CheckStackDepth();
    const JsonPathOp op = jsp.op();
    switch (op) {
      case JsonPathOp::kAnd:
      case JsonPathOp::kOr:
      case JsonPathOp::kNot:
      case JsonPathOp::kIsUnknown:
      case JsonPathOp::kEqual:
      case JsonPathOp::kNotEqual:
      case JsonPathOp::kLess:
      case JsonPathOp::kGreater:
      case JsonPathOp::kLessOrEqual:
      case JsonPathOp::kGreaterOrEqual:
      case JsonPathOp::kExists:
      case JsonPathOp::kStartsWith:
      case JsonPathOp::kLikeRegex: {
        const Bool3 st = BoolItem3(jsp, jb, true);
        if (!jsp.HasNext() && found == nullptr) return Res::kOk;
        Item v = st == Bool3::kUnknown ? Item() : BoolItem(st == Bool3::kTrue);
        return Next(jsp, std::nullopt, v, found);
      }
      case JsonPathOp::kKey: {
        if (jb.k == Item::K::kObject) {
          const std::string_view key = jsp.Str();
          if (auto v = jb.Ref().Find(key)) return Next(jsp, std::nullopt, FromNode(*v), found);
          if (!ignore_structural_) {
            return Fail(SqlState::kSqlJsonMemberNotFound,
                        fmt::format("JSON object does not contain key \"{}\"", key));
          }
          return Res::kNotFound;
        }
        if (unwrap && jb.k == Item::K::kArray) return UnwrapTargetArray(jsp, jb, found, false);
        if (!ignore_structural_) {
          return Fail(SqlState::kSqlJsonMemberNotFound,
                      "jsonpath member accessor can only be applied to an object");
        }
        return Res::kNotFound;
      }
      case JsonPathOp::kRoot: {
        const Base saved = base_;
        base_ = Base{root_.IsContainer() ? root_.node : std::string_view(), 0};
        Res res = Next(jsp, std::nullopt, root_, found);
        base_ = saved;
        return res;
      }
      case JsonPathOp::kCurrent:
        return Next(jsp, std::nullopt, current_, found);
      case JsonPathOp::kAnyArray: {
        if (jb.k == Item::K::kArray) {
          std::optional<JsonPathItem> next;
          if (jsp.HasNext()) next = jsp.Next();
          return UnwrapTargetArray(next, jb, found, lax_);
        }
        if (lax_) return Next(jsp, std::nullopt, jb, found);
        if (!ignore_structural_) {
          return Fail(SqlState::kSqlJsonArrayNotFound,
                      "jsonpath wildcard array accessor can only be applied to an array");
        }
        return Res::kNotFound;
      }
      case JsonPathOp::kIndexArray:
        return IndexArray(jsp, jb, found);
      case JsonPathOp::kLast: {
        if (innermost_array_size_ < 0) {
          throw Error(SqlState::kInternalError,
                      "evaluating jsonpath LAST outside of array subscript");
        }
        if (!jsp.HasNext() && found == nullptr) return Res::kOk;
        return Next(jsp, std::nullopt, NumericItem(Numeric::FromInt64(innermost_array_size_ - 1)),
                    found);
      }
      case JsonPathOp::kAnyKey: {
        if (jb.k == Item::K::kObject) {
          std::optional<JsonPathItem> next;
          if (jsp.HasNext()) next = jsp.Next();
          return AnyItem(next, jb.Ref(), found, 1, 1, 1, false, lax_);
        }
        if (unwrap && jb.k == Item::K::kArray) return UnwrapTargetArray(jsp, jb, found, false);
        if (!ignore_structural_) {
          return Fail(SqlState::kSqlJsonObjectNotFound,
                      "jsonpath wildcard member accessor can only be applied to an object");
        }
        return Res::kNotFound;
      }
      case JsonPathOp::kAdd:
      case JsonPathOp::kSub:
      case JsonPathOp::kMul:
      case JsonPathOp::kDiv:
      case JsonPathOp::kMod:
        return BinaryArith(jsp, jb, found);
      case JsonPathOp::kPlus:
      case JsonPathOp::kMinus:
        return UnaryArith(jsp, jb, found);
      case JsonPathOp::kFilter: {
        if (unwrap && jb.k == Item::K::kArray) return UnwrapTargetArray(jsp, jb, found, false);
        if (NestedBool(jsp.Arg(), jb) != Bool3::kTrue) return Res::kNotFound;
        return Next(jsp, std::nullopt, jb, found);
      }
      case JsonPathOp::kAny: {
        std::optional<JsonPathItem> next;
        if (jsp.HasNext()) next = jsp.Next();
        Res res = Res::kNotFound;
        // The item itself first (level 0).
        if (jsp.AnyFirst() == 0) {
          const bool saved = ignore_structural_;
          ignore_structural_ = true;
          res = NextOf(next, jb, found);
          ignore_structural_ = saved;
          if (res == Res::kOk && found == nullptr) return res;
        }
        if (jb.IsContainer()) {
          res = AnyItem(next, jb.Ref(), found, 1, jsp.AnyFirst(), jsp.AnyLast(), true, lax_);
        }
        return res;
      }
      case JsonPathOp::kNull:
      case JsonPathOp::kBool:
      case JsonPathOp::kNumeric:
      case JsonPathOp::kString:
      case JsonPathOp::kVariable: {
        if (!jsp.HasNext() && found == nullptr && op != JsonPathOp::kVariable) return Res::kOk;
        const Base saved = base_;
        Item v = Literal(jsp);
        Res res = Next(jsp, std::nullopt, v, found);
        base_ = saved;
        return res;
      }
      case JsonPathOp::kType:
        return Next(jsp, std::nullopt, StringItem(TypeName(jb)), found);
      case JsonPathOp::kSize: {
        int64_t size = ArraySize(jb);
        if (size < 0) {
          if (!lax_) {
            if (!ignore_structural_) {
              return Fail(SqlState::kSqlJsonArrayNotFound,
                          fmt::format("jsonpath item method .{}() can only be applied to an array",
                                      JsonPathOpName(op)));
            }
            return Res::kNotFound;
          }
          size = 1;
        }
        return Next(jsp, std::nullopt, NumericItem(Numeric::FromInt64(size)), found);
      }
      case JsonPathOp::kAbs:
      case JsonPathOp::kFloor:
      case JsonPathOp::kCeiling: {
        if (unwrap && jb.k == Item::K::kArray) return UnwrapTargetArray(jsp, jb, found, false);
        if (jb.k != Item::K::kNumeric) {
          return Fail(
              SqlState::kNonNumericSqlJsonItem,
              fmt::format("jsonpath item method .{}() can only be applied to a numeric value",
                          JsonPathOpName(op)));
        }
        Numeric r = op == JsonPathOp::kAbs     ? jb.num.Abs()
                    : op == JsonPathOp::kFloor ? jb.num.Floor()
                                               : jb.num.Ceil();
        if (!jsp.HasNext() && found == nullptr) return Res::kOk;
        return Next(jsp, std::nullopt, NumericItem(std::move(r)), found);
      }
      case JsonPathOp::kDouble:
        return Double(jsp, jb, found, unwrap);
      case JsonPathOp::kDatetime:
        return Datetime(jsp, jb, found, unwrap);
      case JsonPathOp::kKeyValue:
        return KeyValue(jsp, jb, found, unwrap);
    }
    throw Error(SqlState::kInternalError, "unrecognized jsonpath item type");
  }

  Item Literal(JsonPathItem jsp) {
    switch (jsp.op()) {
      case JsonPathOp::kNull:
        return Item();
      case JsonPathOp::kBool:
        return BoolItem(jsp.Bool());
      case JsonPathOp::kNumeric:
        return NumericItem(Numeric::Parse(jsp.Str()));
      case JsonPathOp::kString:
        return StringItem(std::string(jsp.Str()));
      default:
        break;
    }
    // A variable.
    const std::string_view name = jsp.Str();
    std::optional<JsonbRef> v;
    if (has_vars_) v = JsonbRef(vars_).Find(name);
    if (!v) {
      throw Error(SqlState::kUndefinedObject,
                  fmt::format("could not find jsonpath variable \"{}\"", name));
    }
    base_ = Base{vars_, 1};
    return FromNode(*v);
  }

  Res IndexArray(JsonPathItem jsp, const Item& jb, List* found) {
    if (jb.k != Item::K::kArray && !lax_) {
      if (!ignore_structural_) {
        return Fail(SqlState::kSqlJsonArrayNotFound,
                    "jsonpath array accessor can only be applied to an array");
      }
      return Res::kNotFound;
    }
    const int64_t saved_size = innermost_array_size_;
    int64_t size = ArraySize(jb);
    const bool singleton = size < 0;
    if (singleton) size = 1;
    std::optional<JsonPathItem> next;
    if (jsp.HasNext()) next = jsp.Next();
    innermost_array_size_ = size;
    Res res = Res::kNotFound;
    for (uint32_t i = 0; i < jsp.IndexCount(); ++i) {
      int32_t from = 0, to = 0;
      res = ArrayIndex(jsp.IndexFrom(i), jb, &from);
      if (IsError(res)) break;
      if (auto t = jsp.IndexTo(i)) {
        res = ArrayIndex(*t, jb, &to);
        if (IsError(res)) break;
      } else {
        to = from;
      }
      if (!ignore_structural_ && (from < 0 || from > to || to >= size)) {
        innermost_array_size_ = saved_size;
        return Fail(SqlState::kInvalidSqlJsonSubscript,
                    "jsonpath array subscript is out of bounds");
      }
      if (from < 0) from = 0;
      if (to >= size) to = static_cast<int32_t>(size - 1);
      res = Res::kNotFound;
      for (int64_t index = from; index <= to; ++index) {
        Item v = singleton ? jb : FromNode(jb.Ref().element(static_cast<uint32_t>(index)));
        if (!next && found == nullptr) {
          innermost_array_size_ = saved_size;
          return Res::kOk;
        }
        res = NextOf(next, v, found);
        if (IsError(res)) break;
        if (res == Res::kOk && found == nullptr) break;
      }
      if (IsError(res)) break;
      if (res == Res::kOk && found == nullptr) break;
    }
    innermost_array_size_ = saved_size;
    return res;
  }

  // getArrayIndex: one number, truncated to an int4.
  Res ArrayIndex(JsonPathItem jsp, const Item& jb, int32_t* index) {
    List found;
    Res res = Exec(jsp, jb, &found);
    if (IsError(res)) return res;
    if (found.size() != 1 || found[0].k != Item::K::kNumeric) {
      return Fail(SqlState::kInvalidSqlJsonSubscript,
                  "jsonpath array subscript is not a single numeric value");
    }
    const Numeric t = found[0].num.Trunc(0);
    if (t.IsSpecial() || t.Compare(Numeric::FromInt64(INT32_MAX)) > 0 ||
        t.Compare(Numeric::FromInt64(INT32_MIN)) < 0) {
      return Fail(SqlState::kInvalidSqlJsonSubscript,
                  "jsonpath array subscript is out of integer range");
    }
    *index = static_cast<int32_t>(t.ToInt64());
    return Res::kOk;
  }

  Res BinaryArith(JsonPathItem jsp, const Item& jb, List* found) {
    const JsonPathOp op = jsp.op();
    List lseq, rseq;
    Res res = ExecUnwrapResult(jsp.Left(), jb, true, &lseq);
    if (IsError(res)) return res;
    res = ExecUnwrapResult(jsp.Right(), jb, true, &rseq);
    if (IsError(res)) return res;
    if (lseq.size() != 1 || lseq[0].k != Item::K::kNumeric) {
      return Fail(SqlState::kSingletonSqlJsonItemRequired,
                  fmt::format("left operand of jsonpath operator {} is not a single numeric value",
                              JsonPathOpName(op)));
    }
    if (rseq.size() != 1 || rseq[0].k != Item::K::kNumeric) {
      return Fail(SqlState::kSingletonSqlJsonItemRequired,
                  fmt::format("right operand of jsonpath operator {} is not a single numeric value",
                              JsonPathOpName(op)));
    }
    const Numeric& l = lseq[0].num;
    const Numeric& r = rseq[0].num;
    Numeric v;
    try {
      switch (op) {
        case JsonPathOp::kAdd:
          v = l.Add(r);
          break;
        case JsonPathOp::kSub:
          v = l.Sub(r);
          break;
        case JsonPathOp::kMul:
          v = l.Mul(r);
          break;
        case JsonPathOp::kDiv:
          v = l.Div(r);
          break;
        default:
          v = l.Mod(r);
          break;
      }
    } catch (const Error&) {
      if (throw_errors_) throw;
      return Res::kError;
    }
    if (!jsp.HasNext() && found == nullptr) return Res::kOk;
    return Next(jsp, std::nullopt, NumericItem(std::move(v)), found);
  }

  Res UnaryArith(JsonPathItem jsp, const Item& jb, List* found) {
    List seq;
    Res res = ExecUnwrapResult(jsp.Arg(), jb, true, &seq);
    if (IsError(res)) return res;
    res = Res::kNotFound;
    const bool has_next = jsp.HasNext();
    for (Item& v : seq) {
      if (v.k == Item::K::kNumeric) {
        if (found == nullptr && !has_next) return Res::kOk;
      } else {
        if (found == nullptr && !has_next) continue;
        return Fail(SqlState::kSqlJsonNumberNotFound,
                    fmt::format("operand of unary jsonpath operator {} is not a numeric value",
                                JsonPathOpName(jsp.op())));
      }
      if (jsp.op() == JsonPathOp::kMinus) v.num = v.num.Neg();
      Res r2 = Next(jsp, std::nullopt, v, found);
      if (IsError(r2)) return r2;
      if (r2 == Res::kOk) {
        if (found == nullptr) return Res::kOk;
        res = Res::kOk;
      }
    }
    return res;
  }

  Res Double(JsonPathItem jsp, const Item& jb, List* found, bool unwrap) {
    if (unwrap && jb.k == Item::K::kArray) return UnwrapTargetArray(jsp, jb, found, false);
    const char* name = JsonPathOpName(jsp.op());
    if (jb.k == Item::K::kNumeric) {
      if (!FiniteDouble(jb.num.ToString())) {
        return Fail(SqlState::kNonNumericSqlJsonItem,
                    fmt::format("numeric argument of jsonpath item method .{}() is out of range "
                                "for type double precision",
                                name));
      }
      return Next(jsp, std::nullopt, jb, found);
    }
    if (jb.k == Item::K::kString) {
      const std::optional<double> d = FiniteDouble(jb.str);
      if (!d) {
        return Fail(SqlState::kNonNumericSqlJsonItem,
                    fmt::format("string argument of jsonpath item method .{}() is not a valid "
                                "representation of a double precision number",
                                name));
      }
      return Next(jsp, std::nullopt, NumericItem(Numeric::FromDouble(*d)), found);
    }
    return Fail(SqlState::kNonNumericSqlJsonItem,
                fmt::format("jsonpath item method .{}() can only be applied to a string or "
                            "numeric value",
                            name));
  }

  Res Datetime(JsonPathItem jsp, const Item& jb, List* found, bool unwrap) {
    if (unwrap && jb.k == Item::K::kArray) return UnwrapTargetArray(jsp, jb, found, false);
    if (jb.k != Item::K::kString) {
      return Fail(SqlState::kInvalidJsonDatetimeArgument,
                  fmt::format("jsonpath item method .{}() can only be applied to a string",
                              JsonPathOpName(jsp.op())));
    }
    std::optional<std::string_view> tmpl;
    if (auto t = jsp.DatetimeTemplate()) tmpl = t->Str();
    Item v;
    v.k = Item::K::kDatetime;
    try {
      v.dt = ParseJsonPathDatetime(jb.str, tmpl);
    } catch (const Error&) {
      if (throw_errors_) throw;
      return Res::kError;
    }
    if (!jsp.HasNext() && found == nullptr) return Res::kOk;
    return Next(jsp, std::nullopt, v, found);
  }

  Res KeyValue(JsonPathItem jsp, const Item& jb, List* found, bool unwrap) {
    if (unwrap && jb.k == Item::K::kArray) return UnwrapTargetArray(jsp, jb, found, false);
    if (jb.k != Item::K::kObject) {
      return Fail(SqlState::kSqlJsonObjectNotFound,
                  fmt::format("jsonpath item method .{}() can only be applied to an object",
                              JsonPathOpName(jsp.op())));
    }
    JsonbRef obj = jb.Ref();
    if (obj.size() == 0) return Res::kNotFound;
    int64_t id = 0;
    if (!base_.node.empty()) {
      int64_t at = 0;
      PgLayout(JsonbRef(base_.node), 0, jb.node.data(), &at);
      id = at;
    }
    id += base_.id * INT64_C(10000000000);
    Res res = Res::kNotFound;
    for (uint32_t i = 0; i < obj.size(); ++i) {
      JsonNode o;
      o.kind = JsonNode::Kind::kObject;
      o.keys = {"id", "key", "value"};
      o.items.push_back(JsonNode::Number(std::to_string(id)));
      o.items.push_back(JsonNode::String(std::string(obj.key(i))));
      o.items.push_back(JsonbToTree(obj.value(i)));
      arena_.push_back(EncodeJsonb(o));
      const Item generated = FromNode(JsonbRoot(arena_.back()));
      const Base saved = base_;
      base_ = Base{generated.node, last_generated_id_++};
      res = Next(jsp, std::nullopt, generated, found);
      base_ = saved;
      if (IsError(res)) return res;
      if (res == Res::kOk && found == nullptr) break;
    }
    return res;
  }

  // ---- Predicates.

  Bool3 NestedBool(JsonPathItem jsp, const Item& jb) {
    Item saved = current_;
    current_ = jb;
    Bool3 r = BoolItem3(jsp, jb, false);
    current_ = std::move(saved);
    return r;
  }

  Bool3 BoolItem3(JsonPathItem jsp, const Item& jb, bool can_have_next) {
    if (!can_have_next && jsp.HasNext()) {
      throw Error(SqlState::kInternalError, "boolean jsonpath item cannot have next item");
    }
    switch (jsp.op()) {
      case JsonPathOp::kAnd: {
        const Bool3 l = BoolItem3(jsp.Left(), jb, false);
        if (l == Bool3::kFalse) return Bool3::kFalse;
        const Bool3 r = BoolItem3(jsp.Right(), jb, false);
        return r == Bool3::kTrue ? l : r;
      }
      case JsonPathOp::kOr: {
        const Bool3 l = BoolItem3(jsp.Left(), jb, false);
        if (l == Bool3::kTrue) return Bool3::kTrue;
        const Bool3 r = BoolItem3(jsp.Right(), jb, false);
        return r == Bool3::kFalse ? l : r;
      }
      case JsonPathOp::kNot: {
        const Bool3 a = BoolItem3(jsp.Arg(), jb, false);
        if (a == Bool3::kUnknown) return a;
        return a == Bool3::kTrue ? Bool3::kFalse : Bool3::kTrue;
      }
      case JsonPathOp::kIsUnknown:
        return BoolItem3(jsp.Arg(), jb, false) == Bool3::kUnknown ? Bool3::kTrue : Bool3::kFalse;
      case JsonPathOp::kEqual:
      case JsonPathOp::kNotEqual:
      case JsonPathOp::kLess:
      case JsonPathOp::kGreater:
      case JsonPathOp::kLessOrEqual:
      case JsonPathOp::kGreaterOrEqual:
      case JsonPathOp::kStartsWith:
        return Predicate(jsp, jsp.Left(), jsp.Right(), jb, jsp.op() != JsonPathOp::kStartsWith);
      case JsonPathOp::kLikeRegex:
        return Predicate(jsp, jsp.Arg(), std::nullopt, jb, false);
      case JsonPathOp::kExists: {
        if (!lax_) {
          List vals;
          Res res = ExecUnwrapResultNoThrow(jsp.Arg(), jb, false, &vals);
          if (IsError(res)) return Bool3::kUnknown;
          return vals.empty() ? Bool3::kFalse : Bool3::kTrue;
        }
        Res res = ExecUnwrapResultNoThrow(jsp.Arg(), jb, false, nullptr);
        if (IsError(res)) return Bool3::kUnknown;
        return res == Res::kOk ? Bool3::kTrue : Bool3::kFalse;
      }
      default:
        throw Error(SqlState::kInternalError, "invalid boolean jsonpath item type");
    }
  }

  // executePredicate: any pair of items satisfying the predicate (lax), or every pair without
  // an error (strict).
  Bool3 Predicate(JsonPathItem pred, JsonPathItem larg, std::optional<JsonPathItem> rarg,
                  const Item& jb, bool unwrap_right) {
    List lseq, rseq;
    Res res = ExecUnwrapResultNoThrow(larg, jb, true, &lseq);
    if (IsError(res)) return Bool3::kUnknown;
    if (rarg) {
      res = ExecUnwrapResultNoThrow(*rarg, jb, unwrap_right, &rseq);
      if (IsError(res)) return Bool3::kUnknown;
    }
    bool error = false, found = false;
    for (const Item& l : lseq) {
      const size_t n = rarg ? rseq.size() : 1;
      for (size_t i = 0; i < n; ++i) {
        const Bool3 r = Apply(pred, l, rarg ? &rseq[i] : nullptr);
        if (r == Bool3::kUnknown) {
          if (!lax_) return Bool3::kUnknown;
          error = true;
        } else if (r == Bool3::kTrue) {
          if (lax_) return Bool3::kTrue;
          found = true;
        }
      }
    }
    if (found) return Bool3::kTrue;
    if (error) return Bool3::kUnknown;
    return Bool3::kFalse;
  }

  Bool3 Apply(JsonPathItem pred, const Item& l, const Item* r) {
    switch (pred.op()) {
      case JsonPathOp::kStartsWith:
        if (l.k != Item::K::kString || r->k != Item::K::kString) return Bool3::kUnknown;
        return l.str.size() >= r->str.size() && l.str.compare(0, r->str.size(), r->str) == 0
                   ? Bool3::kTrue
                   : Bool3::kFalse;
      case JsonPathOp::kLikeRegex: {
        if (l.k != Item::K::kString) return Bool3::kUnknown;
        const regex::Regex& re =
            regex::Compile(pred.RegexPattern(), JsonPathRegexCflags(pred.RegexFlags()));
        regex::Subject subject(l.str);
        regex::Match m;
        return re.Search(subject, 0, &m) ? Bool3::kTrue : Bool3::kFalse;
      }
      default:
        return Compare(pred.op(), l, *r);
    }
  }

  // compareItems.
  Bool3 Compare(JsonPathOp op, const Item& a, const Item& b) {
    if (a.k != b.k) {
      if (a.k == Item::K::kNull || b.k == Item::K::kNull) {
        return op == JsonPathOp::kNotEqual ? Bool3::kTrue : Bool3::kFalse;
      }
      return Bool3::kUnknown;
    }
    int cmp = 0;
    switch (a.k) {
      case Item::K::kNull:
        break;
      case Item::K::kBool:
        cmp = a.b == b.b ? 0 : a.b ? 1 : -1;
        break;
      case Item::K::kNumeric:
        cmp = a.num.Compare(b.num);
        break;
      case Item::K::kString:
        if (op == JsonPathOp::kEqual) return a.str == b.str ? Bool3::kTrue : Bool3::kFalse;
        cmp = a.str.compare(b.str);
        break;
      case Item::K::kDatetime: {
        const std::optional<int> c = CompareJsonPathDatetimes(a.dt, b.dt, use_tz_, session_);
        if (!c) return Bool3::kUnknown;
        cmp = *c;
        break;
      }
      default:
        return Bool3::kUnknown;
    }
    bool r = false;
    switch (op) {
      case JsonPathOp::kEqual:
        r = cmp == 0;
        break;
      case JsonPathOp::kNotEqual:
        r = cmp != 0;
        break;
      case JsonPathOp::kLess:
        r = cmp < 0;
        break;
      case JsonPathOp::kGreater:
        r = cmp > 0;
        break;
      case JsonPathOp::kLessOrEqual:
        r = cmp <= 0;
        break;
      default:
        r = cmp >= 0;
        break;
    }
    return r ? Bool3::kTrue : Bool3::kFalse;
  }

  std::string_view path_;
  bool throw_errors_;
  bool use_tz_;
  const TimeZone& session_;
  bool lax_ = true;
  bool ignore_structural_ = true;
  std::string_view vars_;
  bool has_vars_ = false;
  Item root_;
  Item current_;
  int64_t innermost_array_size_ = -1;
  Base base_;
  int64_t last_generated_id_ = 1;
  std::deque<std::string> arena_;  // generated keyvalue() objects
};

}  // namespace

JsonPathStatus ExecuteJsonPath(std::string_view path, std::string_view target,
                               std::string_view vars, bool throw_errors, bool use_tz,
                               std::vector<std::string>* out, const TimeZone* session) {
  Executor ex(path, throw_errors, use_tz, session);
  return ex.Run(target, vars, out);
}

}  // namespace activestore
