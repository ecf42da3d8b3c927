// The routing snapshot's pieces: Cloudflare's version-override header, the cumulative shares of
// a gradual deployment and the pick between them.
#include "blaze/node/routing.h"

#include <gtest/gtest.h>

namespace blaze::node {
namespace {

constexpr const char* kV1 = "aaaaaaaa-0000-4000-8000-000000000001";
constexpr const char* kV2 = "bbbbbbbb-0000-4000-8000-000000000002";

WorkerRoute Split(double first, double second) {
  WorkerRoute route;
  std::vector<std::uint32_t> upto = CumulativeShares({first, second});
  route.shares.push_back({.version_id = kV1, .upto = upto[0]});
  route.shares.push_back({.version_id = kV2, .upto = upto[1]});
  return route;
}

TEST(VersionOverride, FindsTheWorkersMemberOfTheDictionary) {
  EXPECT_EQ(FindVersionOverride(R"(api="v-1")", "api"), "v-1");
  EXPECT_EQ(FindVersionOverride(R"(other="x", api="v-2";p=1, third="y")", "api"), "v-2");
  EXPECT_EQ(FindVersionOverride(R"(  api = "v-3")", "api"), std::nullopt);  // not SF syntax
  EXPECT_EQ(FindVersionOverride(R"(api=v-4)", "api"), "v-4");               // a token, leniently
  EXPECT_EQ(FindVersionOverride(R"(api="a\"b")", "api"), "a\"b");
  EXPECT_EQ(FindVersionOverride(R"(api="x", api="y")", "api"), "y");  // the last one wins
}

TEST(VersionOverride, IgnoresOtherWorkersAndMalformedMembers) {
  EXPECT_EQ(FindVersionOverride(R"(apix="v-1")", "api"), std::nullopt);
  EXPECT_EQ(FindVersionOverride(R"(x="a,api=b", y=1)", "api"), std::nullopt);
  EXPECT_EQ(FindVersionOverride(R"(api)", "api"), std::nullopt);  // a boolean member
  EXPECT_EQ(FindVersionOverride(R"(api="unterminated)", "api"), std::nullopt);
  EXPECT_EQ(FindVersionOverride("", "api"), std::nullopt);
  EXPECT_EQ(FindVersionOverride(",,,", "api"), std::nullopt);
}

TEST(CumulativeShares, CoverTheWholeScaleWhateverTheRounding) {
  EXPECT_EQ(CumulativeShares({100}), std::vector<std::uint32_t>{kShareScale});
  EXPECT_EQ(CumulativeShares({90, 10}), (std::vector<std::uint32_t>{900'000, kShareScale}));
  EXPECT_EQ(CumulativeShares({33.333, 66.667}), (std::vector<std::uint32_t>{333'330, kShareScale}));
  EXPECT_EQ(CumulativeShares({0, 100}), (std::vector<std::uint32_t>{0, kShareScale}));
  EXPECT_EQ(CumulativeShares({100, 0}), (std::vector<std::uint32_t>{kShareScale, kShareScale}));
}

TEST(PickShare, SplitsByTheDrawAndHonoursAPinnedVersionOfTheDeployment) {
  WorkerRoute route = Split(90, 10);
  EXPECT_EQ(PickShare(route, "api", "", 0).version_id, kV1);
  EXPECT_EQ(PickShare(route, "api", "", 899'999).version_id, kV1);
  EXPECT_EQ(PickShare(route, "api", "", 900'000).version_id, kV2);
  EXPECT_EQ(PickShare(route, "api", "", kShareScale - 1).version_id, kV2);

  std::string pin_v2 = std::string("api=\"") + kV2 + "\"";
  EXPECT_EQ(PickShare(route, "api", pin_v2, 0).version_id, kV2);
  // Pinned to a version outside the deployment, or for another worker: ignored.
  EXPECT_EQ(PickShare(route, "api", R"(api="cccccccc-0000-4000-8000-000000000003")", 0).version_id,
            kV1);
  EXPECT_EQ(PickShare(route, "web", pin_v2, 0).version_id, kV1);
}

TEST(PickShare, AZeroShareIsNeverDrawnButCanBePinned) {
  WorkerRoute route = Split(100, 0);
  SplitRng rng(7);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(PickShare(route, "api", "", rng.Next()).version_id, kV1);
  EXPECT_EQ(PickShare(route, "api", std::string("api=\"") + kV2 + "\"", 0).version_id, kV2);
}

TEST(SplitRng, ASeededRngSplitsCloseToTheShares) {
  WorkerRoute route = Split(90, 10);
  SplitRng rng(42);
  int second = 0;
  for (int i = 0; i < 100'000; ++i)
    second += PickShare(route, "api", "", rng.Next()).version_id == kV2;
  EXPECT_NEAR(second, 10'000, 500);  // deterministic for the seed; ~5 standard deviations
}

}  // namespace
}  // namespace blaze::node
