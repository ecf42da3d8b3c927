#include "blaze/node/compile_thread.h"

#include <future>

namespace blaze::node {

Result<std::unique_ptr<CompileThread>> CompileThread::Start(engine::JsProcess& process) {
  std::unique_ptr<CompileThread> t(new CompileThread());
  t->thread_ = std::thread([self = t.get(), &process] { self->Loop(process); });
  std::unique_lock lock(t->mu_);
  t->cv_.wait(lock, [&] { return t->ready_; });
  if (t->start_error_) {
    Error error = *t->start_error_;
    lock.unlock();
    t->thread_.join();
    return Fail(std::move(error));
  }
  return t;
}

CompileThread::~CompileThread() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void CompileThread::Loop(engine::JsProcess& process) {
  auto compiler = engine::BundleCompiler::Create(process);
  {
    std::lock_guard lock(mu_);
    ready_ = true;
    if (!compiler) start_error_ = compiler.error();
  }
  cv_.notify_all();
  if (!compiler) return;
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stop_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // stopping, and nothing left to do
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job(**compiler);
  }
}

void CompileThread::Run(Job job) {
  std::promise<void> done;
  std::future<void> finished = done.get_future();
  {
    std::lock_guard lock(mu_);
    jobs_.push_back([&job, &done](engine::BundleCompiler& c) {
      job(c);
      done.set_value();
    });
  }
  cv_.notify_all();
  finished.wait();
}

Result<std::shared_ptr<const engine::WorkerBundle>> CompileThread::Compile(
    engine::BundleSource source) {
  Result<std::shared_ptr<const engine::WorkerBundle>> result =
      Fail(Internal("the compile thread did not run"));
  Run([&](engine::BundleCompiler& c) { result = c.Compile(std::move(source)); });
  return result;
}

Result<std::shared_ptr<const engine::CompiledPrelude>> CompileThread::CompileEmbeddedPrelude() {
  Result<std::shared_ptr<const engine::CompiledPrelude>> result =
      Fail(Internal("the compile thread did not run"));
  Run([&](engine::BundleCompiler& c) { result = c.CompileEmbeddedPrelude(); });
  return result;
}

}  // namespace blaze::node
