#include "blaze/cli/output.h"

#include <gtest/gtest.h>

#include <sstream>

namespace blaze::cli {
namespace {

TEST(PrintTable, DrawsBoxesWithARuleBetweenRowsLikeWrangler) {
  std::ostringstream out;
  PrintTable(out, {{"id", "name"}, {{"1", "Ajax"}, {"2", "PSV"}}});
  EXPECT_EQ(out.str(),
            "┌────┬──────┐\n"
            "│ id │ name │\n"
            "├────┼──────┤\n"
            "│ 1  │ Ajax │\n"
            "├────┼──────┤\n"
            "│ 2  │ PSV  │\n"
            "└────┴──────┘\n");
}

TEST(PrintTable, PadsByCharactersNotBytes) {
  std::ostringstream out;
  PrintTable(out, {{"u"}, {{"héllo→"}, {"x"}}});
  EXPECT_NE(out.str().find("│ x      │"), std::string::npos) << out.str();
}

TEST(CellText, RendersValuesAsWranglerDoes) {
  EXPECT_EQ(CellText(sqlite::Null{}), "null");
  EXPECT_EQ(CellText(std::int64_t{42}), "42");
  EXPECT_EQ(CellText(3.5), "3.5");
  EXPECT_EQ(CellText(std::string("it's")), "it's");
  EXPECT_EQ(CellText(sqlite::Blob{{1, 2}}), "[1, 2]");
  EXPECT_EQ(CellText(sqlite::Blob{}), "[]");
}

TEST(ToJson, KeepsTypesAndGivesBlobsAsByteArrays) {
  EXPECT_TRUE(ToJson(sqlite::Null{}).is_null());
  EXPECT_EQ(ToJson(std::int64_t{9007199254740993LL}).get<std::int64_t>(), 9007199254740993LL);
  EXPECT_EQ(ToJson(sqlite::Blob{{0, 255}}).dump(), "[0,255]");
  EXPECT_EQ(ToJson(std::string("x")).dump(), "\"x\"");
}

TEST(HumanBytes, UsesSiUnits) {
  EXPECT_EQ(HumanBytes(999), "999 B");
  EXPECT_EQ(HumanBytes(1536), "1.5 kB");
  EXPECT_EQ(HumanBytes(204000000), "204.0 MB");
}

TEST(Confirm, AssumeYesNeverAsks) { EXPECT_TRUE(Confirm("delete?", AssumeYes::kYes)); }

}  // namespace
}  // namespace blaze::cli
