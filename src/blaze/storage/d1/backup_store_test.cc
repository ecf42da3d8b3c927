#include "blaze/storage/d1/backup_store.h"

#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>

#include "blaze/storage/d1/d1_test_fixture.h"
#include "blaze/storage/fs/faulty_env.h"
#include "blaze/storage/sqlite/faulty_vfs.h"

namespace blaze::d1 {
namespace {

using namespace std::chrono_literals;

class BackupStoreTest : public D1Fixture {
 protected:
  BackupStoreTest() { OpenBackups(); }
  ~BackupStoreTest() override { d1_.reset(); }  // before faulty_, which it may use

  void OpenBackups() { backups_ = std::make_unique<BackupStore>(*d1_); }
  void ReopenWith(const D1Options& options) {
    backups_.reset();
    OpenService(options);
    OpenBackups();
  }

  // "games" with rows 1 and 2 in t.
  DatabaseInfo CreateGames() {
    DatabaseInfo db = CreateDatabase("games");
    Execute("games",
            "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);"
            "INSERT INTO t VALUES (1, 'one'), (2, 'two');");
    return db;
  }
  std::vector<std::int64_t> Ids(const std::string& db) {
    std::vector<std::int64_t> ids;
    for (const auto& row : Query(db, "SELECT id FROM t ORDER BY id")) {
      ids.push_back(std::get<std::int64_t>(row[0]));
    }
    return ids;
  }
  std::vector<std::string> FilesIn(const std::string& dir) {
    std::vector<std::string> names;
    for (const auto& e : Must(env_->ListDir(dir))) names.push_back(e.name);
    return names;
  }
  std::string ZstPath(const BackupRecord& r) {
    return fs::JoinPath(BackupDir(r.database_name), r.id + ".sqlite.zst");
  }
  std::string IntegrityCheck(const std::string& db) {
    auto conn = Connect(db);
    conn->SetSqlPolicy(nullptr);  // D1 refuses users this pragma; the test is not one
    auto check = Must(conn->Prepare("PRAGMA integrity_check"));
    if (!Must(check->Step())) return "no rows";
    std::string first = check->ColumnText(0);
    return Must(check->Step()) ? "several rows" : first;
  }

  fs::FaultyEnv faulty_{*env_};
  std::unique_ptr<BackupStore> backups_;
};

TEST_F(BackupStoreTest, CreateRecordsTheBackupAndWritesItsFiles) {
  DatabaseInfo db = CreateGames();
  BackupRecord r = Must(backups_->Create("games", "before-deploy"));
  EXPECT_TRUE(IsUuid(r.id));
  EXPECT_EQ(r.database_id, db.id);
  EXPECT_EQ(r.database_name, "games");
  EXPECT_EQ(r.label, "before-deploy");
  EXPECT_EQ(r.created_at, "2025-01-01T00:00:00.000Z");
  EXPECT_EQ(r.created_at_ms, UnixMillis(clock_.Now()));
  EXPECT_GT(r.size, 0);
  EXPECT_EQ(r.size % 4096, 0);  // whole pages of a SQLite file
  EXPECT_GT(r.compressed_size, 0);
  EXPECT_EQ(r.compressed_size, static_cast<std::int64_t>(Must(env_->FileSize(ZstPath(r)))));
  ASSERT_EQ(r.sha256.size(), 64u);
  for (char c : r.sha256) EXPECT_TRUE(std::isxdigit(static_cast<unsigned char>(c))) << r.sha256;
  // The data file and its metadata, and no temporaries.
  EXPECT_EQ(FilesIn(BackupDir("games")),
            (std::vector<std::string>{r.id + ".json", r.id + ".sqlite.zst"}));

  BackupRecord got = Must(backups_->Get(r.id));
  EXPECT_EQ(got.sha256, r.sha256);
  EXPECT_EQ(got.size, r.size);
  EXPECT_EQ(got.label, r.label);
}

TEST_F(BackupStoreTest, DatabasesAboveTheMemoryLimitAreSnapshottedThroughATemporaryFile) {
  CreateGames();
  BackupStore through_file(*d1_, /*in_memory_snapshot_limit=*/0);
  BackupRecord r = Must(through_file.Create("games", "big"));
  // Same artifacts as the in-memory path, and no temporary left behind.
  EXPECT_EQ(FilesIn(BackupDir("games")),
            (std::vector<std::string>{r.id + ".json", r.id + ".sqlite.zst"}));
  Execute("games", "DELETE FROM t");
  Must(through_file.Restore("games", r.id));
  EXPECT_EQ(Ids("games"), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(IntegrityCheck("games"), "ok");
}

TEST_F(BackupStoreTest, ListIsNewestFirstAndOnlyForTheNamedDatabase) {
  CreateGames();
  CreateDatabase("other");
  BackupRecord first = Must(backups_->Create("games", "first"));
  clock_.Advance(1s);
  Must(backups_->Create("other", "elsewhere"));
  clock_.Advance(1s);
  BackupRecord second = Must(backups_->Create("games", "second"));
  clock_.Advance(1s);
  BackupRecord third = Must(backups_->Create("games", "third"));

  auto list = Must(backups_->List("games"));
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].id, third.id);
  EXPECT_EQ(list[1].id, second.id);
  EXPECT_EQ(list[2].id, first.id);
  EXPECT_EQ(Must(backups_->List(first.database_id)).size(), 3u);  // by id, too
  EXPECT_EQ(Must(backups_->List("other")).size(), 1u);
}

TEST_F(BackupStoreTest, RestoreBringsBackOldDataAndTakesASafetyBackup) {
  DatabaseInfo db = CreateGames();
  BackupRecord old = Must(backups_->Create("games", "old"));
  clock_.Advance(1min);
  Execute("games",
          "DELETE FROM t WHERE id = 1; INSERT INTO t VALUES (3, 'three'); CREATE TABLE extra(x);");

  RestoreResult restored = Must(backups_->Restore("games", old.id));
  EXPECT_EQ(restored.restored.id, old.id);
  EXPECT_FALSE(restored.created_database);
  EXPECT_EQ(Ids("games"), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(QueryInt("games", "SELECT count(*) FROM sqlite_schema WHERE name = 'extra'"), 0);
  EXPECT_EQ(Must(d1_->Find("games")).id, db.id);
  EXPECT_EQ(IntegrityCheck("games"), "ok");

  // The safety backup holds the state the restore replaced, and brings it back in turn.
  ASSERT_TRUE(restored.safety_backup.has_value());
  EXPECT_EQ(restored.safety_backup->label.rfind("pre-restore-", 0), 0u)
      << restored.safety_backup->label;
  EXPECT_EQ(Must(backups_->List("games"))[0].id, restored.safety_backup->id);
  clock_.Advance(1min);
  Must(backups_->Restore("games", restored.safety_backup->id));
  EXPECT_EQ(Ids("games"), (std::vector<std::int64_t>{2, 3}));
  EXPECT_EQ(QueryInt("games", "SELECT count(*) FROM sqlite_schema WHERE name = 'extra'"), 1);
}

TEST_F(BackupStoreTest, RestoreIntoANewNameCreatesAReplicaWithItsOwnId) {
  DatabaseInfo db = CreateGames();
  BackupRecord r = Must(backups_->Create("games", ""));
  RestoreResult restored = Must(backups_->Restore("games-replica", r.id));
  EXPECT_TRUE(restored.created_database);
  EXPECT_FALSE(restored.safety_backup.has_value());
  DatabaseInfo replica = Must(d1_->Find("games-replica"));
  EXPECT_NE(replica.id, db.id);
  EXPECT_EQ(Ids("games-replica"), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(Ids("games"), (std::vector<std::int64_t>{1, 2}));

  auto bad = backups_->Restore("../escape", r.id);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code(), ErrorCode::kInvalidArgument);
}

TEST_F(BackupStoreTest, DisasterRecoveryRestoresFromBackupsAloneWithTheOriginalId) {
  DatabaseInfo db = CreateGames();
  Must(backups_->Create("games", "nightly"));
  clock_.Advance(1h);
  Execute("games", "INSERT INTO t VALUES (3, 'three')");
  BackupRecord latest = Must(backups_->Create("games", "nightly"));

  // Everything but backups/ is lost.
  backups_.reset();
  d1_.reset();
  for (const char* lost : {"control.db", "control.db-wal", "control.db-shm", "d1"}) {
    std::filesystem::remove_all(fs::JoinPath(dir_.path(), lost));
  }
  ReopenWith(Options());
  EXPECT_TRUE(Must(d1_->List()).empty());

  auto list = Must(backups_->List("games"));
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].id, latest.id);
  RestoreResult restored = Must(backups_->Restore("games", latest.id));
  EXPECT_TRUE(restored.created_database);
  EXPECT_FALSE(restored.safety_backup.has_value());
  EXPECT_EQ(Must(d1_->Find("games")).id, db.id);  // wrangler.toml's database_id still matches
  EXPECT_EQ(Ids("games"), (std::vector<std::int64_t>{1, 2, 3}));
}

TEST_F(BackupStoreTest, RestoreOfADeletedDatabaseRecreatesItWithTheOriginalId) {
  DatabaseInfo db = CreateGames();
  BackupRecord r = Must(backups_->Create("games", ""));
  ASSERT_TRUE(d1_->Delete("games").has_value());
  EXPECT_EQ(Must(backups_->List("games")).size(), 1u);  // backups outlive the database
  Must(backups_->Restore("games", r.id));
  EXPECT_EQ(Must(d1_->Find("games")).id, db.id);
  EXPECT_EQ(Ids("games"), (std::vector<std::int64_t>{1, 2}));
}

TEST_F(BackupStoreTest, RestoreOfCorruptBackupIsRefusedAndKeepsCurrentData) {
  CreateGames();
  BackupRecord r = Must(backups_->Create("games", ""));
  Execute("games", "INSERT INTO t VALUES (3, 'three')");
  std::string bytes = Must(fs::ReadFile(*env_, ZstPath(r)));
  bytes[bytes.size() / 2] ^= 0x5A;
  ASSERT_TRUE(fs::WriteFileAtomically(*env_, ZstPath(r), bytes).has_value());

  auto restored = backups_->Restore("games", r.id);
  ASSERT_FALSE(restored.has_value());
  EXPECT_EQ(restored.error().code(), ErrorCode::kDataLoss) << restored.error().ToString();
  EXPECT_EQ(Ids("games"), (std::vector<std::int64_t>{1, 2, 3}));
  // Refused before anything happened: no safety backup, no staged file left.
  EXPECT_EQ(Must(backups_->List("games")).size(), 1u);
  EXPECT_EQ(FilesIn(D1Dir()), std::vector<std::string>{Must(d1_->Find("games")).id + ".sqlite"});

  auto download = backups_->Download(r.id, fs::JoinPath(dir_.path(), "out.sqlite"));
  ASSERT_FALSE(download.has_value());
  EXPECT_EQ(download.error().code(), ErrorCode::kDataLoss);
  EXPECT_FALSE(Must(env_->Exists(fs::JoinPath(dir_.path(), "out.sqlite"))));
}

TEST_F(BackupStoreTest, RestoreOfTruncatedBackupIsDataLoss) {
  CreateGames();
  BackupRecord r = Must(backups_->Create("games", ""));
  Execute("games", "INSERT INTO t VALUES (3, 'three')");
  std::filesystem::resize_file(ZstPath(r), static_cast<std::uintmax_t>(r.compressed_size / 2));

  auto restored = backups_->Restore("games", r.id);
  ASSERT_FALSE(restored.has_value());
  EXPECT_EQ(restored.error().code(), ErrorCode::kDataLoss) << restored.error().ToString();
  EXPECT_EQ(Ids("games"), (std::vector<std::int64_t>{1, 2, 3}));
}

TEST_F(BackupStoreTest, BackupWithoutItsMetadataDoesNotExist) {
  CreateGames();
  BackupRecord kept = Must(backups_->Create("games", "kept"));
  clock_.Advance(1s);
  BackupRecord lost = Must(backups_->Create("games", "lost"));
  ASSERT_TRUE(env_->RemoveFile(fs::JoinPath(BackupDir("games"), lost.id + ".json")).has_value());
  auto list = Must(backups_->List("games"));
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].id, kept.id);
  auto got = backups_->Get(lost.id);
  ASSERT_FALSE(got.has_value());
  EXPECT_EQ(got.error().code(), ErrorCode::kNotFound);
}

TEST_F(BackupStoreTest, UnreadableMetadataIsSkippedNotFatal) {
  CreateGames();
  BackupRecord kept = Must(backups_->Create("games", "kept"));
  ASSERT_TRUE(
      fs::WriteFileAtomically(*env_, fs::JoinPath(BackupDir("games"), "junk.json"), "{not json")
          .has_value());
  auto list = Must(backups_->List("games"));
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].id, kept.id);
}

TEST_F(BackupStoreTest, DiskFullWhileCreatingABackupLeavesNothingBehind) {
  D1Options options = Options();
  options.env = &faulty_;
  ReopenWith(options);
  CreateGames();
  Execute("games",
          "WITH RECURSIVE c(i) AS (SELECT 3 UNION ALL SELECT i + 1 FROM c WHERE i < 200) "
          "INSERT INTO t SELECT i, hex(randomblob(300)) FROM c;");
  faulty_.FailWritesAfter(512, fs::FaultyEnv::WriteFault::kDiskFull, ".zst");
  auto r = backups_->Create("games", "");
  faulty_.Heal();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kResourceExhausted) << r.error().ToString();
  EXPECT_GE(faulty_.faults_injected(), 1u);
  EXPECT_TRUE(Must(backups_->List("games")).empty());
  EXPECT_TRUE(FilesIn(BackupDir("games")).empty());

  // Once there is room again, backups work.
  BackupRecord ok = Must(backups_->Create("games", ""));
  EXPECT_EQ(Must(backups_->List("games")).size(), 1u);
  EXPECT_GT(ok.size, 200 * 300);
}

TEST_F(BackupStoreTest, FailedMetadataCommitLeavesNothingBehind) {
  D1Options options = Options();
  options.env = &faulty_;
  ReopenWith(options);
  CreateGames();
  faulty_.FailRenames(".json");
  auto r = backups_->Create("games", "");
  faulty_.Heal();
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(Must(backups_->List("games")).empty());
  EXPECT_TRUE(FilesIn(BackupDir("games")).empty());
}

TEST_F(BackupStoreTest, IoErrorDuringRestoreKeepsTheOldDatabase) {
  D1Options options = Options();
  options.vfs = sqlite::FaultyVfs::Register();
  ReopenWith(options);
  DatabaseInfo db = CreateGames();
  Execute("games",
          "WITH RECURSIVE c(i) AS (SELECT 3 UNION ALL SELECT i + 1 FROM c WHERE i < 500) "
          "INSERT INTO t SELECT i, hex(randomblob(500)) FROM c;");
  BackupRecord big = Must(backups_->Create("games", "big"));
  clock_.Advance(1min);
  Execute("games", "DELETE FROM t WHERE id > 10; INSERT INTO t VALUES (1000, 'newest');");

  // The copy into the live database needs far more than 16 KiB of writes.
  sqlite::FaultyVfs::FailWritesAfter(16 * 1024, sqlite::FaultyVfs::Fault::kIoError,
                                     db.id + ".sqlite");
  std::uint64_t faults_before = sqlite::FaultyVfs::faults_injected();
  auto restored = backups_->Restore("games", big.id);
  sqlite::FaultyVfs::Heal();
  ASSERT_FALSE(restored.has_value());
  EXPECT_GT(sqlite::FaultyVfs::faults_injected(), faults_before);
  EXPECT_NE(restored.error().message().find("restore of 'games' failed"), std::string::npos)
      << restored.error().ToString();

  EXPECT_EQ(QueryInt("games", "SELECT count(*) FROM t"), 11);
  EXPECT_EQ(QueryInt("games", "SELECT max(id) FROM t"), 1000);
  EXPECT_EQ(IntegrityCheck("games"), "ok");
  // Healed, the same restore goes through.
  Must(backups_->Restore("games", big.id));
  EXPECT_EQ(QueryInt("games", "SELECT count(*) FROM t"), 500);
  EXPECT_EQ(IntegrityCheck("games"), "ok");
}

TEST_F(BackupStoreTest, DownloadWritesAPlainSqliteFileWithTheRows) {
  CreateGames();
  BackupRecord r = Must(backups_->Create("games", ""));
  std::string out = fs::JoinPath(dir_.path(), "games.sqlite");
  ASSERT_TRUE(backups_->Download(r.id, out).has_value());
  EXPECT_FALSE(Must(env_->Exists(out + ".tmp")));
  EXPECT_FALSE(Must(env_->Exists(out + "-wal")));

  // Rollback-journal format on disk (header bytes 18-19 are 1, WAL would be 2), so the file is
  // complete on its own and opens anywhere.
  std::string bytes = Must(fs::ReadFile(*env_, out));
  ASSERT_GE(bytes.size(), 100u);
  EXPECT_EQ(bytes.substr(0, 16), std::string("SQLite format 3\0", 16));
  EXPECT_EQ(bytes[18], 1);
  EXPECT_EQ(bytes[19], 1);

  sqlite::OpenOptions ro;
  ro.mode = sqlite::OpenOptions::Mode::kReadOnly;
  ro.wal = false;
  auto db = Must(sqlite::Database::Open(out, ro));
  auto mode = Must(db->Prepare("PRAGMA journal_mode"));
  ASSERT_TRUE(Must(mode->Step()));
  EXPECT_EQ(mode->ColumnText(0), "delete");
  ASSERT_TRUE(mode->Reset().has_value());
  EXPECT_EQ(Must(db->QueryInt("SELECT count(*) FROM t")), 2);
  EXPECT_EQ(Must(db->QueryInt("SELECT id FROM t WHERE v = 'two'")), 2);
}

TEST_F(BackupStoreTest, DeleteRemovesTheBackup) {
  CreateGames();
  BackupRecord gone = Must(backups_->Create("games", "gone"));
  clock_.Advance(1s);
  BackupRecord kept = Must(backups_->Create("games", "kept"));
  ASSERT_TRUE(backups_->Delete(gone.id).has_value());
  auto list = Must(backups_->List("games"));
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].id, kept.id);
  EXPECT_EQ(FilesIn(BackupDir("games")),
            (std::vector<std::string>{kept.id + ".json", kept.id + ".sqlite.zst"}));
  auto again = backups_->Delete(gone.id);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code(), ErrorCode::kNotFound);
}

TEST_F(BackupStoreTest, PruneRemovesBackupsOlderThanTheRetention) {
  CreateGames();
  CreateDatabase("other");
  BackupRecord old = Must(backups_->Create("games", "old"));
  BackupRecord other_old = Must(backups_->Create("other", "old"));
  clock_.Advance(24h * 31);
  BackupRecord recent = Must(backups_->Create("games", "recent"));

  EXPECT_EQ(Must(backups_->Prune("games", 24h * 30)), 1);
  auto list = Must(backups_->List("games"));
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].id, recent.id);
  EXPECT_EQ(Must(backups_->List("other")).size(), 1u);  // another database's are left alone
  EXPECT_EQ(Must(backups_->Prune("games", 24h * 30)), 0);

  EXPECT_EQ(Must(backups_->Prune("", 24h * 30)), 1);  // empty name: every database
  EXPECT_TRUE(Must(backups_->List("other")).empty());
  EXPECT_FALSE(backups_->Get(old.id).has_value());
  EXPECT_FALSE(backups_->Get(other_old.id).has_value());
}

TEST_F(BackupStoreTest, InvalidBackupIdIsInvalidArgumentAndUnknownIsNotFound) {
  CreateGames();
  for (const char* id : {"latest", "../../control", ""}) {
    auto r = backups_->Restore("games", id);
    ASSERT_FALSE(r.has_value()) << id;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument) << id;
  }
  const std::string unknown = "0b1d5a8e-7a11-4c3e-9f00-1234567890ab";
  auto get = backups_->Get(unknown);
  ASSERT_FALSE(get.has_value());
  EXPECT_EQ(get.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(get.error().message().find("blaze d1 backup list"), std::string::npos);
  auto restore = backups_->Restore("games", unknown);
  ASSERT_FALSE(restore.has_value());
  EXPECT_EQ(restore.error().code(), ErrorCode::kNotFound);
  auto del = backups_->Delete(unknown);
  ASSERT_FALSE(del.has_value());
  EXPECT_EQ(del.error().code(), ErrorCode::kNotFound);
}

TEST_F(BackupStoreTest, ListOfAnUnknownDatabaseWithoutBackupsIsNotFound) {
  auto r = backups_->List("nope");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kNotFound);
  CreateDatabase("empty");
  EXPECT_TRUE(Must(backups_->List("empty")).empty());
}

}  // namespace
}  // namespace blaze::d1
