#include "blaze/cli/project_config.h"

#include <toml++/toml.h>

#include <filesystem>
#include <sstream>

namespace blaze::cli {

const D1Binding* ProjectConfig::FindD1(const std::string& name) const {
  for (const auto& b : d1_databases) {
    if (b.binding == name || b.database_name == name) return &b;
  }
  return nullptr;
}

Result<std::optional<ProjectConfig>> LoadProjectConfig(const std::string& explicit_path) {
  std::string path = explicit_path.empty() ? "wrangler.toml" : explicit_path;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    if (explicit_path.empty()) return std::optional<ProjectConfig>();
    return Fail(NotFound("config file " + path + " not found"));
  }
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << path << ":" << e.source().begin.line << ":" << e.source().begin.column << ": "
        << e.description();
    return Fail(InvalidArgument(msg.str()));
  }
  ProjectConfig config;
  config.path = path;
  config.dir = std::filesystem::path(path).parent_path().string();
  if (config.dir.empty()) config.dir = ".";
  if (auto* arr = root["d1_databases"].as_array()) {
    for (const auto& node : *arr) {
      const auto* t = node.as_table();
      if (!t) return Fail(InvalidArgument(path + ": d1_databases entries must be tables"));
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
      config.d1_databases.push_back(std::move(b));
    }
  }
  return std::optional<ProjectConfig>(std::move(config));
}

}  // namespace blaze::cli
