// Limits and timeouts: 413, 431, 400, slowloris and idle keep-alive, over real sockets.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "blaze/http/server.h"
#include "blaze/http/test_support.h"

namespace blaze::http {
namespace {

using namespace testing;
using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

void Ok200(HttpRequest, Respond respond) { respond(HttpResponse{}); }

std::unique_ptr<Server> MustStart(ServerLimits limits) {
  auto options = LoopbackOptions();
  options.limits = limits;
  auto server = StartServer(options, Ok200);
  EXPECT_TRUE(server.has_value()) << server.error().ToString();
  return server ? std::move(*server) : nullptr;
}

// The reply is a JSON error with `status`, announces the close, and the server then closes.
void ExpectErrorAndClose(TestConnection& c, int status) {
  auto r = c.ReadResponse();
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->status, status);
  EXPECT_EQ(r->header("content-type"), "application/json");
  EXPECT_EQ(r->header("connection"), "close");
  EXPECT_TRUE(r->header("x-trace-id").has_value());
  auto body = nlohmann::json::parse(r->body);
  EXPECT_EQ(body["status"], status);
  EXPECT_TRUE(body["error"].is_string());
  EXPECT_TRUE(c.WaitForClose());
}

TEST(ServerLimits, BodyOverTheLimitGets413) {
  ServerLimits limits;
  limits.max_body_bytes = 1024;
  auto server = MustStart(limits);
  auto c = TestConnection::Connect(server->port()).value();
  ASSERT_TRUE(
      c.Send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2048\r\n\r\n" + std::string(2048, 'x'))
          .has_value());
  ExpectErrorAndClose(c, 413);
}

TEST(ServerLimits, AnnouncedBodyOverTheDefault100MbGets413WithoutReadingIt) {
  auto server = MustStart(ServerLimits{});
  auto c = TestConnection::Connect(server->port()).value();
  ASSERT_TRUE(
      c.Send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 104857601\r\n\r\n").has_value());
  ExpectErrorAndClose(c, 413);
}

TEST(ServerLimits, ChunkedBodyOverTheLimitGets413) {
  ServerLimits limits;
  limits.max_body_bytes = 8;
  auto server = MustStart(limits);
  auto c = TestConnection::Connect(server->port()).value();
  ASSERT_TRUE(c.Send("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "10\r\n0123456789abcdef\r\n0\r\n\r\n")
                  .has_value());
  ExpectErrorAndClose(c, 413);
}

TEST(ServerLimits, HeaderOverTheDefault64KibGets431) {
  auto server = MustStart(ServerLimits{});
  auto c = TestConnection::Connect(server->port()).value();
  std::string request = "GET / HTTP/1.1\r\nHost: h\r\n";
  for (int i = 0; i < 70; ++i)
    request += "X-Filler-" + std::to_string(i) + ": " + std::string(1000, 'a') + "\r\n";
  request += "\r\n";
  ASSERT_TRUE(c.Send(request).has_value());
  ExpectErrorAndClose(c, 431);
}

TEST(ServerLimits, GarbageGets400AndClose) {
  auto server = MustStart(ServerLimits{});
  auto c = TestConnection::Connect(server->port()).value();
  ASSERT_TRUE(c.Send("THIS IS NOT HTTP\r\n\r\n").has_value());
  ExpectErrorAndClose(c, 400);
}

TEST(ServerLimits, MissingHostGets400) {
  auto server = MustStart(ServerLimits{});
  auto c = TestConnection::Connect(server->port()).value();
  ASSERT_TRUE(c.Send("GET / HTTP/1.1\r\n\r\n").has_value());
  ExpectErrorAndClose(c, 400);
}

TEST(ServerLimits, GarbageAfterAGoodRequestStillGetsTheGoodReplyFirst) {
  auto server = MustStart(ServerLimits{});
  auto c = TestConnection::Connect(server->port()).value();
  ASSERT_TRUE(c.Send(GetRequest("/") + "\x01\x02 garbage\r\n\r\n").has_value());
  EXPECT_EQ(c.ReadResponse().value().status, 200);
  ExpectErrorAndClose(c, 400);
}

TEST(ServerLimits, HeaderTimeoutClosesASlowlorisConnection) {
  ServerLimits limits;
  limits.header_timeout = milliseconds(200);
  auto server = MustStart(limits);
  auto c = TestConnection::Connect(server->port()).value();
  auto start = SteadyClock::now();
  ASSERT_TRUE(c.Send("GET / HTTP/1.1\r\nHost: h\r\nX-Slow: ").has_value());
  // Keep the header trickling: progress must not extend the deadline. Each wait is on the
  // socket itself, and returns as soon as the server closes.
  bool closed = false;
  while (!closed && SteadyClock::now() - start < milliseconds(5000)) {
    (void)c.Send("a");
    closed = c.WaitForClose(milliseconds(50));
  }
  EXPECT_TRUE(closed);
  EXPECT_GE(SteadyClock::now() - start, milliseconds(190));
  EXPECT_LT(SteadyClock::now() - start, milliseconds(2000));
}

TEST(ServerLimits, HeaderTimeoutClosesAConnectionThatSendsNothing) {
  ServerLimits limits;
  limits.header_timeout = milliseconds(200);
  auto server = MustStart(limits);
  auto c = TestConnection::Connect(server->port()).value();
  EXPECT_TRUE(c.WaitForClose(milliseconds(5000)));
}

TEST(ServerLimits, IdleKeepAliveConnectionIsClosedAfterTheIdleTimeout) {
  ServerLimits limits;
  limits.idle_timeout = milliseconds(200);
  auto server = MustStart(limits);
  auto c = TestConnection::Connect(server->port()).value();
  ASSERT_TRUE(c.Send(GetRequest("/")).has_value());
  EXPECT_EQ(c.ReadResponse().value().status, 200);
  auto start = SteadyClock::now();
  EXPECT_TRUE(c.WaitForClose(milliseconds(5000)));
  EXPECT_GE(SteadyClock::now() - start, milliseconds(150));
}

TEST(ServerLimits, ConnectionCloseRequestIsHonoured) {
  auto server = MustStart(ServerLimits{});
  auto c = TestConnection::Connect(server->port()).value();
  ASSERT_TRUE(c.Send(GetRequest("/", "h", "Connection: close\r\n")).has_value());
  auto r = c.ReadResponse().value();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("connection"), "close");
  EXPECT_TRUE(c.WaitForClose());
}

}  // namespace
}  // namespace blaze::http
