// VersionStore: workers, their immutable versions and their deployment history, in control.db.
//
// A version is code plus configuration: the ES module sources, the main module, a DeployConfig
// (compatibility date, vars, bindings, routes, crons, cpu_ms) and the secret values it was built
// with (ids of SecretStore's encrypted values, never plaintext). Module bytes are stored once per
// distinct content, keyed by SHA-256, and verified when read back. A deployment points a worker
// at one version, or splits traffic between two ("percentage" strategy); the newest deployment is
// the active one. Nothing is ever updated in place: a rollback is a new deployment.
//
// Threads: safe from any thread (ControlDb serialises). Calls may join a caller's ControlDb
// transaction, so a composite change commits as a whole.
// Errors: InvalidArgument (bad worker name, module paths, config, traffic split), NotFound
// (unknown worker or version, naming both), ResourceExhausted (a version over the size limit),
// FailedPrecondition (a rollback Cloudflare would refuse, with the reason), DataLoss (a stored
// module whose bytes no longer match their hash), and ControlDb's storage errors.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "blaze/base/clock.h"
#include "blaze/base/ids.h"
#include "blaze/base/result.h"
#include "blaze/control/control_db.h"
#include "blaze/control/deploy_config.h"
#include "blaze/control/traffic.h"

namespace blaze::control {

// What made a version (Cloudflare's `workers/triggered_by`).
enum class VersionSource { kUpload, kSecret };
// What made a deployment.
enum class DeploymentSource { kDeploy, kRollback, kSecret };
std::string_view ToString(VersionSource source);     // "upload", "secret"
std::string_view ToString(DeploymentSource source);  // "deploy", "rollback", "secret"

// Secret name -> the SecretStore value id a version was built with.
using SecretRefs = std::map<std::string, std::int64_t>;

struct ModuleInfo {
  std::string path;
  std::string sha256;
  std::int64_t size = 0;
};

struct VersionInfo {
  std::string id;  // UUID
  std::string worker;
  std::int64_t number = 0;  // 1, 2, 3... per worker
  std::string created_at;   // ISO 8601 UTC
  std::string author;
  std::string message;
  std::string tag;
  VersionSource source = VersionSource::kUpload;
  std::string main_module;
  DeployConfig config;
  std::vector<ModuleInfo> modules;  // sorted by path
  SecretRefs secrets;
};

struct Version {
  VersionInfo info;
  std::map<std::string, std::string> modules;  // path -> source, verified against its hash
};

struct NewVersion {
  std::string worker;
  std::string main_module;
  std::map<std::string, std::string> modules;  // path -> source
  DeployConfig config;
  std::string author;
  std::string message;
  std::string tag;
  VersionSource source = VersionSource::kUpload;
  SecretRefs secrets;
};

struct Deployment {
  std::string id;  // UUID
  std::string worker;
  std::string created_at;
  std::string author;
  std::string message;
  DeploymentSource source = DeploymentSource::kDeploy;
  std::string strategy = "percentage";
  std::vector<TrafficShare> versions;

  // The version with the largest share (the first listed on a tie).
  const TrafficShare& primary() const;
  // Whether this deployment runs `version_id` alone, at 100%.
  bool RunsOnly(const std::string& version_id) const;
};

struct DeploymentRequest {
  std::string author;
  std::string message;
  DeploymentSource source = DeploymentSource::kDeploy;
};

enum class SecretChanges : bool { kRefuse, kAllow };

struct RollbackRequest {
  std::optional<std::string> version_id;  // default: the previous stable deployment's version
  std::string author;
  std::string message;  // "Rollback" when empty, as wrangler
  // Rolling back to a version whose secret values differ from the active one's is refused unless
  // allowed (wrangler asks for confirmation).
  SecretChanges secret_changes = SecretChanges::kRefuse;
};

// A version and the deployment that activated it.
struct Published {
  VersionInfo version;
  Deployment deployment;
};

struct VersionStoreOptions {
  const Clock* clock = nullptr;
  Random* random = nullptr;
  std::size_t max_version_bytes = 10 * 1024 * 1024;  // Cloudflare's Worker size limit (paid)
  std::size_t rollback_window = 100;  // Cloudflare rolls back within the 100 latest versions
};

class VersionStore {
 public:
  VersionStore(ControlDb& db, VersionStoreOptions options);

  // `versions upload`: stores a version without deploying it. Creates the worker on first use.
  Result<VersionInfo> Upload(const NewVersion& version);
  // `versions deploy`: a new deployment of existing versions of `worker`.
  Result<Deployment> Deploy(const std::string& worker, const std::vector<TrafficShare>& traffic,
                            const DeploymentRequest& request);
  // `deploy`: upload and activate at 100%, in one transaction.
  Result<Published> UploadAndDeploy(const NewVersion& version, const DeploymentRequest& request);
  // `rollback`: activate an earlier version at 100%. Refuses (FailedPrecondition) when the
  // worker has no deployment, when no earlier stable version exists, when the target is already
  // the sole active version, when it is older than the rollback window, and when its secrets
  // differ from the active version's unless request.secret_changes allows it.
  Result<Deployment> Rollback(const std::string& worker, const RollbackRequest& request);
  // A secret change: a copy of the latest version with `secrets`, deployed at 100%. nullopt when
  // the worker has no version yet. FailedPrecondition when the latest version is not the one
  // fully deployed (as Cloudflare: the change would otherwise be lost or deploy unseen code).
  Result<std::optional<Published>> RedeployWithSecrets(const std::string& worker,
                                                       const SecretRefs& secrets,
                                                       const std::string& author,
                                                       const std::string& message);

  Result<std::optional<Deployment>> Active(const std::string& worker);
  // Newest first; at most `limit`.
  Result<std::vector<Deployment>> ListDeployments(const std::string& worker,
                                                  std::size_t limit = 10);
  Result<std::vector<VersionInfo>> ListVersions(const std::string& worker, std::size_t limit = 100);
  Result<VersionInfo> GetVersionInfo(const std::string& worker, const std::string& version_id);
  Result<Version> GetVersion(const std::string& worker, const std::string& version_id);
  Result<std::optional<VersionInfo>> LatestVersion(const std::string& worker);
  Result<std::vector<std::string>> ListWorkers();
  // The active deployment of every worker, by worker name: what a routing snapshot is built from.
  Result<std::vector<Deployment>> ListActive();

 private:
  Status RequireWorker(sqlite::Database& db, const std::string& worker);
  Result<VersionInfo> Insert(sqlite::Database& db, const NewVersion& version);
  Result<Deployment> InsertDeployment(sqlite::Database& db, const std::string& worker,
                                      const std::vector<TrafficShare>& traffic,
                                      const DeploymentRequest& request);
  Result<std::vector<Deployment>> Deployments(sqlite::Database& db, const std::string& worker,
                                              std::size_t limit);
  Result<VersionInfo> ReadVersion(sqlite::Database& db, const std::string& worker,
                                  const std::string& version_id);
  Result<std::optional<VersionInfo>> Latest(sqlite::Database& db, const std::string& worker);
  Status CheckRollback(sqlite::Database& db, const Deployment& active, const VersionInfo& target,
                       const RollbackRequest& request);

  ControlDb& db_;
  VersionStoreOptions options_;
};

}  // namespace blaze::control
