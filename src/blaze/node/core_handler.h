// CoreHandler: what one core does with a request — answer /_blaze/health, find the worker
// (route, `<worker>.localhost`, or the dev fallback), run it on this core's Engine and turn the
// Invocation into an HTTP response: the worker's response, 500 for an uncaught exception,
// 503 for exceeded CPU or memory, 404 (JSON naming the host) for an unknown worker.
//
// Ownership: one per core, built on the core thread by the server's HandlerFactory, owning
// that core's Engine. The routing snapshot is immutable and replaced with Swap() (posted to the
// core); requests in flight finish on the version they started with.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "blaze/http/handler.h"
#include "blaze/http/router.h"
#include "blaze/runtime/engine/engine.h"

namespace blaze::node {

struct WorkerVersion {
  std::string name;
  std::shared_ptr<const engine::WorkerBundle> bundle;
  engine::WorkerConfig config;
};

struct RoutingSnapshot {
  std::shared_ptr<const http::Router> router;  // may be null (dev: everything to `fallback`)
  std::map<std::string, std::shared_ptr<const WorkerVersion>> workers;
  std::shared_ptr<const WorkerVersion> fallback;  // `blaze dev`: the one project
};

// Told about every finished request (on the core thread). `blaze dev` prints them.
class RequestObserver {
 public:
  virtual ~RequestObserver() = default;
  virtual void OnRequest(const http::HttpRequest& request, const WorkerVersion& worker, int status,
                         const engine::Invocation& invocation) = 0;
};

enum class ErrorDetail : bool { kHidden, kShown };  // exception text in 500 bodies (dev only)

class CoreHandler final : public http::Handler {
 public:
  CoreHandler(std::unique_ptr<engine::Engine> engine, std::shared_ptr<const RoutingSnapshot> routes,
              RequestObserver* observer, ErrorDetail detail);
  ~CoreHandler() override;

  void Handle(http::HttpRequest request, http::Respond respond) override;
  // Core thread only. Versions no longer routed are dropped from the engine once idle.
  void Swap(std::shared_ptr<const RoutingSnapshot> routes);

  engine::Engine& engine() { return *engine_; }

 private:
  std::shared_ptr<const WorkerVersion> Find(const http::HttpRequest& request) const;
  http::HttpResponse ToHttp(const engine::Invocation& inv) const;
  void DropRetired();

  std::unique_ptr<engine::Engine> engine_;
  std::shared_ptr<const RoutingSnapshot> routes_;
  std::vector<std::shared_ptr<const WorkerVersion>> retired_;
  RequestObserver* observer_;
  ErrorDetail detail_;
};

}  // namespace blaze::node
