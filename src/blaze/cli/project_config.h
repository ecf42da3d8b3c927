// The parts of a project's wrangler.toml the CLI needs today: its D1 bindings, so a database can
// be named by binding (`DB`) or database_name, and `migrations_dir`. The full wrangler.toml
// model (workers, vars, routes, env overrides) comes with the runtime and control plane.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "blaze/base/result.h"

namespace blaze::cli {

struct D1Binding {
  std::string binding;
  std::string database_name;
  std::string database_id;
  std::string migrations_dir = "migrations";  // relative to the config file's folder
};

struct ProjectConfig {
  std::string path;  // the wrangler.toml read
  std::string dir;   // its folder
  std::vector<D1Binding> d1_databases;

  // The binding whose `binding` or `database_name` is `name`.
  const D1Binding* FindD1(const std::string& name) const;
};

// Reads `explicit_path` (which must exist) or, when empty, ./wrangler.toml if there is one.
// Errors: NotFound (explicit file missing), InvalidArgument (TOML syntax, with line and column;
// a [[d1_databases]] entry without database_name).
Result<std::optional<ProjectConfig>> LoadProjectConfig(const std::string& explicit_path);

}  // namespace blaze::cli
