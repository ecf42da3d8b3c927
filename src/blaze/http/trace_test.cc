#include "blaze/http/trace.h"

#include <gtest/gtest.h>

#include <set>

#include "blaze/base/ids.h"

namespace blaze::http {
namespace {

constexpr std::string_view kGood = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

TEST(Traceparent, ValidHeaderYieldsItsTraceId) {
  auto id = ParseTraceparent(kGood);
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(id->view(), "4bf92f3577b34da6a3ce929d0e0e4736");
}

TEST(Traceparent, AllZeroTraceIdOrParentIdIsInvalid) {
  EXPECT_FALSE(ParseTraceparent("00-00000000000000000000000000000000-00f067aa0ba902b7-01"));
  EXPECT_FALSE(ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"));
}

TEST(Traceparent, MalformedHeadersAreRejected) {
  for (std::string_view bad : {
           "", "garbage",
           "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",    // uppercase
           "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",     // 31 hex
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x",  // extra on v00
           "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",    // separator
           "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",    // forbidden version
           "0g-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",    // version not hex
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902bz-01",    // parent not hex
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0x",    // flags not hex
       }) {
    EXPECT_FALSE(ParseTraceparent(bad)) << bad;
  }
}

TEST(Traceparent, FutureVersionsMayCarryMoreFieldsAfterADash) {
  EXPECT_TRUE(ParseTraceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra"));
  EXPECT_TRUE(ParseTraceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
  EXPECT_FALSE(ParseTraceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x"));
}

TEST(TraceIdSource, GivesDistinctLowercaseHexIdsAndRepeatsForTheSameSeed) {
  Random a(42), b(42);
  TraceIdSource source_a(a), source_b(b);
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    TraceId id = source_a.Next();
    ASSERT_TRUE(TraceId::FromHex(id.view()).has_value()) << id.view();
    EXPECT_TRUE(seen.insert(id.ToString()).second);
    EXPECT_EQ(id, source_b.Next());
  }
}

TEST(TraceId, FromBitsPrintsBigEndianHex) {
  EXPECT_EQ(TraceId::FromBits(0x0123456789abcdefULL, 0xfedcba9876543210ULL).view(),
            "0123456789abcdeffedcba9876543210");
}

}  // namespace
}  // namespace blaze::http
