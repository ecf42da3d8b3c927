#include "blaze/node/core_handler.h"

#include <nlohmann/json.hpp>

#include <charconv>

#include "blaze/http/error_body.h"

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

}  // namespace

CoreHandler::CoreHandler(std::unique_ptr<engine::Engine> engine,
                         std::shared_ptr<const RoutingSnapshot> routes, RequestObserver* observer,
                         ErrorDetail detail)
    : engine_(std::move(engine)), routes_(std::move(routes)), observer_(observer), detail_(detail) {}

CoreHandler::~CoreHandler() = default;

std::shared_ptr<const WorkerVersion> CoreHandler::Find(const http::HttpRequest& request) const {
  if (routes_->router) {
    if (auto name = routes_->router->Match(request.host, request.target)) {
      if (auto it = routes_->workers.find(*name); it != routes_->workers.end()) return it->second;
    }
  }
  return routes_->fallback;
}

void CoreHandler::Handle(http::HttpRequest request, http::Respond respond) {
  if (request.target == "/_blaze/health" && request.method == "GET") {
    respond(JsonResponse(200, {{"status", "ok"}, {"workers", routes_->workers.size() + (routes_->fallback ? 1 : 0)}}));
    return;
  }
  std::shared_ptr<const WorkerVersion> worker = Find(request);
  if (!worker) {
    respond(http::UnknownHostResponse(request.host));
    return;
  }
  // The request's metadata outlives the move of its body into the worker, for the observer.
  auto meta = std::make_shared<http::HttpRequest>();
  meta->method = request.method;
  meta->target = request.target;
  meta->host = request.host;
  meta->trace_id = request.trace_id;
  engine_->Invoke(worker->bundle, worker->config, ToWorkerRequest(request),
                  [this, worker, meta, respond = std::move(respond)](engine::Invocation inv) {
                    http::HttpResponse response = ToHttp(inv);
                    if (observer_) observer_->OnRequest(*meta, *worker, response.status, inv);
                    respond(std::move(response));
                    DropRetired();
                  });
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
      return JsonResponse(503, {{"error", "the worker exceeded its CPU time limit"},
                                {"outcome", "exceededCpu"}});
    case engine::Outcome::kExceededMemory:
      return JsonResponse(503, {{"error", "the worker exceeded its memory limit"},
                                {"outcome", "exceededMemory"}});
    case engine::Outcome::kCanceled:
      break;
  }
  return JsonResponse(503, {{"error", "the request was canceled"}, {"outcome", "canceled"}});
}

void CoreHandler::Swap(std::shared_ptr<const RoutingSnapshot> routes) {
  auto still_routed = [&](const WorkerVersion* v) {
    if (routes->fallback.get() == v) return true;
    for (const auto& [name, w] : routes->workers) {
      if (w.get() == v) return true;
    }
    return false;
  };
  if (routes_->fallback && !still_routed(routes_->fallback.get())) retired_.push_back(routes_->fallback);
  for (const auto& [name, w] : routes_->workers) {
    if (!still_routed(w.get())) retired_.push_back(w);
  }
  routes_ = std::move(routes);
  DropRetired();
}

void CoreHandler::DropRetired() {
  if (retired_.empty() || engine_->in_flight() > 0) return;
  for (const auto& v : retired_) engine_->Drop(*v->bundle);
  retired_.clear();
}

}  // namespace blaze::node
