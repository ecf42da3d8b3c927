// The admin API over HTTP: authentication, scopes, routes, the read and change endpoints,
// secrets, tokens, audit, body limits and tail. Deploy's verify/watch: api_server_deploy_test;
// exec: api_server_exec_test.
#include <gtest/gtest.h>

#include <thread>

#include "blaze/admin/admin_test_fixture.h"

namespace blaze::admin {
namespace {

using namespace std::chrono_literals;

TEST_F(ApiServerTest, HealthNeedsNoTokenAndReportsTheVersion) {
  Reply r = Call("GET", "/api/v1/health", nullptr, "");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body["status"], "ok");
  EXPECT_EQ(r.body["version"], "9.9.9-test");
  EXPECT_EQ(r.header("content-type").value_or(""), "application/json");
}

TEST_F(ApiServerTest, MissingMalformedUnknownAndRevokedTokensAre401) {
  auto expect_401 = [&](const std::string& token, std::string_view message) {
    Reply r = Call("GET", "/api/v1/workers", nullptr, token);
    EXPECT_EQ(r.status, 401) << token;
    EXPECT_EQ(r.body["code"], "unauthenticated");
    EXPECT_EQ(r.body["status"], 401);
    EXPECT_TRUE(Contains(r.body.value("error", ""), message)) << r.raw;
    EXPECT_EQ(r.header("www-authenticate").value_or(""), "Bearer");
  };
  expect_401("", "an API token is required");
  expect_401("not-a-token", "malformed API token");
  expect_401("blz_" + std::string(43, 'A'), "invalid API token");

  std::string ci = CreateToken("ci", {"read"});
  EXPECT_EQ(Call("GET", "/api/v1/workers", nullptr, ci).status, 200);
  EXPECT_EQ(Call("DELETE", "/api/v1/tokens/ci").status, 200);
  expect_401(ci, "was revoked");
}

TEST_F(ApiServerTest, AMissingScopeIs403NamingIt) {
  std::string reader = CreateToken("reader", {"read"});
  Reply r = Call("POST", "/api/v1/workers/api/deploy", VersionBody(), reader);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.body["code"], "permission_denied");
  EXPECT_TRUE(Contains(r.body["error"], "'deploy'")) << r.raw;
  EXPECT_EQ(runtime_.With([&] { return runtime_.checks; }), 0);  // refused before any work

  EXPECT_EQ(Call("GET", "/api/v1/tokens", nullptr, reader).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/audit", nullptr, reader).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/workers/api/secrets", nullptr, reader).status, 403);
  Reply secret = Call("PUT", "/api/v1/workers/api/secrets/KEY", {{"value", "x"}}, reader);
  EXPECT_EQ(secret.status, 403);
  EXPECT_TRUE(Contains(secret.body["error"], "'secrets'"));

  std::string deployer = CreateToken("deployer", {"deploy"});
  Reply list = Call("GET", "/api/v1/workers", nullptr, deployer);
  EXPECT_EQ(list.status, 403);
  EXPECT_TRUE(Contains(list.body["error"], "'read'"));
}

TEST_F(ApiServerTest, UnknownRoutesAre404AndWrongMethods405) {
  Reply r = Call("GET", "/api/v1/nope");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body["code"], "not_found");
  Reply m = Call("DELETE", "/api/v1/workers");
  EXPECT_EQ(m.status, 405);
  EXPECT_EQ(m.body["code"], "method_not_allowed");
  EXPECT_EQ(m.header("allow").value_or(""), "GET");
  EXPECT_EQ(Call("GET", "/api/v1/workers/nope/versions").status, 404);
}

TEST_F(ApiServerTest, DeployAnswersTheVersionAndDeploymentAndRefreshes) {
  json r = Deploy("api", "v1");
  const json& v = r["version"];
  for (const char* key : {"id", "number", "worker", "created_at", "author", "message", "tag",
                          "source", "main_module", "modules", "config", "secrets"}) {
    EXPECT_TRUE(v.contains(key)) << key;
  }
  EXPECT_EQ(v["number"], 1);
  EXPECT_EQ(v["worker"], "api");
  EXPECT_EQ(v["author"], "admin");
  EXPECT_EQ(v["message"], "deploy v1");
  EXPECT_EQ(v["source"], "upload");
  EXPECT_EQ(v["main_module"], "src/index.js");
  ASSERT_EQ(v["modules"].size(), 2u);
  EXPECT_EQ(v["modules"][0]["path"], "src/index.js");
  EXPECT_EQ(v["modules"][0]["sha256"].get<std::string>().size(), 64u);
  EXPECT_GT(v["modules"][0]["size"].get<int>(), 0);
  EXPECT_EQ(v["config"]["compatibility_date"], "2025-01-01");
  EXPECT_EQ(v["config"]["vars"][0]["name"], "MODE");
  EXPECT_EQ(v["secrets"], json::array());

  const json& d = r["deployment"];
  for (const char* key :
       {"id", "worker", "created_at", "author", "message", "source", "strategy", "versions"}) {
    EXPECT_TRUE(d.contains(key)) << key;
  }
  EXPECT_EQ(d["source"], "deploy");
  EXPECT_EQ(d["strategy"], "percentage");
  EXPECT_EQ(d["versions"], json::parse(R"([{"version_id":")" + v["id"].get<std::string>() +
                                       R"(","percentage":100.0}])"));
  EXPECT_EQ(r["url"], "http://api.localhost:8787");
  EXPECT_FALSE(r.contains("verify"));
  EXPECT_FALSE(r.contains("watch"));
  EXPECT_EQ(runtime_.With([&] { return runtime_.refreshes; }), 1);
  EXPECT_EQ(runtime_.With([&] { return runtime_.checks; }), 1);

  Reply workers = Call("GET", "/api/v1/workers");
  ASSERT_EQ(workers.status, 200);
  ASSERT_EQ(workers.body.size(), 1u);
  EXPECT_EQ(workers.body[0]["name"], "api");
  EXPECT_EQ(workers.body[0]["deployment"]["id"], d["id"]);
}

TEST_F(ApiServerTest, DryRunValidatesAndStoresNothing) {
  json body = VersionBody();
  body["dry_run"] = true;
  Reply r = Call("POST", "/api/v1/workers/api/deploy", body);
  EXPECT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body, json::parse(R"({"dry_run": true, "valid": true})"));
  EXPECT_EQ(Call("GET", "/api/v1/workers").body, json::array());
  EXPECT_EQ(Call("GET", "/api/v1/workers/api/versions").status, 404);
  EXPECT_EQ(runtime_.With([&] { return runtime_.refreshes; }), 0);
  // The audit log has only the first-start token record.
  EXPECT_EQ(Call("GET", "/api/v1/audit").body.size(), 1u);

  // A dry run still refuses what a deploy would.
  body["main_module"] = "src/missing.js";
  Reply bad = Call("POST", "/api/v1/workers/api/deploy", body);
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(Contains(bad.body["error"], "main module")) << bad.raw;
}

TEST_F(ApiServerTest, ACheckFailureAnswersItsStatusAndStoresNothing) {
  runtime_.With([&] {
    runtime_.check_result = Fail(InvalidArgument("src/index.js:3: SyntaxError: unexpected token"));
    return 0;
  });
  Reply syntax = Call("POST", "/api/v1/workers/api/deploy", VersionBody());
  EXPECT_EQ(syntax.status, 400);
  EXPECT_EQ(syntax.body["code"], "invalid_argument");
  EXPECT_TRUE(Contains(syntax.body["error"], "src/index.js:3"));

  runtime_.With([&] {
    runtime_.check_result = Fail(FailedPrecondition(
        "D1 database 'x' (binding DB) does not exist: create it with `blaze d1 create x`"));
    return 0;
  });
  Reply missing = Call("POST", "/api/v1/workers/api/deploy", VersionBody());
  EXPECT_EQ(missing.status, 409);
  EXPECT_EQ(missing.body["code"], "failed_precondition");
  EXPECT_TRUE(Contains(missing.body["error"], "blaze d1 create x"));
  Reply upload = Call("POST", "/api/v1/workers/api/versions", VersionBody());
  EXPECT_EQ(upload.status, 409);

  EXPECT_EQ(Call("GET", "/api/v1/workers").body, json::array());
  EXPECT_EQ(runtime_.With([&] { return runtime_.refreshes; }), 0);
}

TEST_F(ApiServerTest, BadBodiesAre400) {
  Reply not_json = CallRaw("POST", "/api/v1/workers/api/deploy", "{\"main_module\": ");
  EXPECT_EQ(not_json.status, 400);
  EXPECT_TRUE(Contains(not_json.body["error"], "not valid JSON"));
  json typo = VersionBody();
  typo["verfy"] = "/health";
  Reply unknown = Call("POST", "/api/v1/workers/api/deploy", typo);
  EXPECT_EQ(unknown.status, 400);
  EXPECT_TRUE(Contains(unknown.body["error"], "unknown field 'verfy'"));
  Reply name = Call("POST", "/api/v1/workers/My_Worker/deploy", VersionBody());
  EXPECT_EQ(name.status, 400);
  EXPECT_TRUE(Contains(name.body["error"], "invalid worker name"));
  json bindings = VersionBody();
  bindings["config"]["d1_databases"] = json::array();
  Reply misplaced = Call("POST", "/api/v1/workers/api/deploy", bindings);
  EXPECT_EQ(misplaced.status, 400);
  EXPECT_TRUE(Contains(misplaced.body["error"], "config: unknown field 'd1_databases'"));
  json watch_on_upload = VersionBody();
  watch_on_upload["watch"] = true;
  EXPECT_EQ(Call("POST", "/api/v1/workers/api/versions", watch_on_upload).status, 400);
}

TEST_F(ApiServerTest, ABodyOverTheLimitIs413) {
  std::string big(2u << 20, 'x');
  Reply r = CallRaw("POST", "/api/v1/workers/api/deploy", big);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.body["code"], "resource_exhausted");
}

TEST_F(ApiServerTest, VersionsDeploymentsAndRollback) {
  json first = Deploy("api", "v1");
  std::string v1 = first["version"]["id"];
  Reply refused = Call("POST", "/api/v1/workers/api/rollback", json::object());
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(refused.body["code"], "failed_precondition");
  EXPECT_FALSE(refused.body.value("error", "").empty());

  Reply uploaded = Call("POST", "/api/v1/workers/api/versions", VersionBody("v2"));
  ASSERT_EQ(uploaded.status, 200) << uploaded.raw;
  std::string v2 = uploaded.body["id"];
  EXPECT_EQ(uploaded.body["number"], 2);
  EXPECT_EQ(runtime_.With([&] { return runtime_.refreshes; }), 1);  // uploading serves nothing

  Reply versions = Call("GET", "/api/v1/workers/api/versions");
  ASSERT_EQ(versions.body.size(), 2u);
  EXPECT_EQ(versions.body[0]["id"], v2);  // newest first
  EXPECT_EQ(Call("GET", "/api/v1/workers/api/versions?limit=1").body.size(), 1u);
  EXPECT_EQ(Call("GET", "/api/v1/workers/api/versions?limit=x").status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/workers/api/versions/" + v1).body["number"], 1);
  EXPECT_EQ(Call("GET", "/api/v1/workers/api/versions/nope").status, 404);

  // A gradual deployment: 90 / 10.
  Reply split = Call("POST", "/api/v1/workers/api/deployments",
                     {{"versions",
                       {{{"version_id", v1}, {"percentage", 90}},
                        {{"version_id", v2}, {"percentage", 10}}}},
                      {"message", "canary"}});
  ASSERT_EQ(split.status, 200) << split.raw;
  EXPECT_EQ(split.body["versions"].size(), 2u);
  EXPECT_EQ(split.body["message"], "canary");
  EXPECT_EQ(runtime_.With([&] { return runtime_.refreshes; }), 2);
  Reply bad_split = Call("POST", "/api/v1/workers/api/deployments",
                         {{"versions",
                           {{{"version_id", v1}, {"percentage", 90}},
                            {{"version_id", v2}, {"percentage", 20}}}}});
  EXPECT_EQ(bad_split.status, 400);
  // wrangler's spec strings work too.
  Reply full = Call("POST", "/api/v1/workers/api/deployments",
                    {{"versions", {v2 + "@100%"}}, {"message", "all in"}});
  ASSERT_EQ(full.status, 200) << full.raw;
  EXPECT_EQ(Call("GET", "/api/v1/workers/api/deployments/active").body["id"], full.body["id"]);
  EXPECT_EQ(Call("GET", "/api/v1/workers/api/deployments").body.size(), 3u);
  EXPECT_EQ(Call("GET", "/api/v1/workers/api/deployments?limit=2").body.size(), 2u);

  Reply back = Call("POST", "/api/v1/workers/api/rollback",
                    {{"version_id", v1}, {"message", "p99 regression"}});
  ASSERT_EQ(back.status, 200) << back.raw;
  EXPECT_EQ(back.body["source"], "rollback");
  EXPECT_EQ(back.body["message"], "p99 regression");
  EXPECT_EQ(back.body["versions"][0]["version_id"], v1);
  EXPECT_EQ(runtime_.With([&] { return runtime_.refreshes; }), 4);
}

TEST_F(ApiServerTest, ActiveDeploymentIs404WithoutOne) {
  ASSERT_EQ(Call("POST", "/api/v1/workers/api/versions", VersionBody()).status, 200);
  Reply r = Call("GET", "/api/v1/workers/api/deployments/active");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/workers").body[0]["deployment"], nullptr);
}

TEST_F(ApiServerTest, ARefreshFailureSaysTheChangeIsStored) {
  runtime_.With([&] {
    runtime_.refresh_result = Fail(Unavailable("core 2 did not answer"));
    return 0;
  });
  Reply r = Call("POST", "/api/v1/workers/api/deploy", VersionBody());
  EXPECT_EQ(r.status, 503);
  EXPECT_TRUE(Contains(r.body["error"], "is stored")) << r.raw;
  EXPECT_TRUE(Contains(r.body["error"], "core 2 did not answer"));
}

TEST_F(ApiServerTest, SecretsPutListDeleteNeverShowTheValue) {
  const std::string value = "s3cr3t-VALUE-xyz";
  // Before the first deploy a secret is only stored.
  Reply early = Call("PUT", "/api/v1/workers/api/secrets/EARLY", {{"value", value}});
  ASSERT_EQ(early.status, 200) << early.raw;
  EXPECT_EQ(early.body["name"], "EARLY");
  EXPECT_EQ(early.body["deployment"], nullptr);
  EXPECT_EQ(runtime_.With([&] { return runtime_.refreshes; }), 0);

  Deploy("api", "v1");
  Reply put = Call("PUT", "/api/v1/workers/api/secrets/API_KEY", {{"value", value}});
  ASSERT_EQ(put.status, 200) << put.raw;
  EXPECT_EQ(put.body["deployment"]["source"], "secret");
  EXPECT_EQ(runtime_.With([&] { return runtime_.refreshes; }), 2);

  Reply list = Call("GET", "/api/v1/workers/api/secrets");
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.body.size(), 2u);
  EXPECT_EQ(list.body[0]["name"], "API_KEY");
  EXPECT_TRUE(list.body[0].contains("updated_at"));

  Reply version = Call("GET", "/api/v1/workers/api/versions?limit=1");
  EXPECT_EQ(version.body[0]["secrets"], json::parse(R"(["API_KEY","EARLY"])"));

  Reply del = Call("DELETE", "/api/v1/workers/api/secrets/API_KEY");
  ASSERT_EQ(del.status, 200) << del.raw;
  EXPECT_EQ(del.body["deployment"]["source"], "secret");
  EXPECT_EQ(Call("DELETE", "/api/v1/workers/api/secrets/API_KEY").status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/workers/api/secrets").body.size(), 1u);

  Reply bad = CallRaw("PUT", "/api/v1/workers/api/secrets/K", "{\"value\": \"" + value);
  EXPECT_EQ(bad.status, 400);
  EXPECT_FALSE(Contains(bad.raw, value));

  Reply audit = Call("GET", "/api/v1/audit?limit=0");
  ASSERT_EQ(audit.status, 200);
  EXPECT_FALSE(Contains(audit.raw, value));
  for (const std::string& raw : {early.raw, put.raw, list.raw, version.raw, del.raw}) {
    EXPECT_FALSE(Contains(raw, value));
  }
  Reply worker_audit = Call("GET", "/api/v1/audit?worker=api");
  ASSERT_EQ(worker_audit.status, 200);
  ASSERT_EQ(worker_audit.body.size(), 4u) << worker_audit.raw;
  EXPECT_EQ(worker_audit.body[0]["action"], "secret.delete");
  EXPECT_EQ(worker_audit.body[0]["target"], "api/API_KEY");
  EXPECT_EQ(worker_audit.body[3]["action"], "secret.put");
}

TEST_F(ApiServerTest, TokensCreateListRevokeAndTheAuditLog) {
  Reply created = Call("POST", "/api/v1/tokens", {{"name", "ci"}, {"scopes", {"read", "deploy"}}});
  ASSERT_EQ(created.status, 200) << created.raw;
  std::string secret = created.body["token"];
  EXPECT_TRUE(secret.starts_with("blz_"));
  EXPECT_EQ(created.body["name"], "ci");
  EXPECT_EQ(created.body["scopes"], json::parse(R"(["read","deploy"])"));
  EXPECT_EQ(created.body["created_by"], "admin");
  EXPECT_EQ(created.body["revoked_at"], nullptr);
  EXPECT_EQ(Call("POST", "/api/v1/tokens", {{"name", "ci"}, {"scopes", {"read"}}}).body["code"],
            "already_exists");
  EXPECT_EQ(Call("POST", "/api/v1/tokens", {{"name", "x"}, {"scopes", {"root"}}}).status, 400);

  Reply list = Call("GET", "/api/v1/tokens");
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.body.size(), 2u);
  EXPECT_FALSE(Contains(list.raw, secret));
  EXPECT_FALSE(Contains(list.raw, admin_token_));
  for (const auto& t : list.body) {
    for (const char* key : {"id", "name", "scopes", "created_at", "created_by", "last_used_at",
                            "revoked_at"}) {
      EXPECT_TRUE(t.contains(key)) << key;
    }
  }

  Reply revoked = Call("DELETE", "/api/v1/tokens/" + created.body["id"].get<std::string>());
  ASSERT_EQ(revoked.status, 200) << revoked.raw;
  EXPECT_NE(revoked.body["revoked_at"], nullptr);
  EXPECT_EQ(Call("DELETE", "/api/v1/tokens/nobody").status, 404);
  Reply last_admin = Call("DELETE", "/api/v1/tokens/admin");
  EXPECT_EQ(last_admin.status, 409);

  Reply audit = Call("GET", "/api/v1/audit");
  ASSERT_EQ(audit.status, 200);
  ASSERT_EQ(audit.body.size(), 3u);
  EXPECT_EQ(audit.body[0]["action"], "token.revoke");
  EXPECT_EQ(audit.body[0]["actor"], "admin");
  EXPECT_EQ(audit.body[0]["target"], "ci");
  for (const char* key : {"id", "at", "actor", "action", "target", "detail"}) {
    EXPECT_TRUE(audit.body[0].contains(key)) << key;
  }
  EXPECT_EQ(audit.body[2]["actor"], "blaze");  // the first-start token
  EXPECT_FALSE(Contains(audit.raw, secret));
  EXPECT_EQ(Call("GET", "/api/v1/audit?limit=1").body.size(), 1u);
  EXPECT_EQ(Call("GET", "/api/v1/audit?action=token.create").body.size(), 2u);
}

// ---- tail ----------------------------------------------------------------------------------

TEST_F(ApiServerTest, TailStreamsLinesAndUnsubscribesWhenTheClientLeaves) {
  Deploy("api", "v1");
  EXPECT_EQ(Call("GET", "/api/v1/workers/nope/tail").status, 404);

  auto conn = Must(http::testing::TestConnection::Connect(server_->port()));
  MustOk(conn.Send("GET /api/v1/workers/api/tail HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                   admin_token_ + "\r\n\r\n"));
  std::string head = Must(conn.ReadUntil("\r\n\r\n"));
  EXPECT_TRUE(Contains(head, "200 OK")) << head;
  EXPECT_TRUE(Contains(head, "application/x-ndjson"));
  for (int i = 0; i < 200 && runtime_.tails() == 0; ++i) std::this_thread::sleep_for(5ms);
  ASSERT_EQ(runtime_.tails(), 1);
  EXPECT_EQ(runtime_.Emit("api", R"({"worker":"api","outcome":"ok"})"), 1);
  EXPECT_EQ(runtime_.Emit("other", R"({"worker":"other"})"), 0);
  std::string line = Must(conn.ReadUntil("\"outcome\":\"ok\"}\n"));
  EXPECT_TRUE(Contains(line, R"({"worker":"api","outcome":"ok"})"));

  conn.Close();
  // The heartbeat's write fails, the session cancels the body, the subscription goes.
  for (int i = 0; i < 400 && runtime_.tails() != 0; ++i) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(runtime_.tails(), 0);
}

TEST_F(ApiServerTest, StopEndsATailStream) {
  Deploy("api", "v1");
  auto conn = Must(http::testing::TestConnection::Connect(server_->port()));
  MustOk(conn.Send("GET /api/v1/workers/api/tail HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                   admin_token_ + "\r\n\r\n"));
  Must(conn.ReadUntil("\r\n\r\n"));
  auto started = std::chrono::steady_clock::now();
  server_->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  std::string rest = Must(conn.ReadUntilClose());
  EXPECT_TRUE(Contains(rest, "0\r\n\r\n")) << rest;  // a clean end of the chunked body
  EXPECT_EQ(runtime_.tails(), 0);
}

}  // namespace
}  // namespace blaze::admin
