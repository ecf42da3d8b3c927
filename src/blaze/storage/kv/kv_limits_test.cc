// The messages here are Cloudflare's, as `wrangler dev` (workerd) returned them.
#include "blaze/storage/kv/kv_limits.h"

#include <gtest/gtest.h>

#include <limits>

namespace blaze::kv {
namespace {

std::string MessageOf(const Status& s) { return s.has_value() ? "<ok>" : s.error().message(); }

TEST(KvLimits, KeyNamesFollowCloudflare) {
  EXPECT_TRUE(ValidateKey(Op::kGet, "k").has_value());
  EXPECT_TRUE(ValidateKey(Op::kPut, std::string(512, 'k')).has_value());
  EXPECT_EQ(MessageOf(ValidateKey(Op::kGet, "")), "Key name cannot be empty.");
  EXPECT_EQ(MessageOf(ValidateKey(Op::kPut, ".")), "\".\" is not allowed as a key name.");
  EXPECT_EQ(MessageOf(ValidateKey(Op::kDelete, "..")), "\"..\" is not allowed as a key name.");
  EXPECT_EQ(MessageOf(ValidateKey(Op::kPut, std::string(513, 'k'))),
            "KV PUT failed: 414 UTF-8 encoded length of 513 exceeds key length limit of 512.");
  EXPECT_EQ(MessageOf(ValidateKey(Op::kGetBulk, std::string(513, 'k'))),
            "KV GET_BULK failed: 414 UTF-8 encoded length of 513 exceeds key length limit of 512.");
  auto s = ValidateKey(Op::kGet, "");
  EXPECT_EQ(s.error().code(), ErrorCode::kInvalidArgument);
}

TEST(KvLimits, ValueAndMetadataSizes) {
  EXPECT_TRUE(ValidateValueSize(25 * 1024 * 1024).has_value());
  EXPECT_EQ(MessageOf(ValidateValueSize(26214401)),
            "KV PUT failed: 413 Value length of 26214401 exceeds limit of 26214400.");
  EXPECT_TRUE(ValidateMetadata("\"" + std::string(1022, 'x') + "\"").has_value());
  EXPECT_EQ(MessageOf(ValidateMetadata("\"" + std::string(1023, 'x') + "\"")),
            "KV PUT failed: 413 Metadata length of 1025 exceeds limit of 1024.");
  EXPECT_FALSE(ValidateMetadata("{not json").has_value());
}

TEST(KvLimits, ExpirationsAndTtls) {
  const std::int64_t now = 1'795'887'133;
  EXPECT_EQ(*ResolveExpiration(std::nullopt, std::nullopt, now), std::nullopt);
  EXPECT_EQ(*ResolveExpiration(now + 60, std::nullopt, now), now + 60);
  EXPECT_EQ(*ResolveExpiration(std::nullopt, 60, now), now + 60);
  EXPECT_EQ(*ResolveExpiration(now + 1000, 500, now), now + 500);  // the TTL wins
  EXPECT_EQ(*ResolveExpiration(std::nullopt, std::numeric_limits<std::int64_t>::max(), now),
            std::numeric_limits<std::int64_t>::max());  // saturates, no overflow
  auto message = [&](std::optional<std::int64_t> e, std::optional<std::int64_t> t) {
    auto r = ResolveExpiration(e, t, now);
    return r.has_value() ? std::string("<ok>") : r.error().message();
  };
  EXPECT_EQ(message(now + 59, std::nullopt),
            "KV PUT failed: 400 Invalid expiration of 1795887192. Expiration times must be at "
            "least 60 seconds in the future.");
  EXPECT_EQ(message(now, std::nullopt),
            "KV PUT failed: 400 Invalid expiration of 1795887133. Please specify integer greater "
            "than the current number of seconds since the UNIX epoch.");
  EXPECT_EQ(message(0, std::nullopt),
            "KV PUT failed: 400 Invalid expiration of 0. Please specify integer greater than the "
            "current number of seconds since the UNIX epoch.");
  EXPECT_EQ(message(std::nullopt, 59),
            "KV PUT failed: 400 Invalid expiration_ttl of 59. Expiration TTL must be at least 60.");
  EXPECT_EQ(
      message(std::nullopt, 0),
      "KV PUT failed: 400 Invalid expiration_ttl of 0. Please specify integer greater than 0.");
  EXPECT_EQ(message(std::nullopt, -5),
            "KV PUT failed: 400 Invalid expiration_ttl of -5. Please specify integer greater than "
            "0.");
}

TEST(KvLimits, CacheTtlAndListLimit) {
  EXPECT_TRUE(ValidateCacheTtl(std::nullopt).has_value());
  EXPECT_TRUE(ValidateCacheTtl(30).has_value());
  EXPECT_EQ(MessageOf(ValidateCacheTtl(10)),
            "KV GET failed: 400 Invalid cache_ttl of 10. Cache TTL must be at least 30.");
  EXPECT_EQ(*ResolveListLimit(0), 1000);
  EXPECT_EQ(*ResolveListLimit(-1), 1000);
  EXPECT_EQ(*ResolveListLimit(1000), 1000);
  EXPECT_EQ(*ResolveListLimit(2), 2);
  EXPECT_EQ(ResolveListLimit(1001).error().message(),
            "KV GET failed: 400 Invalid key_count_limit of 1001. Please specify an integer less "
            "than 1000.");
}

}  // namespace
}  // namespace blaze::kv
