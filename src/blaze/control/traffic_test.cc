#include "blaze/control/traffic.h"

#include <gtest/gtest.h>

namespace blaze::control {
namespace {

std::string ErrorText(const Status& s) { return s.has_value() ? "" : s.error().message(); }

TEST(Traffic, OneOrTwoVersionsSummingToOneHundred) {
  EXPECT_TRUE(ValidateTraffic({{"a", 100}}).has_value());
  EXPECT_TRUE(ValidateTraffic({{"a", 90}, {"b", 10}}).has_value());
  EXPECT_TRUE(ValidateTraffic({{"a", 33.333}, {"b", 66.667}}).has_value());
  EXPECT_TRUE(ValidateTraffic({{"a", 0}, {"b", 100}}).has_value());
  EXPECT_NE(ErrorText(ValidateTraffic({})).find("at least 1 version"), std::string::npos);
  EXPECT_NE(ErrorText(ValidateTraffic({{"a", 90}, {"b", 5}})).find("add up to 95%"),
            std::string::npos);
  EXPECT_NE(ErrorText(ValidateTraffic({{"a", 50}, {"b", 30}, {"c", 20}}))
                .find("at most 2 versions (got 3)"),
            std::string::npos);
  EXPECT_NE(ErrorText(ValidateTraffic({{"a", 50}, {"a", 50}})).find("named twice"),
            std::string::npos);
  EXPECT_NE(ErrorText(ValidateTraffic({{"a", 120}, {"b", -20}})).find("between 0 and 100"),
            std::string::npos);
}

TEST(Traffic, ParsesWranglerVersionSpecs) {
  auto t = ParseVersionSpecs({"aaa@90%", "bbb@10%"}).value();
  EXPECT_EQ(t, (std::vector<TrafficShare>{{"aaa", 90}, {"bbb", 10}}));
  t = ParseVersionSpecs({"aaa@75", "bbb"}).value();  // the rest goes to the unassigned one
  EXPECT_EQ(t, (std::vector<TrafficShare>{{"aaa", 75}, {"bbb", 25}}));
  t = ParseVersionSpecs({"aaa"}).value();
  EXPECT_EQ(t, (std::vector<TrafficShare>{{"aaa", 100}}));
  auto bad = ParseVersionSpecs({"aaa@ninety"});
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message().find("'aaa@ninety' is not <version-id>@<percentage>%"),
            std::string::npos);
  EXPECT_FALSE(ParseVersionSpecs({"aaa@60%", "bbb@60%"}).has_value());
}

TEST(Traffic, FormatsPercentagesLikeWrangler) {
  EXPECT_EQ(FormatPercentage(90), "90");
  EXPECT_EQ(FormatPercentage(33.33333), "33.333");
  EXPECT_EQ(FormatPercentage(12.5), "12.5");
}

}  // namespace
}  // namespace blaze::control
