#include "blaze/node/platform.h"

#include <condition_variable>
#include <random>

#include "blaze/base/log.h"
#include "blaze/control/crypto.h"
#include "blaze/node/version_build.h"

namespace blaze::node {
namespace {

using SteadyClock = std::chrono::steady_clock;

double MillisSince(SteadyClock::time_point start) {
  return std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
}

std::uint64_t OsSeed() {
  std::random_device device;
  return (static_cast<std::uint64_t>(device()) << 32) ^ device();
}

// The routes of every worker, as one Router. A pattern that is malformed or taken by another
// worker must not take the others down: on failure, workers are added one at a time and the one
// whose routes do not fit is left out (it still answers at <worker>.localhost).
Result<std::shared_ptr<const http::Router>> BuildRouter(
    const std::map<std::string, std::vector<std::string>>& routes) {
  http::RouterConfig all;
  for (const auto& [worker, patterns] : routes) {
    for (const std::string& p : patterns) all.routes.push_back({p, worker});
  }
  if (auto router = http::Router::Build(all)) return router;
  http::RouterConfig kept;
  for (const auto& [worker, patterns] : routes) {
    http::RouterConfig candidate = kept;
    for (const std::string& p : patterns) candidate.routes.push_back({p, worker});
    if (auto ok = http::Router::Build(candidate); !ok) {
      log::Warn("serve.routes.skipped", {{"worker", worker}, {"error", ok.error().message()}});
      continue;
    }
    kept = std::move(candidate);
  }
  return http::Router::Build(std::move(kept));
}

}  // namespace

ServePlatform::ServePlatform(PlatformOptions options)
    : options_(std::move(options)),
      control_(*options_.control),
      storage_({.data_dir = options_.data_dir}),
      directory_(std::make_shared<WorkerDirectory>()) {
  resolve_.create_missing = false;  // a deployed version never creates resources
  resolve_.service =
      [dir = directory_](const config::ServiceBinding& b) -> Result<bindings::ServicePtr> {
    return NewServiceBinding(dir, b.service);
  };
}

ServePlatform::~ServePlatform() { Stop(); }

Result<std::unique_ptr<ServePlatform>> ServePlatform::Start(PlatformOptions options) {
  BLAZE_CHECK(options.control && options.process);
  std::unique_ptr<ServePlatform> p(new ServePlatform(std::move(options)));
  BLAZE_TRY(p->compiler_, CompileThread::Start(*p->options_.process));
  BLAZE_TRY(auto prelude, p->compiler_->CompileEmbeddedPrelude());
  auto routes = std::make_shared<RoutingSnapshot>();
  BLAZE_TRY(routes->router, http::Router::Build({}));
  http::ServerOptions server;
  server.address = p->options_.listen.ip;
  server.port = p->options_.listen.port;
  server.threads = p->options_.listen.threads;
  BLAZE_TRY(p->server_, http::Server::Start(std::move(server), p->Factory(prelude, routes)));
  return p;
}

http::HandlerFactory ServePlatform::Factory(std::shared_ptr<const engine::CompiledPrelude> prelude,
                                            std::shared_ptr<const RoutingSnapshot> routes) {
  std::uint64_t seed = options_.seed ? *options_.seed : OsSeed();
  return [this, prelude, routes,
          seed](http::CoreContext& core) -> Result<std::unique_ptr<http::Handler>> {
    engine::EngineOptions options;
    options.compiled_prelude = prelude;
    BLAZE_TRY(auto engine, engine::Engine::Create(*options_.process, core.io, std::move(options)));
    auto handler = std::make_unique<CoreHandler>(std::move(engine), routes, nullptr,
                                                 ErrorDetail::kHidden, seed + core.index);
    cores_.Add(core.index, core.io, handler.get());
    return std::unique_ptr<http::Handler>(std::move(handler));
  };
}

void ServePlatform::Stop() {
  {
    std::lock_guard lock(post_mu_);
    if (stopped_) return;
    stopped_ = true;
  }
  if (server_) server_->Stop();
}

Status ServePlatform::Serving() {
  if (stopped_) return Fail(Unavailable("the server is stopping"));
  return Ok();
}

std::shared_ptr<VersionCounters> ServePlatform::CountersFor(const std::string& version_id) {
  std::lock_guard lock(mu_);
  std::shared_ptr<VersionCounters>& c = counters_[version_id];
  if (!c) c = std::make_shared<VersionCounters>();
  return c;
}

Result<std::shared_ptr<const WorkerVersion>> ServePlatform::Build(
    const std::string& worker, const std::string& version_id, engine::BundleSource source,
    const control::DeployConfig& config, const std::map<std::string, std::string>& secrets) {
  BLAZE_TRY(auto bundle, compiler_->Compile(std::move(source)));
  BLAZE_TRY_VOID(CheckBindingResources(storage_, config));
  auto bindings = bindings::ResolveBindings(BindingConfigOf(worker, config), storage_, resolve_);
  if (!bindings) {
    // A resource deleted between the check and the resolve.
    if (bindings.error().code() == ErrorCode::kNotFound)
      return Fail(FailedPrecondition(bindings.error().message()));
    return Fail(bindings.error());
  }
  auto version = std::make_shared<WorkerVersion>();
  version->name = worker;
  version->bundle = std::move(bundle);
  version->config = WorkerConfigOf(worker, config, secrets);
  version->config.bindings = std::move(*bindings);
  version->version_id = version_id;
  if (!version_id.empty()) version->counters = CountersFor(version_id);
  version->tail = tails_.Channel(worker);
  return std::shared_ptr<const WorkerVersion>(std::move(version));
}

std::optional<ServePlatform::Built> ServePlatform::Cached(const std::string& version_id) {
  std::lock_guard lock(mu_);
  if (auto it = active_.find(version_id); it != active_.end()) return it->second;
  for (const auto& [id, built] : recent_) {
    if (id == version_id) return built;
  }
  return std::nullopt;
}

void ServePlatform::KeepRecent(const std::string& version_id, const Built& built) {
  if (active_.contains(version_id)) return;
  std::erase_if(recent_, [&](const auto& p) { return p.first == version_id; });
  recent_.emplace_back(version_id, built);
  while (recent_.size() > options_.kept_versions) recent_.pop_front();
}

Result<ServePlatform::Built> ServePlatform::Load(const std::string& worker,
                                                 const std::string& version_id) {
  if (auto cached = Cached(version_id); cached && cached->version->name == worker) {
    BLAZE_TRY_VOID(CheckBindingResources(storage_, cached->config));
    return *cached;
  }
  BLAZE_TRY(control::Version stored, control_.versions().GetVersion(worker, version_id));
  BLAZE_TRY(auto secrets, control_.secrets().RevealRefs(worker, stored.info.secrets));
  auto built = Build(worker, version_id, {stored.info.main_module, std::move(stored.modules)},
                     stored.info.config, secrets);
  for (auto& [name, value] : secrets) control::Wipe(value);
  if (!built) return Fail(built.error());
  return Built{std::move(*built), stored.info.config};
}

Status ServePlatform::CheckServiceTargets(const control::NewVersion& version) {
  for (const config::ServiceBinding& b : version.config.services) {
    if (b.service == version.worker) continue;  // itself: deployed by this very deploy
    auto active = control_.versions().Active(b.service);
    if (!active && active.error().code() != ErrorCode::kNotFound) return Fail(active.error());
    if (!active || !*active) {  // an unknown worker, or one without a deployment
      return Fail(FailedPrecondition("worker '" + b.service + "' (binding " + b.binding +
                                     ") has no deployment: deploy it first with `blaze deploy`"));
    }
  }
  return Ok();
}

Status ServePlatform::Check(const control::NewVersion& version) {
  BLAZE_TRY_VOID(control::ValidateDeployConfig(version.config));
  BLAZE_TRY_VOID(CheckServiceTargets(version));
  BLAZE_TRY_VOID(
      Build(version.worker, "", {version.main_module, version.modules}, version.config, {}));
  return Ok();
}

Status ServePlatform::Refresh() {
  std::lock_guard refresh(refresh_mu_);
  auto started = SteadyClock::now();
  BLAZE_TRY(std::vector<control::Deployment> deployments, control_.versions().ListActive());
  auto snapshot = std::make_shared<RoutingSnapshot>();
  std::map<std::string, Built> active;
  std::map<std::string, std::vector<std::string>> routes;
  for (const control::Deployment& d : deployments) {
    std::vector<double> percentages;
    for (const control::TrafficShare& t : d.versions) percentages.push_back(t.percentage);
    std::vector<std::uint32_t> upto = CumulativeShares(percentages);
    const std::string& primary = d.primary().version_id;
    WorkerRoute route;
    for (std::size_t i = 0; i < d.versions.size(); ++i) {
      VersionShare share;
      share.version_id = d.versions[i].version_id;
      share.upto = upto[i];
      share.counters = CountersFor(share.version_id);
      auto built = Load(d.worker, share.version_id);
      if (built) {
        share.version = built->version;
        if (share.version_id == primary) routes[d.worker] = built->config.routes;
        active.emplace(share.version_id, std::move(*built));
      } else {
        share.unavailable = built.error().message();
        log::Warn(
            "serve.version.unavailable",
            {{"worker", d.worker}, {"version_id", share.version_id}, {"error", share.unavailable}});
      }
      route.shares.push_back(std::move(share));
    }
    snapshot->workers.emplace(d.worker, std::move(route));
  }
  BLAZE_TRY(snapshot->router, BuildRouter(routes));
  directory_->Publish(snapshot->workers);  // service bindings follow the same deployments
  double build_ms = MillisSince(started);
  auto swap_started = SteadyClock::now();
  {
    std::lock_guard lock(post_mu_);
    BLAZE_TRY_VOID(Serving());
    BLAZE_TRY_VOID(cores_.PublishAndWait(snapshot, options_.swap_timeout));
  }
  double swap_ms = MillisSince(swap_started);
  {
    std::lock_guard lock(mu_);
    std::swap(active_, active);
    std::erase_if(recent_, [&](const auto& p) { return active_.contains(p.first); });
    for (const auto& [id, built] : active) KeepRecent(id, built);  // no longer routed
  }
  log::Info("serve.refresh", {{"workers", static_cast<int>(deployments.size())},
                              {"build_ms", build_ms},
                              {"swap_ms", swap_ms}});
  return Ok();
}

Result<int> ServePlatform::Probe(const std::string& worker, const std::string& version_id,
                                 const std::string& path) {
  BLAZE_TRY(Built built, Load(worker, version_id));
  {
    std::lock_guard lock(mu_);
    KeepRecent(version_id, built);
  }
  engine::WorkerRequest request;
  request.method = "GET";
  request.url = "http://" + worker + ".localhost" + (path.starts_with('/') ? "" : "/") + path;

  struct Answer {
    std::mutex mu;
    std::condition_variable cv;
    std::optional<int> status;
  };
  auto answer = std::make_shared<Answer>();
  {
    std::lock_guard lock(post_mu_);
    BLAZE_TRY_VOID(Serving());
    cores_.RunOn(0, [version = built.version, request = std::move(request),
                     answer](CoreHandler& core) mutable {
      core.Probe(std::move(version), std::move(request), [answer](int status) {
        std::lock_guard lock(answer->mu);
        answer->status = status;
        answer->cv.notify_all();
      });
    });
  }
  std::unique_lock lock(answer->mu);
  if (!answer->cv.wait_for(lock, options_.probe_timeout,
                           [&] { return answer->status.has_value(); })) {
    return Fail(DeadlineExceeded("version " + version_id + " did not answer GET " + path +
                                 " within " + std::to_string(options_.probe_timeout.count()) +
                                 " ms"));
  }
  return *answer->status;
}

admin::VersionStats ServePlatform::Stats(const std::string& version_id) {
  std::lock_guard lock(mu_);
  auto it = counters_.find(version_id);
  if (it == counters_.end()) return {};
  return {it->second->requests.load(std::memory_order_relaxed),
          it->second->errors.load(std::memory_order_relaxed)};
}

std::string ServePlatform::UrlOf(const std::string& worker) {
  return "http://" + worker + ".localhost:" + std::to_string(port());
}

std::unique_ptr<admin::TailSubscription> ServePlatform::Tail(const std::string& worker,
                                                             admin::TailSink sink) {
  return tails_.Subscribe(worker, std::move(sink));
}

Status ServePlatform::RunOnEachCore(std::function<void(int index, CoreHandler&)> job) {
  std::lock_guard lock(post_mu_);
  BLAZE_TRY_VOID(Serving());
  return cores_.RunOnAll(std::move(job), options_.swap_timeout);
}

}  // namespace blaze::node
