// WorkerProject: a worker project on disk turned into what the engine runs — the module sources
// (every .js/.mjs file under the project root, so relative imports across folders resolve),
// the WorkerConfig from wrangler.toml, and a fingerprint of the files for `blaze dev`'s reload.
//
// Errors: InvalidArgument when `main` is missing or outside the project, NotFound when the main
// module does not exist, ResourceExhausted past 10 MB of source (Cloudflare's script limit).
#pragma once

#include <cstdint>
#include <string>

#include "blaze/base/result.h"
#include "blaze/config/wrangler_config.h"
#include "blaze/runtime/engine/invocation.h"
#include "blaze/runtime/engine/worker_bundle.h"

namespace blaze::node {

struct WorkerProject {
  engine::BundleSource source;
  engine::WorkerConfig config;
};

Result<WorkerProject> LoadWorkerProject(const config::WranglerConfig& wrangler);

// Names, sizes and modification times of the files a project is built from (wrangler.toml and
// the module files). Two equal fingerprints mean nothing to reload.
Result<std::string> ProjectFingerprint(const config::WranglerConfig& wrangler);

}  // namespace blaze::node
