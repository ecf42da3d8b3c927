// HttpRequest and HttpResponse: the plain values the server hands to a Handler and gets back.
// No Asio or Beast types appear here, so the runtime can speak HTTP without the I/O layer.
//
// Header names keep the case they were received (or set) with and their order; lookups are
// case-insensitive. Body is a whole buffered string today; it is its own type so a streaming
// body can later replace it without changing HttpRequest/HttpResponse or the Handler interface.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "blaze/http/trace.h"

namespace blaze::http {

struct Header {
  std::string name;
  std::string value;
};

// Ordered, duplicates allowed (several Set-Cookie lines stay several lines).
using Headers = std::vector<Header>;

// ASCII case-insensitive equality, the rule for header names and host names.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// The first header named `name` (case-insensitive), or nullopt. The view points into `headers`.
std::optional<std::string_view> FindHeader(const Headers& headers, std::string_view name);

// The seam for streaming: today always fully buffered. Code that reads a body should go through
// buffered()/TakeBuffered() so a later stream variant only adds, never changes, these calls.
class Body {
 public:
  Body() = default;
  explicit Body(std::string text) : text_(std::move(text)) {}

  // True while bodies are buffered; a streaming body will answer false.
  bool is_buffered() const { return true; }
  std::size_t size() const { return text_.size(); }
  bool empty() const { return text_.empty(); }
  std::string_view buffered() const { return text_; }
  std::string TakeBuffered() && { return std::move(text_); }
  // For the parser: appends received bytes.
  void Append(std::string_view bytes) { text_.append(bytes); }
  void Reserve(std::size_t n) { text_.reserve(n); }

 private:
  std::string text_;
};

struct HttpRequest {
  std::string method;  // as received: "GET", "POST", "PURGE"...
  std::string target;  // request-target as received: path + query ("/a/b?x=1")
  std::string host;    // the Host header as received (may carry a port)
  Headers headers;     // every field, in order, names as received (Host included)
  Body body;
  std::string remote_address;  // peer IP, "127.0.0.1" or "::1"
  std::uint16_t remote_port = 0;
  TraceId trace_id;  // from a valid traceparent, else freshly random
  int version = 11;  // 10 = HTTP/1.0, 11 = HTTP/1.1

  std::optional<std::string_view> header(std::string_view name) const {
    return FindHeader(headers, name);
  }
};

struct HttpResponse {
  // 200-599. The server owns framing: content-length, transfer-encoding, connection,
  // keep-alive and x-trace-id set here are ignored; the server writes its own.
  int status = 200;
  // The reason phrase; empty: the standard one for `status` (a worker's custom statusText).
  std::string reason;
  Headers headers;
  Body body;

  std::optional<std::string_view> header(std::string_view name) const {
    return FindHeader(headers, name);
  }
};

}  // namespace blaze::http
