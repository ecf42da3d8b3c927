#include "blaze/admin/api_router.h"

#include <gtest/gtest.h>

namespace blaze::admin {
namespace {

TEST(ApiRouterTest, MatchesEveryDocumentedRoute) {
  struct Case {
    const char* method;
    const char* target;
    Endpoint endpoint;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"GET", "/api/v1/health", Endpoint::kHealth},
           {"GET", "/api/v1/workers", Endpoint::kListWorkers},
           {"POST", "/api/v1/workers/api/deploy", Endpoint::kDeploy},
           {"POST", "/api/v1/workers/api/versions", Endpoint::kUploadVersion},
           {"GET", "/api/v1/workers/api/versions?limit=3", Endpoint::kListVersions},
           {"GET", "/api/v1/workers/api/versions/abc", Endpoint::kGetVersion},
           {"POST", "/api/v1/workers/api/deployments", Endpoint::kCreateDeployment},
           {"GET", "/api/v1/workers/api/deployments", Endpoint::kListDeployments},
           {"GET", "/api/v1/workers/api/deployments/active", Endpoint::kActiveDeployment},
           {"POST", "/api/v1/workers/api/rollback", Endpoint::kRollback},
           {"GET", "/api/v1/workers/api/tail", Endpoint::kTail},
           {"GET", "/api/v1/workers/api/secrets", Endpoint::kListSecrets},
           {"PUT", "/api/v1/workers/api/secrets/KEY", Endpoint::kPutSecret},
           {"DELETE", "/api/v1/workers/api/secrets/KEY", Endpoint::kDeleteSecret},
           {"GET", "/api/v1/tokens", Endpoint::kListTokens},
           {"POST", "/api/v1/tokens", Endpoint::kCreateToken},
           {"DELETE", "/api/v1/tokens/ci", Endpoint::kRevokeToken},
           {"GET", "/api/v1/audit?worker=api&limit=5", Endpoint::kListAudit},
           {"POST", "/api/v1/exec", Endpoint::kExec},
       }) {
    RouteResult r = MatchRoute(c.method, c.target);
    ASSERT_EQ(r.kind, RouteResult::Kind::kMatched) << c.method << " " << c.target;
    EXPECT_EQ(r.match.endpoint, c.endpoint) << c.target;
  }
}

TEST(ApiRouterTest, ExtractsDecodedParametersAndQuery) {
  RouteResult r = MatchRoute("DELETE", "/api/v1/tokens/ci%20bot");
  EXPECT_EQ(r.match.param, "ci bot");
  r = MatchRoute("PUT", "/api/v1/workers/my-api/secrets/API_KEY");
  EXPECT_EQ(r.match.worker, "my-api");
  EXPECT_EQ(r.match.param, "API_KEY");
  r = MatchRoute("GET", "/api/v1/audit?worker=a%2Db&limit=5&flag");
  EXPECT_EQ(r.match.query["worker"], "a-b");
  EXPECT_EQ(r.match.query["limit"], "5");
  EXPECT_EQ(r.match.query["flag"], "");
}

TEST(ApiRouterTest, UnknownPathsAndWrongMethods) {
  EXPECT_EQ(MatchRoute("GET", "/api/v2/health").kind, RouteResult::Kind::kNotFound);
  EXPECT_EQ(MatchRoute("GET", "/api/v1/workers/").kind, RouteResult::Kind::kNotFound);
  EXPECT_EQ(MatchRoute("GET", "/api/v1/workers/a/b/c/d").kind, RouteResult::Kind::kNotFound);
  EXPECT_EQ(MatchRoute("GET", "/api/v1/tokens/%zz").kind, RouteResult::Kind::kNotFound);
  RouteResult r = MatchRoute("PATCH", "/api/v1/workers/api/versions");
  EXPECT_EQ(r.kind, RouteResult::Kind::kMethodNotAllowed);
  EXPECT_EQ(r.allow, "POST, GET");
}

TEST(ApiRouterTest, QueryLimit) {
  RouteMatch m;
  EXPECT_EQ(*QueryLimit(m, 10, 100), 10u);
  m.query["limit"] = "42";
  EXPECT_EQ(*QueryLimit(m, 10, 100), 42u);
  for (const char* bad : {"", "-1", "1x", "101"}) {
    m.query["limit"] = bad;
    EXPECT_FALSE(QueryLimit(m, 10, 100).has_value()) << bad;
  }
}

TEST(ApiRouterTest, PercentDecode) {
  EXPECT_EQ(*PercentDecode("a%2Fb+c"), "a/b+c");
  EXPECT_EQ(*PercentDecode("a+c", true), "a c");
  EXPECT_FALSE(PercentDecode("%4").has_value());
  EXPECT_FALSE(PercentDecode("%g0").has_value());
}

}  // namespace
}  // namespace blaze::admin
