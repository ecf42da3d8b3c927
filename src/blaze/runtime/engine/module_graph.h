// ModuleGraph: the module records of one WorkerBundle instantiated in one realm. Records are
// created from the bundle's Stencils on first use and cached by path (module identity). The
// runtime-wide resolve / dynamic-import / import.meta hooks find the graph through each
// record's private value. The graph keeps its records alive through an extra GC roots tracer
// and must be destroyed before its JSContext. Engine-internal.
#pragma once

#include <jsapi.h>

#include <map>
#include <memory>
#include <string>

namespace blaze::engine {

class WorkerBundle;

class ModuleGraph {
 public:
  // `bundle` must outlive the graph (the owning realm is swept when its version is dropped).
  ModuleGraph(JSContext* cx, const WorkerBundle* bundle);
  ~ModuleGraph();
  ModuleGraph(const ModuleGraph&) = delete;
  ModuleGraph& operator=(const ModuleGraph&) = delete;

  // The record for `path` in the current realm; null with a pending exception if absent.
  JSObject* Load(JSContext* cx, const std::string& path);
  // Loads the main module and links the whole graph (JS::ModuleInstantiate).
  JSObject* LinkMain(JSContext* cx);

  const WorkerBundle& bundle() const { return *bundle_; }

  // What each record's private value points at.
  struct Entry {
    ModuleGraph* graph;
    std::string path;
    JS::Heap<JSObject*> record;
  };

 private:
  static void Trace(JSTracer* trc, void* data);

  JSContext* cx_;
  const WorkerBundle* bundle_;
  std::map<std::string, std::unique_ptr<Entry>> entries_;
};

// Once per JSContext (hooks are per runtime).
void InstallModuleHooks(JSContext* cx);

}  // namespace blaze::engine
