#include "blaze/storage/d1/executor.h"

#include <gtest/gtest.h>

#include "blaze/storage/d1/d1_test_fixture.h"

namespace blaze::d1 {
namespace {

using sqlite::Blob;
using sqlite::Null;
using sqlite::Value;

class ExecuteScriptTest : public D1Fixture {
 protected:
  ExecuteScriptTest() { CreateDatabase("db"); }

  Error ExecuteError(std::string_view sql) {
    auto r = TryExecute("db", sql);
    EXPECT_FALSE(r.has_value()) << sql;
    return r.has_value() ? Internal("the script succeeded") : r.error();
  }
  std::int64_t TableCount(const std::string& name) {
    return QueryInt(
        "db", "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '" + name + "'");
  }
};

TEST_F(ExecuteScriptTest, EachStatementGetsItsResultWithColumnsRowsAndMeta) {
  auto results = Execute("db",
                         "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT);\n"
                         "INSERT INTO t(name) VALUES ('a'), ('b');\n"
                         "SELECT id, name FROM t ORDER BY id;");
  ASSERT_EQ(results.size(), 3u);

  EXPECT_TRUE(results[0].columns.empty());
  EXPECT_TRUE(results[0].meta.changed_db);

  const StatementMeta& insert = results[1].meta;
  EXPECT_EQ(insert.changes, 2);
  EXPECT_EQ(insert.rows_written, 2);
  EXPECT_EQ(insert.last_row_id, 2);
  EXPECT_TRUE(insert.changed_db);

  const StatementResult& select = results[2];
  EXPECT_NE(select.sql.find("SELECT id, name FROM t ORDER BY id"), std::string::npos);
  EXPECT_EQ(select.columns, (std::vector<std::string>{"id", "name"}));
  EXPECT_EQ(select.rows,
            (Rows{{std::int64_t{1}, std::string("a")}, {std::int64_t{2}, std::string("b")}}));
  EXPECT_FALSE(select.meta.changed_db);
  EXPECT_EQ(select.meta.changes, 0);
  EXPECT_EQ(select.meta.rows_written, 0);
  EXPECT_GE(select.meta.rows_read, 2);
  for (const auto& r : results) {
    EXPECT_GT(r.meta.size_after, 0) << r.sql;
    EXPECT_GE(r.meta.duration_ms, 0) << r.sql;
  }
}

TEST_F(ExecuteScriptTest, ValuesOfEveryTypeRoundTrip) {
  Execute(
      "db",
      "CREATE TABLE v(a, b, c, d, e, f);"
      "INSERT INTO v VALUES (NULL, 9223372036854775807, 2.0, 'it''s\n\"x\" é', X'00FF10', -7);");
  Rows rows = Query("db", "SELECT a, b, c, d, e, f, typeof(c) FROM v");
  ASSERT_EQ(rows.size(), 1u);
  Rows expected = {{Null{}, std::int64_t{9223372036854775807}, 2.0, std::string("it's\n\"x\" é"),
                    Blob{{0x00, 0xFF, 0x10}}, std::int64_t{-7}, std::string("real")}};
  EXPECT_EQ(rows, expected);
}

TEST_F(ExecuteScriptTest, FailingSecondStatementLeavesNothingOfTheScript) {
  Execute("db", "CREATE TABLE kept(x); INSERT INTO kept VALUES (1);");
  Error e = ExecuteError(
      "CREATE TABLE a(x); SELECT * FROM nope; INSERT INTO kept VALUES (2); INSERT INTO a VALUES "
      "(1);");
  EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(e.message().find("statement 2"), std::string::npos) << e.message();
  EXPECT_NE(e.message().find("no such table: nope"), std::string::npos) << e.message();
  EXPECT_EQ(TableCount("a"), 0);
  EXPECT_EQ(QueryInt("db", "SELECT count(*) FROM kept"), 1);
}

TEST_F(ExecuteScriptTest, ErrorMessageNamesThePositionTheStatementAndSqlitesMessage) {
  Error e = ExecuteError("CREATE TABLE a(x);\n  SELECT   *\n FROM nope");
  EXPECT_EQ(e.message(), "statement 2 (SELECT * FROM nope): no such table: nope");
}

TEST_F(ExecuteScriptTest, ErrorMessageQuotesOnlyTheFailingStatement) {
  // Prepare-time failure in the middle: the rest of the script is not part of the message.
  Error prepare = ExecuteError("CREATE TABLE a(x); -- note\nSELECT * FROM nope; SELECT 3;");
  EXPECT_EQ(prepare.message(), "statement 2 (SELECT * FROM nope): no such table: nope");
  // Run-time failure: no trailing ';' either.
  Error run = ExecuteError("CREATE TABLE u(id PRIMARY KEY); INSERT INTO u VALUES (1), (1); SELECT 1;");
  EXPECT_EQ(run.message(), "statement 2 (INSERT INTO u VALUES (1), (1)): UNIQUE constraint failed: u.id");
}

TEST_F(ExecuteScriptTest, RunTimeFailureRollsBackTheStatementsBeforeIt) {
  Execute("db", "CREATE TABLE u(id INTEGER PRIMARY KEY); INSERT INTO u VALUES (1);");
  Error e = ExecuteError(
      "INSERT INTO u VALUES (5); CREATE TABLE side(x); INSERT INTO u VALUES (1); "
      "INSERT INTO u VALUES (6);");
  EXPECT_EQ(e.code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(e.message().find("statement 3"), std::string::npos) << e.message();
  EXPECT_NE(e.message().find("UNIQUE constraint failed: u.id"), std::string::npos) << e.message();
  EXPECT_EQ(Query("db", "SELECT id FROM u"), (Rows{{std::int64_t{1}}}));
  EXPECT_EQ(TableCount("side"), 0);
}

TEST_F(ExecuteScriptTest, DeleteThenVacuumShrinksTheFile) {
  Execute("db",
          "CREATE TABLE t(b BLOB);"
          "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 2000) "
          "INSERT INTO t SELECT randomblob(1000) FROM c;");
  std::int64_t before = Must(d1_->Info("db")).file_size;
  ASSERT_GT(before, 2000 * 1000);

  auto results = Execute("db", "DELETE FROM t; VACUUM;");
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].meta.changes, 2000);
  EXPECT_LT(results[1].meta.size_after, 64 * 1024);
  EXPECT_LT(Must(d1_->Info("db")).file_size, before / 10);
  EXPECT_EQ(QueryInt("db", "SELECT count(*) FROM t"), 0);
}

TEST_F(ExecuteScriptTest, VacuumCommitsWhatCameBeforeItAndTheRestIsANewTransaction) {
  Error e = ExecuteError(
      "CREATE TABLE before_vacuum(x); VACUUM; CREATE TABLE after_vacuum(x); SELECT * FROM nope;");
  EXPECT_NE(e.message().find("statement 4"), std::string::npos) << e.message();
  EXPECT_EQ(TableCount("before_vacuum"), 1);
  EXPECT_EQ(TableCount("after_vacuum"), 0);
}

TEST_F(ExecuteScriptTest, OneBeginCommitPairAroundTheScriptIsDropped) {
  auto results = Execute("db",
                         "BEGIN TRANSACTION;\n"
                         "CREATE TABLE t(x);\n"
                         "INSERT INTO t VALUES (1);\n"
                         "COMMIT;\n");
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(QueryInt("db", "SELECT count(*) FROM t"), 1);

  // The pair does not weaken atomicity: a failure inside still keeps nothing.
  ExecuteError("BEGIN; INSERT INTO t VALUES (2); INSERT INTO nope VALUES (1); COMMIT;");
  EXPECT_EQ(QueryInt("db", "SELECT count(*) FROM t"), 1);
}

TEST_F(ExecuteScriptTest, OtherTransactionControlIsRefused) {
  for (const char* script : {
           "BEGIN; BEGIN; CREATE TABLE t(x); COMMIT;",
           "CREATE TABLE t(x); BEGIN; INSERT INTO t VALUES (1); COMMIT;",
           "BEGIN; CREATE TABLE t(x); COMMIT; BEGIN; INSERT INTO t VALUES (1); COMMIT;",
           "BEGIN; CREATE TABLE t(x); COMMIT; INSERT INTO t VALUES (1);",
           "CREATE TABLE t(x); ROLLBACK;",
           "CREATE TABLE t(x); COMMIT;",
           "SAVEPOINT s; CREATE TABLE t(x); RELEASE s;",
       }) {
    Error e = ExecuteError(script);
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument) << script;
    EXPECT_EQ(TableCount("t"), 0) << script;
  }
  Error second = ExecuteError("BEGIN; BEGIN; CREATE TABLE t(x); COMMIT;");
  EXPECT_NE(second.message().find("statement 2"), std::string::npos) << second.message();
  EXPECT_NE(second.message().find("explicit transactions are not allowed"), std::string::npos);
}

TEST_F(ExecuteScriptTest, ExplainQueryPlanReturnsRows) {
  Execute("db", "CREATE TABLE t(id INTEGER PRIMARY KEY, x); CREATE INDEX t_x ON t(x);");
  auto results = Execute("db", "EXPLAIN QUERY PLAN SELECT * FROM t WHERE x = 1");
  ASSERT_EQ(results.size(), 1u);
  ASSERT_FALSE(results[0].rows.empty());
  EXPECT_FALSE(results[0].meta.changed_db);
  bool uses_index = false;
  for (const auto& row : results[0].rows) {
    for (const auto& v : row) {
      if (auto* s = std::get_if<std::string>(&v); s && s->find("t_x") != std::string::npos) {
        uses_index = true;
      }
    }
  }
  EXPECT_TRUE(uses_index);
}

TEST_F(ExecuteScriptTest, ScriptWithoutStatementsIsInvalidArgument) {
  for (const char* script : {"", "   \n\t", "-- only a comment\n", "/* block */", ";"}) {
    Error e = ExecuteError(script);
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument) << "'" << script << "'";
  }
}

TEST_F(ExecuteScriptTest, EmptyStatementsBetweenSemicolonsDoNotHideTheRest) {
  auto results =
      Execute("db", "CREATE TABLE t(x);; INSERT INTO t VALUES (1);\n;\nINSERT INTO t VALUES (2);");
  EXPECT_EQ(results.size(), 3u);
  EXPECT_EQ(QueryInt("db", "SELECT count(*) FROM t"), 2);
}

TEST_F(ExecuteScriptTest, CommentsBetweenStatementsAreSkipped) {
  auto results = Execute("db",
                         "-- create\nCREATE TABLE t(x); /* fill */ INSERT INTO t VALUES (1);\n"
                         "-- trailing comment");
  EXPECT_EQ(results.size(), 2u);
  EXPECT_EQ(QueryInt("db", "SELECT count(*) FROM t"), 1);
}

TEST_F(ExecuteScriptTest, RunawayQueryIsStoppedByTheTimeLimit) {
  auto db = Connect("db");
  TickingClock ticking;
  // With a 0 ms limit the first progress callback (after ~1000 VM steps) is past the deadline;
  // the short statements before never reach one.
  db->SetTimeLimit(ticking, std::chrono::milliseconds(0));
  auto r = ExecuteScript(*db,
                         "CREATE TABLE t(x); INSERT INTO t VALUES (1);"
                         "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
                         "SELECT max(x) FROM c;",
                         ticking, TransactionMode::kOwnTransaction);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kDeadlineExceeded);
  EXPECT_NE(r.error().message().find("statement 3"), std::string::npos) << r.error().message();
  EXPECT_NE(r.error().message().find("time limit"), std::string::npos) << r.error().message();
  EXPECT_FALSE(db->InTransaction());
  EXPECT_EQ(TableCount("t"), 0);
  // The connection stays usable; every statement gets a fresh deadline.
  auto ok = ExecuteScript(*db, "CREATE TABLE t(x); INSERT INTO t VALUES (1); SELECT x FROM t;",
                          ticking, TransactionMode::kOwnTransaction);
  ASSERT_TRUE(ok.has_value()) << ok.error().ToString();
  EXPECT_EQ(ok->back().rows, (Rows{{std::int64_t{1}}}));
}

TEST_F(ExecuteScriptTest, CallerOwnedModeLeavesTheTransactionToTheCaller) {
  auto db = Connect("db");
  ASSERT_TRUE(db->Exec("BEGIN IMMEDIATE").has_value());
  auto r = ExecuteScript(*db, "CREATE TABLE t(x); INSERT INTO t VALUES (1);", clock_,
                         TransactionMode::kCallerOwned);
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_TRUE(db->InTransaction());
  // An empty script is fine here (a fresh migration file holds only its header comment).
  EXPECT_TRUE(
      ExecuteScript(*db, "-- Migration number: 0001\n", clock_, TransactionMode::kCallerOwned)
          .has_value());
  auto vacuum = ExecuteScript(*db, "VACUUM", clock_, TransactionMode::kCallerOwned);
  ASSERT_FALSE(vacuum.has_value());
  EXPECT_EQ(vacuum.error().code(), ErrorCode::kInvalidArgument);
  auto begin =
      ExecuteScript(*db, "BEGIN; SELECT 1; COMMIT;", clock_, TransactionMode::kCallerOwned);
  ASSERT_FALSE(begin.has_value());
  EXPECT_TRUE(db->InTransaction());
  ASSERT_TRUE(db->Exec("ROLLBACK").has_value());
  EXPECT_EQ(TableCount("t"), 0);
}

TEST_F(ExecuteScriptTest, ReadOnlyModeReadsAndRefusesAnyWriteBeforeItRuns) {
  Execute("db", "CREATE TABLE t(x); INSERT INTO t VALUES (1), (2);");
  auto db = Connect("db");
  auto read = ExecuteScript(*db, "SELECT count(*) FROM t; PRAGMA table_info(t); SELECT max(x) FROM t",
                            clock_, TransactionMode::kReadOnly);
  ASSERT_TRUE(read.has_value()) << read.error().ToString();
  EXPECT_EQ(read->front().rows, (Rows{{std::int64_t{2}}}));
  EXPECT_EQ(read->back().rows, (Rows{{std::int64_t{2}}}));
  EXPECT_FALSE(db->InTransaction());  // the read transaction ended
  for (const char* sql : {"SELECT 1; INSERT INTO t VALUES (3)", "DELETE FROM t",
                          "CREATE TABLE u(y)", "VACUUM", "WITH n AS (SELECT 1) UPDATE t SET x = 0",
                          "BEGIN; DROP TABLE t; COMMIT"}) {
    auto r = ExecuteScript(*db, sql, clock_, TransactionMode::kReadOnly);
    ASSERT_FALSE(r.has_value()) << sql;
    EXPECT_EQ(r.error().code(), ErrorCode::kPermissionDenied) << sql;
    EXPECT_NE(r.error().message().find("--read-only: this statement would change the database"),
              std::string::npos)
        << r.error().message();
    EXPECT_FALSE(db->InTransaction()) << sql;
  }
  EXPECT_EQ(Query("db", "SELECT group_concat(x) FROM t"), (Rows{{std::string("1,2")}}));
  EXPECT_EQ(TableCount("u"), 0);
}

}  // namespace
}  // namespace blaze::d1
