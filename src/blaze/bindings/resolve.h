// ResolveBindings: a worker project's wrangler.toml bindings → the engine's WorkerBinding list
// (the `env.X` objects), each backed by a service of the data directory's Storage.
//
// D1 binds by `database_name`, KV by namespace `id`, R2 by `bucket_name`. With `create_missing`
// (what `blaze dev` does, like `wrangler dev`) a resource that does not exist yet is created on
// first use, so `blaze d1 execute NAME --local` in the same folder sees the same data; without
// it a missing resource is NotFound naming the binding and how to create the resource.
// Analytics Engine datasets bind by `dataset` (a table of analytics.sqlite, made on first write).
// Services need more than storage (the other workers): the caller supplies their factory;
// without one a service binding is FailedPrecondition. Every worker also gets the Cache API:
// the last binding is {"", "cache", ...} (an empty name: `caches`, not on `env`).
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "blaze/base/result.h"
#include "blaze/bindings/storage.h"
#include "blaze/config/wrangler_config.h"
#include "blaze/runtime/engine/binding.h"

namespace blaze::bindings {

using ServicePtr = std::shared_ptr<engine::BindingService>;

struct ResolveOptions {
  bool create_missing = true;
  std::function<Result<ServicePtr>(const config::ServiceBinding&)> service;
};

Result<std::vector<engine::WorkerBinding>> ResolveBindings(const config::WranglerConfig& config,
                                                           Storage& storage,
                                                           const ResolveOptions& options);

}  // namespace blaze::bindings
