#include <memory>

#include "blaze/cli/commands.h"
#include "blaze/node/dev_server.h"

namespace blaze::cli {
namespace {

void AddListenOptions(CLI::App& cmd, node::ListenOptions& listen, const char* threads_help) {
  cmd.add_option("--port", listen.port, "Port to listen on")->capture_default_str();
  cmd.add_option("--ip", listen.ip, "Address to listen on")->capture_default_str();
  cmd.add_option("--threads", listen.threads, threads_help);
}

}  // namespace

void AddServeCommands(CLI::App& app, CliContext& ctx) {
  auto dev = std::make_shared<node::DevOptions>();
  // One core by default, as `wrangler dev` runs one isolate: module-level state is then shared
  // by every request, which is what local development expects.
  dev->listen.threads = 1;
  auto* dev_cmd = app.add_subcommand(
      "dev", "Run the worker project in this folder locally, reloading when its files change");
  AddListenOptions(*dev_cmd, dev->listen,
                   "Cores to serve on, each with its own isolate (default: 1, like wrangler dev)");
  dev_cmd->callback([&ctx, dev] {
    ctx.Run([&]() -> Status {
      dev->config_paths = ctx.options().configs;
      dev->data_dir = ctx.options().data_dir;
      return node::RunDev(*dev);
    });
  });

  auto serve = std::make_shared<node::ServeOptions>();
  auto* serve_cmd = app.add_subcommand(
      "serve", "Serve the data directory's deployed workers, with the admin API beside them");
  AddListenOptions(*serve_cmd, serve->listen, "Cores to serve on (default: one per CPU)");
  serve_cmd->add_option("--admin-port", serve->admin_port, "Port of the admin API")
      ->capture_default_str();
  serve_cmd->add_option("--admin-ip", serve->admin_ip,
                        "Address of the admin API (loopback unless you mean it)")
      ->capture_default_str();
  serve_cmd->callback([&app, &ctx, serve] {
    ctx.Run([&]() -> Status {
      serve->data_dir = ctx.options().data_dir;
      serve->version = app.version();
      return node::RunServe(*serve);
    });
  });
}

}  // namespace blaze::cli
