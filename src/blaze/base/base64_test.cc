#include "blaze/base/base64.h"

#include <gtest/gtest.h>

namespace blaze {
namespace {

TEST(Base64, EncodesLikeRfc4648InBothAlphabets) {
  struct Case {
    std::string bytes;
    const char* standard;  // padded
    const char* url;       // unpadded
  };
  const Case cases[] = {
      {"", "", ""},
      {"f", "Zg==", "Zg"},
      {"fo", "Zm8=", "Zm8"},
      {"foo", "Zm9v", "Zm9v"},
      {"foobar", "Zm9vYmFy", "Zm9vYmFy"},
      {"list/1", "bGlzdC8x", "bGlzdC8x"},  // the KV cursor wrangler dev gave for "list/1"
      {"a.txt", "YS50eHQ=", "YS50eHQ"},    // and the R2 cursor for "a.txt"
      {std::string("\xff\x00\x80", 3), "/wCA", "_wCA"},
      {"\xfb\xff", "+/8=", "-_8"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Base64Encode(c.bytes), c.standard);
    EXPECT_EQ(Base64UrlEncode(c.bytes), c.url);
  }
  EXPECT_EQ(Base64UrlEncode(std::string(32, '\0')).size(), 43u);  // an API token's 32 bytes
}

TEST(Base64, StrictDecodeRoundTripsEveryLength) {
  std::string bytes;
  for (int i = 0; i < 300; ++i) {
    EXPECT_EQ(*Base64DecodeStrict(Base64Encode(bytes), "x"), bytes) << i;
    bytes.push_back(static_cast<char>(i * 37));
  }
}

TEST(Base64, StrictDecodeRefusesWhatIsNotPaddedStandardBase64) {
  for (const char* bad :
       {"Zg=", "Zm9v YmFy", "Zm9v\n", "!!!!", "Z===", "=Zg=", "Zg==Zg==", "_wCA"}) {
    auto r = Base64DecodeStrict(bad, "stdin");
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().message(), "stdin is not valid base64");
  }
}

TEST(Base64, LenientDecodeRoundTripsEveryByte) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (std::size_t n = 0; n < 6; ++n) {
    std::string part = all.substr(n);
    EXPECT_EQ(Base64DecodeLenient(Base64Encode(part)), part) << n;
    EXPECT_EQ(Base64DecodeLenient(Base64UrlEncode(part)), part) << n;
  }
}

TEST(Base64, LenientDecodeReadsLikeNodeBuffer) {
  EXPECT_EQ(Base64DecodeLenient("aGVs\nbG8="), "hello");
  EXPECT_EQ(Base64DecodeLenient("aGVsbG8"), "hello");                      // padding optional
  EXPECT_EQ(Base64DecodeLenient("_wCA"), std::string("\xff\x00\x80", 3));  // URL-safe alphabet
  EXPECT_EQ(Base64DecodeLenient("Zg==Zm8="), "f");                         // stops at the first '='
  EXPECT_EQ(Base64DecodeLenient("Zm9vY"), "foo");  // a trailing lone character is dropped
  EXPECT_EQ(Base64DecodeLenient("!!!"), "");
}

}  // namespace
}  // namespace blaze
