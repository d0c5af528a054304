// pg_get_viewdef's text of a view's query: the query is bound again (as the binder binds it to
// run it) and printed from the bound expressions the way PostgreSQL 15's ruleutils.c prints a
// stored query tree (get_query_def): the same layout (PRETTYFLAG_INDENT: each clause and each
// select-list item on its own line), every column qualified by its range's name (a PostgreSQL 15
// view's range table always holds more than one entry: OLD and NEW), casts written out as
// `(x)::type`, every operator parenthesized unless `pretty` (PRETTYFLAG_PAREN: isSimpleNode's
// rules), `AS name` where the name differs from what the expression would be called.
//
// Shapes this does not print yet (WITH, window functions, VALUES and functions in FROM, row
// values, grouping sets, ...) or whose bound form is not the one PostgreSQL stores (CASE x WHEN,
// IN lists over columns, calls with special syntax) throw Unsupported, and the caller keeps the
// text as written.
#include "planner/deparse_view.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include "planner/binder.h"
#include "planner/planner.h"
#include "planner/sql_quote.h"

namespace activestore::planner {

namespace {

struct Unsupported {};

[[noreturn]] void Refuse() { throw Unsupported{}; }

constexpr int kIndentStd = 8;   // PRETTYINDENT_STD
constexpr int kIndentJoin = 4;  // PRETTYINDENT_JOIN
constexpr int kIndentVar = 4;   // PRETTYINDENT_VAR

// The kind of PostgreSQL node a bound expression is stored as (for isSimpleNode).
enum class NodeClass {
  kSimple,   // Var, Const, function-like nodes, CASE: never parenthesized
  kOp,       // OpExpr
  kTest,     // NullTest, BooleanTest, DistinctExpr, SubLink
  kBool,     // BoolExpr
  kArrayOp,  // ScalarArrayOpExpr
  kCast,     // a cast (FuncExpr / RelabelType / CoerceViaIO)
};

// Calls whose PostgreSQL form is special syntax or a different node (EXTRACT, TRIM, SUBSTRING,
// AT TIME ZONE ...): not printed here yet.
bool SpecialSyntaxFunction(const std::string& n) {
  static const std::set<std::string> kNames = {
      "extract",       "date_part",      "substring", "position",  "overlay",
      "trim",          "btrim",          "ltrim",     "rtrim",     "normalize",
      "is_normalized", "current_schema", "collation", "xmlconcat", "xmlelement",
      "xmlforest",     "xmlparse",       "xmlpi",     "xmlroot",   "xmlserialize",
      "nextval",       "currval",        "setval",    "pg_typeof", "row",
  };
  return kNames.count(n) != 0;
}

const char* AggregateName(AggKind k) {
  switch (k) {
    case AggKind::kCount:
    case AggKind::kCountStar:
      return "count";
    case AggKind::kSum:
      return "sum";
    case AggKind::kAvg:
      return "avg";
    case AggKind::kMin:
      return "min";
    case AggKind::kMax:
      return "max";
    case AggKind::kBoolAnd:
      return "bool_and";
    case AggKind::kBoolOr:
      return "bool_or";
    case AggKind::kStringAgg:
      return "string_agg";
    case AggKind::kArrayAgg:
      return "array_agg";
    case AggKind::kVarSamp:
      return "var_samp";
    case AggKind::kVarPop:
      return "var_pop";
    case AggKind::kStddevSamp:
      return "stddev_samp";
    case AggKind::kStddevPop:
      return "stddev_pop";
    default:
      return nullptr;
  }
}

using ExprPtrLike = ast::ExprPtr;

// Whether an AST expression reads nothing but literals (the binder folds arithmetic and
// negation over those to one constant, where PostgreSQL keeps the operators).
bool OnlyLiterals(const ast::Expr& e) {
  using K = ast::ExprKind;
  switch (e.kind) {
    case K::kColumnRef:
    case K::kParam:
    case K::kFuncCall:
    case K::kSubquery:
    case K::kExists:
    case K::kInSubquery:
      return false;
    default:
      break;
  }
  if (e.subquery) return false;
  for (const auto& a : e.args) {
    if (a && !OnlyLiterals(*a)) return false;
  }
  for (const auto& a : e.when_then) {
    if (!OnlyLiterals(*a)) return false;
  }
  return !e.else_expr || OnlyLiterals(*e.else_expr);
}

// The functions an AST expression calls (lower-cased names), not looking into subqueries; the
// shapes whose bound form differs from PostgreSQL's stored one are refused here.
void CheckAst(const ast::Expr& e, std::multiset<std::string>* calls,
              std::vector<const ast::SelectStmt*>* subs = nullptr) {
  using K = ast::ExprKind;
  if (e.subquery) {
    if (subs == nullptr) Refuse();
    subs->push_back(e.subquery.get());
  }
  switch (e.kind) {
    case K::kParam:
    case K::kRow:
    case K::kSubscript:
    case K::kDefault:
    case K::kGroupingSet:
    case K::kGroupingFunc:
    case K::kFieldSelect:
    case K::kArray:
      Refuse();
    case K::kCase:
      if (e.has_case_arg) Refuse();  // PostgreSQL keeps CASE x WHEN v; the binder compares
      [[fallthrough]];
    case K::kCoalesce:
    case K::kGreatest:
    case K::kLeast:
    case K::kNullIf: {
      // The binder coerces the arms to the common type with its typmod, PostgreSQL without one
      // (printed so below); an explicit cast with a typmod among them could not be told apart.
      auto typmod_cast = [](const ExprPtrLike& a) {
        return a && a->kind == K::kCast && a->type && !a->type->modifiers.empty();
      };
      for (const auto& a : e.args) {
        if (typmod_cast(a)) Refuse();
      }
      for (const auto& a : e.when_then) {
        if (typmod_cast(a)) Refuse();
      }
      if (typmod_cast(e.else_expr)) Refuse();
      break;
    }
    case K::kBetween:
      if (e.symmetric || e.negated) Refuse();
      break;
    case K::kInList: {
      // PostgreSQL's transformAExprIn: = ANY (ARRAY[...]) over the items without columns when
      // there are two or more of them, OR-ed comparisons otherwise.
      if (e.args.size() != 2) {
        for (size_t i = 1; i < e.args.size(); ++i) {
          if (e.args[i]->kind != K::kConstant && e.args[i]->kind != K::kTypedLiteral &&
              e.args[i]->kind != K::kCast) {
            Refuse();
          }
        }
      }
      break;
    }
    case K::kAnyAll:
      if (!e.subquery) Refuse();  // op ANY (array): printed once checked against PostgreSQL
      break;
    case K::kBinaryOp:
      if (e.args.size() > 2) Refuse();  // LIKE ... ESCAPE
      // 1 + 2: folded to one constant by the binder (arithmetic only: 'a' || 'b' stays).
      if (OnlyLiterals(e) && (e.op == "+" || e.op == "-" || e.op == "*" || e.op == "/" ||
                              e.op == "%" || e.op == "^")) {
        Refuse();
      }
      if (e.op == "AND" || e.op == "OR") {
        // PostgreSQL's grammar flattens only a left-deep chain (makeAndExpr), and BETWEEN is an
        // AND of its own; the binder flattens every nested AND / OR.
        auto is = [](const ast::Expr& a, const std::string& op) {
          return a.kind == K::kBinaryOp && a.op == op;
        };
        if (is(*e.args[1], e.op)) Refuse();
        for (const auto& a : e.args) {
          if (a->kind == K::kBetween) Refuse();
        }
      }
      break;
    case K::kUnaryOp:
      // -1 is a constant in PostgreSQL too; -(1 + 2) and the like are folded only here.
      if (OnlyLiterals(e) && e.args[0]->kind != K::kConstant) Refuse();
      break;
    case K::kFuncCall: {
      if (e.names.size() != 1 || e.has_over || e.within_group || !e.arg_names.empty() ||
          e.variadic || !e.agg_order_by.empty() || e.filter) {
        Refuse();
      }
      std::string name = e.names[0];
      if (SpecialSyntaxFunction(name)) Refuse();
      calls->insert(std::move(name));
      break;
    }
    default:
      break;
  }
  for (const auto& a : e.args) {
    if (a) CheckAst(*a, calls, subs);
  }
  for (const auto& a : e.when_then) CheckAst(*a, calls, subs);
  if (e.else_expr) CheckAst(*e.else_expr, calls, subs);
}

// The subqueries of the expression being printed, in the order both trees are walked (each
// before its operands): the bound form keeps only their plans.
struct Sublinks {
  std::vector<const ast::SelectStmt*> queries;
  size_t next = 0;
};

// A range's name within the query levels being printed (PostgreSQL's set_rtable_names: unique
// among the query and its ancestors, a clash getting "_1", "_2" ...).
struct Level {
  Binder* binder = nullptr;
  const Level* parent = nullptr;
  std::vector<std::string> refnames;  // per range index
  std::set<std::string> names;        // used at this level and above
};

}  // namespace

class ViewDeparser {
 public:
  ViewDeparser(PlannerContext* ctx, const ViewDefOptions& options)
      : ctx_(ctx), options_(options), pretty_(options.pretty) {}

  std::string Top(const ast::SelectStmt& s) {
    std::string buf;
    Query(s, nullptr, &buf, 0, &options_.column_names, true);
    return buf + ";";
  }

  // pg_get_expr: one expression over `table`'s columns, which print unqualified.
  std::string Standalone(const ast::Expr& e, std::shared_ptr<const storage::TableInfo> table) {
    if (FindSubquery(e) != nullptr) Refuse();
    Binder b(ctx_, nullptr, nullptr);
    if (table) b.AddTargetTable(table, std::nullopt, -1);
    Level level;
    level.binder = &b;
    level.refnames.assign(b.ranges_.size(), "");
    qualify_ = false;
    BoundExprPtr bound = b.ResolveUnknown(b.BindExpr(e), e.location);
    std::string buf;
    Out o{&buf, 0};
    return Print(&e, *bound, level, &o);
  }

 private:
  // --- output, as ruleutils' appendContextKeyword ---
  struct Out {
    std::string* buf;
    int indent;
    Sublinks* subs = nullptr;
  };

  // The text of `bound`, the binding of `text` (null: a column of a `*`), checked against it.
  std::string Print(const ast::Expr* text, const BoundExpr& bound, const Level& level, Out* o) {
    std::multiset<std::string> calls;
    Sublinks subs;
    if (text != nullptr) CheckAst(*text, &calls, &subs.queries);
    CheckCalls(bound, calls, level);
    Out po{o->buf, o->indent, &subs};
    std::string s = Expr(bound, level, &po, nullptr);
    if (subs.next != subs.queries.size()) Refuse();
    return s;
  }

  static void RemoveTrailingSpaces(std::string* buf) {
    while (!buf->empty() && buf->back() == ' ') buf->pop_back();
  }

  void Keyword(Out* o, const std::string& s, int before, int after, int plus) const {
    o->indent += before;
    RemoveTrailingSpaces(o->buf);
    *o->buf += '\n';
    *o->buf += std::string(static_cast<size_t>(std::max(o->indent, 0) + plus), ' ');
    *o->buf += s;
    o->indent += after;
    if (o->indent < 0) o->indent = 0;
  }

  // --- queries ---

  // get_query_def. `names`: the result columns' names (the view's, for its query; null: the
  // query's own). `visible`: colNamesVisible.
  void Query(const ast::SelectStmt& s, const Level* parent, std::string* buf, int indent,
             const std::vector<std::string>* names, bool visible,
             const std::set<std::string>* seed = nullptr) {
    if (s.with || !s.locking.empty()) Refuse();
    Out o{buf, indent};
    if (s.set_op != ast::SetOpType::kNone) {
      if (!s.values_rows.empty()) Refuse();
      SetOpTypes(s, parent);
      // Without the view's names each operand shows its own (get_query_def's resultDesc).
      SetOp(s, parent, &o, names, visible, seed);
      std::vector<std::string> own;
      if (names == nullptr && !s.order_by.empty()) {
        own = LeafNames(s, parent);
        names = &own;
      }
      if (!s.order_by.empty()) {
        Keyword(&o, " ORDER BY ", -kIndentStd, kIndentStd, 1);
        // Set operations sort by output column numbers.
        for (size_t i = 0; i < s.order_by.size(); ++i) {
          const ast::SortItem& item = s.order_by[i];
          int pos = -1;
          if (item.expr->kind == ast::ExprKind::kConstant &&
              item.expr->const_kind == ast::ConstKind::kInteger) {
            pos = std::stoi(item.expr->value_text);
          } else if (item.expr->kind == ast::ExprKind::kColumnRef && item.expr->names.size() == 1) {
            for (size_t k = 0; k < names->size() && pos < 0; ++k) {
              if ((*names)[k] == item.expr->names[0]) pos = static_cast<int>(k) + 1;
            }
          }
          if (pos < 1 || pos > static_cast<int>(names->size())) Refuse();
          if (i > 0) *o.buf += ", ";
          *o.buf += std::to_string(pos) + SortSuffix(item);
        }
      }
      LimitOffset(s, &o);
      return;
    }
    Simple(s, parent, &o, names, visible, seed);
  }

  static std::string SortSuffix(const ast::SortItem& item) {
    if (item.descending) return item.nulls_first.value_or(true) ? " DESC" : " DESC NULLS LAST";
    return item.nulls_first.value_or(false) ? " NULLS FIRST" : "";
  }

  void LimitOffset(const ast::SelectStmt& s, Out* o) {
    if (s.limit_with_ties) Refuse();
    auto literal = [](const ast::Expr& e) {
      if (e.kind != ast::ExprKind::kConstant || e.const_kind != ast::ConstKind::kInteger) Refuse();
      return e.value_text;
    };
    if (s.offset) {
      Keyword(o, " OFFSET ", -kIndentStd, kIndentStd, 0);
      *o->buf += literal(*s.offset);
    }
    if (s.limit) {
      Keyword(o, " LIMIT ", -kIndentStd, kIndentStd, 0);
      *o->buf += literal(*s.limit);
    }
  }

  // The output names of a set operation: its leftmost SELECT's.
  std::vector<std::string> LeafNames(const ast::SelectStmt& s, const Level* parent) {
    const ast::SelectStmt* leaf = &s;
    while (leaf->set_op != ast::SetOpType::kNone) leaf = leaf->larg.get();
    Binder b(ctx_, parent ? parent->binder : nullptr, parent ? parent->binder : nullptr);
    b.BindFromList(leaf->from);
    b.clause_ = Clause::kSelectList;
    std::vector<SelectTarget> targets;
    b.ExpandTargets(leaf->targets, &targets);
    std::vector<std::string> out;
    for (const SelectTarget& t : targets) out.push_back(t.name);
    return out;
  }

  // PostgreSQL coerces each operand's columns to the set operation's column types inside the
  // operands; printed here only where every operand already has them.
  void SetOpTypes(const ast::SelectStmt& s, const Level* parent) {
    std::vector<const ast::SelectStmt*> leaves;
    std::function<void(const ast::SelectStmt&)> collect = [&](const ast::SelectStmt& n) {
      if (n.set_op == ast::SetOpType::kNone) {
        leaves.push_back(&n);
      } else {
        collect(*n.larg);
        collect(*n.rarg);
      }
    };
    collect(s);
    std::optional<std::vector<Type>> first;
    for (const ast::SelectStmt* leaf : leaves) {
      if (!leaf->values_rows.empty()) Refuse();
      Binder b(ctx_, parent ? parent->binder : nullptr, parent ? parent->binder : nullptr);
      b.BindFromList(leaf->from);
      b.clause_ = Clause::kSelectList;
      std::vector<SelectTarget> targets;
      b.ExpandTargets(leaf->targets, &targets);
      std::vector<Type> types;
      for (const SelectTarget& t : targets) {
        // An unknown literal is text in each operand (PostgreSQL resolves it the same way).
        types.push_back(t.expr->type.id == TypeId::kUnknown ? Type::Of(TypeId::kText)
                                                            : t.expr->type);
      }
      if (!first) {
        first = types;
      } else if (types.size() != first->size()) {
        Refuse();
      } else {
        for (size_t i = 0; i < types.size(); ++i) {
          if (types[i].id != (*first)[i].id || types[i].typmod != (*first)[i].typmod) Refuse();
        }
      }
    }
  }

  // get_setop_query.
  void SetOp(const ast::SelectStmt& s, const Level* parent, Out* o,
             const std::vector<std::string>* names, bool visible,
             const std::set<std::string>* seed) {
    if (s.set_op == ast::SetOpType::kNone) {
      if (!s.order_by.empty() || s.limit || s.offset || s.with) Refuse();
      Query(s, parent, o->buf, o->indent, names, visible, seed);
      return;
    }
    bool paren = false;
    if (s.larg->set_op != ast::SetOpType::kNone) {
      paren = !(s.larg->set_op == s.set_op && s.larg->set_all == s.set_all);
    }
    int sub = 0;
    if (paren) {
      *o->buf += '(';
      sub = kIndentStd;
      Keyword(o, "", sub, 0, 0);
    }
    SetOp(*s.larg, parent, o, names, visible, seed);
    if (paren) {
      Keyword(o, ") ", -sub, 0, 0);
    } else {
      Keyword(o, "", -sub, 0, 0);
    }
    switch (s.set_op) {
      case ast::SetOpType::kUnion:
        *o->buf += "UNION ";
        break;
      case ast::SetOpType::kIntersect:
        *o->buf += "INTERSECT ";
        break;
      default:
        *o->buf += "EXCEPT ";
        break;
    }
    if (s.set_all) *o->buf += "ALL ";
    paren = s.rarg->set_op != ast::SetOpType::kNone;
    sub = 0;
    if (paren) {
      *o->buf += '(';
      sub = kIndentStd;
    }
    Keyword(o, "", sub, 0, 0);
    SetOp(*s.rarg, parent, o, names, false, seed);
    o->indent -= sub;
    if (paren) Keyword(o, ")", 0, 0, 0);
  }

  // get_basic_select_query and the rest of get_select_query_def.
  void Simple(const ast::SelectStmt& s, const Level* parent, Out* o,
              const std::vector<std::string>* names, bool visible,
              const std::set<std::string>* seed) {
    if (!s.values_rows.empty() || !s.distinct_on.empty() || !s.windows.empty() ||
        s.group_distinct) {
      Refuse();
    }
    Binder b(ctx_, parent ? parent->binder : nullptr, parent ? parent->binder : nullptr);
    Level level;
    level.binder = &b;
    level.parent = parent;
    if (seed != nullptr) {
      level.names = *seed;
    } else if (parent != nullptr) {
      level.names = parent->names;
    }
    b.BindFromList(s.from);
    NameRanges(s, &level);

    BoundExprPtr where;
    if (s.where) {
      b.clause_ = Clause::kWhere;
      where = b.BindCondition(*s.where, "WHERE");
    }
    b.clause_ = Clause::kSelectList;
    std::vector<SelectTarget> targets;
    b.ExpandTargets(s.targets, &targets);
    // The AST of each target (null for the columns of a `*`).
    std::vector<const ast::Expr*> target_ast = AlignTargets(s, targets.size());

    b.clause_ = Clause::kGroupBy;
    Binder::GroupBy grouping = b.BindGroupBy(s, targets);
    if (grouping.has_sets) Refuse();
    BoundExprPtr having;
    if (s.having) {
      b.clause_ = Clause::kHaving;
      having = b.BindCondition(*s.having, "HAVING");
    }
    // ORDER BY: an output name or position, else an expression over the FROM row.
    b.clause_ = Clause::kOrderBy;
    std::vector<BoundExprPtr> order;
    for (const ast::SortItem& item : s.order_by) {
      const ast::Expr& e = *item.expr;
      BoundExprPtr key;
      if (e.kind == ast::ExprKind::kConstant && e.const_kind == ast::ConstKind::kInteger) {
        const long pos = std::strtol(e.value_text.c_str(), nullptr, 10);
        if (pos < 1 || pos > static_cast<long>(targets.size())) Refuse();
        key = targets[pos - 1].expr;
      } else if (e.kind == ast::ExprKind::kColumnRef && e.names.size() == 1 && !e.star) {
        for (const SelectTarget& t : targets) {
          if (t.name == e.names[0]) {
            if (key) Refuse();
            key = t.expr;
          }
        }
      }
      if (!key) {
        std::multiset<std::string> calls;
        CheckAst(e, &calls);
        key = b.ResolveUnknown(b.BindExpr(e), e.location);
        CheckCalls(*key, calls, level);
      }
      order.push_back(key);
    }

    // Now print.
    o->indent += kIndentStd;
    *o->buf += ' ';
    *o->buf += "SELECT";
    if (s.distinct) *o->buf += " DISTINCT";
    TargetList(targets, target_ast, level, o, names, visible);
    if (!s.from.empty()) {
      Keyword(o, " FROM ", -kIndentStd, kIndentStd, 2);
      size_t range = 0;
      for (size_t i = 0; i < s.from.size(); ++i) {
        if (i == 0) {
          FromItem(*s.from[i], level, o, &range);
          continue;
        }
        *o->buf += ", ";
        std::string item;
        Out io{&item, o->indent};
        FromItem(*s.from[i], level, &io, &range);
        o->indent = io.indent;
        if (!item.empty() && item[0] == '\n') {
          RemoveTrailingSpaces(o->buf);
        } else {
          Keyword(o, "", -kIndentStd, kIndentStd, kIndentVar);  // wrapColumn 0: always
        }
        *o->buf += item;
      }
      if (range != b.ranges_.size()) Refuse();
    }
    if (where) {
      Keyword(o, " WHERE ", -kIndentStd, kIndentStd, 1);
      *o->buf += Print(s.where.get(), *where, level, o);
    }
    if (!grouping.exprs.empty()) {
      Keyword(o, " GROUP BY ", -kIndentStd, kIndentStd, 1);
      std::multiset<std::string> calls;
      for (const ast::ExprPtr& g : s.group_by) CheckAst(*g, &calls);
      auto all = std::make_shared<BoundExpr>();
      all->kind = BoundExprKind::kAnd;
      all->children = grouping.exprs;
      CheckCalls(*all, calls, level);
      for (size_t i = 0; i < grouping.exprs.size(); ++i) {
        if (i > 0) *o->buf += ", ";
        *o->buf += SortGroupExpr(*grouping.exprs[i], level, o);
      }
    }
    if (having) {
      Keyword(o, " HAVING ", -kIndentStd, kIndentStd, 0);
      *o->buf += Print(s.having.get(), *having, level, o);
    }
    if (!order.empty()) {
      Keyword(o, " ORDER BY ", -kIndentStd, kIndentStd, 1);
      for (size_t i = 0; i < order.size(); ++i) {
        if (i > 0) *o->buf += ", ";
        *o->buf += SortGroupExpr(*order[i], level, o) + SortSuffix(s.order_by[i]);
      }
    }
    LimitOffset(s, o);
  }

  // The AST of each bound target: null for the columns a star expanded to.
  static std::vector<const ast::Expr*> AlignTargets(const ast::SelectStmt& s, size_t count) {
    size_t plain = 0;
    for (const ast::ResultTarget& t : s.targets) {
      if (!(t.expr->kind == ast::ExprKind::kColumnRef && t.expr->star)) ++plain;
    }
    if (plain > count) Refuse();
    size_t stars = 0;
    for (const ast::ResultTarget& t : s.targets) {
      if (t.expr->kind == ast::ExprKind::kColumnRef && t.expr->star) ++stars;
    }
    if (stars > 1) Refuse();  // the split between two stars is not known here
    std::vector<const ast::Expr*> out;
    for (const ast::ResultTarget& t : s.targets) {
      if (t.expr->kind == ast::ExprKind::kColumnRef && t.expr->star) {
        out.insert(out.end(), count - plain, nullptr);
      } else {
        out.push_back(t.expr.get());
      }
    }
    if (out.size() != count) Refuse();
    return out;
  }

  // get_rule_sortgroupclause (not by column number).
  std::string SortGroupExpr(const BoundExpr& e, const Level& level, Out* o) {
    if (e.kind == BoundExprKind::kConstant) Refuse();
    if (e.kind == BoundExprKind::kColumn || e.kind == BoundExprKind::kOuterColumn) {
      return Expr(e, level, o, nullptr);
    }
    const bool paren =
        pretty_ || e.kind == BoundExprKind::kFunction || e.kind == BoundExprKind::kAggregate;
    std::string s = Expr(e, level, o, nullptr);
    return paren ? "(" + s + ")" : s;
  }

  // get_target_list with wrapColumn 0.
  void TargetList(const std::vector<SelectTarget>& targets,
                  const std::vector<const ast::Expr*>& target_ast, const Level& level, Out* o,
                  const std::vector<std::string>* names, bool visible) {
    const char* sep = " ";
    bool last_multiline = false;
    for (size_t i = 0; i < targets.size(); ++i) {
      const SelectTarget& t = targets[i];
      *o->buf += sep;
      sep = ", ";
      BoundExprPtr expr = t.expr;
      if (expr->type.id == TypeId::kUnknown) expr = level.binder->ResolveUnknown(expr, t.location);
      std::string item;
      Out io{&item, o->indent};
      std::string attname;
      const bool var =
          expr->kind == BoundExprKind::kColumn || expr->kind == BoundExprKind::kOuterColumn;
      item = Print(target_ast[i], *expr, level, &io);
      if (var) {
        attname = ColumnName(*expr, level);
      } else if (!visible) {
        attname = "?column?";
      }
      const std::string& colname = names != nullptr && i < names->size() ? (*names)[i] : t.name;
      if (attname.empty() || attname != colname) item += " AS " + QuoteSqlIdentifier(colname);
      if (!item.empty() && item[0] == '\n') {
        RemoveTrailingSpaces(o->buf);
      } else if (i > 0) {
        Keyword(o, "", -kIndentStd, kIndentStd, kIndentVar);
      }
      last_multiline = item.find('\n', item[0] == '\n' ? 1 : 0) != std::string::npos;
      (void)last_multiline;
      *o->buf += item;
    }
  }

  // --- FROM ---

  // Names the ranges of this level (set_rtable_names), walking the FROM clause as BindFromList
  // added them.
  void NameRanges(const ast::SelectStmt& s, Level* level) {
    Binder& b = *level->binder;
    level->refnames.assign(b.ranges_.size(), "");
    std::map<std::string, int> counters;
    for (size_t i = 0; i < b.ranges_.size(); ++i) {
      std::string name = b.ranges_[i].alias;
      if (level->names.count(name) != 0) {
        int& counter = counters[name];
        std::string mod;
        do {
          mod = name + "_" + std::to_string(++counter);
        } while (level->names.count(mod) != 0);
        name = mod;
      }
      level->names.insert(name);
      level->refnames[i] = name;
    }
    (void)s;
  }

  // get_from_clause_item; *range: the index of the next range of this level.
  void FromItem(const ast::TableRef& ref, const Level& level, Out* o, size_t* range) {
    Binder& b = *level.binder;
    switch (ref.kind) {
      case ast::TableRefKind::kTable: {
        if (ref.tablesample || *range >= b.ranges_.size()) Refuse();
        const RangeEntry& r = b.ranges_[*range];
        if (r.alias != ref.alias.value_or(ref.name.name())) Refuse();
        std::shared_ptr<const storage::TableInfo> t =
            r.origin != 0 ? ctx_->catalog->FindRelationByOid(r.origin) : nullptr;
        if (!t || !options_.relation_name) Refuse();
        *o->buf += (ref.only ? "ONLY " : "") + options_.relation_name(*t);
        const std::string& refname = level.refnames[*range];
        if (ref.alias || refname != t->name || !ref.column_aliases.empty()) {
          *o->buf += " " + QuoteSqlIdentifier(refname);
        }
        ColumnAliases(ref, r, o);
        ++*range;
        return;
      }
      case ast::TableRefKind::kSubquery: {
        if (ref.lateral || *range >= b.ranges_.size() || !ref.subquery) Refuse();
        const RangeEntry& r = b.ranges_[*range];
        if (!ref.alias || r.alias != *ref.alias) Refuse();
        *o->buf += '(';
        // A derived table sees the levels above this one, and its names avoid this level's.
        Query(*ref.subquery, level.parent, o->buf, o->indent, nullptr, true, &level.names);
        *o->buf += ") " + QuoteSqlIdentifier(level.refnames[*range]);
        ColumnAliases(ref, r, o);
        ++*range;
        return;
      }
      case ast::TableRefKind::kJoin: {
        if (ref.alias || ref.join_type == ast::JoinType::kFull) Refuse();
        std::vector<std::string> using_columns = ref.using_columns;
        if (ref.natural) {
          // PostgreSQL stores NATURAL as USING the columns both sides have (in the left's
          // order); printed here where both sides are single FROM items.
          auto leaf = [](const ast::TableRef& r) {
            return r.kind == ast::TableRefKind::kTable || r.kind == ast::TableRefKind::kSubquery;
          };
          if (!leaf(*ref.left) || !leaf(*ref.right) || *range + 1 >= b.ranges_.size()) Refuse();
          const RangeEntry& l = b.ranges_[*range];
          const RangeEntry& r = b.ranges_[*range + 1];
          const size_t ln = l.columns.size() - static_cast<size_t>(l.hidden);
          const size_t rn = r.columns.size() - static_cast<size_t>(r.hidden);
          for (size_t i = 0; i < ln; ++i) {
            if (std::find(r.columns.begin(), r.columns.begin() + rn, l.columns[i]) !=
                r.columns.begin() + rn) {
              using_columns.push_back(l.columns[i]);
            }
          }
          if (using_columns.empty()) Refuse();
        }
        const bool paren_right = pretty_ && ref.right->kind != ast::TableRefKind::kTable &&
                                 ref.right->kind != ast::TableRefKind::kSubquery;
        if (!pretty_) *o->buf += '(';
        FromItem(*ref.left, level, o, range);
        switch (ref.join_type) {
          case ast::JoinType::kInner:
            Keyword(o, ref.join_condition || !using_columns.empty() ? " JOIN " : " CROSS JOIN ",
                    -kIndentStd, kIndentStd, kIndentJoin);
            break;
          case ast::JoinType::kCross:
            Keyword(o, " CROSS JOIN ", -kIndentStd, kIndentStd, kIndentJoin);
            break;
          case ast::JoinType::kLeft:
            Keyword(o, " LEFT JOIN ", -kIndentStd, kIndentStd, kIndentJoin);
            break;
          case ast::JoinType::kRight:
            Keyword(o, " RIGHT JOIN ", -kIndentStd, kIndentStd, kIndentJoin);
            break;
          default:
            Refuse();
        }
        if (paren_right) *o->buf += '(';
        FromItem(*ref.right, level, o, range);
        if (paren_right) *o->buf += ')';
        if (!using_columns.empty()) {
          *o->buf += " USING (";
          for (size_t i = 0; i < using_columns.size(); ++i) {
            if (i > 0) *o->buf += ", ";
            *o->buf += QuoteSqlIdentifier(using_columns[i]);
          }
          *o->buf += ')';
        } else if (ref.join_condition) {
          // Bound as the binder binds ON (the whole FROM clause in scope: a name that the ON
          // clause could not see would have failed at CREATE VIEW).
          Clause saved = b.clause_;
          b.clause_ = Clause::kJoinOn;
          BoundExprPtr on = b.BindCondition(*ref.join_condition, "JOIN/ON");
          b.clause_ = saved;
          *o->buf += " ON ";
          if (!pretty_) *o->buf += '(';
          *o->buf += Print(ref.join_condition.get(), *on, level, o);
          if (!pretty_) *o->buf += ')';
        } else if (ref.join_type != ast::JoinType::kInner &&
                   ref.join_type != ast::JoinType::kCross) {
          *o->buf += " ON TRUE";
        }
        if (!pretty_) *o->buf += ')';
        return;
      }
      default:
        Refuse();
    }
  }

  // get_column_alias_list: every column's name once the FROM item renames any.
  void ColumnAliases(const ast::TableRef& ref, const RangeEntry& r, Out* o) {
    if (ref.column_aliases.empty()) return;
    *o->buf += '(';
    const size_t n = r.columns.size() - static_cast<size_t>(r.hidden);
    for (size_t i = 0; i < n; ++i) {
      if (i > 0) *o->buf += ", ";
      *o->buf += QuoteSqlIdentifier(r.columns[i]);
    }
    *o->buf += ')';
  }

  // --- expressions ---

  // The functions and aggregates a bound expression calls must be the ones its text calls (the
  // binder inlines SQL functions and renames some built-ins it implements differently).
  void CheckCalls(const BoundExpr& e, const std::multiset<std::string>& ast_calls,
                  const Level& level) {
    std::multiset<std::string> bound;
    std::function<void(const BoundExpr&)> walk = [&](const BoundExpr& n) {
      if (n.kind == BoundExprKind::kFunction) {
        if (n.user_function || n.relation) Refuse();
        bound.insert(n.op);
      } else if (n.kind == BoundExprKind::kAggregate) {
        const auto& aggs = level.binder->aggregates_;
        if (n.column_index < 0 || n.column_index >= static_cast<int>(aggs.size())) Refuse();
        const char* name = AggregateName(aggs[n.column_index].kind);
        if (name == nullptr) Refuse();
        bound.insert(name);
        for (const auto& a : aggs[n.column_index].args) walk(*a);
        if (aggs[n.column_index].filter) Refuse();
      }
      for (const auto& c : n.children) {
        if (c) walk(*c);
      }
    };
    walk(e);
    // Each distinct name both ways (the binder may evaluate an argument twice, BETWEEN).
    std::set<std::string> a(ast_calls.begin(), ast_calls.end());
    std::set<std::string> b(bound.begin(), bound.end());
    if (a != b) Refuse();
  }

  // The FROM-row column a column reference reads (an outer one at its level), and that level.
  const RowColumn& ColumnOf(const BoundExpr& e, const Level& level, const Level** at) const {
    const Level* l = &level;
    for (int d = e.kind == BoundExprKind::kOuterColumn ? e.outer_depth : 0; d > 0; --d) {
      l = l->parent;
      if (l == nullptr) Refuse();
    }
    const auto& row = l->binder->row_;
    if (e.column_index < 0 || e.column_index >= static_cast<int>(row.size())) Refuse();
    *at = l;
    return row[e.column_index];
  }

  std::string ColumnName(const BoundExpr& e, const Level& level) const {
    const Level* l = nullptr;
    return ColumnOf(e, level, &l).name;
  }

  std::string Column(const BoundExpr& e, const Level& level) const {
    const Level* l = nullptr;
    const RowColumn& c = ColumnOf(e, level, &l);
    if (!qualify_) return QuoteSqlIdentifier(c.name);
    if (c.range_index < 0 || c.range_index >= static_cast<int>(l->refnames.size())) Refuse();
    return QuoteSqlIdentifier(l->refnames[c.range_index]) + "." + QuoteSqlIdentifier(c.name);
  }

  static NodeClass ClassOf(const BoundExpr& e) {
    switch (e.kind) {
      case BoundExprKind::kArith:
      case BoundExprKind::kCompare:
      case BoundExprKind::kConcat:
      case BoundExprKind::kLike:
      case BoundExprKind::kNegate:
        return NodeClass::kOp;
      case BoundExprKind::kInList:
        return e.children.size() == 2 ? NodeClass::kOp : NodeClass::kArrayOp;
      case BoundExprKind::kArrayAnyAll:
        return NodeClass::kArrayOp;
      case BoundExprKind::kIsNull:
      case BoundExprKind::kIsBool:
      case BoundExprKind::kSubquery:
      case BoundExprKind::kExists:
      case BoundExprKind::kInSubquery:
        return NodeClass::kTest;
      case BoundExprKind::kIsDistinct:
        return e.negated ? NodeClass::kBool : NodeClass::kTest;
      case BoundExprKind::kAnd:
      case BoundExprKind::kOr:
      case BoundExprKind::kNot:
        return NodeClass::kBool;
      case BoundExprKind::kCast:
        return NodeClass::kCast;
      default:
        return NodeClass::kSimple;
    }
  }

  static std::string BinaryOp(const BoundExpr& e) {
    switch (e.kind) {
      case BoundExprKind::kArith:
      case BoundExprKind::kCompare:
        return e.op;
      case BoundExprKind::kConcat:
        return "||";
      case BoundExprKind::kLike:
        if (e.op == "ILIKE") return e.negated ? "!~~*" : "~~*";
        return e.negated ? "!~~" : "~~";
      case BoundExprKind::kInList:
        return e.negated ? "<>" : "=";
      default:
        return "";
    }
  }

  // isSimpleNode(child, parent) under PRETTYFLAG_PAREN. `first`: child is the parent
  // operator's left operand.
  static bool IsSimple(const BoundExpr& e, const BoundExpr& parent, bool first) {
    const NodeClass pc = ClassOf(parent);
    switch (ClassOf(e)) {
      case NodeClass::kSimple:
        return true;
      case NodeClass::kCast:
        return true;
      case NodeClass::kOp:
        if (pc == NodeClass::kOp) {
          const std::string op = e.kind == BoundExprKind::kNegate ? "" : BinaryOp(e);
          const std::string pop = parent.kind == BoundExprKind::kNegate ? "" : BinaryOp(parent);
          return ArithmeticOperandNeedsParens(op, pop, first).value_or(false);
        }
        [[fallthrough]];
      case NodeClass::kTest:
        return pc == NodeClass::kBool && parent.kind != BoundExprKind::kIsDistinct;
      case NodeClass::kBool: {
        if (pc != NodeClass::kBool || parent.kind == BoundExprKind::kIsDistinct) return false;
        const bool is_not = e.kind == BoundExprKind::kNot || e.kind == BoundExprKind::kIsDistinct;
        if (is_not || e.kind == BoundExprKind::kAnd) {
          return parent.kind == BoundExprKind::kAnd || parent.kind == BoundExprKind::kOr;
        }
        return parent.kind == BoundExprKind::kOr;
      }
      default:
        return false;
    }
  }

  // get_rule_expr_paren.
  std::string Child(const BoundExpr& e, const BoundExpr& parent, bool first, const Level& level,
                    Out* o) {
    std::string s = Expr(e, level, o, &parent);
    if (pretty_ && !IsSimple(e, parent, first)) return "(" + s + ")";
    return s;
  }

  std::string Paren(const std::string& s) const { return pretty_ ? s : "(" + s + ")"; }

  // `e` coerced to `to` the way PostgreSQL's parser leaves it: a literal's constant retyped
  // (an unknown literal becomes a constant of the type), anything else under a cast node.
  static BoundExprPtr CoerceNode(const BoundExprPtr& e, Type to) {
    if (e->type.id == to.id && e->type.typmod == to.typmod) return e;
    auto n = std::make_shared<BoundExpr>();
    if (e->kind == BoundExprKind::kConstant && e->op.empty() &&
        (e->type.id == TypeId::kVarchar || e->type.id == TypeId::kUnknown) &&
        to.id == TypeId::kText) {
      *n = *e;
      n->type = to;
      n->value.type = to;
      return n;
    }
    n->kind = BoundExprKind::kCast;
    n->type = to;
    n->children = {e};
    return n;
  }

  // PostgreSQL's operator resolution for l op r: the operands as its chosen operator takes them
  // (varchar reads as text; an integer with numeric as numeric; with float8 as float8). Refuses
  // mixes it does not know.
  static std::pair<BoundExprPtr, BoundExprPtr> OperatorOperands(const BoundExpr& e) {
    BoundExprPtr l = e.children[0], r = e.children[1];
    // A cast the binder adds where PostgreSQL has a cross-type operator (int4 = int8,
    // float4 < float8, bpchar with text) cannot be told from one written in the query.
    for (const BoundExprPtr& c : {l, r}) {
      if (c->kind != BoundExprKind::kCast) continue;
      const TypeId from = c->children[0]->type.id, to = c->type.id;
      if ((IsIntegerType(from) && IsIntegerType(to)) ||
          (from == TypeId::kFloat32 && to == TypeId::kFloat64) || from == TypeId::kBpchar ||
          to == TypeId::kBpchar || from == TypeId::kName || to == TypeId::kName) {
        Refuse();
      }
    }
    const TypeId lt = l->type.id, rt = r->type.id;
    auto stringish = [](TypeId t) {
      return t == TypeId::kText || t == TypeId::kVarchar || t == TypeId::kUnknown;
    };
    if (lt == TypeId::kVarchar || rt == TypeId::kVarchar) {
      if (!stringish(lt) || !stringish(rt)) Refuse();
      return {CoerceNode(l, Type::Of(TypeId::kText)), CoerceNode(r, Type::Of(TypeId::kText))};
    }
    if (lt == rt) return {l, r};
    auto integer = [](TypeId t) { return IsIntegerType(t); };
    if (integer(lt) && integer(rt)) return {l, r};
    if ((lt == TypeId::kFloat32 || lt == TypeId::kFloat64) &&
        (rt == TypeId::kFloat32 || rt == TypeId::kFloat64)) {
      return {l, r};
    }
    const Type numeric = Type::Of(TypeId::kNumeric);
    const Type float8 = Type::Of(TypeId::kFloat64);
    if (lt == TypeId::kNumeric && integer(rt)) return {l, CoerceNode(r, numeric)};
    if (rt == TypeId::kNumeric && integer(lt)) return {CoerceNode(l, numeric), r};
    if (lt == TypeId::kFloat64 && (integer(rt) || rt == TypeId::kNumeric)) {
      return {l, CoerceNode(r, float8)};
    }
    if (rt == TypeId::kFloat64 && (integer(lt) || lt == TypeId::kNumeric)) {
      return {CoerceNode(l, float8), r};
    }
    if (e.kind == BoundExprKind::kArith && !IsNumericType(lt) && !IsNumericType(rt)) {
      return {l, r};  // date + integer, timestamp - interval ...: operators of their own
    }
    if (e.kind == BoundExprKind::kCompare && !IsNumericType(lt) && !IsNumericType(rt) &&
        lt != TypeId::kBpchar && rt != TypeId::kBpchar && lt != TypeId::kUnknown &&
        rt != TypeId::kUnknown) {
      return {l, r};  // date < timestamp ...: cross-type comparisons of their own
    }
    Refuse();
  }

  // A function's argument: varchar reads as text (PostgreSQL's string functions take text).
  static BoundExprPtr FunctionArg(const BoundExprPtr& a) {
    if (a->type.id == TypeId::kBpchar) Refuse();
    // bpchar read as text: PostgreSQL has bpchar functions of their own (length).
    if (a->kind == BoundExprKind::kCast && a->children[0]->type.id == TypeId::kBpchar) Refuse();
    if (a->type.id == TypeId::kVarchar) return CoerceNode(a, Type::Of(TypeId::kText));
    return a;
  }

  // An arm of COALESCE, CASE, GREATEST, LEAST, NULLIF: PostgreSQL coerces the arms to the
  // common type without its typmod.
  static BoundExprPtr Arm(const BoundExprPtr& a) {
    if (a->type.typmod < 0) return a;
    if (a->kind == BoundExprKind::kCast) {
      auto n = std::make_shared<BoundExpr>(*a);
      n->type.typmod = -1;
      return n;
    }
    if (a->kind == BoundExprKind::kConstant && a->op.rfind(kFoldedCastPrefix, 0) == 0) {
      auto n = std::make_shared<BoundExpr>(*a);
      n->type.typmod = -1;
      return n;
    }
    return a;
  }

  // a + b where b may start a new line (CASE): appendContextKeyword removes the spaces before it.
  static std::string Cat(std::string a, const std::string& b) {
    if (!b.empty() && b[0] == '\n') RemoveTrailingSpaces(&a);
    return a + b;
  }

  // The text of a child written after `prefix` into the output so far (CASE needs the output
  // position for its line breaks): Expr appends nothing itself, it returns the text.
  std::string Expr(const BoundExpr& e, const Level& level, Out* o, const BoundExpr* parent) {
    (void)parent;
    switch (e.kind) {
      case BoundExprKind::kConstant:
        if (e.op.rfind(kFoldedCastPrefix, 0) == 0) {
          const std::string arg = e.op.substr(std::string_view(kFoldedCastPrefix).size());
          return (pretty_ ? arg : "(" + arg + ")") + "::" + CastTypeSqlName(e.type);
        }
        if (!e.op.empty()) Refuse();
        return ConstantSqlText(e.value, e.type, ctx_->format);
      case BoundExprKind::kColumn:
      case BoundExprKind::kOuterColumn:
        return Column(e, level);
      case BoundExprKind::kCast: {
        const BoundExpr& arg = *e.children[0];
        if (arg.kind == BoundExprKind::kConstant && arg.type.id == TypeId::kUnknown) Refuse();
        std::string a = Child(arg, e, true, level, o);
        if (!pretty_) a = "(" + a + ")";
        return a + "::" + CastTypeSqlName(e.type);
      }
      case BoundExprKind::kNegate:
        return Paren("- " + Child(*e.children[0], e, true, level, o));
      case BoundExprKind::kArith:
      case BoundExprKind::kCompare:
      case BoundExprKind::kConcat:
      case BoundExprKind::kLike: {
        if (e.children.size() != 2) Refuse();
        if (e.kind == BoundExprKind::kConcat) {
          // text || anynonarray takes the other operand as it is: a cast here is the binder's.
          for (const auto& c : e.children) {
            if (c->kind == BoundExprKind::kCast && c->children[0]->type.id != TypeId::kVarchar &&
                c->children[0]->type.id != TypeId::kText) {
              Refuse();
            }
          }
        }
        auto [l, r] = OperatorOperands(e);
        return Paren(Cat(Child(*l, e, true, level, o) + " " + BinaryOp(e) + " ",
                         Child(*r, e, false, level, o)));
      }
      case BoundExprKind::kAnd:
      case BoundExprKind::kOr: {
        std::string s;
        for (size_t i = 0; i < e.children.size(); ++i) {
          if (i > 0) s += e.kind == BoundExprKind::kAnd ? " AND " : " OR ";
          s = Cat(s, Child(*e.children[i], e, i == 0, level, o));
        }
        return Paren(s);
      }
      case BoundExprKind::kNot:
        return Paren("NOT " + Child(*e.children[0], e, true, level, o));
      case BoundExprKind::kIsNull:
        return Paren(Child(*e.children[0], e, true, level, o) +
                     (e.negated ? " IS NOT NULL" : " IS NULL"));
      case BoundExprKind::kIsBool:
        return Paren(Child(*e.children[0], e, true, level, o) + (e.negated ? " IS NOT " : " IS ") +
                     e.op);
      case BoundExprKind::kIsDistinct: {
        // IS NOT DISTINCT FROM is NOT over IS DISTINCT FROM in PostgreSQL 15.
        BoundExpr distinct = e;
        distinct.negated = false;
        auto [l, r] = OperatorOperands(e);
        std::string inner = Paren(Child(*l, distinct, true, level, o) + " IS DISTINCT FROM " +
                                  Child(*r, distinct, false, level, o));
        if (!e.negated) return inner;
        BoundExpr not_node;
        not_node.kind = BoundExprKind::kNot;
        if (pretty_ && !IsSimple(distinct, not_node, true)) inner = "(" + inner + ")";
        return Paren("NOT " + inner);
      }
      case BoundExprKind::kInList: {
        for (const auto& c : e.children) {
          if (c->type.id == TypeId::kVarchar || c->type.id == TypeId::kBpchar) Refuse();
        }
        if (e.children.size() == 2) {
          return Paren(Child(*e.children[0], e, true, level, o) + " " + BinaryOp(e) + " " +
                       Child(*e.children[1], e, false, level, o));
        }
        std::string items;
        for (size_t i = 1; i < e.children.size(); ++i) {
          if (i > 1) items += ", ";
          items += Expr(*e.children[i], level, o, &e);
        }
        return Paren(Child(*e.children[0], e, true, level, o) +
                     (e.negated ? " <> ALL (ARRAY[" : " = ANY (ARRAY[") + items + "])");
      }
      case BoundExprKind::kFunction: {
        // PostgreSQL's SQL value functions (CURRENT_DATE ...) print as their keywords.
        static const std::map<std::string, std::string> kKeywords = {
            {"current_date", "CURRENT_DATE"},
            {"current_time", "CURRENT_TIME"},
            {"current_timestamp", "CURRENT_TIMESTAMP"},
            {"localtime", "LOCALTIME"},
            {"localtimestamp", "LOCALTIMESTAMP"},
            {"current_user", "CURRENT_USER"},
            {"current_role", "CURRENT_ROLE"},
            {"session_user", "SESSION_USER"},
            {"user", "USER"},
            {"current_catalog", "CURRENT_CATALOG"},
        };
        if (auto it = kKeywords.find(e.op); it != kKeywords.end()) {
          if (!e.children.empty()) Refuse();  // CURRENT_TIMESTAMP(3)
          return it->second;
        }
        // timezone(zone, value) prints as AT TIME ZONE, in parentheses (ruleutils.c).
        if (e.op == "timezone" && e.children.size() == 2) {
          return "(" + Expr(*FunctionArg(e.children[1]), level, o, &e) + " AT TIME ZONE " +
                 Expr(*FunctionArg(e.children[0]), level, o, &e) + ")";
        }
        std::string s = QuoteSqlIdentifier(e.op) + "(";
        for (size_t i = 0; i < e.children.size(); ++i) {
          if (i > 0) s += ", ";
          s += Expr(*FunctionArg(e.children[i]), level, o, &e);
        }
        return s + ")";
      }
      case BoundExprKind::kAggregate: {
        const AggregateSpec& spec = level.binder->aggregates_.at(e.column_index);
        std::string s = std::string(AggregateName(spec.kind)) + "(";
        if (spec.kind == AggKind::kCountStar) return s + "*)";
        if (spec.distinct) s += "DISTINCT ";
        for (size_t i = 0; i < spec.args.size(); ++i) {
          if (i > 0) s += ", ";
          // count takes "any"; the others read varchar as text.
          const BoundExprPtr& arg = spec.args[i];
          s += Expr(spec.kind == AggKind::kCount ? *arg : *FunctionArg(arg), level, o, &e);
        }
        return s + ")";
      }
      case BoundExprKind::kCase: {
        // Written into the output as it goes: its keywords start lines at the current indent.
        std::string s;
        Out co{&s, o->indent, o->subs};
        Keyword(&co, "CASE", 0, kIndentVar, 0);
        const size_t n = e.children.size() - (e.has_else ? 1 : 0);
        for (size_t i = 0; i + 1 < n; i += 2) {
          Keyword(&co, "WHEN ", 0, 0, 0);
          s = Cat(s, Expr(*e.children[i], level, &co, &e));
          s += " THEN ";
          s = Cat(s, Expr(*Arm(e.children[i + 1]), level, &co, &e));
        }
        Keyword(&co, "ELSE ", 0, 0, 0);
        if (e.has_else) {
          s += Expr(*Arm(e.children.back()), level, &co, &e);
        } else {
          s += "NULL::" + CastTypeSqlName(Type{e.type.id, -1});
        }
        Keyword(&co, "END", -kIndentVar, 0, 0);
        return s;
      }
      case BoundExprKind::kCoalesce:
      case BoundExprKind::kGreatest:
      case BoundExprKind::kLeast:
      case BoundExprKind::kNullIf: {
        std::string s = ConditionalCallOpening(e.kind);
        for (size_t i = 0; i < e.children.size(); ++i) {
          if (i > 0) s += ", ";
          s += Expr(*Arm(e.children[i]), level, o, &e);
        }
        return s + ")";
      }
      case BoundExprKind::kExists:
      case BoundExprKind::kSubquery:
      case BoundExprKind::kInSubquery:
        return Sublink(e, level, o);
      default:
        Refuse();
    }
  }

  // Subqueries in expressions are printed from their text (the bound form keeps only a plan):
  // the AST subqueries of the expression being printed, in order.
  // get_sublink_expr (NOT EXISTS, NOT IN: NOT over the sublink, as PostgreSQL stores them).
  std::string Sublink(const BoundExpr& e, const Level& level, Out* o) {
    if (o->subs == nullptr || o->subs->next >= o->subs->queries.size() || e.row_compare) Refuse();
    const ast::SelectStmt& query = *o->subs->queries[o->subs->next++];
    std::string s = "(";
    bool paren = true;
    switch (e.kind) {
      case BoundExprKind::kExists:
        s += "EXISTS ";
        break;
      case BoundExprKind::kInSubquery:
        if (e.children.size() != 1) Refuse();
        s += Expr(*e.children[0], level, o, &e);
        if (e.op == "=" && !e.sublink_all) {
          s += " IN ";
        } else {
          s += " " + e.op + (e.sublink_all ? " ALL " : " ANY ");
        }
        break;
      default:
        if (e.op == "array") Refuse();
        paren = false;
        break;
    }
    if (paren) s += "(";
    Query(query, &level, &s, o->indent, nullptr, false);
    s += paren ? "))" : ")";
    const bool negated = e.kind != BoundExprKind::kSubquery && e.negated;
    if (!negated) return s;
    return Paren("NOT " + s);
  }

  PlannerContext* ctx_;
  const ViewDefOptions& options_;
  bool pretty_;
  bool qualify_ = true;  // columns as range.column (a view's query), else bare (pg_get_expr)
};

std::optional<std::string> DeparseViewQuery(const std::string& sql, PlannerContext& ctx,
                                            const ViewDefOptions& options) {
  try {
    std::unique_ptr<ast::SelectStmt> s = ParseSelect(sql);
    ViewDeparser d(&ctx, options);
    return d.Top(*s);
  } catch (const Unsupported&) {
    return std::nullopt;
  } catch (const Error&) {
    // The query no longer binds as it did (a function it calls was dropped, ...): its text.
    return std::nullopt;
  }
}

std::optional<std::string> DeparseExpression(const std::string& sql,
                                             std::shared_ptr<const storage::TableInfo> table,
                                             PlannerContext& ctx, bool pretty) {
  try {
    std::unique_ptr<ast::SelectStmt> s = ParseSelect("SELECT " + sql);
    if (s->targets.size() != 1 || !s->from.empty() || s->where ||
        s->set_op != ast::SetOpType::kNone) {
      return std::nullopt;
    }
    ViewDefOptions options;
    options.pretty = pretty;
    ViewDeparser d(&ctx, options);
    return d.Standalone(*s->targets[0].expr, std::move(table));
  } catch (const Unsupported&) {
    return std::nullopt;
  } catch (const Error&) {
    return std::nullopt;
  }
}

}  // namespace activestore::planner
