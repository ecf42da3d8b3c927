// Storage under injected faults: the outcome is a clean error with the old state intact.
#include <gtest/gtest.h>

#include "blaze/storage/r2/bucket.h"
#include "blaze/storage/r2/r2_test_fixture.h"
#include "blaze/storage/sqlite/faulty_vfs.h"

namespace blaze::r2 {
namespace {

using BucketFaultsTest = R2Fixture;

TEST_F(BucketFaultsTest, ADiskFullPutLosesNothingAndKeepsThePreviousVersionCurrent) {
  ObjectInfo v1 = Put("k", "version one");
  faulty_.FailWritesAfter(4, fs::FaultyEnv::WriteFault::kDiskFull, "/blobs/");
  auto put = bucket_->Put("k", "version two, longer", {});
  ASSERT_FALSE(put.has_value());
  EXPECT_EQ(put.error().code(), ErrorCode::kResourceExhausted);
  faulty_.Heal();
  EXPECT_EQ(Body("k"), "version one");
  EXPECT_EQ(*Must(bucket_->Head("k")), v1);
  EXPECT_EQ(Must(bucket_->Versions("k")).size(), 1u);
  // No partial blob and no temp file were left behind.
  EXPECT_EQ(Must(bucket_->blobs().ListAll()).size(), 1u);
  EXPECT_TRUE(Must(env_->ListDir(BlobDir() + "/tmp")).empty());
  // And the bucket works again once there is space.
  Put("k", "version two, longer");
  EXPECT_EQ(Body("k"), "version two, longer");
}

TEST_F(BucketFaultsTest, AnIoErrorPutOfANewKeyLeavesNoObject) {
  faulty_.FailWritesAfter(0, fs::FaultyEnv::WriteFault::kIoError, "/blobs/");
  auto put = bucket_->Put("new", "bytes", {});
  ASSERT_FALSE(put.has_value());
  EXPECT_EQ(put.error().code(), ErrorCode::kUnavailable);
  faulty_.Heal();
  EXPECT_FALSE(Must(bucket_->Head("new")).has_value());
  EXPECT_TRUE(Must(bucket_->Versions("new")).empty());
}

TEST_F(BucketFaultsTest, AFailedRenameLeavesThePreviousVersionCurrent) {
  Put("k", "old");
  faulty_.FailRenames("/blobs/");
  EXPECT_FALSE(bucket_->Put("k", "new", {}).has_value());
  faulty_.Heal();
  EXPECT_EQ(Body("k"), "old");
  EXPECT_TRUE(Must(env_->ListDir(BlobDir() + "/tmp")).empty());
}

TEST_F(BucketFaultsTest, AMissingBlobOfTheCurrentVersionIsDataLossNotAWrongAnswer) {
  ObjectInfo v = Put("k", "bytes");
  MustOk(env_->RemoveFile(bucket_->blobs().PathOf(v.blob)));
  auto got = bucket_->Get("k", {});
  ASSERT_FALSE(got.has_value());
  EXPECT_EQ(got.error().code(), ErrorCode::kDataLoss);
}

TEST_F(BucketFaultsTest, AFailedIndexWriteLeavesThePreviousVersionCurrent) {
  R2Options options;
  options.data_dir = dir_.path() + "/vfs";
  options.env = env_.get();
  options.clock = &clock_;
  options.random = &random_;
  options.vfs = sqlite::FaultyVfs::Register();
  auto service = Must(R2Service::Open(options));
  auto bucket = Must(service->OpenOrCreateBucket("indexed"));
  ASSERT_TRUE(Must(bucket->Put("k", "old", {})).has_value());
  for (auto fault : {sqlite::FaultyVfs::Fault::kDiskFull, sqlite::FaultyVfs::Fault::kIoError}) {
    sqlite::FaultyVfs::FailWritesAfter(0, fault, "index.sqlite");
    auto put = bucket->Put("k", "new", {});
    auto del = bucket->Delete({"k"});
    sqlite::FaultyVfs::Heal();
    EXPECT_FALSE(put.has_value());
    EXPECT_FALSE(del.has_value());
    auto got = Must(bucket->Get("k", {}));
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->body, "old");
    EXPECT_EQ(Must(bucket->Versions("k")).size(), 1u);
  }
  // The bytes of the failed puts are an unreferenced blob until a purge sweeps them.
  EXPECT_EQ(Must(bucket->Purge(std::nullopt)).blobs_removed, 1);
  ASSERT_TRUE(Must(bucket->Put("k", "new", {})).has_value());
  EXPECT_EQ(Must(bucket->Get("k", {}))->body, "new");
}

}  // namespace
}  // namespace blaze::r2
