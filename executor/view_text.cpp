#include "executor/view_text.h"

#include <algorithm>
#include <cctype>

#include "planner/sql_quote.h"

namespace activestore::executor {

namespace {

bool IdentStart(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
bool IdentChar(unsigned char c) { return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80; }

// One name part at `at`: its end (0 if none) and its text as the parser reads it.
size_t PartEnd(std::string_view sql, size_t at, std::string* part) {
  part->clear();
  if (at >= sql.size()) return 0;
  if (sql[at] == '"') {
    for (size_t i = at + 1; i < sql.size(); ++i) {
      if (sql[i] != '"') {
        *part += sql[i];
      } else if (i + 1 < sql.size() && sql[i + 1] == '"') {
        *part += '"';
        ++i;
      } else {
        return i + 1;
      }
    }
    return 0;  // unterminated
  }
  if (!IdentStart(static_cast<unsigned char>(sql[at]))) return 0;
  size_t i = at;
  while (i < sql.size() && IdentChar(static_cast<unsigned char>(sql[i]))) {
    *part += static_cast<char>(std::tolower(static_cast<unsigned char>(sql[i])));
    ++i;
  }
  return i;
}

size_t SkipSpace(std::string_view sql, size_t i) {
  while (i < sql.size() && std::isspace(static_cast<unsigned char>(sql[i]))) ++i;
  return i;
}

}  // namespace

size_t QualifiedNameSpan(std::string_view sql, size_t at, std::string* last) {
  std::string part;
  size_t end = PartEnd(sql, at, &part);
  if (end == 0) return 0;
  for (;;) {
    size_t dot = SkipSpace(sql, end);
    if (dot >= sql.size() || sql[dot] != '.') break;
    std::string next;
    size_t next_end = PartEnd(sql, SkipSpace(sql, dot + 1), &next);
    if (next_end == 0) break;
    end = next_end;
    part = std::move(next);
  }
  *last = std::move(part);
  return end - at;
}

std::optional<QualifiedViewText> QualifyViewRelations(
    std::string_view query, int query_location,
    const std::vector<planner::PlannerContext::RelationMention>& mentions,
    const storage::CatalogSnapshot& catalog) {
  std::vector<const planner::PlannerContext::RelationMention*> sorted;
  for (const auto& m : mentions) sorted.push_back(&m);
  std::sort(sorted.begin(), sorted.end(),
            [](const auto* a, const auto* b) { return a->location < b->location; });
  QualifiedViewText out;
  size_t copied = 0;  // bytes of query already in out.sql
  int last_location = -1;
  for (const auto* m : sorted) {
    if (m->location == last_location) continue;  // bound twice
    last_location = m->location;
    if (m->location < query_location ||
        static_cast<size_t>(m->location - query_location) >= query.size()) {
      return std::nullopt;
    }
    const size_t at = static_cast<size_t>(m->location - query_location);
    std::shared_ptr<const storage::TableInfo> rel = catalog.FindRelationByOid(m->oid);
    std::string last;
    const size_t len = QualifiedNameSpan(query, at, &last);
    if (rel == nullptr || len == 0 || last != rel->name || at < copied) return std::nullopt;
    out.sql.append(query.substr(copied, at - copied));
    const size_t start = out.sql.size();
    if (!m->qualified) out.sql += planner::QuoteSqlIdentifier(m->schema) + ".";
    out.sql.append(query.substr(at, len));
    out.relations.push_back(
        {static_cast<int>(start), static_cast<int>(out.sql.size() - start), m->oid});
    copied = at + len;
  }
  out.sql.append(query.substr(copied));
  return out;
}

QualifiedViewText RenameViewRelations(
    const storage::TableInfo& view,
    const std::function<std::optional<std::string>(storage::Oid)>& name_of) {
  QualifiedViewText out;
  size_t copied = 0;
  for (const storage::TableInfo::ViewRelationRef& r : view.view_relations) {
    const size_t at = static_cast<size_t>(r.offset);
    const size_t len = static_cast<size_t>(r.length);
    if (at < copied || at + len > view.view_sql.size()) continue;  // not this text's: drop it
    std::optional<std::string> name = name_of(r.oid);
    out.sql.append(view.view_sql, copied, at - copied);
    const size_t start = out.sql.size();
    if (name) {
      out.sql += *name;
    } else {
      out.sql.append(view.view_sql, at, len);
    }
    out.relations.push_back(
        {static_cast<int>(start), static_cast<int>(out.sql.size() - start), r.oid});
    copied = at + len;
  }
  out.sql.append(view.view_sql, copied);
  return out;
}

std::string ViewTextForReader(
    const storage::TableInfo& view,
    const std::function<std::optional<std::string>(storage::Oid)>& name_of) {
  return RenameViewRelations(view, name_of).sql;
}

}  // namespace activestore::executor
