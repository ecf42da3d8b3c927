#include "blaze/node/core_handler.h"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "blaze/base/log.h"
#include "blaze/http/error_body.h"
#include "blaze/node/tail.h"

namespace blaze::node {
namespace {

http::HttpResponse JsonResponse(int status, const nlohmann::json& body) {
  http::HttpResponse r;
  r.status = status;
  r.headers.push_back({"content-type", "application/json"});
  r.body = http::Body(body.dump());
  return r;
}

engine::WorkerRequest ToWorkerRequest(http::HttpRequest& req) {
  engine::WorkerRequest w;
  w.method = req.method;
  std::string host = req.host.empty() ? "localhost" : req.host;
  w.url = "http://" + host + req.target;
  w.headers.reserve(req.headers.size());
  for (auto& h : req.headers) w.headers.emplace_back(std::move(h.name), std::move(h.value));
  if (req.body.is_buffered()) {
    w.body = std::move(req.body).TakeBuffered();
  } else {
    w.body_stream = std::move(req.body).TakeStream();  // read by the worker as it arrives
  }
  w.trace_id = req.trace_id.ToString();
  return w;
}

// A stream body is sent with the content-length the worker set (checked as it is sent: a body
// of another length aborts the connection), else the source's own (a passed-through upload or
// fetch body), else chunked.
std::optional<std::uint64_t> StreamLength(const engine::WorkerResponse& response) {
  for (const auto& [name, value] : response.headers) {
    if (!http::EqualsIgnoreCase(name, "content-length")) continue;
    std::uint64_t n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec == std::errc() && end == value.data() + value.size() && !value.empty()) return n;
  }
  return response.body_stream->length();
}

// Every bundle `routes` can send a request to.
std::unordered_set<const engine::WorkerBundle*> RoutedBundles(const RoutingSnapshot& routes) {
  std::unordered_set<const engine::WorkerBundle*> out;
  if (routes.fallback) out.insert(routes.fallback->bundle.get());
  for (const auto& [name, route] : routes.workers) {
    for (const VersionShare& share : route.shares) {
      if (share.version) out.insert(share.version->bundle.get());
    }
  }
  return out;
}

}  // namespace

CoreHandler::CoreHandler(std::unique_ptr<engine::Engine> engine,
                         std::shared_ptr<const RoutingSnapshot> routes, RequestObserver* observer,
                         ErrorDetail detail, std::uint64_t seed)
    : engine_(std::move(engine)),
      routes_(std::move(routes)),
      observer_(observer),
      detail_(detail),
      rng_(seed) {}

CoreHandler::~CoreHandler() = default;

std::shared_ptr<const WorkerVersion> CoreHandler::Find(const http::HttpRequest& request,
                                                       const http::Respond& respond) {
  if (routes_->router) {
    if (auto name = routes_->router->Match(request.host, request.target)) {
      if (auto it = routes_->workers.find(*name); it != routes_->workers.end()) {
        const WorkerRoute& route = it->second;
        std::string_view overrides;
        std::uint64_t random = 0;
        if (route.shares.size() > 1) {  // only a split has anything to pick
          if (auto h = request.header(kVersionOverridesHeader)) overrides = *h;
          random = rng_.Next();
        }
        const VersionShare& share = PickShare(route, *name, overrides, random);
        if (share.version) return share.version;
        if (share.counters) share.counters->Record(503);
        respond(JsonResponse(
            503, {{"error", "the worker '" + *name + "' cannot be served: " + share.unavailable},
                  {"worker", *name},
                  {"version_id", share.version_id}}));
        return nullptr;
      }
    }
  }
  if (!routes_->fallback) respond(http::UnknownHostResponse(request.host));
  return routes_->fallback;
}

void CoreHandler::Handle(http::HttpRequest request, http::Respond respond) {
  if (request.target == "/_blaze/health" && request.method == "GET") {
    respond(JsonResponse(
        200,
        {{"status", "ok"}, {"workers", routes_->workers.size() + (routes_->fallback ? 1 : 0)}}));
    return;
  }
  std::shared_ptr<const WorkerVersion> worker = Find(request, respond);
  if (!worker) return;
  // The request's metadata outlives the move of its body into the worker, for the observer.
  auto meta = std::make_shared<http::HttpRequest>();
  meta->method = request.method;
  meta->target = request.target;
  meta->host = request.host;
  meta->trace_id = request.trace_id;
  ++running_[worker->bundle.get()];
  // The tail event is the whole invocation, as Cloudflare's: it is sent when the request's
  // waitUntil() work has ended too, with what that work logged. Kept only when someone may
  // want it (a tail subscriber now, or an observer), so an untailed request allocates nothing.
  std::shared_ptr<TailState> tail;
  if (observer_ || (worker->tail && worker->tail->subscribed())) {
    tail = std::make_shared<TailState>();
  }
  engine_->Invoke(
      worker->bundle, worker->config, ToWorkerRequest(request),
      [this, worker, meta, tail, respond = std::move(respond)](engine::Invocation inv) {
        http::HttpResponse response = ToHttp(inv);
        Account(*meta, *worker, response.status, inv, tail.get());
        respond(std::move(response));
      },
      [this, worker, meta, tail](engine::Invocation after) {
        if (tail) Finish(*meta, *worker, *tail, std::move(after));
        Release(worker->bundle.get());
      });
}

// The response phase's record, minus its body, until the invocation ends.
struct CoreHandler::TailState {
  int status = 0;
  engine::Invocation response;
};

void CoreHandler::Account(const http::HttpRequest& meta, const WorkerVersion& worker, int status,
                          const engine::Invocation& inv, TailState* tail) {
  if (observer_) observer_->OnRequest(meta, worker, status, inv);
  if (worker.counters) worker.counters->Record(status);
  if (tail) {
    tail->status = status;
    tail->response.outcome = inv.outcome;
    tail->response.logs = inv.logs;
    tail->response.exception = inv.exception;
    tail->response.cpu_time = inv.cpu_time;
    tail->response.wall_time = inv.wall_time;
  }
}

void CoreHandler::Finish(const http::HttpRequest& meta, const WorkerVersion& worker,
                         TailState& tail, engine::Invocation after) {
  if (observer_ && !after.logs.empty()) observer_->OnAfterResponse(meta, worker, after);
  if (!worker.tail || !worker.tail->subscribed()) return;
  // One record for the whole invocation: every log in order, the first failure's outcome, the
  // CPU and wall time to the end (the engine reports those from the request's start).
  engine::Invocation whole = std::move(tail.response);
  whole.logs.insert(whole.logs.end(), std::make_move_iterator(after.logs.begin()),
                    std::make_move_iterator(after.logs.end()));
  if (whole.outcome == engine::Outcome::kOk && after.outcome != engine::Outcome::kOk) {
    whole.outcome = after.outcome;
    whole.exception = std::move(after.exception);
  }
  whole.cpu_time = std::max(whole.cpu_time, after.cpu_time);
  whole.wall_time = std::max(whole.wall_time, after.wall_time);
  std::string url =
      "http://" + (meta.host.empty() ? std::string("localhost") : meta.host) + meta.target;
  worker.tail->Publish(TailLine({.finished_at = std::chrono::system_clock::now(),
                                 .worker = worker.name,
                                 .version_id = worker.version_id,
                                 .method = meta.method,
                                 .url = url,
                                 .status = tail.status,
                                 .invocation = &whole}));
}

void CoreHandler::Probe(std::shared_ptr<const WorkerVersion> version, engine::WorkerRequest request,
                        std::function<void(int status)> done) {
  ++running_[version->bundle.get()];
  if (!RoutedBundles(*routes_).contains(version->bundle.get())) Retire(version);
  engine_->Invoke(
      version->bundle, version->config, std::move(request),
      [this, done = std::move(done)](engine::Invocation inv) { done(ToHttp(inv).status); },
      [this, version](engine::Invocation) { Release(version->bundle.get()); });
}

http::HttpResponse CoreHandler::ToHttp(const engine::Invocation& inv) const {
  switch (inv.outcome) {
    case engine::Outcome::kOk: {
      http::HttpResponse r;
      r.status = inv.response.status;
      r.reason = inv.response.status_text;
      for (const auto& [name, value] : inv.response.headers) r.headers.push_back({name, value});
      if (inv.response.body_stream) {
        r.body = http::Body::Stream(inv.response.body_stream, StreamLength(inv.response));
      } else {
        r.body = http::Body(inv.response.body);
      }
      return r;
    }
    case engine::Outcome::kException: {
      nlohmann::json body = {{"error", "the worker threw an exception"}, {"outcome", "exception"}};
      if (detail_ == ErrorDetail::kShown) body["exception"] = inv.exception;
      return JsonResponse(500, body);
    }
    case engine::Outcome::kExceededCpu:
      return JsonResponse(
          503, {{"error", "the worker exceeded its CPU time limit"}, {"outcome", "exceededCpu"}});
    case engine::Outcome::kExceededMemory:
      return JsonResponse(
          503, {{"error", "the worker exceeded its memory limit"}, {"outcome", "exceededMemory"}});
    case engine::Outcome::kCanceled:
      break;
  }
  return JsonResponse(503, {{"error", "the request was canceled"}, {"outcome", "canceled"}});
}

void CoreHandler::Swap(std::shared_ptr<const RoutingSnapshot> routes) {
  std::shared_ptr<const RoutingSnapshot> old = std::move(routes_);
  routes_ = std::move(routes);
  std::unordered_set<const engine::WorkerBundle*> routed = RoutedBundles(*routes_);
  // A retired version routed again (a probed version, then deployed) keeps its realm.
  std::erase_if(retired_, [&](const auto& v) { return routed.contains(v->bundle.get()); });
  auto retire = [&](const std::shared_ptr<const WorkerVersion>& v) {
    if (v && !routed.contains(v->bundle.get())) Retire(v);
  };
  retire(old->fallback);
  for (const auto& [name, route] : old->workers) {
    for (const VersionShare& share : route.shares) retire(share.version);
  }
  DropRetired();
  // New versions start here, before they get traffic: their first request does not wait for
  // the prelude and the modules (~7 ms), and the swap is confirmed once every core has them.
  auto warm = [&](const std::shared_ptr<const WorkerVersion>& v) {
    if (!v) return;
    if (Status s = engine_->Warm(v->bundle); !s.has_value()) {
      log::Warn("serve.version.warm_failed",
                {{"worker", v->name}, {"version_id", v->version_id}, {"error", s.error().message()}});
    }
  };
  warm(routes_->fallback);
  for (const auto& [name, route] : routes_->workers) {
    for (const VersionShare& share : route.shares) warm(share.version);
  }
}

void CoreHandler::Retire(const std::shared_ptr<const WorkerVersion>& version) {
  for (const auto& v : retired_) {
    if (v->bundle == version->bundle) return;
  }
  retired_.push_back(version);
}

void CoreHandler::Release(const engine::WorkerBundle* bundle) {
  auto it = running_.find(bundle);
  if (it == running_.end() || --it->second > 0) return;
  running_.erase(it);
  if (!retired_.empty()) DropRetired();
}

// A retired version's realm goes once no request of this core runs on it. (A service-binding
// call into a retired version is not counted; the engine sweeps such a realm once the version
// is released everywhere.)
void CoreHandler::DropRetired() {
  std::erase_if(retired_, [&](const std::shared_ptr<const WorkerVersion>& v) {
    if (running_.contains(v->bundle.get())) return false;
    engine_->Drop(*v->bundle);
    return true;
  });
}

}  // namespace blaze::node
