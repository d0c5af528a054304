#include "executor/deparse.h"

#include <cctype>

#include "common/error.h"

namespace activestore::executor {

std::string QuoteLiteral(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string QuoteIdent(const std::string& s) {
  bool plain = !s.empty() && (std::islower(static_cast<unsigned char>(s[0])) || s[0] == '_');
  for (char c : s) {
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '_')) {
      plain = false;
    }
  }
  if (plain) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string DeparseTypeName(const ast::TypeName& t) {
  std::string out = t.name;
  if (!t.modifiers.empty()) {
    out += "(";
    for (size_t i = 0; i < t.modifiers.size(); ++i) {
      if (i) out += ",";
      out += std::to_string(t.modifiers[i]);
    }
    out += ")";
  }
  for (int i = 0; i < t.array_bounds; ++i) out += "[]";
  return out;
}

namespace {

std::string Names(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) out += ".";
    out += QuoteIdent(names[i]);
  }
  return out;
}

std::string List(const std::vector<ast::ExprPtr>& args, size_t from = 0) {
  std::string out;
  for (size_t i = from; i < args.size(); ++i) {
    if (i > from) out += ", ";
    out += DeparseExpr(*args[i]);
  }
  return out;
}

}  // namespace

std::string DeparseExpr(const ast::Expr& e) {
  using K = ast::ExprKind;
  switch (e.kind) {
    case K::kConstant:
      switch (e.const_kind) {
        case ast::ConstKind::kInteger:
        case ast::ConstKind::kNumeric:
          return e.value_text;
        case ast::ConstKind::kString:
          return QuoteLiteral(e.value_text);
        case ast::ConstKind::kBool:
          return e.value_text == "true" || e.value_text == "t" ? "true" : "false";
        case ast::ConstKind::kNull:
          return "NULL";
      }
      break;
    case K::kColumnRef:
      if (e.star) return e.names.empty() ? "*" : Names(e.names) + ".*";
      return Names(e.names);
    case K::kParam:
      return "$" + std::to_string(e.param_index);
    case K::kUnaryOp:
      return "(" + e.op + (e.op == "NOT" ? " " : "") + DeparseExpr(*e.args[0]) + ")";
    case K::kBinaryOp: {
      std::string s = "(" + DeparseExpr(*e.args[0]) + " " + e.op + " " + DeparseExpr(*e.args[1]);
      if (e.args.size() > 2) s += " ESCAPE " + DeparseExpr(*e.args[2]);
      return s + ")";
    }
    case K::kIsNull:
      return "(" + DeparseExpr(*e.args[0]) + (e.negated ? " IS NOT NULL)" : " IS NULL)");
    case K::kIsBool:
      return "(" + DeparseExpr(*e.args[0]) + (e.negated ? " IS NOT " : " IS ") + e.op + ")";
    case K::kIsDistinct:
      return "(" + DeparseExpr(*e.args[0]) +
             (e.negated ? " IS NOT DISTINCT FROM " : " IS DISTINCT FROM ") +
             DeparseExpr(*e.args[1]) + ")";
    case K::kBetween:
      return "(" + DeparseExpr(*e.args[0]) + (e.negated ? " NOT" : "") + " BETWEEN " +
             (e.symmetric ? "SYMMETRIC " : "") + DeparseExpr(*e.args[1]) + " AND " +
             DeparseExpr(*e.args[2]) + ")";
    case K::kInList:
      return "(" + DeparseExpr(*e.args[0]) + (e.negated ? " NOT IN (" : " IN (") + List(e.args, 1) +
             "))";
    case K::kCase: {
      std::string s = "CASE";
      if (e.has_case_arg) s += " " + DeparseExpr(*e.args[0]);
      for (size_t i = 0; i + 1 < e.when_then.size(); i += 2) {
        s += " WHEN " + DeparseExpr(*e.when_then[i]) + " THEN " + DeparseExpr(*e.when_then[i + 1]);
      }
      if (e.else_expr) s += " ELSE " + DeparseExpr(*e.else_expr);
      return s + " END";
    }
    case K::kCast:
      return "CAST(" + DeparseExpr(*e.args[0]) + " AS " + DeparseTypeName(*e.type) + ")";
    case K::kTypedLiteral:
      return DeparseTypeName(*e.type) + " " + QuoteLiteral(e.value_text);
    case K::kFuncCall: {
      if (e.has_over || e.filter || !e.agg_order_by.empty()) break;
      std::string s = Names(e.names);
      // SQL-standard keywords without parentheses.
      if (e.args.empty() && !e.star &&
          (s == "current_date" || s == "current_timestamp" || s == "localtimestamp" ||
           s == "current_user" || s == "session_user" || s == "user" || s == "current_schema" ||
           s == "current_catalog")) {
        return s;
      }
      s += "(";
      if (e.distinct) s += "DISTINCT ";
      s += e.star ? "*" : List(e.args);
      return s + ")";
    }
    case K::kCoalesce:
      return "COALESCE(" + List(e.args) + ")";
    case K::kNullIf:
      return "NULLIF(" + List(e.args) + ")";
    case K::kGreatest:
      return "GREATEST(" + List(e.args) + ")";
    case K::kLeast:
      return "LEAST(" + List(e.args) + ")";
    case K::kRow:
      return "ROW(" + List(e.args) + ")";
    case K::kArray:
      return "ARRAY[" + List(e.args) + "]";
    case K::kDefault:
      return "DEFAULT";
    default:
      break;
  }
  Throw(SqlState::kFeatureNotSupported, "this expression cannot be stored in the catalog yet");
}

}  // namespace activestore::executor
