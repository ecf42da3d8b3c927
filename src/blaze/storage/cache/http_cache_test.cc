#include "blaze/storage/cache/http_cache.h"

#include <gtest/gtest.h>

#include "blaze/storage/cache/http_date.h"

namespace blaze::cache {
namespace {

using std::chrono::seconds;

const Clock::WallTime kNow = Clock::WallTime(seconds(1735689600));  // 2025-01-01T00:00:00Z

StorePlan Plan(HeaderList headers, int status = 200, bool authorization = false) {
  auto plan = PlanStore(status, headers, authorization, kNow);
  EXPECT_TRUE(plan.has_value()) << plan.error().ToString();
  return plan ? *plan : StorePlan{};
}

// The Cache-Control cases of tests/workers/scenarios/cache, as wrangler dev answered them.
TEST(PlanStore, FollowsCacheControlAsWranglerDevDoes) {
  struct Case {
    HeaderList headers;
    std::int64_t ttl;  // 0: not stored
  } cases[] = {
      {{}, 0},
      {{{"cache-control", "max-age=60"}}, 60},
      {{{"cache-control", "s-maxage=60"}}, 60},
      {{{"cache-control", "max-age=0"}}, 0},
      {{{"cache-control", "no-store"}}, 0},
      {{{"cache-control", "no-cache"}}, 0},
      {{{"cache-control", "max-age=100, no-cache=\"x\""}}, 0},
      {{{"cache-control", "private"}}, 0},
      {{{"cache-control", "private=\"x-a\", max-age=60"}}, 0},
      {{{"cache-control", "public"}}, 0},
      {{{"cache-control", "max-age=60"}, {"set-cookie", "a=b"}}, 0},
      {{{"cache-control", "s-maxage=2, max-age=100"}}, 2},
      {{{"cache-control", "s-maxage=100, max-age=2"}}, 100},
      {{{"cache-control", "max-age=100, s-maxage=0"}}, 0},
      {{{"cache-control", "max-age = 100"}}, 100},
      {{{"cache-control", "max-age=\"100\""}}, 100},
      {{{"cache-control", "max-age=abc"}}, 0},
      {{{"cache-control", "max-age=100"}, {"age", "50"}}, 50},
      {{{"cache-control", "max-age=100, must-revalidate"}}, 100},
      {{{"expires", "Wed, 01 Jan 2025 01:00:00 GMT"}}, 3600},
      {{{"expires", "Tue, 31 Dec 2024 23:00:00 GMT"}}, 0},
      {{{"expires", "garbage"}}, 0},
      {{{"cache-control", "max-age=60"}, {"expires", "Tue, 31 Dec 2024 23:00:00 GMT"}}, 60},
      {{{"cache-control", "MAX-AGE=60"}}, 60},  // RFC 9111; Miniflare matches names exactly
  };
  for (const Case& c : cases) {
    StorePlan plan = Plan(c.headers);
    std::string what = c.headers.empty() ? "(no headers)" : c.headers[0].second;
    EXPECT_EQ(plan.store, c.ttl > 0) << what;
    EXPECT_EQ(plan.ttl.count(), c.ttl) << what;
  }
}

TEST(PlanStore, RefusesRangeResponsesAndVaryStarWithWorkerdsMessages) {
  auto partial = PlanStore(206, {{"cache-control", "max-age=60"}}, false, kNow);
  ASSERT_FALSE(partial.has_value());
  EXPECT_EQ(partial.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(partial.error().message(),
            "Cannot cache response to a range request (206 Partial Content).");
  for (const char* vary : {"*", "Accept, *"}) {
    auto star = PlanStore(200, {{"vary", vary}}, false, kNow);
    ASSERT_FALSE(star.has_value()) << vary;
    EXPECT_EQ(star.error().message(), "Cannot cache response with 'Vary: *' header.");
  }
  EXPECT_TRUE(Plan({{"cache-control", "max-age=60"}, {"vary", "Accept"}}).store);
}

TEST(PlanStore, KeepsOnlyTheStatusesWranglerDevKeeps) {
  for (int status : {200, 203, 300, 301, 302, 303, 307, 308, 404, 405, 410, 414, 501}) {
    EXPECT_TRUE(Plan({{"cache-control", "max-age=60"}}, status).store) << status;
  }
  for (int status : {201, 202, 204, 304, 400, 403, 418, 500, 503}) {
    EXPECT_FALSE(Plan({{"cache-control", "max-age=60"}}, status).store) << status;
  }
}

TEST(PlanStore, PrivateSetCookieKeepsTheResponseWithoutItsCookies) {
  StorePlan plan = Plan(
      {{"cache-control", "max-age=60, private=Set-Cookie"}, {"set-cookie", "a=1"}, {"x-b", "2"}});
  ASSERT_TRUE(plan.store);
  EXPECT_EQ(plan.headers,
            (HeaderList{{"cache-control", "max-age=60, private=Set-Cookie"}, {"x-b", "2"}}));
}

TEST(PlanStore, AnAuthorizedRequestNeedsPublicSMaxageOrMustRevalidate) {
  EXPECT_FALSE(Plan({{"cache-control", "max-age=60"}}, 200, true).store);
  EXPECT_TRUE(Plan({{"cache-control", "public, max-age=60"}}, 200, true).store);
  EXPECT_TRUE(Plan({{"cache-control", "s-maxage=60"}}, 200, true).store);
  EXPECT_TRUE(Plan({{"cache-control", "max-age=60, must-revalidate"}}, 200, true).store);
}

TEST(PlanStore, DropsTheHeadersEveryHitRecomputes) {
  StorePlan plan = Plan({{"cache-control", "max-age=60"},
                         {"age", "7"},
                         {"date", "x"},
                         {"cf-cache-status", "MISS"},
                         {"content-length", "3"},
                         {"etag", "\"v\""}});
  EXPECT_EQ(plan.initial_age, 7);
  EXPECT_EQ(plan.headers, (HeaderList{{"cache-control", "max-age=60"}, {"etag", "\"v\""}}));
}

StoredResponse Stored(std::string body, HeaderList headers = {}) {
  return StoredResponse{200, std::move(headers), std::move(body), 0, kNow, kNow + seconds(60)};
}

TEST(ServeHit, AddsAgeDateStatusAndLength) {
  StoredResponse s = Stored("hello", {{"cache-control", "max-age=60"}, {"x-a", "1"}});
  s.initial_age = 5;
  HitResponse hit = ServeHit(s, {}, kNow + seconds(12) + std::chrono::milliseconds(999));
  EXPECT_EQ(hit.status, 200);
  EXPECT_EQ(hit.body, "hello");
  EXPECT_EQ(hit.headers, (HeaderList{{"cache-control", "max-age=60"},
                                     {"x-a", "1"},
                                     {"age", "17"},
                                     {"date", "Wed, 01 Jan 2025 00:00:00 GMT"},
                                     {"cf-cache-status", "HIT"},
                                     {"content-length", "5"}}));
}

TEST(ServeHit, ConditionalRequestsGet304WithoutABody) {
  StoredResponse s = Stored(
      "0123456789", {{"etag", "\"v1\""}, {"last-modified", "Wed, 21 Oct 2015 07:28:00 GMT"}});
  auto status = [&](HeaderList request) { return ServeHit(s, request, kNow).status; };
  EXPECT_EQ(status({{"if-none-match", "\"v1\""}}), 304);
  EXPECT_EQ(status({{"if-none-match", "W/\"v1\""}}), 304);
  EXPECT_EQ(status({{"if-none-match", "\"a\", \"v1\""}}), 304);
  EXPECT_EQ(status({{"if-none-match", "*"}}), 304);
  EXPECT_EQ(status({{"if-none-match", "\"v2\""}}), 200);
  EXPECT_EQ(status({{"if-modified-since", "Wed, 21 Oct 2015 07:28:00 GMT"}}), 304);
  EXPECT_EQ(status({{"if-modified-since", "Thu, 22 Oct 2015 07:28:00 GMT"}}), 304);
  EXPECT_EQ(status({{"if-modified-since", "Tue, 20 Oct 2015 07:28:00 GMT"}}), 200);
  EXPECT_EQ(status({{"if-modified-since", "garbage"}}), 200);
  HitResponse not_modified = ServeHit(s, {{"if-none-match", "\"v1\""}}, kNow);
  EXPECT_EQ(not_modified.body, "");
  EXPECT_EQ(HeaderValue(not_modified.headers, "content-length"), "10");
  // Without an ETag or Last-Modified there is nothing to compare.
  StoredResponse bare = Stored("abc");
  EXPECT_EQ(ServeHit(bare, {{"if-none-match", "*"}}, kNow).status, 200);
  EXPECT_EQ(ServeHit(bare, {{"if-modified-since", "Thu, 22 Oct 2025 07:28:00 GMT"}}, kNow).status,
            200);
}

TEST(ServeHit, OneByteRangeIsA206) {
  StoredResponse s = Stored("0123456789");
  struct Case {
    const char* range;
    const char* content_range;
    const char* body;
  } cases[] = {{"bytes=0-3", "bytes 0-3/10", "0123"},
               {"bytes=-3", "bytes 7-9/10", "789"},
               {"bytes=7-", "bytes 7-9/10", "789"},
               {"bytes=5-100", "bytes 5-9/10", "56789"}};
  for (const Case& c : cases) {
    HitResponse hit = ServeHit(s, {{"range", c.range}}, kNow);
    EXPECT_EQ(hit.status, 206) << c.range;
    EXPECT_EQ(hit.body, c.body) << c.range;
    EXPECT_EQ(HeaderValue(hit.headers, "content-range"), c.content_range) << c.range;
    EXPECT_EQ(HeaderValue(hit.headers, "content-length"),
              std::to_string(std::string(c.body).size()));
  }
}

TEST(ServeHit, AnUnsatisfiableRangeIsA416AndSeveralRangesTheWhole200) {
  StoredResponse s = Stored("0123456789", {{"x-a", "1"}});
  for (const char* range : {"bytes=20-30", "items=0-1", "bytes=5-2", "bytes=-0"}) {
    HitResponse hit = ServeHit(s, {{"range", range}}, kNow);
    EXPECT_EQ(hit.status, 416) << range;
    EXPECT_EQ(hit.headers,
              (HeaderList{{"content-range", "bytes */10"}, {"cf-cache-status", "HIT"}}));
    EXPECT_EQ(hit.body, "");
  }
  HitResponse many = ServeHit(s, {{"range", "bytes=0-1, 4-5"}}, kNow);
  EXPECT_EQ(many.status, 200);
  EXPECT_EQ(many.body, "0123456789");
}

TEST(ParseCacheControl, LowerCasesNamesAndUnquotesValues) {
  auto cc = ParseCacheControl(" Max-Age = 60 ,private=\"set-cookie, x\",no-store,");
  ASSERT_EQ(cc.size(), 3u);
  EXPECT_EQ(cc[0].name, "max-age");
  EXPECT_EQ(cc[0].value, "60");
  EXPECT_EQ(cc[1].name, "private");
  EXPECT_EQ(cc[1].value, "set-cookie, x");
  EXPECT_EQ(cc[2].name, "no-store");
  EXPECT_FALSE(cc[2].value.has_value());
}

}  // namespace
}  // namespace blaze::cache
