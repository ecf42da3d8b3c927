// ControlPlane: the control plane of one data directory — the four stores on one control.db,
// and the admin operations the API and CLI perform. Each operation checks the caller's scope,
// makes its change and appends its audit record in one transaction: a change is never without
// its record, and a failed change leaves neither.
//
// Operations and scopes:
//   Deploy, UploadVersion, DeployVersions, Rollback     deploy
//   PutSecret, DeleteSecret, ListSecrets                 secrets
//   CreateToken, RevokeToken, ListTokens, ListAudit     admin
//   reads of versions and deployments                   read (RequireScope(p, Scope::kRead))
// New versions pin the worker's current secrets. A secret change makes and deploys a new
// version when the worker has one (refused while the latest version is not fully deployed, as
// on Cloudflare). A rollback that restores older secret values also makes them current.
//
// Threads: safe from any thread. Errors: those of the stores, plus PermissionDenied for a scope.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "blaze/base/clock.h"
#include "blaze/base/ids.h"
#include "blaze/base/result.h"
#include "blaze/control/audit_log.h"
#include "blaze/control/control_db.h"
#include "blaze/control/crypto.h"
#include "blaze/control/secret_store.h"
#include "blaze/control/token_store.h"
#include "blaze/control/version_store.h"

namespace blaze::control {

struct ControlPlaneOptions {
  std::string data_dir;
  const Clock* clock = nullptr;
  Random* random = nullptr;
  SecureRandom* secure_random = nullptr;
  VersionStoreOptions versions;  // clock and random are filled in from above
};

// What a secret change did: the deployment it made, if the worker has a version.
struct SecretChange {
  std::optional<Published> published;
};

class ControlPlane {
 public:
  // Opens control.db and the master key (see SecretStore::Open for the refusals).
  static Result<std::unique_ptr<ControlPlane>> Open(const ControlPlaneOptions& options);

  // First start: the admin token (TokenStore::EnsureAdminToken), recorded in the audit log.
  Result<std::optional<IssuedToken>> EnsureAdminToken();

  Result<Published> Deploy(const Principal& who, NewVersion version);
  Result<VersionInfo> UploadVersion(const Principal& who, NewVersion version);
  Result<Deployment> DeployVersions(const Principal& who, const std::string& worker,
                                    const std::vector<TrafficShare>& traffic,
                                    const std::string& message);
  Result<Deployment> Rollback(const Principal& who, const std::string& worker,
                              RollbackRequest request);

  Result<SecretChange> PutSecret(const Principal& who, const std::string& worker,
                                 const std::string& name, std::string_view value);
  Result<SecretChange> DeleteSecret(const Principal& who, const std::string& worker,
                                    const std::string& name);
  Result<std::vector<SecretInfo>> ListSecrets(const Principal& who, const std::string& worker);

  Result<IssuedToken> CreateToken(const Principal& who, const std::string& name, Scopes scopes);
  Result<TokenInfo> RevokeToken(const Principal& who, const std::string& id_or_name);
  Result<std::vector<TokenInfo>> ListTokens(const Principal& who);
  Result<std::vector<AuditEntry>> ListAudit(const Principal& who, const AuditFilter& filter);

  ControlDb& db() { return *db_; }
  VersionStore& versions() { return *versions_; }
  SecretStore& secrets() { return *secrets_; }
  TokenStore& tokens() { return *tokens_; }
  AuditLog& audit() { return *audit_; }

 private:
  ControlPlane() = default;
  Result<SecretChange> RedeployForSecret(const Principal& who, const std::string& worker,
                                         const std::string& message);

  ControlPlaneOptions options_;
  std::unique_ptr<ControlDb> db_;
  std::unique_ptr<VersionStore> versions_;
  std::unique_ptr<SecretStore> secrets_;
  std::unique_ptr<TokenStore> tokens_;
  std::unique_ptr<AuditLog> audit_;
};

// The audit actor of a principal.
Actor ActorOf(const Principal& principal);

}  // namespace blaze::control
