#include "blaze/storage/kv/read_cache.h"

#include <gtest/gtest.h>

namespace blaze::kv {
namespace {

CachedRead Read(std::string value, std::uint64_t generation = 1) {
  CachedRead r;
  r.found = true;
  r.value = std::move(value);
  r.generation = generation;
  return r;
}

TEST(ReadCache, FindsWhatWasInsertedPerNamespace) {
  ReadCache cache(1 << 20);
  cache.Insert("ns1", "k", Read("one"));
  cache.Insert("ns2", "k", Read("two"));
  ASSERT_NE(cache.Find("ns1", "k"), nullptr);
  EXPECT_EQ(cache.Find("ns1", "k")->value, "one");
  EXPECT_EQ(cache.Find("ns2", "k")->value, "two");
  EXPECT_EQ(cache.Find("ns1", "other"), nullptr);
  EXPECT_EQ(cache.size(), 2u);
}

TEST(ReadCache, InsertReplacesAndEraseRemoves) {
  ReadCache cache(1 << 20);
  cache.Insert("ns", "k", Read("old", 1));
  std::size_t bytes = cache.bytes();
  cache.Insert("ns", "k", Read("new", 2));
  EXPECT_EQ(cache.Find("ns", "k")->value, "new");
  EXPECT_EQ(cache.Find("ns", "k")->generation, 2u);
  EXPECT_EQ(cache.bytes(), bytes);
  cache.Erase("ns", "k");
  EXPECT_EQ(cache.Find("ns", "k"), nullptr);
  EXPECT_EQ(cache.bytes(), 0u);
}

TEST(ReadCache, EvictsTheLeastRecentlyUsedWhenOverCapacity) {
  ReadCache cache(3 * 1200);  // room for three ~1 kB entries
  cache.Insert("ns", "a", Read(std::string(1000, 'a')));
  cache.Insert("ns", "b", Read(std::string(1000, 'b')));
  cache.Insert("ns", "c", Read(std::string(1000, 'c')));
  ASSERT_NE(cache.Find("ns", "a"), nullptr);  // a is now the most recently used
  cache.Insert("ns", "d", Read(std::string(1000, 'd')));
  EXPECT_EQ(cache.Find("ns", "b"), nullptr);
  EXPECT_NE(cache.Find("ns", "a"), nullptr);
  EXPECT_NE(cache.Find("ns", "c"), nullptr);
  EXPECT_NE(cache.Find("ns", "d"), nullptr);
  EXPECT_LE(cache.bytes(), 3u * 1200);
}

TEST(ReadCache, AnEntryLargerThanTheCacheIsNotKept) {
  ReadCache cache(1000);
  cache.Insert("ns", "small", Read("x"));
  cache.Insert("ns", "huge", Read(std::string(5000, 'h')));
  EXPECT_EQ(cache.Find("ns", "huge"), nullptr);
  EXPECT_NE(cache.Find("ns", "small"), nullptr);
}

}  // namespace
}  // namespace blaze::kv
