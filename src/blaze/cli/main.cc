// blaze — the command line. Verbs match wrangler's. The d1/kv/r2 verbs work on the data
// directory through storage/ (`--local`, the default), or on a server's (`--remote`, or a URL in
// --url / $BLAZE_URL: remote_exec.h, before CLI11 parses); deploy, versions, deployments,
// rollback, secret, token and audit talk to a server's admin API (admin_client.h).
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "blaze/base/log.h"
#include "blaze/cli/commands.h"
#include "blaze/cli/output.h"
#include "blaze/cli/remote_exec.h"

namespace {

constexpr const char* kVersion = "0.1.0";

int Main(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  auto inv = blaze::cli::ScanInvocation(std::vector<std::string>(args.begin() + 1, args.end()),
                                        std::getenv("BLAZE_URL"), std::getenv("BLAZE_DATA_DIR"));
  if (blaze::cli::GoesRemote(inv)) return blaze::cli::RunRemote(inv);
  if (inv.local && inv.remote) {
    blaze::cli::PrintError("--local and --remote contradict each other: give one of them");
    return blaze::InfoFor(blaze::ErrorCode::kInvalidArgument).exit_code;
  }
  if (inv.local && (inv.verb == "d1" || inv.verb == "kv" || inv.verb == "r2")) {
    // The default, and every d1/kv/r2 verb accepts it (even those without a server side).
    std::erase(args, std::string("--local"));
  }
  std::vector<char*> local_argv;
  for (auto& a : args) local_argv.push_back(a.data());
  argc = static_cast<int>(local_argv.size());
  argv = local_argv.data();

  blaze::cli::CliContext ctx;
  CLI::App app{"Blaze: a self-hosted edge platform for Cloudflare-Workers-style workers", "blaze"};
  app.set_version_flag("--version", kVersion);
  app.require_subcommand(1);
  app.fallthrough(true);  // global options may follow the verb: `blaze d1 list --data-dir D`
  auto& opts = ctx.options();
  app.add_option("--data-dir", opts.data_dir, "The data directory")
      ->envname("BLAZE_DATA_DIR")
      ->capture_default_str();
  app.add_option("--log-level", opts.log_level, "debug, info, warn, error or off")
      ->capture_default_str();
  app.add_option("-c,--config", opts.configs,
                 "Path to wrangler.toml (default: ./wrangler.toml); `dev` takes several")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_option("--url", opts.url,
                 "The admin API of a Blaze server (default http://127.0.0.1:8788)")
      ->envname("BLAZE_URL");
  app.parse_complete_callback([&] {
    if (!opts.configs.empty()) opts.config = opts.configs.front();
    blaze::log::Level level;
    if (!blaze::log::ParseLevel(opts.log_level, &level)) {
      throw CLI::ValidationError("--log-level", "must be debug, info, warn, error or off");
    }
    blaze::log::SetLevel(level);
  });
  blaze::cli::AddD1Commands(app, ctx);
  blaze::cli::AddKvCommands(app, ctx);
  blaze::cli::AddR2Commands(app, ctx);
  blaze::cli::AddAnalyticsCommands(app, ctx);
  blaze::cli::AddServeCommands(app, ctx);
  blaze::cli::AddDeployCommands(app, ctx);
  blaze::cli::AddVersionCommands(app, ctx);
  blaze::cli::AddSecretCommands(app, ctx);
  blaze::cli::AddTokenCommands(app, ctx);
  blaze::cli::AddTailCommands(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    blaze::cli::PrintError(std::string(e.what()) + " (run with --help for usage)");
    return blaze::InfoFor(blaze::ErrorCode::kInvalidArgument).exit_code;
  }
  return ctx.exit_code();
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Main(argc, argv);
  } catch (const std::exception& e) {
    // Third-party exceptions end here: a bug, reported as such.
    blaze::cli::PrintError(std::string("internal error: ") + e.what());
    return blaze::InfoFor(blaze::ErrorCode::kInternal).exit_code;
  }
}
