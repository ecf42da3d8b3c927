// ServePlatform: `blaze serve`'s data side — the cores (an http::Server whose CoreHandlers each
// own an Engine) serving the workers of the control plane's active deployments, and the
// admin::Runtime the admin API drives them through.
//
// A version is built from control.db (modules, main module, DeployConfig, the secret values it
// pinned, decrypted into text vars): compiled on the CompileThread, bindings resolved against
// the data directory without creating anything, service bindings through a WorkerDirectory of
// every worker's primary version. Built versions are kept by version id, so a Refresh that
// leaves a version routed neither recompiles it nor loses its realms, and a few unrouted ones
// too (a probed version about to be deployed, the version a rollback may return to).
//
// Refresh: ListActive → a new immutable RoutingSnapshot (hosts `<worker>.localhost` on any port
// plus each primary version's `routes`; a worker's one or two versions with their shares) →
// swapped into every core, returning once every core serves it. A version that cannot be built
// (a binding's resource deleted since, say) is logged and its share answers 503 naming the
// reason; the other workers are unaffected. Refreshes are serialised, so the cores see the
// snapshots in order.
//
// Threads: every method from any thread except a core's. Stop() (or the destructor) drains the
// data port; the admin API must be stopped first.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "blaze/admin/runtime.h"
#include "blaze/bindings/resolve.h"
#include "blaze/bindings/storage.h"
#include "blaze/control/control_plane.h"
#include "blaze/http/server.h"
#include "blaze/node/compile_thread.h"
#include "blaze/node/cores.h"
#include "blaze/node/dev_server.h"
#include "blaze/node/routing.h"
#include "blaze/node/service_binding.h"
#include "blaze/node/tail.h"
#include "blaze/runtime/engine/js_process.h"

namespace blaze::node {

struct PlatformOptions {
  control::ControlPlane* control = nullptr;  // must outlive the platform
  engine::JsProcess* process = nullptr;      // must outlive the platform
  std::string data_dir;                      // where bindings' resources live
  ListenOptions listen;                      // the data port (0: the kernel picks one)
  std::optional<std::uint64_t> seed;         // the cores' split RNGs (core i: seed + i); tests
  std::chrono::milliseconds swap_timeout{10'000};
  std::chrono::milliseconds probe_timeout{30'000};
  // Built versions kept while not routed (probed, or routed until a deploy), so that a deploy
  // after a verify probe, or a rollback, swaps without compiling.
  std::size_t kept_versions = 4;
};

class ServePlatform final : public admin::Runtime {
 public:
  // Starts the compile thread and the cores, serving an empty snapshot (call Refresh()).
  static Result<std::unique_ptr<ServePlatform>> Start(PlatformOptions options);
  ~ServePlatform() override;

  Status Check(const control::NewVersion& version) override;
  Result<int> Probe(const std::string& worker, const std::string& version_id,
                    const std::string& path) override;
  Status Refresh() override;
  admin::VersionStats Stats(const std::string& version_id) override;
  std::string UrlOf(const std::string& worker) override;
  std::unique_ptr<admin::TailSubscription> Tail(const std::string& worker,
                                                admin::TailSink sink) override;

  // Drains the data port and stops the cores; later calls of the Runtime fail Unavailable.
  void Stop();

  const std::string& address() const { return server_->address(); }
  std::uint16_t port() const { return server_->port(); }
  int core_count() const { return server_->core_count(); }
  // Runs `job` on every core's thread (tests: inspect each core's engine).
  Status RunOnEachCore(std::function<void(int index, CoreHandler&)> job);

 private:
  // A built version and the config it was built from (for the binding re-check on Refresh).
  struct Built {
    std::shared_ptr<const WorkerVersion> version;
    control::DeployConfig config;
  };

  explicit ServePlatform(PlatformOptions options);
  http::HandlerFactory Factory(std::shared_ptr<const engine::CompiledPrelude> prelude,
                               std::shared_ptr<const RoutingSnapshot> routes);
  // A stored version, built (or taken from the cache, its bindings' resources checked again).
  Result<Built> Load(const std::string& worker, const std::string& version_id);
  std::optional<Built> Cached(const std::string& version_id);
  void KeepRecent(const std::string& version_id, const Built& built);  // mu_ held
  Result<std::shared_ptr<const WorkerVersion>> Build(
      const std::string& worker, const std::string& version_id, engine::BundleSource source,
      const control::DeployConfig& config, const std::map<std::string, std::string>& secrets);
  Status CheckServiceTargets(const control::NewVersion& version);
  std::shared_ptr<VersionCounters> CountersFor(const std::string& version_id);
  Status Serving();

  PlatformOptions options_;
  control::ControlPlane& control_;
  bindings::Storage storage_;
  std::shared_ptr<WorkerDirectory> directory_;
  bindings::ResolveOptions resolve_;
  TailHub tails_;
  Cores cores_;
  std::unique_ptr<CompileThread> compiler_;
  std::unique_ptr<http::Server> server_;

  std::mutex refresh_mu_;  // one Refresh at a time
  std::mutex post_mu_;     // posts to the cores vs Stop
  bool stopped_ = false;   // guarded by post_mu_

  std::mutex mu_;                                     // the fields below
  std::map<std::string, Built> active_;               // by version id: what the last Refresh routed
  std::deque<std::pair<std::string, Built>> recent_;  // built, not routed; newest last
  std::map<std::string, std::shared_ptr<VersionCounters>> counters_;
};

}  // namespace blaze::node
