#include "blaze/storage/r2/r2_service.h"

#include <gtest/gtest.h>

#include "blaze/storage/r2/r2_test_fixture.h"
#include "blaze/storage/sqlite/database.h"

namespace blaze::r2 {
namespace {

using R2ServiceTest = R2Fixture;

TEST_F(R2ServiceTest, CreatesListsAndFindsBucketsInTheControlCatalog) {
  BucketInfo info = Must(service_->CreateBucket("assets"));
  EXPECT_EQ(info.created_at, "2025-01-01T00:00:00.000Z");
  auto buckets = Must(service_->ListBuckets());
  ASSERT_EQ(buckets.size(), 2u);
  EXPECT_EQ(buckets[0].name, "assets");
  EXPECT_EQ(buckets[1].name, "photos");
  auto control = Must(sqlite::Database::Open(dir_.path() + "/control.db", {}));
  EXPECT_EQ(Must(control->QueryInt("SELECT count(*) FROM r2_buckets")), 2);
  EXPECT_TRUE(*env_->Exists(dir_.path() + "/r2/assets/index.sqlite"));
}

TEST_F(R2ServiceTest, RefusesBadAndDuplicateNames) {
  auto bad = service_->CreateBucket("Bad_Name");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(service_->CreateBucket("../x").error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(service_->CreateBucket("photos").error().code(), ErrorCode::kAlreadyExists);
}

TEST_F(R2ServiceTest, OpenBucketSharesOneBucketAndNamesHowToCreateAMissingOne) {
  EXPECT_EQ(Must(service_->OpenBucket("photos")).get(), bucket_.get());
  auto missing = service_->OpenBucket("nope");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message().find("blaze r2 bucket create nope"), std::string::npos);
}

TEST_F(R2ServiceTest, DeleteRefusesABucketWithObjectsAndRemovesAnEmptyOneWithItsHistory) {
  Put("k", "v");
  auto refused = service_->DeleteBucket("photos");
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code(), ErrorCode::kFailedPrecondition);
  MustOk(bucket_->Delete({"k"}));
  bucket_.reset();
  MustOk(service_->DeleteBucket("photos"));
  EXPECT_FALSE(*env_->Exists(dir_.path() + "/r2/photos"));
  EXPECT_TRUE(Must(service_->ListBuckets()).empty());
  EXPECT_EQ(service_->DeleteBucket("photos").error().code(), ErrorCode::kNotFound);
}

TEST_F(R2ServiceTest, DataSurvivesReopeningTheService) {
  Put("k", "durable");
  bucket_.reset();
  service_.reset();
  R2Options options;
  options.data_dir = dir_.path();
  options.env = env_.get();
  options.clock = &clock_;
  options.random = &random_;
  service_ = Must(R2Service::Open(options));
  auto bucket = Must(service_->OpenBucket("photos"));
  EXPECT_EQ(Must(bucket->Get("k", {}))->body, "durable");
}

}  // namespace
}  // namespace blaze::r2
