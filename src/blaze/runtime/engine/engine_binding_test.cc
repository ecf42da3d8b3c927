// env bindings through the Engine: host.bindingCall reaches the BindingService between slices
// and its reply (or error) settles the worker's promise.
#include <gtest/gtest.h>

#include <boost/asio/post.hpp>

#include "blaze/runtime/engine/engine_test_util.h"

namespace blaze::engine {
namespace {

using testing::Get;
using testing::Harness;

// Records calls; replies with the op, args and buffers it got, or with `fail`.
class EchoService : public BindingService {
 public:
  void Call(BindingCall call, const BindingContext& context, BindingDone done) override {
    calls.push_back(call);
    trace_ids.push_back(context.trace_id);
    if (fail) return done(Fail(*fail));
    BindingReply reply;
    reply.json = R"({"op":")" + call.op + R"(","args":)" + call.args + "}";
    reply.buffers = call.buffers;
    reply.buffers.push_back("from-host");
    if (!later) return done(std::move(reply));
    boost::asio::post(context.io, [done, reply] { done(reply); });
  }
  std::vector<BindingCall> calls;
  std::vector<std::string> trace_ids;
  std::optional<Error> fail;
  bool later = false;
};

WorkerConfig WithBinding(std::shared_ptr<EchoService> service) {
  WorkerConfig config;
  config.bindings.push_back({"ECHO", "echo", service});
  return config;
}

constexpr const char* kCaller = R"(
export default {
  async fetch(request, env) {
    try {
      const r = await env.ECHO.call('put', { key: 'k', n: 1 }, [host_bytes('abc')]);
      return new Response(JSON.stringify({ kind: env.ECHO.kind, ...r }));
    } catch (e) {
      return new Response(JSON.stringify({ error: e.message, code: e.code, name: e.name }));
    }
  },
};
function host_bytes(s) { return new Uint8Array([...s].map((c) => c.charCodeAt(0))); }
)";

TEST(EngineBindings, CallReachesTheServiceAndTheReplySettlesThePromise) {
  Harness h;
  auto service = std::make_shared<EchoService>();
  auto bundle = h.Compile({{"worker.js", kCaller}});
  WorkerRequest request = Get();
  request.trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
  Invocation result = h.Run(bundle, request, WithBinding(service));
  ASSERT_EQ(result.outcome, Outcome::kOk) << result.exception;
  EXPECT_EQ(result.response.body,
            R"({"kind":"echo","value":{"op":"put","args":{"key":"k","n":1}},)"
            R"("buffers":["abc","from-host"]})");
  ASSERT_EQ(service->calls.size(), 1u);
  EXPECT_EQ(service->calls[0].buffers, std::vector<std::string>{"abc"});
  EXPECT_EQ(service->trace_ids[0], "4bf92f3577b34da6a3ce929d0e0e4736");
}

TEST(EngineBindings, AReplyLaterFromTheIoContextAlsoSettles) {
  Harness h;
  auto service = std::make_shared<EchoService>();
  service->later = true;
  auto bundle = h.Compile({{"worker.js", kCaller}});
  Invocation result = h.Run(bundle, Get(), WithBinding(service));
  ASSERT_EQ(result.outcome, Outcome::kOk) << result.exception;
  EXPECT_NE(result.response.body.find(R"("op":"put")"), std::string::npos);
}

TEST(EngineBindings, AServiceErrorRejectsWithTheMessageAndCode) {
  Harness h;
  auto service = std::make_shared<EchoService>();
  service->fail = NotFound("no such key");
  auto bundle = h.Compile({{"worker.js", kCaller}});
  Invocation result = h.Run(bundle, Get(), WithBinding(service));
  ASSERT_EQ(result.outcome, Outcome::kOk) << result.exception;
  EXPECT_EQ(result.response.body,
            R"({"error":"no such key","code":"NotFound","name":"Error"})");
}

TEST(EngineBindings, EnvIsRebuiltWhenTheBindingsChange) {
  Harness h;
  auto first = std::make_shared<EchoService>();
  auto second = std::make_shared<EchoService>();
  auto bundle = h.Compile({{"worker.js", kCaller}});
  ASSERT_EQ(h.Run(bundle, Get(), WithBinding(first)).outcome, Outcome::kOk);
  ASSERT_EQ(h.Run(bundle, Get(), WithBinding(second)).outcome, Outcome::kOk);
  EXPECT_EQ(first->calls.size(), 1u);
  EXPECT_EQ(second->calls.size(), 1u);
}

TEST(EngineBindings, AnUnknownHandleRejectsInsteadOfCrashing) {
  Harness h;
  auto bundle = h.Compile({{"worker.js", R"(
export default {
  async fetch() {
    try { await rawBindingCall(7, 'get'); return new Response('resolved'); }
    catch (e) { return new Response(e.code + ': ' + e.message); }
  },
};
)"}});
  Invocation result = h.Run(bundle, Get());
  ASSERT_EQ(result.outcome, Outcome::kOk) << result.exception;
  EXPECT_EQ(result.response.body, "Internal: binding is gone (the worker was reconfigured)");
}

}  // namespace
}  // namespace blaze::engine
