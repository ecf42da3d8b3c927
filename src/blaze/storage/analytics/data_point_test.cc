#include "blaze/storage/analytics/data_point.h"

#include <gtest/gtest.h>

namespace blaze::analytics {
namespace {

std::string Message(const DataPoint& p) {
  auto s = ValidateDataPoint(p);
  if (s) return "ok";
  EXPECT_EQ(s.error().code(), ErrorCode::kInvalidArgument);
  return s.error().message();
}

// The limits and texts workerd 2026-04-26 reported for the same points.
TEST(ValidateDataPoint, EnforcesWorkerdsLimitsWithItsMessages) {
  EXPECT_EQ(Message({}), "ok");
  EXPECT_EQ(Message({{"idx"}, {"a", std::nullopt}, {1, 2.5}}), "ok");
  EXPECT_EQ(Message({.blobs = std::vector<std::optional<std::string>>(20, "x")}), "ok");
  EXPECT_EQ(Message({.blobs = std::vector<std::optional<std::string>>(21, "x")}),
            "writeDataPoint(): Maximum of 20 blobs supported.");
  EXPECT_EQ(Message({.doubles = std::vector<double>(21, 1.0)}),
            "writeDataPoint(): Maximum of 20 doubles supported.");
  EXPECT_EQ(Message({.indexes = {"a", "b"}}), "writeDataPoint(): Maximum of 1 indexes supported.");
  EXPECT_EQ(Message({.indexes = {std::string(96, 'x')}}), "ok");
  EXPECT_EQ(Message({.indexes = {std::string(97, 'x')}}),
            "writeDataPoint(): Size of indexes[0] exceeds 96 bytes).");
  EXPECT_EQ(Message({.blobs = {std::string(16000, 'x')}}), "ok");
  EXPECT_EQ(Message({.blobs = {std::string(16001, 'x')}}),
            "writeDataPoint(): Cumulative size of blobs exceeds 16000 bytes).");
  EXPECT_EQ(Message({.blobs = {std::string(10000, 'x'), std::string(10000, 'y')}}),
            "writeDataPoint(): Cumulative size of blobs exceeds 16000 bytes).");
}

TEST(ValidateDataPoint, ChecksIndexesThenBlobsThenDoubles) {
  DataPoint all_wrong{
      {"a", "b"}, std::vector<std::optional<std::string>>(21, "x"), std::vector<double>(21, 1.0)};
  EXPECT_EQ(Message(all_wrong), "writeDataPoint(): Maximum of 1 indexes supported.");
  all_wrong.indexes.pop_back();
  EXPECT_EQ(Message(all_wrong), "writeDataPoint(): Maximum of 20 blobs supported.");
  all_wrong.blobs.pop_back();
  EXPECT_EQ(Message(all_wrong), "writeDataPoint(): Maximum of 20 doubles supported.");
}

TEST(ValidateDatasetName, AcceptsTableFriendlyNames) {
  for (const char* ok : {"vitals", "web_vitals", "web-vitals", "A1"}) {
    EXPECT_TRUE(ValidateDatasetName(ok).has_value()) << ok;
  }
  for (std::string bad : {std::string(), std::string("a b"), std::string("x;drop"),
                          std::string("sqlite_master"), std::string(65, 'a')}) {
    EXPECT_FALSE(ValidateDatasetName(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace blaze::analytics
