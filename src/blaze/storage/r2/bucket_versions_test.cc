#include <gtest/gtest.h>

#include "blaze/storage/r2/bucket.h"
#include "blaze/storage/r2/r2_test_fixture.h"

namespace blaze::r2 {
namespace {

using BucketVersionsTest = R2Fixture;

TEST_F(BucketVersionsTest, OverwritesAndDeletesKeepEveryVersion) {
  ObjectInfo v1 = Put("report.csv", "v1");
  clock_.Advance(std::chrono::seconds(1));
  ObjectInfo v2 = Put("report.csv", "v2");
  clock_.Advance(std::chrono::seconds(1));
  MustOk(bucket_->Delete({"report.csv"}));
  auto versions = Must(bucket_->Versions("report.csv"));
  ASSERT_EQ(versions.size(), 3u);
  EXPECT_TRUE(versions[0].deleted);  // newest first
  EXPECT_FALSE(versions[0].current);
  EXPECT_EQ(versions[0].info.uploaded_ms, v2.uploaded_ms + 1000);
  EXPECT_EQ(versions[1].info.version, v2.version);
  EXPECT_EQ(versions[2].info.version, v1.version);
  EXPECT_EQ(versions[2].info.etag, v1.etag);
  for (const auto& v : versions) EXPECT_FALSE(v.current);
  EXPECT_FALSE(Must(bucket_->Head("report.csv")).has_value());
}

TEST_F(BucketVersionsTest, RestoreMakesAnOldVersionCurrentAsANewVersion) {
  PutOptions o;
  o.http.content_type = "text/csv";
  ObjectInfo v1 = Put("k", "first", o);
  Put("k", "second");
  clock_.Advance(std::chrono::minutes(5));
  ObjectInfo restored = Must(bucket_->Restore("k", v1.version));
  EXPECT_NE(restored.version, v1.version);
  EXPECT_EQ(restored.etag, v1.etag);
  EXPECT_EQ(restored.http.content_type, "text/csv");
  EXPECT_EQ(restored.uploaded_ms, UnixMillis(clock_.Now()));
  EXPECT_EQ(Body("k"), "first");
  auto versions = Must(bucket_->Versions("k"));
  ASSERT_EQ(versions.size(), 3u);
  EXPECT_TRUE(versions[0].current);
  EXPECT_EQ(versions[0].info.version, restored.version);
}

TEST_F(BucketVersionsTest, RestoreBringsBackADeletedKey) {
  ObjectInfo v1 = Put("gone", "data");
  MustOk(bucket_->Delete({"gone"}));
  Must(bucket_->Restore("gone", v1.version));
  EXPECT_EQ(Body("gone"), "data");
}

TEST_F(BucketVersionsTest, RestoreRefusesUnknownVersionsAndDeleteMarkers) {
  Put("k", "x");
  MustOk(bucket_->Delete({"k"}));
  auto marker = Must(bucket_->Versions("k")).at(0);
  ASSERT_TRUE(marker.deleted);
  EXPECT_EQ(bucket_->Restore("k", marker.info.version).error().code(),
            ErrorCode::kFailedPrecondition);
  EXPECT_EQ(bucket_->Restore("k", "0123").error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(bucket_->Restore("other", marker.info.version).error().code(), ErrorCode::kNotFound);
}

TEST_F(BucketVersionsTest, VersionsKeepTheirBlobsAlive) {
  Put("k", "old bytes");
  Put("k", "new bytes");
  MustOk(bucket_->Delete({"k"}));
  EXPECT_EQ(Must(bucket_->blobs().ListAll()).size(), 2u);
  // A purge of nothing-referenced blobs keeps both: versions still refer to them... until the
  // versions themselves are purged.
  Put("k", "new bytes");
  PurgeStats stats = Must(bucket_->Purge("k"));
  EXPECT_EQ(stats.versions_removed, 3);  // v1, v2 and the delete marker
  EXPECT_EQ(stats.blobs_removed, 1);     // "old bytes"; "new bytes" is the current version's
  EXPECT_EQ(stats.bytes_freed, 9);
  EXPECT_EQ(Must(bucket_->blobs().ListAll()).size(), 1u);
  EXPECT_EQ(Body("k"), "new bytes");
  EXPECT_EQ(Must(bucket_->Versions("k")).size(), 1u);
}

TEST_F(BucketVersionsTest, PurgeOfOneKeyLeavesSharedBlobsOfOtherKeys) {
  Put("a", "shared");
  Put("a", "a2");
  Put("b", "shared");
  PurgeStats stats = Must(bucket_->Purge("a"));
  EXPECT_EQ(stats.versions_removed, 1);
  EXPECT_EQ(stats.blobs_removed, 0);
  EXPECT_EQ(Body("b"), "shared");
}

TEST_F(BucketVersionsTest, WholeBucketPurgeSweepsOrphanBlobs) {
  Put("k", "kept");
  // A blob a crash left behind: written, never indexed.
  std::string orphan(64, 'e');
  MustOk(bucket_->blobs().Write(orphan, "orphan"));
  PurgeStats stats = Must(bucket_->Purge(std::nullopt));
  EXPECT_EQ(stats.blobs_removed, 1);
  EXPECT_FALSE(*bucket_->blobs().Exists(orphan));
  EXPECT_EQ(Body("k"), "kept");
}

TEST_F(BucketVersionsTest, APutAfterAPurgeSweptItsBlobWritesItAgain) {
  Put("k", "v1");
  Put("k", "v2");
  MustOk(bucket_->Delete({"k"}));
  Must(bucket_->Purge(std::nullopt));  // "v1" and "v2" blobs are gone now
  EXPECT_TRUE(Must(bucket_->blobs().ListAll()).empty());
  Put("k", "v1");
  EXPECT_EQ(Body("k"), "v1");
}

}  // namespace
}  // namespace blaze::r2
