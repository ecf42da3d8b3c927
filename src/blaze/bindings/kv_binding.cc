#include "blaze/bindings/kv_binding.h"

#include <limits>
#include <nlohmann/json.hpp>

#include "blaze/bindings/sync_binding.h"

namespace blaze::bindings {
namespace {

using nlohmann::json;

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

Result<std::string> KeyArg(const json& args, const char* name = "key") {
  auto it = args.find(name);
  if (it == args.end() || !it->is_string()) {
    return Fail(InvalidArgument(std::string("kv: `") + name + "` must be a string"));
  }
  return it->get<std::string>();
}

// An optional integer argument (kv.js has already applied JavaScript's number conversions).
Result<std::optional<std::int64_t>> IntArg(const json& args, const char* name) {
  auto it = args.find(name);
  if (it == args.end() || it->is_null()) return std::optional<std::int64_t>();
  if (!it->is_number()) {
    return Fail(InvalidArgument(std::string("kv: `") + name + "` must be a number"));
  }
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  if (it->is_number_float()) {  // past 2^63 JSON.stringify writes 1e+300: saturate
    double d = it->get<double>();
    if (d >= 9.2e18) return std::optional<std::int64_t>(kMax);
    if (d <= -9.2e18) return std::optional<std::int64_t>(-kMax);
    return std::optional<std::int64_t>(static_cast<std::int64_t>(d));
  }
  if (it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(kMax)) {
    return std::optional<std::int64_t>(kMax);
  }
  return std::optional<std::int64_t>(it->get<std::int64_t>());
}

Result<std::optional<std::string>> TextArg(const json& args, const char* name) {
  auto it = args.find(name);
  if (it == args.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string())
    return Fail(InvalidArgument(std::string("kv: `") + name + "` must be a string"));
  return std::optional<std::string>(it->get<std::string>());
}

json OrNull(const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); }
json OrNull(const std::optional<std::int64_t>& v) { return v ? json(*v) : json(nullptr); }

class KvBinding final : public SyncBinding {
 public:
  KvBinding(std::shared_ptr<kv::KvService> kv, std::string ns)
      : kv_(std::move(kv)), ns_(std::move(ns)) {}

 private:
  Result<engine::BindingReply> Run(engine::BindingCall& call) override {
    BLAZE_TRY(json args, ParseArgs(call, "kv"));
    if (call.op == "get") return Get(args);
    if (call.op == "getBulk") return GetBulk(args);
    if (call.op == "put") return Put(args, call.buffers);
    if (call.op == "delete") {
      BLAZE_TRY(std::string key, KeyArg(args));
      BLAZE_TRY_VOID(kv_->Delete(ns_, key));
      return engine::BindingReply{};
    }
    if (call.op == "list") return List(args);
    return Fail(InvalidArgument("kv: unknown operation '" + call.op + "'"));
  }

  Result<engine::BindingReply> Get(const json& args) {
    BLAZE_TRY(std::string key, KeyArg(args));
    BLAZE_TRY(auto cache_ttl, IntArg(args, "cacheTtl"));
    BLAZE_TRY(auto entry, kv_->Get(ns_, key, {cache_ttl}));
    engine::BindingReply reply;
    if (!entry) {
      reply.json = R"({"value":null,"metadata":null,"expiration":null})";
      return reply;
    }
    reply.json = Dump({{"value", {{"$buffer", 0}}},
                       {"metadata", OrNull(entry->metadata)},
                       {"expiration", OrNull(entry->expiration)}});
    reply.buffers.push_back(std::move(entry->value));
    return reply;
  }

  Result<engine::BindingReply> GetBulk(const json& args) {
    auto keys = args.find("keys");
    if (keys == args.end() || !keys->is_array()) {
      return Fail(InvalidArgument("kv: `keys` must be an array"));
    }
    if (keys->empty())
      return Fail(kv::OpError(kv::Op::kGetBulk, 400, "You must request a minimum of 1 key"));
    if (keys->size() > kv::kMaxBulkGetKeys) {
      return Fail(kv::OpError(kv::Op::kGetBulk, 400, "You can request a maximum of 100 keys"));
    }
    for (const json& k : *keys) {
      if (!k.is_string()) return Fail(InvalidArgument("kv: `keys` must hold strings"));
      if (k.get_ref<const std::string&>().empty()) {
        return Fail(kv::OpError(kv::Op::kGetBulk, 400, "Key names must not be empty"));
      }
    }
    BLAZE_TRY(auto cache_ttl, IntArg(args, "cacheTtl"));
    engine::BindingReply reply;
    json values = json::array();
    json metadata = json::array();
    for (const json& k : *keys) {
      BLAZE_TRY(auto entry, kv_->Get(ns_, k.get<std::string>(), {cache_ttl, kv::Op::kGetBulk}));
      if (!entry) {
        values.push_back(nullptr);
        metadata.push_back(nullptr);
        continue;
      }
      values.push_back({{"$buffer", reply.buffers.size()}});
      metadata.push_back(OrNull(entry->metadata));
      reply.buffers.push_back(std::move(entry->value));
    }
    reply.json = Dump({{"values", std::move(values)}, {"metadata", std::move(metadata)}});
    return reply;
  }

  Result<engine::BindingReply> Put(const json& args, const std::vector<std::string>& buffers) {
    BLAZE_TRY(std::string key, KeyArg(args));
    auto value = args.find("value");
    if (value == args.end() || !value->is_object() || !value->contains("$buffer") ||
        !(*value)["$buffer"].is_number_unsigned() ||
        (*value)["$buffer"].get<std::size_t>() >= buffers.size()) {
      return Fail(InvalidArgument("kv: `value` must be a buffer"));
    }
    kv::PutOptions options;
    BLAZE_TRY(options.expiration, IntArg(args, "expiration"));
    BLAZE_TRY(options.expiration_ttl, IntArg(args, "expirationTtl"));
    BLAZE_TRY(options.metadata, TextArg(args, "metadata"));
    BLAZE_TRY_VOID(kv_->Put(ns_, key, buffers[(*value)["$buffer"].get<std::size_t>()], options));
    return engine::BindingReply{};
  }

  Result<engine::BindingReply> List(const json& args) {
    kv::ListOptions options;
    BLAZE_TRY(auto prefix, TextArg(args, "prefix"));
    BLAZE_TRY(auto cursor, TextArg(args, "cursor"));
    BLAZE_TRY(auto limit, IntArg(args, "limit"));
    options.prefix = prefix.value_or("");
    options.cursor = cursor.value_or("");
    options.limit = limit.value_or(0);
    BLAZE_TRY(kv::ListPage page, kv_->List(ns_, options));
    json keys = json::array();
    for (const kv::ListedKey& k : page.keys) {
      json item = {{"name", k.name}};
      if (k.expiration) item["expiration"] = *k.expiration;
      if (k.metadata) item["metadata"] = *k.metadata;
      keys.push_back(std::move(item));
    }
    json out = {{"keys", std::move(keys)}, {"list_complete", page.list_complete}};
    if (!page.list_complete) out["cursor"] = page.cursor;
    return engine::BindingReply{Dump(out), {}};
  }

  std::shared_ptr<kv::KvService> kv_;
  std::string ns_;
};

}  // namespace

std::shared_ptr<engine::BindingService> NewKvBinding(std::shared_ptr<kv::KvService> kv,
                                                     std::string namespace_id) {
  return std::make_shared<KvBinding>(std::move(kv), std::move(namespace_id));
}

}  // namespace blaze::bindings
