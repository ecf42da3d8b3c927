#include "blaze/http/body_framer.h"

#include <gtest/gtest.h>

namespace blaze::http {
namespace {

TEST(BodyFramer, ChoosesLengthThenChunkedThenCloseDelimited) {
  EXPECT_EQ(BodyFramer::For(10, 11).mode(), BodyFramer::Mode::kLength);
  EXPECT_EQ(BodyFramer::For(10, 10).mode(), BodyFramer::Mode::kLength);
  EXPECT_EQ(BodyFramer::For(std::nullopt, 11).mode(), BodyFramer::Mode::kChunked);
  EXPECT_EQ(BodyFramer::For(std::nullopt, 10).mode(), BodyFramer::Mode::kUntilClose);
}

TEST(BodyFramer, ChunkedFramesEachChunkWithItsHexSizeAndEndsWithTheLastChunk) {
  auto framer = BodyFramer::For(std::nullopt, 11);
  std::string before, after;
  ASSERT_TRUE(framer.Frame(5, before, after).has_value());
  EXPECT_EQ(before, "5\r\n");
  EXPECT_EQ(after, "\r\n");
  before.clear();
  after.clear();
  ASSERT_TRUE(framer.Frame(300, before, after).has_value());
  EXPECT_EQ(before, "12c\r\n");
  std::string end;
  ASSERT_TRUE(framer.Finish(end).has_value());
  EXPECT_EQ(end, "0\r\n\r\n");
  EXPECT_EQ(framer.sent(), 305u);
}

TEST(BodyFramer, AKnownLengthSendsRawBytesAndRefusesToOverrun) {
  auto framer = BodyFramer::For(8, 11);
  std::string before, after;
  ASSERT_TRUE(framer.Frame(5, before, after).has_value());
  EXPECT_TRUE(before.empty());
  EXPECT_TRUE(after.empty());
  auto over = framer.Frame(4, before, after);
  ASSERT_FALSE(over.has_value());
  EXPECT_EQ(over.error().code(), ErrorCode::kAborted);
}

TEST(BodyFramer, AKnownLengthThatEndsShortIsAnErrorNotATerminator) {
  auto framer = BodyFramer::For(8, 11);
  std::string before, after;
  ASSERT_TRUE(framer.Frame(5, before, after).has_value());
  std::string end;
  EXPECT_FALSE(framer.Finish(end).has_value());
  ASSERT_TRUE(framer.Frame(3, before, after).has_value());
  EXPECT_TRUE(framer.Finish(end).has_value());
  EXPECT_TRUE(end.empty());
}

TEST(BodyFramer, CloseDelimitedHasNoFraming) {
  auto framer = BodyFramer::For(std::nullopt, 10);
  std::string before, after;
  ASSERT_TRUE(framer.Frame(5, before, after).has_value());
  ASSERT_TRUE(framer.Finish(after).has_value());
  EXPECT_TRUE(before.empty());
  EXPECT_TRUE(after.empty());
}

}  // namespace
}  // namespace blaze::http
