#include <gtest/gtest.h>

#include "blaze/storage/r2/bucket.h"
#include "blaze/storage/r2/r2_test_fixture.h"

namespace blaze::r2 {
namespace {

// The same keys and expectations as the list probe run against wrangler dev 4.86.0.
class BucketListTest : public R2Fixture {
 protected:
  BucketListTest() {
    for (const char* k :
         {"a/1", "a/2", "a/b/3", "b", "c/x/y", "c/z", "d", "\xc3\xa9", "Z", "a.txt"}) {
      PutOptions o;
      o.http.content_type = "text/plain";
      o.custom = {{"k", k}};
      Put(k, std::string("v-") + k, o);
    }
  }
  using Strings = std::vector<std::string>;
};

TEST_F(BucketListTest, ListsKeysInByteOrder) {
  EXPECT_EQ(Keys(),
            (Strings{"Z", "a.txt", "a/1", "a/2", "a/b/3", "b", "c/x/y", "c/z", "d", "\xc3\xa9"}));
  ListResult all = Must(bucket_->List({}));
  EXPECT_FALSE(all.truncated);
  EXPECT_EQ(all.cursor, "");
}

TEST_F(BucketListTest, PrefixAndDelimiterGroupKeys) {
  ListOptions o;
  o.prefix = "a/";
  EXPECT_EQ(Keys(o), (Strings{"a/1", "a/2", "a/b/3"}));
  o.delimiter = "/";
  ListResult r = Must(bucket_->List(o));
  EXPECT_EQ(r.delimited_prefixes, (Strings{"a/b/"}));
  ListOptions top;
  top.delimiter = "/";
  r = Must(bucket_->List(top));
  EXPECT_EQ(r.delimited_prefixes, (Strings{"a/", "c/"}));
  EXPECT_EQ(Keys(top), (Strings{"Z", "a.txt", "b", "d", "\xc3\xa9"}));
  ListOptions multi;
  multi.delimiter = "x/";
  EXPECT_EQ(Must(bucket_->List(multi)).delimited_prefixes, (Strings{"c/x/"}));
}

TEST_F(BucketListTest, PagesWithCursorsAndStartAfter) {
  ListOptions o;
  o.limit = 2;
  ListResult page = Must(bucket_->List(o));
  EXPECT_TRUE(page.truncated);
  EXPECT_EQ(page.cursor, "YS50eHQ=");
  o.cursor = page.cursor;
  EXPECT_EQ(Keys(o), (Strings{"a/1", "a/2"}));
  ListOptions after;
  after.start_after = "b";
  EXPECT_EQ(Keys(after), (Strings{"c/x/y", "c/z", "d", "\xc3\xa9"}));
}

TEST_F(BucketListTest, DelimitedPrefixesCountTowardTheLimit) {
  ListOptions o;
  o.delimiter = "/";
  o.limit = 2;
  ListResult first = Must(bucket_->List(o));
  EXPECT_EQ(first.objects.size(), 2u);
  EXPECT_TRUE(first.truncated);
  o.cursor = first.cursor;
  ListResult second = Must(bucket_->List(o));
  EXPECT_EQ(second.delimited_prefixes, (Strings{"a/"}));
  ASSERT_EQ(second.objects.size(), 1u);
  EXPECT_EQ(second.objects[0].key, "b");
  EXPECT_EQ(second.cursor, "Yg==");  // the group's last key is skipped in one step
  o.cursor = second.cursor;
  ListResult third = Must(bucket_->List(o));
  EXPECT_EQ(third.delimited_prefixes, (Strings{"c/"}));
}

TEST_F(BucketListTest, MetadataOnlyWhenIncluded) {
  ListOptions o;
  o.limit = 1;
  ObjectInfo plain = Must(bucket_->List(o)).objects.at(0);
  EXPECT_EQ(plain.http, HttpMetadata{});
  EXPECT_TRUE(plain.custom.empty());
  EXPECT_FALSE(plain.checksums.md5.empty());
  o.include_http = true;
  ObjectInfo with_http = Must(bucket_->List(o)).objects.at(0);
  EXPECT_EQ(with_http.http.content_type, "text/plain");
  EXPECT_TRUE(with_http.custom.empty());
  o.include_custom = true;
  EXPECT_EQ(Must(bucket_->List(o)).objects.at(0).custom, (CustomMetadata{{"k", "Z"}}));
}

TEST_F(BucketListTest, LimitMustBeBetweenOneAndAThousand) {
  for (std::int64_t bad : {0, -1, 1001}) {
    ListOptions o;
    o.limit = bad;
    auto r = bucket_->List(o);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().message(), "MaxKeys params must be positive integer <= 1000. (10022)");
  }
}

TEST_F(BucketListTest, DeletedKeysLeaveTheListing) {
  MustOk(bucket_->Delete({"b", "Z"}));
  EXPECT_EQ(Keys(), (Strings{"a.txt", "a/1", "a/2", "a/b/3", "c/x/y", "c/z", "d", "\xc3\xa9"}));
}

TEST_F(BucketListTest, APrefixOfHighBytesHasNoUpperBound) {
  Put("\xff\xff", "x");
  Put("\xff\xff\x01", "y");
  ListOptions o;
  o.prefix = "\xff";
  EXPECT_EQ(Keys(o), (Strings{"\xff\xff", "\xff\xff\x01"}));
}

}  // namespace
}  // namespace blaze::r2
