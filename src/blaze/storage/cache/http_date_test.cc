#include "blaze/storage/cache/http_date.h"

#include <gtest/gtest.h>

namespace blaze::cache {
namespace {

using std::chrono::seconds;

Clock::WallTime At(std::int64_t unix_seconds) { return Clock::WallTime(seconds(unix_seconds)); }

TEST(HttpDate, ParsesTheThreeFormsOfRfc9110) {
  const auto expected = At(784111777);  // 1994-11-06T08:49:37Z
  EXPECT_EQ(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"), expected);
  EXPECT_EQ(ParseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT"), expected);
  EXPECT_EQ(ParseHttpDate("Sun Nov  6 08:49:37 1994"), expected);
  EXPECT_EQ(ParseHttpDate("  Sun, 06 Nov 1994 08:49:37 GMT "), expected);
}

TEST(HttpDate, RefusesWhatIsNotADate) {
  for (const char* bad :
       {"", "garbage", "Sun, 06 Nov 1994 08:49:37", "Sun, 31 Feb 2024 00:00:00 GMT",
        "Sun, 06 Nov 1994 25:00:00 GMT", "Sun, 6 Nov 1994 08:49:37 GMT",
        "Xyz, 06 Nov 1994 08:49:37 GMT", "1735689600"}) {
    EXPECT_FALSE(ParseHttpDate(bad).has_value()) << bad;
  }
}

TEST(HttpDate, FormatsImfFixdateAndReadsItBack) {
  EXPECT_EQ(FormatHttpDate(At(1735689600)), "Wed, 01 Jan 2025 00:00:00 GMT");
  auto t = At(1764352553) + std::chrono::milliseconds(900);
  EXPECT_EQ(FormatHttpDate(t), "Fri, 28 Nov 2025 17:55:53 GMT");
  EXPECT_EQ(ParseHttpDate(FormatHttpDate(t)), At(1764352553));
}

}  // namespace
}  // namespace blaze::cache
