#include "blaze/control/deploy_config.h"

#include <map>
#include <span>
#include <type_traits>

#include "blaze/base/cron.h"

namespace blaze::control {
namespace {

using nlohmann::json;

json VarToJson(const config::Var& v) {
  return {{"name", v.name},
          {"kind", v.kind == config::Var::Kind::kText ? "text" : "json"},
          {"value", v.value}};
}

// One string member of a binding and its JSON key.
template <typename T>
struct Field {
  const char* key;
  std::string T::*member;
};

constexpr Field<config::D1Binding> kD1Fields[] = {
    {"binding", &config::D1Binding::binding},
    {"database_name", &config::D1Binding::database_name},
    {"database_id", &config::D1Binding::database_id},
    {"migrations_dir", &config::D1Binding::migrations_dir}};
constexpr Field<config::KvBinding> kKvFields[] = {{"binding", &config::KvBinding::binding},
                                                  {"id", &config::KvBinding::id},
                                                  {"preview_id", &config::KvBinding::preview_id}};
constexpr Field<config::R2Binding> kR2Fields[] = {
    {"binding", &config::R2Binding::binding}, {"bucket_name", &config::R2Binding::bucket_name}};
constexpr Field<config::ServiceBinding> kServiceFields[] = {
    {"binding", &config::ServiceBinding::binding},
    {"service", &config::ServiceBinding::service},
    {"environment", &config::ServiceBinding::environment},
    {"entrypoint", &config::ServiceBinding::entrypoint}};
constexpr Field<config::AnalyticsBinding> kAnalyticsFields[] = {
    {"binding", &config::AnalyticsBinding::binding},
    {"dataset", &config::AnalyticsBinding::dataset}};

// Calls visit(key, bindings, fields) for each kind of binding, in BindingNames' order; one
// table serves writing, reading and naming, so they cannot drift apart.
template <typename Config, typename Visit>
void ForEachBindingKind(Config& c, Visit&& visit) {
  visit("d1_databases", c.d1_databases, std::span(kD1Fields));
  visit("kv_namespaces", c.kv_namespaces, std::span(kKvFields));
  visit("r2_buckets", c.r2_buckets, std::span(kR2Fields));
  visit("services", c.services, std::span(kServiceFields));
  visit("analytics_engine_datasets", c.analytics_engine_datasets, std::span(kAnalyticsFields));
}

json BindingsToJson(const DeployConfig& c) {
  json out = json::object();
  ForEachBindingKind(c, [&](const char* key, const auto& bindings, auto fields) {
    json list = json::array();
    for (const auto& b : bindings) {
      json item = json::object();
      for (const auto& f : fields) item[f.key] = b.*f.member;
      list.push_back(std::move(item));
    }
    out[key] = std::move(list);
  });
  return out;
}

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Field by field, so a field added to a binding struct later reads as its default (so does an
// empty one: D1's migrations_dir keeps "migrations").
void BindingsFromJson(const json& bindings, DeployConfig& c) {
  ForEachBindingKind(c, [&](const char* key, auto& out, auto fields) {
    auto it = bindings.find(key);
    if (it == bindings.end() || !it->is_array()) return;
    for (const auto& x : *it) {
      typename std::remove_reference_t<decltype(out)>::value_type b;
      for (const auto& f : fields) {
        if (std::string v = Str(x, f.key); !v.empty()) b.*f.member = std::move(v);
      }
      out.push_back(std::move(b));
    }
  });
}

}  // namespace

DeployConfig DeployConfigFromWrangler(const config::WranglerConfig& w) {
  DeployConfig c;
  c.compatibility_date = w.compatibility_date;
  c.vars = w.vars;
  c.d1_databases = w.d1_databases;
  c.kv_namespaces = w.kv_namespaces;
  c.r2_buckets = w.r2_buckets;
  c.services = w.services;
  c.analytics_engine_datasets = w.analytics_engine_datasets;
  c.routes = w.routes;
  c.crons = w.crons;
  c.cpu_ms = w.cpu_ms;
  return c;
}

std::vector<std::string> BindingNames(const DeployConfig& c) {
  std::vector<std::string> names;
  for (const auto& v : c.vars) names.push_back(v.name);
  ForEachBindingKind(c, [&](const char*, const auto& bindings, auto) {
    for (const auto& b : bindings) names.push_back(b.binding);
  });
  return names;
}

Status ValidateDeployConfig(const DeployConfig& c) {
  for (const auto& cron : c.crons) BLAZE_TRY_VOID(CronSchedule::Parse(cron));
  if (c.cpu_ms && *c.cpu_ms <= 0) {
    return Fail(InvalidArgument("cpu_ms must be a positive integer (got " +
                                std::to_string(*c.cpu_ms) + ")"));
  }
  std::map<std::string, int> seen;
  for (const auto& name : BindingNames(c)) {
    if (name.empty()) return Fail(InvalidArgument("a var or binding has an empty name"));
    if (++seen[name] == 2) {
      return Fail(InvalidArgument("the name '" + name +
                                  "' is used by more than one var or binding; each binding "
                                  "needs its own name"));
    }
  }
  return Ok();
}

nlohmann::json DeployConfigToJson(const DeployConfig& c) {
  json vars = json::array();
  for (const auto& v : c.vars) vars.push_back(VarToJson(v));
  json out = {{"compatibility_date", c.compatibility_date},
              {"vars", vars},
              {"bindings", BindingsToJson(c)},
              {"routes", c.routes},
              {"crons", c.crons}};
  out["cpu_ms"] = c.cpu_ms ? json(*c.cpu_ms) : json(nullptr);
  return out;
}

Result<DeployConfig> DeployConfigFromJson(const nlohmann::json& j) {
  auto bad = [](const std::string& what) {
    return Fail(DataLoss("stored deploy config is malformed: " + what));
  };
  if (!j.is_object()) return bad("not an object");
  DeployConfig c;
  c.compatibility_date = Str(j, "compatibility_date");
  try {  // nlohmann's type errors end here
    for (const auto& v : j.value("vars", json::array())) {
      config::Var var;
      var.name = Str(v, "name");
      var.kind = Str(v, "kind") == "json" ? config::Var::Kind::kJson : config::Var::Kind::kText;
      var.value = Str(v, "value");
      c.vars.push_back(std::move(var));
    }
    for (const auto& r : j.value("routes", json::array())) c.routes.push_back(r.get<std::string>());
    for (const auto& r : j.value("crons", json::array())) c.crons.push_back(r.get<std::string>());
    if (j.contains("cpu_ms") && j["cpu_ms"].is_number_integer()) c.cpu_ms = j["cpu_ms"].get<int>();
  } catch (const json::exception& e) {
    return bad(e.what());
  }
  json b = j.value("bindings", json::object());
  if (!b.is_object()) return bad("bindings is not an object");
  BindingsFromJson(b, c);
  return c;
}

}  // namespace blaze::control
