// Expressions, types and names.
#include <limits>
#include <utility>

#include "parser/ast_builder.h"
#include "parser/literals.h"

namespace activestore::parser {

using antlr4::Token;
using antlr4::tree::ParseTree;
using antlr4::tree::TerminalNode;
using P = grammar::SqlParser;
using ast::Expr;
using ast::ExprKind;
using ast::ExprPtr;

namespace {

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

ExprPtr MakeExpr(ExprKind kind, int location) { return std::make_unique<Expr>(kind, location); }

ExprPtr MakeBinary(std::string op, ExprPtr l, ExprPtr r, int location) {
  ExprPtr e = MakeExpr(ExprKind::kBinaryOp, location);
  e->op = std::move(op);
  e->args.push_back(std::move(l));
  e->args.push_back(std::move(r));
  return e;
}

ExprPtr MakeStringConst(std::string value, int location) {
  ExprPtr e = MakeExpr(ExprKind::kConstant, location);
  e->const_kind = ast::ConstKind::kString;
  e->value_text = std::move(value);
  return e;
}

ExprPtr MakeFunc(std::string name, std::vector<ExprPtr> args, int location) {
  ExprPtr e = MakeExpr(ExprKind::kFuncCall, location);
  e->names.push_back(std::move(name));
  e->args = std::move(args);
  return e;
}

// Applies unary minus to a numeric constant as PostgreSQL's doNegate() does.
void NegateConstant(Expr* e) {
  if (!e->value_text.empty() && e->value_text[0] == '-') {
    e->value_text.erase(0, 1);
  } else {
    e->value_text.insert(0, 1, '-');
  }
  if (e->const_kind == ast::ConstKind::kInteger ||
      e->value_text.find_first_of(".eE") == std::string::npos) {
    bool negative = e->value_text[0] == '-';
    e->const_kind =
        ClassifyInteger(std::string_view(e->value_text).substr(negative ? 1 : 0), negative);
  }
}

}  // namespace

// ---- names ---------------------------------------------------------------------------------

std::string AstBuilder::TokenName(Token* t) const {
  if (t->getType() == P::UIDENT) {  // U&"..." [UESCAPE 'c']: case kept, truncated
    std::string name = UnescapeUString(t->getText(), static_cast<int>(t->getStartIndex()) + 1);
    if (name.empty()) {
      Fail(SqlState::kSyntaxError, t, "zero-length delimited identifier at or near \"\"\"\"");
    }
    if (name.size() > kMaxIdentifierBytes) {
      size_t cut = kMaxIdentifierBytes;
      while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
      name.resize(cut);
    }
    return name;
  }
  if (t->getType() == P::QUOTED_IDENT) {
    std::string name = UnquoteIdentifier(t->getText());
    if (name.empty()) {
      Fail(SqlState::kSyntaxError, t, "zero-length delimited identifier at or near \"\"\"\"");
    }
    return name;
  }
  return NormalizeIdentifier(t->getText());
}

std::string AstBuilder::Name(antlr4::ParserRuleContext* c) const {
  return TokenName(c->getStart());
}

ast::QualifiedName AstBuilder::QualName(antlr4::ParserRuleContext* c) const {
  ast::QualifiedName q;
  q.location = Loc(c);
  for (ParseTree* ch : c->children) {
    if (auto* r = dynamic_cast<antlr4::ParserRuleContext*>(ch)) {
      if (dynamic_cast<P::TypeModifiersContext*>(r) != nullptr) continue;
      q.parts.push_back(Name(r));
    }
  }
  return q;
}

std::vector<std::string> AstBuilder::Names(P::NameListContext* c) const {
  std::vector<std::string> out;
  for (P::ColIdContext* id : c->colId()) out.push_back(Name(id));
  return out;
}

// ---- expressions ---------------------------------------------------------------------------

ExprPtr AstBuilder::Expr(P::ExprContext* c) {
  DepthGuard guard(this, c);
  return Or(static_cast<P::OrExprContext*>(c->children[0]));
}

ExprPtr AstBuilder::ValuesItem(P::ValuesItemContext* c) {
  if (c->DEFAULT() != nullptr) return MakeExpr(ExprKind::kDefault, Loc(c));
  return Expr(c->expr());
}

std::vector<ExprPtr> AstBuilder::ExprList(P::ExprListContext* c) {
  std::vector<ExprPtr> out;
  for (P::ExprContext* e : c->expr()) out.push_back(Expr(e));
  return out;
}

// Each level below first handles the common case of a single operand without ANTLR's accessors,
// which search the children with dynamic_cast.

ExprPtr AstBuilder::Or(P::OrExprContext* c) {
  if (c->children.size() == 1) return And(static_cast<P::AndExprContext*>(c->children[0]));
  std::vector<P::AndExprContext*> parts = c->andExpr();
  ExprPtr e = And(parts[0]);
  DepthGuard guard(this, c, static_cast<int>(parts.size()) - 1);
  for (size_t i = 1; i < parts.size(); ++i) {
    e = MakeBinary("OR", std::move(e), And(parts[i]), Loc(c->OR(i - 1)));
  }
  return e;
}

ExprPtr AstBuilder::And(P::AndExprContext* c) {
  if (c->children.size() == 1) return Not(static_cast<P::NotExprContext*>(c->children[0]));
  std::vector<P::NotExprContext*> parts = c->notExpr();
  ExprPtr e = Not(parts[0]);
  DepthGuard guard(this, c, static_cast<int>(parts.size()) - 1);
  for (size_t i = 1; i < parts.size(); ++i) {
    e = MakeBinary("AND", std::move(e), Not(parts[i]), Loc(c->AND(i - 1)));
  }
  return e;
}

ExprPtr AstBuilder::Not(P::NotExprContext* c) {
  if (c->children.size() == 1) return Is(static_cast<P::IsExprContext*>(c->children[0]));
  std::vector<TerminalNode*> nots = c->NOT();
  DepthGuard guard(this, c, static_cast<int>(nots.size()));
  ExprPtr e = Is(c->isExpr());
  for (size_t i = nots.size(); i-- > 0;) {
    ExprPtr n = MakeExpr(ExprKind::kUnaryOp, Loc(nots[i]));
    n->op = "NOT";
    n->args.push_back(std::move(e));
    e = std::move(n);
  }
  return e;
}

ExprPtr AstBuilder::Is(P::IsExprContext* c) {
  if (c->children.size() == 1) {
    return Comparison(static_cast<P::ComparisonExprContext*>(c->children[0]));
  }
  ExprPtr e = Comparison(c->comparisonExpr());
  std::vector<P::IsSuffixContext*> suffixes = c->isSuffix();
  DepthGuard guard(this, c, static_cast<int>(suffixes.size()));
  for (P::IsSuffixContext* s : suffixes) {
    const int loc = Loc(s);
    ExprPtr n;
    if (s->ISNULL() != nullptr || s->NOTNULL() != nullptr) {
      n = MakeExpr(ExprKind::kIsNull, loc);
      n->negated = s->NOTNULL() != nullptr;
    } else if (s->NULL_P() != nullptr) {
      n = MakeExpr(ExprKind::kIsNull, loc);
      n->negated = s->NOT() != nullptr;
    } else if (s->DISTINCT() != nullptr) {
      n = MakeExpr(ExprKind::kIsDistinct, loc);
      n->negated = s->NOT() != nullptr;
      n->args.push_back(std::move(e));
      e = Comparison(s->comparisonExpr());
    } else {
      n = MakeExpr(ExprKind::kIsBool, loc);
      n->negated = s->NOT() != nullptr;
      n->op = s->TRUE_P() != nullptr ? "TRUE" : s->FALSE_P() != nullptr ? "FALSE" : "UNKNOWN";
    }
    n->args.push_back(std::move(e));
    e = std::move(n);
  }
  return e;
}

ExprPtr AstBuilder::Comparison(P::ComparisonExprContext* c) {
  if (c->children.size() == 1) {
    return Predicate(static_cast<P::PredicateExprContext*>(c->children[0]));
  }
  std::vector<P::PredicateExprContext*> preds = c->predicateExpr();
  ExprPtr left = Predicate(preds[0]);
  P::ComparisonOpContext* op = c->comparisonOp();
  if (op == nullptr) return left;
  std::string o = op->getText();
  if (o == "!=") o = "<>";
  if (P::QuantifiedOperandContext* q = c->quantifiedOperand()) {
    ExprPtr n = MakeExpr(ExprKind::kAnyAll, Loc(op));
    n->op = o;
    n->sublink_all = q->ALL() != nullptr;
    n->args.push_back(std::move(left));
    if (q->selectStatement() != nullptr) {
      n->subquery = Select(q->selectStatement());
    } else {
      n->args.push_back(Expr(q->expr()));
    }
    return n;
  }
  ExprPtr right;
  if (P::NegatedOperandContext* n = c->negatedOperand()) {
    right = MakeExpr(ExprKind::kUnaryOp, Loc(n));
    right->op = "NOT";
    right->args.push_back(Not(n->notExpr()));
  } else {
    right = Predicate(preds[1]);
  }
  return MakeBinary(o, std::move(left), std::move(right), Loc(op));
}

ExprPtr AstBuilder::Predicate(P::PredicateExprContext* c) {
  if (c->children.size() == 1) {
    return OtherOp(static_cast<P::OtherOpExprContext*>(c->children[0]));
  }
  std::vector<P::OtherOpExprContext*> ops = c->otherOpExpr();
  ExprPtr e = OtherOp(ops[0]);
  if (c->children.size() == 1) return e;
  const bool negated = c->NOT() != nullptr;
  const int loc = Loc(TokenOf(c->children[1]));
  if (c->BETWEEN() != nullptr) {
    ExprPtr n = MakeExpr(ExprKind::kBetween, loc);
    n->negated = negated;
    n->symmetric = c->SYMMETRIC() != nullptr;
    n->args.push_back(std::move(e));
    n->args.push_back(OtherOp(ops[1]));
    n->args.push_back(OtherOp(ops[2]));
    return n;
  }
  if (c->IN() != nullptr) {
    if (c->selectStatement() != nullptr) {
      ExprPtr n = MakeExpr(ExprKind::kInSubquery, loc);
      n->negated = negated;
      n->args.push_back(std::move(e));
      n->subquery = Select(c->selectStatement());
      return n;
    }
    ExprPtr n = MakeExpr(ExprKind::kInList, loc);
    n->negated = negated;
    n->args.push_back(std::move(e));
    for (ExprPtr& item : ExprList(c->exprList())) n->args.push_back(std::move(item));
    return n;
  }
  if (c->OVERLAPS() != nullptr) {
    // (s1, e1) OVERLAPS (s2, e2) is overlaps(s1, e1, s2, e2); each side must be a row of two.
    ExprPtr right = OtherOp(ops[1]);
    for (auto [side, row, at] : {std::tuple{"left", e.get(), ops[0]->getStart()},
                                 std::tuple{"right", right.get(), ops[1]->getStart()}}) {
      if (row->kind != ExprKind::kRow) {
        Fail(SqlState::kSyntaxError, c->OVERLAPS()->getSymbol(),
             "syntax error at or near \"OVERLAPS\"");
      }
      if (row->args.size() != 2) {
        Fail(SqlState::kSyntaxError, at,
             fmt::format("wrong number of parameters on {} side of OVERLAPS expression", side));
      }
    }
    std::vector<ExprPtr> args;
    for (ExprPtr* row : {&e, &right}) {
      for (ExprPtr& x : (*row)->args) args.push_back(std::move(x));
    }
    return MakeFunc("overlaps", std::move(args), loc);
  }
  std::string op = c->LIKE() != nullptr ? "LIKE" : c->ILIKE() != nullptr ? "ILIKE" : "SIMILAR TO";
  if (negated) op = "NOT " + op;
  if (P::QuantifiedOperandContext* q = c->quantifiedOperand()) {  // x LIKE ANY (array)
    ExprPtr n = MakeExpr(ExprKind::kAnyAll, loc);
    n->op = std::move(op);
    n->sublink_all = q->ALL() != nullptr;
    n->args.push_back(std::move(e));
    if (q->selectStatement() != nullptr) {
      Unsupported(TokenOf(c->children[1]), "LIKE ANY/ALL (subquery) is not supported");
    }
    n->args.push_back(Expr(q->expr()));
    return n;
  }
  ExprPtr n = MakeBinary(std::move(op), std::move(e), OtherOp(ops[1]), loc);
  if (c->ESCAPE() != nullptr) n->args.push_back(OtherOp(ops[2]));
  return n;
}

ExprPtr AstBuilder::OtherOp(P::OtherOpExprContext* c) {
  const std::vector<ParseTree*>& ch = c->children;
  ExprPtr e = Additive(static_cast<P::AdditiveExprContext*>(ch[0]));
  DepthGuard guard(this, c, static_cast<int>(ch.size() / 2));
  for (size_t i = 1; i + 1 < ch.size(); i += 2) {
    auto* oc = static_cast<P::OtherOperatorContext*>(ch[i]);
    Token* op = oc->getStart();
    std::string text = op->getText();
    std::string schema;
    if (P::QualifiedOperatorContext* q = oc->qualifiedOperator()) {
      // The built-in operators live in pg_catalog, user-defined ones in their schema (the
      // binder looks them up); a longer name is PostgreSQL's 42601.
      std::vector<P::ColIdContext*> parts = q->colId();
      text = q->anyOperator() != nullptr ? q->anyOperator()->getText() : "||";
      if (parts.size() > 1) {
        Fail(SqlState::kSyntaxError, op,
             fmt::format("improper qualified name (too many dotted names): {}", SourceText(q)));
      }
      if (Name(parts[0]) != "pg_catalog") schema = Name(parts[0]);
    }
    e = MakeBinary(text, std::move(e), Additive(static_cast<P::AdditiveExprContext*>(ch[i + 1])),
                   Loc(op));
    // OPERATOR(s.op): the schema, in `names` (empty for unqualified and pg_catalog operators).
    if (!schema.empty()) e->names.push_back(schema);
  }
  return e;
}

ExprPtr AstBuilder::Additive(P::AdditiveExprContext* c) {
  const std::vector<ParseTree*>& ch = c->children;
  ExprPtr e = Multiplicative(static_cast<P::MultiplicativeExprContext*>(ch[0]));
  DepthGuard guard(this, c, static_cast<int>(ch.size() / 2));
  for (size_t i = 1; i + 1 < ch.size(); i += 2) {
    Token* op = TokenOf(ch[i]);
    e = MakeBinary(op->getText(), std::move(e),
                   Multiplicative(static_cast<P::MultiplicativeExprContext*>(ch[i + 1])), Loc(op));
  }
  return e;
}

ExprPtr AstBuilder::Multiplicative(P::MultiplicativeExprContext* c) {
  const std::vector<ParseTree*>& ch = c->children;
  ExprPtr e = Power(static_cast<P::PowerExprContext*>(ch[0]));
  DepthGuard guard(this, c, static_cast<int>(ch.size() / 2));
  for (size_t i = 1; i + 1 < ch.size(); i += 2) {
    Token* op = TokenOf(ch[i]);
    e = MakeBinary(op->getText(), std::move(e), Power(static_cast<P::PowerExprContext*>(ch[i + 1])),
                   Loc(op));
  }
  return e;
}

ExprPtr AstBuilder::Power(P::PowerExprContext* c) {
  const std::vector<ParseTree*>& ch = c->children;
  ExprPtr e = AtTimeZone(static_cast<P::AtTimeZoneExprContext*>(ch[0]));
  DepthGuard guard(this, c, static_cast<int>(ch.size() / 2));
  for (size_t i = 1; i + 1 < ch.size(); i += 2) {
    Token* op = TokenOf(ch[i]);
    e = MakeBinary("^", std::move(e), AtTimeZone(static_cast<P::AtTimeZoneExprContext*>(ch[i + 1])),
                   Loc(op));
  }
  return e;
}

ExprPtr AstBuilder::AtTimeZone(P::AtTimeZoneExprContext* c) {
  if (c->children.size() == 1) return Unary(static_cast<P::UnaryExprContext*>(c->children[0]));
  std::vector<P::UnaryExprContext*> operands = c->unaryExpr();
  ExprPtr e = Unary(operands[0]);
  size_t next = 1;
  DepthGuard guard(this, c, static_cast<int>(c->children.size() / 2));
  for (size_t i = 1; i < c->children.size(); ++i) {
    size_t t = TypeOf(c->children[i]);
    if (t == P::AT) {
      // x AT TIME ZONE z is timezone(z, x), as in PostgreSQL.
      std::vector<ExprPtr> args;
      args.push_back(Unary(operands[next++]));
      args.push_back(std::move(e));
      e = MakeFunc("timezone", std::move(args), Loc(TokenOf(c->children[i])));
    } else if (t == P::COLLATE) {
      auto* name = static_cast<P::AnyNameContext*>(c->children[i + 1]);
      std::string coll = QualName(name).name();
      if (coll != "C" && coll != "POSIX" && coll != "default") {
        Unsupported(TokenOf(c->children[i]),
                    fmt::format("collation \"{}\" is not supported", coll));
      }
    }
  }
  return e;
}

ExprPtr AstBuilder::Unary(P::UnaryExprContext* c) {
  const std::vector<ParseTree*>& ch = c->children;
  const size_t n_ops = ch.size() - 1;
  DepthGuard guard(this, c, static_cast<int>(n_ops));
  ExprPtr e = Postfix(static_cast<P::PostfixExprContext*>(ch.back()));
  for (size_t i = n_ops; i-- > 0;) {
    Token* op = TokenOf(ch[i]);
    const std::string text = op->getText();
    if (text == "-" && e->kind == ExprKind::kConstant &&
        (e->const_kind == ast::ConstKind::kInteger || e->const_kind == ast::ConstKind::kNumeric)) {
      NegateConstant(e.get());
      e->location = Loc(op);
      continue;
    }
    ExprPtr u = MakeExpr(ExprKind::kUnaryOp, Loc(op));
    u->op = text;
    u->args.push_back(std::move(e));
    e = std::move(u);
  }
  return e;
}

void AstBuilder::AppendSubscript(const std::vector<ParseTree*>& ch, size_t* i, ast::Expr* sub) {
  ExprPtr lo, hi;
  bool slice = false;
  for (++*i; *i < ch.size() && TypeOf(ch[*i]) != P::RBRACKET; ++*i) {
    if (TypeOf(ch[*i]) == P::COLON) {
      slice = true;
    } else if (slice) {
      hi = Expr(static_cast<P::ExprContext*>(ch[*i]));
    } else {
      lo = Expr(static_cast<P::ExprContext*>(ch[*i]));
    }
  }
  sub->args.push_back(std::move(lo));
  sub->args.push_back(std::move(hi));
  sub->subscript_slices.push_back(slice);
}

ExprPtr AstBuilder::Postfix(P::PostfixExprContext* c) {
  const std::vector<ParseTree*>& ch = c->children;
  ExprPtr e = Primary(static_cast<P::PrimaryContext*>(ch[0]));
  if (ch.size() == 1) return e;
  DepthGuard guard(this, c, static_cast<int>(ch.size() / 2));
  bool after_subscript = false;  // consecutive subscripts form one node (a[1][2])
  for (size_t i = 1; i < ch.size(); ++i) {
    size_t t = TypeOf(ch[i]);
    if (t == P::TYPECAST) {
      ExprPtr cast = MakeExpr(ExprKind::kCast, Loc(TokenOf(ch[i])));
      cast->type = Type(static_cast<P::TypeNameContext*>(ch[i + 1]));
      cast->args.push_back(std::move(e));
      e = std::move(cast);
      ++i;
      after_subscript = false;
    } else if (t == P::LBRACKET) {
      if (!after_subscript) {
        ExprPtr sub = MakeExpr(ExprKind::kSubscript, e->location);
        sub->args.push_back(std::move(e));
        e = std::move(sub);
      }
      AppendSubscript(ch, &i, e.get());
      after_subscript = true;
    } else if (t == P::DOT) {
      ExprPtr sel = MakeExpr(ExprKind::kFieldSelect, Loc(TokenOf(ch[i])));
      if (TypeOf(ch[i + 1]) == P::STAR) {
        sel->star = true;
      } else {
        sel->names.push_back(Name(static_cast<P::ColLabelContext*>(ch[i + 1])));
      }
      sel->args.push_back(std::move(e));
      e = std::move(sel);
      ++i;
      after_subscript = false;
    }
  }
  return e;
}

std::string AstBuilder::StringValue(Token* t) {
  switch (t->getType()) {
    case P::ESTRING: {
      const std::string text = t->getText();
      const int position = static_cast<int>(t->getStartIndex()) + 1;
      // '...' read with standard_conforming_strings off: as E'...' (positions kept).
      if (!text.empty() && text[0] == '\'') return UnescapeEString("E" + text, position - 1);
      return UnescapeEString(text, position);
    }
    case P::USTRING:
      return UnescapeUString(t->getText(), static_cast<int>(t->getStartIndex()) + 1);
    case P::DOLLAR_STRING:
      return UndollarString(t->getText());
    default:
      return UnquoteString(t->getText());
  }
}

ExprPtr AstBuilder::StringConst(Token* t) { return MakeStringConst(StringValue(t), Loc(t)); }

std::string AstBuilder::StringLiteralValue(P::StringLiteralContext* sl) {
  // 'a' 'b' continues only across a newline with nothing but white space between.
  std::vector<antlr4::tree::TerminalNode*> parts = sl->STRING();
  if (parts.size() <= 1) return StringValue(sl->getStart());
  std::string value;
  for (size_t i = 0; i < parts.size(); ++i) {
    Token* p = parts[i]->getSymbol();
    if (i > 0) {
      Token* prev = parts[i - 1]->getSymbol();
      std::string gap = p->getInputStream()->getText(
          antlr4::misc::Interval(prev->getStopIndex() + 1, p->getStartIndex() - 1));
      bool newline = gap.find('\n') != std::string::npos || gap.find('\r') != std::string::npos;
      bool blank = gap.find_first_not_of(" \t\n\r\f\v") == std::string::npos;
      if (!newline || !blank) {
        Fail(SqlState::kSyntaxError, p,
             fmt::format("syntax error at or near \"{}\"", p->getText()));
      }
    }
    value += StringValue(p);
  }
  return value;
}

ExprPtr AstBuilder::Literal(P::LiteralContext* c) {
  Token* t = c->getStart();
  const int loc = Loc(t);
  if (P::StringLiteralContext* sl = c->stringLiteral()) {
    if (sl->STRING().size() <= 1) return StringConst(t);
    return MakeStringConst(StringLiteralValue(sl), loc);
  }
  if (t->getType() == P::BSTRING || t->getType() == P::XSTRING) {
    // B'1010' / X'1F': a bit constant, read by bit_in as 'b1010' / 'x1F' (no length limit).
    ExprPtr e = MakeExpr(ExprKind::kTypedLiteral, loc);
    ast::TypeName type;
    type.name = "bit";
    type.location = loc;
    e->type = std::move(type);
    const std::string text = t->getText();
    e->value_text = (t->getType() == P::BSTRING ? "b" : "x") + text.substr(2, text.size() - 3);
    e->const_kind = ast::ConstKind::kString;
    return e;
  }
  ExprPtr e = MakeExpr(ExprKind::kConstant, loc);
  switch (t->getType()) {
    case P::ICONST:
      e->value_text = t->getText();
      e->const_kind = ClassifyInteger(e->value_text, false);
      break;
    case P::FCONST:
      e->value_text = t->getText();
      e->const_kind = ast::ConstKind::kNumeric;
      break;
    case P::TRUE_P:
      e->value_text = "true";
      e->const_kind = ast::ConstKind::kBool;
      break;
    case P::FALSE_P:
      e->value_text = "false";
      e->const_kind = ast::ConstKind::kBool;
      break;
    default:
      e->const_kind = ast::ConstKind::kNull;
      break;
  }
  return e;
}

ExprPtr AstBuilder::Primary(P::PrimaryContext* c) {
  const int loc = Loc(c);
  if (auto* p = dynamic_cast<P::LiteralExprContext*>(c)) return Literal(p->literal());
  if (auto* p = dynamic_cast<P::ColumnRefExprContext*>(c)) return ColumnRef(p->columnRef());
  if (auto* p = dynamic_cast<P::FuncCallExprContext*>(c)) return FuncCall(p->funcCall());
  if (auto* p = dynamic_cast<P::ParamExprContext*>(c)) {
    ExprPtr e = MakeExpr(ExprKind::kParam, loc);
    std::string digits = p->PARAM()->getText().substr(1);
    long long n = digits.size() > 10 ? -1 : std::stoll(digits);
    if (n <= 0 || n > std::numeric_limits<int32_t>::max()) {
      Fail(SqlState::kUndefinedParameter, c->getStart(),
           fmt::format("there is no parameter ${}", digits));
    }
    e->param_index = static_cast<int>(n);
    return e;
  }
  if (auto* p = dynamic_cast<P::ParenExprContext*>(c)) return Expr(p->expr());
  if (auto* p = dynamic_cast<P::SubqueryExprContext*>(c)) {
    ExprPtr e = MakeExpr(ExprKind::kSubquery, loc);
    e->subquery = Select(p->selectStatement());
    return e;
  }
  if (auto* p = dynamic_cast<P::ExistsExprContext*>(c)) {
    ExprPtr e = MakeExpr(ExprKind::kExists, loc);
    e->subquery = Select(p->selectStatement());
    return e;
  }
  if (auto* p = dynamic_cast<P::RowExprContext*>(c)) {
    ExprPtr e = MakeExpr(ExprKind::kRow, loc);
    if (p->ROW() != nullptr) {
      if (p->exprList() != nullptr) e->args = ExprList(p->exprList());
    } else {
      for (P::ExprContext* x : p->expr()) e->args.push_back(Expr(x));
    }
    return e;
  }
  if (auto* p = dynamic_cast<P::ArrayExprContext*>(c)) {
    if (p->selectStatement() != nullptr) {
      ExprPtr e = MakeExpr(ExprKind::kArray, loc);
      e->subquery = Select(p->selectStatement());
      return e;
    }
    return ArrayLiteral(p->arrayLiteral());
  }
  if (auto* p = dynamic_cast<P::CaseExprContext*>(c)) {
    ExprPtr e = MakeExpr(ExprKind::kCase, loc);
    size_t prev = P::CASE;
    for (ParseTree* ch : p->children) {
      size_t t = TypeOf(ch);
      if (t != 0) {
        prev = t;
        continue;
      }
      ExprPtr x = Expr(static_cast<P::ExprContext*>(ch));
      if (prev == P::CASE) {
        e->has_case_arg = true;
        e->args.push_back(std::move(x));
      } else if (prev == P::ELSE) {
        e->else_expr = std::move(x);
      } else {
        e->when_then.push_back(std::move(x));
      }
    }
    return e;
  }
  if (auto* p = dynamic_cast<P::CastExprContext*>(c)) {
    ExprPtr e = MakeExpr(ExprKind::kCast, loc);
    e->args.push_back(Expr(p->expr()));
    e->type = Type(p->typeName());
    return e;
  }
  if (auto* p = dynamic_cast<P::SpecialFunctionExprContext*>(c)) {
    return SpecialFunction(p->specialFunction());
  }
  if (auto* p = dynamic_cast<P::TypedLiteralExprContext*>(c)) {
    // PostgreSQL reports a bad literal at the string (the type name has its own location).
    ExprPtr e = MakeExpr(ExprKind::kTypedLiteral, Loc(p->STRING()));
    e->type = p->constTypeName() != nullptr ? SimpleType(p->constTypeName()->simpleTypeName())
                                            : GenericType(p->genericTypeName());
    e->value_text = UnquoteString(p->STRING()->getText());
    e->const_kind = ast::ConstKind::kString;
    return e;
  }
  auto* p = static_cast<P::IntervalLiteralExprContext*>(c);
  ExprPtr e = MakeExpr(ExprKind::kTypedLiteral, Loc(p->STRING()));
  ast::TypeName type;
  type.name = "interval";
  type.location = loc;
  if (p->intervalQualifier() != nullptr) {
    type.interval_fields = IntervalFields(p->intervalQualifier(), &type.modifiers);
  }
  if (p->ICONST() != nullptr) type.modifiers.push_back(std::stoi(p->ICONST()->getText()));
  e->type = std::move(type);
  e->value_text = UnquoteString(p->STRING()->getText());
  e->const_kind = ast::ConstKind::kString;
  return e;
}

ExprPtr AstBuilder::ArrayLiteral(P::ArrayLiteralContext* c) {
  DepthGuard guard(this, c);
  ExprPtr e = MakeExpr(ExprKind::kArray, Loc(c));
  if (c->exprList() != nullptr) {
    e->args = ExprList(c->exprList());
  } else {
    for (P::ArrayLiteralContext* sub : c->arrayLiteral()) e->args.push_back(ArrayLiteral(sub));
  }
  return e;
}

ExprPtr AstBuilder::ColumnRef(P::ColumnRefContext* c) {
  ExprPtr e = MakeExpr(ExprKind::kColumnRef, Loc(c));
  const std::vector<ParseTree*>& ch = c->children;
  for (size_t i = 0; i < ch.size(); ++i) {
    if (TypeOf(ch[i]) == P::STAR) {
      if (i + 1 != ch.size()) {
        Fail(SqlState::kSyntaxError, TokenOf(ch[i]), "improper use of \"*\"");
      }
      e->star = true;
    } else if (auto* r = dynamic_cast<antlr4::ParserRuleContext*>(ch[i])) {
      e->names.push_back(Name(r));
    }
  }
  if (e->names.size() > (e->star ? 3u : 4u)) {
    std::string text;
    for (size_t i = 0; i < e->names.size(); ++i) text += (i ? "." : "") + e->names[i];
    Fail(SqlState::kSyntaxError, c->getStart(),
         fmt::format("improper qualified name (too many dotted names): {}", text));
  }
  return e;
}

ExprPtr AstBuilder::GroupByItem(P::GroupByItemContext* c) {
  if (c->expr() != nullptr) return Expr(c->expr());
  ExprPtr e = MakeExpr(ExprKind::kGroupingSet, Loc(c));
  if (c->exprList() != nullptr) {
    e->op = c->CUBE() != nullptr ? "CUBE" : "ROLLUP";
    e->args = ExprList(c->exprList());
  } else if (c->SETS() != nullptr) {
    e->op = "SETS";
    for (P::GroupByItemContext* item : c->groupByItem()) e->args.push_back(GroupByItem(item));
  } else {
    e->op = "EMPTY";
  }
  return e;
}

ExprPtr AstBuilder::FuncCall(P::FuncCallContext* c) {
  ExprPtr e = MakeExpr(ExprKind::kFuncCall, Loc(c));
  e->names = QualName(c->funcName()).parts;
  // STAR inside the parentheses is f(*); the first RPAREN closes the arguments.
  e->star = c->STAR() != nullptr;
  if (P::SetQuantifierContext* q = c->setQuantifier()) e->distinct = q->DISTINCT() != nullptr;
  const auto func_args = c->funcArg();
  for (size_t i = 0; i < func_args.size(); ++i) {
    P::FuncArgContext* a = func_args[i];
    if (a->colLabel() != nullptr) {
      e->arg_names.resize(func_args.size());
      e->arg_names[i] = Name(a->colLabel());
    } else if (!e->arg_names.empty()) {
      Fail(SqlState::kSyntaxError, a->getStart(),
           "positional argument cannot follow named argument");
    }
    e->args.push_back(Expr(a->expr()));
    if (a->VARIADIC() != nullptr) {
      // Only the last argument may be VARIADIC (PostgreSQL's func_arg_list grammar).
      if (i + 1 != func_args.size()) {
        Fail(
            SqlState::kSyntaxError, func_args[i + 1]->getStart(),
            fmt::format("syntax error at or near \"{}\"", func_args[i + 1]->getStart()->getText()));
      }
      e->variadic = true;
    }
  }
  const auto sorts = c->sortClause();
  if (c->WITHIN() != nullptr) {
    // PostgreSQL's grammar refuses a second ORDER BY, DISTINCT and VARIADIC with WITHIN GROUP.
    const char* refused = sorts.size() > 1
                              ? "cannot use multiple ORDER BY clauses with WITHIN GROUP"
                          : e->distinct ? "cannot use DISTINCT with WITHIN GROUP"
                          : e->variadic ? "cannot use VARIADIC with WITHIN GROUP"
                                        : nullptr;
    if (refused != nullptr) Fail(SqlState::kSyntaxError, c->WITHIN()->getSymbol(), refused);
    e->within_group = true;
  }
  if (!sorts.empty()) e->agg_order_by = SortClause(sorts.back());
  if (c->FILTER() != nullptr) e->filter = Expr(c->expr());
  e->has_over = c->OVER() != nullptr;
  if (c->windowSpecification() != nullptr) {
    e->over = WindowSpecification(c->windowSpecification());
  } else if (e->has_over) {
    e->over = std::make_unique<ast::WindowDef>();
    e->over->ref = Name(c->colId());
    e->over->bare_ref = true;
    e->over->location = Loc(c->colId());
  }
  return e;
}

ExprPtr AstBuilder::SpecialFunction(P::SpecialFunctionContext* c) {
  const int loc = Loc(c);
  if (auto* f = dynamic_cast<P::CoalesceCallContext*>(c)) {
    ExprPtr e = MakeExpr(ExprKind::kCoalesce, loc);
    e->args = ExprList(f->exprList());
    return e;
  }
  if (auto* f = dynamic_cast<P::NullIfCallContext*>(c)) {
    ExprPtr e = MakeExpr(ExprKind::kNullIf, loc);
    e->args.push_back(Expr(f->expr(0)));
    e->args.push_back(Expr(f->expr(1)));
    return e;
  }
  if (auto* f = dynamic_cast<P::GreatestLeastCallContext*>(c)) {
    ExprPtr e = MakeExpr(f->GREATEST() != nullptr ? ExprKind::kGreatest : ExprKind::kLeast, loc);
    e->args = ExprList(f->exprList());
    return e;
  }
  if (auto* f = dynamic_cast<P::ExtractCallContext*>(c)) {
    std::vector<ExprPtr> args;
    if (f->STRING() != nullptr) {
      args.push_back(StringConst(f->STRING()->getSymbol()));
    } else {
      args.push_back(MakeStringConst(Name(f->identifier()), Loc(f->identifier())));
    }
    args.push_back(Expr(f->expr()));
    return MakeFunc("extract", std::move(args), loc);
  }
  if (auto* f = dynamic_cast<P::SubstringCallContext*>(c)) {
    std::vector<ExprPtr> args;
    if (f->SIMILAR() != nullptr) {
      // SUBSTRING(x SIMILAR pattern ESCAPE e): substring(x, pattern, e) (similar_to_escape).
      for (P::ExprContext* x : f->expr()) args.push_back(Expr(x));
    } else if (f->exprList() != nullptr) {
      args = ExprList(f->exprList());
    } else if (f->FROM() == nullptr && f->FOR() == nullptr) {
      // substring() with no arguments: let function lookup report it.
    } else {
      // SUBSTRING(x [FROM a] [FOR b]) in either order: substring(x, a[, b]).
      ExprPtr x, from, count;
      size_t prev = 0;
      for (ParseTree* ch : f->children) {
        size_t t = TypeOf(ch);
        if (t != 0) {
          prev = t;
          continue;
        }
        ExprPtr v = Expr(static_cast<P::ExprContext*>(ch));
        if (prev == P::FROM) {
          from = std::move(v);
        } else if (prev == P::FOR) {
          count = std::move(v);
        } else {
          x = std::move(v);
        }
      }
      if (from == nullptr) {
        from = MakeExpr(ExprKind::kConstant, loc);
        from->const_kind = ast::ConstKind::kInteger;
        from->value_text = "1";
      }
      args.push_back(std::move(x));
      args.push_back(std::move(from));
      if (count != nullptr) args.push_back(std::move(count));
    }
    return MakeFunc("substring", std::move(args), loc);
  }
  if (auto* f = dynamic_cast<P::PositionCallContext*>(c)) {
    std::vector<ExprPtr> args;
    // position(a, b): the binder makes it strpos(b, a); the column is named "position".
    args.push_back(OtherOp(f->otherOpExpr(0)));
    args.push_back(OtherOp(f->otherOpExpr(1)));
    return MakeFunc("position", std::move(args), loc);
  }
  if (auto* f = dynamic_cast<P::OverlayCallContext*>(c)) {
    // OVERLAY(x PLACING y FROM a [FOR b]) is overlay(x, y, a[, b]).
    std::vector<ExprPtr> args;
    if (f->exprList() != nullptr) {
      args = ExprList(f->exprList());
    } else {
      for (P::ExprContext* x : f->expr()) args.push_back(Expr(x));
    }
    return MakeFunc("overlay", std::move(args), loc);
  }
  if (auto* f = dynamic_cast<P::TrimCallContext*>(c)) {
    std::string name = f->LEADING() != nullptr    ? "ltrim"
                       : f->TRAILING() != nullptr ? "rtrim"
                                                  : "btrim";
    std::vector<ExprPtr> args = ExprList(f->exprList());
    if (f->expr() != nullptr) args.push_back(Expr(f->expr()));  // the characters to remove
    return MakeFunc(std::move(name), std::move(args), loc);
  }
  if (auto* f = dynamic_cast<P::GroupingCallContext*>(c)) {
    ExprPtr e = MakeExpr(ExprKind::kGroupingFunc, loc);
    e->args = ExprList(f->exprList());
    return e;
  }
  auto* f = static_cast<P::SqlValueFunctionContext*>(c);
  std::vector<ExprPtr> args;
  if (f->ICONST() != nullptr) {
    ExprPtr p = MakeExpr(ExprKind::kConstant, Loc(f->ICONST()));
    p->const_kind = ast::ConstKind::kInteger;
    p->value_text = f->ICONST()->getText();
    args.push_back(std::move(p));
  }
  return MakeFunc(Lower(c->getStart()->getText()), std::move(args), loc);
}

// ---- types ---------------------------------------------------------------------------------

// The range mask of `YEAR`, `DAY TO SECOND`, ... (PostgreSQL's INTERVAL_MASK bits), and the
// precision of `SECOND(p)` into *precision. The pairs PostgreSQL's grammar does not have are
// syntax errors at the second word.
int32_t AstBuilder::IntervalFields(P::IntervalQualifierContext* c,
                                   std::vector<int32_t>* precision) {
  constexpr int32_t kMonth = 1 << 1, kYear = 1 << 2, kDay = 1 << 3, kHour = 1 << 10,
                    kMinute = 1 << 11, kSecond = 1 << 12;
  std::vector<antlr4::Token*> words;
  for (antlr4::tree::ParseTree* ch : c->children) {
    if (auto* t = dynamic_cast<antlr4::tree::TerminalNode*>(ch)) {
      if (t->getSymbol()->getType() != P::TO) words.push_back(t->getSymbol());
    }
  }
  for (P::IntervalSecondPrecisionContext* p : c->intervalSecondPrecision()) {
    precision->assign(1, std::stoi(p->ICONST()->getText()));
  }
  auto bit = [&](antlr4::Token* t) -> int32_t {
    switch (t->getType()) {
      case P::YEAR:
        return kYear;
      case P::MONTH:
        return kMonth;
      case P::DAY:
        return kDay;
      case P::HOUR:
        return kHour;
      case P::MINUTE:
        return kMinute;
      default:
        return kSecond;
    }
  };
  if (words.size() == 1) return bit(words[0]);
  antlr4::Token* to = words[1];
  const int32_t f = bit(words[0]), t = bit(to);
  int32_t mask = -1;
  if (f == kYear && t == kMonth) mask = kYear | kMonth;
  if (f == kDay && t == kHour) mask = kDay | kHour;
  if (f == kDay && t == kMinute) mask = kDay | kHour | kMinute;
  if (f == kDay && t == kSecond) mask = kDay | kHour | kMinute | kSecond;
  if (f == kHour && t == kMinute) mask = kHour | kMinute;
  if (f == kHour && t == kSecond) mask = kHour | kMinute | kSecond;
  if (f == kMinute && t == kSecond) mask = kMinute | kSecond;
  if (mask < 0 || (f == kSecond && !c->intervalSecondPrecision().empty() && words.size() > 1)) {
    Fail(SqlState::kSyntaxError, to, fmt::format("syntax error at or near \"{}\"", to->getText()));
  }
  return mask;
}

std::vector<int32_t> AstBuilder::TypeMods(P::TypeModifiersContext* c) {
  std::vector<int32_t> out;
  if (c == nullptr) return out;
  for (P::SignedIntegerContext* i : c->signedInteger()) {
    std::string text = i->getText();
    long long v = text.size() > 11 ? std::numeric_limits<long long>::max() : std::stoll(text);
    if (v > std::numeric_limits<int32_t>::max() || v < std::numeric_limits<int32_t>::min()) {
      Fail(SqlState::kNumericValueOutOfRange, i->getStart(),
           fmt::format("value \"{}\" is out of range for type integer", text));
    }
    out.push_back(static_cast<int32_t>(v));
  }
  return out;
}

ast::TypeName AstBuilder::SimpleType(P::SimpleTypeNameContext* c) {
  ast::TypeName t;
  t.location = Loc(c);
  if (dynamic_cast<P::DoubleTypeContext*>(c) != nullptr) {
    t.name = "double precision";
  } else if (auto* ct = dynamic_cast<P::CharTypeContext*>(c)) {
    if (ct->VARCHAR() != nullptr) {
      t.name = "varchar";
    } else if (ct->VARYING() != nullptr) {
      t.name = "character varying";
    } else if (ct->CHAR() != nullptr && ct->NATIONAL() == nullptr) {
      t.name = "char";
    } else {
      t.name = "character";
    }
    t.modifiers = TypeMods(ct->typeModifiers());
  } else if (auto* bt = dynamic_cast<P::BitTypeContext*>(c)) {
    t.name = bt->VARYING() != nullptr ? "bit varying" : "bit";
    t.modifiers = TypeMods(bt->typeModifiers());
    // BIT without a length is bit(1), as PostgreSQL's grammar has it ("bit" quoted: no limit).
    if (bt->VARYING() == nullptr && t.modifiers.empty()) t.modifiers.push_back(1);
  } else if (auto* dt = dynamic_cast<P::DatetimeTypeContext*>(c)) {
    t.name = dt->TIMESTAMP() != nullptr ? "timestamp" : "time";
    if (dt->WITH() != nullptr) t.name += " with time zone";
    if (dt->WITHOUT() != nullptr) t.name += " without time zone";
    t.modifiers = TypeMods(dt->typeModifiers());
  } else {
    auto* nt = static_cast<P::NumericTypeContext*>(c);
    t.name = Lower(nt->getStart()->getText());
    t.modifiers = TypeMods(nt->typeModifiers());
  }
  return t;
}

ast::TypeName AstBuilder::GenericType(P::GenericTypeNameContext* c) {
  ast::TypeName t;
  t.location = Loc(c);
  ast::QualifiedName q = QualName(c);
  if (q.parts.size() == 2 && q.parts[0] == "pg_catalog") q.parts.erase(q.parts.begin());
  for (size_t i = 0; i < q.parts.size(); ++i) t.name += (i ? "." : "") + q.parts[i];
  // "char" (quoted) is PostgreSQL's one-byte type, not char(1).
  if (q.parts.size() == 1 && t.name == "char" && c->getStart()->getType() == P::QUOTED_IDENT) {
    t.name = "\"char\"";
  }
  t.modifiers = TypeMods(c->typeModifiers());
  return t;
}

ast::TypeName AstBuilder::Type(P::TypeNameContext* c) {
  ast::TypeName t;
  if (c->simpleTypeName() != nullptr) {
    t = SimpleType(c->simpleTypeName());
  } else if (c->genericTypeName() != nullptr) {
    t = GenericType(c->genericTypeName());
  } else {
    t.name = "interval";
    t.location = Loc(c);
    t.modifiers = TypeMods(c->typeModifiers());
    if (c->intervalQualifier() != nullptr) {
      t.interval_fields = IntervalFields(c->intervalQualifier(), &t.modifiers);
    }
  }
  if (P::ArrayBoundsContext* b = c->arrayBounds()) {
    t.array_bounds = b->ARRAY() != nullptr ? 1 : static_cast<int>(b->LBRACKET().size());
  }
  return t;
}

}  // namespace activestore::parser
