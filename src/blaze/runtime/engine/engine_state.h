// Engine-private bookkeeping shared by engine.cc and invoke.cc. Not included elsewhere.
#pragma once

#include <jsapi.h>

#include <boost/asio/steady_timer.hpp>

#include "blaze/runtime/engine/body_streams.h"
#include "blaze/runtime/engine/engine.h"

namespace blaze::engine {

// A worker's top-level code (module evaluation) has its own CPU limit, not charged to the
// request that happens to start the realm: Cloudflare's startup limit is of this order.
inline constexpr auto kStartupBudget = std::chrono::milliseconds(400);

struct Engine::InvocationState {
  std::uint64_t id = 0;
  std::uint64_t realm_id = 0;
  std::shared_ptr<const WorkerBundle> bundle;  // keeps the version alive while in flight
  InvocationCallback done;
  InvocationCallback finished;
  Invocation record;  // the phase being recorded (response, then the waitUntil tail)
  Clock::MonoTime start;
  std::chrono::nanoseconds budget{0};
  std::chrono::nanoseconds cpu_used{0};
  bool responded = false;
  bool complete = false;
  int wait_until_pending = 0;
  int pending_ops = 0;  // timers, fetches, binding calls and body reads owned by this request
  std::string trace_id;
  InvocationBodies bodies;  // streamed request/fetch bodies and the streamed response
};

struct Engine::Timer {
  JS::Heap<JSObject*> callback;
  boost::asio::steady_timer timer;
  std::uint64_t realm_id = 0;
  std::uint64_t invocation_id = 0;
  std::chrono::milliseconds interval{0};
  bool repeat = false;
  explicit Timer(boost::asio::io_context& io) : timer(io) {}
};

// A fetch or a binding call waiting for its result.
struct Engine::PendingOp {
  JS::Heap<JSObject*> promise;
  std::uint64_t realm_id = 0;
  std::uint64_t invocation_id = 0;
};

}  // namespace blaze::engine
