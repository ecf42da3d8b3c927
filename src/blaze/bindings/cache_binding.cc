#include "blaze/bindings/cache_binding.h"

#include <nlohmann/json.hpp>

#include "blaze/bindings/sync_binding.h"

namespace blaze::bindings {
namespace {

using nlohmann::json;

Result<cache::HeaderList> ReadHeaders(const json& value) {
  cache::HeaderList out;
  if (value.is_null()) return out;
  if (!value.is_array()) return Fail(InvalidArgument("cache: headers must be an array of pairs"));
  for (const json& pair : value) {
    if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string()) {
      return Fail(InvalidArgument("cache: headers must be an array of pairs"));
    }
    out.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
  }
  return out;
}

json HeadersJson(const cache::HeaderList& headers) {
  json out = json::array();
  for (const auto& [k, v] : headers) out.push_back({k, v});
  return out;
}

Result<std::string> Buffer(const json& ref, std::vector<std::string>& buffers) {
  if (ref.is_null()) return std::string();
  if (!ref.is_object() || !ref.contains("$buffer") || !ref["$buffer"].is_number_unsigned() ||
      ref["$buffer"].get<std::size_t>() >= buffers.size()) {
    return Fail(InvalidArgument("cache: body must be a buffer"));
  }
  return std::move(buffers[ref["$buffer"].get<std::size_t>()]);
}

class CacheBinding final : public SyncBinding {
 public:
  explicit CacheBinding(std::shared_ptr<cache::CacheService> cache) : cache_(std::move(cache)) {}

 private:
  Result<engine::BindingReply> Run(engine::BindingCall& call) override {
    BLAZE_TRY(json args, ParseArgs(call, "cache"));
    engine::BindingReply reply;
    if (call.op == "open") {
      BLAZE_TRY_VOID(cache::ValidateCacheName(String(args, "name")));
    } else if (call.op == "match") {
      BLAZE_TRY(auto headers, ReadHeaders(args.value("headers", json())));
      BLAZE_TRY(auto hit, cache_->Lookup(String(args, "cache"), String(args, "url"), headers));
      if (hit) {
        reply.json = json{{"status", hit->status},
                          {"headers", HeadersJson(hit->headers)},
                          {"body", {{"$buffer", 0}}}}
                         .dump(-1, ' ', false, json::error_handler_t::replace);
        reply.buffers.push_back(std::move(hit->body));
      }
    } else if (call.op == "put") {
      BLAZE_TRY(bool stored, Put(args, call.buffers));
      reply.json = json{{"stored", stored}}.dump();
    } else if (call.op == "delete") {
      BLAZE_TRY(bool deleted, cache_->Delete(String(args, "cache"), String(args, "url")));
      reply.json = deleted ? "true" : "false";
    } else {
      return Fail(InvalidArgument("cache: unknown operation '" + call.op + "'"));
    }
    return reply;
  }

  Result<bool> Put(const json& args, std::vector<std::string>& buffers) {
    std::string method = String(args, "method");
    if (!method.empty() && method != "GET") {
      return Fail(InvalidArgument("Cannot cache response to non-GET request."));
    }
    const json& status = args.contains("status") ? args["status"] : json();
    if (!status.is_number_integer()) return Fail(InvalidArgument("cache: status must be a number"));
    BLAZE_TRY(auto headers, ReadHeaders(args.value("headers", json())));
    BLAZE_TRY(std::string body, Buffer(args.value("body", json()), buffers));
    auto auth = args.find("authorization");
    bool authorization = auth != args.end() && auth->is_boolean() && auth->get<bool>();
    return cache_->Store(String(args, "cache"), String(args, "url"), status.get<int>(), headers,
                         std::move(body), authorization);
  }

  static std::string String(const json& args, const char* key) {
    auto it = args.find(key);
    return it != args.end() && it->is_string() ? it->get<std::string>() : std::string();
  }

  std::shared_ptr<cache::CacheService> cache_;
};

}  // namespace

std::shared_ptr<engine::BindingService> NewCacheBinding(
    std::shared_ptr<cache::CacheService> cache) {
  return std::make_shared<CacheBinding>(std::move(cache));
}

}  // namespace blaze::bindings
