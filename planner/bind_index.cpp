// Index expressions and predicates: binding with PostgreSQL's restrictions (no subqueries, no
// aggregates, immutable functions only), and their text as PostgreSQL's ruleutils prints it
// (pg_get_indexdef, plain and pretty), which is also the form the catalog stores and the form
// ON CONFLICT inference and the planner compare.
#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <set>

#include "common/array.h"
#include "common/user_types.h"
#include "common/value_ops.h"
#include "planner/binder.h"
#include "planner/planner.h"
#include "planner/sql_quote.h"
#include "planner/user_functions.h"

namespace activestore::planner {
namespace {

bool IsStringish(TypeId id) { return CategoryOf(id) == TypeCategory::kString; }

// Types whose text input is not immutable in PostgreSQL (date_in, timestamp_in, ... are
// STABLE: they read DateStyle and TimeZone).
bool StableInput(TypeId id) {
  switch (id) {
    case TypeId::kDate:
    case TypeId::kTime:
    case TypeId::kTimeTz:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
    case TypeId::kInterval:
    case TypeId::kMoney:
      return true;
    default:
      return IsArrayType(id) || IsEnumType(id);
  }
}

// Types whose text output is not immutable (timestamp_out, date_out, interval_out ...; not
// time_out and timetz_out).
bool StableOutput(TypeId id) {
  return id != TypeId::kTime && id != TypeId::kTimeTz && StableInput(id);
}

// PostgreSQL's pg_cast functions (and I/O conversions) that are STABLE.
bool CastIsMutable(TypeId from, TypeId to) {
  if (from == to) return false;
  if (IsStringish(to) && !IsStringish(from)) return StableOutput(from);
  if (IsStringish(from) && !IsStringish(to)) return StableInput(to);
  if (from == TypeId::kMoney || to == TypeId::kMoney) return true;
  const bool zoned_to = to == TypeId::kTimestampTz || to == TypeId::kTimeTz;
  if (zoned_to && (from == TypeId::kDate || from == TypeId::kTime || from == TypeId::kTimestamp)) {
    return true;
  }
  if (from == TypeId::kTimestampTz && (to == TypeId::kDate || to == TypeId::kTime ||
                                       to == TypeId::kTimestamp || to == TypeId::kTimeTz)) {
    return true;
  }
  return false;
}

// Functions whose every overload is STABLE or VOLATILE in PostgreSQL 15 (pg_proc.provolatile).
bool MutableFunctionName(const std::string& n) {
  static const std::set<std::string> kNames = {
      "clock_timestamp",
      "concat",
      "concat_ws",
      "concat_variadic",
      "concat_ws_variadic",
      "convert_from",
      "convert_to",
      "current_database",
      "current_schema",
      "current_schemas",
      "current_setting",
      "current_user",
      "current_role",
      "session_user",
      "user",
      "current_date",
      "current_time",
      "current_timestamp",
      "localtime",
      "localtimestamp",
      "format",
      "format_variadic",
      "format_type",
      "gen_random_uuid",
      "lastval",
      "nextval",
      "currval",
      "setval",
      "make_timestamptz",
      "now",
      "statement_timestamp",
      "transaction_timestamp",
      "timeofday",
      "random",
      "set_config",
      "to_char",
      "to_date",
      "to_number",
      "version",
      "pg_backend_pid",
      "pg_sleep",
      "pg_typeof",
      "txid_current",
      "txid_current_if_assigned",
      "pg_current_xact_id",
  };
  if (kNames.count(n) != 0) return true;
  return n.rfind("pg_", 0) == 0 && n != "pg_lsn";  // catalog and lock functions
}

bool HasZonedArg(const BoundExpr& e) {
  return std::any_of(e.children.begin(), e.children.end(), [](const BoundExprPtr& c) {
    return c && (c->type.id == TypeId::kTimestampTz || c->type.id == TypeId::kTimeTz);
  });
}

// The overloads of mixed-volatility functions that are STABLE: those over timestamptz
// (date_part, date_trunc, extract, timezone, overlaps, timestamp(timestamptz)), age(x) of one
// argument, to_timestamp(text, text), quote_literal of a non-text value.
bool MutableOverload(const BoundExpr& e) {
  const std::string& n = e.op;
  if (n == "age") return e.children.size() == 1;
  if (n == "to_timestamp") return e.children.size() == 2;
  if (n == "quote_literal" || n == "quote_nullable") {
    return !e.children.empty() && !IsStringish(e.children[0]->type.id);
  }
  return HasZonedArg(e) && n != "timestamptz_mi" && e.type.id != TypeId::kInterval;
}

// Whether `e` calls something that is not IMMUTABLE (PostgreSQL's contain_mutable_functions).
bool ContainsMutable(const BoundExpr& e) {
  switch (e.kind) {
    case BoundExprKind::kFunction:
      if (e.user_function) {
        if (e.user_function->function->volatility != 'i') return true;
        break;
      }
      if (MutableFunctionName(e.op) || MutableOverload(e)) return true;
      break;
    case BoundExprKind::kCast:
      if (!e.children.empty() && CastIsMutable(e.children[0]->type.id, e.type.id)) return true;
      break;
    case BoundExprKind::kCompare:
    case BoundExprKind::kIsDistinct:
    case BoundExprKind::kArith: {
      // timestamptz against date/timestamp, timestamptz +- interval: STABLE operators.
      bool zoned = false, other_time = false, interval = false;
      for (const auto& c : e.children) {
        TypeId t = c->type.id;
        zoned |= t == TypeId::kTimestampTz;
        other_time |= t == TypeId::kDate || t == TypeId::kTimestamp;
        interval |= t == TypeId::kInterval;
      }
      if (zoned && (other_time || interval)) return true;
      break;
    }
    case BoundExprKind::kParam:
    case BoundExprKind::kSubquery:
    case BoundExprKind::kExists:
    case BoundExprKind::kInSubquery:
      return true;
    default:
      break;
  }
  for (const auto& c : e.children) {
    if (c && ContainsMutable(*c)) return true;
  }
  return false;
}

// --- ruleutils ---

// PostgreSQL's get_const_expr.
// format_type_with_typemod as ruleutils prints a cast: bit without a length is "bit" (quoted,
// as bare bit means bit(1)) and character without one is bpchar.
std::string CastTypeName(Type type) {
  if (type.typmod < 0 && type.id == TypeId::kBit) return "\"bit\"";
  if (type.typmod < 0 && type.id == TypeId::kBpchar) return "bpchar";
  return TypeName(type);
}

std::string ConstText(const Value& v, Type type, const FormatOptions& opts = {}) {
  if (v.is_null) return "NULL::" + CastTypeName(type);
  std::string text = FormatValue(v, opts);
  switch (type.id) {
    case TypeId::kInt32:
      if (text[0] != '-') return text;
      return QuoteSqlLiteral(text) + "::" + CastTypeName(type);
    case TypeId::kNumeric: {
      bool looks_float = std::isdigit(static_cast<unsigned char>(text[0])) &&
                         text.find_first_of("eE.") != std::string::npos;
      if (looks_float && type.typmod < 0) return text;
      return QuoteSqlLiteral(text) + "::" + CastTypeName(type);
    }
    case TypeId::kBool:
      return v.i != 0 ? "true" : "false";
    case TypeId::kUnknown:
      return QuoteSqlLiteral(text);
    default:
      return QuoteSqlLiteral(text) + "::" + CastTypeName(type);
  }
}

// The operator PostgreSQL shows for a binary node, or "" if it is not one.
std::string BinaryOperator(const BoundExpr& e) {
  switch (e.kind) {
    case BoundExprKind::kArith:
    case BoundExprKind::kCompare:
      return e.op;
    case BoundExprKind::kConcat:
      return "||";
    case BoundExprKind::kLike:
      if (e.children.size() != 2) return "";
      if (e.op == "ILIKE") return e.negated ? "!~~*" : "~~*";
      return e.negated ? "!~~" : "~~";
    default:
      return "";
  }
}

class Deparser {
 public:
  Deparser(const storage::TableInfo& table, bool pretty) : table_(table), pretty_(pretty) {}

  std::string Expr(const BoundExpr& e) { return Expr(e, nullptr); }

 private:
  // get_rule_expr_paren: the child of `parent` with parentheses unless it is simple there.
  std::string Child(const BoundExpr& e, const BoundExpr& parent, bool first) {
    std::string s = Expr(e, &parent);
    if (pretty_ && !IsSimple(e, parent, first)) return "(" + s + ")";
    return s;
  }

  // ruleutils' isSimpleNode with PRETTYFLAG_PAREN.
  static bool IsSimple(const BoundExpr& e, const BoundExpr& parent, bool first) {
    auto parent_is = [&](std::initializer_list<BoundExprKind> kinds) {
      return std::find(kinds.begin(), kinds.end(), parent.kind) != kinds.end();
    };
    const bool parent_bool =
        parent_is({BoundExprKind::kAnd, BoundExprKind::kOr, BoundExprKind::kNot});
    const bool parent_container =
        parent_is({BoundExprKind::kArray, BoundExprKind::kCoalesce, BoundExprKind::kGreatest,
                   BoundExprKind::kLeast, BoundExprKind::kNullIf, BoundExprKind::kCase,
                   BoundExprKind::kSubscript});
    std::string op = BinaryOperator(e);
    switch (e.kind) {
      case BoundExprKind::kArith:
      case BoundExprKind::kCompare:
      case BoundExprKind::kConcat:
      case BoundExprKind::kLike: {
        std::string parent_op = BinaryOperator(parent);
        if (!parent_op.empty()) {
          return ArithmeticOperandNeedsParens(op, parent_op, first).value_or(false);
        }
        [[fallthrough]];
      }
      case BoundExprKind::kIsNull:
      case BoundExprKind::kIsBool:
      case BoundExprKind::kIsDistinct:
      case BoundExprKind::kInList:
      case BoundExprKind::kArrayAnyAll:
      case BoundExprKind::kNegate:
        return parent_bool || parent_container;
      case BoundExprKind::kAnd:
      case BoundExprKind::kOr:
      case BoundExprKind::kNot:
        if (parent_bool) {
          if (e.kind == BoundExprKind::kOr) return parent.kind == BoundExprKind::kOr;
          return parent.kind == BoundExprKind::kAnd || parent.kind == BoundExprKind::kOr;
        }
        return parent_container;
      default:
        return true;
    }
  }

  std::string Paren(const std::string& s) const { return pretty_ ? s : "(" + s + ")"; }

  std::string Expr(const BoundExpr& e, const BoundExpr* /*parent*/) {
    switch (e.kind) {
      case BoundExprKind::kConstant:
        if (e.op.rfind(kFoldedCastPrefix, 0) == 0) {
          const std::string arg = e.op.substr(std::string_view(kFoldedCastPrefix).size());
          return (pretty_ ? arg : "(" + arg + ")") + "::" + CastTypeName(e.type);
        }
        return ConstText(e.value, e.type);
      case BoundExprKind::kColumn:
        if (e.column_index < 0 || e.column_index >= static_cast<int>(table_.columns.size())) {
          Throw(SqlState::kInternalError, "index expression column out of range");
        }
        return QuoteSqlIdentifier(table_.columns[e.column_index].name);
      case BoundExprKind::kCast: {
        const BoundExpr& arg = *e.children[0];
        std::string a = Child(arg, e, true);
        if (!pretty_) a = "(" + a + ")";
        // A literal cast to a type prints as a typed constant.
        if (arg.kind == BoundExprKind::kConstant && arg.type.id == TypeId::kUnknown) {
          return ConstText(CastConstant(arg.value, e.type), e.type);
        }
        return a + "::" + CastTypeName(e.type);
      }
      case BoundExprKind::kNegate:
        return Paren("- " + Child(*e.children[0], e, true));
      case BoundExprKind::kArith:
      case BoundExprKind::kCompare:
      case BoundExprKind::kConcat:
      case BoundExprKind::kLike:
        if (e.children.size() == 2) {
          return Paren(Child(*e.children[0], e, true) + " " + BinaryOperator(e) + " " +
                       Child(*e.children[1], e, false));
        }
        break;
      case BoundExprKind::kAnd:
      case BoundExprKind::kOr: {
        std::string s;
        for (size_t i = 0; i < e.children.size(); ++i) {
          if (i > 0) s += e.kind == BoundExprKind::kAnd ? " AND " : " OR ";
          s += Child(*e.children[i], e, i == 0);
        }
        return Paren(s);
      }
      case BoundExprKind::kNot:
        return Paren("NOT " + Child(*e.children[0], e, true));
      case BoundExprKind::kIsNull:
        return Paren(Child(*e.children[0], e, true) + (e.negated ? " IS NOT NULL" : " IS NULL"));
      case BoundExprKind::kIsBool:
        return Paren(Child(*e.children[0], e, true) + (e.negated ? " IS NOT " : " IS ") + e.op);
      case BoundExprKind::kIsDistinct:
        return Paren(Child(*e.children[0], e, true) +
                     (e.negated ? " IS NOT DISTINCT FROM " : " IS DISTINCT FROM ") +
                     Child(*e.children[1], e, false));
      case BoundExprKind::kInList: {
        // x IN (1, 2) is x = ANY (ARRAY[1, 2]) in PostgreSQL's catalog.
        std::string items;
        for (size_t i = 1; i < e.children.size(); ++i) {
          if (i > 1) items += ", ";
          items += Expr(*e.children[i], &e);
        }
        return Paren(Child(*e.children[0], e, true) +
                     (e.negated ? " <> ALL (ARRAY[" : " = ANY (ARRAY[") + items + "])");
      }
      case BoundExprKind::kFunction: {
        if (e.op == "point_subscript" && e.children.size() == 2) {  // p[0] (bind_geometry.cpp)
          return Child(*e.children[0], e, true) + "[" + Expr(*e.children[1], &e) + "]";
        }
        std::string s = e.op + "(";
        for (size_t i = 0; i < e.children.size(); ++i) {
          if (i > 0) s += ", ";
          s += Expr(*e.children[i], &e);
        }
        return s + ")";
      }
      case BoundExprKind::kCoalesce:
      case BoundExprKind::kGreatest:
      case BoundExprKind::kLeast:
      case BoundExprKind::kNullIf: {
        std::string s = ConditionalCallOpening(e.kind);
        for (size_t i = 0; i < e.children.size(); ++i) {
          if (i > 0) s += ", ";
          s += Expr(*e.children[i], &e);
        }
        return s + ")";
      }
      case BoundExprKind::kCase: {
        std::string s = "CASE";
        size_t n = e.children.size() - (e.has_else ? 1 : 0);
        for (size_t i = 0; i + 1 < n; i += 2) {
          s += " WHEN " + Expr(*e.children[i], &e) + " THEN " + Expr(*e.children[i + 1], &e);
        }
        if (e.has_else) s += " ELSE " + Expr(*e.children.back(), &e);
        return s + " END";
      }
      default:
        break;
    }
    Throw(SqlState::kFeatureNotSupported, "this expression cannot be used in an index yet");
  }

  static Value CastConstant(const Value& v, Type to) {
    try {
      return CastValue(v, to);
    } catch (const Error&) {
      return v;
    }
  }

  const storage::TableInfo& table_;
  bool pretty_;
};

}  // namespace

BoundExprPtr Binder::BindIndexExpression(std::shared_ptr<const storage::TableInfo> table,
                                         const ast::Expr& e, bool predicate) {
  if (const ast::Expr* sub = FindSubquery(e)) {
    ThrowAt(sub->location, SqlState::kFeatureNotSupported, "cannot use subquery in index {}",
            predicate ? "predicate" : "expression");
  }
  Binder b(ctx_, nullptr, nullptr);
  b.AddTargetTable(table, std::nullopt, -1);
  b.clause_ = predicate ? Clause::kIndexPredicate : Clause::kIndexExpression;
  BoundExprPtr bound = b.BindExpr(e);
  bound = predicate ? b.RequireBool(std::move(bound), "WHERE", e.location)
                    : b.ResolveUnknown(std::move(bound), e.location);
  if (ContainsMutable(*bound)) {
    Throw(SqlState::kInvalidObjectDefinition, "functions in index {} must be marked IMMUTABLE",
          predicate ? "predicate" : "expression");
  }
  return bound;
}

namespace {

// Calls f on each column reference in e (the parts FindSubquery walks).
void ForEachColumnRef(const ast::Expr& e, const std::function<void(const ast::Expr&)>& f) {
  if (e.kind == ast::ExprKind::kColumnRef) f(e);
  auto in = [&](const ast::ExprPtr& a) {
    if (a) ForEachColumnRef(*a, f);
  };
  for (const auto& a : e.args) in(a);
  for (const auto& a : e.when_then) in(a);
  in(e.else_expr);
  in(e.filter);
}

}  // namespace

std::vector<int> GenerationExprColumns(const storage::TableInfo& table, int column) {
  const storage::ColumnInfo& col = table.columns[column];
  if (col.generated == 0 || !col.default_sql) return {};
  std::set<int> reads;
  try {
    auto query = ParseSelect("SELECT " + *col.default_sql);
    if (query->targets.size() != 1) return {};
    ForEachColumnRef(*query->targets[0].expr, [&](const ast::Expr& ref) {
      if (ref.names.empty()) return;
      const int ord = table.ColumnIndex(ref.names.back());
      if (ord >= 0 && ord != column) reads.insert(ord);
    });
  } catch (const Error&) {
    return {};
  }
  return {reads.begin(), reads.end()};
}

BoundExprPtr Binder::BindGenerated(std::shared_ptr<const storage::TableInfo> table, int column,
                                   const ast::Expr& e) {
  const storage::TableInfo& t = *table;
  const storage::ColumnInfo& target = t.columns[column];
  if (const ast::Expr* sub = FindSubquery(e)) {
    ThrowAt(sub->location, SqlState::kFeatureNotSupported,
            "cannot use subquery in column generation expression");
  }
  // System columns (tableoid aside) and whole-row references, as PostgreSQL's
  // scanNSItemForColumn and check_nested_generated_walker.
  ForEachColumnRef(e, [&](const ast::Expr& ref) {
    if (ref.names.empty()) return;
    const std::string& last = ref.names.back();
    const bool whole_row =
        ref.star || (ref.names.size() == 1 && last == t.name && t.ColumnIndex(last) < 0);
    if (whole_row) {
      throw Error(SqlState::kInvalidObjectDefinition,
                  "cannot use whole-row variable in column generation expression")
          .Detail("This would cause the generated column to depend on its own value.")
          .Position(ref.location + 1);
    }
    if (t.ColumnIndex(last) < 0 &&
        (last == "ctid" || last == "xmin" || last == "cmin" || last == "xmax" || last == "cmax")) {
      ThrowAt(ref.location, SqlState::kInvalidColumnReference,
              "cannot use system column \"{}\" in column generation expression", last);
    }
  });
  Binder b(ctx_, nullptr, nullptr);
  b.AddTargetTable(table, std::nullopt, -1);
  b.clause_ = Clause::kGenerated;
  BoundExprPtr bound = b.BindExpr(e);
  ForEachColumnRef(e, [&](const ast::Expr& ref) {
    if (ref.names.empty()) return;
    const int ord = t.ColumnIndex(ref.names.back());
    if (ord >= 0 && t.columns[ord].generated != 0) {
      throw Error(SqlState::kInvalidObjectDefinition,
                  fmt::format("cannot use generated column \"{}\" in column generation expression",
                              ref.names.back()))
          .Detail("A generated column cannot reference another generated column.")
          .Position(ref.location + 1);
    }
  });
  if (ContainsMutable(*bound)) {
    Throw(SqlState::kInvalidObjectDefinition, "generation expression is not immutable");
  }
  if (!CanCoerce(bound->type.id, target.type.id, CoercionContext::kAssignment) &&
      !HasUserCast(bound->type.id, target.type.id, CoercionContext::kAssignment)) {
    Error err(SqlState::kDatatypeMismatch,
              fmt::format("column \"{}\" is of type {} but default expression is of type {}",
                          target.name, TypeDisplayName(target.type), TypeDisplayName(bound->type)));
    err.Hint("You will need to rewrite or cast the expression.");
    throw err;
  }
  return b.AssignCoerce(std::move(bound), target, e.location);
}

BoundExprPtr BindIndexExpr(std::shared_ptr<const storage::TableInfo> table, const ast::Expr& expr,
                           PlannerContext& ctx, bool predicate) {
  Binder binder(&ctx, nullptr, nullptr);
  return binder.BindIndexExpression(std::move(table), expr, predicate);
}

BoundExprPtr BindIndexText(std::shared_ptr<const storage::TableInfo> table, const std::string& text,
                           PlannerContext& ctx, bool predicate) {
  auto query = ParseSelect("SELECT " + text);
  if (query->targets.size() != 1 || !query->from.empty()) {
    Throw(SqlState::kInternalError, "bad index expression \"{}\"", text);
  }
  return BindIndexExpr(std::move(table), *query->targets[0].expr, ctx, predicate);
}

std::string DeparseIndexExpr(const BoundExpr& e, const storage::TableInfo& table, bool pretty) {
  return Deparser(table, pretty).Expr(e);
}

std::string IndexElementText(const BoundExpr& e, const storage::TableInfo& table, bool pretty) {
  std::string s = DeparseIndexExpr(e, table, pretty);
  // pg_get_indexdef's looks_like_function: calls and COALESCE-like forms stand alone.
  switch (e.kind) {
    case BoundExprKind::kFunction:
      if (e.op == "point_subscript") return "(" + s + ")";  // a subscript, not a call
      return s;
    case BoundExprKind::kCoalesce:
    case BoundExprKind::kGreatest:
    case BoundExprKind::kLeast:
      return s;
    default:
      return "(" + s + ")";
  }
}

void SplitIndexPredicate(const BoundExprPtr& e, const storage::TableInfo& table,
                         std::vector<std::string>* out) {
  std::vector<BoundExprPtr> conjuncts;
  SplitConjuncts(e, &conjuncts);
  for (const BoundExprPtr& c : conjuncts) {
    BoundExprPtr n = c;
    // `const op column` reads as `column op' const`, as the index predicate is usually written.
    if (c->kind == BoundExprKind::kCompare && c->children.size() == 2 &&
        c->children[1]->kind == BoundExprKind::kColumn &&
        c->children[0]->kind != BoundExprKind::kColumn) {
      static const std::map<std::string, std::string> kCommuted = {
          {"=", "="}, {"<>", "<>"}, {"<", ">"}, {">", "<"}, {"<=", ">="}, {">=", "<="}};
      auto it = kCommuted.find(c->op);
      if (it != kCommuted.end()) {
        auto swapped = std::make_shared<BoundExpr>(*c);
        swapped->op = it->second;
        std::swap(swapped->children[0], swapped->children[1]);
        n = swapped;
      }
    }
    try {
      out->push_back(DeparseIndexExpr(*n, table, false));
    } catch (const Error&) {
      out->push_back("");  // not printable: matches nothing
    }
  }
}

std::string ConstantSqlText(const Value& v, Type type, const FormatOptions& opts) {
  return ConstText(v, type, opts);
}

std::string DefaultDisplayText(const std::string& sql, Type column_type) {
  // A string literal: '...' with its quotes doubled inside.
  if (sql.size() >= 2 && sql.front() == '\'' && sql.back() == '\'') {
    std::string text;
    for (size_t i = 1; i + 1 < sql.size(); ++i) {
      if (sql[i] == '\'') {
        if (sql[i + 1] != '\'' || i + 2 >= sql.size()) return sql;  // not one literal
        ++i;
      }
      text += sql[i];
    }
    const Type target{column_type.id, -1};  // the length coercion is a separate, hidden call
    try {
      return ConstText(CastValue(Value::Text(text, TypeId::kUnknown), target), target);
    } catch (const Error&) {
      return sql;
    }
  }
  // A number: an integer (int4, or int8 beyond it) or a numeric constant, with its sign.
  size_t i = sql.front() == '-' ? 1 : 0;
  bool digits = i < sql.size(), dot = false;
  for (size_t k = i; k < sql.size() && digits; ++k) {
    if (sql[k] == '.' && !dot) {
      dot = true;
    } else if (!std::isdigit(static_cast<unsigned char>(sql[k]))) {
      digits = false;
    }
  }
  if (!digits) return sql;
  try {
    if (!dot) {
      const Value v = ParseValue(sql, Type::Of(TypeId::kInt64));
      if (v.i >= INT32_MIN && v.i <= INT32_MAX) {
        return ConstText(Value::Int32(static_cast<int32_t>(v.i)), Type::Of(TypeId::kInt32));
      }
      return ConstText(v, Type::Of(TypeId::kInt64));
    }
    return ConstText(ParseValue(sql, Type::Of(TypeId::kNumeric)), Type::Of(TypeId::kNumeric));
  } catch (const Error&) {
    return sql;  // out of bigint's range: a numeric constant in PostgreSQL; printed as stored
  }
}

bool IsQuotedKeyword(const std::string& w) {
  static const std::set<std::string> kWords = {
      // reserved
      "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both", "case",
      "cast", "check", "collate", "column", "constraint", "create", "current_catalog",
      "current_date", "current_role", "current_time", "current_timestamp", "current_user",
      "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "false", "fetch",
      "for", "foreign", "from", "grant", "group", "having", "in", "initially", "intersect", "into",
      "lateral", "leading", "limit", "localtime", "localtimestamp", "not", "null", "offset", "on",
      "only", "or", "order", "placing", "primary", "references", "returning", "select",
      "session_user", "some", "symmetric", "table", "then", "to", "trailing", "true", "union",
      "unique", "user", "using", "variadic", "when", "where", "window", "with",
      // column-name keywords
      "between", "bigint", "bit", "boolean", "char", "character", "coalesce", "dec", "decimal",
      "exists", "extract", "float", "greatest", "grouping", "inout", "int", "integer", "interval",
      "least", "national", "nchar", "none", "normalize", "nullif", "numeric", "out", "overlay",
      "position", "precision", "real", "row", "setof", "smallint", "substring", "time", "timestamp",
      "treat", "trim", "values", "varchar", "xmlattributes", "xmlconcat", "xmlelement", "xmlexists",
      "xmlforest", "xmlnamespaces", "xmlparse", "xmlpi", "xmlroot", "xmlserialize", "xmltable",
      // type/function-name keywords
      "authorization", "binary", "collation", "concurrently", "cross", "current_schema", "freeze",
      "full", "ilike", "inner", "is", "isnull", "join", "left", "like", "natural", "notnull",
      "outer", "overlaps", "right", "similar", "tablesample", "verbose"};
  return kWords.count(w) != 0;
}

std::string CastTypeSqlName(Type type) { return CastTypeName(type); }

std::optional<bool> ArithmeticOperandNeedsParens(const std::string& op,
                                                 const std::string& parent_op, bool first) {
  auto low = [](const std::string& o) { return o == "+" || o == "-"; };
  auto high = [](const std::string& o) { return o == "*" || o == "/" || o == "%"; };
  if (!(low(op) || high(op)) || !(low(parent_op) || high(parent_op))) return std::nullopt;
  if (high(op) && low(parent_op)) return true;
  if (low(op) && high(parent_op)) return false;
  return first;
}

const char* ConditionalCallOpening(BoundExprKind kind) {
  switch (kind) {
    case BoundExprKind::kCoalesce:
      return "COALESCE(";
    case BoundExprKind::kGreatest:
      return "GREATEST(";
    case BoundExprKind::kLeast:
      return "LEAST(";
    default:
      return "NULLIF(";
  }
}

std::string QuoteSqlIdentifier(const std::string& s) {
  bool plain = !s.empty() && (std::islower(static_cast<unsigned char>(s[0])) || s[0] == '_');
  for (char c : s) {
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '_')) {
      plain = false;
    }
  }
  if (plain && !IsQuotedKeyword(s)) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string QuoteSqlLiteral(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

}  // namespace activestore::planner
