#include "blaze/storage/cache/cache_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "blaze/storage/sqlite/faulty_vfs.h"
#include "tests/testing/temp_dir.h"

namespace blaze::cache {
namespace {

using std::chrono::seconds;

const HeaderList kMinute = {{"cache-control", "max-age=60"}, {"content-type", "text/plain"}};

class CacheServiceTest : public ::testing::Test {
 protected:
  std::unique_ptr<CacheService> Open(std::int64_t max_bytes = std::int64_t{512} << 20,
                                     const char* vfs = nullptr) {
    CacheOptions options{dir_.path() + "/data", env_.get(), &clock_, max_bytes, vfs};
    return CacheService::Open(options).value();
  }
  bool Store(CacheService& c, std::string_view url, std::string body,
             const HeaderList& headers = kMinute, std::string_view cache = "") {
    auto r = c.Store(cache, url, 200, headers, std::move(body), false);
    EXPECT_TRUE(r.has_value()) << r.error().ToString();
    return r.value_or(false);
  }
  std::optional<std::string> Body(CacheService& c, std::string_view url,
                                  std::string_view cache = "") {
    auto hit = c.Lookup(cache, url, {});
    EXPECT_TRUE(hit.has_value()) << hit.error().ToString();
    if (!hit || !*hit) return std::nullopt;
    return (*hit)->body;
  }

  blaze::testing::TempDir dir_;
  std::unique_ptr<fs::Env> env_ = fs::NewPosixEnv();
  FakeClock clock_;
};

TEST_F(CacheServiceTest, StoresMatchesAndDeletesByCacheNameAndUrl) {
  auto cache = Open();
  EXPECT_TRUE(Store(*cache, "http://example.com/a", "hello"));
  auto hit = cache->Lookup("", "http://example.com/a", {}).value();
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->status, 200);
  EXPECT_EQ(hit->body, "hello");
  EXPECT_EQ(HeaderValue(hit->headers, "cf-cache-status"), "HIT");
  EXPECT_EQ(HeaderValue(hit->headers, "content-type"), "text/plain");
  EXPECT_EQ(Body(*cache, "http://example.com/a#fragment"), "hello")
      << "the fragment is not part of the key";
  EXPECT_EQ(Body(*cache, "http://example.com/a?q=1"), std::nullopt);
  EXPECT_EQ(Body(*cache, "http://example.com/a", "other"), std::nullopt) << "caches are separate";
  EXPECT_TRUE(cache->Delete("", "http://example.com/a").value());
  EXPECT_FALSE(cache->Delete("", "http://example.com/a").value());
  EXPECT_EQ(Body(*cache, "http://example.com/a"), std::nullopt);
}

TEST_F(CacheServiceTest, AResponseHttpSaysNotToKeepIsNotStoredAndKeepsTheOldEntry) {
  auto cache = Open();
  EXPECT_TRUE(Store(*cache, "http://example.com/a", "first"));
  EXPECT_FALSE(Store(*cache, "http://example.com/a", "second", {{"cache-control", "no-store"}}));
  EXPECT_EQ(Body(*cache, "http://example.com/a"), "first");
  auto refused = cache->Store("", "http://example.com/a", 206, kMinute, "x", false);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code(), ErrorCode::kInvalidArgument);
}

TEST_F(CacheServiceTest, EntriesExpireOnTheClock) {
  auto cache = Open();
  EXPECT_TRUE(Store(*cache, "http://example.com/t", "t", {{"cache-control", "max-age=2"}}));
  clock_.Advance(std::chrono::milliseconds(1999));
  auto hit = cache->Lookup("", "http://example.com/t", {}).value();
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(HeaderValue(hit->headers, "age"), "1");
  clock_.Advance(std::chrono::milliseconds(1));
  EXPECT_EQ(Body(*cache, "http://example.com/t"), std::nullopt);
  EXPECT_FALSE(cache->Delete("", "http://example.com/t").value()) << "an expired entry is gone";
  EXPECT_EQ(cache->TotalBytes().value(), 0);
}

TEST_F(CacheServiceTest, CountsHitsAndMisses) {
  auto cache = Open();
  EXPECT_EQ(cache->Stats().HitRate(), 0.0);
  Store(*cache, "http://example.com/a", "a");
  Body(*cache, "http://example.com/a");
  Body(*cache, "http://example.com/a");
  Body(*cache, "http://example.com/b");
  Body(*cache, "http://example.com/c");
  CacheStats stats = cache->Stats();
  EXPECT_EQ(stats.hits, 2u);
  EXPECT_EQ(stats.misses, 2u);
  EXPECT_DOUBLE_EQ(stats.HitRate(), 0.5);
}

TEST_F(CacheServiceTest, CacheNamesAreShorterThan1024Bytes) {
  EXPECT_TRUE(ValidateCacheName(std::string(1023, 'a')).has_value());
  auto long_name = ValidateCacheName(std::string(1024, 'a'));
  ASSERT_FALSE(long_name.has_value());
  EXPECT_EQ(long_name.error().message(), "Cache name is too long.");
  auto cache = Open();
  EXPECT_FALSE(cache->Lookup(std::string(1024, 'a'), "http://example.com/", {}).has_value());
}

TEST_F(CacheServiceTest, PastTheCapTheOldestEntriesGoFirst) {
  auto cache = Open(/*max_bytes=*/4000);
  std::string kb(1000, 'x');
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(Store(*cache, "http://example.com/" + std::to_string(i), kb));
    clock_.Advance(seconds(1));
  }
  EXPECT_TRUE(Store(*cache, "http://example.com/3", kb));
  EXPECT_EQ(Body(*cache, "http://example.com/0"), std::nullopt) << "the oldest was evicted";
  for (int i = 1; i < 4; ++i) EXPECT_TRUE(Body(*cache, "http://example.com/" + std::to_string(i)));
  EXPECT_LE(cache->TotalBytes().value(), 4000);
  auto huge =
      cache->Store("", "http://example.com/huge", 200, kMinute, std::string(5000, 'x'), false);
  ASSERT_FALSE(huge.has_value());
  EXPECT_EQ(huge.error().code(), ErrorCode::kResourceExhausted);
}

TEST_F(CacheServiceTest, ReplacingAnEntryCountsItsSizeOnce) {
  auto cache = Open(/*max_bytes=*/3000);
  std::string kb(1000, 'x');
  Store(*cache, "http://example.com/a", kb);
  Store(*cache, "http://example.com/b", kb);
  std::int64_t before = cache->TotalBytes().value();
  for (int i = 0; i < 5; ++i) Store(*cache, "http://example.com/b", kb);
  EXPECT_EQ(cache->TotalBytes().value(), before);
  EXPECT_TRUE(Body(*cache, "http://example.com/a")) << "nothing needed evicting";
}

TEST_F(CacheServiceTest, ExpiredEntriesMakeRoomBeforeFreshOnes) {
  auto cache = Open(/*max_bytes=*/3000);
  std::string kb(1000, 'x');
  Store(*cache, "http://example.com/fresh", kb, {{"cache-control", "max-age=600"}});
  clock_.Advance(seconds(1));
  Store(*cache, "http://example.com/short", kb, {{"cache-control", "max-age=1"}});
  clock_.Advance(seconds(5));
  Store(*cache, "http://example.com/new", kb);
  Store(*cache, "http://example.com/new2", std::string(500, 'y'));
  EXPECT_TRUE(Body(*cache, "http://example.com/fresh")) << "the expired entry went instead";
}

TEST_F(CacheServiceTest, EntriesSurviveReopeningAndTheSizeIsRecounted) {
  {
    auto cache = Open();
    Store(*cache, "http://example.com/a", "persisted");
  }
  auto cache = Open();
  EXPECT_EQ(Body(*cache, "http://example.com/a"), "persisted");
  EXPECT_GT(cache->TotalBytes().value(), 0);
}

TEST_F(CacheServiceTest, NothingIsCreatedUntilFirstUse) {
  auto cache = Open();
  EXPECT_FALSE(env_->Exists(cache->path()).value());
  Body(*cache, "http://example.com/");
  EXPECT_TRUE(env_->Exists(cache->path()).value());
}

TEST_F(CacheServiceTest, AFailedWriteLeavesTheOldEntry) {
  auto cache = Open(std::int64_t{512} << 20, sqlite::FaultyVfs::Register());
  Store(*cache, "http://example.com/a", "old");
  std::uint64_t faults = sqlite::FaultyVfs::faults_injected();
  sqlite::FaultyVfs::FailWritesAfter(0, sqlite::FaultyVfs::Fault::kIoError, "cache.sqlite");
  auto failed =
      cache->Store("", "http://example.com/a", 200, kMinute, std::string(100000, 'n'), false);
  sqlite::FaultyVfs::Heal();
  EXPECT_FALSE(failed.has_value());
  EXPECT_GT(sqlite::FaultyVfs::faults_injected(), faults);
  EXPECT_EQ(Body(*cache, "http://example.com/a"), "old");
  EXPECT_TRUE(Store(*cache, "http://example.com/a", "new")) << "the service recovers";
  EXPECT_EQ(Body(*cache, "http://example.com/a"), "new");
}

TEST_F(CacheServiceTest, ManyThreadsShareOneCache) {
  auto cache = Open();
  std::vector<std::thread> threads;
  std::atomic<int> failures = 0;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        std::string url = "http://example.com/" + std::to_string(t) + "/" + std::to_string(i);
        auto put = cache->Store("", url, 200, kMinute, url, false);
        auto hit = cache->Lookup("", url, {});
        failures += (put && *put && hit && *hit && (*hit)->body == url) ? 0 : 1;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(cache->Stats().hits, 200u);
}

}  // namespace
}  // namespace blaze::cache
