#include "parser/ast_dump.h"

#include <fmt/format.h>

#include "parser/ast_function.h"

namespace activestore::parser {
namespace {

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    out.push_back(c);
    if (c == '\'') out.push_back('\'');
  }
  return out + "'";
}

std::string Join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

std::string Exprs(const std::vector<ast::ExprPtr>& v, const char* sep = " ") {
  std::vector<std::string> parts;
  for (const ast::ExprPtr& e : v) parts.push_back(DumpExpr(*e));
  return Join(parts, sep);
}

std::string Sorts(const std::vector<ast::SortItem>& v) {
  std::vector<std::string> parts;
  for (const ast::SortItem& s : v) {
    std::string p = DumpExpr(*s.expr);
    if (s.descending) p += " DESC";
    if (s.nulls_first.has_value()) p += *s.nulls_first ? " NULLS FIRST" : " NULLS LAST";
    parts.push_back(p);
  }
  return Join(parts, ", ");
}

std::string Targets(const std::vector<ast::ResultTarget>& v) {
  std::vector<std::string> parts;
  for (const ast::ResultTarget& t : v) {
    parts.push_back(DumpExpr(*t.expr) + (t.alias ? " AS " + *t.alias : ""));
  }
  return Join(parts, ", ");
}

std::string QName(const ast::QualifiedName& q) { return Join(q.parts, "."); }

std::string TableRef(const ast::TableRef& r) {
  std::string out;
  switch (r.kind) {
    case ast::TableRefKind::kTable:
      out = QName(r.name);
      break;
    case ast::TableRefKind::kSubquery:
    case ast::TableRefKind::kValues:
      out = DumpSelect(*r.subquery);
      break;
    case ast::TableRefKind::kFunction:
      if (r.function) {
        out = DumpExpr(*r.function);
      } else {
        std::vector<std::string> items;
        for (const auto& f : r.rows_from) items.push_back(DumpExpr(*f.function));
        out = "ROWS FROM (" + Join(items, ", ") + ")";
      }
      break;
    case ast::TableRefKind::kJoin: {
      static const char* kJoin[] = {"JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN", "CROSS JOIN"};
      out =
          fmt::format("({}{} {} {}", r.natural ? "NATURAL " : "",
                      kJoin[static_cast<int>(r.join_type)], TableRef(*r.left), TableRef(*r.right));
      if (r.join_condition) out += " ON " + DumpExpr(*r.join_condition);
      if (!r.using_columns.empty()) out += " USING (" + Join(r.using_columns, ", ") + ")";
      out += ")";
      break;
    }
  }
  if (r.lateral) out = "LATERAL " + out;
  if (r.alias) {
    out += " AS " + *r.alias;
    if (!r.column_aliases.empty()) out += "(" + Join(r.column_aliases, ", ") + ")";
  }
  if (r.tablesample) {
    std::vector<std::string> args;
    for (const ast::ExprPtr& a : r.tablesample->args) args.push_back(DumpExpr(*a));
    out += fmt::format(" TABLESAMPLE {}({})", QName(r.tablesample->method), Join(args, ", "));
    if (r.tablesample->repeatable) {
      out += " REPEATABLE (" + DumpExpr(*r.tablesample->repeatable) + ")";
    }
  }
  return out;
}

std::string TableRefs(const std::vector<ast::TableRefPtr>& v) {
  std::vector<std::string> parts;
  for (const ast::TableRefPtr& r : v) parts.push_back(TableRef(*r));
  return Join(parts, ", ");
}

std::string With(const ast::WithClause* w) {
  if (w == nullptr) return "";
  std::vector<std::string> parts;
  for (const ast::CommonTableExpr& c : w->ctes) {
    std::string cols = c.column_names.empty() ? "" : "(" + Join(c.column_names, ", ") + ")";
    std::string part = c.name + cols + " AS " + DumpSelect(*c.query);
    if (c.search) {
      part += std::string(c.search->breadth_first ? " SEARCH BREADTH FIRST BY "
                                                  : " SEARCH DEPTH FIRST BY ") +
              Join(c.search->columns, ", ") + " SET " + c.search->seq_column;
    }
    if (c.cycle) {
      part += " CYCLE " + Join(c.cycle->columns, ", ") + " SET " + c.cycle->mark_column + " TO " +
              DumpExpr(*c.cycle->mark_value) + " DEFAULT " + DumpExpr(*c.cycle->mark_default) +
              " USING " + c.cycle->path_column;
    }
    parts.push_back(std::move(part));
  }
  return std::string("WITH ") + (w->recursive ? "RECURSIVE " : "") + Join(parts, ", ") + " ";
}

std::string SetList(const std::vector<std::pair<std::string, ast::ExprPtr>>& v) {
  std::vector<std::string> parts;
  for (const auto& [col, e] : v) parts.push_back(col + " = " + DumpExpr(*e));
  return Join(parts, ", ");
}

std::string Options(const std::vector<std::pair<std::string, std::string>>& v) {
  std::vector<std::string> parts;
  for (const auto& [k, val] : v) parts.push_back(k + "=" + val);
  return Join(parts, ", ");
}

}  // namespace

std::string DumpType(const ast::TypeName& t) {
  std::string out = t.name;
  if (!t.modifiers.empty()) {
    std::vector<std::string> m;
    for (int32_t x : t.modifiers) m.push_back(std::to_string(x));
    out += "(" + Join(m, ",") + ")";
  }
  for (int i = 0; i < t.array_bounds; ++i) out += "[]";
  return out;
}

std::string DumpExpr(const ast::Expr& e) {
  using K = ast::ExprKind;
  const std::string neg = e.negated ? "NOT " : "";
  switch (e.kind) {
    case K::kConstant:
      switch (e.const_kind) {
        case ast::ConstKind::kString:
          return Quote(e.value_text);
        case ast::ConstKind::kNull:
          return "NULL";
        case ast::ConstKind::kNumeric:
          return e.value_text + "n";
        default:
          return e.value_text;
      }
    case K::kColumnRef:
      if (e.star) return e.names.empty() ? "*" : Join(e.names, ".") + ".*";
      return Join(e.names, ".");
    case K::kParam:
      return "$" + std::to_string(e.param_index);
    case K::kUnaryOp:
      return "(" + e.op + " " + DumpExpr(*e.args[0]) + ")";
    case K::kBinaryOp:
      return "(" + e.op + " " + Exprs(e.args) + ")";
    case K::kIsNull:
      return "(IS " + neg + "NULL " + DumpExpr(*e.args[0]) + ")";
    case K::kIsBool:
      return "(IS " + neg + e.op + " " + DumpExpr(*e.args[0]) + ")";
    case K::kIsDistinct:
      return "(IS " + neg + "DISTINCT FROM " + Exprs(e.args) + ")";
    case K::kBetween:
      return "(" + neg + "BETWEEN " + (e.symmetric ? "SYMMETRIC " : "") + Exprs(e.args) + ")";
    case K::kInList:
      return "(" + neg + "IN " + Exprs(e.args) + ")";
    case K::kInSubquery:
      return "(" + neg + "IN " + DumpExpr(*e.args[0]) + " " + DumpSelect(*e.subquery) + ")";
    case K::kExists:
      return "(EXISTS " + DumpSelect(*e.subquery) + ")";
    case K::kSubquery:
      return DumpSelect(*e.subquery);
    case K::kAnyAll:
      return "(" + e.op + (e.sublink_all ? " ALL " : " ANY ") + DumpExpr(*e.args[0]) + " " +
             (e.subquery ? DumpSelect(*e.subquery) : DumpExpr(*e.args[1])) + ")";
    case K::kCase: {
      std::string out = "(CASE";
      if (e.has_case_arg) out += " " + DumpExpr(*e.args[0]);
      for (size_t i = 0; i + 1 < e.when_then.size(); i += 2) {
        out += " (WHEN " + DumpExpr(*e.when_then[i]) + " " + DumpExpr(*e.when_then[i + 1]) + ")";
      }
      if (e.else_expr) out += " (ELSE " + DumpExpr(*e.else_expr) + ")";
      return out + ")";
    }
    case K::kCast:
      return "(CAST " + DumpExpr(*e.args[0]) + " " + DumpType(*e.type) + ")";
    case K::kTypedLiteral:
      return "(" + DumpType(*e.type) + " " + Quote(e.value_text) + ")";
    case K::kFuncCall: {
      std::string out = Join(e.names, ".") + "(";
      if (e.distinct) out += "DISTINCT ";
      out += e.star ? "*" : Exprs(e.args, ", ");
      if (!e.agg_order_by.empty() && !e.within_group) out += " ORDER BY " + Sorts(e.agg_order_by);
      out += ")";
      if (e.within_group) out += " WITHIN GROUP (ORDER BY " + Sorts(e.agg_order_by) + ")";
      if (e.filter) out += " FILTER " + DumpExpr(*e.filter);
      if (e.has_over) out += " OVER";
      return out;
    }
    case K::kCoalesce:
      return "(COALESCE " + Exprs(e.args) + ")";
    case K::kNullIf:
      return "(NULLIF " + Exprs(e.args) + ")";
    case K::kGreatest:
      return "(GREATEST " + Exprs(e.args) + ")";
    case K::kLeast:
      return "(LEAST " + Exprs(e.args) + ")";
    case K::kRow:
      return "(ROW " + Exprs(e.args) + ")";
    case K::kFieldSelect:
      return "(FIELD " + DumpExpr(*e.args[0]) + " " + (e.star ? "*" : e.names[0]) + ")";
    case K::kArray:
      if (e.subquery) return "(ARRAY " + DumpSelect(*e.subquery) + ")";
      return "(ARRAY " + Exprs(e.args) + ")";
    case K::kSubscript: {
      std::string out = "(SUBSCRIPT " + DumpExpr(*e.args[0]);
      for (size_t k = 0; k < e.subscript_slices.size(); ++k) {
        const ast::ExprPtr& lo = e.args[1 + 2 * k];
        const ast::ExprPtr& hi = e.args[2 + 2 * k];
        out +=
            " [" + (lo ? DumpExpr(*lo) : std::string()) +
            (e.subscript_slices[k] ? ":" + (hi ? DumpExpr(*hi) : std::string()) : std::string()) +
            "]";
      }
      return out + ")";
    }
    case K::kDefault:
      return "DEFAULT";
    case K::kGroupingSet:
      return "(" + e.op + " " + Exprs(e.args) + ")";
    case K::kGroupingFunc:
      return "(GROUPING " + Exprs(e.args) + ")";
  }
  return "?";
}

std::string DumpSelect(const ast::SelectStmt& s) {
  std::string out = "{" + With(s.with.get());
  if (s.set_op != ast::SetOpType::kNone) {
    static const char* kOps[] = {"", "UNION", "INTERSECT", "EXCEPT"};
    out += fmt::format("{}{} {} {}", kOps[static_cast<int>(s.set_op)], s.set_all ? " ALL" : "",
                       DumpSelect(*s.larg), DumpSelect(*s.rarg));
  } else if (!s.values_rows.empty()) {
    std::vector<std::string> rows;
    for (const auto& row : s.values_rows) rows.push_back("(" + Exprs(row, ", ") + ")");
    out += "VALUES " + Join(rows, ", ");
  } else {
    out += "SELECT";
    if (s.distinct) {
      out += " DISTINCT";
      if (!s.distinct_on.empty()) out += " ON (" + Exprs(s.distinct_on, ", ") + ")";
    }
    if (!s.targets.empty()) out += " " + Targets(s.targets);
    if (!s.from.empty()) out += " FROM " + TableRefs(s.from);
    if (s.where) out += " WHERE " + DumpExpr(*s.where);
    if (!s.group_by.empty()) {
      out += std::string(" GROUP BY ") + (s.group_distinct ? "DISTINCT " : "") +
             Exprs(s.group_by, ", ");
    }
    if (s.having) out += " HAVING " + DumpExpr(*s.having);
  }
  if (!s.order_by.empty()) out += " ORDER BY " + Sorts(s.order_by);
  if (s.limit) out += " LIMIT " + DumpExpr(*s.limit);
  if (s.limit_with_ties) out += " WITH TIES";
  if (s.offset) out += " OFFSET " + DumpExpr(*s.offset);
  for (const ast::LockingClause& lc : s.locking) {
    out += std::string(" ") + ast::LockStrengthName(lc.strength);
    for (size_t i = 0; i < lc.relations.size(); ++i) {
      out += i == 0 ? " OF " : ", ";
      for (size_t k = 0; k < lc.relations[i].parts.size(); ++k) {
        out += (k ? "." : "") + lc.relations[i].parts[k];
      }
    }
    if (lc.wait == ast::LockWait::kNoWait) out += " NOWAIT";
    if (lc.wait == ast::LockWait::kSkipLocked) out += " SKIP LOCKED";
  }
  return out + "}";
}

std::string SequenceOptions(const std::vector<ast::SequenceOption>& opts) {
  std::string out;
  for (const ast::SequenceOption& o : opts) {
    out += " " + o.name;
    if (o.type) out += " " + DumpType(*o.type);
    if (o.number) out += " " + *o.number;
    if (o.name == "cycle") out += o.flag ? " true" : " false";
    if (!o.names.parts.empty()) out += " " + QName(o.names);
  }
  return out;
}

std::string DumpStatement(const ast::Statement& st) {
  using K = ast::StmtKind;
  switch (st.kind) {
    case K::kSelect:
      return DumpSelect(*static_cast<const ast::SelectStatement&>(st).select);
    case K::kInsert: {
      const auto& s = static_cast<const ast::InsertStatement&>(st);
      std::string out = With(s.with.get()) + "INSERT INTO " + QName(s.table);
      if (s.alias) out += " AS " + *s.alias;
      if (!s.columns.empty()) out += " (" + Join(s.columns, ", ") + ")";
      if (s.overriding == ast::Overriding::kUserValue) out += " OVERRIDING USER VALUE";
      if (s.overriding == ast::Overriding::kSystemValue) out += " OVERRIDING SYSTEM VALUE";
      out += s.source ? " " + DumpSelect(*s.source) : " DEFAULT VALUES";
      if (s.on_conflict != ast::OnConflictAction::kNone) {
        out += " ON CONFLICT";
        if (!s.conflict_columns.empty()) out += " (" + Join(s.conflict_columns, ", ") + ")";
        if (s.conflict_constraint) out += " ON CONSTRAINT " + *s.conflict_constraint;
        out += s.on_conflict == ast::OnConflictAction::kNothing
                   ? " DO NOTHING"
                   : " DO UPDATE SET " + SetList(s.conflict_set);
        if (s.conflict_where) out += " WHERE " + DumpExpr(*s.conflict_where);
      }
      if (!s.returning.empty()) out += " RETURNING " + Targets(s.returning);
      return out;
    }
    case K::kUpdate: {
      const auto& s = static_cast<const ast::UpdateStatement&>(st);
      std::string out = With(s.with.get()) + "UPDATE " + QName(s.table);
      if (s.alias) out += " AS " + *s.alias;
      out += " SET " + SetList(s.set);
      if (!s.from.empty()) out += " FROM " + TableRefs(s.from);
      if (s.where) out += " WHERE " + DumpExpr(*s.where);
      if (!s.returning.empty()) out += " RETURNING " + Targets(s.returning);
      return out;
    }
    case K::kDelete: {
      const auto& s = static_cast<const ast::DeleteStatement&>(st);
      std::string out = With(s.with.get()) + "DELETE FROM " + QName(s.table);
      if (s.alias) out += " AS " + *s.alias;
      if (!s.using_.empty()) out += " USING " + TableRefs(s.using_);
      if (s.where) out += " WHERE " + DumpExpr(*s.where);
      if (!s.returning.empty()) out += " RETURNING " + Targets(s.returning);
      return out;
    }
    case K::kMerge: {
      const auto& s = static_cast<const ast::MergeStatement&>(st);
      std::string out =
          With(s.with.get()) + "MERGE INTO " + std::string(s.only ? "ONLY " : "") + QName(s.table);
      if (s.alias) out += " AS " + *s.alias;
      out += " USING " + TableRef(*s.source) + " ON " + DumpExpr(*s.condition);
      for (const ast::MergeWhen& w : s.when) {
        out += w.matched ? " WHEN MATCHED" : " WHEN NOT MATCHED";
        if (w.condition) out += " AND " + DumpExpr(*w.condition);
        out += " THEN ";
        switch (w.action) {
          case ast::MergeAction::kUpdate:
            out += "UPDATE SET " + SetList(w.set);
            break;
          case ast::MergeAction::kDelete:
            out += "DELETE";
            break;
          case ast::MergeAction::kNothing:
            out += "DO NOTHING";
            break;
          case ast::MergeAction::kInsert: {
            out += "INSERT";
            if (!w.columns.empty()) out += " (" + Join(w.columns, ", ") + ")";
            if (w.overriding == ast::Overriding::kUserValue) out += " OVERRIDING USER VALUE";
            if (w.overriding == ast::Overriding::kSystemValue) out += " OVERRIDING SYSTEM VALUE";
            if (w.default_values) {
              out += " DEFAULT VALUES";
              break;
            }
            std::vector<std::string> values;
            for (const auto& v : w.values) values.push_back(DumpExpr(*v));
            out += " VALUES (" + Join(values, ", ") + ")";
            break;
          }
        }
      }
      return out;
    }
    case K::kCreateTable: {
      const auto& s = static_cast<const ast::CreateTableStatement&>(st);
      std::string out = std::string("CREATE ") + (s.temporary ? "TEMP " : "") +
                        (s.unlogged ? "UNLOGGED " : "") + "TABLE " +
                        (s.if_not_exists ? "IF NOT EXISTS " : "") + QName(s.table);
      std::vector<std::string> elems;
      for (const ast::ColumnDef& c : s.columns) {
        std::string d = c.name;
        if (!c.type.name.empty()) d += " " + DumpType(c.type);
        if (c.not_null) d += " NOT NULL";
        if (c.primary_key) d += " PRIMARY KEY";
        if (c.unique) d += " UNIQUE";
        if (c.default_expr) d += " DEFAULT " + DumpExpr(*c.default_expr);
        if (c.identity != 0) {
          d += c.identity == 'a' ? " GENERATED ALWAYS AS IDENTITY"
                                 : " GENERATED BY DEFAULT AS IDENTITY";
          if (!c.identity_options.empty())
            d += " (" + SequenceOptions(c.identity_options).substr(1) + ")";
        }
        if (c.check) d += " CHECK " + DumpExpr(*c.check);
        for (const auto& [name, fk] : c.references) d += " REFERENCES " + QName(fk.ref_table);
        elems.push_back(d);
      }
      for (const ast::TableConstraint& c : s.constraints) {
        static const char* kType[] = {"PRIMARY KEY", "UNIQUE", "CHECK", "FOREIGN KEY"};
        std::string d = c.name ? "CONSTRAINT " + *c.name + " " : "";
        d += kType[static_cast<int>(c.type)];
        if (!c.columns.empty()) d += " (" + Join(c.columns, ", ") + ")";
        if (c.check) d += " " + DumpExpr(*c.check);
        if (c.type == ast::ConstraintType::kForeignKey) {
          d += " REFERENCES " + QName(c.foreign_key.ref_table);
          if (!c.foreign_key.ref_columns.empty()) {
            d += " (" + Join(c.foreign_key.ref_columns, ", ") + ")";
          }
        }
        elems.push_back(d);
      }
      if (!s.as_select || !elems.empty()) out += " (" + Join(elems, ", ") + ")";
      if (!s.with_options.empty()) out += " WITH (" + Options(s.with_options) + ")";
      if (s.as_select) out += " AS " + DumpSelect(*s.as_select);
      if (s.has_partition_by) out += " PARTITIONED";
      return out;
    }
    case K::kCreateSchema: {
      const auto& s = static_cast<const ast::CreateSchemaStatement&>(st);
      std::string out =
          std::string("CREATE SCHEMA ") + (s.if_not_exists ? "IF NOT EXISTS " : "") + s.name;
      if (s.authorization) out += " AUTHORIZATION " + *s.authorization;
      for (const auto& e : s.elements) out += " {" + DumpStatement(*e) + "}";
      return out;
    }
    case K::kCreateDatabase: {
      const auto& s = static_cast<const ast::CreateDatabaseStatement&>(st);
      return "CREATE DATABASE " + s.name +
             (s.options.empty() ? "" : " (" + Options(s.options) + ")");
    }
    case K::kCreateIndex: {
      const auto& s = static_cast<const ast::CreateIndexStatement&>(st);
      std::vector<std::string> cols;
      for (const ast::IndexElem& e : s.columns) {
        cols.push_back((e.expr ? DumpExpr(*e.expr) : e.column) + (e.descending ? " DESC" : ""));
      }
      std::string out = std::string("CREATE ") + (s.unique ? "UNIQUE " : "") + "INDEX " +
                        (s.if_not_exists ? "IF NOT EXISTS " : "") + s.name.value_or("") + " ON " +
                        QName(s.table);
      if (!s.method.empty()) out += " USING " + s.method;
      out += " (" + Join(cols, ", ") + ")";
      if (s.where) out += " WHERE " + DumpExpr(*s.where);
      return out;
    }
    case K::kCreateView: {
      const auto& s = static_cast<const ast::CreateViewStatement&>(st);
      std::string out =
          std::string("CREATE ") + (s.or_replace ? "OR REPLACE " : "") + "VIEW " + QName(s.name);
      if (!s.column_names.empty()) out += " (" + Join(s.column_names, ", ") + ")";
      if (!s.options.empty()) {
        std::vector<std::string> opts;
        for (const auto& [name, value] : s.options) opts.push_back(name + "=" + value);
        out += " WITH (" + Join(opts, ", ") + ")";
      }
      out += " AS " + DumpSelect(*s.query) + " TEXT " + Quote(s.query_text);
      if (!s.check_option.empty()) out += " WITH " + s.check_option + " CHECK OPTION";
      return out;
    }
    case K::kDrop: {
      const auto& s = static_cast<const ast::DropStatement&>(st);
      static const char* kKind[] = {"TABLE", "VIEW", "INDEX", "SCHEMA", "DATABASE", "SEQUENCE"};
      std::vector<std::string> names;
      for (const ast::QualifiedName& n : s.names) names.push_back(QName(n));
      return std::string("DROP ") + kKind[static_cast<int>(s.object_kind)] +
             (s.if_exists ? " IF EXISTS " : " ") + Join(names, ", ") +
             (s.cascade ? " CASCADE" : "");
    }
    case K::kTruncate: {
      const auto& s = static_cast<const ast::TruncateStatement&>(st);
      std::vector<std::string> names;
      for (const ast::QualifiedName& n : s.tables) names.push_back(QName(n));
      return "TRUNCATE " + Join(names, ", ") + (s.restart_identity ? " RESTART IDENTITY" : "");
    }
    case K::kLock: {
      const auto& s = static_cast<const ast::LockStatement&>(st);
      std::vector<std::string> names;
      for (const ast::QualifiedName& n : s.tables) names.push_back(QName(n));
      return "LOCK TABLE " + Join(names, ", ") + " IN " + s.mode + " MODE" +
             (s.nowait ? " NOWAIT" : "");
    }
    case K::kTransaction: {
      const auto& s = static_cast<const ast::TransactionStatement&>(st);
      static const char* kAction[] = {"BEGIN",
                                      "COMMIT",
                                      "ROLLBACK",
                                      "SAVEPOINT",
                                      "RELEASE",
                                      "ROLLBACK TO",
                                      "PREPARE TRANSACTION",
                                      "COMMIT PREPARED",
                                      "ROLLBACK PREPARED"};
      std::string out = kAction[static_cast<int>(s.action)];
      if (!s.savepoint_name.empty()) out += " " + s.savepoint_name;
      if (s.isolation_level) out += " ISOLATION LEVEL " + *s.isolation_level;
      if (s.read_only) out += *s.read_only ? " READ ONLY" : " READ WRITE";
      if (s.and_chain) out += " AND CHAIN";
      return out;
    }
    case K::kSet: {
      const auto& s = static_cast<const ast::SetStatement&>(st);
      if (s.set_constraints) {
        std::vector<std::string> names;
        for (const ast::QualifiedName& q : s.constraint_names) names.push_back(Join(q.parts, "."));
        return "SET CONSTRAINTS " + (names.empty() ? std::string("ALL") : Join(names, ", ")) +
               (s.constraints_deferred ? " DEFERRED" : " IMMEDIATE");
      }
      std::string out = std::string("SET ") + (s.local ? "LOCAL " : "") + s.name + " = ";
      if (s.is_default) return out + "DEFAULT";
      std::vector<std::string> v;
      for (const std::string& x : s.values) v.push_back(Quote(x));
      out += Join(v, ", ");
      for (const auto& [name, value] : s.more_modes) out += "; SET " + name + " = " + Quote(value);
      return out;
    }
    case K::kShow:
      return "SHOW " + static_cast<const ast::ShowStatement&>(st).name;
    case K::kReset:
      return "RESET " + static_cast<const ast::ResetStatement&>(st).name;
    case K::kExplain: {
      const auto& s = static_cast<const ast::ExplainStatement&>(st);
      return std::string("EXPLAIN ") + (s.analyze ? "ANALYZE " : "") +
             (s.verbose ? "VERBOSE " : "") + DumpStatement(*s.statement);
    }
    case K::kCopy: {
      const auto& s = static_cast<const ast::CopyStatement&>(st);
      std::string out = "COPY " + (s.query ? DumpSelect(*s.query) : QName(s.table));
      if (!s.columns.empty()) out += " (" + Join(s.columns, ", ") + ")";
      out += (s.is_from ? " FROM " : " TO ") + s.target;
      if (!s.options.empty()) out += " (" + Options(s.options) + ")";
      return out;
    }
    case K::kPrepare: {
      const auto& s = static_cast<const ast::PrepareStatement&>(st);
      std::vector<std::string> types;
      for (const ast::TypeName& t : s.param_types) types.push_back(DumpType(t));
      return "PREPARE " + s.name + (types.empty() ? "" : " (" + Join(types, ", ") + ")") + " AS " +
             DumpStatement(*s.statement) + " TEXT " + Quote(s.statement_text);
    }
    case K::kExecute: {
      const auto& s = static_cast<const ast::ExecuteStatement&>(st);
      return "EXECUTE " + s.name + (s.args.empty() ? "" : " (" + Exprs(s.args, ", ") + ")");
    }
    case K::kDeallocate: {
      const auto& s = static_cast<const ast::DeallocateStatement&>(st);
      return "DEALLOCATE " + (s.all ? std::string("ALL") : s.name);
    }
    case K::kUtilityNoop:
      return "NOOP " + static_cast<const ast::UtilityNoopStatement&>(st).command_tag;
    case K::kNotify: {
      const auto& s = static_cast<const ast::NotifyStatement&>(st);
      using A = ast::NotifyStatement::Action;
      if (s.action == A::kListen) return "LISTEN " + s.channel;
      if (s.action == A::kUnlisten) return "UNLISTEN " + (s.channel.empty() ? "*" : s.channel);
      return "NOTIFY " + s.channel + " " + Quote(s.payload);
    }
    case K::kAlterTable: {
      const auto& s = static_cast<const ast::AlterTableStatement&>(st);
      return "ALTER TABLE " + QName(s.table) + " " + Quote(s.action_text);
    }
    case K::kCreateSequence: {
      const auto& s = static_cast<const ast::CreateSequenceStatement&>(st);
      return std::string("CREATE ") + (s.temporary ? "TEMP " : "") +
             (s.unlogged ? "UNLOGGED " : "") + "SEQUENCE " +
             (s.if_not_exists ? "IF NOT EXISTS " : "") + QName(s.name) + SequenceOptions(s.options);
    }
    case K::kAlterDatabase: {
      const auto& s = static_cast<const ast::AlterDatabaseStatement&>(st);
      std::string out = "ALTER DATABASE " + s.name + (s.reset ? " RESET " : " SET ") + s.setting;
      for (size_t i = 0; i < s.values.size(); ++i) out += (i ? ", " : " = ") + Quote(s.values[i]);
      return out;
    }
    case K::kCreateType: {
      const auto& s = static_cast<const ast::CreateTypeStatement&>(st);
      std::vector<std::string> labels;
      for (const std::string& l : s.labels) labels.push_back(Quote(l));
      return "CREATE TYPE " + QName(s.name) + " AS ENUM (" + Join(labels, ", ") + ")";
    }
    case K::kCreateCast: {
      const auto& s = static_cast<const ast::CreateCastStatement&>(st);
      std::string out = "CREATE CAST (" + s.source.name + " AS " + s.target.name + ")";
      out += s.method == 'b'
                 ? " WITHOUT FUNCTION"
                 : (s.method == 'i' ? " WITH INOUT" : " WITH FUNCTION " + QName(s.function.name));
      if (s.context != 'e') out += s.context == 'a' ? " AS ASSIGNMENT" : " AS IMPLICIT";
      return out;
    }
    case K::kCreateOperator: {
      const auto& s = static_cast<const ast::CreateOperatorStatement&>(st);
      return "CREATE OPERATOR " + Join(s.name.parts, ".") + " (...)";
    }
    case K::kDropOperator: {
      const auto& s = static_cast<const ast::DropOperatorStatement&>(st);
      std::vector<std::string> ops;
      for (const ast::OperatorSignature& o : s.operators) {
        ops.push_back(Join(o.name.parts, ".") + " (" + (o.left ? o.left->name : "NONE") + ", " +
                      (o.right ? o.right->name : "NONE") + ")");
      }
      return std::string("DROP OPERATOR ") + (s.if_exists ? "IF EXISTS " : "") + Join(ops, ", ") +
             (s.cascade ? " CASCADE" : "");
    }
    case K::kDropCast: {
      const auto& s = static_cast<const ast::DropCastStatement&>(st);
      return std::string("DROP CAST ") + (s.if_exists ? "IF EXISTS " : "") + "(" + s.source.name +
             " AS " + s.target.name + ")" + (s.cascade ? " CASCADE" : "");
    }
    case K::kAlterType: {
      const auto& s = static_cast<const ast::AlterTypeStatement&>(st);
      using A = ast::AlterTypeStatement::Action;
      std::string out = "ALTER TYPE " + QName(s.name);
      if (s.action == A::kAddValue) {
        out +=
            std::string(" ADD VALUE ") + (s.if_not_exists ? "IF NOT EXISTS " : "") + Quote(s.value);
        if (s.neighbor) out += (s.before ? " BEFORE " : " AFTER ") + Quote(*s.neighbor);
      } else if (s.action == A::kRenameValue) {
        out += " RENAME VALUE " + Quote(s.value) + " TO " + Quote(s.new_name);
      } else {
        out += " RENAME TO " + s.new_name;
      }
      return out;
    }
    case K::kCreateDomain: {
      const auto& s = static_cast<const ast::CreateDomainStatement&>(st);
      std::string out = "CREATE DOMAIN " + QName(s.name) + " AS " + DumpType(s.type);
      for (const ast::DomainConstraint& c : s.constraints) {
        if (c.name) out += " CONSTRAINT " + *c.name;
        switch (c.kind) {
          case ast::DomainConstraint::Kind::kDefault:
            out += " DEFAULT " + DumpExpr(*c.expr);
            break;
          case ast::DomainConstraint::Kind::kNotNull:
            out += " NOT NULL";
            break;
          case ast::DomainConstraint::Kind::kNull:
            out += " NULL";
            break;
          case ast::DomainConstraint::Kind::kCheck:
            out += " CHECK (" + DumpExpr(*c.expr) + ")";
            break;
        }
      }
      return out;
    }
    case K::kAlterDomain: {
      const auto& s = static_cast<const ast::AlterDomainStatement&>(st);
      return "ALTER DOMAIN " + QName(s.name) + " action " +
             std::to_string(static_cast<int>(s.action));
    }
    case K::kAlterSequence: {
      const auto& s = static_cast<const ast::AlterSequenceStatement&>(st);
      return std::string("ALTER SEQUENCE ") + (s.if_exists ? "IF EXISTS " : "") + QName(s.name) +
             (s.unsupported_action.empty() ? SequenceOptions(s.options)
                                           : " " + Quote(s.unsupported_action));
    }
  }
  return "?";
}

}  // namespace activestore::parser
