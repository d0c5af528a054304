// COPY FROM STDIN / file (text and CSV formats) and COPY TO STDOUT / file.
#include <algorithm>
#include <fstream>
#include <sstream>

#include "common/value_ops.h"
#include "executor/deparse.h"
#include "executor/exec_state.h"
#include "executor/foreign_keys.h"
#include "executor/operators/dml_util.h"
#include "executor/session.h"
#include "parser/parser.h"
#include "storage/table_store.h"

namespace activestore::executor {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

struct CopyFormat {
  bool csv = false;
  bool header = false;
  char delimiter = '\t';
  std::string null_string = "\\N";
  char quote = '"';
  char escape = '"';
};

CopyFormat ParseOptions(const ast::CopyStatement& s) {
  CopyFormat f;
  bool delimiter_set = false, null_set = false, escape_set = false;
  for (const auto& [k0, v] : s.options) {
    std::string k = Lower(k0);
    std::string lv = Lower(v);
    if (k == "format") {
      if (lv == "csv") {
        f.csv = true;
      } else if (lv == "text") {
        f.csv = false;
      } else if (lv == "binary") {
        Throw(SqlState::kFeatureNotSupported, "COPY BINARY is not supported yet");
      } else {
        Throw(SqlState::kInvalidParameterValue, "COPY format \"{}\" not recognized", v);
      }
    } else if (k == "csv") {
      f.csv = true;
    } else if (k == "binary") {
      Throw(SqlState::kFeatureNotSupported, "COPY BINARY is not supported yet");
    } else if (k == "header") {
      f.header = lv.empty() || lv == "true" || lv == "on" || lv == "1";
      if (lv == "match") f.header = true;
    } else if (k == "delimiter") {
      if (v.size() != 1) {
        Throw(SqlState::kFeatureNotSupported, "COPY delimiter must be a single one-byte character");
      }
      f.delimiter = v[0];
      delimiter_set = true;
    } else if (k == "null") {
      f.null_string = v;
      null_set = true;
    } else if (k == "quote") {
      if (v.size() != 1)
        Throw(SqlState::kFeatureNotSupported, "COPY quote must be a single one-byte character");
      f.quote = v[0];
    } else if (k == "escape") {
      if (v.size() != 1)
        Throw(SqlState::kFeatureNotSupported, "COPY escape must be a single one-byte character");
      f.escape = v[0];
      escape_set = true;
    } else if (k == "freeze" || k == "encoding") {
      // FREEZE only changes how PostgreSQL writes tuples; UTF8 is the only encoding.
    } else {
      Throw(SqlState::kFeatureNotSupported, "COPY option \"{}\" is not supported yet", k0);
    }
  }
  if (f.csv) {
    if (!delimiter_set) f.delimiter = ',';
    if (!null_set) f.null_string = "";
    if (!escape_set) f.escape = f.quote;
  }
  return f;
}

class CopyInSinkImpl : public CopyInSink {
 public:
  CopyInSinkImpl(SessionImpl* session, std::shared_ptr<const storage::TableInfo> table,
                 std::vector<int> columns, CopyFormat format)
      : session_(session), table_(std::move(table)), columns_(std::move(columns)), f_(format) {
    txn_ = session_->StatementTxn();
    txn_->LockRelation(table_->oid, storage::LockMode::kRowExclusive);
    // Defaults of the columns that the data does not give.
    template_row_.resize(table_->columns.size());
    std::vector<bool> given(table_->columns.size(), false);
    for (int c : columns_) given[c] = true;
    for (size_t i = 0; i < table_->columns.size(); ++i) {
      template_row_[i] = Value::Null(table_->columns[i].type);
      if (!given[i] && table_->columns[i].default_sql) {
        auto rows = session_->RunInternalQuery("SELECT CAST(" + *table_->columns[i].default_sql +
                                                   " AS " + TypeName(table_->columns[i].type) + ")",
                                               txn_);
        template_row_[i] = rows.at(0).at(0);
      }
    }
  }

  void Feed(std::string_view data) override {
    if (error_ || done_) return;
    buf_.append(data.data(), data.size());
    try {
      Process(false);
    } catch (const Error& e) {
      error_ = e;
      buf_.clear();
    }
  }

  QueryResult Finish() override {
    if (!error_ && !done_) {
      try {
        Process(true);
      } catch (const Error& e) {
        error_ = e;
      }
    }
    if (!error_ && !fk_rows_.empty()) {
      // The foreign key checks of the copied rows, at the end of the statement.
      try {
        ExecContext ctx = session_->MakeExecContext(txn_, {});
        ExecState st(ctx);
        AfterRowWrites(st, *table_, RowEvent::kInsert, {}, fk_rows_);
      } catch (const Error& e) {
        error_ = e;
      }
    }
    if (error_) {
      session_->MarkFailed();
      throw *error_;
    }
    try {
      session_->FinishStatementTxn(true);
    } catch (...) {
      session_->MarkFailed();
      throw;
    }
    QueryResult r;
    r.command_tag = "COPY " + std::to_string(count_);
    return r;
  }

  void Abort(const std::string& message) override {
    session_->MarkFailed();
    Throw(SqlState::kQueryCanceled, "COPY from stdin failed: {}", message);
  }

 private:
  // Consumes complete records from buf_; at_end also takes a final record without newline.
  void Process(bool at_end) {
    size_t pos = 0;
    while (pos < buf_.size() && !done_) {
      size_t end;
      std::vector<std::optional<std::string>> fields;
      if (!f_.csv) {
        end = buf_.find('\n', pos);
        if (end == std::string::npos) {
          if (!at_end) break;
          end = buf_.size();
        }
        std::string_view line(buf_.data() + pos, end - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        pos = std::min(end + 1, buf_.size());
        ++line_no_;
        if (line == "\\.") {
          done_ = true;
          break;
        }
        if (f_.header && line_no_ == 1) continue;
        SplitText(line, &fields);
      } else {
        size_t consumed = 0;
        if (!SplitCsv(std::string_view(buf_).substr(pos), at_end, &fields, &consumed)) break;
        pos += consumed;
        ++line_no_;
        if (fields.size() == 1 && fields[0] && *fields[0] == "\\.") {
          done_ = true;
          break;
        }
        if (f_.header && line_no_ == 1) continue;
      }
      InsertRow(fields);
    }
    buf_.erase(0, pos);
    if (done_) buf_.clear();
  }

  void SplitText(std::string_view line, std::vector<std::optional<std::string>>* out) {
    std::string cur;
    bool raw_null_candidate = true;
    std::string raw;
    auto flush = [&]() {
      if (raw == f_.null_string) {
        out->push_back(std::nullopt);
      } else {
        out->push_back(cur);
      }
      cur.clear();
      raw.clear();
    };
    (void)raw_null_candidate;
    for (size_t i = 0; i < line.size(); ++i) {
      char c = line[i];
      if (c == f_.delimiter) {
        flush();
        continue;
      }
      raw.push_back(c);
      if (c == '\\' && i + 1 < line.size()) {
        char n = line[++i];
        raw.push_back(n);
        switch (n) {
          case 'b':
            cur.push_back('\b');
            break;
          case 'f':
            cur.push_back('\f');
            break;
          case 'n':
            cur.push_back('\n');
            break;
          case 'r':
            cur.push_back('\r');
            break;
          case 't':
            cur.push_back('\t');
            break;
          case 'v':
            cur.push_back('\v');
            break;
          case 'x': {
            int v = 0, k = 0;
            while (k < 2 && i + 1 < line.size() &&
                   std::isxdigit(static_cast<unsigned char>(line[i + 1]))) {
              char h = line[++i];
              raw.push_back(h);
              v = v * 16 + (std::isdigit(static_cast<unsigned char>(h))
                                ? h - '0'
                                : (std::tolower(h) - 'a' + 10));
              ++k;
            }
            if (k == 0)
              cur.push_back('x');
            else
              cur.push_back(static_cast<char>(v));
            break;
          }
          default:
            if (n >= '0' && n <= '7') {
              int v = n - '0', k = 1;
              while (k < 3 && i + 1 < line.size() && line[i + 1] >= '0' && line[i + 1] <= '7') {
                v = v * 8 + (line[++i] - '0');
                raw.push_back(line[i]);
                ++k;
              }
              cur.push_back(static_cast<char>(v));
            } else {
              cur.push_back(n);
            }
        }
        continue;
      }
      cur.push_back(c);
    }
    flush();
  }

  // Parses one CSV record starting at the beginning of `in`. Returns false when the record is
  // not complete yet (and !at_end).
  bool SplitCsv(std::string_view in, bool at_end, std::vector<std::optional<std::string>>* out,
                size_t* consumed) {
    out->clear();
    std::string cur;
    bool quoted_field = false, in_quotes = false;
    size_t i = 0;
    for (; i < in.size(); ++i) {
      char c = in[i];
      if (in_quotes) {
        if (c == f_.escape && i + 1 < in.size() && in[i + 1] == f_.quote &&
            (f_.escape != f_.quote || true)) {
          cur.push_back(f_.quote);
          ++i;
        } else if (c == f_.quote) {
          in_quotes = false;
        } else if (c == f_.escape && f_.escape != f_.quote && i + 1 < in.size()) {
          cur.push_back(in[++i]);
        } else {
          cur.push_back(c);
        }
        continue;
      }
      if (c == f_.quote) {
        in_quotes = true;
        quoted_field = true;
        continue;
      }
      if (c == f_.delimiter) {
        out->push_back(!quoted_field && cur == f_.null_string ? std::nullopt
                                                              : std::optional<std::string>(cur));
        cur.clear();
        quoted_field = false;
        continue;
      }
      if (c == '\n' || c == '\r') {
        out->push_back(!quoted_field && cur == f_.null_string ? std::nullopt
                                                              : std::optional<std::string>(cur));
        if (c == '\r' && i + 1 < in.size() && in[i + 1] == '\n') ++i;
        *consumed = i + 1;
        return true;
      }
      cur.push_back(c);
    }
    if (!at_end) return false;
    if (in_quotes) Throw(SqlState::kBadCopyFileFormat, "unterminated CSV quoted field");
    out->push_back(!quoted_field && cur == f_.null_string ? std::nullopt
                                                          : std::optional<std::string>(cur));
    *consumed = in.size();
    return true;
  }

  void InsertRow(const std::vector<std::optional<std::string>>& fields) {
    if (fields.size() < columns_.size()) {
      Throw(SqlState::kBadCopyFileFormat, "missing data for column \"{}\"",
            table_->columns[columns_[fields.size()]].name);
    }
    if (fields.size() > columns_.size()) {
      Throw(SqlState::kBadCopyFileFormat, "extra data after last expected column");
    }
    storage::Row row = template_row_;
    const FormatOptions& fmt = session_->settings().format();
    for (size_t i = 0; i < columns_.size(); ++i) {
      const auto& col = table_->columns[columns_[i]];
      if (fields[i]) {
        row[columns_[i]] = ParseValue(*fields[i], col.type, fmt);
      } else {
        row[columns_[i]] = Value::Null(col.type);
      }
    }
    const bool checks = !table_->checks.empty() ||
                        std::any_of(table_->columns.begin(), table_->columns.end(),
                                    [](const storage::ColumnInfo& c) { return c.domain != 0; });
    if (checks && !check_state_) {
      planner::PlannerContext pc = session_->MakePlannerContext();
      planner::BindTableChecks(*table_, pc, &checks_, &check_names_);
      check_ctx_ = std::make_unique<ExecContext>(session_->MakeExecContext(txn_, {}));
      check_state_ = std::make_unique<ExecState>(*check_ctx_);
    }
    // The columns' domains (domain_in), then NOT NULL, then the table's CHECKs.
    if (checks) CheckDomainConstraints(checks_, check_names_, *table_, row, *check_state_);
    for (size_t i = 0; i < row.size(); ++i) {
      if (row[i].is_null && table_->columns[i].not_null) {
        Throw(SqlState::kNotNullViolation,
              "null value in column \"{}\" of relation \"{}\" violates not-null constraint",
              table_->columns[i].name, table_->name);
      }
    }
    if (checks) {
      CheckConstraints(checks_, check_names_, *table_, row, *check_state_);
    }
    storage::TableStore::Insert(session_->engine()->catalog(), txn_, *table_, row);
    ++count_;
    if (!table_->foreign_keys.empty()) fk_rows_.push_back(std::move(row));
  }

  SessionImpl* session_;
  std::shared_ptr<const storage::TableInfo> table_;
  std::vector<int> columns_;
  CopyFormat f_;
  storage::Transaction* txn_ = nullptr;
  storage::Row template_row_;
  std::string buf_;
  int64_t line_no_ = 0;
  int64_t count_ = 0;
  std::vector<storage::Row> fk_rows_;  // copied rows, for the foreign key checks
  // The table's CHECK constraints, bound at the first row.
  std::vector<planner::BoundExprPtr> checks_;
  std::vector<std::string> check_names_;
  std::unique_ptr<ExecContext> check_ctx_;
  std::unique_ptr<ExecState> check_state_;
  bool done_ = false;
  std::optional<Error> error_;
};

std::string EscapeText(const std::string& v, char delim) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\v':
        out += "\\v";
        break;
      default:
        if (c == delim) out += '\\';
        out += c;
    }
  }
  return out;
}

std::string QuoteCsv(const std::string& v, const CopyFormat& f) {
  bool need = v.empty() || v.find(f.delimiter) != std::string::npos ||
              v.find(f.quote) != std::string::npos || v.find('\n') != std::string::npos ||
              v.find('\r') != std::string::npos || v == f.null_string;
  if (!need) return v;
  std::string out(1, f.quote);
  for (char c : v) {
    if (c == f.quote || c == f.escape) out += f.escape;
    out += c;
  }
  out += f.quote;
  return out;
}

}  // namespace

std::shared_ptr<CopyInSink> MakeCopyInSink(SessionImpl* session, const ast::CopyStatement& stmt,
                                           std::shared_ptr<const storage::TableInfo> table,
                                           int* column_count) {
  std::vector<int> cols;
  if (stmt.columns.empty()) {
    for (size_t i = 0; i < table->columns.size(); ++i) cols.push_back(static_cast<int>(i));
  } else {
    for (const auto& c : stmt.columns) {
      int idx = table->ColumnIndex(c);
      if (idx < 0) {
        Throw(SqlState::kUndefinedColumn, "column \"{}\" of relation \"{}\" does not exist", c,
              table->name);
      }
      cols.push_back(idx);
    }
  }
  *column_count = static_cast<int>(cols.size());
  return std::make_shared<CopyInSinkImpl>(session, std::move(table), std::move(cols),
                                          ParseOptions(stmt));
}

std::vector<std::string> FormatCopyOut(const ast::CopyStatement& stmt,
                                       const std::vector<TextRow>& rows) {
  CopyFormat f = ParseOptions(stmt);
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      if (i) line += f.delimiter;
      if (!row[i]) {
        line += f.null_string;
      } else if (f.csv) {
        line += QuoteCsv(*row[i], f);
      } else {
        line += EscapeText(*row[i], f.delimiter);
      }
    }
    line += '\n';
    out.push_back(std::move(line));
  }
  return out;
}

QueryResult SessionImpl::RunCopy(const ast::CopyStatement& s) {
  std::string target = Lower(s.target);
  if (s.is_from) {
    auto table = FindTable(s.table);
    if (!table) Throw(SqlState::kUndefinedTable, "relation \"{}\" does not exist", s.table.name());
    if (table->is_view) {
      Throw(SqlState::kWrongObjectType, "cannot copy to view \"{}\"", table->name);
    }
    if (status_ == TxnStatus::kInBlock && block_read_only_) {
      Throw(SqlState::kReadOnlySqlTransaction,
            "cannot execute COPY FROM in a read-only transaction");
    }
    QueryResult r;
    r.copy_in = MakeCopyInSink(this, s, table, &r.copy_columns);
    if (target == "stdin") return r;
    std::ifstream in(s.target, std::ios::binary);
    if (!in) {
      r.copy_in.reset();
      MarkFailed();
      Throw(SqlState::kIoError, "could not open file \"{}\" for reading: No such file or directory",
            s.target);
    }
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto sink = r.copy_in;
    sink->Feed(data);
    return sink->Finish();
  }
  // COPY ... TO
  planner::PlannerContext ctx = MakePlannerContext();
  planner::PlanPtr plan;
  if (s.query) {
    plan = planner::PlanSelect(*s.query, ctx);
  } else {
    auto table = FindTable(s.table);
    if (!table) Throw(SqlState::kUndefinedTable, "relation \"{}\" does not exist", s.table.name());
    std::string sql = "SELECT ";
    if (s.columns.empty()) {
      sql += "*";
    } else {
      for (size_t i = 0; i < s.columns.size(); ++i) {
        if (i) sql += ", ";
        sql += QuoteIdent(s.columns[i]);
      }
    }
    sql += " FROM " + QuoteIdent(table->schema) + "." + QuoteIdent(table->name);
    std::vector<ast::StatementPtr> stmts = parser::Parse(sql);
    plan = planner::PlanStatement(*stmts.at(0), ctx);
  }
  storage::Transaction* txn = StatementTxn();
  LockPlanRelations(*plan, txn);
  ExecContext ectx = MakeExecContext(txn, {});
  std::vector<TextRow> rows;
  RunPlan(*plan, ectx,
          [&](std::vector<std::vector<Value>>&& b) { FormatRows(std::move(b), &rows); });
  FinishStatementTxn(true);
  QueryResult r;
  r.command_tag = "COPY " + std::to_string(rows.size());
  std::vector<std::string> lines = FormatCopyOut(s, rows);
  CopyFormat f = ParseOptions(s);
  if (f.header) {
    std::string h;
    for (size_t i = 0; i < plan->output_names.size(); ++i) {
      if (i) h += f.delimiter;
      h += f.csv ? QuoteCsv(plan->output_names[i], f) : plan->output_names[i];
    }
    lines.insert(lines.begin(), h + "\n");
  }
  if (target == "stdout") {
    r.copy_out = true;
    r.copy_columns = static_cast<int>(plan->output_types.size());
    r.copy_out_data = std::move(lines);
    return r;
  }
  std::ofstream out(s.target, std::ios::binary | std::ios::trunc);
  if (!out) {
    Throw(SqlState::kIoError, "could not open file \"{}\" for writing", s.target);
  }
  for (const auto& l : lines) out << l;
  return r;
}

}  // namespace activestore::executor
