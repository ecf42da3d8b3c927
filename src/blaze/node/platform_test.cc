// ServePlatform end to end: a real ControlPlane on a temp data directory, real engines on a real
// http::Server (loopback, port 0, two cores), requests over sockets.
#include "blaze/node/platform.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/post.hpp>
#include <chrono>
#include <condition_variable>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "blaze/http/test_support.h"
#include "tests/testing/must.h"
#include "tests/testing/temp_dir.h"

namespace blaze::node {
namespace {

using http::testing::ClientResponse;
using http::testing::GetRequest;
using http::testing::TestConnection;
using nlohmann::json;
using testing::ErrorOf;
using testing::Must;
using testing::MustOk;

engine::JsProcess& Process() {
  static std::unique_ptr<engine::JsProcess> process = engine::JsProcess::Start().value();
  return *process;
}

// A worker answering `text` (JS expression) for every request.
std::string Answering(const std::string& text) {
  return "export default { async fetch(request, env) { return new Response(" + text + "); } };\n";
}

class PlatformTest : public ::testing::Test {
 protected:
  void SetUp() override {
    control::ControlPlaneOptions o;
    o.data_dir = dir_.path();
    o.clock = &clock_;
    o.random = &random_;
    o.secure_random = &secure_random_;
    cp_ = Must(control::ControlPlane::Open(o));
    PlatformOptions po;
    po.control = cp_.get();
    po.process = &Process();
    po.data_dir = dir_.path();
    po.listen.port = 0;
    po.listen.threads = 2;
    po.seed = 42;
    platform_ = Must(ServePlatform::Start(std::move(po)));
  }

  void TearDown() override { platform_->Stop(); }

  static control::NewVersion Version(const std::string& worker, const std::string& source) {
    control::NewVersion v;
    v.worker = worker;
    v.main_module = "index.js";
    v.modules["index.js"] = source;
    v.config.compatibility_date = "2025-01-01";
    return v;
  }

  std::string Deploy(const std::string& worker, const std::string& source) {
    return Must(cp_->Deploy(deployer_, Version(worker, source))).version.id;
  }
  std::string Upload(const std::string& worker, const std::string& source) {
    return Must(cp_->UploadVersion(deployer_, Version(worker, source))).id;
  }
  void Split(const std::string& worker, const std::string& a, double pa, const std::string& b,
             double pb) {
    Must(cp_->DeployVersions(deployer_, worker, {{a, pa}, {b, pb}}, "split"));
  }

  ClientResponse Get(const std::string& host, const std::string& target = "/",
                     const std::string& extra = "") {
    TestConnection c = Must(TestConnection::Connect(platform_->port()));
    MustOk(c.Send(GetRequest(target, host, extra)));
    return Must(c.ReadResponse());
  }

  // The tail lines of a worker, parsed, while the subscription lives.
  class TailLines {
   public:
    TailLines(ServePlatform& platform, const std::string& worker)
        : sub_(platform.Tail(worker, [this](const std::string& line) {
            std::lock_guard lock(mu_);
            lines_.push_back(json::parse(line));
            cv_.notify_all();
          })) {}
    // Waits (bounded: 5 s) for at least `n` lines and returns them all.
    std::vector<json> WaitFor(std::size_t n) {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::seconds(5), [&] { return lines_.size() >= n; });
      return lines_;
    }
    void Unsubscribe() { sub_.reset(); }

   private:
    std::mutex mu_;
    std::condition_variable cv_;
    std::vector<json> lines_;
    std::unique_ptr<admin::TailSubscription> sub_;
  };

  // The worker realms every core holds.
  std::vector<std::size_t> Realms() {
    std::vector<std::size_t> counts(platform_->core_count());
    MustOk(platform_->RunOnEachCore(
        [&](int i, CoreHandler& core) { counts[i] = core.engine().realm_count(); }));
    return counts;
  }

  testing::TempDir dir_;
  FakeClock clock_;
  Random random_{42};
  control::FakeSecureRandom secure_random_{7};
  std::unique_ptr<control::ControlPlane> cp_;
  std::unique_ptr<ServePlatform> platform_;
  control::Principal deployer_{
      "t-ci", "ci", {control::Scope::kRead, control::Scope::kDeploy, control::Scope::kSecrets}};
};

TEST_F(PlatformTest, ADeployedVersionAnswersAtWorkerLocalhost) {
  Deploy("api", Answering("'api v1'"));
  MustOk(platform_->Refresh());
  ClientResponse r = Get("api.localhost:8787");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "api v1");
  EXPECT_FALSE(r.header("x-blaze-version").has_value());
  EXPECT_EQ(Get("nobody.localhost").status, 404);
  EXPECT_EQ(platform_->UrlOf("api"), "http://api.localhost:" + std::to_string(platform_->port()));
}

TEST_F(PlatformTest, ARoutePatternOfThePrimaryVersionReachesTheWorker) {
  control::NewVersion v = Version("api", Answering("'by route'"));
  v.config.routes = {"example.com/api/*"};
  Must(cp_->Deploy(deployer_, v));
  MustOk(platform_->Refresh());
  EXPECT_EQ(Get("example.com", "/api/x").body, "by route");
  EXPECT_EQ(Get("example.com", "/other").status, 404);
}

TEST_F(PlatformTest, AfterRefreshEveryCoreAnswersWithTheNewVersion) {
  Deploy("api", Answering("'v1'"));
  MustOk(platform_->Refresh());
  // 64 keep-alive connections, open before any request: the kernel spreads them over both cores
  // (the chance that one core gets all of them is 2^-63).
  std::vector<TestConnection> connections;
  for (int i = 0; i < 64; ++i)
    connections.push_back(Must(TestConnection::Connect(platform_->port())));
  for (auto& c : connections) {
    MustOk(c.Send(GetRequest("/", "api.localhost")));
    EXPECT_EQ(Must(c.ReadResponse()).body, "v1");
  }
  for (std::size_t n : Realms()) EXPECT_EQ(n, 1u);  // v1 on both cores

  std::string v2 = Deploy("api", Answering("'v2'"));
  auto start = std::chrono::steady_clock::now();
  MustOk(platform_->Refresh());  // compiles v2, then swaps it into both cores
  double refresh_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  for (auto& c : connections) {
    MustOk(c.Send(GetRequest("/", "api.localhost")));
    EXPECT_EQ(Must(c.ReadResponse()).body, "v2");
  }
  // A rollback to a built version: nothing to compile, only the swap.
  Must(cp_->Rollback(deployer_, "api", {}));
  start = std::chrono::steady_clock::now();
  MustOk(platform_->Refresh());
  double rollback_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  for (auto& c : connections) {
    MustOk(c.Send(GetRequest("/", "api.localhost")));
    EXPECT_EQ(Must(c.ReadResponse()).body, "v1");
  }
  std::cout << "[ timing ] deploy: Refresh (compile + swap on " << platform_->core_count()
            << " cores) " << refresh_ms << " ms; rollback: Refresh (swap only) " << rollback_ms
            << " ms" << std::endl;
  EXPECT_LT(rollback_ms, 500.0);  // the goal is 50; bounded loosely against a loaded CI box
  EXPECT_EQ(platform_->Stats(v2).requests, 64u);
}

TEST_F(PlatformTest, AFiftyFiftySplitServesBothVersions) {
  std::string v1 = Deploy("api", Answering("'v1'"));
  std::string v2 = Upload("api", Answering("'v2'"));
  Split("api", v1, 50, v2, 50);
  MustOk(platform_->Refresh());
  std::map<std::string, int> seen;
  TestConnection c = Must(TestConnection::Connect(platform_->port()));
  for (int i = 0; i < 200; ++i) {
    MustOk(c.Send(GetRequest("/", "api.localhost")));
    ++seen[Must(c.ReadResponse()).body];
  }
  // The core's RNG is seeded: deterministic; and for any fair draw P(< 40 of 200) < 1e-18.
  EXPECT_EQ(seen.size(), 2u);
  EXPECT_GE(seen["v1"], 40);
  EXPECT_GE(seen["v2"], 40);
  EXPECT_EQ(platform_->Stats(v1).requests + platform_->Stats(v2).requests, 200u);
}

TEST_F(PlatformTest, TheOverrideHeaderPinsAVersionOfTheDeploymentAndIgnoresOthers) {
  std::string v1 = Deploy("api", Answering("'v1'"));
  std::string v2 = Upload("api", Answering("'v2'"));
  std::string v3 = Upload("api", Answering("'v3'"));  // uploaded, not deployed
  Split("api", v1, 90, v2, 10);
  MustOk(platform_->Refresh());
  TestConnection c = Must(TestConnection::Connect(platform_->port()));
  for (int i = 0; i < 50; ++i) {
    MustOk(c.Send(GetRequest("/", "api.localhost",
                             "Cloudflare-Workers-Version-Overrides: api=\"" + v2 + "\"\r\n")));
    ASSERT_EQ(Must(c.ReadResponse()).body, "v2");
  }
  std::map<std::string, int> seen;
  for (int i = 0; i < 100; ++i) {
    MustOk(c.Send(GetRequest("/", "api.localhost",
                             "Cloudflare-Workers-Version-Overrides: api=\"" + v3 + "\"\r\n")));
    ClientResponse r = Must(c.ReadResponse());
    ASSERT_EQ(r.status, 200);
    ++seen[r.body];
  }
  EXPECT_EQ(seen.count("v3"), 0u);
  EXPECT_GE(seen["v1"], 70);  // the split as if there were no header
}

TEST_F(PlatformTest, SecretsArriveDecryptedOnEnvAndNeverInTailLines) {
  Must(cp_->PutSecret(deployer_, "api", "API_KEY", "s3cr3t-value"));
  control::NewVersion v = Version("api", R"(
export default { async fetch(request, env) {
  console.log('mode', env.MODE);
  return new Response(typeof env.API_KEY + ':' + env.API_KEY);
} };)");
  v.config.vars.push_back({"MODE", config::Var::Kind::kText, "production"});
  Must(cp_->Deploy(deployer_, v));
  MustOk(platform_->Refresh());

  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> lines;
  auto tail = platform_->Tail("api", [&](const std::string& line) {
    std::lock_guard lock(mu);
    lines.push_back(line);
    cv.notify_all();
  });
  EXPECT_EQ(Get("api.localhost").body, "string:s3cr3t-value");
  std::unique_lock lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(5), [&] { return !lines.empty(); }));
  EXPECT_EQ(lines[0].find("s3cr3t"), std::string::npos) << lines[0];
}

TEST_F(PlatformTest, TailGetsOneLinePerFinishedRequestOfItsWorker) {
  std::string id = Deploy("api", R"(
export default { async fetch(request) {
  console.log('hello from', new URL(request.url).pathname);
  if (request.url.endsWith('/boom')) throw new TypeError('kaboom');
  return new Response('ok', { status: 201 });
} };)");
  Deploy("web", Answering("'web'"));
  MustOk(platform_->Refresh());
  TailLines tail(*platform_, "api");
  EXPECT_EQ(Get("web.localhost").status, 200);  // another worker: not in this tail
  EXPECT_EQ(Get("api.localhost", "/a?b=1").status, 201);
  EXPECT_EQ(Get("api.localhost", "/boom").status, 500);
  {
    std::vector<json> lines = tail.WaitFor(2);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0]["worker"], "api");
    EXPECT_EQ(lines[0]["version_id"], id);
    EXPECT_EQ(lines[0]["outcome"], "ok");
    EXPECT_EQ(lines[0]["request"]["method"], "GET");
    EXPECT_EQ(lines[0]["request"]["url"], "http://api.localhost/a?b=1");
    EXPECT_EQ(lines[0]["response"]["status"], 201);
    EXPECT_EQ(lines[0]["logs"][0]["message"], "hello from /a");
    EXPECT_EQ(lines[1]["outcome"], "exception");
    EXPECT_EQ(lines[1]["response"]["status"], 500);
    EXPECT_EQ(lines[1]["exceptions"][0]["name"], "TypeError");
    EXPECT_EQ(lines[1]["exceptions"][0]["message"], "kaboom");
  }
  tail.Unsubscribe();
  EXPECT_EQ(Get("api.localhost").status, 201);
  EXPECT_EQ(tail.WaitFor(0).size(), 2u);  // unsubscribed
}

// As Cloudflare's tail: the event is the whole invocation, sent when its ctx.waitUntil() work
// has ended, with what that work logged after the response (it used to be dropped).
TEST_F(PlatformTest, TailEventsCarryTheLogsOfWaitUntilWork) {
  Deploy("api", R"(
export default { async fetch(request, env, ctx) {
  console.log('responding');
  ctx.waitUntil((async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    console.log('after the response');
    if (request.url.endsWith('/reject')) throw new RangeError('late failure');
  })());
  return new Response('ok');
} };)");
  MustOk(platform_->Refresh());
  TailLines tail(*platform_, "api");
  EXPECT_EQ(Get("api.localhost").body, "ok");
  EXPECT_EQ(Get("api.localhost", "/reject").body, "ok");
  std::vector<json> lines = tail.WaitFor(2);
  ASSERT_EQ(lines.size(), 2u);
  ASSERT_EQ(lines[0]["logs"].size(), 2u) << lines[0].dump();
  EXPECT_EQ(lines[0]["logs"][0]["message"], "responding");
  EXPECT_EQ(lines[0]["logs"][1]["message"], "after the response");
  EXPECT_EQ(lines[0]["outcome"], "ok");
  EXPECT_EQ(lines[0]["response"]["status"], 200);
  // A rejected waitUntil promise is reported as an uncaught error in the same event; the
  // request itself succeeded.
  ASSERT_EQ(lines[1]["logs"].size(), 3u) << lines[1].dump();
  EXPECT_EQ(lines[1]["logs"][2]["level"], "error");
  EXPECT_EQ(lines[1]["logs"][2]["message"].get<std::string>().rfind("Uncaught RangeError: late failure", 0), 0u)
      << lines[1]["logs"][2];
  EXPECT_EQ(lines[1]["outcome"], "ok");
  EXPECT_EQ(lines[1]["response"]["status"], 200);
}

TEST_F(PlatformTest, StatsCountRequestsAndErrorsPerVersion) {
  std::string id = Deploy("api", R"(
export default { async fetch(request) {
  if (request.url.endsWith('/boom')) throw new Error('boom');
  if (request.url.endsWith('/503')) return new Response('busy', { status: 503 });
  return new Response('ok');
} };)");
  MustOk(platform_->Refresh());
  EXPECT_EQ(Get("api.localhost", "/").status, 200);
  EXPECT_EQ(Get("api.localhost", "/boom").status, 500);
  EXPECT_EQ(Get("api.localhost", "/503").status, 503);
  EXPECT_EQ(Get("api.localhost", "/").status, 200);
  admin::VersionStats stats = platform_->Stats(id);
  EXPECT_EQ(stats.requests, 4u);
  EXPECT_EQ(stats.errors, 2u);
  EXPECT_EQ(platform_->Stats("unknown").requests, 0u);
}

// A deployed version is started on every core by the swap, before its first request.
TEST_F(PlatformTest, TheSwapStartsTheNewVersionOnEveryCore) {
  Deploy("api", R"(
const startedBeforeTraffic = Date.now();
export default { fetch() { return new Response('ready'); } };)");
  EXPECT_EQ(Realms(), (std::vector<std::size_t>{0, 0}));
  MustOk(platform_->Refresh());
  EXPECT_EQ(Realms(), (std::vector<std::size_t>{1, 1}));
  EXPECT_EQ(Get("api.localhost").body, "ready");
  EXPECT_EQ(Realms(), (std::vector<std::size_t>{1, 1}));
  // A version whose top-level code throws is not started (its requests report the error).
  Deploy("api", "throw new Error('broken at load');");
  MustOk(platform_->Refresh());
  EXPECT_EQ(Realms(), (std::vector<std::size_t>{0, 0}));
  ClientResponse r = Get("api.localhost");
  EXPECT_EQ(r.status, 500);
}

TEST_F(PlatformTest, ProbeRunsAnUndeployedVersionAndReturnsItsStatus) {
  std::string v1 = Deploy("api", Answering("'v1'"));
  MustOk(platform_->Refresh());
  std::string good = Upload("api", R"(
export default { fetch(request) {
  return new Response(null, { status: new URL(request.url).pathname === '/health' ? 204 : 404 });
} };)");
  std::string bad = Upload("api", "export default { fetch() { throw new Error('no'); } };");
  EXPECT_EQ(Must(platform_->Probe("api", good, "/health")), 204);
  EXPECT_EQ(Must(platform_->Probe("api", good, "/nope")), 404);
  EXPECT_EQ(Must(platform_->Probe("api", bad, "/health")), 500);
  EXPECT_EQ(ErrorOf(platform_->Probe("api", "no-such-version", "/")).code(), ErrorCode::kNotFound);
  // Probes are not traffic: the deployed version still answers, and nobody counted them.
  EXPECT_EQ(Get("api.localhost").body, "v1");
  EXPECT_EQ(platform_->Stats(good).requests, 0u);
  // The probed versions' realms are gone once their probes ended: each core holds v1's only
  // (started on every core when it was deployed).
  EXPECT_EQ(Realms(), (std::vector<std::size_t>{1, 1}));
}

TEST_F(PlatformTest, CheckRefusesAMissingD1DatabaseNamingTheBindingAndTheCommand) {
  control::NewVersion v = Version("api", Answering("'x'"));
  v.config.d1_databases.push_back({.binding = "DB", .database_name = "scores"});
  Error e = ErrorOf(platform_->Check(v));
  EXPECT_EQ(e.code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(e.message(),
            "D1 database 'scores' (binding DB) does not exist: create it with `blaze d1 create "
            "scores`");

  bindings::Storage storage({.data_dir = dir_.path()});
  auto d1 = Must(storage.D1());
  EXPECT_FALSE(Must(d1->Lookup("scores")).has_value());  // Check never creates
  Must(d1->Create("scores"));
  MustOk(platform_->Check(v));
}

TEST_F(PlatformTest, CheckRefusesMissingKvR2AndUndeployedServices) {
  control::NewVersion kv = Version("api", Answering("'x'"));
  kv.config.kv_namespaces.push_back({.binding = "CACHE", .id = "0123456789abcdef"});
  EXPECT_EQ(ErrorOf(platform_->Check(kv)).message(),
            "KV namespace '0123456789abcdef' (binding CACHE) does not exist: create it with "
            "`blaze kv namespace create TITLE` and bind the id it prints");
  control::NewVersion r2 = Version("api", Answering("'x'"));
  r2.config.r2_buckets.push_back({.binding = "MEDIA", .bucket_name = "media"});
  EXPECT_EQ(ErrorOf(platform_->Check(r2)).message(),
            "R2 bucket 'media' (binding MEDIA) does not exist: create it with `blaze r2 bucket "
            "create media`");
  control::NewVersion svc = Version("api", Answering("'x'"));
  svc.config.services.push_back({.binding = "AUTH", .service = "auth"});
  Error e = ErrorOf(platform_->Check(svc));
  EXPECT_EQ(e.code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(e.message().find("worker 'auth' (binding AUTH)"), std::string::npos) << e.message();
  Deploy("auth", Answering("'auth'"));
  MustOk(platform_->Check(svc));
}

// A service binding reaches the target as its deployment says, like a request from outside:
// a gradual split is honoured, the overrides header pins a version, each call counts in the
// version's stats and shows in the target's tail.
TEST_F(PlatformTest, ServiceBindingsFollowTheTargetsDeployment) {
  std::string a1 = Deploy("auth", Answering("'auth v1'"));
  std::string a2 = Upload("auth", Answering("'auth v2'"));
  Split("auth", a1, 50, a2, 50);
  control::NewVersion gw = Version("gw", R"(
export default { async fetch(request, env) {
  const pin = new URL(request.url).searchParams.get('pin');
  const headers = pin ? { 'cloudflare-workers-version-overrides': `auth="${pin}"` } : {};
  const r = await env.AUTH.fetch('http://auth/check', { headers });
  return new Response(await r.text());
} };)");
  gw.config.services.push_back({.binding = "AUTH", .service = "auth"});
  Must(cp_->Deploy(deployer_, gw));
  MustOk(platform_->Refresh());
  TailLines tail(*platform_, "auth");
  std::map<std::string, int> seen;
  for (int i = 0; i < 200; ++i) seen[Get("gw.localhost").body]++;
  EXPECT_GT(seen["auth v1"], 50) << seen["auth v1"];
  EXPECT_GT(seen["auth v2"], 50) << seen["auth v2"];
  EXPECT_EQ(seen["auth v1"] + seen["auth v2"], 200);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(Get("gw.localhost", "/?pin=" + a2).body, "auth v2");
  EXPECT_EQ(platform_->Stats(a1).requests + platform_->Stats(a2).requests, 220u);
  std::vector<json> lines = tail.WaitFor(220);
  ASSERT_EQ(lines.size(), 220u);
  EXPECT_EQ(lines[0]["worker"], "auth");
  EXPECT_EQ(lines[0]["request"]["url"], "http://auth/check");
  EXPECT_EQ(lines[0]["response"]["status"], 200);
}

TEST_F(PlatformTest, CheckNamesTheFileAndLineOfASyntaxError) {
  control::NewVersion v = Version("api",
                                  "import { x } from './lib/x.js';\n"
                                  "export default { fetch() { return x; } };\n");
  v.modules["lib/x.js"] = "export const x = 1;\nexport const y = ;\n";
  Error e = ErrorOf(platform_->Check(v));
  EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(e.message().find("lib/x.js:2"), std::string::npos) << e.message();
}

TEST_F(PlatformTest, AVersionWhoseDatabaseWasDeletedAnswers503AndOthersAreUnaffected) {
  bindings::Storage storage({.data_dir = dir_.path()});
  auto d1 = Must(storage.D1());
  Must(d1->Create("scores"));
  control::NewVersion v = Version("api", Answering("'api'"));
  v.config.d1_databases.push_back({.binding = "DB", .database_name = "scores"});
  std::string id = Must(cp_->Deploy(deployer_, v)).version.id;
  Deploy("web", Answering("'web'"));
  MustOk(platform_->Refresh());
  EXPECT_EQ(Get("api.localhost").status, 200);

  MustOk(d1->Delete("scores"));
  MustOk(platform_->Refresh());
  ClientResponse r = Get("api.localhost");
  EXPECT_EQ(r.status, 503);
  json body = json::parse(r.body);
  EXPECT_NE(
      body["error"].get<std::string>().find("D1 database 'scores' (binding DB) does not exist"),
      std::string::npos)
      << r.body;
  EXPECT_EQ(body["version_id"], id);
  EXPECT_EQ(Get("web.localhost").body, "web");
  EXPECT_EQ(platform_->Stats(id).errors, 1u);
}

TEST_F(PlatformTest, AnInFlightRequestFinishesOnItsVersionWhoseRealmIsThenDropped) {
  // An upstream the v1 worker fetches from, answering only when the test says so.
  std::mutex mu;
  std::condition_variable cv;
  std::optional<http::Respond> held;
  auto upstream = Must(http::testing::StartServer(http::testing::LoopbackOptions(1),
                                                  [&](http::HttpRequest, http::Respond respond) {
                                                    std::lock_guard lock(mu);
                                                    held = std::move(respond);
                                                    cv.notify_all();
                                                  }));
  Deploy("api",
         "export default { async fetch() {\n"
         "  const r = await fetch('http://127.0.0.1:" +
             std::to_string(upstream->port()) +
             "/');\n"
             "  return new Response('v1:' + await r.text());\n"
             "} };\n");
  MustOk(platform_->Refresh());
  TestConnection in_flight = Must(TestConnection::Connect(platform_->port()));
  MustOk(in_flight.Send(GetRequest("/", "api.localhost")));
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(5), [&] { return held.has_value(); }));
  }

  Deploy("api", Answering("'v2'"));
  MustOk(platform_->Refresh());
  EXPECT_EQ(Get("api.localhost").body, "v2");
  boost::asio::post(upstream->io_context(0), [&] {
    http::Respond respond = std::move(*held);  // called and destroyed on its core
    held.reset();
    http::HttpResponse r;
    r.body = http::Body("upstream");
    respond(std::move(r));
  });
  EXPECT_EQ(Must(in_flight.ReadResponse()).body, "v1:upstream");  // wholly v1
  // Each core holds v2's realm (started by the swap); v1's was dropped once its request ended.
  EXPECT_EQ(Realms(), (std::vector<std::size_t>{1, 1}));
  upstream->Stop();
}

// Clients hammer the worker over keep-alive connections while the main thread switches the
// deployment back and forth: no request fails, each is wholly one version (the body is made
// across a timer, a point where a core could process a swap), and every request sent after a
// Refresh returned (and answered before the next switch began) is served by the version it
// activated, whichever core it reached.
TEST_F(PlatformTest, UnderLoadSwitchingVersionsFailsNoRequestAndIsSeenByEveryCoreAtOnce) {
  auto source = [](const std::string& v) {
    return "export default { async fetch() {\n"
           "  const a = '" +
           v +
           "';\n"
           "  await new Promise((r) => setTimeout(r, 0));\n"
           "  return new Response(a + '" +
           v +
           "');\n"
           "} };\n";
  };
  std::string v1 = Deploy("api", source("v1"));
  std::string v2 = Upload("api", source("v2"));
  MustOk(platform_->Refresh());

  using Steady = std::chrono::steady_clock;
  struct Sample {
    Steady::time_point sent, received;
    std::string body;
  };
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0}, done{0};
  constexpr int kClients = 4;
  std::vector<std::vector<Sample>> samples(kClients);
  std::vector<std::thread> clients;
  struct JoinAll {  // also when an assertion throws out of the test body
    std::atomic<bool>& stop;
    std::vector<std::thread>& threads;
    ~JoinAll() {
      stop = true;
      for (auto& t : threads) {
        if (t.joinable()) t.join();
      }
    }
  } join_all{stop, clients};
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      auto c = TestConnection::Connect(platform_->port());
      if (!c) return void(++failures);
      while (!stop) {
        Steady::time_point sent = Steady::now();
        Result<ClientResponse> r = Fail(Unavailable("not sent"));
        if (c->Send(GetRequest("/", "api.localhost"))) r = c->ReadResponse();
        if (!r || r->status != 200 || (r->body != "v1v1" && r->body != "v2v2")) {
          ++failures;
          continue;
        }
        samples[i].push_back({sent, Steady::now(), r->body});
        ++done;
      }
    });
  }
  struct Switch {
    Steady::time_point called, returned;
    std::string body;
  };
  std::vector<Switch> switches;
  double worst_ms = 0;
  auto wait_for_traffic = [&] {
    int target = done + 50;
    auto deadline = Steady::now() + std::chrono::seconds(10);
    while (done < target && Steady::now() < deadline) std::this_thread::yield();
  };
  for (int i = 0; i < 20; ++i) {
    wait_for_traffic();
    bool to_v2 = i % 2 == 0;
    if (i == 10) {
      Must(cp_->Rollback(deployer_, "api", {.version_id = v2}));  // a rollback, the same way
    } else {
      Must(cp_->DeployVersions(deployer_, "api", {{to_v2 ? v2 : v1, 100}}, "switch"));
    }
    Switch s{Steady::now(), {}, to_v2 ? "v2v2" : "v1v1"};
    MustOk(platform_->Refresh());
    s.returned = Steady::now();
    worst_ms = std::max(worst_ms,
                        std::chrono::duration<double, std::milli>(s.returned - s.called).count());
    switches.push_back(s);
  }
  wait_for_traffic();
  stop = true;
  for (auto& t : clients) t.join();

  EXPECT_EQ(failures, 0);
  int checked = 0, stale = 0;
  for (const auto& client : samples) {
    for (const Sample& sample : client) {
      for (std::size_t k = 0; k < switches.size(); ++k) {
        bool after = sample.sent > switches[k].returned;
        bool before_next = k + 1 == switches.size() || sample.received < switches[k + 1].called;
        if (after && before_next) {
          ++checked;
          if (sample.body != switches[k].body) ++stale;
        }
      }
    }
  }
  std::cout << "[ timing ] " << done << " requests over " << switches.size() << " switches on "
            << platform_->core_count() << " cores: " << failures << " failed, " << stale << " of "
            << checked
            << " sent after a Refresh returned were served by an older version; slowest "
               "Refresh (swap into every core) "
            << worst_ms << " ms" << std::endl;
  EXPECT_EQ(stale, 0);
  EXPECT_GT(checked, 0);
}

}  // namespace
}  // namespace blaze::node
