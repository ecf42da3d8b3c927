// Engine::Invoke and the request lifecycle: realm lookup/creation, calling default.fetch,
// following the handler's promise with native reactions, ctx.waitUntil accounting, and
// reporting the Invocation record(s).
#include <js/Conversions.h>
#include <js/Promise.h>
#include <js/PropertyAndElement.h>
#include <jsfriendapi.h>

#include <boost/asio/post.hpp>

#include "blaze/runtime/engine/engine.h"
#include "blaze/runtime/engine/engine_state.h"
#include "blaze/runtime/engine/js_util.h"
#include "blaze/runtime/engine/microtask_queue.h"
#include "blaze/runtime/engine/worker_realm.h"

namespace blaze::engine {
namespace {

constexpr std::string_view kRealmOom = "out of memory creating the worker's realm";

Engine* EngineOf(JSContext* cx) {
  return static_cast<Engine*>(static_cast<HostServices*>(JS_GetContextPrivate(cx)));
}

std::string RejectionText(JSContext* cx, JS::HandleValue reason) {
  JS::RootedObject stack(cx);
  if (reason.isObject()) {
    JS::RootedObject error(cx, &reason.toObject());
    stack = JS::ExceptionStackOrNull(error);
  }
  return DescribeException(cx, reason, stack);
}

bool SetProperty(JSContext* cx, JS::HandleObject obj, const char* name, std::string_view text) {
  JS::RootedString str(cx, NewStringUtf8(cx, text));
  return str && JS_DefineProperty(cx, obj, name, str, JSPROP_ENUMERATE);
}

JSObject* NewRequestInit(JSContext* cx, const WorkerRequest& request) {
  JS::RootedObject init(cx, JS_NewPlainObject(cx));
  if (!init || !SetProperty(cx, init, "method", request.method) ||
      !SetProperty(cx, init, "url", request.url) ||
      !SetProperty(cx, init, "traceId", request.trace_id))
    return nullptr;
  JS::RootedObject headers(cx, NewHeaderArray(cx, request.headers));
  if (!headers || !JS_DefineProperty(cx, init, "headers", headers, JSPROP_ENUMERATE))
    return nullptr;
  JS::RootedValue body(cx, JS::NullValue());
  if (!request.body.empty()) {
    JSObject* bytes = NewUint8Array(cx, request.body);
    if (!bytes) return nullptr;
    body.setObject(*bytes);
  }
  return JS_DefineProperty(cx, init, "body", body, JSPROP_ENUMERATE) ? init.get() : nullptr;
}

}  // namespace

void Engine::Invoke(std::shared_ptr<const WorkerBundle> bundle, const WorkerConfig& config,
                    WorkerRequest request, InvocationCallback done, InvocationCallback finished) {
  SweepRealms();
  auto state = std::make_unique<InvocationState>();
  InvocationState& inv = *state;
  inv.id = next_invocation_id_++;
  inv.bundle = bundle;
  inv.done = std::move(done);
  inv.finished = std::move(finished);
  inv.start = clock_->Monotonic();
  inv.trace_id = request.trace_id;
  inv.budget = std::chrono::milliseconds(config.cpu_ms > 0 ? config.cpu_ms : 50);
  invocations_.emplace(inv.id, std::move(state));
  std::uint64_t id = inv.id;

  WorkerRealm* realm = RealmFor(bundle, &inv);
  if (realm) {
    realm->set_memory_limit(std::size_t(config.memory_mb > 0 ? config.memory_mb : 128) << 20);
    RunSlice(*realm, &inv, [&] { return StartHandler(*realm, inv, config, request); });
  }
  AfterSlice(id);
}

WorkerRealm* Engine::RealmFor(const std::shared_ptr<const WorkerBundle>& bundle,
                              InvocationState* inv) {
  if (auto it = realms_.find(bundle.get()); it != realms_.end()) {
    inv->realm_id = it->second->id();
    return it->second.get();
  }
  std::string error;
  WorkerRealm* realm = Instantiate(bundle, inv, &error);
  if (!realm && !error.empty() && !inv->complete) {
    FailInvocation(*inv, error == kRealmOom ? Outcome::kExceededMemory : Outcome::kException,
                   error);
  }
  return realm;
}

WorkerRealm* Engine::Instantiate(const std::shared_ptr<const WorkerBundle>& bundle,
                                 InvocationState* inv, std::string* error) {
  std::unique_ptr<WorkerRealm> created = WorkerRealm::Create(cx_, next_realm_id_++, bundle);
  if (!created) {
    JS_ClearPendingException(cx_);
    *error = std::string(kRealmOom);
    return nullptr;
  }
  WorkerRealm* realm = created.get();
  if (inv) inv->realm_id = realm->id();
  realms_.emplace(bundle.get(), std::move(created));
  // The top-level code's CPU is not the request's: it has its own limit (kStartupBudget). Its
  // console output still goes to the request that started it, if any.
  const auto charged = inv ? inv->cpu_used : std::chrono::nanoseconds(0);
  bool alive = RunSlice(
      *realm, inv,
      [&] {
        CallResult result = realm->Evaluate(cx_, *prelude_, *queue_, error);
        return result != CallResult::kTerminated;
      },
      kStartupBudget);
  if (inv) inv->cpu_used = charged;
  if (!alive) {  // KillRealm reported the outcome to `inv`
    if (error->empty()) *error = "the worker's top-level code was stopped (startup CPU or memory limit)";
    return nullptr;
  }
  if (!error->empty()) {
    std::erase_if(realms_, [&](const auto& r) { return r.second.get() == realm; });
    return nullptr;
  }
  return realm;
}

Status Engine::Warm(const std::shared_ptr<const WorkerBundle>& bundle) {
  if (realms_.contains(bundle.get())) return Ok();
  std::string error;
  if (Instantiate(bundle, nullptr, &error) != nullptr) return Ok();
  return Fail(InvalidArgument(error));
}

bool Engine::StartHandler(WorkerRealm& realm, InvocationState& inv, const WorkerConfig& config,
                          const WorkerRequest& request) {
  JSContext* cx = cx_;
  JS::RootedObject def(cx, realm.default_export());
  JS::RootedValue handler(cx);
  if (!JS_GetProperty(cx, def, "fetch", &handler)) return HandleResult(cx, inv, CallResult::kThrew);
  if (!handler.isObject() || !JS::IsCallable(&handler.toObject())) {
    FailInvocation(inv, Outcome::kException,
         "Error: the worker's default export has no fetch() handler");
    return true;
  }
  JS::RootedObject init(cx, NewRequestInit(cx, request));
  if (init && request.body_stream && !AttachRequestBody(cx, inv, init, request.body_stream))
    init = nullptr;
  JS::RootedObject env(cx, init ? realm.Env(cx, config.vars, config.bindings) : nullptr);
  JS::RootedObject hooks(cx, env ? JS_NewPlainObject(cx) : nullptr);
  JS::RootedObject wait_until(cx, hooks ? NewReaction(cx, OnWaitUntil, inv.id, "waitUntil")
                                        : nullptr);
  if (!wait_until || !JS_DefineProperty(cx, hooks, "waitUntil", wait_until, JSPROP_ENUMERATE))
    return HandleResult(cx, inv, CallResult::kThrew);  // an exception (bad binding) or OOM

  JS::RootedValue fn(cx), req(cx), ctx(cx), result(cx);
  JS::RootedValueArray<1> one(cx);
  one[0].setObject(*init);
  fn.setObject(*realm.new_request());
  if (!JS_CallFunctionValue(cx, nullptr, fn, one, &req))
    return HandleResult(cx, inv, CallResult::kThrew);
  one[0].setObject(*hooks);
  fn.setObject(*realm.new_execution_context());
  if (!JS_CallFunctionValue(cx, nullptr, fn, one, &ctx))
    return HandleResult(cx, inv, CallResult::kThrew);
  JS::RootedValueArray<3> args(cx);
  args[0].set(req);
  args[1].setObject(*env);
  args[2].set(ctx);
  if (!JS_CallFunctionValue(cx, def, handler, args, &result))
    return HandleResult(cx, inv, CallResult::kThrew);
  if (!AttachReactions(cx, result, OnHandlerFulfilled, OnHandlerRejected, inv.id))
    return HandleResult(cx, inv, CallResult::kThrew);
  return true;
}

// Called with a failed JSAPI call: an exception fails the request; a termination (no pending
// exception, or OOM) is passed up so the slice discards the realm.
bool Engine::HandleResult(JSContext* cx, InvocationState& inv, CallResult result) {
  if (result == CallResult::kThrew && JS_IsExceptionPending(cx) && !JS_IsThrowingOutOfMemory(cx)) {
    FailInvocation(inv, Outcome::kException, TakeExceptionText(cx));
    return true;
  }
  return false;
}

// The common start of a promise-reaction native: reads the invocation id the reaction was made
// with (before rval(), which overwrites the callee slot holding it), clears rval, and returns the
// invocation if it is still running (null once it completed: the reaction came too late).
Engine::InvocationState* Engine::ReactionTarget(JS::CallArgs& args) {
  std::uint64_t id = ReactionId(args);
  args.rval().setUndefined();
  InvocationState* inv = FindInvocation(id);
  return inv && !inv->complete ? inv : nullptr;
}

bool Engine::OnHandlerFulfilled(JSContext* cx, unsigned argc, JS::Value* vp) {
  JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
  Engine* self = EngineOf(cx);
  InvocationState* inv = self->ReactionTarget(args);
  if (!inv || inv->responded) return true;
  WorkerRealm* realm = self->RealmById(inv->realm_id);
  if (!realm) return true;
  JS::RootedValue fn(cx, JS::ObjectValue(*realm->read_response())), converted(cx);
  JS::RootedValueArray<1> one(cx);
  one[0].set(args.get(0));
  if (!JS_CallFunctionValue(cx, nullptr, fn, one, &converted))
    return self->HandleResult(cx, *inv, CallResult::kThrew);
  JS::RootedObject converted_obj(cx, converted.isObject() ? &converted.toObject() : nullptr);
  if (converted_obj && JS::IsPromiseObject(converted_obj))
    return AttachReactions(cx, converted, OnResponseRead, OnHandlerRejected, inv->id) ||
           self->HandleResult(cx, *inv, CallResult::kThrew);
  return self->ConvertResponse(cx, *inv, converted);
}

bool Engine::OnResponseRead(JSContext* cx, unsigned argc, JS::Value* vp) {
  JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
  Engine* self = EngineOf(cx);
  InvocationState* inv = self->ReactionTarget(args);
  if (!inv || inv->responded) return true;
  return self->ConvertResponse(cx, *inv, args.get(0));
}

bool Engine::OnHandlerRejected(JSContext* cx, unsigned argc, JS::Value* vp) {
  JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
  Engine* self = EngineOf(cx);
  InvocationState* inv = self->ReactionTarget(args);
  if (!inv || inv->responded) return true;
  self->FailInvocation(*inv, Outcome::kException, RejectionText(cx, args.get(0)));
  return true;
}

// `value` is what internal.readResponse(Streaming) produced: {status, statusText, headers} and
// `body` (bytes, a string or null), or `reader` (a stream), or `bodyHandle` (a host body).
bool Engine::ConvertResponse(JSContext* cx, InvocationState& inv, JS::HandleValue value) {
  if (!value.isObject()) {
    FailInvocation(inv, Outcome::kException, "TypeError: readResponse did not return an object");
    return true;
  }
  JS::RootedObject obj(cx, &value.toObject());
  JS::RootedValue status(cx), status_text(cx), headers(cx), body(cx);
  if (!JS_GetProperty(cx, obj, "status", &status) ||
      !JS_GetProperty(cx, obj, "statusText", &status_text) ||
      !JS_GetProperty(cx, obj, "headers", &headers) || !JS_GetProperty(cx, obj, "body", &body))
    return HandleResult(cx, inv, CallResult::kThrew);
  WorkerResponse& response = inv.record.response;
  int32_t code = 200;
  if (!status.isUndefined() && !JS::ToInt32(cx, status, &code))
    return HandleResult(cx, inv, CallResult::kThrew);
  response.status = code;
  if (!status_text.isNullOrUndefined()) response.status_text = ValueToUtf8(cx, status_text);
  if (!headers.isNullOrUndefined() && !ReadHeaderArray(cx, headers, &response.headers))
    return HandleResult(cx, inv, CallResult::kThrew);
  bool streamed = false;  // {reader} or {bodyHandle}: response_stream.cc
  if (!TakeStreamedBody(cx, inv, obj, &streamed)) return HandleResult(cx, inv, CallResult::kThrew);
  if (streamed) {
    Respond(inv);
    return true;
  }
  if (body.isString()) {
    response.body = ValueToUtf8(cx, body);
  } else if (!body.isNullOrUndefined() && !CopyBufferSource(body, &response.body)) {
    FailInvocation(inv, Outcome::kException, "TypeError: response body must be bytes or a string");
    return true;
  }
  Respond(inv);
  return true;
}

bool Engine::OnWaitUntil(JSContext* cx, unsigned argc, JS::Value* vp) {
  JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
  Engine* self = EngineOf(cx);
  InvocationState* inv = self->ReactionTarget(args);
  if (!inv) return true;  // too late: the request is over
  if (!AttachReactions(cx, args.get(0), OnWaitUntilSettled, OnWaitUntilRejected, inv->id))
    return false;
  inv->wait_until_pending++;
  return true;
}

bool Engine::OnWaitUntilSettled(JSContext* cx, unsigned argc, JS::Value* vp) {
  JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
  Engine* self = EngineOf(cx);
  if (InvocationState* inv = self->ReactionTarget(args)) {
    inv->wait_until_pending--;
    self->MaybeFinish(*inv);
  }
  return true;
}

bool Engine::OnWaitUntilRejected(JSContext* cx, unsigned argc, JS::Value* vp) {
  JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
  Engine* self = EngineOf(cx);
  if (InvocationState* inv = self->FindInvocation(ReactionId(args)); inv && !inv->complete) {
    std::string text = RejectionText(cx, args.get(0));
    inv->record.logs.push_back({"error", "Uncaught (in waitUntil) " + text, self->clock_->Now()});
    if (inv->responded) {
      inv->record.outcome = Outcome::kException;
      inv->record.exception = text;
    }
  }
  return OnWaitUntilSettled(cx, argc, vp);
}

void Engine::Respond(InvocationState& inv) {
  inv.responded = true;
  Invocation record = std::move(inv.record);
  inv.record = Invocation{};
  record.outcome = Outcome::kOk;
  record.cpu_time = CpuUsed(inv);
  record.wall_time =
      std::chrono::duration_cast<std::chrono::microseconds>(clock_->Monotonic() - inv.start);
  Post(std::move(inv.done), std::move(record));
  MaybeFinish(inv);
}

void Engine::FailInvocation(InvocationState& inv, Outcome outcome, std::string exception) {
  Complete(inv, outcome, std::move(exception));
}

void Engine::MaybeFinish(InvocationState& inv) {
  // Inside one of its own slices the end waits for the slice's end (AfterSlice): what the
  // microtask checkpoint still reports (unhandled rejections) belongs to the invocation.
  if (current_inv_ == &inv) return;
  if (inv.responded && inv.wait_until_pending == 0 && !inv.complete && !ResponseBodyOpen(inv))
    Complete(inv, inv.record.outcome, inv.record.exception);
}

// Ends the invocation: reports whichever phase is open (and `finished`), exactly once.
void Engine::Complete(InvocationState& inv, Outcome outcome, std::string exception) {
  if (inv.complete) return;
  inv.complete = true;
  Invocation record = std::move(inv.record);
  record.outcome = outcome;
  record.exception = std::move(exception);
  record.cpu_time = CpuUsed(inv);
  record.wall_time =
      std::chrono::duration_cast<std::chrono::microseconds>(clock_->Monotonic() - inv.start);
  if (!inv.responded) {
    inv.responded = true;
    Invocation tail{record.outcome, {}, {}, record.exception, record.cpu_time, record.wall_time};
    Post(std::move(inv.done), std::move(record));
    Post(std::move(inv.finished), std::move(tail));
  } else if (inv.finished) {
    Post(std::move(inv.finished), std::move(record));
  }
  completed_.push_back(inv.id);
}

void Engine::Post(InvocationCallback callback, Invocation result) {
  if (!callback) return;
  boost::asio::post(io_, [callback = std::move(callback), result = std::move(result)]() mutable {
    callback(std::move(result));
  });
}

}  // namespace blaze::engine
