#include "blaze/bindings/analytics_binding.h"

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "blaze/bindings/sync_binding.h"

namespace blaze::bindings {
namespace {

using nlohmann::json;

Result<std::vector<std::optional<std::string>>> ReadBytesList(
    const json& args, const char* key, const std::vector<std::string>& buffers) {
  std::vector<std::optional<std::string>> out;
  auto it = args.find(key);
  if (it == args.end() || it->is_null()) return out;
  if (!it->is_array())
    return Fail(InvalidArgument(std::string("analytics: ") + key + " must be an array"));
  for (const json& v : *it) {
    if (v.is_null()) {
      out.emplace_back(std::nullopt);
    } else if (v.is_string()) {
      out.emplace_back(v.get<std::string>());
    } else if (v.is_object() && v.contains("$buffer") && v["$buffer"].is_number_unsigned() &&
               v["$buffer"].get<std::size_t>() < buffers.size()) {
      out.emplace_back(buffers[v["$buffer"].get<std::size_t>()]);
    } else {
      return Fail(InvalidArgument(std::string("analytics: bad ") + key + " entry"));
    }
  }
  return out;
}

Result<std::vector<double>> ReadDoubles(const json& args) {
  std::vector<double> out;
  auto it = args.find("doubles");
  if (it == args.end() || it->is_null()) return out;
  if (!it->is_array()) return Fail(InvalidArgument("analytics: doubles must be an array"));
  for (const json& v : *it) {
    if (v.is_number()) {
      out.push_back(v.get<double>());
    } else if (v.is_null()) {
      out.push_back(0.0);
    } else if (v == "NaN") {
      out.push_back(std::numeric_limits<double>::quiet_NaN());
    } else if (v == "Infinity" || v == "-Infinity") {
      out.push_back(v == "Infinity" ? INFINITY : -INFINITY);
    } else {
      return Fail(InvalidArgument("analytics: bad doubles entry"));
    }
  }
  return out;
}

class AnalyticsBinding final : public SyncBinding {
 public:
  AnalyticsBinding(std::shared_ptr<analytics::AnalyticsService> service, std::string dataset)
      : service_(std::move(service)), dataset_(std::move(dataset)) {}

 private:
  Result<engine::BindingReply> Run(engine::BindingCall& call) override {
    if (call.op != "write") {
      return Fail(InvalidArgument("analytics: unknown operation '" + call.op + "'"));
    }
    BLAZE_TRY(json args, ParseArgs(call, "analytics"));
    analytics::DataPoint point;
    BLAZE_TRY(point.indexes, ReadBytesList(args, "indexes", call.buffers));
    BLAZE_TRY(point.blobs, ReadBytesList(args, "blobs", call.buffers));
    BLAZE_TRY(point.doubles, ReadDoubles(args));
    BLAZE_TRY_VOID(service_->Write(dataset_, point));
    return engine::BindingReply{};
  }

  std::shared_ptr<analytics::AnalyticsService> service_;
  std::string dataset_;
};

}  // namespace

std::shared_ptr<engine::BindingService> NewAnalyticsBinding(
    std::shared_ptr<analytics::AnalyticsService> service, std::string dataset) {
  return std::make_shared<AnalyticsBinding>(std::move(service), std::move(dataset));
}

}  // namespace blaze::bindings
