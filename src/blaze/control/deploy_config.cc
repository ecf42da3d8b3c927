#include "blaze/control/deploy_config.h"

#include <map>

#include "blaze/base/cron.h"

namespace blaze::control {
namespace {

using nlohmann::json;

json VarToJson(const config::Var& v) {
  return {{"name", v.name},
          {"kind", v.kind == config::Var::Kind::kText ? "text" : "json"},
          {"value", v.value}};
}

json BindingsToJson(const DeployConfig& c) {
  json out = json::object();
  json d1 = json::array(), kv = json::array(), r2 = json::array(), svc = json::array(),
       ae = json::array();
  for (const auto& b : c.d1_databases) {
    d1.push_back({{"binding", b.binding},
                  {"database_name", b.database_name},
                  {"database_id", b.database_id},
                  {"migrations_dir", b.migrations_dir}});
  }
  for (const auto& b : c.kv_namespaces) {
    kv.push_back({{"binding", b.binding}, {"id", b.id}, {"preview_id", b.preview_id}});
  }
  for (const auto& b : c.r2_buckets) {
    r2.push_back({{"binding", b.binding}, {"bucket_name", b.bucket_name}});
  }
  for (const auto& b : c.services) {
    svc.push_back({{"binding", b.binding},
                   {"service", b.service},
                   {"environment", b.environment},
                   {"entrypoint", b.entrypoint}});
  }
  for (const auto& b : c.analytics_engine_datasets) {
    ae.push_back({{"binding", b.binding}, {"dataset", b.dataset}});
  }
  out["d1_databases"] = d1;
  out["kv_namespaces"] = kv;
  out["r2_buckets"] = r2;
  out["services"] = svc;
  out["analytics_engine_datasets"] = ae;
  return out;
}

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

template <typename T, typename Read>
void ReadArray(const json& bindings, const char* key, std::vector<T>& out, Read read) {
  auto it = bindings.find(key);
  if (it == bindings.end() || !it->is_array()) return;
  for (const auto& j : *it) out.push_back(read(j));
}

}  // namespace

bool DeployConfig::operator==(const DeployConfig& o) const {
  return DeployConfigToJson(*this) == DeployConfigToJson(o);
}

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
  for (const auto& b : c.d1_databases) names.push_back(b.binding);
  for (const auto& b : c.kv_namespaces) names.push_back(b.binding);
  for (const auto& b : c.r2_buckets) names.push_back(b.binding);
  for (const auto& b : c.services) names.push_back(b.binding);
  for (const auto& b : c.analytics_engine_datasets) names.push_back(b.binding);
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
  // Field by field, so a field added to a binding struct later reads as its default.
  ReadArray(b, "d1_databases", c.d1_databases, [](const json& x) {
    config::D1Binding d;
    d.binding = Str(x, "binding");
    d.database_name = Str(x, "database_name");
    d.database_id = Str(x, "database_id");
    if (auto dir = Str(x, "migrations_dir"); !dir.empty()) d.migrations_dir = dir;
    return d;
  });
  ReadArray(b, "kv_namespaces", c.kv_namespaces, [](const json& x) {
    config::KvBinding k;
    k.binding = Str(x, "binding");
    k.id = Str(x, "id");
    k.preview_id = Str(x, "preview_id");
    return k;
  });
  ReadArray(b, "r2_buckets", c.r2_buckets, [](const json& x) {
    config::R2Binding r;
    r.binding = Str(x, "binding");
    r.bucket_name = Str(x, "bucket_name");
    return r;
  });
  ReadArray(b, "services", c.services, [](const json& x) {
    config::ServiceBinding s;
    s.binding = Str(x, "binding");
    s.service = Str(x, "service");
    s.environment = Str(x, "environment");
    s.entrypoint = Str(x, "entrypoint");
    return s;
  });
  ReadArray(b, "analytics_engine_datasets", c.analytics_engine_datasets, [](const json& x) {
    config::AnalyticsBinding a;
    a.binding = Str(x, "binding");
    a.dataset = Str(x, "dataset");
    return a;
  });
  return c;
}

}  // namespace blaze::control
