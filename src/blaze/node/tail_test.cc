// `blaze tail` lines and subscriptions.
#include "blaze/node/tail.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace blaze::node {
namespace {

using nlohmann::json;

TEST(TailLine, HasTheDocumentedFields) {
  engine::Invocation inv;
  inv.outcome = engine::Outcome::kException;
  inv.exception = "worker.js:3:11: TypeError: x is undefined\nfetch@worker.js:3:11\n";
  inv.logs.push_back({"log", "hello", FakeClock().Now()});
  inv.cpu_time = std::chrono::microseconds(1500);
  inv.wall_time = std::chrono::microseconds(2'000'000);
  std::string text = TailLine({.finished_at = FakeClock().Now(),
                               .worker = "api",
                               .version_id = "v-1",
                               .method = "GET",
                               .url = "http://api.localhost/x?y=1",
                               .status = 500,
                               .invocation = &inv});
  EXPECT_EQ(text.find('\n'), std::string::npos);
  json line = json::parse(text);
  EXPECT_EQ(line["timestamp"], "2024-12-31T23:59:58.000Z");  // started 2 s before it finished
  EXPECT_EQ(line["worker"], "api");
  EXPECT_EQ(line["version_id"], "v-1");
  EXPECT_EQ(line["outcome"], "exception");
  EXPECT_EQ(line["request"], (json{{"method", "GET"}, {"url", "http://api.localhost/x?y=1"}}));
  EXPECT_EQ(line["response"]["status"], 500);
  EXPECT_EQ(line["logs"][0]["level"], "log");
  EXPECT_EQ(line["logs"][0]["message"], "hello");
  EXPECT_EQ(line["exceptions"][0]["name"], "TypeError");
  EXPECT_EQ(line["exceptions"][0]["message"], "x is undefined");
  EXPECT_DOUBLE_EQ(line["cpu_ms"].get<double>(), 1.5);
  EXPECT_DOUBLE_EQ(line["wall_ms"].get<double>(), 2000.0);
}

TEST(TailLine, SurvivesBytesThatAreNotUtf8) {
  engine::Invocation inv;
  inv.logs.push_back({"log", std::string("bad \xff byte"), FakeClock().Now()});
  std::string text = TailLine({.finished_at = FakeClock().Now(), .invocation = &inv});
  EXPECT_NO_THROW(json::parse(text));
}

TEST(TailHub, SubscribersGetLinesUntilTheirSubscriptionIsDestroyed) {
  TailHub hub;
  std::shared_ptr<TailChannel> channel = hub.Channel("api");
  EXPECT_FALSE(channel->subscribed());
  std::vector<std::string> a, b;
  auto sub_a = hub.Subscribe("api", [&](const std::string& l) { a.push_back(l); });
  auto sub_b = hub.Subscribe("api", [&](const std::string& l) { b.push_back(l); });
  auto other = hub.Subscribe("web", [&](const std::string&) { ADD_FAILURE(); });
  EXPECT_TRUE(channel->subscribed());
  channel->Publish("1");
  sub_a.reset();
  channel->Publish("2");
  sub_b.reset();
  EXPECT_FALSE(channel->subscribed());
  channel->Publish("3");
  EXPECT_EQ(a, std::vector<std::string>{"1"});
  EXPECT_EQ(b, (std::vector<std::string>{"1", "2"}));
}

}  // namespace
}  // namespace blaze::node
