// Server: the HTTP/1.1 front door. N cores (default: one per hardware thread); each core is a
// thread with its own io_context and its own listening socket on the same address:port
// (SO_REUSEPORT, so the kernel spreads connections). A connection, and every request on it,
// stays on the core that accepted it. The server parses, enforces limits, stamps trace ids and
// writes responses; what a request means is the Handler's business (see handler.h).
//
//   auto server = Server::Start({.port = 8787}, [](CoreContext& core) { ... return handler; });
//   if (!server) return server.error();
//   (*server)->StopOnSignals();
//   (*server)->Wait();            // returns after SIGINT/SIGTERM and a graceful drain
//
// Errors: Start returns InvalidArgument for a bad address, Unavailable when binding fails, or
// the first error a HandlerFactory returned.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "blaze/base/result.h"
#include "blaze/http/handler.h"
#include "blaze/http/limits.h"

namespace blaze {
class Random;
}

namespace blaze::http {

class Core;

struct ServerOptions {
  std::string address = "127.0.0.1";  // IPv4 or IPv6 literal
  std::uint16_t port = 8787;          // 0: the kernel picks one; see Server::port()
  int threads = 0;                    // 0: std::thread::hardware_concurrency()
  ServerLimits limits;
  Random* random = nullptr;  // seeds trace ids; null: seeded from the OS
};

class Server {
 public:
  // Binds every core's socket, starts the core threads, runs `factory` on each core's thread,
  // and returns once every core is ready and accepting. On error nothing keeps running.
  static Result<std::unique_ptr<Server>> Start(ServerOptions options, HandlerFactory factory);

  // Stop(): a graceful drain, then the threads are joined.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  std::uint16_t port() const { return port_; }
  const std::string& address() const { return address_; }
  int core_count() const { return static_cast<int>(cores_.size()); }
  // Core `index`'s event loop, for posting work to that core. Valid until Wait() returns.
  boost::asio::io_context& io_context(int index);

  // Any thread (a core thread too), non-blocking, idempotent. Every core closes its listener
  // (new connections are refused), closes idle keep-alive connections, lets in-flight requests
  // finish with "connection: close" for at most limits.drain_timeout, then cuts the rest.
  // `on_listeners_closed` runs once all listeners are closed, on the last core to close. Only
  // the first call starts the stop; a later call's callback is dropped.
  void RequestStop(std::function<void()> on_listeners_closed = {});
  // Blocks until every core has drained and its thread has exited. Never from a core thread.
  void Wait();
  // RequestStop() then Wait().
  void Stop();
  // SIGINT or SIGTERM → RequestStop(). The signal is watched on core 0.
  void StopOnSignals();

 private:
  Server() = default;

  std::vector<std::unique_ptr<Core>> cores_;
  std::vector<std::thread> threads_;
  HandlerFactory factory_;
  std::unique_ptr<Random> own_random_;
  std::string address_;
  std::uint16_t port_ = 0;
  std::once_flag stop_once_;
  std::mutex join_mu_;  // Wait() from two threads (a caller and the destructor)
};

}  // namespace blaze::http
