// Service bindings (`[[services]] binding service`): `env.AUTH.fetch(request)` runs the worker
// named `service` in-process, on the calling core's Engine — no socket, no HTTP parsing. The
// target is looked up in a WorkerDirectory at call time, so a deploy or a reload of the target
// is seen by the next call. The JS side is runtime/webapi/js/service.js.
//
// Op `fetch` {method, url, headers, body?: {$buffer}} → {status, statusText, headers, body}.
// An uncaught exception in the target rejects the caller's fetch() with an Error carrying the
// target's message; exceeded CPU/memory reject likewise. An unknown service is NotFound.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "blaze/node/core_handler.h"
#include "blaze/runtime/engine/binding.h"

namespace blaze::node {

// The workers a service binding can reach, by name. Thread-safe.
class WorkerDirectory {
 public:
  std::shared_ptr<const WorkerVersion> Find(const std::string& name) const;
  void Publish(std::map<std::string, std::shared_ptr<const WorkerVersion>> workers);

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<const WorkerVersion>> workers_;
};

std::shared_ptr<engine::BindingService> NewServiceBinding(
    std::shared_ptr<const WorkerDirectory> directory, std::string service);

}  // namespace blaze::node
