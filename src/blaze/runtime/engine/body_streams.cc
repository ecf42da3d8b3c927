#include "blaze/runtime/engine/body_streams.h"

#include <js/TracingAPI.h>

namespace blaze::engine {

InvocationBodies::~InvocationBodies() {
  for (auto& [handle, entry] : sources_) entry.source->Cancel();
  EndResponse(Aborted("the worker stopped before its response body was complete"));
}

void InvocationBodies::AddSource(int handle, std::shared_ptr<ByteSource> source) {
  sources_[handle] = HostSource{std::move(source)};
}

InvocationBodies::HostSource* InvocationBodies::FindSource(int handle) {
  auto it = sources_.find(handle);
  return it == sources_.end() ? nullptr : &it->second;
}

std::shared_ptr<ByteSource> InvocationBodies::TakeSource(int handle) {
  auto node = sources_.extract(handle);
  return node ? std::move(node.mapped().source) : nullptr;
}

void InvocationBodies::CancelSource(int handle) {
  if (auto source = TakeSource(handle)) source->Cancel();
}

void InvocationBodies::StartResponse(JSContext* cx, JS::HandleObject reader,
                                     std::shared_ptr<BytePipe> pipe) {
  if (!cx_) JS_AddExtraGCRootsTracer(cx, &InvocationBodies::Trace, this);
  cx_ = cx;
  reader_ = reader;
  pipe_ = pipe;
  next_pending_ = false;
}

void InvocationBodies::EndResponse(std::optional<Error> error) {
  if (auto pipe = pipe_.lock()) {
    pipe->set_hooks({});  // the Engine may be gone before the consumer lets go of the pipe
    if (error) {
      pipe->Fail(std::move(*error));
    } else {
      pipe->Finish();  // after a cancel this does nothing
    }
  }
  pipe_.reset();
  reader_ = nullptr;
  next_pending_ = false;
  if (cx_) {
    JS_RemoveExtraGCRootsTracer(cx_, &InvocationBodies::Trace, this);
    cx_ = nullptr;
  }
}

void InvocationBodies::Trace(JSTracer* trc, void* data) {
  auto* self = static_cast<InvocationBodies*>(data);
  JS::TraceEdge(trc, &self->reader_, "blaze-response-reader");
}

}  // namespace blaze::engine
