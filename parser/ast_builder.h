// Turns an ANTLR parse tree of grammar/SqlParser.g4 into the owned AST of parser/ast.h.
// Internal to parser/: no ANTLR type leaves this folder.
//
// The builder also applies what PostgreSQL's grammar actions do: identifier folding, literal
// unescaping, negative-constant folding, canonical type names, and the rewriting of SQL-standard
// function syntax (EXTRACT, SUBSTRING, POSITION, TRIM, CURRENT_DATE...) into function calls.
// Constructs that parse but are not supported raise 0A000 here with the construct's position.
//
// Not thread-safe: one builder per parse.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "SqlParser.h"
#include "common/error.h"
#include "parser/ast.h"
#include "parser/ast_function.h"
#include "parser/code_point_stream.h"
#include "parser/parser_internal.h"

namespace activestore::parser {

// Token type of a parse-tree child, or 0 for a rule context.
inline size_t TypeOf(antlr4::tree::ParseTree* t) {
  auto* n = dynamic_cast<antlr4::tree::TerminalNode*>(t);
  return n == nullptr ? 0 : n->getSymbol()->getType();
}

// The token of a terminal child, or nullptr for a rule context.
inline antlr4::Token* TokenOf(antlr4::tree::ParseTree* t) {
  auto* n = dynamic_cast<antlr4::tree::TerminalNode*>(t);
  return n == nullptr ? nullptr : n->getSymbol();
}

class AstBuilder {
 public:
  using P = grammar::SqlParser;

  explicit AstBuilder(const CodePointStream& input) : input_(input) {}

  // Builds every non-empty statement of the query string.
  std::vector<ast::StatementPtr> BuildRoot(P::RootContext* ctx);

  // Builds a single statement (also used for PREPARE/EXPLAIN bodies).
  ast::StatementPtr BuildStatement(antlr4::ParserRuleContext* ctx);

 private:
  // SELECT ... INTO seen in a simple select not yet claimed by its statement (Dml), and that
  // select; anywhere else it is an error.
  P::IntoClauseContext* into_ = nullptr;
  const ast::SelectStmt* into_owner_ = nullptr;
  bool allow_into_ = false;  // the next Dml is a statement of its own (not a CTE, COPY, ...)
  int build_depth_ = 0;      // BuildStatement calls in progress (CTEs, COPY queries nest)

  // ---- positions and text
  int Loc(antlr4::Token* t) const;
  int Loc(antlr4::ParserRuleContext* c) const { return Loc(c->getStart()); }
  int Loc(antlr4::tree::TerminalNode* n) const { return Loc(n->getSymbol()); }
  int End(antlr4::ParserRuleContext* c) const;  // byte offset just past the last token
  std::string SourceText(antlr4::ParserRuleContext* c) const;
  std::string SourceText(antlr4::Token* from, antlr4::Token* to) const;
  [[noreturn]] void Fail(SqlState state, antlr4::Token* at, std::string message) const;
  [[noreturn]] void Unsupported(antlr4::Token* at, std::string message) const {
    Fail(SqlState::kFeatureNotSupported, at, std::move(message));
  }

  // ---- names
  static std::string Lower(std::string s);  // ASCII letters folded to lower case
  std::string TokenName(antlr4::Token* t) const;
  std::string Name(antlr4::ParserRuleContext* c) const;
  ast::QualifiedName QualName(antlr4::ParserRuleContext* c) const;
  std::vector<std::string> Names(P::NameListContext* c) const;

  // ---- statements
  ast::StatementPtr Dml(P::WithClauseContext* with, P::SelectNoWithContext* select,
                        P::InsertStatementContext* insert, P::UpdateStatementContext* update,
                        P::DeleteStatementContext* del, P::MergeStatementContext* merge);
  ast::StatementPtr Insert(P::InsertStatementContext* c);
  // INSERT's (or MERGE's INSERT's) target columns: names, locations and subscripts.
  void InsertColumns(const std::vector<P::InsertColumnContext*>& cols,
                     std::vector<std::string>* names, std::vector<int>* locations,
                     std::vector<ast::ExprPtr>* subscripts);
  ast::StatementPtr Merge(P::MergeStatementContext* c);
  ast::IndexElem IndexElement(P::IndexElemContext* e);
  ast::StatementPtr Update(P::UpdateStatementContext* c);
  ast::StatementPtr Delete(P::DeleteStatementContext* c);
  ast::StatementPtr CreateCollection(P::CreateCollectionStatementContext* c);
  ast::StatementPtr CreateTable(P::CreateTableStatementContext* c);
  ast::StatementPtr CreateIndex(P::CreateIndexStatementContext* c);
  ast::StatementPtr CreateView(P::CreateViewStatementContext* c);
  ast::StatementPtr CreateMatview(P::CreateMatviewStatementContext* c);
  ast::StatementPtr RefreshMatview(P::RefreshMatviewStatementContext* c);
  // Column names given for CREATE TABLE AS / MATERIALIZED VIEW: ColumnDefs with a name and no
  // type.
  std::vector<ast::ColumnDef> NamedColumns(P::NameListContext* c);
  ast::StatementPtr CreateSchema(P::CreateSchemaStatementContext* c);
  ast::StatementPtr CreateDatabase(P::CreateDatabaseStatementContext* c);
  ast::StatementPtr AlterDatabase(P::AlterDatabaseStatementContext* c);
  ast::StatementPtr Drop(P::DropStatementContext* c);
  ast::StatementPtr Truncate(P::TruncateStatementContext* c);
  ast::StatementPtr Lock(P::LockStatementContext* c);
  ast::StatementPtr AlterTable(P::AlterTableStatementContext* c);
  ast::StatementPtr AlterViewOptions(P::AlterViewOptionsStatementContext* c);
  void AlterAction(P::AlterActionContext* a, ast::AlterTableStatement* s);
  ast::StatementPtr CreateSequence(P::CreateSequenceStatementContext* c);
  ast::StatementPtr AlterSequence(P::AlterSequenceStatementContext* c);
  ast::SequenceOption SequenceOption(P::SeqOptElemContext* c);
  // ast_builder_types.cpp
  ast::StatementPtr CreateType(P::CreateTypeStatementContext* c);
  ast::StatementPtr CreateCast(P::CreateCastStatementContext* c);
  ast::StatementPtr DropCast(P::DropCastStatementContext* c);
  ast::StatementPtr CreateOperator(P::CreateOperatorStatementContext* c);
  ast::StatementPtr DropOperator(P::DropOperatorStatementContext* c);
  ast::QualifiedName OperatorName(P::OperatorNameContext* c);
  ast::OperatorSignature OperatorSignatureOf(P::OperatorSignatureContext* c);
  ast::StatementPtr AlterType(P::AlterTypeStatementContext* c);
  ast::StatementPtr CreateDomain(P::CreateDomainStatementContext* c);
  ast::StatementPtr AlterDomain(P::AlterDomainStatementContext* c);
  ast::DomainConstraint DomainConstraintOf(P::DomainConstraintContext* c);
  ast::StatementPtr Transaction(P::TransactionStatementContext* c);
  ast::StatementPtr Set(P::SetStatementContext* c);
  // ast_builder_roles.cpp
  ast::StatementPtr Role(P::RoleStatementContext* c);
  ast::StatementPtr Grant(P::GrantStatementContext* c);
  ast::StatementPtr Revoke(P::RevokeStatementContext* c);
  ast::StatementPtr AlterOwner(P::AlterOwnerStatementContext* c);
  ast::StatementPtr AlterSchema(P::AlterSchemaStatementContext* c);
  ast::RoleSpec RoleSpecOf(P::RoleSpecContext* c) const;
  // GRANT / REVOKE: privileges, target, grantees, WITH GRANT|ADMIN OPTION (or ... OPTION FOR)
  // and GRANTED BY. `grant_option_keyword`: the OPTION clause was spelled with GRANT.
  template <typename Ctx>
  void FillGrant(Ctx* c, ast::GrantStatement* s, bool grant_option_keyword);
  std::vector<ast::GrantStatement::Privilege> PrivilegesOf(P::PrivilegeListContext* c,
                                                           bool* all) const;
  ast::StatementPtr Show(P::ShowStatementContext* c);
  ast::StatementPtr Reset(P::ResetStatementContext* c);
  ast::StatementPtr Explain(P::ExplainStatementContext* c);
  ast::StatementPtr Copy(P::CopyStatementContext* c);
  ast::StatementPtr Prepare(P::PrepareStatementContext* c);
  ast::StatementPtr Execute(P::ExecuteStatementContext* c);
  ast::StatementPtr Deallocate(P::DeallocateStatementContext* c);
  ast::StatementPtr DeclareCursor(P::DeclareCursorStatementContext* c);
  ast::StatementPtr Fetch(P::FetchStatementContext* c);
  ast::StatementPtr CloseCursor(P::CloseCursorStatementContext* c);
  ast::StatementPtr Utility(P::UtilityStatementContext* c);
  // CREATE TABLE's LIKE source [INCLUDING/EXCLUDING option ...], before columns[position].
  ast::CreateTableStatement::Like LikeClause(P::TableLikeClauseContext* c, size_t position) const;
  // VACUUM and ANALYZE: a relation with its column list, and the parenthesised options.
  ast::UtilityNoopStatement::Target UtilityTarget(P::VacuumTargetContext* c) const;
  void UtilityOptions(P::BalancedTokensContext* c, ast::UtilityNoopStatement* s) const;
  [[noreturn]] void UnsupportedStatement(P::UnsupportedStatementContext* c);
  ast::StatementPtr Comment(P::CommentStatementContext* c);  // ast_builder_comment.cpp
  // ast_builder_functions.cpp
  // An option word of CREATE/ALTER FUNCTION: identifiers folded, strings unquoted.
  struct RoutineWord {
    std::string text;
    antlr4::Token* token = nullptr;
    bool is_string = false;
    bool is_number = false;
  };
  ast::StatementPtr CreateFunction(P::CreateFunctionStatementContext* c);
  ast::StatementPtr DropFunction(P::DropFunctionStatementContext* c);
  // ast_builder_triggers.cpp
  ast::StatementPtr CreateTrigger(P::CreateTriggerStatementContext* c);
  ast::StatementPtr DropTrigger(P::DropTriggerStatementContext* c);
  ast::StatementPtr AlterTrigger(P::AlterTriggerStatementContext* c);
  // ALTER TABLE's ENABLE [ALWAYS | REPLICA] / DISABLE TRIGGER name | ALL | USER into
  // s->trigger_toggle; false if `a` is another action.
  bool TriggerToggle(P::AlterActionContext* a, ast::AlterTableStatement* s);
  ast::StatementPtr AlterFunction(P::AlterFunctionStatementContext* c);
  ast::StatementPtr Call(P::CallStatementContext* c);
  ast::StatementPtr Do(P::DoStatementContext* c);
  ast::RoutineParam RoutineArgOf(P::RoutineArgContext* c);
  ast::RoutineSignature RoutineSignatureOf(P::RoutineSignatureContext* c);
  // The option words of `opts`; the AS item goes to *as_text (42601 when there is none to take
  // it or it is given twice).
  std::vector<RoutineWord> RoutineWords(const std::vector<P::RoutineOptionContext*>& opts,
                                        std::optional<std::string>* as_text, int* as_location,
                                        int* as_body_offset);
  // gram.y's createfunc_opt_item: 42601 for an unknown or repeated option, 0A000 for SET,
  // SUPPORT and TRANSFORM.
  void ReadRoutineOptions(const std::vector<RoutineWord>& words, ast::RoutineOptions* out) const;

  // [TEMP | TEMPORARY | UNLOGGED] of CREATE TABLE / SEQUENCE.
  void TempOption(P::TempOptionContext* c, bool* temporary, bool* unlogged);
  void ColumnDefinition(P::ColumnDefContext* c, ast::CreateTableStatement* stmt);
  void GeneratedColumn(P::ColumnConstraintContext* cc, ast::CreateTableStatement* stmt,
                       ast::ColumnDef* col);
  void TableConstraintDef(P::TableConstraintContext* c, ast::CreateTableStatement* stmt);
  ast::TableConstraint TableConstraintOf(P::TableConstraintContext* c);
  // [NOT] DEFERRABLE / INITIALLY ... : its words, and the check for a key constraint (0A000 when
  // it would defer it).
  static std::string ConstraintAttrText(P::ConstraintAttrContext* a);
  void KeyConstraintAttr(P::ConstraintAttrContext* a);
  ast::ForeignKeySpec ForeignKey(P::QualifiedNameContext* table, P::NameListContext* columns,
                                 const std::vector<P::ReferentialActionContext*>& actions,
                                 int location);
  std::vector<std::pair<std::string, std::string>> WithOptions(P::WithOptionsContext* c);
  std::vector<std::pair<std::string, std::string>> OptionList(P::WithOptionListContext* c);
  std::string OptionValue(P::OptionValueContext* c);
  std::string IsolationLevel(P::IsolationLevelContext* c);
  std::vector<ast::ResultTarget> Returning(P::ReturningClauseContext* c);
  std::vector<std::pair<std::string, ast::ExprPtr>> SetList(P::SetListContext* c);

  // ---- SELECT
  std::unique_ptr<ast::SelectStmt> Select(P::SelectStatementContext* c);
  std::unique_ptr<ast::SelectStmt> SelectNoWith(P::SelectNoWithContext* c);
  std::unique_ptr<ast::SelectStmt> SelectUnion(P::SelectUnionContext* c);
  std::unique_ptr<ast::SelectStmt> SelectIntersect(P::SelectIntersectContext* c);
  std::unique_ptr<ast::SelectStmt> SelectPrimary(P::SelectPrimaryContext* c);
  std::unique_ptr<ast::SelectStmt> SimpleSelect(P::SimpleSelectContext* c);
  std::unique_ptr<ast::SelectStmt> Values(P::ValuesClauseContext* c);
  std::unique_ptr<ast::WithClause> With(P::WithClauseContext* c);
  void SelectLimit(P::SelectLimitContext* c, ast::SelectStmt* s);
  std::vector<ast::ResultTarget> Targets(P::TargetListContext* c);
  std::vector<ast::TableRefPtr> From(P::FromClauseContext* c);
  ast::TableRefPtr FromItem(P::FromItemContext* c);
  ast::TableRefPtr TablePrimary(P::TablePrimaryContext* c);
  void Alias(P::AliasClauseContext* c, ast::TableRef* ref);
  std::vector<ast::SortItem> SortClause(P::SortClauseContext* c);
  // OVER (...) / WINDOW w AS (...), with gram.y's frame checks (42P20).
  std::unique_ptr<ast::WindowDef> WindowSpecification(P::WindowSpecificationContext* c);

  // ---- expressions
  ast::ExprPtr Expr(P::ExprContext* c);
  ast::ExprPtr ValuesItem(P::ValuesItemContext* c);
  std::vector<ast::ExprPtr> ExprList(P::ExprListContext* c);
  ast::ExprPtr Or(P::OrExprContext* c);
  ast::ExprPtr And(P::AndExprContext* c);
  ast::ExprPtr Not(P::NotExprContext* c);
  ast::ExprPtr Is(P::IsExprContext* c);
  ast::ExprPtr Comparison(P::ComparisonExprContext* c);
  ast::ExprPtr Predicate(P::PredicateExprContext* c);
  ast::ExprPtr OtherOp(P::OtherOpExprContext* c);
  ast::ExprPtr Additive(P::AdditiveExprContext* c);
  ast::ExprPtr Multiplicative(P::MultiplicativeExprContext* c);
  ast::ExprPtr Power(P::PowerExprContext* c);
  ast::ExprPtr AtTimeZone(P::AtTimeZoneExprContext* c);
  ast::ExprPtr Unary(P::UnaryExprContext* c);
  ast::ExprPtr Postfix(P::PostfixExprContext* c);
  // Reads one `[i]` / `[lo:hi]` of `ch` starting at ch[*i] (the LBRACKET) into `sub` (a
  // kSubscript: lower and upper bound, null when omitted, and the slice flag); leaves *i at the
  // RBRACKET.
  void AppendSubscript(const std::vector<antlr4::tree::ParseTree*>& ch, size_t* i, ast::Expr* sub);
  ast::ExprPtr Primary(P::PrimaryContext* c);
  ast::ExprPtr Literal(P::LiteralContext* c);
  ast::ExprPtr StringConst(antlr4::Token* t);
  ast::ExprPtr ColumnRef(P::ColumnRefContext* c);
  ast::ExprPtr ArrayLiteral(P::ArrayLiteralContext* c);
  ast::ExprPtr FuncCall(P::FuncCallContext* c);
  // A GROUP BY item: an expression, or a kGroupingSet (ROLLUP, CUBE, GROUPING SETS, ()).
  ast::ExprPtr GroupByItem(P::GroupByItemContext* c);
  ast::ExprPtr SpecialFunction(P::SpecialFunctionContext* c);
  std::string StringValue(antlr4::Token* t);
  // The value of a string constant ('a' 'b' continued across a newline, E'', U&'', $$).
  std::string StringLiteralValue(P::StringLiteralContext* sl);

  // ---- types
  ast::TypeName Type(P::TypeNameContext* c);
  std::vector<ast::TableRef::ColumnDef> ColumnDefs(P::ColumnDefListContext* c);
  int32_t IntervalFields(P::IntervalQualifierContext* c, std::vector<int32_t>* precision);
  ast::TypeName SimpleType(P::SimpleTypeNameContext* c);
  ast::TypeName GenericType(P::GenericTypeNameContext* c);
  std::vector<int32_t> TypeMods(P::TypeModifiersContext* c);

  // Tracks expression nesting; throws 54000 past internal::kMaxExpressionDepth.
  class DepthGuard {
   public:
    DepthGuard(AstBuilder* b, antlr4::ParserRuleContext* at, int levels = 1);
    ~DepthGuard() { b_->depth_ -= levels_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

   private:
    AstBuilder* b_;
    int levels_;
  };

  const CodePointStream& input_;
  int depth_ = 0;
};

}  // namespace activestore::parser
