// The JSON views of the control plane's objects, exactly as docs/admin-api.md shows them.
// None of them carries a secret value or a token secret: a Version lists its secrets' names, a
// token its metadata (the secret is added once, by the create endpoint).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "blaze/control/audit_log.h"
#include "blaze/control/secret_store.h"
#include "blaze/control/token_store.h"
#include "blaze/control/version_store.h"

namespace blaze::admin {

// {"id","number","worker","created_at","author","message","tag","source","main_module",
//  "modules":[{"path","sha256","size"}],"config":DeployConfig,"secrets":["NAME",...]}
nlohmann::json VersionJson(const control::VersionInfo& version);
// {"id","worker","created_at","author","message","source","strategy",
//  "versions":[{"version_id","percentage"}]}
nlohmann::json DeploymentJson(const control::Deployment& deployment);
// DeploymentJson, or null.
nlohmann::json DeploymentJson(const std::optional<control::Deployment>& deployment);
// ["read","deploy",...] in the fixed order read, deploy, secrets, admin.
nlohmann::json ScopesJson(const control::Scopes& scopes);
// {"id","name","scopes","created_at","created_by","last_used_at","revoked_at"} (nulls when unset)
nlohmann::json TokenJson(const control::TokenInfo& token);
// {"id","at","actor","action","target","detail"}; actor is the token's name.
nlohmann::json AuditJson(const control::AuditEntry& entry);
// {"name","updated_at"}
nlohmann::json SecretJson(const control::SecretInfo& secret);

template <typename T, typename F>
nlohmann::json JsonArray(const std::vector<T>& items, F&& view) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& item : items) out.push_back(view(item));
  return out;
}

}  // namespace blaze::admin
