#include "blaze/storage/r2/conditional.h"

#include <gtest/gtest.h>

namespace blaze::r2 {
namespace {

using Kind = EtagMatch::Kind;

ObjectInfo Object() {
  ObjectInfo o;
  o.etag = "abc";
  o.uploaded_ms = 10'500;  // 10.5 s after the epoch
  return o;
}

std::vector<EtagMatch> Etags(std::initializer_list<EtagMatch> list) { return list; }

TEST(R2Conditional, EtagMatchesIsStrongAndAcceptsTheWildcard) {
  ObjectInfo o = Object();
  Conditional c;
  c.etag_matches = Etags({{Kind::kStrong, "abc"}});
  EXPECT_TRUE(ConditionHolds(c, &o));
  c.etag_matches = Etags({{Kind::kStrong, "xyz"}});
  EXPECT_FALSE(ConditionHolds(c, &o));
  c.etag_matches = Etags({{Kind::kWeak, "abc"}});
  EXPECT_FALSE(ConditionHolds(c, &o));
  c.etag_matches = Etags({{Kind::kStrong, "x"}, {Kind::kWildcard, ""}});
  EXPECT_TRUE(ConditionHolds(c, &o));
}

TEST(R2Conditional, EtagDoesNotMatchIsWeak) {
  ObjectInfo o = Object();
  Conditional c;
  c.etag_does_not_match = Etags({{Kind::kStrong, "abc"}});
  EXPECT_FALSE(ConditionHolds(c, &o));
  c.etag_does_not_match = Etags({{Kind::kWeak, "abc"}});
  EXPECT_FALSE(ConditionHolds(c, &o));
  c.etag_does_not_match = Etags({{Kind::kStrong, "xyz"}});
  EXPECT_TRUE(ConditionHolds(c, &o));
  c.etag_does_not_match = Etags({{Kind::kWildcard, ""}});
  EXPECT_FALSE(ConditionHolds(c, &o));
}

TEST(R2Conditional, UploadDatesCompareStrictlyAndOptionallyBySeconds) {
  ObjectInfo o = Object();
  Conditional c;
  c.uploaded_before_ms = 10'501;
  EXPECT_TRUE(ConditionHolds(c, &o));
  c.uploaded_before_ms = 10'500;
  EXPECT_FALSE(ConditionHolds(c, &o));
  c.uploaded_before_ms.reset();
  c.uploaded_after_ms = 10'499;
  EXPECT_TRUE(ConditionHolds(c, &o));
  c.seconds_granularity = true;  // both become 10 000
  EXPECT_FALSE(ConditionHolds(c, &o));
}

TEST(R2Conditional, AHoldingEtagConditionOverridesTheDateBesideIt) {
  ObjectInfo o = Object();
  Conditional c;
  c.etag_matches = Etags({{Kind::kStrong, "abc"}});
  c.uploaded_before_ms = 0;  // would fail alone
  EXPECT_TRUE(ConditionHolds(c, &o));
  Conditional d;
  d.etag_does_not_match = Etags({{Kind::kStrong, "xyz"}});
  d.uploaded_after_ms = 99'999;  // would fail alone
  EXPECT_TRUE(ConditionHolds(d, &o));
}

TEST(R2Conditional, OnAMissingObjectOnlyEtagMatchesAndUploadedAfterFail) {
  Conditional c;
  EXPECT_TRUE(ConditionHolds(c, nullptr));
  c.etag_does_not_match = Etags({{Kind::kWildcard, ""}});
  c.uploaded_before_ms = 0;
  EXPECT_TRUE(ConditionHolds(c, nullptr));
  Conditional m;
  m.etag_matches = Etags({{Kind::kWildcard, ""}});
  EXPECT_FALSE(ConditionHolds(m, nullptr));
  Conditional a;
  a.uploaded_after_ms = 0;
  EXPECT_FALSE(ConditionHolds(a, nullptr));
}

}  // namespace
}  // namespace blaze::r2
