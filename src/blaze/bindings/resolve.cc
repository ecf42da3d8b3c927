#include "blaze/bindings/resolve.h"

#include <set>

#include "blaze/bindings/analytics_binding.h"
#include "blaze/bindings/cache_binding.h"
#include "blaze/bindings/d1_binding.h"
#include "blaze/bindings/kv_binding.h"
#include "blaze/bindings/r2_binding.h"

namespace blaze::bindings {
namespace {

Result<d1::DatabaseInfo> ResolveD1(const config::D1Binding& b, d1::D1Service& d1,
                                   const ResolveOptions& options) {
  if (options.create_missing) return d1.FindOrCreate(b.database_name, b.database_id);
  BLAZE_TRY(auto found, d1.Lookup(b.database_name));
  if (found) return *found;
  return Fail(NotFound("binding " + b.binding + ": D1 database '" + b.database_name +
                       "' does not exist; create it with `blaze d1 create " + b.database_name +
                       "`"));
}

Result<kv::NamespaceInfo> ResolveKv(const config::KvBinding& b, kv::KvService& kv,
                                   const ResolveOptions& options) {
  if (options.create_missing) return kv.EnsureNamespace(b.id);
  BLAZE_TRY(auto found, kv.LookupNamespace(b.id));
  if (found) return *found;
  return Fail(NotFound("binding " + b.binding + ": KV namespace " + b.id +
                       " does not exist; create it with `blaze kv namespace create TITLE` and "
                       "put its id in wrangler.toml"));
}

// Buckets bind by name; `blaze dev` creates a missing one, as wrangler dev does.
Status ResolveR2(const config::R2Binding& b, r2::R2Service& r2, const ResolveOptions& options) {
  if (options.create_missing) {
    BLAZE_TRY_VOID(r2.OpenOrCreateBucket(b.bucket_name));
    return Ok();
  }
  BLAZE_TRY(auto found, r2.LookupBucket(b.bucket_name));
  if (found) return Ok();
  return Fail(NotFound("binding " + b.binding + ": R2 bucket '" + b.bucket_name +
                       "' does not exist; create it with `blaze r2 bucket create " + b.bucket_name +
                       "`"));
}

}  // namespace

Result<std::vector<engine::WorkerBinding>> ResolveBindings(const config::WranglerConfig& config,
                                                           Storage& storage,
                                                           const ResolveOptions& options) {
  std::vector<engine::WorkerBinding> out;
  std::set<std::string> names;
  for (const config::Var& var : config.vars) names.insert(var.name);
  auto add = [&](const std::string& name, const char* kind, ServicePtr service) -> Status {
    if (!names.insert(name).second) {
      return Fail(InvalidArgument(config.path + ": the binding name " + name +
                                  " is used more than once"));
    }
    out.push_back({name, kind, std::move(service)});
    return Ok();
  };
  if (!config.d1_databases.empty()) {
    BLAZE_TRY(auto d1, storage.D1());
    for (const config::D1Binding& b : config.d1_databases) {
      BLAZE_TRY(auto db, ResolveD1(b, *d1, options));
      BLAZE_TRY_VOID(add(b.binding, "d1", NewD1Binding(d1, db)));
    }
  }
  if (!config.kv_namespaces.empty()) {
    BLAZE_TRY(auto kv, storage.Kv());
    for (const config::KvBinding& b : config.kv_namespaces) {
      BLAZE_TRY(auto ns, ResolveKv(b, *kv, options));
      BLAZE_TRY_VOID(add(b.binding, "kv", NewKvBinding(kv, ns.id)));
    }
  }
  if (!config.r2_buckets.empty()) {
    BLAZE_TRY(auto r2, storage.R2());
    for (const config::R2Binding& b : config.r2_buckets) {
      BLAZE_TRY_VOID(ResolveR2(b, *r2, options));
      BLAZE_TRY_VOID(add(b.binding, "r2", NewR2Binding(r2, b.bucket_name)));
    }
  }
  for (const config::ServiceBinding& b : config.services) {
    if (!options.service) {
      return Fail(FailedPrecondition("binding " + b.binding + ": service bindings are not " +
                                     "available here"));
    }
    BLAZE_TRY(auto service, options.service(b));
    BLAZE_TRY_VOID(add(b.binding, "service", std::move(service)));
  }
  if (!config.analytics_engine_datasets.empty()) {
    BLAZE_TRY(auto datasets, storage.Analytics());
    for (const config::AnalyticsBinding& b : config.analytics_engine_datasets) {
      auto valid = analytics::ValidateDatasetName(b.dataset);
      if (!valid) return Fail(valid.error().WithContext("binding " + b.binding));
      BLAZE_TRY_VOID(add(b.binding, "analytics", NewAnalyticsBinding(datasets, b.dataset)));
    }
  }
  // The Cache API (`caches`): a platform service every worker has, with no name on `env`.
  BLAZE_TRY(auto cache, storage.Cache());
  out.push_back({"", "cache", NewCacheBinding(std::move(cache))});
  return out;
}

}  // namespace blaze::bindings
