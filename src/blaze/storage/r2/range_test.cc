#include "blaze/storage/r2/range.h"

#include <gtest/gtest.h>

namespace blaze::r2 {
namespace {

// The cases below were observed with wrangler dev 4.86.0 on a 10-byte object "0123456789".
struct RangeCase {
  RangeRequest request;
  std::optional<ByteRange> expected;  // nullopt: InvalidRange
};

TEST(R2Range, ResolvesEachFormTheWayWranglerDevDoes) {
  const RangeCase cases[] = {
      {{2, 3, {}}, ByteRange{2, 3}},    {{7, {}, {}}, ByteRange{7, 3}},
      {{{}, 4, {}}, ByteRange{0, 4}},   {{{}, {}, 3}, ByteRange{7, 3}},
      {{{}, {}, 30}, ByteRange{0, 10}}, {{5, 100, {}}, ByteRange{5, 5}},
      {{{}, {}, {}}, ByteRange{0, 10}}, {{30, {}, {}}, std::nullopt},
      {{10, {}, {}}, std::nullopt},     {{5, 0, {}}, std::nullopt},
      {{{}, {}, 0}, std::nullopt},
  };
  for (const RangeCase& c : cases) {
    auto r = ResolveRange(c.request, 10);
    if (c.expected) {
      ASSERT_TRUE(r.has_value()) << r.error().ToString();
      EXPECT_EQ(*r, *c.expected);
    } else {
      ASSERT_FALSE(r.has_value());
      EXPECT_EQ(r.error().message(), "The requested range is not satisfiable (10039)");
    }
  }
}

TEST(R2Range, EveryExplicitRangeOfAnEmptyObjectIsUnsatisfiable) {
  EXPECT_FALSE(ResolveRange({0, {}, {}}, 0).has_value());
  EXPECT_FALSE(ResolveRange({{}, {}, 1}, 0).has_value());
}

TEST(R2Range, HeaderPicksOneSatisfiableRangeOrNothing) {
  EXPECT_EQ(ParseRangeHeader("bytes=1-3", 10), (ByteRange{1, 3}));
  EXPECT_EQ(ParseRangeHeader("bytes=8-", 10), (ByteRange{8, 2}));
  EXPECT_EQ(ParseRangeHeader("bytes=-2", 10), (ByteRange{8, 2}));
  EXPECT_EQ(ParseRangeHeader("bytes=5-50", 10), (ByteRange{5, 5}));
  EXPECT_EQ(ParseRangeHeader("Bytes= 0-0 ", 10), (ByteRange{0, 1}));
  EXPECT_EQ(ParseRangeHeader("bytes=0-1,3-4", 10), std::nullopt);
  EXPECT_EQ(ParseRangeHeader("foo", 10), std::nullopt);
  EXPECT_EQ(ParseRangeHeader("bytes=50-60", 10), std::nullopt);
  EXPECT_EQ(ParseRangeHeader("bytes=5-2", 10), std::nullopt);
  EXPECT_EQ(ParseRangeHeader("bytes=-0", 10), std::nullopt);
  EXPECT_EQ(ParseRangeHeader("bytes=x-1", 10), std::nullopt);
}

TEST(R2Range, SelectPrefersTheRangeOptionThenTheHeaderThenEverything) {
  GetOptions o;
  EXPECT_EQ(*SelectRange(o, 10), (ByteRange{0, 10}));
  o.range_header = "bytes=50-60";
  EXPECT_EQ(*SelectRange(o, 10), (ByteRange{0, 10}));
  o.range_header = "bytes=1-1";
  EXPECT_EQ(*SelectRange(o, 10), (ByteRange{1, 1}));
  o.range = RangeRequest{{}, {}, 2};
  EXPECT_EQ(*SelectRange(o, 10), (ByteRange{8, 2}));
}

}  // namespace
}  // namespace blaze::r2
