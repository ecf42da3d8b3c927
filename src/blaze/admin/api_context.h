// ApiContext: what every core and every pool task of the admin API shares — the options, the
// tuning, the ControlPlane and Runtime, the worker pool and the registry of running watches.
// Owned by ApiServer; it outlives the HTTP cores and the pool's tasks.
#pragma once

#include <atomic>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <set>

#include "blaze/admin/api_server.h"

namespace blaze::admin {

// The limits and intervals of the API; production uses the defaults, tests shrink them.
struct ApiTuning {
  std::size_t max_body_bytes = 64u << 20;  // a request body (versions are ≤ 10 MiB of modules)
  std::chrono::milliseconds exec_timeout{600'000};
  std::size_t exec_max_output_bytes = 256u << 20;
  // A tail stream with nothing to say sends an empty line this often, which is how a client
  // that went away is noticed (the write fails) and unsubscribed.
  std::chrono::milliseconds tail_heartbeat{15'000};
  std::size_t tail_max_buffered_bytes = 4u << 20;  // lines beyond it are dropped (slow client)
  int pool_threads = 3;       // Runtime calls, deploys, watches
  int exec_pool_threads = 4;  // exec verbs (up to 10 min each); more wait their turn
};

// Which pool offloaded work runs on: exec verbs may run for minutes, so they have their own
// and never hold up a deploy or a rollback.
enum class Lane { kControl, kExec };

// ApiServer::Start with non-default tuning (tests).
Result<std::unique_ptr<ApiServer>> StartApiServer(ApiOptions options, ApiTuning tuning);

// Something running on the pool that Stop must end early (a watch window).
class Cancellable {
 public:
  virtual ~Cancellable() = default;
  virtual void Cancel() = 0;  // any thread; idempotent
};

class ApiContext {
 public:
  ApiContext(ApiOptions options, ApiTuning tuning)
      : options_(std::move(options)),
        tuning_(tuning),
        pool_(tuning.pool_threads),
        exec_pool_(tuning.exec_pool_threads) {}

  const ApiOptions& options() const { return options_; }
  const ApiTuning& tuning() const { return tuning_; }
  control::ControlPlane& control() { return *options_.control; }
  Runtime& runtime() { return *options_.runtime; }
  boost::asio::thread_pool& pool(Lane lane = Lane::kControl) {
    return lane == Lane::kExec ? exec_pool_ : pool_;
  }

  bool stopping() const { return stopping_.load(); }

  // Registers `task` for Stop; false (nothing registered) when the server is already stopping,
  // in which case the caller ends the task at once.
  bool Register(const std::shared_ptr<Cancellable>& task) {
    std::lock_guard lock(mu_);
    if (stopping_) return false;
    tasks_.insert(task);
    return true;
  }
  void Unregister(const std::shared_ptr<Cancellable>& task) {
    std::lock_guard lock(mu_);
    tasks_.erase(task);
  }

  // Marks the server stopping and cancels every registered task (exec children see
  // stopping() and are killed); then joins the pools.
  void StopAndJoin() {
    std::set<std::shared_ptr<Cancellable>> tasks;
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
      tasks.swap(tasks_);
    }
    for (const auto& task : tasks) task->Cancel();
    exec_pool_.join();
    pool_.join();
  }

 private:
  ApiOptions options_;
  ApiTuning tuning_;
  boost::asio::thread_pool pool_;
  boost::asio::thread_pool exec_pool_;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::set<std::shared_ptr<Cancellable>> tasks_;
};

}  // namespace blaze::admin
