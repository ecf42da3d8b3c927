// DeployConfig: the part of wrangler.toml a worker version pins besides its code — the
// compatibility date, vars, bindings, routes, cron triggers and CPU limit — as one value stored
// with the version in JSON. A rollback restores it together with the modules, so behaviour comes
// back as well as code.
//
// Errors: InvalidArgument naming the field (a bad cron, a non-positive cpu_ms, a binding name
// used twice); DataLoss when stored JSON does not have the expected shape.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "blaze/base/result.h"
#include "blaze/config/wrangler_config.h"

namespace blaze::control {

struct DeployConfig {
  std::string compatibility_date;
  std::vector<config::Var> vars;
  std::vector<config::D1Binding> d1_databases;
  std::vector<config::KvBinding> kv_namespaces;
  std::vector<config::R2Binding> r2_buckets;
  std::vector<config::ServiceBinding> services;
  std::vector<config::AnalyticsBinding> analytics_engine_datasets;
  std::vector<std::string> routes;
  std::vector<std::string> crons;
  std::optional<int> cpu_ms;

  bool operator==(const DeployConfig&) const = default;
};

// The deploy-time settings of an already loaded (and env-resolved) wrangler.toml.
DeployConfig DeployConfigFromWrangler(const config::WranglerConfig& wrangler);

// Crons parse, cpu_ms is positive, and every var and binding name is used once (Cloudflare
// refuses a version whose bindings share a name).
Status ValidateDeployConfig(const DeployConfig& config);

// Every binding and var name, for collision checks against secrets.
std::vector<std::string> BindingNames(const DeployConfig& config);

nlohmann::json DeployConfigToJson(const DeployConfig& config);
Result<DeployConfig> DeployConfigFromJson(const nlohmann::json& json);

}  // namespace blaze::control
