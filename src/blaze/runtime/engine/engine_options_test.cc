// Engine options that trade diagnostics for speed.
#include <gtest/gtest.h>

#include "blaze/runtime/engine/engine.h"
#include "blaze/runtime/engine/engine_test_util.h"

namespace blaze::engine {
namespace {

std::string StackAfterAwait(AsyncStacks mode) {
  boost::asio::io_context io;
  EngineOptions options = testing::StandInOptions();
  options.async_stacks = mode;
  auto engine = Engine::Create(testing::Process(), io, std::move(options));
  if (!engine) return "engine: " + engine.error().ToString();
  auto bundle = (*engine)->Compile({"worker.js", {{"worker.js", R"(
    async function inner() { await null; throw new Error('boom'); }
    async function outer() { await inner(); }
    export default {
      async fetch() {
        try { await outer(); } catch (e) { return new Response(e.stack); }
        return new Response('no error');
      },
    };)"}}});
  if (!bundle) return "compile: " + bundle.error().ToString();
  std::optional<Invocation> result;
  (*engine)->Invoke(*bundle, {}, testing::Get(), [&](Invocation i) { result = std::move(i); });
  while (!result && io.run_one() > 0) {
  }
  if (!result || result->outcome != Outcome::kOk) return "failed";
  return result->response.body;
}

TEST(EngineOptions, AsyncStacksAreCapturedOnlyWhenAsked) {
  std::string fast = StackAfterAwait(AsyncStacks::kDebuggeeOnly);
  EXPECT_EQ(fast.rfind("inner@worker.js:2:", 0), 0u) << fast;
  EXPECT_EQ(fast.find("async*"), std::string::npos) << fast;

  std::string full = StackAfterAwait(AsyncStacks::kAlways);
  EXPECT_EQ(full.rfind("inner@worker.js:2:", 0), 0u) << full;
  EXPECT_NE(full.find("async*outer@worker.js:3:"), std::string::npos) << full;
}

TEST(EngineOptions, DefaultCapturesNoAsyncStacks) {
  EXPECT_EQ(EngineOptions{}.async_stacks, AsyncStacks::kDebuggeeOnly);
}

}  // namespace
}  // namespace blaze::engine
