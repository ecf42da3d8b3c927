#include "blaze/storage/d1/export.h"

#include <gtest/gtest.h>

#include "blaze/storage/d1/d1_test_fixture.h"
#include "blaze/storage/fs/faulty_env.h"
#include "blaze/storage/sqlite/sql_text.h"

namespace blaze::d1 {
namespace {

// Collects the dump in memory.
class StringFile final : public fs::WritableFile {
 public:
  Status Append(std::string_view data) override {
    text += data;
    ++appends;
    return Ok();
  }
  Status Sync() override { return Ok(); }
  Status Close() override { return Ok(); }

  std::string text;
  int appends = 0;
};

class ExportSqlTest : public D1Fixture {
 protected:
  ExportSqlTest() { CreateDatabase("db"); }

  std::string Export(const std::string& db, const ExportOptions& options = {}) {
    StringFile out;
    ExportStats stats = Must(ExportSql(*Connect(db), options, out));
    EXPECT_EQ(stats.bytes, static_cast<std::int64_t>(out.text.size()));
    return out.text;
  }

  // Every user table (and sqlite_sequence) with all its rows, and the schema, for comparing
  // two databases.
  struct Snapshot {
    Rows schema;
    std::vector<std::pair<std::string, Rows>> tables;
  };
  Snapshot Take(const std::string& db) {
    Snapshot s;
    s.schema = Query(db,
                     "SELECT type, name, tbl_name, sql FROM sqlite_schema "
                     "WHERE name NOT LIKE 'sqlite\\_autoindex%' ESCAPE '\\' ORDER BY name");
    for (const auto& row : s.schema) {
      if (std::get<std::string>(row[0]) != "table") continue;
      std::string name = std::get<std::string>(row[1]);
      s.tables.emplace_back(name, Query(db, "SELECT * FROM " + sqlite::QuoteIdentifier(name)));
    }
    return s;
  }
};

TEST_F(ExportSqlTest, DumpIsDeferredForeignKeysThenTablesThenRowsThenIndexes) {
  Execute("db",
          "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT);"
          "CREATE INDEX t_name ON t(name);"
          "CREATE TABLE u(x);"
          "INSERT INTO t VALUES (1, 'a'), (2, 'it''s');"
          "INSERT INTO u VALUES (2.0);");
  StringFile out;
  ExportStats stats = Must(ExportSql(*Connect("db"), {}, out));
  EXPECT_EQ(out.text,
            "PRAGMA defer_foreign_keys=TRUE;\n"
            "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT);\n"
            "CREATE TABLE u(x);\n"
            "INSERT INTO \"t\" VALUES(1,'a');\n"
            "INSERT INTO \"t\" VALUES(2,'it''s');\n"
            "INSERT INTO \"u\" VALUES(2.0);\n"
            "CREATE INDEX t_name ON t(name);\n");
  EXPECT_EQ(stats.tables, 2);
  EXPECT_EQ(stats.rows, 3);
  EXPECT_EQ(stats.bytes, static_cast<std::int64_t>(out.text.size()));
}

TEST_F(ExportSqlTest, AutoincrementCountersFollowTheTables) {
  Execute("db",
          "CREATE TABLE s(id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);"
          "CREATE INDEX s_v ON s(v);"
          "INSERT INTO s(v) VALUES ('a'), ('b'), ('c');"
          "DELETE FROM s WHERE id > 1;");
  std::string dump = Export("db");
  EXPECT_EQ(dump.find("CREATE TABLE sqlite_sequence"), std::string::npos) << dump;
  std::size_t rows = dump.find("INSERT INTO \"s\" VALUES(1,'a');\n");
  std::size_t reset = dump.find("DELETE FROM sqlite_sequence;\n");
  std::size_t counter = dump.find("INSERT INTO \"sqlite_sequence\" VALUES('s',3);\n");
  std::size_t index = dump.find("CREATE INDEX s_v ON s(v);\n");
  ASSERT_NE(rows, std::string::npos) << dump;
  ASSERT_NE(reset, std::string::npos) << dump;
  ASSERT_NE(counter, std::string::npos) << dump;
  ASSERT_NE(index, std::string::npos) << dump;
  EXPECT_LT(rows, reset);
  EXPECT_LT(reset, counter);
  EXPECT_LT(counter, index);
}

TEST_F(ExportSqlTest, NoDataWritesOnlyTheSchema) {
  Execute("db",
          "CREATE TABLE t(x); CREATE INDEX t_x ON t(x); INSERT INTO t VALUES (1);"
          "CREATE VIEW v AS SELECT x FROM t;");
  ExportOptions options;
  options.data = false;
  StringFile out;
  ExportStats stats = Must(ExportSql(*Connect("db"), options, out));
  EXPECT_EQ(out.text,
            "PRAGMA defer_foreign_keys=TRUE;\n"
            "CREATE TABLE t(x);\n"
            "CREATE INDEX t_x ON t(x);\n"
            "CREATE VIEW v AS SELECT x FROM t;\n");
  EXPECT_EQ(stats.rows, 0);
}

TEST_F(ExportSqlTest, NoSchemaWritesOnlyTheRows) {
  Execute("db", "CREATE TABLE t(x); CREATE INDEX t_x ON t(x); INSERT INTO t VALUES (1), (NULL);");
  ExportOptions options;
  options.schema = false;
  EXPECT_EQ(Export("db", options),
            "PRAGMA defer_foreign_keys=TRUE;\n"
            "INSERT INTO \"t\" VALUES(1);\n"
            "INSERT INTO \"t\" VALUES(NULL);\n");
}

TEST_F(ExportSqlTest, TablesFilterExportsOnlyThoseTablesAndTheirIndexes) {
  Execute("db",
          "CREATE TABLE a(x); CREATE INDEX a_x ON a(x); INSERT INTO a VALUES (1);"
          "CREATE TABLE b(y); CREATE INDEX b_y ON b(y); INSERT INTO b VALUES (2);"
          "CREATE TABLE c(id INTEGER PRIMARY KEY AUTOINCREMENT); INSERT INTO c DEFAULT VALUES;");
  ExportOptions options;
  options.tables = {"b"};
  StringFile out;
  ExportStats stats = Must(ExportSql(*Connect("db"), options, out));
  EXPECT_EQ(out.text,
            "PRAGMA defer_foreign_keys=TRUE;\n"
            "CREATE TABLE b(y);\n"
            "INSERT INTO \"b\" VALUES(2);\n"
            "CREATE INDEX b_y ON b(y);\n");
  EXPECT_EQ(stats.tables, 1);
  EXPECT_EQ(stats.rows, 1);
}

TEST_F(ExportSqlTest, UnknownTableIsNotFoundAndWritesNothing) {
  Execute("db", "CREATE TABLE a(x); CREATE VIEW v AS SELECT x FROM a;");
  for (const char* table : {"nope", "v"}) {  // a view is not a table
    ExportOptions options;
    options.tables = {"a", table};
    StringFile out;
    auto r = ExportSql(*Connect("db"), options, out);
    ASSERT_FALSE(r.has_value()) << table;
    EXPECT_EQ(r.error().code(), ErrorCode::kNotFound) << table;
    EXPECT_NE(r.error().message().find(table), std::string::npos);
    EXPECT_TRUE(out.text.empty());
  }
}

TEST_F(ExportSqlTest, InternalTablesAreLeftOutButD1MigrationsAndLookalikesAreKept) {
  Execute("db",
          "CREATE TABLE _cf_KV(key, value); INSERT INTO _cf_KV VALUES ('k', 'v');"
          "CREATE TABLE d1_migrations(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE);"
          "INSERT INTO d1_migrations(name) VALUES ('0001_a.sql');"
          "CREATE TABLE scf_items(x); INSERT INTO scf_items VALUES (1);");
  std::string dump = Export("db");
  EXPECT_EQ(dump.find("_cf_KV"), std::string::npos) << dump;
  EXPECT_NE(dump.find("INSERT INTO \"d1_migrations\" VALUES(1,'0001_a.sql');"), std::string::npos)
      << dump;
  EXPECT_NE(dump.find("INSERT INTO \"scf_items\" VALUES(1);"), std::string::npos) << dump;
  EXPECT_EQ(dump.find("sqlite_autoindex"), std::string::npos) << dump;
}

TEST_F(ExportSqlTest, RoundTripThroughExecuteScriptRecreatesTheDatabase) {
  Execute(
      "db",
      // A child created before its parent: the dump's inserts rely on deferred foreign keys.
      "CREATE TABLE children(id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL "
      "  REFERENCES parents(id));\n"
      "CREATE TABLE parents(id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"
      "CREATE UNIQUE INDEX parents_name ON parents(name);\n"
      "CREATE TABLE kinds(i INTEGER, r REAL, t TEXT, b BLOB, n, anything);\n"
      "CREATE INDEX kinds_t ON kinds(t);\n"
      "CREATE TABLE seq(id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);\n"
      "CREATE TABLE log(msg TEXT);\n"
      "CREATE TABLE \"odd \"\"name\"\"\"(x);\n"
      "CREATE TABLE pairs(k TEXT PRIMARY KEY, v) WITHOUT ROWID;\n"
      "CREATE TABLE areas(w REAL, h REAL, area REAL GENERATED ALWAYS AS (w * h));\n"
      "CREATE VIEW parent_names AS SELECT name FROM parents ORDER BY name;\n"
      "CREATE TRIGGER seq_log AFTER INSERT ON seq BEGIN\n"
      "  INSERT INTO log VALUES ('seq ' || NEW.id);\n"
      "END;\n"
      "INSERT INTO parents VALUES (1, 'p1'), (2, 'p2');\n"
      "INSERT INTO children VALUES (10, 1), (11, 2);\n"
      "INSERT INTO kinds VALUES\n"
      "  (1, 2.0, 'it''s a \"quote\"\nand a new line', X'00ff7f80', NULL, 9223372036854775807),\n"
      "  (-5, 0.1, '', X'', NULL, -1.5e300),\n"
      "  (NULL, 1e-300, 'ünïcödé -- not a comment; /* nor this */', zeroblob(3), NULL, 'x');\n"
      "INSERT INTO seq(v) VALUES ('a'), ('b'), ('c'), ('d');\n"
      "DELETE FROM seq WHERE id > 2;\n"
      "INSERT INTO \"odd \"\"name\"\"\" VALUES (1);\n"
      "INSERT INTO pairs VALUES ('b', 2), ('a', 1);\n"
      "INSERT INTO areas(w, h) VALUES (2.0, 1.5);\n");
  std::string dump = Export("db");

  CreateDatabase("copy");
  Execute("copy", dump);
  Snapshot original = Take("db");
  Snapshot copy = Take("copy");
  EXPECT_EQ(copy.schema, original.schema);
  ASSERT_EQ(copy.tables.size(), original.tables.size());
  for (std::size_t i = 0; i < original.tables.size(); ++i) {
    EXPECT_EQ(copy.tables[i], original.tables[i]) << original.tables[i].first;
  }
  // The triggers did not fire during the import, and the counter continues where it was.
  EXPECT_EQ(QueryInt("copy", "SELECT count(*) FROM log"), 4);
  EXPECT_EQ(QueryInt("copy", "SELECT seq FROM sqlite_sequence WHERE name = 'seq'"), 4);
  auto inserted = Execute("copy", "INSERT INTO seq(v) VALUES ('e')");
  EXPECT_EQ(inserted[0].meta.last_row_id, 5);
  EXPECT_EQ(QueryInt("copy", "SELECT count(*) FROM log"), 5);
  EXPECT_EQ(Query("copy", "SELECT * FROM parent_names"),
            (Rows{{std::string("p1")}, {std::string("p2")}}));
  EXPECT_EQ(QueryInt("copy", "SELECT count(*) FROM pragma_foreign_key_check"), 0);
}

TEST_F(ExportSqlTest, RoundTripKeepsObjectsWhoseDefinitionEndsInAComment) {
  // SQLite stores a CREATE VIEW up to its ';', trailing comment included (without the newline
  // that ended the comment), so a ';' appended to it would be commented out.
  Execute("db",
          "CREATE TABLE t(x);\n"
          "CREATE VIEW v AS SELECT x FROM t -- every x\n;\n"
          "CREATE TABLE w(y INTEGER) STRICT -- strict\n;\n"
          "CREATE INDEX t_x ON t(x);\n"
          "INSERT INTO t VALUES (1);\n");
  std::string dump = Export("db");
  CreateDatabase("copy");
  auto r = TryExecute("copy", dump);
  ASSERT_TRUE(r.has_value()) << r.error().ToString() << "\n" << dump;
  EXPECT_EQ(Query("copy", "SELECT x FROM v"), (Rows{{std::int64_t{1}}}));
  EXPECT_EQ(Take("copy").schema, Take("db").schema);
}

TEST_F(ExportSqlTest, GeneratedColumnsAreLeftOutOfTheRowsAndComputedAgain) {
  Execute("db",
          "CREATE TABLE p(a INTEGER, twice INTEGER GENERATED ALWAYS AS (a * 2),"
          "  next INTEGER GENERATED ALWAYS AS (a + 1) STORED, \"the note\" TEXT);"
          "INSERT INTO p(a, \"the note\") VALUES (1, 'x'), (5, NULL);");
  std::string dump = Export("db");
  EXPECT_NE(dump.find("INSERT INTO \"p\"(\"a\",\"the note\") VALUES(1,'x');\n"), std::string::npos)
      << dump;
  CreateDatabase("copy");
  Execute("copy", dump);
  EXPECT_EQ(Query("copy", "SELECT * FROM p"), Query("db", "SELECT * FROM p"));
  EXPECT_EQ(Query("copy", "SELECT twice, next FROM p WHERE a = 5"),
            (Rows{{std::int64_t{10}, std::int64_t{6}}}));
}

TEST_F(ExportSqlTest, LargeDumpIsStreamedAndEveryByteCounted) {
  Execute("db",
          "CREATE TABLE big(b BLOB);"
          "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 3000) "
          "INSERT INTO big SELECT randomblob(500) FROM c;");
  StringFile out;
  ExportStats stats = Must(ExportSql(*Connect("db"), {}, out));
  EXPECT_EQ(stats.rows, 3000);
  EXPECT_GT(stats.bytes, 3000 * 1000);
  EXPECT_EQ(stats.bytes, static_cast<std::int64_t>(out.text.size()));
  EXPECT_GT(out.appends, 1);  // written in pieces, not held whole
}

TEST_F(ExportSqlTest, DiskFullWhileWritingIsResourceExhausted) {
  Execute("db",
          "CREATE TABLE big(b BLOB);"
          "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 100) "
          "INSERT INTO big SELECT randomblob(100) FROM c;");
  fs::FaultyEnv faulty(*env_);
  faulty.FailWritesAfter(1000, fs::FaultyEnv::WriteFault::kDiskFull);
  auto file = Must(faulty.NewWritableFile(fs::JoinPath(dir_.path(), "dump.sql")));
  auto r = ExportSql(*Connect("db"), {}, *file);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kResourceExhausted);
}

}  // namespace
}  // namespace blaze::d1
