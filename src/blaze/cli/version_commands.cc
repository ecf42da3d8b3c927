// `blaze versions list|view|upload|deploy`, `blaze deployments list|status` and
// `blaze rollback`: a worker's versions and deployments on a Blaze server, printed as wrangler
// prints them (oldest first, the newest last), or the API's JSON with --json.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <iostream>
#include <regex>

#include "blaze/cli/commands.h"
#include "blaze/cli/control_cli.h"
#include "blaze/control/traffic.h"

namespace blaze::cli {
namespace {

// A version id (UUID), as opposed to a worker name or a "<id>@90%" spec.
bool LooksLikeVersionId(const std::string& s) {
  static const std::regex kUuid("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
  return std::regex_match(s, kUuid);
}

// Oldest first, as wrangler prints them (the API answers newest first).
Json Reversed(Json list) {
  if (!list.is_array()) return Json::array();
  std::reverse(list.begin(), list.end());
  return list;
}

// Prints what a read verb fetched (unless --json, which prints it as the API gave it).
using PrintRead = std::function<Status(AdminClient& admin, const std::string& worker,
                                       const Json& answer)>;

// `cmd W [--name N] [--env E] [--json]`: GET <worker path><suffix>, then `print`.
void AddReadVerb(CLI::App& parent, CliContext& ctx, const char* name, const char* help,
                 std::string suffix, PrintRead print) {
  struct Opts {
    std::string worker;
    WorkerFlags flags;
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = parent.add_subcommand(name, help);
  cmd->add_option("worker", o->worker, "The worker (default: --name, or wrangler.toml's name)");
  AddWorkerFlags(*cmd, o->flags);
  cmd->add_flag("--json", o->json, "Print the API's JSON");
  cmd->callback([&ctx, o, suffix = std::move(suffix), print = std::move(print)] {
    ctx.Run(
        [&]() -> Status {
          BLAZE_TRY(std::string worker, ResolveWorkerName(ctx, o->worker, o->flags));
          BLAZE_TRY(AdminClient * admin, ctx.Admin());
          BLAZE_TRY(Json answer, admin->Get(WorkerPath(worker, suffix)));
          if (o->json) {
            PrintJson(std::cout, answer);
            return Ok();
          }
          return print(*admin, worker, answer);
        },
        o->json);
  });
}

// Items of `list` oldest last as the API gives them, newest last on screen, blank-line apart.
template <typename PrintOne>
void PrintNewestLast(const Json& list, const std::string& none, PrintOne print_one) {
  bool first = true;
  for (const auto& item : Reversed(list)) {
    if (!first) std::cout << "\n";
    first = false;
    print_one(item);
  }
  if (first) std::cout << none << "\n";
}

void AddVersionsList(CLI::App& versions, CliContext& ctx) {
  AddReadVerb(versions, ctx, "list", "List a worker's versions (the newest last)", "/versions",
              [](AdminClient&, const std::string& worker, const Json& list) -> Status {
                PrintNewestLast(list, "No versions of " + worker + " yet.",
                                [](const Json& v) { PrintVersion(std::cout, v, false); });
                return Ok();
              });
}

void AddVersionsView(CLI::App& versions, CliContext& ctx) {
  struct Opts {
    std::vector<std::string> args;
    WorkerFlags flags;
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = versions.add_subcommand("view", "Show one version: config, modules, bindings");
  cmd->add_option("args", o->args, "[WORKER] VERSION_ID")->required()->expected(1, 2);
  AddWorkerFlags(*cmd, o->flags);
  cmd->add_flag("--json", o->json, "Print the API's JSON");
  cmd->callback([&ctx, o] {
    ctx.Run(
        [&]() -> Status {
          std::string positional = o->args.size() == 2 ? o->args[0] : "";
          const std::string& id = o->args.back();
          BLAZE_TRY(std::string worker, ResolveWorkerName(ctx, positional, o->flags));
          BLAZE_TRY(AdminClient * admin, ctx.Admin());
          BLAZE_TRY(Json v, admin->Get(WorkerPath(worker, "/versions/" + PathSegment(id))));
          if (o->json) PrintJson(std::cout, v);
          else PrintVersion(std::cout, v, true);
          return Ok();
        },
        o->json);
  });
}

void AddVersionsUpload(CLI::App& versions, CliContext& ctx) {
  struct Opts {
    WorkerFlags flags;
    std::string message, tag;
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = versions.add_subcommand(
      "upload", "Upload the project as a new version without deploying it (see versions deploy)");
  AddWorkerFlags(*cmd, o->flags);
  cmd->add_option("--message", o->message, "A message for the version");
  cmd->add_option("--tag", o->tag, "A tag for the version");
  cmd->add_flag("--json", o->json, "Print the new version as JSON");
  cmd->callback([&ctx, o] {
    ctx.Run(
        [&]() -> Status {
          BLAZE_TRY(Package p, BuildPackage(ctx, o->flags));
          for (const auto& w : p.wrangler.warnings) std::cerr << "▲ [WARNING] " << w << "\n";
          if (!o->json) PrintPackageSummary(std::cout, p);
          Json body = p.body;
          if (!o->message.empty()) body["message"] = o->message;
          if (!o->tag.empty()) body["tag"] = o->tag;
          BLAZE_TRY(AdminClient * admin, ctx.Admin());
          BLAZE_TRY(Json v, admin->Post(WorkerPath(p.worker, "/versions"), body));
          if (o->json) {
            PrintJson(std::cout, v);
            return Ok();
          }
          std::cout << "Uploaded " << p.worker << "\n"
                    << "Worker Version ID: " << Str(v, "id", "-") << "\n"
                    << "Deploy it with `blaze versions deploy " << p.worker << " "
                    << Str(v, "id", "<id>") << "@100%`\n";
          return Ok();
        },
        o->json);
  });
}

void AddVersionsDeploy(CLI::App& versions, CliContext& ctx) {
  struct Opts {
    std::vector<std::string> args;
    WorkerFlags flags;
    std::string message;
    bool yes = false, json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = versions.add_subcommand(
      "deploy", "Deploy one version, or split traffic between two: W <id>@90% <id>@10%");
  cmd->add_option("args", o->args, "[WORKER] VERSION_SPEC... (<id>@<percentage>%)");
  AddWorkerFlags(*cmd, o->flags);
  cmd->add_option("--message", o->message, "A message for the deployment");
  cmd->add_flag("-y,--yes", o->yes, "Do not ask for confirmation");
  cmd->add_flag("--json", o->json, "Print the new deployment as JSON");
  cmd->callback([&ctx, o] {
    ctx.Run(
        [&]() -> Status {
          std::vector<std::string> specs = o->args;
          std::string positional;
          if (o->flags.name.empty() && !specs.empty() &&
              specs[0].find('@') == std::string::npos && !LooksLikeVersionId(specs[0])) {
            positional = specs[0];
            specs.erase(specs.begin());
          }
          if (specs.empty()) {
            return Fail(InvalidArgument(
                "name the versions to deploy: blaze versions deploy WORKER <id>@90% <id>@10% "
                "(see `blaze versions list WORKER`)"));
          }
          BLAZE_TRY(auto traffic, control::ParseVersionSpecs(specs));
          BLAZE_TRY(std::string worker, ResolveWorkerName(ctx, positional, o->flags));
          std::string described;
          Json shares = Json::array();
          for (std::size_t i = 0; i < traffic.size(); ++i) {
            described += std::string(i ? " and " : "") + "version " + traffic[i].version_id +
                         " at " + control::FormatPercentage(traffic[i].percentage) + "%";
            shares.push_back({{"version_id", traffic[i].version_id},
                              {"percentage", traffic[i].percentage}});
          }
          if (!Confirm("Deploy " + worker + " " + described + "?",
                       o->yes ? AssumeYes::kYes : AssumeYes::kNo)) {
            std::cout << "Not deploying.\n";
            return Ok();
          }
          BLAZE_TRY(AdminClient * admin, ctx.Admin());
          Json body = {{"versions", shares}, {"message", o->message}};
          auto start = std::chrono::steady_clock::now();
          BLAZE_TRY(Json d, admin->Post(WorkerPath(worker, "/deployments"), body));
          double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
          if (o->json) {
            PrintJson(std::cout, d);
            return Ok();
          }
          char secs[32];
          std::snprintf(secs, sizeof secs, "%.2f", took);
          std::cout << "✨ SUCCESS Deployed " << worker << " " << described << " (" << secs
                    << " sec)\n";
          return Ok();
        },
        o->json);
  });
}

void AddDeploymentsList(CLI::App& deployments, CliContext& ctx) {
  AddReadVerb(deployments, ctx, "list", "List a worker's deployments (the newest last)",
              "/deployments",
              [](AdminClient& admin, const std::string& worker, const Json& list) -> Status {
                BLAZE_TRY(auto versions, VersionsById(admin, worker));
                PrintNewestLast(list, "No deployments of " + worker + " yet.",
                                [&](const Json& d) { PrintDeployment(std::cout, d, versions); });
                return Ok();
              });
}

void AddDeploymentsStatus(CLI::App& deployments, CliContext& ctx) {
  AddReadVerb(deployments, ctx, "status", "Show a worker's active deployment",
              "/deployments/active",
              [](AdminClient& admin, const std::string& worker, const Json& d) -> Status {
                BLAZE_TRY(auto versions, VersionsById(admin, worker));
                PrintDeployment(std::cout, d, versions);
                return Ok();
              });
}

// The version a rollback without a version id goes to, as the server chooses it (wrangler's
// default: the newest earlier deployment that ran one version at 100%) — for the question only.
Result<std::optional<std::string>> DefaultRollbackTarget(AdminClient& admin, const std::string& worker) {
  BLAZE_TRY(Json list, admin.Get(WorkerPath(worker, "/deployments")));
  if (!list.is_array()) return std::optional<std::string>();
  for (std::size_t i = 1; i < list.size(); ++i) {
    if (!list[i].contains("versions") || !list[i]["versions"].is_array()) continue;
    for (const auto& share : list[i]["versions"]) {
      if (share.value("percentage", 0.0) > 99.999) return std::optional<std::string>(Str(share, "version_id"));
    }
  }
  return std::optional<std::string>();
}

void AddRollback(CLI::App& app, CliContext& ctx) {
  struct Opts {
    std::vector<std::string> args;
    WorkerFlags flags;
    std::string message;
    bool yes = false, json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand(
      "rollback", "Deploy an earlier version at 100% (default: the previous deployment's)");
  cmd->add_option("args", o->args, "[WORKER] [VERSION_ID]")->expected(0, 2);
  AddWorkerFlags(*cmd, o->flags);
  cmd->add_option("-m,--message", o->message, "Why (recorded with the deployment)");
  cmd->add_flag("-y,--yes", o->yes, "Do not ask for confirmation");
  cmd->add_flag("--json", o->json, "Print the new deployment as JSON");
  cmd->callback([&ctx, o] {
    ctx.Run(
        [&]() -> Status {
          std::string positional, version_id;
          if (o->args.size() == 2) {
            positional = o->args[0];
            version_id = o->args[1];
          } else if (o->args.size() == 1) {
            // `rollback W`, or wrangler's `rollback VERSION_ID --name W`.
            if (!o->flags.name.empty() || LooksLikeVersionId(o->args[0])) version_id = o->args[0];
            else positional = o->args[0];
          }
          BLAZE_TRY(std::string worker, ResolveWorkerName(ctx, positional, o->flags));
          BLAZE_TRY(AdminClient * admin, ctx.Admin());
          bool interactive = !o->yes && ::isatty(STDIN_FILENO);
          if (interactive) {
            std::string target = version_id;
            if (target.empty()) {
              BLAZE_TRY(auto found, DefaultRollbackTarget(*admin, worker));
              target = found.value_or("");
            }
            if (!target.empty() &&
                !Confirm("Are you sure you want to roll back " + worker + " to version " +
                             target + "?",
                         AssumeYes::kNo)) {
              std::cout << "Not rolling back.\n";
              return Ok();
            }
            version_id = target;
          }
          Json body = {{"message", o->message}, {"allow_secret_changes", o->yes}};
          if (!version_id.empty()) body["version_id"] = version_id;
          auto d = admin->Post(WorkerPath(worker, "/rollback"), body);
          if (!d.has_value() && d.error().code() == ErrorCode::kFailedPrecondition &&
              d.error().message().find("secrets have changed") != std::string::npos && !o->yes) {
            // Cloudflare's 10220, which wrangler turns into a question.
            if (!interactive) {
              return Fail(d.error().WithContext("not rolling back without confirmation (add -y)"));
            }
            if (!Confirm(d.error().message() + ". Roll back anyway?", AssumeYes::kNo)) {
              std::cout << "Not rolling back.\n";
              return Ok();
            }
            body["allow_secret_changes"] = true;
            d = admin->Post(WorkerPath(worker, "/rollback"), body);
          }
          if (!d.has_value()) return Fail(d.error());
          if (o->json) {
            PrintJson(std::cout, *d);
            return Ok();
          }
          std::string now = "-";
          if (d->contains("versions") && (*d)["versions"].is_array() && !(*d)["versions"].empty()) {
            now = Str((*d)["versions"][0], "version_id", "-");
          }
          std::cout << "✨ SUCCESS Worker Version " << now
                    << " has been deployed to 100% of traffic.\n"
                    << "Message: " << Str(*d, "message", "-") << "\n"
                    << "Current Version ID: " << now << "\n";
          return Ok();
        },
        o->json);
  });
}

}  // namespace

void AddVersionCommands(CLI::App& app, CliContext& ctx) {
  auto* versions = app.add_subcommand("versions", "List, view, upload and deploy worker versions");
  versions->require_subcommand(1);
  AddVersionsList(*versions, ctx);
  AddVersionsView(*versions, ctx);
  AddVersionsUpload(*versions, ctx);
  AddVersionsDeploy(*versions, ctx);
  auto* deployments = app.add_subcommand("deployments", "List a worker's deployments and show the active one");
  deployments->require_subcommand(1);
  AddDeploymentsList(*deployments, ctx);
  AddDeploymentsStatus(*deployments, ctx);
  AddRollback(app, ctx);
}

}  // namespace blaze::cli
