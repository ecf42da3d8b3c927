#include "blaze/storage/fs/env.h"

#include <gtest/gtest.h>

#include "blaze/storage/fs/faulty_env.h"
#include "tests/testing/temp_dir.h"

namespace blaze::fs {
namespace {

class EnvTest : public ::testing::Test {
 protected:
  testing::TempDir dir_;
  std::unique_ptr<Env> env_ = NewPosixEnv();
};

TEST_F(EnvTest, WriteFileAtomicallyReplacesContentsAndLeavesNoTemporary) {
  std::string path = JoinPath(dir_.path(), "meta.json");
  ASSERT_TRUE(WriteFileAtomically(*env_, path, "one").has_value());
  ASSERT_TRUE(WriteFileAtomically(*env_, path, "two").has_value());
  EXPECT_EQ(ReadFile(*env_, path).value(), "two");
  auto entries = env_->ListDir(dir_.path()).value();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].name, "meta.json");
}

TEST_F(EnvTest, MissingFilesAreNotFound) {
  auto r = ReadFile(*env_, JoinPath(dir_.path(), "nope"));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kNotFound);
  EXPECT_FALSE(env_->Exists(JoinPath(dir_.path(), "nope")).value());
}

TEST_F(EnvTest, CreateDirsMakesEveryLevelAndListDirSortsByName) {
  std::string deep = JoinPath(dir_.path(), "a/b/c");
  ASSERT_TRUE(env_->CreateDirs(deep).has_value());
  ASSERT_TRUE(env_->CreateDirs(deep).has_value());  // idempotent
  ASSERT_TRUE(WriteFileAtomically(*env_, JoinPath(deep, "z"), "").has_value());
  ASSERT_TRUE(WriteFileAtomically(*env_, JoinPath(deep, "y"), "").has_value());
  auto entries = env_->ListDir(deep).value();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].name, "y");
  EXPECT_TRUE(env_->ListDir(JoinPath(dir_.path(), "a")).value()[0].is_dir);
}

TEST_F(EnvTest, DiskFullDuringAtomicWriteKeepsTheOldContents) {
  FaultyEnv faulty(*env_);
  std::string path = JoinPath(dir_.path(), "meta.json");
  ASSERT_TRUE(WriteFileAtomically(faulty, path, "old contents").has_value());
  faulty.FailWritesAfter(4, FaultyEnv::WriteFault::kDiskFull);
  auto s = WriteFileAtomically(faulty, path, "new contents that do not fit");
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code(), ErrorCode::kResourceExhausted);
  EXPECT_NE(s.error().message().find("No space left on device"), std::string::npos);
  EXPECT_EQ(ReadFile(*env_, path).value(), "old contents");
  EXPECT_FALSE(env_->Exists(path + ".tmp").value());
  EXPECT_EQ(faulty.faults_injected(), 1u);
}

TEST_F(EnvTest, FailedRenameKeepsTheOldContents) {
  FaultyEnv faulty(*env_);
  std::string path = JoinPath(dir_.path(), "meta.json");
  ASSERT_TRUE(WriteFileAtomically(faulty, path, "old").has_value());
  faulty.FailRenames();
  EXPECT_FALSE(WriteFileAtomically(faulty, path, "new").has_value());
  EXPECT_EQ(ReadFile(*env_, path).value(), "old");
  faulty.Heal();
  EXPECT_TRUE(WriteFileAtomically(faulty, path, "new").has_value());
  EXPECT_EQ(ReadFile(*env_, path).value(), "new");
}

TEST(Path, JoinAndDirName) {
  EXPECT_EQ(JoinPath("a", "b"), "a/b");
  EXPECT_EQ(JoinPath("a/", "b"), "a/b");
  EXPECT_EQ(DirName("a/b/c"), "a/b");
  EXPECT_EQ(DirName("c"), ".");
}

}  // namespace
}  // namespace blaze::fs
