#include "blaze/storage/d1/migrations.h"

#include <gtest/gtest.h>

#include "blaze/storage/d1/d1_test_fixture.h"

namespace blaze::d1 {
namespace {

class MigratorTest : public D1Fixture {
 protected:
  MigratorTest() { CreateDatabase("db"); }

  void WriteMigration(const std::string& name, std::string_view sql) {
    Must(env_->CreateDirs(dir()));
    Must(fs::WriteFileAtomically(*env_, fs::JoinPath(dir(), name), sql));
  }
  std::vector<std::string> Names(const std::vector<MigrationFile>& files) {
    std::vector<std::string> names;
    for (const auto& f : files) names.push_back(f.name);
    return names;
  }
  std::vector<std::string> Recorded() {
    std::vector<std::string> names;
    for (const auto& row : Query("db", "SELECT name FROM d1_migrations ORDER BY id")) {
      names.push_back(std::get<std::string>(row[0]));
    }
    return names;
  }
  bool HasTable(const std::string& name) {
    return QueryInt("db", "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '" +
                              name + "'") == 1;
  }
  std::string dir() const { return fs::JoinPath(dir_.path(), "migrations"); }

  BackupStore backups_{*d1_};
  Migrator migrator_{*d1_, backups_};
};

TEST_F(MigratorTest, CreateMigrationFileNumbersFilesAndWritesWranglersHeader) {
  MigrationFile first = Must(CreateMigrationFile(*env_, dir(), "create users", clock_));
  EXPECT_EQ(first.name, "0001_create_users.sql");
  EXPECT_EQ(first.path, fs::JoinPath(dir(), "0001_create_users.sql"));
  EXPECT_EQ(Must(fs::ReadFile(*env_, first.path)),
            "-- Migration number: 0001 \t 2025-01-01T00:00:00.000Z\n");

  clock_.Advance(std::chrono::seconds(90));
  MigrationFile second = Must(CreateMigrationFile(*env_, dir(), "add index", clock_));
  EXPECT_EQ(second.name, "0002_add_index.sql");
  EXPECT_EQ(Must(fs::ReadFile(*env_, second.path)),
            "-- Migration number: 0002 \t 2025-01-01T00:01:30.000Z\n");

  // The next number follows the highest present; other files do not count.
  WriteMigration("0007_by_hand.sql", "");
  WriteMigration("0099_notes.txt", "");
  EXPECT_EQ(Must(CreateMigrationFile(*env_, dir(), "x", clock_)).name, "0008_x.sql");
}

TEST_F(MigratorTest, CreateMigrationFileRefusesMessagesThatAreNotAFileName) {
  for (const char* message : {"", "../escape", "a/b", ".."}) {
    auto r = CreateMigrationFile(*env_, dir(), message, clock_);
    ASSERT_FALSE(r.has_value()) << message;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument) << message;
  }
  EXPECT_FALSE(Must(env_->Exists(fs::JoinPath(dir_.path(), "escape.sql"))));
}

TEST_F(MigratorTest, PendingListsUnappliedFilesInOrderAndCreatesWranglersTable) {
  WriteMigration("0002_second.sql", "CREATE TABLE b(x);");
  WriteMigration("0001_first.sql", "CREATE TABLE a(x);");
  WriteMigration("README.md", "not a migration");
  auto pending = Must(migrator_.Pending("db", dir()));
  EXPECT_EQ(Names(pending), (std::vector<std::string>{"0001_first.sql", "0002_second.sql"}));
  EXPECT_EQ(pending[0].path, fs::JoinPath(dir(), "0001_first.sql"));
  EXPECT_FALSE(HasTable("a"));  // listing applies nothing

  // The table wrangler creates, byte for byte, so either tool can take over.
  Rows sql = Query("db", "SELECT sql FROM sqlite_schema WHERE name = 'd1_migrations'");
  ASSERT_EQ(sql.size(), 1u);
  EXPECT_EQ(std::get<std::string>(sql[0][0]),
            "CREATE TABLE d1_migrations(\n"
            "\t\tid         INTEGER PRIMARY KEY AUTOINCREMENT,\n"
            "\t\tname       TEXT UNIQUE,\n"
            "\t\tapplied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL\n"
            ")");
  EXPECT_TRUE(Recorded().empty());
}

TEST_F(MigratorTest, MigrationsRecordedByWranglerAreNotPending) {
  Execute("db",
          "CREATE TABLE IF NOT EXISTS d1_migrations(\n"
          "\t\tid         INTEGER PRIMARY KEY AUTOINCREMENT,\n"
          "\t\tname       TEXT UNIQUE,\n"
          "\t\tapplied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL\n"
          ");"
          "INSERT INTO d1_migrations(name) VALUES ('0001_first.sql');");
  WriteMigration("0001_first.sql", "CREATE TABLE a(x);");
  WriteMigration("0002_second.sql", "CREATE TABLE b(x);");
  EXPECT_EQ(Names(Must(migrator_.Pending("db", dir()))),
            std::vector<std::string>{"0002_second.sql"});
}

TEST_F(MigratorTest, ApplyTakesABackupRunsTheFilesAndRecordsThem) {
  Execute("db", "CREATE TABLE existing(x); INSERT INTO existing VALUES (1);");
  WriteMigration("0001_users.sql", "CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT);");
  WriteMigration(
      "0002_seed.sql",
      "INSERT INTO users(name) VALUES ('ada');\nINSERT INTO users(name) VALUES ('bob');");
  ApplyReport report = Must(migrator_.Apply("db", dir()));
  EXPECT_EQ(Names(report.pending), (std::vector<std::string>{"0001_users.sql", "0002_seed.sql"}));
  EXPECT_EQ(report.applied, (std::vector<std::string>{"0001_users.sql", "0002_seed.sql"}));
  EXPECT_FALSE(report.failed.has_value());
  EXPECT_FALSE(report.error.has_value());
  EXPECT_EQ(QueryInt("db", "SELECT count(*) FROM users"), 2);
  EXPECT_EQ(Recorded(), report.applied);
  EXPECT_EQ(Query("db", "SELECT DISTINCT applied_at FROM d1_migrations"),
            (Rows{{std::string("2025-01-01 00:00:00")}}));
  EXPECT_TRUE(Must(migrator_.Pending("db", dir())).empty());

  // The backup was taken before the first migration ran.
  ASSERT_TRUE(report.backup.has_value());
  EXPECT_EQ(report.backup->label.rfind("pre-migrations-", 0), 0u) << report.backup->label;
  auto list = Must(backups_.List("db"));
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].id, report.backup->id);
  Must(backups_.Restore("db-before", report.backup->id));
  EXPECT_EQ(QueryInt("db-before", "SELECT count(*) FROM existing"), 1);
  EXPECT_EQ(QueryInt("db-before", "SELECT count(*) FROM sqlite_schema WHERE name = 'users'"), 0);
}

TEST_F(MigratorTest, FailingMigrationIsRolledBackAndStopsTheRun) {
  WriteMigration("0001_a.sql", "CREATE TABLE a(x); INSERT INTO a VALUES (1);");
  WriteMigration("0002_b.sql",
                 "CREATE TABLE b(x);\nINSERT INTO b VALUES (1);\nINSERT INTO nope VALUES (1);");
  WriteMigration("0003_c.sql", "CREATE TABLE c(x);");
  ApplyReport report = Must(migrator_.Apply("db", dir()));
  EXPECT_EQ(report.applied, std::vector<std::string>{"0001_a.sql"});
  ASSERT_TRUE(report.failed.has_value());
  EXPECT_EQ(*report.failed, "0002_b.sql");
  ASSERT_TRUE(report.error.has_value());
  EXPECT_NE(report.error->message().find("no such table: nope"), std::string::npos)
      << report.error->message();
  EXPECT_NE(report.error->message().find("statement 3"), std::string::npos);

  EXPECT_TRUE(HasTable("a"));
  EXPECT_EQ(QueryInt("db", "SELECT count(*) FROM a"), 1);
  EXPECT_FALSE(HasTable("b"));  // the whole file is rolled back
  EXPECT_FALSE(HasTable("c"));  // and the run stopped there
  EXPECT_EQ(Recorded(), std::vector<std::string>{"0001_a.sql"});
  EXPECT_EQ(Names(Must(migrator_.Pending("db", dir()))),
            (std::vector<std::string>{"0002_b.sql", "0003_c.sql"}));

  // Fixed, the rest applies.
  WriteMigration("0002_b.sql", "CREATE TABLE b(x);");
  ApplyReport retry = Must(migrator_.Apply("db", dir()));
  EXPECT_EQ(retry.applied, (std::vector<std::string>{"0002_b.sql", "0003_c.sql"}));
  EXPECT_TRUE(HasTable("b"));
  EXPECT_TRUE(HasTable("c"));
}

TEST_F(MigratorTest, ApplyWithNothingPendingTakesNoBackup) {
  Must(env_->CreateDirs(dir()));
  ApplyReport empty = Must(migrator_.Apply("db", dir()));
  EXPECT_TRUE(empty.pending.empty());
  EXPECT_FALSE(empty.backup.has_value());
  EXPECT_TRUE(Must(backups_.List("db")).empty());

  WriteMigration("0001_a.sql", "CREATE TABLE a(x);");
  Must(migrator_.Apply("db", dir()));
  ASSERT_EQ(Must(backups_.List("db")).size(), 1u);
  ApplyReport again = Must(migrator_.Apply("db", dir()));
  EXPECT_TRUE(again.pending.empty());
  EXPECT_TRUE(again.applied.empty());
  EXPECT_FALSE(again.backup.has_value());
  EXPECT_EQ(Must(backups_.List("db")).size(), 1u);
}

TEST_F(MigratorTest, FreshMigrationFileWithOnlyItsHeaderApplies) {
  MigrationFile file = Must(CreateMigrationFile(*env_, dir(), "placeholder", clock_));
  ApplyReport report = Must(migrator_.Apply("db", dir()));
  EXPECT_EQ(report.applied, std::vector<std::string>{file.name});
  EXPECT_FALSE(report.failed.has_value());
}

TEST_F(MigratorTest, MigrationMayNotManageItsOwnTransaction) {
  WriteMigration("0001_a.sql", "BEGIN TRANSACTION; CREATE TABLE a(x); COMMIT;");
  ApplyReport report = Must(migrator_.Apply("db", dir()));
  ASSERT_TRUE(report.failed.has_value());
  EXPECT_EQ(report.error->code(), ErrorCode::kInvalidArgument);
  EXPECT_FALSE(HasTable("a"));
  EXPECT_TRUE(Recorded().empty());
}

TEST_F(MigratorTest, MissingMigrationsFolderIsNotFound) {
  auto listed = ListMigrationFiles(*env_, dir());
  ASSERT_FALSE(listed.has_value());
  EXPECT_EQ(listed.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(listed.error().message().find("migrations create"), std::string::npos);
  auto pending = migrator_.Pending("db", dir());
  ASSERT_FALSE(pending.has_value());
  EXPECT_EQ(pending.error().code(), ErrorCode::kNotFound);
  auto applied = migrator_.Apply("db", dir());
  ASSERT_FALSE(applied.has_value());
  EXPECT_EQ(applied.error().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(Must(backups_.List("db")).empty());
}

TEST_F(MigratorTest, UnknownDatabaseIsNotFound) {
  WriteMigration("0001_a.sql", "CREATE TABLE a(x);");
  auto r = migrator_.Apply("nope", dir());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace blaze::d1
