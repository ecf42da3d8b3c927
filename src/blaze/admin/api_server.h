// ApiServer: the admin API of `blaze serve` (docs/admin-api.md) — deploys, versions,
// deployments, rollbacks, secrets, tokens, the audit log, the d1/kv/r2 verbs and tail — on its
// own port, loopback by default, with its own event loop (an http::Server of `threads` cores)
// and a small worker pool for what may block (Runtime::Check/Probe/Refresh, exec, watch).
//
//   auto api = admin::ApiServer::Start({.control = &cp, .runtime = &platform, .data_dir = dir,
//                                       .blaze_binary = "/proc/self/exe", .version = "0.1.0"});
//   if (!api) return api.error();
//   ...
//   (*api)->Stop();  // or let it go out of scope
//
// Stop: new requests answer 503, running watches end early (evaluated as if their window had
// closed), running exec verbs are killed, tail streams end, the pool is joined, then the HTTP
// server drains and its threads are joined. Call it before destroying the Runtime or the
// ControlPlane. Errors: those of http::Server::Start (Unavailable when the port is taken,
// InvalidArgument for a bad address).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "blaze/admin/runtime.h"
#include "blaze/base/result.h"
#include "blaze/control/control_plane.h"

namespace blaze::admin {

struct ApiOptions {
  control::ControlPlane* control = nullptr;  // not owned
  Runtime* runtime = nullptr;                // not owned
  std::string data_dir;
  std::string blaze_binary;  // runs /api/v1/exec verbs (the server passes /proc/self/exe)
  std::string version;       // reported by /api/v1/health
  std::string ip = "127.0.0.1";
  std::uint16_t port = 8788;  // 0: any free port
  int threads = 1;
};

struct ApiTuning;

class ApiServer {
 public:
  static Result<std::unique_ptr<ApiServer>> Start(ApiOptions options);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  std::uint16_t port() const;
  void Stop();  // also from the destructor

 private:
  struct Impl;
  explicit ApiServer(std::unique_ptr<Impl> impl);
  friend Result<std::unique_ptr<ApiServer>> StartApiServer(ApiOptions options, ApiTuning tuning);

  std::unique_ptr<Impl> impl_;
};

}  // namespace blaze::admin
