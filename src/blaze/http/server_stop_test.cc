// Graceful stop: listeners close first, in-flight requests finish, idle connections close, and a
// drain deadline bounds the wait.
#include <gtest/gtest.h>

#include <boost/asio/steady_timer.hpp>
#include <future>
#include <thread>

#include "blaze/http/server.h"
#include "blaze/http/test_support.h"

namespace blaze::http {
namespace {

using namespace testing;
using std::chrono::milliseconds;

TEST(ServerStop, FinishesAnInFlightRequestWhileRefusingNewConnections) {
  std::unique_ptr<Server> server;
  std::promise<void> slow_started;
  auto fn = [&](HttpRequest request, Respond respond) {
    if (request.target != "/slow") {
      respond(HttpResponse{});
      return;
    }
    auto timer = std::make_shared<boost::asio::steady_timer>(server->io_context(0));
    timer->expires_after(milliseconds(300));
    timer->async_wait([timer, respond](const boost::system::error_code&) {
      HttpResponse r;
      r.body = Body("finished");
      respond(std::move(r));
    });
    slow_started.set_value();
  };
  server = StartServer(LoopbackOptions(), fn).value();
  std::uint16_t port = server->port();

  auto idle = TestConnection::Connect(port).value();  // a served, now idle keep-alive client
  ASSERT_TRUE(idle.Send(GetRequest("/")).has_value());
  ASSERT_EQ(idle.ReadResponse().value().status, 200);

  auto busy = TestConnection::Connect(port).value();
  ASSERT_TRUE(busy.Send(GetRequest("/slow")).has_value());
  slow_started.get_future().wait();

  std::promise<void> listeners_closed;
  server->RequestStop([&] { listeners_closed.set_value(); });
  listeners_closed.get_future().wait();

  auto refused = TestConnection::Connect(port);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code(), ErrorCode::kUnavailable);
  EXPECT_TRUE(idle.WaitForClose());  // idle keep-alive connections are closed at once

  auto r = busy.ReadResponse();
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "finished");
  EXPECT_EQ(r->header("connection"), "close");
  EXPECT_TRUE(busy.WaitForClose());
  busy.Close();    // the server lingers until the client closes too
  server->Wait();  // returns: every core drained and joined
}

// Parks every Respond without calling it. It owns them, so they die with the Handler on the
// core thread, as a runtime's pending requests would.
class ParkingHandler final : public Handler {
 public:
  explicit ParkingHandler(std::promise<void>* parked_one) : parked_one_(parked_one) {}
  void Handle(HttpRequest, Respond respond) override {
    parked_.push_back(std::move(respond));
    if (parked_.size() == 1) parked_one_->set_value();
  }

 private:
  std::promise<void>* parked_one_;
  std::vector<Respond> parked_;
};

TEST(ServerStop, DrainDeadlineCutsRequestsThatNeverFinish) {
  std::promise<void> parked_one;
  auto options = LoopbackOptions();
  options.limits.drain_timeout = milliseconds(200);
  auto server = Server::Start(options, [&](CoreContext&) -> Result<std::unique_ptr<Handler>> {
                  return std::make_unique<ParkingHandler>(&parked_one);
                }).value();
  auto c = TestConnection::Connect(server->port()).value();
  ASSERT_TRUE(c.Send(GetRequest("/")).has_value());
  parked_one.get_future().wait();
  auto start = std::chrono::steady_clock::now();
  server->Stop();
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(190));
  EXPECT_TRUE(c.WaitForClose());
}

TEST(ServerStop, StopWithNoConnectionsReturnsPromptlyAndIsIdempotent) {
  auto server = StartServer(LoopbackOptions(2), [](HttpRequest, Respond r) { r({}); }).value();
  server->Stop();
  server->Stop();
  server->RequestStop();
  server->Wait();
}

TEST(ServerStop, RequestStopFromAHandlerOnACoreThreadDoesNotDeadlock) {
  std::unique_ptr<Server> server;
  server = StartServer(LoopbackOptions(2), [&server](HttpRequest, Respond respond) {
             server->RequestStop();
             respond(HttpResponse{});
           }).value();
  auto c = TestConnection::Connect(server->port()).value();
  ASSERT_TRUE(c.Send(GetRequest("/")).has_value());
  EXPECT_EQ(c.ReadResponse().value().status, 200);  // answered before the posted stop runs
  EXPECT_TRUE(c.WaitForClose());                    // then the drain closes the connection
  c.Close();
  server->Wait();
}

}  // namespace
}  // namespace blaze::http
