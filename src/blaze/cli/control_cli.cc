#include "blaze/cli/control_cli.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <ostream>

namespace blaze::cli {
namespace {

std::string Dash(const std::string& s) { return s.empty() ? "-" : s; }

std::string DeploymentSourceLabel(const std::string& source) {
  if (source == "deploy") return "Upload";
  if (source == "rollback") return "Rollback";
  if (source == "secret") return "Secret Change";
  return Dash(source);
}

std::string VersionSourceLabel(const std::string& source) {
  if (source == "upload") return "Upload";
  if (source == "secret") return "Secret Change";
  return Dash(source);
}

std::string FormatShare(const Json& share) {
  double p = share.contains("percentage") && share["percentage"].is_number()
                 ? share["percentage"].get<double>()
                 : 100.0;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", p);
  std::string text = buf;
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return "(" + text + "%)";
}

const char* kRule = "------------------------------------------------------------";

}  // namespace

void AddWorkerFlags(CLI::App& cmd, WorkerFlags& flags) {
  cmd.add_option("--name", flags.name, "The worker's name (default: wrangler.toml's `name`)");
  cmd.add_option("-e,--env", flags.env, "The wrangler.toml environment ([env.<name>])");
}

Result<std::string> ResolveWorkerName(CliContext& ctx, const std::string& positional,
                                      const WorkerFlags& flags) {
  if (!positional.empty()) return positional;
  if (!flags.name.empty()) return flags.env.empty() ? flags.name : flags.name + "-" + flags.env;
  BLAZE_TRY(auto project, ctx.ProjectFor(flags.env));
  if (!project) {
    return Fail(InvalidArgument(
        "which worker? Name it (e.g. `--name my-worker`), or run this in a project folder whose "
        "wrangler.toml sets `name` (or point -c at one)"));
  }
  if (project->name.empty()) {
    return Fail(InvalidArgument(project->path +
                                " has no `name`: set name = \"my-worker\" there or pass --name"));
  }
  return project->name;
}

std::string WorkerPath(const std::string& worker, const std::string& rest) {
  return "/api/v1/workers/" + PathSegment(worker) + rest;
}

std::string Str(const Json& j, const char* key, const std::string& fallback) {
  if (!j.is_object()) return fallback;
  auto it = j.find(key);
  if (it == j.end() || !it->is_string() || it->get<std::string>().empty()) return fallback;
  return it->get<std::string>();
}

void PrintBindings(std::ostream& out, const control::DeployConfig& c) {
  bool any = !c.vars.empty() || !c.d1_databases.empty() || !c.kv_namespaces.empty() ||
             !c.r2_buckets.empty() || !c.services.empty() || !c.analytics_engine_datasets.empty();
  if (!any) {
    out << "No bindings found.\n";
    return;
  }
  out << "Your Worker has access to the following bindings:\n";
  if (!c.d1_databases.empty()) {
    out << "- D1 Databases:\n";
    for (const auto& b : c.d1_databases) {
      out << "  - " << b.binding << ": " << b.database_name
          << (b.database_id.empty() ? "" : " (" + b.database_id + ")") << "\n";
    }
  }
  if (!c.kv_namespaces.empty()) {
    out << "- KV Namespaces:\n";
    for (const auto& b : c.kv_namespaces) out << "  - " << b.binding << ": " << b.id << "\n";
  }
  if (!c.r2_buckets.empty()) {
    out << "- R2 Buckets:\n";
    for (const auto& b : c.r2_buckets) out << "  - " << b.binding << ": " << b.bucket_name << "\n";
  }
  if (!c.services.empty()) {
    out << "- Services:\n";
    for (const auto& b : c.services) {
      out << "  - " << b.binding << ": " << b.service
          << (b.environment.empty() ? "" : " - " + b.environment) << "\n";
    }
  }
  if (!c.analytics_engine_datasets.empty()) {
    out << "- Analytics Engine Datasets:\n";
    for (const auto& b : c.analytics_engine_datasets) {
      out << "  - " << b.binding << ": " << b.dataset << "\n";
    }
  }
  if (!c.vars.empty()) {
    out << "- Vars:\n";
    for (const auto& v : c.vars) {
      std::string shown = v.kind == config::Var::Kind::kText ? Json(v.value).dump() : v.value;
      out << "  - " << v.name << ": " << shown << "\n";
    }
  }
}

void PrintPackageSummary(std::ostream& out, const Package& p) {
  out << "Total Upload: " << HumanBytes(static_cast<std::int64_t>(p.bytes)) << " ("
      << p.module_count << (p.module_count == 1 ? " module" : " modules") << ")\n";
  PrintBindings(out, p.config);
}

void PrintDeployment(std::ostream& out, const Json& d, const std::map<std::string, Json>& versions) {
  out << "Created:     " << Str(d, "created_at", "-") << "\n"
      << "Author:      " << Str(d, "author", "-") << "\n"
      << "Source:      " << DeploymentSourceLabel(Str(d, "source")) << "\n"
      << "Message:     " << Str(d, "message", "-") << "\n";
  const Json shares = d.contains("versions") && d["versions"].is_array() ? d["versions"] : Json::array();
  bool first = true;
  for (const auto& share : shares) {
    std::string id = Str(share, "version_id", "-");
    out << (first ? "Version(s):  " : "             ") << FormatShare(share) << " " << id << "\n";
    first = false;
    auto it = versions.find(id);
    if (it == versions.end()) continue;
    out << "                 Created:  " << Str(it->second, "created_at", "-") << "\n"
        << "                     Tag:  " << Str(it->second, "tag", "-") << "\n"
        << "                 Message:  " << Str(it->second, "message", "-") << "\n";
  }
  if (first) out << "Version(s):  -\n";
}

void PrintVersion(std::ostream& out, const Json& v, bool detailed) {
  out << "Version ID:  " << Str(v, "id", "-") << "\n"
      << "Number:      " << (v.contains("number") ? v["number"].dump() : "-") << "\n"
      << "Created:     " << Str(v, "created_at", "-") << "\n"
      << "Author:      " << Str(v, "author", "-") << "\n"
      << "Source:      " << VersionSourceLabel(Str(v, "source")) << "\n"
      << "Tag:         " << Str(v, "tag", "-") << "\n"
      << "Message:     " << Str(v, "message", "-") << "\n";
  if (!detailed) return;
  out << kRule << "\n";
  control::DeployConfig config;
  if (v.contains("config")) {
    auto parsed = control::DeployConfigFromJson(nlohmann::json::parse(v["config"].dump()));
    if (parsed.has_value()) config = *parsed;
  }
  out << "Main Module:          " << Str(v, "main_module", "-") << "\n"
      << "Compatibility Date:   " << Dash(config.compatibility_date) << "\n"
      << "CPU Limit:            "
      << (config.cpu_ms ? std::to_string(*config.cpu_ms) + " ms" : std::string("-")) << "\n";
  out << "Modules:\n";
  if (v.contains("modules") && v["modules"].is_array()) {
    for (const auto& m : v["modules"]) {
      std::int64_t size = m.contains("size") && m["size"].is_number() ? m["size"].get<std::int64_t>() : 0;
      out << "  - " << Str(m, "path", "-") << " (" << HumanBytes(size) << ")\n";
    }
  }
  out << kRule << "\n";
  PrintBindings(out, config);
  std::string secrets;
  if (v.contains("secrets") && v["secrets"].is_array()) {
    for (const auto& s : v["secrets"]) {
      if (s.is_string()) secrets += (secrets.empty() ? "" : ", ") + s.get<std::string>();
    }
  }
  out << "Secrets:              " << Dash(secrets) << "\n";
  std::string routes, crons;
  for (const auto& r : config.routes) routes += (routes.empty() ? "" : ", ") + r;
  for (const auto& c : config.crons) crons += (crons.empty() ? "" : ", ") + c;
  out << "Routes:               " << Dash(routes) << "\n"
      << "Schedules:            " << Dash(crons) << "\n";
}

Result<std::map<std::string, Json>> VersionsById(AdminClient& admin, const std::string& worker) {
  BLAZE_TRY(Json list, admin.Get(WorkerPath(worker, "/versions?limit=100")));
  std::map<std::string, Json> out;
  if (!list.is_array()) return out;
  for (auto& v : list) out[Str(v, "id")] = v;
  return out;
}

Result<int> ParseWatchWindow(const std::string& text) {
  std::size_t i = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  std::string unit = text.substr(i);
  if (i == 0 || i > 6 || (unit != "" && unit != "s" && unit != "m")) {
    return Fail(InvalidArgument("--watch takes a duration such as 60s or 5m (got \"" + text + "\")"));
  }
  int n = std::stoi(text.substr(0, i));
  int seconds = unit == "m" ? n * 60 : n;
  if (seconds <= 0 || seconds > 3600) {
    return Fail(InvalidArgument("--watch must be between 1s and 60m (got \"" + text + "\")"));
  }
  return seconds;
}

std::string Percent(double fraction) {
  if (fraction > 1.0) fraction /= 100.0;  // already a percentage
  double p = fraction * 100.0;
  char buf[32];
  if (std::fabs(p - std::round(p)) < 0.05) std::snprintf(buf, sizeof buf, "%.0f%%", std::round(p));
  else std::snprintf(buf, sizeof buf, "%.1f%%", p);
  return buf;
}

}  // namespace blaze::cli
