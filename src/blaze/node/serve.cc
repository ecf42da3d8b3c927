// `blaze serve`: the control plane of the data directory, the data port (ServePlatform) and the
// admin API (admin::ApiServer) over it, until SIGINT/SIGTERM.
#include <filesystem>
#include <iostream>

#include "blaze/admin/api_server.h"
#include "blaze/base/log.h"
#include "blaze/control/control_plane.h"
#include "blaze/control/crypto.h"
#include "blaze/node/dev_server.h"
#include "blaze/node/platform.h"
#include "blaze/node/run_loop.h"
#include "blaze/runtime/engine/js_process.h"

namespace blaze::node {
namespace {

std::string SelfPath() {
  std::error_code ec;
  auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("blaze") : path.string();
}

}  // namespace

Status RunServe(const ServeOptions& options) {
  SystemClock clock;
  Random random;
  control::OsSecureRandom secure_random;
  control::ControlPlaneOptions cp;
  cp.data_dir = options.data_dir;
  cp.clock = &clock;
  cp.random = &random;
  cp.secure_random = &secure_random;
  BLAZE_TRY(auto control, control::ControlPlane::Open(cp));
  BLAZE_TRY(auto issued, control->EnsureAdminToken());
  if (issued) {
    std::cout << "Admin token: "
              << (std::filesystem::path(options.data_dir) / "admin.token").string() << std::endl;
  }

  BLAZE_TRY(auto process, engine::JsProcess::Start());
  PlatformOptions po;
  po.control = control.get();
  po.process = process.get();
  po.data_dir = options.data_dir;
  po.listen = options.listen;
  BLAZE_TRY(auto platform, ServePlatform::Start(std::move(po)));
  BLAZE_TRY_VOID(platform->Refresh());

  admin::ApiOptions api_options;
  api_options.control = control.get();
  api_options.runtime = platform.get();
  // Absolute: the API runs d1/kv/r2 verbs as child processes in their own temporary folders.
  std::error_code ec;
  api_options.data_dir = std::filesystem::absolute(options.data_dir, ec).lexically_normal().string();
  if (ec) return Fail(InvalidArgument("--data-dir " + options.data_dir + ": " + ec.message()));
  api_options.blaze_binary = SelfPath();
  api_options.version = options.version;
  api_options.ip = options.admin_ip;
  api_options.port = options.admin_port;
  BLAZE_TRY(auto api, admin::ApiServer::Start(std::move(api_options)));

  log::Info("serve.ready", {{"address", platform->address()},
                            {"port", static_cast<int>(platform->port())},
                            {"admin_port", static_cast<int>(api->port())},
                            {"cores", platform->core_count()},
                            {"data_dir", options.data_dir}});
  std::cout << "Blaze serving " << options.data_dir << " on http://" << platform->address() << ":"
            << platform->port() << " (" << platform->core_count() << " cores); admin API on http://"
            << options.admin_ip << ":" << api->port() << std::endl;
  RunUntilSignal(std::chrono::hours(1), {});
  api->Stop();       // no more deploys or probes...
  platform->Stop();  // ...then drain the data port
  return Ok();
}

}  // namespace blaze::node
