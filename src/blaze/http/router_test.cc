#include "blaze/http/router.h"

#include <gtest/gtest.h>

namespace blaze::http {
namespace {

std::shared_ptr<const Router> MustBuild(RouterConfig config) {
  auto router = Router::Build(std::move(config));
  EXPECT_TRUE(router.has_value()) << router.error().ToString();
  return router.value_or(nullptr);
}

TEST(NormalizeHost, LowercasesAndDropsPortAndTrailingDot) {
  EXPECT_EQ(NormalizeHost("My-Worker.LocalHost:8787"), "my-worker.localhost");
  EXPECT_EQ(NormalizeHost("example.com."), "example.com");
  EXPECT_EQ(NormalizeHost("[::1]:8787"), "[::1]");
  EXPECT_EQ(NormalizeHost(""), "");
}

TEST(Router, SubdomainOfTheBaseDomainNamesTheWorker) {
  auto router = MustBuild({});
  EXPECT_EQ(router->Match("my-worker.localhost:8787", "/"), "my-worker");
  EXPECT_EQ(router->Match("MY-Worker.LOCALHOST", "/x?y"), "my-worker");
  EXPECT_EQ(router->Match("localhost:8787", "/"), std::nullopt);
  EXPECT_EQ(router->Match("a.b.localhost", "/"), std::nullopt);
  EXPECT_EQ(router->Match("notlocalhost", "/"), std::nullopt);
  EXPECT_EQ(router->Match("-bad.localhost", "/"), std::nullopt);
  EXPECT_EQ(router->Match("example.com", "/"), std::nullopt);
}

TEST(Router, BaseDomainIsConfigurable) {
  auto router = MustBuild({.base_domain = "Blaze.Example"});
  EXPECT_EQ(router->Match("api.blaze.example", "/"), "api");
  EXPECT_EQ(router->Match("api.localhost", "/"), std::nullopt);
}

TEST(Router, RoutePatternsMatchHostAndPath) {
  auto router = MustBuild({.routes = {{"example.com/api/*", "api"},
                                      {"example.com/exact", "exact"},
                                      {"*.example.com/*", "subdomains"},
                                      {"*shop.test/*", "shop"}}});
  EXPECT_EQ(router->Match("example.com", "/api/users?id=1"), "api");
  EXPECT_EQ(router->Match("EXAMPLE.com:443", "/api/"), "api");
  EXPECT_EQ(router->Match("example.com", "/api"), std::nullopt);  // "/api/*" needs the slash
  EXPECT_EQ(router->Match("example.com", "/exact"), "exact");
  EXPECT_EQ(router->Match("example.com", "/exact?q=1"), std::nullopt);  // query counts
  EXPECT_EQ(router->Match("www.example.com", "/anything"), "subdomains");
  EXPECT_EQ(router->Match("example.com", "/other"), std::nullopt);  // "*." needs a subdomain
  EXPECT_EQ(router->Match("shop.test", "/"), "shop");               // "*x" includes the apex
  EXPECT_EQ(router->Match("myshop.test", "/"), "shop");
}

TEST(Router, MostSpecificPatternWins) {
  auto router = MustBuild({.routes = {{"*example.com/*", "catch-all"},
                                      {"*.example.com/*", "any-sub"},
                                      {"*.api.example.com/*", "api-sub"},
                                      {"www.example.com/*", "www"},
                                      {"www.example.com/images/*", "images"},
                                      {"www.example.com/images/logo.png", "logo"},
                                      {"*.example.com/a", "sub-a"},
                                      {"a.example.com/*", "host-a"}}});
  EXPECT_EQ(router->Match("www.example.com", "/"), "www");
  EXPECT_EQ(router->Match("www.example.com", "/images/x.png"), "images");
  EXPECT_EQ(router->Match("www.example.com", "/images/logo.png"), "logo");
  EXPECT_EQ(router->Match("v1.api.example.com", "/"), "api-sub");
  EXPECT_EQ(router->Match("other.example.com", "/"), "any-sub");
  EXPECT_EQ(router->Match("other.example.com", "/a"), "sub-a");
  EXPECT_EQ(router->Match("example.com", "/"), "catch-all");
  // Host specificity comes first, as on Cloudflare: an exact host beats a wildcard host even
  // when the wildcard's path is more specific.
  EXPECT_EQ(router->Match("a.example.com", "/a"), "host-a");
}

TEST(Router, RoutesAreTriedBeforeTheBaseDomain) {
  auto router = MustBuild({.routes = {{"special.localhost/*", "routed"}}});
  EXPECT_EQ(router->Match("special.localhost", "/"), "routed");
  EXPECT_EQ(router->Match("plain.localhost", "/"), "plain");
}

TEST(Router, SchemeInAPatternIsIgnored) {
  auto router = MustBuild({.routes = {{"https://example.com/*", "w"}}});
  EXPECT_EQ(router->Match("example.com", "/x"), "w");
}

TEST(Router, RejectsMalformedPatternsAndWorkerNames) {
  for (std::string_view bad : {"example.com", "/path", "*/*", "ex*ample.com/*", "example.com/*.jpg",
                               "example.com/?q=*", "example.com:8080/*"}) {
    auto router = Router::Build({.routes = {{std::string(bad), "w"}}});
    ASSERT_FALSE(router.has_value()) << bad;
    EXPECT_EQ(router.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(router.error().message().find(std::string(bad)), std::string::npos);
  }
  auto bad_worker = Router::Build({.routes = {{"example.com/*", "../etc"}}});
  ASSERT_FALSE(bad_worker.has_value());
  EXPECT_EQ(bad_worker.error().code(), ErrorCode::kInvalidArgument);
}

TEST(Router, RejectsDuplicatePatterns) {
  auto router = Router::Build({.routes = {{"example.com/*", "a"}, {"EXAMPLE.com/*", "b"}}});
  ASSERT_FALSE(router.has_value());
  EXPECT_NE(router.error().message().find("duplicate"), std::string::npos);
}

}  // namespace
}  // namespace blaze::http
