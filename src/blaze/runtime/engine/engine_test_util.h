// Test support for the engine tests: the shared JsProcess (JS_Init is once per process), the
// stand-in prelude, and a Harness that runs an Engine on the test thread's io_context.
#pragma once

#include <boost/asio/io_context.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "blaze/runtime/engine/engine.h"
#include "blaze/runtime/engine/js_process.h"

namespace blaze::engine::testing {

JsProcess& Process();
EngineOptions StandInOptions();

struct Harness {
  boost::asio::io_context io;
  std::unique_ptr<Engine> engine;

  Harness();
  std::shared_ptr<const WorkerBundle> Compile(std::map<std::string, std::string> modules,
                                              std::string main = "worker.js");
  // Invokes and runs the io_context until `done` (and `finished`, if wanted) ran.
  Invocation Run(const std::shared_ptr<const WorkerBundle>& bundle, WorkerRequest request = {},
                 WorkerConfig config = {}, std::optional<Invocation>* finished = nullptr);
};

WorkerRequest Get(std::string url = "https://example.com/");

}  // namespace blaze::engine::testing
