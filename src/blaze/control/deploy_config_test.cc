#include "blaze/control/deploy_config.h"

#include <gtest/gtest.h>

namespace blaze::control {
namespace {

DeployConfig Sample() {
  DeployConfig c;
  c.compatibility_date = "2025-01-01";
  c.vars = {{"MODE", config::Var::Kind::kText, "prod"},
            {"LIMITS", config::Var::Kind::kJson, R"({"max":3})"}};
  c.d1_databases = {{.binding = "DB",
                     .database_name = "blaze-db",
                     .database_id = "00000000-0000-4000-8000-000000000001",
                     .migrations_dir = "db/migrations"}};
  c.kv_namespaces = {{.binding = "CACHE", .id = "ns1", .preview_id = "ns1-preview"}};
  c.r2_buckets = {{.binding = "MEDIA", .bucket_name = "media"}};
  c.services = {
      {.binding = "AUTH", .service = "auth", .environment = "production", .entrypoint = "Auth"}};
  c.analytics_engine_datasets = {{.binding = "VITALS", .dataset = "vitals"}};
  c.routes = {"api.example.com/*"};
  c.crons = {"0 2 * * *"};
  c.cpu_ms = 30;
  return c;
}

TEST(DeployConfig, RoundTripsThroughJson) {
  DeployConfig c = Sample();
  auto back = DeployConfigFromJson(DeployConfigToJson(c)).value();
  EXPECT_EQ(back, c);
  EXPECT_EQ(back.d1_databases[0].database_id, "00000000-0000-4000-8000-000000000001");
  EXPECT_EQ(back.vars[1].kind, config::Var::Kind::kJson);
  EXPECT_EQ(back.cpu_ms, 30);
  EXPECT_EQ(back.services[0].entrypoint, "Auth");
  DeployConfig empty;
  EXPECT_EQ(DeployConfigFromJson(DeployConfigToJson(empty)).value(), empty);
}

TEST(DeployConfig, MissingStoredFieldsReadAsTheirDefaults) {
  auto c = DeployConfigFromJson(nlohmann::json::parse(
                                   R"({"bindings": {"d1_databases": [
                                         {"binding": "DB", "database_name": "db"}]}})"))
               .value();
  ASSERT_EQ(c.d1_databases.size(), 1u);
  EXPECT_EQ(c.d1_databases[0].binding, "DB");
  EXPECT_EQ(c.d1_databases[0].database_id, "");
  EXPECT_EQ(c.d1_databases[0].migrations_dir, "migrations");
}

TEST(DeployConfig, ValidationNamesTheProblem) {
  EXPECT_TRUE(ValidateDeployConfig(Sample()).has_value());
  DeployConfig dup = Sample();
  dup.kv_namespaces[0].binding = "DB";
  auto r = ValidateDeployConfig(dup);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("the name 'DB' is used by more than one"), std::string::npos);
  DeployConfig cron = Sample();
  cron.crons = {"0 0 32 * *"};
  EXPECT_NE(ValidateDeployConfig(cron).error().message().find("day-of-month 32"),
            std::string::npos);
  DeployConfig cpu = Sample();
  cpu.cpu_ms = 0;
  EXPECT_FALSE(ValidateDeployConfig(cpu).has_value());
}

TEST(DeployConfig, MalformedStoredJsonIsDataLoss) {
  EXPECT_EQ(DeployConfigFromJson(nlohmann::json::array()).error().code(), ErrorCode::kDataLoss);
  EXPECT_EQ(DeployConfigFromJson({{"routes", {1, 2}}}).error().code(), ErrorCode::kDataLoss);
}

TEST(DeployConfig, ComesFromAWranglerConfig) {
  config::WranglerConfig w;
  w.compatibility_date = "2024-09-01";
  w.routes = {"x.example.com/*"};
  w.crons = {"* * * * *"};
  w.cpu_ms = 10;
  w.vars = {{"A", config::Var::Kind::kText, "1"}};
  DeployConfig c = DeployConfigFromWrangler(w);
  EXPECT_EQ(c.compatibility_date, "2024-09-01");
  EXPECT_EQ(c.routes, w.routes);
  EXPECT_EQ(c.crons, w.crons);
  EXPECT_EQ(c.cpu_ms, 10);
  EXPECT_EQ(BindingNames(c), (std::vector<std::string>{"A"}));
}

}  // namespace
}  // namespace blaze::control
