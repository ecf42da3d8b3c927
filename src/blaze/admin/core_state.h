// CoreState: the admin API's state on one HTTP core — its event loop, the requests parked while
// their work runs on the pool, and its tail streams. Owned by the core's Handler (so destroyed
// on the core thread, before the core's io_context); pool tasks hold it weakly.
//
// Offload is the one way work leaves the event loop: the Respond stays here, parked under an
// id; the pool task answers through a Done that posts the response back to this core, where
// the Respond is called (http::Respond must be called on the core thread).
#pragma once

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

#include "blaze/admin/api_context.h"
#include "blaze/base/byte_stream.h"
#include "blaze/http/handler.h"

namespace blaze::admin {

class TailStream;

// Answers a parked request from any thread. Only the first call counts.
using Done = std::function<void(http::HttpResponse)>;

class CoreState : public std::enable_shared_from_this<CoreState> {
 public:
  CoreState(ApiContext& ctx, boost::asio::io_context& io) : ctx_(ctx), io_(io) {}
  CoreState(const CoreState&) = delete;
  CoreState& operator=(const CoreState&) = delete;

  ApiContext& ctx() { return ctx_; }
  boost::asio::io_context& io() { return io_; }
  // Runs a task later on this core's thread.
  Post post();

  // Runs `work` on the pool; it answers by calling `done` (from any thread, maybe later: a
  // timer), and must call it exactly once. A throwing `work` answers 500.
  // While the server stops, answers 503 instead.
  void OffloadAsync(http::Respond respond, std::function<void(Done done)> work,
                    Lane lane = Lane::kControl);
  // The same for work that answers when it returns.
  void Offload(http::Respond respond, std::function<http::HttpResponse()> work,
               Lane lane = Lane::kControl);

  // Tails end when the server stops (core thread only).
  void AddTail(const std::shared_ptr<TailStream>& tail);
  void EndTails();

 private:
  void Complete(std::uint64_t id, http::HttpResponse response);

  ApiContext& ctx_;
  boost::asio::io_context& io_;
  std::uint64_t next_id_ = 1;
  std::unordered_map<std::uint64_t, http::Respond> parked_;
  std::vector<std::weak_ptr<TailStream>> tails_;
};

}  // namespace blaze::admin
