#include "blaze/bindings/cache_binding.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "blaze/bindings/binding_test_util.h"
#include "blaze/bindings/storage.h"
#include "tests/testing/temp_dir.h"

namespace blaze::bindings {
namespace {

using nlohmann::json;

// Header pairs as cache.js sends them (a braced list of pairs would become a JSON object).
json Pairs(const cache::HeaderList& headers) {
  json out = json::array();
  for (const auto& [k, v] : headers) out.push_back(json::array({k, v}));
  return out;
}

class CacheBindingTest : public ::testing::Test {
 protected:
  void SetUp() override { binding_ = NewCacheBinding(storage_.Cache().value()); }

  Result<engine::BindingReply> Call(const std::string& op, const json& args,
                                    std::vector<std::string> buffers = {}) {
    return testing::CallInline(*binding_, op, args, std::move(buffers));
  }
  json Ok(const Result<engine::BindingReply>& r) { return testing::ReplyJson(r); }
  json Put(const std::string& url, const std::string& body, const cache::HeaderList& headers,
           const std::string& cache = "") {
    return Ok(Call("put",
                   {{"cache", cache},
                    {"url", url},
                    {"method", "GET"},
                    {"status", 200},
                    {"headers", Pairs(headers)},
                    {"body", {{"$buffer", 0}}}},
                   {body}));
  }

  blaze::testing::TempDir dir_;
  FakeClock clock_;
  Storage storage_{{.data_dir = dir_.path(), .clock = &clock_}};
  std::shared_ptr<engine::BindingService> binding_;
};

TEST_F(CacheBindingTest, PutThenMatchAnswersAHitWithItsBody) {
  EXPECT_EQ(Put("http://example.com/a", "hello", {{"cache-control", "max-age=60"}, {"x-a", "1"}}),
            json({{"stored", true}}));
  auto hit =
      Call("match", {{"cache", ""}, {"url", "http://example.com/a"}, {"headers", json::array()}});
  ASSERT_TRUE(hit.has_value()) << hit.error().ToString();
  json reply = json::parse(hit->json);
  EXPECT_EQ(reply["status"], 200);
  EXPECT_EQ(reply["body"], json({{"$buffer", 0}}));
  ASSERT_EQ(hit->buffers.size(), 1u);
  EXPECT_EQ(hit->buffers[0], "hello");
  EXPECT_EQ(reply["headers"], json::parse(R"([["cache-control", "max-age=60"], ["x-a", "1"],
      ["age", "0"], ["date", "Wed, 01 Jan 2025 00:00:00 GMT"], ["cf-cache-status", "HIT"],
      ["content-length", "5"]])"));
}

TEST_F(CacheBindingTest, AMissIsNullAndExpiryFollowsTheClock) {
  Put("http://example.com/t", "t", {{"cache-control", "max-age=10"}});
  clock_.Advance(std::chrono::seconds(10));
  EXPECT_EQ(Ok(Call("match", {{"cache", ""}, {"url", "http://example.com/t"}})), json(nullptr));
  EXPECT_EQ(Put("http://example.com/n", "n", {{"cache-control", "no-store"}}),
            json({{"stored", false}}));
  EXPECT_EQ(Ok(Call("match", {{"cache", ""}, {"url", "http://example.com/n"}})), json(nullptr));
}

TEST_F(CacheBindingTest, ConditionalAndRangeHeadersOfTheRequestShapeTheHit) {
  Put("http://example.com/r", "0123456789", {{"cache-control", "max-age=60"}, {"etag", "\"v1\""}});
  auto not_modified = Call("match", {{"cache", ""},
                                     {"url", "http://example.com/r"},
                                     {"headers", Pairs({{"if-none-match", "\"v1\""}})}});
  EXPECT_EQ(json::parse(not_modified->json)["status"], 304);
  EXPECT_EQ(not_modified->buffers.at(0), "");
  auto range = Call("match", {{"cache", ""},
                              {"url", "http://example.com/r"},
                              {"headers", Pairs({{"range", "bytes=2-4"}})}});
  EXPECT_EQ(json::parse(range->json)["status"], 206);
  EXPECT_EQ(range->buffers.at(0), "234");
}

TEST_F(CacheBindingTest, DeleteSaysWhetherAnEntryWasThere) {
  Put("http://example.com/d", "d", {{"cache-control", "max-age=60"}}, "named");
  EXPECT_EQ(Ok(Call("delete", {{"cache", ""}, {"url", "http://example.com/d"}})), json(false));
  EXPECT_EQ(Ok(Call("delete", {{"cache", "named"}, {"url", "http://example.com/d"}})), json(true));
  EXPECT_EQ(Ok(Call("delete", {{"cache", "named"}, {"url", "http://example.com/d"}})), json(false));
}

TEST_F(CacheBindingTest, RefusalsCarryWorkerdsMessages) {
  auto message = [&](const std::string& op, const json& args,
                     std::vector<std::string> buffers = {}) {
    auto r = Call(op, args, std::move(buffers));
    EXPECT_FALSE(r.has_value()) << op;
    if (r) return std::string();
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    return r.error().message();
  };
  EXPECT_EQ(message("open", {{"name", std::string(1024, 'a')}}), "Cache name is too long.");
  EXPECT_TRUE(Call("open", {{"name", std::string(1023, 'a')}}).has_value());
  EXPECT_EQ(message("put",
                    {{"cache", ""},
                     {"url", "http://x/"},
                     {"method", "POST"},
                     {"status", 200},
                     {"body", {{"$buffer", 0}}}},
                    {"x"}),
            "Cannot cache response to non-GET request.");
  EXPECT_EQ(message("put",
                    {{"cache", ""},
                     {"url", "http://x/"},
                     {"method", "GET"},
                     {"status", 206},
                     {"body", {{"$buffer", 0}}}},
                    {"x"}),
            "Cannot cache response to a range request (206 Partial Content).");
  EXPECT_EQ(message("put",
                    {{"cache", ""},
                     {"url", "http://x/"},
                     {"status", 200},
                     {"headers", Pairs({{"vary", "*"}})},
                     {"body", {{"$buffer", 0}}}},
                    {"x"}),
            "Cannot cache response with 'Vary: *' header.");
  EXPECT_FALSE(message("frobnicate", json::object()).empty());
  EXPECT_FALSE(message("put", {{"status", "200"}}).empty());
  EXPECT_FALSE(message("match", {{"url", "http://x/"}, {"headers", "nope"}}).empty());
}

TEST_F(CacheBindingTest, HitsAndMissesReachTheStorageStats) {
  Put("http://example.com/s", "s", {{"cache-control", "max-age=60"}});
  Call("match", {{"cache", ""}, {"url", "http://example.com/s"}});
  Call("match", {{"cache", ""}, {"url", "http://example.com/none"}});
  cache::CacheStats stats = storage_.Cache().value()->Stats();
  EXPECT_EQ(stats.hits, 1u);
  EXPECT_EQ(stats.misses, 1u);
}

}  // namespace
}  // namespace blaze::bindings
