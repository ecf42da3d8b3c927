#include "blaze/runtime/engine/engine_test_util.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace blaze::engine::testing {

JsProcess& Process() {
  static std::unique_ptr<JsProcess> process = JsProcess::Start().value();
  return *process;
}

EngineOptions StandInOptions() {
  static const std::string source = [] {
    std::ifstream in(std::string(BLAZE_ENGINE_TESTDATA) + "/stand_in_prelude.js");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }();
  EngineOptions options;
  options.prelude = std::vector<PreludeFile>{{"stand_in_prelude.js", source}};
  return options;
}

Harness::Harness() {
  auto created = Engine::Create(Process(), io, StandInOptions());
  if (!created) ADD_FAILURE() << created.error().ToString();
  engine = std::move(*created);
}

std::shared_ptr<const WorkerBundle> Harness::Compile(std::map<std::string, std::string> modules,
                                                     std::string main) {
  auto bundle = engine->Compile({std::move(main), std::move(modules)});
  if (!bundle) ADD_FAILURE() << bundle.error().ToString();
  return bundle ? *bundle : nullptr;
}

Invocation Harness::Run(const std::shared_ptr<const WorkerBundle>& bundle, WorkerRequest request,
                        WorkerConfig config, std::optional<Invocation>* finished) {
  std::optional<Invocation> result;
  InvocationCallback on_finished;
  if (finished) on_finished = [finished](Invocation i) { *finished = std::move(i); };
  engine->Invoke(bundle, config, std::move(request), [&](Invocation i) { result = std::move(i); },
                 on_finished);
  io.restart();
  while ((!result || (finished && !*finished)) && io.run_one() > 0) {
  }
  if (!result) ADD_FAILURE() << "invocation never completed";
  return result.value_or(Invocation{});
}

WorkerRequest Get(std::string url) {
  WorkerRequest request;
  request.url = std::move(url);
  return request;
}

}  // namespace blaze::engine::testing
