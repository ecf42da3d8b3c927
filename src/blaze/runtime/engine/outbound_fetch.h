// OutboundClient: the HTTP/1.1 client behind `fetch()` (Boost.Beast on the core's io_context;
// never blocks the core). http:// and https:// (OpenSSL, system trust store, SNI, host name
// verification), redirects (follow up to 20, manual, error), a timeout for the response head.
// The body comes whole when it arrived with the head, else as a stream read on demand.
// Results are values: Unavailable (connect/DNS/TLS/protocol), DeadlineExceeded (timeout),
// InvalidArgument (bad URL / redirect:"error" hit a redirect). Pure C++, no JS. Core-local.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <string>

#include "blaze/base/result.h"
#include "blaze/runtime/engine/invocation.h"

namespace blaze::engine {

enum class RedirectMode { kFollow, kManual, kError };

struct OutboundRequest {
  std::string method = "GET";
  std::string url;
  HeaderList headers;
  std::string body;
  RedirectMode redirect = RedirectMode::kFollow;
};

struct OutboundResponse {
  int status = 0;
  std::string status_text;
  HeaderList headers;
  // The whole body when it had arrived with the head; otherwise `body_stream` (set instead),
  // which reads the rest from the origin as it is pulled. Dropping it closes the connection.
  std::string body;
  std::shared_ptr<ByteSource> body_stream;
  std::string url;  // final URL after redirects
  bool redirected = false;
};

struct OutboundOptions {
  // Until the response head has arrived; then, for a streamed body, between two reads.
  std::chrono::milliseconds timeout{30'000};
  std::size_t max_body_bytes = 128u << 20;  // a body buffered whole; streamed ones are unbounded
  int max_redirects = 20;
};

class OutboundClient {
 public:
  OutboundClient(boost::asio::io_context& io, OutboundOptions options);
  ~OutboundClient();

  using Callback = std::function<void(Result<OutboundResponse>)>;
  // `done` runs on the io_context, exactly once.
  void Fetch(OutboundRequest request, Callback done);

  // Built on a helper thread from the first fetch on (loading the trust store costs ~45 ms of
  // CPU); a TLS connection made before it is ready waits for it.
  boost::asio::ssl::context& tls();

 private:
  void WarmTls();

  boost::asio::io_context& io_;
  OutboundOptions options_;
  std::future<std::unique_ptr<boost::asio::ssl::context>> tls_future_;
  std::unique_ptr<boost::asio::ssl::context> tls_;
};

}  // namespace blaze::engine
