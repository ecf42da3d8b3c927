#include "blaze/http/core.h"

#include <boost/asio/post.hpp>
#include <csignal>
#include <exception>
#include <vector>

#include "blaze/base/log.h"
#include "blaze/http/session.h"

namespace blaze::http {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

// Out of descriptors or memory: accepting again at once would spin. Back off briefly.
constexpr std::chrono::milliseconds kAcceptRetryDelay{50};

bool IsResourceExhaustion(const boost::system::error_code& ec) {
  return ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space ||
         ec == asio::error::no_memory || ec.value() == ENFILE;
}

// The factory is the embedder's code (runtime setup); an exception there is an edge.
Result<std::unique_ptr<Handler>> CallFactory(const HandlerFactory& factory, CoreContext& ctx) {
  try {
    auto made = factory(ctx);
    if (made && !*made) return Fail(Internal("handler factory returned null"));
    return made;
  } catch (const std::exception& e) {
    return Fail(Internal(std::string("handler factory threw: ") + e.what()));
  }
}

}  // namespace

Core::Core(int index, const ServerLimits& limits, Random& random)
    : index_(index),
      limits_(limits),
      io_(std::make_unique<asio::io_context>(1)),  // hint: one thread runs this loop
      trace_ids_(random) {
  work_.emplace(asio::make_work_guard(*io_));
  acceptor_ = std::make_unique<tcp::acceptor>(*io_);
  retry_timer_ = std::make_unique<asio::steady_timer>(*io_);
  drain_timer_ = std::make_unique<asio::steady_timer>(*io_);
}

Core::~Core() { Teardown(); }  // no-op when Run already tore down

Status Core::Listen(const tcp::endpoint& endpoint) {
  boost::system::error_code ec;
  auto fail = [&](const char* step) {
    return Fail(Unavailable(std::string(step) + " " + endpoint.address().to_string() + ":" +
                            std::to_string(endpoint.port()) + ": " + ec.message()));
  };
  acceptor_->open(endpoint.protocol(), ec);
  if (ec) return fail("open");
  acceptor_->set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_->set_option(ReusePort(true), ec);
  if (ec) return fail("setsockopt");
  acceptor_->bind(endpoint, ec);
  if (ec) return fail("bind");
  acceptor_->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("listen");
  port_ = acceptor_->local_endpoint(ec).port();
  if (ec) return fail("getsockname");
  return Ok();
}

void Core::Run(const HandlerFactory& factory, const std::function<void(Status)>& ready) {
  CoreContext ctx{index_, *io_};
  auto made = CallFactory(factory, ctx);
  if (made) handler_ = std::move(*made);
  ready(made ? Ok() : Status(Fail(made.error())));
  RunLoop();
  Teardown();
}

void Core::RunLoop() {
  // A throwing Handler is a bug in the embedder; log it and keep serving. The request whose
  // Respond was dropped by the unwinding gets a 500.
  for (;;) {
    try {
      io_->run();
      return;
    } catch (const std::exception& e) {
      log::Error("http.core.exception", {{"core", index_}, {"what", e.what()}});
    }
  }
}

void Core::StartAccepting() {
  asio::post(*io_, [this] {
    if (!draining_) Accept();
  });
}

void Core::Accept() {
  acceptor_->async_accept([this](const boost::system::error_code& ec, tcp::socket socket) {
    OnAccept(ec, std::move(socket));
  });
}

void Core::OnAccept(const boost::system::error_code& ec, tcp::socket socket) {
  if (draining_ || ec == asio::error::operation_aborted) return;
  if (IsResourceExhaustion(ec)) {
    log::Warn("http.accept.exhausted", {{"core", index_}, {"error", ec.message()}});
    retry_timer_->expires_after(kAcceptRetryDelay);
    retry_timer_->async_wait([this](const boost::system::error_code& wait_ec) {
      if (!wait_ec && !draining_) Accept();
    });
    return;
  }
  if (!ec) {
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    auto session = std::make_shared<Session>(*this, std::move(socket));
    Register(session.get());
    session->Start();
  }
  Accept();  // other errors (a peer that reset before accept) concern one connection only
}

void Core::RequestStop(std::function<void()> on_listener_closed) {
  asio::post(*io_, [this, cb = std::move(on_listener_closed)] { BeginDrain(cb); });
}

void Core::StopOnSignals(std::function<void()> on_signal) {
  asio::post(*io_, [this, cb = std::move(on_signal)] {
    if (draining_ || signals_) return;
    signals_ = std::make_unique<asio::signal_set>(*io_, SIGINT, SIGTERM);
    signals_->async_wait([this, cb](const boost::system::error_code& ec, int signal) {
      if (ec) return;
      log::Info("http.signal", {{"signal", signal}});
      cb();
    });
  });
}

void Core::BeginDrain(const std::function<void()>& on_listener_closed) {
  if (draining_) return;
  draining_ = true;
  boost::system::error_code ignored;
  acceptor_->close(ignored);
  retry_timer_->cancel();
  if (signals_) signals_->cancel(ignored);
  if (on_listener_closed) on_listener_closed();
  // Copy first: an idle session closes (and unregisters) inside OnDrain.
  std::vector<Session*> sessions(sessions_.begin(), sessions_.end());
  for (Session* s : sessions) s->OnDrain();
  if (sessions_.empty()) {
    Finish();
    return;
  }
  drain_timer_->expires_after(limits_.drain_timeout);
  drain_timer_->async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    log::Warn("http.drain.deadline", {{"core", index_}, {"cut", sessions_.size()}});
    Finish();
  });
}

void Core::Unregister(Session* session) {
  sessions_.erase(session);
  if (draining_ && sessions_.empty()) Finish();
}

void Core::Finish() {
  drain_timer_->cancel();
  work_.reset();
  io_->stop();
}

void Core::Teardown() {
  if (!io_) return;
  // Cut what is left (drain deadline), let the aborted completions run so every Session is
  // released, then destroy the Handler and the I/O objects before their io_context.
  std::vector<Session*> sessions(sessions_.begin(), sessions_.end());
  for (Session* s : sessions) s->Close();
  sessions_.clear();
  io_->restart();
  io_->poll();
  handler_.reset();
  signals_.reset();
  drain_timer_.reset();
  retry_timer_.reset();
  acceptor_.reset();
  work_.reset();
  io_.reset();
}

}  // namespace blaze::http
