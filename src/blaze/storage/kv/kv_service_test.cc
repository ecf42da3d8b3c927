#include "blaze/storage/kv/kv_service.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "blaze/storage/kv/kv_test_fixture.h"
#include "blaze/storage/sqlite/faulty_vfs.h"

namespace blaze::kv {
namespace {

using std::chrono::seconds;

class KvServiceTest : public KvFixture {
 protected:
  KvServiceTest() { ns_ = Must(kv_->CreateNamespace("test")).id; }

  std::vector<std::string> ListNames(const ListOptions& options = {}) {
    std::vector<std::string> names;
    for (const auto& k : Must(kv_->List(ns_, options)).keys) names.push_back(k.name);
    return names;
  }

  std::int64_t RowsOnDisk() {
    auto db = Must(sqlite::Database::Open(kv_->PathOf(ns_), {}));
    return Must(db->QueryInt("SELECT count(*) FROM kv"));
  }

  std::string ns_;
};

// ---- namespaces ----

TEST_F(KvServiceTest, CreateGivesA32HexIdAndAFileAndListsByTitle) {
  NamespaceInfo games = Must(kv_->CreateNamespace("games"));
  ASSERT_EQ(games.id.size(), 32u);
  EXPECT_EQ(games.id.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(games.title, "games");
  EXPECT_EQ(games.created_at, "2025-01-01T00:00:00.000Z");
  EXPECT_EQ(kv_->PathOf(games.id),
            fs::JoinPath(fs::JoinPath(dir_.path(), "kv"), games.id + ".sqlite"));
  EXPECT_TRUE(Must(env_->Exists(kv_->PathOf(games.id))));
  auto list = Must(kv_->ListNamespaces());
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].title, "games");
  EXPECT_EQ(list[1].title, "test");
  EXPECT_EQ(Must(kv_->FindNamespace(games.id)).title, "games");
}

TEST_F(KvServiceTest, DuplicateTitleIsAlreadyExists) {
  auto again = kv_->CreateNamespace("test");
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_NE(again.error().message().find("test"), std::string::npos);
  EXPECT_EQ(kv_->CreateNamespace("").error().code(), ErrorCode::kInvalidArgument);
}

TEST_F(KvServiceTest, IdsThatCouldEscapeTheFolderAreRefused) {
  for (const char* id : {"../evil", "a/b", "..", "", "with space", "x.y"}) {
    auto r = kv_->CreateNamespaceWithId("t", id);
    ASSERT_FALSE(r.has_value()) << id;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument) << id;
    EXPECT_EQ(kv_->EnsureNamespace(id).error().code(), ErrorCode::kInvalidArgument) << id;
  }
  EXPECT_EQ(Must(kv_->ListNamespaces()).size(), 1u);
}

TEST_F(KvServiceTest, EnsureCreatesAnUnknownIdOnceTitledByItsId) {
  NamespaceInfo first = Must(kv_->EnsureNamespace("0123456789abcdef0123456789abcdef"));
  EXPECT_EQ(first.title, "0123456789abcdef0123456789abcdef");
  NamespaceInfo second = Must(kv_->EnsureNamespace("0123456789abcdef0123456789abcdef"));
  EXPECT_EQ(second.created_at, first.created_at);
  EXPECT_EQ(Must(kv_->ListNamespaces()).size(), 2u);
  EXPECT_EQ(Must(kv_->EnsureNamespace(ns_)).title, "test");  // existing ones are kept as they are
}

TEST_F(KvServiceTest, UnknownNamespaceIsNotFoundAndSaysHowToCreateOne) {
  auto r = kv_->Get("ffffffffffffffffffffffffffffffff", "k");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kNotFound);
  auto find = kv_->FindNamespace("nope");
  EXPECT_EQ(find.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(find.error().message().find("blaze kv namespace create"), std::string::npos);
  EXPECT_FALSE(Must(env_->Exists(kv_->PathOf("ffffffffffffffffffffffffffffffff"))));
}

TEST_F(KvServiceTest, DeleteRemovesTheFileAndARecreatedIdStartsEmpty) {
  const std::string id = "0123456789abcdef0123456789abcdef";
  Must(kv_->EnsureNamespace(id));
  MustOk(kv_->Put(id, "k", "before"));
  EXPECT_EQ(ValueOf(*kv_, id, "k"), "before");  // now cached on this thread
  MustOk(kv_->DeleteNamespace(id));
  EXPECT_FALSE(Must(env_->Exists(kv_->PathOf(id))));
  EXPECT_EQ(kv_->Get(id, "k").error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(kv_->DeleteNamespace(id).error().code(), ErrorCode::kNotFound);
  Must(kv_->EnsureNamespace(id));
  EXPECT_EQ(ValueOf(*kv_, id, "k"), "<none>");  // not the old incarnation's cached value
}

TEST_F(KvServiceTest, ADeleteOnAnotherThreadIsSeenByThisThread) {
  MustOk(kv_->Put(ns_, "k", "v"));
  EXPECT_EQ(ValueOf(*kv_, ns_, "k"), "v");
  std::thread([&] { MustOk(kv_->DeleteNamespace(ns_)); }).join();
  EXPECT_EQ(kv_->Get(ns_, "k").error().code(), ErrorCode::kNotFound);
}

// ---- values ----

TEST_F(KvServiceTest, PutThenGetRoundTripsBytesMetadataAndExpiration) {
  std::string bytes("\x00\xff\x01 binary", 10);
  MustOk(kv_->Put(ns_, "bin", bytes, {NowSeconds() + 3600, std::nullopt, R"({"a":[1,2]})"}));
  auto entry = Must(kv_->Get(ns_, "bin"));
  ASSERT_TRUE(entry.has_value());
  EXPECT_EQ(entry->value, bytes);
  EXPECT_EQ(entry->expiration, NowSeconds() + 3600);
  EXPECT_EQ(entry->metadata, R"({"a":[1,2]})");
  MustOk(kv_->Put(ns_, "empty", ""));
  auto empty = Must(kv_->Get(ns_, "empty"));
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->value, "");
  EXPECT_EQ(empty->expiration, std::nullopt);
  EXPECT_EQ(empty->metadata, std::nullopt);
  EXPECT_EQ(Must(kv_->Get(ns_, "missing")), std::nullopt);
}

TEST_F(KvServiceTest, PutReplacesValueMetadataAndExpiration) {
  MustOk(kv_->Put(ns_, "k", "one", {std::nullopt, 120, R"("m")"}));
  MustOk(kv_->Put(ns_, "k", "two"));
  auto entry = Must(kv_->Get(ns_, "k"));
  EXPECT_EQ(entry->value, "two");
  EXPECT_EQ(entry->expiration, std::nullopt);
  EXPECT_EQ(entry->metadata, std::nullopt);
}

TEST_F(KvServiceTest, LimitsAreRefusedAndLeaveNothingBehind) {
  EXPECT_EQ(kv_->Put(ns_, "", "v").error().message(), "Key name cannot be empty.");
  EXPECT_EQ(kv_->Get(ns_, std::string(513, 'k')).error().message(),
            "KV GET failed: 414 UTF-8 encoded length of 513 exceeds key length limit of 512.");
  EXPECT_EQ(kv_->Delete(ns_, std::string(513, 'k')).error().message(),
            "KV DELETE failed: 414 UTF-8 encoded length of 513 exceeds key length limit of 512.");
  EXPECT_EQ(kv_->Put(ns_, "big", std::string(kMaxValueBytes + 1, 'v')).error().message(),
            "KV PUT failed: 413 Value length of 26214401 exceeds limit of 26214400.");
  EXPECT_EQ(kv_->Put(ns_, "k", "v", {NowSeconds() + 30, std::nullopt, std::nullopt}).error().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(kv_->Get(ns_, "k", {10}).error().message(),
            "KV GET failed: 400 Invalid cache_ttl of 10. Cache TTL must be at least 30.");
  EXPECT_EQ(kv_->List(ns_, {"", 1001, ""}).error().code(), ErrorCode::kInvalidArgument);
  MustOk(kv_->Put(ns_, std::string(512, 'k'), std::string(kMaxValueBytes, 'v')));
  EXPECT_EQ(ListNames(), std::vector<std::string>{std::string(512, 'k')});
}

TEST_F(KvServiceTest, AnExpiredKeyIsNeverReturnedAndIsPurgedLater) {
  MustOk(kv_->Put(ns_, "short", "v", {std::nullopt, 60, std::nullopt}));
  MustOk(kv_->Put(ns_, "long", "v", {std::nullopt, 3600, std::nullopt}));
  EXPECT_EQ(ValueOf(*kv_, ns_, "short"), "v");  // cached now
  clock_.Advance(seconds(59));
  EXPECT_EQ(ValueOf(*kv_, ns_, "short"), "v");
  EXPECT_EQ(ListNames(), (std::vector<std::string>{"long", "short"}));
  clock_.Advance(seconds(1));  // expiration == now: gone
  EXPECT_EQ(ValueOf(*kv_, ns_, "short"), "<none>");
  EXPECT_EQ(ListNames(), std::vector<std::string>{"long"});
  int scanned = 0;
  MustOk(kv_->Scan(ns_, [&](std::string_view key, const KvEntry&) {
    EXPECT_EQ(key, "long");
    ++scanned;
    return Ok();
  }));
  EXPECT_EQ(scanned, 1);
  EXPECT_EQ(RowsOnDisk(), 2);
  clock_.Advance(seconds(60));  // the next write purges
  MustOk(kv_->Put(ns_, "other", "v"));
  EXPECT_EQ(RowsOnDisk(), 2);  // long + other
}

TEST_F(KvServiceTest, DeleteRemovesAndToleratesMissingKeys) {
  MustOk(kv_->Put(ns_, "k", "v"));
  MustOk(kv_->Delete(ns_, "k"));
  MustOk(kv_->Delete(ns_, "k"));
  EXPECT_EQ(ValueOf(*kv_, ns_, "k"), "<none>");
}

TEST_F(KvServiceTest, PutManyIsAllOrNothing) {
  std::vector<KvWrite> writes = {{"a", "1", {}}, {"b", "2", {std::nullopt, 120, R"({"m":1})"}}};
  MustOk(kv_->PutMany(ns_, writes));
  EXPECT_EQ(ListNames(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(Must(kv_->Get(ns_, "b"))->expiration, NowSeconds() + 120);
  writes = {{"c", "3", {}}, {"", "bad", {}}};
  EXPECT_FALSE(kv_->PutMany(ns_, writes).has_value());
  EXPECT_EQ(ListNames(), (std::vector<std::string>{"a", "b"}));
  MustOk(kv_->DeleteMany(ns_, {"a", "nope"}));
  EXPECT_EQ(ListNames(), std::vector<std::string>{"b"});
}

TEST_F(KvServiceTest, AFailedWriteLeavesTheOldValue) {
  KvOptions options = Options();
  options.vfs = sqlite::FaultyVfs::Register();
  auto kv = Open(options);
  MustOk(kv->Put(ns_, "k", "old"));
  sqlite::FaultyVfs::FailWritesAfter(0, sqlite::FaultyVfs::Fault::kIoError, ns_);
  Status s = kv->Put(ns_, "k", std::string(64 * 1024, 'n'));
  sqlite::FaultyVfs::Heal();
  ASSERT_FALSE(s.has_value());
  kv.reset();
  auto fresh = Open(Options());
  EXPECT_EQ(ValueOf(*fresh, ns_, "k"), "old");
}

// ---- list ----

TEST_F(KvServiceTest, ListIsInByteOrderWithPrefixAndCursorPages) {
  for (const char* k : {"b", "a/2", "a/1", "a/10", "a", "\xc3\xa9", "z"})
    MustOk(kv_->Put(ns_, k, "v"));
  EXPECT_EQ(ListNames(),
            (std::vector<std::string>{"a", "a/1", "a/10", "a/2", "b", "z", "\xc3\xa9"}));
  EXPECT_EQ(ListNames({"a/", 0, ""}), (std::vector<std::string>{"a/1", "a/10", "a/2"}));
  ListPage first = Must(kv_->List(ns_, {"a/", 2, ""}));
  EXPECT_EQ(first.keys.size(), 2u);
  EXPECT_FALSE(first.list_complete);
  EXPECT_EQ(first.cursor, "YS8xMA==");  // base64("a/10")
  ListPage second = Must(kv_->List(ns_, {"a/", 2, first.cursor}));
  ASSERT_EQ(second.keys.size(), 1u);
  EXPECT_EQ(second.keys[0].name, "a/2");
  EXPECT_TRUE(second.list_complete);
  EXPECT_EQ(second.cursor, "");
  // Exactly `limit` keys left: complete, no cursor.
  ListPage exact = Must(kv_->List(ns_, {"a/", 3, ""}));
  EXPECT_TRUE(exact.list_complete);
  EXPECT_EQ(ListNames({"\xc3", 0, ""}), std::vector<std::string>{"\xc3\xa9"});
  EXPECT_TRUE(Must(kv_->List(ns_, {"", 0, "garbage!!"})).list_complete);
}

TEST_F(KvServiceTest, ListCarriesExpirationAndMetadata) {
  MustOk(kv_->Put(ns_, "e", "v", {std::nullopt, 100, std::nullopt}));
  MustOk(kv_->Put(ns_, "m", "v", {std::nullopt, std::nullopt, R"({"i":1})"}));
  auto keys = Must(kv_->List(ns_, {})).keys;
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].expiration, NowSeconds() + 100);
  EXPECT_EQ(keys[0].metadata, std::nullopt);
  EXPECT_EQ(keys[1].expiration, std::nullopt);
  EXPECT_EQ(keys[1].metadata, R"({"i":1})");
}

// ---- the per-core cache ----

TEST_F(KvServiceTest, RepeatedReadsHitTheCacheAndWritesInvalidateIt) {
  MustOk(kv_->Put(ns_, "k", "one"));
  EXPECT_EQ(ValueOf(*kv_, ns_, "k"), "one");
  EXPECT_EQ(ValueOf(*kv_, ns_, "k"), "one");
  EXPECT_EQ(ValueOf(*kv_, ns_, "missing"), "<none>");
  EXPECT_EQ(ValueOf(*kv_, ns_, "missing"), "<none>");  // misses are cached too
  CacheStats stats = kv_->cache_stats();
  EXPECT_EQ(stats.hits, 2u);
  EXPECT_EQ(stats.misses, 2u);
  EXPECT_DOUBLE_EQ(stats.HitRate(), 0.5);
  MustOk(kv_->Put(ns_, "missing", "now here"));
  EXPECT_EQ(ValueOf(*kv_, ns_, "missing"), "now here");
  EXPECT_EQ(ValueOf(*kv_, ns_, "k"), "one");  // any write invalidates the namespace's entries
  EXPECT_EQ(kv_->cache_stats().misses, 4u);
}

TEST_F(KvServiceTest, AWriteOnAnotherCoreIsSeenByThisCoresNextRead) {
  MustOk(kv_->Put(ns_, "k", "one"));
  EXPECT_EQ(ValueOf(*kv_, ns_, "k"), "one");
  EXPECT_EQ(ValueOf(*kv_, ns_, "k"), "one");  // cached here
  std::thread([&] { MustOk(kv_->Put(ns_, "k", "two")); }).join();
  EXPECT_EQ(ValueOf(*kv_, ns_, "k"), "two");
  std::thread([&] { MustOk(kv_->Delete(ns_, "k")); }).join();
  EXPECT_EQ(ValueOf(*kv_, ns_, "k"), "<none>");
}

TEST_F(KvServiceTest, CachedReadsLastCacheTtl) {
  KvOptions options = Options();
  options.external_write_check = std::chrono::hours(1);
  auto kv = Open(options);
  MustOk(kv->Put(ns_, "k", "v"));
  Must(kv->Get(ns_, "k", {30}));
  clock_.Advance(seconds(29));
  Must(kv->Get(ns_, "k", {30}));
  EXPECT_EQ(kv->cache_stats().hits, 1u);
  clock_.Advance(seconds(1));
  Must(kv->Get(ns_, "k", {30}));
  EXPECT_EQ(kv->cache_stats().hits, 1u);
  EXPECT_EQ(kv->cache_stats().misses, 2u);
}

TEST_F(KvServiceTest, ValuesOverTheCacheableSizeAreAlwaysRead) {
  KvOptions options = Options();
  options.max_cached_value_bytes = 100;
  auto kv = Open(options);
  MustOk(kv->Put(ns_, "big", std::string(101, 'b')));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(ValueOf(*kv, ns_, "big"), std::string(101, 'b'));
  EXPECT_EQ(kv->cache_stats().hits, 0u);
  EXPECT_EQ(kv->cache_stats().misses, 3u);
}

// Two services on one data directory stand for two processes (`blaze dev` and the CLI).
TEST_F(KvServiceTest, WritesByAnotherProcessAreSeenAfterTheExternalCheckInterval) {
  KvOptions options = Options();
  options.external_write_check = seconds(1);
  auto dev = Open(options);
  auto cli = Open(Options());
  MustOk(cli->Put(ns_, "k", "one"));
  EXPECT_EQ(ValueOf(*dev, ns_, "k"), "one");
  MustOk(cli->Put(ns_, "k", "two"));
  EXPECT_EQ(ValueOf(*dev, ns_, "k"), "one");  // served from the cache within the interval
  clock_.Advance(seconds(1));
  EXPECT_EQ(ValueOf(*dev, ns_, "k"), "two");
}

TEST_F(KvServiceTest, WithAZeroIntervalOtherProcessesWritesAreSeenAtOnce) {
  KvOptions options = Options();
  options.external_write_check = std::chrono::milliseconds(0);
  auto dev = Open(options);
  auto cli = Open(Options());
  MustOk(cli->Put(ns_, "k", "one"));
  EXPECT_EQ(ValueOf(*dev, ns_, "k"), "one");
  EXPECT_EQ(ValueOf(*dev, ns_, "k"), "one");
  EXPECT_EQ(dev->cache_stats().hits, 1u);
  MustOk(cli->Put(ns_, "k", "two"));
  EXPECT_EQ(ValueOf(*dev, ns_, "k"), "two");
}

TEST_F(KvServiceTest, ManyCoresReadTheirOwnWrites) {
  constexpr int kThreads = 4;
  constexpr int kRounds = 200;
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string mine = "core" + std::to_string(t);
      for (int i = 0; i < kRounds; ++i) {
        std::string value = mine + ":" + std::to_string(i);
        if (!kv_->Put(ns_, mine, value).has_value()) ++wrong;
        auto got = kv_->Get(ns_, mine);
        if (!got.has_value() || !*got || (*got)->value != value) ++wrong;
        auto shared = kv_->Get(ns_, "core0");  // another core's key, just read
        if (!shared.has_value()) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(ListNames().size(), static_cast<std::size_t>(kThreads));
}

}  // namespace
}  // namespace blaze::kv
