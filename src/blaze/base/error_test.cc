#include "blaze/base/error.h"

#include <gtest/gtest.h>

#include <set>

#include "blaze/base/result.h"

namespace blaze {
namespace {

TEST(ErrorTable, EveryCodeHasADistinctExitCodeAndAnHttpStatus) {
  std::set<int> exit_codes;
  for (int c = 0; c <= static_cast<int>(ErrorCode::kInternal); ++c) {
    const auto& info = InfoFor(static_cast<ErrorCode>(c));
    EXPECT_EQ(info.code, static_cast<ErrorCode>(c));
    EXPECT_GE(info.http_status, 400);
    EXPECT_LT(info.http_status, 600);
    EXPECT_NE(info.exit_code, 0);
    EXPECT_TRUE(exit_codes.insert(info.exit_code).second) << info.name;
    EXPECT_FALSE(info.js_class.empty());
  }
}

TEST(ErrorTable, MapsCommonCodesLikeHttpDoes) {
  EXPECT_EQ(NotFound("x").http_status(), 404);
  EXPECT_EQ(InvalidArgument("x").http_status(), 400);
  EXPECT_EQ(Unauthenticated("x").http_status(), 401);
  EXPECT_EQ(PermissionDenied("x").http_status(), 403);
  EXPECT_EQ(InvalidArgument("x").js_class(), "TypeError");
  EXPECT_EQ(InvalidArgument("x").exit_code(), 2);
}

TEST(Error, WithContextPrefixesTheMessageAndKeepsTheCode) {
  Error e = NotFound("no such table: x").WithContext("statement 2");
  EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  EXPECT_EQ(e.message(), "statement 2: no such table: x");
  EXPECT_EQ(e.ToString(), "NotFound: statement 2: no such table: x");
}

Result<int> Half(int n) {
  if (n % 2 != 0) return Fail(InvalidArgument("odd"));
  return n / 2;
}

Result<int> Quarter(int n) {
  BLAZE_TRY(int h, Half(n));
  BLAZE_TRY(int q, Half(h));
  return q;
}

TEST(Result, TryPropagatesTheFirstError) {
  EXPECT_EQ(Quarter(8).value(), 2);
  auto r = Quarter(6);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message(), "odd");
}

}  // namespace
}  // namespace blaze
