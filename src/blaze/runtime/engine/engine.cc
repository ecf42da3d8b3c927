#include "blaze/runtime/engine/engine.h"

#include <js/Conversions.h>
#include <js/CompilationAndEvaluation.h>
#include <js/ContextOptions.h>
#include <js/GCAPI.h>
#include <js/Initialization.h>
#include <js/Interrupt.h>
#include <js/MemoryMetrics.h>
#include <js/SourceText.h>
#include <jsfriendapi.h>
#include <malloc.h>
#include <pthread.h>

#include <boost/asio/post.hpp>

#include "blaze/base/log.h"
#include "blaze/runtime/engine/engine_state.h"
#include "blaze/runtime/engine/js_process.h"
#include "blaze/runtime/engine/js_util.h"
#include "blaze/runtime/engine/microtask_queue.h"
#include "blaze/runtime/engine/module_graph.h"
#include "blaze/runtime/engine/watchdog.h"
#include "blaze/runtime/engine/worker_realm.h"

namespace blaze::engine {
namespace {

constexpr auto kDefaultBudget = std::chrono::milliseconds(50);

std::size_t StackQuotaForThisThread() {
  std::size_t size = 1u << 20;
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    pthread_attr_getstacksize(&attr, &size);
    pthread_attr_destroy(&attr);
  }
  size = std::min<std::size_t>(size, 64u << 20);
  return size > (256u << 10) ? size - (128u << 10) : size / 2;  // headroom for C++ frames
}

size_t MallocSize(const void* p) { return malloc_usable_size(const_cast<void*>(p)); }

Engine* EngineOf(JSContext* cx) {
  return static_cast<Engine*>(static_cast<HostServices*>(JS_GetContextPrivate(cx)));
}

}  // namespace

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kOk: return "ok";
    case Outcome::kException: return "exception";
    case Outcome::kExceededCpu: return "exceededCpu";
    case Outcome::kExceededMemory: return "exceededMemory";
    case Outcome::kCanceled: return "canceled";
  }
  return "unknown";
}

Result<std::unique_ptr<Engine>> Engine::Create(JsProcess& process, boost::asio::io_context& io,
                                               EngineOptions options) {
  JSContext* cx = JS_NewContext(options.max_heap_bytes, process.parent_runtime());
  if (!cx) return Fail(ResourceExhausted("JS_NewContext failed"));
  JS_SetNativeStackQuota(cx, StackQuotaForThisThread());  // before any code runs
  // A small nursery: request garbage is short-lived and small, and the 16 MB default per core
  // is most of an idle worker's resident memory.
  JS_SetGCParameter(cx, JSGC_MAX_NURSERY_BYTES, options.max_nursery_bytes);
  // Collect the tenured heap from 8 MB on rather than SpiderMonkey's 27 MB: a core's steady
  // state is a few realms, and unreclaimed garbage would otherwise be most of the RSS.
  JS_SetGCParameter(cx, JSGC_ALLOCATION_THRESHOLD, options.gc_threshold_mb);
  // The same bound for malloc'd memory (ArrayBuffer contents: a streamed body's chunks). With
  // SpiderMonkey's 38 MB, 100 MB streamed through JS kept ~64 MiB of dead chunks; with 8, ~17.
  JS_SetGCParameter(cx, JSGC_MALLOC_THRESHOLD_BASE, options.gc_threshold_mb);
  JS::ContextOptionsRef(cx).setAsyncStackCaptureDebuggeeOnly(options.async_stacks ==
                                                             AsyncStacks::kDebuggeeOnly);
  if (!JS::InitSelfHostedCode(cx)) {
    JS_DestroyContext(cx);
    return Fail(Internal("JS::InitSelfHostedCode failed"));
  }
  std::unique_ptr<Engine> engine(new Engine(cx, io, std::move(options)));
  BLAZE_TRY_VOID(engine->Init());
  return engine;
}

Engine::Engine(JSContext* cx, boost::asio::io_context& io, EngineOptions options)
    : cx_(cx), io_(io), options_(std::move(options)),
      clock_(options_.clock ? options_.clock : &system_clock_) {}

Status Engine::Init() {
  queue_ = std::make_unique<MicrotaskQueue>(cx_, [this](std::string text) {
    AppendLog("error", "Uncaught " + text);
  });
  JS::SetJobQueue(cx_, queue_.get());
  JS::SetPromiseRejectionTrackerCallback(cx_, &Engine::OnRejectionTracked, this);
  SetHostServices(cx_, this);
  InstallModuleHooks(cx_);
  JS_AddInterruptCallback(cx_, &Engine::OnInterrupt);
  JS_SetGCCallback(cx_, &Engine::OnGc, this);
  JS_AddExtraGCRootsTracer(cx_, &Engine::TraceRoots, this);
  watchdog_ = std::make_unique<CpuWatchdog>(cx_);
  outbound_ = std::make_unique<OutboundClient>(io_, options_.outbound);

  if (options_.compiled_prelude) {
    prelude_ = options_.compiled_prelude;
    return Ok();
  }
  if (options_.prelude) {
    BLAZE_TRY(prelude_, CompilePrelude(cx_, *options_.prelude));
  } else {
    BLAZE_TRY(prelude_, LoadEmbeddedPrelude(cx_));  // the build-time XDR (prelude.h)
  }
  return Ok();
}

Engine::~Engine() {
  for (auto& [id, timer] : timers_) timer->timer.cancel();
  timers_.clear();
  pending_.clear();
  invocations_.clear();
  realms_.clear();
  queue_->Clear();
  JS_RemoveExtraGCRootsTracer(cx_, &Engine::TraceRoots, this);
  unhandled_.clear();
  JS::SetPromiseRejectionTrackerCallback(cx_, nullptr, nullptr);
  JS_SetGCCallback(cx_, nullptr, nullptr);
  JS::SetJobQueue(cx_, nullptr);
  watchdog_.reset();
  queue_.reset();
  JS_DestroyContext(cx_);
}

Result<std::shared_ptr<const WorkerBundle>> Engine::Compile(BundleSource source) {
  return WorkerBundle::Compile(cx_, std::move(source));
}

void Engine::TraceRoots(JSTracer* trc, void* data) {
  auto* self = static_cast<Engine*>(data);
  for (auto& [id, timer] : self->timers_) JS::TraceEdge(trc, &timer->callback, "blaze-timer");
  for (auto& [id, op] : self->pending_) JS::TraceEdge(trc, &op->promise, "blaze-pending");
  for (auto& promise : self->unhandled_) JS::TraceEdge(trc, &promise, "blaze-unhandled");
}

void Engine::OnRejectionTracked(JSContext*, bool, JS::HandleObject promise,
                                JS::PromiseRejectionHandlingState state, void* data) {
  auto* self = static_cast<Engine*>(data);
  if (state == JS::PromiseRejectionHandlingState::Unhandled) {
    // Only a request's own code is reported: rejections while no slice runs (the engine's own
    // bookkeeping) have no realm or request to report to.
    if (self->current_realm_ != nullptr) self->unhandled_.emplace_back(promise);
    return;
  }
  auto& list = self->unhandled_;
  for (auto it = list.begin(); it != list.end(); ++it) {
    if (*it == promise) {
      list.erase(it);
      return;
    }
  }
}

void Engine::ReportUnhandledRejections() {
  if (unhandled_.empty() || current_realm_ == nullptr) return;
  JS::RootedObject report(cx_, current_realm_->report_rejection());
  JS::RootedObject promise(cx_);
  JS::RootedValue fn(cx_), ignored(cx_);
  JS::RootedValueArray<2> args(cx_);
  // Reporting runs JS (listeners), which may reject more promises: take them in turns.
  while (!unhandled_.empty()) {
    std::vector<JS::Heap<JSObject*>> batch;
    batch.swap(unhandled_);
    for (auto& heap : batch) {
      promise = heap;
      // A promise of another realm (a rare cross-realm reaction) is not this slice's to report.
      if (JS::GetNonCCWObjectGlobal(promise) != current_realm_->global()) continue;
      if (report == nullptr) continue;  // a prelude without the hook (engine tests)
      args[0].setObject(*promise);
      args[1].set(JS::GetPromiseResult(promise));
      fn.setObject(*report);
      if (!JS::Call(cx_, JS::UndefinedHandleValue, fn, args, &ignored)) {
        if (!JS_IsExceptionPending(cx_)) {  // terminated: the slice ends with it
          unhandled_.clear();
          return;
        }
        JS_ClearPendingException(cx_);
      }
    }
  }
}

// One slice of JS: a request start, a timer, an I/O completion. Enters the realm, arms the
// CPU watchdog with what the request has left, runs `body` and the microtask checkpoint, and
// discards the realm if the slice was terminated. Returns false when it was.
bool Engine::RunSlice(WorkerRealm& realm, InvocationState* inv,
                      const std::function<bool()>& body,
                      std::optional<std::chrono::nanoseconds> budget_override) {
  bool ok;
  {
    JSAutoRealm ar(cx_, realm.global());
    current_realm_ = &realm;
    current_inv_ = inv;
    kill_.reset();
    auto budget = budget_override ? *budget_override
                  : inv           ? inv->budget - inv->cpu_used
                                  : std::chrono::nanoseconds(kDefaultBudget);
    auto cpu_start = ThreadCpuNow();
    slice_budget_ = budget;
    slice_cpu_start_ = cpu_start;
    slice_excluded_ = std::chrono::nanoseconds(0);
    watchdog_->Arm(budget, cpu_start);  // one read of the thread's CPU clock serves both
    ok = body();
    if (ok) ok = queue_->Drain(cx_);
    // Reporting runs listeners, whose microtasks may leave more rejections unhandled.
    while (ok && !unhandled_.empty()) {
      ReportUnhandledRejections();
      ok = queue_->Drain(cx_);
    }
    if (inv) {
      inv->cpu_used += std::max(ThreadCpuNow() - cpu_start - slice_excluded_,
                                std::chrono::nanoseconds(0));
    }
    watchdog_->Disarm();
    if (!ok && JS_IsThrowingOutOfMemory(cx_)) kill_ = Outcome::kExceededMemory;
    JS_ClearPendingException(cx_);
    unhandled_.clear();  // a terminated slice reports nothing more
    current_realm_ = nullptr;
    current_inv_ = nullptr;
  }
  if (ok && !kill_) return true;
  Outcome outcome = kill_.value_or(Outcome::kExceededCpu);
  KillRealm(realm, inv, outcome);
  return false;
}

std::chrono::microseconds Engine::CpuUsed(const InvocationState& inv) const {
  auto used = inv.cpu_used;
  if (current_inv_ == &inv) {
    used += std::max(ThreadCpuNow() - slice_cpu_start_ - slice_excluded_,
                     std::chrono::nanoseconds(0));
  }
  return std::chrono::duration_cast<std::chrono::microseconds>(used);
}

void Engine::AfterSlice(std::uint64_t invocation_id) {
  if (InvocationState* inv = FindInvocation(invocation_id); inv && !inv->complete) {
    MaybeFinish(*inv);  // deferred while its slice ran
  }
  if (InvocationState* inv = FindInvocation(invocation_id); inv && !inv->complete) {
    if (inv->pending_ops == 0 && !inv->responded)
      FailInvocation(*inv, Outcome::kException, "Error: The script will never generate a response.");
    else if (inv->pending_ops == 0 && ResponseBodyStalled(*inv))
      FailResponseBody(*inv, "Error: The script will never finish its response body.");
    else if (inv->pending_ops == 0 && inv->responded && inv->wait_until_pending > 0 &&
             !ResponseBodyOpen(*inv))  // an open body still moves when the client reads
      Complete(*inv, Outcome::kCanceled, "ctx.waitUntil() promises can never settle");
  }
  for (std::uint64_t id : completed_) {
    for (auto it = timers_.begin(); it != timers_.end();) {
      if (it->second->invocation_id == id) {
        it->second->timer.cancel();
        it = timers_.erase(it);
      } else {
        ++it;
      }
    }
    std::erase_if(pending_, [id](const auto& f) { return f.second->invocation_id == id; });
    invocations_.erase(id);
  }
  completed_.clear();
}

void Engine::KillRealm(WorkerRealm& realm, InvocationState* culprit, Outcome outcome) {
  std::uint64_t realm_id = realm.id();
  // Drop() (kCanceled) is a deliberate release — a retired version — not a degradation.
  log::Write(outcome == Outcome::kCanceled ? log::Level::kDebug : log::Level::kWarn,
             "engine.realm.discarded", {{"outcome", std::string(OutcomeName(outcome))}});
  for (auto& [id, inv] : invocations_) {
    if (inv->realm_id != realm_id || inv->complete) continue;
    if (inv.get() == culprit)
      Complete(*inv, outcome, std::string(OutcomeName(outcome)));
    else
      Complete(*inv, Outcome::kCanceled, "the worker's realm was discarded");
  }
  std::erase_if(timers_, [&](const auto& t) {
    if (t.second->realm_id != realm_id) return false;
    t.second->timer.cancel();
    return true;
  });
  std::erase_if(pending_, [&](const auto& f) { return f.second->realm_id == realm_id; });
  queue_->Clear();
  std::erase_if(realms_, [&](const auto& r) { return r.second->id() == realm_id; });
  if (outcome == Outcome::kExceededMemory) JS_GC(cx_);  // give the heap back now
  AfterSlice(0);
}

void Engine::SweepRealms() {
  for (auto it = realms_.begin(); it != realms_.end();) {
    bool busy = false;
    for (auto& [id, inv] : invocations_) busy |= inv->realm_id == it->second->id();
    if (it->second->bundle().expired() && !busy) {
      std::uint64_t realm_id = it->second->id();
      std::erase_if(timers_, [&](const auto& t) { return t.second->realm_id == realm_id; });
      std::erase_if(pending_, [&](const auto& f) { return f.second->realm_id == realm_id; });
      it = realms_.erase(it);
    } else {
      ++it;
    }
  }
}

void Engine::Drop(const WorkerBundle& bundle) {
  auto it = realms_.find(&bundle);
  if (it != realms_.end()) KillRealm(*it->second, nullptr, Outcome::kCanceled);
}

WorkerRealm* Engine::RealmById(std::uint64_t id) {
  for (auto& [bundle, realm] : realms_)
    if (realm->id() == id) return realm.get();
  return nullptr;
}

Engine::InvocationState* Engine::FindInvocation(std::uint64_t id) {
  auto it = invocations_.find(id);
  return it == invocations_.end() ? nullptr : it->second.get();
}

// ---- limits ----

bool Engine::OnInterrupt(JSContext* cx) {
  Engine* self = EngineOf(cx);
  if (!self || !self->current_realm_) return true;  // the engine's own interrupts
  if (self->watchdog_->expired()) {
    self->kill_ = Outcome::kExceededCpu;
    return false;
  }
  if (self->kill_) return false;
  if (self->measure_pending_) {
    self->measure_pending_ = false;
    if (self->MeasureRealm(*self->current_realm_) > self->current_realm_->memory_limit()) {
      self->kill_ = Outcome::kExceededMemory;
      return false;
    }
  }
  return true;
}

void Engine::OnGc(JSContext* cx, JSGCStatus status, JS::GCReason, void* data) {
  auto* self = static_cast<Engine*>(data);
  if (status != JSGC_END || !self->current_realm_) return;
  WorkerRealm& realm = *self->current_realm_;
  std::size_t gc_heap = js::GetGCHeapUsageForObjectZone(realm.global_unbarriered());
  if (gc_heap > realm.memory_limit()) {
    self->kill_ = Outcome::kExceededMemory;
  } else {
    self->measure_pending_ = true;  // malloc'd memory is measured outside the GC
  }
  JS_RequestInterruptCallback(cx);
}

// GC heap + malloc'd memory (string chars, elements, buffers) of the realm's compartment.
std::size_t Engine::MeasureRealm(WorkerRealm& realm) {
  JS::TabSizes sizes;
  JS::RootedObject global(cx_, realm.global());
  if (!JS::AddSizeOfTab(cx_, global, MallocSize, nullptr, &sizes)) return 0;
  return sizes.objects_ + sizes.strings_ + sizes.private_ + sizes.other_;
}

// ---- HostServices ----

void Engine::AppendLog(std::string level, std::string message) {
  if (!current_inv_) return;  // top-level code outside a request: no tail to attach to
  current_inv_->record.logs.push_back({std::move(level), std::move(message), clock_->Now()});
}

double Engine::NowMs() const { return static_cast<double>(UnixMillis(clock_->Now())); }

int Engine::SetTimer(JSContext*, JS::HandleObject callback, double ms, bool repeat) {
  int id = next_timer_id_++;
  if (next_timer_id_ == INT32_MAX) next_timer_id_ = 1;
  auto timer = std::make_unique<Timer>(io_);
  timer->callback = callback;
  timer->realm_id = current_realm_ ? current_realm_->id() : 0;
  timer->invocation_id = current_inv_ ? current_inv_->id : 0;
  timer->interval = std::chrono::milliseconds(static_cast<std::int64_t>(ms));
  timer->repeat = repeat;
  if (current_inv_) current_inv_->pending_ops++;
  timers_.emplace(id, std::move(timer));
  ArmTimer(id);
  return id;
}

void Engine::ArmTimer(int id) {
  Timer& timer = *timers_.at(id);
  timer.timer.expires_after(timer.interval);
  timer.timer.async_wait([this, id](const boost::system::error_code& ec) {
    if (!ec) FireTimer(id);
  });
}

void Engine::ClearTimer(int id) {
  auto it = timers_.find(id);
  if (it == timers_.end()) return;
  if (InvocationState* inv = FindInvocation(it->second->invocation_id)) inv->pending_ops--;
  it->second->timer.cancel();
  timers_.erase(it);
}

void Engine::FireTimer(int id) {
  auto it = timers_.find(id);
  if (it == timers_.end()) return;
  WorkerRealm* realm = RealmById(it->second->realm_id);
  std::uint64_t inv_id = it->second->invocation_id;
  InvocationState* inv = FindInvocation(inv_id);
  if (!realm) {
    timers_.erase(it);
    return;
  }
  JS::RootedObject callback(cx_, it->second->callback);
  if (it->second->repeat) {
    ArmTimer(id);
  } else {
    timers_.erase(it);
    if (inv) inv->pending_ops--;
  }
  RunSlice(*realm, inv, [&] {
    JS::RootedValue fn(cx_, JS::ObjectValue(*callback)), rval(cx_);
    if (JS_CallFunctionValue(cx_, nullptr, fn, JS::HandleValueArray::empty(), &rval)) return true;
    if (!JS_IsExceptionPending(cx_)) return false;
    AppendLog("error", "Uncaught " + TakeExceptionText(cx_));
    return true;
  });
  AfterSlice(inv_id);
}

int Engine::AddPending(JS::HandleObject promise, InvocationState* inv) {
  int id = next_timer_id_++;  // shares the id space with timers; only uniqueness matters
  auto pending = std::make_unique<PendingOp>();
  pending->promise = promise;
  pending->realm_id = current_realm_ ? current_realm_->id() : 0;
  pending->invocation_id = inv ? inv->id : 0;
  if (inv) inv->pending_ops++;
  pending_.emplace(id, std::move(pending));
  return id;
}

void Engine::StartFetch(JSContext*, OutboundRequest request, JS::HandleObject promise) {
  int id = AddPending(promise, current_inv_);
  outbound_->Fetch(std::move(request), [this, id](Result<OutboundResponse> result) {
    SettlePending(id, [&](JS::HandleObject promise) { return SettleFetch(promise, result); });
  });
}

BindingService* Engine::BindingAt(int handle) const {
  if (current_realm_ && handle >= 0 &&
      static_cast<std::size_t>(handle) < current_realm_->bindings().size()) {
    return current_realm_->bindings()[handle].service.get();
  }
  return nullptr;
}

std::optional<Result<BindingReply>> Engine::CallBindingInline(JSContext*, int handle,
                                                              BindingCall& call) {
  BindingService* service = BindingAt(handle);  // the realm's bindings outlive the slice
  if (!service || !service->AnswersInline() || kill_ || watchdog_->expired()) return std::nullopt;
  return CallInline(*service, std::move(call));
}

void Engine::StartBindingCall(JSContext* cx, int handle, BindingCall call,
                              JS::HandleObject promise) {
  BindingService* service = BindingAt(handle);
  if (service && service->AnswersInline() && !kill_ && !watchdog_->expired()) {
    // Settling only queues the reactions; they run at this slice's microtask checkpoint.
    Result<BindingReply> reply = CallInline(*service, std::move(call));
    if (!SettleBindingPromise(cx_, promise, reply)) {
      JS::RootedValue error(cx_);
      if (JS_IsExceptionPending(cx_) && JS_GetPendingException(cx_, &error)) {
        JS_ClearPendingException(cx_);
        (void)JS::RejectPromise(cx_, promise, error);
      }
    }
    return;
  }
  int id = AddPending(promise, current_inv_);
  std::string trace_id = current_inv_ ? current_inv_->trace_id : std::string();
  // The service runs between slices (its time is not the worker's CPU) and settles in a slice
  // of its own, whenever and on whatever thread-safe path it calls `done` from.
  std::shared_ptr<BindingService> shared;
  if (service) shared = current_realm_->bindings()[handle].service;
  boost::asio::post(io_, [this, id, service = std::move(shared), call = std::move(call),
                          trace_id = std::move(trace_id)]() mutable {
    auto done = [this, id](Result<BindingReply> result) {
      auto settle = [this, id](const Result<BindingReply>& r) {
        SettlePending(id, [&](JS::HandleObject promise) {
          return SettleBindingPromise(cx_, promise, r);
        });
      };
      // Between slices (the usual case: a storage service answering inline, or a service
      // binding's posted Invoke callback) settle at once; from inside a slice, after it.
      if (current_realm_ == nullptr) return settle(result);
      boost::asio::post(io_, [settle, result = std::move(result)] { settle(result); });
    };
    if (!service) return done(Fail(Internal("binding is gone (the worker was reconfigured)")));
    service->Call(std::move(call), BindingContext{io_, this, trace_id}, std::move(done));
  });
}

Result<BindingReply> Engine::CallInline(BindingService& service, BindingCall call) {
  // The service's CPU is not the worker's: pause the watchdog and leave it out of the slice.
  auto before = ThreadCpuNow();
  watchdog_->Disarm();
  std::optional<Result<BindingReply>> reply;
  service.Call(std::move(call),
               BindingContext{io_, this, current_inv_ ? current_inv_->trace_id : std::string()},
               [&reply](Result<BindingReply> r) { reply.emplace(std::move(r)); });
  auto after = ThreadCpuNow();
  auto spent = before - slice_cpu_start_ - slice_excluded_;  // the worker's, this slice
  slice_excluded_ += after - before;
  watchdog_->Arm(slice_budget_ - spent, after);
  if (!reply) return Fail(Internal("binding did not answer inline"));
  return std::move(*reply);
}

void Engine::SettlePending(int id, const std::function<bool(JS::HandleObject)>& settle) {
  auto it = pending_.find(id);
  if (it == pending_.end()) return;  // the request or realm is gone
  WorkerRealm* realm = RealmById(it->second->realm_id);
  std::uint64_t inv_id = it->second->invocation_id;
  InvocationState* inv = FindInvocation(inv_id);
  JS::RootedObject promise(cx_, it->second->promise);
  pending_.erase(it);
  if (inv) inv->pending_ops--;
  if (!realm) return;
  RunSlice(*realm, inv, [&] {
    if (settle(promise)) return true;
    return JS_IsExceptionPending(cx_) && !JS_IsThrowingOutOfMemory(cx_);
  });
  AfterSlice(inv_id);
}

}  // namespace blaze::engine
