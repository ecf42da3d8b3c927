// MicrotaskQueue: the Engine's JS::JobQueue (promise reactions). Drained after every macrotask
// (timer, I/O completion, request start). A job terminated by the interrupt callback (CPU or
// memory limit) drops the remaining jobs: unlike js::RunJobs, nothing runs after a kill.
// One per Engine, core-local.
#pragma once

#include <jsapi.h>
#include <js/GCVector.h>
#include <js/Promise.h>

#include <functional>
#include <string>

namespace blaze::engine {

class MicrotaskQueue final : public JS::JobQueue {
 public:
  // `on_uncaught` gets the text of an exception thrown by a job itself (rare: reactions
  // created by the engine never throw; ordinary promise reactions reject instead).
  MicrotaskQueue(JSContext* cx, std::function<void(std::string)> on_uncaught);

  JSObject* getIncumbentGlobal(JSContext* cx) override;
  bool enqueuePromiseJob(JSContext* cx, JS::HandleObject promise, JS::HandleObject job,
                         JS::HandleObject allocation_site,
                         JS::HandleObject incumbent_global) override;
  void runJobs(JSContext* cx) override;
  bool empty() const override;
  js::UniquePtr<SavedJobQueue> saveJobQueue(JSContext* cx) override;

  // Runs jobs until the queue is empty. False = a job was terminated (no exception pending).
  bool Drain(JSContext* cx);

  void Clear() { jobs_.clear(); }

 private:
  JS::PersistentRooted<JS::GCVector<JSObject*, 0, js::SystemAllocPolicy>> jobs_;
  std::function<void(std::string)> on_uncaught_;
  bool draining_ = false;
};

}  // namespace blaze::engine
