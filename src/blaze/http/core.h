// Core: everything one server thread owns — its io_context, its SO_REUSEPORT listening socket,
// its Handler, its connections (Sessions), its trace-id generator and Date cache. Nothing here
// is shared with another core and nothing takes a lock; other threads reach a core only by
// posting to its io_context (RequestStop, StopOnSignals). Internal to Server.
//
// Lifecycle: constructed and Listen()ed on the starting thread, then Run() on the core thread:
// factory → ready → (StartAccepting) → serve → drain → teardown. Teardown destroys the Handler
// and the io_context on the core thread, so per-core runtime state dies where it lived.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_set>

#include "blaze/base/result.h"
#include "blaze/http/handler.h"
#include "blaze/http/limits.h"
#include "blaze/http/response_writer.h"
#include "blaze/http/trace.h"

namespace blaze::http {

class Session;

class Core {
 public:
  Core(int index, const ServerLimits& limits, Random& random);
  ~Core();
  Core(const Core&) = delete;
  Core& operator=(const Core&) = delete;

  // Starting thread, before Run. Opens, binds (SO_REUSEADDR + SO_REUSEPORT) and listens.
  // Unavailable naming the endpoint when the bind fails.
  Status Listen(const boost::asio::ip::tcp::endpoint& endpoint);
  std::uint16_t port() const { return port_; }

  // The core thread's body. Returns once the core has drained and torn down.
  void Run(const HandlerFactory& factory, const std::function<void(Status)>& ready);

  // Any thread. Each posts to this core; valid until the core thread has exited.
  void StartAccepting();
  void RequestStop(std::function<void()> on_listener_closed);
  void StopOnSignals(std::function<void()> on_signal);

  int index() const { return index_; }
  boost::asio::io_context& io() { return *io_; }

  // Core thread only: what Sessions use.
  Handler& handler() { return *handler_; }
  const ServerLimits& limits() const { return limits_; }
  TraceIdSource& trace_ids() { return trace_ids_; }
  DateCache& date() { return date_; }
  bool draining() const { return draining_; }
  void Register(Session* session) { sessions_.insert(session); }
  void Unregister(Session* session);

 private:
  void Accept();
  void OnAccept(const boost::system::error_code& ec, boost::asio::ip::tcp::socket socket);
  void BeginDrain(const std::function<void()>& on_listener_closed);
  void Finish();
  void RunLoop();
  void Teardown();

  const int index_;
  const ServerLimits limits_;
  std::unique_ptr<boost::asio::io_context> io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor_;
  std::unique_ptr<boost::asio::steady_timer> retry_timer_;  // accept back-off (EMFILE)
  std::unique_ptr<boost::asio::steady_timer> drain_timer_;
  std::unique_ptr<boost::asio::signal_set> signals_;
  std::unique_ptr<Handler> handler_;
  TraceIdSource trace_ids_;
  DateCache date_;
  std::unordered_set<Session*> sessions_;
  std::uint16_t port_ = 0;
  bool draining_ = false;
};

}  // namespace blaze::http
