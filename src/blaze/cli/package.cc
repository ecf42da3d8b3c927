// BuildPackage (control_cli.h): a worker project turned into the body of a deploy or upload, with
// every check that needs no server done first — so a bad config or a syntax error changes
// nothing and costs no request.
#include "blaze/cli/control_cli.h"
#include "blaze/node/project.h"
#include "blaze/runtime/engine/js_process.h"
#include "blaze/runtime/engine/worker_bundle.h"

namespace blaze::cli {
namespace {

// Compiles and links the module graph as the server will (engine::BundleCompiler): a syntax
// error or a missing import names file:line here.
Status CompileModules(const engine::BundleSource& source) {
  // SpiderMonkey starts once per process (JS_Init cannot run again after JS_ShutDown), so the
  // JsProcess stays until exit, when static destruction shuts it down (before SpiderMonkey's
  // own statics, which were constructed first).
  static Result<std::unique_ptr<engine::JsProcess>> process = engine::JsProcess::Start();
  if (!process.has_value()) return Fail(process.error());
  BLAZE_TRY(auto compiler, engine::BundleCompiler::Create(**process));
  BLAZE_TRY_VOID(compiler->Compile(source));
  return Ok();
}

}  // namespace

Result<Package> BuildPackage(CliContext& ctx, const WorkerFlags& flags) {
  BLAZE_TRY(auto project, ctx.ProjectFor(flags.env));
  if (!project) {
    std::string where = ctx.options().config.empty() ? "wrangler.toml" : ctx.options().config;
    return Fail(NotFound("no " + where +
                         " here: run this in the worker's project folder or point -c at its "
                         "wrangler.toml"));
  }
  Package p;
  p.wrangler = std::move(*project);
  BLAZE_TRY_VOID(config::RefuseUnsupportedBindings(p.wrangler));
  if (!flags.name.empty()) {
    p.worker = flags.env.empty() ? flags.name : flags.name + "-" + flags.env;
  } else if (p.wrangler.name.empty()) {
    return Fail(InvalidArgument(
        "You need to provide a name when deploying a worker: set name = \"my-worker\" in " +
        p.wrangler.path + " or pass --name"));
  } else {
    p.worker = p.wrangler.name;
  }
  p.config = control::DeployConfigFromWrangler(p.wrangler);
  BLAZE_TRY_VOID(control::ValidateDeployConfig(p.config));
  BLAZE_TRY(node::WorkerProject loaded, node::LoadWorkerProject(p.wrangler));
  BLAZE_TRY_VOID(CompileModules(loaded.source));
  Json modules = Json::object();
  for (const auto& [path, text] : loaded.source.modules) {
    modules[path] = text;
    p.bytes += text.size();
  }
  p.module_count = loaded.source.modules.size();
  p.body = {{"main_module", loaded.source.main_module},
            {"modules", std::move(modules)},
            {"config", Json::parse(control::DeployConfigToJson(p.config).dump())}};
  return p;
}

}  // namespace blaze::cli
