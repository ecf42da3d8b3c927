// WranglerConfig: a worker project's wrangler.toml — the same file Cloudflare reads, so a project
// moves over unchanged: name, main, compatibility_date, [vars], [limits] cpu_ms, routes and the
// bindings [[d1_databases]], [[kv_namespaces]], [[r2_buckets]], [[services]] and
// [[analytics_engine_datasets]], [triggers] crons, and environments ([env.E]).
//
// Environments follow wrangler's inheritance rules: with `env` = "staging" the result is the
// top level overlaid with [env.staging]. main, compatibility_date, routes, [triggers] and
// [limits] are inherited unless the environment sets them; vars and bindings (d1_databases,
// kv_namespaces, r2_buckets, services, analytics_engine_datasets) are NOT inherited: an
// environment that wants them redeclares them (a warning names each one left behind, as
// wrangler's does). The worker's name becomes "<name>-<env>" unless the environment sets `name`.
//
// Errors: NotFound (the file), InvalidArgument with "path:line:column: message" for TOML syntax,
// with the key's name for a wrong type or a missing required key, with the expression for a bad
// cron, and for an unknown `env` with wrangler's words ("No environment found in configuration
// with name \"nope\"...") and the available environments.
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

  bool operator==(const Var&) const = default;
};

struct D1Binding {
  std::string binding;
  std::string database_name;
  std::string database_id;
  std::string migrations_dir = "migrations";  // relative to the config file's folder

  bool operator==(const D1Binding&) const = default;
};

struct KvBinding {
  std::string binding;
  std::string id;  // the namespace id; under `blaze dev` the local namespace of that id
  std::string preview_id;

  bool operator==(const KvBinding&) const = default;
};

struct R2Binding {
  std::string binding;
  std::string bucket_name;

  bool operator==(const R2Binding&) const = default;
};

struct ServiceBinding {
  std::string binding;
  std::string service;      // the worker called
  std::string environment;  // optional
  std::string entrypoint;   // optional (named entrypoints are not supported yet)

  bool operator==(const ServiceBinding&) const = default;
};

struct AnalyticsBinding {
  std::string binding;
  std::string dataset;  // defaults to the binding name, as on Cloudflare

  bool operator==(const AnalyticsBinding&) const = default;
};

struct WranglerConfig {
  std::string path;  // the file read
  std::string dir;   // its folder: the project root
  std::string name;
  std::string env;   // the [env.E] applied; empty for the top level
  std::string main;  // relative to dir
  std::string compatibility_date;
  std::vector<Var> vars;
  std::optional<int> cpu_ms;        // [limits] cpu_ms
  std::vector<std::string> routes;  // route / routes patterns
  std::vector<std::string> crons;   // [triggers] crons, each a valid base/cron.h expression
  std::vector<D1Binding> d1_databases;
  std::vector<KvBinding> kv_namespaces;
  std::vector<R2Binding> r2_buckets;
  std::vector<ServiceBinding> services;
  std::vector<AnalyticsBinding> analytics_engine_datasets;
  std::vector<std::string> available_envs;  // the names of the file's [env.*] sections, sorted
  std::vector<std::string> warnings;        // e.g. a top-level binding an environment left out
  // Binding tables of wrangler's format Blaze does not implement, as written: "[[hyperdrive]]",
  // "[[queues.producers]]", "[ai]" (read from the table applied: the top level or [env.E]).
  // `blaze dev` runs without them; RefuseUnsupportedBindings turns them into an error (deploy).
  std::vector<std::string> unsupported_bindings;

  // The binding whose `binding` or `database_name` is `name`.
  const D1Binding* FindD1(const std::string& name) const;
};

// InvalidArgument naming every entry of `config.unsupported_bindings` (Ok when there is none).
Status RefuseUnsupportedBindings(const WranglerConfig& config);

// Reads and validates `path`, with the environment `env` applied when given.
Result<WranglerConfig> LoadWranglerConfig(const std::string& path,
                                          const std::optional<std::string>& env = std::nullopt);

// `explicit_path`, or ./wrangler.toml when empty (nullopt if there is none).
Result<std::optional<WranglerConfig>> FindWranglerConfig(
    const std::string& explicit_path, const std::optional<std::string>& env = std::nullopt);

}  // namespace blaze::config
