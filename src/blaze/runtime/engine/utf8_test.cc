#include "blaze/runtime/engine/utf8.h"

#include <gtest/gtest.h>

namespace blaze::engine {
namespace {

TEST(Utf8, DecodesValidTextAndStripsTheBom) {
  EXPECT_EQ(DecodeUtf8("\xEF\xBB\xBFh\xC3\xA9\xF0\x9F\x98\x80", Utf8Errors::kReplace, Utf8Bom::kStrip),
            u"h\u00e9\U0001F600");
  EXPECT_EQ(DecodeUtf8("\xEF\xBB\xBFx", Utf8Errors::kReplace, Utf8Bom::kKeep), u"\uFEFFx");
}

TEST(Utf8, ReplacesMaximalInvalidSubpartsOrFailsWhenFatal) {
  EXPECT_EQ(DecodeUtf8("a\xF0\x9F\x98" "b\xFF", Utf8Errors::kReplace, Utf8Bom::kStrip),
            u"a\uFFFDb\uFFFD");
  EXPECT_EQ(DecodeUtf8("\xED\xA0\x80", Utf8Errors::kReplace, Utf8Bom::kStrip), u"\uFFFD\uFFFD\uFFFD");
  EXPECT_EQ(DecodeUtf8("a\xC3", Utf8Errors::kFatal, Utf8Bom::kStrip), std::nullopt);
}

}  // namespace
}  // namespace blaze::engine
