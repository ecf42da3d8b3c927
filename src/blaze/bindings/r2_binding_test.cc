#include "blaze/bindings/r2_binding.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "blaze/bindings/binding_test_util.h"
#include "blaze/bindings/storage.h"
#include "tests/testing/temp_dir.h"

namespace blaze::bindings {
namespace {

using nlohmann::json;

class R2BindingTest : public ::testing::Test {
 protected:
  void SetUp() override { binding_ = NewR2Binding(storage_.R2().value(), "assets"); }

  Result<engine::BindingReply> Call(const std::string& op, const json& args,
                                    std::vector<std::string> buffers = {}) {
    return testing::CallInline(*binding_, op, args, std::move(buffers));
  }
  json Ok(const Result<engine::BindingReply>& r) { return testing::ReplyJson(r); }
  json Put(const std::string& key, const std::string& body, json extra = json::object()) {
    extra["key"] = key;
    extra["body"] = {{"$buffer", 0}};
    return Ok(Call("put", extra, {body}));
  }

  blaze::testing::TempDir dir_;
  Storage storage_{{.data_dir = dir_.path()}};
  std::shared_ptr<engine::BindingService> binding_;
};

TEST_F(R2BindingTest, PutThenGetRoundTripsBytesAndMetadata) {
  json put = Put("a/logo.png", std::string("\x89PNG\0\xff", 6),
                 {{"httpMetadata", {{"contentType", "image/png"}, {"cacheExpiry", 1700000000000}}},
                  {"customMetadata", json::parse(R"([["team", "cubs"], ["a", "1"]])")}});
  const json& o = put["object"];
  EXPECT_EQ(o["key"], "a/logo.png");
  EXPECT_EQ(o["size"], 6);
  EXPECT_EQ(o["etag"].get<std::string>().size(), 32u);
  EXPECT_EQ(o["httpMetadata"],
            json({{"contentType", "image/png"}, {"cacheExpiry", 1700000000000}}));
  EXPECT_EQ(o["customMetadata"], json::parse(R"([["team", "cubs"], ["a", "1"]])"));
  EXPECT_EQ(o["storageClass"], "Standard");
  EXPECT_FALSE(put.contains("range"));

  auto got = Call("get", {{"key", "a/logo.png"}});
  ASSERT_TRUE(got.has_value());
  json reply = json::parse(got->json);
  EXPECT_EQ(reply["body"], json({{"$buffer", 0}}));
  EXPECT_EQ(reply["range"], json({{"offset", 0}, {"length", 6}}));
  ASSERT_EQ(got->buffers.size(), 1u);
  EXPECT_EQ(got->buffers[0], std::string("\x89PNG\0\xff", 6));
  EXPECT_EQ(reply["object"]["version"], o["version"]);
}

TEST_F(R2BindingTest, MissingKeysAreNull) {
  EXPECT_TRUE(Ok(Call("get", {{"key", "nope"}})).is_null());
  EXPECT_TRUE(Ok(Call("head", {{"key", "nope"}})).is_null());
}

TEST_F(R2BindingTest, RangesAndConditionsTravelAsJson) {
  json put = Put("r", "0123456789");
  auto ranged = Call("get", {{"key", "r"}, {"range", {{"suffix", 3}}}});
  ASSERT_TRUE(ranged.has_value());
  EXPECT_EQ(ranged->buffers.at(0), "789");
  auto header = Call("get", {{"key", "r"}, {"rangeHeader", "bytes=1-2"}});
  EXPECT_EQ(header->buffers.at(0), "12");
  json failed =
      Ok(Call("get", {{"key", "r"},
                      {"onlyIf", {{"etagMatches", {{{"type", "strong"}, {"value", "x"}}}}}}}));
  EXPECT_FALSE(failed.contains("body"));
  EXPECT_EQ(failed["object"]["etag"], put["object"]["etag"]);
  json refused = Ok(Call("put",
                         {{"key", "r"},
                          {"body", {{"$buffer", 0}}},
                          {"onlyIf", {{"etagDoesNotMatch", {{{"type", "wildcard"}}}}}}},
                         {"new"}));
  EXPECT_TRUE(refused.is_null());
}

TEST_F(R2BindingTest, ErrorsCarryCloudflaresTextsAndCodes) {
  auto long_key = Call("head", {{"key", std::string(1025, 'k')}});
  ASSERT_FALSE(long_key.has_value());
  EXPECT_EQ(long_key.error().message(), "The specified object name is not valid. (10020)");
  auto range = Call("get", {{"key", "r"}, {"range", {{"offset", 1}}}});
  EXPECT_TRUE(range.has_value());  // a missing key is null before any range check
  Put("r", "abc");
  range = Call("get", {{"key", "r"}, {"range", {{"offset", 5}}}});
  ASSERT_FALSE(range.has_value());
  EXPECT_EQ(range.error().message(), "The requested range is not satisfiable (10039)");
  auto limit = Call("list", {{"limit", 0}});
  ASSERT_FALSE(limit.has_value());
  EXPECT_EQ(limit.error().message(), "MaxKeys params must be positive integer <= 1000. (10022)");
  EXPECT_FALSE(Call("frobnicate", json::object()).has_value());
}

TEST_F(R2BindingTest, DeleteAndListShapes) {
  for (const char* k : {"a/1", "a/2", "b"}) Put(k, k);
  Ok(Call("delete", {{"keys", {"a/2", "missing"}}}));
  json listed = Ok(Call("list", {{"delimiter", "/"}, {"include", {"customMetadata"}}}));
  EXPECT_EQ(listed["delimitedPrefixes"], json({"a/"}));
  ASSERT_EQ(listed["objects"].size(), 1u);
  EXPECT_EQ(listed["objects"][0]["key"], "b");
  EXPECT_EQ(listed["truncated"], false);
  EXPECT_FALSE(listed.contains("cursor"));
  json page = Ok(Call("list", {{"limit", 1}}));
  EXPECT_EQ(page["truncated"], true);
  EXPECT_EQ(page["cursor"], "YS8x");  // base64("a/1")
}

TEST_F(R2BindingTest, TheBucketIsCreatedOnFirstUse) {
  auto r2 = storage_.R2().value();
  EXPECT_FALSE(r2->LookupBucket("assets").value().has_value());
  Put("k", "v");
  EXPECT_TRUE(r2->LookupBucket("assets").value().has_value());
}

}  // namespace
}  // namespace blaze::bindings
