// WranglerConfig: a worker project's wrangler.toml — the same file Cloudflare reads, so a project
// moves over unchanged. Today: name, main, compatibility_date, [vars], [limits] cpu_ms, routes
// and [[d1_databases]]; environments ([env.E]) and the other binding types come with the
// bindings and control-plane issues.
//
// Errors: NotFound (the file), InvalidArgument with "path:line:column: message" for TOML syntax
// and with the key's name for a wrong type or a missing required key.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "blaze/base/result.h"

namespace blaze::config {

struct Var {
  enum class Kind { kText, kJson };
  std::string name;
  Kind kind = Kind::kText;
  std::string value;  // the text, or a JSON document for tables, arrays, numbers and booleans
};

struct D1Binding {
  std::string binding;
  std::string database_name;
  std::string database_id;
  std::string migrations_dir = "migrations";  // relative to the config file's folder
};

struct WranglerConfig {
  std::string path;  // the file read
  std::string dir;   // its folder: the project root
  std::string name;
  std::string main;  // relative to dir
  std::string compatibility_date;
  std::vector<Var> vars;
  std::optional<int> cpu_ms;        // [limits] cpu_ms
  std::vector<std::string> routes;  // route / routes patterns
  std::vector<D1Binding> d1_databases;

  // The binding whose `binding` or `database_name` is `name`.
  const D1Binding* FindD1(const std::string& name) const;
};

// Reads and validates `path`.
Result<WranglerConfig> LoadWranglerConfig(const std::string& path);

// `explicit_path`, or ./wrangler.toml when empty (nullopt if there is none).
Result<std::optional<WranglerConfig>> FindWranglerConfig(const std::string& explicit_path);

}  // namespace blaze::config
