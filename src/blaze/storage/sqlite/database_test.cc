#include "blaze/storage/sqlite/database.h"

#include <gtest/gtest.h>

#include "tests/testing/temp_dir.h"

namespace blaze::sqlite {
namespace {

class DatabaseTest : public ::testing::Test {
 protected:
  std::unique_ptr<Database> OpenDb(const char* name = "t.sqlite") {
    auto db = Database::Open(dir_.path() + "/" + name, OpenOptions{});
    EXPECT_TRUE(db.has_value()) << db.error().ToString();
    return std::move(db).value();
  }
  testing::TempDir dir_;
};

TEST_F(DatabaseTest, OpensInWalModeWithForeignKeysOn) {
  auto db = OpenDb();
  auto stmt = db->Prepare("PRAGMA journal_mode").value();
  ASSERT_TRUE(stmt->Step().value());
  EXPECT_EQ(stmt->ColumnText(0), "wal");
  EXPECT_EQ(db->QueryInt("PRAGMA foreign_keys").value(), 1);
}

TEST_F(DatabaseTest, BindsAndReadsBackEveryType) {
  auto db = OpenDb();
  ASSERT_TRUE(db->Exec("CREATE TABLE t(a, b, c, d, e)").has_value());
  auto ins = db->Prepare("INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5)").value();
  std::vector<Value> row = {Null{}, std::int64_t{1} << 40, 2.5, std::string("héllo\0x", 7),
                            Blob{{0, 1, 255}}};
  ASSERT_TRUE(ins->BindAll(row).has_value());
  ASSERT_FALSE(ins->Step().value());
  EXPECT_EQ(db->Changes(), 1);
  EXPECT_EQ(db->LastInsertRowId(), 1);

  auto sel = db->Prepare("SELECT a, b, c, d, e FROM t").value();
  ASSERT_TRUE(sel->Step().value());
  for (int i = 0; i < 5; ++i) EXPECT_EQ(sel->Column(i), row[i]) << "column " << i;
  EXPECT_EQ(sel->ColumnName(3), "d");
  EXPECT_FALSE(sel->Step().value());
}

TEST_F(DatabaseTest, WrongParameterCountIsAnError) {
  auto db = OpenDb();
  auto stmt = db->Prepare("SELECT ?1 + ?2").value();
  std::vector<Value> one = {std::int64_t{1}};
  auto s = stmt->BindAll(one);
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code(), ErrorCode::kInvalidArgument);
}

TEST_F(DatabaseTest, PrepareReusesCachedStatementsAndEvictsTheLeastRecentlyUsed) {
  OpenOptions opts;
  opts.statement_cache_size = 2;
  auto db = Database::Open(dir_.path() + "/c.sqlite", opts).value();
  Statement* a = db->Prepare("SELECT 1").value().get();
  EXPECT_EQ(db->Prepare("SELECT 1").value().get(), a);
  db->Prepare("SELECT 2").value();
  db->Prepare("SELECT 1").value();  // touch: now 2 is least recent
  db->Prepare("SELECT 3").value();  // evicts 2
  EXPECT_EQ(db->Prepare("SELECT 1").value().get(), a);
}

TEST_F(DatabaseTest, ALeasedStatementIsNeverEvicted) {
  OpenOptions opts;
  opts.statement_cache_size = 1;
  auto db = Database::Open(dir_.path() + "/lease.sqlite", opts).value();
  auto held = db->Prepare("SELECT 1").value();
  auto other = db->Prepare("SELECT 2").value();  // would evict "SELECT 1" if it were free
  ASSERT_TRUE(held->Step().value());
  EXPECT_EQ(held->ColumnInt(0), 1);
}

TEST_F(DatabaseTest, EndingALeaseReleasesTheReadSnapshot) {
  auto reader = OpenDb("snap.sqlite");
  auto writer = OpenDb("snap.sqlite");
  ASSERT_TRUE(writer->Exec("CREATE TABLE t(x); INSERT INTO t VALUES (1), (2)").has_value());
  {
    auto stmt = reader->Prepare("SELECT x FROM t").value();
    ASSERT_TRUE(stmt->Step().value());  // stopped on the first row: a read snapshot is open
  }
  ASSERT_TRUE(writer->Exec("INSERT INTO t VALUES (3)").has_value());
  // A snapshot left open would still count two rows.
  EXPECT_EQ(reader->QueryInt("SELECT count(*) FROM t").value(), 3);
}

TEST_F(DatabaseTest, SqlErrorsCarrySqlitesMessage) {
  auto db = OpenDb();
  auto r = db->Prepare("SELECT * FROM nope");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message(), "no such table: nope");
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
}

TEST_F(DatabaseTest, ConstraintViolationIsFailedPrecondition) {
  auto db = OpenDb();
  ASSERT_TRUE(db->Exec("CREATE TABLE u(id INTEGER PRIMARY KEY); INSERT INTO u VALUES (1)").has_value());
  auto s = db->Exec("INSERT INTO u VALUES (1)");
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(s.error().message().find("UNIQUE constraint failed"), std::string::npos);
}

TEST_F(DatabaseTest, TimeLimitInterruptsALongQueryWithoutWaiting) {
  auto db = OpenDb();
  FakeClock clock;
  db->SetTimeLimit(clock, std::chrono::milliseconds(100));
  // An endless recursive CTE: the fake clock is pushed past the limit before it starts, so the
  // first progress callback interrupts it.
  auto stmt = db->Prepare(
      "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT max(x) FROM c").value();
  db->ArmDeadline();
  clock.Advance(std::chrono::milliseconds(101));
  auto r = stmt->Step();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kDeadlineExceeded);
  // The connection is usable afterwards and a new deadline applies.
  db->ArmDeadline();
  EXPECT_EQ(db->QueryInt("SELECT 7").value(), 7);
}

TEST_F(DatabaseTest, BusyWriterTimesOutAsUnavailable) {
  OpenOptions opts;
  opts.busy_timeout_ms = 0;
  auto a = Database::Open(dir_.path() + "/b.sqlite", opts).value();
  auto b = Database::Open(dir_.path() + "/b.sqlite", opts).value();
  ASSERT_TRUE(a->Exec("CREATE TABLE t(x); BEGIN IMMEDIATE; INSERT INTO t VALUES (1)").has_value());
  auto s = b->Exec("INSERT INTO t VALUES (2)");
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code(), ErrorCode::kUnavailable);
  ASSERT_TRUE(a->Exec("COMMIT").has_value());
  EXPECT_TRUE(b->Exec("INSERT INTO t VALUES (2)").has_value());
}

TEST_F(DatabaseTest, OpeningAFileThatIsNotADatabaseFails) {
  FILE* f = std::fopen((dir_.path() + "/junk.sqlite").c_str(), "w");
  std::fputs("this is not a database, just some text that is long enough to have a header....",
             f);
  std::fclose(f);
  auto r = Database::Open(dir_.path() + "/junk.sqlite", OpenOptions{});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kDataLoss);
}

TEST_F(DatabaseTest, PrepareNextWalksAScriptStatementByStatement) {
  auto db = OpenDb();
  std::string_view script = "CREATE TABLE t(x); -- comment\n INSERT INTO t VALUES (1);  ";
  std::size_t used = 0;
  auto first = db->PrepareNext(script, &used).value();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->Sql(), "CREATE TABLE t(x);");
  ASSERT_FALSE(first->Step().value());
  script.remove_prefix(used);
  auto second = db->PrepareNext(script, &used).value();
  ASSERT_TRUE(second);
  script.remove_prefix(used);
  EXPECT_FALSE(db->PrepareNext(script, &used).value());  // only whitespace left
}

TEST_F(DatabaseTest, CopyDatabaseReplacesTheDestination) {
  auto src = OpenDb("src.sqlite");
  auto dst = OpenDb("dst.sqlite");
  ASSERT_TRUE(src->Exec("CREATE TABLE t(x); INSERT INTO t VALUES (1), (2)").has_value());
  ASSERT_TRUE(dst->Exec("CREATE TABLE other(y)").has_value());
  ASSERT_TRUE(CopyDatabase(*src, *dst).has_value());
  EXPECT_EQ(dst->QueryInt("SELECT count(*) FROM t").value(), 2);
  EXPECT_FALSE(dst->Prepare("SELECT * FROM other").has_value());
}

TEST_F(DatabaseTest, InMemorySnapshotExposesTheDatabaseBytesWithoutACopy) {
  auto src = OpenDb("src.sqlite");
  ASSERT_TRUE(src->Exec("CREATE TABLE t(x); INSERT INTO t VALUES ('snap')").has_value());
  auto mem = Database::OpenInMemory().value();
  ASSERT_TRUE(CopyDatabase(*src, *mem).has_value());
  auto view = mem->InMemoryBytes();
  ASSERT_TRUE(view.has_value()) << view.error().ToString();
  std::string_view bytes = *view;
  // (The copy's header says WAL, as its source's does, and memdb cannot read a WAL database:
  // the bytes are for writing out, not for querying through `mem`.)
  EXPECT_EQ(static_cast<std::int64_t>(bytes.size()), src->SizeBytes().value());
  EXPECT_EQ(bytes.substr(0, 16), std::string_view("SQLite format 3\0", 16));
  // Written back to a file, the bytes are the database.
  std::string path = dir_.path() + "/from-bytes.sqlite";
  FILE* f = std::fopen(path.c_str(), "wb");
  std::fwrite(bytes.data(), 1, bytes.size(), f);
  std::fclose(f);
  auto back = Database::Open(path, OpenOptions{});  // the header says WAL, as the source
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  auto stmt = (*back)->Prepare("SELECT x FROM t").value();
  ASSERT_TRUE(stmt->Step().value());
  EXPECT_EQ(stmt->ColumnText(0), "snap");
}

TEST_F(DatabaseTest, InMemoryBytesOfAFileDatabaseIsRefused) {
  auto db = OpenDb();
  ASSERT_TRUE(db->Exec("CREATE TABLE t(x)").has_value());
  auto r = db->InMemoryBytes();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kFailedPrecondition);
}

}  // namespace
}  // namespace blaze::sqlite
