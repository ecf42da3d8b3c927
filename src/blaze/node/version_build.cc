#include "blaze/node/version_build.h"

namespace blaze::node {
namespace {

Error Missing(const std::string& what, const std::string& binding, const std::string& how) {
  return FailedPrecondition(what + " (binding " + binding + ") does not exist: create it with " +
                            how);
}

}  // namespace

engine::WorkerConfig WorkerConfigOf(const std::string& worker, const control::DeployConfig& config,
                                    const std::map<std::string, std::string>& secrets) {
  engine::WorkerConfig c;
  c.name = worker;
  c.compatibility_date = config.compatibility_date;
  for (const config::Var& v : config.vars) {
    if (secrets.contains(v.name)) continue;
    c.vars.push_back({v.name,
                      v.kind == config::Var::Kind::kText ? engine::WorkerVar::Kind::kText
                                                         : engine::WorkerVar::Kind::kJson,
                      v.value});
  }
  for (const auto& [name, value] : secrets) {
    c.vars.push_back({name, engine::WorkerVar::Kind::kText, value});
  }
  if (config.cpu_ms) c.cpu_ms = *config.cpu_ms;
  return c;
}

config::WranglerConfig BindingConfigOf(const std::string& worker,
                                       const control::DeployConfig& config) {
  config::WranglerConfig w;
  w.path = worker;
  w.name = worker;
  w.compatibility_date = config.compatibility_date;
  w.vars = config.vars;
  w.cpu_ms = config.cpu_ms;
  w.routes = config.routes;
  w.crons = config.crons;
  w.d1_databases = config.d1_databases;
  w.kv_namespaces = config.kv_namespaces;
  w.r2_buckets = config.r2_buckets;
  w.services = config.services;
  w.analytics_engine_datasets = config.analytics_engine_datasets;
  return w;
}

Status CheckBindingResources(bindings::Storage& storage, const control::DeployConfig& config) {
  if (!config.d1_databases.empty()) {
    BLAZE_TRY(auto d1, storage.D1());
    for (const config::D1Binding& b : config.d1_databases) {
      BLAZE_TRY(auto found, d1->Lookup(b.database_name));
      if (!found) {
        return Fail(Missing("D1 database '" + b.database_name + "'", b.binding,
                            "`blaze d1 create " + b.database_name + "`"));
      }
    }
  }
  if (!config.kv_namespaces.empty()) {
    BLAZE_TRY(auto kv, storage.Kv());
    for (const config::KvBinding& b : config.kv_namespaces) {
      BLAZE_TRY(auto found, kv->LookupNamespace(b.id));
      if (!found) {
        return Fail(Missing("KV namespace '" + b.id + "'", b.binding,
                            "`blaze kv namespace create TITLE` and bind the id it prints"));
      }
    }
  }
  if (!config.r2_buckets.empty()) {
    BLAZE_TRY(auto r2, storage.R2());
    for (const config::R2Binding& b : config.r2_buckets) {
      BLAZE_TRY(auto found, r2->LookupBucket(b.bucket_name));
      if (!found) {
        return Fail(Missing("R2 bucket '" + b.bucket_name + "'", b.binding,
                            "`blaze r2 bucket create " + b.bucket_name + "`"));
      }
    }
  }
  return Ok();
}

}  // namespace blaze::node
