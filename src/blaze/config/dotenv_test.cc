#include "blaze/config/dotenv.h"

#include <gtest/gtest.h>

namespace blaze::config {
namespace {

TEST(Dotenv, ReadsPlainQuotedAndMultilineValues) {
  auto entries = ParseDotenv(R"(# local secrets
API_KEY=abc123
export SPACED = padded value  # trailing note
DOUBLE="line1\nline2 \"q\""
SINGLE='raw $HOME \n'
PEM="-----BEGIN-----
body
-----END-----"
EMPTY=
API_KEY=override
)", ".dev.vars").value();
  DotenvEntries want = {{"SPACED", "padded value"},
                        {"DOUBLE", "line1\nline2 \"q\""},
                        {"SINGLE", "raw $HOME \\n"},
                        {"PEM", "-----BEGIN-----\nbody\n-----END-----"},
                        {"EMPTY", ""},
                        {"API_KEY", "override"}};
  EXPECT_EQ(entries, want);
}

TEST(Dotenv, NamesTheLineOfABadEntry) {
  auto missing = ParseDotenv("A=1\nno equals here\n", ".dev.vars");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().message(), ".dev.vars:2: expected KEY=value");
  auto unterminated = ParseDotenv("A=1\nB=\"open\nstill open\n", ".dev.vars");
  ASSERT_FALSE(unterminated.has_value());
  EXPECT_EQ(unterminated.error().message(), ".dev.vars:2: unterminated quoted value for B");
  auto bad_key = ParseDotenv("1X=2\n", ".dev.vars");
  ASSERT_FALSE(bad_key.has_value());
  EXPECT_EQ(bad_key.error().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace blaze::config
