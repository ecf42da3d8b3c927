// InvocationBodies: the streamed bodies one invocation owns (engine-internal, a member of
// Engine::InvocationState; the Engine's side is in response_stream.cc).
//
//   - host sources: ByteSources JS reads by handle through __blazeHost.readBody(handle): the
//     request body when it streams in, and the bodies of fetch() responses. Handles are unique
//     in the Engine, so a handle from another request is refused, not confused with ours.
//   - the response stream: the worker's JS reader ({next(), cancel()}) and the BytePipe the
//     Engine handed out as WorkerResponse::body_stream; every Read of that pipe becomes one
//     next() call in a slice.
//
// When the invocation ends, everything here goes with it: unread host sources are cancelled
// (a fetch's connection closes, the request's remaining upload is abandoned), and an unfinished
// response pipe fails, so the HTTP side aborts the connection instead of sending a short body.
// Core thread only. The reader is a GC root (an extra-roots tracer) while the stream is open.
#pragma once

#include <jsapi.h>

#include <map>
#include <memory>

#include "blaze/base/byte_stream.h"

namespace blaze::engine {

class InvocationBodies {
 public:
  struct HostSource {
    std::shared_ptr<ByteSource> source;
    bool reading = false;  // a Read is outstanding (JS must wait for it)
  };

  InvocationBodies() = default;
  ~InvocationBodies();
  InvocationBodies(const InvocationBodies&) = delete;
  InvocationBodies& operator=(const InvocationBodies&) = delete;

  void AddSource(int handle, std::shared_ptr<ByteSource> source);
  HostSource* FindSource(int handle);
  // Removes the source without cancelling it (it now belongs to the caller).
  std::shared_ptr<ByteSource> TakeSource(int handle);
  // Cancels and removes it. Unknown handles are ignored.
  void CancelSource(int handle);

  // The response body streams from `reader` into `pipe` from now on.
  void StartResponse(JSContext* cx, JS::HandleObject reader, std::shared_ptr<BytePipe> pipe);
  // Open: started, and neither finished, failed nor cancelled.
  bool response_open() const { return reader_ != nullptr; }
  JSObject* reader() const { return reader_; }
  std::shared_ptr<BytePipe> pipe() const { return pipe_.lock(); }
  bool next_pending() const { return next_pending_; }
  void set_next_pending(bool pending) { next_pending_ = pending; }
  // Ends the response stream: the pipe gets `error` (nullopt: it finished or is cancelled).
  void EndResponse(std::optional<Error> error);

 private:
  static void Trace(JSTracer* trc, void* data);

  std::map<int, HostSource> sources_;
  JSContext* cx_ = nullptr;  // set while the reader is rooted
  JS::Heap<JSObject*> reader_;
  std::weak_ptr<BytePipe> pipe_;  // the consumer owns it; dropping it cancels the stream
  bool next_pending_ = false;
};

}  // namespace blaze::engine
