#include "blaze/control/key_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "tests/testing/temp_dir.h"

namespace blaze::control {
namespace {

TEST(KeyFile, CreatesMode0600AndReadsItBack) {
  testing::TempDir dir;
  std::string path = dir.path() + "/master.key";
  ASSERT_TRUE(CreatePrivateFile(path, std::string("\0\1\2", 3)).has_value());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  EXPECT_EQ(FileMode(path).value(), 0600u);
  EXPECT_EQ(ReadPrivateFile(path, "master key").value(), std::string("\0\1\2", 3));
  // No temporary file is left behind.
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) (void)e, ++files;
  EXPECT_EQ(files, 1);
}

TEST(KeyFile, NeverOverwritesAnExistingFile) {
  testing::TempDir dir;
  std::string path = dir.path() + "/admin.token";
  ASSERT_TRUE(CreatePrivateFile(path, "first").has_value());
  auto again = CreatePrivateFile(path, "second");
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(ReadPrivateFile(path, "admin token").value(), "first");
}

TEST(KeyFile, RefusesFilesOthersCanReadAndThingsThatAreNotFiles) {
  testing::TempDir dir;
  std::string path = dir.path() + "/master.key";
  std::ofstream(path) << "x";
  ::chmod(path.c_str(), 0644);
  auto r = ReadPrivateFile(path, "master key");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kPermissionDenied);
  EXPECT_NE(r.error().message().find("has mode 0644"), std::string::npos) << r.error().message();
  EXPECT_NE(r.error().message().find("chmod 600"), std::string::npos);

  std::string folder = dir.path() + "/folder";
  std::filesystem::create_directory(folder);
  ::chmod(folder.c_str(), 0700);
  EXPECT_EQ(ReadPrivateFile(folder, "master key").error().code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(ReadPrivateFile(dir.path() + "/none", "master key").error().code(),
            ErrorCode::kNotFound);
}

}  // namespace
}  // namespace blaze::control
