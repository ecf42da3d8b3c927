// WorkerRealm: one worker version instantiated on one core — a global (own compartment and
// zone, the unit of memory accounting), the prelude evaluated in it, the module graph, the
// default export, the prelude's internal functions and the cached `env`. Reused across the
// requests of that version on this core; discarded after a CPU/memory kill or when the
// version is dropped. Owned by the Engine; every GC thing it holds is a JS::Heap traced from
// an extra roots tracer it registers itself. Engine-internal.
#pragma once

#include <jsapi.h>
#include <js/experimental/JSStencil.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "blaze/runtime/engine/invocation.h"
#include "blaze/runtime/engine/module_graph.h"

namespace blaze::engine {

class MicrotaskQueue;
class WorkerBundle;

enum class CallResult { kOk, kThrew, kTerminated };

class WorkerRealm {
 public:
  // A global with the realm options every worker gets (streams and WeakRefs on).
  static JSObject* NewGlobal(JSContext* cx);

  // Creates the global only; Evaluate runs the code (inside an Engine slice).
  static std::unique_ptr<WorkerRealm> Create(JSContext* cx, std::uint64_t id,
                                             std::shared_ptr<const WorkerBundle> bundle);
  ~WorkerRealm();
  WorkerRealm(const WorkerRealm&) = delete;
  WorkerRealm& operator=(const WorkerRealm&) = delete;

  // Defines __blazeHost, runs the prelude, reads __blazeHost.internal, links and evaluates the
  // bundle and reads its default export. Must run in this realm. On kThrew `*error` has the
  // exception text ("file:line:col: Error: msg" + stack).
  CallResult Evaluate(JSContext* cx, std::span<const RefPtr<JS::Stencil>> prelude,
                      MicrotaskQueue& queue, std::string* error);

  // `env` for these vars and bindings (cached while they stay the same). Binding i becomes
  // internal.makeBinding(kind, i); bindings() is what a handle refers to.
  JSObject* Env(JSContext* cx, const std::vector<WorkerVar>& vars,
                const std::vector<WorkerBinding>& bindings);
  const std::vector<WorkerBinding>& bindings() const { return env_bindings_; }

  std::uint64_t id() const { return id_; }
  const std::weak_ptr<const WorkerBundle>& bundle() const { return bundle_; }
  JSObject* global() const { return global_; }
  JSObject* global_unbarriered() const { return global_.unbarrieredGet(); }
  JSObject* default_export() const { return default_export_; }
  JSObject* new_request() const { return new_request_; }
  JSObject* read_response() const { return read_response_; }
  JSObject* new_execution_context() const { return new_execution_context_; }
  JSObject* format_log() const { return format_log_; }
  // internal.reportUnhandledRejection(promise, reason), or null (a prelude without it).
  JSObject* report_rejection() const { return report_rejection_; }

  std::size_t memory_limit() const { return memory_limit_; }
  void set_memory_limit(std::size_t bytes) { memory_limit_ = bytes; }

 private:
  WorkerRealm(JSContext* cx, std::uint64_t id, std::shared_ptr<const WorkerBundle> bundle);
  static void Trace(JSTracer* trc, void* data);
  bool ReadInternals(JSContext* cx, JS::HandleObject host, std::string* error);

  JSContext* cx_;
  std::uint64_t id_;
  std::weak_ptr<const WorkerBundle> bundle_;
  ModuleGraph graph_;
  JS::Heap<JSObject*> global_;
  JS::Heap<JSObject*> default_export_;
  JS::Heap<JSObject*> new_request_;
  JS::Heap<JSObject*> read_response_;
  JS::Heap<JSObject*> new_execution_context_;
  JS::Heap<JSObject*> format_log_;
  JS::Heap<JSObject*> report_rejection_;
  JS::Heap<JSObject*> env_;
  JS::Heap<JSObject*> make_binding_;
  std::vector<WorkerVar> env_vars_;
  std::vector<WorkerBinding> env_bindings_;
  std::size_t memory_limit_ = 128u << 20;
};

}  // namespace blaze::engine
