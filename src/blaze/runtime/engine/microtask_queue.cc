#include "blaze/runtime/engine/microtask_queue.h"

#include <js/CallAndConstruct.h>

#include "blaze/runtime/engine/js_util.h"

namespace blaze::engine {

MicrotaskQueue::MicrotaskQueue(JSContext* cx, std::function<void(std::string)> on_uncaught)
    : jobs_(cx), on_uncaught_(std::move(on_uncaught)) {}

JSObject* MicrotaskQueue::getIncumbentGlobal(JSContext* cx) {
  return JS::CurrentGlobalOrNull(cx);
}

bool MicrotaskQueue::enqueuePromiseJob(JSContext* cx, JS::HandleObject, JS::HandleObject job,
                                       JS::HandleObject, JS::HandleObject) {
  if (!jobs_.append(job)) {
    JS_ReportOutOfMemory(cx);
    return false;
  }
  return true;
}

void MicrotaskQueue::runJobs(JSContext* cx) { (void)Drain(cx); }

bool MicrotaskQueue::empty() const { return jobs_.empty(); }

js::UniquePtr<JS::JobQueue::SavedJobQueue> MicrotaskQueue::saveJobQueue(JSContext*) {
  return js::MakeUnique<SavedJobQueue>();  // only the Debugger uses this
}

bool MicrotaskQueue::Drain(JSContext* cx) {
  if (draining_) return true;  // a job re-entered the checkpoint; the outer loop continues
  draining_ = true;
  JS::RootedObject job(cx);
  JS::RootedValue rval(cx);
  bool ok = true;
  for (size_t i = 0; i < jobs_.length(); i++) {  // jobs enqueue jobs: the length grows
    job = jobs_[i];
    JSAutoRealm ar(cx, job);
    if (!JS::Call(cx, JS::UndefinedHandleValue, job, JS::HandleValueArray::empty(), &rval)) {
      if (!JS_IsExceptionPending(cx)) {  // terminated by the interrupt callback
        ok = false;
        break;
      }
      std::string text = TakeExceptionText(cx);
      if (on_uncaught_) on_uncaught_(std::move(text));
    }
  }
  jobs_.clear();
  draining_ = false;
  return ok;
}

}  // namespace blaze::engine
