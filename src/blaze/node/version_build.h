// From a control-plane version to what the engine runs: the pieces ServePlatform assembles a
// WorkerVersion from. A version pins its code, its DeployConfig and its secret values; the
// resources its bindings name (D1 databases, KV namespaces, R2 buckets) must already exist in
// the data directory — `blaze serve` never creates them (create_missing = false), unlike
// `blaze dev`.
//
// Threads: pure functions, plus CheckBindingResources which reads Storage (thread-safe).
#pragma once

#include <map>
#include <string>

#include "blaze/base/result.h"
#include "blaze/bindings/storage.h"
#include "blaze/config/wrangler_config.h"
#include "blaze/control/deploy_config.h"
#include "blaze/runtime/engine/invocation.h"

namespace blaze::node {

// The engine's configuration of `worker` (without its bindings): compatibility date, vars
// (text and JSON) and cpu_ms from `config`, then `secrets` as text vars (a secret wins over a
// var of the same name, as on Cloudflare).
engine::WorkerConfig WorkerConfigOf(const std::string& worker, const control::DeployConfig& config,
                                    const std::map<std::string, std::string>& secrets);

// The wrangler-shaped config bindings::ResolveBindings reads. `path` is the worker's name, so a
// resolve error names the worker.
config::WranglerConfig BindingConfigOf(const std::string& worker,
                                       const control::DeployConfig& config);

// FailedPrecondition for the first binding whose resource is missing, naming it and the
// command that creates it:
//   D1 database 'x' (binding DB) does not exist: create it with `blaze d1 create x`
//   KV namespace 'id' (binding KV) does not exist: create it with `blaze kv namespace create
//     TITLE` and bind the id it prints
//   R2 bucket 'b' (binding B) does not exist: create it with `blaze r2 bucket create b`
// Storage errors pass through.
Status CheckBindingResources(bindings::Storage& storage, const control::DeployConfig& config);

}  // namespace blaze::node
