#include "blaze/admin/base64.h"

#include <gtest/gtest.h>

namespace blaze::admin {
namespace {

TEST(Base64Test, RoundTripsEveryLength) {
  std::string bytes;
  for (int i = 0; i < 300; ++i) {
    EXPECT_EQ(*Base64Decode(Base64Encode(bytes), "x"), bytes) << i;
    bytes.push_back(static_cast<char>(i * 37));
  }
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
}

TEST(Base64Test, RefusesWhatIsNotBase64) {
  for (const char* bad : {"Zg=", "Zm9v YmFy", "Zm9v\n", "!!!!", "Z===", "=Zg="}) {
    auto r = Base64Decode(bad, "stdin");
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().message(), "stdin is not valid base64");
  }
}

}  // namespace
}  // namespace blaze::admin
