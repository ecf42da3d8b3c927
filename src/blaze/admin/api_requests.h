// Request bodies of the admin API: JSON objects, checked field by field. Every error is
// InvalidArgument naming the field; no message quotes a body (a secret value may be in it).
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "blaze/base/result.h"
#include "blaze/control/token_store.h"
#include "blaze/control/traffic.h"
#include "blaze/control/version_store.h"

namespace blaze::admin {

// The body as a JSON object; an empty body is {} when `allow_empty`. A parse error names the
// byte offset only.
Result<nlohmann::json> ParseBodyObject(std::string_view body, bool allow_empty);

// InvalidArgument naming the first key of `object` not in `allowed` (typos must not silently
// drop an option such as "verify").
Status CheckKeys(const nlohmann::json& object, std::initializer_list<std::string_view> allowed,
                 std::string_view where);

// Cloudflare's worker names, as docs/admin-api.md states them: 1-63 lowercase letters, digits
// and '-', starting and ending with a letter or digit. Applied to the names a request creates.
Status ValidateWorkerName(std::string_view name);

// `watch` of a deploy.
struct WatchSpec {
  double seconds = 60;
  double max_error_rate_increase = 0.05;
};

// The body of `deploy` and `versions` (NewVersion).
struct NewVersionRequest {
  control::NewVersion version;
  bool dry_run = false;
  std::optional<std::string> verify;  // a path: "/health"
  std::optional<WatchSpec> watch;
};

// `for_deploy`: dry_run, verify and watch are accepted (they are refused on `versions`).
Result<NewVersionRequest> ParseNewVersion(const nlohmann::json& body, const std::string& worker,
                                          bool for_deploy);

struct DeploymentRequestBody {
  std::vector<control::TrafficShare> traffic;  // validated (control::ValidateTraffic)
  std::string message;
};
// {"versions": [{"version_id","percentage"}] or ["<id>@90%", ...], "message"?}
Result<DeploymentRequestBody> ParseDeploymentRequest(const nlohmann::json& body);

// {"version_id"?, "message"?, "allow_secret_changes"?}
Result<control::RollbackRequest> ParseRollbackRequest(const nlohmann::json& body);

// {"value": "..."}
Result<std::string> ParseSecretValue(const nlohmann::json& body);

struct TokenRequest {
  std::string name;
  control::Scopes scopes;
};
// {"name", "scopes": ["read","deploy"] or "read,deploy"}
Result<TokenRequest> ParseTokenRequest(const nlohmann::json& body);

// Typed fields: nullopt when absent (or null); InvalidArgument when of another type.
Result<std::optional<std::string>> OptionalString(const nlohmann::json& object,
                                                  std::string_view key);
Result<std::optional<bool>> OptionalBool(const nlohmann::json& object, std::string_view key);

}  // namespace blaze::admin
