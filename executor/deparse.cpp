#include "executor/deparse.h"

#include <cctype>
#include <functional>

#include "common/error.h"
#include "planner/sql_quote.h"

namespace activestore::executor {

std::string QuoteLiteral(const std::string& s) { return planner::QuoteSqlLiteral(s); }

std::string QuoteIdent(const std::string& s) { return planner::QuoteSqlIdentifier(s); }

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

std::string Deparse(const ast::Expr& e, const RegclassHook* hook);

std::string List(const std::vector<ast::ExprPtr>& args, const RegclassHook* hook, size_t from = 0) {
  std::string out;
  for (size_t i = from; i < args.size(); ++i) {
    if (i > from) out += ", ";
    out += Deparse(*args[i], hook);
  }
  return out;
}

bool IsStringConst(const ast::Expr& e) {
  return e.kind == ast::ExprKind::kConstant && e.const_kind == ast::ConstKind::kString;
}

// nextval/currval/setval('s') or ('s'::regclass): the literal naming the sequence, or null.
const ast::Expr* RegclassArgument(const ast::Expr& call) {
  if (call.kind != ast::ExprKind::kFuncCall || call.names.empty() || call.args.empty()) {
    return nullptr;
  }
  if (call.names.size() > 1 && call.names[0] != "pg_catalog") return nullptr;
  const std::string& n = call.names.back();
  if (n != "nextval" && n != "currval" && n != "setval") return nullptr;
  const ast::Expr& a = *call.args[0];
  if (IsStringConst(a)) return &a;
  if (a.kind == ast::ExprKind::kCast && a.type && a.type->name == "regclass" &&
      a.args.size() == 1 && IsStringConst(*a.args[0])) {
    return a.args[0].get();
  }
  return nullptr;
}

std::string Deparse(const ast::Expr& e, const RegclassHook* hook) {
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
      return "(" + e.op + (e.op == "NOT" ? " " : "") + Deparse(*e.args[0], hook) + ")";
    case K::kBinaryOp: {
      std::string s =
          "(" + Deparse(*e.args[0], hook) + " " + e.op + " " + Deparse(*e.args[1], hook);
      if (e.args.size() > 2) s += " ESCAPE " + Deparse(*e.args[2], hook);
      return s + ")";
    }
    case K::kIsNull:
      return "(" + Deparse(*e.args[0], hook) + (e.negated ? " IS NOT NULL)" : " IS NULL)");
    case K::kIsBool:
      return "(" + Deparse(*e.args[0], hook) + (e.negated ? " IS NOT " : " IS ") + e.op + ")";
    case K::kIsDistinct:
      return "(" + Deparse(*e.args[0], hook) +
             (e.negated ? " IS NOT DISTINCT FROM " : " IS DISTINCT FROM ") +
             Deparse(*e.args[1], hook) + ")";
    case K::kBetween:
      return "(" + Deparse(*e.args[0], hook) + (e.negated ? " NOT" : "") + " BETWEEN " +
             (e.symmetric ? "SYMMETRIC " : "") + Deparse(*e.args[1], hook) + " AND " +
             Deparse(*e.args[2], hook) + ")";
    case K::kInList:
      return "(" + Deparse(*e.args[0], hook) + (e.negated ? " NOT IN (" : " IN (") +
             List(e.args, hook, 1) + "))";
    case K::kCase: {
      std::string s = "CASE";
      if (e.has_case_arg) s += " " + Deparse(*e.args[0], hook);
      for (size_t i = 0; i + 1 < e.when_then.size(); i += 2) {
        s += " WHEN " + Deparse(*e.when_then[i], hook) + " THEN " +
             Deparse(*e.when_then[i + 1], hook);
      }
      if (e.else_expr) s += " ELSE " + Deparse(*e.else_expr, hook);
      return s + " END";
    }
    case K::kCast:
      return "CAST(" + Deparse(*e.args[0], hook) + " AS " + DeparseTypeName(*e.type) + ")";
    case K::kTypedLiteral:
      // B'1010' / X'1F' (value 'b1010' / 'x1F', type bit without a length).
      if (e.type->name == "bit" && e.type->modifiers.empty() && !e.value_text.empty()) {
        return (e.value_text[0] == 'b' ? "B" : "X") + QuoteLiteral(e.value_text.substr(1));
      }
      return DeparseTypeName(*e.type) + " " + QuoteLiteral(e.value_text);
    case K::kFuncCall: {
      if (e.has_over || e.filter || !e.agg_order_by.empty()) break;
      std::string s = Names(e.names);
      // SQL-standard keywords without parentheses.
      if (e.args.empty() && !e.star &&
          (s == "current_date" || s == "current_timestamp" || s == "localtimestamp" ||
           s == "current_time" || s == "localtime" || s == "current_user" || s == "session_user" ||
           s == "user" || s == "current_schema" || s == "current_catalog")) {
        return s;
      }
      s += "(";
      if (e.distinct) s += "DISTINCT ";
      if (const ast::Expr* lit = hook != nullptr ? RegclassArgument(e) : nullptr) {
        s += QuoteLiteral((*hook)(lit->value_text, lit->location)) + "::regclass";
        if (e.args.size() > 1) s += ", " + List(e.args, hook, 1);
        return s + ")";
      }
      s += e.star ? "*" : List(e.args, hook);
      return s + ")";
    }
    case K::kCoalesce:
      return "COALESCE(" + List(e.args, hook) + ")";
    case K::kNullIf:
      return "NULLIF(" + List(e.args, hook) + ")";
    case K::kGreatest:
      return "GREATEST(" + List(e.args, hook) + ")";
    case K::kLeast:
      return "LEAST(" + List(e.args, hook) + ")";
    case K::kRow:
      return "ROW(" + List(e.args, hook) + ")";
    case K::kFieldSelect:
      return "(" + Deparse(*e.args[0], hook) + ")." + (e.star ? "*" : QuoteIdent(e.names[0]));
    case K::kArray:
      return "ARRAY[" + List(e.args, hook) + "]";
    case K::kDefault:
      return "DEFAULT";
    default:
      break;
  }
  Throw(SqlState::kFeatureNotSupported, "this expression cannot be stored in the catalog yet");
}

}  // namespace

std::string DeparseExpr(const ast::Expr& e, const RegclassHook* regclass) {
  return Deparse(e, regclass);
}

}  // namespace activestore::executor
