#include "blaze/bindings/kv_binding.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>

#include "blaze/base/clock.h"
#include "blaze/bindings/resolve.h"
#include "blaze/bindings/binding_test_util.h"
#include "blaze/bindings/storage.h"
#include "tests/testing/temp_dir.h"

namespace blaze::bindings {
namespace {

using nlohmann::json;

constexpr const char* kNamespace = "0123456789abcdef0123456789abcdef";

class KvBindingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    kv_ = storage_.Kv().value();
    kv_->EnsureNamespace(kNamespace).value();
    binding_ = NewKvBinding(kv_, kNamespace);
  }

  Result<engine::BindingReply> Call(const std::string& op, const json& args,
                                    std::vector<std::string> buffers = {}) {
    return testing::CallInline(*binding_, op, args, std::move(buffers));
  }
  json Ok(const Result<engine::BindingReply>& r) { return testing::ReplyJson(r); }
  std::string ErrorOf(Result<engine::BindingReply> r) {
    return r.has_value() ? "<ok>" : r.error().message();
  }
  std::int64_t Now() const { return UnixMillis(clock_.Now()) / 1000; }

  blaze::testing::TempDir dir_;
  FakeClock clock_;
  Storage storage_{{.data_dir = dir_.path(), .clock = &clock_}};
  std::shared_ptr<kv::KvService> kv_;
  std::shared_ptr<engine::BindingService> binding_;
};

TEST_F(KvBindingTest, PutThenGetSendsTheValueAsABufferAndMetadataAsText) {
  Ok(Call("put",
          {{"key", "k"},
           {"value", {{"$buffer", 0}}},
           {"expirationTtl", 120},
           {"metadata", R"({"$buffer":0,"a":1})"}},
          {std::string("\x00\xffv", 3)}));
  auto reply = Call("get", {{"key", "k"}});
  ASSERT_TRUE(reply.has_value());
  json j = json::parse(reply->json);
  EXPECT_EQ(j["value"], json({{"$buffer", 0}}));
  EXPECT_EQ(j["metadata"], R"({"$buffer":0,"a":1})");  // text: user data never looks like a buffer
  EXPECT_EQ(j["expiration"], Now() + 120);
  ASSERT_EQ(reply->buffers.size(), 1u);
  EXPECT_EQ(reply->buffers[0], std::string("\x00\xffv", 3));
}

TEST_F(KvBindingTest, AMissingKeyIsNullEverywhere) {
  auto reply = Call("get", {{"key", "nope"}});
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(json::parse(reply->json),
            json::parse(R"({"value":null,"metadata":null,"expiration":null})"));
  EXPECT_TRUE(reply->buffers.empty());
}

TEST_F(KvBindingTest, DeleteAndListFollowCloudflaresShape) {
  for (const char* k : {"a/1", "a/2", "a/3", "b"}) {
    Ok(Call("put", {{"key", k}, {"value", {{"$buffer", 0}}}}, {"v"}));
  }
  Ok(Call("put",
          {{"key", "a/0"},
           {"value", {{"$buffer", 0}}},
           {"metadata", "[1]"},
           {"expiration", Now() + 600}},
          {"v"}));
  Ok(Call("delete", {{"key", "a/3"}}));
  json page = Ok(Call("list", {{"prefix", "a/"}, {"limit", 2}}));
  EXPECT_EQ(page,
            json::parse(R"({"keys":[{"name":"a/0","expiration":)" + std::to_string(Now() + 600) +
                        R"(,"metadata":"[1]"},{"name":"a/1"}],"list_complete":false,)"
                        R"("cursor":"YS8x"})"));
  json rest = Ok(Call("list", {{"prefix", "a/"}, {"cursor", "YS8x"}}));
  EXPECT_EQ(rest, json::parse(R"({"keys":[{"name":"a/2"}],"list_complete":true})"));
  json all = Ok(Call("list", json::object()));
  EXPECT_EQ(all["keys"].size(), 4u);
}

TEST_F(KvBindingTest, GetBulkAnswersEveryKeyInOrder) {
  Ok(Call("put", {{"key", "x"}, {"value", {{"$buffer", 0}}}, {"metadata", "5"}}, {"X"}));
  Ok(Call("put", {{"key", "y"}, {"value", {{"$buffer", 0}}}}, {"Y"}));
  auto reply = Call("getBulk", {{"keys", {"y", "none", "x"}}});
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(
      json::parse(reply->json),
      json::parse(R"({"values":[{"$buffer":0},null,{"$buffer":1}],"metadata":[null,null,"5"]})"));
  EXPECT_EQ(reply->buffers, (std::vector<std::string>{"Y", "X"}));
  EXPECT_EQ(ErrorOf(Call("getBulk", {{"keys", json::array()}})),
            "KV GET_BULK failed: 400 You must request a minimum of 1 key");
  EXPECT_EQ(ErrorOf(Call("getBulk", {{"keys", std::vector<std::string>(101, "k")}})),
            "KV GET_BULK failed: 400 You can request a maximum of 100 keys");
  EXPECT_EQ(ErrorOf(Call("getBulk", {{"keys", {""}}})),
            "KV GET_BULK failed: 400 Key names must not be empty");
  EXPECT_EQ(ErrorOf(Call("getBulk", {{"keys", {std::string(513, 'k')}}})),
            "KV GET_BULK failed: 414 UTF-8 encoded length of 513 exceeds key length limit of 512.");
}

TEST_F(KvBindingTest, LimitsComeBackAsCloudflaresMessages) {
  EXPECT_EQ(ErrorOf(Call("put", {{"key", "k"}, {"value", {{"$buffer", 0}}}, {"expirationTtl", 30}},
                         {"v"})),
            "KV PUT failed: 400 Invalid expiration_ttl of 30. Expiration TTL must be at least 60.");
  EXPECT_EQ(ErrorOf(Call("get", {{"key", "k"}, {"cacheTtl", 0}})),
            "KV GET failed: 400 Invalid cache_ttl of 0. Cache TTL must be at least 30.");
  EXPECT_EQ(ErrorOf(Call("list", {{"limit", 5000}})),
            "KV GET failed: 400 Invalid key_count_limit of 5000. Please specify an integer less "
            "than 1000.");
  // Numbers past int64 (JSON.stringify writes 1e+300) saturate instead of overflowing.
  Ok(Call("put", json::parse(R"({"key":"far","value":{"$buffer":0},"expirationTtl":1e300})"),
          {"v"}));
  EXPECT_EQ(json::parse(Call("get", {{"key", "far"}})->json)["expiration"],
            std::numeric_limits<std::int64_t>::max());
  Ok(Call("get", json::parse(R"({"key":"far","cacheTtl":1e300})")));
  auto bad = Call("put", {{"key", "k"}, {"value", "not a buffer"}});
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ErrorOf(Call("nope", json::object())), "kv: unknown operation 'nope'");
}

TEST_F(KvBindingTest, TwoBindingsOfOneNamespaceShareItsData) {
  auto other = NewKvBinding(kv_, kNamespace);
  Ok(Call("put", {{"key", "shared"}, {"value", {{"$buffer", 0}}}}, {"1"}));
  auto out = testing::CallInline(*other, "get", {{"key", "shared"}});
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->buffers, std::vector<std::string>{"1"});
}

config::WranglerConfig Load(const blaze::testing::TempDir& dir, const std::string& toml) {
  std::ofstream(dir.path() + "/wrangler.toml") << toml;
  return config::LoadWranglerConfig(dir.path() + "/wrangler.toml").value();
}

constexpr const char* kKvProject = R"(
name = "api"
[[kv_namespaces]]
binding = "CACHE"
id = "0123456789abcdef0123456789abcdef"
)";

TEST(ResolveKvBindings, DevUsesTheNamespaceWithTheConfiguredIdCreatingItOnFirstUse) {
  blaze::testing::TempDir dir;
  Storage storage({.data_dir = dir.path() + "/.blaze"});
  auto bindings = ResolveBindings(Load(dir, kKvProject), storage, {}).value();
  auto kv_binding = std::find_if(bindings.begin(), bindings.end(),
                                 [](const engine::WorkerBinding& b) { return b.name == "CACHE"; });
  ASSERT_NE(kv_binding, bindings.end());
  EXPECT_EQ(kv_binding->kind, "kv");
  EXPECT_EQ(std::count_if(bindings.begin(), bindings.end(),
                          [](const engine::WorkerBinding& b) { return b.kind == "kv"; }),
            1);
  auto kv = storage.Kv().value();
  EXPECT_EQ(kv->FindNamespace(kNamespace).value().title, kNamespace);
  ASSERT_TRUE(ResolveBindings(Load(dir, kKvProject), storage, {}).has_value());
  EXPECT_EQ(kv->ListNamespaces().value().size(), 1u);
}

TEST(ResolveKvBindings, WithoutCreateMissingAnAbsentNamespaceIsNotFound) {
  blaze::testing::TempDir dir;
  Storage storage({.data_dir = dir.path()});
  auto r = ResolveBindings(Load(dir, kKvProject), storage, {.create_missing = false});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(r.error().message().find("binding CACHE"), std::string::npos);
}

TEST(ResolveKvBindings, AnIdThatIsNotAFileNameIsRefused) {
  blaze::testing::TempDir dir;
  Storage storage({.data_dir = dir.path()});
  auto r = ResolveBindings(Load(dir, "[[kv_namespaces]]\nbinding = \"KV\"\nid = \"../../etc\"\n"),
                           storage, {});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace blaze::bindings
