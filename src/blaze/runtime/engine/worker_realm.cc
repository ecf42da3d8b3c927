#include "blaze/runtime/engine/worker_realm.h"

#include <js/Conversions.h>
#include <js/CompilationAndEvaluation.h>
#include <js/JSON.h>
#include <js/Modules.h>
#include <js/Promise.h>
#include <js/PropertyAndElement.h>

#include "blaze/runtime/engine/host_api.h"
#include "blaze/runtime/engine/js_util.h"
#include "blaze/runtime/engine/microtask_queue.h"
#include "blaze/runtime/engine/worker_bundle.h"

namespace blaze::engine {
namespace {

const JSClass kGlobalClass = {"global", JSCLASS_GLOBAL_FLAGS, &JS::DefaultGlobalClassOps};

CallResult Classify(JSContext* cx, bool ok) {
  if (ok) return CallResult::kOk;
  return JS_IsExceptionPending(cx) && !JS_IsThrowingOutOfMemory(cx) ? CallResult::kThrew
                                                                   : CallResult::kTerminated;
}

}  // namespace

JSObject* WorkerRealm::NewGlobal(JSContext* cx) {
  JS::RealmOptions options;
  options.creationOptions()
      .setStreamsEnabled(true)
      .setWeakRefsEnabled(JS::WeakRefSpecifier::EnabledWithoutCleanupSome);
  return JS_NewGlobalObject(cx, &kGlobalClass, nullptr, JS::FireOnNewGlobalHook, options);
}

WorkerRealm::WorkerRealm(JSContext* cx, std::uint64_t id,
                         std::shared_ptr<const WorkerBundle> bundle)
    : cx_(cx), id_(id), bundle_(bundle), graph_(cx, bundle.get()) {
  JS_AddExtraGCRootsTracer(cx_, &WorkerRealm::Trace, this);
}

WorkerRealm::~WorkerRealm() { JS_RemoveExtraGCRootsTracer(cx_, &WorkerRealm::Trace, this); }

std::unique_ptr<WorkerRealm> WorkerRealm::Create(JSContext* cx, std::uint64_t id,
                                                 std::shared_ptr<const WorkerBundle> bundle) {
  std::unique_ptr<WorkerRealm> realm(new WorkerRealm(cx, id, std::move(bundle)));
  realm->global_ = NewGlobal(cx);
  if (!realm->global_) return nullptr;
  return realm;
}

void WorkerRealm::Trace(JSTracer* trc, void* data) {
  auto* self = static_cast<WorkerRealm*>(data);
  JS::TraceEdge(trc, &self->global_, "blaze-realm-global");
  JS::TraceEdge(trc, &self->default_export_, "blaze-default-export");
  JS::TraceEdge(trc, &self->new_request_, "blaze-new-request");
  JS::TraceEdge(trc, &self->read_response_, "blaze-read-response");
  JS::TraceEdge(trc, &self->new_execution_context_, "blaze-new-execution-context");
  JS::TraceEdge(trc, &self->format_log_, "blaze-format-log");
  JS::TraceEdge(trc, &self->env_, "blaze-env");
  JS::TraceEdge(trc, &self->make_binding_, "blaze-make-binding");
  JS::TraceEdge(trc, &self->report_rejection_, "blaze-report-rejection");
}

bool WorkerRealm::ReadInternals(JSContext* cx, JS::HandleObject host, std::string* error) {
  JS::RootedValue internal(cx), fn(cx);
  if (!JS_GetProperty(cx, host, "internal", &internal)) return false;
  if (!internal.isObject()) {
    *error = "prelude error: __blazeHost.internal is not an object";
    return true;
  }
  JS::RootedObject obj(cx, &internal.toObject());
  struct Slot {
    const char* name;
    JS::Heap<JSObject*>* field;
  } slots[] = {{"newRequest", &new_request_},
               {"readResponse", &read_response_},
               {"newExecutionContext", &new_execution_context_},
               {"formatLog", &format_log_}};
  for (const Slot& slot : slots) {
    if (!JS_GetProperty(cx, obj, slot.name, &fn)) return false;
    if (!fn.isObject() || !JS::IsCallable(&fn.toObject())) {
      *error = std::string("prelude error: __blazeHost.internal.") + slot.name +
               " is not a function";
      return true;
    }
    *slot.field = &fn.toObject();
  }
  // Preferred when present: readResponseStreaming hands stream bodies over as readers (see
  // response_stream.cc); readResponse (the stand-in prelude's) buffers them.
  if (!JS_GetProperty(cx, obj, "readResponseStreaming", &fn)) return false;
  if (fn.isObject() && JS::IsCallable(&fn.toObject())) read_response_ = &fn.toObject();
  // Optional: a prelude without bindings (engine tests) only fails a worker that has some.
  if (!JS_GetProperty(cx, obj, "makeBinding", &fn)) return false;
  if (fn.isObject() && JS::IsCallable(&fn.toObject())) make_binding_ = &fn.toObject();
  if (!JS_GetProperty(cx, obj, "reportUnhandledRejection", &fn)) return false;
  if (fn.isObject() && JS::IsCallable(&fn.toObject())) report_rejection_ = &fn.toObject();
  return true;
}

CallResult WorkerRealm::Evaluate(JSContext* cx, std::span<const RefPtr<JS::Stencil>> prelude,
                                 MicrotaskQueue& queue, std::string* error) {
  JS::RootedObject global(cx, global_);
  JS::RootedObject host(cx, NewHostObject(cx));
  if (!host || !JS_DefineProperty(cx, global, "__blazeHost", host, JSPROP_RESOLVING))
    return CallResult::kTerminated;  // OOM
  for (const RefPtr<JS::Stencil>& stencil : prelude) {
    JS::CompileOptions options(cx);
    JS::InstantiateOptions instantiate(options);
    JS::RootedScript script(cx, JS::InstantiateGlobalStencil(cx, instantiate, stencil.get()));
    JS::RootedValue rval(cx);
    CallResult r = Classify(cx, script && JS_ExecuteScript(cx, script, &rval));
    if (r == CallResult::kThrew) *error = "prelude error: " + TakeExceptionText(cx);
    if (r != CallResult::kOk) return r;
  }
  if (!ReadInternals(cx, host, error)) return Classify(cx, false);
  if (!error->empty()) return CallResult::kThrew;

  JS::RootedObject main(cx, graph_.LinkMain(cx));
  JS::RootedValue evaluation(cx);
  CallResult r = Classify(cx, main && JS::ModuleEvaluate(cx, main, &evaluation));
  if (r == CallResult::kThrew) *error = TakeExceptionText(cx);
  if (r != CallResult::kOk) return r;
  // Top-level code is synchronous in practice (no I/O at startup): settle it now.
  JS::RootedObject promise(cx, &evaluation.toObject());
  // Its failure is reported below as the module's error, not as an unhandled rejection.
  if (!JS::SetAnyPromiseIsHandled(cx, promise)) return Classify(cx, false);
  if (!queue.Drain(cx)) return CallResult::kTerminated;
  if (JS::GetPromiseState(promise) == JS::PromiseState::Rejected) {
    JS::ThrowOnModuleEvaluationFailure(cx, promise, JS::ThrowModuleErrorsSync);
    *error = TakeExceptionText(cx);
    return CallResult::kThrew;
  }
  if (JS::GetPromiseState(promise) == JS::PromiseState::Pending) {
    *error = "top-level await in a worker module must not wait for I/O or timers";
    return CallResult::kThrew;
  }
  JS::RootedObject ns(cx, JS::GetModuleNamespace(cx, main));
  JS::RootedValue def(cx);
  if (!ns || !JS_GetProperty(cx, ns, "default", &def)) return Classify(cx, false);
  if (!def.isObject()) {
    *error = "the main module '" + graph_.bundle().main_module() +
             "' has no default export object";
    return CallResult::kThrew;
  }
  default_export_ = &def.toObject();
  return CallResult::kOk;
}

JSObject* WorkerRealm::Env(JSContext* cx, const std::vector<WorkerVar>& vars,
                           const std::vector<WorkerBinding>& bindings) {
  if (env_ && vars == env_vars_ && bindings == env_bindings_) return env_;
  JS::RootedObject env(cx, JS_NewPlainObject(cx));
  if (!env) return nullptr;
  JS::RootedValue value(cx);
  for (const WorkerVar& var : vars) {
    JS::RootedString text(cx, NewStringUtf8(cx, var.value));
    if (!text) return nullptr;
    value.setString(text);
    if (var.kind == WorkerVar::Kind::kJson && !JS_ParseJSON(cx, text, &value)) {
      JS_ClearPendingException(cx);  // invalid JSON stays visible as the raw text
      value.setString(text);
    }
    if (!JS_DefineProperty(cx, env, var.name.c_str(), value, JSPROP_ENUMERATE)) return nullptr;
  }
  if (!bindings.empty() && !make_binding_) {
    JS_ReportErrorASCII(cx, "this prelude has no internal.makeBinding");
    return nullptr;
  }
  JS::RootedValue make(cx, make_binding_ ? JS::ObjectValue(*make_binding_) : JS::UndefinedValue());
  JS::RootedValueArray<2> args(cx);
  for (std::size_t i = 0; i < bindings.size(); ++i) {
    JS::RootedString kind(cx, NewStringUtf8(cx, bindings[i].kind));
    if (!kind) return nullptr;
    args[0].setString(kind);
    args[1].setInt32(static_cast<int32_t>(i));
    if (!JS_CallFunctionValue(cx, nullptr, make, args, &value)) return nullptr;
    if (bindings[i].name.empty()) continue;  // a platform service (e.g. the Cache API)
    if (!JS_DefineProperty(cx, env, bindings[i].name.c_str(), value, JSPROP_ENUMERATE))
      return nullptr;
  }
  env_ = env;
  env_vars_ = vars;
  env_bindings_ = bindings;
  return env;
}

}  // namespace blaze::engine
