// DevPrinter: what `blaze dev` shows in its terminal, as `wrangler dev` does: a ready line, each
// request with its status and time, the worker's console output and exceptions, reloads.
// Called from every core; lines are written whole under a mutex (dev only, never `serve`).
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <ostream>
#include <string>

#include "blaze/base/error.h"
#include "blaze/node/core_handler.h"

namespace blaze::node {

class DevPrinter final : public RequestObserver {
 public:
  explicit DevPrinter(std::ostream& out) : out_(out) {}

  void Ready(const std::string& worker, const std::string& address, std::uint16_t port, int cores);
  void Reloaded();
  void ReloadFailed(const Error& error);
  void Stopping();
  // Writes out what is buffered; `blaze dev` calls it on every poll tick so a quiet server's last
  // lines are not left waiting for the next request.
  void Flush();
  void OnRequest(const http::HttpRequest& request, const WorkerVersion& worker, int status,
                 const engine::Invocation& invocation) override;
  // What ctx.waitUntil() work logged after the response, as it ends.
  void OnAfterResponse(const http::HttpRequest& request, const WorkerVersion& worker,
                       const engine::Invocation& after) override;

 private:
  std::mutex mu_;
  std::ostream& out_;
  std::chrono::steady_clock::time_point last_flush_{};
};

}  // namespace blaze::node
