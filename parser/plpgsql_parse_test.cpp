#include <gtest/gtest.h>

#include "common/error.h"
#include "parser/plpgsql.h"

namespace activestore::plpgsql {
namespace {

TEST(PlpgsqlParseTest, BlocksDeclarationsAndStatements) {
  auto fn = ParsePlpgsql(R"(
<<outer>>
DECLARE
  a integer := 1;
  b CONSTANT text NOT NULL DEFAULT 'x';
  r record;
BEGIN
  a = a + 1;
  IF a > 1 THEN RAISE NOTICE 'a is %', a; ELSIF a < 0 THEN NULL; ELSE a := 0; END IF;
  FOR i IN REVERSE 10..1 BY 2 LOOP CONTINUE WHEN i = 4; END LOOP;
  FOR r IN SELECT x FROM t ORDER BY x LOOP EXIT outer; END LOOP;
  SELECT count(*) INTO STRICT a FROM t WHERE x IN (1, 2);
  INSERT INTO t VALUES (a) RETURNING x INTO a;
  EXECUTE 'SELECT $1' INTO a USING a;
  GET DIAGNOSTICS a = ROW_COUNT;
  RETURN QUERY SELECT 1;
EXCEPTION
  WHEN division_by_zero OR SQLSTATE '23505' THEN RAISE;
  WHEN others THEN a := 2;
END outer;)");
  const Stmt& b = *fn->block;
  EXPECT_EQ(b.kind, StmtKind::kBlock);
  EXPECT_EQ(b.label, "outer");
  ASSERT_EQ(b.decls.size(), 3u);
  EXPECT_EQ(b.decls[1].name, "b");
  EXPECT_TRUE(b.decls[1].constant);
  EXPECT_TRUE(b.decls[1].not_null);
  EXPECT_EQ(b.decls[1].default_value->text, "'x'");
  EXPECT_EQ(b.decls[2].type, "record");
  ASSERT_EQ(b.body.size(), 9u);
  EXPECT_EQ(b.body[0]->kind, StmtKind::kAssign);
  EXPECT_EQ(b.body[0]->exprs[0].text, "a + 1");
  EXPECT_EQ(b.body[1]->kind, StmtKind::kIf);
  EXPECT_EQ(b.body[1]->exprs.size(), 2u);
  EXPECT_TRUE(b.body[1]->has_else);
  const Stmt& raise = *b.body[1]->branches[0][0];
  EXPECT_EQ(raise.level, "notice");
  EXPECT_EQ(*raise.format, "a is %");
  EXPECT_EQ(b.body[2]->kind, StmtKind::kForInt);
  EXPECT_TRUE(b.body[2]->reverse);
  EXPECT_EQ(b.body[2]->exprs[2].text, "2");
  EXPECT_EQ(b.body[3]->kind, StmtKind::kForQuery);
  EXPECT_EQ(b.body[3]->sql->text, "SELECT x FROM t ORDER BY x");
  const Stmt& into = *b.body[4];
  EXPECT_EQ(into.kind, StmtKind::kSql);
  EXPECT_TRUE(into.has_into);
  EXPECT_TRUE(into.strict);
  EXPECT_EQ(into.targets[0].names[0], "a");
  // The INTO clause is blanked out, so positions in the text stay.
  EXPECT_EQ(into.sql->text, "SELECT count(*)" + std::string(std::string(" INTO STRICT a ").size(), ' ') +
                                "FROM t WHERE x IN (1, 2)");
  const Stmt& insert = *b.body[5];
  EXPECT_TRUE(insert.has_into);
  EXPECT_EQ(insert.sql->text.substr(0, 13), "INSERT INTO t");
  EXPECT_EQ(b.body[6]->kind, StmtKind::kExecute);
  EXPECT_EQ(b.body[6]->using_exprs.size(), 1u);
  EXPECT_EQ(b.body[7]->items[0], "row_count");
  EXPECT_EQ(b.body[8]->kind, StmtKind::kReturnQuery);
  ASSERT_EQ(b.handlers.size(), 2u);
  EXPECT_EQ(b.handlers[0].conditions,
            (std::vector<std::string>{"division_by_zero", "sqlstate:23505"}));
  EXPECT_EQ(b.handlers[1].conditions, (std::vector<std::string>{"others"}));
}

TEST(PlpgsqlParseTest, SyntaxErrorsHavePositions) {
  const std::string body = "BEGIN\n  IF x THEN\n  END;\nEND";
  try {
    ParsePlpgsql(body);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.state(), SqlState::kSyntaxError);
    EXPECT_EQ(e.message(), "syntax error at or near \";\"");
    EXPECT_EQ(*e.position, static_cast<int>(body.find("END;")) + 4);
  }
  // SQL inside is parsed too, its error moved into the body.
  const std::string sql = "BEGIN SELEC 1; END";
  try {
    ParsePlpgsql(sql);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.message(), "syntax error at or near \"SELEC\"");
    EXPECT_EQ(*e.position, 7);
  }
  EXPECT_THROW(ParsePlpgsql("BEGIN RAISE NOTICE '% %', 1; END"), Error);
  EXPECT_THROW(ParsePlpgsql("<<a>> BEGIN END b"), Error);
}

}  // namespace
}  // namespace activestore::plpgsql
