// Outbound fetch through __blazeHost.fetch against a local Beast server on 127.0.0.1.
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <thread>

#include "blaze/runtime/engine/engine_test_util.h"

namespace blaze::engine {
namespace {

namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

// Serves `count` connections: /hello, /echo (POST body back), /redirect -> /hello.
class LocalServer {
 public:
  explicit LocalServer(int count) : acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this, count] {
      for (int i = 0; i < count; i++) Serve();
    });
  }
  ~LocalServer() { thread_.join(); }
  std::string Url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }

 private:
  void Serve() {
    tcp::socket socket(io_);
    acceptor_.accept(socket);
    boost::beast::flat_buffer buffer;
    http::request<http::string_body> request;
    http::read(socket, buffer, request);
    http::response<http::string_body> response{http::status::ok, 11};
    std::string target(request.target());
    if (target == "/redirect") {
      response.result(http::status::found);
      response.set(http::field::location, "/hello");
    } else if (target == "/echo") {
      response.body() = std::string(request.method_string()) + ":" + request.body();
    } else {
      response.body() = "hello";
    }
    response.set("x-served-by", "local");
    response.prepare_payload();
    http::write(socket, response);
  }

  boost::asio::io_context io_;
  tcp::acceptor acceptor_;
  unsigned short port_;
  std::thread thread_;
};

const char* kFetchWorker = R"(
  export default { async fetch(request) {
    const { url, method, body, redirect } = JSON.parse(await request.text());
    try {
      const r = await fetch(url, { method, body, redirect });
      return new Response(JSON.stringify({ status: r.status, text: await r.text(),
        redirected: r.redirected, url: r.url, served: Object.fromEntries(r.headers)['x-served-by'] ?? null }));
    } catch (e) {
      return new Response(JSON.stringify({ error: e.constructor.name, message: e.message }));
    }
  } };)";

std::string RunFetch(testing::Harness& h, const std::shared_ptr<const WorkerBundle>& bundle,
                     const std::string& spec) {
  WorkerRequest request = testing::Get();
  request.method = "POST";
  request.body = spec;
  Invocation result = h.Run(bundle, request);
  EXPECT_EQ(result.outcome, Outcome::kOk) << result.exception;
  return result.response.body;
}

TEST(OutboundFetch, GetsPostsAndFollowsOrReturnsRedirects) {
  LocalServer server(5);
  testing::Harness h;
  auto bundle = h.Compile({{"worker.js", kFetchWorker}});
  EXPECT_EQ(RunFetch(h, bundle, R"({"url":")" + server.Url("/hello") + R"("})"),
            R"({"status":200,"text":"hello","redirected":false,"url":")" + server.Url("/hello") +
                R"(","served":"local"})");
  EXPECT_EQ(RunFetch(h, bundle, R"({"url":")" + server.Url("/echo") +
                                    R"(","method":"POST","body":"payload"})"),
            R"({"status":200,"text":"POST:payload","redirected":false,"url":")" +
                server.Url("/echo") + R"(","served":"local"})");
  EXPECT_EQ(RunFetch(h, bundle, R"({"url":")" + server.Url("/redirect") + R"("})"),
            R"({"status":200,"text":"hello","redirected":true,"url":")" + server.Url("/hello") +
                R"(","served":"local"})");
  EXPECT_EQ(RunFetch(h, bundle, R"({"url":")" + server.Url("/redirect") +
                                    R"(","redirect":"manual"})"),
            R"({"status":302,"text":"","redirected":false,"url":")" + server.Url("/redirect") +
                R"(","served":"local"})");
}

// `<worker>.localhost` is loopback (RFC 6761) even though glibc's resolver does not know it:
// a worker under `blaze serve` fetches its own origin, `http://<worker>.localhost:8787`.
TEST(OutboundFetch, NamesUnderLocalhostReachTheLoopbackAddress) {
  LocalServer server(1);
  testing::Harness h;
  auto bundle = h.Compile({{"worker.js", kFetchWorker}});
  std::string url = server.Url("/hello");
  url.replace(url.find("127.0.0.1"), 9, "scores-api.localhost");
  EXPECT_EQ(RunFetch(h, bundle, R"({"url":")" + url + R"("})"),
            R"({"status":200,"text":"hello","redirected":false,"url":")" + url +
                R"(","served":"local"})");
}

// Regression: the TLS context (loading the system trust store, ~45 ms of CPU) used to be built
// inside the first fetch of every core, plain HTTP included, and was charged to that request's
// 50 ms CPU budget: the first request doing a fetch on each core died with exceededCpu.
TEST(OutboundFetch, APlainHttpFetchDoesNotPayForTlsSetup) {
  LocalServer server(1);
  testing::Harness h;
  auto bundle = h.Compile({{"worker.js", kFetchWorker}});
  WorkerRequest request = testing::Get();
  request.method = "POST";
  request.body = R"({"url":")" + server.Url("/hello") + R"("})";
  Invocation result = h.Run(bundle, request);
  ASSERT_EQ(result.outcome, Outcome::kOk) << result.exception;
  EXPECT_LT(result.cpu_time, std::chrono::milliseconds(30));
}

TEST(OutboundFetch, RejectsWithTypeErrorWhenTheConnectionIsRefused) {
  unsigned short port;
  {
    boost::asio::io_context io;
    tcp::acceptor probe(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    port = probe.local_endpoint().port();
  }  // closed: nothing listens there now
  testing::Harness h;
  auto bundle = h.Compile({{"worker.js", kFetchWorker}});
  std::string body = RunFetch(h, bundle, R"({"url":"http://127.0.0.1:)" + std::to_string(port) +
                                             R"(/x"})");
  EXPECT_NE(body.find(R"("error":"TypeError")"), std::string::npos) << body;
  EXPECT_NE(body.find("connect failed"), std::string::npos) << body;
}

}  // namespace
}  // namespace blaze::engine
