#include <gtest/gtest.h>

#include <chrono>

#include "blaze/runtime/engine/engine.h"
#include "blaze/runtime/engine/engine_test_util.h"
#include "tests/testing/must.h"

namespace blaze::engine {
namespace {

using testing::Harness;
using ::blaze::testing::MustOk;

TEST(EngineLimits, StopsARunawayLoopAndKeepsServing) {
  Harness h;
  auto runaway = h.Compile({{"worker.js", R"(
    let calls = 0;
    export default { fetch(r) {
      calls++;
      if (r.url.endsWith('/loop')) { try { while (true) {} } finally { calls = -1000; } }
      return new Response('calls=' + calls);
    } };)"}});
  auto other = h.Compile({{"worker.js", "export default { fetch() { return new Response('ok'); } };"}});
  EXPECT_EQ(h.Run(other).response.body, "ok");
  EXPECT_EQ(h.Run(runaway).response.body, "calls=1");

  WorkerConfig config;
  config.cpu_ms = 50;
  auto start = std::chrono::steady_clock::now();
  Invocation result = h.Run(runaway, testing::Get("https://x/loop"), config);
  auto wall = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(result.outcome, Outcome::kExceededCpu);
  EXPECT_GE(result.cpu_time, std::chrono::milliseconds(45));
  // Stopped near its budget although the slice before (the realm's startup) was armed with a
  // much longer one: the watchdog must not sleep that one out (it did: ~360 ms).
  EXPECT_LT(result.cpu_time, std::chrono::milliseconds(150));
  EXPECT_LT(wall, std::chrono::milliseconds(500));
  std::printf("[bench] runaway loop stopped after %lld us cpu, %.1f ms wall (budget 50 ms)\n",
              static_cast<long long>(result.cpu_time.count()),
              std::chrono::duration<double, std::milli>(wall).count());

  // The realm was discarded: the next request gets a fresh one (calls restarts at 1).
  Invocation next = h.Run(runaway);
  ASSERT_EQ(next.outcome, Outcome::kOk) << next.exception;
  EXPECT_EQ(next.response.body, "calls=1");
  EXPECT_EQ(h.Run(other).response.body, "ok");
}

// The top-level code runs under its own startup limit (kStartupBudget), not the CPU limit of
// the request that happens to start the realm: a module doing a few ms of setup must not make
// its first request exceed a tight per-request limit. (It did: the first request was charged
// for the prelude and the modules, ~7 ms.)
TEST(EngineLimits, StartupCpuIsNotChargedToTheFirstRequest) {
  Harness h;
  auto bundle = h.Compile({{"worker.js", R"(
    const t0 = Date.now();
    let table = 0;
    for (let i = 0; i < 5e6; i++) table = (table + i * 7) % 1000003;
    export default { fetch() { return new Response('table=' + table); } };)"}});
  WorkerConfig tight;
  tight.cpu_ms = 1;
  Invocation first = h.Run(bundle, testing::Get(), tight);
  ASSERT_EQ(first.outcome, Outcome::kOk) << first.exception;
  EXPECT_LT(first.cpu_time, std::chrono::milliseconds(1));
}

TEST(EngineLimits, WarmInstantiatesTheRealmBeforeTheFirstRequest) {
  Harness h;
  auto bundle = h.Compile({{"worker.js", R"(
    globalThis.startedAt = (globalThis.startedAt ?? 0) + 1;
    export default { fetch() { return new Response('started ' + globalThis.startedAt); } };)"}});
  MustOk(h.engine->Warm(bundle));
  EXPECT_EQ(h.engine->realm_count(), 1u);
  MustOk(h.engine->Warm(bundle));  // already there: nothing runs again
  EXPECT_EQ(h.Run(bundle).response.body, "started 1");
  EXPECT_EQ(h.engine->realm_count(), 1u);

  auto broken = h.Compile({{"worker.js", "throw new RangeError('bad config');"}});
  Status warmed = h.engine->Warm(broken);
  ASSERT_FALSE(warmed.has_value());
  EXPECT_NE(warmed.error().message().find("RangeError: bad config"), std::string::npos)
      << warmed.error().message();
  EXPECT_EQ(h.engine->realm_count(), 1u);  // no realm kept for it
  Invocation r = h.Run(broken);
  EXPECT_EQ(r.outcome, Outcome::kException);
  EXPECT_NE(r.exception.find("bad config"), std::string::npos);

  // A top-level loop is stopped by the startup limit, for Warm and for a request alike.
  auto spinning = h.Compile({{"worker.js", "while (true) {}\nexport default {};"}});
  Status spun = h.engine->Warm(spinning);
  ASSERT_FALSE(spun.has_value());
  EXPECT_NE(spun.error().message().find("startup"), std::string::npos) << spun.error().message();
  EXPECT_EQ(h.Run(spinning).outcome, Outcome::kExceededCpu);
  EXPECT_EQ(h.Run(bundle).response.body, "started 1");  // the others keep serving
}

TEST(EngineLimits, StopsARunawayTimerCallbackToo) {
  Harness h;
  auto bundle = h.Compile({{"worker.js", R"(
    export default { fetch() {
      return new Promise((resolve) => setTimeout(() => { while (true) {} }, 1));
    } };)"}});
  Invocation result = h.Run(bundle);
  EXPECT_EQ(result.outcome, Outcome::kExceededCpu);
}

TEST(EngineLimits, StopsAMemoryBombAndKeepsServing) {
  Harness h;
  auto bomb = h.Compile({{"worker.js", R"(
    export default { fetch() {
      const keep = [];
      for (let i = 0; ; i++) keep.push('x'.repeat(1024) + i);
    } };)"}});
  auto small = h.Compile({{"worker.js", R"(
    export default { fetch() {
      const keep = [];
      for (let i = 0; i < 1e5; i++) keep.push({ i, s: 'item-' + i });
      return new Response(String(keep.length));
    } };)"}});
  WorkerConfig config;
  config.memory_mb = 32;
  config.cpu_ms = 5000;  // the memory limit, not the CPU limit, must stop it
  auto start = std::chrono::steady_clock::now();
  Invocation result = h.Run(bomb, testing::Get(), config);
  auto wall = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(result.outcome, Outcome::kExceededMemory) << result.exception;
  std::printf("[bench] memory bomb (32 MB limit) stopped after %.1f ms\n",
              std::chrono::duration<double, std::milli>(wall).count());
  EXPECT_EQ(h.Run(small, testing::Get(), config).response.body, "100000");
  Invocation again = h.Run(bomb, testing::Get(), config);
  EXPECT_EQ(again.outcome, Outcome::kExceededMemory);
}

}  // namespace
}  // namespace blaze::engine
