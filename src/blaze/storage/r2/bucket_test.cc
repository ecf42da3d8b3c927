#include "blaze/storage/r2/bucket.h"

#include <gtest/gtest.h>

#include <thread>

#include "blaze/storage/r2/r2_test_fixture.h"

namespace blaze::r2 {
namespace {

using BucketTest = R2Fixture;

TEST_F(BucketTest, PutReturnsTheObjectWithMd5EtagAndTheClocksTime) {
  PutOptions o;
  o.http.content_type = "text/plain";
  o.custom = {{"z", "1"}, {"a", "2"}};
  ObjectInfo put = Put("a/b.txt", "hello", o);
  EXPECT_EQ(put.key, "a/b.txt");
  EXPECT_EQ(put.size, 5);
  EXPECT_EQ(put.etag, "5d41402abc4b2a76b9719d911017c592");
  EXPECT_EQ(put.checksums.md5, put.etag);
  EXPECT_FALSE(put.checksums.sha256.has_value());
  EXPECT_EQ(put.uploaded_ms, UnixMillis(clock_.Now()));
  EXPECT_EQ(put.version.size(), 32u);
  EXPECT_EQ(put.storage_class, "Standard");
  EXPECT_EQ(put.custom, (CustomMetadata{{"z", "1"}, {"a", "2"}}));

  auto head = Must(bucket_->Head("a/b.txt"));
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(*head, put);
  EXPECT_EQ(Body("a/b.txt"), "hello");
}

TEST_F(BucketTest, MissingKeysAreAbsentNotErrors) {
  EXPECT_FALSE(Must(bucket_->Head("nope")).has_value());
  EXPECT_FALSE(Must(bucket_->Get("nope", {})).has_value());
  MustOk(bucket_->Delete({"nope"}));
}

TEST_F(BucketTest, GetReturnsTheRequestedRange) {
  Put("r", "0123456789");
  GetOptions o;
  o.range = RangeRequest{2, 3, {}};
  auto got = Must(bucket_->Get("r", o));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->body, "234");
  EXPECT_EQ(got->range, (ByteRange{2, 3}));
  o.range = RangeRequest{30, {}, {}};
  EXPECT_EQ(bucket_->Get("r", o).error().code(), ErrorCode::kInvalidArgument);
}

TEST_F(BucketTest, AFailedConditionReturnsTheObjectWithoutItsBody) {
  ObjectInfo put = Put("k", "v1");
  GetOptions o;
  o.only_if = Conditional{};
  o.only_if->etag_matches = std::vector<EtagMatch>{{EtagMatch::Kind::kStrong, "other"}};
  auto got = Must(bucket_->Get("k", o));
  ASSERT_TRUE(got.has_value());
  EXPECT_TRUE(got->precondition_failed);
  EXPECT_EQ(got->body, "");
  EXPECT_EQ(got->info.etag, put.etag);
}

TEST_F(BucketTest, ConditionalPutReturnsNothingAndKeepsTheCurrentVersion) {
  ObjectInfo first = Put("k", "v1");
  PutOptions o;
  o.only_if = Conditional{};
  o.only_if->etag_matches = std::vector<EtagMatch>{{EtagMatch::Kind::kStrong, "nope"}};
  EXPECT_FALSE(Must(bucket_->Put("k", "v2", o)).has_value());
  EXPECT_EQ(Body("k"), "v1");
  // The bytes of the refused put are not kept.
  EXPECT_EQ(Must(bucket_->blobs().ListAll()).size(), 1u);
  o.only_if->etag_matches = std::vector<EtagMatch>{{EtagMatch::Kind::kStrong, first.etag}};
  EXPECT_TRUE(Must(bucket_->Put("k", "v2", o)).has_value());
  EXPECT_EQ(Body("k"), "v2");
  // Create-only: etagDoesNotMatch "*".
  PutOptions create_only;
  create_only.only_if = Conditional{};
  create_only.only_if->etag_does_not_match =
      std::vector<EtagMatch>{{EtagMatch::Kind::kWildcard, ""}};
  EXPECT_FALSE(Must(bucket_->Put("k", "v3", create_only)).has_value());
  EXPECT_TRUE(Must(bucket_->Put("new", "v3", create_only)).has_value());
}

TEST_F(BucketTest, ChecksumsAreVerifiedAndKept) {
  PutOptions o;
  o.sha256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
  ObjectInfo put = Put("k", "hello", o);
  EXPECT_EQ(put.checksums.sha256, o.sha256);
  PutOptions bad;
  bad.sha1 = std::string(40, '0');
  auto r = bucket_->Put("k", "hello", bad);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message(),
            "The SHA-1 checksum you specified did not match what we received.\n"
            "You provided a SHA-1 checksum with value: " +
                std::string(40, '0') +
                "\n"
                "Actual SHA-1 was: aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d (10037)");
  PutOptions md5;
  md5.md5 = std::string(32, '0');
  EXPECT_EQ(bucket_->Put("k", "hello", md5).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Must(bucket_->Head("k"))->checksums.sha256, o.sha256);
}

TEST_F(BucketTest, IdenticalContentIsStoredOnce) {
  Put("a", "same bytes");
  Put("b", "same bytes");
  Put("a", "same bytes");  // a second version of a
  auto blobs = Must(bucket_->blobs().ListAll());
  ASSERT_EQ(blobs.size(), 1u);
  EXPECT_EQ(blobs[0], Must(bucket_->Head("a"))->blob);
  // Named by SHA-256 under a two-character shard.
  EXPECT_TRUE(*env_->Exists(BlobDir() + "/" + blobs[0].substr(0, 2) + "/" + blobs[0]));
}

TEST_F(BucketTest, KeysNeverBecomePaths) {
  for (const std::string& key :
       std::vector<std::string>{"../../escape", "/abs/path", "a\\b", std::string("nul\0key", 7)}) {
    Put(key, "x:" + key);
    EXPECT_EQ(Body(key), "x:" + key);
  }
  // Nothing was created outside the bucket's folder.
  auto top = Must(env_->ListDir(dir_.path()));
  for (const auto& e : top)
    EXPECT_TRUE(e.name == "r2" || e.name.starts_with("control.db")) << e.name;
  auto bucket_dir = Must(env_->ListDir(dir_.path() + "/r2/photos"));
  for (const auto& e : bucket_dir) {
    EXPECT_TRUE(e.name == "blobs" || e.name.starts_with("index.sqlite")) << e.name;
  }
}

TEST_F(BucketTest, DeleteAcceptsManyKeysAndIgnoresMissingOnes) {
  Put("a", "1");
  Put("b", "2");
  Put("c", "3");
  MustOk(bucket_->Delete({"a", "c", "missing"}));
  EXPECT_EQ(Keys(), (std::vector<std::string>{"b"}));
  auto long_key = bucket_->Delete({"b", std::string(1025, 'k')});
  ASSERT_FALSE(long_key.has_value());
  EXPECT_EQ(Keys(), (std::vector<std::string>{"b"}));  // checked before anything is deleted
}

TEST_F(BucketTest, ManyThreadsShareOneBucket) {
  constexpr int kThreads = 8, kPuts = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPuts; ++i) {
        std::string key = "t" + std::to_string(t) + "/" + std::to_string(i);
        std::string body = (i % 2 ? "shared" : key);
        if (!bucket_->Put(key, body, {}).has_value()) ++failures;
        auto got = bucket_->Get(key, {});
        if (!got.has_value() || !*got || (*got)->body != body) ++failures;
        if (!bucket_->Put("hot", body, {}).has_value()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Must(bucket_->ObjectCount()), kThreads * kPuts + 1);
  EXPECT_EQ(Must(bucket_->Versions("hot")).size(), static_cast<std::size_t>(kThreads * kPuts));
}

}  // namespace
}  // namespace blaze::r2
