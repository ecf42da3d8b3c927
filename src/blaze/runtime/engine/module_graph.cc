#include "blaze/runtime/engine/module_graph.h"

#include <js/Modules.h>
#include <js/Promise.h>
#include <js/PropertyAndElement.h>
#include <js/experimental/JSStencil.h>

#include "blaze/runtime/engine/js_util.h"
#include "blaze/runtime/engine/worker_bundle.h"

namespace blaze::engine {
namespace {

ModuleGraph::Entry* EntryOf(JS::HandleValue private_value) {
  if (private_value.isUndefined()) return nullptr;
  return static_cast<ModuleGraph::Entry*>(private_value.toPrivate());
}

JSObject* ResolveImport(JSContext* cx, JS::HandleValue referrer, JS::HandleObject request) {
  JS::RootedString spec(cx, JS::GetModuleRequestSpecifier(cx, request));
  if (!spec) return nullptr;
  auto specifier = StringToUtf8(cx, spec);
  if (!specifier) return nullptr;
  ModuleGraph::Entry* entry = EntryOf(referrer);
  if (!entry) {
    ThrowError(cx, JSEXN_TYPEERR, "import outside a worker module: " + *specifier);
    return nullptr;
  }
  auto path = ResolveModuleSpecifier(entry->path, *specifier);
  if (!path || !entry->graph->bundle().FindStencil(*path)) {
    ThrowError(cx, JSEXN_TYPEERR,
               "Cannot find module '" + *specifier + "' imported from " + entry->path);
    return nullptr;
  }
  return entry->graph->Load(cx, *path);
}

bool ImportMeta(JSContext* cx, JS::HandleValue private_value, JS::HandleObject meta) {
  ModuleGraph::Entry* entry = EntryOf(private_value);
  if (!entry) return true;
  JS::RootedString url(cx, NewStringUtf8(cx, "file:///" + entry->path));
  return url && JS_DefineProperty(cx, meta, "url", url, JSPROP_ENUMERATE);
}

// All sources are in memory, so import() resolves, links and evaluates synchronously and hands
// the evaluation promise to the engine.
bool DynamicImport(JSContext* cx, JS::HandleValue referrer, JS::HandleObject request,
                   JS::HandleObject promise) {
  JS::RootedObject module(cx, ResolveImport(cx, referrer, request));
  JS::RootedValue evaluation(cx);
  if (!module || !JS::ModuleInstantiate(cx, module) ||
      !JS::ModuleEvaluate(cx, module, &evaluation)) {
    JS::RootedValue error(cx);
    if (!JS_GetPendingException(cx, &error)) return false;  // terminated
    JS_ClearPendingException(cx);
    JS::RootedObject rejected(cx, JS::CallOriginalPromiseReject(cx, error));
    return rejected && JS::FinishDynamicModuleImport(cx, rejected, referrer, request, promise);
  }
  JS::RootedObject evaluation_promise(cx, &evaluation.toObject());
  return JS::FinishDynamicModuleImport(cx, evaluation_promise, referrer, request, promise);
}

}  // namespace

void InstallModuleHooks(JSContext* cx) {
  JSRuntime* rt = JS_GetRuntime(cx);
  JS::SetModuleResolveHook(rt, ResolveImport);
  JS::SetModuleMetadataHook(rt, ImportMeta);
  JS::SetModuleDynamicImportHook(rt, DynamicImport);
}

ModuleGraph::ModuleGraph(JSContext* cx, const WorkerBundle* bundle)
    : cx_(cx), bundle_(bundle) {
  JS_AddExtraGCRootsTracer(cx_, &ModuleGraph::Trace, this);
}

ModuleGraph::~ModuleGraph() { JS_RemoveExtraGCRootsTracer(cx_, &ModuleGraph::Trace, this); }

void ModuleGraph::Trace(JSTracer* trc, void* data) {
  for (auto& [path, entry] : static_cast<ModuleGraph*>(data)->entries_)
    JS::TraceEdge(trc, &entry->record, "blaze-module-record");
}

JSObject* ModuleGraph::Load(JSContext* cx, const std::string& path) {
  if (auto it = entries_.find(path); it != entries_.end()) return it->second->record;
  JS::Stencil* stencil = bundle_->FindStencil(path);
  if (!stencil) {
    ThrowError(cx, JSEXN_TYPEERR, "Cannot find module '" + path + "'");
    return nullptr;
  }
  JS::CompileOptions options(cx);
  JS::InstantiateOptions instantiate(options);
  JS::RootedObject record(cx, JS::InstantiateModuleStencil(cx, instantiate, stencil));
  if (!record) return nullptr;
  auto entry = std::make_unique<Entry>();
  entry->graph = this;
  entry->path = path;
  entry->record = record;
  JS::SetModulePrivate(record, JS::PrivateValue(entry.get()));
  entries_.emplace(path, std::move(entry));
  return record;
}

JSObject* ModuleGraph::LinkMain(JSContext* cx) {
  JS::RootedObject main(cx, Load(cx, bundle_->main_module()));
  if (!main || !JS::ModuleInstantiate(cx, main)) return nullptr;
  return main;
}

}  // namespace blaze::engine
