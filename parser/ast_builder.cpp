// Statements and SELECT structure. Expressions, types and names are in ast_builder_expr.cpp.
#include "parser/ast_builder.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <utility>

#include "common/stack_depth.h"
#include "parser/ast_trigger.h"
#include "parser/literals.h"
#include "parser/parser.h"

namespace activestore::parser {

using antlr4::Token;
using antlr4::tree::ParseTree;
using antlr4::tree::TerminalNode;
using P = grammar::SqlParser;

namespace {

std::string Upper(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

template <typename T>
std::unique_ptr<T> Take(ast::StatementPtr p) {
  return std::unique_ptr<T>(static_cast<T*>(p.release()));
}

}  // namespace

// ---- positions, text, errors ---------------------------------------------------------------

int AstBuilder::Loc(Token* t) const {
  return input_.ByteOffset(std::min(t->getStartIndex(), input_.CharCount()));
}

int AstBuilder::End(antlr4::ParserRuleContext* c) const {
  Token* stop = c->getStop();
  if (stop == nullptr || stop->getTokenIndex() < c->getStart()->getTokenIndex() ||
      stop->getType() == Token::EOF) {
    return Loc(c->getStart());
  }
  return input_.ByteOffset(stop->getStopIndex() + 1);
}

std::string AstBuilder::SourceText(antlr4::ParserRuleContext* c) const {
  int from = Loc(c);
  return std::string(
      input_.text().substr(static_cast<size_t>(from), static_cast<size_t>(End(c) - from)));
}

std::string AstBuilder::SourceText(Token* from, Token* to) const {
  int a = Loc(from);
  int b = input_.ByteOffset(to->getStopIndex() + 1);
  return std::string(input_.text().substr(static_cast<size_t>(a), static_cast<size_t>(b - a)));
}

std::string AstBuilder::Lower(std::string s) { return parser::Lower(std::move(s)); }

void AstBuilder::Fail(SqlState state, Token* at, std::string message) const {
  Error e(state, std::move(message));
  if (at != nullptr) e.Position(static_cast<int>(at->getStartIndex()) + 1);
  throw e;
}

AstBuilder::DepthGuard::DepthGuard(AstBuilder* b, antlr4::ParserRuleContext* at, int levels)
    : b_(b), levels_(levels) {
  b_->depth_ += levels_;
  CheckStackDepth();
  if (b_->depth_ > internal::kMaxExpressionDepth) {
    Error e(SqlState::kStatementTooComplex, "stack depth limit exceeded");
    e.Hint("The statement nests expressions too deeply; simplify it.");
    e.Position(static_cast<int>(at->getStart()->getStartIndex()) + 1);
    throw e;
  }
}

// ---- statements ----------------------------------------------------------------------------

std::vector<ast::StatementPtr> AstBuilder::BuildRoot(P::RootContext* ctx) {
  std::vector<ast::StatementPtr> out;
  for (P::StatementContext* s : ctx->statement()) {
    ast::StatementPtr stmt = BuildStatement(s);
    stmt->location = Loc(s);
    stmt->length = End(s) - stmt->location;
    out.push_back(std::move(stmt));
  }
  return out;
}

ast::StatementPtr AstBuilder::BuildStatement(antlr4::ParserRuleContext* ctx) {
  struct Depth {
    int& d;
    explicit Depth(int& depth) : d(++depth) {}
    ~Depth() { --d; }
  } depth(build_depth_);
  ast::StatementPtr out;
  if (auto* s = dynamic_cast<P::StatementContext*>(ctx)) {
    if (s->selectNoWith() || s->insertStatement() || s->updateStatement() || s->deleteStatement() ||
        s->mergeStatement()) {
      allow_into_ = true;
      out = Dml(s->withClause(), s->selectNoWith(), s->insertStatement(), s->updateStatement(),
                s->deleteStatement(), s->mergeStatement());
    } else if (auto* c = s->createTableStatement()) {
      out = CreateTable(c);
    } else if (auto* c = s->createIndexStatement()) {
      out = CreateIndex(c);
    } else if (auto* c = s->createViewStatement()) {
      out = CreateView(c);
    } else if (auto* c = s->createMatviewStatement()) {
      out = CreateMatview(c);
    } else if (auto* c = s->refreshMatviewStatement()) {
      out = RefreshMatview(c);
    } else if (auto* c = s->createSchemaStatement()) {
      out = CreateSchema(c);
    } else if (auto* c = s->createDatabaseStatement()) {
      out = CreateDatabase(c);
    } else if (auto* c = s->dropStatement()) {
      out = Drop(c);
    } else if (auto* c = s->truncateStatement()) {
      out = Truncate(c);
    } else if (auto* c = s->transactionStatement()) {
      out = Transaction(c);
    } else if (auto* c = s->setStatement()) {
      out = Set(c);
    } else if (auto* c = s->showStatement()) {
      out = Show(c);
    } else if (auto* c = s->resetStatement()) {
      out = Reset(c);
    } else if (auto* c = s->explainStatement()) {
      out = Explain(c);
    } else if (auto* c = s->copyStatement()) {
      out = Copy(c);
    } else if (auto* c = s->prepareStatement()) {
      out = Prepare(c);
    } else if (auto* c = s->executeStatement()) {
      out = Execute(c);
    } else if (auto* c = s->deallocateStatement()) {
      out = Deallocate(c);
    } else if (auto* c = s->utilityStatement()) {
      out = Utility(c);
    } else if (auto* c = s->lockStatement()) {
      out = Lock(c);
    } else if (auto* c = s->alterTableStatement()) {
      out = AlterTable(c);
    } else if (auto* c = s->alterViewOptionsStatement()) {
      out = AlterViewOptions(c);
    } else if (auto* c = s->createSequenceStatement()) {
      out = CreateSequence(c);
    } else if (auto* c = s->alterSequenceStatement()) {
      out = AlterSequence(c);
    } else if (auto* c = s->alterDatabaseStatement()) {
      out = AlterDatabase(c);
    } else if (auto* c = s->createTypeStatement()) {
      out = CreateType(c);
    } else if (auto* c = s->createCastStatement()) {
      out = CreateCast(c);
    } else if (auto* c = s->dropCastStatement()) {
      out = DropCast(c);
    } else if (auto* c = s->createOperatorStatement()) {
      out = CreateOperator(c);
    } else if (auto* c = s->dropOperatorStatement()) {
      out = DropOperator(c);
    } else if (auto* c = s->alterTypeStatement()) {
      out = AlterType(c);
    } else if (auto* c = s->createDomainStatement()) {
      out = CreateDomain(c);
    } else if (auto* c = s->alterDomainStatement()) {
      out = AlterDomain(c);
    } else if (auto* c = s->roleStatement()) {
      out = Role(c);
    } else if (auto* c = s->grantStatement()) {
      out = Grant(c);
    } else if (auto* c = s->revokeStatement()) {
      out = Revoke(c);
    } else if (auto* c = s->alterOwnerStatement()) {
      out = AlterOwner(c);
    } else if (auto* c = s->alterSchemaStatement()) {
      out = AlterSchema(c);
    } else if (auto* c = s->createFunctionStatement()) {
      out = CreateFunction(c);
    } else if (auto* c = s->dropFunctionStatement()) {
      out = DropFunction(c);
    } else if (auto* c = s->alterFunctionStatement()) {
      out = AlterFunction(c);
    } else if (auto* c = s->createTriggerStatement()) {
      out = CreateTrigger(c);
    } else if (auto* c = s->dropTriggerStatement()) {
      out = DropTrigger(c);
    } else if (auto* c = s->alterTriggerStatement()) {
      out = AlterTrigger(c);
    } else if (auto* c = s->callStatement()) {
      out = Call(c);
    } else if (auto* c = s->doStatement()) {
      out = Do(c);
    } else if (auto* c = s->declareCursorStatement()) {
      out = DeclareCursor(c);
    } else if (auto* c = s->fetchStatement()) {
      out = Fetch(c);
    } else if (auto* c = s->closeCursorStatement()) {
      out = CloseCursor(c);
    } else if (auto* c = s->createCollectionStatement()) {
      out = CreateCollection(c);
    } else if (auto* c = s->commentStatement()) {
      out = Comment(c);
    } else if (auto* c = s->unsupportedStatement()) {
      UnsupportedStatement(c);
    }
  } else if (auto* p = dynamic_cast<P::PreparableStatementContext*>(ctx)) {
    out = Dml(p->withClause(), p->selectNoWith(), p->insertStatement(), p->updateStatement(),
              p->deleteStatement(), p->mergeStatement());
  } else if (auto* e = dynamic_cast<P::ExplainableStatementContext*>(ctx)) {
    if (auto* c = e->preparableStatement()) {
      out = BuildStatement(c);
    } else if (auto* c = e->createTableStatement()) {
      out = CreateTable(c);
    } else if (auto* c = e->executeStatement()) {
      out = Execute(c);
    }
  }
  if (out == nullptr) Fail(SqlState::kInternalError, ctx->getStart(), "unrecognized statement");
  if (into_ != nullptr && build_depth_ == 1) {  // INTO in a subquery, a CTE, INSERT ... SELECT
    antlr4::Token* at = into_->qualifiedName()->getStart();
    into_ = nullptr;
    into_owner_ = nullptr;
    Fail(SqlState::kSyntaxError, at, "SELECT ... INTO is not allowed here");
  }
  out->location = Loc(ctx);
  out->length = End(ctx) - out->location;
  return out;
}

ast::StatementPtr AstBuilder::Dml(P::WithClauseContext* with, P::SelectNoWithContext* select,
                                  P::InsertStatementContext* insert,
                                  P::UpdateStatementContext* update, P::DeleteStatementContext* del,
                                  P::MergeStatementContext* merge) {
  const bool allow_into = allow_into_;  // for this statement, not the ones nested in it
  allow_into_ = false;
  std::unique_ptr<ast::WithClause> w = with ? With(with) : nullptr;
  if (select != nullptr) {
    auto s = std::make_unique<ast::SelectStatement>();
    s->select = SelectNoWith(select);
    if (w != nullptr) {
      if (s->select->with != nullptr) {
        Fail(SqlState::kSyntaxError, select->getStart(), "multiple WITH clauses not allowed");
      }
      s->select->with = std::move(w);
    }
    if (into_ != nullptr && allow_into) {
      // The arms of the statement's set operation, first one first.
      std::vector<const ast::SelectStmt*> arms;
      std::vector<const ast::SelectStmt*> pending = {s->select.get()};
      while (!pending.empty()) {
        const ast::SelectStmt* n = pending.back();
        pending.pop_back();
        if (n->set_op == ast::SetOpType::kNone) {
          arms.push_back(n);
        } else {
          pending.push_back(n->rarg.get());
          pending.push_back(n->larg.get());
        }
      }
      if (arms.front() != into_owner_) {
        bool in_arm = std::find(arms.begin(), arms.end(), into_owner_) != arms.end();
        Fail(SqlState::kSyntaxError, into_->qualifiedName()->getStart(),
             in_arm ? "INTO is only allowed on first SELECT of UNION/INTERSECT/EXCEPT"
                    : "SELECT ... INTO is not allowed here");
      }
      auto ct = std::make_unique<ast::CreateTableStatement>();
      ct->table = QualName(into_->qualifiedName());
      ct->temporary = into_->TEMP() != nullptr || into_->TEMPORARY() != nullptr;
      ct->unlogged = into_->UNLOGGED() != nullptr;
      ct->as_select = std::move(s->select);
      into_ = nullptr;
      into_owner_ = nullptr;
      return ct;
    }
    return s;
  }
  ast::StatementPtr out;
  if (insert != nullptr) {
    auto s = Take<ast::InsertStatement>(Insert(insert));
    s->with = std::move(w);
    out = std::move(s);
  } else if (update != nullptr) {
    auto s = Take<ast::UpdateStatement>(Update(update));
    s->with = std::move(w);
    out = std::move(s);
  } else if (del != nullptr) {
    auto s = Take<ast::DeleteStatement>(Delete(del));
    s->with = std::move(w);
    out = std::move(s);
  } else {
    auto s = Take<ast::MergeStatement>(Merge(merge));
    s->with = std::move(w);
    out = std::move(s);
  }
  return out;
}

std::vector<ast::ResultTarget> AstBuilder::Returning(P::ReturningClauseContext* c) {
  if (c == nullptr) return {};
  return Targets(c->targetList());
}

std::vector<std::pair<std::string, ast::ExprPtr>> AstBuilder::SetList(P::SetListContext* c) {
  std::vector<std::pair<std::string, ast::ExprPtr>> out;
  for (P::SetItemContext* item : c->setItem()) {
    ast::ExprPtr value = ValuesItem(item->valuesItem());
    if (!item->colLabel().empty()) {  // col.f[.g] = x: a kFieldSelect with op "assign"
      if (!item->LBRACKET().empty()) {
        Unsupported(item->getStart(), "assignment to an element of a field is not supported");
      }
      auto sel = std::make_unique<ast::Expr>(ast::ExprKind::kFieldSelect, Loc(item));
      sel->op = "assign";
      for (P::ColLabelContext* l : item->colLabel()) sel->names.push_back(Name(l));
      sel->args.push_back(std::move(value));
      value = std::move(sel);
    }
    if (item->LBRACKET().size() > 0) {  // col[i] = x: a kSubscript with op "assign" at col
      auto sub = std::make_unique<ast::Expr>(ast::ExprKind::kSubscript, Loc(item));
      sub->op = "assign";
      sub->args.push_back(std::move(value));
      const std::vector<antlr4::tree::ParseTree*>& ch = item->children;
      for (size_t i = 1; i < ch.size(); ++i) {
        if (TypeOf(ch[i]) == P::LBRACKET) AppendSubscript(ch, &i, sub.get());
      }
      value = std::move(sub);
    }
    out.emplace_back(Name(item->colId()), std::move(value));
  }
  return out;
}

ast::StatementPtr AstBuilder::Insert(P::InsertStatementContext* c) {
  auto s = std::make_unique<ast::InsertStatement>();
  s->table = QualName(c->qualifiedName());
  if (c->colId() != nullptr) s->alias = Name(c->colId());
  InsertColumns(c->insertColumn(), &s->columns, &s->column_locations, &s->column_subscripts);
  if (c->selectStatement() != nullptr) s->source = Select(c->selectStatement());
  if (c->OVERRIDING() != nullptr) {
    s->overriding =
        c->USER() != nullptr ? ast::Overriding::kUserValue : ast::Overriding::kSystemValue;
  }
  if (auto* oc = c->onConflictClause()) {
    if (oc->CONSTRAINT() != nullptr) s->conflict_constraint = Name(oc->colId());
    for (P::IndexElemContext* e : oc->indexElem()) {
      ast::IndexElem elem = IndexElement(e);
      if (elem.expr) {
        s->conflict_exprs.push_back(std::move(elem.expr));
      } else {
        s->conflict_columns.push_back(elem.column);
      }
    }
    std::vector<P::WhereClauseContext*> wheres = oc->whereClause();
    for (P::WhereClauseContext* w : wheres) {
      // A WHERE before DO is the index predicate of the conflict target.
      if (w->getStart()->getTokenIndex() < oc->DO()->getSymbol()->getTokenIndex()) {
        s->conflict_index_where = Expr(w->expr());
        continue;
      }
      s->conflict_where = Expr(w->expr());
    }
    if (oc->NOTHING() != nullptr) {
      s->on_conflict = ast::OnConflictAction::kNothing;
    } else {
      if (oc->indexElem().empty() && !s->conflict_constraint) {
        Error e(SqlState::kSyntaxError,
                "ON CONFLICT DO UPDATE requires inference specification or constraint name");
        e.Hint("For example, ON CONFLICT (column_name).");
        e.Position(static_cast<int>(oc->getStart()->getStartIndex()) + 1);
        throw e;
      }
      s->on_conflict = ast::OnConflictAction::kUpdate;
      s->conflict_set = SetList(oc->setList());
    }
  }
  s->returning = Returning(c->returningClause());
  return s;
}

void AstBuilder::InsertColumns(const std::vector<P::InsertColumnContext*>& cols,
                               std::vector<std::string>* names, std::vector<int>* locations,
                               std::vector<ast::ExprPtr>* subscripts) {
  for (P::InsertColumnContext* col : cols) {
    names->push_back(Name(col->colId()));
    locations->push_back(Loc(col));
    ast::ExprPtr sub;
    if (!col->colLabel().empty()) {  // col.f[.g]: a kFieldSelect with op "assign" (no value)
      if (!col->LBRACKET().empty()) {
        Unsupported(col->getStart(), "assignment to an element of a field is not supported");
      }
      sub = std::make_unique<ast::Expr>(ast::ExprKind::kFieldSelect, locations->back());
      sub->op = "assign";
      for (P::ColLabelContext* l : col->colLabel()) sub->names.push_back(Name(l));
      sub->args.push_back(nullptr);
    } else if (!col->LBRACKET().empty()) {
      sub = std::make_unique<ast::Expr>(ast::ExprKind::kSubscript, locations->back());
      sub->op = "assign";
      sub->args.push_back(nullptr);
      const std::vector<antlr4::tree::ParseTree*>& ch = col->children;
      for (size_t i = 1; i < ch.size(); ++i) {
        if (TypeOf(ch[i]) == P::LBRACKET) AppendSubscript(ch, &i, sub.get());
      }
    }
    subscripts->push_back(std::move(sub));
  }
}

ast::StatementPtr AstBuilder::Merge(P::MergeStatementContext* c) {
  auto s = std::make_unique<ast::MergeStatement>();
  s->location = Loc(c);
  s->table = QualName(c->qualifiedName());
  s->only = c->ONLY() != nullptr;
  if (c->colId() != nullptr) s->alias = Name(c->colId());
  s->source = FromItem(c->fromItem());
  s->condition = Expr(c->expr());
  for (P::MergeWhenClauseContext* w : c->mergeWhenClause()) {
    ast::MergeWhen when;
    when.location = Loc(w);
    when.matched = w->NOT() == nullptr;
    if (w->expr() != nullptr) when.condition = Expr(w->expr());
    if (w->UPDATE() != nullptr) {
      when.action = ast::MergeAction::kUpdate;
      when.set = SetList(w->setList());
    } else if (w->DELETE() != nullptr) {
      when.action = ast::MergeAction::kDelete;
    } else if (w->INSERT() != nullptr) {
      when.action = ast::MergeAction::kInsert;
      InsertColumns(w->insertColumn(), &when.columns, &when.column_locations,
                    &when.column_subscripts);
      if (w->OVERRIDING() != nullptr) {
        when.overriding =
            w->USER() != nullptr ? ast::Overriding::kUserValue : ast::Overriding::kSystemValue;
      }
      if (w->valuesRow() != nullptr) {
        for (P::ValuesItemContext* v : w->valuesRow()->valuesItem()) {
          when.values.push_back(ValuesItem(v));
        }
      } else {
        when.default_values = true;
      }
    } else {
      when.action = ast::MergeAction::kNothing;
    }
    s->when.push_back(std::move(when));
  }
  return s;
}

ast::IndexElem AstBuilder::IndexElement(P::IndexElemContext* e) {
  ast::IndexElem elem;
  elem.location = static_cast<int>(e->getStart()->getStartIndex());
  if (e->colId() != nullptr) {
    elem.column = Name(e->colId());
  } else {
    elem.expr = e->funcCall() != nullptr ? FuncCall(e->funcCall()) : Expr(e->expr());
    // "(column)" is a column, as PostgreSQL treats it.
    if (elem.expr->kind == ast::ExprKind::kColumnRef && elem.expr->names.size() == 1 &&
        !elem.expr->star) {
      elem.column = elem.expr->names[0];
      elem.expr.reset();
    }
  }
  elem.descending = e->DESC() != nullptr;
  if (e->NULLS() != nullptr) elem.nulls_first = e->FIRST() != nullptr;
  // anyName: [COLLATE collation] [opclass].
  const std::vector<P::AnyNameContext*> names = e->anyName();
  const size_t opclass_at = e->COLLATE() != nullptr ? 1 : 0;
  if (names.size() > opclass_at) elem.opclass = QualName(names[opclass_at]).name();
  return elem;
}

ast::StatementPtr AstBuilder::Update(P::UpdateStatementContext* c) {
  auto s = std::make_unique<ast::UpdateStatement>();
  s->table = QualName(c->qualifiedName());
  s->only = c->ONLY() != nullptr;
  if (c->colId() != nullptr) s->alias = Name(c->colId());
  s->set = SetList(c->setList());
  if (c->fromClause() != nullptr) s->from = From(c->fromClause());
  if (c->whereClause() != nullptr) s->where = Expr(c->whereClause()->expr());
  s->returning = Returning(c->returningClause());
  return s;
}

ast::StatementPtr AstBuilder::Delete(P::DeleteStatementContext* c) {
  auto s = std::make_unique<ast::DeleteStatement>();
  s->table = QualName(c->qualifiedName());
  s->only = c->ONLY() != nullptr;
  if (c->colId() != nullptr) s->alias = Name(c->colId());
  for (P::FromItemContext* f : c->fromItem()) s->using_.push_back(FromItem(f));
  if (c->whereClause() != nullptr) s->where = Expr(c->whereClause()->expr());
  s->returning = Returning(c->returningClause());
  return s;
}

std::string AstBuilder::OptionValue(P::OptionValueContext* c) {
  if (c == nullptr) return "true";
  if (auto* n = c->signedNumber()) return n->getText();
  if (c->STRING() != nullptr) return UnquoteString(c->STRING()->getText());
  return Name(c->colLabel());
}

std::vector<std::pair<std::string, std::string>> AstBuilder::WithOptions(P::WithOptionsContext* c) {
  std::vector<std::pair<std::string, std::string>> out;
  if (c == nullptr) return out;
  return OptionList(c->withOptionList());
}

std::vector<std::pair<std::string, std::string>> AstBuilder::OptionList(
    P::WithOptionListContext* c) {
  std::vector<std::pair<std::string, std::string>> out;
  for (P::OptionItemContext* item : c->optionItem()) {
    std::string name = Name(item->colLabel(0));
    if (item->colLabel().size() > 1) name += "." + Name(item->colLabel(1));
    out.emplace_back(std::move(name), OptionValue(item->optionValue()));
  }
  return out;
}

void AstBuilder::TempOption(P::TempOptionContext* c, bool* temporary, bool* unlogged) {
  if (c == nullptr) return;
  if (c->UNLOGGED() != nullptr) {
    *unlogged = true;
  } else {
    *temporary = true;
  }
}

// CREATE COLLECTION name: a table of documents, as the CREATE TABLE it stands for.
ast::StatementPtr AstBuilder::CreateCollection(P::CreateCollectionStatementContext* c) {
  std::string sql = "CREATE TABLE ";
  if (c->EXISTS() != nullptr) sql += "IF NOT EXISTS ";
  sql += SourceText(c->qualifiedName());
  sql +=
      " (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), doc jsonb NOT NULL,"
      " created timestamptz NOT NULL DEFAULT now())";
  if (c->withOptions() != nullptr) sql += " " + SourceText(c->withOptions());
  std::vector<ast::StatementPtr> stmts = Parse(sql);
  return std::move(stmts.at(0));
}

ast::StatementPtr AstBuilder::CreateTable(P::CreateTableStatementContext* c) {
  auto s = std::make_unique<ast::CreateTableStatement>();
  TempOption(c->tempOption(), &s->temporary, &s->unlogged);
  s->if_not_exists = c->EXISTS() != nullptr;
  s->table = QualName(c->qualifiedName(0));
  if (c->PARTITION() != nullptr) {  // CREATE TABLE ... PARTITION OF parent ...
    s->has_partition_by = true;
    return s;
  }
  for (P::TableElementContext* e : c->tableElement()) {
    if (e->columnDef() != nullptr) {
      ColumnDefinition(e->columnDef(), s.get());
    } else if (e->tableLikeClause() != nullptr) {
      s->likes.push_back(LikeClause(e->tableLikeClause(), s->columns.size()));
    } else {
      TableConstraintDef(e->tableConstraint(), s.get());
    }
  }
  if (auto* inh = c->inheritsClause(); inh != nullptr) {
    for (P::QualifiedNameContext* q : inh->qualifiedName()) s->inherits.push_back(QualName(q));
  }
  s->has_partition_by = c->partitionByClause() != nullptr;
  s->with_options = WithOptions(c->withOptions());
  if (auto* oc = c->onCommitClause(); oc != nullptr) {
    s->on_commit = oc->DROP() != nullptr     ? ast::CreateTableStatement::OnCommit::kDrop
                   : oc->DELETE() != nullptr ? ast::CreateTableStatement::OnCommit::kDeleteRows
                                             : ast::CreateTableStatement::OnCommit::kPreserveRows;
    s->on_commit_location = Loc(oc);
  }
  if (c->selectStatement() != nullptr) {
    if (c->nameList() != nullptr) s->columns = NamedColumns(c->nameList());
    s->as_select = Select(c->selectStatement());
    if (c->DATA() != nullptr && c->NO() != nullptr) {
      // WITH NO DATA: the same columns, no rows.
      auto zero = std::make_unique<ast::Expr>(ast::ExprKind::kConstant, Loc(c->DATA()));
      zero->const_kind = ast::ConstKind::kInteger;
      zero->value_text = "0";
      s->as_select->limit = std::move(zero);
      s->as_select->offset.reset();
    }
  }
  return s;
}

void AstBuilder::ColumnDefinition(P::ColumnDefContext* c, ast::CreateTableStatement* stmt) {
  ast::ColumnDef col;
  col.name = Name(c->colId());
  col.location = Loc(c);
  col.type = Type(c->typeName());
  bool saw_null = false;
  P::ColumnConstraintContext* previous = nullptr;
  for (P::ColumnConstraintContext* cc : c->columnConstraint()) {
    if (P::ConstraintAttrContext* attr = cc->constraintAttr()) {
      // It belongs to the constraint before it (PostgreSQL's ConstraintAttr); a REFERENCES
      // clause reads its own.
      const bool key = previous != nullptr && previous->constraintAttr() == nullptr &&
                       (previous->UNIQUE() != nullptr || previous->PRIMARY() != nullptr);
      if (!key) {
        Fail(SqlState::kSyntaxError, attr->getStart(),
             fmt::format("misplaced {} clause", ConstraintAttrText(attr)));
      }
      KeyConstraintAttr(attr);
      continue;
    }
    previous = cc;
    if (cc->NOT() != nullptr && cc->NULL_P() != nullptr) {
      if (saw_null) {
        Fail(SqlState::kSyntaxError, cc->getStart(),
             fmt::format("conflicting NULL/NOT NULL declarations for column \"{}\" of table "
                         "\"{}\"",
                         col.name, stmt->table.name()));
      }
      col.not_null = true;
    } else if (cc->NULL_P() != nullptr && cc->REFERENCES() == nullptr) {
      if (col.not_null) {
        Fail(SqlState::kSyntaxError, cc->getStart(),
             fmt::format("conflicting NULL/NOT NULL declarations for column \"{}\" of table "
                         "\"{}\"",
                         col.name, stmt->table.name()));
      }
      saw_null = true;
      col.explicit_null = true;
      if (col.identity != 0) {
        Fail(SqlState::kSyntaxError, cc->getStart(),
             fmt::format("conflicting NULL/NOT NULL declarations for column \"{}\" of table "
                         "\"{}\"",
                         col.name, stmt->table.name()));
      }
    } else if (cc->DEFAULT() != nullptr && cc->GENERATED() == nullptr) {
      if (col.generated != 0) {
        Fail(SqlState::kSyntaxError, cc->getStart(),
             fmt::format("both default and generation expression specified for column \"{}\" of "
                         "table \"{}\"",
                         col.name, stmt->table.name()));
      }
      if (col.default_expr != nullptr) {
        Fail(SqlState::kSyntaxError, cc->getStart(),
             fmt::format("multiple default values specified for column \"{}\" of table \"{}\"",
                         col.name, stmt->table.name()));
      }
      if (col.identity != 0) {
        Fail(SqlState::kSyntaxError, cc->getStart(),
             fmt::format("both default and identity specified for column \"{}\" of table \"{}\"",
                         col.name, stmt->table.name()));
      }
      col.default_expr = Expr(cc->expr());
    } else if (cc->PRIMARY() != nullptr) {
      col.primary_key = true;
      if (cc->colId() != nullptr) col.primary_key_name = Name(cc->colId());
    } else if (cc->UNIQUE() != nullptr) {
      col.unique = true;
      if (cc->nullsDistinct() != nullptr)
        col.nulls_not_distinct = cc->nullsDistinct()->NOT() != nullptr;
    } else if (cc->CHECK() != nullptr) {
      // A column CHECK is a constraint of the table (it may name other columns too).
      ast::TableConstraint tc;
      tc.type = ast::ConstraintType::kCheck;
      if (cc->colId() != nullptr) tc.name = Name(cc->colId());
      tc.check = Expr(cc->expr());
      tc.no_inherit = cc->INHERIT() != nullptr;
      tc.location = Loc(cc);
      stmt->constraints.push_back(std::move(tc));
    } else if (cc->REFERENCES() != nullptr) {
      std::optional<std::string> name;
      if (cc->colId() != nullptr) name = Name(cc->colId());
      col.references.emplace_back(
          name, ForeignKey(cc->qualifiedName(), cc->nameList(), cc->referentialAction(), Loc(cc)));
    } else if (cc->COLLATE() != nullptr) {
      std::string coll = QualName(cc->anyName()).name();
      if (coll != "C" && coll != "POSIX" && coll != "default") {
        Unsupported(cc->COLLATE()->getSymbol(),
                    fmt::format("collation \"{}\" is not supported", coll));
      }
    } else if (cc->GENERATED() != nullptr) {
      if (cc->IDENTITY() == nullptr) {
        GeneratedColumn(cc, stmt, &col);
        continue;
      }
      // As PostgreSQL's transformColumnDefinition.
      if (col.generated != 0) {
        Fail(SqlState::kSyntaxError, cc->getStart(),
             fmt::format("both identity and generation expression specified for column \"{}\" "
                         "of table \"{}\"",
                         col.name, stmt->table.name()));
      }
      if (col.identity != 0) {
        Fail(SqlState::kSyntaxError, cc->getStart(),
             fmt::format("multiple identity specifications for column \"{}\" of table \"{}\"",
                         col.name, stmt->table.name()));
      }
      if (col.default_expr != nullptr) {
        Fail(SqlState::kSyntaxError, cc->getStart(),
             fmt::format("both default and identity specified for column \"{}\" of table \"{}\"",
                         col.name, stmt->table.name()));
      }
      if (col.explicit_null) {
        Fail(SqlState::kSyntaxError, cc->getStart(),
             fmt::format("conflicting NULL/NOT NULL declarations for column \"{}\" of table "
                         "\"{}\"",
                         col.name, stmt->table.name()));
      }
      col.identity = cc->ALWAYS() != nullptr ? 'a' : 'd';
      for (P::SeqOptElemContext* o : cc->seqOptElem()) {
        col.identity_options.push_back(SequenceOption(o));
      }
    }
  }
  stmt->columns.push_back(std::move(col));
}

// GENERATED ALWAYS AS (expr) STORED, as PostgreSQL's grammar and transformColumnDefinition.
void AstBuilder::GeneratedColumn(P::ColumnConstraintContext* cc, ast::CreateTableStatement* stmt,
                                 ast::ColumnDef* col) {
  if (cc->ALWAYS() == nullptr) {
    Fail(SqlState::kSyntaxError, cc->BY()->getSymbol(),
         "for a generated column, GENERATED ALWAYS must be specified");
  }
  auto conflict = [&](const char* what) {
    Fail(SqlState::kSyntaxError, cc->getStart(),
         fmt::format("{} specified for column \"{}\" of table \"{}\"", what, col->name,
                     stmt->table.name()));
  };
  if (col->generated != 0) conflict("multiple generation clauses");
  if (col->default_expr != nullptr) conflict("both default and generation expression");
  if (col->identity != 0) conflict("both identity and generation expression");
  col->generated = 's';
  col->default_expr = Expr(cc->expr());
}

ast::ForeignKeySpec AstBuilder::ForeignKey(P::QualifiedNameContext* table,
                                           P::NameListContext* columns,
                                           const std::vector<P::ReferentialActionContext*>& actions,
                                           int location) {
  ast::ForeignKeySpec fk;
  fk.location = location;
  fk.ref_table = QualName(table);
  if (columns != nullptr) fk.ref_columns = Names(columns);
  bool saw_deferrable = false;
  bool saw_initially = false;
  for (P::ReferentialActionContext* a : actions) {
    if (a->ON() != nullptr) {
      char action = 'a';
      if (a->CASCADE() != nullptr) {
        action = 'c';
      } else if (a->RESTRICT() != nullptr) {
        action = 'r';
      } else if (a->NULL_P() != nullptr) {
        action = 'n';
      } else if (a->SET() != nullptr) {
        action = 'd';
      }
      (a->DELETE() != nullptr ? fk.on_delete : fk.on_update) = action;
    } else if (a->MATCH() != nullptr) {
      fk.match = a->FULL() != nullptr ? 'f' : a->PARTIAL() != nullptr ? 'p' : 's';
    } else if (a->DEFERRABLE() != nullptr) {
      if (saw_deferrable) {
        Fail(SqlState::kSyntaxError, a->getStart(),
             "multiple DEFERRABLE/NOT DEFERRABLE clauses not allowed");
      }
      saw_deferrable = true;
      fk.deferrable = a->NOT() == nullptr;
    } else if (a->INITIALLY() != nullptr) {
      if (saw_initially) {
        Fail(SqlState::kSyntaxError, a->getStart(),
             "multiple INITIALLY IMMEDIATE/DEFERRED clauses not allowed");
      }
      saw_initially = true;
      std::string when = Name(a->colId());
      if (when == "deferred") {
        fk.initially_deferred = true;
      } else if (when != "immediate") {
        Fail(SqlState::kSyntaxError, a->colId()->getStart(),
             fmt::format("syntax error at or near \"{}\"", a->colId()->getText()));
      }
    }
  }
  if (fk.initially_deferred) {
    if (saw_deferrable && !fk.deferrable) {
      Fail(SqlState::kSyntaxError, actions.front()->getStart(),
           "constraint declared INITIALLY DEFERRED must be DEFERRABLE");
    }
    fk.deferrable = true;
  }
  return fk;
}

std::string AstBuilder::ConstraintAttrText(P::ConstraintAttrContext* a) {
  if (a->DEFERRABLE() != nullptr) return a->NOT() != nullptr ? "NOT DEFERRABLE" : "DEFERRABLE";
  return "INITIALLY " + Upper(a->colId()->getText());
}

void AstBuilder::KeyConstraintAttr(P::ConstraintAttrContext* a) {
  if (a->INITIALLY() != nullptr) {
    const std::string when = Name(a->colId());
    if (when != "deferred" && when != "immediate") {
      Fail(SqlState::kSyntaxError, a->colId()->getStart(),
           fmt::format("syntax error at or near \"{}\"", a->colId()->getText()));
    }
    if (when == "immediate") return;
  } else if (a->NOT() != nullptr) {
    return;  // NOT DEFERRABLE: the default
  }
  Unsupported(a->getStart(), "DEFERRABLE unique and primary key constraints are not supported yet");
}

ast::TableConstraint AstBuilder::TableConstraintOf(P::TableConstraintContext* c) {
  ast::TableConstraint tc;
  tc.location = Loc(c);
  if (c->colId() != nullptr) tc.name = Name(c->colId());
  if (c->CHECK() == nullptr) {
    for (P::ConstraintAttrContext* a : c->constraintAttr()) KeyConstraintAttr(a);
  }
  std::vector<P::NameListContext*> lists = c->nameList();
  if (c->PRIMARY() != nullptr) {
    tc.type = ast::ConstraintType::kPrimaryKey;
    tc.columns = Names(lists[0]);
    if (lists.size() > 1) tc.include = Names(lists[1]);
  } else if (c->UNIQUE() != nullptr) {
    tc.type = ast::ConstraintType::kUnique;
    tc.columns = Names(lists[0]);
    if (c->nullsDistinct() != nullptr) tc.nulls_not_distinct = c->nullsDistinct()->NOT() != nullptr;
    if (lists.size() > 1) tc.include = Names(lists[1]);
  } else if (c->CHECK() != nullptr) {
    tc.type = ast::ConstraintType::kCheck;
    tc.check = Expr(c->expr());
    tc.no_inherit = c->INHERIT() != nullptr;
    // PostgreSQL's processCASbits: NOT DEFERRABLE and INITIALLY IMMEDIATE are the default.
    for (P::ConstraintAttrContext* a : c->constraintAttr()) {
      const std::string what = ConstraintAttrText(a);
      if (what == "DEFERRABLE" || what == "INITIALLY DEFERRED") {
        Unsupported(a->getStart(), "CHECK constraints cannot be marked " + what);
      }
    }
  } else {
    tc.type = ast::ConstraintType::kForeignKey;
    tc.columns = Names(lists[0]);
    tc.foreign_key = ForeignKey(c->qualifiedName(), lists.size() > 1 ? lists[1] : nullptr,
                                c->referentialAction(), Loc(c));
  }
  return tc;
}

void AstBuilder::TableConstraintDef(P::TableConstraintContext* c, ast::CreateTableStatement* stmt) {
  stmt->constraints.push_back(TableConstraintOf(c));
}

ast::StatementPtr AstBuilder::CreateIndex(P::CreateIndexStatementContext* c) {
  auto s = std::make_unique<ast::CreateIndexStatement>();
  s->unique = c->UNIQUE() != nullptr;
  s->if_not_exists = c->EXISTS() != nullptr;
  std::vector<P::ColIdContext*> ids = c->colId();
  // colId before ON is the index name; after USING it is the method.
  size_t on_index = c->ON()->getSymbol()->getTokenIndex();
  for (P::ColIdContext* id : ids) {
    if (id->getStart()->getTokenIndex() < on_index) {
      s->name = Name(id);
    } else {
      s->method = Name(id);
    }
  }
  if (s->if_not_exists && !s->name.has_value()) {
    Fail(SqlState::kSyntaxError, c->ON()->getSymbol(), "syntax error at or near \"ON\"");
  }
  s->table = QualName(c->qualifiedName());
  if (c->INCLUDE() != nullptr) s->include = Names(c->nameList());
  if (c->nullsDistinct() != nullptr) s->nulls_not_distinct = c->nullsDistinct()->NOT() != nullptr;
  for (P::IndexElemContext* e : c->indexElem()) s->columns.push_back(IndexElement(e));
  if (c->whereClause() != nullptr) s->where = Expr(c->whereClause()->expr());
  return s;
}

ast::StatementPtr AstBuilder::CreateView(P::CreateViewStatementContext* c) {
  auto s = std::make_unique<ast::CreateViewStatement>();
  s->temporary = c->TEMP() != nullptr || c->TEMPORARY() != nullptr;
  if (c->CHECK() != nullptr) s->check_option = c->LOCAL() != nullptr ? "local" : "cascaded";
  s->options = WithOptions(c->withOptions());
  s->or_replace = c->REPLACE() != nullptr;
  s->name = QualName(c->qualifiedName());
  if (c->nameList() != nullptr) s->column_names = Names(c->nameList());
  s->query = Select(c->selectStatement());
  s->query_text = SourceText(c->selectStatement());
  s->query_location = Loc(c->selectStatement());
  return s;
}

ast::StatementPtr AstBuilder::CreateMatview(P::CreateMatviewStatementContext* c) {
  auto s = std::make_unique<ast::CreateTableStatement>();
  s->materialized_view = true;
  s->table = QualName(c->qualifiedName());
  s->if_not_exists = c->EXISTS() != nullptr;
  if (c->nameList() != nullptr) s->columns = NamedColumns(c->nameList());
  s->with_options = WithOptions(c->withOptions());
  s->as_select = Select(c->selectStatement());
  s->query_text = SourceText(c->selectStatement());
  s->query_location = Loc(c->selectStatement());
  s->with_no_data = c->DATA() != nullptr && c->NO() != nullptr;
  return s;
}

std::vector<ast::ColumnDef> AstBuilder::NamedColumns(P::NameListContext* c) {
  std::vector<ast::ColumnDef> out;
  for (P::ColIdContext* id : c->colId()) {
    ast::ColumnDef col;
    col.name = Name(id);
    col.location = Loc(id);
    out.push_back(std::move(col));
  }
  return out;
}

ast::StatementPtr AstBuilder::RefreshMatview(P::RefreshMatviewStatementContext* c) {
  auto s = std::make_unique<ast::RefreshMatviewStatement>();
  s->name = QualName(c->qualifiedName());
  s->concurrently = c->CONCURRENTLY() != nullptr;
  s->with_no_data = c->DATA() != nullptr && c->NO() != nullptr;
  return s;
}

ast::StatementPtr AstBuilder::CreateSchema(P::CreateSchemaStatementContext* c) {
  auto s = std::make_unique<ast::CreateSchemaStatement>();
  s->if_not_exists = c->EXISTS() != nullptr;
  s->name = Name(c->colId(0));  // without a name, the schema is named after the role
  if (c->AUTHORIZATION() != nullptr) s->authorization = Name(c->colId().back());
  std::vector<P::SchemaElementContext*> elements = c->schemaElement();
  if (!elements.empty() && s->if_not_exists) {
    Fail(SqlState::kFeatureNotSupported, elements[0]->getStart(),
         "CREATE SCHEMA IF NOT EXISTS cannot include schema elements");
  }
  // PostgreSQL's transformCreateSchemaStmt: each kind in turn, so that an index or a view may
  // come before the table it is on.
  auto qualify = [&](ast::QualifiedName& n) {
    if (n.parts.size() == 1) n.parts.insert(n.parts.begin(), s->name);
  };
  std::vector<ast::StatementPtr> by_kind[6];
  for (P::SchemaElementContext* e : elements) {
    if (auto* t = e->createSequenceStatement()) {
      ast::StatementPtr st = CreateSequence(t);
      qualify(static_cast<ast::CreateSequenceStatement&>(*st).name);
      by_kind[0].push_back(std::move(st));
    } else if (auto* t = e->createTableStatement()) {
      // CREATE TABLE AS is not a schema element (PostgreSQL's CreateStmt, not CreateAsStmt).
      if (t->AS() != nullptr) {
        Fail(SqlState::kSyntaxError, t->AS()->getSymbol(), "syntax error at or near \"AS\"");
      }
      ast::StatementPtr st = CreateTable(t);
      qualify(static_cast<ast::CreateTableStatement&>(*st).table);
      by_kind[1].push_back(std::move(st));
    } else if (auto* t = e->createViewStatement()) {
      ast::StatementPtr st = CreateView(t);
      qualify(static_cast<ast::CreateViewStatement&>(*st).name);
      by_kind[2].push_back(std::move(st));
    } else if (auto* t = e->createIndexStatement()) {
      ast::StatementPtr st = CreateIndex(t);
      qualify(static_cast<ast::CreateIndexStatement&>(*st).table);
      by_kind[3].push_back(std::move(st));
    } else if (auto* t = e->createTriggerStatement()) {
      ast::StatementPtr st = CreateTrigger(t);
      qualify(static_cast<ast::CreateTriggerStatement&>(*st).table);
      by_kind[4].push_back(std::move(st));
    } else if (auto* t = e->grantStatement()) {
      // Only GRANT ... ON ...: granting a role is not a schema element.
      if (t->ON() == nullptr) {
        Fail(SqlState::kSyntaxError, t->TO()->getSymbol(), "syntax error at or near \"TO\"");
      }
      by_kind[5].push_back(Grant(t));
    }
  }
  for (auto& kind : by_kind) {
    for (ast::StatementPtr& st : kind) s->elements.push_back(std::move(st));
  }
  return s;
}

ast::StatementPtr AstBuilder::CreateDatabase(P::CreateDatabaseStatementContext* c) {
  auto s = std::make_unique<ast::CreateDatabaseStatement>();
  s->name = Name(c->colId());
  for (P::CreateDatabaseOptionContext* o : c->createDatabaseOption()) {
    std::vector<P::IdentifierContext*> ids = o->identifier();
    std::string name = Name(ids[0]);
    if (o->LIMIT() != nullptr) name += "_limit";
    std::string value;
    if (ids.size() > 1) {
      value = Name(ids[1]);
    } else if (o->STRING() != nullptr) {
      value = UnquoteString(o->STRING()->getText());
    } else if (o->signedNumber() != nullptr) {
      value = o->signedNumber()->getText();
    } else {
      value = "default";
    }
    s->options.emplace_back(std::move(name), std::move(value));
  }
  return s;
}

ast::StatementPtr AstBuilder::Drop(P::DropStatementContext* c) {
  auto s = std::make_unique<ast::DropStatement>();
  P::DropObjectTypeContext* t = c->dropObjectType();
  if (t->TABLE() != nullptr) {
    s->object_kind = ast::ObjectKind::kTable;
  } else if (t->MATERIALIZED() != nullptr) {
    s->object_kind = ast::ObjectKind::kMatview;
  } else if (t->VIEW() != nullptr) {
    s->object_kind = ast::ObjectKind::kView;
  } else if (t->INDEX() != nullptr) {
    s->object_kind = ast::ObjectKind::kIndex;
  } else if (t->SCHEMA() != nullptr) {
    s->object_kind = ast::ObjectKind::kSchema;
  } else if (t->DATABASE() != nullptr) {
    s->object_kind = ast::ObjectKind::kDatabase;
  } else if (t->TYPE_P() != nullptr) {
    s->object_kind = ast::ObjectKind::kType;
  } else if (t->DOMAIN_P() != nullptr) {
    s->object_kind = ast::ObjectKind::kDomain;
  } else {
    s->object_kind = ast::ObjectKind::kSequence;
  }
  s->if_exists = c->EXISTS() != nullptr;
  s->cascade = c->CASCADE() != nullptr;
  for (P::QualifiedNameContext* n : c->qualifiedName()) s->names.push_back(QualName(n));
  return s;
}

ast::StatementPtr AstBuilder::Truncate(P::TruncateStatementContext* c) {
  auto s = std::make_unique<ast::TruncateStatement>();
  s->restart_identity = c->RESTART() != nullptr;
  s->cascade = c->CASCADE() != nullptr;
  for (P::QualifiedNameContext* n : c->qualifiedName()) {
    s->tables.push_back(QualName(n));
    bool only = false;
    for (antlr4::tree::TerminalNode* o : c->ONLY()) {
      only |= o->getSymbol()->getTokenIndex() + 1 == n->getStart()->getTokenIndex();
    }
    s->only.push_back(only);
  }
  return s;
}

ast::SequenceOption AstBuilder::SequenceOption(P::SeqOptElemContext* c) {
  ast::SequenceOption o;
  o.location = Loc(c);
  if (c->signedNumber() != nullptr) {
    std::string n = c->signedNumber()->getText();
    if (!n.empty() && n[0] == '+') n.erase(0, 1);
    o.number = n;
  }
  if (c->AS() != nullptr) {
    o.name = "as";
    o.type = Type(c->typeName());
  } else if (c->CACHE() != nullptr) {
    o.name = "cache";
  } else if (c->CYCLE() != nullptr) {
    o.name = "cycle";
    o.flag = c->NO() == nullptr;
  } else if (c->INCREMENT() != nullptr) {
    o.name = "increment";
  } else if (c->MAXVALUE() != nullptr) {
    o.name = "maxvalue";
  } else if (c->MINVALUE() != nullptr) {
    o.name = "minvalue";
  } else if (c->OWNED() != nullptr) {
    o.name = "owned_by";
    o.names = QualName(c->anyName());
  } else if (c->SEQUENCE() != nullptr) {
    std::string word = Name(c->identifier());
    if (word != "name") {
      Fail(SqlState::kSyntaxError, c->identifier()->getStart(),
           fmt::format("syntax error at or near \"{}\"", c->identifier()->getText()));
    }
    o.name = "sequence_name";
    o.names = QualName(c->anyName());
  } else if (c->START() != nullptr) {
    o.name = "start";
  } else {
    o.name = "restart";
  }
  return o;
}

ast::StatementPtr AstBuilder::CreateSequence(P::CreateSequenceStatementContext* c) {
  auto s = std::make_unique<ast::CreateSequenceStatement>();
  TempOption(c->tempOption(), &s->temporary, &s->unlogged);
  s->if_not_exists = c->EXISTS() != nullptr;
  s->name = QualName(c->qualifiedName());
  for (P::SeqOptElemContext* o : c->seqOptElem()) s->options.push_back(SequenceOption(o));
  return s;
}

ast::StatementPtr AstBuilder::AlterSequence(P::AlterSequenceStatementContext* c) {
  auto s = std::make_unique<ast::AlterSequenceStatement>();
  s->if_exists = c->EXISTS() != nullptr;
  s->name = QualName(c->qualifiedName());
  for (P::SeqOptElemContext* o : c->seqOptElem()) s->options.push_back(SequenceOption(o));
  if (c->seqOptElem().empty()) {
    antlr4::Token* from = c->SET() != nullptr ? c->SET()->getSymbol() : c->IDENT()->getSymbol();
    s->unsupported_action = SourceText(from, c->getStop());
  }
  return s;
}

ast::StatementPtr AstBuilder::Lock(P::LockStatementContext* c) {
  auto s = std::make_unique<ast::LockStatement>();
  bool only = false;
  for (ParseTree* ch : c->children) {
    if (TypeOf(ch) == P::ONLY) {
      only = true;
    } else if (auto* n = dynamic_cast<P::QualifiedNameContext*>(ch)) {
      s->tables.push_back(QualName(n));
      s->only.push_back(only);
      only = false;
    }
  }
  s->nowait = c->NOWAIT() != nullptr;
  std::vector<P::LockModeWordContext*> words = c->lockModeWord();
  if (!words.empty()) {
    auto lower = [](std::string w) {
      for (char& ch : w) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      return w;
    };
    if (lower(words.back()->getText()) != "mode") {
      Fail(SqlState::kSyntaxError, words.back()->getStart(),
           fmt::format("syntax error at or near \"{}\"", words.back()->getText()));
    }
    std::string mode;
    for (size_t i = 0; i + 1 < words.size(); ++i) {
      if (!mode.empty()) mode += " ";
      mode += lower(words[i]->getText());
    }
    static const char* kModes[] = {
        "access share", "row share",           "row exclusive", "share update exclusive",
        "share",        "share row exclusive", "exclusive",     "access exclusive"};
    bool known = false;
    for (const char* m : kModes) known = known || mode == m;
    if (!known) {
      Fail(SqlState::kSyntaxError, words.front()->getStart(),
           fmt::format("syntax error at or near \"{}\"", words.front()->getText()));
    }
    s->mode = mode;
  }
  return s;
}

ast::StatementPtr AstBuilder::AlterTable(P::AlterTableStatementContext* c) {
  auto s = std::make_unique<ast::AlterTableStatement>();
  s->table = QualName(c->qualifiedName());
  s->if_exists = c->EXISTS() != nullptr;
  s->only = c->ONLY() != nullptr;
  s->materialized_view = c->MATERIALIZED() != nullptr;
  std::vector<P::AlterActionContext*> actions = c->alterAction();
  if (actions.size() == 1) {
    AlterAction(actions[0], s.get());
    return s;
  }
  for (size_t i = 0; i < actions.size(); ++i) {
    P::AlterActionContext* a = actions[i];
    auto one = std::make_unique<ast::AlterTableStatement>();
    one->table = s->table;
    one->if_exists = s->if_exists;
    one->only = s->only;
    one->materialized_view = s->materialized_view;
    AlterAction(a, one.get());
    if (one->rename || one->set_schema) {  // PostgreSQL's grammar: these stand alone
      antlr4::tree::TerminalNode* comma = c->COMMA(i == 0 ? 0 : i - 1);
      Fail(SqlState::kSyntaxError, comma->getSymbol(),
           fmt::format("syntax error at or near \"{}\"", comma->getText()));
    }
    s->actions.push_back(std::move(one));
  }
  s->action_text = SourceText(c);
  return s;
}

ast::StatementPtr AstBuilder::AlterViewOptions(P::AlterViewOptionsStatementContext* c) {
  auto s = std::make_unique<ast::AlterTableStatement>();
  s->table = QualName(c->qualifiedName());
  s->if_exists = c->EXISTS() != nullptr;
  s->view = true;
  s->action_text = SourceText(c);
  if (c->colId() != nullptr) {
    // ALTER VIEW v ALTER [COLUMN] c SET DEFAULT e | DROP DEFAULT
    using Kind = ast::AlterTableStatement::AlterColumn::Kind;
    ast::AlterTableStatement::AlterColumn ac;
    ac.column = Name(c->colId());
    ac.location = Loc(c->colId());
    if (c->expr() != nullptr) {
      ac.kind = Kind::kSetDefault;
      ac.default_expr = Expr(c->expr());
    } else {
      ac.kind = Kind::kDropDefault;
    }
    s->alter_column = std::move(ac);
  } else if (c->withOptionList() != nullptr) {
    s->set_options = OptionList(c->withOptionList());
  } else {
    for (P::OptionNameContext* n : c->optionName()) {
      std::string name = Name(n->colLabel(0));
      if (n->colLabel().size() > 1) name += "." + Name(n->colLabel(1));
      s->reset_options.push_back(std::move(name));
    }
  }
  return s;
}

void AstBuilder::AlterAction(P::AlterActionContext* a, ast::AlterTableStatement* s) {
  s->action_text = SourceText(a);
  if (a->withOptionList() != nullptr) {
    s->set_options = OptionList(a->withOptionList());
    return;
  }
  if (a->RESET() != nullptr) {
    for (P::OptionNameContext* n : a->optionName()) {
      std::string name = Name(n->colLabel(0));
      if (n->colLabel().size() > 1) name += "." + Name(n->colLabel(1));
      s->reset_options.push_back(std::move(name));
    }
    return;
  }
  if (TriggerToggle(a, s)) return;
  if (a->INHERIT() != nullptr && a->qualifiedName() != nullptr) {
    s->inherit = QualName(a->qualifiedName());
    s->no_inherit = a->NO() != nullptr;
    return;
  }
  auto ids = a->colId();
  if (a->TYPE_P() != nullptr && a->typeName() != nullptr && !ids.empty()) {
    ast::AlterTableStatement::AlterColumnType act;
    act.column = Name(ids[0]);
    act.location = Loc(ids[0]);
    act.type = Type(a->typeName());
    if (a->expr() != nullptr) act.using_expr = Expr(a->expr());
    s->alter_column_type = std::move(act);
    return;
  }
  if (P::AlterIdentityContext* ai = a->alterIdentity(); ai != nullptr && !ids.empty()) {
    using Kind = ast::AlterTableStatement::AlterColumn::Kind;
    ast::AlterTableStatement::AlterColumn ac;
    ac.column = Name(ids[0]);
    ac.location = Loc(ids[0]);
    if (ai->GENERATED() != nullptr) {  // [ADD] GENERATED ... AS IDENTITY
      if (Name(ai->identifier()) != "add") {
        Fail(SqlState::kSyntaxError, ai->identifier()->getStart(),
             fmt::format("syntax error at or near \"{}\"", ai->identifier()->getText()));
      }
      ac.kind = Kind::kAddIdentity;
      ac.identity = ai->ALWAYS() != nullptr ? 'a' : 'd';
      for (P::SeqOptElemContext* o : ai->seqOptElem()) {
        ac.identity_options.push_back(SequenceOption(o));
      }
    } else if (ai->DROP() != nullptr && ai->IDENTITY() == nullptr) {
      if (Name(ai->identifier()) != "expression") {
        Fail(SqlState::kSyntaxError, ai->identifier()->getStart(),
             fmt::format("syntax error at or near \"{}\"", ai->identifier()->getText()));
      }
      ac.kind = Kind::kDropExpression;
      ac.if_exists = ai->IF() != nullptr;
    } else if (ai->DROP() != nullptr) {
      ac.kind = Kind::kDropIdentity;
      ac.if_exists = ai->IF() != nullptr;
    } else {
      ac.kind = Kind::kSetIdentity;
      for (P::IdentityOptionContext* o : ai->identityOption()) {
        if (o->GENERATED() != nullptr) {
          ac.identity = o->ALWAYS() != nullptr ? 'a' : 'd';
          continue;
        }
        ast::SequenceOption opt = SequenceOption(o->seqOptElem());
        if (o->SET() == nullptr && opt.name != "restart") {  // only RESTART goes without SET
          Fail(SqlState::kSyntaxError, o->getStart(),
               fmt::format("syntax error at or near \"{}\"", o->getStart()->getText()));
        }
        ac.identity_options.push_back(std::move(opt));
      }
    }
    s->alter_column = std::move(ac);
    return;
  }
  if (a->ALTER() != nullptr && !ids.empty() && (a->SET() != nullptr || a->DROP() != nullptr)) {
    using Kind = ast::AlterTableStatement::AlterColumn::Kind;
    ast::AlterTableStatement::AlterColumn ac;
    ac.column = Name(ids[0]);
    ac.location = Loc(ids[0]);
    bool set = a->SET() != nullptr;
    if (a->NULL_P() != nullptr) {
      ac.kind = set ? Kind::kSetNotNull : Kind::kDropNotNull;
    } else if (set) {
      ac.kind = Kind::kSetDefault;
      ac.default_expr = Expr(a->expr());
    } else {
      ac.kind = Kind::kDropDefault;
    }
    s->alter_column = std::move(ac);
    return;
  }
  if (a->SCHEMA() != nullptr && !ids.empty()) {
    s->set_schema = Name(ids[0]);
    return;
  }
  auto words = a->identifier();
  auto word_is = [&](const char* w) { return !words.empty() && Name(words[0]) == w; };
  if (a->columnDef() != nullptr) {
    if (!word_is("add")) {
      Fail(SqlState::kSyntaxError, words[0]->getStart(),
           fmt::format("syntax error at or near \"{}\"", words[0]->getText()));
    }
    s->add_column = std::make_unique<ast::CreateTableStatement>();
    s->add_column->table = s->table;
    s->add_column->if_not_exists = a->EXISTS() != nullptr;
    ColumnDefinition(a->columnDef(), s->add_column.get());
    return;
  }
  if (a->TO() != nullptr && !words.empty()) {
    if (!word_is("rename")) return;  // e.g. OWNER TO among several actions: 0A000
    using Kind = ast::AlterTableStatement::Rename::Kind;
    ast::AlterTableStatement::Rename r;
    r.kind = a->CONSTRAINT() != nullptr ? Kind::kConstraint
             : ids.size() == 2          ? Kind::kColumn
                                        : Kind::kTable;
    if (ids.size() == 2) r.from = Name(ids[0]);
    r.to = Name(ids.back());
    s->rename = std::move(r);
    return;
  }
  if (a->tableConstraint() != nullptr && word_is("add") &&
      (words.size() == 1 || Name(words[1]) == "valid")) {
    s->add_constraint = TableConstraintOf(a->tableConstraint());
    s->add_not_valid = words.size() == 2;
  } else if (a->DROP() == nullptr && a->CONSTRAINT() != nullptr && words.size() == 1 &&
             word_is("validate")) {
    s->validate_constraint = Name(ids[0]);
  } else if (a->DROP() != nullptr && a->CONSTRAINT() != nullptr && !ids.empty()) {
    s->drop_constraint = Name(ids[0]);
    s->drop_if_exists = a->EXISTS() != nullptr;
    s->drop_cascade = a->CASCADE() != nullptr;
  } else if (a->DROP() != nullptr && a->ALTER() == nullptr && !ids.empty()) {
    s->drop_column = Name(ids[0]);
    s->drop_if_exists = a->EXISTS() != nullptr;
    s->drop_cascade = a->CASCADE() != nullptr;
  }
}

std::string AstBuilder::IsolationLevel(P::IsolationLevelContext* c) {
  if (c->SERIALIZABLE() != nullptr) return "serializable";
  if (c->REPEATABLE() != nullptr) return "repeatable read";
  if (c->COMMITTED() != nullptr) return "read committed";
  return "read uncommitted";
}

ast::StatementPtr AstBuilder::Transaction(P::TransactionStatementContext* c) {
  auto s = std::make_unique<ast::TransactionStatement>();
  auto modes = [&](P::TransactionModeListContext* list) {
    if (list == nullptr) return;
    for (P::TransactionModeContext* m : list->transactionMode()) {
      if (m->isolationLevel() != nullptr) {
        s->isolation_level = IsolationLevel(m->isolationLevel());
      } else if (m->READ() != nullptr) {
        s->read_only = m->ONLY() != nullptr;
      } else {
        s->deferrable = m->NOT() == nullptr;  // [NOT] DEFERRABLE
      }
    }
  };
  auto chain = [&](antlr4::ParserRuleContext* ctx) {
    bool and_seen = false, no_seen = false;
    for (ParseTree* ch : ctx->children) {
      size_t t = TypeOf(ch);
      if (t == P::AND) and_seen = true;
      if (t == P::NO) no_seen = true;
    }
    s->and_chain = and_seen && !no_seen;
  };
  if (auto* b = dynamic_cast<P::BeginTransactionContext*>(c)) {
    s->action = ast::TxnAction::kBegin;
    modes(b->transactionModeList());
  } else if (auto* cm = dynamic_cast<P::CommitTransactionContext*>(c)) {
    s->action = ast::TxnAction::kCommit;
    chain(cm);
  } else if (auto* rb = dynamic_cast<P::RollbackTransactionContext*>(c)) {
    s->action = ast::TxnAction::kRollback;
    chain(rb);
  } else if (auto* sp = dynamic_cast<P::SavepointContext*>(c)) {
    s->action = ast::TxnAction::kSavepoint;
    s->savepoint_name = Name(sp->colId());
  } else if (auto* rl = dynamic_cast<P::ReleaseSavepointContext*>(c)) {
    s->action = ast::TxnAction::kRelease;
    s->savepoint_name = Name(rl->colId());
  } else if (auto* rt = dynamic_cast<P::RollbackToSavepointContext*>(c)) {
    s->action = ast::TxnAction::kRollbackTo;
    s->savepoint_name = Name(rt->colId());
  } else if (auto* pt = dynamic_cast<P::PrepareTransactionContext*>(c)) {
    s->action = ast::TxnAction::kPrepareTransaction;
    s->savepoint_name = UnquoteString(pt->STRING()->getText());  // the global transaction id
  } else if (auto* fp = dynamic_cast<P::FinishPreparedContext*>(c)) {
    s->action = fp->COMMIT() != nullptr ? ast::TxnAction::kCommitPrepared
                                        : ast::TxnAction::kRollbackPrepared;
    s->savepoint_name = UnquoteString(fp->STRING()->getText());
  } else {
    Unsupported(c->getStart(), "this transaction statement is not supported");
  }
  return s;
}

ast::StatementPtr AstBuilder::Set(P::SetStatementContext* c) {
  auto s = std::make_unique<ast::SetStatement>();
  if (P::SetConstraintsContext* sc = c->setConstraints()) {
    std::vector<P::ColIdContext*> words = sc->colId();
    if (Name(words[0]) != "constraints") {
      Fail(SqlState::kSyntaxError, sc->getStart(),
           fmt::format("syntax error at or near \"{}\"", words[0]->getText()));
    }
    const std::string mode = Name(words.back());
    if (mode != "deferred" && mode != "immediate") {
      Fail(SqlState::kSyntaxError, words.back()->getStart(),
           fmt::format("syntax error at or near \"{}\"", words.back()->getText()));
    }
    s->set_constraints = true;
    s->constraints_deferred = mode == "deferred";
    for (P::QualifiedNameContext* q : sc->qualifiedName()) {
      s->constraint_names.push_back(QualName(q));
    }
    return s;
  }
  const std::vector<ParseTree*>& ch = c->children;
  size_t i = 1;
  if (i < ch.size() && TypeOf(ch[i]) == P::LOCAL) {
    s->local = true;
    ++i;
  } else if (i + 1 < ch.size() && TypeOf(ch[i]) == P::SESSION &&
             TypeOf(ch[i + 1]) != P::CHARACTERISTICS && TypeOf(ch[i + 1]) != P::AUTHORIZATION) {
    ++i;
  }
  auto set_value = [&](P::SetValueContext* v) {
    if (v->STRING() != nullptr) return UnquoteString(v->STRING()->getText());
    if (v->signedNumber() != nullptr) return v->signedNumber()->getText();
    return Name(v->colLabel());
  };
  // SET [SESSION CHARACTERISTICS AS] TRANSACTION <modes>: the matching settings, the first in
  // name/values, the others in more_modes.
  auto one_mode = [&](P::TransactionModeListContext* list, const std::string& prefix) {
    for (P::TransactionModeContext* m : list->transactionMode()) {
      std::pair<std::string, std::string> mode;
      if (m->isolationLevel() != nullptr) {
        mode = {prefix + "isolation", IsolationLevel(m->isolationLevel())};
      } else if (m->READ() != nullptr) {
        mode = {prefix + "read_only", m->ONLY() != nullptr ? "on" : "off"};
      } else {
        mode = {prefix + "deferrable", m->NOT() != nullptr ? "off" : "on"};
      }
      if (s->name.empty()) {
        s->name = mode.first;
        s->values.push_back(mode.second);
      } else {
        s->more_modes.push_back(std::move(mode));
      }
    }
  };
  size_t first = TypeOf(ch[i]);
  if (first == P::TIME) {
    s->name = "timezone";
    if (!c->setValue().empty()) {
      s->values.push_back(set_value(c->setValue(0)));
    } else {
      s->is_default = true;  // LOCAL or DEFAULT
    }
  } else if (first == P::SESSION && TypeOf(ch[i + 1]) == P::CHARACTERISTICS) {
    one_mode(c->transactionModeList(), "default_transaction_");
  } else if (first == P::TRANSACTION) {
    one_mode(c->transactionModeList(), "transaction_");
  } else if (first == P::SCHEMA) {
    s->name = "search_path";
    s->values.push_back(UnquoteString(c->STRING()->getText()));
  } else if (first == P::NAMES) {
    s->name = "client_encoding";
    if (c->STRING() != nullptr) {
      s->values.push_back(UnquoteString(c->STRING()->getText()));
    } else {
      s->is_default = true;
    }
  } else if (first == P::ROLE) {
    s->name = "role";
    s->values.push_back(c->STRING() != nullptr ? UnquoteString(c->STRING()->getText())
                                               : Name(c->colId()));
  } else if (first == P::SESSION) {
    s->name = "session_authorization";
    if (c->STRING() != nullptr) {
      s->values.push_back(UnquoteString(c->STRING()->getText()));
    } else if (c->colId() != nullptr) {
      s->values.push_back(Name(c->colId()));
    } else {
      s->is_default = true;
    }
  } else {
    ast::QualifiedName q = QualName(c->varName());
    s->name = q.parts[0];
    for (size_t k = 1; k < q.parts.size(); ++k) s->name += "." + q.parts[k];
    if (c->DEFAULT() != nullptr) {
      s->is_default = true;
    } else {
      for (P::SetValueContext* v : c->setValue()) s->values.push_back(set_value(v));
    }
  }
  return s;
}

namespace {

// SHOW/RESET targets: the setting name PostgreSQL uses.
template <typename Ctx>
std::string SettingName(Ctx* c, const std::function<std::string(P::VarNameContext*)>& var) {
  if (c->varName() != nullptr) return var(c->varName());
  if (c->ALL() != nullptr) return "all";
  if (c->ZONE() != nullptr) return "timezone";
  if (c->ISOLATION() != nullptr) return "transaction_isolation";
  return "session_authorization";
}

}  // namespace

ast::StatementPtr AstBuilder::Show(P::ShowStatementContext* c) {
  auto s = std::make_unique<ast::ShowStatement>();
  s->name = SettingName(c, [&](P::VarNameContext* v) {
    ast::QualifiedName q = QualName(v);
    std::string n = q.parts[0];
    for (size_t k = 1; k < q.parts.size(); ++k) n += "." + q.parts[k];
    return n;
  });
  return s;
}

ast::StatementPtr AstBuilder::AlterDatabase(P::AlterDatabaseStatementContext* c) {
  auto s = std::make_unique<ast::AlterDatabaseStatement>();
  s->name = Name(c->colId());
  if (c->setStatement() != nullptr) {
    ast::StatementPtr set = Set(c->setStatement());
    const auto* st = set->kind == ast::StmtKind::kSet
                         ? static_cast<const ast::SetStatement*>(set.get())
                         : nullptr;
    if (st == nullptr || st->local || !st->more_modes.empty()) {
      Fail(SqlState::kSyntaxError, c->setStatement()->getStart(),
           "syntax error at or near \"SET\"");
    }
    s->setting = st->name;
    s->values = st->values;
    s->reset = st->is_default;
  } else {
    auto reset = Take<ast::ResetStatement>(Reset(c->resetStatement()));
    s->setting = reset->name;
    s->reset = true;
  }
  return s;
}

ast::StatementPtr AstBuilder::Reset(P::ResetStatementContext* c) {
  auto s = std::make_unique<ast::ResetStatement>();
  s->name = SettingName(c, [&](P::VarNameContext* v) {
    ast::QualifiedName q = QualName(v);
    std::string n = q.parts[0];
    for (size_t k = 1; k < q.parts.size(); ++k) n += "." + q.parts[k];
    return n;
  });
  return s;
}

ast::StatementPtr AstBuilder::Explain(P::ExplainStatementContext* c) {
  auto s = std::make_unique<ast::ExplainStatement>();
  s->analyze = c->ANALYZE() != nullptr || c->ANALYSE() != nullptr;
  s->verbose = c->VERBOSE() != nullptr;
  for (P::ExplainOptionContext* o : c->explainOption()) {
    std::string name = Name(o->colLabel());
    std::string value = Lower(OptionValue(o->optionValue()));
    auto as_bool = [&]() {
      if (value == "true" || value == "on" || value == "1") return true;
      if (value == "false" || value == "off" || value == "0") return false;
      Fail(SqlState::kInvalidParameterValue, o->getStart(),
           fmt::format("{} requires a Boolean value", name));
    };
    if (name == "analyze") {
      s->analyze = as_bool();
    } else if (name == "verbose") {
      s->verbose = as_bool();
    } else if (name == "costs" || name == "buffers" || name == "timing" || name == "summary" ||
               name == "settings" || name == "wal") {
      as_bool();  // presentation only: accepted
    } else if (name == "format") {
      if (value != "text") {
        Unsupported(o->getStart(), fmt::format("EXPLAIN format \"{}\" is not supported", value));
      }
    } else {
      Fail(SqlState::kSyntaxError, o->getStart(),
           fmt::format("unrecognized EXPLAIN option \"{}\"", name));
    }
  }
  s->statement = BuildStatement(c->explainableStatement());
  return s;
}

ast::StatementPtr AstBuilder::Copy(P::CopyStatementContext* c) {
  auto s = std::make_unique<ast::CopyStatement>();
  if (c->preparableStatement() != nullptr) {
    P::PreparableStatementContext* p = c->preparableStatement();
    if (p->mergeStatement() != nullptr) {
      throw Error(SqlState::kFeatureNotSupported, "MERGE not supported in COPY");
    }
    if (p->selectNoWith() == nullptr) {
      Unsupported(p->getStart(), "COPY of INSERT, UPDATE or DELETE is not supported");
    }
    auto sel = Take<ast::SelectStatement>(BuildStatement(p));
    if (into_ != nullptr) Unsupported(into_->getStart(), "COPY (SELECT INTO) is not supported");
    s->query = std::move(sel->select);
    s->is_from = false;
  } else {
    s->table = QualName(c->qualifiedName());
    if (c->nameList() != nullptr) s->columns = Names(c->nameList());
    s->is_from = c->FROM() != nullptr;
  }
  P::CopyTargetContext* t = c->copyTarget();
  if (t->PROGRAM() != nullptr) {
    Unsupported(t->getStart(), "COPY ... PROGRAM is not supported");
  } else if (t->STDIN() != nullptr) {
    s->target = "stdin";
  } else if (t->STDOUT() != nullptr) {
    s->target = "stdout";
  } else {
    s->target = UnquoteString(t->STRING()->getText());
  }
  if (c->whereClause() != nullptr) {
    Unsupported(c->whereClause()->getStart(), "COPY FROM ... WHERE is not supported");
  }
  if (P::CopyOptionsContext* opts = c->copyOptions()) {
    for (P::CopyOptionContext* o : opts->copyOption()) {
      std::string value = "true";
      if (o->optionValue() != nullptr) {
        value = OptionValue(o->optionValue());
      } else if (o->STAR() != nullptr) {
        value = "*";
      } else if (o->nameList() != nullptr) {
        std::vector<std::string> names = Names(o->nameList());
        value.clear();
        for (size_t k = 0; k < names.size(); ++k) value += (k ? "," : "") + names[k];
      }
      s->options.emplace_back(Name(o->colLabel()), std::move(value));
    }
    for (P::CopyLegacyOptionContext* o : opts->copyLegacyOption()) {
      Token* first = o->getStart();
      std::string word = o->FREEZE() != nullptr ? "freeze" : Lower(first->getText());
      if (o->STRING() != nullptr) {
        std::string value = UnquoteString(o->STRING()->getText());
        if (word != "null" && word != "escape" && word != "delimiter" && word != "quote" &&
            word != "encoding") {
          Fail(SqlState::kSyntaxError, first,
               fmt::format("syntax error at or near \"{}\"", first->getText()));
        }
        s->options.emplace_back(word, std::move(value));
      } else if (word == "csv" || word == "binary") {
        s->options.emplace_back("format", word);
      } else if (word == "header" || word == "freeze") {
        s->options.emplace_back(word, "true");
      } else {
        Fail(SqlState::kSyntaxError, first,
             fmt::format("syntax error at or near \"{}\"", first->getText()));
      }
    }
  }
  return s;
}

ast::StatementPtr AstBuilder::Prepare(P::PrepareStatementContext* c) {
  auto s = std::make_unique<ast::PrepareStatement>();
  s->name = Name(c->colId());
  for (P::TypeNameContext* t : c->typeName()) s->param_types.push_back(Type(t));
  s->statement = BuildStatement(c->preparableStatement());
  s->statement_text = SourceText(c->preparableStatement());
  return s;
}

ast::StatementPtr AstBuilder::Execute(P::ExecuteStatementContext* c) {
  auto s = std::make_unique<ast::ExecuteStatement>();
  s->name = Name(c->colId());
  if (c->exprList() != nullptr) s->args = ExprList(c->exprList());
  return s;
}

ast::StatementPtr AstBuilder::Deallocate(P::DeallocateStatementContext* c) {
  auto s = std::make_unique<ast::DeallocateStatement>();
  if (c->ALL() != nullptr) {
    s->all = true;
  } else {
    s->name = Name(c->colId());
  }
  return s;
}

ast::StatementPtr AstBuilder::DeclareCursor(P::DeclareCursorStatementContext* c) {
  auto s = std::make_unique<ast::DeclareCursorStatement>();
  s->name = Name(c->colId());
  for (P::CursorOptionContext* o : c->cursorOption()) {
    if (o->BINARY() != nullptr) {
      s->binary = true;
    } else if (o->NO() != nullptr) {
      s->no_scroll = true;
    } else if (o->SCROLL() != nullptr) {
      s->scroll = true;
    }
  }
  if (s->scroll && s->no_scroll) {
    Fail(SqlState::kInvalidCursorDefinition, c->getStart(),
         "cannot specify both SCROLL and NO SCROLL");
  }
  s->hold = c->WITH() != nullptr;
  P::SelectStatementContext* q = c->selectStatement();
  s->query = Dml(q->withClause(), q->selectNoWith(), nullptr, nullptr, nullptr, nullptr);
  s->query_text = SourceText(q);
  return s;
}

ast::StatementPtr AstBuilder::Fetch(P::FetchStatementContext* c) {
  using D = ast::FetchStatement::Direction;
  auto s = std::make_unique<ast::FetchStatement>();
  s->move = c->MOVE() != nullptr;
  s->name = Name(c->colId());
  auto number = [&](P::SignedIntegerContext* n) {
    errno = 0;
    long long v = std::strtoll(n->getText().c_str(), nullptr, 10);
    if (errno == ERANGE) {
      Fail(SqlState::kNumericValueOutOfRange, n->getStart(),
           fmt::format("value \"{}\" is out of range for type bigint", n->getText()));
    }
    return static_cast<int64_t>(v);
  };
  P::FetchDirectionContext* d = c->fetchDirection();
  if (d == nullptr || d->NEXT() != nullptr) {
    s->count = 1;
  } else if (d->PRIOR() != nullptr) {
    s->direction = D::kBackward;
  } else if (d->FIRST() != nullptr) {
    s->direction = D::kAbsolute;
  } else if (d->LAST() != nullptr) {
    s->direction = D::kAbsolute;
    s->count = -1;
  } else if (d->ABSOLUTE_P() != nullptr) {
    s->direction = D::kAbsolute;
    s->count = number(d->signedInteger());
  } else if (d->RELATIVE_P() != nullptr) {
    s->direction = D::kRelative;
    s->count = number(d->signedInteger());
  } else {
    // [FORWARD | BACKWARD] [count | ALL]; a negative count reverses the direction.
    if (d->BACKWARD() != nullptr) s->direction = D::kBackward;
    if (d->ALL() != nullptr) {
      s->count = ast::FetchStatement::kAll;
    } else if (d->signedInteger() != nullptr) {
      int64_t n = number(d->signedInteger());
      if (n < 0) {
        s->direction = s->direction == D::kForward ? D::kBackward : D::kForward;
        n = n == INT64_MIN ? INT64_MAX : -n;
      }
      s->count = n;
    }
  }
  return s;
}

ast::StatementPtr AstBuilder::CloseCursor(P::CloseCursorStatementContext* c) {
  auto s = std::make_unique<ast::CloseCursorStatement>();
  if (c->colId() != nullptr) s->name = Name(c->colId());
  return s;
}

ast::CreateTableStatement::Like AstBuilder::LikeClause(P::TableLikeClauseContext* c,
                                                       size_t position) const {
  using CT = ast::CreateTableStatement;
  static const std::pair<const char*, uint32_t> kOptions[] = {
      {"comments", CT::kLikeComments},       {"compression", CT::kLikeCompression},
      {"constraints", CT::kLikeConstraints}, {"defaults", CT::kLikeDefaults},
      {"generated", CT::kLikeGenerated},     {"identity", CT::kLikeIdentity},
      {"indexes", CT::kLikeIndexes},         {"statistics", CT::kLikeStatistics},
      {"storage", CT::kLikeStorage},         {"all", CT::kLikeAll}};
  CT::Like like;
  like.source = QualName(c->qualifiedName());
  like.position = position;
  like.location = Loc(c);
  for (P::TableLikeOptionContext* o : c->tableLikeOption()) {
    const std::string how = Lower(o->children[0]->getText());
    const std::string what = Lower(o->children[1]->getText());
    uint32_t bits = 0;
    for (const auto& [name, bit] : kOptions) {
      if (what == name) bits = bit;
    }
    if ((how != "including" && how != "excluding") || bits == 0) {
      const size_t at = how != "including" && how != "excluding" ? 0 : 1;
      auto* word = dynamic_cast<antlr4::ParserRuleContext*>(o->children[at]);
      antlr4::Token* token =
          word != nullptr ? word->getStart() : (at == 0 ? o->getStart() : o->getStop());
      Fail(SqlState::kSyntaxError, token,
           "syntax error at or near \"" + o->children[at]->getText() + "\"");
    }
    if (how == "including") {
      like.including |= bits;
    } else {
      like.including &= ~bits;
    }
  }
  return like;
}

ast::UtilityNoopStatement::Target AstBuilder::UtilityTarget(P::VacuumTargetContext* c) const {
  ast::UtilityNoopStatement::Target t;
  t.name = QualName(c->qualifiedName());
  if (c->nameList() != nullptr) t.columns = Names(c->nameList());
  return t;
}

void AstBuilder::UtilityOptions(P::BalancedTokensContext* c, ast::UtilityNoopStatement* s) const {
  // PostgreSQL's utility_option_list: `name [value]` items separated by commas. VACUUM and
  // ANALYZE read VERBOSE and (VACUUM) ANALYZE; the others name no behaviour here (VACUUM does
  // no work) but must be known.
  const bool vacuum = s->command_tag == "VACUUM";
  const bool reindex = s->command_tag == "REINDEX";
  std::vector<std::vector<std::string>> items(1);
  for (antlr4::tree::ParseTree* ch : c->children) {
    std::string text = ch->getText();
    if (text == ",") {
      items.emplace_back();
    } else {
      items.back().push_back(text);
    }
  }
  for (const std::vector<std::string>& item : items) {
    if (item.empty()) Fail(SqlState::kSyntaxError, c->getStop(), "syntax error at or near \")\"");
    std::string name = item[0];
    for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    bool value = true;
    if (item.size() > 1) {
      std::string v = item[1];
      for (char& ch : v) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (v == "false" || v == "off" || v == "0" || v == "no") value = false;
    }
    if (name == "verbose") {
      s->verbose = value;
    } else if (reindex && name == "concurrently") {
      s->concurrently = value;
    } else if (reindex && name == "tablespace") {
      Fail(SqlState::kFeatureNotSupported, c->getStart(), "REINDEX (TABLESPACE) is not supported");
    } else if (reindex) {
      Fail(SqlState::kSyntaxError, c->getStart(), "unrecognized REINDEX option \"" + name + "\"");
    } else if (name == "skip_locked") {
      s->skip_locked = value;
    } else if (vacuum && name == "analyze") {
      s->analyze = value;
    } else if (!vacuum || (name != "full" && name != "freeze" && name != "disable_page_skipping" &&
                           name != "index_cleanup" && name != "process_toast" &&
                           name != "truncate" && name != "parallel")) {
      Fail(SqlState::kSyntaxError, c->getStart(),
           "unrecognized " + s->command_tag + " option \"" + name + "\"");
    }
  }
}

ast::StatementPtr AstBuilder::Utility(P::UtilityStatementContext* c) {
  auto s = std::make_unique<ast::UtilityNoopStatement>();
  if (auto* v = dynamic_cast<P::VacuumContext*>(c)) {
    s->command_tag = "VACUUM";
    s->verbose = !v->VERBOSE().empty();
    s->analyze = !v->ANALYZE().empty() || !v->ANALYSE().empty();
    if (v->balancedTokens() != nullptr) UtilityOptions(v->balancedTokens(), s.get());
    for (P::VacuumTargetContext* t : v->vacuumTarget()) s->targets.push_back(UtilityTarget(t));
    if (!s->analyze) {
      for (const auto& t : s->targets) {
        if (!t.columns.empty()) {
          Fail(SqlState::kFeatureNotSupported, nullptr,
               "ANALYZE option must be specified when a column list is provided");
        }
      }
    }
  } else if (auto* a = dynamic_cast<P::AnalyzeContext*>(c)) {
    s->command_tag = "ANALYZE";
    s->analyze = true;
    s->verbose = a->VERBOSE() != nullptr;
    if (a->balancedTokens() != nullptr) UtilityOptions(a->balancedTokens(), s.get());
    for (P::VacuumTargetContext* t : a->vacuumTarget()) s->targets.push_back(UtilityTarget(t));
  } else if (auto* r = dynamic_cast<P::ReindexContext*>(c)) {
    s->command_tag = "REINDEX";
    s->reindex_kind = Upper(r->children[r->balancedTokens() != nullptr ? 4 : 1]->getText());
    s->concurrently = r->CONCURRENTLY() != nullptr;
    if (r->balancedTokens() != nullptr) UtilityOptions(r->balancedTokens(), s.get());
    ast::UtilityNoopStatement::Target t;
    t.name = QualName(r->qualifiedName());
    s->targets.push_back(std::move(t));
  } else if (dynamic_cast<P::CheckpointContext*>(c) != nullptr) {
    s->command_tag = "CHECKPOINT";
  } else if (auto* d = dynamic_cast<P::DiscardContext*>(c)) {
    std::string what = Upper(d->children[1]->getText());
    if (what == "TEMPORARY") what = "TEMP";
    s->command_tag = "DISCARD " + what;
  } else if (auto* l = dynamic_cast<P::ListenContext*>(c)) {
    auto n = std::make_unique<ast::NotifyStatement>();
    n->action = ast::NotifyStatement::Action::kListen;
    n->channel = Name(l->colId());
    return n;
  } else if (auto* u = dynamic_cast<P::UnlistenContext*>(c)) {
    auto n = std::make_unique<ast::NotifyStatement>();
    n->action = ast::NotifyStatement::Action::kUnlisten;
    if (u->colId() != nullptr) n->channel = Name(u->colId());
    return n;
  } else {
    auto* m = static_cast<P::NotifyContext*>(c);
    auto n = std::make_unique<ast::NotifyStatement>();
    n->channel = Name(m->colId());
    if (m->stringLiteral() != nullptr) n->payload = StringLiteralValue(m->stringLiteral());
    return n;
  }
  return s;
}

void AstBuilder::UnsupportedStatement(P::UnsupportedStatementContext* c) {
  // Name the command by its leading words: "GRANT", "ALTER DATABASE", "CREATE FUNCTION"...
  std::string what;
  size_t words = 1;
  size_t first = TypeOf(c->children[0]);
  if (first == P::ALTER || first == P::DROP) words = 2;
  for (size_t k = 0; k < c->children.size() && words > 0; ++k) {
    ParseTree* ch = c->children[k];
    if (auto* obj = dynamic_cast<P::UnsupportedObjectContext*>(ch)) {
      what += (what.empty() ? "" : " ") + Upper(SourceText(obj));
      break;
    }
    if (auto* tmp = dynamic_cast<P::TempOptionContext*>(ch)) {
      (void)tmp;
      continue;
    }
    if (TypeOf(ch) == P::CREATE) {
      what = "CREATE";
      continue;
    }
    if (TypeOf(ch) == P::OR || TypeOf(ch) == P::REPLACE) continue;
    if (TypeOf(ch) == P::SEQUENCE) {
      what += " SEQUENCE";
      break;
    }
    what += (what.empty() ? "" : " ") + Upper(ch->getText());
    --words;
  }
  Unsupported(c->getStart(), fmt::format("{} is not supported", what));
}

// ---- SELECT --------------------------------------------------------------------------------

std::unique_ptr<ast::WithClause> AstBuilder::With(P::WithClauseContext* c) {
  auto w = std::make_unique<ast::WithClause>();
  w->recursive = c->RECURSIVE() != nullptr;
  for (P::CommonTableExprContext* cte : c->commonTableExpr()) {
    ast::CommonTableExpr e;
    e.name = Name(cte->colId());
    e.location = Loc(cte);
    if (cte->nameList() != nullptr) e.column_names = Names(cte->nameList());
    if (cte->MATERIALIZED() != nullptr) e.materialized = cte->NOT() == nullptr;
    P::PreparableStatementContext* p = cte->preparableStatement();
    if (p->mergeStatement() != nullptr) {
      Unsupported(cte->getStart(), "MERGE not supported in WITH query");
    }
    if (p->selectNoWith() == nullptr) {
      e.dml = BuildStatement(p);
    } else {
      auto sel = Take<ast::SelectStatement>(BuildStatement(p));
      e.query = std::move(sel->select);
    }
    if (P::CteSearchClauseContext* sc = cte->cteSearchClause()) {
      auto search = std::make_shared<ast::CteSearchClause>();
      search->breadth_first = sc->BREADTH() != nullptr;
      search->columns = Names(sc->nameList());
      for (P::ColIdContext* id : sc->nameList()->colId()) {
        search->column_locations.push_back(Loc(id));
      }
      search->seq_column = Name(sc->colId());
      search->location = Loc(sc);
      e.search = std::move(search);
    }
    if (P::CteCycleClauseContext* cc = cte->cteCycleClause()) {
      auto cycle = std::make_shared<ast::CteCycleClause>();
      cycle->columns = Names(cc->nameList());
      for (P::ColIdContext* id : cc->nameList()->colId()) {
        cycle->column_locations.push_back(Loc(id));
      }
      cycle->mark_column = Name(cc->colId(0));
      cycle->path_column = Name(cc->colId(1));
      cycle->location = Loc(cc);
      if (cc->TO() != nullptr) {
        // PostgreSQL's grammar takes only constants here (AexprConst).
        for (P::PrimaryContext* pc : cc->primary()) {
          if (dynamic_cast<P::LiteralExprContext*>(pc) == nullptr &&
              dynamic_cast<P::TypedLiteralExprContext*>(pc) == nullptr &&
              dynamic_cast<P::IntervalLiteralExprContext*>(pc) == nullptr) {
            Fail(SqlState::kSyntaxError, pc->getStart(),
                 fmt::format("syntax error at or near \"{}\"", pc->getStart()->getText()));
          }
        }
        cycle->mark_value = Primary(cc->primary(0));
        cycle->mark_default = Primary(cc->primary(1));
      } else {
        auto constant = [&](const char* text) {
          auto c = std::make_unique<ast::Expr>(ast::ExprKind::kConstant, -1);
          c->const_kind = ast::ConstKind::kBool;
          c->value_text = text;
          return c;
        };
        cycle->mark_value = constant("true");
        cycle->mark_default = constant("false");
      }
      e.cycle = std::move(cycle);
    }
    w->ctes.push_back(std::move(e));
  }
  return w;
}

std::unique_ptr<ast::SelectStmt> AstBuilder::Select(P::SelectStatementContext* c) {
  DepthGuard guard(this, c);
  std::unique_ptr<ast::SelectStmt> s = SelectNoWith(c->selectNoWith());
  if (c->withClause() != nullptr) {
    if (s->with != nullptr) {
      Fail(SqlState::kSyntaxError, c->selectNoWith()->getStart(),
           "multiple WITH clauses not allowed");
    }
    s->with = With(c->withClause());
  }
  return s;
}

std::unique_ptr<ast::SelectStmt> AstBuilder::SelectNoWith(P::SelectNoWithContext* c) {
  std::unique_ptr<ast::SelectStmt> s = SelectUnion(c->selectUnion());
  if (auto* sort = c->sortClause()) {
    if (!s->order_by.empty()) {
      Fail(SqlState::kSyntaxError, sort->getStart(), "multiple ORDER BY clauses not allowed");
    }
    s->order_by = SortClause(sort);
  }
  if (P::SelectLimitContext* l = c->selectLimit()) SelectLimit(l, s.get());
  if (auto* lock = c->forLockingClause()) {
    for (P::LockingItemContext* item : lock->lockingItem()) {
      ast::LockingClause lc;
      lc.location = Loc(item->getStart());
      if (item->NO() != nullptr) {
        lc.strength = ast::LockStrength::kNoKeyUpdate;
      } else if (item->KEY() != nullptr) {
        lc.strength = ast::LockStrength::kKeyShare;
      } else if (item->SHARE() != nullptr) {
        lc.strength = ast::LockStrength::kShare;
      }
      for (P::QualifiedNameContext* q : item->qualifiedName()) lc.relations.push_back(QualName(q));
      if (item->NOWAIT() != nullptr) lc.wait = ast::LockWait::kNoWait;
      if (item->SKIP_P() != nullptr) lc.wait = ast::LockWait::kSkipLocked;
      s->locking.push_back(std::move(lc));
    }
  }
  return s;
}

void AstBuilder::SelectLimit(P::SelectLimitContext* c, ast::SelectStmt* s) {
  const std::vector<ParseTree*>& ch = c->children;
  // A parenthesized SELECT may bring its own LIMIT/OFFSET: PostgreSQL refuses a second one.
  auto set_limit = [&](Token* at, ast::ExprPtr e) {
    if (s->limit != nullptr) {
      Fail(SqlState::kSyntaxError, at, "multiple LIMIT clauses not allowed");
    }
    s->limit = std::move(e);
  };
  for (size_t i = 0; i < ch.size(); ++i) {
    size_t t = TypeOf(ch[i]);
    if (t == P::LIMIT) {
      Token* at = TokenOf(ch[i]);
      if (i + 2 < ch.size() && TypeOf(ch[i + 2]) == P::COMMA) {
        Error e(SqlState::kSyntaxError, "LIMIT #,# syntax is not supported");
        e.Hint("Use separate LIMIT and OFFSET clauses.");
        e.Position(static_cast<int>(at->getStartIndex()) + 1);
        throw e;
      }
      if (TypeOf(ch[i + 1]) != P::ALL) {
        set_limit(at, Expr(static_cast<P::ExprContext*>(ch[i + 1])));
      }
      ++i;
    } else if (t == P::OFFSET) {
      if (s->offset != nullptr) {
        Fail(SqlState::kSyntaxError, TokenOf(ch[i]), "multiple OFFSET clauses not allowed");
      }
      s->offset = Expr(static_cast<P::ExprContext*>(ch[i + 1]));
      ++i;
    } else if (auto* f = dynamic_cast<P::FetchClauseContext*>(ch[i])) {
      s->limit_with_ties = f->TIES() != nullptr;
      ast::ExprPtr count;
      if (f->expr() != nullptr) {
        count = Expr(f->expr());
      } else {
        count = std::make_unique<ast::Expr>(ast::ExprKind::kConstant, Loc(f));
        count->const_kind = ast::ConstKind::kInteger;
        count->value_text = "1";
      }
      set_limit(f->getStart(), std::move(count));
    }
  }
}

std::unique_ptr<ast::SelectStmt> AstBuilder::SelectUnion(P::SelectUnionContext* c) {
  const std::vector<ParseTree*>& ch = c->children;
  std::unique_ptr<ast::SelectStmt> left =
      SelectIntersect(static_cast<P::SelectIntersectContext*>(ch[0]));
  DepthGuard guard(this, c, static_cast<int>(ch.size() / 2));
  ast::SetOpType op = ast::SetOpType::kNone;
  bool all = false;
  for (size_t i = 1; i < ch.size(); ++i) {
    size_t t = TypeOf(ch[i]);
    if (t == P::UNION || t == P::EXCEPT) {
      op = t == P::UNION ? ast::SetOpType::kUnion : ast::SetOpType::kExcept;
      all = false;
    } else if (auto* q = dynamic_cast<P::SetQuantifierContext*>(ch[i])) {
      all = q->ALL() != nullptr;
    } else {
      auto node = std::make_unique<ast::SelectStmt>();
      node->location = left->location;
      node->set_op = op;
      node->set_all = all;
      node->larg = std::move(left);
      node->rarg = SelectIntersect(static_cast<P::SelectIntersectContext*>(ch[i]));
      left = std::move(node);
    }
  }
  return left;
}

std::unique_ptr<ast::SelectStmt> AstBuilder::SelectIntersect(P::SelectIntersectContext* c) {
  const std::vector<ParseTree*>& ch = c->children;
  std::unique_ptr<ast::SelectStmt> left =
      SelectPrimary(static_cast<P::SelectPrimaryContext*>(ch[0]));
  DepthGuard guard(this, c, static_cast<int>(ch.size() / 2));
  bool all = false;
  for (size_t i = 1; i < ch.size(); ++i) {
    if (TypeOf(ch[i]) == P::INTERSECT) {
      all = false;
    } else if (auto* q = dynamic_cast<P::SetQuantifierContext*>(ch[i])) {
      all = q->ALL() != nullptr;
    } else {
      auto node = std::make_unique<ast::SelectStmt>();
      node->location = left->location;
      node->set_op = ast::SetOpType::kIntersect;
      node->set_all = all;
      node->larg = std::move(left);
      node->rarg = SelectPrimary(static_cast<P::SelectPrimaryContext*>(ch[i]));
      left = std::move(node);
    }
  }
  return left;
}

std::unique_ptr<ast::SelectStmt> AstBuilder::SelectPrimary(P::SelectPrimaryContext* c) {
  if (c->simpleSelect() != nullptr) return SimpleSelect(c->simpleSelect());
  if (c->valuesClause() != nullptr) return Values(c->valuesClause());
  if (c->selectStatement() != nullptr) return Select(c->selectStatement());
  // TABLE name: SELECT * FROM name.
  auto s = std::make_unique<ast::SelectStmt>();
  s->location = Loc(c);
  ast::ResultTarget star;
  star.expr = std::make_unique<ast::Expr>(ast::ExprKind::kColumnRef, Loc(c));
  star.expr->star = true;
  star.location = Loc(c);
  s->targets.push_back(std::move(star));
  auto ref = std::make_unique<ast::TableRef>();
  ref->kind = ast::TableRefKind::kTable;
  ref->location = Loc(c->qualifiedName());
  ref->name = QualName(c->qualifiedName());
  s->from.push_back(std::move(ref));
  return s;
}

std::unique_ptr<ast::SelectStmt> AstBuilder::SimpleSelect(P::SimpleSelectContext* c) {
  auto s = std::make_unique<ast::SelectStmt>();
  s->location = Loc(c);
  if (c->DISTINCT() != nullptr) {
    s->distinct = true;
    if (c->exprList() != nullptr) s->distinct_on = ExprList(c->exprList());
  }
  if (c->targetList() != nullptr) s->targets = Targets(c->targetList());
  if (c->intoClause() != nullptr) {
    // SELECT ... INTO t: becomes CREATE TABLE t AS in Dml, if this is the statement's own
    // select (or the first arm of its set operation).
    if (into_ != nullptr) {
      Fail(SqlState::kSyntaxError, c->intoClause()->qualifiedName()->getStart(),
           "SELECT ... INTO is not allowed here");
    }
    into_ = c->intoClause();
    into_owner_ = s.get();
  }
  if (c->fromClause() != nullptr) s->from = From(c->fromClause());
  if (c->whereClause() != nullptr) s->where = Expr(c->whereClause()->expr());
  if (auto* g = c->groupByClause()) {
    s->group_distinct = g->setQuantifier() != nullptr && g->setQuantifier()->DISTINCT() != nullptr;
    for (P::GroupByItemContext* item : g->groupByItem()) s->group_by.push_back(GroupByItem(item));
  }
  if (c->havingClause() != nullptr) s->having = Expr(c->havingClause()->expr());
  if (c->windowClause() != nullptr) {
    for (P::WindowDefinitionContext* w : c->windowClause()->windowDefinition()) {
      std::unique_ptr<ast::WindowDef> def = WindowSpecification(w->windowSpecification());
      def->name = Name(w->colId());
      s->windows.push_back(std::move(*def));
    }
  }
  return s;
}

std::unique_ptr<ast::SelectStmt> AstBuilder::Values(P::ValuesClauseContext* c) {
  auto s = std::make_unique<ast::SelectStmt>();
  s->location = Loc(c);
  for (P::ValuesRowContext* row : c->valuesRow()) {
    std::vector<ast::ExprPtr> items;
    for (P::ValuesItemContext* item : row->valuesItem()) items.push_back(ValuesItem(item));
    if (!s->values_rows.empty() && items.size() != s->values_rows[0].size()) {
      Fail(SqlState::kSyntaxError, row->valuesItem(0)->getStart(),
           "VALUES lists must all be the same length");
    }
    s->values_rows.push_back(std::move(items));
  }
  return s;
}

std::vector<ast::ResultTarget> AstBuilder::Targets(P::TargetListContext* c) {
  std::vector<ast::ResultTarget> out;
  for (P::TargetItemContext* item : c->targetItem()) {
    ast::ResultTarget t;
    t.location = Loc(item);
    if (item->STAR() != nullptr) {
      t.expr = std::make_unique<ast::Expr>(ast::ExprKind::kColumnRef, t.location);
      t.expr->star = true;
    } else {
      t.expr = Expr(item->expr());
      if (item->colLabel() != nullptr) {
        t.alias = Name(item->colLabel());
      } else if (item->bareColLabel() != nullptr) {
        t.alias = Name(item->bareColLabel());
      }
    }
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<ast::TableRefPtr> AstBuilder::From(P::FromClauseContext* c) {
  std::vector<ast::TableRefPtr> out;
  for (P::FromItemContext* f : c->fromItem()) out.push_back(FromItem(f));
  return out;
}

ast::TableRefPtr AstBuilder::FromItem(P::FromItemContext* c) {
  ast::TableRefPtr left = TablePrimary(c->tablePrimary());
  std::vector<P::JoinPartContext*> joins = c->joinPart();
  DepthGuard guard(this, c, static_cast<int>(joins.size()));
  for (P::JoinPartContext* j : joins) {
    auto node = std::make_unique<ast::TableRef>();
    node->kind = ast::TableRefKind::kJoin;
    node->location = Loc(j);
    if (j->CROSS() != nullptr) {
      node->join_type = ast::JoinType::kCross;
    } else if (P::JoinTypeContext* jt = j->joinType()) {
      if (jt->LEFT() != nullptr) {
        node->join_type = ast::JoinType::kLeft;
      } else if (jt->RIGHT() != nullptr) {
        node->join_type = ast::JoinType::kRight;
      } else if (jt->FULL() != nullptr) {
        node->join_type = ast::JoinType::kFull;
      } else {
        node->join_type = ast::JoinType::kInner;
      }
    }
    node->natural = j->NATURAL() != nullptr;
    if (P::JoinQualContext* q = j->joinQual()) {
      if (q->expr() != nullptr) {
        node->join_condition = Expr(q->expr());
      } else {
        node->using_columns = Names(q->nameList());
      }
    }
    node->left = std::move(left);
    // A qualified join's right operand is a fromItem (the joins up to its ON/USING).
    node->right =
        j->fromItem() != nullptr ? FromItem(j->fromItem()) : TablePrimary(j->tablePrimary());
    left = std::move(node);
  }
  return left;
}

void AstBuilder::Alias(P::AliasClauseContext* c, ast::TableRef* ref) {
  if (c == nullptr) return;
  ref->alias = Name(c->colId());
  if (c->nameList() != nullptr) ref->column_aliases = Names(c->nameList());
}

std::vector<ast::TableRef::ColumnDef> AstBuilder::ColumnDefs(P::ColumnDefListContext* c) {
  std::vector<ast::TableRef::ColumnDef> defs;
  for (P::ColumnDefItemContext* item : c->columnDefItem()) {
    ast::TableRef::ColumnDef d;
    d.name = Name(item->colId());
    d.type = Type(item->typeName());
    d.location = Loc(item);
    defs.push_back(std::move(d));
  }
  return defs;
}

ast::TableRefPtr AstBuilder::TablePrimary(P::TablePrimaryContext* c) {
  auto ref = std::make_unique<ast::TableRef>();
  ref->location = Loc(c);
  if (c->fromItem() != nullptr) {  // ( joined tables )
    ast::TableRefPtr inner = FromItem(c->fromItem());
    if (c->aliasClause() != nullptr) Alias(c->aliasClause(), inner.get());
    return inner;
  }
  ref->lateral = c->LATERAL() != nullptr;
  if (c->selectStatement() != nullptr) {
    ref->subquery = Select(c->selectStatement());
    const bool values = !ref->subquery->values_rows.empty();
    ref->kind = values ? ast::TableRefKind::kValues : ast::TableRefKind::kSubquery;
    if (c->aliasClause() == nullptr) {
      Error e(SqlState::kSyntaxError,
              values ? "VALUES in FROM must have an alias" : "subquery in FROM must have an alias");
      e.Hint(values ? "For example, FROM (VALUES ...) [AS] foo."
                    : "For example, FROM (SELECT ...) [AS] foo.");
      e.Position(static_cast<int>(c->getStart()->getStartIndex()) + 1);
      throw e;
    }
  } else if (c->funcCall() != nullptr || c->specialFunction() != nullptr || c->ROWS() != nullptr) {
    ref->with_ordinality = c->ORDINALITY() != nullptr;
    ref->kind = ast::TableRefKind::kFunction;
    if (c->funcCall() != nullptr) {
      ref->function = FuncCall(c->funcCall());
    } else if (c->specialFunction() != nullptr) {
      ref->function = SpecialFunction(c->specialFunction());
    } else {
      for (P::RowsFromItemContext* item : c->rowsFromItem()) {
        ast::TableRef::RowsFromItem f;
        f.function = item->funcCall() != nullptr ? FuncCall(item->funcCall())
                                                 : SpecialFunction(item->specialFunction());
        if (item->columnDefList() != nullptr) {
          f.has_column_defs = true;
          f.column_defs = ColumnDefs(item->columnDefList());
        }
        ref->rows_from.push_back(std::move(f));
      }
    }
    if (P::FuncAliasClauseContext* a = c->funcAliasClause()) {
      if (a->aliasClause() != nullptr) {
        Alias(a->aliasClause(), ref.get());
      } else {
        if (a->colId() != nullptr) ref->alias = Name(a->colId());
        ref->has_column_defs = true;
        ref->column_defs = ColumnDefs(a->columnDefList());
      }
    }
    return ref;
  } else {
    ref->kind = ast::TableRefKind::kTable;
    ref->name = QualName(c->qualifiedName());
    ref->only = c->ONLY() != nullptr;
    if (P::TablesampleClauseContext* t = c->tablesampleClause()) {
      auto sample = std::make_unique<ast::TableRef::TableSample>();
      sample->location = Loc(t->funcName());
      sample->method = QualName(t->funcName());
      for (P::ExprContext* e : t->exprList()->expr()) sample->args.push_back(Expr(e));
      if (t->expr() != nullptr) sample->repeatable = Expr(t->expr());
      ref->tablesample = std::move(sample);
    }
  }
  Alias(c->aliasClause(), ref.get());
  return ref;
}

std::unique_ptr<ast::WindowDef> AstBuilder::WindowSpecification(P::WindowSpecificationContext* c) {
  auto w = std::make_unique<ast::WindowDef>();
  w->location = Loc(c);
  if (c->colId() != nullptr) w->ref = Name(c->colId());
  if (c->exprList() != nullptr) w->partition_by = ExprList(c->exprList());
  if (c->sortClause() != nullptr) w->order_by = SortClause(c->sortClause());
  P::FrameClauseContext* f = c->frameClause();
  if (f == nullptr) return w;
  w->has_frame = true;
  w->frame_location = Loc(f);
  w->mode = f->RANGE() != nullptr  ? ast::FrameMode::kRange
            : f->ROWS() != nullptr ? ast::FrameMode::kRows
                                   : ast::FrameMode::kGroups;
  using B = ast::FrameBoundKind;
  auto bound = [&](P::FrameBoundContext* b, ast::ExprPtr* offset) {
    if (b->UNBOUNDED() != nullptr) {
      return b->PRECEDING() != nullptr ? B::kUnboundedPreceding : B::kUnboundedFollowing;
    }
    if (b->CURRENT_P() != nullptr) return B::kCurrentRow;
    *offset = Expr(b->expr());
    return b->PRECEDING() != nullptr ? B::kOffsetPreceding : B::kOffsetFollowing;
  };
  std::vector<P::FrameBoundContext*> bounds = f->frameBound();
  auto fail = [&](P::FrameBoundContext* at, const char* message) {
    Fail(SqlState::kWindowingError, at->getStart(), message);
  };
  w->start = bound(bounds[0], &w->start_offset);
  if (bounds.size() == 1) {
    // gram.y: a lone bound is the start, and the frame ends at the current row.
    if (w->start == B::kUnboundedFollowing)
      fail(bounds[0], "frame start cannot be UNBOUNDED FOLLOWING");
    if (w->start == B::kOffsetFollowing) {
      fail(bounds[0], "frame starting from following row cannot end with current row");
    }
    w->end = B::kCurrentRow;
  } else {
    w->end = bound(bounds[1], &w->end_offset);
    if (w->start == B::kUnboundedFollowing)
      fail(bounds[0], "frame start cannot be UNBOUNDED FOLLOWING");
    if (w->end == B::kUnboundedPreceding)
      fail(bounds[1], "frame end cannot be UNBOUNDED PRECEDING");
    if (w->start == B::kCurrentRow && w->end == B::kOffsetPreceding) {
      fail(bounds[1], "frame starting from current row cannot have preceding rows");
    }
    if (w->start == B::kOffsetFollowing &&
        (w->end == B::kOffsetPreceding || w->end == B::kCurrentRow)) {
      fail(bounds[1], "frame starting from following row cannot have preceding rows");
    }
  }
  if (P::FrameExclusionContext* x = f->frameExclusion()) {
    w->exclusion = x->CURRENT_P() != nullptr ? ast::FrameExclusion::kCurrentRow
                   : x->GROUP() != nullptr   ? ast::FrameExclusion::kGroup
                   : x->TIES() != nullptr    ? ast::FrameExclusion::kTies
                                             : ast::FrameExclusion::kNoOthers;
  }
  return w;
}

std::vector<ast::SortItem> AstBuilder::SortClause(P::SortClauseContext* c) {
  std::vector<ast::SortItem> out;
  for (P::SortItemContext* item : c->sortItem()) {
    ast::SortItem s;
    s.expr = Expr(item->expr());
    s.descending = item->DESC() != nullptr;
    if (P::AnyOperatorContext* op = item->anyOperator()) {
      std::string o = op->getText();
      if (o == ">") {
        s.descending = true;
      } else if (o == "=" || o == "<>" || o == "!=" || o == "<=" || o == ">=") {
        // PostgreSQL's addTargetToSortList: not the "<" or ">" of a btree operator family.
        Error e(SqlState::kWrongObjectType,
                fmt::format("operator {} is not a valid ordering operator", o == "!=" ? "<>" : o));
        e.Hint("Ordering operators must be \"<\" or \">\" members of btree operator families.");
        e.Position(static_cast<int>(op->getStart()->getStartIndex()) + 1);
        throw e;
      } else if (o != "<") {
        Unsupported(op->getStart(), fmt::format("ORDER BY USING {} is not supported", o));
      }
    }
    if (item->NULLS() != nullptr) s.nulls_first = item->FIRST() != nullptr;
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace activestore::parser
