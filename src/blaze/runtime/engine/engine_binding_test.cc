// env bindings through the Engine: host.bindingCall reaches the BindingService between slices
// and its reply (or error) settles the worker's promise.
#include <gtest/gtest.h>

#include <boost/asio/post.hpp>

#include <limits>

#include "blaze/runtime/engine/js_util.h"

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

// A storage-style service: answers inline, optionally burning CPU first, with a table of rows.
class InlineService : public BindingService {
 public:
  void Call(BindingCall call, const BindingContext&, BindingDone done) override {
    calls++;
    if (burn.count() > 0) {
      auto until = ThreadCpuNow() + burn;
      while (ThreadCpuNow() < until) {
      }
    }
    if (fail) return done(Fail(*fail));
    BindingReply reply;
    reply.json = R"({"op":")" + call.op + R"(","objects":{"$rows":0},"arrays":{"$rows":1}})";
    BindingRows objects;
    objects.columns = {"id", "name", "__proto__", "id"};
    objects.cells = {std::int64_t{1}, std::string("caf\xc3\xa9"), BindingRows::Null{},
                     std::int64_t{7},  //
                     std::int64_t{1} << 40, std::string("bad \xff"), 2.5, std::int64_t{8}};
    BindingRows arrays = objects;
    arrays.objects = false;
    arrays.cells[2] = std::vector<std::uint8_t>{1, 2, 255};
    arrays.cells[6] = std::numeric_limits<double>::infinity();
    reply.rows = {objects, arrays};
    done(std::move(reply));
  }
  bool AnswersInline() const override { return true; }
  int calls = 0;
  std::chrono::nanoseconds burn{0};
  std::optional<Error> fail;
};

TEST(EngineBindings, AnInlineServiceAnswersBeforeBindingCallNowReturns) {
  Harness h;
  auto service = std::make_shared<InlineService>();
  WorkerConfig config;
  config.bindings.push_back({"STORE", "echo", service});
  auto bundle = h.Compile({{"worker.js", R"(
export default {
  async fetch() {
    const reply = rawBindingCallNow(0, 'get');  // not a promise: the reply itself
    const [json, buffers, tables, columns] = reply;
    const viaPromise = await rawBindingCall(0, 'get');
    const text = JSON.stringify({ sync: !(reply instanceof Promise), json, buffers, tables,
      columns, sameShape: JSON.stringify(viaPromise) === JSON.stringify(reply) });
    return new Response(text.replace(/[\u0080-\uffff]/g,
      (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')));
  },
};
)"}});
  Invocation result = h.Run(bundle, Get(), config);
  ASSERT_EQ(result.outcome, Outcome::kOk) << result.exception;
  EXPECT_EQ(result.response.body,
            R"({"sync":true,"json":"{\"op\":\"get\",\"objects\":{\"$rows\":0},)"
            R"(\"arrays\":{\"$rows\":1}}","buffers":[],)"
            R"("tables":[[[1,"caf\u00e9",null,7],[1099511627776,"bad \ufffd",2.5,8]],)"
            R"([[1,"caf\u00e9",[1,2,255],7],[1099511627776,"bad \ufffd",null,8]]],)"
            R"("columns":[["id","name","__proto__","id"],null],"sameShape":true})");
  EXPECT_EQ(service->calls, 2);
}

TEST(EngineBindings, AnInlineServiceFailureIsThrownByBindingCallNow) {
  Harness h;
  auto service = std::make_shared<InlineService>();
  service->fail = InvalidArgument("bad key");
  WorkerConfig config;
  config.bindings.push_back({"STORE", "echo", service});
  auto bundle = h.Compile({{"worker.js", R"(
export default {
  fetch() {
    try { rawBindingCallNow(0, 'get'); return new Response('returned'); }
    catch (e) { return new Response(e.code + ': ' + e.message); }
  },
};
)"}});
  Invocation result = h.Run(bundle, Get(), config);
  ASSERT_EQ(result.outcome, Outcome::kOk) << result.exception;
  EXPECT_EQ(result.response.body, "InvalidArgument: bad key");
}

// An inline service runs inside the worker's slice, but its CPU is the host's: a call that
// takes longer than the whole budget neither kills the request nor counts in its cpu_time.
TEST(EngineBindings, AnInlineServicesCpuIsNotChargedToTheWorker) {
  Harness h;
  auto service = std::make_shared<InlineService>();
  service->burn = std::chrono::milliseconds(40);
  WorkerConfig config;
  config.cpu_ms = 30;
  config.bindings.push_back({"STORE", "echo", service});
  auto bundle = h.Compile({{"worker.js", R"(
export default {
  async fetch() {
    rawBindingCallNow(0, 'get');
    await rawBindingCall(0, 'get');
    return new Response('done');
  },
};
)"}});
  Invocation result = h.Run(bundle, Get(), config);
  ASSERT_EQ(result.outcome, Outcome::kOk) << result.exception;
  EXPECT_EQ(result.response.body, "done");
  EXPECT_EQ(service->calls, 2);
  EXPECT_LT(result.cpu_time, std::chrono::milliseconds(30));
  EXPECT_GT(result.cpu_time.count(), 0) << "the response's own slice is counted";
}

}  // namespace
}  // namespace blaze::engine
