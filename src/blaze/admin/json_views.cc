#include "blaze/admin/json_views.h"

#include "blaze/control/deploy_config.h"

namespace blaze::admin {

using nlohmann::json;

namespace {
json OptionalText(const std::optional<std::string>& text) {
  return text ? json(*text) : json(nullptr);
}
}  // namespace

json VersionJson(const control::VersionInfo& v) {
  json modules = json::array();
  for (const auto& m : v.modules) {
    modules.push_back({{"path", m.path}, {"sha256", m.sha256}, {"size", m.size}});
  }
  json secrets = json::array();
  for (const auto& [name, _] : v.secrets) secrets.push_back(name);
  return {{"id", v.id},
          {"number", v.number},
          {"worker", v.worker},
          {"created_at", v.created_at},
          {"author", v.author},
          {"message", v.message},
          {"tag", v.tag},
          {"source", control::ToString(v.source)},
          {"main_module", v.main_module},
          {"modules", std::move(modules)},
          {"config", control::DeployConfigToJson(v.config)},
          {"secrets", std::move(secrets)}};
}

json DeploymentJson(const control::Deployment& d) {
  json versions = json::array();
  for (const auto& share : d.versions) {
    versions.push_back({{"version_id", share.version_id}, {"percentage", share.percentage}});
  }
  return {{"id", d.id},
          {"worker", d.worker},
          {"created_at", d.created_at},
          {"author", d.author},
          {"message", d.message},
          {"source", control::ToString(d.source)},
          {"strategy", d.strategy},
          {"versions", std::move(versions)}};
}

json DeploymentJson(const std::optional<control::Deployment>& d) {
  return d ? DeploymentJson(*d) : json(nullptr);
}

json ScopesJson(const control::Scopes& scopes) {
  using control::Scope;
  json out = json::array();
  for (Scope s : {Scope::kRead, Scope::kDeploy, Scope::kSecrets, Scope::kAdmin}) {
    if (scopes.Contains(s)) out.push_back(control::ToString(s));
  }
  return out;
}

json TokenJson(const control::TokenInfo& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"scopes", ScopesJson(t.scopes)},
          {"created_at", t.created_at},
          {"created_by", t.created_by},
          {"last_used_at", OptionalText(t.last_used_at)},
          {"revoked_at", OptionalText(t.revoked_at)}};
}

json AuditJson(const control::AuditEntry& e) {
  return {{"id", e.id},
          {"at", e.time},
          {"actor", e.actor.name},
          {"action", e.action},
          {"target", e.target},
          {"detail", e.detail}};
}

json SecretJson(const control::SecretInfo& s) {
  return {{"name", s.name}, {"updated_at", s.updated_at}};
}

}  // namespace blaze::admin
