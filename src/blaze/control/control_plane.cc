#include "blaze/control/control_plane.h"

#include <algorithm>

namespace blaze::control {
namespace {

using nlohmann::json;

json TrafficJson(const std::vector<TrafficShare>& traffic) {
  json out = json::array();
  for (const auto& t : traffic)
    out.push_back({{"version_id", t.version_id}, {"percentage", t.percentage}});
  return out;
}

json SecretChangeJson(const std::string& name, const SecretChange& change) {
  json detail = {{"name", name}};
  if (change.published) {
    detail["version_id"] = change.published->version.id;
    detail["deployment_id"] = change.published->deployment.id;
  }
  return detail;
}

}  // namespace

Actor ActorOf(const Principal& p) { return {p.token_id, p.name}; }

Result<std::unique_ptr<ControlPlane>> ControlPlane::Open(const ControlPlaneOptions& options) {
  BLAZE_CHECK(options.clock && options.random && options.secure_random);
  std::unique_ptr<ControlPlane> cp(new ControlPlane());
  cp->options_ = options;
  BLAZE_TRY(cp->db_, ControlDb::Open(options.data_dir));
  VersionStoreOptions vo = options.versions;
  vo.clock = options.clock;
  vo.random = options.random;
  cp->versions_ = std::make_unique<VersionStore>(*cp->db_, vo);
  BLAZE_TRY(cp->secrets_,
            SecretStore::Open(*cp->db_, SecretStoreOptions{options.clock, options.secure_random}));
  cp->tokens_ = std::make_unique<TokenStore>(
      *cp->db_, TokenStoreOptions{options.clock, options.random, options.secure_random});
  cp->audit_ = std::make_unique<AuditLog>(*cp->db_, *options.clock);
  return cp;
}

Result<std::optional<IssuedToken>> ControlPlane::EnsureAdminToken() {
  return db_->Write([&](sqlite::Database&) -> Result<std::optional<IssuedToken>> {
    BLAZE_TRY(auto issued, tokens_->EnsureAdminToken(options_.data_dir));
    if (issued) {
      BLAZE_TRY_VOID(audit_->Append(kSystemActor, "token.create", issued->info.name,
                                    {{"token_id", issued->info.id},
                                     {"scopes", issued->info.scopes.ToString()},
                                     {"file", "admin.token"}}));
    }
    return issued;
  });
}

Result<Published> ControlPlane::Deploy(const Principal& who, NewVersion version) {
  BLAZE_TRY_VOID(RequireScope(who, Scope::kDeploy));
  return db_->Write([&](sqlite::Database&) -> Result<Published> {
    version.author = who.name;
    BLAZE_TRY(version.secrets, secrets_->CurrentRefs(version.worker));
    BLAZE_TRY(Published p, versions_->UploadAndDeploy(
                               version, {who.name, version.message, DeploymentSource::kDeploy}));
    BLAZE_TRY_VOID(audit_->Append(ActorOf(who), "deploy", version.worker,
                                  {{"version_id", p.version.id},
                                   {"version_number", p.version.number},
                                   {"deployment_id", p.deployment.id},
                                   {"modules", p.version.modules.size()}}));
    return p;
  });
}

Result<VersionInfo> ControlPlane::UploadVersion(const Principal& who, NewVersion version) {
  BLAZE_TRY_VOID(RequireScope(who, Scope::kDeploy));
  return db_->Write([&](sqlite::Database&) -> Result<VersionInfo> {
    version.author = who.name;
    BLAZE_TRY(version.secrets, secrets_->CurrentRefs(version.worker));
    BLAZE_TRY(VersionInfo v, versions_->Upload(version));
    BLAZE_TRY_VOID(
        audit_->Append(ActorOf(who), "versions.upload", version.worker,
                       {{"version_id", v.id}, {"version_number", v.number}, {"tag", v.tag}}));
    return v;
  });
}

Result<Deployment> ControlPlane::DeployVersions(const Principal& who, const std::string& worker,
                                                const std::vector<TrafficShare>& traffic,
                                                const std::string& message) {
  BLAZE_TRY_VOID(RequireScope(who, Scope::kDeploy));
  return db_->Write([&](sqlite::Database&) -> Result<Deployment> {
    BLAZE_TRY(Deployment d,
              versions_->Deploy(worker, traffic, {who.name, message, DeploymentSource::kDeploy}));
    BLAZE_TRY_VOID(audit_->Append(ActorOf(who), "versions.deploy", worker,
                                  {{"deployment_id", d.id}, {"versions", TrafficJson(traffic)}}));
    return d;
  });
}

Result<Deployment> ControlPlane::Rollback(const Principal& who, const std::string& worker,
                                          RollbackRequest request) {
  BLAZE_TRY_VOID(RequireScope(who, Scope::kDeploy));
  request.author = who.name;
  return db_->Write([&](sqlite::Database&) -> Result<Deployment> {
    BLAZE_TRY(Deployment d, versions_->Rollback(worker, request));
    BLAZE_TRY(VersionInfo target, versions_->GetVersionInfo(worker, d.versions[0].version_id));
    BLAZE_TRY(SecretRefs current, secrets_->CurrentRefs(worker));
    // The version runs with the values it pinned; make them what `secret list` shows too.
    if (current != target.secrets) BLAZE_TRY_VOID(secrets_->RestoreRefs(worker, target.secrets));
    BLAZE_TRY_VOID(audit_->Append(
        ActorOf(who), "rollback", worker,
        {{"deployment_id", d.id}, {"version_id", target.id}, {"message", d.message}}));
    return d;
  });
}

Result<SecretChange> ControlPlane::RedeployForSecret(const Principal& who,
                                                     const std::string& worker,
                                                     const std::string& message) {
  BLAZE_TRY(SecretRefs refs, secrets_->CurrentRefs(worker));
  BLAZE_TRY(auto published, versions_->RedeployWithSecrets(worker, refs, who.name, message));
  return SecretChange{std::move(published)};
}

Result<SecretChange> ControlPlane::PutSecret(const Principal& who, const std::string& worker,
                                             const std::string& name, std::string_view value) {
  BLAZE_TRY_VOID(RequireScope(who, Scope::kSecrets));
  return db_->Write([&](sqlite::Database&) -> Result<SecretChange> {
    BLAZE_TRY(auto latest, versions_->LatestVersion(worker));
    if (latest) {
      auto names = BindingNames(latest->config);
      if (std::find(names.begin(), names.end(), name) != names.end()) {
        return Fail(InvalidArgument("'" + name + "' is already the name of a var or binding of '" +
                                    worker + "'; a secret needs a name of its own"));
      }
    }
    BLAZE_TRY_VOID(secrets_->Put(worker, name, value));
    BLAZE_TRY(SecretChange change,
              RedeployForSecret(who, worker, "Secret change: " + name + " set"));
    BLAZE_TRY_VOID(audit_->Append(ActorOf(who), "secret.put", worker + "/" + name,
                                  SecretChangeJson(name, change)));
    return change;
  });
}

Result<SecretChange> ControlPlane::DeleteSecret(const Principal& who, const std::string& worker,
                                                const std::string& name) {
  BLAZE_TRY_VOID(RequireScope(who, Scope::kSecrets));
  return db_->Write([&](sqlite::Database&) -> Result<SecretChange> {
    BLAZE_TRY_VOID(secrets_->Delete(worker, name));
    BLAZE_TRY(SecretChange change,
              RedeployForSecret(who, worker, "Secret change: " + name + " deleted"));
    BLAZE_TRY_VOID(audit_->Append(ActorOf(who), "secret.delete", worker + "/" + name,
                                  SecretChangeJson(name, change)));
    return change;
  });
}

Result<std::vector<SecretInfo>> ControlPlane::ListSecrets(const Principal& who,
                                                          const std::string& worker) {
  BLAZE_TRY_VOID(RequireScope(who, Scope::kSecrets));
  return secrets_->List(worker);
}

Result<IssuedToken> ControlPlane::CreateToken(const Principal& who, const std::string& name,
                                              Scopes scopes) {
  BLAZE_TRY_VOID(RequireScope(who, Scope::kAdmin));
  return db_->Write([&](sqlite::Database&) -> Result<IssuedToken> {
    BLAZE_TRY(IssuedToken t, tokens_->Create(name, scopes, who.name));
    BLAZE_TRY_VOID(audit_->Append(ActorOf(who), "token.create", name,
                                  {{"token_id", t.info.id}, {"scopes", scopes.ToString()}}));
    return t;
  });
}

Result<TokenInfo> ControlPlane::RevokeToken(const Principal& who, const std::string& id_or_name) {
  BLAZE_TRY_VOID(RequireScope(who, Scope::kAdmin));
  return db_->Write([&](sqlite::Database&) -> Result<TokenInfo> {
    BLAZE_TRY(TokenInfo t, tokens_->Revoke(id_or_name));
    BLAZE_TRY_VOID(audit_->Append(ActorOf(who), "token.revoke", t.name, {{"token_id", t.id}}));
    return t;
  });
}

Result<std::vector<TokenInfo>> ControlPlane::ListTokens(const Principal& who) {
  BLAZE_TRY_VOID(RequireScope(who, Scope::kAdmin));
  return tokens_->List();
}

Result<std::vector<AuditEntry>> ControlPlane::ListAudit(const Principal& who,
                                                        const AuditFilter& filter) {
  BLAZE_TRY_VOID(RequireScope(who, Scope::kAdmin));
  return audit_->List(filter);
}

}  // namespace blaze::control
