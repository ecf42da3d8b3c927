// One thread per core: connections spread over the cores by SO_REUSEPORT, and every request is
// handled on the thread of the core that accepted its connection.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <set>
#include <thread>

#include "blaze/http/server.h"
#include "blaze/http/test_support.h"

namespace blaze::http {
namespace {

using namespace testing;

// Built on its core's thread; remembers that thread and answers "<core>:<same thread?>".
class CoreHandler final : public Handler {
 public:
  explicit CoreHandler(int core) : core_(core), thread_(std::this_thread::get_id()) {}
  void Handle(HttpRequest, Respond respond) override {
    bool same = std::this_thread::get_id() == thread_;
    HttpResponse r;
    r.body = Body(std::to_string(core_) + (same ? ":own-thread" : ":WRONG-thread"));
    respond(std::move(r));
  }

 private:
  int core_;
  std::thread::id thread_;
};

TEST(ServerCores, EachCoreRunsItsSetupOnItsOwnThreadWithItsOwnIoContext) {
  std::array<std::atomic<boost::asio::io_context*>, 2> seen_io{};
  std::array<std::thread::id, 2> seen_thread{};
  auto server =
      Server::Start(LoopbackOptions(2), [&](CoreContext& core) -> Result<std::unique_ptr<Handler>> {
        seen_io[core.index] = &core.io;
        seen_thread[core.index] = std::this_thread::get_id();
        return std::make_unique<CoreHandler>(core.index);
      }).value();
  ASSERT_EQ(server->core_count(), 2);
  EXPECT_EQ(seen_io[0].load(), &server->io_context(0));
  EXPECT_EQ(seen_io[1].load(), &server->io_context(1));
  EXPECT_NE(seen_thread[0], seen_thread[1]);
  EXPECT_NE(seen_thread[0], std::this_thread::get_id());
}

TEST(ServerCores, ConnectionsSpreadOverCoresAndRequestsStayOnTheirCoreThread) {
  auto server =
      Server::Start(LoopbackOptions(2), [](CoreContext& core) -> Result<std::unique_ptr<Handler>> {
        return std::make_unique<CoreHandler>(core.index);
      }).value();
  // All connections open before any request, so the kernel's spread is over 64 source ports;
  // the chance that one core gets all of them is 2^-63.
  constexpr int kConnections = 64;
  std::vector<TestConnection> connections;
  for (int i = 0; i < kConnections; ++i) {
    connections.push_back(TestConnection::Connect(server->port()).value());
  }
  std::set<std::string> cores_seen;
  for (auto& c : connections) {
    ASSERT_TRUE(c.Send(GetRequest("/1") + GetRequest("/2")).has_value());
  }
  for (auto& c : connections) {
    auto first = c.ReadResponse().value();
    auto second = c.ReadResponse().value();
    ASSERT_EQ(first.status, 200);
    EXPECT_TRUE(first.body.ends_with(":own-thread")) << first.body;
    EXPECT_EQ(second.body, first.body);  // a connection never changes core
    cores_seen.insert(first.body);
  }
  EXPECT_EQ(cores_seen, (std::set<std::string>{"0:own-thread", "1:own-thread"}));
}

}  // namespace
}  // namespace blaze::http
