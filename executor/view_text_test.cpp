// The rewriting of a view's stored text (view_text.h): qualifying the relations CREATE VIEW
// resolved, and printing them for a reader.
#include "executor/view_text.h"

#include <gtest/gtest.h>

namespace activestore::executor {
namespace {

TEST(QualifiedNameSpan, ReadsPlainQuotedAndQualifiedNames) {
  std::string last;
  EXPECT_EQ(QualifiedNameSpan("t WHERE x", 0, &last), 1u);
  EXPECT_EQ(last, "t");
  EXPECT_EQ(QualifiedNameSpan("FROM Orders o", 5, &last), 6u);
  EXPECT_EQ(last, "orders");
  EXPECT_EQ(QualifiedNameSpan("s . \"My \"\"T\"\" \" x", 0, &last), 15u);
  EXPECT_EQ(last, "My \"T\" ");
  EXPECT_EQ(QualifiedNameSpan("db.s.t, u", 0, &last), 6u);
  EXPECT_EQ(last, "t");
  EXPECT_EQ(QualifiedNameSpan("(t)", 0, &last), 0u);
  EXPECT_EQ(QualifiedNameSpan("\"open", 0, &last), 0u);
  // A dot not followed by a name ends the name before it.
  EXPECT_EQ(QualifiedNameSpan("t.*", 0, &last), 1u);
}

storage::CatalogSnapshot CatalogWith(storage::Oid oid, const std::string& schema,
                                     const std::string& name) {
  storage::CatalogSnapshot snap;
  auto t = std::make_shared<storage::TableInfo>();
  t->oid = oid;
  t->database_oid = 1;
  t->schema = schema;
  t->name = name;
  snap.tables[{1, schema, name}] = t;
  return snap;
}

TEST(QualifyViewRelations, QualifiesUnqualifiedNamesAndRecordsEach) {
  storage::CatalogSnapshot snap = CatalogWith(500, "My Schema", "t");
  const std::string stmt = "CREATE VIEW v AS SELECT t.a FROM t JOIN \"My Schema\".t u ON true";
  const int query_at = static_cast<int>(stmt.find("SELECT"));
  const std::string query = stmt.substr(static_cast<size_t>(query_at));
  std::vector<planner::PlannerContext::RelationMention> mentions = {
      {static_cast<int>(stmt.find("\"My")), true, "My Schema", 500},
      {static_cast<int>(stmt.find("FROM t") + 5), false, "My Schema", 500},
      {static_cast<int>(stmt.find("FROM t") + 5), false, "My Schema", 500},  // bound twice
  };
  auto q = QualifyViewRelations(query, query_at, mentions, snap);
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->sql, "SELECT t.a FROM \"My Schema\".t JOIN \"My Schema\".t u ON true");
  ASSERT_EQ(q->relations.size(), 2u);
  EXPECT_EQ(q->sql.substr(q->relations[0].offset, q->relations[0].length), "\"My Schema\".t");
  EXPECT_EQ(q->relations[1].oid, 500u);

  storage::TableInfo view;
  view.view_sql = q->sql;
  view.view_relations = q->relations;
  EXPECT_EQ(ViewTextForReader(view, [](storage::Oid) { return std::string("t"); }),
            "SELECT t.a FROM t JOIN t u ON true");
  EXPECT_EQ(ViewTextForReader(view, [](storage::Oid) { return std::nullopt; }), q->sql);
}

TEST(QualifyViewRelations, RefusesAMentionThatIsNotTheName) {
  storage::CatalogSnapshot snap = CatalogWith(500, "public", "t");
  const std::string query = "SELECT 1 FROM t";
  // Located at "SELECT": not the relation's name there.
  EXPECT_FALSE(QualifyViewRelations(query, 0, {{0, false, "public", 500}}, snap).has_value());
  // Outside the query's text.
  EXPECT_FALSE(QualifyViewRelations(query, 10, {{3, false, "public", 500}}, snap).has_value());
  auto q = QualifyViewRelations(query, 0, {{14, false, "public", 500}}, snap);
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->sql, "SELECT 1 FROM public.t");
}

}  // namespace
}  // namespace activestore::executor
