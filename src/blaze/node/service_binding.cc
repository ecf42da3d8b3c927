#include "blaze/node/service_binding.h"

#include <nlohmann/json.hpp>

#include "blaze/node/exception_json.h"
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

class ServiceBinding final : public engine::BindingService {
 public:
  ServiceBinding(std::shared_ptr<const WorkerDirectory> directory, std::string service)
      : directory_(std::move(directory)), service_(std::move(service)) {}

  void Call(engine::BindingCall call, const engine::BindingContext& context,
            engine::BindingDone done) override {
    if (call.op != "fetch") return done(Fail(InvalidArgument("service: unknown operation")));
    std::shared_ptr<const WorkerVersion> target = directory_->Find(service_);
    if (!target) {
      return done(Fail(NotFound("Couldn't find a worker named '" + service_ +
                                "' to call through a service binding")));
    }
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
    std::string url = request.url;
    context.engine->Invoke(
        target->bundle, target->config, std::move(request),
        [target, url, done = std::move(done)](engine::Invocation inv) {
          const engine::HeaderList kJson = {{"content-type", "application/json"}};
          switch (inv.outcome) {
            case engine::Outcome::kOk:
              return done(ResponseReply(inv.response.status, inv.response.status_text,
                                        inv.response.headers, std::move(inv.response.body), url));
            case engine::Outcome::kException:
              return done(ResponseReply(500, "Internal Server Error", kJson,
                                        ExceptionJson(inv.exception).dump(), url));
            default: {
              json body = {{"name", "Error"},
                           {"message", "the worker '" + target->name + "' was stopped: " +
                                           std::string(engine::OutcomeName(inv.outcome))}};
              return done(ResponseReply(503, "Service Unavailable", kJson, body.dump(), url));
            }
          }
        });
  }

 private:
  std::shared_ptr<const WorkerDirectory> directory_;
  std::string service_;
};

}  // namespace

std::shared_ptr<const WorkerVersion> WorkerDirectory::Find(const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = workers_.find(name);
  return it == workers_.end() ? nullptr : it->second;
}

void WorkerDirectory::Publish(std::map<std::string, std::shared_ptr<const WorkerVersion>> workers) {
  std::lock_guard lock(mu_);
  workers_ = std::move(workers);
}

std::shared_ptr<engine::BindingService> NewServiceBinding(
    std::shared_ptr<const WorkerDirectory> directory, std::string service) {
  return std::make_shared<ServiceBinding>(std::move(directory), std::move(service));
}

}  // namespace blaze::node
