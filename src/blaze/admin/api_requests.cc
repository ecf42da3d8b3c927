#include "blaze/admin/api_requests.h"

#include <cmath>

#include "blaze/base/ids.h"
#include "blaze/control/deploy_config.h"

namespace blaze::admin {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxVerifyPath = 2048;
constexpr double kMaxWatchSeconds = 3600;

Result<const json*> Field(const json& object, std::string_view key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

Status ValidateConfigShape(const json& config) {
  if (!config.is_object()) return Fail(InvalidArgument("config must be an object"));
  BLAZE_TRY_VOID(CheckKeys(
      config, {"compatibility_date", "vars", "bindings", "routes", "crons", "cpu_ms"}, "config"));
  if (auto it = config.find("bindings"); it != config.end() && !it->is_null()) {
    if (!it->is_object()) return Fail(InvalidArgument("config.bindings must be an object"));
    BLAZE_TRY_VOID(CheckKeys(*it,
                             {"d1_databases", "kv_namespaces", "r2_buckets", "services",
                              "analytics_engine_datasets"},
                             "config.bindings"));
    for (const auto& [kind, list] : it->items()) {
      if (!list.is_array()) {
        return Fail(InvalidArgument("config.bindings." + kind + " must be an array"));
      }
      for (const auto& binding : list) {
        if (!binding.is_object()) {
          return Fail(InvalidArgument("config.bindings." + kind + " holds a non-object"));
        }
      }
    }
  }
  for (const char* key : {"vars", "routes", "crons"}) {
    if (auto it = config.find(key); it != config.end() && !it->is_null() && !it->is_array()) {
      return Fail(InvalidArgument(std::string("config.") + key + " must be an array"));
    }
  }
  if (auto it = config.find("cpu_ms");
      it != config.end() && !it->is_null() && !it->is_number_integer()) {
    return Fail(InvalidArgument("config.cpu_ms must be an integer"));
  }
  return Ok();
}

Status ValidateVerifyPath(const std::string& path) {
  if (path.empty() || path[0] != '/' || path.size() > kMaxVerifyPath) {
    return Fail(InvalidArgument("verify must be a path starting with '/' (e.g. \"/health\")"));
  }
  for (unsigned char c : path) {
    if (c <= 0x20 || c >= 0x7f) {
      return Fail(InvalidArgument("verify must be a path without spaces or control characters"));
    }
  }
  return Ok();
}

Result<std::optional<WatchSpec>> ParseWatch(const json& body) {
  BLAZE_TRY(const json* watch, Field(body, "watch"));
  if (!watch) return std::optional<WatchSpec>();
  if (watch->is_boolean()) {
    return watch->get<bool>() ? std::optional<WatchSpec>(WatchSpec{}) : std::optional<WatchSpec>();
  }
  if (!watch->is_object()) {
    return Fail(InvalidArgument(
        "watch must be an object: {\"seconds\": 60, \"max_error_rate_increase\": 0.05}"));
  }
  BLAZE_TRY_VOID(CheckKeys(*watch, {"seconds", "max_error_rate_increase"}, "watch"));
  WatchSpec spec;
  if (auto it = watch->find("seconds"); it != watch->end() && !it->is_null()) {
    if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() < 0 ||
        it->get<double>() > kMaxWatchSeconds) {
      return Fail(InvalidArgument("watch.seconds must be a number from 0 to 3600"));
    }
    spec.seconds = it->get<double>();
  }
  if (auto it = watch->find("max_error_rate_increase"); it != watch->end() && !it->is_null()) {
    if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() < 0 ||
        it->get<double>() > 1) {
      return Fail(InvalidArgument(
          "watch.max_error_rate_increase must be a fraction from 0 to 1 (0.05 is 5 points)"));
    }
    spec.max_error_rate_increase = it->get<double>();
  }
  return std::optional<WatchSpec>(spec);
}

}  // namespace

Result<json> ParseBodyObject(std::string_view body, bool allow_empty) {
  bool blank = body.find_first_not_of(" \t\r\n") == std::string_view::npos;
  if (blank) {
    if (allow_empty) return json::object();
    return Fail(InvalidArgument("the request needs a JSON body"));
  }
  json parsed;
  try {
    parsed = json::parse(body);
  } catch (const json::parse_error& e) {
    // e.what() quotes the bytes read; they may be a secret value. The offset is enough.
    return Fail(InvalidArgument("the request body is not valid JSON (at byte " +
                                std::to_string(e.byte) + ")"));
  }
  if (!parsed.is_object()) return Fail(InvalidArgument("the request body must be a JSON object"));
  return parsed;
}

Status CheckKeys(const json& object, std::initializer_list<std::string_view> allowed,
                 std::string_view where) {
  for (const auto& [key, _] : object.items()) {
    bool known = false;
    for (auto a : allowed) known = known || key == a;
    if (!known) {
      std::string names;
      for (auto a : allowed) names += (names.empty() ? "" : ", ") + std::string(a);
      return Fail(InvalidArgument(std::string(where) + ": unknown field '" + key +
                                  "' (expected: " + names + ")"));
    }
  }
  return Ok();
}

Status ValidateWorkerName(std::string_view name) {
  auto bad = [&] {
    return Fail(InvalidArgument("invalid worker name '" + std::string(name) +
                                "': use 1-63 lowercase letters, digits and '-', starting and "
                                "ending with a letter or digit"));
  };
  if (name.empty() || name.size() > 63 || name.front() == '-' || name.back() == '-') return bad();
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return bad();
  }
  return ValidateName(name, "worker name");
}

Result<std::optional<std::string>> OptionalString(const json& object, std::string_view key) {
  BLAZE_TRY(const json* field, Field(object, key));
  if (!field) return std::optional<std::string>();
  if (!field->is_string()) {
    return Fail(InvalidArgument(std::string(key) + " must be a string"));
  }
  return std::optional<std::string>(field->get<std::string>());
}

Result<std::optional<bool>> OptionalBool(const json& object, std::string_view key) {
  BLAZE_TRY(const json* field, Field(object, key));
  if (!field) return std::optional<bool>();
  if (!field->is_boolean()) return Fail(InvalidArgument(std::string(key) + " must be true or false"));
  return std::optional<bool>(field->get<bool>());
}

Result<NewVersionRequest> ParseNewVersion(const json& body, const std::string& worker,
                                          bool for_deploy) {
  if (for_deploy) {
    BLAZE_TRY_VOID(CheckKeys(body,
                             {"main_module", "modules", "config", "message", "tag", "dry_run",
                              "verify", "watch"},
                             "deploy"));
  } else {
    for (const char* key : {"dry_run", "verify", "watch"}) {
      if (body.contains(key)) {
        return Fail(InvalidArgument(std::string(key) +
                                    " applies to deploy only, not to versions upload"));
      }
    }
    BLAZE_TRY_VOID(CheckKeys(body, {"main_module", "modules", "config", "message", "tag"},
                             "versions upload"));
  }
  BLAZE_TRY_VOID(ValidateWorkerName(worker));
  NewVersionRequest out;
  control::NewVersion& v = out.version;
  v.worker = worker;
  BLAZE_TRY(auto main_module, OptionalString(body, "main_module"));
  if (!main_module || main_module->empty()) {
    return Fail(InvalidArgument("main_module is required (e.g. \"src/index.js\")"));
  }
  v.main_module = *main_module;
  auto modules = body.find("modules");
  if (modules == body.end() || !modules->is_object() || modules->empty()) {
    return Fail(InvalidArgument("modules must be an object of path -> source, with at least one"));
  }
  for (const auto& [path, source] : modules->items()) {
    if (!source.is_string()) {
      return Fail(InvalidArgument("modules['" + path + "'] must be a string (the source)"));
    }
    v.modules[path] = source.get<std::string>();
  }
  json config = json::object();
  if (auto it = body.find("config"); it != body.end() && !it->is_null()) config = *it;
  BLAZE_TRY_VOID(ValidateConfigShape(config));
  auto parsed = control::DeployConfigFromJson(config);
  if (!parsed) return Fail(InvalidArgument("config: " + parsed.error().message()));
  v.config = std::move(*parsed);
  BLAZE_TRY_VOID(control::ValidateDeployConfig(v.config));
  BLAZE_TRY(auto message, OptionalString(body, "message"));
  BLAZE_TRY(auto tag, OptionalString(body, "tag"));
  v.message = message.value_or("");
  v.tag = tag.value_or("");
  if (!for_deploy) return out;
  BLAZE_TRY(auto dry_run, OptionalBool(body, "dry_run"));
  out.dry_run = dry_run.value_or(false);
  BLAZE_TRY(out.verify, OptionalString(body, "verify"));
  if (out.verify) BLAZE_TRY_VOID(ValidateVerifyPath(*out.verify));
  BLAZE_TRY(out.watch, ParseWatch(body));
  return out;
}

Result<DeploymentRequestBody> ParseDeploymentRequest(const json& body) {
  BLAZE_TRY_VOID(CheckKeys(body, {"versions", "message"}, "deployments"));
  DeploymentRequestBody out;
  auto versions = body.find("versions");
  if (versions == body.end() || !versions->is_array() || versions->empty()) {
    return Fail(InvalidArgument(
        "versions must be a non-empty array of {\"version_id\", \"percentage\"}"));
  }
  bool specs = (*versions)[0].is_string();
  if (specs) {
    std::vector<std::string> list;
    for (const auto& v : *versions) {
      if (!v.is_string()) {
        return Fail(InvalidArgument("versions: mix of \"<id>@<percent>%\" specs and objects"));
      }
      list.push_back(v.get<std::string>());
    }
    BLAZE_TRY(out.traffic, control::ParseVersionSpecs(list));
  } else {
    for (const auto& v : *versions) {
      if (!v.is_object()) {
        return Fail(InvalidArgument("versions: each entry is {\"version_id\", \"percentage\"}"));
      }
      BLAZE_TRY_VOID(CheckKeys(v, {"version_id", "percentage"}, "versions[]"));
      control::TrafficShare share;
      BLAZE_TRY(auto id, OptionalString(v, "version_id"));
      if (!id || id->empty()) return Fail(InvalidArgument("versions[].version_id is required"));
      share.version_id = *id;
      auto pct = v.find("percentage");
      if (pct == v.end() || pct->is_null()) {
        if (versions->size() != 1) {
          return Fail(InvalidArgument("versions[].percentage is required with two versions"));
        }
        share.percentage = 100;
      } else if (!pct->is_number()) {
        return Fail(InvalidArgument("versions[].percentage must be a number"));
      } else {
        share.percentage = pct->get<double>();
      }
      out.traffic.push_back(std::move(share));
    }
    BLAZE_TRY_VOID(control::ValidateTraffic(out.traffic));
  }
  BLAZE_TRY(auto message, OptionalString(body, "message"));
  out.message = message.value_or("");
  return out;
}

Result<control::RollbackRequest> ParseRollbackRequest(const json& body) {
  BLAZE_TRY_VOID(CheckKeys(body, {"version_id", "message", "allow_secret_changes"}, "rollback"));
  control::RollbackRequest out;
  BLAZE_TRY(out.version_id, OptionalString(body, "version_id"));
  if (out.version_id && out.version_id->empty()) out.version_id.reset();
  BLAZE_TRY(auto message, OptionalString(body, "message"));
  out.message = message.value_or("");
  BLAZE_TRY(auto allow, OptionalBool(body, "allow_secret_changes"));
  out.secret_changes =
      allow.value_or(false) ? control::SecretChanges::kAllow : control::SecretChanges::kRefuse;
  return out;
}

Result<std::string> ParseSecretValue(const json& body) {
  BLAZE_TRY_VOID(CheckKeys(body, {"value"}, "secret"));
  auto it = body.find("value");
  if (it == body.end() || !it->is_string()) {
    return Fail(InvalidArgument("the body must be {\"value\": \"<the secret>\"}"));
  }
  return it->get<std::string>();
}

Result<TokenRequest> ParseTokenRequest(const json& body) {
  BLAZE_TRY_VOID(CheckKeys(body, {"name", "scopes"}, "token"));
  TokenRequest out;
  BLAZE_TRY(auto name, OptionalString(body, "name"));
  if (!name || name->empty()) return Fail(InvalidArgument("name is required"));
  out.name = *name;
  auto scopes = body.find("scopes");
  std::string text;
  if (scopes != body.end() && scopes->is_string()) {
    text = scopes->get<std::string>();
  } else if (scopes != body.end() && scopes->is_array()) {
    for (const auto& s : *scopes) {
      if (!s.is_string()) return Fail(InvalidArgument("scopes must be an array of strings"));
      text += (text.empty() ? "" : ",") + s.get<std::string>();
    }
  } else {
    return Fail(InvalidArgument("scopes is required: [\"read\", \"deploy\", \"secrets\", \"admin\"]"));
  }
  BLAZE_TRY(out.scopes, control::Scopes::Parse(text));
  if (out.scopes.empty()) return Fail(InvalidArgument("a token needs at least one scope"));
  return out;
}

}  // namespace blaze::admin
