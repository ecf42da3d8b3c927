#include "blaze/storage/blob/zstd_file.h"

#include <gtest/gtest.h>

#include "blaze/storage/blob/sha256.h"
#include "blaze/storage/fs/faulty_env.h"
#include "tests/testing/temp_dir.h"

namespace blaze::blob {
namespace {

class ZstdFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 300000; ++i) plain_ += "row " + std::to_string(i % 977) + ";";
    ASSERT_TRUE(fs::WriteFileAtomically(*env_, Path("plain"), plain_).has_value());
  }
  std::string Path(const char* name) { return fs::JoinPath(dir_.path(), name); }

  testing::TempDir dir_;
  std::unique_ptr<fs::Env> env_ = fs::NewPosixEnv();
  std::string plain_;
};

TEST_F(ZstdFileTest, RoundTripsAndHashesThePlainBytesBothWays) {
  auto c = CompressFile(*env_, Path("plain"), Path("z"), {}).value();
  EXPECT_EQ(c.plain_bytes, plain_.size());
  EXPECT_LT(c.compressed_bytes, plain_.size() / 4);
  EXPECT_EQ(c.compressed_sha256, Sha256::Of(fs::ReadFile(*env_, Path("z")).value()));
  auto d = DecompressFile(*env_, Path("z"), Path("back")).value();
  EXPECT_EQ(d.compressed_sha256, c.compressed_sha256);
  EXPECT_EQ(d.plain_bytes, plain_.size());
  EXPECT_EQ(fs::ReadFile(*env_, Path("back")).value(), plain_);
}

TEST_F(ZstdFileTest, CompressBufferMatchesCompressingTheFile) {
  auto c = CompressBuffer(*env_, plain_, Path("zb"), {.level = 1, .workers = 0}).value();
  EXPECT_EQ(c.plain_bytes, plain_.size());
  auto d = DecompressFile(*env_, Path("zb"), Path("back")).value();
  EXPECT_EQ(d.compressed_sha256, c.compressed_sha256);
  EXPECT_EQ(fs::ReadFile(*env_, Path("back")).value(), plain_);
}

TEST_F(ZstdFileTest, TruncatedInputIsDataLoss) {
  ASSERT_TRUE(CompressFile(*env_, Path("plain"), Path("z"), {}).has_value());
  std::string z = fs::ReadFile(*env_, Path("z")).value();
  ASSERT_TRUE(fs::WriteFileAtomically(*env_, Path("cut"), z.substr(0, z.size() / 2)).has_value());
  auto r = DecompressFile(*env_, Path("cut"), Path("out"));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kDataLoss);
}

TEST_F(ZstdFileTest, FlippedByteIsDataLoss) {
  auto c = CompressFile(*env_, Path("plain"), Path("z"), {}).value();
  std::string z = fs::ReadFile(*env_, Path("z")).value();
  z[z.size() / 2] ^= 0x5A;
  ASSERT_TRUE(fs::WriteFileAtomically(*env_, Path("bad"), z).has_value());
  auto r = DecompressFile(*env_, Path("bad"), Path("out"));
  // Either zstd notices (its content checksum or the format) or the stored hash differs.
  if (r.has_value()) {
    EXPECT_NE(r->compressed_sha256, c.compressed_sha256);
  } else {
    EXPECT_EQ(r.error().code(), ErrorCode::kDataLoss);
  }
}

TEST_F(ZstdFileTest, DiskFullWhileCompressingIsResourceExhausted) {
  fs::FaultyEnv faulty(*env_);
  faulty.FailWritesAfter(16, fs::FaultyEnv::WriteFault::kDiskFull);
  auto r = CompressFile(faulty, Path("plain"), Path("z"), {});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kResourceExhausted);
}

}  // namespace
}  // namespace blaze::blob
