// `blaze deploy`: wrangler.toml (with --env) and the module graph, checked here (control_cli.h's
// BuildPackage), then stored as an immutable version on the server and activated in one
// request. --verify probes the new version before it takes traffic; --watch keeps the server
// comparing error rates for a window and rolling back by itself.
#include <chrono>
#include <iostream>

#include "blaze/cli/commands.h"
#include "blaze/cli/control_cli.h"

namespace blaze::cli {
namespace {

struct DeployOpts {
  WorkerFlags worker;
  std::string message, tag, verify, watch;
  double max_error_rate_increase = 0.05;
  bool dry_run = false, json = false;
};

std::string Seconds(std::chrono::steady_clock::duration d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f sec",
                std::chrono::duration<double>(d).count());
  return buf;
}

Status Deploy(CliContext& ctx, const DeployOpts& o, CLI::Option* max_rate) {
  if (!o.verify.empty() && o.verify[0] != '/') {
    return Fail(InvalidArgument("--verify takes a path such as /health (got \"" + o.verify + "\")"));
  }
  if (max_rate->count() && o.watch.empty()) {
    return Fail(InvalidArgument("--max-error-rate-increase applies to --watch; add --watch 60s"));
  }
  if (o.max_error_rate_increase < 0 || o.max_error_rate_increase > 1) {
    return Fail(InvalidArgument("--max-error-rate-increase is a fraction between 0 and 1 "
                                "(0.05 = 5 points)"));
  }
  std::optional<int> watch_seconds;
  if (!o.watch.empty()) {
    BLAZE_TRY(watch_seconds, ParseWatchWindow(o.watch));
  }
  BLAZE_TRY(Package p, BuildPackage(ctx, o.worker));
  for (const auto& w : p.wrangler.warnings) std::cerr << "▲ [WARNING] " << w << "\n";
  if (!o.json) PrintPackageSummary(std::cout, p);

  Json body = p.body;
  if (!o.message.empty()) body["message"] = o.message;
  if (!o.tag.empty()) body["tag"] = o.tag;
  BLAZE_TRY(AdminClient * admin, ctx.Admin());
  const std::string path = WorkerPath(p.worker, "/deploy");

  if (o.dry_run) {
    body["dry_run"] = true;
    auto checked = admin->Post(path, body);
    if (!checked.has_value() && checked.error().code() == ErrorCode::kUnavailable) {
      std::cerr << "▲ [WARNING] " << checked.error().message()
                << "; the config and modules are valid, but whether every binding's resource "
                   "exists was not checked\n";
    } else if (!checked.has_value()) {
      return Fail(checked.error());
    }
    if (o.json) PrintJson(std::cout, {{"dry_run", true}, {"valid", true}, {"worker", p.worker}});
    else std::cout << "--dry-run: exiting now.\n";
    return Ok();
  }

  if (!o.verify.empty()) body["verify"] = o.verify;
  if (watch_seconds) {
    body["watch"] = {{"seconds", *watch_seconds},
                     {"max_error_rate_increase", o.max_error_rate_increase}};
    admin->set_read_timeout(std::chrono::seconds(*watch_seconds + 120));
    if (!o.json) {
      std::cout << "Deploying " << p.worker << " and watching its error rate for "
                << *watch_seconds << " s (rolls back if it rises more than "
                << Percent(o.max_error_rate_increase) << " above the previous version's)...\n"
                << std::flush;
    }
  }
  auto start = std::chrono::steady_clock::now();
  BLAZE_TRY(Json answer, admin->Post(path, body));
  auto took = std::chrono::steady_clock::now() - start;
  const Json& version = answer["version"];
  const std::string version_id = Str(version, "id", "-");
  bool rolled_back = answer.contains("watch") && answer["watch"].is_object() &&
                     answer["watch"].value("rolled_back", false);
  if (o.json) {
    PrintJson(std::cout, answer);
  } else {
    std::cout << "Uploaded " << p.worker << " (" << Seconds(took) << ")\n";
    if (answer.contains("verify") && answer["verify"].is_object()) {
      const Json& v = answer["verify"];
      std::cout << "Verified GET " << Str(v, "path", o.verify) << " before taking traffic"
                << (v.contains("status") ? ": " + v["status"].dump() : std::string()) << "\n";
    }
    std::cout << "Deployed " << p.worker << " triggers\n";
    if (std::string url = Str(answer, "url"); !url.empty()) std::cout << "  " << url << "\n";
    for (const auto& r : p.config.routes) std::cout << "  " << r << "\n";
    for (const auto& c : p.config.crons) std::cout << "  schedule: " << c << "\n";
    std::cout << (rolled_back ? "Version ID: " : "Current Version ID: ") << version_id << "\n";
  }
  if (!watch_seconds || !answer.contains("watch") || !answer["watch"].is_object()) return Ok();
  const Json& w = answer["watch"];
  double rate = w.value("error_rate", 0.0), baseline = w.value("baseline_error_rate", 0.0);
  std::string counts = " (" + w.value("errors", Json(0)).dump() + " errors in " +
                       w.value("requests", Json(0)).dump() + " requests over " +
                       std::to_string(*watch_seconds) + " s)";
  if (rolled_back) {
    return Fail(Aborted("rolled back automatically: error rate " + Percent(rate) + " > " +
                        Percent(baseline) + counts + "; " + p.worker +
                        " runs the previous version again, and version " + version_id +
                        " stays in `blaze versions list`"));
  }
  if (!o.json) {
    std::cout << "✨ watch passed: error rate " << Percent(rate) << " (previous version "
              << Percent(baseline) << ")" << counts << "\n";
  }
  return Ok();
}

}  // namespace

void AddDeployCommands(CLI::App& app, CliContext& ctx) {
  auto o = std::make_shared<DeployOpts>();
  auto* cmd = app.add_subcommand(
      "deploy", "Deploy the worker project to a Blaze server: a new version, active at once");
  AddWorkerFlags(*cmd, o->worker);
  cmd->add_option("--message", o->message, "A message for the version and the deployment");
  cmd->add_option("--tag", o->tag, "A tag for the version");
  cmd->add_flag("--dry-run", o->dry_run, "Check everything, store nothing");
  cmd->add_option("--verify", o->verify,
                  "Probe this path on the new version before it takes traffic; refuse the "
                  "switch unless it answers 2xx");
  cmd->add_option("--watch", o->watch,
                  "After the switch, watch the error rate for this long (60s, 5m) and roll back "
                  "if it rises");
  auto* max_rate = cmd->add_option("--max-error-rate-increase", o->max_error_rate_increase,
                                   "How much higher the new version's error rate may be during "
                                   "--watch (a fraction; default 0.05 = 5 points)");
  cmd->add_flag("--json", o->json, "Print the server's answer as JSON");
  cmd->callback([&ctx, o, max_rate] {
    ctx.Run([&]() -> Status { return Deploy(ctx, *o, max_rate); }, o->json);
  });
}

}  // namespace blaze::cli
