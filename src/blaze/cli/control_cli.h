// What the control-plane verbs share (deploy, versions, deployments, rollback, secret): which
// worker a command means, the NewVersion a project becomes (docs/admin-api.md), and how
// versions and deployments print — wrangler's "Created: / Author: / Source: / Message:" blocks.
#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>

#include "blaze/cli/context.h"
#include "blaze/cli/output.h"
#include "blaze/control/deploy_config.h"

namespace blaze::cli {

// --name and -e/--env, as wrangler's worker verbs take them.
struct WorkerFlags {
  std::string name;
  std::string env;
};
void AddWorkerFlags(CLI::App& cmd, WorkerFlags& flags);

// The worker a command means: `positional` when given (wrangler's `deployments list W` form),
// else --name (with --env: "<name>-<env>", as wrangler's environments name workers), else
// wrangler.toml's `name` with [env.E] applied ("<name>-<env>" unless the env sets its own).
Result<std::string> ResolveWorkerName(CliContext& ctx, const std::string& positional,
                                      const WorkerFlags& flags);

// "/api/v1/workers/<worker>" (the worker's name escaped) + `rest`.
std::string WorkerPath(const std::string& worker, const std::string& rest = "");

// A project made ready for `POST .../deploy` or `.../versions`.
struct Package {
  std::string worker;
  config::WranglerConfig wrangler;
  control::DeployConfig config;
  Json body;  // {"main_module", "modules", "config"}; the verb adds message, tag, dry_run...
  std::size_t module_count = 0;
  std::size_t bytes = 0;
};
// Loads wrangler.toml (-c, --env; an unknown env is refused with wrangler's words), refuses
// binding tables Blaze does not support, names the worker, collects the module graph
// (node::LoadWorkerProject), compiles it (a syntax error names file:line), and validates the
// deploy config (crons, cpu_ms, binding names) — all before any request.
Result<Package> BuildPackage(CliContext& ctx, const WorkerFlags& flags);

// "Total Upload: 1.2 kB (3 modules)" and wrangler's "Your Worker has access to..." list.
void PrintPackageSummary(std::ostream& out, const Package& package);
void PrintBindings(std::ostream& out, const control::DeployConfig& config);

// Wrangler's block for a deployment; `versions` (id -> Version JSON) supplies each version's
// created/tag/message when known.
void PrintDeployment(std::ostream& out, const Json& deployment,
                     const std::map<std::string, Json>& versions);
// Wrangler's block for a version (versions list); `detailed` adds config, modules and secrets
// (versions view).
void PrintVersion(std::ostream& out, const Json& version, bool detailed);

// Every version of `worker` the server lists (newest 100), by id.
Result<std::map<std::string, Json>> VersionsById(AdminClient& admin, const std::string& worker);

// A JSON string member, or `fallback` when absent, null or empty.
std::string Str(const Json& j, const char* key, const std::string& fallback = "");

// "60s", "2m", "90" (seconds) -> seconds; InvalidArgument otherwise.
Result<int> ParseWatchWindow(const std::string& text);
// 0.4 -> "40%", 0.125 -> "12.5%".
std::string Percent(double fraction);

}  // namespace blaze::cli
