#include "blaze/config/wrangler_config.h"

#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "blaze/base/cron.h"

namespace blaze::config {
namespace {

nlohmann::json ToJson(const toml::node& node) {
  if (auto* t = node.as_table()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [k, v] : *t) out[std::string(k.str())] = ToJson(v);
    return out;
  }
  if (auto* a = node.as_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& v : *a) out.push_back(ToJson(v));
    return out;
  }
  if (auto v = node.value<std::string>(); v && node.is_string()) return *v;
  if (node.is_integer()) return *node.value<std::int64_t>();
  if (node.is_floating_point()) return *node.value<double>();
  if (node.is_boolean()) return *node.value<bool>();
  std::ostringstream text;  // dates and times: their TOML text
  if (auto* d = node.as_date()) text << d->get();
  else if (auto* t = node.as_time()) text << t->get();
  else if (auto* dt = node.as_date_time()) text << dt->get();
  return text.str();
}

Error WrongType(const std::string& path, const std::string& key, const char* want) {
  return InvalidArgument(path + ": `" + key + "` must be " + want);
}

Status ReadStrings(const toml::table& root, const std::string& path, WranglerConfig& c) {
  auto str = [&](const char* key, std::string& out) -> Status {
    const toml::node* n = root.get(key);
    if (!n) return Ok();
    if (!n->is_string()) return Fail(WrongType(path, key, "a string"));
    out = *n->value<std::string>();
    return Ok();
  };
  BLAZE_TRY_VOID(str("name", c.name));
  BLAZE_TRY_VOID(str("main", c.main));
  return str("compatibility_date", c.compatibility_date);
}

Status ReadRoutes(const toml::table& root, const std::string& path, WranglerConfig& c) {
  auto add = [&](const toml::node& n) -> Status {
    if (n.is_string()) {
      c.routes.push_back(*n.value<std::string>());
    } else if (auto* t = n.as_table(); t && (*t)["pattern"].is_string()) {
      c.routes.push_back(*(*t)["pattern"].value<std::string>());
    } else {
      return Fail(WrongType(path, "routes", "strings or tables with a `pattern`"));
    }
    return Ok();
  };
  if (const toml::node* r = root.get("route")) BLAZE_TRY_VOID(add(*r));
  if (const toml::node* rs = root.get("routes")) {
    auto* arr = rs->as_array();
    if (!arr) return Fail(WrongType(path, "routes", "an array"));
    for (const auto& n : *arr) BLAZE_TRY_VOID(add(n));
  }
  return Ok();
}

Status ReadD1(const toml::table& root, const std::string& path, WranglerConfig& c) {
  const toml::node* n = root.get("d1_databases");
  if (!n) return Ok();
  auto* arr = n->as_array();
  if (!arr) return Fail(WrongType(path, "d1_databases", "an array of tables ([[d1_databases]])"));
  for (const auto& node : *arr) {
    const auto* t = node.as_table();
    if (!t) return Fail(WrongType(path, "d1_databases", "an array of tables ([[d1_databases]])"));
    D1Binding b;
    b.binding = (*t)["binding"].value_or(std::string());
    b.database_name = (*t)["database_name"].value_or(std::string());
    b.database_id = (*t)["database_id"].value_or(std::string());
    b.migrations_dir = (*t)["migrations_dir"].value_or(std::string("migrations"));
    if (b.database_name.empty()) {
      return Fail(InvalidArgument(path + ": a [[d1_databases]] entry" +
                                  (b.binding.empty() ? "" : " (binding " + b.binding + ")") +
                                  " has no database_name"));
    }
    c.d1_databases.push_back(std::move(b));
  }
  return Ok();
}

// Each table of the array `key` ([[key]]) through `read`, which names missing fields.
template <typename T, typename Read>
Status ReadTables(const toml::table& root, const std::string& path, const char* key,
                  std::vector<T>& out, Read read) {
  const toml::node* n = root.get(key);
  if (!n) return Ok();
  std::string want = std::string("an array of tables ([[") + key + "]])";
  auto* arr = n->as_array();
  if (!arr) return Fail(WrongType(path, key, want.c_str()));
  for (const auto& node : *arr) {
    const auto* t = node.as_table();
    if (!t) return Fail(WrongType(path, key, want.c_str()));
    for (const auto& [k, v] : *t) {
      if (!v.is_string()) {
        return Fail(WrongType(path, std::string(key) + "." + std::string(k.str()), "a string"));
      }
    }
    T b;
    auto field = [&](const char* name) { return (*t)[name].value_or(std::string()); };
    b.binding = field("binding");
    if (b.binding.empty()) {
      return Fail(InvalidArgument(path + ": a [[" + key + "]] entry has no `binding`"));
    }
    std::string missing = read(field, b);
    if (!missing.empty()) {
      return Fail(InvalidArgument(path + ": the [[" + key + "]] entry for binding " + b.binding +
                                  " has no `" + missing + "`"));
    }
    out.push_back(std::move(b));
  }
  return Ok();
}

Status ReadBindings(const toml::table& root, const std::string& path, WranglerConfig& c) {
  BLAZE_TRY_VOID(ReadTables(root, path, "kv_namespaces", c.kv_namespaces, [](auto f, KvBinding& b) {
    b.id = f("id");
    b.preview_id = f("preview_id");
    return b.id.empty() ? "id" : "";
  }));
  BLAZE_TRY_VOID(ReadTables(root, path, "r2_buckets", c.r2_buckets, [](auto f, R2Binding& b) {
    b.bucket_name = f("bucket_name");
    return b.bucket_name.empty() ? "bucket_name" : "";
  }));
  BLAZE_TRY_VOID(ReadTables(root, path, "services", c.services, [](auto f, ServiceBinding& b) {
    b.service = f("service");
    b.environment = f("environment");
    b.entrypoint = f("entrypoint");
    return b.service.empty() ? "service" : "";
  }));
  return ReadTables(root, path, "analytics_engine_datasets", c.analytics_engine_datasets,
                    [](auto f, AnalyticsBinding& b) {
                      b.dataset = f("dataset");
                      if (b.dataset.empty()) b.dataset = b.binding;
                      return "";
                    });
}

// [triggers] crons = ["..."]: each expression parsed, so a bad one fails here, not at deploy.
Status ReadTriggers(const toml::table& root, const std::string& path, WranglerConfig& c) {
  const toml::node* n = root.get("triggers");
  if (!n) return Ok();
  const auto* t = n->as_table();
  if (!t) return Fail(WrongType(path, "triggers", "a table ([triggers])"));
  c.crons.clear();
  const toml::node* crons = t->get("crons");
  if (!crons) return Ok();
  const auto* arr = crons->as_array();
  if (!arr) return Fail(WrongType(path, "triggers.crons", "an array of strings"));
  for (const auto& v : *arr) {
    if (!v.is_string()) return Fail(WrongType(path, "triggers.crons", "an array of strings"));
    auto schedule = CronSchedule::Parse(*v.value<std::string>());
    if (!schedule.has_value()) return Fail(schedule.error().WithContext(path + ": triggers.crons"));
    c.crons.push_back(schedule->expression());
  }
  return Ok();
}

// Binding tables of wrangler's format that Blaze does not implement: an array of tables
// ([[key]]), a table of arrays ([[key.sub]]) or a single table ([key]).
struct UnsupportedBinding {
  const char* key;
  const char* sub;  // nullptr: the key itself holds the binding(s)
};
constexpr UnsupportedBinding kUnsupportedBindings[] = {
    {"durable_objects", "bindings"},
    {"queues", "producers"},
    {"queues", "consumers"},
    {"hyperdrive", nullptr},
    {"vectorize", nullptr},
    {"ai", nullptr},
    {"browser", nullptr},
    {"images", nullptr},
    {"version_metadata", nullptr},
    {"mtls_certificates", nullptr},
    {"dispatch_namespaces", nullptr},
    {"send_email", nullptr},
    {"workflows", nullptr},
    {"pipelines", nullptr},
    {"secrets_store_secrets", nullptr},
    {"ratelimits", nullptr},
    {"unsafe", nullptr},
    {"tail_consumers", nullptr},
    {"wasm_modules", nullptr},
    {"text_blobs", nullptr},
    {"data_blobs", nullptr},
    {"containers", nullptr},
    {"worker_loaders", nullptr},
    {"vpc_services", nullptr},
};

// The unsupported binding tables `t` declares, as written in TOML ("[[hyperdrive]]").
void NoteUnsupportedBindings(const toml::table& t, WranglerConfig& c) {
  for (const auto& u : kUnsupportedBindings) {
    const toml::node* n = t.get(u.key);
    if (!n) continue;
    std::string name = u.key;
    if (u.sub) {
      const auto* sub_table = n->as_table();
      if (!sub_table || !sub_table->get(u.sub)) continue;
      name += std::string(".") + u.sub;
      n = sub_table->get(u.sub);
    }
    c.unsupported_bindings.push_back(n->is_array() ? "[[" + name + "]]" : "[" + name + "]");
  }
}

// Every key this file understands, read from `t` (the top level or one [env.E] table) into `c`;
// `where` names the table in errors.
Status ReadTable(const toml::table& t, const std::string& where, WranglerConfig& c) {
  BLAZE_TRY_VOID(ReadStrings(t, where, c));
  if (const toml::node* vars = t.get("vars")) {
    auto* vt = vars->as_table();
    if (!vt) return Fail(WrongType(where, "vars", "a table ([vars])"));
    for (const auto& [k, v] : *vt) {
      if (v.is_string()) {
        c.vars.push_back({std::string(k.str()), Var::Kind::kText, *v.value<std::string>()});
      } else {
        c.vars.push_back({std::string(k.str()), Var::Kind::kJson, ToJson(v).dump()});
      }
    }
  }
  if (const toml::node* limits = t.get("limits")) {
    const toml::node* cpu = limits->is_table() ? limits->as_table()->get("cpu_ms") : nullptr;
    if (cpu) {
      if (!cpu->is_integer() || *cpu->value<std::int64_t>() <= 0) {
        return Fail(WrongType(where, "limits.cpu_ms", "a positive integer"));
      }
      c.cpu_ms = static_cast<int>(*cpu->value<std::int64_t>());
    }
  }
  BLAZE_TRY_VOID(ReadRoutes(t, where, c));
  BLAZE_TRY_VOID(ReadTriggers(t, where, c));
  BLAZE_TRY_VOID(ReadD1(t, where, c));
  BLAZE_TRY_VOID(ReadBindings(t, where, c));
  NoteUnsupportedBindings(t, c);
  return Ok();
}

// The keys wrangler does not inherit into an environment.
constexpr const char* kNotInherited[] = {"vars",       "d1_databases", "kv_namespaces",
                                         "r2_buckets", "services",     "analytics_engine_datasets"};

// `top` (already read) overlaid with [env.<name>] per wrangler's inheritance rules.
Result<WranglerConfig> ApplyEnv(const toml::table& root, const WranglerConfig& top,
                                const std::string& name) {
  const toml::table* envs = root["env"].as_table();
  const toml::table* t = envs ? (*envs)[name].as_table() : nullptr;
  if (!t) {
    // wrangler's words, so scripts and people recognise it.
    std::string available;
    for (const auto& e : top.available_envs) available += (available.empty() ? "" : ", ") + e;
    return Fail(InvalidArgument(
        "No environment found in configuration with name \"" + name + "\". Before using `--env=" +
        name + "` there should be an equivalent environment section ([env." + name + "]) in " +
        top.path +
        (available.empty() ? " (it has no [env.<name>] sections)"
                           : " (available: " + available + ")")));
  }
  WranglerConfig c;
  c.path = top.path;
  c.dir = top.dir;
  c.env = name;
  c.available_envs = top.available_envs;
  c.main = top.main;
  c.compatibility_date = top.compatibility_date;
  c.cpu_ms = top.cpu_ms;
  c.crons = top.crons;
  if (!t->contains("route") && !t->contains("routes")) c.routes = top.routes;
  BLAZE_TRY_VOID(ReadTable(*t, top.path + " [env." + name + "]", c));
  if (!t->contains("name") && !top.name.empty()) c.name = top.name + "-" + name;
  for (const char* key : kNotInherited) {
    if (root.contains(key) && !t->contains(key)) {
      std::string k = "\"" + std::string(key) + "\"";
      c.warnings.push_back(k + " exists at the top level, but not on \"env." + name + "\": " + k +
                           " is not inherited by environments, so this one has none; add " + k +
                           " to [env." + name + "] if it needs them");
    }
  }
  return c;
}

}  // namespace

Status RefuseUnsupportedBindings(const WranglerConfig& config) {
  if (config.unsupported_bindings.empty()) return Ok();
  std::string names;
  for (const auto& n : config.unsupported_bindings) names += (names.empty() ? "" : ", ") + n;
  std::string where = config.path + (config.env.empty() ? "" : " [env." + config.env + "]");
  return Fail(InvalidArgument(
      where + ": " + names + (config.unsupported_bindings.size() == 1 ? " is a binding" : " are bindings") +
      " Blaze does not support; a worker can bind [vars], [[d1_databases]], [[kv_namespaces]], "
      "[[r2_buckets]], [[services]] and [[analytics_engine_datasets]]. Remove it to deploy."));
}

const D1Binding* WranglerConfig::FindD1(const std::string& name) const {
  for (const auto& b : d1_databases) {
    if (b.binding == name || b.database_name == name) return &b;
  }
  return nullptr;
}

Result<WranglerConfig> LoadWranglerConfig(const std::string& path,
                                          const std::optional<std::string>& env) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Fail(NotFound("config file " + path + " not found"));
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {  // the edge where toml++'s exceptions become values
    std::ostringstream msg;
    msg << path << ":" << e.source().begin.line << ":" << e.source().begin.column << ": "
        << e.description();
    return Fail(InvalidArgument(msg.str()));
  }
  WranglerConfig c;
  c.path = path;
  c.dir = std::filesystem::path(path).parent_path().string();
  if (c.dir.empty()) c.dir = ".";
  if (const toml::node* envs = root.get("env")) {
    if (!envs->is_table()) {
      return Fail(WrongType(path, "env", "a table of environments ([env.<name>])"));
    }
    for (const auto& [k, v] : *envs->as_table()) c.available_envs.emplace_back(k.str());
    std::sort(c.available_envs.begin(), c.available_envs.end());
  }
  BLAZE_TRY_VOID(ReadTable(root, path, c));
  if (!env.has_value()) return c;
  return ApplyEnv(root, c, *env);
}

Result<std::optional<WranglerConfig>> FindWranglerConfig(const std::string& explicit_path,
                                                         const std::optional<std::string>& env) {
  std::error_code ec;
  if (explicit_path.empty() && !std::filesystem::exists("wrangler.toml", ec)) {
    return std::optional<WranglerConfig>();
  }
  BLAZE_TRY(auto c, LoadWranglerConfig(explicit_path.empty() ? "wrangler.toml" : explicit_path, env));
  return std::optional<WranglerConfig>(std::move(c));
}

}  // namespace blaze::config
