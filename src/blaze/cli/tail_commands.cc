// `blaze tail [WORKER] [--env E] [--format pretty|json] [--status ok|error] [--method M]
// [--search S]`: the live requests of a deployed worker, streamed from the admin API
// (GET /api/v1/workers/W/tail, NDJSON) until Ctrl-C or the server stops. As wrangler's tail:
// the runbook pipes `--format json` into grep and jq, so JSON mode prints the events alone, one
// per line, flushed as they come.
#include <iostream>

#include "blaze/cli/commands.h"
#include "blaze/cli/control_cli.h"
#include "blaze/cli/tail_format.h"

namespace blaze::cli {

void AddTailCommands(CLI::App& app, CliContext& ctx) {
  struct Opts {
    std::string worker;
    WorkerFlags flags;
    std::string format = "pretty";
    std::string status;
    std::vector<std::string> methods;
    std::string search;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand("tail", "Stream the live requests and logs of a deployed worker");
  cmd->add_option("worker", o->worker, "The worker (default: wrangler.toml's name)");
  AddWorkerFlags(*cmd, o->flags);
  cmd->add_option("--format", o->format, "pretty or json")
      ->check(CLI::IsMember({"pretty", "json"}))
      ->capture_default_str();
  cmd->add_option("--status", o->status, "Only ok or error requests")
      ->check(CLI::IsMember({"ok", "error"}));
  cmd->add_option("--method", o->methods, "Only these HTTP methods")->expected(1, -1);
  cmd->add_option("--search", o->search, "Only requests whose URL or a log message contains this");
  cmd->callback([&ctx, o] {
    ctx.Run([&]() -> Status {
      BLAZE_TRY(std::string worker, ResolveWorkerName(ctx, o->worker, o->flags));
      BLAZE_TRY(AdminClient * admin, ctx.Admin());
      TailFilter filter;
      if (!o->status.empty()) filter.status = o->status;
      filter.methods = o->methods;
      if (!o->search.empty()) filter.search = o->search;
      const TailFormat format = o->format == "json" ? TailFormat::kJson : TailFormat::kPretty;
      if (format == TailFormat::kPretty) {
        std::cerr << "Connected to " << worker << ", waiting for logs..." << std::endl;
      }
      std::string pending;
      return admin->Stream(WorkerPath(worker, "/tail"), [&](std::string_view data) {
        pending.append(data);
        std::size_t start = 0;
        for (std::size_t nl; (nl = pending.find('\n', start)) != std::string::npos; start = nl + 1) {
          std::string_view line(pending.data() + start, nl - start);
          if (line.empty()) continue;  // the server's keep-alive
          auto event = nlohmann::json::parse(line, nullptr, false);
          if (!event.is_object() || !TailMatches(event, filter)) continue;
          std::cout << FormatTailEvent(event, format) << std::flush;
        }
        pending.erase(0, start);
        return static_cast<bool>(std::cout);  // stop when the reader (| head) has gone
      });
    });
  });
}

}  // namespace blaze::cli
