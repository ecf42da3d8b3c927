#include <gtest/gtest.h>

#include <chrono>

#include "blaze/runtime/engine/engine.h"
#include "blaze/runtime/engine/engine_test_util.h"

namespace blaze::engine {
namespace {

using testing::Harness;

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
