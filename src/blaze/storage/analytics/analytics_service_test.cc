#include "blaze/storage/analytics/analytics_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <thread>
#include <vector>

#include "blaze/storage/analytics/query.h"
#include "blaze/storage/sqlite/faulty_vfs.h"
#include "tests/testing/temp_dir.h"

namespace blaze::analytics {
namespace {

class AnalyticsServiceTest : public ::testing::Test {
 protected:
  std::unique_ptr<AnalyticsService> Open(const char* vfs = nullptr) {
    return AnalyticsService::Open({dir_.path() + "/data", env_.get(), &clock_, vfs}).value();
  }
  QueryResult Query(const std::string& sql) {
    auto r = RunQuery(AnalyticsPath(dir_.path() + "/data"), sql, {});
    EXPECT_TRUE(r.has_value()) << r.error().ToString();
    return r.value_or(QueryResult{});
  }

  blaze::testing::TempDir dir_;
  std::unique_ptr<fs::Env> env_ = fs::NewPosixEnv();
  FakeClock clock_;
};

TEST_F(AnalyticsServiceTest, APointIsARowWithCloudflaresColumns) {
  auto ae = Open();
  ASSERT_TRUE(
      ae->Write("vitals", {{"page-1"}, {"LCP", std::nullopt, "/home"}, {2.5, 1}}).has_value());
  QueryResult r = Query(
      "SELECT timestamp, index1, blob1, blob2, blob3, blob4, double1, double2, "
      "double3, _sample_interval, dataset FROM vitals");
  ASSERT_EQ(r.rows.size(), 1u);
  using sqlite::Value;
  EXPECT_EQ(r.rows[0], (std::vector<Value>{std::string("2025-01-01 00:00:00"),
                                           std::string("page-1"), std::string("LCP"),
                                           std::string(""), std::string("/home"), std::string(""),
                                           2.5, 1.0, 0.0, std::int64_t{1}, std::string("vitals")}));
  QueryResult columns = Query("SELECT * FROM vitals");
  ASSERT_EQ(columns.meta.size(), 44u);
  EXPECT_EQ(columns.meta[0].name, "timestamp");
  EXPECT_EQ(columns.meta[1].name, "index1");
  EXPECT_EQ(columns.meta[2].name, "blob1");
  EXPECT_EQ(columns.meta[22].name, "double1");
  EXPECT_EQ(columns.meta[42].name, "_sample_interval");
  EXPECT_EQ(columns.meta[43].name, "dataset");
}

TEST_F(AnalyticsServiceTest, TimestampsComeFromTheClockAndDatasetsAreSeparateTables) {
  auto ae = Open();
  ASSERT_TRUE(ae->Write("vitals", {.blobs = {"a"}}).has_value());
  clock_.Advance(std::chrono::hours(25));
  ASSERT_TRUE(ae->Write("vitals", {.blobs = {"b"}}).has_value());
  ASSERT_TRUE(ae->Write("errors", {.blobs = {"c"}}).has_value());
  QueryResult r = Query("SELECT blob1, timestamp FROM vitals WHERE timestamp > '2025-01-02' ");
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0][0], sqlite::Value(std::string("b")));
  EXPECT_EQ(r.rows[0][1], sqlite::Value(std::string("2025-01-02 01:00:00")));
  EXPECT_EQ(Query("SHOW TABLES").rows.size(), 2u);
  EXPECT_EQ(ae->Stats().written, 3u);
}

TEST_F(AnalyticsServiceTest, NotANumberIsStoredAsNull) {
  auto ae = Open();
  ASSERT_TRUE(ae->Write("v", {.doubles = {std::nan(""), INFINITY}}).has_value());
  QueryResult r = Query("SELECT double1, double2 FROM v");
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_TRUE(sqlite::IsNull(r.rows[0][0]));
  EXPECT_EQ(r.rows[0][1], sqlite::Value(INFINITY));
}

TEST_F(AnalyticsServiceTest, InvalidPointsAndNamesAreRefusedBeforeAnythingIsWritten) {
  auto ae = Open();
  auto blobs = ae->Write("v", {.blobs = std::vector<std::optional<std::string>>(21, "x")});
  ASSERT_FALSE(blobs.has_value());
  EXPECT_EQ(blobs.error().message(), "writeDataPoint(): Maximum of 20 blobs supported.");
  EXPECT_FALSE(ae->Write("bad name", {}).has_value());
  EXPECT_FALSE(env_->Exists(ae->path()).value()) << "no file until a point is written";
}

TEST_F(AnalyticsServiceTest, ConcurrentWritersAreAllCommitted) {
  auto ae = Open();
  std::vector<std::thread> threads;
  std::atomic<int> failures = 0;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 250; ++i) {
        failures +=
            ae->Write("load", {.blobs = {std::to_string(t)}, .doubles = {double(i)}}) ? 0 : 1;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  QueryResult r = Query("SELECT count(*) AS n, sum(double1) AS total FROM load");
  EXPECT_EQ(r.rows[0][0], sqlite::Value(std::int64_t{1000}));
  EXPECT_EQ(r.rows[0][1], sqlite::Value(4 * 249 * 250 / 2.0));
  EXPECT_EQ(ae->Stats().written, 1000u);
  EXPECT_EQ(ae->Stats().dropped, 0u);
}

TEST_F(AnalyticsServiceTest, AFailedCommitDropsItsBatchCountsItAndRecovers) {
  auto ae = Open(sqlite::FaultyVfs::Register());
  ASSERT_TRUE(ae->Write("v", {.blobs = {"kept"}}).has_value());
  sqlite::FaultyVfs::FailWritesAfter(0, sqlite::FaultyVfs::Fault::kDiskFull, "analytics.sqlite");
  auto failed = ae->Write("v", {.blobs = {std::string(8000, 'x')}});
  sqlite::FaultyVfs::Heal();
  EXPECT_FALSE(failed.has_value());
  EXPECT_EQ(ae->Stats().dropped, 1u);
  ASSERT_TRUE(ae->Write("v", {.blobs = {"after"}}).has_value());
  QueryResult r = Query("SELECT blob1 FROM v ORDER BY rowid");
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0][0], sqlite::Value(std::string("kept")));
  EXPECT_EQ(r.rows[1][0], sqlite::Value(std::string("after")));
}

}  // namespace
}  // namespace blaze::analytics
