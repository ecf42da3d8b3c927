// The long-running modes of the binary, wired from the pieces: `blaze dev` (one worker project
// from wrangler.toml, every request whatever its Host, reloaded when its files change) and
// `blaze serve` (serve.cc: the platform over a data directory — the data port serving the
// control plane's active deployments, the admin API on the admin port; the first start writes
// <data-dir>/admin.token).
//
// Both run until SIGINT/SIGTERM, then drain in-flight requests (http::Server) and return.
// Errors: the config's, the project's (missing main, syntax errors with file:line), binding
// the port (Unavailable).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "blaze/base/result.h"

namespace blaze::node {

struct ListenOptions {
  std::string ip = "127.0.0.1";
  std::uint16_t port = 8787;
  int threads = 0;  // 0: one per core
};

struct DevOptions {
  ListenOptions listen;
  // The projects to run: the first is served on the port, the others are reachable from it
  // through service bindings (wrangler's `dev -c a.toml -c b.toml`). Empty: ./wrangler.toml.
  std::vector<std::string> config_paths;
  std::string data_dir = ".blaze";  // where bindings' resources live (created on first use)
  std::chrono::milliseconds poll_interval{250};
};

struct ServeOptions {
  ListenOptions listen;  // the data port: workers at <worker>.localhost and their routes
  std::string data_dir = ".blaze";
  std::string admin_ip = "127.0.0.1";  // the admin API: loopback unless told otherwise
  std::uint16_t admin_port = 8788;
  std::string version;  // blaze's, for the admin API's health answer
};

Status RunDev(const DevOptions& options);
Status RunServe(const ServeOptions& options);

}  // namespace blaze::node
