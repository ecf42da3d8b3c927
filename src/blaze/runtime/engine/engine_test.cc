#include "blaze/runtime/engine/engine.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "blaze/runtime/engine/engine_test_util.h"

namespace blaze::engine {
namespace {

using testing::Get;
using testing::Harness;

TEST(Engine, RoundTripsRequestToResponse) {
  Harness h;
  auto bundle = h.Compile({{"worker.js", R"(
    export default {
      async fetch(request, env, ctx) {
        const body = await request.text();
        console.log('got', request.method, request.url);
        return new Response(`${request.method} ${request.url} ${body} ${request.headers[0][1]}`,
                            { status: 201, headers: { 'x-test': 'yes' } });
      },
    };)"}});
  WorkerRequest request = Get("https://example.com/a?b=1");
  request.method = "POST";
  request.body = "hello";
  request.headers = {{"x-in", "v1"}};
  Invocation result = h.Run(bundle, request);
  ASSERT_EQ(result.outcome, Outcome::kOk) << result.exception;
  EXPECT_EQ(result.response.status, 201);
  EXPECT_EQ(result.response.body, "POST https://example.com/a?b=1 hello v1");
  ASSERT_EQ(result.response.headers.size(), 1u);
  EXPECT_EQ(result.response.headers[0].second, "yes");
  ASSERT_EQ(result.logs.size(), 1u);
  EXPECT_EQ(result.logs[0].level, "log");
  EXPECT_EQ(result.logs[0].message, "got POST https://example.com/a?b=1");
  EXPECT_GT(result.cpu_time.count(), 0);
}

// Regression: bundles (and the prelude) are compiled once and instantiated on every core; with
// their source kept, each core's runtime queued off-thread compression of the same shared
// ScriptSource and libmozjs MOZ_CRASHed in a helper thread under load. The source is now
// discarded at compile time, which shows in Function.prototype.toString.
TEST(Engine, SharedStencilsKeepNoSourceText) {
  Harness h;
  auto bundle = h.Compile({{"worker.js", R"(
    function secretAlgorithm() { return 'body text'; }
    export default { fetch() { return new Response(String(secretAlgorithm)); } };)"}});
  Invocation result = h.Run(bundle, Get());
  ASSERT_EQ(result.outcome, Outcome::kOk) << result.exception;
  EXPECT_EQ(result.response.body.find("body text"), std::string::npos) << result.response.body;
}

TEST(Engine, ResolvesRelativeImportsAcrossAModuleGraph) {
  Harness h;
  auto bundle = h.Compile({
      {"src/worker.js", R"(
        import { greet } from './lib/util.js';
        import config from '../config.js';
        export default { fetch() { return new Response(greet(config.name)); } };)"},
      {"src/lib/util.js", "import { suffix } from './deep/suffix.js';\n"
                          "export const greet = (n) => 'hello ' + n + suffix;"},
      {"src/lib/deep/suffix.js", "export const suffix = '!';"},
      {"config.js", "export default { name: 'blaze' };"},
  }, "src/worker.js");
  Invocation result = h.Run(bundle);
  ASSERT_EQ(result.outcome, Outcome::kOk) << result.exception;
  EXPECT_EQ(result.response.body, "hello blaze!");
}

TEST(Engine, ReportsTopLevelThrowWithFileAndLine) {
  Harness h;
  auto bundle = h.Compile({{"worker.js", "const x = 1;\nthrow new Error('boom at top');\n"
                                         "export default {};"}});
  Invocation result = h.Run(bundle);
  EXPECT_EQ(result.outcome, Outcome::kException);
  EXPECT_NE(result.exception.find("worker.js:2:"), std::string::npos) << result.exception;
  EXPECT_NE(result.exception.find("Error: boom at top"), std::string::npos) << result.exception;
}

TEST(Engine, ReportsHandlerExceptionWithStack) {
  Harness h;
  auto bundle = h.Compile({
      {"worker.js", "import { explode } from './lib.js';\n"
                    "export default {\n  async fetch() {\n    await 0;\n    explode();\n  },\n};"},
      {"lib.js", "export function explode() {\n  throw new TypeError('bad thing');\n}"},
  });
  Invocation result = h.Run(bundle);
  EXPECT_EQ(result.outcome, Outcome::kException);
  EXPECT_NE(result.exception.find("lib.js:2:9: TypeError: bad thing"), std::string::npos)
      << result.exception;
  EXPECT_NE(result.exception.find("explode@lib.js:2:9"), std::string::npos) << result.exception;
  EXPECT_NE(result.exception.find("worker.js:5:"), std::string::npos) << result.exception;
  Invocation again = h.Run(bundle);  // an exception does not discard the realm
  EXPECT_EQ(again.outcome, Outcome::kException);
  EXPECT_EQ(h.engine->realm_count(), 1u);
}

TEST(Engine, RejectsAWorkerWithoutAFetchHandler) {
  Harness h;
  auto bundle = h.Compile({{"worker.js", "export default { scheduled() {} };"}});
  Invocation result = h.Run(bundle);
  EXPECT_EQ(result.outcome, Outcome::kException);
  EXPECT_NE(result.exception.find("no fetch() handler"), std::string::npos);
}

TEST(Engine, AwaitsATimerInAnAsyncHandler) {
  Harness h;
  auto bundle = h.Compile({{"worker.js", R"(
    export default {
      async fetch() {
        const order = [];
        Promise.resolve().then(() => order.push('micro'));
        await new Promise((resolve) => setTimeout(resolve, 5));
        order.push('timer');
        return new Response(order.join(','));
      },
    };)"}});
  auto start = std::chrono::steady_clock::now();
  Invocation result = h.Run(bundle);
  ASSERT_EQ(result.outcome, Outcome::kOk) << result.exception;
  EXPECT_EQ(result.response.body, "micro,timer");
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(5));
}

TEST(Engine, KeepsRunningWaitUntilWorkAfterTheResponse) {
  Harness h;
  auto bundle = h.Compile({{"worker.js", R"(
    export default {
      fetch(request, env, ctx) {
        ctx.waitUntil(new Promise((resolve) => setTimeout(() => {
          console.log('tail work done');
          resolve();
        }, 10)));
        return new Response('early');
      },
    };)"}});
  std::optional<Invocation> finished;
  std::optional<Invocation> done;
  h.engine->Invoke(bundle, {}, Get(), [&](Invocation i) {
    done = std::move(i);
    EXPECT_FALSE(finished.has_value());  // the response is not delayed by waitUntil
  }, [&](Invocation i) { finished = std::move(i); });
  while (!finished && h.io.run_one() > 0) {
  }
  ASSERT_TRUE(done && finished);
  EXPECT_EQ(done->response.body, "early");
  EXPECT_TRUE(done->logs.empty());
  EXPECT_EQ(finished->outcome, Outcome::kOk);
  ASSERT_EQ(finished->logs.size(), 1u);
  EXPECT_EQ(finished->logs[0].message, "tail work done");
  EXPECT_EQ(h.engine->in_flight(), 0u);
}

// The HTML standard's rule: a rejection is unhandled if no handler is attached by the end of
// the slice's microtask checkpoint (tests/workers/scenarios/unhandled-rejection compares it
// with workerd's). The engine hands each to internal.reportUnhandledRejection (the stand-in
// prelude logs it; the real one also fires `unhandledrejection`, webapi events tests).
TEST(Engine, ReportsRejectionsStillUnhandledAfterTheMicrotaskCheckpoint) {
  Harness h;
  auto bundle = h.Compile({{"worker.js", R"(
    async function thrower(m) { throw new Error(m); }
    export default {
      async fetch(request) {
        const path = request.url.slice('https://example.com'.length);
        if (path === '/stray') Promise.reject(new Error('stray'));
        if (path === '/awaited') { try { await thrower('awaited'); } catch {} }
        if (path === '/same') { const p = Promise.reject(new Error('same')); p.catch(() => {}); }
        if (path === '/later') {
          const p = Promise.reject(new Error('later'));
          Promise.resolve().then(() => p.catch(() => {}));
        }
        if (path === '/returned') {  // a rejected promise returned from an async function
          const q = async () => Promise.reject(new Error('returned'));
          try { await q(); } catch {}
        }
        if (path === '/timer') {
          await new Promise((resolve) => setTimeout(resolve, 1));
          Promise.reject(new Error('in a timer slice'));
        }
        return new Response('ok');
      },
    };)"}});
  // The logs of the whole invocation: a report made after the response went out (the
  // checkpoint that answered) is in the `finished` phase.
  auto all_logs = [&](const char* path, Outcome* outcome) {
    std::optional<Invocation> done, finished;
    h.io.restart();  // the previous run left the io_context stopped (out of work)
    h.engine->Invoke(bundle, {}, Get(std::string("https://example.com") + path),
                     [&](Invocation i) { done = std::move(i); },
                     [&](Invocation i) { finished = std::move(i); });
    while (!finished && h.io.run_one() > 0) {
    }
    EXPECT_TRUE(done && finished) << path;
    if (!done || !finished) return std::vector<LogEntry>{};
    std::vector<LogEntry> logs = done->logs;
    logs.insert(logs.end(), finished->logs.begin(), finished->logs.end());
    *outcome = done->outcome;
    return logs;
  };
  for (const char* path : {"/stray", "/timer"}) {
    Outcome outcome;
    std::vector<LogEntry> logs = all_logs(path, &outcome);
    EXPECT_EQ(outcome, Outcome::kOk) << path;  // the request itself is fine
    ASSERT_EQ(logs.size(), 1u) << path;
    EXPECT_EQ(logs[0].level, "error");
    EXPECT_EQ(logs[0].message.rfind("Uncaught (in promise) ", 0), 0u) << logs[0].message;
  }
  // Handled before the checkpoint ended, however many microtasks later.
  for (const char* path : {"/awaited", "/same", "/later", "/returned"}) {
    Outcome outcome;
    std::vector<LogEntry> logs = all_logs(path, &outcome);
    EXPECT_TRUE(logs.empty()) << path << ": " << logs[0].message;
  }
  // A module whose evaluation fails reports that error, not also an unhandled rejection.
  auto broken = h.Compile({{"worker.js", "await null; throw new Error('at load');"}});
  Invocation failed = h.Run(broken, Get());
  EXPECT_EQ(failed.outcome, Outcome::kException);
  EXPECT_TRUE(failed.logs.empty()) << failed.logs[0].message;
}

TEST(Engine, ExposesTextAndJsonVarsOnEnv) {
  Harness h;
  auto bundle = h.Compile({{"worker.js", R"(
    export default { fetch(r, env) {
      return new Response(`${env.GREETING} ${env.CONFIG.limits[1]} ${typeof env.CONFIG}`);
    } };)"}});
  WorkerConfig config;
  config.vars = {{"GREETING", WorkerVar::Kind::kText, "hi"},
                 {"CONFIG", WorkerVar::Kind::kJson, R"({"limits":[1,2,3]})"}};
  Invocation result = h.Run(bundle, Get(), config);
  ASSERT_EQ(result.outcome, Outcome::kOk) << result.exception;
  EXPECT_EQ(result.response.body, "hi 2 object");
}

TEST(Engine, KeepsGlobalStateAcrossRequestsOfOneVersion) {
  Harness h;
  auto bundle = h.Compile({{"worker.js",
      "let n = 0; export default { fetch() { return new Response(String(++n)); } };"}});
  EXPECT_EQ(h.Run(bundle).response.body, "1");
  EXPECT_EQ(h.Run(bundle).response.body, "2");
  auto other = h.Compile({{"worker.js",
      "let n = 100; export default { fetch() { return new Response(String(++n)); } };"}});
  EXPECT_EQ(h.Run(other).response.body, "101");
  EXPECT_EQ(h.engine->realm_count(), 2u);
  other.reset();
  h.Run(bundle);  // sweeps realms of dropped versions
  EXPECT_EQ(h.engine->realm_count(), 1u);
}

TEST(Engine, HostNativesEncodeRandomAndTime) {
  Harness h;
  auto bundle = h.Compile({{"worker.js", R"(
    export default { fetch() {
      const a = randomBytes(32), b = randomBytes(32);
      const same = a.every((x, i) => x === b[i]);
      return new Response(JSON.stringify({ same, len: a.length, now: hostNow() > 1.7e12 }));
    } };)"}});
  Invocation result = h.Run(bundle);
  ASSERT_EQ(result.outcome, Outcome::kOk) << result.exception;
  EXPECT_EQ(result.response.body, R"({"same":false,"len":32,"now":true})");
}

TEST(Engine, DetectsAHandlerThatCanNeverRespond) {
  Harness h;
  auto bundle = h.Compile({{"worker.js",
      "export default { fetch() { return new Promise(() => {}); } };"}});
  Invocation result = h.Run(bundle);
  EXPECT_EQ(result.outcome, Outcome::kException);
  EXPECT_NE(result.exception.find("never generate a response"), std::string::npos);
}

TEST(Engine, SharesOneCompiledBundleAcrossEnginesOnTwoThreads) {
  testing::Process();
  std::shared_ptr<const WorkerBundle> bundle;
  std::thread([&] {
    auto compiler = BundleCompiler::Create(testing::Process());
    ASSERT_TRUE(compiler.has_value());
    auto compiled = (*compiler)->Compile({"worker.js", {
        {"worker.js", "import { twice } from './math.js';\n"
                      "export default { fetch(r) { return new Response(String(twice(21))); } };"},
        {"math.js", "export const twice = (x) => x * 2;"}}});
    ASSERT_TRUE(compiled.has_value()) << compiled.error().ToString();
    bundle = *compiled;
  }).join();
  ASSERT_TRUE(bundle);
  std::atomic<int> ok{0};
  auto core = [&] {
    Harness h;
    for (int i = 0; i < 200; i++) {
      Invocation result = h.Run(bundle);
      if (result.outcome == Outcome::kOk && result.response.body == "42") ok++;
    }
  };
  std::thread a(core), b(core);
  a.join();
  b.join();
  EXPECT_EQ(ok.load(), 400);
}

// Not a pass/fail test: prints the numbers the issue asks for.
TEST(EngineBenchmark, MeasuresEngineRealmAndPerRequestCost) {
  testing::Process();
  auto t0 = std::chrono::steady_clock::now();
  Harness h;
  auto t1 = std::chrono::steady_clock::now();
  auto bundle = h.Compile({{"worker.js",
      "export default { fetch() { return new Response('hello world'); } };"}});
  auto t2 = std::chrono::steady_clock::now();
  Invocation first = h.Run(bundle);
  auto t3 = std::chrono::steady_clock::now();
  ASSERT_EQ(first.outcome, Outcome::kOk);
  const int n = 10000;
  int done = 0;
  auto cpu0 = std::clock();
  auto t4 = std::chrono::steady_clock::now();
  for (int i = 0; i < n; i++)
    h.engine->Invoke(bundle, {}, Get(), [&](Invocation r) { done += r.outcome == Outcome::kOk; });
  h.io.restart();
  h.io.run();
  auto t5 = std::chrono::steady_clock::now();
  auto cpu1 = std::clock();
  EXPECT_EQ(done, n);
  auto us = [](auto d) { return std::chrono::duration<double, std::micro>(d).count(); };
  std::printf("[bench] Engine::Create %.0f us; compile hello bundle %.0f us; first request "
              "(new realm + prelude + modules) %.0f us (cpu %lld us); per request %.2f us wall, "
              "%.2f us process cpu over %d invocations\n",
              us(t1 - t0), us(t2 - t1), us(t3 - t2),
              static_cast<long long>(first.cpu_time.count()), us(t5 - t4) / n,
              1e6 * double(cpu1 - cpu0) / CLOCKS_PER_SEC / n, n);
}

}  // namespace
}  // namespace blaze::engine
