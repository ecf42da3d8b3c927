#include "blaze/bindings/analytics_binding.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "blaze/bindings/binding_test_util.h"
#include "blaze/bindings/storage.h"
#include "blaze/storage/analytics/query.h"
#include "tests/testing/temp_dir.h"

namespace blaze::bindings {
namespace {

using nlohmann::json;

class AnalyticsBindingTest : public ::testing::Test {
 protected:
  void SetUp() override { binding_ = NewAnalyticsBinding(storage_.Analytics().value(), "vitals"); }

  Result<engine::BindingReply> Write(const json& args, std::vector<std::string> buffers = {}) {
    return testing::CallInline(*binding_, "write", args, std::move(buffers));
  }
  std::vector<std::vector<sqlite::Value>> Rows(const std::string& sql) {
    auto r = analytics::RunQuery(analytics::AnalyticsPath(dir_.path()), sql, {});
    EXPECT_TRUE(r.has_value()) << r.error().ToString();
    return r ? r->rows : std::vector<std::vector<sqlite::Value>>{};
  }

  blaze::testing::TempDir dir_;
  FakeClock clock_;
  Storage storage_{{.data_dir = dir_.path(), .clock = &clock_}};
  std::shared_ptr<engine::BindingService> binding_;
};

TEST_F(AnalyticsBindingTest, WriteAppendsARowToTheDataset) {
  auto r = Write({{"indexes", {"page"}},
                  {"blobs", {"LCP", nullptr, {{"$buffer", 0}}}},
                  {"doubles", {2.5, nullptr, "NaN", "-Infinity"}}},
                 {"bin"});
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->json, "null");
  auto rows = Rows(
      "SELECT timestamp, index1, blob1, blob2, blob3, double1, double2, double3, "
      "double4, dataset FROM vitals");
  ASSERT_EQ(rows.size(), 1u);
  using sqlite::Value;
  EXPECT_EQ(rows[0],
            (std::vector<Value>{std::string("2025-01-01 00:00:00"), std::string("page"),
                                std::string("LCP"), std::string(""), std::string("bin"), 2.5, 0.0,
                                sqlite::Null{}, -INFINITY, std::string("vitals")}));
}

TEST_F(AnalyticsBindingTest, LimitsAreRefusedWithWorkerdsMessages) {
  auto r = Write({{"blobs", json::array({"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k",
                                         "l", "m", "n", "o", "p", "q", "r", "s", "t", "u"})}});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message(), "writeDataPoint(): Maximum of 20 blobs supported.");
  auto index = Write({{"indexes", {std::string(97, 'x')}}});
  ASSERT_FALSE(index.has_value());
  EXPECT_EQ(index.error().message(), "writeDataPoint(): Size of indexes[0] exceeds 96 bytes).");
  EXPECT_FALSE(Write({{"blobs", "nope"}}).has_value());
  EXPECT_FALSE(Write({{"doubles", {"abc"}}}).has_value());
}

TEST_F(AnalyticsBindingTest, AnEmptyEventIsARowOfDefaults) {
  ASSERT_TRUE(Write(json::object()).has_value());
  auto rows = Rows("SELECT index1, blob1, double1, _sample_interval FROM vitals");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0],
            (std::vector<sqlite::Value>{std::string(""), std::string(""), 0.0, std::int64_t{1}}));
}

}  // namespace
}  // namespace blaze::bindings
