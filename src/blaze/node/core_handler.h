// CoreHandler: what one core does with a request — answer /_blaze/health, find the worker
// (route, `<worker>.localhost`, or the dev fallback) and, for a gradual deployment, the version
// (routing.h: an override header or the core's RNG), run it on this core's Engine and turn the
// Invocation into an HTTP response: the worker's response, 500 for an uncaught exception,
// 503 for exceeded CPU or memory, 503 (JSON naming the reason) for a version that could not be
// built, 404 (JSON naming the host) for an unknown worker. The snapshot is read once per request,
// so a request is served wholly by one version. No header is added to a worker's response; the
// version a request ran on is in its version's counters and its tail line.
//
// Ownership: one per core, built on the core thread by the server's HandlerFactory, owning
// that core's Engine. The routing snapshot is immutable and replaced with Swap() (posted to the
// core); requests in flight finish on the version they started with, and the realm of a version
// no longer routed is dropped from the engine as soon as this core has no request on it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "blaze/http/handler.h"
#include "blaze/http/router.h"
#include "blaze/node/routing.h"
#include "blaze/runtime/engine/engine.h"

namespace blaze::node {

// Told about every finished request (on the core thread). `blaze dev` prints them.
class RequestObserver {
 public:
  virtual ~RequestObserver() = default;
  // When the response is ready (its logs, CPU and wall time so far).
  virtual void OnRequest(const http::HttpRequest& request, const WorkerVersion& worker, int status,
                         const engine::Invocation& invocation) = 0;
  // When the request's ctx.waitUntil() work (and a streamed body) ended, with what was logged
  // after the response; only called when that phase logged something.
  virtual void OnAfterResponse(const http::HttpRequest& /*request*/, const WorkerVersion& /*worker*/,
                               const engine::Invocation& /*after*/) {}
};

enum class ErrorDetail : bool { kHidden, kShown };  // exception text in 500 bodies (dev only)

class CoreHandler final : public http::Handler {
 public:
  // `seed`: the core's RNG for traffic splits (give each core its own).
  CoreHandler(std::unique_ptr<engine::Engine> engine, std::shared_ptr<const RoutingSnapshot> routes,
              RequestObserver* observer, ErrorDetail detail, std::uint64_t seed = 1);
  ~CoreHandler() override;

  void Handle(http::HttpRequest request, http::Respond respond) override;
  // Core thread only. Versions no longer routed are dropped from the engine once idle.
  void Swap(std::shared_ptr<const RoutingSnapshot> routes);
  // Core thread only: runs `request` on `version` (routed or not) outside the counters, the
  // tail and the observer, and reports the HTTP status it would have answered. A version that
  // is not routed is dropped from the engine once the run ends.
  void Probe(std::shared_ptr<const WorkerVersion> version, engine::WorkerRequest request,
             std::function<void(int status)> done);

  engine::Engine& engine() { return *engine_; }

 private:
  // The version for `request`, or null having answered it (unknown host, unavailable version).
  std::shared_ptr<const WorkerVersion> Find(const http::HttpRequest& request,
                                            const http::Respond& respond);
  http::HttpResponse ToHttp(const engine::Invocation& inv) const;
  struct TailState;
  void Account(const http::HttpRequest& meta, const WorkerVersion& worker, int status,
               const engine::Invocation& inv, TailState* tail);
  void Finish(const http::HttpRequest& meta, const WorkerVersion& worker, TailState& tail,
              engine::Invocation after);
  void Retire(const std::shared_ptr<const WorkerVersion>& version);
  void Release(const engine::WorkerBundle* bundle);
  void DropRetired();

  std::unique_ptr<engine::Engine> engine_;
  std::shared_ptr<const RoutingSnapshot> routes_;
  // Requests (response and waitUntil phases) this core runs, by bundle: a retired version's
  // realm is dropped when its count reaches zero.
  std::unordered_map<const engine::WorkerBundle*, int> running_;
  std::vector<std::shared_ptr<const WorkerVersion>> retired_;
  RequestObserver* observer_;
  ErrorDetail detail_;
  SplitRng rng_;
};

}  // namespace blaze::node
