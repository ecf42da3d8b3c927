// blaze — the command line. Verbs match wrangler's; `--local` (the default for now) works on
// the data directory directly through storage/.
#include <CLI/CLI.hpp>

#include <iostream>

#include "blaze/base/log.h"
#include "blaze/cli/commands.h"
#include "blaze/cli/output.h"

namespace {

constexpr const char* kVersion = "0.1.0";

int Main(int argc, char** argv) {
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
