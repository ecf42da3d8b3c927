// Test support for the server's tests: a loopback server started on port 0 with a function as
// its Handler, and TestConnection, a blocking HTTP/1.1 client over a plain socket. Every wait is
// bounded by poll() with a timeout (a failing test fails, never hangs); nothing sleeps.
// ReadResponse frames by content-length; streamed (chunked) responses are read raw with
// ReadUntil / ReadUntilClose.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "blaze/base/result.h"
#include "blaze/http/message.h"
#include "blaze/http/server.h"

namespace blaze::http::testing {

using namespace std::chrono_literals;

// Every core gets a Handler calling `fn` (on that core's thread).
using HandleFn = std::function<void(HttpRequest, Respond)>;

// 127.0.0.1, port 0, `threads` cores, default limits.
ServerOptions LoopbackOptions(int threads = 1);
Result<std::unique_ptr<Server>> StartServer(ServerOptions options, HandleFn fn);

struct ClientResponse {
  int status = 0;
  Headers headers;
  std::string body;
  std::optional<std::string_view> header(std::string_view name) const {
    return FindHeader(headers, name);
  }
};

class TestConnection {
 public:
  // Connects to 127.0.0.1:port. Unavailable (e.g. "connection refused") on failure.
  static Result<TestConnection> Connect(std::uint16_t port);

  TestConnection(TestConnection&& other) noexcept;
  TestConnection& operator=(TestConnection&&) = delete;
  ~TestConnection();

  Status Send(std::string_view bytes);
  // DeadlineExceeded after `timeout`; Unavailable if the server closed first.
  Result<ClientResponse> ReadResponse(std::chrono::milliseconds timeout = 5s);
  // True once the server has closed (EOF or reset) within `timeout`; input is discarded.
  bool WaitForClose(std::chrono::milliseconds timeout = 5s);
  // Raw bytes up to and including `needle` (the rest stays buffered). For streamed responses.
  Result<std::string> ReadUntil(std::string_view needle, std::chrono::milliseconds timeout = 5s);
  // Everything until the server closes; DeadlineExceeded if it is still open after `timeout`.
  Result<std::string> ReadUntilClose(std::chrono::milliseconds timeout = 5s);
  // Closes our end now (the destructor would too).
  void Close();
  // The local (client-side) port, which identifies this connection to the server.
  std::uint16_t local_port() const;

 private:
  explicit TestConnection(int fd) : fd_(fd) {}
  // Appends what arrives within the deadline; false on EOF, error or timeout.
  Result<bool> ReadSome(std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  std::string buffer_;
};

// "GET <target> HTTP/1.1\r\nHost: <host>\r\n<extra>\r\n" (`extra` lines end in \r\n).
std::string GetRequest(std::string_view target, std::string_view host = "test.localhost",
                       std::string_view extra = "");

// Connect, send one GET, read one response.
Result<ClientResponse> FetchOnce(std::uint16_t port, std::string_view target,
                                 std::string_view extra = "");

}  // namespace blaze::http::testing
