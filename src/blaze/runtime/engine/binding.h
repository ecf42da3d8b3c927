// Bindings: how a worker's `env.X` reaches a host service (D1, KV, R2, services, analytics).
//
// The JS side (runtime/webapi/js/<kind>.js) builds the Cloudflare-shaped object for a binding
// and calls `host.bindingCall(handle, op, argsJson, buffers)`; the Engine runs the binding's
// BindingService::Call *between* slices (the work is not charged to the worker's CPU budget)
// and settles the returned promise in a new slice. Wire format, both directions: a JSON
// document plus binary buffers it refers to as {"$buffer": i} (see js/bindings.js).
//
// Threads: one BindingService instance is shared by every core that runs the worker, so Call
// must be thread-safe; it is always called on a core thread and `done` must be invoked exactly
// once, on that same thread (inline is fine; the Engine defers settling itself).
// Errors: a failed Result rejects the promise with an Error whose message is the error's message
// and whose `code` is the ErrorCode name ("InvalidArgument", ...); the JS class of the binding
// turns that into the exception Cloudflare throws.
#pragma once

#include <boost/asio/io_context.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "blaze/base/result.h"

namespace blaze::engine {

class Engine;

struct BindingCall {
  std::string op;                    // meaning per binding kind: "get", "put", "query", ...
  std::string args = "{}";           // a JSON document
  std::vector<std::string> buffers;  // binary payloads `args` refers to as {"$buffer": i}
};

struct BindingReply {
  std::string json = "null";         // a JSON document
  std::vector<std::string> buffers;  // binary payloads `json` refers to as {"$buffer": i}
};

// Where the call comes from: the core it runs on, for services that need the Engine itself.
struct BindingContext {
  boost::asio::io_context& io;
  Engine* engine;  // the calling core's Engine (null in unit tests of a service)
  std::string trace_id;  // of the request making the call
};

using BindingDone = std::function<void(Result<BindingReply>)>;

class BindingService {
 public:
  virtual ~BindingService() = default;
  virtual void Call(BindingCall call, const BindingContext& context, BindingDone done) = 0;
};

// A binding on `env`: `kind` picks the JS class the prelude builds ("d1", "kv", "r2",
// "service", "analytics"); `service` does the work. A binding with an empty `name` is a
// platform service the prelude uses itself (kind "cache": the Cache API behind `caches`): its
// factory runs, nothing appears on `env`.
struct WorkerBinding {
  std::string name;
  std::string kind;
  std::shared_ptr<BindingService> service;

  bool operator==(const WorkerBinding&) const = default;
};

}  // namespace blaze::engine
