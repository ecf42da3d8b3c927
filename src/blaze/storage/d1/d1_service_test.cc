#include "blaze/storage/d1/d1_service.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "blaze/storage/d1/d1_test_fixture.h"

namespace blaze::d1 {
namespace {

class D1ServiceTest : public D1Fixture {
 protected:
  std::vector<std::string> ListNames(const std::string& path) {
    std::vector<std::string> names;
    for (const auto& e : Must(env_->ListDir(path))) names.push_back(e.name);
    return names;
  }
};

TEST_F(D1ServiceTest, CreateListsTheDatabaseAndFindsItByNameAndById) {
  DatabaseInfo games = CreateDatabase("games");
  DatabaseInfo alerts = CreateDatabase("alerts");
  EXPECT_TRUE(IsUuid(games.id));
  EXPECT_NE(games.id, alerts.id);
  EXPECT_EQ(games.name, "games");
  EXPECT_EQ(games.created_at, "2025-01-01T00:00:00.000Z");

  auto list = Must(d1_->List());
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].name, "alerts");  // ordered by name
  EXPECT_EQ(list[1].name, "games");
  EXPECT_EQ(list[1].id, games.id);

  auto by_name = Must(d1_->Lookup("games"));
  ASSERT_TRUE(by_name.has_value());
  EXPECT_EQ(by_name->id, games.id);
  auto by_id = Must(d1_->Lookup(games.id));
  ASSERT_TRUE(by_id.has_value());
  EXPECT_EQ(by_id->name, "games");
  EXPECT_EQ(Must(d1_->Find(alerts.id)).name, "alerts");
}

TEST_F(D1ServiceTest, CreateMakesTheDatabaseFileRightAway) {
  DatabaseInfo db = CreateDatabase("games");
  EXPECT_EQ(d1_->PathOf(db), fs::JoinPath(D1Dir(), db.id + ".sqlite"));
  EXPECT_TRUE(Must(env_->Exists(d1_->PathOf(db))));
}

TEST_F(D1ServiceTest, DuplicateNameIsAlreadyExistsAndKeepsTheFirstDatabase) {
  DatabaseInfo first = CreateDatabase("games");
  auto again = d1_->Create("games");
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_NE(again.error().message().find("games"), std::string::npos);
  auto list = Must(d1_->List());
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].id, first.id);
  EXPECT_EQ(ListNames(D1Dir()), std::vector<std::string>{first.id + ".sqlite"});
  EXPECT_TRUE(Must(env_->Exists(d1_->PathOf(first))));
}

TEST_F(D1ServiceTest, NamesThatCouldEscapeTheDataDirAreInvalidAndCreateNoFile) {
  // The data dir is a sub-folder, so anything written beside it would show up in `outer`.
  testing::TempDir outer;
  D1Options options = Options();
  options.data_dir = fs::JoinPath(outer.path(), "data");
  OpenService(options);
  for (const char* name : {"../evil", "a/b", "..", "/abs", "", " space", ".hidden", "x/../y"}) {
    auto r = d1_->Create(name);
    ASSERT_FALSE(r.has_value()) << name;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument) << name;
  }
  EXPECT_TRUE(Must(d1_->List()).empty());
  EXPECT_EQ(ListNames(outer.path()), std::vector<std::string>{"data"});
  EXPECT_TRUE(ListNames(fs::JoinPath(options.data_dir, "d1")).empty());
}

TEST_F(D1ServiceTest, UnknownDatabaseIsNotFoundAndSaysHowToCreateIt) {
  EXPECT_FALSE(Must(d1_->Lookup("nope")).has_value());
  auto r = d1_->Find("nope");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(r.error().message().find("blaze d1 create nope"), std::string::npos)
      << r.error().message();
  auto info = d1_->Info("nope");
  ASSERT_FALSE(info.has_value());
  EXPECT_EQ(info.error().code(), ErrorCode::kNotFound);
  auto del = d1_->Delete("nope");
  ASSERT_FALSE(del.has_value());
  EXPECT_EQ(del.error().code(), ErrorCode::kNotFound);
}

TEST_F(D1ServiceTest, InfoCountsRowsPerTableAndReportsTheFileSize) {
  DatabaseInfo db = CreateDatabase("games");
  Execute("games",
          "CREATE TABLE teams(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT);"
          "INSERT INTO teams(name) VALUES ('a'), ('b'), ('c');"
          "CREATE TABLE empty(x);"
          "CREATE TABLE _cf_KV(key, value);");
  DatabaseStats stats = Must(d1_->Info("games"));
  EXPECT_EQ(stats.info.id, db.id);
  EXPECT_EQ(stats.info.name, "games");
  // Internal tables (sqlite_sequence, _cf_KV) are not the user's.
  ASSERT_EQ(stats.tables.size(), 2u);
  EXPECT_EQ(stats.tables[0].name, "empty");
  EXPECT_EQ(stats.tables[0].rows, 0);
  EXPECT_EQ(stats.tables[1].name, "teams");
  EXPECT_EQ(stats.tables[1].rows, 3);
  EXPECT_GE(stats.file_size, 4096);

  Execute("games",
          "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 200) "
          "INSERT INTO teams(name) SELECT hex(randomblob(500)) FROM c");
  DatabaseStats bigger = Must(d1_->Info(db.id));
  EXPECT_EQ(bigger.tables[1].rows, 203);
  EXPECT_GT(bigger.file_size, stats.file_size + 200 * 1000);
}

TEST_F(D1ServiceTest, InfoListsUserTablesWhoseNamesOnlyLookLikeInternalOnes) {
  // "_" is a LIKE wildcard: a pattern for "_cf_%" must not hide "scf_items" or "acfg".
  CreateDatabase("games");
  Execute("games", "CREATE TABLE scf_items(x); CREATE TABLE acfg(x); INSERT INTO acfg VALUES (1);");
  DatabaseStats stats = Must(d1_->Info("games"));
  ASSERT_EQ(stats.tables.size(), 2u);
  EXPECT_EQ(stats.tables[0].name, "acfg");
  EXPECT_EQ(stats.tables[0].rows, 1);
  EXPECT_EQ(stats.tables[1].name, "scf_items");
}

TEST_F(D1ServiceTest, DeleteRemovesTheCatalogEntryAndTheFiles) {
  DatabaseInfo db = CreateDatabase("games");
  Execute("games", "CREATE TABLE t(x); INSERT INTO t VALUES (1)");
  ASSERT_TRUE(d1_->Delete("games").has_value());
  EXPECT_FALSE(Must(d1_->Lookup("games")).has_value());
  EXPECT_FALSE(Must(d1_->Lookup(db.id)).has_value());
  EXPECT_TRUE(ListNames(D1Dir()).empty());

  // The name is free again, for a new, empty database with a new id.
  DatabaseInfo again = CreateDatabase("games");
  EXPECT_NE(again.id, db.id);
  EXPECT_TRUE(Must(d1_->Info("games")).tables.empty());
}

TEST_F(D1ServiceTest, CreateWithIdKeepsTheIdAndRefusesOneThatIsNotAUuid) {
  const std::string id = "0b1d5a8e-7a11-4c3e-9f00-1234567890ab";
  DatabaseInfo db = Must(d1_->CreateWithId("games", id));
  EXPECT_EQ(db.id, id);
  EXPECT_EQ(Must(d1_->Find(id)).name, "games");
  auto bad = d1_->CreateWithId("other", "../../etc/passwd");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_FALSE(Must(d1_->Lookup("other")).has_value());
}

TEST_F(D1ServiceTest, FindOrCreateMakesAConfiguredDatabaseOnceWithItsIdWhenItIsAUuid) {
  const std::string id = "6f6a3c52-58f5-4a8e-9d0d-6c8f2a7f6a11";
  DatabaseInfo made = Must(d1_->FindOrCreate("scores", id));
  EXPECT_EQ(made.id, id);
  EXPECT_EQ(Must(d1_->FindOrCreate("scores", id)).id, id);
  EXPECT_EQ(Must(d1_->List()).size(), 1u);
  DatabaseInfo fresh = Must(d1_->FindOrCreate("local-only", "not-a-uuid"));
  EXPECT_TRUE(IsUuid(fresh.id));
  EXPECT_NE(fresh.id, "not-a-uuid");
}

TEST_F(D1ServiceTest, CatalogSurvivesReopeningTheService) {
  DatabaseInfo db = CreateDatabase("games");
  Execute("games", "CREATE TABLE t(x); INSERT INTO t VALUES (42)");
  OpenService(Options());
  EXPECT_EQ(Must(d1_->Find("games")).id, db.id);
  EXPECT_EQ(QueryInt("games", "SELECT x FROM t"), 42);
}

TEST_F(D1ServiceTest, TwoServicesOnOneDataDirSeeEachOthersChanges) {
  // The CLI's --local path and a running node may open the same data dir at once.
  CreateDatabase("games");
  auto other = Must(D1Service::Open(Options()));
  ASSERT_TRUE(Must(d1_->Lookup("games")).has_value());  // leaves nothing open behind it
  Must(other->Create("alerts"));
  EXPECT_EQ(Must(d1_->List()).size(), 2u);
  EXPECT_TRUE(Must(d1_->Lookup("alerts")).has_value());
  Must(d1_->Create("scores"));
  EXPECT_EQ(Must(other->List()).size(), 3u);
}

TEST_F(D1ServiceTest, ConnectionsCarryTheStatementTimeLimit) {
  // A runaway query passes a 10 ms limit after about ten progress callbacks.
  TickingClock ticking;
  D1Options options = Options();
  options.clock = &ticking;
  options.statement_time_limit = std::chrono::milliseconds(10);
  OpenService(options);
  DatabaseInfo db = CreateDatabase("games");
  auto conn = Must(d1_->Connect(db));
  auto r = ExecuteScript(*conn,
                         "CREATE TABLE t(x); INSERT INTO t VALUES (1);"
                         "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
                         "SELECT max(x) FROM c",
                         ticking, TransactionMode::kOwnTransaction);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kDeadlineExceeded);
  EXPECT_NE(r.error().message().find("statement 3"), std::string::npos) << r.error().message();
  // The short statements before it were fine but are rolled back with the script.
  EXPECT_FALSE(conn->Prepare("SELECT * FROM t").has_value());
}

}  // namespace
}  // namespace blaze::d1
