#include "blaze/base/ids.h"

#include <gtest/gtest.h>

#include <set>

namespace blaze {
namespace {

TEST(Uuid, IsVersion4AndCanonical) {
  Random random(7);
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string id = NewUuid(random);
    EXPECT_TRUE(IsUuid(id)) << id;
    EXPECT_EQ(id[14], '4') << id;
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
    EXPECT_TRUE(seen.insert(id).second);
  }
}

TEST(Uuid, SameSeedGivesSameIds) {
  Random a(1), b(1);
  EXPECT_EQ(NewUuid(a), NewUuid(b));
}

TEST(Uuid, RecognisesOnlyTheCanonicalForm) {
  EXPECT_TRUE(IsUuid("00000000-0000-4000-8000-000000000001"));
  EXPECT_FALSE(IsUuid("blaze-db"));
  EXPECT_FALSE(IsUuid("00000000000040008000000000000001xxxx"));
}

TEST(ValidateName, AcceptsOrdinaryNames) {
  EXPECT_TRUE(ValidateName("blaze-db", "database name").has_value());
  EXPECT_TRUE(ValidateName("blaze_db_2", "database name").has_value());
}

TEST(ValidateName, RejectsPathsAndOddCharacters) {
  for (const char* bad : {"", "../etc", "a/b", "..", ".hidden", "has space", "-lead", "x\n"}) {
    auto s = ValidateName(bad, "database name");
    ASSERT_FALSE(s.has_value()) << bad;
    EXPECT_EQ(s.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(s.error().message().find("invalid database name"), std::string::npos);
  }
  EXPECT_FALSE(ValidateName(std::string(65, 'a'), "database name").has_value());
  EXPECT_FALSE(ValidateName("00000000-0000-4000-8000-000000000001", "database name").has_value());
}

}  // namespace
}  // namespace blaze
