#include "blaze/node/dev_server.h"

#include <iostream>

#include "blaze/bindings/resolve.h"
#include "blaze/http/server.h"
#include "blaze/node/core_handler.h"
#include "blaze/node/cores.h"
#include "blaze/node/dev_printer.h"
#include "blaze/node/project.h"
#include "blaze/node/run_loop.h"
#include "blaze/node/service_binding.h"
#include "blaze/runtime/engine/js_process.h"

namespace blaze::node {
namespace {

http::HandlerFactory MakeFactory(engine::JsProcess& process,
                                 std::shared_ptr<const engine::CompiledPrelude> prelude,
                                 Cores& cores, std::shared_ptr<const RoutingSnapshot> routes,
                                 RequestObserver* observer, ErrorDetail detail) {
  return [&process, prelude, &cores, routes, observer,
          detail](http::CoreContext& core) -> Result<std::unique_ptr<http::Handler>> {
    engine::EngineOptions options;
    options.compiled_prelude = prelude;
    BLAZE_TRY(auto engine, engine::Engine::Create(process, core.io, std::move(options)));
    auto handler = std::make_unique<CoreHandler>(std::move(engine), routes, observer, detail);
    cores.Add(core.index, core.io, handler.get());
    return std::unique_ptr<http::Handler>(std::move(handler));
  };
}

Result<std::unique_ptr<http::Server>> Listen(const ListenOptions& listen, http::HandlerFactory f) {
  http::ServerOptions opts;
  opts.address = listen.ip;
  opts.port = listen.port;
  opts.threads = listen.threads;
  return http::Server::Start(std::move(opts), std::move(f));
}

Result<std::shared_ptr<const WorkerVersion>> Build(engine::BundleCompiler& compiler,
                                                   const config::WranglerConfig& wrangler,
                                                   bindings::Storage& storage,
                                                   const bindings::ResolveOptions& resolve) {
  BLAZE_TRY(WorkerProject project, LoadWorkerProject(wrangler));
  BLAZE_TRY(project.config.bindings, bindings::ResolveBindings(wrangler, storage, resolve));
  BLAZE_TRY(auto bundle, compiler.Compile(std::move(project.source)));
  return std::make_shared<const WorkerVersion>(
      WorkerVersion{project.config.name, std::move(bundle), std::move(project.config)});
}

using WorkerMap = std::map<std::string, std::shared_ptr<const WorkerVersion>>;

// The dev session's projects: loaded, built and fingerprinted together.
class DevProjects {
 public:
  DevProjects(std::vector<std::string> paths, engine::BundleCompiler& compiler,
              const std::string& data_dir)
      : paths_(std::move(paths)),
        compiler_(compiler),
        storage_({.data_dir = data_dir}),
        directory_(std::make_shared<WorkerDirectory>()) {
    resolve_.create_missing = true;  // like wrangler dev: local resources appear on first use
    resolve_.service =
        [dir = directory_](const config::ServiceBinding& b) -> Result<bindings::ServicePtr> {
      return NewServiceBinding(dir, b.service);
    };
  }

  // Loads every config and builds every worker; the first one is `primary`.
  Result<WorkerMap> Build(std::string* primary) {
    std::vector<config::WranglerConfig> configs;
    for (const std::string& path : paths_) {
      BLAZE_TRY(auto found, config::FindWranglerConfig(path));
      if (!found) {
        return Fail(
            NotFound("no wrangler.toml here: run `blaze dev` in a worker project, or "
                     "pass --config PATH"));
      }
      configs.push_back(std::move(*found));
    }
    WorkerMap workers;
    for (const config::WranglerConfig& wrangler : configs) {
      BLAZE_TRY(auto version, node::Build(compiler_, wrangler, storage_, resolve_));
      if (!workers.emplace(version->name, version).second) {
        return Fail(InvalidArgument(wrangler.path + ": another project is also named '" +
                                    version->name + "'"));
      }
      if (primary && workers.size() == 1) *primary = version->name;
    }
    configs_ = std::move(configs);
    directory_->Publish(workers);
    return workers;
  }

  // Empty when a file cannot be read (the next poll tries again).
  std::string Fingerprint() const {
    std::string all;
    for (const auto& c : configs_) {
      auto f = ProjectFingerprint(c);
      if (!f) return "";
      all += *f;
    }
    return all;
  }

 private:
  std::vector<std::string> paths_;
  engine::BundleCompiler& compiler_;
  bindings::Storage storage_;
  std::shared_ptr<WorkerDirectory> directory_;
  bindings::ResolveOptions resolve_;
  std::vector<config::WranglerConfig> configs_;
};

std::shared_ptr<RoutingSnapshot> DevSnapshot(WorkerMap workers, const std::string& primary) {
  auto snapshot = std::make_shared<RoutingSnapshot>();
  snapshot->fallback = workers.at(primary);
  for (auto& [name, version] : workers)
    snapshot->workers.emplace(name, SingleVersionRoute(version));
  return snapshot;
}

}  // namespace

Status RunDev(const DevOptions& options) {
  std::vector<std::string> paths = options.config_paths;
  if (paths.empty()) paths.push_back("");
  BLAZE_TRY(auto process, engine::JsProcess::Start());
  BLAZE_TRY(auto compiler, engine::BundleCompiler::Create(*process));
  BLAZE_TRY(auto prelude, compiler->CompileEmbeddedPrelude());
  DevProjects projects(paths, *compiler, options.data_dir);
  std::string primary;
  BLAZE_TRY(WorkerMap workers, projects.Build(&primary));
  std::string fingerprint = projects.Fingerprint();

  auto routes = DevSnapshot(std::move(workers), primary);
  DevPrinter printer(std::cout);
  Cores cores;
  BLAZE_TRY(auto server, Listen(options.listen, MakeFactory(*process, prelude, cores, routes,
                                                            &printer, ErrorDetail::kShown)));
  printer.Ready(primary, server->address(), server->port(), server->core_count());

  RunUntilSignal(options.poll_interval, [&] {
    printer.Flush();
    std::string now = projects.Fingerprint();
    if (now.empty() || now == fingerprint) return;
    fingerprint = now;
    auto next = projects.Build(&primary);
    if (!next.has_value()) {
      printer.ReloadFailed(next.error());
      return;
    }
    fingerprint = projects.Fingerprint();
    cores.Publish(DevSnapshot(std::move(*next), primary));
    printer.Reloaded();
  });
  printer.Stopping();
  server->Stop();
  return Ok();
}

}  // namespace blaze::node
