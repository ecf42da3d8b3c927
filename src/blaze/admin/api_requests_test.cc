#include "blaze/admin/api_requests.h"

#include <gtest/gtest.h>

namespace blaze::admin {
namespace {

using nlohmann::json;

json Body() {
  return {{"main_module", "index.js"},
          {"modules", {{"index.js", "export default {}"}}},
          {"config",
           {{"compatibility_date", "2025-01-01"},
            {"bindings", {{"d1_databases", {{{"binding", "DB"}, {"database_name", "db"}}}}}},
            {"crons", {"*/5 * * * *"}},
            {"cpu_ms", 50}}}};
}

TEST(ApiRequestsTest, ParsesANewVersion) {
  json body = Body();
  body["message"] = "m";
  body["tag"] = "t";
  body["verify"] = "/health";
  body["watch"] = {{"seconds", 30}};
  auto r = ParseNewVersion(body, "api", true);
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->version.worker, "api");
  EXPECT_EQ(r->version.main_module, "index.js");
  EXPECT_EQ(r->version.modules.at("index.js"), "export default {}");
  ASSERT_EQ(r->version.config.d1_databases.size(), 1u);
  EXPECT_EQ(r->version.config.d1_databases[0].binding, "DB");
  EXPECT_EQ(r->version.config.cpu_ms, 50);
  EXPECT_EQ(r->version.message, "m");
  EXPECT_EQ(*r->verify, "/health");
  EXPECT_EQ(r->watch->seconds, 30);
  EXPECT_DOUBLE_EQ(r->watch->max_error_rate_increase, 0.05);
  EXPECT_FALSE(r->dry_run);
}

TEST(ApiRequestsTest, RefusesBadNewVersions) {
  auto error = [](json body, const std::string& worker = "api", bool deploy = true) {
    auto r = ParseNewVersion(body, worker, deploy);
    EXPECT_FALSE(r.has_value()) << body.dump();
    return r ? std::string() : r.error().message();
  };
  EXPECT_NE(error(Body(), "Api").find("invalid worker name"), std::string::npos);
  EXPECT_NE(error(Body(), "-api").find("invalid worker name"), std::string::npos);
  EXPECT_NE(error(Body(), std::string(64, 'a')).find("invalid worker name"), std::string::npos);
  json b = Body();
  b.erase("main_module");
  EXPECT_NE(error(b).find("main_module"), std::string::npos);
  b = Body();
  b["modules"] = json::object();
  EXPECT_NE(error(b).find("modules"), std::string::npos);
  b = Body();
  b["config"]["crons"] = {"not a cron"};
  error(b);
  b = Body();
  b["config"]["cpu_ms"] = "50";
  EXPECT_NE(error(b).find("cpu_ms"), std::string::npos);
  b = Body();
  b["watch"] = {{"seconds", -1}};
  error(b);
  b = Body();
  b["watch"] = {{"max_error_rate_increase", 5}};
  error(b);
  b = Body();
  b["dry_run"] = "yes";
  error(b);
  b = Body();
  b["verify"] = "/a b";
  error(b);
  b = Body();
  b["dry_run"] = true;
  EXPECT_NE(error(b, "api", false).find("deploy only"), std::string::npos);
}

TEST(ApiRequestsTest, ParseBodyNeverQuotesTheBody) {
  auto r = ParseBodyObject(R"({"value": "hunter2)", false);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message().find("hunter2"), std::string::npos);
  EXPECT_TRUE(ParseBodyObject("", true).has_value());
  EXPECT_FALSE(ParseBodyObject("", false).has_value());
  EXPECT_FALSE(ParseBodyObject("[1]", false).has_value());
}

TEST(ApiRequestsTest, DeploymentsRollbackSecretsTokens) {
  auto d = ParseDeploymentRequest(
      {{"versions", {{{"version_id", "a"}, {"percentage", 70}}, {{"version_id", "b"}, {"percentage", 30}}}}});
  ASSERT_TRUE(d.has_value()) << d.error().message();
  EXPECT_EQ(d->traffic.size(), 2u);
  EXPECT_FALSE(ParseDeploymentRequest(
                   {{"versions", {{{"version_id", "a"}, {"percentage", 70}}}}})
                   .has_value());
  auto single = ParseDeploymentRequest({{"versions", {{{"version_id", "a"}}}}});
  ASSERT_TRUE(single.has_value());
  EXPECT_EQ(single->traffic[0].percentage, 100);

  auto rb = ParseRollbackRequest({{"version_id", "v"}, {"allow_secret_changes", true}});
  ASSERT_TRUE(rb.has_value());
  EXPECT_EQ(*rb->version_id, "v");
  EXPECT_EQ(rb->secret_changes, control::SecretChanges::kAllow);
  EXPECT_FALSE(ParseRollbackRequest({{"versionid", "v"}}).has_value());

  EXPECT_EQ(*ParseSecretValue({{"value", "x"}}), "x");
  EXPECT_FALSE(ParseSecretValue({{"value", 1}}).has_value());

  auto t = ParseTokenRequest({{"name", "ci"}, {"scopes", "read, deploy"}});
  ASSERT_TRUE(t.has_value());
  EXPECT_TRUE(t->scopes.Contains(control::Scope::kDeploy));
  EXPECT_FALSE(ParseTokenRequest({{"name", "ci"}, {"scopes", json::array()}}).has_value());
}

}  // namespace
}  // namespace blaze::admin
