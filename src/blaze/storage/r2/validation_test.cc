#include "blaze/storage/r2/validation.h"

#include <gtest/gtest.h>

namespace blaze::r2 {
namespace {

TEST(R2Validation, KeysUpTo1024BytesAreValidIncludingTheEmptyKey) {
  EXPECT_TRUE(ValidateKey("").has_value());
  EXPECT_TRUE(ValidateKey(std::string(1024, 'k')).has_value());
  EXPECT_TRUE(ValidateKey("../../etc/passwd").has_value());  // keys never become paths
  auto long_key = ValidateKey(std::string(1025, 'k'));
  ASSERT_FALSE(long_key.has_value());
  EXPECT_EQ(long_key.error().message(), "The specified object name is not valid. (10020)");
}

TEST(R2Validation, CustomMetadataIsMeasuredInUtf16UnitsDoubledForWideText) {
  EXPECT_EQ(CustomMetadataSize({{"ab", "cd"}}), 4u);
  EXPECT_EQ(CustomMetadataSize({{"k", "\xc3\xa9"}}), 2u);               // é is below U+0100
  EXPECT_EQ(CustomMetadataSize({{"k", "\xc4\x80"}}), 1u + 2u);          // Ā: 1 unit, doubled
  EXPECT_EQ(CustomMetadataSize({{"k", "\xf0\x9f\x98\x80"}}), 1u + 4u);  // a surrogate pair
  PutOptions o;
  o.custom = {{"a", std::string(2047, 'x')}};
  EXPECT_TRUE(ValidatePutOptions(o).has_value());
  o.custom = {{"a", std::string(2048, 'x')}};
  EXPECT_EQ(ValidatePutOptions(o).error().message(),
            "Your metadata headers exceed the maximum allowed metadata size. (10012)");
}

TEST(R2Validation, BucketNamesFollowWranglersRule) {
  for (const char* ok : {"abc", "my-bucket-1", "0ab"}) {
    EXPECT_TRUE(ValidateBucketName(ok).has_value()) << ok;
  }
  for (const char* bad : {"ab", "-abc", "abc-", "ABC", "a_b", "a/b", "..", "a.b",
                          "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}) {
    EXPECT_FALSE(ValidateBucketName(bad).has_value()) << bad;
  }
}

TEST(R2Validation, CursorsAreBase64OfTheLastKey) {
  EXPECT_EQ(EncodeCursor("a.txt"), "YS50eHQ=");  // as wrangler dev returns it
  EXPECT_EQ(EncodeCursor("a/2"), "YS8y");
  EXPECT_EQ(DecodeCursor("YS50eHQ="), "a.txt");
  const std::string binary("\xff\x00z", 3);
  EXPECT_EQ(DecodeCursor(EncodeCursor(binary)), binary);
  // A malformed cursor still names a start-after key: stray characters and '=' are skipped.
  EXPECT_EQ(DecodeCursor("YS50\neHQ"), "a.txt");
  EXPECT_EQ(DecodeCursor("YQ==Yg=="), "a\x06 ");
}

}  // namespace
}  // namespace blaze::r2
