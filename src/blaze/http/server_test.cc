// The server's request/response behaviour over real loopback sockets.
#include "blaze/http/server.h"

#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <thread>

#include "blaze/http/test_support.h"

namespace blaze::http {
namespace {

using namespace testing;

// Answers "<method> <target> host=<host> body=<n>" and echoes a few request facts as headers.
void Echo(HttpRequest request, Respond respond) {
  HttpResponse response;
  response.headers.push_back({"x-seen-trace", request.trace_id.ToString()});
  response.headers.push_back(
      {"x-remote", request.remote_address + ":" + std::to_string(request.remote_port)});
  response.body = Body(request.method + " " + request.target + " host=" + request.host +
                       " body=" + std::to_string(request.body.size()));
  respond(std::move(response));
}

std::unique_ptr<Server> MustStart(HandleFn fn, ServerOptions options = LoopbackOptions()) {
  auto server = StartServer(std::move(options), std::move(fn));
  EXPECT_TRUE(server.has_value()) << server.error().ToString();
  return server ? std::move(*server) : nullptr;
}

bool IsTraceId(std::string_view s) { return TraceId::FromHex(s).has_value(); }

TEST(Server, ReportsTheKernelChosenPort) {
  auto server = MustStart(Echo);
  EXPECT_NE(server->port(), 0);
  EXPECT_EQ(server->core_count(), 1);
}

TEST(Server, KeepAliveServesTwoRequestsOnOneConnection) {
  auto server = MustStart(Echo);
  auto c = TestConnection::Connect(server->port()).value();
  ASSERT_TRUE(c.Send(GetRequest("/one")).has_value());
  auto first = c.ReadResponse().value();
  ASSERT_TRUE(c.Send(GetRequest("/two?x=1")).has_value());
  auto second = c.ReadResponse().value();
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.body, "GET /one host=test.localhost body=0");
  EXPECT_EQ(second.body, "GET /two?x=1 host=test.localhost body=0");
  EXPECT_EQ(first.header("connection"), std::nullopt);
  // Same connection: the server saw the same client port both times.
  EXPECT_EQ(first.header("x-remote"), "127.0.0.1:" + std::to_string(c.local_port()));
  EXPECT_EQ(second.header("x-remote"), first.header("x-remote"));
}

TEST(Server, PipelinedRequestsAreAnsweredInOrder) {
  auto server = MustStart(Echo);
  auto c = TestConnection::Connect(server->port()).value();
  ASSERT_TRUE(c.Send(GetRequest("/a") + GetRequest("/b") + GetRequest("/c")).has_value());
  for (std::string_view path : {"/a", "/b", "/c"}) {
    auto r = c.ReadResponse().value();
    EXPECT_EQ(r.body, "GET " + std::string(path) + " host=test.localhost body=0");
  }
}

TEST(Server, EveryResponseCarriesAFreshTraceIdThatTheHandlerSaw) {
  auto server = MustStart(Echo);
  auto a = FetchOnce(server->port(), "/").value();
  auto b = FetchOnce(server->port(), "/").value();
  ASSERT_TRUE(a.header("x-trace-id").has_value());
  EXPECT_TRUE(IsTraceId(*a.header("x-trace-id")));
  EXPECT_EQ(a.header("x-trace-id"), a.header("x-seen-trace"));
  EXPECT_NE(a.header("x-trace-id"), b.header("x-trace-id"));
}

TEST(Server, ValidTraceparentBecomesTheTraceId) {
  auto server = MustStart(Echo);
  auto r = FetchOnce(server->port(), "/",
                     "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\n")
               .value();
  EXPECT_EQ(r.header("x-trace-id"), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(r.header("x-seen-trace"), "4bf92f3577b34da6a3ce929d0e0e4736");
}

TEST(Server, AllZeroTraceparentGetsAFreshTraceId) {
  auto server = MustStart(Echo);
  auto r = FetchOnce(server->port(), "/",
                     "traceparent: 00-00000000000000000000000000000000-00f067aa0ba902b7-01\r\n")
               .value();
  ASSERT_TRUE(r.header("x-trace-id").has_value());
  EXPECT_TRUE(IsTraceId(*r.header("x-trace-id")));
}

TEST(Server, HandlerMayRespondLaterFromATimerOnItsCore) {
  std::unique_ptr<Server> server;
  auto fn = [&server](HttpRequest, Respond respond) {
    auto timer = std::make_shared<boost::asio::steady_timer>(server->io_context(0));
    timer->expires_after(std::chrono::milliseconds(20));
    timer->async_wait([timer, respond](const boost::system::error_code&) {
      HttpResponse r;
      r.body = Body("later");
      respond(std::move(r));
    });
  };
  server = MustStart(fn);
  auto r = FetchOnce(server->port(), "/").value();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "later");
}

TEST(Server, RequestBodyAndHeadersReachTheHandler) {
  HttpRequest seen;
  auto server = MustStart([&seen](HttpRequest request, Respond respond) {
    seen = std::move(request);
    respond(HttpResponse{});
  });
  auto c = TestConnection::Connect(server->port()).value();
  ASSERT_TRUE(c.Send("PUT /put HTTP/1.1\r\nHost: w.localhost\r\nX-One: 1\r\nx-two: 2\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n4\r\nbody\r\n0\r\n\r\n")
                  .has_value());
  EXPECT_EQ(c.ReadResponse().value().status, 200);
  EXPECT_EQ(seen.method, "PUT");
  EXPECT_EQ(seen.host, "w.localhost");
  EXPECT_EQ(seen.body.buffered(), "body");
  ASSERT_GE(seen.headers.size(), 3u);
  EXPECT_EQ(seen.headers[1].name, "X-One");
  EXPECT_EQ(seen.headers[2].name, "x-two");
}

TEST(Server, ExpectContinueGetsAGoAheadBeforeTheBody) {
  auto server = MustStart(Echo);
  auto c = TestConnection::Connect(server->port()).value();
  ASSERT_TRUE(c.Send("POST /up HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
                     "Content-Length: 5\r\n\r\n")
                  .has_value());
  auto go = c.ReadResponse().value();
  EXPECT_EQ(go.status, 100);
  ASSERT_TRUE(c.Send("hello").has_value());
  auto r = c.ReadResponse().value();
  EXPECT_EQ(r.body, "POST /up host=h body=5");
}

TEST(Server, SeveralSetCookieHeadersStaySeparate) {
  auto server = MustStart([](HttpRequest, Respond respond) {
    HttpResponse r;
    r.headers = {{"Set-Cookie", "a=1"}, {"Set-Cookie", "b=2"}};
    respond(std::move(r));
  });
  auto r = FetchOnce(server->port(), "/").value();
  int cookies = 0;
  for (const auto& h : r.headers) cookies += h.name == "Set-Cookie";
  EXPECT_EQ(cookies, 2);
}

TEST(Server, LargeResponseBodiesArriveWhole) {
  std::string big(1 << 20, 'x');
  auto server = MustStart([&big](HttpRequest, Respond respond) {
    HttpResponse r;
    r.body = Body(big);
    respond(std::move(r));
  });
  auto c = TestConnection::Connect(server->port()).value();
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(c.Send(GetRequest("/big")).has_value());
    EXPECT_EQ(c.ReadResponse().value().body.size(), big.size());
  }
}

TEST(Server, HeadResponseAnnouncesTheLengthWithoutABody) {
  auto server = MustStart(Echo);
  auto c = TestConnection::Connect(server->port()).value();
  ASSERT_TRUE(c.Send("HEAD /h HTTP/1.1\r\nHost: h\r\n\r\n" + GetRequest("/next")).has_value());
  // The client parser frames by content-length, so read the HEAD reply's head by hand: the
  // next response must start right after it.
  auto head = c.ReadResponse(std::chrono::milliseconds(5000));
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->header("content-length"), "21");         // "HEAD /h host=h body=0"
  EXPECT_TRUE(head->body.starts_with("HTTP/1.1 200 OK"));  // no body: the next reply follows
}

TEST(Server, DroppingRespondWithoutCallingItAnswers500) {
  auto server = MustStart([](HttpRequest, Respond) {});
  auto r = FetchOnce(server->port(), "/").value();
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body, R"({"error":"handler dropped the request","status":500})");
}

TEST(Server, InvalidResponseHeaderBecomes500) {
  auto server = MustStart([](HttpRequest, Respond respond) {
    HttpResponse r;
    r.headers = {{"x-bad", "a\r\nInjected: yes"}};
    respond(std::move(r));
  });
  auto r = FetchOnce(server->port(), "/").value();
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.header("Injected"), std::nullopt);
  EXPECT_TRUE(r.header("x-trace-id").has_value());
}

TEST(Server, HandlerExceptionDoesNotKillTheCore) {
  auto server = MustStart([](HttpRequest request, Respond respond) {
    if (request.target == "/throw") throw std::runtime_error("boom");
    respond(HttpResponse{});
  });
  EXPECT_EQ(FetchOnce(server->port(), "/throw").value().status, 500);
  EXPECT_EQ(FetchOnce(server->port(), "/fine").value().status, 200);
}

TEST(Server, StartFailsWithUnavailableWhenThePortIsTaken) {
  // An ordinary listener (no SO_REUSEPORT) owns the port, so the server may not share it.
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor blocker(io);
  blocker.open(boost::asio::ip::tcp::v4());
  blocker.bind({boost::asio::ip::make_address("127.0.0.1"), 0});
  blocker.listen();
  auto options = LoopbackOptions();
  options.port = blocker.local_endpoint().port();
  auto server = StartServer(options, Echo);
  ASSERT_FALSE(server.has_value());
  EXPECT_EQ(server.error().code(), ErrorCode::kUnavailable);
  EXPECT_NE(server.error().message().find("bind 127.0.0.1:"), std::string::npos);
}

// Regression: with SO_REUSEPORT on every core, a second server (another `blaze serve`) used to
// bind the same port and silently take half of the connections.
TEST(Server, ASecondServerMayNotShareTheFirstOnesPort) {
  auto first = StartServer(LoopbackOptions(), Echo);
  ASSERT_TRUE(first.has_value());
  auto options = LoopbackOptions();
  options.port = (*first)->port();
  auto second = StartServer(options, Echo);
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code(), ErrorCode::kUnavailable);
  EXPECT_NE(second.error().message().find("in use"), std::string::npos) << second.error().message();
}

TEST(Server, StartRejectsAnInvalidAddress) {
  auto options = LoopbackOptions();
  options.address = "not-an-ip";
  auto server = StartServer(options, Echo);
  ASSERT_FALSE(server.has_value());
  EXPECT_EQ(server.error().code(), ErrorCode::kInvalidArgument);
}

class OkHandler final : public Handler {
 public:
  void Handle(HttpRequest, Respond respond) override { respond(HttpResponse{}); }
};

TEST(Server, StartReturnsTheFactoryErrorAndLeavesNothingRunning) {
  auto server =
      Server::Start(LoopbackOptions(2), [](CoreContext& core) -> Result<std::unique_ptr<Handler>> {
        if (core.index == 1) return Fail(FailedPrecondition("core 1 setup failed"));
        return std::make_unique<OkHandler>();
      });
  ASSERT_FALSE(server.has_value());
  EXPECT_EQ(server.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(server.error().message(), "core 1 setup failed");
}

}  // namespace
}  // namespace blaze::http
