#include "blaze/base/clock.h"

#include <gtest/gtest.h>

namespace blaze {
namespace {

TEST(FakeClock, StartsAtTheFixedInstantAndMovesOnlyWhenAdvanced) {
  FakeClock clock;
  EXPECT_EQ(FormatIso8601(clock.Now()), "2025-01-01T00:00:00.000Z");
  auto mono = clock.Monotonic();
  EXPECT_EQ(clock.Monotonic(), mono);
  clock.Advance(std::chrono::milliseconds(1500));
  EXPECT_EQ(FormatIso8601(clock.Now()), "2025-01-01T00:00:01.500Z");
  EXPECT_EQ(clock.Monotonic() - mono, std::chrono::milliseconds(1500));
}

TEST(Clock, FormatsSqlTimestampsInUtc) {
  FakeClock clock;
  clock.Advance(std::chrono::hours(26));
  EXPECT_EQ(FormatSqlTimestamp(clock.Now()), "2025-01-02 02:00:00");
  EXPECT_EQ(UnixMillis(clock.Now()), 1735689600000LL + 26LL * 3600 * 1000);
}

TEST(SystemClock, AdvancesOnItsOwn) {
  SystemClock clock;
  EXPECT_GT(UnixMillis(clock.Now()), 1735689600000LL);  // after 2025-01-01
}

}  // namespace
}  // namespace blaze
