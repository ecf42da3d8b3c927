// Engine: the JavaScript side of one core. Owns that core's JSContext (child of the
// JsProcess's parent runtime), its microtask queue, CPU watchdog, timers, outbound HTTP client
// and one WorkerRealm per worker version used on this core. Everything runs on the core
// thread: construct, call and destroy an Engine there, and run its io_context there.
//
// Per request: Invoke() instantiates the version's realm on first use (prelude + modules),
// calls `default.fetch(request, env, ctx)`, drives the returned promise through the event loop
// (every timer / I/O completion is one slice followed by a microtask checkpoint) and reports
// an Invocation. Limits: `cpu_ms` of thread CPU per request (all its slices; watchdog +
// interrupt callback), `memory_mb` per realm (checked after GCs). A kill discards the realm;
// the next request re-creates it and other versions are unaffected.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <js/Promise.h>
#include <js/experimental/JSStencil.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "blaze/base/clock.h"
#include "blaze/base/result.h"
#include "blaze/runtime/engine/host_api.h"
#include "blaze/runtime/engine/invocation.h"
#include "blaze/runtime/engine/outbound_fetch.h"
#include "blaze/runtime/engine/prelude.h"
#include "blaze/runtime/engine/worker_bundle.h"

namespace blaze::engine {

class CpuWatchdog;
class JsProcess;
class MicrotaskQueue;
class WorkerRealm;
enum class CallResult;

// Whether SpiderMonkey records, for every Promise, the stack (and time) it was created and
// resolved at. That record is what lets Error.stack in code resumed after `await` also list the
// awaiting callers ("async*outer@worker.js:4:9"). It costs a stack capture and a clock read per
// Promise: ~4.5 us of a hello-world request's ~15 us of engine CPU, twice the time of
// promise-heavy code. Release Firefox captures for debuggees only; so does Blaze by default.
enum class AsyncStacks : bool { kDebuggeeOnly, kAlways };

struct EngineOptions {
  std::size_t max_heap_bytes = 2048u << 20;  // hard GC-heap cap of the whole context
  std::uint32_t max_nursery_bytes = 2u << 20;  // young generation per core
  std::uint32_t gc_threshold_mb = 8;            // tenured heap size that triggers a GC
  std::optional<std::vector<PreludeFile>> prelude;  // nullopt = the embedded webapi prelude
  // Already compiled (shared by every core); wins over `prelude`.
  std::shared_ptr<const CompiledPrelude> compiled_prelude;
  const Clock* clock = nullptr;                      // nullptr = system clock
  OutboundOptions outbound;
  AsyncStacks async_stacks = AsyncStacks::kDebuggeeOnly;
};

class Engine final : public HostServices {
 public:
  static Result<std::unique_ptr<Engine>> Create(JsProcess& process, boost::asio::io_context& io,
                                                EngineOptions options = {});
  ~Engine() override;
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Compiles on this core's context (WorkerBundle::Compile). Usable by any core.
  Result<std::shared_ptr<const WorkerBundle>> Compile(BundleSource source);

  // Runs one request. `done` gets the response phase, `finished` (optional) the end of the
  // ctx.waitUntil() tail; both are posted to the io_context exactly once.
  void Invoke(std::shared_ptr<const WorkerBundle> bundle, const WorkerConfig& config,
              WorkerRequest request, InvocationCallback done, InvocationCallback finished = {});

  // Instantiates this core's realm of `bundle` now (prelude, modules, top-level code), so the
  // first request does not wait for it. Ok if it exists already. The top-level code runs under
  // the startup CPU limit; an error is the module's ("file:line:col: Error: ..."), and no realm
  // is kept then (the first request reports it again).
  Status Warm(const std::shared_ptr<const WorkerBundle>& bundle);

  // Discards this core's realm of `bundle` (in-flight requests end as kCanceled).
  void Drop(const WorkerBundle& bundle);

  std::size_t realm_count() const { return realms_.size(); }
  std::size_t in_flight() const { return invocations_.size(); }
  OutboundClient& outbound() { return *outbound_; }

 private:
  struct InvocationState;
  struct Timer;
  struct PendingOp;

  Engine(JSContext* cx, boost::asio::io_context& io, EngineOptions options);
  Status Init();

  // HostServices
  void AppendLog(std::string level, std::string message) override;
  double NowMs() const override;
  int SetTimer(JSContext* cx, JS::HandleObject callback, double ms, bool repeat) override;
  void ClearTimer(int id) override;
  void StartFetch(JSContext* cx, OutboundRequest request, JS::HandleObject promise) override;
  void StartBindingCall(JSContext* cx, int handle, BindingCall call,
                        JS::HandleObject promise) override;
  std::optional<Result<BindingReply>> CallBindingInline(JSContext* cx, int handle,
                                                        BindingCall& call) override;
  // The service of binding `handle` of the current realm (null when there is none).
  BindingService* BindingAt(int handle) const;
  // An AnswersInline service's call, inside the current slice (its CPU not the worker's).
  Result<BindingReply> CallInline(BindingService& service, BindingCall call);
  // Registers `promise` for a fetch, binding call or body read that SettlePending will settle,
  // counted against `inv`, the request that owns it (may be null). Returns its id.
  int AddPending(JS::HandleObject promise, InvocationState* inv);
  // Takes pending operation `id` (a fetch or binding call) and settles its promise in a slice.
  void SettlePending(int id, const std::function<bool(JS::HandleObject)>& settle);
  void StartBodyRead(JSContext* cx, int handle, JS::HandleObject promise) override;
  void CancelBody(int handle) override;

  // Streamed bodies (response_stream.cc)
  int AddBodySource(InvocationState& inv, std::shared_ptr<ByteSource> source);
  bool AttachRequestBody(JSContext* cx, InvocationState& inv, JS::HandleObject init,
                         std::shared_ptr<ByteSource> body);
  bool SettleFetch(JS::HandleObject promise, Result<OutboundResponse>& result);
  bool TakeStreamedBody(JSContext* cx, InvocationState& inv, JS::HandleObject converted,
                        bool* streamed);
  void PullResponseBody(std::uint64_t invocation_id);
  void CancelResponseBody(std::uint64_t invocation_id);
  void FailResponseBody(InvocationState& inv, std::string exception);
  static bool ResponseBodyOpen(const InvocationState& inv);
  static bool ResponseBodyStalled(const InvocationState& inv);
  static bool OnBodyChunk(JSContext* cx, unsigned argc, JS::Value* vp);
  static bool OnBodyError(JSContext* cx, unsigned argc, JS::Value* vp);

  // Slices and limits (engine.cc)
  // `budget`: the slice's CPU limit when not the request's remaining one (startup).
  bool RunSlice(WorkerRealm& realm, InvocationState* inv, const std::function<bool()>& body,
                std::optional<std::chrono::nanoseconds> budget = std::nullopt);
  // Creates and evaluates a realm; null with `*error` set (or the realm killed) on failure.
  WorkerRealm* Instantiate(const std::shared_ptr<const WorkerBundle>& bundle,
                           InvocationState* inv, std::string* error);
  void AfterSlice(std::uint64_t invocation_id);
  // The CPU `inv` has used so far, the running slice included when it is inv's (a response
  // sent from the request's only slice is otherwise reported with no CPU at all).
  std::chrono::microseconds CpuUsed(const InvocationState& inv) const;
  void KillRealm(WorkerRealm& realm, InvocationState* culprit, Outcome outcome);
  void SweepRealms();
  WorkerRealm* RealmById(std::uint64_t id);
  InvocationState* FindInvocation(std::uint64_t id);
  void ArmTimer(int id);
  void FireTimer(int id);
  std::size_t MeasureRealm(WorkerRealm& realm);
  static bool OnInterrupt(JSContext* cx);
  static void OnGc(JSContext* cx, JSGCStatus status, JS::GCReason reason, void* data);
  static void TraceRoots(JSTracer* trc, void* data);
  // Unhandled rejections, as the HTML standard and Node report them: a promise rejected with
  // no handler that still has none when the slice's microtask checkpoint ends. Reported (the
  // `unhandledrejection` event and an "Uncaught (in promise)" error log) after the checkpoint.
  // workerd checks after each microtask instead; with Blaze's bindings answering inline (an
  // already-rejected promise returned from an async function is adopted one microtask later)
  // that rule would report rejections the worker does catch.
  static void OnRejectionTracked(JSContext* cx, bool muted, JS::HandleObject promise,
                                 JS::PromiseRejectionHandlingState state, void* data);
  void ReportUnhandledRejections();

  // Request lifecycle (invoke.cc)
  WorkerRealm* RealmFor(const std::shared_ptr<const WorkerBundle>& bundle, InvocationState* inv);
  bool StartHandler(WorkerRealm& realm, InvocationState& inv, const WorkerConfig& config,
                    const WorkerRequest& request);
  bool HandleResult(JSContext* cx, InvocationState& inv, CallResult result);
  bool ReadResponse(JSContext* cx, InvocationState& inv, JS::HandleValue response);
  bool ConvertResponse(JSContext* cx, InvocationState& inv, JS::HandleValue value);
  void Respond(InvocationState& inv);
  void FailInvocation(InvocationState& inv, Outcome outcome, std::string exception);
  void MaybeFinish(InvocationState& inv);
  void Complete(InvocationState& inv, Outcome outcome, std::string exception);
  void Post(InvocationCallback callback, Invocation result);
  InvocationState* ReactionTarget(JS::CallArgs& args);
  static bool OnHandlerFulfilled(JSContext* cx, unsigned argc, JS::Value* vp);
  static bool OnHandlerRejected(JSContext* cx, unsigned argc, JS::Value* vp);
  static bool OnResponseRead(JSContext* cx, unsigned argc, JS::Value* vp);
  static bool OnWaitUntil(JSContext* cx, unsigned argc, JS::Value* vp);
  static bool OnWaitUntilSettled(JSContext* cx, unsigned argc, JS::Value* vp);
  static bool OnWaitUntilRejected(JSContext* cx, unsigned argc, JS::Value* vp);

  JSContext* cx_;
  boost::asio::io_context& io_;
  EngineOptions options_;
  SystemClock system_clock_;
  const Clock* clock_;
  std::unique_ptr<MicrotaskQueue> queue_;
  std::unique_ptr<CpuWatchdog> watchdog_;
  std::unique_ptr<OutboundClient> outbound_;
  std::shared_ptr<const CompiledPrelude> prelude_;

  std::map<const WorkerBundle*, std::unique_ptr<WorkerRealm>> realms_;
  std::map<std::uint64_t, std::unique_ptr<InvocationState>> invocations_;
  std::map<int, std::unique_ptr<Timer>> timers_;
  std::map<int, std::unique_ptr<PendingOp>> pending_;
  std::vector<std::uint64_t> completed_;
  std::vector<JS::Heap<JSObject*>> unhandled_;  // rejected promises with no handler yet
  std::uint64_t next_realm_id_ = 1;
  std::uint64_t next_invocation_id_ = 1;
  int next_timer_id_ = 1;

  // The slice being run (null between slices) and why it must stop.
  WorkerRealm* current_realm_ = nullptr;
  InvocationState* current_inv_ = nullptr;
  std::optional<Outcome> kill_;
  bool measure_pending_ = false;
  // The running slice's CPU budget and start (thread CPU), and the CPU of inline binding calls
  // made in it (not the worker's: RunSlice does not charge it).
  std::chrono::nanoseconds slice_budget_{0};
  std::chrono::nanoseconds slice_cpu_start_{0};
  std::chrono::nanoseconds slice_excluded_{0};
};

}  // namespace blaze::engine
