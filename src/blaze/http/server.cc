#include "blaze/http/server.h"

#include <atomic>
#include <future>

#include "blaze/base/ids.h"
#include "blaze/base/log.h"
#include "blaze/http/core.h"

namespace blaze::http {

namespace asio = boost::asio;

namespace {

int ThreadCount(int requested) {
  if (requested > 0) return requested;
  unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : static_cast<int>(hw);
}

}  // namespace

namespace {

Status ProbeFree(const asio::ip::tcp::endpoint& endpoint) {
  asio::io_context io;
  asio::ip::tcp::acceptor probe(io);
  boost::system::error_code ec;
  probe.open(endpoint.protocol(), ec);
  if (!ec) probe.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) probe.bind(endpoint, ec);
  if (ec) {
    return Fail(Unavailable("bind " + endpoint.address().to_string() + ":" +
                            std::to_string(endpoint.port()) + ": " + ec.message()));
  }
  return Ok();
}

}  // namespace

Result<std::unique_ptr<Server>> Server::Start(ServerOptions options, HandlerFactory factory) {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(options.address, ec);
  if (ec) return Fail(InvalidArgument("invalid listen address '" + options.address + "'"));
  std::unique_ptr<Server> server(new Server());
  server->factory_ = std::move(factory);
  server->address_ = options.address;
  Random* random = options.random;
  if (random == nullptr) {
    server->own_random_ = std::make_unique<Random>();
    random = server->own_random_.get();
  }
  int n = ThreadCount(options.threads);
  std::uint16_t port = options.port;
  // SO_REUSEPORT lets any process of this user join a port that is already served, and the
  // kernel would quietly split connections between the two. A plain bind first refuses that.
  if (port != 0) BLAZE_TRY_VOID(ProbeFree(asio::ip::tcp::endpoint(address, port)));
  for (int i = 0; i < n; ++i) {
    auto core = std::make_unique<Core>(i, options.limits, *random);
    // Core 0 may bind port 0; the others then share the port the kernel picked for it.
    BLAZE_TRY_VOID(core->Listen(asio::ip::tcp::endpoint(address, port)));
    port = core->port();
    server->cores_.push_back(std::move(core));
  }
  server->port_ = port;

  std::vector<std::promise<Status>> ready(n);
  for (int i = 0; i < n; ++i) {
    Core* core = server->cores_[i].get();
    std::promise<Status>* promise = &ready[i];
    const HandlerFactory* f = &server->factory_;
    server->threads_.emplace_back(
        [core, promise, f] { core->Run(*f, [promise](Status s) { promise->set_value(s); }); });
  }
  Status first_error = Ok();
  for (auto& promise : ready) {
    Status s = promise.get_future().get();
    if (!s && first_error) first_error = s;
  }
  if (!first_error) {
    server->Stop();
    return Fail(first_error.error());
  }
  for (auto& core : server->cores_) core->StartAccepting();
  log::Info("http.listening", {{"address", server->address_}, {"port", int{port}}, {"cores", n}});
  return server;
}

Server::~Server() { Stop(); }

asio::io_context& Server::io_context(int index) { return cores_.at(index)->io(); }

void Server::RequestStop(std::function<void()> on_listeners_closed) {
  std::call_once(stop_once_, [&] {
    auto remaining = std::make_shared<std::atomic<int>>(core_count());
    auto done = std::make_shared<std::function<void()>>(std::move(on_listeners_closed));
    for (auto& core : cores_) {
      core->RequestStop([remaining, done] {
        if (remaining->fetch_sub(1) == 1 && *done) (*done)();
      });
    }
  });
}

void Server::Wait() {
  std::lock_guard lock(join_mu_);
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

void Server::Stop() {
  RequestStop();
  Wait();
}

void Server::StopOnSignals() {
  if (cores_.empty()) return;
  cores_[0]->StopOnSignals([this] { RequestStop(); });
}

}  // namespace blaze::http
