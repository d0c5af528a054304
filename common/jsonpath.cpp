#include "common/jsonpath.h"

#include <cstring>

#include "common/error.h"
#include "common/json.h"
#include "common/stack_depth.h"
#include "common/type_registry.h"
#include "common/value.h"

namespace activestore {
namespace {

constexpr size_t kHeader = 6;  // version, flags, root

void JsonpathIn(std::string_view text, const FormatOptions&, Value* out) {
  out->s = JsonPathFromText(text);
}
std::string JsonpathOut(const Value& v, const FormatOptions&) { return JsonPathToText(v.s); }
void JsonpathKey(const Value& v, std::string* out) { out->append(v.s); }

bool IsBinaryOp(JsonPathOp op) {
  return (op >= JsonPathOp::kAnd && op <= JsonPathOp::kStartsWith && op != JsonPathOp::kNot &&
          op != JsonPathOp::kIsUnknown) ||
         (op >= JsonPathOp::kAdd && op <= JsonPathOp::kMod);
}

// operationPriority: where an operand needs parentheses.
int Priority(JsonPathOp op) {
  switch (op) {
    case JsonPathOp::kOr:
      return 0;
    case JsonPathOp::kAnd:
      return 1;
    case JsonPathOp::kEqual:
    case JsonPathOp::kNotEqual:
    case JsonPathOp::kLess:
    case JsonPathOp::kGreater:
    case JsonPathOp::kLessOrEqual:
    case JsonPathOp::kGreaterOrEqual:
    case JsonPathOp::kStartsWith:
      return 2;
    case JsonPathOp::kAdd:
    case JsonPathOp::kSub:
      return 3;
    case JsonPathOp::kMul:
    case JsonPathOp::kDiv:
    case JsonPathOp::kMod:
      return 4;
    case JsonPathOp::kPlus:
    case JsonPathOp::kMinus:
      return 5;
    default:
      return 6;
  }
}

void AppendLevel(uint32_t level, std::string* out) {
  if (level == kAnyLast) {
    out->append("last");
  } else {
    out->append(std::to_string(level));
  }
}

// printJsonPathItem: `in_key` when the item follows another in a chain (a key prints its dot),
// `brackets` when an operator should be parenthesised.
void Print(JsonPathItem v, bool in_key, bool brackets, std::string* out) {
  CheckStackDepth();
  const JsonPathOp op = v.op();
  switch (op) {
    case JsonPathOp::kNull:
      out->append("null");
      break;
    case JsonPathOp::kKey:
      if (in_key) out->push_back('.');
      AppendJsonString(v.Str(), out);
      break;
    case JsonPathOp::kString:
      AppendJsonString(v.Str(), out);
      break;
    case JsonPathOp::kVariable:
      out->push_back('$');
      AppendJsonString(v.Str(), out);
      break;
    case JsonPathOp::kNumeric:
      if (v.HasNext()) out->push_back('(');
      out->append(v.Str());
      if (v.HasNext()) out->push_back(')');
      break;
    case JsonPathOp::kBool:
      out->append(v.Bool() ? "true" : "false");
      break;
    case JsonPathOp::kLikeRegex: {
      if (brackets) out->push_back('(');
      JsonPathItem e = v.Arg();
      Print(e, false, Priority(e.op()) <= Priority(op), out);
      out->append(" like_regex ");
      AppendJsonString(v.RegexPattern(), out);
      const uint32_t f = v.RegexFlags();
      if (f != 0) {
        out->append(" flag \"");
        if (f & kRegexICase) out->push_back('i');
        if (f & kRegexDotAll) out->push_back('s');
        if (f & kRegexMLine) out->push_back('m');
        if (f & kRegexWSpace) out->push_back('x');
        if (f & kRegexQuote) out->push_back('q');
        out->push_back('"');
      }
      if (brackets) out->push_back(')');
      break;
    }
    case JsonPathOp::kPlus:
    case JsonPathOp::kMinus: {
      if (brackets) out->push_back('(');
      out->push_back(op == JsonPathOp::kPlus ? '+' : '-');
      JsonPathItem a = v.Arg();
      Print(a, false, Priority(a.op()) <= Priority(op), out);
      if (brackets) out->push_back(')');
      break;
    }
    case JsonPathOp::kFilter:
      out->append("?(");
      Print(v.Arg(), false, false, out);
      out->push_back(')');
      break;
    case JsonPathOp::kNot:
      out->append("!(");
      Print(v.Arg(), false, false, out);
      out->push_back(')');
      break;
    case JsonPathOp::kIsUnknown:
      out->push_back('(');
      Print(v.Arg(), false, false, out);
      out->append(") is unknown");
      break;
    case JsonPathOp::kExists:
      out->append("exists (");
      Print(v.Arg(), false, false, out);
      out->push_back(')');
      break;
    case JsonPathOp::kCurrent:
      out->push_back('@');
      break;
    case JsonPathOp::kRoot:
      out->push_back('$');
      break;
    case JsonPathOp::kLast:
      out->append("last");
      break;
    case JsonPathOp::kAnyArray:
      out->append("[*]");
      break;
    case JsonPathOp::kAnyKey:
      if (in_key) out->push_back('.');
      out->push_back('*');
      break;
    case JsonPathOp::kIndexArray:
      out->push_back('[');
      for (uint32_t i = 0; i < v.IndexCount(); ++i) {
        if (i > 0) out->push_back(',');
        Print(v.IndexFrom(i), false, false, out);
        if (auto to = v.IndexTo(i)) {
          out->append(" to ");
          Print(*to, false, false, out);
        }
      }
      out->push_back(']');
      break;
    case JsonPathOp::kAny: {
      if (in_key) out->push_back('.');
      out->append("**");
      const uint32_t first = v.AnyFirst(), last = v.AnyLast();
      if (first == last) {
        out->push_back('{');
        AppendLevel(first, out);
        out->push_back('}');
      } else if (!(first == 0 && last == kAnyLast)) {
        out->push_back('{');
        AppendLevel(first, out);
        out->append(" to ");
        AppendLevel(last, out);
        out->push_back('}');
      }
      break;
    }
    case JsonPathOp::kDatetime:
      out->append(".datetime(");
      if (auto t = v.DatetimeTemplate()) AppendJsonString(t->Str(), out);
      out->push_back(')');
      break;
    case JsonPathOp::kType:
    case JsonPathOp::kSize:
    case JsonPathOp::kAbs:
    case JsonPathOp::kFloor:
    case JsonPathOp::kCeiling:
    case JsonPathOp::kDouble:
    case JsonPathOp::kKeyValue:
      out->push_back('.');
      out->append(JsonPathOpName(op));
      out->append("()");
      break;
    default:
      if (!IsBinaryOp(op)) throw Error(SqlState::kInternalError, "unrecognized jsonpath item type");
      if (brackets) out->push_back('(');
      JsonPathItem l = v.Left();
      Print(l, false, Priority(l.op()) <= Priority(op), out);
      out->push_back(' ');
      out->append(JsonPathOpName(op));
      out->push_back(' ');
      JsonPathItem r = v.Right();
      Print(r, false, Priority(r.op()) <= Priority(op), out);
      if (brackets) out->push_back(')');
      break;
  }
  if (v.HasNext()) Print(v.Next(), true, true, out);
}

}  // namespace

const TypeMethods kJsonpathMethods = {JsonpathIn, JsonpathOut, nullptr, nullptr, JsonpathKey};

uint32_t JsonPathItem::U32(uint32_t rel) const {
  uint32_t v;
  std::memcpy(&v, v_.data() + at_ + rel, 4);
  return v;
}

JsonPathItem JsonPathRoot(std::string_view value) {
  if (value.size() < kHeader || value[0] != kJsonpathVersion) {
    throw Error(SqlState::kInternalError, "unsupported jsonpath version number");
  }
  uint32_t root;
  std::memcpy(&root, value.data() + 2, 4);
  return JsonPathItem(value, root);
}

bool JsonPathIsStrict(std::string_view value) { return (value[1] & 1) != 0; }

std::string JsonPathToText(std::string_view value) {
  JsonPathItem root = JsonPathRoot(value);
  std::string out;
  if (JsonPathIsStrict(value)) out.append("strict ");
  Print(root, false, true, &out);
  return out;
}

const char* JsonPathOpName(JsonPathOp op) {
  switch (op) {
    case JsonPathOp::kAnd:
      return "&&";
    case JsonPathOp::kOr:
      return "||";
    case JsonPathOp::kEqual:
      return "==";
    case JsonPathOp::kNotEqual:
      return "!=";
    case JsonPathOp::kLess:
      return "<";
    case JsonPathOp::kGreater:
      return ">";
    case JsonPathOp::kLessOrEqual:
      return "<=";
    case JsonPathOp::kGreaterOrEqual:
      return ">=";
    case JsonPathOp::kPlus:
    case JsonPathOp::kAdd:
      return "+";
    case JsonPathOp::kMinus:
    case JsonPathOp::kSub:
      return "-";
    case JsonPathOp::kMul:
      return "*";
    case JsonPathOp::kDiv:
      return "/";
    case JsonPathOp::kMod:
      return "%";
    case JsonPathOp::kStartsWith:
      return "starts with";
    case JsonPathOp::kLikeRegex:
      return "like_regex";
    case JsonPathOp::kType:
      return "type";
    case JsonPathOp::kSize:
      return "size";
    case JsonPathOp::kKeyValue:
      return "keyvalue";
    case JsonPathOp::kDouble:
      return "double";
    case JsonPathOp::kAbs:
      return "abs";
    case JsonPathOp::kFloor:
      return "floor";
    case JsonPathOp::kCeiling:
      return "ceiling";
    case JsonPathOp::kDatetime:
      return "datetime";
    default:
      throw Error(SqlState::kInternalError, "unrecognized jsonpath item type");
  }
}

// ---- JsonPathWriter

JsonPathWriter::JsonPathWriter() { buf_.assign(kHeader, '\0'); }

void JsonPathWriter::Put32(uint32_t v) {
  char b[4];
  std::memcpy(b, &v, 4);
  buf_.append(b, 4);
}

uint32_t JsonPathWriter::Item(JsonPathOp op) {
  const auto at = static_cast<uint32_t>(buf_.size());
  buf_.push_back(static_cast<char>(op));
  Put32(0);
  return at;
}

uint32_t JsonPathWriter::StringItem(JsonPathOp op, std::string_view s) {
  const uint32_t at = Item(op);
  Put32(static_cast<uint32_t>(s.size()));
  buf_.append(s);
  return at;
}

uint32_t JsonPathWriter::BoolItem(bool b) {
  const uint32_t at = Item(JsonPathOp::kBool);
  buf_.push_back(b ? 1 : 0);
  return at;
}

uint32_t JsonPathWriter::Binary(JsonPathOp op, uint32_t left, uint32_t right) {
  const uint32_t at = Item(op);
  Put32(left);
  Put32(right);
  return at;
}

uint32_t JsonPathWriter::Unary(JsonPathOp op, uint32_t arg) {
  const uint32_t at = Item(op);
  Put32(arg);
  return at;
}

uint32_t JsonPathWriter::IndexArray(const std::vector<std::pair<uint32_t, uint32_t>>& subscripts) {
  const uint32_t at = Item(JsonPathOp::kIndexArray);
  Put32(static_cast<uint32_t>(subscripts.size()));
  for (const auto& [from, to] : subscripts) {
    Put32(from);
    Put32(to);
  }
  return at;
}

uint32_t JsonPathWriter::Any(uint32_t first, uint32_t last) {
  const uint32_t at = Item(JsonPathOp::kAny);
  Put32(first);
  Put32(last);
  return at;
}

uint32_t JsonPathWriter::LikeRegex(uint32_t expr, uint32_t flags, std::string_view pattern) {
  const uint32_t at = Item(JsonPathOp::kLikeRegex);
  Put32(expr);
  Put32(flags);
  Put32(static_cast<uint32_t>(pattern.size()));
  buf_.append(pattern);
  return at;
}

uint32_t JsonPathWriter::Datetime(uint32_t template_item) {
  return Unary(JsonPathOp::kDatetime, template_item);
}

void JsonPathWriter::SetNext(uint32_t item, uint32_t next) {
  std::memcpy(buf_.data() + item + 1, &next, 4);
}

uint32_t JsonPathWriter::NextOf(uint32_t item) const {
  uint32_t v;
  std::memcpy(&v, buf_.data() + item + 1, 4);
  return v;
}

std::string JsonPathWriter::Finish(uint32_t root, bool strict) {
  buf_[0] = kJsonpathVersion;
  buf_[1] = strict ? 1 : 0;
  std::memcpy(buf_.data() + 2, &root, 4);
  return std::move(buf_);
}

}  // namespace activestore
