#include "blaze/storage/sqlite/faulty_vfs.h"

#include <gtest/gtest.h>

#include "blaze/storage/sqlite/database.h"
#include "tests/testing/temp_dir.h"

namespace blaze::sqlite {
namespace {

TEST(FaultyVfs, WriteFailureMidTransactionLeavesTheOldRowsIntact) {
  testing::TempDir dir;
  OpenOptions opts;
  opts.vfs = FaultyVfs::Register();
  std::string path = dir.path() + "/f.sqlite";
  {
    auto db = Database::Open(path, opts).value();
    ASSERT_TRUE(db->Exec("CREATE TABLE t(x TEXT); INSERT INTO t VALUES ('old')").has_value());
    FaultyVfs::FailWritesAfter(8192, FaultyVfs::Fault::kIoError, "f.sqlite");
    auto s = db->Exec(
        "BEGIN; WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < 5000) "
        "INSERT INTO t SELECT randomblob(200) FROM c; COMMIT;");
    FaultyVfs::Heal();
    ASSERT_FALSE(s.has_value());
    EXPECT_GE(FaultyVfs::faults_injected(), 1u);
    if (db->InTransaction()) (void)db->Exec("ROLLBACK");
  }
  auto db = Database::Open(path, OpenOptions{}).value();
  EXPECT_EQ(db->QueryInt("SELECT count(*) FROM t").value(), 1);
  EXPECT_EQ(db->QueryInt("SELECT count(*) FROM pragma_integrity_check WHERE integrity_check='ok'")
                .value(),
            1);
}

TEST(FaultyVfs, DiskFullIsResourceExhausted) {
  testing::TempDir dir;
  OpenOptions opts;
  opts.vfs = FaultyVfs::Register();
  auto db = Database::Open(dir.path() + "/full.sqlite", opts).value();
  ASSERT_TRUE(db->Exec("CREATE TABLE t(x)").has_value());
  FaultyVfs::FailWritesAfter(0, FaultyVfs::Fault::kDiskFull, "full.sqlite");
  auto s = db->Exec("INSERT INTO t VALUES (randomblob(100000))");
  FaultyVfs::Heal();
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code(), ErrorCode::kResourceExhausted);
}

}  // namespace
}  // namespace blaze::sqlite
