// `blaze tail`: the live log of a worker's finished requests. TailHub keeps one TailChannel per
// worker; every version of that worker points at it (WorkerVersion::tail), and the core that
// finishes a request of a tailed worker publishes one JSON line (TailLine, the shape of
// docs/admin-api.md "Tail") to its subscribers.
//
// Cost when nobody tails: one relaxed atomic load per request (TailChannel::subscribed).
// A line holds the request's method and URL, the status, the worker's console output and
// uncaught exceptions, CPU and wall time — never headers, bodies or `env` (so no secret appears
// unless the worker logs it itself).
//
// Threads: Subscribe/unsubscribe from any thread; Publish on a core thread, calling the sinks
// under the channel's lock (a sink must not block, and must not drop its own subscription).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "blaze/admin/runtime.h"
#include "blaze/base/clock.h"
#include "blaze/runtime/engine/invocation.h"

namespace blaze::node {

class TailChannel {
 public:
  bool subscribed() const { return subscribers_.load(std::memory_order_relaxed) > 0; }
  void Publish(const std::string& line);

  std::uint64_t Subscribe(admin::TailSink sink);
  void Unsubscribe(std::uint64_t id);

 private:
  std::atomic<int> subscribers_{0};
  std::mutex mu_;
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, admin::TailSink> sinks_;
};

class TailHub {
 public:
  // The channel of `worker`, made on first use and kept (a few bytes per worker name).
  std::shared_ptr<TailChannel> Channel(const std::string& worker);
  std::unique_ptr<admin::TailSubscription> Subscribe(const std::string& worker,
                                                     admin::TailSink sink);

 private:
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<TailChannel>> channels_;
};

struct TailEvent {
  Clock::WallTime finished_at;  // the request started wall_time before
  std::string_view worker;
  std::string_view version_id;
  std::string_view method;
  std::string_view url;
  int status = 0;
  const engine::Invocation* invocation = nullptr;
};

// One NDJSON line, without the trailing newline: {"timestamp", "worker", "version_id",
// "outcome", "request": {"method","url"}, "response": {"status"}, "logs": [{"level","message",
// "timestamp"}], "exceptions": [{"name","message","stack"}], "cpu_ms", "wall_ms"}. Timestamps
// are ISO 8601 UTC; `timestamp` is when the request started.
std::string TailLine(const TailEvent& event);

}  // namespace blaze::node
