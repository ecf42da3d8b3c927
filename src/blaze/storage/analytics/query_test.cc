#include "blaze/storage/analytics/query.h"

#include <gtest/gtest.h>

#include "blaze/storage/analytics/analytics_service.h"
#include "tests/testing/temp_dir.h"

namespace blaze::analytics {
namespace {

class QueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto ae = AnalyticsService::Open({dir_.path(), env_.get(), &clock_}).value();
    ASSERT_TRUE(ae->Write("vitals", {{"p1"}, {"LCP"}, {2.5}}).has_value());
    ASSERT_TRUE(ae->Write("vitals", {{"p2"}, {"LCP"}, {3.5}}).has_value());
    ASSERT_TRUE(ae->Write("vitals", {{"p1"}, {"INP"}, {100}}).has_value());
  }
  Result<QueryResult> Run(const std::string& sql) {
    return RunQuery(AnalyticsPath(dir_.path()), sql, {.clock = &clock_});
  }

  blaze::testing::TempDir dir_;
  std::unique_ptr<fs::Env> env_ = fs::NewPosixEnv();
  FakeClock clock_;
};

TEST(NormalizeQuery, DropsAFormatClauseAndTranslatesShowTables) {
  EXPECT_EQ(NormalizeQuery("SELECT 1 FORMAT JSON"), "SELECT 1");
  EXPECT_EQ(NormalizeQuery("SELECT 1\n  format JSONEachRow ;\n"), "SELECT 1");
  EXPECT_EQ(NormalizeQuery("SELECT 1;"), "SELECT 1");
  EXPECT_EQ(NormalizeQuery("SELECT format FROM t"), "SELECT format FROM t");
  EXPECT_EQ(NormalizeQuery("SELECT blob1 AS xformat JSON"), "SELECT blob1 AS xformat JSON");
  EXPECT_NE(NormalizeQuery(" show   tables ").find("sqlite_schema"), std::string::npos);
}

TEST_F(QueryTest, AnswersLikeCloudflaresSqlApi) {
  auto r =
      Run("SELECT blob1 AS metric, count() AS n, avg(double1) AS value, "
          "sum(_sample_interval) AS weight, min(timestamp) AS first, "
          "max(_sample_interval) AS si FROM vitals "
          "GROUP BY metric ORDER BY metric FORMAT JSON");
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  nlohmann::ordered_json json = QueryResultJson(*r);
  EXPECT_EQ(json.dump(), nlohmann::ordered_json::parse(R"({
    "meta": [{"name": "metric", "type": "String"}, {"name": "n", "type": "UInt64"},
             {"name": "value", "type": "Float64"}, {"name": "weight", "type": "UInt64"},
             {"name": "first", "type": "String"}, {"name": "si", "type": "UInt64"}],
    "data": [{"metric": "INP", "n": "1", "value": 100.0, "weight": "1",
              "first": "2025-01-01 00:00:00", "si": "1"},
             {"metric": "LCP", "n": "2", "value": 3.0, "weight": "2",
              "first": "2025-01-01 00:00:00", "si": "1"}],
    "rows": 2,
    "rows_before_limit_at_least": 2})")
                             .dump());
}

TEST_F(QueryTest, ColumnsKeepTheirDatasetTypes) {
  auto r = Run("SELECT timestamp, index1, blob1, double1, _sample_interval FROM vitals LIMIT 1");
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  std::vector<std::string> types;
  for (const auto& c : r->meta) types.push_back(c.type);
  EXPECT_EQ(types, (std::vector<std::string>{"DateTime", "String", "String", "Float64", "UInt32"}));
  EXPECT_EQ(QueryResultJson(*r)["data"][0]["_sample_interval"], 1);
}

TEST_F(QueryTest, OnlyReadsAreAllowed) {
  for (const char* sql :
       {"DELETE FROM vitals", "INSERT INTO vitals (timestamp, dataset) VALUES (1, 2)",
        "DROP TABLE vitals", "CREATE TABLE x (a)", "PRAGMA user_version = 3", "BEGIN",
        "ATTACH DATABASE '/tmp/x.db' AS x"}) {
    auto r = Run(sql);
    ASSERT_FALSE(r.has_value()) << sql;
    EXPECT_TRUE(r.error().code() == ErrorCode::kPermissionDenied ||
                r.error().code() == ErrorCode::kInvalidArgument)
        << sql << ": " << r.error().ToString();
  }
  EXPECT_EQ(Run("DELETE FROM vitals").error().code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(Run("SELECT count(*) FROM vitals")->rows[0][0], sqlite::Value(std::int64_t{3}));
}

TEST_F(QueryTest, RefusesSeveralStatementsAndReportsSqlErrors) {
  auto two = Run("SELECT 1; SELECT 2");
  ASSERT_FALSE(two.has_value());
  EXPECT_EQ(two.error().code(), ErrorCode::kInvalidArgument);
  auto missing = Run("SELECT * FROM nope");
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message().find("no such table: nope"), std::string::npos);
  auto empty = Run("  ");
  ASSERT_FALSE(empty.has_value());
}

TEST(RunQuery, WithoutDataItSaysWhereDataComesFrom) {
  blaze::testing::TempDir dir;
  auto r = RunQuery(AnalyticsPath(dir.path()), "SELECT 1", {});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(r.error().message().find("writeDataPoint()"), std::string::npos);
}

}  // namespace
}  // namespace blaze::analytics
