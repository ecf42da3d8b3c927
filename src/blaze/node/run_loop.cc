#include "blaze/node/run_loop.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

namespace blaze::node {

void RunUntilSignal(std::chrono::milliseconds interval, const std::function<void()>& tick) {
  boost::asio::io_context io;
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  boost::asio::steady_timer timer(io);
  std::function<void()> arm = [&] {
    timer.expires_after(interval);
    timer.async_wait([&](const boost::system::error_code& ec) {
      if (ec) return;
      if (tick) tick();
      arm();
    });
  };
  signals.async_wait([&](const boost::system::error_code&, int) {
    timer.cancel();
    io.stop();
  });
  arm();
  io.run();
}

}  // namespace blaze::node
