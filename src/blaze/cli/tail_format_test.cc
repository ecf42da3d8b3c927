#include "blaze/cli/tail_format.h"

#include <gtest/gtest.h>

namespace blaze::cli {
namespace {

nlohmann::json Event(const std::string& method, int status, const std::string& outcome) {
  return {{"timestamp", "2026-11-28T21:00:00.000Z"},
          {"worker", "scores-api"},
          {"version_id", "v1"},
          {"outcome", outcome},
          {"request", {{"method", method}, {"url", "http://scores-api.localhost/api/auth"}}},
          {"response", {{"status", status}}},
          {"logs", {{{"level", "log"}, {"message", "auth ok for user 7"}}}},
          {"exceptions", nlohmann::json::array()},
          {"cpu_ms", 0.4},
          {"wall_ms", 1.2}};
}

TEST(TailFormat, PrettyIsWranglersShapeWithOneLinePerLog) {
  auto event = Event("GET", 200, "ok");
  EXPECT_EQ(FormatTailEvent(event, TailFormat::kPretty),
            "GET http://scores-api.localhost/api/auth - Ok (200) @ 2026-11-28T21:00:00.000Z\n"
            "  (log) auth ok for user 7\n");
  event["outcome"] = "exception";
  event["exceptions"] = {"Error: boom"};
  EXPECT_EQ(FormatTailEvent(event, TailFormat::kPretty),
            "GET http://scores-api.localhost/api/auth - Exception Thrown (200) @ "
            "2026-11-28T21:00:00.000Z\n  (log) auth ok for user 7\n  \u2718 Error: boom\n");
}

TEST(TailFormat, JsonIsTheEventOnOneLine) {
  auto event = Event("GET", 200, "ok");
  std::string line = FormatTailEvent(event, TailFormat::kJson);
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  EXPECT_EQ(nlohmann::json::parse(line), event);
}

TEST(TailFormat, FiltersByStatusMethodAndSearch) {
  auto ok = Event("GET", 200, "ok");
  auto failed = Event("POST", 500, "ok");
  auto thrown = Event("GET", 500, "exception");
  TailFilter errors{.status = "error"};
  EXPECT_FALSE(TailMatches(ok, errors));
  EXPECT_TRUE(TailMatches(failed, errors));
  EXPECT_TRUE(TailMatches(thrown, errors));
  TailFilter oks{.status = "ok"};
  EXPECT_TRUE(TailMatches(ok, oks));
  EXPECT_FALSE(TailMatches(thrown, oks));

  TailFilter posts{.methods = {"post"}};
  EXPECT_FALSE(TailMatches(ok, posts));
  EXPECT_TRUE(TailMatches(failed, posts));

  EXPECT_TRUE(TailMatches(ok, {.search = "user 7"}));      // a log message
  EXPECT_TRUE(TailMatches(ok, {.search = "/api/auth"}));   // the URL
  EXPECT_FALSE(TailMatches(ok, {.search = "user 8"}));
  EXPECT_TRUE(TailMatches(ok, {}));
}

TEST(TailFormat, ToleratesEventsWithMissingFields) {
  nlohmann::json bare = nlohmann::json::object();
  EXPECT_EQ(FormatTailEvent(bare, TailFormat::kPretty), "(no request) - Unknown @ \n");
  EXPECT_FALSE(TailMatches(bare, {.status = "ok"}));
  EXPECT_FALSE(TailMatches(bare, {.methods = {"GET"}}));
}

}  // namespace
}  // namespace blaze::cli
