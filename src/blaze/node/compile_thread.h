// CompileThread: a thread of its own with a BundleCompiler (SpiderMonkey allows one JSContext per
// thread, and a core's thread hosts its Engine), so that any thread — a deploy arriving on the
// admin API's — can compile a worker bundle. Jobs run one at a time, in order; the caller blocks
// until its job is done. Compiling off the cores means a deploy never stalls a request.
//
// Threads: every method from any thread except the compile thread itself.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "blaze/base/result.h"
#include "blaze/runtime/engine/js_process.h"
#include "blaze/runtime/engine/worker_bundle.h"

namespace blaze::node {

class CompileThread {
 public:
  // Starts the thread and its compiler; `process` must outlive the CompileThread.
  static Result<std::unique_ptr<CompileThread>> Start(engine::JsProcess& process);
  ~CompileThread();  // finishes queued jobs, then joins
  CompileThread(const CompileThread&) = delete;
  CompileThread& operator=(const CompileThread&) = delete;

  // InvalidArgument "file:line:column: SyntaxError: ..." for a module that does not compile.
  Result<std::shared_ptr<const engine::WorkerBundle>> Compile(engine::BundleSource source);
  Result<std::shared_ptr<const engine::CompiledPrelude>> CompileEmbeddedPrelude();

 private:
  using Job = std::function<void(engine::BundleCompiler&)>;
  CompileThread() = default;
  void Loop(engine::JsProcess& process);
  // Queues `job` and waits for it to have run.
  void Run(Job job);

  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> jobs_;
  bool stop_ = false;
  bool ready_ = false;
  std::optional<Error> start_error_;
};

}  // namespace blaze::node
