// The statements the audit log records (common/audit_log.h) and their events.
#include <regex>

#include "executor/session.h"

namespace activestore::executor {

const char* SessionImpl::AuditClass(const ast::Statement& s) {
  switch (s.kind) {
    case ast::StmtKind::kCreateRole:
    case ast::StmtKind::kAlterRole:
    case ast::StmtKind::kDropRole:
    case ast::StmtKind::kGrant:
    case ast::StmtKind::kAlterOwner:
      return "role";
    case ast::StmtKind::kSet: {
      const std::string& name = static_cast<const ast::SetStatement&>(s).name;
      return name == "role" || name == "session_authorization" ? "role" : nullptr;
    }
    case ast::StmtKind::kReset: {
      const std::string& name = static_cast<const ast::ResetStatement&>(s).name;
      return name == "role" || name == "session_authorization" ? "role" : nullptr;
    }
    case ast::StmtKind::kCreateTable:
    case ast::StmtKind::kCreateSchema:
    case ast::StmtKind::kAlterSchema:
    case ast::StmtKind::kCreateDatabase:
    case ast::StmtKind::kCreateIndex:
    case ast::StmtKind::kCreateView:
    case ast::StmtKind::kDrop:
    case ast::StmtKind::kAlterTable:
    case ast::StmtKind::kCreateSequence:
    case ast::StmtKind::kAlterSequence:
    case ast::StmtKind::kAlterDatabase:
    case ast::StmtKind::kCreateType:
    case ast::StmtKind::kCreateCast:
    case ast::StmtKind::kDropCast:
    case ast::StmtKind::kCreateOperator:
    case ast::StmtKind::kDropOperator:
    case ast::StmtKind::kAlterType:
    case ast::StmtKind::kCreateDomain:
    case ast::StmtKind::kAlterDomain:
    case ast::StmtKind::kCreateFunction:
    case ast::StmtKind::kDropFunction:
    case ast::StmtKind::kAlterFunction:
    case ast::StmtKind::kCreateTrigger:
    case ast::StmtKind::kDropTrigger:
    case ast::StmtKind::kAlterTrigger:
    case ast::StmtKind::kComment:
    case ast::StmtKind::kRefreshMatview:
      return "ddl";
    case ast::StmtKind::kCopy: {
      const std::string& target = static_cast<const ast::CopyStatement&>(s).target;
      return target == "stdin" || target == "stdout" ? nullptr : "copy";
    }
    case ast::StmtKind::kUtilityNoop:
      // CHECKPOINT is the superuser-only utility statement (pg_checkpoint in PostgreSQL 15).
      return static_cast<const ast::UtilityNoopStatement&>(s).command_tag == "CHECKPOINT"
                 ? "superuser"
                 : nullptr;
    case ast::StmtKind::kExplain:
      // EXPLAIN runs only queries and DML (EXPLAIN ANALYZE of a DDL statement is an error).
    default:
      return nullptr;
  }
}

namespace {

// A role statement's text with its password literal hidden: PASSWORD 'x' -> PASSWORD '***'.
std::string RedactPasswords(const std::string& sql) {
  static const std::regex kPassword(R"((password\s+)'(?:[^']|'')*')",
                                    std::regex::icase | std::regex::ECMAScript);
  return std::regex_replace(sql, kPassword, "$1'***'");
}

}  // namespace

AuditEvent SessionImpl::AuditBegin(const char* kind, const StatementImpl& st) const {
  AuditEvent e;
  e.kind = kind;
  e.role = current_user_name_;
  e.session_user = session_user_name_;
  e.client_address = client_address_;
  e.database = db_.name;
  e.statement = std::string_view(kind) == "role" ? RedactPasswords(st.sql()) : st.sql();
  return e;
}

void SessionImpl::AuditEnd(AuditEvent& e, const QueryResult* result, const Error* error) {
  if (error != nullptr) {
    e.sqlstate = std::string(SqlStateCode(error->state()));
    e.message = error->message();
  } else {
    e.sqlstate = "00000";
    e.command = result->copy_in ? "COPY" : result->command_tag;
  }
  engine_->audit_log()->Write(e);
}

}  // namespace activestore::executor
