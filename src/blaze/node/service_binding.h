// Service bindings (`[[services]] binding service`): `env.AUTH.fetch(request)` runs the worker
// named `service` in-process, on the calling core's Engine — no socket, no HTTP parsing. The
// target is looked up in a WorkerDirectory at call time, so a deploy or a reload of the target
// is seen by the next call. As for a request from outside, the target's deployment decides the
// version (a gradual split is honoured; a `Cloudflare-Workers-Version-Overrides` header on the
// subrequest pins one of its versions), and the call counts in that version's requests and
// errors and reaches `blaze tail` of the target. The JS side is runtime/webapi/js/service.js.
//
// Op `fetch` {method, url, headers, body?: {$buffer}} → {status, statusText, headers, body}.
// An uncaught exception in the target rejects the caller's fetch() with an Error carrying the
// target's message; exceeded CPU/memory reject likewise. An unknown service is NotFound.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "blaze/node/core_handler.h"
#include "blaze/runtime/engine/binding.h"

namespace blaze::node {

// The workers a service binding can reach, by name, each with its deployment's versions.
// Thread-safe.
class WorkerDirectory {
 public:
  // The share of `name`'s deployment a call takes (PickShare: `overrides` is the subrequest's
  // Cloudflare-Workers-Version-Overrides, `random` the draw); nullopt for an unknown worker.
  std::optional<VersionShare> Find(const std::string& name, std::string_view overrides,
                                   std::uint64_t random) const;
  void Publish(std::map<std::string, WorkerRoute> workers);
  // `blaze dev`: one version per worker.
  void Publish(const std::map<std::string, std::shared_ptr<const WorkerVersion>>& workers);

 private:
  mutable std::mutex mu_;
  std::map<std::string, WorkerRoute> workers_;
};

std::shared_ptr<engine::BindingService> NewServiceBinding(
    std::shared_ptr<const WorkerDirectory> directory, std::string service);

}  // namespace blaze::node
