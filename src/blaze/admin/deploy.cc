// POST /api/v1/workers/{w}/deploy: validate → Runtime::Check → (dry_run: answer) →
// with `verify`: upload, Probe, and only a 2xx deploys it; without: ControlPlane::Deploy →
// Runtime::Refresh → (watch: compare error rates after the window, maybe roll back) → answer.
// Everything after the scope check runs on the pool.
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <cmath>

#include "blaze/admin/api_error.h"
#include "blaze/admin/api_requests.h"
#include "blaze/admin/endpoints.h"
#include "blaze/admin/json_views.h"
#include "blaze/base/log.h"
#include "blaze/control/control_plane.h"

namespace blaze::admin {

namespace asio = boost::asio;
using nlohmann::json;

namespace {

double Rate(std::uint64_t errors, std::uint64_t requests) {
  return requests == 0 ? 0.0 : static_cast<double>(errors) / static_cast<double>(requests);
}

std::string Percent(double fraction) { return control::FormatPercentage(fraction * 100) + "%"; }

// The watch window of one deploy: runs on a strand of the pool; Stop ends it early (evaluated
// as if the window had closed).
class Watch : public Cancellable, public std::enable_shared_from_this<Watch> {
 public:
  Watch(ApiContext& ctx, control::Principal who, std::string worker, std::string version_id,
        std::optional<std::string> previous_version_id, WatchSpec spec, json answer, Done done)
      : ctx_(ctx),
        who_(std::move(who)),
        worker_(std::move(worker)),
        version_id_(std::move(version_id)),
        previous_version_id_(std::move(previous_version_id)),
        spec_(spec),
        answer_(std::move(answer)),
        done_(std::move(done)),
        strand_(asio::make_strand(ctx.pool())),
        timer_(strand_) {}

  void Start() {
    asio::dispatch(strand_, [self = shared_from_this()] { self->Begin(); });
  }

  void Cancel() override {
    asio::post(strand_, [self = shared_from_this()] { self->timer_.cancel(); });
  }

 private:
  void Begin() {
    if (previous_version_id_) {
      VersionStats before = ctx_.runtime().Stats(*previous_version_id_);
      baseline_rate_ = Rate(before.errors, before.requests);
    }
    start_ = ctx_.runtime().Stats(version_id_);
    if (!ctx_.Register(shared_from_this())) return Evaluate();  // the server is stopping
    timer_.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(spec_.seconds)));
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code&) {
      self->Evaluate();  // the window closed, or Stop cut it short
    });
  }

  void Evaluate() {
    ctx_.Unregister(shared_from_this());
    VersionStats end = ctx_.runtime().Stats(version_id_);
    std::uint64_t requests = end.requests >= start_.requests ? end.requests - start_.requests : 0;
    std::uint64_t errors = end.errors >= start_.errors ? end.errors - start_.errors : 0;
    errors = std::min(errors, requests);
    double rate = Rate(errors, requests);
    double threshold = baseline_rate_ + spec_.max_error_rate_increase;
    json watch = {{"rolled_back", false},
                  {"seconds", spec_.seconds},
                  {"requests", requests},
                  {"errors", errors},
                  {"error_rate", rate},
                  {"baseline_error_rate", baseline_rate_}};
    if (requests > 0 && rate > threshold + 1e-12) {
      std::string message =
          "automatic rollback: error rate " + Percent(rate) + " > " + Percent(threshold);
      auto rolled = RollBack(message);
      if (rolled) {
        watch["rolled_back"] = true;
        watch["message"] = message;
        watch["deployment"] = DeploymentJson(*rolled);
      } else {
        watch["error"] = rolled.error().message();
        log::Warn("admin.watch_rollback_failed",
                  {{"worker", worker_}, {"error", rolled.error().ToString()}});
      }
    }
    answer_["watch"] = std::move(watch);
    done_(JsonResponse(200, answer_));
  }

  Result<control::Deployment> RollBack(const std::string& message) {
    // Someone deployed again during the window: that deployment is not ours to undo.
    BLAZE_TRY(auto active, ctx_.control().versions().Active(worker_));
    if (!active || !active->RunsOnly(version_id_)) {
      return Fail(FailedPrecondition(
          "the error rate called for a rollback, but the active deployment changed during the "
          "watch; nothing was rolled back"));
    }
    control::RollbackRequest request;
    request.version_id = previous_version_id_;
    request.message = message;
    // The previous version runs with the secrets it was built with, as before this deploy.
    request.secret_changes = control::SecretChanges::kAllow;
    BLAZE_TRY(auto deployment, ctx_.control().Rollback(who_, worker_, std::move(request)));
    BLAZE_TRY_VOID(RefreshAfter(ctx_, "the automatic rollback"));
    return deployment;
  }

  ApiContext& ctx_;
  control::Principal who_;
  std::string worker_;
  std::string version_id_;
  std::optional<std::string> previous_version_id_;
  WatchSpec spec_;
  json answer_;
  Done done_;
  asio::strand<asio::thread_pool::executor_type> strand_;
  asio::steady_timer timer_;
  double baseline_rate_ = 0;
  VersionStats start_;
};

// Full validation without storing: the upload runs in a transaction that is rolled back.
Status ValidateByDryUpload(ApiContext& ctx, const control::Principal& who,
                           const control::NewVersion& version) {
  bool uploaded = false;
  Status tried = ctx.control().db().Write([&](sqlite::Database&) -> Status {
    BLAZE_TRY_VOID(ctx.control().UploadVersion(who, version));
    uploaded = true;
    return Fail(Aborted("dry run: rolled back"));
  });
  if (uploaded) return Ok();
  return tried;
}

void RunDeploy(ApiContext& ctx, const control::Principal& who, const std::string& worker,
               const std::string& body, const Done& done) {
  auto fail = [&](const Error& error) { done(ErrorResponse(error)); };
  auto parsed = ParseBodyObject(body, false);
  if (!parsed) return fail(parsed.error());
  auto request = ParseNewVersion(*parsed, worker, true);
  if (!request) return fail(request.error());
  if (auto checked = ctx.runtime().Check(request->version); !checked) return fail(checked.error());
  if (request->dry_run) {
    if (auto valid = ValidateByDryUpload(ctx, who, request->version); !valid) {
      return fail(valid.error());
    }
    return done(JsonResponse(200, {{"dry_run", true}, {"valid", true}}));
  }

  // The version the watch compares with: the previous deployment's primary one.
  std::optional<std::string> previous;
  if (request->watch) {
    if (auto active = ctx.control().versions().Active(worker); active && *active) {
      previous = (*active)->primary().version_id;
    }
  }

  json answer;
  control::VersionInfo version;
  control::Deployment deployment;
  if (request->verify) {
    auto uploaded = ctx.control().UploadVersion(who, request->version);
    if (!uploaded) return fail(uploaded.error());
    version = std::move(*uploaded);
    const std::string& path = *request->verify;
    auto status = ctx.runtime().Probe(worker, version.id, path);
    if (!status) {
      return fail(Error(status.error().code(), "verify: GET " + path + " failed: " +
                                                   status.error().message() +
                                                   "; the active deployment is unchanged"));
    }
    if (*status < 200 || *status > 299) {
      return fail(FailedPrecondition("verify: GET " + path + " answered " +
                                     std::to_string(*status) +
                                     "; the active deployment is unchanged"));
    }
    auto deployed = ctx.control().DeployVersions(who, worker, {{version.id, 100}},
                                                 request->version.message);
    if (!deployed) return fail(deployed.error());
    deployment = std::move(*deployed);
    answer["verify"] = {{"path", path}, {"status", *status}};
  } else {
    auto published = ctx.control().Deploy(who, request->version);
    if (!published) return fail(published.error());
    version = std::move(published->version);
    deployment = std::move(published->deployment);
  }
  if (auto refreshed = RefreshAfter(ctx, "the deployment"); !refreshed) {
    return fail(refreshed.error());
  }
  answer["version"] = VersionJson(version);
  answer["deployment"] = DeploymentJson(deployment);
  answer["url"] = ctx.runtime().UrlOf(worker);
  if (!request->watch) return done(JsonResponse(200, answer));
  auto watch = std::make_shared<Watch>(ctx, who, worker, version.id, previous, *request->watch,
                                       std::move(answer), done);
  watch->Start();
}

}  // namespace

void HandleDeploy(CoreState& core, ApiCall call) {
  if (auto s = control::RequireScope(call.principal, control::Scope::kDeploy); !s) {
    return call.respond(ErrorResponse(s.error()));
  }
  ApiContext& ctx = core.ctx();
  core.OffloadAsync(std::move(call.respond),
                    [&ctx, principal = call.principal, worker = call.route.worker,
                     body = std::move(call.body)](Done done) {
                      RunDeploy(ctx, principal, worker, body, done);
                    });
}

}  // namespace blaze::admin
