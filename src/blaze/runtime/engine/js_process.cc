#include "blaze/runtime/engine/js_process.h"

#include <jsapi.h>
#include <js/Initialization.h>

#include <atomic>

#include "blaze/base/log.h"
#include "blaze/runtime/engine/prelude.h"

namespace blaze::engine {
namespace {
std::atomic<bool> g_started{false};  // JS_Init is once per process by SpiderMonkey's rules
}  // namespace

Result<std::unique_ptr<JsProcess>> JsProcess::Start() {
  if (g_started.exchange(true)) return Fail(FailedPrecondition("JsProcess already started"));
  InstallXdrBuildId();  // XDR (the prelude, self-hosted code) needs it; before JS_Init
  if (!JS_Init()) return Fail(Internal("JS_Init failed"));
  std::unique_ptr<JsProcess> process(new JsProcess());
  process->thread_ = std::thread([p = process.get()] { p->ParentThread(); });
  std::unique_lock lock(process->mu_);
  process->cv_.wait(lock, [&] { return process->ready_; });
  if (process->failed_) return Fail(Internal("could not create the parent JSContext"));
  log::Info("engine.process.started");
  return process;
}

void JsProcess::ParentThread() {
  JSContext* cx = JS_NewContext(JS::DefaultHeapMaxBytes);
  // Decoded from the build-time XDR (~2.5 ms) rather than parsed (~15-40 ms) when it matches.
  std::span<const std::uint8_t> cache = SelfHostedCache();
  bool ok = cx && JS::InitSelfHostedCode(cx, JS::SelfHostedCache(cache.data(), cache.size()));
  {
    std::lock_guard lock(mu_);
    parent_runtime_ = cx ? JS_GetRuntime(cx) : nullptr;
    failed_ = !ok;
    ready_ = true;
  }
  cv_.notify_all();
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return stop_; });
  if (cx) JS_DestroyContext(cx);
}

JsProcess::~JsProcess() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  JS_ShutDown();
}

}  // namespace blaze::engine
