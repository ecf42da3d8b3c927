#include "blaze/base/log.h"

#include <gtest/gtest.h>

namespace blaze::log {
namespace {

TEST(Log, FormatsKeyValuePairsAndQuotesWhereNeeded) {
  EXPECT_EQ(Format("d1.created", {{"db", "blaze-db"}, {"bytes", std::int64_t{42}}}),
            "d1.created db=blaze-db bytes=42");
  EXPECT_EQ(Format("e", {{"msg", "two words"}, {"q", "a\"b"}, {"empty", ""}}),
            "e msg=\"two words\" q=\"a\\\"b\" empty=\"\"");
}

TEST(Log, ParsesLevelsAndRejectsUnknownOnes) {
  Level l;
  EXPECT_TRUE(ParseLevel("debug", &l));
  EXPECT_EQ(l, Level::kDebug);
  EXPECT_TRUE(ParseLevel("off", &l));
  EXPECT_EQ(l, Level::kOff);
  EXPECT_FALSE(ParseLevel("loud", &l));
}

TEST(Log, LevelIsSettable) {
  Level before = GetLevel();
  SetLevel(Level::kError);
  EXPECT_EQ(GetLevel(), Level::kError);
  SetLevel(before);
}

}  // namespace
}  // namespace blaze::log
