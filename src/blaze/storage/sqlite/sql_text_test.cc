#include "blaze/storage/sqlite/sql_text.h"

#include <gtest/gtest.h>

#include "blaze/storage/sqlite/database.h"
#include "tests/testing/temp_dir.h"

namespace blaze::sqlite {
namespace {

TEST(SqlText, QuotesIdentifiers) {
  EXPECT_EQ(QuoteIdentifier("games"), "\"games\"");
  EXPECT_EQ(QuoteIdentifier("we\"ird"), "\"we\"\"ird\"");
}

TEST(SqlText, LiteralsReadBackAsTheSameValue) {
  testing::TempDir dir;
  auto db = Database::Open(dir.path() + "/l.sqlite", {}).value();
  std::vector<Value> values = {Null{},           std::int64_t{-9007199254740993LL},
                               0.1,              2.0,
                               std::string("it's\n\"x\""), Blob{{0, 0xFF, 0x10}}};
  for (const Value& v : values) {
    auto stmt = db->Prepare("SELECT " + Literal(v)).value();
    ASSERT_TRUE(stmt->Step().value()) << Literal(v);
    EXPECT_EQ(stmt->Column(0), v) << Literal(v);
  }
}

TEST(SqlText, FirstKeywordSkipsCommentsAndWhitespace) {
  EXPECT_EQ(FirstKeyword("  -- note\n /* block */ vacuum;"), "VACUUM");
  EXPECT_EQ(FirstKeyword("begin transaction"), "BEGIN");
  EXPECT_EQ(FirstKeyword("-- only a comment"), "");
}

TEST(SqlText, FirstStatementEndsAtTheSemicolonThatCompletesIt) {
  EXPECT_EQ(FirstStatement("  -- c\n SELECT 'a;b'; SELECT 2;"), "SELECT 'a;b'");
  EXPECT_EQ(FirstStatement("CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END; SELECT 2"),
            "CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END");
  EXPECT_EQ(FirstStatement("SELECT 1"), "SELECT 1");
}

}  // namespace
}  // namespace blaze::sqlite
