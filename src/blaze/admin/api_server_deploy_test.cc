// deploy's `verify` and `watch` over HTTP, against the FakeRuntime.
#include <gtest/gtest.h>

#include "blaze/admin/admin_test_fixture.h"

namespace blaze::admin {
namespace {

using namespace std::chrono_literals;

TEST_F(ApiServerTest, VerifyNon2xxIs409AndLeavesTheActiveDeployment) {
  json first = Deploy("api", "v1");
  runtime_.With([&] {
    runtime_.probe_result = 500;
    return 0;
  });
  Reply r = Call("POST", "/api/v1/workers/api/deploy",
                 [] {
                   json b = VersionBody("v2");
                   b["verify"] = "/health";
                   return b;
                 }());
  EXPECT_EQ(r.status, 409) << r.raw;
  EXPECT_EQ(r.body["code"], "failed_precondition");
  EXPECT_EQ(r.body["error"],
            "verify: GET /health answered 500; the active deployment is unchanged");
  EXPECT_EQ(Call("GET", "/api/v1/workers/api/deployments/active").body["id"],
            first["deployment"]["id"]);
  // The version stays, uploaded and undeployed.
  Reply versions = Call("GET", "/api/v1/workers/api/versions");
  ASSERT_EQ(versions.body.size(), 2u);
  EXPECT_EQ(versions.body[0]["number"], 2);
  std::string probe = runtime_.With([&] { return runtime_.probes.at(0); });
  EXPECT_EQ(probe, "api " + versions.body[0]["id"].get<std::string>() + " /health");
  EXPECT_EQ(runtime_.With([&] { return runtime_.refreshes; }), 1);
}

TEST_F(ApiServerTest, VerifyProbeErrorsAreReportedWithTheirCode) {
  runtime_.With([&] {
    runtime_.probe_result = Fail(Unavailable("the engine is out of isolates"));
    return 0;
  });
  json body = VersionBody();
  body["verify"] = "/";
  Reply r = Call("POST", "/api/v1/workers/api/deploy", body);
  EXPECT_EQ(r.status, 503);
  EXPECT_TRUE(Contains(r.body["error"], "verify: GET / failed: the engine is out of isolates"));
  EXPECT_EQ(Call("GET", "/api/v1/workers/api/deployments/active").status, 404);
}

TEST_F(ApiServerTest, Verify2xxDeploysAndSaysSo) {
  runtime_.With([&] {
    runtime_.probe_result = 204;
    return 0;
  });
  json r = Deploy("api", "v1", {{"verify", "/health"}});
  EXPECT_EQ(r["verify"], json::parse(R"({"path": "/health", "status": 204})"));
  EXPECT_EQ(r["deployment"]["versions"][0]["version_id"], r["version"]["id"]);
  EXPECT_EQ(Call("GET", "/api/v1/workers/api/deployments/active").body["id"], r["deployment"]["id"]);
  EXPECT_EQ(runtime_.With([&] { return runtime_.refreshes; }), 1);
  EXPECT_EQ(Call("POST", "/api/v1/workers/api/deploy",
                 [] {
                   json b = VersionBody();
                   b["verify"] = "health";
                   return b;
                 }())
                .status,
            400);
}

TEST_F(ApiServerTest, WatchRollsBackWhenTheErrorRateRises) {
  json first = Deploy("api", "v1");
  std::string v1 = first["version"]["id"];
  runtime_.With([&] {
    runtime_.stats[v1] = {.requests = 100, .errors = 1};  // 1 %
    runtime_.later_stats = {.requests = 10, .errors = 5};   // 50 % after the switch
    return 0;
  });
  json r = Deploy("api", "v2",
                  {{"watch", {{"seconds", 0.2}, {"max_error_rate_increase", 0.05}}}});
  ASSERT_TRUE(r.contains("watch")) << r.dump();
  const json& w = r["watch"];
  EXPECT_EQ(w["rolled_back"], true);
  EXPECT_EQ(w["requests"], 10);
  EXPECT_EQ(w["errors"], 5);
  EXPECT_DOUBLE_EQ(w["error_rate"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(w["baseline_error_rate"].get<double>(), 0.01);
  EXPECT_EQ(w["message"], "automatic rollback: error rate 50% > 6%");

  Reply active = Call("GET", "/api/v1/workers/api/deployments/active");
  EXPECT_EQ(active.body["source"], "rollback");
  EXPECT_EQ(active.body["message"], "automatic rollback: error rate 50% > 6%");
  EXPECT_EQ(active.body["versions"][0]["version_id"], v1);
  EXPECT_EQ(runtime_.With([&] { return runtime_.refreshes; }), 3);  // deploy, deploy, rollback
}

TEST_F(ApiServerTest, WatchKeepsAHealthyVersion) {
  json first = Deploy("api", "v1");
  std::string v1 = first["version"]["id"];
  runtime_.With([&] {
    runtime_.stats[v1] = {.requests = 100, .errors = 10};  // 10 %
    runtime_.later_stats = {.requests = 20, .errors = 3};   // 15 %: within 10 + 5 points
    return 0;
  });
  json r = Deploy("api", "v2", {{"watch", {{"seconds", 0.1}}}});
  const json& w = r["watch"];
  EXPECT_EQ(w["rolled_back"], false);
  EXPECT_EQ(w["requests"], 20);
  EXPECT_FALSE(w.contains("message"));
  EXPECT_EQ(Call("GET", "/api/v1/workers/api/deployments/active").body["id"], r["deployment"]["id"]);
  EXPECT_EQ(runtime_.With([&] { return runtime_.refreshes; }), 2);
}

TEST_F(ApiServerTest, WatchWithoutRequestsNeverRollsBack) {
  Deploy("api", "v1");
  runtime_.With([&] {
    runtime_.later_stats = {};
    return 0;
  });
  json r = Deploy("api", "v2", {{"watch", {{"seconds", 0}}}});
  EXPECT_EQ(r["watch"]["rolled_back"], false);
  EXPECT_EQ(r["watch"]["requests"], 0);
}

TEST_F(ApiServerTest, WatchOnAFirstDeployCannotRollBackAndSaysWhy) {
  runtime_.With([&] {
    runtime_.later_stats = {.requests = 4, .errors = 4};
    return 0;
  });
  json r = Deploy("api", "v1", {{"watch", {{"seconds", 0}}}});
  EXPECT_EQ(r["watch"]["rolled_back"], false);
  EXPECT_FALSE(r["watch"].value("error", "").empty()) << r.dump();
}

TEST_F(ApiServerTest, StopEndsAWatchEarly) {
  Deploy("api", "v1");
  auto conn = Must(http::testing::TestConnection::Connect(server_->port()));
  json body = VersionBody("v2");
  body["watch"] = {{"seconds", 600}};
  std::string text = body.dump();
  MustOk(conn.Send("POST /api/v1/workers/api/deploy HTTP/1.1\r\nHost: x\r\nAuthorization: "
                   "Bearer " +
                   admin_token_ + "\r\nContent-Length: " + std::to_string(text.size()) +
                   "\r\n\r\n" + text));
  // Wait until the deploy is through (the second Refresh), then stop.
  for (int i = 0; i < 400 && runtime_.With([&] { return runtime_.refreshes; }) < 2; ++i) {
    std::this_thread::sleep_for(5ms);
  }
  auto started = std::chrono::steady_clock::now();
  server_->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  auto response = Must(conn.ReadResponse());
  EXPECT_EQ(response.status, 200);
  json answer = json::parse(response.body);
  EXPECT_EQ(answer["watch"]["rolled_back"], false);
}

}  // namespace
}  // namespace blaze::admin
