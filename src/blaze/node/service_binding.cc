#include "blaze/node/service_binding.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <nlohmann/json.hpp>

#include "blaze/node/exception_json.h"
#include "blaze/node/tail.h"
#include "blaze/runtime/engine/engine.h"

namespace blaze::node {
namespace {

using nlohmann::json;

engine::BindingReply ResponseReply(int status, std::string status_text,
                                   const engine::HeaderList& headers, std::string body,
                                   const std::string& url) {
  engine::BindingReply reply;
  json pairs = json::array();
  for (const auto& [name, value] : headers) pairs.push_back({name, value});
  reply.json = json{{"status", status},
                    {"statusText", std::move(status_text)},
                    {"headers", std::move(pairs)},
                    {"url", url},
                    {"body", {{"$buffer", 0}}}}
                   .dump();
  reply.buffers.push_back(std::move(body));
  return reply;
}

// The subrequest's Cloudflare-Workers-Version-Overrides header, if any.
std::string_view OverridesOf(const engine::HeaderList& headers) {
  for (const auto& [name, value] : headers) {
    if (name.size() == kVersionOverridesHeader.size() &&
        std::equal(name.begin(), name.end(), kVersionOverridesHeader.begin(),
                   [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) ==
                                               std::tolower(static_cast<unsigned char>(b)); })) {
      return value;
    }
  }
  return {};
}

class ServiceBinding final : public engine::BindingService {
 public:
  ServiceBinding(std::shared_ptr<const WorkerDirectory> directory, std::string service)
      : directory_(std::move(directory)), service_(std::move(service)) {}

  void Call(engine::BindingCall call, const engine::BindingContext& context,
            engine::BindingDone done) override {
    if (call.op != "fetch") return done(Fail(InvalidArgument("service: unknown operation")));
    if (!context.engine) return done(Fail(Internal("service binding called without an engine")));
    json args = json::parse(call.args, nullptr, false);
    if (args.is_discarded() || !args.is_object()) {
      return done(Fail(InvalidArgument("service: malformed arguments")));
    }
    engine::WorkerRequest request;
    request.method = args.value("method", "GET");
    request.url = args.value("url", "");
    if (args.contains("headers") && args["headers"].is_array()) {
      for (const json& h : args["headers"]) {
        if (h.is_array() && h.size() == 2 && h[0].is_string() && h[1].is_string())
          request.headers.emplace_back(h[0].get<std::string>(), h[1].get<std::string>());
      }
    }
    if (args.contains("body") && args["body"].is_object() && !call.buffers.empty()) {
      request.body = std::move(call.buffers[0]);
    }
    request.trace_id = context.trace_id;
    const engine::HeaderList kJson = {{"content-type", "application/json"}};
    std::shared_ptr<const WorkerDirectory> directory = directory_.lock();
    if (!directory) return done(Fail(Unavailable("the server is stopping")));
    std::optional<VersionShare> share =
        directory->Find(service_, OverridesOf(request.headers), NextRandom());
    if (!share) {
      return done(Fail(NotFound("Couldn't find a worker named '" + service_ +
                                "' to call through a service binding")));
    }
    if (!share->version) {  // the deployment names a version that could not be built
      if (share->counters) share->counters->Record(503);
      json body = {{"name", "Error"},
                   {"message", "the worker '" + service_ + "' cannot be served: " +
                                   share->unavailable}};
      return done(ResponseReply(503, "Service Unavailable", kJson, body.dump(), request.url));
    }
    std::shared_ptr<const WorkerVersion> target = share->version;
    auto call_meta = std::make_shared<CallMeta>(CallMeta{request.method, request.url});
    context.engine->Invoke(
        target->bundle, target->config, std::move(request),
        [target, share = std::move(*share), call_meta, kJson,
         done = std::move(done)](engine::Invocation inv) {
          int status = 0;
          engine::BindingReply reply;
          switch (inv.outcome) {
            case engine::Outcome::kOk:
              status = inv.response.status;
              reply = ResponseReply(status, inv.response.status_text, inv.response.headers,
                                    std::move(inv.response.body), call_meta->url);
              break;
            case engine::Outcome::kException:
              status = 500;
              reply = ResponseReply(500, "Internal Server Error", kJson,
                                    ExceptionJson(inv.exception).dump(), call_meta->url);
              break;
            default: {
              status = 503;
              json body = {{"name", "Error"},
                           {"message", "the worker '" + target->name + "' was stopped: " +
                                           std::string(engine::OutcomeName(inv.outcome))}};
              reply = ResponseReply(503, "Service Unavailable", kJson, body.dump(),
                                    call_meta->url);
            }
          }
          if (share.counters) share.counters->Record(status);
          if (target->tail && target->tail->subscribed()) {
            target->tail->Publish(TailLine({.finished_at = std::chrono::system_clock::now(),
                                            .worker = target->name,
                                            .version_id = target->version_id,
                                            .method = call_meta->method,
                                            .url = call_meta->url,
                                            .status = status,
                                            .invocation = &inv}));
          }
          done(std::move(reply));
        });
  }

 private:
  struct CallMeta {
    std::string method;
    std::string url;
  };

  // The draw for a split: splitmix64 over a counter (any core may call; relaxed is enough).
  std::uint64_t NextRandom() {
    std::uint64_t z = draws_.fetch_add(0x9e3779b97f4a7c15ull, std::memory_order_relaxed);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }

  // Weak: the directory holds the versions, whose bindings hold this. A strong reference made
  // a cycle that kept every bundle (and its stencils) alive past the JS runtime's end, which
  // crashed the process as it exited.
  std::weak_ptr<const WorkerDirectory> directory_;
  std::string service_;
  std::atomic<std::uint64_t> draws_{0x5eed};
};

}  // namespace

std::optional<VersionShare> WorkerDirectory::Find(const std::string& name,
                                                  std::string_view overrides,
                                                  std::uint64_t random) const {
  std::lock_guard lock(mu_);
  auto it = workers_.find(name);
  if (it == workers_.end() || it->second.shares.empty()) return std::nullopt;
  return PickShare(it->second, name, overrides, random);
}

void WorkerDirectory::Publish(std::map<std::string, WorkerRoute> workers) {
  std::lock_guard lock(mu_);
  workers_ = std::move(workers);
}

void WorkerDirectory::Publish(
    const std::map<std::string, std::shared_ptr<const WorkerVersion>>& workers) {
  std::map<std::string, WorkerRoute> routes;
  for (const auto& [name, version] : workers) routes.emplace(name, SingleVersionRoute(version));
  Publish(std::move(routes));
}

std::shared_ptr<engine::BindingService> NewServiceBinding(
    std::shared_ptr<const WorkerDirectory> directory, std::string service) {
  return std::make_shared<ServiceBinding>(std::move(directory), std::move(service));
}

}  // namespace blaze::node
