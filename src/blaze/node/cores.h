// Cores: the per-core CoreHandlers of a running http::Server, so that work can be posted to
// them: a new routing snapshot (Publish, fire and forget, as `blaze dev` does; PublishAndWait,
// which returns once every core serves it, as a deploy needs) or any other job (RunOn, RunOnAll).
//
// Threads: Add runs on each core thread while the server starts; the rest from any thread but a
// core's (waiting on a core from that core would never end). Handlers must outlive the posts:
// stop posting before the server stops (see ServePlatform::Stop).
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "blaze/base/result.h"
#include "blaze/node/core_handler.h"

namespace blaze::node {

class Cores {
 public:
  void Add(int index, boost::asio::io_context& io, CoreHandler* handler);
  int size() const;

  void Publish(std::shared_ptr<const RoutingSnapshot> routes);
  // DeadlineExceeded when a core has not swapped within `timeout` (a stopped or wedged core).
  Status PublishAndWait(std::shared_ptr<const RoutingSnapshot> routes,
                        std::chrono::milliseconds timeout);

  // Runs `job` on core `index`'s thread (fire and forget).
  void RunOn(int index, std::function<void(CoreHandler&)> job);
  // Runs `job` on every core and waits until all have run it.
  Status RunOnAll(std::function<void(int index, CoreHandler&)> job,
                  std::chrono::milliseconds timeout);

 private:
  struct Slot {
    boost::asio::io_context* io = nullptr;
    CoreHandler* handler = nullptr;
  };
  mutable std::mutex mu_;
  std::vector<Slot> slots_;
};

}  // namespace blaze::node
