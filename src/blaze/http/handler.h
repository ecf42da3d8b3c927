// Handler: what the server hands each parsed request to. The server knows nothing about workers
// or JavaScript; the node layer implements Handler (routing, runtime dispatch, health checks).
//
// Threading: every core has its own Handler instance, built on that core's thread by the
// HandlerFactory and only ever called on that thread. A request never leaves its core.
#pragma once

#include <functional>
#include <memory>

#include "blaze/base/result.h"
#include "blaze/http/message.h"

namespace boost::asio {
class io_context;
}

namespace blaze::http {

// Completes a request. Call it exactly once, on the core's thread, now or later (from a timer,
// a fetch completion...). Calling it twice is a bug and aborts. If every copy is destroyed
// without a call, the client gets a 500. Calling it after the connection is gone is harmless.
// A Respond must not outlive its core: keep it in state the Handler owns (destroyed on the core
// thread before the core's io_context) or in handlers queued on that io_context.
using Respond = std::function<void(HttpResponse)>;

class Handler {
 public:
  virtual ~Handler() = default;
  virtual void Handle(HttpRequest request, Respond respond) = 0;
};

// What per-core setup may touch: the core's index (0..N-1) and its event loop. Timers, sockets
// and other I/O objects a Handler owns must be bound to this io_context.
struct CoreContext {
  int index;
  boost::asio::io_context& io;
};

// Called once per core, on that core's thread, before the core accepts connections. An error
// aborts Server::Start. The returned Handler is destroyed on the same thread when the core stops.
using HandlerFactory = std::function<Result<std::unique_ptr<Handler>>(CoreContext&)>;

}  // namespace blaze::http
