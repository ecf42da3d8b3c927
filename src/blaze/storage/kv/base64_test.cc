#include "blaze/storage/kv/base64.h"

#include <gtest/gtest.h>

namespace blaze::kv {
namespace {

TEST(Base64, EncodesWithPaddingLikeRfc4648) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode("list/1"), "bGlzdC8x");  // the cursor wrangler dev gave for "list/1"
  EXPECT_EQ(Base64Encode(std::string("\xff\x00\x80", 3)), "/wCA");
}

TEST(Base64, DecodeRoundTripsEveryByte) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (std::size_t n = 0; n < 6; ++n) {
    std::string part = all.substr(n);
    EXPECT_EQ(Base64Decode(Base64Encode(part)), part) << n;
  }
}

TEST(Base64, DecodeIsLenientLikeNodeBuffer) {
  EXPECT_EQ(Base64Decode("aGVs\nbG8="), "hello");
  EXPECT_EQ(Base64Decode("aGVsbG8"), "hello");                      // padding optional
  EXPECT_EQ(Base64Decode("_wCA"), std::string("\xff\x00\x80", 3));  // URL-safe alphabet
  EXPECT_EQ(Base64Decode("Zg==Zm8="), "f");                         // stops at the first '='
  EXPECT_EQ(Base64Decode("!!!"), "");
}

}  // namespace
}  // namespace blaze::kv
