#include "blaze/base/cron.h"

#include <gtest/gtest.h>

#include <chrono>
#include <random>

namespace blaze {
namespace {

using namespace std::chrono;

Clock::WallTime At(int y, unsigned mo, unsigned d, int h = 0, int mi = 0) {
  return time_point_cast<Clock::WallTime::duration>(sys_days(year(y) / month(mo) / day(d)) +
                                                    hours(h) + minutes(mi));
}

CronSchedule MustParse(std::string_view text) {
  auto s = CronSchedule::Parse(text);
  EXPECT_TRUE(s.has_value()) << text << ": " << s.error().message();
  return *s;
}

std::string Next(std::string_view expr, Clock::WallTime from) {
  auto next = MustParse(expr).NextAfter(from);
  if (!next) return "never";
  return FormatIso8601(*next);
}

TEST(CronSchedule, EveryMinuteFiresOnTheNextMinuteBoundary) {
  EXPECT_EQ(Next("* * * * *", At(2025, 1, 1, 0, 0)), "2025-01-01T00:01:00.000Z");
  auto mid_minute = At(2025, 1, 1, 0, 0) + seconds(30);
  EXPECT_EQ(Next("* * * * *", mid_minute), "2025-01-01T00:01:00.000Z");
  EXPECT_TRUE(MustParse("* * * * *").Matches(mid_minute));
}

TEST(CronSchedule, StepsRangesAndListsFollowCloudflare) {
  EXPECT_EQ(Next("*/30 * * * *", At(2025, 1, 1, 0, 5)), "2025-01-01T00:30:00.000Z");
  EXPECT_EQ(Next("*/30 * * * *", At(2025, 1, 1, 0, 30)), "2025-01-01T01:00:00.000Z");
  EXPECT_EQ(Next("45 * * * *", At(2025, 1, 1, 23, 50)), "2025-01-02T00:45:00.000Z");
  EXPECT_EQ(Next("0 9-17/4 * * *", At(2025, 1, 1, 9, 0)), "2025-01-01T13:00:00.000Z");
  EXPECT_EQ(Next("5,10,50 * * * *", At(2025, 1, 1, 0, 10)), "2025-01-01T00:50:00.000Z");
  EXPECT_EQ(Next("10/20 * * * *", At(2025, 1, 1, 0, 31)), "2025-01-01T00:50:00.000Z");
  // Ranges wrap around the field.
  EXPECT_EQ(Next("0 22-2 * * *", At(2025, 1, 1, 3, 0)), "2025-01-01T22:00:00.000Z");
  EXPECT_EQ(Next("0 22-2 * * *", At(2025, 1, 1, 23, 0)), "2025-01-02T00:00:00.000Z");
}

TEST(CronSchedule, WeekdaysCountFromSundayAsOne) {
  // 2025-01-01 is a Wednesday.
  EXPECT_EQ(Next("0 17 * * sun", At(2025, 1, 1)), "2025-01-05T17:00:00.000Z");
  EXPECT_EQ(Next("0 17 * * 1", At(2025, 1, 1)), "2025-01-05T17:00:00.000Z");
  EXPECT_EQ(Next("10 7 * * mon-fri", At(2025, 1, 3, 8, 0)), "2025-01-06T07:10:00.000Z");
  EXPECT_EQ(Next("10 7 * * 2-6", At(2025, 1, 3, 8, 0)), "2025-01-06T07:10:00.000Z");
  EXPECT_EQ(Next("0 0 * * FRI-MON", At(2025, 1, 1)), "2025-01-03T00:00:00.000Z");
  EXPECT_EQ(Next("0 0 * * L", At(2025, 1, 1)), "2025-01-04T00:00:00.000Z");  // Saturday
}

TEST(CronSchedule, MonthNamesAndDaysOfMonth) {
  EXPECT_EQ(Next("0 15 1 * *", At(2025, 1, 1, 16, 0)), "2025-02-01T15:00:00.000Z");
  EXPECT_EQ(Next("0 0 1 jan,Jul *", At(2025, 2, 1)), "2025-07-01T00:00:00.000Z");
  EXPECT_EQ(Next("0 0 31 * *", At(2025, 1, 31, 1, 0)), "2025-03-31T00:00:00.000Z");
  EXPECT_EQ(Next("0 0 29 2 *", At(2025, 1, 1)), "2028-02-29T00:00:00.000Z");
}

TEST(CronSchedule, LastDaysAndNearestWeekdays) {
  EXPECT_EQ(Next("0 0 L * *", At(2025, 2, 1)), "2025-02-28T00:00:00.000Z");
  EXPECT_EQ(Next("0 0 L-2 * *", At(2025, 2, 1)), "2025-02-26T00:00:00.000Z");
  // May 2025 ends on a Saturday: the last weekday is Friday the 30th.
  EXPECT_EQ(Next("59 23 LW * *", At(2025, 5, 1)), "2025-05-30T23:59:00.000Z");
  // 2025-03-15 is a Saturday: 15W is Friday the 14th; 2025-06-01 is a Sunday: 1W is the 2nd.
  EXPECT_EQ(Next("0 0 15W 3 *", At(2025, 1, 1)), "2025-03-14T00:00:00.000Z");
  EXPECT_EQ(Next("0 0 1W 6 *", At(2025, 1, 1)), "2025-06-02T00:00:00.000Z");
  // 2025-11-01 is a Saturday: 1W does not leave the month, so it is Monday the 3rd.
  EXPECT_EQ(Next("0 0 1W 11 *", At(2025, 1, 1)), "2025-11-03T00:00:00.000Z");
}

TEST(CronSchedule, LastAndNthWeekdayOfTheMonth) {
  // 6PM on the last Friday of the month (Cloudflare's own example, both spellings).
  EXPECT_EQ(Next("0 18 * * 6L", At(2025, 1, 1)), "2025-01-31T18:00:00.000Z");
  EXPECT_EQ(Next("0 18 * * friL", At(2025, 2, 1)), "2025-02-28T18:00:00.000Z");
  EXPECT_EQ(Next("0 10 * * MON#2", At(2025, 1, 1)), "2025-01-13T10:00:00.000Z");
  EXPECT_EQ(Next("0 10 * * 2#5", At(2025, 1, 1)), "2025-03-31T10:00:00.000Z");
}

TEST(CronSchedule, RestrictedDayOfMonthAndWeekdayFireOnEither) {
  // The 15th, or any Monday.
  auto s = MustParse("0 0 15 * MON");
  EXPECT_EQ(FormatIso8601(*s.NextAfter(At(2025, 1, 7))), "2025-01-13T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(*s.NextAfter(At(2025, 1, 13, 1))), "2025-01-15T00:00:00.000Z");
}

TEST(CronSchedule, MatchesChecksEveryField) {
  auto s = MustParse("30 12 * 3 *");
  EXPECT_TRUE(s.Matches(At(2025, 3, 9, 12, 30) + seconds(59)));
  EXPECT_FALSE(s.Matches(At(2025, 3, 9, 12, 31)));
  EXPECT_FALSE(s.Matches(At(2025, 4, 9, 12, 30)));
  EXPECT_EQ(s.expression(), "30 12 * 3 *");
}

TEST(CronSchedule, ErrorsNameTheExpressionAndTheField) {
  struct Case {
    const char* expr;
    const char* needle;
  } cases[] = {
      {"0 25 * * *", "hour 25 is out of range 0-23"},
      {"* * * *", "has 4 fields"},
      {"0 0 * * * *", "has 6 fields"},
      {"61 * * * *", "minute 61 is out of range 0-59"},
      {"*/0 * * * *", "minute step 0 is out of range 1-59"},
      {"* * * FOO *", "month \"FOO\" is not a month"},
      {"* * * * 0", "day-of-week 0 is out of range 1-7 (1 = Sunday"},
      {"* * * * MON#6", "occurrence #6 is out of range 1-5"},
      {"* * 0 * *", "day-of-month 0 is out of range 1-31"},
      {"* * 1,LW * *", "is not understood"},
      {"* * L-31 * *", "L-31 is out of range 1-30"},
      {"0 0 30 2 *", "never fires"},
      {"a * * * *", "minute value \"a\" is not a number"},
      {"1,,2 * * * *", "empty list item"},
      {"@daily", "has 1 fields"},
  };
  for (const auto& c : cases) {
    auto r = CronSchedule::Parse(c.expr);
    ASSERT_FALSE(r.has_value()) << c.expr;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(r.error().message().find(std::string("\"") + c.expr + "\""), std::string::npos)
        << r.error().message();
    EXPECT_NE(r.error().message().find(c.needle), std::string::npos) << r.error().message();
  }
}

TEST(CronSchedule, NextAfterAgreesWithMatchesMinuteByMinute) {
  // A brute-force oracle over two months for a handful of shapes.
  for (const char* expr : {"*/7 3-5 * * *", "0 0 L * *", "15 6 1W * *", "0 12 * * 6L",
                           "0 0 10-20/3 * TUE#2", "0 */6 * JAN-MAR SAT,SUN"}) {
    auto s = MustParse(expr);
    auto t = At(2025, 1, 1);
    auto end = At(2025, 3, 1);
    auto next = s.NextAfter(t - minutes(1));
    for (; t < end; t += minutes(1)) {
      if (s.Matches(t)) {
        ASSERT_TRUE(next.has_value());
        ASSERT_EQ(FormatIso8601(*next), FormatIso8601(t)) << expr;
        next = s.NextAfter(t);
      }
    }
  }
}

TEST(CronSchedule, RandomInputsParseOrFailCleanly) {
  // A seeded fuzz pass over cron-shaped input: no crash, no hang, every failure is an
  // InvalidArgument, and every schedule that parses fires at a time Matches accepts.
  std::mt19937 rng(1234);
  const char* atoms[] = {"*",  "L", "W", "#", "-", "/", ",", "MON", "fri", "JAN", "LW",
                         "L-", "?", "x", "",  "5", "0", "7", "31",  "59",  "60"};
  auto field = [&] {
    std::string f;
    int parts = 1 + static_cast<int>(rng() % 3);
    for (int p = 0; p < parts; ++p) {
      if (rng() % 2)
        f += std::to_string(rng() % 62);
      else
        f += atoms[rng() % std::size(atoms)];
    }
    return f;
  };
  int parsed = 0;
  for (int i = 0; i < 20000; ++i) {
    int fields = 4 + static_cast<int>(rng() % 3);
    std::string text;
    for (int f = 0; f < fields; ++f) text += (f ? " " : "") + (rng() % 3 ? field() : "*");
    auto r = CronSchedule::Parse(text);
    if (!r.has_value()) {
      ASSERT_EQ(r.error().code(), ErrorCode::kInvalidArgument) << text;
      continue;
    }
    ++parsed;
    auto next = r->NextAfter(At(2025, 1, 1));
    ASSERT_TRUE(next.has_value()) << text;
    ASSERT_TRUE(r->Matches(*next)) << text;
  }
  EXPECT_GT(parsed, 50);  // the generator reaches the parser's success paths too
}

}  // namespace
}  // namespace blaze
