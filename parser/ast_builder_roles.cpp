// Roles and privileges: CREATE/ALTER/DROP ROLE, GRANT, REVOKE, ALTER ... OWNER TO.
#include <cstdlib>
#include <functional>

#include "parser/ast_builder.h"
#include "parser/literals.h"

namespace activestore::parser {

using antlr4::Token;
using antlr4::tree::ParseTree;
using antlr4::tree::TerminalNode;
using P = grammar::SqlParser;

ast::RoleSpec AstBuilder::RoleSpecOf(P::RoleSpecContext* c) const {
  ast::RoleSpec r;
  r.location = Loc(c);
  if (c->CURRENT_USER() != nullptr || c->CURRENT_ROLE() != nullptr) {
    r.kind = ast::RoleSpec::Kind::kCurrentUser;
  } else if (c->SESSION_USER() != nullptr) {
    r.kind = ast::RoleSpec::Kind::kSessionUser;
  } else if (c->STRING() != nullptr) {
    r.name = UnquoteString(c->STRING()->getText());
  } else {
    r.name = Name(c->colId());
    // PUBLIC is a grantee only when unquoted (PostgreSQL's "public" is a keyword there).
    if (r.name == "public" && c->colId()->getStart()->getType() != P::QUOTED_IDENT) {
      r.kind = ast::RoleSpec::Kind::kPublic;
    }
  }
  return r;
}

namespace {

// The token run of CREATE/ALTER ROLE options, read word by word.
class OptionReader {
 public:
  explicit OptionReader(std::vector<Token*> tokens) : t_(std::move(tokens)) {}
  bool done() const { return i_ >= t_.size(); }
  Token* peek() const { return done() ? nullptr : t_[i_]; }
  Token* next() { return t_[i_++]; }
  // The next token as a lower-case word (keywords and identifiers), or "" for other tokens.
  std::string word() const {
    if (done()) return "";
    Token* t = t_[i_];
    if (t->getType() == P::STRING || t->getType() == P::ICONST || t->getType() == P::MINUS ||
        t->getType() == P::COMMA || t->getType() == P::QUOTED_IDENT) {
      return "";
    }
    return NormalizeIdentifier(t->getText());
  }
  size_t pos() const { return i_; }

 private:
  std::vector<Token*> t_;
  size_t i_ = 0;
};

}  // namespace

ast::StatementPtr AstBuilder::Role(P::RoleStatementContext* c) {
  if (c->DROP() != nullptr) {
    auto s = std::make_unique<ast::DropRoleStatement>();
    s->if_exists = c->EXISTS() != nullptr;
    for (P::RoleSpecContext* r : c->roleSpec()) s->roles.push_back(RoleSpecOf(r));
    return s;
  }
  const bool create = c->CREATE() != nullptr;
  auto s = std::make_unique<ast::RoleStatement>(create ? ast::StmtKind::kCreateRole
                                                       : ast::StmtKind::kAlterRole);
  s->role = RoleSpecOf(c->roleSpec(0));
  s->is_user = c->USER() != nullptr;
  std::vector<Token*> tokens;
  for (ParseTree* ch : c->roleOptionTokens()->children) {
    if (auto* t = dynamic_cast<TerminalNode*>(ch)) tokens.push_back(t->getSymbol());
  }
  OptionReader r(std::move(tokens));
  auto syntax = [&](Token* at) -> void {
    if (at == nullptr) {
      Fail(SqlState::kSyntaxError, c->getStop(), "syntax error at end of input");
    }
    Fail(SqlState::kSyntaxError, at, "syntax error at or near \"" + at->getText() + "\"");
  };
  auto conflict = [&](Token* at) {
    Fail(SqlState::kSyntaxError, at, "conflicting or redundant options");
  };
  auto role_list = [&](std::vector<ast::RoleSpec>* out) {
    do {
      Token* t = r.peek();
      if (t == nullptr) syntax(nullptr);
      r.next();
      ast::RoleSpec spec;
      spec.location = Loc(t);
      if (t->getType() == P::CURRENT_USER || t->getType() == P::CURRENT_ROLE) {
        spec.kind = ast::RoleSpec::Kind::kCurrentUser;
      } else if (t->getType() == P::SESSION_USER) {
        spec.kind = ast::RoleSpec::Kind::kSessionUser;
      } else if (t->getType() == P::STRING || t->getType() == P::ICONST ||
                 t->getType() == P::COMMA) {
        syntax(t);
      } else {
        spec.name = TokenName(t);
      }
      out->push_back(std::move(spec));
      if (r.peek() == nullptr || r.peek()->getType() != P::COMMA) break;
      r.next();
    } while (true);
  };
  auto flag = [&](std::optional<bool>* field, bool value, Token* at) {
    if (field->has_value()) conflict(at);
    *field = value;
  };
  if (!create && r.word() == "rename") {
    Token* at = r.next();
    if (r.word() != "to") syntax(r.peek());
    r.next();
    Token* name = r.peek();
    if (name == nullptr || name->getType() == P::STRING || name->getType() == P::ICONST) {
      syntax(name);
    }
    r.next();
    s->rename_to = TokenName(name);
    if (!r.done()) syntax(r.peek());
    (void)at;
    return s;
  }
  if (!create && (r.word() == "set" || r.word() == "reset" || r.word() == "in")) {
    s->set_config = true;
    if (r.word() == "in") {
      r.next();
      if (r.word() != "database") syntax(r.peek());
      r.next();
      Token* db = r.peek();
      if (db == nullptr || db->getType() == P::STRING || db->getType() == P::ICONST) syntax(db);
      r.next();
      s->in_database = TokenName(db);
    }
    const bool set = r.word() == "set";
    if (!set && r.word() != "reset") syntax(r.peek());
    r.next();
    // The setting's name: a word, or dotted words (a custom setting).
    Token* name = r.peek();
    if (name == nullptr || r.word().empty()) syntax(name);
    r.next();
    s->setting = TokenName(name);
    while (r.peek() != nullptr && r.peek()->getType() == P::DOT) {
      r.next();
      Token* part = r.peek();
      if (part == nullptr || r.word().empty()) syntax(part);
      r.next();
      s->setting += "." + TokenName(part);
    }
    if (set) {
      if (r.word() != "to" && (r.peek() == nullptr || r.peek()->getType() != P::EQ)) {
        syntax(r.peek());
      }
      r.next();
      if (r.word() == "default") {
        r.next();
      } else {
        // Values as PostgreSQL's flatten_set_variable_args: strings as they are, words and
        // numbers as written, several joined with ", ".
        std::string value;
        do {
          Token* v = r.peek();
          if (v == nullptr) syntax(nullptr);
          r.next();
          std::string text;
          if (v->getType() == P::MINUS) {
            Token* num = r.peek();
            if (num == nullptr || (num->getType() != P::ICONST && num->getType() != P::FCONST)) {
              syntax(num);
            }
            r.next();
            text = "-" + num->getText();
          } else if (v->getType() == P::STRING) {
            text = UnquoteString(v->getText());
          } else if (v->getType() == P::ICONST || v->getType() == P::FCONST) {
            text = v->getText();
          } else if (v->getType() == P::COMMA) {
            syntax(v);
          } else {
            text = TokenName(v);
          }
          value += (value.empty() ? "" : ", ") + text;
          if (r.peek() == nullptr || r.peek()->getType() != P::COMMA) break;
          r.next();
        } while (true);
        s->setting_value = std::move(value);
      }
    }
    if (!r.done()) syntax(r.peek());
    return s;
  }
  bool sysid = false;
  while (!r.done()) {
    Token* at = r.peek();
    std::string w = r.word();
    if (w.empty()) syntax(at);
    r.next();
    if (w == "superuser" || w == "nosuperuser") {
      flag(&s->superuser, w == "superuser", at);
    } else if (w == "createdb" || w == "nocreatedb") {
      flag(&s->create_db, w == "createdb", at);
    } else if (w == "createrole" || w == "nocreaterole") {
      flag(&s->create_role, w == "createrole", at);
    } else if (w == "inherit" || w == "noinherit") {
      flag(&s->inherit, w == "inherit", at);
    } else if (w == "login" || w == "nologin") {
      flag(&s->login, w == "login", at);
    } else if (w == "replication" || w == "noreplication") {
      flag(&s->replication, w == "replication", at);
    } else if (w == "bypassrls" || w == "nobypassrls") {
      flag(&s->bypass_rls, w == "bypassrls", at);
    } else if (w == "password" || w == "encrypted" || w == "unencrypted") {
      if (w != "password") {
        if (r.word() != "password") syntax(r.peek());
        if (w == "unencrypted") {
          Unsupported(at, "UNENCRYPTED PASSWORD is no longer supported");
        }
        r.next();
      }
      if (s->password_given) conflict(at);
      s->password_given = true;
      Token* v = r.peek();
      if (v != nullptr && v->getType() == P::STRING) {
        s->password = UnquoteString(r.next()->getText());
      } else if (w == "password" && v != nullptr && v->getType() == P::NULL_P) {
        r.next();
      } else {
        syntax(v);
      }
    } else if (w == "connection") {
      if (r.word() != "limit") syntax(r.peek());
      r.next();
      bool negative = false;
      if (r.peek() != nullptr && r.peek()->getType() == P::MINUS) {
        negative = true;
        r.next();
      }
      Token* v = r.peek();
      if (v == nullptr || v->getType() != P::ICONST) syntax(v);
      r.next();
      if (s->connection_limit) conflict(at);
      long long n = std::strtoll(v->getText().c_str(), nullptr, 10);
      s->connection_limit = static_cast<int32_t>(negative ? -n : n);
    } else if (w == "valid") {
      if (r.word() != "until") syntax(r.peek());
      r.next();
      Token* v = r.peek();
      if (v == nullptr || v->getType() != P::STRING) syntax(v);
      r.next();
      if (s->valid_until) conflict(at);
      s->valid_until = UnquoteString(v->getText());
    } else if (create && w == "sysid") {
      Token* v = r.peek();
      if (v == nullptr || v->getType() != P::ICONST) syntax(v);
      r.next();
      sysid = true;
    } else if (create && (w == "role" || w == "user")) {
      role_list(&s->members);
    } else if (create && w == "admin") {
      role_list(&s->admins);
    } else if (create && w == "in") {
      std::string kind = r.word();
      if (kind != "role" && kind != "group") syntax(r.peek());
      r.next();
      role_list(&s->in_roles);
    } else {
      Fail(SqlState::kSyntaxError, at, "unrecognized role option \"" + w + "\"");
    }
  }
  (void)sysid;
  return s;
}

std::vector<ast::GrantStatement::Privilege> AstBuilder::PrivilegesOf(P::PrivilegeListContext* c,
                                                                     bool* all) const {
  std::vector<ast::GrantStatement::Privilege> out;
  if (c->ALL() != nullptr) {
    if (c->identifier() != nullptr && Name(c->identifier()) != "privileges") {
      Fail(SqlState::kSyntaxError, c->identifier()->getStart(),
           "syntax error at or near \"" + c->identifier()->getText() + "\"");
    }
    *all = true;
    if (c->nameList() != nullptr) {
      ast::GrantStatement::Privilege p;
      p.name = "all";
      p.columns = Names(c->nameList());
      p.location = Loc(c);
      out.push_back(std::move(p));
    }
    return out;
  }
  for (P::PrivilegeContext* pc : c->privilege()) {
    ast::GrantStatement::Privilege p;
    p.location = Loc(pc);
    p.name =
        pc->colId() != nullptr ? Name(pc->colId()) : NormalizeIdentifier(pc->getStart()->getText());
    if (pc->nameList() != nullptr) p.columns = Names(pc->nameList());
    out.push_back(std::move(p));
  }
  return out;
}

namespace {

template <typename Ctx>
void FillTarget(Ctx* c, ast::GrantStatement* s,
                const std::function<ast::QualifiedName(antlr4::ParserRuleContext*)>& qual) {
  P::PrivilegeTargetContext* t = c->privilegeTarget();
  if (t == nullptr) {
    s->roles = true;
    return;
  }
  using T = ast::GrantStatement::Target;
  auto names = [&](const std::vector<P::ColIdContext*>& ids) {
    for (P::ColIdContext* id : ids) s->objects.push_back(qual(id));
  };
  if (t->ALL() != nullptr) {
    s->target = t->SEQUENCES() != nullptr ? T::kAllSequencesInSchema : T::kAllTablesInSchema;
    names(t->colId());
  } else if (t->SCHEMA() != nullptr) {
    s->target = T::kSchema;
    names(t->colId());
  } else if (t->DATABASE() != nullptr) {
    s->target = T::kDatabase;
    names(t->colId());
  } else if (t->SEQUENCE() != nullptr) {
    s->target = T::kSequence;
    for (P::QualifiedNameContext* q : t->qualifiedName()) s->objects.push_back(qual(q));
  } else if (!t->qualifiedName().empty()) {
    s->target = T::kTable;
    for (P::QualifiedNameContext* q : t->qualifiedName()) s->objects.push_back(qual(q));
  } else {
    s->target = T::kOther;
  }
}

}  // namespace

template <typename Ctx>
void AstBuilder::FillGrant(Ctx* c, ast::GrantStatement* s, bool grant_option_keyword) {
  s->privileges = PrivilegesOf(c->privilegeList(), &s->all);
  FillTarget(c, s, [&](antlr4::ParserRuleContext* q) { return QualName(q); });
  for (P::GranteeContext* g : c->granteeList()->grantee()) {
    s->grantees.push_back(RoleSpecOf(g->roleSpec()));
  }
  std::vector<P::IdentifierContext*> ids = c->identifier();
  size_t next_id = 0;
  if (c->OPTION() != nullptr) {
    s->option = true;
    std::string kind = grant_option_keyword ? "grant" : Name(ids[next_id++]);
    if (kind != (s->roles ? "admin" : "grant")) {
      Fail(SqlState::kSyntaxError, c->OPTION()->getSymbol(), "syntax error at or near \"OPTION\"");
    }
  }
  if (c->BY() != nullptr) {
    if (next_id >= ids.size() || Name(ids[next_id]) != "granted") {
      Fail(SqlState::kSyntaxError, c->BY()->getSymbol(), "syntax error at or near \"BY\"");
    }
    s->granted_by = RoleSpecOf(c->roleSpec());
  }
}

ast::StatementPtr AstBuilder::Grant(P::GrantStatementContext* c) {
  auto s = std::make_unique<ast::GrantStatement>();
  FillGrant(c, s.get(), c->GRANT().size() > 1);
  if (s->roles && s->all) {
    Fail(SqlState::kSyntaxError, c->TO()->getSymbol(), "syntax error at or near \"TO\"");
  }
  return s;
}

ast::StatementPtr AstBuilder::Revoke(P::RevokeStatementContext* c) {
  auto s = std::make_unique<ast::GrantStatement>();
  s->is_grant = false;
  FillGrant(c, s.get(), c->GRANT() != nullptr);
  s->cascade = c->CASCADE() != nullptr;
  return s;
}

ast::StatementPtr AstBuilder::AlterSchema(P::AlterSchemaStatementContext* c) {
  if (Name(c->identifier()) != "rename") {
    Fail(SqlState::kSyntaxError, c->identifier()->getStart(),
         "syntax error at or near \"" + c->identifier()->getText() + "\"");
  }
  auto s = std::make_unique<ast::AlterSchemaStatement>();
  s->name = Name(c->colId(0));
  s->new_name = Name(c->colId(1));
  return s;
}

ast::StatementPtr AstBuilder::AlterOwner(P::AlterOwnerStatementContext* c) {
  auto s = std::make_unique<ast::AlterOwnerStatement>();
  if (c->TABLE() != nullptr) s->object_kind = ast::ObjectKind::kTable;
  if (c->SEQUENCE() != nullptr) s->object_kind = ast::ObjectKind::kSequence;
  if (c->VIEW() != nullptr) {
    s->object_kind =
        c->MATERIALIZED() != nullptr ? ast::ObjectKind::kMatview : ast::ObjectKind::kView;
  }
  if (c->SCHEMA() != nullptr) s->object_kind = ast::ObjectKind::kSchema;
  if (c->DATABASE() != nullptr) s->object_kind = ast::ObjectKind::kDatabase;
  if (c->TYPE_P() != nullptr) s->object_kind = ast::ObjectKind::kType;
  if (c->DOMAIN_P() != nullptr) s->object_kind = ast::ObjectKind::kDomain;
  s->if_exists = c->EXISTS() != nullptr;
  s->name = QualName(c->qualifiedName());
  s->owner = RoleSpecOf(c->roleSpec());
  return s;
}

}  // namespace activestore::parser
