// JsProcess: SpiderMonkey's process-wide state. JS_Init once, plus the parent runtime whose
// self-hosted code every Engine's JSContext shares (1.5-2.6 ms per context instead of 13-23 ms).
// The parent JSContext lives on a private idle thread so that any thread, including the one
// that built the JsProcess, can host an Engine (SpiderMonkey allows one JSContext per thread).
// Owned by node/ (or a test) and must outlive every Engine and BundleCompiler.
// JS_Init cannot run again after JS_ShutDown, so a second Start() is FailedPrecondition.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "blaze/base/result.h"

struct JSRuntime;

namespace blaze::engine {

class JsProcess {
 public:
  static Result<std::unique_ptr<JsProcess>> Start();
  ~JsProcess();
  JsProcess(const JsProcess&) = delete;
  JsProcess& operator=(const JsProcess&) = delete;

  JSRuntime* parent_runtime() const { return parent_runtime_; }

 private:
  JsProcess() = default;
  void ParentThread();

  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool ready_ = false;
  bool stop_ = false;
  bool failed_ = false;
  JSRuntime* parent_runtime_ = nullptr;
};

}  // namespace blaze::engine
